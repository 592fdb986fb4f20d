"""`make demo` (notebooks/demo.py): it trains the chapter's XOR network and a digits MLP,
gradient-checks a custom function, and writes pictures with real content to the folder it
names."""
import contextlib
import importlib.util
import io
import os
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
from extras import have_dot, need_modules

need_modules(["matplotlib", "sklearn", "tqdm", "graphviz"], "demo")

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "notebooks" / "demo.py"
LAYER_NAMES = ["hidden.weight", "hidden.bias", "output.weight", "output.bias", "relu"]


def _load_demo():
    spec = importlib.util.spec_from_file_location("chapter_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo():
    return _load_demo()


@pytest.fixture(scope="module")
def run(demo, tmp_path_factory):
    """One run of the demo's main (a few seconds), shared by the tests below."""
    out = tmp_path_factory.mktemp("pictures") / "demo-output"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        result = demo.main(["--out", str(out), "--epochs", "20"])
    return result, stdout.getvalue(), out


def test_demo_prints_a_test_accuracy_of_at_least_95_percent(run):
    result, text, _ = run
    match = re.search(r"digits MLP test accuracy (\d\.\d+)", text)
    assert match, text[-2000:]
    accuracy = float(match.group(1))
    assert accuracy >= 0.95
    assert accuracy == round(result["accuracy"], 3)


def test_demo_works_the_chapters_xor_D4_and_trains_it(run):
    result, text, _ = run
    assert "f(X) = h w + b = [0. 1. 1. 0.]" in text
    assert result["xor_loss"] < 1e-6
    assert "XOR solved" in text


def test_demo_shows_the_report_of_a_wrong_backward(run):
    _, text, _ = run
    assert "Swish passes gradcheck: True" in text
    assert "gradcheck failed for SwishWrong.apply" in text and "worst:" in text


def test_demo_names_the_folder_and_every_file_it_wrote(run):
    result, text, out = run
    assert f"Pictures written to {out}{os.sep}:" in text
    graph = ".svg" if have_dot() else ".dot"           # without `dot`, the DOT text
    names = ["xor_graph" + graph, "digits_mlp_graph" + graph, "training_curves.png",
             "gradcheck_report.png"]
    assert [os.path.basename(p) for p in result["files"]] == names
    for name in names:
        assert (out / name).is_file()
        assert f"  {name}\n" in text


@pytest.mark.usefixtures("require_dot")
@pytest.mark.parametrize("name", ["xor_graph.svg", "digits_mlp_graph.svg"])
def test_graph_pictures_are_svg_with_the_layer_names(run, name):
    _, _, out = run
    svg = (out / name).read_text(encoding="utf-8")
    root = ET.fromstring(svg)                            # well-formed XML
    assert root.tag.endswith("svg")
    texts = [t.text or "" for t in root.iter() if t.tag.endswith("text")]
    for label in LAYER_NAMES:
        assert label in texts, label
    assert len([t for t in root.iter() if t.tag.endswith("g")]) > 10   # nodes and edges drawn


@pytest.mark.usefixtures("require_dot")
def test_xor_graph_shows_the_chapters_weights(run):
    _, _, out = run
    texts = [(t.text or "").strip() for t in ET.parse(out / "xor_graph.svg").getroot().iter()
             if t.tag.endswith("text")]
    assert "[0, -1]" in texts          # c, the hidden bias
    assert "[-2]]" in texts            # the last row of w
    assert "[2, 1]]" in texts          # the last row of h = max{0, XW + c}


def test_training_curves_png_has_the_expected_size_and_content(run, demo):
    import matplotlib.pyplot as plt

    _, _, out = run
    image = plt.imread(out / "training_curves.png")
    width, height = (round(s * demo.CURVES_DPI) for s in demo.CURVES_SIZE)
    assert image.shape == (height, width, 4)
    rgb = image[..., :3]
    assert rgb.std() > 0.05                               # not a blank canvas
    # the curves are drawn in matplotlib's first two colours (train blue, test orange)
    for color in [(0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e)]:
        near = np.abs(rgb - np.array(color) / 255).max(axis=-1) < 0.05
        assert near.sum() > 500, color


def test_gradcheck_png_opens(run):
    import matplotlib.pyplot as plt

    _, _, out = run
    image = plt.imread(out / "gradcheck_report.png")
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 600
    assert image[..., :3].std() > 0.05


def test_without_dot_the_demo_writes_the_dot_text_and_says_so(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))   # no `dot` to be found
    model = demo.digits_network()
    with nn.track_scopes():
        loss = nn.CrossEntropyLoss()(model(np.zeros((2, 64))), np.array([1, 2]))
    path, note = demo.write_graph(loss, model, str(tmp_path / "graph"))
    assert path == str(tmp_path / "graph.dot")
    assert "dot" in note and "not found" in note
    source = (tmp_path / "graph.dot").read_text(encoding="utf-8")
    assert source.startswith("digraph")
    for label in LAYER_NAMES:
        assert label in source
    assert not (tmp_path / "graph.svg").exists()


def test_demo_rejects_a_bad_epoch_count(demo, tmp_path, capsys):
    with pytest.raises(SystemExit):
        demo.main(["--out", str(tmp_path), "--epochs", "0"])
    assert "--epochs must be at least 1" in capsys.readouterr().err


def test_demo_runs_as_a_script_from_the_repository_root(tmp_path):
    """As `make demo` runs it: `python notebooks/demo.py`, here with one epoch."""
    env = dict(os.environ, PYTHONPATH="")
    proc = subprocess.run([sys.executable, "notebooks/demo.py", "--out", str(tmp_path / "o"),
                           "--epochs", "1"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Pictures written to {tmp_path / 'o'}{os.sep}:" in proc.stdout
    assert "digits MLP" in proc.stderr                      # the progress bar
    assert (tmp_path / "o" / "training_curves.png").stat().st_size > 10_000
