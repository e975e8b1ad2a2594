"""Tremor in a drawing: the spectrum of the pen's small, fast departures from its own smooth path.

Method (shared by the spiral and line measures, which supply the residual):

1. The *residual* is the pen position minus the smooth path it follows: for a spiral, the path
   rebuilt from the radius and angle about the spiral's centre, each low-passed at
   :data:`DETREND_CUTOFF_HZ` (zero-phase 4th-order Butterworth); for a line, the position itself
   low-passed. What remains is movement above about 2 Hz, in millimetres (or CSS pixels). Each
   pen-down segment is resampled to a uniform grid first (browsers deliver samples unevenly), and
   :data:`EDGE_S` at both ends of each segment is left out, where the filter has no data on one side.
2. The residual is split two ways: in the page's fixed axes (x, y), and in the pen's own frame
   (radial and tangential: across and along the spiral). Hand tremor usually shakes the pen in a
   direction fixed to the hand, which is a single spectral peak in the page's axes but two peaks
   (the tremor frequency plus and minus the turning rate) in the radial and tangential signals; a
   tremor that follows the pen is the reverse. Both are computed and the frame whose peak stands
   highest is reported (``frame``: ``"page"`` or ``"pen"``).
3. Welch power spectral density of each component (Hann windows of :data:`WINDOW_S`, or the longest
   segment if shorter; 50% overlap; zero-padded 8 times), averaged over segments in proportion to
   their windows, the two components of a frame summed, and divided by the known attenuation of
   step 1's filter (``(1 - |H(f)|^2)^2``). Units: unit^2 per Hz.
4. Candidates are the local maxima of the density in the tremor band, 3-15 Hz (a maximum at the
   bottom of the band that keeps rising below it is slow movement leaking in, not a peak). Each is
   compared with the density it stands on: the geometric mean of the median densities on its two
   flanks, from just beyond its main lobe to :data:`FLANK_HZ` further (one flank at the spectrum's
   edge). The candidate standing highest above its flanks, in either frame, is the peak; its
   frequency is refined by a parabola through the log density, its power is the density above the
   flanks over the Hann main lobe (+/- 2 bins of the window's resolution), and its peak-to-peak
   amplitude is ``2 * sqrt(2 * power)`` (exact for a sinusoid). Comparing with the flanks rather
   than the whole band keeps the sloping, bumpy spectrum of a hesitant, jerky movement (slow speed
   changes, as in writer's cramp) from passing for tremor.
5. **Detection**: tremor is reported when the peak stands at least :data:`MIN_PROMINENCE` times
   above its flanks and above what noise alone reaches with probability 1e-5 (chi-square bound, as
   in :mod:`torsion.measures.tremor`), and the amplitude is at least :data:`MIN_AMPLITUDE_MM`
   peak to peak. Otherwise "no tremor detected", with no frequency or amplitude.

Sources: spiral tremor from the radial residual or tangential velocity (Pullman 1998; Elble's
tablet spirals, where amplitude in cm relates logarithmically to clinical ratings; see
docs/measures-drawing.md). The band, thresholds and the choice between frames are Torsion's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal, stats

from torsion.measures.drawing import rounded

__all__ = ["DETREND_CUTOFF_HZ", "PenTremor", "TremorPiece", "analyse_pen_tremor"]

#: Cutoff of the low-pass that gives the smooth path, Hz.
DETREND_CUTOFF_HZ = 2.0
#: Tremor band, Hz.
BAND_HZ = (3.0, 15.0)
#: Welch window, seconds.
WINDOW_S = 4.0
#: Seconds left out at both ends of each segment (filter edges).
EDGE_S = 0.25
#: Shortest analysable stretch, seconds.
MIN_PIECE_S = 1.0
#: Peak density over the density on its flanks needed for detection.
MIN_PROMINENCE = 20.0
#: Width of each flank a peak is compared with, Hz (beyond the peak's own main lobe).
FLANK_HZ = 2.5
#: Smallest reported tremor, peak to peak, millimetres (below the physiological tremor of a hand
#: resting a pen on a surface and the resolution of most touch screens).
MIN_AMPLITUDE_MM = 0.1
#: Probability with which pure noise may pass the prominence test.
FALSE_ALARM = 1e-5
#: Highest frequency kept in the stored spectrum, Hz.
SPECTRUM_MAX_HZ = 15.0


@dataclass(frozen=True)
class TremorPiece:
    """One pen-down stretch on a uniform time grid.

    Attributes
    ----------
    residual : ndarray (m, 2)
        Pen position minus the smooth path, page axes (x, y).
    radial : ndarray (m, 2) or None
        Unit vectors of the pen's own frame (pointing away from a spiral's centre); None when the
        pen's frame is fixed (a straight line), so that it adds nothing to the page's axes.
    """

    residual: np.ndarray
    radial: np.ndarray | None = None


@dataclass
class PenTremor:
    """Tremor found in a drawing.

    Attributes
    ----------
    detected : bool or None
        None when there was too little drawing to analyse.
    peak_frequency_hz : float or None
    amplitude : float or None
        Peak-to-peak amplitude of the dominant component, in ``unit``.
    frame : str or None
        ``"page"`` (fixed axes) or ``"pen"`` (radial and tangential), whichever shows the peak best.
    prominence : float or None
        Peak density over the density on its flanks.
    analysed_s : float
    unit : str
    frequencies_hz : ndarray
        Spectrum frequencies from :data:`DETREND_CUTOFF_HZ` to 15 Hz.
    density : ndarray
        Density of the reported frame, unit^2/Hz.
    """

    detected: bool | None
    peak_frequency_hz: float | None = None
    amplitude: float | None = None
    frame: str | None = None
    prominence: float | None = None
    analysed_s: float = 0.0
    unit: str = "mm"
    frequencies_hz: np.ndarray = field(default_factory=lambda: np.zeros(0))
    density: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def summary(self) -> str:
        if self.detected is None:
            return "Too little drawing to look for tremor."
        if not self.detected:
            return "No tremor detected."
        return f"Tremor at {self.peak_frequency_hz:.1f} Hz, {self.amplitude:.2f} {self.unit} peak to peak."

    def to_dict(self, series: bool = False) -> dict:
        out = rounded({
            "detected": self.detected,
            "summary": self.summary,
            "peak_frequency_hz": self.peak_frequency_hz,
            f"amplitude_{self.unit}": self.amplitude,
            "frame": self.frame,
            "prominence": self.prominence,
            "analysed_s": self.analysed_s,
        })
        if series:
            out["spectrum"] = {
                "frequencies_hz": [round(float(f), 4) for f in self.frequencies_hz],
                f"density_{self.unit}2_per_hz": [float(f"{v:.4g}") for v in self.density],
            }
        return out


def _peak_frequency(frequencies: np.ndarray, density: np.ndarray, index: int) -> float:
    if 0 < index < density.size - 1:
        left, centre, right = np.log(np.maximum(density[index - 1 : index + 2], 1e-300))
        curvature = left - 2 * centre + right
        if curvature < 0:
            return float(frequencies[index] + 0.5 * (left - right) / curvature * (frequencies[1] - frequencies[0]))
    return float(frequencies[index])


def _flank_floor(frequencies: np.ndarray, density: np.ndarray, peak_hz: float, gap: float, flank: float) -> float:
    """The density a peak stands on: the geometric mean of the median densities on its two flanks
    (``gap`` to ``flank`` Hz away on either side), or of the one flank inside the spectrum."""
    offsets = frequencies - peak_hz
    sides = [density[(offsets >= -flank) & (offsets <= -gap)], density[(offsets >= gap) & (offsets <= flank)]]
    medians = [float(np.median(side)) for side in sides if side.size]
    if not medians:
        return float(np.median(density))
    return float(np.exp(np.mean(np.log(np.maximum(medians, 1e-300)))))


def _components(piece: TremorPiece, frame: str) -> np.ndarray:
    if frame == "page":
        return piece.residual
    u = piece.radial
    radial = np.einsum("ij,ij->i", piece.residual, u)
    tangential = piece.residual[:, 1] * u[:, 0] - piece.residual[:, 0] * u[:, 1]
    return np.column_stack([radial, tangential])


def analyse_pen_tremor(
    pieces: list[TremorPiece], rate_hz: float, *, unit: str = "mm", mm_per_unit: float = 1.0,
    cut_at: str = "pen lifts",
) -> tuple[PenTremor, list[str]]:
    """Look for tremor in residuals from :data:`DETREND_CUTOFF_HZ` low-pass detrending.

    Parameters
    ----------
    pieces : list of TremorPiece
        Stretches of drawing, each with the pen down throughout (a caller may cut a pen-down stretch
        further, see ``cut_at``), sampled at ``rate_hz``.
    rate_hz : float
        Uniform sampling rate of the pieces.
    unit : str
        Length unit of the residuals ("mm" or "px").
    mm_per_unit : float
        Millimetres per unit, for the physical amplitude threshold.
    cut_at : str
        Where one piece ends and the next begins, in plain words for the warnings ("pen lifts" unless the
        caller also cuts the drawing elsewhere).

    Returns
    -------
    (PenTremor, list of str)
        The result and any warnings.
    """
    warnings: list[str] = []
    edge = int(round(EDGE_S * rate_hz))
    trimmed = []
    for piece in pieces:
        m = piece.residual.shape[0]
        if m - 2 * edge < MIN_PIECE_S * rate_hz:
            continue
        keep = slice(edge, m - edge)
        trimmed.append(TremorPiece(piece.residual[keep], None if piece.radial is None else piece.radial[keep]))
    if not trimmed:
        return PenTremor(detected=None, unit=unit), [
            f"No stretch of drawing lasts {MIN_PIECE_S + 2 * EDGE_S:g} s or more (stretches end at {cut_at}); "
            "tremor was not analysed."
        ]
    if 0.5 * rate_hz < BAND_HZ[0] + 2:
        return PenTremor(detected=None, unit=unit), [
            f"Samples came only {rate_hz:.0f} times a second, too few to look for tremor."
        ]
    longest = max(p.residual.shape[0] for p in trimmed)
    nperseg = min(int(round(WINDOW_S * rate_hz)), longest)
    used = [p for p in trimmed if p.residual.shape[0] >= nperseg]
    nfft = int(2 ** np.ceil(np.log2(8 * nperseg)))
    frames = ["page"] + (["pen"] if all(p.radial is not None for p in used) else [])

    density = {frame: None for frame in frames}
    frequencies = None
    windows = 0
    for piece in used:
        n_windows = 1 + (piece.residual.shape[0] - nperseg) // (nperseg // 2)
        for frame in frames:
            frequencies, psd = signal.welch(
                _components(piece, frame), fs=rate_hz, window="hann", nperseg=nperseg, noverlap=nperseg // 2,
                nfft=nfft, detrend="constant", scaling="density", axis=0,
            )
            summed = psd.sum(axis=1) * n_windows
            density[frame] = summed if density[frame] is None else density[frame] + summed
        windows += n_windows
    sos = signal.butter(4, DETREND_CUTOFF_HZ, fs=rate_hz, output="sos")
    _, response = signal.sosfreqz(sos, worN=frequencies, fs=rate_hz)
    gain = 1.0 - np.abs(response) ** 2  # the residual keeps what the zero-phase low-pass removed
    shown = (frequencies >= DETREND_CUTOFF_HZ) & (frequencies <= min(SPECTRUM_MAX_HZ, 0.5 * rate_hz))
    for frame in frames:
        density[frame] = density[frame] / windows
        density[frame][shown] /= gain[shown] ** 2

    df = frequencies[1] - frequencies[0]
    low, high = BAND_HZ[0], min(BAND_HZ[1], 0.5 * rate_hz - 2 * rate_hz / nperseg)
    in_band = (frequencies >= low) & (frequencies <= high)
    independent_bins = max((high - low) * nperseg / rate_hz, 1.0)
    dof = 2 * windows
    noise_bound = stats.chi2.ppf(1.0 - FALSE_ALARM / independent_bins, dof) / stats.chi2.median(dof)
    required = max(MIN_PROMINENCE, float(noise_bound))
    half_lobe = 2.0 * rate_hz / nperseg

    # Candidates are the local maxima in the band (a maximum at the bottom of the band that keeps
    # rising below it is slow movement leaking in, not a peak). Each is measured against the density
    # on its flanks, so that the slope of an irregular, jerky movement's spectrum is not taken for a
    # peak; the candidate standing highest above its flanks, in either frame, is the one reported.
    shown_index = np.flatnonzero(shown)
    gap, flank = 1.25 * half_lobe, 1.25 * half_lobe + FLANK_HZ
    best = None
    for frame in frames:
        maxima = shown_index[signal.argrelmax(density[frame][shown])[0]]
        for top in maxima[in_band[maxima]]:
            floor = _flank_floor(frequencies[shown], density[frame][shown], frequencies[top], gap, flank)
            prominence = float(density[frame][top] / floor) if floor > 0 else float("inf")
            if best is None or prominence > best[1]:
                best = (frame, prominence, floor, int(top))
    if best is None:
        frame, prominence, floor, top = frames[0], 0.0, 0.0, None
    else:
        frame, prominence, floor, top = best
    detected = False
    peak_frequency = amplitude = None
    if top is not None:
        peak_frequency = _peak_frequency(frequencies, density[frame], top)
        lobe = np.abs(frequencies - peak_frequency) <= half_lobe
        power = max(float(np.sum(density[frame][lobe] - floor) * df), 0.0)
        amplitude = 2.0 * np.sqrt(2.0 * power)
        detected = prominence >= required and amplitude * mm_per_unit >= MIN_AMPLITUDE_MM
    result = PenTremor(
        detected=bool(detected),
        peak_frequency_hz=peak_frequency if detected else None,
        amplitude=amplitude if detected else None,
        frame=frame if detected else None,
        prominence=prominence,
        analysed_s=float(sum(p.residual.shape[0] for p in used) / rate_hz),
        unit=unit,
        frequencies_hz=frequencies[shown],
        density=density[frame][shown],
    )
    if len(used) < len(pieces):
        left_out = len(pieces) - len(used)
        warnings.append(f"{left_out} stretch{'es' if left_out > 1 else ''} of drawing too short for the tremor "
                        f"spectrum {'were' if left_out > 1 else 'was'} left out (stretches end at {cut_at}).")
    return result, warnings
