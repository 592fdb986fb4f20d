"""nn.utils (gradient clipping) and nn.optim.lr_scheduler against numpy and the closed forms,
with PyTorch's semantics; and docs/training.md's example, run."""
import math
import pathlib
import re
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
from nn.optim import lr_scheduler as S

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHAPES = [(3,), (2, 4), (5,), ()]


def _params_with_grads(seed=0, dtype=np.float64, scale=1.0, shapes=SHAPES):
    rng = np.random.default_rng(seed)
    params = []
    for shape in shapes:
        p = nn.Parameter(np.zeros(shape, dtype=dtype))
        p.grad = ag.Tensor((scale * rng.normal(size=shape)).astype(dtype))
        params.append(p)
    return params


def _grads(params):
    return [None if p.grad is None else p.grad.numpy().copy() for p in params]


# ============================================================================ clip_grad_norm_
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf"), "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 2.0])
def test_clip_grad_norm_scales_by_max_over_total(norm_type, max_norm):
    params = _params_with_grads(scale=2.0)
    before = _grads(params)
    p = float(norm_type)
    flat = np.concatenate([g.ravel() for g in before])
    want = np.abs(flat).max() if math.isinf(p) else (np.abs(flat) ** p).sum() ** (1 / p)
    total = nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    assert isinstance(total, ag.Tensor) and total.shape == () and total.dtype == np.float64
    assert not total.requires_grad
    np.testing.assert_allclose(float(total), want, rtol=1e-12)
    assert want > max_norm
    coef = max_norm / (want + 1e-6)
    for param, g in zip(params, before):
        np.testing.assert_allclose(param.grad.numpy(), g * coef, rtol=1e-12)
    after = np.concatenate([param.grad.numpy().ravel() for param in params])
    norm_after = np.abs(after).max() if math.isinf(p) else (np.abs(after) ** p).sum() ** (1 / p)
    assert norm_after <= max_norm


def test_clip_grad_norm_changes_nothing_below_max_norm():
    params = _params_with_grads()
    arrays = [p.grad.numpy() for p in params]
    before = _grads(params)
    clock = ag.inplace.clock.value
    total = nn.utils.clip_grad_norm_(params, max_norm=1e6)
    assert float(total) < 1e6
    for p, arr, g in zip(params, arrays, before):
        assert p.grad.numpy() is arr
        np.testing.assert_array_equal(arr, g)
    assert ag.inplace.clock.value == clock          # nothing registered as changed
    # max_norm = inf only measures
    total = nn.utils.clip_grad_norm_(params, max_norm=float("inf"))
    np.testing.assert_allclose(float(total), np.sqrt(sum((g ** 2).sum() for g in before)))
    for p, g in zip(params, before):
        np.testing.assert_array_equal(p.grad.numpy(), g)


def test_clip_grad_norm_changes_the_grad_arrays_in_place_and_registers_it():
    params = _params_with_grads(scale=10.0)
    grads = [p.grad for p in params]
    arrays = [g.numpy() for g in grads]
    clock = ag.inplace.clock.value
    nn.utils.clip_grad_norm_(params, 1.0)
    assert [p.grad for p in params] == grads                  # the same Tensors
    assert all(p.grad.numpy() is a for p, a in zip(params, arrays))
    assert ag.inplace.clock.value > clock


def test_a_graph_that_saved_a_clipped_gradient_refuses_to_run():
    w = nn.Parameter(np.array([3.0, 4.0]))
    (w ** 3).sum().backward(create_graph=True)
    penalty = (w.grad * w.grad).sum()            # saves w.grad's array
    nn.utils.clip_grad_norm_([w], 1.0)
    with pytest.raises(RuntimeError, match="modified in place"):
        penalty.backward()


def test_clip_grad_norm_skips_none_grads_and_counts_a_repeated_parameter_once():
    params = _params_with_grads(scale=3.0)
    params[1].grad = None
    before = _grads(params)
    want = np.sqrt(sum((g ** 2).sum() for g in before if g is not None))
    total = nn.utils.clip_grad_norm_(params + [params[0]], max_norm=1.0)
    np.testing.assert_allclose(float(total), want, rtol=1e-12)
    assert params[1].grad is None
    for p, g in zip(params, before):
        if g is not None:
            np.testing.assert_allclose(p.grad.numpy(), g / (want + 1e-6), rtol=1e-12)


def test_clip_grad_norm_takes_one_tensor_a_generator_or_nothing():
    w = nn.Parameter(np.array([3.0, 4.0]))
    w.grad = ag.tensor([6.0, 8.0])
    assert float(nn.utils.clip_grad_norm_(w, 5.0)) == 10.0
    np.testing.assert_allclose(w.grad.numpy(), [3.0, 4.0], rtol=1e-6)
    model = nn.Linear(2, 1, rng=0)
    total = nn.utils.clip_grad_norm_(model.parameters(), 1.0)     # no grads yet
    assert float(total) == 0.0 and total.shape == ()
    total = nn.utils.clip_grad_norm_([], 1.0)
    assert float(total) == 0.0
    with pytest.warns(UserWarning, match="empty generator"):
        nn.utils.clip_grad_norm_((p for p in []), 1.0)


def test_clip_grad_norm_keeps_float32():
    params = _params_with_grads(dtype=np.float32, scale=5.0)
    before = _grads(params)
    want = np.sqrt(sum((g.astype(np.float64) ** 2).sum() for g in before))
    total = nn.utils.clip_grad_norm_(params, 1.0)
    assert total.dtype == np.float32
    np.testing.assert_allclose(float(total), want, rtol=1e-6)
    for p, g in zip(params, before):
        assert p.grad.dtype == np.float32
        np.testing.assert_allclose(p.grad.numpy(), g / want, rtol=1e-5)


def test_clip_grad_norm_nonfinite_total():
    w = nn.Parameter(np.zeros(3))
    w.grad = ag.tensor([1.0, np.inf, 2.0])
    with pytest.raises(RuntimeError, match=r"clip_grad_norm_: the total norm .* inf"):
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, np.inf, 2.0])    # unchanged
    w.grad = ag.tensor([1.0, np.nan, 2.0])
    with pytest.raises(RuntimeError, match="not finite"):
        nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    # without the error: PyTorch's result, the factor is nan (or 0 for an infinite total)
    total = nn.utils.clip_grad_norm_([w], 1.0)
    assert math.isnan(float(total)) and np.isnan(w.grad.numpy()).all()
    w.grad = ag.tensor([1.0, np.inf, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = nn.utils.clip_grad_norm_([w], 1.0)
    assert float(total) == np.inf
    np.testing.assert_array_equal(w.grad.numpy(), [0.0, np.nan, 0.0])


def test_clip_grad_norm_replaces_a_read_only_grad():
    w = nn.Parameter(np.zeros(2))
    w.grad = ag.Tensor(np.broadcast_to(np.array([30.0]), (2,)))
    nn.utils.clip_grad_norm_(w, 1.0)
    np.testing.assert_allclose(w.grad.numpy(), [2 ** -0.5] * 2, rtol=1e-6)


def test_get_total_norm_and_clip_grads_with_norm():
    params = _params_with_grads(scale=4.0)
    before = _grads(params)
    total = nn.utils.get_total_norm([p.grad for p in params])
    want = np.sqrt(sum((g ** 2).sum() for g in before))
    np.testing.assert_allclose(float(total), want, rtol=1e-12)
    nn.utils.clip_grads_with_norm_(params, 2.0, total)
    for p, g in zip(params, before):
        np.testing.assert_allclose(p.grad.numpy(), g * 2.0 / (want + 1e-6), rtol=1e-12)
    assert float(nn.utils.get_total_norm([])) == 0.0
    with pytest.raises(TypeError, match="get_total_norm: tensors must be a Tensor"):
        nn.utils.get_total_norm(5)
    with pytest.raises(TypeError, match=r"get_total_norm: tensors\[1\] is a list"):
        nn.utils.get_total_norm([params[0].grad, [1.0]])
    with pytest.raises(ValueError, match="total_norm must be a single number"):
        nn.utils.clip_grads_with_norm_(params, 2.0, np.ones(2))


@pytest.mark.parametrize("call, error, match", [
    (lambda p: nn.utils.clip_grad_norm_(p, -1.0), ValueError, "max_norm must be a number >= 0"),
    (lambda p: nn.utils.clip_grad_norm_(p, float("nan")), ValueError, "max_norm"),
    (lambda p: nn.utils.clip_grad_norm_(p, "1"), TypeError, "max_norm"),
    (lambda p: nn.utils.clip_grad_norm_(p, 1.0, norm_type=0), ValueError, "norm_type"),
    (lambda p: nn.utils.clip_grad_norm_(p, 1.0, norm_type=-2), ValueError, "norm_type"),
    (lambda p: nn.utils.clip_grad_norm_(p, 1.0, norm_type="two"), ValueError, "norm_type"),
    (lambda p: nn.utils.clip_grad_norm_(p, 1.0, norm_type=None), TypeError, "norm_type"),
    (lambda p: nn.utils.clip_grad_norm_(p, 1.0, foreach="yes"), TypeError, "foreach"),
    (lambda p: nn.utils.clip_grad_norm_(p + [3.0], 1.0), TypeError,
     r"clip_grad_norm_: parameters\[4\] is a float, not a Tensor"),
    (lambda p: nn.utils.clip_grad_norm_(nn.Linear(2, 1), 1.0), TypeError,
     "model.parameters()"),
    (lambda p: nn.utils.clip_grad_norm_(5, 1.0), TypeError, "iterable of Tensors"),
    (lambda p: nn.utils.clip_grad_norm_(nn.Linear(2, 1).named_parameters(), 1.0), TypeError,
     "named_parameters"),
    (lambda p: nn.utils.clip_grad_value_(p, -0.5), ValueError,
     "clip_grad_value_: clip_value must be a number >= 0"),
    (lambda p: nn.utils.clip_grad_value_(p, None), TypeError, "clip_value"),
    (lambda p: nn.utils.clip_grad_value_(nn.Linear(2, 1), 1.0), TypeError, "parameters"),
])
def test_clipping_bad_arguments(call, error, match):
    params = _params_with_grads(scale=5.0)
    before = _grads(params)
    with pytest.raises(error, match=match):
        call(params)
    for p, g in zip(params, before):                 # nothing changed
        np.testing.assert_array_equal(p.grad.numpy(), g)


# ============================================================================ clip_grad_value_
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_clip_grad_value_clamps_every_entry(dtype):
    params = _params_with_grads(dtype=dtype, scale=2.0)
    params[2].grad = None
    before = _grads(params)
    arrays = [None if p.grad is None else p.grad.numpy() for p in params]
    assert nn.utils.clip_grad_value_(params, 0.75) is None
    for p, g, arr in zip(params, before, arrays):
        if g is None:
            assert p.grad is None
            continue
        assert p.grad.numpy() is arr and p.grad.dtype == dtype
        np.testing.assert_array_equal(p.grad.numpy(), np.clip(g, -0.75, 0.75))
    w = nn.Parameter(np.zeros(3))
    w.grad = ag.tensor([np.nan, -np.inf, 0.1])
    nn.utils.clip_grad_value_(w, 1.0)
    np.testing.assert_array_equal(w.grad.numpy(), [np.nan, -1.0, 0.1])


# ============================================================================ schedulers
def _opt(lrs=(0.1,), kind="sgd", dtype=np.float64):
    groups = [{"params": [nn.Parameter(np.ones(2, dtype=dtype))], "lr": lr} for lr in lrs]
    if kind == "adam":
        return nn.optim.Adam(groups, lr=lrs[0])
    return nn.optim.SGD(groups, lr=lrs[0], momentum=0.9)


def _train_step(opt):
    opt.zero_grad()
    sum((p * p).sum() for g in opt.param_groups for p in g["params"]).backward()
    opt.step()


def _sequence(opt, sched, steps=10):
    """The lr of every group at epochs 0..steps, stepping the optimizer first, as PyTorch."""
    seq = [sched.get_last_lr()]
    for _ in range(steps):
        _train_step(opt)
        sched.step()
        seq.append(sched.get_last_lr())
        assert seq[-1] == [g["lr"] for g in opt.param_groups]
    return seq


BASES = (0.1, 0.03)
SCHEDULES = {
    "StepLR": (lambda o: S.StepLR(o, step_size=3, gamma=0.5),
               lambda base, e: base * 0.5 ** (e // 3)),
    "StepLR-default-gamma": (lambda o: S.StepLR(o, step_size=4),
                             lambda base, e: base * 0.1 ** (e // 4)),
    "ExponentialLR": (lambda o: S.ExponentialLR(o, gamma=0.9),
                      lambda base, e: base * 0.9 ** e),
    "CosineAnnealingLR": (lambda o: S.CosineAnnealingLR(o, T_max=10),
                          lambda base, e: base * (1 + math.cos(math.pi * e / 10)) / 2),
    "CosineAnnealingLR-eta_min": (
        lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01),     # past T_max: it climbs
        lambda base, e: 0.01 + (base - 0.01) * (1 + math.cos(math.pi * e / 4)) / 2),
    "LambdaLR": (lambda o: S.LambdaLR(o, lambda e: 1 / (1 + e)),
                 lambda base, e: base / (1 + e)),
}


@pytest.mark.parametrize("name", SCHEDULES)
@pytest.mark.parametrize("kind", ["sgd", "adam"])
def test_schedule_follows_its_closed_form(name, kind):
    make, closed = SCHEDULES[name]
    opt = _opt(BASES, kind)
    sched = make(opt)
    assert [g["initial_lr"] for g in opt.param_groups] == list(BASES)
    assert sched.base_lrs == list(BASES) and sched.last_epoch == 0
    seq = _sequence(opt, sched, steps=10)
    assert sched.last_epoch == 10
    for e, lrs in enumerate(seq):
        assert all(type(lr) is float for lr in lrs)
        np.testing.assert_allclose(lrs, [closed(b, e) for b in BASES], rtol=1e-12, atol=1e-17)


def test_values_printed_by_pytorch():
    """The sequences torch 2.13.0 printed (get_last_lr() over 10 steps, lr 0.1): the
    recursive forms agree with PyTorch float for float."""
    printed = {
        "cos": [0.1, 0.09755282581475769, 0.09045084971874738, 0.07938926261462367,
                0.06545084971874739, 0.05000000000000001, 0.03454915028125264,
                0.020610737385376353, 0.009549150281252635, 0.002447174185242324, 0.0],
        "cos_eta_min": [0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605363,
                        0.01, 0.023180194846605363, 0.05500000000000002, 0.08681980515339469,
                        0.10000000000000006, 0.0868198051533947],
        "step": [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125],
        "exp": [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002,
                0.06561000000000002, 0.05904900000000002, 0.05314410000000002,
                0.04782969000000002, 0.043046721000000024, 0.03874204890000002,
                0.03486784401000002],
    }
    makers = {"cos": lambda o: S.CosineAnnealingLR(o, T_max=10),
              "cos_eta_min": lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01),
              "step": lambda o: S.StepLR(o, 3, 0.5),
              "exp": lambda o: S.ExponentialLR(o, 0.9)}
    for name, want in printed.items():
        opt = _opt()
        seq = _sequence(opt, makers[name](opt), steps=len(want) - 1)
        assert [lrs[0] for lrs in seq] == want, name
    # and the closed form gives the same to rounding
    np.testing.assert_allclose(printed["cos"], [0.05 * (1 + math.cos(math.pi * e / 10))
                                                for e in range(11)], rtol=1e-12, atol=1e-17)


def test_lambda_lr_one_function_per_group():
    opt = _opt(BASES)
    sched = S.LambdaLR(opt, [lambda e: 0.95 ** e, lambda e: 1.0 + e])
    seq = _sequence(opt, sched)
    for e, lrs in enumerate(seq):
        np.testing.assert_allclose(lrs, [0.1 * 0.95 ** e, 0.03 * (1 + e)], rtol=1e-12)
    sched = S.LambdaLR(_opt(BASES), (abs, abs))              # a tuple works too
    assert len(sched.lr_lambdas) == 2


def test_construction_sets_initial_lr_and_applies_epoch_zero():
    opt = _opt(BASES)
    opt.param_groups[1]["initial_lr"] = 0.5                 # kept, as PyTorch's setdefault
    sched = S.LambdaLR(opt, lambda e: 0.5)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert sched.get_last_lr() == [0.05, 0.25] == [g["lr"] for g in opt.param_groups]
    sched.get_last_lr().append(1.0)                         # a copy
    assert sched.get_last_lr() == [0.05, 0.25]


def test_schedule_survives_a_change_of_lr_between_steps():
    opt = _opt()
    sched = S.StepLR(opt, step_size=2, gamma=0.5)
    _train_step(opt)
    sched.step()
    opt.param_groups[0]["lr"] = 0.2                         # by hand, as PyTorch allows
    _train_step(opt)
    sched.step()
    assert sched.get_last_lr() == [0.1]


def test_float32_parameters_stay_float32_under_a_schedule():
    opt = _opt(dtype=np.float32)
    sched = S.ExponentialLR(opt, 0.5)
    for _ in range(3):
        _train_step(opt)
        sched.step()
    assert all(p.dtype == np.float32 for g in opt.param_groups for p in g["params"])


def test_step_before_optimizer_step_warns_and_the_right_order_does_not():
    opt = _opt()
    sched = S.StepLR(opt, 2)
    with pytest.warns(UserWarning, match=r"before optimizer.step\(\)"):
        sched.step()
    opt = _opt()
    sched = S.StepLR(opt, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _sequence(opt, sched, steps=3)
    # a second scheduler on the same optimizer wraps its step only once
    S.ExponentialLR(opt, 0.5)
    assert opt.step._wrapped_by_lr_sched and not hasattr(opt.step.__wrapped__, "__wrapped__")


def test_step_with_an_epoch_uses_the_closed_form_and_warns():
    opt = _opt()
    sched = S.StepLR(opt, step_size=3, gamma=0.5)
    _train_step(opt)
    with pytest.warns(UserWarning, match="deprecated"):
        sched.step(7)
    assert sched.last_epoch == 7 and sched.get_last_lr() == [0.1 * 0.5 ** 2]
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="epoch must be"):
        sched.step(-3)


def test_resume_with_last_epoch_needs_initial_lr():
    with pytest.raises(ValueError, match=r"last_epoch=4 resumes.*param_groups\[0\].*"
                                         r"'initial_lr'"):
        S.StepLR(_opt(), step_size=2, last_epoch=4)
    opt = _opt()
    opt.param_groups[0]["initial_lr"] = 0.1
    opt.param_groups[0]["lr"] = 0.1 * 0.9 ** 4
    sched = S.ExponentialLR(opt, 0.9, last_epoch=4)       # epoch 4's rate, then on
    assert sched.last_epoch == 5 and sched.get_last_lr() == [0.1 * 0.9 ** 4]


# ---------------------------------------------------------------------------- state dicts
def _plain(obj):
    if isinstance(obj, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return all(_plain(v) for v in obj)
    return obj is None or type(obj) in (int, float, str, bool)


STATE_CASES = {
    "StepLR": lambda o: S.StepLR(o, step_size=3, gamma=0.5),
    "ExponentialLR": lambda o: S.ExponentialLR(o, gamma=0.8),
    "CosineAnnealingLR": lambda o: S.CosineAnnealingLR(o, T_max=6, eta_min=0.001),
    "LambdaLR": lambda o: S.LambdaLR(o, [lambda e: 0.9 ** e, lambda e: 1 / (1 + e)]),
}


@pytest.mark.parametrize("name", STATE_CASES)
def test_state_dict_round_trip_through_nn_save_continues_the_sequence(name, tmp_path):
    make = STATE_CASES[name]
    opt = _opt(BASES, "adam")
    sched = make(opt)
    reference = _sequence(opt, sched, steps=10)             # uninterrupted

    opt = _opt(BASES, "adam")
    sched = make(opt)
    first = _sequence(opt, sched, steps=4)
    state = sched.state_dict()
    assert _plain(state), state
    assert state["last_epoch"] == 4
    path = tmp_path / "checkpoint.npz"
    nn.save({"optim": opt.state_dict(), "sched": state}, path)
    checkpoint = nn.load(path)
    assert checkpoint["sched"] == state

    opt2 = _opt((0.7, 0.7), "adam")                         # other rates: all come back
    sched2 = make(opt2)
    opt2.load_state_dict(checkpoint["optim"])
    sched2.load_state_dict(checkpoint["sched"])
    assert sched2.state_dict() == state
    second = _sequence(opt2, sched2, steps=6)
    assert first + second[1:] == reference


def test_resume_by_last_epoch_from_a_saved_optimizer(tmp_path):
    opt = _opt(BASES)
    sched = S.CosineAnnealingLR(opt, T_max=8)
    reference = _sequence(opt, sched, steps=8)
    opt = _opt(BASES)
    sched = S.CosineAnnealingLR(opt, T_max=8)
    first = _sequence(opt, sched, steps=3)
    nn.save(opt.state_dict(), tmp_path / "o.npz")
    opt2 = _opt(BASES)
    opt2.load_state_dict(nn.load(tmp_path / "o.npz"))
    sched2 = S.CosineAnnealingLR(opt2, T_max=8, last_epoch=2)
    assert sched2.last_epoch == 3 and sched2.get_last_lr() == first[-1]
    second = _sequence(opt2, sched2, steps=5)
    np.testing.assert_allclose(first + second[1:], reference, rtol=1e-12)


def test_lambda_lr_state_dict_saves_a_callable_objects_attributes_not_functions(tmp_path):
    class Decay:
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, epoch):
            return self.rate ** epoch

    opt = _opt(BASES)
    sched = S.LambdaLR(opt, [Decay(0.5), lambda e: 1.0])
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"rate": 0.5}, None]
    nn.save(state, tmp_path / "s.npz")
    other = Decay(0.9)
    sched2 = S.LambdaLR(_opt(BASES), [other, lambda e: 1.0])
    sched2.load_state_dict(nn.load(tmp_path / "s.npz"))
    assert other.rate == 0.5


def test_load_state_dict_accepts_numpy_numbers_and_ignores_pytorchs_bookkeeping():
    sched = S.StepLR(_opt(), 3)
    sched.load_state_dict({"last_epoch": np.int64(5), "base_lrs": np.array([0.2]),
                           "step_size": np.int64(2), "gamma": np.float64(0.5),
                           "verbose": False, "_get_lr_called_within_step": False,
                           "_is_initial": False})
    assert sched.last_epoch == 5 and sched.step_size == 2 and sched.gamma == 0.5
    assert _plain(sched.state_dict())


@pytest.mark.parametrize("state, error, match", [
    ([1, 2], ValueError, "expected a dict"),
    ({"last_epoch": 1}, ValueError, "the state has no 'base_lrs'"),
    ({"base_lrs": [0.1]}, ValueError, "the state has no 'last_epoch'"),
    ({"last_epoch": 1, "base_lrs": [0.1, 0.2]}, ValueError,
     r"base_lrs must be a list of one learning rate per parameter group \(1\)"),
    ({"last_epoch": 1, "base_lrs": [-0.1]}, ValueError, r"base_lrs\[0\]"),
    ({"last_epoch": 1.5, "base_lrs": [0.1]}, TypeError, "last_epoch must be an integer"),
    ({"last_epoch": 1, "base_lrs": [0.1], "step_size": 0}, ValueError, "step_size"),
    ({"last_epoch": 1, "base_lrs": [0.1], "T_max": 3}, ValueError,
     r"unexpected key\(s\) \['T_max'\]"),
])
def test_load_state_dict_refuses_a_bad_state_and_changes_nothing(state, error, match):
    opt = _opt()
    sched = S.StepLR(opt, 3)
    _train_step(opt)
    sched.step()
    before = sched.state_dict()
    with pytest.raises(error, match=r"StepLR.load_state_dict: " + match):
        sched.load_state_dict(state)
    assert sched.state_dict() == before


# ---------------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("make, error, match", [
    (lambda o: S.StepLR(o, step_size=0), ValueError, "StepLR: step_size must be an integer >= 1"),
    (lambda o: S.StepLR(o, step_size=-2), ValueError, "step_size"),
    (lambda o: S.StepLR(o, step_size=1.5), TypeError, "step_size must be an integer"),
    (lambda o: S.StepLR(o, step_size=True), TypeError, "step_size"),
    (lambda o: S.StepLR(o, 2, gamma=-0.1), ValueError, "StepLR: gamma must be a finite number"),
    (lambda o: S.StepLR(o, 2, gamma=float("nan")), ValueError, "gamma"),
    (lambda o: S.ExponentialLR(o, gamma="0.9"), TypeError, "ExponentialLR: gamma"),
    (lambda o: S.ExponentialLR(o, gamma=float("inf")), ValueError, "gamma"),
    (lambda o: S.CosineAnnealingLR(o, T_max=0), ValueError, "CosineAnnealingLR: T_max"),
    (lambda o: S.CosineAnnealingLR(o, T_max=10.0), TypeError, "T_max must be an integer"),
    (lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=-1e-3), ValueError, "eta_min"),
    (lambda o: S.StepLR(o, 2, last_epoch=-2), ValueError,
     "StepLR: last_epoch must be an integer >= -1"),
    (lambda o: S.StepLR(o, 2, last_epoch=None), TypeError, "last_epoch"),
    (lambda o: S.StepLR(o.param_groups, 2), TypeError,
     "StepLR: optimizer must be an nn.optim optimizer"),
    (lambda o: S.LambdaLR(o, 0.5), TypeError, "LambdaLR: lr_lambda must be callable"),
    (lambda o: S.LambdaLR(o, [abs, 2]), TypeError, r"lr_lambda\[1\] must be callable"),
    (lambda o: S.LambdaLR(o, [abs]), ValueError,
     r"lr_lambda has 1 function\(s\), for 2 parameter group\(s\)"),
    (lambda o: S.LambdaLR(o, lambda e: -1.0), ValueError,
     r"learning rate of param_groups\[0\] at epoch 0 is -0.1"),
    (lambda o: S.LambdaLR(o, lambda e: "fast"), TypeError,
     r"LambdaLR: lr_lambda\[0\]\(0\) returned 'fast' \(str\), not a number"),
    (lambda o: S.LRScheduler(o), NotImplementedError, "LRScheduler.get_lr"),
])
def test_scheduler_bad_arguments(make, error, match):
    opt = _opt(BASES)
    with pytest.raises(error, match=match):
        make(opt)


def test_a_bad_lr_later_changes_nothing():
    opt = _opt()
    sched = S.LambdaLR(opt, lambda e: 1.0 if e < 2 else float("nan"))
    _train_step(opt)
    sched.step()
    _train_step(opt)
    with pytest.raises(ValueError, match="at epoch 2 is nan"):
        sched.step()
    assert sched.last_epoch == 1 and opt.param_groups[0]["lr"] == 0.1


def test_subclassing_the_base_class():
    class Halving(S.LRScheduler):
        def get_lr(self):
            return [base * 0.5 ** self.last_epoch for base in self.base_lrs]

    opt = _opt()
    seq = _sequence(opt, Halving(opt), steps=3)
    assert [lrs[0] for lrs in seq] == [0.1, 0.05, 0.025, 0.0125]
    assert issubclass(S._LRScheduler, S.LRScheduler)


def test_optim_is_a_package_with_the_same_names():
    import nn.optim.lr_scheduler as module
    assert module is nn.optim.lr_scheduler
    assert pathlib.Path(nn.optim.__file__).name == "__init__.py"
    from nn.optim import SGD, Adam, AdamW, Optimizer
    assert issubclass(SGD, Optimizer) and issubclass(AdamW, Adam)
    assert set(S.__all__) == {"LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR",
                              "LambdaLR"}
    assert set(nn.utils.__all__) >= {"clip_grad_norm_", "clip_grad_value_"}


# ---------------------------------------------------------------------------- the docs page
def test_the_training_page_runs(tmp_path, monkeypatch, capsys):
    """docs/training.md's python blocks, run in order in one namespace (the checkpoint goes
    to a temporary directory); they assert their own results."""
    text = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "training_md"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for block in blocks:
            exec(compile(block, "docs/training.md", "exec"), namespace)
    assert "largest norm before clipping" in capsys.readouterr().out
    assert (tmp_path / "checkpoint.npz").exists()
