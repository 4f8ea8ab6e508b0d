"""A modern training script full of the boilerplate that real ones carry, on CPU: the device
line through torch.accelerator and torch.cuda, torch.backends flags, set_float32_matmul_precision,
use_deterministic_algorithms, torch.compile(model), torch.autocast and a disabled GradScaler
wrapped around every step, a DataLoader with num_workers / persistent_workers / pin_memory over
an IterableDataset and a map-style one, a checkpoint dict holding model, optimizer, scheduler and
RNG state saved mid-run, then restored: the resumed run must repeat the original's numbers.
Legacy tensor types, torch.testing.assert_close and inference_mode finish it."""

import copy

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    data = torch.utils.data
    if torch.cuda.is_available():
        device = torch.device("cuda")
    elif torch.accelerator.is_available():
        device = torch.accelerator.current_accelerator()
    else:
        device = torch.device("cpu")
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.set_float32_matmul_precision("high")
    torch.use_deterministic_algorithms(True)
    amp_enabled = device.type == "cuda"

    X, y = load_breast_cancer(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)[:320]
    y = y.astype(np.float32)[:320]

    class Stream(data.IterableDataset):
        def __iter__(self):
            for i in range(0, 64):
                yield torch.from_numpy(X[i]), torch.tensor(y[i])

    train = data.TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    loader = data.DataLoader(
        train,
        batch_size=40,
        shuffle=False,
        num_workers=2,
        persistent_workers=True,
        pin_memory=device.type == "cuda",
        drop_last=True,
        prefetch_factor=2,
    )
    stream = data.DataLoader(Stream(), batch_size=16, num_workers=0)

    model = nn.Sequential(nn.Linear(30, 16), nn.GELU(), nn.Dropout(0.0), nn.Linear(16, 1))
    init_from_numpy(torch, model, seed=56, scale=0.2)
    model = model.to(device)
    compiled = torch.compile(model, backend="eager", disable=device.type == "cpu")
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=6)
    scaler = torch.amp.GradScaler("cuda", enabled=amp_enabled)

    def run_epoch():
        total = 0.0
        for xb, yb in loader:
            xb = xb.to(device, non_blocking=True)
            yb = yb.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=amp_enabled):
                loss = F.binary_cross_entropy_with_logits(compiled(xb).squeeze(1), yb)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            scaler.step(optimizer)
            scaler.update()
            total += loss.item()
        scheduler.step()
        return total / len(loader)

    torch.manual_seed(56)
    first = [run_epoch() for _ in range(3)]
    # deepcopy: state_dict() shares the live tensors that later steps update in place
    checkpoint = copy.deepcopy(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "scaler": scaler.state_dict(),
            "rng": torch.get_rng_state(),
            "epoch": 3,
        }
    )
    noise_before = torch.rand(3)
    later = [run_epoch() for _ in range(3)]

    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    scaler.load_state_dict(checkpoint["scaler"])
    torch.set_rng_state(checkpoint["rng"])
    noise_after = torch.rand(3)
    resumed = [run_epoch() for _ in range(3)]

    model.eval()
    with torch.inference_mode():
        logits = torch.cat([compiled(xb).squeeze(1) for xb, _ in stream])
    accuracy = ((logits > 0).float() == torch.from_numpy(y[:64])).float().mean()
    legacy = torch.FloatTensor([[1, 2], [3, 4]])
    torch.testing.assert_close(torch.tensor(resumed), torch.tensor(later))
    return {
        "device": device.type,
        "first": np.array(first),
        "later": np.array(later),
        "resumed": np.array(resumed),
        "rng_restored": bool(torch.equal(noise_before, noise_after)),
        "lr": scheduler.get_last_lr()[0],
        "scale": scaler.get_scale() if amp_enabled else 1.0,
        "accuracy": accuracy.item(),
        "stream_batches": len(list(stream)),
        "legacy_is_float32": legacy.dtype == torch.float32,
        "legacy_long": torch.LongTensor([3, 4]).sum().item(),
        "deterministic": torch.are_deterministic_algorithms_enabled(),
        "matmul_precision": torch.get_float32_matmul_precision(),
        "checkpoint_epoch": checkpoint["epoch"],
    }
