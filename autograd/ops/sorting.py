"""Order: amax, amin (the library's max and min under numpy's names), sort (stable; a tied
element's gradient follows the permutation), and the arg-functions argmax, argmin, argsort,
whose integer results carry no gradient.
"""
import operator

import numpy as np

from ..function import Function, dual
from .reductions import _AxisError
from .reductions import max as _max, min as _min
from .scans import _NoValue, _constant, _one_axis, _refuse, _tensor

__all__ = ["amax", "amin", "argmax", "argmin", "argsort", "sort"]


class Permute(Function):
    """out = take_along_axis(x, perm, axis), perm a permutation along ``axis``;  the gradient
    is grad_output permuted back by the inverse permutation."""

    @staticmethod
    def forward(ctx, x, perm=None, inverse=None, axis=-1):
        ctx.perm, ctx.inverse, ctx.axis = perm, inverse, axis
        return np.take_along_axis(x, perm, axis)

    @staticmethod
    def backward(ctx, grad_output):
        return _permute(grad_output, perm=ctx.inverse, inverse=ctx.perm, axis=ctx.axis)


class Sort(Permute):
    """out = x sorted along ``axis`` (stably): a :class:`Permute` by the stable argsort, so the
    gradient follows the permutation; tied elements get the gradient of the position the
    stable order gave them."""

    @staticmethod
    def forward(ctx, x, axis=-1):
        perm = np.argsort(x, axis=axis, kind="stable")
        inverse = np.empty_like(perm)       # inverse[perm[i]] = i along axis
        ranks = np.arange(x.shape[axis]).reshape((-1,) + (1,) * (x.ndim - 1 - axis % x.ndim))
        np.put_along_axis(inverse, perm, np.broadcast_to(ranks, perm.shape), axis)
        return Permute.forward(ctx, x, perm, inverse, axis)


_permute = dual(Permute)


# ----------------------------------------------------------------------------- functions
def amax(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=_NoValue):
    """Maximum over ``axis``, as ``np.amax``: :func:`autograd.max` (ties share the gradient);
    ``out``, ``initial`` and ``where`` are not supported (a TypeError).

    Examples
    --------
    >>> import autograd as ag
    >>> ag.amax(ag.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=0)
    Tensor([3., 5.])
    """
    _refuse("amax", out, initial=initial, where=where)
    return _max(_tensor(a, "amax"), axis=axis, keepdims=keepdims)


def amin(a, axis=None, out=None, keepdims=False, initial=_NoValue, where=_NoValue):
    """Minimum over ``axis``, as ``np.amin``: :func:`autograd.min` (ties share the gradient);
    ``out``, ``initial`` and ``where`` are not supported (a TypeError).

    Examples
    --------
    >>> import autograd as ag
    >>> ag.amin(ag.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1, keepdims=True)
    Tensor([[1.],
            [2.]])
    """
    _refuse("amin", out, initial=initial, where=where)
    return _min(_tensor(a, "amin"), axis=axis, keepdims=keepdims)


def _index_result(fn, op, a, axis, out, **kw):
    """numpy's integer result (indices) as a Tensor without gradient, errors naming ``op``."""
    x = _tensor(a, op)
    _refuse(op, out)
    if axis is not None:
        try:
            operator.index(axis)
        except TypeError:
            raise TypeError(f"{op}: axis must be None or an int, got {axis!r}") from None
    try:
        return _constant(fn(x._data, axis=axis, **kw))
    except _AxisError as e:
        raise _AxisError(f"{op}: {e} (a tensor of shape {x.shape})") from None
    except ValueError as e:
        raise ValueError(f"{op}: {e} (a tensor of shape {x.shape})") from None


def argmax(a, axis=None, out=None, *, keepdims=False):
    """Indices of the maxima along ``axis`` (None: of the flattened input), as ``np.argmax``:
    an integer Tensor without gradient.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.argmax(ag.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1)
    Tensor([1, 0], dtype=int64)
    """
    return _index_result(np.argmax, "argmax", a, axis, out, keepdims=keepdims)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """Indices of the minima along ``axis`` (None: of the flattened input), as ``np.argmin``:
    an integer Tensor without gradient.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.argmin(ag.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=0)
    Tensor([0, 1], dtype=int64)
    """
    return _index_result(np.argmin, "argmin", a, axis, out, keepdims=keepdims)


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The indices that sort ``a`` along ``axis`` (None: flattened), as ``np.argsort``, with
    numpy's ``kind``/``stable`` (its default is not stable): an integer Tensor without
    gradient.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.argsort(ag.tensor([3.0, 1.0, 2.0]))
    Tensor([1, 2, 0], dtype=int64)
    """
    return _index_result(np.argsort, "argsort", a, axis, None, kind=kind, order=order,
                         stable=stable)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``a`` sorted along ``axis`` (None: flattened), as ``np.sort``; always a stable sort.

    The gradient follows the permutation of a stable argsort: where entries tie, each keeps
    the gradient of the position the stable order put it in (the first of equal entries takes
    the first of their positions). ``kind``, ``order`` and ``stable`` are checked as numpy
    checks them; the values do not depend on them. Not a Tensor method: numpy's
    ``ndarray.sort`` sorts in place.

    Parameters
    ----------
    a, axis, kind, order, stable
        As ``np.sort`` (a 0-d input takes only ``axis=None``).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([3.0, 1.0, 2.0], requires_grad=True)
    >>> y = ag.sort(x)
    >>> y
    Tensor([1., 2., 3.], grad_fn=<Sort>)
    >>> y.backward(grad=[1.0, 2.0, 3.0])
    >>> x.grad
    Tensor([3., 1., 2.])
    """
    x = _tensor(a, "sort")
    try:            # numpy's checks of kind, order and stable, on one element
        np.sort(np.zeros(1, x.dtype), kind=kind, order=order, stable=stable)
    except ValueError as e:
        raise ValueError(f"sort: {e}") from None
    if axis is None:
        x, axis = x.reshape(-1), 0
    return Sort.apply(x, axis=_one_axis(axis, x.ndim, "sort", x.shape))
