"""`chainrule tutorial` as a student runs it from a clean folder: same seed, same report and figures."""

import pytest

from chainrule.cli.main import main


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["tutorial", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_same_seed_gives_the_same_report_and_the_same_figures(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    first, second = tmp_path / "a", tmp_path / "b"
    code, report_a, _ = run(capsys, "regression", "--plots", str(first))
    assert code == 0
    code, report_b, _ = run(capsys, "regression", "--plots", str(second))
    assert code == 0
    assert report_a.replace(str(first), "") == report_b.replace(str(second), "")
    names = sorted(p.name for p in first.iterdir())
    assert names == ["regression_fit.png", "regression_loss.png"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_another_seed_gives_other_numbers(capsys):
    _, seven, _ = run(capsys, "softmax", "--seed", "7", "--no-plots")
    _, eight, _ = run(capsys, "softmax", "--seed", "8", "--no-plots")
    assert seven != eight


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seed", "-1"], "--seed: expected an integer in [0, 2**32), got -1"),
        (["--steps", "0"], "--steps: expected an integer in [1, 100000], got 0"),
        (["--lr", "nan"], "expected a finite number such as 0.001, got 'nan'"),
        (["--plots", "/proc/no-such-folder"], "--plots: expected a folder that can be created"),
    ],
)
def test_bad_arguments_are_one_line_in_the_house_template(args, message, capsys):
    pytest.importorskip("matplotlib")
    code, out, err = run(capsys, "regression", *args)
    assert code == 2 and out == ""
    assert err.startswith("error: chainrule tutorial: ") and message in err
    assert "Traceback" not in err
