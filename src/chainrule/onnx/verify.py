"""The exported graph checked on a second input, with the dynamic axes grown by one.

A trace records ops, not Python: a comparison, argmax or a size read from the example lands
in the graph as a constant, right for the example and wrong for any other input. Running the
graph and the model on a reshuffled, longer input finds such a constant before a user does.
Skipped when onnxruntime is not installed, or when the model itself refuses the new input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ExportError


def check_second_input(
    proto: Any, model: Any, examples: list, names: list[str], axes: dict[str, dict[int, str]]
) -> None:
    try:
        import onnxruntime
    except ImportError:
        return
    from .. import no_grad, tensor
    from .trace import leaves

    rng = np.random.default_rng(0)
    second = [_grown(_shuffled(e, rng), axes.get(n, {})) for n, e in zip(names, examples)]
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        with no_grad():
            expected = [t.detach().numpy() for t in leaves(model(*[tensor(a) for a in second]))]
    except Exception:  # noqa: BLE001  (the model's own limits: nothing to compare against)
        return
    finally:
        for module, mode in modes.items():
            object.__setattr__(module, "training", mode)
    session = onnxruntime.InferenceSession(
        proto.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    feed = dict(zip(names, second))
    grown = [f"{n}{tuple(a.shape)}" for n, a in zip(names, second)]
    try:
        produced = session.run(None, feed)
    except Exception as error:  # noqa: BLE001  (onnxruntime raises its own types)
        raise _differs(f"an error on inputs {', '.join(grown)}: {error}") from None
    for index, (got, want) in enumerate(zip(produced, expected)):
        scale = max(1.0, float(np.nanmax(np.abs(want), initial=0.0))) if want.size else 1.0
        if got.shape != want.shape or not np.allclose(
            got, want, rtol=1e-3, atol=1e-4 * scale, equal_nan=True
        ):
            raise _differs(
                f"output {index} of shape {got.shape} where the model gives {want.shape}, "
                f"values apart by up to {_gap(got, want)}, on inputs {', '.join(grown)}"
            )


def _shuffled(array: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    flat = array.reshape(-1).copy()
    rng.shuffle(flat)
    return flat.reshape(array.shape)


def _grown(array: np.ndarray, named: dict[int, str]) -> np.ndarray:
    """One more slice on each named axis (a copy of the first), so frozen sizes show."""
    for axis in sorted({a % array.ndim for a in named}):
        first = np.take(array, [0], axis=axis) if array.shape[axis] else None
        if first is not None:
            array = np.concatenate([array, first], axis=axis)
    return array


def _gap(got: np.ndarray, want: np.ndarray) -> str:
    if got.shape != want.shape:
        return "(shapes differ)"
    return f"{float(np.nanmax(np.abs(got.astype(np.float64) - want), initial=0.0)):.3g}"


def _differs(what: str) -> ExportError:
    return ExportError(
        f"onnx.export: expected the ONNX graph to match the model on a second input, got {what}.\n"
        "Hint: the forward computes something outside chainrule's ops (a comparison, argmax, a "
        "mask or a size read in Python), which a trace freezes to the example's value; build it "
        "from tensor ops, or keep it outside the exported model."
    )
