from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "torsion.web.accounts"
    label = "accounts"
