"""The op sweep's cases for autograd/ops/scans.py and sorting.py (op_cases.py adds them to
CASES)."""
import numpy as np

import autograd as ag
from op_cases import MATRIX, SCALAR, UNARY_SHAPES, VECTOR, Case, positive, real

AXIS_SHAPES = [(VECTOR,), (MATRIX,), ((2, 1, 3),)]      # shapes that have an axis -1
MATRICES = [(MATRIX,), ((2, 1, 3),)]                   # shapes that have an axis 0 and 1


def with_zeros(rng, shape):
    """Real values with exact zeros: one in a small input, two in a larger one (prod and
    cumprod are polynomials, smooth at 0, and their gradients must be exact there)."""
    x = rng.uniform(-1.5, 1.5, shape)
    flat = x.reshape(-1)
    flat[rng.choice(flat.size, size=min(flat.size, 1 if flat.size < 4 else 2),
                    replace=False)] = 0.0
    return x


def spread(rng, shape):
    """Distinct values at least 0.1 apart (in random order): no tie for sort, amax, amin to
    break within a finite-difference step."""
    n = int(np.prod(shape))
    return rng.permutation(np.arange(n) * 0.3 - 0.15 * n + rng.uniform(0, 0.1, n)).reshape(shape)


def _times(avg, scl):
    return avg * scl


CASES = [
    Case("prod", ag.prod, UNARY_SHAPES),
    Case("prod-axis", lambda x: ag.prod(x, axis=-1), AXIS_SHAPES),
    Case("prod-axes-keepdims", lambda x: x.prod(axis=(0, 2), keepdims=True), [((2, 1, 3),)]),
    Case("prod-zeros", ag.prod, [(VECTOR,), ((4,),), ((2, 3),)], (with_zeros,)),
    Case("prod-zeros-axis0", lambda x: ag.prod(x, axis=0), [((4, 2),)], (with_zeros,)),
    Case("prod-initial", lambda x: ag.prod(x, axis=0, initial=2.0), [(VECTOR,), (MATRIX,)]),
    Case("cumsum", ag.cumsum, UNARY_SHAPES),
    Case("cumsum-axis", lambda x: x.cumsum(axis=-1), AXIS_SHAPES),
    Case("cumsum-axis0", lambda x: ag.cumsum(x, axis=0), MATRICES),
    Case("cumprod", ag.cumprod, UNARY_SHAPES),
    Case("cumprod-axis", lambda x: x.cumprod(axis=-1), AXIS_SHAPES),
    Case("cumprod-axis0", lambda x: ag.cumprod(x, axis=0), [(MATRIX,), ((5, 2),)]),
    Case("cumprod-zeros", lambda x: ag.cumprod(x, axis=-1), [((4,),), ((2, 5),)],
         (with_zeros,)),
    Case("var", ag.var, UNARY_SHAPES),
    Case("var-axis-ddof", lambda x: x.var(axis=-1, ddof=1), AXIS_SHAPES),
    Case("var-axes-keepdims", lambda x: ag.var(x, axis=(0, 2), keepdims=True),
         [((2, 1, 3),)]),
    Case("std", ag.std, UNARY_SHAPES),
    Case("std-axis-ddof", lambda x: x.std(axis=-1, ddof=1), AXIS_SHAPES),
    Case("std-axis0-keepdims", lambda x: ag.std(x, axis=0, keepdims=True), MATRICES),
    Case("diff", ag.diff, AXIS_SHAPES),
    Case("diff-n2-axis0", lambda x: ag.diff(x, n=2, axis=0), [((4,),), ((3, 2),)]),
    Case("diff-prepend-append", lambda x, p, q: ag.diff(x, prepend=p, append=q),
         [(VECTOR, SCALAR, (2,)), (MATRIX, (2, 1), (2, 2))]),
    Case("average", ag.average, UNARY_SHAPES),
    Case("average-axis-keepdims", lambda x: ag.average(x, axis=-1, keepdims=True),
         AXIS_SHAPES),
    Case("average-weights", lambda x, w: ag.average(x, weights=w),
         [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, MATRIX)], (real, positive)),
    Case("average-weights-axis", lambda x, w: ag.average(x, axis=1, weights=w),
         [(MATRIX, VECTOR), ((2, 3, 2), VECTOR)], (real, positive)),
    Case("average-returned", lambda x, w: _times(*ag.average(x, 0, w, returned=True)),
         [(MATRIX, (2,))], (real, positive)),
    Case("amax", ag.amax, UNARY_SHAPES, (spread,)),
    Case("amax-axis", lambda x: ag.amax(x, axis=-1), AXIS_SHAPES, (spread,)),
    Case("amin-axis0-keepdims", lambda x: ag.amin(x, axis=0, keepdims=True), MATRICES,
         (spread,)),
    Case("sort", ag.sort, AXIS_SHAPES, (spread,)),
    Case("sort-flat", lambda x: ag.sort(x, axis=None), UNARY_SHAPES, (spread,)),
    Case("sort-axis0", lambda x: ag.sort(x, axis=0), MATRICES, (spread,)),
]
