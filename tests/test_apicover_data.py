"""DataLoader's worker keywords, checked as torch checks them; IterableDataset; get_worker_info."""

import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch

LIBS = pytest.mark.parametrize("lib", [torch, chainrule], ids=["torch", "chainrule"])
BAD = {
    "persistent without workers": dict(persistent_workers=True),
    "prefetch without workers": dict(prefetch_factor=2),
    "negative timeout": dict(timeout=-1),
    "negative workers": dict(num_workers=-1),
    "context without workers": dict(multiprocessing_context="spawn"),
    "unknown context": dict(num_workers=2, multiprocessing_context="nope"),
    "negative prefetch": dict(num_workers=2, prefetch_factor=-1),
}


@LIBS
@pytest.mark.parametrize("kwargs", BAD.values(), ids=BAD.keys())
def test_worker_options_are_refused_as_torch_refuses_them(lib, kwargs):
    data = lib.utils.data
    with pytest.raises(ValueError):
        data.DataLoader(data.TensorDataset(lib.arange(4)), **kwargs)


def test_a_refusal_names_the_option():
    data = chainrule.utils.data
    with pytest.raises(ValueError, match="expected num_workers > 0 with persistent_workers=True"):
        data.DataLoader(data.TensorDataset(chainrule.arange(4)), persistent_workers=True)


@LIBS
def test_worker_options_are_accepted_and_kept(lib):
    data = lib.utils.data
    loader = data.DataLoader(
        data.TensorDataset(lib.arange(6)),
        batch_size=4,
        num_workers=2,
        persistent_workers=True,
        worker_init_fn=lambda worker_id: None,
        prefetch_factor=4,
        timeout=0,
        pin_memory=False,
        pin_memory_device="",
        in_order=True,
    )
    assert [b[0].tolist() for b in loader] == [[0, 1, 2, 3], [4, 5]]
    assert (len(loader), loader.prefetch_factor, loader.persistent_workers) == (2, 4, True)
    assert data.DataLoader(data.TensorDataset(lib.arange(2)), num_workers=1).prefetch_factor == 2
    assert data.get_worker_info() is None


def _stream_program(lib):
    data = lib.utils.data

    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter([lib.tensor([float(i)]) for i in range(5)])

    out = [[b.tolist() for b in data.DataLoader(Stream(), batch_size=2)]]
    out.append([b.tolist() for b in data.DataLoader(Stream(), batch_size=2, drop_last=True)])
    out.append([b.tolist() for b in data.DataLoader(Stream(), batch_size=None)])
    for kwargs in (dict(shuffle=True), dict(sampler=[0, 1])):
        with pytest.raises(ValueError):
            data.DataLoader(Stream(), **kwargs)
    with pytest.raises(TypeError):
        len(data.DataLoader(Stream(), batch_size=2))

    class Sized(Stream):
        def __len__(self):
            return 5

    out.append(len(data.DataLoader(Sized(), batch_size=2)))
    return out


def test_iterable_datasets_batch_in_order_as_torchs():
    assert _stream_program(chainrule) == _stream_program(torch)
