"""The signed-in user's page, and the administrators' list of accounts with a creation form.
(Each account's own page, with role, password reset and deactivation, is user_views.py.)"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.exceptions import AccountsError
from sentinelle.accounts.forms import ROLE_LABELS, CreateUserForm
from sentinelle.accounts.pages import page
from sentinelle.accounts.permissions import Permission, Role
from sentinelle.accounts.refusals import refusal
from sentinelle.accounts.services import create_user, describe, role_of
from sentinelle.audit.services import Actor


@requires()
def home_view(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    context = {
        "role": ROLE_LABELS[role] if role else "", "permissions": sorted(user_permissions(request.user)),
        "can_manage": Permission.ACCOUNT_MANAGE in user_permissions(request.user),
    }
    return page(request, "home.html", context)


@requires(Permission.ACCOUNT_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def users_view(request: HttpRequest) -> HttpResponse:
    form = CreateUserForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_user(data["username"], data["password"], data["role"], actor=Actor.user(request.user.username))
        except AccountsError as exc:
            error = _("The account was not created: %(reason)s") % {"reason": refusal(exc)}
        else:
            return HttpResponseRedirect(f"{reverse('accounts:users')}?created={data['username']}")
    elif request.method == "POST":
        error = _("Fill in every field.")
    users = []
    for user in User.objects.order_by("username"):
        row = describe(user)
        row["role_label"] = ROLE_LABELS.get(Role(row["role"]), "") if row["role"] else ""
        users.append(row)
    context = {"form": form, "error": error, "users": users, "created": request.GET.get("created", "")[:150]}
    return page(request, "users.html", context, 400 if error else 200)
