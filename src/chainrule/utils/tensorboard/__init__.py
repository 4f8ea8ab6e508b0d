"""``chainrule.utils.tensorboard``: torch's SummaryWriter, writing TensorBoard event files with
no package beyond NumPy (TensorBoard itself is needed only to look at them)."""

from .writer import SummaryWriter

__all__ = ["SummaryWriter"]
