"""Reading a notebook-style object: what it is, which attributes are its parameters, what to feed it."""

from __future__ import annotations

import ast
import inspect

import numpy as np

from .reference import REFERENCES, Reference

BATCH = 5  # not 2, so that "sum where a mean is meant" (factor N) never reads as "factor 2"
CLASSES = 3  # a softmax over one class has a gradient of zero everywhere: it could never fail

# what a student's code may raise and check() reports: SystemExit too, since sys.exit() in a
# forward must not end the student's session; KeyboardInterrupt still stops the check
STUDENT_ERRORS = (Exception, SystemExit)
_MISSING = object()


class AttributeRaised(Exception):
    """Reading or writing the student's attribute ``name`` raised something besides AttributeError."""

    def __init__(self, name: str, error: BaseException) -> None:
        super().__init__(name)
        self.name, self.error = name, error


def attr(obj, name: str, default=None):
    """getattr(obj, name, default), but a property or __getattr__ that fails is the student's finding."""
    if name.endswith("]"):  # params["W"]: a parameter kept in a dict
        container, key = split(name)
        found = attr(obj, container)
        return found.get(key, default) if isinstance(found, dict) else default
    try:
        return getattr(obj, name)
    except AttributeError:
        return default
    except STUDENT_ERRORS as error:
        raise AttributeRaised(name, error) from None


def has(obj, name: str) -> bool:
    return attr(obj, name, _MISSING) is not _MISSING


def put(obj, name: str, value) -> None:
    if name.endswith("]"):
        container, key = split(name)
        attr(obj, container)[key] = value
        return
    try:
        setattr(obj, name, value)
    except STUDENT_ERRORS as error:
        raise AttributeRaised(name, error) from None


def state(obj) -> dict:
    """The instance's own attributes: its __dict__ and its __slots__; none for a builtin."""
    names = dict.fromkeys([*getattr(obj, "__dict__", {})])
    for klass in type(obj).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        names.update(dict.fromkeys([slots] if isinstance(slots, str) else slots))
    names.pop("__dict__", None)
    names.pop("__weakref__", None)
    names.update(dict.fromkeys(class_arrays(obj)))
    return {name: value for name in names if (value := attr(obj, name, _MISSING)) is not _MISSING}


def class_arrays(obj) -> list[str]:
    """Arrays set in the class body (theta = np.zeros(...) under class): every instance shares them."""
    if inspect.isclass(obj) or not hasattr(obj, "__dict__"):
        return []
    own = vars(obj)
    return [
        name
        for klass in type(obj).__mro__[:-1]
        for name, value in vars(klass).items()
        if isinstance(value, np.ndarray) and name not in own
    ]


# the notebook's shapes, checked before anything else: a theta of another shape makes every later
# finding (grad_theta, a matmul error) point at code that is right for the shape it was given
PARAM_SHAPES = {"Linear2": {"theta": (1, 2)}, "Linear3": {"theta": (1, 3)}}


def kind_of(obj) -> str:
    """layer (backward(grad)), loss (backward()), forward (no backward) or function."""
    if not has(obj, "forward"):
        if callable(obj):
            return "function"
        raise TypeError(
            f"chainrule.check: expected a layer, a loss or a function, got {type(obj).__name__}."
        )
    backward = attr(obj, "backward")
    if backward is None:
        return "forward"
    if _n_params(backward) >= 1:
        return "layer"
    # backward(self, dout=1) is a loss's only beside forward(x, t): after forward(x) it is a layer's
    layer = argument_names(backward) and _n_params(attr(obj, "forward")) == 1
    return "layer" if layer else "loss"


def takes_targets(function) -> bool:
    if isinstance(function, np.ufunc):  # np.tanh's signature lists out= as a second argument
        return function.nin >= 2
    return _n_params(function) >= 2


def argument_names(function) -> list[str]:
    """The student's own names for the arguments (x, inputs, targets), for the report."""
    try:
        return [p.name for p in inspect.signature(function).parameters.values()]
    except (TypeError, ValueError):
        return []


def required_arguments(function) -> list[str]:
    """The positional arguments a caller must give (self excluded for a bound method)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return []
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in kinds and p.default is inspect.Parameter.empty]


def _n_params(function) -> int:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    # backward(self, dout=1) is a loss's and forward(self, x, train=True) a layer's: count the
    # arguments a caller must give
    return sum(
        1
        for p in signature.parameters.values()
        if p.kind in kinds and p.default is inspect.Parameter.empty
    )


def name_of(obj) -> str:
    try:  # a student's __getattr__ may answer "__name__" with anything, or raise
        name = getattr(obj, "__name__", None)
    except STUDENT_ERRORS:
        name = None
    return name if isinstance(name, str) and name else type(obj).__name__


def reference_for(obj, like: str | None, lang: str = "en") -> Reference | None:
    """``like=`` when given; otherwise the object's own name when it is one of the notebook's."""
    if like is not None:
        if like not in REFERENCES:
            names = sorted(REFERENCES)
            if lang == "ja":
                raise ValueError(
                    f"chainrule.check(like={like!r}): like に指定できるのは {names} の"
                    f"どれかです（{like!r} が渡されました）。"
                )
            raise ValueError(
                f"chainrule.check(like={like!r}): expected one of {names}, got {like!r}."
            )
        return REFERENCES[like]
    reference = REFERENCES.get(name_of(obj))
    # a class named Linear with weight and bias is not section 1.1's a x + b: judge it by itself
    if (
        reference is not None
        and not inspect.isclass(obj)  # a class is judged once built: its attributes are set then
        and not all(has(obj, name) for name in reference.needs)
    ):
        return None
    return reference


def split(name: str) -> tuple[str, object]:
    """'params["W"]' -> ('params', 'W')."""
    at = name.index("[")
    return name[:at], ast.literal_eval(name[at + 1 : -1])


# the spellings a gradient goes by: the notebook's grad_theta, the textbooks' dW, W_grad
GRAD_SPELLINGS = ("grad_{}", "d{}", "d_{}", "{}_grad", "grad{}")


def grad_name(obj, name: str, notebook: bool = False) -> str:
    """Where the student keeps the gradient of ``name``; grad_<name> when no spelling exists yet.

    ``notebook``: only the notebook's grad_<name>, which its own update() and training loop read.
    """
    if notebook:
        return "grad_" + name
    if name.endswith("]"):  # params["W"] has its gradient in grads["W"] (or grad, dparams, ...)
        container, key = split(name)
        for other, value in state(obj).items():
            if other != container and other.startswith(("grad", "d")) and isinstance(value, dict):
                if key in value:
                    return f"{other}[{key!r}]"
        return "grad_" + name
    # dW = None in __init__ and W_grad set by backward: the one that holds something wins
    first = None
    for spelling in GRAD_SPELLINGS:
        value = attr(obj, spelling.format(name), _MISSING)
        if value is not None and value is not _MISSING:
            return spelling.format(name)
        first = first or (spelling.format(name) if value is None else None)
    return first or "grad_" + name


def _entries(obj) -> dict:
    """Attributes, and the float arrays inside dict attributes (params["W"]), by name."""
    found = {}
    for name, value in state(obj).items():
        found[name] = value
        if isinstance(value, dict) and not name.startswith(("grad", "d")):
            for key, entry in value.items():
                if isinstance(key, (str, int)) and isinstance(entry, np.ndarray):
                    if entry.dtype.kind == "f":
                        found[f"{name}[{key!r}]"] = entry
    return found


def arrays(obj, notebook: bool = False) -> list[str]:
    """Attributes that could be parameters: float arrays and plain numbers, not gradients or flags.

    An integer or complex array counts only beside its grad_<name>: then it is a parameter made
    with the wrong dtype (np.array([[1, 2]])), which check() must report, not skip.
    """
    names = []
    entries = _entries(obj)
    # dW beside W is W's gradient, not a parameter of its own
    gradients = {s.format(n) for n in entries for s in GRAD_SPELLINGS}
    for name, value in entries.items():
        if name.startswith("grad") or name in gradients or isinstance(value, bool):
            continue
        if (
            isinstance(value, float)
            # an int is a setting (a stride, a pad) that np.pad and range() need as an int,
            # unless it has a gradient beside it
            or isinstance(value, int)
            and has(obj, grad_name(obj, name, notebook))
            or isinstance(value, np.ndarray)
            and (
                value.dtype.kind == "f"
                or value.dtype.kind in "iuc"
                and has(obj, grad_name(obj, name, notebook))
            )
        ):
            names.append(name)
    return names


def wrong_dtype(value) -> str | None:
    """'param_integer' or 'param_complex' for a parameter gradient descent cannot train as it is."""
    kind = np.asarray(value).dtype.kind if isinstance(value, np.ndarray) else None
    return {"i": "param_integer", "u": "param_integer", "c": "param_complex"}.get(kind)


def parameters(obj, notebook: bool = False) -> list[str]:
    """The notebook's convention: an array attribute ``theta`` is a parameter when ``grad_theta`` exists."""
    return [name for name in arrays(obj, notebook) if has(obj, grad_name(obj, name, notebook))]


def default_inputs(
    obj, reference: Reference | None, params: dict, rng: np.random.Generator, kind: str
) -> list[np.ndarray]:
    """Candidate inputs, most likely first: the reference's shape, else one implied by theta."""
    if reference is not None:
        return [reference.inputs(rng, BATCH)]
    if kind == "loss" or kind == "function" and takes_targets(obj):
        return [x for x, _ in loss_candidates(rng)]
    candidates = []
    for value in params.values():
        if np.ndim(value) == 2:
            width = np.shape(value)[1]
            # theta (1, k) reads k inputs, or k - 1 when the layer adds the column of ones itself;
            # an Affine's W (in, out) reads np.shape(W)[0]
            candidates += [
                rng.standard_normal((BATCH, width)),
                rng.standard_normal((BATCH, width - 1)),
                rng.standard_normal((BATCH, np.shape(value)[0])),
            ]
    for value in params.values():  # BatchNorm's gamma (D,) reads D columns
        if np.ndim(value) == 1 and np.size(value) > 1:
            candidates.append(rng.standard_normal((BATCH, np.size(value))))
    for value in params.values():
        if np.ndim(value) == 4:  # a convolution's W (FN, C, FH, FW) reads (N, C, H, W) images
            side = max(np.shape(value)[2:]) + 2
            candidates.append(rng.standard_normal((2, np.shape(value)[1], side, side)))
        elif np.ndim(value) == 2:  # an Embedding's W (V, D) reads V-ary indices
            indices = rng.integers(0, np.shape(value)[0], size=BATCH)
            indices[-1] = indices[0]  # a repeat: dW[idx] = dout would drop one of its rows
            candidates.append(indices)
    candidates = [x for x in candidates if x.ndim == 1 or x.shape[1] > 0]
    return candidates + [rng.standard_normal((BATCH, 1))]


def loss_candidates(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(inputs, targets) for a loss with no reference, the notebook's (N, 1) first.

    Then (N, C) probabilities with one-hot targets, then (N, C) with integer labels, for a
    softmax cross-entropy, whose gradient over a single class is zero and so proves nothing.
    """
    n, c = BATCH, CLASSES
    labels = np.arange(n) % c  # every class present, so no column of the gradient is trivially zero
    rng.shuffle(labels)
    return [
        (rng.uniform(0.1, 0.9, size=(n, 1)), rng.integers(0, 2, size=(n, 1)).astype(np.float64)),
        (rng.uniform(0.1, 0.9, size=(n, c)), np.eye(c)[labels]),
        (rng.standard_normal((n, c)), labels),
    ]


def default_targets(
    reference: Reference | None, rng: np.random.Generator, n: int, shape: tuple | None = None
) -> np.ndarray:
    """Targets for n rows; for inputs of ``shape`` other than (n, 1), targets of that shape too."""
    if reference is not None and reference.targets is not None:
        targets = reference.targets(rng, n)
    else:
        targets = rng.integers(0, 2, size=(n, 1)).astype(np.float64)
    if shape is not None and targets.shape == (n, 1) and shape != (n, 1) and len(shape) >= 1:
        # inputs=(3, 2) given to a BCELoss: (3, 1) targets would fail for the check's fault
        flat = (
            reference.targets(rng, int(np.prod(shape))) if reference and reference.targets else None
        )
        flat = rng.integers(0, 2, size=(int(np.prod(shape)), 1)) if flat is None else flat
        targets = np.asarray(flat, dtype=np.float64).reshape(shape)
    return targets


def similar_names(found: list[str], name: str) -> list[str]:
    """Attributes that look like the gradient of ``name`` under another spelling (d_theta, theta_grad)."""
    return [other for other in found if name in other and other != name]
