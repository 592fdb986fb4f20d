"""The op sweep's cases for autograd/ops/products.py (op_cases.py adds them to CASES).

Products are polynomials in their inputs, smooth everywhere: every case draws from ``real``.
"""
import autograd as ag
from op_cases import Case, MATRIX, SCALAR, VECTOR

# subscripts -> the operand shapes they are checked on (each set covers a size-1 axis where
# the subscripts broadcast)
EINSUM_SUBSCRIPTS = {
    "ij,jk->ik": [(MATRIX, (3, 4)), ((2, 1), (1, 3))],
    "bij,bjk->bik": [((2, 2, 3), (2, 3, 2)), ((1, 2, 3), (2, 3, 2))],
    "ii": [((3, 3),)],
    "ii->i": [((3, 3),), ((1, 1),)],
    "i,j->ij": [(VECTOR, (2,))],
    "ij->ji": [(MATRIX,)],
    "...ij,...jk->...ik": [(MATRIX, (3, 2)), ((2, 1, 2, 3), (3, 3, 2)), ((2, 3), (2, 3, 2))],
    "ij->": [(MATRIX,)],
    "ijk->j": [((2, 3, 4),), ((2, 1, 3),)],
    "ij,jk,kl->il": [(MATRIX, (3, 2), (2, 2))],
    "i,i->i": [(VECTOR, VECTOR), ((1,), VECTOR)],
    "ij,jk": [(MATRIX, (3, 2))],
    "iij->j": [((2, 2, 3),)],
    "iii->i": [((2, 2, 2),)],
    "ii,i->i": [((3, 3), VECTOR)],
    "ij,ij->ij": [((2, 1), MATRIX)],
    "...i->...": [(VECTOR,), (MATRIX,), ((2, 1, 3),)],
    "i...->...": [((2, 1, 3),)],
    ",ij->ji": [(SCALAR, MATRIX)],
    "ijj,k->ik": [((2, 3, 3), (2,))],
    "ij,kj->ikj": [(MATRIX, (4, 3))],
}


def _einsum(subscripts):
    return lambda *xs: ag.einsum(subscripts, *xs)


CASES = [
    Case("dot", ag.dot, [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, VECTOR), (VECTOR, (3, 2)),
                         (MATRIX, (3, 4)), ((2, 2, 3), (3, 2)), ((2, 3), (2, 3, 2)),
                         ((2, 1, 3), (4, 3, 2)), (SCALAR, MATRIX), (MATRIX, SCALAR)]),
    Case("dot-method", lambda x, y: x.dot(y), [(MATRIX, (3, 2)), (VECTOR, VECTOR)]),
    Case("inner", ag.inner, [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, VECTOR),
                             (VECTOR, MATRIX), (MATRIX, (4, 3)), ((2, 1, 3), MATRIX),
                             (SCALAR, MATRIX)]),
    Case("outer", ag.outer, [(SCALAR, SCALAR), (VECTOR, VECTOR), (MATRIX, VECTOR),
                             ((2, 1, 3), (1,))]),
    Case("vdot", ag.vdot, [(SCALAR, (1,)), (VECTOR, VECTOR), (MATRIX, (3, 2)),
                           ((2, 1, 3), (6,))]),
    Case("tensordot", ag.tensordot, [(MATRIX, MATRIX), ((2, 1, 3), (1, 3, 2)),
                                     ((4, 2, 3), MATRIX)]),
    Case("tensordot-int", lambda x, y: ag.tensordot(x, y, axes=1),
         [(MATRIX, (3, 4)), (VECTOR, VECTOR), ((2, 1), (1, 3))]),
    Case("tensordot-outer", lambda x, y: ag.tensordot(x, y, axes=0),
         [(SCALAR, SCALAR), (VECTOR, MATRIX)]),
    Case("tensordot-pairs", lambda x, y: ag.tensordot(x, y, axes=([0, -1], [-1, 1])),
         [((2, 1, 3), (4, 3, 2)), (MATRIX, (4, 3, 2))]),
    *[Case(f"einsum[{s}]", _einsum(s), shapes) for s, shapes in EINSUM_SUBSCRIPTS.items()],
    # numpy's optimized path: sums broadcast axes left out of the output, contracts in pairs
    Case("einsum-optimize", lambda x: ag.einsum("...i->", x, optimize=True), [(MATRIX,)]),
    Case("einsum-greedy", lambda x, y, z: ag.einsum("ij,jk,kl->il", x, y, z, optimize="greedy"),
         [(MATRIX, (3, 2), (2, 4))]),
    Case("einsum-sublist", lambda x, y: ag.einsum(x, [0, 1], y, [1, 2], [2, 0]),
         [(MATRIX, (3, 2))]),
    Case("kron", ag.kron, [(SCALAR, SCALAR), (VECTOR, (2,)), (MATRIX, (3, 2)), (VECTOR, MATRIX),
                           ((2, 1, 3), (2,)), (SCALAR, MATRIX)]),
    Case("cross", ag.cross, [(VECTOR, VECTOR), (MATRIX, VECTOR), ((2, 1, 3), (4, 3))]),
    Case("cross-axis", lambda x, y: ag.cross(x, y, axis=0), [((3, 2), (3, 2)), ((3, 1), (3, 4))]),
    Case("cross-axes", lambda x, y: ag.cross(x, y, axisa=0, axisb=-1, axisc=-2),
         [((3, 2), (2, 3)), ((3, 1, 2), (4, 1, 3))]),
]
