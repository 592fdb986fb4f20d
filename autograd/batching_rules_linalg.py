"""Batching rules of matmul, einsum, linear algebra and nn's fused layers (dispatched by
:mod:`autograd.batched`). Products batch natively: a batch of vectors times a shared matrix is
one matrix product, and times per-example copies of it (:class:`_VecMat`, when each example's
gradient is asked for) a product whose weight gradient is the batch of outer products;
``ag.linalg`` runs on the stack of matrices.
"""
import numpy as np

from .batched import (BatchedTensor, _BY_NAME, _RESHAPE, _RULES, _apply, _call, _expand,
                      _is_b, _lift, _ndim, _phys, _raw, _shape)
from .batching_rules import _shift
from .function import Function, _RawCtx
from .ops import activations as _act
from .ops import linalg as _la
from .ops import linalg_decomp as _lad
from .ops import linalg_norms as _lan
from .ops import linalg_solve as _las
from .ops import products as _prod
from .ops import reductions as _red
from .tensor import Tensor


class _VecMat(Function):
    """A batch of vectors times a batch of matrices, ``out[b] = a[b] @ W[b]``: matmul's rule
    for a batched vector and a batched matrix (a per-example copy of the weights, when
    differentiating each example's loss). When the matrices are one matrix broadcast along the
    batch (stride 0), the forward is one matrix product of the whole batch; the weights'
    gradient is the batch of outer products ``a[b] ⊗ g[b]``: each example's own."""

    @staticmethod
    def forward(ctx, a, w):
        ctx.save_for_backward(a, w)
        if w.strides[0] == 0:
            return a @ w[0]
        return np.einsum("bk,bkm->bm", a, w)

    @staticmethod
    def backward(ctx, g):
        a, w = ctx.saved_tensors
        B, k = a.shape
        m = g.shape[1]
        ga = gw = None
        if ctx.needs_input_grad[0]:
            wa = _raw(w)
            if isinstance(g, np.ndarray) and wa.strides[0] == 0:
                ga = g @ wa[0].T
            else:
                ga = (g.reshape((B, 1, m)) @ w.swapaxes(-1, -2)).reshape((B, k))
        if ctx.needs_input_grad[1]:
            gw = _outer(a, g)
        return ga, gw


class _Outer(Function):
    """The batch of outer products ``out[b] = a[b] ⊗ g[b]`` (per-example weight gradients)."""

    @staticmethod
    def forward(ctx, a, g):
        ctx.save_for_backward(a, g)
        return np.einsum("bk,bm->bkm", a, g)

    @staticmethod
    def backward(ctx, grad_output):
        a, g = ctx.saved_tensors
        B, k = a.shape
        m = g.shape[1]
        ga = (grad_output * g.reshape((B, 1, m))).sum(axis=2) if ctx.needs_input_grad[0] \
            else None
        gg = (grad_output * a.reshape((B, k, 1))).sum(axis=1) if ctx.needs_input_grad[1] \
            else None
        return ga, gg


def _outer(a, g):
    if isinstance(a, Tensor) or isinstance(g, Tensor):
        return _call(_Outer, a, g)
    return _Outer.forward(_RawCtx(), a, g)


def _matmul_rule(cls, level, args, kwargs):
    a, b = args
    B = level.size
    an, bn = _ndim(a), _ndim(b)
    ab, bb = _is_b(a, level), _is_b(b, level)
    if ab and bb and an == 1 and bn == 2 and type(a._phys) is not BatchedTensor \
            and type(b._phys) is not BatchedTensor:
        return _call(_VecMat, a._phys, b._phys)
    if ab and not bb and an == 1 and bn == 2:          # a batch of vectors times a matrix
        return _call(cls, a._phys, b)
    if ab and not bb and an == 2 and bn == 2:          # a batch of matrices times a matrix
        return _call(cls, a._phys, b)
    # vectors as matrices, batch axes aligned
    squeeze = []
    if an == 1:
        a2 = _call(_RESHAPE, a._phys, shape=(B, 1) + a.shape) if ab else \
            _call(_RESHAPE, a if isinstance(a, Tensor) else Tensor(a), shape=(1,) + _shape(a))
        ashape = (1,) + _shape(a)
        squeeze.append(-2)
    else:
        a2, ashape = _phys(a, level), _shape(a)
    if bn == 1:
        b2 = _call(_RESHAPE, b._phys, shape=(B,) + b.shape + (1,)) if bb else \
            _call(_RESHAPE, b if isinstance(b, Tensor) else Tensor(b), shape=_shape(b) + (1,))
        bshape = _shape(b) + (1,)
        squeeze.append(-1)
    else:
        b2, bshape = _phys(b, level), _shape(b)
    n = max(len(ashape), len(bshape))
    if ab and len(ashape) < n:
        a2 = _call(_RESHAPE, a2, shape=(B,) + (1,) * (n - len(ashape)) + ashape)
    if bb and len(bshape) < n:
        b2 = _call(_RESHAPE, b2, shape=(B,) + (1,) * (n - len(bshape)) + bshape)
    if not ab:
        a2 = _call(_RESHAPE, a2 if isinstance(a2, Tensor) else Tensor(a2),
                   shape=(1,) * (n + 1 - len(ashape)) + ashape)
    if not bb:
        b2 = _call(_RESHAPE, b2 if isinstance(b2, Tensor) else Tensor(b2),
                   shape=(1,) * (n + 1 - len(bshape)) + bshape)
    out = _call(cls, a2, b2)
    if squeeze:
        shape = list(out.shape)
        for ax in sorted(squeeze):
            del shape[ax]
        out = _call(_RESHAPE, out, shape=tuple(shape))
    return out


def _einsum_rule(cls, level, args, kwargs):
    subscripts = kwargs["subscripts"]
    ins, _, out = subscripts.replace(" ", "").partition("->")
    terms = ins.split(",")
    used = set(subscripts)
    letter = next(c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba"
                  if c not in used)
    if "->" not in subscripts:
        raise TypeError("vmap: einsum without '->' reached the rule")  # normalized upstream
    new_terms = [letter + t if _is_b(a, level) else t for t, a in zip(terms, args)]
    kw = dict(kwargs)
    kw["subscripts"] = ",".join(new_terms) + "->" + letter + out
    kw["compute"] = None
    return _call(cls, *[_phys(a, level) for a in args], **kw)


def _stacked_rule(cls, level, args, kwargs):
    """linalg on the stack of matrices: the batched operands lifted to a common rank."""
    nd = max(_ndim(a) for a in args if isinstance(a, (Tensor, np.ndarray)))
    return _call(cls, *[_lift(a, level, nd) for a in args], **kwargs)


def _solve_rule(cls, level, args, kwargs):
    a, b = args
    if _ndim(b) == 1 and _is_b(b, level):
        bm = _call(_RESHAPE, b._phys, shape=(level.size,) + b.shape + (1,))
        out = _call(cls, _lift(a, level, 2), bm, **kwargs)
        return _call(_RESHAPE, out, shape=(level.size,) + b.shape)
    if _ndim(b) == 1:
        bm = _call(_RESHAPE, b if isinstance(b, Tensor) else Tensor(b), shape=_shape(b) + (1,))
        out = _call(cls, a._phys, bm, **kwargs)
        return _call(_RESHAPE, out, shape=tuple(out.shape[:-1]))
    nd = max(_ndim(a), _ndim(b))
    return _call(cls, _lift(a, level, nd), _lift(b, level, nd), **kwargs)


def _norm_rule(cls, level, args, kwargs):
    x = args[0]
    kw = dict(kwargs)
    nd = x.ndim
    if kw.get("axis") is None:
        flat = _call(_RESHAPE, x._phys, shape=(level.size, -1))
        kw["axis"], kw["axes"], kw["ord"] = (1,), (1,), None     # the 2-norm of all
        kept = kw.get("keepdims", False)
        kw["keepdims"] = False
        out = _call(cls, flat, **kw)
        return _call(_RESHAPE, out, shape=(level.size,) + ((1,) * nd if kept else ()))
    kw["axis"] = _shift(kw["axis"], nd)
    kw["axes"] = _shift(kw.get("axes", ()), nd) if kw.get("axes") else kw["axes"]
    return _call(cls, x._phys, **kw)


def _decomposed(fn):
    """A fused operation's rule: its definition in the library's operations, each batched."""
    def rule(cls, level, args, kwargs):
        return _expand(fn(*args, **kwargs), level)
    return rule


def _affine(x, w, b):
    return x @ w + b


def _affine_relu(x, w, b):
    return _apply(_act.ReLU, x @ w + b)


def _cross_entropy_rule(cls, level, args, kwargs):
    """nn's CrossEntropyFromLogits (and the like: logits (..., C), a target): on the samples of
    every example at once, with reduction "none", then reduced per example."""
    z, t = args[0], args[1]
    kw = dict(kwargs)
    reduction = kw.get("reduction", "mean")
    kw["reduction"] = "none"
    zs = z.shape
    B = level.size
    zp = _expand(z, level)
    zflat = _call(_RESHAPE, zp, shape=(-1, zs[-1]) if zs else (-1,))
    labels = kw.get("labels", False)
    tp = _expand(t if isinstance(t, Tensor) else Tensor(t), level)
    tshape = zs[:-1] if labels else zs
    tflat = _call(_RESHAPE, tp, shape=(-1,) + (() if labels else (zs[-1],)))
    per = _call(cls, zflat, tflat, *args[2:], **kw)
    per = _call(_RESHAPE, per, shape=(B,) + tuple(zs[:-1] if labels else tshape[:-1]))
    if reduction == "none":
        return per
    red = _red.Mean if reduction == "mean" else _red.Sum
    return _call(red, per, axis=tuple(range(1, per.ndim)))


# ----------------------------------------------------------------------------- the rule table
_RULES[_la.MatMul] = _matmul_rule
_RULES[_prod.Einsum] = _einsum_rule
for _cls in (_las.Inv, _las.Det, _las.Cofactor, _las.LogAbsDet, _las.Pinv, _las.Identity,
             _lan.SingularFactor, _lad.Cholesky, _lad.Eigh, _lad.SVD):
    _RULES[_cls] = _stacked_rule
_RULES[_las.Solve] = _solve_rule
_RULES[_lad.TriSolve] = _stacked_rule
_RULES[_lan.Norm] = _norm_rule
del _cls
# nn's fused operations, by (module, name): nn is not imported here
_BY_NAME[("nn.layers", "Affine")] = _decomposed(_affine)
_BY_NAME[("nn.layers", "AffineReLU")] = _decomposed(_affine_relu)
_BY_NAME[("nn.functional", "CrossEntropyFromLogits")] = _cross_entropy_rule
