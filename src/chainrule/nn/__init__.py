"""Neural-network building blocks, named as in torch.nn."""

from . import functional, init, utils
from .activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Softsign,
    Tanh,
)
from .attention import MultiheadAttention
from .transformer import TransformerEncoder, TransformerEncoderLayer
from .transformer_decoder import Transformer, TransformerDecoder, TransformerDecoderLayer
from .distance import CosineSimilarity, PairwiseDistance
from .container import ModuleDict, ModuleList, Sequential
from .conv import Conv1d, Conv2d, Unfold
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout, Dropout2d
from .embedding import Embedding, EmbeddingBag
from .linear import Flatten, Identity, Linear, Unflatten
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    GaussianNLLLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .parameter import Parameter
from .parameter_containers import ParameterDict, ParameterList
from .group_norm import GroupNorm
from .instance_norm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .pooling1d import AdaptiveAvgPool1d, AvgPool1d, MaxPool1d
from .upsample import Upsample
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cell import GRUCell, LSTMCell, RNNCell
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BatchNorm2d",
    "Conv1d",
    "Conv2d",
    "Dropout2d",
    "MaxPool2d",
    "Unflatten",
    "Unfold",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "ELU",
    "Embedding",
    "EmbeddingBag",
    "Flatten",
    "GELU",
    "GaussianNLLLoss",
    "HuberLoss",
    "Identity",
    "L1Loss",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MSELoss",
    "Module",
    "ModuleList",
    "NLLLoss",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "functional",
    "init",
    "utils",
]
__all__ += ["ModuleDict", "ParameterDict", "ParameterList"]
__all__ += [
    "CosineSimilarity",
    "Hardtanh",
    "KLDivLoss",
    "LogSigmoid",
    "Mish",
    "PairwiseDistance",
    "ReLU6",
    "SiLU",
    "SmoothL1Loss",
    "Softsign",
]
__all__ += ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell"]
__all__ += ["AdaptiveAvgPool1d", "AvgPool1d", "GroupNorm", "MaxPool1d", "Upsample"]
__all__ += ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]
__all__ += ["MultiheadAttention", "TransformerEncoder", "TransformerEncoderLayer"]
__all__ += ["Transformer", "TransformerDecoder", "TransformerDecoderLayer"]
__all__ += ["ConvTranspose1d", "ConvTranspose2d"]

# torch.nn's rarer activations, padding layers and margin losses (nnlayers)
from .activation_more import (  # noqa: E402
    CELU,
    GLU,
    SELU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    PReLU,
    RReLU,
    Softmax2d,
    Softmin,
    Softshrink,
    Tanhshrink,
    Threshold,
)
from .loss_margin import (  # noqa: E402
    CosineEmbeddingLoss,
    HingeEmbeddingLoss,
    MarginRankingLoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    PoissonNLLLoss,
    SoftMarginLoss,
    TripletMarginLoss,
    TripletMarginWithDistanceLoss,
)
from .padding import (  # noqa: E402
    CircularPad1d,
    CircularPad2d,
    CircularPad3d,
    ConstantPad1d,
    ConstantPad2d,
    ConstantPad3d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReflectionPad3d,
    ReplicationPad1d,
    ReplicationPad2d,
    ReplicationPad3d,
    ZeroPad1d,
    ZeroPad2d,
    ZeroPad3d,
)

__all__ += ["CELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "PReLU", "RReLU", "SELU"]
__all__ += ["Softmax2d", "Softmin", "Softshrink", "Tanhshrink", "Threshold"]
__all__ += ["CosineEmbeddingLoss", "HingeEmbeddingLoss", "MarginRankingLoss"]
__all__ += ["MultiLabelMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss"]
__all__ += ["PoissonNLLLoss", "SoftMarginLoss", "TripletMarginLoss"]
__all__ += ["TripletMarginWithDistanceLoss"]
__all__ += ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d"]
__all__ += ["ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d"]
__all__ += ["ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d"]
__all__ += ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]
from .vision import (  # noqa: E402
    AlphaDropout,
    Bilinear,
    ChannelShuffle,
    Dropout1d,
    Dropout3d,
    FeatureAlphaDropout,
    Fold,
    PixelShuffle,
    PixelUnshuffle,
    UpsamplingBilinear2d,
    UpsamplingNearest2d,
)

__all__ += ["AlphaDropout", "Bilinear", "ChannelShuffle", "Dropout1d", "Dropout3d"]
__all__ += ["FeatureAlphaDropout", "Fold", "PixelShuffle", "PixelUnshuffle"]
__all__ += ["UpsamplingBilinear2d", "UpsamplingNearest2d"]
from .norm_more import LocalResponseNorm, RMSNorm  # noqa: E402
from .pooling_more import (  # noqa: E402
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    LPPool1d,
    LPPool2d,
    MaxUnpool1d,
    MaxUnpool2d,
)

__all__ += ["LocalResponseNorm", "RMSNorm", "AdaptiveMaxPool1d"]
__all__ += ["AdaptiveMaxPool2d", "LPPool1d", "LPPool2d", "MaxUnpool1d", "MaxUnpool2d"]
from .lazy import (  # noqa: E402
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyConv1d,
    LazyConv2d,
    LazyLinear,
    UninitializedBuffer,
    UninitializedParameter,
)

__all__ += ["LazyBatchNorm1d", "LazyBatchNorm2d", "LazyConv1d", "LazyConv2d", "LazyLinear"]
__all__ += ["UninitializedBuffer", "UninitializedParameter"]
from .volume import (  # noqa: E402
    AdaptiveAvgPool3d,
    AvgPool3d,
    BatchNorm3d,
    Conv3d,
    ConvTranspose3d,
    MaxPool3d,
)

__all__ += ["AdaptiveAvgPool3d", "AvgPool3d", "BatchNorm3d", "Conv3d", "ConvTranspose3d"]
__all__ += ["MaxPool3d"]
from .adaptive_softmax import AdaptiveLogSoftmaxWithLoss  # noqa: E402
from .cross_map_lrn import CrossMapLRN2d  # noqa: E402
from .ctc_loss import CTCLoss  # noqa: E402
from .fractional_pool import FractionalMaxPool2d  # noqa: E402

__all__ += ["AdaptiveLogSoftmaxWithLoss", "CrossMapLRN2d", "CTCLoss", "FractionalMaxPool2d"]

# hostile9: the 3-d fractional max pool beside the 2-d one
from .fractional_pool3d import FractionalMaxPool3d  # noqa: E402

__all__ += ["FractionalMaxPool3d"]

# torchapi2: nn.Buffer and more lazy layers
from .buffer import Buffer  # noqa: E402
from .lazy_more import (  # noqa: E402
    LazyBatchNorm3d,
    LazyConv3d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyConvTranspose3d,
)

__all__ += ["Buffer", "LazyBatchNorm3d", "LazyConv3d", "LazyConvTranspose1d"]
__all__ += ["LazyConvTranspose2d", "LazyConvTranspose3d"]
from .loss_deprecated import NLLLoss2d  # noqa: E402
from .pooling3d_more import AdaptiveMaxPool3d, LPPool3d, MaxUnpool3d  # noqa: E402
from .rnn_cell_base import RNNCellBase  # noqa: E402
from .sync_batchnorm import SyncBatchNorm  # noqa: E402

__all__ += ["AdaptiveMaxPool3d", "LPPool3d", "MaxUnpool3d", "NLLLoss2d", "RNNCellBase"]
__all__ += ["SyncBatchNorm"]

# torchns: torch.nn.parallel (DDP and DataParallel for one CPU process) and nn.DataParallel
from . import parallel  # noqa: E402
from .parallel import DataParallel  # noqa: E402

__all__ += ["DataParallel", "parallel"]
