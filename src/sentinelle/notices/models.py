"""Notices, their items, their timeline and every delivery attempt.

A notice goes to one recipient for one window. It is a row (the outbox) before anything is
sent: the worker's scheduler enqueues it when ``due_at`` passes, a delivery task claims it
(``sending`` until ``claimed_until``), and a claim that expires (the worker died) makes it due
again: it is resent with the same Message-ID.
"""

from __future__ import annotations

import uuid
from typing import Final

from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    NOTICE = "notice"
    RETRACTION = "retraction"
    REMINDER = "reminder"  #: the items are still there: to the same recipient, In-Reply-To the notice
    ESCALATION = "escalation"  #: to the upstream network or a hotline, after the reminders


#: The kinds that follow up a notice (``Notice.follows``) and list items through FollowUp rows.
FOLLOW_UPS: Final = (Kind.REMINDER, Kind.ESCALATION)


class Status(models.TextChoices):
    """draft -> queued -> sending -> sent | retrying -> sending ... | failed; draft -> cancelled."""

    DRAFT = "draft"  #: collecting items until the window ends
    QUEUED = "queued"  #: to be sent as soon as a worker takes it
    SENDING = "sending"  #: claimed by a worker until claimed_until
    RETRYING = "retrying"  #: a temporary failure; sent again at due_at
    SENT = "sent"
    FAILED = "failed"  #: a permanent failure (or too many temporary ones): the operator acts
    CANCELLED = "cancelled"  #: every item was retracted before anything was sent


#: States the scheduler looks at (with ``due_at``): the notice still has to go out.
PENDING: Final = (Status.DRAFT, Status.QUEUED, Status.SENDING, Status.RETRYING)


class Channel(models.TextChoices):
    EMAIL = "email"
    WEBHOOK = "webhook"


class ChannelState(models.TextChoices):
    NONE = "none"  #: the recipient has no address on this channel
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notice(models.Model):
    """One message to one recipient: a notice for a window, or a retraction of earlier items."""

    reference = models.CharField(max_length=32, unique=True, null=True, help_text="SN-YYYY-NNNNNN")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NOTICE)
    retracts = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retractions"
    )
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups",
        help_text="reminders and escalations: the notice they follow up",
    )
    message_id = models.CharField(max_length=255, unique=True, help_text="stable across resends")
    recipient_key = models.CharField(max_length=200, help_text="who, whatever the address")
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField(max_length=254, blank=True, default="")
    recipient_language = models.CharField(max_length=2, default="en")
    recipient_role = models.CharField(max_length=32, blank=True, default="")
    recipient_provider = models.CharField(max_length=100, blank=True, default="")
    webhook_url = models.URLField(max_length=2000, blank=True, default="")
    webhook_secret_ref = models.CharField(
        max_length=200, blank=True, default="", help_text="the secret's name (never the secret)"
    )
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    email_state = models.CharField(max_length=8, choices=ChannelState.choices)
    webhook_state = models.CharField(max_length=8, choices=ChannelState.choices)
    due_at = models.DateTimeField(help_text="when the scheduler next enqueues it")
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    frozen_at = models.DateTimeField(null=True, blank=True, help_text="content fixed (first send)")
    content = models.JSONField(null=True, blank=True, help_text="exactly what is sent")
    last_error = models.TextField(blank=True, default="")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("recipient_key", "window_start"),
                condition=models.Q(kind=Kind.NOTICE),
                name="notices_one_per_recipient_and_window",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="notices_status_known"
            ),
        )
        indexes = (
            models.Index(
                fields=("due_at",), condition=models.Q(status__in=PENDING), name="notices_due"
            ),
            models.Index(fields=("status", "created"), name="notices_by_status"),
        )

    def __str__(self) -> str:
        return f"{self.reference} ({self.kind}, {self.status}) to {self.recipient_name}"


class ItemStatus(models.TextChoices):
    OPEN = "open"  #: asked to remove; not known to be gone
    REMOVED = "removed"  #: a recheck found it gone (``removed_at``, ``time_to_removal``)
    DISPUTED = "disputed"
    RETRACTED = "retracted"  #: withdrawn: off every list, or on the do-not-act list


#: Items still online as far as we know: rechecked until they are gone.
LIVE: Final = (ItemStatus.OPEN, ItemStatus.DISPUTED)


class CheckOutcome(models.TextChoices):
    STILL_THERE = "still-there"  #: the same bytes, or bytes that still match
    REMOVED = "removed"  #: 404/410/451, the host gone from DNS, or bytes that no longer match
    INCONCLUSIVE = "inconclusive"  #: timeout, 5xx, refused...: checked again sooner


class NoticeItem(models.Model):
    """One URL and the hashes of the file it served, with the legal basis asked under."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="items")
    report_id = models.UUIDField(default=uuid.uuid4, unique=True, help_text="XARF report_id")
    url = models.TextField(help_text="normalised")
    url_key = models.CharField(max_length=64, help_text="SHA-256 of url")
    host = models.CharField(max_length=255)
    ip = models.GenericIPAddressField(null=True, blank=True)
    md5 = models.CharField(max_length=32, blank=True, default="")
    sha1 = models.CharField(max_length=40, blank=True, default="")
    sha256 = models.CharField(max_length=64)
    pdq = models.CharField(max_length=64, blank=True, default="")
    mime = models.CharField(max_length=100, blank=True, default="")
    category = models.CharField(max_length=32)
    legal_basis = models.TextField()
    sighting = models.ForeignKey(
        "sightings.Sighting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_seen = models.DateTimeField()
    last_verified = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    retracted_at = models.DateTimeField(null=True, blank=True)
    retraction_reason = models.CharField(max_length=64, blank=True, default="")
    retraction = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="retracted_items"
    )
    # Rechecks (docs/notices.md): due at next_check_at while the item is live.
    next_check_at = models.DateTimeField(null=True, blank=True, help_text="when the next recheck is due")
    checks = models.PositiveIntegerField(default=0)
    inconclusive_checks = models.PositiveIntegerField(default=0)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check = models.CharField(max_length=16, choices=CheckOutcome.choices, blank=True, default="")
    last_check_detail = models.TextField(blank=True, default="")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="the recheck that found it gone")
    time_to_removal = models.DurationField(null=True, blank=True, help_text="from the notice's sent_at")
    # Reminders and escalation: the steps taken so far along the ladder.
    reminders = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0, help_text="escalation steps taken (or skipped)")
    escalated_at = models.DateTimeField(null=True, blank=True)
    stepped_at = models.DateTimeField(null=True, blank=True, help_text="last reminder or escalation step")
    analyst_flag = models.CharField(max_length=32, blank=True, default="", help_text="e.g. law-enforcement")
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(
                fields=("notice", "url_key", "sha256"), name="notices_item_once_per_notice"
            ),
        )
        indexes = (
            models.Index(fields=("sha256",), name="notices_item_sha256"),
            models.Index(fields=("url_key",), name="notices_item_url"),
            models.Index(
                fields=("next_check_at",), condition=models.Q(status__in=LIVE), name="notices_item_check_due"
            ),
            models.Index(fields=("removed_at",), name="notices_item_removed"),
        )

    def __str__(self) -> str:
        return f"{self.url} sha256:{self.sha256} ({self.status})"


class ItemMatch(models.Model):
    """A listed hash an item's file matched: while one of them is on a list (and none of the
    item's hashes is on the do-not-act list), the item stands."""

    item = models.ForeignKey(NoticeItem, on_delete=models.CASCADE, related_name="matches")
    list_name = models.CharField(max_length=100, blank=True, default="")
    signal_type = models.CharField(max_length=16)
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = (models.Index(fields=("signal_type", "hash"), name="notices_match_hash"),)


class FollowUp(models.Model):
    """An item on a reminder or an escalation (an item is on many of them over time)."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="followed_items")
    item = models.ForeignKey(NoticeItem, on_delete=models.PROTECT, related_name="follow_ups")

    class Meta:
        ordering = ("id",)
        constraints = (models.UniqueConstraint(fields=("notice", "item"), name="notices_follow_up_once"),)


class NoticeEvent(models.Model):
    """The notice's timeline, as an operator reads it; ``item`` when the event is an item's
    (a recheck, a reminder, an escalation step, its removal)."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="events")
    item = models.ForeignKey(
        NoticeItem, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    event = models.CharField(max_length=32)
    actor = models.CharField(max_length=200)
    details = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ("id",)


class DeliveryAttempt(models.Model):
    """One try on one channel. ``outcome`` is empty while it runs: a worker killed mid-send
    leaves it so, and the next claim marks it ``interrupted``."""

    class Outcome(models.TextChoices):
        SENT = "sent"
        TEMPORARY = "temporary"
        PERMANENT = "permanent"
        INTERRUPTED = "interrupted"
        CONSOLE = "console"  #: development: written to the console, nothing sent

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="attempts_made")
    number = models.PositiveIntegerField(help_text="the notice's attempt number")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    worker = models.CharField(max_length=200)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    detail = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("id",)


class SweepCursor(models.Model):
    """How far a sweep over a change log got, and until when a queued sweep holds it."""

    name = models.CharField(max_length=64, unique=True)
    position = models.BigIntegerField(default=0)
    pending_until = models.DateTimeField(null=True, blank=True)


class IntakeState(models.TextChoices):
    NOTICED = "noticed"  #: on a notice (or already on an open one) for every recipient
    BLOCKED = "blocked"  #: the do-not-act list covers it
    ANALYST = "analyst"  #: waits for an analyst: unverified or disabled list, other category
    UNATTRIBUTED = "unattributed"  #: nobody to send it to yet: attributed again at retry_at
    SKIPPED = "skipped"  #: no match held on the reference path: nothing to notice
    INVALID = "invalid"  #: cannot go on a notice (its URL); for an analyst
    REDECIDE = "redecide"  #: analysts put its hash on a verified list: decided again at retry_at


class SightingIntake(models.Model):
    """What the intake made of a sighting with matches: one row per sighting, so a second
    pass adds nothing. Only ``unattributed`` and ``redecide`` rows are looked at again (at ``retry_at``)."""

    sighting = models.OneToOneField("sightings.Sighting", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=IntakeState.choices)
    reason = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=1)
    retry_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField()
    updated = models.DateTimeField()

    class Meta:
        indexes = (
            models.Index(fields=("state", "retry_at"), name="notices_intake_due"),
        )


class Hotline(models.Model):
    """The hotline of a country, where escalations go (an editable directory; none built in)."""

    country = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2, upper case")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, blank=True, default="")
    webhook_url = models.URLField(max_length=2000, blank=True, default="")
    webhook_secret_ref = models.CharField(max_length=200, blank=True, default="")
    language = models.CharField(max_length=2, default="en")
    note = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("country",)

    def __str__(self) -> str:
        return f"{self.country}: {self.name}"
