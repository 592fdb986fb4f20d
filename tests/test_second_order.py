"""Second derivatives: gradgradcheck over every built-in op, custom Functions that are (and are
not) twice differentiable, and derivatives of order three."""
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd as ag
from custom_functions import Cube, NumpyCube
from autograd.gradcheck import GradcheckError, gradgradcheck
from op_cases import sweep

PARAMS, IDS = sweep()

def _seed(name):
    return zlib.crc32(name.encode())     # stable across runs, unlike hash() of a str


@pytest.mark.parametrize("case,shapes", PARAMS, ids=IDS)
def test_gradgradcheck(case, shapes):
    """Every op's backward, recorded by create_graph=True, is itself differentiated right, and
    its dependence on grad_output (the first-order Jacobian) is right too."""
    inputs = case.inputs(shapes, np.random.default_rng(_seed(case.name)))
    assert gradgradcheck(case.fn, inputs)


@pytest.mark.parametrize("case,shapes", PARAMS, ids=IDS)
def test_recorded_backward_gives_the_plain_backwards_gradient(case, shapes):
    """The first derivative that create_graph=True records equals the plain pass's, for every
    op: gradgradcheck alone would pass a recorded rule that is wrong consistently, and some
    rules branch (log_softmax takes softmax from its forward pass when plain, from ops when
    recorded)."""
    rng = np.random.default_rng(_seed(case.name))
    inputs = case.inputs(shapes, rng)
    out = case.fn(*inputs)
    v = rng.normal(size=out.shape)
    plain = ag.grad(out, inputs, grad_outputs=v, retain_graph=True)
    recorded = ag.grad(out, inputs, grad_outputs=v, create_graph=True)
    for p, r in zip(plain, recorded):
        assert p.shape == r.shape
        np.testing.assert_allclose(r.data, p.data, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- custom Functions


class HalfRecordedCube(Cube):
    """3·x·x with one factor taken out of the graph: the second derivative comes out halved."""

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x * np.asarray(x)


class SoftplusFn(ag.Function):
    """out = log(1 + eˣ); backward σ(x)·g via ag.sigmoid, which works on arrays and Tensors."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.logaddexp(0, x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * ag.sigmoid(x)


def _x(shape=(2, 3), seed=0):
    return ag.Tensor(np.random.default_rng(seed).uniform(-1.5, 1.5, shape), requires_grad=True)


@pytest.mark.parametrize("fn", [Cube.apply, SoftplusFn.apply], ids=["cube", "softplus"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_custom_function_with_operator_backward_is_twice_differentiable(fn, shape):
    assert gradgradcheck(fn, (_x(shape),))


def test_custom_function_second_derivative_matches_closed_form():
    """d²(x³)/dx² = 6x through a custom Function's recorded backward."""
    x = _x((4,))
    g, = ag.grad(Cube.apply(x).sum(), x, create_graph=True)
    h, = ag.grad(g.sum(), x)
    np.testing.assert_allclose(h.data, 6 * x.data, rtol=1e-12)


def test_backward_that_leaves_the_graph_is_caught():
    """np.asarray in backward: the first derivative is right, the second is taken as zero, and
    gradgradcheck says so and why."""
    x = _x((3,))
    assert ag.gradcheck(NumpyCube.apply, (x,))
    g, = ag.grad(NumpyCube.apply(x).sum(), x, create_graph=True)
    assert not g.requires_grad or not ag.grad(g.sum(), x, allow_unused=True)[0]

    assert gradgradcheck(NumpyCube.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(NumpyCube.apply, (x,))
    message = str(info.value)
    assert message.startswith("gradgradcheck failed for NumpyCube.apply (second-order check")
    assert "input 0 (shape (3,), float64) -> grad of input 0" in message
    assert "np.asarray" in message and "second derivative comes out as zero" in message
    failure, = info.value.failures       # the part in v (first order) is right
    assert (failure.input_index, failure.output_index) == (0, 0)
    assert not failure.analytic.any()
    # d grad_0[i] / d x[j] = v_i · 6 x_i δ_ij, with gradgradcheck's default v
    v = np.random.default_rng(0).standard_normal(3)
    np.testing.assert_allclose(failure.numerical, np.diag(6 * x.data * v), atol=1e-6)


def test_partly_recorded_backward_is_diagnosed_as_a_factor():
    x = _x((3,))
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(HalfRecordedCube.apply, (x,))
    assert "analytic = 0.5 × numerical" in str(info.value)


class SavedSigmoidSwish(ag.Function):
    """out = x·σ(x), out' = σ + xσ(1 − σ), with σ saved from forward: an intermediate, so under
    create_graph it is a constant and the second derivative misses its dependence on x."""

    @staticmethod
    def forward(ctx, x):
        s = 1 / (1 + np.exp(-x))
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * (s + x * s * (1 - s))


class Swish(SavedSigmoidSwish):
    """The same rule with σ recomputed from the saved input: twice differentiable."""

    @staticmethod
    def backward(ctx, grad_output):
        x, _ = ctx.saved_tensors
        s = ag.sigmoid(x)
        return grad_output * (s + x * s * (1 - s))


def test_saved_intermediate_is_a_constant_in_second_order():
    x = ag.Tensor(np.linspace(-2, 2, 5), requires_grad=True)
    assert ag.gradcheck(SavedSigmoidSwish.apply, (x,))
    assert gradgradcheck(Swish.apply, (x,))
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(SavedSigmoidSwish.apply, (x,))
    assert "neither an input nor the output" in str(info.value)
    failure, = info.value.failures
    # the missing part of out'' = σ'(2 + x(1 − 2σ)) is σ'·(1 + x(1 − 2σ)), contracted with v
    s = 1 / (1 + np.exp(-x.data))
    v = np.random.default_rng(0).standard_normal(5)
    missing = v * s * (1 - s) * (1 + x.data * (1 - 2 * s))
    np.testing.assert_allclose(np.diag(failure.numerical - failure.analytic), missing,
                               atol=1e-6)


def test_grad_output_taken_out_of_the_graph_shows_in_the_grad_outputs_part():
    """∂grad/∂v is the first-order Jacobian transposed; a backward that reads grad_output as a
    plain array loses it, and the report names grad_outputs[0] (v_0) as the input."""
    class RawGradCube(Cube):
        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return np.asarray(grad_output) * 3 * x * x

    x = _x((3,))
    assert ag.gradcheck(RawGradCube.apply, (x,))
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(RawGradCube.apply, (x,))
    message = str(info.value)
    assert "grad_outputs[0] (shape (3,), float64) -> grad of input 0" in message
    assert "d grad_0[" in message and "/ d v_0[" in message
    assert "turns grad_output into a plain array" in message
    failure, = info.value.failures
    assert failure.input_index == 1       # fn's one input, then grad_outputs[0]
    np.testing.assert_allclose(failure.numerical, np.diag(3 * x.data ** 2), rtol=1e-6)


def test_gradgradcheck_does_not_judge_first_derivatives():
    """As PyTorch's: a wrong but consistently recorded first derivative (2x² for x³) passes
    gradgradcheck; gradcheck is the check that catches it."""
    class WrongCube(Cube):
        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return grad_output * 2 * x * x

    x = _x((3,))
    assert gradgradcheck(WrongCube.apply, (x,))
    assert not ag.gradcheck(WrongCube.apply, (x,), raise_exception=False)


def test_gradgradcheck_grad_outputs_given_and_checked():
    x, y = _x((2, 3), 1), _x((3,), 2)
    v = np.random.default_rng(3).standard_normal((2, 3))
    assert gradgradcheck(lambda a, b: a * b, (x, y), grad_outputs=(v,))
    assert gradgradcheck(lambda a, b: a * b, (x, y), grad_outputs=ag.Tensor(v))
    with pytest.raises(ValueError, match=r"grad_outputs\[0\] has shape \(3,\) but output 0 of "
                                         r"fn has shape \(2, 3\)"):
        gradgradcheck(lambda a, b: a * b, (x, y), grad_outputs=(np.ones(3),))
    with pytest.raises(ValueError, match="got 2 grad_outputs for the 1 output"):
        gradgradcheck(lambda a, b: a * b, (x, y), grad_outputs=(v, v))


def test_gradgradcheck_several_outputs_and_an_unchecked_input():
    x, c = _x((3,)), ag.Tensor(np.array([0.5, 1.0, 2.0]))
    assert gradgradcheck(lambda a, k: (ag.exp(a) * k, ag.tanh(a)[1:] * a[0]), (x, c))


def test_gradgradcheck_needs_a_differentiable_output():
    with pytest.raises(ValueError, match="no output of fn requires grad"):
        gradgradcheck(lambda a: a.detach(), (_x(),))
    with pytest.raises(ValueError, match="no input requires grad"):
        gradgradcheck(ag.tanh, (ag.Tensor(np.ones(3)),))


def test_gradcheck_report_unchanged_by_shared_path():
    """gradcheck's report keeps its first-order wording."""
    class Flipped(Cube):
        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return -3 * grad_output * x * x

    with pytest.raises(GradcheckError) as info:
        ag.gradcheck(Flipped.apply, (_x((3,)),))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("gradcheck failed for Flipped.apply: 1 (input, output) pair(s)")
    assert lines[1].startswith("  input 0 (shape (3,), float64) -> output 0 (shape (3,), "
                               "float64): 3 of 9 entries wrong")
    assert lines[2].startswith("    worst: d out[")
    assert "sign of the gradient is flipped" in lines[3]


# ----------------------------------------------------------------------------- third order
def _d3_tanh(x):
    """D18 differentiated twice more: tanh' = 1 − t², tanh'' = −2t(1 − t²),
    tanh''' = −2(1 − t²)(1 − 3t²)."""
    t = np.tanh(x)
    return -2 * (1 - t ** 2) * (1 - 3 * t ** 2)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_third_derivative_of_tanh_D18(shape):
    x = _x(shape, 5)
    g1, = ag.grad(ag.tanh(x).sum(), x, create_graph=True)
    g2, = ag.grad(g1.sum(), x, create_graph=True)
    g3, = ag.grad(g2.sum(), x)
    np.testing.assert_allclose(g3.data, _d3_tanh(x.data), rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.floats(-4, 4))
def test_third_derivative_of_tanh_D18_anywhere(x0):
    from autograd.functional import grad
    np.testing.assert_allclose(grad(grad(grad(ag.tanh)))(x0), _d3_tanh(x0), rtol=1e-9,
                               atol=1e-12)


_THIRD = [
    ("exp", ag.exp, "real"), ("log", ag.log, "positive"), ("sqrt", ag.sqrt, "positive"),
    ("pow", lambda x: x ** 2.5, "positive"), ("div", lambda x: 1 / x, "positive"),
    ("sigmoid", ag.sigmoid, "real"), ("softplus", ag.softplus, "real"),
    ("softmax", ag.softmax, "real"), ("log_softmax", ag.log_softmax, "real"),
    ("logsumexp", lambda x: ag.logsumexp(x, axis=-1), "real"),
    ("elu", lambda x: ag.elu(x, 1.5), "negative"), ("matmul-square", lambda x: x @ x, "real"),
]

THIRD_ORDER = [pytest.param(*c, id=c[0]) for c in _THIRD]


@pytest.mark.parametrize("name,fn,dom", THIRD_ORDER)
def test_third_order_gradgradcheck(name, fn, dom):
    """Differentiating a recorded gradient once more: gradgradcheck of x -> ∂(v·f)/∂x checks
    third derivatives."""
    rng = np.random.default_rng(_seed(name))
    data = {"real": rng.uniform(-1.5, 1.5, (2, 2)), "positive": rng.uniform(0.5, 2, (2, 2)),
            "negative": rng.uniform(-2, -0.2, (2, 2))}[dom]
    x = ag.Tensor(data, requires_grad=True)
    v = ag.Tensor(rng.standard_normal(fn(x).shape))
    assert gradgradcheck(lambda a: ag.grad(fn(a), a, grad_outputs=v, create_graph=True)[0],
                         (x,))
