"""``nn.utils``: training utilities, PyTorch's ``torch.nn.utils`` gradient clipping.

- :func:`clip_grad_norm_`: scale all the gradients together so that their total norm is at
  most ``max_norm``; returns the total norm.
- :func:`clip_grad_value_`: clamp every gradient entry to [−clip_value, clip_value].
- :func:`get_total_norm` and :func:`clip_grads_with_norm_`: the two halves of
  :func:`clip_grad_norm_`, as in PyTorch 2.6+.

Call them between ``loss.backward()`` and ``optimizer.step()``. They change each ``.grad``'s
array in place, as the optimizers change parameters (``.numpy()``, then
``ag.inplace.register_changes``, so a graph that saved a gradient, after
``backward(create_graph=True)``, refuses to run on the changed value); a read-only gradient
array is replaced by a new Tensor instead. Parameters whose ``grad`` is None are skipped, and a
parameter listed twice counts once.

Examples
--------
>>> import numpy as np
>>> import nn
>>> model = nn.Linear(3, 1, rng=0)
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1)
>>> X, y = np.ones((4, 3)), np.full((4, 1), 100.0)
>>> opt.zero_grad()
>>> nn.MSELoss()(model(X), y).backward()
>>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
>>> float(total) > 1.0
True
>>> grads = [p.grad.numpy() for p in model.parameters()]
>>> round(float(np.sqrt(sum((g ** 2).sum() for g in grads))), 6)
1.0
>>> opt.step()
"""
import math
import numbers
import types
import warnings

import numpy as np

import autograd as ag
from autograd.inplace import register_changes

from .module import Module

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


# ----------------------------------------------------------------------------- checks
def _parameters(where, parameters):
    """The distinct Tensors of ``parameters`` (one Tensor or an iterable of them)."""
    if isinstance(parameters, ag.Tensor):
        return [parameters]
    if isinstance(parameters, Module):
        raise TypeError(f"{where}: parameters must be a Tensor or an iterable of Tensors, such "
                        f"as model.parameters(), got a {type(parameters).__name__}")
    is_generator = isinstance(parameters, types.GeneratorType)
    try:
        params = list(parameters)
    except TypeError:
        raise TypeError(f"{where}: parameters must be a Tensor or an iterable of Tensors, "
                        f"such as model.parameters(), got a "
                        f"{type(parameters).__name__}") from None
    if is_generator and not params:
        warnings.warn(f"{where}: `parameters` is an empty generator, no gradient clipping "
                      f"will occur", UserWarning, stacklevel=3)
    seen, unique = set(), []
    for k, p in enumerate(params):
        if isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], ag.Tensor):
            raise TypeError(f"{where}: got (name, parameter) pairs; pass model.parameters(), "
                            f"not named_parameters()")
        if not isinstance(p, ag.Tensor):
            raise TypeError(f"{where}: parameters[{k}] is a {type(p).__name__}, not a Tensor")
        if id(p) not in seen:
            seen.add(id(p))
            unique.append(p)
    return unique


def _with_grads(params):
    return [p for p in params if p.grad is not None]


def _norm_type(where, norm_type):
    if isinstance(norm_type, bool) or not isinstance(norm_type, (numbers.Real, str)):
        raise TypeError(f"{where}: norm_type must be a number > 0 or inf, got {norm_type!r} "
                        f"({type(norm_type).__name__})")
    try:
        p = float(norm_type)
    except ValueError:
        raise ValueError(f"{where}: norm_type must be a number > 0 or inf, got "
                         f"{norm_type!r}") from None
    if not p > 0:
        raise ValueError(f"{where}: norm_type must be a number > 0 or inf, got {norm_type!r}")
    return p


def _nonnegative(where, arg, value, finite=True):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {arg} must be a number >= 0, got {value!r} "
                        f"({type(value).__name__})")
    value = float(value)
    if not value >= 0 or (finite and math.isinf(value)):
        kind = "finite number" if finite else "number"
        raise ValueError(f"{where}: {arg} must be a {kind} >= 0, got {value!r}")
    return value


def _foreach(where, foreach):
    if foreach is not None and not isinstance(foreach, bool):
        raise TypeError(f"{where}: foreach must be None, True or False, got {foreach!r}")


def _vector_norm(a, p):
    """The p-norm of the entries of the array ``a``, in float64 (0 for an empty array)."""
    x = np.abs(np.asarray(a).ravel()).astype(np.float64, copy=False)
    if x.size == 0:
        return 0.0
    if math.isinf(p):
        return float(x.max())
    if p == 2:
        return float(np.sqrt(np.dot(x, x)))
    if p == 1:
        return float(x.sum())
    with np.errstate(over="ignore"):
        return float((x ** p).sum() ** (1.0 / p))


def _scale_grads(params, coef):
    """Multiply each distinct gradient array by ``coef`` in place, and register the change."""
    changed, seen = [], set()
    for p in params:
        g = p.grad
        arr = g.numpy()
        if id(arr) in seen:
            continue
        seen.add(id(arr))
        with np.errstate(invalid="ignore"):      # inf · 0 = nan, as in PyTorch
            if arr.flags.writeable:
                arr *= coef
                changed.append(g)
            else:
                p.grad = ag.Tensor((arr * coef).astype(arr.dtype, copy=False))
    if changed:
        register_changes(changed)


# ----------------------------------------------------------------------------- public
def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the norms of ``tensors``: their norm as one vector, PyTorch's
    ``torch.nn.utils.get_total_norm``.

    Parameters
    ----------
    tensors : Tensor or iterable of Tensor (or of numpy arrays)
        The tensors, usually gradients: ``[p.grad for p in model.parameters()]``.
    norm_type : float, optional
        The order p of the norm (default 2); ``float("inf")`` (or ``"inf"``) for the largest
        absolute value.
    error_if_nonfinite : bool, optional
        If True, a total norm that is nan or infinite raises RuntimeError (default False).
    foreach : bool or None, optional
        Accepted for PyTorch's signature; it has no effect here.

    Returns
    -------
    Tensor
        0-d, of the tensors' (promoted) dtype; computed in float64. 0.0 (float64) when
        ``tensors`` is empty.

    Raises
    ------
    TypeError
        If an entry is not a Tensor or an array, or an argument has the wrong type.
    ValueError
        If ``norm_type`` is not > 0.
    RuntimeError
        If ``error_if_nonfinite`` is True and the total norm is nan or infinite.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> import nn
    >>> nn.utils.get_total_norm([ag.tensor([3.0, 0.0]), ag.tensor([[4.0]])])
    Tensor(5.)
    >>> nn.utils.get_total_norm([ag.tensor([3.0, -7.0]), ag.tensor([[4.0]])], norm_type="inf")
    Tensor(7.)
    """
    where = "get_total_norm"
    _foreach(where, foreach)
    p = _norm_type(where, norm_type)
    if isinstance(tensors, (ag.Tensor, np.ndarray)):
        tensors = [tensors]
    elif isinstance(tensors, (str, bytes)) or not hasattr(tensors, "__iter__"):
        raise TypeError(f"{where}: tensors must be a Tensor or an iterable of Tensors, got a "
                        f"{type(tensors).__name__}")
    arrays = []
    for k, t in enumerate(tensors):
        if isinstance(t, ag.Tensor):
            arrays.append(t.numpy())
        elif isinstance(t, np.ndarray):
            arrays.append(t)
        else:
            raise TypeError(f"{where}: tensors[{k}] is a {type(t).__name__}, not a Tensor")
    return _total_norm(where, arrays, p, error_if_nonfinite)


def _total_norm(where, arrays, p, error_if_nonfinite):
    if not arrays:
        return ag.Tensor(np.array(0.0))
    total = _vector_norm(np.array([_vector_norm(a, p) for a in arrays]), p)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"{where}: the total norm of order {p} of the gradients is {total}, not finite, "
            f"so it cannot be clipped; pass error_if_nonfinite=False to scale the gradients "
            f"by it anyway")
    dtype = np.result_type(*arrays)
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    return ag.Tensor(np.array(total, dtype=dtype))


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients of ``parameters`` by ``max_norm / (total_norm + 1e-6)`` if that is
    below 1, PyTorch's ``torch.nn.utils.clip_grads_with_norm_`` (the second half of
    :func:`clip_grad_norm_`, with a total norm computed by :func:`get_total_norm`).

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        The parameters (``model.parameters()``); those whose ``grad`` is None are skipped.
    max_norm : float
        The largest total norm allowed (>= 0; ``inf`` changes nothing).
    total_norm : Tensor or float
        The total norm of the gradients.
    foreach : bool or None, optional
        Accepted for PyTorch's signature; it has no effect here.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``parameters`` is not a Tensor or an iterable of Tensors, or an argument has the
        wrong type.
    ValueError
        If ``max_norm`` is negative or nan, or ``total_norm`` is not a single number.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([3.0, 4.0]))
    >>> (w * w).sum().backward()
    >>> total = nn.utils.get_total_norm([w.grad])
    >>> nn.utils.clip_grads_with_norm_([w], max_norm=5.0, total_norm=total)
    >>> w.grad.numpy().round(6)
    array([3., 4.])
    """
    where = "clip_grads_with_norm_"
    _foreach(where, foreach)
    params = _with_grads(_parameters(where, parameters))
    max_norm = _nonnegative(where, "max_norm", max_norm, finite=False)
    total = total_norm.numpy() if isinstance(total_norm, ag.Tensor) else total_norm
    if np.size(total) != 1 or np.asarray(total).dtype.kind not in "biuf":
        raise ValueError(f"{where}: total_norm must be a single number (a 0-d Tensor, as "
                         f"get_total_norm returns), got {total_norm!r}")
    _clip_with(params, max_norm, float(np.asarray(total).reshape(())))


def _clip_with(params, max_norm, total):
    if not params:
        return
    coef = max_norm / (total + 1e-6)
    if coef >= 1.0:     # PyTorch clamps the factor to 1: multiplying by it changes nothing
        return
    _scale_grads(params, coef)   # nan (a nan total) makes the gradients nan, as in PyTorch


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients together so that their total norm is at most ``max_norm``,
    PyTorch's ``torch.nn.utils.clip_grad_norm_``.

    The total norm is the norm of all the gradients as one vector (the ``norm_type``-norm of
    their norms). If ``max_norm / (total + 1e-6)`` is below 1, every ``.grad`` is multiplied
    by it in place (keeping its dtype); otherwise nothing changes.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        The parameters (``model.parameters()``), or one Tensor. Those whose ``grad`` is
        None are skipped; one listed twice counts once.
    max_norm : float
        The largest total norm allowed (>= 0; ``inf`` changes nothing and only measures).
    norm_type : float, optional
        The order p of the norm (default 2); ``float("inf")`` (or ``"inf"``) for the largest
        absolute entry.
    error_if_nonfinite : bool, optional
        If True, a total norm that is nan or infinite raises RuntimeError and changes
        nothing; if False (the default), the gradients are scaled by it anyway (to nan, as
        in PyTorch).
    foreach : bool or None, optional
        Accepted for PyTorch's signature; it has no effect here.

    Returns
    -------
    Tensor
        The total norm of the gradients before clipping: 0-d, of the gradients' dtype
        (computed in float64); 0.0 when no parameter has a gradient.

    Raises
    ------
    TypeError
        If ``parameters`` is not a Tensor or an iterable of Tensors (a Module, say), or an
        argument has the wrong type.
    ValueError
        If ``max_norm`` is negative or nan, or ``norm_type`` is not > 0.
    RuntimeError
        If ``error_if_nonfinite`` is True and the total norm is nan or infinite.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([3.0, 4.0]))
    >>> (w * w).sum().backward()
    >>> w.grad
    Tensor([6., 8.])
    >>> nn.utils.clip_grad_norm_([w], max_norm=1.0)
    Tensor(10.)
    >>> w.grad.numpy().round(6)
    array([0.6, 0.8])
    >>> nn.utils.clip_grad_norm_(w, max_norm=2.0, norm_type=float("inf"))
    Tensor(0.8)
    >>> w.grad.numpy().round(6)
    array([0.6, 0.8])
    >>> nn.utils.clip_grad_norm_([w], max_norm=-1.0)
    Traceback (most recent call last):
        ...
    ValueError: clip_grad_norm_: max_norm must be a number >= 0, got -1.0
    """
    where = "clip_grad_norm_"
    _foreach(where, foreach)
    params = _with_grads(_parameters(where, parameters))
    max_norm = _nonnegative(where, "max_norm", max_norm, finite=False)
    p = _norm_type(where, norm_type)
    total = _total_norm(where, [q.grad.numpy() for q in params], p, error_if_nonfinite)
    _clip_with(params, max_norm, float(total.numpy()))
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient entry to [−clip_value, clip_value] in place, PyTorch's
    ``torch.nn.utils.clip_grad_value_``.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensor
        The parameters (``model.parameters()``), or one Tensor. Those whose ``grad`` is
        None are skipped.
    clip_value : float
        The largest absolute value allowed (>= 0). A nan entry stays nan.
    foreach : bool or None, optional
        Accepted for PyTorch's signature; it has no effect here.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``parameters`` is not a Tensor or an iterable of Tensors, or an argument has the
        wrong type.
    ValueError
        If ``clip_value`` is negative or nan.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.array([3.0, -0.25, 0.5]))
    >>> (w * w).sum().backward()
    >>> nn.utils.clip_grad_value_([w], clip_value=1.0)
    >>> w.grad
    Tensor([ 1. , -0.5,  1. ])
    """
    where = "clip_grad_value_"
    _foreach(where, foreach)
    params = _with_grads(_parameters(where, parameters))
    c = _nonnegative(where, "clip_value", clip_value, finite=False)
    changed, seen = [], set()
    for p in params:
        g = p.grad
        arr = g.numpy()
        if id(arr) in seen:
            continue
        seen.add(id(arr))
        if arr.flags.writeable:
            np.clip(arr, -c, c, out=arr)
            changed.append(g)
        else:
            p.grad = ag.Tensor(np.clip(arr, -c, c).astype(arr.dtype, copy=False))
    if changed:
        register_changes(changed)
