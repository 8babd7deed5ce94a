"""The audit log's filters: by action, actor, target and date range (all optional)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet

from sentinelle.audit.actions import AuditAction
from sentinelle.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(choices=[("", "—"), *((a.value, a.value) for a in AuditAction)], required=False)
    actor = forms.CharField(max_length=200, required=False)
    target_type = forms.CharField(max_length=64, required=False)
    target_id = forms.CharField(max_length=200, required=False)
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)

    def events(self) -> QuerySet[AuditEvent]:
        """The matching events, newest first (an invalid filter matches nothing)."""
        events = AuditEvent.objects.order_by("-seq")
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        for field in ("action", "actor", "target_type", "target_id"):
            if data[field]:
                events = events.filter(**{field: data[field].strip()})
        if data["since"]:
            events = events.filter(created__gte=datetime.combine(data["since"], time(), tzinfo=UTC))
        if data["until"]:
            events = events.filter(created__lt=datetime.combine(data["until"] + timedelta(days=1), time(), tzinfo=UTC))
        return events
