import numpy as np
import pytest

import chainrule as cr


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _default_dtype_restored():
    yield
    cr.set_default_dtype(np.float32)


@pytest.fixture
def float64_default():
    """For tests of float64 numerics written with Python floats (torch's tests do the same)."""
    cr.set_default_dtype(np.float64)
    yield
    cr.set_default_dtype(np.float32)


# --- the oracle (PyTorch, scikit-learn) is optional locally, required in CI ------------------
# Tests that compare with torch or scikit-learn get them through pytest.importorskip and carry
# the `oracle` marker, so the NumPy-only part runs anywhere. `.ci/run` passes --require-oracle:
# there a skipped oracle test means the oracle never ran, which must fail the run, not pass it.

ORACLE_MODULES = ("torch", "sklearn")


@pytest.fixture
def sklearn_data():
    """For tests that load scikit-learn's bundled data sets (iris, wine, digits, ...)."""
    pytest.importorskip("sklearn")


@pytest.fixture
def torch_installed():
    """For tests that run PyTorch itself (the tutorial's side-by-side, README snippets)."""
    return pytest.importorskip("torch")


def pytest_collection_modifyitems(config, items):
    for item in items:  # a test that asks for torch or scikit-learn is an oracle test
        if {"sklearn_data", "torch_installed"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.oracle)


def pytest_addoption(parser):
    parser.addoption(
        "--require-oracle",
        action="store_true",
        help="fail the run if a test needing torch or scikit-learn was skipped",
    )


def _oracle_skip(report) -> str | None:
    """The reason, when a test or module was skipped because torch or scikit-learn is missing."""
    if not report.skipped:
        return None
    reason = (
        str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
    )
    if "could not import" in reason and any(f"'{name}" in reason for name in ORACLE_MODULES):
        return reason
    return None


_oracle_skips: list[str] = []


def pytest_collectreport(report):
    reason = _oracle_skip(report)
    if reason:
        _oracle_skips.append(f"{report.nodeid}: {reason}")


def pytest_runtest_logreport(report):
    reason = _oracle_skip(report)
    if reason:
        _oracle_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--require-oracle") and _oracle_skips:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("--require-oracle") and _oracle_skips:
        terminalreporter.section("oracle tests skipped (--require-oracle)", red=True)
        for line in sorted(set(_oracle_skips))[:20]:
            terminalreporter.write_line(line)
        terminalreporter.write_line(
            f"{len(_oracle_skips)} skipped: install the test extra, pip install -e '.[test]'"
        )
