"""Where a step's overhead lives, layer by layer: case (b)'s step built up from the floor.

    .venv/bin/python benchmarks/layers.py                       # batch 1797, float32
    .venv/bin/python benchmarks/layers.py --batch 64 --dtype f64
    .venv/bin/python benchmarks/layers.py --warm                # no cache flush between steps

Each row adds one layer of the library to the one above it:

- **numpy floor**: ``floors.MLPFloor``, the hand-written step;
- **rules by hand**: the nn step's own Functions (``AffineReLU``, ``Affine``, the fused
  cross-entropy), their ``forward`` and ``backward`` called in order on arrays with a stand-in
  ctx, and the SGD update on the arrays: the library's numpy work with no engine and no nn;
- **Function.apply**: the same Functions through ``apply`` and ``loss.backward()`` (the
  engine), with ``nn.optim.SGD``, but no modules and no loss checks;
- **autograd nn**: ``nn.MLP``, ``nn.CrossEntropyLoss``, ``nn.optim.SGD``, as ``make bench``;
- **autograd raw** and **numpy op by op**, as in ``make bench``.

Every repetition runs each row once, in a shuffled order, and by default first streams a
16 MB array through the cache before each step, as the other implementations of a
``make bench`` round do: the Python between large array passes then runs with the
interpreter's code and objects evicted, which is where a batch-1797 step's overhead comes
from. Reported: the 20th percentile of each row's step, its ratio to the floor's, and the
median of the per-repetition ratios.
"""
import argparse
import os
import sys
import time

import numpy as np

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import autograd.function as _function  # noqa: E402
from benchmarks import bench, floors, impls  # noqa: E402

pc = time.perf_counter


class _Ctx:
    """What the rules read from ctx, without a node: the saved arrays, which inputs need a
    gradient, and that the incoming gradient is the rule's to overwrite (as the compiled
    backward pass hands it over)."""

    def __init__(self, needs_input_grad):
        self.needs_input_grad = needs_input_grad
        self._grad_owned = True
        self.saved_tensors = ()

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays


def _rules_step(weights, X, y, lr, one):
    """One step of the nn model's Functions called by hand (see the module docstring)."""
    from nn.functional import CrossEntropyFromLogits
    from nn.layers import Affine, AffineReLU
    h, done = X, []
    for k, (W, b) in enumerate(weights[:-1]):
        ctx = _Ctx((k > 0, True, True))
        h = AffineReLU.forward(ctx, h, W, b)
        done.append((AffineReLU, ctx))
    W, b = weights[-1]
    ctx = _Ctx((True, True, True))
    z = Affine.forward(ctx, h, W, b)
    done.append((Affine, ctx))
    ctx = _Ctx((True, False))
    loss = CrossEntropyFromLogits.forward(ctx, z, y, "mean", True)
    g, _ = CrossEntropyFromLogits.backward(ctx, one)
    grads = []
    for cls, ctx in reversed(done):
        g, gw, gb = cls.backward(ctx, g)
        grads.append((gw, gb))
    for (W, b), (gw, gb) in zip(weights, reversed(grads)):
        W -= lr * gw
        b -= lr * gb
    return loss


def _apply_step(linears, opt, X, y):
    """The nn model's Functions through apply and loss.backward(), without the modules."""
    from nn.functional import CrossEntropyFromLogits
    from nn.layers import Affine, AffineReLU
    opt.zero_grad()
    h = X
    for lin in linears[:-1]:
        h = AffineReLU.apply(h, lin.weight, lin.bias)
    z = Affine.apply(h, linears[-1].weight, linears[-1].bias)
    loss = CrossEntropyFromLogits.apply(z, y, reduction="mean", labels=True)
    loss.backward()
    opt.step()


def report(batch, dtype, reps, flush=True, seed=0):
    """Print each row's 20th-percentile step and its ratios to the floor; returns
    name -> (p20 seconds, ratio of p20s, median ratio)."""
    import nn.layers
    params, Xb, yb, Xt = bench.first_batch(batch, dtype)
    floor = floors.MLPFloor(params, bench.LR)
    op_by_op = floors.MLPOpByOp(params, bench.LR)
    lib = impls.MLPNN(params, bench.LR)
    via_apply = impls.MLPNN(params, bench.LR)
    raw = impls.MLPRaw(params, bench.LR)
    weights = [[W.copy(), b.copy()] for W, b in params]
    one = np.ones((), dtype)
    rows = {
        "numpy floor": lambda: floor.step(Xb, yb),
        "rules by hand": lambda: _rules_step(weights, Xb, yb, bench.LR, one),
        "Function.apply": lambda: _apply_step(via_apply.linears, via_apply.opt, Xt, yb),
        "autograd nn": lambda: lib.step(Xt, yb),
        "autograd raw": lambda: raw.step(Xt, yb),
        "numpy op by op": lambda: op_by_op.step(Xb, yb),
    }
    big = np.ones(4 * 2**20, np.float32)     # 16 MB through the cache, as a neighbour's step
    # the compiled grad_times writes in place only for a real node; the stand-in ctx gets the
    # reference implementation, which does the same for ctx._grad_owned
    compiled_grad_times = nn.layers.grad_times
    nn.layers.grad_times = _function._grad_times
    try:
        for fn in rows.values():
            for _ in range(5):
                fn()
        names = list(rows)
        times = {name: [] for name in names}
        order = np.random.default_rng(seed)
        for _ in range(reps):
            for k in order.permutation(len(names)):
                if flush:
                    np.add(big, 1, out=big)
                fn = rows[names[k]]
                t0 = pc()
                fn()
                times[names[k]].append(pc() - t0)
    finally:
        nn.layers.grad_times = compiled_grad_times
    skip = max(1, reps // 10)
    floor_t = np.asarray(times["numpy floor"][skip:])
    f20 = np.percentile(floor_t, 20)
    print(f"(b) MLP 64-128-128-10, batch {batch}, {np.dtype(dtype).name}, {reps} steps each, "
          f"{'cache flushed before each step' if flush else 'no flush'}")
    print(f"  {'':16s} {'p20':>10s} {'p20 / floor':>12s} {'median of ratios':>17s}")
    out = {}
    for name in names:
        t = np.asarray(times[name][skip:])
        p20 = np.percentile(t, 20)
        med = float(np.median(t / floor_t))
        out[name] = (p20, p20 / f20, med)
        print(f"  {name:16s} {p20 * 1e6:8.1f} µs {p20 / f20:11.3f}× {med:16.3f}×")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=1797)
    ap.add_argument("--dtype", choices=sorted(bench.DTYPES), default="f32")
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--warm", action="store_true", help="no cache flush before each step")
    args = ap.parse_args(argv)
    print(f"malloc: {bench.steady_malloc()}")      # as make bench runs
    try:
        limiter = bench.limit_blas(1)
    except ImportError:
        limiter = None
    try:
        report(args.batch, bench.DTYPES[args.dtype], args.reps, flush=not args.warm)
    finally:
        if limiter is not None:
            limiter.restore_original_limits()


if __name__ == "__main__":
    main()
