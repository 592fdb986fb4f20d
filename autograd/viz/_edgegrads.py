"""The gradient along every edge of a graph, for ``draw_graph(show_grads=True)``.

The engine's backward hands each gradient to the next node and keeps none of them, so this runs
the same pass once more on the side: the same Kahn order, the same per-op backward rules and the
engine's own helpers for unbroadcasting and multi-output nodes, with gradient recording off. It
writes no ``.grad`` and frees nothing (the graph stays usable); it needs the arrays the ops
saved, so it works before ``backward()`` or after ``backward(retain_graph=True)``.

Each root is seeded with ones: the gradients are those of the sum of the roots (for a scalar
loss, the gradient of the loss).
"""
import numpy as np

from .. import engine as _engine
from ..function import _FREED
from ..mode import _mode
from ..tensor import Tensor


class GradsUnavailable(RuntimeError):
    """The backward rules cannot run again (saved arrays freed, or a rule failed)."""


def edge_gradients(roots, nodes, summarize):
    """Gradients as ``summarize(array)`` results.

    Returns ``(edge, out, leaf)``: ``edge[(node, i)]`` for the gradient flowing back into input
    ``i`` of ``node``; ``out[(node, nr)]`` for the total gradient of that node's output ``nr``;
    ``leaf[id(t)]`` for a leaf's total gradient. ``nodes`` are the graph's nodes (to check that
    their saved arrays still exist before running anything).
    """
    for node in nodes:
        if node.__dict__.get("_saved") is _FREED:
            raise GradsUnavailable(
                "the graph's saved arrays were freed by backward(); draw before backward or "
                "call backward(retain_graph=True)")
    buffers, leaf_arrays = {}, {}
    edge, out = {}, {}
    root_nodes = []
    for t in roots:
        if not t.requires_grad:
            continue
        g = np.ones(t.shape, dtype=t.dtype)
        if t.grad_fn is None:
            old = leaf_arrays.get(id(t))
            leaf_arrays[id(t)] = g if old is None else old + g
        else:
            root_nodes.append(t.grad_fn)
            _engine._add(buffers, t.grad_fn, t._nr, g, t.grad_fn._n_out)
    deps = _engine._count_dependencies(root_nodes)
    ready = [n for n in dict.fromkeys(root_nodes) if deps[n] == 0]
    prev = _mode.enabled
    _mode.enabled = False
    try:
        while ready:
            node = ready.pop()
            grad_out = buffers.pop(node, None)
            if grad_out is not None:
                if node._n_out == 1:
                    out[(node, 0)] = summarize(grad_out)
                    result = node.backward(node, grad_out)
                else:
                    grads = _engine._fill_missing(node, grad_out, False)
                    for nr, g in enumerate(grads):
                        out[(node, nr)] = summarize(g)
                    result = node.backward(node, *grads)
                result = _engine._check_arity(node, result)
            for i, e in enumerate(node._next):
                if e is None:
                    continue
                if isinstance(e, Tensor):
                    child, nr = None, 0
                else:
                    child, nr = e if type(e) is tuple else (e, 0)
                g = result[i] if grad_out is not None else None
                if g is not None:
                    g = np.asarray(g.data if isinstance(g, Tensor) else g)
                    shape, dtype = node._meta[i]
                    if g.shape != shape:
                        g = _engine._unbroadcast(g, shape, node, i)
                    if g.dtype != dtype:
                        g = g.astype(dtype)
                    edge[(node, i)] = summarize(g)
                    if child is None:
                        old = leaf_arrays.get(id(e))
                        leaf_arrays[id(e)] = g if old is None else old + g
                    else:
                        _engine._add(buffers, child, nr, g, child._n_out)
                if child is not None:
                    deps[child] -= 1
                    if deps[child] == 0:
                        ready.append(child)
    except Exception as exc:
        raise GradsUnavailable(f"re-running backward failed: {type(exc).__name__}: {exc}") \
            from exc
    finally:
        _mode.enabled = prev
    leaf = {k: summarize(g) for k, g in leaf_arrays.items()}
    return edge, out, leaf

