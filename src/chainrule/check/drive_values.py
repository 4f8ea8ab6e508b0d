"""Driving a loss (forward(inputs, targets), backward()), a plain function, or a derivative."""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import numeric, probe, slips, slips_values
from .diagnose import close
from .reference import as_array
from .reference_scores import metric_slips
from .result import Finding


class ValueDriving:
    """The loss and function half of Driver: it relies on Driver's bookkeeping (record, fail, call)."""

    def loss(self, inputs, targets) -> None:
        self.means = True
        before, kept_targets = inputs.copy(), targets.copy()
        warm = self.warm_up(inputs, targets)
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
        self.loss_remembers(value, before, kept_targets)
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
            self.stale("backward", received, lambda: self.loss_gradient(warm, kept_targets))

    def loss_remembers(self, value, inputs, targets) -> None:
        """The same inputs twice, two losses: a running mean over calls, not this batch's loss."""
        try:
            again = self.call(self.obj.forward, inputs.copy(), targets.copy())
            if slips_values.matches(again, value, self.tol):
                return
        except probe.STUDENT_ERRORS:
            return
        if any(f.name == "forward" for f in self.findings):
            self.relabel("forward", "forward_remembers", hint="forward_remembers")
        else:
            self.findings.append(Finding("forward", "forward_remembers", hint="forward_remembers"))

    def stale_value(self, name: str, value, warm, targets=None) -> None:
        """A function's value against the truth for the warm-up call's inputs, when it is wrong."""
        if self.reference is not None and value is not None:
            self.stale(name, value, lambda: self.reference.forward(self.obj, warm, {}, targets))

    def loss_gradient(self, inputs, targets):
        jac = numeric.jacobian(lambda p: self.truth(p, {}, targets), inputs, self.step)
        return jac.reshape(inputs.shape)

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
        self.means = self.means or targets is not None  # f(inputs, targets): a loss or a metric
        try:
            value = thunk()
            if isinstance(value, list) and not self.returns_numbers():
                self.plain(name, value)  # a tuple is what a function of two answers returns
        except probe.STUDENT_ERRORS as error:
            args = (inputs.copy(),) if targets is None else (inputs.copy(), targets.copy())
            self.fail(name, error, method, args)
            return None
        expected = None
        if self.reference is not None:
            expected = self.reference.forward(self.obj, inputs, {}, targets)
        elif targets is not None:
            expected = np.zeros(())  # a loss is one number: only its shape can be checked
            if shape_of(value) is not None and np.prod(shape_of(value)) == 1:
                self.plausible(name, value)
                return value
            if name != "forward" and shape_of(value):  # f(x, theta): two arguments, no loss
                self.checked.append(name)
                found = tuple(probe.argument_names(method)[:2]) if method is not None else ()
                self.findings.append(
                    Finding(name, "not_a_loss", received_shape=shape_of(value), found=found)
                )
                return value
        if expected is not None:
            self.record(name, value, expected, batch=len(inputs), is_value=True)
            wrong = [f for f in self.findings if f.name == name and f.diagnosis == "mismatch"]
            if wrong and self.reference.forward.__name__ == "_mse" and targets is not None:
                if slips.mse_broadcast(value, inputs, targets):
                    self.relabel(name, "mse_broadcast", hint="mse_broadcast")
            if hasattr(self.reference.forward, "kind"):  # a metric: precision for recall, 0/0
                metric_slips(self, name, value, inputs, targets)
        elif targets is None:
            self.plausible(name, value)
        return value

    def returns_numbers(self) -> bool:
        """least_squares may hand back theta as [b, a]: numbers, not the array a layer passes on."""
        return self.reference is not None and self.reference.forward.__name__ == "_least_squares"

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
        sigmoid = known or probe.name_of(function) == "sigmoid"
        self.record(
            name,
            received,
            expected,
            is_value=True,
            hint="sigmoid_derivative" if sigmoid else "derivative",
        )
        if sigmoid and any(f.name == name and f.diagnosis == "mismatch" for f in self.findings):
            try:  # the sigmoid itself where its slope is meant, or f (1 - f) written on x
                if close(as_array(received), f(inputs), self.tol).all():
                    self.relabel(name, "sigmoid_grad_is_f", hint="sigmoid_grad_is_f")
                elif close(as_array(received), inputs * (1 - inputs), self.tol).all():
                    self.relabel(name, "sigmoid_grad_of_x", hint="sigmoid_grad_of_x")
            except probe.STUDENT_ERRORS:
                pass


def shape_of(value) -> tuple | None:
    try:  # a ragged list, or an object whose __array__ raises, has no shape to show
        return tuple(np.shape(value))
    except probe.STUDENT_ERRORS:
        return None
