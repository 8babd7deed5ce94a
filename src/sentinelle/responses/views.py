"""The page a notice's recipient reaches from the notice's signed link: no login, the link is
the credential. It lists the notice's items (addresses and hashes, never an image) with a form
for each and one for the whole notice, in the recipient's language.

The page is never cached, never indexed and never named in a Referer sent elsewhere (nothing
on it leads elsewhere); a form is sent once (POST, then a redirect to the confirmation), and
sending it again records nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Final
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from sentinelle.config import ConfigurationError
from sentinelle.forwarded import client_address
from sentinelle.notices.configuration import sender
from sentinelle.notices.links import ExpiredResponseLink, InvalidResponseLink, verify_token
from sentinelle.notices.models import ItemStatus, Kind, Notice
from sentinelle.responses import messages
from sentinelle.responses.exceptions import ResponsesError, TooManyResponses
from sentinelle.responses.forms import ResponseForm
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import record_response, responses_of
from sentinelle.responses.validation import MAX_TEXT, ResponseInput

MAX_BODY: Final = 32 * 1024  #: bytes a posted answer may take (2,000 characters fit easily)
HISTORY: Final = 50


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages whose address is a secret: never stored by a cache, never indexed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


@private
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    try:
        reference = verify_token(token)
    except ExpiredResponseLink:
        return _problem(request, 403, gettext_noop("This link has expired"), gettext_noop(
            "Links in notices work for a limited time. Reply to the notice by e-mail, quoting its "
            "reference, and we will answer you."))
    except InvalidResponseLink:
        return _invalid(request)
    notice = Notice.objects.filter(reference=reference, kind=Kind.NOTICE).first()
    if notice is None:
        return _invalid(request)
    language = _language(request, notice)
    with translation.override(language):
        if request.method == "POST":
            return _post(request, notice, language)
        return _page(request, notice, language)


def _post(request: HttpRequest, notice: Notice, language: str) -> HttpResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return _page(request, notice, language, error=messages.refused("text-long"), status=413)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        code = "kind" if "kind" in form.errors else "text-long" if "text" in form.errors else "invalid"
        return _page(request, notice, language, error=messages.refused(code), form=form, status=400)
    data = form.cleaned_data
    given = ResponseInput(
        kind=data["kind"], submission_key=data["key"], text=data["text"], item=data["item"] or None,
        language=language, client_address=client_address(request.META),
    )
    try:
        record_response(str(notice.reference), given)
    except ResponsesError as exc:
        status = 429 if isinstance(exc, TooManyResponses) else 400
        return _page(request, notice, language, error=messages.refused(exc.code), form=form, status=status)
    query = urlencode({"received": data["key"], "lang": language})
    return HttpResponseRedirect(f"{request.path}?{query}", status=303)


def _page(request: HttpRequest, notice: Notice, language: str, *, error: object = None,
          form: ResponseForm | None = None, status: int = 200) -> HttpResponse:
    failed = form.data.get("item", "") if form is not None else None
    kept = form.data.get("text", "") if form is not None else ""
    items = []
    for item in notice.items.order_by("id"):
        items.append({
            "item": item, "status": messages.STATUS.get(item.status, item.status),
            "category": messages.CATEGORY.get(item.category, item.category),
            "answerable": item.status != ItemStatus.RETRACTED, "key": uuid.uuid4().hex,
            "text": kept if failed == str(item.report_id) else "",
        })
    received = None
    if request.GET.get("received"):
        received = NoticeResponse.objects.filter(notice=notice, submission_key=request.GET["received"][:64]).first()
    context = {
        "notice": notice, "items": items, "organisation": _organisation(), "language": language,
        "other_language": "fr" if language == "en" else "en", "error": error, "max_text": MAX_TEXT,
        "whole": {"key": uuid.uuid4().hex, "text": kept if failed == "" else ""},
        "answerable": any(entry["answerable"] for entry in items),
        "received": received, "next_step": messages.NEXT_STEP.get(received.kind) if received else None,
        "history": [(r, messages.KIND.get(r.kind, r.kind)) for r in responses_of(notice)[:HISTORY]],
    }
    return render(request, "responses/respond.html", context, status=status)


def _language(request: HttpRequest, notice: Notice) -> str:
    asked = request.GET.get("lang", "")
    if asked in ("en", "fr"):
        return asked
    return notice.recipient_language if notice.recipient_language in ("en", "fr") else "en"


def _organisation() -> str:
    try:
        return sender().org
    except ConfigurationError:
        return "sentinelle"


def _invalid(request: HttpRequest) -> HttpResponse:
    return _problem(request, 404, gettext_noop("This link is not valid"), gettext_noop(
        "The address may be incomplete or altered. Open the link from the notice again, or reply "
        "to the notice by e-mail, quoting its reference."))


def _problem(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    """A page in both languages (a link we cannot read has no recipient whose language we know)."""
    versions = []
    for language in ("en", "fr"):
        with translation.override(language):
            versions.append({"language": language, "title": _(title), "text": _(text)})
    return render(request, "web/error.html", {"versions": versions}, status=status)
