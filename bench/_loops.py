"""The training loop every benchmark times, written once: chainrule and PyTorch share its API."""


def run_steps(model, loss_fn, optimizer, batches):
    """zero_grad, forward, loss, backward, step for each (inputs, targets); returns the last loss."""
    for inputs, targets in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return loss.item()
