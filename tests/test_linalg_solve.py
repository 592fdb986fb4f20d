"""ag.linalg part 1: inv, solve, det, slogdet, pinv, matrix_power, norm, vector_norm,
matrix_norm against numpy, their dispatch from np.linalg, the edge conventions and the errors.

(Gradcheck and gradgradcheck over the shape sweep come from tests/op_cases_linalg_solve.py; the
norms, in autograd/ops/linalg_norms.py, are here too.)
"""
import itertools

import numpy as np
import pytest

import autograd as ag
import op_cases  # noqa: F401  (first: op_cases imports op_cases_linalg_solve at its end)
import op_cases_linalg_solve
from autograd.ops import linalg_norms, linalg_solve

RNG = np.random.default_rng(11)
LA = ag.linalg


def _square(shape, dtype=np.float64):
    return (RNG.normal(size=shape) + 3 * np.eye(shape[-1])).astype(dtype)


def _same(t, ref):
    """t equals numpy's result exactly: values, shape and dtype."""
    ref = np.asarray(ref)
    assert isinstance(t, ag.Tensor)
    assert t.dtype == ref.dtype and t.shape == ref.shape
    np.testing.assert_array_equal(t.data, ref)


def _cofactor(a):
    """The cofactor matrix by its definition: C_ij = (−1)^(i+j) det(a without row i, col j)."""
    n = a.shape[0]
    c = np.empty_like(a)
    for i, j in itertools.product(range(n), repeat=2):
        minor = np.delete(np.delete(a, i, 0), j, 1)
        c[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return c


def test_the_sweep_runs_every_case():
    names = {c.name for c in op_cases.CASES}
    assert {c.name for c in op_cases_linalg_solve.CASES} <= names
    for name in linalg_solve.__all__ + linalg_norms.__all__:
        assert any(n == name or n.startswith((name + "-", name + "[")) for n in names), name
        assert name in LA.__all__


# ----------------------------------------------------------------------------- values
SQUARE_SHAPES = [(1, 1), (3, 3), (2, 4, 4), (2, 1, 3, 3)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SQUARE_SHAPES)
@pytest.mark.parametrize("name", ["inv", "det"])
def test_square_values_equal_numpys(name, shape, dtype):
    a = _square(shape, dtype)
    _same(getattr(LA, name)(ag.tensor(a)), getattr(np.linalg, name)(a))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SQUARE_SHAPES)
def test_slogdet_values_equal_numpys(shape, dtype):
    a = _square(shape, dtype)
    a[..., 0, :] *= RNG.choice([-1, 1], shape[:-2] + (1,))
    res, ref = LA.slogdet(ag.tensor(a)), np.linalg.slogdet(a)
    _same(res.sign, ref.sign)
    _same(res.logabsdet, ref.logabsdet)
    _same(res[0], ref[0])
    assert type(res).__name__ == "SlogdetResult" and res._fields == ("sign", "logabsdet")


SOLVE_SHAPES = [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 4)),
                ((2, 3, 3), (1, 3, 2)), ((1, 3, 3), (2, 3, 1)), ((3, 3), (2, 3, 1)),
                ((2, 2, 2), (2, 2))]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shapes", SOLVE_SHAPES, ids=str)
def test_solve_values_equal_numpys(shapes, dtype):
    a, b = _square(shapes[0], dtype), RNG.normal(size=shapes[1]).astype(dtype)
    _same(LA.solve(ag.tensor(a), ag.tensor(b)), np.linalg.solve(a, b))


def test_solve_b_is_a_vector_only_when_1d():
    """numpy 2's rule: (2, 2) b against a (2, 2, 2) stack is two (2, 2) matrices, not a stack
    of vectors; the gradient has b's shape."""
    a, b = _square((2, 2, 2)), RNG.normal(size=(2, 2))
    x = ag.tensor(b, requires_grad=True)
    out = LA.solve(ag.tensor(a), x)
    assert out.shape == (2, 2, 2)
    out.sum().backward()
    expected = np.linalg.solve(np.swapaxes(a, -1, -2), np.ones((2, 2, 2))).sum(0)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)


@pytest.mark.parametrize("kw", [{}, {"rcond": 1e-2}, {"rtol": 1e-3}, {"rtol": None},
                                {"hermitian": True}], ids=str)
@pytest.mark.parametrize("shape", [(3, 3), (2, 3), (4, 2), (2, 3, 3)])
def test_pinv_values_equal_numpys(shape, kw):
    a = RNG.normal(size=shape)
    if kw.get("hermitian"):
        a = a[..., :shape[-1]] if shape[-1] <= shape[-2] else a
        if a.shape[-1] != a.shape[-2]:
            return
    _same(LA.pinv(ag.tensor(a), **kw), np.linalg.pinv(a, **kw))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 12, -1, -2, -5])
def test_matrix_power_values_equal_numpys(n, dtype):
    a = _square((2, 3, 3)) / 3
    a = (a * 3).round().astype(dtype) if dtype == np.int64 else a.astype(dtype)
    if n < 0 and dtype == np.int64:
        a = a + 5 * np.eye(3, dtype=dtype)
    _same(LA.matrix_power(ag.tensor(a), n), np.linalg.matrix_power(a, n))


VECTOR_ORDS = [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1, -2]
MATRIX_ORDS = [None, "fro", "f", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord,axis,shape", [
    *[(o, None, (5,)) for o in VECTOR_ORDS], *[(o, -1, (2, 4)) for o in VECTOR_ORDS],
    *[(o, 0, (3, 1, 2)) for o in VECTOR_ORDS], *[(o, None, (3, 4)) for o in MATRIX_ORDS],
    *[(o, (2, 0), (3, 2, 4)) for o in MATRIX_ORDS], *[(o, (-1, -2), (2, 3, 3)) for o in
                                                     MATRIX_ORDS],
    (None, None, ()), (None, None, (2, 3, 4)), ("fro", (0, 1), (2, 3)),
], ids=str)
def test_norm_values_equal_numpys(ord, axis, shape, keepdims):
    x = RNG.normal(size=shape)
    _same(LA.norm(ag.tensor(x), ord, axis, keepdims), np.linalg.norm(x, ord, axis, keepdims))
    _same(LA.norm(ag.tensor(x.astype(np.float32)), ord, axis, keepdims),
          np.linalg.norm(x.astype(np.float32), ord, axis, keepdims))


def test_norm_of_integers_is_numpys_float64():
    x = np.array([[3, -4], [1, 2]])
    for ord in [None, 1, np.inf, "nuc"]:
        _same(LA.norm(ag.tensor(x), ord), np.linalg.norm(x, ord))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf, 0, 3, -1])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (2, 0), (-1,), (0, 1, 2)], ids=str)
def test_vector_norm_values_equal_numpys(axis, ord, keepdims):
    x = RNG.normal(size=(2, 3, 4))
    _same(LA.vector_norm(ag.tensor(x), axis=axis, ord=ord, keepdims=keepdims),
          np.linalg.vector_norm(x, axis=axis, ord=ord, keepdims=keepdims))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 4), (2, 1, 4, 2)])
def test_matrix_norm_values_equal_numpys(shape, ord, keepdims):
    x = RNG.normal(size=shape)
    _same(LA.matrix_norm(ag.tensor(x), ord=ord, keepdims=keepdims),
          np.linalg.matrix_norm(x, ord=ord, keepdims=keepdims))


# ----------------------------------------------------------------------------- dispatch
DISPATCH = [
    ("inv", (3, 3), {}), ("det", (2, 3, 3), {}), ("pinv", (2, 3), {}),
    ("norm", (2, 3), {"ord": "nuc"}), ("norm", (4,), {"ord": 3}),
    ("vector_norm", (2, 3), {"axis": 0}), ("matrix_norm", (2, 3, 3), {"ord": 2}),
]


@pytest.mark.parametrize("name,shape,kw", DISPATCH, ids=[d[0] for d in DISPATCH])
def test_np_linalg_dispatches_with_gradient(name, shape, kw):
    a = _square(shape) if name in ("inv", "det") else RNG.normal(size=shape)
    x, y = ag.tensor(a, requires_grad=True), ag.tensor(a, requires_grad=True)
    out = getattr(np.linalg, name)(x, **kw)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    out.sum().backward()
    getattr(LA, name)(y, **kw).sum().backward()
    np.testing.assert_array_equal(x.grad.data, y.grad.data)
    assert ag.gradcheck(lambda t: getattr(np.linalg, name)(t, **kw), (ag.tensor(a,
                        requires_grad=True),))


def test_np_linalg_dispatch_of_solve_slogdet_and_matrix_power():
    a, b = _square((3, 3)), RNG.normal(size=3)
    ta, tb = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    x = np.linalg.solve(ta, tb)
    assert isinstance(x, ag.Tensor)
    x.sum().backward()
    np.testing.assert_allclose(tb.grad.data, np.linalg.solve(a.T, np.ones(3)), rtol=1e-12)
    sign, logabsdet = np.linalg.slogdet(ta)
    assert isinstance(logabsdet, ag.Tensor) and not sign.requires_grad
    p = np.linalg.matrix_power(ta, 3)
    assert isinstance(p, ag.Tensor) and p.requires_grad
    np.testing.assert_allclose(p.data, np.linalg.matrix_power(a, 3), rtol=1e-13)


# ----------------------------------------------------------------------------- gradients
def test_inv_and_solve_gradients_by_formula():
    a, b = _square((3, 3)), RNG.normal(size=(3, 2))
    g = RNG.normal(size=(3, 2))
    ta, tb = ag.tensor(a, requires_grad=True), ag.tensor(b, requires_grad=True)
    LA.solve(ta, tb).backward(g)
    ai = np.linalg.inv(a)
    np.testing.assert_allclose(tb.grad.data, ai.T @ g, rtol=1e-12)
    np.testing.assert_allclose(ta.grad.data, -ai.T @ g @ (ai @ b).T, rtol=1e-12)
    ta = ag.tensor(a, requires_grad=True)
    g = RNG.normal(size=(3, 3))
    LA.inv(ta).backward(g)
    np.testing.assert_allclose(ta.grad.data, -ai.T @ g @ ai.T, rtol=1e-12)


def test_det_gradient_of_invertible_is_det_times_inverse_transpose():
    a = _square((2, 3, 3))
    t = ag.tensor(a, requires_grad=True)
    LA.det(t).sum().backward()
    expected = np.linalg.det(a)[:, None, None] * np.swapaxes(np.linalg.inv(a), -1, -2)
    np.testing.assert_allclose(t.grad.data, expected, rtol=1e-12)


def test_det_of_singular_matrix_gradient_is_the_cofactor_matrix():
    """Rank n−1: the cofactor matrix, finite and non-zero, equal to its definition by minors."""
    a = RNG.normal(size=(3, 3))
    a[2] = 2 * a[0] - a[1]
    t = ag.tensor(a, requires_grad=True)
    LA.det(t).backward()
    c = _cofactor(a)
    assert np.abs(c).max() > 0.1
    np.testing.assert_allclose(t.grad.data, c, atol=1e-12)
    assert np.isfinite(t.grad.data).all()


def test_det_of_rank_n_minus_2_matrix_has_zero_gradient():
    a = np.outer(RNG.normal(size=3), RNG.normal(size=3))      # rank 1
    t = ag.tensor(a, requires_grad=True)
    LA.det(t).backward()
    np.testing.assert_allclose(t.grad.data, 0, atol=1e-14)
    np.testing.assert_allclose(_cofactor(a), 0, atol=1e-14)


def test_det_of_singular_matrix_second_derivative_is_exact():
    """The second derivative at a rank-deficient matrix (plain pass, from the SVD): equal to
    the derivative of the cofactor matrix by minors (central differences of a polynomial)."""
    a = RNG.normal(size=(3, 3))
    a[2] = a[0] + a[1]
    w = RNG.normal(size=(3, 3))
    t = ag.tensor(a, requires_grad=True)
    g, = ag.grad(LA.det(t), t, create_graph=True)
    np.testing.assert_allclose(g.data, _cofactor(a), atol=1e-12)
    h, = ag.grad((g * w).sum(), t)
    eps, numerical = 1e-6, np.empty((3, 3))
    for i, j in itertools.product(range(3), repeat=2):
        d = np.zeros((3, 3))
        d[i, j] = eps
        numerical[i, j] = ((_cofactor(a + d) - _cofactor(a - d)) * w).sum() / (2 * eps)
    np.testing.assert_allclose(h.data, numerical, atol=1e-8)


def test_det_third_derivative_recorded_on_invertible_matrices():
    x = ag.tensor(_square((3, 3)), requires_grad=True)
    assert ag.gradgradcheck(lambda a: ag.grad(LA.det(a), a, create_graph=True)[0], (x,))


def test_slogdet_of_negative_determinant_sign_and_gradient():
    a = _square((3, 3))
    a[0] *= -1
    t = ag.tensor(a, requires_grad=True)
    sign, logabsdet = LA.slogdet(t)
    assert sign.item() == -1.0 and not sign.requires_grad
    np.testing.assert_allclose(logabsdet.data, np.log(-np.linalg.det(a)), rtol=1e-13)
    logabsdet.backward()
    np.testing.assert_allclose(t.grad.data, np.linalg.inv(a).T, rtol=1e-12)


def test_matrix_power_zero_is_identity_with_zero_gradient():
    t = ag.tensor(_square((2, 3, 3)), requires_grad=True)
    out = LA.matrix_power(t, 0)
    np.testing.assert_array_equal(out.data, np.broadcast_to(np.eye(3), (2, 3, 3)))
    out.sum().backward()
    assert t.grad is not None
    np.testing.assert_array_equal(t.grad.data, np.zeros((2, 3, 3)))


def test_matrix_power_negative_goes_through_inv():
    a = _square((3, 3))
    t = ag.tensor(a, requires_grad=True)
    LA.matrix_power(t, -2).sum().backward()
    ai = np.linalg.inv(a)
    g = np.ones((3, 3))
    # d(B²) with B = A⁻¹: ∂B = g Bᵀ + Bᵀ g, then ∂A = −Bᵀ ∂B Bᵀ
    gb = g @ ai.T + ai.T @ g
    np.testing.assert_allclose(t.grad.data, -ai.T @ gb @ ai.T, rtol=1e-11)


def test_pinv_gradient_of_full_rank_square_is_inverses():
    a = _square((3, 3))
    t, u = ag.tensor(a, requires_grad=True), ag.tensor(a, requires_grad=True)
    g = RNG.normal(size=(3, 3))
    LA.pinv(t).backward(g)
    LA.inv(u).backward(g)
    np.testing.assert_allclose(t.grad.data, u.grad.data, rtol=1e-9, atol=1e-12)


def test_pinv_hermitian_reads_the_lower_triangle_only():
    """numpy's hermitian pinv (eigh) reads the lower triangle: the upper one gets gradient 0,
    and the gradient is right for a non-symmetric input."""
    a = _square((3, 3))
    lower = np.tril(a) + np.tril(a, -1).T
    _same(LA.pinv(ag.tensor(a), hermitian=True), np.linalg.pinv(lower, hermitian=True))
    np.testing.assert_allclose(LA.pinv(ag.tensor(a), hermitian=True).data,
                               np.linalg.inv(lower), rtol=1e-12)
    t = ag.tensor(a, requires_grad=True)
    LA.pinv(t, hermitian=True).sum().backward()
    assert not np.triu(t.grad.data, 1).any()
    assert ag.gradcheck(lambda x: LA.pinv(x, hermitian=True), (ag.tensor(a, requires_grad=True),))


# ----------------------------------------------------------------------------- norm edges
@pytest.mark.parametrize("fn", [LA.norm, LA.vector_norm, lambda x: LA.norm(x, 3),
                                lambda x: LA.norm(x, 1), lambda x: LA.norm(x, np.inf),
                                lambda x: LA.norm(x, 0.5), lambda x: LA.vector_norm(x, axis=0)],
                         ids=["norm", "vector_norm", "ord3", "ord1", "inf", "ord0.5", "axis0"])
def test_norm_at_zero_has_zero_gradient(fn):
    x = ag.tensor(np.zeros(3), requires_grad=True)
    out = fn(x)
    assert out.item() == 0.0
    out.backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros(3))


def test_norm_at_zero_has_zero_gradient_per_slice_and_for_fro():
    x = np.array([[0.0, 0.0], [3.0, 4.0]])
    t = ag.tensor(x, requires_grad=True)
    LA.norm(t, axis=1).sum().backward()
    assert not t.grad.data[0].any()
    np.testing.assert_allclose(t.grad.data[1], [0.6, 0.8], rtol=1e-15)
    t = ag.tensor(np.zeros((2, 2)), requires_grad=True)
    LA.matrix_norm(t).backward()
    np.testing.assert_array_equal(t.grad.data, np.zeros((2, 2)))


def test_norm_2_gradient_elsewhere_is_x_over_norm():
    x = RNG.normal(size=(2, 4))
    t = ag.tensor(x, requires_grad=True)
    LA.vector_norm(t, axis=-1, keepdims=True).sum().backward()
    np.testing.assert_allclose(t.grad.data, x / np.linalg.norm(x, axis=-1, keepdims=True),
                               rtol=1e-13)


def test_norm_inf_ties_split_the_gradient_equally():
    t = ag.tensor([1.0, -3.0, 3.0, 2.0], requires_grad=True)
    LA.norm(t, np.inf).backward()
    np.testing.assert_array_equal(t.grad.data, [0.0, -0.5, 0.5, 0.0])
    t = ag.tensor([[1.0, -2.0], [-2.0, 1.0]], requires_grad=True)   # ord=1: tied columns
    LA.norm(t, 1).backward()
    np.testing.assert_array_equal(t.grad.data, [[0.5, -0.5], [-0.5, 0.5]])


def test_matrix_norm_2_and_nuc_gradients_from_the_svd():
    x = RNG.normal(size=(4, 3))
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    for ord, expected in [(2, np.outer(u[:, 0], vh[0])), (-2, np.outer(u[:, -1], vh[-1])),
                          ("nuc", u @ vh)]:
        t = ag.tensor(x, requires_grad=True)
        LA.norm(t, ord).backward()
        np.testing.assert_allclose(t.grad.data, expected, rtol=1e-10, atol=1e-12)


def test_nuclear_norm_third_derivative_is_not_implemented():
    x = ag.tensor(RNG.normal(size=(3, 3)), requires_grad=True)
    g, = ag.grad(LA.norm(x, "nuc"), x, create_graph=True)
    h, = ag.grad((g * g).sum(), x, create_graph=True)     # recorded: right values
    plain, = ag.grad((ag.grad(LA.norm(x, "nuc"), x, create_graph=True)[0] ** 2).sum(), x)
    np.testing.assert_allclose(h.data, plain.data, rtol=1e-12)
    with pytest.raises(NotImplementedError, match="third derivatives"):
        ag.grad(h.sum(), x)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call", [
    lambda z: LA.inv(z), lambda z: LA.det(z), lambda z: LA.slogdet(z), lambda z: LA.pinv(z),
    lambda z: LA.matrix_power(z, 2), lambda z: LA.solve(z, np.ones(2)),
    lambda z: LA.norm(z), lambda z: LA.vector_norm(z), lambda z: LA.matrix_norm(z)],
    ids=["inv", "det", "slogdet", "pinv", "matrix_power", "solve", "norm", "vector_norm",
         "matrix_norm"])
def test_complex_input_raises(call):
    with pytest.raises(TypeError, match="complex"):
        call(ag.tensor(np.eye(2) + 1j))


@pytest.mark.parametrize("name", ["inv", "det", "slogdet"])
def test_non_square_raises_naming_op_and_shape(name):
    with pytest.raises(np.linalg.LinAlgError, match=rf"{name}: a must be square.*\(2, 3\)"):
        getattr(LA, name)(ag.tensor(np.ones((2, 3))))
    with pytest.raises(np.linalg.LinAlgError, match=rf"{name}: a must have at least 2 axes"):
        getattr(LA, name)(ag.tensor(np.ones(3)))


def test_solve_errors():
    with pytest.raises(ValueError, match=r"solve: b of shape \(4,\) does not fit a of shape"):
        LA.solve(ag.tensor(np.eye(3)), ag.tensor(np.ones(4)))
    with pytest.raises(ValueError, match="solve: b of shape"):
        LA.solve(ag.tensor(np.eye(3)), ag.tensor(np.ones((2, 3))))
    with pytest.raises(np.linalg.LinAlgError):
        LA.solve(ag.tensor(np.zeros((2, 2))), ag.tensor(np.ones(2)))


def test_matrix_power_errors():
    with pytest.raises(TypeError, match="matrix_power: exponent n must be an integer"):
        LA.matrix_power(ag.tensor(np.eye(2)), 1.5)
    with pytest.raises(np.linalg.LinAlgError, match="matrix_power: a must be square"):
        LA.matrix_power(ag.tensor(np.ones((2, 3))), 2)
    _same(LA.matrix_power(ag.tensor(np.eye(2)), np.int64(2)), np.eye(2))


def test_norm_errors():
    x = ag.tensor(np.ones((2, 3, 4)))
    with pytest.raises(np.exceptions.AxisError, match=r"norm: axis 3 is out of bounds.*"
                                                      r"\(2, 3, 4\)"):
        LA.norm(x, axis=3)
    with pytest.raises(ValueError, match="norm: repeated axis"):
        LA.norm(x, axis=(1, -2))
    with pytest.raises(ValueError, match="improper number"):
        LA.norm(x, ord=1)
    with pytest.raises(ValueError, match="improper number of axes"):
        LA.norm(x, axis=(0, 1, 2))
    with pytest.raises(ValueError, match="invalid norm order 'fro' for vectors"):
        LA.norm(ag.tensor(np.ones(3)), "fro")
    with pytest.raises(ValueError, match="invalid norm order 3 for matrices"):
        LA.norm(ag.tensor(np.ones((2, 2))), 3)
    with pytest.raises(TypeError, match="axis must be an int"):
        LA.norm(x, axis=1.5)
    with pytest.raises(ValueError, match="matrix_norm: x must have at least 2 axes"):
        LA.matrix_norm(ag.tensor(np.ones(3)))
    with pytest.raises(ValueError, match="for vectors"):
        LA.vector_norm(x, ord="nuc")


def test_no_out_argument():
    with pytest.raises(TypeError):
        LA.inv(ag.tensor(np.eye(2)), out=np.empty((2, 2)))
    with pytest.raises(TypeError):
        LA.norm(ag.tensor(np.eye(2)), out=np.empty(()))


def test_float32_stays_float32_through_gradients():
    for fn in [LA.inv, LA.det, lambda a: LA.slogdet(a)[1], LA.pinv,
               lambda a: LA.norm(a, "nuc"), lambda a: LA.norm(a, 3, axis=0),
               lambda a: LA.matrix_power(a, -2)]:
        t = ag.tensor(_square((3, 3), np.float32), requires_grad=True)
        out = fn(t)
        assert out.dtype == np.float32
        out.sum().backward()
        assert t.grad.dtype == np.float32
