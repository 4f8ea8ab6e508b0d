"""The exceptions chainrule raises: each one subclasses the built-in a user would expect."""


class ChainruleError(Exception):
    """Base class of every error chainrule raises on purpose."""


class ShapeError(ChainruleError, ValueError, RuntimeError):
    """An array had the wrong shape for the op or layer it was given to.

    Also a RuntimeError, which is what torch raises for a shape mismatch, so a torch program's
    ``except RuntimeError`` catches it too."""


class ArgumentError(ChainruleError, ValueError, RuntimeError):
    """A value outside what the op or layer accepts (a stride of 0, a probability above 1).

    torch raises ValueError for some of these and RuntimeError for most (those checked inside
    its kernels), so this is both: either ``except`` a torch program has still catches it."""


class DTypeError(ChainruleError, TypeError, RuntimeError):
    """An array had the wrong dtype, or float32 and float64 were mixed (a RuntimeError too, as
    torch's dtype mismatches are)."""


class NoKernelError(DTypeError, NotImplementedError):
    """A dtype torch has no kernel for (softmax of integers): torch raises NotImplementedError,
    so ``except NotImplementedError`` in a torch program catches this too."""


class UnsupportedError(ArgumentError, NotImplementedError):
    """An argument combination torch has no implementation for (per_sample_weights with
    mode='mean'): torch raises NotImplementedError, so its ``except`` catches this too."""


class LinAlgError(ArgumentError):
    """A matrix a decomposition or solve cannot take (not positive-definite, singular): torch
    raises torch.linalg.LinAlgError, which GP code catches to retry with more jitter, so
    chainrule.linalg.LinAlgError is this class."""


class ArgumentAssertionError(ArgumentError, AssertionError):
    """A bad constructor argument that torch rejects with an ``assert`` (nn.Hardtanh(1, -1)):
    a torch program's ``except AssertionError`` still catches it; and it is raised explicitly,
    so ``python -O`` keeps it."""


class ArgumentTypeError(ArgumentError, TypeError):
    """A size, count or hyperparameter that is not a number of the right kind (nn.Linear(2.5,
    3), optim.SGD(params, lr="a")): torch raises TypeError for these; this is also the
    ArgumentError chainrule raised before."""


class MaskDTypeError(DTypeError, AssertionError):
    """An attention mask of a dtype MultiheadAttention cannot take (int64): torch asserts it,
    so this is an AssertionError too, and stays the DTypeError chainrule raised before."""


class WeightDTypeError(DTypeError, ValueError):
    """An input whose dtype differs from the layer's weights where torch checks it in Python
    and raises ValueError (nn.LSTM given float64 or int64): both classes."""


class DimError(ShapeError, IndexError):
    """A dim argument was outside the tensor's axes (an IndexError in torch, so both are caught)."""


class ShapeAssertionError(ShapeError, AssertionError):
    """A size mismatch torch checks with ``assert`` (TensorDataset's), caught as either."""


class IndexRangeError(ArgumentError, ShapeError, IndexError):
    """An index value outside the axis it indexes (take, put, index_add, index_copy): torch
    raises IndexError for these and RuntimeError for scatter's, so this is both, and stays the
    ArgumentError or ShapeError these ops raised before."""


class MissingNameError(ArgumentError, AttributeError, KeyError):
    """A module has no parameter by the name given (weight_norm(m, name="nope")): torch raises
    AttributeError from weight_norm and KeyError from spectral_norm, so this is both."""


class NotATensorError(ChainruleError, TypeError, AttributeError):
    """A Python list, number or None was given where an op or layer takes a Tensor.

    torch raises TypeError from its functional ops and AttributeError from layers that call a
    method on their input first; this is both, so either ``except`` still catches it."""


class GraphError(ChainruleError, RuntimeError):
    """The autograd graph was used in a way it cannot support (a freed graph, a non-scalar root)."""


class CheckpointError(ChainruleError, ValueError, RuntimeError):
    """A checkpoint file is missing, damaged, foreign, or does not fit the model.

    Also a RuntimeError: torch.load raises one for a damaged archive, torch.save for a path it
    cannot write, so a torch program's ``except RuntimeError`` still catches these."""


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """No file at the path given to load: torch raises FileNotFoundError (an OSError)."""


class CheckpointIsADirectoryError(CheckpointError, IsADirectoryError):
    """load was given a folder: torch raises IsADirectoryError (an OSError)."""


class AnomalyError(ChainruleError, FloatingPointError):
    """detect_anomaly() found NaN or Inf coming out of a Function."""


class StateDictError(ChainruleError, RuntimeError):
    """load_state_dict found missing, unexpected or wrongly shaped entries."""


class ExportError(ChainruleError, RuntimeError):
    """chainrule.onnx.export met a module (or a module setting) it has no ONNX converter for."""
