"""gradcheck: the Jacobian that backward gives, against central finite differences.

A failure is reported as a readable :class:`GradcheckError`: which input and output, the worst
element's index, the analytic and numerical values, their absolute and relative error, how many
entries fail, and a diagnosis of the pattern (sign flipped, a constant factor, transposed, only
the diagonal, no gradient at all, a kink where finite differences do not apply).

:func:`gradgradcheck` applies the same comparison and report to the first-order gradients, as
functions of the inputs and of the output gradients, to check second derivatives.
"""
from dataclasses import dataclass

import numpy as np

from .engine import enable_grad, grad as _grad, no_grad
from .tensor import Tensor


@dataclass
class GradcheckFailure:
    """One (input, output) pair whose Jacobians disagree.

    ``analytic`` and ``numerical`` have shape ``out.shape + in.shape``:
    ``J[out_index + in_index] = ∂out[out_index] / ∂in[in_index]``. Found in
    :attr:`GradcheckError.failures`.

    Attributes
    ----------
    input_index : int
        The position of the input among ``fn``'s arguments (for :func:`gradgradcheck`, fn's
        inputs first, then the grad_outputs).
    output_index : int
        The position of the output among ``fn``'s outputs (for :func:`gradgradcheck`, the
        gradient of the ``output_index``-th checked input).
    analytic : numpy.ndarray
        The Jacobian that backward gives, of shape ``out.shape + in.shape``.
    numerical : numpy.ndarray
        The Jacobian from central finite differences (float64), of the same shape.
    worst_index : tuple of int
        ``out_index + in_index`` of the entry that misses its tolerance by the most.
    n_bad : int
        How many entries fail.
    n_total : int
        How many entries the Jacobian has.
    diagnosis : str
        A sentence on what the pattern of wrong entries suggests (sign flipped, a constant
        factor, transposed, only the diagonal, no gradient at all, a kink).
    in_ndim : int
        The number of axes of the input, which splits ``worst_index``.

    Examples
    --------
    >>> import autograd as ag
    >>> x = ag.tensor([0.0, 1.0], requires_grad=True)
    >>> try:
    ...     ag.gradcheck(ag.relu, x)      # relu has a kink at 0
    ... except ag.GradcheckError as e:
    ...     failure = e.failures[0]
    >>> failure.input_index, failure.output_index, failure.n_bad, failure.n_total
    (0, 0, 1, 4)
    >>> failure.worst_index, failure.out_index, failure.in_index
    ((0, 0), (0,), (0,))
    >>> failure.analytic
    array([[0., 0.],
           [0., 1.]])
    >>> failure.numerical
    array([[0.5, 0. ],
           [0. , 1. ]])
    >>> print(failure.diagnosis)
    the left and right difference quotients of the worst entry differ: the function has a
    kink there (like relu or abs at 0), ...
    """

    input_index: int
    output_index: int
    analytic: np.ndarray
    numerical: np.ndarray
    worst_index: tuple      # out_index + in_index of the worst entry
    n_bad: int
    n_total: int
    diagnosis: str

    @property
    def out_index(self):
        """The output's index of the worst entry (the first part of ``worst_index``)."""
        return self.worst_index[:self.analytic.ndim - self.in_ndim]

    @property
    def in_index(self):
        """The input's index of the worst entry (the last ``in_ndim`` of ``worst_index``)."""
        return self.worst_index[self.analytic.ndim - self.in_ndim:]

    in_ndim: int = 0


class GradcheckError(RuntimeError):
    """A gradient check failed; the message reads as a report.

    ``failures`` holds one :class:`GradcheckFailure` per bad pair, with both Jacobians. A
    ``RuntimeError``, raised by :func:`gradcheck` and :func:`gradgradcheck`.

    Parameters
    ----------
    message : str
        The report.
    failures : list of GradcheckFailure
        One per (input, output) pair whose Jacobians disagree.

    Attributes
    ----------
    failures : list of GradcheckFailure
        One per (input, output) pair whose Jacobians disagree.

    Examples
    --------
    >>> import autograd as ag
    >>> class BadSquare(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         x, = ctx.saved_tensors
    ...         return grad_output * x            # wrong: d(x²)/dx = 2x
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> try:
    ...     ag.gradcheck(BadSquare.apply, x)
    ... except ag.GradcheckError as e:
    ...     print(e)
    ...     err = e
    gradcheck failed for BadSquare.apply: 1 (input, output) pair(s) disagree (atol=1e-05,
    rtol=0.001, eps=1e-06; J[out_index + in_index] = d out[out_index] / d in[in_index])
      input 0 (shape (2,), float64) -> output 0 (shape (2,), float64): 2 of 4 entries wrong
        worst: d out[1] / d in[1]: analytic 2, numerical 4, abs error 2, rel error 0.5
        why: only diagonal entries ∂out_i/∂in_i are wrong: the term for i = j is off, the
        cross terms are right; analytic = 0.5 × numerical on every wrong entry: a constant
        factor is off (a missing 1/2, a doubled term, a wrong scale)
    >>> err.analytic
    array([[1., 0.],
           [0., 2.]])
    >>> err.numerical
    array([[2., 0.],
           [0., 4.]])
    """

    def __init__(self, message, failures):
        super().__init__(message)
        self.failures = failures

    @property
    def analytic(self):
        """The analytic Jacobian of the first failing pair (``failures[0].analytic``)."""
        return self.failures[0].analytic

    @property
    def numerical(self):
        """The numerical Jacobian of the first failing pair (``failures[0].numerical``)."""
        return self.failures[0].numerical


def _outputs(result):
    outs = (result,) if isinstance(result, Tensor) else tuple(result)
    for o in outs:
        if not isinstance(o, Tensor):
            raise TypeError(f"gradcheck: fn must return a Tensor or a tuple of Tensors, got "
                            f"{type(o).__name__}")
    return outs


def _evaluate64(fn, inputs, positions, arrays):
    """fn at float64 copies of the inputs, with ``arrays`` replacing the checked ones."""
    args = list(inputs)
    for k, a in enumerate(inputs):
        if isinstance(a, Tensor) and a.dtype.kind == "f":
            args[k] = Tensor(a._data.astype(np.float64))
    for pos, arr in zip(positions, arrays):
        args[pos] = Tensor(arr)
    with no_grad():
        outs = _outputs(fn(*args))
    return [np.asarray(o._data, dtype=np.float64) for o in outs]


def analytic_jacobians(fn, inputs, positions):
    """J[j][i] of shape out_j.shape + in_i.shape, one backward pass per output element.

    Parameters
    ----------
    fn : callable
        The function checked, returning a Tensor or a tuple of Tensors.
    inputs : tuple
        Its arguments.
    positions : list of int
        The positions of the inputs to differentiate with respect to.

    Returns
    -------
    outs : tuple of Tensor
        ``fn``'s outputs.
    jac : list of list of numpy.ndarray
        ``jac[j][i]``: the Jacobian of output ``j`` in input ``positions[i]`` (zeros for an
        output that does not require grad).
    """
    outs = _outputs(fn(*inputs))
    checked = [inputs[p] for p in positions]
    jac = []
    for out in outs:
        rows = [np.zeros((out.size, inputs[p].size)) for p in positions]
        if out.requires_grad and out.dtype.kind == "f":
            for k in range(out.size):
                seed = np.zeros(out.size, dtype=out.dtype)
                seed[k] = 1
                grads = _grad(out, checked, grad_outputs=seed.reshape(out.shape),
                              retain_graph=True, allow_unused=True)
                for r, g in zip(rows, grads):
                    if g is not None:
                        r[k] = g._data.reshape(-1)
        jac.append([r.reshape(out.shape + inputs[p].shape) for r, p in zip(rows, positions)])
    return outs, jac


def numerical_jacobians(fn, inputs, positions, eps):
    """Central differences in float64: J[j][i] of shape out_j.shape + in_i.shape.

    Parameters
    ----------
    fn : callable
        The function checked, evaluated under ``no_grad`` at float64 copies of the inputs.
    inputs : tuple
        Its arguments.
    positions : list of int
        The positions of the inputs to perturb.
    eps : float
        The step: ``(f(x + eps) − f(x − eps)) / (2 eps)``.

    Returns
    -------
    list of list of numpy.ndarray
        ``J[j][i]``: the Jacobian of output ``j`` in input ``positions[i]``.
    """
    base = [inputs[p]._data.astype(np.float64) for p in positions]
    outs0 = _evaluate64(fn, inputs, positions, base)
    jac = [[np.zeros(o.shape + b.shape) for b in base] for o in outs0]
    for i, b in enumerate(base):
        for idx in np.ndindex(*b.shape):
            plus, minus = b.copy(), b.copy()
            plus[idx] += eps
            minus[idx] -= eps
            arrays = list(base)
            arrays[i] = plus
            f_plus = _evaluate64(fn, inputs, positions, arrays)
            arrays[i] = minus
            f_minus = _evaluate64(fn, inputs, positions, arrays)
            for j in range(len(outs0)):
                jac[j][i][(Ellipsis,) + idx] = (f_plus[j] - f_minus[j]) / (2 * eps)
    return jac


def _one_sided(fn, inputs, positions, i, j, out_idx, in_idx, eps):
    """The left and right difference quotients of one entry: they differ at a kink."""
    base = [inputs[p]._data.astype(np.float64) for p in positions]
    values = []
    for step in (-eps, 0.0, eps):
        arrays = list(base)
        arrays[i] = base[i].copy()
        arrays[i][in_idx] += step
        values.append(_evaluate64(fn, inputs, positions, arrays)[j][out_idx])
    return (values[1] - values[0]) / eps, (values[2] - values[1]) / eps


def _diagnose(a, n, bad, tol, kink):
    """A sentence on what the pattern of wrong entries suggests."""
    if not np.isfinite(a).all():
        return ("backward produced NaN or inf (at the entries flagged): look for a division by "
                "zero or a log/sqrt at the boundary of its domain in the backward rule")
    if not np.isfinite(n).all():
        return ("the function itself is not finite next to this input, so finite differences "
                "are meaningless here: move the input inside the function's domain")
    if kink:
        return ("the left and right difference quotients of the worst entry differ: the "
                "function has a kink there (like relu or abs at 0), where finite differences are "
                "unreliable and any subgradient may be right; move the input away from it")
    if not a.any() and n.any():
        return ("the analytic Jacobian is all zeros: backward gives no gradient to this input "
                "(it returned None or zeros, or the output does not depend on it through "
                "recorded ops: the gradient may have been lost where fn left the graph, through "
                "a numpy call on an array (t.numpy(), np.asarray(t)) or through .data)")
    parts = [p for p in (_structure(a, n, bad, tol), _factor(a, n, bad, tol)) if p]
    if parts:
        return "; ".join(parts)
    if bad.mean() < 0.5:
        return f"{bad.sum()} scattered entries are wrong; the others agree"
    return "most entries disagree, with no simple pattern (sign, factor, transpose)"


def _factor(a, n, bad, tol):
    """How the wrong analytic entries relate to the numerical ones: sign, zero, a factor."""
    wrong_n, wrong_a = n[bad], a[bad]
    if np.allclose(wrong_a, -wrong_n, atol=tol, rtol=1e-3) and np.abs(wrong_n).max() > tol:
        return "analytic = −numerical on every wrong entry: the sign of the gradient is flipped"
    if not np.abs(wrong_a).max() > tol:
        return ("analytic is 0 on every wrong entry while numerical is not: a term of the "
                "derivative is missing from backward")
    if (np.abs(wrong_n) > tol).all():
        ratio = wrong_a / wrong_n
        if np.allclose(ratio, ratio.flat[0], rtol=1e-3):
            return (f"analytic = {ratio.flat[0]:.4g} × numerical on every wrong entry: a "
                    f"constant factor is off (a missing 1/2, a doubled term, a wrong scale)")
    return None


def _structure(a, n, bad, tol):
    """Patterns visible when the Jacobian is square (an elementwise-shaped function)."""
    if a.ndim % 2:
        return None
    half = a.ndim // 2
    if a.shape[:half] != a.shape[half:]:
        return None
    m = int(np.prod(a.shape[:half]))
    if m < 2:
        return None
    a2, n2, bad2 = a.reshape(m, m), n.reshape(m, m), bad.reshape(m, m)
    diag = np.eye(m, dtype=bool)
    if np.allclose(a2, n2.T, atol=tol, rtol=1e-3):
        return ("analytic is the transpose of numerical: backward applies the Jacobian instead "
                "of its transpose (J·g where Jᵀ·g is needed)")
    if not (bad2 & ~diag).any():
        return ("only diagonal entries ∂out_i/∂in_i are wrong: the term for i = j is off, the "
                "cross terms are right")
    if not (bad2 & diag).any():
        return ("only off-diagonal entries ∂out_i/∂in_j (i ≠ j) are wrong: the cross terms "
                "are off (for softmax they are −y_i y_j)")
    return None


def _fmt_index(idx):
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _as_inputs(inputs):
    """The arguments as a tuple. A Tensor passed at several positions, ``(x, x)``, gets a copy of
    its own (same values, a new leaf) at each later one: each position is one argument of
    ``fn``, whose partial derivatives the numerical Jacobian takes one at a time, and the
    analytic one must too."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    seen, out = set(), []
    for a in inputs:
        if isinstance(a, Tensor) and id(a) in seen:
            a = Tensor(a.numpy().copy(), requires_grad=a.requires_grad, name=a.name)
        seen.add(id(a))
        out.append(a)
    return tuple(out)


def _checked_positions(inputs, check):
    positions = [k for k, a in enumerate(inputs) if isinstance(a, Tensor) and a.requires_grad]
    if not positions:
        raise ValueError(f"{check}: no input requires grad; pass Tensors with "
                         f"requires_grad=True")
    return positions


def _compare(fn, inputs, positions, eps, atol, rtol):
    """Both Jacobians of ``fn`` for every (checked input, output) pair, and the pairs whose
    entries disagree (``|analytic − numerical| > atol + rtol·|numerical|``), diagnosed."""
    outs, analytic = analytic_jacobians(fn, inputs, positions)
    numerical = numerical_jacobians(fn, inputs, positions, eps)
    failures = []
    for j, out in enumerate(outs):
        for i, p in enumerate(positions):
            a, n = analytic[j][i], numerical[j][i]
            tol = atol + rtol * np.abs(n)
            with np.errstate(invalid="ignore"):
                bad = ~(np.abs(a - n) <= tol)
            if not bad.any():
                continue
            with np.errstate(invalid="ignore"):
                excess = np.where(np.isfinite(a - n), np.abs(a - n) - tol, np.inf)
            worst = np.unravel_index(int(np.argmax(np.where(bad, excess, -np.inf))), a.shape)
            in_ndim = inputs[p].ndim
            out_idx, in_idx = worst[:a.ndim - in_ndim], worst[a.ndim - in_ndim:]
            kink = False
            if np.isfinite(n[worst]):
                left, right = _one_sided(fn, inputs, positions, i, j, out_idx, in_idx, eps)
                kink = abs(right - left) > 10 * (atol + rtol * abs(n[worst]))
            failures.append(GradcheckFailure(
                input_index=p, output_index=j, analytic=a, numerical=n,
                worst_index=tuple(int(w) for w in worst), n_bad=int(bad.sum()),
                n_total=bad.size, diagnosis=_diagnose(a, n, bad, atol, kink), in_ndim=in_ndim))
    return outs, failures


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check ``fn``'s gradients against central finite differences (taken in float64).

    ``inputs`` is a Tensor or a tuple of arguments for ``fn``; every Tensor among them that
    requires grad is checked, against every floating output of ``fn`` (a Tensor or a tuple).
    An entry fails when ``|analytic − numerical| > atol + rtol·|numerical|``. Returns True, or
    raises :class:`GradcheckError` with a report (returns False if not ``raise_exception``).

    The analytic Jacobian takes one backward pass per output element, the numerical one two
    evaluations of ``fn`` per input element: use small inputs.

    Parameters
    ----------
    fn : callable
        The function to check, taking ``*inputs`` and returning a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple
        Its arguments; the Tensors that require grad are checked.
    eps : float, optional
        The finite-difference step (default 1e-6).
    atol : float, optional
        The absolute tolerance (default 1e-5).
    rtol : float, optional
        The relative tolerance (default 1e-3).
    raise_exception : bool, optional
        Raise :class:`GradcheckError` on a failure (default True), else return False.

    Returns
    -------
    bool
        True if every entry agrees; False on a failure when ``raise_exception`` is False.

    Raises
    ------
    GradcheckError
        On a failure, with the report: which input and output, the worst entry's index, the
        analytic and numerical values, their errors, how many entries fail, and a diagnosis.
    ValueError
        If no input requires grad.
    TypeError
        If ``fn`` returns something other than Tensors.

    Examples
    --------
    >>> import autograd as ag
    >>> a = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> b = ag.tensor(3.0, requires_grad=True)
    >>> ag.gradcheck(lambda a, b: (a * b).sum(), (a, b))
    True
    >>> ag.gradcheck(ag.relu, ag.tensor([0.0, 1.0], requires_grad=True))   # a kink at 0
    Traceback (most recent call last):
        ...
    autograd.gradcheck.GradcheckError: gradcheck failed for relu: 1 (input, output) pair(s)
    disagree ...
      input 0 (shape (2,), float64) -> output 0 (shape (2,), float64): 1 of 4 entries wrong
        worst: d out[0] / d in[0]: analytic 0, numerical 0.5, abs error 0.5, rel error 1
        why: the left and right difference quotients of the worst entry differ: ...
    >>> ag.gradcheck(ag.relu, ag.tensor([0.0, 1.0], requires_grad=True), raise_exception=False)
    False
    """
    inputs = _as_inputs(inputs)
    positions = _checked_positions(inputs, "gradcheck")
    outs, failures = _compare(fn, inputs, positions, eps, atol, rtol)
    if not failures:
        return True
    if not raise_exception:
        return False
    raise GradcheckError(_report(fn, inputs, outs, failures, atol, rtol, eps), failures)


def _fn_name(fn):
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, type):     # SomeFunction.apply
        return f"{owner.__name__}.{fn.__name__}"
    return getattr(fn, "__qualname__", None) or type(fn).__name__


class _Labels:
    """How a report names the checked inputs and outputs (gradgradcheck renames them)."""

    check = "gradcheck"
    what = ""

    def input(self, p):
        return f"input {p}"

    def output(self, j):
        return f"output {j}"

    def d_in(self, p):
        return "in"

    def d_out(self, j):
        return "out"


def _report(fn, inputs, outs, failures, atol, rtol, eps, labels=None):
    labels = labels or _Labels()
    lines = [f"{labels.check} failed for {_fn_name(fn)}{labels.what}: {len(failures)} "
             f"(input, output) pair(s) disagree "
             f"(atol={atol:g}, rtol={rtol:g}, eps={eps:g}; J[out_index + in_index] = "
             f"d out[out_index] / d in[in_index])"]
    for f in failures:
        x, out = inputs[f.input_index], outs[f.output_index]
        a, n = f.analytic[f.worst_index], f.numerical[f.worst_index]
        abs_err = abs(a - n)
        rel_err = abs_err / abs(n) if n != 0 else float("inf")
        lines += [
            f"  {labels.input(f.input_index)} (shape {x.shape}, {x.dtype}) -> "
            f"{labels.output(f.output_index)} "
            f"(shape {out.shape}, {out.dtype}): {f.n_bad} of {f.n_total} entries wrong",
            f"    worst: d {labels.d_out(f.output_index)}{_fmt_index(f.out_index)} / "
            f"d {labels.d_in(f.input_index)}{_fmt_index(f.in_index)}: "
            f"analytic {a:.6g}, numerical {n:.6g}, abs error {abs_err:.3g}, "
            f"rel error {rel_err:.3g}",
            f"    why: {f.diagnosis}",
        ]
    return "\n".join(lines)


# ----------------------------------------------------------------------------- second order
_SECOND_ORDER_ZERO_HINT = (
    "(second order) the first-order gradient is not recorded as a function of this input: "
    "some backward rule computes it on raw arrays (np.asarray, ._data, raw(), a numpy function) "
    "instead of Tensor operations, so create_graph=True cannot see through it and its second "
    "derivative comes out as zero")
_SECOND_ORDER_SAVED_HINT = (
    "(second order) a common cause: backward reads an array that forward saved and that is "
    "neither an input nor the output (ctx.save_for_backward(intermediate)); under "
    "create_graph=True it is a constant, so its dependence on the input is lost: recompute it "
    "in backward from the saved input with Tensor operations")
_SECOND_ORDER_V_HINT = (
    "(second order) the first-order gradient is not recorded as a function of grad_output: "
    "some backward rule turns grad_output into a plain array, so what differentiates through "
    "it (gradgradcheck, jvp, hvp, higher derivatives) loses that path")


class _SecondOrderLabels(_Labels):
    """Inputs ``0..n-1`` are fn's; ``n..`` are the grad_outputs v. Output ``j`` of the checked
    function is the first-order gradient of fn's ``j``-th checked input."""

    check = "gradgradcheck"

    def __init__(self, n_inputs, wrt):
        self.n, self.wrt = n_inputs, wrt
        self.what = (" (second-order check: grad_i = Σ_k v_k · ∂out_k/∂input_i, the gradients "
                     "that backward computes with create_graph=True, differentiated again with "
                     "respect to the inputs and to v = grad_outputs, against central "
                     "differences of grad_i)")

    def input(self, p):
        return f"input {p}" if p < self.n else f"grad_outputs[{p - self.n}]"

    def output(self, j):
        return f"grad of input {self.wrt[j]}"

    def d_in(self, p):
        return f"input_{p}" if p < self.n else f"v_{p - self.n}"

    def d_out(self, j):
        return f"grad_{self.wrt[j]}"


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True):
    """Check ``fn``'s second derivatives against central finite differences of its first.

    As PyTorch's ``gradgradcheck``: the function checked is
    ``(inputs, v) -> grad_i = Σ_k v_k · ∂out_k/∂input_i`` (one vector-Jacobian product per
    input that requires grad, computed by ``ag.grad(..., create_graph=True)``), and
    :func:`gradcheck`'s comparison is applied to it: its Jacobian in the inputs is the
    second derivative (contracted with ``v``), computed by differentiating the recorded backward
    pass; its Jacobian in ``v`` is the first-order Jacobian transposed. Both are compared with
    central differences of ``grad_i`` in float64. It does not judge the first derivatives
    themselves (a consistently recorded wrong rule passes): :func:`gradcheck` does.

    ``grad_outputs`` is one array or Tensor per output of ``fn`` (with that output's shape);
    by default they are drawn from ``np.random.default_rng(0)``, standard normal, and are
    checked too. A Tensor given there is checked only if it requires grad.

    Returns True, or raises :class:`GradcheckError` (False if not ``raise_exception``) whose
    report says it is a second-order check; in its failures, ``input_index`` counts fn's
    inputs first and then the grad_outputs, and ``output_index`` ``j`` is the gradient of the
    ``j``-th checked input of fn. A custom Function whose backward leaves the graph (computes on
    numpy arrays) gets second derivatives of zero, and fails here with that diagnosis.

    Parameters
    ----------
    fn : callable
        The function to check, taking ``*inputs`` and returning a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple
        Its arguments; the Tensors that require grad are checked.
    grad_outputs : array_like, Tensor or sequence, optional
        One ``v`` per output of ``fn``, of its shape (default: standard normal draws from
        ``np.random.default_rng(0)``).
    eps, atol, rtol : float, optional
        As for :func:`gradcheck`.
    raise_exception : bool, optional
        Raise :class:`GradcheckError` on a failure (default True), else return False.

    Returns
    -------
    bool
        True if every entry agrees; False on a failure when ``raise_exception`` is False.

    Raises
    ------
    GradcheckError
        On a failure, with a report that says it is a second-order check.
    ValueError
        If no input requires grad, no output of ``fn`` requires grad, or ``grad_outputs`` does
        not match the outputs in number or shape.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> ag.gradgradcheck(lambda x: (x ** 3).sum(), x)
    True

    A backward rule computed on numpy arrays is not recorded, so its second derivative is 0:

    >>> class Cube(ag.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         x, = ctx.saved_tensors
    ...         return grad_output * 3 * np.asarray(x) ** 2     # leaves the graph
    >>> ag.gradcheck(Cube.apply, x)
    True
    >>> ag.gradgradcheck(Cube.apply, x)
    Traceback (most recent call last):
        ...
    autograd.gradcheck.GradcheckError: gradgradcheck failed for Cube.apply (second-order check: ...
      input 0 (shape (2,), float64) -> grad of input 0 (shape (2,), float64): 2 of 4 entries wrong
        worst: d grad_0[1] / d input_0[1]: analytic 0, numerical -1.58526, abs error 1.59,
        rel error 1
        why: the analytic Jacobian is all zeros: ... its second derivative comes out as zero
    """
    inputs = _as_inputs(inputs)
    wrt = _checked_positions(inputs, "gradgradcheck")
    n = len(inputs)
    outs = _outputs(fn(*inputs))
    diff = [k for k, o in enumerate(outs) if o.requires_grad and o.dtype.kind == "f"]
    if not diff:
        raise ValueError("gradgradcheck: no output of fn requires grad, so there is no "
                         "first-order gradient to differentiate")
    vs = _grad_outputs(grad_outputs, outs, diff)

    def first_order(*args):
        """grad_i of the checked inputs, as a function of the inputs and of v (recorded)."""
        xs, v = list(args[:n]), args[n:]
        with enable_grad():
            for p in wrt:
                # the finite-difference path passes plain copies: make them leaves again
                if not xs[p].requires_grad:
                    xs[p] = Tensor._make(xs[p]._data, None, True)
            ys = _outputs(fn(*xs))
            ys = [ys[k] for k in diff]
            if len(ys) != len(v) or any(not y.requires_grad for y in ys):
                raise RuntimeError("gradgradcheck: fn's outputs changed between calls")
            grads = _grad(ys, [xs[p] for p in wrt], grad_outputs=list(v), create_graph=True,
                          allow_unused=True)
        return tuple(Tensor._make(np.zeros(xs[p].shape, xs[p].dtype)) if g is None else g
                     for p, g in zip(wrt, grads))

    first_order.__qualname__ = _fn_name(fn)
    args = inputs + vs
    positions = wrt + [n + k for k, v in enumerate(vs) if v.requires_grad]
    grads, failures = _compare(first_order, args, positions, eps, atol, rtol)
    for f in failures:
        wrong = f.analytic[~np.isclose(f.analytic, f.numerical, rtol=rtol, atol=atol)]
        if np.isfinite(wrong).all() and not np.abs(wrong).max() > atol:
            f.diagnosis += "; " + (_SECOND_ORDER_ZERO_HINT if f.input_index < n else
                                   _SECOND_ORDER_V_HINT)
        elif f.input_index < n and "kink" not in f.diagnosis:
            f.diagnosis += "; " + _SECOND_ORDER_SAVED_HINT
    if not failures:
        return True
    if not raise_exception:
        return False
    raise GradcheckError(_report(first_order, args, grads, failures, atol, rtol, eps,
                                 _SecondOrderLabels(n, wrt)), failures)


def _grad_outputs(grad_outputs, outs, diff):
    """One v per differentiable output, as Tensors that require grad unless given otherwise."""
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        return tuple(Tensor(rng.standard_normal(outs[k].shape).astype(outs[k].dtype),
                            requires_grad=True) for k in diff)
    if isinstance(grad_outputs, (Tensor, np.ndarray)) or np.isscalar(grad_outputs):
        grad_outputs = (grad_outputs,)
    grad_outputs = tuple(grad_outputs)
    if len(grad_outputs) != len(outs):
        raise ValueError(f"gradgradcheck: got {len(grad_outputs)} grad_outputs for the "
                         f"{len(outs)} output(s) of fn; give one per output")
    vs = []
    for k in diff:
        v, out = grad_outputs[k], outs[k]
        if not isinstance(v, Tensor):
            v = Tensor(np.asarray(v, dtype=out.dtype), requires_grad=True)
        if v.shape != out.shape:
            raise ValueError(f"gradgradcheck: grad_outputs[{k}] has shape {v.shape} but output "
                             f"{k} of fn has shape {out.shape}; they must match")
        vs.append(v)
    return tuple(vs)
