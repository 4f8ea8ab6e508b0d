"""``torch.utils.collect_env``: what to paste into a bug report (``python -m
chainrule.utils.collect_env``), for chainrule: its version, NumPy's, Python's and the OS."""

from __future__ import annotations

import os
import platform
import sys
from typing import NamedTuple

import numpy as np


class SystemEnv(NamedTuple):
    chainrule_version: str
    numpy_version: str
    python_version: str
    python_platform: str
    os: str
    cpu_count: int | None
    is_cuda_available: bool


def get_env_info() -> SystemEnv:
    from ..version import __version__

    return SystemEnv(
        __version__,
        np.__version__,
        f"{platform.python_version()} ({sys.maxsize.bit_length() + 1}-bit runtime)",
        platform.platform(),
        f"{platform.system()} {platform.release()}",
        os.cpu_count(),
        False,
    )


def get_pretty_env_info() -> str:
    env = get_env_info()
    return "\n".join(
        [
            f"chainrule version: {env.chainrule_version}",
            f"NumPy version: {env.numpy_version}",
            f"Python version: {env.python_version}",
            f"Python platform: {env.python_platform}",
            f"OS: {env.os}",
            f"CPU count: {env.cpu_count}",
            f"Is CUDA available: {env.is_cuda_available}",
        ]
    )


def main() -> None:
    print("Collecting environment information...")
    print(get_pretty_env_info())


if __name__ == "__main__":
    main()
