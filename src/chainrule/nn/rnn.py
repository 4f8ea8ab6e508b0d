"""RNN, LSTM and GRU: stacked, optionally bidirectional recurrences over a whole sequence.

Composed from the cell steps in nn/rnn_cell.py (linear, sigmoid, tanh, chunk, stack, cat), so
autograd needs nothing new. Parameter names, shapes, order and init are torch's, so a
state_dict moves between the two libraries. The input projection of every time step is one
matmul before the loop; only the hidden-to-hidden product runs per step.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_probability, check_tensor, fail_count, fail_shape, fail_value, message
from ..errors import WeightDTypeError
from ..autograd.factories import as_tensor
from ..device import check_device
from ..dtypes import resolve_float
from ..random import SeedLike, as_generator
from .module import Module
from .parameter import Parameter
from .rnn_cell import GATES, check_sizes, gru_step, lstm_step, reset_uniform, rnn_step


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters per layer and direction, and the time loop."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        who = "RNN" if mode.startswith("RNN") else mode
        check_sizes(who, input_size, hidden_size)
        if isinstance(num_layers, bool) or not isinstance(num_layers, (int, np.integer)):
            fail_count(who, "num_layers a whole number >= 1", num_layers)
        if num_layers < 1:
            fail_value(who, "num_layers a whole number >= 1", repr(num_layers))
        check_probability(who, "dropout", dropout)
        if dropout and num_layers == 1:  # torch warns the same: nothing follows the last layer
            warnings.warn(
                f"{who}: dropout={dropout} acts between layers only, so with num_layers=1 it "
                "does nothing; use num_layers > 1 or an nn.Dropout on the output.",
                UserWarning,
                stacklevel=3,
            )
        if proj_size:
            fail_value(
                who,
                "proj_size=0 (projected LSTMs are not supported)",
                f"proj_size={proj_size!r}",
                "add an nn.Linear after the LSTM to project its outputs.",
            )
        check_device(device, who)
        dtype = resolve_float(dtype, who)
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, 0
        self.generator = None if generator is None else as_generator(generator)
        rows = GATES[mode] * hidden_size
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            layer_in = input_size if layer == 0 else hidden_size * directions
            for suffix in ("", "_reverse")[:directions]:
                shapes = {"weight_ih": (rows, layer_in), "weight_hh": (rows, hidden_size)}
                if bias:
                    shapes.update(bias_ih=(rows,), bias_hh=(rows,))
                for name, shape in shapes.items():
                    param = Parameter(np.empty(shape, dtype=dtype))
                    setattr(self, f"{name}_l{layer}{suffix}", param)
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        reset_uniform(self, self.hidden_size, generator)

    def _who(self) -> str:
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size})"

    def _weights(self, layer: int, suffix: str) -> tuple:
        get = self._parameters.get
        return tuple(
            get(f"{n}_l{layer}{suffix}") for n in ("weight_ih", "bias_ih", "weight_hh", "bias_hh")
        )

    def _check_input(self, input: Any) -> tuple:  # noqa: A002
        if type(input).__name__ == "PackedSequence":
            fail_value(self._who(), "a Tensor", "a PackedSequence", "pad the batch instead.")
        check_tensor(self._who(), input)
        x = as_tensor(input)
        if x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
            fail_shape(
                self._who(),
                f"input of shape {layout} or (L, H_in) with H_in={self.input_size}",
                str(tuple(x.shape)),
            )
        weight = self.weight_ih_l0
        if x.dtype != weight.dtype:  # torch checks this before any product, a ValueError
            raise WeightDTypeError(
                message(
                    self._who(),
                    f"input of the weights' dtype {weight.dtype}",
                    f"dtype {x.dtype}",
                    f"convert the input (input.to({weight.dtype})) or the model.",
                )
            )
        batched = x.ndim == 3
        if not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        return x, batched

    def _initial(self, hx: Any, x: Any, batched: bool) -> Any:
        """torch's (num_layers * num_directions, N, hidden) states; zeros when none are given."""
        want = (self.num_layers * (2 if self.bidirectional else 1), x.shape[1], self.hidden_size)
        if hx is None:
            return x.new_zeros(want)
        state = as_tensor(hx)
        given = tuple(state.shape)
        if given != (want if batched else (want[0], want[2])):
            expect = want if batched else (want[0], want[2])
            fail_shape(self._who(), f"hidden state of shape {expect}", str(given))
        return state if batched else state.unsqueeze(1)

    def _run(self, x: Any, states: tuple) -> tuple:
        """Loop over layers, directions and time; states holds one (D*L, N, H) tensor per kind."""
        finals: list[list] = [[] for _ in states]
        directions = ("", "_reverse") if self.bidirectional else ("",)
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(directions):
                w_ih, b_ih, w_hh, b_hh = self._weights(layer, suffix)
                x_proj = F.linear(x, w_ih, b_ih)
                index = layer * len(directions) + d
                state = tuple(s[index] for s in states)
                steps = range(x.shape[0] - 1, -1, -1) if suffix else range(x.shape[0])
                hs = [None] * x.shape[0]
                for t in steps:
                    state = self._step(x_proj[t], state, w_hh, b_hh)
                    hs[t] = state[0]
                outputs.append(F.stack(hs, 0))
                for kind, value in enumerate(state):
                    finals[kind].append(value)
            x = outputs[0] if len(outputs) == 1 else F.cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True, generator=self.generator)
        return x, tuple(F.stack(f, 0) for f in finals)

    def _step(self, x_proj: Any, state: tuple, w_hh: Any, b_hh: Any) -> tuple:
        if self.mode == "LSTM":
            return lstm_step(x_proj, state, w_hh, b_hh)
        if self.mode == "GRU":
            return (gru_step(x_proj, state[0], w_hh, b_hh),)
        return (rnn_step(self.mode, x_proj, state[0], w_hh, b_hh),)

    def _forward(self, input: Any, hx: tuple) -> tuple:  # noqa: A002
        x, batched = self._check_input(input)
        states = tuple(self._initial(h, x, batched) for h in hx)
        output, finals = self._run(x, states)
        if not batched:
            return output.squeeze(1), tuple(f.squeeze(1) for f in finals)
        return (output.transpose(0, 1) if self.batch_first else output), finals

    def flatten_parameters(self) -> None:
        """cuDNN packs the weights into one buffer; NumPy has no such buffer, so nothing to do."""

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        defaults = (("num_layers", 1), ("bias", True), ("batch_first", False))
        defaults += (("dropout", 0.0), ("bidirectional", False))
        for name, default in defaults:
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu), per layer.

    Shapes: (L, N, H_in) -> output (L, N, D*H_out), h_n (D*num_layers, N, H_out);
    batch_first=True puts N first in input and output (not in h_n), as torch.

    >>> import chainrule as cr
    >>> out, h_n = cr.nn.RNN(3, 4, num_layers=2, generator=0)(cr.ones(5, 2, 3))
    >>> tuple(out.shape), tuple(h_n.shape)
    ((5, 2, 4), (2, 2, 4))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            fail_value("RNN", "nonlinearity 'tanh' or 'relu'", repr(nonlinearity))
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(
            mode, input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, device, dtype, generator,
        )  # fmt: skip
        self.nonlinearity = nonlinearity

    def forward(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        output, (h_n,) = self._forward(input, (hx,))
        return output, h_n


class LSTM(RNNBase):
    """Long short-term memory; returns output, (h_n, c_n). Gate rows in torch's order i, f, g, o.

    >>> import chainrule as cr
    >>> out, (h_n, c_n) = cr.nn.LSTM(3, 4, batch_first=True, generator=0)(cr.ones(2, 5, 3))
    >>> tuple(out.shape), tuple(c_n.shape)
    ((2, 5, 4), (1, 2, 4))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__(
            "LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, proj_size, device, dtype, generator,
        )  # fmt: skip

    def forward(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            fail_value(self._who(), "hx as a tuple (h_0, c_0)", type(hx).__name__)
        output, (h_n, c_n) = self._forward(input, (None, None) if hx is None else tuple(hx))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit; returns output, h_n. Gate rows in torch's order r, z, n."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__(
            "GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, device, dtype, generator,
        )  # fmt: skip

    def forward(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        output, (h_n,) = self._forward(input, (hx,))
        return output, h_n
