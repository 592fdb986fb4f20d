"""The chapter's notebooks run: each is executed top to bottom in a fresh kernel (in memory;
nothing is written back), and every cell asserts the chapter's numbers (D1–D19), so a wrong
number fails here. Also checked: the saved copies keep their outputs (readable on a code host
without running them) and stay small."""
import json
import os
import pathlib
import sys
import time

import pytest

from extras import need_modules  # noqa: E402

nbformat, nbclient = need_modules(["nbformat", "nbclient"], "notebooks")
need_modules(["ipykernel", "matplotlib", "sklearn", "tqdm", "graphviz"], "notebooks")

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ["01_xor.ipynb", "02_output_units.ipynb", "03_hidden_units.ipynb",
            "04_digits_mlp.ipynb", "05_custom_functions.ipynb"]
CELL_TIMEOUT_S = 120
NOTEBOOK_LIMIT_S = 60
MAX_SAVED_BYTES = 400_000

# Run first in the kernel: which Python it is, and which `autograd` it imports (the name is
# also taken by an unrelated package on the package index).
_PROBE = ("import json, sys, autograd, nn\n"
          "print(json.dumps({'prefix': sys.prefix, 'autograd': autograd.__file__, "
          "'nn': nn.__file__}))")


def test_the_five_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_without_error(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_PROBE))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    # kernel "python3" is ipykernel's, started with this interpreter (sys.executable)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    start = time.perf_counter()
    client.execute(env=env)              # raises CellExecutionError on any error or assert
    elapsed = time.perf_counter() - start

    probe = json.loads("".join(o.get("text", "") for o in nb.cells[0].outputs
                               if o.output_type == "stream" and o.name == "stdout"))
    assert probe["prefix"] == sys.prefix, "the kernel runs another Python than the tests"
    for name in ("autograd", "nn"):
        assert pathlib.Path(probe[name]).resolve().is_relative_to(ROOT), probe[name]
    assert elapsed < NOTEBOOK_LIMIT_S, f"{path.name} took {elapsed:.0f} s"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_notebook_keeps_its_outputs_and_is_small(path):
    """Saved as executed in order from a fresh kernel, with no errors, figures included."""
    assert path.stat().st_size < MAX_SAVED_BYTES, f"{path.name}: {path.stat().st_size} bytes"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert all(c.source.strip() for c in nb.cells), "empty cell"
    markdown = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert any(f"D{k}" in markdown for k in range(1, 20)), "cites no closed form of the chapter"
