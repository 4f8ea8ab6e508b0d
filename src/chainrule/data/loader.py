"""DataLoader: batches of Tensors, shuffled by an explicit Generator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce
from typing import Any, Callable, Iterator, NoReturn

import numpy as np

from .._checks import fail_shape, fail_value, message, shape_str
from ..autograd.tensor import Tensor
from ..errors import MissingNameError
from ..random import SeedLike, as_generator
from ..type_promotion import promote_types
from .dataset import Dataset, Subset, TensorDataset
from .iterable import IterableDataset
from .worker_options import check_worker_options


def default_collate(samples: list) -> Any:
    """Batch a list of samples as torch's default_collate does: arrays, Tensors and numbers are
    stacked into Tensors; dicts, tuples and lists are collated field by field, recursively
    (a tuple becomes a list, as in torch); strings are kept as a list."""
    return _collate(list(samples), "sample")


def _collate(batch: Sequence, where: str) -> Any:
    first = batch[0]  # torch decides by the first sample too
    if isinstance(first, (Tensor, np.ndarray, np.generic)):
        arrays = [s.detach().numpy() if isinstance(s, Tensor) else np.asarray(s) for s in batch]
        if any(a.dtype.kind not in "biufc" for a in arrays):
            _uncollatable(
                where,
                f"an array of dtype {next(a.dtype for a in arrays if a.dtype.kind not in 'biufc')}",
            )
        shapes = {a.shape for a in arrays}
        if len(shapes) > 1:
            fail_shape(
                "default_collate",
                f"samples of one shape at {where}",
                ", ".join(shape_str(s) for s in sorted(shapes)[:4]),
                "pad or crop the samples to one shape, or pass a collate_fn.",
            )
        dtypes = {a.dtype for a in arrays}  # int64 with float32 stacks to float32, as torch.stack
        dtype = reduce(promote_types, dtypes) if len(dtypes) > 1 else None
        return Tensor._of(np.stack(arrays, dtype=dtype, casting="unsafe"))
    if isinstance(first, int):  # bool included: torch.tensor(batch) infers from every element
        return Tensor._of(np.array(batch, dtype=_inferred_dtype(batch)))
    if isinstance(first, float):  # Python floats are float64, as torch's default_collate makes them
        return Tensor._of(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, Mapping):
        for sample in batch:  # torch collates the first sample's keys: extra ones are dropped
            if not isinstance(sample, Mapping):
                _uncollatable(where, "a dict and a " + type(sample).__name__)
            missing = [key for key in first if key not in sample]
            if missing:  # torch's sample[key] raises KeyError
                raise MissingNameError(
                    message(
                        "default_collate",
                        f"every sample at {where} to have key {missing[0]!r}",
                        "a sample without it",
                    )
                )
        return {key: _collate([s[key] for s in batch], f"{where}[{key!r}]") for key in first}
    if isinstance(first, Sequence):
        if any(not isinstance(s, Sequence) or len(s) != len(first) for s in batch):
            fail_shape(
                "default_collate",
                f"sequences of one length at {where}",
                "lengths "
                + ", ".join(sorted({str(len(s)) for s in batch if isinstance(s, Sequence)})),
            )
        fields = [_collate(tuple(s[i] for s in batch), f"{where}[{i}]") for i in range(len(first))]
        if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple keeps its type
            return type(first)(*fields)
        return fields
    _uncollatable(where, type(first).__name__)


def _inferred_dtype(batch: Sequence) -> Any:
    """What torch.tensor(batch) gives a batch that starts with an int: one float anywhere makes
    it the default float dtype (a 2.5 is never truncated to 2), else int64, or bool if all are."""
    from ..dtypes import get_default_dtype

    if any(isinstance(v, float) for v in batch):
        return get_default_dtype()
    if all(isinstance(v, bool) for v in batch):
        return np.bool_
    return np.int64


def _unbatched(sample: Any) -> Any:
    """A sample as torch's default_convert gives it without batching (a tuple becomes a list)."""
    return list(sample) if type(sample) is tuple else sample


def _uncollatable(where: str, got: str) -> NoReturn:
    raise TypeError(
        message(
            "default_collate",
            f"tensors, numeric arrays, numbers, strings, dicts, tuples or lists at {where}",
            got,
            "pass a collate_fn that knows how to batch it.",
        )
    )


class DataLoader:
    """Iterate over a Dataset in batches, like torch.utils.data.DataLoader (single process).

    Each epoch with ``shuffle=True`` draws a new permutation from ``generator`` (an int seed or
    a Generator; default: the library generator that ``manual_seed`` sets).

    >>> import numpy as np
    >>> loader = DataLoader(TensorDataset(np.arange(10.0), np.arange(10)), batch_size=4)
    >>> [len(x) for x, y in loader]
    [4, 4, 2]
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        drop_last: bool = False,
        generator: SeedLike = None,
        collate_fn: Callable[[list], Any] | None = None,
        *,
        sampler: Any = None,
        batch_sampler: Any = None,
        num_workers: int = 0,
        pin_memory: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        # num_workers, pin_memory and the worker options are checked as torch checks them and
        # kept, so torch code runs: batches are made in this process (worker_init_fn is never
        # called, as there is no worker), and there is no device memory to pin.
        self.prefetch_factor = check_worker_options(
            num_workers, timeout, prefetch_factor, persistent_workers, multiprocessing_context
        )
        self.timeout, self.worker_init_fn = timeout, worker_init_fn
        self.multiprocessing_context, self.persistent_workers = (
            multiprocessing_context,
            persistent_workers,
        )
        self.pin_memory_device, self.in_order = pin_memory_device, in_order
        if isinstance(dataset, IterableDataset):
            for name, value, unset in (
                ("shuffle", shuffle, (False, None)),
                ("sampler", sampler, (None,)),
                ("batch_sampler", batch_sampler, (None,)),
            ):
                if not any(value is u for u in unset):
                    fail_value(
                        "DataLoader with IterableDataset",
                        f"unspecified {name} option",
                        f"{name}={value}",
                        "an IterableDataset sets its own order; shuffle inside its __iter__.",
                    )
        if sampler is not None and shuffle:
            fail_value(
                "DataLoader",
                "either shuffle=True or a sampler",
                "both",
                "a sampler sets the order itself; drop shuffle=True.",
            )
        if batch_sampler is not None and (
            batch_size != 1 or shuffle or sampler is not None or drop_last
        ):
            fail_value(
                "DataLoader",
                "batch_sampler alone, without batch_size, shuffle, sampler or drop_last",
                "batch_sampler with one of them",
                "the batch sampler makes the batches; set its batch_size and drop_last.",
            )
        if batch_size is not None and (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1
        ):
            fail_value(
                "DataLoader",
                "batch_size >= 1",
                repr(batch_size),
                "or None, for one sample at a time.",
            )
        if not isinstance(drop_last, bool):  # 'a' would read as True, silently losing a batch
            fail_value("DataLoader", "drop_last True or False", repr(drop_last))
        if batch_size is None and drop_last:
            fail_value(
                "DataLoader",
                "drop_last=False with batch_size=None (no batches to drop)",
                "drop_last=True",
            )
        # torch iterates an empty dataset as no batches, but its RandomSampler refuses one
        if shuffle and sampler is None and batch_sampler is None and len(dataset) == 0:
            fail_value(
                "DataLoader", "a dataset with at least one sample to shuffle", "an empty one"
            )
        self.dataset = dataset
        self.batch_size = None if batch_size is None else int(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), drop_last
        self.sampler, self.num_workers, self.pin_memory = sampler, num_workers, pin_memory
        self.batch_sampler = batch_sampler
        if batch_sampler is not None:  # torch reads these as None / False then
            self.batch_size = None
        self.generator = None if generator is None else as_generator(generator)
        self.collate_fn = collate_fn

    def __len__(self) -> int:
        if (
            isinstance(self.dataset, IterableDataset)
            and type(self.dataset).__len__ is Dataset.__len__
        ):
            raise TypeError(f"object of type '{type(self.dataset).__name__}' has no len()")
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.dataset, IterableDataset):
            yield from self._stream()
            return
        if self.batch_sampler is not None:
            yield from self._batches(np.asarray(b, dtype=np.int64) for b in self.batch_sampler)
            return
        if self.sampler is not None:
            order = np.fromiter(iter(self.sampler), dtype=np.int64)
        elif self.shuffle:
            order = as_generator(self.generator).permutation(len(self.dataset))
        else:
            order = np.arange(len(self.dataset))
        n = len(order)
        if self.batch_size is None:  # torch's "auto-collation off": each sample as it comes
            convert = self.collate_fn or _unbatched
            yield from (convert(self.dataset[int(i)]) for i in order)
            return
        size = self.batch_size
        starts = range(0, n - size + 1 if self.drop_last else n, size)
        yield from self._batches(order[start : start + size] for start in starts)

    def _batches(self, index_batches: Iterator[np.ndarray]) -> Iterator[Any]:
        arrays = self._arrays()
        for batch in index_batches:
            if arrays is not None and self.collate_fn is None:
                # Fast path: one fancy-index per array instead of one call per sample.
                yield tuple(Tensor._of(a[batch]) for a in arrays)
            else:
                samples = [self.dataset[int(i)] for i in batch]
                yield (self.collate_fn or default_collate)(samples)

    def _stream(self) -> Iterator[Any]:
        """An IterableDataset's samples in the order it yields them, batch_size at a time."""
        if self.batch_size is None:
            yield from map(self.collate_fn or _unbatched, self.dataset)
            return
        batch: list = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield (self.collate_fn or default_collate)(batch)
                batch = []
        if batch and not self.drop_last:
            yield (self.collate_fn or default_collate)(batch)

    def _arrays(self) -> tuple | None:
        """The arrays behind a TensorDataset (or a Subset of one), seen through the subset's indices."""
        if isinstance(self.dataset, TensorDataset):
            return self.dataset.arrays
        if isinstance(self.dataset, Subset) and isinstance(self.dataset.dataset, TensorDataset):
            return tuple(a[self.dataset.indices] for a in self.dataset.dataset.arrays)
        return None
