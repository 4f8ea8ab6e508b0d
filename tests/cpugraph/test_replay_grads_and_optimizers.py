"""CPUGraph replays of optimizers reading .grad as it is at replay time, and of ``p.grad = t``
inside the step (the third adversary's cases, part 1 of 3)."""

from __future__ import annotations


import numpy as np
import pytest

import chainrule as cr
from tests.cpugraph.replay_harness import _grads, _OPTIMIZERS, _assert_same, _grad, _param


# --- (a) optimizer replays read .grad at replay time -----------------------------------------


def _w_and_u(optimizer):
    """w is trained by the step; u is in the optimizer but not in the loss: its .grad is
    whatever the user left there between steps."""

    def make():
        w, u, x = _param(), _param((1.0, 2.0, 3.0)), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([w, u])

        def step():
            w.grad = None
            (w * x).pow(2).sum().backward()
            opt.step()

        watch = lambda: [w.detach().numpy(), u.detach().numpy(), _grad(w), _grad(u)]  # noqa: E731
        return dict(x=x, step=step, watch=watch, u=u)

    return make


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_grad_set_at_capture_and_none_later_is_skipped_as_eagerly(optimizer):
    def between(i, state):
        state["u"].grad = cr.ones(3) if i == 0 else None

    _assert_same(_w_and_u(optimizer), between=between)


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_grad_replaced_between_replays_is_read_at_replay(optimizer):
    def between(i, state):
        state["u"].grad = cr.full((3,), float(i + 1))

    _assert_same(_w_and_u(optimizer), between=between)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_grad_none_at_capture_and_set_later_is_stepped(optimizer):
    # eager: step() updates u once u.grad is set; replay: u was not in the capture's updates
    def between(i, state):
        state["u"].grad = cr.ones(3) if i >= 2 else None

    _assert_same(_w_and_u(optimizer), between=between)


def test_a_param_group_added_after_capture_is_stepped():
    def make():
        w, v, x = _param(), _param((1.0, 2.0, 3.0)), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            w.grad = v.grad = None
            (w * x + v).pow(2).sum().backward()
            opt.step()

        return dict(
            x=x, step=step, watch=lambda: [w.detach().numpy(), v.detach().numpy()], opt=opt, v=v
        )

    def between(i, state):
        if i == 2:
            state["opt"].add_param_group({"params": [state["v"]], "lr": 0.2})

    _assert_same(make, between=between)


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_every_optimizer_with_lr_edits_and_a_warm_up(optimizer):
    def make():
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 1))
        x, params = cr.zeros(3), list(model.parameters())
        opt = _OPTIMIZERS[optimizer](params)

        def step():
            opt.zero_grad()
            model(x).pow(2).sum().backward()
            opt.step()

        state = lambda: [v for s in opt.state.values() for v in s.values()]  # noqa: E731
        watch = lambda: [p.detach().numpy() for p in params] + [np.asarray(v) for v in state()]  # noqa: E731
        return dict(x=x, step=step, watch=watch, opt=opt)

    def between(i, state):
        state["opt"].param_groups[0]["lr"] = 0.05 / (i + 1)

    _assert_same(make, steps=5, between=between, warmup=2)


def _stateful(optimizer):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([w])

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy()], opt=opt, w=w)

    return make


@pytest.mark.parametrize(
    "optimizer, how", [("adam", "clear"), ("adam", "load_fresh"), ("sgd_momentum", "clear")]
)
def test_a_optimizer_state_reset_between_replays_starts_afresh(optimizer, how):
    # eager: step() makes new state (Adam's step 1 again); replay: self.state[id(param)] raises
    # a bare KeyError (the parameter's id) from inside g.replay()

    def between(i, state):
        if i == 2 and how == "clear":
            state["opt"].state.clear()
        elif i == 2:
            fresh = _OPTIMIZERS[optimizer]([state["w"]])
            state["opt"].load_state_dict(fresh.state_dict())

    _assert_same(_stateful(optimizer), between=between)


@pytest.mark.parametrize("optimizer", ["adam", "sgd_momentum"])
def test_a_optimizer_state_loaded_between_replays_is_read_at_replay(optimizer):
    saved = {}

    def between(i, state):
        if i == 1:
            saved["state"] = state["opt"].state_dict()
        if i == 3:
            state["opt"].load_state_dict(saved["state"])

    _assert_same(_stateful(optimizer), steps=5, between=between)


# --- (b) p.grad = t inside the step -----------------------------------------------------------


def _set_grad(kind, after):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1, momentum=0.9)
        outside = cr.ones(3)

        def step():
            if kind == "outside":
                w.grad = outside
            elif kind == "inside":
                w.grad = cr.ones(3)
            elif kind == "of_w":
                w.grad = (w * 2).detach()
            else:
                w.grad = x * 0.5
            if after == "backward":
                (w * x).pow(2).sum().backward()
            elif after == "clip_value":
                cr.nn.utils.clip_grad_value_([w], 0.4)
            elif after == "clip_norm":
                cr.nn.utils.clip_grad_norm_([w], 0.5)
            opt.step()

        watch = lambda: [w.detach().numpy(), _grad(w), outside.detach().numpy()]  # noqa: E731
        return dict(x=x, step=step, watch=watch)

    return make


@pytest.mark.parametrize("kind", ["outside", "inside", "of_w", "of_x"])
def test_b_grad_set_in_the_step_then_step(kind):
    _assert_same(_set_grad(kind, "step"))


@pytest.mark.parametrize("kind", ["inside", "of_w", "of_x"])
def test_b_grad_set_in_the_step_then_backward_adds_to_it(kind):
    _assert_same(_set_grad(kind, "backward"))


def test_b_grad_set_to_an_outside_tensor_then_backward():
    # eager (as torch): backward adds into t's memory, so t grows and the next step reads it;
    # a replay gives w a copy of t's capture-time value and leaves t alone
    _assert_same(_set_grad("outside", "backward"))


@pytest.mark.parametrize("clip", ["clip_norm", "clip_value"])
@pytest.mark.parametrize("kind", ["inside", "of_x"])
def test_b_grad_set_in_the_step_then_clipped(kind, clip):
    _assert_same(_set_grad(kind, clip))


@pytest.mark.parametrize("clip", ["norm", "value"])
@pytest.mark.parametrize("zero_at_end", [False, True])
def test_b_clipping_with_zero_grad_at_either_end(clip, zero_at_end):
    def make():
        cr.manual_seed(0)
        model, x = cr.nn.Linear(3, 2), cr.zeros(3)
        opt = cr.optim.SGD(model.parameters(), lr=0.1)

        def step():
            if not zero_at_end:
                opt.zero_grad()
            model(x).pow(2).sum().backward()
            if clip == "norm":
                cr.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            else:
                cr.nn.utils.clip_grad_value_(model.parameters(), 0.3)
            opt.step()
            if zero_at_end:
                opt.zero_grad()

        params = list(model.parameters())
        return dict(
            x=x, step=step, watch=lambda: [p.detach().numpy() for p in params] + _grads(params)
        )

    _assert_same(make)


def test_b_grad_divided_in_place_through_the_property():
    # `p.grad /= n` calls the .grad setter with p's own gradient array; the capture takes that
    # array for a constant and every replay sets .grad to the capture's gradient / n
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            w.grad /= 4.0  # averaging over workers or micro-batches
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy(), _grad(w)])

    _assert_same(make)


@pytest.mark.parametrize("form", ["div_", "mul_", "alias", "data", "out_of_place"])
def test_b_grad_scaled_inside_the_step_in_the_other_forms(form):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            if form == "div_":
                w.grad.div_(4.0)
            elif form == "mul_":
                w.grad.mul_(0.25)
            elif form == "alias":
                grad = w.grad
                grad *= 0.25
            elif form == "data":
                w.grad.data.mul_(0.25)
            else:
                w.grad = w.grad / 4.0
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy(), _grad(w)])

    _assert_same(make)


def test_b_grad_set_to_a_static_tensor_refilled_between_replays():
    # gradients computed elsewhere (another process, a hand-written backward) copied into a
    # static tensor before each step: eager reads its values now, a replay the capture's
    def make():
        w, x, given = _param(), cr.zeros(3), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            w.grad = given
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy(), _grad(w)], given=given)

    def between(i, state):
        state["given"].copy_(state["x"])

    _assert_same(make, between=between)


def test_b_a_tensor_given_as_grad_holds_what_backward_added():
    # eager (and torch): p.grad is t, so backward adds into t; a replay gives p a copy of t
    def make():
        w, x, held = _param(), cr.zeros(3), {}

        def step():
            w.grad = held["t"] = (w * 2).detach()
            (w * x).pow(2).sum().backward()

        return dict(x=x, step=step, watch=lambda: [_grad(w), held["t"].numpy()])

    _assert_same(make)


def test_b_clipping_a_grad_the_user_replaced_between_replays():
    # the adv2 fix made zeroing and accumulation follow the .grad there is now; clipping
    # still scales the array the capture saw
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad(set_to_none=False)
            (w * x).pow(2).sum().backward()
            cr.nn.utils.clip_grad_norm_([w], 0.5)
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy(), _grad(w)], w=w)

    def between(i, state):
        if i >= 2:
            state["w"].grad = cr.full((3,), 5.0)

    _assert_same(make, between=between, warmup=1)
