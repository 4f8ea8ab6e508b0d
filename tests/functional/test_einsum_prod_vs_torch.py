"""einsum and prod against torch: values, dtypes and gradients, zeros in prod included."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "equation, shapes",
    [
        ("ij,jk->ik", [(3, 4), (4, 2)]),
        ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("i,i->", [(5,), (5,)]),
        ("i,j->ij", [(3,), (4,)]),
        ("ij->ji", [(3, 4)]),
        ("ij->", [(3, 4)]),
        ("ij,kl->i", [(2, 3), (2, 2)]),
        ("ij,jk", [(3, 4), (4, 2)]),
        ("ba,ca", [(3, 4), (2, 4)]),
    ],
)
def test_einsum_matches_torch(equation, shapes, dtype, rng):
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    compare(
        lambda *t: cr.einsum(equation, *t),
        lambda *t: torch.einsum(equation, *t),
        arrays,
        rng,
    )
    ours = cr.einsum(equation, [cr.tensor(a) for a in arrays])  # the list form
    np.testing.assert_allclose(
        ours.numpy(), torch.einsum(equation, [torch.tensor(a) for a in arrays]).numpy(), rtol=1e-5
    )


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.prod(x).reshape(1),
        lambda m, x: x.prod(1),
        lambda m, x: x.prod(dim=0, keepdim=True),
        lambda m, x: m.prod(x, -1),
    ],
)
@pytest.mark.parametrize("zeros", [0, 1, 2])
def test_prod_matches_torch_with_and_without_zeros(fn, zeros, rng):
    x = rng.uniform(0.5, 1.5, (3, 4))
    x[0, :zeros] = 0.0
    compare(lambda t: fn(cr, t), lambda t: fn(torch, t), [x], rng)


def test_prod_of_integers_is_int64_as_torch():
    ours, theirs = (
        cr.tensor([2, 3], dtype=cr.int32).prod(),
        torch.tensor([2, 3], dtype=torch.int32).prod(),
    )
    assert ours.item() == theirs.item() == 6 and ours.dtype == np.int64


def test_einsum_refusals_name_the_equation():
    with pytest.raises(NotImplementedError, match=r"einsum: expected an equation without '\.\.\.'"):
        cr.einsum("...ij->...ji", cr.zeros(2, 2))
    with pytest.raises(
        NotImplementedError, match="einsum: expected each operand's letters to differ"
    ):
        cr.einsum("ii->i", cr.zeros(2, 2))
    with pytest.raises(ValueError, match="einsum: expected 2 operands"):
        cr.einsum("ij,jk->ik", cr.zeros(2, 2))
