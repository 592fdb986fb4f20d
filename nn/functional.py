"""``nn.functional`` (import it as ``F``): activations, ``linear``, and the losses.

Losses take ``reduction="mean" | "sum" | "none"``: "none" gives one value per element (per
sample for the classification losses), "sum" adds them (the chapter's D11 sums over samples),
"mean" averages them. Every argument is checked cheaply (shapes, dtypes, label range) and a
bad one raises an error naming the loss, the argument and its shape or dtype.

Three losses are fused ops, each with a hand-written backward: ``cross_entropy`` (softmax and
cross-entropy from logits, D12: ∂/∂z = softmax(z) − t), ``binary_cross_entropy_with_logits``
(D7: ∂/∂z = σ(z) − t) and ``binary_cross_entropy``. Their backward rules are written with
operations that numpy arrays and Tensors share, so under ``create_graph=True`` they are
differentiable again (Hessian-vector products through a loss work).

The activations ``relu``, ``leaky_relu``, ``elu``, ``sigmoid``, ``tanh``, ``softplus``,
``softmax`` and ``log_softmax`` are autograd's ops themselves (``ag.relu`` and so on), with
their documentation; the modules of :mod:`nn.activations` call them.

Beyond the chapter, with PyTorch's semantics and composed of recorded ops (so differentiable
to any order): the activations ``gelu`` (exact, or ``approximate="tanh"``), ``silu`` and
``hardtanh``; inverted ``dropout``; and ``layer_norm``. The modules :class:`nn.GELU`,
:class:`nn.SiLU`, :class:`nn.Hardtanh`, :class:`nn.Dropout` and :class:`nn.LayerNorm` call them.

Examples
--------
>>> import autograd as ag
>>> import numpy as np
>>> import nn
>>> F = nn.functional
>>> z = ag.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
>>> F.cross_entropy(z, np.array([0, 1]), reduction="sum")
Tensor(0.63707954, grad_fn=<CrossEntropyFromLogits>)
>>> F.relu is ag.relu
True
"""
import math

import numpy as np

import autograd as ag
from autograd.function import raw
from autograd.ops.reductions import _max_shift, _reduce_kept, shifted_columns, short_rows

from . import init

_REDUCTIONS = ("mean", "sum", "none")

# PyTorch clamps BCE's logs at -100 so that probabilities of exactly 0 or 1 stay finite, and
# floors the backward's p(1 − p) at 1e-12 for the same reason.
_LOG_FLOOR = -100.0
_BCE_EPS = 1e-12
_HALF_LOG_2PI = 0.5 * float(np.log(2 * np.pi))   # a Python float: it keeps float32 float32


# ----------------------------------------------------------------------------- activations
def identity(x):
    """D13 with m = 1: the linear unit, which returns x.

    Parameters
    ----------
    x : object
        Anything.

    Returns
    -------
    object
        ``x`` itself.

    Examples
    --------
    >>> import nn
    >>> nn.functional.identity(3)
    3
    """
    return x


relu = ag.relu
leaky_relu = ag.leaky_relu
elu = ag.elu
sigmoid = ag.sigmoid
tanh = ag.tanh
softplus = ag.softplus
softmax = ag.softmax
log_softmax = ag.log_softmax


def linear(x, weight, bias=None):
    """The chapter's affine map x @ weight + bias, weight of shape (in, out).

    Recorded as a matmul and an add (:class:`nn.Linear` records one node instead).

    Parameters
    ----------
    x : Tensor or array_like
        Input of shape ``(..., in)``.
    weight : Tensor or array_like
        Weight of shape ``(in, out)`` (the transpose of PyTorch's).
    bias : Tensor or array_like, optional
        Bias of shape ``(out,)``; None (the default) adds nothing.

    Returns
    -------
    Tensor
        ``x @ weight + bias``, of shape ``(..., out)``.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> x = ag.tensor([[1.0, 2.0]])
    >>> w = ag.tensor([[1.0, -1.0], [0.5, 0.5]])
    >>> nn.functional.linear(x, w, np.array([0.0, -1.0]))
    Tensor([[ 2., -1.]])
    >>> nn.functional.linear(x, w)
    Tensor([[2., 0.]])
    """
    out = ag.matmul(x, weight)
    return out if bias is None else out + bias


# ----------------------------------------------------------------------------- checks
def check_reduction(reduction, where):
    """Check a loss's ``reduction`` argument.

    Parameters
    ----------
    reduction : object
        The value to check.
    where : str
        The loss's name, which starts the error message.

    Returns
    -------
    str
        ``reduction``, if it is "mean", "sum" or "none".

    Raises
    ------
    ValueError
        If it is anything else.

    Examples
    --------
    >>> import nn
    >>> nn.functional.check_reduction("sum", "my_loss")
    'sum'
    >>> nn.functional.check_reduction("avg", "my_loss")
    Traceback (most recent call last):
        ...
    ValueError: my_loss: reduction must be 'mean', 'sum' or 'none', got 'avg'
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{where}: reduction must be 'mean', 'sum' or 'none', got "
                         f"{reduction!r}")
    return reduction


def _reduce(loss, reduction):
    """Apply the reduction: to a Tensor (a recorded op) or, inside a fused op, to an array."""
    if reduction == "mean":
        if type(loss) is np.ndarray and loss.size and loss.dtype.itemsize >= 4:
            # what ndarray.mean computes for float32/64 (the same pairwise sum, then ÷ n in the
            # sum's dtype; float16 sums in float32), without its Python-level wrapper, which
            # costs more than the sum on a batch
            return np.add.reduce(loss, axis=None) / loss.size
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _grad_scale(grad_output, reduction, n):
    """The factor each element's gradient gets from the reduction done in forward: g/n for
    "mean", g for "sum", and for "none" g itself (one per element). Arrays or Tensors."""
    if reduction == "mean":
        return grad_output * (1.0 / n)
    return grad_output


def _input(x, where, name="input"):
    t = x if isinstance(x, ag.Tensor) else ag.Tensor(x)
    if t.dtype.kind != "f":
        raise TypeError(f"{where}: {name} must have a floating dtype, got {t.dtype} "
                        f"(shape {t.shape})")
    return t


def _float_target(target, dtype, where, name="target"):
    """A float target in the input's dtype: a Tensor stays one (it may require grad)."""
    arr = target.numpy() if isinstance(target, ag.Tensor) else np.asarray(target)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {name} must be numeric, got dtype {arr.dtype}")
    if isinstance(target, ag.Tensor):
        return target if arr.dtype == dtype else target.astype(dtype)
    return arr.astype(dtype, copy=False)


def _same_shape(x, target, where, name="target"):
    if x.shape != target.shape:
        raise ValueError(f"{where}: input of shape {x.shape} and {name} of shape "
                         f"{target.shape} must have the same shape")


def _input_and_target(input, target, reduction, where):
    """A pointwise loss's checked arguments: the floating input, and the target as a float of
    its dtype and shape."""
    check_reduction(reduction, where)
    x = _input(input, where)
    t = _float_target(target, x.dtype, where)
    _same_shape(x, t, where)
    return x, t


def _in_unit_interval(arr, where, name):
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(f"{where}: {name} must lie in [0, 1], got values in "
                         f"[{arr.min():g}, {arr.max():g}] (shape {arr.shape})")


_UNSIGNED = {}


def _labels(target, shape, where):
    """Integer class labels for an input of ``shape`` (classes on the last axis)."""
    arr = np.asarray(raw(target))
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{where}: class labels must have an integer dtype, got {arr.dtype} (shape "
            f"{arr.shape}); convert with .astype(np.int64)"
            + (f", or pass probabilities of the input's shape {shape}"
               if where.startswith("cross_entropy") else ""))
    if arr.shape != shape[:-1]:
        raise ValueError(f"{where}: input of shape {shape} (classes on the last axis) needs "
                         f"labels of shape {shape[:-1]}, got {arr.shape}")
    n_classes = shape[-1]
    # one reduction instead of min and max: seen as unsigned, a negative label is huge
    unsigned = _UNSIGNED.get(arr.dtype)
    if unsigned is None:        # the same width and byte order
        unsigned = _UNSIGNED[arr.dtype] = np.dtype(arr.dtype.str.replace("i", "u"))
    if arr.size and np.maximum.reduce(arr.view(unsigned), axis=None) >= n_classes:
        lo, hi = arr.min(), arr.max()
        if lo < 0 or hi >= n_classes:
            bad = lo if lo < 0 else hi
            raise ValueError(f"{where}: label {bad} is out of range for {n_classes} classes "
                             f"(labels must lie in 0..{n_classes - 1})")
    return arr


def _class_input(x, where):
    x = _input(x, where)
    if x.ndim == 0:
        raise ValueError(f"{where}: input must have a class axis (its last), got a scalar")
    return x


# ----------------------------------------------------------------------------- fused ops
_STARTS = {}


def _row_starts(n_rows, n_classes):
    """0, C, 2C, ... (n_rows of them), read-only and kept: a training loop asks for the same
    ones every step."""
    starts = _STARTS.get((n_rows, n_classes))
    if starts is None:
        if len(_STARTS) > 64:
            _STARTS.clear()
        starts = np.arange(0, n_rows * n_classes, n_classes)
        starts.flags.writeable = False
        _STARTS[n_rows, n_classes] = starts
    return starts


def _cross_entropy_transposed(ctx, z, labels, reduction):
    """CrossEntropyFromLogits' forward for a classifier's (n, C) logits with labels, worked on
    the transposed copy (C, n): the row maxima and sums are then broadcast along the n samples,
    not the C classes, which is faster. The probabilities are saved in that layout, and
    ``ctx.index`` (label·n + row) points into it."""
    n = z.shape[0]
    e = shifted_columns(z)                     # fresh: written in place from here
    ctx.index = labels.astype(np.intp, copy=False) * n + _row_starts(n, 1)
    picked = e.reshape(-1)[ctx.index]         # z_y − m
    np.exp(e, out=e)
    s = _reduce_kept(np.add, e, 0)
    loss = np.log(s[0]) - picked               # log s − (z_y − m), as the row layout
    e /= s
    ctx.save_for_backward(z, labels, e)
    ctx.n = n
    return _reduce(loss, reduction)


class CrossEntropyFromLogits(ag.Function):
    """Softmax then cross-entropy, from logits z (classes on the last axis), in one op.

    Per sample: ξ = −Σ_c t_c log softmax(z)_c = (Σ_c t_c)·logsumexp(z) − Σ_c t_c z_c (D11);
    with a label y it is logsumexp(z) − z_y. Gradients (D12):
    ∂ξ/∂z = softmax(z)·Σ_c t_c − t, which is softmax(z) − t for one-hot or probability
    targets; ∂ξ/∂t = −log softmax(z). The reduction ("mean" over samples, "sum" as the chapter,
    "none") is applied inside, so the mean's backward is (softmax(z) − t)/n.

    −log softmax(z)_c is computed as log s − (z_c − m), with m the row maximum and s the sum
    of e^(z − m), so large logits keep their precision. :func:`cross_entropy` checks its
    arguments and calls ``CrossEntropyFromLogits.apply(z, target, reduction=..., labels=...)``
    (see :meth:`forward` for the arguments, which ``apply`` passes on as Tensors' arrays).

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> from nn.functional import CrossEntropyFromLogits
    >>> z = ag.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    >>> CrossEntropyFromLogits.apply(z, np.array([0, 1]), reduction="none", labels=True)
    Tensor([0.41703002, 0.22004952])
    """

    @staticmethod
    def forward(ctx, z, target, reduction="mean", labels=False):
        """The cross-entropy of logits z against ``target``, reduced (run by ``apply``).

        Parameters
        ----------
        ctx : CrossEntropyFromLogits
            The node: it saves z, the target and the probabilities softmax(z) for backward.
        z : numpy.ndarray
            Logits of shape ``(..., C)``.
        target : numpy.ndarray
            Integer labels of shape ``z.shape[:-1]`` (``labels=True``, each in ``0..C-1``: not
            checked here), or targets t of the logits' shape and dtype (``labels=False``).
        reduction : {"mean", "sum", "none"}, optional
            Default "mean": the mean over the samples; "none" keeps one per sample.
        labels : bool, optional
            Whether ``target`` holds integer labels (default False).

        Returns
        -------
        numpy.ndarray
            The reduced loss (0-d), or one loss per sample for "none".

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import CrossEntropyFromLogits
        >>> z = ag.tensor([[0.0, 0.0], [0.0, 0.0]])
        >>> CrossEntropyFromLogits.apply(z, np.array([[1.0, 0.0], [0.5, 0.5]]), reduction="sum")
        Tensor(1.38629436)
        """
        ctx.reduction, ctx.labels = reduction, labels
        ctx.transposed = labels and short_rows(z, -1)
        if ctx.transposed:
            return _cross_entropy_transposed(ctx, z, target, reduction)
        m = _max_shift(z, -1)   # the row maxima (0 for rows of -inf, fully masked, or inf)
        e = z - m
        if labels:
            # one flat index (row·C + label) into the C-order flattening: a 1-D gather is a
            # fraction of the cost of (rows, labels) fancy indexing, here and in backward
            ctx.index = _row_starts(target.size, z.shape[-1]) + \
                target.reshape(-1).astype(np.intp, copy=False)     # uint64 + int would be float
            picked = e.reshape(-1)[ctx.index].reshape(target.shape)        # z_y − m
        np.exp(e, out=e)  # in place on the fresh difference: one array fewer
        s = _reduce_kept(np.add, e, -1)
        log_s = np.log(s)
        # −log softmax(z)_c = log s − (z_c − m), not (log s + m) − z_c: with large logits
        # (1e8 in float32) m would swallow log s before the subtraction
        if labels:
            loss = log_s[..., 0] - picked
        else:
            loss = (target * (log_s - (z - m))).sum(axis=-1)
        e /= s            # e is fresh: the probabilities take its place
        ctx.save_for_backward(z, target, e)
        ctx.n = loss.size
        if not labels:
            ctx.log_s, ctx.m = log_s, m      # for the targets' gradient, −log softmax(z)
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        """The gradients (D12): (softmax(z)·Σ_c t_c − t)·g and −log softmax(z)·g.

        g is ``grad_output``, divided by n for "mean". When the backward pass is recorded
        (``create_graph=True``) the rule is built from ops, so it is differentiable again.

        Parameters
        ----------
        ctx : CrossEntropyFromLogits
            The node, holding z, the target and the probabilities.
        grad_output : numpy.ndarray or Tensor
            ∂L/∂loss: a scalar, or one per sample for "none".

        Returns
        -------
        tuple
            ``(∂L/∂z, ∂L/∂target)``; the second is None for labels or when not needed.

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import CrossEntropyFromLogits
        >>> z = ag.tensor([[0.0, 0.0]], requires_grad=True)
        >>> CrossEntropyFromLogits.apply(z, np.array([1]), labels=True).backward()
        >>> z.grad
        Tensor([[ 0.5, -0.5]])
        """
        z, target, probs = ctx.saved_tensors
        scale = _grad_scale(grad_output, ctx.reduction, ctx.n)
        recorded = isinstance(z, ag.Tensor)
        if ctx.reduction == "none" and (recorded or not ctx.transposed):
            scale = scale.reshape(scale.shape + (1,))  # one loss per sample: over the classes
        need = ctx.needs_input_grad
        gt = None
        if ctx.labels:
            if recorded:   # build the rule from ops so that it is differentiable again
                # fresh and C-contiguous, so reshape is a view; the transposed layout's
                # index is (label·n + row)
                onehot = np.zeros(z.shape[::-1] if ctx.transposed else z.shape, dtype=z.dtype)
                onehot.reshape(-1)[ctx.index] = 1
                gz = (ag.softmax(z, axis=-1) - (onehot.T if ctx.transposed else onehot)) * scale
            else:
                # (p − onehot)·scale in one pass over the probabilities, then the picked
                # entries, (p_y − 1)·scale, computed in that order as well
                gz = probs * scale                     # fresh and C-order: reshape is a view
                gz.reshape(-1)[ctx.index] = (probs.reshape(-1)[ctx.index] - 1) * \
                    scale.reshape(-1)
                if ctx.transposed:
                    gz = gz.T
            return gz, None
        tsum = target.sum(axis=-1, keepdims=True)
        if recorded:
            gz = (ag.softmax(z, axis=-1) * tsum - target) * scale if need[0] else None
            if need[1]:
                gt = -ag.log_softmax(z, axis=-1) * scale
        else:
            gz = (probs * tsum - target) * scale if need[0] else None
            if need[1]:
                gt = (ctx.log_s - (z - ctx.m)) * scale       # −log softmax(z)
        return gz, gt


class BinaryCrossEntropyWithLogits(ag.Function):
    """D7: the Bernoulli negative log-likelihood of a sigmoid unit, from the logit z:
    ℓ = −t log σ(z) − (1 − t) log(1 − σ(z)) = softplus(z) − t·z, which for t ∈ {0, 1} is
    softplus((1 − 2t)·z). Computed as max(z, 0) − t·z + log(1 + e^(−|z|)): exact for logits of
    any size (±1e4 included). ∂ℓ/∂z = σ(z) − t, evaluated as (1 − t)·σ(z) − t·σ(−z) so that it
    keeps full relative precision when it is tiny (no saturation when confidently wrong);
    ∂ℓ/∂t = −z. The reduction is applied inside (÷ n in backward for "mean").

    :func:`binary_cross_entropy_with_logits` checks its arguments and calls
    ``BinaryCrossEntropyWithLogits.apply(z, t, reduction=...)`` (see :meth:`forward`).

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> from nn.functional import BinaryCrossEntropyWithLogits
    >>> z = ag.tensor([2.0, -1.0, -1e4], requires_grad=True)
    >>> loss = BinaryCrossEntropyWithLogits.apply(z, np.array([1.0, 0.0, 1.0]), reduction="sum")
    >>> loss.backward()
    >>> z.grad
    Tensor([-0.11920292,  0.26894142, -1.        ])
    """

    @staticmethod
    def forward(ctx, z, t, reduction="mean"):
        """ℓ = max(z, 0) − t·z + log(1 + e^(−|z|)), reduced (run by ``apply``).

        Parameters
        ----------
        ctx : BinaryCrossEntropyWithLogits
            The node: it saves z, t, σ(z) and σ(−z) for backward.
        z : numpy.ndarray
            Logits.
        t : numpy.ndarray
            Targets in [0, 1] of the logits' shape and dtype (not checked here).
        reduction : {"mean", "sum", "none"}, optional
            Default "mean": the mean over the elements; "none" keeps one per element.

        Returns
        -------
        numpy.ndarray
            The reduced loss (0-d), or one loss per element for "none".

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import BinaryCrossEntropyWithLogits
        >>> z = ag.tensor([1e4, -1e4])
        >>> BinaryCrossEntropyWithLogits.apply(z, np.array([0.0, 1.0]), reduction="none")
        Tensor([10000., 10000.])
        """
        ez = np.exp(-np.abs(z))            # in (0, 1]: never overflows
        big, small = 1 / (1 + ez), ez / (1 + ez)      # σ(|z|), σ(−|z|)
        positive = z >= 0
        ctx.save_for_backward(z, t, np.where(positive, big, small),
                              np.where(positive, small, big))
        ctx.reduction, ctx.n = reduction, z.size
        return _reduce(np.maximum(z, 0) - t * z + np.log1p(ez), reduction)

    @staticmethod
    def backward(ctx, grad_output):
        """The gradients ((1 − t)·σ(z) − t·σ(−z))·g = (σ(z) − t)·g and −z·g.

        g is ``grad_output``, divided by n for "mean". When the backward pass is recorded the
        rule is built from ops, so it is differentiable again.

        Parameters
        ----------
        ctx : BinaryCrossEntropyWithLogits
            The node, holding z, t, σ(z) and σ(−z).
        grad_output : numpy.ndarray or Tensor
            ∂L/∂loss: a scalar, or one per element for "none".

        Returns
        -------
        tuple
            ``(∂L/∂z, ∂L/∂t)``, None where not needed.

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import BinaryCrossEntropyWithLogits
        >>> z = ag.tensor([0.0, 40.0], requires_grad=True)
        >>> BinaryCrossEntropyWithLogits.apply(z, np.array([1.0, 0.0]), reduction="sum").backward()
        >>> z.grad
        Tensor([-0.5,  1. ])
        """
        z, t, sig, sig_neg = ctx.saved_tensors
        need = ctx.needs_input_grad
        if isinstance(z, ag.Tensor):       # recorded: built from ops, differentiable again
            sig, sig_neg = ag.sigmoid(z), ag.sigmoid(-z)
        scale = _grad_scale(grad_output, ctx.reduction, ctx.n)
        gz = scale * ((1 - t) * sig - t * sig_neg) if need[0] else None
        gt = -(scale * z) if need[1] else None
        return gz, gt


class BinaryCrossEntropy(ag.Function):
    """ℓ = −(t log p + (1 − t) log(1 − p)) for a probability p, each log clamped at −100 (as
    PyTorch) so that p of exactly 0 or 1 gives a finite loss (at most 100).
    ∂ℓ/∂p = (p − t) / max(p(1 − p), 1e-12);  ∂ℓ/∂t = log(1 − p) − log p (clamped logs).
    The reduction is applied inside (÷ n in backward for "mean").

    :func:`binary_cross_entropy` checks its arguments and calls
    ``BinaryCrossEntropy.apply(p, t, reduction=...)`` (see :meth:`forward`).

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> from nn.functional import BinaryCrossEntropy
    >>> p = ag.tensor([0.9, 0.2, 0.0])
    >>> BinaryCrossEntropy.apply(p, np.array([1.0, 0.0, 1.0]), reduction="none")
    Tensor([  0.10536052,   0.22314355, 100.        ])
    """

    @staticmethod
    def forward(ctx, p, t, reduction="mean"):
        """ℓ = −(t log p + (1 − t) log(1 − p)), logs clamped at −100, reduced (run by ``apply``).

        Parameters
        ----------
        ctx : BinaryCrossEntropy
            The node: it saves p and t for backward.
        p : numpy.ndarray
            Probabilities in [0, 1] (not checked here).
        t : numpy.ndarray
            Targets in [0, 1] of the probabilities' shape and dtype.
        reduction : {"mean", "sum", "none"}, optional
            Default "mean": the mean over the elements; "none" keeps one per element.

        Returns
        -------
        numpy.ndarray
            The reduced loss (0-d), or one loss per element for "none".

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import BinaryCrossEntropy
        >>> BinaryCrossEntropy.apply(ag.tensor([0.5, 1.0]), np.array([1.0, 0.0]), reduction="sum")
        Tensor(100.69314718)
        """
        with np.errstate(divide="ignore"):
            logp = np.maximum(np.log(p), _LOG_FLOOR)
            log1mp = np.maximum(np.log1p(-p), _LOG_FLOOR)
        ctx.save_for_backward(p, t)
        ctx.reduction, ctx.n = reduction, p.size
        return _reduce(-(t * logp + (1 - t) * log1mp), reduction)

    @staticmethod
    def backward(ctx, grad_output):
        """The gradients (p − t) / max(p(1 − p), 1e-12)·g and (log(1 − p) − log p)·g.

        g is ``grad_output``, divided by n for "mean"; the logs are clamped at −100. The rule
        is written with ufuncs that Tensors dispatch to autograd's ops, so it records when the
        backward pass is recorded.

        Parameters
        ----------
        ctx : BinaryCrossEntropy
            The node, holding p and t.
        grad_output : numpy.ndarray or Tensor
            ∂L/∂loss: a scalar, or one per element for "none".

        Returns
        -------
        tuple
            ``(∂L/∂p, ∂L/∂t)``, None where not needed.

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> from nn.functional import BinaryCrossEntropy
        >>> p = ag.tensor([0.5, 0.2], requires_grad=True)
        >>> BinaryCrossEntropy.apply(p, np.array([1.0, 0.0]), reduction="sum").backward()
        >>> p.grad
        Tensor([-2.  ,  1.25])
        """
        p, t = ctx.saved_tensors
        need = ctx.needs_input_grad
        scale = _grad_scale(grad_output, ctx.reduction, ctx.n)
        # numpy's ufuncs on Tensors dispatch to autograd's ops: this rule records when needed.
        gp = scale * (p - t) / np.maximum(p * (1 - p), _BCE_EPS) if need[0] else None
        gt = None
        if need[1]:
            with np.errstate(divide="ignore"):
                gt = scale * (np.maximum(np.log(1 - p), _LOG_FLOOR)
                              - np.maximum(np.log(p), _LOG_FLOOR))
        return gp, gt


# ----------------------------------------------------------------------------- losses
def mse_loss(input, target, reduction="mean"):
    """Squared error (ŷ − y)², elementwise; D1's J is its mean.

    ∂/∂ŷ = 2(ŷ − y) (÷ n for "mean"). ``input`` and ``target`` must have the same shape.

    Parameters
    ----------
    input : Tensor or array_like
        The predictions ŷ; a floating dtype.
    target : Tensor or array_like
        The targets y, numeric, of the input's shape (cast to the input's dtype; a Tensor
        target may require grad).
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of the input's shape.

    Raises
    ------
    TypeError
        If ``input`` is not floating or ``target`` not numeric.
    ValueError
        If the shapes differ or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> y_hat = ag.tensor([0.5, 2.0], requires_grad=True)
    >>> loss = nn.functional.mse_loss(y_hat, np.array([1.0, 1.0]))
    >>> loss
    Tensor(0.625, grad_fn=<Mean>)
    >>> loss.backward()
    >>> y_hat.grad
    Tensor([-0.5,  1. ])
    >>> nn.functional.mse_loss(y_hat, np.ones(3))
    Traceback (most recent call last):
        ...
    ValueError: mse_loss: input of shape (2,) and target of shape (3,) must have the same shape
    """
    where = "mse_loss"
    x, t = _input_and_target(input, target, reduction, where)
    d = x - t
    return _reduce(d * d, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """D6: the negative log-likelihood of ``target`` under N(input, var), elementwise:
    ½(log v + (ŷ − y)² / v) [+ ½ log 2π if ``full``], v = max(var, eps) (the gradient to var
    is 0 where it was clamped). With var = 1 its gradient in ŷ is ŷ − y, the squared error's
    (the chapter's point). ``var`` is a scalar, of the input's shape, of that shape with a last
    axis of 1, or of the input's shape without its last axis (PyTorch's rules); it must not be
    negative.

    Parameters
    ----------
    input : Tensor or array_like
        The predicted means ŷ; a floating dtype.
    target : Tensor or array_like
        The targets y, of the input's shape.
    var : Tensor, array_like or float
        The variances v (a Tensor var may require grad), shaped as above.
    full : bool, optional
        Add the constant ½ log 2π (default False).
    eps : float, optional
        The floor var is clamped at (default 1e-6).
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of the input's shape.

    Raises
    ------
    TypeError
        If ``input`` is not floating, or ``target`` or ``var`` not numeric.
    ValueError
        If a shape does not fit, ``var`` has a negative entry, or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> var = ag.tensor([0.5, 2.0], requires_grad=True)
    >>> loss = nn.functional.gaussian_nll_loss(np.zeros(2), np.ones(2), var, reduction="none")
    >>> loss
    Tensor([0.65342641, 0.59657359], grad_fn=<Mul>)
    >>> loss.sum().backward()
    >>> var.grad
    Tensor([-1.   ,  0.125])
    >>> nn.functional.gaussian_nll_loss(np.zeros(2), np.ones(2), np.array([-1.0, 1.0]))
    Traceback (most recent call last):
        ...
    ValueError: gaussian_nll_loss: var has negative entries (min -1)
    """
    where = "gaussian_nll_loss"
    x, t = _input_and_target(input, target, reduction, where)
    dtype = x.dtype
    v = _float_target(var, dtype, where, "var")
    vshape = v.shape
    if vshape and vshape != x.shape:
        if vshape == x.shape[:-1]:
            v = v.reshape(vshape + (1,))
        elif not (vshape == x.shape[:-1] + (1,) and x.ndim):
            raise ValueError(f"{where}: var of shape {vshape} does not fit input of shape "
                             f"{x.shape}: use the input's shape, that shape with a last axis "
                             f"of 1 or without its last axis, or a scalar")
    if (raw(v) < 0).any():
        raise ValueError(f"{where}: var has negative entries (min {raw(v).min():g})")
    v = ag.clip(v, eps, None) if isinstance(v, ag.Tensor) else np.maximum(v, dtype.type(eps))
    d = x - t
    loss = 0.5 * (ag.log(v) + d * d / v)
    if full:
        loss = loss + _HALF_LOG_2PI
    return _reduce(loss, reduction)


def binary_cross_entropy(input, target, reduction="mean"):
    """The logistic loss −(t log p + (1 − t) log(1 − p)) (D11 with two classes) of
    probabilities p in [0, 1]; logs clamped at −100 so p = 0 or 1 stays finite. Prefer
    :func:`binary_cross_entropy_with_logits` on logits: it is exact where this one clamps.

    ∂ℓ/∂p = (p − t) / max(p(1 − p), 1e-12) (÷ n for "mean"); see :class:`BinaryCrossEntropy`.

    Parameters
    ----------
    input : Tensor or array_like
        Probabilities p in [0, 1]; a floating dtype.
    target : Tensor or array_like
        Targets t in [0, 1], of the input's shape.
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of the input's shape.

    Raises
    ------
    TypeError
        If ``input`` is not floating or ``target`` not numeric.
    ValueError
        If a value lies outside [0, 1], the shapes differ, or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> p = ag.tensor([0.9, 0.2, 0.0], requires_grad=True)
    >>> nn.functional.binary_cross_entropy(p, np.array([1.0, 0.0, 1.0]), reduction="none")
    Tensor([  0.10536052,   0.22314355, 100.        ], grad_fn=<BinaryCrossEntropy>)
    >>> nn.functional.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
    Traceback (most recent call last):
        ...
    ValueError: binary_cross_entropy: input probabilities must lie in [0, 1], got values in ...
    """
    where = "binary_cross_entropy"
    x, t = _input_and_target(input, target, reduction, where)
    _in_unit_interval(x.numpy(), where, "input probabilities")
    _in_unit_interval(raw(t), where, "target")
    return BinaryCrossEntropy.apply(x, t, reduction=reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """D7: sigmoid + binary cross-entropy from logits z, softplus(z) − t·z, stable for any z.

    The gradient is σ(z) − t (÷ n for "mean"). Targets lie in [0, 1] (soft labels allowed).
    See :class:`BinaryCrossEntropyWithLogits`.

    Parameters
    ----------
    input : Tensor or array_like
        Logits z; a floating dtype.
    target : Tensor or array_like
        Targets t in [0, 1], of the input's shape.
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of the input's shape.

    Raises
    ------
    TypeError
        If ``input`` is not floating or ``target`` not numeric.
    ValueError
        If a target lies outside [0, 1], the shapes differ, or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> z = ag.tensor([2.0, -1.0, -1e4], requires_grad=True)
    >>> t = np.array([1.0, 0.0, 1.0])
    >>> nn.functional.binary_cross_entropy_with_logits(z, t, reduction="none")
    Tensor([1.26928011e-01, 3.13261688e-01, 1.00000000e+04],
           grad_fn=<BinaryCrossEntropyWithLogits>)
    >>> nn.functional.binary_cross_entropy_with_logits(z, t, reduction="sum").backward()
    >>> z.grad
    Tensor([-0.11920292,  0.26894142, -1.        ])
    """
    where = "binary_cross_entropy_with_logits"
    x, t = _input_and_target(input, target, reduction, where)
    _in_unit_interval(raw(t), where, "target")
    return BinaryCrossEntropyWithLogits.apply(x, t, reduction=reduction)


def cross_entropy(input, target, reduction="mean"):
    """D11/D12: softmax cross-entropy from logits, classes on the LAST axis (for 2-D input
    (N, C) this is PyTorch's layout). ``target`` is either integer labels of shape
    ``input.shape[:-1]`` or one-hot/probability targets of the input's shape. The gradient in
    the logits is softmax(z) − t (÷ n for "mean"). See :class:`CrossEntropyFromLogits`.

    A floating ``target`` of the input's shape is taken as probabilities (checked to lie in
    [0, 1]); anything else as labels.

    Parameters
    ----------
    input : Tensor or array_like
        Logits z of shape ``(..., C)``; a floating dtype.
    target : Tensor or array_like
        Integer labels of shape ``input.shape[:-1]``, each in ``0..C-1``, or one-hot or
        probability targets of the input's shape.
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        sample.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of shape ``input.shape[:-1]``.

    Raises
    ------
    TypeError
        If ``input`` is not floating, or labels are not integers.
    ValueError
        If ``input`` is a scalar, the labels' shape does not fit, a label is out of range, a
        probability lies outside [0, 1], or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> z = ag.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    >>> nn.functional.cross_entropy(z, np.array([0, 1]), reduction="sum")
    Tensor(0.63707954)
    >>> probs = np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    >>> nn.functional.cross_entropy(z, probs, reduction="none")
    Tensor([0.91703002, 0.22004952])
    >>> nn.functional.cross_entropy(z, np.array([0, 3]))
    Traceback (most recent call last):
        ...
    ValueError: cross_entropy: label 3 is out of range for 3 classes (labels must lie in 0..2)
    """
    where = "cross_entropy"
    check_reduction(reduction, where)
    x = _class_input(input, where)
    tarr = raw(target)
    if not isinstance(tarr, np.ndarray):
        tarr = np.asarray(tarr)
    if tarr.dtype.kind == "f" and tarr.shape == x.shape:
        t = _float_target(target, x.dtype, where)
        _in_unit_interval(raw(t), where, "probability target")
        return CrossEntropyFromLogits.apply(x, t, reduction=reduction, labels=False)
    labels = _labels(target, x.shape, where)
    return CrossEntropyFromLogits.apply(x, labels, reduction=reduction, labels=True)


def nll_loss(input, target, reduction="mean"):
    """Negative log-likelihood from log-probabilities (e.g. ``log_softmax`` output), classes on
    the last axis: −input[..., y] per sample for integer labels y of shape
    ``input.shape[:-1]``. ∂/∂input = −onehot(y) (÷ n for "mean").

    Parameters
    ----------
    input : Tensor or array_like
        Log-probabilities of shape ``(..., C)``; a floating dtype.
    target : Tensor or array_like
        Integer labels of shape ``input.shape[:-1]``, each in ``0..C-1``.
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        sample.

    Returns
    -------
    Tensor
        A scalar for "mean" and "sum", else of shape ``input.shape[:-1]``.

    Raises
    ------
    TypeError
        If ``input`` is not floating or the labels are not integers.
    ValueError
        If ``input`` is a scalar, the labels' shape does not fit, a label is out of range,
        or ``reduction`` is unknown.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> log_p = ag.tensor(np.log([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1]]), requires_grad=True)
    >>> loss = nn.functional.nll_loss(log_p, np.array([0, 1]), reduction="none")
    >>> loss
    Tensor([0.69314718, 0.22314355], grad_fn=<Neg>)
    >>> loss.sum().backward()
    >>> log_p.grad
    Tensor([[-1.,  0.,  0.],
            [ 0., -1.,  0.]])
    """
    where = "nll_loss"
    check_reduction(reduction, where)
    x = _class_input(input, where)
    labels = _labels(target, x.shape, where)
    n_classes = x.shape[-1]
    flat = x.reshape(-1, n_classes)
    picked = flat[np.arange(flat.shape[0]), labels.reshape(-1)]
    return _reduce(-picked.reshape(labels.shape), reduction)


# ----------------------------------------------------------------------------- beyond the chapter
# gelu, silu, hardtanh, dropout and layer_norm: PyTorch's semantics, composed from autograd's
# ops (no hand-written backward), so every one is differentiable to any order.

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)     # Python floats: they keep float32 float32
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_GELU_CUBIC = 0.044715
_APPROXIMATIONS = ("none", "tanh")


def _real(value, name, where):
    """``value`` as a Python float (a numpy float64 scalar would turn float32 into float64)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise TypeError(f"{where}: {name} must be a real number, got {value!r}")
    return float(value)


def check_approximate(approximate, where):
    """Check GELU's ``approximate`` argument.

    Parameters
    ----------
    approximate : object
        The value to check.
    where : str
        The caller's name, which starts the error message.

    Returns
    -------
    str
        ``approximate``, if it is "none" or "tanh".

    Raises
    ------
    ValueError
        If it is anything else.

    Examples
    --------
    >>> import nn
    >>> nn.functional.check_approximate("tanh", "gelu")
    'tanh'
    >>> nn.functional.check_approximate("fast", "gelu")
    Traceback (most recent call last):
        ...
    ValueError: gelu: approximate must be 'none' or 'tanh', got 'fast'
    """
    if not isinstance(approximate, str) or approximate not in _APPROXIMATIONS:
        raise ValueError(f"{where}: approximate must be 'none' or 'tanh', got {approximate!r}")
    return approximate


def gelu(x, approximate="none"):
    """The Gaussian error linear unit x·Φ(x), Φ the standard normal CDF (PyTorch's GELU).

    ``approximate="none"`` computes x·(1 + erf(x/√2))/2 with :func:`ag.special.erf
    <autograd.special.erf>`, whose values come from scipy (the ``special`` extra);
    ``"tanh"`` computes PyTorch's approximation x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2,
    from numpy alone. Both are recorded as ordinary ops, so they are differentiable to any
    order; the exact form's derivative is Φ(x) + x·φ(x), φ the normal density.

    Parameters
    ----------
    x : Tensor or array_like
        The pre-activations; a floating dtype (float32 stays float32).
    approximate : {"none", "tanh"}, optional
        The exact form (the default) or the tanh approximation.

    Returns
    -------
    Tensor
        GELU(x), of the input's shape and dtype.

    Raises
    ------
    TypeError
        If ``x`` is not floating.
    ValueError
        If ``approximate`` is neither "none" nor "tanh".
    ImportError
        For the exact form, if scipy is not installed.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> x = ag.tensor([-1.0, 0.0, 1.0, 3.0])
    >>> nn.functional.gelu(x, approximate="tanh")
    Tensor([-0.15880801,  0.        ,  0.84119199,  2.99636261])
    """
    where = "gelu"
    check_approximate(approximate, where)
    x = _input(x, where)
    if approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * (x * x * x))
        return 0.5 * x * (1.0 + ag.tanh(inner))
    return 0.5 * x * (1.0 + ag.special.erf(x * _INV_SQRT_2))


def silu(x):
    """The sigmoid linear unit (swish) x·σ(x); its derivative is σ(x)·(1 + x·(1 − σ(x))).

    Parameters
    ----------
    x : Tensor or array_like
        The pre-activations; a floating dtype (float32 stays float32).

    Returns
    -------
    Tensor
        x·σ(x), of the input's shape and dtype.

    Raises
    ------
    TypeError
        If ``x`` is not floating.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> x = ag.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    >>> y = nn.functional.silu(x)
    >>> y
    Tensor([-0.26894142,  0.        ,  1.76159416], grad_fn=<Mul>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0.07232949, 0.5       , 1.09078425])
    """
    x = _input(x, "silu")
    return x * ag.sigmoid(x)


def hardtanh(x, min_val=-1.0, max_val=1.0):
    """x clipped to [min_val, max_val], with PyTorch's gradient: 1 strictly inside, else 0.

    At the kinks (x equal to a bound) the gradient is 0, as PyTorch's (``ag.clip`` passes it
    there instead). NaN stays NaN. Recorded as ``ag.where`` with a constant mask, so it is
    differentiable again (its second derivative is 0).

    Parameters
    ----------
    x : Tensor or array_like
        The input; a floating dtype (float32 stays float32).
    min_val : float, optional
        The lower bound (default -1.0).
    max_val : float, optional
        The upper bound (default 1.0); not below ``min_val``.

    Returns
    -------
    Tensor
        The clipped values, of the input's shape and dtype.

    Raises
    ------
    TypeError
        If ``x`` is not floating, or a bound is not a real number.
    ValueError
        If ``min_val > max_val``.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> x = ag.tensor([-2.0, -1.0, 0.5, 3.0], requires_grad=True)
    >>> y = nn.functional.hardtanh(x)
    >>> y
    Tensor([-1. , -1. ,  0.5,  1. ], grad_fn=<Where>)
    >>> y.sum().backward()
    >>> x.grad
    Tensor([0., 0., 1., 0.])
    >>> nn.functional.hardtanh(x, min_val=1.0, max_val=0.0)
    Traceback (most recent call last):
        ...
    ValueError: hardtanh: min_val (1.0) must not exceed max_val (0.0)
    """
    where = "hardtanh"
    lo, hi = _real(min_val, "min_val", where), _real(max_val, "max_val", where)
    if lo > hi:
        raise ValueError(f"{where}: min_val ({lo}) must not exceed max_val ({hi})")
    x = _input(x, where)
    arr = raw(x)
    inside = (arr > lo) & (arr < hi)
    return ag.where(inside, x, np.clip(arr, lo, hi))


def check_probability(p, where):
    """Check a dropout probability: a real number in [0, 1].

    Parameters
    ----------
    p : object
        The value to check.
    where : str
        The caller's name, which starts the error message.

    Returns
    -------
    float
        ``p`` as a Python float.

    Raises
    ------
    TypeError
        If ``p`` is not a real number (a bool is not one).
    ValueError
        If ``p`` lies outside [0, 1] (or is NaN).

    Examples
    --------
    >>> import nn
    >>> nn.functional.check_probability(0.25, "dropout")
    0.25
    >>> nn.functional.check_probability(1.5, "dropout")
    Traceback (most recent call last):
        ...
    ValueError: dropout: p must be a probability in [0, 1], got 1.5
    """
    value = _real(p, "p", where)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{where}: p must be a probability in [0, 1], got {p!r}")
    return value


def dropout(x, p=0.5, training=True, rng=None):
    """Inverted dropout: each element is zeroed with probability p, the kept ones scaled by
    1/(1 − p), so the expected output is x.

    Element i is kept where ``rng.random(x.shape)[i] >= p`` (one float64 draw per element,
    so a seed gives the same mask in float32 and float64). The output is recorded as
    ``x * mask``, mask = keep/(1 − p) a constant array of x's dtype: the gradient is that
    mask, the one the forward used, and the second derivative is 0.

    With ``training=False`` or ``p == 0`` it is the identity and returns the input itself (the
    same Tensor, not a copy; an array or list is wrapped in a new Tensor). With ``p == 1``
    every element is dropped: zeros, with a zero gradient.

    Parameters
    ----------
    x : Tensor or array_like
        The input; a floating dtype (float32 stays float32).
    p : float, optional
        The probability of dropping an element, in [0, 1] (default 0.5).
    training : bool, optional
        Drop (True, the default) or be the identity (False).
    rng : numpy.random.Generator, int or None, optional
        Draws the mask: a Generator (advanced by the draw), an int seed (the same mask on
        every call) or None (unseeded).

    Returns
    -------
    Tensor
        ``x * mask``, of the input's shape and dtype, or the input itself.

    Raises
    ------
    TypeError
        If ``x`` is not floating, ``p`` is not a real number, or ``rng`` is not a Generator,
        an int or None.
    ValueError
        If ``p`` lies outside [0, 1].

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    >>> y = nn.functional.dropout(x, p=0.5, rng=1)
    >>> y
    Tensor([2., 4., 0., 8.], grad_fn=<Mul>)
    >>> y.sum().backward()
    >>> x.grad                     # the mask: kept elements get 1/(1 − p)
    Tensor([2., 2., 0., 2.])
    >>> nn.functional.dropout(x, p=0.5, training=False) is x
    True
    >>> nn.functional.dropout(x, p=-0.1)
    Traceback (most recent call last):
        ...
    ValueError: dropout: p must be a probability in [0, 1], got -0.1
    """
    where = "dropout"
    p = check_probability(p, where)
    gen = init.as_generator(rng) if training and 0.0 < p < 1.0 else None
    x = _input(x, where)
    if not training or p == 0.0:
        return x
    dtype = x.dtype
    if p == 1.0:
        mask = np.zeros(x.shape, dtype)
    else:
        keep = gen.random(x.shape) >= p
        mask = np.where(keep, dtype.type(1.0 / (1.0 - p)), dtype.type(0.0))
    return x * mask


def _normalized_shape(normalized_shape, where):
    """``normalized_shape`` (an int or a sequence of ints) as a tuple of positive ints."""
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) \
        else normalized_shape
    try:
        shape = tuple(shape)
    except TypeError:
        shape = None
    if (not shape or any(isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer))
                         or n < 1 for n in shape)):
        raise ValueError(f"{where}: normalized_shape must be a positive int or a non-empty "
                         f"sequence of positive ints, got {normalized_shape!r}")
    return tuple(int(n) for n in shape)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalization over the last ``len(normalized_shape)`` axes (PyTorch's).

    y = (x − μ)/√(σ² + eps)·weight + bias, with μ and σ² the mean and the biased variance
    (÷ n) over those axes, taken separately for every position of the leading axes. It is
    composed of recorded ops (mean, subtract, multiply, sqrt, divide), so it is differentiable
    to any order.

    Parameters
    ----------
    x : Tensor or array_like
        The input, of shape ``(..., *normalized_shape)``; a floating dtype (float32 stays
        float32).
    normalized_shape : int or sequence of int
        The trailing shape of ``x`` to normalize over.
    weight : Tensor or array_like, optional
        The scale γ, of shape ``normalized_shape``; None (the default) scales by 1.
    bias : Tensor or array_like, optional
        The shift β, of shape ``normalized_shape``; None (the default) adds nothing.
    eps : float, optional
        Added to the variance (default 1e-5).

    Returns
    -------
    Tensor
        The normalized input, of its shape.

    Raises
    ------
    TypeError
        If ``x`` is not floating or ``eps`` is not a real number.
    ValueError
        If ``normalized_shape`` is not the trailing shape of ``x``, or ``weight`` or ``bias``
        does not have that shape.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> x = ag.tensor([[1.0, 2.0, 3.0], [2.0, 2.0, 8.0]])
    >>> nn.functional.layer_norm(x, 3)
    Tensor([[-1.22473569,  0.        ,  1.22473569],
            [-0.70710634, -0.70710634,  1.41421268]])
    >>> nn.functional.layer_norm(x, (2, 3)).shape
    (2, 3)
    >>> nn.functional.layer_norm(x, (4,))
    Traceback (most recent call last):
        ...
    ValueError: layer_norm: normalized_shape (4,) must be the trailing shape of the input, ...
    """
    where = "layer_norm"
    shape = _normalized_shape(normalized_shape, where)
    eps = _real(eps, "eps", where)
    x = _input(x, where)
    k = len(shape)
    if x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise ValueError(f"{where}: normalized_shape {shape} must be the trailing shape of the "
                         f"input, got an input of shape {x.shape}")
    for name, v in (("weight", weight), ("bias", bias)):
        if v is not None and np.shape(raw(v)) != shape:
            raise ValueError(f"{where}: {name} of shape {np.shape(raw(v))} must have the "
                             f"normalized_shape {shape}")
    axes = tuple(range(-k, 0))
    centred = x - x.mean(axis=axes, keepdims=True)
    var = (centred * centred).mean(axis=axes, keepdims=True)
    out = centred / ag.sqrt(var + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out
