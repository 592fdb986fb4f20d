"""numpy's elementwise unary math (autograd/ops/ufuncs.py): values against numpy's on the same
arrays, gradients against closed forms, numpy's dispatch (np.sin(t)) and the method form
(t.round()), the conventions at the edges (rounding gradients are 0; sinc at 0) and errors."""
import math
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd.ops import ufuncs

SMOOTH = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh",
          "arccosh", "arctanh", "log1p", "expm1", "log2", "log10", "exp2", "square",
          "reciprocal", "cbrt", "deg2rad", "rad2deg", "positive"]
FLAT = ["sign", "floor", "ceil", "trunc", "rint", "round"]
ALL = SMOOTH + FLAT + ["sinc"]

# ∂out/∂x in numpy, written independently of the library's rules
DERIVATIVES = {
    "sin": np.cos, "cos": lambda x: -np.sin(x), "tan": lambda x: 1 / np.cos(x) ** 2,
    "arcsin": lambda x: 1 / np.sqrt(1 - x ** 2), "arccos": lambda x: -1 / np.sqrt(1 - x ** 2),
    "arctan": lambda x: 1 / (1 + x ** 2), "sinh": np.cosh, "cosh": np.sinh,
    "arcsinh": lambda x: 1 / np.sqrt(x ** 2 + 1), "arccosh": lambda x: 1 / np.sqrt(x ** 2 - 1),
    "arctanh": lambda x: 1 / (1 - x ** 2), "log1p": lambda x: 1 / (1 + x), "expm1": np.exp,
    "log2": lambda x: 1 / (x * np.log(2)), "log10": lambda x: 1 / (x * np.log(10)),
    "exp2": lambda x: np.exp2(x) * np.log(2), "square": lambda x: 2 * x,
    "reciprocal": lambda x: -1 / x ** 2, "cbrt": lambda x: 1 / (3 * np.cbrt(x) ** 2),
    "deg2rad": lambda x: np.full_like(x, np.pi / 180),
    "rad2deg": lambda x: np.full_like(x, 180 / np.pi), "positive": np.ones_like,
}
SECOND = {
    "sin": lambda x: -np.sin(x), "cos": lambda x: -np.cos(x),
    "tan": lambda x: 2 * np.tan(x) / np.cos(x) ** 2,
    "arcsin": lambda x: x / (1 - x ** 2) ** 1.5, "arccos": lambda x: -x / (1 - x ** 2) ** 1.5,
    "arctan": lambda x: -2 * x / (1 + x ** 2) ** 2, "sinh": np.sinh, "cosh": np.cosh,
    "arcsinh": lambda x: -x / (1 + x ** 2) ** 1.5, "arccosh": lambda x: -x / (x ** 2 - 1) ** 1.5,
    "arctanh": lambda x: 2 * x / (1 - x ** 2) ** 2, "log1p": lambda x: -1 / (1 + x) ** 2,
    "expm1": np.exp, "log2": lambda x: -1 / (x ** 2 * np.log(2)),
    "log10": lambda x: -1 / (x ** 2 * np.log(10)), "exp2": lambda x: np.exp2(x) * np.log(2) ** 2,
    "square": lambda x: np.full_like(x, 2.0), "reciprocal": lambda x: 2 / x ** 3,
    "cbrt": lambda x: -2 / (9 * np.cbrt(x) ** 5),
}
# inputs inside each op's domain, for the gradient checks
DOMAIN = {"arcsin": (-0.9, 0.9), "arccos": (-0.9, 0.9), "arctanh": (-0.9, 0.9),
          "arccosh": (1.1, 3.0), "log1p": (-0.5, 2.0), "log2": (0.5, 3.0), "log10": (0.5, 3.0),
          "tan": (-1.2, 1.2)}


def _points(name, shape=(2, 3), dtype=np.float64, seed=0):
    lo, hi = DOMAIN.get(name, (-1.5, 1.5))
    x = np.random.default_rng(seed).uniform(lo, hi, shape)
    if name in ("reciprocal", "cbrt"):
        x = np.where(np.abs(x) < 0.2, 0.7, x)
    return x.astype(dtype)


def _numpy(name, x, *args):
    return getattr(np, name)(x, *args)


# ----------------------------------------------------------------------------- values
# Arrays of every kind numpy's loops take: outside the domains too (NaN, inf, as numpy's), 0-d,
# float32, integers, booleans, and the points where the rounding family jumps.
VALUE_INPUTS = {
    "float64": np.array([[-2.5, -1.0, -0.5, 0.0], [0.3, 0.5, 1.0, 2.5]]),
    "float32": np.array([-3.7, -0.5, 0.0, 0.25, 0.5, 1.5, 1e-3], np.float32),
    "0-d": np.array(0.75),
    "special": np.array([np.inf, -np.inf, np.nan, -0.0, 1e-300, 1e300]),
    "int64": np.array([-3, -1, 0, 1, 2, 7]),
    "int32-matrix": np.arange(-3, 3, dtype=np.int32).reshape(2, 3),
    "bool": np.array([True, False]),
    "size-1-axis": np.linspace(-2, 2, 6).reshape(2, 1, 3),
}


@pytest.mark.parametrize("kind", list(VALUE_INPUTS))
@pytest.mark.parametrize("name", ALL)
def test_values_and_dtype_equal_numpys(name, kind):
    x = VALUE_INPUTS[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            expected = np.asarray(_numpy(name, x))
        except TypeError:           # no loop for this dtype (sign, positive of bools): ours
            with pytest.raises(TypeError, match=rf"^{name}: not defined for x of dtype "):
                getattr(ag, name)(ag.Tensor(x))
            assert x.dtype == bool and name in ("sign", "positive")
            return
        out = getattr(ag, name)(ag.Tensor(x))
    assert isinstance(out, ag.Tensor)
    assert out.dtype == expected.dtype and out.shape == expected.shape
    np.testing.assert_array_equal(out.data, expected)
    assert np.array_equal(np.signbit(out.data), np.signbit(expected))   # −0.0 kept


@pytest.mark.parametrize("decimals", [0, 1, 2, -1, -2, np.int64(1)])
@pytest.mark.parametrize("kind", ["float64", "float32", "int64", "special", "0-d"])
def test_round_decimals_equal_numpys(kind, decimals):
    x = VALUE_INPUTS[kind] * (37 if kind != "special" else 1)
    expected = np.round(x, decimals)
    for out in (ag.round(ag.Tensor(x), decimals), np.round(ag.Tensor(x), decimals),
                ag.Tensor(x).round(decimals), ag.round(ag.Tensor(x), decimals=decimals)):
        assert out.dtype == expected.dtype
        np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize("name", SMOOTH + FLAT[:-1])
def test_python_numbers_and_lists_take_the_default_float_dtype(name):
    values = [0.2, 0.7] if name != "arccosh" else [1.2, 1.7]
    out = getattr(ag, name)(values)
    np.testing.assert_array_equal(out.data, _numpy(name, np.array(values)))
    assert getattr(ag, name)(values[0]).shape == ()


@pytest.mark.parametrize("name", SMOOTH + FLAT[:-1])
@pytest.mark.parametrize("source,dtype", [(np.float64, np.float32), (np.float32, np.float64),
                                          (np.int64, np.float32), (np.float32, np.float32)])
def test_dtype_argument_casts_as_numpys(name, source, dtype):
    x = (_points(name, (4,)) * (3 if source == np.int64 else 1)).astype(source)
    if name == "arccosh" and source == np.int64:
        x = np.abs(x) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(x, dtype=dtype)
        t = ag.Tensor(x, requires_grad=source != np.int64)
        out = getattr(ag, name)(t, dtype=dtype)
    assert out.dtype == expected.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out.data, expected, rtol=1e-6 if dtype == np.float32 else 1e-15)
    if t.requires_grad:                    # the cast is recorded: the gradient is x's dtype
        out.sum().backward()
        assert t.grad.dtype == t.dtype and t.grad.shape == t.shape


# ----------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("name", SMOOTH)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradient_equals_the_closed_form(name, dtype):
    x = _points(name, dtype=dtype)
    t = ag.Tensor(x, requires_grad=True)
    v = np.random.default_rng(1).normal(size=x.shape).astype(dtype)
    getattr(ag, name)(t).backward(v)
    assert t.grad.dtype == dtype and t.grad.shape == x.shape
    expected = v.astype(np.float64) * DERIVATIVES[name](x.astype(np.float64))
    np.testing.assert_allclose(t.grad.data, expected, rtol=1e-12 if dtype == np.float64 else 2e-6,
                               atol=1e-14 if dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivative_equals_the_closed_form(name):
    x = _points(name, (5,), seed=3)
    t = ag.Tensor(x, requires_grad=True)
    g, = ag.grad(getattr(ag, name)(t).sum(), t, create_graph=True)
    np.testing.assert_allclose(g.data, DERIVATIVES[name](x), rtol=1e-12)
    h, = ag.grad(g.sum(), t, allow_unused=True)
    h = np.zeros_like(x) if h is None else h.data
    np.testing.assert_allclose(h, SECOND[name](x), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ALL)
def test_numpy_dispatch_returns_a_tensor_with_the_gradient(name):
    x = _points(name, (3,)) + (0.3 if name in FLAT else 0.0)
    t = ag.Tensor(x, requires_grad=True)
    out = getattr(np, name)(t)
    assert isinstance(out, ag.Tensor) and out.requires_grad
    assert type(out.grad_fn).__name__ == name.capitalize()
    np.testing.assert_array_equal(out.data, getattr(np, name)(x))
    out.backward(np.arange(1.0, 4.0))
    if name in FLAT:
        expected = np.zeros(3)
    elif name == "sinc":
        expected = np.arange(1.0, 4.0) * (np.cos(np.pi * x) - np.sinc(x)) / x
    else:
        expected = np.arange(1.0, 4.0) * DERIVATIVES[name](x)
    np.testing.assert_allclose(t.grad.data, expected, rtol=1e-12)


def test_every_name_is_exported_and_dispatched():
    from autograd import binding
    assert sorted(ufuncs.__all__) == sorted(ALL)
    for name in ALL:
        assert getattr(ag, name) is getattr(ufuncs, name)
        table = binding.UFUNCS if isinstance(getattr(np, name), np.ufunc) else binding.FUNCTIONS
        assert table[getattr(np, name)] is getattr(ufuncs, name)
    assert "spacing" not in ufuncs.__all__            # interop.py's unimplemented example
    assert ag.Tensor.round is ufuncs.round


def test_positive_is_a_recorded_copy_not_the_same_tensor():
    t = ag.Tensor(np.array([1.0, -2.0]), requires_grad=True)
    for out in (np.positive(t), ag.positive(t)):
        assert out is not t and out.data is not t.data
        assert type(out.grad_fn).__name__ == "Positive"
    out.data[0] = 5.0
    assert t.data[0] == 1.0


def test_saved_values_are_the_output_where_the_derivative_is_cheapest_in_it():
    t = ag.Tensor(np.array([0.5, 1.0]), requires_grad=True)
    for name in ("tan", "expm1", "exp2", "reciprocal", "cbrt"):
        out = getattr(ag, name)(t)
        saved, = out.grad_fn.saved_tensors
        np.testing.assert_array_equal(np.asarray(saved), out.data)
    for name in ("sinh", "cosh", "sin"):
        saved, = getattr(ag, name)(t).grad_fn.saved_tensors
        np.testing.assert_array_equal(np.asarray(saved), t.data)


def test_precision_of_derivatives_at_the_edges_of_their_domains():
    """cosh' = sinh from the input (no cancellation near 0), sinh' = cosh finite where
    sinh² would overflow, arcsin' with (1 − x)(1 + x) near 1."""
    t = ag.Tensor(np.array([1e-10, -3e-9]), requires_grad=True)
    ag.cosh(t).sum().backward()
    np.testing.assert_allclose(t.grad.data, np.sinh(t.data), rtol=1e-15)
    t = ag.Tensor(np.array([400.0, -400.0]), requires_grad=True)
    ag.sinh(t).sum().backward()
    np.testing.assert_allclose(t.grad.data, np.cosh(t.data), rtol=1e-14)
    t = ag.Tensor(np.array([1 - 1e-12]), requires_grad=True)
    ag.arcsin(t).sum().backward()
    np.testing.assert_allclose(t.grad.data, 1 / np.sqrt(2e-12 - 1e-24), rtol=1e-3)
    t = ag.Tensor(np.array([1e-9]), requires_grad=True)
    ag.expm1(t).sum().backward()
    np.testing.assert_allclose(t.grad.data, np.exp(1e-9), rtol=1e-15)


def test_float32_stays_float32_through_first_and_second_derivatives():
    for name in SMOOTH + ["sinc"]:
        t = ag.Tensor(_points(name, (3,), np.float32), requires_grad=True)
        out = getattr(ag, name)(t)
        g, = ag.grad(out.sum(), t, create_graph=True)
        assert out.dtype == g.dtype == np.float32, name
        if g.requires_grad:                 # not for constant derivatives (deg2rad...)
            h, = ag.grad(g.sum(), t, allow_unused=True)
            assert h is None or h.dtype == np.float32, name


def test_integer_input_gives_numpys_dtype_and_no_gradient():
    t = ag.Tensor(np.array([1, 2, 4]))
    for name in ALL:
        with np.errstate(all="ignore"):             # arcsin(2)... NaN, as numpy's
            out = getattr(ag, name)(t)
            assert out.dtype == np.asarray(getattr(np, name)(t.data)).dtype, name
        assert not out.requires_grad
    assert ag.reciprocal(t).data.tolist() == [1, 0, 0]           # numpy's integer reciprocal
    assert ag.floor(t).dtype == np.int64


# ----------------------------------------------------------------------------- conventions
JUMPS = np.array([-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.5, 0.3, -0.7])


@pytest.mark.parametrize("name", FLAT)
def test_rounding_family_gradient_is_exactly_zero_convention(name):
    """sign, floor, ceil, trunc, rint and round pass a gradient of exactly 0 everywhere, at
    their jumps too (integers, half-integers), of x's shape and dtype, even for an infinite
    grad_output; under create_graph it is a constant 0 (second derivative 0)."""
    for dtype in (np.float64, np.float32):
        t = ag.Tensor(JUMPS.astype(dtype), requires_grad=True)
        out = getattr(ag, name)(t)
        assert out.requires_grad                      # recorded: it stays in the graph
        out.backward(np.full(JUMPS.shape, np.inf, dtype))
        assert t.grad.dtype == dtype
        np.testing.assert_array_equal(t.grad.data, np.zeros(JUMPS.shape))
    t = ag.Tensor(JUMPS, requires_grad=True)
    g, = ag.grad((getattr(ag, name)(t) * t).sum(), t, create_graph=True)
    np.testing.assert_array_equal(g.data, getattr(np, name)(JUMPS))    # d(r(x)·x) = r(x)
    h, = ag.grad(g.sum(), t, allow_unused=True)
    assert h is None or not np.any(h.data)


def test_sinc_derivative_at_zero_is_zero_and_second_is_minus_pi_squared_over_3_convention():
    """sinc(0) = 1; sinc'(0) = 0, sinc''(0) = −π²/3, sinc'''(0) = 0, sinc''''(0) = π⁴/5 (from
    1 − (πx)²/6 + (πx)⁴/120 − ...), each finite and recorded again."""
    t = ag.Tensor(np.array(0.0), requires_grad=True)
    out = ag.sinc(t)
    assert out.item() == 1.0
    expected = [0.0, -math.pi ** 2 / 3, 0.0, math.pi ** 4 / 5]
    d = out
    for order, want in enumerate(expected, 1):
        d, = ag.grad(d, t, create_graph=order < 4)
        assert np.isfinite(d.item())
        assert d.item() == pytest.approx(want, abs=1e-12, rel=1e-13), order


def _sinc_reference(x, order):
    """sinc's derivatives from x·g = sin(πx)/π differentiated: g + x g' = cos(πx),
    2g' + x g'' = −π sin(πx), 3g'' + x g''' = −π² cos(πx) (for x away from 0)."""
    g = np.sinc(x)
    g1 = (np.cos(np.pi * x) - g) / x
    g2 = (-np.pi * np.sin(np.pi * x) - 2 * g1) / x
    g3 = (-np.pi ** 2 * np.cos(np.pi * x) - 3 * g2) / x
    return [g, g1, g2, g3][order]


@pytest.mark.parametrize("x0", [0.3, -0.5, 2 / np.pi - 1e-9, 2 / np.pi + 1e-9, 1.0, -2.75, 7.3])
def test_sinc_derivatives_of_order_one_to_three_match_closed_forms(x0):
    """Both sides of the switch between the series (|πx| < 2) and the recurrence agree."""
    t = ag.Tensor(np.array([x0]), requires_grad=True)
    d = ag.sinc(t)
    for order in (1, 2, 3):
        d, = ag.grad(d.sum(), t, create_graph=True)
        np.testing.assert_allclose(d.data, _sinc_reference(np.array([x0]), order), rtol=1e-9,
                                   atol=1e-11)


def test_sinc_derivative_near_zero_has_no_cancellation():
    x = np.array([1e-8, -1e-5, 1e-3])
    t = ag.Tensor(x, requires_grad=True)
    ag.sinc(t).sum().backward()
    series = -np.pi ** 2 * x / 3 + np.pi ** 4 * x ** 3 / 30      # sinc'(x), to O(x⁵)
    np.testing.assert_allclose(t.grad.data, series, rtol=1e-12)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name", ALL)
def test_complex_input_raises_naming_the_op(name):
    with pytest.raises(TypeError, match=rf"^{name}: x of shape \(2,\) is complex \(dtype "
                                        r"complex128\)"):
        getattr(ag, name)(ag.Tensor(np.array([1 + 1j, 2.0])))


@pytest.mark.parametrize("name", SMOOTH + FLAT)
def test_out_argument_raises_naming_the_op(name):
    t = ag.Tensor(np.array([0.5, 1.5]), requires_grad=True)
    with pytest.raises(TypeError, match=rf"^{name}: out= is not supported"):
        getattr(ag, name)(t, out=np.empty(2))
    if name == "round":
        with pytest.raises(TypeError, match=r"^round: out= is not supported"):
            np.round(t, 0, np.empty(2))
    else:       # numpy's keywords reach the library's function, which refuses out=
        with pytest.raises(TypeError, match=rf"^{name}: out= is not supported"):
            getattr(np, name)(t, out=np.empty(2))


def test_non_floating_dtype_argument_raises():
    with pytest.raises(TypeError, match=r"^sin: dtype must be a floating dtype, got int64"):
        ag.sin(ag.Tensor(np.array([1.0])), dtype=np.int64)
    with pytest.raises(TypeError, match=r"^floor: dtype must be a floating dtype, got complex"):
        ag.floor(ag.Tensor(np.array([1.0])), dtype=np.complex128)


@pytest.mark.parametrize("name", ["positive", "sign"])
def test_positive_and_sign_of_bools_raise_naming_the_op(name):
    with pytest.raises(TypeError, match=rf"^{name}: not defined for x of dtype bool"):
        getattr(ag, name)(ag.Tensor(np.array([True, False])))


def test_non_numeric_input_and_bad_decimals_raise():
    with pytest.raises(TypeError, match=r"^sin: x of shape \(1,\) does not hold real numbers "
                                        r"\(dtype <U1\)"):
        ag.sin(ag.Tensor(np.array(["a"])))
    with pytest.raises(TypeError, match=r"^round: decimals must be an int, got 1.5"):
        ag.round(ag.Tensor(np.array([1.0])), 1.5)


def test_signatures_are_numpys():
    import inspect
    sig = inspect.signature(ag.sin)
    assert list(sig.parameters) == ["x", "out", "dtype"]
    assert sig.parameters["x"].kind is inspect.Parameter.POSITIONAL_ONLY
    assert sig.parameters["dtype"].kind is inspect.Parameter.KEYWORD_ONLY
    assert str(inspect.signature(ag.round)) == "(a, decimals=0, out=None)"
    assert str(inspect.signature(ag.sinc)) == "(x)"
