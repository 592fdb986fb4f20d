"""``ag.linalg``: numpy's ``np.linalg``, differentiable, batched over leading axes as numpy 2 is.

``np.linalg.<name>(t)`` on a Tensor runs the function of the same name here (the binding table,
``autograd/binding.py``).
"""
from .ops import linalg_decomp as _decomp
from .ops import linalg_norms as _norms
from .ops import linalg_solve as _solve
from .ops.layout import matrix_transpose
from .ops.linalg_decomp import *  # noqa: F401,F403
from .ops.linalg_norms import *  # noqa: F401,F403
from .ops.linalg_solve import *  # noqa: F401,F403

__all__ = sorted([*_solve.__all__, *_norms.__all__, *_decomp.__all__, "matrix_transpose"])
