"""The norms of ``ag.linalg``: norm, vector_norm, matrix_norm (numpy 2's, batched over leading
axes). Vector norms and the matrix norms 'fro', ±1 and ±inf are compositions of the library's
ops; the norms 2, -2 and 'nuc' go through :class:`SingularFactor`, the gradient that has no
closed form in operators (u vᵀ of the singular pairs). The gradient at 0 is 0, as abs's.
"""
import numpy as np

from ..function import Function, dual, raw
from ..tensor import Tensor
from .layout import _axes
from .linalg_solve import _input, _mT

__all__ = ["norm", "vector_norm", "matrix_norm"]


class SingularFactor(Function):
    """out = U diag(w) Vᵀ from the thin SVD A = U S Vᵀ, with w selecting singular values:
    ``which`` = "nuc" (all: ∂‖A‖_* / ∂A), "top" (σ_max: ∂‖A‖₂/∂A = u₁v₁ᵀ), "bottom" (σ_min).

    Backward, with Ω = UᵀdAV: dU = U·Ω_U (+ (I − UUᵀ) dA V S⁻¹ when A is tall), dV likewise;
    in the rotated frame G' = UᵀGV, M = a∘G' + (b∘G')ᵀ with
    a_ij = (w_j s_j − w_i s_i)/(s_j² − s_i²), b_ij = (w_j s_i − w_i s_j)/(s_j² − s_i²)
    (w/(s_i + s_j) and its negative when w_i = w_j), ∂A = U M Vᵀ plus the tall/wide terms.
    It needs the selected singular values distinct from the others. Recorded, the values are
    the same, from arrays, in a node whose own backward (a third derivative) raises.
    """

    @staticmethod
    def forward(ctx, a, which="nuc"):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        w = np.zeros_like(s) if which != "nuc" else np.ones_like(s)
        if which == "top":
            w[..., 0] = 1
        elif which == "bottom":
            w[..., -1] = 1
        ctx.save_for_backward(u, s, vh, w, a)
        return (u * w[..., None, :]) @ vh

    @staticmethod
    def backward(ctx, grad_output):
        u, s, vh, w, a = ctx.saved_tensors
        g = raw(grad_output)
        v = _mT(vh)
        si, sj, wi, wj = s[..., :, None], s[..., None, :], w[..., :, None], w[..., None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            den = sj * sj - si * si
            same = np.where(si + sj == 0, 0, wj / (si + sj))
            ca = np.where(wi == wj, same, (wj * sj - wi * si) / den)
            cb = np.where(wi == wj, -same, (wj * si - wi * sj) / den)
            ws = np.where(w != 0, w / s, 0)
        off = ~np.eye(s.shape[-1], dtype=bool)
        gp = _mT(u) @ g @ v
        m = ca * off * gp + _mT(cb * off * gp)
        out = u @ m @ vh
        rows, cols = g.shape[-2:]
        if rows > s.shape[-1]:
            out = out + (g - u @ (_mT(u) @ g)) @ (v * ws[..., None, :]) @ vh
        if cols > s.shape[-1]:
            out = out + (u * ws[..., None, :]) @ _mT(u) @ (g - (g @ v) @ vh)
        if isinstance(grad_output, Tensor):
            return NotRecorded.apply(grad_output, a, out)
        return out


class NotRecorded(Function):
    """out = value, a second derivative computed from arrays, linked to its inputs so that a
    third derivative through it raises NotImplementedError rather than coming out as 0."""

    @staticmethod
    def forward(ctx, g, a, value):
        return value

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("norm: third derivatives of the norms ord=2, -2 and 'nuc' "
                                  "are not implemented (their second derivative is computed "
                                  "from the SVD's arrays)")


_singular_factor = dual(SingularFactor)


class Norm(Function):
    """out = np.linalg.norm(x, ord, axis, keepdims); ``kind`` (from :func:`_norm_kind`) names
    the rule, g taken with the reduced axes kept:

    - "l2" (vector 2-norm, 'fro'): ∂x = g·x/out, and 0 where out = 0 (as abs at 0);
    - "l1": g·sign(x); "max"/"min" (ord ±inf): g·sign(x) on the extreme |x|, ties split equally;
    - "lp": g·sign(x)|x|^(p−1)/out^(p−1) (0 where x = 0); "zero" (ord 0, a count): 0;
    - "colmax"/"colmin" (matrix ord ±1, ±inf): g·sign(x) on the extreme column (row) sums;
    - "nuc"/"top"/"bottom" (matrix ord 'nuc', 2, -2): g·U diag(w) Vᵀ (:class:`SingularFactor`).
    """

    @staticmethod
    def forward(ctx, x, ord=None, axis=None, keepdims=False, kind="l2", axes=()):
        out = np.asarray(np.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims))
        ctx.kind, ctx.axes, ctx.ord = kind, axes, ord
        ctx.kept = tuple(1 if k in axes else n for k, n in enumerate(x.shape))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        kind, axes = ctx.kind, ctx.axes
        g = grad_output.reshape(ctx.kept)
        ax, dtype = raw(x), raw(x).dtype
        if kind == "l2":
            o = out.reshape(ctx.kept)
            return x * (g / (o + (raw(o) == 0).astype(dtype)))
        if kind == "zero":
            return g * np.zeros(ax.shape, dtype)
        sign = np.sign(ax)
        if kind == "l1":
            return g * sign
        if kind == "lp":
            p = float(ctx.ord) - 1.0
            zero = (ax == 0).astype(dtype)
            o = out.reshape(ctx.kept)
            t = sign * (x * sign + zero) ** p
            return g * t / (o + (raw(o) == 0).astype(dtype)) ** p
        if kind in ("max", "min", "colmax", "colmin"):
            absx = np.abs(ax)
            if kind.startswith("col"):      # sums along the first axis, extreme along the 2nd
                absx = absx.sum(axis=axes[0], keepdims=True)
                axes = axes[1:]
            pick = np.max if kind.endswith("max") else np.min
            win = absx == pick(absx, axis=axes, keepdims=True)
            share = win / win.sum(axis=axes, keepdims=True)
            return g * (sign * share).astype(dtype)
        f = _singular_factor(np.moveaxis(x, axes, (-2, -1)), which=kind)
        return g * np.moveaxis(f, (-2, -1), axes)


_MATRIX_KINDS = {1: ("colmax", 0), -1: ("colmin", 0), np.inf: ("colmax", 1),
                 -np.inf: ("colmin", 1), 2: ("top", 0), -2: ("bottom", 0), "nuc": ("nuc", 0),
                 None: ("l2", 0), "fro": ("l2", 0), "f": ("l2", 0)}


def _norm_kind(ord, axes, op, shape):
    """numpy's choice of norm for ``ord`` over ``axes``: (kind, axes in the rule's order)."""
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"{op}: invalid norm order {ord!r} for vectors (axis {axes[0]} "
                             f"of shape {shape})")
        kinds = {None: "l2", 2: "l2", np.inf: "max", -np.inf: "min", 0: "zero", 1: "l1"}
        return kinds.get(ord, "lp"), axes
    if len(axes) != 2:
        raise ValueError(f"{op}: improper number of axes to norm: {len(axes)} (of shape "
                         f"{shape}); give one axis (a vector norm) or two (a matrix norm)")
    try:
        kind, swap = _MATRIX_KINDS[ord]
    except (KeyError, TypeError):
        kind = None
    if kind is None:
        raise ValueError(f"{op}: invalid norm order {ord!r} for matrices (axes {axes} of "
                         f"shape {shape})")
    return kind, axes[::-1] if swap else axes


# ----------------------------------------------------------------------------- functions
def norm(x, ord=None, axis=None, keepdims=False):
    """A vector or matrix norm (numpy's ``np.linalg.norm``, all of its orders).

    axis None: ord None is the 2-norm of all elements, else x must be 1-D (a vector norm) or
    2-D (a matrix norm); an int axis is a vector norm, a 2-tuple a matrix norm. Gradients:
    x/‖x‖ for the 2-norm and 'fro' (0 at x = 0, as abs at 0); sign(x) for ord 1; for ±inf
    the extreme elements (ties split equally, as max); for matrix ord ±1/±inf the extreme
    columns/rows; u₁v₁ᵀ for ord 2 (u_n v_nᵀ for −2) and U Vᵀ for 'nuc', which need the chosen
    singular values distinct (a third derivative there raises NotImplementedError).

    Parameters
    ----------
    x : array_like or Tensor
        The input (integers are taken in float64).
    ord : {None, int, float, inf, -inf, 'fro', 'f', 'nuc'}, optional
        The order, as numpy's.
    axis : int, 2-tuple of int or None, optional
        The axis of the vector norm, or the two axes of the matrix norm.
    keepdims : bool, optional
        Keep the reduced axes, with length 1.

    Returns
    -------
    Tensor


    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([3.0, -4.0], requires_grad=True)
    >>> ag.linalg.norm(x)
    Tensor(5., grad_fn=<Norm>)
    >>> ag.linalg.norm(x).backward()
    >>> x.grad
    Tensor([ 0.6, -0.8])
    """
    x = _input(x, "norm", "x")
    shape = x.shape
    if axis is None:
        fast = ord is None or (ord in ("f", "fro") and x.ndim == 2) or (ord == 2 and x.ndim == 1)
        if fast:      # numpy's 2-norm of all the elements
            return Norm.apply(x, ord=ord, axis=None, keepdims=keepdims, kind="l2",
                              axes=tuple(range(x.ndim)))
        axes = tuple(range(x.ndim))
        if x.ndim not in (1, 2):
            raise ValueError(f"norm: improper number of dimensions to norm: x of shape "
                             f"{shape} with ord={ord!r} must be 1-D or 2-D (or give axis)")
    else:
        axes = _axes(axis, x.ndim, "norm", shape)
    kind, order = _norm_kind(ord, axes, "norm", shape)
    return Norm.apply(x, ord=ord, axis=axes, keepdims=keepdims, kind=kind, axes=order)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The vector norm over ``axis`` (numpy 2's ``np.linalg.vector_norm``).

    Any number of axes (None: all of them), taken as one vector; the orders and gradients of
    :func:`norm`'s vector norms (0 at x = 0 for the 2-norm).

    Parameters
    ----------
    x : array_like or Tensor
        The input.
    axis : int, tuple of int or None, optional
        The axes that form the vectors (default None: all).
    keepdims : bool, optional
        Keep the reduced axes, with length 1.
    ord : {int, float, inf, -inf}, optional
        The order (default 2).

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[3.0, 0.0], [0.0, -4.0]], requires_grad=True)
    >>> ag.linalg.vector_norm(x)
    Tensor(5., grad_fn=<Norm>)
    >>> ag.linalg.vector_norm(x, axis=0, ord=1)
    Tensor([3., 4.], grad_fn=<Norm>)
    """
    x = _input(x, "vector_norm", "x")
    shape = x.shape
    if axis is None:
        y, ax = x.reshape(-1), 0
    elif isinstance(axis, tuple):
        axes = _axes(axis, x.ndim, "vector_norm", shape)
        rest = tuple(k for k in range(x.ndim) if k not in axes)
        size = int(np.prod([shape[k] for k in axes]))
        y, ax = x.transpose(axis + rest).reshape((size, *[shape[k] for k in rest])), 0
    else:
        y, ax = x, axis
    out = norm(y, ord=ord, axis=ax)
    if keepdims:
        axes = _axes(tuple(range(x.ndim)) if axis is None else axis, x.ndim, "vector_norm",
                     shape)
        out = out.reshape(tuple(1 if k in axes else n for k, n in enumerate(shape)))
    return out


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The matrix norm of each matrix in ``x`` (numpy 2's ``np.linalg.matrix_norm``): :func:`norm`
    over the last two axes.

    Parameters
    ----------
    x : array_like or Tensor
        At least 2-D.
    keepdims : bool, optional
        Keep the two reduced axes, with length 1.
    ord : {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}, optional
        The order (default 'fro').

    Returns
    -------
    Tensor

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> ag.linalg.matrix_norm(x, ord=1)
    Tensor(6.)
    """
    x = _input(x, "matrix_norm", "x")
    if x.ndim < 2:
        raise ValueError(f"matrix_norm: x must have at least 2 axes, got shape {x.shape}")
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)
