from django.apps import AppConfig


class DonotactConfig(AppConfig):
    name = "sentinelle.donotact"
    label = "donotact"
