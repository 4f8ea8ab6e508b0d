"""Images for SummaryWriter.add_image / add_images / add_figure, laid out and scaled as torch's
tensorboard summaries lay them out, and encoded as PNG here (zlib is in the standard library,
so no imaging package is needed to write them)."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

from ...tensor_numpy import values_of

from ..._checks import message
from ...errors import ArgumentError
from .records import field_bytes, field_varint


def image_summary(tag: str, values: Any, dataformats: str, who: str) -> bytes:
    """Summary.Value(tag, image=Image(height 1, width 2, colorspace 3, PNG bytes 4))."""
    array = values_of(values)
    hwc = to_hwc(array, dataformats, who)
    # uint8 images are taken as 0-255; any other dtype as 0-1, as torch decides
    scale = 1 if array.dtype == np.uint8 else 255
    pixels = (hwc.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)
    height, width, channels = pixels.shape
    image = (
        field_varint(1, height)
        + field_varint(2, width)
        + field_varint(3, channels)
        + field_bytes(4, png(pixels))
    )
    return field_bytes(1, field_bytes(1, tag) + field_bytes(4, image))


def to_hwc(array: np.ndarray, dataformats: str, who: str) -> np.ndarray:
    """An image as (height, width, channels): a batch (4 letters) tiled into a grid of up to 8
    columns, one channel repeated into three."""
    letters = dataformats.upper()
    if len(set(letters)) != len(letters) or array.ndim != len(letters) or array.ndim < 2:
        raise ArgumentError(
            message(who, f"an array with the dimensions of {dataformats!r}", f"shape {array.shape}")
        )
    if array.ndim == 4:
        nchw = array.transpose([letters.find(c) for c in "NCHW"])
        return grid(nchw).transpose(1, 2, 0)
    if array.ndim == 3:
        hwc = array.transpose([letters.find(c) for c in "HWC"])
        return np.concatenate([hwc] * 3, axis=2) if hwc.shape[2] == 1 else hwc
    hw = array.transpose([letters.find(c) for c in "HW"])
    return np.stack([hw] * 3, axis=2)


def grid(nchw: np.ndarray, columns: int = 8) -> np.ndarray:
    """The images of a batch side by side, ``columns`` to a row, no padding: (C, H rows, W cols)."""
    if nchw.shape[1] == 1:
        nchw = np.concatenate([nchw] * 3, axis=1)
    count, channels, height, width = nchw.shape
    columns = min(count, columns)
    rows = -(-count // columns)
    canvas = np.zeros((channels, height * rows, width * columns), dtype=nchw.dtype)
    for i, image in enumerate(nchw):
        row, column = divmod(i, columns)
        canvas[:, row * height : (row + 1) * height, column * width : (column + 1) * width] = image
    return canvas


def png(pixels: np.ndarray) -> bytes:
    """A (height, width, 1/3/4) uint8 array as PNG bytes: one IDAT of unfiltered rows."""
    height, width, channels = pixels.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = np.concatenate(
        [np.zeros((height, 1), np.uint8), pixels.reshape(height, width * channels)], axis=1
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(np.ascontiguousarray(rows).tobytes()))
        + chunk(b"IEND", b"")
    )


def figure_chw(figure: Any, close: bool) -> np.ndarray:
    """A matplotlib figure drawn to RGB pixels, (3, height, width), as torch's figure_to_image."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba(), dtype=np.uint8)
    if close:
        import matplotlib.pyplot as plt

        plt.close(figure)
    return np.moveaxis(rgba[:, :, :3], 2, 0)
