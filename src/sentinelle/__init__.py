"""sentinelle: find known abuse material by hash, get it removed, take reports."""

__version__ = "0.1.0"
