"""``measure_blink`` end to end on a short generated video with eyelids painted shut.

The astronaut photo's eyes are painted over with skin colour and a lid line in chosen frames.
Face Mesh then puts the eyelid landmarks together (EAR about 0.05 against 0.31 open), so the known
answer is which frames show closed eyes. A painted closure is instantaneous, so its half-depth
crossings fall midway between the last open and the first closed frame; durations are checked to
within one frame of that.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.measures import synthetic_video as sv
from torsion.measures.blink import measure_blink

pytestmark = pytest.mark.slow

RIGHT_EYE_CONTOUR = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7]
LEFT_EYE_CONTOUR = [362, 398, 384, 385, 386, 387, 388, 466, 263, 249, 390, 373, 374, 380, 381, 382]

#: Frame plan: (what the eyes show, frames). 120 frames at about 29 frames/s.
PLAN = [("open", 30), ("both", 5), ("open", 25), ("both", 24), ("open", 16), ("left", 6), ("open", 14)]
#: Variable frame rate as browsers record: steps of 30-37 ms.
TIMES_S = np.round(np.cumsum(np.r_[0.0, np.tile([0.030, 0.037, 0.033, 0.035], 30)[:119]]), 3)


def eyes_painted_shut(image: np.ndarray, eyes: tuple[str, ...]) -> np.ndarray:
    """The photo with the person's ``eyes`` ("left", "right") covered by skin and a lid line."""
    mesh = sv.astronaut_mesh()
    out = image.copy()
    for eye in eyes:
        contour = LEFT_EYE_CONTOUR if eye == "left" else RIGHT_EYE_CONTOUR
        polygon = mesh[contour, :2]
        centre = polygon.mean(axis=0)
        below = image[int(round(centre[1] + 2.5 * np.ptp(polygon[:, 1]))), int(round(centre[0]))]
        cover = np.round((polygon - centre) * 1.4 + centre).astype(np.int32)
        cv2.fillPoly(out, [cover], tuple(int(v) for v in below))
        lid = np.round(mesh[contour[8:] + contour[:1], :2]).astype(np.int32)
        cv2.polylines(out, [lid], False, (90, 60, 50), 1, cv2.LINE_AA)
    return out


def frames():
    photo = sv.astronaut()
    variants = {
        "open": photo,
        "both": eyes_painted_shut(photo, ("left", "right")),
        "left": eyes_painted_shut(photo, ("left",)),
    }
    for name, count in PLAN:
        for _ in range(count):
            yield sv.face_view(variants[name], size=(320, 240), zoom=2.0)


def closure_times(name: str) -> list[tuple[float, float]]:
    """Midpoints between the last open and first closed frame, and back, for each ``name`` run."""
    spans, start = [], 0
    for kind, count in PLAN:
        if kind == name:
            first, last = start, start + count - 1
            spans.append(((TIMES_S[first - 1] + TIMES_S[first]) / 2, (TIMES_S[last] + TIMES_S[last + 1]) / 2))
        start += count
    return spans


@pytest.fixture(scope="module")
def result():
    video = sv.cached_video("eyes-painted-shut.webm", frames, times_s=TIMES_S)
    calls = []
    measured = measure_blink(video, progress=lambda done, total: calls.append(done))
    assert calls and calls[-1] == TIMES_S.size
    return measured


def test_painted_closures_are_found_with_their_durations(result):
    kinds = [(e.eye, e.kind) for e in result.events]
    assert kinds == [("both", "blink"), ("both", "spasm"), ("left", "blink")]
    expected = closure_times("both") + closure_times("left")
    for event, (onset, offset) in zip(result.events, expected):
        assert event.onset_s == pytest.approx(onset, abs=0.037)
        assert event.offset_s == pytest.approx(offset, abs=0.037)
        assert event.duration_s == pytest.approx(offset - onset, abs=0.037)
    assert result.blinks == 1
    assert result.prolonged_closures == 1
    assert result.unilateral_closures("left") == 1 and result.unilateral_closures("right") == 0


def test_painted_closures_give_the_closure_fraction(result):
    closed_s = sum(offset - onset for onset, offset in closure_times("both"))
    assert result.eye_closure_fraction == pytest.approx(closed_s / result.tracked_duration_s, abs=0.02)
    assert result.eye_closure_fraction_left > result.eye_closure_fraction
    assert result.frames_total == result.frames_analyzed == TIMES_S.size
    assert result.open_ear_left == pytest.approx(0.31, abs=0.04)


def test_short_video_reports_no_rate_and_says_why(result):
    summary = result.to_dict(series=True)
    assert summary["blink_rate_per_min"] is None
    assert summary["jankovic_frequency_estimate"] is None
    assert any("too short for a blink rate" in w for w in summary["warnings"])
    assert len(summary["series"]["openness"]) == TIMES_S.size
