"""loss_MSE returning a Python float through .item()."""


def loss_MSE(inputs, targets):
    return ((inputs - targets) ** 2).mean().item()


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": True,
}
