"""The audit log: append-only, hash-chained, anchored outside the database."""
