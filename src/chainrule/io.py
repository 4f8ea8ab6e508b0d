"""Checkpoints: nested state dicts saved as .npz with a JSON header, atomically, never pickled.

A checkpoint holds arrays (stored as npz members) and plain values (numbers, strings, lists,
dicts, None: stored in the JSON header). ``load`` never unpickles: it reads each member's
.npy header itself, refuses object dtypes, and checks every declared size against the file
before it allocates anything, so a crafted or damaged file is refused with a clear error.
"""

from __future__ import annotations

import io as _io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from . import io_leaves, io_streams
from .errors import CheckpointError

# the path checks (io_paths.py), also reached as io.<name> by the CLI and the ONNX exporter
from .io_paths import as_path, check_writable, readable_file, same_file  # noqa: F401
from .io_paths import write_atomically

FORMAT = "chainrule-checkpoint"
VERSION = 1
_HEADER = "__chainrule__"
# chainrule.save stores members uncompressed, so a genuine file never expands much; anything
# that would decompress to more than this is a damaged or hostile file, refused unread.
_EXPANSION = 2
_SLACK = 1 << 20


def _split(value: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """Replace each array by a reference to an npz member; everything else must be JSON."""
    from .autograd.tensor import Tensor

    requires_grad, parameter = io_leaves.flags(value)
    if isinstance(value, Tensor):
        value = value._data
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject or value.dtype.kind not in "biufc":
            raise CheckpointError(
                f"save: expected numeric arrays, got dtype {value.dtype} at {where}."
            )
        key = f"a{len(arrays)}"
        arrays[key] = value
        if requires_grad or parameter:  # (a plain tensor's node stays as older files have it)
            return {"__array__": key, "requires_grad": requires_grad, "parameter": parameter}
        return {"__array__": key}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return {"__float__": repr(value)}  # JSON has no NaN or Infinity
    if isinstance(value, dict):
        out = {
            "__dict__": [
                [_key(k, where), _split(v, arrays, f"{where}.{k}")] for k, v in value.items()
            ]
        }
        return out
    if isinstance(value, (list, tuple)):
        return {
            "__list__": [_split(v, arrays, f"{where}[{i}]") for i, v in enumerate(value)],
            "tuple": isinstance(value, tuple),
        }
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise CheckpointError(
        f"save: expected arrays, numbers, strings, lists or dicts, got {type(value).__name__} at {where}.\n"
        "Hint: save state_dict() objects, not the model or optimizer themselves."
    )


def _key(key: Any, where: str) -> Any:
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        return key
    raise CheckpointError(
        f"save: expected str or int dict keys, got {type(key).__name__} at {where}."
    )


def _join(value: Any, arrays: dict[str, np.ndarray], used: set[str]) -> Any:
    """Rebuild the saved object; a malformed tree raises KeyError, TypeError or ValueError."""
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            used.add(value["__array__"])
            return arrays[value["__array__"]]
        if set(value) == {"__array__", "requires_grad", "parameter"}:
            used.add(value["__array__"])
            array = arrays[value["__array__"]]
            return io_leaves.loaded(array, value["requires_grad"], value["parameter"] is True)
        if set(value) == {"__float__"}:
            return {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}[
                value["__float__"]
            ]
        if set(value) == {"__dict__"}:
            out = {}
            for key, item in value["__dict__"]:
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    raise TypeError(f"a dict key of type {type(key).__name__}")
                out[key] = _join(item, arrays, used)
            return out
        if set(value) == {"__list__", "tuple"}:
            items = [_join(v, arrays, used) for v in value["__list__"]]
            return tuple(items) if value["tuple"] else items
        raise ValueError(f"an unknown node with keys {sorted(value)[:4]}")
    if isinstance(value, list):
        raise ValueError("a bare list where a node was expected")
    return value


def _payload(obj: Any) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    try:
        tree = _split(obj, arrays, "checkpoint")
    except RecursionError:
        raise CheckpointError(
            "save: expected a tree of dicts and lists, got one nested too deeply or holding "
            "itself (a dict or list inside itself)."
        ) from None
    header = json.dumps({"format": FORMAT, "version": VERSION, "tree": tree}, allow_nan=False)
    arrays[_HEADER] = np.frombuffer(header.encode("utf-8"), dtype=np.uint8)
    return arrays


def save(obj: Any, path: Any, *, format: str | None = None, **torch_options: Any) -> Path | None:
    """Write ``obj`` to ``path`` atomically: a temporary file in the same folder, then a rename.

    A crash mid-write leaves any previous file at ``path`` intact; the next save to the same
    path removes what a killed save left behind. The file's mode follows the umask.
    ``format`` is "npz", "safetensors" (io_safetensors.py) or "torch" (io_torch.py: what
    ``torch.load(path, weights_only=True)`` reads); by default the suffix chooses (.safetensors,
    .pt / .pth, else npz). torch.save's pickle options (``pickle_module=``, ...) are accepted
    and ignored: chainrule never pickles. ``path`` may be a binary file object instead
    (io_streams.py): torch.save's format goes into it unless ``format`` says otherwise.
    """
    if io_streams.is_writable_stream(path):  # torch.save(obj, f) with f opened "wb"
        return io_streams.save_stream(obj, path, format)
    path = as_path(path, "save")
    if _format(path, format) == "safetensors":
        from . import io_safetensors

        return io_safetensors.save(obj, path)
    if _format(path, format) == "torch":  # .pt / .pth: torch.save's format (io_torch.py)
        from . import io_torch

        payload = io_torch.save(obj, path)
        write_atomically(path, lambda stream: stream.write(payload), "save")
        return path
    arrays = _payload(obj)
    try:
        write_atomically(path, lambda stream: np.savez(stream, **arrays), "save")
    except CheckpointError:
        raise
    except OSError as error:
        raise CheckpointError(
            f"save: expected to write the checkpoint {path}, got {error.strerror or error}."
        ) from error
    return path


def _read_member(name: str, raw: bytes) -> np.ndarray:
    """One .npy member, parsed by hand so that nothing is allocated before it is checked."""
    stream = _io.BytesIO(raw)
    major, _ = np.lib.format.read_magic(stream)
    read_header = (
        np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
    )
    shape, fortran, dtype = read_header(stream)
    if dtype.hasobject or dtype.kind not in "biufc":
        raise _Refused(
            f"a member {name!r} of dtype {dtype} (an object array needs pickle, "
            "which chainrule never uses)"
        )
    body = len(raw) - stream.tell()
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count < 0 or count * dtype.itemsize != body:
        raise ValueError(
            f"member {name!r} declares shape {shape} of {dtype} but holds {body} bytes"
        )
    array = np.frombuffer(raw, dtype=dtype, count=count, offset=stream.tell())
    return array.reshape(shape, order="F" if fortran else "C").copy()


class _Refused(Exception):
    """A well-formed file that holds something chainrule will not load."""


def _read_archive(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    limit = _EXPANSION * path.stat().st_size + _SLACK
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(info.file_size for info in members)
        if declared > limit:
            raise _Refused(
                f"members that would decompress to {declared} bytes from a file of "
                f"{path.stat().st_size} bytes (chainrule never compresses checkpoints)"
            )
        names = [info.filename for info in members]
        if f"{_HEADER}.npy" not in names:
            raise CheckpointError(
                f"load: expected a chainrule checkpoint in {path}, got an .npz without a chainrule "
                "header.\nHint: it was not written by chainrule.save."
            )
        arrays = {}
        for info in members:
            if not info.filename.endswith(".npy"):
                raise ValueError(f"a member {info.filename!r} that is not an .npy array")
            # read() checks the CRC, so a flipped bit is reported as damage, not misread as content.
            arrays[info.filename[:-4]] = _read_member(info.filename, archive.read(info))
    header = json.loads(arrays.pop(_HEADER).tobytes().decode("utf-8"))
    return header, arrays


def load(
    path: Any,
    map_location: Any = None,
    weights_only: Any = None,
    *,
    format: str | None = None,
    **torch_options: Any,
) -> Any:
    """Read a checkpoint written by ``save`` (or by torch.save); never unpickles anything.

    torch.load's ``map_location`` (any CPU spelling) and ``weights_only`` are accepted: the
    file is always read as data only, as torch's weights_only=True does. Arrays come back as
    Tensors, as torch.load gives them (``ck["w"].numpy()``, ``ck["loss"].item()``). ``path``
    may be a binary file object opened for reading (io_streams.py).
    """
    tree = _load_tree(path, map_location, weights_only, format=format, **torch_options)
    return _tensors(tree)


def _tensors(tree: Any) -> Any:
    from .autograd.tensor import Tensor

    if isinstance(tree, np.ndarray):
        return Tensor._of(tree)
    if isinstance(tree, io_leaves.SavedLeaf):
        return io_leaves.as_tensor(tree)
    if isinstance(tree, dict):
        return type(tree)((k, _tensors(v)) for k, v in tree.items())
    if isinstance(tree, (list, tuple)):
        return type(tree)(_tensors(v) for v in tree) if type(tree) in (list, tuple) else tree
    return tree


def _load_tree(
    path: str | Path,
    map_location: Any = None,
    weights_only: Any = None,
    *,
    format: str | None = None,
    **torch_options: Any,
) -> Any:
    """Read a checkpoint written by ``save``; never unpickles anything.

    torch.load's ``map_location`` (any CPU spelling) and ``weights_only`` are accepted: the
    file is always read as data only, as torch's weights_only=True does.
    """
    if (
        map_location is not None
        and not callable(map_location)
        and not isinstance(map_location, dict)
    ):
        from .device import check_device

        check_device(map_location, "load")
    if io_streams.is_readable_stream(path):  # torch.load(f) with f opened "rb"
        return io_streams.load_stream(path, format)
    path = as_path(path, "load")
    if _format(path, format) == "safetensors":
        from . import io_safetensors

        return io_safetensors.load(path)
    readable_file(path, "load")
    from . import io_torch  # a torch.save file, whatever its suffix, or a chainrule .pt of old

    if io_torch.is_torch_file(path):
        return io_torch.load(path)
    try:
        if not zipfile.is_zipfile(path):
            raise CheckpointError(
                f"load: expected a complete chainrule checkpoint at {path}, got a damaged or "
                "foreign file (not an .npz archive)."
            )
        header, arrays = _read_archive(path)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            got = header.get("format") if isinstance(header, dict) else type(header).__name__
            raise CheckpointError(f"load: expected format {FORMAT!r} in {path}, got {got!r}.")
        if header.get("version") != VERSION or "tree" not in header:
            raise CheckpointError(
                f"load: expected a version {VERSION} header with a tree in {path}, got "
                f"version {header.get('version')!r}.\nHint: was it written by a newer chainrule?"
            )
        used: set[str] = set()
        tree = _join(header["tree"], arrays, used)
        if used != set(arrays):
            raise ValueError("array members that the header does not mention")
    except CheckpointError:
        raise
    except _Refused as error:
        raise CheckpointError(
            f"load: expected plain numeric arrays in {path}, got {error}; refusing to load it."
        ) from None
    except MemoryError:
        raise CheckpointError(
            f"load: expected a checkpoint that fits in memory, got {path}, which does not."
        ) from None
    except Exception as error:  # a flipped bit can surface as almost any error from zipfile or json
        raise CheckpointError(
            f"load: expected a complete chainrule checkpoint at {path}, got a damaged or "
            f"foreign file ({type(error).__name__}: {error})."
        ) from None
    return tree


def _format(path: Path, format: str | None) -> str:
    if format is None:
        suffix = path.suffix.lower()
        return {".safetensors": "safetensors", ".pt": "torch", ".pth": "torch"}.get(suffix, "npz")
    if format not in ("npz", "safetensors", "torch"):
        raise ValueError(
            f"save/load: expected format 'npz', 'safetensors' or 'torch', got {format!r}."
        )
    return format


def to_bytes(obj: Any) -> bytes:
    """The checkpoint bytes of ``obj`` (for tests and for sending over a wire)."""
    buffer = _io.BytesIO()
    np.savez(buffer, **_payload(obj))
    return buffer.getvalue()
