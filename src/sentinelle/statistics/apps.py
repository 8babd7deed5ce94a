from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "sentinelle.statistics"
    label = "statistics"
