from django.urls import path

from torsion.web.recordings import views

app_name = "recordings"

urlpatterns = [
    path("measure/<slug:kind>/", views.start, name="start"),
    path("patients/<int:patient_id>/recordings/", views.recording_list, name="list"),
    path("patients/<int:patient_id>/recordings/new/<slug:kind>/", views.capture, name="capture"),
    path("patients/<int:patient_id>/recordings/<int:recording_id>/", views.detail, name="detail"),
    path("patients/<int:patient_id>/recordings/<int:recording_id>/video/", views.video, name="video"),
    path("patients/<int:patient_id>/recordings/<int:recording_id>/delete/", views.delete, name="delete"),
]

# Drawings (views_drawing.py), first so that "measure/drawing/" is not taken for a kind of video.
from torsion.web.recordings.urls_drawing import urlpatterns as drawing_urlpatterns  # noqa: E402

urlpatterns = drawing_urlpatterns + urlpatterns
