"""Catalogues used by the treatment log: botulinum-toxin products, muscles, oral drugs and more.

Each catalogue is a tuple of ``(code, label)`` pairs, with the code stored in records and the label
shown to people. Facts come from the project's clinical reference (toxin products and their
product-specific units; muscles injected in cervical, cranial, laryngeal and limb dystonia; the
"ABCD" oral drugs).

Units of different botulinum-toxin products are not interchangeable: nothing in Torsion adds or
converts units across products. :func:`totals_by_product` is the one place that sums units, and it
keeps products apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

TOXIN_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("onabotulinumtoxinA", "onabotulinumtoxinA (Botox)"),
    ("abobotulinumtoxinA", "abobotulinumtoxinA (Dysport)"),
    ("incobotulinumtoxinA", "incobotulinumtoxinA (Xeomin)"),
    ("rimabotulinumtoxinB", "rimabotulinumtoxinB (Myobloc / NeuroBloc)"),
    ("daxibotulinumtoxinA", "daxibotulinumtoxinA (Daxxify)"),
    ("other", "Other product"),
)

#: Typical total doses per session for cervical dystonia, in each product's own units, from labels and
#: trials. Used only to warn about a probable typing mistake, never as advice.
CERVICAL_DOSE_PLAUSIBLE_UNITS: dict[str, tuple[float, float]] = {
    "onabotulinumtoxinA": (15, 500),
    "abobotulinumtoxinA": (50, 1500),
    "incobotulinumtoxinA": (15, 500),
    "rimabotulinumtoxinB": (500, 15000),
    "daxibotulinumtoxinA": (25, 500),
}

INJECTION_GUIDANCE: tuple[tuple[str, str], ...] = (
    ("none", "By anatomy (no guidance)"),
    ("emg", "EMG"),
    ("ultrasound", "Ultrasound"),
    ("estim", "Electrical stimulation"),
)

SIDES: tuple[tuple[str, str], ...] = (
    ("left", "Left"),
    ("right", "Right"),
    ("bilateral", "Both sides"),
    ("midline", "Midline"),
)


@dataclass(frozen=True)
class Muscle:
    code: str
    label: str
    group: str


_MUSCLE_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "Neck and shoulder": (
        ("sternocleidomastoid", "Sternocleidomastoid"),
        ("splenius_capitis", "Splenius capitis"),
        ("splenius_cervicis", "Splenius cervicis"),
        ("semispinalis_capitis", "Semispinalis capitis"),
        ("levator_scapulae", "Levator scapulae"),
        ("trapezius", "Trapezius"),
        ("scalenes", "Scalenes"),
        ("obliquus_capitis_inferior", "Obliquus capitis inferior"),
        ("longus_colli", "Longus colli"),
        ("platysma", "Platysma"),
    ),
    "Eyelids and brow": (
        ("orbicularis_oculi_pretarsal", "Orbicularis oculi, pretarsal"),
        ("orbicularis_oculi_preseptal", "Orbicularis oculi, preseptal"),
        ("orbicularis_oculi_orbital", "Orbicularis oculi, orbital"),
        ("procerus", "Procerus"),
        ("corrugator", "Corrugator"),
    ),
    "Jaw, mouth and tongue": (
        ("masseter", "Masseter"),
        ("temporalis", "Temporalis"),
        ("lateral_pterygoid", "Lateral pterygoid"),
        ("medial_pterygoid", "Medial pterygoid"),
        ("digastric", "Digastric"),
        ("genioglossus", "Genioglossus"),
        ("orbicularis_oris", "Orbicularis oris"),
        ("mentalis", "Mentalis"),
    ),
    "Larynx": (
        ("thyroarytenoid", "Thyroarytenoid"),
        ("lateral_cricoarytenoid", "Lateral cricoarytenoid"),
        ("posterior_cricoarytenoid", "Posterior cricoarytenoid"),
    ),
    "Arm and hand": (
        ("flexor_digitorum_superficialis", "Flexor digitorum superficialis"),
        ("flexor_digitorum_profundus", "Flexor digitorum profundus"),
        ("flexor_pollicis_longus", "Flexor pollicis longus"),
        ("flexor_carpi_radialis", "Flexor carpi radialis"),
        ("flexor_carpi_ulnaris", "Flexor carpi ulnaris"),
        ("pronator_teres", "Pronator teres"),
        ("extensor_digitorum", "Extensor digitorum"),
        ("extensor_carpi_radialis", "Extensor carpi radialis"),
        ("lumbricals_interossei", "Lumbricals and interossei"),
        ("biceps", "Biceps brachii"),
        ("brachioradialis", "Brachioradialis"),
    ),
    "Other": (("other", "Other muscle"),),
}

MUSCLES: tuple[Muscle, ...] = tuple(
    Muscle(code, label, group) for group, muscles in _MUSCLE_GROUPS.items() for code, label in muscles
)
MUSCLE_CHOICES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = tuple(_MUSCLE_GROUPS.items())
MUSCLE_LABELS: dict[str, str] = {m.code: m.label for m in MUSCLES}

ORAL_DRUGS: tuple[tuple[str, str], ...] = (
    ("trihexyphenidyl", "Trihexyphenidyl (anticholinergic)"),
    ("benztropine", "Benztropine (anticholinergic)"),
    ("baclofen", "Baclofen"),
    ("clonazepam", "Clonazepam (benzodiazepine)"),
    ("diazepam", "Diazepam (benzodiazepine)"),
    ("levodopa_carbidopa", "Levodopa/carbidopa"),
    ("tetrabenazine", "Tetrabenazine (dopamine depleter)"),
    ("gabapentin", "Gabapentin"),
    ("other", "Other medicine"),
)

DOSE_UNITS: tuple[tuple[str, str], ...] = (("mg", "mg"), ("mcg", "µg"), ("ml", "mL"), ("tablet", "tablet(s)"))

DBS_TARGETS: tuple[tuple[str, str], ...] = (
    ("gpi", "Globus pallidus internus (GPi)"),
    ("stn", "Subthalamic nucleus (STN)"),
    ("other", "Other target"),
)

PROCEDURES: tuple[tuple[str, str], ...] = (
    ("selective_peripheral_denervation", "Selective peripheral denervation"),
    ("myectomy", "Myectomy"),
    ("intrathecal_baclofen", "Intrathecal baclofen pump"),
    ("other", "Other procedure"),
)

THERAPIES: tuple[tuple[str, str], ...] = (
    ("physical", "Physical therapy"),
    ("occupational", "Occupational therapy"),
    ("speech", "Speech and voice therapy"),
    ("other", "Other therapy"),
)

ADVERSE_EVENTS: tuple[tuple[str, str], ...] = (
    ("dysphagia", "Difficulty swallowing"),
    ("neck_weakness", "Neck weakness"),
    ("ptosis", "Drooping eyelid"),
    ("dry_eye", "Dry eye"),
    ("diplopia", "Double vision"),
    ("breathy_voice", "Breathy or weak voice"),
    ("dry_mouth", "Dry mouth"),
    ("hand_weakness", "Hand or finger weakness"),
    ("injection_site_pain", "Pain where injected"),
    ("flu_like", "Flu-like feeling"),
    ("drowsiness", "Drowsiness"),
    ("confusion", "Confusion or memory trouble"),
    ("blurred_vision", "Blurred vision"),
    ("nausea", "Nausea"),
    ("other", "Other"),
)

SEVERITY_GRADES: tuple[tuple[str, str], ...] = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))

TRIGGERS: tuple[tuple[str, str], ...] = (
    ("stress", "Stress"),
    ("fatigue", "Tiredness"),
    ("poor_sleep", "Poor sleep"),
    ("heat", "Heat"),
    ("cold", "Cold"),
    ("illness", "Illness"),
    ("caffeine", "Caffeine"),
    ("alcohol", "Alcohol"),
    ("screen", "Long screen time"),
    ("bright_light", "Bright light"),
    ("writing", "Writing or typing"),
    ("speaking", "Long talking"),
    ("walking", "Walking or standing"),
)

RELIEVERS: tuple[tuple[str, str], ...] = (
    ("sensory_trick", "Sensory trick"),
    ("rest", "Rest"),
    ("lying_down", "Lying down"),
    ("heat_pack", "Heat pack"),
    ("cold_pack", "Cold pack"),
    ("stretching", "Stretching"),
    ("exercise", "Exercise"),
    ("massage", "Massage"),
    ("relaxation", "Relaxation or breathing"),
    ("medication", "Medicine"),
    # Listed because people report it, so that the diary can record it; the label and the check-in
    # form say that it is not a treatment. (No commas or semicolons in labels: the diary export
    # separates them with those.)
    ("alcohol", "Alcohol (not a treatment)"),
)


def totals_by_product(lines: Iterable[tuple[str, Decimal | float | int]]) -> dict[str, Decimal]:
    """Sum injected units per product, never across products.

    Parameters
    ----------
    lines : iterable of (product code, units)
        One pair per injected muscle line; units are in that product's own units.

    Returns
    -------
    dict
        Product code -> total units of that product, in first-seen order.
    """
    totals: dict[str, Decimal] = {}
    for product, units in lines:
        totals[product] = totals.get(product, Decimal(0)) + Decimal(str(units))
    return totals
