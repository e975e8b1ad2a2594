from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "torsion.web.clinic"
    label = "clinic"
