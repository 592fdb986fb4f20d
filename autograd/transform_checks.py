"""The function transforms' checks, so that none returns a silent zero: an argument the output
does not depend on (:func:`_unused`), a recorded backward pass in which a rule left the graph
(:func:`_check_left`, from :class:`autograd.hooks.watch`), an output that is not a scalar loss
(:func:`_scalar`). Each raises naming the transform, the function and the argument.
"""
import numpy as np

from .pytree import _LEAF
from .tensor import Tensor


def _name(f):
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _depends(out):
    return out.requires_grad and out.dtype.kind == "f"


def _scalar(f, outs, tree, op):
    if tree is not _LEAF:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned a {tree.kind.__name__} of {len(outs)} outputs")
    out = outs[0]
    if out.size != 1:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned shape {out.shape}; for a non-scalar output use "
                         f"jacobian or elementwise_grad, or vjp with a cotangent v of that "
                         f"shape")
    return out


def _zeros(x):
    return Tensor._make(np.zeros(x.shape, x.dtype))


def _unused(gs, xs, names, allow_unused, op, f, of="the output"):
    """``gs`` with zeros for the inputs not reached (None), if ``allow_unused``; else raise."""
    missing = [k for k, g in enumerate(gs) if g is None]
    if missing and not allow_unused:
        listed = ", ".join(f"{names[k]} (shape {xs[k].shape})" for k in missing)
        raise ValueError(
            f"{op}: {of} of {_name(f)} does not depend on {listed}, so its derivative there "
            f"would be a silent zero; pass allow_unused=True to {op} to get zeros for it")
    return [_zeros(x) if g is None else g for x, g in zip(xs, gs)]


def _check_left(left, op, f):
    """Raise if a recorded pass that ``op`` differentiates had a rule that left the graph."""
    if not left:
        return
    note = left[0]
    cls = note.cls.__name__
    others = sorted({n.cls.__name__ for n in left} - {cls})
    also = f" (and {', '.join(others)}.backward too)" if others else ""
    if note.dropped == "grad_output":
        how = "returned a gradient that does not require grad although its grad_output does"
        fix = " (and return None, not zeros, for an input that has no gradient)"
    else:
        how = ("returned a gradient that does not require grad although the tensors it saved "
               "do")
        fix = (f"; if its derivative really is piecewise constant (as relu's is), set "
               f"{cls}.piecewise_linear = True")
    raise RuntimeError(
        f"{op}: differentiating {_name(f)} goes through a recorded backward pass in which "
        f"{cls}.backward left the graph{also}: it {how} (it computed with numpy on plain "
        f"arrays: np.asarray, raw(), .data, numpy functions), so the derivative through it "
        f"would be silently wrong (zero). {cls}.backward must use Tensor operations (or "
        f"autograd.function.dual) to be differentiable{fix}")
