"""check() on what students write after the notebook: Dropout, BatchNorm, activations, losses,
gradient clipping and a deep net; right code passes, each classic mistake is named."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.check.messages import LANGS

from . import sequel_conv as c
from . import sequel_layers as s

RIGHT = [
    s.SoftmaxWithLoss,
    s.Dropout,
    s.InvertedDropout,
    s.BatchNormalization,
    s.BatchNormalization(momentum=0.1),
    s.ELU,
    s.GELU,
    s.GELU(exact=True),
    s.Softplus,
    s.Swish,
    s.LeakyReLU,
    s.LeakyReLU(slope=0.05),
    s.clip_grads,
    s.clip_grads_returning,
    s.DeepNet,
    s.DeepNet(dropout=True, weight_decay_lambda=0.1),
]


@pytest.mark.parametrize("subject", RIGHT, ids=lambda x: getattr(x, "__name__", type(x).__name__))
def test_right_code_passes(subject):
    result = cr.check(subject)
    assert result, str(result)


@pytest.mark.parametrize("seed", [3, 11])
def test_right_code_passes_under_other_seeds(seed):
    for subject in RIGHT:
        assert cr.check(subject, seed=seed), subject


def test_softmax_with_loss_takes_labels_as_well_as_one_hot(rng):
    x, labels = rng.standard_normal((5, 3)), np.array([0, 1, 2, 0, 1])
    assert cr.check(s.SoftmaxWithLoss, x, labels)
    assert cr.check(s.SoftmaxWithLoss, x, np.eye(3)[labels])
    assert cr.check(s.SoftmaxWithLoss(divide=False), x, labels).diagnoses == {
        "backward": "sum_for_mean"
    }


def test_a_random_layer_is_checked_on_its_own_draw_and_its_random_state_put_back():
    state = np.random.get_state()[1].copy()
    result = cr.check(s.Dropout)
    assert "forward(train_flg=False)" in result.checked
    assert np.array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("lang", LANGS)
def test_dropout_whose_test_mode_is_not_training_modes_mean_is_named(lang):
    result = cr.check(s.Dropout(test="identity"), lang=lang)
    assert result.diagnoses == {"forward(train_flg=False)": "test_scale"}
    assert {"en": "returns 1 x inputs", "ja": "入力の 1 倍を返します"}[lang] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_dropout_drawing_in_test_mode_or_in_backward_is_named(lang):
    assert cr.check(s.Dropout(test="random"), lang=lang).diagnoses == {
        "forward(train_flg=False)": "test_random"
    }
    result = cr.check(s.Dropout(backward_mask="new"), lang=lang)
    assert result.diagnoses == {"backward": "random_backward"}
    assert {"en": "self.mask", "ja": "self.mask"}[lang] in str(result)


@pytest.mark.parametrize("lang", LANGS)
def test_batchnorm_running_statistics_are_reported_apart_from_gradients(lang):
    right = cr.check(s.BatchNormalization, lang=lang)
    assert {"dgamma", "dbeta", "running_mean", "running_var"} <= set(right.checked)
    never = cr.check(s.BatchNormalization(running="never"), lang=lang)
    assert never.diagnoses == {"running_mean": "running_static", "running_var": "running_static"}
    in_test = cr.check(s.BatchNormalization(running="batch in test"), lang=lang)
    assert in_test.diagnoses == {"running_mean": "running_in_test"}
    assert {"en": "changed by a forward in test mode", "ja": "テストモード"}[lang] in str(in_test)


def test_batchnorm_with_a_wrong_backward_term_keeps_its_running_statistics_right():
    result = cr.check(s.BatchNormalization(backward_term=False))
    assert result.diagnoses == {"backward": "mismatch"}
    assert {"dgamma", "dbeta", "running_mean", "running_var"} <= set(result.checked)


def test_activations_are_held_to_chainrules_own_forward_by_name():
    assert cr.check(s.ELU(minus_one=False)).diagnoses == {"forward": "mismatch"}
    assert cr.check(s.Swish(product_rule=False)).diagnoses == {"backward": "mismatch"}
    assert "forward" in cr.check(s.GELU).checked


@pytest.mark.parametrize("lang", LANGS)
def test_clipping_by_each_tensors_norm_or_below_the_threshold_is_named(lang):
    per_tensor = cr.check(s.clip_grads_per_tensor, lang=lang)
    assert list(per_tensor.diagnoses.values()) == ["clip_per_tensor"]
    assert {"en": "global norm", "ja": "global norm"}[lang] in str(per_tensor)
    always = cr.check(s.clip_grads_always, lang=lang)
    assert list(always.diagnoses.values()) == ["clip_below_threshold"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_deep_nets_gradient_is_checked_against_its_loss(lang):
    assert cr.check(s.DeepNet(bug="double W2"), lang=lang).diagnoses == {"grads['W2']": "factor"}
    result = cr.check(s.DeepNet(weight_decay_lambda=0.1, bug="no decay"), lang=lang)
    assert set(result.diagnoses) == {"grads['W1']", "grads['W2']", "grads['W3']"}
    assert set(result.diagnoses.values()) == {"net_no_weight_decay"}
    assert "lambda = 0.1" in str(result)


def test_a_deep_net_keeps_its_parameters_and_its_errors_are_its_own():
    net = s.DeepNet(sizes=(784, 20, 10))  # a parameter this large is compared on a sample
    weights = net.params["W1"].copy()
    assert cr.check(net)
    assert np.array_equal(net.params["W1"], weights)
    result = cr.check(s.DeepNet(bug="raises"))
    assert result.diagnoses == {"gradient": "raised"}
    assert 'raise ValueError("shapes do not match")' in str(result)


def test_image_layers_are_driven_with_n_c_h_w_inputs(rng):
    assert cr.check(c.Convolution)  # W (FN, C, FH, FW) says what images it reads
    assert cr.check(c.Pooling)  # no parameters: rows fail, so (N, C, H, W) is tried
    assert cr.check(c.Pooling, inputs=rng.standard_normal((2, 3, 4, 4)))
    assert cr.check(c.Convolution(bug=True)).diagnoses == {"dW": "mismatch"}
    assert cr.check(c.LayerNorm)


@pytest.mark.parametrize("lang", LANGS)
def test_an_embedding_is_fed_indices_and_a_repeated_one_must_add(lang):
    assert cr.check(c.Embedding)
    assert cr.check(c.Embedding, inputs=np.array([0, 2, 0, 5]))
    result = cr.check(c.EmbeddingAssign, lang=lang)
    assert result.diagnoses == {"dW": "mismatch"}
    assert "np.add.at(dW, idx, dout)" in str(result)
