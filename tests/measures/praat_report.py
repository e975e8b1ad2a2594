"""Reading Praat's own ``Voice report`` text, to compare Torsion's figures with it line by line."""

from __future__ import annotations

import re

import parselmouth
from parselmouth.praat import call

_LINE = re.compile(r"^\s*(?P<name>[^:]+):\s*(?P<value>-?[\d.]+(?:E-?\d+)?|--undefined--)\s*(?P<unit>%|Hz|dB|seconds)?")


def voice_report(sound: parselmouth.Sound, pitch, pulses, tmin: float, tmax: float, floor: float,
                 ceiling: float) -> dict[str, float | None]:
    """Praat's voice report as {line name: value}; percentages as fractions, undefined as None."""
    text = call([sound, pitch, pulses], "Voice report", tmin, tmax, floor, ceiling, 1.3, 1.6, 0.03, 0.45)
    values: dict[str, float | None] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        raw = match["value"]
        value = None if raw == "--undefined--" else float(raw)
        if value is not None and match["unit"] == "%":
            value /= 100.0
        values[match["name"].strip()] = value
    return values


def praat_pitch_and_pulses(sound: parselmouth.Sound, floor: float, ceiling: float):
    """Praat's standard voice-analysis pitch and pulses, computed here independently of Torsion."""
    pitch = call(sound, "To Pitch (cc)", 0.0, floor, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, ceiling)
    return pitch, call([sound, pitch], "To PointProcess (cc)")
