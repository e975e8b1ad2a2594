"""Rating scales for the demonstration patient: a TWSTRS at each injection visit (and at a review five weeks
after the last two) and a CDIP-58 between them.

The answers follow the demo diary's neck severity on the day (0-10), so the totals rise before each
injection and fall after it as the diary does; a seeded generator adds a little scatter. Every total
is computed by the scale engine, like any other administration.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from torsion.clinical import scales
from torsion.web.assessments.models import ScaleAdministration


def _clamp(value: float, item) -> int:
    return min(max(round(value), int(item.allowed[0])), int(item.allowed[-1]))


def _answers(scale_id: str, level: float, rng: random.Random, *, weights: dict[str, float]) -> dict:
    """Each item near ``level`` (0-1) of its range, scaled by its weight here, with a little scatter."""
    definition = scales.get_scale(scale_id)
    answers = {}
    for item in definition.items:
        low, high = item.allowed[0], item.allowed[-1]
        share = level * weights.get(item.id, weights.get(item.section, 1.0)) + rng.uniform(-0.08, 0.08)
        answers[item.id] = _clamp(low + share * (high - low), item)
    return answers


def _store(patient, scale_id: str, day: date, answers: dict, user) -> None:
    result = scales.score(scale_id, answers)
    ScaleAdministration.objects.create(
        patient=patient, scale=scale_id, scale_version=result.version, scale_revision=result.revision,
        status=ScaleAdministration.Status.FINAL, administered_on=day, answers=result.items, total=result.total,
        sections=result.sections, derived=result.derived, complete=True, entered_by=user)


def add_demo_scales(patient, *, clinician_user, neck_by_day: dict[date, float], injections: list[date],
                    seed: int = 7) -> int:
    """TWSTRS on each injection day (and 35 days after the last two), CDIP-58 six weeks after every other
    injection; returns how many were saved."""
    rng = random.Random(seed)
    twstrs_weights = {"laterocollis": 0.5, "antero_retrocollis": 0.1, "lateral_shift": 0.3, "sagittal_shift": 0.0,
                      "sensory_trick": 0.6, "disability": 0.5, "pain": 0.6}
    saved = 0
    for number, day in enumerate(injections):
        level = neck_by_day.get(day, neck_by_day.get(day - timedelta(days=1), 5.0)) / 10
        _store(patient, "twstrs", day, _answers("twstrs", level, rng, weights=twstrs_weights), clinician_user)
        saved += 1
        review = day + timedelta(days=35)  # the last two cycles also have a review at the height of the effect
        if number >= len(injections) - 2 and review in neck_by_day:
            _store(patient, "twstrs", review,
                   _answers("twstrs", neck_by_day[review] / 10, rng, weights=twstrs_weights), clinician_user)
            saved += 1
        later = day + timedelta(days=42)
        if number % 2 == 0 and later in neck_by_day:
            _store(patient, "cdip58", later,
                   _answers("cdip58", neck_by_day[later] / 10, rng, weights={"walking": 0.3, "sleep": 0.6}),
                   patient.user)
            saved += 1
    return saved
