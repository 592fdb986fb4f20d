"""The chapter's closed forms at the op level, each named by its number in docs/derivations.md."""
import warnings

import numpy as np
import pytest

import autograd as ag

Z = np.linspace(-3, 3, 13)
Z = Z[np.abs(Z) > 1e-9]          # the kinks at 0 are checked separately


def derivative(fn, z):
    """dfn/dz elementwise, by the engine."""
    x = ag.Tensor(z, requires_grad=True)
    fn(x).sum().backward()
    return x.grad.data


def test_xor_network_with_the_chapters_weights_D4():
    X = ag.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    W = ag.Tensor([[1, 1], [1, 1]], requires_grad=True)
    c = ag.Tensor([0, -1], requires_grad=True)
    w = ag.Tensor([1, -2], requires_grad=True)
    b = ag.Tensor(0.0, requires_grad=True)
    pre = X @ W + c
    np.testing.assert_array_equal(pre.data, [[0, -1], [1, 0], [1, 0], [2, 1]])
    h = ag.relu(pre)
    np.testing.assert_array_equal(h.data, [[0, 0], [1, 0], [1, 0], [2, 1]])
    out = h @ w + b
    np.testing.assert_array_equal(out.data, [0, 1, 1, 0])


def test_two_linear_layers_stay_linear_D3():
    rng = np.random.default_rng(3)
    W, w, x = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=2)
    composed = ag.Tensor(w) @ (ag.Tensor(W).T @ ag.Tensor(x))
    assert composed.item() == pytest.approx(x @ (W @ w))


def test_linear_activation_derivative_D13():
    m = 2.5
    np.testing.assert_allclose(derivative(lambda x: x * m, Z), np.full_like(Z, m))


@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_elu_and_its_derivative_D14(alpha):
    np.testing.assert_allclose(ag.elu(Z, alpha).data,
                               np.where(Z > 0, Z, alpha * (np.exp(Z) - 1)))
    np.testing.assert_allclose(derivative(lambda x: ag.elu(x, alpha), Z),
                               np.where(Z > 0, 1, alpha * np.exp(Z)))
    assert ag.elu(-1e4, alpha).item() == pytest.approx(-alpha)   # tends to −α


def test_relu_and_its_derivative_with_zero_at_the_kink_D15():
    np.testing.assert_array_equal(ag.relu(Z).data, np.where(Z > 0, Z, 0))
    np.testing.assert_array_equal(derivative(ag.relu, Z), np.where(Z > 0, 1.0, 0.0))
    assert derivative(ag.relu, np.array([0.0])).item() == 0.0


@pytest.mark.parametrize("slope", [0.01, 0.2])
def test_leaky_relu_and_its_derivative_D16(slope):
    np.testing.assert_allclose(ag.leaky_relu(Z, slope).data, np.where(Z > 0, Z, slope * Z))
    np.testing.assert_allclose(derivative(lambda x: ag.leaky_relu(x, slope), Z),
                               np.where(Z > 0, 1.0, slope))


def test_sigmoid_and_its_derivative_D17():
    s = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(ag.sigmoid(Z).data, s)
    np.testing.assert_allclose(derivative(ag.sigmoid, Z), s * (1 - s))


def test_tanh_and_its_derivative_D18():
    t = (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))
    np.testing.assert_allclose(ag.tanh(Z).data, t)
    np.testing.assert_allclose(derivative(ag.tanh, Z), 1 - t ** 2)


@pytest.mark.parametrize("z", [np.array([1.0, 2.0, 0.5]), np.array([[1.0, -1.0, 0.0, 3.0]])])
def test_softmax_is_a_distribution_D8_D19(z):
    y = ag.softmax(z).data
    np.testing.assert_allclose(y, np.exp(z) / np.exp(z).sum(-1, keepdims=True))
    assert ((0 < y) & (y < 1)).all()
    np.testing.assert_allclose(y.sum(-1), 1.0)


def test_log_softmax_D9():
    z = np.array([1.0, 2.0, 0.5, -3.0])
    np.testing.assert_allclose(ag.log_softmax(z).data, z - np.log(np.exp(z).sum()))


def test_softmax_jacobian_is_diag_y_minus_y_yT_D10():
    z = np.array([0.3, -1.2, 2.0, 0.7])
    y = ag.softmax(z).data
    x = ag.Tensor(z, requires_grad=True)
    out = ag.softmax(x)
    rows = []
    for i in range(4):                   # row i = ∂y_i/∂z by one backward pass each
        g, = ag.grad(out, x, grad_outputs=np.eye(4)[i], retain_graph=True)
        rows.append(g.data)
    J = np.array(rows)
    np.testing.assert_allclose(J, np.diag(y) - np.outer(y, y), atol=1e-15)
    # entrywise: y_i(1 − y_i) on the diagonal, −y_i y_j off it
    np.testing.assert_allclose(np.diag(J), y * (1 - y))
    assert J[0, 1] == pytest.approx(-y[0] * y[1])


def test_cross_entropy_of_softmax_has_gradient_y_minus_t_D11_D12():
    z = np.array([[0.3, -1.2, 2.0], [1.0, 1.0, -0.5]])
    t = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    x = ag.Tensor(z, requires_grad=True)
    xi = -(ag.Tensor(t) * ag.log_softmax(x)).sum()          # D11: summed over samples
    y = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    assert xi.item() == pytest.approx(-(t * np.log(y)).sum())
    xi.backward()
    np.testing.assert_allclose(x.grad.data, y - t)


def test_sigmoid_maximum_likelihood_gradient_does_not_saturate_D7():
    """D7: loss softplus((1 − 2y)z) has gradient σ(z) − y: about ±1 when confidently wrong,
    while σ with squared error has gradient (σ − y)σ(1 − σ), about 0 there."""
    z = np.array([-8.0, 8.0])
    label = np.array([1.0, 0.0])               # both confidently wrong
    x = ag.Tensor(z, requires_grad=True)
    ag.softplus((1 - 2 * label) * x).sum().backward()
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(x.grad.data, s - label)
    assert np.abs(x.grad.data).min() > 0.99
    mse_grad = derivative(lambda t: ((ag.sigmoid(t) - label) ** 2).sum() / 2, z)
    assert np.abs(mse_grad).max() < 1e-3


def test_linear_model_at_the_normal_equations_optimum_has_zero_gradient_D1_D2():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([0, 1, 1, 0], dtype=float)
    A = np.hstack([X, np.ones((4, 1))])
    w_b = np.linalg.solve(A.T @ A, A.T @ t)          # the normal equations
    np.testing.assert_allclose(w_b, [0, 0, 0.5], atol=1e-12)
    w = ag.Tensor(w_b[:2], requires_grad=True)
    b = ag.Tensor(w_b[2], requires_grad=True)
    J = ((ag.Tensor(t) - (ag.Tensor(X) @ w + b)) ** 2).sum() / 4
    J.backward()
    assert J.item() == pytest.approx(0.25)
    np.testing.assert_allclose(w.grad.data, 0, atol=1e-12)
    assert abs(b.grad.item()) < 1e-12


def test_extreme_inputs_stay_finite_and_quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # any overflow warning fails the test
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow is fine
            s = ag.sigmoid(ag.Tensor([-1000.0, 1000.0], requires_grad=True))
            np.testing.assert_array_equal(s.data, [0.0, 1.0])
            big = ag.Tensor([1e4, -1e4, 0.0], requires_grad=True)
            ls = ag.log_softmax(big)
            np.testing.assert_allclose(ls.data, [0.0, -2e4, -1e4])
            assert ag.logsumexp(big).item() == pytest.approx(1e4)
            ls.sum().backward()
            assert np.isfinite(big.grad.data).all()
            assert ag.softplus(ag.Tensor([1e4, -1e4])).data.tolist() == [1e4, 0.0]
