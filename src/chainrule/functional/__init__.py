"""Every differentiable op, once: a Function class and its lowercase wrapper (torch.nn.functional)."""

from .activation import (ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh,
                         elu, gelu, leaky_relu, log_softmax, relu, sigmoid, softmax, softplus, tanh)
from .arithmetic import (Add, Cast, Clone, Div, Maximum, Minimum, Mul, Neg, Pow, PowScalar, Sub,
                         Where, add, div, maximum, minimum, mul, neg, pow, sub, where)
from .classification_loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss,
                                  binary_cross_entropy, binary_cross_entropy_with_logits,
                                  cross_entropy, nll_loss)
from .dropout import Dropout, dropout
from .elementwise import Abs, Clip, Exp, Log, Sqrt, abs, clamp, clip, exp, log, sqrt
from .embedding import Embedding, embedding
from .linalg import MatMul, matmul
from .linear import Linear, linear
from .normalization import Normalize, batch_norm, layer_norm
from .reduction import Max, Mean, Min, Sum, max, mean, min, sum
from .regression_loss import HuberLoss, L1Loss, MSELoss, huber_loss, l1_loss, mse_loss
from .shape import (Concatenate, GetItem, Permute, Reshape, Stack, cat, concatenate, flatten,
                    getitem, permute, reshape, stack, transpose)

__all__ = [name for name in dir() if not name.startswith("_")]
