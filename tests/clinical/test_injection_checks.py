"""The checks of a botulinum-toxin session before saving, and the muscle catalogue they rely on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from torsion.clinical import catalogue
from torsion.clinical.injection_checks import (
    LABEL_MAXIMA,
    REINJECTION_INTERVAL_DAYS,
    USUAL_UNITS_PER_MUSCLE,
    USUAL_UNITS_PER_SESSION,
    InjectedLine,
    Session,
    check_session,
    muscle_range,
)

DAY = date(2025, 6, 20)
PRODUCTS = [code for code, _ in catalogue.TOXIN_PRODUCTS if code != "other"]


def session(product: str, *lines: tuple[str, str, float], day: date = DAY) -> Session:
    return Session(day, product, tuple(InjectedLine(m, s, Decimal(str(u))) for m, s, u in lines))


def messages(checks) -> list[str]:
    return [c.message for c in checks]


# --- the catalogue -------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, label, group, region, sidedness", [
    ("longus_capitis", "Longus capitis", "Neck and shoulder", "neck", "paired"),
    ("rectus_capitis_posterior_major", "Rectus capitis posterior major", "Neck and shoulder", "neck", "paired"),
    ("obliquus_capitis_superior", "Obliquus capitis superior", "Neck and shoulder", "neck", "paired"),
    ("obliquus_capitis_inferior", "Obliquus capitis inferior", "Neck and shoulder", "neck", "paired"),
    ("semispinalis_cervicis", "Semispinalis cervicis", "Neck and shoulder", "neck", "paired"),
    ("longissimus_capitis", "Longissimus capitis", "Neck and shoulder", "neck", "paired"),
    ("longissimus_cervicis", "Longissimus cervicis", "Neck and shoulder", "neck", "paired"),
    ("rectus_abdominis", "Rectus abdominis", "Trunk", "trunk", "paired"),
    ("erector_spinae_thoracic", "Thoracic paraspinals (erector spinae)", "Trunk", "trunk", "paired"),
    ("erector_spinae_lumbar", "Lumbar paraspinals (erector spinae)", "Trunk", "trunk", "paired"),
    ("tibialis_posterior", "Tibialis posterior", "Leg and foot", "leg", "paired"),
    ("tibialis_anterior", "Tibialis anterior", "Leg and foot", "leg", "paired"),
    ("gastrocnemius", "Gastrocnemius", "Leg and foot", "leg", "paired"),
    ("soleus", "Soleus", "Leg and foot", "leg", "paired"),
    ("extensor_hallucis_longus", "Extensor hallucis longus", "Leg and foot", "leg", "paired"),
    ("flexor_digitorum_longus", "Flexor digitorum longus", "Leg and foot", "leg", "paired"),
    ("extensor_carpi_ulnaris", "Extensor carpi ulnaris", "Arm and hand", "arm", "paired"),
    ("extensor_pollicis_longus", "Extensor pollicis longus", "Arm and hand", "arm", "paired"),
    ("extensor_indicis", "Extensor indicis", "Arm and hand", "arm", "paired"),
    ("adductor_pollicis", "Adductor pollicis", "Arm and hand", "arm", "paired"),
    ("supinator", "Supinator", "Arm and hand", "arm", "paired"),
    ("procerus", "Procerus", "Eyelids and brow", "upper_face", "midline"),
    ("orbicularis_oris", "Orbicularis oris", "Jaw, mouth and tongue", "lower_face", "either"),
    ("genioglossus", "Genioglossus", "Jaw, mouth and tongue", "tongue", "either"),
    ("thyroarytenoid", "Thyroarytenoid", "Larynx", "larynx", "paired"),
])
def test_catalogue_muscles_have_region_and_sidedness(code, label, group, region, sidedness):
    muscle = catalogue.MUSCLES_BY_CODE[code]
    assert (muscle.label, muscle.group, muscle.region, muscle.sidedness) == (label, group, region, sidedness)
    assert (code, label) in dict(catalogue.MUSCLE_CHOICES)[group]


def test_every_muscle_has_a_known_region_and_a_dose_range_for_every_product():
    from torsion.clinical.regions import REGIONS

    codes = [m.code for m in catalogue.MUSCLES]
    assert len(codes) == len(set(codes))
    for muscle in catalogue.MUSCLES:
        if muscle.code == "other":
            assert muscle.region is None and muscle_range("onabotulinumtoxinA", "other", "left") is None
            continue
        assert muscle.region in (*REGIONS, "arm", "leg"), muscle
        for product in PRODUCTS:
            low, high, _ = muscle_range(product, muscle.code, "left")
            assert 0 < low < high, (product, muscle.code)


@pytest.mark.parametrize("muscle, side, regions", [
    ("flexor_carpi_radialis", "left", ("left_arm",)),
    ("flexor_carpi_radialis", "bilateral", ("left_arm", "right_arm")),
    ("tibialis_posterior", "right", ("right_leg",)),
    ("sternocleidomastoid", "left", ("neck",)),
    ("trapezius", "bilateral", ("neck",)),
    ("procerus", "midline", ("upper_face",)),
    ("rectus_abdominis", "right", ("trunk",)),
    ("other", "left", ()),
])
def test_muscle_regions(muscle, side, regions):
    assert catalogue.muscle_regions(muscle, side) == regions


@pytest.mark.parametrize("muscle, allowed", [
    ("splenius_capitis", ("left", "right", "bilateral")),
    ("procerus", ("midline",)),
    ("orbicularis_oris", ("left", "right", "bilateral", "midline")),
    ("other", ("left", "right", "bilateral", "midline")),
])
def test_sides_allowed(muscle, allowed):
    assert catalogue.sides_allowed(muscle) == allowed


# --- per muscle ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("product, line, expected", [
    ("abobotulinumtoxinA", ("sternocleidomastoid", "left", 2500),
     "Sternocleidomastoid (left): 2,500 units of abobotulinumtoxinA (Dysport) is more than the 15 to 600 units "
     "usually recorded for a large neck or shoulder muscle with this product."),
    ("abobotulinumtoxinA", ("sternocleidomastoid", "left", 250), None),
    ("onabotulinumtoxinA", ("sternocleidomastoid", "left", 100), None),
    ("onabotulinumtoxinA", ("sternocleidomastoid", "left", 120),
     "Sternocleidomastoid (left): 120 units of onabotulinumtoxinA (Botox) is more than the 5 to 100 units usually "
     "recorded for the sternocleidomastoid with this product."),
    ("incobotulinumtoxinA", ("sternocleidomastoid", "left", 120), None),  # the exception is onabotulinumtoxinA's
    ("onabotulinumtoxinA", ("splenius_capitis", "bilateral", 400), None),  # both sides: twice the one-side bound
    ("onabotulinumtoxinA", ("splenius_capitis", "right", 400), "more than the 5 to 200 units"),
    ("onabotulinumtoxinA", ("orbicularis_oculi_pretarsal", "left", 0.25), "less than the 0.5 to 25 units"),
    ("onabotulinumtoxinA", ("thyroarytenoid", "left", 25), "more than the 0.1 to 10 units"),
    ("rimabotulinumtoxinB", ("splenius_capitis", "right", 5000), None),
    ("rimabotulinumtoxinB", ("splenius_capitis", "right", 50), "less than the 250 to 7,500 units"),
    ("daxibotulinumtoxinA", ("gastrocnemius", "left", 30), None),
    ("onabotulinumtoxinA", ("adductor_pollicis", "left", 400), "small hand or thumb muscle"),
    ("other", ("trapezius", "left", 99999), None),  # no range is known for another product
])
def test_dose_per_muscle(product, line, expected):
    found = [c for c in check_session(session(product, line)) if c.kind == "muscle_dose"]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].line == 0 and expected in found[0].message, found


def test_each_product_has_its_own_table_never_a_conversion():
    """The same number of units is usual for one product and flagged for another."""
    line = ("splenius_capitis", "right", 500)
    flagged = {p for p in PRODUCTS if any(c.kind == "muscle_dose" for c in check_session(session(p, line)))}
    assert flagged == {"onabotulinumtoxinA", "incobotulinumtoxinA", "daxibotulinumtoxinA"}
    assert set(USUAL_UNITS_PER_MUSCLE) == set(USUAL_UNITS_PER_SESSION) == set(PRODUCTS)


# --- per session and label maxima --------------------------------------------------------------------------

@pytest.mark.parametrize("product, lines, kind, expected", [
    ("abobotulinumtoxinA", [("splenius_capitis", "left", 500), ("splenius_capitis", "right", 500),
                            ("trapezius", "left", 600)],
     "session_dose", "The session's total, 1,600 units of abobotulinumtoxinA (Dysport), is more than the 50 to 1,500"),
    ("abobotulinumtoxinA", [("trapezius", "left", 20)], "session_dose", "less than the 50 to 1,500 units usually "
                                                                       "recorded for one cervical dystonia session"),
    ("abobotulinumtoxinA", [("orbicularis_oculi_pretarsal", "left", 20)], "session_dose", None),  # eyelids: fine
    ("onabotulinumtoxinA", [("trapezius", "bilateral", 400)], "label_maximum", None),  # exactly the maximum
    ("onabotulinumtoxinA", [("trapezius", "bilateral", 300), ("levator_scapulae", "bilateral", 101)],
     "label_maximum", "401 units of onabotulinumtoxinA (Botox) in this session is more than the label maximum of "
                      "400 units in any 12 weeks (the US label, all uses together)."),
    # Above the label, the session check gives way to the label's lower maximum: one finding, not two.
    ("onabotulinumtoxinA", [("trapezius", "bilateral", 300), ("gastrocnemius", "bilateral", 300)],
     "session_dose", None),
    ("daxibotulinumtoxinA", [("splenius_capitis", "bilateral", 260)], "label_maximum",
     "260 units of daxibotulinumtoxinA (Daxxify) in one cervical dystonia session is more than the label maximum "
     "of 250 units per session (the US label for cervical dystonia)."),
    ("daxibotulinumtoxinA", [("gastrocnemius", "bilateral", 260)], "label_maximum", None),  # not cervical
    ("daxibotulinumtoxinA", [("gastrocnemius", "bilateral", 260)], "session_dose", None),
])
def test_dose_per_session_and_label_maxima(product, lines, kind, expected):
    found = [c.message for c in check_session(session(product, *lines)) if c.kind == kind]
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


def test_label_maximum_counts_earlier_sessions_of_the_same_product_within_12_weeks():
    new = session("incobotulinumtoxinA", ("gastrocnemius", "left", 150))
    earlier = [session("incobotulinumtoxinA", ("splenius_capitis", "left", 200), day=DAY - timedelta(days=60)),
               session("incobotulinumtoxinA", ("flexor_carpi_radialis", "left", 60), day=DAY - timedelta(days=30)),
               session("incobotulinumtoxinA", ("trapezius", "left", 200), day=DAY - timedelta(days=84)),  # outside
               session("onabotulinumtoxinA", ("trapezius", "left", 200), day=DAY - timedelta(days=10))]  # other product
    found = [c for c in check_session(new, earlier) if c.kind == "label_maximum"]
    assert messages(found) == [
        "With the earlier sessions of 21 April 2025 (200 units) and 21 May 2025 (60 units), this makes 410 units of "
        "incobotulinumtoxinA (Xeomin) within 12 weeks, more than the label maximum of 400 units in any 12 weeks "
        "(the US label, all uses together)."]
    assert check_session(new, earlier[2:]) == [c for c in check_session(new, earlier[2:]) if c.kind == "interval"]


def test_label_maxima_are_lower_than_the_usual_session_ranges():
    for maximum in LABEL_MAXIMA:
        assert maximum.units < Decimal(USUAL_UNITS_PER_SESSION[maximum.product][1])
        assert maximum.source


# --- interval ------------------------------------------------------------------------------------------------

NECK = ("sternocleidomastoid", "left", 50)


@pytest.mark.parametrize("days, expected", [
    (18, "18 days after the previous injection of the neck (2 June 2025): injections of the same region are usually "
         "at least 12 weeks (84 days) apart."),
    (1, "1 day after the previous injection of the neck"),
    (0, "Another injection of the neck is recorded on the same day (20 June 2025): check that this session is not "
        "entered twice."),
    (REINJECTION_INTERVAL_DAYS - 1, "83 days after"),
    (REINJECTION_INTERVAL_DAYS, None),
    (-5, None),  # a later session does not count against an earlier one
])
def test_interval_since_the_same_region(days, expected):
    earlier = [session("abobotulinumtoxinA", ("splenius_capitis", "right", 300), day=DAY - timedelta(days=days))]
    found = messages(c for c in check_session(session("onabotulinumtoxinA", NECK), earlier) if c.kind == "interval")
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("before, now, warns", [
    (("orbicularis_oculi_pretarsal", "bilateral", 10), NECK, False),  # another region
    (("flexor_carpi_radialis", "left", 30), ("flexor_digitorum_superficialis", "right", 30), False),  # other arm
    (("flexor_carpi_radialis", "bilateral", 30), ("flexor_digitorum_superficialis", "right", 30), True),
    (("other", "left", 30), NECK, False),  # an unnamed muscle has no known region
])
def test_interval_is_per_region_and_limb_side(before, now, warns):
    earlier = [session("onabotulinumtoxinA", before, day=DAY - timedelta(days=20))]
    found = [c for c in check_session(session("onabotulinumtoxinA", now), earlier) if c.kind == "interval"]
    assert bool(found) is warns


def test_interval_names_every_region_of_one_previous_session():
    earlier = [session("onabotulinumtoxinA", NECK, ("orbicularis_oculi_pretarsal", "bilateral", 10),
                       ("masseter", "left", 20), day=DAY - timedelta(days=30))]
    new = session("onabotulinumtoxinA", NECK, ("orbicularis_oculi_pretarsal", "bilateral", 10), ("masseter", "left", 20))
    assert messages(check_session(new, earlier))[0].startswith(
        "30 days after the previous injection of the eyelids and brow, the jaw, and the neck (21 May 2025)")


def test_interval_names_each_previous_session_with_its_regions():
    earlier = [session("onabotulinumtoxinA", NECK, ("orbicularis_oculi_pretarsal", "bilateral", 10),
                       day=DAY - timedelta(days=40)),
               session("onabotulinumtoxinA", ("trapezius", "left", 30), day=DAY - timedelta(days=18))]
    new = session("onabotulinumtoxinA", NECK, ("orbicularis_oculi_pretarsal", "bilateral", 10))
    assert [m.split(":")[0] for m in messages(check_session(new, earlier))] == [
        "18 days after the previous injection of the neck (2 June 2025)",
        "40 days after the previous injection of the eyelids and brow (11 May 2025)"]


# --- properties -------------------------------------------------------------------------------------------

line_strategy = st.tuples(st.sampled_from([m.code for m in catalogue.MUSCLES if m.sidedness == "paired"]),
                          st.sampled_from(["left", "right", "bilateral"]),
                          st.decimals(min_value=Decimal("0.1"), max_value=Decimal(20000), places=1))


@given(st.sampled_from(PRODUCTS), st.lists(line_strategy, min_size=1, max_size=6),
       st.sampled_from(PRODUCTS), st.lists(line_strategy, min_size=1, max_size=6), st.integers(0, 200))
def test_another_products_session_changes_only_the_interval_check(product, lines, other, other_lines, days_before):
    """Units are never added or compared across products: only the interval looks at every product."""
    new = session(product, *lines)
    alone = [c for c in check_session(new) if c.kind != "interval"]
    if other == product:
        return
    earlier = [session(other, *other_lines, day=DAY - timedelta(days=days_before))]
    assert [c for c in check_session(new, earlier) if c.kind != "interval"] == alone


@given(st.sampled_from(PRODUCTS), st.lists(line_strategy, min_size=1, max_size=6))
def test_checks_are_stable_and_keyed_by_the_values(product, lines):
    first, second = check_session(session(product, *lines)), check_session(session(product, *lines))
    assert first == second
    assert len({c.key for c in first}) == len(first)
    changed = [(m, s, u + 1) for m, s, u in lines]
    keys_changed = {c.key for c in check_session(session(product, *changed))}
    assert not {c.key for c in first if c.kind in ("muscle_dose", "session_dose")} & keys_changed
