"""The interpreter gate: writing in place by reference count only where that count is proof.

``+=``, ``-=`` and ``relu_()`` write into a tensor's own array when its reference count says
nothing else holds it (``Tensor._alone``; compiled, ``writes_into``), and the compiled pass
hands a rule its gradient array on the same evidence (``function.grad_times``). That is proven
for CPython 3.10 to 3.13 with the GIL only; elsewhere (3.14, a free-threaded build) both stay
off, the operators stay compiled, and the values and gradients are the same.
AUTOGRAD_UNPROVEN_INTERPRETER=1 simulates such an interpreter: each check runs a script in a
subprocess with and without it (under the engine this run tests: AUTOGRAD_PURE_PYTHON is
passed on) and compares.
"""
import json
import os
import subprocess
import sys

import pytest

from autograd import _core, binding, engine

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_SCRIPT = r'''
import json, sys, weakref
import numpy as np
import autograd as ag
from autograd import binding
sys.path.insert(0, "tests")
from custom_functions import HandedMask as Mask, in_place

def iadd(h):
    h += b

def isub(h):
    h -= b

rng = np.random.default_rng(0)
x = ag.Tensor(rng.normal(size=(64, 80)), requires_grad=True)
b = ag.Tensor(rng.normal(size=80), requires_grad=True)
w = ag.Tensor(rng.normal(size=(80, 5)), requires_grad=True)
mask = rng.uniform(size=(64, 80)) > 0.5
h = x * 2.0
facts = {"iadd": in_place(h, iadd), "isub": in_place(h, isub),
         "relu_": in_place(h, lambda t: t.relu_())}
loss = ((Mask.apply(h, mask=mask) @ w).tanh() @ np.ones(5)).sum()
loss.backward()
h2 = ag.relu(x * 3.0)
(h2 @ w).sum().backward()
values = {"loss": loss.data, "h": h.data, "x.grad": x.grad.data, "b.grad": b.grad.data,
          "w.grad": w.grad.data}
print(json.dumps({
    "info": binding.compiled_info,
    "facts": facts,
    "handed": Mask.handed,
    "ops_compiled": type(ag.Tensor.__dict__["__add__"]).__name__ == "OpMethod",
    "in_place_ops_compiled": type(ag.Tensor.__dict__["__iadd__"]).__name__ == "OpMethod",
    "values": {k: [str(v.dtype), list(v.shape), np.ascontiguousarray(v).tobytes().hex()]
               for k, v in values.items()},
}))
'''


def _run(unproven):
    env = dict(os.environ)
    env.pop("AUTOGRAD_UNPROVEN_INTERPRETER", None)
    if unproven:
        env["AUTOGRAD_UNPROVEN_INTERPRETER"] = "1"
    r = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=_ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def runs():
    if not _core.OWNERSHIP_PROVEN:
        pytest.skip(f"this interpreter is gated already: {_core.OWNERSHIP_UNPROVEN}")
    return _run(False), _run(True)


def test_an_unproven_interpreter_never_writes_into_a_tensors_own_array(runs):
    proven, unproven = runs
    assert proven["facts"] == {"iadd": True, "isub": True, "relu_": True}
    assert unproven["facts"] == {"iadd": False, "isub": False, "relu_": False}


def test_an_unproven_interpreter_never_hands_a_gradient_over(runs):
    proven, unproven = runs
    assert proven["handed"] == [proven["info"]["compiled"]]   # the pure-Python engine: never
    assert unproven["handed"] == [False]


def test_values_and_gradients_are_the_same_bit_for_bit(runs):
    proven, unproven = runs
    assert unproven["values"] == proven["values"]


def test_the_operators_stay_compiled(runs):
    proven, unproven = runs
    for run in runs:
        assert run["ops_compiled"] == run["in_place_ops_compiled"] == run["info"]["compiled"]
    assert unproven["info"]["compiled"] == proven["info"]["compiled"] == engine.compiled


def test_compiled_info_says_what_is_off_and_why(runs):
    proven, unproven = runs
    assert proven["info"] == binding.compiled_info
    assert proven["info"]["in_place_writes"] is True
    assert proven["info"]["hand_over"] is engine.compiled
    assert "in-place writes" not in proven["info"]["off"]
    info = unproven["info"]
    assert info["in_place_writes"] is False and info["hand_over"] is False
    assert "AUTOGRAD_UNPROVEN_INTERPRETER" in info["off"]["in-place writes"]
    assert ("AUTOGRAD_UNPROVEN_INTERPRETER" if engine.compiled else "pure-Python engine") \
        in info["off"]["hand-over"]
    if engine.compiled:
        assert "compiled core" not in info["off"]
    else:
        assert "AUTOGRAD_PURE_PYTHON" in info["off"]["compiled core"]


@pytest.mark.parametrize("version, gil, expected", [
    ((3, 9), True, "Python 3.9"), ((3, 10), True, None), ((3, 13), True, None),
    ((3, 14), True, "Python 3.14"), ((3, 13), False, "GIL is disabled"),
])
def test_the_gate_decides_from_the_version_and_the_gil(monkeypatch, version, gil, expected):
    """_core._unproven on interpreters this machine may not have: 3.10 to 3.13 with the GIL
    only; a free-threaded build (Py_GIL_DISABLED) is out whatever its GIL does at run time."""
    monkeypatch.delenv("AUTOGRAD_UNPROVEN_INTERPRETER", raising=False)
    monkeypatch.setattr(sys, "version_info", version + (0, "final", 0))
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: gil, raising=False)
    why = _core._unproven()
    assert (why is None) if expected is None else (expected in why)
    monkeypatch.setattr(_core.sysconfig, "get_config_var",
                        lambda name: 1 if name == "Py_GIL_DISABLED" else None)
    why = _core._unproven()
    assert why is not None and (expected is not None or "free-threaded" in why)
