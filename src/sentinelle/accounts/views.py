"""Login (password, then a TOTP or recovery code), enrolment of the second factor, logout."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from sentinelle.accounts import enrolment
from sentinelle.accounts.access import to_login, verified
from sentinelle.accounts.forms import CodeForm, LoginForm
from sentinelle.accounts.pages import page
from sentinelle.accounts.signin import Outcome, check_code, check_password, logged_out

PENDING = "accounts_pending"  #: session key: the user who gave a password, and when
PENDING_SECONDS = 300


def _refusal(outcome: Outcome) -> str:
    if outcome == Outcome.LOCKED:
        return _("Too many failed attempts: logging in is locked for a while. Try again later, or ask an administrator.")
    return _("The user name, password or code is not right.")


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("accounts:home")


@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        attempt = check_password(form.cleaned_data["username"], form.cleaned_data["password"], request.META)
        if attempt.outcome == Outcome.OK and attempt.user is not None:
            if not enrolment.enrolled(attempt.user):
                login(request, attempt.user)  # password only: the enrolment page is all it opens
                return HttpResponseRedirect(reverse("accounts:enrol"))
            request.session.cycle_key()
            request.session[PENDING] = [attempt.user.pk, time.time()]
            return HttpResponseRedirect(f"{reverse('accounts:code')}?{urlencode({'next': _next(request)})}")
        error = _refusal(attempt.outcome)
    elif request.method == "POST":
        error = _("Give a user name and a password.")
    status = 400 if error else 200
    return page(request, "login.html", {"form": form, "error": error, "next": _next(request)}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def code_view(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    user = None
    if pending and time.time() - float(pending[1]) < PENDING_SECONDS:
        user = User.objects.filter(pk=pending[0], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return HttpResponseRedirect(reverse("accounts:login"))
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        attempt = check_code(user, form.cleaned_data["code"], request.META)
        if attempt.outcome == Outcome.OK:
            request.session.pop(PENDING, None)
            login(request, user)
            otp_login(request, attempt.device)
            return HttpResponseRedirect(_next(request))
        error = _refusal(attempt.outcome)
        if attempt.outcome == Outcome.LOCKED:
            request.session.pop(PENDING, None)
    status = 400 if error else 200
    return page(request, "code.html", {"form": form, "error": error, "next": _next(request)}, status)


@require_http_methods(["GET", "HEAD", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return to_login(request)
    if enrolment.enrolled(user) and not verified(user):
        return to_login(request)  # re-enrolling needs the current factor first
    device = enrolment.pending_device(user)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        codes = enrolment.confirm(user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return page(request, "recovery.html", {"codes": codes})
        error = _("That code is not right. Check the time on your phone, and type the code it shows now.")
    context = {"form": form, "error": error, "qr": enrolment.qr_svg(device), "secret": enrolment.secret_of(device)}
    return page(request, "enrol.html", context, 400 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        logged_out(request.user)
    logout(request)
    return HttpResponseRedirect(reverse("accounts:login"))
