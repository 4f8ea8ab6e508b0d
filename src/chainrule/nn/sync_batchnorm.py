"""nn.SyncBatchNorm: torch's batch norm that syncs statistics across processes. chainrule runs in
one process, as torch does on a CPU without an initialised process group, where SyncBatchNorm
normalises like BatchNorm over any (N, C, ...) input; ``convert_sync_batchnorm`` swaps it in
for every BatchNorm*d of a model, sharing their parameters and statistics."""

from __future__ import annotations

from typing import Any

from .._checks import check_tensor, fail_shape, shape_str
from .normalization import BatchNorm1d


class SyncBatchNorm(BatchNorm1d):
    """BatchNorm over (N, C, ...) of any rank >= 2; ``process_group`` is kept (one process).

    >>> import chainrule as cr
    >>> cr.nn.SyncBatchNorm(3)(cr.ones(2, 3, 4, 4)).shape
    chainrule.Size([2, 3, 4, 4])
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        process_group: Any = None,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(
            num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias
        )
        self.process_group = process_group

    def forward(self, x: Any) -> Any:
        who = f"SyncBatchNorm({self.num_features})"
        check_tensor(who, x)
        if x.ndim < 2:  # torch's own message and type for this case
            raise ValueError(f"expected at least 2D input (got {x.ndim}D input)")
        if x.shape[1] != self.num_features:
            fail_shape(who, f"inputs of shape (N, {self.num_features}, ...)", shape_str(x.shape))
        if x.ndim <= 3:
            return self._normalize(x)
        # the positions flattened into one axis have the same per-channel statistics
        return self._normalize(x.reshape(x.shape[0], x.shape[1], -1)).reshape(x.shape)

    @classmethod
    def convert_sync_batchnorm(cls, module: Any, process_group: Any = None) -> Any:
        """``module`` with every BatchNorm1d/2d/3d below it (itself included) replaced by a
        SyncBatchNorm holding the same Parameters and buffers, as torch's classmethod."""
        output = module
        if isinstance(module, BatchNorm1d) and not isinstance(module, cls):
            output = cls(
                module.num_features, module.eps, module.momentum, module.affine,
                module.track_running_stats, process_group, dtype=_dtype(module),
                bias=module.bias is not None,
            )  # fmt: skip
            for name in ("weight", "bias"):
                if getattr(module, name, None) is not None:
                    setattr(output, name, getattr(module, name))
            for name, buffer in module._buffers.items():
                output._buffers[name] = buffer
                object.__setattr__(output, name, buffer)
            output.training = module.training
        for name, child in module.named_children():
            output.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return output


def _dtype(module: Any) -> Any:
    tensors = [t for t in (module.weight, getattr(module, "running_mean", None)) if t is not None]
    return tensors[0].dtype if tensors else None
