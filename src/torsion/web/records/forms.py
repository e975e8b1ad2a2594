"""Forms for the patient record. Scores are picked with buttons; typing is optional everywhere."""

from __future__ import annotations

from datetime import date

from django import forms

from torsion.clinical import catalogue
from torsion.web.core.forms import scale_field
from torsion.web.records.models import DiaryEntry
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
        label="Which parts of your body do you want to score each day?",
        choices=REGION_CHOICES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-buttons"}),
        error_messages={"required": "Pick at least one body part to score."},
    )


class DiaryEntryForm(forms.Form):
    """The daily check-in. One severity score per tracked region; the rest is optional."""

    pain = scale_field("Pain", required=False, low="no pain", high="worst pain")
    limitation = scale_field("How much did dystonia limit your day?", required=False, low="not at all",
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

    def __init__(self, *args, regions: list[str], entry: DiaryEntry | None = None, **kwargs):
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f"severity_{r}": v for r, v in entry.severity.items()},
                "pain": entry.pain,
                "limitation": entry.limitation,
                "triggers": entry.triggers,
                "relievers": entry.relievers,
                "note": entry.note,
            }
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        if entry is not None:
            # A region scored on this day but no longer tracked stays editable rather than dropped.
            self.regions += [r for r in entry.severity if r not in self.regions]
        severity_fields = {
            f"severity_{region}": scale_field(f"{REGION_LABELS.get(region, region)}: how severe today?",
                                              low="none", high="worst")
            for region in self.regions
        }
        self.fields = {**severity_fields, **self.fields}

    def apply_to(self, entry: DiaryEntry) -> DiaryEntry:
        data = self.cleaned_data
        entry.severity = {**entry.severity, **{r: data[f"severity_{r}"] for r in self.regions}}
        entry.pain = data["pain"]
        entry.limitation = data["limitation"]
        entry.triggers = data["triggers"]
        entry.relievers = data["relievers"]
        entry.note = data["note"]
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
