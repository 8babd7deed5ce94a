from django.apps import AppConfig


class BanksConfig(AppConfig):
    name = "sentinelle.banks"
    label = "banks"
