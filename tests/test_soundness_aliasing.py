"""Gradients handed out are the caller's own, never aliases (issue 24, case 4).

``backward(create_graph=True)`` gives recorded gradients (Tensors), and one Tensor can reach
two leaves (Add's rule returns its grad_output for both inputs) or be the caller's own ``grad``.
A leaf's ``.grad`` must be none of these: not the same Tensor as another leaf's ``.grad`` or
as the ``grad``/``grad_outputs`` given, and not sharing its array, as the plain pass (and
PyTorch, which copies the first gradient under create_graph) already ensures, while it stays
differentiable. ``ag.grad``'s results likewise alias neither each other nor ``grad_outputs``.
`make test` runs this file under both engines (AUTOGRAD_PURE_PYTHON=1 and not).
"""
import numpy as np
import pytest

import autograd as ag


def _leaves():
    return (ag.tensor([1.0, 1.0], requires_grad=True),
            ag.tensor([3.0, 3.0], requires_grad=True))


def _separate(*ts):
    """No two of ``ts`` are the same Tensor or share memory."""
    for i, s in enumerate(ts):
        for t in ts[i + 1:]:
            assert s is not t
            assert not np.shares_memory(s._data, t._data)


def _loss_through_add(a, b):
    """d/da = d/db = [1, 2]: one Tensor, Mul's gradient, reaches both leaves through Add."""
    return ((a + b) * ag.tensor([1.0, 2.0])).sum()


# -------------------------------------------------------------- backward(create_graph=True)
@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_create_graph_does_not_alias_gradients_of_two_leaves(create_graph):
    a, b = _leaves()
    _loss_through_add(a, b).backward(create_graph=create_graph)
    _separate(a.grad, b.grad)
    for p in (a, b):                # an update per parameter, in place
        p.grad += 0.1 * p
    np.testing.assert_allclose(a.grad.data, [1.1, 2.1])     # aliased: [1.4, 2.4] for both
    np.testing.assert_allclose(b.grad.data, [1.3, 2.3])


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
@pytest.mark.parametrize("as_tensor", [True, False], ids=["tensor", "array"])
def test_case4_create_graph_does_not_alias_gradients_with_the_grad_given(create_graph,
                                                                          as_tensor):
    a, b = _leaves()
    g = ag.tensor([1.0, 2.0]) if as_tensor else np.array([1.0, 2.0])
    (a + b).backward(g, create_graph=create_graph)
    g_arr = g.data if as_tensor else g
    _separate(a.grad, b.grad)
    for p in (a, b):
        assert p.grad is not g
        assert not np.shares_memory(p.grad.data, g_arr)
    for p in (a, b):
        p.grad += 0.1 * p
    np.testing.assert_allclose(a.grad.data, [1.1, 2.1])
    np.testing.assert_allclose(b.grad.data, [1.3, 2.3])
    np.testing.assert_array_equal(g_arr, [1.0, 2.0])        # the caller's gradient untouched


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_create_graph_does_not_alias_a_leaf_root_with_its_grad(create_graph):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    g = ag.tensor([5.0, 6.0])
    x.backward(g, create_graph=create_graph)
    assert x.grad is not g
    assert not np.shares_memory(x.grad.data, g.data)
    x.grad += 1.0
    np.testing.assert_array_equal(g.data, [5.0, 6.0])
    np.testing.assert_array_equal(x.grad.data, [6.0, 7.0])


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_create_graph_does_not_hand_out_a_view_of_the_grad_given(create_graph):
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    g = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    x.reshape(2, 2).backward(g, create_graph=create_graph)    # Reshape's rule: a view of g
    assert not np.shares_memory(x.grad.data, g.data)
    assert x.grad.data.base is None and x.grad.data.flags.writeable
    np.testing.assert_array_equal(x.grad.data, [1.0, 2.0, 3.0, 4.0])


def test_case4_create_graph_gradient_from_a_rule_returning_one_array_twice():
    class Twice(ag.Function):       # backward returns the very same array for both inputs
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, grad_output):
            arr = grad_output.data if isinstance(grad_output, ag.Tensor) else grad_output
            return arr, arr

    for create_graph in (False, True):
        a, b = _leaves()
        Twice.apply(a, b).backward(ag.tensor([1.0, 2.0]), create_graph=create_graph)
        _separate(a.grad, b.grad)


def test_case4_create_graph_accumulation_stays_out_of_place():
    a, b = _leaves()
    _loss_through_add(a, b).backward(create_graph=True)
    first_a, first_b = a.grad, b.grad
    _loss_through_add(a, b).backward(create_graph=True)
    _separate(a.grad, b.grad, first_a, first_b)
    np.testing.assert_array_equal(first_a.data, [1.0, 2.0])    # the earlier .grad unchanged
    np.testing.assert_array_equal(a.grad.data, [2.0, 4.0])
    np.testing.assert_array_equal(b.grad.data, [2.0, 4.0])


# ------------------------------------------------- the gradients stay differentiable
def test_case4_create_graph_gradients_stay_differentiable_hvp():
    """f = Σ c·(a+b)²: ∂f/∂a = ∂f/∂b = 2c(a+b), one Tensor for both leaves; H·v through
    ``.grad`` of either leaf: ∂(Σ v·∂f/∂a)/∂a = ∂/∂b = 2cv."""
    c, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    for which in (0, 1):
        a, b = _leaves()
        (ag.tensor(c) * (a + b) ** 2).sum().backward(create_graph=True)
        _separate(a.grad, b.grad)
        assert a.grad.requires_grad and b.grad.requires_grad
        np.testing.assert_allclose(a.grad.data, 2 * c * 4.0)
        np.testing.assert_allclose(b.grad.data, 2 * c * 4.0)
        a.grad, b.grad = (a.grad, None) if which == 0 else (None, b.grad)
        leaf_grad = a.grad if which == 0 else b.grad
        a_hv, b_hv = ag.grad((leaf_grad * ag.tensor(v)).sum(), (a, b))
        np.testing.assert_allclose(a_hv.data, 2 * c * v)
        np.testing.assert_allclose(b_hv.data, 2 * c * v)


def test_case4_create_graph_copy_of_the_grad_given_is_differentiable_in_it():
    """The copy of a ``grad`` that requires grad keeps the path to it: d(Σ w·a.grad)/dg = w."""
    a, b = _leaves()
    g = ag.tensor([1.0, 2.0], requires_grad=True)
    (a + b).backward(g, create_graph=True)
    _separate(a.grad, b.grad, g)
    w = ag.tensor([3.0, -4.0])
    dg, = ag.grad((a.grad * w).sum() + (b.grad * w).sum(), g)
    np.testing.assert_allclose(dg.data, [6.0, -8.0])


def test_case4_create_graph_second_derivative_of_a_leaf_root():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.tensor([3.0, 4.0], requires_grad=True)
    z = x * y
    z.backward(ag.tensor([1.0, 1.0]), create_graph=True)     # x.grad = y, y.grad = x
    hx, = ag.grad(x.grad.sum(), y)
    np.testing.assert_allclose(hx.data, [1.0, 1.0])


def test_case4_gradgradcheck_through_add():
    c = ag.tensor([1.0, 2.0])
    a = ag.tensor([0.3, -0.7], requires_grad=True)
    b = ag.tensor([1.1, 0.4], requires_grad=True)
    assert ag.gradgradcheck(lambda a, b: ((a + b) ** 3 * c).sum(), (a, b))


# ------------------------------------------------------------------------------ ag.grad
@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_grad_results_do_not_alias_each_other_or_grad_outputs(create_graph):
    a, b = _leaves()
    g = ag.tensor([1.0, 2.0])
    ra, rb = ag.grad(a + b, (a, b), grad_outputs=g, create_graph=create_graph)
    _separate(ra, rb, g)
    ra += 1.0
    np.testing.assert_array_equal(rb.data, [1.0, 2.0])
    np.testing.assert_array_equal(g.data, [1.0, 2.0])


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_grad_of_an_output_with_respect_to_itself_is_a_copy(create_graph):
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    g = np.array([1.0, 2.0])
    ry, rx = ag.grad(y, (y, x), grad_outputs=g, create_graph=create_graph)
    assert not np.shares_memory(ry.data, g)
    np.testing.assert_array_equal(ry.data, g)
    np.testing.assert_array_equal(rx.data, 2 * g)


def test_case4_grad_results_under_create_graph_stay_differentiable():
    a, b = _leaves()
    ra, rb = ag.grad(((a + b) ** 2).sum(), (a, b), create_graph=True)   # one Tensor, 2(a+b)
    _separate(ra, rb)
    assert ra.requires_grad and rb.requires_grad
    da, db = ag.grad(rb.sum(), (a, b))
    np.testing.assert_allclose(da.data, [2.0, 2.0])
    np.testing.assert_allclose(db.data, [2.0, 2.0])


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
def test_case4_grad_result_of_a_0d_input_is_an_array(create_graph):
    x = ag.tensor(3.0, requires_grad=True)
    r, = ag.grad(x * x, x, create_graph=create_graph)     # two 0-d contributions summed
    assert type(r.data) is np.ndarray and r.data.flags.writeable
    r += 1.0
    assert r.item() == 7.0
