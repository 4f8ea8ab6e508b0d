"""nn.parallel.DistributedDataParallel in a world of one process: the wrapper, its arguments
and its checks as torch has them on the CPU, with nothing to synchronise.

With one rank, DDP's averaged gradient is the gradient itself (a sum over one rank divided by
a world size of 1), so training through the wrapper is bit-for-bit training the module; what
a script can observe of DDP (``.module``, ``no_sync()``, the ``module.`` prefix on its
state_dict keys, the errors) is torch's."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator

from ..._checks import message
from ...distributed.process_group import ProcessGroup, _default_group
from ...errors import ArgumentError
from ..module import Module


class DistributedDataParallel(Module):
    """Wraps ``module``; ``forward`` is the module's own. Needs ``init_process_group`` first.

    >>> import chainrule as cr
    >>> cr.distributed.init_process_group("gloo", rank=0, world_size=1)
    >>> ddp = cr.nn.parallel.DistributedDataParallel(cr.nn.Linear(2, 1))
    >>> list(ddp.state_dict())
    ['module.weight', 'module.bias']
    >>> cr.distributed.destroy_process_group()
    """

    def __init__(
        self,
        module: Module,
        device_ids: list | None = None,
        output_device: Any = None,
        dim: int = 0,
        broadcast_buffers: bool = True,
        init_sync: bool = True,
        process_group: ProcessGroup | None = None,
        bucket_cap_mb: float | None = None,
        find_unused_parameters: bool = False,
        check_reduction: bool = False,
        gradient_as_bucket_view: bool = False,
        static_graph: bool = False,
        delay_all_reduce_named_params: Any = None,
        param_to_hook_all_reduce: Any = None,
        mixed_precision: Any = None,
        device_mesh: Any = None,
        skip_all_reduce_unused_params: bool = False,
    ) -> None:
        super().__init__()
        who = "DistributedDataParallel"
        group = process_group if process_group is not None else _default_group(who)
        ignored = set(getattr(module, "_ddp_params_and_buffers_to_ignore", ()))
        params = [p for n, p in module.named_parameters() if n not in ignored]
        if not any(p.requires_grad for p in params) and not delay_all_reduce_named_params:
            # torch's RuntimeError, with torch's reason
            raise ArgumentError(
                message(
                    who,
                    "a module with a parameter that requires a gradient",
                    "none (DistributedDataParallel is not needed when a module doesn't have "
                    "any parameter that requires a gradient)",
                )
            )
        if device_ids is not None and len(device_ids) > 1:
            raise ArgumentError(
                message(who, "device_ids None or of a single element", f"{list(device_ids)}")
            )
        if device_ids or output_device:  # torch tests truthiness: output_device=0 passes
            # every chainrule tensor lives on the CPU, where torch refuses device ids
            raise ArgumentError(
                message(
                    who,
                    "device_ids=None and output_device=None for a CPU module",
                    f"device_ids {device_ids}, output_device {output_device}",
                    "drop device_ids and output_device: chainrule runs on the CPU.",
                )
            )
        self.module = module
        self.process_group, self.device_ids, self.output_device, self.dim = group, None, None, dim
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.static_graph = static_graph
        self.parameters_to_ignore = ignored
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        self._comm_hook: tuple[Any, Callable] | None = None

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Accumulate gradients without synchronising them (torch's flag, restored on exit)."""
        before = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = before

    @contextlib.contextmanager
    def join(
        self,
        divide_by_initial_world_size: bool = True,
        enable: bool = True,
        throw_on_early_termination: bool = False,
    ) -> Iterator[None]:
        """Uneven inputs across ranks cannot happen with one rank: a plain context."""
        yield

    def register_comm_hook(self, state: Any, hook: Callable) -> None:
        """Kept, not called: there is no gradient bucket to send to another rank."""
        self._comm_hook = (state, hook)

    def _set_static_graph(self) -> None:
        self.static_graph = True
