"""Optimizers against their update rules written out by hand in numpy, on a small quadratic."""
import numpy as np
import pytest

import autograd as ag
import nn
from nn import optim

A = [np.array([1.0, 3.0, 0.5]), np.array([[2.0, 0.2], [1.0, 4.0]])]
B = [np.array([0.3, -1.0, 2.0]), np.array([[1.0, -0.5], [0.0, 0.7]])]
P0 = [np.array([1.0, -2.0, 0.5]), np.array([[0.4, 1.5], [-1.0, 0.2]])]
STEPS = 6


def _grad(k, p):
    """∇ of f(p) = ½ Σ a p² + Σ b p, the quadratic the optimizers minimize."""
    return A[k] * p + B[k]


def _loss(params):
    return sum(0.5 * (a * p * p).sum() + (b * p).sum() for a, b, p in zip(A, B, params))


def _run(make_opt, dtype=np.float64, steps=STEPS):
    params = [nn.Parameter(p.astype(dtype)) for p in P0]
    opt = make_opt(params)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        _loss(params).backward()
        opt.step()
        history.append([p.data.copy() for p in params])
    return params, opt, history


# ----------------------------------------------------------------------------- references
def ref_sgd(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    out = []
    ps, bufs = [p.copy() for p in P0], [None, None]
    for _ in range(STEPS):
        new = []
        for k, p in enumerate(ps):
            g = _grad(k, p) + weight_decay * p
            if momentum:
                bufs[k] = g.copy() if bufs[k] is None else momentum * bufs[k] + (1 - dampening) * g
                g = g + momentum * bufs[k] if nesterov else bufs[k]
            new.append(p - lr * g)
        ps = new
        out.append(ps)
    return out


def ref_adam(lr, b1, b2, eps, weight_decay=0.0, decoupled=False):
    """The textbook form: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), p ← p − lr·m̂/(√v̂ + eps)."""
    out = []
    ps = [p.copy() for p in P0]
    ms = [np.zeros_like(p) for p in P0]
    vs = [np.zeros_like(p) for p in P0]
    for t in range(1, STEPS + 1):
        new = []
        for k, p in enumerate(ps):
            g = _grad(k, p)
            if decoupled:
                p = p * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * p
            ms[k] = b1 * ms[k] + (1 - b1) * g
            vs[k] = b2 * vs[k] + (1 - b2) * g * g
            m_hat = ms[k] / (1 - b1 ** t)
            v_hat = vs[k] / (1 - b2 ** t)
            new.append(p - lr * m_hat / (np.sqrt(v_hat) + eps))
        ps = new
        out.append(ps)
    return out


def _assert_history(history, reference, rtol=1e-12):
    for step, (got, want) in enumerate(zip(history, reference)):
        for k, (g, w) in enumerate(zip(got, want)):
            np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-14,
                                       err_msg=f"step {step + 1}, parameter {k}")


@pytest.mark.parametrize("kwargs", [
    dict(lr=0.1),
    dict(lr=0.05, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.3),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.05),
])
def test_sgd_follows_pytorchs_rule(kwargs):
    _, _, history = _run(lambda ps: optim.SGD(ps, **kwargs))
    _assert_history(history, ref_sgd(**kwargs))


@pytest.mark.parametrize("kwargs", [
    dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8),
    dict(lr=0.05, betas=(0.5, 0.9), eps=1e-3),
    dict(lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1),
])
def test_adam_follows_its_rule_with_bias_correction(kwargs):
    _, _, history = _run(lambda ps: optim.Adam(ps, **kwargs))
    _assert_history(history, ref_adam(kwargs["lr"], *kwargs["betas"], kwargs["eps"],
                                      kwargs.get("weight_decay", 0.0)))


def test_adam_first_step_is_lr_times_the_gradients_sign():
    """Bias correction makes m̂ = g and v̂ = g² at t = 1: the step is lr·g/(|g| + eps)."""
    _, _, history = _run(lambda ps: optim.Adam(ps, lr=0.01), steps=1)
    for k, p in enumerate(P0):
        g = _grad(k, p)
        np.testing.assert_allclose(history[0][k], p - 0.01 * g / (np.abs(g) + 1e-8))


@pytest.mark.parametrize("weight_decay", [0.1, 0.5])
def test_adamw_decays_the_weights_decoupled_from_the_gradient(weight_decay):
    _, _, history = _run(lambda ps: optim.AdamW(ps, lr=0.05, weight_decay=weight_decay))
    _assert_history(history, ref_adam(0.05, 0.9, 0.999, 1e-8, weight_decay, decoupled=True))
    # and it differs from Adam's L2 penalty in the gradient
    _, _, l2 = _run(lambda ps: optim.Adam(ps, lr=0.05, weight_decay=weight_decay))
    assert not np.allclose(history[-1][0], l2[-1][0])


def test_adamw_default_weight_decay_is_pytorchs():
    opt = optim.AdamW([nn.Parameter(np.zeros(2))])
    assert opt.param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda ps: optim.Adam(ps, lr=0.05, weight_decay=0.01),
    lambda ps: optim.AdamW(ps, lr=0.05),
])
def test_float32_parameters_and_state_stay_float32(make):
    params, opt, history = _run(make, dtype=np.float32)
    _, _, history64 = _run(make)
    for p in params:
        assert p.dtype == np.float32
    for s in opt.state.values():
        for v in s.values():
            if isinstance(v, np.ndarray):
                assert v.dtype == np.float32
    np.testing.assert_allclose(history[-1][1], history64[-1][1], rtol=1e-5, atol=1e-6)


def test_step_updates_in_place_and_leaves_grads_alone():
    p = nn.Parameter(np.array([1.0, 2.0]))
    data = p.data
    opt = optim.SGD([p], lr=0.5, weight_decay=0.1)
    (p * p).sum().backward()
    grad = p.grad.data.copy()
    opt.step()
    assert p.data is data
    np.testing.assert_array_equal(p.grad.data, grad)
    np.testing.assert_allclose(p.data, [1.0, 2.0] - 0.5 * (grad + 0.1 * np.array([1.0, 2.0])))


def test_parameters_without_grad_are_skipped_and_groups_have_their_own_lr():
    a, b, c = (nn.Parameter(np.ones(2)) for _ in range(3))
    opt = optim.SGD([{"params": [a]}, {"params": [b, c], "lr": 0.5}], lr=0.1)
    (a.sum() + b.sum()).backward()        # c gets no gradient
    opt.step()
    np.testing.assert_allclose(a.data, [0.9, 0.9])
    np.testing.assert_allclose(b.data, [0.5, 0.5])
    np.testing.assert_allclose(c.data, [1.0, 1.0])
    opt.zero_grad()
    assert a.grad is None and b.grad is None


# ----------------------------------------------------------------------------- state dicts
@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
    lambda ps: optim.Adam(ps, lr=0.05),
    lambda ps: optim.AdamW(ps, lr=0.05, betas=(0.8, 0.99)),
])
@pytest.mark.parametrize("through_file", [False, True])
def test_resuming_from_a_state_dict_continues_exactly(make, through_file, tmp_path):
    _, _, straight = _run(make, steps=5)

    params, opt, _ = _run(make, steps=3)
    model_state = [p.data.copy() for p in params]
    opt_state = opt.state_dict()
    if through_file:
        nn.save(opt_state, tmp_path / "opt.npz")
        opt_state = nn.load(tmp_path / "opt.npz")
    fresh = [nn.Parameter(d) for d in model_state]
    opt2 = make(fresh)
    opt2.load_state_dict(opt_state)
    for _ in range(2):
        opt2.zero_grad()
        _loss(fresh).backward()
        opt2.step()
    for p, want in zip(fresh, straight[-1]):
        np.testing.assert_allclose(p.data, want, rtol=1e-14)


def test_state_dict_layout_is_pytorchs():
    params, opt, _ = _run(lambda ps: optim.Adam(ps, lr=0.01), steps=2)
    sd = opt.state_dict()
    assert sorted(sd["state"]) == [0, 1]
    assert sd["state"][0]["step"] == 2 and set(sd["state"][1]) == {"step", "exp_avg",
                                                                   "exp_avg_sq"}
    assert sd["param_groups"] == [dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8,
                                       weight_decay=0.0, params=[0, 1])]
    sd["state"][0]["exp_avg"][:] = 99          # a copy
    assert not np.any(opt.state[id(params[0])]["exp_avg"] == 99)


def test_bad_optimizer_state_changes_nothing():
    params, opt, _ = _run(lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9), steps=2)
    sd = opt.state_dict()
    sd["state"][1]["momentum_buffer"] = np.zeros(5)
    sd["param_groups"][0]["lr"] = 7.0
    before = {k: v["momentum_buffer"].copy() for k, v in opt.state.items()}
    with pytest.raises(ValueError, match=r"state 'momentum_buffer' of parameter 1 has shape "
                                         r"\(5,\), the parameter \(2, 2\)"):
        opt.load_state_dict(sd)
    assert opt.param_groups[0]["lr"] == 0.1
    for k, v in opt.state.items():
        np.testing.assert_array_equal(v["momentum_buffer"], before[k])
    with pytest.raises(ValueError, match=r"group 0 has 2 parameter\(s\) in the state, 1 here"):
        optim.SGD([params[0]], lr=0.1).load_state_dict(opt.state_dict())


# ----------------------------------------------------------------------------- bad arguments
def test_optimizer_argument_errors():
    p = nn.Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="SGD: got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="Adam: got an empty parameter list"):
        optim.Adam(nn.ReLU().parameters())
    with pytest.raises(TypeError, match="AdamW: params must be an iterable of Tensors, such as "
                                        "model.parameters\\(\\), got a Linear"):
        optim.AdamW(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="not named_parameters"):
        optim.SGD(nn.Linear(2, 2).named_parameters(), lr=0.1)
    with pytest.raises(ValueError, match="appears more than once"):
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match="requires_grad=True"):
        optim.SGD([ag.Tensor(np.zeros(2))], lr=0.1)
    with pytest.raises(ValueError, match="SGD: lr must be a number >= 0, got -1"):
        optim.SGD([p], lr=-1)
    with pytest.raises(ValueError, match="nesterov=True needs momentum > 0"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"Adam: betas must be two numbers in \[0, 1\)"):
        optim.Adam([p], betas=(0.9, 1.0))
    assert "lr: 0.1" in repr(optim.SGD([p], lr=0.1))
