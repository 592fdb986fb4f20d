"""Gradient mode: whether ops record the graph, per thread."""
import functools
import os
import threading


class _Mode(threading.local):
    # class attributes: every new thread starts with gradients on and anomaly detection off
    enabled = True
    anomaly = False


def compiled_wanted():
    """Whether the compiled loops are to run: unless AUTOGRAD_PURE_PYTHON is set (engine.py)."""
    return os.environ.get("AUTOGRAD_PURE_PYTHON", "") in ("", "0")


def _new_mode():
    # With the compiled loops built, the mode lives in C thread-local storage (autograd/csrc/
    # mode.c), which they read with no attribute call; _Mode is the reference.
    if compiled_wanted():
        try:
            from ._fast import Mode
        except ImportError:
            pass
        else:
            return Mode()
    return _Mode()


_mode = _new_mode()


def is_grad_enabled():
    """Whether ops record the graph in this thread."""
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
    """Context manager and decorator: ops inside record no graph (in this thread)."""
    _value = False


class enable_grad(_GradMode):
    """Context manager and decorator: ops inside record the graph again (in this thread)."""
    _value = True
