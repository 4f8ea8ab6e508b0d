"""Custom torch.autograd.Function subclasses as papers' code writes them: a straight-through
estimator for sign binarisation (BinaryConnect), a gradient reversal layer for domain
adaptation (DANN) with its lambda passed through ctx, a clamp whose backward reads
ctx.save_for_backward tensors and ctx.needs_input_grad, and a function returning two outputs;
checked by autograd.gradcheck in float64 and trained in a small two-head model."""

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional

    class BinarizeSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (x.abs() <= 1).to(grad_output.dtype)

    class GradientReversal(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, lambd):
            ctx.lambd = lambd
            return x.view_as(x)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.neg() * ctx.lambd, None

    class ScaledClamp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x, scale)
            return (x * scale).clamp(-1.0, 1.0)

        @staticmethod
        def backward(ctx, grad_output):
            x, scale = ctx.saved_tensors
            inside = ((x * scale).abs() < 1.0).to(grad_output.dtype)
            grad_x = grad_scale = None
            if ctx.needs_input_grad[0]:
                grad_x = grad_output * inside * scale
            if ctx.needs_input_grad[1]:
                grad_scale = (grad_output * inside * x).sum().reshape(scale.shape)
            return grad_x, grad_scale

    class SplitSquare(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x, 2 * x

        @staticmethod
        def backward(ctx, grad_square, grad_double):
            (x,) = ctx.saved_tensors
            return grad_square * 2 * x + grad_double * 2

    X, y = load_breast_cancer(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)[:200, :10]
    domain = (X[:, 0] > 0).astype(np.float32)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y[:200].astype(np.float32))
    d_t = torch.from_numpy(domain)

    class DANN(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Linear(10, 8)
            self.label_head = nn.Linear(8, 1)
            self.domain_head = nn.Linear(8, 1)

        def forward(self, x, lambd):
            h = ScaledClamp.apply(self.features(x), self.scale)
            h_bin = BinarizeSTE.apply(h) * 0.5 + h * 0.5
            reversed_h = GradientReversal.apply(h_bin, lambd)
            return self.label_head(h_bin).squeeze(1), self.domain_head(reversed_h).squeeze(1)

    model = DANN()
    init_from_numpy(torch, model, seed=47, scale=0.4)
    model.register_parameter("scale", nn.Parameter(torch.tensor(0.5)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses, scales = [], []
    for step in range(20):
        lambd = 2.0 / (1.0 + np.exp(-10 * step / 20)) - 1.0
        optimizer.zero_grad()
        label_logits, domain_logits = model(X_t, lambd)
        loss = F.binary_cross_entropy_with_logits(
            label_logits, y_t
        ) + F.binary_cross_entropy_with_logits(domain_logits, d_t)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        scales.append(model.scale.item())

    x = (
        torch.randn(4, 3, dtype=torch.float64)
        .mul(0)
        .add(torch.from_numpy(np.linspace(-1.3, 1.7, 12).reshape(4, 3)))
        .requires_grad_()
    )
    s = torch.tensor(0.9, dtype=torch.float64, requires_grad=True)
    gradcheck_clamp = torch.autograd.gradcheck(ScaledClamp.apply, (x, s), eps=1e-6, atol=1e-4)
    gradcheck_split = torch.autograd.gradcheck(SplitSquare.apply, (x,), eps=1e-6, atol=1e-4)
    frozen_scale = torch.tensor(0.9, dtype=torch.float64)
    ScaledClamp.apply(x, frozen_scale).sum().backward()
    twin = x.detach().requires_grad_()
    square, double = SplitSquare.apply(twin)
    (square.sum() + 3 * double.sum()).backward()
    reversed_grad = torch.autograd.grad(GradientReversal.apply(x, 3.0).sum(), x)[0]
    ste_in = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)
    BinarizeSTE.apply(ste_in).sum().backward()
    return {
        "losses": np.array(losses[::4]),
        "scales": np.array(scales[::4]),
        "gradcheck_clamp": gradcheck_clamp,
        "x_grad": x.grad.numpy(),
        "gradcheck_split": gradcheck_split,
        "two_outputs": (square + double).sum().item(),
        "two_outputs_grad": twin.grad.numpy(),
        "frozen_scale_grad": frozen_scale.grad is None,
        "reversed_grad": reversed_grad.numpy(),
        "ste_grad": ste_in.grad.numpy(),
        "output_grad_fn": type(BinarizeSTE.apply(ste_in).grad_fn).__name__ != "NoneType",
    }
