"""Shape and indexing: reshape, transpose, swapaxes, broadcast_to, getitem, concatenate, stack."""
import math

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t


def _shape_str(shape):
    return str(tuple(shape))


class Reshape(Function):
    """out = x with a new shape (same elements, C order);  the gradient is reshaped back."""

    @staticmethod
    def forward(ctx, x, shape=None):
        ctx.shape = x.shape
        try:
            return x.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape a tensor of shape {_shape_str(x.shape)} "
                             f"({x.size} elements) into shape {shape}") from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.shape)


class Transpose(Function):
    """out = x with its axes permuted (reversed when ``axes`` is None);  the gradient is
    permuted back by the inverse permutation."""

    @staticmethod
    def forward(ctx, x, axes=None):
        if axes is not None:
            axes = tuple(int(a) % x.ndim if -x.ndim <= a < x.ndim else a for a in axes)
            if sorted(axes) != list(range(x.ndim)):
                raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                                 f"{x.ndim} axes of a tensor of shape {_shape_str(x.shape)}")
            ctx.inverse = tuple(np.argsort(axes))
        else:
            ctx.inverse = None
        return x.transpose(axes)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.transpose(ctx.inverse)


def _zero_stride_view(x, shape):
    """``np.broadcast_to(x, shape)`` for a C-contiguous array (what Sum and Mean's backward
    spread), built directly: numpy's function costs more in Python before the view than the
    small reductions it follows. None where that way does not apply (numpy's then)."""
    if type(x) is not np.ndarray or not x.flags.c_contiguous or x.dtype.hasobject:
        return None
    lead = len(shape) - x.ndim
    if lead < 0:
        return None
    strides = [0] * lead
    for k, n in enumerate(x.shape):
        target = shape[lead + k]
        if target < 0:
            return None
        if n == target:
            strides.append(x.strides[k])
        elif n == 1:
            strides.append(0)
        else:
            return None
    view = np.ndarray(shape, x.dtype, x, 0, strides)
    view.setflags(write=False)      # read-only, as numpy's broadcast views
    return view


class BroadcastTo(Function):
    """out = x broadcast to ``shape`` (a read-only view);  the gradient is summed back over the
    broadcast axes, which the engine does for every op, so backward passes it on."""

    @staticmethod
    def forward(ctx, x, shape=None):
        view = _zero_stride_view(x, shape)
        if view is not None:
            return view
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ValueError(f"broadcast_to: cannot broadcast a tensor of shape "
                             f"{_shape_str(x.shape)} to shape {tuple(shape)}") from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def _advanced(index):
    """Whether an index holds integer arrays, which may repeat positions."""
    items = index if isinstance(index, tuple) else (index,)
    for it in items:
        if isinstance(it, (list, np.ndarray)) and np.asarray(it).dtype.kind in "iu":
            return True
    return False


def _count_into(g, shape, index):
    """``np.add.at(zeros(shape), index, g)`` for an integer array per axis (``x[rows, labels]``)
    as a weighted bincount of the flat positions, summed in float64: faster than add.at on many
    positions over two or more axes, slower below a few hundred and on one axis (where numpy's
    add.at has a fast path). None where add.at is the better (or the only) way."""
    if (g.size < 512 or type(index) is not tuple or len(index) != len(shape)
            or len(shape) < 2 or g.dtype.kind != "f"):
        return None
    for it in index:
        if not isinstance(it, (list, np.ndarray)) or np.asarray(it).dtype.kind not in "iu":
            return None
    # the forward pass checked the indexes: wrapping only resolves negative ones
    flat = np.ravel_multi_index(index, shape, mode="wrap")
    size = math.prod(shape)
    out = np.bincount(flat.reshape(-1), weights=g.reshape(-1), minlength=size)
    return out.reshape(shape).astype(g.dtype, copy=False)


# Below this many picks, add.at costs no more than the look for repeats.
_DISTINCT_FROM = 512


def _distinct(index):
    """Whether an integer-array index names no position twice, as far as a cheap look tells:
    one integer array per leading axis (no slices), all 1-D of one length, and one of them
    strictly increasing from 0 or more (``x[np.arange(n), labels]``), so no two entries share
    its value. The scatter-add is then a plain assignment, ``out[index] = g``, cheaper than the
    bincount."""
    items = index if type(index) is tuple else (index,)
    n = -1
    for it in items:
        if type(it) is not np.ndarray or it.ndim != 1 or it.dtype.kind not in "iu" \
                or n not in (-1, it.size):
            return False
        n = it.size
    for it in items:
        if n and it[0] >= 0 and (n == 1 or (it[1:] > it[:-1]).all()):
            return True
    return False


class GetItem(Function):
    """out = x[index] (basic, slice, integer-array and boolean indexing);  the gradient is
    scattered back into zeros of x's shape, and positions an integer index repeats add up."""

    @staticmethod
    def forward(ctx, x, index=None):
        ctx.shape = x.shape
        ctx.index = index
        try:
            return x[index]
        except IndexError as e:
            raise IndexError(f"getitem: index {index!r} is invalid for a tensor of shape "
                             f"{_shape_str(x.shape)}: {e}") from None

    @staticmethod
    def backward(ctx, grad_output):
        return _scatter_add(grad_output, shape=ctx.shape, index=ctx.index)


class ScatterAdd(Function):
    """out = zeros(shape) with ``g`` added at ``index`` (the adjoint of getitem);  the gradient is
    the gradient read back at ``index``."""

    @staticmethod
    def forward(ctx, g, shape=None, index=None):
        ctx.index = index
        if _advanced(index) and (g.size < _DISTINCT_FROM or not _distinct(index)):
            counted = _count_into(g, shape, index)
            if counted is not None:
                return counted
            out = np.zeros(shape, dtype=g.dtype)
            np.add.at(out, index, g)
            return out
        out = np.zeros(shape, dtype=g.dtype)
        out[index] = g
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output[ctx.index]


class SetItem(Function):
    """out = x with out[index] = v (what ``x[index] = v`` records);  ∂out/∂x is 1 outside
    ``index`` and 0 inside it; ∂out/∂v is the gradient read at ``index`` (summed by the engine
    where v was broadcast). Where an integer index repeats, the last write wins, as in numpy,
    and v's gradient counts every position it was written to."""

    @staticmethod
    def forward(ctx, x, v, index=None):
        ctx.index = index
        out = x.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, grad_output):
        need = ctx.needs_input_grad
        gx = _setitem(grad_output, 0, index=ctx.index) if need[0] else None
        gv = grad_output[ctx.index] if need[1] else None
        return gx, gv


def _slice_grads(ctx, grad_output):
    """Concatenate's and Stack's backward: input k's gradient is its part of the output's,
    ``grad_output[ctx.slices[k]]``."""
    need = ctx.needs_input_grad
    return tuple(grad_output[s] if n else None for s, n in zip(ctx.slices, need))


class Concatenate(Function):
    """out = the inputs joined along ``axis``;  each input's gradient is its slice of it."""

    @staticmethod
    def forward(ctx, *xs, axis=0):
        try:
            out = np.concatenate(xs, axis=axis)
        except ValueError:  # numpy's AxisError is a ValueError too
            shapes = ", ".join(_shape_str(x.shape) for x in xs)
            raise ValueError(f"concatenate: cannot join tensors of shapes {shapes} along axis "
                             f"{axis}: all axes but that one must match") from None
        axis = axis % out.ndim
        bounds = np.cumsum([0] + [x.shape[axis] for x in xs])
        ctx.slices = [(slice(None),) * axis + (slice(a, b),)
                      for a, b in zip(bounds[:-1], bounds[1:])]
        return out

    backward = staticmethod(_slice_grads)


class Stack(Function):
    """out = the inputs stacked along a new ``axis``;  input k's gradient is out's k-th slice
    along that axis."""

    @staticmethod
    def forward(ctx, *xs, axis=0):
        try:
            out = np.stack(xs, axis=axis)
        except ValueError:
            shapes = ", ".join(_shape_str(x.shape) for x in xs)
            raise ValueError(f"stack: tensors must all have the same shape, got {shapes}") \
                from None
        axis = axis % out.ndim
        ctx.slices = [(slice(None),) * axis + (k,) for k in range(len(xs))]
        return out

    backward = staticmethod(_slice_grads)


_scatter_add = dual(ScatterAdd)
_setitem = dual(SetItem)


# ----------------------------------------------------------------------------- functions
def _plain_index(index):
    """Tensors inside an index become their arrays (an index carries no gradient)."""
    if type(index) is tuple:
        for i in index:
            if isinstance(i, Tensor):
                return tuple(raw(i) for i in index)
        return index
    if isinstance(index, tuple):        # a namedtuple, say: numpy takes it as a tuple
        return tuple(raw(i) for i in index)
    return raw(index)


def getitem(x, index):
    """x[index]: basic, slice, integer-array and boolean indexing, as ``Tensor.__getitem__``.

    The gradient is scattered back into zeros of x's shape; positions an integer index
    repeats add up. Tensors inside the index are used as their arrays (an index has no
    gradient).

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    index : int, slice, array_like, Tensor or tuple of them
        The index, as numpy takes it.

    Returns
    -------
    Tensor

    Raises
    ------
    IndexError
        If the index is invalid for x's shape.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.ops.shape import getitem
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = getitem(x, [0, 0, 2])             # the same as x[[0, 0, 2]]
    >>> y
    Tensor([1., 1., 3.], grad_fn=<GetItem>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([2., 0., 1.])
    """
    return GetItem.apply(_t(x), index=_plain_index(index))


def reshape(x, shape=None, order="C", *, newshape=None, copy=None):
    """x with a new shape; one entry may be -1.

    The same elements in C order; the gradient is reshaped back. numpy's signature
    (``np.reshape(t, shape, order="C")`` runs this): ``order`` must be "C", ``newshape`` is
    numpy's older name of ``shape``, and ``copy`` is accepted (the result is a view where numpy
    gives one; ``copy=True`` gives a copy).

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    shape : int or tuple of int
        The new shape, with as many elements as x; one entry may be -1 (inferred).
    order : {"C"}, optional
        Only C order (another raises a ValueError).
    newshape : int or tuple of int, optional
        numpy's deprecated name of ``shape``.
    copy : bool or None, optional
        True: the result has its own array.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If x's elements do not fit the shape.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.arange(6.0, requires_grad=True)
    >>> y = ag.reshape(x, (2, -1))
    >>> y
    Tensor([[0., 1., 2.],
            [3., 4., 5.]], grad_fn=<Reshape>)
    >>> (y * ag.tensor([[1.0], [2.0]])).sum().backward()
    >>> x.grad
    Tensor([1., 1., 1., 2., 2., 2.])
    """
    if order != "C":
        raise ValueError(f"reshape: only order='C' is supported, got order={order!r}")
    if shape is None:
        if newshape is None:
            raise TypeError("reshape: missing the shape")
        shape = newshape
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    out = Reshape.apply(_t(x), shape=tuple(shape))
    return out * 1 if copy else out


def transpose(x, axes=None):
    """Permute the axes (reverse them when ``axes`` is None), as ``np.transpose``.

    The gradient is permuted back by the inverse permutation.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axes : sequence of int, optional
        The permutation: axis ``k`` of the result is axis ``axes[k]`` of x.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If ``axes`` is not a permutation of x's axes.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    >>> y = ag.transpose(x)
    >>> y
    Tensor([[1.],
            [2.],
            [3.]], grad_fn=<Transpose>)
    >>> y.backward(grad=[[1.0], [2.0], [3.0]])
    >>> x.grad
    Tensor([[1., 2., 3.]])
    >>> ag.transpose(ag.zeros(2, 3, 4), (1, 2, 0)).shape
    (3, 4, 2)
    """
    return Transpose.apply(_t(x), axes=None if axes is None else tuple(axes))


def swapaxes(x, axis1, axis2):
    """Exchange two axes, as ``np.swapaxes``.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis1, axis2 : int
        The axes to exchange.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If an axis is out of bounds.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.zeros(2, 3, 4, requires_grad=True)
    >>> y = ag.swapaxes(x, 0, 2)
    >>> y.shape
    (4, 3, 2)
    >>> y.sum().backward()
    >>> x.grad.shape
    (2, 3, 4)
    """
    x = _t(x)
    axes = list(range(x.ndim))
    try:
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    except IndexError:
        raise ValueError(f"swapaxes: axes ({axis1}, {axis2}) are out of bounds for a tensor of "
                         f"shape {_shape_str(x.shape)}") from None
    return Transpose.apply(x, axes=tuple(axes))


def broadcast_to(x, shape):
    """x broadcast to ``shape``, as ``np.broadcast_to``.

    The result is a read-only view; the gradient is summed back over the broadcast axes.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    shape : int or tuple of int
        The shape to broadcast to.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If x does not broadcast to ``shape``.

    Examples
    --------
    >>> import autograd as ag
    >>> b = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.broadcast_to(b, (3, 2))
    >>> y
    Tensor([[1., 2.],
            [1., 2.],
            [1., 2.]], grad_fn=<BroadcastTo>)
    >>> y.sum().backward()
    >>> b.grad
    Tensor([3., 3.])
    """
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    return BroadcastTo.apply(_t(x), shape=tuple(shape))


def concatenate(seq, axis=0):
    """Join a sequence of tensors along an existing ``axis``.

    Each input's gradient is its slice of the result's gradient.

    Parameters
    ----------
    seq : sequence of array_like or Tensor
        The tensors, whose shapes match except along ``axis``.
    axis : int, optional
        The axis to join along (default 0).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If ``seq`` is empty, or the shapes do not match but along ``axis``.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor([3.0], requires_grad=True)
    >>> y = ag.concatenate([a, b])
    >>> y
    Tensor([1., 2., 3.], grad_fn=<Concatenate>)
    >>> (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    >>> a.grad, b.grad
    (Tensor([1., 2.]), Tensor([3.]))
    """
    seq = [_t(x) for x in seq]
    if not seq:
        raise ValueError("concatenate: need at least one tensor")
    return Concatenate.apply(*seq, axis=axis)


def stack(seq, axis=0):
    """Join a sequence of same-shaped tensors along a new ``axis``.

    Input k's gradient is the k-th slice of the result's gradient along that axis.

    Parameters
    ----------
    seq : sequence of array_like or Tensor
        The tensors, all of one shape.
    axis : int, optional
        The position of the new axis in the result (default 0).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If ``seq`` is empty, or the shapes differ.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor([3.0, 4.0], requires_grad=True)
    >>> y = ag.stack([a, b], axis=1)
    >>> y
    Tensor([[1., 3.],
            [2., 4.]], grad_fn=<Stack>)
    >>> (y * ag.tensor([1.0, 10.0])).sum().backward()
    >>> a.grad, b.grad
    (Tensor([1., 1.]), Tensor([10., 10.]))
    """
    seq = [_t(x) for x in seq]
    if not seq:
        raise ValueError("stack: need at least one tensor")
    return Stack.apply(*seq, axis=axis)
