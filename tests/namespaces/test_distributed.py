"""chainrule.distributed beside torch.distributed, each in a world of one gloo process."""

import pytest

import chainrule as cr
from chainrule import distributed as cdist


@pytest.fixture
def world():
    cdist.init_process_group("gloo", rank=0, world_size=1)
    yield cdist
    if cdist.is_initialized():
        cdist.destroy_process_group()


@pytest.fixture
def torch_world(torch_installed, tmp_path):
    dist = torch_installed.distributed
    dist.init_process_group("gloo", init_method=f"file://{tmp_path}/store", rank=0, world_size=1)
    yield dist
    if dist.is_initialized():
        dist.destroy_process_group()


def _raised(fn, *args):
    with pytest.raises(Exception) as info:
        fn(*args)
    return info.value


UNINITIALIZED = {
    "get_rank": lambda d, lib: d.get_rank(),
    "get_world_size": lambda d, lib: d.get_world_size(),
    "barrier": lambda d, lib: d.barrier(),
    "all_reduce": lambda d, lib: d.all_reduce(lib.ones(2)),
    "broadcast": lambda d, lib: d.broadcast(lib.ones(2), src=0),
    "new_group": lambda d, lib: d.new_group([0]),
}


@pytest.mark.parametrize("name", sorted(UNINITIALIZED))
def test_uninitialized_raises_torchs_error(torch_installed, name):
    theirs = _raised(lambda: UNINITIALIZED[name](torch_installed.distributed, torch_installed))
    ours = _raised(lambda: UNINITIALIZED[name](cdist, cr))
    assert isinstance(ours, type(theirs))
    assert "Default process group has not been initialized" in str(theirs)
    assert "Default process group has not been initialized" in str(ours)
    assert str(ours).startswith(f"{name}: expected an initialized default process group")


def test_availability_matches_a_cpu_torch(torch_installed):
    dist = torch_installed.distributed
    assert cdist.is_available() == dist.is_available() is True
    assert cdist.is_initialized() == dist.is_initialized() is False
    assert cdist.is_gloo_available() == dist.is_gloo_available()
    assert cdist.is_nccl_available() == dist.is_nccl_available()


def test_world_of_one_answers_as_torch(world, torch_world, torch_installed):
    torch = torch_installed
    for d in (world, torch_world):
        assert d.is_initialized()
        assert (d.get_rank(), d.get_world_size(), d.get_backend()) == (0, 1, "gloo")
        assert d.barrier() is None
        assert d.group.WORLD is d.GroupMember.WORLD
        g = d.new_group([0])
        assert (g.rank(), g.size(), d.get_world_size(g)) == (0, 1, 1)
    for op in ("SUM", "AVG", "PRODUCT", "MIN", "MAX", "BAND", "BOR", "BXOR"):
        assert int(getattr(world.ReduceOp, op)) == int(getattr(torch_world.ReduceOp, op))
        ours, theirs = cr.tensor([1.5, -2.0]), torch.tensor([1.5, -2.0])
        if op.startswith("B"):
            ours, theirs = cr.tensor([3, 5]), torch.tensor([3, 5])
        assert world.all_reduce(ours, op=getattr(world.ReduceOp, op)) is None
        torch_world.all_reduce(theirs, op=getattr(torch_world.ReduceOp, op))
        assert ours.tolist() == theirs.tolist()


def test_collectives_copy_and_check_like_gloo(world, torch_world, torch_installed):
    torch = torch_installed
    for d, lib in ((world, cr), (torch_world, torch)):
        t = lib.tensor([1.0, 2.0])
        out = [lib.zeros(2)]
        d.all_gather(out, t)
        assert out[0].tolist() == [1.0, 2.0]
        objects = [None]
        d.all_gather_object(objects, {"a": 1})
        assert objects == [{"a": 1}]
        work = d.all_reduce(t, async_op=True)
        assert work.wait() is True and work.is_completed()
        d.broadcast(t, src=0)
        d.reduce(t, dst=0)
        assert t.tolist() == [1.0, 2.0]
    bad = {
        "broadcast src 1": lambda d, lib: d.broadcast(lib.ones(2), src=1),
        "reduce dst 1": lambda d, lib: d.reduce(lib.ones(2), dst=1),
        "all_gather two outputs": lambda d, lib: d.all_gather([lib.ones(2)] * 2, lib.ones(2)),
        "new_group of two": lambda d, lib: d.new_group([0, 1]),
        "init twice": lambda d, lib: d.init_process_group("gloo", rank=0, world_size=1),
    }
    for name, call in bad.items():
        theirs = _raised(call, torch_world, torch)
        ours = _raised(call, world, cr)
        assert isinstance(ours, type(theirs)), name


def test_init_asks_for_one_process():
    with pytest.raises(cr.ArgumentError, match="world_size=1 \\(chainrule runs one process\\)"):
        cdist.init_process_group("gloo", rank=0, world_size=2)
    with pytest.raises(cr.ArgumentError, match="rank=0"):
        cdist.init_process_group("gloo", rank=1, world_size=1)
    with pytest.raises(NotImplementedError, match="backend 'gloo'"):
        cdist.init_process_group("nccl", rank=0, world_size=1)
    assert not cdist.is_initialized()


def test_launcher_environment_of_several_processes_is_refused(monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "4")
    with pytest.raises(cr.ArgumentError, match="got 4"):
        cdist.init_process_group("gloo")
    monkeypatch.setenv("WORLD_SIZE", "1")
    cdist.init_process_group()  # backend None is gloo on the CPU, as in torch
    assert cdist.get_backend() == "gloo"
    cdist.destroy_process_group()


def test_destroy_without_a_group_is_torchs_assertion(torch_installed):
    theirs = _raised(torch_installed.distributed.destroy_process_group)
    ours = _raised(cdist.destroy_process_group)
    assert isinstance(ours, type(theirs)) and isinstance(ours, AssertionError)


def test_reduce_scatter_and_all_to_all_in_a_world_of_one_as_gloo(
    world, torch_world, torch_installed
):
    torch = torch_installed
    for d, lib in ((world, cr), (torch_world, torch)):
        out = lib.zeros(3)
        d.reduce_scatter_single(out, lib.tensor([1.0, 2.0, 3.0]))
        assert out.tolist() == [1.0, 2.0, 3.0]
        d.all_gather_single(out, lib.tensor([3.0, 2.0, 1.0]))
        assert out.tolist() == [3.0, 2.0, 1.0]
        for old in ("reduce_scatter_tensor", "all_gather_into_tensor"):
            with pytest.warns(FutureWarning, match=f"`torch.distributed.{old}` is deprecated"):
                getattr(d, old)(out, lib.ones(3))
        single = lib.zeros(2)
        d.all_to_all_single(single, lib.tensor([4.0, 5.0]))
        assert single.tolist() == [4.0, 5.0]
