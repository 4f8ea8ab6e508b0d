"""``chainrule export``: a checkpoint of ``chainrule train`` as ONNX and/or bare safetensors weights."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .. import io, no_grad, tensor
from .arguments import integer
from .usage import UsageError


def add_parser(commands) -> None:
    p = commands.add_parser(
        "export",
        help="write a trained model as ONNX or as safetensors weights for PyTorch",
        description="Rebuild the model of a `chainrule train` checkpoint and export it.",
    )
    p.add_argument(
        "checkpoint",
        type=Path,
        help="a checkpoint written by chainrule train (.npz or .safetensors)",
    )
    p.add_argument("--onnx", type=Path, help="ONNX file to write (batch axis dynamic)")
    p.add_argument(
        "--safetensors", type=Path, help="safetensors file to write with the model's weights only"
    )
    p.add_argument("--opset", type=integer, default=17, help="ONNX opset version (default 17)")
    p.add_argument("--dataset", help="override the data set path stored in the checkpoint")
    p.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    from .run_checks import _run_state
    from .train import prepare

    if args.onnx is None and args.safetensors is None:
        raise UsageError(
            "chainrule export: expected --onnx PATH or --safetensors PATH, got neither"
        )
    # the same header checks as --resume: a crafted config fails here, not deep in prepare()
    state = _run_state(io.load(args.checkpoint), args.checkpoint, "chainrule export")
    config = dict(state["config"])
    if args.dataset:
        config["dataset"] = args.dataset
    _check_outputs(args, config["dataset"])
    split, _, _, model, _ = prepare(config)  # the data give the input width and the example batch
    model.load_state_dict(state["model"])
    model.eval()
    if args.safetensors is not None:
        io.save(model.state_dict(), args.safetensors, format="safetensors")
        print(
            f"wrote {args.safetensors}: {len(model.state_dict())} tensors, torch's names and layouts"
        )
    if args.onnx is not None:
        from .. import onnx as chainrule_onnx

        example = np.asarray(split.X_test[:4])
        chainrule_onnx.export(
            model,
            tensor(example),
            args.onnx,
            input_names=["input"],
            output_names=["output"],
            opset_version=args.opset,
            dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        )
        print(
            f"wrote {args.onnx}: opset {args.opset}, input (batch, {example.shape[1]}) {example.dtype}"
        )
        print(_check_with_runtime(model, args.onnx, np.asarray(split.X_test)))
    return 0


def _check_outputs(args: argparse.Namespace, dataset: str) -> None:
    """Refuse, before any work, an output that is a special file or would overwrite an input."""
    from .paths import input_files

    inputs = input_files(dataset, args.checkpoint)
    if (
        args.onnx is not None
        and args.safetensors is not None
        and io.same_file(args.onnx, args.safetensors)
    ):
        raise UsageError(
            f"chainrule export: expected different paths for --onnx and --safetensors, "
            f"got {args.onnx} for both"
        )
    for flag, out in (("--onnx", args.onnx), ("--safetensors", args.safetensors)):
        if out is not None:
            io.check_writable(out, f"chainrule export: {flag}", inputs)


def _check_with_runtime(model, path: Path, inputs: np.ndarray) -> str:
    """Run the test split through onnxruntime, when it is installed, and report the largest difference."""
    try:
        import onnxruntime
    except ImportError:
        return "onnxruntime is not installed: the file was checked with onnx.checker only"
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    produced = session.run(None, {"input": inputs})[0]
    with no_grad():
        expected = model(tensor(inputs)).detach().numpy()
    gap = float(np.max(np.abs(produced - expected))) if expected.size else 0.0
    return f"onnxruntime on the {len(inputs)} test samples: largest difference from chainrule {gap:.3g}"
