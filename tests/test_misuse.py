"""The table of misuse: each case is a clear error naming the op, the argument and the shapes or
dtypes. (The nn layer's cases are in test_nn_misuse.py.)"""
import numpy as np
import pytest

import autograd as ag


def _backward_twice():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    loss = ag.exp(x).sum()
    loss.backward()
    loss.backward()


class _CountWrong(ag.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class _ShapeWrong(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad_output):
        return np.ones((4, 4))


class _ReturnsObject(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return {"not": "an array"}


def _x(*shape, grad=True):
    return ag.Tensor(np.ones(shape), requires_grad=grad)


CASES = [
    ("matmul-shapes", lambda: _x(2, 3) @ _x(4, 5), ValueError,
     r"matmul: shapes \(2, 3\) and \(4, 5\) are not aligned: the last axis of x \(3\) must "
     r"equal the second-to-last axis of y \(4\)"),
    ("matmul-vector", lambda: _x(2, 3) @ _x(2), ValueError,
     r"matmul: shapes \(2, 3\) and \(2,\).*the only axis of y \(2\)"),
    ("matmul-scalar", lambda: ag.Tensor(2.0) @ _x(1), ValueError,
     r"matmul: operands must have at least one axis, got shapes \(\) and \(1,\)"),
    ("matmul-batch", lambda: _x(2, 2, 3) @ _x(3, 3, 2), ValueError,
     r"matmul: the batch axes of shapes \(2, 2, 3\) and \(3, 3, 2\) do not broadcast"),
    ("add-broadcast", lambda: _x(2, 3) + _x(4), ValueError,
     r"add: operands of shapes \(2, 3\) and \(4,\) do not broadcast together"),
    ("mul-broadcast", lambda: _x(2, 3) * np.ones((3, 2)), ValueError,
     r"multiply: operands of shapes \(2, 3\) and \(3, 2\) do not broadcast"),
    ("where-broadcast", lambda: ag.where(np.array([True, False]), _x(3), 0.0), ValueError,
     r"where: cond, x and y of shapes \(2,\), \(3,\) and \(\) do not broadcast"),
    ("sum-axis", lambda: ag.sum(_x(2, 3), axis=2), np.exceptions.AxisError,
     r"sum: axis 2 is out of bounds for a tensor of shape \(2, 3\) \(ndim 2\)"),
    ("mean-axis-type", lambda: _x(2, 3).mean(axis=1.5), TypeError,
     r"mean: axis must be None, an int or a tuple of ints, got 1.5"),
    ("softmax-axis", lambda: ag.softmax(_x(2, 3), axis=-3), np.exceptions.AxisError,
     r"softmax: axis -3 is out of bounds for a tensor of shape \(2, 3\)"),
    ("logsumexp-repeated-axis", lambda: ag.logsumexp(_x(2, 3), axis=(1, -1)), ValueError,
     r"logsumexp: repeated axis in \(1, -1\)"),
    ("max-empty", lambda: ag.max(np.ones((0, 2))), ValueError,
     r"max: cannot reduce an empty tensor of shape \(0, 2\)"),
    ("reshape", lambda: _x(2, 3).reshape(4, 2), ValueError,
     r"reshape: cannot reshape a tensor of shape \(2, 3\) \(6 elements\) into shape \(4, 2\)"),
    ("broadcast_to", lambda: ag.broadcast_to(_x(3), (2, 4)), ValueError,
     r"broadcast_to: cannot broadcast a tensor of shape \(3,\) to shape \(2, 4\)"),
    ("concatenate", lambda: ag.concatenate([_x(2, 3), _x(2, 4)]), ValueError,
     r"concatenate: cannot join tensors of shapes \(2, 3\), \(2, 4\) along axis 0"),
    ("stack", lambda: ag.stack([_x(2), _x(3)]), ValueError,
     r"stack: tensors must all have the same shape, got \(2,\), \(3,\)"),
    ("getitem", lambda: _x(3)[5], IndexError,
     r"getitem: index 5 is invalid for a tensor of shape \(3,\)"),
    ("transpose", lambda: _x(2, 3).transpose(0, 0), ValueError,
     r"transpose: axes \(0, 0\) are not a permutation of the 2 axes of a tensor of shape"),
    ("where-cond-dtype", lambda: ag.where(np.array([1.0]), _x(1), 0.0), TypeError,
     r"where: cond must be boolean, got dtype float64"),
    ("int-requires-grad", lambda: ag.Tensor(np.arange(3), requires_grad=True), TypeError,
     r"Tensor: only floating point tensors can require gradients, got dtype int64"),
    ("bool-requires-grad_", lambda: ag.Tensor([True]).requires_grad_(), TypeError,
     r"requires_grad_: only floating point tensors can require gradients, got dtype bool"),
    ("backward-non-scalar", lambda: (_x(2) * 2).backward(), RuntimeError,
     r"backward: grad can be implicitly created only for a tensor with one element; this one "
     r"has shape \(2,\)"),
    ("backward-grad-shape", lambda: (_x(2) * 2).backward(np.ones(3)), RuntimeError,
     r"backward: grad has shape \(3,\) but the tensor has shape \(2,\)"),
    ("backward-twice", _backward_twice, RuntimeError,
     r"Exp: trying to backward through the graph a second time.*retain_graph=True"),
    ("backward-no-grad", lambda: ag.Tensor([1.0]).sum().backward(), RuntimeError,
     r"backward: this tensor does not require grad"),
    ("function-grad-count", lambda: _CountWrong.apply(_x(2), _x(2)).sum().backward(),
     RuntimeError, r"_CountWrong.backward returned 1 gradient\(s\), but forward took 2 input"),
    ("function-grad-shape", lambda: _ShapeWrong.apply(_x(2)).sum().backward(), RuntimeError,
     r"_ShapeWrong.backward returned a gradient of shape \(4, 4\) for input 0, whose shape is "
     r"\(2,\)"),
    ("function-forward-object", lambda: _ReturnsObject.apply(_x(2)), TypeError,
     r"_ReturnsObject.forward must return numpy arrays, got dict"),
    ("grad-unused", lambda: ag.grad(_x(1) * 2, [_x(1)]), RuntimeError,
     r"grad: input 0 \(shape \(1,\)\) was not used to compute the outputs; pass "
     r"allow_unused=True"),
    ("grad-input-no-grad", lambda: ag.grad(_x(1) * 2, [_x(1, grad=False)]), RuntimeError,
     r"grad: input 0 \(shape \(1,\)\) does not require grad"),
    ("grad-outputs-count", lambda: ag.grad([_x(1) * 2], [], grad_outputs=[1.0, 2.0]),
     ValueError, r"grad: got 2 grad_outputs for 1 outputs"),
    ("gradcheck-no-input", lambda: ag.gradcheck(ag.exp, _x(2, grad=False)), ValueError,
     r"gradcheck: no input requires grad"),
    ("item", lambda: _x(2, 3).item(), ValueError,
     r"item: only a tensor with one element can be converted, got shape \(2, 3\)"),
    ("ufunc", lambda: np.spacing(_x(2)), TypeError,
     r"numpy's spacing is not differentiated by autograd: use the library's function of that "
     r"name, or np.asarray\(tensor\)"),
    ("default-dtype", lambda: ag.set_default_dtype(np.int32), TypeError,
     r"set_default_dtype: expected a floating dtype, got int32"),
    ("rng", lambda: ag.randn(2, rng="seed"), TypeError,
     r"rng must be a np.random.Generator \(or a seed\), got str"),
    ("shape", lambda: ag.zeros(2, -1), ValueError,
     r"zeros: a shape holds non-negative ints, got \(2, -1\)"),
]


@pytest.mark.parametrize("call,error,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_misuse_is_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_failed_op_records_nothing():
    x = _x(2, 3)
    with pytest.raises(ValueError):
        x @ _x(4, 5)
    y = (x * 2).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.data, 2 * np.ones((2, 3)))
