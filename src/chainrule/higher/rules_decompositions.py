"""create_graph rules for the decompositions: qr, svd, eigh, eig, pinv and matrix_exp (see
rules.py). Each is its ndarray backward again on Tensors: the packed factors are sliced out of
the op's output (differentiable slices), so a Hessian-vector product through an eigh- or
svd-based loss reaches A through the factors as well as through the formula's other terms."""

from __future__ import annotations

import numpy as np

from ..functional.decompositions import QR, SVD, MatrixExp, unpacked
from ..functional.eigen import Eig, Eigh
from ..functional.indexing import Triangle
from ..functional.linear_solve import Pinv, Solve
from ..functional.selection import Where
from ..functional.shape import cat
from .rules import const, rule


def _t(m):
    return m.transpose(-1, -2)


def _eye(n: int, like):
    return const(np.eye(n), like)


def _gaps(values, like):
    """E_ij = v_j - v_i off the diagonal and 1 on it (the forward's _gaps, with a graph)."""
    n = values.shape[-1]
    return values.unsqueeze(-2) - values.unsqueeze(-1) + _eye(n, like)


def _diag(vector, like):
    """A batch of diagonal matrices from vectors (..., n), by broadcasting against I."""
    return vector.unsqueeze(-2) * _eye(vector.shape[-1], like)


@rule(QR)
def _qr(ctx, out, grad):
    QR.backward(ctx, np.zeros(grad.shape, grad._data.dtype))  # torch's refusals, reused
    q, r = unpacked(out, ctx.shapes)
    grad_q, grad_r = unpacked(grad, ctx.shapes)
    m = r @ _t(grad_r) - _t(grad_q) @ q
    low = Triangle.apply(m, upper=False, diagonal=0)
    copied = low + _t(Triangle.apply(m, upper=False, diagonal=-1))
    return _t(Solve.apply(r, _t(grad_q + q @ copied)))


def _reciprocal(values, zero: np.ndarray, like):
    """1 / values, and 0 where ``zero`` (as the ndarray backwards): no inf, no NaN gradient."""
    safe = Where.apply(const(1.0, like), values, condition=zero)
    return Where.apply(const(0.0, like), 1.0 / safe, condition=zero)


@rule(SVD)
def _svd(ctx, out, grad):  # Townsend's formula (SVD's docstring)
    u, s, v = unpacked(out, ctx.shapes)
    grad_u, grad_s, grad_v = unpacked(grad, ctx.shapes)
    square = s * s
    gaps = square.unsqueeze(-2) - square.unsqueeze(-1)
    f = _reciprocal(gaps, gaps._data == 0, grad)  # 0 on the diagonal and at repeated values
    ut_gu, vt_gv = _t(u) @ grad_u, _t(v) @ grad_v
    core = (f * (ut_gu - _t(ut_gu))) * s.unsqueeze(-2) + (f * (vt_gv - _t(vt_gv))) * s.unsqueeze(-1)
    grad_a = u @ (core + _diag(grad_s, grad)) @ _t(v)
    inverse = _reciprocal(s, ctx.s == 0, grad)
    grad_a = grad_a + ((grad_u - u @ ut_gu) * inverse.unsqueeze(-2)) @ _t(v)
    return grad_a + u @ (_t(grad_v - v @ vt_gv) * inverse.unsqueeze(-1))


def _vector_part(ctx, grad, grad_v) -> bool:
    """Whether the eigenvector term is needed: the ndarray backward skips an all-zero G_V (so
    that eigenvalues alone stay finite at repeated ones); with a graph it is kept, unless the
    gaps it divides by are zero."""
    if np.any(grad_v._data):
        return True
    w = ctx.w
    return grad._ctx is not None and bool(np.all(np.diff(np.sort(w, axis=-1), axis=-1) != 0))


@rule(Eigh)
def _eigh(ctx, out, grad):  # V (skew(V^T G_V) / 2E + diag(G_w)) V^T
    v, w = unpacked(out, ctx.shapes)
    grad_v, grad_w = unpacked(grad, ctx.shapes)
    inner = _diag(grad_w, grad)
    if _vector_part(ctx, grad, grad_v):
        vt_gv = _t(v) @ grad_v
        inner = inner + (vt_gv - _t(vt_gv)) * 0.5 / _gaps(w, grad)
    return v @ inner @ _t(v)


@rule(Eig)
def _eig(ctx, out, grad):  # V^-T (M / E + diag(G_w)) V^T, M = V^T G_V - V^T V diag(V^T G_V)
    v, w = unpacked(out, ctx.shapes)
    grad_v, grad_w = unpacked(grad, ctx.shapes)
    inner = _diag(grad_w, grad)
    if _vector_part(ctx, grad, grad_v):
        vt_gv = _t(v) @ grad_v
        along = _t(v) @ (v * vt_gv.diagonal(dim1=-2, dim2=-1).unsqueeze(-2))
        inner = inner + (vt_gv - along) / _gaps(w, grad)
    return Solve.apply(_t(v), inner @ _t(v))


@rule(Pinv)
def _pinv(ctx, out, grad):  # Pinv's docstring: a constant rank
    a, x = ctx.inputs[0], out
    xt, gt = _t(x), _t(grad)
    left = _eye(a.shape[-2], grad) - a @ x
    right = _eye(a.shape[-1], grad) - x @ a
    return -(xt @ grad @ xt) + left @ gt @ x @ xt + xt @ x @ gt @ right


@rule(MatrixExp)
def _matrix_exp(ctx, out, grad):  # exp([[A^T, G], [0, A^T]])'s top-right block, with a graph
    at = _t(ctx.inputs[0])
    n = at.shape[-1]
    zeros = const(np.zeros(at.shape), grad)
    block = cat([cat([at, grad], -1), cat([zeros, at], -1)], -2)
    return MatrixExp.apply(block)[..., :n, n:]
