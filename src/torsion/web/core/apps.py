from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "torsion.web.core"
    label = "core"
