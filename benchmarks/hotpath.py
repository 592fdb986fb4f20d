"""Where the time goes: the engine's overhead split by phase, for tuning the hot path.

    .venv/bin/python benchmarks/hotpath.py a            # per-op chain: forward/backward split
    .venv/bin/python benchmarks/hotpath.py b            # MLP step at batch 64, float32
    .venv/bin/python benchmarks/hotpath.py b --batch 1797 --dtype f64
    .venv/bin/python benchmarks/hotpath.py b --cprofile 25   # plus cProfile's top functions
    .venv/bin/python benchmarks/hotpath.py b --raw           # raw Tensors against op by op

Each phase is timed with perf_counter around it, library and floor interleaved, and the 20th
percentile over many repetitions is reported (the machine is shared: the low percentile is
the figure least disturbed by others). In case ``b`` the backward rules are timed one by one
by wrapping their ``backward`` for the duration of the run; what remains of the backward
pass is the engine's own work (ordering, routing, shape and dtype checks,
unbroadcasting, leaf accumulation, freeing).
"""
import argparse
import collections
import cProfile
import os
import pstats
import sys
import time

import numpy as np

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import autograd as ag  # noqa: E402
from benchmarks import bench, floors, impls  # noqa: E402

pc = time.perf_counter


def _low(samples, q=20):
    return float(np.percentile(np.asarray(samples[len(samples) // 8:]), q, axis=0).sum()) \
        if np.ndim(samples[0]) == 0 else np.percentile(np.asarray(samples[len(samples) // 8:]),
                                                       q, axis=0)


def _print(title, names, values, unit):
    print(title)
    for n, v in zip(names, values):
        print(f"  {n:44s} {v:9.3f} {unit}")


def chain_report(reps, n_ops=200):
    """Per-op costs of case (a), in µs per op (per node for the backward)."""
    rng = np.random.default_rng(0)
    x, a, b = floors.chain_inputs(rng)
    codes = floors.chain_codes(n_ops)
    ones = np.ones_like(x)
    rows = collections.defaultdict(list)
    for _ in range(reps):
        t0 = pc()
        _, saved = floors.chain_forward(x, a, b, codes)
        t1 = pc()
        floors.chain_backward(a, codes, saved, ones)
        t2 = pc()
        leaf, y = impls.chain_build(x, a, b, codes)
        t3 = pc()
        y.backward(ones)
        t5 = pc()
        with ag.no_grad():
            impls.chain_build(x, a, b, codes)
        t6 = pc()
        rows["floor forward"].append(t1 - t0)
        rows["floor backward"].append(t2 - t1)
        rows["library forward (recording)"].append(t3 - t2)
        rows["library backward (whole pass)"].append(t5 - t3)
        rows["library forward under no_grad"].append(t6 - t5)
    names = list(rows)
    vals = [_low(rows[k]) * 1e6 / n_ops for k in names]
    _print(f"(a) {n_ops}-op chain ×a, +b, tanh on float64 (8,), µs per op", names, vals, "µs")
    # the backward rules alone, per node type, on arrays (as the engine calls them)
    leaf, y = impls.chain_build(x, a, b, codes)
    nodes, fn = [], y.grad_fn
    while fn is not None:
        nodes.append(fn)
        e = fn._next[0]
        fn = e if e is not None and not isinstance(e, ag.Tensor) else None
    by_type = collections.defaultdict(list)
    for nd in nodes:
        by_type[type(nd)].append(nd)
    names, vals = [], []
    with ag.no_grad():
        for cls, group in by_type.items():
            times = []
            for _ in range(max(50, reps // 4)):
                t0 = pc()
                for nd in group:
                    cls.backward(nd, ones)
                times.append((pc() - t0) / len(group))
            names.append(f"{cls.__name__}.backward (rule only)")
            vals.append(_low(times) * 1e6)
    _print("backward rules alone (saved_tensors, needs_input_grad, the numpy work)", names, vals,
           "µs")


def _node_types(out):
    """The Function classes of the graph behind ``out``."""
    classes, stack, seen = set(), [out.grad_fn], set()
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        classes.add(type(node))
        for e in node._next:
            e = e[0] if type(e) is tuple else e
            if e is not None and not isinstance(e, ag.Tensor):
                stack.append(e)
    return classes


def _wrap_backwards(classes, acc):
    """Time every class's backward into ``acc``; returns a function that undoes it."""
    saved = {}
    for cls in classes:
        orig = cls.__dict__.get("backward")
        if orig is None:
            continue
        saved[cls] = orig
        fn = orig.__func__ if isinstance(orig, staticmethod) else orig

        def timed(ctx, *g, _fn=fn, _name=cls.__name__):
            t0 = pc()
            r = _fn(ctx, *g)
            acc[_name].append(pc() - t0)
            return r
        cls.backward = staticmethod(timed)

    def undo():
        for cls, orig in saved.items():
            cls.backward = orig
    return undo


def mlp_report(batch, dtype, reps, cprofile_top=0):
    """Phases of one SGD step of case (b), nn layer and floor, in µs."""
    params, Xb, yb, Xt = bench.first_batch(batch, dtype)
    ok, why = impls.nn_available()
    if not ok:
        print(f"nn not importable: {why}")
        return
    lib = impls.MLPNN(params, bench.LR)
    floor = floors.MLPFloor(params, bench.LR)
    model, loss_fn, opt = lib.model, lib.loss_fn, lib.opt

    def lib_step(acc):
        t0 = pc()
        opt.zero_grad()
        t1 = pc()
        out = model(Xt)
        t2 = pc()
        loss = loss_fn(out, yb)
        t3 = pc()
        loss.backward()
        t4 = pc()
        opt.step()
        t5 = pc()
        acc.append([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4])

    def floor_step(acc):
        t0 = pc()
        loss, grads = floor.loss_and_grads(Xb, yb)
        t1 = pc()
        for (W, b), (dW, db) in zip(floor.params, grads):
            dW *= floor.lr
            W -= dW
            db *= floor.lr
            b -= db
        acc.append([t1 - t0, pc() - t1])

    lib_t, floor_t = [], []
    for _ in range(reps):
        lib_step(lib_t)
        floor_step(floor_t)
    lv = _low(lib_t) * 1e6
    fv = _low(floor_t) * 1e6
    _print(f"(b) MLP 64-128-128-10, batch {batch}, {np.dtype(dtype).name}: library (nn) phases",
           ["opt.zero_grad()", "model(X)", "loss_fn(out, y)", "loss.backward()", "opt.step()",
            "total"], list(lv) + [lv.sum()], "µs")
    _print("floor phases", ["forward + loss + backward (by hand)", "SGD update (in place)",
                            "total"], list(fv) + [fv.sum()], "µs")

    # backward rules one by one; the rest of loss.backward() is the engine
    acc = collections.defaultdict(list)
    undo = _wrap_backwards(_node_types(loss_fn(model(Xt), yb)), acc)
    whole = []
    try:
        for _ in range(max(50, reps // 4)):
            opt.zero_grad()
            loss = loss_fn(model(Xt), yb)
            t0 = pc()
            loss.backward()
            whole.append(pc() - t0)
            opt.step()
    finally:
        undo()
    n_steps = len(whole)
    names, vals = [], []
    for name, times in acc.items():
        per_step = np.asarray(times).reshape(n_steps, -1).sum(axis=1)
        names.append(f"{name}.backward ×{len(times) // n_steps}")
        vals.append(_low(list(per_step)) * 1e6)
    w = _low(whole) * 1e6
    names += ["all rules", "engine (rest of loss.backward())"]
    vals += [sum(vals), w - sum(vals)]
    _print("loss.backward() split (timing wrappers add ~0.2 µs per node)", names, vals, "µs")

    if cprofile_top:
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(reps):
            lib.step(Xt, yb)
        pr.disable()
        print(f"\ncProfile, {reps} steps (its overhead inflates small functions):")
        pstats.Stats(pr, stream=sys.stdout).sort_stats("tottime").print_stats(cprofile_top)


def raw_report(batch, dtype, reps):
    """Case (b) with raw Tensors, against the same ops in numpy one call at a time
    (floors.MLPOpByOp): the phases, and the backward pass split into its rules, replayed on the
    same saved arrays and gradients without the engine, and the engine's own share."""
    params, Xb, yb, Xt = bench.first_batch(batch, dtype)
    raw = impls.MLPRaw(params, bench.LR)
    ref = floors.MLPOpByOp(params, bench.LR)

    def raw_step(acc):
        t0 = pc()
        loss = raw.loss(Xt, yb)
        t1 = pc()
        loss.backward()
        t2 = pc()
        for W, b in raw.params:
            W.data -= raw.lr * W.grad.data
            b.data -= raw.lr * b.grad.data
            W.grad = b.grad = None
        acc.append([t1 - t0, t2 - t1, pc() - t2])

    def ref_step(acc):
        t0 = pc()
        ref.step(Xb, yb)
        acc.append(pc() - t0)

    raw_t, ref_t = [], []
    for _ in range(reps):
        raw_step(raw_t)
        ref_step(ref_t)
    rv = _low(raw_t) * 1e6
    _print(f"(b) MLP 64-128-128-10, batch {batch}, {np.dtype(dtype).name}: raw Tensors",
           ["loss (forward, 12 nodes)", "loss.backward()", "update through .data", "total",
            "numpy op by op, the same step"], list(rv) + [rv.sum(), _low(ref_t) * 1e6], "µs")

    # the rules of one backward pass, captured with their ctx and gradients, then replayed
    calls = []
    classes = _node_types(raw.loss(Xt, yb))
    saved = {cls: cls.__dict__["backward"] for cls in classes if "backward" in cls.__dict__}
    for cls, orig in saved.items():
        def capture(ctx, *g, _fn=orig.__func__):
            calls.append((_fn, ctx, g))
            return _fn(ctx, *g)
        cls.backward = staticmethod(capture)
    try:
        loss = raw.loss(Xt, yb)
        loss.backward(retain_graph=True)   # the replays below read the saved arrays again
    finally:
        for cls, orig in saved.items():
            cls.backward = orig
    for W, b in raw.params:
        W.grad = b.grad = None
    replay, whole = [], []
    for _ in range(reps):                  # interleaved, so that both see the same machine
        loss = raw.loss(Xt, yb)
        t0 = pc()
        loss.backward()
        whole.append(pc() - t0)
        for W, b in raw.params:
            W.grad = b.grad = None
        with ag.no_grad():                 # as in the plain pass: the rules see arrays
            t0 = pc()
            for fn, ctx, g in calls:
                fn(ctx, *g)
            replay.append(pc() - t0)
    r, w = _low(replay) * 1e6, _low(whole) * 1e6
    _print(f"loss.backward() split ({len(calls)} rules)",
           ["the rules, replayed without the engine", "engine (the rest)"], [r, w - r], "µs")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("case", choices=["a", "b"])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--dtype", choices=sorted(bench.DTYPES), default="f32")
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--raw", action="store_true",
                    help="case b with raw Tensors, against numpy op by op")
    ap.add_argument("--cprofile", type=int, default=0, metavar="N",
                    help="also print cProfile's N most expensive functions")
    ap.add_argument("--blas-threads", type=int, default=1, metavar="N",
                    help="BLAS threads, as bench.py (default 1; 0 leaves BLAS as configured)")
    args = ap.parse_args(argv)
    print(f"malloc: {bench.steady_malloc()}")      # as make bench runs
    try:
        limiter = bench.limit_blas(args.blas_threads)
    except ImportError:
        print("BLAS threads: left as configured (threadpoolctl is not installed)")
        limiter = None
    try:
        if args.case == "a":
            chain_report(args.reps)
        elif args.raw:
            raw_report(args.batch, bench.DTYPES[args.dtype], args.reps)
        else:
            mlp_report(args.batch, bench.DTYPES[args.dtype], args.reps, args.cprofile)
    finally:
        if limiter is not None:
            limiter.restore_original_limits()


if __name__ == "__main__":
    main()
