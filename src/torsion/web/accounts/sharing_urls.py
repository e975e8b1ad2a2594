from django.urls import path

from torsion.web.accounts import sharing_views

app_name = "sharing"

P = "patients/<int:patient_id>/sharing/"

urlpatterns = [
    path(P, sharing_views.sharing_page, name="page"),
    path(P + "invitations/<int:invitation_id>/cancel/", sharing_views.cancel_invitation, name="cancel"),
    path(P + "<int:grant_id>/stop/", sharing_views.stop_sharing, name="stop"),
]
