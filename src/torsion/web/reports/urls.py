from django.urls import path

from torsion.web.reports import views

app_name = "reports"

P = "patients/<int:patient_id>/"

urlpatterns = [
    path(P + "report/", views.report_page, name="report"),
    path(P + "report/pdf/", views.report_pdf, name="pdf"),
    path(P + "visit/questions/", views.questions, name="questions"),
    path(P + "visit/questions/<int:question_id>/done/", views.question_done, name="question_done"),
]
