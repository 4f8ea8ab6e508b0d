"""Optimizers as students write them after the notebook: ``update(params, grads)`` on dicts.

Right ones first (the textbook's forms and PyTorch's), then one class per classic mistake.
"""

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    """The textbook's: v = momentum v - lr g; p += v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class MomentumTorch:
    """PyTorch's form, rebinding params[key] instead of changing it in place: also right."""

    def __init__(self):
        self.learning_rate, self.mu, self.buf = 0.05, 0.8, {}

    def update(self, params, grads):
        for key in params:
            self.buf[key] = self.mu * self.buf.get(key, 0.0) + grads[key]
            params[key] = params[key] - self.learning_rate * self.buf[key]


class Nesterov:
    """Written from the formula: p += momentum**2 v_old - (1 + momentum) lr g, then v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, {}

    def update(self, params, grads):
        for key in params:
            v = self.v.get(key, np.zeros_like(params[key]))
            params[key] += self.momentum**2 * v - (1 + self.momentum) * self.lr * grads[key]
            self.v[key] = self.momentum * v - self.lr * grads[key]


class NesterovTextbook(Momentum):
    """One textbook's code: momentum**2 times the velocity after its update."""

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class RMSprop:
    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr, self.decay_rate, self.h = lr, decay_rate, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    """The textbook's: lr_t = lr sqrt(1 - beta2**t) / (1 - beta1**t)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class AdamTorch:
    """PyTorch's form, betas and eps as attributes, float32 arithmetic: also right."""

    def __init__(self, learning_rate=0.01, betas=(0.8, 0.99), eps=1e-8, bug=""):
        self.learning_rate, self.betas, self.eps, self.bug = learning_rate, betas, eps, bug
        self.t, self.m, self.v = 0, {}, {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        for key in params:
            if self.bug == "t per param":
                self.t += 1 if key != next(iter(params)) else 0
            g = grads[key].astype(np.float32)
            self.m[key] = beta1 * self.m.get(key, 0) + (1 - beta1) * g
            self.v[key] = beta2 * self.v.get(key, 0) + (1 - beta2) * g * g
            t = self.t + 1 if self.bug == "power" else self.t
            m_hat = self.m[key] / (1 - beta1**t)
            v_hat = self.v[key] / (1 - beta2**t)
            if self.bug == "no correction":
                m_hat, v_hat = self.m[key], self.v[key]
            if self.bug == "eps inside":
                params[key] -= self.learning_rate * m_hat / np.sqrt(v_hat + self.eps)
            else:
                params[key] -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


class MomentumReset(Momentum):
    def update(self, params, grads):
        for key in params:
            v = np.zeros_like(params[key])  # the velocity is forgotten at every call
            v = self.momentum * v - self.lr * grads[key]
            params[key] += v


class MomentumShared(Momentum):
    def update(self, params, grads):
        if self.v is None:
            self.v = np.zeros_like(params["W1"])
        for key in params:
            self.v = self.momentum * self.v - self.lr * grads[key]
            params[key] += self.v


class AdaGradForgets(AdaGrad):
    def update(self, params, grads):
        for key in params:
            h = grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(h) + 1e-7)


class RMSpropSwapped(RMSprop):
    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(value) for key, value in params.items()}
        for key in params:
            self.h[key] = (1 - self.decay_rate) * self.h[key] + self.decay_rate * grads[key] ** 2
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class SGDLocal(SGD):
    def update(self, params, grads):
        for key, p in params.items():
            p = p - self.lr * grads[key]  # noqa: F841 - the bug: a local name, not the dict


class SGDDecaying(SGD):
    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]
        self.lr *= 0.9


class SGDWeightDecay:
    def __init__(self, lr=0.1, weight_decay=0.01, apply=True):
        self.lr, self.weight_decay, self.apply = lr, weight_decay, apply

    def update(self, params, grads):
        for key in params:
            grad = grads[key] + (self.weight_decay * params[key] if self.apply else 0)
            params[key] -= self.lr * grad


class Optimiser:
    """A name that says nothing: like= must say which rule it is."""

    def __init__(self):
        self.lr = 0.01

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class Broken:
    def __init__(self):
        self.lr = 0.01

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key + "_grad"]


class SGDReturning:
    """Hands back new params (params = optimizer.update(params, grads)): also right."""

    def __init__(self):
        self.lr = 0.01

    def update(self, params, grads):
        return {key: params[key] - self.lr * grads[key] for key in params}


class AdamBrokenInit:
    def __init__(self):
        self.lr = 1 / 0

    def update(self, params, grads):
        pass


class SGDNotANumber(SGD):
    def __init__(self):
        self.lr = float("nan")


class MomentumByShape(Momentum):
    """The velocity kept per shape, not per parameter: W1 and W2 share one."""

    def update(self, params, grads):
        self.v = self.v or {}
        for key in params:
            shape = params[key].shape
            v = self.v.get(shape, np.zeros(shape))
            self.v[shape] = self.momentum * v - self.lr * grads[key]
            params[key] += self.v[shape]
