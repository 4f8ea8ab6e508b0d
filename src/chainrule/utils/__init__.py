"""``chainrule.utils.data``: the data API under torch's name (``torch.utils.data``)."""

from . import data

__all__ = ["data"]
