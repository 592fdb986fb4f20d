"""Learning-rate schedulers, PyTorch's ``torch.optim.lr_scheduler``: each changes the ``"lr"``
of its optimizer's parameter groups once per :meth:`~LRScheduler.step`.

- :class:`StepLR`: lr × gamma every ``step_size`` epochs.
- :class:`ExponentialLR`: lr × gamma every epoch.
- :class:`CosineAnnealingLR`: from the initial lr down to ``eta_min`` along half a cosine in
  ``T_max`` epochs.
- :class:`LambdaLR`: the initial lr × ``lr_lambda(epoch)``.
- :class:`LRScheduler` (also ``_LRScheduler``): their base class, for your own schedules.

As in PyTorch: constructing a scheduler records each group's ``"initial_lr"`` (kept if the
group has one already) and applies epoch 0; call ``scheduler.step()`` after
``optimizer.step()``, once per epoch (calling it first, before any ``optimizer.step()``,
warns: the schedule's first value would be skipped). The learning rates are Python floats.
``state_dict()`` holds only numbers, lists and strings, so :func:`nn.save` stores it; the
optimizer's own ``state_dict()`` carries the current ``"lr"`` and ``"initial_lr"`` of each
group. To resume, restore both.

Examples
--------
>>> import numpy as np
>>> import nn
>>> w = nn.Parameter(np.array([1.0, -2.0]))
>>> opt = nn.optim.SGD([w], lr=0.1)
>>> sched = nn.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(6):
...     lrs.append(sched.get_last_lr()[0])
...     opt.zero_grad()
...     (w * w).sum().backward()
...     opt.step()
...     sched.step()
>>> lrs
[0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
>>> opt.param_groups[0]["lr"], opt.param_groups[0]["initial_lr"]
(0.0125, 0.1)
"""
import functools
import math
import numbers
import types
import warnings
import weakref

import numpy as np

from . import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"]

# keys of PyTorch's scheduler state dicts that say nothing about the schedule: accepted by
# load_state_dict (a state written by PyTorch and converted loads), and ignored
_IGNORED_KEYS = frozenset({"verbose", "_get_lr_called_within_step", "_is_initial"})


# ----------------------------------------------------------------------------- checks
def _integer(where, arg, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {arg} must be an integer >= {minimum}, got {value!r} "
                        f"({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{where}: {arg} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _nonnegative(where, arg, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {arg} must be a number >= 0, got {value!r} "
                        f"({type(value).__name__})")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{where}: {arg} must be a finite number >= 0, got {value!r}")
    return float(value)


def _track_optimizer_steps(optimizer):
    """Wrap ``optimizer.step`` (once) so that it records that it ran, as PyTorch does: a
    scheduler stepped before the optimizer warns."""
    step = optimizer.step
    if getattr(step, "_wrapped_by_lr_sched", False):
        return
    func = getattr(step, "__func__", None)
    opt_ref = weakref.ref(optimizer)     # no cycle through the instance's own attribute

    if func is not None:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            opt = opt_ref()
            opt._opt_called = True
            return func.__get__(opt, type(opt))(*args, **kwargs)
    else:                                # a step already replaced by a plain callable
        @functools.wraps(step)
        def wrapper(*args, **kwargs):
            opt_ref()._opt_called = True
            return step(*args, **kwargs)
    wrapper._wrapped_by_lr_sched = True
    optimizer.step = wrapper


# ----------------------------------------------------------------------------- base class
class LRScheduler:
    """Base class of the learning-rate schedulers, PyTorch's ``LRScheduler``.

    A subclass defines :meth:`get_lr` (the learning rates of the epoch ``self.last_epoch``,
    one per parameter group) and optionally ``_get_closed_form_lr`` (the same from
    ``base_lrs`` alone, used by ``step(epoch)``); it lists its hyperparameters, the
    attributes that :meth:`state_dict` saves, in ``_hyper``, and checks them in
    ``_check_hyper``.

    Parameters
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer whose groups' ``"lr"`` the scheduler sets.
    last_epoch : int, optional
        The index of the last epoch done: -1 (the default) starts a new schedule, and sets
        each group's ``"initial_lr"`` to its ``"lr"`` unless it has one already. A value
        >= 0 resumes one: every group must then have ``"initial_lr"`` (as after
        ``optimizer.load_state_dict`` of a state saved while a scheduler ran).

    Attributes
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer.
    base_lrs : list of float
        Each group's ``"initial_lr"``.
    last_epoch : int
        The epoch whose learning rates are set now: 0 after construction, +1 per
        :meth:`step`.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an ``nn.optim`` optimizer or ``last_epoch`` is not an
        integer.
    ValueError
        If ``last_epoch`` < -1, or ``last_epoch`` >= 0 and a group has no ``"initial_lr"``.

    Examples
    --------
    A linear warm-up over 4 epochs, as a subclass:

    >>> import numpy as np
    >>> import nn
    >>> class Warmup(nn.optim.lr_scheduler.LRScheduler):
    ...     def get_lr(self):
    ...         return [base * min(1.0, (self.last_epoch + 1) / 4) for base in self.base_lrs]
    >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
    >>> sched = Warmup(opt)
    >>> for _ in range(5):
    ...     opt.step()
    ...     sched.step()
    ...     print(round(sched.get_last_lr()[0], 3))
    0.05
    0.075
    0.1
    0.1
    0.1
    >>> nn.optim.lr_scheduler.StepLR(opt, step_size=3, last_epoch=-2)
    Traceback (most recent call last):
        ...
    ValueError: StepLR: last_epoch must be an integer >= -1, got -2
    """

    _hyper = ()           # the attributes, beyond the common ones, that state_dict saves

    def __init__(self, optimizer, last_epoch=-1):
        name = type(self).__name__
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{name}: optimizer must be an nn.optim optimizer (SGD, Adam, ...), "
                            f"got a {type(optimizer).__name__}")
        last_epoch = _integer(name, "last_epoch", last_epoch, -1)
        self.optimizer = optimizer
        groups = optimizer.param_groups
        if last_epoch == -1:
            for group in groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(groups):
                if "initial_lr" not in group:
                    raise ValueError(
                        f"{name}: last_epoch={last_epoch} resumes a schedule, but the "
                        f"optimizer's param_groups[{i}] has no 'initial_lr'; load the "
                        f"optimizer's state_dict saved while a scheduler ran first, or pass "
                        f"last_epoch=-1 to start a new schedule")
        self.base_lrs = [_nonnegative(name, f"param_groups[{i}]['initial_lr']",
                                      group["initial_lr"])
                         for i, group in enumerate(groups)]
        self.last_epoch = last_epoch
        _track_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self):
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        """The learning rates of epoch ``self.last_epoch``, one per parameter group; every
        subclass defines it, and :meth:`step` calls it (read the current ones with
        :meth:`get_last_lr`).

        Returns
        -------
        list of float

        Raises
        ------
        NotImplementedError
            On the base class.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
        >>> nn.optim.lr_scheduler.LRScheduler(opt)
        Traceback (most recent call last):
            ...
        NotImplementedError: LRScheduler.get_lr: a subclass defines it
        """
        raise NotImplementedError(f"{type(self).__name__}.get_lr: a subclass defines it")

    def get_last_lr(self):
        """The learning rates that the last :meth:`step` (or the construction) set, one per
        parameter group.

        Returns
        -------
        list of float
            A new list each call.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
        >>> sched = nn.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> opt.step()
        >>> sched.step()
        >>> sched.get_last_lr()
        [0.05]
        """
        return list(self._last_lr)

    def step(self, epoch=None):
        """Move to the next epoch and set each group's ``"lr"`` to its learning rate there.

        Call it after ``optimizer.step()``, once per epoch (or per batch, for a schedule
        counted in batches).

        Parameters
        ----------
        epoch : int, optional
            Deprecated, as in PyTorch (it warns): jump to this epoch, using the schedule's
            closed form where it has one.

        Returns
        -------
        None

        Raises
        ------
        TypeError
            If ``epoch`` is not an integer, or a learning rate computed is not a number.
        ValueError
            If ``epoch`` < 0, or a learning rate computed is negative or not finite (the
            optimizer's lr must be a number >= 0); nothing is changed then.

        Warns
        -----
        UserWarning
            On the first call after construction if ``optimizer.step()`` was never called
            (the order is optimizer, then scheduler), and when ``epoch`` is given.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
        >>> sched = nn.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        >>> for _ in range(3):
        ...     opt.step()
        ...     sched.step()
        >>> sched.last_epoch, opt.param_groups[0]["lr"]
        (3, 0.125)
        """
        name = type(self).__name__
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                f"{name}.step() was called before optimizer.step(): call them in the order "
                f"optimizer.step(), then scheduler.step(), or the schedule's first learning "
                f"rate is skipped", UserWarning, stacklevel=2)
        old_epoch = self.last_epoch
        if epoch is None:
            self.last_epoch += 1
            compute = self.get_lr
        else:
            warnings.warn(f"{name}.step(epoch): the epoch argument is deprecated, as in "
                          f"PyTorch; call step() once per epoch", UserWarning, stacklevel=2)
            self.last_epoch = _integer(name, "epoch", epoch, 0)
            compute = getattr(self, "_get_closed_form_lr", self.get_lr)
        try:
            values = [self._check_lr(i, lr) for i, lr in enumerate(compute())]
        except BaseException:
            self.last_epoch = old_epoch
            raise
        groups = self.optimizer.param_groups
        if len(values) != len(groups):
            self.last_epoch = old_epoch
            raise ValueError(f"{name}.get_lr returned {len(values)} learning rate(s), for "
                             f"{len(groups)} parameter group(s)")
        self._step_count += 1
        for group, lr in zip(groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in groups]

    def _check_lr(self, i, lr):
        name = type(self).__name__
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            raise TypeError(f"{name}: the learning rate of param_groups[{i}] at epoch "
                            f"{self.last_epoch} is {lr!r} ({type(lr).__name__}), not a number")
        lr = float(lr)
        if not (math.isfinite(lr) and lr >= 0):
            raise ValueError(f"{name}: the learning rate of param_groups[{i}] at epoch "
                             f"{self.last_epoch} is {lr!r}; it must be a finite number >= 0")
        return lr

    def _check_hyper(self, hyper, where=None):
        """Check (and normalize) the hyperparameters in the dict ``hyper``, in place; errors
        start with ``where`` (the class's name by default)."""

    # ------------------------------------------------------------------ state
    def state_dict(self):
        """The scheduler's state: its epoch, step count, base and last learning rates, and
        hyperparameters, under PyTorch's names, as plain numbers and lists.

        The optimizer is not in it (its own ``state_dict()`` holds the groups' ``"lr"`` and
        ``"initial_lr"``); :func:`nn.save` stores it.

        Returns
        -------
        dict
            ``{"last_epoch": int, "_step_count": int, "base_lrs": [float], "_last_lr":
            [float], <hyperparameters>}``.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
        >>> sched = nn.optim.lr_scheduler.StepLR(opt, step_size=3)
        >>> sched.state_dict()
        {'last_epoch': 0, '_step_count': 1, 'base_lrs': [0.1], '_last_lr': [0.1],
         'step_size': 3, 'gamma': 0.1}
        """
        state = {"last_epoch": self.last_epoch, "_step_count": self._step_count,
                 "base_lrs": list(self.base_lrs), "_last_lr": list(self._last_lr)}
        for key in self._hyper:
            state[key] = getattr(self, key)
        return state

    def load_state_dict(self, state_dict):
        """Restore the state that :meth:`state_dict` returned (or ``nn.load`` read back).

        Everything is checked first: on error nothing changes. The optimizer's learning
        rates are not set here: restore them with ``optimizer.load_state_dict``, and the
        schedule continues from where it was saved.

        Parameters
        ----------
        state_dict : dict
            As :meth:`state_dict` returns; numpy scalars are accepted for numbers.

        Returns
        -------
        None

        Raises
        ------
        ValueError
            If ``state_dict`` is not a dict, lacks ``"last_epoch"`` or ``"base_lrs"``, has
            keys this scheduler does not know, has a number of base learning rates other
            than the optimizer's number of groups, or holds a value out of range.
        TypeError
            If a value has the wrong type.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
        >>> sched = nn.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> opt.step()
        >>> sched.step()
        >>> saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
        >>> opt2 = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
        >>> sched2 = nn.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.9)
        >>> opt2.load_state_dict(saved_opt)
        >>> sched2.load_state_dict(saved_sched)
        >>> sched2.last_epoch, sched2.gamma, sched2.get_last_lr()
        (1, 0.5, [0.05])
        >>> sched2.load_state_dict({"last_epoch": 1})
        Traceback (most recent call last):
            ...
        ValueError: ExponentialLR.load_state_dict: the state has no 'base_lrs'
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict):
            raise ValueError(f"{where}: expected a dict, as state_dict() returns, got a "
                             f"{type(state_dict).__name__}")
        state = {k: (v.item() if isinstance(v, np.generic) else v)
                 for k, v in state_dict.items() if k not in _IGNORED_KEYS}
        known = {"last_epoch", "_step_count", "base_lrs", "_last_lr", *self._hyper,
                 *self._extra_state_keys()}
        unknown = sorted(map(str, set(state) - known))
        if unknown:
            raise ValueError(f"{where}: unexpected key(s) {unknown}; a {type(self).__name__} "
                             f"state has {sorted(known)}")
        for key in ("last_epoch", "base_lrs"):
            if key not in state:
                raise ValueError(f"{where}: the state has no {key!r}")
        n = len(self.optimizer.param_groups)
        new = {"last_epoch": _integer(where, "last_epoch", state["last_epoch"], -1),
               "_step_count": _integer(where, "_step_count", state.get("_step_count", 1), 0)}
        for key in ("base_lrs", "_last_lr"):
            if key not in state:
                continue
            values = state[key]
            if isinstance(values, np.ndarray):
                values = values.tolist()
            if not isinstance(values, (list, tuple)) or len(values) != n:
                got = (f"{len(values)} value(s)" if isinstance(values, (list, tuple))
                       else f"a {type(values).__name__}")
                raise ValueError(f"{where}: {key} must be a list of one learning rate per "
                                 f"parameter group ({n}), got {got}")
            new[key] = [_nonnegative(where, f"{key}[{i}]",
                                     v.item() if isinstance(v, np.generic) else v)
                        for i, v in enumerate(values)]
        if "_last_lr" not in new:
            new["_last_lr"] = [group["lr"] for group in self.optimizer.param_groups]
        hyper = {k: state[k] for k in self._hyper if k in state}
        self._check_hyper(hyper, where)
        extra = self._check_extra_state(state)
        self.__dict__.update(new)
        self.__dict__.update(hyper)
        self._load_extra_state(extra)

    def _extra_state_keys(self):
        return ()

    def _check_extra_state(self, state):
        return None

    def _load_extra_state(self, extra):
        pass


class _LRScheduler(LRScheduler):
    """The old name of :class:`LRScheduler`, kept as PyTorch keeps it."""


# ----------------------------------------------------------------------------- schedulers
class StepLR(LRScheduler):
    """Multiply each group's learning rate by ``gamma`` every ``step_size`` epochs, PyTorch's
    rule: at epoch e, lr = initial_lr · gamma ** (e // step_size) (computed as the running
    product, so a change made to ``"lr"`` between steps carries on).

    Parameters
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer whose groups' ``"lr"`` the scheduler sets.
    step_size : int
        The period of the decay, in epochs (>= 1).
    gamma : float, optional
        The factor of the decay (default 0.1; a finite number >= 0).
    last_epoch : int, optional
        -1 (the default) starts a new schedule; >= 0 resumes one (every group must have
        ``"initial_lr"``).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an ``nn.optim`` optimizer, or an argument has the wrong
        type.
    ValueError
        If ``step_size`` < 1, ``gamma`` is negative or not finite, ``last_epoch`` < -1, or
        ``last_epoch`` >= 0 and a group has no ``"initial_lr"``.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
    >>> sched = nn.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(6):
    ...     lrs.append(sched.get_last_lr()[0])
    ...     opt.step()
    ...     sched.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    >>> nn.optim.lr_scheduler.StepLR(opt, step_size=0)
    Traceback (most recent call last):
        ...
    ValueError: StepLR: step_size must be an integer >= 1, got 0
    """

    _hyper = ("step_size", "gamma")

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        hyper = {"step_size": step_size, "gamma": gamma}
        self._check_hyper(hyper)
        self.step_size, self.gamma = hyper["step_size"], hyper["gamma"]
        super().__init__(optimizer, last_epoch)

    def _check_hyper(self, hyper, where=None):
        name = where or type(self).__name__
        if "step_size" in hyper:
            hyper["step_size"] = _integer(name, "step_size", hyper["step_size"], 1)
        if "gamma" in hyper:
            hyper["gamma"] = _nonnegative(name, "gamma", hyper["gamma"])

    def get_lr(self):
        """The learning rates of epoch ``self.last_epoch``: the current ones, times
        ``gamma`` at a multiple of ``step_size``.

        Returns
        -------
        list of float

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
        >>> sched = nn.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        >>> sched.last_epoch = 1          # what step() does before it calls get_lr
        >>> sched.get_lr()
        [0.5]
        """
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size)
                for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply each group's learning rate by ``gamma`` every epoch, PyTorch's rule: at epoch
    e, lr = initial_lr · gamma ** e (computed as the running product).

    Parameters
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer whose groups' ``"lr"`` the scheduler sets.
    gamma : float
        The factor of the decay per epoch (a finite number >= 0).
    last_epoch : int, optional
        -1 (the default) starts a new schedule; >= 0 resumes one (every group must have
        ``"initial_lr"``).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an ``nn.optim`` optimizer, or an argument has the wrong
        type.
    ValueError
        If ``gamma`` is negative or not finite, ``last_epoch`` < -1, or ``last_epoch`` >= 0
        and a group has no ``"initial_lr"``.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
    >>> sched = nn.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> lrs = []
    >>> for _ in range(4):
    ...     lrs.append(sched.get_last_lr()[0])
    ...     opt.step()
    ...     sched.step()
    >>> lrs
    [1.0, 0.5, 0.25, 0.125]
    """

    _hyper = ("gamma",)

    def __init__(self, optimizer, gamma, last_epoch=-1):
        hyper = {"gamma": gamma}
        self._check_hyper(hyper)
        self.gamma = hyper["gamma"]
        super().__init__(optimizer, last_epoch)

    def _check_hyper(self, hyper, where=None):
        if "gamma" in hyper:
            hyper["gamma"] = _nonnegative(where or type(self).__name__, "gamma", hyper["gamma"])

    def get_lr(self):
        """The learning rates of epoch ``self.last_epoch``: the current ones times ``gamma``
        (unchanged at construction).

        Returns
        -------
        list of float

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
        >>> nn.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5).get_lr()
        [0.5]
        """
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self):
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal each group's learning rate from its initial value to ``eta_min`` along half a
    cosine in ``T_max`` epochs, PyTorch's rule (SGDR without restarts): at epoch e,

        lr = eta_min + (initial_lr − eta_min) · (1 + cos(π · e / T_max)) / 2

    computed, as PyTorch computes it, by its recursive form (each step scales the distance
    of the current lr to ``eta_min``), which gives the same values and lets a change made to
    ``"lr"`` between steps carry on. After ``T_max`` epochs the cosine goes on: the rate
    rises back to the initial one at 2·T_max, and so on.

    Parameters
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer whose groups' ``"lr"`` the scheduler sets.
    T_max : int
        The number of epochs from the initial lr to ``eta_min`` (>= 1).
    eta_min : float, optional
        The lowest learning rate (default 0; a finite number >= 0).
    last_epoch : int, optional
        -1 (the default) starts a new schedule; >= 0 resumes one (every group must have
        ``"initial_lr"``).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an ``nn.optim`` optimizer, or an argument has the wrong
        type.
    ValueError
        If ``T_max`` < 1, ``eta_min`` is negative or not finite, ``last_epoch`` < -1, or
        ``last_epoch`` >= 0 and a group has no ``"initial_lr"``.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.1)
    >>> sched = nn.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.02)
    >>> for _ in range(5):
    ...     print(round(sched.get_last_lr()[0], 6))
    ...     opt.step()
    ...     sched.step()
    0.1
    0.088284
    0.06
    0.031716
    0.02
    """

    _hyper = ("T_max", "eta_min")

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):
        hyper = {"T_max": T_max, "eta_min": eta_min}
        self._check_hyper(hyper)
        self.T_max, self.eta_min = hyper["T_max"], hyper["eta_min"]
        super().__init__(optimizer, last_epoch)

    def _check_hyper(self, hyper, where=None):
        name = where or type(self).__name__
        if "T_max" in hyper:
            hyper["T_max"] = _integer(name, "T_max", hyper["T_max"], 1)
        if "eta_min" in hyper:
            hyper["eta_min"] = _nonnegative(name, "eta_min", hyper["eta_min"])

    def get_lr(self):
        """The learning rates of epoch ``self.last_epoch``, by PyTorch's recursive form.

        Returns
        -------
        list of float

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=1.0)
        >>> sched = nn.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=2)
        >>> sched.last_epoch = 1          # what step() does before it calls get_lr
        >>> sched.get_lr()
        [0.5]
        """
        groups = self.optimizer.param_groups
        e, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return [group["lr"] for group in groups]
        if self._step_count == 1 and e > 0:
            return [eta_min + (base_lr - eta_min) * (1 + math.cos(e * math.pi / T)) / 2
                    for base_lr in self.base_lrs]
        if (e - 1 - T) % (2 * T) == 0:
            return [group["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base_lr, group in zip(self.base_lrs, groups)]
        return [(1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
                * (group["lr"] - eta_min) + eta_min
                for group in groups]

    def _get_closed_form_lr(self):
        return [self.eta_min + (base_lr - self.eta_min)
                * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base_lr in self.base_lrs]


class LambdaLR(LRScheduler):
    """Set each group's learning rate to its initial value times a function of the epoch,
    PyTorch's rule: at epoch e, lr = initial_lr · lr_lambda(e).

    Parameters
    ----------
    optimizer : nn.optim.Optimizer
        The optimizer whose groups' ``"lr"`` the scheduler sets.
    lr_lambda : callable or list of callable
        A function of the epoch (an int) that returns the factor; or a list (or tuple) of
        them, one per parameter group.
    last_epoch : int, optional
        -1 (the default) starts a new schedule; >= 0 resumes one (every group must have
        ``"initial_lr"``).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an ``nn.optim`` optimizer, ``lr_lambda`` (or an entry of
        the list) is not callable, or a factor is not a number.
    ValueError
        If the list's length is not the number of parameter groups, a learning rate comes
        out negative or not finite, ``last_epoch`` < -1, or ``last_epoch`` >= 0 and a group
        has no ``"initial_lr"``.

    Notes
    -----
    As in PyTorch, :meth:`state_dict` does not save the functions: its ``"lr_lambdas"``
    holds None for a plain function (or lambda) and a copy of the attributes
    (``__dict__``) of a callable object, which :meth:`load_state_dict` puts back. Pass the
    same functions when you build the scheduler that resumes.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.5)
    >>> sched = nn.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
    >>> lrs = []
    >>> for _ in range(4):
    ...     lrs.append(sched.get_last_lr()[0])
    ...     opt.step()
    ...     sched.step()
    >>> lrs
    [0.5, 0.25, 0.16666666666666666, 0.125]
    >>> nn.optim.lr_scheduler.LambdaLR(opt, [abs, abs])
    Traceback (most recent call last):
        ...
    ValueError: LambdaLR: lr_lambda has 2 function(s), for 1 parameter group(s)
    """

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        name = type(self).__name__
        n = len(getattr(optimizer, "param_groups", ()))
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != n and isinstance(optimizer, Optimizer):
                raise ValueError(f"{name}: lr_lambda has {len(lr_lambda)} function(s), for "
                                 f"{n} parameter group(s)")
            for i, fn in enumerate(lr_lambda):
                if not callable(fn):
                    raise TypeError(f"{name}: lr_lambda[{i}] must be callable (a function of "
                                    f"the epoch), got a {type(fn).__name__}")
            self.lr_lambdas = list(lr_lambda)
        else:
            if not callable(lr_lambda):
                raise TypeError(f"{name}: lr_lambda must be callable (a function of the "
                                f"epoch) or a list of them, got a "
                                f"{type(lr_lambda).__name__}")
            self.lr_lambdas = [lr_lambda] * n
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        """The learning rates of epoch ``self.last_epoch``: each initial lr times its
        function of the epoch.

        Returns
        -------
        list of float

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.5)
        >>> nn.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 0.9 ** epoch).get_lr()
        [0.5]
        """
        lrs = []
        for i, (fn, base_lr) in enumerate(zip(self.lr_lambdas, self.base_lrs)):
            factor = fn(self.last_epoch)
            if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
                raise TypeError(f"{type(self).__name__}: lr_lambda[{i}]({self.last_epoch}) "
                                f"returned {factor!r} ({type(factor).__name__}), not a number")
            lrs.append(base_lr * factor)
        return lrs

    def state_dict(self):
        """The scheduler's state, as :meth:`LRScheduler.state_dict`, plus ``"lr_lambdas"``:
        per group, None for a plain function, or a copy of a callable object's ``__dict__``.

        Returns
        -------
        dict

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> opt = nn.optim.SGD([nn.Parameter(np.zeros(2))], lr=0.5)
        >>> nn.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.9 ** e).state_dict()
        {'last_epoch': 0, '_step_count': 1, 'base_lrs': [0.5], '_last_lr': [0.5],
         'lr_lambdas': [None]}
        """
        state = super().state_dict()
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType)
                               else dict(getattr(fn, "__dict__", {}))
                               for fn in self.lr_lambdas]
        return state

    def _extra_state_keys(self):
        return ("lr_lambdas",)

    def _check_extra_state(self, state):
        where = f"{type(self).__name__}.load_state_dict"
        saved = state.get("lr_lambdas")
        if saved is None:
            return None
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self.lr_lambdas):
            raise ValueError(f"{where}: lr_lambdas must be a list of {len(self.lr_lambdas)} "
                             f"entries (None or a dict), got {saved!r}")
        for i, entry in enumerate(saved):
            if entry is not None and not isinstance(entry, dict):
                raise ValueError(f"{where}: lr_lambdas[{i}] must be None or a dict of the "
                                 f"callable's attributes, got a {type(entry).__name__}")
            if entry and not hasattr(self.lr_lambdas[i], "__dict__"):
                raise ValueError(f"{where}: lr_lambdas[{i}] holds attributes, but this "
                                 f"scheduler's lr_lambda[{i}] cannot take them")
        return saved

    def _load_extra_state(self, saved):
        if saved is None:
            return
        for fn, entry in zip(self.lr_lambdas, saved):
            if entry is not None:
                fn.__dict__.update(entry)
