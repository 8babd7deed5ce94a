"""Rendering a review page like every console page: language switch, no caching, no indexing.

(The console's own helper is not imported: classification sits below the console's layer.)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    language = get_language() or "en"
    other = "fr" if language.startswith("en") else "en"
    context = {**context, "user": request.user, "other_language": other,
               "other_path": translate_url(request.get_full_path(), other)}
    response = render(request, f"classification/{template}", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def minutes(seconds: int) -> str:
    """``12 min 05 s`` style, the same in both languages."""
    return f"{seconds // 60} min {seconds % 60:02d} s"
