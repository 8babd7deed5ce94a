"""Encrypted bytes of media kept for analysts' review, until their expiry time."""

from __future__ import annotations

from django.db import models


class ReviewMedia(models.Model):
    """The bytes of one media file, encrypted (Fernet token), and when they must go.

    Load rows with ``.defer("ciphertext")`` when the bytes are not needed.
    """

    media = models.OneToOneField(
        "sightings.Media", on_delete=models.CASCADE, related_name="review_copy"
    )
    ciphertext = models.BinaryField(help_text="Fernet token")
    key_id = models.CharField(max_length=16, help_text="which key encrypted it")
    size = models.PositiveBigIntegerField(help_text="plaintext bytes")
    mime = models.CharField(max_length=100)
    stored_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "review media"

    def __str__(self) -> str:
        return f"review copy of media {self.media_id} until {self.expires_at:%Y-%m-%d}"
