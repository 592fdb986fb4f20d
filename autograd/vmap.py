"""vmap: a function mapped over an axis of its arguments, by batching rules per operation.

``vmap(f, in_axes=0, out_axes=0)(*args)`` equals stacking ``f`` applied to each example (the
slices of the mapped arguments along their axes), but runs ``f`` once: each mapped argument
becomes a :class:`BatchedTensor`, a Tensor that shows ``f`` the shape of one example and
carries the whole batch on a leading axis of its array. Every operation on one goes through a
batching rule, chosen by the operation's family:

- elementwise operations (``+``, ``ag.exp``, ``np.tanh``...) broadcast, the batched operands'
  axes aligned to the right as numpy aligns one example's;
- reductions, scans, softmax and the operations that take an ``axis`` get it shifted by one
  (``axis=None`` reduces every axis but the batch's);
- shape operations keep the batch axis in front (``reshape``, ``transpose``, ``broadcast_to``,
  ``concatenate``, ``stack``...); indexing indexes behind it (a batched index array picks one
  example's entries from that example);
- ``matmul`` and ``einsum`` (so ``dot``, ``inner``, ``tensordot``...) batch natively: a batched
  vector times a shared matrix is one matrix product of the whole batch;
- ``ag.linalg`` runs on the stack of matrices (``solve``, ``inv``, ``det``, ``cholesky``...),
  and ``norm`` with its axes shifted.

An operation with no rule (a custom :class:`~autograd.Function`, say) runs once per example
and the results are stacked, with a :class:`BatchingRuleWarning` issued once per operation.
Numpy's functions called on a BatchedTensor (``np.sum(x)``) are the library's, so they batch.

Gradients compose: the graph recorded is that of the whole batch, so ``F.grad`` inside
``vmap`` (or ``ag.grad`` on a batched loss) differentiates each example's output, seeded with
one per example. For an argument that is not mapped (``in_axes`` None) but differentiated
inside (``vmap(F.grad(loss), in_axes=(None, 0, 0))(params, X, y)``), vmap gives the function
a per-example copy of it (the array broadcast along a batch axis, a leaf): the gradient of the
summed loss with respect to that copy is exactly each example's gradient, and a batched
``x @ W`` then yields the per-example weight gradients as outer products, in one backward pass.
vmap learns that an argument is differentiated the first time (the gradient is asked for with
respect to an unbatched tensor) and calls ``f`` again with the copy; the vmapped function
remembers it for its later calls.
"""
import functools
import threading
import warnings

import numpy as np

from . import engine as _engine
from .function import Function, _RawCtx
from .mode import _mode
from .tensor import Tensor, _ops

__all__ = ["vmap", "BatchedTensor", "BatchingRuleWarning"]


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
_lock = threading.Lock()
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
        return int(np.prod(self.shape, dtype=np.int64))

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
    if _BY_NAME.get((cls.__module__, cls.__name__)) is _passthrough and args[0]._replay \
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


# ----------------------------------------------------------------------------- rules
def _elementwise(cls, level, args, kwargs):
    nd = max(_ndim(a) for a in args if isinstance(a, (Tensor, np.ndarray, list, tuple))) \
        if any(isinstance(a, (Tensor, np.ndarray, list, tuple)) for a in args) else 0
    return _call(cls, *[_lift(a, level, nd) for a in args], **kwargs)


def _first_nd(args, level):
    for a in args:
        if _is_b(a, level):
            return a.ndim
    return 0


def _shift(axis, nd, none_all=True):
    """Axis or axes of one example, as those of the batch (None: every example axis)."""
    if axis is None:
        return tuple(range(1, nd + 1)) if none_all else None
    if isinstance(axis, (tuple, list)):
        return tuple(int(a) % max(nd, 1) + 1 for a in axis)
    return int(axis) % max(nd, 1) + 1


def _axis_rule(param="axis", pos=1, none_all=True, elementwise_args=1):
    """The operation with its ``param`` (keyword, or positional at ``pos``) shifted by one."""
    def rule(cls, level, args, kwargs):
        nd = _first_nd(args, level)
        args = list(args)
        kwargs = dict(kwargs)
        if param in kwargs:
            kwargs[param] = _shift(kwargs[param], nd, none_all)
        elif len(args) > pos:
            args[pos] = _shift(args[pos], nd, none_all)
        else:
            default = _default(cls, param)
            kwargs[param] = _shift(default, nd, none_all)
        k = elementwise_args
        lifted = [_lift(a, level, nd) if i < k else _expand(a, level) if isinstance(a, Tensor)
                  else a for i, a in enumerate(args)]
        return _call(cls, *lifted, **kwargs)
    return rule


def _default(cls, param):
    import inspect
    p = inspect.signature(cls.forward).parameters.get(param)
    return None if p is None or p.default is inspect.Parameter.empty else p.default


def _reshape_rule(cls, level, args, kwargs):
    x = args[0]
    shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return _call(cls, x._phys, shape=(level.size,) + shape)


def _transpose_rule(cls, level, args, kwargs):
    x = args[0]
    axes = kwargs.get("axes", args[1] if len(args) > 1 else None)
    nd = x.ndim
    axes = tuple(range(nd - 1, -1, -1)) if axes is None else tuple(int(a) % nd for a in axes)
    return _call(cls, x._phys, axes=(0,) + tuple(a + 1 for a in axes))


def _broadcast_rule(cls, level, args, kwargs):
    x = args[0]
    shape = kwargs.get("shape", args[1] if len(args) > 1 else None)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return _call(cls, _lift(x, level, len(shape)), shape=(level.size,) + shape)


def _flatten_rule(cls, level, args, kwargs):
    return _call(_RESHAPE, args[0]._phys, shape=(level.size, -1))


def _join_rule(stacking):
    def rule(cls, level, args, kwargs):
        nd = _first_nd(args, level) + (1 if stacking else 0)
        axis = kwargs.get("axis", 0)
        parts = [_expand(a, level) for a in args]
        return _call(cls, *parts, axis=int(axis) % nd + 1)
    return rule


def _tile_rule(cls, level, args, kwargs):
    x = args[0]
    reps = kwargs.get("reps", args[1] if len(args) > 1 else ())
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    n = max(len(reps), x.ndim)
    reps = (1,) * (n - len(reps)) + reps
    return _call(cls, _lift(x, level, n), reps=(1,) + reps)


def _roll_rule(cls, level, args, kwargs):
    x = args[0]
    shift = kwargs.get("shift", 0)
    axis = kwargs.get("axis")
    if axis is None:
        flat = _call(_RESHAPE, x._phys, shape=(level.size, -1))
        out = _call(cls, flat, shift=shift, axis=1)
        return _call(_RESHAPE, out, shape=(level.size,) + x.shape)
    return _call(cls, x._phys, shift=shift, axis=_shift(axis, x.ndim))


def _pad_rule(cls, level, args, kwargs):
    x = args[0]
    pw = kwargs.get("pad_width")
    pw = np.broadcast_to(np.asarray(pw, dtype=np.intp), (x.ndim, 2)).tolist()
    kw = dict(kwargs)
    kw["pad_width"] = [[0, 0]] + pw
    return _call(cls, x._phys, **kw)


def _diag_rule(cls, level, args, kwargs):
    x = args[0]
    nd = x.ndim if cls is not _DIAG_EMBED else len(kwargs.get("shape") or ()) or x.ndim + 1
    kw = dict(kwargs)
    for name in ("axis1", "axis2"):
        kw[name] = _shift(kw.get(name, _default(cls, name)), nd)
    if cls is _DIAG_EMBED and kw.get("shape") is not None:
        kw["shape"] = (level.size,) + tuple(kw["shape"])
    return _call(cls, x._phys, **kw)


def _getitem(x, index):
    """``x[index]`` for a batched x (a BatchedTensor's ``__getitem__``)."""
    index = _ops.plain_index(index) if not _has_batched(index) else index
    return _apply(_GETITEM, x, index=index)


def _has_batched(index):
    items = index if isinstance(index, tuple) else (index,)
    return any(type(i) is BatchedTensor for i in items)


def _getitem_rule(cls, level, args, kwargs):
    x = args[0]
    index = kwargs.get("index")
    items = index if type(index) is tuple else (index,)
    if not _is_b(x, level):
        x = _wrap(_expand(x, level), level)
    if not any(_is_b(i, level) for i in items):
        # the batch axis last: an index of the example's leading axes leaves it last
        items = _explicit(items, x.ndim)
        moved = _call(_TRANSPOSE, x._phys, axes=tuple(range(1, x.ndim + 1)) + (0,))
        out = _call(cls, moved, index=_plain(items))
        nd = out.ndim
        return _call(_TRANSPOSE, out, axes=(nd - 1,) + tuple(range(nd - 1)))
    # batched index arrays: the leading axes indexed by arrays (and ints), the batch's own
    # entries picked by an arange over the batch
    adv = []
    for i in items:
        if i is Ellipsis or i is None or isinstance(i, slice):
            break
        adv.append(i)
    if len(adv) != len(items) and any(_is_b(i, level) or _is_array_index(i)
                                      for i in items[len(adv):]):
        return _loop(cls, level, args, kwargs)
    arrays = [np.asarray(_idx_array(i, level)) for i in adv]
    nds = [(i.ndim if _is_b(i, level) else np.ndim(i)) for i in adv]
    n = max(nds)
    B = level.size
    lifted = []
    for i, a, d in zip(adv, arrays, nds):
        if _is_b(i, level):
            lifted.append(a.reshape((B,) + (1,) * (n - d) + a.shape[1:]))
        else:
            lifted.append(a)
    batch = _arange(B).reshape((B,) + (1,) * n)
    return _call(cls, x._phys, index=(batch,) + tuple(lifted) + tuple(items[len(adv):]))


@functools.lru_cache(maxsize=64)
def _arange(n):
    a = np.arange(n)
    a.flags.writeable = False
    return a


def _is_array_index(i):
    return isinstance(i, (np.ndarray, list)) or isinstance(i, Tensor)


def _idx_array(i, level):
    if _is_b(i, level):
        p = i._phys
        if type(p) is BatchedTensor:
            raise TypeError("vmap: an index batched at two levels of vmap is not supported")
        return _tensor_data.__get__(p)
    return i._data if isinstance(i, Tensor) else i


def _plain(items):
    return tuple(i._data if isinstance(i, Tensor) and type(i) is not BatchedTensor else i
                 for i in items)


def _explicit(items, nd):
    """The index with its Ellipsis written out, so that it indexes the leading axes only."""
    used = 0
    for i in items:
        if i is None or i is Ellipsis:
            continue
        a = np.asarray(i) if not isinstance(i, (slice, int, np.integer)) else None
        used += a.ndim if a is not None and a.dtype == bool else 1
    out = []
    seen = False
    for i in items:
        if i is Ellipsis and not seen:
            out.extend([slice(None)] * (nd - used))
            seen = True
        else:
            out.append(i)
    if not seen:
        out.extend([slice(None)] * (nd - used))
    return tuple(out)


class _VecMat(Function):
    """A batch of vectors times a batch of matrices, ``out[b] = a[b] @ W[b]``: matmul's rule
    for a batched vector and a batched matrix (a per-example copy of the weights, when
    differentiating each example's loss). When the matrices are one matrix broadcast along the
    batch (stride 0), the forward is one matrix product of the whole batch; the weights'
    gradient is the batch of outer products ``a[b] ⊗ g[b]``: each example's own."""

    @staticmethod
    def forward(ctx, a, w):
        ctx.save_for_backward(a, w)
        if w.strides[0] == 0:
            return a @ w[0]
        return np.einsum("bk,bkm->bm", a, w)

    @staticmethod
    def backward(ctx, g):
        a, w = ctx.saved_tensors
        B, k = a.shape
        m = g.shape[1]
        ga = gw = None
        if ctx.needs_input_grad[0]:
            wa = _raw(w)
            if isinstance(g, np.ndarray) and wa.strides[0] == 0:
                ga = g @ wa[0].T
            else:
                ga = (g.reshape((B, 1, m)) @ w.swapaxes(-1, -2)).reshape((B, k))
        if ctx.needs_input_grad[1]:
            gw = _outer(a, g)
        return ga, gw


class _Outer(Function):
    """The batch of outer products ``out[b] = a[b] ⊗ g[b]`` (per-example weight gradients)."""

    @staticmethod
    def forward(ctx, a, g):
        ctx.save_for_backward(a, g)
        return np.einsum("bk,bm->bkm", a, g)

    @staticmethod
    def backward(ctx, grad_output):
        a, g = ctx.saved_tensors
        B, k = a.shape
        m = g.shape[1]
        ga = (grad_output * g.reshape((B, 1, m))).sum(axis=2) if ctx.needs_input_grad[0] \
            else None
        gg = (grad_output * a.reshape((B, k, 1))).sum(axis=1) if ctx.needs_input_grad[1] \
            else None
        return ga, gg


def _outer(a, g):
    if isinstance(a, Tensor) or isinstance(g, Tensor):
        return _call(_Outer, a, g)
    return _Outer.forward(_RawCtx(), a, g)


def _owner(a):
    while getattr(a, "base", None) is not None:
        a = a.base
    return a


def _raw(x):
    return _tensor_data.__get__(x) if isinstance(x, Tensor) else x


def _matmul_rule(cls, level, args, kwargs):
    a, b = args
    B = level.size
    an, bn = _ndim(a), _ndim(b)
    ab, bb = _is_b(a, level), _is_b(b, level)
    if ab and bb and an == 1 and bn == 2 and type(a._phys) is not BatchedTensor \
            and type(b._phys) is not BatchedTensor:
        return _call(_VecMat, a._phys, b._phys)
    if ab and not bb and an == 1 and bn == 2:          # a batch of vectors times a matrix
        return _call(cls, a._phys, b)
    if ab and not bb and an == 2 and bn == 2:          # a batch of matrices times a matrix
        return _call(cls, a._phys, b)
    # vectors as matrices, batch axes aligned
    squeeze = []
    if an == 1:
        a2 = _call(_RESHAPE, a._phys, shape=(B, 1) + a.shape) if ab else \
            _call(_RESHAPE, a if isinstance(a, Tensor) else Tensor(a), shape=(1,) + _shape(a))
        ashape = (1,) + _shape(a)
        squeeze.append(-2)
    else:
        a2, ashape = _phys(a, level), _shape(a)
    if bn == 1:
        b2 = _call(_RESHAPE, b._phys, shape=(B,) + b.shape + (1,)) if bb else \
            _call(_RESHAPE, b if isinstance(b, Tensor) else Tensor(b), shape=_shape(b) + (1,))
        bshape = _shape(b) + (1,)
        squeeze.append(-1)
    else:
        b2, bshape = _phys(b, level), _shape(b)
    n = max(len(ashape), len(bshape))
    if ab and len(ashape) < n:
        a2 = _call(_RESHAPE, a2, shape=(B,) + (1,) * (n - len(ashape)) + ashape)
    if bb and len(bshape) < n:
        b2 = _call(_RESHAPE, b2, shape=(B,) + (1,) * (n - len(bshape)) + bshape)
    if not ab:
        a2 = _call(_RESHAPE, a2 if isinstance(a2, Tensor) else Tensor(a2),
                   shape=(1,) * (n + 1 - len(ashape)) + ashape)
    if not bb:
        b2 = _call(_RESHAPE, b2 if isinstance(b2, Tensor) else Tensor(b2),
                   shape=(1,) * (n + 1 - len(bshape)) + bshape)
    out = _call(cls, a2, b2)
    if squeeze:
        shape = list(out.shape)
        for ax in sorted(squeeze):
            del shape[ax]
        out = _call(_RESHAPE, out, shape=tuple(shape))
    return out


def _einsum_rule(cls, level, args, kwargs):
    subscripts = kwargs["subscripts"]
    ins, _, out = subscripts.replace(" ", "").partition("->")
    terms = ins.split(",")
    used = set(subscripts)
    letter = next(c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba"
                  if c not in used)
    if "->" not in subscripts:
        raise TypeError("vmap: einsum without '->' reached the rule")  # normalized upstream
    new_terms = [letter + t if _is_b(a, level) else t for t, a in zip(terms, args)]
    kw = dict(kwargs)
    kw["subscripts"] = ",".join(new_terms) + "->" + letter + out
    kw["compute"] = None
    return _call(cls, *[_phys(a, level) for a in args], **kw)


def _stacked_rule(cls, level, args, kwargs):
    """linalg on the stack of matrices: the batched operands lifted to a common rank."""
    nd = max(_ndim(a) for a in args if isinstance(a, (Tensor, np.ndarray)))
    return _call(cls, *[_lift(a, level, nd) for a in args], **kwargs)


def _solve_rule(cls, level, args, kwargs):
    a, b = args
    if _ndim(b) == 1 and _is_b(b, level):
        bm = _call(_RESHAPE, b._phys, shape=(level.size,) + b.shape + (1,))
        out = _call(cls, _lift(a, level, 2), bm, **kwargs)
        return _call(_RESHAPE, out, shape=(level.size,) + b.shape)
    if _ndim(b) == 1:
        bm = _call(_RESHAPE, b if isinstance(b, Tensor) else Tensor(b), shape=_shape(b) + (1,))
        out = _call(cls, a._phys, bm, **kwargs)
        return _call(_RESHAPE, out, shape=tuple(out.shape[:-1]))
    nd = max(_ndim(a), _ndim(b))
    return _call(cls, _lift(a, level, nd), _lift(b, level, nd), **kwargs)


def _norm_rule(cls, level, args, kwargs):
    x = args[0]
    kw = dict(kwargs)
    nd = x.ndim
    if kw.get("axis") is None:
        flat = _call(_RESHAPE, x._phys, shape=(level.size, -1))
        kw["axis"], kw["axes"], kw["ord"] = (1,), (1,), None     # the 2-norm of all
        kept = kw.get("keepdims", False)
        kw["keepdims"] = False
        out = _call(cls, flat, **kw)
        return _call(_RESHAPE, out, shape=(level.size,) + ((1,) * nd if kept else ()))
    kw["axis"] = _shift(kw["axis"], nd)
    kw["axes"] = _shift(kw.get("axes", ()), nd) if kw.get("axes") else kw["axes"]
    return _call(cls, x._phys, **kw)


def _split_rule(cls, level, args, kwargs):
    x = args[0]
    kw = dict(kwargs)
    kw["axis"] = _shift(kw.get("axis", 0), x.ndim)
    return _call(cls, x._phys, **kw)


def _special_logsumexp_rule(cls, level, args, kwargs):
    nd = max(_ndim(a) for a in args[:2] if a is not None)
    kw = dict(kwargs)
    kw["axis"] = _shift(kw.get("axis"), nd)
    return _call(cls, *[_lift(a, level, nd) if a is not None else a for a in args], **kw)


# ----------------------------------------------------------------------------- the rule table
from .ops import activations as _act  # noqa: E402
from .ops import binary as _bin  # noqa: E402
from .ops import elementwise as _ew  # noqa: E402
from .ops import indexing as _ix  # noqa: E402
from .ops import layout as _lay  # noqa: E402
from .ops import linalg as _la  # noqa: E402
from .ops import linalg_decomp as _lad  # noqa: E402
from .ops import linalg_solve as _las  # noqa: E402
from .ops import products as _prod  # noqa: E402
from .ops import reductions as _red  # noqa: E402
from .ops import scans as _sc  # noqa: E402
from .ops import shape as _sh  # noqa: E402
from .ops import special as _sp  # noqa: E402
from .ops import ufuncs as _uf  # noqa: E402

_RESHAPE, _TRANSPOSE, _BROADCAST = _sh.Reshape, _sh.Transpose, _sh.BroadcastTo
_GETITEM, _STACK, _DIAG_EMBED = _sh.GetItem, _sh.Stack, _ix.DiagonalEmbed

_RULES = {}
_NOT_INHERITED = set()
for _cls in (_ew.Add, _ew.Sub, _ew.Mul, _ew.Div, _ew.Pow, _ew.Neg, _ew.Exp, _ew.Log, _ew.Sqrt,
             _ew.Abs, _ew.Maximum, _ew.Minimum, _ew.Where, _ew.Clip, _ew.AsType,
             _act.ReLU, _act.LeakyReLU, _act.ELU, _act.Sigmoid, _act.Tanh, _act.Softplus,
             _bin.ArcTan2, _bin.Hypot, _bin.LogAddExp, _bin.FMax, _bin.FMin, _bin.Mod,
             _bin.FMod, _bin.FloorDivide, _uf._Smooth, _uf._Flat, _uf.Sinc,
             _uf.SincDerivative, _sp._Smooth, _sp.Polygamma, _sp._Log1p, _sp.Xlogy,
             _ix.Triu):
    _RULES[_cls] = _elementwise
for _cls in (_ew.AddInPlace, _ew.SubInPlace, _act.ReLUInPlace):
    _NOT_INHERITED.add(_cls)
for _cls in (_red.Sum, _red.Mean, _red.Max, _red.LogSumExp, _sc.Prod, _sc.Var):
    _RULES[_cls] = _axis_rule("axis")
for _cls in (_act.Softmax, _act.LogSoftmax, _sc.CumSum, _sc.CumProd, _sc.Sort):
    _RULES[_cls] = _axis_rule("axis", none_all=False)
_RULES[_lay.Repeat] = _axis_rule("axis", none_all=False)
_RULES[_lay.Flip] = _axis_rule("axes")
_RULES[_sh.Reshape] = _reshape_rule
_RULES[_sh.Transpose] = _transpose_rule
_RULES[_sh.BroadcastTo] = _broadcast_rule
_RULES[_lay.Flatten] = _flatten_rule
_RULES[_sh.Concatenate] = _join_rule(False)
_RULES[_sh.Stack] = _join_rule(True)
_RULES[_lay.Tile] = _tile_rule
_RULES[_lay.Roll] = _roll_rule
_RULES[_ix.Pad] = _pad_rule
_RULES[_ix.Diagonal] = _diag_rule
_RULES[_ix.DiagonalEmbed] = _diag_rule
_RULES[_ix.Split] = _split_rule
_RULES[_sh.GetItem] = _getitem_rule
_RULES[_la.MatMul] = _matmul_rule
_RULES[_prod.Einsum] = _einsum_rule
for _cls in (_las.Inv, _las.Det, _las.Cofactor, _las.LogAbsDet, _las.Pinv, _las.Identity,
             _las.SingularFactor, _lad.Cholesky, _lad.Eigh, _lad.SVD):
    _RULES[_cls] = _stacked_rule
_RULES[_las.Solve] = _solve_rule
_RULES[_lad.TriSolve] = _stacked_rule
_RULES[_las.Norm] = _norm_rule
_RULES[_sp.LogSumExp] = _special_logsumexp_rule
_NOT_INHERITED.add(_sh.SetItem)
del _cls


class _Link(Function):
    """A transform's link of a derivative to its point, on the batch (functional.py's
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


def _decomposed(fn):
    """A fused operation's rule: its definition in the library's operations, each batched."""
    def rule(cls, level, args, kwargs):
        return _expand(fn(*args, **kwargs), level)
    return rule


def _affine(x, w, b):
    return x @ w + b


def _affine_relu(x, w, b):
    return _apply(_act.ReLU, x @ w + b)


def _cross_entropy_rule(cls, level, args, kwargs):
    """nn's CrossEntropyFromLogits (and the like: logits (..., C), a target): on the samples of
    every example at once, with reduction "none", then reduced per example."""
    z, t = args[0], args[1]
    kw = dict(kwargs)
    reduction = kw.get("reduction", "mean")
    kw["reduction"] = "none"
    zs = z.shape
    B = level.size
    zp = _expand(z, level)
    zflat = _call(_RESHAPE, zp, shape=(-1, zs[-1]) if zs else (-1,))
    labels = kw.get("labels", False)
    tp = _expand(t if isinstance(t, Tensor) else Tensor(t), level)
    tshape = zs[:-1] if labels else zs
    tflat = _call(_RESHAPE, tp, shape=(-1,) + (() if labels else (zs[-1],)))
    per = _call(cls, zflat, tflat, *args[2:], **kw)
    per = _call(_RESHAPE, per, shape=(B,) + tuple(zs[:-1] if labels else tshape[:-1]))
    if reduction == "none":
        return per
    red = _red.Mean if reduction == "mean" else _red.Sum
    return _call(red, per, axis=tuple(range(1, per.ndim)))


# Operations of other modules, by (module, name): looked up when first met, no import here
_BY_NAME = {("autograd.functional", "_Derivative"): _passthrough,
            ("autograd.functional", "Derivative"): _passthrough,
            ("nn.layers", "Affine"): _decomposed(_affine),
            ("nn.layers", "AffineReLU"): _decomposed(_affine_relu),
            ("nn.functional", "CrossEntropyFromLogits"): _cross_entropy_rule}


# ----------------------------------------------------------------------------- the engine
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


def _realize(t):
    """A lazy result (see _run_backward) as its recorded self; anything else as it is."""
    if type(t) is BatchedTensor and t._replay is not None:
        return t._replay()
    return t


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


# ----------------------------------------------------------------------------- vmap
def _fname(f):
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _is_leaf_value(x):
    return isinstance(x, (Tensor, np.ndarray, np.generic, int, float, bool, complex))


def _flatten(tree, spec, where, op):
    """Leaves of ``tree`` (tuple/list/dict nesting) paired with their axis from ``spec``."""
    if isinstance(tree, (tuple, list)) and not isinstance(spec, (tuple, list, dict)):
        out = []
        for k, t in enumerate(tree):
            out.extend(_flatten(t, spec, f"{where}[{k}]", op))
        return out
    if isinstance(tree, dict) and not isinstance(spec, (tuple, list, dict)):
        out = []
        for k, t in tree.items():
            out.extend(_flatten(t, spec, f"{where}[{k!r}]", op))
        return out
    if isinstance(spec, (tuple, list)):
        if not isinstance(tree, (tuple, list)) or len(tree) != len(spec):
            raise ValueError(f"{op}: in_axes for {where} is a {type(spec).__name__} of "
                             f"{len(spec)}, but {where} is "
                             f"{type(tree).__name__ + ' of ' + str(len(tree)) if isinstance(tree, (tuple, list)) else type(tree).__name__}; "
                             f"give one axis for it or a matching structure")
        out = []
        for k, (t, s) in enumerate(zip(tree, spec)):
            out.extend(_flatten(t, s, f"{where}[{k}]", op))
        return out
    if isinstance(spec, dict):
        if not isinstance(tree, dict) or set(tree) != set(spec):
            raise ValueError(f"{op}: in_axes for {where} is a dict with keys {sorted(spec)}, "
                             f"which does not match {where}")
        out = []
        for k in tree:
            out.extend(_flatten(tree[k], spec[k], f"{where}[{k!r}]", op))
        return out
    if spec is not None and not (isinstance(spec, (int, np.integer))
                                 and not isinstance(spec, bool)):
        raise TypeError(f"{op}: in_axes for {where} must be an int or None, got {spec!r}")
    return [(where, tree, spec)]


def _rebuild(tree, leaves, spec=None):
    """``tree`` with its leaves replaced, in order, from the iterator ``leaves``."""
    if isinstance(tree, (tuple, list)):
        specs = spec if isinstance(spec, (tuple, list)) else [spec] * len(tree)
        return type(tree)(_rebuild(t, leaves, s) for t, s in zip(tree, specs))
    if isinstance(tree, dict):
        specs = spec if isinstance(spec, dict) else {k: spec for k in tree}
        return {k: _rebuild(t, leaves, specs[k]) for k, t in tree.items()}
    return next(leaves)


def vmap(f, in_axes=0, out_axes=0):
    """``f`` mapped over an axis of its arguments, JAX style: one call on the whole batch.

    ``vmap(f)(X)`` equals ``stack([f(x) for x in X])``, computed by running ``f`` once with each
    mapped argument as a :class:`BatchedTensor` (one example's shape, the batch underneath),
    each operation by its batching rule (see :mod:`autograd.vmap`). Transforms compose:
    ``vmap(F.grad(loss), in_axes=(None, 0, 0))(params, X, y)`` are the per-example gradients.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor (or array, or
        number) or a tuple, list or dict of them.
    in_axes : int, None, or tuple/list, optional
        The axis of each positional argument to map over (default 0): one value for all of
        them, or one per argument; None leaves that argument unmapped (the same for every
        example). For an argument that is a tuple, list or dict of arrays, a matching
        structure or one value for all its leaves. Negative axes count from the end.
    out_axes : int or tuple, optional
        Where the batch axis goes in each output (default 0); a tuple gives one per output
        of a tuple/list.

    Returns
    -------
    callable
        ``vmapped(*args, **kwargs)`` (keyword arguments are passed unmapped). Numpy arrays
        come back, or Tensors if some argument is a Tensor (linked to its graph).

    Raises
    ------
    ValueError
        When called: if mapped arguments differ in size along their axes, an axis is out of
        range for its argument, no argument is mapped, or ``in_axes``/``out_axes`` does not
        match the arguments/outputs.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> from autograd.vmap import vmap
    >>> X = np.arange(6.0).reshape(3, 2)
    >>> vmap(lambda x: (x * x).sum())(X)                   # one sum per row
    array([ 1., 13., 41.])
    >>> W = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> vmap(lambda x, w: w @ x, in_axes=(0, None))(X, W)  # each row times W
    array([[ 0.,  2.],
           [ 2.,  6.],
           [ 4., 10.]])
    >>> vmap(ag.sum, in_axes=1)(X)                         # over the columns
    array([6., 9.])
    """
    if not callable(f):
        raise TypeError(f"vmap: f must be callable, got {type(f).__name__}")
    if not (in_axes is None or isinstance(in_axes, (int, np.integer, tuple, list, dict))) \
            or isinstance(in_axes, bool):
        raise TypeError(f"vmap: in_axes must be an int, None, or a tuple/list of them, got "
                        f"{in_axes!r}")
    promoted = set()        # leaf numbers found to be differentiated: given per-example copies

    @functools.wraps(f)
    def vmapped(*args, **kwargs):
        return _vmap_call(f, in_axes, out_axes, args, kwargs, promoted)

    return vmapped


def _vmap_call(f, in_axes, out_axes, args, kwargs, promoted):
    op = "vmap"
    if not args:
        raise ValueError(f"{op}: {_fname(f)} was called with no positional argument to map")
    if isinstance(in_axes, (tuple, list)):
        if len(in_axes) != len(args):
            raise ValueError(f"{op}: in_axes has {len(in_axes)} entries but {_fname(f)} was "
                             f"called with {len(args)} positional argument(s); give one per "
                             f"argument")
        specs = list(in_axes)
    else:
        specs = [in_axes] * len(args)
    leaves = []
    for k, (a, s) in enumerate(zip(args, specs)):
        leaves.extend(_flatten(a, s, f"argument {k}", op))
    size, first = None, None
    as_tensor = False
    for where, x, ax in leaves:
        as_tensor = as_tensor or isinstance(x, Tensor)
        if ax is None:
            continue
        nd = _ndim(x)
        if not -nd <= ax < nd:
            raise ValueError(f"{op}: in_axes {ax} is out of range for {where}, of shape "
                             f"{tuple(_shape(x))} ({nd} axes)")
        n = _shape(x)[ax]
        if size is None:
            size, first = n, (where, n, ax)
        elif n != size:
            sizes = ", ".join(f"{w} has size {_shape(v)[a]} along axis {a}"
                              for w, v, a in leaves if a is not None)
            raise ValueError(f"{op}: the mapped arguments must have the same size along their "
                             f"axes, but {sizes}")
    if size is None:
        raise ValueError(f"{op}: in_axes maps no argument (every entry is None); map at least "
                         f"one")
    while True:
        try:
            return _run(f, args, specs, leaves, size, out_axes, kwargs, as_tensor, promoted)
        except _NeedsPerExample as e:
            found = _which(e.tensors, leaves, promoted)
            if not found:
                warnings.warn(
                    f"vmap: {_fname(f)} differentiates a tensor that is not one of its "
                    f"arguments with respect to a batched output; it runs once per example "
                    f"(a Python loop over the batch of {size})", BatchingRuleWarning,
                    stacklevel=3)
                return _loop_call(f, args, specs, leaves, size, out_axes, kwargs, as_tensor)
            promoted.update(found)


def _which(tensors, leaves, promoted):
    """The leaf numbers of unmapped arguments behind ``tensors`` (by their arrays), else those
    of every unmapped floating argument not yet promoted."""
    found = set()
    for k, (_, x, ax) in enumerate(leaves):
        if ax is not None or k in promoted:
            continue
        arr = x._data if isinstance(x, Tensor) and type(x) is not BatchedTensor else x
        if any(t._data is arr for t in tensors):
            found.add(k)
    if found:
        return found
    return {k for k, (_, x, ax) in enumerate(leaves)
            if ax is None and k not in promoted and np.asarray(
                x._data if isinstance(x, Tensor) and type(x) is not BatchedTensor else x
            ).dtype.kind == "f"}


def _broadcast_view(arr, n):
    """``arr`` repeated ``n`` times along a new leading axis: a read-only stride-0 view."""
    try:
        v = np.ndarray((n,) + arr.shape, arr.dtype, buffer=arr, strides=(0,) + arr.strides)
    except (TypeError, ValueError, BufferError):
        return np.broadcast_to(arr, (n,) + arr.shape)
    v.flags.writeable = False
    return v


def _batched_arg(x, ax, level, copy):
    """A mapped (or, with ``copy``, per-example copy of an unmapped) argument as a
    BatchedTensor of ``level``."""
    if isinstance(x, Tensor):
        t = x
        if copy:
            phys = _expand(t, level)
            if not phys.requires_grad and phys.dtype.kind == "f":
                phys = Tensor._make(phys._data, None, True)
            return _wrap(phys, level)
        if ax % max(t.ndim, 1) != 0:
            nd = t.ndim
            axes = (ax % nd,) + tuple(i for i in range(nd) if i != ax % nd)
            t = _call(_TRANSPOSE, t, axes=axes)
        if not t.requires_grad and t.dtype.kind == "f" and type(t) is not BatchedTensor:
            t = Tensor._make(t._data, None, True)
        return _wrap(t, level)
    arr = np.asarray(x)
    if arr.dtype.kind in "biu" and not copy:
        pass
    elif arr.dtype.kind not in "fbiu":
        raise TypeError(f"vmap: arguments must be arrays, numbers or Tensors, got "
                        f"{type(x).__name__}")
    if copy:
        arr = _broadcast_view(arr, level.size)
    elif ax % max(arr.ndim, 1) != 0:
        arr = np.moveaxis(arr, ax, 0)
    return _wrap(Tensor._make(arr, None, arr.dtype.kind == "f"), level)


def _run(f, args, specs, leaves, size, out_axes, kwargs, as_tensor, promoted):
    levels = _levels()
    level = _Level(size, len(levels) + 1, _fname(f))
    level.inputs = {id(_owner(_raw(x))) for _, x, _ in leaves
                    if type(x) is not BatchedTensor}
    level.graph = _mode.enabled and any(isinstance(x, Tensor) and x.requires_grad
                                        for _, x, _ in leaves)
    _install()
    levels.append(level)
    try:
        new = []
        for k, (where, x, ax) in enumerate(leaves):
            if ax is not None:
                new.append(_batched_arg(x, ax, level, False))
            elif k in promoted:
                new.append(_batched_arg(x, 0, level, True))
            else:
                new.append(x)
        it = iter(new)
        call_args = [_rebuild(a, it, s) for a, s in zip(args, specs)]
        result = f(*call_args, **kwargs)
        return _outputs(result, out_axes, level, as_tensor, f)
    finally:
        levels.pop()
        _uninstall()


def _out_leaf(o, ax, level, as_tensor, where):
    B = level.size
    if type(o) is BatchedTensor and o._replay is not None:
        o = _realize(o) if as_tensor and level.graph else _wrap(o._phys, o._level)
    if _is_b(o, level):
        p = o._phys
        nd = o.ndim
        if ax is None:
            raise ValueError(f"vmap: out_axes is None for {where}, but it depends on the "
                             f"mapped arguments")
        if not -(nd + 1) <= ax <= nd:
            raise ValueError(f"vmap: out_axes {ax} is out of range for {where}, of shape "
                             f"{o.shape} with the batch axis added ({nd + 1} axes)")
        ax = ax % (nd + 1)
        if ax:
            axes = list(range(1, nd + 1))
            axes.insert(ax, 0)
            p = _call(_TRANSPOSE, p, axes=tuple(axes))
    else:
        if type(o) is BatchedTensor:        # an outer level's: unbatched here
            p = o
        elif isinstance(o, Tensor):
            p = o
        else:
            try:
                p = Tensor(o)
            except Exception:
                raise TypeError(f"vmap: {where} must be a Tensor, an array or a number, got "
                                f"{type(o).__name__}") from None
        if ax is None:
            return _finish(p, as_tensor, level.inputs)
        nd = p.ndim
        if not -(nd + 1) <= ax <= nd:
            raise ValueError(f"vmap: out_axes {ax} is out of range for {where}, of shape "
                             f"{p.shape} with the batch axis added ({nd + 1} axes)")
        p = _expand(p, level)
        ax = ax % (nd + 1)
        if ax:
            axes = list(range(1, nd + 1))
            axes.insert(ax, 0)
            p = _call(_TRANSPOSE, p, axes=tuple(axes))
    return _finish(p, as_tensor, level.inputs)


def _finish(p, as_tensor, inputs=()):
    if type(p) is BatchedTensor:            # batched at an outer level: stays so
        return p
    if as_tensor:
        return p
    arr = p._data
    owner = arr
    while getattr(owner, "base", None) is not None:
        owner = owner.base
    if type(arr) is np.ndarray and arr.flags.writeable and id(owner) not in inputs \
            and type(owner) is np.ndarray and owner.flags.writeable:
        inputs.add(id(owner))               # a fresh result, returned once: no copy
        return arr
    return np.array(arr, copy=True)


def _outputs(result, out_axes, level, as_tensor, f):
    if isinstance(result, (tuple, list)):
        if isinstance(out_axes, (tuple, list)):
            if len(out_axes) != len(result):
                raise ValueError(f"vmap: out_axes has {len(out_axes)} entries but "
                                 f"{_fname(f)} returned {len(result)} outputs")
            axes = out_axes
        else:
            axes = [out_axes] * len(result)
        return type(result)(_outputs(r, a, level, as_tensor, f) if isinstance(r, (tuple, list,
                                                                                   dict))
                            else _out_leaf(r, a, level, as_tensor, f"output {k}")
                            for k, (r, a) in enumerate(zip(result, axes)))
    if isinstance(result, dict):
        axes = out_axes if isinstance(out_axes, dict) else {k: out_axes for k in result}
        return {k: _outputs(r, axes[k], level, as_tensor, f) if isinstance(r, (tuple, list,
                                                                                dict))
                else _out_leaf(r, axes[k], level, as_tensor, f"output {k!r}")
                for k, r in result.items()}
    if isinstance(out_axes, (tuple, list)):
        raise ValueError(f"vmap: out_axes is a {type(out_axes).__name__} of {len(out_axes)} "
                         f"but {_fname(f)} returned one output")
    return _out_leaf(result, out_axes, level, as_tensor, "the output")


def _loop_call(f, args, specs, leaves, size, out_axes, kwargs, as_tensor):
    """f once per example (the slices of the mapped arguments), the results stacked."""
    results = []
    for b in range(size):
        new = []
        for where, x, ax in leaves:
            if ax is None:
                new.append(x)
            elif isinstance(x, Tensor):
                idx = (slice(None),) * (ax % x.ndim) + (b,)
                new.append(x[idx])
            else:
                new.append(np.take(np.asarray(x), b, axis=ax))
        it = iter(new)
        results.append(f(*[_rebuild(a, it, s) for a, s in zip(args, specs)], **kwargs))
    return _stack_results(results, out_axes, as_tensor)


def _stack_results(results, out_axes, as_tensor):
    first = results[0]
    if isinstance(first, (tuple, list)):
        axes = out_axes if isinstance(out_axes, (tuple, list)) else [out_axes] * len(first)
        return type(first)(_stack_results([r[k] for r in results], axes[k], as_tensor)
                           for k in range(len(first)))
    if isinstance(first, dict):
        axes = out_axes if isinstance(out_axes, dict) else {k: out_axes for k in first}
        return {k: _stack_results([r[k] for r in results], axes[k], as_tensor) for k in first}
    ts = [r if isinstance(r, Tensor) else Tensor(r) for r in results]
    out = _call(_STACK, *ts, axis=out_axes if out_axes is not None else 0)
    return out if as_tensor else np.array(out._data, copy=True)
