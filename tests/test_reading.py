"""docs/READING.md cannot rot: every stop's `path:first-last` range starts at the definition it
names and ends inside it."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
READING = (ROOT / "docs" / "READING.md").read_text(encoding="utf-8")
# `src/chainrule/x.py:12-40` (`Name` or `Class.method`)
REFERENCE = re.compile(r"`(src/chainrule/[\w/]+\.py):(\d+)-(\d+)` \(`([\w.]+)`\)")
REFERENCES = REFERENCE.findall(READING)


def _definitions(path: Path) -> dict[str, tuple[int, int]]:
    """Qualified name -> (first line including decorators, last line) for every class and def."""
    found = {}

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                found.setdefault(name, (first, child.end_lineno))
                walk(child, name + ".")

    walk(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def test_the_tour_has_six_to_eight_stops_in_the_documented_order():
    stops = re.findall(r"^## (\d)\. (.+)$", READING, re.M)
    assert 6 <= len(stops) <= 8
    assert [int(n) for n, _ in stops] == list(range(1, len(stops) + 1))
    titles = " ".join(title for _, title in stops).lower()
    order = ["tensor", "function", "op", "engine", "linear", "sgd", "training loop", "manual"]
    positions = [titles.index(word) for word in order]
    assert positions == sorted(positions), titles


def test_every_stop_points_somewhere():
    sections = re.split(r"^## \d\. ", READING, flags=re.M)[1:]
    assert all(REFERENCE.search(section) for section in sections)
    assert len(REFERENCES) >= 8


@pytest.mark.parametrize(
    "path, first, last, name", REFERENCES, ids=[f"{r[0]}:{r[3]}" for r in REFERENCES]
)
def test_each_range_starts_at_the_definition_it_names(path, first, last, name):
    definitions = _definitions(ROOT / path)
    assert name in definitions, f"{path} has no definition {name!r} any more"
    start, end = definitions[name]
    assert int(first) == start and start <= int(last) <= end, (
        f"docs/READING.md: {path}:{first}-{last} should start where {name} does and end inside it; "
        f"{name} is now at {path}:{start}-{end}"
    )


def test_the_checker_notices_a_range_that_drifted(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("x = 1\n\n\nclass A:\n    def f(self):\n        return 1\n")
    assert _definitions(source) == {"A": (4, 6), "A.f": (5, 6)}
