"""nn.parallel.DistributedDataParallel and DataParallel against torch's, on one CPU process."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import distributed as cdist


@pytest.fixture
def world():
    cdist.init_process_group("gloo", rank=0, world_size=1)
    yield
    cdist.destroy_process_group()


@pytest.fixture
def torch_world(torch_installed, tmp_path):
    dist = torch_installed.distributed
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/store", rank=0, world_size=1)
    yield torch_installed
    dist.destroy_process_group()


def _pair(torch):
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
    ours = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 1))
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def test_ddp_trains_as_torchs(world, torch_world):
    torch = torch_world
    ours, theirs = _pair(torch)
    ddp_ours = cr.nn.parallel.DistributedDataParallel(ours, find_unused_parameters=True)
    ddp_theirs = torch.nn.parallel.DistributedDataParallel(theirs, find_unused_parameters=True)
    assert list(ddp_ours.state_dict()) == list(ddp_theirs.state_dict())
    assert ddp_ours.module is ours and ddp_ours.device_ids is ddp_theirs.device_ids is None
    opt_ours = cr.optim.SGD(ddp_ours.parameters(), lr=0.1)
    opt_theirs = torch.optim.SGD(ddp_theirs.parameters(), lr=0.1)
    x = np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32)
    for step in range(3):
        for ddp, opt, lib in ((ddp_ours, opt_ours, cr), (ddp_theirs, opt_theirs, torch)):
            opt.zero_grad()
            with ddp.no_sync():
                assert ddp.require_backward_grad_sync is False
                ddp(lib.tensor(x[:4])).pow(2).mean().backward()
            assert ddp.require_backward_grad_sync is True
            ddp(lib.tensor(x[4:])).pow(2).mean().backward()
            opt.step()
    for (name, a), (_, b) in zip(ddp_ours.state_dict().items(), ddp_theirs.state_dict().items()):
        np.testing.assert_allclose(
            a.numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name
        )


def test_ddp_state_dict_loads_into_a_bare_module(world):
    ddp = cr.nn.parallel.DistributedDataParallel(cr.nn.Linear(2, 1))
    bare = cr.nn.Linear(2, 1)
    bare.load_state_dict({k.removeprefix("module."): v for k, v in ddp.state_dict().items()})
    assert bare.weight.tolist() == ddp.module.weight.tolist()


CASES = {
    "no process group": lambda lib: lib.nn.parallel.DistributedDataParallel(lib.nn.Linear(2, 1)),
}
IN_WORLD = {
    "device_ids [0] on the CPU": lambda lib: lib.nn.parallel.DistributedDataParallel(
        lib.nn.Linear(2, 1), device_ids=[0]
    ),
    "output_device 1 on the CPU": lambda lib: lib.nn.parallel.DistributedDataParallel(
        lib.nn.Linear(2, 1), output_device=1
    ),
    "two device_ids": lambda lib: lib.nn.parallel.DistributedDataParallel(
        lib.nn.Linear(2, 1), device_ids=[0, 1]
    ),
    "no trainable parameter": lambda lib: lib.nn.parallel.DistributedDataParallel(
        lib.nn.Linear(2, 1).requires_grad_(False)
    ),
}


def _raised(fn, *args):
    with pytest.raises(Exception) as info:
        fn(*args)
    return info.value


def test_ddp_errors_are_torchs(torch_installed, tmp_path):
    torch = torch_installed
    theirs = _raised(lambda: CASES["no process group"](torch))
    ours = _raised(lambda: CASES["no process group"](cr))
    assert isinstance(ours, type(theirs))
    assert "Default process group has not been initialized" in str(ours)
    torch.distributed.init_process_group(
        "gloo", init_method=f"file://{tmp_path}/s", rank=0, world_size=1
    )
    cdist.init_process_group("gloo", rank=0, world_size=1)
    try:
        for name, make in IN_WORLD.items():
            theirs, ours = _raised(make, torch), _raised(make, cr)
            assert isinstance(ours, type(theirs)), name
        for ids, out in ((None, None), ([], None), (None, 0)):  # torch tests truthiness
            torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 1), ids, out)
            cr.nn.parallel.DistributedDataParallel(cr.nn.Linear(2, 1), ids, out)
    finally:
        torch.distributed.destroy_process_group()
        cdist.destroy_process_group()


def test_data_parallel_passes_through_on_the_cpu(torch_installed):
    torch = torch_installed
    ours, theirs = _pair(torch)
    dp_ours, dp_theirs = cr.nn.DataParallel(ours, device_ids=[0]), torch.nn.DataParallel(theirs)
    assert cr.nn.parallel.DataParallel is cr.nn.DataParallel
    assert dp_ours.device_ids == dp_theirs.device_ids == []
    assert list(dp_ours.state_dict()) == list(dp_theirs.state_dict())
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(
        dp_ours(cr.tensor(x)).detach().numpy(),
        dp_theirs(torch.tensor(x)).detach().numpy(),
        rtol=1e-6,
    )
