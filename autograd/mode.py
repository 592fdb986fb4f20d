"""Gradient mode: whether ops record the graph, per thread."""
import functools
import threading


class _Mode(threading.local):
    # class attributes: every new thread starts with gradients on and anomaly detection off
    enabled = True
    anomaly = False


_mode = _Mode()


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
