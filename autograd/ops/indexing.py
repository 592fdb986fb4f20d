"""Picking and placing elements: split, array_split, pad, take, take_along_axis, diagonal, diag,
trace, triu, tril.

Every gradient is a placement of the output's gradient back where the elements came from (a
slice, a scatter-add through index arrays, a diagonal, a triangle), written with Functions
whose own backward is the matching read, so that second derivatives are recorded too.
"""
import numpy as np

from ..function import Function, dual, raw
from .checks import real_tensor
from .reductions import Sum, _axis_tuple
from .shape import Concatenate, GetItem, ScatterAdd

__all__ = ["split", "array_split", "pad", "take", "take_along_axis", "diagonal", "diag",
           "trace", "triu", "tril"]

_scatter_add = dual(ScatterAdd)
_concatenate = dual(Concatenate)


def _real(x, op):
    """x as a Tensor of a real (or integer, boolean) dtype: complex raises, naming the op."""
    return real_tensor(x, op)


def _axis(axis, ndim, op, shape):
    """One axis, made non-negative; out of bounds raises numpy's AxisError naming the op."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    return _axis_tuple(int(axis), ndim, op, shape)[0]


def _no_out(out, op):
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (a result written into an existing array "
                        f"would leave the graph); use the returned Tensor")


# ----------------------------------------------------------------------------- split
class Split(Function):
    """out_k = x[pieces_k] along ``axis``, one output per piece;  x's gradient is the pieces'
    gradients put back in place: joined (Concatenate) when the pieces tile the axis in order,
    else each scattered and summed (numpy's split takes any indices: pieces may overlap)."""

    @staticmethod
    def forward(ctx, x, bounds=None, axis=0):
        lead = (slice(None),) * axis
        ctx.slices = [lead + (slice(a, b),) for a, b in bounds]
        ctx.shape, ctx.axis = x.shape, axis
        # numpy's slicing of each (start, stop): in order and with no gap, they tile the axis
        pos, tiled = 0, True
        for a, b in bounds:
            a, b, _ = slice(a, b).indices(x.shape[axis])
            if b > a:
                tiled, pos = tiled and a == pos, b
        ctx.tiled = tiled and pos == x.shape[axis]
        return tuple(x[s] for s in ctx.slices)

    @staticmethod
    def backward(ctx, *grad_outputs):
        if ctx.tiled:
            return _concatenate(*grad_outputs, axis=ctx.axis)
        total = 0
        for g, s in zip(grad_outputs, ctx.slices):
            total = total + _scatter_add(g, shape=ctx.shape, index=s)
        return total


def _split(ary, indices_or_sections, axis, op, equal):
    x = _real(ary, op)
    ax = _axis(axis, x.ndim, op, x.shape)
    n = x.shape[ax]
    spec = raw(indices_or_sections)
    if np.ndim(spec) == 0:
        try:
            sections = int(spec)
        except (TypeError, ValueError):
            raise TypeError(f"{op}: indices_or_sections must be an int or a sequence of ints, "
                            f"got {indices_or_sections!r}") from None
        if sections <= 0:
            raise ValueError(f"{op}: number sections must be larger than 0, got {sections}")
        if equal and n % sections:
            raise ValueError(f"{op}: array split does not result in an equal division: axis "
                             f"{ax} of length {n} (shape {x.shape}) into {sections} sections")
        each, extra = divmod(n, sections)
        sizes = [0] + extra * [each + 1] + (sections - extra) * [each]
        points = np.cumsum(sizes).tolist()
    else:
        points = [0] + [int(i) for i in np.asarray(spec).tolist()] + [n]
    bounds = tuple(zip(points[:-1], points[1:]))
    return list(Split.apply(x, bounds=bounds, axis=ax))


def split(ary, indices_or_sections, axis=0):
    """Split a tensor into a list of tensors along ``axis``, as ``np.split``.

    Each piece is differentiable; a piece that is not used gets zero gradient.

    Parameters
    ----------
    ary : array_like or Tensor
        The input.
    indices_or_sections : int or sequence of int
        N: N equal pieces (the axis length must divide by N). A sequence: the positions along
        ``axis`` where pieces start (``[2, 3]`` gives ``ary[:2], ary[2:3], ary[3:]``).
    axis : int, optional
        The axis to split along (default 0).

    Returns
    -------
    list of Tensor

    Raises
    ------
    ValueError
        If N does not divide the axis length, or N is not positive.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.arange(6.0, requires_grad=True)
    >>> a, b, c = ag.split(x, 3)
    >>> b
    Tensor([2., 3.], grad_fn=<Split>)
    >>> (b * 10).sum().backward()
    >>> x.grad
    Tensor([ 0.,  0., 10., 10.,  0.,  0.])
    """
    return _split(ary, indices_or_sections, axis, "split", True)


def array_split(ary, indices_or_sections, axis=0):
    """Split a tensor into a list of tensors along ``axis``, as ``np.array_split``.

    The arguments are :func:`split`'s, but N sections need not divide the axis: the first
    ``length % N`` pieces get one element more.

    Examples
    --------
    >>> import autograd as ag
    >>> [p.shape for p in ag.array_split(ag.zeros(5), 3)]
    [(2,), (2,), (1,)]
    """
    return _split(ary, indices_or_sections, axis, "array_split", False)


# ----------------------------------------------------------------------------- pad
_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


class Pad(Function):
    """out = x padded as ``np.pad``;  mode "constant": x's gradient is the interior slice of the
    output's. The other modes copy elements of x into the border: each output position holds
    x's flat element ``index[position]`` (an arange of x's size padded by numpy itself), and
    the gradient is the scatter-add of the output's gradient through that index."""

    @staticmethod
    def forward(ctx, x, pad_width=None, mode="constant", kwargs=None):
        kwargs = kwargs or {}
        try:
            out = np.pad(x, pad_width, mode, **kwargs)
        except (ValueError, TypeError, IndexError) as e:
            raise type(e)(f"pad: cannot pad a tensor of shape {x.shape} with pad_width "
                          f"{pad_width!r} in mode {mode!r}: {e}") from None
        ctx.shape, ctx.mode, ctx.kwargs, ctx.pad_width = x.shape, mode, kwargs, pad_width
        return out

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.mode == "constant":
            # the widths before each axis, as numpy reads pad_width: where a lone 1 lands
            ones = np.ones((1,) * len(ctx.shape), bool)
            before = np.argwhere(np.pad(ones, ctx.pad_width))[0].tolist()
            return grad_output[tuple(slice(a, a + n) for a, n in zip(before, ctx.shape))]
        size = int(np.prod(ctx.shape))
        # where each output element came from: a constant of the shapes, not of the values
        index = np.pad(np.arange(size, dtype=np.intp if size >= 2**31 else np.int32)
                       .reshape(ctx.shape), ctx.pad_width, ctx.mode,
                       **ctx.kwargs)
        flat = _scatter_add(grad_output.reshape(-1), shape=(size,), index=(index.reshape(-1),))
        return flat.reshape(ctx.shape)


def pad(array, pad_width, mode="constant", **kwargs):
    """Pad a tensor, as ``np.pad``, in the modes "constant", "edge", "reflect", "symmetric" and
    "wrap".

    The gradient of an element of ``array`` sums the output's gradient over every position
    that holds a copy of it; the constant border carries no gradient (``constant_values`` are
    constants).

    Parameters
    ----------
    array : array_like or Tensor
        The input.
    pad_width : int, sequence or dict
        The widths, as numpy takes them: ``n``, ``(before, after)``, one pair per axis, or
        ``{axis: width}``.
    mode : str, optional
        "constant" (default), "edge", "reflect", "symmetric" or "wrap".
    **kwargs
        ``constant_values`` (mode "constant": a scalar, a pair, or a pair per axis) and
        ``reflect_type`` ("reflect" and "symmetric": "even" only).

    Returns
    -------
    Tensor
        (A ValueError for another mode, ``reflect_type="odd"``, a negative width or a keyword
        numpy does not take for the mode.)

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = ag.pad(x, (2, 1), mode="reflect")
    >>> y
    Tensor([3., 2., 1., 2., 3., 2.], grad_fn=<Pad>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1., 3., 2.])
    >>> ag.pad(ag.tensor([1.0]), 1, constant_values=9.0)
    Tensor([9., 1., 9.])
    """
    x = _real(array, "pad")
    if not isinstance(mode, str) or mode not in _PAD_MODES:
        name = getattr(mode, "__name__", mode)
        raise ValueError(f"pad: mode {name!r} is not supported by autograd (supported: "
                         f"{', '.join(_PAD_MODES)})")
    if kwargs.get("reflect_type", "even") != "even":
        # odd reflection (2·edge − mirror, repeated) is no copy of elements: not a scatter
        raise ValueError(f"pad: reflect_type={kwargs['reflect_type']!r} is not supported by "
                         f"autograd (only 'even')")
    if "constant_values" in kwargs:
        kwargs["constant_values"] = np.asarray(raw(kwargs["constant_values"])).tolist()
    pad_width = raw(pad_width)
    if isinstance(pad_width, np.ndarray):
        pad_width = pad_width.tolist()
    if isinstance(pad_width, dict):     # numpy 2.3's {axis: width}, spelled out for older numpy
        widths = [(0, 0)] * x.ndim
        for axis, w in pad_width.items():
            if not -x.ndim <= axis < x.ndim:
                raise np.exceptions.AxisError(f"pad: axis {axis} is out of bounds for a "
                                              f"tensor of shape {x.shape}")
            widths[axis] = (w, w) if np.ndim(w) == 0 else tuple(w)
        pad_width = widths
    return Pad.apply(x, pad_width=pad_width, mode=mode, kwargs=kwargs)


# ----------------------------------------------------------------------------- take
def _int_indices(indices, op, take):
    """The indices as an integer array; for take, as numpy casts them: booleans count as 0 and
    1, and an empty list is an empty integer array."""
    idx = np.asarray(raw(indices))
    if take and (idx.dtype.kind == "b" or idx.size == 0 and idx.dtype.kind == "f"):
        idx = idx.astype(np.intp)
    if idx.dtype.kind not in "iu":
        raise (TypeError if take else IndexError)(
            f"{op}: indices must be an integer array, got dtype {idx.dtype}")
    return idx


def _check_bounds(idx, n, op, axis, shape):
    if idx.size and n == 0:
        raise IndexError(f"{op}: cannot take from the empty axis {axis} of a tensor of shape "
                         f"{tuple(shape)}")
    if idx.size:
        lo, hi = int(idx.min()), int(idx.max())
        if lo < -n or hi >= n:
            raise IndexError(f"{op}: index {lo if lo < -n else hi} is out of bounds for axis "
                             f"{axis} with size {n} (tensor of shape {tuple(shape)})")


def take(a, indices, axis=None, out=None, mode="raise"):
    """Elements picked by index along an axis, as ``np.take`` (``a[..., indices, ...]``).

    The gradient is scattered back: an index that repeats adds up its gradients.

    Parameters
    ----------
    a : array_like or Tensor
        The input.
    indices : int or array_like of int
        The positions to take (negative ones count from the end in mode "raise").
    axis : int, optional
        The axis to take along; None (default) takes from the flattened input.
    out : None
        Not supported (a TypeError if given).
    mode : {"raise", "wrap", "clip"}, optional
        Out-of-range indices: an error (default), wrapped around, or clipped to [0, n − 1].

    Returns
    -------
    Tensor
        Of shape ``a.shape[:axis] + indices.shape + a.shape[axis + 1:]`` (an IndexError for
        an index out of bounds in mode "raise", or an empty axis).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.take(x, [1, 1, 0], axis=1)
    >>> y
    Tensor([[2., 2., 1.],
            [4., 4., 3.]], grad_fn=<GetItem>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([[1., 2.],
            [1., 2.]])
    """
    _no_out(out, "take")
    x = _real(a, "take")
    if axis is None:
        x, axis = x.reshape(-1), 0
    else:
        axis = _axis(axis, x.ndim, "take", x.shape)
    idx = _int_indices(indices, "take", True)
    n = x.shape[axis]
    if mode == "wrap" and n:
        idx = idx % n
    elif mode == "clip" and n:
        idx = np.clip(idx, 0, n - 1)
    elif mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    _check_bounds(idx, n, "take", axis, x.shape)
    return GetItem.apply(x, index=(slice(None),) * axis + (idx,))


def take_along_axis(arr, indices, axis=-1):
    """Elements picked along ``axis`` by an index array of the input's rank, as
    ``np.take_along_axis`` (the values of ``argsort``, say).

    The gradient is scattered back; repeated indices add up.

    Parameters
    ----------
    arr : array_like or Tensor
        The input.
    indices : array_like of int
        Of ``arr``'s number of axes; its other axes broadcast against ``arr``'s.
    axis : int or None, optional
        The axis to take along (default -1); None takes from the flattened input (then
        ``indices`` is 1-D).

    Returns
    -------
    Tensor

    Raises
    ------
    IndexError
        For non-integer or out-of-bounds indices, or shapes that do not broadcast.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    >>> y = ag.take_along_axis(x, np.array([[1, 2, 0]]), axis=1)
    >>> y
    Tensor([[1., 2., 3.]], grad_fn=<GetItem>)
    >>> (y * ag.tensor([1.0, 2.0, 3.0])).sum().backward()
    >>> x.grad
    Tensor([[3., 1., 2.]])
    """
    op = "take_along_axis"
    x = _real(arr, op)
    idx = _int_indices(indices, op, False)
    if axis is None:
        if idx.ndim != 1:
            raise ValueError(f"{op}: with axis=None, indices must be 1-D, got shape "
                             f"{idx.shape}")
        x, axis = x.reshape(-1), 0
    if idx.ndim != x.ndim:
        raise ValueError(f"{op}: indices (shape {idx.shape}) and arr (shape {x.shape}) must "
                         f"have the same number of dimensions")
    axis = _axis(axis, x.ndim, op, x.shape)
    _check_bounds(idx, x.shape[axis], op, axis, x.shape)
    others = [s for k, s in enumerate(x.shape) if k != axis]
    try:
        np.broadcast_shapes(tuple(others), tuple(s for k, s in enumerate(idx.shape)
                                                 if k != axis))
    except ValueError:
        raise IndexError(f"{op}: indices of shape {idx.shape} do not broadcast against arr of "
                         f"shape {x.shape} (all axes but {axis})") from None
    index = tuple(idx if k == axis else
                  np.arange(n).reshape((1,) * k + (-1,) + (1,) * (x.ndim - k - 1))
                  for k, n in enumerate(x.shape))
    return GetItem.apply(x, index=index)


# ----------------------------------------------------------------------------- diagonals
def _diag_index(n1, n2, offset):
    """Row and column indices of the ``offset`` diagonal of an n1 × n2 matrix."""
    d = max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))
    k = np.arange(d)
    return (k, k + offset) if offset >= 0 else (k - offset, k)


class Diagonal(Function):
    """out = the ``offset`` diagonal of the (axis1, axis2) planes, as the last axis (a copy);
    the gradient is placed on that diagonal of zeros (:class:`DiagonalEmbed`)."""

    @staticmethod
    def forward(ctx, x, offset=0, axis1=0, axis2=1):
        ctx.shape, ctx.offset, ctx.axes = x.shape, offset, (axis1, axis2)
        return np.diagonal(x, offset, axis1, axis2).copy()

    @staticmethod
    def backward(ctx, grad_output):
        a1, a2 = ctx.axes
        return _diag_embed(grad_output, shape=ctx.shape, offset=ctx.offset, axis1=a1, axis2=a2)


class DiagonalEmbed(Function):
    """out = zeros of ``shape`` with g on the ``offset`` diagonal of the (axis1, axis2) planes
    (g's last axis runs along it);  the gradient is that diagonal of the output's gradient."""

    @staticmethod
    def forward(ctx, g, shape=None, offset=0, axis1=0, axis2=1):
        ctx.offset, ctx.axes = offset, (axis1, axis2)
        out = np.zeros(shape, g.dtype)
        rows, cols = _diag_index(shape[axis1], shape[axis2], offset)
        # a view with the plane's axes last: the two index arrays are adjacent, so the
        # diagonal runs along the last axis, as np.diagonal gives it
        np.moveaxis(out, (axis1, axis2), (-2, -1))[..., rows, cols] = g
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a1, a2 = ctx.axes
        return _diagonal(grad_output, offset=ctx.offset, axis1=a1, axis2=a2)


_diagonal = dual(Diagonal)
_diag_embed = dual(DiagonalEmbed)


def _plane(x, axis1, axis2, op):
    if x.ndim < 2:
        raise ValueError(f"{op}: needs a tensor of at least 2 dimensions, got shape "
                         f"{x.shape}")
    a1 = _axis(axis1, x.ndim, op, x.shape)
    a2 = _axis(axis2, x.ndim, op, x.shape)
    if a1 == a2:
        raise ValueError(f"{op}: axis1 and axis2 cannot be the same (both {a1}, shape "
                         f"{x.shape})")
    return a1, a2


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The ``offset`` diagonal of the (axis1, axis2) planes, as ``np.diagonal``.

    The other axes come first, the diagonal last; the gradient is placed back on the diagonal
    of zeros. Unlike numpy's read-only view, the result is a new array.

    Parameters
    ----------
    a : array_like or Tensor
        The input, of 2 dimensions or more.
    offset : int, optional
        Above the main diagonal if positive, below if negative (default 0).
    axis1, axis2 : int, optional
        The axes of the planes (default 0 and 1).

    Returns
    -------
    Tensor
        Of the other axes' shape and the diagonal's length (a ValueError for fewer than 2 axes
        or axis1 == axis2).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.diagonal(x)
    >>> y
    Tensor([1., 4.], grad_fn=<Diagonal>)
    >>> (y * ag.tensor([5.0, 6.0])).sum().backward()
    >>> x.grad
    Tensor([[5., 0.],
            [0., 6.]])
    """
    x = _real(a, "diagonal")
    a1, a2 = _plane(x, axis1, axis2, "diagonal")
    return Diagonal.apply(x, offset=int(offset), axis1=a1, axis2=a2)


def diag(v, k=0):
    """A 1-D tensor on the ``k`` diagonal of a square matrix, or a matrix's ``k`` diagonal, as
    ``np.diag``.

    The gradients are each other's: the diagonal of the gradient, or it placed on one.

    Parameters
    ----------
    v : array_like or Tensor
        1-D: the diagonal to place; 2-D: the matrix to read.
    k : int, optional
        The diagonal: above the main one if positive, below if negative (default 0).

    Returns
    -------
    Tensor
        An (n + |k|) × (n + |k|) matrix, or a 1-D tensor (else a ValueError).

    Examples
    --------
    >>> import autograd as ag
    >>> ag.diag(ag.tensor([1.0, 2.0]), k=1)
    Tensor([[0., 1., 0.],
            [0., 0., 2.],
            [0., 0., 0.]])
    >>> ag.diag(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), k=-1)
    Tensor([3.])
    """
    x = _real(v, "diag")
    k = int(k)
    if x.ndim == 1:
        n = x.shape[0] + abs(k)
        return DiagonalEmbed.apply(x, shape=(n, n), offset=k, axis1=0, axis2=1)
    if x.ndim == 2:
        return Diagonal.apply(x, offset=k, axis1=0, axis2=1)
    raise ValueError(f"diag: input must be 1-D or 2-D, got shape {x.shape}")


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """The sum along a diagonal of the (axis1, axis2) planes, as ``np.trace``.

    Parameters
    ----------
    a : array_like or Tensor
        The input, of 2 dimensions or more.
    offset : int, optional
        The diagonal (default 0).
    axis1, axis2 : int, optional
        The axes of the planes (default 0 and 1).
    dtype : dtype, optional
        The dtype to sum in (the input is cast to it first); by default numpy's (integers and
        booleans sum as the default integer).
    out : None
        Not supported (a TypeError if given).

    Returns
    -------
    Tensor
        A scalar for a matrix; else of the other axes' shape.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.trace(x)
    >>> y
    Tensor(5., grad_fn=<Sum>)
    >>> y.backward()
    >>> x.grad
    Tensor([[1., 0.],
            [0., 1.]])
    """
    _no_out(out, "trace")
    x = _real(a, "trace")
    a1, a2 = _plane(x, axis1, axis2, "trace")
    if dtype is not None:
        x = x.astype(dtype)
    return Sum.apply(Diagonal.apply(x, offset=int(offset), axis1=a1, axis2=a2), axis=-1)


# ----------------------------------------------------------------------------- triangles
def _keep_mask(shape, k, lower):
    """True where triu (or tril, ``lower``) keeps an element of the last two axes' matrix; a 1-D
    input is one row, broadcast to a square matrix, as numpy 2 does."""
    n, m = shape[-2:] if len(shape) >= 2 else (shape[-1], shape[-1])
    below = np.tri(n, m, k if lower else k - 1, dtype=bool)
    return below if lower else ~below


class Triu(Function):
    """out = x with the elements below the ``k`` diagonal set to 0 (on the last two axes);  the
    gradient is triu of the output's (a constant mask multiply)."""

    _lower = False

    @classmethod
    def forward(cls, ctx, x, k=0):
        keep = _keep_mask(x.shape, k, cls._lower)
        ctx.keep = keep
        return np.where(keep, x, np.zeros(1, x.dtype))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.keep.astype(raw(grad_output).dtype)


class Tril(Triu):
    """out = x with the elements above the ``k`` diagonal set to 0;  the gradient is tril of
    the output's."""

    _lower = True


def _triangle(m, k, cls, op):
    x = _real(m, op)
    if x.ndim == 0:
        raise ValueError(f"{op}: needs a tensor of at least 1 dimension, got a scalar")
    return cls.apply(x, k=int(k))


def triu(m, k=0):
    """The upper triangle of the last two axes (below the ``k`` diagonal zeroed), as
    ``np.triu``.

    Batched over the leading axes; a 1-D input is taken as a row repeated into a square
    matrix, as numpy does. The gradient is triu of the output's gradient.

    Parameters
    ----------
    m : array_like or Tensor
        The input, of 1 dimension or more.
    k : int, optional
        The diagonal at and above which elements are kept (default 0).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.triu(x)
    >>> y
    Tensor([[1., 2.],
            [0., 4.]], grad_fn=<Triu>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([[1., 1.],
            [0., 1.]])
    """
    return _triangle(m, k, Triu, "triu")


def tril(m, k=0):
    """The lower triangle of the last two axes (above the ``k`` diagonal zeroed), as
    ``np.tril``.

    As :func:`triu` (batched; a 1-D input is a row repeated into a square matrix), keeping
    the elements at and below the ``k`` diagonal. The gradient is tril of the output's gradient.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.tril(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), k=-1)
    Tensor([[0., 0.],
            [3., 0.]])
    """
    return _triangle(m, k, Tril, "tril")
