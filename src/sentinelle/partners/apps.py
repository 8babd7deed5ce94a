from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "sentinelle.partners"
    label = "partners"
