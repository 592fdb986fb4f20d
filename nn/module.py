"""Module and Parameter: the containers that hold a network's weights.

A ``Module`` finds its parameters and submodules by looking at its attributes: a
``Parameter`` or ``Module`` stored directly, or inside a list, tuple or dict attribute
(one level deep). Names are dotted paths, as in PyTorch: ``"layers.0.weight"``.

``Module.__call__`` runs ``forward``. Inside ``with nn.track_scopes():`` it also tags every
graph node the call created with ``node.scope = "<dotted module name>"`` so that a graph
picture can cluster the nodes by module; outside that block the tagging costs one check.
"""
import threading
from collections import OrderedDict, namedtuple

import numpy as np

import autograd as ag
from autograd.inplace import register_change


class Parameter(ag.Tensor):
    """A Tensor that is a weight of a Module: it requires grad and is found by ``parameters()``.

    ``data`` is anything ``ag.Tensor`` takes (an array is shared, not copied, unless it is
    read-only, since optimizers update ``.data`` in place). It must have a floating dtype.
    """

    __slots__ = ()

    def __init__(self, data, requires_grad=True, dtype=None):
        if isinstance(data, ag.Tensor):
            data = data.numpy()
        super().__init__(data, requires_grad=False, dtype=dtype)
        if self.numpy().dtype.kind != "f":
            raise TypeError(f"Parameter: data must have a floating dtype, got {self.numpy().dtype}")
        if not self.numpy().flags.writeable:
            self.data = self.numpy().copy()
        self.requires_grad = bool(requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (Parameter, (self.numpy(), self.requires_grad))

    def __deepcopy__(self, memo):
        out = Parameter(self.numpy().copy(), self.requires_grad)
        memo[id(self)] = out
        return out


# ----------------------------------------------------------------------------- scope tracking
class _Scopes(threading.local):
    depth = 0          # nesting of track_scopes() blocks in this thread
    names = None       # id(module) -> dotted name, set while the outermost module runs
    current = ""       # the dotted name of the module whose forward is running


_scopes = _Scopes()


class track_scopes:
    """Context manager: while active (in this thread), each Module call tags the graph nodes it
    creates with ``node.scope``, the module's dotted name from the outermost module called
    (``""`` for that root, ``"layers.0"`` below it). Nodes already tagged by an inner module
    keep their tag. ``ag.viz``-style drawing reads ``getattr(node, "scope", None)``.
    """

    def __enter__(self):
        _scopes.depth += 1
        return self

    def __exit__(self, *exc):
        _scopes.depth -= 1
        return False


def _tensors_in(obj):
    """The Tensors in a call's arguments or result (through tuples, lists and dict values)."""
    out, stack = [], [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, ag.Tensor):
            out.append(o)
        elif isinstance(o, (tuple, list)):
            stack.extend(o)
        elif isinstance(o, dict):
            stack.extend(o.values())
    return out


def _tag(result, inputs, name):
    """Set ``scope = name`` on the nodes between the call's outputs and its inputs.

    The walk is iterative. It stops at the inputs' nodes (they existed before the call), at
    leaves, and at nodes tagged with a scope outside this module (created before the call).
    Nodes tagged by a submodule are walked through but keep their own tag.
    """
    stop = {id(t.grad_fn) for t in inputs if t.grad_fn is not None}
    prefix = name + "."
    stack = [t.grad_fn for t in _tensors_in(result) if t.grad_fn is not None]
    seen = set()
    while stack:
        node = stack.pop()
        key = id(node)
        if key in seen or key in stop:
            continue
        seen.add(key)
        scope = getattr(node, "scope", None)
        if scope is None:
            node.scope = name
        elif name and scope != name and not scope.startswith(prefix):
            continue   # made by another module before this call
        for edge in getattr(node, "_next", ()):
            if edge is None or isinstance(edge, ag.Tensor):
                continue
            stack.append(edge[0] if type(edge) is tuple else edge)


def _scoped_call(module, args, kwargs):
    root = _scopes.names is None
    if root:
        _scopes.names = {id(m): n for n, m in module.named_modules()}
    parent = _scopes.current
    name = _scopes.names.get(id(module))
    if name is None:   # called inside a forward but not stored as an attribute of any module
        name = f"{parent}.{type(module).__name__}" if parent else type(module).__name__
    _scopes.current = name
    try:
        result = module.forward(*args, **kwargs)
    finally:
        _scopes.current = parent
        if root:
            _scopes.names = None
    _tag(result, _tensors_in((args, kwargs)), name)
    return result


# ----------------------------------------------------------------------------- Module
_IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def _is_member(v):
    return isinstance(v, (Parameter, Module))


class Module:
    """Base class of every layer and network: subclass it and define ``forward``.

    Parameters and submodules are found through attributes (directly, or in a list, tuple or
    dict attribute). Calling ``super().__init__()`` is optional.
    """

    training = True

    def __init__(self):
        self.training = True

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args, **kwargs):
        if not _scopes.depth:
            return self.forward(*args, **kwargs)
        return _scoped_call(self, args, kwargs)

    # ------------------------------------------------------------------ discovery
    def _members(self):
        """(name, Parameter or Module) pairs held directly by this module, in attribute order."""
        for name, v in vars(self).items():
            if _is_member(v):
                yield name, v
            elif isinstance(v, (list, tuple)):
                for i, e in enumerate(v):
                    if _is_member(e):
                        yield f"{name}.{i}", e
            elif isinstance(v, dict):
                for k, e in v.items():
                    if _is_member(e):
                        yield f"{name}.{k}", e

    def named_children(self):
        """(name, module) for each direct submodule."""
        seen = set()
        for name, m in self._members():
            if isinstance(m, Module) and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module (named ``prefix``) and every submodule below
        it, depth first in attribute order. A module reachable twice is listed once, under its
        first name, unless ``remove_duplicate=False``. A module containing itself is an error.
        """
        seen, on_path = set(), set()
        stack = [(prefix, self)]
        while stack:
            item = stack.pop()
            if type(item) is int:          # leaving a module: it is no longer an ancestor
                on_path.discard(item)
                continue
            name, m = item
            key = id(m)
            if key in on_path:
                raise ValueError(f"{type(self).__name__}: module {name!r} contains itself")
            if remove_duplicate:
                if key in seen:
                    continue
                seen.add(key)
            yield name, m
            on_path.add(key)
            stack.append(key)
            kids = [(f"{name}.{child_name}" if name else child_name, child)
                    for child_name, child in m.named_children()]
            stack.extend(reversed(kids))

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def _all_named_parameters(self):
        """Every (dotted name, Parameter), shared parameters under each of their names."""
        for mod_name, m in self.named_modules(remove_duplicate=False):
            for name, p in m._members():
                if isinstance(p, Parameter):
                    yield (f"{mod_name}.{name}" if mod_name else name), p

    def named_parameters(self):
        """(dotted name, Parameter) for every parameter; a shared one is listed once."""
        seen = set()
        for name, p in self._all_named_parameters():
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def parameters(self):
        for _, p in self.named_parameters():
            yield p

    def add_module(self, name, module):
        """Store ``module`` as attribute ``name`` (any string, as PyTorch allows)."""
        if not isinstance(module, Module):
            raise TypeError(f"add_module: expected a Module, got {type(module).__name__}")
        setattr(self, name, module)

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode=True):
        """Set training mode on this module and every submodule; returns self."""
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self):
        """Set evaluation mode (``train(False)``); returns self."""
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: set it to None (PyTorch's default), or to zeros."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = ag.Tensor(np.zeros_like(p.numpy()))

    def to(self, dtype):
        """Cast every parameter to floating ``dtype`` in place (call it before making an
        optimizer, whose state follows its parameters' dtype); returns self."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{type(self).__name__}.to: expected a floating dtype, got {dtype}")
        for p in self.parameters():
            p.data = p.numpy().astype(dtype)
            p.grad = None
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    # ------------------------------------------------------------------ state
    def state_dict(self):
        """An ordered dict from dotted parameter name to a copy of its array."""
        return OrderedDict((name, p.numpy().copy()) for name, p in self._all_named_parameters())

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays from ``state_dict`` into the parameters (in place, keeping their dtype).

        Everything is checked before anything is written, so on error no parameter changes.
        A key whose shape differs, or whose value is not numeric, is always an error. With
        ``strict=True`` a missing or unexpected key is an error too; with ``strict=False`` the
        matching keys are loaded. Returns ``(missing_keys, unexpected_keys)``.
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not hasattr(state_dict, "items"):
            raise TypeError(f"{where}: expected a dict of arrays, got {type(state_dict).__name__}")
        own = OrderedDict(self._all_named_parameters())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        problems, updates = [], []
        for key, p in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            arr = value.numpy() if isinstance(value, ag.Tensor) else np.asarray(value)
            if arr.dtype.kind not in "biuf":
                problems.append(f"{key!r}: expected a numeric array, got dtype {arr.dtype}")
            elif arr.shape != p.numpy().shape:
                problems.append(f"{key!r}: shape {arr.shape} in the state dict, but the "
                                f"parameter has shape {p.numpy().shape}")
            else:
                updates.append((p, arr))
        if strict:
            if missing:
                problems.append("missing key(s): " + ", ".join(map(repr, missing)))
            if unexpected:
                problems.append("unexpected key(s): " + ", ".join(map(repr, unexpected)))
        if problems:
            raise ValueError(f"{where}: nothing was loaded:\n  " + "\n  ".join(problems))
        for p, arr in updates:
            if p.numpy().flags.writeable:
                np.copyto(p.numpy(), arr, casting="unsafe")
                register_change(p)          # a graph that saved the old values is stale now
            else:
                p.data = arr.astype(p.numpy().dtype)
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self):
        """The text inside this module's parentheses (e.g. ``in_features=2, ...``)."""
        return ""

    def __repr__(self):
        # Iterative, as every walk here: a stack of (text-before, module, indent) and closers.
        lines = []
        stack = [("", self, 0)]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                lines.append(item)
                continue
            head, m, ind = item
            kids = list(m.named_children())
            extra = m.extra_repr()
            pad = "  " * ind
            if not kids:
                lines.append(f"{pad}{head}{type(m).__name__}({extra})")
                continue
            lines.append(f"{pad}{head}{type(m).__name__}(")
            if extra:
                lines.append(f"{pad}  {extra}")
            stack.append(f"{pad})")
            for name, child in reversed(kids):
                stack.append((f"({name}): ", child, ind + 1))
        return "\n".join(lines)
