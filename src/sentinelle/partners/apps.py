from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "sentinelle.partners"
    label = "partners"

    def ready(self) -> None:
        from sentinelle.partners import signals

        signals.connect()
