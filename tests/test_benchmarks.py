"""The benchmark suite's own checks (fast, never timed): the hand-written numpy floors compute
what the library computes, the memory probe sees a leak, and every case runs end to end."""
import io
import json
import math

import numpy as np
import pytest

import autograd as ag
from benchmarks import bench, floors, harness, impls, peers


def _chain_case(n, seed):
    rng = np.random.default_rng(seed)
    x, a, b = floors.chain_inputs(rng, shape=(8,))
    return x, a, b, floors.chain_codes(n), rng.standard_normal(8)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 12, 31])
def test_chain_floor_matches_library(n):
    x, a, b, codes, g = _chain_case(n, n)
    y_floor, dx_floor = floors.chain_grad(x, a, b, codes, g)
    y_lib, dx_lib = impls.chain_grad(x, a, b, codes, g)
    np.testing.assert_allclose(y_floor, y_lib, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(dx_floor, dx_lib, rtol=1e-12, atol=1e-15)


def test_chain_floor_gradient_against_finite_differences():
    x, a, b, codes, g = _chain_case(9, 0)
    _, dx = floors.chain_grad(x, a, b, codes, g)
    eps = 1e-6
    num = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        hi = floors.chain_forward(x + e, a, b, codes)[0] @ g
        lo = floors.chain_forward(x - e, a, b, codes)[0] @ g
        num[i] = (hi - lo) / (2 * eps)
    np.testing.assert_allclose(dx, num, rtol=1e-6, atol=1e-9)


def _mlp_case(dtype, batch, seed=0, sizes=(6, 7, 5, 3)):
    rng = np.random.default_rng(seed)
    params = floors.init_mlp(sizes, rng, dtype)
    X = rng.standard_normal((batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], batch)
    return params, X, y


TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=2e-4, atol=2e-6)}


def _compare(floor_res, other_res, dtype):
    (loss_f, grads_f), (loss_o, grads_o) = floor_res, other_res
    np.testing.assert_allclose(loss_o, loss_f, **TOL[dtype])
    for (dW_f, db_f), (dW_o, db_o) in zip(grads_f, grads_o):
        assert dW_o.dtype == dW_f.dtype == dtype
        assert dW_o.shape == dW_f.shape and db_o.shape == db_f.shape
        np.testing.assert_allclose(dW_o, dW_f, **TOL[dtype])
        np.testing.assert_allclose(db_o, db_f, **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch", [1, 5])
def test_mlp_op_by_op_reference_matches_the_floor(dtype, batch):
    """The op-by-op numpy reference computes the floor's loss, gradients and SGD step."""
    params, X, y = _mlp_case(dtype, batch)
    floor = floors.MLPFloor(params, lr=0.1)
    ref = floors.MLPOpByOp(params, lr=0.1)
    _compare(floor.loss_and_grads(X, y), ref.loss_and_grads(X, y), dtype)
    floor.step(X, y)
    ref.step(X, y)
    for (W_f, b_f), (W_r, b_r) in zip(floor.params, ref.params):
        np.testing.assert_allclose(W_r, W_f, **TOL[dtype])
        np.testing.assert_allclose(b_r, b_f, **TOL[dtype])
        assert W_r.dtype == b_r.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch", [1, 5])
def test_mlp_floor_matches_library_raw(dtype, batch):
    """The fused softmax cross-entropy gradient (p − onehot)/n and the ReLU mask of the floor
    equal the library's chain of log_softmax, indexing, mean and relu."""
    params, X, y = _mlp_case(dtype, batch)
    for cls in (impls.MLPRaw, impls.MLPRawInPlace):     # the latter: += and relu_()
        floor = floors.MLPFloor(params, lr=0.1)
        raw = cls(params, lr=0.1)
        _compare(floor.loss_and_grads(X, y), raw.loss_and_grads(impls.ag.Tensor(X), y), dtype)
        # one SGD step each leaves the same weights
        floor.step(X, y)
        raw.step(impls.ag.Tensor(X), y)
        for (W_f, b_f), (W_r, b_r) in zip(floor.params, raw.params):
            np.testing.assert_allclose(W_r.data, W_f, **TOL[dtype])
            np.testing.assert_allclose(b_r.data, b_f, **TOL[dtype])
            assert W_r.data.dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mlp_floor_matches_library_nn(dtype):
    ok, why = impls.nn_available()
    if not ok:
        pytest.skip(f"nn not importable: {why}")
    params, X, y = _mlp_case(dtype, 5)
    floor = floors.MLPFloor(params, lr=0.1)
    model = impls.MLPNN(params, lr=0.1)
    _compare(floor.loss_and_grads(X, y), model.loss_and_grads(impls.ag.Tensor(X), y), dtype)
    floor.step(X, y)
    model.step(impls.ag.Tensor(X), y)
    for (W_f, b_f), lin in zip(floor.params, model.linears):
        np.testing.assert_allclose(lin.weight.data, W_f, **TOL[dtype])
        np.testing.assert_allclose(lin.bias.data, b_f, **TOL[dtype])


def test_torch_peer_computes_the_same():
    torch, why = peers.torch_available()
    if torch is None:
        pytest.skip(why)
    x, a, b, codes, g = _chain_case(12, 1)
    np.testing.assert_allclose(peers.chain_grad(x, a, b, codes, g)[1],
                               floors.chain_grad(x, a, b, codes, g)[1], rtol=1e-12)
    params, X, y = _mlp_case(np.float64, 5)
    floor = floors.MLPFloor(params, lr=0.1)
    Xt, yt = peers.as_input(X, y)
    for cls in (peers.MLPRaw, peers.MLPNN):
        model = cls(params, lr=0.1)
        loss = model.step(Xt, yt).item()
        np.testing.assert_allclose(loss, floor.loss_and_grads(X, y)[0], rtol=1e-10)
    floor.step(X, y)
    for (W_f, _), lin in zip(floor.params, [m for m in model.model if hasattr(m, "weight")]):
        np.testing.assert_allclose(lin.weight.detach().numpy().T, W_f, rtol=1e-10)


def test_mlp_flops_counts_each_product():
    # sizes 2-3-4 at batch 5: forward 5·2·3 + 5·3·4 multiply-adds, the weight gradients as
    # many again, the input gradient of the second layer 5·3·4; two flops per multiply-add.
    assert floors.mlp_flops((2, 3, 4), 5) == 2 * (2 * (30 + 60) + 60)


def test_summary_ratio_is_paired_per_round():
    s = harness.summary([2.0, 9.0, 6.0], floor=[1.0, 3.0, 3.0])
    assert s["median"] == 6.0
    assert s["ratio"] == 2.0            # per round: 2, 3, 2
    assert s["min"] == 2.0 and s["max"] == 9.0


def test_interleaved_times_each_once_per_round_in_varying_order():
    calls = []
    impls_ = {name: (lambda name=name: calls.append(name)) for name in "abcd"}
    times = harness.interleaved(impls_, rounds=30, block_s=0.0, warmup=1, seed=3)
    assert {k: len(v) for k, v in times.items()} == {k: 30 for k in "abcd"}
    timed = calls[4:]                     # after one warm-up call each
    rounds = [timed[4 * r:4 * r + 4] for r in range(30)]
    assert all(sorted(r) == list("abcd") for r in rounds)
    # not a rotation of one cyclic order: each name runs after more than one other name
    before = {k: set() for k in "abcd"}
    for prev, cur in zip(timed, timed[1:]):
        before[cur].add(prev)
    assert all(len(v) > 1 for v in before.values())
    calls.clear()
    harness.interleaved(impls_, rounds=30, block_s=0.0, warmup=1, seed=3)
    assert calls[4:] == timed             # the same seed, the same order


def test_step_memory_sees_growth_and_peak():
    class Leaky:
        def __init__(self):
            self.kept = []

        def step(self):
            self.kept.append(np.ones(10_000))        # 80 kB more every step

    class Clean:
        def step(self):
            np.ones(100_000).sum()                   # 800 kB, freed at once

    leaky = harness.step_memory(Leaky, lambda m: m.step(), steps=5)
    assert leaky["growth"] >= 5 * 80_000 and leaky["kept"] >= 80_000
    clean = harness.step_memory(Clean, lambda m: m.step(), steps=5)
    assert abs(clean["growth"]) < bench.GROWTH_TOLERANCE
    assert clean["peak"] >= 800_000
    assert clean["kept"] < 10_000


_SHARED = {}


def test_step_memory_does_not_count_what_a_module_makes_once():
    """A cache every instance shares (as the zeros operands) is made before the count starts:
    the figures are the same whether or not it existed before (``--only d`` alone, or after
    case b)."""
    class Cached:
        def __init__(self):
            self.w = np.ones(1_000)                  # 8 kB of parameters

        def step(self):
            if "z" not in _SHARED:
                _SHARED["z"] = np.zeros(200_000)     # 1.6 MB, once per process
            (self.w * 2).sum()

    _SHARED.clear()
    first = harness.step_memory(Cached, lambda m: m.step())
    again = harness.step_memory(Cached, lambda m: m.step())
    assert first["peak"] == pytest.approx(again["peak"], abs=4_000)
    assert first["kept"] == pytest.approx(again["kept"], abs=4_000)
    assert 8_000 <= first["kept"] < 100_000          # the parameters, not the cache


def test_every_case_runs_end_to_end(tmp_path, capsys):
    """The smoke profile is the quick mode's code path with tiny counts."""
    out = tmp_path / "r.json"
    bench.main(["--smoke", "--no-torch", "--no-steady-malloc", "--json", str(out)])
    printed = capsys.readouterr().out
    assert "ratio to floor" in printed and "targets met" in printed
    saved = json.loads(out.read_text())
    assert saved["machine"]["profile"] == "smoke"
    # the results say which engine made them
    engine = "compiled core" if ag.engine.compiled else "pure Python"
    assert saved["machine"]["engine"] == engine and f"engine: {engine}" in printed
    rows = [r for r in saved["results"] if "skipped" not in r]
    assert {r["case"][0] for r in rows} == set("abcde")
    for r in rows:
        assert math.isfinite(r["median"]) and r["median"] >= 0, r
        if r["impl"] == "numpy floor" and r.get("ratio") is not None:
            assert r["ratio"] == pytest.approx(1.0)
    assert any(r["impl"].startswith("autograd") and "passed" in r for r in rows)
    # --compare puts each library ratio beside the saved one (here the same run: no change)
    bench.main(["--smoke", "--no-torch", "--no-steady-malloc", "--only", "a",
                "--compare", str(out)])
    compared = capsys.readouterr().out.split("before")[-1]
    assert "autograd" in compared and "%" in compared


def test_quick_and_only_flags_are_validated():
    with pytest.raises(SystemExit):
        bench.main(["--quick", "--smoke"])
    with pytest.raises(SystemExit):
        bench.main(["--only", "z"])


def test_hotpath_reports_every_phase(capsys):
    """The profiling helper's breakdowns run and add up (the split of loss.backward() into
    rules and engine is computed from the same passes)."""
    from benchmarks import hotpath
    hotpath.main(["a", "--reps", "20"])
    out = capsys.readouterr().out
    for label in ("floor forward", "library backward (whole pass)", "under no_grad",
                  "Tanh.backward (rule only)", "Mul.backward (rule only)"):
        assert label in out
    if not impls.nn_available()[0]:
        pytest.skip("nn not importable")
    hotpath.main(["b", "--reps", "20", "--dtype", "f64"])
    out = capsys.readouterr().out
    values = {}
    for line in out.splitlines():
        parts = line.rsplit(None, 2)
        if len(parts) == 3 and parts[2] == "µs":
            values[parts[0].strip()] = float(parts[1])
    assert {"model(X)", "loss.backward()", "opt.step()", "all rules",
            "engine (rest of loss.backward())"} <= set(values)
    assert all(math.isfinite(v) for v in values.values())
    assert values["all rules"] > 0
    hotpath.main(["b", "--raw", "--reps", "20", "--dtype", "f64"])
    out = capsys.readouterr().out
    assert "split (12 rules)" in out       # every node of the raw step was captured
    values = {}
    for line in out.splitlines():
        parts = line.rsplit(None, 2)
        if len(parts) == 3 and parts[2] == "µs":
            values[parts[0].strip()] = float(parts[1])
    assert {"loss (forward, 12 nodes)", "numpy op by op, the same step",
            "the rules, replayed without the engine", "engine (the rest)"} <= set(values)
    assert values["the rules, replayed without the engine"] > 0
    assert all(math.isfinite(v) for v in values.values())


@pytest.mark.parametrize("ratio, q1, q3, noisy, expected", [
    (1.2, 1.1, 1.3, False, "PASS"),      # the whole IQR under the target 1.5
    (1.4, 1.3, 1.6, False, "PASS?"),     # the IQR straddles the target
    (1.7, 1.6, 1.8, False, "FAIL"),
    (1.7, 1.4, 1.8, False, "FAIL?"),
    (1.2, 1.1, 1.3, True, "PASS?"),      # the row's own spread is too wide
])
def test_verdict_marks_results_within_the_noise(ratio, q1, q3, noisy, expected):
    from benchmarks.report import verdict
    row = {"ratio": ratio, "ratio_q1": q1, "ratio_q3": q3, "target": 1.5,
           "passed": ratio <= 1.5, "uncertain": noisy}
    assert verdict(row) == expected


def test_layers_report_builds_the_step_up_from_the_floor(capsys):
    """benchmarks/layers.py: its by-hand step of the nn Functions updates the weights as the
    floor's step does, and every row is reported with the floor's ratio exactly 1."""
    if not impls.nn_available()[0]:
        pytest.skip("nn not importable")
    import nn.layers

    from benchmarks import layers
    X, y = bench.load_digits_data()
    params = floors.init_mlp(bench.MLP_SIZES, np.random.default_rng(1), np.float64)
    Xb, yb = X[:64], y[:64]
    floor = floors.MLPFloor(params, bench.LR)
    floor_loss = floor.step(Xb, yb)
    weights = [[W.copy(), b.copy()] for W, b in params]
    compiled = nn.layers.grad_times
    nn.layers.grad_times = ag.function._grad_times
    try:
        loss = layers._rules_step(weights, Xb, yb, bench.LR, np.ones(()))
    finally:
        nn.layers.grad_times = compiled
    assert np.isclose(float(loss), floor_loss, rtol=1e-12)
    for (W, b), (Wf, bf) in zip(weights, floor.params):
        np.testing.assert_allclose(W, Wf, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b, bf, rtol=1e-10, atol=1e-12)
    out = layers.report(64, np.float64, reps=12, flush=False)
    capsys.readouterr()
    assert list(out) == ["numpy floor", "rules by hand", "Function.apply", "autograd nn",
                         "autograd raw", "numpy op by op"]
    assert out["numpy floor"][1] == 1.0 and out["numpy floor"][2] == 1.0
    assert all(p20 > 0 and math.isfinite(r) and r > 0 for p20, r, _ in out.values())



def test_the_ops_benchmark_checks_each_gradient_against_numpy_by_hand():
    """benchmarks/ops.py: every case's by-hand numpy gradient is the engine's (it checks that
    before timing), and each gets a finite ratio."""
    from benchmarks import ops
    out = io.StringIO()
    rows = ops.run(rounds=1, block_s=0.001, out=out)
    assert len(rows) == 10 and "pad(3, reflect)" in rows
    assert all(math.isfinite(r["ratio"]) and r["ratio"] > 0 for r in rows.values())
    assert len(out.getvalue().splitlines()) == 11      # the title and a line per case


def test_the_vmap_benchmark_checks_the_per_example_gradients_against_the_loop():
    """benchmarks/vmap.py: per-example gradients equal the loop's before anything is timed."""
    from benchmarks import vmap as vmap_bench
    out = io.StringIO()
    rows = vmap_bench.run(batch=8, rounds=1, block_s=0.001, out=out)
    assert set(rows) == {"batched gradient", "vmap(grad)", "loop"}
    assert all(math.isfinite(r["ratio"]) and r["ratio"] > 0 for r in rows.values())
    assert len(out.getvalue().splitlines()) == 5      # the title, the header, a line each
