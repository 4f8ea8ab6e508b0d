"""Karpathy's micrograd checked against torch as its test_engine.py does, then its demo.ipynb
(an MLP trained on two moons with the SVM max-margin loss) ported to torch the way people port it.
test_sanity_check and test_more_ops as written: torch.Tensor([-4.0]).double() with
x.requires_grad = True, z.relu(), a ** 3, 10.0 / f, f / 2.0, reflected operators, y.backward(),
and values read by .data.item() / .grad.item(), compared with a scalar Value engine (a short
one written here; it is the thing micrograd's test checks). The demo: Neuron / Layer / MLP
built from nn.Module with parameters drawn uniform(-1, 1) (from numpy here), a Python loop over
rows with list(map(model, inputs)) for a few points, the loss
sum((1 + -yi * scorei).relu() for ...) * (1.0 / len(losses)) plus alpha * sum((p * p) ...), the
accuracy [(yi > 0) == (scorei.data > 0) ...] summed and divided, the learning rate
1.0 - 0.9 * k / steps applied by p.data -= learning_rate * p.grad after model.zero_grad(); then
the decision boundary on a torch.meshgrid(indexing='xy') grid scored under no_grad."""

import math

import numpy as np
from sklearn.datasets import make_moons

RTOL, ATOL = 1e-4, 1e-6


class Value:
    """A scalar that records how it was made, enough of micrograd's engine for its own tests."""

    def __init__(self, data, _children=()):
        self.data, self.grad = data, 0.0
        self._backward, self._prev = lambda: None, set(_children)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        out = Value(self.data**k, (self,))

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,))

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1


def sanity(x):
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    return y


def more_ops(a, b):
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def main(torch):
    nn = torch.nn
    out = {}

    # test_sanity_check
    x = Value(-4.0)
    ymg = sanity(x)
    ymg.backward()
    xmg = x
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    ypt = sanity(x)
    ypt.backward()
    xpt = x
    out["sanity"] = [ymg.data, ypt.data.item(), xmg.grad, xpt.grad.item()]
    out["sanity_agree"] = ymg.data == ypt.data.item() and xmg.grad == xpt.grad.item()
    out["dtype"] = str(ypt.dtype).replace("torch.", "").replace("chainrule.", "")

    # test_more_ops
    a, b = Value(-4.0), Value(2.0)
    gmg = more_ops(a, b)
    gmg.backward()
    amg, bmg = a, b
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    gpt = more_ops(a, b)
    gpt.backward()
    apt, bpt = a, b
    tol = 1e-6
    out["more_ops"] = [gmg.data, gpt.data.item(), amg.grad, apt.grad.item(), bpt.grad.item()]
    out["more_ops_agree"] = (
        abs(gmg.data - gpt.data.item()) < tol
        and abs(amg.grad - apt.grad.item()) < tol
        and abs(bmg.grad - bpt.grad.item()) < tol
    )

    # demo.ipynb, ported to torch
    rng = np.random.default_rng(90)

    class Neuron(nn.Module):
        def __init__(self, nin, nonlin=True):
            super().__init__()
            self.w = nn.Parameter(torch.from_numpy(rng.uniform(-1, 1, nin).astype(np.float32)))
            self.b = nn.Parameter(torch.zeros(1))
            self.nonlin = nonlin

        def forward(self, x):
            act = (self.w * x).sum(-1) + self.b
            return act.relu() if self.nonlin else act

        def __repr__(self):
            return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"

    class Layer(nn.Module):
        def __init__(self, nin, nout, **kwargs):
            super().__init__()
            self.neurons = nn.ModuleList([Neuron(nin, **kwargs) for _ in range(nout)])

        def forward(self, x):
            out = [n(x) for n in self.neurons]
            return out[0] if len(out) == 1 else torch.stack(out, dim=-1)

    class MLP(nn.Module):
        def __init__(self, nin, nouts):
            super().__init__()
            sz = [nin] + nouts
            self.layers = nn.ModuleList(
                [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]
            )

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    X, y = make_moons(n_samples=60, noise=0.1, random_state=1)
    y = y * 2 - 1  # make y be -1 or 1
    model = MLP(2, [16, 16, 1])  # 2-layer neural network
    out["repr"] = repr(model.layers[0].neurons[0])
    out["number_of_parameters"] = sum(p.numel() for p in model.parameters())

    def loss(batch_size=None):
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = rng.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = torch.from_numpy(Xb.astype(np.float32))
        yb = torch.from_numpy(yb.astype(np.float32))

        # forward the model to get scores
        scores = model(inputs)

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum((p * p).sum() for p in model.parameters())
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    # the per-row way of the notebook, on a few points
    few = list(map(model, [torch.tensor(row, dtype=torch.float32) for row in X[:3]]))
    out["per_row_scores"] = [s.item() for s in few]

    total_loss, acc = loss()
    out["first"] = [total_loss.item(), float(acc)]
    history = []
    steps = 20
    for k in range(steps):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad

        history.append([total_loss.item(), float(acc)])
    out["history"] = history

    # visualize decision boundary
    h = 0.25
    x_min, x_max = X[:, 0].min() - 1, X[:, 0].max() + 1
    y_min, y_max = X[:, 1].min() - 1, X[:, 1].max() + 1
    xs = torch.arange(float(x_min), float(x_max), h)
    ys = torch.arange(float(y_min), float(y_max), h)
    xx, yy = torch.meshgrid(xs, ys, indexing="xy")
    Xmesh = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)
    with torch.no_grad():
        scores = model(Xmesh)
    Z = (scores > 0).reshape(xx.shape)
    out["grid"] = [list(xx.shape), int(Z.sum()), math.isfinite(float(scores.abs().max()))]
    out["grid_positive_fraction"] = float(Z.float().mean())
    return out
