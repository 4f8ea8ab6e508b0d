"""A class's first tries at the notebook's blanks: each wrong answer is named for what it is.

Each test plants one slip students make (found by filling the exercise notebooks as a student
would) and holds check() to the diagnosis that names it, in English and Japanese, with no
traceback in the report; right answers written another way pass.
"""

import numpy as np
import pytest

from chainrule import check

rng = np.random.default_rng(5)  # what the exercise notebook's setup cell gives its layers


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


class Linear2:
    def __init__(self, alpha=0.1):
        self.theta = rng.random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class NoReturn(Linear2):
    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs


class ReturnsGradTheta(Linear2):
    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return self.grad_theta


class GlobalDraw(Linear2):
    def __init__(self, alpha=0.1):
        super().__init__(alpha)
        self.theta = np.random.random((1, 2))


class FlatForward(Linear2):
    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta[0]


class SigmoidLayer:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad):
        return grad * self.output * (1 - self.output)


class SigmoidTimesF(SigmoidLayer):
    def backward(self, grad):
        return grad * self.output


class SigmoidOfInputs(SigmoidLayer):
    def forward(self, inputs):
        self.inputs = inputs
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad):
        return grad * self.inputs * (1 - self.inputs)


class SigmoidNoSelf(SigmoidLayer):
    def forward(self, inputs):
        output = sigmoid(inputs)
        return output


class BCENoEpsilon:
    def __init__(self, epsilon=1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs, targets):
        self.grad = (-targets / inputs + (1 - targets) / (1 - inputs)) / len(inputs)
        return -np.mean(targets * np.log(inputs) + (1 - targets) * np.log(1 - inputs))

    def backward(self):
        return self.grad


class BCEClipped(BCENoEpsilon):
    def forward(self, inputs, targets):
        p = np.clip(inputs, self.epsilon, 1 - self.epsilon)
        self.grad = (p - targets) / (p * (1 - p)) / len(p)
        return -np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p))


class SigmoidSquashesOutput(SigmoidLayer):
    def backward(self, grad):
        self.output *= 1 - self.output
        return grad * self.output


class Linear3Float32:
    def __init__(self, alpha=0.1):
        self.theta = rng.random((1, 3)).astype(np.float32)
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        n = inputs.shape[0]
        self.inputs = np.concatenate([np.ones((n, 1)), inputs], axis=1)  # float64 ones
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class Linear3KeepsFloat32(Linear3Float32):
    def forward(self, inputs):
        ones = np.ones((inputs.shape[0], 1), dtype=inputs.dtype)
        self.inputs = np.concatenate([ones, inputs], axis=1)
        return self.inputs @ self.theta.T


X32 = np.random.default_rng(3).standard_normal((5, 2)).astype(np.float32)


class AffineBiasPerSample:
    def __init__(self):
        weights = np.random.default_rng(0)
        self.W = weights.standard_normal((3, 2))
        self.b = np.zeros(2)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout  # the slip: not summed over the batch
        return dout @ self.W.T


def loss_mse_flat(inputs, targets):
    return np.mean((targets.ravel() - inputs) ** 2)


def sigmoid_grad_is_f(x):
    return sigmoid(x)


SLIPS = [
    # (what the student wrote, check's keywords, the quantity, its diagnosis, words in en / ja)
    (AffineBiasPerSample, {}, "db", "batch_not_summed", "one row per sample", "データ1つにつき1行"),
    (
        SigmoidSquashesOutput,
        dict(like="Sigmoid"),
        "self.output",
        "backward_overwrites_saved",
        "changed self.output in place",
        "その場で書き換えて",
    ),
    (
        Linear3Float32,
        dict(inputs=X32, like="Linear3"),
        "forward",
        "widened",
        "float64 for float32 inputs",
        "float32 なのに",
    ),
    (NoReturn, dict(like="Linear2"), "backward", "no_return", "no return statement", "return 文"),
    (
        ReturnsGradTheta,
        dict(like="Linear2"),
        "backward",
        "returns_param_grad",
        "returns grad_theta",
        "grad_theta を返して",
    ),
    (GlobalDraw, dict(like="Linear2"), "__init__", "global_rng", "global generator", "グローバル"),
    (FlatForward, dict(like="Linear2"), "forward", "forward_shape", "theta[0]", "theta[0]"),
    (
        SigmoidTimesF,
        dict(like="Sigmoid"),
        "backward",
        "sigmoid_missing_one_minus",
        "(1 - f(x))",
        "(1 - f(x)) が抜けて",
    ),
    (
        SigmoidOfInputs,
        dict(like="Sigmoid"),
        "backward",
        "sigmoid_of_inputs",
        "of the inputs",
        "入力 x で",
    ),
    (SigmoidNoSelf, dict(like="Sigmoid"), "backward", "raised", "self.output = ...", "self.output"),
    (BCENoEpsilon, dict(like="BCELoss"), "forward", "saturated_bce", "exactly 0 or 1", "飽和"),
    (
        loss_mse_flat,
        dict(like="loss_MSE"),
        "loss_mse_flat",
        "mse_broadcast",
        "(N, N) matrix",
        "(N, N) の行列",
    ),
    (
        sigmoid_grad_is_f,
        dict(derivative_of=sigmoid),
        "sigmoid_grad_is_f",
        "sigmoid_grad_is_f",
        "f(x) itself",
        "シグモイド f(x) そのもの",
    ),
]


@pytest.mark.parametrize(
    "obj, options, name, diagnosis, en, ja", SLIPS, ids=[slip[3] for slip in SLIPS]
)
def test_each_slip_is_named_in_both_languages(obj, options, name, diagnosis, en, ja):
    for lang, words in (("en", en), ("ja", ja)):
        result = check(obj, lang=lang, **options)
        assert not result and result.diagnoses == {name: diagnosis}, result
        text = str(result)
        assert words in text and "Traceback" not in text, text
        assert ("Hint" if lang == "en" else "ヒント") in text, text


def test_a_forward_value_is_not_told_to_work_out_a_derivative():
    class Doubled(Linear2):
        def forward(self, inputs):
            self.inputs = inputs
            return inputs @ self.theta.T + inputs[:, :1] ** 2

    text = str(check(Doubled, like="Linear2"))
    forward = text.split("[NG] the return value of forward")[1].split("[NG]")[0]
    assert "formula out by hand" in forward and "derivative" not in forward, text


def test_a_blank_return_is_still_not_written_yet():
    class Blank(Linear2):
        def backward(self, grad):
            self.grad_theta = grad.T @ self.inputs
            return  # WRITE HERE

    assert check(Blank, like="Linear2").diagnoses == {"backward": "not_written"}


def test_right_answers_written_another_way_pass_and_leave_the_global_generator_alone():
    class Outer(Linear2):
        def backward(self, grad):
            print("shapes", grad.shape, self.inputs.shape)
            self.grad_theta = np.dot(self.inputs.T, grad).T
            return np.outer(grad, self.theta)

    def slope(x):
        return np.exp(-x) / (1 + np.exp(-x)) ** 2

    state = np.random.get_state()
    for obj, options in [
        (Outer, dict(like="Linear2")),
        (Linear2(), dict(like="Linear2")),  # built already: nothing drawn inside check
        (SigmoidLayer, dict(like="Sigmoid")),
        (BCEClipped, dict(like="BCELoss")),
        (Linear3KeepsFloat32, dict(inputs=X32, like="Linear3")),
        (slope, dict(derivative_of=sigmoid)),
        (lambda x: 0.5 * (1 + np.tanh(x / 2)), dict(like="sigmoid")),
    ]:
        assert check(obj, **options), check(obj, **options)
    assert np.array_equal(np.random.get_state()[1], state[1])


def test_the_notebooks_bce_with_epsilon_zero_is_not_held_to_saturation():
    # the notebook trains with BCELoss(epsilon=0): there log(0) = -inf is the formula's own answer
    assert check(BCENoEpsilon(epsilon=0), like="BCELoss")


def test_failures_carry_the_findings_into_an_assertion_message():
    result = check(NoReturn, like="Linear2", lang="ja")
    message = result.failures()
    assert message.splitlines()[0].startswith("check(Linear2)")
    assert "[NG]" in message and "[ok]" not in message and "return 文" in message
    assert check(Linear2, like="Linear2").failures().startswith("check(Linear2): OK")


def test_theta_assigned_without_self_in_init_is_named_as_the_missing_self():
    class Linear3(Linear2):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            theta = rng.random((1, 3))  # noqa: F841  (the slip: self. forgotten)

        def forward(self, inputs):
            self.inputs = np.concatenate([np.ones((len(inputs), 1)), inputs], axis=1)
            return self.inputs @ self.theta.T

    for lang, words in (("en", "write self.theta = ..."), ("ja", "self.theta = ... と書いて")):
        result = check(Linear3, like="Linear3", lang=lang)
        assert result.diagnoses == {"theta": "param_shape"} and words in str(result), result


def exp_over_one_plus_exp(x):
    return np.exp(x) / (1 + np.exp(x))


def test_nan_in_a_layer_is_blamed_on_the_students_function_it_calls():
    class Sigmoid(SigmoidLayer):
        def forward(self, inputs):
            self.output = exp_over_one_plus_exp(inputs)
            return self.output

    result = check(Sigmoid, like="Sigmoid")
    assert result.diagnoses == {"exp_over_one_plus_exp": "nan_for_large"}, result
