"""nn.RNNCellBase: the base torch's RNNCell, LSTMCell and GRUCell share, with its constructor
(``num_chunks`` gate blocks of weights) and ``isinstance`` answers: chainrule's cells share
nn/rnn_cell.py's base, which counts as this one."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..device import check_device
from ..dtypes import resolve_float
from ..random import SeedLike
from .module import Module
from .parameter import Parameter
from .rnn_cell import _CellBase, reset_uniform


class _CellBaseMeta(type):
    """isinstance(nn.LSTMCell(...), nn.RNNCellBase) is True, as in torch."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, _CellBase) or type.__instancecheck__(cls, instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _CellBase) or type.__subclasscheck__(cls, subclass)


class RNNCellBase(Module, metaclass=_CellBaseMeta):
    """weight_ih (num_chunks * hidden, input), weight_hh (num_chunks * hidden, hidden) and the
    two biases, drawn from U(-1/sqrt(hidden), 1/sqrt(hidden)); subclasses write forward."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        who = type(self).__name__
        check_device(device, who)
        dtype = resolve_float(dtype, who)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        rows = num_chunks * hidden_size
        self.weight_ih = Parameter(np.empty((rows, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((rows, hidden_size), dtype=dtype))
        self.bias_ih = Parameter(np.empty(rows, dtype=dtype)) if bias else None
        self.bias_hh = Parameter(np.empty(rows, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        reset_uniform(self, self.hidden_size, generator)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        return text if self.bias else text + ", bias=False"
