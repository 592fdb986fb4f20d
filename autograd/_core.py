"""The one module that names the compiled core, ``autograd._fast`` (autograd/csrc/).

``fast`` is that module, or None where it was not built (no C compiler at install time) or the
environment variable AUTOGRAD_PURE_PYTHON is set: then the pure-Python engine does the same
work, with the same results. It imports nothing of the library, so that the modules the rest
import first can take their compiled parts from it (``mode``: the gradient mode in C
thread-local storage; ``function``: ``dual`` and ``grad_times``); ``autograd.binding``, run
last, configures it and installs the rest.
"""
import os


def compiled_wanted():
    """Whether the compiled loops are to run: unless AUTOGRAD_PURE_PYTHON is set."""
    return os.environ.get("AUTOGRAD_PURE_PYTHON", "") in ("", "0")


def _load():
    if not compiled_wanted():
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    return _fast


fast = _load()
