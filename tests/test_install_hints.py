"""Every "expected X to be installed" message in chainrule names the pip command that fixes it."""

import re
from pathlib import Path

import chainrule

SOURCE = Path(chainrule.__file__).resolve().parent


def test_every_missing_package_message_names_the_pip_command():
    found = 0
    for path in SOURCE.rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.search(r"expected .* to be installed", line):
                found += 1
                nearby = "\n".join(lines[i : i + 3])
                assert "pip install" in nearby, f"{path.name}:{i + 1}: {line.strip()}"
    assert found >= 2  # plot (matplotlib) and viz (graphviz) at least
