"""hostile9, new ground: load_state_dict with missing, unexpected and mis-shaped entries
(every problem listed, as torch lists them; old BatchNorm checkpoints without
num_batches_tracked load, as in torch), and optimizer arguments of the wrong type."""

import collections

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3), lib.nn.Linear(3, 1))


def _state(lib, model, **changes):
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for key, value in changes.items():
        key = key.replace("_", ".", 1)
        if value is None:
            del state[key]
        else:
            state[key] = value
    return state


def test_every_problem_is_listed_and_nothing_is_loaded():
    model = _model(chainrule)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    state = _state(chainrule, model, **{"0_weight": chainrule.ones(4, 2), "2_bias": None})
    state["2.weight"] = chainrule.ones(1, 4)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(state)
    lines = str(error.value).split("\n\t")
    assert lines[0] == (
        "Sequential.load_state_dict: expected a state_dict that fits the model, got 3 "
        "problems, each below (nothing was loaded):"
    )
    assert lines[1:] == [
        "expected exactly the model's keys, got missing keys ['2.bias'].",
        "expected 0.weight of shape (3, 2), got (4, 2).",
        "expected 2.weight of shape (1, 3), got (1, 4).",
    ]
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key].numpy())
    theirs = _model(torch)
    with pytest.raises(RuntimeError) as torch_error:  # torch lists the three too
        t_state = _state(torch, theirs, **{"0_weight": torch.ones(4, 2), "2_bias": None})
        t_state["2.weight"] = torch.ones(1, 4)
        theirs.load_state_dict(t_state)
    assert str(torch_error.value).count("\n\t") == 3


def test_one_problem_keeps_its_own_message():
    model = _model(chainrule)
    with pytest.raises(chainrule.errors.StateDictError, match=r"^Sequential.load_state_dict: "
                       r"expected 0.weight of shape \(3, 2\), got \(4, 2\)\.$"):  # fmt: skip
        model.load_state_dict(_state(chainrule, model, **{"0_weight": chainrule.ones(4, 2)}))


@pytest.mark.parametrize("strict", [True, False])
def test_mis_shaped_entries_raise_even_when_not_strict_as_torch(strict):
    for lib in (torch, chainrule):
        model = _model(lib)
        with pytest.raises(RuntimeError):
            model.load_state_dict(_state(lib, model, **{"0_weight": lib.ones(4, 2)}), strict=strict)


@pytest.mark.parametrize(
    "changes",
    [{"0_weight": None}, {"extra": 1}, {"0_bias": None, "zz": 1}],
    ids=["missing", "unexpected", "both"],
)
def test_non_strict_loading_returns_torchs_named_tuple(changes):
    results = []
    for lib in (torch, chainrule):
        model = _model(lib)
        wanted = {k: (lib.ones(1) if v == 1 else v) for k, v in changes.items()}
        result = model.load_state_dict(_state(lib, model, **wanted), strict=False)
        assert type(result).__name__ == "_IncompatibleKeys"
        assert result._fields == ("missing_keys", "unexpected_keys")
        results.append((result.missing_keys, result.unexpected_keys))
    assert results[0] == results[1]


def test_an_old_batch_norm_checkpoint_without_num_batches_tracked_loads_strictly():
    for lib in (torch, chainrule):
        model = _model(lib)
        with lib.no_grad():
            model[1].num_batches_tracked.fill_(5)
        result = model.load_state_dict(_state(lib, model, **{"1_num_batches_tracked": None}))
        assert repr(result) == "<All keys matched successfully>"
        assert int(model[1].num_batches_tracked) == 5  # torch keeps the module's own count


def test_a_versioned_state_dict_without_num_batches_tracked_is_missing_it():
    model = _model(chainrule)
    state = collections.OrderedDict(_state(chainrule, model, **{"1_num_batches_tracked": None}))
    state._metadata = {"1": {"version": 2}}  # what torch's state_dict() carries
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["1.num_batches_tracked"]


def _params(lib):
    return [lib.nn.Parameter(lib.ones(2))]


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.optim.SGD(_params(lib), lr="a"),
        lambda lib: lib.optim.SGD(_params(lib), lr=None),
        lambda lib: lib.optim.Adam(_params(lib), eps="x"),
        lambda lib: lib.optim.SGD(_params(lib), lr=-0.1),
        lambda lib: lib.optim.SGD([lib.nn.Parameter(lib.ones(2)) * 2], lr=0.1),
        lambda lib: lib.optim.SGD(_params(lib), lr=0.1).add_param_group({"lr": 0.1}),
        lambda lib: lib.optim.SGD(_params(lib), lr=0.1).add_param_group([1]),
        lambda lib: lib.optim.SGD([], lr=0.1),
        lambda lib: lib.optim.Adam(_params(lib), betas=(0.9, 1.0)),
    ],
)
def test_optimizer_arguments_raise_torchs_error_class(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)


def _loader(lib, **kwargs):
    return lib.utils.data.DataLoader(lib.utils.data.TensorDataset(lib.ones(4, 2)), **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(batch_size=0),
        dict(batch_size=-1),
        dict(batch_size=2.5),
        dict(sampler=[0, 1, 2, 3], shuffle=True),
        dict(num_workers=-1),
        dict(timeout=-1),
        dict(prefetch_factor=2),
        dict(persistent_workers=True),
        dict(batch_size=None, drop_last=True),
    ],
    ids=str,
)
def test_dataloader_arguments_raise_torchs_error_class(kwargs):
    with pytest.raises(Exception) as expected:
        _loader(torch, **kwargs)
    with pytest.raises(expected.type):
        _loader(chainrule, **kwargs)
