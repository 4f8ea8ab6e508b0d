"""What students write after the notebook: Dropout, BatchNorm, more activations, SoftmaxWithLoss,
gradient clipping and a deep net with gradient(), right and with the classic mistakes.
"""

import numpy as np


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class SoftmaxWithLoss:
    """One-hot targets or class labels, as the textbook's."""

    def __init__(self, divide=True):
        self.divide, self.y, self.t = divide, None, None

    def forward(self, x, t):
        self.t, self.y = t, softmax(x)
        labels = t.argmax(axis=1) if t.size == self.y.size else t
        return -np.sum(np.log(self.y[np.arange(len(x)), labels] + 1e-7)) / len(x)

    def backward(self, dout=1):
        n = len(self.t) if self.divide else 1
        if self.t.size == self.y.size:
            return dout * (self.y - self.t) / n
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dout * dx / n


class Dropout:
    """The textbook's: unscaled mask in training, x * (1 - ratio) in test mode."""

    def __init__(self, dropout_ratio=0.5, test="scaled", backward_mask="kept"):
        self.dropout_ratio, self.test, self.backward_mask = dropout_ratio, test, backward_mask
        self.mask = None

    def forward(self, x, train_flg=True):
        if train_flg or self.test == "random":
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio) if self.test == "scaled" else x

    def backward(self, dout):
        if self.backward_mask == "new":
            return dout * (np.random.rand(*dout.shape) > self.dropout_ratio)
        return dout * self.mask


class InvertedDropout:
    """Scaled in training, the identity in test mode, its own Generator and a ``train`` flag."""

    def __init__(self, p=0.3):
        self.p, self.rng = p, np.random.default_rng(1)

    def forward(self, x, train=True):
        if not train:
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1 - self.p)
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class BatchNormalization:
    """The textbook's, with ``running`` choosing a mistake in the running statistics."""

    def __init__(self, momentum=0.9, running="right", backward_term=True):
        self.gamma = np.array([1.5, 0.5, 1.0])
        self.beta = np.array([0.1, -0.2, 0.0])
        self.momentum, self.running, self.backward_term = momentum, running, backward_term
        self.running_mean = self.running_var = None

    def forward(self, x, train_flg=True):
        if self.running_mean is None:
            self.running_mean, self.running_var = np.zeros(x.shape[1]), np.ones(x.shape[1])
        if train_flg or self.running == "batch in test":
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc**2, axis=0)
            std = np.sqrt(var + 10e-7)
            self.batch_size, self.xc, self.std = x.shape[0], xc, std
            self.xn = xn = xc / std
            if self.running != "never" and (train_flg or self.running == "batch in test"):
                m = self.momentum
                self.running_mean = m * self.running_mean + (1 - m) * mu
                self.running_var = m * self.running_var + (1 - m) * var
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + 10e-7)
        return self.gamma * xn + self.beta

    def backward(self, dout):
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        if not self.backward_term:
            return dxc  # the mean's term forgotten
        return dxc - np.sum(dxc, axis=0) / self.batch_size


class ELU:
    def __init__(self, alpha=1.0, minus_one=True):
        self.alpha, self.minus_one = alpha, minus_one

    def forward(self, x):
        self.x = x
        self.out = np.where(x > 0, x, self.alpha * (np.exp(x) - (1 if self.minus_one else 0)))
        return self.out

    def backward(self, dout):
        return dout * np.where(self.x > 0, 1.0, self.alpha * np.exp(self.x))


class GELU:
    """The tanh approximation, or erf when ``exact``: both are right."""

    def __init__(self, exact=False):
        self.exact = exact

    def forward(self, x):
        self.x = x
        if self.exact:
            from math import erf

            return 0.5 * x * (1 + np.vectorize(erf)(x / np.sqrt(2)))
        self.th = np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))
        return 0.5 * x * (1 + self.th)

    def backward(self, dout):
        if self.exact:
            from math import erf

            cdf = 0.5 * (1 + np.vectorize(erf)(self.x / np.sqrt(2)))
            return dout * (cdf + self.x * np.exp(-(self.x**2) / 2) / np.sqrt(2 * np.pi))
        du = np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * self.x**2)
        return dout * (0.5 * (1 + self.th) + 0.5 * self.x * (1 - self.th**2) * du)


class Softplus:
    def forward(self, x):
        self.x = x
        return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)

    def backward(self, dout):
        return dout / (1 + np.exp(-self.x))


class Swish:
    def __init__(self, product_rule=True):
        self.product_rule = product_rule

    def forward(self, x):
        self.x, self.s = x, 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, dout):
        if not self.product_rule:
            return dout * self.s * (1 - self.s)
        return dout * (self.s + self.x * self.s * (1 - self.s))


class LeakyReLU:
    def __init__(self, slope=0.2):
        self.slope = slope

    def forward(self, x):
        self.x = x
        return np.where(x > 0, x, self.slope * x)

    def backward(self, dout):
        return np.where(self.x > 0, dout, self.slope * dout)


def clip_grads(grads, max_norm):
    """The textbook's: in place, by the global norm."""
    total_norm = np.sqrt(sum(np.sum(grad**2) for grad in grads.values()))
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads.values():
            grad *= rate


def clip_grads_returning(grads, max_norm):
    total = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    return {key: g * min(1.0, max_norm / (total + 1e-6)) for key, g in grads.items()}


def clip_grads_per_tensor(grads, max_norm):
    for key in grads:
        norm = np.linalg.norm(grads[key])
        if norm > max_norm:
            grads[key] = grads[key] * max_norm / norm


def clip_grads_always(grads, max_norm):
    total = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    return {key: g * max_norm / total for key, g in grads.items()}


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class DeepNet:
    """The textbook's multi-layer net: layers share the arrays in self.params."""

    def __init__(self, sizes=(4, 6, 5, 3), dropout=False, weight_decay_lambda=0.0, bug=""):
        rng = np.random.default_rng(0)
        self.params, self.layers, self.bug = {}, [], bug
        self.weight_decay_lambda = weight_decay_lambda
        for i in range(len(sizes) - 1):
            self.params[f"W{i + 1}"] = rng.standard_normal(sizes[i : i + 2]) / np.sqrt(sizes[i])
            self.params[f"b{i + 1}"] = np.zeros(sizes[i + 1])
            self.layers.append(Affine(self.params[f"W{i + 1}"], self.params[f"b{i + 1}"]))
            if i < len(sizes) - 2:
                self.layers.append(Relu())
                if dropout:
                    self.layers.append(Dropout(0.3, test="scaled"))
        self.last = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        for layer in self.layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    def loss(self, x, t, train_flg=False):
        if self.bug == "raises":
            raise ValueError("shapes do not match")
        decay = sum(
            0.5 * self.weight_decay_lambda * np.sum(w**2)
            for key, w in self.params.items()
            if key.startswith("W")
        )
        return self.last.forward(self.predict(x, train_flg), t) + decay

    def gradient(self, x, t):
        self.loss(x, t, train_flg=True)
        dout = self.last.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        affines = [layer for layer in self.layers if isinstance(layer, Affine)]
        decay = 0.0 if self.bug == "no decay" else self.weight_decay_lambda
        for i, layer in enumerate(affines):
            grads[f"W{i + 1}"] = layer.dW + decay * layer.W
            grads[f"b{i + 1}"] = layer.db
        if self.bug == "double W2":
            grads["W2"] = 2 * grads["W2"]
        return grads
