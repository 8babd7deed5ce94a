from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "sentinelle.responses"
    label = "responses"
