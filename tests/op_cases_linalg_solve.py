"""The op sweep's cases for autograd/ops/linalg_solve.py (op_cases.py adds them to CASES).

Square inputs are well conditioned (normal + 3·I); norms take vectors away from 0, with
distinct magnitudes (no tie for ±inf within a finite-difference step) and, for the matrix
norms 2, -2 and 'nuc', distinct singular values (random matrices have them).
"""
import numpy as np

import autograd as ag
from op_cases import MATRIX, SCALAR, VECTOR, Case, away_from_zero, real


def well_conditioned(rng, shape):
    """normal + 3·I for a square (stack of) matrix; plain normal values otherwise."""
    x = rng.normal(size=shape)
    if len(shape) >= 2 and shape[-1] == shape[-2]:
        x = x + 3 * np.eye(shape[-1])
    return x


def negative_det(rng, shape):
    """A well-conditioned matrix with its first row negated: det < 0."""
    x = well_conditioned(rng, shape)
    x[..., 0, :] *= -1
    return x


def rank_deficient(rng, shape):
    """A square matrix of rank n − 1 (its last row the sum of the others): det = 0."""
    x = rng.normal(size=shape)
    x[..., -1, :] = x[..., :-1, :].sum(axis=-2)
    return x


def symmetric(rng, shape):
    x = rng.normal(size=shape)
    return x + np.swapaxes(x, -1, -2) + 4 * np.eye(shape[-1])


SQUARE = [((3, 3),), ((2, 3, 3),)]
VECTORS = [(VECTOR,), ((5,),)]
MATRICES = [(MATRIX,), ((3, 3),), ((3, 2),)]


def _vn(**kw):
    return lambda x: ag.linalg.vector_norm(x, **kw)


def _mn(**kw):
    return lambda x: ag.linalg.matrix_norm(x, **kw)


def _norm(*args, **kw):
    return lambda x: ag.linalg.norm(x, *args, **kw)


def _mpow(n):
    return lambda a: ag.linalg.matrix_power(a, n)


CASES = [
    Case("inv", ag.linalg.inv, [*SQUARE, ((1, 1),), ((2, 1, 2, 2),)], (well_conditioned,)),
    Case("solve", ag.linalg.solve, [((3, 3), VECTOR), ((3, 3), (3, 2)), ((2, 3, 3), VECTOR),
                                    ((2, 3, 3), (2, 3, 2)), ((2, 3, 3), (1, 3, 2)),
                                    ((1, 3, 3), (2, 3, 1))], (well_conditioned, real)),
    Case("det", ag.linalg.det, [*SQUARE, ((1, 1),), ((2, 1, 2, 2),)], (well_conditioned,)),
    Case("det-negative", ag.linalg.det, SQUARE, (negative_det,)),
    Case("det-rank-deficient", ag.linalg.det, [((3, 3),), ((2, 4, 4),)], (rank_deficient,)),
    Case("slogdet", lambda a: ag.linalg.slogdet(a).logabsdet, [*SQUARE, ((1, 1),)],
         (well_conditioned,)),
    Case("slogdet-negative", lambda a: ag.linalg.slogdet(a)[1], SQUARE, (negative_det,)),
    Case("pinv", ag.linalg.pinv, [((3, 3),), (MATRIX,), ((3, 2),), ((2, 2, 3),), ((2, 4, 3),)],
         (well_conditioned,)),
    Case("pinv-rtol", lambda a: ag.linalg.pinv(a, rtol=1e-3), [(MATRIX,)], (well_conditioned,)),
    Case("pinv-hermitian", lambda a: ag.linalg.pinv(a, hermitian=True),
         [((3, 3),), ((2, 3, 3),)], (symmetric,)),
    *[Case(f"matrix_power[{n}]", _mpow(n), SQUARE, (well_conditioned,))
      for n in (0, 1, 2, 3, 5, -1, -3)],
    Case("norm", ag.linalg.norm, [(SCALAR,), (VECTOR,), (MATRIX,), ((2, 1, 3),)],
         (away_from_zero,)),
    *[Case(f"norm-ord[{o}]", _norm(o), VECTORS, (away_from_zero,))
      for o in (1, 2, np.inf, -np.inf, 3, 0.5, -1, 0)],
    Case("norm-axis-keepdims", _norm(axis=-1, keepdims=True), [(MATRIX,), ((2, 1, 3),)],
         (away_from_zero,)),
    Case("norm-ord-axis0", _norm(3, axis=0), [(MATRIX,), ((2, 1, 3),)], (away_from_zero,)),
    *[Case(f"norm-matrix[{o}]", _norm(o), MATRICES, (well_conditioned,))
      for o in ("fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf)],
    Case("norm-matrix-axes", _norm("nuc", axis=(2, 0), keepdims=True), [((3, 2, 4),)],
         (well_conditioned,)),
    Case("norm-matrix-axes-inf", _norm(np.inf, axis=(-1, 0)), [((3, 2, 4),)],
         (well_conditioned,)),
    Case("vector_norm", ag.linalg.vector_norm, [(SCALAR,), (VECTOR,), (MATRIX,), ((2, 1, 3),)],
         (away_from_zero,)),
    Case("vector_norm-axes-keepdims", _vn(axis=(0, -1), keepdims=True), [((2, 1, 3),)],
         (away_from_zero,)),
    Case("vector_norm-inf", _vn(ord=np.inf, axis=-1), [(MATRIX,)], (away_from_zero,)),
    Case("vector_norm-ord1-axis0", _vn(ord=1, axis=0), [(MATRIX,)], (away_from_zero,)),
    Case("matrix_norm", ag.linalg.matrix_norm, [(MATRIX,), ((2, 3, 3),), ((2, 1, 3),)],
         (well_conditioned,)),
    *[Case(f"matrix_norm-ord[{o}]", _mn(ord=o), [((2, 3, 3),), ((2, 4, 3),)],
           (well_conditioned,)) for o in ("nuc", 2, -2, 1, -np.inf)],
    Case("matrix_norm-keepdims", _mn(keepdims=True, ord=-1), [((2, 3, 3),)],
         (well_conditioned,)),
]
