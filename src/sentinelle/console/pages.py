"""What every console page shares: the language switch, no caching, no indexing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from sentinelle.accounts.pages import staff_page


def page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return staff_page(request, f"console/{template}", context, status)
