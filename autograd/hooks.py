"""The engine's hooks (``engine.run_backward``'s ``hook``): what a pass does besides filling the
leaves' ``.grad``. :class:`Inputs` is ``grad()``'s (the gradients of given inputs, returned);
:class:`Retained` is ``retain_grad()``'s (non-leaf tensors that keep their gradient). Each is
told ``node(node, grad_out)`` before a rule runs (true: skip it) and returns the pass's result
from ``done(leaf_grads)``; the engine hands them its helpers, so this module imports none of it.
:class:`watch` is the transforms' (``autograd.functional``): the rules of a recorded pass that
left the graph, noted by :func:`check_recorded`.
"""
import threading

import numpy as np

from .function import _FREED, edge_target
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


# ----------------------------------------------------------------------------- left the graph
# A recorded pass (create_graph=True) must keep every gradient it computes in the graph: a
# rule that returns a gradient which does not require grad, while what it computed from (its
# grad_output, or the inputs and outputs it saved) does, has left the graph (numpy on raw
# arrays), and a derivative taken through its result is silently too small. The transforms
# (autograd.functional) watch the passes whose results they differentiate: while a watch is
# open, the engine calls check_recorded after each rule of a recorded pass, and the rules that
# left the graph are noted in every open watch. Nothing is checked while none is open, and the
# plain pass (the compiled one) is never checked.
_watching = threading.local()

# the library's own rules are checked by gradgradcheck: those that return a gradient that does
# not require grad (relu's mask, sign, floor's zero) do so because the derivative is constant
_TRUSTED = ("autograd", "nn")


class LeftGraph:
    """One rule that left the graph: its Function class, and what it dropped."""
    __slots__ = ("cls", "dropped", "inputs")

    def __init__(self, cls, dropped, inputs):
        self.cls, self.dropped, self.inputs = cls, dropped, inputs

    def __repr__(self):
        return f"<LeftGraph {self.cls.__name__}: {self.dropped}>"


class watch:
    """``with watch() as left:`` the rules that leave the graph in recorded passes run meanwhile
    (in this thread) are appended to ``left`` (a list of :class:`LeftGraph`); watches nest."""

    def __enter__(self):
        stack = getattr(_watching, "stack", None)
        if stack is None:
            stack = _watching.stack = []
        self.left = []
        stack.append(self.left)
        return self.left

    def __exit__(self, *exc):
        stack = _watching.stack
        for k in range(len(stack) - 1, -1, -1):     # by identity: empty lists are all equal
            if stack[k] is self.left:
                del stack[k]
                break
        return False


def watching():
    """Whether a watch is open in this thread (the engine checks recorded passes only then)."""
    return bool(getattr(_watching, "stack", None))


def _requires(g):
    return isinstance(g, Tensor) and g.requires_grad


def _saved_in_graph(node, saved):
    """Whether ``node`` saved one of its outputs, or an input that requires grad."""
    if not saved or saved is _FREED:
        return False
    ids, out_ids, nxt = getattr(node, "_ids", ()), getattr(node, "_out_ids", ()), node._next
    for s in saved:
        sid = id(s)
        if sid in out_ids:
            return True
        if sid in ids and nxt[ids.index(sid)] is not None:
            return True
    return False


def check_recorded(node, saved, grad_out, result):
    """After ``node``'s rule ran in a recorded pass on ``grad_out`` (``saved``: what it had
    saved), note in the open watches a gradient it returned that left the graph."""
    cls = type(node)
    if cls.__module__.partition(".")[0] in _TRUSTED:
        return
    lost = [i for i, (e, r) in enumerate(zip(node._next, result))
            if e is not None and r is not None and not _requires(r)]
    if not lost:
        return
    outs = grad_out if type(grad_out) is list else [grad_out]
    if any(_requires(g) for g in outs):
        dropped = "grad_output"
    elif not getattr(cls, "piecewise_linear", False) and _saved_in_graph(node, saved):
        dropped = "saved"
    else:
        return
    note = LeftGraph(cls, dropped, lost)
    for left in _watching.stack:
        left.append(note)
