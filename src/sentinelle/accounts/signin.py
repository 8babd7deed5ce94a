"""The two steps of a login, with lockout and audit: the password, then a code (TOTP or a
recovery code). Pages call these; nothing here knows about HTTP beyond ``request.META``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from sentinelle.accounts.clients import client_key
from sentinelle.accounts.lockout import Limits, clear, fail, locked
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record


class Outcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"  #: wrong name, password or code (the page never says which)
    LOCKED = "locked"


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    user: User | None = None
    device: Any = None


def check_password(username: str, password: str, meta: Mapping[str, Any]) -> Attempt:
    """Step one. A deactivated account is refused like a wrong password."""
    now, limits = timezone.now(), Limits.from_settings()
    client = client_key(meta, now)
    known = User.objects.filter(username=username).first()
    user_key = f"user:{known.pk}" if known else ""
    if locked([user_key, client], now):
        _refusal(AuditAction.ACCOUNT_LOGIN_FAILED, known, client, "locked")
        return Attempt(Outcome.LOCKED)
    user = authenticate(username=username, password=password)
    if user is None:
        return _failed(known, client, "password", limits, now)
    return Attempt(Outcome.OK, user)


def check_code(user: User, code: str, meta: Mapping[str, Any]) -> Attempt:
    """Step two: a TOTP code or an unused recovery code (then spent)."""
    now, limits = timezone.now(), Limits.from_settings()
    client = client_key(meta, now)
    if locked([f"user:{user.pk}", client], now):
        _refusal(AuditAction.ACCOUNT_LOGIN_FAILED, user, client, "locked")
        return Attempt(Outcome.LOCKED)
    token = code.replace(" ", "").strip()
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token.lower() if isinstance(device, StaticDevice) else token):
            clear(f"user:{user.pk}")
            factor = "recovery-code" if isinstance(device, StaticDevice) else "totp"
            details: dict[str, Any] = {"factor": factor}
            if isinstance(device, StaticDevice):
                details["recovery_codes_left"] = device.token_set.count()
            record(AuditAction.ACCOUNT_LOGIN, actor=Actor.user(user.username), target_type="user",
                   target_id=user.username, details=details)
            return Attempt(Outcome.OK, user, device)
    return _failed(user, client, "code", limits, now)


def _failed(user: User | None, client: str, step: str, limits: Limits, now: Any) -> Attempt:
    _refusal(AuditAction.ACCOUNT_LOGIN_FAILED, user, client, step)
    locks = []
    if user is not None and fail(f"user:{user.pk}", limits.account, limits.lock, now):
        locks.append("account")
    if fail(client, limits.client, limits.lock, now):
        locks.append("client")
    for what in locks:
        _refusal(AuditAction.ACCOUNT_LOCKOUT, user if what == "account" else None, client, what,
                 until=(now + limits.lock).isoformat())
    return Attempt(Outcome.LOCKED if locks else Outcome.REFUSED)


def _refusal(action: AuditAction, user: User | None, client: str, reason: str, **extra: str) -> None:
    """An unknown user name is not recorded (it may be a password typed in the wrong field)."""
    details = {"reason": reason, "client": client, "known_user": user is not None, **extra}
    record(action, actor=Actor.system("accounts.login"), target_type="user" if user else "",
           target_id=user.username if user else "", details=details)


def logged_out(user: Any) -> None:
    record(AuditAction.ACCOUNT_LOGOUT, actor=Actor.user(user.username), target_type="user", target_id=user.username)
