"""Schemas shared by every operation: the error shape, and the answers each may give."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ProblemDetail(Schema):
    code: str
    message: str
    details: dict[str, Any]


class Problem(Schema):
    """Every failure: ``{"error": {"code": "...", "message": "...", "details": {...}}}``."""

    error: ProblemDetail


#: Failures any authenticated operation may answer with.
COMMON_FAILURES = (400, 401, 403, 413, 422, 429, 500)


def answers(ok: dict[int, Any], *failures: int) -> dict[int, Any]:
    """A ``response=`` mapping: the success schemas plus :class:`Problem` for each failure."""
    mapping: dict[int, Any] = dict(ok)
    for status in (*COMMON_FAILURES, *failures):
        mapping.setdefault(status, Problem)
    return mapping
