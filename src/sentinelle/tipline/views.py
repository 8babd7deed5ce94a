"""The tipline's pages, under /en/ and /fr/: the report form, its receipt, and the page to add
information with a receipt code. Nothing here is cached.

A report is Post/Redirect/Get: a stored report (or a bot's fake one) puts its reference and
receipt code in the session and answers 303 to ``receipt/``, which takes them out of the
session as it shows them, once: reloading the receipt shows no code, and re-sending the form
(its one-time token, :mod:`~sentinelle.tipline.submissions`) stores nothing more."""

from __future__ import annotations

from typing import Any, Final

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from sentinelle.forwarded import client_address
from sentinelle.responses.views import private
from sentinelle.tipline import messages, receipts, submissions
from sentinelle.tipline.exceptions import (
    AlreadyReceived,
    TiplineError,
    TooManySubmissions,
    UnknownReceipt,
)
from sentinelle.tipline.forms import AdditionForm, ReportForm, first_error
from sentinelle.tipline.services import add_information, submit_report
from sentinelle.tipline.validation import MAX_TEXT, ReportInput

MAX_BODY: Final = 128 * 1024  #: bytes a posted form may take (20 long URLs and 10,000 characters fit)
RECEIPT_KEY: Final = "tipline_receipt"  #: the session's {reference, code} until the receipt page shows them


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
    if request.method != "POST":
        return _form(request, {})
    if _too_big(request):
        return _form(request, {}, "too-big", 413)
    form = ReportForm(_posted(request))
    values = {k: str(v) for k, v in form.data.items() if k not in ("csrfmiddlewaretoken", "submission")}
    if not form.is_valid():
        return _form(request, values, first_error(form), 400)
    data = form.cleaned_data
    try:
        submission = submissions.token_hash(data["submission"])
    except TiplineError as exc:
        return _form(request, values, exc.code, 400)
    if data["website"]:  # a bot: it gets a receipt that opens nothing, and nothing is stored
        return _to_receipt(request, receipts.new_reference(), receipts.new_code())
    given = ReportInput(
        category=data["category"], danger_now=data["danger"] != "no", urls=data["urls"], what_happened=data["what"],
        when_happened=data["when"], contact_name=data["contact_name"], contact_email=data["contact_email"],
        contact_phone=data["contact_phone"], language=get_language() or "en",
        client_address=client_address(request.META),
    )
    try:
        submitted = submit_report(given, submission=submission)
    except AlreadyReceived as exc:
        return render(request, "tipline/already.html", _context(request, reference=exc.reference))
    except TiplineError as exc:
        return _form(request, values, exc.code, 429 if isinstance(exc, TooManySubmissions) else 400)
    return _to_receipt(request, submitted.report.reference, submitted.receipt)


def _form(request: HttpRequest, values: dict[str, str], code: str = "", status: int = 200) -> HttpResponse:
    """The report form, with a fresh one-time token (and what was typed, when it was refused)."""
    context = _context(request, categories=list(messages.CATEGORY.items()), values=values,
                       submission=submissions.new_token(), error=messages.refused(code) if code else None)
    return render(request, "tipline/report.html", context, status=status)


def _to_receipt(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    request.session[RECEIPT_KEY] = {"reference": reference, "code": code}
    return HttpResponseRedirect(reverse("tipline:receipt"), status=303)


@private
@require_http_methods(["GET", "HEAD"])
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt, once: taken out of the session store as it is shown (HEAD leaves it)."""
    if request.method == "HEAD":
        shown = request.session.get(RECEIPT_KEY)
    else:
        shown = request.session.pop(RECEIPT_KEY, None)
        if shown is not None:
            _forget(request)
    if not isinstance(shown, dict):
        return render(request, "tipline/receipt_shown.html", _context(request))
    return render(request, "tipline/receipt.html",
                  _context(request, reference=shown.get("reference", ""), code=shown.get("code", "")))


def _forget(request: HttpRequest) -> None:
    """Write the session without the receipt now; an emptied one is deleted with its cookie."""
    if not request.session.keys():  # nothing else in it (a staff login keeps its session)
        request.session.flush()
    else:
        request.session.save()


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
