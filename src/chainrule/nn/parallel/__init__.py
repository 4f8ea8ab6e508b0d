"""``chainrule.nn.parallel``: torch's data-parallel wrappers, for one CPU process."""

from .data_parallel import DataParallel
from .distributed import DistributedDataParallel

__all__ = ["DataParallel", "DistributedDataParallel"]
