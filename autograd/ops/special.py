"""Special functions, scipy.special's names and values (``ag.special``)."""

__all__ = []
