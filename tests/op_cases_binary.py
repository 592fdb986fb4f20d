"""The op sweep's cases for autograd/ops/binary.py (op_cases.py adds them to CASES), and for
``x ** 0`` (elementwise.Pow's exponent-0 edge)."""
import numpy as np

import autograd as ag
from op_cases import BINARY_SHAPES, UNARY_SHAPES, Case, away_from_zero, real


def near_zero(rng, shape):
    """Within 0.05 of 0: against away_from_zero (|x| ≥ 0.2), never a tie of fmax/fmin."""
    return 0.05 * rng.uniform(-1, 1, shape)


def dividend(rng, shape):
    """|x| in [0.2, 0.4] or [1.4, 1.6]: against a ``divisor``, x/y stays 0.18 or more away from
    every integer, so mod, fmod and floor_divide have no jump within a step."""
    return rng.choice([-1.0, 1.0], shape) * (rng.choice([0.3, 1.5], shape) +
                                              rng.uniform(-0.1, 0.1, shape))


def divisor(rng, shape):
    """|y| in [1.0, 1.1], either sign: away from 0."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(1.0, 1.1, shape)


def large(rng, shape):
    """Near 700, where eˣ is 1e304: logaddexp's value and gradient must not overflow."""
    return rng.uniform(699.0, 701.0, shape)


DIVISION = (dividend, divisor)

CASES = [
    # the angle jumps across x1 = 0 for x2 < 0 and is singular at the origin: both kept off 0
    Case("arctan2", ag.arctan2, BINARY_SHAPES, (away_from_zero, away_from_zero)),
    Case("arctan2-numpy", lambda x, y: np.arctan2(x, y), BINARY_SHAPES[:2],
         (away_from_zero, away_from_zero)),
    Case("hypot", ag.hypot, BINARY_SHAPES, (real, away_from_zero)),
    Case("hypot-const", lambda x: ag.hypot(x, 0.5), UNARY_SHAPES),
    Case("logaddexp", ag.logaddexp, BINARY_SHAPES),
    Case("logaddexp-large", ag.logaddexp, BINARY_SHAPES[:3], (large,)),
    Case("logaddexp-numpy-const", lambda x: np.logaddexp(x, 0.5), UNARY_SHAPES),
    Case("logaddexp2", ag.logaddexp2, BINARY_SHAPES),
    Case("logaddexp2-large", ag.logaddexp2, BINARY_SHAPES[:3], (large,)),
    Case("fmax", ag.fmax, BINARY_SHAPES, (away_from_zero, near_zero)),
    Case("fmax-numpy", lambda x, y: np.fmax(y, x), BINARY_SHAPES[:3],
         (away_from_zero, near_zero)),
    Case("fmin", ag.fmin, BINARY_SHAPES, (away_from_zero, near_zero)),
    Case("fmin-numpy", lambda x, y: np.fmin(y, x), BINARY_SHAPES[:3],
         (away_from_zero, near_zero)),
    Case("mod", ag.mod, BINARY_SHAPES, DIVISION),
    Case("mod-numpy", lambda x, y: np.mod(x, y), BINARY_SHAPES[:3], DIVISION),
    Case("mod-const-divisor", lambda x: ag.mod(x, 1.05), UNARY_SHAPES, (dividend,)),
    Case("mod-const-dividend", lambda y: ag.mod(1.5, y), UNARY_SHAPES, (divisor,)),
    Case("remainder", ag.remainder, BINARY_SHAPES, DIVISION),
    Case("fmod", ag.fmod, BINARY_SHAPES, DIVISION),
    Case("fmod-numpy", lambda x, y: np.fmod(x, y), BINARY_SHAPES[:3], DIVISION),
    Case("fmod-const-dividend", lambda y: ag.fmod(-1.5, y), UNARY_SHAPES, (divisor,)),
    Case("floor_divide", ag.floor_divide, BINARY_SHAPES, DIVISION),
    Case("floor_divide-numpy", lambda x, y: np.floor_divide(x, y), BINARY_SHAPES[:3],
         DIVISION),
    # x ** 0: constant, gradient 0 (elementwise.Pow)
    Case("pow-zero", lambda x: x ** 0, UNARY_SHAPES),
    Case("pow-zero-tensor-exponent", lambda x, p: x ** (p * 0.0), BINARY_SHAPES),
]
