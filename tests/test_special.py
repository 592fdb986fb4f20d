"""ag.special (autograd/ops/special.py): values and dtypes against scipy.special's on the same
arrays, gradients and second derivatives against closed forms computed here with scipy, the
conventions at the edges (xlogy at (0, 0), logsumexp's empty slices and signs, Python numbers),
errors, and scipy as an optional extra (not imported with autograd; a clear ImportError)."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import autograd as ag
import extras
from autograd.ops import special as ops_special

sc = extras.need_module("scipy.special", "special")

UNARY = ["erf", "erfc", "erfinv", "gammaln", "digamma", "expit", "logit"]
BINARY = ["xlogy", "xlog1py"]
ALL = UNARY + BINARY + ["logsumexp"]

C = 2.0 / np.sqrt(np.pi)
# ∂out/∂x and ∂²out/∂x², written with scipy here, independently of the library's rules
DERIVATIVES = {
    "erf": lambda x: C * np.exp(-x * x),
    "erfc": lambda x: -C * np.exp(-x * x),
    "erfinv": lambda x: np.sqrt(np.pi) / 2 * np.exp(sc.erfinv(x) ** 2),
    "gammaln": sc.digamma,
    "digamma": lambda x: sc.polygamma(1, x),
    "expit": lambda x: sc.expit(x) * (1 - sc.expit(x)),
    "logit": lambda x: 1 / (x * (1 - x)),
}
SECOND = {
    "erf": lambda x: -2 * x * C * np.exp(-x * x),
    "erfc": lambda x: 2 * x * C * np.exp(-x * x),
    "erfinv": lambda x: 2 * sc.erfinv(x) * (np.sqrt(np.pi) / 2 * np.exp(sc.erfinv(x) ** 2)) ** 2,
    "gammaln": lambda x: sc.polygamma(1, x),
    "digamma": lambda x: sc.polygamma(2, x),
    "expit": lambda x: sc.expit(x) * (1 - sc.expit(x)) * (1 - 2 * sc.expit(x)),
    "logit": lambda x: (2 * x - 1) / (x * (1 - x)) ** 2,
}
DOMAIN = {"erfinv": (-0.9, 0.9), "gammaln": (0.3, 4.0), "digamma": (0.3, 4.0),
          "logit": (0.1, 0.9)}


def _points(name, shape=(2, 3), dtype=np.float64, seed=0):
    lo, hi = DOMAIN.get(name, (-2.0, 2.0))
    return np.random.default_rng(seed).uniform(lo, hi, shape).astype(dtype)


# ----------------------------------------------------------------------------- values
VALUE_INPUTS = {
    "float64": np.array([[-2.5, -1.0, -0.5, 0.0], [0.3, 0.5, 1.0, 2.5]]),
    "float32": np.array([-3.7, -0.5, 0.0, 0.25, 0.5, 0.9, 1.5, 1e-3], np.float32),
    "0-d": np.array(0.75),
    "special": np.array([np.inf, -np.inf, np.nan, -0.0, 1e-300, 1e300, 1.0, -1.0]),
    "int64": np.array([-3, -1, 0, 1, 2, 7]),
    "int32-matrix": np.arange(-3, 3, dtype=np.int32).reshape(2, 3),
    "bool": np.array([True, False]),
    "size-1-axis": np.linspace(-0.99, 3, 6).reshape(2, 1, 3),
}


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


@pytest.mark.parametrize("kind", list(VALUE_INPUTS))
@pytest.mark.parametrize("name", UNARY)
def test_unary_values_and_dtype_equal_scipys(name, kind):
    x = VALUE_INPUTS[kind]
    expected = np.asarray(_quiet(getattr(sc, name), x))
    out = _quiet(getattr(ag.special, name), ag.Tensor(x))
    assert isinstance(out, ag.Tensor)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)
    assert np.array_equal(np.signbit(out.data), np.signbit(expected))


@pytest.mark.parametrize("name", UNARY)
def test_float32_stays_float32_with_scipys_float32_values(name):
    x = _points(name, (5,), np.float32)
    out = getattr(ag.special, name)(ag.Tensor(x, requires_grad=True))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, getattr(sc, name)(x))


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("source,dtype", [(np.float64, np.float32), (np.float32, np.float64),
                                          (np.int64, np.float32)])
def test_dtype_argument_casts_as_scipys(name, source, dtype):
    x = (_points(name, (4,)) * (3 if source == np.int64 else 1)).astype(source)
    expected = _quiet(getattr(sc, name), x, dtype=dtype)
    t = ag.Tensor(x, requires_grad=source != np.int64)
    out = _quiet(getattr(ag.special, name), t, dtype=dtype)
    assert out.dtype == expected.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(out.data, expected)
    if t.requires_grad:
        out.sum().backward()
        assert t.grad.dtype == t.dtype and t.grad.shape == t.shape


@pytest.mark.parametrize("name", UNARY)
def test_python_numbers_and_lists_take_the_default_float_dtype(name):
    values = [0.2, 0.7]
    out = getattr(ag.special, name)(values)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, getattr(sc, name)(np.array(values)))
    assert getattr(ag.special, name)(values[0]).shape == ()


BINARY_INPUTS = [
    (np.array([0.0, 0.0, 0.0, 1.0, -2.0, 3.0, 0.0]),
     np.array([0.0, 2.0, -1.0, 0.0, 0.5, np.inf, np.nan])),
    (np.linspace(-2, 2, 6).reshape(2, 3), np.linspace(0.1, 3, 2).reshape(2, 1)),
    (np.float32([0.0, 1.5, -2.0]), np.float32([0.0, 0.25, 4.0])),
    (np.array(1.5), np.linspace(-0.9, 3, 4)),
    (np.array([0, 1, 3]), np.array([0, 2, 5])),
    (np.float32([1.0, 2.0]), np.array([2.0, 3.0])),
]


@pytest.mark.parametrize("k", range(len(BINARY_INPUTS)))
@pytest.mark.parametrize("name", BINARY)
def test_binary_values_and_dtype_equal_scipys(name, k):
    x, y = BINARY_INPUTS[k]
    expected = np.asarray(_quiet(getattr(sc, name), x, y))
    for out in (_quiet(getattr(ag.special, name), ag.Tensor(x), ag.Tensor(y)),
                _quiet(getattr(ag.special, name), ag.Tensor(x), y),
                _quiet(getattr(ag.special, name), x, ag.Tensor(y)),
                _quiet(getattr(ag.special, name), x, y)):
        assert out.dtype == expected.dtype and out.shape == expected.shape
        np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("name", BINARY)
def test_xlogy_python_number_is_weak_float32_stays_float32(name):
    """A Python number takes the other operand's floating dtype (numpy's weak scalars), where
    scipy's own ufunc computes xlogy(2.5, float32) in float64."""
    y = np.float32([0.5, 2.0])
    for out in (getattr(ag.special, name)(2.5, ag.Tensor(y)),
                getattr(ag.special, name)(ag.Tensor(y), 2.5)):
        assert out.dtype == np.float32
    np.testing.assert_array_equal(getattr(ag.special, name)(2.5, ag.Tensor(y)).data,
                                  getattr(sc, name)(np.float32(2.5), y))


LSE_VARIANTS = [
    dict(), dict(axis=0), dict(axis=-1), dict(axis=1, keepdims=True), dict(axis=(0, 2)),
    dict(axis=(-1, 0), keepdims=True), dict(keepdims=True), dict(axis=()),
    dict(axis=(0, 1, 2)), dict(axis=(2, 0, 1), keepdims=True),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kw", LSE_VARIANTS, ids=str)
def test_logsumexp_values_equal_scipys(kw, dtype):
    a = (np.random.default_rng(2).normal(size=(2, 4, 3)) * 30).astype(dtype)
    expected = np.asarray(sc.logsumexp(a, **kw))
    out = ag.special.logsumexp(ag.Tensor(a, requires_grad=True), **kw)
    assert out.dtype == expected.dtype == dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("b_shape", [(2, 4, 3), (3,), (4, 1), (), (5, 2, 4, 3)])
@pytest.mark.parametrize("kw", [dict(), dict(axis=-1), dict(axis=(0, -2), keepdims=True)],
                         ids=str)
def test_logsumexp_with_weights_equals_scipys(kw, b_shape):
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(2, 4, 3)), rng.uniform(0.1, 2.0, b_shape)
    expected = np.asarray(sc.logsumexp(a, b=b, **kw))
    out = ag.special.logsumexp(ag.Tensor(a), b=ag.Tensor(b), **kw)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)


def test_logsumexp_integer_lists_and_0d_equal_scipys():
    for a in ([1, 2, 3], np.arange(6).reshape(2, 3), np.array(2.5), [[0.5, 1.5]]):
        expected = np.asarray(sc.logsumexp(a))
        out = ag.special.logsumexp(a)
        assert out.dtype == expected.dtype and out.shape == expected.shape
        np.testing.assert_array_equal(out.data, expected)


def test_logsumexp_0d_input_keeps_numpys_0d_shape_also_for_axis_empty_tuple():
    """scipy gives a 0-d input's axis=() result the shape (1,); numpy's reductions (and this
    one) keep it 0-d, with scipy's value."""
    a = ag.Tensor(np.array(1.5), requires_grad=True)
    for kw in (dict(), dict(axis=()), dict(axis=(), keepdims=True), dict(keepdims=True)):
        out = ag.special.logsumexp(a, **kw)
        assert out.shape == ()
        assert out.data == np.ravel(sc.logsumexp(a.data, **kw))[0]
    ag.special.logsumexp(a, axis=()).backward()
    assert a.grad.shape == () and a.grad.data == 1.0


def test_logsumexp_large_inputs_do_not_overflow():
    a = ag.Tensor(np.array([1000.0, 1000.0, -1000.0]), requires_grad=True)
    out = ag.special.logsumexp(a)
    np.testing.assert_allclose(out.data, 1000 + np.log(2), rtol=1e-15)
    out.backward()
    np.testing.assert_allclose(a.grad.data, [0.5, 0.5, 0.0], atol=1e-300)


@pytest.mark.parametrize("kw", [dict(), dict(axis=0), dict(axis=1, keepdims=True)], ids=str)
def test_logsumexp_return_sign_equals_scipys(kw):
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    value, sign = sc.logsumexp(a, b=b, return_sign=True, **kw)
    out, out_sign = ag.special.logsumexp(ag.Tensor(a, requires_grad=True), b=b,
                                         return_sign=True, **kw)
    np.testing.assert_array_equal(out.data, value)
    np.testing.assert_array_equal(out_sign.data, sign)
    assert out.requires_grad and not out_sign.requires_grad and out_sign.grad_fn is None


# ----------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradient_equals_the_closed_form(name, dtype):
    x = _points(name, dtype=dtype)
    t = ag.Tensor(x, requires_grad=True)
    v = np.random.default_rng(1).normal(size=x.shape).astype(dtype)
    getattr(ag.special, name)(t).backward(v)
    assert t.grad.dtype == dtype and t.grad.shape == x.shape
    expected = v.astype(np.float64) * DERIVATIVES[name](x.astype(np.float64))
    np.testing.assert_allclose(t.grad.data, expected, rtol=1e-12 if dtype == np.float64 else 1e-5,
                               atol=1e-14 if dtype == np.float64 else 1e-5)


@pytest.mark.parametrize("name", UNARY)
def test_second_derivative_equals_the_closed_form(name):
    x = _points(name, (5,), seed=3)
    t = ag.Tensor(x, requires_grad=True)
    g, = ag.grad(getattr(ag.special, name)(t).sum(), t, create_graph=True)
    np.testing.assert_allclose(g.data, DERIVATIVES[name](x), rtol=1e-12)
    h, = ag.grad(g.sum(), t)
    np.testing.assert_allclose(h.data, SECOND[name](x), rtol=1e-10, atol=1e-12)


def test_digamma_and_gammaln_are_differentiable_to_any_order_by_polygamma():
    x = np.array([0.7, 1.3, 3.5])
    t = ag.Tensor(x, requires_grad=True)
    d = ag.special.gammaln(t).sum()
    for order in range(1, 6):            # ψ, ψ⁽¹⁾, ..., ψ⁽⁴⁾
        d, = ag.grad(d.sum() if d.ndim else d, t, create_graph=True)
        expected = sc.digamma(x) if order == 1 else sc.polygamma(order - 1, x)
        np.testing.assert_allclose(d.data, expected, rtol=1e-12)


def test_gammaln_gradient_is_digamma_also_where_gamma_is_negative():
    x = np.array([-0.5, -1.5, -2.3])     # Γ < 0 at −0.5 and −2.3, > 0 at −1.5
    t = ag.Tensor(x, requires_grad=True)
    ag.special.gammaln(t).sum().backward()
    np.testing.assert_allclose(t.grad.data, sc.digamma(x), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", BINARY)
def test_binary_gradients_equal_the_closed_forms(name, dtype):
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(2, 3)).astype(dtype), rng.uniform(0.2, 3, (2, 1)).astype(dtype)
    tx, ty = ag.Tensor(x, requires_grad=True), ag.Tensor(y, requires_grad=True)
    v = rng.normal(size=(2, 3)).astype(dtype)
    getattr(ag.special, name)(tx, ty).backward(v)
    y64, x64, v64 = y.astype(float), x.astype(float), v.astype(float)
    log = np.log(y64) if name == "xlogy" else np.log1p(y64)
    den = y64 if name == "xlogy" else 1 + y64
    tol = dict(rtol=1e-12) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-5)
    assert tx.grad.dtype == ty.grad.dtype == dtype and ty.grad.shape == (2, 1)
    np.testing.assert_allclose(tx.grad.data, v64 * log, **tol)
    np.testing.assert_allclose(ty.grad.data, (v64 * x64 / den).sum(1, keepdims=True), **tol)


@pytest.mark.parametrize("name,pole", [("xlogy", 0.0), ("xlog1py", -1.0)])
def test_xlogy_gradient_at_zero_zero_is_finite_zero(name, pole):
    """x·log y at (0, 0) (xlog1py at (0, −1)): value 0, both partials 0, finite also when
    differentiated again; elsewhere on x = 0, ∂/∂x = log y and ∂/∂y = 0."""
    x = ag.Tensor(np.array([0.0, 0.0, 0.0]), requires_grad=True)
    y = ag.Tensor(np.array([pole, pole + 2.0, pole + 0.5]), requires_grad=True)
    out = getattr(ag.special, name)(x, y)
    np.testing.assert_array_equal(out.data, [0.0, 0.0, 0.0])
    gx, gy = ag.grad(out.sum(), (x, y), create_graph=True)
    log = np.log if name == "xlogy" else np.log1p
    np.testing.assert_array_equal(gx.data, [0.0, log(pole + 2.0), log(pole + 0.5)])
    np.testing.assert_array_equal(gy.data, [0.0, 0.0, 0.0])
    hxx, hxy = ag.grad(gx.sum(), (x, y), allow_unused=True, retain_graph=True)
    hyx, hyy = ag.grad(gy.sum(), (x, y), allow_unused=True)
    for h in (hxy, hyx):
        assert np.all(np.isfinite(h.data)) and h.data[0] == 0.0
    np.testing.assert_allclose(hyx.data[1:], 1 / (y.data[1:] - pole), rtol=1e-15)


def test_xlogy_where_y_is_zero_and_x_is_not_gives_infinite_partials():
    x = ag.Tensor(np.array([2.0]), requires_grad=True)
    y = ag.Tensor(np.array([0.0]), requires_grad=True)
    out = _quiet(ag.special.xlogy, x, y)
    assert out.data[0] == -np.inf
    gx, gy = _quiet(ag.grad, out.sum(), (x, y))
    assert gx.data[0] == -np.inf and gy.data[0] == np.inf


def test_xlogy_python_number_operand_gets_no_gradient():
    y = ag.Tensor(np.array([0.5, 2.0]), requires_grad=True)
    ag.special.xlogy(3.0, y).sum().backward()
    np.testing.assert_allclose(y.grad.data, 3.0 / y.data, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kw", [dict(), dict(axis=0), dict(axis=-1, keepdims=True),
                                dict(axis=(0, 2))], ids=str)
def test_logsumexp_gradient_is_the_softmax(kw, dtype):
    a = np.random.default_rng(6).normal(size=(2, 3, 4)).astype(dtype)
    t = ag.Tensor(a, requires_grad=True)
    out = ag.special.logsumexp(t, **kw)
    v = np.random.default_rng(7).normal(size=out.shape).astype(dtype)
    out.backward(v)
    axis = kw.get("axis")
    kept = sc.logsumexp(a.astype(float), axis=axis, keepdims=True)
    vk = v.astype(float) if kw.get("keepdims") else np.expand_dims(
        v.astype(float), axis if axis is not None else (0, 1, 2))
    assert t.grad.dtype == dtype
    np.testing.assert_allclose(t.grad.data, vk * np.exp(a - kept),
                               rtol=1e-12 if dtype == np.float64 else 1e-5)


def test_logsumexp_weighted_gradients_are_b_times_softmax_and_softmax():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=(3, 4)), rng.uniform(0.1, 2, (1, 4))
    ta, tb = ag.Tensor(a, requires_grad=True), ag.Tensor(b, requires_grad=True)
    ag.special.logsumexp(ta, axis=1, b=tb).sum().backward()
    share = np.exp(a - sc.logsumexp(a, axis=1, b=b, keepdims=True))
    np.testing.assert_allclose(ta.grad.data, b * share, rtol=1e-13)
    np.testing.assert_allclose(tb.grad.data, share.sum(0, keepdims=True), rtol=1e-13)


def test_logsumexp_return_sign_gradient_takes_the_sign():
    a, b = np.array([0.0, 1.0]), np.array([1.0, -2.0])     # Σ b eᵃ < 0
    ta, tb = ag.Tensor(a, requires_grad=True), ag.Tensor(b, requires_grad=True)
    out, sign = ag.special.logsumexp(ta, b=tb, return_sign=True)
    assert sign.data == -1.0
    out.backward()
    s = np.sum(b * np.exp(a))                            # d log|s| = ds / s
    np.testing.assert_allclose(ta.grad.data, b * np.exp(a) / s, rtol=1e-14)
    np.testing.assert_allclose(tb.grad.data, np.exp(a) / s, rtol=1e-14)


def test_logsumexp_all_minus_inf_slice_is_minus_inf_with_zero_gradient():
    a = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    t = ag.Tensor(a, requires_grad=True)
    out = ag.special.logsumexp(t, axis=1)
    np.testing.assert_array_equal(out.data, sc.logsumexp(a, axis=1))
    assert out.data[0] == -np.inf
    out.sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[0.0, 0.0], [1.0, 0.0]])


def test_logsumexp_of_an_empty_axis_is_minus_inf():
    a = np.zeros((0, 3))
    out = ag.special.logsumexp(ag.Tensor(a, requires_grad=True), axis=0)
    np.testing.assert_array_equal(out.data, sc.logsumexp(a, axis=0))


# ----------------------------------------------------------------------------- namespace
def test_every_name_is_exported_in_ag_special():
    assert sorted(ag.special.__all__) == sorted(ALL) == sorted(ops_special.__all__)
    for name in ALL:
        assert getattr(ag.special, name) is getattr(ops_special, name)
        assert getattr(ag.special, name).__doc__


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name", UNARY)
def test_unary_errors_name_the_op(name):
    fn = getattr(ag.special, name)
    with pytest.raises(TypeError, match=rf"^{name}: x of shape \(2,\) is complex"):
        fn(np.array([1 + 1j, 2.0]))
    with pytest.raises(TypeError, match=rf"^{name}: out= is not supported"):
        fn(ag.Tensor([0.5]), out=np.zeros(1))
    with pytest.raises(TypeError, match=rf"^{name}: dtype must be a floating dtype"):
        fn(ag.Tensor([0.5]), dtype=np.int64)


@pytest.mark.parametrize("name", BINARY)
def test_binary_errors_name_the_op(name):
    fn = getattr(ag.special, name)
    with pytest.raises(TypeError, match=rf"^{name}: y of shape \(1,\) is complex"):
        fn(ag.Tensor([1.0]), np.array([1j]))
    with pytest.raises(TypeError, match=rf"^{name}: out= is not supported"):
        fn(ag.Tensor([1.0]), 2.0, out=np.zeros(1))
    with pytest.raises(ValueError, match=rf"^{name}: operands of shapes \(2,\) and \(3,\)"):
        fn(ag.Tensor([1.0, 2.0]), ag.Tensor([1.0, 2.0, 3.0]))


def test_logsumexp_errors_name_the_op_argument_and_shape():
    t = ag.Tensor(np.zeros((2, 3)))
    with pytest.raises(np.exceptions.AxisError, match=r"logsumexp: axis 2 .*shape \(2, 3\)"):
        ag.special.logsumexp(t, axis=2)
    with pytest.raises(np.exceptions.AxisError, match=r"logsumexp: axis -3"):
        ag.special.logsumexp(t, axis=(0, -3))
    with pytest.raises(ValueError, match=r"logsumexp: repeated axis"):
        ag.special.logsumexp(t, axis=(1, -1))
    with pytest.raises(TypeError, match=r"logsumexp: axis must be"):
        ag.special.logsumexp(t, axis=1.5)
    with pytest.raises(TypeError, match=r"logsumexp: a of shape \(2,\) is complex"):
        ag.special.logsumexp(np.array([1j, 2.0]))
    with pytest.raises(TypeError, match=r"logsumexp: b of shape \(2, 3\) is complex"):
        ag.special.logsumexp(t, b=np.ones((2, 3)) * 1j)
    with pytest.raises(ValueError, match=r"logsumexp: a of shape \(2, 3\) and b of shape "
                                         r"\(2,\) do not broadcast"):
        ag.special.logsumexp(t, b=np.ones(2))


# ----------------------------------------------------------------------------- scipy optional
def test_importing_autograd_does_not_import_scipy():
    code = ("import autograd, sys; assert 'scipy' not in sys.modules; "
            "import autograd.special; assert 'scipy' not in sys.modules; print('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"


def test_missing_scipy_raises_importerror_naming_the_function_and_the_extra():
    code = ("import sys; sys.modules['scipy'] = None; sys.modules['scipy.special'] = None\n"
            "import autograd as ag\n"
            "try:\n    ag.special.erf(ag.tensor([0.5]))\n"
            "except ImportError as e:\n    print(e)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert run.returncode == 0, run.stderr
    assert "ag.special.erf needs scipy" in run.stdout
    assert "pip install -e '.[special]'" in run.stdout


@pytest.mark.parametrize("name", ALL)
def test_missing_scipy_in_process_names_each_function(name, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    args = (ag.Tensor([0.5]),) * (2 if name in BINARY else 1)
    with pytest.raises(ImportError, match=rf"ag\.special\.{name} needs scipy: pip install -e "
                                          r"'\.\[special\]'"):
        getattr(ag.special, name)(*args)
