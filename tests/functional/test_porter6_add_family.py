"""addmm, baddbmm, addbmm, addcmul and addcdiv (and their in-place forms), found missing by
program p59, whose hand-written Adam updates with addcmul_ and addcdiv_: values and gradients
against torch."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(61)
ARRAYS = {
    "m": RNG.standard_normal((3, 4)),
    "n": RNG.standard_normal((4, 2)),
    "c": RNG.standard_normal((3, 2)),
    "b1": RNG.standard_normal((2, 3, 4)),
    "b2": RNG.standard_normal((2, 4, 2)),
    "pos": RNG.uniform(0.5, 2.0, (3, 2)),
}

CASES = [
    lambda t, a: t.addmm(a["c"], a["m"], a["n"]),
    lambda t, a: t.addmm(a["c"][0], a["m"], a["n"], beta=0.5, alpha=-2.0),
    lambda t, a: t.baddbmm(a["c"], a["b1"], a["b2"], beta=0.25, alpha=3.0),
    lambda t, a: t.addbmm(a["c"], a["b1"], a["b2"], alpha=0.5),
    lambda t, a: t.addcmul(a["c"], a["pos"], a["c"], value=-0.3),
    lambda t, a: t.addcdiv(a["c"], a["c"], a["pos"], value=2.0),
    lambda t, a: a["c"].addcdiv(a["m"][:, :2], a["pos"]),
    lambda t, a: a["c"].addmm(a["m"], a["n"], beta=0),
]


@pytest.mark.parametrize("case", CASES)
def test_add_family_matches_torch(case):
    results = []
    for lib in (chainrule, torch):
        a = {k: lib.tensor(v, requires_grad=True) for k, v in ARRAYS.items()}
        out = case(lib, a)
        out.backward(lib.tensor(np.linspace(-1, 1, out.numel()).reshape(tuple(out.shape))))
        grads = {k: None if v.grad is None else v.grad.numpy() for k, v in a.items()}
        results.append((out.detach().numpy(), grads))
    (ours, our_grads), (theirs, their_grads) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    for key, other in their_grads.items():
        mine = our_grads[key]
        if other is None or mine is None:  # beta=0: torch gives zeros where chainrule gives None
            assert not (other is not None and other.any()) and not (mine is not None and mine.any())
        else:
            np.testing.assert_allclose(mine, other, rtol=1e-12, atol=1e-12)


def test_in_place_forms_update_the_tensor_as_torch():
    for lib in (chainrule, torch):
        x = lib.ones(3, 2)
        assert x.addcmul_(lib.full((3, 2), 2.0), lib.full((3, 2), 3.0), value=0.5) is x
        x.addcdiv_(lib.full((3, 2), 4.0), lib.full((3, 2), 2.0), value=-1.0)
        x.addmm_(lib.ones(3, 4), lib.ones(4, 2), beta=2.0, alpha=0.25)
        np.testing.assert_array_equal(x.numpy(), np.full((3, 2), 5.0, np.float32))


def test_bad_inputs_are_refused_as_torch():
    for lib in (chainrule, torch):
        with pytest.raises(RuntimeError):
            lib.addmm(lib.zeros(2), lib.ones(2, 3, 1), lib.ones(1, 2))
        with pytest.raises(RuntimeError):
            lib.addcdiv(lib.zeros(2), lib.tensor([1, 2]), lib.tensor([1, 1]))
    with pytest.raises(RuntimeError, match="addcdiv: expected floating-point"):
        chainrule.addcdiv(chainrule.zeros(2), chainrule.tensor([1, 2]), chainrule.tensor([1, 1]))
