"""``chainrule train`` and ``chainrule evaluate`` (filled in by the training issue)."""


def add_parsers(commands) -> None:
    return None
