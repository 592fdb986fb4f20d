"""Loading the compiled loops (autograd/csrc/, the module ``_fast``), moved here unchanged from
engine.py, which imports ``_fast`` and ``compiled`` (and these functions) back from this module.
"""
import numpy as np

from .mode import _mode, compiled_wanted
from . import function as _function
from .function import _FREED
from . import inplace as _inplace
from . import interop as _interop
from .inplace import check_saved, clock
from .tensor import Tensor
from .engine import _ONE, _add, _arity_error, _fill_missing, _name_the_rule, _unbroadcast


def _load_compiled():
    """The compiled hot loops (autograd/csrc/, the module _fast): ``Function.apply`` for one to
    three inputs and the plain backward pass, as the Python code here and in function.py does
    them, calling back into it for everything unusual. None if it was not built (no C compiler
    at install time) or if the environment variable AUTOGRAD_PURE_PYTHON is set: then the
    Python code does all the work, with the same results."""
    if not compiled_wanted():
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    fn = _function.Function
    apply = classmethod(_fast.apply)
    try:
        _configure(_fast, fn, apply)
    except ImportError as e:        # a numpy whose arrays the build cannot read
        import warnings
        warnings.warn(f"autograd: the compiled loops are off ({e}); the pure-Python engine "
                      f"runs", RuntimeWarning, stacklevel=2)
        return None
    fn.apply = apply
    _function._compiled_dual = _fast.Dual      # before the ops are imported: they make theirs
    _function.grad_times = _fast.grad_times    # and import this (function.py's is the reference)
    for name, (cls, nargs, reflected) in _operator_methods().items():
        setattr(Tensor, name, _fast.OpMethod(cls, Tensor.__dict__[name], nargs, reflected))
    for name, (cls, nargs) in _in_place_methods().items():
        setattr(Tensor, name, _fast.OpMethod(cls, Tensor.__dict__[name], nargs, False, True))
    Tensor.backward = _fast.CMethod(_fast.tensor_backward, Tensor.__dict__["backward"])
    fn.save_for_backward = _fast.CMethod(_fast.save_for_backward,
                                         fn.__dict__["save_for_backward"])
    fn.saved_tensors = property(_fast.saved_get, doc=fn.saved_tensors.__doc__)
    Tensor.data = property(_fast.data_get, _fast.data_set, doc=Tensor.data.__doc__)
    _fast.ufunc_functions.update(_interop.operator_functions())
    Tensor.__array_ufunc__ = _fast.CMethod(_fast.array_ufunc, Tensor.__dict__["__array_ufunc__"])
    return _fast


def _configure(_fast, fn, apply):
    _fast.configure(
        {"Tensor": Tensor, "Function": fn, "python_apply": fn.__dict__["apply"].__func__,
         "RawCtx": _function._RawCtx,
         "mode": _mode, "clock": clock,
         "SELF": _function._SELF, "FREED": _FREED, "next_seq": _function._next_seq,
         "repin": _function._repin, "to_array": _function._to_array, "check_saved": check_saved,
         "name_the_rule": _name_the_rule, "fill_missing": _fill_missing,
         "arity_error": _arity_error, "unbroadcast": _unbroadcast, "add": _add,
         "asarray": np.asarray, "apply": apply, "watch_pinned": _inplace.watch_pinned,
         "backward": Tensor.__dict__["backward"], "ones": _ONE,
         "saved_tensors": fn.__dict__["saved_tensors"].fget,
         "multiply": np.multiply, "bool_dtype": np.dtype(np.bool_),
         "in_place_from": _function._IN_PLACE_FROM,
         "array_ufunc": Tensor.__dict__["__array_ufunc__"], "add_reduce": np.add.reduce},
        {k: Tensor.__dict__[k] for k in Tensor.__slots__ if k != "__weakref__"},
        {k: fn.__dict__[k] for k in fn.__slots__ if k != "__weakref__"})


def _operator_methods():
    """Tensor's methods that are one ``cls.apply`` of their operands, as tensor.py writes them:
    name -> (cls, number of operands with self, whether reflected). The compiled loops put an
    ``_fast.OpMethod`` in place of each (the same call without a Python frame; the Python
    method stays as its ``__wrapped__``)."""
    from .ops import activations as act
    from .ops import elementwise as ew
    from .ops.linalg import MatMul
    table = {}
    for cls, name in ((ew.Add, "add"), (ew.Sub, "sub"), (ew.Mul, "mul"), (ew.Div, "truediv"),
                      (MatMul, "matmul")):
        table[f"__{name}__"] = (cls, 2, False)
        table[f"__r{name}__"] = (cls, 2, True)
    for cls, names in ((ew.Neg, ("__neg__",)), (ew.Abs, ("__abs__", "abs")), (ew.Exp, ("exp",)),
                       (ew.Log, ("log",)), (ew.Sqrt, ("sqrt",)), (act.Tanh, ("tanh",)),
                       (act.Sigmoid, ("sigmoid",)), (act.ReLU, ("relu",))):
        for name in names:
            table[name] = (cls, 1, False)
    return table


def _in_place_methods():
    """Tensor's in-place methods that write into the tensor's own array when nothing else can
    see it (``Tensor._alone``): name -> (the Function that writes, number of operands with
    self). Their OpMethod (``into``) does that case without a Python frame and hands every
    other case to the Python method."""
    from .ops import activations as act
    from .ops import elementwise as ew
    return {"__iadd__": (ew.AddInPlace, 2), "__isub__": (ew.SubInPlace, 2),
            "relu_": (act.ReLUInPlace, 1)}


_fast = _load_compiled()
compiled = _fast is not None    # whether the compiled loops run (see _load_compiled)
