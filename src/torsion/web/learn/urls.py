from django.urls import path

from torsion.web.learn import views

app_name = "learn"

urlpatterns = [
    path("learn/", views.index, name="index"),
    path("learn/classify/", views.classify, name="classify"),
    path("learn/<slug:slug>/", views.page, name="page"),
    path("patients/<int:patient_id>/diagnosis/", views.diagnosis, name="diagnosis"),
    path("patients/<int:patient_id>/diagnosis/save/", views.diagnosis_save, name="diagnosis_save"),
    path("patients/<int:patient_id>/diagnosis/<int:summary_id>/confirm/", views.diagnosis_confirm,
         name="diagnosis_confirm"),
    path("patients/<int:patient_id>/diagnosis/new/", views.diagnosis_correct, name="diagnosis_new"),
    path("patients/<int:patient_id>/diagnosis/<int:summary_id>/correct/", views.diagnosis_correct,
         name="diagnosis_correct"),
]
