"""The one place that binds Tensor to its operations, run last by ``autograd/__init__.py``.

Every module above it imports in one direction (``tests/test_imports.py`` checks that no
module-level import closes a cycle): ``tensor`` imports no op and no engine, the ops import
``Tensor``, the engine imports no op. Here, with everything imported:

- ``TENSOR_OPS``, the table of what Tensor's methods call by name (``tensor._ops``);
- ``OPERATOR_METHODS`` and ``IN_PLACE_METHODS``, the methods that are one ``cls.apply`` of
  their operands: with the compiled core (``_core.fast``), each becomes an ``OpMethod`` (the
  same call without a Python frame; the Python method stays as its ``__wrapped__``);
- the compiled core's configuration (the callbacks it calls for everything unusual) and the
  rest it takes over: ``Function.apply``, ``Tensor.backward``, ``Tensor.data``, ``ctx``'s
  ``save_for_backward`` and ``saved_tensors``, and numpy's ufuncs on Tensors.
"""
import sys
import sysconfig

import numpy as np

from . import _core
from . import engine
from . import function as _function
from . import inplace as _inplace
from . import interop as _interop
from .mode import _mode
from .ops import activations as _act
from .ops import binary as _binary
from .ops import creation as _creation
from .ops import elementwise as _ew
from .ops import indexing as _indexing
from .ops import layout as _layout
from .ops import linalg as _linalg
from .ops import products as _products
from .ops import reductions as _red
from .ops import scans as _scans
from .ops import shape as _shape
from .ops import sorting as _sorting
from .ops import ufuncs as _ufuncs
from .tensor import _RETAINED, Tensor, _ops

TENSOR_OPS = {
    "Add": _ew.Add, "Sub": _ew.Sub, "Mul": _ew.Mul, "Div": _ew.Div, "Neg": _ew.Neg,
    "Abs": _ew.Abs, "Exp": _ew.Exp, "Log": _ew.Log, "Sqrt": _ew.Sqrt, "power": _ew.power,
    "astype": _ew.astype, "clip": _ew.clip,
    "Tanh": _act.Tanh, "Sigmoid": _act.Sigmoid, "ReLU": _act.ReLU,
    "ReLUInPlace": _act.ReLUInPlace, "zeros_operand": _creation.zeros_operand,
    "MatMul": _linalg.MatMul,
    "Sum": _red.Sum, "Mean": _red.Mean, "Max": _red.Max, "Min": _red.Min,
    "LogSumExp": _red.LogSumExp,
    "GetItem": _shape.GetItem, "SetItem": _shape.SetItem, "plain_index": _shape._plain_index,
    "reshape": _shape.reshape, "transpose": _shape.transpose, "swapaxes": _shape.swapaxes,
    "mod": _binary.mod, "floor_divide": _binary.floor_divide, "round": _ufuncs.round,
    "run_backward": engine.run_backward, "array_ufunc": _interop.array_ufunc,
    "array_function": _interop.array_function,
    # the in-place operators that can write into the tensor's own array (their derivatives
    # need neither input)
    "into": {_ew.Add: _ew.AddInPlace, _ew.Sub: _ew.SubInPlace},
}

# name -> (cls, number of operands with self, whether reflected), as tensor.py writes them
OPERATOR_METHODS = {}
for _cls, _name in ((_ew.Add, "add"), (_ew.Sub, "sub"), (_ew.Mul, "mul"), (_ew.Div, "truediv"),
                    (_linalg.MatMul, "matmul")):
    OPERATOR_METHODS[f"__{_name}__"] = (_cls, 2, False)
    OPERATOR_METHODS[f"__r{_name}__"] = (_cls, 2, True)
for _cls, _names in ((_ew.Neg, ("__neg__",)), (_ew.Abs, ("__abs__", "abs")),
                     (_ew.Exp, ("exp",)), (_ew.Log, ("log",)), (_ew.Sqrt, ("sqrt",)),
                     (_act.Tanh, ("tanh",)), (_act.Sigmoid, ("sigmoid",)),
                     (_act.ReLU, ("relu",))):
    for _name in _names:
        OPERATOR_METHODS[_name] = (_cls, 1, False)

# Tensor's in-place methods that write into the tensor's own array when nothing else can see it
# (``Tensor._alone``): name -> (the Function that writes, number of operands with self). Their
# OpMethod (``into``) does that case without a Python frame and hands every other case to the
# Python method.
IN_PLACE_METHODS = {"__iadd__": (_ew.AddInPlace, 2), "__isub__": (_ew.SubInPlace, 2),
                    "relu_": (_act.ReLUInPlace, 1)}


# numpy's ufuncs on Tensors (__array_ufunc__): ufunc -> a Function (applied to the operands) or
# a function. The comparisons give boolean Tensors with no gradient.
UFUNCS = {
    np.add: _ew.Add, np.subtract: _ew.Sub, np.multiply: _ew.Mul, np.true_divide: _ew.Div,
    np.power: _ew.power, np.negative: _ew.Neg, np.matmul: _linalg.MatMul,
    np.positive: lambda x: x, np.exp: _ew.exp, np.log: _ew.log, np.sqrt: _ew.sqrt,
    np.absolute: _ew.abs, np.fabs: _ew.abs, np.tanh: _act.tanh, np.maximum: _ew.maximum,
    np.minimum: _ew.minimum,
    np.less: lambda x, y: Tensor(x) < y, np.less_equal: lambda x, y: Tensor(x) <= y,
    np.greater: lambda x, y: Tensor(x) > y, np.greater_equal: lambda x, y: Tensor(x) >= y,
    np.equal: lambda x, y: Tensor(x) == y, np.not_equal: lambda x, y: Tensor(x) != y,
}

# numpy's other functions on Tensors (__array_function__): numpy function -> the library's
# function of the same name and signature. The modules of numpy's vocabulary list theirs in
# __all__; a name that is a ufunc in numpy goes to UFUNCS.
FUNCTIONS = {
    np.sum: _red.sum, np.mean: _red.mean, np.max: _red.max, np.amax: _red.max,
    np.min: _red.min, np.amin: _red.min,
    np.reshape: _shape.reshape, np.transpose: _shape.transpose, np.swapaxes: _shape.swapaxes,
    np.broadcast_to: _shape.broadcast_to, np.concatenate: _shape.concatenate,
    np.stack: _shape.stack, np.where: _ew.where, np.clip: _ew.clip,
    np.zeros_like: _creation.zeros_like, np.ones_like: _creation.ones_like,
}
VOCABULARY = (_ufuncs, _binary, _scans, _sorting, _layout, _indexing, _products)
for _module in VOCABULARY:
    for _name in _module.__all__:
        _np = getattr(np, _name, None)
        if isinstance(_np, np.ufunc):
            UFUNCS[_np] = getattr(_module, _name)
        elif _np is not None:
            FUNCTIONS[_np] = getattr(_module, _name)
# np.linalg's functions on Tensors: ag.linalg's of the same name
from . import linalg as _ag_linalg  # noqa: E402  (imports the ops' modules above)
for _name in _ag_linalg.__all__:
    _np = getattr(np.linalg, _name, None)
    if _np is not None:
        FUNCTIONS[_np] = getattr(_ag_linalg, _name)
# scipy.special's ufuncs on Tensors: ag.special's of the same name (psi is digamma's other name)
from . import special as _ag_special  # noqa: E402
SCIPY_UFUNCS = {name: getattr(_ag_special, name) for name in _ag_special.__all__}
if "digamma" in SCIPY_UFUNCS:
    SCIPY_UFUNCS["psi"] = SCIPY_UFUNCS["digamma"]
if hasattr(np, "astype"):      # numpy 2.1
    FUNCTIONS[np.astype] = _ew.astype

# What the page of numpy's vocabulary (docs/vocabulary.py) says of the gradient of a name:
# integer results carry none; these take the zero gradient by convention (a step function's
# derivative almost everywhere).
INTEGER_RESULTS = {"argmax", "argmin", "argsort"}
ZERO_GRADIENT = {"sign", "floor", "ceil", "trunc", "rint", "round", "floor_divide"}

# numpy functions whose result carries no gradient: they run on the tensors' arrays
CONSTANT_RESULTS = {np.shape, np.ndim, np.size, np.allclose, np.isclose, np.array_equal,
                    np.full_like, np.empty_like,
                    np.array_equiv, np.count_nonzero, np.nonzero, np.flatnonzero, np.argwhere,
                    np.any, np.all, np.iscomplexobj, np.isrealobj, np.result_type,
                    np.may_share_memory, np.shares_memory, np.searchsorted}

# ndarray's methods that Tensor takes from the functions of the same name (``t.cumsum(0)`` is
# ``ag.cumsum(t, 0)``): bound where the function exists and Tensor has no method of its own.
METHODS = ("prod", "cumsum", "cumprod", "var", "std", "argmax", "argmin", "argsort", "ravel",
           "flatten", "squeeze", "repeat", "take", "diagonal", "trace", "round", "dot")


def _bind_methods():
    for name in METHODS:
        for module in VOCABULARY:
            if name in module.__all__ and name not in Tensor.__dict__:
                setattr(Tensor, name, getattr(module, name))
    if "matrix_transpose" in _layout.__all__ and "mT" not in Tensor.__dict__:
        Tensor.mT = property(_layout.matrix_transpose,
                             doc="The last two axes swapped (numpy's ``mT``).")


def _configure(fast, fn, apply):
    fast.configure(
        {"Tensor": Tensor, "Function": fn, "python_apply": fn.__dict__["apply"].__func__,
         "RawCtx": _function._RawCtx, "mode": _mode, "clock": _inplace.clock,
         "SELF": _function._SELF, "FREED": _function._FREED, "next_seq": _function._next_seq,
         "repin": _function._repin, "to_array": _function._to_array,
         "check_saved": _inplace.check_saved, "name_the_rule": engine._name_the_rule,
         "fill_missing": engine._fill_missing, "arity_error": engine._arity_error,
         "unbroadcast": engine._unbroadcast, "add": engine._add, "asarray": np.asarray,
         "apply": apply, "watch_pinned": _inplace.watch_pinned,
         "watch_family": _inplace.watch_family, "link": _inplace.link,
         "pin_view": _inplace.pin_view, "retained": _RETAINED,
         "writes_input": tuple(cls for cls, _ in IN_PLACE_METHODS.values()),
         "backward": Tensor.__dict__["backward"], "ones": engine._ONE,
         "saved_tensors": fn.__dict__["saved_tensors"].fget,
         "multiply": np.multiply, "bool_dtype": np.dtype(np.bool_),
         "in_place_from": _function._IN_PLACE_FROM,
         "ownership_proven": _core.OWNERSHIP_PROVEN,
         "array_ufunc": Tensor.__dict__["__array_ufunc__"], "add_reduce": np.add.reduce},
        {k: Tensor.__dict__[k] for k in Tensor.__slots__ if k != "__weakref__"},
        {k: fn.__dict__[k] for k in fn.__slots__ if k != "__weakref__"})


def _install_compiled(fast):
    """The compiled loops in the places the Python code holds (which stays as their reference):
    ``Function.apply`` for one to three inputs, the plain backward pass and the rest, each
    calling back into Python for everything unusual."""
    fn = _function.Function
    apply = classmethod(fast.apply)
    _configure(fast, fn, apply)
    fn.apply = apply
    for name, (cls, nargs, reflected) in OPERATOR_METHODS.items():
        setattr(Tensor, name, fast.OpMethod(cls, Tensor.__dict__[name], nargs, reflected))
    for name, (cls, nargs) in IN_PLACE_METHODS.items():
        setattr(Tensor, name, fast.OpMethod(cls, Tensor.__dict__[name], nargs, False, True))
    Tensor.backward = fast.CMethod(fast.tensor_backward, Tensor.__dict__["backward"])
    fn.save_for_backward = fast.CMethod(fast.save_for_backward,
                                        fn.__dict__["save_for_backward"])
    fn.saved_tensors = property(fast.saved_get, doc=fn.saved_tensors.__doc__)
    Tensor.data = property(fast.data_get, fast.data_set, doc=Tensor.data.__doc__)
    fast.ufunc_functions.update(_interop.operator_functions())
    Tensor.__array_ufunc__ = fast.CMethod(fast.array_ufunc, Tensor.__dict__["__array_ufunc__"])


def _compiled_info():
    """What runs and what is off, and why (``compiled_info``)."""
    fast, why, off = _core.fast, _core.OWNERSHIP_UNPROVEN, {}
    if fast is None:
        off["compiled core"] = ("AUTOGRAD_PURE_PYTHON is set" if not _core.compiled_wanted()
                                else "autograd._fast is not built, or could not be imported")
    proven = fast.ownership_proven() if fast is not None else _core.OWNERSHIP_PROVEN
    if not proven and why is None:
        why = "this build of autograd._fast (REFCOUNTS_PROVABLE is 0)"
    if not proven:
        off["in-place writes"] = why
    if fast is None:
        off["hand-over"] = "the pure-Python engine never hands a gradient over"
    elif not proven:
        off["hand-over"] = why
    threads = " (free-threaded)" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
    return {"compiled": fast is not None,
            "engine": "compiled core" if fast is not None else "pure Python",
            "interpreter": f"{sys.implementation.name} {sys.version.split()[0]}{threads}",
            "in_place_writes": "in-place writes" not in off,
            "hand_over": "hand-over" not in off,
            "off": off}


vars(_ops).update(TENSOR_OPS)
_function._WRITES_INPUT.update(cls for cls, _ in IN_PLACE_METHODS.values())
_interop.UFUNCS.update(UFUNCS)
_interop.FUNCTIONS.update(FUNCTIONS)
_interop.CONSTANT_RESULTS.update(CONSTANT_RESULTS)
_interop.SCIPY_UFUNCS.update(SCIPY_UFUNCS)
_bind_methods()
if _core.fast is not None:
    _install_compiled(_core.fast)
# What runs and what is off, and why: {"compiled": bool, "engine": str, "interpreter": str,
# "in_place_writes": bool (+=, -=, relu_() into the tensor's own array), "hand_over": bool
# (the compiled pass hands a rule its gradient array, function.grad_times), "off": {what: why}}
compiled_info = _compiled_info()
