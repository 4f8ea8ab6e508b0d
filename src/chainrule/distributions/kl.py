"""kl_divergence(p, q) for the pairs torch registers among these distributions; register_kl adds
more. An unregistered pair raises NotImplementedError, as torch's does."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.tensor import Tensor
from .discrete import Bernoulli, Categorical
from .independent import Independent
from .multivariate_normal import MultivariateNormal
from .normal import Normal, Uniform

_REGISTRY: dict[tuple[type, type], Callable] = {}


def register_kl(type_p: type, type_q: type) -> Callable[[Callable], Callable]:
    def decorator(fn: Callable) -> Callable:
        _REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def kl_divergence(p: Any, q: Any) -> Tensor:
    """KL(p || q), batch-shaped; the most specific registered pair of (sub)classes wins."""
    for type_p in type(p).__mro__:
        for type_q in type(q).__mro__:
            if (type_p, type_q) in _REGISTRY:
                return _REGISTRY[type_p, type_q](p, q)
    raise NotImplementedError(
        f"No KL(p || q) is implemented for p of type {type(p).__name__} and q of type "
        f"{type(q).__name__}"
    )


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    t = p.probs * (p.logits - q.logits)
    infinite = np.broadcast_to((q.probs == 0).numpy(), t.shape)
    zero = np.broadcast_to((p.probs == 0).numpy(), t.shape)
    t = t.masked_fill(Tensor._wrap(infinite), float("inf"))
    return t.masked_fill(Tensor._wrap(zero), 0.0).sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    from ..nn import functional as F

    t1 = p.probs * (F.softplus(-q.logits) - F.softplus(-p.logits))
    t1 = t1.masked_fill(q.probs == 0, float("inf")).masked_fill(p.probs == 0, 0.0)
    t2 = (1 - p.probs) * (F.softplus(q.logits) - F.softplus(p.logits))
    t2 = t2.masked_fill(q.probs == 1, float("inf")).masked_fill(p.probs == 1, 0.0)
    return t1 + t2


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    result = ((q.high - q.low) / (p.high - p.low)).log()
    outside = (q.low > p.low) | (q.high < p.high)
    return result.masked_fill(outside, float("inf"))


@register_kl(Independent, Independent)
def _kl_independent_independent(p: Independent, q: Independent) -> Tensor:
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError
    return p._sum_rightmost(kl_divergence(p.base_dist, q.base_dist))


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_mvn_mvn(p: MultivariateNormal, q: MultivariateNormal) -> Tensor:
    """(tr(Sq^-1 Sp) + |Lq^-1 (mq - mp)|^2 - k) / 2 + log det Lq - log det Lp, by solves
    against q's Cholesky factor, as torch computes it."""
    from ..functional.linear_solve import solve

    if p.event_shape != q.event_shape:
        raise ValueError(
            "KL-divergence between two Multivariate Normals with different event shapes "
            "cannot be computed"
        )
    # solve does not broadcast batch dims: give both factors and the means one batch shape
    batch = tuple(np.broadcast_shapes(tuple(p.batch_shape), tuple(q.batch_shape)))
    k = p.event_shape[0]
    lp, lq = p.scale_tril.expand(*batch, k, k), q.scale_tril.expand(*batch, k, k)
    half_log_det = lq.diagonal(0, -2, -1).log().sum(-1) - lp.diagonal(0, -2, -1).log().sum(-1)
    trace = solve(lq, lp).pow(2).sum((-2, -1))
    mahalanobis = (
        solve(lq, (q.loc - p.loc).expand(*batch, k).unsqueeze(-1)).squeeze(-1).pow(2).sum(-1)
    )
    return half_log_det + 0.5 * (trace + mahalanobis - k)
