"""In-place modification: never a silently wrong gradient."""
import re

import numpy as np
import pytest

import autograd as ag
from autograd import binding


def test_inplace_operator_on_a_leaf_that_requires_grad_is_an_error():
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="w")
    for op in ("+=", "-=", "*=", "/="):
        with pytest.raises(RuntimeError, match=re.escape(f"in-place {op} on a leaf tensor 'w' of "
                                                         "shape (2,) (float64) that requires grad")):
            exec(f"x {op} 1.0", {"x": x})
    with pytest.raises(RuntimeError, match=r"in-place \[index\] = on a leaf"):
        x[0] = 3.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])     # nothing changed


def test_leaf_update_under_no_grad_is_allowed_and_in_place():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    buffer = x.data
    with ag.no_grad():
        x -= 0.5
        x[1] = 7.0
    assert x.data is buffer
    np.testing.assert_array_equal(buffer, [0.5, 7.0])


@pytest.mark.parametrize("modify", [
    lambda c: c.__iadd__(1.0),
    lambda c: c.__imul__(2.0),
    lambda c: c.__setitem__(0, 9.0),
])
def test_changing_a_saved_constant_makes_backward_raise_naming_tensor_and_op(modify):
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0], name="scale")
    y = (x * c).sum()
    modify(c)
    with pytest.raises(RuntimeError, match=r"Mul.backward needs an array it saved.*tensor "
                                           r"'scale' of shape \(2,\).*changed by an in-place"):
        y.backward()


def test_optimizer_style_update_before_backward_is_caught():
    w = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="W")
    x = ag.Tensor([[1.0, 1.0]])
    loss = ag.tanh(x @ w).sum()
    with ag.no_grad():
        w -= 0.1                      # a step taken before this loss's backward
    with pytest.raises(RuntimeError, match=r"MatMul.backward.*tensor 'W'"):
        loss.backward()


def test_change_through_a_view_is_caught():
    base = ag.Tensor(np.arange(4.0))
    view = base[1:3]                  # basic slicing: shares memory with base
    x = ag.Tensor([1.0, 1.0, 1.0, 1.0], requires_grad=True)
    loss = (x * base).sum()
    view += 10.0
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def test_changes_after_backward_or_unrelated_are_fine():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0])
    other = ag.Tensor([0.0])
    loss = (x * c).sum()
    other += 1                        # not saved by this graph
    loss.backward()
    c += 1                            # after backward
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


def test_inplace_on_a_graph_tensor_is_recorded_and_keeps_gradients_right():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    h = ag.exp(x)                     # Exp saves its output array
    saved = h.data
    h *= 3.0                          # rebinds h; exp's saved output is untouched
    assert h.data is not saved and type(h.grad_fn).__name__ == "Mul"
    h.sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * np.exp([1.0, 2.0]))


def test_setitem_with_gradients():
    x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    v = ag.Tensor(5.0, requires_grad=True)
    h = x * 2
    h[1] = v * 3
    np.testing.assert_array_equal(h.data, [2.0, 15.0, 6.0])
    (h * ag.Tensor([1.0, 10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 0.0, 200.0])
    assert v.grad.item() == 30.0
    assert ag.gradcheck(lambda a, b: _set(a, b), (ag.Tensor([1.0, 2.0, 3.0], requires_grad=True),
                                                  ag.Tensor([4.0, 5.0], requires_grad=True)))


def _set(a, b):
    out = a * 1.0
    out[np.array([0, 2])] = b
    return out


@pytest.mark.parametrize("write", [
    lambda c: c.data.__setitem__(0, 100.0),
    lambda c: c.data.__iadd__(1.0),
    lambda c: np.copyto(c.data, 7.0),
])
def test_write_through_data_makes_backward_raise(write):
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0], name="scale")
    loss = (x * c).sum()
    write(c)                          # t.data[...] = v after the forward
    with pytest.raises(RuntimeError, match=r"Mul.backward needs an array it saved.*tensor "
                                           r"'scale' of shape \(2,\).*written through its "
                                           r"\.data"):
        loss.backward()


def test_reading_data_is_not_a_write():
    w = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = ag.tanh(ag.Tensor([[1.0, 1.0]]) @ w).sum()
    seen = w.data.copy()              # handing the array out alone changes nothing
    assert w.data.sum() == seen.sum()
    loss.backward()
    assert w.grad is not None
    w.data[0, 0] = 5.0                # after backward: fine, and the next graph sees 5
    loss = ag.tanh(ag.Tensor([[1.0, 1.0]]) @ w).sum()
    loss.backward()


def test_data_of_an_unsaved_tensor_is_not_watched():
    c = ag.Tensor([1.0, 2.0])
    (c + ag.Tensor([1.0, 1.0], requires_grad=True)).sum()   # Add saves nothing
    assert c._pinned is None
    c.data[0] = 3.0                   # no checksum taken, nothing to refuse


def test_raw_write_through_numpy_is_caught_under_detect_anomaly():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0])
    raw = c.numpy()                   # the unwatched accessor: writes through it are not seen
    with ag.detect_anomaly():
        loss = (x * c).sum()
        raw[0] = 100.0                # ... except by the anomaly mode's checksums
        with pytest.raises(ag.AnomalyError, match=r"Mul.backward needs the array it saved as "
                                                  r"item 1.*modified in place"):
            loss.backward()


def test_inplace_dtype_error_names_the_op():
    t = ag.Tensor(np.arange(3))
    with pytest.raises(TypeError, match=r"in-place \+= on a tensor of shape \(3,\) \(int64\)"):
        t += 0.5


def test_optimizer_step_before_backward_is_caught():
    import nn
    model = nn.Linear(2, 1, rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    x = np.array([[1.0, 2.0]])
    first = (model(x) ** 2).sum()
    first.backward(retain_graph=True)
    opt.step()                                      # changes the weight first's graph saved
    with pytest.raises(RuntimeError, match=r"Affine.backward needs an array it saved.*tensor of "
                                           r"shape \(2, 1\)"):
        first.backward()


def test_load_state_dict_and_init_before_backward_are_caught():
    import nn
    model = nn.Linear(2, 1, rng=0)
    x = np.array([[1.0, 2.0]])
    loss = (model(x) ** 2).sum()
    model.load_state_dict({"weight": np.ones((2, 1)), "bias": np.zeros(1)})
    with pytest.raises(RuntimeError, match=r"Affine.backward needs an array it saved"):
        loss.backward()
    loss = (model(x) ** 2).sum()
    nn.init.zeros_(model.weight)
    with pytest.raises(RuntimeError, match=r"Affine.backward needs an array it saved"):
        loss.backward()


def test_writes_through_numpy_are_caught_once_registered():
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    c = ag.Tensor([3.0, 4.0])
    loss = (x * c).sum()
    c.numpy()[0] = 9.0                # the unwatched accessor...
    ag.inplace.register_change(c)     # ...then declared, as the optimizers do
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()


def _watched(t):
    """Whether handing out ``t.data`` is noted (a watched hand-out ticks the clock)."""
    before = ag.inplace.clock.value
    t.data
    return ag.inplace.clock.value != before


def test_pins_are_released_by_backward():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()
    assert _watched(w)                # Mul saved w's array
    loss.backward()
    assert not _watched(w)            # so reading w.data afterwards costs nothing
    assert w._pinned is None


def test_pins_lapse_with_a_graph_dropped_unused():
    """A forward pass whose graph is dropped without backward (an evaluation outside no_grad)
    leaves nothing behind: the weights' .data is not watched on every later read."""
    w = ag.Tensor([[1.0], [2.0]], requires_grad=True)
    for _ in range(3):
        out = ag.Tensor([[1.0, 1.0]]) @ w
        assert _watched(w)
    del out
    assert not _watched(w) and w._pinned is None


def test_every_live_graph_keeps_its_pin():
    """Two graphs saved the same array; after one runs backward, the other still refuses a
    write through .data."""
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    first = (w * w).sum()
    second = (w * 3.0).sum() + (w * w).sum()
    second.backward()
    assert _watched(w)                # first still needs w's array
    w.data[0] = 5.0
    with pytest.raises(RuntimeError, match="written through its .data"):
        first.backward()


def test_an_output_saved_by_its_own_node_and_a_consumer_is_watched_until_both_ran():
    """tanh saves its output; the product saves it again. A write through .data in between
    is refused by the product's backward; once both ran, .data is free again."""
    x = ag.Tensor([0.5, -0.5], requires_grad=True)
    y = ag.tanh(x)
    z = (y * ag.Tensor([2.0, 3.0], requires_grad=True)).sum()
    assert _watched(y)
    y.data[0] = 9.0
    with pytest.raises(RuntimeError, match=r"Mul.backward needs an array it saved.*written "
                                           r"through its .data"):
        z.backward()
    y = ag.tanh(x)
    z = (y * 2.0).sum()
    z.backward()
    assert not _watched(y) and y._pinned is None
    np.testing.assert_allclose(x.grad.numpy(), 2.0 * (1 - np.tanh([0.5, -0.5]) ** 2))


@pytest.mark.parametrize("length", [2, 7, 40])
def test_a_constant_saved_by_every_op_of_a_chain_is_watched_until_all_ran(length):
    """A constant that many nodes of one graph save (the ×c of a long chain): a write through
    .data before backward is refused, and once backward ran its pin lapses. The pin grows by an
    append per node, its lapsed references dropped as it grows (a cost per node that does not
    depend on how many nodes saved the array)."""
    c = ag.Tensor([0.5, 1.5], name="c")
    for write in (True, False):
        x = ag.Tensor([1.0, -1.0], requires_grad=True)
        y = x
        for _ in range(length):
            y = ag.tanh(y * c)
        assert _watched(c)
        if write:
            c.data[0] = 0.75
            with pytest.raises(RuntimeError, match=r"Mul.backward needs an array it saved.*"
                                                   r"tensor 'c' of shape \(2,\).*written through"):
                y.sum().backward()
            continue
        assert len(c._pinned) <= 2 * length      # at most twice the nodes that keep it
        y.sum().backward()
        assert not _watched(c) and c._pinned is None


def test_an_earlier_node_still_pending_keeps_the_pin():
    """Of two nodes that saved c, the later one ran (ag.grad to y1), the earlier did not: a
    write through .data is still refused by the earlier one's backward."""
    c = ag.Tensor([2.0, 3.0], name="c")
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    y1 = x * c
    y2 = y1 * c
    ag.grad(y2.sum(), [y1])               # runs y2's Mul only, which lets go of c
    assert _watched(c)                    # y1's Mul still keeps it
    c.data[1] = 0.0
    with pytest.raises(RuntimeError, match=r"Mul.backward.*tensor 'c'.*written through"):
        y1.sum().backward()


def test_a_pin_held_by_many_graphs_stays_bounded():
    """Graphs that saved the same constant, dropped one after the other while one stays alive:
    the lapsed references are dropped as the pin grows."""
    c = ag.Tensor([2.0, 3.0])
    x = ag.Tensor([1.0, 2.0], requires_grad=True)
    kept = (x * c).sum()                  # alive throughout
    for _ in range(200):
        (x * c).sum()                     # dropped unused
        assert len(c._pinned) <= 8
    c.data[0] = 7.0
    with pytest.raises(RuntimeError, match="written through its .data"):
        kept.backward()


# ----------------------------------------------------------------------------- written in place
def _address(t):
    """Where t's array starts (holding no reference to the array, which would be seen)."""
    return t.data.__array_interface__["data"][0]


# In-place writes happen only where reference counts prove ownership (see test_compiled.py).
_writes_in_place = pytest.mark.skipif(
    not binding.compiled_info["in_place_writes"],
    reason=f"in-place writes are off: {binding.compiled_info['off'].get('in-place writes')}")


@_writes_in_place
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("b_shape", [(4,), (1, 4), (5, 4), ()])
def test_iadd_isub_and_relu_write_into_an_array_no_one_else_sees(dtype, b_shape):
    """h = x @ W; h += b; h -= c; h.relu_(): the matmul's output array is written three
    times (nothing else holds it, and matmul needs only its inputs), recorded as AddInPlace,
    SubInPlace and ReLUInPlace; values and gradients are bit for bit those of
    relu(x @ W + b − c)."""
    results = []
    for in_place in (True, False):
        rng = np.random.default_rng(5)            # the same draws both times
        x = ag.Tensor(rng.normal(size=(5, 3)).astype(dtype), requires_grad=True)
        W = ag.Tensor(rng.normal(size=(3, 4)).astype(dtype), requires_grad=True)
        b = ag.Tensor(rng.normal(size=b_shape).astype(dtype), requires_grad=True)
        h = x @ W
        if in_place:
            start = _address(h)
            h += b
            h -= 0.25
            assert h.relu_() is h and _address(h) == start
            names, node = [], h.grad_fn
            while type(node).__name__ != "MatMul":
                names.append(type(node).__name__)
                node = node._next[0]
            assert names == ["ReLUInPlace", "SubInPlace", "AddInPlace"]
        else:
            h = ag.relu(h + b - 0.25)
        (h * h).sum().backward()
        assert h.dtype == dtype and b.grad.shape == b_shape
        results.append((h.data.copy(), x.grad.numpy(), W.grad.numpy(), b.grad.numpy()))
    for a, c in zip(*results):
        np.testing.assert_array_equal(a, c)


def _twice(h):
    return h * 2.0        # saves h's array


@pytest.mark.parametrize("case", ["saved", "named .data", "view", "promotes", "saved output"])
def test_in_place_ops_take_a_new_array_when_the_old_value_may_be_seen(case):
    """Where another node saved the array, a name or a view holds it, or the result would
    not fit it (another dtype), +=, -= and relu_() rebind the tensor to a new array, as
    before, and every gradient is the out-of-place one."""
    rng = np.random.default_rng(6)
    x = ag.Tensor(rng.normal(size=(5, 3)), requires_grad=True)
    W = ag.Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    b = ag.Tensor(rng.normal(size=4), requires_grad=True)
    h = x @ W
    keep = before = None
    if case == "saved":
        keep = _twice(h)
    elif case == "named .data":
        keep = h.data
        before = keep.copy()
    elif case == "view":
        h = h[1:]
    elif case == "promotes":
        h = ag.Tensor(rng.normal(size=(5, 4)).astype(np.float32), requires_grad=True) * 1.0
    elif case == "saved output":
        h = ag.tanh(h)
    start = _address(h)
    old = h.data.copy()
    h += b
    assert _address(h) != start
    np.testing.assert_allclose(h.data, old + b.data)
    if case == "named .data":
        np.testing.assert_array_equal(keep, before)     # what the name holds is unchanged
    if case == "saved":
        keep.sum().backward()                     # its saved h is intact
        np.testing.assert_allclose(W.grad.numpy(), 2 * x.data.T @ np.ones((5, 4)))
    # relu_ on a tensor whose array another node saved
    y = ag.Tensor(rng.normal(size=(3, 3)), requires_grad=True) * 1.0
    z = _twice(y)
    start, old = _address(y), y.data.copy()
    y.relu_()
    assert _address(y) != start and type(y.grad_fn).__name__ == "ReLU"
    np.testing.assert_array_equal(y.data, np.maximum(old, 0))
    np.testing.assert_array_equal(z.data, 2 * old)


def test_relu_in_place_rules_match_the_other_in_place_operators():
    """relu_() on a leaf that requires grad is an error (as +=); under no_grad it writes the
    array and registers the change, so a node that saved it refuses its backward; it is
    watched through .data as relu()'s output is."""
    w = ag.Tensor([-1.0, 2.0], requires_grad=True, name="w")
    with pytest.raises(RuntimeError, match=r"in-place relu_\(\) on a leaf tensor 'w'"):
        w.relu_()
    np.testing.assert_array_equal(w.data, [-1.0, 2.0])
    loss = (w * w).sum()
    with ag.no_grad():
        assert w.relu_() is w
    np.testing.assert_array_equal(w.data, [0.0, 2.0])
    with pytest.raises(RuntimeError, match=r"Mul.backward needs an array it saved.*tensor 'w'"):
        loss.backward()
    plain = ag.Tensor([-3, 4])
    plain.relu_()
    np.testing.assert_array_equal(plain.data, [0, 4])
    x = ag.Tensor([[-1.0, 2.0]], requires_grad=True)
    h = x @ ag.Tensor(np.eye(2))
    h.relu_()
    # written into h's array where reference counts prove nothing else holds it; else a new one
    node = "ReLUInPlace" if binding.compiled_info["in_place_writes"] else "ReLU"
    assert type(h.grad_fn).__name__ == node
    loss = h.sum()
    h.data[0, 1] = 5.0                       # its node saved that array
    with pytest.raises(RuntimeError, match=node + r".backward needs an array it saved.*"
                                           r"written through its \.data"):
        loss.backward()


@pytest.mark.parametrize("record", [True, False])
def test_in_place_ops_keep_the_tensors_shape_and_dtype_recorded_or_not(record):
    """As numpy's out= (and PyTorch's in-place ops): an operand that would grow the tensor is
    a ValueError and a result that does not cast back ("same_kind") a TypeError, leaving the
    tensor as it was; float64 into a float32 tensor is cast back, and float32 it stays, while
    the float64 operand still gets its float64 gradient."""
    def make(a):
        t = ag.Tensor(a, requires_grad=True) * 1.0 if record else ag.Tensor(a)
        return t, np.array(t.data)
    other = ag.Tensor(np.ones((2, 3)), requires_grad=record)
    t, before = make(np.ones(3))
    for o in (other, np.ones((2, 3))):
        with pytest.raises(ValueError, match=r"in-place \+= on a tensor of shape \(3,\)"):
            t += o
        np.testing.assert_array_equal(t.data, before)
        assert t.shape == (3,)
    ints = ag.Tensor(np.arange(3))
    with pytest.raises(TypeError, match=r"in-place -= on a tensor of shape \(3,\) \(int64\)"):
        ints -= ag.Tensor([0.5, 0.5, 0.5], requires_grad=record)
    np.testing.assert_array_equal(ints.data, [0, 1, 2])
    t, before = make(np.ones(3, np.float32))
    b = ag.Tensor([0.5, 1.5, 2.5], requires_grad=record)
    t *= b
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.data, np.float32([0.5, 1.5, 2.5]))
    if record:
        t.sum().backward()
        assert b.grad.dtype == np.float64
        np.testing.assert_array_equal(b.grad.data, [1.0, 1.0, 1.0])
