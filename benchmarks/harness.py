"""Timing and memory measurement: one process, implementations interleaved, warm-up first.

On a shared machine an absolute time says little; what holds is the ratio of two
implementations measured side by side. So every round times each implementation once, in an
order drawn afresh each round (a seeded shuffle), and the ratio reported is the median over
rounds of (implementation / floor) within the same round.

Shuffled, not rotated: rotating the start of a fixed list keeps its cyclic order, so each
implementation would always run right after the same one (the floor after the last peer,
whose threads and memory it inherits) and carry that neighbour's effect in every round.
"""
import gc
import time
import tracemalloc

import numpy as np

perf_counter = time.perf_counter


class Setup:
    """An implementation whose timed part needs fresh, untimed preparation each time:
    ``prepare()`` returns a state, ``run(state)`` is timed (once per round)."""

    def __init__(self, prepare, run):
        self.prepare = prepare
        self.run = run


def _time_block(fn, number):
    if isinstance(fn, Setup):
        state = fn.prepare()
        t0 = perf_counter()
        fn.run(state)
        t = perf_counter() - t0
        del state
        return t
    t0 = perf_counter()
    for _ in range(number):
        fn()
    return (perf_counter() - t0) / number


def interleaved(impls, rounds, block_s, warmup=2, seed=0):
    """Time each callable of ``impls`` (name -> callable or Setup) over ``rounds`` rounds, each
    in an order shuffled by a generator seeded with ``seed``.

    Warm-up runs each one ``warmup`` times and sets how many calls make one timed block
    (about ``block_s`` seconds). Returns name -> list of seconds per call, one per round.
    """
    numbers = {}
    for name, fn in impls.items():
        t = 0.0
        for _ in range(max(1, warmup)):
            t = _time_block(fn, 1)
        numbers[name] = 1 if isinstance(fn, Setup) else max(1, int(block_s / max(t, 1e-9)))
    names = list(impls)
    times = {name: [] for name in names}
    order = np.random.default_rng(seed)
    for _ in range(rounds):
        for k in order.permutation(len(names)):
            name = names[k]
            gc.collect()
            times[name].append(_time_block(impls[name], numbers[name]))
    return times


def summary(samples, floor=None):
    """Median, quartiles, min and max of ``samples``; with ``floor`` (the floor's samples of the
    same rounds), the same for the per-round ratio samples / floor."""
    s = np.asarray(samples, dtype=float)
    q1, med, q3 = np.percentile(s, [25, 50, 75])
    out = {"median": med, "q1": q1, "q3": q3, "min": s.min(), "max": s.max(), "n": len(s)}
    if floor is not None:
        r = s / np.asarray(floor, dtype=float)
        rq1, rmed, rq3 = np.percentile(r, [25, 50, 75])
        out.update(ratio=rmed, ratio_q1=rq1, ratio_q3=rq3)
    return out


# ----------------------------------------------------------------------------- memory
def step_memory(make, step, steps=0):
    """Memory of one implementation, seen by tracemalloc (numpy reports its buffers to it).

    ``make()`` builds the implementation (its parameters count), ``step(impl)`` runs one step.
    Returns bytes: ``peak`` over one step above what was allocated before ``make`` (so
    parameters, gradients kept between steps and optimizer state count; the shared data set
    does not), ``kept`` between steps, and ``growth`` over ``steps`` further steps (counted
    after ``steps // 10`` settling steps).

    A throwaway implementation takes one step before the count starts: what a module makes
    once for every model (the zeros operands of ReLU, the floor's own) then exists already,
    as it does when other cases ran first, so the figures do not depend on what ran before.
    """
    gc.collect()
    started = tracemalloc.is_tracing()
    if not started:
        tracemalloc.start()
    try:
        step(make())
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        impl = make()
        step(impl)                       # first step: lazily made state exists afterwards
        gc.collect()
        tracemalloc.reset_peak()
        step(impl)
        peak = tracemalloc.get_traced_memory()[1] - base
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - base
        growth = None
        if steps:
            # caches that fill once (interpreter, numpy, the library's registries) settle
            # during a tenth of the steps; what grows after that grows with the steps
            for _ in range(max(1, steps // 10)):
                step(impl)
            gc.collect()
            settled = tracemalloc.get_traced_memory()[0]
            for _ in range(steps):
                step(impl)
            gc.collect()
            growth = tracemalloc.get_traced_memory()[0] - settled
        del impl
        return {"peak": peak, "kept": kept, "growth": growth}
    finally:
        if not started:
            tracemalloc.stop()
