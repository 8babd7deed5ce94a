from django.apps import AppConfig


class AttributionConfig(AppConfig):
    name = "sentinelle.attribution"
    label = "attribution"
    verbose_name = "Attribution and the provider directory"
