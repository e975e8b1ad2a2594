from django.urls import path

from torsion.web.learn import views

app_name = "learn"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.page, name="page"),
]
