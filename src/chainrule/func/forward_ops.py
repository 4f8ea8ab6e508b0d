"""The ops whose forward mode (a tangent through forward and through backward) is tested
against torch in tests/func/test_func_forward_ops.py.

A Dual loses its tangent silently where an op's NumPy code writes it into a plain array it made
itself (``np.empty``, ``np.asarray``); so forward-mode transforms look at every op the function
recorded and refuse one that is not listed here, rather than return a wrong derivative. An op
joins the list when a test shows its jvp and its hessian equal torch's."""

from __future__ import annotations

from ..autograd_grad import _graph
from ..errors import UnsupportedError

TESTED = frozenset(
    """
    Abs Add Clip Concatenate Cos CrossEntropyLoss CumSum Div ELU Exp Expand GetItem
    LeakyReLU Linear Log LogSoftmax MSELoss MatMul Max Mean Mul Neg Permute Pow PowScalar
    ReLU Reshape RootOfSpread Sigmoid Sin Softmax Softplus Sqrt Stack Sub Sum Tanh Where
    MakeDual Diagonal UnfoldDim
    """.split()
)


def check_ops(outputs: list, who: str) -> None:
    """Refuse a graph holding an op whose forward mode is not tested (see above)."""
    for node in _graph([o for o in outputs if o is not None]):
        ctx = node._ctx
        if ctx is not None and type(ctx).__name__ not in TESTED:
            raise UnsupportedError(
                f"{who}: expected ops with a tested forward mode, got {type(ctx).op_name()} "
                f"({type(ctx).__name__}).\nHint: use reverse mode (vjp, jacrev) for this "
                "function; chainrule.func.forward_ops lists the ops forward mode covers."
            )


def names_in(outputs: list) -> set[str]:
    """The op classes a graph holds (how tests find what a function records)."""
    return {type(n._ctx).__name__ for n in _graph(outputs) if n._ctx is not None}
