"""Matrix decompositions: cholesky, eigh, eigvalsh, svd, svdvals (``ag.linalg``)."""

__all__ = []
