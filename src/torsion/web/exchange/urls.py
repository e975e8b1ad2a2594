from django.urls import path

from torsion.web.exchange import views

app_name = "exchange"

P = "patients/<int:patient_id>/"

urlpatterns = [
    path(P + "export/everything/", views.export_everything, name="everything"),
    path(P + "export/fhir/", views.export_fhir, name="fhir"),
    path(P + "restore/", views.restore, name="restore"),
    path("accounts/delete/", views.delete, name="delete"),
]
