from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "torsion.web.reports"
    label = "reports"
    verbose_name = "Visit reports"
    default_auto_field = "django.db.models.BigAutoField"
