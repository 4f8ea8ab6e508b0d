"""torch.distributions: the distributions RL and VAE code uses most, with torch's argument
checks; log_prob, entropy and kl_divergence match torch, samples come from chainrule's generator."""

from .discrete import Bernoulli, Categorical
from .distribution import Distribution
from .independent import Independent
from .kl import kl_divergence, register_kl
from .normal import Normal, Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "Independent",
    "Normal",
    "Uniform",
    "kl_divergence",
    "register_kl",
]
