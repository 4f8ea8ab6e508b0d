import numpy as np
import pytest

import chainrule as cr
from chainrule import StateDictError, nn

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(3, 4, generator=0)
        self.norm = nn.BatchNorm1d(4)
        self.out = nn.Linear(4, 2, generator=1)

    def forward(self, x):
        return self.out(cr.functional.relu(self.norm(self.hidden(x))))


def test_parameters_children_and_modules_are_found():
    model = TwoLayer()
    names = [n for n, _ in model.named_parameters()]
    assert names == [
        "hidden.weight",
        "hidden.bias",
        "norm.weight",
        "norm.bias",
        "out.weight",
        "out.bias",
    ]
    assert len(list(model.parameters())) == 6
    assert [type(c).__name__ for c in model.children()] == ["Linear", "BatchNorm1d", "Linear"]
    assert len(list(model.modules())) == 4


def test_train_eval_propagates():
    model = TwoLayer()
    model.eval()
    assert not model.training and not model.norm.training
    model.train()
    assert model.norm.training


def test_zero_grad_clears_every_gradient():
    model = TwoLayer()
    model(cr.randn(5, 3, generator=0)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_round_trip_includes_buffers():
    a, b = TwoLayer(), TwoLayer()
    a(cr.randn(8, 3, generator=2))  # moves BatchNorm's running statistics
    for p in b.parameters():
        p.data[...] = 0
    b.load_state_dict(a.state_dict())
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(value, b.state_dict()[key])
    assert (
        "norm.running_mean" in a.state_dict()
        and int(a.state_dict()["norm.num_batches_tracked"]) == 1
    )


def test_state_dict_is_a_copy():
    model = TwoLayer()
    state = model.state_dict()
    state["out.bias"][...] = 123.0
    assert not np.any(model.out.bias.detach().numpy() == 123.0)


def test_load_state_dict_names_missing_and_unexpected_keys():
    model = TwoLayer()
    state = model.state_dict()
    del state["out.bias"]
    state["extra.weight"] = np.zeros(1)
    with pytest.raises(
        StateDictError, match=r"missing keys \['out.bias'\]; unexpected keys \['extra.weight'\]"
    ):
        model.load_state_dict(state)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert missing == ["out.bias"] and unexpected == ["extra.weight"]


def _linear_state(change):
    model = nn.Linear(2, 3)
    state = model.state_dict()
    change(state)
    return model, state


@pytest.mark.parametrize(
    "change, pattern",
    [
        (
            lambda s: s.pop("bias"),
            r"^Linear.load_state_dict: expected exactly the model's keys, got missing keys \['bias'\]",
        ),
        (
            lambda s: s.update(extra=np.zeros(2)),
            r"^Linear.load_state_dict: expected exactly the model's keys, got unexpected keys \['extra'\]",
        ),
        (
            lambda s: s.update(weight=np.zeros((3, 5))),
            r"^Linear.load_state_dict: expected weight of shape \(3, 2\), got \(3, 5\)",
        ),
    ],
    ids=["missing", "unexpected", "shape"],
)
def test_load_state_dict_errors_name_the_layer_and_the_key(change, pattern):
    model, state = _linear_state(change)
    before = model.weight.detach().numpy().copy()
    with pytest.raises(StateDictError, match=pattern):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model.weight.detach().numpy(), before)


def test_load_state_dict_names_the_mis_shaped_key():
    model = TwoLayer()
    state = model.state_dict()
    state["hidden.weight"] = np.zeros((5, 3))
    before = model.hidden.weight.detach().numpy().copy()
    with pytest.raises(
        StateDictError, match=r"expected hidden.weight of shape \(4, 3\), got \(5, 3\)"
    ):
        model.load_state_dict(state)
    np.testing.assert_array_equal(model.hidden.weight.data, before)  # nothing half-loaded


def test_repr_reads_like_torch():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1, bias=False))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=3, out_features=1, bias=False)\n"
        ")"
    )


def test_sequential_and_module_list_index_and_iterate():
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    assert isinstance(seq[1], nn.Tanh) and len(seq) == 2 and len(seq[:1]) == 1
    blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    holder = nn.Module()
    holder.blocks = blocks
    assert len(list(holder.parameters())) == 6 and len(blocks) == 3


def test_to_float32_converts_parameters_and_buffers():
    model = TwoLayer().to(np.float32)
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert model.norm.running_mean.dtype == np.float32
    out = model(cr.randn(4, 3, dtype=np.float32, generator=0))
    assert out.dtype == np.float32


def test_module_without_super_init_says_so():
    class Broken(nn.Module):
        def __init__(self):
            self.layer = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Broken()
