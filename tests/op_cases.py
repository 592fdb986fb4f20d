"""Every built-in op, with inputs in its smooth domain, over the shape sweep.

Shared by the first-order (gradcheck) and second-order (gradgradcheck) tests. Each case is an
op applied to Tensors, and the sweep gives a scalar, a vector, a matrix, and a size-1 axis
broadcast against a larger one wherever the op takes those shapes.
"""
from dataclasses import dataclass

import numpy as np

import autograd as ag

SCALAR, VECTOR, MATRIX = (), (3,), (2, 3)
UNARY_SHAPES = [(SCALAR,), (VECTOR,), (MATRIX,), ((2, 1, 3),)]
BINARY_SHAPES = [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, MATRIX), ((2, 1), MATRIX),
                 (SCALAR, MATRIX), (VECTOR, (2, 1))]
INTO_SHAPES = [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, MATRIX), (MATRIX, (2, 1)),
               (MATRIX, SCALAR), (MATRIX, VECTOR)]


def real(rng, shape):
    return rng.uniform(-1.5, 1.5, shape)


def away_from_zero(rng, shape):
    """Magnitudes in [0.2, 1.5]: no kink of relu/abs/leaky_relu/elu within a step."""
    return rng.uniform(0.2, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def inside_clip(rng, shape):
    """Values kept off the clip bounds ±0.5."""
    return rng.choice([-1.0, 1.0], shape) * rng.choice([0.25, 0.9], shape) + \
        rng.uniform(-0.05, 0.05, shape)


@dataclass
class Case:
    name: str
    fn: object
    shapes: list
    domains: tuple = (real,)

    def inputs(self, shapes, rng, dtype=np.float64):
        domains = self.domains * len(shapes) if len(self.domains) == 1 else self.domains
        return tuple(ag.Tensor(d(rng, s).astype(dtype), requires_grad=True)
                     for d, s in zip(domains, shapes))


def _iadd(x, y):
    h = x * 1.0          # a fresh array that nothing else holds: += writes into it
    h += y
    return h


def _isub(x, y):
    h = x * 1.0
    h -= y
    return h


def _index_cases():
    return [
        Case("getitem-int", lambda x: x[1], [((3,),), ((3, 2),)]),
        Case("getitem-slice", lambda x: x[1:, ::2], [((3, 4),)]),
        Case("getitem-repeated-ints", lambda x: x[np.array([0, 2, 0, 0])], [((3,),), ((3, 2),)]),
        # 512+ picks with no position twice (an increasing row index): scattered by assignment
        Case("getitem-rows-labels", lambda x: x[np.arange(520), np.arange(520) % 3 - 1],
             [((520, 3),)]),
        Case("getitem-bool-mask", lambda x: x[np.array([True, False, True])], [((3,),),
                                                                                 ((3, 2),)]),
        Case("getitem-mixed", lambda x: x[:, np.array([1, 1])], [((2, 3),)]),
        Case("getitem-ellipsis-newaxis", lambda x: x[..., None, 0], [((2, 3),)]),
    ]


CASES = [
    # elementwise
    Case("add", lambda x, y: x + y, BINARY_SHAPES),
    Case("sub", lambda x, y: x - y, BINARY_SHAPES),
    Case("mul", lambda x, y: x * y, BINARY_SHAPES),
    Case("div", lambda x, y: x / y, BINARY_SHAPES, (real, away_from_zero)),
    Case("pow-tensor", lambda x, y: x ** y, BINARY_SHAPES, (positive, real)),
    Case("pow-const", lambda x: x ** 3, UNARY_SHAPES),
    Case("pow-fractional", lambda x: x ** -1.5, UNARY_SHAPES, (positive,)),
    Case("rpow", lambda x: 2.0 ** x, UNARY_SHAPES),
    Case("neg", lambda x: -x, UNARY_SHAPES),
    Case("exp", ag.exp, UNARY_SHAPES),
    Case("log", ag.log, UNARY_SHAPES, (positive,)),
    Case("sqrt", ag.sqrt, UNARY_SHAPES, (positive,)),
    Case("abs", ag.abs, UNARY_SHAPES, (away_from_zero,)),
    Case("maximum", ag.maximum, BINARY_SHAPES, (away_from_zero, lambda r, s: np.zeros(s) +
                                               0.05 * r.uniform(-1, 1, s))),
    Case("minimum", ag.minimum, BINARY_SHAPES, (away_from_zero, lambda r, s: np.zeros(s) +
                                               0.05 * r.uniform(-1, 1, s))),
    Case("where", lambda x, y: ag.where(np.array([True, False, True]), x, y),
         [(VECTOR, VECTOR), ((2, 1), MATRIX), (SCALAR, VECTOR)]),
    Case("clip", lambda x: ag.clip(x, -0.5, 0.5), UNARY_SHAPES, (inside_clip,)),
    # activations (D13–D18)
    Case("relu", ag.relu, UNARY_SHAPES, (away_from_zero,)),
    Case("relu_", lambda x: (x * 1.0).relu_(), UNARY_SHAPES, (away_from_zero,)),
    # y broadcast into x's shape (numpy's in-place rule, which gradcheck's plain calls follow)
    Case("iadd", _iadd, INTO_SHAPES),
    Case("isub", _isub, INTO_SHAPES),
    Case("leaky_relu", lambda x: ag.leaky_relu(x, 0.1), UNARY_SHAPES, (away_from_zero,)),
    Case("elu", lambda x: ag.elu(x, 1.5), UNARY_SHAPES, (away_from_zero,)),
    Case("sigmoid", ag.sigmoid, UNARY_SHAPES),
    Case("tanh", ag.tanh, UNARY_SHAPES),
    Case("softplus", ag.softplus, UNARY_SHAPES),
    Case("softmax", ag.softmax, UNARY_SHAPES),
    Case("softmax-axis0", lambda x: ag.softmax(x, axis=0), [((3,),), ((2, 3),), ((2, 1, 3),)]),
    Case("log_softmax", ag.log_softmax, UNARY_SHAPES),
    Case("log_softmax-axis0", lambda x: ag.log_softmax(x, axis=0), [((2, 3),)]),
    # a classifier's logits, 32+ rows of at most 16 classes: worked on transposed
    Case("softmax-logits", lambda x: ag.softmax(x, axis=1), [((40, 10),)]),
    Case("log_softmax-logits", lambda x: ag.log_softmax(x, axis=1), [((40, 10),)]),
    # reductions
    Case("sum", ag.sum, UNARY_SHAPES),
    Case("sum-axis", lambda x: x.sum(axis=-1), [((3,),), ((2, 3),), ((2, 1, 3),)]),
    Case("sum-axes-keepdims", lambda x: x.sum(axis=(0, 2), keepdims=True), [((2, 1, 3),)]),
    Case("mean", ag.mean, UNARY_SHAPES),
    Case("mean-axis-keepdims", lambda x: x.mean(axis=0, keepdims=True), [((3,),), ((2, 3),)]),
    Case("max", ag.max, UNARY_SHAPES),
    Case("max-axis", lambda x: x.max(axis=1), [((2, 3),), ((2, 1, 3),)]),
    Case("min", ag.min, UNARY_SHAPES),
    Case("min-axis-keepdims", lambda x: x.min(axis=0, keepdims=True), [((2, 3),)]),
    Case("logsumexp", ag.logsumexp, UNARY_SHAPES),
    Case("logsumexp-axis", lambda x: ag.logsumexp(x, axis=-1, keepdims=True),
         [((3,),), ((2, 3),)]),
    # linear algebra
    Case("matmul", ag.matmul, [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)), ((3,), (3,)),
                               ((2, 2, 3), (3, 2)), ((2, 1, 2, 3), (3, 3, 2))]),
    # shape
    Case("reshape", lambda x: x.reshape(-1), UNARY_SHAPES),
    Case("reshape-2d", lambda x: x.reshape(3, 2), [((2, 3),), ((6,),)]),
    Case("transpose", lambda x: x.T, UNARY_SHAPES),
    Case("transpose-axes", lambda x: x.transpose(1, 2, 0), [((2, 1, 3),)]),
    Case("swapaxes", lambda x: x.swapaxes(0, -1), [((2, 3),), ((2, 1, 3),)]),
    Case("broadcast_to", lambda x: ag.broadcast_to(x, (2, 2, 3)),
         [((),), ((3,),), ((2, 3),), ((2, 1, 3),)]),
    Case("concatenate", lambda x, y: ag.concatenate([x, y], axis=0),
         [(VECTOR, VECTOR), (MATRIX, (1, 3))]),
    Case("concatenate-axis1", lambda x, y: ag.concatenate([x, y, x], axis=1),
         [(MATRIX, (2, 1))]),
    Case("stack", lambda x, y: ag.stack([x, y, x], axis=-1), [(SCALAR, SCALAR),
                                                            (VECTOR, VECTOR), (MATRIX, MATRIX)]),
    *_index_cases(),
]


def _vocabulary_cases():
    # numpy's vocabulary, one module of cases per module of ops (imported here, after Case and
    # the domains above, which they import)
    import op_cases_binary, op_cases_indexing, op_cases_layout, op_cases_linalg_decomp, \
        op_cases_linalg_solve, op_cases_products, op_cases_scans, op_cases_special, \
        op_cases_ufuncs
    return [case for m in (op_cases_ufuncs, op_cases_binary, op_cases_scans, op_cases_layout,
                           op_cases_indexing, op_cases_products, op_cases_linalg_solve,
                           op_cases_linalg_decomp, op_cases_special) for case in m.CASES]


CASES += _vocabulary_cases()


def sweep():
    """(case, shapes) pairs with readable ids, for pytest.mark.parametrize."""
    params, ids = [], []
    for case in CASES:
        for shapes in case.shapes:
            params.append((case, shapes))
            ids.append(f"{case.name}-" + "&".join("x".join(map(str, s)) or "scalar"
                                                  for s in shapes))
    return params, ids
