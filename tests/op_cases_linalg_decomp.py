"""The op sweep's cases for autograd/ops/linalg_decomp.py (op_cases.py adds them to CASES)."""
from op_cases import Case  # noqa: F401

CASES = []
