from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "sentinelle.referrals"
    label = "referrals"
