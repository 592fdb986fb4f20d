"""``ag.special``: special functions with scipy.special's names and semantics, differentiable.

Their values come from scipy (the ``special`` extra: ``pip install -e '.[special]'``), imported
on first use.
"""
from .ops import special as _special
from .ops.special import *  # noqa: F401,F403

__all__ = list(_special.__all__)
