"""loss_MSE as a matrix product of the residual with itself."""


def loss_MSE(inputs, targets):
    r = inputs - targets
    return (r.T @ r).item() / len(r)


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
