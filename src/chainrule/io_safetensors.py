"""safetensors checkpoints: weights that PyTorch (and anything else) loads, without pickle.

A plain state dict is written as it is, under torch's names and layouts, so that
``model.load_state_dict(safetensors.torch.load_file(path), strict=True)`` works in PyTorch.
A training checkpoint (a dict whose ``"model"`` entry is a state dict) puts the model's weights
in the tensors, its plain values (configuration, epoch, history) as JSON text in the
safetensors metadata, and its other arrays (optimizer moments, standardizer) beside it in
``<stem>.state.npz``, since safetensors holds flat named tensors only.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CheckpointError
from .io_paths import readable_file, write_atomically

METADATA_KEY = "chainrule"
_SIDECAR_KEY = "chainrule_sidecar"
_PAIR_KEY = "chainrule_pair"
_TENSORS_KEY = "chainrule_tensors"


def _safetensors():
    try:
        import safetensors.numpy as st
    except ImportError:
        raise ImportError(
            "save/load: expected the safetensors package for .safetensors files, got "
            "none installed.\nHint: pip install 'chainrule[export]'."
        ) from None
    return st


def sidecar_path(path: str | Path) -> Path:
    """Where a training checkpoint's arrays outside the model go: ``run.safetensors`` -> ``run.state.npz``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.state.npz")


def _as_array(value: Any) -> np.ndarray | None:
    from .autograd.tensor import Tensor

    if isinstance(value, Tensor):
        value = value.detach().numpy()
    # safetensors has numbers and bools only: a str or datetime array is refused by our own error
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "biufc":
        return np.asarray(value, order="C")  # not ascontiguousarray: it turns a 0-d array 1-d
    return None


def _tensors(state: Mapping[str, Any], where: str) -> dict[str, np.ndarray]:
    tensors = {}
    for name, value in state.items():
        array = _as_array(value)
        if not isinstance(name, str) or array is None:
            what = f"dtype {value.dtype}" if isinstance(value, np.ndarray) else type(value).__name__
            raise CheckpointError(
                f"save({where}): expected a state dict of named numeric arrays, got "
                f"{what} at key {name!r}.\nHint: safetensors holds flat named "
                "tensors; save other values in a training checkpoint's entries beside 'model'."
            )
        tensors[name] = array
    return tensors


def _holds_arrays(value: Any) -> bool:
    if _as_array(value) is not None and not isinstance(value, np.generic):
        return True
    if isinstance(value, Mapping):
        return any(_holds_arrays(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_arrays(v) for v in value)
    return False


def _plain(value: Any) -> Any:
    """json.dumps fallback: NumPy scalars become Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    raise CheckpointError(f"save: expected JSON-compatible values, got {type(value).__name__}.")


def _is_state_dict(obj: Any) -> bool:
    return isinstance(obj, Mapping) and all(_as_array(v) is not None for v in obj.values())


def _write_atomically(path: Path, payload: bytes, who: str = "save(safetensors)") -> None:
    """``payload`` at ``path``, written as chainrule.save writes its own (io_paths.py)."""
    write_atomically(path, lambda stream: stream.write(payload), who)


def save(obj: Any, path: str | Path) -> Path:
    """Write a state dict, or a training checkpoint with a ``"model"`` state dict, as safetensors."""
    st = _safetensors()
    path = Path(path)
    if _is_state_dict(obj):
        _write_atomically(path, st.save(_tensors(obj, "safetensors"), metadata={"format": "pt"}))
        return path
    if not isinstance(obj, Mapping) or not isinstance(obj.get("model"), Mapping):
        arrays = isinstance(obj, Mapping) and any(isinstance(v, np.ndarray) for v in obj.values())
        if arrays and "model" not in obj:
            _tensors(obj, "safetensors")  # a state dict, but for one entry: name it
        raise CheckpointError(
            f"save(safetensors): expected a state dict or a dict with a 'model' state dict, got "
            f"{type(obj).__name__}.\nHint: save model.state_dict(), or use a .npz path for other objects."
        )
    tensors = _tensors(obj["model"], "safetensors")
    rest = {k: v for k, v in obj.items() if k != "model"}
    with_arrays = {k: v for k, v in rest.items() if _holds_arrays(v)}
    plain = {k: v for k, v in rest.items() if k not in with_arrays}
    metadata = {
        "format": "pt",
        METADATA_KEY: json.dumps(plain, default=_plain),
        _TENSORS_KEY: json.dumps(_fingerprints(tensors)),
    }
    if with_arrays:
        from . import io

        # One token in both files: a pair from two different saves (one killed between the
        # two renames) is refused on load instead of resuming with mismatched state.
        token = secrets.token_hex(16)
        io.save(
            {**with_arrays, _PAIR_KEY: token}, sidecar_path(path)
        )  # first: the weights never outrun it
        metadata[_SIDECAR_KEY] = sidecar_path(path).name
        metadata[_PAIR_KEY] = token
    _write_atomically(path, st.save(tensors, metadata=metadata))
    return path


def _fingerprints(tensors: Mapping[str, np.ndarray]) -> dict[str, list[str]]:
    """Each tensor's dtype and sha256: safetensors has no checksum, so a flipped bit or a
    relabelled dtype would otherwise load as different weights without a word."""
    return {
        name: [a.dtype.str, hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()]
        for name, a in tensors.items()
    }


def load(path: str | Path) -> Any:
    """Read a safetensors file: a state dict, or the training checkpoint ``save`` wrote."""
    st = _safetensors()
    path = readable_file(path, "load")
    try:
        payload = path.read_bytes()
    except OSError as error:
        raise CheckpointError(
            f"load: expected a readable checkpoint file at {path}, got {error.strerror or error}."
        ) from None
    try:
        header, metadata = _header(payload)
        _numpy_dtypes(header, path)
        tensors = st.load(payload)
    except CheckpointError:
        raise
    except Exception as error:  # the Rust reader raises its own error types
        raise CheckpointError(
            f"load: expected a complete safetensors file at {path}, got a damaged or "
            f"foreign file ({type(error).__name__}: {error})."
        ) from None
    if _TENSORS_KEY in metadata:
        _verify(tensors, metadata[_TENSORS_KEY], path)
    if METADATA_KEY not in metadata:
        return tensors
    try:
        state = json.loads(metadata[METADATA_KEY])
    except ValueError:
        state = None
    if not isinstance(state, dict):
        raise CheckpointError(
            f"load: expected the {METADATA_KEY!r} metadata of {path} to hold a JSON object, got "
            f"{metadata[METADATA_KEY][:40]!r}; the file is damaged or was not written by chainrule."
        )
    state["model"] = tensors
    if _SIDECAR_KEY in metadata:
        state.update(_load_sidecar(path, metadata.get(_PAIR_KEY)))
    return state


def _verify(tensors: Mapping[str, np.ndarray], recorded: str, path: Path) -> None:
    try:
        expected = json.loads(recorded)
        expected = {str(k): (str(v[0]), str(v[1])) for k, v in expected.items()}
    except (ValueError, TypeError, IndexError, AttributeError):
        raise CheckpointError(
            f"load: expected a readable list of tensor checksums in {path}, got a damaged one."
        ) from None
    if set(expected) != set(tensors):
        raise CheckpointError(
            f"load: expected the tensors {sorted(expected)[:4]} recorded in {path}, got "
            f"{sorted(tensors)[:4]}."
        )
    for name, (dtype, digest) in _fingerprints(tensors).items():
        if (dtype, digest) != expected[name]:
            what = (
                f"dtype {dtype} where {expected[name][0]} was written"
                if dtype != expected[name][0]
                else "bytes whose sha256 differs from the one written"
            )
            raise CheckpointError(
                f"load: expected tensor {name!r} in {path} as it was saved, got {what}; "
                "the file is damaged.\nHint: resume from an earlier copy."
            )


def _load_sidecar(path: Path, token: str | None) -> dict[str, Any]:
    """The arrays beside ``path``: always ``<its stem>.state.npz``, so a copied or renamed
    pair (run.* to snap.*) reads its own, never the original's."""
    from . import io

    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        raise CheckpointError(
            f"load: expected {sidecar.name} beside {path.name} (the optimizer and other arrays of "
            f"this training checkpoint), got no such file.\nHint: copy both files, or load the "
            "weights alone with safetensors.numpy.load_file."
        )
    arrays = io.load(sidecar)
    theirs = arrays.pop(_PAIR_KEY, None) if isinstance(arrays, dict) else None
    if token is not None and theirs != token:
        raise CheckpointError(
            f"load: expected {path.name} and {sidecar.name} from one save, got a pair "
            "written by different saves (a save interrupted between the two files, or "
            "files mixed from two runs).\nHint: resume from a matching pair."
        )
    return arrays


def _header(payload: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """The header (the format: 8-byte little-endian length, then JSON) and its __metadata__;
    a header that safetensors itself would refuse raises here, reported by the caller as damage."""
    length = int.from_bytes(payload[:8], "little")
    header = json.loads(payload[8 : 8 + length].decode("utf-8"))
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError("__metadata__ must map names to strings")
    return header, metadata


# bfloat16 and the float8s are valid safetensors dtypes that NumPy has no type for
_NUMPY_LACKS = ("BF16", "F8_", "F6_", "F4")


def _numpy_dtypes(header: dict[str, Any], path: Path) -> None:
    """Refuse, by name, a tensor of a dtype NumPy cannot hold, instead of calling the file damaged."""
    for name, info in header.items():
        dtype = info.get("dtype") if isinstance(info, dict) else None
        if name != "__metadata__" and isinstance(dtype, str) and dtype.startswith(_NUMPY_LACKS):
            raise CheckpointError(
                f"load: expected tensors of a dtype NumPy holds (F16, F32, F64, integers, BOOL) "
                f"in {path}, got {name!r} of dtype {dtype}.\nHint: convert in PyTorch before "
                "saving: {k: v.float() for k, v in state_dict.items()}."
            )
