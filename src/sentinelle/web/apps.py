from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sentinelle.web"
    label = "web"
