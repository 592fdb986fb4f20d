"""Optimizers: SGD (momentum, Nesterov, weight decay), Adam and AdamW, with PyTorch's update
rules. Each updates ``p.data`` in place (so a float32 parameter stays float32), skips
parameters whose ``grad`` is None, and has ``step``, ``zero_grad``, ``state_dict`` and
``load_state_dict``. ``params`` is an iterable of Tensors (``model.parameters()``) or of dicts
(parameter groups, each with ``"params"`` and its own hyperparameters), as in PyTorch.
"""
import math
import numbers

import numpy as np

import autograd as ag
# a step must invalidate the graphs that saved p
from autograd.inplace import register_change, register_changes

from .module import Module


class Optimizer:
    """Base class: holds ``param_groups`` (dicts of params and hyperparameters) and ``state``
    (per parameter, keyed by ``id(p)``)."""

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
        """Add a dict with ``"params"`` and optional hyperparameters (defaults fill the rest)."""
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
        """Clear the gradients of every parameter (None, PyTorch's default, or zeros)."""
        for g in self.param_groups:
            for p in g["params"]:
                p.grad = None if set_to_none or p.grad is None else ag.Tensor(
                    np.zeros_like(p.numpy()))

    def step(self):
        raise NotImplementedError

    # ------------------------------------------------------------------ state
    def _params(self):
        return [p for g in self.param_groups for p in g["params"]]

    def state_dict(self):
        """``{"state": {index: {name: array or int}}, "param_groups": [{hyper..., "params":
        [indices]}]}``, parameters numbered in group order, as PyTorch. Arrays are copies."""
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
        """Restore hyperparameters and state saved by :meth:`state_dict` (for the same
        parameters in the same order). Everything is checked first: on error nothing changes."""
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
    """Stochastic gradient descent, PyTorch's rule. For each parameter p with gradient g:

        g ← g + weight_decay·p
        if momentum ≠ 0:  b ← g on the first step, else b ← momentum·b + (1 − dampening)·g
                          g ← g + momentum·b if nesterov else b
        p ← p − lr·g
    """

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False,
                 weight_decay=0.0):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      nesterov=nesterov, weight_decay=weight_decay))

    def step(self):
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
    """Adam (Kingma & Ba), PyTorch's rule. With t the step count of p and gradient g:

        g ← g + weight_decay·p            (L2 penalty in the gradient; see AdamW)
        m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
        p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self):
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
    """Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's rule:
    p ← p·(1 − lr·weight_decay) first, then Adam's update with no decay in the gradient.
    Default weight_decay is 1e-2, as PyTorch's."""

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
