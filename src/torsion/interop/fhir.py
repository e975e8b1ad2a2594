"""HL7 FHIR R4 for a Torsion record: a record document to a Bundle, and a Bundle back to a document.

Pure Python on plain dictionaries (the record document of :mod:`torsion.web.exchange.document`);
every resource is checked with the ``fhir.resources`` models of FHIR R4B (4.3.0), whose Patient,
Condition, Observation, MedicationAdministration, MedicationStatement, Procedure, AdverseEvent,
CodeSystem, Questionnaire and QuestionnaireResponse are those of R4 (4.0.1): the release that
carries plain R4 models needs pydantic 1, which the rest of Torsion cannot use.

What goes where:

============================  =================================================================
Torsion                       FHIR
============================  =================================================================
the person                    Patient (identifier: the user name)
diagnosis summary             Condition: ICD-10-CM codes, onset age, verification status, the
                              assistant's facts in an extension so the summary can be rebuilt
diary check-in                one Observation per score (day and body region, pain, limitation),
                              coded in Torsion's diary code system, declared once as a CodeSystem
recording with results        an Observation panel per recording with one member Observation per
                              number, in UCUM units
scale administration          QuestionnaireResponse, with a Questionnaire per scale ("amended" once
                              a saved one was corrected; the earlier versions stay in the export)
toxin session                 a Procedure for the session, and one MedicationAdministration per
                              injected muscle (product, dose in the product's own units, muscle,
                              side), part of that Procedure
oral medicine course          MedicationStatement
DBS implant, programming,     Procedure (programming as part of its implant)
surgery
therapy session               Procedure coded in Torsion's therapy code system (declared as a
                              CodeSystem): the day as performedDateTime, the minutes in a
                              ``duration`` extension, the therapist as performer.actor.display
side effect                   AdverseEvent ("actual"): the kind coded in Torsion's side-effect code
                              system (declared as a CodeSystem) with the person's description as
                              its text, date = onset, severity in HL7's adverse-event-severity
                              codes, the days in a ``duration`` extension, and the treatment it
                              followed as suspectEntity.instance (the toxin session's Procedure,
                              the MedicationStatement, or the implant's or surgery's Procedure)
============================  =================================================================

A duration is an extension of FHIR type Duration (UCUM ``min`` or ``d``) because R4 has no element
for it: a therapy session's ``performedPeriod`` would need clock times, with a time zone, that
Torsion does not keep, and AdverseEvent has no end or duration at all.

The conversion back refuses a Bundle with any invalid resource, any reference that does not
resolve inside the Bundle, or any code Torsion does not know, naming the resource and the field.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from torsion.clinical import catalogue, checkins

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"

BASE = "urn:torsion:fhir:"
USERNAME = BASE + "username"
DIARY = BASE + "CodeSystem:diary-item"
MEASURE = BASE + "CodeSystem:measure"
RECORDING_KIND = BASE + "CodeSystem:recording-kind"
DRAWING_TASK = BASE + "CodeSystem:drawing-task"
HAND = BASE + "CodeSystem:hand"
PRODUCT = BASE + "CodeSystem:toxin-product"
MUSCLE = BASE + "CodeSystem:muscle"
DRUG = BASE + "CodeSystem:oral-medicine"
PROCEDURE = BASE + "CodeSystem:procedure"
DBS_TARGET = BASE + "CodeSystem:dbs-target"
GUIDANCE = BASE + "CodeSystem:injection-guidance"
THERAPY = BASE + "CodeSystem:therapy"
SIDE_EFFECT = BASE + "CodeSystem:side-effect"
SCALE = BASE + "Questionnaire:"
EXT = BASE + "extension:"

#: SNOMED CT laterality qualifiers and the intramuscular route.
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right"), "bilateral": ("51440002", "Bilateral")}
INTRAMUSCULAR = ("78421000", "Intramuscular route")

DOSE_UCUM = {"mg": "mg", "mcg": "ug", "ml": "mL", "tablet": "{tablet}"}
TOXIN_UNIT = ("units", "{U}")  # product-specific biological units: an annotation, never converted

#: Torsion's side-effect grades in HL7's adverse-event-severity codes (R4 binds AdverseEvent.severity
#: to exactly these three); a grade with no code here would need its own extension.
SEVERITY = {"mild": ("mild", "Mild"), "moderate": ("moderate", "Moderate"), "severe": ("severe", "Severe")}
if set(SEVERITY) != set(dict(catalogue.SEVERITY_GRADES)):  # pragma: no cover - a change to the catalogue
    raise RuntimeError("Every side-effect grade of the catalogue needs its FHIR severity code in fhir.SEVERITY.")

NAMESPACE = uuid.UUID("5f1c0b8e-6d0a-4c53-9a7e-3d6f0a9c2e11")


class FhirError(ValueError):
    """A Bundle that cannot be read; ``problems`` name the resource and field of each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else ""))
        self.problems = problems


@dataclass(frozen=True)
class Vocabulary:
    """What the caller's site knows beyond the catalogue: body regions, recording kinds and scales."""

    regions: dict[str, str]  # code -> label
    check_in_periods: tuple[str, ...] = tuple(checkins.PERIOD_LABELS)
    recording_kinds: dict[str, str] = field(default_factory=dict)  # code -> label
    drawing_tasks: dict[str, str] = field(default_factory=dict)  # code -> label
    hands: dict[str, str] = field(default_factory=dict)  # code -> label
    scales: dict[str, dict] = field(default_factory=dict)  # id -> {"name", "version", "items": [{"id","label"}]}

    def diary_items(self) -> dict[str, str]:
        items = {f"severity-{code}": f"Severity: {label}" for code, label in self.regions.items()}
        items.update({"pain": "Pain", "limitation": "Limitation of daily activities", "note": "Diary note"})
        return items


def _full_url(kind: str, ident: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}/{ident}')}"


def _ref(kind: str, ident: str) -> dict:
    return {"reference": _full_url(kind, _fhir_id(ident))}


def _fhir_id(ident: str) -> str:
    """A FHIR id: letters, digits, '-' and '.', at most 64 characters."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-.") else "-" for c in ident)
    return cleaned if len(cleaned) <= 64 else cleaned[:55] + "-" + uuid.uuid5(NAMESPACE, ident).hex[:8]


def _coding(system: str, code: str, display: str | None = None) -> dict:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _quantity(value, unit: str, code: str) -> dict:
    return {"value": _number(value), "unit": unit, "system": UCUM, "code": code}


def _number(value):
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _ext(name: str, **value) -> dict:
    return {"url": EXT + name, **value}


def measure_unit(key: str) -> tuple[str, str]:
    """(unit shown, UCUM code) of a recording's number, from the ending of its key."""
    if "smoothness" in key:
        return ("mm/rad", "mm/rad") if key.endswith("_mm") else ("px/rad", "{px}/rad")
    for ending, unit in (("_deg", ("°", "deg")), ("_hz", ("Hz", "Hz")), ("_per_min", ("/min", "/min")),
                         ("_percent", ("%", "%")), ("_mm_s", ("mm/s", "mm/s")), ("_px_s", ("px/s", "{px}/s")),
                         ("_s", ("s", "s")), ("_mm", ("mm", "mm")), ("_px", ("px", "{px}")), ("_db", ("dB", "dB"))):
        if key.endswith(ending):
            return unit
    return ("1", "1")


# --- Record document -> Bundle ------------------------------------------------------------------

def bundle_from_document(document: dict, vocabulary: Vocabulary) -> dict:
    """A FHIR ``collection`` Bundle of the whole record, every resource checked against the R4 models."""
    tables = document["tables"]
    entries: list[tuple[str, str, dict]] = []  # (resourceType, id, resource)
    patient_ref = _ref("Patient", "patient")

    def add(kind: str, ident: str, resource: dict) -> None:
        ident = _fhir_id(ident)
        entries.append((kind, ident, {"resourceType": kind, "id": ident, **resource}))

    add("CodeSystem", "diary-items", _code_system(DIARY, "TorsionDiaryItems", "Torsion diary items",
                                                  vocabulary.diary_items()))
    if tables.get("records.therapysession"):
        add("CodeSystem", "therapies", _code_system(THERAPY, "TorsionTherapies", "Torsion therapies",
                                                    dict(catalogue.THERAPIES)))
    if tables.get("records.adverseevent"):
        add("CodeSystem", "side-effects", _code_system(SIDE_EFFECT, "TorsionSideEffects", "Torsion side effects",
                                                       dict(catalogue.ADVERSE_EVENTS)))
    person = document["patient"]
    patient = {"identifier": [{"system": USERNAME, "value": person["username"]}],
               "name": [{"text": person.get("display_name") or " ".join(
                   p for p in (person.get("first_name"), person.get("last_name")) if p) or person["username"]}]}
    if person.get("date_of_birth"):
        patient["birthDate"] = person["date_of_birth"]
    if person.get("email"):
        patient["telecom"] = [{"system": "email", "value": person["email"]}]
    add("Patient", "patient", patient)

    for row in tables.get("learn.diagnosissummary", []):
        add("Condition", f"diagnosis-{row['id']}", _condition(row, patient_ref))

    for row in tables.get("records.diaryentry", []):
        for code, value in _diary_values(row):
            ident = f"diary-{row['id']}-{code}"
            observation = {"status": "final",
                           "category": [{"coding": [_coding(OBS_CATEGORY, "survey", "Survey")]}],
                           "code": {"coding": [_coding(DIARY, code, vocabulary.diary_items().get(code))]},
                           "subject": patient_ref, "effectiveDateTime": row["date"],
                           "extension": _check_in_extensions(row)}
            if code == "note":
                observation["valueString"] = value
            else:
                observation["valueQuantity"] = _quantity(value, "score", "{score}")
            add("Observation", ident, observation)

    def add_panel(prefix: str, row: dict, code: dict, **details) -> None:
        """A recording or drawing with results: one Observation per number, gathered by a panel Observation."""
        metrics = row.get("metrics") or {}
        if row.get("status") != "done" or not metrics:
            return
        exam = [{"coding": [_coding(OBS_CATEGORY, "exam", "Exam")]}]
        members = []
        for key in sorted(metrics):
            ident = f"{prefix}-{row['id']}-{key}"
            unit, ucum = measure_unit(key)
            add("Observation", ident, {
                "status": "final", "category": exam, "code": {"coding": [_coding(MEASURE, key)]},
                "subject": patient_ref, "effectiveDateTime": row["recorded_at"],
                "valueQuantity": _quantity(metrics[key], unit, ucum)})
            members.append(_ref("Observation", ident))
        add("Observation", f"{prefix}-{row['id']}", {
            "status": "final", "category": exam, "code": code, "subject": patient_ref,
            "effectiveDateTime": row["recorded_at"], "hasMember": members, **details})

    for row in tables.get("recordings.recording", []):
        add_panel("recording", row, {"coding": [_coding(RECORDING_KIND, row["kind"],
                                                        vocabulary.recording_kinds.get(row["kind"]))]},
                  method={"text": row["task"]})
    for row in tables.get("recordings.drawing", []):
        scale = ({"extension": [_ext("screen-px-per-mm", valueDecimal=_number(row["px_per_mm"]))]}
                 if row.get("px_per_mm") else {})
        add_panel("drawing", row, {"coding": [_coding(DRAWING_TASK, row["task"],
                                                      vocabulary.drawing_tasks.get(row["task"]))]},
                  bodySite={"coding": [_coding(HAND, row["hand"], vocabulary.hands.get(row["hand"]))]},
                  method={"text": row.get("pointer_type") or "unknown"}, **scale)

    for scale_id in sorted({row["scale"] for row in tables.get("assessments.scaleadministration", [])}):
        add("Questionnaire", f"scale-{scale_id}", _questionnaire(scale_id, vocabulary))
    corrected = {row["administration"] for row in tables.get("assessments.scalecorrection", [])}
    for row in tables.get("assessments.scaleadministration", []):
        add("QuestionnaireResponse", f"scale-response-{row['id']}",
            _questionnaire_response(row, patient_ref, amended=row["id"] in corrected))

    lines_by_session: dict[int, list[dict]] = {}
    for line in tables.get("records.injectionline", []):
        lines_by_session.setdefault(line["injection"], []).append(line)
    for session in tables.get("records.toxininjection", []):
        ident = f"toxin-session-{session['id']}"
        add("Procedure", ident, _toxin_session(session, patient_ref))
        for line in lines_by_session.get(session["id"], []):
            add("MedicationAdministration", f"toxin-{line['id']}",
                _administration(session, line, patient_ref, _ref("Procedure", ident)))

    for row in tables.get("records.medicationcourse", []):
        add("MedicationStatement", f"medicine-{row['id']}", _medication_statement(row, patient_ref))
    for row in tables.get("records.dbsimplant", []):
        add("Procedure", f"dbs-implant-{row['id']}", _dbs_implant(row, patient_ref))
    for row in tables.get("records.dbsprogramming", []):
        add("Procedure", f"dbs-programming-{row['id']}", {
            "status": "completed", "code": {"coding": [_coding(PROCEDURE, "dbs-programming",
                                                                "Deep brain stimulation programming")]},
            "subject": patient_ref, "performedDateTime": row["date"],
            "partOf": [_ref("Procedure", f"dbs-implant-{row['implant']}")],
            "extension": [_ext("dbs-settings", valueString=json.dumps(row.get("settings") or {}, sort_keys=True))],
            **({"note": [{"text": row["notes"]}]} if row.get("notes") else {})})
    for row in tables.get("records.procedure", []):
        resource = {"status": "completed",
                    "code": {"coding": [_coding(PROCEDURE, row["kind"], dict(catalogue.PROCEDURES).get(row["kind"]))]},
                    "subject": patient_ref, "performedDateTime": row["date"]}
        if row.get("details"):
            resource["extension"] = [_ext("procedure-details", valueString=row["details"])]
        if row.get("notes"):
            resource["note"] = [{"text": row["notes"]}]
        add("Procedure", f"procedure-{row['id']}", resource)
    for row in tables.get("records.therapysession", []):
        add("Procedure", f"therapy-{row['id']}", _therapy_session(row, patient_ref))
    for row in tables.get("records.adverseevent", []):
        add("AdverseEvent", f"side-effect-{row['id']}", _adverse_event(row, patient_ref))

    bundle = {"resourceType": "Bundle", "type": "collection", "timestamp": document.get("exported_at"),
              "entry": [{"fullUrl": _full_url(kind, ident), "resource": resource} for kind, ident, resource in entries]}
    if not bundle["timestamp"]:
        del bundle["timestamp"]
    problems = validate_bundle(bundle)
    if problems:  # a mapping mistake of this module, never the person's data
        raise FhirError(problems)
    return bundle


def _code_system(url: str, name: str, title: str, concepts: dict[str, str]) -> dict:
    return {"url": url, "name": name, "title": title, "status": "active", "content": "complete",
            "concept": [{"code": code, "display": display} for code, display in concepts.items()]}


def _check_in_extensions(row: dict) -> list[dict]:
    """Which check-in of the day a score belongs to: its part of the day and, where kept, its clock time.

    The day is the Observation's ``effectiveDateTime``; a clock time goes in an extension of FHIR type
    ``time`` rather than in a dateTime, which would need a time zone the diary does not keep.
    """
    extensions = [_ext("check-in-period", valueCode=row.get("period") or "day")]
    if row.get("time"):
        extensions.append(_ext("check-in-time", valueTime=str(row["time"])[:8]))
    return extensions


def _diary_values(row: dict) -> Iterable[tuple[str, object]]:
    for region, score in sorted((row.get("severity") or {}).items()):
        yield f"severity-{region}", score
    for key in ("pain", "limitation"):
        if row.get(key) is not None:
            yield key, row[key]
    if row.get("note"):
        yield "note", row["note"]


def _condition(row: dict, patient_ref: dict) -> dict:
    result = row.get("result") or {}
    status = row.get("status")
    condition = {
        "clinicalStatus": {"coding": [_coding(CLINICAL, "active", "Active")]},
        "verificationStatus": {"coding": [_coding(VERIFICATION, *(("confirmed", "Confirmed") if status in (
            "confirmed", "clinician") else ("provisional", "Provisional")))]},
        "code": {"coding": [_coding(ICD10CM, c["code"], c.get("title")) for c in result.get("icd10_codes", [])],
                 "text": ", ".join(result.get("forms", [])) or "Dystonia"},
        "subject": patient_ref,
        "extension": [_ext("classification-facts", valueString=json.dumps(row.get("facts") or {}, sort_keys=True)),
                      _ext("diagnosis-status", valueCode=status or "self_reported")],
    }
    if result.get("onset_age_years") is not None:
        condition["onsetAge"] = {"value": _number(result["onset_age_years"]), "unit": "years", "system": UCUM,
                                 "code": "a"}
    if row.get("saved_at"):
        condition["recordedDate"] = row["saved_at"]
    notes = [text for text in (row.get("examination_findings"), row.get("clinician_note")) if text]
    if row.get("examination_findings"):
        condition["extension"].append(_ext("examination-findings", valueString=row["examination_findings"]))
    if row.get("clinician_note"):
        condition["extension"].append(_ext("clinician-note", valueString=row["clinician_note"]))
    if notes:
        condition["note"] = [{"text": text} for text in notes]
    return condition


def _toxin_session(session: dict, patient_ref: dict) -> dict:
    extensions = [_ext("injection-guidance", valueCoding=_coding(
        GUIDANCE, session.get("guidance") or "none", dict(catalogue.INJECTION_GUIDANCE).get(session.get("guidance"))))]
    if session.get("lot_number"):
        extensions.append(_ext("lot-number", valueString=session["lot_number"]))
    if session.get("dilution_units_per_ml"):
        extensions.append(_ext("dilution-units-per-ml", valueDecimal=_number(session["dilution_units_per_ml"])))
    resource = {"status": "completed",
                "code": {"coding": [_coding(PROCEDURE, "toxin-injection", "Botulinum toxin injection session")]},
                "subject": patient_ref, "performedDateTime": session["date"], "extension": extensions}
    if session.get("injector"):
        resource["performer"] = [{"actor": {"display": session["injector"]}}]
    if session.get("notes"):
        resource["note"] = [{"text": session["notes"]}]
    return resource


def _administration(session: dict, line: dict, patient_ref: dict, session_ref: dict) -> dict:
    product = session["product"]
    muscle = line["muscle"]
    site = {"coding": [_coding(MUSCLE, muscle, catalogue.MUSCLE_LABELS.get(muscle))],
            "text": line.get("muscle_other") or catalogue.MUSCLE_LABELS.get(muscle, muscle)}
    side = line.get("side")
    if side in LATERALITY:
        site["extension"] = [_ext("laterality", valueCoding=_coding(SNOMED, *LATERALITY[side]))]
    elif side:
        site["extension"] = [_ext("laterality", valueCoding=_coding(BASE + "CodeSystem:side", side))]
    return {
        "status": "completed",
        "medicationCodeableConcept": {"coding": [_coding(PRODUCT, product, dict(catalogue.TOXIN_PRODUCTS).get(product))],
                                      "text": session.get("product_other") or dict(catalogue.TOXIN_PRODUCTS).get(product,
                                                                                                              product)},
        "subject": patient_ref, "effectiveDateTime": session["date"], "partOf": [session_ref],
        "dosage": {"site": site, "route": {"coding": [_coding(SNOMED, *INTRAMUSCULAR)]},
                   "dose": _quantity(line["units"], *TOXIN_UNIT)},
        "extension": [_ext("injection-sites", valueInteger=int(line.get("sites") or 1))],
    }


def _medication_statement(row: dict, patient_ref: dict) -> dict:
    drug = row["drug"]
    unit = row.get("dose_unit") or "mg"
    statement = {
        "status": "completed" if row.get("stop") else "active",
        "medicationCodeableConcept": {"coding": [_coding(DRUG, drug, dict(catalogue.ORAL_DRUGS).get(drug))],
                                      "text": row.get("drug_other") or dict(catalogue.ORAL_DRUGS).get(drug, drug)},
        "subject": patient_ref,
        "effectivePeriod": {"start": row["start"], **({"end": row["stop"]} if row.get("stop") else {})},
        "dosage": [{"timing": {"repeat": {"frequency": int(row.get("times_per_day") or 1), "period": 1,
                                          "periodUnit": "d"}},
                    "doseAndRate": [{"doseQuantity": _quantity(row["dose_amount"], dict(catalogue.DOSE_UNITS).get(
                        unit, unit), DOSE_UCUM.get(unit, "1"))}],
                    **({"text": row["schedule_note"]} if row.get("schedule_note") else {})}],
    }
    if row.get("stop_reason"):
        statement["statusReason"] = [{"text": row["stop_reason"]}]
    if row.get("side_effects"):
        statement["note"] = [{"text": row["side_effects"]}]
    return statement


def _dbs_implant(row: dict, patient_ref: dict) -> dict:
    target = row["target"]
    resource = {
        "status": "completed",
        "code": {"coding": [_coding(PROCEDURE, "dbs-implantation", "Deep brain stimulation implantation")]},
        "subject": patient_ref, "performedDateTime": row["implant_date"],
        "bodySite": [{"coding": [_coding(DBS_TARGET, target, dict(catalogue.DBS_TARGETS).get(target))],
                      "text": row.get("target_other") or dict(catalogue.DBS_TARGETS).get(target, target),
                      **({"extension": [_ext("laterality", valueCoding=_coding(SNOMED, *LATERALITY[row["side"]]))]}
                         if row.get("side") in LATERALITY else {})}],
    }
    if row.get("device"):
        resource["extension"] = [_ext("device", valueString=row["device"])]
    if row.get("notes"):
        resource["note"] = [{"text": row["notes"]}]
    return resource


def _duration(value, unit: str, ucum: str) -> dict:
    """A duration as an extension of FHIR type Duration (see the module docstring for why)."""
    return _ext("duration", valueDuration=_quantity(value, unit, ucum))


def _therapy_session(row: dict, patient_ref: dict) -> dict:
    kind = row["kind"]
    resource = {"status": "completed",
                "code": {"coding": [_coding(THERAPY, kind, dict(catalogue.THERAPIES).get(kind))]},
                "subject": patient_ref, "performedDateTime": row["date"]}
    if row.get("duration_min") is not None:
        resource["extension"] = [_duration(row["duration_min"], "min", "min")]
    if row.get("therapist"):
        resource["performer"] = [{"actor": {"display": row["therapist"]}}]
    if row.get("notes"):
        resource["note"] = [{"text": row["notes"]}]
    return resource


#: The treatments a side effect can follow: the side effect's field, and the treatment's resource and id.
TREATMENTS = {"injection": ("Procedure", "toxin-session"), "medication": ("MedicationStatement", "medicine"),
              "dbs_implant": ("Procedure", "dbs-implant"), "procedure": ("Procedure", "procedure")}


def _adverse_event(row: dict, patient_ref: dict) -> dict:
    kind = row["kind"]
    event = {"coding": [_coding(SIDE_EFFECT, kind, dict(catalogue.ADVERSE_EVENTS).get(kind))]}
    if row.get("description"):
        event["text"] = row["description"]
    resource = {"actuality": "actual", "event": event, "subject": patient_ref, "date": row["onset"],
                "severity": {"coding": [_coding(AE_SEVERITY, *SEVERITY[row["severity"]])]}}
    if row.get("duration_days") is not None:
        resource["extension"] = [_duration(row["duration_days"], "days", "d")]
    suspects = [{"instance": _ref(resource_type, f"{prefix}-{row[name]}")}
                for name, (resource_type, prefix) in TREATMENTS.items() if row.get(name) is not None]
    if suspects:
        resource["suspectEntity"] = suspects
    return resource


def _questionnaire(scale_id: str, vocabulary: Vocabulary) -> dict:
    scale = vocabulary.scales.get(scale_id, {"name": scale_id, "items": []})
    return {"url": SCALE + scale_id, "name": scale_id.replace("-", "_").upper(), "title": scale.get("name", scale_id),
            "status": "active", **({"version": str(scale["version"])} if scale.get("version") else {}),
            "item": [{"linkId": item["id"], "text": item.get("label", item["id"]), "type": "decimal"}
                     for item in scale.get("items", [])] or [{"linkId": "total", "text": "Total", "type": "decimal"}]}


def _questionnaire_response(row: dict, patient_ref: dict, amended: bool = False) -> dict:
    """A scale administration; a saved one that was corrected afterwards is ``amended``."""
    answers = row.get("answers") or {}
    items = []
    for item_id, value in answers.items():
        if value is None:
            continue
        answer = {"valueString": "not applicable"} if value == "na" else {"valueDecimal": _number(value)}
        items.append({"linkId": item_id, "answer": [answer]})
    extensions = []
    if row.get("total") is not None:
        extensions.append(_ext("scale-total", valueDecimal=_number(row["total"])))
    if row.get("note"):
        extensions.append(_ext("scale-note", valueString=row["note"]))
    status = ("amended" if amended else "completed") if row.get("status") == "final" else "in-progress"
    return {"questionnaire": SCALE + row["scale"], "status": status, "subject": patient_ref, "authored": row.get("administered_on") or row.get("created_at"),
            "item": items, **({"extension": extensions} if extensions else {})}


# --- Checking a Bundle --------------------------------------------------------------------------

def validate_bundle(bundle) -> list[str]:
    """Problems of a Bundle: invalid resources, references that do not resolve inside it."""
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return ["The file is not a FHIR Bundle (its resourceType is not 'Bundle')."]
    problems = []
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries:
        return ["Bundle: field 'entry': the Bundle holds no resources."]
    urls = set()
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        name = _name(resource, index)
        if not isinstance(resource, dict) or "resourceType" not in resource:
            problems.append(f"Bundle entry {index}: no resource")
            continue
        if entry.get("fullUrl"):
            urls.add(entry["fullUrl"])
        try:
            model = get_fhir_model_class(resource["resourceType"])
        except (KeyError, ValueError):
            problems.append(f"{name}: unknown resource type {resource['resourceType']!r}")
            continue
        try:
            model.model_validate(resource)
        except ValidationError as exc:
            for error in exc.errors()[:5]:
                where = ".".join(str(part) for part in error["loc"])
                problems.append(f"{name}: field '{where}': {error['msg']}")
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        for path, reference in _references(resource):
            if reference not in urls:
                problems.append(f"{_name(resource, index)}: field '{path}': the reference {reference!r} does not "
                                "resolve inside the Bundle")
    return problems


def _name(resource, index: int) -> str:
    if isinstance(resource, dict):
        return f"{resource.get('resourceType', 'resource')}/{resource.get('id', f'entry {index}')}"
    return f"Bundle entry {index}"


def _references(value, path: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key == "reference" and isinstance(item, str):
                yield path or key, item
            else:
                yield from _references(item, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _references(item, f"{path}[{i}]")


# --- Bundle -> record document ------------------------------------------------------------------

def document_from_bundle(bundle: dict, vocabulary: Vocabulary, *, username: str | None = None) -> dict:
    """The record document a Bundle describes; raises :class:`FhirError` naming each problem.

    Only what Torsion wrote can be read back exactly; a Bundle from elsewhere is read as far as its
    resources use Torsion's codes and ICD-10-CM, and anything else is refused rather than guessed.
    """
    problems = validate_bundle(bundle)
    if problems:
        raise FhirError(problems)
    by_url = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"] if entry.get("fullUrl")}
    resources = [entry["resource"] for entry in bundle["entry"]]
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    if len(patients) != 1:
        raise FhirError([f"Bundle: it must describe exactly one Patient, not {len(patients)}."])
    reader = _Reader(vocabulary, by_url)
    document = {"format": "torsion-record", "version": 1, "patient": reader.patient(patients[0], username),
                "tables": {}, "files": {}}
    tables = document["tables"]
    diary: dict[str, dict] = {}
    for resource in resources:
        kind = resource["resourceType"]
        if kind == "Condition":
            reader.add(tables, "learn.diagnosissummary", reader.condition(resource))
        elif kind == "Observation":
            reader.observation(resource, diary, tables)
        elif kind == "Procedure":
            reader.procedure(resource, tables)
        elif kind == "MedicationAdministration":
            reader.administration(resource, tables)
        elif kind == "MedicationStatement":
            reader.add(tables, "records.medicationcourse", reader.statement(resource), reader.url_of(resource))
        elif kind == "AdverseEvent":
            reader.adverse_event(resource, tables)
        elif kind == "QuestionnaireResponse":
            reader.add(tables, "assessments.scaleadministration", reader.response(resource))
        elif kind not in ("Patient", "CodeSystem", "Questionnaire"):
            reader.problems.append(f"{_name(resource, 0)}: Torsion does not read {kind} resources")
    for key in sorted(diary):
        reader.add(tables, "records.diaryentry", diary[key])
    reader.link(tables)
    if reader.problems:
        raise FhirError(reader.problems)
    return document


class _Reader:
    def __init__(self, vocabulary: Vocabulary, by_url: dict[str, dict]):
        self.vocabulary = vocabulary
        self.by_url = by_url
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}  # fullUrl -> row id in the document
        self.next_id = 1
        self.pending_links: list[tuple[dict, str, str, str]] = []  # (row, field, fullUrl, problem if unresolved)

    # helpers
    def add(self, tables: dict, table: str, row: dict | None, url: str | None = None) -> dict | None:
        if row is None:
            return None
        row = {"id": self.next_id, **row}
        self.next_id += 1
        tables.setdefault(table, []).append(row)
        if url:
            self.ids[url] = row["id"]
        return row

    def url_of(self, resource: dict) -> str | None:
        return next((url for url, r in self.by_url.items() if r is resource), None)

    def code(self, resource: dict, concept: dict | None, system: str, known, where: str) -> str | None:
        codings = [c for c in (concept or {}).get("coding", []) if c.get("system") == system]
        if not codings:
            self.problems.append(f"{_name(resource, 0)}: field '{where}': no code from {system}")
            return None
        code = codings[0].get("code")
        if code not in known:
            self.problems.append(f"{_name(resource, 0)}: field '{where}': unknown code {code!r} of {system}")
            return None
        return code

    def ext(self, resource: dict, name: str, key: str = None):
        for extension in resource.get("extension", []) or []:
            if extension.get("url") == EXT + name:
                if key:
                    return extension.get(key)
                return next((v for k, v in extension.items() if k.startswith("value")), None)
        return None

    def check_subject(self, resource: dict, where: str = "subject") -> None:
        target = self.by_url.get((resource.get(where) or {}).get("reference"))
        if target is None or target.get("resourceType") != "Patient":
            self.problems.append(f"{_name(resource, 0)}: field '{where}': must refer to the Bundle's Patient")

    # resources
    def patient(self, resource: dict, username: str | None) -> dict:
        identifier = next((i.get("value") for i in resource.get("identifier", []) if i.get("system") == USERNAME), None)
        name = (resource.get("name") or [{}])[0]
        text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")]).strip()
        email = next((t.get("value") for t in resource.get("telecom", []) if t.get("system") == "email"), "")
        return {"username": username or identifier or "", "display_name": text, "first_name": "", "last_name": "",
                "email": email or "", "date_of_birth": resource.get("birthDate"),
                "diary_regions": []}

    def condition(self, resource: dict) -> dict | None:
        self.check_subject(resource)
        facts = self.ext(resource, "classification-facts")
        if facts is None:
            self.problems.append(f"{_name(resource, 0)}: field 'extension': the classification facts Torsion needs "
                                 "to rebuild the summary are missing")
            return None
        try:
            facts = json.loads(facts)
        except json.JSONDecodeError:
            self.problems.append(f"{_name(resource, 0)}: field 'extension': the classification facts are not JSON")
            return None
        from torsion.clinical import classification as cls

        try:
            result = cls.classify(cls.ClassificationInput.from_dict(facts)).to_dict()
        except cls.ClassificationInputError as exc:
            self.problems.append(f"{_name(resource, 0)}: field 'extension': {exc}")
            return None
        status = self.ext(resource, "diagnosis-status") or (
            "confirmed" if "confirmed" in json.dumps(resource.get("verificationStatus")) else "self_reported")
        if status not in ("self_reported", "confirmed", "clinician"):
            self.problems.append(f"{_name(resource, 0)}: field 'extension': unknown diagnosis status {status!r}")
        return {"facts": facts, "result": result, "status": status, "saved_by": None, "confirmed_by": None,
                "confirmed_at": None, "replaces": None,
                "clinician_note": self.ext(resource, "clinician-note") or "",
                "examination_findings": self.ext(resource, "examination-findings") or ""}

    def observation(self, resource: dict, diary: dict, tables: dict) -> None:
        codings = (resource.get("code") or {}).get("coding", [])
        systems = {c.get("system") for c in codings}
        self.check_subject(resource)
        if DIARY in systems:
            code = self.code(resource, resource.get("code"), DIARY, self.vocabulary.diary_items(), "code")
            when = resource.get("effectiveDateTime")
            if code is None or not when:
                if not when:
                    self.problems.append(f"{_name(resource, 0)}: field 'effectiveDateTime': a diary score needs its day")
                return
            period = self.ext(resource, "check-in-period") or "day"
            moment = self.ext(resource, "check-in-time")
            if period not in self.vocabulary.check_in_periods:
                self.problems.append(f"{_name(resource, 0)}: field 'extension': unknown part of the day {period!r}")
                return
            row = diary.setdefault(f"{when[:10]} {period} {moment or ''}", {
                "date": when[:10], "period": period, "time": moment, "severity": {}, "pain": None,
                "limitation": None, "triggers": [], "relievers": [], "note": ""})
            if code == "note":
                row["note"] = resource.get("valueString") or ""
                return
            value = self.score(resource)
            if value is None:
                return
            if code.startswith("severity-"):
                row["severity"][code.removeprefix("severity-")] = value
            else:
                row[code] = value
        elif DRAWING_TASK in systems:
            task = self.code(resource, resource.get("code"), DRAWING_TASK, self.vocabulary.drawing_tasks, "code")
            hand = self.code(resource, resource.get("bodySite"), HAND, self.vocabulary.hands, "bodySite")
            metrics = self.members(resource)
            if task is not None and hand is not None:
                scale = self.ext(resource, "screen-px-per-mm")
                self.add(tables, "recordings.drawing", {
                    "task": task, "hand": hand, "pointer_type": (resource.get("method") or {}).get("text") or
                    "unknown", "session": str(uuid.uuid5(NAMESPACE, self.url_of(resource) or task)),
                    "recorded_at": resource.get("effectiveDateTime"), "samples": None, "sample_count": 0,
                    "px_per_mm": None if scale is None else float(scale), "is_example": False, "status": "done",
                    "error": "", "result": None, "metrics": metrics, "analysed_at": None})
        elif RECORDING_KIND in systems:
            kind = self.code(resource, resource.get("code"), RECORDING_KIND, self.vocabulary.recording_kinds, "code")
            metrics = self.members(resource)
            if kind is not None:
                self.add(tables, "recordings.recording", {
                    "kind": kind, "task": (resource.get("method") or {}).get("text") or "", "session": str(
                        uuid.uuid5(NAMESPACE, self.url_of(resource) or kind)),
                    "recorded_at": resource.get("effectiveDateTime"), "video": None, "content_type": "",
                    "size_bytes": 0, "status": "done", "progress": 1.0, "error": "", "result": None,
                    "metrics": metrics, "analysed_at": None, "neutral_s": None})
        elif MEASURE in systems:
            return  # read through its panel
        else:
            self.problems.append(f"{_name(resource, 0)}: field 'code': not a Torsion diary item or measure")

    def members(self, resource: dict) -> dict[str, float]:
        """The numbers of a panel Observation (a recording or a drawing), by measure code."""
        metrics = {}
        for i, member in enumerate(resource.get("hasMember", [])):
            target = self.by_url.get(member.get("reference"), {})
            key = next((c.get("code") for c in (target.get("code") or {}).get("coding", [])
                        if c.get("system") == MEASURE), None)
            value = (target.get("valueQuantity") or {}).get("value")
            if key is None or value is None:
                self.problems.append(f"{_name(resource, 0)}: field 'hasMember[{i}]': not a Torsion measure "
                                     "with a value")
                continue
            metrics[key] = float(value)
        return metrics

    def score(self, resource: dict) -> int | None:
        value = (resource.get("valueQuantity") or {}).get("value")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or not 0 <= number <= 10:
            self.problems.append(f"{_name(resource, 0)}: field 'valueQuantity.value': a diary score is a whole "
                                 f"number from 0 to 10, not {value!r}")
            return None
        return int(number)

    def procedure(self, resource: dict, tables: dict) -> None:
        self.check_subject(resource)
        url = self.url_of(resource)
        when = resource.get("performedDateTime", "")[:10]
        notes = " ".join(n.get("text", "") for n in resource.get("note", []) or [])
        performer = ((resource.get("performer") or [{}])[0].get("actor") or {}).get("display", "")
        if any(c.get("system") == THERAPY for c in (resource.get("code") or {}).get("coding", [])):
            kind = self.code(resource, resource.get("code"), THERAPY, dict(catalogue.THERAPIES), "code")
            if kind is not None:
                self.add(tables, "records.therapysession", {
                    "date": when, "kind": kind, "duration_min": self.duration(resource, "min", "minutes"),
                    "therapist": performer, "notes": notes}, url)
            return
        known = {"toxin-injection", "dbs-implantation", "dbs-programming", *dict(catalogue.PROCEDURES)}
        code = self.code(resource, resource.get("code"), PROCEDURE, known, "code")
        if code == "toxin-injection":
            guidance = (self.ext(resource, "injection-guidance") or {}).get("code", "none")
            if guidance not in dict(catalogue.INJECTION_GUIDANCE):
                self.problems.append(f"{_name(resource, 0)}: field 'extension': unknown guidance {guidance!r}")
            dilution = self.ext(resource, "dilution-units-per-ml")
            self.add(tables, "records.toxininjection", {
                "date": when, "product": None, "product_other": "", "lot_number": self.ext(resource, "lot-number") or "",
                "dilution_units_per_ml": None if dilution is None else str(dilution), "guidance": guidance,
                "injector": performer, "notes": notes}, url)
        elif code == "dbs-implantation":
            site = (resource.get("bodySite") or [{}])[0]
            target = self.code(resource, site, DBS_TARGET, dict(catalogue.DBS_TARGETS), "bodySite")
            side = self.side(resource, site)
            self.add(tables, "records.dbsimplant", {
                "implant_date": when, "target": target,
                "target_other": site.get("text", "") if target == "other" else "", "side": side or "bilateral",
                "device": self.ext(resource, "device") or "", "notes": notes}, url)
        elif code == "dbs-programming":
            row = self.add(tables, "records.dbsprogramming", {
                "implant": None, "date": when, "settings": json.loads(self.ext(resource, "dbs-settings") or "{}"),
                "notes": notes}, url)
            parent = (resource.get("partOf") or [{}])[0].get("reference")
            self.pending_links.append((row, "implant", parent, self.not_a_procedure(resource)))
        elif code is not None:
            self.add(tables, "records.procedure", {"date": when, "kind": code,
                                                   "details": self.ext(resource, "procedure-details") or "",
                                                   "notes": notes}, url)

    def duration(self, resource: dict, ucum: str, unit: str) -> int | None:
        """The whole number of ``unit`` in the resource's ``duration`` extension, if it has one."""
        value = self.ext(resource, "duration")
        if value is None:
            return None
        number = value.get("value") if isinstance(value, dict) else None
        try:
            number = Decimal(str(number))
        except InvalidOperation:
            number = None
        if (number is None or not number.is_finite() or number != number.to_integral_value() or number < 0
                or value.get("code") != ucum):
            self.problems.append(f"{_name(resource, 0)}: field 'extension' (duration): a whole number of {unit} "
                                 f"(UCUM {ucum!r}) is needed, not {value!r}")
            return None
        return int(number)

    def adverse_event(self, resource: dict, tables: dict) -> None:
        self.check_subject(resource)
        name = _name(resource, 0)
        if resource.get("actuality") != "actual":
            self.problems.append(f"{name}: field 'actuality': Torsion keeps side effects that happened ('actual'), "
                                 f"not {resource.get('actuality')!r}")
        kind = self.code(resource, resource.get("event"), SIDE_EFFECT, dict(catalogue.ADVERSE_EVENTS), "event")
        grades = {code: grade for grade, (code, _) in SEVERITY.items()}
        severity = self.code(resource, resource.get("severity"), AE_SEVERITY, grades, "severity")
        onset = (resource.get("date") or resource.get("detected") or "")[:10]
        if not onset:
            self.problems.append(f"{name}: field 'date': a side effect needs the day it began")
        suspects = resource.get("suspectEntity") or []
        if len(suspects) > 1:
            self.problems.append(f"{name}: field 'suspectEntity': Torsion links a side effect to one treatment at "
                                 f"most, not {len(suspects)}")
        row = self.add(tables, "records.adverseevent", {
            "onset": onset, "kind": kind, "description": (resource.get("event") or {}).get("text", ""),
            "severity": grades.get(severity), "duration_days": self.duration(resource, "d", "days"),
            **{field_name: None for field_name in TREATMENTS}})
        if len(suspects) != 1:
            return
        reference = (suspects[0].get("instance") or {}).get("reference")
        field_name = self.treatment_field(self.by_url.get(reference) or {})
        problem = (f"{name}: field 'suspectEntity[0].instance': does not refer to a treatment Torsion keeps "
                   "(a toxin session, a medicine, a DBS implant or a surgery)")
        if field_name is None:
            self.problems.append(problem)
        else:
            self.pending_links.append((row, field_name, reference, problem))

    @staticmethod
    def treatment_field(target: dict) -> str | None:
        """Which of a side effect's fields links to ``target``, by its resource type and procedure code."""
        if target.get("resourceType") == "MedicationStatement":
            return "medication"
        if target.get("resourceType") != "Procedure":
            return None
        codes = {c.get("code") for c in (target.get("code") or {}).get("coding", []) if c.get("system") == PROCEDURE}
        if "toxin-injection" in codes:
            return "injection"
        if "dbs-implantation" in codes:
            return "dbs_implant"
        return "procedure" if codes & set(dict(catalogue.PROCEDURES)) else None

    def side(self, resource: dict, site: dict) -> str | None:
        coding = self.ext(site, "laterality") or {}
        by_code = {code: side for side, (code, _) in LATERALITY.items()}
        if coding.get("system") == SNOMED and coding.get("code") in by_code:
            return by_code[coding["code"]]
        if coding.get("code") in dict(catalogue.SIDES):
            return coding["code"]
        if coding:
            self.problems.append(f"{_name(resource, 0)}: field 'laterality': unknown side {coding.get('code')!r}")
        return None

    def administration(self, resource: dict, tables: dict) -> None:
        self.check_subject(resource)
        product = self.code(resource, resource.get("medicationCodeableConcept"), PRODUCT,
                            dict(catalogue.TOXIN_PRODUCTS), "medicationCodeableConcept")
        dosage = resource.get("dosage") or {}
        site = dosage.get("site") or {}
        muscle = self.code(resource, site, MUSCLE, catalogue.MUSCLE_LABELS, "dosage.site")
        units = (dosage.get("dose") or {}).get("value")
        if units is None or (dosage.get("dose") or {}).get("code") != TOXIN_UNIT[1]:
            self.problems.append(f"{_name(resource, 0)}: field 'dosage.dose': a toxin dose in the product's own "
                                 f"units ({TOXIN_UNIT[1]}) is needed")
        side = self.side(resource, site)
        if side is None:
            self.problems.append(f"{_name(resource, 0)}: field 'dosage.site': the side is missing")
        row = self.add(tables, "records.injectionline", {
            "injection": None, "muscle": muscle,
            "muscle_other": site.get("text", "") if muscle == "other" else "", "side": side,
            "units": None if units is None else str(units), "sites": int(self.ext(resource, "injection-sites") or 1)})
        session = (resource.get("partOf") or [{}])[0].get("reference")
        self.pending_links.append((row, "injection", session, self.not_a_procedure(resource)))
        row["_product"] = (product, (resource.get("medicationCodeableConcept") or {}).get("text", ""))

    def statement(self, resource: dict) -> dict | None:
        self.check_subject(resource)
        drug = self.code(resource, resource.get("medicationCodeableConcept"), DRUG, dict(catalogue.ORAL_DRUGS),
                         "medicationCodeableConcept")
        dosage = (resource.get("dosage") or [{}])[0]
        dose = ((dosage.get("doseAndRate") or [{}])[0].get("doseQuantity") or {})
        unit = {code: key for key, code in DOSE_UCUM.items()}.get(dose.get("code"))
        if unit is None:
            self.problems.append(f"{_name(resource, 0)}: field 'dosage.doseAndRate': unknown dose unit "
                                 f"{dose.get('code')!r}")
        period = resource.get("effectivePeriod") or {}
        return {"drug": drug, "drug_other": (resource.get("medicationCodeableConcept") or {}).get("text", "")
                if drug == "other" else "", "dose_amount": None if dose.get("value") is None else str(dose["value"]),
                "dose_unit": unit, "times_per_day": ((dosage.get("timing") or {}).get("repeat") or {}).get(
                    "frequency", 1), "schedule_note": dosage.get("text", ""), "start": period.get("start"),
                "stop": period.get("end"), "stop_reason": " ".join(r.get("text", "") for r in
                                                                    resource.get("statusReason", []) or []),
                "side_effects": " ".join(n.get("text", "") for n in resource.get("note", []) or [])}

    def response(self, resource: dict) -> dict | None:
        self.check_subject(resource)
        questionnaire = resource.get("questionnaire", "")
        scale_id = questionnaire.removeprefix(SCALE) if questionnaire.startswith(SCALE) else None
        if scale_id not in self.vocabulary.scales:
            self.problems.append(f"{_name(resource, 0)}: field 'questionnaire': unknown scale {questionnaire!r}")
            return None
        answers = {}
        for item in resource.get("item", []) or []:
            answer = (item.get("answer") or [{}])[0]
            value = answer.get("valueDecimal")
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            answers[item["linkId"]] = "na" if answer.get("valueString") == "not applicable" else value
        final = resource.get("status") in ("completed", "amended")
        from torsion.clinical import scales

        try:  # scored again by the engine, never taken from the file
            result = (scales.score if final else scales.score_draft)(scale_id, answers)
        except scales.ScaleAnswerError as exc:
            self.problems.extend(f"{_name(resource, 0)}: field 'item' ({p.item}): {p.message}" for p in exc.problems)
            return None
        return {"scale": scale_id, "scale_version": result.version, "scale_revision": result.revision,
                "status": "final" if final else "draft", "administered_on": (resource.get("authored") or "")[:10]
                or None, "answers": result.items, "total": result.total, "sections": result.sections,
                "derived": result.derived, "complete": result.complete,
                "note": self.ext(resource, "scale-note") or "", "recording": None, "entered_by": None}

    @staticmethod
    def not_a_procedure(resource: dict) -> str:
        return f"{_name(resource, 0)}: field 'partOf': does not refer to a Procedure Torsion can read"

    def link(self, tables: dict) -> None:
        for row, field_name, reference, problem in self.pending_links:
            if row is None:
                continue
            target = self.ids.get(reference)
            if target is None:
                self.problems.append(problem)
            row[field_name] = target
        sessions = {row["id"]: row for row in tables.get("records.toxininjection", [])}
        for line in tables.get("records.injectionline", []):
            product, text = line.pop("_product", (None, ""))
            session = sessions.get(line["injection"])
            if session is None:
                continue
            if session["product"] is None:
                session["product"] = product
                session["product_other"] = text if product == "other" else ""
            elif session["product"] != product:
                self.problems.append(f"MedicationAdministration of session {line['injection']}: field "
                                     "'medicationCodeableConcept': one session uses one product")
        for session in sessions.values():
            if session["product"] is None:
                self.problems.append(f"Procedure of {session['date']}: a toxin session with no injected muscle")
