"""What accounts add to Django's own ``auth.User``: a role, and failure counters for lockout.

Django's ``User`` keeps the name, the password hash and ``is_active`` (deactivation); the
TOTP secret and the recovery codes are django-otp's ``TOTPDevice`` and ``StaticDevice``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sentinelle.accounts.permissions import Role


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile")
    role = models.CharField(max_length=16, choices=[(r.value, r.value) for r in Role])
    created = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class LoginThrottle(models.Model):
    """Consecutive failed logins of one account (``user:ID``) or one client (``client:HMAC``),
    and until when it is locked. A success resets an account's row; rows expire."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
