"""A transform's point: the arguments it differentiates, flattened into leaf Tensors
(:class:`_Point` for grad, jacobian and hessian; :class:`_Inputs` for vjp, jvp and hvp), the
call of ``f`` with gradients recorded, its outputs as Tensors, and the results handed back as
the arguments came (arrays in, arrays out; see :mod:`autograd.functional`).
"""
import numpy as np

from .engine import enable_grad, is_grad_enabled
from .pytree import _Tree, _build, _flatten
from .tensor import Tensor, get_default_dtype
from .transform_checks import _name


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
