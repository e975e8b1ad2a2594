"""Downloading the record as CSV files, and importing a diary kept elsewhere.

The import has three steps: upload (the file is checked and kept as a :class:`DiaryImport`), the
preview page (columns matched to diary fields, every row checked, the first rows shown as they will
be saved), and the import itself, which writes everything in one transaction or nothing.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.records.csv_files import csv_response, read_table
from torsion.web.records.diary_csv import (
    LIST_TARGETS,
    TARGET_LABELS,
    apply_import,
    existing_check_ins,
    plan_import,
    suggest_date_format,
    suggest_mapping,
)
from torsion.web.records.exports import EXPORTS
from torsion.web.records.import_forms import DiaryUploadForm, ImportMappingForm
from torsion.web.records.models import DiaryImport
from torsion.web.records.services import today

#: Rows shown on the preview, as they will be saved.
PREVIEW_ROWS = 10
#: An upload left on its preview page longer than this is removed at the next upload.
STALE_IMPORT = timedelta(days=1)


@patient_view(Access.VIEW)
def export(request, patient_id: int):
    """The list of downloads; ``?file=<name>`` downloads one of them."""
    name = request.GET.get("file")
    if name:
        spec = EXPORTS.get(name)
        if spec is None:
            raise Http404("No such file.")
        header, rows = spec.rows(request.patient)
        return csv_response(f"torsion-{name}-{today().isoformat()}.csv", header, rows)
    return render(request, "records/export.html", {
        "title": "Import and export",
        "record_section": "transfer",
        "exports": EXPORTS.values(),
    })


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def diary_import(request, patient_id: int):
    form = DiaryUploadForm(request.POST, request.FILES) if request.method == "POST" else DiaryUploadForm()
    if request.method == "POST" and form.is_valid():
        DiaryImport.objects.filter(patient=request.patient, created_at__lt=timezone.now() - STALE_IMPORT).delete()
        staged = DiaryImport.objects.create(patient=request.patient, filename=form.cleaned_data["file"].name[:200],
                                            text=form.text, uploaded_by=request.user)
        return redirect("records:diary_import_preview", patient_id=patient_id, import_id=staged.pk)
    return render(request, "records/import_upload.html", {
        "title": "Import a diary",
        "record_section": "transfer",
        "form": form,
    })


def _first_visit_form(table) -> ImportMappingForm:
    """The mapping form with the suggested choices: checked at once when they are complete."""
    mapping = suggest_mapping(table.columns)
    date_column = next((i for i, target in mapping.items() if target == "date"), None)
    data = {f"column_{i}": target for i, target in mapping.items()}
    date_format = suggest_date_format(table, date_column)
    if date_format:
        data["date_format"] = date_format
    bound = ImportMappingForm(data, table=table)
    return bound if bound.is_valid() else ImportMappingForm(initial=data, table=table)


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def diary_import_preview(request, patient_id: int, import_id: int):
    staged = get_patient_object(request.user, DiaryImport, import_id, Access.OWNER, patient=request.patient)
    table = read_table(staged.text)
    form = ImportMappingForm(request.POST, table=table) if request.method == "POST" else _first_visit_form(table)
    plan = None
    if form.is_bound and form.is_valid():
        importing = request.POST.get("action") == "import"
        # When importing, the check and the writing share one transaction: a day added meanwhile is seen.
        with transaction.atomic() if importing else nullcontext():
            existing = existing_check_ins(request.patient)
            plan = plan_import(table, form.mapping(), form.cleaned_data["date_format"], existing=existing,
                               replace=form.cleaned_data["replace"], today=today())
            if importing and not plan.errors:
                added, corrected = apply_import(request.patient, plan, by=request.user)
                staged.delete()
                messages.success(request, f"Imported {added + corrected} check-in{'s' if added + corrected != 1 else ''} "
                                          f"from {staged.filename}: {added} new, {corrected} corrected.")
                return redirect("records:diary", patient_id=patient_id)
    targets, preview = [], []
    if plan is not None:
        targets = [target for _, target in sorted(form.mapping().items()) if target != "date"]
        # Each value with its column's name, which labels it when the table is shown as cards on a phone.
        preview = [(day, [(TARGET_LABELS[target], _shown(day, target)) for target in targets])
                   for day in plan.days[:PREVIEW_ROWS]]
    return render(request, "records/import_preview.html", {
        "title": "Check the import",
        "record_section": "transfer",
        "staged": staged,
        "table": table,
        "form": form,
        "plan": plan,
        "preview": preview,
        "target_labels": [TARGET_LABELS[target] for target in targets],
        "tried_import": request.POST.get("action") == "import",
    })


def _shown(day, target: str) -> str:
    """A planned check-in's value for one target, as the preview table shows it."""
    if target == "time":
        return day.when_label
    if target.startswith("severity:"):
        value = day.severity.get(target.split(":", 1)[1])
    else:
        value = getattr(day, target)
    if value is None:
        return "–"
    if target in LIST_TARGETS:
        names = dict(LIST_TARGETS[target])
        return ", ".join(names.get(code, code) for code in value) or "–"
    return str(value)


@patient_view(Access.OWNER)
@require_POST
def diary_import_cancel(request, patient_id: int, import_id: int):
    staged = get_patient_object(request.user, DiaryImport, import_id, Access.OWNER, patient=request.patient)
    staged.delete()
    messages.success(request, f"Cancelled the import of {staged.filename}; nothing was imported.")
    return redirect("records:export", patient_id=patient_id)
