"""torch.compiler, torch.types, torch.multiprocessing and torch.utils.collect_env: the names
scripts import at the top, answering as torch does on a CPU where nothing is compiled."""

import pytest

import chainrule as cr


def test_compiler_leaves_code_as_written(torch_installed):
    torch = torch_installed
    import chainrule.compiler as compiler

    def f(x):
        return x + 1

    for lib in (torch.compiler, compiler):
        assert lib.is_compiling() is False and lib.is_dynamo_compiling() is False
        assert lib.disable(f)(1) == 2
        assert lib.disable()(f)(1) == 2 and lib.disable(recursive=False)(f)(1) == 2
        assert lib.allow_in_graph(f) is f and lib.assume_constant_result(f) is f
        lib.reset()
    assert compiler.disable(f) is f


def test_types_give_the_aliases_annotations_use(torch_installed):
    import chainrule.types as types

    for name in ("Number", "Device", "FileLike", "_size", "_int", "_float", "_bool", "_dtype"):
        assert hasattr(torch_installed.types, name) and hasattr(types, name), name
    assert isinstance(2.5, types._Number) and not isinstance("a", types._Number)
    assert types.Tensor is cr.Tensor


def test_multiprocessing_is_pythons_with_torchs_extras(torch_installed):
    import multiprocessing

    import chainrule.multiprocessing as mp

    assert mp.Process is multiprocessing.Process and mp.Queue is multiprocessing.Queue
    assert (
        mp.get_all_sharing_strategies()
        == torch_installed.multiprocessing.get_all_sharing_strategies()
    )
    assert mp.get_sharing_strategy() == torch_installed.multiprocessing.get_sharing_strategy()
    mp.set_sharing_strategy("file_system")
    assert mp.get_sharing_strategy() == "file_system"
    mp.set_sharing_strategy("file_descriptor")
    with pytest.raises(cr.ArgumentError, match="one of"):
        mp.set_sharing_strategy("shm")


def test_spawn_runs_rank_zero_here():
    import chainrule.multiprocessing as mp

    ranks = []
    mp.spawn(lambda rank, out: out.append(rank), args=(ranks,), nprocs=1)
    assert ranks == [0]
    with pytest.raises(cr.ArgumentError, match="nprocs=1 \\(chainrule runs one process\\)"):
        mp.spawn(print, nprocs=2)


def test_collect_env_reports_versions(capsys):
    import numpy as np

    from chainrule.utils import collect_env

    text = collect_env.get_pretty_env_info()
    assert f"NumPy version: {np.__version__}" in text and "Is CUDA available: False" in text
    assert collect_env.get_env_info().numpy_version == np.__version__
    collect_env.main()
    assert capsys.readouterr().out.startswith("Collecting environment information...")


def test_a_ddp_script_runs_with_its_imports_changed(tmp_path):
    """The imports of a typical DDP training script, all resolving under chainrule."""
    import chainrule.distributed as dist
    import chainrule.multiprocessing as mp
    from chainrule.nn.parallel import DistributedDataParallel as DDP
    from chainrule.profiler import ProfilerActivity, profile, record_function
    from chainrule.utils.data import DataLoader, TensorDataset
    from chainrule.utils.data.distributed import DistributedSampler
    from chainrule.utils.tensorboard import SummaryWriter

    def main(rank, world_size):
        dist.init_process_group("gloo", rank=rank, world_size=world_size)
        cr.manual_seed(0)
        model = DDP(cr.nn.Linear(3, 1))
        data = TensorDataset(cr.randn(16, 3), cr.randn(16, 1))
        sampler = DistributedSampler(data, shuffle=True, seed=1)
        loader = DataLoader(data, batch_size=4, sampler=sampler)
        opt = cr.optim.SGD(model.parameters(), lr=0.1)
        with (
            SummaryWriter(str(tmp_path)) as writer,
            profile(activities=[ProfilerActivity.CPU]) as prof,
        ):
            for epoch in range(2):
                sampler.set_epoch(epoch)
                for x, y in loader:
                    with record_function("train_step"):
                        opt.zero_grad()
                        loss = cr.nn.functional.mse_loss(model(x), y)
                        loss.backward()
                        dist.all_reduce(loss)
                        opt.step()
                writer.add_scalar("loss", loss.item(), epoch)
        assert prof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
        dist.barrier()
        dist.destroy_process_group()

    mp.spawn(main, args=(1,), nprocs=1)
    assert not dist.is_initialized()
