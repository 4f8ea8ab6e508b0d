"""BatchNorm1d, BatchNorm2d and LayerNorm."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_positive_number, check_tensor, fail_shape, shape_str
from ..cpugraph.capture import record_call
from ..dtypes import resolve_float
from ..errors import ShapeError
from .module import Module
from .parameter import Parameter


class BatchNorm1d(Module):
    """Normalise each feature over the batch; running statistics are used in eval mode.

    y = (x - mean) / sqrt(var + eps) * weight + bias. Running stats follow torch:
    running = (1 - momentum) running + momentum batch_stat, with the unbiased variance;
    ``momentum=None`` averages every batch so far equally (the factor is 1 / batches seen).

    Shapes: (N, C) or (N, C, L).
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dtype = resolve_float(dtype, type(self).__name__)
        check_positive_number(f"{type(self).__name__}({num_features!r}, eps={eps!r})", "eps", eps)
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)):
            raise TypeError(f"{type(self).__name__}: expected an int num_features, got "
                            f"{type(num_features).__name__} {num_features!r}.")  # fmt: skip
        if num_features < 0:  # NumPy's own error would not name the layer
            fail_shape(type(self).__name__, "num_features >= 0", str(num_features))
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    def forward(self, x: Any) -> Any:
        check_tensor(f"BatchNorm1d({self.num_features})", x)
        if x.ndim not in (2, 3) or x.shape[1] != self.num_features:
            raise ShapeError(
                f"BatchNorm1d({self.num_features}): expected inputs of shape (N, {self.num_features}) "
                f"or (N, {self.num_features}, L), got {shape_str(x.shape)}."
            )
        return self._normalize(x)

    def _normalize(self, x: Any) -> Any:
        # Without running statistics, eval mode normalises with the batch's own, as torch does.
        running_mean = self.running_mean if self.track_running_stats else None
        running_var = self.running_var if self.track_running_stats else None
        momentum = self.momentum
        if self.training and self.track_running_stats:
            tracked = self.num_batches_tracked._data
            record_call(np.add, tracked, 1, tracked)
            if momentum is None:  # the counter itself: _update_running reads it each time
                momentum = tracked
        return F.batch_norm(
            x,
            running_mean,
            running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,  # torch: batch stats, so its checks
            momentum,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm2d(BatchNorm1d):
    """Normalise each channel of an image batch over (N, H, W); the same op as BatchNorm1d.

    Shapes: (N, C, H, W).

    >>> import numpy as np, chainrule as cr
    >>> cr.nn.BatchNorm2d(3, dtype=np.float32)(cr.ones(2, 3, 4, 4, dtype=np.float32)).shape
    chainrule.Size([2, 3, 4, 4])
    """

    def forward(self, x: Any) -> Any:
        check_tensor(f"BatchNorm2d({self.num_features})", x)
        if x.ndim != 4 or x.shape[1] != self.num_features:
            raise ShapeError(
                f"BatchNorm2d({self.num_features}): expected inputs of shape (N, {self.num_features}, H, W), "
                f"got {shape_str(x.shape)}."
            )
        return self._normalize(x)


class LayerNorm(Module):
    """Normalise each sample over its last axes (normalized_shape), then scale and shift."""

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dtype = resolve_float(dtype, "LayerNorm")
        check_positive_number(f"LayerNorm({normalized_shape!r}, eps={eps!r})", "eps", eps)
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        )
        self.normalized_shape, self.eps = shape, eps
        self.elementwise_affine = elementwise_affine
        self.weight = Parameter(np.ones(shape, dtype=dtype)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, dtype=dtype)) if elementwise_affine and bias else None

    def forward(self, x: Any) -> Any:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )
