"""The op sweep's cases for autograd/ops/layout.py (op_cases.py adds them to CASES)."""
import autograd as ag
from op_cases import BINARY_SHAPES, MATRIX, SCALAR, UNARY_SHAPES, VECTOR, Case

# shapes with at least one axis, and with at least two
ND1 = [((3,),), ((2, 3),), ((2, 1, 3),)]
ND2 = [((2, 3),), ((2, 1, 3),), ((2, 3, 4),)]


def _both(fn):
    """A two-input atleast_* call, its two results combined (a case returns one tensor)."""
    def combined(x, y):
        a, b = fn(x, y)
        return a * 2.0 + b
    return combined


CASES = [
    Case("ravel", ag.ravel, UNARY_SHAPES),
    Case("ravel-method-strided", lambda x: x[:, ::2].ravel(), [((2, 3),)]),
    Case("flatten", lambda x: x.flatten(), UNARY_SHAPES),
    Case("squeeze", ag.squeeze, UNARY_SHAPES),
    Case("squeeze-axis", lambda x: x.squeeze(axis=1), [((2, 1, 3),), ((3, 1),)]),
    Case("squeeze-negative-axis", lambda x: ag.squeeze(x, -2), [((2, 1, 3),)]),
    Case("squeeze-axes", lambda x: ag.squeeze(x, (0, -1)), [((1, 3, 1),)]),
    Case("expand_dims", lambda x: ag.expand_dims(x, 0), UNARY_SHAPES),
    Case("expand_dims-axes", lambda x: ag.expand_dims(x, (0, -1)), UNARY_SHAPES),
    Case("moveaxis", lambda x: ag.moveaxis(x, 0, -1), ND1),
    Case("moveaxis-several", lambda x: ag.moveaxis(x, [0, 1], [-1, 0]), [((2, 1, 3),),
                                                                         ((2, 3, 4),)]),
    Case("flip", ag.flip, UNARY_SHAPES),
    Case("flip-axis", lambda x: ag.flip(x, -1), ND1),
    Case("flip-axes", lambda x: ag.flip(x, (0, 2)), [((2, 1, 3),)]),
    Case("roll", lambda x: ag.roll(x, 1), UNARY_SHAPES),
    Case("roll-axis", lambda x: ag.roll(x, -1, axis=-1), ND1),
    Case("roll-tuple", lambda x: ag.roll(x, (1, 2), (0, -1)), [((2, 3),), ((2, 1, 3),)]),
    Case("roll-same-axis-twice", lambda x: ag.roll(x, (1, 3), (1, 1)), [((2, 3),)]),
    Case("repeat", lambda x: ag.repeat(x, 2), UNARY_SHAPES),
    Case("repeat-axis", lambda x: ag.repeat(x, 3, axis=-1), ND1),
    Case("repeat-counts", lambda x: ag.repeat(x, [1, 0, 2], axis=-1), ND1),
    Case("repeat-method", lambda x: x.repeat(2, axis=0), [((2, 3),), ((2, 1, 3),)]),
    Case("tile", lambda x: ag.tile(x, 2), UNARY_SHAPES),
    Case("tile-reps", lambda x: ag.tile(x, (2, 1, 2)), UNARY_SHAPES),
    Case("atleast_1d", ag.atleast_1d, UNARY_SHAPES),
    Case("atleast_2d", ag.atleast_2d, UNARY_SHAPES),
    Case("atleast_1d-two", _both(ag.atleast_1d), BINARY_SHAPES),
    Case("atleast_2d-two", _both(ag.atleast_2d), BINARY_SHAPES),
    Case("hstack", lambda x, y: ag.hstack([x, y]), [(SCALAR, SCALAR), (VECTOR, VECTOR),
                                                    (MATRIX, (2, 1)), (VECTOR, SCALAR)]),
    Case("vstack", lambda x, y: ag.vstack([x, y, x]), [(SCALAR, SCALAR), (VECTOR, VECTOR),
                                                       (MATRIX, (1, 3)), ((2, 1, 3), (1, 1, 3))]),
    Case("vstack-vector-matrix", lambda x, y: ag.vstack((x, y)), [(VECTOR, MATRIX)]),
    Case("matrix_transpose", ag.matrix_transpose, ND2),
    Case("mT", lambda x: x.mT, ND2),
]
