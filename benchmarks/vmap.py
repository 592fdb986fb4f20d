"""Per-example gradients of the digits MLP: vmap of grad against one batched gradient.

    .venv/bin/python -m benchmarks.vmap                  # batch 64, float64
    .venv/bin/python -m benchmarks.vmap --batch 128 --rounds 30

The model is the docs' digits MLP, 64-32-10 (tanh then relu, cross-entropy from
``log_softmax``), written with ag ops. Three ways, timed interleaved (``harness.interleaved``:
each round runs each once, in a shuffled order):

- **batched gradient** (the floor): one ``F.grad`` of the mean loss over the batch, the gradient
  a training step takes;
- **vmap(grad)**: ``vmap(F.grad(loss), in_axes=(None, 0, 0))(params, X, y)``, the gradient of
  each example's own loss, all at once;
- **loop**: ``F.grad(loss)`` once per example in Python (skipped with ``--no-loop``).

Reported: each one's best and median time per call, and the median over rounds of its ratio to
the batched gradient of the same round. The per-example gradients write ``batch`` times the
parameters (1.2 MB at batch 64), so part of their cost is memory the batched gradient never
touches. Before timing, the per-example gradients are checked against the loop (1e-12).
"""
import argparse
import sys

import numpy as np

import autograd as ag
from autograd import functional as F
from autograd.vmap import vmap
from benchmarks import harness


def digits(batch):
    from sklearn.datasets import load_digits
    d = load_digits()
    reps = -(-batch // len(d.target))
    return np.tile(d.data / 16.0, (reps, 1))[:batch], np.tile(d.target, reps)[:batch]


def init(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(64, 32)) * 0.2, np.zeros(32),
            rng.normal(size=(32, 10)) * 0.2, np.zeros(10))


def loss(params, x, t):
    """One example's cross-entropy: x of shape (64,), t an integer label."""
    w1, b1, w2, b2 = params
    z = ag.relu(ag.tanh(x @ w1 + b1)) @ w2 + b2
    return -ag.log_softmax(z)[t]


def mean_loss(params, X, T):
    """The mean cross-entropy of the batch (the same model, on (N, 64) inputs)."""
    w1, b1, w2, b2 = params
    z = ag.relu(ag.tanh(X @ w1 + b1)) @ w2 + b2
    return -ag.log_softmax(z, axis=-1)[np.arange(len(T)), T].mean()


def implementations(batch, loop=True):
    X, y = digits(batch)
    params = init()
    batched = F.grad(mean_loss)
    per_example = vmap(F.grad(loss), in_axes=(None, 0, 0))
    one = F.grad(loss)
    impls = {"batched gradient": lambda: batched(params, X, y),
             "vmap(grad)": lambda: per_example(params, X, y)}
    if loop:
        impls["loop"] = lambda: [one(params, X[i], y[i]) for i in range(batch)]
    return impls, (params, X, y, per_example, one, batched)


def check(params, X, y, per_example, one, batched):
    """The per-example gradients equal the loop's, and their mean the batched gradient."""
    got = per_example(params, X, y)
    want = [one(params, X[i], y[i]) for i in range(len(y))]
    mean = batched(params, X, y)
    for k in range(4):
        np.testing.assert_allclose(got[k], np.stack([w[k] for w in want]), rtol=0, atol=1e-12)
        np.testing.assert_allclose(got[k].mean(axis=0), mean[k], rtol=0, atol=1e-12)


def run(batch=64, rounds=20, block_s=0.05, loop=True, out=sys.stdout):
    impls, case = implementations(batch, loop)
    check(*case)
    times = harness.interleaved(impls, rounds, block_s)
    floor = times["batched gradient"]
    rows = {name: harness.summary(t, floor) for name, t in times.items()}
    print(f"per-example gradients, digits MLP 64-32-10, batch {batch}, float64 "
          f"({rounds} rounds, engine: {ag.binding.compiled_info['engine']})", file=out)
    print(f"{'':18s} {'best':>10s} {'median':>10s} {'× batched':>10s}", file=out)
    for name, r in rows.items():
        print(f"{name:18s} {r['min'] * 1e3:8.3f}ms {r['median'] * 1e3:8.3f}ms "
              f"{r['ratio']:9.2f}×", file=out)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--block", type=float, default=0.05, help="seconds per timed block")
    ap.add_argument("--no-loop", action="store_true", help="skip the Python loop")
    ap.add_argument("--quick", action="store_true", help="5 rounds of 0.02 s blocks (make bench's "
                    "BENCH_ARGS=--quick)")
    a, _ = ap.parse_known_args(argv)     # make bench passes bench.py's arguments too
    if a.quick:
        a.rounds, a.block = 5, 0.02
    run(a.batch, a.rounds, a.block, not a.no_loop)


if __name__ == "__main__":
    main()
