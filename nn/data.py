"""Minibatches over in-memory arrays: ``minibatches`` (one pass) and ``DataLoader`` (re-iterable,
one pass per epoch, with ``len``)."""
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
    """
    arrays, n = _check(arrays, batch_size, "minibatches")
    order = as_generator(rng).permutation(n) if shuffle else None
    return _batches(arrays, n, int(batch_size), order, drop_last)


class DataLoader:
    """Re-iterable minibatches: each ``for batch in loader`` is one epoch (a new permutation
    from the same ``rng`` when ``shuffle``, so a seeded run repeats exactly); ``len(loader)`` is
    the number of batches per epoch. Batches are as :func:`minibatches` yields them."""

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
