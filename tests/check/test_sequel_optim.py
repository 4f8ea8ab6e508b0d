"""check() on optimizers with update(params, grads): right ones pass, each classic mistake is named."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check.messages import LANGS
from chainrule.check.optim_rules import simulate

from . import sequel_optim as o

RIGHT = [
    o.SGD,
    o.Momentum,
    o.MomentumTorch,
    o.Nesterov,
    o.AdaGrad,
    o.RMSprop,
    o.Adam,
    o.AdamTorch,
    o.Adam(lr=0.1, beta1=0.5),
    o.SGDWeightDecay,
]


@pytest.mark.parametrize("subject", RIGHT, ids=lambda s: getattr(s, "__name__", repr(s)))
def test_a_right_optimizer_passes_in_either_form(subject):
    result = cr.check(subject)
    assert result, str(result)
    assert result.checked == ["params['W1']", "params['b1']", "params['W2']", "params['b2']"]


BUGS = [
    (o.AdamTorch(bug="no correction"), "optim_no_bias_correction"),
    (o.AdamTorch(bug="power"), "optim_bias_power"),
    (o.AdamTorch(bug="t per param"), "optim_t_per_param"),
    (o.MomentumReset, "optim_velocity_reset"),
    (o.MomentumByShape, "optim_state_shared"),
    (o.NesterovTextbook, "optim_nesterov_v_new"),
    (o.AdaGradForgets, "optim_not_accumulated"),
    (o.RMSpropSwapped, "optim_decay_swapped"),
    (o.SGDLocal, "optim_static"),
    (o.SGDDecaying, "optim_lr_changes"),
    (o.SGDWeightDecay(apply=False), "optim_no_weight_decay"),
]


@pytest.mark.parametrize("subject, diagnosis", BUGS, ids=[d for _, d in BUGS])
def test_each_classic_mistake_is_named_for_every_parameter(subject, diagnosis):
    result = cr.check(subject)
    assert set(result.diagnoses.values()) == {diagnosis}, str(result)
    assert len(result.findings) == 4


@pytest.mark.parametrize("seed", [3, 11])
def test_no_false_alarm_and_no_missed_mistake_under_other_seeds(seed):
    for subject in RIGHT:
        assert cr.check(subject, seed=seed), subject
    for subject, diagnosis in BUGS:
        assert set(cr.check(subject, seed=seed).diagnoses.values()) == {diagnosis}


def test_eps_inside_the_root_shows_only_where_gradients_are_small():
    # b2's gradients are 1e-4, so v is near eps; elsewhere sqrt(v + eps) and sqrt(v) + eps agree
    assert cr.check(o.AdamTorch(bug="eps inside")).diagnoses == {"params['b2']": "optim_eps_inside"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_names_the_parameter_the_step_and_both_values(lang):
    text = str(cr.check(o.AdamTorch(bug="no correction"), lang=lang))
    assert {
        "en": "[NG] params['W1']: Adam without bias correction",
        "ja": "[NG] params['W1']: Adam のバイアス補正がありません",
    }[lang] in text
    assert {"en": "first wrong at step 1", "ja": "1 ステップ目で最初に違っています"}[lang] in text
    assert {"en": "expected ", "ja": "正しくは "}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_an_error_in_update_is_the_students_with_their_line(lang):
    result = cr.check(o.Broken, like="SGD", lang=lang)
    assert result.diagnoses == {"update": "raised"}
    assert 'params[key] -= self.lr * grads[key + "_grad"]' in str(result)
    # a state shared across parameters of different shapes fails on the first bias
    assert cr.check(o.MomentumShared).diagnoses == {"update": "raised"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_optimizer_of_unknown_name_asks_for_like(lang):
    result = cr.check(o.Optimiser, lang=lang)
    assert result.diagnoses == {"update": "optim_unknown"}
    assert "like=" in str(result)
    assert cr.check(o.Optimiser, like="SGD")
    assert not cr.check(o.Optimiser, like="Momentum")


def test_the_students_optimizer_keeps_its_own_state():
    adam = o.Adam()
    assert cr.check(adam)
    assert adam.iter == 0 and adam.m is None


@pytest.mark.parametrize("name", ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"])
def test_the_rules_are_chainrule_optims(name, rng):
    hyper = {"lr": 0.05, "momentum": 0.8, "beta1": 0.8, "beta2": 0.99, "decay": 0.9}
    hyper["weight_decay"] = 0.01
    start = {"w": rng.standard_normal((3, 2)), "b": rng.standard_normal(2) * 1e-3}
    grads = [{k: rng.standard_normal(v.shape) for k, v in start.items()} for _ in range(4)]
    eps = 1e-8
    ours = simulate(name, hyper, eps, start, grads, "right")
    params = [cr.nn.Parameter(cr.tensor(v.copy())) for v in start.values()]
    lr, wd = hyper["lr"], hyper["weight_decay"]
    optimizer = {
        "SGD": lambda: cr.optim.SGD(params, lr=lr, weight_decay=wd),
        "Momentum": lambda: cr.optim.SGD(params, lr=lr, momentum=0.8, weight_decay=wd),
        "Nesterov": lambda: cr.optim.SGD(
            params, lr=lr, momentum=0.8, nesterov=True, weight_decay=wd
        ),
        "AdaGrad": lambda: cr.optim.Adagrad(params, lr=lr, eps=eps, weight_decay=wd),
        "RMSprop": lambda: cr.optim.RMSprop(params, lr=lr, alpha=0.9, eps=eps, weight_decay=wd),
        "Adam": lambda: cr.optim.Adam(params, lr=lr, betas=(0.8, 0.99), eps=eps, weight_decay=wd),
    }[name]()
    for step, expected in zip(grads, ours):
        for p, g in zip(params, step.values()):
            p.grad = cr.tensor(g)
        optimizer.step()
        for p, e in zip(params, expected.values()):
            np.testing.assert_allclose(p.detach().numpy(), e, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["Nesterov", "Adam", "RMSprop"])
def test_the_rules_are_torch_optims(name, rng):
    torch = pytest.importorskip("torch")
    hyper = {"lr": 0.05, "momentum": 0.8, "beta1": 0.8, "beta2": 0.99, "decay": 0.9}
    hyper["weight_decay"] = 0.0
    start = {"w": rng.standard_normal((3, 2))}
    grads = [{"w": rng.standard_normal((3, 2))} for _ in range(4)]
    ours = simulate(name, hyper, 1e-8, start, grads, "right")
    w = torch.tensor(start["w"].copy(), requires_grad=True)
    optimizer = {
        "Nesterov": lambda: torch.optim.SGD([w], lr=0.05, momentum=0.8, nesterov=True),
        "Adam": lambda: torch.optim.Adam([w], lr=0.05, betas=(0.8, 0.99), eps=1e-8),
        "RMSprop": lambda: torch.optim.RMSprop([w], lr=0.05, alpha=0.9, eps=1e-8),
    }[name]()
    for step, expected in zip(grads, ours):
        w.grad = torch.tensor(step["w"])
        optimizer.step()
        np.testing.assert_allclose(w.detach().numpy(), expected["w"], rtol=1e-12, atol=1e-15)


def test_weird_optimizers_are_findings_never_crashes():
    assert cr.check(o.SGDReturning)
    result = cr.check(o.AdamBrokenInit)
    assert result.diagnoses == {"__init__": "raised"}
    assert "self.lr = 1 / 0" in str(result)
    nan = cr.check(o.SGDNotANumber, lang="ja")
    assert set(nan.diagnoses.values()) == {"not_finite"}
    assert "lr=nan" in str(nan)
