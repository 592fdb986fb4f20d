"""Property-based fuzzing: random graphs of ops, gradient-checked to first and second order.

Hypothesis draws a small program: leaves of broadcastable shapes (dims of 1 to 3, up to three
axes, some leaves missing leading axes or holding size-1 axes), then a few ops, each taking its
operands from every node made so far, so nodes are used twice or more (shared
subexpressions, whose gradients the engine must add up); every program shares at least one.
The program's outputs are its sinks (the nodes no op uses), so every op is checked. Each test
is parametrized by a focus op kind that the program must hold: hypothesis's own choices visit
the 40 kinds very unevenly in a short run. Hypothesis draws the structure (shapes, kinds,
number of ops) and a seed; the values and the minor choices (which operand, which axis,
which index) come from a numpy generator with that seed.

Every op stays in its smooth domain, by construction (``log``, ``sqrt`` and ``** 1.5`` act
on ``softplus(x) + 0.5``, as does one of the divisions) or by a margin checked when the
program is built (an op whose operand lies within 0.05 of a kink, tie or condition boundary —
relu, abs, leaky_relu, elu, clip, maximum/minimum, max/min reductions, where's condition — is
left out, as is a division by less than 0.3, exp of more than 2.5, and any op whose result
leaves [-20, 20]). The margins are far wider than gradcheck's step, so finite differences
never straddle a kink.

The short run in the suite is derandomized (the same programs on every run). ``make fuzz``
runs this file alone with ``FUZZ_EXAMPLES`` (default 300) programs per op kind and per order,
fresh ones each run; a failure prints the program (``note``) and a ``@reproduce_failure``
line, and hypothesis replays it first on the next run.
"""
import os
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

import autograd as ag

_LONG = int(os.environ.get("FUZZ_EXAMPLES", "0"))


def _settings(short_examples):
    common = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
    if _LONG:
        return settings(max_examples=_LONG, derandomize=False, **common)
    return settings(max_examples=short_examples, derandomize=True, database=None, **common)


MARGIN = 0.05      # distance kept from every kink, tie and condition boundary
BOUND = 20.0       # every node's values stay within ±BOUND
MAX_SIZE = 24      # elements per node
MAX_LEAF_ELEMENTS = 14


def _pos(x):
    """A strictly positive (≥ 0.5), smooth function of x: the safe argument of log/sqrt/÷."""
    return ag.softplus(x) + 0.5


def _gap_top2(v, axis, largest):
    """The smallest gap between the extreme value and the runner-up along ``axis``."""
    s = np.sort(v, axis=axis)
    if v.shape[axis] < 2:
        return np.inf
    a, b = (np.take(s, -1, axis), np.take(s, -2, axis)) if largest else \
        (np.take(s, 0, axis), np.take(s, 1, axis))
    return np.abs(a - b).min() if a.size else np.inf


def _min_abs(v):
    return np.abs(v).min() if v.size else np.inf


def _relu_in_place(x):
    """relu_() on a fresh tensor (x · 1, which nothing else holds): written into its array."""
    y = x * 1.0
    return y.relu_()


def _add_in_place(a, b):
    """a + 2b as y = a + b; y += b: the second add written into the first one's array."""
    y = a + b
    y += b
    return y


def _sub_in_place(a, b):
    y = a - b
    y -= b
    return y


# Each unary op: (function of a Tensor, guard on the operand's values or None).
UNARY = {
    "exp": (ag.exp, lambda v: v.max(initial=-np.inf) <= 2.5),
    "tanh": (ag.tanh, None),
    "sigmoid": (ag.sigmoid, None),
    "softplus": (ag.softplus, None),
    "log": (lambda x: ag.log(_pos(x)), None),
    "sqrt": (lambda x: ag.sqrt(_pos(x)), None),
    "pow1.5": (lambda x: _pos(x) ** 1.5, None),
    "cube": (lambda x: x ** 3, None),
    "neg": (lambda x: -x, None),
    "relu": (ag.relu, lambda v: _min_abs(v) >= MARGIN),
    "relu_": (_relu_in_place, lambda v: _min_abs(v) >= MARGIN),
    "abs": (ag.abs, lambda v: _min_abs(v) >= MARGIN),
    "leaky_relu": (lambda x: ag.leaky_relu(x, 0.1), lambda v: _min_abs(v) >= MARGIN),
    "elu": (ag.elu, lambda v: _min_abs(v) >= MARGIN),
    "clip": (lambda x: ag.clip(x, -1.0, 1.0),
             lambda v: _min_abs(np.abs(v) - 1.0) >= MARGIN),
    # numpy's vocabulary
    "sin": (ag.sin, None),
    "cos": (np.cos, None),                      # through numpy's dispatch
    "arctan": (ag.arctan, None),
    "arcsinh": (ag.arcsinh, None),
    "sinh": (ag.sinh, lambda v: np.abs(v).max(initial=0.0) <= 3.0),
    "log1p": (lambda x: ag.log1p(_pos(x)), None),
    "expm1": (ag.expm1, lambda v: v.max(initial=-np.inf) <= 2.5),
    "square": (ag.square, None),
    "cbrt": (ag.cbrt, lambda v: _min_abs(v) >= 0.3),
    "sinc": (ag.sinc, None),
}

# Each binary op: (function of two Tensors of broadcastable shapes, guard on both or None).
BINARY = {
    "add": (lambda a, b: a + b, None),
    "sub": (lambda a, b: a - b, None),
    "iadd": (_add_in_place, None),
    "isub": (_sub_in_place, None),
    "mul": (lambda a, b: a * b, None),
    "div": (lambda a, b: a / b, lambda a, b: _min_abs(b) >= 0.3),
    "div_pos": (lambda a, b: a / _pos(b), None),
    "maximum": (ag.maximum, lambda a, b: _min_abs(a - b) >= MARGIN),
    "minimum": (ag.minimum, lambda a, b: _min_abs(a - b) >= MARGIN),
    "arctan2": (ag.arctan2, lambda a, b: _min_abs(np.hypot(a, b)) >= 0.3),
    "hypot": (np.hypot, lambda a, b: _min_abs(np.hypot(a, b)) >= 0.3),
    "logaddexp": (ag.logaddexp, None),
    "fmax": (ag.fmax, lambda a, b: _min_abs(a - b) >= MARGIN),
}

# numpy's vocabulary: reductions, scans and rearrangements of one operand, drawn with an axis
# (``_axis_op``); products of two (``_product``).
AXIS_OPS = ("cumsum", "cumprod", "prod", "var", "std", "diff", "sort", "flip", "roll",
            "repeat", "expand_dims", "moveaxis", "pad", "tile")
PRODUCTS = ("einsum", "tensordot", "outer", "kron", "dot")
# ag.linalg on a well-conditioned matrix made of a square operand x: x xᵀ + 2I (symmetric
# positive definite, eigenvalues ≥ 2), or x itself for the norms and singular values
LINALG = ("inv", "solve", "det", "slogdet", "eigvalsh", "cholesky", "norm", "svdvals")

REDUCTIONS = ("sum", "mean", "max", "min", "logsumexp")
KINDS = (list(UNARY) + list(BINARY) + ["where", "matmul", "matmul_new_weight"]
         + list(REDUCTIONS) + ["softmax", "log_softmax", "reshape", "transpose", "getitem",
                               "broadcast_to", "stack", "concatenate"]
         + list(AXIS_OPS) + ["squeeze", "trace", "diagonal"] + list(PRODUCTS) + list(LINALG))


@dataclass
class Op:
    kind: str
    args: tuple                      # indices into the pool of nodes made so far
    params: dict = field(default_factory=dict)

    def __str__(self):
        extra = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"{self.kind}({', '.join(f'n{i}' for i in self.args)}{extra})"


def _apply(op, pool, leaves):
    k, p = op.kind, op.params
    a = [pool[i] for i in op.args]
    if k == "leaf":
        return leaves[p["index"]]
    if k in UNARY:
        return UNARY[k][0](a[0])
    if k in BINARY:
        return BINARY[k][0](a[0], a[1])
    if k == "where":
        return ag.where(a[0].data > 0, a[1], a[2])     # the condition: a constant mask
    if k == "matmul":
        other = a[1] if a[1].ndim == 1 else a[1].swapaxes(-1, -2)
        return a[0] @ other
    if k == "matmul_new_weight":
        return ag.matmul(a[0], a[1])
    if k in REDUCTIONS:
        return getattr(ag, k)(a[0], axis=p["axis"], keepdims=p["keepdims"])
    if k in ("softmax", "log_softmax"):
        return getattr(ag, k)(a[0], axis=p["axis"])
    if k == "reshape":
        return a[0].reshape(p["shape"])
    if k == "transpose":
        return a[0].transpose(*p["axes"])
    if k == "getitem":
        return a[0][p["index"]]
    if k == "broadcast_to":
        return ag.broadcast_to(a[0], p["shape"])
    if k == "stack":
        return ag.stack(a, axis=p["axis"])
    if k == "concatenate":
        return ag.concatenate(a, axis=p["axis"])
    if k in AXIS_OPS + ("squeeze", "trace", "diagonal"):
        # every other one through numpy's own function, dispatched to the library's
        fn = getattr(np if p.pop("via_numpy", False) else ag, k)
        args = p.get("args", ())
        return fn(a[0], *args, **{q: v for q, v in p.items() if q != "args"})
    if k in PRODUCTS:
        return getattr(ag, k)(*([p["subscripts"]] if k == "einsum" else []), *a,
                              **({"axes": p["axes"]} if k == "tensordot" else {}))
    if k in LINALG:
        x = a[0]
        if k == "norm":
            return np.linalg.norm(x, axis=(-2, -1))       # through numpy's dispatch
        if k == "svdvals":
            return ag.linalg.svdvals(x)
        m = x @ x.mT + 2.0 * np.eye(x.shape[-1], dtype=x.dtype)
        if k == "solve":
            return ag.linalg.solve(m, x)
        if k == "slogdet":
            return ag.linalg.slogdet(m)[1]
        return getattr(ag.linalg, k)(m)
    raise AssertionError(k)


def sinks(ops):
    """The nodes no op uses (leaves aside): the program's outputs, so every op is checked."""
    used = {a for op in ops for a in op.args}
    return [k for k, op in enumerate(ops) if op.kind != "leaf" and k not in used]


def run_program(ops, *leaves):
    """The program's outputs (a tuple of Tensors, its sinks) for these leaf Tensors."""
    pool = []
    for op in ops:
        pool.append(_apply(op, pool, leaves))
    return tuple(pool[k] for k in sinks(ops))


def _broadcastable(s, t):
    try:
        np.broadcast_shapes(s, t)
        return True
    except ValueError:
        return False


def _choice(rng, options):
    return options[int(rng.integers(len(options)))]


def _leaf_shape(draw, base):
    """``base`` with some leading axes dropped and some axes set to 1: it broadcasts to base."""
    # mostly the full shape: a third of the leaves drop leading axes, a quarter of axes are 1
    drop = draw(st.integers(0, len(base))) if base and draw(st.integers(0, 2)) == 2 else 0
    shape = list(base[drop:])
    for i in range(len(shape)):
        if draw(st.integers(0, 3)) == 3:
            shape[i] = 1
    return tuple(shape)


def _candidate(rng, kind, pool, vals, i):
    """(Op, guard passed) for ``kind`` with first operand ``i``, or None if it does not fit."""
    v = vals[i]
    nd = v.ndim

    def partner(pred):
        options = [j for j in range(len(pool)) if pred(vals[j].shape)]
        return options[int(rng.integers(len(options)))]

    if kind in UNARY:
        guard = UNARY[kind][1]
        return Op(kind, (i,)), guard is None or guard(v)
    if kind in BINARY:
        j = partner(lambda s: _broadcastable(v.shape, s))
        guard = BINARY[kind][1]
        return Op(kind, (i, j)), guard is None or guard(v, vals[j])
    if kind == "where":
        j = partner(lambda s: _broadcastable(v.shape, s))
        shape = np.broadcast_shapes(v.shape, vals[j].shape)
        c = partner(lambda s: _broadcastable(shape, s))
        return Op(kind, (c, i, j)), _min_abs(vals[c]) >= MARGIN
    if kind == "matmul":
        if nd < 1:
            return None
        j = partner(lambda s: len(s) >= 1 and s[-1] == v.shape[-1])
        other = vals[j] if vals[j].ndim == 1 else np.swapaxes(vals[j], -1, -2)
        try:
            np.matmul(v, other)
        except ValueError:    # batch axes that do not broadcast
            return None
        return Op(kind, (i, j)), True
    if kind == "matmul_new_weight":
        # a fresh weight leaf W of shape (k, m): x @ W, as a layer does
        if nd < 1:
            return None
        m = int(rng.integers(1, 4))
        return Op(kind, (i, None), {"weight_shape": (v.shape[-1], m)}), True
    if kind in REDUCTIONS:
        axis = None if nd == 0 else _choice(rng, [None] + list(range(-nd, nd)))
        keepdims = bool(rng.integers(2))
        ok = True
        if kind in ("max", "min"):
            flat = v.reshape(-1) if axis is None else v
            ok = _gap_top2(flat, -1 if axis is None else axis, kind == "max") >= MARGIN
        return Op(kind, (i,), {"axis": axis, "keepdims": keepdims}), ok
    if kind in ("softmax", "log_softmax"):
        if nd < 1:
            return None
        return Op(kind, (i,), {"axis": int(rng.integers(-nd, nd))}), True
    if kind == "reshape":
        shapes = [(-1,), v.shape[::-1], (v.size, 1)]
        pos = int(rng.integers(0, nd + 1))
        shapes.append(v.shape[:pos] + (1,) + v.shape[pos:])
        if nd >= 2:
            shapes.append(v.shape[:-2] + (v.shape[-2] * v.shape[-1],))
        return Op(kind, (i,), {"shape": _choice(rng, shapes)}), True
    if kind == "transpose":
        if nd < 2:
            return None
        axes = tuple(int(a) for a in rng.permutation(nd))
        return Op(kind, (i,), {"axes": axes}), True
    if kind == "getitem":
        options = [None, (Ellipsis, None)]
        if nd >= 1:
            n = v.shape[0]
            options += [0, slice(None, None, -1), np.array([0, n - 1, 0]),
                        np.arange(n) % 2 == 0, (Ellipsis, np.array([v.shape[-1] - 1] * 2))]
        if nd >= 2:
            options += [(slice(None), 0), (slice(1, None), slice(None, None, 2))]
        index = _choice(rng, options)
        return Op(kind, (i,), {"index": index}), True
    if kind == "broadcast_to":
        return Op(kind, (i,), {"shape": (2,) + v.shape}), True
    if kind in AXIS_OPS:
        return _axis_op(rng, kind, v, i)
    if kind == "squeeze":
        ones = [d for d in range(nd) if v.shape[d] == 1]      # none: squeeze(axis=None)
        return Op(kind, (i,), {"axis": _choice(rng, ones) if ones else None}), True
    if kind in ("trace", "diagonal"):
        if nd < 2:
            return None
        return Op(kind, (i,), {"offset": int(rng.integers(-1, 2)), "axis1": nd - 2,
                               "axis2": nd - 1}), True
    if kind in PRODUCTS:
        return _product(rng, kind, v, i, vals)
    if kind in LINALG:
        if nd < 2 or v.shape[-1] != v.shape[-2]:
            return None
        ok = True
        if kind == "norm":
            ok = np.abs(v).max(initial=0.0) >= MARGIN
        elif kind == "svdvals":      # distinct singular values, none at 0
            sv = np.linalg.svd(v, compute_uv=False)
            ok = sv.min() >= MARGIN and (v.shape[-1] < 2 or
                                         np.abs(np.diff(sv, axis=-1)).min() >= MARGIN)
        elif kind == "det":          # det of x xᵀ + 2I grows fast: keep it in bounds
            ok = np.abs(v).max(initial=0.0) <= 1.5
        return Op(kind, (i,)), bool(ok)
    if kind in ("stack", "concatenate"):
        if kind == "concatenate" and nd < 1:
            return None
        extra = kind == "stack"      # stack makes a new axis: one more position
        axis = int(rng.integers(-nd - extra, nd + extra))
        if kind == "stack":
            j = partner(lambda s: s == v.shape)
        else:
            ax = axis % nd

            def fits(s):
                return len(s) == nd and all(a == b for d, (a, b) in enumerate(zip(s, v.shape))
                                            if d != ax)
            j = partner(fits)
        return Op(kind, (i, j), {"axis": axis}), True
    raise AssertionError(kind)


def _axis_op(rng, kind, v, i):
    nd = v.ndim
    if nd < 1 and kind not in ("cumsum", "cumprod", "prod", "flip", "expand_dims", "tile"):
        return None
    axis = int(rng.integers(-nd, nd)) if nd else None
    params, ok = {"axis": axis}, True
    if kind in ("cumsum", "cumprod"):
        params["axis"] = _choice(rng, [None, axis])
    elif kind == "prod":
        params["keepdims"] = bool(rng.integers(2))
        ok = np.abs(v).max(initial=0.0) <= 2.0
    elif kind in ("var", "std"):
        n = v.size if axis is None else v.shape[axis]
        params["ddof"] = int(rng.integers(0, 2)) if n > 1 else 0
        if kind == "std":       # away from zero variance, where std's derivative is a kink
            ok = n > params["ddof"] and np.var(v, axis=axis).min(initial=np.inf) >= 0.05
    elif kind == "diff":
        if v.shape[axis] < 2:
            return None
    elif kind == "sort":        # no ties within the margin along the axis
        s = np.sort(v, axis=axis)
        ok = v.shape[axis] < 2 or np.abs(np.diff(s, axis=axis)).min(initial=np.inf) >= MARGIN
    elif kind == "flip":
        params["axis"] = _choice(rng, [None, axis])
    elif kind == "roll":
        params = {"shift": int(rng.integers(-2, 3)), "axis": _choice(rng, [None, axis])}
    elif kind == "repeat":
        params = {"args": (2,), "axis": axis}
    elif kind == "expand_dims":
        params = {"axis": int(rng.integers(-nd - 1, nd + 1))}
    elif kind == "moveaxis":
        params = {"source": axis, "destination": int(rng.integers(-nd, nd))}
    elif kind == "pad":
        mode = _choice(rng, ["constant", "edge", "reflect", "wrap"])
        if mode == "reflect" and min(v.shape) < 2:
            mode = "edge"
        params = {"args": (1,), "mode": mode}
    elif kind == "tile":
        params = {"args": ((2,) + (1,) * max(nd - 1, 0),)}
    params["via_numpy"] = bool(rng.integers(2))
    return Op(kind, (i,), params), bool(ok)


def _product(rng, kind, v, i, vals):
    """A product of node i (values v) with a partner whose shape fits."""
    nd, last = v.ndim, v.shape[-1] if v.ndim else None

    def pick(pred):
        fits = [j for j in range(len(vals)) if pred(vals[j].shape)]
        return fits[int(rng.integers(len(fits)))] if fits else None

    if kind == "outer" or kind == "kron":
        if kind == "kron" and nd > 2:
            return None
        j = pick(lambda s: len(s) <= 2)
        return None if j is None else (Op(kind, (i, j)), True)
    if nd < 1:
        return None
    if kind == "dot":
        j = pick(lambda s: len(s) == 1 and s[0] == last)
        return None if j is None else (Op(kind, (i, j)), True)
    if kind == "tensordot":
        j = pick(lambda s: len(s) >= 1 and s[0] == last)
        return None if j is None else (Op(kind, (i, j), {"axes": 1}), True)
    # einsum: v's last axis against a partner's last axis, v's other axes kept as "..."
    j = pick(lambda s: len(s) >= 1 and s[-1] == last)
    free = "abc"[:vals[j].ndim - 1]
    return Op(kind, (i, j), {"subscripts": f"...z,{free}z->...{free}"}), True


@st.composite
def programs(draw, focus, max_ops=5):
    """(ops, leaf arrays): a random graph whose every op is in its smooth domain, and which
    holds at least one op of kind ``focus`` (hypothesis's choices alone visit the kinds very
    unevenly in a short run)."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    base = []
    for _ in range(draw(st.integers(0, 3))):     # at most 12 elements
        base.append(draw(st.integers(1, min(3, 12 // int(np.prod(base))))) if len(base) < 2
                    else 1 + draw(st.integers(0, 1)) * draw(st.integers(0, 1)))
    base = tuple(base)
    n_leaves = draw(st.integers(1, 3))
    ops, leaves, vals = [], [], []

    def add_leaf(shape):
        arr = rng.uniform(-2.0, 2.0, shape)
        ops.append(Op("leaf", (), {"index": len(leaves)}))
        leaves.append(arr)
        vals.append(arr)

    for k in range(n_leaves):
        shape = _leaf_shape(draw, base)
        if k == 0 or sum(x.size for x in leaves) + np.prod(shape) <= MAX_LEAF_ELEMENTS:
            add_leaf(shape)
    n_ops = draw(st.integers(2, max_ops))
    at = draw(st.integers(0, n_ops - 1))      # where the focus op goes
    for _ in range(6 * n_ops):        # attempts: an op that does not fit is skipped
        done = len(ops) - len(leaves)
        if done >= n_ops:
            break
        has_focus = any(op.kind == focus for op in ops)
        kind = focus if done >= at and not has_focus else draw(st.sampled_from(KINDS))
        i = int(rng.integers(len(vals)))
        got = _candidate(rng, kind, ops, vals, i)
        if got is None or not got[1]:
            continue     # the op does not fit these shapes, or its operand is near a kink
        op = got[0]
        if op.kind == "matmul_new_weight":
            if sum(x.size for x in leaves) + np.prod(op.params["weight_shape"]) > \
                    MAX_LEAF_ELEMENTS:
                continue
            add_leaf(op.params["weight_shape"])
            op = Op(op.kind, (i, len(vals) - 1))
        with ag.no_grad():
            out = _apply(op, [ag.Tensor(x) for x in vals], [ag.Tensor(x) for x in leaves])
        if not 0 < out.size <= MAX_SIZE or out.ndim > 4 or \
                not np.all(np.abs(out.data) <= BOUND):
            continue
        ops.append(op)
        vals.append(out.data)
    assume(any(op.kind == focus for op in ops))    # rare: e.g. transpose of a vector graph
    uses = np.bincount([a for op in ops for a in op.args], minlength=len(ops))
    if uses.max(initial=0) < 2:
        # guarantee a shared subexpression: the output used twice
        last = len(ops) - 1
        if np.all(np.abs(vals[-1]) <= np.sqrt(BOUND)):
            ops.append(Op("mul", (last, last)))
        else:
            ops.append(Op("tanh", (last,)))
            ops.append(Op("mul", (last + 1, last + 1)))
    return ops, leaves


def _describe(ops, leaves):
    lines = [f"leaf {k}: shape {x.shape}" for k, x in enumerate(leaves)]
    lines += [f"n{k} = {op}" for k, op in enumerate(ops) if op.kind != "leaf"]
    return "\n".join(lines)


def _tensors(leaves, dtype=np.float64):
    return tuple(ag.Tensor(x.astype(dtype), requires_grad=True) for x in leaves)


@pytest.mark.parametrize("focus", KINDS)
@_settings(short_examples=20)
@given(data=st.data())
def test_random_graph_first_order(focus, data):
    ops, leaves = data.draw(programs(focus))
    note(_describe(ops, leaves))
    # every program shares a node: some node is an operand of two ops, or of one op twice
    assert np.bincount([a for op in ops for a in op.args]).max() >= 2
    inputs = _tensors(leaves)
    assert ag.gradcheck(lambda *xs: run_program(ops, *xs), inputs)

    # The same graph in float32 stays float32, in value and in every gradient, and agrees
    # with float64 to float32's precision.
    g64 = ag.grad([o.sum() for o in run_program(ops, *inputs)], inputs, allow_unused=True)
    inputs32 = _tensors(leaves, np.float32)
    outs32 = run_program(ops, *inputs32)
    assert all(o.dtype == np.float32 for o in outs32)
    g32 = ag.grad([o.sum() for o in outs32], inputs32, allow_unused=True)
    for a, b, x in zip(g32, g64, inputs32):
        if b is None:
            assert a is None
            continue
        assert a.dtype == np.float32 and a.shape == x.shape
        scale = 1.0 + np.abs(b.data).max()
        np.testing.assert_allclose(a.data, b.data, rtol=0, atol=1e-3 * scale)


@pytest.mark.parametrize("focus", KINDS)
@_settings(short_examples=10)
@given(data=st.data())
def test_random_graph_second_order(focus, data):
    ops, leaves = data.draw(programs(focus, max_ops=4))
    note(_describe(ops, leaves))
    assert ag.gradgradcheck(lambda *xs: run_program(ops, *xs), _tensors(leaves))


def test_the_generator_builds_every_kind_in_varied_graphs():
    """A guard on the generator itself: for every kind it builds graphs holding that kind
    without rejecting most attempts (a wrong shape rule or too wide a margin would), and the
    graphs vary: several shapes, several kinds around the focus, nodes shared beyond the
    forced x·x."""
    for focus in KINDS:
        built, rejected, shapes, kinds, shared = 0, 0, set(), set(), 0

        @settings(max_examples=8, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(programs(focus))
        def collect(program):
            nonlocal built, shared
            ops, leaves = program
            built += 1
            shapes.update(x.shape for x in leaves)
            kinds.update(op.kind for op in ops)
            args = [a for op in ops[:-1] if op.kind != "leaf" for a in op.args]
            shared += len(args) != len(set(args))

        collect()
        assert built == 8, focus
        assert len(shapes) >= 3 and len(kinds) >= 5, (focus, shapes, kinds)
        assert shared >= 2, focus
