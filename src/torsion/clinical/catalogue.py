"""Catalogues used by the treatment log: botulinum-toxin products, muscles, oral drugs and more.

Each catalogue is a tuple of ``(code, label)`` pairs, with the code stored in records and the label
shown to people. Facts come from the project's clinical reference (toxin products and their
product-specific units; muscles injected in cervical (after the COL-CAP concept), cranial, laryngeal,
trunk and limb dystonia, each with its body region and the sides it can be injected on; the "ABCD"
oral drugs). The usual dose ranges used to catch typing mistakes are in
:mod:`torsion.clinical.injection_checks`.

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


#: How a muscle is recorded with a side: a muscle of each side (left, right or both), a single muscle in
#: the midline, or either (muscles injected by side or at the midline, such as the lip ring).
PAIRED, MIDLINE, EITHER = "paired", "midline", "either"
_SIDES_ALLOWED = {PAIRED: ("left", "right", "bilateral"), MIDLINE: ("midline",),
                  EITHER: ("left", "right", "bilateral", "midline")}


@dataclass(frozen=True)
class Muscle:
    """One muscle of the catalogue.

    Attributes
    ----------
    code, label : str
        Stored code and the name shown to people.
    group : str
        Heading of the muscle picker it is listed under.
    region : str or None
        Body region of the 2013 consensus (:mod:`torsion.clinical.regions`) it belongs to; ``"arm"``
        and ``"leg"`` take the side of the injection (left arm, right arm); ``None`` for "other".
    sidedness : {"paired", "midline", "either"}
        Which sides make sense for it (see :func:`sides_allowed`).
    dose_class : str
        Size class used by the dose checks (:mod:`torsion.clinical.injection_checks`).
    """

    code: str
    label: str
    group: str
    region: str | None
    sidedness: str
    dose_class: str


# (code, label, region, sidedness, dose class) per picker group. The neck muscles follow the COL-CAP
# concept: muscles that turn, tilt or bend the head on the neck ("caput": obliquus capitis inferior and
# superior, rectus capitis posterior major, longus capitis, splenius and semispinalis capitis,
# longissimus capitis) as well as those that move the neck on the trunk ("collis").
_MUSCLE_GROUPS: dict[str, tuple[tuple[str, str, str | None, str, str], ...]] = {
    "Neck and shoulder": (
        ("sternocleidomastoid", "Sternocleidomastoid", "neck", PAIRED, "neck_large"),
        ("splenius_capitis", "Splenius capitis", "neck", PAIRED, "neck_large"),
        ("splenius_cervicis", "Splenius cervicis", "neck", PAIRED, "neck_large"),
        ("semispinalis_capitis", "Semispinalis capitis", "neck", PAIRED, "neck_large"),
        ("semispinalis_cervicis", "Semispinalis cervicis", "neck", PAIRED, "neck_large"),
        ("longissimus_capitis", "Longissimus capitis", "neck", PAIRED, "neck_large"),
        ("longissimus_cervicis", "Longissimus cervicis", "neck", PAIRED, "neck_large"),
        ("levator_scapulae", "Levator scapulae", "neck", PAIRED, "neck_large"),
        ("trapezius", "Trapezius", "neck", PAIRED, "neck_large"),
        ("scalenes", "Scalenes", "neck", PAIRED, "neck_deep"),
        ("obliquus_capitis_inferior", "Obliquus capitis inferior", "neck", PAIRED, "neck_deep"),
        ("obliquus_capitis_superior", "Obliquus capitis superior", "neck", PAIRED, "neck_deep"),
        ("rectus_capitis_posterior_major", "Rectus capitis posterior major", "neck", PAIRED, "neck_deep"),
        ("longus_capitis", "Longus capitis", "neck", PAIRED, "neck_deep"),
        ("longus_colli", "Longus colli", "neck", PAIRED, "neck_deep"),
        ("platysma", "Platysma", "neck", PAIRED, "neck_deep"),
    ),
    "Eyelids and brow": (
        ("orbicularis_oculi_pretarsal", "Orbicularis oculi, pretarsal", "upper_face", PAIRED, "face"),
        ("orbicularis_oculi_preseptal", "Orbicularis oculi, preseptal", "upper_face", PAIRED, "face"),
        ("orbicularis_oculi_orbital", "Orbicularis oculi, orbital", "upper_face", PAIRED, "face"),
        ("procerus", "Procerus", "upper_face", MIDLINE, "face"),
        ("corrugator", "Corrugator", "upper_face", PAIRED, "face"),
    ),
    "Jaw, mouth and tongue": (
        ("masseter", "Masseter", "jaw", PAIRED, "jaw"),
        ("temporalis", "Temporalis", "jaw", PAIRED, "jaw"),
        ("lateral_pterygoid", "Lateral pterygoid", "jaw", PAIRED, "jaw"),
        ("medial_pterygoid", "Medial pterygoid", "jaw", PAIRED, "jaw"),
        ("digastric", "Digastric", "jaw", EITHER, "jaw"),
        ("genioglossus", "Genioglossus", "tongue", EITHER, "jaw"),
        ("orbicularis_oris", "Orbicularis oris", "lower_face", EITHER, "face"),
        ("mentalis", "Mentalis", "lower_face", EITHER, "face"),
    ),
    "Larynx": (
        ("thyroarytenoid", "Thyroarytenoid", "larynx", PAIRED, "larynx"),
        ("lateral_cricoarytenoid", "Lateral cricoarytenoid", "larynx", PAIRED, "larynx"),
        ("posterior_cricoarytenoid", "Posterior cricoarytenoid", "larynx", PAIRED, "larynx"),
    ),
    "Arm and hand": (
        ("flexor_digitorum_superficialis", "Flexor digitorum superficialis", "arm", PAIRED, "forearm"),
        ("flexor_digitorum_profundus", "Flexor digitorum profundus", "arm", PAIRED, "forearm"),
        ("flexor_pollicis_longus", "Flexor pollicis longus", "arm", PAIRED, "forearm"),
        ("flexor_carpi_radialis", "Flexor carpi radialis", "arm", PAIRED, "forearm"),
        ("flexor_carpi_ulnaris", "Flexor carpi ulnaris", "arm", PAIRED, "forearm"),
        ("pronator_teres", "Pronator teres", "arm", PAIRED, "forearm"),
        ("supinator", "Supinator", "arm", PAIRED, "forearm"),
        ("extensor_digitorum", "Extensor digitorum", "arm", PAIRED, "forearm"),
        ("extensor_carpi_radialis", "Extensor carpi radialis", "arm", PAIRED, "forearm"),
        ("extensor_carpi_ulnaris", "Extensor carpi ulnaris", "arm", PAIRED, "forearm"),
        ("extensor_pollicis_longus", "Extensor pollicis longus", "arm", PAIRED, "hand"),
        ("extensor_indicis", "Extensor indicis", "arm", PAIRED, "hand"),
        ("adductor_pollicis", "Adductor pollicis", "arm", PAIRED, "hand"),
        ("lumbricals_interossei", "Lumbricals and interossei", "arm", PAIRED, "hand"),
        ("biceps", "Biceps brachii", "arm", PAIRED, "limb_large"),
        ("brachioradialis", "Brachioradialis", "arm", PAIRED, "forearm"),
    ),
    "Trunk": (
        ("rectus_abdominis", "Rectus abdominis", "trunk", PAIRED, "trunk"),
        ("erector_spinae_thoracic", "Thoracic paraspinals (erector spinae)", "trunk", PAIRED, "trunk"),
        ("erector_spinae_lumbar", "Lumbar paraspinals (erector spinae)", "trunk", PAIRED, "trunk"),
    ),
    "Leg and foot": (
        ("gastrocnemius", "Gastrocnemius", "leg", PAIRED, "limb_large"),
        ("soleus", "Soleus", "leg", PAIRED, "limb_large"),
        ("tibialis_posterior", "Tibialis posterior", "leg", PAIRED, "limb_large"),
        ("tibialis_anterior", "Tibialis anterior", "leg", PAIRED, "limb_large"),
        ("extensor_hallucis_longus", "Extensor hallucis longus", "leg", PAIRED, "foot"),
        ("flexor_hallucis_longus", "Flexor hallucis longus", "leg", PAIRED, "foot"),
        ("flexor_digitorum_longus", "Flexor digitorum longus", "leg", PAIRED, "foot"),
    ),
    "Other": (("other", "Other muscle", None, EITHER, "other"),),
}

MUSCLES: tuple[Muscle, ...] = tuple(
    Muscle(code, label, group, region, sidedness, dose_class)
    for group, muscles in _MUSCLE_GROUPS.items() for code, label, region, sidedness, dose_class in muscles
)
MUSCLES_BY_CODE: dict[str, Muscle] = {m.code: m for m in MUSCLES}
MUSCLE_CHOICES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = tuple(
    (group, tuple((code, label) for code, label, *_ in muscles)) for group, muscles in _MUSCLE_GROUPS.items()
)
MUSCLE_LABELS: dict[str, str] = {m.code: m.label for m in MUSCLES}


def sides_allowed(muscle: str) -> tuple[str, ...]:
    """Side codes that make sense for ``muscle`` (every side for an unknown or "other" muscle)."""
    info = MUSCLES_BY_CODE.get(muscle)
    return _SIDES_ALLOWED[info.sidedness if info else EITHER]


def muscle_regions(muscle: str, side: str) -> tuple[str, ...]:
    """Consensus body regions an injection of ``muscle`` on ``side`` reaches.

    An arm or leg muscle counts for the arm or leg of its side (both for "bilateral"); other muscles
    count for their own region whatever the side. "Other" muscles have no known region.

    >>> muscle_regions("flexor_carpi_radialis", "bilateral")
    ('left_arm', 'right_arm')
    >>> muscle_regions("splenius_capitis", "left")
    ('neck',)
    """
    info = MUSCLES_BY_CODE.get(muscle)
    if info is None or info.region is None:
        return ()
    if info.region in ("arm", "leg"):
        sides = {"left": ("left",), "right": ("right",), "bilateral": ("left", "right")}.get(side, ())
        return tuple(f"{s}_{info.region}" for s in sides)
    return (info.region,)


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
