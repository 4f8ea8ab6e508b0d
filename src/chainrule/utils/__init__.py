"""``chainrule.utils.data``: the data API under torch's name (``torch.utils.data``)."""

from . import checkpoint, data

__all__ = ["checkpoint", "data"]
