"""The repository stands on its own: a short README, a license, one version, the Pythons it
claims checked by noxfile.py, and no file that points to a path outside it."""
import os
import pathlib
import re

import autograd as ag

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", "build", "site", ".nox", "__pycache__", ".pytest_cache", ".hypothesis",
             "demo-output"}
# built from pieces, so this file does not name them itself
OUTSIDE = [".." + "/shared", "shared/" + "seed", "shared/" + "design", "/" + "work/",
           "DERIVATIONS" + ".md", "API" + ".md", "GRADIENT-" + "EDGES"]


def _files():
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".venv")
                         and not d.endswith(".egg-info"))
        for name in sorted(files):
            if not name.endswith((".so", ".png", ".pyc")):
                yield pathlib.Path(top) / name


def test_no_file_names_a_path_outside_the_repository():
    found = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for k, line in enumerate(text.splitlines(), 1):
            found += [f"{path.relative_to(ROOT)}:{k}: {word}" for word in OUTSIDE if word in line]
    assert not found, "\n".join(found)
    assert sum(1 for _ in _files()) > 100          # the walk did see the repository


def test_readme_is_a_front_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, len(lines)
    links = re.findall(r"\]\(((?:docs|notebooks)/[^)#]+)", "\n".join(lines))
    assert len(links) >= 10
    for link in links:
        assert (ROOT / link).is_file(), link


def test_mit_license_and_its_metadata():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "MIT"' in project and 'license-files = ["LICENSE"]' in project


def test_the_version_is_set_in_one_place():
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', project, re.M)
    assert not re.search(r"^version = \"", project, re.M)
    assert 'version = {attr = "autograd.__version__"}' in project
    assert re.fullmatch(r"\d+\.\d+\.\d+", ag.__version__)
    init = (ROOT / "autograd" / "__init__.py").read_text(encoding="utf-8")
    assert init.count("__version__ = ") == 1


def test_the_pythons_claimed_are_the_pythons_checked():
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    claimed = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', project)
    floor = re.search(r'requires-python = ">=(3\.\d+)"', project).group(1)
    nox_file = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    checked = re.search(r"^VERSIONS = \[(.*)\]$", nox_file, re.M).group(1)
    assert claimed == re.findall(r'"(3\.\d+)"', checked) == ["3.10", "3.11", "3.12", "3.13"]
    assert claimed[0] == floor
    docs = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    for version in claimed:
        assert re.search(rf"\b{re.escape(version)}\.\d+\b", docs), version
