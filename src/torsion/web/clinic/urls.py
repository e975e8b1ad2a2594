from django.urls import path

from torsion.web.accounts import sharing_views
from torsion.web.clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.patients, name="patients"),
    path("accept/", sharing_views.accept, name="accept"),
]
