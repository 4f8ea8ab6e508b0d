"""torch-level forms of nn.functional ops, with torch's own (ATen) signatures: ``torch.batch_norm``
takes weight before the running statistics and every argument positionally, ``torch.embedding``
takes the weight first, the losses take ``reduction`` as an int (0 none, 1 mean, 2 sum), and the
RNN cells (``torch.lstm_cell``, ``gru_cell``, ``rnn_tanh_cell``, ``rnn_relu_cell``) are the
gate formulas nn.LSTMCell and friends compute. Each one calls the op that lives in functional/."""

from __future__ import annotations

from typing import Any, Sequence

from .errors import ArgumentError
from .nn import functional as NF
from .nn.rnn_cell import gru_step, lstm_step, rnn_step

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(who: str, reduction: Any) -> str:
    """ATen's Reduction enum as nn.functional's string."""
    if isinstance(reduction, bool) or reduction not in (0, 1, 2):
        raise ArgumentError(
            f"{who}: expected reduction 0 (none), 1 (mean) or 2 (sum), got {reduction!r}."
        )
    return _REDUCTIONS[int(reduction)]


# --- normalization -------------------------------------------------------------------------------
def batch_norm(
    input: Any,  # noqa: A002
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    training: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,  # noqa: ARG001  (picks a CUDA kernel in torch)
) -> Any:
    return NF.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(
    input: Any,  # noqa: A002
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,  # noqa: ARG001
) -> Any:
    return NF.instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def layer_norm(
    input: Any,  # noqa: A002
    normalized_shape: Sequence[int],
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
    cudnn_enable: bool = True,  # noqa: ARG001
) -> Any:
    return NF.layer_norm(input, normalized_shape, weight, bias, eps)


def native_layer_norm(
    input: Any,  # noqa: A002
    normalized_shape: Sequence[int],
    weight: Any,
    bias: Any,
    eps: float,
) -> tuple[Any, Any, Any]:
    """(output, mean, rstd) with the statistics kept as size-1 dims, as torch returns them."""
    dims = tuple(range(input.ndim - len(tuple(normalized_shape)), input.ndim))
    mean = input.mean(dim=dims, keepdim=True)
    rstd = ((input - mean).square().mean(dim=dims, keepdim=True) + eps).rsqrt()
    return NF.layer_norm(input, normalized_shape, weight, bias, eps), mean, rstd


def group_norm(
    input: Any,  # noqa: A002
    num_groups: int,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,  # noqa: ARG001
) -> Any:
    return NF.group_norm(input, num_groups, weight, bias, eps)


rms_norm = NF.rms_norm


def embedding(
    weight: Any,
    indices: Any,
    padding_idx: int = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Any:
    """Rows of ``weight`` (first, as ATen orders them); ``padding_idx`` -1 means none here."""
    padding = None if padding_idx < 0 else padding_idx
    return NF.embedding(
        indices, weight, padding, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse
    )


def constant_pad_nd(input: Any, pad: Sequence[int], value: float = 0) -> Any:  # noqa: A002
    return NF.pad(input, pad, "constant", value)


# --- losses with an int reduction ----------------------------------------------------------------
def kl_div(input: Any, target: Any, reduction: int = 1, *, log_target: bool = False) -> Any:  # noqa: A002
    """Mean (1) here is over every element, as nn.functional's 'mean' (no warning: the int
    form has no 'batchmean')."""
    pointwise = NF.kl_div(input, target, reduction="none", log_target=log_target)
    how = _reduction("kl_div", reduction)
    return pointwise if how == "none" else getattr(pointwise, how)()


def binary_cross_entropy_with_logits(
    input: Any,  # noqa: A002
    target: Any,
    weight: Any = None,
    pos_weight: Any = None,
    reduction: int = 1,
) -> Any:
    how = _reduction("binary_cross_entropy_with_logits", reduction)
    return NF.binary_cross_entropy_with_logits(
        input, target, weight, reduction=how, pos_weight=pos_weight
    )


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, reduction: int = 1) -> Any:  # noqa: A002
    how = _reduction("hinge_embedding_loss", reduction)
    return NF.hinge_embedding_loss(input, target, margin, reduction=how)


def margin_ranking_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: int = 1
) -> Any:
    how = _reduction("margin_ranking_loss", reduction)
    return NF.margin_ranking_loss(input1, input2, target, margin, reduction=how)


def cosine_embedding_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: int = 1
) -> Any:
    how = _reduction("cosine_embedding_loss", reduction)
    return NF.cosine_embedding_loss(input1, input2, target, margin, reduction=how)


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: int = 1,
) -> Any:
    how = _reduction("triplet_margin_loss", reduction)
    return NF.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=how)


def poisson_nll_loss(
    input: Any,  # noqa: A002
    target: Any,
    log_input: bool,
    full: bool,
    eps: float,
    reduction: int,
) -> Any:
    how = _reduction("poisson_nll_loss", reduction)
    return NF.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=how)


def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: int = 1,
    zero_infinity: bool = False,
) -> Any:
    how = _reduction("ctc_loss", reduction)
    return NF.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, how, zero_infinity)


# --- convolutions by ATen's names ----------------------------------------------------------------
def convolution(
    input: Any,  # noqa: A002
    weight: Any,
    bias: Any,
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    transposed: bool,
    output_padding: Sequence[int],
    groups: int,
) -> Any:
    """The one entry every torch convolution reaches: conv1d/2d/3d, or their transposes."""
    rank = weight.ndim - 2
    if rank not in (1, 2, 3):
        raise ArgumentError(f"convolution: expected a 3-D, 4-D or 5-D weight, got {weight.ndim}-D.")
    if transposed:
        op = getattr(NF, f"conv_transpose{rank}d")
        return op(input, weight, bias, stride, padding, output_padding, groups, dilation)
    return getattr(NF, f"conv{rank}d")(input, weight, bias, stride, padding, dilation, groups)


def conv_tbc(input: Any, weight: Any, bias: Any, pad: int = 0) -> Any:  # noqa: A002
    """A 1-D convolution over (time, batch, channels) input with a (width, C_in, C_out) weight,
    the layout fairseq used."""
    out = NF.conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    return out.permute(2, 0, 1)


# --- RNN cells: nn.LSTMCell's, GRUCell's and RNNCell's own steps, on torch's argument order ---
def lstm_cell(
    input: Any,  # noqa: A002
    hx: Sequence[Any],
    w_ih: Any,
    w_hh: Any,
    b_ih: Any = None,
    b_hh: Any = None,
) -> tuple[Any, Any]:
    return lstm_step(NF.linear(input, w_ih, b_ih), tuple(hx), w_hh, b_hh)


def gru_cell(
    input: Any,  # noqa: A002
    hx: Any,
    w_ih: Any,
    w_hh: Any,
    b_ih: Any = None,
    b_hh: Any = None,
) -> Any:
    return gru_step(NF.linear(input, w_ih, b_ih), hx, w_hh, b_hh)


def rnn_tanh_cell(
    input: Any,  # noqa: A002
    hx: Any,
    w_ih: Any,
    w_hh: Any,
    b_ih: Any = None,
    b_hh: Any = None,
) -> Any:
    return rnn_step("RNN_TANH", NF.linear(input, w_ih, b_ih), hx, w_hh, b_hh)


def rnn_relu_cell(
    input: Any,  # noqa: A002
    hx: Any,
    w_ih: Any,
    w_hh: Any,
    b_ih: Any = None,
    b_hh: Any = None,
) -> Any:
    return rnn_step("RNN_RELU", NF.linear(input, w_ih, b_ih), hx, w_hh, b_hh)


__all__ = [
    "batch_norm", "binary_cross_entropy_with_logits", "constant_pad_nd", "conv_tbc",
    "convolution", "cosine_embedding_loss", "ctc_loss", "embedding", "group_norm",
    "gru_cell", "hinge_embedding_loss", "instance_norm", "kl_div", "layer_norm", "lstm_cell",
    "margin_ranking_loss", "native_layer_norm", "poisson_nll_loss", "rms_norm",
    "rnn_relu_cell", "rnn_tanh_cell", "triplet_margin_loss",
]  # fmt: skip
