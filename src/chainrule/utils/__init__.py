"""``chainrule.utils.data``: the data API under torch's name (``torch.utils.data``)."""

from . import checkpoint, data

__all__ = ["checkpoint", "data"]

# torchns: torch.utils.tensorboard (SummaryWriter) and torch.utils.collect_env
from . import tensorboard  # noqa: E402  (collect_env: imported by name, as in torch)

__all__ += ["tensorboard"]
