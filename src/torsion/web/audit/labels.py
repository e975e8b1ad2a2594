"""How the audit trail names what was reached: the channel (page, API, file, export) and a readable label.

Every patient page has a label here (a test walks the URL map to keep it so); API routes and any
route without a label are named from their function name, so nothing is ever recorded unnamed.
"""

from __future__ import annotations

#: Patient pages by URL name, as the patient reads them in "Who has seen my record".
PAGE_LABELS: dict[str, str] = {
    "core:patient_dashboard": "Overview",
    "records:diary": "Daily check-in",
    "records:diary_day": "Check-in of one day",
    "records:check_in": "Check-in",
    "records:checkin_edit": "Check-in correction",
    "records:reminders": "Reminders",
    "records:diary_regions": "Check-in body regions",
    "records:diary_import": "Diary import",
    "records:diary_import_preview": "Diary import",
    "records:diary_import_cancel": "Diary import",
    "records:export": "Export of the record",
    "records:history": "History and charts",
    "records:cycles": "Injection cycles",
    "records:treatments": "Treatments",
    "records:injection_new": "New injection session",
    "records:injection_detail": "Injection session",
    "records:injection_edit": "Injection session",
    "records:injection_delete": "Injection session (deletion)",
    "records:injection_grid": "Injection dose grid",
    "records:injection_repeat": "New injection session (repeating an earlier one)",
    "records:implant_detail": "Deep brain stimulation",
    "records:programming_new": "Stimulation settings",
    "records:programming_edit": "Stimulation settings",
    "records:programming_delete": "Stimulation settings (deletion)",
    "recordings:list": "Recordings",
    "recordings:capture": "New recording",
    "recordings:detail": "Recording and its results",
    "recordings:video": "Recording file",
    "recordings:delete": "Recording (deletion)",
    "recordings:drawings": "Drawings",
    "recordings:drawing_capture": "New drawing",
    "recordings:drawing_detail": "Drawing and its results",
    "recordings:drawing_delete": "Drawing (deletion)",
    "assessments:index": "Rating scales",
    "assessments:new": "Rating scale (new)",
    "assessments:edit": "Rating scale (draft)",
    "assessments:detail": "Rating scale result",
    "assessments:correct": "Rating scale (correction)",
    "assessments:delete": "Rating scale (deletion)",
    "assessments:history": "Rating scale history",
    "learn:diagnosis": "Diagnosis summary",
    "learn:diagnosis_save": "Diagnosis summary",
    "learn:diagnosis_confirm": "Diagnosis summary (confirmation)",
    "learn:diagnosis_correct": "Diagnosis summary (correction)",
    "learn:diagnosis_new": "Diagnosis summary (new)",
    "audit:access_log": "Who has seen the record",
    "sharing:page": "Sharing",
    "reports:report": "Visit report",
    "reports:pdf": "Visit report (PDF)",
}

#: Label prefixes for the generic treatment routes (``<kind>_new``, ``<kind>_edit``, ``<kind>_delete``).
KIND_SUFFIXES = {"_new": "", "_edit": "", "_delete": " (deletion)"}

_FILE_ROUTES = frozenset({"recordings:video"})
_REPORT_ROUTES = frozenset({"reports:pdf"})
_EXPORT_ROUTES = frozenset({"records:export"})


def channel_of(request, route: str) -> str:
    """The channel of a request: an API call, a recording file, an export, or a page (or a command)."""
    if request is None:
        return "command"
    if route in _FILE_ROUTES:
        return "file"
    if route in _REPORT_ROUTES:
        return "export"
    if route in _EXPORT_ROUTES and (request.method != "GET" or request.GET.get("file")):
        return "export"
    if request.path.startswith("/api/"):
        return "api"
    return "page"


def label(route: str) -> str:
    """The readable name of a route: its entry in the table, else made from its name."""
    if route in PAGE_LABELS:
        return PAGE_LABELS[route]
    name = route.rpartition(":")[2]
    for suffix, extra in KIND_SUFFIXES.items():
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
            return _humanise(name) + extra
    return _humanise(name) if name else "The record"


#: Labels of the pages that delete something end so; the page itself only asks to confirm.
DELETION = " (deletion)"


def describe(route: str, obj, path: str, request=None) -> str:
    """What was reached: the route's label, with the object's kind and date (or number) where there is one.

    A deletion page opened is named as the question it asks, not as a deletion; sent, as the deletion.
    """
    text = label(route) if route else (path or "The record")
    if text.endswith(DELETION) and request is not None:
        asked = request.method in ("GET", "HEAD")
        text = text[: -len(DELETION)] + (", the page asking to confirm a deletion" if asked else " (deleted)")
    if request is not None and route in _EXPORT_ROUTES and request.GET.get("file"):
        text = f"{text}: {request.GET['file'][:40]} file"
    if obj is not None:
        kind = getattr(getattr(obj, "_meta", None), "verbose_name", type(obj).__name__)
        when = _object_date(obj)
        text = f"{text}: {kind} {when}".rstrip() if when else f"{text}: {kind} no. {obj.pk}"
    return text


def _object_date(obj) -> str:
    for field in ("date", "day", "administered_on", "recorded_at", "started_on", "implanted_on", "saved_at",
                  "created_at"):
        value = getattr(obj, field, None)
        if value is not None and hasattr(value, "isoformat"):
            return f"of {value.day} {value:%b %Y}"
    return ""


def _humanise(name: str) -> str:
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
