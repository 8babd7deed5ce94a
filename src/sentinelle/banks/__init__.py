"""Stored hash lists ("banks"): lists, known hashes, and the change log consumers follow."""
