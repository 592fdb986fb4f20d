"""Linear algebra: matmul, with numpy's rules for 1-D operands and batch broadcasting."""
import numpy as np

from ..function import Function
from ..tensor import Tensor


class MatMul(Function):
    """out = x @ y;  ∂L/∂x = g @ yᵀ, ∂L/∂y = xᵀ @ g (ᵀ swaps the last two axes).

    A 1-D x is treated as a row (1, n) and a 1-D y as a column (n, 1), as numpy does; backward
    puts the removed axis back into g, applies the two products, and drops it again. Batch axes
    broadcast; the engine sums the gradient back over them.
    """

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        try:
            return x @ y
        except ValueError:
            raise _shape_error(np.asarray(x), np.asarray(y)) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        need = ctx.needs_input_grad
        x_vec, y_vec = x.ndim == 1, y.ndim == 1
        # gy first: the node below x reads gx next (a ReLU's mask, say), and made last it is
        # still in cache then (made first, the pass over x and g would evict it)
        if not (x_vec or y_vec):
            gy = x.swapaxes(-1, -2) @ grad_output if need[1] else None
            gx = grad_output @ y.swapaxes(-1, -2) if need[0] else None
            return gx, gy
        g = grad_output
        if x_vec:
            x = x.reshape((1,) + x.shape)
            g = g.reshape(g.shape[:-1] + (1,) + g.shape[-1:]) if not y_vec else g
        if y_vec:
            y = y.reshape(y.shape + (1,))
            g = g.reshape(g.shape + (1,)) if not x_vec else g.reshape((1, 1))
        gx = gy = None
        if need[1]:
            gy = x.swapaxes(-1, -2) @ g
            if y_vec:   # (..., n, 1) -> (..., n)
                gy = gy.reshape(gy.shape[:-1])
        if need[0]:
            gx = g @ y.swapaxes(-1, -2)
            if x_vec:   # (..., 1, n) -> (..., n); the engine sums the batch axes
                gx = gx.reshape(gx.shape[:-2] + gx.shape[-1:])
        return gx, gy


def _shape_error(x, y):
    if x.ndim == 0 or y.ndim == 0:
        return ValueError(f"matmul: operands must have at least one axis, got shapes "
                          f"{x.shape} and {y.shape} (use * to scale)")
    n_x = x.shape[-1]
    n_y = y.shape[0] if y.ndim == 1 else y.shape[-2]
    if n_x != n_y:
        return ValueError(f"matmul: shapes {x.shape} and {y.shape} are not aligned: the last "
                          f"axis of x ({n_x}) must equal the "
                          f"{'only' if y.ndim == 1 else 'second-to-last'} axis of y ({n_y})")
    return ValueError(f"matmul: the batch axes of shapes {x.shape} and {y.shape} do not "
                      f"broadcast")


def matmul(x, y):
    """Matrix product with numpy's semantics (1-D operands, broadcast batch axes).

    ∂L/∂x = g @ yᵀ, ∂L/∂y = xᵀ @ g (ᵀ swaps the last two axes). A 1-D x is a row and a 1-D y
    a column, whose axis is dropped from the result, as in numpy; batch axes broadcast, and
    their gradients are summed back.

    Parameters
    ----------
    x, y : array_like or Tensor
        The operands, each with at least one axis.

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If an operand is 0-d (use ``*`` to scale), the inner axes differ, or the batch axes
        do not broadcast.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> w = ag.tensor([[1.0], [-1.0]], requires_grad=True)
    >>> out = ag.matmul(x, w)
    >>> out
    Tensor([[-1.],
            [-1.]], grad_fn=<MatMul>)
    >>> out.sum().backward()
    >>> w.grad                        # xᵀ @ ones
    Tensor([[4.],
            [6.]])
    >>> ag.matmul(x, ag.tensor([1.0, 2.0]))        # a 1-D y
    Tensor([ 5., 11.], grad_fn=<MatMul>)
    """
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        x = Tensor(x)
    return MatMul.apply(x, y)
