"""split, array_split, pad, take, take_along_axis, diagonal, diag, trace, triu, tril: values
equal numpy's, gradients equal the transpose of numpy's own linear map, numpy dispatch and the
method forms, the conventions at the edges, and the errors."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd as ag


def _x(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, shape).astype(dtype)


def _numpy_vjp(np_fn, x, w):
    """J^T w for the affine map ``np_fn`` (numpy's own function), one basis vector at a time:
    the gradient of sum(w * np_fn(x)) computed by numpy alone (f(e_i) − f(0) is J's column i;
    f(0) is pad's constant border)."""
    out = np.zeros(x.size)
    base = np.sum(w * np.asarray(np_fn(np.zeros(x.shape))))
    for i in range(x.size):
        e = np.zeros(x.size)
        e[i] = 1.0
        out[i] = np.sum(w * np.asarray(np_fn(e.reshape(x.shape)))) - base
    return out.reshape(x.shape)


def _check(ag_fn, np_fn, x):
    """Value equal to numpy's (exactly), and the gradient of a weighted sum equal to numpy's
    J^T w, for ag_fn and for numpy's dispatch on a Tensor."""
    expected = np_fn(x)
    t = ag.tensor(x, requires_grad=True)
    y = ag_fn(t)
    assert isinstance(y, ag.Tensor)
    assert y.dtype == expected.dtype and y.shape == expected.shape
    np.testing.assert_array_equal(y.data, expected)
    w = np.random.default_rng(1).normal(size=expected.shape)
    (y * w).sum().backward()
    np.testing.assert_allclose(t.grad.data, _numpy_vjp(np_fn, x, w), rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- split
SPLITS = [((6,), 3, 0), ((6,), [2, 3], 0), ((2, 6), 2, 1), ((2, 6), 3, -1), ((4, 2), [1], 0),
          ((5,), [3, 1], 0), ((5,), [-2], 0), ((5,), [7], 0), ((5,), [], 0), ((2, 3, 4), 2, -1),
          ((4, 3), np.array([1, 2]), 0)]


@pytest.mark.parametrize("shape,spec,axis", SPLITS)
@pytest.mark.parametrize("name", ["split", "array_split"])
def test_split_pieces_equal_numpy(name, shape, spec, axis):
    x = _x(shape)
    expected = getattr(np, name)(x, spec, axis=axis)
    for fn in (getattr(ag, name), getattr(np, name)):
        t = ag.tensor(x, requires_grad=True)
        pieces = fn(t, spec, axis=axis)
        assert isinstance(pieces, list) and len(pieces) == len(expected)
        for p, e in zip(pieces, expected):
            assert isinstance(p, ag.Tensor) and p.shape == e.shape
            np.testing.assert_array_equal(p.data, e)
        ws = [np.random.default_rng(k).normal(size=e.shape) for k, e in enumerate(expected)]
        sum((p * w).sum() for p, w in zip(pieces, ws)).backward()
        vjp = sum(_numpy_vjp(lambda a, k=k: getattr(np, name)(a, spec, axis=axis)[k], x, w)
                  for k, w in enumerate(ws))
        np.testing.assert_allclose(t.grad.data, vjp, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("sections", [4, 5, 7])
def test_array_split_unequal_sections_like_numpy(sections):
    x = _x((5, 2))
    got = [p.shape for p in ag.array_split(x, sections)]
    assert got == [p.shape for p in np.array_split(x, sections)]


def test_split_unused_pieces_get_zero_gradient():
    t = ag.tensor(_x((6,)), requires_grad=True)
    a, b, c = ag.split(t, 3)
    (b * 3.0).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [0, 0, 3, 3, 0, 0])


def test_split_overlapping_indices_sum_the_gradients():
    # [3, 1]: x[:3], x[3:1] (empty), x[1:]: x[1] and x[2] are in two pieces
    t = ag.tensor(_x((5,)), requires_grad=True)
    first, empty, last = ag.split(t, [3, 1])
    assert empty.shape == (0,)
    (first.sum() + 10 * last.sum()).backward()
    np.testing.assert_array_equal(t.grad.data, [1, 11, 11, 10, 10])


def test_split_unequal_division_raises_numpy_error():
    with pytest.raises(ValueError, match=r"split: array split does not result in an equal "
                                         r"division: axis 0 of length 5"):
        ag.split(ag.zeros(5), 2)


@pytest.mark.parametrize("name", ["split", "array_split"])
def test_split_nonpositive_sections_raise(name):
    with pytest.raises(ValueError, match=f"{name}: number sections must be larger than 0"):
        getattr(ag, name)(ag.zeros(4), 0)


def test_split_bad_axis_raises_axis_error_naming_op():
    with pytest.raises(np.exceptions.AxisError, match=r"split: axis 2 is out of bounds for a "
                                                      r"tensor of shape \(2, 3\)"):
        ag.split(ag.zeros((2, 3)), 1, axis=2)
    with pytest.raises(np.exceptions.AxisError, match="array_split"):
        ag.array_split(ag.tensor(1.0), 1)


def test_split_int_dtype_kept():
    pieces = ag.split(np.arange(6), 2)
    assert [p.dtype for p in pieces] == [np.arange(6).dtype] * 2


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 7), st.lists(st.integers(-9, 9), max_size=4), st.integers(1, 4))
def test_split_any_indices_or_sections_like_numpy(n, indices, sections):
    x = np.arange(float(n))
    for spec in (indices, sections):
        got = ag.array_split(x, spec)
        expected = np.array_split(x, spec)
        assert [p.data.tolist() for p in got] == [e.tolist() for e in expected]


# ----------------------------------------------------------------------------- pad
PADS = [
    ((3,), 2, "constant", {}), ((3,), (1, 2), "constant", {"constant_values": 7.5}),
    ((2, 3), ((1, 0), (2, 1)), "constant", {"constant_values": ((1.0, 2.0), (3.0, 4.0))}),
    ((2, 3), ((1,), (2,)), "constant", {"constant_values": (-1.0, 5.0)}),
    ((2, 3), {1: (2, 0)}, "constant", {}), ((2, 3), {-2: 1}, "edge", {}),
    ((), 3, "constant", {}), ((), 2, "edge", {}),
    ((3,), (2, 1), "edge", {}), ((2, 3), ((0, 1), (3, 2)), "edge", {}),
    ((4,), (3, 3), "reflect", {}), ((4,), (7, 9), "reflect", {}),
    ((1, 3), 2, "reflect", {"reflect_type": "even"}), ((2, 3, 2), 1, "reflect", {}),
    ((3,), (2, 5), "symmetric", {}), ((2, 3), ((1, 2), (4, 0)), "symmetric", {}),
    ((3,), (5, 7), "wrap", {}), ((2, 3), ((1, 1), (2, 4)), "wrap", {}),
    ((2, 1, 3), (1, 2), "wrap", {}), ((2, 3), [[1, 2]], "reflect", {}),
    ((2, 3), np.array([[1, 0], [0, 2]]), "symmetric", {}),
]


@pytest.mark.parametrize("shape,width,mode,kwargs", PADS)
@pytest.mark.parametrize("via", ["ag", "np"])
def test_pad_equals_numpy_value_and_gradient(shape, width, mode, kwargs, via):
    fn = ag.pad if via == "ag" else np.pad
    _check(lambda t: fn(t, width, mode=mode, **kwargs),
           lambda a: np.pad(a, _spelled_out(width, a.ndim), mode=mode, **kwargs), _x(shape))


def _spelled_out(width, ndim):
    """numpy 2.3's {axis: width} as a width per axis, for the numpy (2.2 on Python 3.10) that
    has no dict form: the reference computation."""
    if not isinstance(width, dict):
        return width
    out = [(0, 0)] * ndim
    for axis, w in width.items():
        out[axis] = (w, w) if np.ndim(w) == 0 else w
    return out


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.bool_])
def test_pad_keeps_dtype(mode, dtype):
    x = (_x((2, 3)) * 3).astype(dtype)
    y = ag.pad(x, 2, mode=mode)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y.data, np.pad(x, 2, mode=mode))


def test_pad_float32_gradient_stays_float32():
    t = ag.tensor(_x((3,), np.float32), requires_grad=True)
    ag.pad(t, (2, 1), mode="wrap").sum().backward()
    assert t.grad.dtype == np.float32
    np.testing.assert_array_equal(t.grad.data, [2, 2, 2])


def test_pad_constant_values_are_constants():
    c = ag.tensor(3.0, requires_grad=True)
    t = ag.tensor([1.0], requires_grad=True)
    y = ag.pad(t, 1, constant_values=c)
    np.testing.assert_array_equal(y.data, [3, 1, 3])
    y.sum().backward()
    assert c.grad is None and t.grad.data.tolist() == [1.0]


@pytest.mark.parametrize("mode", ["mean", "maximum", "linear_ramp", "empty", "bogus",
                                  np.pad])
def test_pad_unsupported_mode_raises_naming_it(mode):
    name = getattr(mode, "__name__", mode)
    with pytest.raises(ValueError, match=f"pad: mode '{name}' is not supported"):
        ag.pad(ag.zeros(3), 1, mode=mode)


def test_pad_reflect_type_odd_unsupported():
    with pytest.raises(ValueError, match="pad: reflect_type='odd' is not supported"):
        ag.pad(ag.zeros(3), 1, mode="reflect", reflect_type="odd")


@pytest.mark.parametrize("width,kwargs,error", [
    (-1, {}, ValueError), ((1, 2, 3), {}, ValueError), (1.5, {}, TypeError),
    (1, {"reflect_type": "even"}, ValueError)])
def test_pad_bad_width_or_keyword_raises_naming_op_and_shape(width, kwargs, error):
    with pytest.raises(error, match=r"pad: cannot pad a tensor of shape \(2, 3\)"):
        ag.pad(ag.zeros((2, 3)), width, mode="edge" if kwargs else "constant", **kwargs)


def test_pad_edge_of_empty_axis_raises():
    with pytest.raises(ValueError, match=r"pad: cannot pad a tensor of shape \(0,\)"):
        ag.pad(ag.zeros(0), 1, mode="edge")


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["constant", "edge", "reflect", "symmetric", "wrap"]),
       st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.lists(st.integers(0, 6), min_size=2, max_size=2))
def test_pad_any_widths_equal_numpy(mode, shape, width):
    x = np.arange(float(np.prod(shape))).reshape(shape)
    t = ag.tensor(x, requires_grad=True)
    y = ag.pad(t, width, mode=mode)
    np.testing.assert_array_equal(y.data, np.pad(x, width, mode=mode))
    y.sum().backward()
    np.testing.assert_allclose(t.grad.data,
                               _numpy_vjp(lambda a: np.pad(a, width, mode=mode), x,
                                          np.ones(y.shape)))


# ----------------------------------------------------------------------------- take
TAKES = [((5,), [0, 4, -1, 0], None, "raise"), ((2, 3), [[5, 0], [0, 0]], None, "raise"),
         ((2, 3), [2, 2, 0], 1, "raise"), ((2, 3), [1, -2], 0, "raise"),
         ((2, 3, 4), [[3], [-4]], -1, "raise"), ((2, 3), 1, 1, "raise"), ((), [0, 0], None,
                                                                        "raise"),
         ((2, 3), [7, -5, 2], 1, "wrap"), ((4,), [9, -1, 2], None, "wrap"),
         ((2, 3), [7, -5, 2], 1, "clip"), ((4,), [9, -1, 2], 0, "clip"),
         ((2, 3), [], 0, "raise")]


@pytest.mark.parametrize("shape,indices,axis,mode", TAKES)
@pytest.mark.parametrize("via", ["ag", "np", "method"])
def test_take_equals_numpy_value_and_gradient(shape, indices, axis, mode, via):
    fn = {"ag": ag.take, "np": np.take, "method": lambda t, *a, **k: t.take(*a, **k)}[via]
    _check(lambda t: fn(t, indices, axis=axis, mode=mode),
           lambda a: np.take(a, indices, axis=axis, mode=mode), _x(shape))


def test_take_repeated_indices_accumulate():
    t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ag.take(t, [2, 0, 2, 2]).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [1, 0, 3])


def test_take_mode_clip_disables_negative_indices():
    # numpy's convention: clip maps -1 to 0, not to the last element
    y = ag.take(ag.tensor([1.0, 2.0, 3.0]), [-1, 5], mode="clip")
    np.testing.assert_array_equal(y.data, [1.0, 3.0])


def test_take_bool_indices_are_zero_and_one_like_numpy():
    y = ag.take(ag.tensor([1.0, 2.0, 3.0]), [True, False, True])
    np.testing.assert_array_equal(y.data, np.take([1.0, 2.0, 3.0], [True, False, True]))
    np.testing.assert_array_equal(y.data, [2.0, 1.0, 2.0])


def test_take_indices_tensor_is_a_constant():
    t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ag.take(t, ag.tensor(np.array([2, 2])))
    y.sum().backward()
    np.testing.assert_array_equal(t.grad.data, [0, 0, 2])


def test_take_keeps_int_dtype():
    y = ag.take(np.arange(5, dtype=np.int32), [1, 3])
    assert y.dtype == np.int32 and y.data.tolist() == [1, 3]


@pytest.mark.parametrize("indices,axis,match", [
    ([5], None, r"take: index 5 is out of bounds for axis 0 with size 5"),
    ([-6], None, r"take: index -6 is out of bounds"),
    ([2], 0, r"take: index 2 is out of bounds for axis 0 with size 2 \(tensor of shape "
             r"\(2, 3\)\)")])
def test_take_out_of_bounds_raises_index_error(indices, axis, match):
    x = ag.zeros(5) if axis is None else ag.zeros((2, 3))
    with pytest.raises(IndexError, match=match):
        ag.take(x, indices, axis=axis)


def test_take_from_empty_axis_raises_in_every_mode():
    for mode in ("raise", "wrap", "clip"):
        with pytest.raises(IndexError, match="take: cannot take from the empty axis 0"):
            ag.take(ag.zeros(0), [0], mode=mode)


def test_take_errors():
    with pytest.raises(TypeError, match="take: out= is not supported"):
        ag.take(ag.zeros(3), [0], out=np.zeros(1))
    with pytest.raises(TypeError, match="take: out= is not supported"):
        np.take(ag.zeros(3), [0], out=np.zeros(1))
    with pytest.raises(TypeError, match="take: indices must be an integer array, got dtype "
                                        "float64"):
        ag.take(ag.zeros(3), [0.5])
    with pytest.raises(ValueError, match="take: mode must be 'raise', 'wrap' or 'clip'"):
        ag.take(ag.zeros(3), [0], mode="nearest")
    with pytest.raises(np.exceptions.AxisError, match="take: axis -3 is out of bounds"):
        ag.take(ag.zeros((2, 3)), [0], axis=-3)


# ----------------------------------------------------------------------------- take_along_axis
ALONG = [((2, 3), lambda x: np.argsort(x, axis=1), 1), ((2, 3), lambda x: np.argsort(x, 0), 0),
         ((2, 3), lambda x: np.array([[2, 2, 2, 0]]), -1),
         ((2, 3), lambda x: np.array([[1], [0], [1]]), 0),
         ((2, 3, 2), lambda x: np.argsort(x, axis=1)[:, :2], 1),
         ((2, 3), lambda x: np.array([5, 0, 0, -1]), None),
         ((4,), lambda x: np.array([-1, 0]), -1)]


@pytest.mark.parametrize("shape,make,axis", ALONG)
@pytest.mark.parametrize("via", ["ag", "np"])
def test_take_along_axis_equals_numpy_value_and_gradient(shape, make, axis, via):
    x = _x(shape)
    idx = make(x)
    fn = ag.take_along_axis if via == "ag" else np.take_along_axis
    _check(lambda t: fn(t, idx, axis=axis), lambda a: np.take_along_axis(a, idx, axis=axis), x)


def test_take_along_axis_default_axis_is_last_like_numpy_2():
    """numpy 2.3's default axis=-1, on every numpy (2.2, the last for Python 3.10, has none)."""
    x = _x((2, 3))
    idx = np.argsort(x)
    np.testing.assert_array_equal(ag.take_along_axis(x, idx).data,
                                  np.take_along_axis(x, idx, axis=-1))
    np.testing.assert_array_equal(ag.take_along_axis(x, idx).data, np.sort(x))


def test_take_along_axis_repeated_indices_accumulate():
    t = ag.tensor([[1.0, 2.0]], requires_grad=True)
    ag.take_along_axis(t, np.array([[1, 1, 1]]), axis=1).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[0, 3]])


@pytest.mark.parametrize("idx,axis,error,match", [
    (np.array([[0.0]]), 1, IndexError, "take_along_axis: indices must be an integer array"),
    (np.array([[True]]), 1, IndexError, "indices must be an integer array, got dtype bool"),
    (np.array([0]), 1, ValueError, r"indices \(shape \(1,\)\) and arr \(shape \(2, 3\)\) must "
                                   r"have the same number of dimensions"),
    (np.array([[3]]), 1, IndexError, "index 3 is out of bounds for axis 1 with size 3"),
    (np.array([[0], [0], [0]]), 1, IndexError, r"indices of shape \(3, 1\) do not broadcast"),
    (np.array([[0]]), None, ValueError, "with axis=None, indices must be 1-D"),
    (np.array([[0]]), 2, np.exceptions.AxisError, "take_along_axis: axis 2 is out of bounds")])
def test_take_along_axis_errors(idx, axis, error, match):
    with pytest.raises(error, match=match):
        ag.take_along_axis(ag.zeros((2, 3)), idx, axis=axis)


# ----------------------------------------------------------------------------- diagonals
DIAGONALS = [((3, 3), 0, 0, 1), ((2, 3), 1, 0, 1), ((2, 3), -1, 0, 1), ((3, 2), 2, 0, 1),
             ((2, 3), 5, 0, 1), ((2, 3, 4), 0, 0, 2), ((2, 3, 4), 1, 2, 0),
             ((2, 3, 4), -1, -1, -2), ((2, 1, 3, 2), 1, 1, 3)]


@pytest.mark.parametrize("shape,offset,axis1,axis2", DIAGONALS)
@pytest.mark.parametrize("via", ["ag", "np", "method"])
def test_diagonal_equals_numpy_value_and_gradient(shape, offset, axis1, axis2, via):
    fn = {"ag": ag.diagonal, "np": np.diagonal,
          "method": lambda t, *a: t.diagonal(*a)}[via]
    _check(lambda t: fn(t, offset, axis1, axis2),
           lambda a: np.diagonal(a, offset, axis1, axis2), _x(shape))


@pytest.mark.parametrize("shape,offset,axis1,axis2", DIAGONALS)
@pytest.mark.parametrize("via", ["ag", "np", "method"])
def test_trace_equals_numpy_value_and_gradient(shape, offset, axis1, axis2, via):
    fn = {"ag": ag.trace, "np": np.trace, "method": lambda t, *a: t.trace(*a)}[via]
    _check(lambda t: fn(t, offset, axis1, axis2),
           lambda a: np.asarray(np.trace(a, offset, axis1, axis2)), _x(shape))


@pytest.mark.parametrize("shape,k", [((3,), 0), ((3,), 2), ((3,), -1), ((1,), 0), ((0,), 1),
                                     ((3, 3), 0), ((2, 3), 1), ((2, 3), -1), ((3, 2), -4)])
@pytest.mark.parametrize("via", ["ag", "np"])
def test_diag_equals_numpy_value_and_gradient(shape, k, via):
    fn = ag.diag if via == "ag" else np.diag
    _check(lambda t: fn(t, k), lambda a: np.diag(a, k), _x(shape))


def test_diagonal_result_is_a_new_writable_array():
    # numpy's is a read-only view; ours a copy: writing it leaves the input alone
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    d = ag.diagonal(x)
    d.data[0] = 9.0
    assert x.data[0, 0] == 1.0


def test_diag_of_vector_and_matrix_are_each_others_gradients_second_order():
    v = ag.tensor([1.0, 2.0], requires_grad=True)
    m = ag.diag(v, 1)
    g, = ag.grad((m * m).sum(), v, create_graph=True)      # 2v, through Diagonal
    np.testing.assert_array_equal(g.data, [2.0, 4.0])
    h, = ag.grad(g.sum(), v)
    np.testing.assert_array_equal(h.data, [2.0, 2.0])
    assert ag.gradgradcheck(lambda a: ag.diag(ag.diag(a) * ag.diag(a)), (v,))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.bool_, np.float32])
def test_trace_and_diagonal_keep_numpys_dtype(dtype):
    x = (_x((3, 3)) * 3).astype(dtype)
    assert ag.trace(x).dtype == np.trace(x).dtype
    assert ag.trace(x).data == np.trace(x)
    assert ag.diagonal(x).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_trace_dtype_casts_like_numpy(dtype):
    x = _x((3, 4)) * 3
    y = ag.trace(x, 1, dtype=dtype)
    assert y.dtype == np.trace(x, 1, dtype=dtype).dtype
    np.testing.assert_allclose(y.data, np.trace(x, 1, dtype=dtype), rtol=1e-6)


def test_trace_float32_gradient_stays_float32():
    t = ag.tensor(_x((2, 2), np.float32), requires_grad=True)
    ag.trace(t).backward()
    assert t.grad.dtype == np.float32
    np.testing.assert_array_equal(t.grad.data, np.eye(2))


@pytest.mark.parametrize("fn,name", [(ag.diagonal, "diagonal"), (ag.trace, "trace")])
def test_diagonal_and_trace_errors(fn, name):
    with pytest.raises(ValueError, match=fr"{name}: needs a tensor of at least 2 dimensions, "
                                         r"got shape \(3,\)"):
        fn(ag.zeros(3))
    with pytest.raises(ValueError, match=f"{name}: axis1 and axis2 cannot be the same"):
        fn(ag.zeros((2, 3)), 0, 1, -1)
    with pytest.raises(np.exceptions.AxisError, match=f"{name}: axis 2 is out of bounds"):
        fn(ag.zeros((2, 3)), 0, 0, 2)


def test_trace_out_raises():
    with pytest.raises(TypeError, match="trace: out= is not supported"):
        ag.trace(ag.zeros((2, 2)), out=np.zeros(()))
    with pytest.raises(TypeError, match="trace: out= is not supported"):
        ag.zeros((2, 2)).trace(out=np.zeros(()))


@pytest.mark.parametrize("shape", [(), (2, 2, 2)])
def test_diag_of_other_ranks_raises(shape):
    with pytest.raises(ValueError, match=r"diag: input must be 1-D or 2-D, got shape " +
                                         re.escape(str(shape))):
        ag.diag(ag.zeros(shape))


# ----------------------------------------------------------------------------- triangles
TRIANGLES = [((3, 3), 0), ((3, 3), 1), ((3, 3), -1), ((2, 4), 2), ((4, 2), -3), ((2, 3), 9),
             ((2, 3), -9), ((2, 3, 3), 0), ((2, 1, 3, 2), -1), ((3,), 0), ((3,), 1),
             ((3,), -1)]


@pytest.mark.parametrize("shape,k", TRIANGLES)
@pytest.mark.parametrize("name", ["triu", "tril"])
@pytest.mark.parametrize("via", ["ag", "np"])
def test_triangles_equal_numpy_value_and_gradient(shape, k, name, via):
    fn = getattr(ag if via == "ag" else np, name)
    _check(lambda t: fn(t, k), lambda a: getattr(np, name)(a, k), _x(shape))


@pytest.mark.parametrize("name", ["triu", "tril"])
def test_triangle_of_1d_is_a_square_matrix_like_numpy(name):
    t = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = getattr(ag, name)(t)
    assert y.shape == (3, 3)
    y.sum().backward()      # each element of the row appears in as many rows as it is kept
    kept = getattr(np, name)(np.ones((3, 3))).sum(axis=0)
    np.testing.assert_array_equal(t.grad.data, kept)


@pytest.mark.parametrize("name", ["triu", "tril"])
@pytest.mark.parametrize("dtype", [np.bool_, np.int16, np.float32])
def test_triangles_keep_dtype(name, dtype):
    x = (_x((3, 3)) * 3).astype(dtype)
    y = getattr(ag, name)(x, 1)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y.data, getattr(np, name)(x, 1))


@pytest.mark.parametrize("name", ["triu", "tril"])
def test_triangle_of_scalar_raises(name):
    with pytest.raises(ValueError, match=f"{name}: needs a tensor of at least 1 dimension"):
        getattr(ag, name)(ag.tensor(1.0))


# ----------------------------------------------------------------------------- all of them
CALLS = {
    "split": lambda x: ag.split(x, 2), "array_split": lambda x: ag.array_split(x, 2),
    "pad": lambda x: ag.pad(x, 1), "take": lambda x: ag.take(x, [0]),
    "take_along_axis": lambda x: ag.take_along_axis(x, np.zeros((1, 1), int), axis=0),
    "diagonal": ag.diagonal, "diag": ag.diag, "trace": ag.trace, "triu": ag.triu,
    "tril": ag.tril,
}


@pytest.mark.parametrize("name", list(CALLS))
def test_complex_input_raises_type_error_naming_op(name):
    with pytest.raises(TypeError, match=rf"{name}: x of shape \(2, 2\) is complex \(dtype "
                                        r"complex128\); .* takes real"):
        CALLS[name](np.ones((2, 2), complex))


def test_every_name_is_exported_and_dispatched():
    from autograd import binding
    from autograd.ops import indexing
    assert sorted(indexing.__all__) == sorted(CALLS)
    for name in indexing.__all__:
        assert getattr(ag, name) is getattr(indexing, name)
        assert binding.FUNCTIONS[getattr(np, name)] is getattr(indexing, name)
    for name in ("take", "diagonal", "trace"):
        assert getattr(ag.Tensor, name) is getattr(indexing, name)


@pytest.mark.parametrize("name", list(CALLS))
def test_second_derivative_recorded(name):
    # the recorded first derivative of sum(f(x)²) is 2·Jᵀf(x): differentiable again
    x = ag.tensor(_x((2, 2)), requires_grad=True)

    def f(t):
        out = CALLS[name](t)
        return out[0] if isinstance(out, list) else out

    assert ag.gradgradcheck(lambda t: f(t) * f(t), (x,))
    g, = ag.grad((f(x) * f(x)).sum(), x, create_graph=True)
    assert g.requires_grad
