"""Every route that hands out a tensor's own array is watched as ``.data`` is (issue 24, case 3).

``np.asarray(t)`` and ``np.array(t, copy=False)`` give the array a recorded op may have saved:
a write through it before that op's backward must make backward raise, as a write through
``t.data`` does, never give a wrong gradient. ``np.array(t)`` (numpy's default ``copy=True``)
gives a copy, which no write can harm. Reading never raises. `make test` runs this file under
both engines (AUTOGRAD_PURE_PYTHON=1 and not).
"""
import numpy as np
import pytest

import autograd as ag

NUMPY2 = int(np.__version__.split(".")[0]) >= 2
DATA_WRITE = r"Mul\.backward needs an array it saved.*tensor 'w' of shape \(2,\) \(float64\) " \
             r"was written through its \.data"


def _graph(requires_grad):
    """``y = x * w`` with ``w`` a constant or a parameter: Mul saves ``w``'s array."""
    x = ag.Tensor([1.0, 2.0], requires_grad=True, name="x")
    w = ag.Tensor([3.0, 4.0], requires_grad=requires_grad, name="w")
    return x, w, x * w


def _asarray(w):
    return np.asarray(w)


def _array_no_copy(w):
    return np.array(w, copy=False)      # numpy 2: the array itself, or an error


def _asarray_same_dtype(w):
    return np.asarray(w, dtype=np.float64)


def _asanyarray(w):
    return np.asanyarray(w)


HANDOUTS = [_asarray, _array_no_copy, _asarray_same_dtype, _asanyarray]
if not NUMPY2:      # numpy 1's copy=False means "copy if needed": no array is handed out then
    HANDOUTS.remove(_array_no_copy)


@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_write_through_data_is_the_reference(requires_grad):
    x, w, y = _graph(requires_grad)
    w.data[0] = 9.0
    with pytest.raises(RuntimeError, match=DATA_WRITE):
        y.sum().backward()


@pytest.mark.parametrize("handout", HANDOUTS)
@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_write_through_np_asarray_makes_backward_raise(handout, requires_grad):
    x, w, y = _graph(requires_grad)
    arr = handout(w)
    assert arr is w._data                   # the tensor's own array, as .data gives it
    arr[0] = 9.0
    with pytest.raises(RuntimeError, match=DATA_WRITE):
        y.sum().backward()
    assert x.grad is None                   # nothing was accumulated


@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_np_asarray_write_on_a_saved_output(requires_grad):
    # tanh saves its own output: the pin of a tensor saved by the node that made it
    x = ag.Tensor([0.5, -0.25], requires_grad=True)
    h = ag.tanh(x * ag.Tensor([1.0, 2.0], requires_grad=requires_grad))
    np.asarray(h)[1] = 0.0
    with pytest.raises(RuntimeError, match=r"Tanh\.backward.*written through its \.data"):
        h.sum().backward()


@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_np_array_copies_and_a_write_to_the_copy_is_harmless(requires_grad):
    x, w, y = _graph(requires_grad)
    arr = np.array(w)                       # numpy's default: a copy
    assert arr is not w._data and not np.shares_memory(arr, w._data)
    arr[0] = 9.0
    np.testing.assert_array_equal(w._data, [3.0, 4.0])
    y.sum().backward()                      # no error, and the right gradient
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_a_cast_is_a_copy_and_unwatched(requires_grad):
    x, w, y = _graph(requires_grad)
    arr = np.asarray(w, dtype=np.float32)
    assert arr.dtype == np.float32 and not np.shares_memory(arr, w._data)
    arr[0] = 9.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


@pytest.mark.skipif(not NUMPY2, reason="numpy 2's copy=False: no copy, or an error")
def test_case3_no_copy_cast_is_an_error_as_numpy2_asks():
    x, w, y = _graph(True)
    with pytest.raises(ValueError):
        np.array(w, dtype=np.float32, copy=False)
    y.sum().backward()


@pytest.mark.parametrize("requires_grad", [False, True], ids=["constant", "parameter"])
def test_case3_reads_through_np_asarray_never_raise(requires_grad):
    x, w, y = _graph(requires_grad)
    seen = np.asarray(w)
    total = float(np.asarray(w).sum()) + float(np.array(w, copy=None).max())
    assert total == 11.0 and seen is w._data
    np.concatenate([w, w])                  # numpy functions that read through __array__
    np.array([w, w])
    loss = y.sum()
    np.asarray(w)                           # again, after more ops
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])
    # after backward the pin lapses: a write then is fine, and the next graph sees it
    np.asarray(w)[0] = 5.0
    x.grad = None
    (x * w).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 4.0])


def test_case3_array_protocol_arguments():
    w = ag.Tensor([1.0, 2.0], requires_grad=True)
    assert w.__array__() is w._data                              # numpy 1: no argument
    assert w.__array__(None) is w._data
    assert w.__array__(np.dtype(np.float64)) is w._data          # numpy 1: dtype, positional
    cast = w.__array__(np.dtype(np.float32))
    assert cast.dtype == np.float32 and not np.shares_memory(cast, w._data)
    assert w.__array__(copy=None) is w._data                     # numpy 2's keyword
    assert w.__array__(copy=False) is w._data
    assert w.__array__(np.float64, copy=False) is w._data
    copied = w.__array__(copy=True)
    assert copied is not w._data and not np.shares_memory(copied, w._data)
    copied = w.__array__(dtype=np.float32, copy=True)
    assert copied.dtype == np.float32
    with pytest.raises(ValueError):
        w.__array__(np.float32, copy=False)
    np.testing.assert_array_equal(w._data, [1.0, 2.0])


def test_case3_a_copy_taken_under_a_pin_is_never_watched():
    # np.array(w) while a node keeps w's array: the copy is the caller's, written freely
    x, w, y = _graph(True)
    copies = [np.array(w), w.__array__(copy=True), np.array(w, dtype=np.float32)]
    for c in copies:
        c[...] = 0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


def test_case3_watch_is_the_one_data_applies():
    # the same bookkeeping as .data: a checksum only while a node keeps the array
    from autograd import inplace
    c = ag.Tensor([1.0, 2.0])
    np.asarray(c)[0] = 3.0                  # never saved: not pinned, nothing recorded
    entry = inplace._looks.get(id(c._data))     # (an id can be a dead array's, reused)
    assert c._pinned is None and (entry is None or entry[0]() is not c._data)
    x, w, y = _graph(False)
    np.asarray(w)
    entry = inplace._looks.get(id(w._data))
    assert entry is not None and entry[0]() is w._data
    y.sum().backward()
    np.asarray(w)                           # the node ran backward: the pin lapses
    assert w._pinned is None


def test_case3_numpy_stays_the_unwatched_accessor():
    # t.numpy() is documented as unwatched: a write then register_change is the way
    x, w, y = _graph(True)
    w.numpy()[0] = 9.0
    ag.inplace.register_change(w)
    with pytest.raises(RuntimeError, match=r"modified in place afterwards: the tensor 'w'"):
        y.sum().backward()


SHARERS = {     # tensors whose array is w's or a view of it (issue 24, case 2, for .data)
    "w": lambda w: w,
    "w.T": lambda w: w.T,
    "w[1]": lambda w: w[1],
    "w.reshape(4)": lambda w: w.reshape(4),
    "w.detach()": lambda w: w.detach(),
    "ag.Tensor(w)": lambda w: ag.Tensor(w),
}


def _outcome(sharer, take):
    x = ag.Tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    w = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="w")
    y = (x.reshape(2, 2) * w).sum()
    t = sharer(w)
    take(t).flat[0] = 9.0
    try:
        y.backward()
    except RuntimeError as e:
        return "raised", str(e)
    return "ran", x.grad.data.tolist()


@pytest.mark.parametrize("name", list(SHARERS))
def test_case3_np_asarray_is_watched_exactly_as_data_is(name):
    # np.asarray(t) goes through t.data: whatever .data catches (today w itself; views and
    # detach() once case 2 lands), np.asarray catches the same way, with the same message
    by_data = _outcome(SHARERS[name], lambda t: t.data)
    by_asarray = _outcome(SHARERS[name], np.asarray)
    assert by_asarray == by_data
    if name == "w":
        assert by_data[0] == "raised"
