"""autograd/ops/scans.py and sorting.py: values against numpy's on the same arrays, numpy's
dispatch and the Tensor methods, the edge conventions (zeros in prod and cumprod, zero
variance, ties in sort, empty axes), and the errors."""
import warnings

import numpy as np
import pytest

import autograd as ag

AxisError = np.exceptions.AxisError
RNG = np.random.default_rng(11)
A = RNG.normal(size=(2, 3, 4))
INTS = RNG.integers(-3, 4, size=(3, 4))


def grads(fn, *xs, grad_output=None):
    """d(Σ grad_output · fn(*xs))/dx for Tensors made of the arrays xs."""
    ts = [ag.Tensor(np.array(x, dtype=float), requires_grad=True) for x in xs]
    out = fn(*ts)
    out.backward(np.ones(out.shape) if grad_output is None else grad_output)
    return [t.grad.data for t in ts]


# ----------------------------------------------------------------------------- values
@pytest.mark.parametrize("axis", [None, 0, -1, 1, (0, 2), (2, 0), ()])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_matches_numpy(axis, keepdims):
    np.testing.assert_array_equal(ag.prod(A, axis=axis, keepdims=keepdims).data,
                                  np.prod(A, axis=axis, keepdims=keepdims))
    np.testing.assert_array_equal(ag.prod(A, axis, None, None, keepdims, 3.0).data,
                                  np.prod(A, axis, None, None, keepdims, 3.0))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, -3])
def test_scans_match_numpy(name, axis):
    got = getattr(ag, name)(A, axis=axis)
    np.testing.assert_array_equal(got.data, getattr(np, name)(A, axis=axis))
    assert got.shape == getattr(np, name)(A, axis=axis).shape


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "prod"])
@pytest.mark.parametrize("data", [INTS, INTS.astype(np.int32), INTS > 0, A.astype(np.float32)],
                         ids=["int64", "int32", "bool", "float32"])
def test_integer_bool_and_float32_inputs_take_numpys_dtype(name, data):
    got, want = getattr(ag, name)(data), getattr(np, name)(data)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "prod", "var", "std"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_dtype_argument_matches_numpy(name, dtype):
    x = ag.Tensor(A * 3, requires_grad=True)
    got, want = getattr(ag, name)(x, dtype=dtype), getattr(np, name)(A * 3, dtype=dtype)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)
    assert got.requires_grad == (np.dtype(dtype).kind == "f")


def test_dtype_float32_on_float64_input_sends_a_float64_gradient():
    x = ag.Tensor(A, requires_grad=True)
    ag.cumsum(x, axis=1, dtype=np.float32).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad.data, np.cumsum(np.ones(3)[::-1])[::-1][:, None]
                                  * np.ones((2, 3, 4)))


@pytest.mark.parametrize("shape_axis", [((), None), ((), 0), ((), -1), ((0,), None),
                                        ((2, 0), 1), ((2, 0), 0)])
@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
def test_scans_of_scalars_and_empty_arrays_match_numpy(name, shape_axis):
    shape, axis = shape_axis
    x = RNG.normal(size=shape)
    got, want = getattr(ag, name)(x, axis=axis), getattr(np, name)(x, axis=axis)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (2, 1)])
@pytest.mark.parametrize("ddof", [0, 1, 1.5])
@pytest.mark.parametrize("keepdims", [False, True])
def test_var_and_std_match_numpy(name, axis, ddof, keepdims):
    got = getattr(ag, name)(A, axis=axis, ddof=ddof, keepdims=keepdims)
    np.testing.assert_array_equal(got.data, getattr(np, name)(A, axis=axis, ddof=ddof,
                                                             keepdims=keepdims))


@pytest.mark.parametrize("name", ["var", "std"])
def test_correction_is_ddof(name):
    np.testing.assert_array_equal(getattr(ag, name)(A, axis=1, correction=1).data,
                                  getattr(np, name)(A, axis=1, ddof=1))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_diff_matches_numpy(n, axis):
    x = ag.Tensor(A, requires_grad=True)           # the recorded path
    np.testing.assert_array_equal(ag.diff(x, n=n, axis=axis).data, np.diff(A, n=n, axis=axis))
    np.testing.assert_array_equal(ag.diff(A, n=n, axis=axis).data, np.diff(A, n=n, axis=axis))


@pytest.mark.parametrize("prepend,append", [(0.0, None), (None, 2.0), (1.0, -1.0),
                                            (np.ones((2, 3, 2)), None),
                                            (None, np.zeros((2, 3, 1)))])
@pytest.mark.parametrize("grad", [True, False])
def test_diff_prepend_append_match_numpy(prepend, append, grad):
    kw = {k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None}
    got = ag.diff(ag.Tensor(A, requires_grad=grad), n=2, **kw)
    want = np.diff(A, n=2, **kw)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("data", [INTS, INTS > 0], ids=["int", "bool"])
def test_diff_of_integers_and_bools_is_numpys(data):
    got, want = ag.diff(data, axis=0), np.diff(data, axis=0)
    assert got.dtype == want.dtype               # bool: not_equal, as numpy
    np.testing.assert_array_equal(got.data, want)


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("grad", [True, False])
def test_average_without_weights_matches_numpy(axis, keepdims, grad):
    got = ag.average(ag.Tensor(A, requires_grad=grad), axis=axis, keepdims=keepdims,
                     returned=True)
    want = np.average(A, axis=axis, keepdims=keepdims, returned=True)
    for g, w in zip(got, want):
        assert g.shape == np.shape(w)
        np.testing.assert_array_equal(g.data, w)


@pytest.mark.parametrize("axis,wshape", [(None, (2, 3, 4)), (1, (3,)), (-1, (4,)),
                                         ((0, 2), (2, 4)), ((2, 0), (4, 2)), (1, (2, 3, 4))])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("grad", [True, False])
def test_average_with_weights_matches_numpy(axis, wshape, keepdims, grad):
    w = RNG.uniform(0.5, 2.0, wshape)
    got = ag.average(ag.Tensor(A, requires_grad=grad), axis, ag.Tensor(w, requires_grad=grad),
                     True, keepdims=keepdims)
    want = np.average(A, axis, w, True, keepdims=keepdims)
    for g, v in zip(got, want):
        assert g.shape == v.shape and g.dtype == v.dtype
        np.testing.assert_allclose(g.data, v, rtol=1e-15, atol=0)


def test_average_of_integers_with_a_float32_weight_tensor_is_float64_as_numpy():
    w = RNG.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
    got = ag.average(INTS, axis=0, weights=ag.Tensor(w, requires_grad=True))
    want = np.average(INTS, axis=0, weights=w)
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_allclose(got.data, want, rtol=1e-15)


@pytest.mark.parametrize("name", ["amax", "amin"])
@pytest.mark.parametrize("axis", [None, 0, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_amax_amin_match_numpy(name, axis, keepdims):
    np.testing.assert_array_equal(getattr(ag, name)(A, axis, None, keepdims).data,
                                  getattr(np, name)(A, axis, None, keepdims))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data", [A, INTS, A.astype(np.float32)])
def test_argmax_argmin_match_numpy(name, axis, keepdims, data):
    got = getattr(ag, name)(ag.Tensor(data), axis=axis, keepdims=keepdims)
    want = getattr(np, name)(data, axis=axis, keepdims=keepdims)
    assert got.dtype == np.asarray(want).dtype and not got.requires_grad
    np.testing.assert_array_equal(got.data, want)


TIES = np.array([[2.0, 1.0, 2.0, 1.0, 0.5], [3.0, 3.0, 3.0, -1.0, 3.0]])


@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("kind,stable", [(None, None), ("quicksort", None), ("heapsort", None),
                                         ("stable", None), (None, True), (None, False)])
@pytest.mark.parametrize("data", [A, TIES, INTS])
def test_sort_and_argsort_match_numpy(axis, kind, stable, data):
    got = ag.sort(data, axis, kind, stable=stable)
    np.testing.assert_array_equal(got.data, np.sort(data, axis, kind, stable=stable))
    idx = ag.argsort(data, axis, kind, stable=stable)
    want = np.argsort(data, axis, kind, stable=stable)
    assert idx.dtype == want.dtype and not idx.requires_grad
    np.testing.assert_array_equal(idx.data, want)


def test_sort_and_argsort_of_a_scalar_with_axis_none():
    assert ag.sort(np.array(2.0), axis=None).shape == (1,)
    np.testing.assert_array_equal(ag.argsort(np.array(2.0)).data, np.argsort(np.array(2.0)))


# ----------------------------------------------------------------------------- dispatch
def _t(data):
    return ag.Tensor(np.array(data, dtype=float), requires_grad=True)


@pytest.mark.parametrize("call,ref", [
    (lambda t: np.prod(t, axis=0), lambda x: np.prod(x, axis=0)),
    (lambda t: np.cumsum(t, axis=1), lambda x: np.cumsum(x, axis=1)),
    (lambda t: np.cumprod(t), lambda x: np.cumprod(x)),
    (lambda t: np.var(t, ddof=1), lambda x: np.var(x, ddof=1)),
    (lambda t: np.std(t, axis=0), lambda x: np.std(x, axis=0)),
    (lambda t: np.diff(t, axis=0), lambda x: np.diff(x, axis=0)),
    (lambda t: np.average(t, axis=1, weights=[1.0, 2.0, 3.0]),
     lambda x: np.average(x, axis=1, weights=[1.0, 2.0, 3.0])),
    (lambda t: np.amax(t, axis=1), lambda x: np.amax(x, axis=1)),
    (lambda t: np.amin(t), lambda x: np.amin(x)),
    (lambda t: np.sort(t, axis=0), lambda x: np.sort(x, axis=0)),
    (lambda t: t.prod(1), lambda x: x.prod(1)),
    (lambda t: t.cumsum(0), lambda x: x.cumsum(0)),
    (lambda t: t.cumprod(1), lambda x: x.cumprod(1)),
    (lambda t: t.var(0, None, None, 1), lambda x: x.var(0, None, None, 1)),
    (lambda t: t.std(keepdims=True), lambda x: x.std(keepdims=True)),
], ids=["np.prod", "np.cumsum", "np.cumprod", "np.var", "np.std", "np.diff", "np.average",
        "np.amax", "np.amin", "np.sort", ".prod", ".cumsum", ".cumprod", ".var", ".std"])
def test_numpy_dispatch_and_methods_give_tensors_with_gradients(call, ref):
    x = RNG.uniform(0.5, 2.0, (2, 3))
    t = _t(x)
    out = call(t)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_array_equal(out.data, ref(x))
    out.sum().backward()
    # the gradient against central differences of numpy's own function
    h, num = 1e-6, np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        num[i] = (np.sum(ref(x + e)) - np.sum(ref(x - e))) / (2 * h)
    np.testing.assert_allclose(t.grad.data, num, rtol=1e-6, atol=1e-8)


def test_average_dispatches_on_a_weight_tensor_alone():
    x, w = np.array([1.0, 2.0, 4.0]), _t([1.0, 1.0, 2.0])
    out = np.average(x, weights=w)
    assert isinstance(out, ag.Tensor)
    out.backward()
    # ∂/∂w_i of Σ x w / Σ w = (x_i − avg) / Σ w
    np.testing.assert_allclose(w.grad.data, (x - 2.75) / 4.0, rtol=1e-15)


@pytest.mark.parametrize("name", ["argmax", "argmin", "argsort"])
def test_arg_functions_dispatch_and_methods_give_integer_tensors(name):
    t = _t(TIES)
    for got in (getattr(np, name)(t, axis=1), getattr(t, name)(1)):
        assert isinstance(got, ag.Tensor) and not got.requires_grad
        np.testing.assert_array_equal(got.data, getattr(np, name)(TIES, axis=1))


def test_sort_is_not_a_tensor_method():
    assert not hasattr(ag.Tensor, "sort")     # numpy's ndarray.sort sorts in place


# ----------------------------------------------------------------------------- conventions
def _prod_hessian(x):
    n = len(x)
    return np.array([[0.0 if i == j else np.prod(np.delete(x, [i, j])) for j in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("x", [[2.0, 0.0, 3.0, 5.0], [2.0, 0.0, 0.0, 5.0], [0.0, 0.0, 0.0],
                               [0.0], [4.0, 0.0]])
def test_prod_gradient_and_second_derivative_are_exact_with_zeros(x):
    x = np.array(x)
    t = _t(x)
    g, = ag.grad(ag.prod(t), [t], create_graph=True)
    want = [np.prod(np.delete(x, i)) for i in range(len(x))]
    np.testing.assert_array_equal(g.data, want)
    rows = [ag.grad(g[i], [t], retain_graph=True)[0].data for i in range(len(x))]
    np.testing.assert_array_equal(np.array(rows), _prod_hessian(x))


def test_prod_over_an_axis_with_zeros_is_exact():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]])
    g, = grads(lambda t: ag.prod(t, axis=1), x, grad_output=[1.0, 10.0, 100.0])
    np.testing.assert_array_equal(g, [[6, 0, 0], [0, 0, 0], [600, 300, 200]])


def _cumprod_jacobian(x):
    n = len(x)
    return np.array([[np.prod(np.delete(x[:i + 1], k)) if k <= i else 0.0 for k in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("x", [[2.0, 0.0, 3.0, 5.0, 0.5], [0.0, 0.0, 3.0], [1.5, 0.0],
                               [0.0], [2.0, -1.0, 0.0, 0.0, 3.0, 4.0, 0.5]])
def test_cumprod_gradient_is_exact_with_zeros(x):
    x = np.array(x)
    v = np.arange(1.0, len(x) + 1)
    g, = grads(ag.cumprod, x, grad_output=v)
    np.testing.assert_array_equal(g, v @ _cumprod_jacobian(x))


def test_cumprod_second_derivative_at_a_zero():
    x = np.array([2.0, 0.0, 3.0, 0.5])
    t = _t(x)
    v = np.array([1.0, 2.0, 3.0, 4.0])
    g, = ag.grad((ag.cumprod(t) * v).sum(), [t], create_graph=True)
    rows = [ag.grad(g[k], [t], retain_graph=True)[0].data for k in range(4)]
    # ∂²/∂x_k∂x_l of Σ v_i Π_{j≤i} x_j = Σ_{i≥max(k,l)} v_i Π_{j≤i, j≠k,l} x_j (k ≠ l)
    want = [[0.0 if k == l else sum(v[i] * np.prod(np.delete(x[:i + 1], [k, l]))
                                    for i in range(max(k, l), 4)) for l in range(4)]
            for k in range(4)]
    np.testing.assert_allclose(np.array(rows), want, rtol=1e-15, atol=0)


def test_prod_of_an_empty_axis_is_one_with_an_empty_gradient():
    x = ag.Tensor(np.zeros((2, 0)), requires_grad=True)
    y = ag.prod(x, axis=1)
    np.testing.assert_array_equal(y.data, [1.0, 1.0])
    y.sum().backward()
    assert x.grad.shape == (2, 0)
    assert ag.prod(np.zeros(0), initial=5.0).item() == 5.0


def test_cumsum_gradient_is_the_reversed_cumsum():
    g, = grads(lambda t: ag.cumsum(t, axis=0), np.ones((3, 2)),
               grad_output=[[1.0, 2.0], [10.0, 20.0], [100.0, 200.0]])
    np.testing.assert_array_equal(g, [[111, 222], [110, 220], [100, 200]])


def test_var_gradient():
    x = np.array([[1.0, 2.0, 6.0], [0.0, 4.0, 5.0]])
    g, = grads(lambda t: ag.var(t, axis=1, ddof=1), x)
    np.testing.assert_allclose(g, 2 * (x - x.mean(axis=1, keepdims=True)) / 2, rtol=1e-15)


@pytest.mark.parametrize("name", ["std", "var"])
def test_std_gradient_at_zero_variance_is_zero(name):
    x = np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]])
    t = _t(x)
    y = getattr(ag, name)(t, axis=1)
    assert y.data[0] == 0.0
    g, = ag.grad((y * ag.Tensor([1.0, 1.0])).sum(), [t], create_graph=True)
    assert np.all(g.data[0] == 0.0)                       # not NaN
    d = x[1] - x[1].mean()
    want = d / (3 * np.std(x[1])) if name == "std" else 2 * d / 3
    np.testing.assert_allclose(g.data[1], want, rtol=1e-14)
    h, = ag.grad(g.sum(), [t])                             # a recorded rule, differentiable
    assert np.all(np.isfinite(h.data))


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_gradient_is_nan_where_ddof_leaves_no_degree_of_freedom(name):
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        g, = grads(lambda t: getattr(ag, name)(t, ddof=2), [1.0, 3.0])
    assert np.all(np.isnan(g))


def test_sort_gradient_follows_the_stable_permutation_with_ties():
    x = np.array([2.0, 1.0, 2.0, 1.0])     # stable order: x[1], x[3], x[0], x[2]
    g, = grads(ag.sort, x, grad_output=[10.0, 20.0, 30.0, 40.0])
    np.testing.assert_array_equal(g, [30.0, 10.0, 40.0, 20.0])
    # along rows: [2, 1, 2, 1, 0.5] and [3, 3, 3, -1, 3] (four equal 3s keep their order)
    g, = grads(ag.sort, TIES, grad_output=np.arange(10.0).reshape(2, 5))
    np.testing.assert_array_equal(g, [[3, 1, 4, 2, 0], [6, 7, 8, 5, 9]])


def test_amax_ties_share_the_gradient_as_max_does():
    g, = grads(lambda t: ag.amax(t, axis=1), TIES)
    np.testing.assert_array_equal(g, [[0.5, 0, 0.5, 0, 0], [0.25, 0.25, 0.25, 0, 0.25]])


@pytest.mark.parametrize("name", ["var", "std", "prod", "average"])
def test_reductions_over_an_empty_axis_are_numpys(name):
    x = np.zeros((2, 0))
    with warnings.catch_warnings():        # numpy's "Mean of empty slice", "Degrees of freedom"
        warnings.simplefilter("ignore", RuntimeWarning)
        got = getattr(ag, name)(ag.Tensor(x, requires_grad=True), axis=1)
        want = getattr(np, name)(x, axis=1)
    np.testing.assert_array_equal(got.data, want)        # nan (var, std, average), 1 (prod)


def test_sort_second_derivative_through_the_permutation():
    x = _t([3.0, 1.0, 2.0])
    y = (ag.sort(x) ** 2 * ag.Tensor([1.0, 2.0, 3.0])).sum()
    g, = ag.grad(y, [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [18.0, 2.0, 8.0])    # 2·x·weight of its place
    h, = ag.grad(g.sum(), [x])
    np.testing.assert_array_equal(h.data, [6.0, 2.0, 4.0])


def test_diff_gradients_reach_prepend_and_append_tensors():
    x, p, q = _t([1.0, 4.0, 9.0]), _t(0.0), _t([20.0])
    y = ag.diff(x, prepend=p, append=q)            # [1, 3, 5, 11]
    np.testing.assert_array_equal(y.data, [1.0, 3.0, 5.0, 11.0])
    (y * ag.Tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [-1.0, -1.0, -1.0])
    assert p.grad.item() == -1.0 and q.grad.data.tolist() == [4.0]


def test_diff_with_n_zero_returns_the_input():
    x = _t([1.0, 2.0])
    assert ag.diff(x, n=0) is x


def test_average_weight_gradient():
    x, w = np.array([[1.0, 2.0, 4.0], [0.0, 3.0, 3.0]]), np.array([1.0, 1.0, 2.0])
    gx, gw = grads(lambda a, b: ag.average(a, axis=1, weights=b), x, w)
    np.testing.assert_allclose(gx, np.tile(w / 4, (2, 1)), rtol=1e-15)
    avg = (x * w).sum(axis=1) / 4
    np.testing.assert_allclose(gw, ((x - avg[:, None]) / 4).sum(axis=0), rtol=1e-15)


@pytest.mark.parametrize("name", ["prod", "cumsum", "cumprod", "var", "std", "sort",
                                  "average", "amax"])
def test_float32_stays_float32(name):
    t = ag.Tensor(A.astype(np.float32), requires_grad=True)
    out = getattr(ag, name)(t, axis=1)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, np.float32))
    assert t.grad.dtype == np.float32


def test_float32_weights_keep_average_float32():
    t = ag.Tensor(A.astype(np.float32), requires_grad=True)
    w = ag.Tensor(np.ones(3, np.float32), requires_grad=True)
    out = ag.average(t, axis=1, weights=w)
    assert out.dtype == np.float32
    out.sum().backward()
    assert t.grad.dtype == w.grad.dtype == np.float32


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call", [
    lambda: ag.prod(A, axis=3), lambda: ag.cumsum(A, axis=-4), lambda: ag.cumprod(A, axis=3),
    lambda: ag.var(A, axis=(0, 5)), lambda: ag.std(A, axis=7), lambda: ag.diff(A, axis=3),
    lambda: ag.average(A, axis=3), lambda: ag.amax(A, axis=3), lambda: ag.argmax(A, axis=3),
    lambda: ag.argsort(A, axis=3), lambda: ag.sort(A, axis=3), lambda: ag.cumsum(2.0, axis=1),
    lambda: ag.sort(np.array(2.0))])
def test_bad_axis_is_an_axis_error_naming_the_op(call):
    with pytest.raises(AxisError, match=r"^(prod|cumsum|cumprod|var|std|diff|average|max|"
                                        r"argmax|argsort|sort): .*shape"):
        call()


@pytest.mark.parametrize("name", ["prod", "cumsum", "cumprod", "var", "std", "diff",
                                  "average", "amax", "amin", "argmax", "argmin", "argsort",
                                  "sort"])
def test_complex_input_is_a_type_error(name):
    with pytest.raises(TypeError, match=rf"{name}: a of shape \(2,\) is complex"):
        getattr(ag, name)(np.array([1.0 + 1j, 2.0]))


@pytest.mark.parametrize("name", ["prod", "cumsum", "cumprod", "var", "std", "amax", "amin",
                                  "argmax", "argmin"])
def test_out_is_a_type_error_naming_the_op(name):
    with pytest.raises(TypeError, match=f"{name}: out= is not supported"):
        getattr(ag, name)(A, out=np.empty(1))
    with pytest.raises(TypeError, match=f"{name}: out= is not supported"):
        getattr(np, name)(ag.Tensor(A), out=np.empty(1))


@pytest.mark.parametrize("call,error,match", [
    (lambda: ag.prod(A, where=A > 0), TypeError, "prod: where="),
    (lambda: ag.amax(A, initial=0.0), TypeError, "amax: initial="),
    (lambda: ag.amin(A, where=A > 0), TypeError, "amin: where="),
    (lambda: ag.var(A, mean=0.0), TypeError, "var: mean="),
    (lambda: ag.std(A, where=A > 0), TypeError, "std: where="),
    (lambda: ag.var(A, ddof=1, correction=1), ValueError, "var: ddof and correction"),
    (lambda: ag.cumsum(A, axis=(0, 1)), TypeError, "cumsum: axis must be None or an int"),
    (lambda: ag.argmax(A, axis=(0, 1)), TypeError, "argmax: axis must be None or an int"),
    (lambda: ag.argmax(np.zeros(0)), ValueError, r"argmax: .*empty.*shape \(0,\)"),
    (lambda: ag.prod(A, dtype=complex), TypeError, "prod: complex dtype"),
    (lambda: ag.diff(A, n=-1), ValueError, "diff: n .* non-negative"),
    (lambda: ag.diff(A, n=1.5), TypeError, "diff: n must be an int"),
    (lambda: ag.diff(np.array(1.0)), ValueError, "diff: the input must be at least 1-D"),
    (lambda: ag.diff(_t([1.0, 2.0]), prepend=np.ones((2, 2))), ValueError, "concatenate"),
    (lambda: ag.average(A, weights=np.ones(3)), TypeError, r"average: axis must be given"),
    (lambda: ag.average(A, axis=1, weights=np.ones(4)), ValueError,
     r"average: weights of shape \(4,\) do not match a's shape \(3,\)"),
    (lambda: ag.average(_t([1.0, 2.0]), weights=[1.0, -1.0]), ZeroDivisionError,
     "average: the weights sum to zero"),
    (lambda: ag.average([1.0, 2.0], weights=[1.0, -1.0]), ZeroDivisionError,
     "average: the weights sum to zero"),
    (lambda: ag.sort(A, kind="bogus"), ValueError, "sort: sort kind must be"),
    (lambda: ag.sort(A, kind="stable", stable=True), ValueError, "sort: `kind`"),
    (lambda: ag.sort(A, order="x"), ValueError, "sort: Cannot specify order"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_bad_arguments_are_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
