"""The files a command reads and writes, so that no output can overwrite an input."""

from __future__ import annotations

from pathlib import Path

from ..data.bundled import BUNDLED


def checkpoint_files(path: Path | None) -> list[Path]:
    """A checkpoint's files: a .safetensors one has its .state.npz beside it."""
    if path is None:
        return []
    from ..io_safetensors import sidecar_path

    return [path, sidecar_path(path)] if path.suffix == ".safetensors" else [path]


def input_files(dataset: str | None, checkpoint: Path | None) -> tuple[Path, ...]:
    """The files a command reads, which none of its outputs may overwrite."""
    files = checkpoint_files(checkpoint)
    if dataset and dataset not in BUNDLED and dataset != "mnist":
        files.append(Path(dataset))
    return tuple(files)
