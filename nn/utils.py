"""``nn.utils``: training utilities (gradient clipping)."""

__all__ = []
