"""nn.DataParallel as torch runs it on a machine with no GPU: the module, called as it is."""

from __future__ import annotations

from typing import Any

from ..module import Module


class DataParallel(Module):
    """torch's DataParallel where no GPU is found: ``module`` is kept and called, ``device_ids``
    becomes [] whatever was passed (torch does the same on a CPU-only machine)."""

    def __init__(
        self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0
    ) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list = []
        self.output_device, self.dim = None, dim

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
