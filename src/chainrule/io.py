"""Checkpoints: nested state dicts saved as .npz with a JSON header, atomically, never pickled.

A checkpoint holds arrays (stored as npz members) and plain values (numbers, strings, lists,
dicts, None: stored in the JSON header). ``load`` reads with ``allow_pickle=False``, so a file
can never run code; a file that is not a chainrule checkpoint is refused with a clear error.
"""

from __future__ import annotations

import io as _io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CheckpointError

FORMAT = "chainrule-checkpoint"
VERSION = 1
_HEADER = "__chainrule__"


def _split(value: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """Replace each array by a reference to an npz member; everything else must be JSON."""
    from .autograd.tensor import Tensor

    if isinstance(value, Tensor):
        value = value._data
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise CheckpointError(f"save: expected numeric arrays, got an object array at {where}.")
        key = f"a{len(arrays)}"
        arrays[key] = value
        return {"__array__": key}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        out = {"__dict__": [[_key(k, where), _split(v, arrays, f"{where}.{k}")] for k, v in value.items()]}
        return out
    if isinstance(value, (list, tuple)):
        return {"__list__": [_split(v, arrays, f"{where}[{i}]") for i, v in enumerate(value)],
                "tuple": isinstance(value, tuple)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise CheckpointError(
        f"save: expected arrays, numbers, strings, lists or dicts, got {type(value).__name__} at {where}.\n"
        "Hint: save state_dict() objects, not the model or optimizer themselves."
    )


def _key(key: Any, where: str) -> Any:
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        return key
    raise CheckpointError(f"save: expected str or int dict keys, got {type(key).__name__} at {where}.")


def _join(value: Any, arrays: Any) -> Any:
    if isinstance(value, dict):
        if "__array__" in value:
            return arrays[value["__array__"]]
        if "__dict__" in value:
            return {k: _join(v, arrays) for k, v in value["__dict__"]}
        if "__list__" in value:
            items = [_join(v, arrays) for v in value["__list__"]]
            return tuple(items) if value.get("tuple") else items
    return value


def save(obj: Any, path: str | Path, *, format: str | None = None, **torch_options: Any) -> Path:
    """Write ``obj`` to ``path`` atomically: a temporary file in the same folder, then a rename.

    A crash mid-write leaves any previous file at ``path`` intact. ``format`` is "npz" or
    "safetensors" (chainrule/io_safetensors.py); by default a .safetensors suffix chooses the latter.
    torch.save's pickle options (``pickle_module=``, ...) are accepted and ignored: chainrule
    never pickles.
    """
    path = Path(path)
    if _format(path, format) == "safetensors":
        from . import io_safetensors

        return io_safetensors.save(obj, path)
    arrays: dict[str, np.ndarray] = {}
    tree = _split(obj, arrays, "checkpoint")
    header = json.dumps({"format": FORMAT, "version": VERSION, "tree": tree})
    arrays[_HEADER] = np.frombuffer(header.encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path


def load(path: str | Path, map_location: Any = None, weights_only: Any = None, *,
         format: str | None = None, **torch_options: Any) -> Any:
    """Read a checkpoint written by ``save``; never unpickles anything.

    torch.load's ``map_location`` (any CPU spelling) and ``weights_only`` are accepted: the
    file is always read as data only, as torch's weights_only=True does.
    """
    if map_location is not None and not callable(map_location) and not isinstance(map_location, dict):
        from .autograd.device import check_device

        check_device(map_location, "load")
    path = Path(path)
    if _format(path, format) == "safetensors":
        from . import io_safetensors

        return io_safetensors.load(path)
    if not path.is_file():
        raise CheckpointError(f"load: expected a checkpoint file at {path}, got no such file.")
    if not zipfile.is_zipfile(path):
        raise CheckpointError(f"load: expected a complete chainrule checkpoint at {path}, got a damaged or "
                              "foreign file (not an .npz archive).")
    try:
        with open(path, "rb") as stream, np.load(stream, allow_pickle=False) as archive:
            if _HEADER not in archive.files:
                raise CheckpointError(
                    f"load: expected a chainrule checkpoint in {path}, got an .npz without a chainrule "
                    "header.\nHint: it was not written by chainrule.save."
                )
            header = json.loads(archive[_HEADER].tobytes().decode("utf-8"))
            if header.get("format") != FORMAT:
                raise CheckpointError(f"load: expected format {FORMAT!r} in {path}, got {header.get('format')!r}.")
            arrays = {name: archive[name] for name in archive.files if name != _HEADER}
    except CheckpointError:
        raise
    except ValueError as error:  # an object array: loading it would need pickle
        raise CheckpointError(f"load: expected plain numeric arrays in {path}, got one that needs pickle "
                              f"({error}); refusing to load it.") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"load: expected a complete chainrule checkpoint at {path}, got a damaged or "
                              f"foreign file ({type(error).__name__}: {error}).") from None
    return _join(header["tree"], arrays)


def _format(path: Path, format: str | None) -> str:
    if format is None:
        return "safetensors" if path.suffix == ".safetensors" else "npz"
    if format not in ("npz", "safetensors"):
        raise ValueError(f"save/load: expected format 'npz' or 'safetensors', got {format!r}.")
    return format


def to_bytes(obj: Any) -> bytes:
    """The checkpoint bytes of ``obj`` (for tests and for sending over a wire)."""
    buffer = _io.BytesIO()
    arrays: dict[str, np.ndarray] = {}
    tree = _split(obj, arrays, "checkpoint")
    arrays[_HEADER] = np.frombuffer(json.dumps({"format": FORMAT, "version": VERSION, "tree": tree}).encode(), np.uint8)
    np.savez(buffer, **arrays)
    return buffer.getvalue()
