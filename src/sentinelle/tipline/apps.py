from django.apps import AppConfig


class TiplineConfig(AppConfig):
    name = "sentinelle.tipline"
    label = "tipline"
