"""CPUGraph: record a training step once, replay it as a flat list of NumPy calls.

The CPU counterpart of ``torch.cuda.CUDAGraph`` / ``torch.cuda.graph``. Inside
``with chainrule.graph(g):`` the step runs eagerly once while every piece of NumPy work is
recorded in order: each Function's forward (with the arrays it read and the array its
result lives in), the backward schedule the engine ran and the accumulation into each
leaf's ``.grad``, the optimizer's update, gradient clipping, dropout masks and BatchNorm's
running statistics. ``g.replay()`` re-runs exactly those calls: no Tensor is built, no
module is called, no graph is sorted. Every result lands in the array that held it during
capture, so the tensors the capture saw (static inputs, parameters, their grads, the loss,
the output) hold the new values, as CUDA graphs keep their memory static. A forward or
backward with an ``into`` parameter (Linear, ReLU, Sigmoid, +, -, *, ** 2, mean, the class
losses) is handed that array and writes there; any other result is copied in.

What a capture cannot see: Python that runs only once. A branch on a tensor's value
(``.item()``, ``bool(t)``, ``float(t)``) raises at capture; a static input whose memory is
replaced (``x.data = new``) raises at replay; fresh tensors built from other data inside the
step are frozen as constants, so copy new inputs into static tensors *before* replay.

One difference from torch on purpose: capture runs the step (it counts as the first step),
so eager steps 1..n and capture + (n - 1) replays give the same numbers to the last bit.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from typing import Any, Callable, Iterator

import numpy as np

from .._checks import shape_str
from ..autograd.function import _next_seq
from ..autograd.grad_mode import _Mode
from ..errors import GraphError
from .backward import BackwardRecorder, Stores, writes_into


class CPUGraph:
    """A recorded step; build it with ``with chainrule.graph(g): ...``, run it with ``g.replay()``.

    >>> import chainrule as cr
    >>> w = cr.nn.Parameter([1.0, -2.0])
    >>> x = cr.zeros(2)
    >>> opt = cr.optim.SGD([w], lr=0.5)
    >>> g = cr.CPUGraph()
    >>> with cr.graph(g):
    ...     opt.zero_grad()
    ...     loss = ((w - x) ** 2).sum()
    ...     loss.backward()
    ...     opt.step()
    >>> _ = x.copy_(cr.tensor([1.0, 1.0]))
    >>> g.replay()
    >>> loss, w.data
    (tensor(2., grad_fn=<SumBackward0>), tensor([1., 1.]))
    """

    def __init__(self) -> None:
        self._steps: list[Callable[[], Any]] = []
        self._produced: set[int] = set()  # arrays a recorded step writes
        self._statics: dict[int, tuple[Any, np.ndarray]] = {}  # id(array) -> (weakref, array)
        self._zeroed: set[int] = set()  # tensors whose .grad the step clears
        self._unzeroed: list[Any] = []  # tensors whose .grad the step sets but never clears
        self._keep: list[Any] = []  # arrays referred to by id, kept alive so ids stay unique
        self._bare: set[Any] = set()  # ctx of forwards replayed as bare calls (arrays stay put)
        self._zero_filled: list[Any] = []  # zero_grad(set_to_none=False) met a .grad of None
        self.first_seq = 0
        self._checks: list[tuple[Any, np.ndarray]] = []
        self._calls: list[Callable[[], Any]] = []  # _steps as the replay calls them
        self._capturing = False
        self._captured = False

    # --- capture ---------------------------------------------------------------------
    def capture_begin(self) -> None:
        if self._captured or self._capturing:
            raise GraphError(
                "CPUGraph.capture_begin: expected a new graph, got one that already "
                "holds a capture.\nHint: call g.reset() first, or make another CPUGraph."
            )
        if _Mode.capture is not None:
            raise GraphError("CPUGraph.capture_begin: expected no capture in progress, got one.")
        self._capturing = True
        self.first_seq = _next_seq()  # every Function recorded from here on has a later seq
        _Mode.capture = self

    def capture_end(self) -> None:
        _Mode.capture = None
        self._capturing = False
        self._captured = True
        unzeroed = [t for t in self._unzeroed if id(t) not in self._zeroed]
        filled = [t for t in unzeroed if any(t is f for f in self._zero_filled)]
        if filled:
            self.reset()
            raise GraphError(
                f"CPUGraph: expected zero_grad(set_to_none=False) to find gradients to zero, got "
                f"{len(filled)} tensor(s) of shapes {', '.join(shape_str(t.shape) for t in filled)} "
                f"with no .grad yet, so the capture cannot see the zeroing that later eager "
                f"steps do.\nHint: run one eager step before capturing (torch warms up before "
                f"a CUDA graph capture too), or use zero_grad() (set_to_none=True)."
            )
        if unzeroed:
            self.reset()
            raise GraphError(
                f"CPUGraph: expected the captured step to clear the gradients it writes, got "
                f"{len(unzeroed)} tensor(s) of shapes {', '.join(shape_str(t.shape) for t in unzeroed)} "
                f"whose .grad was empty at capture but would accumulate on eager steps.\nHint: call "
                f"optimizer.zero_grad() (or model.zero_grad()) inside `with chainrule.graph(g):`; "
                f"to accumulate over replays instead, run one eager backward before capturing, "
                f"so the capture sees a .grad to add to."
            )
        self._checks = list(self._statics.values())
        for step in self._steps:
            if type(step) is _SetGrad:
                step.settle()
        _drop_dead_clears(self._steps)
        self._calls = [_out_by_position(step) for step in self._steps]
        self._produced.clear()
        self._statics.clear()
        self._bare.clear()

    def reset(self) -> None:
        """Forget the capture (torch's CUDAGraph.reset)."""
        if _Mode.capture is self:
            _Mode.capture = None
        self.__init__()

    def replay(self) -> None:
        """Run the recorded NumPy calls again, reading the static tensors' current values."""
        if not self._captured:
            raise GraphError(
                "CPUGraph.replay: expected a captured graph, got an empty one.\n"
                "Hint: record the step first inside `with chainrule.graph(g):`."
            )
        if _Mode.anomaly:
            raise GraphError(
                "CPUGraph.replay: expected detect_anomaly() off, got it on: a replay runs bare "
                "NumPy calls, with no op-by-op check for NaN.\nHint: run the step eagerly under "
                "detect_anomaly() to find the op that makes the NaN."
            )
        for ref, array in self._checks:
            tensor = ref()
            if tensor is not None and tensor._data is not array:
                kind = "parameter" if tensor.requires_grad else "static input"
                raise GraphError(
                    f"CPUGraph.replay: expected the {kind} of shape {shape_str(array.shape)} that "
                    f"the capture read to keep its memory, got one whose data was replaced "
                    f"(x.data = ..., load_state_dict(assign=True); now shape "
                    f"{shape_str(tensor._data.shape)}).\nHint: write new values into the same "
                    f"memory: static_x.copy_(batch), or `with chainrule.no_grad(): p.copy_(new)` "
                    f"for a parameter; for another shape, capture another graph."
                )
        for call in self._calls:
            call()

    # --- what the library reports while capturing --------------------------------------
    def forward(
        self, cls: Any, ctx: Any, arrays: list, inputs: Any, config: dict, out: np.ndarray
    ) -> np.ndarray:
        """Record one Function forward; returns the array its result lives in."""
        fn, arrays = cls.forward, list(arrays)
        for position, tensor in enumerate(inputs):
            if tensor is None:
                continue
            source = tensor._data
            if id(source) not in self._produced and id(source) not in self._statics:
                self._statics[id(source)] = (weakref.ref(tensor), source)
                self._keep.append(source)
            if arrays[position] is not source:  # an integer tensor cast for this op
                self._steps.append(_copy(arrays[position], source))
        # a result that owns its memory and is no input cannot share memory with one
        views = (out.base is not None or any(a is out for a in arrays)) and any(
            isinstance(a, np.ndarray) and np.may_share_memory(out, a) for a in arrays
        )
        if not views and not out.flags.writeable:
            out = out.copy()
        self._produced.add(id(out))
        self._keep.append(out)
        bare = (
            None
            if views or cls.replay_calls is None
            else cls.replay_calls(ctx, arrays, config, out)
        )
        if bare is not None:  # the op's NumPy calls themselves: its ctx keeps what it saved
            self._steps += bare
            self._bare.add(ctx)
        elif views:  # forward returns a view of an input: the view follows its input by itself
            self._steps.append(functools.partial(fn, ctx, *arrays, **config))
        else:
            self._steps.append(
                functools.partial(fn, ctx, *arrays, into=out, **config)
                if writes_into(fn)  # it writes its result there itself: no temporary, no copy
                else _call_into(fn, (ctx, *arrays), config, out)
            )
        return out

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` now and on every replay, copying what it returns into the array it
        returned now (dropout masks, running statistics, gradient norms)."""
        out = fn(*args)
        if isinstance(out, np.ndarray):
            self._produced.add(id(out))
            self._keep.append(out)
            self._steps.append(_call_into(fn, args, {}, out))
        else:
            self._steps.append(functools.partial(fn, *args))
        return out

    def write(self, target: np.ndarray, values: Any) -> None:
        """Record an in-place copy into ``target`` (the no-grad branch of in-place ops). When
        the step just recorded is a bare ufunc that made ``values`` (``p -= lr * p.grad``), it
        writes into ``target`` instead: one call, no temporary (NumPy handles the overlap; for
        one element it does so slowly, twice the copy's cost, so those keep the copy). Only
        under no_grad: with grad on, ``values`` may be an op's output that its backward reads
        (``h.relu_()``: ReLU's mask), which must keep following each replay."""
        last = self._steps[-1] if self._steps else None
        if (
            values.size != 1
            and not _Mode.grad_enabled
            and type(last) is functools.partial
            and type(last.func) is np.ufunc
            and last.keywords.get("out") is values
            and values.dtype == target.dtype
            and values.shape == target.shape
        ):
            self._steps[-1] = functools.partial(last.func, *last.args, out=target)
        else:
            self._steps.append(_copy(target, values))

    def recorder(self, root_key: int, given: Any) -> BackwardRecorder:
        """What engine.run_backward reports its schedule to while this graph captures
        (``given``: the gradient backward was called with, if any)."""
        return BackwardRecorder(self, root_key, given)

    def backward(self, steps: list, stores: list) -> None:
        self._steps += steps
        for tensor, _, accumulate, _ in stores:
            # a tensor made inside the step (retain_grad on an activation) is new on every
            # eager step, so its .grad never accumulates there: only the others must be cleared
            if not accumulate and id(tensor._data) not in self._produced:
                self._unzeroed.append(tensor)

    def zero_grad(self, tensors: Any, set_to_none: bool) -> None:
        cleared = []
        for tensor in tensors:
            if set_to_none:
                self._zeroed.add(id(tensor))
                cleared.append(tensor)
            elif tensor._grad is not None:
                self._steps.append(functools.partial(_zero_current_grad, tensor))
            else:
                self._zero_filled.append(tensor)
        if cleared:  # .grad = None at this point of every replay (capture_end drops dead ones)
            self._steps.append(_Clear(cleared))

    def produced(self, array: Any) -> bool:
        """Whether a replay finds ``array`` current: a recorded step writes it, or it is the
        memory of a tensor the step reads (a parameter, a static input), checked at replay."""
        return id(array) in self._produced or id(array) in self._statics

    def set_grad(self, tensor: Any, value: Any) -> None:
        """``p.grad = t`` inside the step. p shares t's memory, as eagerly (a backward then
        adds into t), when t is computed in the step or outlives it (the user keeps it); a t
        made in the step from constants and gone after it is made anew on each replay."""
        array = value._data
        step = _SetGrad(tensor, array, weakref.ref(value), array.copy())
        if id(array) in self._produced:
            step.fresh = None
        self._steps.append(step)

    def optimizer_step(self, update_all: Callable[[], None]) -> None:
        """Record an optimizer's step: its update of every parameter, run again on each replay."""
        self._steps.append(update_all)


class _Clear:
    """zero_grad(set_to_none=True) replayed: these tensors' .grad is None again."""

    __slots__ = ("tensors",)

    def __init__(self, tensors: list) -> None:
        self.tensors = tensors

    def __call__(self) -> None:
        for tensor in self.tensors:
            tensor._grad = None


def _zero_current_grad(tensor: Any) -> None:
    grad = tensor._grad  # the .grad there is now: the user may have given it another array
    if grad is not None:
        grad[...] = 0


class _SetGrad:
    """``p.grad = t`` replayed: shared (t lives on, or the step computes it), or a fresh copy of
    the value t had when set (a constant of the step that nobody else sees); decided at the
    end of the capture, by whether t is still alive then."""

    __slots__ = ("tensor", "array", "source", "fresh")

    def __init__(self, tensor: Any, array: np.ndarray, source: Any, fresh: Any) -> None:
        self.tensor, self.array, self.source, self.fresh = tensor, array, source, fresh

    def settle(self) -> None:
        if self.source() is not None:
            self.fresh = None
        self.source = None

    def __call__(self) -> None:
        self.tensor._grad = self.array if self.fresh is None else self.fresh.copy()


def _drop_dead_clears(steps: list) -> None:
    """A clear that a later store of the same replay overwrites does nothing: the usual
    zero_grad() at the top of a step costs nothing on replay; one at the end still runs. A step
    after which .grad can be seen (``sees_grads``: autograd.grad putting back what it held, a
    check that may end the replay with an error) keeps every clear before it."""
    stored: set[int] = set()
    for i in range(len(steps) - 1, -1, -1):
        step = steps[i]
        if getattr(getattr(step, "func", None), "sees_grads", False):
            stored = set()
        elif isinstance(step, Stores):
            stored.update(id(store[0]) for store in step.stores)
        elif isinstance(step, _Clear):
            step.tensors = [t for t in step.tensors if id(t) not in stored]
            if not step.tensors:
                del steps[i]
            elif i + 1 < len(steps) and isinstance(steps[i + 1], _Clear):  # one call for both
                step.tensors += steps.pop(i + 1).tensors


def _out_by_position(step: Any) -> Any:
    """A ufunc call with ``out=`` given by position instead, where NumPy takes it there (one
    output, nothing else by keyword): a partial with no keywords calls without building a
    dict, which is a third of a ten-element call's cost. The same call, so the same bits.
    NumPy 2.4 deprecates a positional ``out`` for maximum and minimum only; they keep it."""
    if type(step) is not functools.partial or len(step.keywords) != 1:
        return step
    func, out = step.func, step.keywords.get("out")
    if (
        type(out) is np.ndarray
        and type(func) is np.ufunc
        and func is not np.maximum  # `in` a tuple of ufuncs costs ten times these
        and func is not np.minimum
        and func.nout == 1
        and len(step.args) == func.nin
    ):
        return functools.partial(func, *step.args, out)
    return step


def _copy(target: np.ndarray, values: Any) -> Callable[[], None]:
    # the eager step checked the casting; indexed assignment costs a fifth of np.copyto's call
    return functools.partial(target.__setitem__, Ellipsis, values)


def _call_into(fn: Any, args: tuple, config: dict, out: np.ndarray) -> Callable[[], None]:
    def step() -> None:
        out[...] = fn(*args, **config)

    return step


@contextlib.contextmanager
def graph(cpu_graph: CPUGraph) -> Iterator[CPUGraph]:
    """Record the block into ``cpu_graph`` (torch.cuda.graph's form; the block runs once)."""
    cpu_graph.capture_begin()
    try:
        yield cpu_graph
    except BaseException:
        cpu_graph.reset()
        raise
    cpu_graph.capture_end()


def record_call(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, recorded for replay when a capture is in progress (library hook)."""
    graph_ = _Mode.capture
    return fn(*args) if graph_ is None else graph_.call(fn, *args)


def refuse_frozen_target(who: str) -> None:
    """Raise inside a capture when a loss turned its targets into a new array before its
    Function: that conversion runs in Python once, so replays would reuse the first batch's."""
    if _Mode.capture is not None:
        raise GraphError(
            f"{who}: expected targets used as they are inside a CPUGraph capture, got targets "
            f"converted before the op (class weights, label smoothing, ignore_index, or another "
            f"dtype), which a replay would not redo.\nHint: capture with plain targets of the "
            f"input's dtype (class indices for cross-entropy), or run this loss eagerly."
        )


def refuse(who: str) -> None:
    """Raise for a host-side read of a tensor's value inside a capture (torch forbids syncs)."""
    if _Mode.capture is not None:
        raise GraphError(
            f"{who}: expected no read of a tensor's value inside a CPUGraph capture, got one.\n"
            f"Hint: a value read in Python is frozen at capture (a branch on it would never be "
            f"re-taken on replay); read it after g.replay(), outside `with chainrule.graph(g):`."
        )
