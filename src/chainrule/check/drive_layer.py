"""Driving a layer: forward, then backward(grad=upstream), each gradient against central differences.

L = sum(upstream * forward(inputs)) with a random upstream gradient, so backward(grad=upstream)
must equal dL/d(inputs) and grad_<name> must equal dL/d<name>; an all-ones upstream would let a
backward that never multiplies by grad pass.
"""

from __future__ import annotations

import numpy as np

from . import numeric, probe, slips, slips_values, stepping
from .reference import NotWritten, as_array
from .result import Finding

FAILED = object()  # a gradient that could not be read because backward itself failed


class TupleReturned(Exception):
    """backward returned (grad_x, grad_theta): reported, and its value is not compared."""


class LayerDriving:
    """The layer half of Driver: it relies on Driver's bookkeeping (record, fail, call, truth)."""

    def layer(self, inputs: np.ndarray, work: dict, known: tuple = ()) -> None:
        """``known``: parameters whose grad_<name> must exist (theta under like="Linear2")."""
        if self.reorder and len(inputs) > 1 and not np.array_equal(inputs, inputs[::-1]):
            # choosing the shape and asking "is it random?" called forward on these rows already:
            # the same rows in another order show a value kept from that first call
            warm, inputs = inputs, np.flip(inputs, axis=0).copy()
        else:
            warm = self.warm_up(inputs)
        before = inputs.copy()
        try:
            out = self.student_forward_keep(inputs)
        except probe.STUDENT_ERRORS as error:  # a student's bug is a finding, not a crash
            self.fail("forward", error, probe.attr(self.obj, "forward"), (before,))
            out = None
        self.kept("inputs", inputs, before)
        if out is not None and self.remembers(before, out):
            return  # every later number would blame code that is right for one call
        try:
            expected_out = self.truth(before, work)
        except probe.STUDENT_ERRORS:
            if out is not None and self.reference is not None:  # it ran: say so, never "right"
                self.plausible("forward", out)
            return  # neither a reference nor a working forward: nothing to differentiate
        if out is not None and self.reference is not None:
            self.record("forward", out, expected_out)
            self.stale("forward", out, lambda: self.truth(warm, work))
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
        if received is not FAILED and not indices and not self.constant(jac, received):
            received = self.without_ones_column(received, before)
            self.record(
                "backward",
                received,
                numeric.contract(jac, upstream, before.shape),
                batch=batch,
                expected_if_ones=numeric.contract(jac, np.ones_like(upstream), before.shape),
            )
            self.stale("backward", received, lambda: self.input_grad(warm, work, upstream))
        if received is not FAILED:
            self.params = [n for n in work if n in self.params or grads.get(n) is not None]
            self.missing_gradients(grads, known)
        expected_grads = {}
        for name in self.params:
            if grads.get(name, FAILED) is FAILED or self.is_missing(name):
                continue
            jac = numeric.jacobian(
                lambda p, n=name: self.truth(before, {**work, n: p}), work[name], self.step
            )
            expected_grads[self.grad_of(name)] = numeric.contract(jac, upstream, work[name].shape)
            self.record(
                self.grad_of(name),
                grads[name],
                expected_grads[self.grad_of(name)],
                batch=batch,
                expected_if_ones=numeric.contract(jac, np.ones_like(upstream), work[name].shape),
                hint="repeated_indices"
                if indices and np.unique(before).size < before.size
                else None,
            )
            self.stale(
                self.grad_of(name),
                grads[name],
                lambda n=name: self.param_grad(warm, n, work, upstream),
            )
        if received is not FAILED:
            self.backward_slip(received, upstream, before, expected_grads)
        if probe.has(self.obj, "update") and self.params:
            stepping.check_update(self, before, upstream, work)

    def input_grad(self, inputs, work, upstream):
        """dL/d(inputs) at other inputs: what a backward kept from an earlier call would return."""
        jac = numeric.jacobian(lambda x: self.truth(x, work), inputs, self.step)
        return numeric.contract(jac, upstream, inputs.shape)

    def param_grad(self, inputs, name, work, upstream):
        """dL/d<name> at other inputs: what a backward kept from an earlier call would return."""
        jac = numeric.jacobian(
            lambda p: self.truth(inputs, {**work, name: p}), work[name], self.step
        )
        return numeric.contract(jac, upstream, work[name].shape)

    def backward_slip(self, received, upstream, inputs, expected_grads) -> None:
        """A wrong backward that is a known slip: grad_theta returned, the sigmoid's (1 - f) left out."""
        wrong = [f for f in self.findings if f.name == "backward"]
        if not wrong or wrong[-1].diagnosis not in ("mismatch", "wrong_shape", "factor"):
            return
        param = slips.param_gradient(received, expected_grads, self.tol)
        if param is not None:
            self.relabel("backward", "returns_param_grad", found=(param,))
            return
        if self.reference is not None and self.reference.forward.__name__ == "_sigmoid":
            slip = slips.sigmoid_backward(received, upstream, inputs, self.tol)
            if slip is not None:
                self.relabel("backward", slip)

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

    def tuple_returned(self, value):
        """(grad_x, grad_theta): the textbook returns one array and keeps the rest in attributes."""
        if not isinstance(value, tuple) or not all(isinstance(v, np.ndarray) for v in value):
            return value
        self.checked.append("backward")
        self.findings.append(Finding("backward", "returns_tuple", found=(str(len(value)),)))
        raise TupleReturned

    def run_backward(self, inputs, upstream, work):
        """forward then backward(grad=upstream), as the notebook chains them."""
        grads = {name: FAILED for name in work}
        try:
            before = probe.state(self.obj)
            self.obj.forward(inputs.copy())  # a blank forward is reported once, as forward
            stored = slips.stored_by_forward(before, self.obj)
            grad = upstream.copy()
            seen = {name: id(value) for name, value in probe.state(self.obj).items()}
            if (
                inputs.dtype.kind in "iub"
            ):  # an Embedding's: indices have no gradient, None is right
                received = self.obj.backward(grad)
            else:
                received = self.plain(
                    "backward", self.tuple_returned(self.call(self.obj.backward, grad))
                )
            if not np.array_equal(grad, upstream):
                self.findings.append(Finding("grad", "overwrites_grad"))
            for name in slips.changed_in_place(stored, self.obj)[:1]:
                self.checked.append("self." + name)
                self.findings.append(
                    Finding("self." + name, "backward_overwrites_saved", found=(name,))
                )
        except TupleReturned:
            received = FAILED  # reported once, as returns_tuple; the gradients are still read
        except probe.STUDENT_ERRORS as error:
            self.fail("backward", error, probe.attr(self.obj, "backward"), (upstream.copy(),))
            received = FAILED
            if not isinstance(error, NotWritten | NotImplementedError):
                # it raised before it got to grad_theta: an unset gradient is not a second blank
                unset = [n for n in work if probe.attr(self.obj, self.grad_of(n)) is None]
                work = {n: v for n, v in work.items() if n not in unset}
        else:
            self.backward_set = [
                name for name, value in probe.state(self.obj).items() if seen.get(name) != id(value)
            ]
            grads = self.read_grads(work)
            self.backward_twice(received, grads, upstream)
            return received, grads
        return received, {**grads, **self.read_grads(work)}

    def read_grads(self, work) -> dict:
        grads = {}
        for name in work:
            value = probe.attr(self.obj, self.grad_of(name))
            grads[name] = None if value is None else np.array(value, dtype=np.float64)
        return grads

    def backward_twice(self, received, grads, upstream) -> None:
        """backward again at once, on the same forward and grad: a call counter, a queue of inputs
        read from the front, or += on a kept result answers otherwise, and training calls it often."""
        if any(f.name == "grad" or f.name.startswith("self.") for f in self.findings):
            return  # it changed what it was given or what forward kept: that is the finding
        try:
            again = self.call(self.obj.backward, upstream.copy())
            now = self.read_grads({name: None for name in grads})
        except probe.STUDENT_ERRORS:
            return
        pairs = [("backward", again, received)]
        pairs += [(self.grad_of(n), now[n], g) for n, g in grads.items() if g is not None]
        for name, second, first in pairs:
            if not slips_values.matches(second, first, self.tol):  # record() counts the name
                self.findings.append(Finding(name, "backward_remembers", hint="backward_remembers"))
                return
