"""detect_anomaly: the first NaN/inf of either pass, traced to the op and the user's line."""
import threading

import numpy as np
import pytest

import autograd as ag
from autograd.function import Function


def _line_of(marker):
    with open(__file__) as f:
        return next(k for k, line in enumerate(f, 1) if marker in line and "_line_of" not in line)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_forward_nan_names_the_op_the_line_and_that_it_was_created_there():
    x = ag.Tensor([1.0, -1.0], requires_grad=True)
    with ag.detect_anomaly():
        with pytest.raises(ag.AnomalyError) as info:
            ag.sqrt(x)  # MARK-forward
    msg = str(info.value)
    assert "Sqrt produced NaN or inf in its forward output 0" in msg
    assert "1 NaN" in msg and "created by this op" in msg
    assert f'{__file__}", line {_line_of("MARK-forward")}' in msg
    assert "input 0: shape (2,), float64, 0 NaN, 0 inf, finite min -1" in msg


def test_forward_nan_that_arrives_in_an_input_says_so():
    data = ag.Tensor([np.nan, 1.0])
    w = ag.Tensor([2.0, 3.0], requires_grad=True)
    with ag.detect_anomaly(), pytest.raises(ag.AnomalyError, match=r"Mul.*arrived in input"):
        data * w


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("operand", [np.inf, np.float32(np.nan), float("-inf")])
def test_a_number_operand_that_is_not_finite_is_named_as_the_origin(operand):
    w = ag.Tensor([2.0, 3.0], requires_grad=True)
    with ag.detect_anomaly(), pytest.raises(ag.AnomalyError) as info:
        w * operand
    msg = str(info.value)
    assert "arrived in input(s) [1]: the op did not create it" in msg
    assert f"input 1: the number {operand!r}" in msg
    with ag.detect_anomaly(), pytest.raises(ag.AnomalyError, match="created by this op"):
        ag.log(w - 2.0)                 # log(0) = -inf from finite inputs, the 2.0 among them


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_backward_inf_names_the_op_and_its_forward_line():
    x = ag.Tensor([0.0, 4.0], requires_grad=True)
    with ag.detect_anomaly():
        y = ag.sqrt(x)  # MARK-backward
        loss = y.sum()
        with pytest.raises(ag.AnomalyError) as info:
            loss.backward()
    msg = str(info.value)
    assert "the backward of Sqrt produced NaN or inf in the gradient of its input 0" in msg
    assert "created by this backward rule" in msg
    assert f'line {_line_of("MARK-backward")}' in msg
    assert "saved 0: shape (2,)" in msg


def test_backward_nan_arriving_from_a_later_op_is_attributed_to_it():
    class BadGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * np.nan

    x = ag.Tensor([1.0], requires_grad=True)
    with ag.detect_anomaly():
        y = ag.exp(x)
        z = BadGrad.apply(y)
        with pytest.raises(ag.AnomalyError, match="backward of BadGrad.*created by this"):
            z.sum().backward()


def test_off_by_default_and_restored_after():
    assert not ag.is_anomaly_enabled()
    apply = Function.__dict__["apply"]      # the compiled one, unless AUTOGRAD_PURE_PYTHON
    with ag.detect_anomaly():
        assert ag.is_anomaly_enabled()
        assert Function.__dict__["apply"] is not apply
    assert not ag.is_anomaly_enabled()
    assert Function.__dict__["apply"] is apply
    with np.errstate(divide="ignore"):
        y = ag.log(ag.Tensor([0.0]))          # no error outside the mode
    assert np.isinf(y.data[0])


def test_decorator_form():
    @ag.detect_anomaly()
    def f(t):
        return ag.log(t)

    with np.errstate(divide="ignore"), pytest.raises(ag.AnomalyError):
        f(ag.Tensor([0.0]))


def test_mode_is_per_thread():
    errors = []

    def other_thread():
        try:
            with np.errstate(divide="ignore"):
                ag.log(ag.Tensor([0.0]))       # this thread is not in the mode
        except ag.AnomalyError as e:
            errors.append(e)

    with ag.detect_anomaly():
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert errors == []
