"""What a test needs beyond numpy and pytest: an optional package or Graphviz's `dot` program.

Where it is missing, the test is skipped with a reason that says how to install it, and the
run says once, at its end, what was not checked (see conftest.py). Under
``AUTOGRAD_REQUIRE_EXTRAS=1`` (set by CI's ``.ci/run``) a missing one fails the test instead,
so that CI never loses a test to a skip.
"""
import importlib
import os
import shutil

import pytest

STRICT = os.environ.get("AUTOGRAD_REQUIRE_EXTRAS") == "1"

DOT_INSTALL = ("install Graphviz: `apt-get install graphviz`, `brew install graphviz` or "
               "`conda install -c conda-forge graphviz`")

# (what, why) for every skip of this run, in order, for the end-of-run summary.
SKIPPED = []


def _missing(what, how):
    reason = f"{what} is not installed ({how})"
    if STRICT:
        pytest.fail(f"{reason}; AUTOGRAD_REQUIRE_EXTRAS=1 makes that a failure", pytrace=False)
    if (what, how) not in SKIPPED:
        SKIPPED.append((what, how))
    pytest.skip(reason, allow_module_level=True)


def have_dot():
    return shutil.which("dot") is not None


def need_dot():
    """Skip (or fail, under AUTOGRAD_REQUIRE_EXTRAS=1) unless Graphviz's `dot` is on PATH."""
    if not have_dot():
        _missing("Graphviz's `dot` program", DOT_INSTALL)


def need_module(name, extra):
    """Import and return module ``name``; skip (or fail) if it is missing, naming the extra
    that installs it (``pip install -e '.[extra]'``)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        _missing(f"the Python package `{name.split('.')[0]}`",
                 f"`pip install -e '.[{extra}]'`, or `make test`, which installs `.[dev]`")


def need_modules(names, extra):
    """``need_module`` for each of ``names``; returns the modules in order."""
    return [need_module(name, extra) for name in names]
