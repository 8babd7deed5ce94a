"""``{% console_sections as sections %}``: the console sections this user may open.

The current section is the one whose address is the longest prefix of the page's path.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from sentinelle.accounts.access import user_permissions
from sentinelle.console.sections import SECTIONS

register = template.Library()


@register.simple_tag(takes_context=True)
def console_sections(context: Any) -> list[dict[str, Any]]:
    request: HttpRequest = context.request
    granted = user_permissions(request.user)
    shown: list[dict[str, Any]] = []
    for section in SECTIONS:
        if section.permission not in granted:
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:  # a package whose pages are not mounted in this deployment
            continue
        shown.append({"url": url, "label": section.label, "current": False})
    matching = [s for s in shown if request.path.startswith(s["url"])]
    if matching:
        max(matching, key=lambda s: len(s["url"]))["current"] = True
    return shown
