"""Helpers of the management-page tests: the audit events a change wrote, and what a page says."""

from __future__ import annotations

from typing import Any

from django.test import Client

from sentinelle.audit.models import AuditEvent

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MD5 = "0123456789abcdef0123456789abcdef"
MD5_B = "fedcba9876543210fedcba9876543210"


def actions_after(seq: int) -> list[str]:
    """The actions of the events written after event ``seq``, in order."""
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq").values_list("action", flat=True))


def last_seq() -> int:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.seq if event else 0


def text(client: Client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.content.decode()


def refused(answer: Any) -> str:
    """A form refused with a clear message: 400 and the problem in an alert."""
    body = answer.content.decode()
    assert answer.status_code == 400, answer.status_code
    assert 'role="alert"' in body
    return str(body)
