from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ClinicConfig(AppConfig):
    name = "torsion.web.clinic"
    label = "clinic"

    def ready(self):
        from torsion.web.learn.models import DiagnosisSummary
        from torsion.web.recordings.models import Recording
        from torsion.web.records.models import DiaryEntry, InjectionLine, ToxinInjection

        for model in (DiaryEntry, ToxinInjection, Recording, DiagnosisSummary):
            post_save.connect(_patient_changed, sender=model, dispatch_uid=f"clinic-summary-save-{model.__name__}")
            post_delete.connect(_patient_changed, sender=model, dispatch_uid=f"clinic-summary-delete-{model.__name__}")
        post_save.connect(_line_changed, sender=InjectionLine, dispatch_uid="clinic-summary-save-line")
        post_delete.connect(_line_changed, sender=InjectionLine, dispatch_uid="clinic-summary-delete-line")


def _patient_changed(sender, instance, **kwargs):
    from torsion.web.clinic.summary import mark_stale

    mark_stale(instance.patient_id)


def _line_changed(sender, instance, **kwargs):
    from torsion.web.clinic.summary import mark_stale
    from torsion.web.records.models import ToxinInjection

    patient_id = ToxinInjection.objects.filter(pk=instance.injection_id).values_list("patient_id", flat=True).first()
    if patient_id is not None:
        mark_stale(patient_id)
