"""matplotlib pictures: gradient flow over a model, and a failed gradient check.

Both return a ``matplotlib.figure.Figure`` made without pyplot (no global state, any backend):
Jupyter shows it inline, ``fig.savefig(path)`` writes it. matplotlib is imported on first use.
"""
import textwrap

import numpy as np

from ..tensor import Tensor
from ._text import named_tensors

# A unit is saturated where its derivative is below this share of its peak value:
# sigmoid' = σ(1 − σ) peaks at 1/4 (D17), tanh' = 1 − tanh² peaks at 1 (D18).
SATURATION = 0.05
_KINDS = {"ReLU": "relu", "AffineReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
_COLORS = {"relu": "#d9534f", "sigmoid": "#f0ad4e", "tanh": "#5bc0de"}


def _figure(**kwargs):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("this picture needs matplotlib: pip install matplotlib (or pip "
                          "install 'chapter-autograd[viz]')") from None
    return Figure(**kwargs)


def _array(x):
    return np.asarray(x.data if isinstance(x, Tensor) else x)


# ----------------------------------------------------------------------------- gradient flow
def layer_grad_norms(named_parameters, by="layer"):
    """[(name, norm or None)]: each layer's gradient norm √(Σ‖∂L/∂p‖²) over its parameters
    (a parameter's layer is its name up to the last dot), or each parameter's with
    ``by="parameter"``; None where no parameter of it has a gradient."""
    if by not in ("layer", "parameter"):
        raise ValueError(f"plot_grad_flow: by must be 'layer' or 'parameter', got {by!r}")
    sums = {}
    for name, p in named_tensors(named_parameters, "plot_grad_flow", "named_parameters"):
        key = str(name).rsplit(".", 1)[0] if by == "layer" and "." in str(name) else str(name)
        old = sums.get(key)
        if p.grad is not None:
            g = p.grad.data.astype(np.float64).ravel()
            sums[key] = (0.0 if old is None else old) + float(np.dot(g, g))
        else:
            sums.setdefault(key, None)
    if not sums:
        raise ValueError("plot_grad_flow: no parameters given")
    return [(k, None if s is None else float(np.sqrt(s))) for k, s in sums.items()]


def activation_health(name, values, kind=None):
    """(kind, share): the share of dead units for ReLU (a unit, an entry of the last axis, that
    is 0 for every sample of the batch), or of saturated outputs for sigmoid and tanh (where the
    derivative is below 5% of its peak). ``kind`` is read from the op that made a Tensor."""
    if kind is None and isinstance(values, Tensor) and values.grad_fn is not None:
        kind = _KINDS.get(type(values.grad_fn).__name__)
    if kind not in ("relu", "sigmoid", "tanh"):
        raise ValueError(f"plot_grad_flow: activation {name!r}: kind must be 'relu', 'sigmoid' "
                         f"or 'tanh' (pass (kind, values)), got {kind!r}")
    a = _array(values).astype(np.float64)
    if a.size == 0:
        raise ValueError(f"plot_grad_flow: activation {name!r} is empty")
    if kind == "relu":
        units = a.reshape(-1, a.shape[-1]) if a.ndim > 1 else a.reshape(1, -1)
        return kind, float(np.mean(~(units > 0).any(axis=0)))
    if kind == "sigmoid":
        return kind, float(np.mean(a * (1 - a) < SATURATION * 0.25))
    return kind, float(np.mean(1 - a * a < SATURATION))


def plot_grad_flow(named_parameters, activations=None, by="layer"):
    """A figure of the gradient flowing into each layer, and of dead or saturated units.

    The top panel has one bar per layer at the norm of its gradient, on a log scale: bars
    shrinking towards the input mean vanishing gradients, growing ones exploding gradients. A
    layer with no gradient at all is marked "no grad". The bottom panel (with
    ``activations``) shows for each the share of dead ReLU units (0 on the whole batch) or of
    saturated sigmoid/tanh outputs (derivative below 5% of its peak: σ' peaks at 1/4, D17;
    tanh' at 1, D18). Made without pyplot; matplotlib is imported on first use.

    Parameters
    ----------
    named_parameters : iterable of (str, Tensor), dict or module
        Pairs such as ``model.named_parameters()``, a dict, or a module, after ``backward()``.
        A parameter's layer is its name up to the last dot.
    activations : dict, optional
        Name -> post-activation values: a Tensor made by relu, sigmoid or tanh (its kind is
        read from the op), or a pair ``(kind, values)``.
    by : {"layer", "parameter"}
        One bar per layer (default) or per parameter.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.savefig(path)`` writes it; Jupyter shows it inline.

    Raises
    ------
    ValueError
        If no parameters are given, ``by`` is neither value, or an activation's kind is
        unknown.
    ImportError
        If matplotlib is not installed (the ``viz`` extra).

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> W1 = ag.tensor(np.full((3, 4), 0.5), requires_grad=True)
    >>> W2 = ag.tensor(np.full((4, 1), 0.5), requires_grad=True)
    >>> h = ag.relu(ag.tensor(np.ones((2, 3))) @ W1)
    >>> (h @ W2).sum().backward()
    >>> fig = ag.viz.plot_grad_flow({"layer1.W": W1, "layer2.W": W2}, activations={"h": h})
    >>> top = fig.axes[0]
    >>> top.get_title(), [t.get_text() for t in top.get_xticklabels()]
    ('Gradient norm per layer', ['layer1', 'layer2'])
    >>> [round(float(bar.get_height()), 4) for bar in top.patches]     # √12 and √36
    [3.4641, 6.0]
    """
    norms = layer_grad_norms(named_parameters, by)
    health = []
    for name, v in (activations or {}).items():
        kind, values = v if isinstance(v, tuple) else (None, v)
        health.append((name,) + activation_health(name, values, kind))
    width = max(5.0, 0.7 * max(len(norms), len(health)) + 2)
    fig = _figure(figsize=(width, 6 if health else 3.4), layout="constrained")
    axes = fig.subplots(2 if health else 1, 1, squeeze=False)[:, 0]
    ax = axes[0]
    names = [n for n, _ in norms]
    heights = [0.0 if v is None else v for _, v in norms]
    pos = [h for h in heights if h > 0]
    colors = ["#4a7fc1" if v else "#bbbbbb" for _, v in norms]
    ax.bar(range(len(names)), heights, color=colors)
    if pos:
        ax.set_yscale("log")
        lo, hi = min(pos), max(pos)
        ax.set_ylim(lo / 10, hi * 10)
    floor = min(pos) / 10 if pos else 0.0
    for k, (_, v) in enumerate(norms):
        if v is None or v == 0:
            ax.annotate("no grad" if v is None else "0", (k, floor), ha="center",
                        va="bottom", color="#d9534f", fontsize=8)
    ax.set_xticks(range(len(names)), names, rotation=30 if len(names) > 4 else 0, ha="right"
                  if len(names) > 4 else "center")
    ax.set_ylabel("‖gradient‖ (log scale)")
    ax.set_title("Gradient norm per " + by)
    if health:
        ax2 = axes[1]
        shares = [s for _, _, s in health]
        ax2.bar(range(len(health)), shares, color=[_COLORS[k] for _, k, _ in health])
        for k, (_, kind, s) in enumerate(health):
            ax2.annotate(f"{s:.0%}", (k, s), ha="center", va="bottom", fontsize=8)
        ax2.set_xticks(range(len(health)), [f"{n}\n({k})" for n, k, _ in health])
        ax2.set_ylim(0, 1.1)
        ax2.set_ylabel("share")
        ax2.set_title("Dead ReLU units (0 on the whole batch)\nsaturated sigmoid, tanh outputs "
                      "(derivative < 5% of its peak)", fontsize=10)
    return fig


# ----------------------------------------------------------------------------- gradcheck
def gradcheck_matrices(failure):
    """The analytic and numerical Jacobians as matrices (output elements × input elements),
    their difference, and the (row, column) of the worst entry."""
    a, n = np.asarray(failure.analytic, np.float64), np.asarray(failure.numerical, np.float64)
    in_ndim = failure.in_ndim
    out_shape, in_shape = a.shape[:a.ndim - in_ndim], a.shape[a.ndim - in_ndim:]
    rows, cols = int(np.prod(out_shape)), int(np.prod(in_shape))
    a2, n2 = a.reshape(rows, cols), n.reshape(rows, cols)
    w = tuple(failure.worst_index)
    r = int(np.ravel_multi_index(w[:len(out_shape)], out_shape)) if out_shape else 0
    c = int(np.ravel_multi_index(w[len(out_shape):], in_shape)) if in_shape else 0
    return a2, n2, a2 - n2, (r, c)


def plot_gradcheck(error, index=0):
    """Heat maps of a failed gradient check, the worst entry boxed in all three.

    The analytic Jacobian (from backward), the numerical one (finite differences) and their
    difference; rows are output elements, columns input elements (flattened). Made without
    pyplot; matplotlib is imported on first use.

    Parameters
    ----------
    error : GradcheckError or GradcheckFailure
        What ``ag.gradcheck`` raised (it raises by default), or one of its ``failures``.
    index : int
        With a ``GradcheckError``, which of its failures to draw.

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: analytic, numerical, difference.

    Raises
    ------
    TypeError
        If ``error`` is neither a ``GradcheckError`` nor a ``GradcheckFailure``.
    IndexError
        If ``index`` is out of range for the error's failures.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> class BadSquare(ag.Function):               # d(x²)/dx is 2x, not 3x
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         x, = ctx.saved_tensors
    ...         return grad_output * 3 * x
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> try:
    ...     ag.gradcheck(BadSquare.apply, (x,))
    ... except ag.GradcheckError as e:
    ...     fig = ag.viz.plot_gradcheck(e)
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['analytic (backward)', 'numerical (finite differences)', 'difference: analytic − numerical']
    """
    failures = getattr(error, "failures", None)
    if failures is not None:
        if not -len(failures) <= index < len(failures):
            raise IndexError(f"plot_gradcheck: index {index} out of range for "
                             f"{len(failures)} failure(s)")
        failure = failures[index]
    elif hasattr(error, "analytic") and hasattr(error, "worst_index"):
        failure = error
    else:
        raise TypeError(f"plot_gradcheck: expected a GradcheckError or GradcheckFailure, got "
                        f"{type(error).__name__}")
    a2, n2, d2, (r, c) = gradcheck_matrices(failure)
    from matplotlib.patches import Rectangle

    fig = _figure(figsize=(12, 4.2), layout="constrained")
    axes = fig.subplots(1, 3)
    both = np.concatenate([a2[np.isfinite(a2)], n2[np.isfinite(n2)]])
    m = float(np.abs(both).max()) if both.size else 1.0
    dm = d2[np.isfinite(d2)]
    dm = float(np.abs(dm).max()) if dm.size else 1.0
    panels = [(a2, "analytic (backward)", m), (n2, "numerical (finite differences)", m),
              (d2, "difference: analytic − numerical", dm)]
    for ax, (mat, title, scale) in zip(axes, panels):
        scale = scale or 1.0
        im = ax.imshow(mat, cmap="RdBu_r", vmin=-scale, vmax=scale, aspect="auto",
                       interpolation="nearest")
        fig.colorbar(im, ax=ax, shrink=0.85)
        ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="black",
                               linewidth=2))
        bad = ~np.isfinite(mat)
        if bad.any():
            ys, xs = np.nonzero(bad)
            ax.scatter(xs, ys, marker="x", color="magenta", s=30, label="NaN/inf")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("input element (flattened)")
        ax.set_ylabel("output element (flattened)")
    worst = ", ".join(str(i) for i in failure.worst_index)
    fig.suptitle(f"gradcheck: input {failure.input_index} → output {failure.output_index}: "
                 f"{failure.n_bad} of {failure.n_total} entries wrong; worst [{worst}]: "
                 f"analytic {a2[r, c]:.4g}, numerical {n2[r, c]:.4g}\n"
                 + textwrap.fill(str(failure.diagnosis), 130), fontsize=10)
    return fig
