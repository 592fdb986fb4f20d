"""Initializers: fill a tensor's array in place, as ``torch.nn.init`` does.

Every random draw takes ``rng``: a ``np.random.Generator`` (or an int seed); ``None`` draws from
a fresh, unseeded generator. Values are drawn in float64 and cast to the tensor's dtype, so a
float32 and a float64 tensor filled with the same seed hold the same numbers up to rounding.

Fans follow the chapter's layout, the one ``nn.Linear`` uses: a 2-D weight has shape
``(in_features, out_features)``, so ``fan_in = shape[0]`` and ``fan_out = shape[1]`` (the
transpose of PyTorch's ``(out, in)``). For more axes, the axes after the first two multiply both
fans (a receptive field).
"""
import math

import numpy as np

import autograd as ag
from autograd.inplace import register_change


def as_generator(rng):
    """``rng`` as a ``np.random.Generator``: a Generator passes through, an int seeds one,
    None gives a fresh unseeded one."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng must be a np.random.Generator, an int seed or None, got "
                    f"{type(rng).__name__}")


def _array(tensor, where):
    arr = tensor.numpy() if isinstance(tensor, ag.Tensor) else tensor
    if not isinstance(arr, np.ndarray) or arr.dtype.kind != "f":
        raise TypeError(f"{where}: expected a floating Tensor or ndarray, got "
                        f"{getattr(arr, 'dtype', type(arr).__name__)}")
    return arr


def _fill(tensor, values):
    arr = tensor.numpy() if isinstance(tensor, ag.Tensor) else tensor
    arr[...] = values
    if isinstance(tensor, ag.Tensor):
        register_change(tensor)     # a graph that saved the old values is stale now
    return tensor


def calculate_fans(shape, where="calculate_fans"):
    """(fan_in, fan_out) of a weight of ``shape`` in the (in, out, ...) layout."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"{where}: fan in and fan out need a tensor with at least 2 axes, "
                         f"got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def calculate_gain(nonlinearity, param=None):
    """The gain that keeps activations' variance steady through ``nonlinearity`` (as PyTorch):
    1 for linear/sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + a²)) for leaky_relu(a)."""
    if nonlinearity in ("linear", "identity", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + a * a))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}")


def uniform_(tensor, a=0.0, b=1.0, rng=None):
    """Fill with U(a, b)."""
    arr = _array(tensor, "uniform_")
    return _fill(tensor, as_generator(rng).uniform(a, b, size=arr.shape))


def normal_(tensor, mean=0.0, std=1.0, rng=None):
    """Fill with N(mean, std²)."""
    arr = _array(tensor, "normal_")
    return _fill(tensor, as_generator(rng).normal(mean, std, size=arr.shape))


def constant_(tensor, value):
    """Fill with ``value``."""
    _array(tensor, "constant_")
    return _fill(tensor, value)


def zeros_(tensor):
    """Fill with 0."""
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with 1."""
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, rng=None):
    """Glorot & Bengio (2010): U(−a, a) with a = gain · √(6 / (fan_in + fan_out)),
    i.e. variance gain² · 2 / (fan_in + fan_out)."""
    arr = _array(tensor, "xavier_uniform_")
    fan_in, fan_out = calculate_fans(arr.shape, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _fill(tensor, as_generator(rng).uniform(-bound, bound, size=arr.shape))


def xavier_normal_(tensor, gain=1.0, rng=None):
    """Glorot & Bengio (2010): N(0, std²) with std = gain · √(2 / (fan_in + fan_out))."""
    arr = _array(tensor, "xavier_normal_")
    fan_in, fan_out = calculate_fans(arr.shape, "xavier_normal_")
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _fill(tensor, as_generator(rng).normal(0.0, std, size=arr.shape))


def _kaiming_std(arr, a, mode, nonlinearity, where):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{where}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calculate_fans(arr.shape, where)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He et al. (2015): U(−b, b) with b = √3 · gain / √fan, gain from ``nonlinearity`` (with
    leaky_relu slope ``a``; a = 0 gives ReLU's √2), fan = fan_in or fan_out per ``mode``."""
    arr = _array(tensor, "kaiming_uniform_")
    bound = math.sqrt(3.0) * _kaiming_std(arr, a, mode, nonlinearity, "kaiming_uniform_")
    return _fill(tensor, as_generator(rng).uniform(-bound, bound, size=arr.shape))


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He et al. (2015): N(0, std²) with std = gain / √fan (see :func:`kaiming_uniform_`)."""
    arr = _array(tensor, "kaiming_normal_")
    std = _kaiming_std(arr, a, mode, nonlinearity, "kaiming_normal_")
    return _fill(tensor, as_generator(rng).normal(0.0, std, size=arr.shape))
