"""Numerics at the edges: masked (-inf) softmax entries, `where` with a branch that is inf or
NaN, extreme logits and saturated units, in float64 and float32.

Every test here runs with numpy's RuntimeWarnings turned into errors, so an op that overflows
or divides by zero internally (even if it recovers) fails; the few cases that are meant to
produce NaN silence numpy explicitly with ``np.errstate``.
"""
import numpy as np
import pytest

import autograd as ag
import nn

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

FLOATS = [np.float64, np.float32]


def _softmax_ref(z, mask, axis):
    """softmax over the unmasked entries only, 0 at the masked ones (numpy, float64)."""
    z = np.where(mask, z, -np.inf).astype(np.float64)
    m = z.max(axis=axis, keepdims=True)
    e = np.where(mask, np.exp(z - m), 0.0)
    return e / e.sum(axis=axis, keepdims=True)


# (shape, axis, mask): a vector, a matrix along its rows and along its columns, rows where all
# but one entry is masked, and a 3-D tensor with a size-1 axis.
MASKS = [
    ((4,), -1, [True, False, True, True]),
    ((3, 4), -1, [[True, False, True, False], [False, False, True, False],
                  [True, True, True, True]]),
    ((3, 4), 0, [[True, False, True, False], [False, False, True, True],
                 [True, True, False, True]]),
    ((2, 1, 3), -1, [[[False, True, False]], [[True, True, False]]]),
]
# a classifier's logits (worked on transposed by the softmaxes), every row keeping a class
_WIDE = np.random.default_rng(9).random((40, 10)) < 0.7
_WIDE[:, 3] = True
MASKS.append(((40, 10), -1, _WIDE))


def _masked_logits(shape, mask, dtype, seed=0):
    z = np.random.default_rng(seed).normal(size=shape) * 3
    return np.where(mask, z, -np.inf).astype(dtype)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,axis,mask", MASKS)
def test_masked_softmax_gives_zero_probability_and_the_D10_gradient(shape, axis, mask, dtype):
    mask = np.array(mask)
    z = ag.Tensor(_masked_logits(shape, mask, dtype), requires_grad=True)
    w = np.random.default_rng(1).normal(size=shape).astype(dtype)
    y = ag.softmax(z, axis=axis)
    assert y.dtype == dtype
    assert np.all(y.data[~mask] == 0)
    ref = _softmax_ref(z.data, mask, axis)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(y.data, ref, rtol=tol, atol=tol)
    (y * w).sum().backward()
    g = z.grad.data
    assert g.dtype == dtype and np.all(np.isfinite(g))
    # D10 applied: dL/dz = y ⊙ (w − Σ w·y) along the axis; exactly 0 at the masked entries
    expected = ref * (w - (w * ref).sum(axis=axis, keepdims=True))
    assert np.all(g[~mask] == 0)
    np.testing.assert_allclose(g, expected, rtol=10 * tol, atol=10 * tol)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,axis,mask", MASKS)
def test_masked_log_softmax_is_minus_inf_there_with_finite_gradients_D9(shape, axis, mask,
                                                                         dtype):
    mask = np.array(mask)
    z = ag.Tensor(_masked_logits(shape, mask, dtype), requires_grad=True)
    w = np.random.default_rng(2).normal(size=shape).astype(dtype)
    logp = ag.log_softmax(z, axis=axis)
    assert np.all(logp.data[~mask] == -np.inf)
    ref = _softmax_ref(z.data, mask, axis)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(logp.data[mask], np.log(ref[mask]), rtol=tol, atol=tol)
    # the loss reads only the unmasked log-probabilities (-inf · w would be NaN in the
    # forward pass, which is the user's own arithmetic, not the op's)
    (ag.where(mask, logp, 0.0) * w).sum().backward()
    g = z.grad.data
    assert np.all(np.isfinite(g)) and np.all(g[~mask] == 0)
    wm = np.where(mask, w, 0)
    expected = wm - ref * wm.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(g, expected, rtol=10 * tol, atol=10 * tol)


def test_a_row_with_one_entry_left_is_certain_and_has_zero_gradient():
    z = ag.Tensor([[-np.inf, 2.5, -np.inf], [0.3, -np.inf, -np.inf]], requires_grad=True)
    y = ag.softmax(z)
    np.testing.assert_array_equal(y.data, [[0, 1, 0], [1, 0, 0]])
    (y * np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    np.testing.assert_array_equal(z.grad.data, np.zeros((2, 3)))

    z.grad = None
    logp = ag.log_softmax(z)
    np.testing.assert_array_equal(logp.data[[0, 1], [1, 0]], [0.0, 0.0])
    logp[[0, 1], [1, 0]].sum().backward()       # d log 1 / dz: the survivor's logit cancels
    np.testing.assert_array_equal(z.grad.data, np.zeros((2, 3)))


@pytest.mark.parametrize("fn", [ag.softmax, ag.log_softmax])
@pytest.mark.parametrize("axis", [-1, 0])
def test_masked_softmax_is_right_to_second_order(fn, axis):
    """The mask as an additive -inf bias (the usual attention mask): gradcheck and
    gradgradcheck through it, the masked entries' derivatives being exactly 0."""
    mask = np.array([[True, False, True], [True, True, False], [False, True, True]])
    bias = ag.Tensor(np.where(mask, 0.0, -np.inf))
    x = ag.Tensor(np.random.default_rng(4).normal(size=(3, 3)), requires_grad=True)

    def f(x):
        out = fn(x + bias, axis=axis)
        return ag.where(mask, out, 0.0)     # log_softmax is -inf where masked

    assert ag.gradcheck(f, x)
    assert ag.gradgradcheck(f, x)


def test_logsumexp_and_cross_entropy_ignore_masked_logits_D12():
    z = ag.Tensor([[1.0, -np.inf, 2.0], [-np.inf, 0.5, -np.inf]], requires_grad=True)
    lse = ag.logsumexp(z, axis=-1)
    np.testing.assert_allclose(lse.data, [np.logaddexp(1.0, 2.0), 0.5])
    lse.sum().backward()
    p = np.exp(np.array([1.0, 2.0]) - np.logaddexp(1.0, 2.0))
    np.testing.assert_allclose(z.grad.data, [[p[0], 0, p[1]], [0, 1, 0]])

    z.grad = None
    loss = nn.CrossEntropyLoss(reduction="sum")(z, np.array([2, 1]))
    assert loss.item() == pytest.approx(np.logaddexp(1.0, 2.0) - 2.0)
    loss.backward()
    np.testing.assert_allclose(z.grad.data, [[p[0], 0, p[1] - 1], [0, 0, 0]])   # y − t


def test_a_fully_masked_row_has_no_distribution_and_gives_nan_in_that_row_only():
    """Documented behaviour, as in PyTorch: every entry -inf is 0/0. The other rows are
    unaffected."""
    z = ag.Tensor([[-np.inf, -np.inf], [1.0, 2.0]], requires_grad=True)
    with np.errstate(invalid="ignore"):
        y = ag.softmax(z)
        y[1].sum().backward()
    assert np.all(np.isnan(y.data[0]))
    np.testing.assert_allclose(y.data[1], np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum())
    np.testing.assert_allclose(z.grad.data[1], [0.0, 0.0], atol=1e-15)


# ----------------------------------------------------------------------------- where
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_where_sends_exact_zeros_to_the_branch_not_taken(bad):
    x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = ag.Tensor([bad, 5.0, bad], requires_grad=True)
    cond = np.array([True, False, True])
    out = ag.where(cond, x * x, b * 2.0)
    np.testing.assert_array_equal(out.data, [1.0, 10.0, 9.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 0.0, 6.0])
    np.testing.assert_array_equal(b.grad.data, [0.0, 2.0, 0.0])


def test_where_with_broadcast_branches_and_a_nan_constant():
    x = ag.Tensor([[1.0], [2.0]], requires_grad=True)               # (2, 1) against (2, 3)
    cond = np.array([[True, False, True], [False, False, True]])
    out = ag.where(cond, ag.exp(x), np.full((2, 3), np.nan))
    out.sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp([[1.0], [2.0]]) * [[2], [1]])


def test_where_of_sqrt_outside_its_domain_poisons_the_gradient():
    """The rule's other half: where(x > 0, sqrt(x), 0) at x ≤ 0 gives NaN in x's gradient,
    as in every reverse-mode library. `where` sends 0 to sqrt, but sqrt's own backward
    computes 0 / (2·sqrt(x)): 0 / NaN at x < 0 and 0 / 0 at x = 0."""
    x = ag.Tensor([-1.0, 0.0, 4.0], requires_grad=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = ag.where(x.data > 0, ag.sqrt(x), 0.0)
        out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 0.0, 2.0])       # the value is right
    g = x.grad.data
    assert np.isnan(g[0]) and np.isnan(g[1])
    assert g[2] == 0.25


def test_where_of_log_at_zero_and_of_overflowing_exp_poisons_the_gradient():
    x = ag.Tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ag.where(x.data > 0, ag.log(x), 0.0).sum().backward()       # log 0 = -inf; 0/0
    assert np.isnan(x.grad.data[0]) and x.grad.data[1] == 0.25

    x = ag.Tensor([1000.0, 1.0], requires_grad=True)
    with np.errstate(over="ignore", invalid="ignore"):
        ag.where(x.data < 10, ag.exp(x), 0.0).sum().backward()      # exp 1000 = inf; 0·inf
    assert np.isnan(x.grad.data[0]) and x.grad.data[1] == pytest.approx(np.e)


def test_the_double_where_keeps_the_gradient_finite():
    """The safe pattern: feed the inner op a harmless value where its result is discarded."""
    x = ag.Tensor([-1.0, 0.0, 4.0, 9.0], requires_grad=True)
    pos = x.data > 0
    out = ag.where(pos, ag.sqrt(ag.where(pos, x, 1.0)), 0.0)       # no warning either
    np.testing.assert_array_equal(out.data, [0.0, 0.0, 2.0, 3.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.25, 1 / 6])

    x = ag.Tensor([0.0, np.e], requires_grad=True)
    pos = x.data > 0
    ag.where(pos, ag.log(ag.where(pos, x, 1.0)), 0.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [0.0, 1 / np.e], rtol=1e-15)


def test_the_double_where_is_right_to_second_order():
    x = ag.Tensor([-1.5, -0.5, 0.7, 2.0], requires_grad=True)
    pos = x.data > 0

    def f(x):
        return ag.where(pos, ag.sqrt(ag.where(pos, x, 1.0)) * x, 0.0)

    assert ag.gradcheck(f, x)
    assert ag.gradgradcheck(f, x)


def test_detect_anomaly_points_at_the_op_that_poisons_a_where_branch():
    x = ag.Tensor([-1.0, 4.0], requires_grad=True)
    with np.errstate(invalid="ignore"), ag.detect_anomaly():
        with pytest.raises(ag.AnomalyError, match=r"Sqrt"):
            ag.where(x.data > 0, ag.sqrt(x), 0.0)


# ----------------------------------------------------------------------------- extremes
def _extremes(dtype):
    return [1e4, 1e300] if dtype == np.float64 else [1e4, 1e30]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("reps", [1, 20])     # 20: 40 rows of logits, worked on transposed
def test_extreme_logits_softmax_and_log_softmax_D8_D9_D10(dtype, axis, reps):
    for v in _extremes(dtype):
        z = np.tile(np.array([[v, -v, 0.0], [-v, -v, v]], dtype), (reps, 1))
        if axis == 0:
            z = z.T.copy()
        w = np.tile(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype), (reps, 1))
        w = w.T.copy() if axis == 0 else w
        one = np.tile(np.array([[1, 0, 0], [0, 0, 1]], dtype), (reps, 1))
        one = one.T if axis == 0 else one
        x = ag.Tensor(z, requires_grad=True)
        y = ag.softmax(x, axis=axis)
        assert y.dtype == dtype
        np.testing.assert_array_equal(y.data, one)                  # D8: exactly 1 and 0
        (y * w).sum().backward()
        np.testing.assert_array_equal(x.grad.data, np.zeros_like(z))   # D10 at a vertex
        x.grad = None
        logp = ag.log_softmax(x, axis=axis)
        # D9: z − max (exact here: the other terms of the sum underflow to 0)
        np.testing.assert_array_equal(logp.data, z - z.max(axis=axis, keepdims=True))
        (logp * w).sum().backward()
        np.testing.assert_array_equal(x.grad.data, w - one * w.sum(axis=axis, keepdims=True))
        x.grad = None
        lse = ag.logsumexp(x, axis=axis)
        np.testing.assert_array_equal(lse.data, z.max(axis=axis))
        lse.sum().backward()
        np.testing.assert_array_equal(x.grad.data, one)


@pytest.mark.parametrize("dtype", FLOATS)
def test_saturated_units_stay_finite_in_value_and_gradient_D7_D17_D18(dtype):
    for v in _extremes(dtype):
        z = np.array([v, -v, 0.0], dtype)
        for fn, value, slope in [
                (ag.sigmoid, [1.0, 0.0, 0.5], [0.0, 0.0, 0.25]),        # D17: σ' = σ(1 − σ)
                (ag.tanh, [1.0, -1.0, 0.0], [0.0, 0.0, 1.0]),            # D18
                (ag.softplus, [v, 0.0, np.log(2.0)], [1.0, 0.0, 0.5]),   # D7's loss, σ
                (ag.elu, [v, -1.0, 0.0], [1.0, 0.0, 1.0]),                # D14
                (ag.relu, [v, 0.0, 0.0], [1.0, 0.0, 0.0])]:               # D15
            x = ag.Tensor(z, requires_grad=True)
            y = fn(x)
            assert y.dtype == dtype
            np.testing.assert_allclose(y.data, np.array(value, dtype), rtol=1e-6)
            y.sum().backward()
            assert x.grad.dtype == dtype
            np.testing.assert_allclose(x.grad.data, np.array(slope, dtype), rtol=1e-6)


@pytest.mark.parametrize("dtype", FLOATS)
def test_sigmoid_and_softplus_keep_relative_precision_in_the_far_tail(dtype):
    """σ(−40) ≈ e^−40 ≈ 4e-18, computed as e^z / (1 + e^z), not 1 − 1/(1 + e^−z) (which would
    give 0 or garbage); its derivative and softplus(−40) are e^−40 to full precision too."""
    x = ag.Tensor(np.array([-40.0, -80.0], dtype), requires_grad=True)
    tiny = np.exp(np.array([-40.0, -80.0]))
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(ag.sigmoid(x).data, tiny, rtol=tol)
    np.testing.assert_allclose(ag.softplus(x).data, tiny, rtol=tol)
    ag.sigmoid(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, tiny, rtol=tol)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_at_extreme_logits_is_exact_D7(dtype, reduction):
    """softplus((1 − 2t)·z) and its gradient σ(z) − t at z = ±1e4: the confidently wrong
    samples cost |z| with gradient ±1 (no saturation), the right ones cost 0."""
    z = ag.Tensor(np.array([[1e4, -1e4], [1e4, -1e4]], dtype), requires_grad=True)
    t = np.array([[1.0, 0.0], [0.0, 1.0]], dtype)
    loss = nn.BCEWithLogitsLoss(reduction=reduction)(z, t)
    per = np.array([[0.0, 0.0], [1e4, 1e4]])
    grad = np.array([[0.0, 0.0], [1.0, -1.0]])
    n = {"mean": 4, "sum": 1, "none": 1}[reduction]
    expected = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
    assert loss.dtype == dtype
    np.testing.assert_allclose(loss.data, expected, rtol=1e-6)
    loss.sum().backward()
    assert z.grad.dtype == dtype
    np.testing.assert_allclose(z.grad.data, grad / n, rtol=1e-6)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_cross_entropy_at_extreme_logits_is_exact_D11_D12(dtype, target):
    z = ag.Tensor(np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [0.0, 1e4, -1e4]], dtype),
                  requires_grad=True)
    labels = np.array([1, 1, 2])
    t = labels if target == "labels" else np.eye(3, dtype=dtype)[labels]
    loss = nn.CrossEntropyLoss(reduction="sum")(z, t)
    assert loss.dtype == dtype
    np.testing.assert_allclose(loss.item(), 2e4 + 0 + 2e4, rtol=1e-6)   # logsumexp − z_y
    loss.backward()
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0]])
    np.testing.assert_allclose(z.grad.data, y - np.eye(3)[labels], atol=1e-6)   # y − t


def test_sigmoid_with_squared_error_saturates_where_bce_with_logits_does_not_D7():
    """The chapter's argument for the log-likelihood, numerically: confidently wrong at
    z = −30, the squared error's gradient through σ vanishes, the logistic loss's is −1."""
    z = ag.Tensor([-30.0], requires_grad=True)
    ((ag.sigmoid(z) - 1.0) ** 2).sum().backward()
    assert 0 < -z.grad.item() < 1e-12
    z.grad = None
    nn.BCEWithLogitsLoss(reduction="sum")(z, np.array([1.0])).backward()
    assert z.grad.item() == pytest.approx(-1.0, rel=1e-12)


@pytest.mark.parametrize("dtype", FLOATS)
def test_bce_on_probabilities_of_exactly_zero_and_one_is_clamped(dtype):
    p = ag.Tensor(np.array([0.0, 1.0, 0.0, 1.0], dtype), requires_grad=True)
    t = np.array([1.0, 0.0, 0.0, 1.0], dtype)
    loss = nn.BCELoss(reduction="none")(p, t)
    np.testing.assert_allclose(loss.data, [100.0, 100.0, 0.0, 0.0], rtol=1e-6)   # log ≥ −100
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad.data))
    assert p.grad.data[0] < -1e6 and p.grad.data[1] > 1e6


def test_row_maxima_whose_sum_overflows_still_shift_each_row():
    """The stable softmax checks its row maxima with one sum; finite maxima of 3e38 in float32
    overflow that sum, which only sends them through the careful path: same results."""
    z = np.array([[3e38, 0.0, -3e38], [3e38, 3e38, 0.0], [1.0, 2.0, 3.0]], dtype=np.float32)
    with np.errstate(over="ignore"):
        p = ag.softmax(ag.Tensor(z), axis=-1).numpy()
        loss = nn.CrossEntropyLoss(reduction="none")(ag.Tensor(z), np.array([0, 1, 2]))
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    e = np.exp(np.array([1.0, 2.0, 3.0]) - 3.0)
    np.testing.assert_allclose(p[2], e / e.sum(), rtol=1e-6)
    np.testing.assert_allclose(loss.numpy(), [0.0, np.log(2.0), np.log(e.sum())], rtol=1e-6)
    assert p.dtype == np.float32 and not np.isnan(p).any()


@pytest.mark.parametrize("dtype, big", [(np.float32, 1e8), (np.float64, 1e17)])
def test_cross_entropy_keeps_log_s_next_to_huge_logits_D12(dtype, big):
    """Two tied logits of 1e8 (float32) or 1e17 (float64): the loss is log 2 exactly as for
    logits of 0. Computed as (log s + max) − z_y, the max would swallow log 2 and give 0."""
    z = ag.Tensor(np.array([[big, big], [-big, -big]], dtype=dtype), requires_grad=True)
    loss = nn.CrossEntropyLoss(reduction="none")(z, np.array([0, 1]))
    np.testing.assert_allclose(loss.numpy(), [np.log(2.0)] * 2, rtol=1e-6)
    t = ag.Tensor(np.full((2, 2), 0.5, dtype=dtype), requires_grad=True)
    soft = nn.CrossEntropyLoss(reduction="sum")(z, t)
    np.testing.assert_allclose(soft.item(), 2 * np.log(2.0), rtol=1e-6)
    soft.backward()
    np.testing.assert_allclose(t.grad.numpy(), np.full((2, 2), np.log(2.0)), rtol=1e-6)
    np.testing.assert_allclose(z.grad.numpy(), np.zeros((2, 2)), atol=1e-6)


_EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -1e-300, 3e38, -3e38, 2.5, -2.5]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0, 1.5, -0.5])
@pytest.mark.parametrize("shape", [(), (11,), (4, 5), (1, 5)])
def test_leaky_relu_and_sigmoid_equal_the_select_bit_for_bit_D16_D17(dtype, slope, shape):
    """leaky_relu (x for x > 0, αx otherwise) and sigmoid (1/d for x ≥ 0, e/d otherwise) are
    computed without np.where; values and gradients must be exactly the select's, for slopes
    below 0, in [0, 1] and above 1, at ±0, ±inf, NaN and huge values."""
    rng = np.random.default_rng(7)
    x = np.resize(np.array(_EDGES), shape) if shape else np.array(-2.5)
    x = np.where(rng.random(shape) < 0.3, rng.normal(size=shape) * 3, x).astype(dtype)
    g = rng.normal(size=shape).astype(dtype)
    with np.errstate(all="ignore"):
        t = ag.Tensor(x, requires_grad=True)
        y = ag.leaky_relu(t, slope)
        y.backward(g)
        np.testing.assert_array_equal(y.numpy(), np.where(x > 0, x, x * slope))
        np.testing.assert_array_equal(t.grad.numpy(), np.where(x > 0, g, g * slope))
        assert y.dtype == t.grad.dtype == dtype
        e = np.exp(-np.abs(x))
        d = 1.0 + e
        np.testing.assert_array_equal(ag.sigmoid(x).numpy(), np.where(x >= 0, 1.0 / d, e / d))
