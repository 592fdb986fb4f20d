"""What a numpy or PyTorch user reaches for first (issue 25, item 7): formatting a 0-d loss,
``tolist()``, a warning when ``.grad`` of a non-leaf is read (and ``retain_grad()`` to keep
it), ``gradcheck`` with one tensor passed twice, and a gradcheck report that says where an
all-zero gradient may have been lost."""
import warnings

import numpy as np
import pytest

import autograd as ag


def test_a_0d_tensor_formats_as_its_number():
    loss = ag.tensor(0.123456, requires_grad=True) * 2.0
    assert f"{loss:.4f}" == "0.2469"
    assert f"{loss:>10.2e}" == f"{0.246912:>10.2e}"
    assert f"{ag.tensor(np.float32(1.5)):g}" == "1.5"
    assert f"{ag.tensor(7, dtype=np.int64):03d}" == "007"
    assert f"{loss}" == str(loss)


def test_a_number_format_on_a_larger_tensor_says_what_to_do():
    with pytest.raises(TypeError, match=r"format: the spec '\.2f' formats one number, and this "
                                        r"tensor has shape \(2,\)"):
        f"{ag.tensor([1.0, 2.0]):.2f}"


@pytest.mark.parametrize("data", [3.5, [1.0, 2.0], [[1, 2], [3, 4]], [[True], [False]]])
def test_tolist_is_numpys(data):
    t = ag.tensor(np.array(data))
    assert t.tolist() == np.array(data).tolist()
    assert type(t.tolist()) is type(np.array(data).tolist())


def test_reading_grad_of_a_non_leaf_warns_once_per_place():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w = w - 0.1 * w.grad            # outside no_grad: w is now computed, not a leaf
    with pytest.warns(UserWarning, match=r"reading \.grad of a tensor that is no leaf \(made by "
                                         r"Sub\).*retain_grad.*ag\.no_grad"):
        assert w.grad is None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for _ in range(3):
            w.grad
    assert len(caught) == 1


def test_reading_grad_of_a_leaf_or_a_retained_tensor_is_silent():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3.0
    h.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.grad is None and h.grad is None
        (h * h).sum().backward()
        assert x.grad is not None


@pytest.mark.parametrize("create_graph", [False, True])
def test_retain_grad_keeps_a_non_leafs_gradient_and_accumulates(create_graph):
    x = ag.tensor([1.0, -2.0], requires_grad=True)
    h = ag.tanh(x) * 3.0
    h.retain_grad()
    for k in (1, 2):
        (h * h).sum().backward(retain_graph=True, create_graph=create_graph)
        np.testing.assert_allclose(h.grad.numpy(), k * 2 * h.numpy())
    np.testing.assert_allclose(x.grad.numpy(),
                               2 * 2 * h.numpy() * 3 * (1 - np.tanh([1.0, -2.0]) ** 2))
    assert h.grad.requires_grad == create_graph


def test_retain_grad_on_an_output_of_several_and_on_the_root():
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    a, b = ag.split(x * 1.0, 2)
    loss = (a * 2.0).sum() + (b * b).sum()
    for t in (a, b, loss):
        t.retain_grad()
    loss.backward()
    np.testing.assert_array_equal(a.grad.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(b.grad.numpy(), [6.0, 8.0])
    assert loss.grad.item() == 1.0


def test_retain_grad_ends_with_the_tensor():
    from autograd.tensor import _RETAINED
    x = ag.tensor([1.0], requires_grad=True)
    h = x * 2.0
    h.retain_grad()
    assert _RETAINED
    del h
    assert not _RETAINED            # and backward takes the compiled pass again


def test_gradcheck_with_one_tensor_passed_twice_checks_each_argument():
    """(x, x): each position is an argument of its own, whose partial derivative both
    Jacobians take (it used to compare the total with the partial, and fail)."""
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert ag.gradcheck(lambda a, b: (a * b * b).sum(), (x, x))
    assert ag.gradgradcheck(lambda a, b: (a * b * a).sum(), (x, x))
    assert x.grad is None and x.numpy().tolist() == [1.0, 2.0]


class _LostThroughNumpy(ag.Function):
    """Its backward gives zeros, as a rule that dropped its gradient would."""

    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * 0.0


def test_an_all_zero_gradient_points_to_numpy_calls_and_data():
    with pytest.raises(ag.GradcheckError, match=r"analytic Jacobian is all zeros.*lost.*numpy "
                                                r"call.*np\.asarray\(t\).*\.data"):
        ag.gradcheck(_LostThroughNumpy.apply, ag.tensor([1.0, 2.0], requires_grad=True))
