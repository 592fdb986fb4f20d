"""Reductions and scans beyond sum and max: prod, cumsum, cumprod, var, std, diff, average
(amax, amin, sort and the arg-functions are in ``sorting.py``).

prod and cumprod never divide by x: their gradients are products of exclusive prefix and suffix
products (a scan), exact where entries are 0, and every backward rule is written with
operations arrays and Tensors share, so that it can be differentiated again.
"""
import math
import operator

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor
from .checks import real_tensor
from .elementwise import astype as _astype
from .reductions import _axis_tuple, _kept_shape
from .reductions import mean as _mean, sum as _sum
from .shape import Concatenate, broadcast_to as _broadcast_to, concatenate as _concatenate

__all__ = ["prod", "cumsum", "cumprod", "var", "std", "diff", "average"]

_NoValue = np._NoValue      # numpy's "not given" default (prepend=, initial=...)


# ----------------------------------------------------------------------------- helpers
def _tensor(a, op):
    """``a`` as a Tensor, refusing complex dtypes (no complex derivatives here)."""
    return real_tensor(a, op, "a")


def _refuse(op, out=None, **given):
    """A TypeError for numpy's arguments that autograd does not take (given: not _NoValue)."""
    if out is not None:
        raise TypeError(f"{op}: out= is not supported: autograd returns a new Tensor")
    for name, value in given.items():
        if value is not _NoValue:
            raise TypeError(f"{op}: {name}= is not supported by autograd")


def _cast_only(dtype, op):
    """Whether ``dtype`` asks for a non-floating result: computed then without gradient."""
    if dtype is None:
        return False
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        raise TypeError(f"{op}: complex dtype {dtype} is not supported")
    return dtype.kind != "f"


def _constant(value):
    return Tensor._make(np.asarray(value))


def _grad_needed(*xs):
    return any(isinstance(x, Tensor) and x.requires_grad for x in xs)


def _one_axis(axis, ndim, op, shape):
    """An int axis, normalized (scans and sort take one axis, not a tuple)."""
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{op}: axis must be None or an int, got {axis!r}") from None
    return _axis_tuple(axis, ndim, op, shape)[0]


def _shift_up(t, d):
    """out[..., k] = t[..., k + d], 0 past the end (last axis; 0 < d < length)."""
    r = raw(t)
    return _concat(t[..., d:], np.zeros(r.shape[:-1] + (d,), r.dtype), axis=-1)


def _shift_down(t, fill):
    """out[..., k] = t[..., k - 1], ``fill`` at k = 0 (last axis): a scan made exclusive."""
    r = raw(t)
    return _concat(np.full(r.shape[:-1] + (1,), fill, r.dtype), t[..., :-1], axis=-1)


def _cumprod_grad(x, g, axis):
    """∂/∂x_k of Σ_i g_i·cumprod(x)_i: P_k·S_k with P_k = Π_{j<k} x_j (an exclusive prefix
    product) and S_k = Σ_{i≥k} g_i Π_{k<j≤i} x_j. S solves S_k = g_k + x_{k+1}·S_{k+1}, a
    linear recurrence, here by a doubling scan: log₂ n steps of products and sums, no division,
    so exact at zeros and differentiable again."""
    x, g = x.swapaxes(axis, -1), g.swapaxes(axis, -1)
    n = raw(x).shape[-1]
    if n == 0:
        return g.swapaxes(axis, -1)
    s, d = g, 1
    b = _shift_up(x, 1) if n > 1 else None     # S_k = s_k + b_k·S_{k+d}, for d = 1, 2, 4...
    while d < n:
        s = s + b * _shift_up(s, d)
        if 2 * d < n:
            b = b * _shift_up(b, d)
        d *= 2
    return (_shift_down(_cumprod(x, axis=-1), 1.0) * s).swapaxes(axis, -1)


# ----------------------------------------------------------------------------- Functions
class Prod(Function):
    """out = Π x over ``axis`` (× ``initial``);  ∂out/∂x_i = Π_{j≠i} x_j, computed as the
    product of the exclusive prefix and suffix products (no division: exact at zeros)."""

    @staticmethod
    def forward(ctx, x, axis=None, dtype=None, keepdims=False, initial=_NoValue):
        axes = _axis_tuple(axis, x.ndim, "prod", x.shape)
        kw = {} if initial is _NoValue else {"initial": initial}
        out = np.prod(x, axis=None if axis is None else axes, dtype=dtype, keepdims=keepdims,
                      **kw)
        ctx.save_for_backward(x)
        ctx.axes = axes
        ctx.initial = None if initial is _NoValue else float(initial)
        return np.asarray(out)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        shape, axes = raw(x).shape, ctx.axes
        if raw(x).size == 0:        # nothing to send a gradient to
            return grad_output.reshape(_kept_shape(shape, axes)) * x
        # the reduced axes moved last and merged into one, scanned both ways
        rest = [k for k in range(len(shape)) if k not in axes]
        lead = tuple(shape[k] for k in rest)
        perm = rest + list(axes)
        xr = x.transpose(perm).reshape(lead + (math.prod(shape[k] for k in axes),))
        prefix = _shift_down(_cumprod(xr, axis=-1), 1.0)
        suffix = _shift_down(_cumprod(xr[..., ::-1], axis=-1), 1.0)[..., ::-1]
        grad = grad_output.reshape(lead + (1,)) * (prefix * suffix)
        if ctx.initial is not None:
            grad = grad * ctx.initial
        return grad.reshape(tuple(shape[k] for k in perm)).transpose(tuple(np.argsort(perm)))


class CumSum(Function):
    """out_i = Σ_{j≤i} x_j along ``axis``;  the gradient is the reversed cumulative sum of the
    reversed grad_output: x_j feeds every out_i with i ≥ j."""

    @staticmethod
    def forward(ctx, x, axis=0, dtype=None):
        ctx.axis = axis
        ctx.rev = (slice(None),) * axis + (slice(None, None, -1),)
        return np.cumsum(x, axis=axis, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return _cumsum(grad_output[ctx.rev], axis=ctx.axis)[ctx.rev]


class CumProd(Function):
    """out_i = Π_{j≤i} x_j along ``axis``;  ∂/∂x_k of Σ g_i out_i = Π_{j<k} x_j ·
    Σ_{i≥k} g_i Π_{k<j≤i} x_j, by a scan without division (see ``_cumprod_grad``)."""

    @staticmethod
    def forward(ctx, x, axis=0, dtype=None):
        ctx.save_for_backward(x)
        ctx.axis = axis
        return np.cumprod(x, axis=axis, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return _cumprod_grad(x, grad_output, ctx.axis)


class Var(Function):
    """out = Σ (x − x̄)² / (n − ddof) over ``axis``;  ∂out/∂x_i = 2 (x_i − x̄) / (n − ddof)
    (the terms through x̄ sum to zero). NaN where n − ddof ≤ 0, as the value."""

    _np = staticmethod(np.var)

    @classmethod
    def forward(cls, ctx, x, axis=None, dtype=None, ddof=0, keepdims=False):
        axes = _axis_tuple(axis, x.ndim, cls._np.__name__, x.shape)
        out = np.asarray(cls._np(x, axis=None if axis is None else axes, dtype=dtype,
                                 ddof=ddof, keepdims=keepdims))
        dof = math.prod(x.shape[k] for k in axes) - ddof
        ctx.axes, ctx.kept = axes, _kept_shape(x.shape, axes)
        ctx.scale = 1.0 / dof if dof > 0 else math.nan
        ctx.save_for_backward(x, out) if cls is Std else ctx.save_for_backward(x)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        d = x - x.mean(axis=ctx.axes, keepdims=True)
        return grad_output.reshape(ctx.kept) * d * (2.0 * ctx.scale)


class Std(Var):
    """out = √var;  ∂out/∂x_i = (x_i − x̄) / ((n − ddof)·out), and 0 where out = 0 (all
    x_i = x̄ there: the denominator is replaced by 1, so no 0/0 arises, in any order)."""

    _np = staticmethod(np.std)

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        out = out.reshape(ctx.kept)
        zero = raw(out) == 0
        safe = out + zero.astype(raw(out).dtype) if zero.any() else out
        d = x - x.mean(axis=ctx.axes, keepdims=True)
        return grad_output.reshape(ctx.kept) * d * ctx.scale / safe


_concat = dual(Concatenate)
_cumsum = dual(CumSum)
_cumprod = dual(CumProd)


# ----------------------------------------------------------------------------- functions
# Shared by the docstrings below: ``a`` is an array_like or Tensor; ``axis`` an int, a tuple
# of ints or None (all axes; the flattened input for the scans); ``out`` must be None (a
# TypeError otherwise); a ``dtype`` that is not floating gives a result without gradient.

def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NoValue,
         where=_NoValue):
    """Product over ``axis``, as ``np.prod``; the gradient is exact where entries are 0.

    ∂out/∂x_i = Π_{j≠i} x_j, the product of the exclusive prefix and suffix products along the
    reduced axes: no division, so one zero or several give the exact gradient. The product of
    an empty axis is 1 (or ``initial``).

    Parameters
    ----------
    a, axis, dtype, out, keepdims
        As ``np.prod``.
    initial : scalar, optional
        A constant the product is multiplied by.
    where : not supported (a TypeError).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> y = ag.prod(x)
    >>> y
    Tensor(0., grad_fn=<Prod>)
    >>> y.backward()
    >>> x.grad
    Tensor([0., 6., 0.])
    >>> ag.prod(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([ 2., 12.])
    """
    x = _tensor(a, "prod")
    _refuse("prod", out, where=where)
    if _cast_only(dtype, "prod"):
        kw = {} if initial is _NoValue else {"initial": initial}
        return _constant(np.prod(x._data, axis=axis, dtype=dtype, keepdims=keepdims, **kw))
    return Prod.apply(x, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial)


def _scan(cls, op, a, axis, dtype, out):
    x = _tensor(a, op)
    _refuse(op, out)
    if axis is None or x.ndim == 0:     # flattened, as numpy (a 0-d array takes axis 0 or -1)
        if axis is not None:
            _one_axis(axis, 1, op, x.shape)
        if x.ndim != 1:
            x = x.reshape(-1)
        axis = 0
    else:
        axis = _one_axis(axis, x.ndim, op, x.shape)
    if _cast_only(dtype, op):
        return _constant(getattr(np, op)(x._data, axis=axis, dtype=dtype))
    return cls.apply(x, axis=axis, dtype=dtype)


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along ``axis`` (None: the flattened input), as ``np.cumsum``.

    The gradient is the reversed cumulative sum of the reversed incoming gradient.

    Parameters
    ----------
    a, axis, dtype, out
        As ``np.cumsum`` (``axis`` an int or None).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = ag.cumsum(x)
    >>> y
    Tensor([1., 3., 6.], grad_fn=<CumSum>)
    >>> y.backward(grad=[1.0, 10.0, 100.0])
    >>> x.grad
    Tensor([111., 110., 100.])
    """
    return _scan(CumSum, "cumsum", a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """Cumulative product along ``axis`` (None: the flattened input), as ``np.cumprod``.

    ∂/∂x_k of Σ g_i·out_i is Π_{j<k} x_j · Σ_{i≥k} g_i Π_{k<j≤i} x_j, computed by a scan of
    products and sums with no division: exact where entries are 0.

    Parameters
    ----------
    a, axis, dtype, out
        As ``np.cumprod`` (``axis`` an int or None).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([2.0, 0.0, 3.0], requires_grad=True)
    >>> y = ag.cumprod(x)
    >>> y
    Tensor([2., 0., 0.], grad_fn=<CumProd>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1., 8., 0.])
    """
    return _scan(CumProd, "cumprod", a, axis, dtype, out)


def _moment(cls, op, a, axis, dtype, out, ddof, keepdims, where, mean, correction):
    x = _tensor(a, op)
    _refuse(op, out, where=where, mean=mean)
    if correction is not _NoValue:
        if ddof != 0:
            raise ValueError(f"{op}: ddof and correction cannot both be given")
        ddof = correction
    if _cast_only(dtype, op):
        return _constant(getattr(np, op)(x._data, axis=axis, dtype=dtype, ddof=ddof,
                                         keepdims=keepdims))
    return cls.apply(x, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=_NoValue,
        mean=_NoValue, correction=_NoValue):
    """Variance over ``axis``, Σ (x − x̄)² / (n − ddof), as ``np.var``.

    ∂out/∂x_i = 2 (x_i − x̄) / (n − ddof); NaN where n − ddof ≤ 0 (numpy's value is inf or
    NaN there, with a warning).

    Parameters
    ----------
    a, axis, dtype, out, ddof, keepdims
        As ``np.var``.
    correction : int or float, optional
        The array API's name for ``ddof`` (a ValueError if both are given).
    where, mean : not supported (a TypeError).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0, 6.0], requires_grad=True)
    >>> y = ag.var(x, ddof=1)
    >>> y
    Tensor(4.66666667, grad_fn=<Var>)
    >>> y.backward()
    >>> x.grad
    Tensor([-1.33333333, -0.66666667,  0.        ,  2.        ])
    """
    return _moment(Var, "var", a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=_NoValue,
        mean=_NoValue, correction=_NoValue):
    """Standard deviation over ``axis``, √var, as ``np.std``.

    ∂out/∂x_i = (x_i − x̄) / ((n − ddof)·out); where the deviation is 0 (all entries equal) the
    gradient is 0, not NaN.

    Parameters
    ----------
    a, axis, dtype, out, ddof, keepdims, correction, where, mean
        As :func:`var`.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 3.0], [2.0, 2.0]], requires_grad=True)
    >>> y = ag.std(x, axis=1)
    >>> y
    Tensor([1., 0.], grad_fn=<Std>)
    >>> y.sum().backward()
    >>> x.grad                      # 0 where the deviation is 0
    Tensor([[-0.5,  0.5],
            [ 0. ,  0. ]])
    """
    return _moment(Std, "std", a, axis, dtype, out, ddof, keepdims, where, mean, correction)


def diff(a, n=1, axis=-1, prepend=_NoValue, append=_NoValue):
    """The n-th discrete difference along ``axis``, out[i] = a[i+1] − a[i], as ``np.diff``.

    Made of slices and subtractions (and a concatenation for ``prepend``/``append``), so the
    gradient flows to ``a`` and to ``prepend`` and ``append`` where they are Tensors. A scalar
    ``prepend``/``append`` is broadcast to length 1 along ``axis``; ``n = 0`` returns ``a``.

    Parameters
    ----------
    a : array_like or Tensor
        The input, at least 1-D.
    n : int, optional
        How many times to take the difference (default 1).
    axis : int, optional
        The axis (default -1).
    prepend, append : array_like or Tensor, optional
        Values joined to ``a`` along ``axis`` first.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 4.0, 9.0], requires_grad=True)
    >>> y = ag.diff(x)
    >>> y
    Tensor([3., 5.], grad_fn=<Sub>)
    >>> y.backward(grad=[1.0, 10.0])
    >>> x.grad
    Tensor([-1., -9., 10.])
    >>> ag.diff(x, n=2, prepend=0.0)
    Tensor([2., 2.], grad_fn=<Sub>)
    """
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"diff: n must be an int, got {n!r}") from None
    if n < 0:
        raise ValueError(f"diff: n (the order) must be non-negative, got {n}")
    x = _tensor(a, "diff")
    if n == 0:
        return x
    if x.ndim == 0:
        raise ValueError("diff: the input must be at least 1-D, got a 0-d tensor")
    axis = _one_axis(axis, x.ndim, "diff", x.shape)
    given = [(k, e) for k, e in (("prepend", prepend), ("append", append)) if e is not _NoValue]
    if not _grad_needed(x, *(e for _, e in given)):     # no graph: numpy's own, exactly
        return _constant(np.diff(x._data, n=n, axis=axis, **{k: raw(e) for k, e in given}))
    parts = [x]
    for k, e in given:
        e = _tensor(e, "diff") if isinstance(e, Tensor) else np.asanyarray(e)
        if e.ndim == 0:
            e = _broadcast_to(e, x.shape[:axis] + (1,) + x.shape[axis + 1:])
        if k == "prepend":
            parts.insert(0, e)
        else:
            parts.append(e)
    if len(parts) > 1:
        x = _concatenate(parts, axis=axis)
    later = (slice(None),) * axis + (slice(1, None),)
    earlier = (slice(None),) * axis + (slice(None, -1),)
    for _ in range(n):
        x = x[later] - x[earlier]
    return x


def _axes_given(axis, ndim, op, shape):
    """``axis`` normalized in the order given (numpy orders average's weights by it)."""
    _axis_tuple(axis, ndim, op, shape)          # the checks
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(int(k) % ndim for k in axes)


def _zero_weights():
    return ZeroDivisionError("average: the weights sum to zero, they cannot be normalized")


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted average over ``axis``, Σ a·w / Σ w, as ``np.average``.

    Made of recorded products, sums and a division, so the gradient flows to ``a`` and, when
    ``weights`` is a Tensor, to the weights; so does the sum of the weights that
    ``returned=True`` adds.

    Parameters
    ----------
    a, axis, returned, keepdims
        As ``np.average``.
    weights : array_like or Tensor, optional
        Of a's shape, or of a's shape along ``axis`` (in its order); None: all 1.

    Returns
    -------
    Tensor or (Tensor, Tensor)

    Raises
    ------
    TypeError
        If the shapes of ``a`` and ``weights`` differ and ``axis`` is None.
    ValueError
        If the weights' shape does not match a's along ``axis``.
    ZeroDivisionError
        If the weights sum to zero.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 4.0], requires_grad=True)
    >>> w = ag.tensor([1.0, 1.0, 2.0], requires_grad=True)
    >>> y = ag.average(x, weights=w)
    >>> y
    Tensor(2.75, grad_fn=<Div>)
    >>> y.backward()
    >>> x.grad
    Tensor([0.25, 0.25, 0.5 ])
    >>> w.grad
    Tensor([-0.4375, -0.1875,  0.3125])
    """
    x = _tensor(a, "average")
    axes = None if axis is None else _axes_given(axis, x.ndim, "average", x.shape)
    w = None if weights is None else _tensor(weights, "average")
    if w is not None and w.shape != x.shape:
        if axes is None:
            raise TypeError(f"average: axis must be given when the shapes of a {x.shape} and "
                            f"weights {w.shape} differ")
        along = tuple(x.shape[k] for k in axes)
        if w.shape != along:
            raise ValueError(f"average: weights of shape {w.shape} do not match a's shape "
                             f"{along} along axis {axis}")
    if not _grad_needed(x, w):          # no graph to record: numpy's own, exactly
        try:
            res = np.average(x._data, axis=axes, weights=raw(w), returned=returned,
                             keepdims=keepdims)
        except ZeroDivisionError:
            raise _zero_weights() from None
        return tuple(map(_constant, res)) if returned else _constant(res)
    if w is None:
        avg = _mean(x, axis=axes, keepdims=keepdims)
        scl = _constant(avg.dtype.type(x.size / avg.size))
    else:
        if w.shape != x.shape:          # along axis: moved into place, 1 elsewhere
            w = w.transpose(tuple(np.argsort(axes))).reshape(
                tuple(s if k in axes else 1 for k, s in enumerate(x.shape)))
        # numpy's result dtype: at least float64 for integer (or bool) a
        dtype = np.result_type(x.dtype, w.dtype, *(("f8",) if x.dtype.kind in "biu" else ()))
        x = x if x.dtype == dtype else _astype(x, dtype)
        w = w if w.dtype == dtype else _astype(w, dtype)
        scl = _sum(w, axis=axes, keepdims=keepdims)
        if np.any(scl.data == 0):
            raise _zero_weights()
        avg = _sum(x * w, axis=axes, keepdims=keepdims) / scl
    if not returned:
        return avg
    if scl.shape != avg.shape:          # a new array, as numpy's copy of the broadcast
        scl = _broadcast_to(scl, avg.shape) * 1.0 if scl.requires_grad else \
            _constant(np.broadcast_to(scl.data, avg.shape).copy())
    return avg, scl
