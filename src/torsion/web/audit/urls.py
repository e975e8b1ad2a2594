from django.urls import path

from torsion.web.audit import views

app_name = "audit"

urlpatterns = [
    path("patients/<int:patient_id>/access-log/", views.access_log, name="access_log"),
    path("clinic/activity/", views.activity, name="activity"),
]
