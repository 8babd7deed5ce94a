"""Account changes made by an administrator (pages or CLI). Each is audited in its own
transaction; a bad value raises an AccountsError and changes nothing."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from sentinelle.accounts.exceptions import (
    AdministratorExists,
    InvalidAccount,
    InvalidUserName,
    LastAdministrator,
    PasswordRefused,
    UnknownUser,
    UserExists,
)
from sentinelle.accounts.lockout import clear
from sentinelle.accounts.models import Profile
from sentinelle.accounts.permissions import Role
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,149}$")


def describe(user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    return {
        "username": user.username, "role": profile.role if profile else "", "active": user.is_active,
        "otp_enrolled": any(True for _ in devices_for_user(user, confirmed=True)),
        "created": user.date_joined.isoformat(), "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def role_of(user: Any) -> Role | None:
    profile = Profile.objects.filter(user_id=getattr(user, "pk", None)).first()
    return Role(profile.role) if profile else None


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidAccount(f"unknown role {value!r} (one of {', '.join(Role)})") from None


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise PasswordRefused(list(exc.messages)) from None


def _get(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise UnknownUser(f"no account named {username!r}")
    return user


def create_user(username: str, password: str, role: str, *, actor: Actor) -> User:
    """A new active account with this role; it enrols its second factor at its first login."""
    chosen = _role(role)
    if not USERNAME.match(username):
        raise InvalidUserName("a user name is 1-150 letters, digits or . _ @ - (starting with a letter or digit)")
    if User.objects.filter(username__iexact=username).exists():
        raise UserExists(f"an account named {username!r} exists already")
    _check_password(password, User(username=username))
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        Profile.objects.create(user=user, role=chosen, created=timezone.now())
        record(AuditAction.ACCOUNT_CREATE, actor=actor, target_type="user", target_id=username,
               after={"role": str(chosen), "active": True})
    return user


def create_admin(username: str, password: str, *, actor: Actor, force: bool = False) -> User:
    """The first administrator; refused when an active one exists unless ``force``."""
    if not force and Profile.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True).exists():
        raise AdministratorExists("an active administrator exists already (use --force to add another)")
    return create_user(username, password, Role.ADMINISTRATOR, actor=actor)


def set_role(username: str, role: str, *, actor: Actor) -> User:
    chosen = _role(role)
    user = _get(username)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        before = profile.role if profile else ""
        if before == chosen:
            return user
        if before == Role.ADMINISTRATOR:
            _keep_an_administrator(user)
        Profile.objects.update_or_create(user=user, defaults={"role": chosen, "created": timezone.now()})
        record(AuditAction.ACCOUNT_ROLE, actor=actor, target_type="user", target_id=username,
               before={"role": before}, after={"role": str(chosen)})
    return user


def reset_password(username: str, password: str, *, actor: Actor) -> User:
    """A new password; the second factor is removed too (TOTP and recovery codes), so the
    user enrols again at the next login, and the failure counter is cleared."""
    user = _get(username)
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        removed = 0
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
        clear(f"user:{user.pk}")
        record(AuditAction.ACCOUNT_PASSWORD_RESET, actor=actor, target_type="user", target_id=username,
               details={"otp_devices_removed": removed})
    return user


def set_active(username: str, active: bool, *, actor: Actor) -> User:
    """Deactivate (cannot log in, sessions end at their next request) or reactivate."""
    user = _get(username)
    if user.is_active == active:
        return user
    with transaction.atomic():
        if not active and role_of(user) == Role.ADMINISTRATOR:
            _keep_an_administrator(user)
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = AuditAction.ACCOUNT_REACTIVATE if active else AuditAction.ACCOUNT_DEACTIVATE
        record(action, actor=actor, target_type="user", target_id=username,
               before={"active": not active}, after={"active": active})
    return user


def _keep_an_administrator(leaving: User) -> None:
    others = Profile.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True).exclude(user=leaving)
    if not others.exists():
        raise LastAdministrator("this is the last active administrator: make another one first")
