"""The op sweep's cases for autograd/ops/linalg_decomp.py (op_cases.py adds them to CASES).

The decompositions are smooth only away from repeated eigen/singular values (and cholesky on
positive-definite input), so each has a domain built for it: a fixed spectrum, rotated by a
fixed orthogonal matrix, plus a small random perturbation (not symmetric: the functions read
one triangle, and the sweep checks that the other one gets no gradient). Eigen/singular
vectors are determined up to sign only, so the cases' outputs are sign-invariant: values,
squared vectors, products v diag(w) vᵀ, u vh.
"""
import numpy as np

import autograd as ag
from op_cases import Case

SQUARE = [((3, 3),), ((2, 3, 3),), ((1, 2, 2),)]
RECT = [((3, 3),), ((4, 2),), ((2, 4),), ((2, 3, 2),), ((1, 2, 3),)]


def _orthogonal(m, n, seed):
    """A fixed (m, n) matrix with orthonormal columns (m ≥ n)."""
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(m, n)))
    return q * np.sign(np.diag(r))


def _noise(rng, shape, size=0.05):
    return rng.uniform(-size, size, shape)


def spd(rng, shape):
    """Symmetric positive definite A Aᵀ + 3I, plus small noise in both triangles."""
    a = rng.uniform(-1, 1, shape)
    return a @ np.swapaxes(a, -1, -2) + 3 * np.eye(shape[-1]) + _noise(rng, shape, 0.1)


def _spectral(rng, shape, values):
    n = shape[-1]
    q = _orthogonal(n, n, 7)
    return (q * values) @ q.T + _noise(rng, shape)


def separated(rng, shape):
    """Q diag(1, 2, 4, ...) Qᵀ for a fixed Q, slightly perturbed: eigenvalues well apart."""
    return _spectral(rng, shape, 2.0 ** np.arange(shape[-1]))


def signed(rng, shape):
    """As ``separated``, every other eigenvalue negative: |eigenvalues| 1, 2, 4, ... apart
    (svd's hermitian path takes their absolute values)."""
    n = shape[-1]
    return _spectral(rng, shape, 2.0 ** np.arange(n) * (-1.0) ** np.arange(n))


def full_rank(rng, shape):
    """U diag(4, 2.5, 1, ...) Vᵀ for fixed U, V, slightly perturbed: singular values apart."""
    m, n = shape[-2:]
    k = min(m, n)
    u, v = _orthogonal(m, k, 3), _orthogonal(n, k, 5)
    return (u * (4.0 - 1.5 * np.arange(k))) @ v.T + _noise(rng, shape)


def _diag(w):
    """diag(w) of a batch of vectors, as a product with the identity (sign-free outputs)."""
    return w.reshape(w.shape + (1,)) * np.eye(w.shape[-1], dtype=w.dtype)


def _eig_product(a, UPLO="L"):
    w, v = ag.linalg.eigh(a, UPLO)
    return v @ _diag(w * w) @ v.mT     # a², from the triangle read


def _svd_product(a):
    u, s, vh = ag.linalg.svd(a, full_matrices=False)
    # A Aᵀ, plus the projector onto the row space weighted (it is n × n: summed)
    rows = vh.mT @ vh
    n = rows.shape[-1]
    weights = np.arange(n * n, dtype=rows.dtype).reshape(n, n) / n
    return u @ _diag(s * s) @ u.mT + (rows * weights).sum(axis=(-2, -1), keepdims=True)


def _svd_full_square(a):
    u, s, vh = ag.linalg.svd(a)
    return u @ vh                # the polar factor


def _polar(result):
    u, s, vh = result
    return u @ vh


def _svd_full_sliced(a):
    u, s, vh = ag.linalg.svd(a)      # full_matrices=True: only U's first k columns used
    k = s.shape[-1]
    return u[..., :k] ** 2 + s.sum() + (vh[..., :k, :] ** 2).sum()


CASES = [
    Case("cholesky", ag.linalg.cholesky, SQUARE, (spd,)),
    Case("cholesky-upper", lambda a: ag.linalg.cholesky(a, upper=True), SQUARE, (spd,)),
    Case("cholesky-square", lambda a: ag.linalg.cholesky(a) ** 2, [((3, 3),)], (spd,)),
    Case("eigh-values", lambda a: ag.linalg.eigh(a)[0], SQUARE, (separated,)),
    Case("eigh-vectors-squared", lambda a: ag.linalg.eigh(a)[1] ** 2, SQUARE, (separated,)),
    Case("eigh-product", _eig_product, SQUARE, (separated,)),
    Case("eigh-upper", lambda a: _eig_product(a, "U") + ag.linalg.eigh(a, "U")[0].sum(),
         [((3, 3),), ((2, 3, 3),)], (separated,)),
    Case("eigvalsh", ag.linalg.eigvalsh, SQUARE, (separated,)),
    Case("eigvalsh-upper", lambda a: ag.linalg.eigvalsh(a, UPLO="U"), [((3, 3),)],
         (separated,)),
    Case("svd-values", lambda a: ag.linalg.svd(a, compute_uv=False), RECT, (full_rank,)),
    Case("svd-reduced", _svd_product, RECT, (full_rank,)),
    Case("svd-u-squared", lambda a: ag.linalg.svd(a, full_matrices=False)[0] ** 2, RECT,
         (full_rank,)),
    Case("svd-full-square", _svd_full_square, [((3, 3),), ((2, 2, 2),)], (full_rank,)),
    Case("svd-full-sliced", _svd_full_sliced, [((4, 2),), ((2, 3),)], (full_rank,)),
    Case("svd-hermitian", lambda a: ag.linalg.svd(a, hermitian=True)[1], [((3, 3),)],
         (signed,)),
    Case("svd-hermitian-values", lambda a: ag.linalg.svd(a, compute_uv=False, hermitian=True),
         [((3, 3),), ((2, 3, 3),)], (signed,)),
    Case("svd-hermitian-vectors", lambda a: _polar(ag.linalg.svd(a, hermitian=True)),
         [((3, 3),), ((2, 3, 3),)], (signed,)),
    Case("svdvals", ag.linalg.svdvals, RECT, (full_rank,)),
]
