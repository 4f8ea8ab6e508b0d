from . import rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = [
    "rnn",
    "clip_grad_norm_",
    "clip_grad_value_",
    "parameters_to_vector",
    "vector_to_parameters",
]

from . import parametrizations, parametrize  # noqa: E402
from .weight_norm import (  # noqa: E402
    remove_spectral_norm,
    remove_weight_norm,
    spectral_norm,
    weight_norm,
)

__all__ += ["parametrizations", "parametrize", "remove_spectral_norm", "remove_weight_norm"]
__all__ += ["spectral_norm", "weight_norm"]

from .skip_init import skip_init  # noqa: E402

__all__ += ["skip_init"]

from .fusion import (  # noqa: E402
    fuse_conv_bn_eval,
    fuse_conv_bn_weights,
    fuse_linear_bn_eval,
    fuse_linear_bn_weights,
)

__all__ += ["fuse_conv_bn_eval", "fuse_conv_bn_weights", "fuse_linear_bn_eval"]
__all__ += ["fuse_linear_bn_weights"]

# torchapi2: memory formats for conv weights
from ...memory_format import (  # noqa: E402
    convert_conv2d_weight_memory_format,
    convert_conv3d_weight_memory_format,
)

__all__ += ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]

# porter9: torch.nn.utils.prune (masks kept as buffers, applied by a forward pre-hook)
from . import prune  # noqa: E402

__all__ += ["prune"]
