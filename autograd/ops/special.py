"""Special functions with scipy.special's names, signatures and values, differentiable:
erf, erfc, erfinv, gammaln, digamma, expit, logit, xlogy, xlog1py and logsumexp.

The values are scipy.special's own (scipy is the optional extra ``special``, imported on first
use, never when autograd is imported); this module writes only the derivatives, each a closed
form in functions it defines, so that every backward rule is differentiable again
(``create_graph=True``): digamma's derivative is :class:`Polygamma` (n = 1), whose derivative
is Polygamma of order n + 1. Float32 stays float32.

The conventions at the edges, each tested in tests/test_special.py:

- ``xlogy(0, y) = 0`` for every y, 0 included (scipy's), and its gradient at (0, 0) is finite:
  ∂/∂x = 0 and ∂/∂y = 0 there (log y and x/y elsewhere); ``xlog1py`` likewise at (0, −1);
- ``logsumexp`` of a slice whose terms are all 0 (every a = −inf): −inf, with gradient 0;
- ``logsumexp(..., return_sign=True)`` returns (log|Σ b eᵃ|, sign), the sign a constant Tensor.
"""
import math

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t
from .checks import check_real
from .elementwise import Exp, Log, Where, astype
from .reductions import _axis_tuple
from .shape import BroadcastTo

__all__ = ["erf", "erfc", "erfinv", "gammaln", "digamma", "expit", "logit", "xlogy", "xlog1py",
           "logsumexp"]

# Python floats, never np.float64: a float32 computation stays float32 (NEP 50)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_HALF_SQRT_PI = math.sqrt(math.pi) / 2.0
_exp, _log, _where = dual(Exp), dual(Log), dual(Where)
_broadcast_to = dual(BroadcastTo)


def _scipy_special(name):
    """scipy.special, imported now (not when autograd is): ImportError naming ``name`` and the
    extra to install when scipy is missing."""
    try:
        import scipy.special as sc
    except ImportError as e:
        raise ImportError(f"ag.special.{name} needs scipy: pip install -e '.[special]' "
                          f"(or pip install 'scipy>=1.10')") from e
    return sc


def _call(name, *args):
    """scipy.special's ``name`` on the arrays, as an array; a broadcasting failure named."""
    try:
        return np.asarray(getattr(_scipy_special(name), name)(*args))
    except ValueError:
        shapes = " and ".join(str(np.shape(a)) for a in args)
        raise ValueError(f"{name}: operands of shapes {shapes} do not broadcast together "
                         f"(trailing axes must be equal or 1)") from None


# ----------------------------------------------------------------------------- unary Functions
def _forward(name, saves="input"):
    """A forward that runs scipy.special's ``name`` and saves its input or its output."""
    def forward(ctx, x):
        out = _call(name, x)
        ctx.save_for_backward(x if saves == "input" else out)
        return out
    return staticmethod(forward)


class _Smooth(Function):
    """An elementwise op whose backward is grad_output · ``derivative(saved)``, written with
    ops that arrays and Tensors share (so differentiable again)."""

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.derivative(*ctx.saved_tensors)


class Erf(_Smooth):
    """out = erf x;  ∂out/∂x = 2/√π · e^(−x²)."""
    forward = _forward("erf")
    derivative = staticmethod(lambda x: _exp(-(x * x)) * _TWO_OVER_SQRT_PI)


class Erfc(_Smooth):
    """out = erfc x = 1 − erf x;  ∂out/∂x = −2/√π · e^(−x²)."""
    forward = _forward("erfc")
    derivative = staticmethod(lambda x: _exp(-(x * x)) * -_TWO_OVER_SQRT_PI)


class Erfinv(_Smooth):
    """out = erf⁻¹ x;  ∂out/∂x = √π/2 · e^(out²) (the output is saved; inf at ±1)."""
    forward = _forward("erfinv", saves="output")
    derivative = staticmethod(lambda out: _exp(out * out) * _HALF_SQRT_PI)


class Polygamma(Function):
    """out = ψ⁽ⁿ⁾(x), the n-th derivative of digamma (``n`` ≥ 1, a keyword);
    ∂out/∂x = ψ⁽ⁿ⁺¹⁾(x): so digamma, and gammaln, are differentiable to any order."""

    @staticmethod
    def forward(ctx, x, n=1):
        ctx.save_for_backward(x)
        ctx.n = n
        out = np.asarray(_scipy_special("digamma").polygamma(n, x))
        # scipy computes polygamma in float64: back to x's floating dtype
        dtype = np.asarray(x).dtype
        return out.astype(dtype) if dtype.kind == "f" and out.dtype != dtype else out

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * _polygamma(x, n=ctx.n + 1)


_polygamma = dual(Polygamma)


class Digamma(_Smooth):
    """out = ψ(x) = Γ'(x)/Γ(x);  ∂out/∂x = ψ⁽¹⁾(x), the trigamma function."""
    forward = _forward("digamma")
    derivative = staticmethod(lambda x: _polygamma(x, n=1))


_digamma = dual(Digamma)


class Gammaln(_Smooth):
    """out = ln|Γ(x)|;  ∂out/∂x = ψ(x) (digamma, also where Γ(x) < 0)."""
    forward = _forward("gammaln")
    derivative = staticmethod(lambda x: _digamma(x))


class Expit(_Smooth):
    """out = 1/(1 + e^(−x));  ∂out/∂x = out·(1 − out) (the output is saved)."""
    forward = _forward("expit", saves="output")
    derivative = staticmethod(lambda out: out * (1.0 - out))


class Logit(_Smooth):
    """out = ln(x/(1 − x));  ∂out/∂x = 1/(x(1 − x)) (inf at 0 and 1)."""
    forward = _forward("logit")
    derivative = staticmethod(lambda x: 1.0 / (x * (1.0 - x)))


class _Log1p(Function):
    """out = ln(1 + x);  ∂out/∂x = 1/(1 + x). xlog1py's own, for its backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / (x + 1.0)


_log1p = dual(_Log1p)


# ----------------------------------------------------------------------------- xlogy, xlog1py
def _saved_operand(v, out):
    # a number operand (Xlogy.apply(2.5, t) called directly) is saved as an array of the
    # result dtype, for the rule's masks and where
    return v if isinstance(v, np.ndarray) else np.asarray(v, dtype=out.dtype)


class Xlogy(Function):
    """out = x·ln y, 0 where x = 0 (for every y);  ∂out/∂x = ln y, ∂out/∂y = x/y, both taken
    as 0 at x = y = 0, where x·ln y is not differentiable: the gradient stays finite there."""

    pole = 0.0          # the y where ln(y + shift) is −inf
    shift = 0.0

    @staticmethod
    def forward(ctx, x, y):
        out = _call("xlogy", x, y)
        ctx.save_for_backward(_saved_operand(x, out), _saved_operand(y, out))
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        cls = type(ctx)
        need = ctx.needs_input_grad
        # (0, pole): a constant mask, replaced by y = pole + 1 (ln 1 = 0) in ∂/∂x and cut out of
        # ∂/∂y by where (which gives the cut branch exactly 0, also when differentiated again)
        corner = (raw(x) == 0) & (raw(y) == cls.pole)
        masked = bool(np.any(corner))
        safe_y = _where(corner, cls.pole + 1.0, y) if masked else y
        gx = gy = None
        if need[0]:
            gx = grad_output * cls.log_term(safe_y)
        if need[1]:
            dy = x / (safe_y + cls.shift)
            gy = grad_output * (_where(corner, 0.0, dy) if masked else dy)
        return gx, gy

    @staticmethod
    def log_term(y):
        return _log(y)


class Xlog1py(Xlogy):
    """out = x·ln(1 + y), 0 where x = 0 (for every y);  ∂out/∂x = ln(1 + y),
    ∂out/∂y = x/(1 + y), both taken as 0 at x = 0, y = −1 (finite there)."""

    pole = -1.0
    shift = 1.0

    @staticmethod
    def forward(ctx, x, y):
        out = _call("xlog1py", x, y)
        ctx.save_for_backward(_saved_operand(x, out), _saved_operand(y, out))
        return out

    @staticmethod
    def log_term(y):
        return _log1p(y)


# ----------------------------------------------------------------------------- logsumexp
class LogSumExp(Function):
    """out = log Σ b·eᵃ over ``axis`` (b = 1 when None), scipy's value (max-shifted, stable);
    ∂out/∂a = b·e^(a − out), ∂out/∂b = e^(a − out), each times the sign of the sum when
    ``return_sign`` (out is then log|Σ b·eᵃ|, and the sign a second, constant output)."""

    @staticmethod
    def forward(ctx, a, b, axis=None, keepdims=False, return_sign=False):
        shape = np.shape(a) if b is None else np.broadcast_shapes(np.shape(a), np.shape(b))
        axes = _axis_tuple(axis, len(shape), "logsumexp", shape)
        sc = _scipy_special("logsumexp")
        # all axes as None: scipy gives a 0-d input's axis=() result the shape (1,)
        res = sc.logsumexp(a, axis=None if len(axes) == len(shape) else axes, b=b,
                           keepdims=True, return_sign=return_sign)
        kept, sign = (res if return_sign else (res, None))
        ctx.kept = tuple(1 if k in axes else s for k, s in enumerate(shape))
        kept = np.asarray(kept).reshape(ctx.kept)
        ctx.shape = shape
        out = kept if keepdims else kept.reshape([s for k, s in enumerate(shape)
                                                  if k not in axes])
        ctx.save_for_backward(a, b, out)
        ctx.sign = None
        if sign is None:
            return out
        sign = np.asarray(sign).astype(out.dtype).reshape(out.shape)
        ctx.sign = sign.reshape(ctx.kept)
        return out, sign

    @staticmethod
    def backward(ctx, grad_output, grad_sign=None):
        a, b, out = ctx.saved_tensors
        out = out.reshape(ctx.kept)
        empty = raw(out) == -math.inf       # every term 0: e^(a − 0) = 0 there, not NaN
        if np.any(empty):
            out = _where(empty, 0.0, out)
        share = _exp(a - out)
        if ctx.sign is not None:
            share = share * ctx.sign
        g = grad_output.reshape(ctx.kept)
        need = ctx.needs_input_grad
        ga = (g * share if b is None else g * (share * b)) if need[0] else None
        gb = None
        if need[1]:
            gb = g * share
            if gb.shape != ctx.shape:   # a smaller than b: b's gradient has the full shape
                gb = _broadcast_to(gb, shape=ctx.shape)
        return ga, gb


# ----------------------------------------------------------------------------- functions
def _check_out_dtype(op, out, dtype):
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (autograd does not write into arrays); "
                        f"use the returned Tensor")
    if dtype is None:
        return None
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"{op}: dtype must be a floating dtype, got {dtype}")
    return dtype


def _unary_call(op, cls, x, out, dtype):
    dtype = _check_out_dtype(op, out, dtype)
    x = _t(x)
    check_real(op, "x", x)
    if dtype is not None and dtype != x.dtype:
        x = astype(x, dtype)
    return cls.apply(x)


def _binary_call(op, cls, x, y, out, dtype):
    dtype = _check_out_dtype(op, out, dtype)
    # a list is numpy's array of it; a Python number stays one (scipy promotes it weakly)
    x = np.asarray(x) if type(x) in (list, tuple) else x
    y = np.asarray(y) if type(y) in (list, tuple) else y
    check_real(op, "x", x)
    check_real(op, "y", y)
    if dtype is not None:
        return cls.apply(astype(_t(x), dtype), astype(_t(y), dtype))
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = Tensor(x)
    # a Python number takes a floating operand's dtype (numpy's weak scalars: float32 stays
    # float32), where scipy's ufuncs would compute in float64
    x, y = _weak(x, y), _weak(y, x)
    return cls.apply(x, y)


def _weak(v, other):
    dtype = raw(other).dtype if isinstance(other, (Tensor, np.ndarray)) else None
    if type(v) in (float, int, bool) and dtype is not None and dtype.kind == "f":
        return np.asarray(v, dtype=dtype)
    return v


_DOC = """{summary}

∂out/∂x = {derivative}.{note} The value is scipy.special.{op}'s (scipy is needed: the extra
``special``, ``pip install -e '.[special]'``).

Parameters
----------
x : array_like or Tensor
    The input (arrays and numbers are made Tensors). Integer input gives scipy's result dtype
    (and no gradient).
out : None
    Must be None: the result is a new Tensor.
dtype : floating data-type, optional
    Cast x to this dtype first (recorded: the gradient is cast back).

Returns
-------
Tensor
    Of x's shape; float32 input gives float32.

Raises
------
TypeError
    For complex input, ``out`` given, or a non-floating ``dtype``.
ImportError
    If scipy is not installed.

Examples
--------
>>> import autograd as ag
{examples}
"""


def _unary(name, cls, summary, derivative, examples, note=""):
    """The public ``name(x, /, out=None, *, dtype=None)``: scipy's ufunc signature."""
    def fn(x, /, out=None, *, dtype=None):
        return _unary_call(name, cls, x, out, dtype)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = _DOC.format(summary=summary, derivative=derivative, note=note, op=name,
                             examples=examples.strip("\n"))
    return fn


erf = _unary("erf", Erf, "The error function 2/√π ∫₀ˣ e^(−t²) dt, elementwise.",
             "2/√π · e^(−x²)", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> y = ag.special.erf(x)
>>> y
Tensor([0.        , 0.84270079], grad_fn=<Erf>)
>>> y.sum().backward()
>>> x.grad
Tensor([1.12837917, 0.4151075 ])
""")
erfc = _unary("erfc", Erfc, "The complementary error function 1 − erf x, elementwise (exact "
              "for large x).", "−2/√π · e^(−x²)", """
>>> x = ag.tensor([0.0, 1.0], requires_grad=True)
>>> ag.special.erfc(x).sum().backward()
>>> x.grad
Tensor([-1.12837917, -0.4151075 ])
""")
erfinv = _unary("erfinv", Erfinv, "The inverse error function, elementwise (x in [−1, 1]).",
                "√π/2 · e^(erfinv(x)²)", """
>>> x = ag.tensor([0.0, 0.5], requires_grad=True)
>>> y = ag.special.erfinv(x)
>>> y
Tensor([0.        , 0.47693628], grad_fn=<Erfinv>)
>>> y.sum().backward()
>>> x.grad
Tensor([0.88622693, 1.11258482])
""", note=" ±inf at ±1 and NaN outside [−1, 1], as scipy's.")
gammaln = _unary("gammaln", Gammaln, "ln|Γ(x)|, the log of the absolute gamma function, "
                 "elementwise.", "ψ(x), the digamma function", """
>>> x = ag.tensor([1.0, 3.0], requires_grad=True)
>>> y = ag.special.gammaln(x)
>>> y
Tensor([0.        , 0.69314718], grad_fn=<Gammaln>)
>>> y.sum().backward()
>>> x.grad
Tensor([-0.57721566,  0.92278434])
""", note=" inf at 0 and the negative integers, as scipy's.")
digamma = _unary("digamma", Digamma, "The digamma function ψ(x) = Γ'(x)/Γ(x), elementwise.",
                 "ψ⁽¹⁾(x), the trigamma function (scipy's polygamma(1, x); its own derivative "
                 "is polygamma(2, x), and so on)", """
>>> x = ag.tensor([1.0, 2.0], requires_grad=True)
>>> ag.special.digamma(x).sum().backward()
>>> x.grad
Tensor([1.64493407, 0.64493407])
""")
expit = _unary("expit", Expit, "The logistic sigmoid 1/(1 + e^(−x)), elementwise.",
               "expit(x)·(1 − expit(x))", """
>>> x = ag.tensor([0.0, 2.0], requires_grad=True)
>>> y = ag.special.expit(x)
>>> y
Tensor([0.5       , 0.88079708], grad_fn=<Expit>)
>>> y.sum().backward()
>>> x.grad
Tensor([0.25      , 0.10499359])
""")
logit = _unary("logit", Logit, "The log-odds ln(x/(1 − x)), elementwise (the inverse of "
               "expit).", "1/(x(1 − x))", """
>>> x = ag.tensor([0.5, 0.8], requires_grad=True)
>>> y = ag.special.logit(x)
>>> y
Tensor([0.        , 1.38629436], grad_fn=<Logit>)
>>> y.sum().backward()
>>> x.grad
Tensor([4.  , 6.25])
""", note=" ∓inf at 0 and 1, NaN outside [0, 1], as scipy's.")

_BINARY_PARAMS = """
    Parameters
    ----------
    x, y : array_like or Tensor
        The operands (positional); they broadcast as numpy's do. Python numbers and arrays
        work on either side.
    out : None
        Must be None: the result is a new Tensor.
    dtype : floating data-type, optional
        Cast both operands to this dtype first (recorded).

    Returns
    -------
    Tensor
        Of the broadcast shape and scipy's result dtype.

    Raises
    ------
    TypeError
        For a complex operand, ``out`` given, or a non-floating ``dtype``.
    ValueError
        If the shapes do not broadcast together.
    ImportError
        If scipy is not installed.
"""


def _doc(fn):
    fn.__doc__ = fn.__doc__.replace("    %(params)s\n", _BINARY_PARAMS)
    return fn


@_doc
def xlogy(x, y, /, out=None, *, dtype=None):
    """x·ln y elementwise, 0 where x = 0 (also for y = 0), as scipy.special.xlogy.

    ∂out/∂x = ln y, ∂out/∂y = x/y. At x = y = 0 (where the function is not differentiable)
    both are taken as 0, so that the gradient of Σ p·ln p stays finite at p = 0.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([0.0, 2.0], requires_grad=True)
    >>> y = ag.tensor([0.0, 3.0], requires_grad=True)
    >>> out = ag.special.xlogy(x, y)
    >>> out
    Tensor([0.        , 2.19722458], grad_fn=<Xlogy>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0.        , 1.09861229]), Tensor([0.        , 0.66666667]))
    """
    return _binary_call("xlogy", Xlogy, x, y, out, dtype)


@_doc
def xlog1py(x, y, /, out=None, *, dtype=None):
    """x·ln(1 + y) elementwise, 0 where x = 0 (also for y = −1), as scipy.special.xlog1py.

    ∂out/∂x = ln(1 + y), ∂out/∂y = x/(1 + y). At x = 0, y = −1 (where the function is not
    differentiable) both are taken as 0: the gradient stays finite.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([0.0, 2.0], requires_grad=True)
    >>> y = ag.tensor([-1.0, 1.0], requires_grad=True)
    >>> out = ag.special.xlog1py(x, y)
    >>> out
    Tensor([0.        , 1.38629436], grad_fn=<Xlog1py>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0.        , 0.69314718]), Tensor([0., 1.]))
    """
    return _binary_call("xlog1py", Xlog1py, x, y, out, dtype)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log Σ b·exp(a) over ``axis``, stable for any a, as scipy.special.logsumexp.

    ∂out/∂a = b·e^(a − out) (the softmax of a, weighted), ∂out/∂b = e^(a − out). A slice
    whose terms are all 0 (every a = −inf) gives −inf and a gradient of 0.

    Parameters
    ----------
    a : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes to reduce (default None: all of them); negative axes count from the end.
    b : array_like or Tensor, optional
        Weights of exp(a), broadcast against a (a Tensor is differentiated too). Where the
        weighted sum is negative the result is NaN, unless ``return_sign``.
    keepdims : bool, optional
        Keep the reduced axes, with length 1 (default False).
    return_sign : bool, optional
        Return (log|Σ b·eᵃ|, sign) instead: the sign (−1, 0 or 1) a Tensor with no gradient.

    Returns
    -------
    Tensor, or (Tensor, Tensor) with ``return_sign``
        scipy's dtype: float32 stays float32.

    Raises
    ------
    numpy.exceptions.AxisError
        If an axis is out of bounds (a ``ValueError``).
    ValueError
        If an axis is repeated, or a and b do not broadcast together.
    TypeError
        For complex a or b, or an ``axis`` that is not None, an int or a tuple of ints.
    ImportError
        If scipy is not installed.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = ag.special.logsumexp(x, axis=1)
    >>> y
    Tensor([2.31326169, 4.31326169], grad_fn=<LogSumExp>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([[0.26894142, 0.73105858],
            [0.26894142, 0.73105858]])
    >>> ag.special.logsumexp([0.0, 0.0], b=[1.0, -3.0], return_sign=True)   # log|1 − 3|
    (Tensor(0.69314718), Tensor(-1.))
    """
    a = np.asarray(a) if type(a) in (list, tuple) else a
    check_real("logsumexp", "a", a)
    a = _t(a)
    if b is not None:
        b = np.asarray(b) if type(b) in (list, tuple) else b
        check_real("logsumexp", "b", b)
        if not isinstance(b, Tensor):
            b = np.asarray(b)
        try:
            np.broadcast_shapes(a.shape, np.shape(b))
        except ValueError:
            raise ValueError(f"logsumexp: a of shape {a.shape} and b of shape {np.shape(b)} "
                             f"do not broadcast together") from None
    if not return_sign:
        return LogSumExp.apply(a, b, axis=axis, keepdims=keepdims)
    out, sign = LogSumExp.apply(a, b, axis=axis, keepdims=keepdims, return_sign=True)
    return out, sign.detach()
