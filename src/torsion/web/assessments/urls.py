from django.urls import path

from torsion.web.assessments import views

app_name = "assessments"

P = "patients/<int:patient_id>/scales/"

urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "results/<int:administration_id>/", views.detail, name="detail"),
    path(P + "results/<int:administration_id>/edit/", views.edit, name="edit"),
    path(P + "results/<int:administration_id>/correct/", views.correct, name="correct"),
    path(P + "results/<int:administration_id>/delete/", views.delete, name="delete"),
    path(P + "<slug:scale_id>/", views.history, name="history"),
    path(P + "<slug:scale_id>/new/", views.new, name="new"),
    path("scales/<slug:scale_id>/score/", views.score, name="score"),
]
