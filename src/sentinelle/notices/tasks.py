"""The notices' background tasks (Django's Tasks API; run by ``sentinelle worker``)."""

from __future__ import annotations

import os
import socket

from django_tasks import TaskContext, task

from sentinelle.audit.services import Actor
from sentinelle.notices import from_matches, rechecks, wiring
from sentinelle.notices.outbox import deliver
from sentinelle.notices.sweep import sweep


def worker_name(context: TaskContext) -> str:
    """The worker running the task: its name goes into claims and audit events."""
    ids = context.task_result.worker_ids
    return str(ids[-1]) if ids else f"worker-{socket.gethostname()}-{os.getpid()}"


@task(takes_context=True)
def deliver_notice(context: TaskContext, notice_id: int) -> str:
    """Send one notice (if it is still due); its status afterwards."""
    return deliver(notice_id, worker=worker_name(context))


@task(takes_context=True)
def sweep_retractions(context: TaskContext) -> int:
    """Retract the items that list changes and do-not-act entries call for."""
    return sweep(actor=Actor.system(worker_name(context)))


@task(takes_context=True)
def recheck_item(context: TaskContext, item_id: int) -> str:
    """Fetch a noticed URL again: removed, still there (reminder, escalation) or inconclusive."""
    return rechecks.recheck(item_id, actor=Actor.system(worker_name(context)))


@task(takes_context=True)
def notice_matches(context: TaskContext) -> dict[str, object]:
    """Turn new matches into notice items (and retry the sightings waiting for a recipient)."""
    wired = wiring.current()
    report = from_matches.run(attributor=wired.attributor(), actor=Actor.system(worker_name(context)),
                              now=wired.now())
    return report.as_dict()
