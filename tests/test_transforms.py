"""ag.functional's transforms in one style (JAX's): argnums, has_aux, pytrees of arguments and
outputs, composition, never a silent zero (unused inputs, backward rules that leave the graph),
the deprecated point-taking forms, and HIPS autograd's tanh example."""
import collections
import warnings
import zlib

import numpy as np
import pytest

import autograd as ag
from autograd import functional as F
from autograd import hooks
from autograd.function import raw


def _rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def _fd_grad(f, x, eps=1e-6):
    """Central differences of the scalar numpy function f at the array x."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def _loss(w, b, x):
    return (ag.tanh(x @ w + b) ** 2).sum()


W, B, X = (np.array([[0.5, -1.0], [2.0, 0.3], [-0.7, 0.1]]), np.array([0.2, -0.4]),
           np.array([[1.0, 2.0, -1.0], [0.5, -0.3, 0.8]]))


def _loss_np(w, b, x):
    return (np.tanh(x @ w + b) ** 2).sum()


# ----------------------------------------------------------------------------- argnums
@pytest.mark.parametrize("argnums,expected", [
    (0, "w"), (1, "b"), (-1, "x"), (-3, "w"), ((0, 1), ("w", "b")), ((2, 0), ("x", "w")),
    ((-1, 1), ("x", "b")),
])
def test_argnums_int_tuple_negative(argnums, expected):
    """Each gradient against central differences; a tuple argnums gives a tuple, in its order."""
    fds = {"w": _fd_grad(lambda w: _loss_np(w, B, X), W),
           "b": _fd_grad(lambda b: _loss_np(W, b, X), B),
           "x": _fd_grad(lambda x: _loss_np(W, B, x), X)}
    g = F.grad(_loss, argnums=argnums)(W, B, X)
    if isinstance(expected, tuple):
        assert isinstance(g, tuple) and len(g) == len(expected)
        for gk, name in zip(g, expected):
            np.testing.assert_allclose(gk, fds[name], rtol=1e-6, atol=1e-8)
    else:
        assert isinstance(g, np.ndarray)
        np.testing.assert_allclose(g, fds[expected], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("transform", [F.grad, F.value_and_grad, F.elementwise_grad,
                                       F.jacobian, F.hessian])
def test_argnums_errors_name_the_transform(transform):
    op = transform.__name__
    with pytest.raises(TypeError, match=rf"{op}: argnums must be an int or a non-empty tuple "
                                        r"of ints, got \(\)"):
        transform(_loss, argnums=())
    with pytest.raises(ValueError, match=rf"{op}: argnums 3 is out of range for _loss called "
                                         r"with 3 positional argument\(s\)"):
        transform(_loss, argnums=3)(W, B, X)
    with pytest.raises(ValueError, match=rf"{op}: argnums \(0, 0\) repeats an argument "
                                         r"\(negative numbers count from the end"):
        transform(_loss, argnums=(0, -3))(W, B, X)


def test_other_arguments_and_keywords_pass_through():
    def f(w, scale, offset=0.0):
        assert isinstance(scale, str) and offset == 2.0     # not converted
        return ((w + offset) ** 2).sum() * (3.0 if scale == "triple" else 1.0)

    np.testing.assert_allclose(F.grad(f)(np.array([1.0, -1.0]), "triple", offset=2.0),
                               6 * np.array([3.0, 1.0]))


# ----------------------------------------------------------------------------- has_aux
def _with_aux(w):
    err = w - 1.0
    return (err ** 2).sum(), {"err": err, "tag": "mse"}


def test_grad_has_aux_returns_grad_and_aux():
    w = np.array([0.0, 3.0])
    g, aux = F.grad(_with_aux, has_aux=True)(w)
    np.testing.assert_allclose(g, 2 * (w - 1))
    assert set(aux) == {"err", "tag"} and aux["tag"] == "mse"
    assert type(aux["err"]) is np.ndarray             # arrays in, arrays out
    np.testing.assert_allclose(aux["err"], w - 1)


def test_value_and_grad_has_aux_returns_value_aux_then_grad():
    """JAX's structure: ((value, aux), grad)."""
    w = np.array([0.0, 3.0])
    (value, aux), g = F.value_and_grad(_with_aux, has_aux=True)(w)
    assert value == 5.0
    np.testing.assert_allclose(aux["err"], [-1.0, 2.0])
    np.testing.assert_allclose(g, [-2.0, 4.0])
    wt = ag.Tensor(w)
    (value, aux), g = F.value_and_grad(_with_aux, has_aux=True)(wt)
    assert all(isinstance(t, ag.Tensor) and not t.requires_grad for t in (value, aux["err"], g))


def test_jacobian_and_hessian_has_aux():
    x = np.array([1.0, 2.0])
    J, aux = F.jacobian(lambda x: (x ** 2, x.sum()), has_aux=True)(x)
    np.testing.assert_allclose(J, np.diag(2 * x))
    assert aux == 3.0
    H, aux = F.hessian(lambda x: ((x ** 3).sum(), "note"), has_aux=True)(x)
    np.testing.assert_allclose(H, np.diag(6 * x))
    assert aux == "note"
    g, aux = F.elementwise_grad(lambda x: (x ** 3, [x]), has_aux=True)(x)
    np.testing.assert_allclose(g, 3 * x ** 2)
    assert isinstance(aux, list)


@pytest.mark.parametrize("bad", [lambda w: (w ** 2).sum(), lambda w: ((w ** 2).sum(), 1, 2)])
def test_has_aux_needs_a_pair(bad):
    with pytest.raises(ValueError, match=r"grad: has_aux=True, so .*<lambda> must return a "
                                         r"pair \(output, aux\), but it returned a "):
        F.grad(bad, has_aux=True)(np.ones(2))


# ----------------------------------------------------------------------------- pytrees
def _tree_loss(params, x):
    """Works on a tuple, list or dict (w first, b second)."""
    w, b = (params["w"], params["b"]) if isinstance(params, dict) else params
    return _loss(w, b, x)


@pytest.mark.parametrize("make", [tuple, list, lambda wb: {"w": wb[0], "b": wb[1]},
                                  lambda wb: collections.OrderedDict(b=wb[1], w=wb[0])],
                         ids=["tuple", "list", "dict", "ordered-dict-reversed"])
def test_gradient_has_the_arguments_structure(make):
    params = make([W, B])
    g = F.grad(_tree_loss)(params, X)
    assert type(g) is type(params)
    if isinstance(params, dict):
        assert list(g) == list(params)                 # keys kept, in their order
        gw, gb = g["w"], g["b"]
    else:
        gw, gb = g
    np.testing.assert_allclose(gw, _fd_grad(lambda w: _loss_np(w, B, X), W), rtol=1e-6)
    np.testing.assert_allclose(gb, _fd_grad(lambda b: _loss_np(W, b, X), B), rtol=1e-6)


def test_nested_pytree_and_tensor_leaves():
    """Nested dicts, lists and tuples; a Tensor leaf makes every result a Tensor."""
    params = {"layer": [{"w": W, "b": B}], "scale": (2.0,)}

    def f(p, x):
        layer = p["layer"][0]
        return p["scale"][0] * _loss(layer["w"], layer["b"], x)

    g = F.grad(f)(params, X)
    assert list(g) == ["layer", "scale"] and isinstance(g["layer"], list)
    assert isinstance(g["scale"], tuple) and g["scale"][0].shape == ()
    np.testing.assert_allclose(g["layer"][0]["w"],
                               2 * _fd_grad(lambda w: _loss_np(w, B, X), W), rtol=1e-6)
    np.testing.assert_allclose(g["scale"][0], _loss_np(W, B, X), rtol=1e-12)
    params["layer"][0]["b"] = ag.Tensor(B)
    g = F.grad(f)(params, X)
    assert isinstance(g["layer"][0]["w"], ag.Tensor) and isinstance(g["scale"][0], ag.Tensor)


def test_namedtuple_argument():
    Params = collections.namedtuple("Params", "w b")
    g = F.grad(_tree_loss)(Params(W, B), X)
    assert type(g) is Params
    np.testing.assert_allclose(g.b, _fd_grad(lambda b: _loss_np(W, b, X), B), rtol=1e-6)


def test_jacobian_of_pytree_outputs_and_arguments():
    """J is the output structure, each output holding the arguments' structure."""
    x, p = np.array([1.0, 2.0]), {"a": np.array(3.0), "v": np.array([0.5, -1.0, 2.0])}

    def f(x, p):
        return {"prod": x * p["a"], "outer": x[:, None] * p["v"]}

    J = F.jacobian(f, argnums=(0, 1))(x, p)
    assert list(J) == ["prod", "outer"]
    jx, jp = J["prod"]
    np.testing.assert_allclose(jx, 3.0 * np.eye(2))
    np.testing.assert_allclose(jp["a"], x)
    np.testing.assert_allclose(jp["v"], np.zeros((2, 3)))
    jx, jp = J["outer"]
    assert jx.shape == (2, 3, 2) and jp["v"].shape == (2, 3, 3) and jp["a"].shape == (2, 3)
    np.testing.assert_allclose(jp["v"], np.einsum("i,jk->ijk", x, np.eye(3)))


def test_hessian_of_a_dict_argument():
    """H[k1][k2] = ∂²f/∂p_k1∂p_k2 for f = Σ a² b: [[2b I, 2a], [2aᵀ, 0]]."""
    p = {"a": np.array([1.0, 2.0]), "b": np.array(3.0)}
    H = F.hessian(lambda p: (p["a"] ** 2 * p["b"]).sum())(p)
    np.testing.assert_allclose(H["a"]["a"], 6 * np.eye(2))
    np.testing.assert_allclose(H["a"]["b"], [2.0, 4.0])
    np.testing.assert_allclose(H["b"]["a"], [2.0, 4.0])
    assert H["b"]["b"] == 0.0


def test_a_leaf_that_is_not_numbers_is_named():
    with pytest.raises(TypeError, match=r"grad: argument 0\['w'\] has dtype <U4; only real "
                                        r"numbers can be differentiated"):
        F.grad(lambda p: p["b"])({"w": "text", "b": 1.0})
    with pytest.raises(ValueError, match=r"grad: argument 0 of .*<lambda> is an empty dict"):
        F.grad(lambda p: ag.Tensor(1.0))({})


# ----------------------------------------------------------------------------- composition
def test_grad_of_grad_and_jacobian_of_grad():
    x = 0.7
    d2 = F.grad(F.grad(lambda x: ag.sin(x) * x))      # (x sin x)'' = 2 cos x − x sin x
    np.testing.assert_allclose(d2(x), 2 * np.cos(x) - x * np.sin(x), rtol=1e-13)
    v = _rng("jg").standard_normal(3)
    f = lambda v: ag.logsumexp(v) * (v * v).sum()     # noqa: E731
    np.testing.assert_allclose(F.jacobian(F.grad(f))(v), F.hessian(f)(v), rtol=1e-12)


def test_hessian_of_several_arguments_against_finite_differences():
    """H[i][j] against central differences of the gradient ∂f/∂x_i in x_j."""
    args = [W, B]
    H = F.hessian(_loss, argnums=(0, 1))(W, B, X)
    for i in range(2):
        gi = F.grad(_loss, argnums=i)
        for j in range(2):
            eps, a = 1e-6, args[j]
            fd = np.zeros(args[i].shape + a.shape)
            for idx in np.ndindex(a.shape):
                e = np.zeros_like(a)
                e[idx] = eps
                plus = [x + e if k == j else x for k, x in enumerate(args)]
                minus = [x - e if k == j else x for k, x in enumerate(args)]
                fd[(...,) + idx] = (gi(*plus, X) - gi(*minus, X)) / (2 * eps)
            assert H[i][j].shape == args[i].shape + a.shape
            np.testing.assert_allclose(H[i][j], fd, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(H[0][1], np.moveaxis(H[1][0], 0, -1), atol=1e-12)   # symmetric


def test_constant_derivatives_differentiate_to_zeros():
    """f linear in x: f' is a constant, f'' a real zero (as the Hessian says); a mixed partial
    of an inner derivative in an argument it did not differentiate is taken (zero here)."""
    assert F.grad(F.grad(lambda x: 3 * x))(2.0) == 0.0
    np.testing.assert_array_equal(F.jacobian(F.grad(lambda x: (3 * x).sum()))(np.ones(2)),
                                  np.zeros((2, 2)))
    np.testing.assert_array_equal(F.hessian(lambda x: (3 * x).sum())(np.ones(2)),
                                  np.zeros((2, 2)))
    mixed = F.grad(lambda x, y: F.grad(lambda a, b: a * a * b)(x, y), argnums=1)
    assert mixed(1.5, 2.0) == 3.0                     # ∂²(a²b)/∂b∂a = 2a
    zero = F.grad(lambda x, y: F.grad(lambda a, b: a * a + b)(x, y), argnums=1)
    assert zero(1.5, 2.0) == 0.0
    np.testing.assert_array_equal(F.hessian(lambda x: ag.relu(x).sum())(np.array([0.5, -1.0])),
                                  np.zeros((2, 2)))    # the library's relu: a true zero
    np.testing.assert_array_equal(F.hvp(lambda x: (2 * x).sum(), np.ones(2), np.ones(2))[1],
                                  np.zeros(2))
    np.testing.assert_array_equal(F.jvp(ag.sign, np.ones(2), np.ones(2))[1], np.zeros(2))


def test_third_order_and_tensor_results():
    x = ag.Tensor(0.3, requires_grad=True)
    d3 = F.grad(F.grad(F.grad(ag.tanh)))(x)
    t = np.tanh(0.3)
    assert isinstance(d3, ag.Tensor) and d3.requires_grad
    np.testing.assert_allclose(d3.data, -2 * (1 - t ** 2) * (1 - 3 * t ** 2), rtol=1e-13)
    d4, = ag.grad(d3, x)
    np.testing.assert_allclose(d4.data, 8 * t * (1 - t ** 2) * (2 - 3 * t ** 2), rtol=1e-12)


# ----------------------------------------------------------------------------- tanh (HIPS)
def test_tanh_derivatives_by_repeated_elementwise_grad():
    """HIPS autograd's example: elementwise_grad applied again and again, up to the 6th
    derivative; the first four against their closed forms, t = tanh x."""
    x = np.linspace(-7, 7, 200)
    t = np.tanh(x)
    s = 1 - t ** 2
    closed = [s, -2 * t * s, -2 * s * (1 - 3 * t ** 2), 8 * t * s * (2 - 3 * t ** 2)]
    d = ag.tanh
    derivatives = []
    for _ in range(6):
        d = F.elementwise_grad(d)
        derivatives.append(d(x))
    for k, (got, want) in enumerate(zip(derivatives, closed)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, err_msg=f"order {k + 1}")
    assert all(d.shape == (200,) and np.isfinite(d).all() for d in derivatives)
    # the 5th from the 4th by central differences (a check on the deeper records too)
    d4 = lambda x: 8 * np.tanh(x) * (1 - np.tanh(x) ** 2) * (2 - 3 * np.tanh(x) ** 2)  # noqa
    np.testing.assert_allclose(derivatives[4], (d4(x + 1e-6) - d4(x - 1e-6)) / 2e-6,
                               atol=1e-6)


def test_elementwise_grad_of_several_outputs_sums_them():
    x = np.array([0.5, -1.0])
    g = F.elementwise_grad(lambda x: (x ** 2, {"c": ag.sin(x)}))(x)
    np.testing.assert_allclose(g, 2 * x + np.cos(x), rtol=1e-14)


# ----------------------------------------------------------------------------- never a silent zero
@pytest.mark.parametrize("transform,call,name", [
    (F.grad, lambda g: g(np.ones(2), np.ones(3)), r"argument 1 \(shape \(3,\)\)"),
    (F.value_and_grad, lambda g: g(np.ones(2), np.ones(3)), r"argument 1 \(shape \(3,\)\)"),
    (F.elementwise_grad, lambda g: g(np.ones(2), np.ones(3)), r"argument 1 \(shape \(3,\)\)"),
    (F.jacobian, lambda g: g(np.ones(2), np.ones(3)), r"argument 1 \(shape \(3,\)\)"),
    (F.hessian, lambda g: g(np.ones(2), np.ones(3)), r"argument 1 \(shape \(3,\)\)"),
])
def test_an_unused_argument_raises_naming_it(transform, call, name):
    op = transform.__name__

    def f(x, y):
        return (x * 2).sum()

    with pytest.raises(ValueError, match=rf"{op}: the output of .*f does not depend on {name}, "
                                         rf".*pass allow_unused=True to {op} to get zeros"):
        call(transform(f, argnums=(0, 1)))
    result = call(transform(f, argnums=(0, 1), allow_unused=True))
    result = result[1] if op == "value_and_grad" else result
    unused = result[1]
    if op == "hessian":
        unused = np.concatenate([result[0][1].ravel(), result[1][0].ravel(),
                                 result[1][1].ravel()])
        assert result[1][1].shape == (3, 3)
    expected_shape = {"hessian": (6 + 6 + 9,)}.get(op, (3,))
    assert unused.shape == expected_shape
    np.testing.assert_array_equal(unused, 0.0)


def test_an_unused_leaf_of_a_pytree_is_named_by_its_path():
    params = {"w": np.ones(2), "extra": [np.ones(3), {"b": np.ones(())}]}
    f = lambda p: (p["w"] ** 2).sum() + p["extra"][0].sum()    # noqa: E731
    with pytest.raises(ValueError, match=r"argument 0\['extra'\]\[1\]\['b'\] \(shape \(\)\)"):
        F.grad(f)(params)
    g = F.grad(f, allow_unused=True)(params)
    assert g["extra"][1]["b"].shape == () and g["extra"][1]["b"] == 0.0


def test_a_constant_output_raises_and_products_too():
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"grad: the output of .*<lambda> does not depend on "
                                         r"argument 0"):
        F.grad(lambda x: ag.Tensor(3.0))(x)
    with pytest.raises(ValueError, match=r"vjp: the output of .*<lambda> does not depend on "
                                         r"input 1"):
        F.vjp(lambda x, y: x * 2, (x, x), x)
    with pytest.raises(ValueError, match=r"hvp: the output of .*<lambda> does not depend on "
                                         r"input 0"):
        F.hvp(lambda x: ag.Tensor(1.0), x, x)
    np.testing.assert_array_equal(F.hvp(lambda x: ag.Tensor(1.0), x, x, allow_unused=True)[1],
                                  np.zeros(2))


class WhereRelu(ag.Function):
    """relu whose backward is np.where on the raw input: a plain array, out of the graph."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return np.where(raw(x) > 0, raw(grad_output), 0.0)


class RawSin(ag.Function):
    """sin whose backward multiplies grad_output by numpy's cos of the raw input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * np.cos(raw(x))


class TensorSin(RawSin):
    """The same derivative with Tensor operations: recorded, differentiable again."""

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * ag.cos(x)


SECOND_ORDER = {
    "hessian": lambda f: F.hessian(lambda x: f(x).sum()),
    "grad(grad)": lambda f: F.grad(lambda x: F.grad(lambda y: f(y).sum())(x).sum()),
    "jacobian(grad)": lambda f: F.jacobian(F.grad(lambda x: f(x).sum())),
    "elementwise_grad twice": lambda f: F.elementwise_grad(F.elementwise_grad(f)),
    "hvp": lambda f: lambda x: F.hvp(lambda x: f(x).sum(), x, np.ones_like(x))[1],
    "jvp(grad)": lambda f: lambda x: F.jvp(F.grad(lambda x: f(x).sum()), x, np.ones_like(x))[1],
}


@pytest.mark.parametrize("second", list(SECOND_ORDER), ids=list(SECOND_ORDER))
@pytest.mark.parametrize("fn", [WhereRelu, RawSin], ids=["np.where", "np.cos"])
def test_a_backward_that_leaves_the_graph_is_named(fn, second):
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(F.elementwise_grad(fn.apply)(x),       # first order is right
                               (x > 0) * 1.0 if fn is WhereRelu else np.cos(x))
    with pytest.raises(RuntimeError, match=rf"{fn.__name__}\.backward left the graph: it "
                                           r"returned a gradient that does not require grad.*"
                                           rf"{fn.__name__}\.backward must use Tensor "
                                           r"operations \(or autograd.function.dual\)"):
        SECOND_ORDER[second](fn.apply)(x)


@pytest.mark.parametrize("second", list(SECOND_ORDER), ids=list(SECOND_ORDER))
def test_a_backward_with_tensor_operations_is_differentiated(second):
    x = np.array([0.5, -1.0, 2.0])
    got = SECOND_ORDER[second](TensorSin.apply)(x)
    want = -np.sin(x)
    np.testing.assert_allclose(np.diag(got) if got.ndim == 2 else got, want, rtol=1e-14)


def test_jvp_names_a_backward_that_drops_grad_output():
    """jvp differentiates the recorded vjp in its cotangent: a plain array there is a zero."""
    with pytest.raises(RuntimeError, match=r"jvp: .*WhereRelu\.backward left the graph: it "
                                           r"returned a gradient that does not require grad "
                                           r"although its grad_output does"):
        F.jvp(WhereRelu.apply, np.array([0.5, -1.0]), np.ones(2))
    np.testing.assert_allclose(F.jvp(RawSin.apply, np.array([0.5, -1.0]), np.ones(2))[1],
                               np.cos([0.5, -1.0]))     # linear in grad_output: right


def test_piecewise_linear_declares_a_true_zero(monkeypatch):
    monkeypatch.setattr(WhereRelu, "piecewise_linear", True, raising=False)
    np.testing.assert_array_equal(
        F.hessian(lambda x: WhereRelu.apply(x).sum())(np.array([0.5, -1.0])), np.zeros((2, 2)))


def test_first_order_with_a_graph_requested_does_not_raise():
    """Only a transform that differentiates the record raises; the first-order result is
    right, but is not linked to the point (so a later ag.grad says it is not used)."""
    x = ag.Tensor(np.array([0.5, -1.0]), requires_grad=True)
    g = F.grad(lambda x: RawSin.apply(x).sum())(x)
    np.testing.assert_allclose(g.data, np.cos(x.data))
    assert not g.requires_grad
    assert not hooks.watching()                 # no watch left open, after errors too
    with pytest.raises(RuntimeError):
        F.hessian(lambda x: RawSin.apply(x).sum())(x.data)
    assert not hooks.watching()


# ----------------------------------------------------------------------------- deprecated forms
@pytest.mark.parametrize("call,spelling", [
    (lambda: F.jacobian(ag.tanh, np.ones(2)), "F.jacobian(f)(x)"),
    (lambda: F.jacobian(lambda x, y: x * y, np.ones(2), np.ones(2)),
     "F.jacobian(f, argnums=(0, 1))(x, y)"),
    (lambda: F.jacobian(lambda x, y: x * y, (np.ones(2), np.ones(2))),
     "F.jacobian(f, argnums=(0, 1))(x, y)"),
    (lambda: F.hessian(lambda x: (x ** 3).sum(), np.ones(2)), "F.hessian(f)(x)"),
    (lambda: F.hessian(lambda x, y: (x * y).sum(), np.ones(2), np.ones(2), create_graph=False),
     "F.hessian(f, argnums=(0, 1), create_graph=False)(x, y)"),
])
def test_old_forms_warn_with_the_new_spelling(call, spelling):
    with pytest.warns(DeprecationWarning, match=r"with the point given directly is deprecated.*"
                                                r"write " + spelling.replace("(", r"\(")
                                                .replace(")", r"\)")) as record:
        call()
    assert record[0].filename == __file__       # pointing at the caller's line


def test_old_forms_give_the_new_results():
    x, y = np.array([0.5, -1.0]), np.array([2.0, 0.3])
    f = lambda x, y: (ag.tanh(x * y) ** 2).sum()    # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old_j = F.jacobian(ag.tanh, x)
        old_h = F.hessian(f, x, y)
        old_list = F.jacobian(ag.tanh, [0.5, -1.0])       # a list is array data there
    np.testing.assert_array_equal(old_j, F.jacobian(ag.tanh)(x))
    np.testing.assert_array_equal(old_list, old_j)
    new_h = F.hessian(f, argnums=(0, 1))(x, y)
    for i in range(2):
        for j in range(2):
            np.testing.assert_array_equal(old_h[i][j], new_h[i][j])


def test_ag_grad_of_a_function_says_to_use_the_transform():
    with pytest.raises(TypeError, match=r"ag.grad takes tensors .* not a function: .*use "
                                        r"ag.functional.grad\(f\)"):
        ag.grad(lambda x: x ** 2, ag.Tensor(1.0, requires_grad=True))
    with pytest.raises(TypeError, match=r"use ag.functional.grad\(f\)"):
        ag.grad(ag.tanh, ag.Tensor(1.0, requires_grad=True))


def test_jacrev_is_jacobian():
    assert F.jacrev is F.jacobian
    x = np.array([0.5, -1.0])
    np.testing.assert_array_equal(F.jacrev(ag.tanh)(x), np.diag(1 - np.tanh(x) ** 2))


def test_transformed_functions_are_named_after_the_transform():
    def loss(w):
        return (w ** 2).sum()

    assert F.grad(loss).__name__ == "grad(loss)"
    assert F.jacobian(F.grad(loss)).__name__ == "jacobian(grad(loss))"
    assert F.grad(loss).__wrapped__ is loss
