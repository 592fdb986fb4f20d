"""Minibatches over in-memory arrays: ``minibatches`` (one pass) and ``DataLoader`` (re-iterable,
one pass per epoch, with ``len``).

Examples
--------
>>> import numpy as np
>>> import nn
>>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
>>> [yb.tolist() for _, yb in nn.minibatches(X, y, batch_size=2, shuffle=False)]
[[0, 1], [2, 3], [4]]
"""
import math

import numpy as np

import autograd as ag

from .init import as_generator


def _check(arrays, batch_size, where):
    if not arrays:
        raise ValueError(f"{where}: give at least one array")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"{where}: batch_size must be a positive int, got {batch_size!r}")
    out = []
    for k, a in enumerate(arrays):
        if isinstance(a, (int, float)):
            raise TypeError(f"{where}: argument {k} is the number {a!r}, not an array; pass "
                            f"batch_size= as a keyword")
        a = a.numpy() if isinstance(a, ag.Tensor) else np.asarray(a)
        if a.ndim == 0:
            raise ValueError(f"{where}: argument {k} is 0-d; arrays need a first (sample) axis")
        out.append(a)
    n = len(out[0])
    if any(len(a) != n for a in out):
        shapes = ", ".join(str(a.shape) for a in out)
        raise ValueError(f"{where}: arrays must have the same number of samples (first axis), "
                         f"got shapes {shapes}")
    return out, n


def _batches(arrays, n, batch_size, order, drop_last):
    stop = n - n % batch_size if drop_last else n
    single = len(arrays) == 1
    for start in range(0, stop, batch_size):
        if order is None:
            idx = slice(start, start + batch_size)
        else:
            idx = order[start:start + batch_size]
        batch = tuple(a[idx] for a in arrays)
        yield batch[0] if single else batch


def minibatches(*arrays, batch_size, shuffle=True, rng=None, drop_last=False):
    """One pass over ``arrays`` (aligned on their first axis) in batches of ``batch_size``.

    Yields one array per batch if one array is given, else a tuple of arrays (numpy arrays, also
    for Tensor arguments). With ``shuffle`` the order is a permutation drawn from ``rng`` (a
    ``np.random.Generator`` or int seed; None: unseeded). The last batch is smaller unless
    ``drop_last``. Arguments are checked at the call, before the first batch.

    Parameters
    ----------
    *arrays : array_like or Tensor
        One or more arrays with the same length on their first (sample) axis.
    batch_size : int
        The samples per batch (a positive int; keyword only).
    shuffle : bool, optional
        Visit the samples in a random order (default True).
    rng : numpy.random.Generator or int, optional
        Draws the order when ``shuffle`` (None: unseeded).
    drop_last : bool, optional
        Leave out a last batch smaller than ``batch_size`` (default False).

    Returns
    -------
    generator
        Yields a numpy array per batch for one array, else a tuple of them.

    Raises
    ------
    TypeError
        If an argument is a number (a ``batch_size`` not given as a keyword).
    ValueError
        If no array is given, ``batch_size`` is not a positive int, an array is 0-d, or the
        arrays' lengths differ.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> for xb, yb in nn.minibatches(X, y, batch_size=2, shuffle=False):
    ...     print(xb.tolist(), yb.tolist())
    [[0.0, 1.0], [2.0, 3.0]] [0, 1]
    [[4.0, 5.0], [6.0, 7.0]] [2, 3]
    [[8.0, 9.0]] [4]
    >>> [b.tolist() for b in nn.minibatches(y, batch_size=2, rng=0, drop_last=True)]
    [[2, 4], [3, 0]]
    >>> nn.minibatches(X, y[:3], batch_size=2)
    Traceback (most recent call last):
        ...
    ValueError: minibatches: arrays must have the same number of samples (first axis), got ...
    """
    arrays, n = _check(arrays, batch_size, "minibatches")
    order = as_generator(rng).permutation(n) if shuffle else None
    return _batches(arrays, n, int(batch_size), order, drop_last)


class DataLoader:
    """Re-iterable minibatches: each ``for batch in loader`` is one epoch.

    Each epoch draws a new permutation from the same ``rng`` when ``shuffle``, so a seeded
    run repeats exactly; ``len(loader)`` is the number of batches per epoch. Batches are as
    :func:`minibatches` yields them: one numpy array per batch for one array, else a tuple.

    Parameters
    ----------
    *arrays : array_like or Tensor
        One or more arrays with the same length on their first (sample) axis.
    batch_size : int, optional
        The samples per batch (a positive int, default 1; keyword only).
    shuffle : bool, optional
        A new random order each epoch (default False).
    rng : numpy.random.Generator or int, optional
        Draws the orders (None: unseeded).
    drop_last : bool, optional
        Leave out a last batch smaller than ``batch_size`` (default False).

    Raises
    ------
    TypeError
        If an argument is a number (a ``batch_size`` not given as a keyword).
    ValueError
        If no array is given, ``batch_size`` is not a positive int, an array is 0-d, or the
        arrays' lengths differ.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> loader = nn.DataLoader(X, y, batch_size=2, shuffle=True, rng=0)
    >>> len(loader)
    3
    >>> for epoch in range(2):
    ...     print([yb.tolist() for xb, yb in loader])
    [[2, 4], [3, 0], [1]]
    [[4, 1], [2, 0], [3]]
    >>> len(nn.DataLoader(X, batch_size=2, drop_last=True))
    2
    """

    def __init__(self, *arrays, batch_size=1, shuffle=False, rng=None, drop_last=False):
        self.arrays, self.n = _check(arrays, batch_size, "DataLoader")
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = as_generator(rng)

    def __iter__(self):
        order = self.rng.permutation(self.n) if self.shuffle else None
        return _batches(self.arrays, self.n, self.batch_size, order, self.drop_last)

    def __len__(self):
        if self.drop_last:
            return self.n // self.batch_size
        return math.ceil(self.n / self.batch_size)
