"""Rendering a review page like every console page (language switch, no caching, no
indexing), and review times as people read them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from sentinelle.accounts.pages import staff_page


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return staff_page(request, f"classification/{template}", context, status)


def minutes(seconds: int) -> str:
    """``12 min 05 s`` style, the same in both languages."""
    return f"{seconds // 60} min {seconds % 60:02d} s"
