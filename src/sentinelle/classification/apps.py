from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "sentinelle.classification"
    label = "classification"
