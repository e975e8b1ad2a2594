from django.urls import path

from torsion.web.core import pwa, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient_dashboard, name="patient_dashboard"),
    path("theme/", views.set_theme, name="theme"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("service-worker.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("check-in/", pwa.start, name="start"),
]
