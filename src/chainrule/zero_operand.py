"""A read-only array of zeros to pass where a ufunc would otherwise get the number 0.

NumPy runs ``np.maximum(x, 0)`` through its scalar loop: a broadcast operand (stride 0) does
not take the SIMD loop that two full arrays take. With a full array of zeros the same call gives
the same bits 2.5x faster on float32 (64x128: 3.6 -> 1.4 us; 256x1024: 101 -> 40 us;
bench/RESULTS.md, "ReLU's zero"). The zeros are views of one buffer that NumPy allocates with
calloc and nothing writes, so beyond a few pages the kernel backs it with its shared zero page:
it costs address space, not memory, and every read of it hits the cache.
"""

from __future__ import annotations

import numpy as np

_SMALLEST = 256  # elements: below this the scalar loop is as fast as the lookup
_LARGEST_BYTES = 1 << 28  # past this, the number 0 (no buffer grows without bound)
_buffer = np.zeros(0, np.uint8)
_views: dict[tuple, np.ndarray] = {}  # (shape, dtype) -> a view of _buffer
# 0-d zeros by float dtype, for the ufuncs that take their SIMD loop with a scalar operand
# (``y != 0``): a Python 0 costs them 0.3 us more a call to convert (``ZERO.get(dtype, 0)``)
ZERO = {np.dtype(t): np.zeros((), t) for t in (np.float32, np.float64)}
for _zero in ZERO.values():
    _zero.flags.writeable = False


def zeros_for(array: np.ndarray) -> np.ndarray | int:
    """Zeros of ``array``'s shape and dtype to compare against, or 0 where that gains nothing.

    Only for numbers: zero bytes are 0 (and +0.0) in every integer and float dtype. Only for
    a C-contiguous ``array``: NumPy lays a result out as its operands are, so C-ordered zeros
    would turn the result of a transposed view C-ordered too, where ``np.maximum(x, 0)`` and
    torch keep its layout. (The flag is tested after the lookup, since a transposed view
    shares its key with its C-ordered twin: +0.07 us a call, where strides in the key cost
    +0.12 us, timed interleaved in one process.)
    """
    key = (array.shape, array.dtype)
    view = _views.get(key)
    if view is not None:
        return view if array.flags.c_contiguous else 0
    size = array.size
    nbytes = size * array.itemsize
    if (
        size < _SMALLEST
        or nbytes > _LARGEST_BYTES
        or array.dtype.kind not in "iuf"
        or not array.flags.c_contiguous
    ):
        return 0
    return _new_view(key, nbytes)


def _new_view(key: tuple, nbytes: int) -> np.ndarray:
    global _buffer
    # one read of the global: a thread that grows it between this test and the slice below
    # must not leave this one slicing a buffer shorter than it checked
    buffer = _buffer
    if buffer.size < nbytes:
        buffer = np.zeros(1 << (nbytes - 1).bit_length(), np.uint8)
        buffer.flags.writeable = False
        _buffer = buffer
        _views.clear()  # (views of the old buffer stay valid; they are just not reused)
    if len(_views) >= 64:  # many shapes (varying sequence lengths): start over, never grow
        _views.clear()
    shape, dtype = key
    view = buffer[:nbytes].view(dtype).reshape(shape)
    _views[key] = view
    return view
