"""Gradient mode, and the backward pass: topological order, gradient routing, leaf accumulation.

This is the one place that undoes broadcasting and checks that every gradient has its input's
shape and dtype. Graph walks here are iterative, so graphs of any depth work.
"""
from heapq import heapify, heappop, heappush

import numpy as np

from .mode import _mode, compiled_wanted, enable_grad, is_grad_enabled, no_grad  # noqa: F401
from . import anomaly as _anomaly
from . import function as _function
from .function import _FREED, raw
from . import inplace as _inplace
from . import interop as _interop
from .inplace import check_saved, clock
from .tensor import Tensor

_new = object.__new__


# ----------------------------------------------------------------------------- the pass
def _unbroadcast(g, shape, node, i):
    """Sum ``g`` over the axes that broadcasting added to an input of ``shape``."""
    gshape = g.shape
    if gshape[1:] == shape:
        # the common case (a bias): one leading axis added; the reduction gives a fresh array
        # (on an array, np.add.reduce is what g.sum runs, without the method's Python wrapper;
        # a Tensor, under create_graph, records its sum)
        return np.add.reduce(g, axis=0) if type(g) is np.ndarray else g.sum(axis=0)
    lead = len(gshape) - len(shape)
    ok = lead >= 0
    axes = list(range(lead)) if ok else []
    if ok:
        for k, s in enumerate(shape):
            if s == gshape[lead + k]:
                continue
            if s == 1:
                axes.append(lead + k)
            else:
                ok = False
                break
    if not ok:
        raise RuntimeError(
            f"{type(node).__name__}.backward returned a gradient of shape {tuple(gshape)} for "
            f"input {i}, whose shape is {tuple(shape)}; a gradient must have its input's shape "
            f"(or one that broadcasting from it explains)")
    return g.sum(axis=tuple(axes), keepdims=True).reshape(shape)


_ONE = {}


def _as_root_grad(t, g, create_graph):
    if g is None:
        if not t._data.ndim and not create_graph:
            # a scalar loss, the usual root: one shared read-only 1 per dtype (rules never
            # write into grad_output; a leaf's .grad is a copy of a read-only gradient)
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
    if isinstance(g, Tensor):
        gt = g
    else:
        gt = Tensor._make(np.asarray(g, dtype=t.dtype))
    if gt.shape != t.shape:
        raise RuntimeError(f"backward: grad has shape {gt.shape} but the tensor has shape "
                           f"{t.shape}; they must match")
    if gt.dtype != t.dtype:
        gt = gt.astype(t.dtype)
    return gt if create_graph else gt._data


def _needed(root_nodes, targets):
    """The nodes that must run for ``grad(..., inputs)``: those above some target."""
    # Every node reachable from the roots, then in creation order: a node's inputs were made
    # before it, so walking from the oldest node up sees each node's edges already decided.
    seen = set(root_nodes)
    stack = list(seen)
    while stack:
        for edge in stack.pop()._next:
            if edge is None or isinstance(edge, Tensor):
                continue
            if type(edge) is tuple:
                edge = edge[0]
            if edge not in seen:
                seen.add(edge)
                stack.append(edge)
    # A node runs when one of its edges leads to a target: a requested leaf, a requested
    # non-leaf's node (whose gradient is read before it would run), or a node that runs.
    needed = set()
    for node in sorted(seen, key=_age):
        for edge in node._next:
            if edge is None:
                continue
            if isinstance(edge, Tensor):
                if id(edge) in targets:
                    needed.add(node)
                    break
                continue
            if type(edge) is tuple:
                edge = edge[0]
            if edge in needed or edge in targets:
                needed.add(node)
                break
    return needed


def _age(node):
    return -node._seq


def _add(buffers, key, nr, g, n_out):
    if n_out == 1:
        old = buffers.get(key)
        buffers[key] = g if old is None else old + g
    else:
        slots = buffers.get(key)
        if slots is None:
            slots = buffers[key] = [None] * n_out
        slots[nr] = g if slots[nr] is None else slots[nr] + g


def run_backward(roots, grads, retain_graph, create_graph, inputs=None):
    """Propagate ``grads`` (one per root, None for ones) back from ``roots``.

    Without ``inputs``, gradients accumulate into the ``.grad`` of every leaf that requires
    grad. With ``inputs`` (tensors), nothing is written: their gradients are returned, in order,
    as arrays (or Tensors under ``create_graph``), None for an input the roots do not reach.
    The engine behind :meth:`Tensor.backward` and :func:`grad`, which are the ways to call it.

    Parameters
    ----------
    roots : sequence of Tensor
        The outputs to differentiate; each must require grad.
    grads : sequence or None
        One gradient per root (array, Tensor or None for ones, allowed for one-element roots),
        or None for all ones.
    retain_graph : bool or None
        Keep the saved arrays after the pass (None: ``create_graph``).
    create_graph : bool
        Record the pass, so that the gradients can be differentiated again.
    inputs : sequence of Tensor, optional
        Return these tensors' gradients instead of accumulating into ``.grad``.

    Returns
    -------
    list or None
        With ``inputs``, their gradients in order (None where not reached); else None.

    Raises
    ------
    TypeError
        If a root (or an input) is not a Tensor.
    RuntimeError
        If a root does not require grad, a root gradient is missing or has the wrong shape, a
        backward rule returns the wrong number or shape of gradients, or a saved array was
        freed or modified in place.
    """
    if retain_graph is None:
        retain_graph = create_graph
    root_nodes, root_grads = [], []
    leaf_grads = {}   # id(leaf) -> (leaf, gradient)
    buffers = {}
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
    # ids of arrays already handed out in this pass: a leaf must not share one with another.
    handed = set(map(id, root_grads))

    anomaly = _mode.anomaly
    if _fast is not None and inputs is None and not create_graph and not anomaly:
        # the plain pass: the loop below and the leaves' update, in C
        prev_mode = _mode.enabled
        _mode.enabled = False
        try:
            return _fast.backward(root_nodes, buffers, leaf_grads, retain_graph, handed)
        finally:
            _mode.enabled = prev_mode

    targets = None
    if inputs is not None:
        targets = {}
        for t in inputs:
            if not isinstance(t, Tensor):
                raise TypeError(f"grad: inputs must be Tensors, got {type(t).__name__}")
            targets[id(t) if t.grad_fn is None else t.grad_fn] = True
    captured = {}
    needed = None if targets is None else _needed(root_nodes, targets)
    # Nodes run newest first: every consumer of a node was made after it, so when a node is
    # the newest one still waiting, all the gradient it will get has arrived (no pre-pass to
    # count dependencies). _seq counts down, so the newest node is the heap's smallest.
    if len(root_nodes) == 1:            # one loss: the usual call
        heap = [(root_nodes[0]._seq, root_nodes[0])]
    else:
        heap = [(n._seq, n) for n in dict.fromkeys(root_nodes)]
        heapify(heap)

    prev_mode = _mode.enabled
    _mode.enabled = create_graph
    bpop, bget = buffers.pop, buffers.get
    ndarray = np.ndarray
    plain = targets is None and not create_graph and not anomaly
    try:
        while heap:
            node = heappop(heap)[1]
            grad_out = bpop(node)
            if not plain:
                if targets is not None and node in targets:
                    captured[node] = grad_out
                if needed is not None and node not in needed:
                    continue        # it leads to no requested input
            saved = node._saved
            if saved:
                if clock.value > node._born:
                    check_saved(node)
                if anomaly:
                    _anomaly.check_saved_unchanged(node)
            try:
                if node._n_out == 1:
                    result = node.backward(node, grad_out)
                else:
                    result = node.backward(node, *_fill_missing(node, grad_out, create_graph))
            except Exception as e:      # a try costs nothing until it catches
                _name_the_rule(e, node, grad_out)
                raise
            nxt = node._next
            if type(result) is not tuple:
                result = (result,)
            if len(result) != len(nxt):
                raise _arity_error(node, result)
            if anomaly:
                _anomaly.check_backward(node, grad_out, result)
            if saved and not retain_graph:
                node._saved = _FREED       # (the tensors pinned by it see that: Tensor.data)
            i = -1
            for edge in nxt:
                i += 1
                if edge is None:
                    continue
                g = result[i]
                if g is None:
                    continue
                if type(edge) is tuple:
                    child, nr = edge
                    shape, dtype = child._out_meta[nr]
                elif isinstance(edge, Tensor):
                    child = None
                    d = edge._data
                    shape, dtype = d.shape, d.dtype
                else:
                    child, nr = edge, 0
                    shape, dtype = child._out
                if create_graph:
                    if not isinstance(g, Tensor):
                        g = Tensor._make(np.asarray(g))
                elif type(g) is not ndarray:
                    g = g._data if isinstance(g, Tensor) else np.asarray(g)
                if g.shape != shape:
                    g = _unbroadcast(g, shape, node, i)
                if g.dtype is not dtype and g.dtype != dtype:
                    g = g.astype(dtype)
                if child is None:
                    key = id(edge)
                    entry = leaf_grads.get(key)
                    leaf_grads[key] = (edge, g) if entry is None else (edge, entry[1] + g)
                elif child._n_out == 1:
                    old = bget(child)
                    if old is None:
                        buffers[child] = g
                        heappush(heap, (child._seq, child))
                    else:
                        buffers[child] = old + g
                else:
                    if child not in buffers:
                        heappush(heap, (child._seq, child))
                    _add(buffers, child, nr, g, child._n_out)

        if targets is not None:
            out = []
            for t in inputs:
                if t.grad_fn is None:
                    entry = leaf_grads.get(id(t))
                    out.append(None if entry is None else entry[1])
                else:
                    g = captured.get(t.grad_fn)
                    if g is not None and t.grad_fn._n_out > 1:
                        g = g[t._nr]
                    out.append(g)
            return out

        for leaf, g in leaf_grads.values():
            if not leaf.requires_grad:
                continue
            if create_graph:
                leaf.grad = g if leaf.grad is None else leaf.grad + g
                continue
            old = leaf.grad
            if old is not None:
                g = old._data + g
                leaf.grad = Tensor._make(g if type(g) is ndarray else np.asarray(g))
            else:
                if type(g) is not ndarray:     # numpy's sum of two 0-d arrays is a scalar
                    g = np.asarray(g)
                if g.base is not None or id(g) in handed or not g.flags.writeable:
                    g = g.copy()
                handed.add(id(g))
                # Tensor._make inlined: this runs for every parameter on every step
                t = _new(Tensor)
                t._data, t.grad, t.requires_grad, t.grad_fn, t.name, t._nr, t._pinned = \
                    g, None, False, None, None, 0, None
                leaf.grad = t
        return None
    finally:
        _mode.enabled = prev_mode


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
            shape, dtype = node._out_meta[k]
            z = np.zeros(shape, dtype)
            grads[k] = Tensor._make(z) if create_graph else z
    return grads


def _arity_error(node, result):
    return RuntimeError(
        f"{type(node).__name__}.backward returned {len(result)} gradient(s), but forward took "
        f"{len(node._next)} input(s): return one gradient (or None) per input")


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
    ValueError
        If the number of ``grad_outputs`` is not the number of outputs.
    RuntimeError
        If an input does not require grad, or (without ``allow_unused``) is not used to compute
        the outputs; and as :meth:`Tensor.backward` does.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.grad((x ** 2).sum(), x)
    (Tensor([2., 4.]),)
    >>> print(x.grad)                 # nothing accumulated
    None

    Several inputs, a non-scalar output with its ``grad_outputs``:

    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor(3.0, requires_grad=True)
    >>> ag.grad(a * b, (a, b), grad_outputs=np.array([1.0, 0.5]))
    (Tensor([3. , 1.5]), Tensor(2.))
    >>> ag.grad((a * a).sum(), (a, b), allow_unused=True)
    (Tensor([2., 4.]), None)

    Higher derivatives, with ``create_graph=True``:

    >>> x = ag.tensor(3.0, requires_grad=True)
    >>> g, = ag.grad(x ** 3, x, create_graph=True)
    >>> g                             # 3x²
    Tensor(27., grad_fn=<Mul>)
    >>> ag.grad(g, x)                 # 6x
    (Tensor(18.),)
    """
    single_out = isinstance(outputs, Tensor)
    outputs = (outputs,) if single_out else tuple(outputs)
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
    out = []
    for k, (t, g) in enumerate(zip(inputs, result)):
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: input {k} (shape {t.shape}) was not used to compute the outputs; "
                    f"pass allow_unused=True to get None for it")
            out.append(None)
        elif isinstance(g, Tensor):
            out.append(g)
        else:
            out.append(Tensor._make(g))
    return tuple(out)


# ----------------------------------------------------------------------------- compiled loops
def _load_compiled():
    """The compiled hot loops (autograd/csrc/, the module _fast): ``Function.apply`` for one to
    three inputs and the plain backward pass, as the Python code here and in function.py does
    them, calling back into it for everything unusual. None if it was not built (no C compiler
    at install time) or if the environment variable AUTOGRAD_PURE_PYTHON is set: then the
    Python code does all the work, with the same results."""
    if not compiled_wanted():
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    fn = _function.Function
    apply = classmethod(_fast.apply)
    try:
        _configure(_fast, fn, apply)
    except ImportError as e:        # a numpy whose arrays the build cannot read
        import warnings
        warnings.warn(f"autograd: the compiled loops are off ({e}); the pure-Python engine "
                      f"runs", RuntimeWarning, stacklevel=2)
        return None
    fn.apply = apply
    _function._compiled_dual = _fast.Dual      # before the ops are imported: they make theirs
    _function.grad_times = _fast.grad_times    # and import this (function.py's is the reference)
    for name, (cls, nargs, reflected) in _operator_methods().items():
        setattr(Tensor, name, _fast.OpMethod(cls, Tensor.__dict__[name], nargs, reflected))
    for name, (cls, nargs) in _in_place_methods().items():
        setattr(Tensor, name, _fast.OpMethod(cls, Tensor.__dict__[name], nargs, False, True))
    Tensor.backward = _fast.CMethod(_fast.tensor_backward, Tensor.__dict__["backward"])
    fn.save_for_backward = _fast.CMethod(_fast.save_for_backward,
                                         fn.__dict__["save_for_backward"])
    fn.saved_tensors = property(_fast.saved_get, doc=fn.saved_tensors.__doc__)
    Tensor.data = property(_fast.data_get, _fast.data_set, doc=Tensor.data.__doc__)
    _fast.ufunc_functions.update(_interop.operator_functions())
    Tensor.__array_ufunc__ = _fast.CMethod(_fast.array_ufunc, Tensor.__dict__["__array_ufunc__"])
    return _fast


def _configure(_fast, fn, apply):
    _fast.configure(
        {"Tensor": Tensor, "Function": fn, "python_apply": fn.__dict__["apply"].__func__,
         "ndarray": np.ndarray, "generic": np.generic, "RawCtx": _function._RawCtx,
         "mode": _mode, "clock": clock,
         "SELF": _function._SELF, "FREED": _FREED, "next_seq": _function._next_seq,
         "repin": _function._repin, "to_array": _function._to_array, "check_saved": check_saved,
         "name_the_rule": _name_the_rule, "fill_missing": _fill_missing,
         "arity_error": _arity_error, "unbroadcast": _unbroadcast, "add": _add,
         "asarray": np.asarray, "apply": apply, "watch_pinned": _inplace.watch_pinned,
         "backward": Tensor.__dict__["backward"], "ones": _ONE,
         "saved_tensors": fn.__dict__["saved_tensors"].fget,
         "multiply": np.multiply, "bool_dtype": np.dtype(np.bool_),
         "in_place_from": _function._IN_PLACE_FROM,
         "array_ufunc": Tensor.__dict__["__array_ufunc__"], "add_reduce": np.add.reduce,
         "layout_probes": _layout_probes()},
        {k: Tensor.__dict__[k] for k in Tensor.__slots__ if k != "__weakref__"},
        {k: fn.__dict__[k] for k in fn.__slots__ if k != "__weakref__"})


def _layout_probes():
    """Arrays and what Python reports of them (ndim, shape, strides, base, dtype, writeable,
    owndata), for the compiled loops to check that they read numpy's arrays right."""
    grid = np.arange(12, dtype=np.float32).reshape(3, 4)
    frozen = np.zeros(5)
    frozen.flags.writeable = False
    arrays = (grid, grid[:, 1:3], grid.T, frozen, np.ones((), np.int64), np.zeros((2, 0, 3)))
    return [(a, a.ndim, a.shape, a.strides, a.base, a.dtype, a.flags.writeable,
             a.flags.owndata) for a in arrays]


def _operator_methods():
    """Tensor's methods that are one ``cls.apply`` of their operands, as tensor.py writes them:
    name -> (cls, number of operands with self, whether reflected). The compiled loops put an
    ``_fast.OpMethod`` in place of each (the same call without a Python frame; the Python
    method stays as its ``__wrapped__``)."""
    from .ops import activations as act
    from .ops import elementwise as ew
    from .ops.linalg import MatMul
    table = {}
    for cls, name in ((ew.Add, "add"), (ew.Sub, "sub"), (ew.Mul, "mul"), (ew.Div, "truediv"),
                      (MatMul, "matmul")):
        table[f"__{name}__"] = (cls, 2, False)
        table[f"__r{name}__"] = (cls, 2, True)
    for cls, names in ((ew.Neg, ("__neg__",)), (ew.Abs, ("__abs__", "abs")), (ew.Exp, ("exp",)),
                       (ew.Log, ("log",)), (ew.Sqrt, ("sqrt",)), (act.Tanh, ("tanh",)),
                       (act.Sigmoid, ("sigmoid",)), (act.ReLU, ("relu",))):
        for name in names:
            table[name] = (cls, 1, False)
    return table


def _in_place_methods():
    """Tensor's in-place methods that write into the tensor's own array when nothing else can
    see it (``Tensor._alone``): name -> (the Function that writes, number of operands with
    self). Their OpMethod (``into``) does that case without a Python frame and hands every
    other case to the Python method."""
    from .ops import activations as act
    from .ops import elementwise as ew
    return {"__iadd__": (ew.AddInPlace, 2), "__isub__": (ew.SubInPlace, 2),
            "relu_": (act.ReLUInPlace, 1)}


_fast = _load_compiled()
compiled = _fast is not None    # whether the compiled loops run (see _load_compiled)
