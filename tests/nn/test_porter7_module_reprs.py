"""print(model) reads as torch's, every tutorial prints one: Dropout's inplace, the norms'
bias, inplace activations, losses without arguments, Embedding's options, Upsample's float
scale factor, unquoted conv string options, AvgPool1d's 1-tuples, MultiheadAttention's
out_proj; and an optimizer prints torch's integer zeros (weight_decay: 0)."""

import pytest

import chainrule as cr
import chainrule.optim  # noqa: F401

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

LAYERS = [
    "Dropout()",
    "Dropout(0.5, inplace=True)",
    "Dropout2d(0.25)",
    "BatchNorm1d(3)",
    "BatchNorm2d(4, affine=False)",
    "LayerNorm(4)",
    "LayerNorm([2, 3], elementwise_affine=False)",
    "GroupNorm(2, 4)",
    "InstanceNorm2d(3)",
    "InstanceNorm1d(3, affine=True)",
    "ReLU()",
    "ReLU(inplace=True)",
    "ReLU6()",
    "LeakyReLU(0.2, inplace=True)",
    "ELU(alpha=0.5, inplace=True)",
    "Hardtanh(-2.0, 2.0, inplace=True)",
    "MSELoss(reduction='sum')",
    "L1Loss(reduction='none')",
    "CrossEntropyLoss(label_smoothing=0.1)",
    "Embedding(5, 2, padding_idx=0)",
    "Embedding(5, 2, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True)",
    "Upsample(scale_factor=2)",
    "Upsample(scale_factor=(2, 3), mode='nearest')",
    "Conv2d(1, 2, 3, padding='same', bias=False)",
    "Conv2d(2, 4, 3, groups=2, dilation=2, padding_mode='reflect')",
    "AvgPool1d(2)",
    "AvgPool1d(3, stride=1, padding=1)",
    "MultiheadAttention(4, 2, batch_first=True)",
    "TransformerEncoderLayer(4, 2, 8, 0.0)",
]


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_prints_as_torch(layer):
    assert repr(eval(f"cr.nn.{layer}")) == repr(eval(f"torch.nn.{layer}"))


def test_a_model_prints_as_torch():
    def model(nn):
        return nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(inplace=True),
            nn.Dropout(0.25),
            nn.Flatten(),
            nn.Linear(4 * 8 * 8, 10),
            nn.LogSoftmax(dim=1),
        )

    assert str(model(cr.nn)) == str(model(torch.nn))


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad", "Adadelta", "ASGD"])
def test_an_optimizer_prints_as_torch(name):
    ours = getattr(cr.optim, name)([cr.nn.Parameter(cr.ones(2))], lr=0.1)
    theirs = getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(2))], lr=0.1)
    assert str(ours) == str(theirs)
