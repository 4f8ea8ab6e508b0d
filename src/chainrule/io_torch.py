"""torch.save's file format (a zip of a pickle program and raw storages), read and written
without the pickle module, so ``.pt`` / ``.pth`` files move both ways with PyTorch.

Reading runs the pickle program on a small stack machine that knows only the opcodes a
torch.save of plain data uses and only the globals torch's own ``weights_only=True`` loader
allows for them (OrderedDict, the tensor rebuilders, the typed storages): nothing in the file
can name a function to call. Writing emits the same opcodes for dicts, lists, tuples, numbers,
strings, None and arrays, which ``torch.load(path, weights_only=True)`` reads.
"""

from __future__ import annotations

import io as _io
import struct
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from . import io_leaves
from .errors import CheckpointError

_STORAGES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
    "ComplexFloatStorage": np.complex64,
    "ComplexDoubleStorage": np.complex128,
}
_NAMES = {np.dtype(dtype): name for name, dtype in _STORAGES.items()}
_MARK = object()


def is_torch_file(path: Path) -> bool:
    """A zip holding ``<folder>/data.pkl``: torch.save's format (not chainrule's npz)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.endswith("/data.pkl") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


class _Tensor:
    """What the program's tensor rebuild yields, made an ndarray once storages are read."""

    def __init__(self, storage: tuple, offset: int, size: tuple, stride: tuple) -> None:
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride
        self.requires_grad, self.parameter = False, False


class _Dict(dict):
    """OrderedDict as torch pickles it (with state set by BUILD, which is ignored)."""


def _rebuild_tensor(storage, offset, size, stride, requires_grad=False, *unused):
    tensor = _Tensor(storage, int(offset), tuple(size), tuple(stride))
    tensor.requires_grad = requires_grad
    return tensor


def _rebuild_parameter(data, requires_grad=True, *unused):
    if isinstance(data, _Tensor):  # torch.load gives an nn.Parameter back (io_leaves.py)
        data.requires_grad, data.parameter = requires_grad, True
    return data


_GLOBALS = {
    ("collections", "OrderedDict"): _Dict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    **{("torch", name): name for name in _STORAGES},
}


def load(path: Path) -> Any:
    """The object a torch.save file holds, its tensors as ndarrays."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            declared = sum(info.file_size for info in archive.infolist())
            if declared > 2 * path.stat().st_size + (1 << 20):  # torch stores, never deflates
                raise _Refused(f"members that would decompress to {declared} bytes")
            program = next(n for n in names if n.endswith("/data.pkl"))
            folder = program[: -len("data.pkl")]
            if f"{folder}byteorder" in names and archive.read(f"{folder}byteorder") != b"little":
                raise _Refused("big-endian storages")
            result = _run(archive.read(program))
            return _arrays(result, lambda key: archive.read(f"{folder}data/{key}"))
    except _Refused as error:
        raise CheckpointError(
            f"load: expected a torch.save file of plain data (tensors, dicts, lists, numbers) in "
            f"{path}, got {error}; refusing to load it.\nHint: in PyTorch, save "
            f"model.state_dict() rather than the model."
        ) from None
    except CheckpointError:
        raise
    except Exception as error:  # a damaged file can fail in zipfile, struct or a lookup
        raise CheckpointError(
            f"load: expected a complete torch.save file at {path}, got a damaged one "
            f"({type(error).__name__}: {error})."
        ) from None


class _Refused(Exception):
    pass


def _arrays(value: Any, read: Any) -> Any:
    if isinstance(value, _Tensor):
        kind, dtype_name, key, _, numel = value.storage
        dtype = np.dtype(_STORAGES[dtype_name])
        raw = read(key)
        if len(raw) != int(numel) * dtype.itemsize:
            raise ValueError(f"storage {key} holds {len(raw)} bytes, not {numel} {dtype}")
        flat = np.frombuffer(raw, dtype=dtype)
        if int(np.prod(value.size, dtype=np.int64)) > max(flat.size, 1):
            raise ValueError(f"a tensor of shape {value.size} on a storage of {flat.size}")
        if value.size and (
            value.offset < 0
            or any(s < 0 for s in value.stride)
            or value.offset + sum((n - 1) * s for n, s in zip(value.size, value.stride))
            >= flat.size
        ):
            raise ValueError(f"a tensor that reads past its storage {key}")
        view = np.lib.stride_tricks.as_strided(
            flat[value.offset :] if flat.size else flat,
            value.size,
            [s * dtype.itemsize for s in value.stride],
        )
        return io_leaves.loaded(np.array(view, copy=True), value.requires_grad, value.parameter)
    if isinstance(value, dict):
        return {k: _arrays(v, read) for k, v in value.items()}
    if isinstance(value, list):
        return [_arrays(v, read) for v in value]
    if isinstance(value, tuple):
        return tuple(_arrays(v, read) for v in value)
    return value


def _run(program: bytes) -> Any:
    """The pickle program's result, on the opcodes of protocols 2 to 4 that plain data uses."""
    stack: list[Any] = []
    memo: dict[int, Any] = {}
    stream = _io.BytesIO(program)

    def take(n: int) -> bytes:
        data = stream.read(n)
        if len(data) != n:
            raise ValueError("the pickle program ends early")
        return data

    def unpack(fmt: str) -> Any:
        return struct.unpack(fmt, take(struct.calcsize(fmt)))[0]

    def marked() -> list[Any]:
        at = max(i for i, v in enumerate(stack) if v is _MARK)
        items = stack[at + 1 :]
        del stack[at:]
        return items

    while True:
        op = take(1)
        if op == b"\x80":  # PROTO
            take(1)
        elif op == b"\x95":  # FRAME
            take(8)
        elif op == b".":  # STOP
            return stack.pop()
        elif op == b"(":
            stack.append(_MARK)
        elif op == b")":
            stack.append(())
        elif op == b"}":
            stack.append({})
        elif op == b"]":
            stack.append([])
        elif op == b"N":
            stack.append(None)
        elif op in (b"\x88", b"\x89"):
            stack.append(op == b"\x88")
        elif op == b"K":
            stack.append(unpack("<B"))
        elif op == b"M":
            stack.append(unpack("<H"))
        elif op == b"J":
            stack.append(unpack("<i"))
        elif op == b"\x8a":  # LONG1
            stack.append(int.from_bytes(take(unpack("<B")), "little", signed=True))
        elif op == b"G":
            stack.append(unpack(">d"))
        elif op == b"X":
            stack.append(take(unpack("<I")).decode("utf-8"))
        elif op == b"\x8c":  # SHORT_BINUNICODE
            stack.append(take(unpack("<B")).decode("utf-8"))
        elif op == b"t":
            stack.append(tuple(marked()))
        elif op in (b"\x85", b"\x86", b"\x87"):  # TUPLE1..3
            count = {b"\x85": 1, b"\x86": 2, b"\x87": 3}[op]
            items = tuple(stack[-count:])
            del stack[-count:]
            stack.append(items)
        elif op == b"q":
            memo[unpack("<B")] = stack[-1]
        elif op == b"r":
            memo[unpack("<I")] = stack[-1]
        elif op == b"\x94":  # MEMOIZE
            memo[len(memo)] = stack[-1]
        elif op == b"h":
            stack.append(memo[unpack("<B")])
        elif op == b"j":
            stack.append(memo[unpack("<I")])
        elif op in (b"c", b"\x93"):  # GLOBAL, STACK_GLOBAL
            if op == b"c":
                module = stream.readline()[:-1].decode("utf-8")
                name = stream.readline()[:-1].decode("utf-8")
            else:
                name, module = stack.pop(), stack.pop()
            if (module, name) not in _GLOBALS:
                raise _Refused(f"a reference to {module}.{name}")
            stack.append(_GLOBALS[(module, name)])
        elif op == b"R":  # REDUCE
            args = stack.pop()
            function = stack.pop()
            if not callable(function):
                raise _Refused(f"a call of {function!r}")
            stack.append(function(*args))
        elif op == b"Q":  # BINPERSID: ('storage', type, key, location, numel)
            pid = stack.pop()
            if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
                raise _Refused(f"a persistent reference {str(pid)[:40]}")
            stack.append(pid)
        elif op == b"s":
            value, key = stack.pop(), stack.pop()
            stack[-1][key] = value
        elif op == b"u":
            items = marked()
            stack[-1].update(zip(items[::2], items[1::2]))
        elif op == b"a":
            value = stack.pop()
            stack[-1].append(value)
        elif op == b"e":
            items = marked()
            stack[-1].extend(items)
        elif op == b"b":  # BUILD: an OrderedDict's _metadata, which chainrule does not use
            stack.pop()
        else:
            raise _Refused(f"pickle opcode {op!r}")


def save(obj: Any, path: Path) -> bytes:
    """torch.save's bytes for ``obj``: archive/data.pkl and one storage per array."""
    storages: list[np.ndarray] = []
    program = bytearray(b"\x80\x02")
    _emit(obj, program, storages, "the checkpoint")
    program += b"."
    folder = path.stem or "archive"
    buffer = _io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"{folder}/data.pkl", bytes(program))
        archive.writestr(f"{folder}/byteorder", "little")
        for key, array in enumerate(storages):
            archive.writestr(f"{folder}/data/{key}", array.tobytes())
        archive.writestr(f"{folder}/version", "3\n")
    return buffer.getvalue()


def _text(value: str) -> bytes:
    raw = value.encode("utf-8")
    return b"X" + struct.pack("<I", len(raw)) + raw


def _emit(value: Any, out: bytearray, storages: list, where: str) -> None:
    from .autograd.tensor import Tensor

    requires_grad, parameter = io_leaves.flags(value)
    if parameter:  # torch's form: _rebuild_parameter(the tensor, requires_grad, OrderedDict())
        out += b"ctorch._utils\n_rebuild_parameter\n("
        _emit_tensor(value._data, out, storages, where, False)
        out += (b"\x88" if requires_grad else b"\x89") + b"ccollections\nOrderedDict\n)RtR"
        return
    if isinstance(value, Tensor):
        value = value._data
    if isinstance(value, np.ndarray):
        _emit_tensor(value, out, storages, where, requires_grad)
        return
    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        out += b"N"
    elif isinstance(value, bool):
        out += b"\x88" if value else b"\x89"
    elif isinstance(value, int):
        raw = value.to_bytes((value.bit_length() + 8) // 8 or 1, "little", signed=True)
        out += b"\x8a" + bytes([len(raw)]) + raw
    elif isinstance(value, float):
        out += b"G" + struct.pack(">d", value)
    elif isinstance(value, str):
        out += _text(value)
    elif isinstance(value, dict):
        out += b"ccollections\nOrderedDict\n)R(" if type(value).__name__ == "OrderedDict" else b"}("
        for key, item in value.items():
            if not isinstance(key, (str, int)):
                raise CheckpointError(f"save: expected str or int keys, got {key!r} at {where}.")
            _emit(key, out, storages, where)
            _emit(item, out, storages, f"{where}.{key}")
        out += b"u"
    elif isinstance(value, (list, tuple)):
        out += b"(" if isinstance(value, tuple) else b"]("
        for index, item in enumerate(value):
            _emit(item, out, storages, f"{where}[{index}]")
        out += b"t" if isinstance(value, tuple) else b"e"
    else:
        raise CheckpointError(
            f"save: expected tensors, arrays, numbers, strings, lists and dicts, got "
            f"{type(value).__name__} at {where}."
        )


def _emit_tensor(
    array: np.ndarray, out: bytearray, storages: list, where: str, requires_grad: bool
) -> None:
    if not array.dtype.isnative:  # torch's storages are little-endian, as this machine's
        array = array.astype(array.dtype.newbyteorder("="))
    name = _NAMES.get(array.dtype)
    if name is None:
        raise CheckpointError(f"save: expected a dtype torch stores, got {array.dtype} at {where}.")
    contiguous = array if array.flags.c_contiguous else array.copy(order="C")  # (0-d stays 0-d)
    key = len(storages)
    storages.append(contiguous)
    shape = contiguous.shape
    strides = [int(np.prod(shape[i + 1 :], dtype=np.int64)) for i in range(len(shape))]
    out += b"ctorch._utils\n_rebuild_tensor_v2\n("
    out += b"(" + _text("storage") + f"ctorch\n{name}\n".encode() + _text(str(key)) + _text("cpu")
    _emit(int(contiguous.size), out, storages, where)
    out += b"tQ"
    _emit(0, out, storages, where)
    _emit(tuple(int(n) for n in contiguous.shape), out, storages, where)
    _emit(tuple(int(s) for s in strides), out, storages, where)
    out += (b"\x88" if requires_grad else b"\x89") + b"ccollections\nOrderedDict\n)RtR"
