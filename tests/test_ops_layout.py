"""autograd/ops/layout.py: values against numpy's, numpy dispatch and methods, gradients of the
rearrangements, views and copies, edge conventions and errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd as ag

AxisError = np.exceptions.AxisError


def _arr(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, shape).astype(dtype)


def _np_flatten(a, order="C"):
    return np.asarray(a).flatten(order)


# (name, shape, args, kwargs): np.<name>(array, *args, **kwargs) against ag.<name>(tensor, ...)
VALUE_CASES = [
    ("ravel", (), (), {}), ("ravel", (2, 3), (), {}), ("ravel", (2, 1, 3), (), {"order": "C"}),
    ("flatten", (2, 3), (), {}), ("flatten", (), (), {}),
    ("squeeze", (1, 3, 1), (), {}), ("squeeze", (1, 3, 1), (), {"axis": 0}),
    ("squeeze", (1, 3, 1), (), {"axis": -1}), ("squeeze", (1, 3, 1), (), {"axis": (0, 2)}),
    ("squeeze", (), (), {}), ("squeeze", (2, 3), (), {"axis": ()}),
    ("expand_dims", (), (0,), {}), ("expand_dims", (2, 3), (1,), {}),
    ("expand_dims", (2, 3), (-1,), {}), ("expand_dims", (2, 3), ((0, 3),), {}),
    ("expand_dims", (3,), ((-1, 0, 2),), {}),
    ("moveaxis", (2, 3, 4), (0, -1), {}), ("moveaxis", (2, 3, 4), ([0, 1], [-1, 0]), {}),
    ("moveaxis", (2, 3, 4), ((2, 0), (0, 1)), {}), ("moveaxis", (3,), (0, 0), {}),
    ("flip", (), (), {}), ("flip", (4,), (), {}), ("flip", (2, 3), (0,), {}),
    ("flip", (2, 3, 4), (), {"axis": (0, -1)}), ("flip", (2, 3), (), {"axis": ()}),
    ("roll", (), (1,), {}), ("roll", (5,), (2,), {}), ("roll", (2, 3), (4,), {}),
    ("roll", (2, 3), (-1,), {"axis": 1}), ("roll", (2, 3), ((1, 2), (0, 1)), {}),
    ("roll", (2, 3), ((1, 2),), {"axis": (1, 1)}), ("roll", (2, 3, 4), (1,), {"axis": (0, 2)}),
    ("roll", (2, 3), ((1, 2),), {}), ("roll", (2, 3), (7,), {"axis": -2}),
    ("repeat", (), (3,), {}), ("repeat", (2, 3), (2,), {}), ("repeat", (2, 3), (2,), {"axis": 0}),
    ("repeat", (2, 3), ([1, 0, 3],), {"axis": -1}), ("repeat", (2, 3), ([2],), {"axis": 1}),
    ("repeat", (2, 3), ([2, 2],), {"axis": 0}), ("repeat", (2, 3), (0,), {"axis": 1}),
    ("repeat", (3,), ([0, 0, 0],), {}),
    ("tile", (), ((2, 3),), {}), ("tile", (3,), (2,), {}), ("tile", (2, 3), ((2, 1, 2),), {}),
    ("tile", (2, 1, 3), ((2,),), {}), ("tile", (2, 3), ((1, 1),), {}), ("tile", (2, 3), (0,), {}),
    ("matrix_transpose", (2, 3), (), {}), ("matrix_transpose", (4, 2, 3), (), {}),
]


def _numpy(name):
    return _np_flatten if name == "flatten" else getattr(np, name)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("name,shape,args,kwargs", VALUE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(VALUE_CASES)])
def test_values_equal_numpys(name, shape, args, kwargs, dtype):
    a = _arr(shape, dtype) if dtype != np.int64 else np.arange(np.prod(shape, dtype=int),
                                                                 dtype=dtype).reshape(shape)
    want = _numpy(name)(a, *args, **kwargs)
    got = getattr(ag, name)(ag.tensor(a), *args, **kwargs)
    assert isinstance(got, ag.Tensor)
    assert got.dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got.data, want)


def _jacobian(f, shape):
    """The Jacobian of numpy's linear rearrangement f, column by column from the unit vectors."""
    size = int(np.prod(shape, dtype=int))
    cols = [np.asarray(f(np.eye(size)[i].reshape(shape))).ravel() for i in range(size)]
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("name,shape,args,kwargs", VALUE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(VALUE_CASES)])
def test_numpy_dispatch_gives_a_tensor_with_the_adjoint_gradient(name, shape, args, kwargs):
    """np.<name>(tensor) runs the library's op, and the gradient is Jᵀv, J the Jacobian of
    numpy's own function."""
    f = _numpy(name)
    x = ag.tensor(_arr(shape), requires_grad=True)
    y = f(x, *args, **kwargs) if name != "flatten" else x.flatten(**kwargs)
    assert isinstance(y, ag.Tensor) and y.requires_grad
    v = np.random.default_rng(1).normal(size=y.shape)
    y.backward(v)
    jac = _jacobian(lambda a: f(a, *args, **kwargs), shape)
    np.testing.assert_allclose(x.grad.data, (jac.T @ v.ravel()).reshape(shape), rtol=1e-12,
                               atol=1e-14)


@pytest.mark.parametrize("fn,shapes", [
    (np.atleast_1d, [(), (3,), (2, 3)]), (np.atleast_2d, [(), (3,), (2, 1, 3)]),
    (np.hstack, [(2, 3), (2, 1)]), (np.hstack, [(), (3,)]), (np.vstack, [(3,), (2, 3)]),
    (np.vstack, [(), ()]), (np.vstack, [(2, 1, 3), (1, 1, 3)]),
])
def test_several_inputs_values_and_gradients(fn, shapes):
    arrays = [_arr(s, seed=k) for k, s in enumerate(shapes)]
    xs = [ag.tensor(a, requires_grad=True) for a in arrays]
    if fn in (np.hstack, np.vstack):
        got, want = fn(xs), fn(arrays)
        np.testing.assert_array_equal(got.data, want)
        got.backward(np.arange(got.size, dtype=float).reshape(got.shape))
        # each input's gradient is its own part of the output's, as numpy lays the parts out
        weights = fn([np.full(a.shape, k, dtype=float) for k, a in enumerate(arrays)])
        positions = np.arange(got.size, dtype=float).reshape(got.shape)
        for k, x in enumerate(xs):
            np.testing.assert_array_equal(x.grad.data.ravel(), positions[weights == k])
    else:
        got, want = fn(*xs), fn(*arrays)
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w, x in zip(got, want, xs):
            np.testing.assert_array_equal(g.data, w)
            (g * 3.0).sum().backward()
            np.testing.assert_array_equal(x.grad.data, np.full(x.shape, 3.0))


def test_methods_are_bound():
    a = _arr((2, 1, 3))
    x = ag.tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.ravel().data, a.ravel())
    np.testing.assert_array_equal(x.flatten().data, a.flatten())
    np.testing.assert_array_equal(x.squeeze().data, a.squeeze())
    np.testing.assert_array_equal(x.squeeze(1).data, a.squeeze(1))
    np.testing.assert_array_equal(x.repeat(2, axis=2).data, a.repeat(2, axis=2))
    np.testing.assert_array_equal(x.repeat([1, 2], 0).data, a.repeat([1, 2], 0))
    np.testing.assert_array_equal(x.mT.data, a.mT)
    x.mT.sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones(a.shape))


# ----------------------------------------------------------------------------- views and copies
@pytest.mark.parametrize("call", [
    lambda x: ag.ravel(x), lambda x: ag.squeeze(x), lambda x: ag.expand_dims(x, 0),
    lambda x: ag.moveaxis(x, 0, -1), lambda x: ag.flip(x), lambda x: ag.matrix_transpose(x),
    lambda x: ag.atleast_2d(x),
], ids=["ravel", "squeeze", "expand_dims", "moveaxis", "flip", "matrix_transpose", "atleast_2d"])
def test_views_where_numpy_gives_views(call):
    x = ag.tensor(_arr((2, 1, 3)))
    assert np.shares_memory(call(x).data, x.data)


@pytest.mark.parametrize("call", [
    lambda x: ag.flatten(x), lambda x: ag.roll(x, 0), lambda x: ag.repeat(x, 1),
    lambda x: ag.tile(x, 1), lambda x: ag.hstack([x]), lambda x: ag.vstack([x]),
], ids=["flatten", "roll", "repeat", "tile", "hstack", "vstack"])
def test_copies_where_numpy_copies(call):
    x = ag.tensor(_arr((2, 3)))
    assert not np.shares_memory(call(x).data, x.data)


# ----------------------------------------------------------------------------- edge conventions
@pytest.mark.parametrize("fn", [ag.ravel, ag.flatten])
@pytest.mark.parametrize("order", ["F", "A", "K"])
def test_ravel_and_flatten_only_take_order_C(fn, order):
    with pytest.raises(ValueError, match=f"{fn.__name__}: only order='C'"):
        fn(ag.zeros(2, 3), order)


def test_squeeze_of_an_axis_not_of_size_one_raises_numpys_error():
    with pytest.raises(ValueError, match=r"squeeze: cannot squeeze out axis 1 of a tensor of "
                                         r"shape \(2, 3\): its size is 3, not 1"):
        ag.squeeze(ag.zeros(2, 3), axis=1)
    with pytest.raises(ValueError):       # numpy raises the same type
        np.squeeze(np.zeros((2, 3)), axis=1)


@pytest.mark.parametrize("axis", [0, -1])
def test_squeeze_of_a_scalar_takes_axis_0_or_minus_1_as_numpy(axis):
    assert ag.squeeze(ag.tensor(2.0), axis=axis).shape == np.squeeze(np.array(2.0), axis).shape
    with pytest.raises(AxisError):
        ag.squeeze(ag.tensor(2.0), axis=(0,))


def test_roll_with_axis_none_rolls_the_flattened_array_and_adds_tuple_shifts():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.roll(a, 4).data, np.roll(a, 4))
    np.testing.assert_array_equal(ag.roll(a, (1, 3)).data, np.roll(a.ravel(), 4).reshape(2, 3))


def test_roll_shifts_on_one_axis_add_up():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.roll(a, (1, 1), axis=(1, 1)).data, np.roll(a, 2, axis=1))


def test_roll_backward_is_roll_by_minus_shift_and_recorded():
    """The rule rolls grad_output back; recorded, it is differentiable in grad_output too."""
    x = ag.tensor(_arr((2, 3)), requires_grad=True)
    v = ag.tensor(_arr((2, 3), seed=5), requires_grad=True)
    g, = ag.grad(ag.roll(x, (1, 2), (0, 1)), x, grad_outputs=v, create_graph=True)
    np.testing.assert_array_equal(g.data, np.roll(v.data, (-1, -2), (0, 1)))
    w = _arr((2, 3), seed=6)
    gv, = ag.grad((g * ag.tensor(w)).sum(), v)
    np.testing.assert_array_equal(gv.data, np.roll(w, (1, 2), (0, 1)))


def test_flip_backward_is_flip_and_recorded():
    x = ag.tensor(_arr((2, 3)), requires_grad=True)
    v = ag.tensor(_arr((2, 3), seed=5), requires_grad=True)
    g, = ag.grad(ag.flip(x, 1), x, grad_outputs=v, create_graph=True)
    np.testing.assert_array_equal(g.data, v.data[:, ::-1])
    w = _arr((2, 3), seed=6)
    gv, = ag.grad((g * ag.tensor(w)).sum(), v)
    np.testing.assert_array_equal(gv.data, w[:, ::-1])


@pytest.mark.parametrize("fn,arg", [(ag.roll, 1.5), (ag.repeat, 2.0), (ag.tile, (2.0, 1))])
def test_non_integer_shift_repeats_reps_raise_instead_of_truncating(fn, arg):
    """Convention: numpy truncates np.roll(a, 1.5) to 1 in silence; here that is a TypeError."""
    with pytest.raises(TypeError, match=f"{fn.__name__}: .* must be integers"):
        fn(ag.zeros(3), arg)


def test_repeat_with_counts_sums_the_copies_and_zero_counts_get_zero_gradient():
    x = ag.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = ag.repeat(x, [3, 0, 2], axis=1)
    np.testing.assert_array_equal(y.data, [[1, 1, 1, 3, 3]])
    (y * ag.tensor([1.0, 2.0, 4.0, 8.0, 16.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[7.0, 0.0, 24.0]])


def test_repeat_with_equal_counts_takes_the_reshape_and_sum_path():
    y = ag.repeat(ag.tensor(_arr((2, 3)), requires_grad=True), [2, 2, 2], axis=1)
    assert type(y.grad_fn).__name__ == "Repeat"


@pytest.mark.parametrize("repeats,message", [
    ([1, 2], r"repeat: repeats has 2 counts but axis 0 of the tensor \(shape \(3,\)\) has 3"),
    (-1, "repeat: repeats must not be negative"), ([[1, 2, 3]], "1-D sequence"),
])
def test_repeat_bad_counts_raise(repeats, message):
    with pytest.raises(ValueError, match=message):
        ag.repeat(ag.zeros(3), repeats)


def test_tile_pads_the_shorter_of_shape_and_reps_with_leading_ones():
    x = ag.tensor(_arr((2, 3)), requires_grad=True)
    assert ag.tile(x, (2, 1, 2)).shape == (2, 2, 6)
    assert ag.tile(x, 3).shape == (2, 9)
    ag.tile(x, (2, 1, 2)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full((2, 3), 4.0))
    with pytest.raises(ValueError, match="tile: reps must not be negative"):
        ag.tile(x, -1)


def test_atleast_with_several_arguments_gives_a_tuple_and_none_gives_an_empty_one():
    assert ag.atleast_1d() == np.atleast_1d() == ()
    out = ag.atleast_2d(1.0, [1.0, 2.0])
    assert isinstance(out, tuple) and [t.shape for t in out] == [(1, 1), (1, 2)]


def test_atleast_returns_the_tensor_itself_when_it_has_the_axes():
    x = ag.zeros(2, 3)
    assert ag.atleast_1d(x) is x and ag.atleast_2d(x) is x


def test_hstack_and_vstack_take_dtype_and_casting():
    a, b = np.arange(3), np.arange(3.0)
    got = ag.hstack([ag.tensor(a), ag.tensor(b)], dtype=np.float32)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got.data, np.hstack([a, b], dtype=np.float32))
    with pytest.raises(TypeError, match="vstack: cannot cast dtype float64 to int64"):
        ag.vstack([ag.tensor(b)], dtype=np.int64)
    with pytest.raises(ValueError, match="hstack: casting must be one of"):
        ag.hstack([ag.tensor(b)], casting="sometimes")


def test_hstack_float_cast_keeps_the_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = ag.hstack([x, x], dtype=np.float32)
    (y * ag.tensor(np.arange(4, dtype=np.float32))).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])
    assert x.grad.dtype == np.float64


@pytest.mark.parametrize("fn", [ag.hstack, ag.vstack])
def test_stacking_nothing_or_mismatched_shapes_raises(fn):
    with pytest.raises(ValueError, match=f"{fn.__name__}: need at least one tensor"):
        fn([])
    with pytest.raises(ValueError, match=fn.__name__ + r": cannot join tensors of shapes"):
        fn([ag.zeros(2, 3), ag.zeros(3, 4)])


@pytest.mark.parametrize("shape", [(), (3,)])
def test_matrix_transpose_needs_two_axes(shape):
    with pytest.raises(ValueError, match=r"matrix_transpose: needs a tensor of at least 2 "
                                         r"dimensions, got shape"):
        ag.matrix_transpose(ag.zeros(*shape))
    with pytest.raises(ValueError):
        ag.zeros(*shape).mT


# ----------------------------------------------------------------------------- errors
CALLS = {
    "ravel": lambda x: ag.ravel(x), "flatten": lambda x: ag.flatten(x),
    "squeeze": lambda x: ag.squeeze(x), "expand_dims": lambda x: ag.expand_dims(x, 0),
    "moveaxis": lambda x: ag.moveaxis(x, 0, 1), "flip": lambda x: ag.flip(x),
    "roll": lambda x: ag.roll(x, 1), "repeat": lambda x: ag.repeat(x, 2),
    "tile": lambda x: ag.tile(x, 2), "atleast_1d": lambda x: ag.atleast_1d(x),
    "atleast_2d": lambda x: ag.atleast_2d(x), "hstack": lambda x: ag.hstack([x]),
    "vstack": lambda x: ag.vstack([x]), "matrix_transpose": lambda x: ag.matrix_transpose(x),
}


def test_every_name_is_listed():
    from autograd.ops import layout
    assert sorted(layout.__all__) == sorted(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_complex_input_raises(name):
    with pytest.raises(TypeError, match=rf"{name}: x of shape \(2, 2\) is complex"):
        CALLS[name](np.ones((2, 2), dtype=np.complex128))


@pytest.mark.parametrize("call", [
    lambda x: ag.squeeze(x, 3), lambda x: ag.expand_dims(x, 4), lambda x: ag.expand_dims(x, -5),
    lambda x: ag.moveaxis(x, 3, 0), lambda x: ag.moveaxis(x, 0, -4), lambda x: ag.flip(x, 3),
    lambda x: ag.roll(x, 1, axis=-4), lambda x: ag.repeat(x, 2, axis=3),
], ids=["squeeze", "expand_dims", "expand_dims-negative", "moveaxis-source",
        "moveaxis-destination", "flip", "roll", "repeat"])
def test_axis_out_of_bounds_raises_axis_error_with_the_shape(call):
    with pytest.raises(AxisError, match=r"out of bounds for .*tensor of shape \(2, 1, 3\)"):
        call(ag.zeros(2, 1, 3))


@pytest.mark.parametrize("call", [
    lambda x: ag.squeeze(x, (1, 1)), lambda x: ag.expand_dims(x, (0, 0)),
    lambda x: ag.flip(x, (0, -3)), lambda x: ag.moveaxis(x, (0, 0), (1, 2)),
    lambda x: ag.moveaxis(x, (0, 1), 2), lambda x: ag.roll(x, (1, 2, 3), (0, 1)),
], ids=["squeeze", "expand_dims", "flip", "moveaxis-repeated", "moveaxis-lengths", "roll"])
def test_repeated_or_mismatched_axes_raise(call):
    with pytest.raises(ValueError):
        call(ag.zeros(2, 1, 3))


def test_non_integer_axis_raises_type_error():
    with pytest.raises(TypeError, match="flip: axis must be an int or a tuple of ints"):
        ag.flip(ag.zeros(2), 0.5)


def test_out_is_refused_on_numpy_dispatch():
    """None of these numpy functions takes ``out=``: numpy's own signature check refuses it."""
    t = ag.zeros(3)
    with pytest.raises(TypeError):
        np.flip(t, out=np.zeros(3))
    with pytest.raises(TypeError):
        np.roll(t, 1, out=np.zeros(3))


# ----------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=3), data=st.data())
def test_roll_flip_moveaxis_repeat_match_numpy_on_random_shapes(shape, data):
    a = _arr(tuple(shape))
    ndim = len(shape)
    axis = data.draw(st.integers(-ndim, ndim - 1))
    shift = data.draw(st.integers(-5, 5))
    counts = data.draw(st.lists(st.integers(0, 3), min_size=shape[axis], max_size=shape[axis]))
    dest = data.draw(st.integers(-ndim, ndim - 1))
    x = ag.tensor(a)
    np.testing.assert_array_equal(ag.roll(x, shift, axis).data, np.roll(a, shift, axis))
    np.testing.assert_array_equal(ag.flip(x, axis).data, np.flip(a, axis))
    np.testing.assert_array_equal(ag.moveaxis(x, axis, dest).data, np.moveaxis(a, axis, dest))
    np.testing.assert_array_equal(ag.repeat(x, counts, axis).data, np.repeat(a, counts, axis))
