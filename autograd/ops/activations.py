"""The chapter's hidden and output units (D13–D19): relu, leaky_relu, elu, sigmoid, tanh,
softplus, softmax, log_softmax.

Where the derivative is cheapest in the output (sigmoid, tanh, softmax, log_softmax) the output
is saved, so the input can be freed.
"""
import numpy as np

from ..function import Function, dual, grad_times, raw
from ..tensor import _t
from .creation import zeros_operand
from .elementwise import Exp, Where
from .reductions import (_axis_tuple, _max_shift, _reduce_kept, shifted_columns, short_rows,
                         sum_in_rule)


class ReLU(Function):
    """D15. out = max(0, x);  ∂out/∂x = 1 for x > 0, 0 for x ≤ 0 (0 at x = 0, as the common
    libraries do: the chapter leaves that point open)."""

    @staticmethod
    def forward(ctx, x):
        out = np.maximum(x, zeros_operand(x))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        return grad_times(ctx, grad_output, raw(out) > 0)


class ReLUInPlace(ReLU):
    """``Tensor.relu_()`` written into x's own array, when nothing else can see it (see
    ``Tensor._alone``); ReLU's derivative, from the output it saves (that same array)."""

    @staticmethod
    def forward(ctx, x):
        out = np.maximum(x, zeros_operand(x), out=x)
        ctx.save_for_backward(out)
        return out


class LeakyReLU(Function):
    """D16. out = x for x > 0, α·x for x ≤ 0;  ∂out/∂x = 1 for x > 0, α for x ≤ 0."""

    @staticmethod
    def forward(ctx, x, negative_slope=0.01):
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        if not negative_slope:      # ∞·0 is NaN: max(x, 0·x) would lose x = ∞
            return np.where(x > 0, x, x * negative_slope)
        # max(x, αx) for α ≤ 1, min(x, αx) for α > 1: the same values as a select on x > 0,
        # without np.where, whose branch on every element is slow on random signs
        pick = np.maximum if negative_slope <= 1 else np.minimum
        return pick(x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        # the factor (α or 1) gathered by the mask, then one multiply: exact, and branch-free
        factors = np.array([ctx.slope, 1.0], dtype=raw(grad_output).dtype)
        return grad_times(ctx, grad_output, factors.take((raw(x) > 0).view(np.uint8)))


class ELU(Function):
    """D14. out = x for x > 0, α(eˣ − 1) for x ≤ 0;  ∂out/∂x = 1 for x > 0, α·eˣ = out + α for
    x ≤ 0. The output tends to −α as x → −∞."""

    @staticmethod
    def forward(ctx, x, alpha=1.0):
        positive = x > 0
        # expm1 of min(x, 0): no overflow for large positive x, full precision near 0.
        out = np.where(positive, x, alpha * np.expm1(np.minimum(x, zeros_operand(x))))
        ctx.save_for_backward(positive, out)
        ctx.alpha = alpha
        return out

    @staticmethod
    def backward(ctx, grad_output):
        positive, out = ctx.saved_tensors
        return _where(raw(positive), grad_output, grad_output * (out + ctx.alpha))


class Sigmoid(Function):
    """D17. σ(x) = 1 / (1 + e⁻ˣ);  σ' = σ(1 − σ). Computed without overflow for any x."""

    @staticmethod
    def forward(ctx, x):
        e = np.exp(-np.abs(x))            # in (0, 1]: never overflows
        d = 1.0 + e                       # float literals: an int scalar costs numpy more
        # 1/d for x ≥ 0, e/d below: the numerator is max(e, [x ≥ 0]) since 0 < e ≤ 1 (a select
        # without np.where's branch per element)
        out = np.maximum(e, x >= 0)
        out /= d
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        return grad_output * out * (1.0 - out)


class Tanh(Function):
    """D18. out = tanh x;  ∂out/∂x = 1 − tanh² x = 1 − out²."""

    @staticmethod
    def forward(ctx, x):
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, = ctx.saved_tensors
        # 1.0, not 1: numpy handles a Python float against a float array faster than an int
        return grad_times(ctx, grad_output, 1.0 - out * out)


class Softplus(Function):
    """out = log(1 + eˣ) (D7's loss);  ∂out/∂x = σ(x). Stable for any x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.logaddexp(0, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * _sigmoid(x)


class Softmax(Function):
    """D8, D10. y = softmax(x) along ``axis``: y_i = e^(x_i) / Σ_j e^(x_j).

    Jacobian: ∂y_i/∂x_j = y_i(δ_ij − y_j), the matrix diag(y) − y yᵀ.
    Backward applies it without forming it: since the Jacobian is symmetric,
    (Jᵀg)_j = Σ_i g_i y_i(δ_ij − y_j) = y_j (g_j − Σ_i g_i y_i), i.e. y ⊙ (g − Σ g⊙y).
    Entries of −inf (masked) get probability 0. Logits of the classifier shape
    (``short_rows``) are worked on transposed, as in LogSoftmax, which is faster; the output and
    the input's gradient are then F-ordered.
    """

    @staticmethod
    def forward(ctx, x, axis=-1):
        ctx.axis = axis
        ctx.transposed = short_rows(x, axis) and x.dtype.kind == "f"
        if ctx.transposed:
            e = shifted_columns(x)               # a fresh copy, written in place from here
            np.exp(e, out=e)
            e /= np.add.reduce(e, axis=0, keepdims=True)
            out = e.T
        else:
            e = np.exp(x - _max_shift(x, axis))
            out = e / _reduce_kept(np.add, e, axis)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        if ctx.transposed and type(grad_output) is np.ndarray:
            # classes along the first axis of y.T (C-contiguous), as in forward
            yt, g = y.T, np.ascontiguousarray(grad_output.T)
            return (yt * (g - np.add.reduce(g * yt, axis=0, keepdims=True))).T
        return y * (grad_output - sum_in_rule(grad_output * y, ctx.axis, keepdims=True))


class LogSoftmax(Function):
    """D9. out = log softmax(x) = x − log Σ_j e^(x_j) along ``axis``, stable for any logits.

    ∂out_i/∂x_j = δ_ij − softmax(x)_j, so the backward is g − softmax(x) · Σ g. The forward
    pass has e = e^(x − max) and s = Σ e already, so a plain backward takes softmax(x) as
    e · (1/s) from them rather than recomputing e^(out); a recorded one computes e^(out) with
    ops, differentiable again. Logits of the classifier shape (``short_rows``: many samples, few
    classes) are worked on transposed, classes along the first axis, so that every broadcast of
    the row maxima and sums runs along the long axis; the output and the input's gradient are
    then the transposes of C-contiguous arrays (F-ordered, of the same shape).
    """

    @staticmethod
    def forward(ctx, x, axis=-1):
        ctx.axis = axis
        ctx.transposed = short_rows(x, axis) and x.dtype.kind == "f"
        if ctx.transposed:
            out = shifted_columns(x)             # a fresh copy, written in place from here
            e = np.exp(out)
            s = _reduce_kept(np.add, e, 0)
            out -= np.log(s)
            out = out.T
        else:
            out = x - _max_shift(x, axis)
            e = np.exp(out)
            s = _reduce_kept(np.add, e, axis)
            log_sum = np.log(s)
            if type(out) is np.ndarray and out.dtype == log_sum.dtype:
                out -= log_sum      # out is fresh: in place, one array fewer
            else:                   # integer logits, a 0-d scalar
                out = out - log_sum
        ctx.save_for_backward(out, e, s)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        out, e, s = ctx.saved_tensors
        if type(grad_output) is not np.ndarray:    # recorded: from ops, differentiable again
            return grad_output - _exp(out) * sum_in_rule(grad_output, ctx.axis, keepdims=True)
        if ctx.transposed:
            g = np.ascontiguousarray(grad_output.T)
            return (g - e * (np.add.reduce(g, axis=0) / s)).T
        return grad_output - e * (sum_in_rule(grad_output, ctx.axis, keepdims=True) / s)


_where = dual(Where)
_exp = dual(Exp)
_sigmoid = dual(Sigmoid)


# ----------------------------------------------------------------------------- functions
def _check_axis(x, axis, op):
    nd = x._data.ndim
    if type(axis) is int and -nd <= axis < nd:      # the usual call, checked at once
        return axis % nd
    if not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}")
    if x.ndim == 0 and axis in (0, -1):     # as PyTorch: a scalar is its own distribution
        return None
    return _axis_tuple(axis, x.ndim, op, x.shape)[0]


def relu(x):
    """D15: max(0, x); derivative 0 at x = 0.

    ∂out/∂x = 1 for x > 0 and 0 for x ≤ 0 (0 at x = 0, as the common libraries do).

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
    >>> x = ag.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    >>> y = ag.relu(x)
    >>> y
    Tensor([0., 0., 2.], grad_fn=<ReLU>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0., 0., 1.])
    """
    return ReLU.apply(_t(x))


def leaky_relu(x, negative_slope=0.01):
    """D16: x for x > 0, negative_slope·x otherwise.

    ∂out/∂x = 1 for x > 0, ``negative_slope`` for x ≤ 0.

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).
    negative_slope : float, optional
        The slope α for x ≤ 0 (default 0.01).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> y = ag.leaky_relu(x, negative_slope=0.1)
    >>> y
    Tensor([-0.2,  0. ,  3. ], grad_fn=<LeakyReLU>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.1, 0.1, 1. ])
    """
    return LeakyReLU.apply(_t(x), negative_slope=negative_slope)


def elu(x, alpha=1.0):
    """D14: x for x > 0, alpha·(eˣ − 1) otherwise.

    ∂out/∂x = 1 for x > 0, alpha·eˣ (= out + alpha) for x ≤ 0; the output tends to −alpha
    as x → −∞.

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).
    alpha : float, optional
        The scale α of the negative part (default 1.0).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    >>> y = ag.elu(x)
    >>> y
    Tensor([-0.63212056,  0.        ,  2.        ], grad_fn=<ELU>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.36787944, 1.        , 1.        ])
    """
    return ELU.apply(_t(x), alpha=alpha)


def sigmoid(x):
    """D17: 1 / (1 + e⁻ˣ), without overflow warnings at any x.

    σ' = σ(1 − σ).

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
    >>> x = ag.tensor([-1000.0, 0.0, 2.0], requires_grad=True)
    >>> y = ag.sigmoid(x)
    >>> y
    Tensor([0.        , 0.5       , 0.88079708], grad_fn=<Sigmoid>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.        , 0.25      , 0.10499359])
    """
    return Sigmoid.apply(_t(x))


def tanh(x):
    """D18: the hyperbolic tangent.

    ∂out/∂x = 1 − tanh²x.

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
    >>> x = ag.tensor([0.0, 0.5], requires_grad=True)
    >>> y = ag.tanh(x)
    >>> y
    Tensor([0.        , 0.46211716], grad_fn=<Tanh>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([1.        , 0.78644773])
    """
    return Tanh.apply(_t(x))


def softplus(x):
    """log(1 + eˣ), stable for any x; its derivative is sigmoid(x).

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
    >>> x = ag.tensor([-1.0, 0.0, 1000.0], requires_grad=True)
    >>> y = ag.softplus(x)
    >>> y
    Tensor([3.13261688e-01, 6.93147181e-01, 1.00000000e+03], grad_fn=<Softplus>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.26894142, 0.5       , 1.        ])
    """
    return Softplus.apply(_t(x))


def softmax(x, axis=-1):
    """D8/D10: softmax along ``axis``; see :class:`Softmax` for its Jacobian.

    y_i = e^(x_i) / Σ_j e^(x_j), computed stably for logits of any size;
    ∂y_i/∂x_j = y_i(δ_ij − y_j). Entries of −inf (masked) get probability 0. A 0-d input is
    its own distribution (axis 0 or −1).

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).
    axis : int, optional
        The axis the probabilities sum to 1 along (default −1, the last).

    Returns
    -------
    Tensor
        Of x's shape.

    Raises
    ------
    TypeError
        If ``axis`` is not an int.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds (a ``ValueError``).

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = ag.softmax(x)
    >>> y
    Tensor([0.09003057, 0.24472847, 0.66524096], grad_fn=<Softmax>)
    >>> y[0].backward()               # y_0 (δ_0j − y_j)
    >>> x.grad
    Tensor([ 0.08192507, -0.02203304, -0.05989202])
    >>> ag.softmax(ag.tensor([[1.0, 2.0], [1.0, -np.inf]]), axis=1)
    Tensor([[0.26894142, 0.73105858],
            [1.        , 0.        ]])
    """
    x = _t(x)
    return Softmax.apply(x, axis=_check_axis(x, axis, "softmax"))


def log_softmax(x, axis=-1):
    """D9: x − logsumexp(x) along ``axis``, stable for logits of any size.

    ∂out_i/∂x_j = δ_ij − softmax(x)_j. A 0-d input is its own distribution (axis 0 or −1).

    Parameters
    ----------
    x : array_like or Tensor
        The input (arrays and numbers are made Tensors).
    axis : int, optional
        The axis to normalize along (default −1, the last).

    Returns
    -------
    Tensor
        Of x's shape.

    Raises
    ------
    TypeError
        If ``axis`` is not an int.
    numpy.exceptions.AxisError
        If ``axis`` is out of bounds (a ``ValueError``).

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = ag.log_softmax(x)
    >>> y
    Tensor([-2.40760596, -1.40760596, -0.40760596], grad_fn=<LogSoftmax>)
    >>> y[0].backward()               # δ_0j − softmax(x)_j
    >>> x.grad
    Tensor([ 0.90996943, -0.24472847, -0.66524096])
    >>> ag.log_softmax(ag.tensor([1000.0, 0.0]))
    Tensor([    0., -1000.])
    """
    x = _t(x)
    return LogSoftmax.apply(x, axis=_check_axis(x, axis, "log_softmax"))
