"""The suite on every Python the package claims (3.10 to 3.13): ``make test-pythons``.

Each session finds its interpreter (``python3.X`` on PATH, or pyenv's versions folder), skips
with a line saying so when there is none, else installs ``.[dev]`` into ``.venv-3.X`` and runs
the suite twice as ``make test`` does: with the compiled loops, then on the pure-Python engine.
"""
import glob
import os
import shutil
import subprocess

import nox

VERSIONS = ["3.10", "3.11", "3.12", "3.13"]
PURE_IGNORES = ["--ignore=tests/test_notebooks.py", "--ignore=tests/test_demo.py",
                "--ignore=tests/test_docs_site.py"]

nox.options.sessions = ["tests"]
nox.options.error_on_missing_interpreters = False


def _interpreter(version):
    """A python of that version that runs (pyenv's shims exist for versions not selected)."""
    candidates = [shutil.which(f"python{version}")]
    home = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates += sorted(glob.glob(os.path.join(home, "versions", f"{version}.*", "bin",
                                                f"python{version}")))
    for path in filter(None, candidates):
        try:
            got = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                 capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if got == version:
            return path
    return None


@nox.session(python=False)
@nox.parametrize("version", VERSIONS)
def tests(session, version):
    interpreter = _interpreter(version)
    if interpreter is None:
        session.skip(f"Python {version} not found (neither python{version} on PATH nor in "
                     f"pyenv's versions): not checked")
    venv = f".venv-{version}"
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        session.run(interpreter, "-m", "venv", venv, external=True)
    session.run(py, "-m", "pip", "install", "--quiet", "--upgrade", "pip", external=True)
    session.run(py, "-m", "pip", "install", "--quiet", "-e", ".[dev]", external=True)
    args = session.posargs or ["-q"]
    session.run(py, "-m", "pytest", *args, external=True)
    session.run(py, "-m", "pytest", *args, *PURE_IGNORES, external=True,
                env={"AUTOGRAD_PURE_PYTHON": "1"})
