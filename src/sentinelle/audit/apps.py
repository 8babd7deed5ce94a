from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sentinelle.audit"
    label = "audit"
    verbose_name = "Audit log"
