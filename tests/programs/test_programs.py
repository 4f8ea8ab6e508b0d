"""Real-world-shaped PyTorch programs, each run on torch and on chainrule with only imports changed."""

import importlib
from pathlib import Path

import numpy as np
import pytest

pytestmark = [
    pytest.mark.oracle,  # every program runs on PyTorch as the oracle
    # torch's own forward-mode jacobian (p101) goes through vmap, which warns about jit.script
    pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning"),
]

# p01..p99 then p100 on: sorted by number, as the names stop sorting once they reach three digits
PROGRAMS = sorted(
    (p.stem for p in Path(__file__).parent.glob("p[0-9]*_*.py")),
    key=lambda stem: int(stem[1:].split("_")[0]),
)


def _agree(ours, theirs, rtol, atol, where):
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs), where
        for key in theirs:
            _agree(ours[key], theirs[key], rtol, atol, f"{where}[{key!r}]")
    elif isinstance(theirs, (str, bool)) or theirs is None:
        assert ours == theirs, where
    elif isinstance(theirs, (list, tuple)) and theirs and isinstance(theirs[0], (str, list)):
        assert len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _agree(a, b, rtol, atol, f"{where}[{i}]")
    else:
        ours_array, theirs_array = np.asarray(ours), np.asarray(theirs)
        assert ours_array.shape == theirs_array.shape, where
        if np.issubdtype(theirs_array.dtype, np.integer) or theirs_array.dtype == bool:
            np.testing.assert_array_equal(ours_array, theirs_array, err_msg=where)
        else:
            np.testing.assert_allclose(
                ours_array, theirs_array, rtol=rtol, atol=atol, err_msg=where
            )


def _chainrule():
    """`import chainrule as torch`, with the submodules a program reaches through it."""
    import chainrule
    import chainrule.nn
    import chainrule.nn.functional
    import chainrule.optim
    import chainrule.utils.data

    return chainrule


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_runs_the_same_on_chainrule(name):
    torch = pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    program = importlib.import_module(f"tests.programs.{name}")
    theirs = program.main(torch)
    ours = program.main(_chainrule())
    _agree(ours, theirs, program.RTOL, program.ATOL, name)
