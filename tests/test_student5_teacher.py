"""The teacher's path the README documents, run with nbgrader itself, and the core-only tutorial.

A course folder gets the teacher's notebook as its source; ``nbgrader generate_assignment``
releases the student version, two students hand it in (one right, written another way, one with
the class's usual slips), ``nbgrader autograde`` scores them, and ``nbgrader validate`` shows a
student the findings, not only "AssertionError".
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import chainrule
from chainrule.cli.main import main
from chainrule.exercises import build

RIGHT = {  # another way to write each answer than the teacher's
    "linear": "        return self.b + x * self.a",
    "loss_mse": "    return ((inputs - targets) ** 2).sum() / len(inputs)",
    "mse_loss": "        self.grad = 2 * (inputs - targets) / inputs.shape[0]",
    "linear2": [
        "        return np.dot(inputs, self.theta.T)",
        "        self.grad_theta = (self.inputs.T @ grad).T\n        return grad @ self.theta",
    ],
    "sigmoid": "    return 0.5 * (1 + np.tanh(x / 2))",
    "sigmoid_grad": "    s = sigmoid(x)\n    return s - s ** 2",
    "linear3": [
        "        self.theta = rng.random((1, 3))",
        "        print(self.inputs.shape)\n        return self.inputs @ self.theta.T",
    ],
    "sigmoid_layer": "        return grad * (self.output - self.output ** 2)",
    "bce_loss": "        p = np.clip(inputs, self.epsilon, 1 - self.epsilon)\n"
    "        self.grad = (p - targets) / (p * (1 - p)) / len(p)\n"
    "        return -np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p))",
}
SLIPS = dict(
    RIGHT,
    mse_loss="        self.grad = -2 * (targets - inputs)",  # no / N: 2 points lost
    linear2=[RIGHT["linear2"][0], "        self.grad_theta = grad.T @ self.inputs"],  # no return: 3
    linear3=["        self.theta = np.random.random((1, 3))", RIGHT["linear3"][1]],  # global RNG: 2
    sigmoid_layer="        return grad * self.output",  # (1 - f) left out: 2
)
BLANK = {4: "    # YOUR CODE HERE\n    raise NotImplementedError()"}
BLANK[8] = "    " + BLANK[4].replace("\n", "\n    ")


def fill(notebook: dict, answers: dict) -> dict:
    for cell in notebook["cells"]:
        key = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if key not in answers:
            continue
        source = "".join(cell["source"])
        for answer in answers[key] if isinstance(answers[key], list) else [answers[key]]:
            blank = BLANK[8] if answer.startswith("        ") else BLANK[4]
            assert blank in source, (key, source)
            source = source.replace(blank, answer, 1)
        cell["source"] = source
    return notebook


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    source = str(Path(chainrule.__file__).resolve().parents[1])  # the kernel imports this chainrule
    env["PYTHONPATH"] = os.pathsep.join([source, env.get("PYTHONPATH", "")])
    # nbgrader runs the alembic script beside it to set up its gradebook
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_readme_nbgrader_path_releases_grades_and_validates(tmp_path):
    pytest.importorskip("nbgrader")
    course = tmp_path / "course"
    assert main(["exercises", str(tmp_path / "written"), "--lang", "en"]) == 0
    (course / "source" / "ex1").mkdir(parents=True)
    teacher = (tmp_path / "written" / "exercises_en_solution.ipynb").read_text(encoding="utf-8")
    (course / "source" / "ex1" / "ex1.ipynb").write_text(teacher, encoding="utf-8")
    (course / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "backprop"\n', encoding="utf-8"
    )
    done = nbgrader(course, "generate_assignment", "ex1")
    assert done.returncode == 0, done.stderr
    released = json.loads((course / "release" / "ex1" / "ex1.ipynb").read_text(encoding="utf-8"))
    for student, answers in (("right", RIGHT), ("slips", SLIPS)):
        folder = course / "submitted" / student / "ex1"
        folder.mkdir(parents=True)
        notebook = fill(json.loads(json.dumps(released)), answers)
        (folder / "ex1.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    done = nbgrader(course, "autograde", "ex1", "--create")
    assert done.returncode == 0, done.stderr
    done = nbgrader(course, "export", "--to", str(tmp_path / "grades.csv"))
    assert done.returncode == 0, done.stderr
    rows = (tmp_path / "grades.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    scores = {r.split(",")[header.index("student_id")]: r.split(",") for r in rows[1:]}
    score = {s: float(row[header.index("score")]) for s, row in scores.items()}
    assert score == {"right": 15.0, "slips": 15.0 - 2 - 3 - 2 - 2}, rows
    done = nbgrader(course, "validate", str(course / "submitted" / "slips" / "ex1" / "ex1.ipynb"))
    said = done.stdout + done.stderr
    for words in ("sum where a mean is meant", "no return statement", "global generator"):
        assert words in said, said


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", "plots: off (matplotlib is not installed"),
        ("ja", "matplotlib がインストールされていません"),
    ],
)
def test_the_core_install_tutorial_says_in_the_report_what_it_skipped(
    lang, words, monkeypatch, capsys, tmp_path
):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as on `pip install chainrule`
    monkeypatch.chdir(tmp_path)
    assert main(["tutorial", "regression", "--lang", lang]) == 0
    out, err = capsys.readouterr()
    assert words in out and "pip install 'chainrule[plot]'" in out
    # the stderr note speaks the report's language too
    assert ("図は省きました" if lang == "ja" else "figures skipped") in err
    assert not (tmp_path / "chainrule-tutorial").exists()


def test_the_teachers_notebook_asserts_with_the_findings():
    cells = [
        c
        for c in build("ja", solution=True)["cells"]
        if "check-" in c["metadata"]["nbgrader"]["grade_id"]
    ]
    assert cells and all("result.failures()" in "".join(c["source"]) for c in cells)
