"""Gradient mode: whether ops record the graph, per thread."""
import functools
import threading

from . import _core
from ._core import compiled_wanted  # noqa: F401  (mode.compiled_wanted, as before)


class _Mode(threading.local):
    # class attributes: every new thread starts with gradients on and anomaly detection off
    enabled = True
    anomaly = False


def _new_mode():
    # With the compiled loops built, the mode lives in C thread-local storage (autograd/csrc/
    # mode.c), which they read with no attribute call; _Mode is the reference.
    return _Mode() if _core.fast is None else _core.fast.Mode()


_mode = _new_mode()


def is_grad_enabled():
    """Whether ops record the graph in this thread.

    Returns
    -------
    bool
        True unless inside :class:`no_grad` (a new thread starts with gradients enabled).

    Examples
    --------
    >>> import autograd as ag
    >>> ag.is_grad_enabled()
    True
    >>> with ag.no_grad():
    ...     ag.is_grad_enabled()
    False
    """
    return _mode.enabled


class _GradMode:
    _value = True

    def __enter__(self):
        self._prev = _mode.enabled
        _mode.enabled = self._value
        return self

    def __exit__(self, *exc):
        _mode.enabled = self._prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with type(self)():
                return func(*args, **kwargs)
        return wrapper


class no_grad(_GradMode):
    """Context manager and decorator: ops inside record no graph (in this thread).

    Results computed inside do not require grad and keep nothing for backward: for inference,
    and for updating parameters in place (as an optimizer does). The previous mode comes back
    on exit; :class:`enable_grad` turns recording on again inside.

    Examples
    --------
    >>> import autograd as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> with ag.no_grad():
    ...     y = w * 2
    >>> y, y.requires_grad
    (Tensor([2., 4.]), False)

    As a decorator:

    >>> @ag.no_grad()
    ... def predict(x):
    ...     return w * x
    >>> predict(3.0).requires_grad
    False
    """
    _value = False


class enable_grad(_GradMode):
    """Context manager and decorator: ops inside record the graph again (in this thread).

    For a part of a computation that needs gradients inside a :class:`no_grad` block; the
    previous mode comes back on exit.

    Examples
    --------
    >>> import autograd as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> with ag.no_grad():
    ...     with ag.enable_grad():
    ...         y = w * 2
    >>> y
    Tensor([2., 4.], grad_fn=<Mul>)
    """
    _value = True
