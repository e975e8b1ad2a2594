"""Top-level URL map. Every patient-scoped page lives under ``/patients/<patient_id>/``."""

from django.contrib import admin
from django.urls import include, path

from torsion.web.api import api

urlpatterns = [
    path("", include("torsion.web.core.urls")),
    path("accounts/", include("torsion.web.accounts.urls")),
    path("", include("torsion.web.learn.urls")),
    path("", include("torsion.web.records.urls")),
    path("", include("torsion.web.recordings.urls")),
    path("", include("torsion.web.assessments.urls")),
    path("", include("torsion.web.accounts.sharing_urls")),
    path("", include("torsion.web.audit.urls")),
    path("", include("torsion.web.exchange.urls")),
    path("", include("torsion.web.reports.urls")),
    path("clinic/", include("torsion.web.clinic.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

handler404 = "torsion.web.core.views.page_not_found"
handler500 = "torsion.web.core.views.server_error"
handler403 = "torsion.web.core.views.permission_denied"
