"""Sign-up and profile forms. Log-in, log-out, password change and reset use Django's own views."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.db import transaction

from torsion.web.accounts.models import Clinician, Patient, Role, User


class SignUpForm(UserCreationForm):
    role = forms.ChoiceField(
        label="I am",
        choices=[(Role.PATIENT, "A person living with dystonia"), (Role.CLINICIAN, "A clinician")],
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        initial=Role.PATIENT,
    )
    email = forms.EmailField(
        label="E-mail", required=False, help_text="Optional. Needed only if you want to be able to reset your password."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.role = self.cleaned_data["role"]
        if commit:
            user.save()
            if user.role == Role.CLINICIAN:
                Clinician.objects.create(user=user)
            else:
                Patient.objects.create(user=user)
        return user


class LoginForm(AuthenticationForm):
    """Django's log-in form with autocomplete hints for password managers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "email")


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="What is the key for?", max_length=60,
                           help_text="For example: my laptop, a research script.")


class InvitationForm(forms.Form):
    """What a patient chooses when inviting a clinician."""

    level = forms.ChoiceField(
        label="What may the clinician do?",
        choices=[("read", "See my record (read only)"),
                 ("edit", "See my record and add to it: injections, diagnosis, clinician-rated scales")],
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        initial="read",
    )
    days = forms.TypedChoiceField(
        label="The code works for",
        choices=[(1, "1 day"), (7, "7 days"), (14, "14 days")],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choice-buttons"}),
        initial=7,
    )


class AcceptInvitationForm(forms.Form):
    code = forms.CharField(
        label="Invitation code", max_length=40,
        help_text="Ten letters and digits, as the patient gave it to you, for example ABCDE-12345.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
