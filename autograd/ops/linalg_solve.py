"""Linear algebra by solves and products: inv, solve, det, slogdet, pinv, matrix_power and the
norms (``ag.linalg``), batched over leading axes as numpy 2's ``np.linalg``.

Each forward runs numpy's own function (values equal numpy's); the rules are products and
solves of saved inputs and outputs, so they are recorded under ``create_graph=True``. Two
helpers carry what has no closed form in operators: :class:`Cofactor` (det's gradient, finite
at singular matrices) and :class:`SingularFactor` (the gradients of the norms 2, -2, 'nuc').
"""
import operator
from collections import namedtuple

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t
from .checks import real_tensor
from .elementwise import astype
from .layout import _axes

__all__ = ["inv", "solve", "det", "slogdet", "pinv", "matrix_power", "norm", "vector_norm",
           "matrix_norm"]

_LinAlgError = np.linalg.LinAlgError
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


# ----------------------------------------------------------------------------- helpers
def _input(x, op, name="a"):
    """x as a floating Tensor: complex refused, integers and bools in float64 (numpy's linalg
    computes them so)."""
    x = real_tensor(x, op, name)
    if x.dtype.kind in "biu":
        x = astype(x, np.float64)
    return x


def _square(a, op, name="a"):
    if a.ndim < 2:
        raise _LinAlgError(f"{op}: {name} must have at least 2 axes (a matrix or a stack of "
                           f"them), got shape {a.shape}")
    if a.shape[-1] != a.shape[-2]:
        raise _LinAlgError(f"{op}: {name} must be square in its last two axes, got shape "
                           f"{a.shape}")
    return a


def _mT(x):
    return x.swapaxes(-1, -2)


def _scalar_grad(g):     # a per-matrix scalar's gradient, to broadcast on the matrices
    return g.reshape(tuple(g.shape) + (1, 1))


def _excl_prod(s):
    """prod_{j≠i} s_j along the last axis, without dividing (exact when some s_j = 0)."""
    one = np.ones(s.shape[:-1] + (1,), s.dtype)
    pre = np.cumprod(np.concatenate([one, s[..., :-1]], -1), -1)
    suf = np.cumprod(np.concatenate([one, s[..., :0:-1]], -1), -1)[..., ::-1]
    return pre * suf


# ----------------------------------------------------------------------------- primitives
class Inv(Function):
    """out = A⁻¹;  ∂A = −A⁻ᵀ g A⁻ᵀ (from the saved output: no second factorization)."""

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.inv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        t = _mT(out)
        return -(t @ grad_output @ t)


class Solve(Function):
    """out = A⁻¹ b;  ∂b = solve(Aᵀ, g), ∂A = −∂b outᵀ. A 1-D b is a vector (numpy 2's rule):
    backward works on it as a column."""

    @staticmethod
    def forward(ctx, a, b):
        out = np.linalg.solve(a, b)
        ctx.vector = b.ndim == 1
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        g = grad_output
        if ctx.vector:
            g, out = g.reshape(tuple(g.shape) + (1,)), out.reshape(tuple(out.shape) + (1,))
        gb = _solve(_mT(a), g)
        ga = -(gb @ _mT(out)) if ctx.needs_input_grad[0] else None
        if ctx.vector:
            gb = gb.reshape(tuple(gb.shape)[:-1])
        return ga, gb


class Det(Function):
    """out = det A;  ∂A = g · cof(A), the cofactor matrix (det·A⁻ᵀ where A is invertible,
    finite where it is not: see :class:`Cofactor`)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.asarray(np.linalg.det(a))

    @staticmethod
    def backward(ctx, grad_output):
        a, = ctx.saved_tensors
        return _scalar_grad(grad_output) * _cofactor(a)


def _svd_cofactor(a):
    """cof(A) = det(U)det(V) U diag(∏_{j≠i} s_j) Vᵀ for A = U S Vᵀ: right at every rank (rank
    n−1 gives the one non-zero term, rank ≤ n−2 gives 0)."""
    u, s, vh = np.linalg.svd(a)
    d = np.linalg.det(u) * np.linalg.det(vh)
    return d[..., None, None] * ((u * _excl_prod(s)[..., None, :]) @ vh)


class Cofactor(Function):
    """out = cof(A) = ∂det/∂A, by the SVD (:func:`_svd_cofactor`).

    Backward (det's second derivative, ∂²det/∂A∂A contracted with G): in a plain pass, from
    the SVD, in the rotated frame G' = UᵀGV: R = diag(P·diag G') − P∘G'ᵀ with
    P_ik = ∏_{m∉{i,k}} s_m (0 on the diagonal), ∂A = det(U)det(V) U R Vᵀ, exact and finite at
    every rank. Recorded (third order), by operators: (⟨G, C⟩ C − C Gᵀ C) / det A, which is
    right for invertible A only (0/0, NaN, at a singular one).
    """

    @staticmethod
    def forward(ctx, a):
        if a.shape[-1] == 0:
            out = np.zeros(a.shape, a.dtype)
        else:
            out = _svd_cofactor(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        g = grad_output
        if isinstance(g, Tensor):
            inner = (g * out).sum(axis=(-2, -1), keepdims=True)
            return (inner * out - out @ _mT(g) @ out) / _scalar_grad(_det(a))
        n = g.shape[-1]
        if n == 0:
            return np.zeros(g.shape, g.dtype)
        u, s, vh = np.linalg.svd(a)
        d = np.linalg.det(u) * np.linalg.det(vh)
        gp = _mT(u) @ g @ _mT(vh)
        eye = np.eye(n, dtype=bool)
        p = _excl_prod(np.where(eye, np.ones((), s.dtype), s[..., None, :])) * ~eye
        diag = np.diagonal(gp, axis1=-2, axis2=-1)[..., None]
        r = np.where(eye, (p @ diag).swapaxes(-1, -2), 0) - p * _mT(gp)
        return d[..., None, None] * (u @ r @ vh)


class LogAbsDet(Function):
    """out = log|det A| (slogdet's second part);  ∂A = g · A⁻ᵀ. The sign, a constant, goes to
    the list ``sink``."""

    @staticmethod
    def forward(ctx, a, sink=None):
        sign, out = np.linalg.slogdet(a)
        if sink is not None:
            sink.append(sign)
        ctx.save_for_backward(a)
        return np.asarray(out)

    @staticmethod
    def backward(ctx, grad_output):
        a, = ctx.saved_tensors
        return _scalar_grad(grad_output) * _mT(_inv(a))


class Pinv(Function):
    """out = A⁺ (numpy's pinv, by the SVD). For a rank that stays constant (Golub & Pereyra):
    ∂A = −A⁺ᵀ g A⁺ᵀ + (I − AA⁺) gᵀ A⁺A⁺ᵀ + A⁺ᵀA⁺ gᵀ (I − A⁺A).

    With ``hermitian=True`` numpy reads the lower triangle only (eigh): the rule runs on that
    symmetric matrix X, and folds ∂X back onto the lower triangle (∂A_ij = ∂X_ij + ∂X_ji below
    the diagonal, 0 above it)."""

    @staticmethod
    def forward(ctx, a, rcond=None, hermitian=False, rtol=np._NoValue):
        out = np.linalg.pinv(a, rcond, hermitian, rtol=rtol)
        ctx.hermitian = hermitian
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, p = ctx.saved_tensors
        if ctx.hermitian:
            n = raw(a).shape[-1]
            below = np.tril(np.ones((n, n), raw(a).dtype), -1)
            a = a * (below + np.eye(n, dtype=below.dtype)) + _mT(a * below)
        pt, gt = _mT(p), _mT(grad_output)
        ga = -(pt @ grad_output @ pt)
        ga = ga + (gt - a @ (p @ gt)) @ (p @ pt)
        ga = ga + (pt @ p) @ (gt - (gt @ p) @ a)
        if ctx.hermitian:
            ga = (ga + _mT(ga)) * below + ga * np.eye(n, dtype=below.dtype)
        return ga


class Identity(Function):
    """out = I, of a's shape (matrix_power(a, 0));  ∂a = 0."""

    @staticmethod
    def forward(ctx, a):
        out = np.empty_like(a)
        out[...] = np.eye(a.shape[-1], dtype=a.dtype)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0


class SingularFactor(Function):
    """out = U diag(w) Vᵀ from the thin SVD A = U S Vᵀ, with w selecting singular values:
    ``which`` = "nuc" (all: ∂‖A‖_* / ∂A), "top" (σ_max: ∂‖A‖₂/∂A = u₁v₁ᵀ), "bottom" (σ_min).

    Backward, with Ω = UᵀdAV: dU = U·Ω_U (+ (I − UUᵀ) dA V S⁻¹ when A is tall), dV likewise;
    in the rotated frame G' = UᵀGV, M = a∘G' + (b∘G')ᵀ with
    a_ij = (w_j s_j − w_i s_i)/(s_j² − s_i²), b_ij = (w_j s_i − w_i s_j)/(s_j² − s_i²)
    (w/(s_i + s_j) and its negative when w_i = w_j), ∂A = U M Vᵀ plus the tall/wide terms.
    It needs the selected singular values distinct from the others. Recorded, the values are
    the same, from arrays, in a node whose own backward (a third derivative) raises.
    """

    @staticmethod
    def forward(ctx, a, which="nuc"):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        w = np.zeros_like(s) if which != "nuc" else np.ones_like(s)
        if which == "top":
            w[..., 0] = 1
        elif which == "bottom":
            w[..., -1] = 1
        ctx.save_for_backward(u, s, vh, w, a)
        return (u * w[..., None, :]) @ vh

    @staticmethod
    def backward(ctx, grad_output):
        u, s, vh, w, a = ctx.saved_tensors
        g = raw(grad_output)
        v = _mT(vh)
        si, sj, wi, wj = s[..., :, None], s[..., None, :], w[..., :, None], w[..., None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            den = sj * sj - si * si
            same = np.where(si + sj == 0, 0, wj / (si + sj))
            ca = np.where(wi == wj, same, (wj * sj - wi * si) / den)
            cb = np.where(wi == wj, -same, (wj * si - wi * sj) / den)
            ws = np.where(w != 0, w / s, 0)
        off = ~np.eye(s.shape[-1], dtype=bool)
        gp = _mT(u) @ g @ v
        m = ca * off * gp + _mT(cb * off * gp)
        out = u @ m @ vh
        rows, cols = g.shape[-2:]
        if rows > s.shape[-1]:
            out = out + (g - u @ (_mT(u) @ g)) @ (v * ws[..., None, :]) @ vh
        if cols > s.shape[-1]:
            out = out + (u * ws[..., None, :]) @ _mT(u) @ (g - (g @ v) @ vh)
        if isinstance(grad_output, Tensor):
            return NotRecorded.apply(grad_output, a, out)
        return out


class NotRecorded(Function):
    """out = value, a second derivative computed from arrays, linked to its inputs so that a
    third derivative through it raises NotImplementedError rather than coming out as 0."""

    @staticmethod
    def forward(ctx, g, a, value):
        return value

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("norm: third derivatives of the norms ord=2, -2 and 'nuc' "
                                  "are not implemented (their second derivative is computed "
                                  "from the SVD's arrays)")


_inv, _solve, _det, _cofactor = dual(Inv), dual(Solve), dual(Det), dual(Cofactor)
_singular_factor = dual(SingularFactor)


class Norm(Function):
    """out = np.linalg.norm(x, ord, axis, keepdims); ``kind`` (from :func:`_norm_kind`) names
    the rule, g taken with the reduced axes kept:

    - "l2" (vector 2-norm, 'fro'): ∂x = g·x/out, and 0 where out = 0 (as abs at 0);
    - "l1": g·sign(x); "max"/"min" (ord ±inf): g·sign(x) on the extreme |x|, ties split equally;
    - "lp": g·sign(x)|x|^(p−1)/out^(p−1) (0 where x = 0); "zero" (ord 0, a count): 0;
    - "colmax"/"colmin" (matrix ord ±1, ±inf): g·sign(x) on the extreme column (row) sums;
    - "nuc"/"top"/"bottom" (matrix ord 'nuc', 2, -2): g·U diag(w) Vᵀ (:class:`SingularFactor`).
    """

    @staticmethod
    def forward(ctx, x, ord=None, axis=None, keepdims=False, kind="l2", axes=()):
        out = np.asarray(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims))
        ctx.kind, ctx.axes, ctx.ord = kind, axes, ord
        ctx.kept = tuple(1 if k in axes else n for k, n in enumerate(x.shape))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        kind, axes = ctx.kind, ctx.axes
        g = grad_output.reshape(ctx.kept)
        ax, dtype = raw(x), raw(x).dtype
        if kind == "l2":
            o = out.reshape(ctx.kept)
            return x * (g / (o + (raw(o) == 0).astype(dtype)))
        if kind == "zero":
            return g * np.zeros(ax.shape, dtype)
        sign = np.sign(ax)
        if kind == "l1":
            return g * sign
        if kind == "lp":
            p = float(ctx.ord) - 1.0
            zero = (ax == 0).astype(dtype)
            o = out.reshape(ctx.kept)
            t = sign * (x * sign + zero) ** p
            return g * t / (o + (raw(o) == 0).astype(dtype)) ** p
        if kind in ("max", "min", "colmax", "colmin"):
            absx = np.abs(ax)
            if kind.startswith("col"):      # sums along the first axis, extreme along the 2nd
                absx = absx.sum(axis=axes[0], keepdims=True)
                axes = axes[1:]
            pick = np.max if kind.endswith("max") else np.min
            win = absx == pick(absx, axis=axes, keepdims=True)
            share = win / win.sum(axis=axes, keepdims=True)
            return g * (sign * share).astype(dtype)
        f = _singular_factor(np.moveaxis(x, axes, (-2, -1)), which=kind)
        return g * np.moveaxis(f, (-2, -1), axes)


_MATRIX_KINDS = {1: ("colmax", 0), -1: ("colmin", 0), np.inf: ("colmax", 1),
                 -np.inf: ("colmin", 1), 2: ("top", 0), -2: ("bottom", 0), "nuc": ("nuc", 0),
                 None: ("l2", 0), "fro": ("l2", 0), "f": ("l2", 0)}


def _norm_kind(ord, axes, op, shape):
    """numpy's choice of norm for ``ord`` over ``axes``: (kind, axes in the rule's order)."""
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"{op}: invalid norm order {ord!r} for vectors (axis {axes[0]} "
                             f"of shape {shape})")
        kinds = {None: "l2", 2: "l2", np.inf: "max", -np.inf: "min", 0: "zero", 1: "l1"}
        return kinds.get(ord, "lp"), axes
    if len(axes) != 2:
        raise ValueError(f"{op}: improper number of axes to norm: {len(axes)} (of shape "
                         f"{shape}); give one axis (a vector norm) or two (a matrix norm)")
    try:
        kind, swap = _MATRIX_KINDS[ord]
    except (KeyError, TypeError):
        kind = None
    if kind is None:
        raise ValueError(f"{op}: invalid norm order {ord!r} for matrices (axes {axes} of "
                         f"shape {shape})")
    return kind, axes[::-1] if swap else axes


# ----------------------------------------------------------------------------- functions
def inv(a):
    """The inverse of each matrix in ``a`` (numpy's ``np.linalg.inv``).

    ∂A = −A⁻ᵀ g A⁻ᵀ, from the output: no second factorization.

    Parameters
    ----------
    a : array_like or Tensor
        Square in its last two axes; leading axes are a batch.

    Returns
    -------
    Tensor


    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[2.0, 0.0], [0.0, 4.0]], requires_grad=True)
    >>> ag.linalg.inv(a)
    Tensor([[0.5 , 0.  ],
            [0.  , 0.25]], grad_fn=<Inv>)
    >>> ag.linalg.inv(a).sum().backward()
    >>> a.grad
    Tensor([[-0.25  , -0.125 ],
            [-0.125 , -0.0625]])
    """
    return Inv.apply(_square(_input(a, "inv"), "inv"))


def solve(a, b):
    """The solution x of a @ x = b (numpy 2's ``np.linalg.solve``).

    A 1-D ``b`` is one vector (x then has a's batch axes and M); otherwise b is (..., M, K)
    and the batch axes broadcast. ∂b = solve(aᵀ, g), ∂a = −∂b xᵀ: by a solve, not an inverse.

    Parameters
    ----------
    a : array_like or Tensor
        (..., M, M).
    b : array_like or Tensor
        (M,) or (..., M, K).

    Returns
    -------
    Tensor


    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[2.0, 0.0], [0.0, 4.0]], requires_grad=True)
    >>> b = ag.tensor([2.0, 2.0], requires_grad=True)
    >>> ag.linalg.solve(a, b)
    Tensor([1. , 0.5], grad_fn=<Solve>)
    """
    a, b = _square(_input(a, "solve"), "solve"), _input(b, "solve", "b")
    if b.ndim == 0 or b.shape[0 if b.ndim == 1 else -2] != a.shape[-1]:
        raise ValueError(f"solve: b of shape {b.shape} does not fit a of shape {a.shape}: b "
                         f"must be ({a.shape[-1]},) or (..., {a.shape[-1]}, K)")
    return Solve.apply(a, b)


def det(a):
    """The determinant of each matrix in ``a`` (numpy's ``np.linalg.det``).

    ∂A = g · cof(A), the cofactor matrix: det(A)·A⁻ᵀ for an invertible A, and still finite and
    exact for a singular one (computed from the SVD; 0 at rank ≤ n−2). The second derivative
    is exact at every rank in a plain pass; recorded once more (a third derivative), it is
    right for invertible matrices and NaN at singular ones.

    Parameters
    ----------
    a : array_like or Tensor
        Square in its last two axes.

    Returns
    -------
    Tensor
        Of a's batch shape.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)   # singular
    >>> ag.linalg.det(a).backward()
    >>> a.grad.round(12) + 0.0
    Tensor([[ 4., -2.],
            [-2.,  1.]])
    """
    return Det.apply(_square(_input(a, "det"), "det"))


def slogdet(a):
    """Sign and log of the absolute determinant (numpy's ``np.linalg.slogdet``).

    ``sign`` is a constant Tensor; the gradient flows through ``logabsdet``: ∂A = g · A⁻ᵀ.

    Parameters
    ----------
    a : array_like or Tensor
        Square in its last two axes.

    Returns
    -------
    SlogdetResult
        The named pair ``(sign, logabsdet)``, Tensors of a's batch shape.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[0.0, 2.0], [1.0, 0.0]], requires_grad=True)
    >>> sign, logabsdet = ag.linalg.slogdet(a)
    >>> sign
    Tensor(-1.)
    >>> logabsdet.backward()
    >>> a.grad
    Tensor([[0. , 0.5],
            [1. , 0. ]])
    """
    sink = []
    out = LogAbsDet.apply(_square(_input(a, "slogdet"), "slogdet"), sink=sink)
    return SlogdetResult(Tensor(sink[0]), out)


def pinv(a, rcond=None, hermitian=False, *, rtol=np._NoValue):
    """The Moore-Penrose pseudo-inverse (numpy's ``np.linalg.pinv``, same cutoffs).

    ∂A = −A⁺ᵀ g A⁺ᵀ + (I − AA⁺) gᵀ A⁺A⁺ᵀ + A⁺ᵀA⁺ gᵀ (I − A⁺A): the derivative where the rank
    stays constant (not across a singular value crossing the cutoff). With ``hermitian=True``,
    a's lower triangle is the matrix (as numpy reads it): the upper one gets gradient 0.

    Parameters
    ----------
    a : array_like or Tensor
        (..., M, N).
    rcond, rtol : float or array_like, optional
        The relative cutoff for small singular values (numpy's; give one of them).
    hermitian : bool, optional
        Take a as symmetric (default False).

    Returns
    -------
    Tensor
        (..., N, M).

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]], requires_grad=True)
    >>> ag.linalg.pinv(a)
    Tensor([[1. , 0. , 0. ],
            [0. , 0.5, 0. ]], grad_fn=<Pinv>)
    """
    a = _input(a, "pinv")
    if a.ndim < 2:
        raise _LinAlgError(f"pinv: a must have at least 2 axes, got shape {a.shape}")
    return Pinv.apply(a, rcond=rcond, hermitian=hermitian, rtol=rtol)


def matrix_power(a, n):
    """``a`` raised to the integer power ``n`` (numpy's ``np.linalg.matrix_power``).

    numpy's own products (squarings by the bits of n) on Tensors, so the gradient follows
    matmul's; n < 0 inverts first (:func:`inv`); n = 0 gives the identity, of zero gradient.

    Parameters
    ----------
    a : array_like or Tensor
        Square in its last two axes.
    n : int
        The exponent, of any sign.

    Returns
    -------
    Tensor


    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 1.0], [0.0, 1.0]], requires_grad=True)
    >>> ag.linalg.matrix_power(a, 3)
    Tensor([[1., 3.],
            [0., 1.]], grad_fn=<MatMul>)
    """
    a = _t(a)
    if a.dtype.kind == "c":
        raise TypeError(f"matrix_power: complex input is not supported (a has dtype "
                        f"{a.dtype}); autograd differentiates real tensors only")
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent n must be an integer, got {n!r}") from None
    _square(a, "matrix_power")
    if n == 0:
        return Identity.apply(a)
    inverted = n < 0
    if inverted:
        a, n = inv(a), -n
    if n == 1:
        return a if inverted else a * 1     # a new Tensor, as numpy's copy
    if n <= 3:
        return a @ a if n == 2 else (a @ a) @ a
    z = out = None
    while n > 0:       # numpy's order of products, for equal values
        z = a if z is None else z @ z
        n, bit = divmod(n, 2)
        if bit:
            out = z if out is None else out @ z
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    """A vector or matrix norm (numpy's ``np.linalg.norm``, all of its orders).

    axis None: ord None is the 2-norm of all elements, else x must be 1-D (a vector norm) or
    2-D (a matrix norm); an int axis is a vector norm, a 2-tuple a matrix norm. Gradients:
    x/‖x‖ for the 2-norm and 'fro' (0 at x = 0, as abs at 0); sign(x) for ord 1; for ±inf
    the extreme elements (ties split equally, as max); for matrix ord ±1/±inf the extreme
    columns/rows; u₁v₁ᵀ for ord 2 (u_n v_nᵀ for −2) and U Vᵀ for 'nuc', which need the chosen
    singular values distinct (a third derivative there raises NotImplementedError).

    Parameters
    ----------
    x : array_like or Tensor
        The input (integers are taken in float64).
    ord : {None, int, float, inf, -inf, 'fro', 'f', 'nuc'}, optional
        The order, as numpy's.
    axis : int, 2-tuple of int or None, optional
        The axis of the vector norm, or the two axes of the matrix norm.
    keepdims : bool, optional
        Keep the reduced axes, with length 1.

    Returns
    -------
    Tensor


    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([3.0, -4.0], requires_grad=True)
    >>> ag.linalg.norm(x)
    Tensor(5., grad_fn=<Norm>)
    >>> ag.linalg.norm(x).backward()
    >>> x.grad
    Tensor([ 0.6, -0.8])
    """
    x = _input(x, "norm", "x")
    shape = x.shape
    if axis is None:
        fast = ord is None or (ord in ("f", "fro") and x.ndim == 2) or (ord == 2 and x.ndim == 1)
        if fast:      # numpy's 2-norm of all the elements
            return Norm.apply(x, ord=ord, axis=None, keepdims=keepdims, kind="l2",
                              axes=tuple(range(x.ndim)))
        axes = tuple(range(x.ndim))
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: improper number of dimensions to norm: x of shape "
                             f"{shape} with ord={ord!r} must be 1-D or 2-D (or give axis)")
    else:
        axes = _axes(axis, x.ndim, "norm", shape)
    kind, order = _norm_kind(ord, axes, "norm", shape)
    return Norm.apply(x, ord=ord, axis=axes, keepdims=keepdims, kind=kind, axes=order)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The vector norm over ``axis`` (numpy 2's ``np.linalg.vector_norm``).

    Any number of axes (None: all of them), taken as one vector; the orders and gradients of
    :func:`norm`'s vector norms (0 at x = 0 for the 2-norm).

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes that form the vectors (default None: all).
    keepdims : bool, optional
        Keep the reduced axes, with length 1.
    ord : {int, float, inf, -inf}, optional
        The order (default 2).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[3.0, 0.0], [0.0, -4.0]], requires_grad=True)
    >>> ag.linalg.vector_norm(x)
    Tensor(5., grad_fn=<Norm>)
    >>> ag.linalg.vector_norm(x, axis=0, ord=1)
    Tensor([3., 4.], grad_fn=<Norm>)
    """
    x = _input(x, "vector_norm", "x")
    shape = x.shape
    if axis is None:
        y, ax = x.reshape(-1), 0
    elif isinstance(axis, tuple):
        axes = _axes(axis, x.ndim, "vector_norm", shape)
        rest = tuple(k for k in range(x.ndim) if k not in axes)
        size = int(np.prod([shape[k] for k in axes]))
        y, ax = x.transpose(axis + rest).reshape((size, *[shape[k] for k in rest])), 0
    else:
        y, ax = x, axis
    out = norm(y, ord=ord, axis=ax)
    if keepdims:
        axes = _axes(tuple(range(x.ndim)) if axis is None else axis, x.ndim, "vector_norm",
                     shape)
        out = out.reshape(tuple(1 if k in axes else n for k, n in enumerate(shape)))
    return out


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The matrix norm of each matrix in ``x`` (numpy 2's ``np.linalg.matrix_norm``): :func:`norm`
    over the last two axes.

    Parameters
    ----------
    x : array_like or Tensor
        At least 2-D.
    keepdims : bool, optional
        Keep the two reduced axes, with length 1.
    ord : {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}, optional
        The order (default 'fro').

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> ag.linalg.matrix_norm(x, ord=1)
    Tensor(6.)
    """
    x = _input(x, "matrix_norm", "x")
    if x.ndim < 2:
        raise ValueError(f"matrix_norm: x must have at least 2 axes, got shape {x.shape}")
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)
