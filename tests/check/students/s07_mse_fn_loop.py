"""A Python loop over the rows: slow but right."""


def loss_MSE(inputs, targets):
    total = 0.0
    for p, t in zip(inputs, targets):
        total += float((t[0] - p[0]) ** 2)
    return total / len(inputs)


EXPECT = {"subject": "loss_MSE", "like": "loss_MSE", "ok": True}
