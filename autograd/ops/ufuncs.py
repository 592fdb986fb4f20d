"""Elementwise unary math beyond the chapter, numpy's ufuncs (and np.round, np.sinc):
trigonometric and hyperbolic functions and their inverses, logarithms and exponentials, square,
reciprocal, cbrt, degrees/radians, the normalized sinc, positive, and the rounding family
(sign, floor, ceil, trunc, rint, round), whose gradient is taken as 0 everywhere.

Each public function takes numpy's signature (``sin(x, /, out=None, *, dtype=None)``): ``dtype``
casts the input to a floating dtype first (the cast is recorded), ``out`` must be None.
Where the derivative is cheapest in the output (tan, expm1, exp2, reciprocal, cbrt) the output
is saved; every backward rule is written with ops that arrays and Tensors share, so it can be
differentiated again (``create_graph=True``).
"""
import math

import numpy as np

from ..function import Function, dual, raw
from .checks import real_tensor
from .elementwise import Sqrt, astype

__all__ = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh",
           "arccosh", "arctanh", "log1p", "expm1", "log2", "log10", "exp2", "square",
           "reciprocal", "cbrt", "sign", "floor", "ceil", "trunc", "rint", "round", "deg2rad",
           "rad2deg", "sinc", "positive"]

# Python floats, never np.float64: a float32 computation stays float32 (NEP 50)
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_DEG = 180.0 / math.pi
_sqrt = dual(Sqrt)


# ----------------------------------------------------------------------------- smooth ops
def _forward(ufunc, saves="input"):
    """A forward that runs ``ufunc`` and saves its input, its output, or nothing (``saves``)."""
    def forward(ctx, x):
        out = ufunc(x)
        if saves is not None:
            ctx.save_for_backward(x if saves == "input" else out)
        return out
    return staticmethod(forward)


class _Smooth(Function):
    """An elementwise op whose backward is grad_output · ``derivative(saved)``: ∂out/∂x written
    with what forward saved (x, or the output where that is cheaper; nothing for constants),
    with ops that arrays and Tensors share, so it is differentiable again."""

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.derivative(*ctx.saved_tensors)


class Sin(_Smooth):
    """out = sin x;  ∂out/∂x = cos x."""
    forward = _forward(np.sin)
    derivative = staticmethod(lambda x: _cos(x))


class Cos(_Smooth):
    """out = cos x;  ∂out/∂x = −sin x."""
    forward = _forward(np.cos)
    derivative = staticmethod(lambda x: -_sin(x))


class Tan(_Smooth):
    """out = tan x;  ∂out/∂x = 1 + tan² x = 1 + out² (the output is saved)."""
    forward = _forward(np.tan, saves="output")
    derivative = staticmethod(lambda out: 1.0 + out * out)


# (1 − x)(1 + x), not 1 − x²: no cancellation near |x| = 1 (and (x − 1)(x + 1) for arccosh)
class Arcsin(_Smooth):
    """out = arcsin x;  ∂out/∂x = 1 / √((1 − x)(1 + x))."""
    forward = _forward(np.arcsin)
    derivative = staticmethod(lambda x: 1.0 / _sqrt((1.0 - x) * (1.0 + x)))


class Arccos(_Smooth):
    """out = arccos x;  ∂out/∂x = −1 / √((1 − x)(1 + x))."""
    forward = _forward(np.arccos)
    derivative = staticmethod(lambda x: -1.0 / _sqrt((1.0 - x) * (1.0 + x)))


class Arctan(_Smooth):
    """out = arctan x;  ∂out/∂x = 1 / (1 + x²)."""
    forward = _forward(np.arctan)
    derivative = staticmethod(lambda x: 1.0 / (1.0 + x * x))


class Sinh(_Smooth):
    """out = sinh x;  ∂out/∂x = cosh x, from the saved input (√(1 + out²) overflows long before
    cosh x does)."""
    forward = _forward(np.sinh)
    derivative = staticmethod(lambda x: _cosh(x))


class Cosh(_Smooth):
    """out = cosh x;  ∂out/∂x = sinh x, from the saved input (√(out² − 1) cancels near 0)."""
    forward = _forward(np.cosh)
    derivative = staticmethod(lambda x: _sinh(x))


class Arcsinh(_Smooth):
    """out = arcsinh x;  ∂out/∂x = 1 / √(1 + x²)."""
    forward = _forward(np.arcsinh)
    derivative = staticmethod(lambda x: 1.0 / _sqrt(1.0 + x * x))


class Arccosh(_Smooth):
    """out = arccosh x (x ≥ 1);  ∂out/∂x = 1 / √((x − 1)(x + 1))."""
    forward = _forward(np.arccosh)
    derivative = staticmethod(lambda x: 1.0 / _sqrt((x - 1.0) * (x + 1.0)))


class Arctanh(_Smooth):
    """out = arctanh x (|x| < 1);  ∂out/∂x = 1 / ((1 − x)(1 + x))."""
    forward = _forward(np.arctanh)
    derivative = staticmethod(lambda x: 1.0 / ((1.0 - x) * (1.0 + x)))


class Log1p(_Smooth):
    """out = ln(1 + x);  ∂out/∂x = 1 / (1 + x)."""
    forward = _forward(np.log1p)
    derivative = staticmethod(lambda x: 1.0 / (1.0 + x))


class Expm1(_Smooth):
    """out = eˣ − 1;  ∂out/∂x = eˣ = out + 1 (the output is saved)."""
    forward = _forward(np.expm1, saves="output")
    derivative = staticmethod(lambda out: out + 1.0)


class Log2(_Smooth):
    """out = log₂ x;  ∂out/∂x = 1 / (x ln 2)."""
    forward = _forward(np.log2)
    derivative = staticmethod(lambda x: 1.0 / (x * _LN2))


class Log10(_Smooth):
    """out = log₁₀ x;  ∂out/∂x = 1 / (x ln 10)."""
    forward = _forward(np.log10)
    derivative = staticmethod(lambda x: 1.0 / (x * _LN10))


class Exp2(_Smooth):
    """out = 2ˣ;  ∂out/∂x = 2ˣ ln 2 = out · ln 2 (the output is saved)."""
    forward = _forward(np.exp2, saves="output")
    derivative = staticmethod(lambda out: out * _LN2)


class Square(_Smooth):
    """out = x²;  ∂out/∂x = 2x."""
    forward = _forward(np.square)
    derivative = staticmethod(lambda x: x + x)


class Reciprocal(_Smooth):
    """out = 1/x;  ∂out/∂x = −1/x² = −out² (the output is saved)."""
    forward = _forward(np.reciprocal, saves="output")
    derivative = staticmethod(lambda out: -(out * out))


class Cbrt(_Smooth):
    """out = ∛x;  ∂out/∂x = 1 / (3 ∛x²) = 1 / (3 out²) (the output is saved; inf at 0)."""
    forward = _forward(np.cbrt, saves="output")
    derivative = staticmethod(lambda out: 1.0 / (out * out * 3.0))


class Deg2rad(_Smooth):
    """out = x · π/180;  ∂out/∂x = π/180."""
    forward = _forward(np.deg2rad, saves=None)
    derivative = staticmethod(lambda: 1.0 / _DEG)


class Rad2deg(_Smooth):
    """out = x · 180/π;  ∂out/∂x = 180/π."""
    forward = _forward(np.rad2deg, saves=None)
    derivative = staticmethod(lambda: _DEG)


class Positive(_Smooth):
    """out = +x (a copy);  ∂out/∂x = 1."""
    forward = _forward(np.positive, saves=None)
    derivative = staticmethod(lambda: 1.0)


# ----------------------------------------------------------------------------- sinc
def _sinc_derivative_values(x, order):
    """The ``order``-th derivative of sinc(x) = sin(πx)/(πx), on an array, finite everywhere.

    With u = πx and f(u) = sin(u)/u, differentiating u·f = sin u n times gives
    u·f⁽ⁿ⁾ + n·f⁽ⁿ⁻¹⁾ = sin(u + nπ/2): the recurrence used for |u| ≥ 2. Near 0 it cancels, so
    there the Taylor series f(u) = Σₖ (−1)ᵏ u²ᵏ/(2k + 1)!, differentiated term by term, is
    summed (its terms fall below 1e-25 of the sum by 2k = n + 30 at |u| < 2).
    """
    u = x * math.pi
    near = np.abs(u) < 2.0
    us = np.where(near, u, 0.0)
    u2 = us * us
    first = (order + 1) // 2              # the first term whose power 2k − n is ≥ 0
    power = us if 2 * first - order == 1 else np.ones_like(us)
    series = np.zeros_like(us)
    for k in range(first, first + 16):
        coef = (-1.0) ** k * math.factorial(2 * k) / (math.factorial(2 * k - order)
                                                      * math.factorial(2 * k + 1))
        series = series + coef * power
        power = power * u2
    uf = np.where(near, 1.0, u)
    sin_u, cos_u = np.sin(uf), np.cos(uf)
    far = sin_u / uf
    for m in range(1, order + 1):
        shifted = (sin_u, cos_u, -sin_u, -cos_u)[m % 4]     # sin(u + mπ/2)
        far = (shifted - m * far) / uf
    return np.where(near, series, far) * (math.pi ** order)


class SincDerivative(Function):
    """out = dⁿ sinc(x) / dxⁿ (n = ``order`` ≥ 1);  ∂out/∂x = the derivative of order n + 1.
    Finite at 0 (odd orders are 0 there; the second is −π²/3)."""

    @staticmethod
    def forward(ctx, x, order=1):
        ctx.save_for_backward(x)
        ctx.order = order
        return _sinc_derivative_values(x, order)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * _sinc_derivative(x, order=ctx.order + 1)


class Sinc(Function):
    """out = sin(πx)/(πx), 1 at 0;  ∂out/∂x = (cos(πx) − out)/x, 0 at 0 (see SincDerivative)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sinc(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * _sinc_derivative(x, order=1)


# ----------------------------------------------------------------------------- rounding
class _Flat(Function):
    """A piecewise constant op: its gradient is taken as exactly 0 everywhere (also at the
    jumps, where it is undefined), of grad_output's shape and dtype."""

    @staticmethod
    def backward(ctx, grad_output):
        # a constant: zeros that depend on nothing, even under create_graph
        return np.zeros(grad_output.shape, raw(grad_output).dtype)


class Sign(_Flat):
    """out = sign x (−1, 0 or 1);  ∂out/∂x = 0."""
    forward = _forward(np.sign, saves=None)


class Floor(_Flat):
    """out = ⌊x⌋;  ∂out/∂x = 0."""
    forward = _forward(np.floor, saves=None)


class Ceil(_Flat):
    """out = ⌈x⌉;  ∂out/∂x = 0."""
    forward = _forward(np.ceil, saves=None)


class Trunc(_Flat):
    """out = x rounded toward 0;  ∂out/∂x = 0."""
    forward = _forward(np.trunc, saves=None)


class Rint(_Flat):
    """out = x rounded to the nearest integer (halves to even);  ∂out/∂x = 0."""
    forward = _forward(np.rint, saves=None)


class Round(_Flat):
    """out = x rounded to ``decimals`` decimals (halves to even);  ∂out/∂x = 0."""

    @staticmethod
    def forward(ctx, x, decimals=0):
        return np.round(x, decimals)


_sin, _cos, _sinh, _cosh = dual(Sin), dual(Cos), dual(Sinh), dual(Cosh)
_sinc_derivative = dual(SincDerivative)


# ----------------------------------------------------------------------------- functions
def _prepare(op, x, out, dtype):
    """x as a Tensor, checked (and cast to ``dtype``) for ``op``."""
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (autograd does not write into arrays); "
                        f"use the returned Tensor")
    x = real_tensor(x, op)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{op}: dtype must be a floating dtype, got {dtype}")
        if dtype != x.dtype:
            x = astype(x, dtype)
    return x


def _run(op, cls, x, **kwargs):
    try:
        return cls.apply(x, **kwargs)
    except TypeError as e:      # numpy has no loop for this dtype (positive of bools...)
        raise TypeError(f"{op}: not defined for x of dtype {x.dtype} (shape {x.shape}): "
                        f"{e}") from None


_DOC = """{summary}

∂out/∂x = {derivative}.{note}

Parameters
----------
x : array_like or Tensor
    The input (arrays and numbers are made Tensors). Integer input gives numpy's result
    dtype (and no gradient).
out : None
    Must be None: the result is a new Tensor.
dtype : floating data-type, optional
    Cast x to this dtype first (recorded: the gradient is cast back).

Returns
-------
Tensor
    Of x's shape.

Raises
------
TypeError
    For complex input, ``out`` given, or a non-floating ``dtype``.

Examples
--------
>>> import autograd as ag
{examples}
"""


def _ufunc(name, cls, summary, derivative, examples, note=""):
    """The public function ``name(x, /, out=None, *, dtype=None)``: numpy's ufunc signature."""
    def fn(x, /, out=None, *, dtype=None):
        return _run(name, cls, _prepare(name, x, out, dtype))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = _DOC.format(summary=summary, derivative=derivative, note=note,
                             examples=examples.strip("\n"))
    return fn


sin = _ufunc("sin", Sin, "Sine elementwise (x in radians).", "cos x", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> y = ag.sin(x)
>>> y
Tensor([0.        , 0.84147098], grad_fn=<Sin>)
>>> y.sum().backward()
>>> x.grad
Tensor([1.        , 0.54030231])
""")
cos = _ufunc("cos", Cos, "Cosine elementwise (x in radians).", "−sin x", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.cos(x).sum().backward()
>>> x.grad
Tensor([-0.        , -0.84147098])
""")
tan = _ufunc("tan", Tan, "Tangent elementwise (x in radians).", "1 + tan² x", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.tan(x).sum().backward()
>>> x.grad
Tensor([1.        , 3.42551882])
""")
arcsin = _ufunc("arcsin", Arcsin, "Inverse sine elementwise, in [−π/2, π/2].",
                "1/√(1 − x²)", """
>>> x = ag.tensor([0.0, 0.6], requires_grad=True)
>>> ag.arcsin(x).sum().backward()
>>> x.grad
Tensor([1.  , 1.25])
""", note=" NaN outside [−1, 1], as numpy's.")
arccos = _ufunc("arccos", Arccos, "Inverse cosine elementwise, in [0, π].", "−1/√(1 − x²)", """
>>> x = ag.tensor([0.0, 0.6], requires_grad=True)
>>> ag.arccos(x).sum().backward()
>>> x.grad
Tensor([-1.  , -1.25])
""", note=" NaN outside [−1, 1], as numpy's.")
arctan = _ufunc("arctan", Arctan, "Inverse tangent elementwise.", "1/(1 + x²)", """
>>> x = ag.tensor([0.0, 2.0], requires_grad=True)
>>> ag.arctan(x).sum().backward()
>>> x.grad
Tensor([1. , 0.2])
""")
sinh = _ufunc("sinh", Sinh, "Hyperbolic sine elementwise.", "cosh x", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.sinh(x).sum().backward()
>>> x.grad
Tensor([1.        , 1.54308063])
""")
cosh = _ufunc("cosh", Cosh, "Hyperbolic cosine elementwise.", "sinh x", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.cosh(x).sum().backward()
>>> x.grad
Tensor([0.        , 1.17520119])
""")
arcsinh = _ufunc("arcsinh", Arcsinh, "Inverse hyperbolic sine elementwise.", "1/√(1 + x²)",
                 """
>>> x = ag.tensor([0.0, 0.75], requires_grad=True)
>>> ag.arcsinh(x).sum().backward()
>>> x.grad
Tensor([1. , 0.8])
""")
arccosh = _ufunc("arccosh", Arccosh, "Inverse hyperbolic cosine elementwise (x ≥ 1).",
                 "1/√(x² − 1)", """
>>> x = ag.tensor([1.25, 5/3], requires_grad=True)
>>> ag.arccosh(x).sum().backward()
>>> x.grad
Tensor([1.33333333, 0.75      ])
""", note=" NaN below 1 and inf at 1, as numpy's.")
arctanh = _ufunc("arctanh", Arctanh, "Inverse hyperbolic tangent elementwise (|x| < 1).",
                 "1/(1 − x²)", """
>>> x = ag.tensor([0.0, 0.5], requires_grad=True)
>>> ag.arctanh(x).sum().backward()
>>> x.grad
Tensor([1.        , 1.33333333])
""")
log1p = _ufunc("log1p", Log1p, "ln(1 + x) elementwise, exact for small x.", "1/(1 + x)", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.log1p(x).sum().backward()
>>> x.grad
Tensor([1. , 0.5])
""")
expm1 = _ufunc("expm1", Expm1, "eˣ − 1 elementwise, exact for small x.", "eˣ", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> y = ag.expm1(x)
>>> y
Tensor([0.        , 1.71828183], grad_fn=<Expm1>)
>>> y.sum().backward()
>>> x.grad
Tensor([1.        , 2.71828183])
""")
log2 = _ufunc("log2", Log2, "Base-2 logarithm elementwise.", "1/(x ln 2)", """
>>> x = ag.tensor([1.0, 8.0], requires_grad=True)
>>> y = ag.log2(x)
>>> y
Tensor([0., 3.], grad_fn=<Log2>)
>>> y.sum().backward()
>>> x.grad
Tensor([1.44269504, 0.18033688])
""")
log10 = _ufunc("log10", Log10, "Base-10 logarithm elementwise.", "1/(x ln 10)", """
>>> x = ag.tensor([1.0, 100.0], requires_grad=True)
>>> ag.log10(x).sum().backward()
>>> x.grad
Tensor([0.43429448, 0.00434294])
""")
exp2 = _ufunc("exp2", Exp2, "2ˣ elementwise.", "2ˣ ln 2", """
>>> x = ag.tensor([0.0, 3.0], requires_grad=True)
>>> y = ag.exp2(x)
>>> y
Tensor([1., 8.], grad_fn=<Exp2>)
>>> y.sum().backward()
>>> x.grad
Tensor([0.69314718, 5.54517744])
""")
square = _ufunc("square", Square, "x² elementwise.", "2x", """
>>> x = ag.tensor([-1.0, 3.0], requires_grad=True)
>>> y = ag.square(x)
>>> y
Tensor([1., 9.], grad_fn=<Square>)
>>> y.sum().backward()
>>> x.grad
Tensor([-2.,  6.])
""")
reciprocal = _ufunc("reciprocal", Reciprocal, "1/x elementwise.", "−1/x²", """
>>> x = ag.tensor([0.5, 4.0], requires_grad=True)
>>> ag.reciprocal(x).sum().backward()
>>> x.grad
Tensor([-4.    , -0.0625])
""", note=" As numpy's, integer input gives the integer reciprocal (0 for |x| > 1).")
cbrt = _ufunc("cbrt", Cbrt, "Cube root elementwise (real, also for x < 0).", "1/(3 ∛x²)", """
>>> x = ag.tensor([-8.0, 1.0], requires_grad=True)
>>> y = ag.cbrt(x)
>>> y
Tensor([-2.,  1.], grad_fn=<Cbrt>)
>>> y.sum().backward()
>>> x.grad
Tensor([0.08333333, 0.33333333])
""", note=" It is inf at 0.")
deg2rad = _ufunc("deg2rad", Deg2rad, "Degrees to radians elementwise.", "π/180", """
>>> x = ag.tensor([0.0, 180.0], requires_grad=True)
>>> y = ag.deg2rad(x)
>>> y
Tensor([0.        , 3.14159265], grad_fn=<Deg2rad>)
>>> y.sum().backward()
>>> x.grad
Tensor([0.01745329, 0.01745329])
""")
rad2deg = _ufunc("rad2deg", Rad2deg, "Radians to degrees elementwise.", "180/π", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.rad2deg(x).sum().backward()
>>> x.grad
Tensor([57.29577951, 57.29577951])
""")
positive = _ufunc("positive", Positive, "+x elementwise: a copy of x.", "1", """
>>> x = ag.tensor([-1.0, 2.0], requires_grad=True)
>>> y = ag.positive(x)
>>> y
Tensor([-1.,  2.], grad_fn=<Positive>)
>>> y.sum().backward()
>>> x.grad
Tensor([1., 1.])
""", note=" Boolean input raises, as numpy's.")

_FLAT_NOTE = (" The gradient is taken as exactly 0 everywhere, also at the jumps (where it is "
              "undefined), so that a rounding step passes no gradient.")
sign = _ufunc("sign", Sign, "The sign of x elementwise: −1, 0 or 1 (NaN for NaN).", "0", """
>>> x = ag.tensor([-2.5, 0.0, 3.0], requires_grad=True)
>>> y = ag.sign(x)
>>> y
Tensor([-1.,  0.,  1.], grad_fn=<Sign>)
>>> y.sum().backward()
>>> x.grad
Tensor([0., 0., 0.])
""", note=_FLAT_NOTE)
floor = _ufunc("floor", Floor, "The largest integer ≤ x, elementwise.", "0", """
>>> x = ag.tensor([-1.5, 1.5], requires_grad=True)
>>> y = ag.floor(x)
>>> y
Tensor([-2.,  1.], grad_fn=<Floor>)
>>> y.sum().backward()
>>> x.grad
Tensor([0., 0.])
""", note=_FLAT_NOTE)
ceil = _ufunc("ceil", Ceil, "The smallest integer ≥ x, elementwise.", "0", """
>>> x = ag.tensor([-1.5, 1.5], requires_grad=True)
>>> ag.ceil(x)
Tensor([-1.,  2.], grad_fn=<Ceil>)
""", note=_FLAT_NOTE)
trunc = _ufunc("trunc", Trunc, "x rounded toward zero, elementwise.", "0", """
>>> x = ag.tensor([-1.5, 1.5], requires_grad=True)
>>> ag.trunc(x)
Tensor([-1.,  1.], grad_fn=<Trunc>)
""", note=_FLAT_NOTE)
rint = _ufunc("rint", Rint, "x rounded to the nearest integer (halves to even), elementwise.",
              "0", """
>>> x = ag.tensor([0.5, 1.5, 2.7], requires_grad=True)
>>> ag.rint(x)
Tensor([0., 2., 3.], grad_fn=<Rint>)
""", note=_FLAT_NOTE)


def round(a, decimals=0, out=None):  # noqa: A001 - numpy's name
    """x rounded to ``decimals`` decimals (halves to even), elementwise, as ``np.round``.

    ∂out/∂a = 0. The gradient is taken as exactly 0 everywhere, also at the jumps (where it is
    undefined), so that a rounding step passes no gradient. Also the method ``t.round()``.

    Parameters
    ----------
    a : array_like or Tensor
        The input. Integer input stays integer (rounded at ``decimals`` < 0), as numpy's.
    decimals : int, optional
        The number of decimals (default 0); negative rounds to tens, hundreds...
    out : None
        Must be None: the result is a new Tensor.

    Returns
    -------
    Tensor
        Of a's shape and dtype.

    Raises
    ------
    TypeError
        For complex input or ``out`` given.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.25, 2.5, 37.0], requires_grad=True)
    >>> y = ag.round(x, 1)
    >>> y
    Tensor([ 1.2,  2.5, 37. ], grad_fn=<Round>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0., 0., 0.])
    >>> x.round(-1)
    Tensor([ 0.,  0., 40.], grad_fn=<Round>)
    """
    if not isinstance(decimals, (int, np.integer)):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return _run("round", Round, _prepare("round", a, out, None), decimals=int(decimals))


def sinc(x):
    """The normalized sinc function sin(πx)/(πx), 1 at x = 0, elementwise, as ``np.sinc``.

    ∂out/∂x = (cos(πx) − sinc x)/x, finite everywhere: 0 at x = 0, where the second derivative
    is −π²/3. Every derivative is computed without cancellation near 0 (a Taylor series there),
    and each is differentiable again.

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor
        Of x's shape.

    Raises
    ------
    TypeError
        For complex input.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([0.0, 0.5], requires_grad=True)
    >>> y = ag.sinc(x)
    >>> y
    Tensor([1.        , 0.63661977], grad_fn=<Sinc>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([ 0.        , -1.27323954])
    """
    return _run("sinc", Sinc, _prepare("sinc", x, None, None))
