"""hostile9, new ground: wrong-type and wrong-shape arguments to the most used layers'
constructors and forwards. chainrule's error must be an instance of the class torch raises
(tests/test_error_families.py's rule), and name the layer, what it expected and what it got."""

import pytest

import chainrule

torch = pytest.importorskip("torch")


def _refused(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type) as ours:
        call(chainrule)
    return str(ours.value)


def _mha(lib, q=(3, 1, 4), k=(3, 1, 4), **kwargs):
    return lib.nn.MultiheadAttention(4, 2)(lib.ones(*q), lib.ones(*k), lib.ones(*k), **kwargs)


_CASES = {
    # sizes that are not ints: torch's TypeError
    "Linear(2.5, 3)": lambda lib: lib.nn.Linear(2.5, 3),
    "Linear('a', 3)": lambda lib: lib.nn.Linear("a", 3),
    "Embedding(2.5, 3)": lambda lib: lib.nn.Embedding(2.5, 3),
    "LSTM(2.5, 3)": lambda lib: lib.nn.LSTM(2.5, 3),
    "LSTM(3, 2.5)": lambda lib: lib.nn.LSTM(3, 2.5),
    "LSTM num_layers 1.5": lambda lib: lib.nn.LSTM(3, 4, num_layers=1.5),
    "GRUCell(3, 2.5)": lambda lib: lib.nn.GRUCell(3, 2.5),
    "PReLU(1.5)": lambda lib: lib.nn.PReLU(1.5),
    # sizes that are ints but out of range
    "Linear(-1, 3)": lambda lib: lib.nn.Linear(-1, 3),
    "LSTM hidden 0": lambda lib: lib.nn.LSTM(3, 0),
    "LSTM layers 0": lambda lib: lib.nn.LSTM(3, 4, num_layers=0),
    # torch's asserts: AssertionError
    "Embedding padding_idx 5": lambda lib: lib.nn.Embedding(5, 2, padding_idx=5),
    "Embedding padding_idx -6": lambda lib: lib.nn.Embedding(5, 2, padding_idx=-6),
    "Embedding _weight shape": lambda lib: lib.nn.Embedding(5, 2, _weight=lib.ones(4, 2)),
    "EmbeddingBag padding_idx 5": lambda lib: lib.nn.EmbeddingBag(5, 2, padding_idx=5),
    "MHA embed_dim % heads": lambda lib: lib.nn.MultiheadAttention(5, 2),
    "MHA int attn_mask": lambda lib: _mha(lib, attn_mask=lib.zeros(3, 3, dtype=lib.int64)),
    "MHA key_padding_mask shape": lambda lib: _mha(
        lib, key_padding_mask=lib.zeros(1, 4, dtype=lib.bool)
    ),
    "MHA wrong embed": lambda lib: _mha(lib, q=(3, 1, 5), k=(3, 1, 5)),
    "MHA 4-d query": lambda lib: _mha(lib, q=(3, 1, 1, 4)),
    # shapes and dtypes in forward
    "MHA attn_mask shape": lambda lib: _mha(lib, attn_mask=lib.zeros(2, 3)),
    "MHA 3-d attn_mask shape": lambda lib: _mha(lib, attn_mask=lib.zeros(1, 3, 3, dtype=lib.bool)),
    "LSTM float64 input": lambda lib: lib.nn.LSTM(3, 4)(lib.ones(5, 2, 3, dtype=lib.float64)),
    "LSTM int input": lambda lib: lib.nn.LSTM(3, 4)(lib.ones(5, 2, 3, dtype=lib.int64)),
    "GRU unbatched float64": lambda lib: lib.nn.GRU(3, 4)(lib.ones(5, 3, dtype=lib.float64)),
    "LSTM wrong input size": lambda lib: lib.nn.LSTM(3, 4)(lib.ones(5, 2, 4)),
    "LSTM 4-d input": lambda lib: lib.nn.LSTM(3, 4)(lib.ones(5, 2, 3, 1)),
    "LSTM h0 shape": lambda lib: lib.nn.LSTM(3, 4)(
        lib.ones(5, 2, 3), (lib.zeros(1, 2, 5), lib.zeros(1, 2, 4))
    ),
    "Linear wrong features": lambda lib: lib.nn.Linear(3, 2)(lib.ones(2, 4)),
    "Linear int input": lambda lib: lib.nn.Linear(3, 2)(lib.ones(2, 3, dtype=lib.int64)),
    "Conv2d groups": lambda lib: lib.nn.Conv2d(4, 6, 3, groups=3),
    "Conv2d wrong channels": lambda lib: lib.nn.Conv2d(4, 4, 3)(lib.ones(1, 3, 5, 5)),
    "Embedding float indices": lambda lib: lib.nn.Embedding(5, 2)(lib.tensor([1.0, 2.0])),
    "Embedding bool indices": lambda lib: lib.nn.Embedding(5, 2)(lib.tensor([True])),
    "Embedding index -1": lambda lib: lib.nn.Embedding(5, 2)(lib.tensor([-1])),
    "Embedding index 5": lambda lib: lib.nn.Embedding(5, 2)(lib.tensor([5])),
    "CE target out of range": lambda lib: lib.nn.CrossEntropyLoss()(
        lib.ones(2, 3), lib.tensor([0, 3])
    ),
    "CE float targets of wrong shape": lambda lib: lib.nn.CrossEntropyLoss()(
        lib.ones(2, 3), lib.tensor([0.0, 1.0])
    ),
    "CE probabilities with ignore_index": lambda lib: lib.nn.CrossEntropyLoss(ignore_index=1)(
        lib.ones(2, 3), lib.ones(2, 3) / 3
    ),
    "CE int32 targets": lambda lib: lib.nn.CrossEntropyLoss()(
        lib.ones(2, 3), lib.tensor([0, 1], dtype=lib.int32)
    ),
    "CE batch mismatch": lambda lib: lib.nn.CrossEntropyLoss()(
        lib.ones(2, 3), lib.tensor([0, 1, 2])
    ),
    "BatchNorm1d batch of 1 training": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(1, 3)),
    "BatchNorm2d 1x1 batch of 1": lambda lib: lib.nn.BatchNorm2d(3)(lib.ones(1, 3, 1, 1)),
    "BatchNorm1d 4-d": lambda lib: lib.nn.BatchNorm1d(3)(lib.ones(2, 3, 2, 2)),
    "Dropout p 'a'": lambda lib: lib.nn.Dropout("a"),
    "Dropout p None": lambda lib: lib.nn.Dropout(None),
    "pad mode 'wrap'": lambda lib: lib.nn.functional.pad(lib.ones(1, 2, 2), (1, 1), mode="wrap"),
    "train('eval')": lambda lib: lib.nn.Linear(2, 2).train("eval"),
    "F.embedding 1-d weight": lambda lib: lib.nn.functional.embedding(lib.tensor([1]), lib.ones(3)),
    "mse_loss of ints": lambda lib: lib.nn.functional.mse_loss(
        lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64)
    ),
    "bce_with_logits of ints": lambda lib: lib.nn.functional.binary_cross_entropy_with_logits(
        lib.ones(3, dtype=lib.int64), lib.ones(3)
    ),
    "ConcatDataset index -5 of 4": lambda lib: lib.utils.data.ConcatDataset([range(2), range(2)])[
        -5
    ],
    "ConcatDataset index 4 of 4": lambda lib: lib.utils.data.ConcatDataset([range(2), range(2)])[4],
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_bad_layer_arguments_raise_torchs_error_class(name):
    text = _refused(_CASES[name])
    assert ": expected " in text and ", got " in text, text


def test_size_type_error_is_both_the_old_value_error_and_torchs_type_error():
    with pytest.raises(chainrule.errors.ArgumentTypeError) as error:
        chainrule.nn.Linear(2.5, 3)
    assert isinstance(error.value, ValueError) and isinstance(error.value, TypeError)
    assert str(error.value) == (
        "Linear(in_features=2.5, out_features=3): expected in_features a whole number >= 0, "
        "got 2.5."
    )


def test_rnn_dtype_error_names_the_weights_dtype():
    with pytest.raises(ValueError, match=r"^LSTM\(3, 4\): expected input of the weights' dtype "):
        chainrule.nn.LSTM(3, 4)(chainrule.ones(5, 2, 3, dtype=chainrule.float64))
    lstm = chainrule.nn.LSTM(3, 4).double()  # converted model: float64 input is fine
    assert lstm(chainrule.ones(5, 2, 3, dtype=chainrule.float64))[0].dtype == chainrule.float64


@pytest.mark.parametrize("key", ["a.b", "", "update"])
def test_module_dict_keys_go_through_add_module_as_torch(key):
    _refused(lambda lib: lib.nn.ModuleDict({key: lib.nn.ReLU()}))  # KeyError, as add_module's


@pytest.mark.parametrize("shape", [(2, 0), (0, 4), (3, 2, 0)])
def test_layer_norm_of_empty_inputs_is_empty_with_torchs_gradients(shape):
    grads = []
    for lib in (torch, chainrule):
        x = lib.ones(*shape, requires_grad=True)
        norm = lib.nn.LayerNorm(shape[-1])
        y = norm(x)
        y.sum().backward()
        assert tuple(y.shape) == shape and tuple(x.grad.shape) == shape
        grads.append(norm.weight.grad.tolist())
    assert grads[0] == grads[1]


def test_batch_norm_batch_of_one_is_fine_in_eval_as_torch():
    for lib in (torch, chainrule):
        assert tuple(lib.nn.BatchNorm1d(3).eval()(lib.ones(1, 3)).shape) == (1, 3)
