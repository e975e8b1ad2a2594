"""Form rendering and the widgets Torsion prefers to typing: big buttons for scores and choices."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import django.forms
from django import forms
from django.forms.renderers import DjangoTemplates

#: Torsion's versions of Django's widget templates, looked up before Django's own.
FORM_TEMPLATES = Path(__file__).parent / "form_templates"


class TorsionFormRenderer(DjangoTemplates):
    """Renders every form with labels, help and errors tied to their fields for screen readers.

    Widget templates in :data:`FORM_TEMPLATES` replace Django's: a select's empty choice reads
    "Choose…" instead of a row of dashes.
    """

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"

    @cached_property
    def engine(self):
        return self.backend({
            "APP_DIRS": True,
            "DIRS": [FORM_TEMPLATES, Path(django.forms.__file__).parent / self.backend.app_dirname],
            "NAME": "torsionforms",
            "OPTIONS": {},
        })


class ScaleWidget(forms.RadioSelect):
    """A 0-N score as a row of large buttons: easier than a slider with tremor or a spasm."""

    template_name = "core/forms/scale.html"
    option_template_name = "django/forms/widgets/radio_option.html"

    def __init__(self, low_label: str = "", high_label: str = "", attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.low_label = low_label
        self.high_label = high_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["low_label"] = self.low_label
        context["widget"]["high_label"] = self.high_label
        return context


def scale_field(label: str, *, maximum: int = 10, low: str = "none", high: str = "worst", required: bool = True,
                help_text: str = "") -> forms.TypedChoiceField:
    """A 0..``maximum`` integer score chosen with buttons."""
    return forms.TypedChoiceField(
        label=label,
        choices=[(i, str(i)) for i in range(maximum + 1)],
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
        widget=ScaleWidget(low_label=f"0 = {low}", high_label=f"{maximum} = {high}"),
    )
