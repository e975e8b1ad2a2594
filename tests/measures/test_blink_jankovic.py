"""The Jankovic frequency estimate: the rule as a table, then end to end on known recordings."""

import pytest

from tests.measures.blink_truth import TrueClosure, frame_times, make_recording, with_duration
from torsion.measures.blink import BlinkParameters, analyse_blinks, jankovic_frequency_estimate

def measured(rate, fraction, longest, flutters):
    return dict(
        blink_rate_per_min=rate,
        eye_closure_fraction=fraction,
        longest_prolonged_closure_s=longest,
        n_flutter_episodes=flutters,
    )


RULE_TABLE = [
    # blink rate, closure fraction, longest prolonged closure, flutter episodes -> estimate
    (None, 0.9, 3.0, 2, None),
    (10.0, 0.0, None, 0, 0),
    (27.0, 0.02, None, 0, 0),  # not above 27 per minute
    (27.5, 0.02, None, 0, 1),
    (40.0, 0.1, None, 1, 2),  # fluttering, no prolonged closure
    (10.0, 0.05, 0.5, 0, 2),
    (10.0, 0.05, 1.0, 0, 2),  # exactly 1 s is not "over 1 s"
    (10.0, 0.2, 1.01, 0, 3),
    (10.0, 0.5, 4.0, 3, 3),  # closed exactly half the time is not "more than half"
    (10.0, 0.51, None, 0, 4),
    (50.0, 0.8, 5.0, 3, 4),
]


@pytest.mark.parametrize(("rate", "fraction", "longest", "flutters", "expected"), RULE_TABLE)
def test_rule_table(rate, fraction, longest, flutters, expected):
    estimate, basis = jankovic_frequency_estimate(**measured(rate, fraction, longest, flutters))
    assert estimate == expected
    assert basis.endswith(".")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            measured(None, 0.0, None, 0),
            (None, "No estimate: less than 20 s of the recording could be analysed."),
        ),
        (measured(12.4, 0.0, None, 0), (0, "Blink rate 12 per minute, not above 27; no spasms.")),
        (measured(31.0, 0.0, None, 0), (1, "Blink rate 31 per minute, above 27; no spasms.")),
        (
            measured(31.0, 0.1, 0.7, 2),
            (
                2,
                "Brief spasms: eye closures of 0.5-1 s and 2 episode(s) of eyelid fluttering, "
                "none longer than 1 s.",
            ),
        ),
        (
            measured(31.0, 0.1, 2.34, 0),
            (3, "Eye closure lasting 2.3 s, longer than 1 s, with the eyes open most of the time."),
        ),
        (measured(31.0, 0.634, 9.0, 0), (4, "Eyes closed 63% of the analysed time, more than 50%.")),
    ],
)
def test_rule_explains_itself(kwargs, expected):
    assert jankovic_frequency_estimate(**kwargs) == expected


def test_rule_thresholds_are_parameters():
    args = measured(24.0, 0.3, None, 0)
    assert jankovic_frequency_estimate(**args)[0] == 0
    lower_rate = BlinkParameters(increased_blink_rate_per_min=21)
    assert jankovic_frequency_estimate(**args, params=lower_rate)[0] == 1
    lower_fraction = BlinkParameters(closed_majority_fraction=0.25)
    assert jankovic_frequency_estimate(**args, params=lower_fraction)[0] == 4


def evenly(n, duration_s, first_s=0.5):
    return [TrueClosure(first_s + k * duration_s / n) for k in range(n)]


SCENARIOS = [
    ("normal blinking, 15 per minute", evenly(15, 60), 0),
    ("increased blinking, 35 per minute", evenly(35, 60), 1),
    ("one 0.7 s closure", evenly(12, 60) + [with_duration(31.0, 0.7)], 2),
    ("fluttering", evenly(12, 60) + [TrueClosure(31.0 + 0.25 * k) for k in range(4)], 2),
    ("a 1.6 s spasm", evenly(12, 60) + [with_duration(31.0, 1.6)], 3),
    ("eyes closed most of the time", [with_duration(0.5 + 5.0 * k, 3.5) for k in range(12)], 4),
]


@pytest.mark.parametrize(("label", "closures", "expected"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_estimate_on_known_recordings(label, closures, expected):
    rec = make_recording(closures, frame_times(60, 30, jitter=0.3), noise=0.03)
    assert analyse_blinks(rec.t_s, rec.ear, rec.tracked).jankovic_frequency_estimate == expected
