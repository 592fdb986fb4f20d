"""nn.data: minibatches and DataLoader over arrays, shuffled with a Generator."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd as ag
import nn


def _data(n=10):
    X = np.arange(n * 2, dtype=float).reshape(n, 2)
    y = np.arange(n)
    return X, y


def test_minibatches_cover_every_sample_once_and_stay_aligned():
    X, y = _data(10)
    batches = list(nn.minibatches(X, y, batch_size=4, rng=0))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen) == list(range(10)) and not np.array_equal(seen, np.arange(10))
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])          # rows stay with their labels


def test_shuffle_is_reproducible_from_the_seed_or_generator():
    X, y = _data(50)
    a = [b[1] for b in nn.minibatches(X, y, batch_size=8, rng=3)]
    b = [b[1] for b in nn.minibatches(X, y, batch_size=8, rng=np.random.default_rng(3))]
    c = [b[1] for b in nn.minibatches(X, y, batch_size=8, rng=4)]
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not all(np.array_equal(p, q) for p, q in zip(a, c))


def test_no_shuffle_drop_last_and_a_single_array():
    X, y = _data(10)
    batches = list(nn.minibatches(y, batch_size=3, shuffle=False, drop_last=True))
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    tensors = list(nn.minibatches(ag.Tensor(X), batch_size=5, shuffle=False))
    assert all(isinstance(b, np.ndarray) for b in tensors)


def test_data_loader_is_reiterable_with_a_new_order_each_epoch():
    X, y = _data(10)
    loader = nn.DataLoader(X, y, batch_size=4, shuffle=True, rng=0)
    assert len(loader) == 3
    epoch1 = np.concatenate([b[1] for b in loader])
    epoch2 = np.concatenate([b[1] for b in loader])
    assert sorted(epoch1) == sorted(epoch2) == list(range(10))
    assert not np.array_equal(epoch1, epoch2)
    again = nn.DataLoader(X, y, batch_size=4, shuffle=True, rng=0)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in again]), epoch1)
    assert len(nn.DataLoader(X, batch_size=4, drop_last=True)) == 2


def test_bad_arguments_are_reported_before_the_first_batch():
    X, y = _data(10)
    with pytest.raises(ValueError, match=r"minibatches: arrays must have the same number of "
                                         r"samples \(first axis\), got shapes \(10, 2\), "
                                         r"\(9,\)"):
        nn.minibatches(X, y[:9], batch_size=2)
    with pytest.raises(TypeError, match="pass batch_size= as a keyword"):
        nn.minibatches(X, y, 4, batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be a positive int, got 0"):
        nn.DataLoader(X, batch_size=0)
    with pytest.raises(ValueError, match="argument 0 is 0-d"):
        nn.minibatches(np.array(3.0), batch_size=1)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 40), batch_size=st.integers(1, 50), shuffle=st.booleans(),
       drop_last=st.booleans(), seed=st.integers(0, 1000))
def test_batches_partition_the_samples(n, batch_size, shuffle, drop_last, seed):
    X, y = _data(n)
    batches = list(nn.minibatches(X, y, batch_size=batch_size, shuffle=shuffle, rng=seed,
                                  drop_last=drop_last))
    sizes = [len(b[1]) for b in batches]
    full, rest = divmod(n, batch_size)
    assert sizes == [batch_size] * full + ([rest] if rest and not drop_last else [])
    seen = np.concatenate([b[1] for b in batches]) if batches else np.array([], int)
    assert len(set(seen.tolist())) == len(seen)             # no sample twice
    if not shuffle:
        np.testing.assert_array_equal(seen, np.arange(len(seen)))
