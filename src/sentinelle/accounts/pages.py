"""What every staff page shares (accounts, console, review, referrals, partners): the language
switch, no caching, no indexing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language


def staff_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """``template`` (its full name) rendered for a member of staff: never cached, never indexed."""
    language = get_language() or "en"
    other = "fr" if language.startswith("en") else "en"
    context = {**context, "user": request.user, "other_language": other,
               "other_path": translate_url(request.get_full_path(), other)}
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return staff_page(request, f"accounts/{template}", context, status)
