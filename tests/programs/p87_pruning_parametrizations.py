"""pytorch.org's "Pruning Tutorial" and "Parametrizations Tutorial" as written. Pruning: the
tutorial's LeNet (28x28 input, here sklearn's digits tripled and padded to 28x28), named_parameters
/ named_buffers before and after prune.random_unstructured (weight_orig and weight_mask),
module._forward_pre_hooks, prune.l1_unstructured on the bias with amount=3, iterative
prune.ln_structured(n=2, dim=0) making a PruningContainer whose history is listed, the
state_dict's keys, prune.remove, pruning every Conv2d / Linear found by named_modules,
prune.global_unstructured with prune.L1Unstructured and the sparsity prints, and the
FooBarPruningMethod subclass of prune.BasePruningMethod; then a pruned model trained a few
steps (pruned weights stay zero, their gradients on weight_orig are zero). Parametrizations:
Symmetric and Skew modules through parametrize.register_parametrization, the printed
ParametrizedLinear, parametrizations.weight.original, a NoisyParametrization counted inside and
outside parametrize.cached(), CayleyMap and MatrixExponential chained after Skew (orthogonal)
and after Symmetric (positive definite, eigvalsh), right_inverse when assigning layer.weight, and
remove_parametrizations with and without leave_parametrized. Random draws (random_unstructured,
initial weights) differ between libraries: those are compared by count, and the weights that
matter are copied in from numpy."""

import importlib

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    out = {}
    out.update(_pruning(torch))
    out.update(_parametrizations(torch))
    return out


def _numpy_weights(torch, model, seed):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.2, tuple(p.shape)).astype(np.float32)))


def _pruning(torch):
    nn, F = torch.nn, torch.nn.functional
    prune = importlib.import_module(
        f"{torch.__name__}.nn.utils.prune"
    )  # import torch.nn.utils.prune as prune

    class LeNet(nn.Module):
        def __init__(self):
            super(LeNet, self).__init__()
            # 1 input image channel, 6 output channels, 3x3 square conv kernel
            self.conv1 = nn.Conv2d(1, 6, 3)
            self.conv2 = nn.Conv2d(6, 16, 3)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5x5 image dimension
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
            x = F.max_pool2d(F.relu(self.conv2(x)), 2)
            x = x.view(-1, int(x.nelement() / x.shape[0]))
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    out = {}
    model = LeNet()
    _numpy_weights(torch, model, 0)
    module = model.conv1
    out["params_before"] = [name for name, _ in module.named_parameters()]
    out["buffers_before"] = [name for name, _ in module.named_buffers()]
    prune.random_unstructured(module, name="weight", amount=0.3)
    out["params_after"] = [name for name, _ in module.named_parameters()]
    out["buffers_after"] = [name for name, _ in module.named_buffers()]
    out["random_zeros"] = int((module.weight == 0).sum())
    out["weight_is_masked_orig"] = bool(
        torch.equal(module.weight, module.weight_orig * module.weight_mask)
    )
    out["hooks"] = [type(h).__name__ for h in module._forward_pre_hooks.values()]

    prune.l1_unstructured(module, name="bias", amount=3)
    out["bias"] = module.bias.tolist()
    out["bias_mask"] = module.bias_mask.tolist()
    out["hooks_after_bias"] = [type(h).__name__ for h in module._forward_pre_hooks.values()]

    prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
    out["channels_kept"] = int((module.weight_mask.sum(dim=(1, 2, 3)) > 0).sum())
    out["zeros_after_ln"] = int((module.weight == 0).sum()) >= out["random_zeros"]
    for hook in module._forward_pre_hooks.values():
        if hook._tensor_name == "weight":  # select out the correct hook
            break
    out["history"] = [type(m).__name__ for m in hook]
    out["state_keys"] = list(model.state_dict().keys())[:6]

    prune.remove(module, "weight")
    out["params_removed"] = [name for name, _ in module.named_parameters()]
    out["buffers_removed"] = [name for name, _ in module.named_buffers()]
    out["weight_is_parameter"] = isinstance(module.weight, nn.Parameter)

    new_model = LeNet()
    for name, module in new_model.named_modules():
        # prune 20% of connections in all 2D-conv layers
        if isinstance(module, torch.nn.Conv2d):
            prune.l1_unstructured(module, name="weight", amount=0.2)
        # prune 40% of connections in all linear layers
        elif isinstance(module, torch.nn.Linear):
            prune.l1_unstructured(module, name="weight", amount=0.4)
    out["all_masks"] = list(dict(new_model.named_buffers()).keys())
    out["fc1_sparsity"] = (
        float(torch.sum(new_model.fc1.weight == 0)) / new_model.fc1.weight.nelement()
    )

    model = LeNet()
    _numpy_weights(torch, model, 1)
    parameters_to_prune = (
        (model.conv1, "weight"),
        (model.conv2, "weight"),
        (model.fc1, "weight"),
        (model.fc2, "weight"),
        (model.fc3, "weight"),
    )
    prune.global_unstructured(
        parameters_to_prune,
        pruning_method=prune.L1Unstructured,
        amount=0.2,
    )
    lines = []
    for label, layer in [("conv1", model.conv1), ("conv2", model.conv2), ("fc1", model.fc1),
                         ("fc2", model.fc2), ("fc3", model.fc3)]:  # fmt: skip
        lines.append(
            "Sparsity in {}.weight: {:.2f}%".format(
                label,
                100.0 * float(torch.sum(layer.weight == 0)) / float(layer.weight.nelement()),
            )
        )
    zeros = sum(torch.sum(m.weight == 0) for m, _ in parameters_to_prune)
    total = sum(m.weight.nelement() for m, _ in parameters_to_prune)
    lines.append("Global sparsity: {:.2f}%".format(100.0 * float(zeros) / float(total)))
    out["sparsity_lines"] = lines
    out["pruned_model_is_pruned"] = prune.is_pruned(model)

    # a pruned model trained a few steps: the masked entries stay zero
    digits = load_digits()
    images = np.kron(digits.images[:128] / 16.0, np.ones((3, 3)))
    images = np.pad(images, ((0, 0), (2, 2), (2, 2))).astype(np.float32)
    x = torch.from_numpy(images).unsqueeze(1)
    y = torch.from_numpy(digits.target[:128].astype(np.int64))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(5):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        masked_grad = model.fc1.weight_orig.grad[model.fc1.weight_mask == 0]
        optimizer.step()
        losses.append(loss.item())
    out["pruned_losses"] = losses
    out["masked_grads_zero"] = bool((masked_grad == 0).all())
    out["still_sparse"] = float(torch.sum(model(x)[:0].sum() + model.fc1.weight == 0))
    for m, name in parameters_to_prune:
        prune.remove(m, name)
    out["after_remove_keys"] = list(model.state_dict().keys())
    out["after_remove_zero_fraction"] = float((model.fc1.weight == 0).float().mean())
    out["not_pruned_any_more"] = prune.is_pruned(model)

    class FooBarPruningMethod(prune.BasePruningMethod):
        """Prune every other entry in a tensor"""

        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = default_mask.clone()
            mask.view(-1)[::2] = 0
            return mask

    def foobar_unstructured(module, name):
        FooBarPruningMethod.apply(module, name)
        return module

    model = LeNet()
    foobar_unstructured(model.fc3, name="bias")
    out["foobar_mask"] = model.fc3.bias_mask.tolist()
    return out


def _parametrizations(torch):
    nn = torch.nn
    parametrize = torch.nn.utils.parametrize
    out = {}

    class Symmetric(nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Skew(nn.Module):
        def forward(self, X):
            A = X.triu(1)
            return A - A.transpose(-1, -2)

        def right_inverse(self, A):
            # We assume that A is skew-symmetric
            # We take the upper-triangular elements, as these are those used in the forward
            return A.triu(1)

    class CayleyMap(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.register_buffer("Id", torch.eye(n))

        def forward(self, X):
            # (I + X)(I - X)^{-1}
            return torch.linalg.solve(self.Id - X, self.Id + X)

    class MatrixExponential(nn.Module):
        def forward(self, X):
            return torch.matrix_exp(X)

    def numpy_linear(n, seed):
        layer = nn.Linear(n, n)
        _numpy_weights(torch, layer, seed)
        return layer

    layer = numpy_linear(3, 2)
    parametrize.register_parametrization(layer, "weight", Symmetric())
    A = layer.weight
    out["symmetric"] = bool(torch.allclose(A, A.T))
    out["layer_repr"] = str(layer)
    out["param_names"] = list(dict(layer.named_parameters()).keys())
    out["original"] = layer.parametrizations.weight.original.tolist()
    out["first_parametrization"] = type(layer.parametrizations.weight[0]).__name__

    cnn = nn.Conv2d(in_channels=5, out_channels=8, kernel_size=3)
    parametrize.register_parametrization(cnn, "weight", Skew())
    out["cnn_skew"] = bool(torch.allclose(cnn.weight[0, 1], -cnn.weight[0, 1].T))

    calls = []

    class NoisyParametrization(nn.Module):
        def forward(self, X):
            calls.append("Computing the Parametrization")
            return X

    layer = numpy_linear(4, 3)
    parametrize.register_parametrization(layer, "weight", NoisyParametrization())
    foo = layer.weight + layer.weight.T
    bar = layer.weight.sum()
    outside = len(calls)
    with parametrize.cached():
        foo = layer.weight + layer.weight.T
        bar = layer.weight.sum()
    out["noisy_calls"] = [outside, len(calls) - outside]
    out["foo_bar"] = [foo.sum().item(), bar.item()]

    layer = numpy_linear(3, 4)
    parametrize.register_parametrization(layer, "weight", Skew())
    parametrize.register_parametrization(layer, "weight", CayleyMap(3))
    X = layer.weight
    out["cayley_orthogonal"] = torch.dist(X.T @ X, torch.eye(3)).item() < 1e-5
    out["cayley"] = X.tolist()

    layer_orthogonal = numpy_linear(3, 5)
    parametrize.register_parametrization(layer_orthogonal, "weight", Skew())
    parametrize.register_parametrization(layer_orthogonal, "weight", MatrixExponential())
    X = layer_orthogonal.weight
    out["expm_orthogonal"] = torch.dist(X.T @ X, torch.eye(3)).item() < 1e-5

    layer_spd = numpy_linear(3, 6)
    parametrize.register_parametrization(layer_spd, "weight", Symmetric())
    parametrize.register_parametrization(layer_spd, "weight", MatrixExponential())
    X = layer_spd.weight
    out["spd"] = [torch.dist(X, X.T).item() < 1e-6, bool((torch.linalg.eigvalsh(X) > 0.0).all())]

    layer = numpy_linear(3, 7)
    parametrize.register_parametrization(layer, "weight", Skew())
    X = torch.from_numpy(np.random.default_rng(8).random((3, 3)).astype(np.float32))
    X = X - X.T  # X is now skew-symmetric
    layer.weight = X  # Initialize layer.weight to be X
    out["right_inverse_dist"] = torch.dist(layer.weight, X).item() < 1e-6
    out["original_after_assign"] = layer.parametrizations.weight.original.tolist()

    # train an orthogonal layer (Skew then matrix_exp) to rotate points
    layer = numpy_linear(3, 9)
    parametrize.register_parametrization(layer, "weight", Skew())
    parametrize.register_parametrization(layer, "weight", MatrixExponential())
    pts = torch.from_numpy(np.random.default_rng(10).standard_normal((32, 3)).astype(np.float32))
    target = pts[:, [1, 2, 0]]
    optimizer = torch.optim.Adam(layer.parameters(), lr=0.05)
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = ((layer(pts) - layer.bias - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    out["orthogonal_fit"] = losses[::5]
    out["still_orthogonal"] = torch.dist(layer.weight.T @ layer.weight, torch.eye(3)).item() < 1e-4

    layer = numpy_linear(3, 11)
    before = str(layer)
    parametrize.register_parametrization(layer, "weight", Symmetric())
    parametrized = str(layer)
    kept = layer.weight.detach().clone()
    parametrize.remove_parametrizations(layer, "weight")
    out["remove_reprs"] = [before, parametrized, str(layer)]
    out["remove_kept_values"] = bool(torch.equal(layer.weight, kept))
    layer = numpy_linear(3, 12)
    original = layer.weight.detach().clone()
    parametrize.register_parametrization(layer, "weight", Symmetric())
    parametrize.remove_parametrizations(layer, "weight", leave_parametrized=False)
    out["remove_unparametrized"] = bool(torch.equal(layer.weight, original))
    out["is_parametrized"] = parametrize.is_parametrized(layer)
    return out
