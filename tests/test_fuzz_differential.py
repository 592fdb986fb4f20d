"""The differential fuzz (issue 24): random programs with in-place operators, views, ``.data``
and ``np.asarray`` hand-outs (read and written), ``retain_graph``, ``create_graph`` and two
threads, run by each engine in a fresh interpreter: the compiled core, the pure-Python engine,
and the compiled core with its speed tricks forced off (``AUTOGRAD_UNPROVEN_INTERPRETER=1``:
every in-place operator computes a new array, no gradient is handed over). Every value and
gradient must be bit-identical, and every error the same, statement by statement: a speed
trick may never change a result, and the guards must refuse the same writes everywhere.

The programs are drawn by ``tests/differential.py``. The suite runs a short, fixed set;
``make fuzz`` runs ``FUZZ_EXAMPLES`` (default 300) times more, from a fresh random start.
A failure names the seed: ``python tests/differential.py SEED`` prints its program.
"""
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import differential

HERE = Path(__file__).parent
SHORT = 60
_LONG = int(os.environ.get("FUZZ_EXAMPLES", "0"))

ENGINES = {
    "compiled": {"AUTOGRAD_PURE_PYTHON": "0", "AUTOGRAD_UNPROVEN_INTERPRETER": "0"},
    "pure Python": {"AUTOGRAD_PURE_PYTHON": "1", "AUTOGRAD_UNPROVEN_INTERPRETER": "0"},
    "forced out-of-place": {"AUTOGRAD_PURE_PYTHON": "0", "AUTOGRAD_UNPROVEN_INTERPRETER": "1"},
}


def _records(engine, first, count, tmp_path):
    env = {**os.environ, **ENGINES[engine]}
    path = tmp_path / f"{engine.replace(' ', '-')}.pkl"
    subprocess.run([sys.executable, str(HERE / "differential.py"), "--run", str(first),
                    str(count), str(path)], env=env, check=True, cwd=HERE.parent, timeout=600)
    with open(path, "rb") as f:
        return pickle.load(f)


def _first_difference(a, b):
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return k, x, y
    return min(len(a), len(b)), a[len(b):len(b) + 1], b[len(a):len(a) + 1]


def _seeds():
    if _LONG:
        start = int.from_bytes(os.urandom(3), "little") * 1000
        return start, SHORT * _LONG // 10
    return 0, SHORT


def test_engines_agree_bit_for_bit(tmp_path):
    first, count = _seeds()
    records = {engine: _records(engine, first, count, tmp_path) for engine in ENGINES}
    reference = records["compiled"]
    assert set(reference) == set(range(first, first + count))
    for engine, got in records.items():
        for seed in reference:
            if got[seed] != reference[seed]:
                k, x, y = _first_difference(reference[seed], got[seed])
                pytest.fail(f"seed {seed}: {engine} differs from compiled at record {k}: "
                            f"{y!r} against {x!r} (python tests/differential.py {seed} prints "
                            f"the program)")


def test_the_programs_exercise_every_kind_and_hit_the_guards(tmp_path):
    """The short run is worth its time: it draws every statement kind, and its programs both
    succeed and make the guards refuse (an error that names a saved array)."""
    first, count = _seeds()
    kinds = {st[0] for seed in range(first, first + count) for st in differential.program(seed)}
    assert kinds == set(differential.KINDS)
    records = _records("compiled", first, min(count, SHORT), tmp_path)
    errors = [v for rec in records.values() for tag, v in rec if tag == "error"]
    refused = [e for e in errors if "saved in the forward pass" in e]
    assert refused, "no program made a guard refuse a changed saved array"
    assert len(errors) < 0.5 * sum(len(rec) for rec in records.values())
    grads = [v for rec in records.values() for tag, v in rec
             if tag.startswith(("backward", "grad2", "thread")) and v is not None
             and not isinstance(v, str)]
    assert grads and any(np.frombuffer(b, dtype=d).any() for d, _, b in grads)
