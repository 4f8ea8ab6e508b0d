"""LazyLinear, LazyConv1d/2d and LazyBatchNorm1d/2d: layers that learn their input size at the
first forward, as torch's, with UninitializedParameter and UninitializedBuffer.

The placeholders are materialized in place (same objects, new arrays), so an optimizer built
before the first forward holds the real parameters afterwards, as in torch; then the module
becomes the plain layer (LazyLinear -> Linear). Loading a state_dict into a layer that has not
run yet is refused (torch would take the shapes from it): run one forward first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import fail_shape, fail_value, shape_str
from ..autograd.tensor import Tensor
from ..device import check_device
from ..dtypes import resolve_float
from ..random import SeedLike
from .conv import Conv1d, Conv2d
from .linear import Linear
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d
from .parameter import Parameter


def _refuse_shape(self: Any) -> Any:
    fail_value(
        type(self).__name__,
        "a materialized tensor to read the shape of",
        "an uninitialized one",
        "run one forward through the lazy layer first (it learns its sizes there).",
    )


class UninitializedParameter(Parameter):
    """A Parameter with no shape yet; ``materialize(shape)`` gives it one and makes it a Parameter."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        check_device(device, type(self).__name__)
        super().__init__(np.empty(0, dtype=resolve_float(dtype, "UninitializedParameter")))
        self.requires_grad = requires_grad

    shape = property(_refuse_shape)

    def materialize(self, shape: tuple[int, ...], device: Any = None, dtype: Any = None) -> None:
        self._data = np.empty(shape, dtype=self._data.dtype if dtype is None else dtype)
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


class UninitializedBuffer(Tensor):
    """A buffer with no shape yet (LazyBatchNorm's running statistics)."""

    __slots__ = ()
    _keeps_data = True  # data's dtype, as torch's nn.Parameter(t) keeps t's
    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None) -> None:
        check_device(device, type(self).__name__)
        super().__init__(np.empty(0, dtype=resolve_float(dtype, "UninitializedBuffer")))

    shape = property(_refuse_shape)

    def materialize(self, shape: tuple[int, ...], device: Any = None, dtype: Any = None) -> None:
        self._data = np.empty(shape, dtype=self._data.dtype if dtype is None else dtype)
        self.__class__ = self.cls_to_become

    def __repr__(self) -> str:
        return "<UninitializedBuffer>"


def is_lazy(value: Any) -> bool:
    return isinstance(value, (UninitializedParameter, UninitializedBuffer))


class LazyModuleMixin:
    """The first forward reads the input's size, materializes, initializes, and becomes
    ``cls_to_become``; afterwards the module is exactly that layer."""

    cls_to_become: type[Module]

    def has_uninitialized_params(self) -> bool:
        tensors = list(self._parameters.values()) + list(self._buffers.values())  # type: ignore[attr-defined]
        return any(is_lazy(t) for t in tensors)

    def forward(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        if self.has_uninitialized_params():
            self.initialize_parameters(x)
        self.__class__ = self.cls_to_become
        return self.forward(x, *args, **kwargs)

    def initialize_parameters(self, x: Any) -> None:
        raise NotImplementedError

    def _lazy_placeholders(self, dtype: Any, names: tuple[str, ...]) -> None:
        for name in names:
            if getattr(self, name) is not None:
                setattr(self, name, UninitializedParameter(dtype=dtype))

    def _features(self, x: Any, axis_from_end: int, who: str) -> int:
        if x.ndim < axis_from_end:
            fail_shape(who, f"inputs with at least {axis_from_end} dimensions", shape_str(x.shape))
        return int(x.shape[x.ndim - axis_from_end])

    def reset_parameters(self, generator: SeedLike = None) -> None:
        if not self.has_uninitialized_params():
            self.cls_to_become.reset_parameters(self, generator)  # type: ignore[arg-type]


class LazyLinear(LazyModuleMixin, Linear):
    """Linear whose in_features is the last size of the first input it sees."""

    cls_to_become = Linear

    def __init__(
        self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:  # fmt: skip
        Linear.__init__(self, 0, out_features, bias, device=device, dtype=dtype)
        self._generator = generator
        self._lazy_placeholders(dtype, ("weight", "bias"))

    def initialize_parameters(self, x: Any) -> None:
        self.in_features = self._features(x, 1, "LazyLinear")
        self.weight.materialize((self.out_features, self.in_features))
        if self.bias is not None:
            self.bias.materialize((self.out_features,))
        Linear.reset_parameters(self, self.__dict__.pop("_generator", None))


class _LazyConv(LazyModuleMixin):
    """The lazy convolutions' torch signature, once: each class names the layer it becomes."""

    def __init__(
        self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
        dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
        device: Any = None, dtype: Any = None, generator: SeedLike = None,
    ) -> None:  # fmt: skip
        check_device(device, type(self).__name__)
        args = (stride, padding, dilation, groups, bias, padding_mode, dtype, generator)
        self._lazy_conv(self.cls_to_become, out_channels, kernel_size, args)

    def _lazy_conv(self, base: type, out_channels: int, kernel_size: Any, args: tuple) -> None:
        stride, padding, dilation, groups, bias, padding_mode, dtype, generator = args
        base.__init__(
            self, groups, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            padding_mode, dtype=dtype,
        )  # fmt: skip
        self.in_channels, self._generator = 0, generator
        self._lazy_placeholders(dtype, ("weight", "bias"))

    def initialize_parameters(self, x: Any) -> None:
        # (N, C, *spatial) or unbatched (C, *spatial): C is k + 1 axes from the end either way
        self.in_channels = self._features(x, len(self.kernel_size) + 1, type(self).__name__)
        if self.in_channels % self.groups:
            fail_value(
                type(self).__name__,
                f"input channels divisible by groups={self.groups}",
                str(self.in_channels),
            )
        self.weight.materialize(self._weight_shape())
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.cls_to_become.reset_parameters(self, self.__dict__.pop("_generator", None))

    def _weight_shape(self) -> tuple:
        return (self.out_channels, self.in_channels // self.groups) + tuple(self.kernel_size)


class LazyConv1d(_LazyConv, Conv1d):
    """Conv1d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConv, Conv2d):
    """Conv2d whose in_channels is the channel axis of the first input it sees."""

    cls_to_become = Conv2d


class _LazyBatchNorm(LazyModuleMixin):
    """The lazy batch norms' torch signature, once."""

    def __init__(
        self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
        track_running_stats: bool = True, device: Any = None, dtype: Any = None,
    ) -> None:  # fmt: skip
        args = (eps, momentum, affine, track_running_stats, device, dtype)
        self._lazy_norm(self.cls_to_become, args)

    def _lazy_norm(self, base: type, args: tuple) -> None:
        eps, momentum, affine, track, device, dtype = args
        base.__init__(self, 0, eps, momentum, affine, track, device=device, dtype=dtype)
        self._lazy_placeholders(dtype, ("weight", "bias"))
        if track:
            for name in ("running_mean", "running_var"):
                self.register_buffer(name, UninitializedBuffer(dtype=dtype))

    def initialize_parameters(self, x: Any) -> None:
        if x.ndim < 2:
            fail_shape(type(self).__name__, "inputs (N, C, ...)", shape_str(x.shape))
        self.num_features = c = int(x.shape[1])
        for name, fill in (("weight", 1), ("bias", 0), ("running_mean", 0), ("running_var", 1)):
            tensor = getattr(self, name, None)
            if is_lazy(tensor):
                tensor.materialize((c,))
                tensor._data[...] = fill

    def reset_parameters(self, generator: SeedLike = None) -> None:
        return None


class LazyBatchNorm1d(_LazyBatchNorm, BatchNorm1d):
    """BatchNorm1d whose num_features is axis 1 of the first input it sees."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyBatchNorm, BatchNorm2d):
    """BatchNorm2d whose num_features is axis 1 of the first input it sees."""

    cls_to_become = BatchNorm2d
