"""Module backward hooks, torch's ``register_full_backward_pre_hook`` and
``register_full_backward_hook``, built as torch builds them (its BackwardHook): the module's
tensor inputs pass through one identity Function before forward and its outputs through another
after it. The output node's backward sees every grad_output at once (the pre-hooks may replace
them); the input node's backward sees every grad_input and calls the hooks with both, and a
tuple a hook returns replaces grad_input. Inputs that do not require grad give None, as in torch.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._checks import fail_dtype, fail_shape, message, shape_str
from ..autograd.function import Function
from ..autograd.grad_mode import _Mode
from ..autograd.tensor import Tensor
from ..errors import DTypeError
from ..higher.rules import rule


class _HookState:
    """One call's bookkeeping: where the tensors sit among the arguments, and grad_output."""

    def __init__(self, module: Any, hooks: Any) -> None:
        self.module, self.hooks = module, hooks
        self.n_inputs, self.input_index = 0, None
        self.n_outputs, self.output_index = 0, None
        self.grad_outputs: tuple | None = None
        # tensors that need no gradient, beside ones that do: torch hands the hooks zeros there
        self.zeros: dict[str, dict[int, Any]] = {"input": {}, "output": {}}


class _BackwardHook(Function):
    """Identity on a group of tensors, flattened into one array so one backward sees them all."""

    @staticmethod
    def forward(ctx: Any, *arrays: np.ndarray, state: _HookState, side: str) -> np.ndarray:
        ctx.shapes, ctx.state, ctx.side = [a.shape for a in arrays], state, side
        if len(arrays) == 1:
            return arrays[0].copy()
        return np.concatenate([a.reshape(-1) for a in arrays])

    @staticmethod
    def backward(ctx: Any, grad_y: np.ndarray) -> Any:
        grads, start = [], 0
        for shape in ctx.shapes:
            size = int(np.prod(shape, dtype=np.int64))
            grads.append(
                grad_y if len(ctx.shapes) == 1 else grad_y[start : start + size].reshape(shape)
            )
            start += size
        wrapped = tuple(Tensor._wrap(g) for g in grads)
        if ctx.side == "output":
            wrapped = _on_outputs(ctx.state, wrapped)
        else:
            wrapped = _on_inputs(ctx.state, wrapped)
        arrays = tuple(None if g is None else np.asarray(g) for g in wrapped)
        return arrays[0] if len(arrays) == 1 else arrays


@rule(_BackwardHook)
def _hooked(ctx: Any, out: Tensor, grad: Tensor) -> tuple:
    """create_graph=True's form of the backward above: the hooks see, and may replace, Tensors
    with a graph, as torch's do (registered here: higher/ cannot import nn)."""
    pieces, start = [], 0
    for shape in ctx.shapes:
        size = int(np.prod(shape, dtype=np.int64))
        pieces.append(grad if len(ctx.shapes) == 1 else grad[start : start + size].reshape(shape))
        start += size
    return (_on_outputs if ctx.side == "output" else _on_inputs)(ctx.state, tuple(pieces))


def _pack(indices: list[int], values: tuple, size: int, zeros: dict[int, Any]) -> tuple:
    packed: list[Any] = [None] * size
    for index, tensor in zeros.items():
        packed[index] = Tensor._wrap(np.zeros(tensor.shape, tensor.dtype))
    for index, value in zip(indices, values):
        packed[index] = value
    return tuple(packed)


def _on_outputs(state: _HookState, grads: tuple) -> tuple:
    state.grad_outputs = _pack(state.output_index, grads, state.n_outputs, state.zeros["output"])
    for hook in list(state.hooks.backward_pre):
        replaced = hook(state.module, state.grad_outputs)
        if replaced is None:
            continue
        if len(replaced) != len(state.grad_outputs):
            raise RuntimeError(
                f"Backward pre hook returned an invalid number of grad_output, got "
                f"{len(replaced)}, but expected {len(state.grad_outputs)}"
            )
        state.grad_outputs = _same_layout(hook, tuple(replaced), state.grad_outputs)
    local = state.grad_outputs
    if state.input_index is None:
        warnings.warn(
            "Full backward hook is firing when gradients are computed with respect to module "
            "outputs since no inputs require gradients.",
            UserWarning,
            stacklevel=2,
        )
        none_inputs = (None,) * state.n_inputs
        for hook in list(state.hooks.backward):
            result = hook(state.module, none_inputs, state.grad_outputs)
            if result is not None and not all(r is None for r in result):
                raise RuntimeError(
                    "Backward hook for Modules where no input requires gradient should always "
                    "return None or None for all gradients."
                )
        state.grad_outputs = None
    return tuple(local[i] for i in state.output_index)


def _same_layout(hook: Any, replaced: tuple, given: tuple) -> tuple:
    """torch's check on what a hook returns: each gradient keeps the shape and dtype it was
    handed, or a (5, 5) array would become the .grad of a (4, 3) input."""
    who = f"backward hook {getattr(hook, '__name__', type(hook).__name__)!r}"
    for new, old in zip(replaced, given):
        if new is None or old is None:
            continue
        if not isinstance(new, Tensor):
            raise TypeError(message(who, "a Tensor or None for each gradient", type(new).__name__))
        if tuple(new.shape) != tuple(old.shape):
            fail_shape(
                who,
                f"a gradient of shape {shape_str(tuple(old.shape))}",
                shape_str(tuple(new.shape)),
            )
        if new.dtype != old.dtype:
            fail_dtype(who, f"a gradient of dtype {old.dtype}", f"dtype {new.dtype}")
    return replaced


def _on_inputs(state: _HookState, grads: tuple) -> tuple:
    if state.grad_outputs is None:
        return grads
    grad_inputs = _pack(state.input_index, grads, state.n_inputs, state.zeros["input"])
    for hook in list(state.hooks.backward):
        result = hook(state.module, grad_inputs, state.grad_outputs)
        if result is None:
            continue
        if len(result) != len(grad_inputs):
            raise RuntimeError(
                f"Backward hook returned an invalid number of grad_input, got {len(result)}, "
                f"but expected {len(grad_inputs)}"
            )
        grad_inputs = _same_layout(hook, tuple(result), grad_inputs)
    state.grad_outputs = None
    return tuple(grad_inputs[i] for i in state.input_index)


def _through(values: tuple, state: _HookState, side: str) -> tuple[tuple, list[int] | None]:
    """``values`` with the tensors that require grad replaced by the identity node's outputs."""
    index = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
    if not index or not _Mode.grad_enabled:
        return values, None
    tensors = [values[i] for i in index]
    state.zeros[side] = {
        i: v for i, v in enumerate(values) if isinstance(v, Tensor) and not v.requires_grad
    }
    if len({t.dtype for t in tensors}) > 1:
        raise DTypeError(
            f"{type(state.module).__name__} backward hook: expected {side} tensors of one dtype, "
            f"got {', '.join(str(t.dtype) for t in tensors)}."
        )
    joined = _BackwardHook.apply(*tensors, state=state, side=side)
    replaced, start = list(values), 0
    for i, tensor in zip(index, tensors):
        if len(tensors) == 1:
            replaced[i] = joined
        else:
            replaced[i] = joined[start : start + tensor.numel()].reshape(tensor.shape)
            start += tensor.numel()
    return tuple(replaced), index


def setup_inputs(module: Any, hooks: Any, args: tuple) -> tuple[tuple, _HookState]:
    state = _HookState(module, hooks)
    args, state.input_index = _through(tuple(args), state, "input")
    state.n_inputs = len(args)
    return args, state


def setup_outputs(state: _HookState, output: Any) -> Any:
    single = not isinstance(output, tuple)
    outputs = (output,) if single else output
    outputs, state.output_index = _through(outputs, state, "output")
    state.n_outputs = len(outputs)
    return outputs[0] if single else outputs
