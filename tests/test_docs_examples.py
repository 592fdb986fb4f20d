"""The code of docs/linalg.md and of the section "Layers beyond the chapter" of docs/nn.md runs as
written (their python blocks in order, in one namespace), and the nn example learns the digits.
(docs/per-example.md and docs/training.md are run by tests/test_vmap.py and
tests/test_nn_training_utils.py.)"""
import re
from pathlib import Path

import numpy as np

from extras import need_module

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _blocks(text):
    return re.findall(r"```python\n(.*?)```", text, re.S)


def _run(text, where):
    namespace = {}
    for block in _blocks(text):
        exec(compile(block, where, "exec"), namespace)
    return namespace


def test_the_linalg_page_runs():
    need_module("scipy.special", "special")
    text = (DOCS / "linalg.md").read_text(encoding="utf-8")
    first, special = _blocks(text)
    ns = _run(f"```python\n{first}```", "docs/linalg.md")
    a, x = ns["a"], ns["x"]
    # the page's first example: a.grad is the gradient of sum(solve(a, b)) + log|det a|
    A, b = a.numpy(), np.array([1.0, 2.0, 3.0])
    want = -np.outer(np.linalg.solve(A.T, np.ones(3)), np.linalg.solve(A, b)) + np.linalg.inv(A).T
    np.testing.assert_allclose(x.numpy(), np.linalg.solve(A, b))
    np.testing.assert_allclose(a.grad.numpy(), want, rtol=1e-10)
    # the second: erf through ag.special and gammaln through scipy's own ufunc
    import scipy.special
    ns = _run(f"```python\n{special}```", "docs/linalg.md")
    v = np.array([0.5, 1.0])
    want = 2 / np.sqrt(np.pi) * np.exp(-v ** 2) + scipy.special.digamma(v)
    np.testing.assert_allclose(ns["x"].grad.numpy(), want, rtol=1e-12)


def test_the_layers_beyond_the_chapter_example_learns_the_digits(capsys):
    need_module("sklearn.datasets", "demo")
    need_module("scipy.special", "special")
    text = (DOCS / "nn.md").read_text(encoding="utf-8")
    _run(text[text.index("## Layers beyond the chapter"):], "docs/nn.md")
    accuracy = float(re.search(r"held-out accuracy ([\d.]+)", capsys.readouterr().out).group(1))
    assert accuracy > 0.9
