"""vmap (autograd/vmap.py): batching rules per op family, against the Python loop to 1e-12 in
float64; per-example gradients (vmap of grad) of the digits MLP and of each op family;
nn.functional_call."""
import warnings

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import functional as F
from autograd.vmap import BatchedTensor, BatchingRuleWarning, vmap

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 3))
Y = RNG.normal(size=(5, 3))
W = RNG.normal(size=(3, 4))
M = RNG.normal(size=(5, 3, 3)) + 3 * np.eye(3)
LABELS = np.array([0, 2, 1, 1, 0])


def _np(x):
    return x.numpy() if isinstance(x, ag.Tensor) else np.asarray(x)


def loop(f, *args, in_axes=0):
    """The reference: f on each example, stacked (out axis 0)."""
    axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
    n = next(np.shape(a)[ax] for a, ax in zip(args, axes) if ax is not None)
    outs = [f(*[a if ax is None else np.take(a, b, axis=ax) for a, ax in zip(args, axes)])
            for b in range(n)]
    if isinstance(outs[0], tuple):
        return tuple(np.stack([_np(o[k]) for o in outs]) for k in range(len(outs[0])))
    return np.stack([_np(o) for o in outs])


def close(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            close(g, w)
        return
    got = _np(got)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


# ----------------------------------------------------------------------------- op families
FAMILIES = {
    # elementwise, broadcasting against unbatched operands
    "add_mul": lambda x: x * 2.0 + x * x - 1.0,
    "ufuncs": lambda x: ag.tanh(x) + ag.exp(-x * x) + ag.sin(x) * ag.sigmoid(x),
    "broadcast_unbatched": lambda x: x * ag.Tensor(W.T) + ag.Tensor(np.arange(3.0)),
    "np_ufunc": lambda x: np.exp(x) - np.tanh(x) ** 2,
    "where": lambda x: ag.where(x > 0, x, 0.5 * x),
    "power_abs_clip": lambda x: ag.abs(x) ** 1.5 + ag.clip(x, -0.5, 0.5),
    "maximum": lambda x: ag.maximum(x, 0.1) + ag.relu(x),
    # reductions and axis ops
    "sum": lambda x: x.sum(),
    "np_sum": lambda x: np.sum(x * x),
    "mean_axis": lambda x: (x.reshape(3, 1) * x).mean(axis=0),
    "max_keepdims": lambda x: x.max(axis=-1, keepdims=True),
    "logsumexp": lambda x: ag.logsumexp(x),
    "softmax": lambda x: ag.softmax(x) * ag.log_softmax(x),
    "cumsum": lambda x: ag.cumsum(x, axis=0),
    "var_std": lambda x: ag.var(x) + ag.std(x),
    "prod": lambda x: ag.prod(x),
    # shape and indexing
    "reshape_T": lambda x: (x.reshape(3, 1) @ x.reshape(1, 3)).T,
    "transpose_axes": lambda x: ag.transpose(ag.stack([x, 2 * x]), (1, 0)),
    "broadcast_to": lambda x: ag.broadcast_to(x, (2, 3)),
    "concatenate": lambda x: ag.concatenate([x, ag.Tensor(W[:, 0])]),
    "stack": lambda x: ag.stack([x, ag.Tensor(W[:, 1])], axis=1),
    "slice": lambda x: x[1:] * x[0],
    "fancy_index": lambda x: x[[2, 0, 2]],
    "index_2d": lambda x: ag.outer(x, x)[[0, 2], 1:],
    "ellipsis_newaxis": lambda x: ag.outer(x, x)[..., None, 0],
    "flip_roll": lambda x: ag.flip(x) + ag.roll(x, 1),
    "tile_repeat": lambda x: ag.tile(x, 2) + ag.repeat(x, 2),
    "expand_squeeze": lambda x: ag.squeeze(ag.expand_dims(x, 0), 0),
    "moveaxis": lambda x: ag.moveaxis(ag.outer(x, ag.Tensor(W[0])), 0, 1),
    "pad": lambda x: ag.pad(x, 1),
    "diagonal": lambda x: ag.diagonal(ag.outer(x, x)) + ag.trace(ag.outer(x, x)),
    "split": lambda x: ag.split(x, 3)[1],
    # products
    "matmul_vec_mat": lambda x: x @ ag.Tensor(W),
    "matmul_mat_vec": lambda x: ag.Tensor(W.T) @ x,
    "matmul_vec_vec": lambda x: x @ x,
    "matmul_mat_mat": lambda x: ag.outer(x, x) @ ag.Tensor(W),
    "einsum": lambda x: ag.einsum("i,j->ij", x, x),
    "einsum_unbatched": lambda x: ag.einsum("ij,i->j", ag.Tensor(W), x),
    "dot_inner_tensordot": lambda x: ag.dot(x, ag.Tensor(W)) + ag.inner(x, x)
    + ag.tensordot(x, ag.Tensor(W), 1),
    # linalg
    "norm": lambda x: ag.linalg.norm(x),
    "norm_matrix": lambda x: ag.linalg.norm(ag.outer(x, x) + ag.Tensor(np.eye(3)), "fro"),
    "solve_unbatched_matrix": lambda x: ag.linalg.solve(ag.Tensor(M[0]), x),
}


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_op_family_matches_the_loop(name):
    f = FAMILIES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error", BatchingRuleWarning)     # every family has its rule
        got = vmap(f)(X)
    close(got, loop(f, X))


@pytest.mark.parametrize("name, f", [
    ("solve", lambda a, b: ag.linalg.solve(a, b)),
    ("inv_det", lambda a, b: ag.linalg.inv(a) * ag.linalg.det(a)),
    ("cholesky", lambda a, b: ag.linalg.cholesky(a @ ag.transpose(a))),
    ("matmul_both", lambda a, b: a @ b),
    ("slogdet_norm", lambda a, b: ag.linalg.slogdet(a)[1] + ag.linalg.norm(b, 1)),
])
def test_linalg_on_batches_of_matrices(name, f):
    with warnings.catch_warnings():
        warnings.simplefilter("error", BatchingRuleWarning)
        close(vmap(f)(M, X), loop(f, M, X))


def test_in_axes_and_out_axes():
    f = lambda x, w: ag.tanh(x @ w)     # noqa: E731
    close(vmap(f, in_axes=(0, None))(X, W), loop(f, X, W, in_axes=(0, None)))
    close(vmap(f, in_axes=(1, None))(X.T, W), loop(f, X, W, in_axes=(0, None)))
    close(vmap(f, in_axes=(-1, None))(X.T, W), loop(f, X, W, in_axes=(0, None)))
    out = vmap(f, in_axes=(0, None), out_axes=1)(X, W)
    close(out, loop(f, X, W, in_axes=(0, None)).T)
    two = vmap(lambda x: (x.sum(), x * 2), out_axes=(0, 1))(X)
    close(two, (X.sum(axis=1), 2 * X.T))
    # an unmapped output is repeated along the batch
    close(vmap(lambda x: ag.Tensor(W[0]))(X), np.stack([W[0]] * 5))


def test_structured_arguments_and_outputs():
    params = {"w": W, "b": np.arange(4.0)}
    f = lambda p, xy: {"out": xy[0] @ p["w"] + p["b"], "s": (xy[1] * xy[0]).sum()}  # noqa
    got = vmap(f, in_axes=(None, 0))(params, (X, Y))
    close(got["out"], X @ W + np.arange(4.0))
    close(got["s"], (X * Y).sum(axis=1))
    # one axis for every leaf of a tuple argument, or a matching structure
    got = vmap(lambda xy: xy[0] - xy[1], in_axes=((0, 1),))((X, Y.T))
    close(got, X - Y)


def test_tensors_in_tensors_out_linked_to_the_graph():
    x = ag.tensor(X, requires_grad=True)
    out = vmap(lambda r: (r * r).sum())(x)
    assert isinstance(out, ag.Tensor) and out.shape == (5,)
    out.sum().backward()
    close(x.grad, 2 * X)


def test_arrays_out_do_not_share_memory_with_arrays_in():
    out = vmap(lambda x: x)(X)
    assert not np.shares_memory(out, X)
    close(out, X)


def test_nested_vmap_is_the_double_loop():
    f = lambda x, y: (x * y).sum() + x.max()   # noqa: E731
    got = vmap(vmap(f, in_axes=(None, 0)), in_axes=(0, None))(X, Y)
    want = np.array([[f(ag.Tensor(a), ag.Tensor(b)).item() for b in Y] for a in X])
    close(got, want)


# ----------------------------------------------------------------------------- errors
def test_sizes_that_differ_raise_naming_them():
    with pytest.raises(ValueError, match=r"argument 0 has size 5 along axis 0, argument 1 "
                                         r"has size 4 along axis 0"):
        vmap(lambda a, b: a + b)(X, np.ones((4, 3)))


def test_in_axes_out_of_range_raises_naming_the_argument():
    with pytest.raises(ValueError, match=r"in_axes 2 is out of range for argument 1, of shape "
                                         r"\(5, 3\)"):
        vmap(lambda a, b: a + b, in_axes=(0, 2))(X, X)


@pytest.mark.parametrize("in_axes, args, message", [
    (None, (X,), "maps no argument"),
    ((0,), (X, X), "in_axes has 1 entries but"),
    ((0, (0, 0)), (X, (X,)), r"in_axes for argument 1 is a tuple of 2"),
    ("0", (X,), "in_axes must be"),
])
def test_bad_in_axes(in_axes, args, message):
    with pytest.raises((ValueError, TypeError), match=message):
        vmap(lambda *a: a[0], in_axes=in_axes)(*args)


def test_reading_a_batched_tensor_as_an_array_raises():
    with pytest.raises(TypeError, match="vmap: this operation needs the values of a batched"):
        vmap(lambda x: float(x.sum()))(X)
    with pytest.raises(TypeError, match="vmap"):
        vmap(lambda x: np.asarray(x))(X)


def test_batched_tensor_shows_one_example():
    seen = {}

    def f(x):
        seen["type"], seen["shape"], seen["len"] = type(x), x.shape, len(x)
        seen["np"] = np.shape(x), np.ndim(x)
        return x
    vmap(f)(X)
    assert seen == {"type": BatchedTensor, "shape": (3,), "len": 3, "np": ((3,), 1)}


# ----------------------------------------------------------------------------- fallback
class Cube(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x * x * g


def test_an_op_without_rule_loops_with_one_warning():
    f = lambda x: Cube.apply(x).sum()   # noqa: E731
    from autograd import vmap as vmap_module
    vmap_module._warned.discard("Cube")
    with pytest.warns(BatchingRuleWarning, match="Cube has no batching rule"):
        got = vmap(f)(X)
    close(got, (X ** 3).sum(axis=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # once per op
        close(vmap(F.grad(f))(X), 3 * X ** 2)


# ----------------------------------------------------------------------------- gradients
def test_grad_inside_vmap_of_a_mapped_argument():
    close(vmap(F.grad(lambda x: (x ** 3).sum()))(X), 3 * X ** 2)
    close(vmap(F.grad(ag.tanh))(X.ravel()), 1 - np.tanh(X.ravel()) ** 2)


def test_second_derivative_inside_vmap():
    d2 = vmap(F.grad(F.grad(lambda x: x ** 4)))(X.ravel())
    close(d2, 12 * X.ravel() ** 2)


def test_grad_through_vmap():
    g = F.grad(lambda w: vmap(lambda x, w: ag.tanh(x @ w).sum(), in_axes=(0, None))(X, w).sum())
    want = F.grad(lambda w: ag.tanh(ag.Tensor(X) @ w).sum())(W)
    close(g(W), want)


PER_EXAMPLE = {
    "elementwise": lambda w, x: (ag.tanh(w * x) * ag.exp(w) + w / (1 + x * x)).sum(),
    "reductions": lambda w, x: ag.logsumexp(w * x) + (w * x).max() + ag.mean(w + x) ** 2,
    "shape_indexing": lambda w, x: ((w.reshape(3, 1) * x)[1:, [0, 2]] ** 2).sum()
    + ag.concatenate([w, x])[2:].sum() ** 2,
    "matmul_einsum": lambda w, x: (ag.tanh(ag.outer(x, w) @ w) ** 2).sum()
    + ag.einsum("i,i->", w, x) ** 2,
    "linalg": lambda w, x: ag.linalg.norm(ag.linalg.solve(ag.Tensor(M[0]) + ag.outer(w, w),
                                                          x)),
}


@pytest.mark.parametrize("name", sorted(PER_EXAMPLE))
def test_per_example_gradients_per_op_family(name):
    loss = PER_EXAMPLE[name]
    w = RNG.normal(size=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BatchingRuleWarning)
        got = vmap(F.grad(loss), in_axes=(None, 0))(w, X)
    want = np.stack([F.grad(loss)(w, x) for x in X])
    close(got, want)


def _digits(n=64):
    from sklearn.datasets import load_digits
    d = load_digits()
    return d.data[:n] / 16.0, d.target[:n]


def _mlp_params(seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(64, 32)) * 0.2, rng.normal(size=32) * 0.1,
            rng.normal(size=(32, 10)) * 0.2, rng.normal(size=10) * 0.1)


def mlp_loss(params, x, t):
    """One example's cross-entropy, written with ag ops."""
    w1, b1, w2, b2 = params
    z = ag.relu(ag.tanh(x @ w1 + b1)) @ w2 + b2
    return -ag.log_softmax(z)[t]


def test_per_example_gradients_of_the_digits_mlp():
    Xd, yd = _digits()
    params = _mlp_params()
    g = F.grad(mlp_loss)
    got = vmap(g, in_axes=(None, 0, 0))(params, Xd, yd)
    want = [g(params, x, t) for x, t in zip(Xd, yd)]
    assert isinstance(got, tuple) and len(got) == 4
    for k in range(4):
        close(got[k], np.stack([w[k] for w in want]))
    # their mean is the gradient of the mean loss
    mean = F.grad(lambda p: sum(mlp_loss(p, x, t) for x, t in zip(Xd[:8], yd[:8])) / 8)(params)
    for k in range(4):
        np.testing.assert_allclose(got[k][:8].mean(axis=0), mean[k], rtol=0, atol=1e-12)


def test_per_example_gradients_with_functional_call_and_cross_entropy():
    Xd, yd = _digits(16)
    model = nn.Sequential(nn.Linear(64, 32, rng=0), nn.Tanh(), nn.Linear(32, 10, rng=1))
    params = {k: p.numpy().copy() for k, p in model.named_parameters()}

    def loss(p, x, t):
        return nn.functional.cross_entropy(nn.functional_call(model, p, x[None]), t[None])
    g = F.grad(loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BatchingRuleWarning)
        got = vmap(g, in_axes=(None, 0, 0))(params, Xd, yd)
    want = [g(params, x, t) for x, t in zip(Xd, yd)]
    assert set(got) == set(params)
    for k in params:
        close(got[k], np.stack([w[k] for w in want]))


def test_value_and_grad_inside_vmap():
    w = RNG.normal(size=3)
    loss = lambda w, x: (w * x).sum() ** 2    # noqa: E731
    value, grad = vmap(F.value_and_grad(loss), in_axes=(None, 0))(w, X)
    close(value, (X @ w) ** 2)
    close(grad, 2 * (X @ w)[:, None] * X)


# ----------------------------------------------------------------------------- functional_call
def test_functional_call_swaps_and_restores():
    model = nn.Sequential(nn.Linear(2, 2, rng=0), nn.ReLU(), nn.Linear(2, 1, rng=1))
    own = dict(model.named_parameters())
    new = {"0.weight": np.eye(2), "0.bias": np.zeros(2), "2.weight": np.ones((2, 1)),
           "2.bias": np.array([1.0])}
    x = np.array([[1.0, -2.0]])
    close(nn.functional_call(model, new, x), np.array([[2.0]]))
    assert dict(model.named_parameters()) == own        # the same objects, back in place
    with pytest.raises(KeyError, match="has no parameter named '3.weight'"):
        nn.functional_call(model, {"3.weight": np.eye(2)}, x)
    with pytest.raises(ValueError):
        nn.functional_call(model, new, np.ones((1, 5)))  # the call raises: still restored
    assert dict(model.named_parameters()) == own


def test_functional_call_with_grad_of_a_dict():
    model = nn.Linear(3, 2, rng=0)
    params = {k: p.numpy().copy() for k, p in model.named_parameters()}
    g = F.grad(lambda p, x: (nn.functional_call(model, p, x) ** 2).sum())(params, X)
    out = X @ params["weight"] + params["bias"]
    close(g["weight"], X.T @ (2 * out))
    close(g["bias"], (2 * out).sum(axis=0))


# ----------------------------------------------------------------------------- the docs page
def test_the_per_example_page_runs(capsys):
    """docs/per-example.md's python blocks, run in order in one namespace; they assert their
    own results (against the loop, to 1e-12)."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parent.parent
    text = (root / "docs" / "per-example.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 4
    namespace = {"__name__": "per_example_md"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for block in blocks:
            exec(compile(block, "docs/per-example.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "[(1797, 64, 32), (1797, 32), (1797, 32, 10), (1797, 10)]" in out
    assert "largest gradient norms" in out and "after 20 DP-SGD steps" in out
