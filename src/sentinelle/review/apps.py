from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sentinelle.review"
    label = "review"
