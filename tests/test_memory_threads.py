"""Memory and threads: training keeps memory flat and creates no reference cycles (the graph
is freed by reference counting alone, as soon as a step's tensors go away); two threads
training separate models at once get exactly what they get one after the other; gradient mode
and anomaly mode are per thread."""
import contextlib
import gc
import sys
import threading
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd as ag
import nn


def _data(seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(32, 4)), rng.integers(0, 3, size=32)


class _Trainer:
    """A small MLP on a fixed batch: 4 → 16 → 16 → 3, cross-entropy, Adam."""

    def __init__(self, seed, optimizer="adam"):
        self.x, self.y = _data(seed)
        self.model = nn.MLP([4, 16, 16, 3], activation=nn.Tanh, rng=seed)
        params = self.model.parameters()
        self.opt = nn.optim.Adam(params, lr=1e-2) if optimizer == "adam" else \
            nn.optim.SGD(params, lr=0.1, momentum=0.9)
        self.loss_fn = nn.CrossEntropyLoss()
        self.eval_losses = []

    def step(self):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        return loss.item()

    def evaluate(self):
        """A loss under no_grad: nothing recorded (the mode toggles in this thread)."""
        with ag.no_grad():
            out = self.loss_fn(self.model(self.x), self.y)
        assert not out.requires_grad and out.grad_fn is None
        self.eval_losses.append(out.item())


@contextlib.contextmanager
def _gc_disabled():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _traced_now():
    gc.collect()          # a full collection also empties CPython's free lists
    return tracemalloc.get_traced_memory()[0]


def test_a_thousand_training_steps_keep_memory_flat():
    """With the cyclic collector off throughout, the objects it tracks are as many after step
    1000 as after step 100 (graphs that formed cycles would pile up: some 30 objects a step),
    and traced memory, after a full collection, is the same up to 32 KiB (interpreter noise: a
    cache warming, a dict resizing), where one leaked tensor a step (a 32×16 activation, 4 KiB)
    would add 3.6 MB. The optimizer's state is made in step 1, before the first reading."""
    trainer = _Trainer(0)
    with _gc_disabled():
        tracemalloc.start()
        try:
            first = trainer.step()
            for i in range(1, 1000):
                last = trainer.step()
                if i == 99:
                    objects_100 = len(gc.get_objects())
                    at_100 = _traced_now()
            # counted before collecting: with the collector off, cycles would still be there
            objects_1000 = len(gc.get_objects())
            at_1000 = _traced_now()
        finally:
            tracemalloc.stop()
    assert last < 0.5 * first            # it did train
    assert objects_1000 - objects_100 < 50, (objects_100, objects_1000)
    assert at_1000 - at_100 < 32 * 1024, (at_100, at_1000)


def _graph_of(t):
    """Weak references to every node and saved array reachable from ``t``."""
    refs, seen, stack = [], set(), [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        refs.append(weakref.ref(node))
        for edge in node._next:
            if edge is not None and not isinstance(edge, ag.Tensor):
                stack.append(edge[0] if type(edge) is tuple else edge)
    return refs


@pytest.mark.parametrize("second_order", [False, True], ids=["backward", "create_graph"])
def test_a_steps_graph_is_freed_by_reference_counting_alone(second_order):
    """With the cyclic collector off, every node of a step's graph (and, with create_graph,
    of the recorded backward graph) dies as soon as the step's tensors are dropped."""
    trainer = _Trainer(1)
    with _gc_disabled():
        loss = trainer.loss_fn(trainer.model(trainer.x), trainer.y)
        out = weakref.ref(loss)
        nodes = _graph_of(loss)
        assert len(nodes) >= 6
        if second_order:
            params = trainer.model.parameters()
            grads = ag.grad(loss, params, create_graph=True)
            penalty = sum((g * g).sum() for g in grads)      # a gradient penalty
            nodes += _graph_of(penalty)
            penalty.backward()
            del grads, penalty
        else:
            loss.backward()
        del loss
        assert out() is None
        alive = [type(r()).__name__ for r in nodes if r() is not None]
        assert alive == []
        trainer.model.zero_grad()


def test_training_creates_no_garbage_cycles():
    """gc.DEBUG_SAVEALL keeps whatever the collector would free: after 50 training steps,
    second-order steps and no_grad evaluations, it finds nothing at all."""
    trainer = _Trainer(2, optimizer="sgd")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(50):
            trainer.step()
            trainer.evaluate()
        for _ in range(5):
            loss = trainer.loss_fn(trainer.model(trainer.x), trainer.y)
            g = ag.grad(loss, trainer.model.parameters(), create_graph=True)
            sum((gi * gi).sum() for gi in g).backward()
        del loss, g
        found = gc.collect()
        garbage = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert (found, garbage) == (0, [])


# ----------------------------------------------------------------------------- threads
def _train(seed, steps, barrier=None):
    trainer = _Trainer(seed)
    if barrier is not None:
        barrier.wait()
    losses = []
    for _ in range(steps):
        losses.append(trainer.step())
        trainer.evaluate()          # no_grad in this thread, while the other one records
    return trainer.model.state_dict(), losses, trainer.eval_losses


@pytest.fixture
def fast_switching():
    """Make the interpreter switch threads every few microseconds, so the two trainings
    interleave at the level of single ops."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(old)


def test_two_threads_training_at_once_match_the_same_trainings_in_turn(fast_switching):
    steps = 150
    sequential = [_train(seed, steps) for seed in (10, 11)]

    barrier = threading.Barrier(2, timeout=30)
    results = _run_threads(*(lambda seed=seed: _train(seed, steps, barrier)
                             for seed in (10, 11)))
    for (state, losses, evals), (state_s, losses_s, evals_s) in zip(results, sequential):
        assert list(state) == list(state_s)
        for key in state:
            np.testing.assert_array_equal(state[key], state_s[key])
        assert losses == losses_s and evals == evals_s
    # the two models really differ (different seeds), so a mix-up would show
    assert not np.array_equal(results[0][0]["0.weight"], results[1][0]["0.weight"])


def _run_threads(*fns):
    """Run each function in a thread of its own; re-raise the first error any of them hit."""
    results, errors = [None] * len(fns), []

    def wrap(k, fn):
        try:
            results[k] = fn()
        except BaseException as e:       # reported here, not lost in the thread
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(k, fn)) for k, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


def test_no_grad_in_one_thread_does_not_reach_another():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    entered, checked = threading.Event(), threading.Event()
    seen = {}

    def quiet():
        with ag.no_grad():
            entered.set()
            checked.wait(5)
            seen["quiet"] = (ag.is_grad_enabled(), (x * 2).requires_grad)

    def recording():
        entered.wait(5)
        y = (x * 3).sum()
        seen["recording"] = (ag.is_grad_enabled(), y.requires_grad)
        y.backward()
        seen["grad"] = x.grad.data.copy()
        checked.set()

    _run_threads(quiet, recording)
    assert seen == {"quiet": (False, False), "recording": (True, True),
                    "grad": seen["grad"]}
    np.testing.assert_array_equal(seen["grad"], [3.0, 3.0])
    assert ag.is_grad_enabled()


def test_a_new_thread_starts_with_gradients_on_even_from_no_grad():
    x = ag.Tensor([1.0], requires_grad=True)
    with ag.no_grad():
        seen, = _run_threads(lambda: (ag.is_grad_enabled(), (x * 2).requires_grad))
        assert seen == (True, True)
        assert not (x * 2).requires_grad


def test_anomaly_mode_in_one_thread_does_not_reach_another():
    entered, done = threading.Event(), threading.Event()
    seen = {}

    def hunting():
        with ag.detect_anomaly():
            entered.set()
            done.wait(5)
            with np.errstate(divide="ignore"):
                try:
                    ag.log(ag.Tensor([0.0], requires_grad=True))
                except ag.AnomalyError as e:
                    seen["hunting"] = str(e)

    def plain():
        entered.wait(5)
        with np.errstate(divide="ignore"):
            seen["plain"] = ag.log(ag.Tensor([0.0], requires_grad=True)).data.copy()
        done.set()

    _run_threads(hunting, plain)
    np.testing.assert_array_equal(seen["plain"], [-np.inf])
    assert "Log" in seen.get("hunting", "no AnomalyError")
