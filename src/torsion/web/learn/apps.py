from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "torsion.web.learn"
    label = "learn"
