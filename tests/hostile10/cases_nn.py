"""The calls hostile10 fuzzes on torch.nn.functional, layers' forward and losses: shapes with
empty and size-1 dims, wrong ranks, int and bool inputs, NaN and inf, out-of-range class
indices, weight= and ignore_index=, every reduction. Each generator returns (fn, args, kwargs,
label) for harness.compare. Holds no tests."""

from __future__ import annotations

import numpy as np

from tests.hostile10.harness import Arg, draw_arg, draw_values

FLOATISH = ["float32", "float32", "float64", "int64", "bool"]
ACTIVATIONS = [
    ("relu", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("elu", {}),
    ("selu", {}), ("celu", {}), ("softplus", {"beta": 2}), ("hardtanh", {}),
    ("leaky_relu", {"negative_slope": 0.2}), ("logsigmoid", {}), ("softsign", {}),
    ("tanhshrink", {}), ("hardswish", {}), ("hardsigmoid", {}), ("mish", {}), ("relu6", {}),
    ("softshrink", {}), ("hardshrink", {"lambd": 0.5}), ("threshold", {"threshold": 0.5, "value": 2.0}),
    ("softmax", {"dim": -1}), ("log_softmax", {"dim": 0}), ("softmin", {"dim": -1}),
    ("glu", {"dim": -1}), ("normalize", {}), ("normalize", {"p": 1, "dim": 0}),
    ("dropout", {"p": 0.0}), ("dropout", {"p": 1.0}), ("dropout", {"training": False}),
    ("layer_norm", "last"), ("rms_norm", "last"), ("one_hot", {}), ("pad", {"pad": (1, 0)}),
    ("pad", {"pad": (1, 1, 0, 2), "value": 3.0}), ("pad", {"pad": (-1, 0)}),
]  # fmt: skip


def functional_case(rng: np.random.Generator):
    name, config = ACTIVATIONS[int(rng.integers(len(ACTIVATIONS)))]
    dtypes = ["int64", "int64", "float32"] if name == "one_hot" else FLOATISH
    arg = draw_arg(rng, dtypes=dtypes)
    shape = arg.values.shape
    if name == "one_hot":
        arg = Arg(np.abs(arg.values).astype(arg.values.dtype), arg.layout)
    if config == "last":
        last = shape[-1:] if shape else (1,)
        config = {"normalized_shape": last if rng.integers(3) else (int(rng.integers(1, 4)),)}
    keyword = bool(rng.integers(2))

    def fn(lib, x):
        f = getattr(lib.nn.functional, name)
        if not keyword and name in ("softmax", "log_softmax", "softmin", "glu") and config:
            return f(x, config["dim"])
        return f(x, **config)

    return fn, [arg], {}, f"F.{name}({_d(arg)}, {config}, kw={keyword})"


LOSSES = [
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div",
    "soft_margin_loss", "hinge_embedding_loss", "poisson_nll_loss", "gaussian_nll_loss",
    "multilabel_soft_margin_loss", "multi_margin_loss", "cross_entropy_probs",
]  # fmt: skip
REDUCTIONS = ["mean", "sum", "none", "batchmean", "avg"]


def loss_case(rng: np.random.Generator):
    """Inputs and targets of matching or mismatched shapes, dtypes and class ranges."""
    name = str(rng.choice(LOSSES))
    reduction = str(rng.choice(REDUCTIONS[:3] if rng.integers(6) else REDUCTIONS))
    n, c = int(rng.choice([0, 1, 3])), int(rng.choice([1, 2, 4]))
    extra = (int(rng.choice([1, 2])),) if rng.integers(4) == 0 else ()
    shape = (n, c) + extra
    x = Arg(draw_values(rng, shape, str(rng.choice(["float32", "float64"])), "plain"))
    kwargs: dict = {"reduction": reduction}
    if name in ("cross_entropy", "nll_loss", "multi_margin_loss"):
        high = c + 1 if rng.integers(5) == 0 else c  # sometimes one past the last class
        low = -1 if rng.integers(6) == 0 else 0
        target_shape = (n,) + extra if rng.integers(8) else (n, c)
        label_dtype = str(rng.choice(["int64", "int64", "int32", "uint8"])) if low == 0 else "int64"
        target = Arg(rng.integers(low, high, size=target_shape).astype(label_dtype))
        if name != "multi_margin_loss" and rng.integers(3) == 0:
            kwargs["ignore_index"] = int(rng.choice([-1, 0, c, -100]))
        if rng.integers(3) == 0:
            wc = c if rng.integers(5) else c + 1
            kwargs["weight"] = Arg(np.abs(draw_values(rng, (wc,), x.values.dtype.name, "plain")))
        if name == "cross_entropy" and rng.integers(4) == 0:
            kwargs["label_smoothing"] = float(rng.choice([0.1, 0.0, 1.0, -0.1]))
    elif name == "cross_entropy_probs":
        target = Arg(np.abs(draw_values(rng, shape, x.values.dtype.name, "plain")) / 3)
    elif name in ("binary_cross_entropy",):
        x = Arg(np.clip(np.abs(x.values) / 3, 0, 1).astype(x.values.dtype))
        target = Arg(rng.choice([0.0, 1.0, 0.5], size=shape).astype(x.values.dtype))
        if rng.integers(3) == 0:
            kwargs["weight"] = Arg(np.ones(shape[-1:], x.values.dtype))
    elif name == "gaussian_nll_loss":
        target = Arg(draw_values(rng, shape, x.values.dtype.name, "plain"))
        kwargs["var"] = Arg(np.abs(draw_values(rng, shape, x.values.dtype.name, "plain")) + 0.1)
    else:
        tshape = shape if rng.integers(6) else shape[:-1] + (1,)
        tdtype = x.values.dtype.name if rng.integers(8) else "int64"
        target = Arg(draw_values(rng, tshape, tdtype, str(rng.choice(["plain", "specials"]))))
        if name == "binary_cross_entropy_with_logits" and rng.integers(3) == 0:
            kwargs["pos_weight"] = Arg(
                np.abs(draw_values(rng, shape[-1:], x.values.dtype.name, "plain"))
            )
    keyword = bool(rng.integers(2))

    def fn(lib, inp, tgt, **kw):
        if name == "cross_entropy_probs":
            return lib.nn.functional.cross_entropy(inp, tgt, **kw)
        f = getattr(lib.nn.functional, name)
        if name == "gaussian_nll_loss":
            return f(inp, tgt, kw.pop("var"), **kw)
        return f(input=inp, target=tgt, **kw) if keyword else f(inp, tgt, **kw)

    return fn, [x, target], kwargs, f"F.{name}({_d(x)}, {_d(target)}, {_kw(kwargs)})"


LAYERS = [
    ("Linear", (3, 2), (None, 3)), ("Linear", (3, 2, False), (None, 3)),
    ("Bilinear", (2, 3, 1), None), ("Conv1d", (2, 3, 2), (None, 2, 4)),
    ("Conv2d", (1, 2, 3), (None, 1, 4, 4)), ("Conv2d", (1, 2, 2), (None, 1, 1, 5)),
    ("MaxPool1d", (2,), (None, 2, 5)), ("AvgPool2d", (2,), (None, 1, 3, 3)),
    ("BatchNorm1d", (3,), (None, 3)), ("LayerNorm", (3,), (None, 3)),
    ("GroupNorm", (1, 2), (None, 2, 3)), ("Embedding", (5, 2), (None, 2)),
    ("Embedding", (5, 2, 0), (None,)), ("EmbeddingBag", (5, 2), (None, 2)),
    ("Flatten", (), (None, 2, 3)), ("Unflatten", (1, (2, 2)), (None, 4)),
    ("PixelShuffle", (2,), (None, 4, 1, 2)), ("Upsample", (None, 2), (None, 1, 2)),
    ("RNN", (2, 3), (None, 4, 2)), ("GRU", (2, 3, 1, True, True), (None, 4, 2)),
    ("LSTM", (2, 3), (None, 1, 2)), ("InstanceNorm1d", (2,), (None, 2, 3)),
    ("AdaptiveAvgPool1d", (2,), (None, 1, 5)), ("Softmax2d", (), (None, 2, 2, 2)),
    ("PReLU", (), (None, 3)), ("Identity", (), (None, 3)), ("CosineSimilarity", (), None),
    ("PairwiseDistance", (), None), ("ConstantPad1d", (1, 2.5), (None, 2, 2)),
    ("ZeroPad2d", (1,), (None, 1, 2, 2)), ("ChannelShuffle", (2,), (None, 4, 1, 1)),
]  # fmt: skip


def layer_case(rng: np.random.Generator):
    """A layer built the same way in both, weights copied from torch's; then a forward on an
    input whose batch, rank, dtype or layout is hostile."""
    name, config, shape = LAYERS[int(rng.integers(len(LAYERS)))]
    batch = int(rng.choice([0, 1, 2]))
    integer_input = name.startswith("Embedding")
    dtypes = ["int64", "int32", "float32"] if integer_input else FLOATISH
    if shape is None:  # two-input layers
        shape = (None, 2) if name != "Bilinear" else (None, 2)
    full = tuple(batch if s is None else s for s in shape)
    if rng.integers(5) == 0:  # the wrong rank: the unbatched form, or one dim too many
        full = full[1:] if rng.integers(2) else (1,) + full
    values = draw_values(rng, full, str(rng.choice(dtypes)), "plain")
    if integer_input:
        values = np.abs(values) % (6 if rng.integers(6) == 0 else 5)
    x = Arg(values, str(rng.choice(["plain", "transposed", "strided"])))
    second = None
    if name in ("Bilinear", "CosineSimilarity", "PairwiseDistance"):
        other = full[:-1] + ((3,) if name == "Bilinear" else full[-1:])
        second = Arg(draw_values(rng, other, values.dtype.name, "plain"))
    train = bool(rng.integers(2))

    def fn(lib, inp, other=None):
        lib.manual_seed(0)
        layer = getattr(lib.nn, name)(*config)
        _copy_weights(lib, layer)
        layer.train(train)
        out = layer(inp) if other is None else layer(inp, other)
        return out[0] if name in ("RNN", "GRU", "LSTM") else out

    args = [x] if second is None else [x, second]
    return fn, args, {}, f"nn.{name}{config}({_d(x)}, train={train})"


def _copy_weights(lib, layer) -> None:
    """torch's and chainrule's initialisers draw differently: set every parameter to fixed
    values (a function of its shape), so both layers hold the same weights."""
    for p in layer.parameters():
        n = int(np.prod(p.shape, dtype=np.int64))
        values = (np.arange(n) % 7 - 3).reshape(tuple(p.shape)) / 5.0
        with lib.no_grad():
            p.copy_(lib.tensor(values.astype(str(p.dtype).replace("torch.", ""))))


def _d(value) -> str:
    if isinstance(value, Arg):
        return f"{value.values.dtype}{list(value.values.shape)}:{value.layout}"
    return repr(value)


def _kw(kwargs: dict) -> str:
    return ", ".join(f"{k}={_d(v)}" for k, v in kwargs.items())


FAMILIES = {"functional": functional_case, "loss": loss_case, "layer": layer_case}
