"""Each scale's scoring rule written out by hand in plain Python, independent of the engine.

The property tests compare the engine with these on generated answers. Everything is computed with
fractions, so the comparison is exact. Each function takes complete answers (item id -> number, or
"na") and returns ``(total, sections)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

Answers = Mapping[str, object]
Result = tuple[Fraction, dict[str, Fraction]]


def _v(answers: Answers, item: str) -> Fraction:
    return Fraction(str(answers[item]))


def _sum(answers: Answers, items: list[str]) -> Fraction:
    """Sum of the items, "na" adding nothing."""
    return sum((_v(answers, item) for item in items if answers[item] != "na"), Fraction(0))


def twstrs(a: Answers) -> Result:
    excursion = _sum(a, ["rotation", "laterocollis", "antero_retrocollis", "lateral_shift", "sagittal_shift"])
    severity = (
        excursion
        + 2 * _v(a, "duration")
        + _sum(a, ["sensory_trick", "shoulder_elevation", "range_of_motion", "time_held"])
    )
    disability = _sum(
        a, ["work", "daily_activities", "driving", "reading", "television", "outside_activities"]
    )
    pain_severity = (_v(a, "pain_worst") + _v(a, "pain_best") + 2 * _v(a, "pain_usual")) / 4
    pain = pain_severity + _v(a, "pain_duration") + _v(a, "pain_disability")
    return severity + disability + pain, {"severity": severity, "disability": disability, "pain": pain}


def tsui(a: Answers) -> Result:
    posture = _sum(a, ["rotation", "tilt", "antero_retrocollis"]) * _v(a, "posture_duration")
    shoulder = _v(a, "shoulder_elevation")
    tremor = _v(a, "tremor_severity") * _v(a, "tremor_duration")
    return posture + shoulder + tremor, {"posture": posture, "shoulder": shoulder, "tremor": tremor}


BFM_WEIGHTS = {
    "eyes": Fraction(1, 2),
    "mouth": Fraction(1, 2),
    "speech_swallowing": Fraction(1),
    "neck": Fraction(1, 2),
    "right_arm": Fraction(1),
    "left_arm": Fraction(1),
    "trunk": Fraction(1),
    "right_leg": Fraction(1),
    "left_leg": Fraction(1),
}


def bfmdrs(a: Answers) -> Result:
    movement = sum(
        (
            _v(a, f"{region}_provoking") * _v(a, f"{region}_severity") * weight
            for region, weight in BFM_WEIGHTS.items()
        ),
        Fraction(0),
    )
    disability = _sum(
        a, ["speech", "handwriting", "feeding", "eating_swallowing", "hygiene", "dressing", "walking"]
    )
    return movement, {"movement": movement, "disability": disability}


def gdrs(a: Answers) -> Result:
    total = _sum(a, list(a))
    return total, {"regions": total}


def udrs(a: Answers) -> Result:
    severity = _sum(a, [item for item in a if item.endswith("_severity")])
    duration = _sum(a, [item for item in a if item.endswith("_duration")])
    return severity + duration, {"severity": severity, "duration": duration}


def jrs(a: Answers) -> Result:
    severity, frequency = _v(a, "spasm_severity"), _v(a, "spasm_frequency")
    return severity + frequency, {"severity": severity, "frequency": frequency}


def bsdi(a: Answers) -> Result:
    total = _sum(a, list(a))
    return total, {"activities": total}


VHI30_SUBSCALES = {
    "functional": [
        "hard_to_hear",
        "noisy_room",
        "calling_at_home",
        "telephone",
        "avoid_groups",
        "talk_less",
        "asked_to_repeat",
        "social_life",
        "left_out",
        "income",
    ],
    "physical": [
        "out_of_breath",
        "varies_in_day",
        "whats_wrong",
        "rough_dry",
        "strain",
        "clarity",
        "change_voice",
        "effort",
        "worse_evening",
        "gives_out",
    ],
    "emotional": [
        "tense",
        "others_irritated",
        "not_understood",
        "upsets",
        "less_outgoing",
        "handicapped",
        "annoyed_repeat",
        "embarrassed_repeat",
        "incompetent",
        "ashamed",
    ],
}


def vhi30(a: Answers) -> Result:
    sections = {name: _sum(a, items) for name, items in VHI30_SUBSCALES.items()}
    return sum(sections.values(), Fraction(0)), sections


def vhi10(a: Answers) -> Result:
    total = _sum(a, list(a))
    return total, {"voice": total}


def wcrs(a: Answers) -> Result:
    movement = _v(a, "latency") + _v(a, "tremor")
    speed = _v(a, "writing_speed")
    posture = _sum(a, [item for item in a if item not in ("latency", "tremor", "writing_speed")])
    return posture + movement + speed, {"posture": posture, "movement": movement, "speed": speed}


def adds(a: Answers) -> Result:
    activities = _sum(a, [item for item in a if item != "awareness"])
    awareness = _v(a, "awareness")
    if activities > 0:
        total = Fraction(90) - Fraction(90) * activities / 21
    else:
        total = {0: Fraction(100), 1: Fraction(95), 2: Fraction(90)}[int(awareness)]
    return total, {"overall": awareness, "activities": activities}


CDIP_PREFIXES = {
    "head_neck": ("hn_", 6),
    "pain_discomfort": ("pain_", 5),
    "upper_limb": ("ul_", 9),
    "walking": ("walk_", 10),
    "sleep": ("sleep_", 4),
    "annoyance": ("ann_", 8),
    "mood": ("mood_", 6),
    "psychosocial": ("ps_", 10),
}


def cdip58(a: Answers) -> Result:
    sections = {}
    for name, (prefix, count) in CDIP_PREFIXES.items():
        items = [item for item in a if item.startswith(prefix)]
        assert len(items) == count, (name, items)
        sections[name] = (_sum(a, items) - count) / (4 * count) * 100
    return sum(sections.values(), Fraction(0)) / len(sections), sections


ORACLES: dict[str, Callable[[Answers], Result]] = {
    "adds": adds,
    "bfmdrs": bfmdrs,
    "bsdi": bsdi,
    "cdip58": cdip58,
    "gdrs": gdrs,
    "jrs": jrs,
    "tsui": tsui,
    "twstrs": twstrs,
    "udrs": udrs,
    "vhi10": vhi10,
    "vhi30": vhi30,
    "wcrs": wcrs,
}
