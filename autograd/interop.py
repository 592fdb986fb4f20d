"""numpy interoperability: numpy's functions called on Tensors run the library's ops.

``np.float64(2) * t``, ``array + t`` and ``np.exp(t)`` (ufuncs, through ``__array_ufunc__``)
and ``np.sum(t)``, ``np.reshape(t, ...)`` (every other function, through
``__array_function__``) all give Tensors that carry gradients. A numpy function the library
does not differentiate raises a TypeError that says how to get a plain array: nothing returns a
plain array in silence, which would drop the gradient.

The tables are filled by :mod:`autograd.binding`, the one place that binds names to ops.

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
>>> np.sum(y).backward()
>>> t.grad
Tensor([2.71828183, 7.3890561 ])
>>> np.spacing(t)
Traceback (most recent call last):
    ...
TypeError: numpy's spacing is not differentiated by autograd: use the library's function of
that name, or np.asarray(tensor) for a plain array without gradient
"""
import inspect
import sys

import numpy as np

# ufunc -> what it is on Tensors: a Function (its apply, looked up at each call, since
# detect_anomaly swaps it) or a function taking the operands
UFUNCS = {}
# numpy function (not a ufunc) -> the library's function of that name, called with numpy's
# arguments as given
FUNCTIONS = {}
# numpy functions whose result carries no gradient (shapes, booleans, indices): they run on the
# tensors' arrays
CONSTANT_RESULTS = set()
# scipy.special's ufunc names -> ag.special's functions: scipy.special.erf(t) on a Tensor runs
# ag.special.erf (looked up by the ufunc's name, and only if it is scipy's own ufunc, so that
# importing autograd never imports scipy)
SCIPY_UFUNCS = {}


def _scipy_ufunc(ufunc):
    fn = SCIPY_UFUNCS.get(getattr(ufunc, "__name__", None))
    special = sys.modules.get("scipy.special")
    if fn is not None and special is not None and \
            getattr(special, ufunc.__name__, None) is ufunc:
        return fn
    return None


def operator_functions():
    """The ufuncs that are one Function's apply: ufunc -> that Function (the compiled
    __array_ufunc__ applies it at once, see autograd/csrc/methods.c)."""
    return {u: fn for u, fn in UFUNCS.items() if isinstance(fn, type)}


def _not_differentiated(what, extra=""):
    return TypeError(
        f"numpy's {what} is not differentiated by autograd{extra}: use the library's function "
        f"of that name, or np.asarray(tensor) for a plain array without gradient")


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
        Its keyword arguments: those the library's function takes (``dtype=``), for the
        ufuncs that are a function rather than one Function's apply.

    Returns
    -------
    Tensor
        The op's result, recorded in the graph.

    Raises
    ------
    TypeError
        For a ufunc the library does not differentiate, a ufunc method other than a plain
        call, or keyword arguments its function does not take (such as ``out=``).
    """
    fn = UFUNCS.get(ufunc) or _scipy_ufunc(ufunc)
    if fn is None or method != "__call__" or (kwargs and isinstance(fn, type)):
        what = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise _not_differentiated(
            what, f" (with keyword arguments {', '.join(kwargs)})" if kwargs else "")
    if isinstance(fn, type):
        return fn.apply(*inputs)
    if kwargs:          # the library's function takes numpy's dtype= (and refuses out=)
        _bind(ufunc, fn, inputs, kwargs)
    return fn(*inputs, **kwargs)


def _numpy_name(func):
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__name__", repr(func))
    return f"linalg.{name}" if module.endswith("linalg") else name


_SIGNATURES = {}


def _bind(func, impl, args, kwargs):
    """Raise a TypeError naming numpy's function if ``impl`` does not take these arguments
    (numpy's ``out=``, ``dtype=`` where the library's function has none)."""
    sig = _SIGNATURES.get(impl)
    if sig is None:
        sig = _SIGNATURES[impl] = inspect.signature(impl)
    try:
        sig.bind(*args, **kwargs)
    except TypeError as e:
        name = _numpy_name(func)
        raise TypeError(f"np.{name} on a Tensor runs autograd's {impl.__name__}{sig}, which "
                        f"does not take these arguments ({e}); pass np.asarray(tensor) for a "
                        f"plain array without gradient") from None


def _arrays(x):
    from .tensor import Tensor
    if isinstance(x, Tensor):
        return x._data
    if isinstance(x, (list, tuple)):
        return type(x)(_arrays(v) for v in x)
    return x


def array_function(func, types, args, kwargs):
    """``Tensor.__array_function__``: a numpy function (not a ufunc) called with a Tensor among
    its arguments, run as the library's function of that name.

    Parameters
    ----------
    func : callable
        The numpy function (``np.sum``, ``np.linalg.inv``...).
    types : collection of type
        The types of the arguments that implement ``__array_function__``.
    args : tuple
        Its positional arguments, as given.
    kwargs : dict
        Its keyword arguments, as given.

    Returns
    -------
    Tensor or object
        The library's result, recorded in the graph; for functions whose result carries no
        gradient (``np.shape``, ``np.allclose``...), numpy's result on the tensors' arrays.

    Raises
    ------
    TypeError
        For a numpy function the library does not differentiate, or arguments (``out=``...)
        its function does not take.
    """
    from .tensor import Tensor
    if not all(issubclass(t, (Tensor, np.ndarray)) for t in types):
        return NotImplemented
    impl = FUNCTIONS.get(func)
    if impl is None:
        if func in CONSTANT_RESULTS:
            return func(*_arrays(args), **{k: _arrays(v) for k, v in kwargs.items()})
        raise _not_differentiated(_numpy_name(func))
    _bind(func, impl, args, kwargs)
    return impl(*args, **kwargs)
