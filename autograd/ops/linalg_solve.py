"""Linear algebra by solves and products: inv, solve, det, slogdet, pinv, matrix_power and the
norms (``ag.linalg``)."""

__all__ = []
