"""Elementwise arithmetic: add, sub, mul, div, pow, neg, exp, log, sqrt, abs, maximum, minimum,
where, clip, astype.

Every binary op broadcasts as numpy does; its backward returns gradients of the broadcast shape
and the engine sums them back to each input's shape.
"""
import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor, _t


def _broadcast_error(op, x, y):
    return ValueError(f"{op}: operands of shapes {np.shape(x)} and {np.shape(y)} do not "
                      f"broadcast together (trailing axes must be equal or 1)")


class Add(Function):
    """out = x + y;  ∂out/∂x = 1, ∂out/∂y = 1."""

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x + y
        except ValueError:
            raise _broadcast_error("add", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


class Sub(Function):
    """out = x − y;  ∂out/∂x = 1, ∂out/∂y = −1."""

    @staticmethod
    def forward(ctx, x, y):
        try:
            return x - y
        except ValueError:
            raise _broadcast_error("subtract", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, (-grad_output if ctx.needs_input_grad[1] else None)


class AddInPlace(Add):
    """x += y written into x's own array: what ``Tensor.__iadd__`` records when nothing else can
    see that array (see ``Tensor._alone``). The derivatives are Add's, which need neither
    input, so the old value of x is needed by no one."""

    @staticmethod
    def forward(ctx, x, y):
        return np.add(x, y, out=x)


class SubInPlace(Sub):
    """x −= y written into x's own array (``Tensor.__isub__``, as AddInPlace); Sub's
    derivatives."""

    @staticmethod
    def forward(ctx, x, y):
        return np.subtract(x, y, out=x)


class Mul(Function):
    """out = x · y;  ∂out/∂x = y, ∂out/∂y = x."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        try:
            return x * y
        except ValueError:
            raise _broadcast_error("multiply", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        return (grad_output * y if need[0] else None,
                grad_output * x if need[1] else None)


class Div(Function):
    """out = x / y;  ∂out/∂x = 1/y, ∂out/∂y = −x/y²."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        try:
            return x / y
        except ValueError:
            raise _broadcast_error("divide", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = grad_output / y if need[0] else None
        gy = -(grad_output * x) / (y * y) if need[1] else None
        return gx, gy


class Pow(Function):
    """out = x ** p;  ∂out/∂x = p·x^(p−1), ∂out/∂p = out·log x (taken as 0 where x ≤ 0).

    Where p = 0, ∂out/∂x is 0 for every x, 0 included (x ** 0 is the constant 1): where
    p = x = 0 the rule takes x as 1, so that p·x^(p−1) is 0·1 = 0 rather than 0·0⁻¹ = NaN, and
    stays 0 when differentiated again.
    """

    @staticmethod
    def forward(ctx, x, p):
        try:
            out = np.power(x, p)
        except ValueError:
            raise _broadcast_error("power", x, p) from None
        ctx.save_for_backward(x, p, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, p, out = ctx.saved_tensors
        need = ctx.needs_input_grad
        gx = None
        if need[0]:
            base = x
            zero = raw(p) == 0
            if zero is not False and np.any(zero):      # (a number p: no numpy call)
                # p·x^(p−1) is 0·0⁻¹ where p = x = 0: x taken as 1 there (a constant mask) makes
                # it 0, and keeps ∂/∂p = x^(p−1) right wherever x ≠ 0
                zero = zero & (raw(x) == 0)
                if np.any(zero):
                    base = _where(zero, 1.0, x)
            gx = grad_output * p * base ** (p - 1)
        gp = None
        if need[1]:
            positive = raw(x) > 0
            gp = grad_output * out * _log(_where(positive, x, 1))
        return gx, gp


class Neg(Function):
    """out = −x;  ∂out/∂x = −1."""

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


class Exp(Function):
    """out = eˣ;  ∂out/∂x = eˣ = out (the output is saved)."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        return grad_output * out


class Log(Function):
    """out = ln x;  ∂out/∂x = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / x


class Sqrt(Function):
    """out = √x;  ∂out/∂x = 1 / (2√x) = 1 / (2·out)."""

    @staticmethod
    def forward(ctx, x):
        out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        return grad_output / (out + out)


class Abs(Function):
    """out = |x|;  ∂out/∂x = sign(x), which is 0 at x = 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * np.sign(raw(x))


class Maximum(Function):
    """out = max(x, y) elementwise;  the gradient goes to the larger input, split half and half
    where x = y (so that maximum(x, x) has derivative 1)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        try:
            return np.maximum(x, y)
        except ValueError:
            raise _broadcast_error("maximum", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return _pick(ctx, grad_output, raw(x) > raw(y), raw(x) == raw(y))


class Minimum(Function):
    """out = min(x, y) elementwise;  the gradient goes to the smaller input, split half and half
    where x = y."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        try:
            return np.minimum(x, y)
        except ValueError:
            raise _broadcast_error("minimum", x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return _pick(ctx, grad_output, raw(x) < raw(y), raw(x) == raw(y))


def _pick(ctx, grad_output, x_wins, tie):
    half = grad_output * 0.5
    gx = grad_output * x_wins + half * tie if ctx.needs_input_grad[0] else None
    gy = grad_output * ~(x_wins | tie) + half * tie if ctx.needs_input_grad[1] else None
    return gx, gy


class Where(Function):
    """out = x where cond else y;  the gradient goes to x where cond holds and to y elsewhere.

    The branch not taken receives a gradient of exactly 0 (never 0 · something), so an inf or
    NaN in it does not reach the chosen branch's gradient through this op.
    """

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.save_for_backward(cond)
        try:
            return np.where(cond, x, y)
        except ValueError:
            raise ValueError(f"where: cond, x and y of shapes {np.shape(cond)}, {np.shape(x)} "
                             f"and {np.shape(y)} do not broadcast together") from None

    @staticmethod
    def backward(ctx, grad_output):
        cond, = ctx.saved_tensors
        cond = raw(cond)
        need = ctx.needs_input_grad
        gx = _where(cond, grad_output, 0) if need[1] else None
        gy = _where(cond, 0, grad_output) if need[2] else None
        return None, gx, gy


class Clip(Function):
    """out = min(max(x, a_min), a_max);  ∂out/∂x = 1 where a_min ≤ x ≤ a_max, else 0."""

    @staticmethod
    def forward(ctx, x, a_min=None, a_max=None):
        ctx.save_for_backward(x)
        ctx.bounds = (a_min, a_max)
        return np.clip(x, a_min, a_max)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        x = raw(x)
        lo, hi = ctx.bounds
        inside = np.ones(x.shape, dtype=bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        return grad_output * inside


class AsType(Function):
    """out = x cast to another floating dtype;  the gradient is cast back to x's dtype."""

    @staticmethod
    def forward(ctx, x, dtype=None):
        ctx.dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.astype(ctx.dtype)


_log = dual(Log)
_where = dual(Where)


# ----------------------------------------------------------------------------- functions
def add(x, y):
    """x + y elementwise, with numpy's broadcasting.

    ∂out/∂x = 1, ∂out/∂y = 1. Each gradient is summed back to its operand's shape where it was
    broadcast.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tensor(3.0, requires_grad=True)
    >>> out = ag.add(x, y)
    >>> out
    Tensor([4., 5.], grad_fn=<Add>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([1., 1.]), Tensor(2.))
    """
    return Add.apply(_t(x), y)


def subtract(x, y):
    """x − y elementwise, with numpy's broadcasting.

    ∂out/∂x = 1, ∂out/∂y = −1. Each gradient is summed back to its operand's shape where it was
    broadcast.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tensor(3.0, requires_grad=True)
    >>> out = ag.subtract(x, y)
    >>> out
    Tensor([-2., -1.], grad_fn=<Sub>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([1., 1.]), Tensor(-2.))
    """
    return Sub.apply(_t(x), y)


def multiply(x, y):
    """x · y elementwise, with numpy's broadcasting.

    ∂out/∂x = y, ∂out/∂y = x. Each gradient is summed back to its operand's shape where it was
    broadcast.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tensor(3.0, requires_grad=True)
    >>> out = ag.multiply(x, y)
    >>> out
    Tensor([3., 6.], grad_fn=<Mul>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([3., 3.]), Tensor(3.))
    """
    return Mul.apply(_t(x), y)


def divide(x, y):
    """x / y elementwise, with numpy's broadcasting.

    ∂out/∂x = 1/y, ∂out/∂y = −x/y². Each gradient is summed back to its operand's shape where it was
    broadcast.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tensor(3.0, requires_grad=True)
    >>> out = ag.divide(x, y)
    >>> out
    Tensor([0.33333333, 0.66666667], grad_fn=<Div>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0.33333333, 0.33333333]), Tensor(-0.33333333))
    """
    return Div.apply(_t(x), y)


def power(x, p):
    """x ** p elementwise, with numpy's broadcasting.

    ∂out/∂x = p·x^(p−1), and 0 wherever p = 0, x = 0 included (``x ** 0`` is constant: its
    derivatives in x of every order are 0, never NaN); ∂out/∂p = out·log x, taken as 0 where
    x ≤ 0. A constant exponent (a number, not a Tensor) gets no gradient, and ``x ** 2``
    computes exactly ``x·x``.

    Parameters
    ----------
    x : array_like or Tensor
        The base.
    p : array_like or Tensor
        The exponent; a Tensor that requires grad gets a gradient.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> p = ag.tensor(3.0, requires_grad=True)
    >>> out = ag.power(x, p)
    >>> out
    Tensor([1., 8.], grad_fn=<Pow>)
    >>> out.sum().backward()
    >>> x.grad                       # 3x²
    Tensor([ 3., 12.])
    >>> p.grad                       # Σ x³·log x = 8 log 2
    Tensor(5.54517744)
    """
    if not isinstance(x, Tensor) and not isinstance(p, Tensor):
        x = Tensor(x)
    return Pow.apply(x, p)


def negative(x):
    """−x elementwise; ∂out/∂x = −1.

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, -2.0], requires_grad=True)
    >>> out = ag.negative(x)
    >>> out
    Tensor([-1.,  2.], grad_fn=<Neg>)
    >>> out.sum().backward()
    >>> x.grad
    Tensor([-1., -1.])
    """
    return Neg.apply(_t(x))


def exp(x):
    """eˣ elementwise; ∂out/∂x = eˣ.

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.exp(x)
    >>> y
    Tensor([2.71828183, 7.3890561 ], grad_fn=<Exp>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([2.71828183, 7.3890561 ])
    """
    return Exp.apply(_t(x))


def log(x):
    """Natural logarithm elementwise; ∂out/∂x = 1/x.

    As numpy's, it gives −inf at 0 and NaN below (with numpy's warning).

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.log(x)
    >>> y
    Tensor([0.        , 0.69314718], grad_fn=<Log>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1. , 0.5])
    """
    return Log.apply(_t(x))


def sqrt(x):
    """Square root elementwise; ∂out/∂x = 1 / (2√x).

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 4.0], requires_grad=True)
    >>> y = ag.sqrt(x)
    >>> y
    Tensor([1., 2.], grad_fn=<Sqrt>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.5 , 0.25])
    """
    return Sqrt.apply(_t(x))


def abs(x):  # noqa: A001 - numpy's name
    """|x| elementwise; its derivative at 0 is 0.

    ∂out/∂x = sign(x).

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> y = ag.abs(x)
    >>> y
    Tensor([2., 0., 3.], grad_fn=<Abs>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([-1.,  0.,  1.])
    """
    return Abs.apply(_t(x))


def maximum(x, y):
    """Elementwise maximum; ties split the gradient equally.

    The gradient goes to the larger input, half to each where x = y (so that
    ``maximum(x, x)`` has derivative 1).

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 3.0], requires_grad=True)
    >>> b = ag.tensor([2.0, 3.0], requires_grad=True)
    >>> out = ag.maximum(a, b)
    >>> out
    Tensor([2., 3.], grad_fn=<Maximum>)
    >>> out.sum().backward()
    >>> a.grad, b.grad
    (Tensor([0. , 0.5]), Tensor([1. , 0.5]))
    """
    return Maximum.apply(_t(x), y)


def minimum(x, y):
    """Elementwise minimum; ties split the gradient equally.

    The gradient goes to the smaller input, half to each where x = y.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands; they broadcast as numpy's do.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 3.0], requires_grad=True)
    >>> b = ag.tensor([2.0, 3.0], requires_grad=True)
    >>> out = ag.minimum(a, b)
    >>> out
    Tensor([1., 3.], grad_fn=<Minimum>)
    >>> out.sum().backward()
    >>> a.grad, b.grad
    (Tensor([1. , 0.5]), Tensor([0. , 0.5]))
    """
    return Minimum.apply(_t(x), y)


def where(cond, x, y):
    """x where ``cond`` (boolean) holds, y elsewhere; see :class:`Where` for the gradient.

    The gradient goes to x where ``cond`` holds and to y elsewhere; the branch not taken gets
    exactly 0, so an inf or NaN there does not reach the other's gradient.

    Parameters
    ----------
    cond : array_like or Tensor of bool
        The mask (no gradient).
    x, y : array_like or Tensor
        The values; ``cond``, x and y broadcast together.

    Returns
    -------
    Tensor
        Of the broadcast shape.

    Raises
    ------
    TypeError
        If ``cond`` is not boolean.
    ValueError
        If the shapes do not broadcast together.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = ag.tensor([10.0, 20.0], requires_grad=True)
    >>> out = ag.where(x > 1.5, x, y)
    >>> out
    Tensor([10.,  2.], grad_fn=<Where>)
    >>> out.sum().backward()
    >>> x.grad, y.grad
    (Tensor([0., 1.]), Tensor([1., 0.]))
    """
    cond = raw(cond)
    if not isinstance(cond, np.ndarray) or cond.dtype != bool:
        cond = np.asarray(cond)
        if cond.dtype != bool:
            raise TypeError(f"where: cond must be boolean, got dtype {cond.dtype}")
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = Tensor(x)
    return Where.apply(cond, x, y)


def clip(x, a_min=None, a_max=None):
    """Limit x to [a_min, a_max]; the gradient passes where a_min ≤ x ≤ a_max.

    Bounds that are Tensors requiring grad get their share of the gradient too: the result is
    then :func:`maximum` and :func:`minimum`, whose ties split the gradient, so where x equals
    such a bound, x and the bound get half each.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    a_min, a_max : scalar, array_like, Tensor or None, optional
        The bounds; one of them may be None (no bound on that side).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If both bounds are None.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    >>> y = ag.clip(x, 0.0, 1.0)
    >>> y
    Tensor([0. , 0.5, 1. ], grad_fn=<Clip>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0., 1., 0.])
    """
    if a_min is None and a_max is None:
        raise ValueError("clip: a_min and a_max cannot both be None")
    if any(isinstance(b, Tensor) and b.requires_grad for b in (a_min, a_max)):
        out = _t(x)
        if a_min is not None:
            out = maximum(out, a_min)
        if a_max is not None:
            out = minimum(out, a_max)
        return out
    return Clip.apply(_t(x), a_min=raw(a_min), a_max=raw(a_max))


def astype(x, dtype):
    """A copy of x cast to ``dtype``. Casting to a non-floating dtype cuts the graph.

    Between floating dtypes the cast is recorded, and the gradient is cast back to x's dtype.

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    dtype : data-type
        The dtype of the copy.

    Returns
    -------
    Tensor
        A new array, even when ``dtype`` is x's.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.5, 2.5], requires_grad=True)
    >>> y = ag.astype(x, np.float32)
    >>> y
    Tensor([1.5, 2.5], dtype=float32, grad_fn=<AsType>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1., 1.])
    >>> ag.astype(x, np.int32)              # no gradient
    Tensor([1, 2], dtype=int32)
    """
    x = _t(x)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        return Tensor._make(x._data.astype(dtype))
    if dtype == x.dtype:
        return AsType.apply(x, dtype=dtype) if x.requires_grad else Tensor._make(x._data.copy())
    return AsType.apply(x, dtype=dtype)
