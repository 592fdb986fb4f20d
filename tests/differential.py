"""Random programs for the differential fuzz (``tests/test_fuzz_differential.py``).

A program is a list of statements on a pool of tensors, drawn from a seed: ops (elementwise,
matmul, reductions), views (``.T``, a row, a reversed slice, a reshape round trip,
``detach()``), in-place operators (``+= -= *=``, ``relu_()``, ``t[i] = v``, with gradients
recorded and under ``no_grad``), writes and reads through ``.data`` and ``np.asarray`` (of the
tensor or of a view of it), ``backward`` with ``retain_graph`` and ``create_graph``,
``ag.grad`` of second order, and ``ag.grad`` on one retained graph from two threads.

:func:`run` executes the programs of some seeds and returns what each statement gave: every
value and gradient as bytes with its dtype and shape, or the error's type and message. The
test runs it in fresh interpreters under each engine (compiled, pure Python, compiled with the
in-place writes and hand-overs off) and asserts that all give the same record, bit for bit.
``python tests/differential.py SEED`` prints one program.
"""
import pickle
import sys
import threading

import numpy as np

import autograd as ag

SHAPES = [(3, 3), (3, 3), (3,), (1, 3), (3, 3)]     # the last one a constant
N_STATEMENTS = 14


def _leaves(rng):
    out = []
    for k, shape in enumerate(SHAPES):
        out.append(ag.tensor(rng.uniform(-1.5, 1.5, shape).round(3),
                             requires_grad=k < len(SHAPES) - 1, name=f"leaf{k}"))
    return out


def _statement(rng, n_pool):
    """One statement: (kind, operand indices, a seed for its own choices), drawn before any
    runs, so a program is a plain list (printable, and the same for every engine). In-place
    operators mostly take a tensor made by an op (on a leaf that requires grad they are
    refused), the writes through .data mostly a leaf (which the ops saved)."""
    kind = str(rng.choice(KINDS, p=WEIGHTS))
    i, j = (int(v) for v in rng.integers(0, n_pool, 2))
    n_leaves = len(SHAPES)
    if kind in IN_PLACE and n_pool > n_leaves and rng.random() < 0.85:
        i = int(rng.integers(n_leaves, n_pool))
    elif kind in WRITES and rng.random() < 0.6:
        i = int(rng.integers(0, n_leaves))
    elif kind in PASSES and n_pool > n_leaves:
        i = int(rng.integers(max(n_leaves, n_pool - 3), n_pool))     # a recent result
    return (kind, i, j, int(rng.integers(0, 1 << 30)))


def program(seed):
    rng = np.random.default_rng(seed)
    n_pool = len(SHAPES)
    statements = []
    for _ in range(N_STATEMENTS):
        st = _statement(rng, n_pool)
        statements.append(st)
        if st[0] in MAKES:
            n_pool += 1
    return statements


def _binary(name):
    def f(x, y, r):
        return {"add": x + y, "sub": x - y, "mul": x * y,
                "div": x / (ag.abs(y) + 0.5), "max": ag.maximum(x, y),
                "matmul": _mm(x, y)}[name]
    return f


def _mm(x, y):
    x2 = x if x.ndim == 2 else ag.broadcast_to(x, (1, 3)) * 1.0
    y2 = y if y.shape == (3, 3) else ag.broadcast_to(y, (3, 3))
    return x2 @ y2


def _unary(name):
    def f(x, y, r):
        return {"tanh": lambda: ag.tanh(x), "exp": lambda: ag.exp(ag.clip(x, -3.0, 3.0)),
                "relu": lambda: ag.relu(x), "sigmoid": lambda: ag.sigmoid(x),
                "sum0": lambda: x.sum(axis=0) if x.ndim else x * 1.0,
                "square": lambda: x * x}[name]()
    return f


def _view(name):
    def f(x, y, r):
        if x.ndim == 0:
            return x.reshape(1)
        return {"T": lambda: x.T, "row": lambda: x[1] if x.shape[0] > 1 else x[0],
                "rev": lambda: x[::-1],
                "reshape": lambda: x.reshape(-1).reshape(x.shape),
                "detach": lambda: x.detach()}[name]()
    return f


MAKERS = {**{k: _binary(k) for k in ("add", "sub", "mul", "div", "max", "matmul")},
          **{k: _unary(k) for k in ("tanh", "exp", "relu", "sigmoid", "sum0", "square")},
          **{f"view-{k}": _view(k) for k in ("T", "row", "rev", "reshape", "detach")}}
MAKES = set(MAKERS)

EFFECTS = ["iadd", "isub", "imul", "relu_", "setitem", "nograd-iadd", "data-write",
           "data-write-view", "asarray-write", "data-read", "backward", "backward-retain",
           "backward-create", "grad2", "threads", "write-then-backward"]
KINDS = sorted(MAKES) + EFFECTS
IN_PLACE = {"iadd", "isub", "imul", "relu_", "setitem"}
WRITES = {"data-write", "data-write-view", "asarray-write", "nograd-iadd"}
PASSES = {"backward", "backward-retain", "backward-create", "grad2", "threads",
          "write-then-backward"}
_W = {**{k: 1.0 for k in MAKES}, "iadd": 1.5, "isub": 1.0, "imul": 1.0, "relu_": 1.0,
      "setitem": 1.0, "nograd-iadd": 1.0, "data-write": 1.0, "data-write-view": 1.5,
      "asarray-write": 1.0, "data-read": 0.5, "backward": 1.0, "backward-retain": 1.0,
      "backward-create": 0.7, "grad2": 0.7, "threads": 0.5, "write-then-backward": 1.5}
WEIGHTS = np.array([_W[k] for k in KINDS]) / sum(_W[k] for k in KINDS)


def _rec(out, tag, x):
    """Note a value (a Tensor, an array, None, or a tuple of them)."""
    if isinstance(x, (tuple, list)):
        for k, v in enumerate(x):
            _rec(out, f"{tag}[{k}]", v)
        return
    if x is None:
        out.append((tag, None))
        return
    arr = x.numpy() if isinstance(x, ag.Tensor) else np.asarray(x)
    out.append((tag, (arr.dtype.str, arr.shape, arr.tobytes())))


def _loss(t):
    return (t * t).sum() if t.ndim else t * t


def _effect(kind, pool, leaves, i, j, rng, out):
    x, y = pool[i], pool[j]
    if kind in ("iadd", "isub", "imul"):
        op = {"iadd": "__iadd__", "isub": "__isub__", "imul": "__imul__"}[kind]
        pool[i] = getattr(x, op)(y)
        _rec(out, "in-place", pool[i])
    elif kind == "relu_":
        pool[i] = x.relu_()
        _rec(out, "relu_", pool[i])
    elif kind == "setitem":
        if x.ndim == 0:
            return
        x[0] = y.sum() if y.ndim else y
        _rec(out, "setitem", x)
    elif kind == "nograd-iadd":
        with ag.no_grad():
            x += 0.25
        _rec(out, "nograd-iadd", x)
    elif kind == "data-write":
        x.data[...] = x.numpy() * 0.5 if x.ndim else 0.5
    elif kind == "data-write-view":
        v = x.T if rng.integers(2) else (x[0] if x.ndim else x.reshape(1))
        if v.ndim:
            v.data[0] = -0.75
    elif kind == "asarray-write":
        np.asarray(x)[...] = 0.125
    elif kind == "data-read":
        _rec(out, "data-read", x.data.sum() + np.asarray(x.T).sum())
    elif kind in ("backward", "backward-retain", "backward-create"):
        for leaf in leaves:
            leaf.grad = None
        _loss(x).backward(retain_graph=kind != "backward",
                          create_graph=kind == "backward-create")
        _rec(out, kind, [leaf.grad for leaf in leaves])
    elif kind == "grad2":
        need = [leaf for leaf in leaves if leaf.requires_grad]
        g = ag.grad(_loss(x), need, create_graph=True, allow_unused=True)
        total = sum((gi * gi).sum() for gi in g if gi is not None and gi.requires_grad)
        _rec(out, "grad1", g)
        if isinstance(total, ag.Tensor):
            _rec(out, "grad2", ag.grad(total, need, allow_unused=True))
    elif kind == "write-then-backward":
        # a leaf that the ops saved, changed through one route or another, then a pass
        leaf = leaves[int(rng.integers(len(leaves)))]
        route = int(rng.integers(4))
        arr = (leaf.data if route == 0 else np.asarray(leaf) if route == 1
               else leaf.T.data if route == 2 else leaf.detach().data)
        if rng.integers(3):
            arr[...] = arr * 0.5
        for leaf in leaves:
            leaf.grad = None
        _loss(x).backward(retain_graph=True)
        _rec(out, kind, [leaf.grad for leaf in leaves])
    elif kind == "threads":
        loss = _loss(x)
        need = [leaf for leaf in leaves if leaf.requires_grad]
        results = [None, None]

        def work(k):
            try:
                results[k] = ag.grad(loss, need, grad_outputs=np.float64(k + 1),
                                     retain_graph=True, allow_unused=True)
            except Exception as e:  # noqa: BLE001 - compared across engines
                results[k] = f"{type(e).__name__}: {e}"
        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k, r in enumerate(results):
            if isinstance(r, str):
                out.append((f"thread{k}", r))
            else:
                _rec(out, f"thread{k}", r)


def run_one(seed):
    """The record of one program: a list of (tag, value) in statement order."""
    rng = np.random.default_rng(seed + 1)
    leaves = _leaves(rng)
    pool = list(leaves)
    out = []
    for kind, i, j, sub in program(seed):
        r = np.random.default_rng(sub)
        out.append(("statement", (kind, i, j)))
        try:
            if kind in MAKERS:
                with np.errstate(all="ignore"):
                    t = MAKERS[kind](pool[i], pool[j], r)
                pool.append(t)
                _rec(out, kind, t)
            else:
                with np.errstate(all="ignore"):
                    _effect(kind, pool, leaves, i, j, r, out)
        except Exception as e:  # noqa: BLE001 - the error itself is compared across engines
            if kind in MAKERS:
                pool.append(pool[i])
            out.append(("error", f"{type(e).__name__}: {e}"))
    _rec(out, "final values", pool)
    return out


def run(seeds):
    return {seed: run_one(seed) for seed in seeds}


if __name__ == "__main__":
    if sys.argv[1] == "--run":           # --run FIRST COUNT OUTFILE: the records, pickled
        first, count = int(sys.argv[2]), int(sys.argv[3])
        with open(sys.argv[4], "wb") as f:
            pickle.dump(run(range(first, first + count)), f)
    else:
        for st in program(int(sys.argv[1])):
            print(st)
