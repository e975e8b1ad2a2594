"""Forms of the diary import: the upload, and the page where columns are matched to diary fields."""

from __future__ import annotations

from django import forms

from torsion.web.records.csv_files import CSVFileError, Table, decode_upload, read_table
from torsion.web.records.diary_csv import DATE_FORMATS, TARGET_LABELS, target_choices

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class DiaryUploadForm(forms.Form):
    file = forms.FileField(
        label="Diary file (CSV)",
        help_text="A table saved as CSV (UTF-8) with a header row: one row per day, a column with the date and "
                  "columns of scores. At most 2 MB.",
        error_messages={"required": "Choose the CSV file to upload."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,text/csv,text/plain"
        self.text = ""
        self.table: Table | None = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest accepted is "
                                        f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into several files.")
        try:
            self.text = decode_upload(upload.read())
            self.table = read_table(self.text)
        except CSVFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file, the way dates are written, and whether to replace check-ins."""

    date_format = forms.ChoiceField(
        label="How are the dates written?", choices=list(DATE_FORMATS.items()),
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        error_messages={"required": "Choose how the dates are written: 03/04/2024 is 3 April when the day comes "
                                    "first and 4 March when the month comes first."},
    )
    replace = forms.TypedChoiceField(
        label="Check-ins that are already in the diary", required=False, initial="no", empty_value=False,
        choices=[("no", "Report them as problems"), ("yes", "Replace check-ins already in the diary")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        help_text="A check-in is known by its day and time of day (a row without a time of day is about the whole "
                  "day). A replaced check-in is corrected: filled cells replace its values, empty cells leave them "
                  "as they are, and the earlier version is kept.",
    )

    def __init__(self, *args, table: Table, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.column_fields = []
        for index, name in enumerate(table.columns):
            key = f"column_{index}"
            samples = [cells[index].strip() for _, cells in table.rows[:3]
                       if index < len(cells) and cells[index].strip()]
            shown = ", ".join(f"“{s[:30]}”" for s in samples) if samples else "empty"
            self.fields[key] = forms.ChoiceField(label=f"Column “{name}” is", choices=target_choices(),
                                                 required=False, help_text=f"First values: {shown}.")
            self.column_fields.append(key)
        self.fields = {**{k: self.fields[k] for k in self.column_fields},
                       "date_format": self.fields["date_format"], "replace": self.fields["replace"]}

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for index, key in enumerate(self.column_fields):
            target = data.get(key)
            if not target:
                continue
            if target in seen:
                self.add_error(key, f"“{TARGET_LABELS[target]}” is already the meaning of column “{seen[target]}”; "
                                    "give each field one column.")
            else:
                seen[target] = self.table.columns[index]
        if not any(key in self.errors for key in self.column_fields):
            if "date" not in seen:
                self.add_error(None, "Say which column holds the date.")
            elif not set(seen) - {"date", "time"}:
                self.add_error(None, "Say which column holds which score: at least one column besides the date.")
        return data

    def mapping(self) -> dict[int, str]:
        return {index: self.cleaned_data[key] for index, key in enumerate(self.column_fields)
                if self.cleaned_data.get(key)}
