"""Function transforms, JAX style: grad, value_and_grad, elementwise_grad, jacobian (jacrev),
hessian; and the products at a point: vjp, jvp, hvp.

``from autograd import functional as F``. ``F.grad(f)``, ``F.value_and_grad(f)``,
``F.elementwise_grad(f)``, ``F.jacobian(f)`` and ``F.hessian(f)`` take a function ``f``
written with the library's operations (it is called with Tensors) and return a function of the
same arguments; ``F.vjp(f, inputs, v)``, ``F.jvp(f, inputs, tangents)`` and
``F.hvp(f, inputs, v)`` take the point itself and return ``(outputs, result)``.

Conventions
-----------
- ``argnums`` (an int, or a tuple of ints: then a tuple of results; negative numbers count
  from the end) picks the positional arguments to differentiate with respect to; the other
  arguments and the keyword arguments are passed to ``f`` as they are.
- An argument may be a pytree: a tuple, list or dict (nested) of arrays, Python numbers or
  Tensors. Its gradient has the same structure (dict keys kept, lists stay lists), so that
  ``params`` can be a tuple of weights or a dict of named parameters.
- ``has_aux=True``: ``f`` returns ``(output, aux)``; ``aux`` is handed back untouched but for its
  Tensors, which come back as the results do. As in JAX, ``grad`` returns ``(grad, aux)``,
  ``value_and_grad`` ``((value, aux), grad)``, ``jacobian`` and ``hessian`` ``(result, aux)``.
- The Jacobian of ``out = f(x)`` has shape ``out.shape + x.shape`` and
  ``J[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``, as in PyTorch and JAX (and as
  :func:`autograd.gradcheck` reports it). If ``f`` returns a pytree of outputs, the Jacobian is
  that pytree, each output replaced by the structure of the arguments differentiated:
  ``J[i][j] = ∂out_i/∂x_j``. The Hessian of a scalar ``f`` has shape ``x.shape + x.shape``,
  ``H[i][j] = ∂²f/∂x_i∂x_j`` for several arguments (or leaves of a pytree).
- Never a silent zero. If the output of ``f`` does not depend on an argument (or a leaf of
  it) it is asked to differentiate with respect to, a transform raises ``ValueError`` naming
  it (``argument 1['b']``), unless ``allow_unused=True``: then its derivative is zeros of its
  shape. A derivative of a derivative (``hessian``, ``grad(grad(f))``, ``jacobian(grad(f))``)
  is taken through the recorded backward pass: if a rule there left the graph (a custom
  :class:`~autograd.Function` whose backward computes with numpy on plain arrays), the
  transform raises ``RuntimeError`` naming that Function instead of returning a wrong (zero)
  second derivative. A derivative that is truly constant (``f`` linear in ``x``) differentiates
  to zeros.
- Arrays in, arrays out: if any argument differentiated is a Tensor (or holds one), every
  result is a Tensor; otherwise the results are numpy arrays (Python scalars count as 0-d
  arrays). Arrays and detached Tensors returned never share memory with the inputs.
- ``create_graph``: with ``None`` (the default) the computation is recorded, so that the
  result can be differentiated again, exactly when an argument differentiated is a Tensor that
  requires grad (and grad mode is on). That is what makes ``grad(grad(f))`` work. ``True``
  always records, ``False`` never does (the results are then detached).
- ``F.jacobian(f, x)`` and ``F.hessian(f, x, y)`` (the point given directly, before the
  transforms took functions) still work, with a ``DeprecationWarning`` that shows the new
  spelling (``F.jacobian(f)(x)``). A second argument that is an int or a tuple of ints is
  ``argnums``; anything else is the old form's point.
"""
import functools
import warnings

import numpy as np

from . import hooks as _hooks
from .engine import enable_grad, grad as _grad, is_grad_enabled
from .function import Function
from .ops.shape import stack
from .tensor import Tensor, get_default_dtype
from .vmap import vmap

__all__ = ["grad", "value_and_grad", "elementwise_grad", "jacobian", "jacrev", "hessian", "vjp",
           "jvp", "hvp", "vmap"]


# ----------------------------------------------------------------------------- pytrees
class _Tree:
    """The structure of a pytree: a tuple, list or dict (of its type) of subtrees; ``_LEAF``
    stands for an array, a number or a Tensor."""
    __slots__ = ("kind", "keys", "children")

    def __init__(self, kind, keys, children):
        self.kind, self.keys, self.children = kind, keys, children


_LEAF = _Tree(None, None, ())


def _flatten(x, path, leaves, paths):
    """Append ``x``'s leaves to ``leaves`` (their paths, as ``['w'][0]``, to ``paths``); return
    its structure."""
    if isinstance(x, dict):
        keys = list(x)
        return _Tree(type(x), keys, [_flatten(x[k], f"{path}[{k!r}]", leaves, paths)
                                     for k in keys])
    if isinstance(x, (tuple, list)):
        return _Tree(type(x), None, [_flatten(v, f"{path}[{i}]", leaves, paths)
                                     for i, v in enumerate(x)])
    leaves.append(x)
    paths.append(path)
    return _LEAF


def _build(tree, leaves):
    """The pytree of structure ``tree`` holding the next leaves of the iterator ``leaves``."""
    if tree is _LEAF:
        return next(leaves)
    items = [_build(c, leaves) for c in tree.children]
    kind = tree.kind
    if tree.keys is not None:
        items = dict(zip(tree.keys, items))
        if kind is dict:
            return items
    elif kind is tuple or kind is list:
        return kind(items)
    elif hasattr(kind, "_fields"):          # a namedtuple
        return kind(*items)
    try:
        return kind(items)
    except Exception:
        return dict(items) if tree.keys is not None else \
            list(items) if issubclass(kind, list) else tuple(items)


# ----------------------------------------------------------------------------- helpers
def _name(f):
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _renamed(wrapper, f, op):
    """``wrapper`` (made by functools.wraps(f)) named ``op(f)``, as errors name it."""
    wrapper.__name__ = wrapper.__qualname__ = f"{op}({getattr(f, '__name__', None) or _name(f)})"
    return wrapper


def _settings(given, create_graph):
    """(create_graph, results_as_tensors) for the inputs as the user gave them."""
    as_tensor = any(isinstance(x, Tensor) for x in given)
    if create_graph is None:
        create_graph = is_grad_enabled() and any(
            isinstance(x, Tensor) and x.requires_grad for x in given)
    return bool(create_graph), as_tensor


def _leaf(x, op, what, create_graph):
    """``x`` as a Tensor to differentiate with respect to.

    A Tensor that requires grad is used itself when the graph is recorded, so that the result
    stays linked to whatever computed it (nested transforms); otherwise a new leaf shares its
    data. Integer and boolean data becomes the default float dtype.
    """
    if isinstance(x, Tensor):
        if x.dtype.kind != "f":
            raise TypeError(f"{op}: {what} is a Tensor of dtype {x.dtype}; only floating "
                            f"inputs can be differentiated")
        if create_graph and x.requires_grad:
            return x
        return Tensor._make(x._data, None, True)
    try:
        arr = Tensor(x)._data
    except Exception:
        raise TypeError(f"{op}: {what} must be a numpy array, a Python number or a Tensor (or a "
                        f"tuple, list or dict of them), got {type(x).__name__}") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(get_default_dtype())
    elif arr.dtype.kind != "f":
        raise TypeError(f"{op}: {what} has dtype {arr.dtype}; only real numbers can be "
                        f"differentiated")
    return Tensor._make(arr, None, True)


def _argnums(argnums, op):
    if _is_argnums(argnums) and argnums != ():
        if isinstance(argnums, tuple):
            if len(set(argnums)) != len(argnums):
                raise ValueError(f"{op}: argnums {argnums} repeats an argument")
            return tuple(int(a) for a in argnums), True
        return (int(argnums),), False
    raise TypeError(f"{op}: argnums must be an int or a non-empty tuple of ints, got "
                    f"{argnums!r}")


def _is_argnums(a):
    """Whether ``a`` is argnums (an int, or a tuple of ints), not the old forms' point; ``()``
    counts (and is refused as argnums)."""
    def one(a):
        return isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
    return one(a) or isinstance(a, tuple) and all(one(b) for b in a)


class _Point:
    """One call's arguments: those differentiated flattened into leaf Tensors (``xs``, named
    ``names``, e.g. ``argument 1['w']``), the others as given (``args``)."""

    def __init__(self, f, args, kwargs, nums, several, op, create_graph):
        n = len(args)
        for a in nums:
            if not -n <= a < n:
                raise ValueError(f"{op}: argnums {a} is out of range for {_name(f)} called with "
                                 f"{n} positional argument(s)")
        nums = tuple(a % n for a in nums)
        if len(set(nums)) != len(nums):
            raise ValueError(f"{op}: argnums {nums} repeats an argument (negative numbers count "
                             f"from the end: {n} arguments given)")
        trees, given, names = [], [], []
        for a in nums:
            leaves, paths = [], []
            trees.append(_flatten(args[a], "", leaves, paths))
            if not leaves:
                raise ValueError(f"{op}: argument {a} of {_name(f)} is an empty "
                                 f"{type(args[a]).__name__}: there is nothing to differentiate")
            given += leaves
            names += [f"argument {a}{p}" for p in paths]
        self.in_tree = _Tree(tuple, None, trees) if several else trees[0]
        # the other arguments that come from an outer graph (a transform around this one): the
        # derivatives are recorded for it, and linked to them (see Derivative)
        rest, _ = [], []
        for a in [a for k, a in enumerate(args) if k not in nums] + list(kwargs.values()):
            _flatten(a, "", rest, _)
        rest = [t for t in rest if isinstance(t, Tensor) and t.requires_grad]
        self.create_graph, self.as_tensor = _settings(given + rest, create_graph)
        self.as_tensor = any(isinstance(x, Tensor) for x in given) or \
            self.create_graph and bool(rest)
        self.names = names
        self.xs = [_leaf(x, op, w, self.create_graph) for x, w in zip(given, names)]
        self.outer = [x for x, g in zip(self.xs, given) if x is g] + \
            (rest if self.create_graph else [])
        self.args = list(args)
        leaves = iter(self.xs)
        for a, tree in zip(nums, trees):
            self.args[a] = _build(tree, leaves)

    def result(self, t):
        return _result(t, self.as_tensor, self.create_graph)

    def tree(self, items):
        """``items`` (one per leaf) in the structure of the arguments differentiated."""
        return _build(self.in_tree, iter(items))


def _call(f, args, kwargs, op, has_aux):
    """``f(*args, **kwargs)`` with gradients recorded: (its output, its aux or None)."""
    with enable_grad():
        result = f(*args, **kwargs)
    if not has_aux:
        return result, None
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        got = f"a {type(result).__name__} of {len(result)}" if isinstance(
            result, (tuple, list)) else f"a {type(result).__name__}"
        raise ValueError(f"{op}: has_aux=True, so {_name(f)} must return a pair (output, aux), "
                         f"but it returned {got}")
    return result[0], result[1]


def _outputs(result, f, op):
    """The output pytree of ``f``: (its leaves as Tensors, its structure)."""
    leaves, paths = [], []
    tree = _flatten(result, "", leaves, paths)
    if not leaves:
        raise ValueError(f"{op}: {_name(f)} returned an empty {type(result).__name__}")
    for k, o in enumerate(leaves):
        if not isinstance(o, Tensor):
            try:    # a constant
                leaves[k] = Tensor(o)
            except Exception:
                raise TypeError(f"{op}: {_name(f)} must return Tensors (or a tuple, list or "
                                f"dict of them), got {type(o).__name__}"
                                + (f" at {paths[k]}" if paths[k] else "")) from None
    return leaves, tree


def _depends(out):
    return out.requires_grad and out.dtype.kind == "f"


def _scalar(f, outs, tree, op):
    if tree is not _LEAF:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned a {tree.kind.__name__} of {len(outs)} outputs")
    out = outs[0]
    if out.size != 1:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned shape {out.shape}; for a non-scalar output use "
                         f"jacobian or elementwise_grad, or vjp with a cotangent v of that "
                         f"shape")
    return out


def _zeros(x):
    return Tensor._make(np.zeros(x.shape, x.dtype))


def _result(t, as_tensor, create_graph):
    """A Tensor kept in the graph, a detached copy, or a numpy array, as asked."""
    if as_tensor:
        return t if create_graph else Tensor._make(np.array(t._data, copy=True))
    return np.array(t._data, copy=True)


def _aux(aux, as_tensor, create_graph):
    """``aux`` with its Tensors as the results are (arrays in, arrays out)."""
    leaves, paths = [], []
    tree = _flatten(aux, "", leaves, paths)
    leaves = [_result(x, as_tensor, create_graph) if isinstance(x, Tensor) else x for x in leaves]
    return _build(tree, iter(leaves))


def _unused(gs, xs, names, allow_unused, op, f, of="the output"):
    """``gs`` with zeros for the inputs not reached (None), if ``allow_unused``; else raise."""
    missing = [k for k, g in enumerate(gs) if g is None]
    if missing and not allow_unused:
        listed = ", ".join(f"{names[k]} (shape {xs[k].shape})" for k in missing)
        raise ValueError(
            f"{op}: {of} of {_name(f)} does not depend on {listed}, so its derivative there "
            f"would be a silent zero; pass allow_unused=True to {op} to get zeros for it")
    return [_zeros(x) if g is None else g for x, g in zip(xs, gs)]


def _check_left(left, op, f):
    """Raise if a recorded pass that ``op`` differentiates had a rule that left the graph."""
    if not left:
        return
    note = left[0]
    cls = note.cls.__name__
    others = sorted({n.cls.__name__ for n in left} - {cls})
    also = f" (and {', '.join(others)}.backward too)" if others else ""
    if note.dropped == "grad_output":
        how = "returned a gradient that does not require grad although its grad_output does"
        fix = " (and return None, not zeros, for an input that has no gradient)"
    else:
        how = ("returned a gradient that does not require grad although the tensors it saved "
               "do")
        fix = (f"; if its derivative really is piecewise constant (as relu's is), set "
               f"{cls}.piecewise_linear = True")
    raise RuntimeError(
        f"{op}: differentiating {_name(f)} goes through a recorded backward pass in which "
        f"{cls}.backward left the graph{also}: it {how} (it computed with numpy on plain "
        f"arrays: np.asarray, raw(), .data, numpy functions), so the derivative through it "
        f"would be silently wrong (zero). {cls}.backward must use Tensor operations (or "
        f"autograd.function.dual) to be differentiable{fix}")


class Derivative(Function):
    """A derivative that a transform computed with ``create_graph``, linked to the point it was
    taken at: the identity in the derivative, zero in the point. So a transform around it sees
    that it depends on the point, and a constant derivative (3 for 3x, a mask for relu)
    differentiates to zeros rather than to "not used"."""

    @staticmethod
    def forward(ctx, g, *xs):
        ctx.metas = [(np.shape(x), np.asarray(x).dtype) for x in xs]
        return np.array(g, copy=True)

    @staticmethod
    def backward(ctx, grad_output):
        return (grad_output,) + tuple(np.zeros(s, d) for s, d in ctx.metas)


def _link(t, outer, own):
    """``t``, a derivative recorded at the point ``outer`` (the arguments from an outer graph),
    linked to it; as it is if the pass that made it left the graph (``own``), so that an outer
    transform reports that rule."""
    if not outer or own:
        return t
    return Derivative.apply(t, *outer)


def _backward(outs, seeds, point, op, f, allow_unused, create_graph, retain_graph=None):
    """d(Σ_k seeds_k · outs_k)/dx for each of ``point``'s leaves (zeros or an error for those
    not used; None for them if ``allow_unused`` is None): (the gradients, the rules of that pass
    that left the graph)."""
    xs = point.xs
    live = [(o, s) for o, s in zip(outs, seeds) if _depends(o)]
    own = []
    if live:
        with _hooks.watch() as own:
            gs = list(_grad([o for o, _ in live], xs, grad_outputs=[s for _, s in live],
                            retain_graph=retain_graph, create_graph=create_graph,
                            allow_unused=True))
    else:
        gs = [None] * len(xs)
    return (gs if allow_unused is None else _unused(gs, xs, point.names, allow_unused, op, f)), own


def _jacobian_blocks(outs, point, create_graph, allow_unused, op, f, of="the output"):
    """J[i][j] = ∂outs_i/∂xs_j of shape outs_i.shape + xs_j.shape: one backward per element.

    Row k of block (i, j) is the gradient of outs_i's k-th element (in C order), i.e. the vjp
    with the one-hot cotangent e_k. Under ``create_graph`` the rows are Tensors, stacked (and
    linked to the point) so that the Jacobian itself can be differentiated. An input that no
    output depends on raises, unless ``allow_unused``.
    """
    xs = point.xs
    used = [False] * len(xs)
    blocks, own = [], []
    for out in outs:
        rows = [[] for _ in xs]
        if _depends(out) and out.size:
            for k in range(out.size):
                seed = np.zeros(out.size, out.dtype)
                seed[k] = 1
                with _hooks.watch() as left:
                    gs = _grad([out], xs, grad_outputs=[Tensor._make(seed.reshape(out.shape))],
                               retain_graph=True, create_graph=create_graph, allow_unused=True)
                own += left
                for j, (r, g, x) in enumerate(zip(rows, gs, xs)):
                    used[j] = used[j] or g is not None
                    r.append(_zeros(x) if g is None else g)
        elif _depends(out):
            used = [True] * len(xs)         # an empty output: its Jacobian is empty
        row_blocks = []
        for x, r in zip(xs, rows):
            if not r:
                row_blocks.append(Tensor._make(np.zeros(out.shape + x.shape, x.dtype)))
            elif create_graph:
                row_blocks.append(stack(r).reshape(out.shape + x.shape))
            else:
                row_blocks.append(Tensor._make(
                    np.stack([g._data for g in r]).reshape(out.shape + x.shape)))
        blocks.append(row_blocks)
    _unused([True if u else None for u in used], xs, point.names, allow_unused, op, f, of)
    if create_graph:
        blocks = [[_link(b, point.outer, own) for b in row] for row in blocks]
    return blocks


# ----------------------------------------------------------------------------- grad
def _gradient(f, argnums, has_aux, allow_unused, create_graph, op, with_value=False,
              elementwise=False):
    nums, several = _argnums(argnums, op)

    @functools.wraps(f)
    def transformed(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, op, create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, op, has_aux)
        outs, tree = _outputs(result, f, op)
        if elementwise:
            seeds = [Tensor._make(np.ones(o.shape, o.dtype)) for o in outs]
        else:
            outs, seeds = [_scalar(f, outs, tree, op)], [None]
        _check_left(left, op, f)
        gs, own = _backward(outs, seeds, p, op, f, allow_unused, p.create_graph)
        if p.create_graph:
            gs = [_link(g, p.outer, own) for g in gs]
        g = p.tree([p.result(g) for g in gs])
        if has_aux:
            aux = _aux(aux, p.as_tensor, p.create_graph)
        if not with_value:
            return (g, aux) if has_aux else g
        value = p.result(outs[0])
        return ((value, aux), g) if has_aux else (value, g)

    return _renamed(transformed, f, op)


def value_and_grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into a function that returns ``(f(*args), gradient)``, JAX style.

    ``f`` must return a one-element output (a scalar loss). ``argnums`` (an int or a tuple of
    ints) picks the positional arguments to differentiate with respect to: an int gives one
    gradient, of that argument's shape (or structure, for a tuple, list or dict of arrays); a
    tuple gives a tuple of gradients. The other arguments (and keyword arguments) are passed to
    ``f`` as they are. See the module docstring for which type comes back and for
    ``create_graph`` (when the result can be differentiated again).

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0); negative
        numbers count from the end.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``((value, aux), gradient)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``value_and_grad_f(*args, **kwargs) -> (value, gradient)``, the gradient a tuple when
        ``argnums`` is; numpy arrays, or Tensors if an argument differentiated is a Tensor.
        Calling it raises ``ValueError`` if ``f`` does not return a one-element output, if
        ``argnums`` is out of range, or if the output does not depend on an argument
        differentiated (unless ``allow_unused``); ``TypeError`` for an argument that is not
        real numbers; ``RuntimeError`` if it differentiates a recorded backward pass in which
        a rule left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.value_and_grad(lambda w: (w ** 2).sum())(np.array([1.0, 2.0]))    # g = 2w
    (array(5.), array([2., 4.]))
    >>> value, (gw, gb) = F.value_and_grad(lambda w, b: (w * b).sum(), argnums=(0, 1))(
    ...     np.array([1.0, 2.0]), 3.0)
    >>> value, gw, gb
    (array(9.), array([3., 3.]), array(3.))
    >>> def loss(w):
    ...     err = w - 1.0
    ...     return (err ** 2).sum(), err                   # (output, aux)
    >>> (value, err), g = F.value_and_grad(loss, has_aux=True)(np.array([0.0, 3.0]))
    >>> value, err, g
    (array(5.), array([-1.,  2.]), array([-2.,  4.]))
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "value_and_grad",
                     with_value=True)


def grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its gradient, JAX style.

    ``grad(f)(x)`` is ``∂f/∂x`` at ``x``, of ``x``'s shape. ``f`` must return a one-element
    output; ``argnums`` is an int or a tuple of ints, as for :func:`value_and_grad`. An argument
    that is a tuple, list or dict (nested) of arrays gets a gradient of the same structure.
    Transforms compose: ``grad(grad(f))(x)`` is ``f''(x)`` for a scalar function, because the
    inner ``grad`` records its computation when it is given a Tensor that requires grad.

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(gradient, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the result can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``grad_f(*args, **kwargs)``, the gradient (a tuple of them when ``argnums`` is a
        tuple): numpy arrays, or Tensors if an argument differentiated is a Tensor. Calling it
        raises as :func:`value_and_grad`'s function does.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> from autograd import functional as F
    >>> F.grad(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))      # 3x²
    array([ 3., 12.])
    >>> F.grad(lambda x, y: (x * y).sum(), argnums=1)(np.array([1.0, 2.0]),
    ...                                               np.array([3.0, 4.0]))
    array([1., 2.])

    A dict of parameters gets a dict of gradients:

    >>> params = {"w": np.array([1.0, 2.0]), "b": 0.5}
    >>> F.grad(lambda p: (p["w"] * p["w"]).sum() + 3 * p["b"])(params)
    {'w': array([2., 4.]), 'b': array(3.)}

    Third derivative of tanh, ``-2(1 - t²)(1 - 3t²)`` with ``t = tanh 0.5``:

    >>> F.grad(F.grad(F.grad(ag.tanh)))(0.5)
    array(-0.56520929)

    An argument the output does not depend on is an error, not a silent zero:

    >>> F.grad(lambda x, y: (x * 2).sum(), argnums=1)(np.ones(2), np.ones(3))
    Traceback (most recent call last):
        ...
    ValueError: grad: the output of <lambda> does not depend on argument 1 (shape (3,)), ...
    >>> F.grad(lambda x, y: (x * 2).sum(), argnums=1, allow_unused=True)(np.ones(2), np.ones(3))
    array([0., 0., 0.])
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "grad")


def elementwise_grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the gradient of ``sum(f(x))``: HIPS autograd's ``elementwise_grad``.

    For an elementwise ``f`` (each output element depends on the input element at the same
    place, as ``tanh``) that is the derivative of ``f`` at every element, in one backward pass:
    ``elementwise_grad(ag.tanh)(x)`` is ``1 - tanh²x``. For any other ``f`` it is the
    vector-Jacobian product with ones (the column sums of the Jacobian). If ``f`` returns a
    tuple, list or dict of outputs, every element of every output is summed. Applied again it
    gives the next derivative: ``elementwise_grad(elementwise_grad(ag.tanh))``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        Tensor or a pytree of them (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(gradient, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the result can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``elementwise_grad_f(*args, **kwargs)``, of the shape (structure) of the arguments
        differentiated (a tuple when ``argnums`` is); raising as :func:`grad`'s does.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> from autograd import functional as F
    >>> x = np.array([-1.0, 0.0, 2.0])
    >>> F.elementwise_grad(lambda x: x ** 3)(x)                  # 3x²
    array([ 3.,  0., 12.])
    >>> d2 = F.elementwise_grad(F.elementwise_grad(ag.tanh))      # -2 t (1 - t²)
    >>> np.allclose(d2(x), -2 * np.tanh(x) * (1 - np.tanh(x) ** 2))
    True
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "elementwise_grad",
                     elementwise=True)


# ----------------------------------------------------------------------------- jacobian, hessian
def _old_form(op, f, point, kw):
    """The deprecated ``op(f, *inputs)``: (the argnums and arguments of the new form); warns
    with the new spelling."""
    packed = len(point) == 1 and isinstance(point[0], tuple)
    args = list(point[0] if packed else point)
    if not args:
        raise ValueError(f"{op}: inputs is empty; give at least one input")
    nums = 0 if len(args) == 1 and not packed else tuple(range(len(args)))
    args = [np.asarray(a) if isinstance(a, list) else a for a in args]     # array data, then
    names = ", ".join(["x"] if len(args) == 1 else ["x", "y"] if len(args) == 2 else
                      ["x", "y", "z"] if len(args) == 3 else
                      [f"x{k}" for k in range(len(args))])
    old = f"({names},)" if packed and len(args) == 1 else f"({names})" if packed else names
    spec = "" if nums == 0 else f", argnums={nums}"
    spec += "".join(f", {k}={v!r}" for k, v in kw.items()
                    if v is not (None if k == "create_graph" else False))
    warnings.warn(
        f"{op}(f, {old}) with the point given directly is deprecated and will be removed: "
        f"write F.{op}(f{spec})({names}) (F is autograd.functional)",
        DeprecationWarning, stacklevel=3)
    return nums, args


def jacobian(f, argnums=0, *inputs, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its Jacobian, of shape
    ``out.shape + x.shape``.

    ``jacobian(f)(x)[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``, as PyTorch and
    JAX lay it out. ``argnums`` is an int or a tuple of ints (then a tuple over the arguments);
    an argument may be a tuple, list or dict of arrays (then blocks of that structure). If ``f``
    returns a tuple (list, dict) of outputs, the result is that structure over the outputs,
    each holding the structure of the arguments: ``J[i][j] = ∂out_i/∂x_j``. It takes one
    backward pass per output element (reverse mode: ``jacrev`` is the same function). With
    ``create_graph=True`` (or a Tensor that requires grad given, see the module docstring) the
    Jacobian can be differentiated: ``jacobian(grad(f))`` is the Hessian.

    ``jacobian(f, x)``, ``jacobian(f, x, y)`` and ``jacobian(f, (x, y))`` (the point given
    directly) are deprecated: they warn and return ``jacobian(f)(x)``,
    ``jacobian(f, argnums=(0, 1))(x, y)``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple, list
        or dict of them (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    *inputs
        Deprecated: the point, in the old form.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument that no output depends on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the Jacobian can be differentiated again (default
        None: when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``jacobian_f(*args, **kwargs)``: the Jacobian (Tensors if an argument differentiated is
        a Tensor), nested as described above. Calling it raises ``ValueError`` if no output
        depends on an argument differentiated (unless ``allow_unused``), ``TypeError`` for an
        argument that is not real numbers or an output that is neither a Tensor nor array
        data, ``RuntimeError`` if it differentiates a recorded backward pass in which a rule
        left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument, or (old form) the point is an empty tuple.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    >>> F.jacobian(lambda x, y: x * y, argnums=(0, 1))(np.array([1.0, 2.0]),
    ...                                                np.array([3.0, 4.0]))
    (array([[3., 0.],
           [0., 4.]]), array([[1., 0.],
           [0., 2.]]))
    >>> F.jacobian(F.grad(lambda x: (x ** 3).sum()))(np.array([1.0, 2.0]))   # the Hessian
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    if inputs or not _is_argnums(argnums):
        nums, args = _old_form("jacobian", f, (argnums,) + inputs,
                               {"has_aux": has_aux, "allow_unused": allow_unused,
                                "create_graph": create_graph})
        return jacobian(f, nums, has_aux=has_aux, allow_unused=allow_unused,
                        create_graph=create_graph)(*args)
    nums, several = _argnums(argnums, "jacobian")

    @functools.wraps(f)
    def jacobian_f(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, "jacobian", create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, "jacobian", has_aux)
        outs, tree = _outputs(result, f, "jacobian")
        _check_left(left, "jacobian", f)
        blocks = _jacobian_blocks(outs, p, p.create_graph, allow_unused, "jacobian", f,
                                  "every output" if tree is not _LEAF else "the output")
        J = _build(tree, iter([p.tree([p.result(b) for b in row]) for row in blocks]))
        return (J, _aux(aux, p.as_tensor, p.create_graph)) if has_aux else J

    return _renamed(jacobian_f, f, "jacobian")


jacrev = jacobian       # reverse mode: the only mode here (JAX's name)


def hessian(f, argnums=0, *inputs, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its Hessian, of shape
    ``x.shape + x.shape``.

    ``hessian(f)(x)[i + j] = ∂²f/∂x[i]∂x[j]`` for a scalar ``f``; for a tuple ``argnums`` (or
    an argument that is a tuple, list or dict of arrays) the blocks
    ``H[i][j] = ∂²f/∂x_i∂x_j`` of shape ``x_i.shape + x_j.shape``, nested as the arguments are
    (outer index first), as PyTorch and JAX.

    It is the Jacobian of the gradient: one backward pass records ``g = ∇f`` with
    ``create_graph=True``, then one backward pass through that record per element of ``g``.
    For a function with continuous second derivatives it is symmetric. If ``f`` is linear in an
    argument its blocks are zeros; if a rule of the recorded pass left the graph (a custom
    Function whose backward computes on plain arrays), it raises ``RuntimeError`` naming it.

    ``hessian(f, x)`` and ``hessian(f, x, y)`` (the point given directly) are deprecated: they
    warn and return ``hessian(f)(x)``, ``hessian(f, argnums=(0, 1))(x, y)``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a one-element Tensor
        (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    *inputs
        Deprecated: the point, in the old form.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(hessian, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the Hessian can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``hessian_f(*args, **kwargs)``: the Hessian (Tensors if an argument differentiated is a
        Tensor). Calling it raises ``ValueError`` if ``f`` does not return a one-element output
        or does not depend on an argument differentiated (unless ``allow_unused``),
        ``RuntimeError`` if a rule of the recorded gradient left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument, or (old form) the point is an empty tuple.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))     # diag(6x)
    array([[ 6.,  0.],
           [ 0., 12.]])
    >>> F.hessian(lambda x, y: (x * x * y).sum(), argnums=(0, 1))(np.array([1.0]),
    ...                                                           np.array([2.0]))
    ((array([[4.]]), array([[2.]])), (array([[2.]]), array([[0.]])))
    """
    if inputs or not _is_argnums(argnums):
        nums, args = _old_form("hessian", f, (argnums,) + inputs,
                               {"has_aux": has_aux, "allow_unused": allow_unused,
                                "create_graph": create_graph})
        return hessian(f, nums, has_aux=has_aux, allow_unused=allow_unused,
                       create_graph=create_graph)(*args)
    nums, several = _argnums(argnums, "hessian")

    @functools.wraps(f)
    def hessian_f(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, "hessian", create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, "hessian", has_aux)
            outs, tree = _outputs(result, f, "hessian")
            out = _scalar(f, outs, tree, "hessian")
            if _depends(out):
                with enable_grad():
                    gs = list(_grad([out], p.xs, create_graph=True, allow_unused=True))
            else:
                gs = [None] * len(p.xs)
        _check_left(left, "hessian", f)
        gs = _unused(gs, p.xs, p.names, allow_unused, "hessian", f)
        blocks = _jacobian_blocks(gs, p, p.create_graph, True, "hessian", f)
        H = p.tree([p.tree([p.result(b) for b in row]) for row in blocks])
        return (H, _aux(aux, p.as_tensor, p.create_graph)) if has_aux else H

    return _renamed(hessian_f, f, "hessian")


# ----------------------------------------------------------------------------- products
def _split_inputs(inputs, op):
    """``inputs`` as a list, and whether results come as a tuple (several, or a tuple given)."""
    if isinstance(inputs, tuple):   # a list is array data, as np.asarray reads it
        if not inputs:
            raise ValueError(f"{op}: inputs is empty; give at least one input")
        return list(inputs), True
    return [inputs], False


class _Inputs:
    """The point of vjp, jvp, hvp: one input or a tuple of them, as leaf Tensors."""

    def __init__(self, inputs, extra, op, create_graph):
        given, self.several = _split_inputs(inputs, op)
        self.create_graph, self.as_tensor = _settings(given + _flat(extra), create_graph)
        self.names = [f"input {k}" for k in range(len(given))]
        self.xs = [_leaf(x, op, w, self.create_graph) for x, w in zip(given, self.names)]
        self.outer = [x for x, g in zip(self.xs, given) if x is g]

    def result(self, t):
        return _result(t, self.as_tensor, self.create_graph)


def _call_at(f, xs, op):
    """f(*xs) with gradients recorded: (outputs as a list of Tensors, f returned a tuple)."""
    with enable_grad():
        result = f(*xs)
    several = isinstance(result, (tuple, list))
    outs = list(result) if several else [result]
    if several and not outs:
        raise ValueError(f"{op}: {_name(f)} returned an empty tuple")
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            try:    # a constant: its derivatives are zero
                outs[k] = Tensor(o)
            except Exception:
                raise TypeError(f"{op}: {_name(f)} must return Tensors (or a tuple of them), "
                                f"got {type(o).__name__}") from None
    return outs, several


def _pack(items, several):
    return tuple(items) if several else items[0]


def _directions(v, items, several, f, op, what, outputs):
    """One cotangent per output of f (``outputs``) or one tangent per input, each a Tensor of
    its item's shape (None: ones, where every item has one element)."""
    kind, every = ("output", f"every output of {_name(f)}") if outputs else ("input", "every input")
    if v is None:
        for k, x in enumerate(items):
            if x.size != 1:
                raise ValueError(f"{op}: {what} can be left out only when {every} has one "
                                 f"element, but {kind} {k} has shape {x.shape}; pass {what} of "
                                 f"that shape")
        return [Tensor._make(np.ones(x.shape, x.dtype)) for x in items]
    vs = list(v) if several and isinstance(v, tuple) else [v]
    if outputs:
        if len(vs) != len(items):
            raise ValueError(f"{op}: {_name(f)} returned {len(items)} output(s) but {what} has "
                             f"{len(vs)}; give one per output")
        indexed = len(vs) != 1
        whose = [f"output {k} of {_name(f)}" if indexed else f"the output of {_name(f)}"
                 for k in range(len(vs))]
    else:
        if several and not isinstance(v, tuple):
            raise ValueError(f"{op}: inputs is a tuple of {len(items)}, so {what} must be a tuple "
                             f"of {len(items)} too")
        if len(vs) != len(items):
            raise ValueError(f"{op}: got {len(vs)} {what} for {len(items)} input(s) of "
                             f"{_name(f)}; give one per input")
        indexed = several
        whose = [f"input {k}" for k in range(len(vs))]
    return [_matching(u, x.shape, x.dtype, op, f"{what}[{k}]" if indexed else what, whose[k])
            for k, (u, x) in enumerate(zip(vs, items))]


def _matching(u, shape, dtype, op, what, against):
    """``u`` as a Tensor of ``shape`` (a Tensor given keeps its links to the graph)."""
    if not isinstance(u, Tensor):
        u = Tensor._make(np.asarray(u, dtype=dtype))
    if u.shape != shape:
        raise ValueError(f"{op}: {what} has shape {u.shape} but {against} has shape {shape}; "
                         f"they must match")
    return u


def _flat(v):
    if v is None:
        return []
    return list(v) if isinstance(v, tuple) else [v]


def vjp(f, inputs, v=None, allow_unused=False, create_graph=None):
    """The vector-Jacobian product: ``(f(inputs), vᵀJ)``, as ``torch.autograd.functional.vjp``.

    ``(vᵀJ)[in_index] = Σ_out_index v[out_index] · ∂out[out_index]/∂x[in_index]``: one
    backward pass with ``v`` as the output's gradient. ``inputs`` is one input or a tuple of
    them (the product comes back the same way); ``v`` has the output's shape (a tuple if ``f``
    returns a tuple) and may be left out when the output has one element.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple of
        Tensors.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    v : array_like, Tensor or tuple, optional
        The cotangent, of the output's shape (one per output for a tuple); ones by default,
        allowed when every output has one element.
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or ``v`` is a Tensor that requires grad).

    Returns
    -------
    outputs : numpy.ndarray, Tensor or tuple
        ``f(inputs)``.
    vjp : numpy.ndarray, Tensor or tuple
        ``vᵀJ``, of the inputs' shapes (a tuple for a tuple of inputs).

    Raises
    ------
    ValueError
        If ``v`` is left out for an output of more than one element, or does not match the
        outputs in number or shape; if no output depends on an input (unless
        ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.vjp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> F.vjp(lambda x: (x ** 2).sum(), np.array([1.0, 2.0]))        # the gradient
    (array(5.), array([2., 4.]))
    """
    p = _Inputs(inputs, v, "vjp", create_graph)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "vjp")
    vs = _directions(v, outs, several_out, f, "vjp", "v", outputs=True)
    _check_left(left, "vjp", f)
    gs, own = _backward(outs, vs, p, "vjp", f, allow_unused, p.create_graph)
    if p.create_graph:
        gs = [_link(g, p.outer, own) for g in gs]
    return (_pack([p.result(o) for o in outs], several_out),
            _pack([p.result(g) for g in gs], p.several))


def jvp(f, inputs, tangents=None, allow_unused=False, create_graph=None):
    """The Jacobian-vector product: ``(f(inputs), J·t)``, as ``torch.autograd.functional.jvp``.

    ``(J·t)[out_index] = Σ_in_index ∂out[out_index]/∂x[in_index] · t[in_index]``, the
    directional derivative of ``f`` along ``t``. ``tangents`` has the inputs' shapes (a tuple
    for a tuple of inputs) and may be left out when every input has one element.

    How it is computed (reverse mode only, the "double-vjp trick"): with a dummy cotangent
    ``u`` (zeros, of the output's shape, requiring grad), one backward pass recorded with
    ``create_graph=True`` gives ``g(u) = Jᵀu``, which is linear in ``u``; a second backward pass
    of ``g`` with ``t`` as its gradient gives ``∂(tᵀJᵀu)/∂u = J·t``. So it costs one forward and
    two backward passes, and needs every backward rule on the way to be recorded as a function
    of its ``grad_output`` by ``create_graph`` (the built-in rules are; a custom Function whose
    backward turns ``grad_output`` into a plain array would contribute zero: that raises
    ``RuntimeError`` naming it). The result does
    not depend on the value of ``u``, since ``g`` is linear in it.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple of
        Tensors.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    tangents : array_like, Tensor or tuple, optional
        The direction ``t``, of the inputs' shapes (a tuple for a tuple of inputs); ones by
        default, allowed when every input has one element.
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or a tangent is a Tensor that requires grad).

    Returns
    -------
    outputs : numpy.ndarray, Tensor or tuple
        ``f(inputs)``.
    jvp : numpy.ndarray, Tensor or tuple
        ``J·t``, of the outputs' shapes (a tuple if ``f`` returns a tuple).

    Raises
    ------
    ValueError
        If ``tangents`` is left out for an input of more than one element, or does not match
        the inputs in number or shape; if no output depends on an input (unless
        ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.jvp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> F.jvp(lambda x: x ** 3, 2.0)                  # f'(2) = 3·2²
    (array(8.), array(12.))
    """
    p = _Inputs(inputs, tangents, "jvp", create_graph)
    ts = _directions(tangents, p.xs, p.several, f, "jvp", "tangents", outputs=False)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "jvp")
        us = [Tensor._make(np.zeros(o.shape, o.dtype), None, True) for o in outs]
        with enable_grad():
            gs, _ = _backward(outs, us, p, "jvp", f, None, True)
    _check_left(left, "jvp", f)
    gs = _unused(gs, p.xs, p.names, allow_unused, "jvp", f)
    live = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
    jt = [None] * len(us)
    if live:
        with _hooks.watch() as own:
            jt = _grad([g for g, _ in live], us, grad_outputs=[t for _, t in live],
                       create_graph=p.create_graph, allow_unused=True)
    jt = [_zeros(u) if j is None else j for u, j in zip(us, jt)]
    if p.create_graph:
        jt = [_link(j, p.outer, own if live else []) for j in jt]
    return (_pack([p.result(o) for o in outs], several_out),
            _pack([p.result(j) for j in jt], several_out))


def hvp(f, inputs, v=None, allow_unused=False, create_graph=None):
    """The Hessian-vector product of the scalar function ``f``: ``(f(inputs), H·v)``.

    As ``torch.autograd.functional.hvp``.
    ``(H·v)[i] = Σ_j ∂²f/∂x[i]∂x[j] · v[j]`` (for several inputs,
    ``(H·v)_i = Σ_j H[i][j]·v_j``). Computed without forming H: one backward pass recorded with
    ``create_graph=True`` gives ``g = ∇f``, a second one of ``g`` with ``v`` as its gradient
    gives ``∂(gᵀv)/∂x = Hᵀv``, which is ``H·v`` since the Hessian is symmetric. ``v`` has the
    inputs' shapes (a tuple for a tuple of inputs).

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a one-element Tensor.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    v : array_like, Tensor or tuple, optional
        The vector, of the inputs' shapes (a tuple for a tuple of inputs); ones by default,
        allowed when every input has one element.
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or ``v`` is a Tensor that requires grad).

    Returns
    -------
    value : numpy.ndarray or Tensor
        ``f(inputs)``.
    hvp : numpy.ndarray, Tensor or tuple
        ``H·v``, of the inputs' shapes (a tuple for a tuple of inputs).

    Raises
    ------
    ValueError
        If ``f`` does not return a one-element output, or ``v`` is left out for an input of
        more than one element or does not match the inputs in number or shape; if the output
        does not depend on an input (unless ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array(9.), array([6., 6.]))
    >>> F.hvp(lambda x, y: (x * y).sum(), (np.array([1.0]), np.array([2.0])),
    ...       (np.array([1.0]), np.array([0.0])))
    (array(2.), (array([0.]), array([1.])))
    """
    p = _Inputs(inputs, v, "hvp", create_graph)
    vs = _directions(v, p.xs, p.several, f, "hvp", "v", outputs=False)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "hvp")
        out = _scalar(f, outs, _Tree(tuple, None, [_LEAF] * len(outs)) if several_out else _LEAF,
                      "hvp")
        with enable_grad():
            gs, _ = _backward([out], [None], p, "hvp", f, None, True)
    _check_left(left, "hvp", f)
    gs = _unused(gs, p.xs, p.names, allow_unused, "hvp", f)
    hv, own = _backward(gs, vs, p, "hvp", f, True, p.create_graph)
    if p.create_graph:
        hv = [_link(h, p.outer, own) for h in hv]
    return p.result(out), _pack([p.result(h) for h in hv], p.several)
