"""Downloads of the whole record, restoring a record from a file, and deleting an account."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from torsion.interop.fhir import FhirError
from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.exchange import archive, services
from torsion.web.exchange.deletion import delete_account
from torsion.web.exchange.document import DocumentError
from torsion.web.exchange.forms import DeleteAccountForm, RestoreForm
from torsion.web.records.services import today


@patient_view(Access.OWNER)
@require_safe
def export_everything(request, patient_id: int):
    """The complete export as one zip, written to a temporary file and streamed."""
    handle = tempfile.TemporaryFile(dir=settings.DATA_DIR)
    archive.write_archive(request.patient, handle)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, content_type="application/zip",
                            filename=f"torsion-record-{today().isoformat()}.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@patient_view(Access.OWNER)
@require_safe
def export_fhir(request, patient_id: int):
    response = HttpResponse(services.bundle_json(request.patient), content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="torsion-fhir-{today().isoformat()}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def restore(request, patient_id: int):
    """Restore the record from a complete export (zip) or a FHIR Bundle (JSON) into an empty record."""
    form = RestoreForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.check_empty(request.patient)
            if form.cleaned_data["kind"] == "zip":
                counts = archive.restore_archive(upload, request.patient)
            else:
                counts = services.import_bundle(form.cleaned_data["bundle"], request.patient)
        except services.RestoreRefused as exc:
            problems = [str(exc)]
        except (DocumentError, FhirError) as exc:
            problems = exc.problems
        else:
            written = sum(counts.values())
            messages.success(request, f"Your record was restored: {written} entries.")
            return redirect("core:patient_dashboard", patient_id=patient_id)
    return render(request, "exchange/restore.html", {"title": "Restore your record", "record_section": "transfer", "form": form,
                                                     "problems": problems[:50], "more": max(0, len(problems) - 50)},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        deleted = delete_account(user)
        return render(request, "accounts/message.html", {
            "title": "Your account is deleted",
            "text": f"Your account and everything Torsion held on you ({deleted.rows} entries and {deleted.files} "
                    "files) are gone. Clinicians you shared with no longer see anything of it.",
        })
    return render(request, "exchange/delete.html", {"title": "Delete your account", "form": form},
                  status=400 if request.method == "POST" else 200)



