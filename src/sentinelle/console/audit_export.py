"""The audit log's filtered events as a download: JSON Lines (every field, as stored) or CSV
(before/after/details as JSON text), oldest first, streamed so a long log is not held in memory.

Reading the log changes nothing, so it writes no audit event; the page needs ``audit:view``.
A CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` so a
spreadsheet does not run it as a formula (actors, targets and details can come from outside).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_http_methods

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.models import AuditEvent
from sentinelle.console.audit_forms import AuditFilterForm

FIELDS = ("seq", "created", "actor_kind", "actor", "action", "target_type", "target_id",
          "before", "after", "details", "prev_hash", "hash")
TYPES = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def _row(event: AuditEvent) -> dict[str, object]:
    row = {name: getattr(event, name) for name in FIELDS}
    row["created"] = event.created.isoformat()
    return row


def _jsonl(events: Iterator[AuditEvent]) -> Iterator[str]:
    for event in events:
        yield json.dumps(_row(event), ensure_ascii=False, sort_keys=True) + "\n"


def _cell(value: object) -> str:
    text = value if isinstance(value, str) else ("" if value is None else json.dumps(value, ensure_ascii=False))
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _csv(events: Iterator[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for event in events:
        row = _row(event)
        writer.writerow([row["seq"], *(_cell(row[name]) for name in FIELDS[1:])])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@requires(Permission.AUDIT_VIEW)
@require_http_methods(["GET"])
def export_view(request: HttpRequest, kind: str) -> StreamingHttpResponse:
    if kind not in TYPES:
        raise Http404("no such format")
    events = AuditFilterForm(request.GET).events().order_by("seq").iterator(chunk_size=2000)
    body = _jsonl(events) if kind == "jsonl" else _csv(events)
    response = StreamingHttpResponse(body, content_type=TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="audit.{kind}"'
    return response
