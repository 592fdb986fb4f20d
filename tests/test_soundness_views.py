"""A write through ``.data`` of any tensor over a saved array's memory is caught (issue 24,
case 2).

Views share their base's memory: after ``y = x @ w.T`` (MatMul saves the transposed view) or
``y = x @ w`` (it saves ``w``'s array), a write through ``w.data``, ``w.T.data``,
``w[1].data``, ``w.reshape(4).data``, ``w.detach().data`` or ``ag.Tensor(w).data`` changes
what backward would read. Each must make backward raise, as a write through the saved
tensor's own ``.data`` does; reading through them never raises. `make test` runs this file
under both engines (AUTOGRAD_PURE_PYTHON=1 and not).
"""
import numpy as np
import pytest

import autograd as ag
import nn

WRITTEN = r"MatMul\.backward needs an array it saved.*was written through its \.data"


def _set(index, value=0.0):
    return lambda arr: arr.__setitem__(index, value)


# route name -> (the tensor whose .data is handed out, made from w; the write into it)
ROUTES = {
    "w.data": (lambda w: w, _set((1, 1))),
    "w.T.data": (lambda w: w.T, _set((1, 0))),
    "w[1].data": (lambda w: w[1], _set(1)),
    "w[1:].data": (lambda w: w[1:], _set((0, 1))),
    "w.reshape(4).data": (lambda w: w.reshape(4), _set(3)),
    "w.T.T.data": (lambda w: w.T.T, _set((1, 1))),
    "w.detach().data": (lambda w: w.detach(), _set((1, 1))),
    "w.detach().T.data": (lambda w: w.detach().T, _set((1, 1))),
    "Tensor(w).data": (lambda w: ag.Tensor(w), _set((1, 1))),
    "np.asarray(w.T)": (lambda w: w.T, _set((1, 1))),
}


def _forward(saved_view, param=False):
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="x")
    data = [[1.0, 2.0], [3.0, 4.0]]
    w = nn.Parameter(np.array(data)) if param else ag.tensor(data, requires_grad=True,
                                                             name="w")
    y = x @ w.T if saved_view else x @ w
    return x, w, y


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("saved_view", [False, True], ids=["x@w", "x@w.T"])
def test_case2_write_through_a_view_makes_backward_raise(route, saved_view):
    x, w, y = _forward(saved_view)
    make, write = ROUTES[route]
    t = make(w)
    arr = np.asarray(t) if route.startswith("np.asarray") else t.data
    write(arr)
    assert (w.numpy() == 0.0).any()         # the write reached w's memory
    with pytest.raises(RuntimeError, match=WRITTEN):
        y.sum().backward()


@pytest.mark.parametrize("saved_view", [False, True], ids=["x@w", "x@w.T"])
def test_case2_a_parameter_is_watched_through_its_views(saved_view):
    """nn.Parameter (a Tensor subclass) heads its views' family as a Tensor does."""
    x, w, y = _forward(saved_view, param=True)
    w.T.data[0, 1] = 5.0
    with pytest.raises(RuntimeError, match=WRITTEN):
        y.sum().backward()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("saved_view", [False, True], ids=["x@w", "x@w.T"])
def test_case2_reads_through_views_never_raise(route, saved_view):
    x, w, y = _forward(saved_view)
    make, _ = ROUTES[route]
    for _ in range(3):
        np.asarray(make(w)).sum()
        make(w).data.copy()
    y.sum().backward()
    w_used = np.array([[1.0, 2.0], [3.0, 4.0]])
    expected = np.ones((2, 2)) @ (w_used if saved_view else w_used.T)
    np.testing.assert_array_equal(x.grad.numpy(), expected)


@pytest.mark.parametrize("saved_view", [False, True], ids=["x@w", "x@w.T"])
def test_case2_a_write_after_backward_is_free(saved_view):
    x, w, y = _forward(saved_view)
    y.sum().backward()
    w.T.data[0, 0] = 7.0            # the node has run: nothing to protect
    w.reshape(4).data[3] = 8.0
    assert w.numpy()[0, 0] == 7.0 and w.numpy()[1, 1] == 8.0


def test_case2_a_write_under_no_grad_view_is_caught():
    """A view made under no_grad is still a view of w's memory."""
    x, w, y = _forward(saved_view=True)
    with ag.no_grad():
        v = w[0]
    v.data[1] = -1.0
    with pytest.raises(RuntimeError, match=WRITTEN):
        y.sum().backward()


def test_case2_a_view_made_before_the_save_is_caught():
    x = ag.tensor([[1.0, 2.0]], requires_grad=True)
    w = ag.tensor([[1.0], [2.0]], requires_grad=True)
    row = w[1]                      # made before MatMul saves w
    y = x @ w
    row.data[0] = 9.0
    with pytest.raises(RuntimeError, match=WRITTEN):
        y.sum().backward()


class _Identity(ag.Function):
    """A custom Function whose output is its input's array itself."""

    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class _Halves(ag.Function):
    """Two outputs, each a view of the input's array."""

    @staticmethod
    def forward(ctx, x):
        return x[:2], x[2:]

    @staticmethod
    def backward(ctx, g1, g2):
        return np.concatenate([g1, g2])


@pytest.mark.parametrize("make", [lambda w: _Identity.apply(w), lambda w: _Halves.apply(w)[1]],
                         ids=["identity output", "second of two view outputs"])
def test_case2_a_custom_functions_view_output_is_watched(make):
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    w = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = (x * w).sum()               # Mul saves w's array
    out = make(w)
    out.data[-1] = 0.0
    with pytest.raises(RuntimeError, match=r"Mul\.backward needs an array it saved"):
        y.backward()


def test_case2_in_place_operators_still_write_into_their_own_array():
    """``+=`` into a tensor nothing else holds stays one tensor over one array: the in-place
    write does not make the tensor a view of itself."""
    h = ag.tensor([1.0, 2.0]) * 1.0
    arr = h._data
    h += 1.0
    assert h._data is arr and h._base is None
    np.testing.assert_array_equal(h.numpy(), [2.0, 3.0])


def test_case2_the_views_of_a_weight_do_not_pile_up():
    """Each step's ``w.T`` (saved, then run backward) is dropped by the weight's family: the
    list stays short over many steps."""
    w = ag.tensor(np.ones((3, 3)), requires_grad=True)
    x = ag.tensor(np.ones((2, 3)))
    for _ in range(200):
        (x @ w.T).sum().backward()
        w.data          # a read prunes, as the pins' own lists are pruned
    assert len(w._base or ()) <= 8
