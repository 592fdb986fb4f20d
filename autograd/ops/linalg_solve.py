"""Linear algebra by solves and products: inv, solve, det, slogdet, pinv, matrix_power
(``ag.linalg``; the norms are in ``linalg_norms.py``), batched over leading axes as numpy 2's
``np.linalg``.

Each forward runs numpy's own function (values equal numpy's); the rules are products and
solves of saved inputs and outputs, so they are recorded under ``create_graph=True``.
:class:`Cofactor` carries what has no closed form in operators: det's gradient, finite at
singular matrices.
"""
import operator
from collections import namedtuple

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t
from .checks import real_tensor
from .elementwise import astype

__all__ = ["inv", "solve", "det", "slogdet", "pinv", "matrix_power"]

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



_inv, _solve, _det, _cofactor = dual(Inv), dual(Solve), dual(Det), dual(Cofactor)


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
