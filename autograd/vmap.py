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
import warnings

import numpy as np

from . import batching_rules, batching_rules_linalg  # noqa: F401  (they fill the rule table)
from .batched import (BatchedTensor, BatchingRuleWarning, _Level, _NeedsPerExample, _STACK,
                      _TRANSPOSE, _call, _expand, _is_b, _levels, _ndim, _owner, _raw, _realize,
                      _shape, _wrap)
from .batched import _warned  # noqa: F401  (autograd.vmap._warned, as before: tests reset it)
from .batching_engine import _install, _uninstall
from .mode import _mode
from .tensor import Tensor

__all__ = ["vmap", "BatchedTensor", "BatchingRuleWarning"]


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
