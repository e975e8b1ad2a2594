"""The visit report as a printable page and as a PDF, and the patient's points for the next visit."""

from __future__ import annotations

import base64
import dataclasses
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from torsion.reports.visit import chart_png, chart_png_phone, render_pdf
from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.reports.builder import build_visit_report, default_period
from torsion.web.reports.forms import PeriodForm, QuestionForm
from torsion.web.reports.models import VisitQuestion


def _report(request):
    # Without a period asked for, the form shows the default period the report covers.
    form = PeriodForm(request.GET or None, initial=dataclasses.asdict(default_period(request.patient)))
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    return form, build_visit_report(request.patient, data.get("start"), data.get("end"))


def _data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@patient_view(Access.VIEW)
@require_safe
def report_page(request, patient_id: int):
    form, report = _report(request)
    sections = []
    if report is not None:
        for section in report.sections:
            images = [(_data_url(chart_png(chart)), _data_url(chart_png_phone(chart)), chart.title)
                      for chart in section.charts]
            tables = [(table, [list(zip(table.columns, row)) for row in table.rows]) for table in section.tables]
            sections.append((section, images, tables))
    period = default_period(request.patient)
    return render(request, "reports/report.html", {
        "title": "Visit report", "record_section": "report", "form": form, "report": report, "sections": sections,
        "default_start": period.start, "query": request.GET.urlencode(),
    }, status=200 if report is not None else 400)


@patient_view(Access.VIEW)
@require_safe
def report_pdf(request, patient_id: int):
    form, report = _report(request)
    if report is None:
        raise Http404("The period is not valid.")
    buffer = io.BytesIO()
    render_pdf(report, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="torsion-visit-report-{timezone.localdate()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@patient_view(Access.OWNER)
@require_http_methods(["GET", "POST"])
def questions(request, patient_id: int):
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.patient = request.patient
        question.save()
        messages.success(request, "Noted for your next visit.")
        return redirect("reports:questions", patient_id=patient_id)
    return render(request, "reports/questions.html", {
        "title": "For your next visit", "record_section": "report", "form": form,
        "open": VisitQuestion.objects.filter(patient=request.patient, discussed_at__isnull=True),
        "done": VisitQuestion.objects.filter(patient=request.patient, discussed_at__isnull=False).order_by(
            "-discussed_at")[:20],
    }, status=400 if request.method == "POST" else 200)


@patient_view(Access.OWNER)
@require_POST
def question_done(request, patient_id: int, question_id: int):
    question = get_patient_object(request.user, VisitQuestion, question_id, Access.OWNER, patient=request.patient)
    question.discussed_at = timezone.now()
    question.save(update_fields=["discussed_at"])
    return redirect("reports:questions", patient_id=patient_id)
