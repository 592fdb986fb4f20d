"""Products beyond matmul: dot, inner, outer, vdot, tensordot, einsum, kron, cross.

One primitive, :class:`Einsum`, carries every contraction: dot, inner, vdot and tensordot are
Einsum nodes whose forward runs numpy's own function (values equal numpy's to the last bit)
and whose subscripts say what was contracted. Their gradients are einsums again, so they are
recorded under ``create_graph=True`` and differentiate to any order. outer, kron and cross
are products and differences, composed of existing ops.
"""
import functools
import string

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t
from .checks import check_real
from .elementwise import astype
from .reductions import _AxisError
from .shape import reshape, stack, transpose

__all__ = ["dot", "inner", "outer", "vdot", "tensordot", "einsum", "kron", "cross"]

# numpy's einsum labels: sublist integers 0-25 are a-z, 26-51 are A-Z
_LETTERS = string.ascii_lowercase + string.ascii_uppercase

# Past this many elements in an operand, a gradient's einsum takes numpy's optimized path
# (BLAS through tensordot); below it the plain C loop costs less than planning the path.
_OPTIMIZE_FROM = 1024


def _real(op, xs):
    for k, x in enumerate(xs):
        check_real(op, f"operand {k}", x)


def _no_out(op, out):
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (a Tensor result is always new)")


def _operands(xs):
    """Tensors stay, anything else becomes an array; the first becomes a Tensor if none is."""
    xs = [x if isinstance(x, Tensor) else np.asarray(x) for x in xs]
    if xs and not any(isinstance(x, Tensor) for x in xs):
        xs[0] = Tensor(xs[0])
    return xs


# ----------------------------------------------------------------------------- subscripts
def _free_letters(used):
    return [c for c in _LETTERS if c not in used]


@functools.lru_cache(maxsize=1024)
def _normalize(subscripts, shapes):
    """Subscripts as plain letters: ``(ins, out)`` with the ellipsis spelled out as letters for
    the actual ndims, the implicit output made explicit, and each axis of size 1 that
    broadcasts against a longer one given a letter of its own (so every letter has one size in
    every operand where it appears, and a broadcast axis is an axis summed over)."""
    s = subscripts.replace(" ", "")
    lhs, arrow, out = s.partition("->")
    ins = lhs.split(",")
    used = {c for c in s if c.isalpha()}
    free = _free_letters(used)
    extra = [len(shape) - (len(sub) - 3) for sub, shape in zip(ins, shapes) if "..." in sub]
    n_ell = max(extra, default=0)
    ell = "".join(free[:n_ell])
    free = free[n_ell:]
    if not arrow:          # implicit: the broadcast axes, then the letters seen once, sorted
        once = sorted(c for c in used if lhs.count(c) == 1)
        out = ("..." if extra else "") + "".join(once)
    spelled = []
    for sub, shape in zip(ins, shapes):
        if "..." in sub:
            n = len(shape) - (len(sub) - 3)
            sub = sub.replace("...", ell[n_ell - n:])
        spelled.append(sub)
    out = out.replace("...", ell)
    size = {}
    for sub, shape in zip(spelled, shapes):
        for c, n in zip(sub, shape):
            if n != 1 or c not in size:
                size[c] = n
    ins = []
    for sub, shape in zip(spelled, shapes):
        rename = {}
        for c, n in zip(sub, shape):
            if n == 1 and size[c] != 1 and c not in rename:
                if not free:
                    raise ValueError(f"einsum: too many distinct indices in {subscripts!r} to "
                                     f"differentiate (at most {len(_LETTERS)})")
                rename[c] = free.pop(0)
        ins.append("".join(rename.get(c, c) for c in sub))
    return tuple(ins), out


def _label(i):
    if i is Ellipsis:
        return "..."
    if isinstance(i, (int, np.integer)) and 0 <= i < len(_LETTERS):
        return _LETTERS[int(i)]
    raise ValueError(f"einsum: subscript labels in sublist format must be integers in "
                     f"[0, {len(_LETTERS)}) or Ellipsis, got {i!r}")


def _from_sublists(args):
    """numpy's sublist format ``(op0, sub0, op1, sub1, ..., [out])`` as (operands, subscripts);
    the implicit output is numpy's for sublists: the labels seen once in integer order."""
    ops, subs = list(args[0::2]), list(args[1::2])
    out = None
    if len(ops) > len(subs):
        out = ops.pop()
    ins = ["".join(map(_label, sub)) for sub in subs]
    if out is None:
        labels = [i for sub in subs for i in sub if i is not Ellipsis]
        once = sorted(int(i) for i in set(labels) if labels.count(i) == 1)
        out = ("..." if any(Ellipsis in sub for sub in subs) else "") + \
            "".join(_LETTERS[i] for i in once)
    else:
        out = "".join(map(_label, out))
    return ops, ",".join(ins) + "->" + out


# ----------------------------------------------------------------------------- the primitive
class Einsum(Function):
    """out = einsum(subscripts, *operands): a sum of products over the letters not in the output.

    For operand k, ∂L/∂operand_k is the einsum of grad_output (output letters) with the other
    operands, written to operand k's letters: the letters it shares with no one get a ones
    vector (the gradient is constant along them), and a letter repeated in it (a diagonal,
    ``ii``) gets an identity matrix that puts the gradient on that diagonal. Axes of size 1
    that broadcast carry a letter of their own (see ``_normalize``), summed back by the same
    rule. ``compute`` (numpy's dot, inner...) replaces np.einsum in forward, for exact values.
    """

    @staticmethod
    def forward(ctx, *operands, subscripts, optimize=False, compute=None):
        if compute is None:
            out = np.einsum(subscripts, *operands, optimize=optimize)
        else:
            out = compute(*operands)
        out = np.asarray(out)
        # a one-operand einsum can be a view of its operand (ii->i): a result of its own
        if len(operands) == 1 and np.may_share_memory(out, operands[0]):
            out = out.copy()
        if any(ctx.needs_input_grad):
            ctx.ins, ctx.out = _normalize(subscripts, tuple(np.shape(x) for x in operands))
            ctx.save_for_backward(*operands)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        operands = ctx.saved_tensors
        grads = tuple(_operand_grad(k, grad_output, operands, ctx.ins, ctx.out) if need
                      else None for k, need in enumerate(ctx.needs_input_grad))
        return grads[0] if len(grads) == 1 else grads


class Dot(Einsum):
    """out = np.dot(a, b): the last axis of a against the second-to-last of b (Einsum's rule)."""


class Inner(Einsum):
    """out = np.inner(a, b): the last axes of a and b contracted (Einsum's rule)."""


class Vdot(Einsum):
    """out = np.vdot(a, b) of 1-D a and b: their dot product (Einsum's rule)."""


class Tensordot(Einsum):
    """out = np.tensordot(a, b, axes): the given axes of a and b contracted (Einsum's rule)."""


_einsum = dual(Einsum)


def _operand_grad(k, g, operands, ins, out):
    """∂L/∂operand_k: an einsum of g with the other operands (see :class:`Einsum`)."""
    subscripts, constants = _grad_plan(k, ins, out, raw(operands[k]).shape)
    dtype = raw(g).dtype
    xs = [g] + [x for j, x in enumerate(operands) if j != k] + \
        [np.eye(n, dtype=dtype) if eye else np.ones(n, dtype=dtype) for eye, n in constants]
    big = any(raw(x).size > _OPTIMIZE_FROM for x in xs)
    return _einsum(*xs, subscripts=subscripts, optimize=len(xs) > 2 or big)


@functools.lru_cache(maxsize=1024)
def _grad_plan(k, ins, out, shape):
    """The subscripts of operand k's gradient einsum (g, the other operands, then the
    constants), and its constants: (True, n) for an n×n identity, (False, n) for n ones."""
    sub = ins[k]
    terms = [out] + [s for j, s in enumerate(ins) if j != k]
    have = set("".join(terms))
    free = _free_letters(set(out).union(*ins))
    target, seen, constants = [], set(), []
    for c, n in zip(sub, shape):
        if c in seen:                # a repeated letter: onto the diagonal, through I
            f = free.pop(0)
            target.append(f)
            terms.append(c + f)
            constants.append((True, n))
            continue
        seen.add(c)
        target.append(c)
        if c not in have and sub.count(c) == 1:   # summed in forward: constant along it
            terms.append(c)
            constants.append((False, n))
    return ",".join(terms) + "->" + "".join(target), tuple(constants)


def _letters(op, n, start=0):
    """n distinct letters from the start'th on; "Z", the last, is kept for dot's and inner's
    contracted axis."""
    if start + n > len(_LETTERS) - 1:
        raise ValueError(f"{op}: too many axes to differentiate ({start + n}; at most "
                         f"{len(_LETTERS) - 1} in all)")
    return _LETTERS[start:start + n]


# ----------------------------------------------------------------------------- functions
def einsum(subscripts, *operands, out=None, dtype=None, order="K", casting="safe",
           optimize=False):
    """Einstein summation, as ``np.einsum``: any subscripts numpy accepts.

    Implicit (``"ij,jk"``) and explicit (``"ij,jk->ik"``) output, ``...`` for broadcast
    axes, repeated letters within one operand (traces and diagonals, ``"ii->i"``), letters
    summed that appear in one operand only, size-1 axes broadcast, and numpy's sublist format
    ``einsum(a, [0, 1], b, [1, 2])``. The gradient of each operand is an einsum of the
    output's gradient with the other operands (see :class:`Einsum`), itself differentiable.

    Parameters
    ----------
    subscripts : str
        The letters of each operand's axes, comma-separated, and optionally ``->`` and the
        output's letters (or, in sublist format, the first operand).
    *operands : array_like or Tensor
        The operands (in sublist format, alternating with their lists of integer labels).
    out : None
        Not supported: must be None.
    dtype : data-type, optional
        Cast the operands to this dtype first (as numpy, under ``casting``).
    order : {'K', 'C', 'F', 'A'}, optional
        The memory layout of the result (numpy's; values are unaffected).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        Which casts ``dtype`` may make (default 'safe').
    optimize : bool, str or list, optional
        numpy's contraction order for the forward pass (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        For subscripts that do not fit the operands (numpy's message, prefixed by ``einsum:``);
        TypeError for complex operands, ``out=``, or a cast that ``casting`` forbids.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.einsum("ii", a)                   # the trace
    Tensor(5., grad_fn=<Einsum>)
    >>> y = ag.einsum("ij,j->i", a, ag.tensor([1.0, -1.0]))
    >>> y
    Tensor([-1., -1.], grad_fn=<Einsum>)
    >>> y.sum().backward()
    >>> a.grad
    Tensor([[ 1., -1.],
            [ 1., -1.]])
    """
    _no_out("einsum", out)
    if isinstance(subscripts, str):
        args, ops = None, list(operands)
        spelled = subscripts
    else:       # sublist format: numpy's own call gets the arguments as they came
        ops, spelled = _from_sublists((subscripts,) + operands)
        args = list((subscripts,) + operands)
    ops = _operands(ops)
    _real("einsum", ops)
    if dtype is not None:
        dtype = np.dtype(dtype)
        for k, x in enumerate(ops):
            if not np.can_cast(x.dtype, dtype, casting=casting):
                raise TypeError(f"einsum: cannot cast operand {k} from {x.dtype} to {dtype} "
                                f"under casting={casting!r}")
        ops = [astype(x, dtype) if x.dtype != dtype else x for x in ops]

    def compute(*arrays):
        if args is None:
            return np.einsum(subscripts, *arrays, order=order, casting=casting,
                             optimize=optimize)
        call = list(args)
        call[0:2 * len(arrays):2] = arrays
        return np.einsum(*call, order=order, casting=casting, optimize=optimize)

    try:
        return Einsum.apply(*ops, subscripts=spelled, compute=compute)
    except ValueError as e:
        if str(e).startswith("einsum:"):
            raise
        shapes = ", ".join(str(np.shape(raw(x))) for x in ops)
        raise ValueError(f"einsum: {e} (subscripts {spelled!r}, operand shapes {shapes})") \
            from None


def dot(a, b, out=None):
    """Dot product, as ``np.dot``: a sum over the last axis of a and the second-to-last of b.

    1-D · 1-D is the inner product; N-D · 1-D sums over the last axes; with a 0-d operand it
    is the product. N-D · M-D (M ≥ 2) gives shape ``a.shape[:-1] + b.shape[:-2] +
    b.shape[-1:]``. Gradients as for the einsum of the same contraction.

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands.
    out : None
        Not supported: must be None.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the contracted axes differ in length (TypeError: complex operands, ``out=``).

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.dot(a, ag.tensor([1.0, 1.0]))
    >>> y
    Tensor([3., 7.], grad_fn=<Dot>)
    >>> y.sum().backward()
    >>> a.grad
    Tensor([[1., 1.],
            [1., 1.]])
    """
    _no_out("dot", out)
    a, b = _operands([a, b])
    _real("dot", (a, b))
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        subscripts = _letters("dot", na) + "," + _letters("dot", nb, na)
    else:
        n_a, n_b = a.shape[-1], b.shape[0 if nb == 1 else -2]
        if n_a != n_b:
            raise ValueError(f"dot: shapes {a.shape} and {b.shape} are not aligned: the last "
                             f"axis of a ({n_a}) must equal the "
                             f"{'only' if nb == 1 else 'second-to-last'} axis of b ({n_b})")
        p, q = _letters("dot", na - 1), _letters("dot", nb - 1, na)
        b_sub = q[:-1] + "Z" + q[-1:] if nb > 1 else "Z"
        subscripts = f"{p}Z,{b_sub}->{p}{q}"
    return Dot.apply(a, b, subscripts=subscripts, compute=np.dot)


def inner(a, b):
    """Inner product over the last axes, as ``np.inner``: shape ``a.shape[:-1] +
    b.shape[:-1]``; with a 0-d operand, the product.

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands; their last axes must have the same length.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the last axes differ in length (TypeError: complex operands).

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.inner(a, ag.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
    Tensor([[1., 2., 3.],
            [3., 4., 7.]], grad_fn=<Inner>)
    """
    a, b = _operands([a, b])
    _real("inner", (a, b))
    na, nb = a.ndim, b.ndim
    if na == 0 or nb == 0:
        subscripts = _letters("inner", na) + "," + _letters("inner", nb, na)
    else:
        if a.shape[-1] != b.shape[-1]:
            raise ValueError(f"inner: the last axes of shapes {a.shape} and {b.shape} differ "
                             f"({a.shape[-1]} != {b.shape[-1]})")
        p, q = _letters("inner", na - 1), _letters("inner", nb - 1, na)
        subscripts = f"{p}Z,{q}Z->{p}{q}"
    return Inner.apply(a, b, subscripts=subscripts, compute=np.inner)


def vdot(a, b):
    """Dot product of the flattened operands, as ``np.vdot`` (real operands only).

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands, with the same number of elements (of any shapes).

    Returns
    -------
    Tensor
        A 0-d tensor.

    Raises
    ------
    ValueError
        If the sizes differ (TypeError: complex operands, which numpy's vdot conjugates).

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.vdot(a, ag.tensor([1.0, 0.0, 0.0, 2.0]))
    Tensor(9., grad_fn=<Vdot>)
    """
    a, b = _operands([a, b])
    _real("vdot", (a, b))
    if a.size != b.size:
        raise ValueError(f"vdot: operands of shapes {a.shape} and {b.shape} have different "
                         f"sizes ({a.size} != {b.size})")
    a = a if a.ndim == 1 else reshape(a, -1)
    b = b if b.ndim == 1 else reshape(b, -1)
    return Vdot.apply(a, b, subscripts="i,i->", compute=np.vdot)


def _tensordot_axes(axes, a, b):
    """numpy's reading of ``axes``: the contracted axes of a and b, non-negative."""
    try:
        iter(axes)
    except TypeError:
        if not isinstance(axes, (int, np.integer)):
            raise TypeError(f"tensordot: axes must be an int or a pair of sequences, got "
                            f"{axes!r}") from None
        if axes > min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: axes={axes} contracts more axes than shapes "
                             f"{a.shape} and {b.shape} have")
        axes_a, axes_b = list(range(-axes, 0)), list(range(axes))
    else:
        try:
            axes_a, axes_b = axes
        except (TypeError, ValueError):
            raise ValueError(f"tensordot: axes must be an int or a pair of sequences, got "
                             f"{axes!r}") from None
    axes_a = list(axes_a) if np.iterable(axes_a) else [axes_a]
    axes_b = list(axes_b) if np.iterable(axes_b) else [axes_b]
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: {len(axes_a)} axes of a against {len(axes_b)} of b "
                         f"(axes {axes!r})")
    out = []
    for name, ax, x in (("a", axes_a, a), ("b", axes_b, b)):
        for i in ax:
            if not -x.ndim <= i < x.ndim:
                raise _AxisError(f"tensordot: axis {i} is out of bounds for {name} of shape "
                                 f"{x.shape}")
        ax = [int(i) % x.ndim for i in ax]
        if len(set(ax)) != len(ax):
            raise ValueError(f"tensordot: duplicate axes are not allowed ({name}: {ax})")
        out.append(ax)
    for i, j in zip(*out):
        if a.shape[i] != b.shape[j]:
            raise ValueError(f"tensordot: shape-mismatch for sum: axis {i} of a {a.shape} "
                             f"against axis {j} of b {b.shape}")
    return out


def tensordot(a, b, axes=2):
    """Sum of products over the given axes, as ``np.tensordot``.

    The result has a's free axes, then b's, each in order.

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands.
    axes : int or (sequence of int, sequence of int), optional
        N: a's last N axes against b's first N (default 2); a pair: those axes of a against
        those of b, in order.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If contracted axes differ in length, or the axes are malformed or repeated.
    numpy.exceptions.AxisError
        If an axis is out of bounds.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> ag.tensordot(a, a)                           # a full contraction
    Tensor(30., grad_fn=<Tensordot>)
    >>> ag.tensordot(a, ag.tensor([1.0, 1.0]), axes=([0], [0]))
    Tensor([4., 6.], grad_fn=<Tensordot>)
    """
    a, b = _operands([a, b])
    _real("tensordot", (a, b))
    axes_a, axes_b = _tensordot_axes(axes, a, b)
    sub_a = list(_letters("tensordot", a.ndim))
    sub_b = list(_letters("tensordot", b.ndim, a.ndim))
    for i, j in zip(axes_a, axes_b):
        sub_b[j] = sub_a[i]
    free = [c for k, c in enumerate(sub_a) if k not in axes_a] + \
        [c for k, c in enumerate(sub_b) if k not in axes_b]
    subscripts = f"{''.join(sub_a)},{''.join(sub_b)}->{''.join(free)}"
    return Tensordot.apply(a, b, subscripts=subscripts,
                           compute=lambda x, y: np.tensordot(x, y, axes=(axes_a, axes_b)))


def outer(a, b, out=None):
    """Outer product of the flattened operands, as ``np.outer``: ``out[i, j] = a[i] * b[j]``.

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands, flattened.
    out : None
        Not supported: must be None.

    Returns
    -------
    Tensor
        Of shape ``(a.size, b.size)``.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.outer(a, ag.tensor([[1.0, 10.0, 100.0]]))
    >>> y
    Tensor([[  1.,  10., 100.],
            [  2.,  20., 200.]], grad_fn=<Mul>)
    >>> y.sum().backward()
    >>> a.grad
    Tensor([111., 111.])
    """
    _no_out("outer", out)
    a, b = (_t(x) for x in _operands([a, b]))
    _real("outer", (a, b))
    return reshape(a, (-1, 1)) * reshape(b, (1, -1))


def kron(a, b):
    """Kronecker product, as ``np.kron``: blocks ``a[i, j] * b``, in any number of dimensions.

    The shorter shape is padded with leading 1s; the result has shape ``a.shape * b.shape``
    (elementwise). A product of reshapes: each element is one product, as in numpy.

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 10.0], requires_grad=True)
    >>> y = ag.kron(a, ag.tensor([1.0, 2.0, 3.0]))
    >>> y
    Tensor([ 1.,  2.,  3., 10., 20., 30.], grad_fn=<Reshape>)
    >>> y.sum().backward()
    >>> a.grad
    Tensor([6., 6.])
    """
    a, b = (_t(x) for x in _operands([a, b]))
    _real("kron", (a, b))
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + a.shape
    sb = (1,) * (nd - b.ndim) + b.shape
    # a's axes at even places, b's at odd ones: the product's C order is kron's
    x = reshape(a, tuple(n for s in sa for n in (s, 1)))
    y = reshape(b, tuple(n for s in sb for n in (1, s)))
    return reshape(x * y, tuple(m * n for m, n in zip(sa, sb)))


def _moveaxis(x, source, dest):
    order = [k for k in range(x.ndim) if k != source]
    order.insert(dest, source)
    return x if order == list(range(x.ndim)) else transpose(x, order)


def _axis(op, name, axis, ndim, shape):
    if not isinstance(axis, (int, np.integer)) or not -ndim <= axis < ndim:
        raise _AxisError(f"{op}: {name} {axis!r} is out of bounds for shape {shape}")
    return int(axis) % ndim


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors, as ``np.cross``, broadcast over the other axes.

    ``c = (a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀)``, composed of products, differences and a
    stack (each component computed as numpy computes it).

    Parameters
    ----------
    a, b : array_like or Tensor
        The operands, whose vector axes have length 3.
    axisa, axisb : int, optional
        The vector axis of a and of b (default -1).
    axisc : int, optional
        The vector axis of the result (default -1).
    axis : int, optional
        If given, the vector axis of a, b and the result, overriding the three above.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If a vector axis does not have length 3: 2-vectors (deprecated in numpy 2) are refused.
    numpy.exceptions.AxisError
        If an axis is out of bounds.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 0.0, 0.0], requires_grad=True)
    >>> y = ag.cross(a, ag.tensor([1.0, 2.0, 0.0]))
    >>> y
    Tensor([0., 0., 2.], grad_fn=<Stack>)
    >>> y[2].backward()
    >>> a.grad                      # ∂(a₀b₁ − a₁b₀)/∂a = (b₁, −b₀, 0)
    Tensor([ 2., -1.,  0.])
    """
    a, b = (_t(x) for x in _operands([a, b]))
    _real("cross", (a, b))
    if axis is not None:
        axisa = axisb = axisc = axis
    a = _moveaxis(a, _axis("cross", "axisa", axisa, a.ndim, a.shape), a.ndim - 1)
    b = _moveaxis(b, _axis("cross", "axisb", axisb, b.ndim, b.shape), b.ndim - 1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"cross: the vector axes must have length 3, got {a.shape[-1]} and "
                         f"{b.shape[-1]} (2-element vectors, deprecated in numpy 2, are not "
                         f"supported)")
    try:
        batch = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"cross: the batch axes of shapes {a.shape} and {b.shape} do not "
                         f"broadcast") from None
    axisc = _axis("cross", "axisc", axisc, len(batch) + 1, batch + (3,))
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    c = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return _moveaxis(c, len(batch), axisc)
