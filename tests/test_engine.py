"""The engine: order, accumulation, broadcasting, memory, retain_graph, modes, ag.grad."""
import gc
import threading
import weakref

import numpy as np
import pytest

import autograd as ag
from custom_functions import SquareAndTriple


def test_shared_subexpression_accumulates():
    x = ag.Tensor(3.0, requires_grad=True)
    y = x * x            # used three times below
    z = y + y * 2 + ag.exp(y * 0)
    z.backward()
    # dz/dx = (1 + 2) * 2x  (exp(0·y) contributes 0 through y)
    assert x.grad.item() == pytest.approx(18.0)


def test_gradients_accumulate_across_backward_calls_like_pytorch():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3 + 2, 3 + 4])


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1)])
def test_a_leaf_used_twice_gets_an_array_gradient_whatever_its_shape(shape):
    # numpy adds two 0-d arrays into a scalar (np.float64): .grad must still hold an ndarray,
    # on the first backward (two uses summed) and on the next (accumulated into .grad)
    x = ag.Tensor(np.full(shape, 0.5), requires_grad=True)
    for expected in (2.0, 4.0):
        (x * x).sum().backward()
        assert type(x.grad.data) is np.ndarray and x.grad.shape == shape
        np.testing.assert_array_equal(x.grad.data, np.full(shape, expected * 0.5))
        assert x.grad.data.flags.writeable


def test_leaf_gradients_never_share_memory():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = ag.Tensor([3.0, 4.0], requires_grad=True)
    seed = np.array([1.0, 1.0])
    (x + y).backward(seed)       # Add passes one array to both inputs
    assert x.grad.data is not y.grad.data
    assert not np.shares_memory(x.grad.data, seed)
    x.grad.data *= 10            # an in-place edit of one gradient leaves the other alone
    np.testing.assert_array_equal(y.grad.data, [1.0, 1.0])


def test_broadcasting_is_undone_to_each_input_shape():
    x = ag.Tensor(np.ones((2, 1)), requires_grad=True)
    b = ag.Tensor(np.ones(3), requires_grad=True)
    s = ag.Tensor(2.0, requires_grad=True)
    (x * b * s).sum().backward()
    assert x.grad.shape == (2, 1) and b.grad.shape == (3,) and s.grad.shape == ()
    np.testing.assert_allclose(x.grad.data, [[6.0], [6.0]])
    np.testing.assert_allclose(b.grad.data, [4.0, 4.0, 4.0])
    assert s.grad.item() == 6.0


def test_100000_op_chain_has_no_recursion_limit():
    x = ag.Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_saved_arrays_die_after_backward_unless_retained():
    x = ag.Tensor(np.ones(4), requires_grad=True)
    h = ag.exp(x)                         # Exp saves its output
    ref = weakref.ref(h.data)
    loss = h.sum()
    del h
    gc.collect()
    assert ref() is not None              # held by the graph for backward
    loss.backward()
    gc.collect()
    assert ref() is None                  # freed after backward

    h = ag.exp(x)
    ref = weakref.ref(h.data)
    loss = h.sum()
    del h
    loss.backward(retain_graph=True)
    gc.collect()
    assert ref() is not None
    loss.backward()                        # allowed: the graph was retained
    np.testing.assert_allclose(x.grad.data, 3 * np.e)


def test_intermediate_tensor_objects_are_not_kept_by_the_graph():
    x = ag.Tensor(np.ones(3), requires_grad=True)
    a = x * 2
    ref = weakref.ref(a)
    loss = (a + 1).sum()
    del a
    gc.collect()
    assert ref() is None                   # nodes hold nodes, not tensors
    loss.backward()
    np.testing.assert_allclose(x.grad.data, 2.0)


def test_second_backward_through_freed_graph_says_retain_graph():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    loss = ag.tanh(x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        loss.backward()


def test_backward_of_a_non_scalar_needs_grad():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match=r"shape \(2,\).*pass grad="):
        y.backward()
    y.backward(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(x.grad.data, [2.0, -2.0])
    with pytest.raises(RuntimeError, match=r"grad has shape \(3,\) but the tensor has shape"):
        (x * 2).backward(np.ones(3))


def test_backward_on_a_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.Tensor([1.0]).sum().backward()


def test_backward_of_a_leaf_root():
    x = ag.Tensor(2.0, requires_grad=True)
    x.backward()
    assert x.grad.item() == 1.0


def test_no_grad_and_enable_grad_as_context_managers_and_decorators():
    x = ag.Tensor([1.0], requires_grad=True)
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = x * 2
        with ag.enable_grad():
            z = x * 2
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad

    @ag.no_grad()
    def f(t):
        return t * 3

    assert not f(x).requires_grad


def test_grad_mode_is_per_thread_and_new_threads_start_enabled():
    seen = {}

    def worker():
        seen["enabled"] = ag.is_grad_enabled()
        seen["records"] = (ag.Tensor([1.0], requires_grad=True) * 2).requires_grad

    with ag.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert not ag.is_grad_enabled()
    assert seen == {"enabled": True, "records": True}


def test_grad_returns_gradients_without_touching_dot_grad():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    w = ag.Tensor([3.0, 4.0], requires_grad=True)
    h = x * w
    loss = (h * h).sum()
    gx, gh = ag.grad(loss, [x, h], retain_graph=True)
    np.testing.assert_allclose(gx.data, 2 * h.data * w.data)
    np.testing.assert_allclose(gh.data, 2 * h.data)
    assert x.grad is None and w.grad is None
    gw, = ag.grad(loss, w, grad_outputs=2.0)
    np.testing.assert_allclose(gw.data, 2 * 2 * h.data * x.data)


def test_grad_unused_input():
    x = ag.Tensor(1.0, requires_grad=True)
    unused = ag.Tensor(1.0, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ag.grad(y, [x, unused], retain_graph=True)
    gx, gu = ag.grad(y, [x, unused], allow_unused=True)
    assert gx.item() == 2.0 and gu is None


def test_grad_only_runs_what_leads_to_the_inputs():
    x = ag.Tensor(2.0, requires_grad=True)
    h = ag.exp(x)
    loss = ag.tanh(h) * 3
    gh, = ag.grad(loss, h)                  # exp's backward is not needed, nor freed
    assert gh.item() == pytest.approx(3 * (1 - np.tanh(np.exp(2.0)) ** 2))
    (h * 1).backward()                      # the graph below h is intact
    assert x.grad.item() == pytest.approx(np.exp(2.0))


def test_create_graph_gives_differentiable_gradients():
    x = ag.Tensor([0.5, -1.0], requires_grad=True)
    loss = (x ** 3).sum()
    g, = ag.grad(loss, x, create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(g.data, 3 * x.data ** 2)
    g.sum().backward()
    np.testing.assert_allclose(x.grad.data, 6 * x.data)


def test_backward_create_graph_fills_grad_with_a_graph():
    x = ag.Tensor(0.3, requires_grad=True)
    y = ag.tanh(x)
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    x.grad = None
    first.backward()
    t = np.tanh(0.3)
    assert x.grad.item() == pytest.approx(-2 * t * (1 - t * t))


class _WrongCount(ag.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class _WrongShape(ag.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sum()

    @staticmethod
    def backward(ctx, grad_output):
        return np.ones(5)


def test_custom_function_errors_name_the_function():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"_WrongCount.backward returned 1 gradient.*2 input"):
        _WrongCount.apply(x, x).sum().backward()
    with pytest.raises(RuntimeError, match=r"_WrongShape.backward returned a gradient of shape "
                                           r"\(5,\) for input 0, whose shape is \(2,\)"):
        _WrongShape.apply(x).backward()


def test_multi_output_function():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    a, b = SquareAndTriple.apply(x)
    (a.sum() + 2 * b.sum()).backward()
    np.testing.assert_allclose(x.grad.data, 2 * x.data + 6)
    x.grad = None
    a, b = SquareAndTriple.apply(x)
    b.sum().backward()                         # a gets no gradient: zeros are passed for it
    np.testing.assert_allclose(x.grad.data, [3.0, 3.0])
    assert ag.gradcheck(lambda t: SquareAndTriple.apply(t), x)


def test_needs_input_grad_lets_backward_skip_work():
    seen = []

    class Probe(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            seen.append(tuple(ctx.needs_input_grad))
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output, None

    x = ag.Tensor([1.0], requires_grad=True)
    Probe.apply(x, ag.Tensor([2.0])).sum().backward()
    assert seen == [(True, False)]
    assert x.grad.item() == 1.0


class _BadRule(ag.Function):
    """A backward rule with a bug: a matmul of the wrong shape."""

    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output @ np.ones((5, 5))


class _WritesIntoGradOutput(_BadRule):
    """A backward rule that writes into grad_output, which it must not do."""

    @staticmethod
    def backward(ctx, grad_output):
        grad_output *= 2.0
        return grad_output


def test_an_error_inside_a_backward_rule_names_the_rule_and_what_it_got():
    import sys
    x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(ValueError, match="matmul") as info:
        _BadRule.apply(x).sum().backward()
    assert x.grad is None                    # nothing was half-written
    if sys.version_info >= (3, 11):
        assert info.value.__notes__ == [
            "raised in _BadRule.backward, given grad_output of shape (3,) (float64)"]
    # a scalar loss's gradient of 1 is shared and read-only: a rule writing into it is stopped
    s = ag.Tensor(2.0, requires_grad=True)
    with pytest.raises(ValueError, match="read-only") as info:
        _WritesIntoGradOutput.apply(s).backward()
    if sys.version_info >= (3, 11):
        assert "_WritesIntoGradOutput.backward" in info.value.__notes__[0]
