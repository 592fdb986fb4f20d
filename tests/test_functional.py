"""ag.functional: grad, value_and_grad, jacobian, hessian, vjp, jvp, hvp (the transforms' own
conventions, pytrees, errors and the deprecated forms: tests/test_transforms.py) — the Jacobian's
layout, the chapter's closed forms (D1, D2, D10, D12, D18), products against finite differences
and against the full matrices, types in and out, errors, and a small MLP's Hessian."""
import zlib

import numpy as np
import pytest

import autograd as ag
from custom_functions import Cube, NumpyCube
from autograd import functional as F
from autograd.gradcheck import numerical_jacobians
from op_cases import sweep


SHAPES = [(), (3,), (2, 3), (2, 1, 3)]


def _rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def _fd_directional(f, xs, ts, eps=1e-6):
    """(f(x + εt) − f(x − εt)) / 2ε, in float64."""
    plus = f(*[ag.Tensor(x + eps * t) for x, t in zip(xs, ts)]).data
    minus = f(*[ag.Tensor(x - eps * t) for x, t in zip(xs, ts)]).data
    return (plus - minus) / (2 * eps)


# ----------------------------------------------------------------------------- grad
def test_grad_of_a_quadratic():
    """∂(Σ w²)/∂w = 2w, for a vector and a matrix."""
    for shape in [(3,), (2, 3)]:
        w = _rng("quad").standard_normal(shape)
        g = F.grad(lambda w: (w * w).sum())(w)
        assert type(g) is np.ndarray and g.shape == shape
        np.testing.assert_allclose(g, 2 * w, rtol=1e-14)


def test_value_and_grad_argnums():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])

    def f(x, y, scale=1.0):
        return scale * (x * y).sum()

    value, (gx, gy) = F.value_and_grad(f, argnums=(0, 1))(x, y, scale=2.0)
    np.testing.assert_allclose(value, 2 * x @ y)
    np.testing.assert_allclose(gx, 2 * y)
    np.testing.assert_allclose(gy, 2 * x)
    np.testing.assert_allclose(F.grad(f, argnums=1)(x, y), x)
    np.testing.assert_allclose(F.grad(f, argnums=-1)(x, y), x)


def test_grad_of_a_python_scalar():
    g = F.grad(lambda x: x ** 3)(2.0)
    assert isinstance(g, np.ndarray) and g.shape == () and g.dtype == np.float64
    assert g == 12.0


def test_grad_composes_to_third_derivative_of_tanh_D18():
    """tanh''' = −2(1 − t²)(1 − 3t²), t = tanh x (D18 differentiated twice more)."""
    x = np.array([-1.3, -0.2, 0.0, 0.7, 2.0])
    t = np.tanh(x)
    d1 = F.grad(lambda x: ag.tanh(x).sum())        # elementwise, so Σ_i keeps the i-th
    d2 = F.grad(lambda x: d1(x).sum())               # derivative in entry i
    d3 = F.grad(lambda x: d2(x).sum())
    np.testing.assert_allclose(d3(x), -2 * (1 - t ** 2) * (1 - 3 * t ** 2), rtol=1e-12,
                               atol=1e-14)
    np.testing.assert_allclose(F.grad(F.grad(F.grad(ag.tanh)))(x[3]), d3(x)[3], rtol=1e-14)


@pytest.mark.parametrize("bad,message", [
    (lambda x: x * 2, r"grad: .*<lambda> must return a one-element output .* returned shape "
                      r"\(3,\); for a non-scalar output use jacobian"),
    (lambda x: (x.sum(), x.sum()), r"grad: .* returned a tuple of 2 outputs"),
])
def test_grad_needs_a_scalar_output(bad, message):
    with pytest.raises(ValueError, match=message):
        F.grad(bad)(np.ones(3))


def test_grad_argnums_errors():
    with pytest.raises(TypeError, match=r"grad: argnums must be an int or a non-empty tuple "
                                        r"of ints, got '0'"):
        F.grad(ag.sum, argnums="0")
    with pytest.raises(ValueError, match=r"grad: argnums 2 is out of range for .* called with "
                                         r"2 positional argument"):
        F.grad(lambda a, b: (a * b).sum(), argnums=2)(np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="repeats"):
        F.grad(ag.sum, argnums=(0, 0))


# ----------------------------------------------------------------------------- jacobian layout
def test_jacobian_layout_out_shape_plus_in_shape():
    """J[out_index + in_index] = ∂out[out_index]/∂x[in_index]: for out = A @ X with X of shape
    (3, 2), J[i, k, j, l] = A[i, j]·δ_kl, shape (4, 2) + (3, 2)."""
    rng = _rng("layout")
    A, X = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    J = F.jacobian(lambda X: ag.Tensor(A) @ X)(X)
    assert J.shape == (4, 2, 3, 2)
    np.testing.assert_allclose(J, np.einsum("ij,kl->ikjl", A, np.eye(2)), atol=1e-15)


PARAMS, IDS = sweep()


@pytest.mark.parametrize("case,shapes", PARAMS, ids=IDS)
def test_jacobian_matches_finite_differences_over_the_op_sweep(case, shapes):
    """The same layout as gradcheck's Jacobians, for every op and shape (one or two inputs)."""
    inputs = case.inputs(shapes, _rng(case.name))
    arrays = tuple(x.data for x in inputs)
    J = F.jacobian(case.fn, argnums=tuple(range(len(arrays))))(*arrays)
    J = J if isinstance(J, tuple) else (J,)
    numerical = numerical_jacobians(case.fn, inputs, list(range(len(inputs))), 1e-6)[0]
    for j, n in zip(J, numerical):
        assert j.shape == n.shape
        np.testing.assert_allclose(j, n, atol=1e-6, rtol=1e-5)


def test_jacobian_of_several_outputs_and_inputs():
    """J[i][j] = ∂out_i/∂x_j, as PyTorch and JAX (jacrev is jacobian)."""
    x, y = np.array([1.0, 2.0]), np.array([3.0, -1.0, 0.5])

    def f(x, y):
        return x[:, None] * y, (x * x).sum()

    for J in (F.jacobian(f, argnums=(0, 1))(x, y), F.jacrev(f, argnums=(0, 1))(x, y)):
        (j_px, j_py), (j_sx, j_sy) = J
        assert j_px.shape == (2, 3, 2) and j_py.shape == (2, 3, 3)
        np.testing.assert_allclose(j_px, np.einsum("ik,j->ijk", np.eye(2), y))
        np.testing.assert_allclose(j_py, np.einsum("i,jk->ijk", x, np.eye(3)))
        np.testing.assert_allclose(j_sx, 2 * x)
        np.testing.assert_allclose(j_sy, np.zeros(3))


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_jacobian_of_softmax_D10(n):
    """D10: ∂y_i/∂z_j = y_i(δ_ij − y_j) = (diag(y) − y yᵀ)_ij."""
    z = _rng(f"sm{n}").standard_normal(n)
    y = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    np.testing.assert_allclose(F.jacobian(ag.softmax)(z), np.diag(y) - np.outer(y, y),
                               atol=1e-15)


def test_jacobian_of_batched_softmax_is_block_diagonal_D10():
    """Rows of a batch do not interact: J[b, i, c, j] = δ_bc (diag(y_b) − y_b y_bᵀ)_ij."""
    Z = _rng("smb").standard_normal((2, 3))
    Y = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    expected = np.einsum("bc,bij->bicj", np.eye(2),
                         np.stack([np.diag(y) - np.outer(y, y) for y in Y]))
    np.testing.assert_allclose(F.jacobian(ag.softmax)(Z), expected, atol=1e-15)


# ----------------------------------------------------------------------------- hessians
@pytest.mark.parametrize("n", [1, 3, 5])
def test_hessian_of_quadratic_form(n):
    """f(x) = xᵀAx with A not symmetric: ∇f = (A + Aᵀ)x, H = A + Aᵀ."""
    rng = _rng(f"quadform{n}")
    A, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    f = lambda x: x @ ag.Tensor(A) @ x     # noqa: E731
    np.testing.assert_allclose(F.grad(f)(x), (A + A.T) @ x, rtol=1e-12)
    np.testing.assert_allclose(F.hessian(f)(x), A + A.T, rtol=1e-12)


def _softmax_ce(t):
    return lambda z: -(ag.Tensor(t) * ag.log_softmax(z)).sum()


@pytest.mark.parametrize("n", [2, 3, 5])
def test_hessian_of_softmax_cross_entropy_D10_D12(n):
    """ξ(z) = −Σ t_c log softmax(z)_c: ∇ξ = y − t (D12), so ∇²ξ = ∂y/∂z = diag(y) − y yᵀ
    (D10), whatever the target t (one-hot or a distribution)."""
    rng = _rng(f"ce{n}")
    z = rng.standard_normal(n)
    y = np.exp(z) / np.exp(z).sum()
    for t in (np.eye(n)[n - 1], rng.dirichlet(np.ones(n))):
        np.testing.assert_allclose(F.grad(_softmax_ce(t))(z), y - t, atol=1e-14)
        np.testing.assert_allclose(F.hessian(_softmax_ce(t))(z), np.diag(y) - np.outer(y, y),
                                   atol=1e-14)


X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T_XOR = np.array([0.0, 1.0, 1.0, 0.0])


def _xor_mse(w, b):
    """D1: J(w, b) = 1/4 Σ_x (f*(x) − (xᵀw + b))²."""
    r = ag.Tensor(T_XOR) - (ag.Tensor(X_XOR) @ w + b)
    return (r * r).sum() / 4


def test_xor_linear_model_optimum_D1_D2():
    """D2: the normal equations give w = 0, b = 1/2; there the gradient of D1's MSE is exactly
    zero and the Hessian, ½ ΦᵀΦ with Φ = [X, 1], is positive definite: a strict minimum."""
    phi = np.hstack([X_XOR, np.ones((4, 1))])
    theta = np.linalg.lstsq(phi, T_XOR, rcond=None)[0]
    np.testing.assert_allclose(theta, [0.0, 0.0, 0.5], atol=1e-12)
    w, b = np.zeros(2), 0.5

    value, (gw, gb) = F.value_and_grad(_xor_mse, argnums=(0, 1))(w, b)
    assert value == 0.25                  # outputs 0.5 everywhere: each error is ±1/2
    np.testing.assert_array_equal(gw, np.zeros(2))
    assert gb == 0.0

    (hww, hwb), (hbw, hbb) = F.hessian(_xor_mse, argnums=(0, 1))(w, b)
    assert (hww.shape, hwb.shape, hbw.shape, hbb.shape) == ((2, 2), (2,), (2,), ())
    H = np.block([[hww, hwb[:, None]], [hbw[None, :], hbb[None, None]]])
    np.testing.assert_allclose(H, phi.T @ phi / 2, rtol=1e-14)
    assert np.linalg.eigvalsh(H).min() > 0.1


# ----------------------------------------------------------------------------- products
def _jvp_cases():
    rng = _rng("jvp-cases")
    A = rng.standard_normal((3, 3))
    return [
        ("tanh-affine", lambda x: ag.tanh(x @ ag.Tensor(A) + 0.5), [(3,), (2, 3)]),
        ("softmax", ag.softmax, SHAPES[1:]),
        ("log_softmax-axis0", lambda x: ag.log_softmax(x, axis=0), [(3,), (2, 3)]),
        ("exp-times-sin-like", lambda x: ag.exp(x) * ag.sigmoid(x), SHAPES),
    ]


@pytest.mark.parametrize("name,f,shapes", _jvp_cases(), ids=[c[0] for c in _jvp_cases()])
def test_jvp_against_directional_finite_differences(name, f, shapes):
    rng = _rng(name)
    for shape in shapes:
        x, t = rng.standard_normal(shape), rng.standard_normal(shape)
        out, jt = F.jvp(f, x, t)
        np.testing.assert_allclose(out, f(ag.Tensor(x)).data)
        np.testing.assert_allclose(jt, _fd_directional(f, [x], [t]), atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("shapes", [((), ()), ((3,), (3,)), ((2, 1), (2, 3)), ((), (2, 3))])
def test_jvp_with_two_inputs_broadcasting(shapes):
    rng = _rng(str(shapes))
    xs = tuple(rng.uniform(0.5, 2, s) for s in shapes)
    ts = tuple(rng.standard_normal(s) for s in shapes)
    f = lambda x, y: x * ag.log(y) + x / y     # noqa: E731
    out, jt = F.jvp(f, xs, ts)
    np.testing.assert_allclose(jt, _fd_directional(f, xs, ts), atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("shape", SHAPES)
def test_vjp_is_v_times_jacobian(shape):
    """vjp = Σ_out_index v[out_index] · J[out_index + in_index]."""
    rng = _rng(f"vjp{shape}")
    x = rng.standard_normal(shape)
    f = lambda x: ag.softplus(x) * x.sum() + ag.tanh(x)     # noqa: E731
    out = f(ag.Tensor(x))
    v = rng.standard_normal(out.shape)
    value, vj = F.vjp(f, x, v)
    J = F.jacobian(f)(x)
    np.testing.assert_allclose(value, out.data)
    np.testing.assert_allclose(vj, np.tensordot(v, J, axes=out.ndim), rtol=1e-12, atol=1e-14)


def _two_in_two_out(x, y):
    return ag.tanh(x * y), (x * x).sum()


def test_vjp_of_several_inputs_and_outputs():
    rng = _rng("multi")
    x, y = rng.standard_normal(3), rng.standard_normal((2, 3))
    (jx0, jy0), (jx1, jy1) = F.jacobian(_two_in_two_out, argnums=(0, 1))(x, y)
    v = (rng.standard_normal((2, 3)), rng.standard_normal(()))
    _, (vx, vy) = F.vjp(_two_in_two_out, (x, y), v)
    np.testing.assert_allclose(vx, np.tensordot(v[0], jx0, 2) + v[1] * jx1, atol=1e-14)
    np.testing.assert_allclose(vy, np.tensordot(v[0], jy0, 2) + v[1] * jy1, atol=1e-14)


def test_jvp_of_several_inputs_and_outputs():
    """jvp's recorded vjp sends a cotangent that requires grad into Sum.backward."""
    rng = _rng("multi")
    x, y = rng.standard_normal(3), rng.standard_normal((2, 3))
    (jx0, jy0), (jx1, jy1) = F.jacobian(_two_in_two_out, argnums=(0, 1))(x, y)
    t = (rng.standard_normal(3), rng.standard_normal((2, 3)))
    _, (j0, j1) = F.jvp(_two_in_two_out, (x, y), t)
    np.testing.assert_allclose(j0, np.tensordot(jx0, t[0], 1) + np.tensordot(jy0, t[1], 2),
                               atol=1e-14)
    np.testing.assert_allclose(j1, jx1 @ t[0] + (jy1 * t[1]).sum(), atol=1e-14)


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
def test_hvp_is_hessian_times_v(shape):
    rng = _rng(f"hvp{shape}")
    x, v = rng.standard_normal(shape), rng.standard_normal(shape)
    f = lambda x: ag.logsumexp(x * x) + (ag.tanh(x) ** 3).sum()     # noqa: E731
    value, hv = F.hvp(f, x, v)
    H = F.hessian(f)(x)
    np.testing.assert_allclose(value, f(ag.Tensor(x)).data)
    np.testing.assert_allclose(hv, np.tensordot(H, v, axes=len(shape)), rtol=1e-12,
                               atol=1e-14)


def test_hvp_of_two_inputs_is_the_block_hessian_times_v():
    """(H·v)_i = Σ_j H[i][j]·v_j."""
    rng = _rng("hvp2")
    x, y = rng.standard_normal(3), rng.standard_normal((2, 3))
    f = lambda x, y: (ag.tanh(x * y) ** 2).sum() + (x ** 3).sum()     # noqa: E731
    v = (rng.standard_normal(3), rng.standard_normal((2, 3)))
    _, (hx, hy) = F.hvp(f, (x, y), v)
    H = F.hessian(f, argnums=(0, 1))(x, y)
    np.testing.assert_allclose(hx, H[0][0] @ v[0] + np.tensordot(H[0][1], v[1], 2),
                               atol=1e-13)
    np.testing.assert_allclose(hy, np.tensordot(H[1][0], v[0], 1) +
                               np.tensordot(H[1][1], v[1], 2), atol=1e-13)


# ----------------------------------------------------------------------------- types, graphs
def test_arrays_in_arrays_out_tensors_in_tensors_out():
    x = np.array([0.3, -0.2])
    f = ag.tanh
    for result in (F.jacobian(f)(x), *F.vjp(f, x, x), *F.jvp(f, x, x)):
        assert type(result) is np.ndarray
    xt = ag.Tensor(x)
    for result in (F.jacobian(f)(xt), *F.vjp(f, xt, x), *F.jvp(f, xt, x)):
        assert isinstance(result, ag.Tensor) and not result.requires_grad
    np.testing.assert_allclose(F.jacobian(f)(xt).data, F.jacobian(f)(x))


def test_float32_stays_float32():
    x = np.array([0.3, -0.2], dtype=np.float32)
    assert F.grad(lambda x: ag.tanh(x).sum())(x).dtype == np.float32
    assert F.jacobian(ag.softmax)(x).dtype == np.float32
    assert F.hessian(lambda x: (x ** 3).sum())(x).dtype == np.float32
    assert F.jvp(ag.tanh, x, x)[1].dtype == np.float32


def test_results_do_not_alias_inputs_and_leave_grad_untouched():
    v = np.array([1.0, 2.0])
    _, result = F.vjp(lambda x: x, np.zeros(2), v)
    assert not np.shares_memory(result, v)
    x = ag.Tensor([0.5, 1.0], requires_grad=True)
    F.grad(lambda x: (x * x).sum())(x)
    F.hessian(lambda x: (x ** 3).sum())(x)
    assert x.grad is None


def test_tensor_that_requires_grad_keeps_the_result_differentiable():
    """Given a Tensor that requires grad, the transforms record their work (create_graph
    default), so d/dx Σ_i H_ii of Σ tanh(x) is tanh''' (D18)."""
    x = ag.Tensor([-0.4, 0.1, 0.9], requires_grad=True)
    H = F.hessian(lambda x: ag.tanh(x).sum())(x)
    assert H.requires_grad
    trace = (H * ag.Tensor(np.eye(3))).sum()
    d, = ag.grad(trace, x)
    t = np.tanh(x.data)
    np.testing.assert_allclose(d.data, -2 * (1 - t ** 2) * (1 - 3 * t ** 2), rtol=1e-12)
    assert not F.hessian(lambda x: ag.tanh(x).sum(), create_graph=False)(x).requires_grad
    assert F.jacobian(ag.tanh, create_graph=True)(ag.Tensor(x.data)).requires_grad


def test_jacobian_of_grad_is_hessian():
    x = _rng("jg").standard_normal(4)
    f = lambda x: ag.logsumexp(x) * (x * x).sum()     # noqa: E731
    np.testing.assert_allclose(F.jacobian(F.grad(f))(x), F.hessian(f)(x), rtol=1e-12)


def test_vjp_differentiable_in_v_when_v_requires_grad():
    """vjp = Jᵀv is linear in v: its derivative in v is Jᵀ (v a Tensor requiring grad)."""
    x = np.array([0.2, -0.7, 1.1])
    v = ag.Tensor(np.ones(3), requires_grad=True)
    _, vj = F.vjp(ag.softmax, x, v)
    assert vj.requires_grad
    Jt = np.stack([ag.grad(vj[k], v, retain_graph=True)[0].data for k in range(3)])
    np.testing.assert_allclose(Jt, F.jacobian(ag.softmax)(x).T, atol=1e-15)


def test_constant_derivatives_and_unused_inputs():
    """A linear f has a zero Hessian (a real zero); an input the output does not depend on is
    an error unless allow_unused=True, and then its derivative is zeros."""
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(F.hessian(lambda x: (x * 2).sum())(x), np.zeros((2, 2)))
    np.testing.assert_array_equal(F.jvp(lambda x: x * 0 + ag.Tensor(1.0), x, x)[1],
                                  np.zeros(2))
    with pytest.raises(ValueError, match=r"grad: the output of .*<lambda> does not depend on "
                                         r"argument 0 \(shape \(2,\)\)"):
        F.grad(lambda x: ag.Tensor(3.0))(x)
    np.testing.assert_array_equal(F.grad(lambda x: ag.Tensor(3.0), allow_unused=True)(x),
                                  np.zeros(2))
    with pytest.raises(ValueError, match=r"jacobian: the output of .*<lambda> does not depend on "
                                         r"argument 1 \(shape \(2,\)\)"):
        F.jacobian(lambda x, y: x * 2, argnums=(0, 1))(x, x)
    np.testing.assert_array_equal(
        F.jacobian(lambda x, y: x * 2, argnums=(0, 1), allow_unused=True)(x, x)[1],
        np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"jvp: the output of .*<lambda> does not depend on "
                                         r"input 1"):
        F.jvp(lambda x, y: x * 2, (x, x), (x, x))
    np.testing.assert_array_equal(
        F.jvp(lambda x, y: x * 2, (x, x), (x, x), allow_unused=True)[1], 2 * x)


# ----------------------------------------------------------------------------- custom Functions


def test_custom_function_hessian_and_jvp():
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(F.hessian(lambda x: Cube.apply(x) @ ag.Tensor(np.ones(3)))(x),
                               np.diag(6 * x), rtol=1e-14)
    np.testing.assert_allclose(F.jvp(Cube.apply, x, np.ones(3))[1], 3 * x ** 2, rtol=1e-14)
    # np.asarray on the saved input: first derivatives and jvp (linear in grad_output) are
    # right; the Hessian would be silently zero, so it raises, naming the Function
    np.testing.assert_allclose(F.jvp(NumpyCube.apply, x, np.ones(3))[1], 3 * x ** 2)
    with pytest.raises(RuntimeError, match=r"hessian: .*NumpyCube\.backward left the graph.*"
                                           r"must use Tensor operations"):
        F.hessian(lambda x: NumpyCube.apply(x) @ ag.Tensor(np.ones(3)))(x)


# ----------------------------------------------------------------------------- errors
def test_errors_name_the_function_argument_and_shapes():
    x = np.ones(3)
    with pytest.raises(ValueError, match=r"vjp: v has shape \(2,\) but the output of tanh has "
                                         r"shape \(3,\)"):
        F.vjp(ag.tanh, x, np.ones(2))
    with pytest.raises(ValueError, match=r"vjp: v can be left out only when every output of "
                                         r"tanh has one element, but output 0 has shape \(3,\)"):
        F.vjp(ag.tanh, x)
    with pytest.raises(ValueError, match=r"jvp: tangents has shape \(2, 3\) but input 0 has "
                                         r"shape \(3,\)"):
        F.jvp(ag.tanh, x, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"jvp: inputs is a tuple of 2, so tangents must be a "
                                         r"tuple of 2 too"):
        F.jvp(lambda a, b: a * b, (x, x), x)
    with pytest.raises(ValueError, match=r"hvp: v\[1\] has shape \(2,\) but input 1 has shape "
                                         r"\(3,\)"):
        F.hvp(lambda a, b: (a * b).sum(), (x, x), (x, np.ones(2)))
    with pytest.raises(ValueError, match=r"hessian: .* must return a one-element output .* "
                                         r"returned shape \(3,\)"):
        F.hessian(ag.tanh)(x)
    with pytest.raises(TypeError, match=r"jacobian: argument 0 is a Tensor of dtype int64; "
                                        r"only floating inputs"):
        F.jacobian(ag.tanh)(ag.Tensor(np.arange(3)))
    with pytest.raises(TypeError, match=r"vjp: input 0 is a Tensor of dtype int64"):
        F.vjp(ag.tanh, ag.Tensor(np.arange(3)), x)
    with pytest.raises(ValueError, match=r"vjp: .* returned 2 output\(s\) but v has 1"):
        F.vjp(lambda a: (a, a), x, (x,))


# ----------------------------------------------------------------------------- a small MLP
def _mlp_problem():
    """A 2-4-3 MLP (tanh hidden layer, softmax cross-entropy via log_softmax) on 6 points: 27
    parameters, flattened into one vector θ = [W1, b1, W2, b2]."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((6, 2))
    T = np.eye(3)[rng.integers(0, 3, 6)]
    shapes = [(2, 4), (4,), (4, 3), (3,)]
    sizes = [int(np.prod(s)) for s in shapes]
    bounds = np.cumsum([0] + sizes)

    def loss(theta):
        W1, b1, W2, b2 = (theta[a:b].reshape(s) for a, b, s in
                          zip(bounds[:-1], bounds[1:], shapes))
        h = ag.tanh(ag.Tensor(X) @ W1 + b1)
        logp = ag.log_softmax(h @ W2 + b2)
        return -(ag.Tensor(T) * logp).sum() / len(X)

    return loss, rng.standard_normal(bounds[-1]) * 0.7


def test_mlp_hessian_symmetric_and_matches_finite_differences_of_gradient():
    loss, theta = _mlp_problem()
    assert theta.size == 27
    H = F.hessian(loss)(theta)
    assert H.shape == (27, 27)
    np.testing.assert_allclose(H, H.T, atol=1e-12)
    g = F.grad(loss)
    eps = 1e-5
    fd = np.stack([(g(theta + eps * e) - g(theta - eps * e)) / (2 * eps) for e in np.eye(27)],
                  axis=1)
    np.testing.assert_allclose(H, fd, atol=1e-7)
    assert np.abs(H).max() > 0.01          # a real Hessian, not a zero one
    v = np.random.default_rng(8).standard_normal(27)
    np.testing.assert_allclose(F.hvp(loss, theta, v)[1], H @ v, atol=1e-12)


def test_mlp_jvp_of_gradient_is_hessian_vector_product():
    """Forward-over-reverse: the jvp of ∇f (a third-order record) equals the hvp."""
    loss, theta = _mlp_problem()
    v = np.random.default_rng(8).standard_normal(27)
    np.testing.assert_allclose(F.jvp(F.grad(loss), theta, v)[1], F.hvp(loss, theta, v)[1],
                               atol=1e-12)
