"""The gradient along every edge of a graph, for ``draw_graph(show_grads=True)``.

The engine's backward hands each gradient on to the next node and keeps none of them, so this
runs the engine's pass once more with a hook (``engine.run_backward(..., hook=)``), which is
told what each node receives and each gradient routed along an edge, with gradient recording
off. It writes no ``.grad`` and frees nothing (the graph stays usable); it needs the arrays the
ops saved, so it works before ``backward()`` or after ``backward(retain_graph=True)``.

Each root is seeded with ones: the gradients are those of the sum of the roots (for a scalar
loss, the gradient of the loss).
"""
import numpy as np

from .. import engine
from ..function import _FREED
from ..mode import _mode


class GradsUnavailable(RuntimeError):
    """The backward rules cannot run again (saved arrays freed, or a rule failed)."""


class _Summaries:
    """The hook: every gradient the pass hands on, as ``summarize(array)``."""

    def __init__(self, summarize):
        self.summarize, self.edges, self.out = summarize, {}, {}

    def node(self, node, grad_out):
        for nr, g in enumerate([grad_out] if node._n_out == 1 else grad_out):
            if g is None:       # an output nobody used: zeros, as the engine gives the rule
                g = np.zeros(*node._out_meta[nr])
            self.out[(node, nr)] = self.summarize(g)
        return False            # every node runs

    def edge(self, node, i, g):
        self.edges[(node, i)] = self.summarize(g)

    def done(self, leaf_grads):
        return {k: self.summarize(g) for k, (_, g) in leaf_grads.items()}


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
    roots = [t for t in roots if t.requires_grad]
    hook = _Summaries(summarize)
    anomaly = _mode.anomaly
    _mode.anomaly = False       # a NaN or inf is drawn (in red) here, not raised
    try:
        leaf = engine.run_backward(roots, [np.ones(t.shape, dtype=t.dtype) for t in roots],
                                   retain_graph=True, create_graph=False, hook=hook)
    except Exception as exc:
        raise GradsUnavailable(f"re-running backward failed: {type(exc).__name__}: {exc}") \
            from exc
    finally:
        _mode.anomaly = anomaly
    return hook.edges, hook.out, leaf
