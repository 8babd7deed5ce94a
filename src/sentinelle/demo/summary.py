"""The demo's summary: the figures of ``sentinelle stats``, and who did what.

The figures (pages, images, matches, notices, removals, median and 90th percentile of the
time to removal, per provider) are :func:`sentinelle.notices.stats.compute`'s, the same as
``sentinelle stats --json`` gives for the demo's database: nothing is counted twice here.
The demo adds what only it knows: each recipient's part in the scenario (its policy), the
mail the sink received, the providers' answers on the response page, and a few counts the
stats do not break down by recipient (disputed items, reminders).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count

from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.notices.stats import compute
from sentinelle.sandbox import PolicyAction, Sandbox, TakedownPolicy
from sentinelle.sandbox.mailsink import MailSink
from sentinelle.sandbox.responders import Responders


def behaviour(policy: TakedownPolicy) -> str:
    """A provider's policy, as the summary says it."""
    if policy.action is PolicyAction.DELAYED:
        return f"removes {policy.delay / 3600:g} h after reading"
    return {PolicyAction.IMMEDIATE: "removes at once, says so", PolicyAction.NEVER: "never removes",
            PolicyAction.DISPUTE: "disputes"}[policy.action]


def roles(sandbox: Sandbox) -> dict[str, str]:
    """What each party does in the scenario, by slug."""
    world = sandbox.world
    found = {p.slug: behaviour(p.policy) for p in world.providers}
    for fronted in sandbox.cdn.fronted:
        origin = world.provider(fronted.site.provider)
        found[sandbox.cdn.slug] = f"CDN: passes on to {origin.name}"
    return found


def recipients(responders: Responders, sandbox: Sandbox, sink: MailSink) -> list[dict[str, Any]]:
    """One row per recipient of a notice: the stats' row for it, with its part in the scenario."""
    figures = {row["provider"]: row for row in compute()["providers"]}
    mail = Counter(address.lower() for message in sink.messages for address in message.rcpt_tos)
    disputed = dict(NoticeItem.objects.filter(notice__kind=Kind.NOTICE, status=ItemStatus.DISPUTED)
                    .values_list("notice__recipient_email").annotate(n=Count("id")).values_list("notice__recipient_email", "n"))
    reminders = dict(Notice.objects.filter(kind=Kind.REMINDER, status=Status.SENT)
                     .values_list("recipient_email").annotate(n=Count("id")).values_list("recipient_email", "n"))
    parts = roles(sandbox)
    rows = []
    seen = (Notice.objects.filter(kind=Kind.NOTICE).values_list("recipient_provider", "recipient_name", "recipient_email")
            .distinct().order_by("recipient_name"))
    for provider, name, email in seen:
        key = provider or name
        party = responders.party_of(email)
        answers = [r for r in responders.reactions if r.party.address == party.address and r.answer]
        rows.append({
            **figures.get(key, {"provider": key}), "name": name, "email": email, "party": party.kind,
            "slug": party.slug, "policy": parts.get(party.slug, ""), "mail": mail.get(email.lower(), 0),
            "disputed": disputed.get(email, 0), "reminders": reminders.get(email, 0),
            "answers": sum(r.answered for r in answers),
            "unanswered": sorted({r.answer_detail for r in answers if not r.answered}),
        })
    return rows


def escalations() -> list[dict[str, Any]]:
    """Escalations sent, by recipient."""
    rows = (Notice.objects.filter(kind=Kind.ESCALATION, status=Status.SENT)
            .values_list("recipient_role", "recipient_name", "recipient_email").annotate(n=Count("id")).order_by("recipient_name"))
    return [{"role": role, "name": name, "email": email, "sent": n} for role, name, email, n in rows]
