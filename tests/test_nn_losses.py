"""Losses: values and gradients against the chapter's closed forms (D1, D6, D7, D11, D12),
every reduction, float32, gradcheck (first and second order), and the argument checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd as ag
import nn
import nn.functional as F

REDUCTIONS = ["mean", "sum", "none"]
SHAPES = [(), (3,), (2, 3), (2, 1, 3)]


def _reduce(values, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](values)


def _grad_scale(shape, reduction, rng):
    """The seed of backward and the factor each element's gradient gets from the reduction."""
    n = int(np.prod(shape))
    if reduction == "none":
        seed = rng.normal(size=shape)
        return seed, seed
    return None, (1.0 / n if reduction == "mean" else 1.0)


def _run(loss_fn, x, *rest, seed=None):
    x = ag.Tensor(x, requires_grad=True)
    loss = loss_fn(x, *rest)
    loss.backward(seed)
    return loss, x.grad.data


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------------------- MSE
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_value_and_gradient_D1(shape, reduction):
    """(ŷ − y)², reduced; ∂/∂ŷ = 2(ŷ − y) times the reduction's factor."""
    rng = np.random.default_rng(0)
    yhat, y = rng.normal(size=shape), rng.normal(size=shape)
    seed, factor = _grad_scale(shape, reduction, rng)
    loss, grad = _run(nn.MSELoss(reduction=reduction), yhat, y, seed=seed)
    np.testing.assert_allclose(loss.data, _reduce((yhat - y) ** 2, reduction))
    np.testing.assert_allclose(grad, 2 * (yhat - y) * factor)


def test_mse_on_xor_is_the_chapters_J_D1():
    """J(θ) = 1/4 Σ (f*(x) − f(x))²: the network outputting 0.5 everywhere has J = 1/4."""
    target = np.array([0.0, 1.0, 1.0, 0.0])
    assert F.mse_loss(np.full(4, 0.5), target).item() == pytest.approx(0.25)


# ----------------------------------------------------------------------------- Gaussian NLL
@pytest.mark.parametrize("shape", SHAPES)
def test_gaussian_nll_with_unit_variance_is_squared_error_D6(shape):
    """−log N(y; ŷ, 1) = ½ log 2π + ½ (y − ŷ)², and −∂ log N/∂ŷ = ŷ − y."""
    rng = np.random.default_rng(1)
    yhat, y = rng.normal(size=shape), rng.normal(size=shape)
    loss, grad = _run(nn.GaussianNLLLoss(full=True, reduction="sum"), yhat, y, 1.0)
    log_density = -0.5 * np.log(2 * np.pi) - 0.5 * (y - yhat) ** 2
    np.testing.assert_allclose(loss.data, -log_density.sum())
    np.testing.assert_allclose(grad, yhat - y)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_value_and_gradients_in_mean_and_variance_D6(reduction, full):
    """½(log v + d²/v) [+ ½ log 2π]; ∂/∂ŷ = d/v, ∂/∂v = ½(1/v − d²/v²), d = ŷ − y."""
    rng = np.random.default_rng(2)
    yhat, y, v = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)), rng.uniform(0.5, 2, (4, 3))
    seed, factor = _grad_scale((4, 3), reduction, rng)
    x, var = ag.Tensor(yhat, requires_grad=True), ag.Tensor(v, requires_grad=True)
    loss = F.gaussian_nll_loss(x, y, var, full=full, reduction=reduction)
    loss.backward(seed)
    d = yhat - y
    expected = 0.5 * (np.log(v) + d ** 2 / v) + (0.5 * np.log(2 * np.pi) if full else 0)
    np.testing.assert_allclose(loss.data, _reduce(expected, reduction))
    np.testing.assert_allclose(x.grad.data, d / v * factor)
    np.testing.assert_allclose(var.grad.data, 0.5 * (1 / v - d ** 2 / v ** 2) * factor)


@pytest.mark.parametrize("var_shape", [(4, 3), (4, 1), (4,), ()])
def test_gaussian_nll_variance_shapes_broadcast_as_pytorch(var_shape):
    rng = np.random.default_rng(3)
    yhat, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    v = rng.uniform(0.5, 2, var_shape)
    full_v = v.reshape(4, 1) if var_shape == (4,) else v
    expected = (0.5 * (np.log(full_v) + (yhat - y) ** 2 / full_v)).mean()
    assert F.gaussian_nll_loss(yhat, y, v).item() == pytest.approx(expected)


def test_gaussian_nll_clamps_variance_and_checks_it():
    loss = F.gaussian_nll_loss(np.zeros(2), np.zeros(2), np.zeros(2), eps=1e-6)
    assert loss.item() == pytest.approx(0.5 * np.log(1e-6))
    with pytest.raises(ValueError, match="gaussian_nll_loss: var has negative entries"):
        F.gaussian_nll_loss(np.zeros(2), np.zeros(2), np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"gaussian_nll_loss: var of shape \(3,\) does not "
                                         r"fit input of shape \(4, 2\)"):
        F.gaussian_nll_loss(np.zeros((4, 2)), np.zeros((4, 2)), np.ones(3))


# ----------------------------------------------------------------------------- BCE
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_value_and_gradient_D11(shape, reduction):
    """The two-class case of D11: −t log p − (1 − t) log(1 − p); ∂/∂p = (p − t)/(p(1 − p))."""
    rng = np.random.default_rng(4)
    p, t = rng.uniform(0.05, 0.95, shape), rng.uniform(0, 1, shape)
    seed, factor = _grad_scale(shape, reduction, rng)
    loss, grad = _run(nn.BCELoss(reduction=reduction), p, t, seed=seed)
    np.testing.assert_allclose(loss.data, _reduce(-t * np.log(p) - (1 - t) * np.log(1 - p),
                                                  reduction))
    np.testing.assert_allclose(grad, (p - t) / (p * (1 - p)) * factor)


def test_bce_probabilities_of_exactly_0_and_1_are_finite():
    """Logs are clamped at −100 (as PyTorch): a certain wrong answer costs 100."""
    p = ag.Tensor([0.0, 1.0, 0.0, 1.0], requires_grad=True)
    loss = F.binary_cross_entropy(p, np.array([0.0, 1.0, 1.0, 0.0]), reduction="none")
    np.testing.assert_array_equal(loss.data, [0, 0, 100, 100])
    loss.sum().backward()
    # (p − t) / max(p(1 − p), 1e-12): zero where right, large but finite where wrong
    np.testing.assert_allclose(p.grad.data, [0, 0, -1e12, 1e12])


def test_bce_rejects_values_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: input probabilities must lie "
                                         r"in \[0, 1\], got values in \[-0.1, 0.5\]"):
        F.binary_cross_entropy(np.array([-0.1, 0.5]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="binary_cross_entropy: target must lie in"):
        F.binary_cross_entropy(np.array([0.2, 0.5]), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits: target must lie"):
        F.binary_cross_entropy_with_logits(np.array([0.2, 0.5]), np.array([-1.0, 1.0]))


# ----------------------------------------------------------------------------- BCE with logits
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_is_softplus_and_its_gradient_is_sigma_minus_y_D7(shape, reduction):
    """ℓ(z) = softplus((1 − 2y)z) for y ∈ {0, 1}; ∂ℓ/∂z = σ(z) − y."""
    rng = np.random.default_rng(5)
    z, y = rng.normal(size=shape) * 3, rng.integers(0, 2, shape).astype(float)
    seed, factor = _grad_scale(shape, reduction, rng)
    loss, grad = _run(nn.BCEWithLogitsLoss(reduction=reduction), z, y, seed=seed)
    np.testing.assert_allclose(loss.data, _reduce(np.logaddexp(0, (1 - 2 * y) * z), reduction))
    np.testing.assert_allclose(grad, (_sigmoid(z) - y) * factor)


def test_bce_with_logits_is_exact_for_huge_logits_D7():
    z = ag.Tensor([1e4, 1e4, -1e4, -1e4, 30.0, -30.0], requires_grad=True)
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    loss = F.binary_cross_entropy_with_logits(z, y, reduction="none")
    np.testing.assert_allclose(loss.data, [0, 1e4, 1e4, 0, np.exp(-30), np.exp(-30)],
                               rtol=1e-12)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad.data, [0, 1, -1, 0, -np.exp(-30), np.exp(-30)],
                               rtol=1e-12, atol=1e-300)


def test_bce_with_logits_does_not_saturate_when_confidently_wrong_D7():
    """At z = −10 with y = 1, σ + squared error has a vanishing gradient; the likelihood loss
    keeps a gradient of almost −1."""
    z = ag.Tensor([-10.0], requires_grad=True)
    F.mse_loss(ag.sigmoid(z), np.array([1.0]), reduction="sum").backward()
    squared = z.grad.data[0]
    z.grad = None
    F.binary_cross_entropy_with_logits(z, np.array([1.0]), reduction="sum").backward()
    assert abs(squared) < 1e-4
    assert z.grad.data[0] == pytest.approx(_sigmoid(-10.0) - 1)


def test_bce_with_logits_equals_bce_of_sigmoid_and_soft_targets_work():
    rng = np.random.default_rng(6)
    z, t = rng.normal(size=5), rng.uniform(0, 1, 5)
    assert F.binary_cross_entropy_with_logits(z, t).item() == \
        pytest.approx(F.binary_cross_entropy(_sigmoid(z), t).item(), rel=1e-12)


# ----------------------------------------------------------------------------- cross-entropy
def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


LOGIT_SHAPES = [(4,), (5, 4), (2, 3, 4), (40, 10)]    # 40x10: worked on transposed


@pytest.mark.parametrize("shape", LOGIT_SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("form", ["labels", "onehot", "probabilities"])
def test_cross_entropy_sums_minus_t_log_y_and_its_gradient_is_y_minus_t_D11_D12(
        shape, reduction, form):
    rng = np.random.default_rng(7)
    z = rng.normal(size=shape) * 2
    labels = rng.integers(0, shape[-1], shape[:-1])
    onehot = np.eye(shape[-1])[labels]
    target = {"labels": labels, "onehot": onehot,
              "probabilities": _softmax(rng.normal(size=shape))}[form]
    t = onehot if form == "labels" else target
    seed, factor = _grad_scale(shape[:-1], reduction, rng)
    loss, grad = _run(nn.CrossEntropyLoss(reduction=reduction), z, target, seed=seed)
    y = _softmax(z)
    per_sample = -(t * np.log(y)).sum(axis=-1)                  # D11
    np.testing.assert_allclose(loss.data, _reduce(per_sample, reduction))
    factor = np.asarray(factor)[..., None] if reduction == "none" else factor
    np.testing.assert_allclose(grad, (y - t) * factor, atol=1e-15)   # D12


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), classes=st.integers(1, 6), scale=st.floats(0.01, 50),
       seed=st.integers(0, 2 ** 32 - 1))
def test_cross_entropy_labels_and_onehot_agree_and_gradient_is_y_minus_t_D12(n, classes, scale,
                                                                             seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, classes)) * scale
    labels = rng.integers(0, classes, n)
    a, b = ag.Tensor(z, requires_grad=True), ag.Tensor(z, requires_grad=True)
    la, lb = F.cross_entropy(a, labels, "sum"), F.cross_entropy(b, np.eye(classes)[labels], "sum")
    assert la.item() == pytest.approx(lb.item(), rel=1e-12, abs=1e-12)
    assert la.item() >= 0
    la.backward()
    lb.backward()
    expected = _softmax(z) - np.eye(classes)[labels]
    np.testing.assert_allclose(a.grad.data, expected, atol=1e-12)
    np.testing.assert_allclose(b.grad.data, expected, atol=1e-12)


def test_cross_entropy_sum_over_samples_is_the_chapters_xi_D11():
    """ξ(T, Y) = −Σ_i Σ_c t_ic log y_ic with the chapter's sum over samples."""
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    labels = np.array([0, 2])
    y = _softmax(z)
    expected = -(np.log(y[0, 0]) + np.log(y[1, 2]))
    assert F.cross_entropy(z, labels, reduction="sum").item() == pytest.approx(expected)


def test_two_class_cross_entropy_is_the_logistic_loss_D11():
    """With t₂ = 1 − t₁, −Σ t log y = −t log y − (1 − t) log(1 − y), y = softmax(z)₁."""
    z = np.array([[1.3, -0.4], [-2.0, 0.7]])
    t = np.array([0.8, 0.1])
    y1 = _softmax(z)[:, 0]
    two = np.stack([t, 1 - t], axis=1)
    assert F.cross_entropy(z, two, reduction="sum").item() == pytest.approx(
        F.binary_cross_entropy(y1, t, reduction="sum").item(), rel=1e-12)


@pytest.mark.parametrize("reps", [1, 20])     # 20: 40 rows, worked on transposed
def test_cross_entropy_is_stable_for_huge_logits(reps):
    z = ag.Tensor(np.tile([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], (reps, 1)), requires_grad=True)
    loss = F.cross_entropy(z, np.tile([1, 2], reps), reduction="none")
    np.testing.assert_allclose(loss.data, np.tile([2e4, np.log(2)], reps))
    loss.sum().backward()
    np.testing.assert_allclose(z.grad.data, np.tile([[1, -1, 0], [0, 0.5, -0.5]], (reps, 1)),
                               atol=1e-300)


def test_cross_entropy_with_masked_logits():
    z = np.array([[-np.inf, 0.0, 0.0]])
    assert F.cross_entropy(z, np.array([1])).item() == pytest.approx(np.log(2))


def test_cross_entropy_gradient_to_probability_targets():
    """∂ξ/∂t = −log softmax(z) (knowledge distillation needs it)."""
    rng = np.random.default_rng(8)
    z = rng.normal(size=(3, 4))
    t = ag.Tensor(_softmax(rng.normal(size=(3, 4))), requires_grad=True)
    F.cross_entropy(z, t, reduction="sum").backward()
    np.testing.assert_allclose(t.grad.data, -np.log(_softmax(z)))


def test_nll_loss_on_log_softmax_equals_cross_entropy():
    rng = np.random.default_rng(9)
    z = rng.normal(size=(6, 5))
    labels = rng.integers(0, 5, 6)
    for reduction in REDUCTIONS:
        x1, x2 = ag.Tensor(z, requires_grad=True), ag.Tensor(z, requires_grad=True)
        a = nn.NLLLoss(reduction=reduction)(nn.LogSoftmax()(x1), labels)
        b = nn.CrossEntropyLoss(reduction=reduction)(x2, labels)
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)
        a.sum().backward()
        b.sum().backward()
        np.testing.assert_allclose(x1.grad.data, x2.grad.data, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_value_and_gradient(reduction):
    """−input[i, y_i]; ∂/∂input = −onehot(y) (÷ n for mean)."""
    logp = np.log(_softmax(np.random.default_rng(10).normal(size=(4, 3))))
    labels = np.array([2, 0, 0, 1])
    rng = np.random.default_rng(11)
    seed, factor = _grad_scale((4,), reduction, rng)
    loss, grad = _run(F.nll_loss, logp, labels, reduction, seed=seed)
    np.testing.assert_allclose(loss.data, _reduce(-logp[np.arange(4), labels], reduction))
    factor = np.asarray(factor)[..., None] if reduction == "none" else factor
    np.testing.assert_allclose(grad, -np.eye(3)[labels] * factor)


# ----------------------------------------------------------------------------- float32
@pytest.mark.parametrize("loss_fn, make_target", [
    (F.mse_loss, lambda rng, z: rng.normal(size=z.shape)),
    (lambda x, t: F.gaussian_nll_loss(x, t, np.full(x.shape, 0.5)),
     lambda rng, z: rng.normal(size=z.shape)),
    (lambda x, t: F.binary_cross_entropy(ag.sigmoid(x), t),
     lambda rng, z: rng.uniform(0, 1, z.shape)),
    (F.binary_cross_entropy_with_logits, lambda rng, z: rng.uniform(0, 1, z.shape)),
    (F.cross_entropy, lambda rng, z: rng.integers(0, 3, z.shape[:-1])),
    (F.cross_entropy, lambda rng, z: _softmax(rng.normal(size=z.shape))),
    (lambda x, t: F.nll_loss(ag.log_softmax(x), t), lambda rng, z: rng.integers(0, 3, 4)),
])
@pytest.mark.parametrize("reduction_sum", [False, True])
def test_losses_keep_float32_and_agree_with_float64(loss_fn, make_target, reduction_sum):
    rng = np.random.default_rng(12)
    z = rng.normal(size=(4, 3))
    target = make_target(rng, z)        # float64 targets: cast to the input's dtype
    results = {}
    for dtype in (np.float32, np.float64):
        x = ag.Tensor(z.astype(dtype), requires_grad=True)
        loss = loss_fn(x, target)
        loss = loss * 4 if reduction_sum else loss
        loss.backward()
        assert loss.dtype == dtype and x.grad.dtype == dtype
        results[dtype] = (loss.item(), x.grad.data)
    assert results[np.float32][0] == pytest.approx(results[np.float64][0], rel=1e-5)
    np.testing.assert_allclose(results[np.float32][1], results[np.float64][1], rtol=1e-4,
                               atol=1e-6)


# ----------------------------------------------------------------------------- gradcheck
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradcheck_every_loss(reduction):
    rng = np.random.default_rng(13)

    def t(shape, low=-1.0, high=1.0):
        return ag.Tensor(rng.uniform(low, high, shape), requires_grad=True)

    labels = rng.integers(0, 4, 3)
    many = rng.integers(0, 10, 40)     # a classifier's shape: worked on transposed
    cases = [
        (lambda z: F.cross_entropy(z, many, reduction), (t((40, 10), -3, 3),)),
        (lambda x, y: F.mse_loss(x, y, reduction), (t((3, 2)), t((3, 2)))),
        (lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True, reduction=reduction),
         (t((3, 2)), t((3, 2)), t((3, 1), 0.5, 2.0))),
        (lambda p, y: F.binary_cross_entropy(p, y, reduction),
         (t((3, 2), 0.1, 0.9), t((3, 2), 0.1, 0.9))),
        (lambda z, y: F.binary_cross_entropy_with_logits(z, y, reduction),
         (t((3, 2), -3, 3), t((3, 2), 0.1, 0.9))),
        (lambda z: F.cross_entropy(z, labels, reduction), (t((3, 4), -3, 3),)),
        (lambda z, p: F.cross_entropy(z, p, reduction),
         (t((3, 4), -3, 3), t((3, 4), 0.05, 0.45))),
        (lambda z: F.cross_entropy(z, 2, reduction), (t((4,), -3, 3),)),
        (lambda x: F.nll_loss(x, labels, reduction), (t((3, 4)),)),
    ]
    for fn, inputs in cases:
        assert ag.gradcheck(fn, inputs)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_recorded_loss_gradients_equal_the_plain_ones(reduction):
    """The fused losses build their rule from ops under create_graph=True: the gradient it
    records equals the plain pass's (gradgradcheck alone would pass a consistent error)."""
    rng = np.random.default_rng(15)
    cases = [
        (lambda z: F.cross_entropy(z, rng.integers(0, 10, 40), reduction), [(40, 10)]),
        (lambda z: F.cross_entropy(z, np.array([2, 0, 3]), reduction), [(3, 4)]),
        (lambda z, p: F.cross_entropy(z, p, reduction), [(3, 4), (3, 4)]),
        (lambda z, t: F.binary_cross_entropy_with_logits(z, t, reduction), [(3, 2), (3, 2)]),
        (lambda p, t: F.binary_cross_entropy(p, t, reduction), [(3, 2), (3, 2)]),
    ]
    for fn, shapes in cases:
        xs = [ag.Tensor(rng.uniform(0.1, 0.9, s), requires_grad=True) for s in shapes]
        out = fn(*xs)
        v = rng.normal(size=out.shape)
        plain = ag.grad(out, xs, grad_outputs=v, retain_graph=True)
        recorded = ag.grad(out, xs, grad_outputs=v, create_graph=True)
        for p, r in zip(plain, recorded):
            np.testing.assert_allclose(r.data, p.data, rtol=1e-12, atol=1e-15)


def _hessian(fn, z):
    """∂²fn/∂z² by differentiating the create_graph gradient once per entry."""
    x = ag.Tensor(z, requires_grad=True)
    (g,) = ag.grad(fn(x), x, create_graph=True)
    rows = []
    for k in range(z.size):
        (h,) = ag.grad(g.reshape(-1)[k], x, retain_graph=True)
        rows.append(h.data.reshape(-1))
    return np.array(rows)


def test_fused_cross_entropy_hessian_is_the_softmax_jacobian_D10_D12():
    """∂ξ/∂z = y − t, so ∂²ξ/∂z² = ∂y/∂z = diag(y) − y yᵀ (D10), independent of t."""
    z = np.array([0.5, -1.0, 2.0, 0.1])
    y = _softmax(z)
    for target in (np.int64(2), np.array([0.1, 0.2, 0.3, 0.4])):
        hess = _hessian(lambda x: F.cross_entropy(x, target, reduction="sum"), z)
        np.testing.assert_allclose(hess, np.diag(y) - np.outer(y, y), atol=1e-14)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gradgradcheck_losses(reduction):
    """Second order, in the inputs and in grad_output: the fused backward rules are recorded
    under create_graph, so Hessian-vector products through any loss are right."""
    rng = np.random.default_rng(14)
    labels = rng.integers(0, 3, 2)
    many = rng.integers(0, 10, 40)
    probs = _softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.5, -1.0]]))
    cases = [
        (lambda z: F.cross_entropy(z, many, reduction), (40, 10), (-2, 2)),
        (lambda z: F.cross_entropy(z, labels, reduction), (2, 3), (-2, 2)),
        (lambda z, p: F.cross_entropy(z, p, reduction), (2, 3), (-2, 2)),
        (lambda z, t: F.binary_cross_entropy_with_logits(z, t, reduction), (2,), (-2, 2)),
        (lambda p, t: F.binary_cross_entropy(p, t, reduction), (2,), (0.2, 0.8)),
        (lambda x, y: F.mse_loss(x, y, reduction), (2,), (-1, 1)),
        (lambda x, v: F.gaussian_nll_loss(x, np.zeros(2), v, reduction=reduction), (2,),
         (-1, 1)),
        (lambda x: F.nll_loss(x, labels, reduction), (2, 3), (-2, 0)),
    ]
    for loss_fn, shape, (lo, hi) in cases:
        x = ag.Tensor(rng.uniform(lo, hi, shape), requires_grad=True)
        second = ag.Tensor(probs if shape == (2, 3) else rng.uniform(0.1, 0.9, shape),
                           requires_grad=True)
        inputs = (x,) if loss_fn.__code__.co_argcount == 1 else (x, second)
        assert ag.gradgradcheck(loss_fn, inputs)


def test_bce_with_logits_second_derivative_is_sigma_prime_D17():
    z = np.array([-3.0, 0.0, 0.7])
    hess = _hessian(lambda x: F.binary_cross_entropy_with_logits(x, np.ones(3), "sum"), z)
    s = _sigmoid(z)
    np.testing.assert_allclose(hess, np.diag(s * (1 - s)), atol=1e-15)


# ----------------------------------------------------------------------------- bad arguments
def test_cross_entropy_and_nll_reject_bad_labels():
    z = np.zeros((3, 4))
    with pytest.raises(ValueError, match="cross_entropy: label 4 is out of range for 4 "
                                         r"classes \(labels must lie in 0..3\)"):
        F.cross_entropy(z, np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="nll_loss: label -1 is out of range"):
        F.nll_loss(z, np.array([0, -1, 1]))
    # the range check reads labels as unsigned of the same byte order: 256 stored big-endian
    # must not pass for 1, and valid big-endian labels pick the right logits
    with pytest.raises(ValueError, match="cross_entropy: label 256 is out of range"):
        F.cross_entropy(z, np.array([0, 256, 1], dtype=">i2"))
    z2 = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(F.cross_entropy(z2, np.array([3, 0, 2], dtype=">i8")).numpy(),
                               F.cross_entropy(z2, np.array([3, 0, 2])).numpy(), rtol=0)
    with pytest.raises(TypeError, match=r"cross_entropy: class labels must have an integer "
                                        r"dtype, got float64 \(shape \(3,\)\)"):
        F.cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(TypeError, match="nll_loss: class labels must have an integer dtype, "
                                        "got bool"):
        F.nll_loss(z, np.array([True, False, True]))
    with pytest.raises(ValueError, match=r"cross_entropy: input of shape \(3, 4\) \(classes on "
                                         r"the last axis\) needs labels of shape \(3,\), got "
                                         r"\(3, 1\)"):
        F.cross_entropy(z, np.zeros((3, 1), dtype=int))
    with pytest.raises(ValueError, match="cross_entropy: input must have a class axis"):
        F.cross_entropy(np.float64(1.0), np.array(0))
    with pytest.raises(ValueError, match="cross_entropy: probability target must lie in"):
        F.cross_entropy(z, np.full((3, 4), -0.5))


def test_losses_reject_shape_mismatch_bad_dtype_and_unknown_reduction():
    with pytest.raises(ValueError, match=r"mse_loss: input of shape \(4, 1\) and target of "
                                         r"shape \(4,\) must have the same shape"):
        F.mse_loss(np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: input of shape "
                                         r"\(2,\)"):
        nn.BCEWithLogitsLoss()(np.zeros(2), np.zeros(3))
    with pytest.raises(TypeError, match="mse_loss: input must have a floating dtype, got "
                                        "int64"):
        F.mse_loss(np.arange(3), np.zeros(3))
    with pytest.raises(TypeError, match="mse_loss: target must be numeric, got dtype <U1"):
        F.mse_loss(np.zeros(2), np.array(["a", "b"]))
    with pytest.raises(ValueError, match="MSELoss: reduction must be 'mean', 'sum' or 'none', "
                                         "got 'avg'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="cross_entropy: reduction must be"):
        F.cross_entropy(np.zeros((2, 2)), np.array([0, 1]), reduction=None)


def test_targets_may_require_grad():
    """MSE is symmetric: the target's gradient is minus the input's."""
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y = ag.Tensor([0.5, 3.0], requires_grad=True)
    F.mse_loss(x, y).backward()
    np.testing.assert_allclose(y.grad.data, -x.grad.data)
