"""Forms for the patient record. Scores are picked with buttons; typing is optional everywhere."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms

from torsion.clinical import catalogue, checkins
from torsion.web.core.forms import scale_field
from torsion.web.records.models import DiaryEntry, ReminderSettings
from torsion.web.records.regions import REGION_CHOICES, REGION_LABELS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_future(value: date, today: date) -> None:
    if value > today:
        raise forms.ValidationError("This day has not happened yet. Pick today or an earlier day.")


class RegionsForm(forms.Form):
    regions = forms.MultipleChoiceField(
        label="Which parts of your body do you want to score at each check-in?",
        choices=REGION_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
        error_messages={"required": "Pick at least one body part to score."},
    )


class DiaryEntryForm(forms.Form):
    """One check-in. One severity score per tracked region; the rest is optional.

    The part of the day is chosen with buttons; a clock time may be typed instead (the part of the day
    then follows from it). ``key`` is the check-in's own key (a new one for every blank form; the
    page's script makes a fresh one each time the page is opened), so that a form sent twice is
    saved once.
    """

    period = forms.ChoiceField(
        label="When is this check-in about?", required=False, choices=checkins.PERIODS,
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
    )
    time = forms.TimeField(label="Or the exact time", required=False, help_text="Optional, for example 07:30.",
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    pain = scale_field("Pain", required=False, low="no pain", high="worst pain")
    limitation = scale_field("How much did dystonia limit you?", required=False, low="not at all",
                             high="completely")
    triggers = forms.MultipleChoiceField(
        label="What made it worse?", required=False, choices=catalogue.TRIGGERS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
    )
    relievers = forms.MultipleChoiceField(
        label="What helped?", required=False, choices=catalogue.RELIEVERS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
        help_text="A record of what you noticed, not a list of suggestions. Alcohol is here because some people "
                  "report that it eases their symptoms for a while; it is not a treatment.",
    )
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional.")
    key = forms.UUIDField(required=False, widget=forms.HiddenInput(attrs={"data-checkin-key": ""}))

    def __init__(self, *args, regions: list[str], entry: DiaryEntry | None = None, period: str | None = None,
                 **kwargs):
        initial = kwargs.setdefault("initial", {})
        if entry is not None:
            initial.update({
                **{f"severity_{r}": v for r, v in entry.severity.items()},
                "period": entry.period,
                "time": entry.time,
                "pain": entry.pain,
                "limitation": entry.limitation,
                "triggers": entry.triggers,
                "relievers": entry.relievers,
                "note": entry.note,
            })
        else:
            initial.setdefault("period", period)
            initial.setdefault("key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.entry = entry
        if entry is not None:
            del self.fields["key"]
            if entry.period == checkins.WHOLE_DAY:
                # A check-in kept before times were asked for may stay about the whole day.
                self.fields["period"].choices = [(checkins.WHOLE_DAY, "The whole day"), *checkins.PERIODS]
        self.regions = list(regions)
        if entry is not None:
            # A region scored in this check-in but no longer tracked stays editable rather than dropped.
            self.regions += [r for r in entry.severity if r not in self.regions]
        severity_fields = {
            f"severity_{region}": scale_field(f"{REGION_LABELS.get(region, region)}: how severe?",
                                              low="none", high="worst")
            for region in self.regions
        }
        self.fields = {"period": self.fields.pop("period"), "time": self.fields.pop("time"),
                       **severity_fields, **self.fields}

    def clean(self):
        data = super().clean()
        if data.get("time") is not None:
            data["period"] = checkins.period_of_time(data["time"])
        elif not data.get("period") and "period" not in self.errors:
            self.add_error("period", "Choose the part of the day, or type the time.")
        return data

    def apply_to(self, entry: DiaryEntry) -> DiaryEntry:
        data = self.cleaned_data
        entry.period = data["period"]
        entry.time = data["time"]
        entry.severity = {**entry.severity, **{r: data[f"severity_{r}"] for r in self.regions}}
        entry.pain = data["pain"]
        entry.limitation = data["limitation"]
        entry.triggers = data["triggers"]
        entry.relievers = data["relievers"]
        entry.note = data["note"]
        if entry.pk is None and data.get("key"):
            entry.client_key = data["key"]
        return entry


class DiaryDayForm(forms.Form):
    """Choose which day to fill in."""

    date = forms.DateField(label="Day", widget=DateInput())

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].widget.attrs["max"] = today.isoformat()

    def clean_date(self):
        value = self.cleaned_data["date"]
        not_in_future(value, self.today)
        return value


class ReminderForm(forms.ModelForm):
    """The reminders a patient chooses; every field can be left as it is."""

    injection_reminder = forms.TypedChoiceField(
        label="Remind me of my next botulinum-toxin injection", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes", empty_value=True, required=False,
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["injection_reminder"] = "yes" if self.instance.injection_reminder else "no"

    class Meta:
        model = ReminderSettings
        fields = ["check_in_time", "injection_reminder", "injection_interval_weeks", "injection_days_before"]
        widgets = {"check_in_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        labels = {
            "check_in_time": "Remind me to check in every day at",
            "injection_interval_weeks": "Weeks between my injections",
            "injection_days_before": "Start reminding me this many days before",
        }
        help_texts = {
            "check_in_time": "Leave empty for no check-in reminder.",
            "injection_interval_weeks": "Used when no later session is recorded: the next one is expected this many "
                                        "weeks after the last (12 is the usual shortest interval).",
        }
