"""The tipline's pages, under /en/ and /fr/: the report form, its receipt, and the page to add
information with a receipt code. Nothing here is cached; a form's answer is a page shown once
(the receipt code is never stored, so it cannot be shown again)."""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from sentinelle.responses.clients import client_address
from sentinelle.responses.views import private
from sentinelle.tipline import messages, receipts
from sentinelle.tipline.exceptions import TiplineError, TooManySubmissions, UnknownReceipt
from sentinelle.tipline.forms import AdditionForm, ReportForm, first_error
from sentinelle.tipline.services import add_information, submit_report
from sentinelle.tipline.validation import MAX_TEXT, ReportInput

MAX_BODY: Final = 128 * 1024  #: bytes a posted form may take (20 long URLs and 10,000 characters fit)


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    language = get_language() or "en"
    other = "fr" if language == "en" else "en"
    return {"other_language": other, "other_url": translate_url(request.path, other),
            "other_name": "Français" if other == "fr" else "English", "max_text": MAX_TEXT, **extra}


def _posted(request: HttpRequest) -> QueryDict:
    """The posted fields with NUL characters made U+FFFD (Django's fields refuse NUL outright;
    the tipline keeps what it was told, made safe)."""
    data = request.POST.copy()
    for key in list(data):
        data.setlist(key, [value.replace("\x00", "\ufffd") for value in data.getlist(key)])
    return data


def _too_big(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@private
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    categories = list(messages.CATEGORY.items())
    if request.method != "POST":
        return render(request, "tipline/report.html", _context(request, categories=categories, values={}))
    if _too_big(request):
        return _refused(request, "too-big", 413, categories, {})
    form = ReportForm(_posted(request))
    values = {k: str(v) for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    if not form.is_valid():
        return _refused(request, first_error(form), 400, categories, values)
    data = form.cleaned_data
    if data["website"]:  # a bot: it gets a receipt that opens nothing, and nothing is stored
        return _receipt(request, receipts.new_reference(), receipts.new_code())
    given = ReportInput(
        category=data["category"], danger_now=data["danger"] != "no", urls=data["urls"], what_happened=data["what"],
        when_happened=data["when"], contact_name=data["contact_name"], contact_email=data["contact_email"],
        contact_phone=data["contact_phone"], language=get_language() or "en",
        client_address=client_address(request.META),
    )
    try:
        submitted = submit_report(given)
    except TiplineError as exc:
        status = 429 if isinstance(exc, TooManySubmissions) else 400
        return _refused(request, exc.code, status, categories, values)
    return _receipt(request, submitted.report.reference, submitted.receipt)


def _refused(request: HttpRequest, code: str, status: int, categories: list[Any], values: dict[str, str]) -> HttpResponse:
    context = _context(request, categories=categories, values=values, error=messages.refused(code))
    return render(request, "tipline/report.html", context, status=status)


def _receipt(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    return render(request, "tipline/receipt.html", _context(request, reference=reference, code=code))


@private
@require_http_methods(["GET", "HEAD", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "tipline/add.html", _context(request, values={}))
    if _too_big(request):
        return _add_refused(request, "too-big", 413, {})
    form = AdditionForm(_posted(request))
    values = {k: str(v) for k, v in form.data.items() if k in ("receipt", "text")}
    if not form.is_valid():
        return _add_refused(request, first_error(form), 400, values)
    if form.cleaned_data["website"]:
        return render(request, "tipline/added.html", _context(request))
    try:
        add_information(form.cleaned_data["receipt"], form.cleaned_data["text"],
                        client_address=client_address(request.META))
    except TiplineError as exc:
        status = 429 if isinstance(exc, TooManySubmissions) else 404 if isinstance(exc, UnknownReceipt) else 400
        return _add_refused(request, exc.code, status, values)
    return render(request, "tipline/added.html", _context(request))


def _add_refused(request: HttpRequest, code: str, status: int, values: dict[str, str]) -> HttpResponse:
    return render(request, "tipline/add.html", _context(request, values=values, error=messages.refused(code)),
                  status=status)
