"""The op sweep's cases for autograd/ops/special.py (op_cases.py adds them to CASES).

Every input stays in its op's smooth region: erfinv inside (−0.9, 0.9), logit inside
(0.1, 0.9), gammaln, digamma and xlogy's y positive, xlog1py's y above −0.5, logsumexp's
weights away from 0 (negative ones with return_sign, whose sum keeps its sign).
"""
import autograd as ag
import extras
from op_cases import BINARY_SHAPES, MATRIX, SCALAR, UNARY_SHAPES, VECTOR, Case, positive, real


def inside(lo, hi):
    def domain(rng, shape):
        return rng.uniform(lo, hi, shape)
    domain.__name__ = f"inside_{lo}_{hi}"
    return domain


def negative(rng, shape):
    return -rng.uniform(0.5, 2.0, shape)


class _NeedsScipy:
    """ag.special's functions, each skipping its test (extras.need_module) without scipy."""

    def __getattr__(self, name):
        fn = getattr(ag.special, name)

        def call(*args, **kwargs):
            extras.need_module("scipy.special", "special")
            return fn(*args, **kwargs)
        call.__name__ = name
        return call


sp = _NeedsScipy()
AXIS_SHAPES = [((3,),), ((2, 3),), ((2, 1, 3),)]

CASES = [
    Case("special-erf", sp.erf, UNARY_SHAPES),
    Case("special-erfc", sp.erfc, UNARY_SHAPES),
    Case("special-erfinv", sp.erfinv, UNARY_SHAPES, (inside(-0.9, 0.9),)),
    Case("special-gammaln", sp.gammaln, UNARY_SHAPES, (positive,)),
    # Γ < 0 between −1 and 0: ln|Γ| still has derivative ψ
    Case("special-gammaln-negative", sp.gammaln, [((3,),)], (inside(-0.8, -0.2),)),
    Case("special-digamma", sp.digamma, UNARY_SHAPES, (positive,)),
    Case("special-digamma-of-gammaln", lambda x: sp.digamma(sp.gammaln(x) + 2.0),
         [((3,),)], (positive,)),
    Case("special-expit", sp.expit, UNARY_SHAPES),
    Case("special-logit", sp.logit, UNARY_SHAPES, (inside(0.1, 0.9),)),
    Case("special-xlogy", sp.xlogy, BINARY_SHAPES, (real, positive)),
    Case("special-xlogy-number", lambda y: sp.xlogy(2.5, y), UNARY_SHAPES, (positive,)),
    Case("special-xlog1py", sp.xlog1py, BINARY_SHAPES, (real, inside(-0.5, 2.0))),
    Case("special-logsumexp", sp.logsumexp, UNARY_SHAPES),
    Case("special-logsumexp-axis-1", lambda a: sp.logsumexp(a, axis=-1), AXIS_SHAPES),
    Case("special-logsumexp-axis0-keepdims", lambda a: sp.logsumexp(a, axis=0, keepdims=True),
         AXIS_SHAPES),
    Case("special-logsumexp-axes", lambda a: sp.logsumexp(a, axis=(0, 2)), [((2, 1, 3),)]),
    Case("special-logsumexp-b", lambda a, b: sp.logsumexp(a, b=b), BINARY_SHAPES,
         (real, positive)),
    Case("special-logsumexp-b-axis", lambda a, b: sp.logsumexp(a, axis=-1, b=b, keepdims=True),
         [(VECTOR, VECTOR), (MATRIX, MATRIX), ((2, 1), MATRIX), (VECTOR, (2, 1))],
         (real, positive)),
    Case("special-logsumexp-sign", lambda a, b: sp.logsumexp(a, axis=0, b=b,
                                                            return_sign=True)[0],
         [(VECTOR, VECTOR), (MATRIX, MATRIX), (SCALAR, MATRIX)], (real, negative)),
]
