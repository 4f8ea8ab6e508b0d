"""torch's memory formats: ``channels_last`` (NHWC order in memory for an NCHW tensor),
``channels_last_3d``, ``contiguous_format`` and ``preserve_format``, as CPU programs use them
(``x.to(memory_format=torch.channels_last)``, ``model.to(memory_format=...)``,
``x.is_contiguous(memory_format=...)``, ``x.contiguous(memory_format=...)``).

A NumPy array has strides too, so a channels-last tensor here is what it is in torch: the same
shape and values, its elements laid out channel-fastest, and ``stride()`` says so. NumPy's
kernels accept any layout, so nothing downstream changes but the speed of some copies.
Tensor.to / contiguous / is_contiguous and Module.to live in files with line budgets; they are
wrapped here, at import, to take the ``memory_format`` keyword.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .autograd.function import Function
from .autograd.tensor import Tensor
from .errors import ArgumentError
from .functional.selection import Clone
from .higher.rules import RULES, rule
from .nn.module import Module


class memory_format:  # noqa: N801  (torch's class name)
    """One of torch's memory formats; compare with ``is``, as torch's singletons."""

    def __init__(self, name: str, order: dict[int, tuple[int, ...]]) -> None:
        self._name, self._order = name, order

    def __repr__(self) -> str:
        return f"chainrule.{self._name}"

    def __reduce__(self) -> str:
        return self._name


contiguous_format = memory_format("contiguous_format", {})
preserve_format = memory_format("preserve_format", {})
# the dims from the one varying fastest in memory to the slowest, per rank (torch's order)
channels_last = memory_format("channels_last", {4: (1, 3, 2, 0)})
channels_last_3d = memory_format("channels_last_3d", {5: (1, 4, 3, 2, 0)})
legacy_contiguous_format = contiguous_format
_FORMATS = (contiguous_format, preserve_format, channels_last, channels_last_3d)


def _check(who: str, fmt: Any, ndim: int | None) -> memory_format:
    """``fmt`` if it is one of torch's formats that fits an ``ndim``-D tensor (None: any)."""
    if fmt is None:
        return preserve_format
    if not any(fmt is known for known in _FORMATS):
        raise TypeError(f"{who}: expected a memory_format, got {type(fmt).__name__} {fmt!r}.")
    if fmt._order and ndim is not None and ndim not in fmt._order:
        rank = next(iter(fmt._order))
        raise ArgumentError(
            f"{who}: expected a {rank}-D tensor for {fmt!r}, got {ndim}-D.\n"
            "Hint: channels_last is for (N, C, H, W) and channels_last_3d for (N, C, D, H, W)."
        )
    return fmt


def _laid_out(array: np.ndarray, fmt: memory_format) -> np.ndarray:
    """A copy of ``array`` in ``fmt``'s order (the same array when it is already in it)."""
    if _is_in(array, fmt):
        return array
    if not fmt._order:
        return np.ascontiguousarray(array)
    slowest_first = fmt._order[array.ndim][::-1]
    packed = np.ascontiguousarray(np.transpose(array, slowest_first))
    return np.transpose(packed, np.argsort(slowest_first))


def _is_in(array: np.ndarray, fmt: memory_format) -> bool:
    """torch's rule: size-1 dims may have any stride; the others step as the order says."""
    if not fmt._order:
        return bool(array.flags.c_contiguous)
    order = fmt._order.get(array.ndim)
    if order is None:
        return False
    expected = 1
    for dim in order:
        size = array.shape[dim]
        if size != 1:
            if array.strides[dim] != expected * array.itemsize:
                return False
            expected *= size
    return True


class Relayout(Function):
    """y = x in another memory layout: the same values, so the gradient passes unchanged."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, *, fmt):
        return _laid_out(x, fmt)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y


# create_graph=True's rule, registered here: higher/ cannot import this module (it imports nn)
rule(Relayout)(RULES[Clone])


def _relayout(tensor: Any, fmt: memory_format) -> Any:
    if fmt is preserve_format or _is_in(tensor._data, fmt):
        return tensor
    return Relayout.apply(tensor, fmt=fmt)


_tensor_to, _module_to = Tensor.to, Module.to
_tensor_contiguous = Tensor.contiguous


def to(self: Any, *args: Any, memory_format: Any = None, **kwargs: Any) -> Any:
    """Tensor.to with torch's ``memory_format`` (default: keep the layout)."""
    if memory_format is None:  # the common call pays one test, not the checks below
        return _tensor_to(self, *args, **kwargs)
    fmt = _check("Tensor.to", memory_format, self.ndim)
    return _relayout(_tensor_to(self, *args, **kwargs), fmt)


def contiguous(self: Any, memory_format: Any = contiguous_format) -> Any:
    """This tensor if it is laid out in ``memory_format`` already, else a copy that is."""
    if memory_format is contiguous_format and self._data.flags.c_contiguous:
        return self  # the common call: already laid out, as Tensor.contiguous returned it
    fmt = _check("Tensor.contiguous", memory_format, self.ndim)
    if fmt is preserve_format and self._data.flags.c_contiguous:
        return _tensor_contiguous(self)  # torch answers before it looks at the format
    if fmt is preserve_format:
        raise ArgumentError(
            "Tensor.contiguous: expected contiguous_format, channels_last or channels_last_3d, "
            "got preserve_format (torch refuses it too)."
        )
    return _relayout(self, fmt)


def is_contiguous(self: Any, memory_format: Any = contiguous_format) -> bool:
    fmt = _check("Tensor.is_contiguous", memory_format, None)
    return _is_in(self._data, contiguous_format if fmt is preserve_format else fmt)


def module_to(self: Any, *args: Any, memory_format: Any = None, **kwargs: Any) -> Any:
    """Module.to with ``memory_format``: as torch, 4-D and 5-D parameters and buffers are laid
    out anew in place (a 5-D one refuses channels_last, as torch's does); others keep theirs."""
    _module_to(self, *args, **kwargs)
    fmt = _check(f"{type(self).__name__}.to", memory_format, None)
    if fmt is not preserve_format:
        for tensor in list(self.parameters()) + list(self.buffers()):
            if tensor.ndim in (4, 5):
                _check(f"{type(self).__name__}.to", fmt, tensor.ndim)
                tensor._data = _laid_out(tensor._data, fmt)
    return self


Tensor.to, Tensor.contiguous, Tensor.is_contiguous, Module.to = (
    to, contiguous, is_contiguous, module_to,
)  # fmt: skip


def convert_conv2d_weight_memory_format(module: Any, memory_format: Any) -> Any:
    """nn.utils's helper: every Conv2d / ConvTranspose2d weight below ``module`` in
    ``memory_format``; the module itself is returned."""
    return _convert(module, memory_format, 4)


def convert_conv3d_weight_memory_format(module: Any, memory_format: Any) -> Any:
    return _convert(module, memory_format, 5)


def _convert(module: Any, memory_format: Any, rank: int) -> Any:
    kinds = ("Conv2d", "ConvTranspose2d") if rank == 4 else ("Conv3d", "ConvTranspose3d")
    for child in module.modules():
        weight = getattr(child, "weight", None)
        if type(child).__name__ in kinds and weight is not None and weight.ndim == rank:
            fmt = _check("convert_conv_weight_memory_format", memory_format, rank)
            weight._data = _laid_out(weight._data, fmt)
    return module
