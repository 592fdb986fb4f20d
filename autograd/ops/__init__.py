"""The built-in operations, one ``Function`` subclass each, grouped by family."""
