"""torch.autograd.profiler: the older profiler's names (profile, record_function), recording
with the same machinery as torch.profiler."""

from __future__ import annotations

from typing import Any

from .profile import profile as _profile
from .recorder import record_function
from .table import EventList


class profile(_profile):  # noqa: N801  (torch's name)
    """``with torch.autograd.profiler.profile() as prof:``; ``enabled=False`` records nothing."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, **options: Any) -> None:
        super().__init__(**{k: v for k, v in options.items() if k in _KEPT})
        self.enabled = enabled

    def __enter__(self) -> profile:
        if self.enabled:
            self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self.stop()

    @property
    def function_events(self) -> EventList:
        return self.events()

    @property
    def self_cpu_time_total(self) -> float:
        return self.events().self_cpu_time_total

    def total_average(self) -> Any:
        return self.events().total_average()

    def table(self, sort_by: str | None = None, row_limit: int = 100, **kwargs: Any) -> str:
        return self.key_averages().table(sort_by=sort_by, row_limit=row_limit, **kwargs)


_KEPT = ("record_shapes", "profile_memory", "with_stack", "with_flops", "with_modules")

__all__ = ["EventList", "profile", "record_function"]
