"""The treatment log's shared rules: product names, unit totals, the checks before saving and treatment links.

Units of different botulinum-toxin products are never added or converted (clinical reference,
section 5): every total here is per product, through :func:`torsion.clinical.catalogue.totals_by_product`.
Two sessions of "other" products count as the same product only when their names match (ignoring
case and spaces at the ends).

The checks of a session before it is saved are those of :mod:`torsion.clinical.injection_checks`;
this module feeds them the patient's other sessions and binds a confirmation to the exact values it
confirms (:func:`checks_fingerprint`). A check already confirmed for a stored session is not asked
again when that session is corrected and the check is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils.crypto import salted_hmac

from torsion.clinical import catalogue
from torsion.clinical.injection_checks import (
    REINJECTION_INTERVAL_DAYS,
    DoseCheck,
    InjectedLine,
    Session,
    check_session,
)
from torsion.web.accounts.models import Patient
from torsion.web.core.dates import short_date
from torsion.web.records.models import (
    DBSImplant,
    InjectionLine,
    MedicationCourse,
    Procedure,
    ToxinInjection,
)

PRODUCT_LABELS: dict[str, str] = dict(catalogue.TOXIN_PRODUCTS)


def product_key(product: str, product_other: str = "") -> str:
    """The key under which a product's units are added up: the catalogue code, or ``other:<name>``."""
    if product == "other":
        return "other:" + " ".join(product_other.split()).casefold()
    return product


def product_label(key: str, other_names: dict[str, str] | None = None) -> str:
    """A product key as people read it (``other_names`` maps ``other:`` keys to a name as typed)."""
    if key.startswith("other:"):
        name = (other_names or {}).get(key) or key.removeprefix("other:")
        return name or PRODUCT_LABELS["other"]
    return PRODUCT_LABELS.get(key, key)


@dataclass(frozen=True)
class ProductTotal:
    """Units of one product, added over ``sessions`` injection sessions (in that product's own units)."""

    key: str
    label: str
    units: Decimal
    sessions: int


def record_totals(patient: Patient, *, until: date | None = None) -> list[ProductTotal]:
    """Units per product across the whole record (never added across products), most sessions first.

    Parameters
    ----------
    until : date, optional
        Only sessions on or before this day.
    """
    lines = InjectionLine.objects.filter(injection__patient=patient)
    if until is not None:
        lines = lines.filter(injection__date__lte=until)
    rows = list(lines.values_list("injection_id", "injection__product", "injection__product_other", "units"))
    keyed = [(product_key(product, other), units) for _, product, other, units in rows]
    totals = catalogue.totals_by_product(keyed)
    sessions: dict[str, set[int]] = {}
    names: dict[str, str] = {}
    for (injection_id, product, other, _), (key, _) in zip(rows, keyed):
        sessions.setdefault(key, set()).add(injection_id)
        if product == "other" and other.strip():
            names.setdefault(key, " ".join(other.split()))
    result = [ProductTotal(key, product_label(key, names), units, len(sessions[key])) for key, units in totals.items()]
    return sorted(result, key=lambda t: (-len(sessions[t.key]), t.label))


def session_total(injection: ToxinInjection) -> Decimal:
    """Units of the one product of ``injection`` (uses the prefetched lines when present)."""
    totals = catalogue.totals_by_product((injection.product, line.units) for line in injection.lines.all())
    return totals.get(injection.product, Decimal(0))


def checked_session(day: date, product: str, product_other: str, lines: Iterable[dict]) -> Session:
    """A session as entered (``lines`` are cleaned line data: muscle, muscle_other, side, units)."""
    return Session(day, product, tuple(
        InjectedLine(line["muscle"], line["side"], Decimal(line["units"]), line.get("muscle_other", "").strip())
        for line in lines), product_other.strip())


def stored_session(injection: ToxinInjection) -> Session:
    return checked_session(injection.date, injection.product, injection.product_other,
                           ({"muscle": l.muscle, "side": l.side, "units": l.units, "muscle_other": l.muscle_other}
                            for l in injection.lines.all()))


def session_checks(patient: Patient, session: Session, injection: ToxinInjection | None = None
                   ) -> tuple[list[DoseCheck], list[DoseCheck]]:
    """Every check of ``session`` against the patient's other sessions, and those still to confirm.

    The sessions compared are those within the label and re-injection intervals before its day; when
    ``injection`` is a stored session being corrected, it is left out, and checks it was saved with
    (same key) are not asked again.
    """
    window_start = session.day - timedelta(days=REINJECTION_INTERVAL_DAYS)
    others = (ToxinInjection.objects.filter(patient=patient, date__gte=window_start, date__lte=session.day)
              .prefetch_related("lines"))
    if injection is not None and injection.pk:
        others = others.exclude(pk=injection.pk)
    checks = check_session(session, [stored_session(other) for other in others])
    confirmed = {c.get("key") for c in (injection.confirmed_checks if injection is not None else [])}
    return checks, [c for c in checks if c.key not in confirmed]


def checks_fingerprint(patient: Patient, injection: ToxinInjection | None, session: Session,
                       checks: Iterable[DoseCheck]) -> str:
    """A signed digest of the values entered and the checks they raised.

    A confirmation carries it back; any change to the day, the product or a muscle line, or to what
    the checks found, gives another digest, so the changed entry is checked again.
    """
    values = {
        "patient": patient.pk, "injection": injection.pk if injection is not None else None,
        "day": session.day.isoformat(), "product": session.product, "product_name": session.product_name,
        "lines": [[l.muscle, l.muscle_name, l.side, f"{l.units.normalize():f}"] for l in session.lines],
        "checks": [c.key for c in checks],
    }
    return salted_hmac("torsion.records.injection-checks", json.dumps(values, sort_keys=True)).hexdigest()[:40]


def confirmed_record(checks: Iterable[DoseCheck]) -> list[dict[str, str]]:
    """The checks a session is saved with, as stored in :attr:`ToxinInjection.confirmed_checks`."""
    return [{"key": c.key, "message": c.message} for c in checks]


def injections_with_totals(patient: Patient):
    """The patient's sessions, newest first, with their lines and ``units_sum`` (the session's one product)."""
    return (ToxinInjection.objects.filter(patient=patient)
            .annotate(units_sum=Sum("lines__units"))
            .prefetch_related("lines")
            .order_by("-date", "-pk"))


# --- links from a side effect to the treatment it followed ----------------------------------------

#: Adverse-event foreign key -> (model, label of the group in the picker).
LINK_FIELDS: dict[str, tuple[type, str]] = {
    "injection": (ToxinInjection, "Botulinum-toxin injections"),
    "medication": (MedicationCourse, "Medicines"),
    "dbs_implant": (DBSImplant, "Deep brain stimulation"),
    "procedure": (Procedure, "Procedures"),
}


def treatment_date(obj) -> date:
    for name in ("date", "start", "implant_date"):
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AttributeError(f"{type(obj).__name__} has no date")


def link_choices(patient: Patient) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices ``("injection:12", "Injection ...")`` of this patient's treatments only."""
    groups = []
    for field, (model, label) in LINK_FIELDS.items():
        options = [(f"{field}:{obj.pk}", describe_treatment(obj)) for obj in model.objects.filter(patient=patient)]
        if options:
            groups.append((label, options))
    return groups


def describe_treatment(obj) -> str:
    if isinstance(obj, ToxinInjection):
        return f"Injection of {obj.product_name}, {short_date(obj.date)}"
    if isinstance(obj, MedicationCourse):
        return f"{obj}, from {short_date(obj.start)}"
    if isinstance(obj, DBSImplant):
        return f"DBS implant ({obj.get_target_display()}), {short_date(obj.implant_date)}"
    return f"{obj.get_kind_display()}, {short_date(obj.date)}"
