"""The ``sentinelle`` command."""
