from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "sentinelle.notices"
    label = "notices"
