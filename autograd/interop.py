"""numpy interoperability: numpy ufuncs called on Tensors dispatch to the library's ops.

``np.float64(2) * t``, ``array + t`` and ``np.exp(t)`` all give Tensors that carry gradients.
A ufunc the library does not differentiate raises a TypeError that says how to get a plain array.
"""
import numpy as np


def _table():
    from .ops import activations as act, elementwise as ew, linalg
    from .tensor import Tensor
    return {
        np.add: ew.Add.apply, np.subtract: ew.Sub.apply, np.multiply: ew.Mul.apply,
        np.true_divide: ew.Div.apply, np.power: ew.power, np.negative: ew.Neg.apply,
        np.positive: lambda x: x, np.exp: ew.exp, np.log: ew.log, np.sqrt: ew.sqrt,
        np.absolute: ew.abs, np.tanh: act.tanh, np.maximum: ew.maximum,
        np.minimum: ew.minimum, np.matmul: linalg.matmul,
        np.less: lambda x, y: Tensor(x) < y, np.less_equal: lambda x, y: Tensor(x) <= y,
        np.greater: lambda x, y: Tensor(x) > y, np.greater_equal: lambda x, y: Tensor(x) >= y,
        np.equal: lambda x, y: Tensor(x) == y, np.not_equal: lambda x, y: Tensor(x) != y,
    }


_UFUNCS = None


def array_ufunc(tensor, ufunc, method, inputs, kwargs):
    global _UFUNCS
    if _UFUNCS is None:
        _UFUNCS = _table()
    fn = _UFUNCS.get(ufunc)
    if fn is None or method != "__call__" or kwargs:
        what = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise TypeError(
            f"numpy's {what} is not differentiated by autograd"
            f"{' (with keyword arguments ' + ', '.join(kwargs) + ')' if kwargs else ''}: use "
            f"the library's function of that name, or np.asarray(tensor) for a plain array "
            f"without gradient")
    return fn(*inputs)
