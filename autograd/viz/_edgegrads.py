"""The gradient along every edge of a graph, for ``draw_graph(show_grads=True)``.

The engine's backward hands each gradient on to the next node and keeps none of them, so this
runs the pass once more on the side, relying only on the Function protocol (``_next``,
``_n_out``, ``_meta``, ``backward(ctx, *grads)``): the same dependency order, the per-op rules,
broadcast axes summed away as the engine does, with gradient recording off. It writes no
``.grad`` and frees nothing (the graph stays usable); it needs the arrays the ops saved, so it
works before ``backward()`` or after ``backward(retain_graph=True)``.

Each root is seeded with ones: the gradients are those of the sum of the roots (for a scalar
loss, the gradient of the loss).
"""
import numpy as np

from ..function import _FREED
from ..mode import _mode
from ..tensor import Tensor


class GradsUnavailable(RuntimeError):
    """The backward rules cannot run again (saved arrays freed, or a rule failed)."""


def _target(edge):
    """(child node or None for a leaf, output number)."""
    if isinstance(edge, Tensor):
        return None, 0
    return edge if type(edge) is tuple else (edge, 0)


def _unbroadcast(g, shape):
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + k for k, s in enumerate(shape)
                                      if s == 1 and g.shape[lead + k] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g.reshape(shape)


def _accumulate(buffers, node, nr, g):
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._n_out
    slots[nr] = g if slots[nr] is None else slots[nr] + g


def edge_gradients(roots, nodes, summarize):
    """Gradients as ``summarize(array)`` results.

    Returns ``(edge, out, leaf)``: ``edge[(node, i)]`` for the gradient flowing back into input
    ``i`` of ``node``; ``out[(node, nr)]`` for the total gradient of that node's output ``nr``;
    ``leaf[id(t)]`` for a leaf's total gradient. ``nodes`` are all the graph's nodes.
    """
    for node in nodes:
        if getattr(node, "_saved", ()) is _FREED:
            raise GradsUnavailable(
                "the graph's saved arrays were freed by backward(); draw before backward or "
                "call backward(retain_graph=True)")
    deps = {n: 0 for n in nodes}
    for node in nodes:
        for e in node._next:
            if e is not None:
                child = _target(e)[0]
                if child is not None:
                    deps[child] += 1
    buffers, leaf_arrays, edge, out = {}, {}, {}, {}
    for t in roots:
        if not t.requires_grad:
            continue
        g = np.ones(t.shape, dtype=t.dtype)
        if t.grad_fn is None:
            old = leaf_arrays.get(id(t))
            leaf_arrays[id(t)] = g if old is None else old + g
        else:
            _accumulate(buffers, t.grad_fn, t._nr, g)
    ready = [n for n in dict.fromkeys(t.grad_fn for t in roots if t.grad_fn is not None)
             if deps[n] == 0]
    prev = _mode.enabled
    _mode.enabled = False
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            result = None
            if grads is not None:
                for nr, g in enumerate(grads):
                    if g is None:       # an output nobody used: zeros, as the engine does
                        shape, dtype = node._out_meta[nr]
                        grads[nr] = g = np.zeros(shape, dtype)
                    out[(node, nr)] = summarize(g)
                result = node.backward(node, *grads)
                if type(result) is not tuple:
                    result = (result,)
                if len(result) != len(node._next):
                    raise RuntimeError(f"{type(node).__name__}.backward returned "
                                       f"{len(result)} gradients for {len(node._next)} inputs")
            meta = node._meta if result is not None else None
            for i, e in enumerate(node._next):
                if e is None:
                    continue
                child, nr = _target(e)
                g = result[i] if result is not None else None
                if g is not None:
                    g = np.asarray(g.data if isinstance(g, Tensor) else g)
                    shape, dtype = meta[i]
                    if g.shape != shape:
                        g = _unbroadcast(g, shape)
                    if g.dtype != dtype:
                        g = g.astype(dtype)
                    edge[(node, i)] = summarize(g)
                    if child is None:
                        old = leaf_arrays.get(id(e))
                        leaf_arrays[id(e)] = g if old is None else old + g
                    else:
                        _accumulate(buffers, child, nr, g)
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
