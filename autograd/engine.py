"""Gradient mode, and the backward pass: topological order, gradient routing, leaf accumulation.

The one place that undoes broadcasting and checks every gradient's shape and dtype; walks are
iterative (graphs of any depth). The reference for csrc/backward.c's pass, in the same steps.
"""
from heapq import heapify, heappop, heappush

import numpy as np

from ._core import fast as _fast
from .mode import _mode, enable_grad, is_grad_enabled, no_grad  # noqa: F401
from . import anomaly as _anomaly
from .function import _FREED, Function, edge_target, raw  # noqa: F401  (engine.edge_target)
from .inplace import check_saved, clock
from . import hooks as _hooks
from .tensor import _RETAINED, Tensor

_ndarray = np.ndarray
compiled = _fast is not None    # whether the compiled loops run (autograd.binding installs them)
_ONE = {}       # the scalar loss's gradient: a read-only 1 per dtype (see _as_root_grad)


def _unbroadcast(g, shape, node, i):
    """Sum ``g`` over the axes that broadcasting added to an input of ``shape``."""
    gshape = g.shape
    if gshape[1:] == shape:
        # a bias's case: one leading axis added (np.add.reduce: g.sum without its wrapper)
        return np.add.reduce(g, axis=0) if type(g) is np.ndarray else g.sum(axis=0)
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gshape[lead + k] for k, s in enumerate(shape)):
        raise RuntimeError(
            f"{type(node).__name__}.backward returned a gradient of shape {tuple(gshape)} for "
            f"input {i}, whose shape is {tuple(shape)}; a gradient must have its input's shape "
            f"(or one that broadcasting from it explains)")
    axes = list(range(lead)) + [lead + k for k, s in enumerate(shape)
                                if s == 1 and gshape[lead + k] != 1]
    return g.sum(axis=tuple(axes), keepdims=True).reshape(shape)


def _name_the_rule(e, node, grad_out):
    """Add to an error raised inside a backward rule which rule, and what it received."""
    if not hasattr(e, "add_note"):      # Python < 3.11: the traceback alone says it
        return
    grads = [raw(g) for g in (grad_out if isinstance(grad_out, list) else [grad_out])]
    got = ", ".join("None" if g is None else f"of shape {np.shape(g)} ({np.asarray(g).dtype})"
                    for g in grads)
    e.add_note(f"raised in {type(node).__name__}.backward, given grad_output {got}")


def _fill_missing(node, grads, create_graph):
    """A multi-output node whose outputs did not all get a gradient receives zeros for them."""
    grads = list(grads) if grads is not None else [None] * node._n_out
    for k, g in enumerate(grads):
        if g is None:
            z = np.zeros(*node._out_meta[k])
            grads[k] = Tensor._make(z) if create_graph else z
    return grads


def _arity_error(node, result):
    return RuntimeError(
        f"{type(node).__name__}.backward returned {len(result)} gradient(s), but forward took "
        f"{len(node._next)} input(s): return one gradient (or None) per input")


def _add(buffers, key, nr, g, n_out):
    """Add ``g`` to what output ``nr`` of node ``key`` received (a list for several outputs)."""
    if n_out == 1:
        old = buffers.get(key)
        buffers[key] = g if old is None else old + g
    else:
        slots = buffers.setdefault(key, [None] * n_out)
        slots[nr] = g if slots[nr] is None else slots[nr] + g


def _route(node, i, edge, g, buffers, leaf_grads, heap, create_graph):
    """Send ``g``, input ``i``'s gradient, along the edge: made of the shape and dtype of what it
    leads to, added to a leaf's total or a node's buffer (and heap, the first time). Returns it."""
    child, nr = edge_target(edge)
    shape, dtype = (child._data.shape, child._data.dtype) if nr is None else \
        child._out_meta[nr] if nr else child._out
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asarray(g))
    elif type(g) is not _ndarray:
        g = g._data if isinstance(g, Tensor) else np.asarray(g)
    if g.shape != shape:
        g = _unbroadcast(g, shape, node, i)
    if g.dtype is not dtype and g.dtype != dtype:
        g = g.astype(dtype)
    if nr is None:
        entry = leaf_grads.get(id(child))
        leaf_grads[id(child)] = (child, g) if entry is None else (child, entry[1] + g)
    elif child._n_out == 1:
        old = buffers.get(child)
        if old is None:
            buffers[child] = g
            heappush(heap, (child._seq, child))
        else:
            buffers[child] = old + g
    else:
        if child not in buffers:
            heappush(heap, (child._seq, child))
        _add(buffers, child, nr, g, child._n_out)
    return g


def _run_node(node, grad_out, retain_graph, create_graph, anomaly):
    """Run ``node``'s rule on ``grad_out`` (saved arrays checked first); return its gradients, one
    (or None) per input, as a tuple; free the saved arrays unless ``retain_graph``."""
    saved = node._saved
    if saved:
        if clock.value > node._born:
            check_saved(node)
        if anomaly:
            _anomaly.check_saved_unchanged(node)
    try:            # (a node of several outputs gets a list, one gradient or None each)
        result = node.backward(node, grad_out) if type(grad_out) is not list else \
            node.backward(node, *_fill_missing(node, grad_out, create_graph))
    except Exception as e:      # a try costs nothing until it catches
        _name_the_rule(e, node, grad_out)
        raise
    if type(result) is not tuple:
        result = (result,)
    if len(result) != len(node._next):
        raise _arity_error(node, result)
    if anomaly:
        _anomaly.check_backward(node, grad_out, result)
    if saved and not retain_graph:
        node._saved = _FREED       # (the tensors pinned by it see that: Tensor.data)
    return result


def _owner(a):
    """What owns array ``a``'s memory: the end of numpy's ``base`` chain."""
    while getattr(a, "base", None) is not None:
        a = a.base
    return a


def _unaliased(g, seen, create_graph, copy_views=False):
    """``g`` (a leaf's first recorded ``.grad``, a result of grad()), or a copy if read-only or
    ``seen`` (ids of the gradients given and of those handed out before, as Add's rule gives
    one to both inputs: Tensors, and the owners of their memory); noted in ``seen``. Recorded,
    the copy (``astype`` to its dtype) stays differentiable, as PyTorch's clone of ``.grad``."""
    d = g._data if create_graph else np.asarray(g)  # (numpy's sum of two 0-d arrays: a scalar)
    g, o = g if create_graph else d, _owner(d)
    if id(g) in seen or id(o) in seen or not d.flags.writeable or copy_views and o is not d:
        g = g.astype(d.dtype) if create_graph else d.copy()
        o = raw(g)
    seen.update((id(g), id(o)))
    return g


def _accumulate(leaf_grads, handed, create_graph):
    """Each leaf's gradient into its ``.grad`` (a copy if a view, read-only or ``handed`` out)."""
    for leaf, g in leaf_grads.values():
        if not leaf.requires_grad:
            continue
        if create_graph:
            leaf.grad = _unaliased(g, handed, True, True) if leaf.grad is None else leaf.grad + g
        elif leaf.grad is not None:
            g = leaf.grad._data + g
            leaf.grad = Tensor._make(g if type(g) is _ndarray else np.asarray(g))
        else:
            if type(g) is not _ndarray:     # numpy's sum of two 0-d arrays is a scalar
                g = np.asarray(g)
            if g.base is not None or id(g) in handed or not g.flags.writeable:
                g = g.copy()
            handed.add(id(g))
            leaf.grad = Tensor._make(g)


def _run_pass(root_nodes, buffers, leaf_grads, retain_graph, create_graph, anomaly, hook):
    """Run the nodes newest first (``_seq`` counts down): a node's consumers are newer, so all its
    gradient has arrived when it is the newest one waiting (no pre-pass counts dependencies)."""
    if len(root_nodes) == 1:            # one loss: the usual call
        heap = [(root_nodes[0]._seq, root_nodes[0])]
    else:
        heap = [(n._seq, n) for n in dict.fromkeys(root_nodes)]
        heapify(heap)
    route = _route
    if hook is not None and hook.edge is not None:
        def route(node, i, *args):
            hook.edge(node, i, _route(node, i, *args))
    bpop = buffers.pop
    watched = create_graph and _hooks.watching()    # a transform differentiates this record
    while heap:
        node = heappop(heap)[1]
        grad_out = bpop(node)
        if hook is not None and hook.node(node, grad_out):
            continue
        if watched:
            saved = node._saved
            result = _run_node(node, grad_out, retain_graph, create_graph, anomaly)
            _hooks.check_recorded(node, saved, grad_out, result)
        else:
            result = _run_node(node, grad_out, retain_graph, create_graph, anomaly)
        i = -1
        for edge in node._next:
            i += 1
            if edge is not None and result[i] is not None:
                route(node, i, edge, result[i], buffers, leaf_grads, heap, create_graph)


def _as_root_grad(t, g, create_graph):
    if g is None:
        if not t._data.ndim and not create_graph:
            # a scalar loss: a shared read-only 1 per dtype (rules never write into grad_output)
            one = _ONE.get(t._data.dtype)
            if one is None:
                one = _ONE[t._data.dtype] = np.ones((), dtype=t._data.dtype)
                one.flags.writeable = False
            return one
        if t._data.size != 1:
            raise RuntimeError(
                f"backward: grad can be implicitly created only for a tensor with one element; "
                f"this one has shape {t.shape}: pass grad= of that shape")
        g = np.ones(t.shape, dtype=t.dtype)
        return Tensor._make(g) if create_graph else g
    gt = g if isinstance(g, Tensor) else Tensor._make(np.asarray(g, dtype=t.dtype))
    if gt.shape != t.shape:
        raise RuntimeError(f"backward: grad has shape {gt.shape} but the tensor has shape "
                           f"{t.shape}; they must match")
    if gt.dtype != t.dtype:
        gt = gt.astype(t.dtype)
    return gt if create_graph else gt._data


def _seed(roots, grads, create_graph):
    """The roots' gradients: (root nodes, root gradients, node buffers, leaf gradients)."""
    root_nodes, root_grads, buffers, leaf_grads = [], [], {}, {}
    for k, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TypeError(f"backward: expected a Tensor output, got {type(t).__name__}")
        if not t.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad and has no grad_fn: none of the "
                "tensors it was computed from has requires_grad=True (or it was computed under "
                "no_grad)")
        g = _as_root_grad(t, None if grads is None else grads[k], create_graph)
        root_grads.append(g)
        if t.grad_fn is None:
            entry = leaf_grads.get(id(t))
            leaf_grads[id(t)] = (t, g) if entry is None else (t, entry[1] + g)
        else:
            root_nodes.append(t.grad_fn)
            _add(buffers, t.grad_fn, t._nr, g, t.grad_fn._n_out)
    return root_nodes, root_grads, buffers, leaf_grads


def run_backward(roots, grads, retain_graph, create_graph, inputs=None, hook=None):
    """Propagate ``grads`` (one per root, None for ones; None for all ones) back from ``roots``.

    The engine of :meth:`Tensor.backward` and :func:`grad`: the leaves' ``.grad`` accumulate,
    unless ``inputs`` get their gradients returned (in order, None where not reached) or a
    ``hook`` (viz) is told ``hook.node(node, grad_out)`` before a rule runs (true: skip it),
    ``hook.edge(node, i, g)`` (if not None) of each gradient routed, and returns ``hook.done``
    of {id(leaf): (leaf, gradient)}."""
    if retain_graph is None:
        retain_graph = create_graph
    root_nodes, root_grads, buffers, leaf_grads = _seed(roots, grads, create_graph)
    handed = set(map(id, root_grads))   # arrays handed out: no two leaves may share one
    if create_graph or inputs is not None:  # (Tensors if recorded; the arrays' owners too)
        handed.update([id(_owner(raw(g))) for g in root_grads])
    if inputs is not None:
        hook = _hooks.Inputs(root_nodes, inputs, handed, create_graph, _unaliased)
    elif hook is None and _RETAINED:
        hook = _hooks.Retained(handed, create_graph, _accumulate)
    anomaly = _mode.anomaly     # detect_anomaly's switch here (anomaly.py: off, it costs nothing)
    prev_mode = _mode.enabled
    if hook is None and not anomaly and not create_graph and _fast is not None:
        _mode.enabled = False       # the plain pass, the leaves' update included, in C
        try:
            return _fast.backward(root_nodes, buffers, leaf_grads, retain_graph, handed)
        finally:
            _mode.enabled = prev_mode
    _mode.enabled = create_graph
    try:
        _run_pass(root_nodes, buffers, leaf_grads, retain_graph, create_graph, anomaly, hook)
        return _accumulate(leaf_grads, handed, create_graph) if hook is None else \
            hook.done(leaf_grads)
    finally:
        _mode.enabled = prev_mode


def _outputs_of(outputs):
    """grad()'s ``outputs``: (one Tensor given, as a tuple); a function is refused."""
    if callable(outputs) and not isinstance(outputs, Tensor):
        raise TypeError(
            f"ag.grad takes tensors (the outputs of a graph already built, and the inputs to "
            f"differentiate them with respect to), not a function: to transform the function "
            f"{getattr(outputs, '__qualname__', repr(outputs))} into its gradient, use "
            f"ag.functional.grad(f) (then call it at a point: ag.functional.grad(f)(x))")
    single_out = isinstance(outputs, Tensor)
    return single_out, (outputs,) if single_out else tuple(outputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """The gradients of ``outputs`` with respect to ``inputs``, as a tuple of Tensors.

    As ``torch.autograd.grad``: nothing is accumulated into ``.grad``; ``grad_outputs`` holds one
    gradient per output (None for ones, allowed for one-element outputs); ``retain_graph``
    defaults to ``create_graph``; with ``create_graph=True`` the result can be differentiated
    again. An input the outputs do not depend on is an error unless ``allow_unused``, and then
    its gradient is None.

    Parameters
    ----------
    outputs : Tensor or sequence of Tensor
        What to differentiate; each must require grad.
    inputs : Tensor or sequence of Tensor
        The tensors to differentiate with respect to (leaves or intermediate results); each
        must require grad.
    grad_outputs : array_like, Tensor or sequence, optional
        d(loss)/d(output) for each output, of its shape. For a single output one array or
        Tensor may be given as it is (a list or tuple is read as one entry per output). None
        (or a None entry) stands for ones, allowed for one-element outputs.
    retain_graph : bool, optional
        Keep the arrays saved for backward (default: ``create_graph``).
    create_graph : bool, optional
        Record the backward pass, so that the gradients can be differentiated again.
    allow_unused : bool, optional
        Give None for an input the outputs do not depend on, instead of raising.

    Returns
    -------
    tuple of Tensor or None
        One gradient per input, of its shape and dtype (always a tuple, even for one input).

    Raises
    ------
    TypeError
        If ``outputs`` is a function: ``ag.functional.grad(f)`` transforms functions.
    ValueError
        If the number of ``grad_outputs`` is not the number of outputs.
    RuntimeError
        If an input does not require grad, or (without ``allow_unused``) is not used to compute
        the outputs; and as :meth:`Tensor.backward` does.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor(3.0, requires_grad=True)
    >>> ag.grad((x ** 2).sum(), (x, b), allow_unused=True)
    (Tensor([2., 4.]), None)
    >>> print(x.grad)                 # nothing accumulated
    None

    Higher derivatives, with ``create_graph=True``:

    >>> x = ag.tensor(3.0, requires_grad=True)
    >>> g, = ag.grad(x ** 3, x, create_graph=True)
    >>> g                             # 3x²
    Tensor(27., grad_fn=<Mul>)
    >>> ag.grad(g, x)                 # 6x
    (Tensor(18.),)
    """
    single_out, outputs = _outputs_of(outputs)
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if grad_outputs is not None:
        grad_outputs = (grad_outputs,) if single_out and not isinstance(
            grad_outputs, (tuple, list)) else tuple(grad_outputs)
        if len(grad_outputs) != len(outputs):
            raise ValueError(f"grad: got {len(grad_outputs)} grad_outputs for "
                             f"{len(outputs)} outputs")
    for k, t in enumerate(inputs):
        if isinstance(t, Tensor) and not t.requires_grad:
            raise RuntimeError(f"grad: input {k} (shape {t.shape}) does not require grad")
    result = run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs=inputs)
    for k, (t, g) in enumerate(zip(inputs, result)):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {k} (shape {t.shape}) was not used to compute the outputs; "
                f"pass allow_unused=True to get None for it")
    return tuple(g if g is None or isinstance(g, Tensor) else Tensor._make(g) for g in result)
