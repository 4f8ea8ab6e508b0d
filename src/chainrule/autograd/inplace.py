"""In-place ops (``add_``, ``-=``, ``zero_``, ``x[i] = v``, ...) with torch's rules.

Outside the graph (under ``no_grad``, or on tensors that need no gradient) the result is
written into the tensor's own memory, so ``p -= lr * p.grad`` updates the parameter that
the optimizer and the model share. Inside the graph:

- a leaf that requires grad may not be modified (torch raises too): that would change the
  value autograd differentiates with respect to;
- any other tensor is recorded as the out-of-place op on its old value, and the tensor
  takes the result (its storage is replaced, so NumPy views of the old array do not see it).

Every in-place write bumps the tensor's version; backward refuses a Function whose saved inputs
changed since (torch's version counter); others keep the history they saw (inplace_history.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_fits, check_tensor, shape_str
from ..cpugraph.capture import record_call
from ..dtypes import in_place_casting
from ..errors import DTypeError, GraphError, ShapeError
from ..inplace_history import remember
from ..view_positions import MultiOutput, element_positions, read_only
from ..random import as_generator
from .grad_mode import _Mode
from .hooks import RETAIN

F: Any = None  # chainrule.functional, bound by tensor.py (see there)


def modify(target: Any, who: str, compute: Any, *args: Any) -> Any:
    """Make ``target`` hold ``compute(target, *args)`` in its own memory, recording the step
    when autograd needs it."""
    if _Mode.grad_enabled and (
        target.requires_grad or any(getattr(a, "requires_grad", False) for a in args)
    ):
        return _recorded(target, who, compute, args)
    result = compute(target, *args)
    _same_shape(who, target, result._data)
    write(who, target, result._data)
    target._vc[0] += 1
    return target


def _recorded(target: Any, who: str, compute: Any, args: tuple) -> Any:
    """The in-place op as the out-of-place op on a copy of the old value, written back into
    the tensor's memory. A view is changed through its base (base[index] = op(base[index])),
    so the base's graph sees the change too, as torch's views do."""
    if target._view_of is not None:
        base, index = target._view_of
        if isinstance(index, MultiOutput) or not target._data.flags.writeable:
            raise index.refuse(who) if isinstance(index, MultiOutput) else read_only(who, target)
        flat = index is None  # reshaped or transposed: its elements by position in the base
        if flat and (index := element_positions(base._data, target._data)) is None:
            raise GraphError(
                f"{who}: expected a view whose elements are elements of its base, got a view "
                f"of shape {shape_str(target.shape)} of a tensor in the graph that is not.\nHint: "
                f"use the out-of-place op (y = y * 2) on this view, or modify the original tensor."
            )

        def through_base(b: Any, *rest: Any) -> Any:
            whole = b.reshape(-1) if flat else b
            view = F.getitem(whole, index)
            new = F.setitem(
                whole, index, compute(view, *[view if a is target else a for a in rest])
            )
            return new.reshape(b.shape) if flat else new

        modify(base, who, through_base, *args)
        fresh = F.getitem(base.reshape(-1) if flat else base, index)  # the view, from the new base
        target._ctx, target._rg = fresh._ctx, fresh._rg
        return target
    if target._ctx is None and target.requires_grad:
        raise GraphError(
            f"{who}: expected a tensor that does not require grad (or no_grad()), got a leaf "
            f"that requires grad.\nHint: update parameters inside `with chainrule.no_grad():`, "
            f"as optimizers do, or work on a copy (x = x + y)."
        )
    # recorded: a CPUGraph replay copies each batch's value, not the first one's
    old = target._wrap(record_call(np.ndarray.copy, target._data), target.requires_grad)
    old._ctx = target._ctx
    remember(target, old)
    if target._hooks is not None:  # torch: a hook registered before the write sees the old
        hooks = target._hooks  # value's gradient; retain_grad moves on to the new one
        target._hooks = [RETAIN] if RETAIN in hooks else None
        hooks[:] = [h for h in hooks if h is not RETAIN]  # the same list: handles still work
        old._hooks = hooks
    # x.mul_(x) means the old x on both sides
    result = compute(old, *[old if a is target else a for a in args])
    _same_shape(who, target, result._data)
    write(who, target, result._data)
    target._ctx = result._ctx
    target._rg = result._rg
    target._vc[0] += 1
    return target


def write(who: str, target: Any, values: np.ndarray) -> None:
    """Copy ``values`` into the target's memory under torch's casting rule (no float -> int)."""
    if _Mode.capture is not None:
        _Mode.capture.write(target._data, values)
    try:
        np.copyto(target._data, values, casting=in_place_casting(target._data.dtype, values))
    except TypeError:
        raise DTypeError(
            f"{who}: expected a result that fits the tensor's dtype {target._data.dtype}, got "
            f"{np.asarray(values).dtype}.\nHint: convert first, e.g. x = x.float()."
        ) from None
    except ValueError:  # read-only memory, e.g. an expand() view
        raise read_only(who, target) from None


def _same_shape(who: str, target: Any, values: np.ndarray) -> None:
    if values.shape != target._data.shape:
        raise ShapeError(
            f"{who}: expected a result of the tensor's own shape {shape_str(target._data.shape)}, "
            f"got {shape_str(values.shape)} after broadcasting.\nHint: an in-place op cannot "
            f"change a tensor's shape; use the out-of-place form (x = x + y)."
        )


def _broadcast_as(values: Any, shape: tuple, dtype: Any) -> np.ndarray:
    return np.broadcast_to(values, shape).astype(dtype)


def _refuse_leaf(who: str, target: Any, replayable: bool = False) -> None:
    if _Mode.capture is not None and who != "fill_" and not replayable:  # a constant fill replays
        # values from outside the step (a new batch, a fresh draw) would be frozen at capture
        raise GraphError(
            f"{who}: expected no {who} inside a CPUGraph capture, got one.\nHint: copy new "
            f"inputs into the static tensors before g.replay(), outside `with chainrule.graph(g):`."
        )
    if _Mode.grad_enabled and target._ctx is None and target.requires_grad:
        raise GraphError(
            f"{who}: expected a tensor that does not require grad (or no_grad()), got a leaf that "
            f"requires grad.\nHint: initialise parameters inside `with chainrule.no_grad():` "
            f"(nn.init does), or through .data."
        )


class InPlaceOps:
    """torch.Tensor's in-place methods; mixed into Tensor."""

    __slots__ = ()

    def add_(self, other: Any, *, alpha: Any = 1):
        return modify(self, "add_", F.add, F.alpha_times("add_", self, other, alpha))

    def sub_(self, other: Any, *, alpha: Any = 1):
        return modify(self, "sub_", F.sub, F.alpha_times("sub_", self, other, alpha))

    def lerp_(self, end: Any, weight: Any):
        return modify(self, "lerp_", lambda x, e: x.lerp(e, weight), end)

    def mul_(self, other: Any):
        return modify(self, "mul_", F.mul, other)

    def div_(self, other: Any):
        return modify(self, "div_", F.div, other)

    def pow_(self, exponent: Any):
        return modify(self, "pow_", F.pow, exponent)

    def neg_(self):
        return modify(self, "neg_", F.neg)

    def abs_(self):
        return modify(self, "abs_", F.abs)

    def sqrt_(self):
        return modify(self, "sqrt_", F.sqrt)

    def exp_(self):
        return modify(self, "exp_", F.exp)

    def log_(self):
        return modify(self, "log_", F.log)

    def relu_(self):
        return modify(self, "relu_", F.relu)

    def sigmoid_(self):
        return modify(self, "sigmoid_", F.sigmoid)

    def tanh_(self):
        return modify(self, "tanh_", F.tanh)

    def clamp_(self, min: Any = None, max: Any = None):  # noqa: A002
        return modify(self, "clamp_", lambda x: F.clip(x, min, max))

    clip_ = clamp_

    def masked_fill_(self, mask: Any, value: Any):
        return modify(self, "masked_fill_", lambda x: F.masked_fill(x, mask, value, "masked_fill_"))

    __iadd__, __isub__, __imul__, __itruediv__, __ipow__ = add_, sub_, mul_, div_, pow_

    def __ifloordiv__(self, other: Any):
        return modify(self, "__ifloordiv__", lambda x, o: x // o, other)

    def __imod__(self, other: Any):
        return modify(self, "__imod__", lambda x, o: x % o, other)

    def __iand__(self, other: Any):
        return modify(self, "__iand__", lambda x, o: x & o, other)

    def __ior__(self, other: Any):
        return modify(self, "__ior__", lambda x, o: x | o, other)

    def __ixor__(self, other: Any):
        return modify(self, "__ixor__", lambda x, o: x ^ o, other)

    def __setitem__(self, index: Any, value: Any) -> None:
        modify(self, "__setitem__", lambda x, v: F.setitem(x, index, v), value)

    # --- fills: no gradient flows from the old values ------------------------------------
    def zero_(self):
        return self.fill_(0)

    def fill_(self, value: Any):
        _refuse_leaf("fill_", self)
        if getattr(value, "ndim", 0) != 0:
            raise ShapeError(
                f"fill_: expected a number or a 0-d tensor, got a tensor of shape "
                f"{shape_str(value.shape)}.\nHint: use copy_ to copy a tensor in."
            )
        if _Mode.grad_enabled and getattr(value, "requires_grad", False):
            return modify(self, "fill_", lambda x, v: F.expand(v.to(x.dtype), *x.shape), value)
        if not hasattr(value, "_data"):  # a Python number torch would refuse: 300 into uint8
            value = check_fits("fill_", value, self._data.dtype)
        return _fill(self, "fill_", np.asarray(getattr(value, "_data", value)))

    def copy_(self, src: Any, non_blocking: bool = False):
        """Copy src's values in (broadcast, cast to this dtype); the gradient flows to src."""
        data, values = self._data, getattr(src, "_data", src)
        if (  # a new batch into a static input: one copy, none of the checks below can fail
            type(values) is np.ndarray
            and values.shape == data.shape
            and values.dtype is data.dtype
            and not self.requires_grad
            and not getattr(src, "requires_grad", False)
            and _Mode.capture is None
        ):
            data[...] = values
            self._vc[0] += 1
            return self
        check_tensor("copy_", src, "src")  # a list or a number: torch's TypeError
        # inside a CPUGraph capture, a source the step computed (an EMA) or reads (a parameter:
        # a target network's hard update) is copied again on every replay; other data is refused
        computed = _Mode.capture is not None and _Mode.capture.produced(getattr(src, "_data", None))
        _refuse_leaf("copy_", self, replayable=computed)
        if _Mode.grad_enabled and getattr(src, "requires_grad", False):
            return modify(self, "copy_", lambda x, s: F.expand(s.to(x.dtype), *x.shape), src)
        values = src._data if hasattr(src, "_data") else np.asarray(src)
        try:
            values = record_call(_broadcast_as, values, self._data.shape, self._data.dtype)
        except ValueError:
            raise ShapeError(
                f"copy_: expected a source that broadcasts to "
                f"{shape_str(self._data.shape)}, got {shape_str(values.shape)}.\nHint: a "
                f"CPUGraph's static input keeps the shape it was captured with: capture one "
                f"graph per batch shape (the last, shorter batch too), or drop that batch."
            ) from None
        return _fill(self, "copy_", values)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None):
        _refuse_leaf("uniform_", self)
        return _fill(self, "uniform_", as_generator(generator).uniform(a, b, self._data.shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None):
        _refuse_leaf("normal_", self)
        return _fill(self, "normal_", as_generator(generator).normal(mean, std, self._data.shape))


def _fill(target: Any, who: str, values: np.ndarray) -> Any:
    """Overwrite every element. On a computed tensor in the graph this is recorded (its old
    value gets a zero gradient, as in torch); elsewhere the memory is written directly."""
    # recorded, so a CPUGraph replay rereads a 0-d tensor's value (a number stays a number)
    values = record_call(_cast, values, target._data.dtype)
    if _Mode.grad_enabled and target.requires_grad:
        everywhere = np.ones(target._data.shape, dtype=bool)
        return modify(target, who, lambda x: F.where(everywhere, values, x))
    write(who, target, values)
    target._vc[0] += 1
    return target


def _cast(values: Any, dtype: np.dtype) -> np.ndarray:
    return np.asarray(values).astype(dtype, copy=False)
