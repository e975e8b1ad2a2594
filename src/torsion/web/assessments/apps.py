from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "torsion.web.assessments"
    label = "assessments"
    verbose_name = "Rating scales"
