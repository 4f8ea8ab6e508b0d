"""The notebook's last exercise, "look at PyTorch": its two models trained three ways from the
same start (hand-chained with chainrule.manual, chainrule autograd, and PyTorch when it is
installed), side by side, then the one training loop written for both libraries.

Everything runs in float64, the notebook's dtype, so the three columns can agree to the last
bit or to rounding; the report says which.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .. import manual
from ..data.synthetic import make_fuzzy_boundary, make_line, split_in_order, with_ones_column
from .common import Options, initial_theta

INSTALL = "pip install torch  (CPU build: pip install torch --index-url https://download.pytorch.org/whl/cpu)"


DIFFERENCES = {
    "en": [
        "import torch; from torch import nn, optim      |  import chainrule as lib; from chainrule import nn, optim",
        "dtype names: torch.float64 there, np.float64 here (chainrule takes NumPy's dtypes); both default to float32, so the loop asks for float64 as the notebook computes",
        "nn.BCELoss: both clamp log at -100; chainrule's BCELoss(epsilon=...) is the notebook's log(p + eps)",
        "mixing float32 and float64 tensors: torch promotes, chainrule raises DTypeError saying how to convert",
        "the arithmetic: the same formulas in float64 everywhere, so the columns agree to rounding; manual and autograd agree to the last bit where they call the same Function (MSE here), while BCE here is log(p) by hand and torch's clamped log in the loop",
    ],
    "ja": [
        "import torch; from torch import nn, optim      |  import chainrule as lib; from chainrule import nn, optim",
        "dtype の名前: torch では torch.float64、chainrule では np.float64 (NumPy の dtype を使う)。既定はどちらも float32 なので、ノートブックと同じ float64 をループで指定している",
        "nn.BCELoss: どちらも log を -100 で打ち切る。chainrule の BCELoss(epsilon=...) はノートブックの log(p + eps) の形",
        "float32 と float64 のテンソルを混ぜると、torch は型を昇格し、chainrule は変換方法を示して DTypeError を送出する",
        "計算の中身: どれも float64 で同じ式を計算するので、差は丸め誤差の範囲にとどまる。manual と autograd が同じ Function を呼ぶ場合 (ここでは MSE) はビット単位で完全に一致する。BCE は、手作業では log(p)、ループでは torch と同じ打ち切り付きの log を使っている",
    ],
}


def _by_hand(
    X: np.ndarray, T: np.ndarray, theta: np.ndarray, lr: float, steps: int, classify: bool
) -> tuple[np.ndarray, float]:
    linear = manual.Linear(X.shape[1], bias=classify, alpha=lr, theta=theta, dtype=X.dtype)
    layers = [linear, manual.Sigmoid()] if classify else [linear]
    # epsilon=0: log(p) itself, which is what torch's clamped log is while p is not saturated
    loss_layer = manual.BCELoss(epsilon=0) if classify else manual.MSELoss()
    for step in range(steps):
        out = X
        for layer in layers:
            out = layer.forward(inputs=out)
        loss = float(loss_layer.forward(inputs=out, targets=T))
        grad = loss_layer.backward()
        for layer in reversed(layers):
            grad = layer.backward(grad=grad)
        linear.update()
    return linear.theta.copy(), loss


def train(
    lib: Any,
    nn: Any,
    optim: Any,
    dtype: Any,
    X: np.ndarray,
    T: np.ndarray,
    theta: np.ndarray,
    lr: float,
    steps: int,
    classify: bool,
) -> tuple[Any, float]:
    """One loop, written once against torch's API: ``lib`` is ``torch`` or ``chainrule``."""
    linear = nn.Linear(X.shape[1], 1, bias=classify, dtype=dtype)
    start = {"weight": lib.tensor(theta[:, -X.shape[1] :])}
    if classify:
        start["bias"] = lib.tensor(theta[:, 0])
    linear.load_state_dict(start)
    model = nn.Sequential(linear, nn.Sigmoid()) if classify else linear
    loss_fn = nn.BCELoss() if classify else nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=lr)
    inputs, targets = lib.tensor(X), lib.tensor(T)
    for step in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return model, loss.item()


def _theta(model: Any, classify: bool) -> np.ndarray:
    linear = model[0] if classify else model
    weight = linear.weight.detach().numpy()
    if not classify:
        return weight.copy()
    return np.concatenate([linear.bias.detach().numpy()[:, None], weight], axis=1)


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


def run(options: Options) -> dict[str, Any]:
    import chainrule
    from chainrule import nn, optim

    torch = _torch()
    x, y = make_line()
    X2, T2 = make_fuzzy_boundary()
    X2_train, _, T2_train, _ = split_in_order(X2, T2, train_fraction=0.9)
    models = {
        "regression": (with_ones_column(x), y, (1, 2), 0.1, 100, False),
        "classification": (X2_train, T2_train.astype(np.float64), (1, 3), 1.0, 1000, True),
    }
    result: dict[str, Any] = {
        "torch": None if torch is None else torch.__version__,
        "models": {},
        "plots": {},
    }
    for name, (X, T, shape, lr, steps, classify) in models.items():
        steps = options.steps or steps
        lr = options.lr if options.lr is not None else lr
        theta0 = initial_theta(options.seed, shape)
        columns = {"manual": _by_hand(X, T, theta0, lr, steps, classify)}
        model, loss = train(chainrule, nn, optim, np.float64, X, T, theta0, lr, steps, classify)
        columns["autograd"] = (_theta(model, classify), loss)
        if torch is not None:
            model, loss = train(
                torch, torch.nn, torch.optim, torch.float64, X, T, theta0, lr, steps, classify
            )
            columns["torch"] = (_theta(model, classify), loss)
        reference = columns["manual"][0]
        result["models"][name] = {
            "steps": steps,
            "lr": lr,
            "parameters": "[[c, a, b]]" if classify else "[[b, a]]",
            "theta": {k: v[0].tolist() for k, v in columns.items()},
            "loss": {k: v[1] for k, v in columns.items()},
            "max_abs_diff": {
                k: float(np.max(np.abs(v[0] - reference)))
                for k, v in columns.items()
                if k != "manual"
            },
        }
    return result


def report(result: dict[str, Any], lang: str = "en") -> list[str]:
    ja = lang == "ja"
    lines = [
        "== 最後の課題: PyTorch と比べる ==" if ja else "== The last exercise: look at PyTorch =="
    ]
    if result["torch"] is None:
        lines.append(
            (
                "PyTorch が見つからないため、chainrule の2列だけを示します。入れるには: "
                if ja
                else "PyTorch is not installed, so only chainrule's two columns are shown. To add it: "
            )
            + INSTALL
        )
    else:
        lines.append(f"PyTorch {result['torch']}")
    for name, model in result["models"].items():
        title = {
            "regression": ("1.2 linear regression, MSE", "1.2 線形回帰, MSE"),
            "classification": ("2 linear + sigmoid + BCE", "2 線形層 + シグモイド + BCE"),
        }[name][ja]
        lines += [
            "",
            f"{title}: {model['steps']} {'ステップ' if ja else 'steps'}, lr {model['lr']}, "
            f"theta = {model['parameters']}",
            f"  {'':10} {'theta':>44}   {'loss':>22}   max |diff| vs manual",
        ]
        for column, theta in model["theta"].items():
            diff = model["max_abs_diff"].get(column)
            shown = "[" + ", ".join(f"{v:.15f}" for v in theta[0]) + "]"
            lines.append(
                f"  {column:10} {shown:>44}   {model['loss'][column]:.17g}   "
                + ("-" if diff is None else f"{diff:.1e}")
            )
    lines += [
        "",
        "同じ学習ループ (lib = torch でも lib = chainrule でも動く):"
        if ja
        else "The same training loop (runs with lib = torch and with lib = chainrule):",
        "",
    ]
    lines += ["    " + line for line in inspect.getsource(train).splitlines()]
    lines += ["", "違い:" if ja else "What differs:"] + [
        "  - " + line for line in DIFFERENCES["ja" if ja else "en"]
    ]
    return lines
