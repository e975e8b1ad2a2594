from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from torsion.web.accounts.permissions import Access, get_patient_object, patient_view
from torsion.web.recordings import plots
from torsion.web.recordings.forms import UploadForm
from torsion.web.recordings.models import Recording, Status
from torsion.web.recordings.protocols import KINDS, NEUTRAL_SECONDS, task_seconds
from torsion.web.recordings.services import UploadRejected, accept_upload, metric_series
from torsion.web.records.models import ToxinInjection


FACE_FEATURE_LABELS = (("mouth_opening", "Mouth opening"), ("jaw_deviation", "Jaw deviation"),
                       ("lip_pull", "Lip pulling"))


def trends(patient, kind_code: str, *, for_patient: bool = True) -> list[dict]:
    """One chart per metric of the kind's trend tasks (the first task unless named), marked with injection dates;
    ``for_patient`` words the notes for the patient, otherwise for a clinician."""
    kind = KINDS[kind_code]
    injections = list(ToxinInjection.objects.filter(patient=patient).values_list("date", flat=True))
    charts = []
    for task in kind.tasks_in_trends:
        for key, label, unit in kind.metrics:
            points = metric_series(patient, kind.code, task.code, key)
            if injections and points:
                relevant = [d for d in injections if points[0][0] <= d <= points[-1][0]]
            else:
                relevant = []
            chart = plots.trend_chart(f"{label}, {task.title.lower()}", unit, points, relevant,
                                      plots.METRIC_MIN_HALF_SPAN.get(key), for_patient=for_patient)
            if chart:
                charts.append(chart)
    return charts


@patient_view(Access.VIEW)
def recording_list(request, patient_id: int):
    recordings = Recording.objects.filter(patient=request.patient)
    page = Paginator(recordings, 20).get_page(request.GET.get("page"))
    return render(request, "recordings/list.html", {
        "title": "Measurements",
        "record_section": "recordings",
        "kinds": KINDS.values(),
        "page": page,
        "trend_groups": [(kind, trends(request.patient, kind.code, for_patient=request.is_owner))
                         for kind in KINDS.values()],
    })


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def capture(request, patient_id: int, kind: str):
    """The guided recording page; without a camera or JavaScript, the upload form below it works too."""
    if kind not in KINDS:
        raise Http404("No such measurement.")
    info = KINDS[kind]
    form = UploadForm(request.POST if request.method == "POST" else None,
                      request.FILES if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            recording = accept_upload(request.patient, form.cleaned_data["video"], kind=kind,
                                      task=form.cleaned_data["task"])
        except UploadRejected as exc:
            form.add_error("video", str(exc))
        else:
            what = "recording" if info.media == "audio" else "video"
            messages.success(request, f"Your {what} was received and is being analysed.")
            return redirect("recordings:detail", patient_id=patient_id, recording_id=recording.pk)
    tasks = [{"code": t.code, "title": t.title, "seconds": task_seconds(t), "instructions": t.instructions,
              "cues": [{"at_s": c.at_s, "text": c.text} for c in t.cues], "reading_text": t.reading_text}
             for t in info.tasks]
    template = "recordings/capture_voice.html" if info.media == "audio" else "recordings/capture.html"
    return render(request, template, {"title": info.title, "kind": info, "tasks": tasks,
                                      "form": form, "neutral_seconds": NEUTRAL_SECONDS})


@patient_view(Access.VIEW)
def detail(request, patient_id: int, recording_id: int):
    recording = get_patient_object(request.user, Recording, recording_id, patient=request.patient)
    charts = []
    result = recording.result or {}
    series = result.get("series") or {}
    if recording.status == Status.DONE:
        if recording.kind == "head":
            charts.append(plots.traces_chart(
                series, [("yaw_deg", "Rotation (yaw)", "s1"), ("roll_deg", "Tilt (roll)", "s2"),
                         ("pitch_deg", "Forward/back (pitch)", "s3")],
                title="Head angles", y_label="Angle", unit="°", description=(
                    "Head rotation, tilt and forward-backward bend over the recording, in degrees; positive "
                    "rotation is chin toward the right shoulder, positive tilt is right ear down, positive "
                    "pitch is chin down. Gaps are moments when the face was not tracked.")))
            charts.append(plots.spectrum_chart(result.get("tremor", {}).get("spectrum") or {},
                                               [("yaw_deg2_per_hz", "Rotation (yaw)", "s1"),
                                                ("roll_deg2_per_hz", "Tilt (roll)", "s2"),
                                                ("pitch_deg2_per_hz", "Forward/back (pitch)", "s3")]))
        elif recording.kind == "blink":
            charts.append(plots.blink_raster(result))
            charts.append(plots.traces_chart(
                series, [("openness", "Eye openness", "s1")], title="Eye openness", y_label="Openness",
                floor=1.0, description="How open the eyes were over the recording: 1 is the person's usual open "
                                       "level, 0 fully closed. Gaps are moments when the face was not tracked."))
        elif recording.kind == "voice":
            charts += [plots.waveform_chart(result), plots.pitch_chart(result)]
        elif recording.kind == "face":
            for name, label in FACE_FEATURE_LABELS:
                feature = result.get(name) or {}
                band = tuple(feature["resting_range"]) if feature.get("resting_range") else None
                charts.append(plots.traces_chart(
                    series, [(name, label, "s1")], title=label, y_label="Inter-ocular units", band=band, floor=0.05,
                    description=f"{label} over the recording; the shaded band is the resting range."))
    return render(request, "recordings/detail.html", {
        "title": str(recording), "record_section": "recordings", "recording": recording, "result": result,
        "charts": [c for c in charts if c is not None],
        "face_features": FACE_FEATURE_LABELS,
        **(voice_context(recording, result) if recording.kind == "voice" and recording.status == Status.DONE else {}),
    })


def voice_context(recording: Recording, result: dict) -> dict:
    """The voice figures with their references (sources numbered as notes), and how this speech task
    compares with the held vowel."""
    from torsion.measures.voice import compare_tasks

    references = result.get("references") or {}
    rows, sources = [], []
    for key, label, unit, scale, digits in VOICE_FIGURES:
        value = result.get(key)
        if key == "phonatory_breaks":
            if value is None:  # a connected-speech measure only
                continue
            value = value["count"]
        reference = _reference_text(references.get(key), scale, unit)
        if reference is not None:
            if reference["source"] not in sources:
                sources.append(reference["source"])
            reference["note"] = sources.index(reference["source"]) + 1
        rows.append({"label": label, "unit": unit, "value": None if value is None else round(value * scale, digits),
                     "reference": reference})
    contrast = None
    if recording.task != "vowel":
        vowel = (Recording.objects.filter(patient=recording.patient, kind="voice", task="vowel", status=Status.DONE,
                                          recorded_at__lte=recording.recorded_at)
                 .order_by("-recorded_at").first())
        if vowel is not None and vowel.result:
            contrast = {"vowel": vowel, "figures": compare_tasks(vowel.result, result)}
    return {"voice_rows": rows, "voice_sources": sources, "voice_contrast": contrast}


#: (result key, label, unit, factor for display, decimals) of the voice figures on the results page.
VOICE_FIGURES = (
    ("f0_mean_hz", "Average pitch", "Hz", 1, 0),
    ("f0_sd_hz", "Pitch variation (SD)", "Hz", 1, 1),
    ("voice_breaks", "Voice breaks", "", 1, 0),
    ("degree_of_voice_breaks", "Time lost in voice breaks", "%", 100, 1),
    ("phonatory_breaks", "Breaks of 40 ms or longer in speech", "", 1, 0),
    ("unvoiced_fraction", "Moments without voice", "%", 100, 1),
    ("jitter_local", "Jitter (local)", "%", 100, 2),
    ("jitter_rap", "Jitter (RAP)", "%", 100, 2),
    ("jitter_ppq5", "Jitter (PPQ5)", "%", 100, 2),
    ("shimmer_local", "Shimmer (local)", "%", 100, 2),
    ("shimmer_local_db", "Shimmer (local, dB)", "dB", 1, 2),
    ("shimmer_apq3", "Shimmer (APQ3)", "%", 100, 2),
    ("shimmer_apq11", "Shimmer (APQ11)", "%", 100, 2),
    ("hnr_db", "Harmonics-to-noise ratio", "dB", 1, 1),
    ("cpps_db", "Voice clarity (CPPS)", "dB", 1, 1),
)


def _reference_text(reference: dict | None, scale: float, unit: str) -> dict | None:
    if not reference:
        return None

    def show(v: float) -> str:
        return f"{v * scale:g}{' ' + unit if unit else ''}"

    if reference["upper"] == 0:
        bound = f"{show(0)} (none)"
    elif reference["upper"] is not None:
        bound = f"{show(reference['upper'])} or less"
    else:
        bound = f"{show(reference['lower'])} or more"
    return {"bound": bound, "source": reference["source"], "outside": reference["outside"]}


@patient_view(Access.VIEW)
def video(request, patient_id: int, recording_id: int):
    recording = get_patient_object(request.user, Recording, recording_id, patient=request.patient)
    if not recording.video:
        raise Http404("This recording's file was not kept.")
    response = FileResponse(recording.video.open("rb"), content_type=recording.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@patient_view(Access.EDIT)
@require_http_methods(["GET", "POST"])
def delete(request, patient_id: int, recording_id: int):
    recording = get_patient_object(request.user, Recording, recording_id, Access.EDIT, patient=request.patient)
    if request.method == "POST":
        recording.delete()
        messages.success(request, "The recording, its video and its results were deleted.")
        return redirect("recordings:list", patient_id=patient_id)
    return render(request, "recordings/delete.html", {"title": "Delete recording", "record_section": "recordings",
                                                      "recording": recording})


@login_required
def start(request, kind: str):
    """A stable address for "measure this" links in the education pages."""
    if kind not in KINDS:
        raise Http404("No such measurement.")
    if not hasattr(request.user, "patient"):
        messages.info(request, "A measurement belongs to a patient's record: open the patient below, then "
                               "Measurements, to record one with them (your access must allow recording).")
        return redirect("core:dashboard")
    return redirect("recordings:capture", patient_id=request.user.patient.pk, kind=kind)
