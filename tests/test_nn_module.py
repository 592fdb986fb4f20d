"""nn.Module and nn.Parameter: discovery, names, state dicts, modes, repr, scope tagging."""
import threading

import numpy as np
import pytest

import autograd as ag
import nn


class Pair(nn.Module):
    """Parameters found directly, through a list, a tuple and a dict of modules."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.array([2.0]))
        self.blocks = [nn.Linear(2, 3, rng=0), nn.ReLU()]
        self.heads = {"a": nn.Linear(3, 1, rng=1), "b": nn.Linear(3, 2, bias=False, rng=2)}
        self.extra = (nn.Linear(1, 1, rng=3),)
        self.not_a_param = ag.Tensor([1.0], requires_grad=True)   # plain Tensors are not
        self.config = {"lr": 0.1}

    def forward(self, x):
        h = self.blocks[1](self.blocks[0](x)) * self.scale
        a = self.heads["a"](h)
        return a, self.heads["b"](h), self.extra[0](a)


def test_parameter_is_a_tensor_that_requires_grad():
    p = nn.Parameter(np.zeros((2, 3), dtype=np.float32))
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float32 and p.shape == (2, 3)
    assert repr(p).startswith("Parameter containing:\nTensor(")
    with pytest.raises(TypeError, match="floating"):
        nn.Parameter(np.arange(3))
    ro = np.broadcast_to(np.ones(3), (2, 3))
    assert nn.Parameter(ro).data.flags.writeable     # optimizers update it in place


def test_named_parameters_through_attributes_lists_tuples_and_dicts():
    m = Pair()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "blocks.0.weight", "blocks.0.bias", "heads.a.weight",
                     "heads.a.bias", "heads.b.weight", "extra.0.weight", "extra.0.bias"]
    assert [p.shape for p in m.parameters()] == [(1,), (2, 3), (3,), (3, 1), (1,), (3, 2),
                                                 (1, 1), (1,)]
    assert [n for n, _ in m.named_children()] == ["blocks.0", "blocks.1", "heads.a",
                                                   "heads.b", "extra.0"]
    assert len(list(m.children())) == 5
    assert [n for n, _ in m.named_modules()] == ["", "blocks.0", "blocks.1", "heads.a",
                                                  "heads.b", "extra.0"]
    assert list(m.modules())[0] is m


def test_nested_sequential_names_and_shared_parameters_listed_once():
    shared = nn.Linear(2, 2, rng=0)
    m = nn.Sequential(nn.Sequential(shared, nn.Tanh()), shared)
    assert [n for n, _ in m.named_modules()] == ["", "0", "0.0", "0.1"]
    assert [n for n, _ in m.named_parameters()] == ["0.0.weight", "0.0.bias"]
    # the state dict lists a shared parameter under each of its names, as PyTorch does
    assert list(m.state_dict()) == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]


def test_sequential_indexing_slicing_append_and_dict_names():
    a, b, c = nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1)
    seq = nn.Sequential(a, b)
    seq.append(c)
    assert len(seq) == 3 and seq[0] is a and seq[-1] is c and list(seq) == [a, b, c]
    head = seq[1:]
    assert isinstance(head, nn.Sequential) and list(head) == [b, c]
    assert list(head.state_dict()) == ["2.weight", "2.bias"]
    named = nn.Sequential({"hidden": a, "act": b})
    assert list(named.state_dict()) == ["hidden.weight", "hidden.bias"]
    x = np.ones((4, 2))
    np.testing.assert_allclose(seq(x).data, c(b(a(x))).data)
    with pytest.raises(TypeError, match="Sequential: every element must be a Module"):
        nn.Sequential(a, np.ones(2))


def test_train_eval_reach_every_submodule():
    m = Pair()
    assert m.training
    assert m.eval() is m
    assert not any(sub.training for sub in m.modules())
    m.train()
    assert all(sub.training for sub in m.modules())


def test_zero_grad_sets_grads_to_none():
    m = Pair()
    out_a, out_b, out_c = m(np.ones((2, 2)))
    (out_a.sum() + out_b.sum() + out_c.sum()).backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.data == 0) for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_repr_is_nested_like_pytorchs():
    m = nn.Sequential(nn.Linear(2, 4, rng=0), nn.LeakyReLU(0.2),
                      nn.Sequential(nn.Linear(4, 1, bias=False, rng=1), nn.Softmax(axis=0)))
    assert repr(m) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=4, bias=True)\n"
        "  (1): LeakyReLU(negative_slope=0.2)\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=4, out_features=1, bias=False)\n"
        "    (1): Softmax(axis=0)\n"
        "  )\n"
        ")")
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.CrossEntropyLoss(reduction="sum")) == "CrossEntropyLoss(reduction='sum')"


def test_repr_of_a_deep_chain_does_not_recurse():
    m = nn.Identity()
    for _ in range(3000):        # deeper than Python's recursion limit
        m = nn.Sequential(m)
    text = repr(m)
    assert text.count("Identity()") == 1 and text.count("Sequential(") == 3000


# ----------------------------------------------------------------------------- state dicts
def test_state_dict_round_trip_copies_arrays():
    src, dst = nn.MLP([3, 4, 2], rng=0), nn.MLP([3, 4, 2], rng=1)
    state = src.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    state["0.weight"][0, 0] = 123.0                # a copy: the model is untouched
    assert src[0].weight.data[0, 0] != 123.0
    result = dst.load_state_dict(src.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (n, p), (_, q) in zip(src.named_parameters(), dst.named_parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=n)


def _snapshot(m):
    return {n: p.data.copy() for n, p in m.named_parameters()}


def _assert_unchanged(m, before):
    for n, p in m.named_parameters():
        np.testing.assert_array_equal(p.data, before[n], err_msg=n)


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("2.bias"), r"missing key\(s\): '2.bias'"),
    (lambda s: s.__setitem__("2.gamma", np.ones(2)), r"unexpected key\(s\): '2.gamma'"),
    (lambda s: s.__setitem__("2.weight", np.ones((2, 4))),
     r"'2.weight': shape \(2, 4\) in the state dict, but the parameter has shape \(4, 2\)"),
    (lambda s: s.__setitem__("0.bias", np.array(["a"] * 4)), r"'0.bias': expected a numeric"),
])
def test_bad_state_dict_names_the_key_and_changes_nothing(change, message):
    m = nn.MLP([3, 4, 2], rng=0)
    state = nn.MLP([3, 4, 2], rng=5).state_dict()   # different values, same layout
    change(state)
    before = _snapshot(m)
    with pytest.raises(ValueError, match=message):
        m.load_state_dict(state)
    _assert_unchanged(m, before)


def test_non_strict_load_reports_and_loads_what_matches():
    m = nn.MLP([3, 4, 2], rng=0)
    other = nn.MLP([3, 4, 2], rng=5).state_dict()
    state = {"0.weight": other["0.weight"], "2.bias": other["2.bias"], "extra": np.ones(1)}
    before = _snapshot(m)
    missing, unexpected = m.load_state_dict(state, strict=False)
    assert missing == ["0.bias", "2.weight"] and unexpected == ["extra"]
    np.testing.assert_array_equal(m[0].weight.data, other["0.weight"])
    np.testing.assert_array_equal(m[2].bias.data, other["2.bias"])
    np.testing.assert_array_equal(m[0].bias.data, before["0.bias"])
    # a wrong shape is an error even when not strict, and then nothing is loaded
    state["0.bias"] = np.ones(5)
    before = _snapshot(m)
    with pytest.raises(ValueError, match="'0.bias': shape"):
        m.load_state_dict(state, strict=False)
    _assert_unchanged(m, before)


def test_load_keeps_the_parameters_dtype_and_identity():
    m = nn.Linear(2, 2, dtype=np.float32, rng=0)
    weight = m.weight
    m.load_state_dict({"weight": np.eye(2), "bias": ag.Tensor([1.0, 2.0])})
    assert m.weight is weight and m.weight.dtype == np.float32
    np.testing.assert_array_equal(m.weight.data, np.eye(2))
    np.testing.assert_array_equal(m.bias.data, [1, 2])


def test_to_casts_every_parameter():
    m = nn.MLP([2, 3, 1], rng=0).float()
    assert {p.dtype for p in m.parameters()} == {np.dtype(np.float32)}
    with pytest.raises(TypeError, match="floating"):
        m.to(np.int32)


# ----------------------------------------------------------------------------- scopes
def _nodes(*outputs):
    """Every graph node reachable from the outputs (an iterative walk)."""
    stack = [o.grad_fn for o in outputs if o.grad_fn is not None]
    seen = {}
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        for edge in node._next:
            if edge is None or isinstance(edge, ag.Tensor):
                continue
            stack.append(edge[0] if type(edge) is tuple else edge)
    return list(seen.values())


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(2, 3, rng=0), nn.Tanh()]
        self.gain = nn.Parameter(np.array(2.0))

    def forward(self, x):
        h = x * self.gain                     # made by Block itself
        for layer in self.layers:
            h = layer(h)
        return nn.Sigmoid()(h)                # a module not stored as an attribute


def test_scopes_tag_nodes_with_dotted_module_names():
    x0 = ag.Tensor(np.ones((4, 2)), requires_grad=True)
    x = x0 * 1.0                                       # a node made before the call
    before = x.grad_fn
    model = nn.Sequential(Block(), nn.Linear(3, 1, rng=1))
    with nn.track_scopes():
        out = model(x)
    scopes = {type(n).__name__ + "@" + n.scope for n in _nodes(out) if n is not before}
    assert scopes == {"Mul@0", "Affine@0.layers.0", "Tanh@0.layers.1", "Sigmoid@0.Sigmoid",
                      "Affine@1"}
    assert not hasattr(before, "scope")                # stopped at the input's node


def test_scopes_are_off_by_default_and_outside_the_block():
    model = nn.MLP([2, 3, 1], rng=0)
    out = model(np.ones((2, 2)))
    assert all(getattr(n, "scope", None) is None for n in _nodes(out))
    with nn.track_scopes():
        model(np.ones((2, 2)))
    out = model(np.ones((2, 2)))
    assert all(getattr(n, "scope", None) is None for n in _nodes(out))


def test_root_module_scope_is_empty_and_existing_tags_are_kept():
    class Root(nn.Module):
        def __init__(self):
            self.lin = nn.Linear(2, 2, rng=0)

        def forward(self, x):
            return ag.relu(self.lin(x)).sum()

    with nn.track_scopes():
        out = Root()(np.ones((3, 2)))
    by_type = {type(n).__name__: n.scope for n in _nodes(out)}
    assert by_type == {"Sum": "", "ReLU": "", "Affine": "lin"}


def test_scope_tracking_is_per_thread():
    model = nn.Linear(2, 1, rng=0)
    seen = {}

    def other():
        out = model(np.ones((1, 2)))
        seen["scope"] = getattr(out.grad_fn, "scope", None)

    with nn.track_scopes():
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert model(np.ones((1, 2))).grad_fn.scope == ""
    assert seen["scope"] is None


def test_scope_walk_is_iterative_on_a_long_graph():
    class Chain(nn.Module):
        def forward(self, x):
            for _ in range(5000):
                x = x + 1.0
            return x

    x = ag.Tensor(np.zeros(2), requires_grad=True)
    with nn.track_scopes():
        out = Chain()(x)
    assert out.grad_fn.scope == "" and len(_nodes(out)) == 5000


def test_a_module_that_contains_itself_is_reported():
    outer = nn.Sequential(nn.Linear(2, 2, rng=0))
    outer.loop = [outer]
    with pytest.raises(ValueError, match="Sequential: module 'loop.0' contains itself"):
        list(outer.named_modules())
