"""Objective voice measures for laryngeal dystonia (spasmodic dysphonia) from one recording.

Entry point: :func:`measure_voice` (a file) or :func:`analyse_voice` (samples), returning a
:class:`VoiceResult`.

Tasks (:data:`VOICE_TASKS`): a sustained /a/ of at least 3 s, sentences made only of voiced sounds
(where adductor breaks show), sentences loaded with voiceless consonants (abductor breaks), and a
short reading passage. Laryngeal dystonia is typically much worse in connected speech than in a
held vowel, so the same figures are measured on every task and compared (:func:`compare_tasks`).

Method, in order:

1. **Decoding** (:mod:`torsion.measures.audio`): mono, 16 kHz, refusing silent, clipped, truncated
   and low-rate files.
2. **Pitch range.** From the person's sex when given, Praat's advice (male 75-300 Hz, female
   100-500 Hz; Praat manual, *Intro 4.2. Configuring the pitch contour*); otherwise an automatic
   first pass (De Looze and Hirst 2008): Praat's ``To Pitch`` from 50 to 700 Hz, then floor =
   0.75 x the first quartile, but at most half the median (so that one skipped glottal period is not
   a voice break), and ceiling = 1.5 x the third quartile of the voiced frames.
3. **Praat's voice analysis** (:mod:`torsion.measures.praat_voice`): cross-correlation pitch and
   pulses, faint pulses on dying resonance removed; the analysed range runs from the first to the
   last glottal pulse, so silence before and after is not counted. Figures equal Praat's ``Voice
   report`` for the same objects and range: F0 mean, SD, range; jitter (local, RAP, PPQ5); shimmer
   (local, dB, APQ3, APQ11); mean HNR; fraction of locally unvoiced frames; voice breaks (count,
   total and longest, degree).
4. **CPPS** (:mod:`torsion.measures.cepstral`) over the analysed range.
5. **Connected speech** (sentences, passage): phonatory breaks, interruptions of voicing lasting
   ``phonatory_break_min_s`` (40 ms) to ``pause_min_s`` (0.25 s) between voiced stretches, and
   their rate per second of speech (speech time = analysed range minus pauses). 40 ms is the cut-off
   that best separated adductor laryngeal dystonia from muscle tension dysphonia on all-voiced
   sentences; longer silences are taken for pauses between words or sentences and not counted.
6. **Sustained vowel**: amplitude and F0 tremor (:mod:`torsion.measures.voice_tremor`).

Every figure carries the reference it is compared with (:data:`REFERENCES`) and that reference's
source; a figure without a published reference for Praat is compared with the person's own earlier
recordings only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import parselmouth
from parselmouth.praat import call

from torsion.measures.audio import DecodedAudio, read_audio
from torsion.measures.cepstral import CppsSettings, cpps
from torsion.measures.praat_voice import PraatSettings, VoiceBreak, analyse_pulses, voice_breaks
from torsion.measures.quality import UnusableRecording
from torsion.measures.voice_tremor import TremorEstimate, TremorSettings, vocal_tremor

__all__ = ["REFERENCES", "VOICE_TASKS", "VoiceResult", "VoiceSettings", "analyse_voice", "compare_tasks",
           "measure_voice"]

log = logging.getLogger(__name__)

#: Task codes and what each shows.
VOICE_TASKS: dict[str, str] = {
    "vowel": "sustained vowel /a/",
    "voiced": "all-voiced sentences (adductor breaks)",
    "voiceless": "sentences loaded with voiceless consonants (abductor breaks)",
    "passage": "reading passage",
}
CONNECTED_TASKS = ("voiced", "voiceless", "passage")

_MDVP = ("MDVP (Kay Elemetrics) pathology threshold; Praat's manual warns it is probably too high for "
         "Praat's own measure, so treat it as a rough guide")
_MURTON = "Murton, Hillman and Mehta 2020 (unverified), Praat CPPS with other analysis settings; approximate"

#: Reference ranges: figure -> task group ("vowel", "connected" or "any") -> (lower, upper, source).
#: A value is outside the range when below ``lower`` or above ``upper`` (None = no bound).
REFERENCES: dict[str, dict[str, tuple[float | None, float | None, str]]] = {
    "jitter_local": {"vowel": (None, 0.0104, _MDVP)},
    "jitter_rap": {"vowel": (None, 0.0068, _MDVP)},
    "jitter_ppq5": {"vowel": (None, 0.0084, _MDVP)},
    "shimmer_local": {"vowel": (None, 0.0381, _MDVP)},
    "shimmer_local_db": {"vowel": (None, 0.35, _MDVP)},
    "shimmer_apq11": {"vowel": (None, 0.0307, _MDVP)},
    "cpps_db": {"vowel": (14.45, None, _MURTON + ", cut-off for sustained vowels"),
                "connected": (9.33, None, _MURTON + ", cut-off for read passages")},
    "unvoiced_fraction": {"vowel": (None, 0.0, "Praat manual, Voice 1: zero in a healthy sustained vowel")},
    "phonatory_breaks": {"voiced": (None, 4, "On all-voiced sentences, more than 4 breaks of 40 ms or longer "
                                              "strongly suggest adductor laryngeal dystonia rather than "
                                              "muscle tension dysphonia")},
}


@dataclass(frozen=True)
class VoiceSettings:
    """Parameters of the voice analysis, with their defaults.

    Attributes
    ----------
    pitch_floor_hz, pitch_ceiling_hz : float or None
        Fixed pitch range; None chooses it from ``sex`` or automatically.
    praat : PraatSettings
        Praat's pitch, pulse, jitter and shimmer settings.
    cepstral : CppsSettings
        CPPS settings.
    tremor : TremorSettings
        Vocal tremor settings.
    min_vowel_s : float
        Shortest sustained vowel (first to last pulse) that is measured. Default 3 s.
    min_voiced_s : float
        Least voicing for any task. Default 1 s.
    phonatory_break_min_s, pause_min_s : float
        Phonatory breaks in connected speech last from 40 ms up to (not including) 0.25 s.
    """

    pitch_floor_hz: float | None = None
    pitch_ceiling_hz: float | None = None
    praat: PraatSettings = field(default_factory=PraatSettings)
    cepstral: CppsSettings = field(default_factory=CppsSettings)
    tremor: TremorSettings = field(default_factory=TremorSettings)
    min_vowel_s: float = 3.0
    min_voiced_s: float = 1.0
    phonatory_break_min_s: float = 0.04
    pause_min_s: float = 0.25


#: Pitch ranges by sex (Praat manual, Intro 4.2).
SEX_PITCH_RANGES = {"male": (75.0, 300.0), "female": (100.0, 500.0)}


class VoiceAnalysisError(UnusableRecording):
    """The recording decodes but holds too little voice for this task."""


def choose_pitch_range(samples: np.ndarray, rate: int, sex: str | None,
                       settings: VoiceSettings) -> tuple[float, float, str]:
    """(floor, ceiling, how it was chosen) in Hz."""
    if settings.pitch_floor_hz and settings.pitch_ceiling_hz:
        return settings.pitch_floor_hz, settings.pitch_ceiling_hz, "given"
    if sex in SEX_PITCH_RANGES:
        floor, ceiling = SEX_PITCH_RANGES[sex]
        return floor, ceiling, f"Praat's range for a {sex} voice"
    if sex is not None:
        raise ValueError(f"sex must be 'male', 'female' or None, not {sex!r}")
    # At most 20 s of the recording (its middle) is enough to know the voice's range.
    span = min(samples.size, 20 * rate)
    start = (samples.size - span) // 2
    sound = parselmouth.Sound(samples[start:start + span], float(rate))
    pitch = call(sound, "To Pitch", 0.0, 50.0, 700.0)
    f0 = pitch.selected_array["frequency"]
    f0 = f0[f0 > 0]
    if f0.size < 10:
        raise VoiceAnalysisError("No voice was found in the recording. Record again, close to the microphone.",
                                 "no_voice")
    q1, median, q3 = np.percentile(f0, [25, 50, 75])
    # De Looze and Hirst's floor (0.75 x q1) sits so close to a steady voice that one glottal period
    # skipped where the voice fades would count as a voice break (1.25 / floor < 2 periods). The floor
    # is kept at or below half the median, so a break is a stop of at least 2.5 typical periods.
    floor = float(np.clip(round(min(0.75 * q1, 0.5 * median)), 50, 250))
    ceiling = float(np.clip(round(1.5 * q3), max(floor * 2, 200), 800))
    return floor, ceiling, "found automatically in two passes"


@dataclass
class VoiceResult:
    """Voice measures of one recording. Fractions are 0-1 (jitter 0.01 = 1 %); times in seconds."""

    task: str
    duration_s: float
    analysed_from_s: float
    analysed_to_s: float
    pitch_floor_hz: float
    pitch_ceiling_hz: float
    pitch_range_source: str
    f0: dict[str, float | None]
    jitter: dict[str, float | None]
    shimmer: dict[str, float | None]
    hnr_db: float | None
    cpps_db: float | None
    unvoiced_fraction: float | None
    breaks: list[VoiceBreak]
    phonatory: dict | None
    tremor_amplitude: TremorEstimate | None
    tremor_f0: TremorEstimate | None
    removed_pulses: int
    warnings: list[str]
    series: dict = field(default_factory=dict, repr=False)

    @property
    def analysed_s(self) -> float:
        return self.analysed_to_s - self.analysed_from_s

    @property
    def degree_of_voice_breaks(self) -> float:
        return sum(b.duration_s for b in self.breaks) / self.analysed_s if self.analysed_s > 0 else 0.0

    def tremor_summary(self) -> dict | None:
        """The stronger of the two tremors (by variance share), or None outside the vowel task."""
        if self.tremor_amplitude is None:
            return None
        detected = [t for t in (self.tremor_amplitude, self.tremor_f0) if t.detected]
        candidates = detected or [t for t in (self.tremor_amplitude, self.tremor_f0) if t.share is not None]
        best = max(candidates, key=lambda t: t.share) if candidates else None
        return {
            "detected": bool(detected),
            "frequency_hz": None if best is None or not detected else round(best.frequency_hz, 3),
            "depth": None if best is None or not detected else round(best.depth, 4),
            "kind": None if best is None or not detected else
            ("amplitude" if best is self.tremor_amplitude else "f0"),
            "amplitude": self.tremor_amplitude.to_dict(),
            "f0": self.tremor_f0.to_dict(),
        }

    def references(self) -> dict[str, dict]:
        """The reference each figure is compared with here, and whether the figure lies outside it."""
        group = "vowel" if self.task == "vowel" else "connected"
        values = {"jitter_local": self.jitter["local"], "jitter_rap": self.jitter["rap"],
                  "jitter_ppq5": self.jitter["ppq5"], "shimmer_local": self.shimmer["local"],
                  "shimmer_local_db": self.shimmer["local_db"], "shimmer_apq11": self.shimmer["apq11"],
                  "cpps_db": self.cpps_db, "unvoiced_fraction": self.unvoiced_fraction,
                  "phonatory_breaks": None if self.phonatory is None else self.phonatory["count"]}
        out = {}
        for name, by_group in REFERENCES.items():
            ref = by_group.get(self.task) or by_group.get(group) or by_group.get("any")
            if ref is None:
                continue
            lower, upper, source = ref
            value = values.get(name)
            outside = None if value is None else bool((lower is not None and value < lower)
                                                       or (upper is not None and value > upper))
            out[name] = {"lower": lower, "upper": upper, "source": source, "outside": outside}
        return out

    def to_dict(self, series: bool = False) -> dict:
        """Plain JSON types; ``series=True`` adds the waveform envelope and pitch track for plots."""
        def r(value, digits=4):
            return None if value is None else round(float(value), digits)

        longest = max((b.duration_s for b in self.breaks), default=0.0)
        out = {
            "task": self.task,
            "duration_s": round(self.duration_s, 3),
            "analysed_from_s": round(self.analysed_from_s, 4),
            "analysed_to_s": round(self.analysed_to_s, 4),
            "pitch_floor_hz": self.pitch_floor_hz,
            "pitch_ceiling_hz": self.pitch_ceiling_hz,
            "pitch_range_source": self.pitch_range_source,
            "f0_mean_hz": r(self.f0["mean"], 3),
            "f0_sd_hz": r(self.f0["sd"], 3),
            "f0_min_hz": r(self.f0["min"], 3),
            "f0_max_hz": r(self.f0["max"], 3),
            "f0_range_hz": r(None if self.f0["min"] is None or self.f0["max"] is None
                             else self.f0["max"] - self.f0["min"], 3),
            "voice_breaks": len(self.breaks),
            "voice_breaks_total_s": round(sum(b.duration_s for b in self.breaks), 4),
            "voice_breaks_longest_s": round(longest, 4),
            "degree_of_voice_breaks": round(self.degree_of_voice_breaks, 5),
            "voice_break_events": [b.to_dict() for b in self.breaks],
            "unvoiced_fraction": r(self.unvoiced_fraction, 5),
            "jitter_local": r(self.jitter["local"], 6),
            "jitter_rap": r(self.jitter["rap"], 6),
            "jitter_ppq5": r(self.jitter["ppq5"], 6),
            "shimmer_local": r(self.shimmer["local"], 6),
            "shimmer_local_db": r(self.shimmer["local_db"], 4),
            "shimmer_apq3": r(self.shimmer["apq3"], 6),
            "shimmer_apq11": r(self.shimmer["apq11"], 6),
            "hnr_db": r(self.hnr_db, 3),
            "cpps_db": r(self.cpps_db, 3),
            "phonatory_breaks": self.phonatory,
            "tremor": self.tremor_summary(),
            "removed_faint_pulses": self.removed_pulses,
            "references": self.references(),
            "warnings": list(self.warnings),
        }
        if series:
            out["series"] = self.series
        return out


def _phonatory_breaks(times: np.ndarray, tmin: float, tmax: float, s: VoiceSettings) -> dict:
    """Interruptions of voicing from 40 ms up to a pause, and their rate per second of speech."""
    inside = times[(times >= tmin) & (times <= tmax)]
    intervals = np.diff(inside)
    is_break = (intervals >= s.phonatory_break_min_s) & (intervals < s.pause_min_s)
    is_pause = intervals >= s.pause_min_s
    speech_s = float((tmax - tmin) - intervals[is_pause].sum())
    events = [{"start_s": round(float(inside[i]), 4), "end_s": round(float(inside[i + 1]), 4),
               "duration_s": round(float(intervals[i]), 4)} for i in np.nonzero(is_break)[0]]
    return {
        "count": len(events),
        "per_second": round(len(events) / speech_s, 4) if speech_s > 0 else None,
        "longest_s": round(float(intervals[is_break].max()), 4) if events else 0.0,
        "speech_s": round(speech_s, 3),
        "pauses": int(np.count_nonzero(is_pause)),
        "events": events,
    }


def _series(samples: np.ndarray, rate: int, pitch, tmin: float, tmax: float) -> dict:
    """A waveform envelope (min/max per bin) and the pitch track, small enough to store and plot."""
    # Bins of at least 20 ms (longer than a glottal period), so that the envelope follows the loudness.
    bins = max(1, min(1200, samples.size // max(1, int(0.02 * rate))))
    edges = np.linspace(0, samples.size, bins + 1).astype(int)
    lows = np.minimum.reduceat(samples, edges[:-1])
    highs = np.maximum.reduceat(samples, edges[:-1])
    step = max(1, int(round(0.01 / pitch.dx)), math.ceil(pitch.n_frames / 3000))
    f0 = pitch.selected_array["frequency"][::step]
    times = pitch.xs()[::step]
    return {
        "envelope_t_s": [round(float(edges[i] / rate), 4) for i in range(bins)],
        "envelope_min": [round(float(v), 4) for v in lows],
        "envelope_max": [round(float(v), 4) for v in highs],
        "pitch_t_s": [round(float(t), 3) for t in times],
        "pitch_hz": [round(float(v), 2) if v > 0 else None for v in f0],
    }


def analyse_voice(samples: np.ndarray, sample_rate: int, task: str, *, sex: str | None = None,
                  settings: VoiceSettings | None = None, warnings: list[str] | None = None) -> VoiceResult:
    """Voice measures of a mono sound.

    Parameters
    ----------
    samples : ndarray, shape (n,)
        Mono sound, full scale 1.
    sample_rate : int
        Samples per second (16 kHz or more).
    task : str
        A key of :data:`VOICE_TASKS`.
    sex : {"male", "female"}, optional
        Sets the pitch range; without it the range is found automatically.
    settings : VoiceSettings, optional
    warnings : list of str, optional
        Notes from decoding, carried into the result.

    Raises
    ------
    ValueError
        For an unknown task or sex.
    VoiceAnalysisError
        When the recording holds too little voice for the task (``reason`` ``no_voice`` or
        ``too_short``).
    """
    if task not in VOICE_TASKS:
        raise ValueError(f"task must be one of {', '.join(VOICE_TASKS)}, not {task!r}")
    s = settings or VoiceSettings()
    notes = list(warnings or [])
    samples = np.asarray(samples, dtype=np.float64)
    floor, ceiling, source = choose_pitch_range(samples, sample_rate, sex, s)
    analysis = analyse_pulses(samples, sample_rate, floor, ceiling, s.praat)
    times = analysis.pulse_times_s
    if times.size < 10:
        raise VoiceAnalysisError("No voice was found in the recording. Record again, close to the microphone.",
                                 "no_voice")
    tmin, tmax = float(times[0]), float(times[-1])
    voiced_s = float(np.sum(np.diff(times)[np.diff(times) <= 1.25 / floor]))
    if voiced_s < s.min_voiced_s:
        raise VoiceAnalysisError(f"Only {voiced_s:.1f} s of voice was found; at least {s.min_voiced_s:.0f} s is "
                                 "needed. Record again and keep going until the end.", "too_short")
    if task == "vowel" and tmax - tmin < s.min_vowel_s:
        raise VoiceAnalysisError(f"The vowel lasted {tmax - tmin:.1f} s; hold it for at least {s.min_vowel_s:.0f} "
                                 "seconds.", "too_short")
    breaks = voice_breaks(times, tmin, tmax, floor)
    phonatory = _phonatory_breaks(times, tmin, tmax, s) if task in CONNECTED_TASKS else None
    amplitude_tremor = f0_tremor = None
    if task == "vowel":
        amplitude_tremor, f0_tremor = vocal_tremor(times, analysis.pulse_amplitudes, 1.25 / floor, s.tremor)
    first, last = int(tmin * sample_rate), int(np.ceil(tmax * sample_rate)) + 1
    cpps_db = cpps(samples[first:last], sample_rate, s.cepstral)
    if "automatically" in source and floor <= 50:
        notes.append(f"The voice was very low, so only stops in it longer than {1250 / floor:.0f} ms count as "
                     "voice breaks.")
    return VoiceResult(
        task=task, duration_s=samples.size / sample_rate, analysed_from_s=tmin, analysed_to_s=tmax,
        pitch_floor_hz=floor, pitch_ceiling_hz=ceiling, pitch_range_source=source,
        f0=analysis.f0_statistics(tmin, tmax), jitter=analysis.jitter(tmin, tmax),
        shimmer=analysis.shimmer(tmin, tmax), hnr_db=analysis.hnr_db(tmin, tmax), cpps_db=cpps_db,
        unvoiced_fraction=analysis.unvoiced_fraction(tmin, tmax), breaks=breaks, phonatory=phonatory,
        tremor_amplitude=amplitude_tremor, tremor_f0=f0_tremor, removed_pulses=analysis.removed_pulses,
        warnings=notes, series=_series(samples, sample_rate, analysis.pitch, tmin, tmax),
    )


def measure_voice(source: str | Path | BinaryIO, *, task: str, sex: str | None = None,
                  settings: VoiceSettings | None = None,
                  progress: Callable[[int, int | None], None] | None = None) -> VoiceResult:
    """Measure the voice in a sound file (or the sound of a video file).

    Parameters
    ----------
    source : str, Path or binary file object
        WAV, FLAC, MP3, WebM/Opus, MP4/AAC, ...
    task : str
        ``vowel``, ``voiced``, ``voiceless`` or ``passage`` (:data:`VOICE_TASKS`).
    sex : {"male", "female"}, optional
        Sets the pitch range from Praat's advice; automatic otherwise.
    settings : VoiceSettings, optional
    progress : callable, optional
        Called as ``progress(done, total)``: (1, 2) after decoding, (2, 2) at the end.

    Raises
    ------
    UnusableRecording
        The file cannot be used (see :func:`torsion.measures.audio.read_audio`) or holds too little
        voice (:class:`VoiceAnalysisError`).
    ValueError
        Unknown task or sex.
    """
    if task not in VOICE_TASKS:
        raise ValueError(f"task must be one of {', '.join(VOICE_TASKS)}, not {task!r}")
    audio: DecodedAudio = read_audio(source)
    if progress:
        progress(1, 2)
    result = analyse_voice(audio.samples, audio.sample_rate, task, sex=sex, settings=settings,
                           warnings=audio.warnings)
    if progress:
        progress(2, 2)
    return result


def compare_tasks(vowel: dict, speech: dict) -> dict:
    """How connected speech compares with the sustained vowel, from two results' ``to_dict()``.

    In laryngeal dystonia connected speech is typically much worse than a held vowel (task
    dependency). Compared: CPPS (dB), breaks per second (in the vowel Praat's voice breaks per second
    of voicing, in speech the phonatory breaks per second of speech) and the F0 standard deviation.
    Each entry holds the vowel's value, the speech's value and their difference (speech minus vowel).
    """
    def per_second_vowel() -> float | None:
        analysed = vowel["analysed_to_s"] - vowel["analysed_from_s"]
        return round(vowel["voice_breaks"] / analysed, 4) if analysed > 0 else None

    def entry(a: float | None, b: float | None) -> dict:
        return {"vowel": a, "speech": b, "difference": None if a is None or b is None else round(b - a, 4)}

    phonatory = speech.get("phonatory_breaks") or {}
    return {
        "speech_task": speech.get("task"),
        "cpps_db": entry(vowel.get("cpps_db"), speech.get("cpps_db")),
        "breaks_per_second": entry(per_second_vowel(), phonatory.get("per_second")),
        "f0_sd_hz": entry(vowel.get("f0_sd_hz"), speech.get("f0_sd_hz")),
    }
