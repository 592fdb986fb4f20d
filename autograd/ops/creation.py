"""Creation: zeros, ones, full, zeros_like, ones_like, arange, randn, rand.

Shapes are given numpy's way (``zeros((2, 3))``) or PyTorch's (``zeros(2, 3)``). Without a
``dtype``, floating results take the default dtype. Random draws take a
``np.random.Generator`` so that runs are reproducible.
"""
import numpy as np

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

    numpy's maximum (and minimum) of an array and the scalar 0 takes a slow loop: 101 µs on a
    1797×128 float32 array, 4 µs on 64×128, where the maximum of two contiguous arrays takes
    its SIMD one (32 µs and 1.6 µs), with the same values. The array is kept for the last few
    shapes, so that a training loop makes it once.
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
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return Tensor(np.zeros(_shape(shape, "zeros"), _dtype(dtype)), requires_grad=requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return Tensor(np.ones(_shape(shape, "ones"), _dtype(dtype)), requires_grad=requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor of ``shape`` filled with ``fill_value``."""
    shape = _shape((shape,) if isinstance(shape, (int, np.integer)) else (shape,), "full")
    return Tensor(np.full(shape, fill_value, _dtype(dtype)), requires_grad=requires_grad)


def zeros_like(x, dtype=None, requires_grad=False):
    """Zeros with x's shape and (unless given) dtype."""
    x = np.asarray(x._data if isinstance(x, Tensor) else x)
    return Tensor(np.zeros(x.shape, dtype or x.dtype), requires_grad=requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    """Ones with x's shape and (unless given) dtype."""
    x = np.asarray(x._data if isinstance(x, Tensor) else x)
    return Tensor(np.ones(x.shape, dtype or x.dtype), requires_grad=requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values as ``np.arange``: integers for integer arguments, else the default
    float dtype."""
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
    """Standard normal samples drawn from ``rng`` (a ``np.random.Generator`` or a seed)."""
    data = _rng(rng).standard_normal(_shape(shape, "randn")).astype(_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape, rng=None, dtype=None, requires_grad=False):
    """Uniform samples in [0, 1) drawn from ``rng`` (a ``np.random.Generator`` or a seed)."""
    data = _rng(rng).random(_shape(shape, "rand")).astype(_dtype(dtype), copy=False)
    return Tensor(data, requires_grad=requires_grad)
