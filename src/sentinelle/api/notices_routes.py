"""A provider's answer to a notice, by machine: removed, dispute or question.

The same rules as the response page (sentinelle.responses): the same validation, the same
effects (a recheck for ``removed``, disputed items for ``dispute``), the same audit events.
A partner linked to an attribution provider may answer the notices addressed to that
provider only; any other notice answers 404, as an unknown reference does.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status, params
from pydantic import Field

from sentinelle.api.auth import caller_of, scoped
from sentinelle.api.errors import ApiProblem
from sentinelle.api.schemas import answers
from sentinelle.attribution.models import Provider
from sentinelle.forwarded import client_address
from sentinelle.notices.models import Notice
from sentinelle.partners.callers import Caller
from sentinelle.partners.scopes import Scope
from sentinelle.responses.exceptions import InvalidResponse, ResponseNotAllowed, TooManyResponses
from sentinelle.responses.models import ResponseChannel
from sentinelle.responses.services import record_response
from sentinelle.responses.validation import ResponseInput

router = Router(tags=["notices"])


class ResponseIn(Schema):
    kind: Literal["removed", "dispute", "question"]
    text: str = Field("", max_length=2000, description="the reason (dispute) or the question; optional for removed")
    item: str | None = Field(None, description="one item's report id (UUID); omitted: the whole notice")
    submission_key: str | None = Field(
        None, description="8-64 of A-Z a-z 0-9 _ -; the same key again records the answer once "
        "(or send an Idempotency-Key header)")
    language: Literal["en", "fr", ""] = ""


class ResponseOut(Schema):
    response: int
    kind: str
    created: bool = Field(description="false when this submission key was already recorded")
    needs_analyst: bool
    effects: dict[str, Any]


def addressed_notice(caller: Caller, reference: str) -> Notice:
    """The notice ``reference`` if it was addressed to the caller's provider (else 404)."""
    if caller.provider_id is None:
        raise ApiProblem(403, "no-provider", "This partner is not linked to a provider: it has no notices.")
    slug = Provider.objects.filter(id=caller.provider_id).values_list("slug", flat=True).first()
    notice = Notice.objects.filter(reference=reference).first()
    if notice is None or not slug or notice.recipient_provider.lower() != slug.lower():
        raise ApiProblem(404, "unknown-notice", "No notice of that reference was sent to this partner.")
    return notice


@router.post(
    "/{reference}/responses", response=answers({200: ResponseOut, 201: ResponseOut}, 404, 409),
    auth=scoped(Scope.NOTICES_RESPOND),
)
def respond_to_notice(
    request: HttpRequest, reference: str, answer: ResponseIn,
    idempotency_key: Annotated[str | None, params.Header(None, alias="Idempotency-Key")] = None,
) -> Status[dict[str, Any]]:
    """Say the notice's material was removed, dispute it, or ask a question."""
    notice = addressed_notice(caller_of(request), reference)
    key = answer.submission_key or idempotency_key or uuid.uuid4().hex  # none given: not idempotent
    given = ResponseInput(
        kind=answer.kind, submission_key=key, text=answer.text, item=answer.item,
        channel=ResponseChannel.API, language=answer.language, client_address=client_address(request.META),
    )
    try:
        recorded = record_response(notice.reference, given)
    except InvalidResponse as exc:
        raise ApiProblem(422, f"invalid-{exc.code}", str(exc)) from None
    except ResponseNotAllowed as exc:
        raise ApiProblem(409, exc.code, str(exc)) from None
    except TooManyResponses as exc:
        raise ApiProblem(429, exc.code, str(exc), {"retry_after": 3600}) from None
    response = recorded.response
    return Status(201 if recorded.created else 200, {
        "response": response.pk, "kind": response.kind, "created": recorded.created,
        "needs_analyst": response.needs_analyst, "effects": response.effects,
    })
