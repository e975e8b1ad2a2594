"""Pages for drawings: the drawing page, the screen-size calibration, results and trends."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.recordings import plots_drawing
from torsion.web.recordings.models import Status
from torsion.web.recordings.models_drawing import Drawing, DrawingTask, Hand, PointerCalibration
from torsion.web.recordings.services_drawing import (
    TASKS,
    WRITING_REPEATS,
    WRITING_SENTENCE,
    metric_series,
    metrics_of,
    stored_samples,
)
from torsion.web.records.models import MedicationCourse, ToxinInjection

#: Cookie naming this browser on this device, for its screen calibration.
DEVICE_COOKIE = "torsion_device"
#: Long side of an ID-1 card (bank card, identity card, driving licence), millimetres.
CARD_LONG_SIDE_MM = 85.60
CARD_SHORT_SIDE_MM = 53.98


def device_key(request) -> str | None:
    key = request.COOKIES.get(DEVICE_COOKIE, "")
    return key if 16 <= len(key) <= 64 and key.isalnum() else None


def _with_device_cookie(request, response, key: str):
    if device_key(request) != key:
        response.set_cookie(DEVICE_COOKIE, key, max_age=5 * 365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure())
    return response


def calibration_for(request) -> PointerCalibration | None:
    key = device_key(request)
    if key is None:
        return None
    return PointerCalibration.objects.filter(user=request.user, device_key=key).first()


def treatment_dates(patient) -> plots_drawing.TreatmentDates:
    injections = list(ToxinInjection.objects.filter(patient=patient).values_list("date", flat=True))
    medicines = []
    for course in MedicationCourse.objects.filter(patient=patient):
        medicines.append((course.start, f"Started {course}"))
        if course.stop:
            medicines.append((course.stop, f"Stopped {course}"))
    return plots_drawing.TreatmentDates(injections=injections, medicines=medicines)


def drawing_trends(patient, *, first_only: bool = False, for_patient: bool = True) -> list:
    """Trend charts per task and metric, right and left hand apart, in millimetres and (apart) pixels;
    ``for_patient`` words the notes for the patient, otherwise for a clinician."""
    dates = treatment_dates(patient)
    charts = []
    groups = [("Spirals", (DrawingTask.SPIRAL, DrawingTask.SPIRAL_TRACED)), ("Lines", (DrawingTask.LINE,)),
              ("Handwriting", (DrawingTask.WRITING,))]
    for group, tasks in groups:
        for metric in metrics_of(tasks[0])[: 1 if first_only else None]:
            for unit in ("mm", "px"):
                key = metric.key.format(u=unit)
                if unit == "px" and key == metric.key:
                    continue  # a metric without a length needs no second chart
                points = {hand: metric_series(patient, tasks, hand, key) for hand in Hand.values}
                title = f"{group}: {metric.label[0].lower()}{metric.label[1:]}"
                if unit == "px" and "{u}" in metric.key:
                    title += " (screen pixels, uncalibrated)"
                chart = plots_drawing.hands_trend_chart(title, metric.unit.format(u=unit), points, dates,
                                                        for_patient=for_patient)
                if chart:
                    charts.append(plots_drawing.trend_figure(chart))
    return charts


@login_required
def start(request):
    """A stable address for "draw a spiral" links in the education pages."""
    if not hasattr(request.user, "patient"):
        messages.info(request, "Drawings are made from a patient account.")
        return redirect("core:dashboard")
    return redirect("recordings:drawing_capture", patient_id=request.user.patient.pk)


@patient_view(Access.EDIT)
def capture(request, patient_id: int):
    """The drawing page; the canvas works with a stylus, a finger or a mouse."""
    calibration = calibration_for(request)
    task = request.GET.get("task") if request.GET.get("task") in TASKS else DrawingTask.SPIRAL
    hand = request.GET.get("hand") if request.GET.get("hand") in Hand.values else ""
    key = device_key(request) or secrets.token_hex(16)
    response = render(request, "recordings/drawing_capture.html", {
        "title": "Drawing and handwriting",
        "tasks": TASKS.values(),
        "selected_task": task,
        "selected_hand": hand,
        "hands": Hand.choices,
        "calibration": calibration,
        "sentence": WRITING_SENTENCE,
        "repeats": WRITING_REPEATS,
        "calibrate_url": f"{reverse('recordings:screen_size')}?next={request.path}",
    })
    return _with_device_cookie(request, response, key)


@patient_view(Access.VIEW)
def drawing_list(request, patient_id: int):
    drawings = Drawing.objects.filter(patient=request.patient)
    page = Paginator(drawings, 20).get_page(request.GET.get("page"))
    return render(request, "recordings/drawing_list.html", {
        "title": "Drawings",
        "record_section": "drawings",
        "page": page,
        "trends": drawing_trends(request.patient, for_patient=request.is_owner),
    })


def result_rows(drawing: Drawing, result: dict) -> list[tuple[str, str, str]]:
    """(label, value, unit) for the numbers panel of a result."""
    u = result.get("unit", drawing.unit)
    unit_name = "mm" if u == "mm" else "px"

    def number(key, digits=1):
        value = result.get(key.format(u=u))
        return "–" if value is None else f"{value:.{digits}f}"

    rows = [("Drawing time", number("duration_s"), "s")]
    if result["task"] == "spiral":
        tremor = result.get("tremor") or {}
        rows += [
            ("Tremor", _tremor_text(tremor, u), ""),
            ("Speed", number("mean_speed_{u}_s"), f"{unit_name}/s"),
            ("Turns", number("turns"), ""),
            ("Loop spacing", number("tightness"), f"{unit_name} per turn"),
            ("Loop spacing variability", _percent(result.get("tightness_variability")), "%"),
            ("Radial deviation", number("radial_deviation_{u}", 2), unit_name),
            ("First-order smoothness", number("first_order_smoothness", 2), f"{unit_name}/rad"),
            ("Second-order smoothness", number("second_order_smoothness", 1), f"{unit_name}/rad²"),
            ("Zero crossings", number("zero_crossing_rate_hz"), "per s"),
            ("Pen lifts", str(result.get("pen_lifts", 0)), ""),
        ]
        if result.get(f"template_deviation_{u}") is not None:
            rows.append(("Distance from the guide", number("template_deviation_{u}", 2), unit_name))
    elif result["task"] == "line":
        rows += [
            ("Tremor", _tremor_text(result.get("tremor") or {}, u), ""),
            ("Speed", number("mean_speed_{u}_s"), f"{unit_name}/s"),
            ("Length", number("length_{u}"), unit_name),
            ("Deviation from straight", number("deviation_{u}", 2), unit_name),
            ("Straightness", _percent(result.get("straightness")), "%"),
            ("Pen lifts", str(result.get("pen_lifts", 0)), ""),
        ]
    else:
        rows += [
            ("Strokes", str(result.get("strokes")), ""),
            ("Stroke frequency", number("stroke_frequency_hz"), "Hz"),
            ("Velocity inversions per stroke", number("niv_per_stroke", 2), ""),
            ("Pen lifts", str(result.get("pen_lifts", 0)), ""),
            ("Time on the surface", number("on_surface_s"), "s"),
            ("Time in the air", number("in_air_s"), "s"),
            ("Speed", number("mean_speed_{u}_s"), f"{unit_name}/s"),
            ("Stroke height", number("mean_stroke_height_{u}", 1), unit_name),
            ("Normalised jerk", number("normalized_jerk"), ""),
            ("Pressure", "not measured by this device" if result.get("mean_pressure") is None
             else f"{result['mean_pressure']:.2f}", "" if result.get("mean_pressure") is None else "of 1"),
            ("Pressure variability", _percent(result.get("pressure_variability")), "%"),
        ]
    return rows


def _percent(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}"


def _tremor_text(tremor: dict, unit: str) -> str:
    if tremor.get("detected") is None:
        return "too little drawing to tell"
    if not tremor.get("detected"):
        return "none detected"
    return f"{tremor['peak_frequency_hz']:.1f} Hz, {tremor[f'amplitude_{unit}']:.2f} {unit} peak to peak"


def metric_rows(drawing) -> list[tuple[str, str, str]]:
    """The trend numbers alone, for results restored from an export that carries no full result."""
    rows = []
    for metric in metrics_of(drawing.task):
        for unit in ("mm", "px"):
            key = metric.key.format(u=unit)
            if key in drawing.metrics:
                rows.append((metric.label, f"{drawing.metrics[key]:.2f}", metric.unit.format(u=unit)))
                break
    return rows


@patient_view(Access.VIEW)
def drawing_detail(request, patient_id: int, drawing_id: int):
    drawing = get_patient_object(request.user, Drawing, drawing_id, patient=request.patient)
    result = drawing.result or {}
    document = stored_samples(drawing)
    charts = []
    if drawing.status == Status.DONE and result:
        charts = [plots_drawing.unravelled_chart(result), plots_drawing.departure_chart(result),
                  plots_drawing.spectrum_chart(result)]
    replay = {k: document.get(k) for k in ("t_s", "x", "y", "pen_down")}
    replay["canvas"] = document.get("canvas") or {}
    return render(request, "recordings/drawing_detail.html", {
        "title": str(drawing),
        "record_section": "drawings",
        "drawing": drawing,
        "result": result,
        "rows": (result_rows(drawing, result) if result else metric_rows(drawing))
        if drawing.status == Status.DONE else [],
        # The page says prominently when lengths are in pixels; the measure's own note would repeat it.
        "notes": [w for w in result.get("warnings", []) if not w.startswith("Lengths are in screen pixels")],
        "charts": [c for c in charts if c is not None],
        "picture": plots_drawing.drawing_svg(document, label=f"The drawing: {drawing}") if document else "",
        "replay": replay,
        "sentence": WRITING_SENTENCE,
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def drawing_delete(request, patient_id: int, drawing_id: int):
    drawing = get_patient_object(request.user, Drawing, drawing_id, Access.EDIT, patient=request.patient)
    if request.method == "POST":
        drawing.delete()
        messages.success(request, "The drawing and its results were deleted.")
        return redirect("recordings:drawings", patient_id=patient_id)
    return render(request, "recordings/drawing_delete.html", {"title": "Delete drawing", "record_section": "drawings",
                                                              "drawing": drawing})


class ScreenSizeForm(forms.Form):
    card_width_px = forms.FloatField(
        label="Length of the card on the screen", min_value=100, max_value=2600,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
        help_text="In screen pixels; the slider above sets it.")
    device_label = forms.CharField(max_length=120, required=False, widget=forms.HiddenInput)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def screen_size(request):
    """Match a bar on the screen to a bank card, so that drawings on this device are measured in millimetres."""
    key = device_key(request) or secrets.token_hex(16)
    existing = PointerCalibration.objects.filter(user=request.user, device_key=key).first()
    fallback = reverse("recordings:drawing_start") if hasattr(request.user, "patient") else reverse("core:dashboard")
    next_url = _safe_next(request, fallback)
    initial = {"card_width_px": round(existing.px_per_mm * CARD_LONG_SIDE_MM, 1) if existing else 324.0}
    form = ScreenSizeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("forget") and existing:
            existing.delete()
            messages.success(request, "This screen's size was forgotten; drawings on it are measured in pixels.")
            return _with_device_cookie(request, redirect(next_url), key)
        if form.is_valid():
            PointerCalibration.objects.update_or_create(
                user=request.user, device_key=key,
                defaults={"px_per_mm": form.cleaned_data["card_width_px"] / CARD_LONG_SIDE_MM,
                          "device_label": form.cleaned_data["device_label"][:120]})
            messages.success(request, "This screen is calibrated: drawings made on it are measured in millimetres.")
            return _with_device_cookie(request, redirect(next_url), key)
    response = render(request, "recordings/drawing_screen_size.html", {
        "title": "Screen size", "form": form, "calibration": existing, "next": next_url,
        "card_long_mm": CARD_LONG_SIDE_MM, "card_short_mm": CARD_SHORT_SIDE_MM,
    })
    return _with_device_cookie(request, response, key)
