"""The hand-written NumPy reference for W3 and W4: one SGD step of a ReLU MLP with cross-entropy."""

import numpy as np


def sgd_step(params, x, t, lr):
    """Forward, softmax cross-entropy, backward and update, in place on ``params``; returns the loss."""
    activations = [x]
    for i, (w, b) in enumerate(params):
        z = activations[-1] @ w.T
        z += b
        activations.append(np.maximum(z, 0, out=z) if i < len(params) - 1 else z)
    z = activations[-1]
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(t))
    loss = -log_p[rows, t].mean()
    grad = np.exp(log_p)
    grad[rows, t] -= 1
    grad /= len(t)
    for i in range(len(params) - 1, -1, -1):
        w, b = params[i]
        grad_w, grad_b = grad.T @ activations[i], grad.sum(axis=0)
        if i > 0:
            grad = grad @ w
            grad *= activations[i] > 0
        w -= lr * grad_w
        b -= lr * grad_b
    return float(loss)


def predict(params, x):
    for i, (w, b) in enumerate(params):
        x = x @ w.T + b
        x = np.maximum(x, 0) if i < len(params) - 1 else x
    return x
