"""gradcheck on user-defined Functions: passes a right one, reports a wrong one precisely."""
import numpy as np
import pytest

import autograd as ag
from custom_functions import Cube, CubeTwiceTooBig


class SoftmaxNoCrossTerms(ag.Function):
    """A softmax whose backward forgets the −y_i y_j terms of D10."""

    @staticmethod
    def forward(ctx, x):
        e = np.exp(x - x.max())
        y = e / e.sum()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y * (1 - y)


class FlippedSign(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return -(grad_output * 3 * x * x)


class Detached(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, grad_output):
        return None


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_correct_custom_function_passes(shape):
    x = ag.Tensor(np.random.default_rng(0).normal(size=shape), requires_grad=True)
    assert ag.gradcheck(Cube.apply, x)


def test_wrong_factor_is_reported_with_worst_element_and_diagnosis():
    x = ag.Tensor([0.5, -1.0, 2.0], requires_grad=True)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(CubeTwiceTooBig.apply, x)
    msg = str(info.value)
    assert "CubeTwiceTooBig.apply" in msg
    assert "input 0 (shape (3,), float64) -> output 0" in msg
    assert "3 of 9 entries wrong" in msg
    # the worst entry is where 3x² is largest: x = 2, index 2
    assert "worst: d out[2] / d in[2]: analytic 24, numerical 12" in msg
    assert "abs error 12" in msg and "rel error 1" in msg
    assert "analytic = 2 × numerical" in msg and "only diagonal" in msg
    failure = info.value.failures[0]
    assert failure.worst_index == (2, 2) and failure.n_bad == 3 and failure.n_total == 9
    np.testing.assert_allclose(np.diag(info.value.analytic), 6 * x.data ** 2)
    np.testing.assert_allclose(np.diag(info.value.numerical), 3 * x.data ** 2, rtol=1e-6)


def test_missing_cross_terms_are_named():
    x = ag.Tensor([1.0, 2.0, 0.5], requires_grad=True)
    with pytest.raises(ag.GradcheckError, match="only off-diagonal entries") as info:
        ag.gradcheck(SoftmaxNoCrossTerms.apply, x)
    assert "6 of 9 entries wrong" in str(info.value)


def test_sign_error_and_no_gradient_are_named():
    x = ag.Tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(ag.GradcheckError, match="sign of the gradient is flipped"):
        ag.gradcheck(FlippedSign.apply, x)
    with pytest.raises(ag.GradcheckError, match="analytic Jacobian is all zeros"):
        ag.gradcheck(Detached.apply, x)


def test_kink_is_explained():
    with pytest.raises(ag.GradcheckError, match="kink"):
        ag.gradcheck(ag.relu, ag.Tensor([0.0, 1.0], requires_grad=True))


def test_raise_exception_false_returns_false():
    x = ag.Tensor([1.0], requires_grad=True)
    assert ag.gradcheck(CubeTwiceTooBig.apply, x, raise_exception=False) is False
    assert ag.gradcheck(Cube.apply, x, raise_exception=False) is True


def test_several_inputs_and_outputs_and_constants():
    a = ag.Tensor([1.0, 2.0], requires_grad=True)
    b = ag.Tensor([[0.5], [1.5]], requires_grad=True)
    const = np.array([3.0, 4.0])
    assert ag.gradcheck(lambda x, y, c: (x * y * c, ag.exp(x).sum()), (a, b, const))


def test_float32_inputs_are_differenced_in_float64():
    x = ag.Tensor(np.array([0.3, 0.7], np.float32), requires_grad=True)
    seen = []

    def f(t):
        seen.append(t.dtype)
        return ag.tanh(t)

    assert ag.gradcheck(f, x)
    assert seen[0] == np.float32                # the analytic pass runs in the input's dtype
    assert set(seen[1:]) == {np.dtype(np.float64)}


def test_no_input_requiring_grad_is_an_error():
    with pytest.raises(ValueError, match="no input requires grad"):
        ag.gradcheck(ag.exp, ag.Tensor([1.0]))
