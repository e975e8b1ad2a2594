"""The classification assistant's form: every answer is a button or a tick, and "not sure" is always allowed."""

from __future__ import annotations

import re

from django import forms

from torsion.clinical import classification as cls
from torsion.clinical.regions import FACE_REGIONS, REGIONS

NOT_SURE = ""


def _choices(mapping: dict[str, str], *, not_sure: str = "I don't know") -> list[tuple[str, str]]:
    return [(NOT_SURE, not_sure)] + [(code, label[0].upper() + label[1:]) for code, label in mapping.items()]


def _radio(label: str, mapping: dict[str, str], help_text: str = "", not_sure: str = "I don't know"):
    return forms.ChoiceField(label=label, choices=_choices(mapping, not_sure=not_sure), required=False,
                             initial=NOT_SURE, help_text=help_text,
                             widget=forms.RadioSelect(attrs={"class": "choice-buttons"}))


def _not_known(label: str) -> str:
    """A choice's label with "I don't know" put as a clinician puts it ("Not known", "or not known")."""
    return "Not known" if label == "I don't know" else label.replace("I don't know", "not known")


TASK_LABELS = {"writing": "writing", "typing": "typing", "playing_instrument": "playing an instrument",
               "running": "running", "other": "another task"}


class ClassificationForm(forms.Form):
    regions = forms.MultipleChoiceField(
        label="Which parts of the body are affected?",
        choices=[(r.code, r.label) for r in REGIONS.values()],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
        error_messages={"required": "Choose at least one part of the body."},
    )
    face_side = forms.ChoiceField(
        label="If your face is affected, is it only on one side?",
        choices=[(NOT_SURE, "Both sides, or I don't know"), ("left", "Only the left side"),
                 ("right", "Only the right side")],
        required=False, initial=NOT_SURE, widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        help_text="For the eyelids, lower face, jaw or tongue. It matters when an arm and a leg of one side are "
                  "affected too.",
    )
    onset_age = forms.DecimalField(
        label="How old were you when it started?", min_value=0, max_value=120, max_digits=5, decimal_places=1,
        help_text="In years; a best guess is fine.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "1"}),
        error_messages={"required": "Give the age at onset in years (0 to 120)."},
    )
    course = _radio("Over the years, has it", cls.COURSES)
    variability = _radio("Through the day, is it", cls.VARIABILITIES)
    task_specific = _radio("Does it appear only during one task?", TASK_LABELS, not_sure="No, or I don't know")
    associated_status = forms.ChoiceField(
        label="Does anything else come with it (other than the dystonia itself)?",
        choices=[("none", "No, nothing else"), ("some", "Yes (choose below)"), (NOT_SURE, "I don't know")],
        required=False, initial=NOT_SURE, widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        help_text="A tremor alone still counts as dystonia on its own (isolated).",
    )
    associated = forms.MultipleChoiceField(
        label="Other signs", required=False,
        choices=[(code, label[0].upper() + label[1:]) for code, label in cls.ASSOCIATED_FEATURES.items()],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
    )
    pathology = _radio("What do scans or examinations show in the nervous system?", cls.PATHOLOGIES)
    cause_type = _radio("Is the cause known?", cls.CAUSE_TYPES)
    inheritance = _radio("If inherited: how is it passed on?", cls.INHERITANCE_MODES)
    gene = forms.CharField(label="If inherited: gene name, if known", required=False, max_length=40,
                           help_text="For example DYT-TOR1A (formerly DYT1).")
    acquired_kind = _radio("If acquired: what caused it?", cls.ACQUIRED_KINDS)
    drug_timing = _radio("If a medicine caused it: when did it start?", cls.DRUG_TIMINGS)
    idiopathic_kind = _radio("If no cause was found: does anyone else in the family have dystonia?",
                             cls.IDIOPATHIC_KINDS)

    examination_findings = forms.CharField(
        label="Examination findings", required=False, max_length=4000,
        help_text="What you found on examining the patient (posture, tremor, sensory tricks, other signs).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    #: Questions reworded for a clinician filling in the form about a patient.
    CLINICIAN_LABELS = {
        "regions": "Which parts of the patient's body are affected?",
        "face_side": "If the patient's face is affected, is it only on one side?",
        "onset_age": "Age of the patient at onset",
        "task_specific": "Does it appear only during one task?",
        "associated_status": "Are there other neurological or systemic signs (beyond the dystonia)?",
        "pathology": "What do imaging and examination show in the nervous system?",
        "idiopathic_kind": "If no cause was found: is there dystonia in the patient's family?",
    }

    def __init__(self, *args, audience: str = "patient", findings: bool | None = None, **kwargs):
        """``audience`` "clinician" words the questions about the patient; ``findings`` (by default
        for a clinician) asks for the examination findings, kept with a saved summary."""
        super().__init__(*args, **kwargs)
        self.audience = audience
        if audience == "clinician":
            for name, label in self.CLINICIAN_LABELS.items():
                self.fields[name].label = label
            self.fields["onset_age"].help_text = "In years, as best established."
            for field in self.fields.values():  # "I don't know" is the patient's answer; "not known" the record's
                if isinstance(field, forms.ChoiceField):
                    field.choices = [(code, _not_known(label)) for code, label in field.choices]
        if not (audience == "clinician" if findings is None else findings):
            del self.fields["examination_findings"]

    #: Which form field carries a problem the engine reports, by words in the problem's sentence.
    PROBLEM_FIELDS = (("age", "onset_age"), ("region", "regions"), ("arm", "regions"), ("leg", "regions"),
                      ("task", "task_specific"), ("variability", "variability"), ("inheritance", "inheritance"),
                      ("gene", "gene"), ("acquired", "acquired_kind"), ("drug_timing", "drug_timing"),
                      ("idiopathic", "idiopathic_kind"), ("pathology", "pathology"), ("cause", "cause_type"))

    def facts(self) -> dict:
        """The answers as the classification engine's input (unknown answers left out)."""
        data = self.cleaned_data
        facts: dict = {"regions": data["regions"], "onset_age": float(data["onset_age"])}
        face = [code for code in data["regions"] if code in FACE_REGIONS]
        if data.get("face_side") and face:
            facts["face_sides"] = {code: data["face_side"] for code in face}
        for key in ("course", "variability", "task_specific"):
            if data.get(key):
                facts[key] = data[key]
        if data.get("associated_status") == "none":
            facts["associated"] = []
        elif data.get("associated_status") == "some" or data.get("associated"):
            facts["associated"] = data.get("associated") or []
        cause = {"type": data.get("cause_type") or None, "pathology": data.get("pathology") or None}
        for key in ("inheritance", "gene", "acquired_kind", "drug_timing", "idiopathic_kind"):
            if data.get(key):
                cause[key] = data[key].strip() if key == "gene" else data[key]
        cause = {k: v for k, v in cause.items() if v}
        if cause:
            facts["cause"] = cause
        return facts

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("associated_status") == "some" and not data.get("associated"):
            not_sure = "Not known" if self.audience == "clinician" else "I don't know"
            self.add_error("associated", f"Choose the other signs, or answer “No” or “{not_sure}” above.")
            return data
        if data.get("associated_status") == "none" and data.get("associated"):
            self.add_error("associated", "You answered that nothing else comes with it; untick these or change "
                                         "that answer.")
            return data
        try:
            self.classification = cls.classify(cls.ClassificationInput.from_dict(self.facts()))
        except cls.ClassificationInputError as exc:
            for problem in exc.problems:
                field = next((f for word, f in self.PROBLEM_FIELDS if re.search(rf"\b{word}", problem.lower())), None)
                self.add_error(field, problem)
        return data

    @classmethod
    def initial_from_facts(cls_, facts: dict) -> dict:
        cause = facts.get("cause") or {}
        associated = facts.get("associated")
        given = facts.get("face_sides") or {}
        face = [code for code in facts.get("regions", []) if code in FACE_REGIONS]
        sides = set(given.values()) if all(code in given for code in face) else set()
        return {
            "regions": facts.get("regions", []),
            # The form has one side for the whole face; anything else (possible through the API or the
            # command line) shows as "both sides, or I don't know".
            "face_side": sides.pop() if len(sides) == 1 else NOT_SURE,
            "onset_age": facts.get("onset_age"),
            "course": facts.get("course") or NOT_SURE,
            "variability": facts.get("variability") or NOT_SURE,
            "task_specific": facts.get("task_specific") or NOT_SURE,
            "associated_status": NOT_SURE if associated is None else ("some" if associated else "none"),
            "associated": associated or [],
            "pathology": cause.get("pathology") or NOT_SURE,
            "cause_type": cause.get("type") or NOT_SURE,
            "inheritance": cause.get("inheritance") or NOT_SURE,
            "gene": cause.get("gene") or "",
            "acquired_kind": cause.get("acquired_kind") or NOT_SURE,
            "drug_timing": cause.get("drug_timing") or NOT_SURE,
            "idiopathic_kind": cause.get("idiopathic_kind") or NOT_SURE,
        }


class ConfirmForm(forms.Form):
    examination_findings = forms.CharField(
        label="Examination findings (optional)", required=False, max_length=4000,
        help_text="What you found on examining the patient.", widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="Note for the record (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
