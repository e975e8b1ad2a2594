"""Praat's voice analysis through Parselmouth: pitch, glottal pulses and the figures of the voice report.

A thin layer over Praat (Boersma and Weenink; Parselmouth, Jadoul et al. 2018). The pitch is
Praat's standard for voice analysis, ``Sound: To Pitch (cc)`` (raw cross-correlation) with the
standard settings of :class:`PraatSettings`; the glottal pulses are ``Sound & Pitch: To
PointProcess (cc)``. Jitter, shimmer and F0 statistics are Praat's own commands, called with the
voice report's arguments (periods between ``0.8 / ceiling`` and ``1.25 / floor``, maximum period
factor 1.3, maximum amplitude factor 1.6), so each equals the line of Praat's ``Voice report``.

**The pitch is computed in NumPy** (:mod:`torsion.measures.praat_pitch`, ``pitch_engine =
"numpy"``, the default): Praat's own ``To Pitch (cc)`` correlates every frame lag by lag and takes
over a second for a minute of speech, more than the whole analysis may take. The NumPy version
follows Praat's method step by step on all frames at once and returns a real Praat ``Pitch`` with
the same frames, candidates and path (frequencies within about 1e-10, strengths within 1e-12; see
that module), on which Praat's commands then run unchanged. ``pitch_engine = "praat"`` calls
Praat's command instead.

Three figures of the voice report have no command of their own; they are computed here exactly as
in Praat's source (``VoiceAnalysis.cpp``, ``Sound_Pitch_PointProcess_voiceReport``):

* **fraction of locally unvoiced frames**: pitch frames in the range whose intensity is below the
  silence threshold or that have no candidate between 0 and the ceiling with a strength at or above
  the voicing threshold;
* **voice breaks**: inter-pulse intervals longer than ``1.25 / floor`` (as in Praat, the last
  interval of the range is not examined, and consecutive long intervals make one break); the degree
  of voice breaks is their total length divided by the length of the range;
* **mean harmonics-to-noise ratio**: the mean over the range of the pitch frames' strength ``r``
  expressed as ``10 log10(r / (1 - r))`` dB, linearly interpolated between frame centres as Praat's
  ``Sampled_getMean`` does (unvoiced frames left out).

**Faint pulses.** Where voicing stops, the cross-correlation pulse finder goes on placing a few
pulses on the dying resonance (about two at 120 Hz). Those make Praat's breaks shorter than the
silence really is. :func:`keep_voiced_pulses` removes pulses whose waveform peak is below
``min_pulse_level`` (30 %) of the median of their neighbours' before any figure is computed; in a
steady vowel without breaks no pulse is removed and every figure is Praat's unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import parselmouth
from parselmouth.praat import call
from scipy.ndimage import median_filter

from torsion.measures.praat_pitch import pitch_cc

__all__ = ["PITCH_ENGINES", "PraatSettings", "PulseAnalysis", "VoiceBreak", "analyse_pulses", "pitch_cc_of",
           "voice_breaks"]

#: Who computes ``To Pitch (cc)``: Torsion's NumPy version of Praat's method, or Praat itself.
PITCH_ENGINES = ("numpy", "praat")


@dataclass(frozen=True)
class PraatSettings:
    """Praat's standard settings for voice analysis (the voice report's and ``To Pitch (cc)``'s).

    Attributes
    ----------
    max_candidates, silence_threshold, voicing_threshold, octave_cost, octave_jump_cost, voiced_unvoiced_cost
        ``To Pitch (cc)``: 15, 0.03, 0.45, 0.01, 0.35, 0.14; time step 0 (automatic, 0.25 / floor).
    max_period_factor, max_amplitude_factor : float
        Jitter and shimmer: 1.3 and 1.6.
    min_pulse_level : float
        Torsion's own: pulses whose waveform peak is below this fraction of the median of the
        21 pulses around them are not voicing (see the module's description). Default 0.3.
    pitch_engine : {"numpy", "praat"}
        Who computes ``To Pitch (cc)``: :func:`torsion.measures.praat_pitch.pitch_cc` (the default,
        the same result in less than half the time) or Praat's own command.
    """

    max_candidates: int = 15
    silence_threshold: float = 0.03
    voicing_threshold: float = 0.45
    octave_cost: float = 0.01
    octave_jump_cost: float = 0.35
    voiced_unvoiced_cost: float = 0.14
    max_period_factor: float = 1.3
    max_amplitude_factor: float = 1.6
    min_pulse_level: float = 0.3
    pitch_engine: str = "numpy"

    def __post_init__(self) -> None:
        if self.pitch_engine not in PITCH_ENGINES:
            raise ValueError(f"pitch_engine must be one of {PITCH_ENGINES}, not {self.pitch_engine!r}")


@dataclass(frozen=True)
class VoiceBreak:
    """One voice break: the interval between the glottal pulses on either side, in seconds."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def to_dict(self) -> dict:
        return {"start_s": round(self.start_s, 4), "end_s": round(self.end_s, 4),
                "duration_s": round(self.duration_s, 4)}


@dataclass
class PulseAnalysis:
    """Praat's objects for one sound and the pulses kept as voicing."""

    sound: parselmouth.Sound
    pitch: parselmouth.Pitch
    pulses: parselmouth.Data  # the PointProcess after faint pulses were removed
    pulse_times_s: np.ndarray
    pulse_amplitudes: np.ndarray
    removed_pulses: int
    floor_hz: float
    ceiling_hz: float
    settings: PraatSettings

    @property
    def period_range_s(self) -> tuple[float, float]:
        """Shortest and longest period the voice report accepts: 0.8 / ceiling and 1.25 / floor."""
        return 0.8 / self.ceiling_hz, 1.25 / self.floor_hz

    # -- figures that are Praat commands ------------------------------------------------------
    def f0_statistics(self, tmin: float, tmax: float) -> dict[str, float | None]:
        """Mean, standard deviation, minimum and maximum F0 (Hz) of the voiced frames."""
        def get(command: str, *extra) -> float | None:
            return _defined(call(self.pitch, command, tmin, tmax, "Hertz", *extra))

        return {"mean": get("Get mean"), "sd": get("Get standard deviation"),
                "min": get("Get minimum", "Parabolic"), "max": get("Get maximum", "Parabolic"),
                "median": _defined(call(self.pitch, "Get quantile", tmin, tmax, 0.5, "Hertz"))}

    def jitter(self, tmin: float, tmax: float) -> dict[str, float | None]:
        """Jitter (local), (rap) and (ppq5) as fractions, with the voice report's arguments."""
        pmin, pmax = self.period_range_s
        factor = self.settings.max_period_factor
        return {name: _defined(call(self.pulses, f"Get jitter ({name})", tmin, tmax, pmin, pmax, factor))
                for name in ("local", "rap", "ppq5")}

    def shimmer(self, tmin: float, tmax: float) -> dict[str, float | None]:
        """Shimmer (local) and (apq3), (apq11) as fractions, (local_dB) in dB."""
        pmin, pmax = self.period_range_s
        args = (tmin, tmax, pmin, pmax, self.settings.max_period_factor, self.settings.max_amplitude_factor)
        return {key: _defined(call([self.sound, self.pulses], f"Get shimmer ({name})", *args))
                for key, name in (("local", "local"), ("local_db", "local_dB"), ("apq3", "apq3"),
                                  ("apq11", "apq11"))}

    # -- figures of the voice report without a command ----------------------------------------
    def unvoiced_fraction(self, tmin: float, tmax: float) -> float | None:
        """Praat's fraction of locally unvoiced frames in [tmin, tmax]."""
        first, last = _window_samples(self.pitch.x1, self.pitch.dx, self.pitch.nx, tmin, tmax)
        if last < first:
            return None
        candidates = self.pitch.to_array()[:, first - 1:last]
        frequency, strength = candidates["frequency"], candidates["strength"]
        has_voice = np.any((frequency > 0) & (frequency < self.ceiling_hz)
                           & (strength >= self.settings.voicing_threshold), axis=0)
        loud = np.array([self.pitch.get_frame(i).intensity >= self.settings.silence_threshold
                         for i in range(first, last + 1)])
        return float(np.count_nonzero(~(loud & has_voice)) / has_voice.size)

    def hnr_db(self, tmin: float, tmax: float) -> float | None:
        """The voice report's mean harmonics-to-noise ratio (dB) of the voiced frames."""
        selected = self.pitch.selected_array
        voiced = (selected["frequency"] > 0) & (selected["frequency"] < self.ceiling_hz)
        r = selected["strength"]
        with np.errstate(divide="ignore", invalid="ignore"):
            hnr = np.where(r <= 1e-15, -150.0, np.where(r > 1 - 1e-15, 150.0, 10 * np.log10(r / (1 - r))))
        values = np.where(voiced, hnr, np.nan)
        return interpolated_mean(values, self.pitch.x1, self.pitch.dx, tmin, tmax,
                                 (self.pitch.xmin, self.pitch.xmax))


def _defined(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _window_samples(x1: float, dx: float, n: int, xmin: float, xmax: float) -> tuple[int, int]:
    """Praat's ``Sampled_getWindowSamples``: 1-based indices of the sample centres in [xmin, xmax]."""
    first = max(1, math.ceil((xmin - x1) / dx) + 1)
    last = min(n, math.floor((xmax - x1) / dx) + 1)
    return first, last


def interpolated_mean(values: np.ndarray, x1: float, dx: float, xmin: float, xmax: float,
                      domain: tuple[float, float]) -> float | None:
    """Praat's ``Sampled_getMean`` with interpolation: the mean of the linearly interpolated curve
    through the defined (non-NaN) samples over [xmin, xmax], with Praat's treatment of the edges."""
    n = values.size
    xmin, xmax = max(xmin, domain[0]), min(xmax, domain[1])
    if xmax <= xmin:
        return None

    def at(i: int) -> float:
        return values[i - 1] if 1 <= i <= n else math.nan

    imin, imax = _window_samples(x1, dx, n, xmin, xmax)
    total = width = 0.0
    if imin <= imax:
        window = values[imin - 1:imax]
        defined = ~np.isnan(window)
        total, width = float(window[defined].sum()), float(defined.sum())
        left_edge, right_edge = x1 - 0.5 * dx, x1 - 0.5 * dx + n * dx
        if xmin > left_edge:
            phase = (x1 + (imin - 1) * dx - xmin) / dx
            right, left = at(imin), at(imin - 1)
            if not math.isnan(right):
                width -= 0.5
                total -= 0.5 * right
                if not math.isnan(left):
                    width += phase
                    total += phase * (right + 0.5 * phase * (left - right))
                else:
                    phase = min(phase, 0.5)
                    width += phase
                    total += phase * right
            elif not math.isnan(left) and phase > 0.5:
                width += phase - 0.5
                total += (phase - 0.5) * left
        if xmax < right_edge:
            phase = (xmax - (x1 + (imax - 1) * dx)) / dx
            left, right = at(imax), at(imax + 1)
            if not math.isnan(left):
                width -= 0.5
                total -= 0.5 * left
                if not math.isnan(right):
                    width += phase
                    total += phase * (left + 0.5 * phase * (right - left))
                else:
                    phase = min(phase, 0.5)
                    width += phase
                    total += phase * left
            elif not math.isnan(right) and phase > 0.5:
                width += phase - 0.5
                total += (phase - 0.5) * right
    else:  # no sample centre inside: the mean of the interpolated values at the two ends
        left, right = at(imax), at(imin)
        phase1 = (xmin - (x1 + (imax - 1) * dx)) / dx
        phase2 = (xmax - (x1 + (imax - 1) * dx)) / dx
        if imin == imax + 1:
            if not math.isnan(left):
                if not math.isnan(right):
                    width = phase2 - phase1
                    total = width * (left + 0.5 * (phase1 + phase2) * (right - left))
                elif phase1 < 0.5:
                    width = min(phase2, 0.5) - phase1
                    total = width * left
            elif not math.isnan(right) and phase2 > 0.5:
                width = phase2 - max(phase1, 0.5)
                total = width * right
    return total / width if width > 0 else None


def pulse_times(point_process) -> np.ndarray:
    """The times of a Praat PointProcess, in seconds."""
    if call(point_process, "Get number of points") == 0:
        return np.zeros(0)
    return np.asarray(call(point_process, "To Matrix").values[0], dtype=float)


def _pulse_peaks(samples: np.ndarray, rate: int, times: np.ndarray) -> np.ndarray:
    """Peak |amplitude| within a quarter of the local period around each pulse."""
    if times.size == 0:
        return np.zeros(0)
    intervals = np.diff(times)
    period = np.minimum(np.concatenate([intervals[:1], intervals]), np.concatenate([intervals, intervals[-1:]])) \
        if times.size > 1 else np.array([0.01])
    half = np.maximum(np.round(0.25 * period * rate).astype(int), 1)
    centre = np.round(times * rate).astype(int)
    lo = np.clip(centre - half, 0, samples.size - 1)
    hi = np.clip(centre + half + 1, 1, samples.size)
    magnitude = np.abs(samples)
    return np.array([magnitude[a:b].max() for a, b in zip(lo, hi, strict=True)])


def keep_voiced_pulses(samples: np.ndarray, rate: int, times: np.ndarray, min_level: float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Boolean mask of the pulses kept as voicing, and every pulse's waveform peak."""
    peaks = _pulse_peaks(samples, rate, times)
    if peaks.size < 3:
        return np.ones(peaks.size, bool), peaks
    local = median_filter(peaks, size=21, mode="nearest")
    return peaks >= min_level * local, peaks


def pitch_cc_of(sound: parselmouth.Sound, floor_hz: float, ceiling_hz: float, settings: PraatSettings
                ) -> parselmouth.Pitch:
    """``To Pitch (cc)`` of a mono sound with the settings' arguments, by the settings' engine."""
    s = settings
    if s.pitch_engine == "praat":
        return call(sound, "To Pitch (cc)", 0.0, floor_hz, s.max_candidates, "no", s.silence_threshold,
                    s.voicing_threshold, s.octave_cost, s.octave_jump_cost, s.voiced_unvoiced_cost, ceiling_hz)
    if sound.xmin != 0.0 or sound.n_channels != 1:
        raise ValueError("the NumPy pitch takes a mono sound that starts at time 0")
    return pitch_cc(sound.values[0], sound.sampling_frequency, floor_hz, ceiling_hz, s)


def analyse_pulses(samples: np.ndarray, rate: int, floor_hz: float, ceiling_hz: float,
                   settings: PraatSettings | None = None) -> PulseAnalysis:
    """Pitch (cc) and pulses (cc) of a mono sound, with the faint pulses removed."""
    s = settings or PraatSettings()
    sound = parselmouth.Sound(np.asarray(samples, dtype=np.float64), float(rate))
    pitch = pitch_cc_of(sound, floor_hz, ceiling_hz, s)
    pulses = call([sound, pitch], "To PointProcess (cc)")
    times = pulse_times(pulses)
    keep, peaks = keep_voiced_pulses(samples, rate, times, s.min_pulse_level)
    removed = int(np.count_nonzero(~keep))
    if removed:
        # Remove each faint pulse by a window around it that holds no other pulse.
        gaps = np.diff(times)
        for i in np.nonzero(~keep)[0]:
            before = gaps[i - 1] if i > 0 else 1.0
            after = gaps[i] if i < gaps.size else 1.0
            call(pulses, "Remove points between", times[i] - 0.25 * before, times[i] + 0.25 * after)
    return PulseAnalysis(sound=sound, pitch=pitch, pulses=pulses, pulse_times_s=times[keep],
                         pulse_amplitudes=peaks[keep], removed_pulses=removed, floor_hz=floor_hz,
                         ceiling_hz=ceiling_hz, settings=s)


def voice_breaks(times: np.ndarray, tmin: float, tmax: float, floor_hz: float) -> list[VoiceBreak]:
    """Praat's voice breaks in [tmin, tmax]: runs of inter-pulse intervals longer than 1.25 / floor.

    As in Praat, the interval ending at the last pulse of the range is not examined, and a run of
    consecutive long intervals is one break (its intervals summed).
    """
    inside = times[(times >= tmin) & (times <= tmax)]
    limit = 1.25 / floor_hz
    breaks: list[VoiceBreak] = []
    previous_voiced = True
    for i in range(1, inside.size - 1):
        if inside[i] - inside[i - 1] > limit:
            if previous_voiced:
                breaks.append(VoiceBreak(float(inside[i - 1]), float(inside[i])))
            else:
                breaks[-1] = VoiceBreak(breaks[-1].start_s, float(inside[i]))
            previous_voiced = False
        else:
            previous_voiced = True
    return breaks
