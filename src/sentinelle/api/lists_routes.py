"""List synchronisation for partners: the change log, paged, and a full export.

A partner keeps a copy of a list by exporting it once (which says the cursor it is current
to), then asking for the changes since that cursor, again and again. A list the partner may
not read answers 404 exactly as a list that does not exist: names are not disclosed.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from sentinelle.api.auth import caller_of, scoped
from sentinelle.api.errors import ApiProblem
from sentinelle.api.exports import export_lines
from sentinelle.api.schemas import answers
from sentinelle.banks.models import ListChange, StoredList
from sentinelle.banks.services import changes_since
from sentinelle.partners.callers import Caller
from sentinelle.partners.models import Partner
from sentinelle.partners.scopes import Scope

router = Router(tags=["lists"])

MAX_PAGE = 5000


class ChangeQuery(Schema):
    since: int = Field(0, ge=0, description="the cursor of the last change already applied (0: from the start)")
    limit: int = Field(1000, ge=1, le=MAX_PAGE, description="changes per page")


class Change(Schema):
    cursor: int
    op: str
    signal_type: str
    hash: str
    category: str
    entry_id: str
    at: datetime


class ChangePage(Schema):
    name: str = Field(description="the list's name")
    changes: list[Change]
    next_cursor: int = Field(description="pass as ``since`` for the next page")
    has_more: bool


def readable_list(caller: Caller, name: str) -> StoredList:
    """The stored list ``name`` if the caller's partner may read it (else 404, not 403)."""
    allowed = Partner.objects.filter(id=caller.partner_id, lists__name=name).exists()
    stored = StoredList.objects.filter(name=name).first() if allowed else None
    if stored is None:
        raise ApiProblem(404, "unknown-list", "No list of that name is shared with this partner.")
    return stored


@router.get("/{name}/changes", response=answers({200: ChangePage}, 404), auth=scoped(Scope.LISTS_READ))
def list_changes(request: HttpRequest, name: str, query: Query[ChangeQuery]) -> dict[str, object]:
    """The list's changes after the cursor ``since``, oldest first."""
    stored = readable_list(caller_of(request), name)
    page = list(changes_since(stored.name, query.since, limit=query.limit + 1))
    more = len(page) > query.limit
    page = page[: query.limit]
    return {
        "name": stored.name,
        "changes": [_change(c) for c in page],
        "next_cursor": page[-1].id if page else query.since,
        "has_more": more,
    }


@router.get(
    "/{name}/export", response=answers({200: None}, 404), auth=scoped(Scope.LISTS_READ),
    openapi_extra={"responses": {200: {"description": "JSON Lines: a header, one line per hash, a "
                                       "trailer with the SHA-256 of every line before it",
                                       "content": {"application/jsonl": {"schema": {"type": "string"}}}}}},
)
def list_export(request: HttpRequest, name: str) -> StreamingHttpResponse:
    """Every hash of the list now, streamed as JSON Lines, with the cursor it is current to."""
    stored = readable_list(caller_of(request), name)
    cursor = ListChange.objects.filter(list=stored).order_by("-id").values_list("id", flat=True).first() or 0
    response = StreamingHttpResponse(export_lines(stored, cursor), content_type="application/jsonl")
    response["X-Sentinelle-Cursor"] = str(cursor)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = f'attachment; filename="{stored.name}.jsonl"'
    return response


def _change(change: ListChange) -> dict[str, object]:
    return {
        "cursor": change.id, "op": change.op, "signal_type": change.signal_type, "hash": change.hash,
        "category": change.category, "entry_id": change.entry_id, "at": change.at,
    }
