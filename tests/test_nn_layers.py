"""nn.Linear, nn.MLP and the activation modules (D13–D19)."""
import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F


def test_linear_is_x_at_w_plus_b_with_the_chapters_layout():
    lin = nn.Linear(3, 2, rng=0)
    assert lin.weight.shape == (3, 2) and lin.bias.shape == (2,)
    x = np.random.default_rng(1).normal(size=(5, 3))
    np.testing.assert_allclose(lin(x).data, x @ lin.weight.data + lin.bias.data)
    assert nn.Linear(3, 2, bias=False, rng=0).bias is None


@pytest.mark.parametrize("shape", [(3,), (5, 3), (2, 1, 3)])
def test_linear_gradients_match_their_closed_forms(shape):
    """∂L/∂W = xᵀg, ∂L/∂b = Σ g, ∂L/∂x = g Wᵀ, over a vector, a matrix and a batch of them."""
    rng = np.random.default_rng(2)
    lin = nn.Linear(3, 4, rng=rng)
    x = ag.Tensor(rng.normal(size=shape), requires_grad=True)
    g = rng.normal(size=shape[:-1] + (4,))
    lin(x).backward(g)
    xs, gs = x.data.reshape(-1, 3), g.reshape(-1, 4)
    np.testing.assert_allclose(lin.weight.grad.data, xs.T @ gs)
    np.testing.assert_allclose(lin.bias.grad.data, gs.sum(axis=0))
    np.testing.assert_allclose(x.grad.data, g @ lin.weight.data.T)


def test_linear_default_init_is_pytorchs_uniform_bound():
    """weight and bias ~ U(−1/√in, 1/√in): the bound holds and the spread fills it."""
    lin = nn.Linear(400, 300, rng=0)
    bound = 1 / np.sqrt(400)
    for p in (lin.weight.data, lin.bias.data):
        assert np.abs(p).max() <= bound
        assert np.abs(p).max() > 0.98 * bound
    # the variance of U(−a, a) is a²/3
    assert lin.weight.data.var() == pytest.approx(bound ** 2 / 3, rel=0.02)


def test_linear_rng_reproduces_and_seed_equals_generator():
    a = nn.Linear(4, 3, rng=7)
    b = nn.Linear(4, 3, rng=np.random.default_rng(7))
    c = nn.Linear(4, 3, rng=8)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(a.weight.data, c.weight.data)
    with pytest.raises(TypeError, match="rng must be"):
        nn.Linear(2, 2, rng="seed")


def test_linear_float32_stays_float32_forward_and_backward():
    lin = nn.Linear(3, 2, rng=0, dtype=np.float32)
    out = lin(np.ones((4, 3)))                      # a float64 array is cast to the layer
    assert out.dtype == np.float32
    out.sum().backward()
    assert lin.weight.grad.dtype == np.float32 and lin.bias.grad.dtype == np.float32
    with pytest.raises(TypeError, match="Linear: input dtype float64 does not match the "
                                        "layer's dtype float32"):
        lin(ag.Tensor(np.ones((4, 3))))


def test_linear_checks_feature_count_and_sizes():
    lin = nn.Linear(3, 2, rng=0)
    with pytest.raises(ValueError, match=r"Linear\(in_features=3\): input of shape \(4, 2\)"):
        lin(np.ones((4, 2)))
    with pytest.raises(ValueError, match="in_features must be a positive int"):
        nn.Linear(0, 2)
    with pytest.raises(TypeError, match="dtype must be a floating dtype"):
        nn.Linear(2, 2, dtype=np.int64)


def test_mlp_structure_and_reproducibility():
    m = nn.MLP([4, 8, 8, 3], activation=nn.Tanh, output_activation=nn.Softmax, rng=0)
    assert [type(l).__name__ for l in m] == ["Linear", "Tanh", "Linear", "Tanh", "Linear",
                                             "Softmax"]
    assert [(l.in_features, l.out_features) for l in m if isinstance(l, nn.Linear)] == \
        [(4, 8), (8, 8), (8, 3)]
    out = m(np.ones((5, 4)))
    np.testing.assert_allclose(out.data.sum(axis=1), np.ones(5))
    again = nn.MLP([4, 8, 8, 3], activation=nn.Tanh, output_activation=nn.Softmax, rng=0)
    for p, q in zip(m.parameters(), again.parameters()):
        np.testing.assert_array_equal(p.data, q.data)
    # activations may be given as instances (copied per use) or zero-argument callables
    leaky = nn.MLP([2, 3, 3, 1], activation=nn.LeakyReLU(0.2), rng=0)
    assert leaky[1] is not leaky[3] and leaky[3].negative_slope == 0.2
    elu = nn.MLP([2, 3, 1], activation=lambda: nn.ELU(0.5), rng=0)
    assert elu[1].alpha == 0.5
    with pytest.raises(ValueError, match="MLP: sizes must list"):
        nn.MLP([3])
    with pytest.raises(TypeError, match="MLP: activation must be"):
        nn.MLP([2, 2, 1], activation=3)


def test_mlp_float32_end_to_end():
    m = nn.MLP([3, 5, 2], rng=0, dtype=np.float32)
    loss = nn.CrossEntropyLoss()(m(np.ones((4, 3))), np.array([0, 1, 1, 0]))
    assert loss.dtype == np.float32
    loss.backward()
    assert all(p.grad.dtype == np.float32 for p in m.parameters())


# ----------------------------------------------------------------------------- activations
Z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])


def _value_and_derivative(module, z):
    x = ag.Tensor(z, requires_grad=True)
    out = module(x)
    out.sum().backward()
    return out.data, x.grad.data


@pytest.mark.parametrize("module, value, derivative", [
    (nn.Identity(), lambda z: z, lambda z: np.ones_like(z)),                          # D13
    (nn.ELU(), lambda z: np.where(z > 0, z, np.expm1(z)),
     lambda z: np.where(z > 0, 1.0, np.exp(z))),                                       # D14
    (nn.ELU(alpha=0.5), lambda z: np.where(z > 0, z, 0.5 * np.expm1(z)),
     lambda z: np.where(z > 0, 1.0, 0.5 * np.exp(z))),
    (nn.ReLU(), lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),          # D15
    (nn.LeakyReLU(), lambda z: np.where(z > 0, z, 0.01 * z),
     lambda z: np.where(z > 0, 1.0, 0.01)),                                            # D16
    (nn.LeakyReLU(0.3), lambda z: np.where(z > 0, z, 0.3 * z),
     lambda z: np.where(z > 0, 1.0, 0.3)),
    (nn.Sigmoid(), lambda z: 1 / (1 + np.exp(-z)),
     lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),                                    # D17
    (nn.Tanh(), np.tanh, lambda z: 1 - np.tanh(z) ** 2),                               # D18
    (nn.Softplus(), lambda z: np.log1p(np.exp(z)), lambda z: 1 / (1 + np.exp(-z))),
])
def test_activation_modules_value_and_derivative_D13_to_D18(module, value, derivative):
    out, grad = _value_and_derivative(module, Z)
    np.testing.assert_allclose(out, value(Z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grad, derivative(Z), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("shape, axis", [((4,), -1), ((3, 4), -1), ((3, 4), 0),
                                         ((2, 1, 4), -1)])
def test_softmax_and_log_softmax_modules_D8_D9_D19(shape, axis):
    z = np.random.default_rng(0).normal(size=shape) * 3
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    y = e / e.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(nn.Softmax(axis=axis)(z).data, y, rtol=1e-12)
    np.testing.assert_allclose(nn.LogSoftmax(axis=axis)(z).data, np.log(y), rtol=1e-12,
                               atol=1e-14)
    np.testing.assert_allclose(nn.Softmax(axis)(z).data.sum(axis=axis), 1.0)


def test_softmax_module_jacobian_D10():
    """∂y_i/∂z_j = y_i(δ_ij − y_j): one backward per output row."""
    z = np.array([0.3, -1.2, 2.0])
    y = nn.Softmax()(z).data
    rows = []
    for i in range(3):
        x = ag.Tensor(z, requires_grad=True)
        (g,) = ag.grad(nn.Softmax()(x)[i], x)
        rows.append(g.data)
    np.testing.assert_allclose(np.stack(rows), np.diag(y) - np.outer(y, y), atol=1e-15)


def test_activation_functional_names_match_modules():
    z = np.linspace(-2, 2, 7)
    for fn, module in [(F.relu, nn.ReLU()), (F.tanh, nn.Tanh()), (F.sigmoid, nn.Sigmoid()),
                       (F.elu, nn.ELU()), (F.leaky_relu, nn.LeakyReLU()),
                       (F.softmax, nn.Softmax()), (F.log_softmax, nn.LogSoftmax()),
                       (F.identity, nn.Identity())]:
        np.testing.assert_array_equal(np.asarray(fn(z)), np.asarray(module(z)))


def test_activations_keep_float32():
    z = np.linspace(-2, 2, 5).astype(np.float32)
    for module in (nn.ReLU(), nn.LeakyReLU(), nn.ELU(), nn.Sigmoid(), nn.Tanh(),
                   nn.Softmax(), nn.LogSoftmax(), nn.Softplus()):
        assert module(ag.Tensor(z)).dtype == np.float32, module


def test_sequential_named_children_by_attribute():
    from collections import OrderedDict
    hidden = nn.Linear(2, 3, rng=0)
    model = nn.Sequential(OrderedDict(hidden=hidden, act=nn.ReLU()))
    assert model.hidden is hidden and model[0] is hidden
    assert [k for k, _ in model.named_parameters()] == ["hidden.weight", "hidden.bias"]
    with pytest.raises(AttributeError, match="no attribute or submodule 'nope'"):
        model.nope


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 4, 3), (1, 3)])
def test_fused_affine_is_checked_to_second_order(shape):
    """Linear records one Affine node (x @ W + b); its rule is gradient-checked twice."""
    lin = nn.Linear(3, 2, rng=0)
    x = ag.Tensor(np.random.default_rng(1).normal(size=shape), requires_grad=True)
    out = lin(x)
    assert type(out.grad_fn).__name__ == "Affine" and out.shape == shape[:-1] + (2,)
    f = lambda x, w, b: nn.layers.Affine.apply(x, w, b)
    assert ag.gradcheck(f, (x, lin.weight, lin.bias))
    assert ag.gradgradcheck(f, (x, lin.weight, lin.bias))


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 4, 3), (1, 3)])
def test_fused_affine_relu_is_checked_to_second_order(shape):
    """Sequential records Linear → ReLU as one AffineReLU node: max(0, xW + b), D15's mask."""
    lin = nn.Linear(3, 4, rng=0)
    # inputs away from the kink, so that finite differences do not straddle it
    x = ag.Tensor(np.random.default_rng(1).normal(size=shape), requires_grad=True)
    out = nn.Sequential(lin, nn.ReLU())(x)
    assert type(out.grad_fn).__name__ == "AffineReLU" and out.shape == shape[:-1] + (4,)
    f = lambda x, w, b: nn.layers.AffineReLU.apply(x, w, b)
    assert ag.gradcheck(f, (x, lin.weight, lin.bias))
    assert ag.gradgradcheck(f, (x, lin.weight, lin.bias))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fused_pair_equals_the_two_modules_exactly(dtype):
    """Values and gradients of the fused node are those of Linear then ReLU, bit for bit; some
    pre-activations are exactly 0 (the kink) and some negative, so the mask matters."""
    rng = np.random.default_rng(2)
    model = nn.MLP([5, 6, 6, 3], rng=3, dtype=dtype)
    model[0].bias.data[:2] = 0.0
    X = rng.normal(size=(7, 5)).astype(dtype)
    X[0] = 0.0                                     # row 0 meets the kink in the first layer
    fused = model(X)
    assert [type(n).__name__ for n in _chain(fused)] == ["Affine", "AffineReLU", "AffineReLU"]
    (fused ** 2).sum().backward()
    grads = [p.grad.numpy().copy() for p in model.parameters()]
    model.zero_grad()
    h = X
    for m in model:                                # the modules one by one: Affine, ReLU, ...
        h = m(h)
    assert [type(n).__name__ for n in _chain(h)][:2] == ["Affine", "ReLU"]
    np.testing.assert_array_equal(fused.numpy(), h.numpy())
    assert fused.dtype == dtype
    (h ** 2).sum().backward()
    for g, p in zip(grads, model.parameters()):
        np.testing.assert_array_equal(g, p.grad.numpy())


def _chain(t):
    """The node types from ``t`` down its first input, newest first."""
    out, node = [], t.grad_fn
    while node is not None:
        out.append(node)
        edge = node._next[0]
        if edge is None or isinstance(edge, ag.Tensor):
            break
        node = edge[0] if type(edge) is tuple else edge
    return out


def test_only_the_exact_pair_fuses():
    """A ReLU subclass, a bias-free Linear, a lone Linear or scope tracking keep their nodes."""
    class MyReLU(nn.ReLU):
        def forward(self, x):
            return super().forward(x) * 2.0

    x = np.ones((2, 3))
    out = nn.Sequential(nn.Linear(3, 2, rng=0), MyReLU())(x)
    assert type(out.grad_fn).__name__ == "Mul"
    out = nn.Sequential(nn.Linear(3, 2, bias=False, rng=0), nn.ReLU())(x)
    assert type(out.grad_fn).__name__ == "ReLU"
    out = nn.Sequential(nn.ReLU(), nn.Linear(3, 2, rng=0))(x)
    assert type(out.grad_fn).__name__ == "Affine"
    with nn.track_scopes():
        out = nn.Sequential(nn.Linear(3, 2, rng=0), nn.ReLU())(x)
    assert type(out.grad_fn).__name__ == "ReLU" and out.grad_fn.scope == "1"
