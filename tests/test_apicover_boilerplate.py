"""A training script written the way tutorials and Kaggle notebooks write it, boilerplate and all
(device selection, torch.compile, autocast and GradScaler, deterministic flags, DataLoader worker
options, rng state saved and restored), run with torch and with chainrule: the losses agree."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch

DATA = np.random.default_rng(7)
X = DATA.standard_normal((64, 5)).astype(np.float32)
Y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(np.int64)
W1 = (DATA.standard_normal((8, 5)) * 0.4).astype(np.float32)
W2 = (DATA.standard_normal((2, 8)) * 0.4).astype(np.float32)


def seed_worker(worker_id):
    np.random.default_rng(worker_id)  # the tutorials' worker seeding; no global state touched


def program(torch, scaling):
    nn, F = torch.nn, torch.nn.functional
    data = torch.utils.data
    if torch.accelerator.is_available():
        device = torch.accelerator.current_accelerator().type
    else:
        device = "cpu"
    device = torch.device("cuda" if torch.cuda.is_available() else device)
    torch.manual_seed(0)
    torch.cuda.manual_seed_all(0)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False
    torch.set_float32_matmul_precision("high")
    amp_dtype = torch.bfloat16 if torch.cuda.is_available() else torch.float32
    assert amp_dtype == torch.float32 and torch.version.cuda is None

    loader = data.DataLoader(
        data.TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)),
        batch_size=16,
        shuffle=False,
        num_workers=2,
        persistent_workers=True,
        prefetch_factor=2,
        worker_init_fn=seed_worker,
        pin_memory=torch.cuda.is_available(),
    )
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(W1))
        model[2].weight.copy_(torch.from_numpy(W2))
        model[0].bias.zero_()
        model[2].bias.zero_()
    model = model.to(device)
    # torch's dynamo costs 5-8 s to start, so torch runs with disable=True (the same numbers)
    compiled = torch.compile(model, mode="max-autotune", disable=torch is not chainrule)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    scaler = torch.amp.GradScaler("cpu", enabled=scaling)

    state = torch.get_rng_state()
    first = torch.rand(4)
    torch.set_rng_state(state)
    torch.testing.assert_close(torch.rand(4), first)  # the restored stream repeats itself

    losses = []
    for _ in range(3):
        model.train()
        for xb, yb in loader:
            xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=False):
                loss = F.cross_entropy(compiled(xb), yb)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            scaler.step(optimizer)
            scaler.update()
            losses.append(loss.item())
    model.eval()
    with torch.inference_mode():
        accuracy = (compiled(torch.from_numpy(X)).argmax(1) == torch.from_numpy(Y)).float().mean()
    frozen = model.requires_grad_(False)
    keys = list(frozen.state_dict(prefix="model.").keys())
    return losses, accuracy.item(), keys, scaler.get_scale(), scaler.state_dict()


@pytest.mark.parametrize("scaling", [False, True], ids=["scaler-off", "scaler-on"])
def test_a_boilerplate_heavy_script_gives_torchs_losses(scaling):
    ours, theirs = program(chainrule, scaling), program(torch, scaling)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=2e-5, atol=2e-6)
    assert ours[1] == pytest.approx(theirs[1])
    assert ours[2:] == theirs[2:]
