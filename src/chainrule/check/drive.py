"""Driving a student's object the notebook's way and collecting what is wrong.

For a layer the loss is L = sum(upstream * forward(inputs)) with a random upstream gradient,
so backward(grad=upstream) must equal dL/d(inputs) and grad_<name> must equal dL/d<name>;
an all-ones upstream would let a backward that never multiplies by grad pass. For a loss,
backward() must equal d loss / d inputs. Parameters are swapped for float64 copies while the
check runs and the student's own arrays are put back at the end, untouched.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import blame, numeric, probe, stepping
from .diagnose import compare
from .reference import NotNumbers, Reference, as_array
from .result import Finding


class NotWritten(Exception):
    """The blank is still blank: the code returned None or raised NotImplementedError."""


class Driver:
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
        result = compare(received, expected, tol=self.tol, **options)
        if result.ok:
            return
        diagnosis = result.diagnosis
        shapes = {}
        if diagnosis in ("wrong_shape", "transposed") or (
            received is not None and diagnosis == "not_an_array" and _shape(received) is not None
        ):
            shapes = dict(expected_shape=tuple(np.shape(expected)), received_shape=_shape(received))
            if is_value or name == "forward":
                diagnosis = "forward_shape" if diagnosis == "wrong_shape" else diagnosis
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
                hint=hint if diagnosis == "mismatch" else None,
                **shapes,
            )
        )

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
            if blank:
                self.checked[self.checked.index(name)] = blank
            self.findings.append(Finding(blank or name, "not_written"))
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

    def _hint_for(self, name: str, error: BaseException) -> dict:
        """A hint for the likeliest cause: self.y never stored, or a class built without its arguments."""
        if name == "__init__" and isinstance(error, TypeError) and "required" in str(error):
            return dict(hint="init_arguments", owner=probe.name_of(self.obj))
        if not isinstance(error, AttributeError) or getattr(error, "obj", None) is not self.obj:
            return {}
        if name not in ("forward", "backward") or not isinstance(error.name, str):
            return {}
        hint = "unset_in_forward" if name == "backward" else "unset_in_init"
        return dict(hint=hint, found=(error.name,))

    def call(self, function: Callable, *args):
        value = function(*args)
        if value is None:
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

    # -- layers ----------------------------------------------------------------------------------
    def layer(self, inputs: np.ndarray, work: dict, known: tuple = ()) -> None:
        """``known``: parameters whose grad_<name> must exist (theta under like="Linear2")."""
        before = inputs.copy()
        try:
            out = self.student_forward_keep(inputs)
        except probe.STUDENT_ERRORS as error:  # a student's bug is a finding, not a crash
            self.fail("forward", error, probe.attr(self.obj, "forward"), (before,))
            out = None
        self.kept("inputs", inputs, before)
        try:
            expected_out = self.truth(before, work)
        except probe.STUDENT_ERRORS:
            return  # neither a reference nor a working forward: nothing to differentiate
        if out is not None and self.reference is not None:
            self.record("forward", out, expected_out)
        elif out is not None and np.ndim(out) >= 1 and len(out) != len(before) > 1:
            # one row out per row in: a forward written for a single sample drops the others
            self.checked.append("forward")
            self.findings.append(
                Finding(
                    "forward", "rows_lost", expected_shape=(len(before),), received_shape=out.shape
                )
            )
            return
        if not probe.has(self.obj, "backward") or out is None:
            return  # backward works on what forward stored: with no forward it would fail for no fault of its own
        upstream = self.rng.standard_normal(expected_out.shape)
        received, grads = self.run_backward(before, upstream, work)
        batch = len(before)
        indices = before.dtype.kind in "iub"  # an Embedding's: there is no d/d(inputs) to check
        jac = (
            None if indices else numeric.jacobian(lambda x: self.truth(x, work), before, self.step)
        )
        if received is not _FAILED and not indices and not self.constant(jac, received):
            received = self.without_ones_column(received, before)
            self.record(
                "backward",
                received,
                numeric.contract(jac, upstream, before.shape),
                batch=batch,
                expected_if_ones=numeric.contract(jac, np.ones_like(upstream), before.shape),
            )
        if received is not _FAILED:
            self.params = [n for n in work if n in self.params or grads.get(n) is not None]
            self.missing_gradients(grads, known)
        for name in self.params:
            if grads.get(name, _FAILED) is _FAILED or self.is_missing(name):
                continue
            jac = numeric.jacobian(
                lambda p, n=name: self.truth(before, {**work, n: p}), work[name], self.step
            )
            self.record(
                self.grad_of(name),
                grads[name],
                numeric.contract(jac, upstream, work[name].shape),
                batch=batch,
                expected_if_ones=numeric.contract(jac, np.ones_like(upstream), work[name].shape),
                hint="repeated_indices"
                if indices and np.unique(before).size < before.size
                else None,
            )
        if probe.has(self.obj, "update") and self.params:
            stepping.check_update(self, before, upstream, work)

    def missing_gradients(self, grads, known) -> None:
        """grad_<name> never set while backward set d_<name> (or, for theta under like=, anything else)."""
        found = self.backward_set or []
        for name in dict.fromkeys(
            [*known, *self.params, *[n for n in grads if probe.similar_names(found, n)]]
        ):
            if grads.get(name) is not None:
                continue
            similar = probe.similar_names(found, name)
            if similar or name in known and found:
                self.checked.append("grad_" + name)
                self.findings.append(
                    Finding("grad_" + name, "grad_missing", found=tuple(similar or found))
                )
            elif name in known and name not in self.params:
                self.checked.append("grad_" + name)
                self.findings.append(Finding("grad_" + name, "not_written"))

    def is_missing(self, name: str) -> bool:
        return any(
            f.name == "grad_" + name and f.diagnosis == "grad_missing" for f in self.findings
        )

    def without_ones_column(self, received, inputs):
        """Linear3 inherits Linear2.backward, whose (N, 3) gradient includes the ones column it added."""
        if self.reference is None or not self.reference.adds_ones or received is None:
            return received
        received = np.asarray(received)
        if received.ndim == 2 and received.shape == (inputs.shape[0], inputs.shape[1] + 1):
            return received[:, 1:]
        return received

    def student_forward_keep(self, inputs):
        """forward on the caller's own array, so that overwriting it can be seen."""
        return as_array(self.plain("forward", self.call(probe.attr(self.obj, "forward"), inputs)))

    def plain(self, name: str, value):
        """A list where an array is meant: the values may be right, the next layer's x - t is not."""
        if isinstance(value, (list, tuple)) and name not in self.checked:
            self.checked.append(name)
            self.findings.append(Finding(name, "not_ndarray", found=(type(value).__name__,)))
        return value

    def run_backward(self, inputs, upstream, work):
        """forward then backward(grad=upstream), as the notebook chains them."""
        grads = {name: _FAILED for name in work}
        try:
            self.obj.forward(inputs.copy())  # a blank forward is reported once, as forward
            grad = upstream.copy()
            seen = {name: id(value) for name, value in probe.state(self.obj).items()}
            if (
                inputs.dtype.kind in "iub"
            ):  # an Embedding's: indices have no gradient, None is right
                received = self.obj.backward(grad)
            else:
                received = self.plain("backward", self.call(self.obj.backward, grad))
            if not np.array_equal(grad, upstream):
                self.findings.append(Finding("grad", "overwrites_grad"))
        except probe.STUDENT_ERRORS as error:
            self.fail("backward", error, probe.attr(self.obj, "backward"), (upstream.copy(),))
            received = _FAILED
        else:
            self.backward_set = [
                name for name, value in probe.state(self.obj).items() if seen.get(name) != id(value)
            ]
        for name in work:
            value = probe.attr(self.obj, self.grad_of(name))
            grads[name] = None if value is None else np.array(value, dtype=np.float64)
        return received, grads

    # -- losses and plain functions --------------------------------------------------------------
    def loss(self, inputs, targets) -> None:
        before, kept_targets = inputs.copy(), targets.copy()
        value = self.value(
            "forward",
            lambda: self.call(self.obj.forward, inputs, targets),
            before,
            kept_targets,
            method=probe.attr(self.obj, "forward"),
        )
        self.kept("inputs", inputs, before)
        self.kept("targets", targets, kept_targets, owner="forward")
        if value is None:
            return  # backward() can only hand back what a forward that ran stored
        try:
            received = self.plain("backward", self.call(self.obj.backward))
        except probe.STUDENT_ERRORS as error:
            self.fail("backward", error, probe.attr(self.obj, "backward"))
            return
        try:
            jac = numeric.jacobian(lambda p: self.truth(p, {}, kept_targets), before, self.step)
        except probe.STUDENT_ERRORS:
            return
        if not self.constant(jac, received):
            self.record("backward", received, jac.reshape(before.shape), batch=len(before))

    def constant(self, jac, received) -> bool:
        """With no reference the truth is the student's forward: if that ignores its inputs (a
        cache filled on the first call), a nonzero backward would read as wrong, so say why."""
        if self.reference is not None or np.any(jac):
            return False
        try:
            if not np.any(as_array(received)):
                return False
        except probe.STUDENT_ERRORS:
            return False
        if "forward" not in self.checked:
            self.checked.append("forward")
        self.findings.append(Finding("forward", "forward_constant"))
        return True

    def value(self, name, thunk, inputs, targets=None, method=None):
        """Compare what a forward or a function returns with the reference; None when it failed."""
        try:
            value = thunk()
        except probe.STUDENT_ERRORS as error:
            args = (inputs.copy(),) if targets is None else (inputs.copy(), targets.copy())
            self.fail(name, error, method, args)
            return None
        expected = None
        if self.reference is not None:
            expected = self.reference.forward(self.obj, inputs, {}, targets)
        elif targets is not None:
            expected = np.zeros(())  # a loss is one number: only its shape can be checked
            if _shape(value) is not None and np.prod(_shape(value)) == 1:
                self.plausible(name, value)
                return value
        if expected is not None:
            self.record(name, value, expected, batch=len(inputs), is_value=True)
        elif targets is None:
            self.plausible(name, value)
        return value

    def plausible(self, name: str, value) -> None:
        """With nothing to compare against, a function can still be caught returning a string,
        a generator or NaN: without this, check() would pass it having checked nothing."""
        self.checked.append(name)
        self.ran.append(name)
        try:
            array = as_array(value)
        except probe.STUDENT_ERRORS as error:  # NotNumbers, or the object's own __array__ failing
            self.fail(name, error)
            return
        if not np.isfinite(array).all():
            self.findings.append(Finding(name, "not_finite"))

    def derivative(self, function: Callable, inputs, name: str) -> None:
        """derivative(x) against the elementwise central difference of function (or its reference)."""

        def f(x):
            if self.reference is not None:
                return self.reference.forward(function, x, {})
            return as_array(self.call(function, x.copy()))

        try:
            expected = (f(inputs + numeric.STEP) - f(inputs - numeric.STEP)) / (2 * numeric.STEP)
        except probe.STUDENT_ERRORS as error:
            self.fail(name, error)
            return
        try:
            received = self.call(self.obj, inputs.copy())
        except probe.STUDENT_ERRORS as error:
            self.fail(name, error, self.obj, (inputs.copy(),))
            return
        known = self.reference is not None and self.reference.forward.__name__ == "_sigmoid"
        self.record(
            name,
            received,
            expected,
            is_value=True,
            hint="sigmoid_derivative"
            if known or probe.name_of(function) == "sigmoid"
            else "derivative",
        )


_FAILED = object()


def _shape(value) -> tuple | None:
    try:  # a ragged list, or an object whose __array__ raises, has no shape to show
        return tuple(np.shape(value))
    except probe.STUDENT_ERRORS:
        return None


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
