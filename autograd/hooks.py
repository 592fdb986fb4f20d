"""The engine's hooks (``engine.run_backward``'s ``hook``): what a pass does besides filling the
leaves' ``.grad``. :class:`Inputs` is ``grad()``'s (the gradients of given inputs, returned);
:class:`Retained` is ``retain_grad()``'s (non-leaf tensors that keep their gradient). Each is
told ``node(node, grad_out)`` before a rule runs (true: skip it) and returns the pass's result
from ``done(leaf_grads)``; the engine hands them its helpers, so this module imports none of it.
"""
import numpy as np

from .function import edge_target
from .tensor import _RETAINED, Tensor


class Inputs:
    """grad()'s hook (run_backward): keeps ``inputs``' gradients, skips nodes leading to none."""
    edge = None

    def __init__(self, root_nodes, inputs, seen, create_graph, unaliased):
        self.inputs, self.targets, self.captured = inputs, {}, {}
        self.unaliased = unaliased
        self.seen, self.create_graph = seen, create_graph
        for t in inputs:
            if not isinstance(t, Tensor):
                raise TypeError(f"grad: inputs must be Tensors, got {type(t).__name__}")
            self.targets[id(t) if t.grad_fn is None else t.grad_fn] = True
        seen, stack, targets = set(root_nodes), list(root_nodes), self.targets
        while stack:                # every node reachable from the roots
            for edge in stack.pop()._next:
                child, nr = edge_target(edge)
                if nr is not None and child not in seen:
                    seen.add(child)
                    stack.append(child)
        # needed: an edge leads to an input's leaf or node, or to a needed node (oldest first)
        self.needed = needed = set()
        for node in sorted(seen, key=lambda n: -n._seq):
            for edge in node._next:
                child, nr = edge_target(edge)
                if child is not None and (id(child) in targets if nr is None else
                                          child in needed or child in targets):
                    needed.add(node)
                    break

    def node(self, node, grad_out):
        if node in self.targets:
            self.captured[node] = grad_out
        return node not in self.needed

    def done(self, leaf_grads):
        out = []
        for t in self.inputs:
            fn = t.grad_fn
            g = leaf_grads.get(id(t), (t, None))[1] if fn is None else self.captured.get(fn)
            g = g[t._nr] if g is not None and fn is not None and fn._n_out > 1 else g
            out.append(None if g is None else self.unaliased(g, self.seen, self.create_graph))
        return out


class Retained:
    """backward()'s hook while some non-leaf tensors called retain_grad(): each gets the
    gradient its node receives for it, added to its ``.grad`` (a copy: the pass goes on with the
    original); the leaves' ``.grad`` accumulate as usual."""
    edge = None

    def __init__(self, handed, create_graph, accumulate):
        self.handed, self.create_graph, self.by_node = handed, create_graph, {}
        self.accumulate = accumulate
        for ref in list(_RETAINED.values()):
            t = ref()
            if t is not None and t.grad_fn is not None:
                self.by_node.setdefault(t.grad_fn, []).append(t)

    def node(self, node, grad_out):
        for t in self.by_node.get(node, ()):
            g = grad_out[t._nr] if node._n_out > 1 else grad_out
            if g is None:
                continue
            g = g.astype(g.dtype) if isinstance(g, Tensor) else Tensor._make(np.array(g))
            t._grad = g if t._grad is None else t._grad + g
        return False

    def done(self, leaf_grads):
        return self.accumulate(leaf_grads, self.handed, self.create_graph)
