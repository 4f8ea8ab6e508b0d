"""Where a checkpoint may be written or read: the checks that run before any work is done.

A save goes to a temporary file beside its target, then a rename (io.py, io_safetensors.py):
so the folder must exist and be writable, the target must not be a folder, a device or a FIFO
(a rename would replace it), nor one of the command's own inputs; a save killed mid-write leaves
a temporary that the next save to that name deletes. A load needs a regular file.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import IO, Any, Callable

from .errors import CheckpointError, CheckpointIsADirectoryError, CheckpointNotFoundError

# A temporary file is named .<name>.<pid>.<random>.chainrule-partial, so a save killed
# mid-write leaves something recognisable that the next save to that folder can delete.
_PARTIAL = ".chainrule-partial"


def _remove_stale_partials(folder: Path, name: str) -> None:
    """Delete temporaries of earlier saves to ``name`` whose process is gone (killed mid-write)."""
    for candidate in folder.glob(f".{name}.*{_PARTIAL}"):
        try:
            pid = int(candidate.name[len(name) + 2 :].split(".")[0])
        except ValueError:
            continue
        if pid != os.getpid() and _process_alive(pid):
            continue
        try:
            candidate.unlink()
        except OSError:
            pass


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def check_writable(
    path: str | Path, who: str = "save", inputs: tuple[str | Path | None, ...] = ()
) -> Path:
    """Refuse, before any work is done, a path that a checkpoint could not be written to, or
    must not be: a special file (a rename would replace /dev/null or a FIFO) or one of ``inputs``."""
    path = Path(path)
    if path.is_dir():
        raise CheckpointError(
            f"{who}: expected a file path for the checkpoint, got the folder {path}.\n"
            f"Hint: name a file inside it, e.g. {path / 'run.npz'}."
        )
    refuse_special(path, who)
    for source in inputs:
        if source is not None and same_file(path, source):
            raise CheckpointError(
                f"{who}: expected an output path other than the input {source}, got {path}, "
                "which would overwrite it.\nHint: choose another file name."
            )
    folder = path.parent
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise CheckpointError(
                    f"{who}: expected a folder at {parent} to hold {path.name}, got a file."
                )
            break
    if who == "save" and not folder.is_dir():  # torch.save refuses (the CLI's --save creates)
        raise CheckpointNotFoundError(
            f"{who}: expected an existing folder to hold {path.name}, got {folder}, which does "
            f"not exist.\nHint: create it first: os.makedirs({str(folder)!r}, exist_ok=True)."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".{path.name}.{os.getpid()}.probe{_PARTIAL}"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise CheckpointError(
            f"{who}: expected a folder where a checkpoint can be written, got {folder} "
            f"({error.strerror or type(error).__name__})."
        ) from None
    return path


def as_path(path: Any, who: str) -> Path:
    """``path`` as a Path, or an error naming what was passed instead (file objects: io_streams)."""
    if isinstance(path, (str, os.PathLike)) and not isinstance(path, bytes):
        return Path(path)
    raise TypeError(
        f"{who}: expected a file path (str or os.PathLike), got {type(path).__name__}.\n"
        "Hint: pass a path, or a binary file object opened with 'wb' or 'rb'."
    )


def readable_file(path: Any, who: str) -> Path:
    """``path`` if it names an existing regular file; else an error saying what it names."""
    path = as_path(path, who)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        missing = isinstance(error, FileNotFoundError)
        got = "no such file" if missing else error.strerror
        kind = CheckpointNotFoundError if missing else CheckpointError  # torch's FileNotFoundError
        raise kind(f"{who}: expected a checkpoint file at {path}, got {got}.") from None
    if not stat.S_ISREG(mode):
        folder = stat.S_ISDIR(mode)
        what = "a folder" if folder else "a device, FIFO or socket"
        kind = CheckpointIsADirectoryError if folder else CheckpointError
        raise kind(f"{who}: expected a checkpoint file at {path}, got {what}.")
    return path


def refuse_special(path: Path, who: str) -> None:
    """An existing output must be a regular file: renaming over a device, FIFO or socket replaces it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
        raise CheckpointError(
            f"{who}: expected a regular file or a new path, got {path}, which is {kind}."
        )


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file (hard links and symlinks included), or would once written."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def write_atomically(path: Path, write: Callable[[IO[bytes]], Any], who: str) -> None:
    """``write(stream)`` into a temporary file beside ``path``, then a rename over it: a crash
    mid-write leaves the previous file whole. Every checkpoint format and the ONNX export save
    through here, so their temporaries are named alike and cleaned by the next save."""
    check_writable(path, who)
    _remove_stale_partials(path.parent, path.name)
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{_PARTIAL}"
    try:
        # os.open with 0o666 lets the umask decide the mode, as for any other file (mkstemp forces 0600).
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        refuse_special(path, who)  # again: the path may have changed since check_writable
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
