"""What a page requires of its user: logged in with both factors, and a permission.

``@requires(Permission.REPORT_VIEW)`` on a view sends a visitor who is not logged in (or has
only given a password) to the login page, and answers 403 to a user whose role lacks the
permission. A deactivated user's session stops working at its next request (Django's
authentication middleware no longer finds an active user).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from sentinelle.accounts.models import Profile
from sentinelle.accounts.permissions import Permission, permissions_of

View = Callable[..., HttpResponse]


def user_permissions(user: Any) -> frozenset[Permission]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    profile = Profile.objects.filter(user_id=user.pk).first()
    return permissions_of(profile.role) if profile else frozenset()


def verified(user: Any) -> bool:
    """Logged in with password and second factor (django-otp's OTPMiddleware sets this)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and callable(is_verified) and is_verified())


def to_login(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


def requires(permission: Permission | None = None) -> Callable[[View], View]:
    """A verified user (with ``permission`` when one is given); no caching of the answer."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not verified(request.user):
                return to_login(request)
            if permission is not None and permission not in user_permissions(request.user):
                raise PermissionDenied(str(permission))
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "no-store"
            return response

        return wrapped

    return decorate


