"""detect_anomaly: the first NaN or inf of the forward or the backward pass raises, naming the op,
the line of user code that called its forward, and whether the bad value was made there.

Off, it costs nothing: entering the mode swaps ``Function.apply`` for a checking version (for
every thread; threads not in the mode pass straight through it), and the engine checks one
flag per backward pass.
"""
import functools
import os
import sys
import threading

import numpy as np

from .function import Function, raw
from .inplace import _checksum
from .mode import _mode


class AnomalyError(FloatingPointError):
    """A NaN or inf was produced inside :func:`detect_anomaly`; the message says where.

    A ``FloatingPointError``. Also raised there when an array saved for backward was modified
    in place after the forward pass.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, 4.0], requires_grad=True)
    >>> try:
    ...     with ag.detect_anomaly():
    ...         y = x * np.inf
    ... except ag.AnomalyError as e:
    ...     print(str(e).splitlines()[0])
    detect_anomaly: Mul produced NaN or inf in its forward output 0 (shape (2,), float64,
    0 NaN, 2 inf); it arrived in input(s) [1]: the op did not create it.
    >>> try:
    ...     with ag.detect_anomaly(), np.errstate(divide="ignore"):
    ...         y = ag.log(x - 1.0)
    ... except ag.AnomalyError as e:
    ...     print(str(e).splitlines()[0])
    detect_anomaly: Log produced NaN or inf in its forward output 0 (shape (2,), float64,
    0 NaN, 1 inf, finite min 1.099 / mean 1.099 / max 1.099); it was created by this op (all
    its inputs are finite).
    """


_plain_apply = None    # the apply in place when the mode was entered (compiled or Python)
_lock = threading.Lock()
_active = 0
_HERE = os.path.dirname(os.path.abspath(__file__))
# Frames in the library (autograd/ and the nn/ package beside it) are skipped when naming the
# user's line.
_LIBRARY_DIRS = (_HERE + os.sep, os.path.join(os.path.dirname(_HERE), "nn") + os.sep)


def _user_frame():
    """(file, line, function, source) of the innermost caller outside the library."""
    frame = sys._getframe(2)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_LIBRARY_DIRS) and "importlib" not in filename:
            break
        frame = frame.f_back
    if frame is None:
        return None
    import linecache
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name, line


def _where(site):
    if site is None:
        return "an unknown place"
    filename, lineno, func, line = site
    return f'File "{filename}", line {lineno}, in {func}\n      {line}'


def _stats(a):
    a = np.asarray(a)
    if a.dtype.kind not in "fc":
        return f"shape {a.shape}, {a.dtype}"
    if a.size == 0:
        return f"shape {a.shape}, {a.dtype}, empty"
    finite = a[np.isfinite(a)]
    parts = [f"shape {a.shape}", str(a.dtype), f"{int(np.isnan(a).sum())} NaN",
             f"{int(np.isinf(a).sum())} inf"]
    if finite.size:
        parts.append(f"finite min {finite.min():.4g} / mean {finite.mean():.4g} / "
                     f"max {finite.max():.4g}")
    return ", ".join(parts)


def _bad(a):
    if isinstance(a, (float, complex, np.generic)):     # a number operand: x * np.inf
        a = np.asarray(a)
    return isinstance(a, np.ndarray) and a.dtype.kind in "fc" and not np.isfinite(a).all()


def _input_line(k, a):
    if isinstance(a, np.ndarray):
        return f"    input {k}: {_stats(a)}"
    if isinstance(a, (int, float, complex, np.generic)) and not isinstance(a, bool):
        return f"    input {k}: the number {a!r}"
    return None


@classmethod
def _checked_apply(cls, *args, **kwargs):
    if not _mode.anomaly:
        return _plain_apply.__func__(cls, *args, **kwargs)
    arrays = [raw(a) for a in args]
    site = _user_frame()
    out = _plain_apply.__func__(cls, *args, **kwargs)
    outs = out if isinstance(out, tuple) else (out,)
    for t in outs:
        node = t.grad_fn
        if node is not None:
            node._site = site
            node._sums = tuple(_checksum(s) if isinstance(s, np.ndarray) else None
                               for s in node._saved)
    bad_out = [k for k, t in enumerate(outs) if _bad(t._data)]
    if bad_out:
        bad_in = [k for k, a in enumerate(arrays) if _bad(a)]
        origin = (f"it arrived in input(s) {bad_in}: the op did not create it" if bad_in else
                  "it was created by this op (all its inputs are finite)")
        inputs = "\n".join(filter(None, (_input_line(k, a) for k, a in enumerate(arrays))))
        raise AnomalyError(
            f"detect_anomaly: {cls.__name__} produced NaN or inf in its forward output "
            f"{bad_out[0]} ({_stats(outs[bad_out[0]]._data)}); {origin}.\n"
            f"  forward called at {_where(site)}\n  inputs:\n{inputs}")
    return out


def check_saved_unchanged(node):
    """Called by the engine, in anomaly mode, before a node's backward.

    A saved array changed by any means since the forward (``t.data[...] = v`` included) is an
    error.

    Parameters
    ----------
    node : Function
        The node about to run backward.

    Raises
    ------
    AnomalyError
        If an array the node saved no longer has the checksum taken when it was saved.
    """
    sums = getattr(node, "_sums", None)
    saved = node._saved
    if sums is None or not isinstance(saved, tuple):
        return
    for k, (s, before) in enumerate(zip(saved, sums)):
        if before is not None and _checksum(s) != before:
            raise AnomalyError(
                f"detect_anomaly: {type(node).__name__}.backward needs the array it saved as "
                f"item {k} ({_stats(s)}), but that array was modified in place after the "
                f"forward pass (through ._data, numpy, or an in-place op), so its gradient "
                f"would be wrong.\n  its forward was called at "
                f"{_where(getattr(node, '_site', None))}")


def check_backward(node, grad_out, result):
    """Called by the engine, in anomaly mode, after each node's backward.

    Parameters
    ----------
    node : Function
        The node whose backward just ran.
    grad_out : array, Tensor or list
        The gradient(s) it received.
    result : tuple
        The gradients it returned, one per input.

    Raises
    ------
    AnomalyError
        If a returned gradient holds a NaN or inf; the message says whether it arrived in the
        incoming gradient or was created by the rule, with the statistics of both.
    """
    grads_in = grad_out if isinstance(grad_out, list) else [grad_out]
    for i, g in enumerate(result):
        if g is None or not _bad(np.asarray(raw(g))):
            continue
        arrived = any(go is not None and _bad(np.asarray(raw(go))) for go in grads_in)
        origin = ("it arrived in the incoming gradient (grad_output), from a later op" if arrived
                  else "it was created by this backward rule (the incoming gradient is finite)")
        incoming = "\n".join(f"    grad_output {k}: {_stats(np.asarray(raw(go)))}"
                             for k, go in enumerate(grads_in) if go is not None)
        saved = node._saved if isinstance(node._saved, tuple) else ()
        saved_txt = "\n".join(f"    saved {k}: {_stats(s)}" for k, s in enumerate(saved)
                              if isinstance(s, np.ndarray))
        raise AnomalyError(
            f"detect_anomaly: the backward of {type(node).__name__} produced NaN or inf in the "
            f"gradient of its input {i} ({_stats(np.asarray(raw(g)))}); {origin}.\n"
            f"  its forward was called at {_where(getattr(node, '_site', None))}\n"
            f"  incoming gradient:\n{incoming}"
            + (f"\n  saved for backward:\n{saved_txt}" if saved_txt else ""))


class detect_anomaly:
    """Context manager and decorator: raise at the first NaN or inf, forward or backward.

    The error names the op, the line of your code that called it (file and line), whether the
    bad value was created by that op or arrived in one of its inputs (or, in backward, in the
    incoming gradient), and the statistics of its inputs. Masks made with ``-inf`` count as
    anomalies here: the mode is for hunting the first non-finite value. Slow: for debugging.
    In the mode, every array saved for backward is also checksummed, and one modified in place
    by any means before its backward raises too. The mode is per thread; the previous one
    comes back on exit.

    Parameters
    ----------
    check_nan : bool, optional
        True (default) turns the checks on; False turns them off inside the block.

    Raises
    ------
    AnomalyError
        At the first non-finite forward output or gradient, inside the block.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([0.0, 4.0], requires_grad=True)
    >>> with ag.detect_anomaly(), np.errstate(divide="ignore"):
    ...     y = ag.sqrt(x).sum()          # the derivative 1/(2√x) is inf at 0
    ...     y.backward()
    Traceback (most recent call last):
        ...
    autograd.anomaly.AnomalyError: detect_anomaly: the backward of Sqrt produced NaN or inf
    in the gradient of its input 0 (shape (2,), float64, 0 NaN, 1 inf, finite min 0.25 /
    mean 0.25 / max 0.25); it was created by this backward rule (the incoming gradient is
    finite).
      its forward was called at File ...
          y = ag.sqrt(x).sum()          # the derivative 1/(2√x) is inf at 0
      incoming gradient:
        grad_output 0: shape (2,), float64, 0 NaN, 0 inf, finite min 1 / mean 1 / max 1
      saved for backward:
        saved 0: shape (2,), float64, 0 NaN, 0 inf, finite min 0 / mean 1 / max 2

    As a decorator:

    >>> @ag.detect_anomaly()
    ... def loss(w):
    ...     return (w * w).sum()
    >>> loss(ag.tensor([1.0, 2.0], requires_grad=True))
    Tensor(5., grad_fn=<Sum>)
    """

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        global _active, _plain_apply
        self._prev = _mode.anomaly
        _mode.anomaly = self.check_nan
        with _lock:
            _active += 1
            if _active == 1:
                _plain_apply = Function.__dict__["apply"]
                Function.apply = _checked_apply
        return self

    def __exit__(self, *exc):
        global _active
        _mode.anomaly = self._prev
        with _lock:
            _active -= 1
            if _active == 0:
                Function.apply = _plain_apply
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return func(*args, **kwargs)
        return wrapper


def is_anomaly_enabled():
    """Whether detect_anomaly is on in this thread.

    Returns
    -------
    bool

    Examples
    --------
    >>> import autograd as ag
    >>> ag.is_anomaly_enabled()
    False
    >>> with ag.detect_anomaly():
    ...     ag.is_anomaly_enabled()
    True
    """
    return _mode.anomaly
