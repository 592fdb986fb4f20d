"""The op sweep's cases for autograd/ops/ufuncs.py (op_cases.py adds them to CASES)."""
import numpy as np

import autograd as ag
from op_cases import UNARY_SHAPES, Case, away_from_zero, positive


def _inside(bound):
    """Values in (−bound, bound)."""
    return lambda rng, shape: rng.uniform(-bound, bound, shape)


def above_one(rng, shape):
    return rng.uniform(1.1, 3.0, shape)


def off_integers(rng, shape):
    """Values at a distance 0.1 to 0.4 from the integers, so 0.1 or more from the jumps of
    floor/ceil/trunc/sign (integers) and of rint/round (half-integers): a finite-difference
    step never crosses one."""
    return rng.integers(-3, 3, shape) + rng.choice([0.1, 0.15, 0.2, 0.3, 0.35, 0.4], shape) + \
        rng.uniform(-0.05, 0.05, shape)


def sinc_domain(rng, shape):
    """Both sides of sinc's removable point: near 0 (the series) and beyond |πx| = 2 (the
    recurrence)."""
    return rng.choice([0.01, 0.3, 0.9, 1.7], shape) * rng.choice([-1.0, 1.0], shape) + \
        rng.uniform(-0.005, 0.005, shape)


CASES = [
    Case("sin", ag.sin, UNARY_SHAPES),
    Case("cos", ag.cos, UNARY_SHAPES),
    Case("tan", ag.tan, UNARY_SHAPES, (_inside(1.2),)),
    Case("arcsin", ag.arcsin, UNARY_SHAPES, (_inside(0.9),)),
    Case("arccos", ag.arccos, UNARY_SHAPES, (_inside(0.9),)),
    Case("arctan", ag.arctan, UNARY_SHAPES),
    Case("sinh", ag.sinh, UNARY_SHAPES),
    Case("cosh", ag.cosh, UNARY_SHAPES),
    Case("arcsinh", ag.arcsinh, UNARY_SHAPES),
    Case("arccosh", ag.arccosh, UNARY_SHAPES, (above_one,)),
    Case("arctanh", ag.arctanh, UNARY_SHAPES, (_inside(0.9),)),
    Case("log1p", ag.log1p, UNARY_SHAPES, (positive,)),
    Case("log1p-real", ag.log1p, [((2, 3),)], (_inside(0.8),)),
    Case("expm1", ag.expm1, UNARY_SHAPES),
    Case("log2", ag.log2, UNARY_SHAPES, (positive,)),
    Case("log10", ag.log10, UNARY_SHAPES, (positive,)),
    Case("exp2", ag.exp2, UNARY_SHAPES),
    Case("square", ag.square, UNARY_SHAPES),
    Case("reciprocal", ag.reciprocal, UNARY_SHAPES, (away_from_zero,)),
    Case("cbrt", ag.cbrt, UNARY_SHAPES, (away_from_zero,)),
    Case("deg2rad", ag.deg2rad, UNARY_SHAPES),
    Case("rad2deg", ag.rad2deg, UNARY_SHAPES),
    Case("positive", ag.positive, UNARY_SHAPES),
    Case("sinc", ag.sinc, UNARY_SHAPES, (sinc_domain,)),
    Case("sinc-wide", ag.sinc, [((4, 5),)], (lambda r, s: r.uniform(-4.0, 4.0, s),)),
    # numpy's dispatch and the dtype= cast on the way
    Case("np-sin", np.sin, UNARY_SHAPES),
    Case("cos-dtype", lambda x: ag.cos(x, dtype=x.dtype), [((2, 3),)]),
    # the rounding family: the gradient is exactly 0 (the jumps kept out of reach)
    Case("sign", ag.sign, UNARY_SHAPES, (off_integers,)),
    Case("floor", ag.floor, UNARY_SHAPES, (off_integers,)),
    Case("ceil", ag.ceil, UNARY_SHAPES, (off_integers,)),
    Case("trunc", ag.trunc, UNARY_SHAPES, (off_integers,)),
    Case("rint", ag.rint, UNARY_SHAPES, (off_integers,)),
    Case("round", ag.round, UNARY_SHAPES, (off_integers,)),
    Case("round-decimals", lambda x: x.round(1), [((3,),), ((2, 3),)],
         (lambda r, s: r.integers(-30, 30, s) / 10 + 0.02,)),
    Case("round-negative-decimals", lambda x: np.round(x, -1), [((2, 3),)],
         (lambda r, s: r.integers(-30, 30, s) * 10 + 2.0,)),
    # a rounding step inside a smooth expression: only the smooth part is differentiated
    Case("x-minus-floor", lambda x: x - ag.floor(x) * x, UNARY_SHAPES, (off_integers,)),
]

