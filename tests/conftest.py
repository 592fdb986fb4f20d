import os
import sys

# The tests import the local packages (and op_cases beside them) even without installation.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# The suite is the same on every run (CI included): hypothesis draws its examples from a fixed
# seed. `make fuzz` explores afresh (tests/test_fuzz.py sets its own settings for that).
from hypothesis import settings  # noqa: E402

settings.register_profile("suite", derandomize=True)
settings.load_profile("suite")

import pytest  # noqa: E402

import extras  # noqa: E402


@pytest.fixture
def require_dot():
    """For a test that renders a picture: skips without Graphviz's `dot` (fails in CI)."""
    extras.need_dot()


def pytest_terminal_summary(terminalreporter):
    """Once, at the end: what this run could not check for want of an optional part."""
    if not extras.SKIPPED:
        return
    terminalreporter.section("not checked on this machine")
    for what, how in extras.SKIPPED:
        if "dot" in what:
            terminalreporter.write_line(f"Pictures were not rendered: {what} is not installed; "
                                        f"{how}.")
        else:
            terminalreporter.write_line(f"{what} is not installed: {how}.")
    terminalreporter.write_line("The tests that need them were skipped (see SKIPPED above); "
                                "CI sets AUTOGRAD_REQUIRE_EXTRAS=1, under which they fail.")
