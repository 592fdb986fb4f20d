"""Every built-in op gradient-checked in float64 over the shape sweep (scalar, vector, matrix,
and a size-1 axis broadcast against a larger one)."""
import zlib

import numpy as np
import pytest

import autograd as ag
from op_cases import sweep

PARAMS, IDS = sweep()


@pytest.mark.parametrize("case,shapes", PARAMS, ids=IDS)
def test_gradcheck(case, shapes):
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))   # stable across runs
    inputs = case.inputs(shapes, rng)
    assert ag.gradcheck(case.fn, inputs)


@pytest.mark.parametrize("case,shapes", PARAMS, ids=IDS)
def test_float32_gradient_keeps_dtype(case, shapes):
    """A float32 graph stays float32: outputs and gradients alike."""
    rng = np.random.default_rng(1)
    inputs = case.inputs(shapes, rng, dtype=np.float32)
    out = case.fn(*inputs)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, np.float32))
    for x in inputs:
        if x.grad is not None:
            assert x.grad.dtype == np.float32
            assert x.grad.shape == x.shape
