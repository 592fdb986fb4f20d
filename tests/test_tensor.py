"""Tensor: attributes, dtype rules, numpy interop, conversions."""
import numpy as np
import pytest

import autograd as ag


def test_python_numbers_and_lists_take_the_default_dtype():
    assert ag.Tensor(1.5).dtype == np.float64
    assert ag.Tensor([1, 2]).dtype == np.float64
    assert ag.Tensor([True, False]).dtype == np.bool_
    assert ag.Tensor(np.array([1, 2])).dtype == np.int64      # arrays keep their dtype
    assert ag.Tensor(np.float32(2)).dtype == np.float32
    assert ag.Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_set_default_dtype():
    try:
        ag.set_default_dtype(np.float32)
        assert ag.get_default_dtype() == np.float32
        assert ag.Tensor([1.0]).dtype == np.float32
        assert ag.zeros(2).dtype == np.float32
    finally:
        ag.set_default_dtype(np.float64)
    with pytest.raises(TypeError, match="floating dtype"):
        ag.set_default_dtype(np.int32)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_requires_grad_on_integer_or_bool_is_a_type_error(dtype):
    with pytest.raises(TypeError, match=f"only floating point.*{np.dtype(dtype)}"):
        ag.Tensor(np.zeros(3, dtype), requires_grad=True)
    t = ag.Tensor(np.zeros(3, dtype))
    with pytest.raises(TypeError, match="only floating point"):
        t.requires_grad_()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_python_scalar_takes_the_tensor_dtype(dtype):
    x = ag.Tensor(np.ones(3, dtype), requires_grad=True)
    for y in (x * 2.5, 2.5 * x, x + 1, 1 - x, x / 3, 3 / x, x ** 2, 2 ** x):
        assert y.dtype == dtype
    (x * 2.5).sum().backward()
    assert x.grad.dtype == dtype


def test_numpy_on_the_left_gives_a_tensor_with_gradient():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    for y in (np.float64(2) * x, np.array([1.0, 3.0]) * x, np.ones(2) + x, np.ones(2) @ x,
              np.exp(x), np.float32(1) - x):
        assert isinstance(y, ag.Tensor) and y.requires_grad
    y = np.array([3.0, 4.0]) * x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
    assert isinstance(np.array([1.0, 5.0]) < x, ag.Tensor)


def test_unsupported_ufunc_says_what_to_do():
    with pytest.raises(TypeError, match="np.asarray"):
        np.spacing(ag.Tensor([1.0]))


def test_np_asarray_and_conversions():
    data = np.arange(6.0).reshape(2, 3)
    t = ag.Tensor(data)
    assert np.asarray(t) is data
    assert t.numpy() is data
    assert ag.Tensor(3.0).item() == 3.0 and float(ag.Tensor([2.0])) == 2.0
    with pytest.raises(ValueError, match=r"item.*shape \(2, 3\)"):
        t.item()
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and t.dtype == np.float64
    np.testing.assert_array_equal(t.T.data, data.T)


def test_leaf_flags_detach_and_name():
    x = ag.Tensor([1.0], requires_grad=True, name="x")
    y = x * 2
    assert x.is_leaf and x.grad_fn is None and x.name == "x"
    assert not y.is_leaf and type(y.grad_fn).__name__ == "Mul"
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.data is y.data
    assert "grad_fn=<Mul>" in repr(y) and "requires_grad=True" in repr(x)
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)


def test_astype_casts_and_casts_the_gradient_back():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = x.astype(np.float32)
    assert y.dtype == np.float32
    (y * y).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])
    assert x.astype(np.int64).dtype == np.int64 and not x.astype(np.int64).requires_grad


def test_comparisons_give_boolean_tensors_without_gradient():
    x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for m in (x < 2, x <= 2, x > 2, x >= 2, x == 2, x != 2):
        assert m.dtype == np.bool_ and not m.requires_grad
    np.testing.assert_array_equal(((x > 1) & (x < 3)).data, [False, True, False])
    np.testing.assert_array_equal((~(x > 1)).data, [True, False, False])
    assert hash(x) == id(x)      # comparisons do not make tensors unhashable


def test_iteration_and_len():
    x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert len(x) == 2 and len(rows) == 2
    (rows[0] * 2 + rows[1]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[2.0, 2.0], [1.0, 1.0]])


def test_creation_functions():
    assert ag.zeros(2, 3).shape == (2, 3) and ag.zeros((2, 3)).shape == (2, 3)
    assert ag.ones(4).data.sum() == 4
    assert ag.full((2,), 7.0).data.tolist() == [7.0, 7.0]
    assert ag.zeros_like(np.ones((2, 2), np.float32)).dtype == np.float32
    assert ag.ones_like(ag.Tensor([1.0, 2.0])).data.tolist() == [1.0, 1.0]
    assert ag.arange(3).data.tolist() == [0, 1, 2] and ag.arange(3).dtype.kind == "i"
    assert ag.arange(0.0, 1.0, 0.5).dtype == np.float64
    a = ag.randn(3, 2, rng=np.random.default_rng(0))
    b = ag.randn(3, 2, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(a.data, b.data)
    assert ag.rand(5, rng=1, dtype=np.float32).dtype == np.float32
    r = ag.rand(100, rng=np.random.default_rng(2)).data
    assert 0 <= r.min() and r.max() < 1
    assert ag.zeros(2, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="Generator"):
        ag.randn(2, rng="seed")
    with pytest.raises(ValueError, match="shape"):
        ag.zeros(-1)
