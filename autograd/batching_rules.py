"""Batching rules of the elementwise, reduction, shape and indexing operations (dispatched by
:mod:`autograd.batched`). A rule gets the operation's arguments, the batched ones as
BatchedTensors of ``level``, and returns the batch of results (the batch on axis 0):
elementwise operations broadcast, the example's axes aligned to the right; an ``axis`` is
shifted by one; shape operations keep the batch axis in front; indexing indexes behind it.
"""
import functools

import numpy as np

from .batched import (BatchedTensor, _NOT_INHERITED, _RESHAPE, _RULES, _TRANSPOSE, _call,
                      _expand, _is_b, _lift, _loop, _ndim, _tensor_data, _wrap)
from .ops import activations as _act
from .ops import binary as _bin
from .ops import elementwise as _ew
from .ops import indexing as _ix
from .ops import layout as _lay
from .ops import reductions as _red
from .ops import scans as _sc
from .ops import sorting as _so
from .ops import shape as _sh
from .ops import special as _sp
from .ops import ufuncs as _uf
from .tensor import Tensor

_DIAG_EMBED = _ix.DiagonalEmbed


def _elementwise(cls, level, args, kwargs):
    nd = 0                  # one pass, no generators: every op of a model comes here
    for a in args:
        if isinstance(a, (Tensor, np.ndarray, list, tuple)):
            d = _ndim(a)
            if d > nd:
                nd = d
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
for _cls in (_act.Softmax, _act.LogSoftmax, _sc.CumSum, _sc.CumProd, _so.Sort):
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
_RULES[_sp.LogSumExp] = _special_logsumexp_rule
_NOT_INHERITED.add(_sh.SetItem)
del _cls
