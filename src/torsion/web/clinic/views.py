from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from torsion.web.accounts.models import CareGrant


@login_required
def patients(request):
    """The clinician's patients: everyone who has granted them access, and only them."""
    if not hasattr(request.user, "clinician"):
        raise Http404("This page is for clinicians.")
    grants = (
        CareGrant.objects.active()
        .filter(clinician=request.user.clinician)
        .select_related("patient__user")
        .order_by("patient__user__username")
    )
    return render(request, "clinic/patients.html", {"title": "My patients", "grants": grants})
