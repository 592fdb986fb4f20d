"""The ownership test's baseline owes nothing to what held references at import (issue 24, case 5).

``+=``, ``-=`` and ``relu_()`` write into a tensor's own array when its reference count says
nothing else holds it (``Tensor._alone``; compiled, ``writes_into``). The Python test used to
compare that count with one measured once, on a fresh tensor, at import: a tracer or debugger
that held the measuring frame's locals then (reading ``frame.f_locals`` in a trace function is
enough on 3.10–3.12; keeping a copy of them, on every version) raised the baseline by one, and
from then on ``+=`` overwrote an array a user held: a saved transposed view gave a wrong
gradient. The baseline is now the interpreter's (the slot, the local, the argument), and the
measurement at import can only turn the writes off.

Each check runs a script in a subprocess whose import of autograd is traced, under both
engines (the compiled ``+=`` hands a shared array to the Python method, so both reach
``_alone``).
"""
import json
import os
import subprocess
import sys

import pytest

import autograd as ag
from autograd import _core

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_SCRIPT = r'''
import json, os, sys, weakref

KEEP = os.environ["BASELINE_TRACER"]
kept = []

def tracer(frame, event, arg):
    """Traces autograd's own frames while it is imported, and reads their locals at each event
    (as a debugger's variables view does): "reads" only reads f_locals (on 3.10-3.12 that
    fills a dict the frame keeps: one reference more to each local), "keeps" keeps the latest
    (one more on every version), "frames" keeps every frame object (one more per frame that
    held the array)."""
    if "autograd" not in frame.f_code.co_filename:
        return None
    if KEEP == "reads":
        frame.f_locals
    elif KEEP == "keeps":               # the latest locals: the frame's own dict up to 3.12,
        f_locals = frame.f_locals       # a copy of 3.13's write-through proxy (PEP 667)
        kept[:] = [f_locals if isinstance(f_locals, dict) else dict(f_locals)]
    elif KEEP == "frames":
        kept.append(frame)
    return tracer

if KEEP != "none":
    sys.settrace(tracer)
import numpy as np
import autograd as ag
sys.settrace(None)
kept.clear()

sys.path.insert(0, "tests")
from custom_functions import in_place

def iadd(h):
    h += 1.0

def iadd_tensor(h):
    h += ag.Tensor(np.ones(3))

def isub(h):
    h -= ag.Tensor(np.ones(3))

facts = {}
for name, op in [("iadd", iadd), ("iadd_tensor", iadd_tensor), ("isub", isub),
                 ("relu_", lambda t: t.relu_())]:
    w = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    # nothing else holds h's array: written in place (the fast path stays on)
    h = w * 1.0
    facts[name + " alone"] = in_place(h, op)
    # the user holds h's array (its .data): never written, keeps its value
    h = w * 1.0
    held = h.data
    kept_value = held.copy()
    facts[name + " held: in place"] = in_place(h, op)
    facts[name + " held: unchanged"] = bool(np.array_equal(held, kept_value))

# a saved transposed view of h: h += 1 must not change what (t * t) saved
a = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True)
h = a * 1.0
t = h.T
y = (t * t).sum()
h += 1.0
(y + h.sum()).backward()

print(json.dumps({"compiled": ag.engine.compiled,
                  "iadd_is_op_method":
                      type(ag.Tensor.__dict__["__iadd__"]).__name__ == "OpMethod",
                  "facts": facts, "a.grad": a.grad.data.tolist()}))
'''

_ENGINES = ["compiled", "python"]


def _run(engine, tracer):
    env = dict(os.environ)
    env.pop("AUTOGRAD_UNPROVEN_INTERPRETER", None)
    env["BASELINE_TRACER"] = tracer
    if engine == "python":
        env["AUTOGRAD_PURE_PYTHON"] = "1"
    else:
        env.pop("AUTOGRAD_PURE_PYTHON", None)
    r = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=_ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    if engine == "compiled":
        if not out["compiled"]:
            pytest.skip("autograd._fast is not built")
        assert out["iadd_is_op_method"]
    else:
        assert not out["compiled"] and not out["iadd_is_op_method"]
    return out


@pytest.mark.skipif(not _core.OWNERSHIP_PROVEN, reason="no in-place writes on this interpreter")
@pytest.mark.parametrize("tracer", ["none", "reads", "keeps", "frames"])
@pytest.mark.parametrize("engine", _ENGINES)
def test_case5_a_tracer_at_import_does_not_let_inplace_overwrite_a_held_array(engine, tracer):
    out = _run(engine, tracer)
    facts = out["facts"]
    for op in ("iadd", "iadd_tensor", "isub", "relu_"):
        assert not facts[op + " held: in place"], (op, facts)
        assert facts[op + " held: unchanged"], (op, facts)
    # d/da of sum(t * t) + sum(h), t a view of h = a * 1.0: 2 * [1, 2, 3] + 1
    assert out["a.grad"] == [3.0, 5.0, 7.0]


@pytest.mark.skipif(not _core.OWNERSHIP_PROVEN, reason="no in-place writes on this interpreter")
@pytest.mark.parametrize("tracer", ["none", "reads", "keeps", "frames"])
@pytest.mark.parametrize("engine", _ENGINES)
def test_case5_an_array_held_by_its_tensor_alone_is_still_written_in_place(engine, tracer):
    # the fix keeps the fast path: a tracer at import changes nothing after it
    facts = _run(engine, tracer)["facts"]
    for op in ("iadd", "iadd_tensor", "isub", "relu_"):
        assert facts[op + " alone"], (op, facts)


@pytest.mark.skipif(not _core.OWNERSHIP_PROVEN, reason="no in-place writes on this interpreter")
def test_case5_the_baseline_is_the_interpreters_not_a_measurement():
    tensor = sys.modules["autograd.tensor"]
    # the references _array_refs itself holds: the slot, its local, getrefcount's argument
    assert tensor._ALONE_REFS == 3
    h = ag.Tensor([1.0, 2.0], requires_grad=True) * 1.0
    assert h._array_refs() == tensor._ALONE_REFS and h._alone()
    held = h._data
    assert h._array_refs() == tensor._ALONE_REFS + 1 and not h._alone()
    del held
    assert h._alone()


def test_case5_a_measurement_below_the_baseline_turns_the_writes_off(monkeypatch):
    # an interpreter that counted fewer references than the proof assumes: never alone
    tensor = sys.modules["autograd.tensor"]
    assert tensor._baseline_holds(tensor._ALONE_REFS)
    assert tensor._baseline_holds(tensor._ALONE_REFS + 1)       # a tracer at import: extra
    assert not tensor._baseline_holds(tensor._ALONE_REFS - 1)
