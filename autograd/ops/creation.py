"""Creation: zeros, ones, full, zeros_like, ones_like, arange, randn, rand.

Shapes are given numpy's way (``zeros((2, 3))``) or PyTorch's (``zeros(2, 3)``). Without a
``dtype``, floating results take the default dtype. Random draws take a
``np.random.Generator`` so that runs are reproducible.
"""
import numpy as np

from ..function import raw
from ..tensor import Tensor, get_default_dtype


def _shape(shape, op):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"{op}: a shape holds non-negative ints, got {shape!r}")
    return tuple(int(s) for s in shape)


def _dtype(dtype):
    return get_default_dtype() if dtype is None else np.dtype(dtype)


# Read-only arrays of zeros for zeros_operand, by (shape, dtype): a few shapes, the last used.
_ZEROS = {}
_ZEROS_KEPT = 8


def zeros_operand(x):
    """A read-only array of zeros of x's shape and dtype, for a rule to compare x against.

    numpy's maximum (and minimum) of an array and the scalar 0 takes a slow loop, where the
    maximum of two contiguous arrays takes its SIMD one, with the same values. The array is kept
    for the last few shapes, so that a training loop makes it once.
    """
    key = (x.shape, x.dtype)
    z = _ZEROS.get(key)
    if z is None:
        if len(_ZEROS) >= _ZEROS_KEPT:
            _ZEROS.clear()
        z = np.zeros(x.shape, x.dtype)
        z.flags.writeable = False
        _ZEROS[key] = z
    return z


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``.

    Parameters
    ----------
    *shape : int or tuple of int
        The shape, as ``(2, 3)`` or ``2, 3``.
    dtype : data-type, optional
        The dtype (default: the default float dtype, see :func:`set_default_dtype`).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the shape holds something other than non-negative ints.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> ag.zeros(2, 3)
    Tensor([[0., 0., 0.],
            [0., 0., 0.]])
    >>> ag.zeros((2,), dtype=np.float32)
    Tensor([0., 0.], dtype=float32)
    """
    return Tensor(np.zeros(_shape(shape, "zeros"), _dtype(dtype)), requires_grad=requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``.

    Parameters
    ----------
    *shape : int or tuple of int
        The shape, as ``(2, 3)`` or ``2, 3``.
    dtype : data-type, optional
        The dtype (default: the default float dtype, see :func:`set_default_dtype`).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the shape holds something other than non-negative ints.

    Examples
    --------
    >>> import autograd as ag
    >>> w = ag.ones(2, requires_grad=True)
    >>> w
    Tensor([1., 1.], requires_grad=True)
    >>> (w * 3).sum().backward()
    >>> w.grad
    Tensor([3., 3.])
    """
    return Tensor(np.ones(_shape(shape, "ones"), _dtype(dtype)), requires_grad=requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor of ``shape`` filled with ``fill_value``.

    Parameters
    ----------
    shape : int or tuple of int
        The shape.
    fill_value : scalar
        The value of every element.
    dtype : data-type, optional
        The dtype (default: the default float dtype, see :func:`set_default_dtype`).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    ValueError
        If the shape holds something other than non-negative ints.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> ag.full((2, 2), 0.5)
    Tensor([[0.5, 0.5],
            [0.5, 0.5]])
    >>> ag.full(3, 7, dtype=np.int32)
    Tensor([7, 7, 7], dtype=int32)
    """
    shape = _shape((shape,) if isinstance(shape, (int, np.integer)) else (shape,), "full")
    return Tensor(np.full(shape, fill_value, _dtype(dtype)), requires_grad=requires_grad)


def zeros_like(x, dtype=None, requires_grad=False):
    """Zeros with x's shape and (unless given) dtype.

    Parameters
    ----------
    x : array_like or Tensor
        The tensor or array whose shape (and dtype) to take; data that is not an array has
        the dtype ``np.asarray`` gives it.
    dtype : data-type, optional
        The dtype (default: x's).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> ag.zeros_like(ag.tensor([[1.0, 2.0]]))
    Tensor([[0., 0.]])
    """
    x = np.asarray(raw(x))
    return Tensor(np.zeros(x.shape, dtype or x.dtype), requires_grad=requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    """Ones with x's shape and (unless given) dtype.

    Parameters
    ----------
    x : array_like or Tensor
        The tensor or array whose shape (and dtype) to take; data that is not an array has
        the dtype ``np.asarray`` gives it.
    dtype : data-type, optional
        The dtype (default: x's).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> ag.ones_like(np.zeros(3, dtype=np.int32))
    Tensor([1, 1, 1], dtype=int32)
    >>> ag.ones_like(ag.tensor([5.0]), dtype=np.float32)
    Tensor([1.], dtype=float32)
    """
    x = np.asarray(raw(x))
    return Tensor(np.ones(x.shape, dtype or x.dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values as ``np.arange``: integers for integer arguments.

    With a Python float among the arguments (and no ``dtype``) the result has the default
    float dtype.

    Parameters
    ----------
    start : int or float
        The first value; the stop, with values from 0, when ``stop`` is not given.
    stop : int or float, optional
        The end (excluded).
    step : int or float, optional
        The spacing (default 1).
    dtype : data-type, optional
        The dtype (default: as described above).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False); it needs a floating
        dtype.

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> ag.arange(4)
    Tensor([0, 1, 2, 3], dtype=int...)
    >>> ag.arange(0.0, 1.0, 0.25)
    Tensor([0.  , 0.25, 0.5 , 0.75])
    """
    if dtype is None and any(isinstance(v, float) for v in (start, stop, step)):
        dtype = get_default_dtype()
    data = np.arange(start, stop, step, dtype=dtype) if stop is not None else \
        np.arange(start, step=step, dtype=dtype)
    return Tensor(data, requires_grad=requires_grad)


def _rng(rng):
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a np.random.Generator (or a seed), got "
                        f"{type(rng).__name__}")
    return rng


def randn(*shape, rng=None, dtype=None, requires_grad=False):
    """Standard normal samples drawn from ``rng`` (a ``np.random.Generator`` or a seed).

    Parameters
    ----------
    *shape : int or tuple of int
        The shape, as ``(2, 3)`` or ``2, 3``.
    rng : numpy.random.Generator or int, optional
        The generator, or a seed for ``np.random.default_rng`` (default None: a fresh,
        unseeded generator).
    dtype : data-type, optional
        The dtype (default: the default float dtype, see :func:`set_default_dtype`).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    TypeError
        If ``rng`` is neither a ``np.random.Generator`` nor an int.
    ValueError
        If the shape holds something other than non-negative ints.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> ag.randn(2, 3, rng=0)
    Tensor([[ 0.12573022, -0.13210486,  0.64042265],
            [ 0.10490012, -0.53566937,  0.36159505]])
    >>> rng = np.random.default_rng(0)
    >>> w = ag.randn(2, 3, rng=rng, requires_grad=True)
    >>> bool((w.data == ag.randn(2, 3, rng=0).data).all())
    True
    """
    data = _rng(rng).standard_normal(_shape(shape, "randn")).astype(_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, rng=None, dtype=None, requires_grad=False):
    """Uniform samples in [0, 1) drawn from ``rng`` (a ``np.random.Generator`` or a seed).

    Parameters
    ----------
    *shape : int or tuple of int
        The shape, as ``(2, 3)`` or ``2, 3``.
    rng : numpy.random.Generator or int, optional
        The generator, or a seed for ``np.random.default_rng`` (default None: a fresh,
        unseeded generator).
    dtype : data-type, optional
        The dtype (default: the default float dtype, see :func:`set_default_dtype`).
    requires_grad : bool, optional
        Whether the result is a leaf that requires grad (default False).

    Returns
    -------
    Tensor

    Raises
    ------
    TypeError
        If ``rng`` is neither a ``np.random.Generator`` nor an int.
    ValueError
        If the shape holds something other than non-negative ints.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.rand(3, rng=0)
    Tensor([0.63696169, 0.26978671, 0.04097352])
    """
    data = _rng(rng).random(_shape(shape, "rand")).astype(_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)
