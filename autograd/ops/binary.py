"""Elementwise binary math beyond the chapter, numpy's ufuncs: arctan2, hypot, logaddexp,
logaddexp2, fmax, fmin, mod, remainder, fmod, floor_divide.

Each broadcasts as numpy does and gives numpy's values and result dtype; its backward returns
gradients of the broadcast shape, which the engine sums back to each input's shape. Either
operand may be a Tensor, an array or a Python number (``t % 3`` and ``3 % t`` both come here).
The conventions at the edges, each tested in tests/test_ops_binary.py:

- ``hypot`` at (0, 0) and ``arctan2`` at the origin: gradient 0 (as ``abs`` at 0), never NaN;
- ``fmax``/``fmin``: the gradient goes to the operand numpy returns; ties split it half and
  half, as ``maximum``/``minimum`` do; where both are NaN it goes to x;
- ``mod``/``remainder``: ∂/∂x = 1, ∂/∂y = −floor(x/y); ``fmod``: ∂/∂x = 1, ∂/∂y = −trunc(x/y);
  ``floor_divide``: 0 for both (it is piecewise constant);
- ``logaddexp``/``logaddexp2``: the gradient is the operand's share, σ(x − y) (σ((x − y)·ln 2)),
  computed from e^(−|x − y|): no overflow, and exact for operands as large as 1e300; where
  one operand is infinite it takes it all (half each where both are the same infinity).
"""
import math

import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor
from .checks import check_real
from .elementwise import Where, astype

__all__ = ["arctan2", "hypot", "logaddexp", "logaddexp2", "fmax", "fmin", "mod", "remainder",
           "fmod", "floor_divide"]

_where = dual(Where)
_LN2 = math.log(2.0)


def _call(op, ufunc, x, y):
    """numpy's ufunc on the arrays, with a broadcasting failure named after the op."""
    try:
        return ufunc(x, y)
    except ValueError:
        raise ValueError(f"{op}: operands of shapes {np.shape(x)} and {np.shape(y)} do not "
                         f"broadcast together (trailing axes must be equal or 1)") from None


def _needs(ctx, k):
    # a forward run outside the graph (dual) has an empty needs_input_grad
    need = ctx.needs_input_grad
    return len(need) > k and need[k]


# ----------------------------------------------------------------------------- Functions
class ArcTan2(Function):
    """out = atan2(x, y), the angle of the point (y, x);  ∂out/∂x = y/(x² + y²),
    ∂out/∂y = −x/(x² + y²), taken as 0 at the origin.

    The denominator is hypot(x, y)², so that large operands do not overflow it.
    """

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _call("arctan2", np.arctan2, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        r = _hypot(x, y)
        r = r + (raw(r) == 0)           # 1 at the origin, where both numerators are 0
        need = ctx.needs_input_grad
        gx = grad_output * (y / r) / r if need[0] else None
        gy = -grad_output * (x / r) / r if need[1] else None
        return gx, gy


class Hypot(Function):
    """out = √(x² + y²);  ∂out/∂x = x/out, ∂out/∂y = y/out, taken as 0 at (0, 0)."""

    @staticmethod
    def forward(ctx, x, y):
        out = _call("hypot", np.hypot, x, y)
        ctx.save_for_backward(x, y, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, y, out = ctx.saved_tensors
        out = out + (raw(out) == 0)     # 1 where x = y = 0: x/out and y/out are 0 there
        need = ctx.needs_input_grad
        gx = grad_output * x / out if need[0] else None
        gy = grad_output * y / out if need[1] else None
        return gx, gy


def _shares(x, y, scale):
    """(∂out/∂x, ∂out/∂y) of logaddexp (scale 1) or logaddexp2 (scale ln 2): σ(±scale·(x − y)),
    from e = e^(−scale·|x − y|) ≤ 1, which cannot overflow, and exact however large x and y
    are (x − out would lose the log 2 of out = x + log 2 at x = y = 1e300). Where x and y are
    the same infinity, x − y is NaN: taken as 0 there (½ each)."""
    rx, ry = raw(x), raw(y)
    with np.errstate(invalid="ignore"):
        d = x - y
    same_inf = np.isinf(rx) & (rx == ry)
    if same_inf.any():
        d = _where(same_inf, 0.0, d)    # Where gives the NaN branch a gradient of exactly 0
    rd = raw(d)
    x_ahead = rd >= 0                   # constant masks: the sign of x − y
    sign = np.where(x_ahead, 1.0, -1.0).astype(rd.dtype)
    e = np.exp(-(d * sign) * scale if scale != 1.0 else -(d * sign))
    den = 1 + e
    return (x_ahead + ~x_ahead * e) / den, (~x_ahead + x_ahead * e) / den


class LogAddExp(Function):
    """out = log(eˣ + eʸ);  ∂out/∂x = eˣ/(eˣ + eʸ) = σ(x − y), ∂out/∂y = σ(y − x)."""
    scale = 1.0     # of x − y in the shares: logaddexp2's are σ((x − y)·ln 2)

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _call("logaddexp", np.logaddexp, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        sx, sy = _shares(x, y, type(ctx).scale)
        return (grad_output * sx if need[0] else None, grad_output * sy if need[1] else None)


class LogAddExp2(LogAddExp):
    """out = log₂(2ˣ + 2ʸ);  ∂out/∂x = 2ˣ/(2ˣ + 2ʸ) = σ((x − y)·ln 2), ∂out/∂y likewise."""
    scale = _LN2

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _call("logaddexp2", np.logaddexp2, x, y)


class FMax(Function):
    """out = fmax(x, y), the larger, ignoring NaN;  the gradient goes to the operand returned,
    half to each where x = y (as maximum's), all to x where both are NaN."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _call("fmax", np.fmax, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        rx, ry = raw(x), raw(y)
        return _pick(ctx, grad_output, (rx > ry) | np.isnan(ry), rx == ry)


class FMin(Function):
    """out = fmin(x, y), the smaller, ignoring NaN;  the gradient goes to the operand returned,
    half to each where x = y (as minimum's), all to x where both are NaN."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return _call("fmin", np.fmin, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        rx, ry = raw(x), raw(y)
        return _pick(ctx, grad_output, (rx < ry) | np.isnan(ry), rx == ry)


def _pick(ctx, grad_output, x_wins, tie):
    # x_wins and tie are constant masks: where ry is NaN, x wins (x == NaN is never a tie)
    need = ctx.needs_input_grad
    if not tie.any():
        gx = grad_output * x_wins if need[0] else None
        gy = grad_output * ~x_wins if need[1] else None
        return gx, gy
    half = grad_output * 0.5
    gx = grad_output * x_wins + half * tie if need[0] else None
    gy = grad_output * ~(x_wins | tie) + half * tie if need[1] else None
    return gx, gy


class Mod(Function):
    """out = x − floor(x/y)·y (Python's sign convention: the sign of y);  ∂out/∂x = 1,
    ∂out/∂y = −floor(x/y), the quotient numpy's floor_divide gives (a constant)."""

    @staticmethod
    def forward(ctx, x, y, name="mod"):
        out = _call(name, np.remainder, x, y)
        if _needs(ctx, 1):
            with np.errstate(all="ignore"):     # numpy's warning, if any, came with out
                ctx.minus_q = -np.floor_divide(x, y)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        need = ctx.needs_input_grad
        return (grad_output if need[0] else None,
                grad_output * ctx.minus_q if need[1] else None)


class FMod(Function):
    """out = x − trunc(x/y)·y (C's convention: the sign of x);  ∂out/∂x = 1,
    ∂out/∂y = −trunc(x/y), taken as (x − out)/y rounded: the quotient fmod used."""

    @staticmethod
    def forward(ctx, x, y):
        out = _call("fmod", np.fmod, x, y)
        if _needs(ctx, 1):
            with np.errstate(all="ignore"):
                ctx.minus_q = -np.rint((x - out) / y)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        need = ctx.needs_input_grad
        return (grad_output if need[0] else None,
                grad_output * ctx.minus_q if need[1] else None)


class FloorDivide(Function):
    """out = floor(x/y);  piecewise constant: ∂out/∂x = ∂out/∂y = 0 (zeros, not None)."""

    @staticmethod
    def forward(ctx, x, y):
        return _call("floor_divide", np.floor_divide, x, y)

    @staticmethod
    def backward(ctx, grad_output):
        need = ctx.needs_input_grad
        zero = np.zeros_like(grad_output)
        return (zero if need[0] else None, zero if need[1] else None)


_hypot = dual(Hypot)


# ----------------------------------------------------------------------------- functions
def _apply(op, cls, ufunc, x, y, out, dtype, **kwargs):
    """The common front of the public functions: numpy's ``out`` refused, operands checked,
    ``dtype`` applied by casting both operands (a floating one is recorded and differentiated;
    any other gives numpy's result, with no gradient)."""
    if out is not None:
        raise TypeError(f"{op}: out= is not supported (autograd's ops return a new Tensor); "
                        f"got out of type {type(out).__name__}")
    # a list is numpy's array of it (not the default float dtype that Tensor(list) takes)
    x = np.asarray(x) if type(x) in (list, tuple) else x
    y = np.asarray(y) if type(y) in (list, tuple) else y
    check_real(op, "x1", x)
    check_real(op, "x2", y)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            try:
                return Tensor._make(np.asarray(ufunc(raw(x), raw(y), dtype=dtype)))
            except (TypeError, ValueError) as e:     # numpy's casting errors, and shapes
                kind = TypeError if isinstance(e, TypeError) else ValueError
                raise kind(f"{op}: cannot compute in dtype {dtype}: {e}") from None
        return cls.apply(astype(x, dtype), astype(y, dtype), **kwargs)
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = Tensor(x)          # Python numbers take the default float dtype, as everywhere
    return cls.apply(x, y, **kwargs)


_PARAMS = """
    Parameters
    ----------
    x1, x2 : array_like or Tensor
        The operands (positional); they broadcast as numpy's do. Python numbers and arrays
        work on either side.
    out : None
        Only None: autograd's ops return a new Tensor.
    dtype : data-type, optional
        Compute in this dtype, as numpy's ``dtype=``: the operands are cast to it (a floating
        dtype is differentiated through; any other gives numpy's result with no gradient).

    Returns
    -------
    Tensor
        Of the broadcast shape and numpy's result dtype.

    Raises
    ------
    TypeError
        For a complex (or non-numeric) operand, or ``out`` given.
    ValueError
        If the shapes do not broadcast together.
"""


def _doc(fn):
    fn.__doc__ = fn.__doc__.replace("    %(params)s\n", _PARAMS)
    return fn


@_doc
def arctan2(x, y, /, out=None, *, dtype=None):
    """Elementwise arc tangent of x1/x2, in the quadrant of the point (x2, x1).

    ∂out/∂x1 = x2/(x1² + x2²), ∂out/∂x2 = −x1/(x1² + x2²); both are taken as 0 at the origin
    (where the angle jumps), so no NaN comes out.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> y = ag.tensor([1.0, -1.0], requires_grad=True)
    >>> x = ag.tensor([1.0, 0.0], requires_grad=True)
    >>> out = ag.arctan2(y, x)
    >>> out
    Tensor([ 0.78539816, -1.57079633], grad_fn=<ArcTan2>)
    >>> out.sum().backward()
    >>> y.grad, x.grad
    (Tensor([0.5, 0. ]), Tensor([-0.5,  1. ]))
    """
    return _apply("arctan2", ArcTan2, np.arctan2, x, y, out, dtype)


@_doc
def hypot(x, y, /, out=None, *, dtype=None):
    """Elementwise √(x1² + x2²), without overflow for large operands.

    ∂out/∂x1 = x1/out, ∂out/∂x2 = x2/out; at (0, 0) both are taken as 0 (as ``abs`` at 0).
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([3.0, 0.0], requires_grad=True)
    >>> y = ag.tensor([4.0, 0.0], requires_grad=True)
    >>> out = ag.hypot(x, y)
    >>> out
    Tensor([5., 0.], grad_fn=<Hypot>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0.6, 0. ]), Tensor([0.8, 0. ]))
    """
    return _apply("hypot", Hypot, np.hypot, x, y, out, dtype)


@_doc
def logaddexp(x, y, /, out=None, *, dtype=None):
    """Elementwise log(e^x1 + e^x2), computed without overflow.

    ∂out/∂x1 = e^x1/(e^x1 + e^x2) = σ(x1 − x2), ∂out/∂x2 = σ(x2 − x1): each operand's share
    of the sum, computed from e^(−|x1 − x2|), which cannot overflow. An infinite operand takes
    the whole gradient (half each where both are the same infinity).
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([0.0, 1000.0], requires_grad=True)
    >>> out = ag.logaddexp(x, 0.0)
    >>> out
    Tensor([6.93147181e-01, 1.00000000e+03], grad_fn=<LogAddExp>)
    >>> out.sum().backward()
    >>> x.grad
    Tensor([0.5, 1. ])
    """
    return _apply("logaddexp", LogAddExp, np.logaddexp, x, y, out, dtype)


@_doc
def logaddexp2(x, y, /, out=None, *, dtype=None):
    """Elementwise log₂(2^x1 + 2^x2), computed without overflow.

    ∂out/∂x1 = 2^x1/(2^x1 + 2^x2), ∂out/∂x2 = 2^x2/(2^x1 + 2^x2), computed from
    2^(−|x1 − x2|), which cannot overflow. An infinite operand takes the whole gradient (half
    each where both are the same infinity).
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 3.0], requires_grad=True)
    >>> out = ag.logaddexp2(x, 1.0)
    >>> out
    Tensor([2.        , 3.32192809], grad_fn=<LogAddExp2>)
    >>> out.sum().backward()
    >>> x.grad
    Tensor([0.5, 0.8])
    """
    return _apply("logaddexp2", LogAddExp2, np.logaddexp2, x, y, out, dtype)


@_doc
def fmax(x, y, /, out=None, *, dtype=None):
    """Elementwise maximum that ignores NaN: where one operand is NaN, the other is returned.

    The gradient goes to the operand returned: where x1 = x2 it is split half and half, as
    :func:`maximum` splits it; where both are NaN, all of it goes to x1.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, np.nan, 3.0], requires_grad=True)
    >>> y = ag.tensor([2.0, 5.0, 3.0], requires_grad=True)
    >>> out = ag.fmax(x, y)
    >>> out
    Tensor([2., 5., 3.], grad_fn=<FMax>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0. , 0. , 0.5]), Tensor([1. , 1. , 0.5]))
    """
    return _apply("fmax", FMax, np.fmax, x, y, out, dtype)


@_doc
def fmin(x, y, /, out=None, *, dtype=None):
    """Elementwise minimum that ignores NaN: where one operand is NaN, the other is returned.

    The gradient goes to the operand returned: where x1 = x2 it is split half and half, as
    :func:`minimum` splits it; where both are NaN, all of it goes to x1.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, np.nan, 3.0], requires_grad=True)
    >>> y = ag.tensor([2.0, 5.0, 3.0], requires_grad=True)
    >>> out = ag.fmin(x, y)
    >>> out
    Tensor([1., 5., 3.], grad_fn=<FMin>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([1. , 0. , 0.5]), Tensor([0. , 1. , 0.5]))
    """
    return _apply("fmin", FMin, np.fmin, x, y, out, dtype)


@_doc
def mod(x, y, /, out=None, *, dtype=None):
    """Elementwise remainder of x1/x2 with the sign of x2 (Python's ``%``), as ``np.mod``.

    out = x1 − floor(x1/x2)·x2;  ∂out/∂x1 = 1, ∂out/∂x2 = −floor(x1/x2). Where x2 = 0 the value
    is NaN (numpy's, with its warning) and so is the gradient of x2.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([5.5, -5.5], requires_grad=True)
    >>> y = ag.tensor(2.0, requires_grad=True)
    >>> out = ag.mod(x, y)
    >>> out
    Tensor([1.5, 0.5], grad_fn=<Mod>)
    >>> out.sum().backward()
    >>> x.grad, y.grad                  # −(2 + (−3))
    (Tensor([1., 1.]), Tensor(1.))
    """
    return _apply("mod", Mod, np.remainder, x, y, out, dtype)


@_doc
def remainder(x, y, /, out=None, *, dtype=None):
    """Elementwise remainder of x1/x2 with the sign of x2: the same as :func:`mod`.

    out = x1 − floor(x1/x2)·x2;  ∂out/∂x1 = 1, ∂out/∂x2 = −floor(x1/x2).
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([7.0, -7.0], requires_grad=True)
    >>> out = ag.remainder(x, 3.0)
    >>> out
    Tensor([1., 2.], grad_fn=<Mod>)
    """
    return _apply("remainder", Mod, np.remainder, x, y, out, dtype, name="remainder")


@_doc
def fmod(x, y, /, out=None, *, dtype=None):
    """Elementwise remainder of x1/x2 with the sign of x1 (C's ``fmod``).

    out = x1 − trunc(x1/x2)·x2;  ∂out/∂x1 = 1, ∂out/∂x2 = −trunc(x1/x2). Where x2 = 0 the value
    is NaN (numpy's, with its warning) and so is the gradient of x2.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([5.5, -5.5], requires_grad=True)
    >>> y = ag.tensor(2.0, requires_grad=True)
    >>> out = ag.fmod(x, y)
    >>> out
    Tensor([ 1.5, -1.5], grad_fn=<FMod>)
    >>> out.sum().backward()
    >>> x.grad, y.grad                  # −(2 + (−2))
    (Tensor([1., 1.]), Tensor(0.))
    """
    return _apply("fmod", FMod, np.fmod, x, y, out, dtype)


@_doc
def floor_divide(x, y, /, out=None, *, dtype=None):
    """Elementwise floor(x1/x2) (Python's ``//``), as ``np.floor_divide``.

    Piecewise constant: its gradient is 0 for both operands (zeros, so that ``.grad`` is
    filled). Integer operands give numpy's integer result.
    %(params)s
    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([5.5, -5.5], requires_grad=True)
    >>> out = ag.floor_divide(x, 2.0)
    >>> out
    Tensor([ 2., -3.], grad_fn=<FloorDivide>)
    >>> out.sum().backward()
    >>> x.grad
    Tensor([0., 0.])
    """
    return _apply("floor_divide", FloorDivide, np.floor_divide, x, y, out, dtype)
