"""autograd/ops/linalg_decomp.py: cholesky, eigh, eigvalsh, svd, svdvals against numpy's values
and finite differences; numpy dispatch; the one-triangle convention; degenerate spectra;
full_matrices at backward; errors."""
import numpy as np
import pytest

import autograd as ag

LinAlgError = np.linalg.LinAlgError


def _rng(seed=0):
    return np.random.default_rng(seed)


def _spd(shape, seed=0):
    a = _rng(seed).uniform(-1, 1, shape)
    return a @ np.swapaxes(a, -1, -2) + 3 * np.eye(shape[-1])


def _general(shape, seed=0):
    return _rng(seed).uniform(-2, 2, shape)


def _fd(f, a, eps=1e-6):
    """Central finite differences of the scalar f at every entry of a."""
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        e = np.zeros_like(a)
        e[i] = eps
        g[i] = (f(a + e) - f(a - e)) / (2 * eps)
    return g


def _grad(fn, a):
    t = ag.tensor(a, requires_grad=True)
    fn(t).backward()
    return t.grad.data


# ----------------------------------------------------------------------------- values
SQUARE_SHAPES = [(1, 1), (3, 3), (4, 4), (2, 3, 3), (2, 1, 2, 2)]
RECT_SHAPES = [(1, 1), (3, 3), (4, 2), (2, 5), (2, 3, 4), (3, 1, 4, 3)]


@pytest.mark.parametrize("grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SQUARE_SHAPES)
@pytest.mark.parametrize("UPLO", ["L", "U", "l", "u"])
def test_eigh_eigvalsh_values_equal_numpys_on_any_input(shape, dtype, grad, UPLO):
    """Non-symmetric input: numpy reads one triangle, and so does ag."""
    a = _general(shape).astype(dtype)
    t = ag.tensor(a, requires_grad=grad)
    want_w, want_v = np.linalg.eigh(a, UPLO=UPLO)
    got = ag.linalg.eigh(t, UPLO=UPLO)
    assert type(got).__name__ == "EighResult"
    assert isinstance(got.eigenvalues, ag.Tensor) and isinstance(got.eigenvectors, ag.Tensor)
    assert got.eigenvalues.dtype == dtype == got.eigenvectors.dtype
    np.testing.assert_array_equal(got.eigenvalues.data, want_w)
    np.testing.assert_array_equal(got.eigenvectors.data, want_v)
    w = ag.linalg.eigvalsh(t, UPLO=UPLO)
    assert isinstance(w, ag.Tensor) and w.dtype == dtype
    np.testing.assert_array_equal(w.data, np.linalg.eigvalsh(a, UPLO=UPLO))


@pytest.mark.parametrize("grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SQUARE_SHAPES)
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_values_equal_numpys(shape, dtype, grad, upper):
    a = (_spd(shape) + np.triu(_general(shape), 1) * 0.1).astype(dtype)   # not symmetric
    got = ag.linalg.cholesky(ag.tensor(a, requires_grad=grad), upper=upper)
    assert isinstance(got, ag.Tensor) and got.dtype == dtype
    np.testing.assert_array_equal(got.data, np.linalg.cholesky(a, upper=upper))


@pytest.mark.parametrize("grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", RECT_SHAPES)
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_values_equal_numpys(shape, dtype, grad, full_matrices):
    a = _general(shape).astype(dtype)
    t = ag.tensor(a, requires_grad=grad)
    got = ag.linalg.svd(t, full_matrices=full_matrices)
    assert type(got).__name__ == "SVDResult"
    for g, w in zip(got, np.linalg.svd(a, full_matrices=full_matrices)):
        assert isinstance(g, ag.Tensor) and g.dtype == dtype
        np.testing.assert_array_equal(g.data, w)
    np.testing.assert_array_equal(got.U.data, np.linalg.svd(a, full_matrices)[0])
    # values only: numpy's compute_uv=False result, which may differ from S above in the last
    # bit (another LAPACK path), with and without a gradient recorded
    s = ag.linalg.svd(t, full_matrices=full_matrices, compute_uv=False)
    assert isinstance(s, ag.Tensor) and s.dtype == dtype
    np.testing.assert_array_equal(s.data, np.linalg.svd(a, compute_uv=False))
    np.testing.assert_array_equal(ag.linalg.svdvals(t).data, np.linalg.svdvals(a))


@pytest.mark.parametrize("grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_svd_hermitian_values_equal_numpys(shape, grad):
    a = _general(shape)          # not symmetric: numpy's eigh path reads the lower triangle
    t = ag.tensor(a, requires_grad=grad)
    for g, w in zip(ag.linalg.svd(t, hermitian=True), np.linalg.svd(a, hermitian=True)):
        np.testing.assert_array_equal(g.data, w)
    np.testing.assert_array_equal(ag.linalg.svd(t, compute_uv=False, hermitian=True).data,
                                  np.linalg.svd(a, compute_uv=False, hermitian=True))


def test_integer_input_gives_numpys_float64():
    a = np.array([[4, 2], [2, 5]])
    for name in ("cholesky", "eigvalsh", "svdvals"):
        got = getattr(ag.linalg, name)(ag.tensor(a))
        want = getattr(np.linalg, name)(a)
        assert got.dtype == want.dtype == np.float64
        np.testing.assert_array_equal(got.data, want)
    w, v = ag.linalg.eigh(a)
    np.testing.assert_array_equal(w.data, np.linalg.eigh(a)[0])
    s = ag.linalg.svd(a, compute_uv=False)
    np.testing.assert_array_equal(s.data, np.linalg.svd(a, compute_uv=False))


def test_empty_batch_values():
    a = np.zeros((0, 3, 3))
    assert ag.linalg.eigvalsh(a).shape == (0, 3)
    assert ag.linalg.cholesky(a).shape == (0, 3, 3)
    assert [x.shape for x in ag.linalg.svd(a)] == [(0, 3, 3), (0, 3), (0, 3, 3)]


def test_unpacking_and_field_names_like_numpys():
    a = _spd((3, 3))
    w, v = ag.linalg.eigh(a)
    r = ag.linalg.eigh(a)
    np.testing.assert_array_equal(r.eigenvalues.data, w.data)
    np.testing.assert_array_equal(r[1].data, v.data)
    u, s, vh = ag.linalg.svd(a)
    r = ag.linalg.svd(a)
    assert (r.U.data == u.data).all() and (r.S.data == s.data).all()
    assert (r.Vh.data == vh.data).all()


# ----------------------------------------------------------------------------- dispatch
def test_numpy_dispatch_returns_tensors_with_gradients():
    a = _spd((3, 3), 1)
    t = ag.tensor(a, requires_grad=True)
    w, v = np.linalg.eigh(t)
    assert isinstance(w, ag.Tensor) and isinstance(v, ag.Tensor)
    (w * np.array([1.0, 2.0, 3.0])).sum().backward()
    want = _fd(lambda x: np.linalg.eigh(x)[0] @ np.array([1.0, 2.0, 3.0]), a)
    np.testing.assert_allclose(t.grad.data, want, atol=1e-7)

    for name, fn in [("eigvalsh", lambda x: (np.linalg.eigvalsh(x) ** 2).sum()),
                     ("cholesky", lambda x: (np.linalg.cholesky(x) ** 2).sum()),
                     ("svdvals", lambda x: (np.linalg.svdvals(x) ** 3).sum()),
                     ("svd-s", lambda x: np.linalg.svd(x, compute_uv=False).sum()),
                     ("svd-polar", lambda x: (lambda r: (r[0] @ r[2]).sum())(
                         np.linalg.svd(x)))]:
        t = ag.tensor(a, requires_grad=True)
        out = fn(t)
        assert isinstance(out, ag.Tensor), name
        out.backward()
        np.testing.assert_allclose(t.grad.data, _fd(fn, a), atol=1e-7, err_msg=name)


def test_numpy_dispatch_of_svd_returns_svdresult():
    t = ag.tensor(_general((2, 3)), requires_grad=True)
    r = np.linalg.svd(t, full_matrices=False)
    assert type(r).__name__ == "SVDResult" and isinstance(r.Vh, ag.Tensor)
    assert r.U.shape == (2, 2) and r.Vh.shape == (2, 3)


# ----------------------------------------------------------------------------- gradients
def _lower_sym(a):
    return np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2)


def _upper_sym(a):
    return np.triu(a) + np.swapaxes(np.triu(a, 1), -1, -2)


_W = _rng(13).normal(size=(3, 3))    # weights: Σ v² W is not constant (unlike a W of rank 2)
TRIANGLE_LOSSES = [
    ("eigvalsh", lambda x, uplo: ag.linalg.eigvalsh(x, UPLO=uplo) @ np.array([1.0, -2.0, 0.5]),
     lambda x, uplo: np.linalg.eigvalsh(x, UPLO=uplo) @ np.array([1.0, -2.0, 0.5])),
    ("eigh-vectors", lambda x, uplo: (ag.linalg.eigh(x, UPLO=uplo)[1] ** 2 * _W).sum(),
     lambda x, uplo: (np.linalg.eigh(x, UPLO=uplo)[1] ** 2 * _W).sum()),
    ("cholesky", lambda x, uplo: (ag.linalg.cholesky(x, upper=uplo == "U") ** 3).sum(),
     lambda x, uplo: (np.linalg.cholesky(x, upper=uplo == "U") ** 3).sum()),
]


@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("name,loss,np_loss", TRIANGLE_LOSSES,
                         ids=[c[0] for c in TRIANGLE_LOSSES])
def test_gradient_lands_in_the_triangle_read(name, loss, np_loss, uplo):
    """Non-symmetric input: the gradient is that of the function numpy computes (finite
    differences of numpy's), so the strict triangle not read gets exactly 0."""
    base = _spd((3, 3), 2) + np.diag([0.0, 1.5, 4.0])
    a = base + _rng(3).uniform(-0.3, 0.3, (3, 3))
    g = _grad(lambda t: loss(t, uplo), a)
    np.testing.assert_allclose(g, _fd(lambda x: np_loss(x, uplo), a), atol=1e-7)
    unread = np.triu(g, 1) if uplo == "L" else np.tril(g, -1)
    assert (unread == 0).all() and (g != 0).sum() == 6
    # the same as the symmetric function's gradient G moved into the triangle:
    # tril(G + Gᵀ) − diag(G)
    sym = _lower_sym(a) if uplo == "L" else _upper_sym(a)
    gs = _grad(lambda t: loss((t + t.mT) * 0.5, uplo), sym)
    moved = (np.tril if uplo == "L" else np.triu)(gs + gs.T) - np.diag(np.diag(gs))
    np.testing.assert_allclose(g, moved, atol=1e-10)


def test_symmetrized_input_gives_a_symmetric_gradient():
    """The documented recipe: eigh((a + a.mT) / 2) has a symmetric gradient."""
    a = _general((3, 3), 4)
    g = _grad(lambda t: ag.linalg.eigvalsh((t + t.mT) / 2) @ np.array([1.0, 2.0, 5.0]), a)
    np.testing.assert_allclose(g, g.T, atol=1e-12)
    want = _fd(lambda x: np.linalg.eigvalsh((x + x.T) / 2) @ np.array([1.0, 2.0, 5.0]), a)
    np.testing.assert_allclose(g, want, atol=1e-7)


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2)])
def test_svd_gradients_match_finite_differences(shape):
    a = _general(shape, 5)
    w = _rng(6).normal(size=shape)

    def loss(svd):
        def f(x):
            u, s, vh = svd(x, full_matrices=False)
            return ((u * s[..., None, :]) @ (vh * 2.0) * w).sum() + (u ** 2).sum(-1)[..., 0]\
                .sum() + (vh ** 4).sum() + (s ** 3).sum()
        return f

    g = _grad(loss(ag.linalg.svd), a)
    np.testing.assert_allclose(g, _fd(loss(np.linalg.svd), a), atol=1e-6)


def _hermitian_loss(mod, x):
    u, s, vh = mod.svd(x, hermitian=True)
    return (s * np.array([1.0, 3.0, -1.0])).sum() + (u @ vh * np.arange(9.0).reshape(3, 3)).sum()


def test_svd_hermitian_gradient_in_the_lower_triangle():
    """numpy's hermitian path is eigh's: it reads the lower triangle, and the gradient (of
    singular values and of the sign-free u @ vh) lands there."""
    a = np.diag([1.0, -2.0, 4.0]) + _rng(7).uniform(-0.2, 0.2, (3, 3))
    g = _grad(lambda t: _hermitian_loss(ag.linalg, t), a)
    np.testing.assert_allclose(g, _fd(lambda x: _hermitian_loss(np.linalg, x), a), atol=1e-7)
    assert (np.triu(g, 1) == 0).all() and (g[np.tril_indices(3)] != 0).all()


def test_batched_gradient_is_each_matrix_gradient():
    a = np.stack([_spd((3, 3), k) for k in range(3)])
    g = _grad(lambda t: (ag.linalg.cholesky(t) ** 2).sum() + ag.linalg.eigvalsh(t)[..., -1]
              .sum(), a)
    for k in range(3):
        gk = _grad(lambda t: (ag.linalg.cholesky(t) ** 2).sum() + ag.linalg.eigvalsh(t)[-1],
                   a[k])
        np.testing.assert_allclose(g[k], gk, rtol=1e-12)


@pytest.mark.parametrize("name", ["cholesky", "eigh", "svd", "svdvals"])
def test_float32_gradients_stay_float32(name):
    a = _spd((2, 3, 3)).astype(np.float32)
    t = ag.tensor(a, requires_grad=True)
    fn = {"cholesky": lambda x: ag.linalg.cholesky(x).sum(),
          "eigh": lambda x: (ag.linalg.eigh(x)[1] ** 2 * np.float32(0.5)).sum()
          + ag.linalg.eigh(x)[0].sum(),
          "svd": lambda x: (lambda r: (r.U @ r.Vh).sum() + r.S.sum())(ag.linalg.svd(x)),
          "svdvals": lambda x: ag.linalg.svdvals(x).sum()}[name]
    out = fn(t)
    assert out.dtype == np.float32
    out.backward()
    assert t.grad.dtype == np.float32
    g64 = _grad(fn, a.astype(np.float64))
    np.testing.assert_allclose(t.grad.data, g64, rtol=1e-3, atol=1e-4)


def test_second_derivative_of_eigvalsh_matches_finite_differences():
    """A Hessian-vector product through the recorded backward rule (create_graph)."""
    a = _spd((3, 3), 8) + np.diag([0.0, 2.0, 5.0])
    c = np.array([1.0, -1.0, 2.0])
    d = _rng(9).normal(size=(3, 3))
    t = ag.tensor(a, requires_grad=True)
    g, = ag.grad(ag.linalg.eigvalsh(t) @ c, t, create_graph=True)
    (g * d).sum().backward()

    def grad_dot_d(x):
        return (_grad(lambda s: ag.linalg.eigvalsh(s) @ c, x) * d).sum()
    np.testing.assert_allclose(t.grad.data, _fd(grad_dot_d, a, 1e-5), atol=1e-6)


# ----------------------------------------------------------------------------- edge conventions
def _rotated(values, seed=0):
    q, _ = np.linalg.qr(_rng(seed).normal(size=(len(values), len(values))))
    return (q * values) @ q.T


@pytest.mark.parametrize("which", ["eigvalsh", "eigh-values-only"])
def test_repeated_eigenvalues_value_loss_stays_finite(which):
    """A loss on the eigenvalues alone is differentiable at a repeated eigenvalue: the
    1/(λⱼ − λᵢ) term is skipped (not 0·inf) when no gradient reaches the eigenvectors."""
    for a in (np.eye(3), _rotated([2.0, 2.0, 5.0])):
        fn = (lambda t: (ag.linalg.eigvalsh(t) ** 2).sum()) if which == "eigvalsh" else \
            (lambda t: (ag.linalg.eigh(t)[0] ** 2).sum())
        with np.errstate(all="raise"):      # no 1/0 computed, not even one thrown away
            g = _grad(fn, a)
        assert np.isfinite(g).all()
        # Σ λ² = ‖A‖²: the gradient 2A moved into the lower triangle
        np.testing.assert_allclose(g, np.tril(4 * a) - np.diag(np.diag(2 * a)), atol=1e-12)


def test_repeated_eigenvalues_second_order_value_loss_stays_finite():
    a = np.eye(3)
    t = ag.tensor(a, requires_grad=True)
    with np.errstate(all="raise"):
        g, = ag.grad(ag.linalg.eigvalsh(t).sum(), t, create_graph=True)
    np.testing.assert_allclose(g.data, np.eye(3), atol=1e-12)


def test_repeated_eigenvalues_eigenvector_loss_is_undefined():
    """Documented: with a repeated eigenvalue the eigenvectors are not unique, and a gradient
    through them is inf/nan rather than a made-up number."""
    with np.errstate(divide="ignore", invalid="ignore"):
        g = _grad(lambda t: (ag.linalg.eigh(t)[1] ** 3).sum(), np.eye(3))
    assert not np.isfinite(g).all()


def test_repeated_singular_values_value_loss_stays_finite():
    a = np.eye(3) * 2.0                         # three equal singular values
    for fn in (lambda t: ag.linalg.svdvals(t).sum(),
               lambda t: ag.linalg.svd(t, compute_uv=False).sum(),
               lambda t: ag.linalg.svd(t)[1].sum()):
        with np.errstate(all="raise"):
            g = _grad(fn, a)
        np.testing.assert_allclose(g, np.eye(3), atol=1e-12)   # d‖A‖_* = U Vᵀ


def test_svdvals_gradient_is_u_vh():
    a = _general((3, 4), 10)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    c = np.array([1.0, 2.0, -3.0])
    g = _grad(lambda t: ag.linalg.svdvals(t) @ c, a)
    np.testing.assert_allclose(g, u @ np.diag(c) @ vh, atol=1e-12)


@pytest.mark.parametrize("shape", [(4, 2), (2, 4)])
def test_full_matrices_gradient_on_extra_columns_raises_at_backward(shape):
    t = ag.tensor(_general(shape), requires_grad=True)
    u, s, vh = ag.linalg.svd(t)                 # full_matrices=True: U 4×4 (or Vh 4×4)
    loss = (u ** 2).sum() + (vh ** 2).sum()     # reaches the extra columns/rows
    with pytest.raises(ValueError, match=r"svd: .*full_matrices=True.*full_matrices=False"):
        loss.backward()


@pytest.mark.parametrize("shape", [(4, 2), (2, 4)])
def test_full_matrices_gradient_off_extra_columns_is_fine(shape):
    a = _general(shape, 11)
    k = min(shape)

    def fn(t, svd):
        u, s, vh = svd(t)
        return (u[:, :k] ** 2 * np.arange(1.0, shape[0] + 1)[:, None]).sum() + s.sum() + \
            (vh[:k] ** 2 * np.arange(1.0, shape[1] + 1)).sum()

    g = _grad(lambda t: fn(t, ag.linalg.svd), a)
    np.testing.assert_allclose(g, _fd(lambda x: fn(x, np.linalg.svd), a), atol=1e-7)


def test_full_matrices_square_input_differentiable():
    a = _general((3, 3), 12)
    fn = (lambda x, m: (lambda r: (r[0] @ r[2] * np.arange(9.0).reshape(3, 3)).sum())(m.svd(x)))
    np.testing.assert_allclose(_grad(lambda t: fn(t, ag.linalg), a),
                               _fd(lambda x: fn(x, np.linalg), a), atol=1e-7)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("name", ["cholesky", "eigh", "eigvalsh", "svd", "svdvals"])
def test_complex_input_raises_type_error(name):
    arg = "x" if name == "svdvals" else "a"           # numpy's names of the argument
    with pytest.raises(TypeError, match=rf"^{name}: {arg} of shape \(2, 2\) is complex \(dtype "
                                        r"complex128\)"):
        getattr(ag.linalg, name)(ag.tensor(np.eye(2) * (1 + 1j)))


@pytest.mark.parametrize("name,arg", [("cholesky", "a"), ("eigh", "a"), ("eigvalsh", "a"),
                                      ("svd", "a"), ("svdvals", "x")])
def test_fewer_than_two_dimensions_raises(name, arg):
    with pytest.raises(LinAlgError, match=rf"{name}: {arg} must have at least 2 dimensions.*"
                                          rf"shape \(3,\)"):
        getattr(ag.linalg, name)(ag.tensor([1.0, 2.0, 3.0]))
    assert issubclass(LinAlgError, ValueError)


@pytest.mark.parametrize("name", ["cholesky", "eigh", "eigvalsh"])
def test_non_square_raises(name):
    with pytest.raises(LinAlgError, match=rf"{name}: the last two axes of a must be square, "
                                          rf"got shape \(2, 2, 3\)"):
        getattr(ag.linalg, name)(ag.zeros(2, 2, 3))


def test_svd_hermitian_non_square_raises():
    with pytest.raises(LinAlgError, match=r"svd: the last two axes of a must be square"):
        ag.linalg.svd(ag.zeros(2, 3), hermitian=True)


@pytest.mark.parametrize("name", ["eigh", "eigvalsh"])
@pytest.mark.parametrize("uplo", ["X", "lower", 1])
def test_bad_uplo_raises(name, uplo):
    with pytest.raises(ValueError, match=f"{name}: UPLO must be 'L' or 'U'"):
        getattr(ag.linalg, name)(ag.tensor(np.eye(2)), UPLO=uplo)


def test_cholesky_not_positive_definite_raises_linalg_error():
    with pytest.raises(LinAlgError, match=r"cholesky: Matrix is not positive definite "
                                          r"\(input of shape \(2, 2\)\)"):
        ag.linalg.cholesky(ag.tensor([[1.0, 2.0], [2.0, 1.0]]))


def test_unsupported_dtype_raises_type_error():
    with pytest.raises(TypeError, match="eigvalsh: .*float16"):
        ag.linalg.eigvalsh(ag.tensor(np.eye(2, dtype=np.float16)))


def test_numpy_signatures():
    import inspect
    for name in ("cholesky", "eigh", "eigvalsh", "svd", "svdvals"):
        ours = inspect.signature(getattr(ag.linalg, name))
        theirs = inspect.signature(getattr(np.linalg, name))
        assert ours == theirs, name
