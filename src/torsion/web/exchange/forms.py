from __future__ import annotations

import json

from django import forms
from django.conf import settings

MAX_RESTORE_BYTES = getattr(settings, "TORSION_MAX_RESTORE_BYTES", 1024 ** 3)


class RestoreForm(forms.Form):
    file = forms.FileField(
        label="Your exported file",
        help_text="A complete export from Torsion (a .zip file), or a FHIR R4 Bundle (a .json file).",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.json,application/zip,application/json"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_RESTORE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_RESTORE_BYTES // 1024 ** 2} MB.")
        head = upload.read(4)
        upload.seek(0)
        if head.startswith(b"PK"):
            data["kind"] = "zip"
        else:
            try:
                data["bundle"] = json.load(upload)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise forms.ValidationError("The file is neither a Torsion export (.zip) nor a JSON document: "
                                            f"{exc}.") from exc
            data["kind"] = "fhir"
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
    understood = forms.BooleanField(
        label="I understand that my account and everything in it will be deleted for good.")

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("This is not your password. Nothing was deleted.")
        return password
