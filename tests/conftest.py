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
