"""numpy interoperability: numpy ufuncs called on Tensors dispatch to the library's ops.

``np.float64(2) * t``, ``array + t`` and ``np.exp(t)`` all give Tensors that carry gradients.
A ufunc the library does not differentiate raises a TypeError that says how to get a plain array.

Examples
--------
>>> import autograd as ag
>>> import numpy as np
>>> t = ag.tensor([1.0, 2.0], requires_grad=True)
>>> np.float64(2) * t
Tensor([2., 4.], grad_fn=<Mul>)
>>> y = np.exp(t)
>>> y
Tensor([2.71828183, 7.3890561 ], grad_fn=<Exp>)
>>> y.sum().backward()
>>> t.grad
Tensor([2.71828183, 7.3890561 ])
>>> np.sin(t)
Traceback (most recent call last):
    ...
TypeError: numpy's sin is not differentiated by autograd: use the library's function of that
name, or np.asarray(tensor) for a plain array without gradient
"""
import numpy as np


def _table():
    """ufunc -> what it is on Tensors: a Function (its apply, looked up at each call, since
    detect_anomaly swaps it) or a function."""
    from .ops import activations as act, elementwise as ew, linalg
    from .tensor import Tensor
    return {
        np.add: ew.Add, np.subtract: ew.Sub, np.multiply: ew.Mul, np.true_divide: ew.Div,
        np.power: ew.power, np.negative: ew.Neg, np.matmul: linalg.MatMul,  # self is a Tensor
        np.positive: lambda x: x, np.exp: ew.exp, np.log: ew.log, np.sqrt: ew.sqrt,
        np.absolute: ew.abs, np.tanh: act.tanh, np.maximum: ew.maximum,
        np.minimum: ew.minimum,
        np.less: lambda x, y: Tensor(x) < y, np.less_equal: lambda x, y: Tensor(x) <= y,
        np.greater: lambda x, y: Tensor(x) > y, np.greater_equal: lambda x, y: Tensor(x) >= y,
        np.equal: lambda x, y: Tensor(x) == y, np.not_equal: lambda x, y: Tensor(x) != y,
    }


_UFUNCS = None


def _ufuncs():
    global _UFUNCS
    if _UFUNCS is None:
        _UFUNCS = _table()
    return _UFUNCS


def operator_functions():
    """The ufuncs that are one Function's apply: ufunc -> that Function (the compiled
    __array_ufunc__ applies it at once, see autograd/csrc/methods.c)."""
    return {u: fn for u, fn in _ufuncs().items() if isinstance(fn, type)}


def array_ufunc(tensor, ufunc, method, inputs, kwargs):
    """``Tensor.__array_ufunc__``: a numpy ufunc called with a Tensor, run as the library's op.

    Parameters
    ----------
    tensor : Tensor
        The Tensor whose ``__array_ufunc__`` numpy called.
    ufunc : numpy.ufunc
        The ufunc.
    method : str
        ``"__call__"`` (the only method supported), ``"reduce"``, ``"at"``...
    inputs : tuple
        The ufunc's operands.
    kwargs : dict
        Its keyword arguments (none are supported).

    Returns
    -------
    Tensor
        The op's result, recorded in the graph.

    Raises
    ------
    TypeError
        For a ufunc the library does not differentiate, a ufunc method other than a plain
        call, or keyword arguments (such as ``out=``).
    """
    fn = _ufuncs().get(ufunc)
    if fn is None or method != "__call__" or kwargs:
        what = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise TypeError(
            f"numpy's {what} is not differentiated by autograd"
            f"{' (with keyword arguments ' + ', '.join(kwargs) + ')' if kwargs else ''}: use "
            f"the library's function of that name, or np.asarray(tensor) for a plain array "
            f"without gradient")
    return fn.apply(*inputs) if isinstance(fn, type) else fn(*inputs)
