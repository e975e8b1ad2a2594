from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "torsion.web.records"
    label = "records"
