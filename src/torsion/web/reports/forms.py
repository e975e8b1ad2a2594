from __future__ import annotations

from datetime import date

from django import forms

from torsion.web.reports.models import VisitQuestion


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end and end > date.today():
            self.add_error("end", "The period cannot end in the future.")
        if start and end and start > end:
            self.add_error("start", "The period must start before it ends.")
        return data


class QuestionForm(forms.ModelForm):
    class Meta:
        model = VisitQuestion
        fields = ["text"]
        labels = {"text": "Something to raise at your next visit"}
        widgets = {"text": forms.TextInput(attrs={"maxlength": 500})}
