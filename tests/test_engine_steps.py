"""The reference backward pass in its steps (engine.py): short, one reader of edges, a hook for
viz that changes nothing, detect_anomaly read in one place."""
import ast
import pathlib

import numpy as np
import pytest

import autograd as ag
from autograd import engine
from autograd.function import _FREED
from custom_functions import SquareAndTriple
from extras import need_module

ENGINE = pathlib.Path(engine.__file__)
EDGEGRADS = ENGINE.parent / "viz" / "_edgegrads.py"
MAX_LINES, MAX_FUNCTION_LINES = 400, 80


def _functions(tree):
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _lines(fn):
    """A function's lines, from its ``def`` to its end, docstring included."""
    return fn.end_lineno - fn.lineno + 1


def test_engine_py_is_short_and_so_is_each_of_its_functions():
    """engine.py stays under 400 lines, and no function in it (the steps of the pass, grad
    with its examples) is over 80 lines."""
    text = ENGINE.read_text(encoding="utf-8")
    assert len(text.splitlines()) < MAX_LINES
    long = {fn.name: _lines(fn) for fn in _functions(ast.parse(text))
            if _lines(fn) > MAX_FUNCTION_LINES}
    assert _lines(next(fn for fn in _functions(ast.parse(text)) if fn.name == "grad")) > 40
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_pass_has_the_steps_of_the_compiled_one():
    """backward.c's route, run_node, accumulate and run_pass, in that order, then the entry."""
    names = [n.name for n in ast.parse(ENGINE.read_text(encoding="utf-8")).body
             if isinstance(n, ast.FunctionDef)]
    steps = ["_route", "_run_node", "_accumulate", "_run_pass", "run_backward"]
    assert [n for n in names if n in steps] == steps


_EDGE_NAMES = {"edge"}          # ("e" names exceptions elsewhere)


def _hand_decodings(tree, skip=()):
    """Where code tells an edge's form apart itself: ``isinstance(edge, ...)``,
    ``type(edge) is ...``, ``edge[0]`` (outside the functions named in ``skip``)."""
    skipped = {id(n) for fn in _functions(tree) if fn.name in skip for n in ast.walk(fn)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args and \
                isinstance(node.args[0], ast.Name) and node.args[0].id in _EDGE_NAMES and \
                node.func.id in ("isinstance", "type"):
            found.append(node.lineno)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
                node.value.id in _EDGE_NAMES:
            found.append(node.lineno)
    return found


_SOURCES = sorted(p for d in ("autograd", "nn") for p in (ENGINE.parents[1] / d).rglob("*.py"))


@pytest.mark.parametrize("path", _SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_edges_are_read_only_through_edge_target(path):
    """function.edge_target, beside apply that makes the edges, is their one reader."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _hand_decodings(tree, skip={"edge_target"}) == []


def test_the_edge_check_sees_a_hand_decoding():
    source = (ENGINE.parent / "function.py").read_text(encoding="utf-8")
    assert len(_hand_decodings(ast.parse(source))) == 2     # edge_target's own two tests


def test_edge_target_reads_the_four_forms_of_an_edge():
    x = ag.Tensor(np.array([1.0, 2.0]), requires_grad=True)
    m = x * 1.0                     # its input: the leaf
    s, t = SquareAndTriple.apply(m)
    y = s * t + np.ones(2)          # outputs 0 and 1 of a node; a constant
    add = y.grad_fn
    mul, k = engine.edge_target(add._next[0])
    assert k == 0 and engine.edge_target(mul._next[0]) == (s.grad_fn, 0)
    assert engine.edge_target(mul._next[1]) == (t.grad_fn, 1)
    assert engine.edge_target(add._next[1]) == (None, None)
    leaf, k = engine.edge_target(m.grad_fn._next[0])
    assert leaf is x and k is None


class _Recorder:
    """A hook that keeps what it is told."""

    def __init__(self):
        self.nodes, self.edges = [], []

    def node(self, node, grad_out):
        self.nodes.append(node)
        return False

    def edge(self, node, i, g):
        self.edges.append((node, i, np.array(g, copy=True)))

    def done(self, leaf_grads):
        return {k: (t, np.array(g, copy=True)) for k, (t, g) in leaf_grads.items()}


def _graph():
    rng = np.random.default_rng(3)
    W = ag.Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    b = ag.Tensor(rng.standard_normal(3), requires_grad=True)
    X = ag.Tensor(rng.standard_normal((5, 4)))
    h = (X @ W + b).tanh()
    s, t = SquareAndTriple.apply(h)
    loss = (s * 0.5).sum() + (t * h).mean() + (b * b).sum()
    return loss, (W, b)


def test_a_hooked_pass_hears_every_gradient_and_writes_and_frees_nothing():
    loss, leaves = _graph()
    nodes = []
    stack = [loss.grad_fn]
    while stack:
        n = stack.pop()
        if n not in nodes:
            nodes.append(n)
            stack += [engine.edge_target(e)[0] for e in n._next
                      if engine.edge_target(e)[1] is not None]
    hook = _Recorder()                                  # as viz calls it: retain_graph=True
    got = engine.run_backward((loss,), None, True, False, hook=hook)
    assert all(t.grad is None for t in leaves)                    # nothing written
    assert all(n._saved is not _FREED for n in nodes)             # nothing freed
    assert set(hook.nodes) == set(nodes) and len(hook.nodes) == len(nodes)
    for node, i, g in hook.edges:                       # of its input's shape and dtype
        assert (g.shape, g.dtype) == node._meta[i]
    loss.backward()                                               # the plain pass, the same
    for t in leaves:
        assert np.array_equal(got[id(t)][1], t.grad.data)


def test_a_hooked_pass_runs_the_rules_in_the_plain_pass_order(monkeypatch):
    order = []
    loss, _ = _graph()
    hook = _Recorder()
    engine.run_backward((loss,), None, True, False, hook=hook)
    for cls in {type(n) for n in hook.nodes}:
        rule = cls.backward

        def spy(ctx, *g, _rule=rule):
            order.append(ctx)
            return _rule(ctx, *g)
        monkeypatch.setattr(cls, "backward", staticmethod(spy))
    loss.backward()                 # the plain pass (compiled, where it is built)
    assert len(order) > 5 and order == hook.nodes


def test_a_hook_that_skips_a_node_leaves_what_is_below_it_alone():
    x = ag.Tensor(2.0, requires_grad=True)
    y = x * 3
    z = y.exp()

    class Skip(_Recorder):
        def node(self, node, grad_out):
            super().node(node, grad_out)
            return node is y.grad_fn
    hook = Skip()
    got = engine.run_backward((z,), None, False, False, hook=hook)
    assert hook.nodes == [z.grad_fn, y.grad_fn] and got == {} and x.grad is None


@pytest.fixture
def routed(monkeypatch):
    """The (node, input index) of every call of engine._route, in order."""
    calls = []
    route = engine._route

    def counting(*args):
        calls.append(args[:2])
        return route(*args)
    monkeypatch.setattr(engine, "_route", counting)
    return calls


def test_without_a_hook_the_plain_pass_routes_through_the_same_step(routed):
    """_route is the one router: the plain Python pass and a hooked one call it alike."""
    calls = routed
    loss, _ = _graph()
    hook = _Recorder()
    engine.run_backward((loss,), None, True, False, hook=hook)
    hooked = list(calls)
    assert [(n, i) for n, i, _ in hook.edges] == hooked
    calls.clear()
    with ag.detect_anomaly():
        loss.backward()
    assert calls == hooked


def test_draw_graph_takes_its_gradients_from_the_engine(routed):
    need_module("graphviz", "viz")
    loss, leaves = _graph()
    ag.viz.draw_graph(loss, show_grads=True)
    assert routed and all(t.grad is None for t in leaves)
    loss.backward()         # the graph was not freed by the drawing


def test_detect_anomaly_is_read_in_one_place():
    """The engine reads the mode once per pass (run_backward); the steps get it from there."""
    tree = ast.parse(ENGINE.read_text(encoding="utf-8"))
    reads = [n.lineno for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and n.attr == "anomaly"]
    assert len(reads) == 1, reads
