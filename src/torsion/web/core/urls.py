from django.urls import path

from torsion.web.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient_dashboard, name="patient_dashboard"),
    path("theme/", views.set_theme, name="theme"),
]
