"""Rearranging an array's elements: ravel, flatten, squeeze, expand_dims, moveaxis, flip, roll,
repeat, tile, atleast_1d, atleast_2d, hstack, vstack, matrix_transpose (``.mT``).

Most are compositions of shape.py's Reshape, Transpose and Concatenate (views where numpy gives
views); flip, roll, repeat, tile and flatten (a copy) are primitives of their own, whose
backward rules run through these same functions so that they can be differentiated again.
"""
import operator

import numpy as np

from ..function import Function, dual, raw
from .checks import real_tensor
from .elementwise import astype
from .reductions import _AxisError
from .shape import Concatenate, GetItem, Reshape, Transpose, _shape_str

__all__ = ["ravel", "flatten", "squeeze", "expand_dims", "moveaxis", "flip", "roll", "repeat",
           "tile", "atleast_1d", "atleast_2d", "hstack", "vstack", "matrix_transpose"]


# ----------------------------------------------------------------------------- helpers
def _real(x, op):
    """x as a Tensor; complex input is refused (the library differentiates real arrays only)."""
    return real_tensor(x, op)


def _axes(axis, ndim, op, shape, name="axis", unique=True, of=None):
    """``axis`` (an int or a sequence of ints) as a tuple of non-negative axes, in its order;
    ``of`` says what has the ``ndim`` axes, in an error (default: the tensor of ``shape``)."""
    items = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in items:
        try:
            a = operator.index(a)
        except TypeError:
            raise TypeError(f"{op}: {name} must be an int or a tuple of ints, got "
                            f"{axis!r}") from None
        if not -ndim <= a < ndim:
            of = of or f"a tensor of shape {_shape_str(shape)} (ndim {ndim})"
            raise _AxisError(f"{op}: {name} {a} is out of bounds for {of}")
        out.append(a % ndim)
    if unique and len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {name} {axis!r}")
    return tuple(out)


def _counts(value, op, name):
    """An integer argument (shift, repeats, reps) as an int array; a float one is refused rather
    than truncated."""
    arr = np.asarray(raw(value))
    if arr.dtype.kind not in "biu" and arr.size:    # an empty list is float64 to numpy
        raise TypeError(f"{op}: {name} must be integers, got {value!r} (dtype {arr.dtype})")
    if arr.ndim > 1:
        raise ValueError(f"{op}: {name} must be an int or a 1-D sequence of ints, got shape "
                         f"{_shape_str(arr.shape)}")
    return arr.astype(np.intp)


# ----------------------------------------------------------------------------- primitives
class Flatten(Function):
    """out = a copy of x as a vector (C order);  the gradient is reshaped back."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return x.flatten()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.shape)


class Flip(Function):
    """out = x reversed along ``axes`` (a view);  the gradient is flipped back the same way."""

    @staticmethod
    def forward(ctx, x, axes=()):
        ctx.axes = axes
        index = [slice(None)] * x.ndim
        for a in axes:
            index[a] = slice(None, None, -1)
        return x[tuple(index)] if x.ndim else x[...]

    @staticmethod
    def backward(ctx, grad_output):
        return _flip(grad_output, axes=ctx.axes)


class Roll(Function):
    """out = x shifted cyclically by ``shift`` along ``axis`` (None: the flattened array);  the
    gradient is rolled back by -shift."""

    @staticmethod
    def forward(ctx, x, shift=0, axis=None):
        ctx.shift, ctx.axis = shift, axis
        return np.roll(x, shift, axis)

    @staticmethod
    def backward(ctx, grad_output):
        shift = ctx.shift
        back = tuple(-s for s in shift) if isinstance(shift, tuple) else -shift
        return _roll(grad_output, shift=back, axis=ctx.axis)


class Repeat(Function):
    """out = each element of x repeated ``repeats`` times along ``axis``;  the gradient sums the
    copies: viewed as (..., n, repeats, ...), summed over the repeats axis."""

    @staticmethod
    def forward(ctx, x, repeats=1, axis=0):
        ctx.shape, ctx.repeats, ctx.axis = x.shape, repeats, axis
        return np.repeat(x, repeats, axis)

    @staticmethod
    def backward(ctx, grad_output):
        s, r, axis = ctx.shape, ctx.repeats, ctx.axis
        if r == 1:
            return grad_output.reshape(s)
        return grad_output.reshape(s[:axis + 1] + (r,) + s[axis + 1:]).sum(axis=axis + 1)


class Tile(Function):
    """out = x tiled ``reps`` times (x's shape padded with leading 1s to len(reps));  the
    gradient sums the copies: viewed as (r0, s0, r1, s1, ...), summed over the r axes."""

    @staticmethod
    def forward(ctx, x, reps=()):
        d = max(len(reps), x.ndim)
        shape = (1,) * (d - x.ndim) + x.shape
        reps = (1,) * (d - len(reps)) + tuple(reps)
        ctx.shape = x.shape
        ctx.split = sum(((r, s) for r, s in zip(reps, shape)), ())
        ctx.copies = tuple(2 * k for k, r in enumerate(reps) if r != 1)
        return np.tile(x, reps)

    @staticmethod
    def backward(ctx, grad_output):
        if not ctx.copies:
            return grad_output.reshape(ctx.shape)
        return grad_output.reshape(ctx.split).sum(axis=ctx.copies).reshape(ctx.shape)


_flip = dual(Flip)
_roll = dual(Roll)


# ----------------------------------------------------------------------------- functions
def ravel(a, order="C"):
    """The elements of ``a`` as a vector, in C order (a view where numpy gives one).

    Parameters
    ----------
    a : array_like or Tensor
    order : {'C'}, optional
        Only C order is supported; other orders raise a ValueError.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.ravel(x)
    >>> y
    Tensor([1., 2., 3., 4.], grad_fn=<Reshape>)
    >>> (y * ag.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    >>> x.grad
    Tensor([[1., 2.],
            [3., 4.]])
    """
    x = _real(a, "ravel")
    if order != "C":
        raise ValueError(f"ravel: only order='C' is supported, got order={order!r}")
    return Reshape.apply(x, shape=(-1,))


def flatten(a, order="C"):
    """A copy of ``a`` as a vector, in C order (numpy's ``ndarray.flatten``; ``t.flatten()``).

    Parameters
    ----------
    a : array_like or Tensor
    order : {'C'}, optional
        Only C order is supported; other orders raise a ValueError.

    Returns
    -------
    Tensor
        A new array, never a view.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.flatten()
    Tensor([1., 2., 3., 4.], grad_fn=<Flatten>)
    """
    x = _real(a, "flatten")
    if order != "C":
        raise ValueError(f"flatten: only order='C' is supported, got order={order!r}")
    return Flatten.apply(x)


def squeeze(a, axis=None):
    """``a`` without its size-1 axes (those in ``axis``, or all of them), as a view.

    Parameters
    ----------
    a : array_like or Tensor
    axis : None, int or tuple of ints, optional
        The axes to remove; each must have size 1. As numpy, a 0-d tensor takes axis 0 or -1.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.zeros(1, 3, 1)
    >>> ag.squeeze(x).shape, ag.squeeze(x, axis=-1).shape
    ((3,), (1, 3))
    >>> ag.squeeze(x, axis=1)
    Traceback (most recent call last):
        ...
    ValueError: squeeze: cannot squeeze out axis 1 of a tensor of shape (1, 3, 1): ...
    """
    x = _real(a, "squeeze")
    shape = x.shape
    if axis is None:
        return Reshape.apply(x, shape=tuple(n for n in shape if n != 1))
    if not shape and not isinstance(axis, (tuple, list)) and axis in (0, -1):
        return Reshape.apply(x, shape=())         # numpy's allowance for 0-d arrays
    axes = _axes(axis, len(shape), "squeeze", shape)
    for k in axes:
        if shape[k] != 1:
            raise ValueError(f"squeeze: cannot squeeze out axis {k} of a tensor of shape "
                             f"{_shape_str(shape)}: its size is {shape[k]}, not 1")
    return Reshape.apply(x, shape=tuple(n for k, n in enumerate(shape) if k not in axes))


def expand_dims(a, axis):
    """``a`` with new size-1 axes at the positions ``axis`` of the result, as a view.

    Parameters
    ----------
    a : array_like or Tensor
    axis : int or tuple of ints
        Positions of the new axes in the result (negative ones count from its end).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.zeros(2, 3)
    >>> ag.expand_dims(x, 0).shape, ag.expand_dims(x, (0, -1)).shape
    ((1, 2, 3), (1, 2, 3, 1))
    """
    x = _real(a, "expand_dims")
    n = len(axis) if isinstance(axis, (tuple, list)) else 1
    out_ndim = x.ndim + n
    axes = _axes(axis, out_ndim, "expand_dims", x.shape,
                 of=f"the {out_ndim} axes of the result (a tensor of shape "
                    f"{_shape_str(x.shape)} and {n} new)")
    dims = iter(x.shape)
    return Reshape.apply(x, shape=tuple(1 if k in axes else next(dims) for k in range(out_ndim)))


def moveaxis(a, source, destination):
    """``a`` with axes ``source`` moved to positions ``destination`` (the others keep their
    order), as a view.

    Parameters
    ----------
    a : array_like or Tensor
    source, destination : int or sequence of int
        The axes to move and where they go: as many of one as of the other.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.zeros(2, 3, 4)
    >>> ag.moveaxis(x, 0, -1).shape, ag.moveaxis(x, [0, 1], [-1, -2]).shape
    ((3, 4, 2), (4, 3, 2))
    """
    x = _real(a, "moveaxis")
    src = _axes(source, x.ndim, "moveaxis", x.shape, "source")
    dst = _axes(destination, x.ndim, "moveaxis", x.shape, "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source!r} and destination {destination!r} must "
                         f"name as many axes")
    order = [k for k in range(x.ndim) if k not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return Transpose.apply(x, axes=tuple(order))


def flip(m, axis=None):
    """``m`` reversed along ``axis`` (None: every axis), as a view.

    The gradient is the output's gradient flipped the same way.

    Parameters
    ----------
    m : array_like or Tensor
    axis : None, int or tuple of ints, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.flip(x, 1)
    Tensor([[2., 1.],
            [4., 3.]], grad_fn=<Flip>)
    >>> (ag.flip(x) * ag.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    >>> x.grad
    Tensor([[4., 3.],
            [2., 1.]])
    """
    x = _real(m, "flip")
    axes = tuple(range(x.ndim)) if axis is None else _axes(axis, x.ndim, "flip", x.shape)
    return Flip.apply(x, axes=axes)


def roll(a, shift, axis=None):
    """``a`` shifted cyclically by ``shift`` places along ``axis``.

    With ``axis=None`` the flattened array is rolled and the shape restored. ``shift`` and
    ``axis`` may be tuples (broadcast against each other); shifts on one axis add up. The
    gradient is rolled back by -shift.

    Parameters
    ----------
    a : array_like or Tensor
    shift : int or tuple of ints
        Places to shift by (integers: a float shift raises a TypeError).
    axis : None, int or tuple of ints, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = ag.roll(x, 1)
    >>> y
    Tensor([3., 1., 2.], grad_fn=<Roll>)
    >>> (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    >>> x.grad
    Tensor([2., 3., 1.])
    """
    x = _real(a, "roll")
    shifts = _counts(shift, "roll", "shift")
    if axis is None:            # every shift rolls the one axis of the flattened array
        return Roll.apply(x, shift=int(shifts.sum()), axis=None)
    axes = _axes(axis, x.ndim, "roll", x.shape, unique=False)
    try:
        pairs = np.broadcast(shifts, np.asarray(axes, dtype=np.intp))
    except ValueError:
        raise ValueError(f"roll: shift {shift!r} and axis {axis!r} do not broadcast to one "
                         f"length") from None
    total = {}
    for s, k in pairs:
        total[int(k)] = total.get(int(k), 0) + int(s)
    return Roll.apply(x, shift=tuple(total.values()), axis=tuple(total))


def repeat(a, repeats, axis=None):
    """Each element of ``a`` repeated along ``axis`` (None: of the flattened array).

    ``repeats`` is an int (every element that many times) or one count per element along the
    axis. The gradient of each element is the sum of its copies' gradients.

    Parameters
    ----------
    a : array_like or Tensor
    repeats : int or sequence of ints
        Non-negative counts: one, or one per element along ``axis``.
    axis : int, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.repeat(x, [1, 3])
    >>> y
    Tensor([1., 2., 2., 2.], grad_fn=<GetItem>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1., 3.])
    >>> ag.repeat(ag.tensor([[1.0, 2.0]]), 2, axis=0)
    Tensor([[1., 2.],
            [1., 2.]])
    """
    x = _real(a, "repeat")
    counts = _counts(repeats, "repeat", "repeats")
    if (counts < 0).any():
        raise ValueError(f"repeat: repeats must not be negative, got {repeats!r}")
    if axis is None:
        x, axis = Reshape.apply(x, shape=(-1,)), 0
    else:
        axis, = _axes(axis, x.ndim, "repeat", x.shape)
    n = x.shape[axis]
    if counts.size != 1 and counts.size != n:
        raise ValueError(f"repeat: repeats has {counts.size} counts but axis {axis} of the "
                         f"tensor (shape {_shape_str(x.shape)}) has {n} elements")
    flat = counts.reshape(-1)
    if flat.size == 0 or (flat == flat[0]).all():    # one count for all: copies to sum
        return Repeat.apply(x, repeats=int(flat[0]) if flat.size else 0, axis=axis)
    # per-element counts: a gather of each element's index, whose gradient adds the copies up
    index = np.repeat(np.arange(n), counts)
    return GetItem.apply(x, index=(slice(None),) * axis + (index,))


def tile(A, reps):
    """``A`` repeated as a whole ``reps[k]`` times along each axis k, as ``np.tile``.

    When ``reps`` is longer than A.ndim, A gets leading size-1 axes; when shorter, ``reps``
    gets leading 1s. The gradient sums the copies.

    Parameters
    ----------
    A : array_like or Tensor
    reps : int or sequence of ints
        Non-negative repetitions per axis.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tile(x, (2, 2))
    >>> y
    Tensor([[1., 2., 1., 2.],
            [1., 2., 1., 2.]], grad_fn=<Tile>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([4., 4.])
    """
    x = _real(A, "tile")
    counts = _counts(reps, "tile", "reps")
    if (counts < 0).any():
        raise ValueError(f"tile: reps must not be negative, got {reps!r}")
    return Tile.apply(x, reps=tuple(int(r) for r in counts.reshape(-1)))


def _atleast(arys, ndim, op):
    out = []
    for a in arys:
        x = _real(a, op)
        if x.ndim < ndim:       # a scalar -> (1,) or (1, 1); a vector -> one row
            x = Reshape.apply(x, shape=(1,) * (ndim - x.ndim) + x.shape)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys):
    """Each input with at least one axis (a scalar becomes shape (1,)); others as they are.

    Parameters
    ----------
    *arys : array_like or Tensor

    Returns
    -------
    Tensor or tuple of Tensor
        One tensor for one input, else a tuple (empty for none), as numpy.

    Examples
    --------
    >>> import autograd as ag
    >>> [t.shape for t in ag.atleast_1d(1.0, ag.zeros(2, 3))]
    [(1,), (2, 3)]
    """
    return _atleast(arys, 1, "atleast_1d")


def atleast_2d(*arys):
    """Each input with at least two axes (a scalar becomes (1, 1), a vector of n (1, n)).

    Parameters
    ----------
    *arys : array_like or Tensor

    Returns
    -------
    Tensor or tuple of Tensor
        One tensor for one input, else a tuple (empty for none), as numpy.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.atleast_2d(ag.tensor([1.0, 2.0]))
    Tensor([[1., 2.]])
    """
    return _atleast(arys, 2, "atleast_2d")


_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def _join(tup, ndim, op, dtype, casting):
    if casting not in _CASTINGS:
        raise ValueError(f"{op}: casting must be one of {_CASTINGS}, got {casting!r}")
    parts = _atleast(list(tup), ndim, op)
    parts = [parts] if not isinstance(parts, tuple) else list(parts)
    if not parts:
        raise ValueError(f"{op}: need at least one tensor")
    if dtype is not None:
        dtype = np.dtype(dtype)
        for x in parts:
            if not np.can_cast(x.dtype, dtype, casting):
                raise TypeError(f"{op}: cannot cast dtype {x.dtype} to {dtype} under "
                                f"casting={casting!r}")
        parts = [x if x.dtype == dtype else astype(x, dtype) for x in parts]
    axis = 0 if ndim == 2 or parts[0].ndim == 1 else 1
    try:
        return Concatenate.apply(*parts, axis=axis)
    except ValueError:
        shapes = ", ".join(_shape_str(x.shape) for x in parts)
        raise ValueError(f"{op}: cannot join tensors of shapes {shapes} along axis {axis}: all "
                         f"axes but that one must match") from None


def hstack(tup, *, dtype=None, casting="same_kind"):
    """The inputs joined along their second axis (the first for vectors and scalars).

    As numpy: ``concatenate(atleast_1d(*tup), axis)``; each input's gradient is its part.

    Parameters
    ----------
    tup : sequence of array_like or Tensor
    dtype : data-type, optional
        Cast each input to it first (allowed by ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> ag.hstack([ag.tensor([1.0, 2.0]), ag.tensor(3.0)])
    Tensor([1., 2., 3.])
    >>> ag.hstack([ag.zeros(2, 1), ag.ones(2, 2)]).shape
    (2, 3)
    """
    return _join(tup, 1, "hstack", dtype, casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    """The inputs joined along their first axis, vectors taken as rows.

    As numpy: ``concatenate(atleast_2d(*tup), axis=0)``; each input's gradient is its part.

    Parameters
    ----------
    tup : sequence of array_like or Tensor
    dtype : data-type, optional
        Cast each input to it first (allowed by ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> ag.vstack([ag.tensor([1.0, 2.0]), ag.tensor([[3.0, 4.0]])])
    Tensor([[1., 2.],
            [3., 4.]])
    """
    return _join(tup, 2, "vstack", dtype, casting)


def matrix_transpose(x, /):
    """``x`` with its last two axes swapped (numpy 2's ``np.matrix_transpose``, ``t.mT``).

    Parameters
    ----------
    x : array_like or Tensor
        At least two axes.

    Returns
    -------
    Tensor
        A view.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.zeros(5, 2, 3).mT.shape
    (5, 3, 2)
    >>> ag.matrix_transpose(ag.zeros(3))
    Traceback (most recent call last):
        ...
    ValueError: matrix_transpose: needs a tensor of at least 2 dimensions, got shape (3,)
    """
    x = _real(x, "matrix_transpose")
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: needs a tensor of at least 2 dimensions, got shape "
                         f"{_shape_str(x.shape)}")
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return Transpose.apply(x, axes=axes)
