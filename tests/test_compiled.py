"""The compiled loops (autograd/csrc/) against the Python engine they accelerate.

`make test` runs the whole suite twice, with and without them (AUTOGRAD_PURE_PYTHON=1); the
tests here check that the build is the one in use, that both engines give bit-identical
results on a sweep of ops and a training run, and that the compiled path keeps no reference.
"""
import gc
import os
import shutil
import subprocess
import sys
import sysconfig
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import _core, binding, engine
from custom_functions import HandedMask, SquareAndTriple

_PURE = os.environ.get("AUTOGRAD_PURE_PYTHON", "") not in ("", "0")
_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)
SHAPES = [(), (3,), (2, 3), (2, 1)]


def _compiler():
    cc = sysconfig.get_config_var("CC") or "cc"
    return shutil.which(cc.split()[0])


def test_the_engine_in_use_is_the_one_asked_for():
    if _PURE:
        assert not engine.compiled
        assert ag.Function.__dict__["apply"].__func__.__module__ == "autograd.function"
        return
    if not engine.compiled and _compiler() is None:
        pytest.skip("no C compiler here: the pure-Python engine runs (see README)")
    assert engine.compiled, (
        f"autograd._fast (autograd/csrc/) was not built, though a C compiler is here "
        f"({_compiler()}): see the install's output (`make clean test` rebuilds), or set "
        f"AUTOGRAD_PURE_PYTHON=1 to test the Python engine alone")
    assert type(ag.Function.__dict__["apply"].__func__).__name__ == "builtin_function_or_method"


def _results():
    """Values and gradients from every path the compiled loops take over, as named arrays."""
    out = {}
    rng = np.random.default_rng(7)
    for dtype in (np.float64, np.float32):
        for shape in SHAPES:
            tag = f"{np.dtype(dtype).name}{shape}"
            x = ag.Tensor(rng.normal(size=shape).astype(dtype), requires_grad=True)
            y = ag.Tensor(rng.normal(size=(2, 3)).astype(dtype), requires_grad=True)
            z = ag.Tensor(rng.uniform(0.5, 2, size=shape).astype(dtype), requires_grad=True)
            a = rng.normal(size=shape).astype(dtype)           # an array argument
            u = x * y + z                                       # broadcasting: unbroadcast
            v = ag.where(u > 0, u.tanh(), (x * a).sigmoid())    # three inputs, one a mask
            w = ag.stack([v, u, v * 2, y])                      # four inputs: the general path
            s, t = SquareAndTriple.apply(x)                    # two outputs, one unused
            loss = (w.sum(axis=0, keepdims=True).exp().mean()   # keyword arguments
                    + ag.log(z).sum() * x.sum() + s.sum() + ag.softmax(u, axis=-1).max())
            loss.backward()
            out[f"{tag} loss"] = loss.data
            for name, leaf in (("x", x), ("y", y), ("z", z)):
                out[f"{tag} d{name}"] = leaf.grad.data
            with ag.no_grad():
                out[f"{tag} no_grad"] = (x * y + z).tanh().data
            gx, = ag.grad((x * x * z).sum(), [x], create_graph=True)   # the Python loop
            d2x, = ag.grad(gx.sum(), [x])
            out[f"{tag} d2x"] = d2x.data
            out[f"{tag} t"] = t.data
    net = nn.MLP([8, 16, 16, 4], rng=3)
    opt = nn.optim.SGD(net.parameters(), lr=0.1)
    xs = ag.Tensor(rng.normal(size=(32, 8)))
    labels = rng.integers(0, 4, size=32)
    for step in range(5):
        opt.zero_grad()
        loss = nn.CrossEntropyLoss()(net(xs), labels)
        loss.backward()
        opt.step()
        out[f"mlp loss {step}"] = loss.data
    for k, p in enumerate(net.parameters()):
        out[f"mlp parameter {k}"] = p.data
    return out


def _run(pure, path):
    env = dict(os.environ, AUTOGRAD_PURE_PYTHON="1" if pure else "0", PYTHONPATH=_ROOT)
    code = ("import sys, numpy as np; sys.path.insert(0, sys.argv[2]); import test_compiled as m; "
            "from autograd import engine; assert engine.compiled is (sys.argv[3] == '0'); "
            "np.savez(sys.argv[1], **m._results())")
    subprocess.run([sys.executable, "-c", code, path, _HERE, "1" if pure else "0"], check=True,
                   cwd=_ROOT, env=env)
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.skipif(_PURE or not engine.compiled, reason="needs the compiled loops")
def test_compiled_and_python_engines_agree_bit_for_bit(tmp_path):
    compiled = _run(False, str(tmp_path / "compiled.npz"))
    python = _run(True, str(tmp_path / "python.npz"))
    assert compiled.keys() == python.keys()
    assert len(compiled) == 2 * len(SHAPES) * 7 + 5 + 6
    for k in compiled:
        assert compiled[k].dtype == python[k].dtype, k
        assert compiled[k].shape == python[k].shape, k
        assert np.array_equal(compiled[k], python[k], equal_nan=True), k


def _live_nodes():
    gc.collect()
    return sum(issubclass(type(o), ag.Function) for o in gc.get_objects())


@pytest.mark.parametrize("shape", SHAPES)
def test_graphs_built_and_run_leave_no_reference_behind(shape):
    """A reference the C code forgot to release keeps arrays and nodes alive: count the nodes,
    the inputs' references, and watch every array made on the way."""
    arr = np.random.default_rng(1).normal(size=shape)
    b = np.ones(shape)
    before_arr, before_b, before_nodes = sys.getrefcount(arr), sys.getrefcount(b), _live_nodes()
    x = ag.Tensor(arr, requires_grad=True)
    made = []
    for _ in range(50):
        y = ((x * b).tanh() * x + b).sum(axis=None)
        s, t = SquareAndTriple.apply(y)
        (s + t).backward()
        with ag.no_grad():
            e = (x * b).exp()
        made += [weakref.ref(v.data) for v in (y, s, t, e, x.grad)]
        x.grad = None
    del x, y, s, t, e
    assert _live_nodes() == before_nodes
    assert sys.getrefcount(arr) == before_arr
    assert sys.getrefcount(b) == before_b
    assert sum(r() is not None for r in made) == 0


def test_a_hundred_training_steps_hold_no_memory_beyond_the_first():
    """Gradients and temporaries of the backward pass are not watched above: tracemalloc sees
    numpy's buffers, so a forgotten reference to any of them shows as growth."""
    rng = np.random.default_rng(2)
    x = ag.Tensor(rng.normal(size=(16, 64)))
    w = ag.Tensor(rng.normal(size=(64, 64)), requires_grad=True)
    b = ag.Tensor(rng.normal(size=64), requires_grad=True)

    def step():
        loss = ((x @ w + b).relu() * x).mean(axis=0).sum()
        s, t = SquareAndTriple.apply(loss)
        (s + t).backward()
        with ag.no_grad():
            w.data -= 0.01 * w.grad.data
        w.grad = b.grad = None

    step()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(100):
            step()
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 16 * 1024     # one leaked (16, 64) float64 array per step would be 800 KiB


def test_a_failing_forward_leaves_no_reference_behind():
    arr = np.ones(3)
    x = ag.Tensor(arr, requires_grad=True)
    before = sys.getrefcount(arr)
    for _ in range(20):
        with pytest.raises(ValueError, match="multiply"):
            x * np.ones(4)
    assert sys.getrefcount(arr) == before


# ----------------------------------------------------------------------------- operator methods
_compiled_only = pytest.mark.skipif(_PURE or not engine.compiled,
                                    reason="needs the compiled loops")


@_compiled_only
def test_each_compiled_operator_method_replaces_the_python_method_of_its_function():
    """The table binding.OPERATOR_METHODS and tensor.py's methods must not drift apart: each
    replaced method is the Python one-liner calling that same Function."""
    table = binding.OPERATOR_METHODS
    assert len(table) == 19
    for name, (cls, nargs, reflected) in table.items():
        op = ag.Tensor.__dict__[name]
        assert type(op).__name__ == "OpMethod", name
        assert op.function is cls and op.reflected == reflected, name
        code = op.__wrapped__.__code__
        assert code.co_argcount == nargs, name
        assert cls.__name__ in code.co_names, name
        # the Python method passes its operands to apply swapped exactly when reflected
        assert (code.co_varnames[:2] == ("self", "other")) == (nargs == 2), name
        assert op.__name__ == name and op.__qualname__ == f"Tensor.{name}", name


_OPERANDS = {
    "tensor": lambda a: ag.Tensor(a, requires_grad=True),
    "array": lambda a: a,
    "float": lambda a: 1.5,
}


@_compiled_only
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("other", sorted(_OPERANDS))
def test_compiled_operator_methods_give_the_python_methods_values_and_gradients(shape, other):
    """Each compiled method against the Python method it replaces, called the same way, with a
    Tensor, an array and a Python float as the other operand (reflected ones included)."""
    rng = np.random.default_rng(5)
    for name, (cls, nargs, reflected) in binding.OPERATOR_METHODS.items():
        op = ag.Tensor.__dict__[name]
        arr = rng.uniform(0.5, 2.0, size=shape)
        o = rng.uniform(0.5, 2.0, size=shape[-1:] if cls.__name__ == "MatMul" else shape)
        if cls.__name__ == "MatMul":
            if len(shape) != 2:
                continue
            o = rng.uniform(0.5, 2.0, size=(shape[1], shape[0]) if not reflected else shape[::-1])
        results = []
        for method in (op, op.__wrapped__):
            x = ag.Tensor(arr.copy(), requires_grad=True)
            y = _OPERANDS[other](o.copy())
            if nargs == 2 and other == "float" and cls.__name__ == "MatMul":
                break
            out = method(x, y) if nargs == 2 else method(x)
            assert type(out.grad_fn) is cls, name
            out.sum().backward()
            grads = [x.grad.data] + ([y.grad.data] if isinstance(y, ag.Tensor) and nargs == 2
                                     else [])
            results.append((out.data, grads))
        if len(results) < 2:
            continue
        (v1, g1), (v2, g2) = results
        assert v1.dtype == v2.dtype and np.array_equal(v1, v2), name
        assert len(g1) == len(g2) and all(np.array_equal(a, b) for a, b in zip(g1, g2)), name


def _in_place_case(case, dtype=np.float64):
    """(h, other, keep) for one in-place call: h made by a matmul (its array held by h alone
    unless the case says otherwise), the operand, and whatever the case keeps alive."""
    rng = np.random.default_rng(8)
    x = ag.Tensor(rng.normal(size=(5, 3)).astype(dtype), requires_grad=True)
    W = ag.Tensor(rng.normal(size=(3, 4)).astype(dtype), requires_grad=True)
    other = ag.Tensor(rng.normal(size=4).astype(dtype), requires_grad=True)
    h, keep = x @ W, None
    if case == "saved":
        keep = h * 2.0
    elif case == "named .data":
        keep = h.data
    elif case == "view":
        h = h[1:]
    elif case == "float32 operand":
        other = ag.Tensor(other.data.astype(np.float32), requires_grad=True)
    elif case == "number":
        other = 0.75
    elif case == "array (1, 4)":
        other = other.data.reshape(1, 4)
    elif case == "grows":
        other = ag.Tensor(rng.normal(size=(2, 5, 4)))
    elif case == "leaf":
        h = x
    elif case == "saved output":
        h = ag.tanh(h)
    elif case == "constant":
        h, other = ag.Tensor(rng.normal(size=(5, 4))), other.data
    return h, other, (x, W, other, keep)


# Where the interpreter's reference counts are not proven to mean ownership (3.14+, a
# free-threaded build, AUTOGRAD_UNPROVEN_INTERPRETER=1), no array is written in place and no
# gradient handed over: the tests that expect those are for the proven interpreters.
_writes_in_place = pytest.mark.skipif(
    not binding.compiled_info["in_place_writes"],
    reason=f"in-place writes are off: {binding.compiled_info['off'].get('in-place writes')}")
_hands_over = pytest.mark.skipif(
    not binding.compiled_info["hand_over"],
    reason=f"the hand-over is off: {binding.compiled_info['off'].get('hand-over')}")


_IN_PLACE_CASES = ["alone", "saved", "named .data", "view", "float32 operand", "number",
                   "array (1, 4)", "grows", "leaf", "saved output", "constant", "no_grad",
                   "anomaly"]


@_compiled_only
@_writes_in_place
@pytest.mark.parametrize("name", ["__iadd__", "__isub__", "relu_"])
@pytest.mark.parametrize("case", _IN_PLACE_CASES)
def test_compiled_in_place_methods_decide_and_record_as_the_python_methods(name, case):
    """+=, -= and relu_() compiled (an OpMethod with into=True) against the Python methods they
    replace, in every case the Python method tells apart: each writes into the same array or
    takes a new one, records the same node, raises the same error, and gives the same values
    and gradients."""
    op = ag.Tensor.__dict__[name]
    assert type(op).__name__ == "OpMethod" and op.into and not op.reflected
    assert op.function is binding.IN_PLACE_METHODS[name][0]
    results = []
    for method in (op, op.__wrapped__):
        h, other, keep = _in_place_case("constant" if case == "no_grad" else case)
        start = h.data.__array_interface__["data"][0]
        args = (h,) if name == "relu_" else (h, other)
        try:
            if case == "no_grad":
                with ag.no_grad():
                    out = method(*args)
            elif case == "anomaly":
                with ag.detect_anomaly():
                    out = method(*args)
            else:
                out = method(*args)
        except (RuntimeError, TypeError, ValueError) as e:
            results.append((type(e), str(e)))
            continue
        assert out is h
        written = h.data.__array_interface__["data"][0] == start
        grads = ()
        if h.requires_grad:
            (h * h).sum().backward()
            grads = tuple(t.grad.numpy() for t in keep[:3]
                          if isinstance(t, ag.Tensor) and t.grad is not None)
        results.append((written, type(h.grad_fn).__name__, h.dtype, h.data.copy(), grads))
    compiled, python = results
    assert len(compiled) == len(python)
    if len(compiled) == 2:
        assert compiled == python
        return
    assert compiled[:3] == python[:3]
    np.testing.assert_array_equal(compiled[3], python[3])
    assert len(compiled[4]) == len(python[4])
    for a, b in zip(compiled[4], python[4]):
        np.testing.assert_array_equal(a, b)
    if case == "alone":
        assert compiled[0] and compiled[1].endswith("InPlace")


@_compiled_only
@_writes_in_place
def test_compiled_in_place_methods_write_without_the_python_method(monkeypatch):
    """The case the compiled +=, -= and relu_() exist for (h = x @ W; h += b; h.relu_()) runs
    without the Python method's checks; a case it leaves alone (a Python number) gets them."""
    calls = []
    alone = ag.Tensor._alone
    monkeypatch.setattr(ag.Tensor, "_alone", lambda self: calls.append(self) or alone(self))
    h, b, _ = _in_place_case("alone")
    h += b
    h -= b
    assert calls == [] and type(h.grad_fn).__name__ == "SubInPlace"
    h += 0.5
    assert len(calls) == 1 and calls[0] is h and type(h.grad_fn).__name__ == "AddInPlace"
    h.relu_()
    assert len(calls) == 1 and type(h.grad_fn).__name__ == "ReLUInPlace"


@_compiled_only
def test_operators_follow_detect_anomaly_and_a_subclass_apply():
    """While detect_anomaly() has swapped Function.apply, `x * y` goes through the checking
    apply; a Function subclass with its own apply gets it called by the operators too."""
    x = ag.Tensor(np.ones(3), requires_grad=True)
    with ag.detect_anomaly():
        with pytest.raises(ag.AnomalyError, match=r"Mul produced NaN"):
            x * np.array([1.0, np.nan, 2.0])
    assert np.array_equal((x * 2.0).data, [2.0, 2.0, 2.0])   # the compiled apply is back
    from autograd.ops.elementwise import Add
    calls = []

    def counting_apply(cls, *args, **kwargs):
        calls.append(cls)
        return ag.Function.__dict__["apply"].__func__(cls, *args, **kwargs)

    Add.apply = classmethod(counting_apply)
    try:
        out = x + 1.0
    finally:
        del Add.apply
    assert calls == [Add] and np.array_equal(out.data, [2.0, 2.0, 2.0])
    assert np.array_equal((x + 1.0).data, out.data) and calls == [Add]


@_compiled_only
def test_compiled_operator_methods_bind_and_complain_as_python_methods_do():
    x = ag.Tensor(np.arange(3.0), requires_grad=True)
    bound = x.__add__
    assert bound.__self__ is x
    assert np.array_equal(bound(1.0).data, [1.0, 2.0, 3.0])
    assert np.array_equal(ag.Tensor.__rsub__(x, 1.0).data, [1.0, 0.0, -1.0])
    assert np.array_equal(ag.Tensor.relu(x - 1.0).data, [0.0, 0.0, 1.0])
    with pytest.raises(TypeError, match=r"__add__\(\) missing 1 required positional argument"):
        ag.Tensor.__add__(x)
    with pytest.raises(TypeError, match=r"relu\(\) takes 1 positional argument but 2"):
        x.relu(2)
    # a keyword operand is no operator call: the Python method takes it
    assert np.array_equal(x.__mul__(other=2.0).data, [0.0, 2.0, 4.0])
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'y'"):
        x.__mul__(y=2.0)
    assert repr(ag.Tensor.__dict__["__add__"]) == "<compiled method __add__ of Tensor: Add.apply>"


# ----------------------------------------------------------------------------- handed-over gradients
_Mask = HandedMask       # out = x · m; its backward notes whether grad_times wrote in place


@pytest.fixture
def handed():
    _Mask.handed = []
    return _Mask.handed


def _mask(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape) > 0.4


_BIG = (64, 80)       # above function._IN_PLACE_FROM elements: small ones are never written


@_hands_over
def test_a_gradient_nothing_else_holds_is_overwritten_in_place(handed):
    """Compiled: the fresh g @ Vᵀ reaching the mask is handed over, and the product is written
    into it; the Python engine never hands over (the same values either way); a small gradient
    is not worth it."""
    rng = np.random.default_rng(1)
    x = ag.Tensor(rng.normal(size=_BIG), requires_grad=True)
    v = rng.normal(size=(_BIG[1], 3))
    m = _mask(_BIG)
    (_Mask.apply(x, mask=m) @ v).sum().backward()
    assert handed == [engine.compiled]
    np.testing.assert_array_equal(x.grad.data, np.ones((_BIG[0], 3)) @ v.T * m)
    small = ag.Tensor(rng.normal(size=(6, 4)), requires_grad=True)
    (_Mask.apply(small, mask=_mask((6, 4))) @ v[:4]).sum().backward()
    assert handed == [engine.compiled, False]


@_hands_over
def test_a_gradient_that_is_also_held_elsewhere_is_never_overwritten(handed):
    """The user's own gradient array, an array a + node hands to two nodes (only the last one
    to run may take it), and a view: each keeps its values, and every gradient is right."""
    rng = np.random.default_rng(2)
    x = ag.Tensor(rng.normal(size=_BIG), requires_grad=True)
    m1, m2 = _mask(_BIG, 1), _mask(_BIG, 2)
    g = rng.normal(size=_BIG)
    g_before = g.copy()
    _Mask.apply(x, mask=m1).backward(g)                      # the user's array: not handed
    np.testing.assert_array_equal(g, g_before)
    np.testing.assert_array_equal(x.grad.data, g_before * m1)
    assert handed == [False]

    x.grad = None
    del handed[:]
    v = rng.normal(size=(_BIG[1], 5))
    ((_Mask.apply(x, mask=m1) + _Mask.apply(x, mask=m2)) @ v).sum().backward()
    upstream = np.ones((_BIG[0], 5)) @ v.T
    np.testing.assert_allclose(x.grad.data, upstream * m1 + upstream * m2, rtol=1e-15)
    # the first of the two to run shares the array with the other; the second may take it
    assert handed == ([False, True] if engine.compiled else [False, False])

    x.grad = None
    del handed[:]
    n = _BIG[0] * _BIG[1]
    w = rng.normal(size=(n, 2))
    (_Mask.apply(x, mask=m1).reshape(n) @ w).sum().backward()    # a view of the fresh array
    np.testing.assert_allclose(x.grad.data, (np.ones(2) @ w.T).reshape(_BIG) * m1, rtol=1e-15)
    assert handed == [False]


@_hands_over
def test_a_retained_graph_and_a_recorded_backward_leave_the_gradients_alone(handed):
    rng = np.random.default_rng(3)
    x = ag.Tensor(rng.normal(size=_BIG), requires_grad=True)
    v = ag.Tensor(rng.normal(size=(_BIG[1], 2)), requires_grad=True)
    m = _mask(_BIG, 3)
    y = (_Mask.apply(x, mask=m) @ v).sum()
    y.backward(retain_graph=True)
    first = x.grad.data.copy()
    x.grad = None
    gx, = ag.grad(y, [x], create_graph=True)           # the Python loop, on Tensors
    np.testing.assert_allclose(gx.data, first, rtol=1e-15)
    assert handed == [engine.compiled, False]


@pytest.mark.parametrize("op", ["relu", "tanh", "leaky_relu"])
def test_activation_rules_that_write_in_place_give_the_out_of_place_gradients(op):
    """ReLU, tanh and leaky_relu (and nn's AffineReLU) call grad_times: against the same
    product computed out of place, bit for bit, at a size where it writes in place."""
    rng = np.random.default_rng(4)
    xa, va = rng.normal(size=_BIG), rng.normal(size=(_BIG[1], 3))
    x = ag.Tensor(xa, requires_grad=True)
    (getattr(ag, op)(x) @ va).sum().backward()
    g = np.ones((_BIG[0], 3)) @ va.T
    y = getattr(ag, op)(ag.Tensor(xa)).data
    expected = {"relu": g * (y > 0), "tanh": g * (1.0 - y * y),
                "leaky_relu": g * np.where(xa > 0, 1.0, 0.01)}[op]
    np.testing.assert_array_equal(x.grad.data, expected)


def test_reading_data_lets_a_lapsed_pin_go_and_watches_a_live_one():
    """Tensor.data (compiled: _fast.data_get): a weight whose node has run backward is unpinned
    on reading; while the node still keeps the array, a write through .data is caught."""
    if not _PURE and engine.compiled:
        assert ag.Tensor.__dict__["data"].fget is _core.fast.data_get
    w = ag.Tensor(np.ones((3, 2)), requires_grad=True)
    x = ag.Tensor(np.ones((4, 3)))
    (x @ w).sum().backward()
    assert w._pinned is not None           # MatMul saved w; its node has run and let go
    assert w.data is w._data and w._pinned is None
    y = (x @ w).sum()
    w.data[0, 0] = 5.0                      # a live pin: watched, so this write is caught
    with pytest.raises(RuntimeError, match=r"written through its \.data"):
        y.backward()
    w.data = [[1, 2], [3, 4], [5, 6]]       # a list becomes an array; an array is kept as is
    assert type(w.data) is np.ndarray and w.data.dtype == np.int64
    arr = np.zeros((3, 2))
    w.data = arr
    assert w.data is arr


def test_nn_affine_relu_in_place_gives_the_out_of_place_gradients():
    rng = np.random.default_rng(5)
    net = nn.Sequential(nn.Linear(_BIG[1], 96, rng=1), nn.ReLU(), nn.Linear(96, 3, rng=2))
    xa = rng.normal(size=_BIG)
    x = ag.Tensor(xa, requires_grad=True)
    net(x).sum().backward()
    w1, b1, w2 = (p.data for p in (net[0].weight, net[0].bias, net[2].weight))
    h = xa @ w1 + b1
    g = (np.ones((_BIG[0], 3)) @ w2.T) * (h > 0)        # 64 × 96 elements: written in place
    np.testing.assert_array_equal(x.grad.data, g @ w1.T)
    np.testing.assert_array_equal(net[0].weight.grad.data, xa.T @ g)


# ----------------------------------------------------------------------------- Tensor.backward
def _backward_cases():
    """(name, make, call): make() builds leaves and a root; call(root) runs one backward."""
    def scalar_loss(dtype):
        def make():
            x = ag.Tensor(np.linspace(-1, 2, 6, dtype=dtype).reshape(2, 3), requires_grad=True)
            w = ag.Tensor(np.full((3, 2), 0.5, dtype=dtype), requires_grad=True)
            return (x, w), ((x @ w).tanh() * x.sum(axis=1, keepdims=True)).mean()
        return make

    def leaf_root():
        s = ag.Tensor(np.float64(2.0), requires_grad=True)
        return (s,), s

    def second_output():
        x = ag.Tensor(np.float64(1.5), requires_grad=True)
        return (x,), SquareAndTriple.apply(x)[1]     # output 1 of a two-output node

    def vector_root():
        x = ag.Tensor(np.arange(3.0), requires_grad=True)
        return (x,), x * x

    def float32_scalar():
        x = ag.Tensor(np.ones(4, np.float32), requires_grad=True)
        return (x,), (x * 3.0).sum()

    return [
        ("plain f64", scalar_loss(np.float64), lambda r: r.backward()),
        ("plain f32", scalar_loss(np.float32), lambda r: r.backward()),
        ("retained, twice", scalar_loss(np.float64),
         lambda r: (r.backward(retain_graph=True), r.backward())),
        ("positional retain", scalar_loss(np.float64),
         lambda r: (r.backward(None, True), r.backward(None, False))),
        ("explicit grad", scalar_loss(np.float64), lambda r: r.backward(np.float64(2.0))),
        ("grad=None keyword", scalar_loss(np.float64), lambda r: r.backward(grad=None)),
        ("grad=False keyword", scalar_loss(np.float64), lambda r: r.backward(grad=False)),
        ("create_graph=False", scalar_loss(np.float64),
         lambda r: r.backward(create_graph=False, retain_graph=False)),
        ("create_graph", scalar_loss(np.float64), lambda r: r.backward(create_graph=True)),
        ("under no_grad", scalar_loss(np.float64), lambda r: _in(ag.no_grad(), r.backward)),
        ("under detect_anomaly", scalar_loss(np.float64),
         lambda r: _in(ag.detect_anomaly(), r.backward)),
        ("a leaf as root", leaf_root, lambda r: r.backward()),
        ("a second output", second_output, lambda r: r.backward()),
        ("a vector with its grad", vector_root, lambda r: r.backward(np.ones(3))),
        ("float32, twice accumulated", float32_scalar,
         lambda r: (r.backward(retain_graph=True), r.backward())),
    ]


def _in(context, fn):
    with context:
        fn()


@_compiled_only
@pytest.mark.parametrize("name, make, call", _backward_cases(),
                         ids=[case[0] for case in _backward_cases()])
def test_compiled_backward_gives_the_python_methods_gradients(name, make, call):
    """Tensor.backward is compiled for loss.backward() on a scalar and hands every other call to
    the Python method it replaces (its __wrapped__): the same gradients either way, bit for bit,
    and the gradient mode as it was before the call."""
    method = ag.Tensor.__dict__["backward"]
    assert type(method).__name__ == "CMethod"
    assert method.__wrapped__ is ag.Tensor.backward.__wrapped__
    grads = []
    for compiled in (True, False):
        leaves, root = make()
        if compiled:
            call(root)
        else:
            with _python_backward():
                call(root)
        assert ag.is_grad_enabled()
        grads.append([leaf.grad.data for leaf in leaves])
    for a, b in zip(*grads):
        assert a.dtype == b.dtype and np.array_equal(a, b), name


class _python_backward:
    """Tensor.backward as tensor.py writes it, for the duration of a with block."""

    def __enter__(self):
        self.compiled = ag.Tensor.__dict__["backward"]
        ag.Tensor.backward = self.compiled.__wrapped__

    def __exit__(self, *exc):
        ag.Tensor.backward = self.compiled


@_compiled_only
def test_compiled_backward_restores_the_gradient_mode_when_a_rule_raises():
    class Broken(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            assert not ag.is_grad_enabled()     # rules run on arrays, recording nothing
            raise ValueError("broken rule")

    x = ag.Tensor(np.ones(3), requires_grad=True)
    loss = Broken.apply(x).sum()
    with pytest.raises(ValueError, match="broken rule") as info:
        loss.backward()
    assert ag.is_grad_enabled()
    notes = getattr(info.value, "__notes__", [])
    if sys.version_info >= (3, 11):     # exception notes are 3.11's; before, the traceback alone
        assert any("raised in Broken.backward" in n for n in notes)
    else:
        assert notes == []


@_compiled_only
def test_compiled_backward_binds_and_complains_as_the_python_method_does():
    x = ag.Tensor(np.ones(3), requires_grad=True)
    bound = (x * 2).sum().backward
    assert bound.__self__ is not None and bound.__name__ == "backward"
    bound()
    assert np.array_equal(x.grad.data, [2.0, 2.0, 2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.Tensor(np.ones(()), requires_grad=False).backward()
    with pytest.raises(TypeError, match="unexpected keyword argument 'gard'"):
        (x * 2).sum().backward(gard=None)
    assert repr(ag.Tensor.__dict__["backward"]) == "<compiled method Tensor.backward>"
    assert ag.Tensor.backward.__doc__ == ag.Tensor.backward.__wrapped__.__doc__


# ----------------------------------------------------------------------------- dual
class _Scale(ag.Function):
    """out = x · k (k a keyword); forward notes the ctx it ran with."""
    ctxs = []

    @staticmethod
    def forward(ctx, x, k=2.0):
        _Scale.ctxs.append(ctx)
        ctx.k = k                       # a rule may set what it likes on its ctx
        return x * k

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.k


@pytest.mark.parametrize("shape", SHAPES)
def test_dual_runs_forward_on_arrays_and_apply_on_tensors(shape):
    """function.dual: on arrays, forward with a fresh ctx that keeps nothing (no Tensor, no
    node); on a Tensor anywhere among the arguments, apply (recorded). The compiled Dual and the
    Python function it wraps do the same; each call gets its own ctx."""
    from autograd.function import _RawCtx, dual
    scale = dual(_Scale)
    impls = [scale] + ([scale.__wrapped__] if type(scale).__name__ == "Dual" else [])
    if not _PURE and engine.compiled:
        assert len(impls) == 2 and scale.function is _Scale
    x = np.random.default_rng(2).normal(size=shape)
    for impl in impls:
        _Scale.ctxs = []
        out = impl(x, k=3.0)             # numpy's own result: a scalar for 0-d
        assert not isinstance(out, ag.Tensor) and np.array_equal(out, x * 3.0)
        out = impl(x)
        assert np.array_equal(out, x * 2.0)
        assert [type(c) for c in _Scale.ctxs] == [_RawCtx, _RawCtx]
        assert _Scale.ctxs[0] is not _Scale.ctxs[1] and _Scale.ctxs[0].k == 3.0
        t = ag.Tensor(x, requires_grad=True)
        y = impl(t, k=3.0)
        assert isinstance(y, ag.Tensor) and type(y.grad_fn) is _Scale
        y.sum().backward()
        assert np.array_equal(t.grad.data, np.full(shape, 3.0))
    assert scale.__name__ == "_scale" and scale.__doc__ == _Scale.__doc__


@_compiled_only
def test_compiled_dual_looks_up_apply_at_each_call_and_takes_many_arguments():
    """detect_anomaly swaps Function.apply: a recorded rule under it goes through the checking
    apply. Past the compiled dual's argument stack, the Python function does the call."""
    from autograd.function import dual
    scale = dual(_Scale)
    t = ag.Tensor(np.ones(3), requires_grad=True)
    with ag.detect_anomaly():
        with pytest.raises(ag.AnomalyError, match="_Scale produced NaN"):
            scale(t, k=np.nan)

    class Many(ag.Function):
        @staticmethod
        def forward(ctx, *xs):
            return sum(xs)

    many = dual(Many)
    assert type(many).__name__ == "Dual"
    assert many(*[np.ones(2)] * 20).tolist() == [20.0, 20.0]
    assert repr(many).startswith("<compiled dual of ")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_zero_d_results_are_arrays_of_their_dtype(dtype):
    """numpy returns a scalar for a 0-d result; a Tensor holds it as a 0-d array of that dtype,
    through the compiled apply and the Python one alike."""
    x = ag.Tensor(np.arange(4, dtype=dtype), requires_grad=True)
    for out in (x.mean(), -x.sum(), x.max(), x.sum() * 2.0, (x * x).sum().sqrt()):
        assert type(out.data) is np.ndarray and out.data.shape == () and out.dtype == dtype


# ----------------------------------------------------------------------------- mode and ctx
def test_the_gradient_mode_is_the_compiled_one_exactly_when_the_loops_run():
    from autograd import mode
    if _PURE or not engine.compiled:
        assert type(mode._mode) is mode._Mode
        return
    assert type(mode._mode) is _core.fast.Mode
    other = _core.fast.Mode()              # every Mode object is the same per-thread state
    with ag.no_grad():
        assert other.enabled is False and mode._mode.enabled is False
    assert other.enabled is True
    with ag.detect_anomaly(check_nan=False):
        assert other.anomaly is False
    with ag.detect_anomaly():
        assert other.anomaly is True and ag.is_anomaly_enabled() is True
    assert ag.is_anomaly_enabled() is False
    for name in ("enabled", "anomaly"):
        with pytest.raises(AttributeError, match="cannot be deleted"):
            delattr(other, name)


@_compiled_only
def test_configure_refuses_a_python_mode_and_changes_nothing():
    from autograd import mode
    objs = {"Tensor": ag.Tensor, "Function": ag.Function, "RawCtx": ag.function._RawCtx,
            "mode": mode._Mode()}
    with pytest.raises(TypeError, match="must be a _fast.Mode"):
        _core.fast.configure(objs, {}, {})
    x = ag.Tensor(np.ones(2), requires_grad=True)
    with ag.no_grad():
        assert not (x * 2).requires_grad      # the compiled apply reads the mode it had
    (x * 2).sum().backward()
    assert np.array_equal(x.grad.data, [2.0, 2.0])


class _Keeps(ag.Function):
    """out = x · y; backward records what saved_tensors gave it."""
    seen = []

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        _Keeps.seen.append((x, y))
        return grad_output * y, grad_output * x


def test_saved_tensors_are_the_arrays_in_a_plain_backward_and_tensors_in_a_recorded_one():
    xa, ya = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    x = ag.Tensor(xa, requires_grad=True)
    y = ag.Tensor(ya, requires_grad=True)
    _Keeps.seen = []
    out = _Keeps.apply(x, y)
    assert out.grad_fn._saved == (xa, ya) and out.grad_fn._saved[0] is xa
    out.sum().backward(retain_graph=True)
    assert _Keeps.seen[-1][0] is xa and _Keeps.seen[-1][1] is ya
    gx, = ag.grad(_Keeps.apply(x, y).sum(), [x], create_graph=True)
    assert all(isinstance(s, ag.Tensor) for s in _Keeps.seen[-1])
    assert np.array_equal(gx.data, ya)
    out.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        out.sum().backward()
    if not _PURE and engine.compiled:
        method = ag.Function.__dict__["save_for_backward"]
        assert type(method).__name__ == "CMethod"
        assert repr(method) == "<compiled method Function.save_for_backward>"
        assert ag.Function.__dict__["saved_tensors"].fget is _core.fast.saved_get
        with pytest.raises(TypeError, match="expects a Function's ctx"):
            _core.fast.save_for_backward(object(), xa)


# ----------------------------------------------------------------------------- grad_times
def _grad_times_cases():
    rng = np.random.default_rng(8)
    big, small = (64, 80), (8, 8)

    def case(shape, owned=True, factor="bool", dtype=np.float64, view=False, frozen=False):
        g = rng.normal(size=(shape[0] * 2,) + shape[1:] if view else shape).astype(dtype)
        if view:
            g = g[::2]
        if frozen:
            g.flags.writeable = False
        f = {"bool": lambda: rng.uniform(size=shape) > 0.5,
             "same": lambda: rng.normal(size=shape).astype(dtype),
             "other": lambda: rng.normal(size=shape).astype(np.float32),
             "row": lambda: rng.normal(size=shape[-1:]).astype(dtype),
             "float": lambda: 0.5}[factor]()
        return owned, g, f

    return {
        "owned, bool mask": case(big),
        "owned, same dtype": case(big, factor="same"),
        "owned, float32 g": case(big, factor="same", dtype=np.float32),
        "not owned": case(big, owned=False),
        "small": case(small),
        "other dtype": case(big, factor="other"),
        "broadcast factor": case(big, factor="row"),
        "a float factor": case(big, factor="float"),
        "a view": case(big, view=True),
        "read-only": case(big, frozen=True),
    }


@pytest.mark.parametrize("name", sorted(_grad_times_cases()))
def test_grad_times_writes_in_place_exactly_when_it_may(name):
    """grad_times (compiled, or function.py's in the pure-Python engine) against the reference:
    the product in place only for a handed-over, large, writeable array of its own and a factor
    of its shape and dtype (or a bool mask); the plain product otherwise, with the same values."""
    from autograd.function import _grad_times, grad_times
    owned, g, factor = _grad_times_cases()[name]
    expected = g * factor
    in_place = name.startswith("owned")
    results = []
    for fn in {grad_times, _grad_times}:
        ctx = ag.Function()
        gc_ = g.copy() if g.flags.writeable and g.base is None else g
        ctx._grad_owned = gc_ if owned else False      # the array handed to this call
        out = fn(ctx, gc_, factor)
        assert (out is gc_) == in_place, fn
        assert out.dtype == expected.dtype and np.array_equal(out, expected), fn
        results.append(out)
    t = ag.Tensor(g, requires_grad=True)                    # a recorded backward: Tensors
    ctx = ag.Function()
    ctx._grad_owned = t if owned else False
    out = grad_times(ctx, t, ag.Tensor(np.asarray(factor)) if name != "a float factor" else 0.5)
    assert isinstance(out, ag.Tensor) and np.array_equal(out.data, expected)


# ----------------------------------------------------------------------------- numpy's ufuncs
@pytest.mark.parametrize("shape", [(3,), (2, 3)])
def test_numpy_operators_on_tensors_give_the_python_methods_results(shape):
    """Tensor.__array_ufunc__ is compiled for numpy's operators (array + t, array @ w, ...):
    each ufunc gives what the Python method (interop.py) gives, values and gradients, with the
    array first or second; the other ufuncs and the calls with keywords go to it."""
    method = ag.Tensor.__dict__["__array_ufunc__"]
    compiled = not _PURE and engine.compiled
    assert (type(method).__name__ == "CMethod") == compiled
    if compiled:
        assert set(_core.fast.ufunc_functions) == {np.add, np.subtract, np.multiply,
                                                     np.true_divide, np.negative, np.matmul}
    rng = np.random.default_rng(9)
    a = rng.uniform(0.5, 2.0, size=shape)
    for name, call in [("add", lambda x, t: x + t), ("radd", lambda x, t: t + x),
                       ("sub", lambda x, t: x - t), ("mul", lambda x, t: x * t),
                       ("div", lambda x, t: x / t), ("neg", lambda x, t: np.negative(t)),
                       ("matmul", lambda x, t: x @ t.T if t.ndim == 2 else x @ t),
                       ("exp", lambda x, t: np.exp(t) * x), ("max", lambda x, t: np.maximum(x, t)),
                       ("pow", lambda x, t: x ** t)]:
        results = []
        for impl in {method, getattr(method, "__wrapped__", method)}:
            ag.Tensor.__array_ufunc__ = impl
            try:
                t = ag.Tensor(a.copy() * 1.5, requires_grad=True)
                out = call(a, t)
                out.sum().backward()
                results.append((type(out.grad_fn).__name__, out.data, t.grad.data))
            finally:
                ag.Tensor.__array_ufunc__ = method
        for r in results[1:]:
            assert r[0] == results[0][0] and np.array_equal(r[1], results[0][1]), name
            assert np.array_equal(r[2], results[0][2]), name
    t = ag.Tensor(a, requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy's add.reduce is not differentiated"):
        np.add.reduce(t)
    with pytest.raises(TypeError, match=r"with keyword arguments where"):
        np.add(a, t, where=True)
    with ag.detect_anomaly(), np.errstate(invalid="ignore"):     # apply, as swapped now
        with pytest.raises(ag.AnomalyError, match="Div produced NaN or inf"):
            np.zeros(shape) / ag.Tensor(np.zeros(shape), requires_grad=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gradients_summed_over_a_broadcast_leading_axis(dtype):
    """A gradient with one leading axis more than its input (a bias's) is summed over that
    axis, in C in the compiled pass: into a leaf and into a node, down to 0-d too; other
    broadcasts (a kept axis of 1) take engine._unbroadcast. Values as numpy's sums."""
    rng = np.random.default_rng(11)
    w = rng.normal(size=(4, 3)).astype(dtype)
    v = rng.normal(size=5).astype(dtype)
    x = ag.Tensor(rng.normal(size=3).astype(dtype), requires_grad=True)
    s = ag.Tensor(np.asarray(0.5, dtype), requires_grad=True)
    k = ag.Tensor(rng.normal(size=(4, 1)).astype(dtype), requires_grad=True)
    loss = (x * w).sum() + (x.exp() * w).sum() + (s * v).sum() + (s.exp() * v).sum() \
        + (k * w).sum()
    loss.backward()
    xd, sd = x.data, s.data
    np.testing.assert_allclose(x.grad.data, w.sum(0) + np.exp(xd) * w.sum(0), rtol=1e-6)
    np.testing.assert_allclose(s.grad.data, v.sum() + np.exp(sd) * v.sum(), rtol=1e-6)
    np.testing.assert_allclose(k.grad.data, w.sum(1, keepdims=True), rtol=1e-6)
    for leaf in (x, s, k):
        assert type(leaf.grad.data) is np.ndarray and leaf.grad.dtype == dtype
        assert leaf.grad.shape == leaf.shape
