"""The backward passes a transform takes: the gradients of its outputs at the point
(:func:`_backward`), one pass per output element for a Jacobian (:func:`_jacobian_blocks`), and
a derivative recorded with ``create_graph`` linked to the point it was taken at
(:class:`Derivative`), so that a transform around it sees the dependence.
"""
import numpy as np

from . import hooks as _hooks
from .engine import grad as _grad
from .function import Function
from .ops.shape import stack
from .tensor import Tensor
from .transform_checks import _depends, _unused, _zeros


class Derivative(Function):
    """A derivative that a transform computed with ``create_graph``, linked to the point it was
    taken at: the identity in the derivative, zero in the point. So a transform around it sees
    that it depends on the point, and a constant derivative (3 for 3x, a mask for relu)
    differentiates to zeros rather than to "not used"."""

    @staticmethod
    def forward(ctx, g, *xs):
        ctx.metas = [(np.shape(x), np.asarray(x).dtype) for x in xs]
        return np.array(g, copy=True)

    @staticmethod
    def backward(ctx, grad_output):
        return (grad_output,) + tuple(np.zeros(s, d) for s, d in ctx.metas)


def _link(t, outer, own):
    """``t``, a derivative recorded at the point ``outer`` (the arguments from an outer graph),
    linked to it; as it is if the pass that made it left the graph (``own``), so that an outer
    transform reports that rule."""
    if not outer or own:
        return t
    return Derivative.apply(t, *outer)


def _backward(outs, seeds, point, op, f, allow_unused, create_graph, retain_graph=None):
    """d(Σ_k seeds_k · outs_k)/dx for each of ``point``'s leaves (zeros or an error for those
    not used; None for them if ``allow_unused`` is None): (the gradients, the rules of that pass
    that left the graph)."""
    xs = point.xs
    live = [(o, s) for o, s in zip(outs, seeds) if _depends(o)]
    own = []
    if live:
        with _hooks.watch() as own:
            gs = list(_grad([o for o, _ in live], xs, grad_outputs=[s for _, s in live],
                            retain_graph=retain_graph, create_graph=create_graph,
                            allow_unused=True))
    else:
        gs = [None] * len(xs)
    return (gs if allow_unused is None else _unused(gs, xs, point.names, allow_unused, op, f)), own


def _jacobian_blocks(outs, point, create_graph, allow_unused, op, f, of="the output"):
    """J[i][j] = ∂outs_i/∂xs_j of shape outs_i.shape + xs_j.shape: one backward per element.

    Row k of block (i, j) is the gradient of outs_i's k-th element (in C order), i.e. the vjp
    with the one-hot cotangent e_k. Under ``create_graph`` the rows are Tensors, stacked (and
    linked to the point) so that the Jacobian itself can be differentiated. An input that no
    output depends on raises, unless ``allow_unused``.
    """
    xs = point.xs
    used = [False] * len(xs)
    blocks, own = [], []
    for out in outs:
        rows = [[] for _ in xs]
        if _depends(out) and out.size:
            for k in range(out.size):
                seed = np.zeros(out.size, out.dtype)
                seed[k] = 1
                with _hooks.watch() as left:
                    gs = _grad([out], xs, grad_outputs=[Tensor._make(seed.reshape(out.shape))],
                               retain_graph=True, create_graph=create_graph, allow_unused=True)
                own += left
                for j, (r, g, x) in enumerate(zip(rows, gs, xs)):
                    used[j] = used[j] or g is not None
                    r.append(_zeros(x) if g is None else g)
        elif _depends(out):
            used = [True] * len(xs)         # an empty output: its Jacobian is empty
        row_blocks = []
        for x, r in zip(xs, rows):
            if not r:
                row_blocks.append(Tensor._make(np.zeros(out.shape + x.shape, x.dtype)))
            elif create_graph:
                row_blocks.append(stack(r).reshape(out.shape + x.shape))
            else:
                row_blocks.append(Tensor._make(
                    np.stack([g._data for g in r]).reshape(out.shape + x.shape)))
        blocks.append(row_blocks)
    _unused([True if u else None for u in used], xs, point.names, allow_unused, op, f, of)
    if create_graph:
        blocks = [[_link(b, point.outer, own) for b in row] for row in blocks]
    return blocks
