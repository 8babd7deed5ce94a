from django.apps import AppConfig


class SightingsConfig(AppConfig):
    name = "sentinelle.sightings"
    label = "sightings"
