"""Converters for the elementwise, arithmetic, reduction and activation Functions a trace meets.

Each reads its inputs' ONNX names with ``graph.value`` and names its nodes after
``graph.scope`` (the module path and op name), so a graph reads like the forward it came from.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
from onnx import helper

from . import activations
from .graph import GraphBuilder, op_converter

_UNARY = {
    "Neg": "Neg",
    "Exp": "Exp",
    "Log": "Log",
    "Sqrt": "Sqrt",
    "RootOfSpread": "Sqrt",
    "Abs": "Abs",
    "Sigmoid": "Sigmoid",
    "Tanh": "Tanh",
    "ReLU": "Relu",
    "Erf": "Erf",
    "Sin": "Sin",
    "Cos": "Cos",
    "Tan": "Tan",
    "Asin": "Asin",
    "Acos": "Acos",
    "Atan": "Atan",
    "Sinh": "Sinh",
    "Cosh": "Cosh",
    "Clone": "Identity",
    "Hardswish": "HardSwish",
}
_BINARY = {
    "Add": "Add",
    "Sub": "Sub",
    "Mul": "Mul",
    "Div": "Div",
    "Pow": "Pow",
    "Maximum": "Max",
    "Minimum": "Min",
    "MatMul": "MatMul",
}


@op_converter(*_UNARY)
def unary(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    return graph.node(_UNARY[type(ctx).__name__], [graph.value(arrays[0])], graph.scope)


@op_converter(*_BINARY)
def binary(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    names = [graph.value(a) for a in arrays[:2]]
    return graph.node(_BINARY[type(ctx).__name__], names, graph.scope)


@op_converter("Hardsigmoid")
def hardsigmoid(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """torch's relu6(x + 3) / 6 is ONNX's max(0, min(1, x/6 + 1/2))."""
    return graph.node(
        "HardSigmoid", [graph.value(arrays[0])], graph.scope, alpha=1.0 / 6.0, beta=0.5
    )


@op_converter("PowScalar")
def pow_scalar(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    x = graph.value(arrays[0])
    exponent = config.get("exponent", arrays[1] if len(arrays) > 1 else None)
    if np.ndim(exponent) == 0 and float(exponent) == 2.0:  # x * x, as NumPy computes x ** 2
        return graph.node("Mul", [x, x], graph.scope)
    power = graph.value(exponent) if isinstance(exponent, np.ndarray) else None
    if power is None:
        power = graph.constant(exponent, out.dtype, f"{graph.scope}/exponent")
    return graph.node("Pow", [x, power], graph.scope)


@op_converter("Expm1")
def expm1(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    exp = graph.node("Exp", [graph.value(arrays[0])], f"{graph.scope}/exp")
    return graph.node("Sub", [exp, graph.constant(1, out.dtype, f"{graph.scope}/one")], graph.scope)


@op_converter("Cast")
def cast(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    to = helper.np_dtype_to_tensor_dtype(out.dtype)
    return graph.node("Cast", [graph.value(arrays[0])], graph.scope, to=to)


@op_converter("LeakyReLU")
def leaky_relu(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    slope = float(config["negative_slope"])
    return graph.node("LeakyRelu", [graph.value(arrays[0])], graph.scope, alpha=slope)


@op_converter("ELU")
def elu(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    return graph.node("Elu", [graph.value(arrays[0])], graph.scope, alpha=float(config["alpha"]))


@op_converter("GELU")
def gelu(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    module = SimpleNamespace(approximate=config["approximate"])
    return activations.gelu(graph, module, graph.scope, graph.value(arrays[0]), out)


@op_converter("Softplus")
def softplus(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    module = SimpleNamespace(beta=config["beta"], threshold=config["threshold"])
    return activations.softplus(graph, module, graph.scope, graph.value(arrays[0]), out)


@op_converter("Softmax", "LogSoftmax")
def softmax(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    axis = int(config["dim"])
    return graph.node(type(ctx).__name__, [graph.value(arrays[0])], graph.scope, axis=axis)


@op_converter("ScaledELU")
def scaled_elu(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """SELU is ONNX's Selu; CELU (input scaled by 1/alpha) is its Celu."""
    x, alpha = graph.value(arrays[0]), float(config["alpha"])
    scale, input_scale = float(config["scale"]), float(config["input_scale"])
    if input_scale == 1.0:
        return graph.node("Selu", [x], graph.scope, alpha=alpha, gamma=scale)
    return graph.node("Celu", [x], graph.scope, alpha=alpha)


@op_converter("PReLU")
def prelu(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    x, weight = arrays[0], arrays[1]
    shape = (weight.size,) + (1,) * (x.ndim - 2) if x.ndim >= 2 else weight.shape
    slope = graph.weight(np.reshape(weight, shape), f"{graph.scope}/slope")
    return graph.node("PRelu", [graph.value(x), slope], graph.scope)


@op_converter("Shrink")
def shrink(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """Hardshrink, Softshrink and Threshold: ``value`` on [low, high], else x moved towards 0."""
    scope, dtype = graph.scope, out.dtype
    x = graph.value(arrays[0])
    low = graph.node(
        "GreaterOrEqual",
        [x, graph.constant(config["low"], dtype, f"{scope}/low")],
        f"{scope}/above",
    )
    high = graph.node(
        "LessOrEqual", [x, graph.constant(config["high"], dtype, f"{scope}/high")], f"{scope}/below"
    )
    keep = graph.node("Not", [graph.node("And", [low, high], f"{scope}/inside")], f"{scope}/keep")
    moved = x
    if config["shrink"]:
        step = graph.node(
            "Mul",
            [
                graph.node("Sign", [x], f"{scope}/sign"),
                graph.constant(config["shrink"], dtype, f"{scope}/shrink"),
            ],
            f"{scope}/step",
        )
        moved = graph.node("Sub", [x, step], f"{scope}/moved")
    value = graph.constant(config["value"], dtype, f"{scope}/value")
    return graph.node("Where", [keep, moved, value], scope)


@op_converter("Clip")
def clip(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """Max and Min rather than Clip: a bound may be a tensor, which Clip does not take."""
    y = graph.value(arrays[0])
    for bound, op in ((config.get("low"), "Max"), (config.get("high"), "Min")):
        if bound is not None:
            name = (
                graph.value(np.asarray(bound, out.dtype))
                if not graph.traced(bound)
                else graph.value(bound)
            )
            y = graph.node(op, [y, name], f"{graph.scope}/{op.lower()}")
    return y


@op_converter("Where")
def where(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    condition = config["condition"]
    if not graph.traced(condition):
        condition = np.asarray(condition, dtype=bool)
        if not condition.any() and arrays[1].shape == out.shape:
            # a constant mask that picks nothing (attention's fully-masked rows, when none
            # is): the input itself, so the mask's example shape does not freeze the batch
            return graph.node("Identity", [graph.value(arrays[1])], graph.scope)
    names = [graph.value(condition, f"{graph.scope}/condition")]
    return graph.node("Where", names + [graph.value(a) for a in arrays[:2]], graph.scope)


@op_converter("Sum", "Mean", "Max", "Min")
def reduce(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """ReduceSum takes its axes as an input from opset 13, the others from opset 18."""
    op = "Reduce" + type(ctx).__name__
    axes, keep = config.get("axes"), int(bool(config.get("keepdim", False)))
    inputs = [graph.value(arrays[0])]
    attributes: dict[str, Any] = {"keepdims": keep}
    if axes is not None:
        axes = [int(a) for a in (axes if isinstance(axes, (tuple, list)) else (axes,))]
        if op == "ReduceSum" or graph.opset >= 18:
            inputs.append(graph.ints(axes, f"{graph.scope}/axes"))
        else:
            attributes["axes"] = axes
    return graph.node(op, inputs, graph.scope, **attributes)


@op_converter("Linear")
def linear(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """F.linear: Gemm on a batch of rows, else MatMul against W^T and a broadcast bias."""
    x, weight = arrays[0], arrays[1]
    bias = arrays[2] if len(arrays) > 2 else config.get("bias")
    if x.ndim == 2:
        inputs = [graph.value(x), graph.value(weight)]
        if bias is not None:
            inputs.append(graph.value(bias))
        return graph.node("Gemm", inputs, graph.scope, transB=1)
    weight_t = graph.node(
        "Transpose", [graph.value(weight)], f"{graph.scope}/weight_t", perm=[1, 0]
    )
    product = graph.node("MatMul", [graph.value(x), weight_t], f"{graph.scope}/matmul")
    if bias is None:
        return product
    return graph.node("Add", [product, graph.value(bias)], graph.scope)


@op_converter("Einsum")
def einsum(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    equation = f"{','.join(config['subscripts'])}->{config['output']}"
    return graph.node("Einsum", [graph.value(a) for a in arrays], graph.scope, equation=equation)


@op_converter("Normalize")
def normalize(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: Any) -> str:
    """(x - mean) / sqrt(var + eps) over ``axes`` (batch statistics, or the fixed ones), then
    the affine weight and bias: GroupNorm, InstanceNorm and the norms that share Normalize."""
    scope, dtype = graph.scope, out.dtype
    x = graph.value(arrays[0])
    axes = [int(a) for a in config["axes"]]
    if config.get("fixed_mean") is None:
        mean = _reduce_mean(graph, x, axes, f"{scope}/mean")
        centred = graph.node("Sub", [x, mean], f"{scope}/centred")
        square = graph.node("Mul", [centred, centred], f"{scope}/square")
        var = _reduce_mean(graph, square, axes, f"{scope}/var")
    else:
        centred = graph.node("Sub", [x, graph.value(config["fixed_mean"])], f"{scope}/centred")
        var = graph.value(config["fixed_var"])
    eps = graph.constant(config["eps"], dtype, f"{scope}/eps")
    std = graph.node("Sqrt", [graph.node("Add", [var, eps], f"{scope}/var_eps")], f"{scope}/std")
    y = graph.node("Div", [centred, std], f"{scope}/x_hat")
    shape = config.get("param_shape")
    for array, op in (
        (arrays[1] if len(arrays) > 1 else None, "Mul"),
        (arrays[2] if len(arrays) > 2 else None, "Add"),
    ):
        if array is not None:
            shaped = graph.weight(np.reshape(array, shape), f"{scope}/{op.lower()}")
            y = graph.node(op, [y, shaped], f"{scope}/{op.lower()}")
    return y


def _reduce_mean(graph: GraphBuilder, x: str, axes: list[int], hint: str) -> str:
    if graph.opset >= 18:
        return graph.node("ReduceMean", [x, graph.ints(axes, f"{hint}/axes")], hint, keepdims=1)
    return graph.node("ReduceMean", [x], hint, axes=axes, keepdims=1)
