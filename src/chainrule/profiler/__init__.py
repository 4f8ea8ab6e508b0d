"""``chainrule.profiler``: torch.profiler for chainrule's ops.

``with profile() as prof:`` times the forward and backward of every Function and every
``record_function`` range; ``prof.key_averages().table(sort_by="cpu_time_total")`` prints
torch's table. Rows are named for chainrule's Functions (``Linear``, ``LinearBackward0``)
where torch names its ATen ops (``aten::addmm``). With no profiler running, nothing is timed
and nothing is paid. ``chainrule.autograd.profiler`` is the older API under torch's name."""

import sys

from .. import autograd as _autograd
from . import legacy as _legacy
from .profile import (
    ProfilerAction,
    ProfilerActivity,
    profile,
    schedule,
    supported_activities,
    tensorboard_trace_handler,
)
from .recorder import FunctionEvent, record_function
from .table import EventList, FunctionEventAvg

# autograd/ is at its line budget, so torch.autograd.profiler is bound from here; a module in
# sys.modules is what ``import chainrule.autograd.profiler`` finds first.
_autograd.profiler = _legacy
sys.modules[f"{_autograd.__name__}.profiler"] = _legacy

__all__ = [
    "EventList",
    "FunctionEvent",
    "FunctionEventAvg",
    "ProfilerAction",
    "ProfilerActivity",
    "profile",
    "record_function",
    "schedule",
    "supported_activities",
    "tensorboard_trace_handler",
]
