"""Matrix decompositions: cholesky, eigh, eigvalsh, svd, svdvals (``ag.linalg``).

Each is numpy 2's ``np.linalg`` function, batched over leading axes, with its backward rule
written with operators that arrays and Tensors share (``@``, ``*``, ``.swapaxes``, reshapes,
constant masks) and a triangular solve of this module's own, so that the rules are recorded
under ``create_graph=True`` and differentiated again.

Triangles. ``eigh``, ``eigvalsh`` and ``cholesky`` read ONE triangle of their input, as numpy
does (``UPLO``, ``upper``): the values are numpy's for any input, symmetric or not, and the
gradient is that function's, so it lands in the triangle read (the other strict triangle gets
0). A gradient with respect to the full symmetric matrix, G, maps to the lower triangle as
``tril(G + Gᵀ) − diag(G)``. To get a symmetric gradient, symmetrize the input first:
``eigh((a + a.mT) / 2)``. ``svd(..., hermitian=True)`` reads the lower triangle (numpy's eigh
path) in the same way.

Degenerate spectra. A loss on the eigenvalues (singular values) alone stays finite when some
of them repeat: the terms in 1/(λⱼ − λᵢ) are skipped when no gradient reaches the vectors.
With a gradient on the vectors and repeated values the derivative does not exist (the vectors
are not unique) and the result is inf/nan.
"""
from collections import namedtuple

import numpy as np

from ..function import Function, dual, raw
from .checks import real_tensor

__all__ = ["cholesky", "eigh", "eigvalsh", "svd", "svdvals"]

try:    # numpy 2's result types, so that results unpack and print as numpy's
    from numpy.linalg._linalg import EighResult, SVDResult
except ImportError:  # pragma: no cover (numpy < 2)
    EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
    SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])

LinAlgError = np.linalg.LinAlgError


# ----------------------------------------------------------------------------- helpers
def _matrix(a, op, name="a", square=True):
    """``a`` as a real Tensor of at least 2 dimensions (square in the last two if asked)."""
    x = real_tensor(a, op, name)
    if x.ndim < 2:
        raise LinAlgError(f"{op}: {name} must have at least 2 dimensions (a matrix, or a stack "
                          f"of them), got shape {tuple(x.shape)}")
    if square and x.shape[-1] != x.shape[-2]:
        raise LinAlgError(f"{op}: the last two axes of {name} must be square, got shape "
                          f"{tuple(x.shape)}")
    return x


def _lapack(op, fn, a, *args, **kwargs):
    """numpy's ``fn(a, ...)``, its errors reworded to name the op and the input's shape."""
    try:
        return fn(a, *args, **kwargs)
    except LinAlgError as e:
        raise LinAlgError(f"{op}: {e} (input of shape {a.shape})") from None
    except TypeError as e:     # a dtype numpy's linalg does not take (float16, object...)
        raise TypeError(f"{op}: {e} (input of dtype {a.dtype})") from None


def _uplo(UPLO, op):
    if not isinstance(UPLO, str) or UPLO.upper() not in ("L", "U"):
        raise ValueError(f"{op}: UPLO must be 'L' or 'U', got {UPLO!r}")
    return UPLO.upper() == "L"


def _mT(x):
    return x.swapaxes(-1, -2)


def _live(g):
    """Whether a gradient reaching an output can be nonzero: the engine hands zeros (a constant)
    to the outputs that got none, and then the 1/(λⱼ − λᵢ) terms are skipped, not 0·inf."""
    return bool(getattr(g, "requires_grad", False)) or bool(raw(g).any())


def _row(v):
    """A (..., k) vector as (..., 1, k): its entries run along the columns."""
    return v.reshape(v.shape[:-1] + (1, v.shape[-1]))


def _col(v):
    """A (..., k) vector as (..., k, 1): its entries run down the rows."""
    return v.reshape(v.shape + (1,))


def _diag_embed(v, eye):
    """diag(v) for a batch of vectors (..., k): a (..., k, k) matrix."""
    return _col(v) * eye


def _gap_inverse(w, eye):
    """F with F_ij = 1/(w_j − w_i) off the diagonal and 0 on it (a differentiable function of
    w: the diagonal's 0 − 0 is replaced by 1 before dividing, then removed)."""
    return 1.0 / (_row(w) - _col(w) + eye) - eye


def _to_triangle(g, lower):
    """The gradient G with respect to a full symmetric matrix, moved into the triangle that was
    read: off the diagonal G_ij + G_ji, on it G_ii, 0 in the other strict triangle."""
    n, dt = g.shape[-1], raw(g).dtype
    strict = np.tri(n, n, -1, dtype=dt)
    if not lower:
        strict = strict.T
    return (g + _mT(g)) * strict + g * np.eye(n, dtype=dt)


# ----------------------------------------------------------------------------- triangular solve
class TriSolve(Function):
    """out = T⁻¹ b with T the lower (or upper) triangle of ``a``;  ∂L/∂b = T⁻ᵀ ḡ,
    ∂L/∂a = −tril(∂L/∂b · outᵀ) (triu for an upper T): the other triangle is not read."""

    @staticmethod
    def forward(ctx, a, b, lower=True):
        ctx.lower = lower
        out = np.linalg.solve(np.tril(a) if lower else np.triu(a), b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        gb = _trisolve(_mT(a), grad_output, lower=not ctx.lower)
        ga = None
        if ctx.needs_input_grad[0]:
            n, dt = a.shape[-1], raw(grad_output).dtype
            mask = np.tri(n, dtype=dt) if ctx.lower else np.tri(n, dtype=dt).T
            ga = -(gb @ _mT(out)) * mask
        return ga, gb


_trisolve = dual(TriSolve)


# ----------------------------------------------------------------------------- cholesky
class Cholesky(Function):
    """A = L Lᵀ, L lower triangular (U = Lᵀ with ``upper``), from one triangle of A.

    With Φ(X) = tril(X) with its diagonal halved and P = (Φ + Φᵀ)/2 for X = Lᵀ L̄ (Murray 2016),
    the gradient with respect to the symmetric A is G = L⁻ᵀ P L⁻¹ (two triangular solves),
    moved into the triangle read.
    """

    @staticmethod
    def forward(ctx, a, upper=False):
        ctx.upper = upper
        out = _lapack("cholesky", np.linalg.cholesky, a, upper=upper)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        L, gL = (_mT(out), _mT(grad_output)) if ctx.upper else (out, grad_output)
        n, dt = L.shape[-1], raw(grad_output).dtype
        lower = np.tri(n, dtype=dt)
        x = (_mT(L) @ (gL * lower)) * lower              # tril(Lᵀ L̄): L̄'s other triangle unread
        p = (x + _mT(x * np.tri(n, n, -1, dtype=dt))) * 0.5
        y = _trisolve(_mT(L), p, lower=False)            # L⁻ᵀ P
        g = _mT(_trisolve(_mT(L), _mT(y), lower=False))  # (L⁻ᵀ (L⁻ᵀ P)ᵀ)ᵀ = L⁻ᵀ P L⁻¹
        return _to_triangle(g, lower=not ctx.upper)


def cholesky(a, /, *, upper=False):
    """The Cholesky factor of a symmetric positive-definite matrix, as ``np.linalg.cholesky``.

    ``L`` lower triangular with ``a = L @ L.mT`` (``upper=True``: ``U = L.mT``), batched over
    the leading axes. Only the lower triangle of ``a`` is read (the upper one with ``upper``),
    as numpy does, so the gradient lands in that triangle; symmetrize ``a`` first,
    ``(a + a.mT) / 2``, for a symmetric gradient. Backward: Murray (2016), with two triangular
    solves.

    Parameters
    ----------
    a : array_like or Tensor, shape (..., M, M)
        Positive definite (in the triangle read).
    upper : bool, optional
        Return the upper factor ``U`` and read the upper triangle (default False).

    Returns
    -------
    Tensor, shape (..., M, M)

    Raises
    ------
    LinAlgError
        If ``a`` is not a (stack of) square matrix, or not positive definite.
    TypeError
        For complex input.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[4.0, 2.0], [2.0, 5.0]], requires_grad=True)
    >>> L = ag.linalg.cholesky(a)
    >>> L
    Tensor([[2., 0.],
            [1., 2.]], grad_fn=<Cholesky>)
    >>> L.sum().backward()
    >>> a.grad                        # in the lower triangle, the one read
    Tensor([[0.1875, 0.    ],
            [0.25  , 0.25  ]])
    """
    x = _matrix(a, "cholesky")
    return Cholesky.apply(x, upper=bool(upper))


# ----------------------------------------------------------------------------- eigh
class Eigh(Function):
    """A = V diag(λ) Vᵀ from one triangle of A (``lower``): outputs (λ, V), λ ascending.

    Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ with F_ij = 1/(λⱼ − λᵢ) off the diagonal, 0 on it (Giles
    2008), moved into the triangle read. The F term is skipped when V̄ is zero, so that losses
    on λ alone stay finite with repeated eigenvalues. With ``values_only`` (eigvalsh) λ is
    numpy's eigvalsh, and V is computed only when a gradient is recorded.
    """

    @staticmethod
    def forward(ctx, a, lower=True, values_only=False):
        ctx.lower = lower
        uplo = "L" if lower else "U"
        if values_only:
            w = _lapack("eigvalsh", np.linalg.eigvalsh, a, UPLO=uplo)
            if not any(ctx.needs_input_grad):
                return (w,)
            v = _lapack("eigvalsh", np.linalg.eigh, a, UPLO=uplo)[1]
        else:
            w, v = _lapack("eigh", np.linalg.eigh, a, UPLO=uplo)
        ctx.save_for_backward(w, v)
        return w, v

    @staticmethod
    def backward(ctx, grad_w, grad_v):
        w, v = ctx.saved_tensors
        n, dt = v.shape[-1], raw(grad_w).dtype
        eye = np.eye(n, dtype=dt)
        inner = _diag_embed(grad_w, eye)
        if _live(grad_v):
            inner = inner + _gap_inverse(w, eye) * (_mT(v) @ grad_v)
        return _to_triangle(v @ inner @ _mT(v), ctx.lower)


def eigh(a, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix, as ``np.linalg.eigh``.

    Batched over the leading axes. Only one triangle of ``a`` is read (``UPLO``), as numpy
    does, and the gradient lands in that triangle; symmetrize ``a`` first, ``(a + a.mT) / 2``,
    for a symmetric gradient. Backward: Ā = V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ,
    F_ij = 1/(λⱼ − λᵢ). A loss on the eigenvalues alone is differentiable with repeated
    eigenvalues too; a loss on the eigenvectors is not (they are not unique: inf/nan), and it
    should not depend on each eigenvector's sign, which numpy chooses arbitrarily.

    Parameters
    ----------
    a : array_like or Tensor, shape (..., M, M)
    UPLO : {'L', 'U'}, optional
        The triangle read: lower (default) or upper.

    Returns
    -------
    EighResult
        ``(eigenvalues, eigenvectors)``: Tensors of shapes (..., M) and (..., M, M), the
        eigenvectors in the columns.

    Raises
    ------
    LinAlgError
        If ``a`` is not a (stack of) square matrix, or the decomposition does not converge.
    ValueError
        If ``UPLO`` is not 'L' or 'U'.
    TypeError
        For complex input.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[2.0, 0.0], [0.0, 3.0]], requires_grad=True)
    >>> w, v = ag.linalg.eigh(a)
    >>> w
    Tensor([2., 3.], grad_fn=<Eigh>)
    >>> (w * ag.tensor([1.0, 10.0])).sum().backward()
    >>> a.grad
    Tensor([[ 1.,  0.],
            [ 0., 10.]])
    """
    x = _matrix(a, "eigh")
    w, v = Eigh.apply(x, lower=_uplo(UPLO, "eigh"))
    return EighResult(w, v)


def eigvalsh(a, UPLO="L"):
    """Eigenvalues (ascending) of a symmetric matrix, as ``np.linalg.eigvalsh``.

    As :func:`eigh` (one triangle read, batched), the values only: they equal numpy's
    eigvalsh. The gradient V diag(λ̄) Vᵀ is finite with repeated eigenvalues.

    Parameters
    ----------
    a : array_like or Tensor, shape (..., M, M)
    UPLO : {'L', 'U'}, optional
        The triangle read: lower (default) or upper.

    Returns
    -------
    Tensor, shape (..., M)

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
    >>> w = ag.linalg.eigvalsh(a)    # a double eigenvalue
    >>> w
    Tensor([1., 1.], grad_fn=<Eigh>)
    >>> w.sum().backward()
    >>> a.grad
    Tensor([[1., 0.],
            [0., 1.]])
    """
    x = _matrix(a, "eigvalsh")
    return Eigh.apply(x, lower=_uplo(UPLO, "eigvalsh"), values_only=True)[0]


# ----------------------------------------------------------------------------- svd
class SVD(Function):
    """A = U diag(s) Vh: outputs (s, U, Vh), s descending.

    With k = min(m, n), F_ij = 1/(sⱼ² − sᵢ²) off the diagonal (Townsend 2016):
    Ā = U [(F ∘ (UᵀŪ − ŪᵀU)) S + diag(s̄) + S (F ∘ (VᵀV̄ − V̄ᵀV))] Vᵀ
        + (I − UUᵀ) Ū S⁻¹ Vᵀ + U S⁻¹ V̄ᵀ (I − VVᵀ),
    on the reduced factors. The F and S⁻¹ terms are skipped when Ū and V̄ are zero (losses on s
    alone). With ``full_matrices`` and a non-square A, the extra columns of U (rows of Vh) are
    not determined by A: a gradient reaching them raises. ``hermitian`` is numpy's eigh path,
    which reads the lower triangle: the gradient is moved into it. With ``values_only`` s is
    numpy's ``compute_uv=False`` result, and U, Vh are computed only when a gradient is
    recorded.
    """

    @staticmethod
    def forward(ctx, a, full_matrices=True, hermitian=False, values_only=False):
        ctx.hermitian = hermitian
        if values_only:
            s = _lapack("svd", np.linalg.svd, a, compute_uv=False, hermitian=hermitian)
            if not any(ctx.needs_input_grad):
                return (s,)
            u, _, vh = _lapack("svd", np.linalg.svd, a, full_matrices=False,
                               hermitian=hermitian)
        else:
            u, s, vh = _lapack("svd", np.linalg.svd, a, full_matrices=full_matrices,
                               hermitian=hermitian)
        ctx.save_for_backward(s, u, vh)
        return s, u, vh

    @staticmethod
    def backward(ctx, grad_s, grad_u, grad_vh):
        s, u, vh = ctx.saved_tensors
        k, dt = s.shape[-1], raw(grad_s).dtype
        if u.shape[-1] != k or vh.shape[-2] != k:          # full_matrices, not square
            if raw(grad_u)[..., k:].any() or raw(grad_vh)[..., k:, :].any():
                raise ValueError(
                    f"svd: the gradient reaches the extra columns of U (or rows of Vh) of "
                    f"full_matrices=True, which the input of shape "
                    f"{tuple(u.shape[:-1]) + tuple(vh.shape[-1:])} does not determine: use "
                    f"svd(a, full_matrices=False)")
            u, grad_u = u[..., :k], grad_u[..., :k]
            vh, grad_vh = vh[..., :k, :], grad_vh[..., :k, :]
        m, n = u.shape[-2], vh.shape[-1]
        v, grad_v = _mT(vh), _mT(grad_vh)
        eye = np.eye(k, dtype=dt)
        inner = _diag_embed(grad_s, eye)
        live_u, live_v = _live(grad_u), _live(grad_v)
        if live_u or live_v:
            f = _gap_inverse(s * s, eye)
        if live_u:
            j = _mT(u) @ grad_u
            inner = inner + (f * (j - _mT(j))) * _row(s)
        if live_v:
            j = _mT(v) @ grad_v
            inner = inner + _col(s) * (f * (j - _mT(j)))
        out = u @ inner @ vh
        if live_u and m > k:       # the part of Ū outside U's columns
            out = out + ((grad_u - u @ (_mT(u) @ grad_u)) / _row(s)) @ vh
        if live_v and n > k:
            out = out + (u / _row(s)) @ _mT(grad_v - v @ (_mT(v) @ grad_v))
        return _to_triangle(out, lower=True) if ctx.hermitian else out


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition, as ``np.linalg.svd``: ``a = U @ diag(S) @ Vh``.

    Batched over the leading axes; S descending. Differentiable with ``full_matrices=False``,
    with ``compute_uv=False``, and with square inputs; with ``full_matrices=True`` and a
    non-square ``a``, the extra columns of U (rows of Vh) are arbitrary, and a gradient
    reaching them raises at backward. Losses on U and Vh should not depend on the signs of the
    singular vectors (numpy's choice) and need distinct nonzero singular values; losses on S
    alone do not. ``hermitian=True`` is numpy's eigh path, which reads the lower triangle of
    ``a`` (the gradient lands there).

    Parameters
    ----------
    a : array_like or Tensor, shape (..., M, N)
    full_matrices : bool, optional
        U of shape (..., M, M) and Vh (..., N, N) (default), else (..., M, K) and (..., K, N),
        K = min(M, N).
    compute_uv : bool, optional
        Return (U, S, Vh) (default), or S alone.
    hermitian : bool, optional
        ``a`` is symmetric: decompose it through eigh (lower triangle).

    Returns
    -------
    SVDResult or Tensor
        ``(U, S, Vh)``, or S of shape (..., K) when ``compute_uv`` is False.

    Raises
    ------
    LinAlgError
        If ``a`` has fewer than 2 dimensions, or the decomposition does not converge.
    ValueError
        At backward, for a gradient on the extra columns of ``full_matrices=True``.
    TypeError
        For complex input.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([[3.0, 0.0], [0.0, -2.0]], requires_grad=True)
    >>> ag.linalg.svd(a, compute_uv=False)
    Tensor([3., 2.], grad_fn=<SVD>)
    >>> u, s, vh = ag.linalg.svd(a)
    >>> (u @ vh).sum().backward()     # sign-free: the polar factor's sum
    >>> a.grad
    Tensor([[0. , 0.4],
            [0.4, 0. ]])
    """
    x = _matrix(a, "svd", square=hermitian)
    if not compute_uv:
        return SVD.apply(x, hermitian=bool(hermitian), values_only=True)[0]
    s, u, vh = SVD.apply(x, full_matrices=bool(full_matrices), hermitian=bool(hermitian))
    return SVDResult(u, s, vh)


def svdvals(x, /):
    """Singular values, descending, as ``np.linalg.svdvals``: ``svd(x, compute_uv=False)``.

    Batched over the leading axes. The gradient is U diag(s̄) Vh, finite with repeated
    singular values.

    Parameters
    ----------
    x : array_like or Tensor, shape (..., M, N)

    Returns
    -------
    Tensor, shape (..., min(M, N))

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[0.0, 2.0], [1.0, 0.0]], requires_grad=True)
    >>> s = ag.linalg.svdvals(x)
    >>> s
    Tensor([2., 1.], grad_fn=<SVD>)
    >>> s.sum().backward()            # the nuclear norm's gradient, U Vh
    >>> x.grad
    Tensor([[0., 1.],
            [1., 0.]])
    """
    t = _matrix(x, "svdvals", name="x", square=False)
    return SVD.apply(t, values_only=True)[0]
