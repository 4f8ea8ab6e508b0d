"""The learning rate each scheduler gives, epoch by epoch, as people log it."""

RTOL, ATOL = 1e-6, 1e-9


def main(torch):
    nn, optim = torch.nn, torch.optim
    sched = optim.lr_scheduler

    def fresh(lr=0.1):
        return optim.SGD(nn.Linear(2, 1).parameters(), lr=lr, momentum=0.9)

    makers = {
        "step": lambda o: sched.StepLR(o, step_size=3, gamma=0.1),
        "multistep": lambda o: sched.MultiStepLR(o, milestones=[2, 5], gamma=0.5),
        "exponential": lambda o: sched.ExponentialLR(o, gamma=0.9),
        "cosine": lambda o: sched.CosineAnnealingLR(o, T_max=10),
        "lambda": lambda o: sched.LambdaLR(o, lr_lambda=lambda epoch: 0.95**epoch),
        "multiplicative": lambda o: sched.MultiplicativeLR(o, lr_lambda=lambda epoch: 0.9),
        "linear": lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=4),
        "constant": lambda o: sched.ConstantLR(o, factor=0.5, total_iters=3),
        "onecycle": lambda o: sched.OneCycleLR(o, max_lr=0.5, total_steps=12),
        "warm_restarts": lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2),
        "polynomial": lambda o: sched.PolynomialLR(o, total_iters=6, power=2.0),
    }
    lrs = {}
    for name, make in makers.items():
        optimizer = fresh()
        scheduler = make(optimizer)
        seen = []
        for epoch in range(12):
            seen.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        seen.append(scheduler.get_last_lr()[0])
        lrs[name] = seen

    optimizer = fresh()
    warmup = sched.LinearLR(optimizer, start_factor=0.1, total_iters=3)
    decay = sched.ExponentialLR(optimizer, gamma=0.8)
    chained = sched.SequentialLR(optimizer, schedulers=[warmup, decay], milestones=[3])
    seq = []
    for epoch in range(8):
        optimizer.step()
        chained.step()
        seq.append(optimizer.param_groups[0]["lr"])
    lrs["sequential"] = seq

    optimizer = fresh()
    plateau = sched.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)
    plat = []
    for val_loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8]:
        optimizer.step()
        plateau.step(val_loss)
        plat.append(optimizer.param_groups[0]["lr"])
    lrs["plateau"] = plat

    optimizer = fresh()
    scheduler = sched.StepLR(optimizer, step_size=2)
    for _ in range(3):
        optimizer.step()
        scheduler.step()
    state = scheduler.state_dict()
    lrs["restored_epoch"] = [float(state["last_epoch"])]
    return lrs
