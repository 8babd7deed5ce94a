"""One account's page for administrators: change its role, reset its password, deactivate or
reactivate it. Each change is a POST (with the CSRF token) to its own address, goes through the
audited service, and answers with a redirection to the page and a confirmation (POST/Redirect/
GET); a refusal (the last active administrator, a password the validators refuse) is shown on
the page, translated, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.exceptions import AccountsError
from sentinelle.accounts.forms import ROLE_LABELS, ResetPasswordForm, RoleForm
from sentinelle.accounts.pages import page
from sentinelle.accounts.permissions import Permission, Role
from sentinelle.accounts.refusals import refusal
from sentinelle.accounts.services import describe, reset_password, set_active, set_role
from sentinelle.audit.services import Actor

DONE = {
    "role": gettext_lazy("The role was changed."),
    "password": gettext_lazy("The password was reset. Give it to the user in person: "
                             "they set up a second factor again at their next login."),
    "deactivated": gettext_lazy("The account was deactivated: it cannot log in, and its sessions are ended."),
    "reactivated": gettext_lazy("The account was reactivated."),
}


def _account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise Http404(_("There is no account with this user name."))
    return user


def _render(request: HttpRequest, user: User, error: str = "", status: int = 200) -> HttpResponse:
    row = describe(user)
    row["role_label"] = ROLE_LABELS.get(Role(row["role"]), "") if row["role"] else ""
    done = DONE.get(request.GET.get("done", "")) if request.method == "GET" else None
    context = {"account": row, "roles": RoleForm().fields["role"].choices, "error": error, "done": done or ""}
    return page(request, "user.html", context, status)


@requires(Permission.ACCOUNT_MANAGE)
@require_http_methods(["GET", "HEAD"])
def user_view(request: HttpRequest, username: str) -> HttpResponse:
    return _render(request, _account(username))


def _change(request: HttpRequest, username: str, done: str, apply: Callable[[Actor], object]) -> HttpResponse:
    user = _account(username)
    try:
        apply(Actor.user(request.user.username))
    except AccountsError as exc:
        user.refresh_from_db()
        return _render(request, user, refusal(exc), 400)
    return HttpResponseRedirect(f"{reverse('accounts:user', args=[username])}?done={done}")


@requires(Permission.ACCOUNT_MANAGE)
@require_POST
def role_view(request: HttpRequest, username: str) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _render(request, _account(username), _("Choose one of the roles."), 400)
    return _change(request, username, "role", lambda actor: set_role(username, form.cleaned_data["role"], actor=actor))


@requires(Permission.ACCOUNT_MANAGE)
@require_POST
def password_view(request: HttpRequest, username: str) -> HttpResponse:
    form = ResetPasswordForm(request.POST)
    if not form.is_valid():
        return _render(request, _account(username), _("Give the new password."), 400)
    password = form.cleaned_data["password"]
    return _change(request, username, "password", lambda actor: reset_password(username, password, actor=actor))


@requires(Permission.ACCOUNT_MANAGE)
@require_POST
def deactivate_view(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "deactivated", lambda actor: set_active(username, False, actor=actor))


@requires(Permission.ACCOUNT_MANAGE)
@require_POST
def reactivate_view(request: HttpRequest, username: str) -> HttpResponse:
    return _change(request, username, "reactivated", lambda actor: set_active(username, True, actor=actor))
