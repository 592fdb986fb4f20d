"""The documentation site (mkdocs.yml, docs/): it builds under --strict, its API reference has
every public name, the notebooks are rendered with their saved outputs, and a broken link
fails the build.

Needs the `docs` extra (mkdocs, mkdocs-material, mkdocstrings, mkdocs-jupyter); skipped
without it, and in the pure-Python run (the Makefile's PURE_PYTEST_ARGS): the site does not
depend on the engine.
"""
import html
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import types

import pytest
from extras import need_modules

need_modules(["mkdocs", "mkdocstrings", "material", "mkdocs_jupyter"], "docs")

import autograd as ag  # noqa: E402
import nn  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# the namespaces a user imports, each with its public names (nn's submodules as well)
NAMESPACES = [ag, ag.functional, ag.viz, ag.linalg, ag.special, nn, nn.functional, nn.init,
              nn.optim, nn.optim.lr_scheduler, nn.data, nn.utils]


def build(config, site_dir):
    """`mkdocs build --strict` of ``config`` into ``site_dir``: (exit status, its output)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("site")
    rc, out = build(ROOT / "mkdocs.yml", site_dir)
    assert rc == 0, f"mkdocs build --strict failed:\n{out}"
    return site_dir


def public_names(mod):
    """The public names of ``mod``: its ``__all__``, or else the names without a leading
    underscore that are neither modules nor imported from elsewhere (an object defined in
    ``mod`` or below it, or one of ``ag``'s public functions re-exported, counts)."""
    if hasattr(mod, "__all__"):
        return list(mod.__all__)
    names = []
    for name in dir(mod):
        obj = getattr(mod, name)
        if name.startswith("_") or isinstance(obj, types.ModuleType):
            continue
        home = getattr(obj, "__module__", None)
        if (home is None or home == mod.__name__ or home.startswith(mod.__name__ + ".")
                or (mod is not ag and getattr(ag, name, None) is obj)):
            names.append(name)
    return names


def test_public_names_found():
    # the rule above must not find nothing, nor let imported helpers through
    assert {"Tensor", "tensor", "grad", "relu", "zeros"} <= set(public_names(ag))
    assert "relu" in public_names(nn.functional) and "np" not in public_names(nn.functional)
    assert "Module" not in public_names(nn.optim)          # imported from nn.module
    assert "as_generator" not in public_names(nn.data)     # imported from nn.init


def anchor_ids(site):
    ids = set()
    for page in (site / "api").rglob("*.html"):
        ids.update(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
    return ids


@pytest.mark.parametrize("mod", NAMESPACES, ids=lambda m: m.__name__)
def test_api_reference_has_every_public_name(site, mod):
    ids = anchor_ids(site)
    missing = [f"{mod.__name__}.{name}" for name in public_names(mod)
               if f"{mod.__name__}.{name}" not in ids]
    assert not missing, f"not in the API reference (docs/api/): {missing}"


def test_the_page_of_numpys_vocabulary_is_generated_with_every_name(site):
    """docs/vocabulary.py writes numpy.md from the binding table at build time: a row, linked
    to its API entry, for every name of numpy's vocabulary the library implements."""
    from autograd import binding
    page = (site / "numpy" / "index.html").read_text(encoding="utf-8")
    names = {name for module in binding.VOCABULARY for name in module.__all__}
    for name in names | {"sum", "einsum", "where", "concatenate"}:
        assert f'href="../api/autograd/#autograd.{name}"' in page, name


def test_sphinx_roles_are_rewritten(site):
    # docs/sphinx_roles.py turns :func:`x` in a docstring into `x`
    for page in (site / "api").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r":(func|meth|class|attr|mod|exc):", text), page


def first_output_line(path):
    """The first non-blank line of the notebook's first saved stream (printed) output."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = "".join(out["text"])
                for line in text.splitlines():
                    if line.strip():
                        return line.strip()
    pytest.fail(f"{path.name} has no saved printed output (run notebooks/refresh.py)")


def test_there_are_five_notebooks():
    assert len(NOTEBOOKS) == 5, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_rendered_with_its_outputs(site, path):
    page = site / "notebooks" / path.stem / "index.html"
    assert page.is_file(), f"no page for {path.name}"
    text = html.unescape(page.read_text(encoding="utf-8"))
    line = first_output_line(path)
    assert line in text, f"{page} lacks the saved output {line!r}"
    nb = json.loads(path.read_text(encoding="utf-8"))
    if any("image/png" in out.get("data", {}) for c in nb["cells"]
           for out in c.get("outputs", [])):
        assert "data:image/png;base64," in text, f"{page} lacks the saved figures"


@pytest.mark.parametrize("link", ["no-such-page.md", "autograd.md#no-such-anchor"])
def test_broken_link_fails_the_strict_build(site, tmp_path, link):
    # a copy of what the build reads, with one broken link added to the API overview
    copy = tmp_path / "repo"
    skip = shutil.ignore_patterns("__pycache__", "*.so", "csrc", "*.pyc")
    for name in ("docs", "notebooks", "autograd", "nn"):
        shutil.copytree(ROOT / name, copy / name, ignore=skip)
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    page = copy / "docs" / "api" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\nSee [this]({link}).\n",
                    encoding="utf-8")
    rc, out = build(copy / "mkdocs.yml", tmp_path / "site")
    assert rc != 0, f"the strict build passed with a broken link {link!r}:\n{out}"
    target = link.split("#")[-1]
    assert target in out and "api/index.md" in out, out
