"""torch.save / torch.load on binary file objects, as pytorch/examples writes them:
``with open(path, "wb") as f: torch.save(model.state_dict(), f)``.

The bytes go through a file in a private temporary folder, so a stream gets exactly what a
path would (same checks, same formats, nothing unpickled). Writing into the caller's stream is
not atomic: the caller owns it, as in torch.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def is_writable_stream(target: Any) -> bool:
    return callable(getattr(target, "write", None)) and not isinstance(target, (str, bytes))


def is_readable_stream(source: Any) -> bool:
    return callable(getattr(source, "read", None)) and not isinstance(source, (str, bytes))


def save_stream(obj: Any, stream: Any, format: str | None) -> None:
    """Write ``obj`` into ``stream``: torch.save's format unless ``format`` names another."""
    from .io import save

    with tempfile.TemporaryDirectory(prefix="chainrule-save-") as folder:
        written = save(obj, Path(folder) / "archive", format=format or "torch")
        stream.write(written.read_bytes())


def load_stream(stream: Any, format: str | None) -> Any:
    """The tree a checkpoint read from ``stream`` holds (torch.save, npz or safetensors bytes)."""
    from .io import _load_tree

    data = stream.read()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"load: expected a binary file object, got one whose read() gives "
            f"{type(data).__name__}.\nHint: open the file with mode 'rb'."
        )
    if format is None and not bytes(data[:2]) == b"PK":  # torch and npz files are zips
        format = "safetensors"
    with tempfile.TemporaryDirectory(prefix="chainrule-load-") as folder:
        path = Path(folder) / "archive"
        path.write_bytes(bytes(data))
        return _load_tree(path, format=format)
