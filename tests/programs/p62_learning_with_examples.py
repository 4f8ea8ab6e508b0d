"""The tutorial "Learning PyTorch with Examples" as written: a third-order polynomial fitted to sin(x), first
with tensors and gradients worked by hand, then with autograd under no_grad updates, then
through a custom autograd.Function (LegendrePolynomial3), then nn.Sequential with
nn.Flatten(0, 1) over x.unsqueeze(-1).pow(p), then optim.RMSprop, then a custom Module, and
last a DynamicNet whose forward reuses one weight a random number of times."""

import math
import random

import numpy as np

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    dtype = torch.float
    device = torch.device("cpu")
    starts = np.random.default_rng(62).standard_normal(5).astype(np.float32) * 0.3
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    out = {}

    # Tensors: forward and backward passes written by hand.
    a, b, c, d = (torch.tensor(float(v), device=device, dtype=dtype) for v in starts[:4])
    learning_rate = 1e-6
    manual_losses = []
    for t in range(300):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum().item()
        if t % 100 == 99:
            manual_losses.append(loss)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= learning_rate * grad_a
        b -= learning_rate * grad_b
        c -= learning_rate * grad_c
        d -= learning_rate * grad_d
    out["manual_losses"] = np.array(manual_losses)
    out["manual_coefficients"] = [a.item(), b.item(), c.item(), d.item()]

    # Autograd.
    shape_of_randn = list(torch.randn((), device=device, dtype=dtype).shape)
    a, b, c, d = (
        torch.tensor(float(v), device=device, dtype=dtype, requires_grad=True) for v in starts[:4]
    )
    autograd_losses = []
    for t in range(300):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            autograd_losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    out["randn_shape"] = shape_of_randn
    out["autograd_losses"] = np.array(autograd_losses)
    out["autograd_matches_manual"] = bool(
        np.allclose([a.item(), b.item(), c.item(), d.item()], out["manual_coefficients"], 1e-4)
    )

    # A new autograd Function.
    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input**2 - 1)

    a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    learning_rate = 5e-6
    legendre_losses = []
    for t in range(300):
        P3 = LegendrePolynomial3.apply
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            legendre_losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None
    out["legendre_losses"] = np.array(legendre_losses)
    out["legendre_coefficients"] = [a.item(), b.item(), c.item(), d.item()]

    # nn: x.unsqueeze(-1).pow(p) gives the (2000, 3) features; Flatten(0, 1) drops the last dim.
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(starts[1:4].reshape(1, 3).copy()))
        model[0].bias.fill_(float(starts[0]))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    learning_rate = 1e-6
    nn_losses = []
    for t in range(300):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            nn_losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    linear_layer = model[0]
    out["xx_is_float"] = xx.dtype == torch.float32 and p.dtype == torch.int64
    out["nn_losses"] = np.array(nn_losses)
    out["nn_coefficients"] = [
        linear_layer.bias.item(),
        linear_layer.weight[:, 0].item(),
        linear_layer.weight[:, 1].item(),
        linear_layer.weight[:, 2].item(),
    ]

    # optim.
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(starts[1:4].reshape(1, 3).copy()))
        model[0].bias.fill_(float(starts[0]))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    optim_losses = []
    for t in range(300):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            optim_losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    out["optim_losses"] = np.array(optim_losses)

    # Custom nn Modules.
    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x**2 + self.d * x**3

        def string(self):
            return (
                f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2"
                f" + {self.d.item()} x^3"
            )

    model = Polynomial3()
    with torch.no_grad():
        for param, value in zip(model.parameters(), starts):
            param.fill_(float(value))
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    module_losses = []
    for t in range(300):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        if t % 100 == 99:
            module_losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    out["module_losses"] = np.array(module_losses)
    out["module_string_starts"] = model.string()[:4]

    class DynamicNet(torch.nn.Module):
        def __init__(self, rand):
            super().__init__()
            self.rand = rand
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))
            self.e = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            y = self.a + self.b * x + self.c * x**2 + self.d * x**3
            for exp in range(4, self.rand.randint(4, 6)):
                y = y + self.e * x**exp
            return y

    model = DynamicNet(random.Random(62))
    with torch.no_grad():
        for param, value in zip(model.parameters(), starts * 0.1):
            param.fill_(float(value))
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
    dynamic_losses = []
    for t in range(300):
        y_pred = model(x)
        loss = criterion(y_pred, y)
        if t % 50 == 49:
            dynamic_losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    out["dynamic_losses"] = np.array(dynamic_losses)
    out["dynamic_e"] = model.e.item()
    return out
