"""One helper that runs the same computation in chainrule and PyTorch and compares everything."""

from __future__ import annotations

import numpy as np
import torch

import chainrule as cr

TOLERANCE = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=2e-4, atol=2e-5)}


def compare(cr_fn, torch_fn, arrays, rng, grad_inputs=None, tolerance=None):
    """Check value, dtype, shape and every input gradient against torch with a random upstream."""
    dtype = next((a.dtype for a in arrays if a.dtype.kind == "f"), np.dtype(np.float64)).type
    tol = tolerance or TOLERANCE[dtype]
    grad_inputs = [a.dtype.kind == "f" for a in arrays] if grad_inputs is None else grad_inputs
    ours = [cr.tensor(a.copy(), requires_grad=g) for a, g in zip(arrays, grad_inputs)]
    theirs = [torch.tensor(a.copy(), requires_grad=g) for a, g in zip(arrays, grad_inputs)]
    out = cr_fn(*ours)
    ref = torch_fn(*theirs)
    assert out.shape == tuple(ref.shape), (out.shape, tuple(ref.shape))
    assert out.dtype == np.dtype(str(ref.dtype).replace("torch.", ""))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), **tol)
    if not any(grad_inputs) or out.data.dtype.kind != "f":
        return out
    upstream = rng.standard_normal(out.shape).astype(out.dtype)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if not grad_inputs[i]:
            continue
        assert a.grad is not None, f"input {i} got no gradient"
        assert a.grad.dtype == a.data.dtype, f"input {i} gradient dtype {a.grad.dtype}"
        np.testing.assert_allclose(a.grad, b.grad.numpy(), **tol, err_msg=f"input {i}")
    for original, t in zip(arrays, ours):
        np.testing.assert_array_equal(original, t.data)  # nothing was mutated
    return out
