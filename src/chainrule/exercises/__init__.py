"""The seed notebook's exercises, its blanks left blank, each followed by a chainrule.check cell."""

from .notebook import SECTIONS, build, write

__all__ = ["SECTIONS", "build", "write"]
