"""What recipients answered to notices, and the daily keys that hash their addresses."""

from __future__ import annotations

from django.db import models


class ResponseKind(models.TextChoices):
    REMOVED = "removed"  #: the recipient says the material is gone: a recheck verifies it
    DISPUTE = "dispute"  #: the recipient disagrees (with a reason): an analyst decides
    QUESTION = "question"  #: the recipient asks something: an analyst answers


class ResponseChannel(models.TextChoices):
    WEB = "web"  #: the page reached by the notice's signed link
    API = "api"


class NoticeResponse(models.Model):
    """One answer to a notice, about one item or (``item`` empty) the whole notice.

    ``submission_key`` makes sending the same answer twice record it once (the form's hidden
    key, or the API's Idempotency-Key). ``client_hash`` is an HMAC of the sender's address
    under a key that exists for one day only: answers of one day from one place can be told
    apart, the address itself is never stored nor recoverable once the key is gone.
    """

    notice = models.ForeignKey("notices.Notice", on_delete=models.PROTECT, related_name="responses")
    item = models.ForeignKey(
        "notices.NoticeItem", on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    text = models.TextField(blank=True, default="")
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=8, choices=ResponseChannel.choices)
    language = models.CharField(max_length=2, blank=True, default="")
    submission_key = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64, blank=True, default="")
    effects = models.JSONField(default=dict, help_text="what the answer changed: rechecks, disputed items")
    needs_analyst = models.BooleanField(default=False)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("notice", "submission_key"), name="responses_once_per_key"),
            models.CheckConstraint(condition=models.Q(kind__in=ResponseKind.values), name="responses_kind_known"),
            models.CheckConstraint(
                condition=models.Q(channel__in=ResponseChannel.values), name="responses_channel_known"
            ),
        )
        indexes = (
            models.Index(
                fields=("received_at",), condition=models.Q(needs_analyst=True, handled_at__isnull=True),
                name="responses_awaiting_analyst",
            ),
            models.Index(fields=("notice", "received_at"), name="responses_by_notice"),
        )

    def __str__(self) -> str:
        return f"{self.kind} on notice {self.notice_id} ({self.channel}, {self.received_at:%Y-%m-%d})"


class ClientKey(models.Model):
    """The key of one day's client hashes; deleted after two days, so old hashes stay
    unlinkable to any address."""

    day = models.DateField(unique=True)
    secret = models.CharField(max_length=64)
