from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sentinelle.accounts"
    label = "accounts"
