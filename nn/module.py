"""Module and Parameter: the containers that hold a network's weights.

A ``Module`` finds its parameters and submodules by looking at its attributes: a
``Parameter`` or ``Module`` stored directly, or inside a list, tuple or dict attribute
(one level deep). Names are dotted paths, as in PyTorch: ``"layers.0.weight"``.

``Module.__call__`` runs ``forward``. Inside ``with nn.track_scopes():`` it also tags every
graph node the call created with ``node.scope = "<dotted module name>"`` so that a graph
picture can cluster the nodes by module; outside that block the tagging costs one check.

Examples
--------
>>> import nn
>>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
>>> [name for name, _ in model.named_parameters()]
['0.weight', '0.bias', '2.weight', '2.bias']
"""
import threading
from collections import OrderedDict, namedtuple

import numpy as np

import autograd as ag
from autograd.inplace import register_change
from autograd.function import edge_target


class Parameter(ag.Tensor):
    """A Tensor that is a weight of a Module: it requires grad and is found by ``parameters()``.

    A Module lists every ``Parameter`` among its attributes in :meth:`Module.parameters`, so
    an optimizer made from ``model.parameters()`` updates it.

    Parameters
    ----------
    data : array_like or Tensor
        Anything ``ag.Tensor`` takes. An array is shared, not copied, unless it is read-only
        (then it is copied), since optimizers update ``.data`` in place. A Tensor's array is
        shared. It must have a floating dtype.
    requires_grad : bool, optional
        Whether gradients flow to it (default True).
    dtype : dtype, optional
        Cast ``data`` to this dtype (a copy) instead of keeping its own.

    Raises
    ------
    TypeError
        If the data's dtype is not a floating dtype.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = np.array([1.0, 2.0])
    >>> p = nn.Parameter(w)
    >>> p
    Parameter containing:
    Tensor([1., 2.], requires_grad=True)
    >>> np.shares_memory(p.numpy(), w)
    True
    >>> nn.Parameter(np.arange(3))
    Traceback (most recent call last):
        ...
    TypeError: Parameter: data must have a floating dtype, got int64
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
    """Context manager that tags the graph nodes each Module call creates with its name.

    While active (in this thread), each Module call tags the graph nodes it creates with
    ``node.scope``, the module's dotted name from the outermost module called (``""`` for
    that root, ``"layers.0"`` below it). Nodes already tagged by an inner module keep their
    tag. ``ag.viz``-style drawing reads ``getattr(node, "scope", None)``. Blocks may nest.
    Outside such a block a Module call costs one check more than ``forward``.

    Returns
    -------
    track_scopes
        The context manager itself (what ``with ... as`` binds).

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
    >>> with nn.track_scopes():
    ...     out = model(np.ones((1, 2)))
    >>> out.grad_fn.scope
    '2'
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
            child, nr = edge_target(edge)
            if nr is not None:              # a node (not a leaf, not an input without edge)
                stack.append(child)


class _Scope(str):
    """A module's dotted name, as its ops carry it (``node.scope``), with ``label``: what the
    pictures write beside the name ("0: Linear(64 → 32)"), and ``parent``: the enclosing
    module's scope (a container's ops may all be its children's)."""


def _scoped_call(module, args, kwargs):
    root = _scopes.names is None
    if root:
        _scopes.names = {id(m): n for n, m in module.named_modules()}
    parent = _scopes.current
    name = _scopes.names.get(id(module))
    if name is None:   # called inside a forward but not stored as an attribute of any module
        name = f"{parent}.{type(module).__name__}" if parent else type(module).__name__
    name = _Scope(name)
    name.label, name.parent = module._scope_label(), parent
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
    dict attribute, one level deep). Calling ``super().__init__()`` is optional. Calling the
    module, ``module(x)``, runs ``forward(x)`` (and, inside :class:`track_scopes`, tags the
    graph nodes it makes).

    Attributes
    ----------
    training : bool
        True in training mode (the default), False after :meth:`eval`.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> class TwoLayer(nn.Module):
    ...     def __init__(self):
    ...         self.hidden = nn.Linear(2, 3, rng=0)
    ...         self.out = nn.Linear(3, 1, rng=1)
    ...     def forward(self, x):
    ...         return self.out(ag.relu(self.hidden(x)))
    >>> net = TwoLayer()
    >>> [name for name, _ in net.named_parameters()]
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    >>> net(np.ones((4, 2))).shape
    (4, 1)
    """

    training = True

    def __init__(self):
        self.training = True

    def forward(self, *args, **kwargs):
        """Compute the module's output; every subclass defines it.

        Parameters
        ----------
        *args, **kwargs
            The inputs, as the subclass defines them.

        Returns
        -------
        Tensor or object
            The output, as the subclass defines it.

        Raises
        ------
        NotImplementedError
            On the base class, which has no computation.

        Examples
        --------
        >>> import nn
        >>> nn.Module()(1.0)
        Traceback (most recent call last):
            ...
        NotImplementedError: Module must define forward()
        """
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
        """Iterate over the direct submodules with their names.

        A submodule held under two names is yielded once, under its first.

        Yields
        ------
        name : str
            The attribute name (``"0"`` in a Sequential, ``"layers.1"`` for an element of a
            list attribute).
        module : Module
            The submodule.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU())
        >>> [(name, type(m).__name__) for name, m in model.named_children()]
        [('0', 'Linear'), ('1', 'ReLU')]
        """
        seen = set()
        for name, m in self._members():
            if isinstance(m, Module) and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        """Iterate over the direct submodules (as :meth:`named_children`, without names).

        Yields
        ------
        Module
            Each direct submodule, once.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU())
        >>> [type(m).__name__ for m in model.children()]
        ['Linear', 'ReLU']
        """
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix="", remove_duplicate=True):
        """Iterate over this module and every submodule below it, with dotted names.

        This module comes first (named ``prefix``), then every submodule below it, depth
        first in attribute order. The walk is iterative, so deep nesting is no problem.

        Parameters
        ----------
        prefix : str, optional
            The name of this module, and the start of every name below it (default ``""``).
        remove_duplicate : bool, optional
            If True (the default), a module reachable twice is listed once, under its first
            name; if False, under each of its names.

        Yields
        ------
        name : str
            The dotted name, such as ``"0"`` or ``"encoder.layers.1"``.
        module : Module
            The module.

        Raises
        ------
        ValueError
            If a module contains itself.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.Sequential(nn.ReLU()))
        >>> [name for name, _ in model.named_modules()]
        ['', '0', '1', '1.0']
        >>> [name for name, _ in model.named_modules(prefix="net")]
        ['net', 'net.0', 'net.1', 'net.1.0']
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
        """Iterate over this module and every submodule below it (as :meth:`named_modules`).

        Yields
        ------
        Module
            This module, then each submodule, depth first, each once.

        Raises
        ------
        ValueError
            If a module contains itself.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU())
        >>> [type(m).__name__ for m in model.modules()]
        ['Sequential', 'Linear', 'ReLU']
        """
        for _, m in self.named_modules():
            yield m

    def _all_named_parameters(self):
        """Every (dotted name, Parameter), shared parameters under each of their names."""
        for mod_name, m in self.named_modules(remove_duplicate=False):
            for name, p in m._members():
                if isinstance(p, Parameter):
                    yield (f"{mod_name}.{name}" if mod_name else name), p

    def named_parameters(self):
        """Iterate over every parameter with its dotted name.

        A parameter shared by two modules (or held under two names) is listed once, under its
        first name, so an optimizer gets it once.

        Yields
        ------
        name : str
            The dotted name, such as ``"0.weight"``.
        parameter : Parameter
            The parameter itself (not a copy).

        Examples
        --------
        >>> import nn
        >>> layer = nn.Linear(2, 3, rng=0)
        >>> [(name, p.shape) for name, p in layer.named_parameters()]
        [('weight', (2, 3)), ('bias', (3,))]
        """
        seen = set()
        for name, p in self._all_named_parameters():
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def parameters(self):
        """Iterate over every parameter, each once (what an optimizer takes).

        Yields
        ------
        Parameter
            Each parameter, in the order of :meth:`named_parameters`.

        Examples
        --------
        >>> import nn
        >>> model = nn.MLP([2, 4, 1], rng=0)
        >>> sum(p.numpy().size for p in model.parameters())
        17
        """
        for _, p in self.named_parameters():
            yield p

    def add_module(self, name, module):
        """Store ``module`` as attribute ``name`` (any string, as PyTorch allows).

        Parameters
        ----------
        name : str
            The attribute name; it need not be a Python identifier.
        module : Module
            The submodule to register.

        Returns
        -------
        None

        Raises
        ------
        TypeError
            If ``module`` is not a Module.

        Examples
        --------
        >>> import nn
        >>> net = nn.Module()
        >>> net.add_module("layer-1", nn.Linear(2, 2, rng=0))
        >>> [name for name, _ in net.named_parameters()]
        ['layer-1.weight', 'layer-1.bias']
        """
        if not isinstance(module, Module):
            raise TypeError(f"add_module: expected a Module, got {type(module).__name__}")
        setattr(self, name, module)

    # ------------------------------------------------------------------ modes and gradients
    def train(self, mode=True):
        """Set training mode on this module and every submodule.

        Parameters
        ----------
        mode : bool, optional
            True (the default) for training mode, False for evaluation mode.

        Returns
        -------
        Module
            ``self``.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.ReLU())
        >>> model.train(False)[0].training
        False
        >>> model.train().training
        True
        """
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self):
        """Set evaluation mode on this module and every submodule (``train(False)``).

        Returns
        -------
        Module
            ``self``.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 2, rng=0)).eval()
        >>> model.training, model[0].training
        (False, False)
        """
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: set it to None (PyTorch's default), or to zeros.

        Parameters
        ----------
        set_to_none : bool, optional
            If True (the default), set each ``grad`` to None. If False, set it to a Tensor of
            zeros (a gradient that is None stays None).

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> layer(np.ones((1, 2))).sum().backward()
        >>> layer.bias.grad
        Tensor([1.])
        >>> layer.zero_grad(set_to_none=False)
        >>> layer.bias.grad
        Tensor([0.])
        >>> layer.zero_grad()
        >>> layer.bias.grad is None
        True
        """
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = ag.Tensor(np.zeros_like(p.numpy()))

    def to(self, dtype):
        """Cast every parameter to floating ``dtype`` in place.

        The Parameter objects stay the same (their arrays are replaced by cast copies) and
        their gradients are cleared to None. Call it before making an optimizer, whose state
        follows its parameters' dtype.

        Parameters
        ----------
        dtype : dtype
            A floating dtype, such as ``np.float32``.

        Returns
        -------
        Module
            ``self``.

        Raises
        ------
        TypeError
            If ``dtype`` is not a floating dtype.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> layer = nn.Linear(2, 1, rng=0).to(np.float32)
        >>> layer.weight.dtype
        dtype('float32')
        """
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"{type(self).__name__}.to: expected a floating dtype, got {dtype}")
        for p in self.parameters():
            p.data = p.numpy().astype(dtype)
            p.grad = None
        return self

    def float(self):
        """Cast every parameter to float32 in place (``to(np.float32)``).

        Returns
        -------
        Module
            ``self``.

        Examples
        --------
        >>> import nn
        >>> nn.Linear(2, 1, rng=0).float().bias.dtype
        dtype('float32')
        """
        return self.to(np.float32)

    def double(self):
        """Cast every parameter to float64 in place (``to(np.float64)``).

        Returns
        -------
        Module
            ``self``.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.Linear(2, 1, rng=0, dtype=np.float32).double().bias.dtype
        dtype('float64')
        """
        return self.to(np.float64)

    # ------------------------------------------------------------------ state
    def state_dict(self):
        """Return the parameters' values: an ordered dict from dotted name to array.

        A parameter shared under several names appears under each of them.

        Returns
        -------
        OrderedDict of str to numpy.ndarray
            Copies of the arrays, so later training does not change them. The keys read as
            PyTorch's (``"0.weight"``); ``nn.save`` writes it to a file.

        Examples
        --------
        >>> import nn
        >>> state = nn.Linear(2, 1, rng=0).state_dict()
        >>> list(state)
        ['weight', 'bias']
        >>> state["weight"]
        array([[ 0.1937],
               [-0.3256]])
        """
        return OrderedDict((name, p.numpy().copy()) for name, p in self._all_named_parameters())

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays from ``state_dict`` into the parameters (in place, keeping their dtype).

        Everything is checked before anything is written, so on error no parameter changes.
        A key whose shape differs, or whose value is not numeric, is always an error. With
        ``strict=True`` a missing or unexpected key is an error too; with ``strict=False`` the
        matching keys are loaded. A graph that saved a parameter's old values is marked stale.

        Parameters
        ----------
        state_dict : mapping of str to array_like or Tensor
            Dotted parameter names to values, as :meth:`state_dict` or ``nn.load`` returns.
        strict : bool, optional
            If True (the default), the keys must match this module's exactly.

        Returns
        -------
        IncompatibleKeys
            A named tuple ``(missing_keys, unexpected_keys)`` of lists of names (both empty
            when the keys match).

        Raises
        ------
        TypeError
            If ``state_dict`` is not a dict-like object; nothing is loaded.
        ValueError
            If a value has the wrong shape or is not numeric, or (``strict=True``) a key is
            missing or unexpected; the message lists every problem and nothing is loaded.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> layer.load_state_dict({"weight": np.array([[1.0], [1.0]]), "bias": np.zeros(1)})
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        >>> layer(np.array([[2.0, 3.0]]))
        Tensor([[5.]], grad_fn=<Affine>)
        >>> layer.load_state_dict({"bias": np.ones(1)}, strict=False)
        IncompatibleKeys(missing_keys=['weight'], unexpected_keys=[])
        >>> layer.load_state_dict({"weight": np.zeros((1, 2)), "bias": np.zeros(1)})
        Traceback (most recent call last):
            ...
        ValueError: Linear.load_state_dict: nothing was loaded:
          'weight': shape (1, 2) in the state dict, but the parameter has shape (2, 1)
        >>> layer.bias
        Parameter containing:
        Tensor([1.], requires_grad=True)
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
    def _scope_label(self):
        """What a picture's cluster of this module's ops says beside its name: the class, with
        its settings when they are short (``LeakyReLU(negative_slope=0.1)``)."""
        extra = self.extra_repr()
        name = type(self).__name__
        return f"{name}({extra})" if extra and len(extra) <= 32 else name

    def extra_repr(self):
        """The text inside this module's parentheses in its repr (e.g. ``in_features=2, ...``).

        Subclasses override it to show their settings; the base returns ``""``.

        Returns
        -------
        str
            The settings, as ``name=value`` pairs.

        Examples
        --------
        >>> import nn
        >>> nn.Linear(2, 1, rng=0).extra_repr()
        'in_features=2, out_features=1, bias=True'
        >>> nn.Sequential(nn.Linear(2, 1, rng=0), nn.Sigmoid())
        Sequential(
          (0): Linear(in_features=2, out_features=1, bias=True)
          (1): Sigmoid()
        )
        """
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


def _slot_of(module, name):
    """(container, key) where ``module``'s member ``name`` (as ``_members`` names it) lives."""
    obj = vars(module)
    if name in obj:
        return obj, name
    attr, _, key = name.partition(".")
    container = obj[attr]
    if isinstance(container, dict):
        return container, next(k for k in container if str(k) == key)
    return container, int(key)


def _put(module, name, value):
    """Set ``module``'s member ``name`` to ``value``; a tuple container is replaced by a copy."""
    container, key = _slot_of(module, name)
    if isinstance(container, tuple):
        attr = name.partition(".")[0]
        items = list(container)
        items[key] = value
        vars(module)[attr] = type(container)(items) if type(container) is tuple else \
            type(container)(*items)
    else:
        container[key] = value


def functional_call(module, params, *args, **kwargs):
    """Run ``module(*args, **kwargs)`` with the tensors of ``params`` in place of its own.

    ``params`` maps dotted names, as :meth:`Module.named_parameters` gives them, to arrays or
    Tensors; the module's parameters under those names are swapped for them during the call
    and restored afterwards (also when the call raises). Names not given keep the module's own
    parameters. So a loss can be a function of the parameters, for the function transforms:
    ``F.grad(lambda p, x, y: loss(functional_call(model, p, x), y))(params, x, y)``, and
    ``vmap`` of it for per-example gradients.

    Parameters
    ----------
    module : Module
        The module to run.
    params : dict
        Dotted name -> array or Tensor, of the parameter's shape (not checked: the module's
        operations see what is given).
    *args, **kwargs
        What ``module`` is called with.

    Returns
    -------
    object
        What ``module(*args, **kwargs)`` returns.

    Raises
    ------
    TypeError
        If ``params`` is not a dict (a mapping).
    KeyError
        If a name in ``params`` is not one of the module's parameters (all such names are
        listed).

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> layer = nn.Linear(2, 1, rng=0)
    >>> p = {"weight": np.array([[1.0], [2.0]]), "bias": np.array([0.5])}
    >>> nn.functional_call(layer, p, np.array([[1.0, 1.0]]))
    Tensor([[3.5]])
    >>> layer.weight.shape, layer.weight is dict(layer.named_parameters())["weight"]
    ((2, 1), True)
    >>> nn.functional_call(layer, {"weights": np.zeros((2, 1))}, np.ones((1, 2)))
    Traceback (most recent call last):
        ...
    KeyError: "functional_call: Linear has no parameter named 'weights'; its parameters are 'weight', 'bias'"
    """
    if not hasattr(params, "items"):
        raise TypeError(f"functional_call: params must be a dict of dotted names to tensors, "
                        f"got {type(params).__name__}")
    slots = {}
    for mod_name, m in module.named_modules(remove_duplicate=False):
        for name, v in m._members():
            if isinstance(v, Parameter):
                slots.setdefault(f"{mod_name}.{name}" if mod_name else name, []).append(
                    (m, name, v))
    unknown = [k for k in params if k not in slots]
    if unknown:
        raise KeyError(f"functional_call: {type(module).__name__} has no parameter named "
                       f"{', '.join(map(repr, unknown))}; its parameters are "
                       f"{', '.join(map(repr, slots))}")
    done = []
    try:
        for k, value in params.items():
            if not isinstance(value, ag.Tensor):
                value = ag.Tensor(value)
            for m, name, old in slots[k]:
                _put(m, name, value)
                done.append((m, name, old))
        return module(*args, **kwargs)
    finally:
        for m, name, old in reversed(done):
            _put(m, name, old)
