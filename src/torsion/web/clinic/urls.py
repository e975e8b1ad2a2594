from django.urls import path

from torsion.web.clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.patients, name="patients"),
]
