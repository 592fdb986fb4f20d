"""Reductions: sum, mean, max, min, logsumexp, each with numpy's ``axis`` and ``keepdims``."""
import math

import numpy as np

from ..function import Function, dual, raw
from ..tensor import _t

try:
    _AxisError = np.exceptions.AxisError
except AttributeError:  # numpy < 1.25
    _AxisError = np.AxisError


def _axis_tuple(axis, ndim, op, shape):
    """``axis`` (None, an int or a tuple of ints) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        axes = (axis,)
    elif isinstance(axis, (tuple, list)):
        axes = tuple(axis)
    else:
        raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
    out = []
    for a in axes:
        if not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise _AxisError(f"{op}: axis {a} is out of bounds for a tensor of shape "
                             f"{tuple(shape)} (ndim {ndim})")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {axis!r}")
    return tuple(sorted(out))


def _kept_shape(shape, axes):
    return tuple(1 if k in axes else s for k, s in enumerate(shape))


# The forward passes call ufunc reductions directly (np.add.reduce is what ndarray.sum runs):
# the methods' Python-level wrappers cost more than the reduction itself on small arrays.

def _reduce_kept(ufunc, x, axis):
    """``ufunc.reduce(x, axis, keepdims=True)``, faster for the usual softmax shape.

    numpy reduces a short last axis row by row, at a cost far above reducing the first axis of
    the transposed copy (the copy included), which gives the same maxima (sums add the same
    terms in another order). So a C-contiguous matrix with at most 16 columns and at least 32
    rows, reduced over its last axis, goes that way.
    """
    if short_rows(x, axis):
        return ufunc.reduce(np.ascontiguousarray(x.T), axis=0)[:, None]
    return ufunc.reduce(x, axis=axis, keepdims=True)


def short_rows(x, axis):
    """True for the shape where numpy's row-by-row loops lose to the transposed copy: a
    C-contiguous matrix with at most 16 columns and at least 32 rows, taken along its last axis
    (a classifier's logits: many samples, few classes). log_softmax and nn's cross-entropy then
    work on the copy, classes along its first axis, so that their broadcasts run along the long
    axis too."""
    return (x.ndim == 2 and axis in (-1, 1, (1,)) and x.shape[1] <= 16 and x.shape[0] >= 32
            and x.flags.c_contiguous)


def shifted_columns(x):
    """For a ``short_rows`` matrix: x.T as a new C-contiguous array (classes along its first
    axis), each column shifted by its max (``_max_shift``), the start of the softmaxes and of
    nn's cross-entropy in that layout. Always a copy, which the caller may write into: for a
    single class, x.T is C-contiguous already and ascontiguousarray would hand back x itself."""
    t = np.array(x.T, order="C")
    t -= _max_shift(t, 0)
    return t


def sum_in_rule(g, axis, keepdims=False):
    """``g.sum(axis=axis, keepdims=keepdims)`` for a backward rule: on an array (a plain
    backward), numpy's reduction called directly (``_reduce_kept``'s way when kept); on a
    Tensor (a recorded backward), the recorded sum."""
    if type(g) is not np.ndarray:
        return g.sum(axis=axis, keepdims=keepdims)
    return _reduce_kept(np.add, g, axis) if keepdims else np.add.reduce(g, axis=axis)


def _max_shift(x, axis):
    """The max along ``axis`` (kept), with non-finite entries replaced by 0, for stable exps."""
    m = _reduce_kept(np.maximum, x, axis)
    # one reduction and a float: the sum is not finite if a max is not (or, harmlessly, if
    # finite maxima overflow it)
    if not math.isfinite(np.add.reduce(m, axis=None)):
        m = np.where(np.isfinite(m), m, 0)
    return m


def _note_axes(ctx, x, axis, op):
    """What Sum's and Mean's backward need, noted on ctx: the axes reduced (normalized: the graph
    pictures show them), x's shape and size, the shape with those axes kept as 1. Returns the
    axes."""
    shape = x.shape
    if axis is None:            # all of them, as a loss does: nothing to check
        axes = tuple(range(len(shape)))
        kept = (1,) * len(shape)
    else:
        axes = _axis_tuple(axis, len(shape), op, shape)
        kept = _kept_shape(shape, axes)
    ctx.axes, ctx.shape, ctx.kept, ctx.size = axes, shape, kept, x.size
    return axes


# Up to this many elements, a reduction's gradient is spread into a new array: writing it costs
# less than making the zero-stride view (one numpy call against three). Above, the view saves
# writing the memory.
_WRITE_SPREAD_UPTO = 4096


def _spread(g, shape, size):
    """g, of the kept shape, broadcast to ``shape`` (of ``size`` elements) for a backward rule:
    a new array when small, else the read-only zero-stride view; on a Tensor (a recorded
    backward), the recorded broadcast_to."""
    if type(g) is np.ndarray and size <= _WRITE_SPREAD_UPTO:
        out = np.empty(shape, g.dtype)
        out[...] = g
        return out
    return _broadcast_to(g, shape=shape)


class Sum(Function):
    """out = Σ x over ``axis``;  ∂out/∂x_i = 1: the gradient is broadcast back to x's shape."""

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = _note_axes(ctx, x, axis, "sum")
        return np.add.reduce(x, axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad_output):
        return _spread(grad_output.reshape(ctx.kept), ctx.shape, ctx.size)


class Mean(Function):
    """out = (1/n) Σ x over ``axis``;  ∂out/∂x_i = 1/n."""

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = _note_axes(ctx, x, axis, "mean")
        if axis is None:
            n = ctx.size
        else:
            n = 1
            for a in axes:
                n *= x.shape[a]
        ctx.n = n
        if n and x.dtype.char in "fdg":
            # ndarray.mean's own steps for float32/64 and long double (the pairwise sum, ÷ n)
            return np.add.reduce(x, axis=axes, keepdims=keepdims) / n
        return x.mean(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad_output):
        return _spread(grad_output.reshape(ctx.kept) / ctx.n, ctx.shape, ctx.size)


class Max(Function):
    """out = max x over ``axis``. The gradient goes to the maximal elements; where several
    elements tie for the maximum it is split equally among them (as PyTorch's ``amax`` does),
    so the gradient of a sum of maxima stays the sum of the parts."""

    _reduce = staticmethod(np.max)
    _name = "max"

    @classmethod
    def forward(cls, ctx, x, axis=None, keepdims=False):
        axes = _axis_tuple(axis, x.ndim, cls._name, x.shape)
        if x.size == 0:
            raise ValueError(f"{cls._name}: cannot reduce an empty tensor of shape {x.shape}")
        kept = cls._reduce(x, axis=axes, keepdims=True)
        ctx.save_for_backward(x, kept)
        ctx.kept = kept.shape
        ctx.axes = axes
        return kept if keepdims else kept.reshape([s for k, s in enumerate(x.shape)
                                                  if k not in axes])

    @staticmethod
    def backward(ctx, grad_output):
        x, kept = ctx.saved_tensors
        winners = raw(x) == raw(kept)
        share = winners / winners.sum(axis=ctx.axes, keepdims=True)
        return grad_output.reshape(ctx.kept) * share.astype(raw(grad_output).dtype)


class Min(Max):
    """out = min x over ``axis``; ties split the gradient equally, as for :class:`Max`."""

    _reduce = staticmethod(np.min)
    _name = "min"


class LogSumExp(Function):
    """out = log Σ e^x over ``axis``, computed as m + log Σ e^(x − m) with m the max, so logits of
    any size are safe;  ∂out/∂x_i = e^(x_i − out) = softmax(x)_i."""

    @staticmethod
    def forward(ctx, x, axis=None, keepdims=False):
        axes = _axis_tuple(axis, x.ndim, "logsumexp", x.shape)
        m = _max_shift(x, axes)
        kept = m + np.log(np.exp(x - m).sum(axis=axes, keepdims=True))
        out = kept if keepdims else kept.reshape([s for k, s in enumerate(x.shape)
                                                  if k not in axes])
        ctx.save_for_backward(x, out)
        ctx.kept = kept.shape
        ctx.axes = axes
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        return grad_output.reshape(ctx.kept) * _exp(x - out.reshape(ctx.kept))


def _dual_import():
    from .elementwise import Exp
    from .shape import BroadcastTo
    return dual(Exp), dual(BroadcastTo)


_exp, _broadcast_to = _dual_import()


# ----------------------------------------------------------------------------- functions
def sum(x, axis=None, keepdims=False):  # noqa: A001 - numpy's name
    """Sum over ``axis`` (None: all axes).

    ∂out/∂x_i = 1: the gradient is broadcast back to x's shape.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated.
    TypeError
        If ``axis`` is not None, an int or a tuple of ints.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.sum(x)
    Tensor(10., grad_fn=<Sum>)
    >>> y = ag.sum(x, axis=1, keepdims=True)
    >>> y
    Tensor([[3.],
            [7.]], grad_fn=<Sum>)
    >>> y.backward(grad=[[1.0], [2.0]])
    >>> x.grad
    Tensor([[1., 1.],
            [2., 2.]])
    """
    return Sum.apply(_t(x), axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (None: all axes).

    ∂out/∂x_i = 1/n, n the number of elements averaged.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated.
    TypeError
        If ``axis`` is not None, an int or a tuple of ints.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.mean(x, axis=0)
    >>> y
    Tensor([2., 3.], grad_fn=<Mean>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    """
    return Mean.apply(_t(x), axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001 - numpy's name
    """Maximum over ``axis``; ties share the gradient equally.

    The gradient goes to the maximal elements, split equally among those that tie.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If x is empty.
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated.
    TypeError
        If ``axis`` is not None, an int or a tuple of ints.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 3.0, 3.0], requires_grad=True)
    >>> y = ag.max(x)
    >>> y
    Tensor(3., grad_fn=<Max>)
    >>> y.backward()
    >>> x.grad
    Tensor([0. , 0.5, 0.5])
    >>> ag.max(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1)
    Tensor([2., 4.])
    """
    return Max.apply(_t(x), axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001 - numpy's name
    """Minimum over ``axis``; ties share the gradient equally.

    The gradient goes to the minimal elements, split equally among those that tie.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If x is empty.
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated.
    TypeError
        If ``axis`` is not None, an int or a tuple of ints.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.min(x, axis=0)
    >>> y
    Tensor([1., 2.], grad_fn=<Min>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([[1., 1.],
            [0., 0.]])
    """
    return Min.apply(_t(x), axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """log Σ exp(x) over ``axis``, stable for logits of any size.

    Computed as m + log Σ e^(x − m) with m the maximum; ∂out/∂x_i = e^(x_i − out), the
    softmax of x.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated.
    TypeError
        If ``axis`` is not None, an int or a tuple of ints.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.logsumexp(x, axis=1)
    >>> y
    Tensor([2.31326169, 4.31326169], grad_fn=<LogSumExp>)
    >>> y.sum().backward()
    >>> x.grad                        # the softmax of each row
    Tensor([[0.26894142, 0.73105858],
            [0.26894142, 0.73105858]])
    >>> ag.logsumexp(ag.tensor([1000.0, 1000.0]))   # 1000 + log 2, no overflow
    Tensor(1000.69314718)
    """
    return LogSumExp.apply(_t(x), axis=axis, keepdims=keepdims)
