"""Pictures: draw_graph (DOT structure, values, gradients, big graphs, escaping, rendering) and
the matplotlib figures of gradient flow and of a failed gradient check."""
import html
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter

import numpy as np
import pytest

import autograd as ag
from autograd import viz
from autograd.viz._text import pen_width
from extras import need_modules

graphviz, matplotlib = need_modules(["graphviz", "matplotlib"], "viz")
matplotlib.use("Agg")

# skipped without Graphviz's `dot`, with the install command (a failure in CI: tests/extras.py)
needs_dot = pytest.mark.usefixtures("require_dot")

_NODE = re.compile(r"^\t+(\w+) \[label=<(.*)>(.*)\]$")
_EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$")


def label_text(label):
    """The text a reader sees in an HTML-like label."""
    text = re.sub(r"<[^>]+>", "", label.replace("<BR/>", "\n"))
    return html.unescape(text).replace("\\\\", "\\")


def parse(src):
    """nodes {id: (text, class)}, edges [(src, dst, attrs)], from our DOT output; every line
    must be a known statement (a broken label would show up as an unparsed line)."""
    nodes, edges = {}, []
    for line in src.splitlines():
        m = _NODE.match(line)
        if m:
            cls = re.search(r'class=("[^"]*"|\w+)', m.group(3)).group(1).strip('"')
            nodes[m.group(1)] = (label_text(m.group(2)), cls)
            continue
        m = _EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), m.group(3) or ""))
            continue
        assert re.match(r"^(digraph autograd \{|\}|\t+(graph|node|edge) \[.*\]|\t+subgraph "
                        r"cluster_\d+ \{|\t+\})$", line), f"unexpected DOT line: {line!r}"
    for a, b, _ in edges:
        assert a in nodes and b in nodes
    return nodes, edges


def edge_attr(attrs, key):
    m = re.search(rf'{key}=("[^"]*"|[^ ]+)', attrs)
    return None if m is None else m.group(1).strip('"')


# ----------------------------------------------------------------------------- the XOR net
def xor_net():
    """D4: X (4, 2) constant, W = [[1,1],[1,1]], c = [0,-1], w = [1,-2], b = 0."""
    X = ag.Tensor([[0., 0], [0, 1], [1, 0], [1, 1]])
    W = ag.Tensor([[1., 1], [1, 1]], requires_grad=True)
    c = ag.Tensor([0., -1], requires_grad=True)
    w = ag.Tensor([1., -2], requires_grad=True)
    b = ag.Tensor(0., requires_grad=True)
    out = ag.relu(X @ W + c) @ w + b
    return out, {"W": W, "c": c, "w": w, "b": b}


def test_xor_graph_exact_structure_D4():
    out, params = xor_net()
    np.testing.assert_array_equal(out.data, [0, 1, 1, 0])
    g = viz.draw_graph(out, params=params)
    assert isinstance(g, graphviz.Digraph)
    nodes, edges = parse(g.source)
    assert Counter(nodes.values()) == Counter({
        ("constant\n(4, 2) float64", "const"): 1,
        ("W\n(2, 2) float64", "param"): 1, ("c\n(2,) float64", "param"): 1,
        ("w\n(2,) float64", "param"): 1, ("b\n() float64", "param"): 1,
        ("matmul", "op"): 2, ("add", "op"): 2, ("relu", "op"): 1,
        ("(4, 2) float64", "inter"): 3, ("(4,) float64", "inter"): 1,
        ("(4,) float64", "inter root"): 1})
    assert len(edges) == 14
    succ, pred = {}, {}
    for a, b, _ in edges:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    # Follow the data from X to the root: each step has one successor.
    (start,) = [k for k, v in nodes.items() if v[1] == "const"]
    path, ins = [start], []
    while path[-1] in succ:
        (nxt,) = succ[path[-1]]
        path.append(nxt)
        if nodes[nxt][1] == "op":
            ins.append(sorted(nodes[p][0] for p in pred[nxt]))
    assert [nodes[k][0] for k in path] == [
        "constant\n(4, 2) float64", "matmul", "(4, 2) float64", "add", "(4, 2) float64", "relu",
        "(4, 2) float64", "matmul", "(4,) float64", "add", "(4,) float64"]
    assert nodes[path[-1]][1] == "inter root"
    assert ins == [["W\n(2, 2) float64", "constant\n(4, 2) float64"],
                   ["(4, 2) float64", "c\n(2,) float64"], ["(4, 2) float64"],
                   ["(4, 2) float64", "w\n(2,) float64"], ["(4,) float64", "b\n() float64"]]


def test_xor_values_and_grads_D4():
    out, params = xor_net()
    nodes, edges = parse(viz.draw_graph(out, params=params, show_values=True,
                                        show_grads=True).source)
    texts = {v[0] for v in nodes.values()}
    # h = relu(XW + c), kept by relu for backward, and the output f(X) = [0, 1, 1, 0] (D4).
    assert any(t.startswith("(4, 2) float64\n[[0, 0],\n [1, 0],\n [1, 0],\n [2, 1]]")
               for t in texts)
    assert "(4,) float64\n[0, 1, 1, 0]\ngrad [1, 1, 1, 1]" in texts
    # The picture's gradients are those of sum(out); the engine agrees.
    gW, gc, gw, gb = ag.grad(out.sum(), [params[k] for k in "Wcwb"], retain_graph=True)
    assert f"W\n(2, 2) float64\n[[1, 1],\n [1, 1]]\ngrad [[{gW.data[0, 0]:g}, " \
           f"{gW.data[0, 1]:g}],\n [{gW.data[1, 0]:g}, {gW.data[1, 1]:g}]]" in texts
    assert f"b\n() float64\n0\ngrad {gb.item():g}" in texts
    by_text = {v[0].split("\n")[0]: k for k, v in nodes.items()}
    for name, g in zip("Wcwb", (gW, gc, gw, gb)):
        (attrs,) = [e[2] for e in edges if e[0] == by_text[name]]
        norm = float(np.linalg.norm(g.data))
        assert float(edge_attr(attrs, "label")) == pytest.approx(norm, rel=1e-3)
        assert float(edge_attr(attrs, "penwidth")) == pytest.approx(pen_width(norm), abs=0.01)
    # Drawing wrote no .grad and freed nothing: backward still works and gives the same.
    assert all(p.grad is None for p in params.values())
    out.sum().backward()
    np.testing.assert_array_equal(params["W"].grad.data, gW.data)


# ----------------------------------------------------------------------------- shapes, ops
@pytest.mark.parametrize("xs, ys", [((), ()), ((3,), (3,)), ((2, 3), (2, 3)),
                                    ((3, 1), (1, 4))])
def test_shapes_and_broadcast_gradients(xs, ys):
    rng = np.random.default_rng(1)
    x = ag.Tensor(rng.normal(size=xs), requires_grad=True, name="x")
    y = ag.Tensor(rng.normal(size=ys), requires_grad=True, name="y")
    out = ag.tanh(x * y + x)
    nodes, edges = parse(viz.draw_graph(out, show_grads=True).source)
    out_shape = np.broadcast_shapes(xs, ys)
    texts = Counter(v[0].split("\n")[0] for v in nodes.values())
    assert texts[f"{tuple(out_shape)} float64"] == 3            # x*y, +x, tanh
    ids = {v[0].split("\n")[0]: k for k, v in nodes.items()}
    # x feeds x*y and +x: each edge carries its part of the gradient (summed back over the
    # broadcast axes), and x's box the total.
    g = 1 - np.tanh(x.data * y.data + x.data) ** 2
    parts = [_unbroadcast(g * y.data, xs), _unbroadcast(g, xs)]
    x_edges = sorted(float(edge_attr(e[2], "label")) for e in edges if e[0] == ids["x"])
    np.testing.assert_allclose(x_edges, sorted(np.linalg.norm(p) for p in parts), rtol=1e-3)
    (y_edge,) = [float(edge_attr(e[2], "label")) for e in edges if e[0] == ids["y"]]
    assert y_edge == pytest.approx(np.linalg.norm(_unbroadcast(g * x.data, ys)), rel=1e-3)
    (gx,) = ag.grad(out.sum(), [x])
    shown = nodes[ids["x"]][0].split("grad")[1]
    np.testing.assert_allclose([float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", shown)],
                               gx.data.ravel(), rtol=1e-3)


def _unbroadcast(g, shape):
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    return g.sum(axis=tuple(k for k, s in enumerate(shape) if s == 1), keepdims=True)


@pytest.mark.parametrize("make, label", [
    (lambda x: ag.softmax(x, axis=-1), "softmax(axis=2)"),
    (lambda x: ag.log_softmax(x, axis=0), "log_softmax(axis=0)"),
    (lambda x: ag.leaky_relu(x, 0.2), "leaky_relu(negative_slope=0.2)"),
    (lambda x: ag.elu(x, alpha=0.5), "elu(alpha=0.5)"),
    (lambda x: x.sum(axis=0), "sum(axis=0)"),
    (lambda x: x.sum(), "sum"),
    (lambda x: x.mean(axis=1, keepdims=True), "mean(axis=1, keepdims=True)"),
    (lambda x: x.max(axis=(0, 2)), "max(axis=(0, 2))"),
    (lambda x: ag.logsumexp(x, axis=-1), "logsumexp(axis=2)"),
    (lambda x: x.reshape(6, 4), "reshape(shape=(6, 4))"),
    (lambda x: x.transpose(1, 0, 2), "transpose(axes=(1, 0, 2))"),
    (lambda x: x[:, 0], "getitem[:, 0]"),
    (lambda x: x[..., 1:3, ::2], "getitem[..., 1:3, ::2]"),
    (lambda x: x.astype(np.float32), "astype(float32)"),
    (lambda x: x.clip(0, 1), "clip(a_min=0, a_max=1)"),
    (lambda x: ag.concatenate([x, x], axis=1), "concatenate(axis=1)"),
    (lambda x: ag.stack([x, x], axis=2), "stack(axis=2)"),
])
def test_op_labels_show_arguments(make, label):
    x = ag.Tensor(np.arange(24.).reshape(2, 3, 4), requires_grad=True)
    out = make(x)
    nodes, _ = parse(viz.draw_graph(out).source)
    assert [v[0] for v in nodes.values() if v[1] == "op"] == [label]
    (root,) = [v[0] for v in nodes.values() if "root" in v[1]]
    assert root == f"{out.shape} {out.dtype}"


def test_float32_graph_stays_float32():
    rng = np.random.default_rng(2)
    x = ag.Tensor(rng.normal(size=(5, 3)).astype(np.float32))
    W = ag.Tensor(rng.normal(size=(3, 2)).astype(np.float32), requires_grad=True)
    loss = ag.sigmoid(x @ W).mean()
    nodes, _ = parse(viz.draw_graph(loss, params={"W": W}, show_grads=True).source)
    shapes = [v[0] for v in nodes.values() if v[1] in ("inter", "inter root", "param")]
    assert shapes and all("float32" in t and "float64" not in t for t in shapes)


def test_multi_output_node_and_constants():
    class Split(ag.Function):
        """out = (x[:k], x[k:]); each input element's gradient comes from its half."""

        @staticmethod
        def forward(ctx, x, k=1):
            return x[:k].copy(), x[k:].copy()

        @staticmethod
        def backward(ctx, ga, gb):
            return np.concatenate([ga, gb])

    x = ag.Tensor([1., 2., 3.], requires_grad=True, name="x")
    a, b = Split.apply(x, k=1)
    out = a.sum() * 2.0 + b.sum()
    nodes, edges = parse(viz.draw_graph(out, show_grads=True, show_values=True).source)
    ids = {v[0]: k for k, v in nodes.items()}
    (split,) = [k for k, v in nodes.items() if v[0] == "Split"]
    outs = sorted(nodes[b][0].split("\n")[0] for a, b, _ in edges if a == split)
    assert outs == ["(1,) float64", "(2,) float64"]
    # Mul saved its constant 2.0, so the constant box shows it; Add's operands are tensors.
    assert any(v[0].startswith("2\n() float64") and v[1] == "const" for v in nodes.values())
    assert nodes[ids["x\n(3,) float64\n[1, 2, 3]\ngrad [2, 1, 1]"]][1] == "input"


@pytest.mark.parametrize("value", [3.0, -0.5])
def test_tensor_used_twice_by_one_op_keeps_both_edges(value):
    x = ag.Tensor(value, requires_grad=True, name="x")
    nodes, edges = parse(viz.draw_graph(x * x, show_grads=True).source)
    into = [e for e in edges if nodes[e[0]][0].startswith("x\n")]
    # d(x·x) = x dx + x dx: each edge carries x, the box the total 2x
    assert [float(edge_attr(e[2], "label")) for e in into] == [abs(value)] * 2
    assert nodes[into[0][0]][0] == f"x\n() float64\ngrad {2 * value:g}"


def test_after_backward_grads_come_from_leaves_with_a_note():
    out, params = xor_net()
    out.sum().backward()            # frees the saved arrays
    nodes, edges = parse(viz.draw_graph(out, params=params, show_grads=True).source)
    notes = [v[0] for v in nodes.values() if v[1] == "note"]
    assert len(notes) == 1 and "freed" in notes[0] and "retain_graph=True" in notes[0]
    w_text = [v[0] for v in nodes.values() if v[0].startswith("w\n")]
    assert w_text == [f"w\n(2,) float64\ngrad [{params['w'].grad.data[0]:g}, "
                      f"{params['w'].grad.data[1]:g}]"]
    assert all(edge_attr(e[2], "penwidth") is None for e in edges)


def test_nan_flagged_red():
    x = ag.Tensor([1.0, -1.0, 4.0], requires_grad=True, name="x")
    with np.errstate(invalid="ignore"):
        out = ag.sqrt(x)            # sqrt(-1) = NaN, and its gradient too
    with np.errstate(invalid="ignore", divide="ignore"):
        src = viz.draw_graph(out, show_values=True, show_grads=True).source
    nodes, edges = parse(src)
    (root,) = [k for k, v in nodes.items() if "root" in v[1]]
    assert "1 NaN" in nodes[root][0]
    assert re.search(rf"\t{root} \[.*color=red", src)
    (into_x,) = [e for e in edges if nodes[e[0]][0].startswith("x\n")]
    assert edge_attr(into_x[2], "color") == "red" and edge_attr(into_x[2], "label") == "NaN"


def test_vanishing_gradient_is_visible_in_edge_widths():
    x = ag.Tensor(2.0, requires_grad=True, name="x")
    z = x
    for _ in range(12):
        z = ag.tanh(z * 3.0)        # saturated: each step shrinks the gradient
    nodes, edges = parse(viz.draw_graph(z, show_grads=True).source)
    (first,) = [e for e in edges if nodes[e[0]][0].startswith("x\n")]
    (last,) = [e for e in edges if "root" in nodes[e[1]][1]]
    (gx,) = ag.grad(z, [x])
    assert float(edge_attr(first[2], "label")) == pytest.approx(abs(gx.item()), rel=1e-3)
    assert abs(gx.item()) < 1e-6
    assert float(edge_attr(first[2], "penwidth")) < 0.5 < 1.9 < \
        float(edge_attr(last[2], "penwidth"))


# ----------------------------------------------------------------------------- big graphs
def test_20000_op_chain_is_summarized():
    x = ag.Tensor(0.5, requires_grad=True, name="x")
    y = x
    for _ in range(10000):
        y = y * 1.0001 + 0.001      # 20,000 ops
    start = time.perf_counter()
    g = viz.draw_graph(y, max_nodes=50, show_grads=True)
    print(f"\n20,000-op chain drawn in {time.perf_counter() - start:.2f} s")
    nodes, edges = parse(g.source)
    assert len(nodes) <= 50
    (note,) = [v[0] for v in nodes.values() if v[1] == "note"]
    assert "20000 ops summarized: [multiply → add] × 10000" in note
    (chain,) = [v[0] for v in nodes.values() if v[1] == "chain"]
    assert chain == "multiply → add\n× 10000"
    # x -> chain -> y, and the gradient into x is d(y)/dx = 1.0001 ** 10000.
    (into,) = [e for e in edges if nodes[e[0]][0].startswith("x\n")]
    assert float(edge_attr(into[2], "label")) == pytest.approx(1.0001 ** 10000, rel=1e-3)
    assert len(edges) == 2


def test_20000_op_chain_without_repeats_is_cut_with_a_note():
    x = ag.Tensor(0.5, requires_grad=True, name="x")
    y = x
    for k in range(20000):
        y = y * (1 + k * 1e-9)      # each constant differs: no repeated pattern
    start = time.perf_counter()
    g = viz.draw_graph(y, max_nodes=40)
    print(f"\n20,000 distinct ops drawn in {time.perf_counter() - start:.2f} s")
    nodes, edges = parse(g.source)
    assert len(nodes) == 40
    (note_id,) = [k for k, v in nodes.items() if v[1] == "note"]
    assert re.search(r"\d+ nodes farther from the output not drawn \(\d+ ops: multiply ×\d+\)",
                     nodes[note_id][0])
    # the last ops before the root are drawn; the note feeds the first one drawn
    assert sum(1 for v in nodes.values() if v[1] == "op") >= 12
    assert [e for e in edges if e[0] == note_id]


def test_default_max_nodes_bounds_a_deep_tanh_chain():
    x = ag.Tensor(np.ones(3), requires_grad=True, name="x")
    z = x
    for _ in range(20000):
        z = ag.tanh(z)
    nodes, _ = parse(viz.draw_graph(z).source)
    assert len(nodes) <= viz.graph.DEFAULT_MAX_NODES
    assert Counter(v[1] for v in nodes.values()) == Counter(
        {"input": 1, "chain": 1, "inter root": 1, "note": 1})


def test_a_constant_the_user_named_shows_its_name():
    X = ag.tensor([[0., 0], [0, 1], [1, 0], [1, 1]], name="X")     # matmul saves it
    c = ag.tensor([0., -1], name="c")                              # add saves nothing
    k = ag.tensor(2.0, name='k<"2">')                              # a scalar keeps its value
    W = ag.tensor(np.ones((2, 2)), requires_grad=True)
    h = (X @ W + c) * k + ag.tensor([1., 1])                       # unnamed: "constant"
    nodes, _ = parse(viz.draw_graph(h, params={"W": W}).source)
    consts = [v[0] for v in nodes.values() if v[1] == "const"]
    assert consts == ["X\n(4, 2) float64", "c", 'k<"2">\n2\n() float64', "constant"]
    # the name is the constant's own: the same ops on an unnamed X draw "constant"
    plain = ag.tensor(X.numpy()) @ W
    nodes, _ = parse(viz.draw_graph(plain).source)
    assert [v[0] for v in nodes.values() if v[1] == "const"] == ["constant\n(4, 2) float64"]


def test_named_constants_keep_a_chain_apart():
    def chain(names):
        x = ag.tensor(np.ones(3), requires_grad=True)
        for k in range(30):
            x = x * ag.tensor(2.0, name=names[k % 2])
        nodes, _ = parse(viz.draw_graph(x, max_nodes=20).source)
        (box,) = [v[0] for v in nodes.values() if v[1] == "chain"]
        return box
    assert chain([None, None]).startswith("multiply\n× 30")
    assert chain(["k0", "k1"]).startswith("multiply → multiply\n× 15")


# ----------------------------------------------------------------------------- module scopes
def scoped_mlp(n_layers=3):
    """Layers x @ W + b -> tanh, their nodes tagged as nn.track_scopes() would tag them."""
    rng = np.random.default_rng(3)
    h = ag.Tensor(rng.normal(size=(4, 3)))
    params = {}
    for k in range(n_layers):
        W = ag.Tensor(rng.normal(size=(3, 3)), requires_grad=True)
        b = ag.Tensor(np.zeros(3), requires_grad=True)
        params[f"layers.{k}.weight"], params[f"layers.{k}.bias"] = W, b
        z = h @ W
        z.grad_fn.scope = f"layers.{k}"
        z = z + b
        z.grad_fn.scope = f"layers.{k}"
        h = ag.tanh(z)
        h.grad_fn.scope = f"layers.{k}"
    loss = (h * h).mean()
    return loss, params


def test_scopes_drawn_as_nested_clusters():
    loss, params = scoped_mlp(2)
    src = viz.draw_graph(loss, params=params).source
    parse(src)
    labels = re.findall(r"subgraph (cluster_\d+) \{\n\t+graph \[.*label=<<B>([^<]*)</B>>", src)
    assert [name for _, name in labels] == ["layers", "layers.0", "layers.1"]
    # The second cluster holds layer 0's ops and its parameters.
    body = src.split("subgraph cluster_1 {")[1].split("}")[0]
    assert body.count("class=op") == 3 and body.count("class=param") == 2


def test_module_clusters_say_the_dotted_name_and_the_class():
    import nn
    model = nn.Sequential(nn.Linear(64, 32, rng=0), nn.LeakyReLU(0.1),
                          nn.Sequential(nn.Linear(32, 10, rng=1), nn.Tanh()))
    with nn.track_scopes():
        loss = model(ag.tensor(np.ones((5, 64)), name="X")).sum()
    src = viz.draw_graph(loss, params=model).source
    parse(src)
    labels = re.findall(r"subgraph cluster_\d+ \{\n\t+graph \[.*label=<<B>([^<]*)</B>>", src)
    assert sorted(labels) == ["0: Linear(64 → 32)", "1: LeakyReLU(negative_slope=0.1)",
                              "2.0: Linear(32 → 10)", "2.1: Tanh", "2: Sequential"]
    nodes, _ = parse(viz.draw_graph(loss, params=model, collapse=["2.0"]).source)
    (box,) = [v[0] for v in nodes.values() if v[1] == "scope"]
    assert box.startswith("2.0: Linear(32 → 10)\n")


def test_collapse_a_scope_into_one_box():
    loss, params = scoped_mlp(3)
    nodes, edges = parse(viz.draw_graph(loss, params=params, collapse=["layers.1"]).source)
    (box,) = [k for k, v in nodes.items() if v[1] == "scope"]
    assert nodes[box][0] == ("layers.1\n3 ops: matmul, add, tanh\n"
                             "parameters: weight (3, 3), bias (3,)")
    assert not any(v[0].startswith("layers.1.") for v in nodes.values())
    # layer 0's output goes in, layer 1's output comes out
    ins = [nodes[a][0] for a, b, _ in edges if b == box]
    outs = [nodes[b][0] for a, b, _ in edges if a == box]
    assert ins == ["(4, 3) float64"] and outs == ["(4, 3) float64"]
    with pytest.raises(ValueError, match="collapse names 'decoder'"):
        viz.draw_graph(loss, collapse=["decoder"])
    # pairs as named_parameters() gives them, or a module itself, name the leaves as a dict
    class Model:
        def named_parameters(self):
            return iter(params.items())
    expect = viz.draw_graph(loss, params=params).source
    assert viz.draw_graph(loss, params=list(params.items())).source == expect
    assert viz.draw_graph(loss, params=Model()).source == expect
    # True: every outermost scope ("layers", where layers.0..2 branch) becomes one box
    nodes, _ = parse(viz.draw_graph(loss, params=params, collapse=True).source)
    assert [v[0].split("\n")[:2] for v in nodes.values() if v[1] == "scope"] == [
        ["layers", "9 ops: matmul ×3, add ×3, tanh ×3"]]


def test_over_max_nodes_scopes_collapse_deepest_first():
    loss, params = scoped_mlp(8)
    nodes, _ = parse(viz.draw_graph(loss, params=params, max_nodes=30).source)
    assert len(nodes) <= 30
    boxes = sorted(v[0].split("\n")[0] for v in nodes.values() if v[1] == "scope")
    assert boxes == [f"layers.{k}" for k in range(8)]
    (note,) = [v[0] for v in nodes.values() if v[1] == "note"]
    assert "8 module(s) collapsed" in note


# ----------------------------------------------------------------------------- DOT safety
HOSTILE = ['a"];evil[label="x', '<b>\n{|}', 'back\\slash \\N end\\', "&amp; \x01",
           "]]> }; digraph x {"]


def hostile_graph():
    ts = [ag.Tensor(float(k), requires_grad=True, name=n) for k, n in enumerate(HOSTILE)]
    s = ts[0]
    for t in ts[1:]:
        s = s + t
    s.name = "root'\"<>"
    return s


def test_hostile_names_are_escaped():
    src = viz.draw_graph(hostile_graph()).source
    nodes, edges = parse(src)           # every line is one of our statements
    assert len(nodes) == 5 + 4 + 4 and len(edges) == 12
    names = sorted(v[0].split("\n() float64")[0] for v in nodes.values() if v[1] == "input")
    assert names == sorted(n.replace("\x01", "\\x01") for n in HOSTILE)
    assert any(v[0].startswith("root'\"<>\n") for v in nodes.values())
    assert "evil[" not in src.replace('evil[label=&quot;', "")


@needs_dot
def test_hostile_names_survive_the_real_dot():
    g = viz.draw_graph(hostile_graph())
    layout = json.loads(subprocess.run(["dot", "-Tjson"], input=g.source.encode(),
                                       capture_output=True, check=True).stdout)
    assert len(layout["objects"]) == 13 and len(layout["edges"]) == 12
    svg = g.pipe(format="svg").decode()
    shown = [html.unescape(t) for t in re.findall(r">([^<]*)</text>", svg)]
    assert 'a"];evil[label="x' in shown and "back\\slash \\N end\\" in shown
    assert "<b>" in shown and "{|}" in shown and "]]> }; digraph x {" in shown


def test_same_graph_same_dot():
    def build():
        out, params = xor_net()
        return viz.draw_graph(out, params=params, show_values=True, show_grads=True).source
    first = build()
    assert build() == first
    out, params = xor_net()
    assert viz.draw_graph(out).source == viz.draw_graph(out).source
    assert "0x" not in first and not re.search(r"\d{9,}", first)   # no addresses or ids


# ----------------------------------------------------------------------------- rendering
@needs_dot
def test_render_svg_and_jupyter(tmp_path):
    out, params = xor_net()
    g = viz.draw_graph(out, params=params, show_grads=True)
    path = g.render(str(tmp_path / "xor"), format="svg")
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    assert path.endswith(".svg") and svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert ">matmul</text>" in svg and ">relu</text>" in svg
    bundle = g._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_without_dot_source_works_and_render_says_how_to_install(tmp_path, monkeypatch):
    out, params = xor_net()
    g = viz.draw_graph(out, params=params)
    monkeypatch.setenv("PATH", str(tmp_path))           # no `dot` to be found
    assert "matmul" in g.source
    for call in (lambda: g.pipe(format="svg"),
                 lambda: g.render(str(tmp_path / "x"), format="svg")):
        with pytest.raises(viz.GraphvizNotFoundError) as info:
            call()
        msg = str(info.value)
        assert "apt-get install graphviz" in msg and "brew install graphviz" in msg
        assert "conda" in msg and ".source" in msg
    bundle = g._repr_mimebundle_()
    assert "apt-get install graphviz" in bundle["text/plain"]
    assert g.source in bundle["text/plain"]


def test_bad_arguments():
    out, params = xor_net()
    with pytest.raises(TypeError, match="at least one Tensor"):
        viz.draw_graph()
    with pytest.raises(TypeError, match=r"draw_graph: roots must be Tensors, got ndarray"):
        viz.draw_graph(out.data)
    with pytest.raises(ValueError, match="max_nodes must be an int >= 2"):
        viz.draw_graph(out, max_nodes=1)
    with pytest.raises(TypeError, match=r"params\['W'\] must be a Tensor, got ndarray"):
        viz.draw_graph(out, params={"W": params["W"].data})


def test_leaf_and_grad_free_roots():
    t = ag.Tensor([1., 2.], name="t")
    nodes, edges = parse(viz.draw_graph(t, show_values=True).source)
    assert list(nodes.values()) == [("t\n(2,) float64\n[1, 2]", "input root")]
    assert edges == []


# ----------------------------------------------------------------------------- figures
def test_grad_flow_figure_from_a_real_run():
    rng = np.random.default_rng(4)
    x = ag.Tensor(rng.normal(size=(64, 5)))
    W1 = ag.Tensor(rng.normal(size=(5, 4)), requires_grad=True)
    # units 0 and 1 of layer 1 get a bias so negative that they are 0 on the whole batch
    b1 = ag.Tensor([-100., -100., 0., 0.], requires_grad=True)
    W2 = ag.Tensor(rng.normal(size=(4, 6)) * 10, requires_grad=True)
    b2 = ag.Tensor(np.zeros(6), requires_grad=True)
    unused = ag.Tensor(np.ones(2), requires_grad=True)
    h1 = ag.relu(x @ W1 + b1)
    h2 = ag.sigmoid(h1 @ W2 + b2)
    loss = ((h2 - 0.5) ** 2).mean()
    loss.backward()
    named = [("l1.weight", W1), ("l1.bias", b1), ("l2.weight", W2), ("l2.bias", b2),
             ("extra", unused)]
    fig = viz.plot_grad_flow(named, activations={"h1": h1, "h2": h2})
    top, bottom = fig.axes
    assert [t.get_text() for t in top.get_xticklabels()] == ["l1", "l2", "extra"]
    heights = [p.get_height() for p in top.patches]
    expect = [np.sqrt(np.sum(W1.grad.data ** 2) + np.sum(b1.grad.data ** 2)),
              np.sqrt(np.sum(W2.grad.data ** 2) + np.sum(b2.grad.data ** 2)), 0.0]
    np.testing.assert_allclose(heights, expect, rtol=1e-10)
    assert "no grad" in [t.get_text() for t in top.texts]
    shares = [p.get_height() for p in bottom.patches]
    s = h2.data
    assert shares[0] == 0.5                       # 2 of 4 ReLU units dead
    assert shares[1] == pytest.approx(np.mean(s * (1 - s) < 0.05 * 0.25))
    assert 0 < shares[1] < 1
    assert [t.get_text() for t in bottom.get_xticklabels()] == ["h1\n(relu)", "h2\n(sigmoid)"]


def test_grad_flow_per_parameter_and_kinds():
    W = ag.Tensor(np.ones((2, 2)), requires_grad=True)
    (W * 3.0).sum().backward()
    t = np.tanh(np.array([[0.0, 3.0, -3.0, 0.5]]))
    fig = viz.plot_grad_flow({"W": W}, activations={"a": ("tanh", t)}, by="parameter")
    assert [p.get_height() for p in fig.axes[0].patches] == [pytest.approx(6.0)]
    bottom = [ax for ax in fig.axes if ax.get_ylabel() == "share"][0]
    assert [p.get_height() for p in bottom.patches] == [0.5]
    with pytest.raises(ValueError, match="activation 'a': kind must be"):
        viz.plot_grad_flow({"W": W}, activations={"a": np.zeros(3)})


class _WrongDiag(ag.Function):
    """A deliberately wrong backward: d sin(x)/dx = cos x, times 1.5."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * np.cos(x) * 1.5


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (3, 1)])
def test_gradcheck_figure_from_a_real_failure(shape):
    rng = np.random.default_rng(5)
    x = ag.Tensor(rng.uniform(0.2, 1.2, size=shape), requires_grad=True)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(_WrongDiag.apply, (x,))
    err = info.value
    fig = viz.plot_gradcheck(err)
    n = x.size
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(images) == 3
    analytic, numerical, diff = (np.asarray(im) for im in images)
    expect = np.diag(np.cos(x.data).ravel())
    np.testing.assert_allclose(analytic, 1.5 * expect, rtol=1e-12)
    np.testing.assert_allclose(numerical, expect, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(diff, analytic - numerical, rtol=1e-12)
    assert analytic.shape == (n, n)
    # the worst entry is boxed: the largest diagonal difference
    k = int(np.argmax(np.abs(np.cos(x.data).ravel())))
    rect = [p for p in fig.axes[0].patches if p.get_width() == 1][0]
    assert rect.get_xy() == (k - 0.5, k - 0.5)
    assert "1.5 × numerical" in fig.get_suptitle()


def test_plot_gradcheck_rejects_other_objects():
    with pytest.raises(TypeError, match="expected a GradcheckError"):
        viz.plot_gradcheck(ValueError("x"))


# ----------------------------------------------------------------------------- optional deps
def test_graphviz_and_matplotlib_are_imported_only_when_drawing():
    code = ("import sys, autograd, autograd.viz; "
            "print('graphviz' in sys.modules, 'matplotlib' in sys.modules)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, check=True).stdout
    assert out.split() == ["False", "False"]


def test_missing_packages_say_what_to_install(monkeypatch):
    out, _ = xor_net()
    monkeypatch.setitem(sys.modules, "graphviz", None)       # import graphviz fails
    monkeypatch.setattr(viz.graph, "_digraph_class", None)
    with pytest.raises(ImportError, match="pip install graphviz.*apt-get install graphviz"):
        viz.draw_graph(out)
    for name in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)
    W = ag.Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        viz.plot_grad_flow({"W": W})
