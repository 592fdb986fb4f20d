"""autograd/ops/binary.py (arctan2, hypot, logaddexp, logaddexp2, fmax, fmin, mod, remainder,
fmod, floor_divide) and the exponent-0 edge of Pow: values against numpy's on the same arrays,
gradients against their closed forms, numpy's dispatch, the conventions at the edges, errors."""
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd.gradcheck import gradgradcheck

NAMES = ["arctan2", "hypot", "logaddexp", "logaddexp2", "fmax", "fmin", "mod", "remainder",
         "fmod", "floor_divide"]
RNG = np.random.default_rng(0)


def _t(a, grad=True):
    return ag.tensor(np.asarray(a, dtype=float) if not isinstance(a, np.ndarray) else a,
                     requires_grad=grad)


def _operands():
    """(x, y) pairs of arrays, numbers and special values, over broadcasting shapes."""
    a = RNG.uniform(-3, 3, (2, 3))
    return {
        "matrix": (a, RNG.uniform(-3, 3, (2, 3))),
        "broadcast-col": (RNG.uniform(-3, 3, (2, 1)), a),
        "broadcast-row": (a, RNG.uniform(0.5, 2, (3,))),
        "scalar-array": (np.array(1.7), a),
        "python-float-right": (a, 1.3),
        "python-float-left": (-2.6, RNG.uniform(-3, 3, (4,))),
        "ints": (np.array([7, -7, 5, 0]), np.array([3, 3, -2, 4])),
        "int-and-float": (np.array([7, -7, 5]), np.array([2.5, 2.5, -1.5])),
        "float32": (a.astype(np.float32), RNG.uniform(-3, 3, (3,)).astype(np.float32)),
        "float32-python-float": (a.astype(np.float32), 0.7),
        "specials": (np.array([np.nan, 1.0, np.inf, -np.inf, 0.0, -0.0, np.nan, 2.0]),
                     np.array([1.0, np.nan, 2.0, 3.0, 0.0, 5.0, np.nan, -np.inf])),
        "large": (np.array([1e300, -1e300, 800.0, 1e4]), np.array([1e300, 2e300, 799.0, -1e4])),
    }


OPERANDS = _operands()


# ----------------------------------------------------------------------------- values
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", list(OPERANDS))
def test_values_and_dtype_equal_numpys(name, case):
    x, y = OPERANDS[case]
    with np.errstate(all="ignore"):
        expected = getattr(np, name)(x, y)
        # through the library: operands as given, one of them made a Tensor
        tx = ag.tensor(x) if isinstance(x, np.ndarray) else x
        got = getattr(ag, name)(tx, y)
        got_np = getattr(np, name)(tx, y) if isinstance(tx, ag.Tensor) else None
    assert isinstance(got, ag.Tensor)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(got.data, expected)
    if got_np is not None:
        assert isinstance(got_np, ag.Tensor) and got_np.dtype == got.dtype
        np.testing.assert_array_equal(got_np.data, expected)


@pytest.mark.parametrize("name", NAMES)
def test_tensor_on_the_right_and_array_on_the_left_dispatch_to_the_library(name):
    x = RNG.uniform(-3, 3, (2, 3))
    y = _t(RNG.uniform(0.5, 2, (3,)))
    out = getattr(np, name)(x, y)          # numpy calls y.__array_ufunc__
    assert isinstance(out, ag.Tensor) and out.requires_grad
    np.testing.assert_array_equal(out.data, getattr(np, name)(x, y.data))


def test_remainder_is_mod():
    x, y = RNG.uniform(-5, 5, 10), RNG.uniform(-2, 2, 10)
    np.testing.assert_array_equal(ag.remainder(_t(x), y).data, ag.mod(_t(x), y).data)
    assert np.remainder is np.mod      # one ufunc: np.mod(t, ...) and np.remainder(t, ...) alike


@pytest.mark.parametrize("name", NAMES)
def test_no_tensor_operand_still_gives_a_tensor(name):
    x, y = np.array([5.5, -3.25]), np.array([2.0, 1.5])
    out = getattr(ag, name)(x, y)
    assert isinstance(out, ag.Tensor) and not out.requires_grad
    np.testing.assert_array_equal(out.data, getattr(np, name)(x, y))


def test_python_numbers_take_the_default_float_dtype_lists_and_int_arrays_numpys():
    """Two Python numbers: as everywhere in the library (ag.power too), the first becomes a
    Tensor of the default float dtype, so 7 mod 3 is 1.0. Lists and integer arrays are numpy's:
    integer in, integer out."""
    out = ag.mod(7, 3)
    assert out.dtype == np.float64 and out.item() == 1.0
    out = ag.mod([7, -7], [3, 3])
    assert out.dtype == np.mod([7], [3]).dtype
    np.testing.assert_array_equal(out.data, [1, 2])
    t = _t(np.array([5.5, -2.0]))
    out = np.mod([7, 8], t)
    np.testing.assert_array_equal(out.data, np.mod([7, 8], [5.5, -2.0]))
    out = ag.floor_divide(np.array([7, -7]), 2)       # an int array keeps numpy's int result
    assert out.dtype == np.array([7]).dtype
    np.testing.assert_array_equal(out.data, [3, -4])


# ----------------------------------------------------------------------------- gradients
def _closed_forms(name, x, y):
    """(∂out/∂x, ∂out/∂y) by numpy, away from every edge."""
    if name == "arctan2":
        r2 = x * x + y * y
        return y / r2, -x / r2
    if name == "hypot":
        h = np.hypot(x, y)
        return x / h, y / h
    if name in ("logaddexp", "logaddexp2"):
        e = np.exp(x) if name == "logaddexp" else np.exp2(x)
        f = np.exp(y) if name == "logaddexp" else np.exp2(y)
        return e / (e + f), f / (e + f)
    if name in ("fmax", "fmin"):
        x_wins = x > y if name == "fmax" else x < y
        return x_wins * 1.0, ~x_wins * 1.0
    if name in ("mod", "remainder"):
        return np.ones_like(x), -np.floor(x / y)
    if name == "fmod":
        return np.ones_like(x), -np.trunc(x / y)
    return np.zeros_like(x), np.zeros_like(y)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("via", ["ag", "np"])
def test_gradients_equal_the_closed_forms(name, via):
    x = RNG.uniform(-3, 3, (4, 5))
    y = RNG.choice([-1.0, 1.0], (4, 5)) * RNG.uniform(0.4, 2.0, (4, 5))
    tx, ty = _t(x), _t(y)
    out = getattr(ag if via == "ag" else np, name)(tx, ty)
    assert isinstance(out, ag.Tensor)
    v = RNG.normal(size=out.shape)
    out.backward(v)
    dx, dy = _closed_forms(name, x, y)
    np.testing.assert_allclose(tx.grad.data, v * dx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ty.grad.data, v * dy, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_broadcast_gradients_are_summed_to_each_shape(name):
    x = RNG.uniform(-3, 3, (3, 1))
    y = RNG.uniform(0.4, 2.0, (4,))
    tx, ty = _t(x), _t(y)
    getattr(ag, name)(tx, ty).sum().backward()
    xb, yb = np.broadcast_arrays(x, y)
    dx, dy = _closed_forms(name, xb, yb)
    np.testing.assert_allclose(tx.grad.data, dx.sum(axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(ty.grad.data, dy.sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32_with_a_python_number(name):
    x = _t(RNG.uniform(-3, 3, (2, 3)).astype(np.float32))
    out = getattr(ag, name)(x, 1.3)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float32
    y = _t(np.array([1.5, -0.5, 2.5], np.float32))
    out = getattr(ag, name)(2.25, y)
    assert out.dtype == np.float32
    out.sum().backward()
    assert y.grad.dtype == np.float32


@pytest.mark.parametrize("name", ["mod", "floor_divide", "fmod"])
@pytest.mark.parametrize("side", ["tensor-number", "number-tensor", "tensor-array",
                                  "array-tensor", "tensor-tensor"])
def test_mod_family_takes_a_tensor_on_either_side(name, side):
    """What ``t % y``, ``y % t``, ``t // y``, ``y // t`` will call: any mix works."""
    a, b = np.array([5.5, -5.5, 7.25]), np.array([2.0, 2.0, -1.5])
    first, second = side.split("-")
    x = {"tensor": _t(a), "number": 5.5, "array": a}[first]
    y = {"tensor": _t(b), "number": 2.0, "array": b}[second]
    xv, yv = (5.5 if first == "number" else a), (2.0 if second == "number" else b)
    for out in (getattr(ag, name)(x, y), getattr(np, name)(x, y)):
        assert isinstance(out, ag.Tensor)
        np.testing.assert_array_equal(out.data, getattr(np, name)(xv, yv))
        out.sum().backward()
    # two passes accumulated: 2·(∂out/∂x, ∂out/∂y)
    q = np.floor_divide(xv, yv) if name == "mod" else np.trunc(np.divide(xv, yv))
    if isinstance(x, ag.Tensor):
        expected = np.zeros(3) if name == "floor_divide" else np.full(3, 2.0)
        np.testing.assert_array_equal(x.grad.data, expected)
    if isinstance(y, ag.Tensor):
        expected = np.zeros(3) if name == "floor_divide" else -2 * q
        np.testing.assert_array_equal(y.grad.data, expected)


@pytest.mark.skipif(not hasattr(ag.Tensor, "__mod__"), reason="operators not bound yet")
def test_operators_percent_and_floor_division():
    t = _t(np.array([5.5, -5.5]))
    np.testing.assert_array_equal((t % 2.0).data, [1.5, 0.5])
    np.testing.assert_array_equal((7.0 % t).data, np.mod(7.0, [5.5, -5.5]))
    np.testing.assert_array_equal((t // 2.0).data, [2.0, -3.0])
    np.testing.assert_array_equal((7.0 // t).data, np.floor_divide(7.0, [5.5, -5.5]))


# ----------------------------------------------------------------------------- edge conventions
def test_mod_sign_convention_and_gradient_minus_floor_quotient():
    x, y = np.array([5.5, -5.5, 5.5, -5.5]), np.array([2.0, 2.0, -2.0, -2.0])
    tx, ty = _t(x), _t(y)
    out = ag.mod(tx, ty)
    np.testing.assert_array_equal(out.data, [1.5, 0.5, -0.5, -1.5])   # the sign of y
    out.sum().backward()
    np.testing.assert_array_equal(tx.grad.data, [1, 1, 1, 1])
    np.testing.assert_array_equal(ty.grad.data, [-2, 3, 3, -2])       # −floor(x/y)


def test_fmod_sign_convention_and_gradient_minus_trunc_quotient():
    x, y = np.array([5.5, -5.5, 5.5, -5.5]), np.array([2.0, 2.0, -2.0, -2.0])
    tx, ty = _t(x), _t(y)
    out = ag.fmod(tx, ty)
    np.testing.assert_array_equal(out.data, [1.5, -1.5, 1.5, -1.5])   # the sign of x
    out.sum().backward()
    np.testing.assert_array_equal(tx.grad.data, [1, 1, 1, 1])
    np.testing.assert_array_equal(ty.grad.data, [-2, 2, 2, -2])       # −trunc(x/y)


def test_mod_and_fmod_quotient_is_the_one_the_value_used():
    """Where x/y rounds to an integer that the exact quotient is not, the gradient follows the
    value: out = x − q·y holds with the q of the gradient."""
    x = np.array([1.0 - 2**-52, 0.3, -0.3, 1e16 + 2])
    y = np.array([0.1, 0.1, 0.1, 3.0])
    for name in ("mod", "fmod"):
        tx, ty = _t(x), _t(y)
        out = getattr(ag, name)(tx, ty)
        out.sum().backward()
        q = -ty.grad.data
        np.testing.assert_array_equal(q, np.round(q))
        np.testing.assert_allclose(x - q * y, out.data, atol=1e-15 * np.abs(x).max())


def test_mod_by_zero_gives_numpys_nan():
    with np.errstate(all="ignore"):
        out = ag.mod(_t(np.array([1.0, 2.0])), np.array([0.0, 1.5]))
        assert np.isnan(out.data[0]) and out.data[1] == np.mod(2.0, 1.5)


def test_floor_divide_gradient_is_zero_not_none():
    x, y = _t(np.array([5.5, -5.5])), _t(np.array([2.0, 1.5]))
    out = ag.floor_divide(x, y)
    np.testing.assert_array_equal(out.data, [2.0, -4.0])
    out.backward(np.array([np.inf, 1.0]))         # even against an infinite gradient: exact 0
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])
    np.testing.assert_array_equal(y.grad.data, [0.0, 0.0])


def test_hypot_gradient_at_origin_is_zero():
    x, y = _t(np.array([0.0, 3.0])), _t(np.array([0.0, -4.0]))
    out = ag.hypot(x, y)
    gx, gy = ag.grad(out.sum(), [x, y], create_graph=True)
    np.testing.assert_array_equal(gx.data, [0.0, 0.6])
    np.testing.assert_array_equal(gy.data, [0.0, -0.8])
    hx, hy = ag.grad((gx + gy).sum(), [x, y])          # no NaN at second order either
    assert np.isfinite(hx.data).all() and np.isfinite(hy.data).all()
    # away from the origin: ∂²/∂x² + ∂²/∂y∂x = (y² − xy)/r³ at (3, −4)
    np.testing.assert_allclose(hx.data[1], (16 + 12) / 125, rtol=1e-12)


def test_arctan2_gradient_at_origin_is_zero():
    x, y = _t(np.array([0.0, 1.0])), _t(np.array([0.0, 0.0]))
    out = ag.arctan2(x, y)
    np.testing.assert_array_equal(out.data, np.arctan2([0.0, 1.0], [0.0, 0.0]))
    gx, gy = ag.grad(out.sum(), [x, y], create_graph=True)
    np.testing.assert_array_equal(gx.data, [0.0, 0.0])
    np.testing.assert_array_equal(gy.data, [0.0, -1.0])
    h = ag.grad((gx + gy).sum(), [x, y])
    assert all(np.isfinite(g.data).all() for g in h)


def test_arctan2_gradient_does_not_underflow_for_large_operands():
    """x² + y² would overflow at 1e200: the rule divides by hypot twice instead."""
    x, y = _t(np.array([1e200])), _t(np.array([1e200]))
    ag.arctan2(x, y).sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.5e-200], rtol=1e-12)
    np.testing.assert_allclose(y.grad.data, [-0.5e-200], rtol=1e-12)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_large_inputs_no_overflow_in_value_or_gradient(name):
    x = np.array([1e4, 800.0, -1e4, 1e300, 5.0])
    y = np.array([1e4 - 1.0, 1e4, -1e4 - 2.0, 1e300, -1e300])
    tx, ty = _t(x), _t(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no overflow warning either
        out = getattr(ag, name)(tx, ty)
        out.sum().backward()
    np.testing.assert_array_equal(out.data, getattr(np, name)(x, y))
    # σ(s·(x − y)): at x − y = 1, −9200, 2, 0 (x = y = 1e300: out − x loses log 2), +huge
    base = np.e if name == "logaddexp" else 2.0
    share = np.array([1 / (1 + base ** -1), 0.0, 1 / (1 + base ** -2), 0.5, 1.0])
    np.testing.assert_allclose(tx.grad.data, share, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(ty.grad.data, 1 - share, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_infinite_operand_takes_the_whole_gradient(name):
    x = np.array([np.inf, 1.0, np.inf, -np.inf, -np.inf])
    y = np.array([1.0, np.inf, np.inf, -np.inf, 2.0])
    tx, ty = _t(x), _t(y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = getattr(ag, name)(tx, ty)
        out.backward(np.ones(5))
    np.testing.assert_array_equal(out.data, getattr(np, name)(x, y))
    np.testing.assert_array_equal(tx.grad.data, [1.0, 0.0, 0.5, 0.5, 0.0])
    np.testing.assert_array_equal(ty.grad.data, [0.0, 1.0, 0.5, 0.5, 1.0])


def test_logaddexp_infinite_operand_second_order_has_no_nan():
    x, y = _t(np.array([np.inf, 0.5])), _t(np.array([1.0, -0.5]))
    gx, gy = ag.grad(ag.logaddexp(x, y).sum(), [x, y], create_graph=True)
    hx, hy = ag.grad(gx.sum(), [x, y])
    assert not np.isnan(hx.data).any() and not np.isnan(hy.data).any()
    s = 1 / (1 + np.exp(-1.0))                     # σ(x − y) at the finite pair
    np.testing.assert_allclose([hx.data[1], hy.data[1]], [s * (1 - s), -s * (1 - s)])


@pytest.mark.parametrize("name,ref", [("fmax", "maximum"), ("fmin", "minimum")])
def test_fmax_fmin_tie_splits_gradient_half_like_maximum(name, ref):
    x = np.array([1.0, 3.0, -2.0])
    y = np.array([2.0, 3.0, -2.0])
    grads = []
    for fn in (getattr(ag, name), getattr(ag, ref)):
        tx, ty = _t(x), _t(y)
        fn(tx, ty).sum().backward()
        grads.append((tx.grad.data, ty.grad.data))
    np.testing.assert_array_equal(grads[0][0], grads[1][0])
    np.testing.assert_array_equal(grads[0][1], grads[1][1])
    np.testing.assert_array_equal(grads[0][0][1:], [0.5, 0.5])


@pytest.mark.parametrize("name", ["fmax", "fmin"])
def test_fmax_fmin_nan_gradient_goes_to_the_number_both_nan_to_x1(name):
    x = np.array([np.nan, 1.0, np.nan, np.nan])
    y = np.array([2.0, np.nan, np.nan, np.inf])
    tx, ty = _t(x), _t(y)
    out = getattr(ag, name)(tx, ty)
    np.testing.assert_array_equal(out.data, getattr(np, name)(x, y))
    out.sum().backward()
    np.testing.assert_array_equal(tx.grad.data, [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(ty.grad.data, [1.0, 0.0, 0.0, 1.0])


# ----------------------------------------------------------------------------- x ** 0
POW_ZERO = {
    "x ** 0": lambda x: x ** 0,
    "x ** 0.0": lambda x: x ** 0.0,
    "x ** tensor(0)": lambda x: x ** ag.tensor(0.0),
    "ag.power(x, 0)": lambda x: ag.power(x, 0),
    "np.power(x, 0)": lambda x: np.power(x, 0),
    "x ** zeros array": lambda x: x ** np.zeros(4),
}


@pytest.mark.parametrize("form", list(POW_ZERO))
def test_x_pow_0_gradient_is_zero_at_zero_first_and_second_order(form):
    x = _t(np.array([0.0, -0.0, 2.0, -1.5]))
    out = POW_ZERO[form](x)
    np.testing.assert_array_equal(out.data, [1.0, 1.0, 1.0, 1.0])
    g, = ag.grad(out.sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [0.0, 0.0, 0.0, 0.0])
    h, = ag.grad(g.sum(), x, allow_unused=True)
    assert h is None or (h.data == 0).all()
    x2 = _t(np.array([0.0, 3.0, -0.0, -1.0]))
    POW_ZERO[form](x2).sum().backward()                  # the plain pass alike
    np.testing.assert_array_equal(x2.grad.data, [0.0, 0.0, 0.0, 0.0])


def test_x_pow_0_gradient_zero_for_a_tensor_exponent_equal_to_0():
    """p a Tensor equal to 0: ∂/∂x is 0 (x = 0 included); ∂/∂p = out·log x (0 where x ≤ 0);
    the mixed second derivative ∂²/∂p∂x = x^(p−1) stays right away from 0 (1/x) and is 1 at 0."""
    x = _t(np.array([0.0, 2.0, -1.0, 0.5]))
    p = _t(np.array(0.0))
    out = ag.power(x, p)
    gx, gp = ag.grad(out.sum(), [x, p], create_graph=True)
    np.testing.assert_array_equal(gx.data, [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(gp.data, np.log(2.0) + np.log(0.5), atol=1e-15)
    hxx, hxp = ag.grad(gx.sum(), [x, p])
    np.testing.assert_array_equal(hxx.data, [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(hxp.data, 1.0 + 1 / 2.0 - 1.0 + 1 / 0.5)


def test_x_pow_0_float32_keeps_dtype():
    x = _t(np.array([0.0, 2.0], np.float32))
    (x ** 0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0])


def test_pow_other_exponents_at_zero_unchanged():
    """Only p = 0 changes: p = 1 keeps derivative 1 at 0, p = 2 keeps 0, p = 0.5 keeps inf."""
    for p, expected in ((1.0, 1.0), (2.0, 0.0), (0.5, np.inf), (3.0, 0.0)):
        x = _t(np.array([0.0]))
        with np.errstate(divide="ignore"):
            (x ** p).sum().backward()
        assert x.grad.data[0] == expected


def test_pow_zero_gradgradcheck_at_zero():
    x = _t(np.array([0.0, 1.0, -2.0]))
    assert gradgradcheck(lambda t: t ** 0, (x,))


# ----------------------------------------------------------------------------- dtype and errors
@pytest.mark.parametrize("name", NAMES)
def test_dtype_float32_casts_and_gradient_comes_back_in_float64(name):
    x, y = RNG.uniform(-3, 3, (2, 3)), RNG.uniform(0.5, 2.0, (3,))
    tx = _t(x)
    out = getattr(ag, name)(tx, y, dtype=np.float32)
    expected = getattr(np, name)(x, y, dtype=np.float32)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, expected)
    out.sum().backward()
    assert tx.grad.dtype == np.float64


@pytest.mark.parametrize("name", ["mod", "fmod", "floor_divide", "fmax", "fmin"])
def test_dtype_integer_gives_numpys_integer_result(name):
    x, y = np.array([7, -7, 9]), np.array([2, 3, -4])
    out = getattr(ag, name)(x, y, dtype=np.int32)
    expected = getattr(np, name)(x, y, dtype=np.int32)
    assert out.dtype == np.int32 and not out.requires_grad
    np.testing.assert_array_equal(out.data, expected)


def test_dtype_integer_on_floats_raises_naming_the_op():
    with pytest.raises(TypeError, match="mod: cannot compute in dtype int64"):
        ag.mod(_t(np.array([1.5])), 2.0, dtype=np.int64)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("side", [0, 1])
def test_complex_input_raises_naming_the_op_argument_and_shape(name, side):
    ops = [_t(np.array([1.0, 2.0])), np.array([1 + 2j, 3.0])]
    if side:
        ops.reverse()
    with pytest.raises(TypeError, match=rf"{name}: x{2 - side} of shape \(2,\) is complex"):
        getattr(ag, name)(*ops)


@pytest.mark.parametrize("name", NAMES)
def test_complex_python_number_and_strings_raise(name):
    with pytest.raises(TypeError, match=rf"{name}: x2 of shape \(\) is complex"):
        getattr(ag, name)(_t(np.ones(2)), 1j)
    with pytest.raises(TypeError, match=rf"{name}: x1 .* does not hold real numbers"):
        getattr(ag, name)(np.array(["a", "b"]), _t(np.ones(2)))


@pytest.mark.parametrize("name", NAMES)
def test_out_raises_naming_the_op(name):
    x = _t(np.ones(3))
    with pytest.raises(TypeError, match=rf"{name}: out= is not supported"):
        getattr(ag, name)(x, 2.0, np.empty(3))
    with pytest.raises(TypeError, match=rf"{name}: out= is not supported"):
        getattr(ag, name)(x, 2.0, out=np.empty(3))
    with pytest.raises(TypeError):                       # numpy's form: refused, not ignored
        getattr(np, name)(x, 2.0, out=np.empty(3))


@pytest.mark.parametrize("name", NAMES)
def test_shapes_that_do_not_broadcast_raise_naming_the_op_and_shapes(name):
    with pytest.raises(ValueError, match=rf"{name}: operands of shapes \(2,\) and \(3,\) do "
                                         r"not broadcast"):
        getattr(ag, name)(_t(np.ones(2)), np.ones(3))


@pytest.mark.parametrize("name", NAMES)
def test_gradgradcheck_with_a_broadcast_python_number(name):
    """The rules differentiate again with a number on either side (a constant, no Tensor)."""
    x = _t(RNG.choice([-1.0, 1.0], (3,)) * RNG.uniform(1.2, 1.4, (3,)))
    assert gradgradcheck(lambda t: getattr(ag, name)(t, 0.5), (x,))
    assert gradgradcheck(lambda t: getattr(ag, name)(0.5, t), (x,))
