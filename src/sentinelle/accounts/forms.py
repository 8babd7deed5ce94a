"""The login, code and account forms (fields only: the templates lay them out)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sentinelle.accounts.permissions import Role

ROLE_LABELS = {Role.ANALYST: _("Analyst"), Role.SUPERVISOR: _("Supervisor"), Role.ADMINISTRATOR: _("Administrator")}


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name"))
    password = forms.CharField(max_length=512, label=_("Password"), strip=False, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(max_length=32, label=_("Code"))


class CreateUserForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name"))
    role = forms.ChoiceField(choices=[(r.value, ROLE_LABELS[r]) for r in Role], label=_("Role"))
    password = forms.CharField(max_length=512, label=_("First password"), strip=False, widget=forms.PasswordInput)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(r.value, ROLE_LABELS[r]) for r in Role], label=_("Role"))


class ResetPasswordForm(forms.Form):
    password = forms.CharField(max_length=512, label=_("New password"), strip=False, widget=forms.PasswordInput)
