"""Function: one differentiable operation, its forward and backward side by side.

A ``Function`` subclass is both the operation and, once applied, the node of the graph: the
instance is the ``ctx`` that forward and backward receive, and the output's ``grad_fn``.
Built-in operations and user-defined ones use this same class::

    class Cube(ag.Function):
        @staticmethod
        def forward(ctx, x):            # x is an np.ndarray
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad_output):  # d(x^3)/dx = 3 x^2
            x, = ctx.saved_tensors
            return grad_output * 3 * x * x

    y = Cube.apply(t)

``forward`` receives numpy arrays (Tensor arguments are unwrapped; other arguments pass as they
are) and returns an array, or a tuple of arrays for several outputs. ``backward`` receives one
gradient per output and returns one per positional input (None where there is none).

In an ordinary backward pass, ``grad_output`` and ``ctx.saved_tensors`` are numpy arrays, so
the rule runs at numpy speed. Under ``create_graph=True`` they are Tensors (saved inputs and
outputs linked to the graph), so the same rule, written with operators and methods that
arrays and Tensors share, is recorded and can be differentiated again.
"""
import itertools
from weakref import ref as _weakref

import numpy as np

from . import _core
from .inplace import clock as _clock
from .inplace import SELF as _SELF
from .inplace import link as _link
from .inplace import pin_view as _pin_view
from .inplace import repin as _repin
from .inplace import root as _inplace_root
from .mode import _mode
from .tensor import Tensor, raw  # noqa: F401  (function.raw: the rules' unwrap)

_FREED = object()
# Every recorded node takes the next number: counting down, so newer nodes compare smaller and
# the engine's heap gives the newest first (a node's inputs are always older than the node).
_next_seq = itertools.count(0, -1).__next__


class _RawCtx:
    """The ctx of a forward run outside the graph (see :func:`dual`): it keeps nothing."""

    needs_input_grad = ()

    def save_for_backward(self, *xs):
        pass


class Function:
    """Base class of every operation; subclass it with static ``forward`` and ``backward``.

    An instance is the ``ctx`` that ``forward`` and ``backward`` receive and, once applied, the
    node of the graph: the output's ``grad_fn``. ``forward`` gets numpy arrays and returns an
    array (or a tuple of arrays for several outputs); ``backward`` gets one gradient per output
    and returns one per positional input (None where there is none). A rule may set attributes
    of its own on ``ctx`` (``ctx.axis = axis``) for backward to read.

    Attributes
    ----------
    needs_input_grad : tuple of bool
        One entry per positional argument of :meth:`apply`: whether it is a Tensor that
        requires grad (all False while gradients are not recorded). Backward may return None
        for the inputs that do not.
    saved_tensors : tuple
        What forward saved with :meth:`save_for_backward` (see :attr:`saved_tensors`).

    Examples
    --------
    >>> import autograd as ag
    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):             # x is an np.ndarray
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad_output):  # d(x³)/dx = 3x²
    ...         x, = ctx.saved_tensors
    ...         return grad_output * 3 * x * x
    >>> t = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = Cube.apply(t)
    >>> y
    Tensor([1., 8.], grad_fn=<Cube>)
    >>> y.sum().backward()
    >>> t.grad
    Tensor([ 3., 12.])
    >>> ag.gradcheck(Cube.apply, t)
    True
    """

    # The engine's fields are slots (fast to set on every op); subclasses still get a __dict__
    # for their own ctx attributes (ctx.axis = ...), created only when they set one.
    __slots__ = ("needs_input_grad", "_saved", "_next", "_ids", "_out_ids", "_out", "_born",
                 "_seq", "_grad_owned", "_names", "__weakref__")
    _n_out = 1

    # ---------------------------------------------------------------- the ctx interface
    def save_for_backward(self, *xs):
        """Keep arrays (inputs, the output, or anything computed) for backward.

        Call it in ``forward``; backward reads them back from :attr:`saved_tensors`. Saved
        inputs and outputs come back as Tensors linked to the graph when backward is recorded
        (``create_graph=True``), so that the rule can be differentiated again; anything else
        comes back as it was saved. A saved input modified in place afterwards makes backward
        raise.

        Parameters
        ----------
        *xs : numpy.ndarray or object
            The values to keep, in the order backward unpacks them.

        Examples
        --------
        >>> import autograd as ag
        >>> class Square(ag.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         x, = ctx.saved_tensors
        ...         return 2 * x * grad_output
        >>> t = ag.tensor([3.0], requires_grad=True)
        >>> Square.apply(t).sum().backward()
        >>> t.grad
        Tensor([6.])
        """
        self._saved = xs

    @property
    def saved_tensors(self):
        """What forward saved: arrays, or Tensors linked to the graph when backward is recorded.

        In an ordinary backward pass these are the numpy arrays that forward saved; under
        ``create_graph=True`` (and whenever gradients are recorded, outside backward too) the
        saved inputs and outputs are Tensors linked to the graph.

        Raises
        ------
        RuntimeError
            After the node's backward has run without ``retain_graph=True``: the saved arrays
            are freed then.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([0.0, 1.0], requires_grad=True)
        >>> y = ag.exp(x)                 # Exp saves its output
        >>> y.grad_fn.saved_tensors
        (Tensor([1.        , 2.71828183], grad_fn=<Exp>),)
        >>> y.sum().backward()
        >>> y.grad_fn.saved_tensors
        Traceback (most recent call last):
            ...
        RuntimeError: Exp: trying to backward through the graph a second time (or to read ...
        """
        saved = self._saved
        if saved is _FREED:
            raise RuntimeError(
                f"{type(self).__name__}: trying to backward through the graph a second time (or "
                f"to read saved tensors after they were freed). The arrays saved for backward "
                f"are freed after the first backward: pass retain_graph=True to the first "
                f"backward() or grad() call to keep them")
        if not _mode.enabled:
            return saved
        return tuple(self._as_tensor(s) for s in saved)

    def _as_tensor(self, s):
        ids = self._ids
        sid = id(s)
        if sid in self._out_ids:
            k = self._out_ids.index(sid)
            return Tensor._make(np.asarray(s), self, True, k)
        if sid in ids:
            node, nr = edge_target(self._next[ids.index(sid)])
            if nr is None:                  # an input with no edge (s itself), or a leaf
                return s if node is None else node
            return Tensor._make(s, node, True, nr)
        return s

    # ---------------------------------------------------------------- to override
    @staticmethod
    def forward(ctx, *args, **kwargs):
        """The operation, on numpy arrays: override it as a ``@staticmethod``.

        Parameters
        ----------
        ctx : Function
            The node being recorded: call ``ctx.save_for_backward`` and set attributes on it.
        *args
            The arguments given to :meth:`apply`, with Tensors replaced by their arrays.
        **kwargs
            The keyword arguments given to :meth:`apply`, as they are.

        Returns
        -------
        numpy.ndarray or tuple of numpy.ndarray
            The output, or several outputs (a tuple) which :meth:`apply` returns as a tuple of
            Tensors.
        """
        raise NotImplementedError("a Function subclass must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """The gradient rule: override it as a ``@staticmethod``.

        Written with operators and methods that numpy arrays and Tensors share, the same rule
        serves a plain backward pass (arrays) and a recorded one (``create_graph=True``,
        Tensors), which can be differentiated again.

        Parameters
        ----------
        ctx : Function
            The node, as forward left it (``ctx.saved_tensors``, ``ctx.needs_input_grad``).
        *grad_outputs : numpy.ndarray or Tensor
            d(loss)/d(output), one per output of forward, of its shape (zeros for an output
            that got no gradient).

        Returns
        -------
        array, Tensor, None or tuple of them
            d(loss)/d(input), one per positional input of forward (a tuple for several), None
            for an input that needs none. A gradient of a broadcast shape is summed back to
            the input's shape by the engine.
        """
        raise NotImplementedError(
            "a Function subclass must define backward(ctx, *grad_outputs) to be differentiated")

    # ---------------------------------------------------------------- applying
    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward on the arguments and, if any input requires grad, record the node.

        The node is recorded only while gradients are recorded (see :class:`no_grad`).

        Parameters
        ----------
        *args
            The inputs: Tensors (those that require grad are differentiated), arrays, or any
            other values forward takes.
        **kwargs
            Passed to forward as they are (not differentiated): axes, shapes, constants.

        Returns
        -------
        Tensor or tuple of Tensor
            The output of forward as a Tensor (a tuple for several outputs), whose ``grad_fn``
            is the new node when it was recorded.

        Raises
        ------
        TypeError
            If forward returns something that is not an array (or a tuple of arrays).

        Examples
        --------
        >>> import autograd as ag
        >>> class Scale(ag.Function):
        ...     @staticmethod
        ...     def forward(ctx, x, k=2.0):
        ...         ctx.k = k
        ...         return x * k
        ...
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         return grad_output * ctx.k
        >>> t = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> y = Scale.apply(t, k=3.0)
        >>> y
        Tensor([3., 6.], grad_fn=<Scale>)
        >>> y.sum().backward()
        >>> t.grad
        Tensor([3., 3.])
        >>> with ag.no_grad():
        ...     Scale.apply(t)
        Tensor([2., 4.])
        """
        # With the compiled loops built (autograd/csrc/, see engine.py), the compiled apply
        # takes this one's place and does the same for one to three inputs; it calls this one
        # for any other number.
        ctx = object.__new__(cls)
        record = named = False
        if _mode.enabled:
            datas, nxt, needs = [], [], []
            for a in args:
                if isinstance(a, Tensor):
                    datas.append(a._data)
                    if a.requires_grad:
                        record = True
                        fn = a.grad_fn
                        # an edge: the leaf itself, or the node (with its output number)
                        nxt.append(a if fn is None else (fn, a._nr) if a._nr else fn)
                        needs.append(True)
                        continue
                    named = named or a.name is not None
                else:
                    datas.append(a)
                nxt.append(None)
                needs.append(False)
        else:
            datas = [a._data if isinstance(a, Tensor) else a for a in args]
            needs = [False] * len(args)
        ctx.needs_input_grad = tuple(needs)
        ctx._saved = ()
        if named and record:        # a constant input's name, for the pictures (viz)
            ctx._names = tuple(None if e is not None or not isinstance(a, Tensor) else a.name
                               for a, e in zip(args, nxt))
        out = cls.forward(ctx, *datas, **kwargs)
        if type(out) is tuple:
            return ctx._outputs(out, datas, nxt if record else None, args)
        if not record:
            t = Tensor._make(out if type(out) is np.ndarray else _to_array(out, cls))
            _link_view(t, datas, args, cls)
            return t
        ctx._next = tuple(nxt)
        ctx._seq = _next_seq()
        pinned = None
        if ctx._saved:
            ctx._ids = tuple(map(id, datas))
            ctx._out_ids = (id(out),)
            ctx._born = _clock.value
            pinned = _pin(ctx._saved, args, ctx, out)
        if type(out) is not np.ndarray:
            out = _to_array(out, cls)
        ctx._out = (out.shape, out.dtype)
        t = Tensor._make(out, ctx, True)
        t._pinned = pinned
        _link_view(t, datas, args, cls)
        return t

    def _outputs(self, outs, datas, nxt, args):
        if nxt is not None and self._saved:
            self._ids = tuple(map(id, datas))
            self._out_ids = tuple(map(id, outs))
            self._born = _clock.value
            _pin(self._saved, args, self, None)
        outs = tuple(o if type(o) is np.ndarray else _to_array(o, type(self)) for o in outs)
        if nxt is None:
            outs = tuple(Tensor._make(o) for o in outs)
            for t in outs:
                _link_view(t, datas, args, type(self))
            return outs
        self._next = nxt
        self._seq = _next_seq()
        self._n_out = len(outs)
        self._out_meta = [(o.shape, o.dtype) for o in outs]
        self._out = self._out_meta[0]
        outs = tuple(Tensor._make(o, self, o.dtype.kind == "f", k) for k, o in enumerate(outs))
        if self._saved:
            for t in outs:
                if any(x is t._data for x in self._saved):
                    t._pinned = _SELF
        for t in outs:
            _link_view(t, datas, args, type(self))
        return outs

    @property
    def _meta(self):
        """(shape, dtype) of each input that requires grad (None for the others)."""
        return [None if edge is None else _edge_meta(edge) for edge in self._next]

    def __repr__(self):
        return f"<{type(self).__name__}>"


def _link_view(t, datas, args, cls):
    """If the output ``t``'s array is a view of an input tensor's array (or that array itself,
    other than for an in-place write), make ``t`` one of that tensor's family
    (:func:`autograd.inplace.link`), so that ``.data`` of either watches what a node saved."""
    out = t._data
    if out.base is None:
        for d in datas:
            if d is out:
                break
        else:
            return      # a new array: no input's memory (the usual case, and cheap to tell)
    top = _inplace_root(out)
    for d, a in zip(datas, args):
        if isinstance(a, Tensor) and type(d) is np.ndarray and _inplace_root(d) is top:
            if d is out and cls in _WRITES_INPUT:
                return      # +=, -=, relu_() into the tensor's own array: the same tensor
            _link(t, a)
            return


# The Functions that write their output into their first input's array (binding fills it).
_WRITES_INPUT = set()


def _pin(saved, args, ctx, out):
    """Point the input tensors whose arrays ``saved`` holds to ``ctx`` (weakly); returns the
    output tensor's pin: _SELF if ``out`` is saved too, else None."""
    ref = None
    ids = {id(x): x for x in saved}
    for a in args:
        if not isinstance(a, Tensor):
            continue
        d = a._data
        if ids.get(id(d)) is not d:
            continue
        ref = _pin_input(a, ref, ctx)
    return _SELF if out is not None and ids.get(id(out)) is out else None


def _pin_input(t, ref, ctx):
    """Point the input tensor ``t``, whose array ``ctx`` saved, to ``ctx`` weakly; ``ref`` is the
    weak reference to ``ctx`` if one was made already. Returns it (made here if needed)."""
    p = t._pinned
    if p is _SELF and type(t.grad_fn._saved) is tuple:
        return ref      # its own node keeps it too, and runs backward after this one
    if ref is None:
        ref = _weakref(ctx)
    if p is None or p is _SELF:
        t._pinned = ref
    elif p is not ref:
        _repin(t, ref)
    if t._base is not None and type(t._base) is not list:
        _pin_view(t)        # a view: its family's head keeps it while pinned
    return ref


def edge_target(edge):
    """Where a graph edge (an item of a node's ``_next``, as ``Function.apply`` records it) leads:
    ``(node, k)`` for output ``k`` of a node, ``(leaf, None)`` for a leaf Tensor, ``(None, None)``
    for an input that takes no gradient. The one reader of edges: ``k is None`` is "no node"."""
    if isinstance(edge, Function):      # the node, for its output 0
        return edge, 0
    if type(edge) is tuple:             # (node, k), k > 0
        return edge
    return edge, None                   # None, or a leaf Tensor


def _edge_meta(edge):
    """(shape, dtype) that a gradient sent along ``edge`` must have."""
    node, nr = edge_target(edge)
    if nr is None:                      # a leaf
        return node._data.shape, node._data.dtype
    return node._out_meta[nr] if nr else node._out


def _to_array(out, cls):
    if isinstance(out, Tensor):
        return out._data
    arr = np.asarray(out)
    if arr.dtype == object:
        raise TypeError(f"{cls.__name__}.forward must return numpy arrays, got "
                        f"{type(out).__name__}")
    return arr


def dual(fn):
    """``fn`` as a function that backward rules can call on arrays and on Tensors alike.

    On Tensors (a recorded backward) it is ``fn.apply``; on plain arrays it runs ``fn.forward``
    directly, with no graph and no Tensor wrapping. Backward rules use it for the few operations
    that arrays and Tensors do not share as an operator or method (exp, where, broadcast_to...).

    Parameters
    ----------
    fn : type
        A :class:`Function` subclass.

    Returns
    -------
    callable
        The dispatching function, named after ``fn`` in lower case, with ``fn``'s docstring.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> from autograd.function import dual
    >>> from autograd.ops.elementwise import Exp
    >>> exp = dual(Exp)
    >>> exp(np.zeros(2))                                  # an array in, an array out
    array([1., 1.])
    >>> exp(ag.tensor([0.0], requires_grad=True))         # a Tensor: recorded
    Tensor([1.], grad_fn=<Exp>)
    """
    forward = fn.forward

    def call(*args, **kwargs):
        for a in args:
            if isinstance(a, Tensor):
                return fn.apply(*args, **kwargs)   # looked up now: detect_anomaly swaps it
        return forward(_RawCtx(), *args, **kwargs)

    call.__name__ = call.__qualname__ = fn.__name__.lower()
    call.__doc__ = fn.__doc__
    return call if _compiled_dual is None else _compiled_dual(fn, call)


# The compiled loops' dual (autograd/csrc/apply.c), when built: the same dispatch without the
# Python frames (until autograd.binding configures the module it calls the Python one).
_compiled_dual = None if _core.fast is None else _core.fast.Dual


# Below this many elements a new array costs no more than the checks for writing in place.
_IN_PLACE_FROM = 4096


def _grad_times(ctx, grad_output, factor):
    """``grad_output * factor`` for a backward rule, written into grad_output's own array when
    the engine has handed that array over to this call of the rule.

    The compiled plain backward pass hands a call of a node's rule its incoming gradient when
    nothing else holds the array: no other node's buffer, no Python name, no view of it (its
    reference count is the engine's one; only where reference counts prove that,
    ``_core.OWNERSHIP_PROVEN``). While that call runs, ``ctx._grad_owned`` is that very array
    (else False): the permission belongs to the call and its array, not to the node, which
    another thread may be running at the same time with an array it does not own. The product
    in place is then one array fewer to allocate and write, in memory the gradient's own matmul
    has just warmed. ``factor`` must have grad_output's shape and be of its dtype or bool (a
    mask); otherwise, or when the array is not handed over (the Python engine, a recorded
    backward) or small, this is the plain product. Call it for the rule's last use of
    grad_output: afterwards grad_output may hold the product.
    """
    if grad_output.size >= _IN_PLACE_FROM and getattr(ctx, "_grad_owned", None) is grad_output \
            and type(factor) is np.ndarray \
            and factor.shape == grad_output.shape \
            and (factor.dtype == grad_output.dtype or factor.dtype == np.bool_):
        flags = grad_output.flags      # handed over: an ndarray, with no other holder
        if flags.writeable and flags.owndata:
            return np.multiply(grad_output, factor, out=grad_output)
    return grad_output * factor


# The compiled loops' own, when built (the ops import it); this one stays the reference.
grad_times = _grad_times if _core.fast is None else _core.fast.grad_times
