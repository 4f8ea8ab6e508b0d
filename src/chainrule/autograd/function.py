"""Function: the one place a derivative is written.

A subclass gives a static ``forward(ctx, *arrays, **config)`` that returns an ndarray
and a static ``backward(ctx, grad_y)`` right under it that returns one gradient per
array input (None where it has none). ``ctx`` is the Function instance: ``ctx.save``
keeps what backward needs, ``ctx.needs_input_grad`` says which gradients are wanted.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np

from ..dtypes import number_as, promote
from ..errors import AnomalyError, NotATensorError
from .grad_mode import _Mode


_next_seq = itertools.count().__next__
NO_CONFIG: dict = {}  # read only: _apply's config for a call that passes forward no keyword
_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)

# What the engine sets as a ctx's versions once backward has dropped what forward saved: a pair
# that is never current, so the engine's one version test per node also catches a second pass
# through a freed graph (backward_checks.modified sends it on to backward_checks.freed).
FREED = (([1], 0),)


class Function:
    """Base of every differentiable op; its instance is the ``ctx`` a forward and backward share.

    >>> import numpy as np, chainrule as cr
    >>> class Square(cr.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save(x=x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad_y):
    ...         return grad_y * 2 * ctx.x
    >>> x = cr.tensor([3.0], requires_grad=True)
    >>> Square.apply(x).sum().backward()
    >>> x.grad
    tensor([6.])
    """

    needs_input_grad: tuple[bool, ...]
    inputs: tuple
    seq = 0  # creation order, set when recorded; a released ctx falls back to 0 (then raises)
    # Ops that mean something on integers (arithmetic, indexing, reductions) keep integer dtypes;
    # the rest (exp, sigmoid, ...) compute integers in the default float dtype, as torch does.
    integer_ok = False
    # True where backward reads forward's result (exp, sigmoid, ...): overwriting that
    # result in place then invalidates the graph, as in torch.
    saves_output = False
    # The name errors use, as the user calls the op (``matmul``); by default the class's, snaked.
    op: str | None = None
    # The engine checks what backward returns (a gradient per input, of its shape) for a user's
    # Function, naming the bug; chainrule's own, held to torch by the tests, skip it (5% of an
    # elementwise op, bench/RESULTS.md). detect_anomaly checks every Function.
    check_grads = True
    tensor_level = False  # torch's form (autograd.Function) checks in its own backward wrapper
    # A CPUGraph replays the op as these bare NumPy calls, where the class gives them: a
    # staticmethod (ctx, arrays, config, out) -> list of calls or None (bench/RESULTS.md).
    replay_calls: Any = None
    # And its backward as bare calls: (ctx, grad_y, grads eager returned) -> (calls, arrays
    # that hold each gradient after them) or None (chainrule/cpugraph/backward.py).
    replay_backward: Any = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.check_grads = not cls.__module__.startswith("chainrule.")
        if cls.check_grads and "backward" in cls.__dict__ and not cls.tensor_level:
            written = cls.__dict__["backward"]
            cls.backward = staticmethod(_checked(getattr(written, "__func__", written)))
        # a subclass that writes its own forward or backward replays them, not its parent's
        if "forward" in cls.__dict__ and "replay_calls" not in cls.__dict__:
            cls.replay_calls = None
        if "backward" in cls.__dict__ and "replay_backward" not in cls.__dict__:
            cls.replay_backward = None

    @property
    def freed(self) -> bool:
        """True once backward has run and dropped what forward saved (unless retain_graph).

        Read from the engine's mark rather than stored beside it: one dict store less per node
        was 1% of the callgrind chain (bench/RESULTS.md). A CPUGraph capture puts the saved
        arrays back for its replays (``inputs`` with them), and then the ctx is not freed."""
        saved = self.__dict__
        return saved.get("versions") is FREED and "inputs" not in saved

    @classmethod
    def op_name(cls) -> str:
        """How errors name this op: ``op`` if the class sets it, else its name in snake_case."""
        return cls.op or _snake(cls.__name__)

    def save(self, **arrays: Any) -> None:
        """Keep what backward needs, till it runs (retain_graph keeps it); ``ctx.x = x`` is the same."""
        self.__dict__.update(arrays)

    @staticmethod
    def forward(ctx: Function, *arrays: np.ndarray, **config: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Function, grad_y: np.ndarray) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **config: Any):
        """Run forward on the arrays behind ``args`` and record the step if a gradient is needed."""
        return _apply(cls, args, config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward0>"

    def name(self) -> str:
        return f"{type(self).__name__}Backward0"


def _apply(cls: type[Function], args: tuple, config: dict) -> Any:
    """Function.apply's body; Tensor's operators call it directly (x * y is
    ``_apply(Mul, (x, y), _NO_CONFIG)``), which spares them the bound classmethod and the
    ``*args``/``**config`` packing (1.5% of the callgrind chain, bench/RESULTS.md)."""
    # The common cases, one or two float tensors of one dtype, are settled here without
    # _unwrap's general loop: on ten-element arrays that loop was a quarter of an op's cost.
    # (dtype identity is enough: NumPy hands out one descriptor per native float type.)
    # Two arrays, the commonest case, reach forward as first and second without a tuple around
    # them (1% of the callgrind chain, bench/RESULTS.md); any other number, as ``arrays``.
    first = arrays = None
    if len(args) == 2:
        a, b = args
        if isinstance(a, Tensor) and ((dtype := a._data.dtype) is _F32 or dtype is _F64):
            if isinstance(b, Tensor):
                if b._data.dtype is dtype:
                    first, second, inputs = a._data, b._data, args
                    needs = (a._rg, b._rg)
                    versions = [(a._vc, a._vc[0]), (b._vc, b._vc[0])]
            elif type(b) is float or type(b) is int:  # x * 2.0: the number as promote gives it
                second = np.asarray(b, dtype) if -3.4e38 < b < 3.4e38 else number_as(b, dtype)
                first, inputs = a._data, (a, None)
                needs = (a._rg, False)
                versions = [(a._vc, a._vc[0])]
    elif len(args) == 3:  # Linear with a bias: three tensors of one float dtype
        a, b, c = args
        if isinstance(a, Tensor) and isinstance(b, Tensor) and isinstance(c, Tensor):
            dtype = a._data.dtype
            if (dtype is _F32 or dtype is _F64) and b._data.dtype is c._data.dtype is dtype:
                arrays, inputs = (a._data, b._data, c._data), args
                needs = (a._rg, b._rg, c._rg)
                versions = [(a._vc, a._vc[0]), (b._vc, b._vc[0]), (c._vc, c._vc[0])]
    elif len(args) == 1:
        a = args[0]
        if isinstance(a, Tensor):
            dtype = a._data.dtype
            if dtype is _F32 or dtype is _F64:
                arrays, inputs, needs = (a._data,), args, (a._rg,)
                versions = [(a._vc, a._vc[0])]
    if first is None and arrays is None:
        arrays, inputs, needs = _unwrap(cls, args)
        # (a list comprehension is a function call in Python 3.11: the fast paths above
        # build theirs directly)
        versions = [(t._vc, t._vc[0]) for t in inputs if t is not None]
    ctx = cls()
    ctx.needs_input_grad = needs
    if arrays is None and not config:  # forward(*arrays) is a nested C eval loop in 3.11
        try:
            out = cls.forward(ctx, first, second)
        except RuntimeWarning:  # only when warnings are errors: see quietly
            out = quietly(cls.forward, ctx, first, second)
    else:
        if arrays is None:
            arrays = (first, second)
        try:
            out = cls.forward(ctx, *arrays, **config)
        except RuntimeWarning:
            out = quietly(cls.forward, ctx, *arrays, **config)
        first = arrays[0]
    if type(out) is not np.ndarray:  # NumPy gives scalars for 0-d results; keep arrays
        out = np.asanyarray(out)
    if _Mode.anomaly or _Mode.capture is not None:
        if arrays is None:
            arrays = (first, second)
        if _Mode.anomaly:
            _check_finite(cls.__name__, "forward", out, arrays)
        if _Mode.capture is not None:
            out = _Mode.capture.forward(cls, ctx, arrays, inputs, config, out)
    record = True in needs and _Mode.grad_enabled
    result = _new_tensor(Tensor)  # Tensor._wrap inlined: this is the hottest line
    result._data = out
    result._grad = None
    result._rg = record
    result._hooks = None
    base = out.base
    if (
        (base is not None or out is first)
        and inputs[0] is not None
        and (out is first or base is first or base is first.base)
    ):
        # a view of the first input (reshape, transpose, basic indexing): writes through
        # either one count for both, as torch's shared version counter does. This and the
        # (counter, version) pairs below cost 2% of the callgrind chain (bench/RESULTS.md):
        # the price of catching writes through views and saved outputs, which torch pays
        # too; CPUGraph replays skip it (see cpugraph/capture.py).
        result._vc = inputs[0]._vc
        result._view_of = (inputs[0], config.get("index"))
    else:
        result._vc = [0]
        result._view_of = None
    if record:
        ctx.seq = _next_seq()  # creation order: the engine runs backward newest first
        ctx.inputs = inputs
        # The version of every input, and of the output where backward reads it, when
        # recorded: backward refuses to run if one was overwritten since (autograd/inplace.py).
        ctx.versions = versions
        if cls.saves_output:
            versions.append((result._vc, result._vc[0]))
        result._ctx = ctx
    else:
        result._ctx = None
    return result


def quietly(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """fn again with NumPy's floating-point warnings off: inf - inf, 0 * inf, sin(inf) are NaN
    in torch, silently. Reached from ``except RuntimeWarning`` only when warnings are errors
    (pytest's, a user's simplefilter("error")); an errstate on every op would cost ~0.6 us."""
    with np.errstate(all="ignore"):
        return fn(*args, **kwargs)


def _unwrap(cls: type, args: tuple) -> tuple[list, Any, tuple[bool, ...]]:
    """Arrays for forward, the Tensor (or None) behind each, and which need a gradient.

    The common case (every argument a Tensor of one float dtype) needs no conversion; anything
    else goes through the dtype rule, dtypes.promote.
    """
    arrays = []
    needs = []
    uniform = True
    first = None
    for a in args:
        if isinstance(a, Tensor):
            needs.append(a._rg)
            data = a._data
            if uniform:
                if data.dtype.kind != "f":
                    uniform = False
                elif first is None:
                    first = data.dtype
                elif data.dtype != first:
                    uniform = False
            arrays.append(data)
        else:
            if type(a) in (list, tuple) and not cls.check_grads:  # torch: Tensor or number only
                _refuse_sequence(cls, a)
            needs.append(False)
            arrays.append(a)
            uniform = False
    if uniform:
        return arrays, args, tuple(needs)
    inputs = [a if isinstance(a, Tensor) else None for a in args]
    arrays = promote(cls.op_name(), arrays, [t is not None for t in inputs], cls.integer_ok)
    return arrays, inputs, tuple(needs)


def _refuse_sequence(cls: type, value: Any) -> None:
    raise NotATensorError(  # a TypeError, as torch's
        f"{cls.op_name()}: expected a Tensor or a number, got {type(value).__name__}.\n"
        f"Hint: wrap it: chainrule.tensor(...)."
    )


def _checked(backward: Any) -> Any:
    """A user's backward, followed by the engine's check of what it returns (backward_checks)."""

    def checked(ctx: Function, grad_y: np.ndarray) -> Any:
        grads = backward(ctx, grad_y)
        inputs = ctx.__dict__.get("inputs")
        if inputs is None:  # called by hand on a ctx apply did not record: nothing to check
            return grads
        from .backward_checks import gradients  # (imports Tensor, which builds on Function)

        single = type(grads) is not tuple
        grads = (grads,) if single else grads
        gradients(ctx, grads, False)
        # as torch (and chainrule's torch-style Function): each gradient in its input's dtype;
        # a read-only one copied, as it may become a .grad that later sums write into
        grads = tuple(
            g.astype(t._data.dtype)
            if t is not None
            and g is not None
            and (g.dtype != t._data.dtype or not g.flags.writeable)
            else g
            for g, t in zip(grads, inputs + (None,) * (len(grads) - len(inputs)))
        )
        return grads[0] if single else grads

    return checked


def _snake(name: str) -> str:
    """MSELoss -> mse_loss, LogSoftmax -> log_softmax: the name a user calls the op by."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a gradient back down to the shape its input had before broadcasting."""
    if grad.shape == shape:
        return grad
    axes = broadcast_axes(grad.shape, shape)
    summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return summed.reshape(shape)


def broadcast_axes(full: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of a ``full``-shaped gradient that broadcasting added to an input of ``shape``."""
    extra = len(full) - len(shape)
    kept = (i + extra for i, n in enumerate(shape) if n == 1 and full[i + extra] != 1)
    return tuple(range(extra)) + tuple(kept)


def _check_finite(who: str, stage: str, out: Any, arrays: Any) -> None:
    results = out if isinstance(out, tuple) else (out,)
    for r in results:
        if isinstance(r, np.ndarray) and r.dtype.kind == "f" and not np.isfinite(r).all():
            shapes = ", ".join(str(getattr(a, "shape", "scalar")) for a in arrays)
            bad = "NaN" if np.isnan(r).any() else "Inf"
            raise AnomalyError(
                f"detect_anomaly: {who}.{stage} produced {bad}; expected finite values, "
                f"got {bad} from inputs of shapes {shapes}."
            )


from .tensor import Tensor  # noqa: E402  (Tensor builds on Function; bound after both exist)

_new_tensor = Tensor.__new__
