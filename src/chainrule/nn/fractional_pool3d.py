"""FractionalMaxPool3d: the layer over ``functional.fractional_max_pool3d``."""

from __future__ import annotations

from ..functional.fractional_pool3d import _triple, fractional_max_pool3d
from .fractional_pool import FractionalMaxPoolNd


class FractionalMaxPool3d(FractionalMaxPoolNd):
    """torch.nn.FractionalMaxPool3d: FractionalMaxPool2d's arguments, over depth too;
    ``_random_samples`` is (N, C, 3).

    >>> import chainrule as cr
    >>> cr.nn.FractionalMaxPool3d(2, output_ratio=0.5)(cr.randn(1, 3, 8, 8, 8)).shape
    chainrule.Size([1, 3, 4, 4, 4])
    """

    _sizes = staticmethod(_triple)
    _pool = staticmethod(fractional_max_pool3d)
