"""BatchedTensor, one example's shape with the whole batch underneath, and how an operation on
one is dispatched. While :func:`autograd.vmap.vmap` runs, ``Function.apply`` is :func:`_apply`
(installed by :mod:`autograd.batching_engine`): it finds the innermost level among the
arguments and calls the operation's batching rule from ``_RULES`` (filled by
:mod:`autograd.batching_rules` and :mod:`autograd.batching_rules_linalg`), or runs it once per
example (:func:`_loop`).
"""
import math
import threading
import warnings

import numpy as np

from .function import Function
from .ops import shape as _sh
from .tensor import Tensor, _ops
from .transform_passes import Derivative


class BatchingRuleWarning(UserWarning):
    """An operation without a batching rule ran once per example inside :func:`vmap`."""


# ----------------------------------------------------------------------------- levels
class _Level:
    """One call of a vmapped function: the batch size and the nesting depth."""
    __slots__ = ("size", "depth", "name", "inputs", "graph")

    def __init__(self, size, depth, name):
        self.size, self.depth, self.name = size, depth, name
        self.inputs = set()     # ids of the arrays given: an output that is one is copied
        self.graph = False      # whether a Tensor given requires grad (results stay linked)


_local = threading.local()          # .levels: the active levels of this thread, innermost last


_installed = [0, None, None, None]  # [count, Function.apply, engine.run_backward, plain_index]
_warned = set()


def _levels():
    lv = getattr(_local, "levels", None)
    if lv is None:
        lv = _local.levels = []
    return lv


class _NeedsPerExample(Exception):
    """Raised inside f when a gradient is asked for with respect to an unbatched tensor."""

    def __init__(self, tensors, level):
        super().__init__("vmap: a gradient with respect to an unmapped tensor")
        self.tensors, self.level = tensors, level


# ----------------------------------------------------------------------------- BatchedTensor
def _escape(self, *args, **kwargs):
    raise TypeError(
        f"vmap: this operation needs the values of a batched tensor (one example's shape "
        f"{self.shape}, a batch of {self._level.size}) as a plain array, which vmap cannot "
        f"batch; write it with the library's operations (ag.*, Tensor methods, numpy's "
        f"functions on Tensors)")


class _Shadow(np.ndarray):
    """What ``BatchedTensor._data`` shows foreign code: one example's shape and dtype, filled
    with NaN (floats) or 0 (integers), read-only; using its values raises (numpy's functions
    and ufuncs on it, indexing, conversions). So metadata checks (``x._data.ndim``) work and
    value reads fail loudly instead of mistaking the batch for an example. An operation given
    it, or a plain view of it (``np.asarray(raw(x))``), gets the batched tensor back."""

    def __array_ufunc__(self, *args, **kwargs):
        _shadow_error()

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.shape, np.ndim, np.size, np.result_type, np.iscomplexobj,
                    np.isrealobj):
            return func(*[np.asarray(a) if isinstance(a, _Shadow) else a for a in args],
                        **kwargs)
        _shadow_error()

    def __getitem__(self, index):
        _shadow_error()

    def __float__(self):
        _shadow_error()

    __int__ = __bool__ = __index__ = __iter__ = tolist = item = __float__


def _shadow_error():
    raise TypeError(
        "vmap: this operation reads the values of a batched tensor as a plain array, which "
        "vmap cannot batch; write it with the library's operations (ag.*, Tensor methods, "
        "numpy's functions on Tensors)")


def _shadow(t):
    dtype = t._phys.dtype
    fill = np.nan if dtype.kind in "fc" else 0 if dtype.kind in "iu" else False
    arr = np.ndarray.__new__(_Shadow, t.shape, dtype)     # owning its memory: a view of
    arr.fill(fill)                                          # it has it as its base
    arr.flags.writeable = False
    arr._owner = t          # an op given this array (raw(x) passed on) gets the batch back
    return arr


class BatchedTensor(Tensor):
    """A Tensor inside :func:`vmap`: one example's shape, the whole batch underneath.

    ``shape``, ``ndim``, ``size`` and ``len()`` are one example's; the operations applied to it
    run once on the batch (see :mod:`autograd.vmap`). Its values cannot be read as a plain
    array inside ``vmap`` (``numpy()``, ``item()``, ``float()``, ``np.asarray`` raise): the
    result of ``f`` is where the batch comes back.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.vmap import vmap
    >>> def show(x):
    ...     print(type(x).__name__, x.shape)
    ...     return x.sum()
    >>> vmap(show)(np.ones((5, 3)))
    BatchedTensor (3,)
    array([3., 3., 3., 3., 3.])
    """
    __slots__ = ("_phys", "_level", "_replay")

    # every attribute read of the array goes through _phys; foreign code reading ``_data``
    # (raw(), np.asarray) would see the batch axis and mistake it for one example's: it raises
    _data = property(_shadow)

    @property
    def shape(self):
        return tuple(self._phys.shape[1:])

    @property
    def ndim(self):
        return self._phys.ndim - 1

    @property
    def size(self):
        return math.prod(self.shape)     # not np.prod: its dispatch costs more than the product

    @property
    def dtype(self):
        return self._phys.dtype

    @property
    def data(self):
        _escape(self)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __repr__(self):
        return (f"BatchedTensor(shape={self.shape}, batch={self._level.size}, "
                f"dtype={self.dtype})")

    def numpy(self):
        """One example's shape and dtype as a read-only array whose values cannot be used
        (metadata checks work; arithmetic on it raises)."""
        return _shadow(self)

    __array__ = item = tolist = __float__ = __int__ = __bool__ = _escape
    __index__ = _escape

    def detach(self):
        return _wrap(self._phys.detach(), self._level)

    def backward(self, *args, **kwargs):
        raise RuntimeError(
            "vmap: backward() on a batched tensor inside vmap: use F.grad (or ag.grad) inside "
            "the mapped function, or backward() on vmap's result")

    def __getitem__(self, index):
        return _getitem(self, index)

    def __array_function__(self, func, types, args, kwargs):
        if func is np.shape:
            return self.shape
        if func is np.ndim:
            return self.ndim
        if func is np.size and len(args) == 1 and not kwargs:
            return self.size
        return _python_method("__array_function__")(self, func, types, args, kwargs)


def _compare(ufunc, reflected=False):
    def method(self, other):
        a, b = (other, self) if reflected else (self, other)
        return _map_plain(ufunc, a, b)
    return method


def _map_plain(ufunc, *args):
    """A ufunc with no gradient (comparisons, logic) on batched operands: a boolean batch."""
    level = max((a._level for a in args if type(a) is BatchedTensor), key=lambda l: l.depth)
    nd = max(_ndim(a) for a in args)
    arrs = []
    for a in args:
        if _is_b(a, level):
            p = _lift(a, level, nd)
            arrs.append(_tensor_data.__get__(p) if type(p) is BatchedTensor else p._data)
            if type(p) is BatchedTensor:
                raise TypeError("vmap: comparisons of tensors batched at two levels are not "
                                "supported")
        elif type(a) is BatchedTensor:
            raise TypeError("vmap: comparisons of tensors batched at two levels are not "
                            "supported")
        else:
            arrs.append(a._data if isinstance(a, Tensor) else a)
    return _wrap(Tensor._make(np.asarray(ufunc(*arrs))), level)


def _python_method(name):
    m = Tensor.__dict__[name]
    return getattr(m, "__wrapped__", m)


# Tensor's operators may be compiled (one Function.apply without a Python frame, which would
# miss the batching rules): a BatchedTensor takes the Python methods they wrap. Being a
# subclass, its reflected methods run first for ``tensor + batched``.
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__matmul__", "__rmatmul__", "__neg__", "__abs__",
              "__pow__", "__rpow__", "__array_ufunc__", "abs", "exp", "log", "sqrt", "tanh",
              "sigmoid", "relu"):
    if _name in Tensor.__dict__:
        setattr(BatchedTensor, _name, _python_method(_name))
for _name in ("__iadd__", "__isub__", "__imul__", "__itruediv__", "relu_", "__setitem__"):
    setattr(BatchedTensor, _name, lambda self, *a, _n=_name: (_ for _ in ()).throw(TypeError(
        f"vmap: in-place {_n} on a batched tensor is not supported; write it out of place")))
for _name, _uf in (("__lt__", np.less), ("__le__", np.less_equal), ("__gt__", np.greater),
                  ("__ge__", np.greater_equal), ("__eq__", np.equal), ("__ne__", np.not_equal),
                  ("__and__", np.bitwise_and), ("__or__", np.bitwise_or),
                  ("__xor__", np.bitwise_xor)):
    setattr(BatchedTensor, _name, _compare(_uf))
BatchedTensor.__invert__ = lambda self: _map_plain(np.invert, self)
BatchedTensor.__hash__ = Tensor.__hash__
del _name, _uf

_tensor_data = Tensor.__dict__["_data"]         # the slot: what compiled code reads


def _wrap(phys, level):
    """A BatchedTensor of ``level`` over ``phys`` (batch on axis 0)."""
    if not isinstance(phys, Tensor):
        phys = Tensor(phys)
    t = object.__new__(BatchedTensor)
    _tensor_data.__set__(t, phys._data if type(phys) is not BatchedTensor
                         else _tensor_data.__get__(phys))
    t._phys, t._level, t._replay = phys, level, None
    t._grad = None
    t.requires_grad = phys.requires_grad
    t.grad_fn = phys.grad_fn
    t.name = None
    t._nr = phys._nr
    t._pinned = None
    t._base = None
    return t


def _is_b(a, level):
    return type(a) is BatchedTensor and a._level is level


def _ndim(a):
    if isinstance(a, Tensor):
        return a.ndim
    return np.ndim(a)


def _shape(a):
    if isinstance(a, Tensor):
        return a.shape
    return np.shape(a)


# ----------------------------------------------------------------------------- dispatch
_RESHAPE, _TRANSPOSE, _BROADCAST = _sh.Reshape, _sh.Transpose, _sh.BroadcastTo
_GETITEM, _STACK = _sh.GetItem, _sh.Stack

# the rules by operation class; the classes whose subclasses do not inherit their rule
_RULES = {}
_NOT_INHERITED = set()


def _apply(cls, *args, **kwargs):
    """Function.apply while vmap runs: the batching rule where an argument is batched."""
    level = None
    for a in args:
        if type(a) is BatchedTensor and (level is None or a._level.depth > level.depth):
            level = a._level
            if a._replay is not None:
                return _lazy_apply(cls, args, kwargs)
        elif type(a) is _Shadow or type(a) is np.ndarray and type(a.base) is _Shadow:
            return _apply(cls, *[_unshadow(a) for a in args], **kwargs)
    if kwargs:
        idx = kwargs.get("index")
        if idx is not None:
            for a in (idx if type(idx) is tuple else (idx,)):
                if type(a) is BatchedTensor and (level is None or a._level.depth > level.depth):
                    level = a._level
    if level is None:
        return _installed[1].__func__(cls, *args, **kwargs)
    rule = _RULES.get(cls)
    if rule is None:
        rule = _resolve(cls)
    out = rule(cls, level, args, kwargs)
    if type(out) is tuple:
        return tuple(_wrap(o, level) for o in out)
    return _wrap(out, level)


def _lazy_apply(cls, args, kwargs):
    """An operation given a lazy result: a transform's link stays lazy (the values as they
    are, the link made when recorded); any other operation realizes it."""
    if cls is Derivative and args[0]._replay \
            is not None and not any(type(a) is BatchedTensor and a._replay is not None
                                    for a in args[1:]):
        g = args[0]
        out = _wrap(g._phys, g._level)
        out.requires_grad = True
        state = []

        def replay():
            if not state:
                state.append(_apply(cls, _realize(g), *args[1:], **kwargs))
            return state[0]

        out._replay = replay
        return out
    return _apply(cls, *[_realize(a) for a in args], **kwargs)


def _resolve(cls):
    """The rule of ``cls``: its own, its nearest base's, by name, or the loop (then cached)."""
    rule = None
    if cls not in _NOT_INHERITED:
        for base in cls.__mro__[1:]:
            if base in _RULES and base not in _NOT_INHERITED:
                rule = _RULES[base]
                break
    if rule is None:
        rule = _BY_NAME.get((cls.__module__, cls.__name__))
    if rule is None:
        return _loop                # not cached: a rule may be registered later
    _RULES[cls] = rule
    return rule


def _unshadow(a):
    if type(a) is np.ndarray and type(a.base) is _Shadow:
        a = a.base
    return getattr(a, "_owner", a) if type(a) is _Shadow else a


def _call(cls, *args, **kwargs):
    """The operation on physical tensors (batched at an outer level, if any: dispatched)."""
    for a in args:
        if type(a) is BatchedTensor or type(a) is _Shadow or \
                type(a) is np.ndarray and type(a.base) is _Shadow:
            return _apply(cls, *args, **kwargs)
    if kwargs and "index" in kwargs and _has_batched(kwargs["index"]):
        return _apply(cls, *args, **kwargs)
    return _plain_apply[0](cls, *args, **kwargs)


_plain_apply = [None]       # the apply in place when vmap was entered (compiled or Python)


def _phys(a, level):
    return a._phys if _is_b(a, level) else a


def _lift(a, level, ndim):
    """``a``'s batch as an array of ``ndim`` example axes, aligned to the right."""
    if _is_b(a, level):
        p, k = a._phys, ndim - a.ndim
        if k > 0:
            p = _call(_RESHAPE, p, shape=(level.size,) + (1,) * k + a.shape)
        return p
    return a


def _expand(a, level):
    """An unbatched value as a batch of copies (a broadcast view, recorded)."""
    if _is_b(a, level):
        return a._phys
    if not isinstance(a, Tensor):
        a = Tensor(a)
    shape = a.shape
    r = _call(_RESHAPE, a, shape=(1,) + shape)
    return _call(_BROADCAST, r, shape=(level.size,) + shape)


def _loop(cls, level, args, kwargs):
    """No rule: the operation once per example, stacked."""
    name = cls.__name__
    if name not in _warned:
        _warned.add(name)
        warnings.warn(f"vmap: {name} has no batching rule; it runs once per example (a Python "
                      f"loop over the batch) and the results are stacked", BatchingRuleWarning,
                      stacklevel=3)
    idx = kwargs.get("index")
    outs = []
    for b in range(level.size):
        a_b = [_call(_GETITEM, a._phys, index=b) if _is_b(a, level) else a for a in args]
        kw = kwargs
        if idx is not None and any(_is_b(i, level) for i in
                                   (idx if type(idx) is tuple else (idx,))):
            kw = dict(kwargs)
            kw["index"] = (tuple(_example(i, level, b) for i in idx) if type(idx) is tuple
                           else _example(idx, level, b))
        outs.append(_call(cls, *a_b, **kw))
    if type(outs[0]) is tuple:
        return tuple(_call(_STACK, *[o[k] for o in outs], axis=0) for k in range(len(outs[0])))
    return _call(_STACK, *outs, axis=0)


def _example(i, level, b):
    if _is_b(i, level):
        p = i._phys
        return (p._data if type(p) is not BatchedTensor else p)[b]
    return i


def _getitem(x, index):
    """``x[index]`` for a batched x (a BatchedTensor's ``__getitem__``)."""
    index = _ops.plain_index(index) if not _has_batched(index) else index
    return _apply(_GETITEM, x, index=index)


def _has_batched(index):
    items = index if isinstance(index, tuple) else (index,)
    return any(type(i) is BatchedTensor for i in items)


def _realize(t):
    """A lazy result (see _run_backward) as its recorded self; anything else as it is."""
    if type(t) is BatchedTensor and t._replay is not None:
        return t._replay()
    return t


def _owner(a):
    while getattr(a, "base", None) is not None:
        a = a.base
    return a


def _raw(x):
    return _tensor_data.__get__(x) if isinstance(x, Tensor) else x


# the transforms' link lives with the dispatch, not the rules: _lazy_apply keeps a lazy result
# lazy through it
class _Link(Function):
    """A transform's link of a derivative to its point, on the batch (transform_passes.py's
    Derivative, without the copy): the identity in ``g`` (a view), zero in the point."""

    @staticmethod
    def forward(ctx, g, *xs):
        ctx.metas = [(np.shape(x), np.asarray(x).dtype) for x in xs]
        return g.view()

    @staticmethod
    def backward(ctx, grad_output):
        return (grad_output,) + tuple(np.zeros(s, d) for s, d in ctx.metas)


def _passthrough(cls, level, args, kwargs):
    """An identity in its first argument (a transform's link to its point): on the batch."""
    first = _expand(args[0], level)
    if kwargs or any(type(a) is BatchedTensor and not _is_b(a, level) for a in args):
        return _call(cls, first, *[_phys(a, level) for a in args[1:]], **kwargs)
    return _call(_Link, first, *[_phys(a, level) for a in args[1:]])


# A transform's link of a derivative to its point passes through (a class: no cycle to avoid)
_RULES[Derivative] = _passthrough
# nn's operations, by (module, name): nn imports autograd, so autograd cannot import nn (the
# rule modules add them; looked up when first met)
_BY_NAME = {}
