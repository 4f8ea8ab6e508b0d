"""``torch.version``: which build this is. There is no CUDA (``cuda`` is None, as on torch's CPU
builds), and ``__version__`` is chainrule's own."""

__version__ = "0.1.0"
cuda = None
hip = None
git_version = None
debug = False
