from django.urls import path

from torsion.web.records import views

app_name = "records"

urlpatterns = [
    path("patients/<int:patient_id>/diary/", views.diary, name="diary"),
    path("patients/<int:patient_id>/diary/regions/", views.diary_regions, name="diary_regions"),
    path("patients/<int:patient_id>/diary/<str:day>/", views.diary_day, name="diary_day"),
]
