"""The history timeline and the toxin-cycle page."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from torsion.web.accounts.permissions import Access, patient_view
from torsion.web.assessments.services import is_scale_metric
from torsion.web.records.services import UnknownMetric, cycle_chart, cycle_report, today, values_by_cycle
from torsion.web.records.timeline import build_timeline, periods


@patient_view(Access.VIEW)
def history(request, patient_id: int):
    """The record on one time axis, opening on the last twelve months (``?period=`` a year or ``all``)."""
    now = today()
    whole = build_timeline(request.patient, now)
    choices = periods(None if whole.is_empty else whole.start, now)
    period = next((p for p in choices if p.key == request.GET.get("period")), choices[0])
    timeline = whole.window(period.start, period.end)
    return render(request, "records/history.html", {
        "title": "History",
        "record_section": "history",
        "whole": whole,
        "timeline": timeline,
        "periods": choices,
        "period": period,
        "months": timeline.months(),
    })


class CycleSeriesForm(forms.Form):
    metric = forms.ChoiceField(label="Which diary score to follow through each cycle?",
                               widget=forms.RadioSelect(attrs={"class": "choice-buttons"}))

    def __init__(self, *args, metrics: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metrics
        if any(is_scale_metric(metric) for metric, _ in metrics):
            self.fields["metric"].label = "Which diary score or rating scale to follow through each cycle?"


@patient_view(Access.VIEW)
def cycles(request, patient_id: int):
    """Each toxin cycle's response to the injection, overlaid, with its numbers and the comparison."""
    requested = request.GET.get("metric") or "mean"
    try:
        analysis = cycle_report(request.patient, requested)
    except UnknownMetric:
        analysis = cycle_report(request.patient, "mean")
    form = CycleSeriesForm({"metric": requested}, metrics=analysis.metrics)
    form.is_valid()
    return render(request, "records/cycles.html", {
        "title": "Toxin cycles",
        "record_section": "cycles",
        "form": form,
        "analysis": analysis,
        "chart": cycle_chart(analysis),
        "cycles": analysis.report.cycles,
        "comparison": analysis.report.comparison,
        "scale_values": values_by_cycle(analysis) if analysis.is_scale else [],
    })
