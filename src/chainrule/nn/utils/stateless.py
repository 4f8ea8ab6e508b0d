"""torch.nn.utils.stateless: functional_call, the older name of torch.func.functional_call."""

from ...func.functional_call import functional_call

__all__ = ["functional_call"]
