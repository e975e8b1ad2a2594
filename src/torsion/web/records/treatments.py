"""The treatment log's shared rules: product names, unit totals, dose plausibility and treatment links.

Units of different botulinum-toxin products are never added or converted (clinical reference,
section 5): every total here is per product, through :func:`torsion.clinical.catalogue.totals_by_product`.
Two sessions of "other" products count as the same product only when their names match (ignoring
case and spaces at the ends).

The dose check compares a session's total with ``catalogue.CERVICAL_DOSE_PLAUSIBLE_UNITS``, the
range of totals seen for cervical dystonia in labels and trials. It only asks the person to look
for a typing mistake; it never says what a dose should be. A total above the range is flagged for
every session; a total below it only when the session includes a neck or shoulder muscle, because
sessions for the eyelids, the voice or a hand rightly use far fewer units than a neck session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from torsion.clinical import catalogue
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
NECK_MUSCLES: frozenset[str] = frozenset(m.code for m in catalogue.MUSCLES if m.group == "Neck and shoulder")


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


def dose_warning(product: str, total_units: Decimal, muscles: Iterable[str], product_name: str = "") -> str | None:
    """A request to check for a typing mistake when a session's total is unusual, else ``None``.

    Parameters
    ----------
    product : str
        Catalogue code of the product (no range is known for ``other``).
    total_units : Decimal
        The session's total, in that product's units.
    muscles : iterable of str
        Muscle codes of the session's lines.
    """
    plausible = catalogue.CERVICAL_DOSE_PLAUSIBLE_UNITS.get(product)
    if plausible is None or total_units <= 0:
        return None
    low, high = plausible
    name = product_name or PRODUCT_LABELS.get(product, product)
    amount = f"{total_units.normalize():,f} units of {name}"
    usual = f"the {low:g} to {high:g} units usually recorded for one cervical dystonia session"
    if total_units > Decimal(str(high)):
        return f"Please check for a typing mistake: {amount} is more than {usual}."
    if total_units < Decimal(str(low)) and NECK_MUSCLES.intersection(muscles):
        return f"Please check for a typing mistake: {amount} is less than {usual}."
    return None


def injection_warning(injection: ToxinInjection) -> str | None:
    lines = list(injection.lines.all())
    return dose_warning(injection.product, session_total(injection), [line.muscle for line in lines],
                        injection.product_name)


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
