"""What check() returns: truthy exactly when everything is right, with each finding as data."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

import numpy as np

from . import messages


@dataclass(frozen=True)
class Finding:
    """One wrong quantity, named as the student named it (``grad_theta``, ``backward``)."""

    name: str
    diagnosis: str
    factor: float | None = None
    expected_shape: tuple | None = None
    received_shape: tuple | None = None
    n_wrong: int = 0
    n_total: int = 0
    worst_index: tuple | None = None
    worst_expected: float | None = None
    worst_received: float | None = None
    error: str | None = None
    owner: str | None = (
        None  # who did it: the function that changed an argument, the layer named by like=
    )
    found: tuple | None = None  # the attributes backward did set, when grad_<name> is missing
    hint: str | None = None  # a hint key other than the diagnosis's own
    dtype: str | None = None  # a parameter's dtype, when that dtype is what is wrong
    where: tuple | None = None  # (function, line, code, file): the student's line that raised
    step: int | None = None  # an optimizer's first wrong update() call, counted from 1

    def text(self, lang: str = "en") -> str:
        """The diagnosis line, then the shapes and worst element when they add something."""
        fields = dict(
            factor=_number(self.factor),
            error=self.error,
            name=self.name,
            owner=self.owner,
            found=", ".join(self.found or ()),
            expected_shape=self.expected_shape,
            received_shape=self.received_shape,
            dtype=self.dtype,
            value=_number(self.worst_received),
        )
        lines = [
            f"{messages.quantity(self.name, lang)}: {messages.say(self.diagnosis, lang, **fields)}"
        ]
        if self.where is not None:
            function, line, code, *file = self.where
            key = "where_in_file" if file and file[0] else "where"
            lines.append(
                "  "
                + messages.say(
                    key, lang, function=function, line=line, code=code, file=file[0] if file else ""
                )
            )
        if self.step is not None:
            lines.append("  " + messages.say("at_step", lang, step=self.step, **fields))
        shown = self.diagnosis in (
            "wrong_shape",
            "forward_shape",
            "param_shape",
            "rows_lost",
            "value_shape",
            "not_a_loss",
            "batch_not_summed",
        )  # the first line has them
        if self.expected_shape is not None and self.received_shape is not None and not shown:
            lines.append("  " + messages.say("shapes", lang, **fields))
        if self.worst_index == ():
            lines.append(
                "  "
                + messages.say(
                    "detail_scalar",
                    lang,
                    expected=self.worst_expected,
                    received=self.worst_received,
                )
            )
        elif self.worst_index is not None:
            lines.append(
                "  "
                + messages.say(
                    "detail",
                    lang,
                    wrong=self.n_wrong,
                    total=self.n_total,
                    index=list(self.worst_index),
                    expected=self.worst_expected,
                    received=self.worst_received,
                )
            )
        tip = messages.hint(self.hint or self.diagnosis, lang, **fields)
        if tip:
            lines.append(f"  {messages.say('hint', lang)}: {tip}")
        return "\n".join(lines)


class Result:
    """The verdict of one check: ``bool(result)`` is True exactly when nothing is wrong."""

    def __init__(
        self,
        subject: str,
        checked: list[str],
        findings: list[Finding],
        lang: str,
        unchanged: list[str] | None = None,
        shaped: list[str] | None = None,
        ran: list[str] | None = None,
    ) -> None:
        self.subject = subject
        self.checked = checked
        self.findings = findings
        self.lang = lang
        self.unchanged = (
            unchanged or []
        )  # checked names that ask "was it overwritten?", not "is it right?"
        self.shaped = shaped or []  # and those that ask only "has it like='s shape?"
        self.ran = ran or []  # and those with no reference: they ran and returned finite numbers
        self.printed = 0  # lines the student's code printed while checked, kept out of the report

    def __bool__(self) -> bool:
        return not self.findings

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def diagnoses(self) -> dict[str, str]:
        """{name: diagnosis code}, the findings in one glance (e.g. {'grad_theta': 'factor'})."""
        return {finding.name: finding.diagnosis for finding in self.findings}

    def _headline(self) -> str:
        n = len(self.checked)
        if self.ok:
            return f"check({self.subject}): " + messages.count("ok_all", self.lang, n=n)
        return f"check({self.subject}): " + messages.count(
            "some_wrong", self.lang, wrong=len(self.findings), n=n
        )

    def text(self) -> str:
        lines = [self._headline()]
        wrong = {finding.name for finding in self.findings}
        for name in self.checked:
            if name not in wrong:
                key = (
                    "not_overwritten"
                    if name in self.unchanged
                    else "right_shape"
                    if name in self.shaped
                    else "ran_only"
                    if name in self.ran
                    else "right"
                )
                verdict = messages.say(key, self.lang)
                lines.append(f"  [ok] {messages.quantity(name, self.lang)}: {verdict}")
        for finding in self.findings:
            body = finding.text(self.lang).splitlines()
            lines.append("  [NG] " + body[0])
            lines.extend("    " + line for line in body[1:])
        if self.printed:
            lines.append("  " + messages.count("printed", self.lang, self.printed))
        return "\n".join(lines)

    def failures(self) -> str:
        """The headline and what is wrong, without the [ok] lines, wrapped: an assertion message.

        nbgrader's Validate shows a failing cell's error, not what it printed, and cuts each of its
        lines at 90 characters, so the findings travel in the error in lines that fit.
        """
        # nbgrader indents each line by 4 and cuts it at 87 characters
        lines = []
        for line in self.text().splitlines():
            if line.startswith("  [ok]"):
                continue
            indent = " " * (len(line) - len(line.lstrip()))
            lines += textwrap.wrap(
                line, 80, subsequent_indent=indent + "    ", break_on_hyphens=False
            ) or [line]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#cf222e"
        rows = "".join(
            f"<li><pre style='margin:0;white-space:pre-wrap'>{html.escape(finding.text(self.lang))}</pre></li>"
            for finding in self.findings
        )
        right = ", ".join(
            html.escape(messages.quantity(name, self.lang))
            for name in self.checked
            if name not in {finding.name for finding in self.findings}
        )
        ok_line = f"<div>✓ {right}</div>" if right else ""
        return (
            f"<div><b style='color:{colour}'>{html.escape(self._headline())}</b>"
            f"{ok_line}<ul>{rows}</ul></div>"
        )


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    if not np.isfinite(value):  # an update with lr = nan: round() would raise
        return str(value)
    return f"{value:g}" if abs(value - round(value)) > 1e-12 else str(int(round(value)))
