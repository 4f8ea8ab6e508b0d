"""Random training steps, run eagerly and as one capture plus replays, compared to the bit.

Each seed draws one program (tests/cpugraph/fuzz_programs.py): parameters and static inputs
of every broadcastable shape, float32 or float64, an integer input now and then, ops with and
without bare replay forms, one or two losses (bce, cross-entropy with labels that change per
batch), one backward, two, one through a retained graph or from a non-scalar root, and an
optimizer or a hand-written in-place update. Every loss, parameter, .grad and optimizer state
after every step must have the same bytes both ways.
"""

import pytest

from chainrule.errors import GraphError

from .fuzz_programs import draw, run

SEEDS = range(600)


def _eager_or_none(recipe):
    """The eager history, or None for a program that eager itself refuses (a float64 node
    meeting a float32 one, which chainrule raises for on purpose)."""
    try:
        return run(recipe, captured=False)
    except GraphError:
        return None
    except TypeError as error:  # DTypeError
        if "one float dtype" in str(error):
            return None
        raise


@pytest.mark.parametrize("block", range(0, len(SEEDS), 50))
def test_random_programs_replay_bit_identically(block):
    compared = 0
    for seed in SEEDS[block : block + 50]:
        recipe = draw(seed)
        eager = _eager_or_none(recipe)
        if eager is None:
            continue
        captured = run(recipe, captured=True)
        assert len(captured) == len(eager)
        for step, (a, b) in enumerate(zip(eager, captured)):
            assert a == b, f"seed {seed}: step {step} differs ({recipe})"
        compared += 1
    assert compared >= 40  # the draw keeps most programs runnable


def test_random_programs_with_a_parameter_added_to_the_loss():
    """The fuzzer's own find: with ``loss = ... + b`` the root's ones reach b.grad unchanged,
    and a second backward or a clip edits them (minimal cases in test_replay_attacks.py)."""
    for seed in range(200):
        recipe = draw(seed, leaf_on_loss=True)
        eager = _eager_or_none(recipe)
        if eager is not None:
            assert run(recipe, captured=True) == eager, f"seed {seed} ({recipe})"
