"""Example drawings for the demo patient: a spiral of each hand, synthesised, labelled as examples.

Made by ``torsion demo`` so that the drawing pages have something to show. The spirals are drawn by
formula the way a hand draws them (speed steady along the path with a slow swell, samples at a
stylus's uneven 120 per second, a little noise), in CSS pixels on a calibrated screen. The right
hand carries a mild, regular tremor; the left hand none. They belong to nobody.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from torsion.web.accounts.models import Patient
from torsion.web.recordings.models_drawing import Drawing, DrawingTask
from torsion.web.recordings.services_drawing import accept_drawing, run_drawing_analysis

#: A tablet's screen: CSS pixels per millimetre.
PX_PER_MM = 5.0
CANVAS_PX = 420.0
#: (hand, tremor frequency Hz, tremor peak-to-peak mm, days before today, random seed)
EXAMPLES = (("right", 5.5, 0.9, 3, 1), ("left", None, 0.0, 3, 2))


def synthesise_spiral(*, tremor_hz: float | None, tremor_mm: float, seed: int, turns: float = 4.0,
                      spacing_mm: float = 9.0, speed_mm_s: float = 30.0, rate_hz: float = 120.0) -> dict:
    """Columns of one spiral drawing in CSS pixels: t_s, x, y, pressure, pen_down, tilt_x_deg, tilt_y_deg."""
    rng = np.random.default_rng(seed)
    b = spacing_mm / (2 * math.pi)
    theta_end = 2 * math.pi * turns
    length = b / 2 * theta_end**2  # arc length of r = b theta, for theta >> 1
    duration = length / speed_mm_s
    t = np.r_[0.0, np.cumsum(rng.uniform(0.8, 1.2, int(duration * rate_hz) - 1) / rate_hz)]
    progress = np.clip(t / t[-1] + 0.03 * np.sin(2 * math.pi * 0.35 * t), 0, 1)
    theta = theta_end * np.sqrt(np.maximum.accumulate(progress))  # even speed along the path
    r = 1.0 + b * theta
    x = r * np.cos(theta) + rng.normal(0, 0.04, t.size)
    y = r * np.sin(theta) + rng.normal(0, 0.04, t.size)
    if tremor_hz:
        shake = 0.5 * tremor_mm * np.sin(2 * math.pi * tremor_hz * t + 0.5)
        x += shake * math.cos(math.radians(60))
        y += shake * math.sin(math.radians(60))
    centre = CANVAS_PX / 2
    return {
        "t_s": np.round(t, 4).tolist(),
        "x": np.round(centre + x * PX_PER_MM, 2).tolist(),
        "y": np.round(centre + y * PX_PER_MM, 2).tolist(),
        "pressure": np.round(0.45 + 0.05 * np.sin(2 * math.pi * 0.5 * t), 3).tolist(),
        "pen_down": [1] * t.size,
        "tilt_x_deg": [25.0] * t.size,
        "tilt_y_deg": [-10.0] * t.size,
    }


def create_example_drawings(patient: Patient, *, today: date) -> list[Drawing]:
    """Replace the patient's example drawings with a freshly synthesised spiral of each hand, analysed."""
    Drawing.objects.filter(patient=patient, is_example=True).delete()
    made = []
    for hand, tremor_hz, tremor_mm, days_ago, seed in EXAMPLES:
        when = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10, 30 + seed)))
        drawing = accept_drawing(patient, task=DrawingTask.SPIRAL, hand=hand, pointer_type="pen",
                                 px_per_mm=PX_PER_MM, canvas={"width": CANVAS_PX, "height": CANVAS_PX},
                                 recorded_at=when, is_example=True, queue=False,
                                 **synthesise_spiral(tremor_hz=tremor_hz, tremor_mm=tremor_mm, seed=seed))
        run_drawing_analysis(drawing.pk)
        drawing.refresh_from_db()
        made.append(drawing)
    return made
