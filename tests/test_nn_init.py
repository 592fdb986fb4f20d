"""nn.init: the Xavier/Glorot and Kaiming/He initializers, in place, reproducible."""
import math

import numpy as np
import pytest

import autograd as ag
import nn
from nn import init

# (in, out) = (200, 300): fan_in = 200, fan_out = 300 in the chapter's layout
SHAPE = (200, 300)


def _param(shape=SHAPE, dtype=np.float64):
    return nn.Parameter(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize("fn, expected_std", [
    (lambda p, rng: init.xavier_uniform_(p, rng=rng), math.sqrt(2 / 500)),
    (lambda p, rng: init.xavier_normal_(p, rng=rng), math.sqrt(2 / 500)),
    (lambda p, rng: init.xavier_uniform_(p, gain=2.0, rng=rng), 2 * math.sqrt(2 / 500)),
    (lambda p, rng: init.kaiming_uniform_(p, rng=rng), math.sqrt(2 / 200)),
    (lambda p, rng: init.kaiming_normal_(p, rng=rng), math.sqrt(2 / 200)),
    (lambda p, rng: init.kaiming_normal_(p, mode="fan_out", rng=rng), math.sqrt(2 / 300)),
    (lambda p, rng: init.kaiming_uniform_(p, nonlinearity="relu", rng=rng), math.sqrt(2 / 200)),
    (lambda p, rng: init.kaiming_uniform_(p, a=math.sqrt(5), rng=rng), math.sqrt(1 / 600)),
    (lambda p, rng: init.kaiming_normal_(p, nonlinearity="tanh", rng=rng), 5 / 3 / math.sqrt(200)),
])
def test_initializers_have_the_documented_spread(fn, expected_std):
    p = _param()
    out = fn(p, np.random.default_rng(0))
    assert out is p
    assert p.data.mean() == pytest.approx(0, abs=0.02 * expected_std)
    assert p.data.std() == pytest.approx(expected_std, rel=0.01)


@pytest.mark.parametrize("fn, bound", [
    (init.xavier_uniform_, math.sqrt(6 / 500)),
    (init.kaiming_uniform_, math.sqrt(6 / 200)),
])
def test_uniform_initializers_respect_their_bound(fn, bound):
    p = fn(_param(), rng=np.random.default_rng(1))
    assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.99 * bound


def test_draws_are_reproducible_and_cast_to_the_tensors_dtype():
    a = init.kaiming_normal_(_param(), rng=np.random.default_rng(3))
    b = init.kaiming_normal_(_param(), rng=3)
    np.testing.assert_array_equal(a.data, b.data)
    c = init.kaiming_normal_(_param(dtype=np.float32), rng=3)
    assert c.dtype == np.float32
    np.testing.assert_allclose(c.data, a.data, rtol=1e-6)


def test_zeros_ones_constant_work_in_place_on_tensors_and_arrays():
    p = _param((2, 3))
    data = p.data
    init.ones_(p)
    assert p.data is data and np.all(p.data == 1)
    init.zeros_(p)
    assert np.all(p.data == 0)
    arr = np.empty(4)
    init.constant_(arr, 2.5)
    assert np.all(arr == 2.5)
    init.normal_(arr, 1.0, 0.0, rng=0)
    assert np.all(arr == 1.0)


def test_fans_follow_the_in_out_layout_and_bad_inputs_are_clear():
    assert init.calculate_fans((3, 5)) == (3, 5)
    assert init.calculate_fans((3, 5, 2, 2)) == (12, 20)
    with pytest.raises(ValueError, match=r"xavier_uniform_: fan in and fan out need a tensor "
                                         r"with at least 2 axes, got shape \(4,\)"):
        init.xavier_uniform_(_param((4,)))
    with pytest.raises(TypeError, match="kaiming_normal_: expected a floating"):
        init.kaiming_normal_(ag.Tensor(np.zeros((2, 2), dtype=np.int64)))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(_param((2, 2)), mode="fan")
    with pytest.raises(ValueError, match="unknown nonlinearity"):
        init.calculate_gain("swish")


def test_gains():
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("sigmoid") == 1.0
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
