"""Threads and the compiled hand-over (issue 24, case 1).

Two threads running backward through one shared graph (``retain_graph=True``) may run the
same node at once. The compiled pass hands a node's rule its incoming gradient when nothing
else holds that array (``function.grad_times`` may then overwrite it); that permission belongs
to the one call of the rule that received the array, never to the node, which both threads
share. The reproducers here are deterministic, with no timing: a custom ``Function`` whose
backward, in thread A, waits on an event while the main thread runs the same node's backward
with an array it does not own; then A goes on. The pure-Python engine never hands over, and
gives the same values. `make test` runs this file under both engines.
"""
import threading

import numpy as np
import pytest

import autograd as ag
from autograd import function
from autograd.function import grad_times
from custom_functions import HandedMask

_BIG = (64, 80)         # 5,120 elements: above function._IN_PLACE_FROM, so it may be written
assert _BIG[0] * _BIG[1] >= function._IN_PLACE_FROM


class _Gate(HandedMask):
    """out = x · mask; backward multiplies by the mask with grad_times, the rule's last use of
    grad_output, as ReLU's does. In a test (``_interleaved``), the rule's two calls overlap in
    a set order: the ``first`` thread's call says it is inside and waits until the second
    call is inside too; the second call (the main thread's) says so and waits until the first
    has done its product."""
    first = second = None
    first_inside = second_inside = first_done = None
    handed = []

    @staticmethod
    def backward(ctx, grad_output):
        m, = ctx.saved_tensors
        me = threading.current_thread()
        if me is _Gate.first:
            _Gate.first_inside.set()
            assert _Gate.second_inside.wait(30), "the second call never reached the rule"
        elif me is _Gate.second:
            _Gate.second_inside.set()
            assert _Gate.first_done.wait(30), "the first call never finished its product"
        out = grad_times(ctx, grad_output, m)
        _Gate.handed.append(("first" if me is _Gate.first else "second", out is grad_output))
        if me is _Gate.first:
            _Gate.first_done.set()
        return out


@pytest.fixture
def gate():
    _Gate.first_inside, _Gate.second_inside, _Gate.first_done = (threading.Event()
                                                                  for _ in range(3))
    _Gate.handed = []
    yield _Gate
    for e in (_Gate.first_inside, _Gate.second_inside, _Gate.first_done):
        e.set()
    _Gate.first = _Gate.second = None


def _interleaved(gate, first, second):
    """Run first() in a thread of its own until its call of _Gate's rule is inside, then
    second() here, whose call of the same node's rule enters while the first's is still
    running; the first's product comes before the second's. Return first()'s result; an
    error in the thread is raised here."""
    results, errors = [], []

    def run_first():
        try:
            results.append(first())
        except BaseException as e:      # reported below, not lost in the thread
            errors.append(e)
            gate.first_inside.set()
            gate.first_done.set()

    t = threading.Thread(target=run_first, name="first")
    gate.first, gate.second = t, threading.current_thread()
    t.start()
    try:
        assert gate.first_inside.wait(30), "the first call never reached the rule"
        if not errors:
            second()
    finally:
        gate.second_inside.set()
        t.join(30)
    assert not t.is_alive(), "the first thread hung"
    if errors:
        raise errors[0]
    return results[0]


def test_case1_a_users_gradient_is_not_overwritten_while_another_thread_runs_the_node(gate):
    """First, in a thread: y.backward(g_user, retain_graph=True), whose call of the gate's
    rule gets the user's array, which it does not own. While it is inside, the main thread
    runs z.backward(retain_graph=True) through the same node, whose call gets the fresh
    g @ vᵀ that nothing else holds, and may take it. The first call must not take that
    permission for its own: g_user keeps its values (it became g_user · mask)."""
    rng = np.random.default_rng(0)
    xa, m = rng.normal(size=_BIG), rng.uniform(size=_BIG) > 0.5
    v = rng.normal(size=(_BIG[1], 3))
    x = ag.Tensor(xa, requires_grad=True)
    y = _Gate.apply(x, mask=m)
    z = (y @ v).sum()
    g_user = rng.normal(size=_BIG)
    g_before = g_user.copy()

    def first():
        y.backward(g_user, retain_graph=True)
        return x.grad.data.copy()

    first_grad = _interleaved(gate, first, lambda: z.backward(retain_graph=True))
    np.testing.assert_array_equal(g_user, g_before)         # the user's array, untouched
    np.testing.assert_array_equal(first_grad, g_before * m)
    a_part = np.ones((_BIG[0], 3)) @ v.T * m
    np.testing.assert_array_equal(x.grad.data, g_before * m + a_part)
    assert ("first", True) not in gate.handed and len(gate.handed) == 2


def test_case1_another_leafs_gradient_is_not_overwritten_while_another_thread_runs_the_node(
        gate):
    """As above, but the first call's gradient is one a ``+`` also routes to a leaf w (so
    w.grad keeps that very array): that call does not own it, and w.grad must not get the
    gate's zeros."""
    rng = np.random.default_rng(1)
    xa, m = rng.normal(size=_BIG), rng.uniform(size=_BIG) > 0.5
    v1, v2 = rng.normal(size=(_BIG[1], 3)), rng.normal(size=(_BIG[1], 4))
    x = ag.Tensor(xa, requires_grad=True)
    w = ag.Tensor(rng.normal(size=_BIG), requires_grad=True)
    y = _Gate.apply(x, mask=m)
    z1 = (y @ v1).sum()
    z2 = ((y + w) @ v2).sum()

    def first():
        z2.backward(retain_graph=True)
        return x.grad.data.copy(), w.grad.data

    first_grad, w_grad = _interleaved(gate, first, lambda: z1.backward(retain_graph=True))
    up2 = np.ones((_BIG[0], 4)) @ v2.T
    np.testing.assert_array_equal(w.grad.data, up2)         # not up2 · mask
    np.testing.assert_array_equal(w_grad, up2)
    np.testing.assert_array_equal(first_grad, up2 * m)
    np.testing.assert_array_equal(x.grad.data, up2 * m + np.ones((_BIG[0], 3)) @ v1.T * m)
    assert ("first", True) not in gate.handed and len(gate.handed) == 2


def test_case1_two_calls_that_own_their_gradients_each_get_their_own_product(gate):
    """Both calls get a fresh gradient of their own: each may write into its own array, never
    into the other's; the values are the out-of-place products."""
    rng = np.random.default_rng(2)
    xa, m = rng.normal(size=_BIG), rng.uniform(size=_BIG) > 0.5
    v1, v2 = rng.normal(size=(_BIG[1], 3)), rng.normal(size=(_BIG[1], 4))
    x = ag.Tensor(xa, requires_grad=True)
    y = _Gate.apply(x, mask=m)
    z1, z2 = (y @ v1).sum(), (y @ v2).sum()

    def first():
        z2.backward(retain_graph=True)
        return x.grad.data.copy()

    first_grad = _interleaved(gate, first, lambda: z1.backward(retain_graph=True))
    up1, up2 = np.ones((_BIG[0], 3)) @ v1.T, np.ones((_BIG[0], 4)) @ v2.T
    np.testing.assert_array_equal(first_grad, up2 * m)
    np.testing.assert_array_equal(x.grad.data, up2 * m + up1 * m)
    assert len(gate.handed) == 2


def test_the_hand_over_is_cleared_after_the_rule():
    """After a pass, no node keeps the array its rule was handed (nor a claim to it)."""
    rng = np.random.default_rng(3)
    x = ag.Tensor(rng.normal(size=_BIG), requires_grad=True)
    y = ag.relu(x)
    (y @ rng.normal(size=(_BIG[1], 2))).sum().backward(retain_graph=True)
    assert getattr(y.grad_fn, "_grad_owned", False) is False


def test_grad_times_writes_only_into_the_array_handed_to_this_call():
    """grad_times (compiled, and function.py's reference) writes in place only when
    ctx._grad_owned is grad_output itself: a ctx whose slot names another call's array, or
    says True as the old flag did, gets the plain product, and neither array changes."""
    rng = np.random.default_rng(4)
    m = rng.uniform(size=_BIG) > 0.5
    for fn in {grad_times, function._grad_times}:
        for claim in ("another array", True):
            ctx = ag.Function()
            other, g = rng.normal(size=_BIG), rng.normal(size=_BIG)
            ctx._grad_owned = other if claim == "another array" else claim
            before, other_before = g.copy(), other.copy()
            out = fn(ctx, g, m)
            assert out is not g, (fn, claim)
            np.testing.assert_array_equal(g, before)
            np.testing.assert_array_equal(other, other_before)
            np.testing.assert_array_equal(out, before * m)
        ctx._grad_owned = g                                  # this call's own: in place
        assert fn(ctx, g, m) is g
        np.testing.assert_array_equal(g, before * m)
