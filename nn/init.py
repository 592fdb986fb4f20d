"""Initializers: fill a tensor's array in place, as ``torch.nn.init`` does.

Every random draw takes ``rng``: a ``np.random.Generator`` (or an int seed); ``None`` draws from
a fresh, unseeded generator. Values are drawn in float64 and cast to the tensor's dtype, so a
float32 and a float64 tensor filled with the same seed hold the same numbers up to rounding.

Fans follow the chapter's layout, the one ``nn.Linear`` uses: a 2-D weight has shape
``(in_features, out_features)``, so ``fan_in = shape[0]`` and ``fan_out = shape[1]`` (the
transpose of PyTorch's ``(out, in)``). For more axes, the axes after the first two multiply both
fans (a receptive field).

Every initializer fills the tensor in place and returns it.

Examples
--------
>>> import numpy as np
>>> import nn
>>> layer = nn.Linear(2, 3, rng=0)
>>> _ = nn.init.xavier_uniform_(layer.weight, rng=0)
>>> _ = nn.init.zeros_(layer.bias)
>>> layer.bias
Parameter containing:
Tensor([0., 0., 0.], requires_grad=True)
"""
import math

import numpy as np

import autograd as ag
from autograd.inplace import register_change


def as_generator(rng):
    """``rng`` as a ``np.random.Generator``: a Generator passes through, an int seeds one.

    None gives a fresh unseeded one.

    Parameters
    ----------
    rng : numpy.random.Generator, int or None
        What the ``rng=`` arguments of ``nn`` take.

    Returns
    -------
    numpy.random.Generator
        ``rng`` itself if it is a Generator, else ``np.random.default_rng(rng)``.

    Raises
    ------
    TypeError
        If ``rng`` is anything else.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.as_generator(0).integers(10, size=3).tolist()
    [8, 6, 5]
    >>> g = np.random.default_rng(1)
    >>> init.as_generator(g) is g
    True
    >>> init.as_generator(1.5)
    Traceback (most recent call last):
        ...
    TypeError: rng must be a np.random.Generator, an int seed or None, got float
    """
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
    """(fan_in, fan_out) of a weight of ``shape`` in the (in, out, ...) layout.

    Axes after the first two (a receptive field) multiply both fans.

    Parameters
    ----------
    shape : tuple of int
        The weight's shape, at least 2 axes.
    where : str, optional
        The name that starts the error message.

    Returns
    -------
    tuple of int
        ``(fan_in, fan_out)``: ``shape[0]`` and ``shape[1]``, times the product of the other
        axes.

    Raises
    ------
    ValueError
        If ``shape`` has fewer than 2 axes.

    Examples
    --------
    >>> from nn import init
    >>> init.calculate_fans((3, 4))
    (3, 4)
    >>> init.calculate_fans((3, 4, 2, 2))
    (12, 16)
    """
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"{where}: fan in and fan out need a tensor with at least 2 axes, "
                         f"got shape {shape}")
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def calculate_gain(nonlinearity, param=None):
    """The gain that keeps activations' variance steady through ``nonlinearity`` (as PyTorch).

    1 for linear/identity/sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + a²)) for
    leaky_relu(a), 3/4 for selu.

    Parameters
    ----------
    nonlinearity : str
        One of "linear", "identity", "sigmoid", "tanh", "relu", "leaky_relu", "selu".
    param : float, optional
        leaky_relu's negative slope a (default 0.01); ignored by the others.

    Returns
    -------
    float
        The gain.

    Raises
    ------
    ValueError
        For an unknown ``nonlinearity``.

    Examples
    --------
    >>> from nn import init
    >>> init.calculate_gain("relu")
    1.4142135623730951
    >>> init.calculate_gain("leaky_relu", 0.2)
    1.3867504905630728
    >>> init.calculate_gain("tanh")
    1.6666666666666667
    """
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
    """Fill with U(a, b).

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
    a, b : float, optional
        The interval's ends (default 0 and 1).
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.uniform_(np.empty((2, 3)), -1.0, 1.0, rng=0)
    array([[ 0.27392337, -0.46042657, -0.91805295],
           [-0.96694473,  0.62654048,  0.82551115]])
    """
    arr = _array(tensor, "uniform_")
    return _fill(tensor, as_generator(rng).uniform(a, b, size=arr.shape))


def normal_(tensor, mean=0.0, std=1.0, rng=None):
    """Fill with N(mean, std²).

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
    mean : float, optional
        The mean (default 0).
    std : float, optional
        The standard deviation (default 1).
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> w = nn.Parameter(np.empty((2, 3)))
    >>> nn.init.normal_(w, 0.0, 0.1, rng=0)
    Parameter containing:
    Tensor([[ 0.01257302, -0.01321049,  0.06404227],
            [ 0.01049001, -0.05356694,  0.03615951]], requires_grad=True)
    """
    arr = _array(tensor, "normal_")
    return _fill(tensor, as_generator(rng).normal(mean, std, size=arr.shape))


def constant_(tensor, value):
    """Fill with ``value``.

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
    value : float
        The value.

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.constant_(np.empty(3), 0.5)
    array([0.5, 0.5, 0.5])
    """
    _array(tensor, "constant_")
    return _fill(tensor, value)


def zeros_(tensor):
    """Fill with 0.

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> nn.init.zeros_(nn.Parameter(np.ones(2)))
    Parameter containing:
    Tensor([0., 0.], requires_grad=True)
    """
    return constant_(tensor, 0.0)


def ones_(tensor):
    """Fill with 1.

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.ones_(np.zeros(2))
    array([1., 1.])
    >>> init.ones_(np.zeros(2, dtype=int))
    Traceback (most recent call last):
        ...
    TypeError: constant_: expected a floating Tensor or ndarray, got int64
    """
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain=1.0, rng=None):
    """Glorot & Bengio (2010): U(−a, a) with a = gain · √(6 / (fan_in + fan_out)).

    That is, variance gain² · 2 / (fan_in + fan_out), fans as :func:`calculate_fans`.

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
        At least 2 axes.
    gain : float, optional
        The scale (default 1; see :func:`calculate_gain`).
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.
    ValueError
        If ``tensor`` has fewer than 2 axes.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> w = init.xavier_uniform_(np.empty((2, 3)), rng=0)
    >>> w
    array([[ 0.30006802, -0.50437204, -1.00567662],
           [-1.05923488,  0.68634071,  0.90430216]])
    >>> bool(np.abs(w).max() <= np.sqrt(6 / (2 + 3)))
    True
    """
    arr = _array(tensor, "xavier_uniform_")
    fan_in, fan_out = calculate_fans(arr.shape, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return _fill(tensor, as_generator(rng).uniform(-bound, bound, size=arr.shape))


def xavier_normal_(tensor, gain=1.0, rng=None):
    """Glorot & Bengio (2010): N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
        At least 2 axes.
    gain : float, optional
        The scale (default 1; see :func:`calculate_gain`).
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.
    ValueError
        If ``tensor`` has fewer than 2 axes.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.xavier_normal_(np.empty((2, 3)), rng=0)
    array([[ 0.07951877, -0.08355045,  0.40503885],
           [ 0.06634466, -0.33878706,  0.22869279]])
    """
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
    """He et al. (2015): U(−b, b) with b = √3 · gain / √fan.

    The gain comes from ``nonlinearity`` (with leaky_relu slope ``a``; a = 0 gives ReLU's
    √2), fan = fan_in or fan_out per ``mode``. :class:`nn.Linear` uses it with a = √5, which
    gives b = 1/√fan_in.

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
        At least 2 axes.
    a : float, optional
        The leaky_relu slope for the gain (default 0).
    mode : {"fan_in", "fan_out"}, optional
        Which fan to use (default "fan_in": the forward pass's variance is kept).
    nonlinearity : str, optional
        As :func:`calculate_gain` takes (default "leaky_relu").
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.
    ValueError
        If ``tensor`` has fewer than 2 axes, or ``mode`` or ``nonlinearity`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.kaiming_uniform_(np.empty((2, 3)), rng=0)
    array([[ 0.4744492 , -0.79748222, -1.59011436],
           [-1.6747974 ,  1.08519994,  1.42982726]])
    >>> w = init.kaiming_uniform_(np.empty((4, 3)), a=np.sqrt(5), rng=0)
    >>> bool(np.abs(w).max() <= 1 / np.sqrt(4))
    True
    """
    arr = _array(tensor, "kaiming_uniform_")
    bound = math.sqrt(3.0) * _kaiming_std(arr, a, mode, nonlinearity, "kaiming_uniform_")
    return _fill(tensor, as_generator(rng).uniform(-bound, bound, size=arr.shape))


def kaiming_normal_(tensor, a=0.0, mode="fan_in", nonlinearity="leaky_relu", rng=None):
    """He et al. (2015): N(0, std²) with std = gain / √fan (see :func:`kaiming_uniform_`).

    Parameters
    ----------
    tensor : Tensor or numpy.ndarray
        A floating tensor (a Parameter, say) or array, filled in place. A graph that saved
        a Tensor's old values is marked stale.
        At least 2 axes.
    a : float, optional
        The leaky_relu slope for the gain (default 0).
    mode : {"fan_in", "fan_out"}, optional
        Which fan to use (default "fan_in").
    nonlinearity : str, optional
        As :func:`calculate_gain` takes (default "leaky_relu").
    rng : numpy.random.Generator or int, optional
        The generator or an int seed to draw from (None: a fresh, unseeded generator).

    Returns
    -------
    Tensor or numpy.ndarray
        ``tensor`` itself.

    Raises
    ------
    TypeError
        If ``tensor`` is not a floating Tensor or ndarray.
    ValueError
        If ``tensor`` has fewer than 2 axes, or ``mode`` or ``nonlinearity`` is unknown.

    Examples
    --------
    >>> import numpy as np
    >>> from nn import init
    >>> init.kaiming_normal_(np.empty((2, 3)), nonlinearity="relu", rng=0)
    array([[ 0.12573022, -0.13210486,  0.64042265],
           [ 0.10490012, -0.53566937,  0.36159505]])
    >>> init.kaiming_normal_(np.empty((2, 3)), mode="fan", rng=0)
    Traceback (most recent call last):
        ...
    ValueError: kaiming_normal_: mode must be 'fan_in' or 'fan_out', got 'fan'
    """
    arr = _array(tensor, "kaiming_normal_")
    std = _kaiming_std(arr, a, mode, nonlinearity, "kaiming_normal_")
    return _fill(tensor, as_generator(rng).normal(0.0, std, size=arr.shape))
