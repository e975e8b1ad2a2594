from django.urls import path

from torsion.web.recordings import views_drawing as views

# Included by recordings/urls.py ahead of its own patterns ("measure/drawing/" before "measure/<kind>/").
urlpatterns = [
    path("measure/drawing/", views.start, name="drawing_start"),
    path("drawing/screen-size/", views.screen_size, name="screen_size"),
    path("patients/<int:patient_id>/drawings/", views.drawing_list, name="drawings"),
    path("patients/<int:patient_id>/drawings/new/", views.capture, name="drawing_capture"),
    path("patients/<int:patient_id>/drawings/<int:drawing_id>/", views.drawing_detail, name="drawing_detail"),
    path("patients/<int:patient_id>/drawings/<int:drawing_id>/delete/", views.drawing_delete, name="drawing_delete"),
]
