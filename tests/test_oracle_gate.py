"""The oracle is optional on a laptop and required in CI: --require-oracle (set by .ci/run) turns
a test skipped for want of torch or scikit-learn into a failed run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
ORACLE_TEST = "tests/test_linear_and_metrics.py::test_regression_metrics_match_sklearn"
NUMPY_TEST = "tests/test_linear_and_metrics.py::test_least_squares_checks_shapes"

BLOCKER = '''
import sys


class _Missing:
    """Pretend torch and scikit-learn are not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "sklearn"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, _Missing())
'''


def _pytest(tmp_path, *args):
    (tmp_path / "no_oracle.py").write_text(BLOCKER)
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]), PYTEST_ADDOPTS=""
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no_oracle", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_oracle_its_tests_skip_and_the_rest_run(tmp_path):
    result = _pytest(tmp_path, "-rs", ORACLE_TEST, NUMPY_TEST)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 1 skipped" in result.stdout
    assert "could not import 'sklearn.metrics'" in result.stdout


def test_require_oracle_fails_the_run_when_an_oracle_test_was_skipped(tmp_path):
    result = _pytest(tmp_path, "--require-oracle", ORACLE_TEST, NUMPY_TEST)
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "oracle tests skipped (--require-oracle)" in result.stdout
    assert "test_regression_metrics_match_sklearn" in result.stdout


def test_ci_asks_for_the_oracle():
    assert 'PYTEST_ADDOPTS="--require-oracle' in (ROOT / ".ci" / "run").read_text()


@pytest.mark.oracle
def test_oracle_tests_carry_the_marker_and_run_here():
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "-m",
            "oracle",
            "tests/functional/test_ops_vs_torch.py",
            "tests/test_train.py",
            "tests/cli/test_cnn_cli.py",
        ],
        cwd=ROOT,
        env=dict(os.environ, PYTEST_ADDOPTS=""),
        capture_output=True,
        text=True,
        timeout=120,
    )
    # the quiet listing gives one "path: count" line per file
    files = {line.split(":")[0] for line in result.stdout.splitlines() if ".py" in line}
    assert files == {
        "tests/functional/test_ops_vs_torch.py",
        "tests/test_train.py",
        "tests/cli/test_cnn_cli.py",
    }
