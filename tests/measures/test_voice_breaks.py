"""Voice breaks on synthetic vowels with a known truth: none without gaps, exactly the gaps inserted,
each within 10 ms of its true length."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from torsion.measures.voice import analyse_voice
from torsion.measures.voice_synthesis import synthesise_vowel

RATE = 16000


@pytest.mark.parametrize("f0, jitter, shimmer, noise, seed", [
    (85, 0.002, 0.02, 0.002, 1),
    (120, 0.004, 0.04, 0.01, 2),
    (190, 0.003, 0.03, 0.02, 3),
    (260, 0.002, 0.02, 0.002, 4),
])
def test_a_vowel_without_gaps_has_no_voice_breaks(f0, jitter, shimmer, noise, seed):
    voice = synthesise_vowel(4.0, f0_hz=f0, jitter=jitter, shimmer=shimmer, noise=noise, sample_rate=RATE, seed=seed)
    result = analyse_voice(voice.samples, RATE, "vowel")
    assert result.breaks == []
    assert result.degree_of_voice_breaks == 0.0
    assert result.unvoiced_fraction == 0.0


@pytest.mark.parametrize("f0, gaps", [
    (100, [(1.2, 0.06)]),
    (120, [(1.0, 0.06), (2.0, 0.12), (3.0, 0.2)]),
    (150, [(0.8, 0.2), (1.6, 0.15), (2.4, 0.1), (3.2, 0.06)]),
    (210, [(1.0, 0.08), (2.5, 0.18)]),
    (280, [(0.9, 0.06), (1.9, 0.09), (2.9, 0.2)]),
])
def test_each_inserted_gap_is_one_break_of_its_length(f0, gaps):
    voice = synthesise_vowel(4.0, f0_hz=f0, gaps=gaps, sample_rate=RATE, seed=f0)
    result = analyse_voice(voice.samples, RATE, "vowel")
    assert len(result.breaks) == len(gaps)
    for found, (_, length) in zip(result.breaks, voice.gaps, strict=True):
        assert found.duration_s == pytest.approx(length, abs=0.010)
    longest = max(length for _, length in gaps)
    data = result.to_dict()
    assert data["voice_breaks"] == len(gaps)
    assert data["voice_breaks_longest_s"] == pytest.approx(longest, abs=0.010)
    assert data["voice_breaks_total_s"] == pytest.approx(sum(length for _, length in gaps), abs=0.010 * len(gaps))
    assert data["degree_of_voice_breaks"] == pytest.approx(data["voice_breaks_total_s"] / result.analysed_s, rel=1e-3)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f0=st.floats(90, 260), lengths=st.lists(st.floats(0.06, 0.2), min_size=0, max_size=4),
       seed=st.integers(0, 1000))
@example(f0=206.0, lengths=[], seed=1)  # pulses 1.7 periods apart as the vowel fades: not a break
def test_gap_count_and_lengths_for_any_voice(f0, lengths, seed):
    gaps = [(0.8 + 0.7 * i, length) for i, length in enumerate(lengths)]
    voice = synthesise_vowel(3.6, f0_hz=f0, gaps=gaps, sample_rate=RATE, seed=seed)
    result = analyse_voice(voice.samples, RATE, "vowel")
    assert len(result.breaks) == len(gaps)
    for found, (_, length) in zip(result.breaks, voice.gaps, strict=True):
        assert abs(found.duration_s - length) <= 0.010
