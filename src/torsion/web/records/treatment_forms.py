"""Forms of the treatment log: one per kind of treatment, shared by the pages and the JSON API.

Every rule a person can break lives here (dates that have not happened yet, a stop before a start,
stimulation settings out of range, a side effect before the treatment it is linked to), so the
pages and the API give the same messages.

Dates in the future are refused everywhere: the log records what happened, and a planned injection
or a medicine not yet started is not a record yet. Stimulation settings are checked against what
current implanted pulse generators can deliver (amplitude up to 25.5 mA or 10.5 V, pulse width 10
to 500 µs, frequency 2 to 255 Hz), which catches typing mistakes without judging a setting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from torsion.clinical import catalogue
from torsion.web.accounts.models import Patient
from torsion.web.core.dates import short_date
from torsion.web.records.forms import DateInput
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    InjectionLine,
    MedicationCourse,
    Procedure,
    TherapySession,
    ToxinInjection,
)
from torsion.web.records.services import today
from torsion.web.records.treatments import LINK_FIELDS, link_choices, treatment_date

NOT_YET = "This day has not happened yet. The log keeps what has happened; pick today or an earlier day."
INJECTION_NOT_YET = ("An injection in the future is a plan, not a record: add it on the day it is given "
                     "(today or an earlier day).")

#: Amplitude limits of current implanted pulse generators, per unit.
AMPLITUDE_MAX = {"mA": Decimal("25.5"), "V": Decimal("10.5")}
PULSE_WIDTH_US = (10, 500)
FREQUENCY_HZ = (2, 255)
AMPLITUDE_UNITS = (("mA", "mA (current)"), ("V", "V (voltage)"))
_CONTACTS = re.compile(r"^[0-9A-Za-z+\-%,;/ .()]+$")


def _textarea() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3})


def _buttons() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "choice-buttons"})


class RecordForm(forms.ModelForm):
    """A treatment-log form for one patient: date fields refuse days that have not happened yet."""

    past_date_fields: tuple[str, ...] = ()
    future_message = NOT_YET

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.today = today()
        for name in self.past_date_fields:
            self.fields[name].widget = DateInput(attrs={"max": self.today.isoformat()})

    def clean(self):
        data = super().clean()
        for name in self.past_date_fields:
            value = data.get(name)
            if value is not None and value > self.today:
                self.add_error(name, self.future_message)
        return data

    def require_other(self, choice_field: str, name_field: str, message: str) -> None:
        """Ask for a name when "other" is chosen; drop a stray name when it is not."""
        data = self.cleaned_data
        if data.get(choice_field) == "other":
            if not data.get(name_field, "").strip():
                self.add_error(name_field, message)
        elif name_field in data:
            data[name_field] = ""

    def save(self, commit: bool = True):
        self.instance.patient = self.patient
        return super().save(commit=commit)


# --- botulinum toxin ------------------------------------------------------------------------------

class InjectionForm(RecordForm):
    past_date_fields = ("date",)
    future_message = INJECTION_NOT_YET

    class Meta:
        model = ToxinInjection
        fields = ["date", "product", "product_other", "lot_number", "dilution_units_per_ml", "guidance", "injector",
                  "notes"]
        labels = {"date": "Day of the injection", "lot_number": "Lot number", "injector": "Injected by"}
        help_texts = {"product_other": "Only if you chose “Other product”.",
                      "lot_number": "Optional; printed on the vial.",
                      "dilution_units_per_ml": "Optional: units per mL after mixing.",
                      "injector": "Optional."}
        widgets = {"guidance": _buttons(), "notes": _textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound and self.initial.get("date") is None:
            self.initial["date"] = self.today

    def clean(self):
        data = super().clean()
        self.require_other("product", "product_other", "Give the product's name.")
        return data


class InjectionLineForm(forms.ModelForm):
    class Meta:
        model = InjectionLine
        fields = ["muscle", "muscle_other", "side", "units", "sites"]
        labels = {"muscle_other": "Other muscle's name", "units": "Units", "sites": "Number of sites"}
        help_texts = {"muscle_other": "Only if you chose “Other muscle”."}
        widgets = {"units": forms.NumberInput(attrs={"step": "any", "min": "0.01", "inputmode": "decimal"}),
                   "sites": forms.NumberInput(attrs={"min": "1", "max": "50"})}

    def clean(self):
        data = super().clean()
        if data.get("muscle") == "other":
            if not data.get("muscle_other", "").strip():
                self.add_error("muscle_other", "Give the muscle's name.")
        elif "muscle_other" in data:
            data["muscle_other"] = ""
        muscle, side = data.get("muscle"), data.get("side")
        if muscle and side and side not in catalogue.sides_allowed(muscle):
            name = catalogue.MUSCLE_LABELS[muscle]
            if catalogue.sides_allowed(muscle) == ("midline",):
                self.add_error("side", f"{name} is a single muscle in the middle: choose “Midline”.")
            else:
                self.add_error("side", f"{name} is a muscle of each side: choose left, right or both sides.")
        return data


def line_problems(lines: Sequence[dict]) -> list[str]:
    """Rules across the muscle lines of one session (``lines`` are cleaned line data)."""
    if not lines:
        return ["Add at least one muscle with its units."]
    seen: set[tuple[str, str, str]] = set()
    problems = []
    for line in lines:
        key = (line["muscle"], line.get("muscle_other", "").strip().casefold(), line["side"])
        if key in seen:
            muscle = line.get("muscle_other") or catalogue.MUSCLE_LABELS.get(line["muscle"], line["muscle"])
            side = dict(catalogue.SIDES)[line["side"]].lower()
            problems.append(f"{muscle} ({side}) is listed twice: put its units on one line and count its sites.")
        seen.add(key)
    return problems


class BaseLineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        # Unchanged extra rows have no cleaned data; rows marked for removal do not count.
        kept = [form.cleaned_data for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        problems = line_problems(kept)
        if problems:
            raise forms.ValidationError(problems)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this muscle"


def line_formset(extra: int):
    return inlineformset_factory(ToxinInjection, InjectionLine, form=InjectionLineForm, formset=BaseLineFormSet,
                                 extra=extra, can_delete=True, can_delete_extra=False)


NewLineFormSet = line_formset(extra=3)
EditLineFormSet = line_formset(extra=2)

#: What "Repeat the last session" copies: all but the lot number (a new vial) and the notes.
REPEATED_FIELDS = ("product", "product_other", "dilution_units_per_ml", "guidance", "injector")
REPEATED_LINE_FIELDS = ("muscle", "muscle_other", "side", "units", "sites")


def _as_written(value):
    """A stored decimal as a person writes it (80, 60.5; never 80.00 or 8E+1); other values unchanged."""
    if isinstance(value, Decimal):
        return value.to_integral_value() if value == value.to_integral_value() else value.normalize()
    return value


def repeat_initial(previous: ToxinInjection) -> tuple[dict, list[dict]]:
    """Initial values of a new session copied from ``previous``, dated today, and of its muscle lines."""
    session = {name: _as_written(getattr(previous, name)) for name in REPEATED_FIELDS}
    session["date"] = today()
    lines = [{name: _as_written(getattr(line, name)) for name in REPEATED_LINE_FIELDS} for line in previous.lines.all()]
    return session, lines


# --- medicines --------------------------------------------------------------------------------------

class MedicationForm(RecordForm):
    past_date_fields = ("start", "stop")

    class Meta:
        model = MedicationCourse
        fields = ["drug", "drug_other", "dose_amount", "dose_unit", "times_per_day", "schedule_note", "start", "stop",
                  "stop_reason", "side_effects"]
        labels = {"drug": "Medicine", "dose_amount": "Dose each time", "dose_unit": "Unit of the dose",
                  "times_per_day": "Times a day", "schedule_note": "Schedule", "start": "Started on",
                  "stop": "Stopped on", "stop_reason": "Why it was stopped", "side_effects": "Side effects"}
        help_texts = {"drug_other": "Only if you chose “Other medicine”.",
                      "stop": "Leave empty while you are still taking it.",
                      "stop_reason": "Optional.", "side_effects": "Optional."}
        widgets = {"dose_unit": _buttons(), "side_effects": _textarea(),
                   "dose_amount": forms.NumberInput(attrs={"step": "any", "min": "0.001", "inputmode": "decimal"})}

    def clean(self):
        data = super().clean()
        self.require_other("drug", "drug_other", "Give the medicine's name.")
        start, stop = data.get("start"), data.get("stop")
        if start and stop and stop < start and "stop" not in self.errors:
            self.add_error("stop", f"The stop date cannot be before the start date ({short_date(start)}).")
        if data.get("stop_reason", "").strip() and not stop and "stop" not in self.errors:
            self.add_error("stop", "Give the day it was stopped, or leave the reason empty.")
        return data


# --- deep brain stimulation -------------------------------------------------------------------------

class DBSImplantForm(RecordForm):
    past_date_fields = ("implant_date",)

    class Meta:
        model = DBSImplant
        fields = ["implant_date", "target", "target_other", "side", "device", "notes"]
        labels = {"implant_date": "Day of the implant", "target_other": "Other target's name",
                  "side": "Side of the brain", "device": "Device"}
        help_texts = {"target_other": "Only if you chose “Other target”.",
                      "device": "Optional: maker and model of the stimulator and leads."}
        widgets = {"target": _buttons(), "side": _buttons(), "notes": _textarea()}

    def clean(self):
        data = super().clean()
        self.require_other("target", "target_other", "Give the target's name.")
        return data


def programming_sides(implant: DBSImplant) -> list[tuple[str, str]]:
    """The hemispheres a programming session sets: both for a bilateral implant, else the one side."""
    if implant.side == "bilateral":
        return [("left", "Left"), ("right", "Right")]
    return [(implant.side, implant.get_side_display())]


class DBSProgrammingForm(forms.Form):
    """A programming session: the day, and per side contacts, amplitude, pulse width and frequency.

    The settings are stored as ``{side: {"contacts", "amplitude", "amplitude_unit", "pulse_width_us",
    "frequency_hz"}}`` in :attr:`DBSProgramming.settings`.
    """

    date = forms.DateField(label="Day of the programming session")
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=_textarea(),
                            help_text="Optional.")

    def __init__(self, *args, implant: DBSImplant, programming=None, **kwargs):
        if programming is not None and "initial" not in kwargs:
            initial = {"date": programming.date, "notes": programming.notes}
            for side, values in programming.settings.items():
                for key, value in values.items():
                    initial[f"{side}_{key}"] = value
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.implant = implant
        self.today = today()
        self.fields["date"].widget = DateInput(attrs={"max": self.today.isoformat(),
                                                      "min": implant.implant_date.isoformat()})
        self.sides = programming_sides(implant)
        for side, label in self.sides:
            self.fields[f"{side}_contacts"] = forms.CharField(
                label=f"{label}: active contacts", max_length=40, required=False,
                help_text="With their polarity, for example 1-, C+ (C for the case).")
            self.fields[f"{side}_amplitude"] = forms.DecimalField(
                label=f"{label}: amplitude", required=False, min_value=Decimal(0), max_digits=5, decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"}))
            self.fields[f"{side}_amplitude_unit"] = forms.ChoiceField(
                label=f"{label}: unit of the amplitude", choices=AMPLITUDE_UNITS, required=False, widget=_buttons())
            self.fields[f"{side}_pulse_width_us"] = forms.IntegerField(
                label=f"{label}: pulse width (µs)", required=False,
                min_value=PULSE_WIDTH_US[0], max_value=PULSE_WIDTH_US[1])
            self.fields[f"{side}_frequency_hz"] = forms.IntegerField(
                label=f"{label}: frequency (Hz)", required=False,
                min_value=FREQUENCY_HZ[0], max_value=FREQUENCY_HZ[1])
        # The day and notes first, then each side's settings, then the notes at the end.
        order = ["date"] + [name for name in self.fields if name not in ("date", "notes")] + ["notes"]
        self.fields = {name: self.fields[name] for name in order}

    def side_fields(self, side: str) -> list[str]:
        return [f"{side}_{key}" for key in ("contacts", "amplitude", "amplitude_unit", "pulse_width_us",
                                             "frequency_hz")]

    def clean(self):
        data = super().clean()
        when = data.get("date")
        if when is not None:
            if when > self.today:
                self.add_error("date", NOT_YET)
            elif when < self.implant.implant_date:
                self.add_error("date", f"This is before the implant ({short_date(self.implant.implant_date)}).")
        filled_sides = 0
        for side, label in self.sides:
            names = self.side_fields(side)
            if all(data.get(n) in (None, "") for n in names) and not any(n in self.errors for n in names):
                continue
            filled_sides += 1
            for name in names:
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, f"Give this too, or leave every {label.lower()} setting empty.")
            contacts = data.get(f"{side}_contacts", "")
            if contacts and (not _CONTACTS.match(contacts) or not re.search(r"[+-]", contacts)):
                self.add_error(f"{side}_contacts", "Write the active contacts with their polarity, for example 1-, C+.")
            amplitude, unit = data.get(f"{side}_amplitude"), data.get(f"{side}_amplitude_unit")
            if amplitude is not None and unit in AMPLITUDE_MAX and amplitude > AMPLITUDE_MAX[unit]:
                self.add_error(f"{side}_amplitude",
                               f"{amplitude.normalize():f} {unit} is more than a stimulator can deliver (at most "
                               f"{AMPLITUDE_MAX[unit]:f} {unit}); check the number and the unit (mA or V).")
        if not filled_sides and not self.errors:
            first = self.sides[0][0]
            self.add_error(f"{first}_contacts", "Enter the settings of at least one side.")
        return data

    def settings_value(self) -> dict[str, dict]:
        """The cleaned settings as stored in the JSON field (sides left empty are left out)."""
        data = self.cleaned_data
        settings = {}
        for side, _ in self.sides:
            if data.get(f"{side}_contacts"):
                settings[side] = {
                    "contacts": " ".join(data[f"{side}_contacts"].split()),
                    "amplitude": float(data[f"{side}_amplitude"]),
                    "amplitude_unit": data[f"{side}_amplitude_unit"],
                    "pulse_width_us": data[f"{side}_pulse_width_us"],
                    "frequency_hz": data[f"{side}_frequency_hz"],
                }
        return settings

    def apply_to(self, programming):
        programming.implant = self.implant
        programming.date = self.cleaned_data["date"]
        programming.notes = self.cleaned_data["notes"]
        programming.settings = self.settings_value()
        return programming


# --- procedures and therapy ------------------------------------------------------------------------

class ProcedureForm(RecordForm):
    past_date_fields = ("date",)

    class Meta:
        model = Procedure
        fields = ["date", "kind", "details", "notes"]
        labels = {"date": "Day of the procedure", "kind": "Procedure"}
        help_texts = {"details": "For example the muscles or nerves treated; needed for “Other procedure”."}
        widgets = {"kind": _buttons(), "notes": _textarea()}

    def clean(self):
        data = super().clean()
        if data.get("kind") == "other" and not data.get("details", "").strip():
            self.add_error("details", "Say which procedure it was.")
        return data


class TherapyForm(RecordForm):
    past_date_fields = ("date",)

    class Meta:
        model = TherapySession
        fields = ["date", "kind", "duration_min", "therapist", "notes"]
        labels = {"date": "Day of the session", "kind": "Therapy", "therapist": "Therapist or clinic"}
        help_texts = {"duration_min": "Optional.", "therapist": "Optional."}
        widgets = {"kind": _buttons(), "notes": _textarea()}


# --- side effects ----------------------------------------------------------------------------------

class AdverseEventForm(RecordForm):
    """A side effect, optionally linked to the one treatment of this patient it followed."""

    past_date_fields = ("onset",)
    treatment = forms.ChoiceField(label="Which treatment did it follow?", required=False,
                                  help_text="Optional. Only treatments in this record are listed.",
                                  error_messages={"invalid_choice": "Choose one of the treatments in this record, "
                                                                    "or none."})

    class Meta:
        model = AdverseEvent
        fields = ["onset", "kind", "description", "severity", "duration_days"]
        labels = {"onset": "Day it began", "kind": "Side effect", "duration_days": "How many days it lasted"}
        help_texts = {"description": "Needed for “Other”; optional otherwise.",
                      "duration_days": "Optional; leave empty if it has not ended."}
        widgets = {"severity": _buttons()}

    def __init__(self, *args, patient: Patient, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.pk and "initial" not in kwargs:
            linked = next(((f, getattr(instance, f"{f}_id")) for f in LINK_FIELDS if getattr(instance, f"{f}_id")),
                          None)
            kwargs["initial"] = {"treatment": f"{linked[0]}:{linked[1]}" if linked else ""}
        super().__init__(*args, patient=patient, **kwargs)
        self.fields["treatment"].choices = [("", "Not linked to a treatment"), *link_choices(patient)]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "other" and not data.get("description", "").strip():
            self.add_error("description", "Describe the side effect.")
        linked = self.linked_treatment()
        onset = data.get("onset")
        if linked is not None and onset is not None and onset < treatment_date(linked):
            self.add_error("onset", f"This is before the treatment it is linked to "
                                    f"({short_date(treatment_date(linked))}); check the day or the link.")
        return data

    def linked_treatment(self):
        """The chosen treatment (always this patient's: only their treatments are valid choices)."""
        value = self.cleaned_data.get("treatment") or ""
        if ":" not in value:
            return None
        field, pk = value.split(":", 1)
        model = LINK_FIELDS[field][0]
        return model.objects.get(pk=int(pk), patient=self.patient)

    def save(self, commit: bool = True):
        linked = self.linked_treatment()
        for field in LINK_FIELDS:
            setattr(self.instance, field, linked if linked is not None and field == _field_of(linked) else None)
        return super().save(commit=commit)


def _field_of(obj) -> str:
    return next(field for field, (model, _) in LINK_FIELDS.items() if isinstance(obj, model))
