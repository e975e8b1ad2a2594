from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "torsion.web.exchange"
    label = "exchange"
    verbose_name = "Export, import and deletion of a record"
