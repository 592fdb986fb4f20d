"""numpy's vocabulary as a whole (issue 25): every name of the contract is a function of ``ag``,
reached through numpy on a Tensor and as a Tensor method where ``np.ndarray`` has one, covered by
the op sweep (gradcheck, float32, gradgradcheck), and listed on the generated docs page; a
numpy function the library lacks refuses a Tensor by name. The families' own tests
(``tests/test_ops_<family>.py``) check values and gradients name by name.
"""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
from autograd import binding
import op_cases

ROOT = Path(__file__).resolve().parent.parent

# The contract's section "numpy's vocabulary, differentiable", but for ag.linalg, ag.special and
# nn (the next issue).
CONTRACT = """
sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh log1p expm1 log2 log10 exp2
square reciprocal cbrt sign floor ceil trunc rint round deg2rad rad2deg sinc negative positive
arctan2 hypot logaddexp logaddexp2 fmax fmin mod remainder fmod floor_divide
prod cumprod var std cumsum diff average amax amin argmax argmin argsort sort
ravel flatten squeeze expand_dims moveaxis flip roll repeat tile split array_split pad take
take_along_axis diagonal diag trace triu tril atleast_1d atleast_2d hstack vstack
dot inner outer vdot tensordot einsum kron cross
""".split()
NO_GRADIENT = binding.INTEGER_RESULTS
# names whose sweep cases are named otherwise
CASE_NAMES = {"negative": "neg", "remainder": "mod", "mT": "mT"}


@pytest.mark.parametrize("name", CONTRACT)
def test_every_name_is_a_function_of_ag_and_reached_through_numpy(name):
    fn = getattr(ag, name)
    assert callable(fn)
    np_fn = getattr(np, name, None)
    if np_fn is None:                   # flatten: only ndarray's method
        assert name == "flatten"
        return
    table = binding.UFUNCS if isinstance(np_fn, np.ufunc) else binding.FUNCTIONS
    impl = table[np_fn]
    # np.mod is np.remainder: one ufunc, ag.remainder's
    assert impl in (fn, getattr(ag, np_fn.__name__, None)) or (
        isinstance(impl, type) and fn.__name__.lower() in (impl.__name__.lower(), "negative"))


@pytest.mark.parametrize("name", [n for n in CONTRACT if hasattr(np.ndarray, n) and n != "sort"])
def test_a_method_wherever_ndarray_has_one(name):
    """``t.<name>(...)`` is ``ag.<name>(t, ...)`` (not ``sort``: ndarray's sorts in place)."""
    t = ag.tensor([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]], requires_grad=True)
    args = {"repeat": (2,), "take": ([0, 2],), "round": (1,), "dot": (np.ones(3),)}.get(name, ())
    got = getattr(t, name)(*args)
    want = getattr(t.numpy(), name)(*args)
    assert isinstance(got, ag.Tensor)
    np.testing.assert_array_equal(got.numpy(), want)
    assert got.dtype == want.dtype


def test_sort_is_no_method_and_mT_is_a_property():
    t = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert not hasattr(ag.Tensor, "sort")
    assert t.mT.shape == (3, 2) and t.mT.grad_fn is not None
    np.testing.assert_array_equal(t.mT.numpy(), t.numpy().mT)


@pytest.mark.parametrize("name", [n for n in CONTRACT if n not in NO_GRADIENT] + ["mT"])
def test_every_differentiable_name_is_in_the_op_sweep(name):
    """The op sweep runs gradcheck, the float32 pass and gradgradcheck on each case: each name
    has at least one."""
    stem = CASE_NAMES.get(name, name)
    cases = [c.name for c in op_cases.CASES if c.name == stem or
             c.name.startswith((f"{stem}-", f"{stem}["))]
    assert cases, f"no case of {name} in the op sweep"


@pytest.mark.parametrize("call,name", [
    (lambda t: np.median(t), "median"),
    (lambda t: np.percentile(t, 50), "percentile"),
    (lambda t: np.unique(t), "unique"),
    (lambda t: np.interp(0.5, [0.0, 1.0], t), "interp"),
    (lambda t: np.linalg.qr(t), "linalg.qr"),
    (lambda t: np.fft.fft(t), "fft"),
    (lambda t: np.spacing(t), "spacing"),
    (lambda t: np.add.reduce(t), "add.reduce"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_a_numpy_function_the_library_lacks_refuses_a_tensor_by_name(call, name):
    t = ag.tensor(np.eye(2), requires_grad=True)
    with pytest.raises(TypeError, match=rf"numpy's {name} is not differentiated by autograd.*"
                                        r"np\.asarray\(tensor\)"):
        call(t)


def test_numpy_arguments_the_library_does_not_take_are_refused_by_name():
    t = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"np\.sum on a Tensor runs autograd's sum.*'out'"):
        np.sum(t, out=np.zeros(()))
    with pytest.raises(TypeError, match=r"cumsum.*out"):
        np.cumsum(t, out=np.zeros(2))


@pytest.mark.parametrize("call", [np.shape, np.ndim, np.size, lambda t: np.allclose(t, t),
                                  lambda t: np.count_nonzero(t), lambda t: np.any(t > 1)],
                         ids=["shape", "ndim", "size", "allclose", "count_nonzero", "any"])
def test_functions_whose_results_carry_no_gradient_run_on_the_arrays(call):
    t = ag.tensor([[1.0, 0.0, 3.0]], requires_grad=True)
    got = call(t)
    assert not isinstance(got, ag.Tensor)
    assert got == call(t.numpy())


def test_the_chapter_functions_are_reached_through_numpy_too():
    """np.sum, np.mean, np.max and np.min used to fail with a message about ``out``; np.where,
    np.clip, np.reshape, np.concatenate returned plain arrays."""
    t = ag.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
    outs = [np.sum(t), np.mean(t, axis=0), np.max(t), np.min(t, axis=1, keepdims=True),
            np.where(t > 0, t, 0.0), np.clip(t, -1.0, 1.0), np.reshape(t, (4,)),
            np.concatenate([t, t]), np.stack([t, t]), np.transpose(t), np.squeeze(t[None])]
    for out in outs:
        assert isinstance(out, ag.Tensor) and out.grad_fn is not None
    total = sum(o.sum() for o in outs)
    total.backward()
    assert t.grad.shape == t.shape and np.isfinite(t.grad.numpy()).all()


def _page_module():
    spec = importlib.util.spec_from_file_location("vocabulary", ROOT / "docs" / "vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_page_lists_every_bound_name():
    rows = _page_module().rows()
    listed = {r[0] for r in rows}
    assert set(CONTRACT) <= listed, sorted(set(CONTRACT) - listed)
    for np_fn, impl in {**binding.FUNCTIONS, **binding.UFUNCS}.items():
        name = _page_module().ALIASES.get(np_fn.__name__, np_fn.__name__)
        assert name in listed or not callable(getattr(ag, name, None)), name
    grads = {r[0]: r[4] for r in rows}
    assert grads["argmax"].startswith("none") and grads["floor"].startswith("0")
    assert grads["einsum"] == "first and second order"


def test_numpy_code_as_written_runs_on_tensors():
    """Calls as numpy code writes them (HIPS autograd's tests are written so): np.reshape with
    order=, np.fabs, np.full_like (a constant: a plain array is right), and the rest give
    Tensors with their gradients."""
    x = ag.tensor(np.arange(1.0, 7.0), requires_grad=True)
    y = np.reshape(x, (2, 3), order="C")
    assert isinstance(y, ag.Tensor) and y.shape == (2, 3)
    z = np.fabs(-y) * np.full_like(y, 2.0)
    assert isinstance(z, ag.Tensor) and not isinstance(np.full_like(y, 2.0), ag.Tensor)
    np.sum(z).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(6, 2.0))
    with pytest.raises(ValueError, match="reshape: only order='C' is supported"):
        np.reshape(x, (3, 2), order="F")
    np.testing.assert_array_equal(ag.reshape(x, newshape=(3, 2)).numpy(),
                                  np.arange(1.0, 7.0).reshape(3, 2))
    assert ag.reshape(x, (6,), copy=True).numpy().base is None
