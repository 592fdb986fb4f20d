"""Layers beyond the chapter: GELU, SiLU, Hardtanh, Dropout and LayerNorm (PyTorch's semantics).

Values are checked against their formulas in float64 numpy, gradients against finite
differences (gradcheck) and second derivatives against finite differences of the first
(gradgradcheck); then an MLP with all of them learns the digits.
"""
import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from extras import need_module

SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def _have_erf():
    try:
        import scipy.special  # noqa: F401
    except ImportError:
        return False
    return True


def need_erf():
    """The exact GELU uses ag.special.erf, whose values come from scipy (the extra `special`)."""
    need_module("scipy.special", "special")


def gelu_ref(x, approximate):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def gelu_grad_ref(x, approximate):
    if approximate == "tanh":
        u = SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)
        t = np.tanh(u)
        du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x ** 2)
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
    cdf = 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return cdf + x * pdf


def sigmoid_ref(x):
    return 1 / (1 + np.exp(-x))


def layer_norm_ref(x, k, weight=None, bias=None, eps=1e-5):
    axes = tuple(range(-k, 0))
    mu = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)          # biased, as PyTorch
    y = (x - mu) / np.sqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def rand(*shape, seed=0, requires_grad=True, scale=1.0):
    data = np.random.default_rng(seed).normal(size=shape) * scale
    return ag.tensor(data, requires_grad=requires_grad)


# ----------------------------------------------------------------------------- GELU
@pytest.mark.parametrize("approximate", ["tanh", "none"])
def test_gelu_values_and_gradient_match_the_formulas(approximate):
    if approximate == "none":
        need_erf()
    xs = np.linspace(-6, 6, 61)
    x = ag.tensor(xs, requires_grad=True)
    y = F.gelu(x, approximate=approximate)
    np.testing.assert_allclose(y.numpy(), gelu_ref(xs, approximate), rtol=1e-12, atol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), gelu_grad_ref(xs, approximate), rtol=1e-10,
                               atol=1e-14)


def test_exact_gelu_is_x_times_the_normal_cdf():
    """x·Φ(x) with Φ(−1) = 0.15865525393145707, Φ(0.5) = 0.6914624612740131 and
    Φ(2) = 0.9772498680518208."""
    need_erf()
    x = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(F.gelu(x).numpy(),
                               x * np.array([0.15865525393145707, 0.6914624612740131,
                                             0.9772498680518208]), rtol=1e-14)


@pytest.mark.parametrize("approximate", ["tanh", "none"])
def test_gelu_gradcheck_and_gradgradcheck(approximate):
    if approximate == "none":
        need_erf()
    x = rand(3, 4, seed=1, scale=2.0)
    fn = lambda t: F.gelu(t, approximate=approximate)   # noqa: E731
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


def test_gelu_module_and_bad_approximate():
    assert repr(nn.GELU()) == "GELU(approximate='none')"
    act = nn.GELU(approximate="tanh")
    assert repr(act) == "GELU(approximate='tanh')"
    xs = np.array([-2.0, 0.0, 1.5])
    np.testing.assert_allclose(act(xs).numpy(), gelu_ref(xs, "tanh"), rtol=1e-12)
    with pytest.raises(ValueError, match=r"GELU: approximate must be 'none' or 'tanh', got "
                                         r"'exact'"):
        nn.GELU(approximate="exact")
    with pytest.raises(ValueError, match=r"gelu: approximate"):
        F.gelu(xs, approximate=None)


def test_gelu_tends_to_relu_far_from_zero():
    xs = np.array([-30.0, 30.0])
    np.testing.assert_allclose(F.gelu(xs, approximate="tanh").numpy(), [0.0, 30.0], atol=1e-12)
    if _have_erf():
        np.testing.assert_allclose(F.gelu(xs).numpy(), [0.0, 30.0], atol=1e-12)


# ----------------------------------------------------------------------------- SiLU
def test_silu_values_and_gradient_match_the_formulas():
    xs = np.linspace(-8, 8, 33)
    x = ag.tensor(xs, requires_grad=True)
    y = F.silu(x)
    s = sigmoid_ref(xs)
    np.testing.assert_allclose(y.numpy(), xs * s, rtol=1e-13, atol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), s * (1 + xs * (1 - s)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(nn.SiLU()(xs).numpy(), xs * s, rtol=1e-13, atol=1e-15)
    assert repr(nn.SiLU()) == "SiLU()"


def test_silu_gradcheck_and_gradgradcheck():
    x = rand(2, 5, seed=2, scale=3.0)
    assert ag.gradcheck(F.silu, (x,))
    assert ag.gradgradcheck(F.silu, (x,))


# ----------------------------------------------------------------------------- Hardtanh
def test_hardtanh_values_and_pytorchs_gradient_with_zero_at_the_kinks():
    xs = np.array([-3.0, -1.0, -0.5, 0.0, 0.75, 1.0, 2.0, np.nan])
    x = ag.tensor(xs, requires_grad=True)
    y = F.hardtanh(x)
    np.testing.assert_array_equal(y.numpy(), np.clip(xs, -1, 1))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0, 1, 1, 1, 0, 0, 0])


def test_hardtanh_other_bounds_and_module():
    xs = np.array([-5.0, -2.0, 0.0, 2.5, 3.0, 4.0])
    act = nn.Hardtanh(min_val=-2.0, max_val=3.0)
    assert repr(act) == "Hardtanh(min_val=-2.0, max_val=3.0)"
    x = ag.tensor(xs, requires_grad=True)
    y = act(x)
    np.testing.assert_array_equal(y.numpy(), np.clip(xs, -2, 3))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0, 1, 1, 0, 0])
    with pytest.raises(ValueError, match=r"Hardtanh: min_val \(2.0\) must not exceed max_val"):
        nn.Hardtanh(2.0, 1.0)
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(1.0\) must not exceed max_val"):
        F.hardtanh(xs, 1.0, -1.0)
    with pytest.raises(TypeError, match=r"hardtanh: max_val must be a real number"):
        F.hardtanh(xs, -1.0, "1")


def test_hardtanh_gradcheck_and_gradgradcheck_away_from_the_kinks():
    data = np.array([[-2.5, -0.6, 0.1], [0.9, 1.7, -1.3]])
    x = ag.tensor(data, requires_grad=True)
    assert ag.gradcheck(F.hardtanh, (x,))
    assert ag.gradgradcheck(F.hardtanh, (x,))


# ----------------------------------------------------------------------------- Dropout
def keep_mask(seed, shape, p):
    """The mask F.dropout draws from an int seed: element kept where rng.random() >= p."""
    return np.random.default_rng(seed).random(shape) >= p


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_gradient_is_the_forwards_mask_over_one_minus_p(p):
    shape = (6, 7)
    x = rand(*shape, seed=3)
    y = F.dropout(x, p=p, rng=11)
    mask = keep_mask(11, shape, p) / (1 - p)
    np.testing.assert_allclose(y.numpy(), x.numpy() * mask, rtol=1e-15)
    g = np.random.default_rng(4).normal(size=shape)
    y.backward(g)
    np.testing.assert_allclose(x.grad.numpy(), g * mask, rtol=1e-15)
    # the mask of the backward is the forward's: zeros exactly where the output is zero
    x.grad = None
    y = F.dropout(x, p=p, rng=np.random.default_rng(5))
    y.sum().backward()
    assert np.array_equal(x.grad.numpy() != 0, y.numpy() != 0)
    np.testing.assert_allclose(y.numpy(), x.numpy() * x.grad.numpy(), rtol=1e-15)


def test_dropout_generator_advances_and_an_int_seed_repeats():
    x = np.ones(50)
    gen = np.random.default_rng(0)
    first, second = F.dropout(x, rng=gen).numpy(), F.dropout(x, rng=gen).numpy()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(F.dropout(x, rng=7).numpy(), F.dropout(x, rng=7).numpy())


def test_dropout_gradcheck_and_gradgradcheck_with_a_fixed_seed():
    x = rand(3, 4, seed=6)
    fn = lambda t: F.dropout(t, p=0.3, rng=2)   # noqa: E731 (the same mask on every call)
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


def test_dropout_p0_and_eval_are_the_identity_returning_the_input_itself():
    x = rand(3, 3, seed=7)
    assert F.dropout(x, p=0.0, rng=0) is x
    assert F.dropout(x, p=0.7, training=False) is x
    drop = nn.Dropout(p=0.7, rng=0)
    assert drop.eval()(x) is x
    assert drop.train()(x) is not x
    arr = np.arange(4.0)
    out = F.dropout(arr, p=0.5, training=False)
    assert isinstance(out, ag.Tensor)
    np.testing.assert_array_equal(out.numpy(), arr)


def test_dropout_p1_gives_zeros_and_a_zero_gradient():
    x = rand(4, 5, seed=8)
    y = F.dropout(x, p=1.0)
    np.testing.assert_array_equal(y.numpy(), np.zeros((4, 5)))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((4, 5)))
    np.testing.assert_array_equal(nn.Dropout(1.0)(np.ones(3)).numpy(), np.zeros(3))


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_keeps_a_share_one_minus_p_and_the_mean(p):
    x = np.ones((400, 500))
    y = nn.Dropout(p=p, rng=9)(x).numpy()
    kept = (y != 0).mean()
    # 200 000 Bernoulli draws: the standard error of the share is below 0.0012
    assert abs(kept - (1 - p)) < 0.006
    np.testing.assert_allclose(y[y != 0], 1 / (1 - p))
    assert abs(y.mean() - 1) < 0.02


def test_dropout_bad_arguments():
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"dropout: p must be a probability in \[0, 1\]"):
            F.dropout(np.ones(3), p=bad)
        with pytest.raises(ValueError, match=r"Dropout: p must be a probability"):
            nn.Dropout(p=bad)
    with pytest.raises(TypeError, match=r"dropout: p must be a real number"):
        F.dropout(np.ones(3), p="0.5")
    with pytest.raises(TypeError, match=r"dropout: p must be a real number"):
        F.dropout(np.ones(3), p=True)
    with pytest.raises(TypeError, match=r"dropout: input must have a floating dtype"):
        F.dropout(np.arange(3), p=0.5)


def test_dropout_module_repr_and_sequential_train_eval():
    assert repr(nn.Dropout()) == "Dropout(p=0.5)"
    model = nn.Sequential(nn.Linear(4, 4, rng=0), nn.Dropout(0.5, rng=0))
    x = np.ones((2, 4))
    model.eval()
    np.testing.assert_array_equal(model(x).numpy(), model[0](x).numpy())
    model.train()
    assert np.any(model(np.ones((20, 4))).numpy() == 0)
    assert list(model.state_dict()) == ["0.weight", "0.bias"]


# ----------------------------------------------------------------------------- LayerNorm
@pytest.mark.parametrize("shape, normalized", [((4, 5), 5), ((4, 5), (5,)), ((3, 4, 5), (4, 5)),
                                               ((6,), (6,))])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_values_match_numpy(shape, normalized, affine):
    k = 1 if isinstance(normalized, int) else len(normalized)
    rng = np.random.default_rng(10)
    xs = rng.normal(size=shape) * 3 + 1
    w = b = None
    if affine:
        w, b = rng.normal(size=shape[-k:]), rng.normal(size=shape[-k:])
    y = F.layer_norm(ag.tensor(xs), normalized, w, b)
    np.testing.assert_allclose(y.numpy(), layer_norm_ref(xs, k, w, b), rtol=1e-12, atol=1e-14)
    if not affine:
        axes = tuple(range(-k, 0))
        np.testing.assert_allclose(y.numpy().mean(axis=axes), 0, atol=1e-13)
        np.testing.assert_allclose(y.numpy().var(axis=axes), 1, rtol=1e-4)


def test_layer_norm_eps_and_a_constant_row():
    xs = np.array([[2.0, 2.0, 2.0], [0.0, 1.0, 2.0]])
    y = F.layer_norm(xs, 3, eps=0.5).numpy()
    np.testing.assert_array_equal(y[0], 0)
    np.testing.assert_allclose(y[1], np.array([-1, 0, 1]) / np.sqrt(2 / 3 + 0.5), rtol=1e-14)


@pytest.mark.parametrize("shape, normalized", [((3, 4), (4,)), ((2, 2, 3), (2, 3))])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_gradcheck_and_gradgradcheck(shape, normalized, affine):
    x = rand(*shape, seed=11)
    if affine:
        w = rand(*normalized, seed=12)
        b = rand(*normalized, seed=13)
        fn = lambda t, w, b: F.layer_norm(t, normalized, w, b)    # noqa: E731
        inputs = (x, w, b)
    else:
        fn = lambda t: F.layer_norm(t, normalized)                # noqa: E731
        inputs = (x,)
    assert ag.gradcheck(fn, inputs)
    assert ag.gradgradcheck(fn, inputs)


def test_layer_norm_errors_name_both_shapes():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"layer_norm: normalized_shape \(2,\) must be the "
                                         r"trailing shape of the input, got an input of shape "
                                         r"\(2, 3\)"):
        F.layer_norm(x, 2)
    with pytest.raises(ValueError, match=r"normalized_shape \(1, 2, 3\) .* shape \(2, 3\)"):
        F.layer_norm(x, (1, 2, 3))
    with pytest.raises(ValueError, match=r"layer_norm: weight of shape \(2,\) must have the "
                                         r"normalized_shape \(3,\)"):
        F.layer_norm(x, 3, weight=np.ones(2))
    with pytest.raises(ValueError, match=r"layer_norm: bias of shape \(3, 1\)"):
        F.layer_norm(x, 3, bias=np.ones((3, 1)))
    for bad in ((), 0, (3, -1), 2.5, "3"):
        with pytest.raises(ValueError, match=r"normalized_shape must be a positive int"):
            F.layer_norm(x, bad)
    with pytest.raises(ValueError, match=r"LayerNorm: normalized_shape \(4,\) must be the "
                                         r"trailing shape of the input, got an input of shape "
                                         r"\(2, 3\)"):
        nn.LayerNorm(4)(x)
    with pytest.raises(ValueError, match=r"LayerNorm: normalized_shape must be"):
        nn.LayerNorm(())


def test_layer_norm_module_parameters_state_dict_and_repr():
    norm = nn.LayerNorm((2, 3))
    assert norm.normalized_shape == (2, 3)
    np.testing.assert_array_equal(norm.weight.numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(norm.bias.numpy(), np.zeros((2, 3)))
    assert norm.weight.requires_grad and norm.bias.requires_grad
    assert list(norm.state_dict()) == ["weight", "bias"]
    assert repr(norm) == "LayerNorm((2, 3), eps=1e-05, elementwise_affine=True)"
    rng = np.random.default_rng(14)
    w, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    norm.load_state_dict({"weight": w, "bias": b})
    xs = rng.normal(size=(4, 2, 3))
    x = ag.tensor(xs, requires_grad=True)
    y = norm(x)
    np.testing.assert_allclose(y.numpy(), layer_norm_ref(xs, 2, w, b), rtol=1e-12)
    y.sum().backward()
    # ∂Σy/∂β = the number of positions; ∂Σy/∂γ = Σ x̂
    np.testing.assert_allclose(norm.bias.grad.numpy(), np.full((2, 3), 4.0))
    np.testing.assert_allclose(norm.weight.grad.numpy(), layer_norm_ref(xs, 2).sum(axis=0),
                               rtol=1e-12)

    plain = nn.LayerNorm(3, elementwise_affine=False)
    assert plain.weight is None and plain.bias is None
    assert list(plain.state_dict()) == [] and list(plain.parameters()) == []
    assert repr(plain) == "LayerNorm((3,), eps=1e-05, elementwise_affine=False)"
    no_bias = nn.LayerNorm(3, bias=False)
    assert no_bias.bias is None and list(no_bias.state_dict()) == ["weight"]
    assert repr(no_bias) == "LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=False)"

    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.LayerNorm(4), nn.GELU("tanh"))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_layer_norm_module_dtype_checks():
    norm = nn.LayerNorm(3)
    with pytest.raises(TypeError, match=r"LayerNorm: input dtype float32 does not match the "
                                        r"layer's dtype float64"):
        norm(ag.tensor(np.ones((2, 3), np.float32)))
    assert norm(np.arange(6).reshape(2, 3)).dtype == np.float64       # arrays are cast
    plain = nn.LayerNorm(3, elementwise_affine=False)
    assert plain(ag.tensor(np.ones((2, 3), np.float32))).dtype == np.float32
    with pytest.raises(TypeError, match=r"LayerNorm: dtype must be a floating dtype"):
        nn.LayerNorm(3, dtype=np.int32)


# ----------------------------------------------------------------------------- dtypes
def test_float32_stays_float32():
    x = ag.tensor(np.random.default_rng(15).normal(size=(4, 6)).astype(np.float32),
                  requires_grad=True)
    outs = [F.gelu(x, approximate="tanh"), F.silu(x), F.hardtanh(x), F.dropout(x, rng=0),
            F.dropout(x, p=1.0), F.layer_norm(x, 6), F.layer_norm(x, (4, 6), eps=np.float64(1e-5)),
            F.layer_norm(x, 6, np.ones(6, np.float32), np.zeros(6, np.float32)),
            nn.GELU("tanh")(x), nn.SiLU()(x), nn.Hardtanh(np.float64(-0.5), 0.5)(x),
            nn.Dropout(0.3, rng=0)(x), nn.LayerNorm(6, dtype=np.float32)(x)]
    if _have_erf():
        outs.append(F.gelu(x))
    for out in outs:
        assert out.dtype == np.float32
        out.sum().backward()
        assert x.grad.dtype == np.float32
        x.grad = None
    assert nn.LayerNorm(6, dtype=np.float32)(x.numpy()).dtype == np.float32
    norm = nn.LayerNorm(6, dtype=np.float32)
    norm(x).sum().backward()
    assert norm.weight.grad.dtype == np.float32 and norm.bias.grad.dtype == np.float32


def test_float32_values_agree_with_float64():
    xs = np.random.default_rng(16).normal(size=(5, 8)) * 2
    x32 = xs.astype(np.float32)
    pairs = [(lambda v: F.gelu(v, approximate="tanh")), F.silu, F.hardtanh,
             (lambda v: F.layer_norm(v, 8)), (lambda v: F.dropout(v, p=0.4, rng=3))]
    for fn in pairs:
        np.testing.assert_allclose(fn(x32).numpy(), fn(xs).numpy(), rtol=1e-5, atol=1e-6)


def test_integer_inputs_are_refused_with_the_functions_name():
    for name, fn in [("gelu", F.gelu), ("silu", F.silu), ("hardtanh", F.hardtanh),
                     ("layer_norm", lambda v: F.layer_norm(v, 3))]:
        with pytest.raises(TypeError, match=rf"{name}: input must have a floating dtype"):
            fn(np.arange(3))


# ----------------------------------------------------------------------------- training
@pytest.mark.parametrize("approximate", ["tanh", "none"])
def test_digits_mlp_with_gelu_dropout_and_layer_norm_learns(approximate):
    if approximate == "none":
        need_erf()
    datasets = need_module("sklearn.datasets", "demo")
    images, labels = datasets.load_digits(return_X_y=True)
    images = images / 16.0
    rng = np.random.default_rng(0)
    order = rng.permutation(len(images))
    test, train = order[:360], order[360:]

    model = nn.Sequential(
        nn.Linear(64, 64, rng=0), nn.LayerNorm(64), nn.GELU(approximate), nn.Dropout(0.2, rng=1),
        nn.Linear(64, 10, rng=2))
    opt = nn.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()
    loader = nn.DataLoader(images[train], labels[train], batch_size=64, shuffle=True, rng=rng)
    for epoch in range(10):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    model.eval()
    with ag.no_grad():
        logits = model(images[test])
    accuracy = (logits.numpy().argmax(axis=1) == labels[test]).mean()
    assert accuracy > 0.9, f"held-out accuracy {accuracy:.3f}"
    # eval() switched the dropout off: the same logits twice
    with ag.no_grad():
        np.testing.assert_array_equal(model(images[test]).numpy(), logits.numpy())
