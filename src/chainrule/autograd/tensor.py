"""Tensor: an ndarray plus what autograd needs (the gradient and the Function that made it)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

import numpy as np

from .._checks import PASSING_TYPES, check_tensor, shape_str
from ..dtypes import get_default_dtype, resolve_dtype
from ..errors import DTypeError, GraphError, ShapeError
from ..device import CPU, Device, check_device
from .grad_mode import _Mode
from . import hooks as tensor_hooks
from ..cpugraph.capture import record_call, refuse
from .inplace import InPlaceOps
from .tensor_methods import TensorMethods, check_axis
from .tensor_casts import TensorCasts
from .tensor_operators import TensorOperators
from .values import _NOTHING, Size, _to_array, constructed


class Tensor(InPlaceOps, TensorOperators, TensorMethods, TensorCasts):
    """An ndarray that records the Functions applied to it.

    ``.data`` and ``.grad`` are Tensors sharing memory with this one, as in torch; the
    ndarray itself is ``.numpy()`` (tensor_numpy.py; inside chainrule, the ``_data`` slot).

    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4., 6.])
    """

    # _grad holds an ndarray (or None) so the engine and optimizers work on arrays without
    # wrapping; .grad wraps it on access. _vc is a one-element list counting in-place writes
    # (torch's version counter), shared by a tensor, its views and detach(), so backward can
    # refuse a graph whose saved arrays were overwritten through any of them. _view_of is
    # (base, index) for a view made by indexing, (base, None) for other views.
    __slots__ = (
        "_data",
        "_grad",
        "_rg",  # requires_grad's value; the property checks writes, as torch (reads stay in C)
        "_ctx",
        "_vc",
        "_view_of",
        "_hooks",
        "_graph_grad",  # backward(create_graph=True)'s .grad with its graph (chainrule/higher)
        "_prior",  # {version: the history before an in-place step} (inplace_history.py)
        "__weakref__",
    )
    __array_priority__ = 1000

    _keeps_data = False  # Parameter, Buffer: data kept as given; Tensor(...) is torch's constructor

    def __init__(
        self,
        data: Any = _NOTHING,
        *sizes: Any,
        requires_grad: bool = False,
        dtype: Any = None,
        device: Any = None,
    ) -> None:
        if (
            type(data) is not np.ndarray
            or sizes
            or dtype is not None
            or device is not None
            or (not self._keeps_data and data.dtype != get_default_dtype())
        ):  # an array as it is: the hot path
            data = constructed(self._keeps_data, data, sizes, dtype, device)
        self._data = data
        self._grad = None
        self._ctx = None
        self._vc = [0]
        self._view_of = None
        self._hooks = None
        self._rg = False
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _of(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
        """chainrule's own constructor: data keeps its dtype (torch.tensor's rule, not Tensor's)."""
        if type(data) is not np.ndarray or dtype is not None:
            data = _to_array(data._data if isinstance(data, Tensor) else data, dtype)
        tensor = Tensor._wrap(data)
        return tensor.requires_grad_(True) if requires_grad else tensor

    @staticmethod
    def _wrap(array: np.ndarray, requires_grad: bool = False) -> Tensor:
        """A Tensor around an ndarray, skipping __init__'s conversions (the hot path)."""
        t = Tensor.__new__(Tensor)
        t._data = array
        t._grad = None
        t._rg = requires_grad
        t._ctx = None
        t._vc = [0]
        t._view_of = None
        t._hooks = None
        return t

    @property
    def _version(self) -> int:
        """How many in-place writes this tensor's memory has had (torch's ``_version``)."""
        return self._vc[0]

    @_version.setter
    def _version(self, value: int) -> None:
        self._vc[0] = value

    # --- data and grad, as torch exposes them -----------------------------------------
    @property
    def data(self) -> Tensor:
        """This tensor's values as a Tensor outside the graph, sharing memory (torch's .data)."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        if not isinstance(value, (Tensor, np.ndarray)):  # x.data = None: an object array
            check_tensor("Tensor.data", value, "the new data")
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient, a Tensor sharing memory with the stored array."""
        graph = getattr(self, "_graph_grad", None) if _higher.stored_any else None  # (higher/)
        if graph is not None and graph._data is self._grad:
            return graph
        return None if self._grad is None else Tensor._wrap(self._grad)

    @grad.setter
    def grad(self, value: Any) -> None:
        if value is None:
            if _Mode.capture is not None:
                _Mode.capture.zero_grad([self], True)
            self._grad = None
            return
        if not isinstance(value, Tensor):
            raise TypeError(
                f"Tensor.grad: expected a Tensor or None, got {type(value).__name__}.\n"
                f"Hint: wrap an array with chainrule.tensor(array) first."
            )
        if value.shape != self.shape:
            raise ShapeError(
                f"Tensor.grad: expected a gradient of shape {shape_str(self.shape)}, "
                f"got {shape_str(value.shape)}."
            )
        if value.dtype != self.dtype:
            raise DTypeError(
                f"Tensor.grad: expected a gradient of dtype {self.dtype}, got {value.dtype}."
            )
        if _Mode.capture is not None and value._data is not self._grad:  # (p.grad /= n: same)
            _Mode.capture.set_grad(self, value)
        self._grad = value._data

    # --- what a Tensor is ------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def size(self, dim: int | None = None) -> Any:
        """The shape (as torch's ``size()``), or the length of one axis."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[check_axis("Tensor.size", dim, self._data.ndim)]

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    @property
    def device(self) -> Device:
        return CPU

    is_cuda = False

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    grad_fn = property(attrgetter("_ctx"), doc="The Function that made it; None for a leaf.")

    def __len__(self) -> int:
        if self._data.ndim == 0 and type(self) is Tensor:  # (a Parameter prints itself)
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        if self._data.ndim == 0 and type(self) is Tensor:  # (a Parameter prints itself)
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """NumPy meeting a Tensor: ``ndarray + tensor`` is the Tensor op (recorded, as in torch);
        ``ndarray += tensor`` writes into the ndarray; other ufuncs (np.isnan(t)) see the values.
        """
        op = _UFUNC_OPS.get(ufunc.__name__) if method == "__call__" and not kwargs else None
        if op is not None:
            return op(*inputs)
        arrays = [x._data if isinstance(x, Tensor) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o._data if isinstance(o, Tensor) else o for o in kwargs["out"])
        return getattr(ufunc, method)(*arrays, **kwargs)

    def __repr__(self) -> str:
        data, default = self._data, get_default_dtype()
        extra = [f"size={tuple(data.shape)}"] if data.size == 0 and data.ndim != 1 else []
        if data.dtype != default and (data.size == 0 or data.dtype not in (np.int64, np.bool_)):
            extra.append(f"dtype=chainrule.{data.dtype}")
        if self._ctx is not None:
            extra.append(f"grad_fn=<{type(self._ctx).__name__}Backward0>")
        elif self.requires_grad:
            extra.append("requires_grad=True")
        return tensor_repr(data, extra)

    def item(self) -> float | int | bool:
        if _Mode.capture is not None:
            refuse("Tensor.item")
        if self._data.size != 1:
            raise ShapeError(
                f"Tensor.item: expected a tensor with one element, got shape {shape_str(self.shape)}.\n"
                f"Hint: reduce it first (.sum(), .mean()) or index one element."
            )
        return self._data.item()

    def tolist(self) -> Any:
        if _Mode.capture is not None:
            refuse("Tensor.tolist")
        return self._data.tolist()

    def detach(self) -> Tensor:
        """The same data, cut from the graph; in-place writes through it still count."""
        t = Tensor._wrap(self._data)
        t._vc = self._vc
        return t

    def detach_(self) -> Tensor:
        self._ctx = None
        self._rg = False
        return self

    def clone(self) -> Tensor:
        return F.Clone.apply(self)

    def contiguous(self) -> Tensor:
        return self

    # --- dtype and device ------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """torch's forms: to(dtype), to(device), to("cpu"), to(device, dtype), to(other)."""
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        if kwargs:
            raise TypeError(f"Tensor.to: unexpected arguments {sorted(kwargs)}.")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, (str, Device)):
                device = arg
            else:
                dtype = arg
        if device is not None:
            check_device(device, "Tensor.to")
        wanted = None if dtype is None else resolve_dtype(dtype, "Tensor.to")
        if wanted is None or wanted == self._data.dtype:
            return self.clone() if copy else self
        if wanted.kind != "f":  # integers and bools carry no gradient, as in torch
            return Tensor._wrap(record_call(np.ndarray.astype, self._data, wanted))
        return F.Cast.apply(self, dtype=wanted)

    def cpu(self) -> Tensor:
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        check_device("cuda", "Tensor.cuda")
        return self

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self._data.dtype.kind != "f":
            kind = "complex" if self._data.dtype.kind == "c" else "integer or bool"
            raise DTypeError(
                f"Tensor.requires_grad_: expected a floating-point tensor, got dtype "
                f"{self._data.dtype} ({kind}).\nHint: only float32 and float64 tensors can have "
                f"gradients; create it with dtype=chainrule.float32 or call .float() first."
            )
        if not requires_grad and self._ctx is not None:
            raise GraphError(
                "Tensor.requires_grad_: expected a leaf tensor, got one computed by "
                f"{type(self._ctx).__name__}.\nHint: use .detach() to get a tensor outside the graph."
            )
        self._rg = bool(requires_grad)
        return self

    requires_grad = property(attrgetter("_rg"), requires_grad_, doc="Whether backward reaches it.")

    retain_grad = tensor_hooks.retain_grad
    register_hook = tensor_hooks.register_hook
    retains_grad = property(tensor_hooks.retains_grad)

    # --- autograd ----------------------------------------------------------------------
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` that requires it (with
        ``inputs``, into those tensors' ``.grad`` only, as torch)."""
        if inputs is not None:
            from ..autograd_backward import backward  # (it imports this module)

            return backward(self, gradient, retain_graph, create_graph, inputs=inputs)
        if create_graph:
            return _higher.backward(self, gradient, retain_graph is not False)
        _engine.run_backward(self, gradient, bool(retain_graph))

    # --- Python protocol -----------------------------------------------------------------
    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        if _Mode.capture is not None:
            refuse("Tensor.__bool__")
        if self._data.size != 1:
            raise ShapeError(
                f"Tensor.__bool__: expected a tensor with one element, got shape "
                f"{shape_str(self.shape)}.\nHint: use .any() or .all()."
            )
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError(
                f"Tensor.__index__: expected a one-element integer tensor, got dtype "
                f"{self._data.dtype} and shape {shape_str(self.shape)}."
            )
        return int(self._data.item())

    def __format__(self, spec: str) -> str:  # torch's: a 0-d tensor formats as its number
        if self._data.ndim == 0 and type(self) is Tensor:  # (a Parameter prints itself)
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(f"format: expected no spec for shape {tuple(self.shape)}, got {spec!r}.")  # fmt: skip
        return repr(self)


# The ufuncs NumPy calls for ``ndarray <op> tensor``, mapped to the Tensor ops they mean.
_UFUNC_OPS = {
    "add": lambda a, b: F.add(a, b),
    "subtract": lambda a, b: F.sub(a, b),
    "multiply": lambda a, b: F.mul(a, b),
    "divide": lambda a, b: F.div(a, b),
    "matmul": lambda a, b: F.matmul(a, b),
    "power": lambda a, b: F.pow(a, b),
    "negative": lambda a: F.neg(a),
}
# Tensor <-> functional: Tensor's methods call ops that build Tensors, so the functional
# package is bound here, once Tensor exists, for this module and its two mixins.
from .. import functional as F  # noqa: E402
from . import engine as _engine, inplace as _inplace_ops  # noqa: E402
from . import tensor_methods as _methods, tensor_operators as _operators  # noqa: E402
from ..higher import engine as _higher  # noqa: E402  (backward with create_graph=True)

from .function import _apply  # noqa: E402
from ..printing import tensor_repr  # noqa: E402

_methods.F = _operators.F = _inplace_ops.F = F
_operators._apply = _apply
_UFUNC_OPS.update(_operators.REFLECTED_UFUNCS)

PASSING_TYPES.add(Tensor)  # check_tensor lets it by without its isinstance test
