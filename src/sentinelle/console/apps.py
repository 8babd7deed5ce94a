from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "sentinelle.console"
    label = "console"
