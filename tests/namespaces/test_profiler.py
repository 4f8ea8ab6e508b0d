"""chainrule.profiler: what it records, the table's layout, schedules and traces."""

import json
import warnings

import pytest

import chainrule as cr
from chainrule.autograd.function import Function
from chainrule.profiler import (
    ProfilerAction,
    ProfilerActivity,
    profile,
    record_function,
    schedule,
    tensorboard_trace_handler,
)
from chainrule.profiler import recorder


def _step(model, x):
    with record_function("model_inference"):
        model(x).sum().backward()


def test_ops_and_ranges_are_recorded_with_nesting():
    model, x = cr.nn.Linear(4, 3), cr.ones(2, 4)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        _step(model, x)
    rows = {e.key: e for e in prof.key_averages()}
    assert {"model_inference", "Linear", "Sum", "SumBackward0", "LinearBackward0"} <= set(rows)
    outer = rows["model_inference"]
    inner = sum(rows[k].cpu_time_total for k in rows if k != "model_inference")
    # the range's self time is its time outside the ops it contains
    assert outer.cpu_time_total >= inner
    assert outer.self_cpu_time_total == pytest.approx(outer.cpu_time_total - inner, abs=1e-3)
    assert all(rows[k].count == 1 for k in rows)


def test_counts_add_up_per_name():
    x = cr.ones(3, requires_grad=True)
    with profile() as prof:
        for _ in range(5):
            y = x * 2.0
    rows = {e.key: e for e in prof.key_averages()}
    assert rows["Mul"].count == 5
    assert rows["Mul"].cpu_time == pytest.approx(rows["Mul"].cpu_time_total / 5)
    assert y.shape == (3,)


def test_table_has_torchs_layout(torch_installed):
    torch = torch_installed
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as theirs:
        with torch.profiler.record_function("model_inference"):
            torch.nn.Linear(4, 3)(torch.ones(2, 4)).sum().backward()
    with profile() as ours:
        _step(cr.nn.Linear(4, 3), cr.ones(2, 4))
    a = theirs.key_averages().table(sort_by="cpu_time_total", row_limit=3).splitlines()
    b = ours.key_averages().table(sort_by="cpu_time_total", row_limit=3).splitlines()
    assert len(a) == len(b) == 3 + 3 + 2
    # header line, rules and column widths match apart from the name column's width
    assert a[1].split() == b[1].split()
    assert [len(c) for c in a[0].split()[1:]] == [len(c) for c in b[0].split()[1:]]
    assert b[3].split()[0] == "model_inference" and b[3].split()[3] == "100.00%"
    assert b[-1].startswith("Self CPU time total: ")
    assert len(a[1]) - len(a[0].split()[0]) == len(b[1]) - len(b[0].split()[0])


def test_row_limit_sort_and_units():
    with profile() as prof:
        _step(cr.nn.Linear(4, 3), cr.ones(2, 4))
    table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=2, time_unit="ms")
    rows = table.splitlines()[3:-2]
    assert len(rows) == 2 and all(r.split()[2].endswith("ms") for r in rows)
    with pytest.raises(AttributeError, match="sort_by one of"):
        prof.key_averages().table(sort_by="nonsense")
    assert prof.key_averages().table(sort_by="cuda_time_total")  # torch's GPU keys: all ties


def test_nothing_is_wrapped_when_no_profiler_runs():
    from chainrule.functional.linear import Linear

    with profile():
        assert getattr(Linear.forward, "profiler_timed", None) is not None
    for cls in recorder._function_classes():
        for stage in ("forward", "backward"):
            assert not hasattr(cls.__dict__.get(stage, None), "profiler_timed"), (cls, stage)
    assert recorder.active() is None


def test_gradients_are_the_same_while_profiling():
    x = cr.tensor([0.5, -1.0, 2.0], requires_grad=True)
    (x.sigmoid() * x).sum().backward()
    expected = x.grad.clone()
    x.grad = None
    with profile():
        (x.sigmoid() * x).sum().backward()
    assert x.grad.tolist() == expected.tolist()


def test_schedule_is_torchs(torch_installed):
    torch = torch_installed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warmup=0 warns, in both
        for kw in (
            dict(wait=1, warmup=1, active=2),
            dict(wait=0, warmup=0, active=1, repeat=2),
            dict(wait=2, warmup=1, active=3, repeat=1, skip_first=2),
            dict(wait=5, warmup=1, active=1, skip_first=3, skip_first_wait=1),
        ):
            ours, theirs = schedule(**kw), torch.profiler.schedule(**kw)
            assert [ours(s).name for s in range(30)] == [theirs(s).name for s in range(30)], kw
    with pytest.raises(AssertionError):
        schedule(wait=0, warmup=1, active=0)


def test_steps_record_the_active_ones_and_hand_them_on(tmp_path):
    ready = []
    x = cr.ones(2, requires_grad=True)
    sched = schedule(wait=1, warmup=1, active=2, repeat=1)
    with profile(schedule=sched, on_trace_ready=lambda p: ready.append(p.key_averages())) as prof:
        for step in range(6):
            y = x * float(step)
            prof.step()
    assert prof.current_action is ProfilerAction.NONE
    assert len(ready) == 1
    rows = {e.key: e.count for e in ready[0]}
    assert rows["Mul"] == 2  # steps 2 and 3 only
    assert {"ProfilerStep#2", "ProfilerStep#3"} <= set(rows) and "ProfilerStep#1" not in rows
    assert y.shape == (2,)


def test_chrome_trace_and_tensorboard_handler(tmp_path):
    handler = tensorboard_trace_handler(str(tmp_path / "log"), worker_name="w0")
    with profile(on_trace_ready=handler) as prof:
        _step(cr.nn.Linear(2, 2), cr.ones(1, 2))
    files = list((tmp_path / "log").iterdir())
    assert (
        len(files) == 1
        and files[0].name.startswith("w0.")
        and files[0].name.endswith(".pt.trace.json")
    )
    trace = json.loads(files[0].read_text())
    names = {e["name"] for e in trace["traceEvents"]}
    assert {"model_inference", "Linear"} <= names
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in trace["traceEvents"])
    prof.export_chrome_trace(str(tmp_path / "t.json"))
    assert json.loads((tmp_path / "t.json").read_text())["traceEvents"]


def test_autograd_profiler_is_the_older_name():
    import chainrule.autograd.profiler as legacy

    assert cr.autograd.profiler is legacy
    with legacy.profile() as prof:
        with legacy.record_function("block"):
            cr.ones(2, requires_grad=True).exp().sum().backward()
    assert {"block", "Exp", "ExpBackward0"} <= {e.key for e in prof.key_averages()}
    assert prof.self_cpu_time_total > 0
    assert "Self CPU time total" in prof.table(sort_by="cpu_time_total")
    with legacy.profile(enabled=False) as off:
        cr.ones(2).exp()
    assert list(off.key_averages()) == []


def test_record_function_without_a_profiler_and_as_a_decorator():
    @record_function("decorated")
    def work():
        return cr.ones(2) * 2.0

    assert work().tolist() == [2.0, 2.0]  # no profiler: nothing recorded, nothing raised
    with profile() as prof:
        work()
    assert "decorated" in {e.key for e in prof.key_averages()}


def test_a_second_profiler_at_once_is_refused():
    with profile():
        with pytest.raises(cr.ArgumentError, match="no other profiler running"):
            with profile():
                pass
    assert recorder.active() is None


def test_a_users_function_is_timed_under_its_name():
    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_y):
            return grad_y * 2

    x = cr.ones(2, requires_grad=True)
    with profile() as prof:
        Double.apply(x).sum().backward()
    assert {"Double", "DoubleBackward0"} <= {e.key for e in prof.key_averages()}
    assert x.grad.tolist() == [2.0, 2.0]


def test_record_shapes_groups_by_input_shape_as_torch():
    import torch

    layer = cr.nn.Linear(4, 3)
    with cr.profiler.profile(record_shapes=True) as prof:
        layer(cr.randn(2, 4)).sum()
        layer(cr.randn(5, 4)).sum()
    grouped = prof.key_averages(group_by_input_shape=True)
    shapes = sorted(str(e.input_shapes) for e in grouped if e.key == "Linear")
    assert shapes == ["[[2, 4], [3, 4], [3]]", "[[5, 4], [3, 4], [3]]"]
    # torch's aten::linear sees the same three shapes
    t_layer = torch.nn.Linear(4, 3)
    with torch.profiler.profile(record_shapes=True) as t_prof:
        t_layer(torch.randn(2, 4))
    t_shapes = [e.input_shapes for e in t_prof.events() if e.name == "aten::linear"]
    assert t_shapes == [[[2, 4], [3, 4], [3]]]
    table = grouped.table(sort_by="cpu_time_total")
    assert "Input Shapes" in table and "[[5, 4], [3, 4], [3]]" in table
    assert len([e for e in prof.key_averages() if e.key == "Linear"]) == 1


def test_no_shapes_column_without_record_shapes():
    with cr.profiler.profile() as prof:
        cr.nn.Linear(4, 3)(cr.randn(2, 4))
    assert "Input Shapes" not in prof.key_averages().table()
