"""The benchmark suite of issue 8: the engine against hand-written numpy, in one process.

    make bench                                   # the full suite, a few minutes
    .venv/bin/python benchmarks/bench.py --quick # the regression guard, under half a minute
    .venv/bin/python benchmarks/bench.py --only a,b --json results.json

Cases: (a) per-op overhead of a 200-op elementwise chain; (b) one SGD step of a 64-128-128-10
MLP on scikit-learn's digits; (c) one step of a 784-1024-1024-10 MLP at batch 512 (float32);
(d) peak memory of one step and growth over many steps; (e) backward time per node of a long
chain. Each figure is compared with the hand-written numpy floor (floors.py) measured in the
same rounds; PyTorch CPU eager is a peer when installed. See harness.py for the method.

A verdict marked "?" lies within the run's noise (the ratio's IQR straddles the target, or the
row's own IQR is over 15% of its median): rerun before believing it. BLAS runs on one thread
by default (``--blas-threads 0`` leaves it as configured): on a 2-core shared machine a second
BLAS thread made even the floor's own step time swing by up to 2x between runs, so that the
ratios measured the neighbours rather than the engine. hotpath.py splits the overhead by phase.
"""
import argparse
import gc
import itertools
import json
import os
import sys

import numpy as np

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import autograd as ag  # noqa: E402
from benchmarks import floors, harness, impls, peers  # noqa: E402
from benchmarks.report import (format_comparison, format_markdown,  # noqa: E402
                               format_table, machine_info, verdict)

# Rounds, block lengths and counts for each mode. "smoke" only proves that every case runs
# (the test suite uses it); its figures mean nothing. Case (b) takes many short blocks rather
# than a few long ones, for the same time: the implementations of one round then run close
# together, so a burst from a neighbour lands on both sides of a ratio, and the median is
# over more rounds. Five repeats of the batch-64 float64 nn ratio on this host: 1.07-1.25
# with 11 rounds of 0.1 s, 1.17-1.19 with 33 of 0.033 s (the same centre, a tenth the spread).
# At batch 1797 a block holds only ~9 steps and the per-round ratios spread over ±4%, so the
# median of 33 rounds still moved by ±2% between runs (the raw float32 ratio: 1.020, 1.049,
# 1.060 in three processes); b_rounds_1797 rounds make it ±0.5% (1.041, 1.035, 1.040).
# Case (c) takes one step per round: its median of 7 rounds went up to 1.07 in a noisy run
# (raw; op by op 1.09), 21 rounds keep it within 1.00-1.02 (three processes).
PROFILES = {
    "full": dict(warmup=3, a_rounds=21, a_block=0.05, b_rounds=33, b_rounds_1797=99,
                 b_block=0.033, c_sizes=(784, 1024, 1024, 10), c_batch=512, c_rounds=21,
                 d_steps=1000, e_ops=100_000, e_rounds=5),
    "quick": dict(warmup=2, a_rounds=15, a_block=0.03, b_rounds=21, b_rounds_1797=21,
                  b_block=0.02, c_sizes=(784, 1024, 1024, 10), c_batch=512, c_rounds=5,
                  d_steps=300, e_ops=20_000, e_rounds=3),
    "smoke": dict(warmup=1, a_rounds=2, a_block=0.0, b_rounds=2, b_rounds_1797=2,
                  b_block=0.0, c_sizes=(784, 32, 32, 10), c_batch=16, c_rounds=2,
                  d_steps=3, e_ops=300, e_rounds=2),
}

CHAIN_OPS = 200
MLP_SIZES = (64, 128, 128, 10)
LR = 0.05
DTYPES = {"f32": np.float32, "f64": np.float64}
# Growth over the steps of (d) that counts as none: tracemalloc sees interpreter caches too.
GROWTH_TOLERANCE = 64 * 1024

# A row whose IQR exceeds this fraction of its median is marked noisy (rerun it).
NOISY = 0.15

TARGETS = {  # issue 8's targets: the largest ratio to the floor for the library's rows
    "a": 3.0, "b64": 1.25, "b1797": 1.05, "c": 1.05, "d_peak": 1.5,
}


class Rows:
    """The results table, one dict per (case, implementation)."""

    def __init__(self):
        self.rows = []

    def timing(self, case, impl, times, floor, unit, scale, target=None, note="", peer=False):
        s = harness.summary(times, floor)
        row = {"case": case, "impl": impl, "unit": unit,
               **{k: (v * scale if k in ("median", "q1", "q3", "min", "max") else v)
                  for k, v in s.items()},
               "target": target, "note": note, "peer": peer}
        if target is not None:
            row["passed"] = bool(s["ratio"] <= target)
        spread = (s["q3"] - s["q1"]) / s["median"] if s["median"] else 0.0
        if spread > NOISY:
            row["uncertain"] = True
            row["note"] = ", ".join(x for x in (note, f"noisy: IQR {spread:.0%} of median")
                                    if x)
        self.rows.append(row)
        return row

    def value(self, case, impl, value, unit, ratio=None, target=None, passed=None, note=""):
        row = {"case": case, "impl": impl, "unit": unit, "median": value, "ratio": ratio,
               "target": target, "note": note}
        if passed is not None:
            row["passed"] = bool(passed)
        self.rows.append(row)
        return row

    def skip(self, case, impl, why):
        self.rows.append({"case": case, "impl": impl, "skipped": why})


# ----------------------------------------------------------------------------- cases
def case_a(p, rows, torch):
    """Per-op overhead: 200 elementwise ops on a float64 (8,) array, forward and backward."""
    rng = np.random.default_rng(0)
    x, a, b = floors.chain_inputs(rng)
    codes = floors.chain_codes(CHAIN_OPS)
    ones = np.ones_like(x)
    fns = {"numpy floor": lambda: floors.chain_grad(x, a, b, codes, ones),
           "autograd": lambda: impls.chain_grad(x, a, b, codes, ones)}
    if torch:
        fns["torch"] = lambda: peers.chain_grad(x, a, b, codes, ones)
    t = harness.interleaved(fns, p["a_rounds"], p["a_block"], p["warmup"])
    case = f"a. per op: {CHAIN_OPS}-op chain, f64 (8,), fwd+bwd"
    for name in fns:
        rows.timing(case, name, t[name], t["numpy floor"], "µs/op", 1e6 / CHAIN_OPS,
                    target=TARGETS["a"] if name == "autograd" else None, peer=name == "torch")


def load_digits_data():
    from sklearn.datasets import load_digits
    d = load_digits()
    return (d.data / 16.0), d.target.astype(np.int64)


def first_batch(batch, dtype):
    """Case (b)'s weights and first batch, for the profiling helpers: (params, X, y, X as a
    Tensor)."""
    X, y = load_digits_data()
    params = floors.init_mlp(MLP_SIZES, np.random.default_rng(1), dtype)
    Xb = X[:batch].astype(dtype)
    return params, Xb, y[:batch], ag.Tensor(Xb)


def _batches(X, y, batch):
    n = len(X) // batch
    return [(X[k * batch:(k + 1) * batch], y[k * batch:(k + 1) * batch]) for k in range(n)]


def _stepper(model, batches):
    """A zero-argument callable: one step of ``model`` on the next batch, cycling."""
    it = itertools.cycle(batches)
    step = model.step

    def run():
        X, y = next(it)
        step(X, y)
    return run


def _mlp_impls(params, batches_np, nn_ok, torch):
    """name -> one-step callable for every implementation of an MLP step."""
    lib_batches = [(ag.Tensor(X), y) for X, y in batches_np]
    fns = {"numpy floor": _stepper(floors.MLPFloor(params, LR), batches_np),
           "numpy op by op": _stepper(floors.MLPOpByOp(params, LR), batches_np)}
    if nn_ok:
        fns["autograd nn"] = _stepper(impls.MLPNN(params, LR), lib_batches)
    fns["autograd raw"] = _stepper(impls.MLPRaw(params, LR), lib_batches)
    fns["autograd raw in place"] = _stepper(impls.MLPRawInPlace(params, LR), lib_batches)
    if torch:
        tb = [peers.as_input(X, y) for X, y in batches_np]
        fns["torch nn"] = _stepper(peers.MLPNN(params, LR), tb)
        fns["torch raw"] = _stepper(peers.MLPRaw(params, LR), tb)
    return fns


def _op_by_op_note(t, name):
    """For the raw rows: their ratio to the same ops run one numpy call at a time, which is the
    engine's own share (the rest of the ratio to the floor is computing op by op)."""
    if name != "autograd raw" or "numpy op by op" not in t:
        return ""
    return f"{harness.summary(t[name], t['numpy op by op'])['ratio']:.2f}× numpy op by op"


def case_b(p, rows, torch, nn_ok, nn_why, data, batches=(64, 1797), dtypes=("f32", "f64")):
    """One SGD step of the 64-128-128-10 MLP on digits."""
    X, y = data
    for batch in batches:
        for dname in dtypes:
            dtype = DTYPES[dname]
            params = floors.init_mlp(MLP_SIZES, np.random.default_rng(1), dtype)
            bs = _batches(X.astype(dtype), y, batch)
            fns = _mlp_impls(params, bs, nn_ok, torch)
            rounds = p["b_rounds"] if batch <= 64 else p["b_rounds_1797"]
            t = harness.interleaved(fns, rounds, p["b_block"], p["warmup"])
            case = f"b. MLP 64-128-128-10 step, batch {batch}, {dname}"
            target = TARGETS["b64" if batch <= 64 else "b1797"]
            for name in fns:
                lib = name.startswith("autograd")
                rows.timing(case, name, t[name], t["numpy floor"], "ms", 1e3,
                            target=target if lib else None, peer=name.startswith("torch"),
                            note=_op_by_op_note(t, name))
            if not nn_ok:
                rows.skip(case, "autograd nn", nn_why)


def case_c(p, rows, torch, nn_ok, nn_why):
    """One step of a 784-1024-1024-10 MLP at batch 512, float32, and numpy's matmul rate."""
    sizes, batch = p["c_sizes"], p["c_batch"]
    rng = np.random.default_rng(2)
    params = floors.init_mlp(sizes, rng, np.float32)
    X = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch).astype(np.int64)
    fns = _mlp_impls(params, [(X, y)], nn_ok, torch)
    fns.pop("torch raw", None)
    fns["numpy matmuls only"] = floors.matmuls_only(sizes, batch, rng, np.float32)
    t = harness.interleaved(fns, p["c_rounds"], 0.0, p["warmup"])
    flops = floors.mlp_flops(sizes, batch)
    case = f"c. MLP {'-'.join(map(str, sizes))} step, batch {batch}, f32"
    for name in fns:
        lib = name.startswith("autograd")
        gflops = flops / float(np.median(t[name])) / 1e9
        note = ", ".join(x for x in (f"{gflops:.1f} GFLOP/s", _op_by_op_note(t, name)) if x)
        rows.timing(case, name, t[name], t["numpy floor"], "ms", 1e3,
                    target=TARGETS["c"] if lib else None, peer=name.startswith("torch"),
                    note=note)
    if not nn_ok:
        rows.skip(case, "autograd nn", nn_why)


def case_d(p, rows, nn_ok, nn_why, data):
    """Peak memory of one step (tracemalloc), and growth over many steps."""
    X, y = data
    mib = 1 / 2**20

    def makers(params, lib_X):
        m = {"numpy floor": lambda: floors.MLPFloor(params, LR)}
        if nn_ok:
            m["autograd nn"] = lambda: impls.MLPNN(params, LR)
        m["autograd raw"] = lambda: impls.MLPRaw(params, LR)
        return m

    X64 = X.astype(np.float64)
    rng = np.random.default_rng(3)
    big_params = floors.init_mlp(p["c_sizes"], rng, np.float32)
    big_X = rng.standard_normal((p["c_batch"], p["c_sizes"][0])).astype(np.float32)
    big_y = rng.integers(0, p["c_sizes"][-1], p["c_batch"]).astype(np.int64)
    peak_cases = [
        (f"d. peak memory of one step, MLP 64-128-128-10, batch {len(X)}, f64",
         floors.init_mlp(MLP_SIZES, np.random.default_rng(1), np.float64), X64, y),
        (f"d. peak memory of one step, MLP {'-'.join(map(str, p['c_sizes']))}, "
         f"batch {p['c_batch']}, f32", big_params, big_X, big_y),
    ]
    for case, params, Xc, yc in peak_cases:
        lib_X = ag.Tensor(Xc)
        res = {}
        for name, make in makers(params, lib_X).items():
            xin = Xc if name == "numpy floor" else lib_X
            res[name] = harness.step_memory(make, lambda m, xin=xin: m.step(xin, yc))
        floor = res["numpy floor"]["peak"]
        for name, r in res.items():
            ratio = r["peak"] / floor
            lib = name.startswith("autograd")
            rows.value(case, name, r["peak"] * mib, "MiB", ratio=ratio,
                       target=TARGETS["d_peak"] if lib else None,
                       passed=(ratio <= TARGETS["d_peak"]) if lib else None,
                       note=f"kept between steps {r['kept'] * mib:.2f} MiB")
        if not nn_ok:
            rows.skip(case, "autograd nn", nn_why)

    steps = p["d_steps"]
    case = f"d. memory growth over {steps} steps, MLP 64-128-128-10, batch 64, f64"
    params = floors.init_mlp(MLP_SIZES, np.random.default_rng(1), np.float64)
    bs = _batches(X64, y, 64)
    lib_bs = [(ag.Tensor(Xb), yb) for Xb, yb in bs]
    for name, make in makers(params, None).items():
        it = itertools.cycle(bs if name == "numpy floor" else lib_bs)

        def one(m, it=it):
            Xb, yb = next(it)
            m.step(Xb, yb)
        r = harness.step_memory(make, one, steps=steps)
        lib = name.startswith("autograd")
        rows.value(case, name, r["growth"] / 1024, "KiB", target="no growth" if lib else None,
                   passed=(r["growth"] <= GROWTH_TOLERANCE) if lib else None,
                   note=f"none = under {GROWTH_TOLERANCE // 1024} KiB")
    if not nn_ok:
        rows.skip(case, "autograd nn", nn_why)


def case_e(p, rows, torch):
    """Backward time per node of a long chain (the graph is built untimed each round)."""
    n = p["e_ops"]
    rng = np.random.default_rng(4)
    x, a, b = floors.chain_inputs(rng)
    codes = floors.chain_codes(n)
    ones = np.ones_like(x)
    fns = {
        "numpy floor": harness.Setup(
            lambda: floors.chain_forward(x, a, b, codes)[1],
            lambda saved: floors.chain_backward(a, codes, saved, ones)),
        "autograd": harness.Setup(
            lambda: impls.chain_build(x, a, b, codes)[1],
            lambda y: y.backward(ones)),
    }
    if torch:
        t_ones = torch.from_numpy(ones)
        fns["torch"] = harness.Setup(lambda: peers.chain_build(x, a, b, codes)[1],
                                     lambda y: y.backward(t_ones))
    t = harness.interleaved(fns, p["e_rounds"], 0.0, min(p["warmup"], 1))
    case = f"e. backward per node, {n:,}-op chain, f64 (8,)"
    for name in fns:
        rows.timing(case, name, t[name], t["numpy floor"], "µs/node", 1e6 / n,
                    peer=name == "torch")


def steady_malloc():
    """Ask glibc to keep freed memory (no trimming, no per-array mmap), for every implementation
    alike: otherwise each step's large temporaries are fresh pages that fault on first touch,
    and the ratios at batch 1797 depend on the process's memory history more than on the code."""
    import ctypes
    import ctypes.util
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return "left as it is (no glibc mallopt here)"
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    ok = all([mallopt(m_mmap_threshold, 32 * 2**20),      # glibc's upper limit for this value
              mallopt(m_trim_threshold, 2**30), mallopt(m_top_pad, 256 * 2**20)])
    return ("steady (glibc keeps freed memory: mmap threshold 32 MiB, trim 1 GiB, top pad "
            "256 MiB; --no-steady-malloc to leave it)" if ok else "mallopt refused; left as is")


def limit_blas(threads):
    """Limit numpy's BLAS to ``threads`` (0: leave it); returns the limiter to restore, or
    None. Raises ImportError without threadpoolctl."""
    if not threads:
        return None
    from threadpoolctl import threadpool_limits
    return threadpool_limits(limits=threads, user_api="blas")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Benchmarks of issue 8: the engine against hand-written numpy.")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="regression guard: fewer rounds, smaller counts (< ~30 s); run it "
                           "before and after touching the engine's hot path and compare ratios")
    mode.add_argument("--smoke", action="store_true",
                      help="run every case once with tiny counts (for the tests); figures "
                           "are meaningless")
    ap.add_argument("--only", default="a,b,c,d,e",
                    help="comma-separated cases to run (default: a,b,c,d,e)")
    ap.add_argument("--torch", dest="torch", action="store_true", default=None,
                    help="include the PyTorch peer (default: on, except with --quick/--smoke)")
    ap.add_argument("--no-torch", dest="torch", action="store_false",
                    help="leave the PyTorch peer out")
    ap.add_argument("--blas-threads", type=int, metavar="N", default=None,
                    help="limit numpy's BLAS to N threads (threadpoolctl, which scikit-learn "
                         "brings); default 1, where threadpoolctl is installed: steady ratios "
                         "on a busy shared machine; 0 leaves BLAS as configured")
    ap.add_argument("--no-steady-malloc", dest="steady_malloc", action="store_false",
                    help="leave glibc's malloc as it is (by default it keeps freed memory, so "
                         "that large temporaries do not page-fault afresh on every step: a "
                         "cost that makes batch-1797 ratios swing by ±15%% between runs)")
    ap.add_argument("--json", metavar="PATH", help="also save the results as JSON")
    ap.add_argument("--compare", metavar="OLD_JSON",
                    help="also print each ratio beside the one saved by an earlier --json run "
                         "(before/after a change to the hot path)")
    ap.add_argument("--markdown", action="store_true",
                    help="also print the table as markdown (for the README)")
    args = ap.parse_args(argv)

    profile = "quick" if args.quick else "smoke" if args.smoke else "full"
    p = PROFILES[profile]
    if args.steady_malloc:
        print(f"  malloc: {steady_malloc()}")
    cases = [c.strip() for c in args.only.split(",") if c.strip()]
    unknown = set(cases) - set("abcde")
    if unknown:
        ap.error(f"--only: unknown case(s) {sorted(unknown)}; choose from a,b,c,d,e")

    want_torch = args.torch if args.torch is not None else profile == "full"
    torch, torch_why = (None, "left out (--no-torch, or --quick/--smoke without --torch)")
    if want_torch:
        torch, torch_why = peers.torch_available()
    nn_ok, nn_why = impls.nn_available()
    nn_why = f"nn not importable yet ({nn_why})" if not nn_ok else None

    threads = 1 if args.blas_threads is None else args.blas_threads
    try:
        limiter = limit_blas(threads)
    except ImportError:
        if args.blas_threads is not None:
            ap.error("--blas-threads needs threadpoolctl (pip install threadpoolctl)")
        print("  BLAS threads: left as configured (threadpoolctl is not installed)")
        limiter = None
    torch_threads = None
    if torch is not None and limiter is not None:
        # the peer gets the same number of threads as numpy's BLAS
        torch_threads = torch.get_num_threads()
        torch.set_num_threads(threads)
    try:
        return _run(args, profile, p, cases, torch, torch_why, nn_ok, nn_why)
    finally:
        if limiter is not None:
            limiter.restore_original_limits()
        if torch_threads is not None:
            torch.set_num_threads(torch_threads)


def _run(args, profile, p, cases, torch, torch_why, nn_ok, nn_why):
    info = machine_info(torch, profile)
    print(f"autograd benchmarks ({profile}) — {info['date']}")
    for k in ("engine", "platform", "cpu", "cpu_count", "python", "numpy", "blas", "blas_threads",
              "scikit-learn", "torch", "torch_threads", "environment",
              "load_average_at_start"):
        if k in info:
            print(f"  {k}: {info[k]}")
    if not torch:
        print(f"  PyTorch peer: {torch_why}")
    if not nn_ok:
        print(f"  autograd nn rows: skipped, {nn_why}")
    print("  method: one process, implementations interleaved (shuffled order) per round, "
          "warm-up first;\n  median and IQR over rounds; ratio = median over rounds of "
          "(impl / numpy floor) in the same round.", flush=True)

    rows = Rows()
    data = load_digits_data() if {"b", "d"} & set(cases) else None
    b_batches = (64, 1797) if profile != "smoke" else (64,)
    steps = {"a": lambda: case_a(p, rows, torch),
             "b": lambda: case_b(p, rows, torch, nn_ok, nn_why, data, b_batches),
             "c": lambda: case_c(p, rows, torch, nn_ok, nn_why),
             "d": lambda: case_d(p, rows, nn_ok, nn_why, data),
             "e": lambda: case_e(p, rows, torch)}
    t0 = harness.perf_counter()
    # Everything alive now (numpy, sklearn, torch modules...) is left out of later collections:
    # the gc.collect() before each timed block then costs little and disturbs nothing.
    gc.collect()
    gc.freeze()
    try:
        for c in cases:
            t1 = harness.perf_counter()
            steps[c]()
            gc.collect()
            print(f"  case {c} done in {harness.perf_counter() - t1:.1f} s", flush=True)
    finally:
        gc.unfreeze()
    info["seconds"] = round(harness.perf_counter() - t0, 1)
    if hasattr(os, "getloadavg"):
        info["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]

    print()
    print(format_table(rows.rows))
    checked = [r for r in rows.rows if "passed" in r]
    failed = [r for r in checked if not r["passed"]]
    unsure = [r for r in checked if verdict(r).endswith("?")]
    print(f"\n{len(checked) - len(failed)}/{len(checked)} targets met "
          f"({len(unsure)} verdicts marked ? are within the noise: rerun); "
          f"{info['seconds']} s; load average at end {info.get('load_average_at_end')}")
    if args.compare:
        with open(args.compare) as f:
            old = json.load(f)
        print()
        print(format_comparison(old["results"], rows.rows))
    if args.markdown:
        print()
        print(format_markdown(rows.rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "results": rows.rows}, f, indent=1, default=float)
    return rows.rows


if __name__ == "__main__":
    main()
