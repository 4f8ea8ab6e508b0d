"""NAdam, RAdam, Adamax, Adadelta, Rprop and ASGD against torch: steps on a small MLP from the
same weights, in float32 and float64, with two parameter groups of different lrs, weight decay
and maximize; and state dicts saved mid-training carried torch -> chainrule -> torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
from chainrule import nn, optim

pytestmark = pytest.mark.oracle

CASES = {
    "nadam": ("NAdam", dict(lr=1e-2)),
    "nadam_decay": ("NAdam", dict(lr=1e-2, weight_decay=1e-2, momentum_decay=1e-2)),
    "nadam_decoupled": ("NAdam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)),
    "radam": ("RAdam", dict(lr=1e-2)),  # rho_t > 5 from step 6 on: both branches run
    "radam_decay": ("RAdam", dict(lr=1e-2, weight_decay=1e-2)),
    "radam_decoupled": ("RAdam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True)),
    "adamax": ("Adamax", dict(lr=1e-2)),
    "adamax_decay": ("Adamax", dict(lr=1e-2, betas=(0.8, 0.99), weight_decay=1e-2)),
    "adadelta": ("Adadelta", dict(lr=1.0)),
    "adadelta_decay": ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=1e-2)),
    "rprop": ("Rprop", dict(lr=1e-2)),
    "rprop_bounds": ("Rprop", dict(lr=1e-2, etas=(0.3, 1.5), step_sizes=(1e-3, 0.02))),
    "asgd": ("ASGD", dict(lr=1e-2)),
    "asgd_averaging": ("ASGD", dict(lr=5e-2, lambd=1e-2, alpha=0.5, t0=3, weight_decay=1e-2)),
}
TOLERANCE = {
    np.float64: dict(rtol=1e-9, atol=1e-11),
    np.float32: dict(rtol=2e-5, atol=2e-6),
}


@pytest.fixture(params=[np.float32, np.float64], ids=["float32", "float64"])
def dtype(request):
    """Both libraries' default dtype, which is that of torch's scalar state (step, mu_product)."""
    cr.set_default_dtype(request.param)
    torch.set_default_dtype(torch.float64 if request.param is np.float64 else torch.float32)
    yield request.param
    cr.set_default_dtype(np.float32)
    torch.set_default_dtype(torch.float32)


def _model(lib, weights):
    model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 3))
    with lib.no_grad():
        for p, w in zip(model.parameters(), weights):
            p.copy_(lib.tensor(w))
    return model


def _weights(dtype):
    rng = np.random.default_rng(5)
    shapes = [(8, 4), (8,), (3, 8), (3,)]
    return [(rng.standard_normal(s) * 0.5).astype(dtype) for s in shapes]


def _groups(model, lr):
    """Two groups with different learning rates, as fine-tuning code makes them."""
    params = list(model.parameters())
    return [{"params": params[:2], "lr": lr * 0.5}, {"params": params[2:]}]


def _optimizer(lib, model, case, **extra):
    name, kwargs = CASES[case]
    return getattr(lib.optim, name)(_groups(model, kwargs["lr"]), **kwargs, **extra)


def _steps(lib, model, opt, steps, dtype):
    rng = np.random.default_rng(11)
    for _ in range(steps):
        x = rng.standard_normal((16, 4)).astype(dtype)
        y = rng.integers(0, 3, 16)
        opt.zero_grad()
        lib.nn.CrossEntropyLoss()(model(lib.tensor(x)), lib.tensor(y)).backward()
        opt.step()


def _same(ours, theirs, dtype):
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert p.detach().numpy().dtype == dtype
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), **TOLERANCE[dtype])


@pytest.mark.parametrize("maximize", [False, True], ids=["min", "max"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_steps_match_torch(case, maximize, dtype):
    ours, theirs = _model(cr, _weights(dtype)), _model(torch, _weights(dtype))
    our_opt = _optimizer(cr, ours, case, maximize=maximize)
    their_opt = _optimizer(torch, theirs, case, maximize=maximize)
    _steps(cr, ours, our_opt, 12, dtype)
    _steps(torch, theirs, their_opt, 12, dtype)
    _same(ours, theirs, dtype)
    for state in our_opt.state.values():
        assert all(v.dtype == dtype for v in state.values() if isinstance(v, np.ndarray))


def to_torch(value):
    """chainrule's state entries as torch keeps them: arrays and NumPy scalars as tensors."""
    if isinstance(value, dict):
        return {k: to_torch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_torch(v) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return torch.tensor(np.asarray(value))
    return value


@pytest.mark.parametrize("case", sorted(CASES))
def test_state_dict_round_trip_mid_training(case, dtype):
    """torch trains 3 steps, chainrule takes over for 3, torch again for 3: each hand-over
    carries weights and optimizer state, and the result is torch's 9 uninterrupted steps."""
    straight = _model(torch, _weights(dtype))
    straight_opt = _optimizer(torch, straight, case)
    _steps(torch, straight, straight_opt, 9, dtype)

    theirs = _model(torch, _weights(dtype))
    their_opt = _optimizer(torch, theirs, case)
    _steps(torch, theirs, their_opt, 3, dtype)
    ours = _model(cr, [p.detach().numpy() for p in theirs.parameters()])
    our_opt = _optimizer(cr, ours, case)
    our_opt.load_state_dict(their_opt.state_dict())  # torch tensors inside
    rng_offset = 3
    _continue(cr, ours, our_opt, dtype, rng_offset)
    back = _model(torch, [p.detach().numpy() for p in ours.parameters()])
    back_opt = _optimizer(torch, back, case)
    saved = our_opt.state_dict()
    back_opt.load_state_dict(
        {"state": to_torch(saved["state"]), "param_groups": saved["param_groups"]}
    )
    _continue(torch, back, back_opt, dtype, 2 * rng_offset)
    _same(back, straight, dtype)


def _continue(lib, model, opt, dtype, skip):
    """Steps 4-6 (skip=3) or 7-9 (skip=6) of _steps' batches, three steps in all."""
    rng = np.random.default_rng(11)
    batches = [
        (rng.standard_normal((16, 4)).astype(dtype), rng.integers(0, 3, 16)) for _ in range(9)
    ]
    for x, y in batches[skip : skip + 3]:
        opt.zero_grad()
        lib.nn.CrossEntropyLoss()(model(lib.tensor(x)), lib.tensor(y)).backward()
        opt.step()


NAMES = ["NAdam", "RAdam", "Adamax", "Adadelta", "Rprop", "ASGD", "LBFGS"]


@pytest.mark.parametrize("name", NAMES)
def test_group_keys_and_defaults_match_torch(name):
    ours = getattr(optim, name)([nn.Parameter(np.zeros(2))])
    theirs = getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))])
    mine = {k: v for k, v in ours.param_groups[0].items() if k != "params"}
    torch_group = {k: v for k, v in theirs.param_groups[0].items() if k != "params"}
    assert mine == torch_group


BAD = [
    ("NAdam", dict(lr=-1.0)),
    ("NAdam", dict(eps=-1.0)),
    ("NAdam", dict(betas=(1.0, 0.9))),
    ("NAdam", dict(weight_decay=-1.0)),
    ("NAdam", dict(momentum_decay=-1.0)),
    ("RAdam", dict(betas=(0.9, 1.5))),
    ("RAdam", dict(weight_decay=-0.1)),
    ("Adamax", dict(eps=-1e-8)),
    ("Adamax", dict(betas=(-0.1, 0.9))),
    ("Adadelta", dict(rho=1.5)),
    ("Adadelta", dict(lr=-1.0)),
    ("Rprop", dict(etas=(1.5, 1.2))),
    ("Rprop", dict(etas=(0.5, 0.9))),
    ("ASGD", dict(weight_decay=-1.0)),
    ("LBFGS", dict(lr=-1.0)),
]


@pytest.mark.parametrize("name,kwargs", BAD, ids=[f"{n}-{sorted(k)[0]}" for n, k in BAD])
def test_bad_hyperparameters_raise_torchs_error_class(name, kwargs):
    with pytest.raises(Exception) as theirs:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))], **kwargs)
    with pytest.raises(type(theirs.value), match=f"{name}: expected .*, got"):
        getattr(optim, name)([nn.Parameter(np.zeros(2))], **kwargs)


@pytest.mark.parametrize("name", NAMES[:-1])
def test_kernel_keywords_are_accepted_and_differentiable_refused(name):
    getattr(optim, name)([nn.Parameter(np.zeros(2))], foreach=None, capturable=False)
    with pytest.raises(cr.errors.ArgumentError, match="differentiable=False"):
        getattr(optim, name)([nn.Parameter(np.zeros(2))], differentiable=True)


def test_a_state_dict_of_another_optimizer_is_refused():
    model = _model(cr, _weights(np.float32))
    adam = optim.Adam(model.parameters())
    _steps(cr, model, adam, 1, np.float32)
    with pytest.raises(ValueError, match="NAdam keeps .*mu_product"):
        optim.NAdam(model.parameters()).load_state_dict(adam.state_dict())
