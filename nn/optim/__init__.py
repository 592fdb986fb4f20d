"""Optimizers: SGD (momentum, Nesterov, weight decay), Adam and AdamW, with PyTorch's update
rules. Each updates ``p.data`` in place (so a float32 parameter stays float32), skips
parameters whose ``grad`` is None, and has ``step``, ``zero_grad``, ``state_dict`` and
``load_state_dict``. ``params`` is an iterable of Tensors (``model.parameters()``) or of dicts
(parameter groups, each with ``"params"`` and its own hyperparameters), as in PyTorch.

Each step marks the graphs that saved the old parameter values as stale.

:mod:`nn.optim.lr_scheduler` holds the learning-rate schedulers (``StepLR``, ``ExponentialLR``,
``CosineAnnealingLR``, ``LambdaLR``).

Examples
--------
A training loop:

>>> import numpy as np
>>> import nn
>>> X = np.array([[0.0], [1.0], [2.0]])
>>> y = 2 * X + 1
>>> model = nn.Linear(1, 1, rng=0)
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> loss_fn = nn.MSELoss()
>>> for _ in range(200):
...     opt.zero_grad()
...     loss = loss_fn(model(X), y)
...     loss.backward()
...     opt.step()
>>> model.weight.numpy().round(3), model.bias.numpy().round(3)
(array([[2.]]), array([1.]))
"""
import math
import numbers

import numpy as np

import autograd as ag
# a step must invalidate the graphs that saved p
from autograd.inplace import register_change, register_changes

from ..module import Module


class Optimizer:
    """Base class of the optimizers: parameter groups, per-parameter state, and their checks.

    Subclasses define :meth:`step`.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The parameters (``model.parameters()``), or parameter groups: dicts with
        ``"params"`` and any hyperparameters of their own (the others come from the
        arguments here).
    defaults : dict
        The hyperparameters of a group that does not set them.

    Attributes
    ----------
    param_groups : list of dict
        Each holds ``"params"`` (a list of Tensors) and its hyperparameters.
    state : dict
        Per parameter, keyed by ``id(p)``: a dict of its buffers (momentum, moments, step).
    defaults : dict
        The default hyperparameters.

    Raises
    ------
    TypeError
        If ``params`` is a single Tensor or Module, holds (name, parameter) pairs or
        non-Tensors, or a group is not a dict with ``"params"``.
    ValueError
        If there are no parameters, one is not a floating leaf with ``requires_grad=True`` or
        appears twice, or a hyperparameter is out of range (negative, or betas outside
        [0, 1)).

    Examples
    --------
    >>> import nn
    >>> model = nn.Linear(2, 1, rng=0)
    >>> opt = nn.optim.SGD([{"params": [model.weight]},
    ...                     {"params": [model.bias], "lr": 0.01}], lr=0.1)
    >>> [group["lr"] for group in opt.param_groups]
    [0.1, 0.01]
    >>> nn.optim.SGD(model, lr=0.1)
    Traceback (most recent call last):
        ...
    TypeError: SGD: params must be an iterable of Tensors, such as model.parameters(), got a Linear
    """

    def __init__(self, params, defaults):
        name = type(self).__name__
        if isinstance(params, (ag.Tensor, Module)):
            raise TypeError(f"{name}: params must be an iterable of Tensors, such as "
                            f"model.parameters(), got a {type(params).__name__}")
        params = list(params)
        if not params:
            raise ValueError(f"{name}: got an empty parameter list; pass model.parameters() "
                             f"of a model that has parameters")
        self.defaults = dict(defaults)
        self._check_hyper(self.defaults)
        self.param_groups = []
        self.state = {}
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, group):
        """Add a dict with ``"params"`` and optional hyperparameters (defaults fill the rest).

        Parameters
        ----------
        group : dict
            ``"params"``: a Tensor or an iterable of Tensors not already in this optimizer;
            any other key is a hyperparameter for them.

        Returns
        -------
        None

        Raises
        ------
        TypeError
            If ``group`` is not a dict with ``"params"``, or holds non-Tensors or (name,
            parameter) pairs.
        ValueError
            If the group is empty, a parameter is not a floating leaf with
            ``requires_grad=True`` or is already in the optimizer, or a hyperparameter is out
            of range.

        Examples
        --------
        >>> import nn
        >>> body, head = nn.Linear(2, 2, rng=0), nn.Linear(2, 1, rng=1)
        >>> opt = nn.optim.Adam(body.parameters(), lr=1e-3)
        >>> opt.add_param_group({"params": head.parameters(), "lr": 1e-2})
        >>> [(len(g["params"]), g["lr"]) for g in opt.param_groups]
        [(2, 0.001), (2, 0.01)]
        """
        name = type(self).__name__
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{name}: a parameter group must be a dict with a 'params' entry, "
                            f"got {type(group).__name__}")
        params = group["params"]
        params = [params] if isinstance(params, ag.Tensor) else list(params)
        known = {id(p) for g in self.param_groups for p in g["params"]}
        for k, p in enumerate(params):
            if isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], ag.Tensor):
                raise TypeError(f"{name}: got (name, parameter) pairs; pass "
                                f"model.parameters(), not named_parameters()")
            if not isinstance(p, ag.Tensor):
                raise TypeError(f"{name}: params[{k}] is a {type(p).__name__}, not a Tensor")
            if not p.requires_grad or not p.is_leaf or p.numpy().dtype.kind != "f":
                raise ValueError(f"{name}: params[{k}] (shape {p.shape}, dtype {p.dtype}) must "
                                 f"be a floating leaf Tensor with requires_grad=True")
            if id(p) in known:
                raise ValueError(f"{name}: params[{k}] (shape {p.shape}) appears more than "
                                 f"once")
            known.add(id(p))
        if not params:
            raise ValueError(f"{name}: a parameter group has no parameters")
        full = dict(self.defaults)
        full.update({k: v for k, v in group.items() if k != "params"})
        self._check_hyper(full)
        full["params"] = params
        self.param_groups.append(full)

    def _check_hyper(self, h):
        name = type(self).__name__
        for key in ("lr", "momentum", "dampening", "weight_decay", "eps"):
            v = h.get(key, 0)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v >= 0:
                raise ValueError(f"{name}: {key} must be a number >= 0, got {h[key]!r}")
            if key in h:
                h[key] = float(v)   # Python floats keep float32 arithmetic in float32
        if "betas" in h:
            b = tuple(h["betas"])
            if len(b) != 2 or not all(0 <= x < 1 for x in b):
                raise ValueError(f"{name}: betas must be two numbers in [0, 1), got "
                                 f"{h['betas']!r}")
            h["betas"] = (float(b[0]), float(b[1]))

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter (None, PyTorch's default, or zeros).

        Parameters
        ----------
        set_to_none : bool, optional
            If True (the default), set each ``grad`` to None; if False, to zeros (a gradient
            that is None stays None).

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> w = nn.Parameter(np.array([1.0, -2.0]))
        >>> opt = nn.optim.SGD([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> w.grad
        Tensor([ 2., -4.])
        >>> opt.zero_grad()
        >>> w.grad is None
        True
        """
        for g in self.param_groups:
            for p in g["params"]:
                p.grad = None if set_to_none or p.grad is None else ag.Tensor(
                    np.zeros_like(p.numpy()))

    def step(self):
        """Update the parameters once from their gradients; every subclass defines it.

        Returns
        -------
        None

        Raises
        ------
        NotImplementedError
            On the base class.

        Examples
        --------
        >>> import nn
        >>> nn.optim.Optimizer(nn.Linear(2, 1, rng=0).parameters(), {}).step()
        Traceback (most recent call last):
            ...
        NotImplementedError
        """
        raise NotImplementedError

    # ------------------------------------------------------------------ state
    def _params(self):
        return [p for g in self.param_groups for p in g["params"]]

    def state_dict(self):
        """Return the optimizer's state and hyperparameters, as PyTorch lays them out.

        Returns
        -------
        dict
            ``{"state": {index: {name: array or int}}, "param_groups": [{hyper...,
            "params": [indices]}]}``, parameters numbered in group order, as PyTorch.
            Arrays are copies. Parameters with no state yet are left out of ``"state"``.
            ``nn.save`` writes it to a file.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> w = nn.Parameter(np.array([1.0, -2.0]))
        >>> opt = nn.optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> state = opt.state_dict()
        >>> state["state"]
        {0: {'step': 1, 'exp_avg': array([ 0.2, -0.4]), 'exp_avg_sq': array([0.004, 0.016])}}
        >>> state["param_groups"]
        [{'lr': 0.1, 'betas': (0.9, 0.999), 'eps': 1e-08, 'weight_decay': 0.0, 'params': [0]}]
        """
        params = self._params()
        state = {}
        for i, p in enumerate(params):
            s = self.state.get(id(p))
            if s:
                state[i] = {k: (v.copy() if isinstance(v, np.ndarray) else v)
                            for k, v in s.items()}
        groups, start = [], 0
        for g in self.param_groups:
            entry = {k: v for k, v in g.items() if k != "params"}
            entry["params"] = list(range(start, start + len(g["params"])))
            start += len(g["params"])
            groups.append(entry)
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by :meth:`state_dict`.

        The state must be for the same parameters in the same order. Everything is checked
        first: on error nothing changes. Arrays are copied and cast to their parameter's
        dtype; numpy scalars become Python numbers.

        Parameters
        ----------
        state_dict : dict
            ``{"state": ..., "param_groups": ...}``, as :meth:`state_dict` (or ``nn.load``
            of a saved one) returns.

        Returns
        -------
        None

        Raises
        ------
        ValueError
            If ``state_dict`` lacks ``"state"`` or ``"param_groups"``; the number of groups,
            or of parameters in a group, differs; a state refers to a parameter that does not
            exist, or holds an array of another shape or a non-numeric one; or a
            hyperparameter is out of range. Nothing is loaded.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> w = nn.Parameter(np.array([1.0, -2.0]))
        >>> opt = nn.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> saved = opt.state_dict()
        >>> opt2 = nn.optim.SGD([w], lr=0.5, momentum=0.5)
        >>> opt2.load_state_dict(saved)
        >>> opt2.param_groups[0]["lr"], opt2.state[id(w)]["momentum_buffer"]
        (0.1, array([ 2., -4.]))
        >>> opt2.load_state_dict({"state": {}, "param_groups": []})
        Traceback (most recent call last):
            ...
        ValueError: SGD.load_state_dict: the state has 0 parameter group(s), this optimizer 1
        >>> opt2.param_groups[0]["lr"]
        0.1
        """
        name = f"{type(self).__name__}.load_state_dict"
        try:
            saved_groups = list(state_dict["param_groups"])
            saved_state = dict(state_dict["state"])
        except (KeyError, TypeError):
            raise ValueError(f"{name}: expected a dict with 'state' and 'param_groups'") \
                from None
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}: the state has {len(saved_groups)} parameter group(s), "
                             f"this optimizer {len(self.param_groups)}")
        for k, (sg, g) in enumerate(zip(saved_groups, self.param_groups)):
            n_saved = len(sg.get("params", ()))
            if n_saved != len(g["params"]):
                raise ValueError(f"{name}: group {k} has {n_saved} parameter(s) in the state, "
                                 f"{len(g['params'])} here")
        params = self._params()
        new_state = {}
        for key, s in saved_state.items():
            i = int(key)
            if not 0 <= i < len(params):
                raise ValueError(f"{name}: state for parameter {i}, but there are "
                                 f"{len(params)}")
            p = params[i]
            entry = {}
            for k, v in dict(s).items():
                if isinstance(v, (np.ndarray, ag.Tensor)):
                    v = v.numpy() if isinstance(v, ag.Tensor) else v
                    # Casting would fail with numpy's message (strings, records) or drop the
                    # imaginary part with only a warning (complex).
                    if v.dtype.kind not in "biuf":
                        raise ValueError(f"{name}: state {k!r} of parameter {i} has dtype "
                                         f"{v.dtype}; expected a real numeric array (bool, "
                                         f"int or float); nothing was loaded")
                    v = np.array(v, dtype=p.dtype)
                    if v.shape != p.shape:
                        raise ValueError(f"{name}: state {k!r} of parameter {i} has shape "
                                         f"{v.shape}, the parameter {p.shape}")
                elif isinstance(v, np.generic):
                    v = v.item()
                entry[k] = v
            new_state[id(p)] = entry
        hypers = []
        for sg, g in zip(saved_groups, self.param_groups):
            h = {k: v for k, v in dict(sg).items() if k != "params"}
            h = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in h.items()}
            self._check_hyper(h)
            hypers.append(h)
        for h, g in zip(hypers, self.param_groups):
            g.update(h)
        self.state = new_state

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for k, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {k}")
            for key in sorted(g):
                if key != "params":
                    lines.append(f"    {key}: {g[key]}")
        return "\n".join(lines + [")"])


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's rule. For each parameter p with gradient g::

        g ← g + weight_decay·p
        if momentum ≠ 0:  b ← g on the first step, else b ← momentum·b + (1 − dampening)·g
                          g ← g + momentum·b if nesterov else b
        p ← p − lr·g

    The momentum buffer b is kept in ``state`` as ``"momentum_buffer"``.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The parameters (``model.parameters()``), or parameter groups: dicts with
        ``"params"`` and any hyperparameters of their own (the others come from the
        arguments here).
    lr : float
        The learning rate (required).
    momentum : float, optional
        The momentum factor (default 0: plain SGD).
    dampening : float, optional
        Dampening of the momentum (default 0).
    nesterov : bool, optional
        Nesterov momentum (default False); it needs momentum > 0 and dampening = 0.
    weight_decay : float, optional
        The L2 penalty's factor (default 0).

    Raises
    ------
    TypeError
        If ``params`` is a single Tensor or Module, holds (name, parameter) pairs or
        non-Tensors, or a group is not a dict with ``"params"``.
    ValueError
        If there are no parameters, one is not a floating leaf with ``requires_grad=True`` or
        appears twice, or a hyperparameter is out of range (negative, or betas outside
        [0, 1)).
        Also if ``nesterov`` is set without momentum > 0 and dampening = 0.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([1.0, -2.0]))
    >>> opt = nn.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w * w).sum().backward()
    ...     opt.step()
    ...     print(w.numpy())
    [ 0.8 -1.6]
    [ 0.46 -0.92]
    >>> opt
    SGD (
    Parameter Group 0
        dampening: 0.0
        lr: 0.1
        momentum: 0.9
        nesterov: False
        weight_decay: 0.0
    )
    """

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False,
                 weight_decay=0.0):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      nesterov=nesterov, weight_decay=weight_decay))

    def step(self):
        """Update every parameter that has a gradient once, by the rule above.

        Parameters whose ``grad`` is None are skipped. ``p.data`` changes in place (keeping
        its dtype), and graphs that saved the old values are marked stale.

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> w = nn.Parameter(np.array([1.0, -2.0]))
        >>> opt = nn.optim.SGD([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        Parameter containing:
        Tensor([ 0.8, -1.6], requires_grad=True)
        """
        state = self.state
        for group in self.param_groups:
            lr, momentum, wd = group["lr"], group["momentum"], group["weight_decay"]
            dampening, nesterov = group["dampening"], group["nesterov"]
            if not momentum and not wd:
                changed = [p for p in group["params"] if p.grad is not None]
                for p in changed:               # plain SGD, the common case: p ← p − lr·g
                    data = p._data
                    data -= lr * p.grad._data
                register_changes(changed)
                continue
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.numpy()
                data = p.numpy()
                if wd:
                    g = g + wd * data
                if momentum:
                    s = state.get(id(p))
                    if s is None:
                        buf = np.array(g, copy=True)
                        state[id(p)] = {"momentum_buffer": buf}
                    else:
                        buf = s["momentum_buffer"]
                        buf *= momentum
                        buf += (1 - dampening) * g
                    g = g + momentum * buf if nesterov else buf
                data -= lr * g
                register_change(p)


class Adam(Optimizer):
    """Adam (Kingma & Ba), PyTorch's rule. With t the step count of p and gradient g::

        g ← g + weight_decay·p            (L2 penalty in the gradient; see AdamW)
        m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
        p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)

    ``state`` holds ``"step"`` (t), ``"exp_avg"`` (m) and ``"exp_avg_sq"`` (v) per parameter.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The parameters (``model.parameters()``), or parameter groups: dicts with
        ``"params"`` and any hyperparameters of their own (the others come from the
        arguments here).
    lr : float, optional
        The learning rate (default 1e-3).
    betas : tuple of float, optional
        (β₁, β₂), each in [0, 1) (default (0.9, 0.999)).
    eps : float, optional
        Added to the denominator (default 1e-8).
    weight_decay : float, optional
        The L2 penalty's factor, added to the gradient (default 0).

    Raises
    ------
    TypeError
        If ``params`` is a single Tensor or Module, holds (name, parameter) pairs or
        non-Tensors, or a group is not a dict with ``"params"``.
    ValueError
        If there are no parameters, one is not a floating leaf with ``requires_grad=True`` or
        appears twice, or a hyperparameter is out of range (negative, or betas outside
        [0, 1)).

    Examples
    --------
    The first step moves each entry by about lr, against its gradient's sign:

    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([1.0, -2.0]))
    >>> opt = nn.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.numpy()
    array([ 0.9, -1.9])
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self):
        """Update every parameter that has a gradient once, by the rule above.

        Parameters whose ``grad`` is None are skipped (and their step count stays). ``p.data``
        changes in place (keeping its dtype), and graphs that saved the old values are marked
        stale. :class:`AdamW` decays the weights first instead of adding the penalty to g.

        Returns
        -------
        None

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> w = nn.Parameter(np.array([1.0, -2.0]))
        >>> opt = nn.optim.Adam([w], lr=0.1)
        >>> for _ in range(3):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     opt.step()
        >>> opt.state[id(w)]["step"]
        3
        >>> w.numpy()
        array([ 0.70158627, -1.70062339])
        """
        state = self.state
        decoupled = self._decoupled
        for group in self.param_groups:
            lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], \
                group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.numpy()
                data = p.numpy()
                s = state.get(id(p))
                if s is None:
                    s = state[id(p)] = {"step": 0, "exp_avg": np.zeros_like(data),
                                        "exp_avg_sq": np.zeros_like(data)}
                if wd:
                    if decoupled:
                        data *= 1 - lr * wd
                    else:
                        g = g + wd * data
                s["step"] = t = s["step"] + 1
                m, v = s["exp_avg"], s["exp_avg_sq"]
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * (g * g)
                denom = np.sqrt(v)
                denom *= 1 / math.sqrt(1 - b2 ** t)
                denom += eps
                data -= (lr / (1 - b1 ** t)) * m / denom
                register_change(p)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's rule.

    p ← p·(1 − lr·weight_decay) first, then Adam's update with no decay in the gradient.
    Default weight_decay is 1e-2, as PyTorch's.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The parameters (``model.parameters()``), or parameter groups: dicts with
        ``"params"`` and any hyperparameters of their own (the others come from the
        arguments here).
    lr : float, optional
        The learning rate (default 1e-3).
    betas : tuple of float, optional
        (β₁, β₂), each in [0, 1) (default (0.9, 0.999)).
    eps : float, optional
        Added to the denominator (default 1e-8).
    weight_decay : float, optional
        The decoupled decay's factor (default 1e-2).

    Raises
    ------
    TypeError
        If ``params`` is a single Tensor or Module, holds (name, parameter) pairs or
        non-Tensors, or a group is not a dict with ``"params"``.
    ValueError
        If there are no parameters, one is not a floating leaf with ``requires_grad=True`` or
        appears twice, or a hyperparameter is out of range (negative, or betas outside
        [0, 1)).

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([1.0, -2.0]))
    >>> opt = nn.optim.AdamW([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w.numpy()
    array([ 0.899, -1.898])
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)


from . import lr_scheduler  # noqa: E402,F401  (it needs Optimizer, defined above)
