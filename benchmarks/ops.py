"""numpy's vocabulary at numpy speed: forward and backward of the new ops against the same
derivative written by hand in numpy (the floor).

    .venv/bin/python -m benchmarks.ops            # float32, a (256, 256) input
    .venv/bin/python -m benchmarks.ops --quick

Each case is one op on a float32 array of 65,536 elements (a matrix of 256 × 256 where the op
takes one): ``autograd`` records it on a Tensor that requires grad and runs ``backward`` with
a given gradient; ``numpy`` computes the same value and the same input gradient by hand, in the
fewest numpy calls we know. Timed interleaved (``harness.interleaved``); reported: the median
over rounds of autograd's time over numpy's in the same round. Before timing, each case checks
that the two gradients agree. What is left over numpy is the engine's share: a node, its
Tensor and the pass (a few microseconds), which a 65,536-element op should hide.
"""
import argparse
import sys

import numpy as np

import autograd as ag
from benchmarks import harness

N = 256


def _cases(rng):
    x = rng.normal(size=(N, N)).astype(np.float32)
    g = rng.normal(size=(N, N)).astype(np.float32)
    b = rng.normal(size=(N, N)).astype(np.float32)
    g_row = g[:, 0].copy()

    def sin_np():
        return np.sin(x), g * np.cos(x)

    def logaddexp_np():
        out = np.logaddexp(x, b)
        return out, g * np.exp(x - out)

    def cumsum_np():
        return np.cumsum(x, axis=1), np.cumsum(g[:, ::-1], axis=1)[:, ::-1]

    def var_np():
        m = x.mean(axis=1, keepdims=True)
        return ((x - m) ** 2).mean(axis=1), g_row[:, None] * (2.0 / N) * (x - m)

    def sort_np():
        order = np.argsort(x, axis=1, kind="stable")
        out = np.take_along_axis(x, order, axis=1)
        gx = np.empty_like(g)
        np.put_along_axis(gx, order, g, axis=1)
        return out, gx

    def pad_np():
        out = np.pad(x, 3, mode="reflect")
        gp = rng_g_pad
        gx = gp[3:-3, 3:-3].copy()
        gx[1:4, :] += gp[2::-1, 3:-3]
        gx[-4:-1, :] += gp[:-4:-1, 3:-3]
        gx[:, 1:4] += gp[3:-3, 2::-1]
        gx[:, -4:-1] += gp[3:-3, :-4:-1]
        # the corners reflect twice: both axes
        gx[1:4, 1:4] += gp[2::-1, 2::-1]
        gx[1:4, -4:-1] += gp[2::-1, :-4:-1]
        gx[-4:-1, 1:4] += gp[:-4:-1, 2::-1]
        gx[-4:-1, -4:-1] += gp[:-4:-1, :-4:-1]
        return out, gx

    rng_g_pad = rng.normal(size=(N + 6, N + 6)).astype(np.float32)

    def einsum_np():
        return np.einsum("ij,jk->ik", x, b), g @ b.T

    def diagonal_np():
        gx = np.zeros_like(x)
        np.fill_diagonal(gx, g_row)
        return np.diagonal(x).copy(), gx

    def take_np():
        idx = take_idx
        gx = np.zeros_like(x)
        np.add.at(gx, (slice(None), idx), g[:, :len(idx)])
        return np.take(x, idx, axis=1), gx

    take_idx = rng.integers(0, N, N // 2)

    def flip_np():
        return np.flip(x, axis=1), np.flip(g, axis=1)

    return {
        "sin": (lambda t: ag.sin(t), g, sin_np),
        "logaddexp": (lambda t: ag.logaddexp(t, b), g, logaddexp_np),
        "cumsum(axis=1)": (lambda t: ag.cumsum(t, axis=1), g, cumsum_np),
        "var(axis=1)": (lambda t: ag.var(t, axis=1), g_row, var_np),
        "sort(axis=1)": (lambda t: ag.sort(t, axis=1), g, sort_np),
        "pad(3, reflect)": (lambda t: ag.pad(t, 3, mode="reflect"), rng_g_pad, pad_np),
        "einsum(ij,jk->ik)": (lambda t: ag.einsum("ij,jk->ik", t, b), g, einsum_np),
        "diagonal": (lambda t: ag.diagonal(t), g_row, diagonal_np),
        "take(axis=1)": (lambda t: ag.take(t, take_idx, axis=1), g[:, :N // 2].copy(),
                         take_np),
        "flip(axis=1)": (lambda t: ag.flip(t, axis=1), g, flip_np),
    }, x


def _autograd(op, x, g):
    def run():
        t = ag.Tensor(x, requires_grad=True)
        op(t).backward(g)
        return t.grad
    return run


def run(rounds=15, block_s=0.05, out=sys.stdout):
    rng = np.random.default_rng(0)
    cases, x = _cases(rng)
    print(f"numpy's vocabulary: forward + backward, float32 ({N} × {N}), autograd ÷ numpy by "
          f"hand ({rounds} rounds)", file=out)
    rows = {}
    for name, (op, g, by_hand) in cases.items():
        ours = _autograd(op, x, g)
        np.testing.assert_allclose(ours().numpy(), by_hand()[1], rtol=1e-4, atol=1e-4)
        times = harness.interleaved({"numpy": by_hand, "autograd": ours}, rounds, block_s)
        r = harness.summary(times["autograd"], times["numpy"])
        rows[name] = r
        print(f"  {name:20s} {np.median(times['numpy']) * 1e6:9.1f} µs numpy   "
              f"{np.median(times['autograd']) * 1e6:9.1f} µs autograd   {r['ratio']:5.2f}×",
              file=out)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--quick", action="store_true", help="5 rounds of 0.02 s blocks")
    a, _ = ap.parse_known_args(argv)
    rounds, block = (5, 0.02) if a.quick else (a.rounds, 0.05)
    run(rounds, block)


if __name__ == "__main__":
    main()
