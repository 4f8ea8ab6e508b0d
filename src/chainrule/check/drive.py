"""Driving a student's object the notebook's way and collecting what is wrong.

Driver keeps the bookkeeping (what was checked, what was found, how the student's code is
called); drive_layer.py drives a layer and drive_values.py a loss, a function or a
derivative. Parameters are swapped for float64 copies while the
check runs and the student's own arrays are put back at the end, untouched.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import blame, numeric, probe, slips, slips_values
from .diagnose import compare
from .reference import NotNumbers, NotWritten, Reference, as_array
from .drive_layer import LayerDriving
from .drive_values import ValueDriving, shape_of
from .result import Finding


class Driver(LayerDriving, ValueDriving):
    def __init__(
        self, obj, reference: Reference | None, params: list[str], rng: np.random.Generator
    ):
        self.obj = obj
        self.reference = reference
        self.params = params
        self.rng = rng
        self.findings: list[Finding] = []
        self.checked: list[str] = []
        self.unchanged: list[str] = []  # "was this argument overwritten?", named apart
        self.shaped: list[str] = []  # parameters checked only for the shape like= gives them
        self.ran: list[str] = []  # values with nothing to compare them with: they only ran
        self.backward_set: list[str] | None = None  # attributes the last backward assigned
        # under like="Linear2" the notebook's own update() reads grad_theta: no other spelling will do
        self.notebook_names = False
        self.float32 = False  # set when the student's code returns float32 (or float16)
        self.tolerance = 1.0  # a multiple of diagnose's tolerances; networks.py loosens it
        self.reorder = False  # True when check chose a layer's inputs: it may check them reordered
        self.means = False  # a loss or a metric: its value is a mean, so 1/N more is / N twice

    def grad_of(self, name: str) -> str:
        """The attribute holding name's gradient: grad_theta, or the student's dW, W_grad, grads["W"]."""
        return probe.grad_name(self.obj, name, self.notebook_names)

    # -- bookkeeping ---------------------------------------------------------------------------
    def record(
        self,
        name: str,
        received,
        expected,
        *,
        is_value: bool = False,
        hint: str | None = None,
        **options,
    ) -> None:
        self.checked.append(name)
        received = slips_values.one_number(received, expected)
        result = compare(received, expected, tol=self.tol, **options)
        if result.ok:
            return
        diagnosis = result.diagnosis
        if diagnosis == "mean_for_sum" and self.means:
            diagnosis, hint = "mean_twice", "mean_twice"
        if diagnosis == "mismatch" and slips_values.cut_to_integers(received, expected):
            diagnosis, hint = "integer_result", "integer_result"
        elif (
            diagnosis == "mismatch"
            and self._sigmoid()
            and slips_values.matches(received, 1 - expected, self.tol)
        ):
            diagnosis, hint = "complement", "complement"
        shapes = {}
        if diagnosis in ("wrong_shape", "transposed", "batch_not_summed") or (
            received is not None and diagnosis == "not_an_array" and shape_of(received) is not None
        ):
            shapes = dict(
                expected_shape=tuple(np.shape(expected)), received_shape=shape_of(received)
            )
            if name == "forward":
                diagnosis = "forward_shape" if diagnosis == "wrong_shape" else diagnosis
            elif is_value:  # a function's own value: "forward" would name a method it has not
                diagnosis = "value_shape" if diagnosis == "wrong_shape" else diagnosis
        self.findings.append(
            Finding(
                name,
                diagnosis,
                factor=result.factor,
                n_wrong=result.n_wrong,
                n_total=result.n_total,
                worst_index=result.worst_index,
                worst_expected=result.worst_expected,
                worst_received=result.worst_received,
                hint=(hint or _value_hint(name, is_value))
                if diagnosis in ("mismatch", "integer_result", "complement", "mean_twice")
                else None,
                **shapes,
            )
        )

    def relabel(self, name: str, diagnosis: str, **fields) -> None:
        """Name the slip behind the last finding on ``name`` (slips.py recognised it)."""
        for index in range(len(self.findings) - 1, -1, -1):
            if self.findings[index].name == name:
                old = self.findings[index]
                self.findings[index] = Finding(
                    name,
                    diagnosis,
                    hint=fields.pop("hint", None),
                    **{
                        "n_wrong": old.n_wrong,
                        "n_total": old.n_total,
                        "worst_index": old.worst_index,
                        "worst_expected": old.worst_expected,
                        "worst_received": old.worst_received,
                        **fields,
                    },
                )
                return

    def kept(self, name: str, array, copy, owner: str | None = None) -> None:
        """Record that ``array`` (handed to the student's code) still equals ``copy``, or that it does not."""
        self.checked.append(name)
        self.unchanged.append(name)
        if np.array_equal(np.asarray(array), np.asarray(copy)):
            return
        if owner is None:
            self.findings.append(Finding(name, "overwrites_inputs"))
        else:
            self.findings.append(Finding(name, "overwrites_argument", owner=owner))

    def fail(self, name: str, error: BaseException, method=None, args=()) -> None:
        if isinstance(error, probe.AttributeRaised):  # a property of the student's that raised
            name, error = "self." + error.name, error.error
            self.checked.append(name)
            self.findings.append(Finding(name, "attribute_raised", error=_error_text(error)))
            return
        if name not in self.checked:
            self.checked.append(name)
        if isinstance(error, NotNumbers):
            self.findings.append(Finding(name, error.diagnosis))
            return
        if isinstance(error, NotWritten | NotImplementedError):
            # forward() of a Sigmoid layer returns None because the function sigmoid() it calls is blank
            blank = blame.blank_helper(method, args) if method is not None else None
            if isinstance(error, NotImplementedError):  # its own frame says which one is blank
                blank = blame.raised_in_helper(error, method)
            if blank:
                self.checked[self.checked.index(name)] = blank
            returned = None if blank or method is None else blame.returned_attribute(method)
            hint = dict(hint="blank_attribute", found=(returned,)) if returned else {}
            forgot = not blank and isinstance(error, NotWritten) and slips.missing_return(method)
            self.findings.append(
                Finding(blank or name, "no_return" if forgot else "not_written", **hint)
            )
        elif self.blank_attributes(error):
            self.checked.remove(name)  # not judged: it failed on the blank, not on its own code
        else:
            self.findings.append(
                Finding(
                    name,
                    "raised",
                    error=_error_text(error),
                    where=blame.student_line(error),
                    **self._hint_for(name, error),
                )
            )

    def blank_attributes(self, error: BaseException) -> bool:
        """self.theta = ... left in __init__ makes forward fail on the Ellipsis: name the blank."""
        if "ellipsis" not in str(error):
            return False
        blanks = [n for n, v in probe.state(self.obj).items() if v is Ellipsis]
        for name in blanks:
            if name not in self.checked:
                self.checked.append(name)
            self.findings.append(Finding(name, "not_written", hint="blank_in_init", found=(name,)))
        return bool(blanks)

    def _hint_for(self, name: str, error: BaseException) -> dict:
        """A hint for the likeliest cause: self.y never stored, or a class built without its arguments."""
        if name == "__init__" and isinstance(error, TypeError) and "required" in str(error):
            return dict(hint="init_arguments", owner=probe.name_of(self.obj))
        if isinstance(error, ValueError) and "truth value of an array" in str(error):
            return dict(hint="ambiguous_truth")  # NumPy's own advice, a.any(), is rarely the fix
        arrays = blame.global_arrays(error)
        if arrays:  # the notebook's X read inside a layer: right only for the notebook's data
            return dict(hint="global_array", found=tuple(arrays))
        unset = slips.none_attributes(self.obj, error) if name in ("forward", "backward") else ()
        if unset:  # self.output = ... forgotten in forward: backward multiplies by None
            return dict(
                hint="unset_in_forward" if name == "backward" else "unset_in_init", found=unset[:1]
            )
        if not isinstance(error, AttributeError) or getattr(error, "obj", None) is not self.obj:
            return {}
        if name not in ("forward", "backward") or not isinstance(error.name, str):
            return {}
        hint = "unset_in_forward" if name == "backward" else "unset_in_init"
        return dict(hint=hint, found=(error.name,))

    def call(self, function: Callable, *args):
        value = function(*args)
        if value is None or value is Ellipsis or _write_here(value):  # the notebook's blanks
            raise NotWritten
        if getattr(value, "dtype", None) in (np.float32, np.float16):
            self.float32 = True  # the student's own choice of dtype: judged at its precision
        return value

    @property
    def step(self) -> float:
        return numeric.STEP_FLOAT32 if self.float32 else numeric.STEP

    @property
    def tol(self) -> float:
        return numeric.TOL_FLOAT32 if self.float32 else self.tolerance

    def _sigmoid(self) -> bool:
        return self.reference is not None and self.reference.forward.__name__ == "_sigmoid"

    # -- state kept between calls ---------------------------------------------------------------
    def warm_up(self, inputs, targets=None):
        """One call on other inputs first, as training makes many: a value kept from the first call
        (``if self.grad is None:``) then shows as stale. What it raises, the real call reports."""
        warm = np.flip(inputs, axis=0).copy() if np.ndim(inputs) else np.array(inputs)
        if np.array_equal(warm, inputs) and warm.dtype.kind == "f":
            warm = warm * 0.5
        args = (warm.copy(),) if targets is None else (warm.copy(), targets.copy())
        try:
            self.call(probe.attr(self.obj, "forward", self.obj), *args)
        except probe.STUDENT_ERRORS:
            pass
        return warm

    def remembers(self, inputs, out) -> bool:
        """forward twice on the same inputs, two answers: it adds to what the last call left."""
        try:
            again = self.student_forward(inputs, {})
            differs = not slips_values.matches(again, out, self.tol)
        except probe.STUDENT_ERRORS:
            return False
        if differs:
            if "forward" not in self.checked:
                self.checked.append("forward")
            self.findings.append(Finding("forward", "forward_remembers", hint="forward_remembers"))
        return differs

    def stale(self, name: str, received, truth_then: Callable) -> None:
        """A wrong value that is right for the warm-up call's inputs was kept from that call."""
        wrong = [f for f in self.findings if f.name == name]
        if not wrong or wrong[-1].diagnosis not in ("mismatch", "factor", "sign"):
            return
        try:
            if slips_values.matches(received, truth_then(), self.tol):
                self.relabel(name, "stale_value", hint="stale_value")
        except probe.STUDENT_ERRORS:
            pass

    # -- the student's forward as a function of (inputs, params) ---------------------------------
    def student_forward(self, inputs, params, targets=None):
        for name, value in params.items():
            probe.put(self.obj, name, value)
        args = (inputs.copy(),) if targets is None else (inputs.copy(), targets.copy())
        forward = probe.attr(self.obj, "forward", self.obj)
        return as_array(self.call(forward, *args))

    def truth(self, inputs, params, targets=None):
        """The forward that derivatives are taken of: chainrule's when known, else the student's."""
        if self.reference is not None:
            try:
                return self.reference.forward(self.obj, inputs, params, targets)
            except (ValueError, TypeError):
                pass  # a theta of the wrong shape: fall back on the student's own forward
        return self.student_forward(inputs, params, targets)


def _value_hint(name: str, is_value: bool) -> str | None:
    # a forward's value has no derivative to work out: the hint says to redo the formula
    return "value_mismatch" if name == "forward" or is_value else None


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _write_here(value) -> bool:
    """return \"\"\"WRITE HERE\"\"\", as the notebook marks a blank argument."""
    return isinstance(value, str) and "WRITE HERE" in value.upper()
