"""key_averages() and its table, in torch's layout (column order, widths, number formats), so a
profile printed by chainrule reads like the one a torch user knows."""

from __future__ import annotations

from typing import Any, Iterable

from .._checks import message

_SORT_KEYS = ("cpu_time_total", "self_cpu_time_total", "cpu_time", "self_cpu_time", "count")


def format_time(time_us: float) -> str:
    """torch's: three decimals, in s, ms or us, whichever keeps the number below 1000."""
    if time_us >= 1e6:
        return f"{time_us / 1e6:.3f}s"
    if time_us >= 1e3:
        return f"{time_us / 1e3:.3f}ms"
    return f"{time_us:.3f}us"


def format_share(time_us: float, total_us: float) -> str:
    return "NaN" if total_us == 0 else f"{time_us * 100.0 / total_us:.2f}%"


class FunctionEventAvg:
    """All the events of one name added up: their count, total and self times (microseconds)."""

    def __init__(self, key: str, input_shapes: list | None = None) -> None:
        self.key, self.count, self.input_shapes = key, 0, input_shapes or []
        self.cpu_time_total = self.self_cpu_time_total = 0.0
        # the figures torch has for a GPU and for memory, which a CPU-only profile leaves at 0
        self.device_time_total = self.self_device_time_total = 0.0
        self.cpu_memory_usage = self.self_cpu_memory_usage = 0

    def add(self, event: Any) -> None:
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total

    @property
    def cpu_time(self) -> float:
        """Average time per call, children included (torch's "CPU time avg")."""
        return self.cpu_time_total / max(self.count, 1)

    @property
    def self_cpu_time(self) -> float:
        return self.self_cpu_time_total / max(self.count, 1)

    def __repr__(self) -> str:
        return (
            f"<FunctionEventAvg key={self.key} self_cpu_time={format_time(self.self_cpu_time_total)}"
            f" cpu_time={format_time(self.cpu_time_total)} count={self.count}>"
        )


class EventList(list):
    """A list of events (one per call, or one per name after ``key_averages``)."""

    def key_averages(self, group_by_input_shape: bool = False, **kwargs: Any) -> EventList:
        """One FunctionEventAvg per name (per name and input shapes with
        ``group_by_input_shape``), in the order each was first seen."""
        table: dict[Any, FunctionEventAvg] = {}
        for event in self:
            shapes = getattr(event, "input_shapes", [])
            group = (event.key, str(shapes)) if group_by_input_shape else event.key
            if group not in table:
                table[group] = FunctionEventAvg(event.key, shapes if group_by_input_shape else [])
            table[group].add(event)
        return EventList(table.values())

    @property
    def self_cpu_time_total(self) -> float:
        return sum(event.self_cpu_time_total for event in self)

    def total_average(self) -> FunctionEventAvg:
        total = FunctionEventAvg("Total")
        for event in self:
            total.add(event)
        return total

    def table(
        self,
        sort_by: str | None = None,
        row_limit: int = 100,
        max_src_column_width: int = 75,
        max_name_column_width: int = 55,
        max_shapes_column_width: int = 80,
        header: str | None = None,
        top_level_events_only: bool = False,
        time_unit: str | None = None,
    ) -> str:
        """torch's table: Name, Self CPU %, Self CPU, CPU total %, CPU total, CPU time avg,
        # of Calls; sorted by ``sort_by`` (largest first), at most ``row_limit`` rows."""
        return build_table(
            self,
            sort_by,
            row_limit,
            max_name_column_width,
            header,
            time_unit,
            max_shapes_column_width,
        )

    def __str__(self) -> str:
        return self.table()


def _sort_key(sort_by: str) -> str:
    # torch names its GPU columns cuda_*, xpu_*, device_*: all 0 here, so they sort as ties
    key = sort_by.replace("cuda", "device").replace("xpu", "device")
    known = _SORT_KEYS + (
        "device_time_total",
        "self_device_time_total",
        "cpu_memory_usage",
        "self_cpu_memory_usage",
    )
    if key not in known:
        raise AttributeError(message("EventList.table", f"sort_by one of {known}", repr(sort_by)))
    return key


def _cut(text: str, width: int) -> str:
    return text if len(text) < width - 3 else text[: width - 3] + "..."


def _unit(time_us: float, time_unit: str | None) -> str:
    scale = {"s": 1e6, "ms": 1e3, "us": 1.0}.get(time_unit or "")
    return format_time(time_us) if scale is None else f"{time_us / scale:.3f}{time_unit}"


def build_table(
    events: Iterable[Any],
    sort_by: str | None,
    row_limit: int,
    max_name_column_width: int | None,
    header: str | None,
    time_unit: str | None,
    max_shapes_column_width: int | None = 80,
) -> str:
    events = list(events)
    if not events:
        return ""
    if sort_by is not None:
        key = _sort_key(sort_by)
        events.sort(key=lambda event: getattr(event, key), reverse=True)
    name_width = max(len(event.key) for event in events) + 4
    if max_name_column_width is not None:
        name_width = min(name_width, max_name_column_width)
    headings = [
        "Name",
        "Self CPU %",
        "Self CPU",
        "CPU total %",
        "CPU total",
        "CPU time avg",
        "# of Calls",
    ]
    widths = [name_width] + [12] * (len(headings) - 1)
    # torch adds the column when any event carries shapes (record_shapes=True)
    shaped = any(getattr(event, "input_shapes", None) for event in events)
    if shaped:
        shapes_width = max(len(str(event.input_shapes)) for event in events) + 4
        if max_shapes_column_width is not None:
            shapes_width = min(shapes_width, max_shapes_column_width)
        headings.append("Input Shapes")
        widths.append(shapes_width)
    row = "".join("{:>" + str(width) + "}  " for width in widths)
    rule = "".join("-" * width + "  " for width in widths)
    total = sum(event.self_cpu_time_total for event in events)
    lines = []
    if header is not None:
        lines += ["=" * (sum(widths) + 2 * len(widths) - 2), header]
    lines += [rule, row.format(*headings), rule]
    for event in events[:row_limit]:
        name = event.key
        if max_name_column_width is not None and len(name) >= max_name_column_width - 3:
            name = name[: max_name_column_width - 3] + "..."
        lines.append(
            row.format(
                name,
                format_share(event.self_cpu_time_total, total),
                _unit(event.self_cpu_time_total, time_unit),
                format_share(event.cpu_time_total, total),
                _unit(event.cpu_time_total, time_unit),
                _unit(event.cpu_time, time_unit),
                event.count,
                *([_cut(str(event.input_shapes), widths[-1])] if shaped else []),
            )
        )
    lines += [rule, f"Self CPU time total: {_unit(total, time_unit)}"]
    return "\n".join(lines) + "\n"
