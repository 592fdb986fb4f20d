"""vmap's hooks into the library while it runs (installed by the first active vmap, removed by
the last): ``Function.apply`` becomes :func:`autograd.batched._apply`, ``engine.run_backward``
becomes :func:`_run_backward` (batched roots seeded with one per example, batched inputs'
gradients returned batched), and the index conversion keeps batched indices.
"""
import functools
import threading

import numpy as np

from . import engine as _engine
from .batched import (BatchedTensor, _BROADCAST, _NeedsPerExample, _RESHAPE, _apply, _call,
                      _has_batched, _installed, _is_b, _lift, _plain_apply, _realize, _wrap)
from .function import Function
from .mode import _mode
from .tensor import Tensor, _ops

_lock = threading.Lock()


def _run_backward(roots, grads, retain_graph, create_graph, inputs=None, hook=None):
    """engine.run_backward while vmap runs: batched roots seeded with one per example, batched
    inputs' gradients returned batched.

    A recorded pass (``create_graph``, which a transform inside vmap asks for since the
    arguments vmap gives it are Tensors that require grad) runs unrecorded first: its results
    come back *lazy*, holding the values and a way to record the same pass (the graph is
    retained). The first operation that uses one (a transform differentiating it again) gets
    the recorded result; vmap's own output takes the values. So the per-example gradients cost
    one plain backward pass."""
    plain = _installed[2]
    level = None
    roots, inputs = list(roots), None if inputs is None else list(inputs)
    for t in roots + list(inputs or ()) + [g for g in (grads or ()) if g is not None]:
        if type(t) is BatchedTensor and (level is None or t._level.depth > level.depth):
            level = t._level
    if level is None:
        return plain(roots, grads, retain_graph, create_graph, inputs=inputs, hook=hook)
    if inputs is None:
        raise RuntimeError("vmap: backward() on a batched tensor inside vmap: use F.grad (or "
                           "ag.grad) inside the mapped function")
    roots = [_realize(t) for t in roots]
    inputs = [_realize(t) for t in inputs]
    grads = None if grads is None else [_realize(g) for g in grads]
    unbatched = [x for x in inputs if not _is_b(x, level) and isinstance(x, Tensor)
                 and type(x) is not BatchedTensor and x.requires_grad]
    if unbatched and any(_is_b(t, level) for t in roots):
        raise _NeedsPerExample(unbatched, level)
    lazy = create_graph and _mode.enabled and all(_is_b(x, level) for x in inputs) and all(
        type(t) is not BatchedTensor or _is_b(t, level) for t in roots) and all(
        type(t._phys) is not BatchedTensor for t in inputs)
    if not lazy:
        return _batched_pass(level, roots, grads, retain_graph, create_graph, inputs, hook)
    values = _batched_pass(level, roots, grads, True, False, inputs, hook)
    state = []

    def replay(k):
        if not state:
            state.append(_batched_pass(level, roots, grads, retain_graph, True, inputs, hook))
        return state[0][k]

    for k, g in enumerate(values):
        if g is not None:
            g._replay = functools.partial(replay, k)
            g.requires_grad = True      # as its recorded self: it depends on the inputs
    return values


def _batched_pass(level, roots, grads, retain_graph, create_graph, inputs, hook):
    new_roots, new_grads = [], []
    for k, t in enumerate(roots):
        g = None if grads is None else grads[k]
        if _is_b(t, level):
            p = t._phys
            if g is None:
                g = np.ones(p.shape, p.dtype)
                g = Tensor._make(g) if create_graph else g
            elif _is_b(g, level):
                g = _lift(g, level, t.ndim)
                if g.shape != p.shape:
                    g = _call(_BROADCAST, g, shape=p.shape)
            else:
                g = g if isinstance(g, Tensor) else Tensor._make(np.asarray(g, p.dtype))
                g = _call(_BROADCAST, _call(_RESHAPE, g, shape=(1,) + g.shape), shape=p.shape)
            new_roots.append(p)
        else:
            if _is_b(g, level):
                raise ValueError("vmap: a batched grad_output for an unbatched output")
            new_roots.append(t)
        new_grads.append(g)
    new_inputs = [x._phys if _is_b(x, level) else x for x in inputs]
    res = _run_backward(new_roots, new_grads, retain_graph, create_graph, inputs=new_inputs,
                        hook=hook)
    out = []
    for x, g in zip(inputs, res):
        if g is not None and _is_b(x, level):
            g = _wrap(g if isinstance(g, Tensor) else Tensor._make(np.asarray(g)), level)
        out.append(g)
    return out


def _plain_index(index):
    """Tensor.__getitem__'s index conversion while vmap runs: batched indices kept."""
    if _has_batched(index):
        return index
    return _installed[3](index)


def _install():
    with _lock:
        if _installed[0] == 0:
            _installed[1] = Function.__dict__["apply"]
            _plain_apply[0] = _installed[1].__func__
            _installed[2] = _engine.run_backward
            _installed[3] = _ops.plain_index
            Function.apply = classmethod(_apply)
            _engine.run_backward = _run_backward
            _ops.plain_index = _plain_index
        _installed[0] += 1


def _uninstall():
    with _lock:
        _installed[0] -= 1
        if _installed[0] == 0:
            if Function.__dict__["apply"].__func__ is _apply:
                Function.apply = _installed[1]
            if _engine.run_backward is _run_backward:
                _engine.run_backward = _installed[2]
            if _ops.plain_index is _plain_index:
                _ops.plain_index = _installed[3]
