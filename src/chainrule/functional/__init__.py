"""Every differentiable op, once: a Function class and its lowercase wrapper (torch.nn.functional)."""

from .activation import (
    ELU,
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from .arithmetic import (
    Add,
    Div,
    Mul,
    Neg,
    Pow,
    PowScalar,
    Sub,
    add,
    div,
    mul,
    neg,
    pow,
    sub,
)
from .selection import (
    Cast,
    Clone,
    Maximum,
    Minimum,
    Where,
    maximum,
    minimum,
    where,
)
from .attention import scaled_dot_product_attention
from .conv import Conv1d, Conv2d, conv1d, conv2d
from .conv_transpose import (
    ConvTranspose1d,
    ConvTranspose2d,
    conv_transpose1d,
    conv_transpose2d,
)
from .binary_loss import (
    BCELoss,
    BCEWithLogitsLoss,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
)
from .classification_loss import CrossEntropyLoss, NLLLoss, cross_entropy, nll_loss
from .dropout import Dropout, dropout, dropout2d
from .elementwise import Abs, Clip, Exp, Log, Sqrt, abs, clamp, clip, exp, log, sqrt
from .embedding import Embedding, embedding, one_hot
from .linalg import MatMul, matmul
from .linear import Linear, linear
from .normalization import Normalize, batch_norm, layer_norm
from .padding import Pad, pad
from .pooling import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    MaxPool2d,
    adaptive_avg_pool2d,
    avg_pool2d,
    max_pool2d,
)
from .reduction import Max, Mean, Min, Sum, max, mean, min, sum
from .regression_loss import HuberLoss, L1Loss, MSELoss, huber_loss, l1_loss, mse_loss
from .broadcast import Expand, Repeat, expand, repeat
from .rounding import Round, ceil, floor, round
from .rounding import sign as sign
from .selection import masked_fill as masked_fill
from .setitem import SetItem, setitem
from .statistics import RootOfSpread, std, var
from .trigonometry import Cos, Sin, cos, sin
from .shape import (
    Concatenate,
    GetItem,
    Permute,
    Reshape,
    Stack,
    cat,
    concatenate,
    flatten,
    getitem,
    permute,
    reshape,
    stack,
    transpose,
)
from .shape import squeeze, unsqueeze
from .unfold import Unfold, unfold

__all__ = [
    "one_hot",
    "RootOfSpread",
    "Cos",
    "Expand",
    "Repeat",
    "Round",
    "SetItem",
    "Sin",
    "ceil",
    "cos",
    "expand",
    "floor",
    "repeat",
    "round",
    "setitem",
    "sin",
    "std",
    "var",
    # convolutional networks
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "Conv1d",
    "Conv2d",
    "MaxPool2d",
    "Pad",
    "Unfold",
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "conv1d",
    "conv2d",
    "dropout2d",
    "max_pool2d",
    "pad",
    "unfold",
    "dropout",
    "embedding",
    "linear",
    "Abs",
    "Add",
    "BCELoss",
    "BCEWithLogitsLoss",
    "Cast",
    "Clip",
    "Clone",
    "Concatenate",
    "CrossEntropyLoss",
    "Div",
    "Dropout",
    "ELU",
    "Embedding",
    "Exp",
    "GELU",
    "GetItem",
    "HuberLoss",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "Log",
    "LogSoftmax",
    "MSELoss",
    "MatMul",
    "NLLLoss",
    "Max",
    "Maximum",
    "Mean",
    "Min",
    "Minimum",
    "Mul",
    "Neg",
    "Normalize",
    "Permute",
    "Pow",
    "PowScalar",
    "ReLU",
    "Reshape",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Sqrt",
    "Stack",
    "Sub",
    "Sum",
    "Tanh",
    "Where",
    "abs",
    "add",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cat",
    "clamp",
    "clip",
    "concatenate",
    "cross_entropy",
    "div",
    "elu",
    "exp",
    "flatten",
    "gelu",
    "getitem",
    "huber_loss",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "log",
    "log_softmax",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mse_loss",
    "mul",
    "neg",
    "nll_loss",
    "permute",
    "pow",
    "relu",
    "reshape",
    "sigmoid",
    "softmax",
    "softplus",
    "sqrt",
    "stack",
    "sub",
    "sum",
    "tanh",
    "transpose",
    "where",
]
__all__ += ["squeeze", "unsqueeze"]

# torch's sorting, indexing and predicate functions, and the Tensor methods built on them
from .indexing import Diag, Triangle  # noqa: E402
from .einsum import Einsum, Prod  # noqa: E402
from .linear_solve import Inv, Solve  # noqa: E402
from .sorting import CumSum  # noqa: E402
from .tensor_extras import TENSOR_EXTRAS  # noqa: E402

__all__ += ["CumSum", "Diag", "Einsum", "Inv", "Prod", "Solve", "TENSOR_EXTRAS", "Triangle"]

# compositions of the ops above, under torch.nn.functional's names
from .activation_composed import hardtanh, logsigmoid, mish, relu6, silu, softsign  # noqa: E402
from .embedding_bag import embedding_bag  # noqa: E402
from .similarity import (  # noqa: E402
    cdist,
    cosine_similarity,
    gaussian_nll_loss,
    kl_div,
    normalize,
    p_norm,
    pairwise_distance,
    smooth_l1_loss,
)

__all__ += [
    "cdist",
    "cosine_similarity",
    "embedding_bag",
    "gaussian_nll_loss",
    "hardtanh",
    "kl_div",
    "logsigmoid",
    "mish",
    "normalize",
    "p_norm",
    "pairwise_distance",
    "relu6",
    "silu",
    "smooth_l1_loss",
    "softsign",
]

# the operators // and % (Tensor reaches its ops through this module)
from .elementwise_math import floor_divide as floor_divide, remainder as remainder  # noqa: E402
from .group_norm import group_norm  # noqa: E402
from .interpolate import interpolate  # noqa: E402
from .pooling1d import adaptive_avg_pool1d, avg_pool1d, max_pool1d  # noqa: E402

__all__ += ["adaptive_avg_pool1d", "avg_pool1d", "group_norm", "interpolate", "max_pool1d"]
__all__ += ["scaled_dot_product_attention"]
__all__ += ["ConvTranspose1d", "ConvTranspose2d", "conv_transpose1d", "conv_transpose2d"]

# torch.nn.functional's rarer activations, margin losses, vision and pooling ops (nnlayers)
from .activation_more import (  # noqa: E402
    celu,
    celu_,
    elu_,
    glu,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh_,
    leaky_relu_,
    prelu,
    relu_,
    rrelu,
    rrelu_,
    selu,
    selu_,
    softmin,
    softshrink,
    tanhshrink,
    threshold,
    threshold_,
)
from .loss_margin import (  # noqa: E402
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    poisson_nll_loss,
    soft_margin_loss,
    triplet_margin_loss,
    triplet_margin_with_distance_loss,
)

__all__ += [
    "celu",
    "celu_",
    "elu_",
    "glu",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh_",
    "leaky_relu_",
    "prelu",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "softmin",
    "softshrink",
    "tanhshrink",
    "threshold",
    "threshold_",
]
__all__ += [
    "cosine_embedding_loss",
    "hinge_embedding_loss",
    "margin_ranking_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "poisson_nll_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
]
from .dropout_more import alpha_dropout, dropout1d, dropout3d, feature_alpha_dropout  # noqa: E402
from .vision import bilinear, channel_shuffle, fold, pixel_shuffle, pixel_unshuffle  # noqa: E402

__all__ += ["alpha_dropout", "dropout1d", "dropout3d", "feature_alpha_dropout"]
__all__ += ["bilinear", "channel_shuffle", "fold", "pixel_shuffle", "pixel_unshuffle"]
from .norm_more import local_response_norm, rms_norm  # noqa: E402
from .pooling_more import (  # noqa: E402
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    lp_pool1d,
    lp_pool2d,
    max_unpool1d,
    max_unpool2d,
)

__all__ += ["local_response_norm", "rms_norm", "adaptive_max_pool1d"]
__all__ += ["adaptive_max_pool2d", "lp_pool1d", "lp_pool2d", "max_unpool1d", "max_unpool2d"]
from .volume import (  # noqa: E402
    adaptive_avg_pool3d,
    avg_pool3d,
    conv3d,
    conv_transpose3d,
    max_pool3d,
)

__all__ += ["adaptive_avg_pool3d", "avg_pool3d", "conv3d", "conv_transpose3d", "max_pool3d"]
from .pooling_more import max_pool1d_with_indices, max_pool2d_with_indices  # noqa: E402

__all__ += ["max_pool1d_with_indices", "max_pool2d_with_indices"]
from .ctc import ctc_loss  # noqa: E402
from .grid_sample import affine_grid, grid_sample  # noqa: E402
from .instance_norm import instance_norm  # noqa: E402
from .interpolate import upsample, upsample_bilinear, upsample_nearest  # noqa: E402

__all__ += ["ctc_loss", "affine_grid", "grid_sample", "instance_norm"]
__all__ += ["upsample", "upsample_bilinear", "upsample_nearest"]
from .fractional_pool import fractional_max_pool2d  # noqa: E402

__all__ += ["fractional_max_pool2d"]

from .gumbel import gumbel_softmax  # noqa: E402

__all__ += ["gumbel_softmax"]

from .pdist import pdist  # noqa: E402  (linalg2: F.pdist, as torch.nn.functional.pdist)

__all__ += ["pdist"]

# hostile9: the 3-d fractional max pool beside the 2-d one
from .fractional_pool3d import fractional_max_pool3d  # noqa: E402

__all__ += ["fractional_max_pool3d"]

# torchapi2: the 3-D pooling members and the *_with_indices spellings torch's F exports
from .pooling3d_more import (  # noqa: E402
    adaptive_max_pool1d_with_indices,
    adaptive_max_pool2d_with_indices,
    adaptive_max_pool3d,
    adaptive_max_pool3d_with_indices,
    lp_pool3d,
    max_unpool3d,
)

__all__ += ["adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices"]
__all__ += ["adaptive_max_pool3d", "adaptive_max_pool3d_with_indices", "lp_pool3d"]
__all__ += ["max_unpool3d"]

# hostile11: add/sub's alpha scales ``other`` in the result's dtype, as torch's does
from .alpha import alpha_times  # noqa: E402, F401  (Tensor.add and add_ call F.alpha_times)
