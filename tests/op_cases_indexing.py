"""The op sweep's cases for autograd/ops/indexing.py (op_cases.py adds them to CASES): split,
array_split, pad, take, take_along_axis, diagonal, diag, trace, triu, tril. Every one of them
is linear in its input, so any real input is in its smooth region."""
import numpy as np

import autograd as ag
from op_cases import MATRIX, UNARY_SHAPES, VECTOR, Case

NOT_SCALAR = [(VECTOR,), (MATRIX,), ((2, 1, 3),)]
PLANES = [(MATRIX,), ((3, 2),), ((2, 1, 3),), ((3, 3),)]


def _reversed_pieces(x):
    # every piece used, in another order: the gradient of each is its own slice
    return ag.concatenate(ag.split(x, 3, axis=-1)[::-1], axis=-1)


def _overlapping_pieces(x):
    # numpy's split takes any indices: [2, 1] gives x[:2], x[2:1] (empty) and x[1:], which
    # overlap, so x[1]'s gradient comes from two pieces
    first, _, last = ag.split(x, [2, 1])
    return last * 2.0 + first.sum()


def _along_last(x):
    # indices of x's shape, with repeats, along the last axis
    return ag.take_along_axis(x, (np.arange(x.size).reshape(x.shape) * 7) % x.shape[-1],
                              axis=-1)


CASES = [
    Case("split", _reversed_pieces, NOT_SCALAR),
    Case("split-unused-piece", lambda x: ag.split(x, [1])[1], [(VECTOR,), (MATRIX,)]),
    Case("split-overlapping", _overlapping_pieces, [(VECTOR,), ((3, 2),)]),
    Case("array_split", lambda x: ag.concatenate(ag.array_split(x, 2, axis=-1)[::-1], axis=-1),
         NOT_SCALAR),
    Case("array_split-axis0-empty-pieces", lambda x: ag.array_split(x, 4, axis=0)[1],
         [(VECTOR,), (MATRIX,)]),
    Case("pad-constant", lambda x: ag.pad(x, 1, constant_values=0.5), UNARY_SHAPES),
    Case("pad-constant-pairs", lambda x: ag.pad(x, ((1, 0), (0, 2)),
                                                constant_values=((1.0, 2.0), (3.0, 4.0))),
         [(MATRIX,), ((1, 3),)]),
    Case("pad-edge", lambda x: ag.pad(x, (2, 1), mode="edge"), UNARY_SHAPES),
    Case("pad-reflect", lambda x: ag.pad(x, 2, mode="reflect"), UNARY_SHAPES),
    Case("pad-reflect-wide", lambda x: ag.pad(x, (5, 4), mode="reflect"), [(VECTOR,)]),
    Case("pad-symmetric", lambda x: ag.pad(x, (1, 2), mode="symmetric"), UNARY_SHAPES),
    Case("pad-wrap", lambda x: ag.pad(x, (4, 1), mode="wrap"), UNARY_SHAPES),
    Case("pad-dict", lambda x: ag.pad(x, {-1: (1, 2)}, mode="reflect"), NOT_SCALAR),
    Case("take", lambda x: ag.take(x, np.array([[0, -1], [0, 0]])), UNARY_SHAPES),
    Case("take-axis", lambda x: ag.take(x, [2, 2, 0], axis=-1), NOT_SCALAR),
    Case("take-scalar-index", lambda x: ag.take(x, 1, axis=0), [(VECTOR,), ((3, 2),)]),
    Case("take-wrap", lambda x: ag.take(x, [4, -4, 1], axis=-1, mode="wrap"), NOT_SCALAR),
    Case("take-clip", lambda x: ag.take(x, [5, -1, 1], axis=-1, mode="clip"), NOT_SCALAR),
    Case("take-method", lambda x: x.take([1, 1]), [(VECTOR,), (MATRIX,)]),
    Case("take_along_axis", _along_last, NOT_SCALAR),
    Case("take_along_axis-axis0-broadcast",
         lambda x: ag.take_along_axis(x, np.array([[1], [0], [1]]), axis=0), [(MATRIX,)]),
    Case("take_along_axis-none", lambda x: ag.take_along_axis(x, np.array([5, 0, 0, 3]),
                                                              axis=None), [(MATRIX,)]),
    Case("diagonal", ag.diagonal, PLANES),
    Case("diagonal-offset", lambda x: ag.diagonal(x, 1), PLANES),
    Case("diagonal-negative-offset-axes", lambda x: ag.diagonal(x, -1, axis1=2, axis2=0),
         [((2, 1, 3),), ((3, 2, 4),)]),
    Case("diagonal-method", lambda x: x.diagonal(0, -1, -2), [(MATRIX,), ((2, 1, 3),)]),
    Case("diag-vector", ag.diag, [(VECTOR,), ((1,),)]),
    Case("diag-vector-offset", lambda x: ag.diag(x, -2), [(VECTOR,)]),
    Case("diag-matrix", lambda x: ag.diag(x, 1), [(MATRIX,), ((3, 3),)]),
    Case("trace", ag.trace, PLANES),
    Case("trace-offset-axes", lambda x: x.trace(1, -1, 0), [(MATRIX,), ((2, 1, 3),)]),
    Case("triu", ag.triu, [*NOT_SCALAR, ((3, 3),)]),
    Case("triu-k", lambda x: ag.triu(x, 1), [(VECTOR,), (MATRIX,), ((2, 1, 3),)]),
    Case("triu-negative-k", lambda x: ag.triu(x, k=-1), [(MATRIX,), ((3, 3),)]),
    Case("tril", ag.tril, [*NOT_SCALAR, ((3, 3),)]),
    Case("tril-k", lambda x: ag.tril(x, -1), [(VECTOR,), (MATRIX,), ((2, 1, 3),)]),
    Case("tril-positive-k", lambda x: ag.tril(x, k=1), [(MATRIX,), ((3, 3),)]),
]
