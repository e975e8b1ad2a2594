"""The patient record: symptom diary and treatment log.

Every model has a ``patient`` foreign key and is reached only through
:mod:`torsion.web.accounts.permissions`. Nothing is ever silently overwritten: a diary check-in keeps
each earlier version as a :class:`DiaryRevision`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction

from torsion.clinical import catalogue, checkins
from torsion.web.accounts.models import Patient
from torsion.web.core.dates import short_date

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class PatientOwned(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DiaryEntry(PatientOwned):
    """One check-in: severity per body region, pain, limitation, triggers, relievers, a note.

    A day may have several check-ins, each in a part of the day (morning, afternoon, evening) and
    optionally at a clock time; check-ins kept before times were asked for belong to the whole day.
    The day's summary is the mean of its check-ins (:mod:`torsion.clinical.checkins`).
    ``client_key`` is the key the device gave the check-in when it was filled in, so that a check-in
    sent twice (a form sent again, a check-in kept offline and sent when the connection came back)
    is stored once.
    """

    PERIOD_CHOICES = list(checkins.PERIOD_LABELS.items())

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_entries")
    date = models.DateField()
    period = models.CharField("part of the day", max_length=10, choices=PERIOD_CHOICES, default=checkins.WHOLE_DAY)
    time = models.TimeField(null=True, blank=True)
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    severity = models.JSONField(default=dict, help_text="Body region -> severity 0-10.")
    pain = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    limitation = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_VALIDATORS)
    triggers = models.JSONField(default=list, blank=True)
    relievers = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date", "-time", "-pk"]
        constraints = [models.UniqueConstraint(fields=["patient", "client_key"], name="one_check_in_per_key")]
        indexes = [models.Index(fields=["patient", "date"])]
        verbose_name = "check-in"

    def __str__(self) -> str:
        return f"Check-in {self.date} ({self.when_label.lower()})"

    @property
    def mean_severity(self) -> float | None:
        return checkins.mean_of_scores(self.severity)

    @property
    def when_label(self) -> str:
        """"Morning", "Evening, 19:30" or "Whole day"."""
        label = checkins.PERIOD_LABELS.get(self.period, self.period)
        return f"{label}, {self.time:%H:%M}" if self.time else label

    @property
    def sort_key(self) -> tuple:
        return self.date, *checkins.sort_key(self.period, self.time), self.pk or 0

    def snapshot(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "period": self.period,
            "time": self.time.strftime("%H:%M") if self.time else None,
            "severity": dict(self.severity),
            "pain": self.pain,
            "limitation": self.limitation,
            "triggers": list(self.triggers),
            "relievers": list(self.relievers),
            "note": self.note,
        }

    @transaction.atomic
    def save_revised(self, *, by=None) -> None:
        """Save, first keeping the stored version as a revision if this entry existed before."""
        if self.pk:
            previous = DiaryEntry.objects.select_for_update().get(pk=self.pk)
            if previous.snapshot() != self.snapshot():
                DiaryRevision.objects.create(entry=self, data=previous.snapshot(), saved_by=by)
        self.save()


class DiaryRevision(models.Model):
    """An earlier version of a diary entry, kept whenever the entry is edited."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at"]


class ToxinInjection(PatientOwned):
    """One botulinum-toxin session: one product, injected into one or more muscles."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="injections")
    date = models.DateField()
    product = models.CharField(max_length=32, choices=catalogue.TOXIN_PRODUCTS)
    product_other = models.CharField("other product's name", max_length=80, blank=True)
    lot_number = models.CharField(max_length=40, blank=True)
    dilution_units_per_ml = models.DecimalField(
        "dilution (units per mL)", max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    guidance = models.CharField(max_length=16, choices=catalogue.INJECTION_GUIDANCE, default="none")
    injector = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    confirmed_checks = models.JSONField(
        default=list, blank=True,
        help_text="Dose checks shown before saving and confirmed as entered: [{key, message}].",
    )

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["patient", "date"])]

    def __str__(self) -> str:
        return f"{self.product_name} on {short_date(self.date)}"

    @property
    def product_name(self) -> str:
        return self.product_other if self.product == "other" and self.product_other else self.get_product_display()

    @property
    def total_units(self) -> Decimal:
        """Units of this session's one product (never mixed with another product's units)."""
        return sum((line.units for line in self.lines.all()), Decimal(0))


class InjectionLine(models.Model):
    injection = models.ForeignKey(ToxinInjection, on_delete=models.CASCADE, related_name="lines")
    muscle = models.CharField(max_length=48, choices=catalogue.MUSCLE_CHOICES)
    muscle_other = models.CharField("other muscle's name", max_length=80, blank=True)
    side = models.CharField(max_length=16, choices=catalogue.SIDES)
    units = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    sites = models.PositiveSmallIntegerField("number of sites", default=1, validators=[MinValueValidator(1),
                                                                                       MaxValueValidator(50)])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.muscle_name}, {self.get_side_display().lower()}: {self.units.normalize():f} units"

    @property
    def muscle_name(self) -> str:
        return self.muscle_other or catalogue.MUSCLE_LABELS.get(self.muscle, self.muscle)

    @property
    def patient(self) -> Patient:
        return self.injection.patient

    @property
    def patient_id(self) -> int:
        return self.injection.patient_id


class MedicationCourse(PatientOwned):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    drug = models.CharField(max_length=32, choices=catalogue.ORAL_DRUGS)
    drug_other = models.CharField("other medicine's name", max_length=80, blank=True)
    dose_amount = models.DecimalField(max_digits=8, decimal_places=3, validators=[MinValueValidator(Decimal("0.001"))])
    dose_unit = models.CharField(max_length=8, choices=catalogue.DOSE_UNITS, default="mg")
    times_per_day = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(12)])
    schedule_note = models.CharField(max_length=120, blank=True, help_text="For example: with meals, at bedtime.")
    start = models.DateField()
    stop = models.DateField(null=True, blank=True)
    stop_reason = models.CharField(max_length=200, blank=True)
    side_effects = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.drug_other or self.get_drug_display()

    @property
    def is_current(self) -> bool:
        return self.stop is None

    @property
    def schedule_phrase(self) -> str:
        """The schedule note to follow a comma ("At bedtime" -> "at bedtime"); a short form such as "PRN" is kept."""
        note = self.schedule_note.strip()
        if len(note) > 1 and note[0].isupper() and not note[1].isupper():
            return note[0].lower() + note[1:]
        return note


class DBSImplant(PatientOwned):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="dbs_implants")
    implant_date = models.DateField()
    target = models.CharField(max_length=16, choices=catalogue.DBS_TARGETS)
    target_other = models.CharField(max_length=80, blank=True)
    side = models.CharField(max_length=16, choices=catalogue.SIDES[:3], default="bilateral")
    device = models.CharField(max_length=120, blank=True)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-implant_date"]
        verbose_name = "DBS implant"

    def __str__(self) -> str:
        return f"DBS ({self.get_target_display()}) {self.implant_date}"


class DBSProgramming(models.Model):
    """A programming session; settings are structured fields per hemisphere."""

    implant = models.ForeignKey(DBSImplant, on_delete=models.CASCADE, related_name="programming")
    date = models.DateField()
    settings = models.JSONField(
        default=dict,
        help_text="Per side: contacts, amplitude, amplitude unit (mA or V), pulse width (µs), frequency (Hz).",
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date"]

    @property
    def patient(self) -> Patient:
        return self.implant.patient

    @property
    def patient_id(self) -> int:
        return self.implant.patient_id


class Procedure(PatientOwned):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="procedures")
    date = models.DateField()
    kind = models.CharField(max_length=40, choices=catalogue.PROCEDURES)
    details = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class TherapySession(PatientOwned):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="therapy_sessions")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=catalogue.THERAPIES)
    duration_min = models.PositiveSmallIntegerField(
        "duration (minutes)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    therapist = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class AdverseEvent(PatientOwned):
    """A side effect, linked to the treatment it followed where known."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="adverse_events")
    onset = models.DateField()
    kind = models.CharField(max_length=32, choices=catalogue.ADVERSE_EVENTS)
    description = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=16, choices=catalogue.SEVERITY_GRADES)
    duration_days = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(3650)])
    injection = models.ForeignKey(ToxinInjection, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="adverse_events")
    medication = models.ForeignKey(MedicationCourse, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="adverse_events")
    dbs_implant = models.ForeignKey(DBSImplant, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="adverse_events")
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="adverse_events")

    class Meta:
        ordering = ["-onset"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(injection__isnull=True, medication__isnull=True, dbs_implant__isnull=True)
                    | models.Q(injection__isnull=True, medication__isnull=True, procedure__isnull=True)
                    | models.Q(injection__isnull=True, dbs_implant__isnull=True, procedure__isnull=True)
                    | models.Q(medication__isnull=True, dbs_implant__isnull=True, procedure__isnull=True)
                ),
                name="adverse_event_links_at_most_one_treatment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.onset}"

    @property
    def treatment(self):
        return self.injection or self.medication or self.dbs_implant or self.procedure


class DiaryImport(PatientOwned):
    """A CSV file waiting on its preview page to be mapped, checked and imported into the diary.

    The file's text is kept only until it is imported or cancelled; nothing reaches the diary before
    the person confirms a preview without errors.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_imports")
    filename = models.CharField(max_length=200)
    text = models.TextField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.filename}"


class ReminderSettings(models.Model):
    """The reminders the patient chose: a daily check-in time, and their next botulinum-toxin injection.

    The next injection is the earliest one recorded after today (a planned session) or, without one,
    ``injection_interval_weeks`` after the last injection (12 weeks is the usual shortest interval).
    """

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="reminders")
    check_in_time = models.TimeField("daily check-in reminder", null=True, blank=True,
                                     help_text="Leave empty for no check-in reminder.")
    injection_reminder = models.BooleanField("remind me of my next injection", default=True)
    injection_interval_weeks = models.PositiveSmallIntegerField(
        "weeks between injections", default=12, validators=[MinValueValidator(4), MaxValueValidator(52)])
    injection_days_before = models.PositiveSmallIntegerField(
        "days before it to start reminding me", default=3, validators=[MaxValueValidator(28)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reminder settings"
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"Reminders of {self.patient}"
