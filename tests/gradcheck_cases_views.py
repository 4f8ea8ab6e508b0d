"""gradcheck cases for the strided views (chainrule/functional/strided_views.py), merged into
gradcheck_cases.PRIMITIVES in the same form."""

import numpy as np

import chainrule as cr
from chainrule.functional.strided_views import StridedView


def _t(rng, *shape):
    return cr.tensor(rng.uniform(-2.0, 2.0, shape), requires_grad=True)


VIEWS_CASES = {
    "diagonal_view": lambda r: (lambda x: cr.diagonal(x, 1, 2, 0), _t(r, 3, 2, 4)),
    "unfold_view": lambda r: (lambda x: x.unfold(1, 3, 1), _t(r, 2, 5)),  # overlapping windows
    "strided_view": lambda r: (
        lambda x: StridedView.apply(x, make=lambda a: np.moveaxis(a, 0, 1)[::2]),
        _t(r, 3, 4),
    ),
}
