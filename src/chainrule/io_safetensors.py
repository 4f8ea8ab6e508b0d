"""safetensors checkpoints: weights that PyTorch (and anything else) loads, without pickle.

A plain state dict is written as it is, under torch's names and layouts, so that
``model.load_state_dict(safetensors.torch.load_file(path), strict=True)`` works in PyTorch.
A training checkpoint (a dict whose ``"model"`` entry is a state dict) puts the model's weights
in the tensors, its plain values (configuration, epoch, history) as JSON text in the
safetensors metadata, and its other arrays (optimizer moments, standardizer) beside it in
``<stem>.state.npz``, since safetensors holds flat named tensors only.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CheckpointError

METADATA_KEY = "chainrule"
_SIDECAR_KEY = "chainrule_sidecar"


def _safetensors():
    try:
        import safetensors.numpy as st
    except ImportError:
        raise ImportError("save/load: expected the safetensors package for .safetensors files, got "
                          "none installed.\nHint: pip install 'chainrule[export]'.") from None
    return st


def sidecar_path(path: str | Path) -> Path:
    """Where a training checkpoint's arrays outside the model go: ``run.safetensors`` -> ``run.state.npz``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.state.npz")


def _as_array(value: Any) -> np.ndarray | None:
    from .autograd.tensor import Tensor

    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object:
        return np.asarray(value, order="C")  # not ascontiguousarray: it turns a 0-d array 1-d
    return None


def _tensors(state: Mapping[str, Any], where: str) -> dict[str, np.ndarray]:
    tensors = {}
    for name, value in state.items():
        array = _as_array(value)
        if not isinstance(name, str) or array is None:
            raise CheckpointError(
                f"save({where}): expected a state dict of named numeric arrays, got "
                f"{type(value).__name__} at key {name!r}.\nHint: safetensors holds flat named "
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


def _write_atomically(path: Path, payload: bytes) -> None:
    """A temporary file named as chainrule.save names its own (so a killed save's leftovers are
    cleaned by the next), created 0o666 so the umask decides the mode, then renamed over ``path``."""
    from . import io

    io.check_writable(path, "save(safetensors)")
    io._remove_stale_partials(path.parent, path.name)
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{io._PARTIAL}"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        io.refuse_special(path, "save(safetensors)")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def save(obj: Any, path: str | Path) -> Path:
    """Write a state dict, or a training checkpoint with a ``"model"`` state dict, as safetensors."""
    st = _safetensors()
    path = Path(path)
    if _is_state_dict(obj):
        _write_atomically(path, st.save(_tensors(obj, "safetensors"), metadata={"format": "pt"}))
        return path
    if not isinstance(obj, Mapping) or not isinstance(obj.get("model"), Mapping):
        raise CheckpointError(
            f"save(safetensors): expected a state dict or a dict with a 'model' state dict, got "
            f"{type(obj).__name__}.\nHint: save model.state_dict(), or use a .npz path for other objects."
        )
    tensors = _tensors(obj["model"], "safetensors")
    rest = {k: v for k, v in obj.items() if k != "model"}
    with_arrays = {k: v for k, v in rest.items() if _holds_arrays(v)}
    plain = {k: v for k, v in rest.items() if k not in with_arrays}
    metadata = {"format": "pt", METADATA_KEY: json.dumps(plain, default=_plain)}
    if with_arrays:
        from . import io

        sidecar = sidecar_path(path)
        io.save(with_arrays, sidecar)  # first, so the main file never names a sidecar that is not there
        metadata[_SIDECAR_KEY] = sidecar.name
    _write_atomically(path, st.save(tensors, metadata=metadata))
    return path


def load(path: str | Path) -> Any:
    """Read a safetensors file: a state dict, or the training checkpoint ``save`` wrote."""
    st = _safetensors()
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"load: expected a checkpoint file at {path}, got no such file.")
    payload = path.read_bytes()
    try:
        tensors = st.load(payload)
        metadata = _metadata(payload)
    except Exception as error:  # the Rust reader raises its own error types
        raise CheckpointError(f"load: expected a complete safetensors file at {path}, got a damaged or "
                              f"foreign file ({type(error).__name__}: {error}).") from None
    if METADATA_KEY not in metadata:
        return tensors
    state = json.loads(metadata[METADATA_KEY])
    state["model"] = tensors
    if _SIDECAR_KEY in metadata:
        from . import io

        sidecar = path.with_name(metadata[_SIDECAR_KEY])
        if not sidecar.is_file():
            raise CheckpointError(
                f"load: expected {sidecar.name} beside {path.name} (the optimizer and other arrays of "
                f"this training checkpoint), got no such file.\nHint: copy both files, or load the "
                "weights alone with safetensors.numpy.load_file."
            )
        state.update(io.load(sidecar))
    return state


def _metadata(payload: bytes) -> dict[str, str]:
    """The header's __metadata__ (the format: 8-byte little-endian length, then JSON)."""
    length = int.from_bytes(payload[:8], "little")
    header = json.loads(payload[8:8 + length].decode("utf-8"))
    return header.get("__metadata__") or {}
