"""A write through ``.data`` is caught however many reads follow it (issue 24, case 6).

A ``.data`` read of a pinned tensor records a checksum of its array; backward compares the saved
array with the first checksum taken after the node was recorded. Only the latest 64 checksums
per array used to be kept, so a write followed by 64 more reads pushed the reference out and
backward gave a wrong gradient in silence. Reading alone, however often, never raises.
`make test` runs this file under both engines (AUTOGRAD_PURE_PYTHON=1 and not).
"""
import gc

import numpy as np
import pytest

import autograd as ag
from autograd import inplace

DATA_WRITE = r"Mul\.backward needs an array it saved.*tensor 'w' of shape \(2,\) \(float64\) " \
             r"was written through its \.data"
READS = [0, 1, 63, 64, 65, 1000]
KINDS = pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])


def _graph(requires_grad):
    """``y = x * w`` with ``w`` a constant or a parameter: Mul saves ``w``'s array."""
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    w = ag.Tensor([3.0, 4.0], requires_grad=requires_grad, name="w")
    return x, w, x * w


def _backward_refuses(y):
    """backward raises the .data error, naming w and the op that saved it."""
    with pytest.raises(RuntimeError, match=DATA_WRITE):
        y.sum().backward()


def _read(w, n):
    for _ in range(n):
        w.data


@KINDS
@pytest.mark.parametrize("reads", READS)
def test_case6_write_then_many_reads_still_raises(reads, requires_grad):
    x, w, y = _graph(requires_grad)
    w.data[0] = 9.0
    _read(w, reads)
    _backward_refuses(y)


@KINDS
@pytest.mark.parametrize("before", [1, 63, 64, 65, 1000])
@pytest.mark.parametrize("reads", READS)
def test_case6_reads_before_the_write_then_many_after(before, reads, requires_grad):
    x, w, y = _graph(requires_grad)
    _read(w, before)
    w.data[0] = 9.0
    _read(w, reads)
    _backward_refuses(y)


@pytest.mark.parametrize("reads", READS)
def test_case6_write_through_an_earlier_handout_between_reads(reads):
    # the reference was handed out after the forward; written later, between reads
    x, w, y = _graph(True)
    d = w.data
    _read(w, 10)
    d[1] = -1.0
    _read(w, reads)
    _backward_refuses(y)


@pytest.mark.parametrize("reads", READS)
def test_case6_write_through_np_asarray_then_many_reads(reads):
    x, w, y = _graph(True)
    np.asarray(w)[0] = 9.0
    for _ in range(reads):
        np.asarray(w)
    _backward_refuses(y)


@KINDS
@pytest.mark.parametrize("reads", [1, 64, 65, 1000])
def test_case6_reads_alone_never_raise(reads, requires_grad):
    x, w, y = _graph(requires_grad)
    _read(w, reads)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
    if requires_grad:
        np.testing.assert_array_equal(w.grad.data, [1.0, 2.0])


def test_case6_many_writes_and_reads_still_raise():
    # every read sees a new content: the first one after the forward stays the reference
    x, w, y = _graph(True)
    for k in range(200):
        w.data[0] = float(k)
    _backward_refuses(y)


def test_case6_a_later_graph_saves_the_written_content():
    # y1 saved the old content, y2 the new one: y2's backward is right, y1's refuses
    x, w, y1 = _graph(True)
    w.data[0] = 9.0
    _read(w, 100)
    y2 = x * w
    _read(w, 100)
    y2.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [9.0, 4.0])
    _backward_refuses(y1)


def test_case6_a_write_after_the_later_graph_is_caught_for_both():
    x, w, y1 = _graph(True)
    _read(w, 3)
    w.data[0] = 9.0
    _read(w, 3)
    y2 = x * w
    _read(w, 100)
    w.data[1] = 7.0
    _read(w, 100)
    with pytest.raises(RuntimeError, match=DATA_WRITE):
        y2.sum().backward(retain_graph=True)
    _backward_refuses(y1)


def test_case6_content_put_back_before_the_first_read_is_not_a_change():
    # what backward compares is the content: a write undone before any read leaves it intact
    x, w, y = _graph(True)
    d = w.data
    d[0] = 9.0
    d[0] = 3.0
    _read(w, 100)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


def test_case6_bookkeeping_stays_small_under_many_writes():
    # one live graph, thousands of write/read rounds: the record per array stays bounded
    x, w, y = _graph(True)
    for k in range(3000):
        w.data[0] = float(k)
        w.data
    entry = inplace._looks.get(id(w._data))
    assert entry is not None and entry[0]() is w._data
    assert len(entry[1]) <= 2       # the reference of y's node, and the newest
    _backward_refuses(y)


def test_case6_tanh_output_written_then_many_reads():
    # tanh saves its output (the SELF pin), the product saves it again
    x = ag.Tensor([0.5, -0.5], requires_grad=True)
    t = ag.tanh(x)
    t.name = "t"
    z = (t * 2.0).sum()
    t.data[0] = 0.0
    _read(t, 1000)
    with pytest.raises(RuntimeError, match=r"was written through its \.data"):
        z.backward()


def test_case6_after_backward_reads_and_writes_are_free():
    x, w, y = _graph(True)
    _read(w, 100)
    y.sum().backward()
    w.data[0] = 9.0
    _read(w, 100)
    gc.collect()
    y2 = x * w
    _read(w, 100)
    x.grad = None
    y2.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [9.0, 4.0])


def test_case6_content_put_back_after_reads_is_compared_as_content():
    # a finite-difference probe through .data, undone exactly, with reads in between: backward
    # compares content, and the saved array is as it was saved (left changed, it raises above)
    x, w, y = _graph(True)
    d = w.data
    old = d.copy()
    for k in range(100):
        d[0] = old[0] + k + 1
        _read(w, 3)
    d[...] = old
    _read(w, 3)
    y.sum().backward(retain_graph=True)
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
