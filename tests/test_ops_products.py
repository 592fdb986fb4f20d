"""Products: dot, inner, outer, vdot, tensordot, einsum, kron, cross against numpy, their
dispatch from numpy's functions, their gradients at the edges, and their errors.

(Gradcheck and gradgradcheck over the shape sweep come from tests/op_cases_products.py.)
"""

import numpy as np
import pytest

import autograd as ag
import op_cases  # noqa: F401  (first: op_cases imports op_cases_products at its end)
import op_cases_products
from op_cases_products import EINSUM_SUBSCRIPTS

RNG = np.random.default_rng(7)


def _arrays(shapes, dtype=np.float64):
    return [RNG.normal(size=s).astype(dtype) for s in shapes]


def _tensors(arrays):
    return [ag.tensor(a, requires_grad=True) for a in arrays]


def _same(t, ref):
    """t equals numpy's result exactly: values, shape and dtype."""
    ref = np.asarray(ref)
    assert isinstance(t, ag.Tensor)
    assert t.dtype == ref.dtype and t.shape == ref.shape
    np.testing.assert_array_equal(t.data, ref)


def test_the_sweep_runs_every_product_case():
    """tests/op_cases_products.py reaches the shared gradcheck/gradgradcheck sweep, and every
    public name of the module has cases there."""
    names = {c.name for c in op_cases.CASES}
    assert {c.name for c in op_cases_products.CASES} <= names
    for name in ag.ops.products.__all__:
        assert any(n == name or n.startswith((name + "-", name + "[")) for n in names), name


# ----------------------------------------------------------------------------- values
VALUE_CASES = [
    # (name, ours, numpy's, operand shapes)
    *[("dot", ag.dot, np.dot, s) for s in [
        ((), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)),
        ((2, 2, 3), (3, 2)), ((2, 3), (2, 3, 2)), ((2, 1, 3), (4, 3, 2)), ((), (2, 3)),
        ((2, 3), ()), ((3,), (2, 3, 4))]],
    *[("inner", ag.inner, np.inner, s) for s in [
        ((), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 3), (4, 3)),
        ((2, 1, 3), (2, 4, 3)), ((), (2, 3))]],
    *[("outer", ag.outer, np.outer, s) for s in [
        ((), ()), ((3,), (2,)), ((2, 3), (3,)), ((2, 1, 3), (2, 2))]],
    *[("vdot", ag.vdot, np.vdot, s) for s in [
        ((), (1,)), ((3,), (3,)), ((2, 3), (3, 2)), ((6,), (2, 3))]],
    *[("kron", ag.kron, np.kron, s) for s in [
        ((), ()), ((3,), (2,)), ((2, 3), (3, 2)), ((2,), (2, 3)), ((2, 2, 1), (3,)),
        ((), (2, 3)), ((2, 3), (2, 1, 2))]],
    *[("cross", ag.cross, np.cross, s) for s in [
        ((3,), (3,)), ((2, 3), (3,)), ((4, 1, 3), (2, 3))]],
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("name,ours,theirs,shapes", VALUE_CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in VALUE_CASES])
def test_values_equal_numpys(name, ours, theirs, shapes, dtype):
    arrays = [(a * 10).astype(dtype) for a in _arrays(shapes)]
    _same(ours(*map(ag.tensor, arrays)), theirs(*arrays))


TENSORDOT_AXES = [
    ((2, 3), (2, 3), 2), ((2, 3), (3, 4), 1), ((2, 3), (4,), 0), ((2, 3), (3, 2), -1),
    ((2, 3, 4), (4, 3, 2), ([1, 2], [1, 0])), ((2, 3), (3,), (1, 0)),
    ((2, 3), (3, 2), ([-1], [-2])), ((2, 3, 4), (3, 2), ((0, 1), (1, 0))),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sa,sb,axes", TENSORDOT_AXES)
def test_tensordot_values_equal_numpys(sa, sb, axes, dtype):
    a, b = _arrays([sa, sb], dtype)
    _same(ag.tensordot(ag.tensor(a), ag.tensor(b), axes), np.tensordot(a, b, axes))


CROSS_AXES = [
    ((3, 2), (2, 1, 3), dict(axisa=0)), ((3, 2), (3, 2), dict(axis=0)),
    ((2, 3), (3, 2), dict(axisb=0, axisc=0)), ((4, 2, 3), (2, 3), dict(axisc=1)),
    ((3, 1, 2), (4, 1, 3), dict(axisa=0, axisc=-2)), ((2, 3, 4), (3, 4), dict(axisa=1, axisb=0)),
]


@pytest.mark.parametrize("sa,sb,kw", CROSS_AXES)
def test_cross_axis_keywords_equal_numpys(sa, sb, kw):
    a, b = _arrays([sa, sb])
    _same(ag.cross(ag.tensor(a), ag.tensor(b), **kw), np.cross(a, b, **kw))


EINSUM_MORE = [
    ("bA", [(2, 3)]), ("Ba,aB", [(2, 3), (3, 2)]), ("i...", [(2, 3, 4)]),
    ("...i,...i", [(2, 3), (3,)]), ("i j -> j", [(2, 3)]), ("ij,...", [(2, 3), ()]),
    ("ii->", [(1, 1)]), ("ij,jk,kl,lm->mi", [(2, 3), (3, 2), (2, 4), (4, 2)]),
    ("...ii->...i", [(2, 3, 3)]), ("ijk,ikj->i", [(2, 3, 4), (2, 4, 3)]),
    ("i,i,i->", [(3,), (1,), (3,)]), ("...j,j...->...", [(2, 3), (3, 2)]),
]
EINSUM_ALL = [(s, shapes) for s, sets in EINSUM_SUBSCRIPTS.items() for shapes in sets] + \
    EINSUM_MORE


@pytest.mark.parametrize("optimize", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("subscripts,shapes", EINSUM_ALL,
                         ids=[f"{s}-{shapes}" for s, shapes in EINSUM_ALL])
def test_einsum_values_equal_numpys(subscripts, shapes, dtype, optimize):
    arrays = _arrays(shapes, dtype)
    _same(ag.einsum(subscripts, *map(ag.tensor, arrays), optimize=optimize),
          np.einsum(subscripts, *arrays, optimize=optimize))


@pytest.mark.parametrize("subscripts,shapes", EINSUM_ALL,
                         ids=[f"{s}-{shapes}" for s, shapes in EINSUM_ALL])
def test_einsum_gradient_equals_finite_differences_and_its_own_derivative(subscripts, shapes):
    xs = _tensors(_arrays(shapes))
    fn = lambda *xs: ag.einsum(subscripts, *xs)   # noqa: E731
    assert ag.gradcheck(fn, xs)
    assert ag.gradgradcheck(fn, xs)


def test_einsum_optimized_sums_broadcast_axes_left_out_of_the_output():
    """'...i->' is valid on numpy's optimized path only: it sums every axis, as numpy does."""
    a = _arrays([(2, 3, 4)])[0]
    _same(ag.einsum("...i->", ag.tensor(a), optimize=True), np.einsum("...i->", a,
                                                                        optimize=True))
    with pytest.raises(ValueError, match="^einsum: "):
        ag.einsum("...i->", ag.tensor(a))


def test_einsum_sublist_format_equals_numpys():
    a, b = _arrays([(2, 3), (3, 4)])
    for args in [(a, [0, 1], b, [1, 2]), (a, [0, 1], b, [1, 2], [2, 0]),
                 (a, [Ellipsis, 1], b, [1, 2], [Ellipsis, 2]), (a, [26, 0])]:
        ours = ag.einsum(*[ag.tensor(x) if isinstance(x, np.ndarray) else x for x in args])
        _same(ours, np.einsum(*args))


def test_einsum_sublist_implicit_output_follows_integer_order():
    """numpy orders a sublist's implicit output by label number (0 = 'a' before 26 = 'A'),
    unlike a string's (ASCII: 'A' before 'a'); the gradient follows the same letters."""
    a = ag.tensor(_arrays([(2, 3)])[0], requires_grad=True)
    y = ag.einsum(a, [26, 0])
    assert y.shape == (3, 2) == np.einsum(a.data, [26, 0]).shape
    assert ag.einsum("Aa", a).shape == (2, 3)
    v = RNG.normal(size=(3, 2))
    y.backward(v)
    np.testing.assert_array_equal(a.grad.data, v.T)


def test_einsum_dtype_casts_the_operands_as_numpy():
    a = _arrays([(2, 3)], np.float32)[0]
    t = ag.tensor(a, requires_grad=True)
    y = ag.einsum("ij->j", t, dtype=np.float64)
    _same(y, np.einsum("ij->j", a, dtype=np.float64))
    y.sum().backward()
    assert t.grad.dtype == np.float32
    np.testing.assert_array_equal(t.grad.data, np.ones((2, 3), np.float32))
    with pytest.raises(TypeError, match="einsum: cannot cast operand 0 from float64 to float32"):
        ag.einsum("ij", ag.tensor(a.astype(np.float64)), dtype=np.float32)


def test_python_scalar_operands_promote_as_in_numpy():
    """numpy's products turn a Python float into a float64 array: float32 · 2.0 is float64."""
    a = _arrays([(3,)], np.float32)[0]
    for ours, theirs in [(ag.dot, np.dot), (ag.inner, np.inner), (ag.kron, np.kron)]:
        _same(ours(ag.tensor(a), 2.0), theirs(a, 2.0))
    _same(ag.einsum("i,->i", ag.tensor(a), 2.0), np.einsum("i,->i", a, 2.0))


def test_integer_operands_keep_numpys_integer_result():
    a, b = np.arange(6).reshape(2, 3), np.arange(3)
    _same(ag.dot(a, b), np.dot(a, b))
    _same(ag.einsum("ij,j", a, b), np.einsum("ij,j", a, b))
    _same(ag.cross(np.arange(3), np.array([2, 0, 1])), np.cross(np.arange(3), [2, 0, 1]))


# ----------------------------------------------------------------------------- gradients
def test_einsum_diagonal_gradient_lies_on_the_diagonal():
    """'ii->i' reads the diagonal: its gradient is g on the diagonal and zero elsewhere."""
    x = ag.tensor(_arrays([(3, 3)])[0], requires_grad=True)
    g = np.array([1.0, -2.0, 3.0])
    ag.einsum("ii->i", x).backward(g)
    np.testing.assert_array_equal(x.grad.data, np.diag(g))


def test_einsum_trace_of_three_axes_gradient():
    """'iij->j': the gradient of x[i, i, j] is g[j] for every i, zero off the diagonal."""
    x = ag.tensor(_arrays([(2, 2, 3)])[0], requires_grad=True)
    g = np.array([1.0, 2.0, 3.0])
    ag.einsum("iij->j", x).backward(g)
    expected = np.eye(2)[:, :, None] * g
    np.testing.assert_array_equal(x.grad.data, expected)


def test_einsum_index_of_one_operand_summed_gradient_is_broadcast_back():
    """'ij->i' sums j, which no other operand holds: the gradient is constant along j."""
    x = ag.tensor(_arrays([(2, 3)])[0], requires_grad=True)
    ag.einsum("ij->i", x).backward(np.array([2.0, -1.0]))
    np.testing.assert_array_equal(x.grad.data, [[2.0] * 3, [-1.0] * 3])


def test_einsum_size1_axis_broadcast_gradient_is_summed():
    """'i,i->i' with shapes (1,) and (3,): the size-1 axis broadcasts, and its gradient sums."""
    x, y = _tensors(_arrays([(1,), (3,)]))
    out = ag.einsum("i,i->i", x, y)
    _same(out, np.einsum("i,i->i", x.data, y.data))
    g = np.array([1.0, 2.0, 3.0])
    out.backward(g)
    assert x.grad.shape == (1,)
    np.testing.assert_allclose(x.grad.data, [(g * y.data).sum()], rtol=1e-15)
    np.testing.assert_array_equal(y.grad.data, g * x.data)


def test_einsum_result_is_not_a_view_of_its_operand():
    """numpy's one-operand einsum may return a view ('ii->i'); autograd's result owns its
    memory, so writing to an operand later cannot change a recorded output."""
    a = np.arange(9.0).reshape(3, 3)
    t = ag.tensor(a)
    y = ag.einsum("ii->i", t)
    assert not np.shares_memory(y.data, t.data)
    _same(y, np.einsum("ii->i", a))


def test_einsum_second_derivative_of_a_quadratic_form():
    """f = xᵀ A x, ∇f = (A + Aᵀ) x, ∇²f = A + Aᵀ, through einsum's recorded backward."""
    a = _arrays([(3, 3)])[0]
    x = ag.tensor(_arrays([(3,)])[0], requires_grad=True)
    g, = ag.grad(ag.einsum("i,ij,j->", x, a, x), x, create_graph=True)
    np.testing.assert_allclose(g.data, (a + a.T) @ x.data, rtol=1e-13)
    rows = [ag.grad(g[k], x, retain_graph=True)[0].data for k in range(3)]
    np.testing.assert_allclose(np.stack(rows), a + a.T, rtol=1e-13)


def test_dot_gradients_are_the_matrix_products():
    a, b = _tensors(_arrays([(2, 3), (3, 4)]))
    v = RNG.normal(size=(2, 4))
    ag.dot(a, b).backward(v)
    np.testing.assert_allclose(a.grad.data, v @ b.data.T, rtol=1e-13)
    np.testing.assert_allclose(b.grad.data, a.data.T @ v, rtol=1e-13)


def test_dot_nd_by_md_contracts_last_with_second_to_last():
    a, b = _tensors(_arrays([(2, 3), (4, 3, 5)]))
    y = ag.dot(a, b)
    assert y.shape == (2, 4, 5)
    v = RNG.normal(size=y.shape)
    y.backward(v)
    np.testing.assert_allclose(a.grad.data, np.einsum("ijl,jkl->ik", v, b.data), rtol=1e-13)
    np.testing.assert_allclose(b.grad.data, np.einsum("ijl,ik->jkl", v, a.data), rtol=1e-13)


def test_dot_with_a_scalar_is_the_product():
    a, s = _tensors(_arrays([(2, 3), ()]))
    y = ag.dot(s, a)
    _same(y, s.data * a.data)
    y.sum().backward()
    np.testing.assert_allclose(s.grad.data, a.data.sum(), rtol=1e-14)


def test_vdot_flattens_operands_of_different_shapes():
    a, b = _tensors(_arrays([(2, 3), (3, 2)]))
    y = ag.vdot(a, b)
    _same(y, np.vdot(a.data, b.data))
    y.backward()
    np.testing.assert_array_equal(a.grad.data, b.data.reshape(2, 3))
    np.testing.assert_array_equal(b.grad.data, a.data.reshape(3, 2))


def test_outer_flattens_and_its_gradient_keeps_the_shapes():
    a, b = _tensors(_arrays([(2, 2), (3,)]))
    y = ag.outer(a, b)
    assert y.shape == (4, 3)
    y.sum().backward()
    np.testing.assert_allclose(a.grad.data, np.full((2, 2), b.data.sum()), rtol=1e-14)
    np.testing.assert_allclose(b.grad.data, np.full(3, a.data.sum()), rtol=1e-14)


def test_kron_gradient_sums_each_block():
    a, b = _tensors(_arrays([(2, 2), (3, 3)]))
    v = RNG.normal(size=(6, 6))
    ag.kron(a, b).backward(v)
    blocks = v.reshape(2, 3, 2, 3)
    np.testing.assert_allclose(a.grad.data, np.einsum("iajb,ab->ij", blocks, b.data),
                               rtol=1e-13)
    np.testing.assert_allclose(b.grad.data, np.einsum("iajb,ij->ab", blocks, a.data),
                               rtol=1e-13)


def test_cross_gradient_is_the_cross_with_the_other_operand():
    """d(g·(a×b))/da = b×g and d/db = g×a."""
    a, b = _tensors(_arrays([(2, 3), (2, 3)]))
    g = RNG.normal(size=(2, 3))
    ag.cross(a, b).backward(g)
    np.testing.assert_allclose(a.grad.data, np.cross(b.data, g), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(b.grad.data, np.cross(g, a.data), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("fn", [ag.dot, ag.inner, ag.tensordot, ag.kron, ag.cross, ag.vdot,
                                ag.outer, lambda x, y: ag.einsum("ij,kj->ik", x, y)])
def test_float32_stays_float32_in_values_and_gradients(fn):
    a, b = _tensors(_arrays([(3, 3), (3, 3)], np.float32))
    y = fn(a, b)
    assert y.dtype == np.float32
    y.backward(np.ones(y.shape, np.float32))
    assert a.grad.dtype == b.grad.dtype == np.float32


# ----------------------------------------------------------------------------- dispatch
DISPATCH = [
    (np.dot, ((2, 3), (3, 4))), (np.inner, ((2, 3), (4, 3))), (np.outer, ((2,), (3,))),
    (np.vdot, ((2, 3), (6,))), (np.tensordot, ((2, 3), (2, 3))), (np.kron, ((2,), (3,))),
    (np.cross, ((2, 3), (3,))),
]


@pytest.mark.parametrize("fn,shapes", DISPATCH, ids=[f.__name__ for f, _ in DISPATCH])
def test_numpy_functions_on_tensors_dispatch_with_gradients(fn, shapes):
    arrays = _arrays(shapes)
    xs = _tensors(arrays)
    y = fn(xs[0], arrays[1])                   # a Tensor and a plain array
    _same(y, fn(*arrays))
    assert y.requires_grad
    ours = getattr(ag, fn.__name__)(xs[0], arrays[1])
    v = RNG.normal(size=y.shape)
    g1, = ag.grad(y, xs[0], grad_outputs=v)
    g2, = ag.grad(ours, xs[0], grad_outputs=v)
    np.testing.assert_array_equal(g1.data, g2.data)
    assert ag.gradcheck(lambda x: fn(x, arrays[1]), (xs[0],))


def test_np_einsum_dispatches_string_and_sublist_formats():
    a, b = _arrays([(2, 3), (3, 4)])
    t = ag.tensor(a, requires_grad=True)
    y = np.einsum("ij,jk->ik", t, b)
    _same(y, np.einsum("ij,jk->ik", a, b))
    y.sum().backward()
    np.testing.assert_allclose(t.grad.data, np.ones((2, 4)) @ b.T, rtol=1e-14)
    _same(np.einsum(t, [0, 1], b, [1, 2]), np.einsum(a, [0, 1], b, [1, 2]))
    _same(np.einsum("ij,jk,kl", t, b, b.T, optimize="greedy"),
          np.einsum("ij,jk,kl", a, b, b.T, optimize="greedy"))


def test_dot_method_form():
    a, b = _arrays([(2, 3), (3,)])
    t = ag.tensor(a, requires_grad=True)
    y = t.dot(b)
    _same(y, a.dot(b))
    y.sum().backward()
    np.testing.assert_array_equal(t.grad.data, np.broadcast_to(b, (2, 3)))


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name", ["dot", "inner", "outer", "vdot", "tensordot", "kron",
                                  "cross"])
def test_complex_input_raises_a_type_error_naming_the_op(name):
    with pytest.raises(TypeError, match=rf"^{name}: operand 1 of shape \(3,\) is complex"):
        getattr(ag, name)(ag.tensor(np.ones(3)), np.ones(3) * 1j)


def test_einsum_complex_input_raises():
    with pytest.raises(TypeError, match=r"^einsum: operand 1 of shape \(3,\) is complex"):
        ag.einsum("i,i", ag.tensor(np.ones(3)), np.ones(3, complex))


@pytest.mark.parametrize("call", [
    lambda t: ag.dot(t, t, out=np.empty(())), lambda t: np.dot(t, t, out=np.empty(())),
    lambda t: ag.outer(t, t, out=np.empty((3, 3))),
    lambda t: np.outer(t, t, out=np.empty((3, 3))),
    lambda t: ag.einsum("i,i", t, t, out=np.empty(())),
    lambda t: np.einsum("i,i", t, t, out=np.empty(()))],
    ids=["dot", "np.dot", "outer", "np.outer", "einsum", "np.einsum"])
def test_out_argument_raises_a_type_error(call):
    with pytest.raises(TypeError, match="out= is not supported"):
        call(ag.tensor(np.ones(3)))


@pytest.mark.parametrize("call,message", [
    (lambda: ag.dot(np.ones((2, 3)), np.ones(2)),
     r"dot: shapes \(2, 3\) and \(2,\) are not aligned.*only axis of b \(2\)"),
    (lambda: ag.dot(np.ones((2, 3)), np.ones((2, 3))),
     r"dot: shapes \(2, 3\) and \(2, 3\) are not aligned.*second-to-last axis of b \(2\)"),
    (lambda: ag.inner(np.ones((2, 3)), np.ones(2)), r"inner: the last axes of shapes"),
    (lambda: ag.vdot(np.ones((2, 3)), np.ones(5)), r"vdot: .* different sizes \(6 != 5\)"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((2, 3)), axes=1),
     r"tensordot: shape-mismatch for sum: axis 1 of a \(2, 3\) against axis 0 of b"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((2, 3)), axes=3),
     r"tensordot: axes=3 contracts more axes"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0, 0], [1, 1])),
     r"tensordot: duplicate axes"),
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0, 1], [1])),
     r"tensordot: 2 axes of a against 1 of b"),
    (lambda: ag.einsum("ij,jk", np.ones((2, 3)), np.ones((2, 2))),
     r"einsum: .*\(subscripts 'ij,jk', operand shapes \(2, 3\), \(2, 2\)\)"),
    (lambda: ag.einsum("ij,jk->ii", np.ones((2, 3)), np.ones((3, 2))),
     r"einsum: .*output subscript 'i' multiple times"),
    (lambda: ag.einsum("ij", np.ones(3)), r"^einsum: "),
    (lambda: ag.einsum(np.ones(3), [60]), r"einsum: subscript labels in sublist format"),
    (lambda: ag.cross(np.ones((2, 3)), np.ones((4, 3))), r"cross: the batch axes"),
], ids=["dot-1d", "dot-nd", "inner", "vdot", "tensordot-pair", "tensordot-int",
        "tensordot-duplicate", "tensordot-lengths", "einsum-shapes", "einsum-output",
        "einsum-ndim", "einsum-sublist-label", "cross-batch"])
def test_bad_shapes_raise_value_errors_naming_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call,message", [
    (lambda: ag.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([2], [0])),
     r"tensordot: axis 2 is out of bounds for a of shape \(2, 3\)"),
    (lambda: ag.cross(np.ones((2, 3)), np.ones(3), axisa=2),
     r"cross: axisa 2 is out of bounds for shape \(2, 3\)"),
    (lambda: ag.cross(np.ones(3), np.ones((3, 2)), axisb=-3), r"cross: axisb -3"),
    (lambda: ag.cross(np.ones(3), np.ones(3), axisc=1), r"cross: axisc 1"),
    (lambda: ag.cross(ag.tensor(2.0), np.ones(3)), r"cross: axisa -1"),
], ids=["tensordot", "cross-axisa", "cross-axisb", "cross-axisc", "cross-0d"])
def test_bad_axis_raises_an_axis_error(call, message):
    with pytest.raises(np.exceptions.AxisError, match=message):
        call()


def test_cross_of_2_vectors_is_refused():
    """numpy 2.0–2.4 still compute 2-vector cross products, with a DeprecationWarning (2.5
    refuses them); autograd refuses them with a clear error on every numpy."""
    for a, b in [(np.ones(2), np.ones(2)), (np.ones(3), np.ones(2)), (np.ones(4), np.ones(4))]:
        with pytest.raises(ValueError, match="cross: the vector axes must have length 3"):
            ag.cross(a, b)


def test_tensordot_malformed_axes_raise():
    with pytest.raises(TypeError, match="tensordot: axes must be an int or a pair"):
        ag.tensordot(np.ones(3), np.ones(3), axes=1.5)
    with pytest.raises(ValueError, match="tensordot: axes must be an int or a pair"):
        ag.tensordot(np.ones(3), np.ones(3), axes=([0], [0], [0]))


def test_more_axes_than_letters_is_refused_naming_the_op():
    """Contractions are spelled with einsum's 52 letters: past 51 axes in all they are
    refused (numpy itself allows up to 64 axes per operand)."""
    x = np.ones((1,) * 30)
    with pytest.raises(ValueError, match="^dot: too many axes"):
        ag.dot(x, x)
    with pytest.raises(ValueError, match="^tensordot: too many axes"):
        ag.tensordot(x, x, axes=0)
    _same(ag.dot(np.ones((1,) * 20), np.ones((1,) * 20)),
          np.dot(np.ones((1,) * 20), np.ones((1,) * 20)))
