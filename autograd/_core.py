"""The one module that names the compiled core, ``autograd._fast`` (autograd/csrc/).

``fast`` is that module, or None where it was not built (no C compiler at install time) or the
environment variable AUTOGRAD_PURE_PYTHON is set: then the pure-Python engine does the same
work, with the same results. It imports nothing of the library, so that the modules the rest
import first can take their compiled parts from it (``mode``: the gradient mode in C
thread-local storage; ``function``: ``dual`` and ``grad_times``); ``autograd.binding``, run
last, configures it and installs the rest. ``OWNERSHIP_PROVEN`` says whether this
interpreter's reference counts may be trusted for writing into an array in place (below).
"""
import os
import sys
import sysconfig


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


def _unproven():
    """Why a reference count of 1 cannot be taken here to prove that nothing else holds an
    object, or None where it can.

    The in-place writes (``+=``, ``-=`` and ``relu_()`` into a tensor's own array,
    ``Tensor._alone``; compiled, ``writes_into``) and the compiled pass's hand-over of a
    gradient array (``function.grad_times``) rely on it. It is proven for CPython 3.10 to 3.13
    with the GIL; Python 3.14 borrows references on the stack without counting them, and a
    free-threaded build counts otherwise, so there both stay off. AUTOGRAD_UNPROVEN_INTERPRETER=1
    (read at import) simulates such an interpreter, for the tests."""
    if os.environ.get("AUTOGRAD_UNPROVEN_INTERPRETER", "") not in ("", "0"):
        return "AUTOGRAD_UNPROVEN_INTERPRETER is set (an unproven interpreter, simulated)"
    impl, (major, minor) = sys.implementation.name, sys.version_info[:2]
    if impl != "cpython":
        return f"{impl} is not CPython"
    if not (3, 10) <= (major, minor) <= (3, 13):
        return (f"Python {major}.{minor}: reference counts prove sole ownership on CPython 3.10 "
                f"to 3.13 only")
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return "a free-threaded build of Python (Py_GIL_DISABLED)"
    if not getattr(sys, "_is_gil_enabled", lambda: True)():
        return "the GIL is disabled"
    return None


# Why the in-place writes and the hand-over are off on this interpreter (None: they are on),
# and whether they may run; autograd.binding.compiled_info reports it.
OWNERSHIP_UNPROVEN = _unproven()
OWNERSHIP_PROVEN = OWNERSHIP_UNPROVEN is None
