"""gradcheck cases for the torchapi2 Functions (the view scatters, as_strided and its scatter,
the memory-format copy), merged into gradcheck_cases.PRIMITIVES in the same form."""

import numpy as np

import chainrule as cr


def _t(rng, *shape):
    return cr.tensor(rng.uniform(-2.0, 2.0, shape), requires_grad=True)


TORCHAPI2_CASES = {
    "select_scatter": lambda r: (lambda x, s: cr.select_scatter(x, s, 1, -1), _t(r, 2, 3, 4), _t(r, 2, 4)),
    "slice_scatter": lambda r: (lambda x, s: cr.slice_scatter(x, s, 2, 1, None, 2), _t(r, 2, 3, 4), _t(r, 2, 3, 2)),
    "diagonal_scatter": lambda r: (
        lambda x, s: cr.diagonal_scatter(x, s, -1, 0, 2),
        _t(r, 3, 2, 4),
        _t(r, 2, 2),
    ),
    "as_strided": lambda r: (lambda x: cr.as_strided(x, (3, 3), (2, 1), 1), _t(r, 3, 4)),
    "as_strided_scatter": lambda r: (
        lambda x, s: cr.as_strided_scatter(x, s, (2, 2), (1, 2), 1),
        _t(r, 3, 4),
        _t(r, 2, 2),
    ),
    "channels_last": lambda r: (
        lambda x: x.to(memory_format=cr.channels_last) * cr.tensor(np.arange(1.0, 4.0)).reshape(1, 3, 1, 1),
        _t(r, 2, 3, 2, 2),
    ),
}  # fmt: skip
