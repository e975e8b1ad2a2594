"""Speed of ``measure voice`` on this machine, and how its cost grows with the recording's length.

Run with ``.venv/bin/python -m benchmarks measure_voice`` (or ``python -m benchmarks.bench_measure_voice``).
Recordings of synthetic connected speech (:func:`torsion.measures.voice_synthesis.synthesise_speech`:
a male-range voice, phrases of voiced syllables with consonant noise and pauses) of 15, 30 and 60
seconds are encoded as 48 kHz WebM/Opus, what browsers upload, into a temporary folder. Each is
measured end to end with :func:`torsion.measures.voice.measure_voice` (task ``passage``: decoding,
the automatic pitch range, Praat's pitch and pulses, the voice-report figures, CPPS, phonatory
breaks and the plot series), alternating lengths, ``RUNS`` times after one warm-up run.

Printed: per length the median wall-clock and CPU seconds (target for 60 s: under 1 s), the cost per
second of sound, the ratios of the 60-second cost to the 30- and 15-second costs (linear cost: 2 and
4), and for the 60-second recording the median time of the stages. Among them, side by side on the
same samples and pitch range, Praat's own ``To Pitch (cc)`` and Torsion's NumPy one
(:func:`torsion.measures.praat_pitch.pitch_cc`, which the analysis uses), alternated ``RUNS`` times,
wall and CPU seconds (Praat's command uses both cores). The load average is printed before and
after, because other work on the machine moves the wall-clock figures.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

LENGTHS_S = (15, 30, 60)
RUNS = 5
TARGET_S = 1.0
RATE = 48000


def make_recording(path: Path, seconds: float) -> Path:
    """``seconds`` of synthetic connected speech as a mono 48 kHz WebM/Opus file."""
    import av

    from torsion.measures.voice_synthesis import synthesise_speech

    samples = synthesise_speech(seconds, f0_hz=115, sample_rate=RATE, seed=11).samples.astype(np.float32)
    with av.open(str(path), "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=RATE, layout="mono")
        size = stream.codec_context.frame_size or 960
        for start in range(0, samples.size, size):
            frame = av.AudioFrame.from_ndarray(samples[None, start:start + size].copy(), format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, start, Fraction(1, RATE)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def measure_seconds(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``measure_voice`` run on ``path``."""
    from torsion.measures.voice import measure_voice

    start, cpu = time.perf_counter(), time.process_time()
    measure_voice(path, task="passage")
    return time.perf_counter() - start, time.process_time() - cpu


def stage_seconds(path: Path) -> dict[str, float]:
    """Wall seconds of each stage of the analysis of ``path``, run one after the other."""
    from torsion.measures.audio import read_audio
    from torsion.measures.cepstral import cpps
    from torsion.measures.praat_voice import analyse_pulses
    from torsion.measures.voice import VoiceSettings, analyse_voice, choose_pitch_range

    timings = {}
    start = time.perf_counter()
    audio = read_audio(path)
    timings["decoding"] = time.perf_counter() - start
    start = time.perf_counter()
    floor, ceiling, _ = choose_pitch_range(audio.samples, audio.sample_rate, None, VoiceSettings())
    timings["pitch range (first pass)"] = time.perf_counter() - start
    start = time.perf_counter()
    analyse_pulses(audio.samples, audio.sample_rate, floor, ceiling)
    timings["pitch (cc, NumPy) and pulses"] = time.perf_counter() - start
    start = time.perf_counter()
    cpps(audio.samples, audio.sample_rate)
    timings["CPPS"] = time.perf_counter() - start
    start = time.perf_counter()
    analyse_voice(audio.samples, audio.sample_rate, "passage")
    timings["whole analysis after decoding"] = time.perf_counter() - start
    return timings


def pitch_engines_seconds(path: Path) -> dict[str, tuple[list[float], list[float]]]:
    """Wall and CPU seconds of Praat's ``To Pitch (cc)`` and of the NumPy one on the decoded
    ``path``, with the pitch range the analysis chooses, alternated ``RUNS`` times."""
    import parselmouth

    from torsion.measures.audio import read_audio
    from torsion.measures.praat_voice import PraatSettings, pitch_cc_of
    from torsion.measures.voice import VoiceSettings, choose_pitch_range

    audio = read_audio(path)
    floor, ceiling, _ = choose_pitch_range(audio.samples, audio.sample_rate, None, VoiceSettings())
    sound = parselmouth.Sound(audio.samples.astype(np.float64), float(audio.sample_rate))
    engines = {"praat": PraatSettings(pitch_engine="praat"), "numpy": PraatSettings()}
    seconds: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in engines}
    for name, settings in engines.items():  # warm-up
        pitch_cc_of(sound, floor, ceiling, settings)
    for _ in range(RUNS):
        for name, settings in engines.items():
            start, cpu = time.perf_counter(), time.process_time()
            pitch_cc_of(sound, floor, ceiling, settings)
            seconds[name][0].append(time.perf_counter() - start)
            seconds[name][1].append(time.process_time() - cpu)
    print(f"  To Pitch (cc) on the decoded 60 s ({audio.sample_rate} Hz, floor {floor:.1f} Hz, "
          f"ceiling {ceiling:.1f} Hz), medians of {RUNS}:")
    for name, label in (("praat", "Praat's command"), ("numpy", "NumPy (praat_pitch)")):
        wall, cpu = seconds[name]
        print(f"    {label:24s} {statistics.median(wall):6.3f} s wall, {statistics.median(cpu):6.3f} s CPU "
              f"(wall runs {', '.join(f'{v:.2f}' for v in wall)})")
    ratio = statistics.median(seconds["praat"][0]) / statistics.median(seconds["numpy"][0])
    print(f"    NumPy is {ratio:.1f} times as fast (wall)")
    return seconds


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="torsion-bench-voice-") as folder:
        files = {s: make_recording(Path(folder) / f"speech-{s}s.webm", s) for s in LENGTHS_S}
        print(f"measure voice benchmark: synthetic connected speech, 48 kHz WebM/Opus, {os.cpu_count()} CPUs")
        print(f"  load average before: {os.getloadavg()[0]:.1f}")
        for path in files.values():
            measure_seconds(path)  # warm-up: imports, Praat's first call
        wall: dict[int, list[float]] = {s: [] for s in LENGTHS_S}
        cpu: dict[int, list[float]] = {s: [] for s in LENGTHS_S}
        for _ in range(RUNS):
            for seconds, path in files.items():
                w, c = measure_seconds(path)
                wall[seconds].append(w)
                cpu[seconds].append(c)
        medians = {s: statistics.median(wall[s]) for s in LENGTHS_S}
        cpu_medians = {s: statistics.median(cpu[s]) for s in LENGTHS_S}
        for seconds in LENGTHS_S:
            target = f"  (target < {TARGET_S:.0f} s)" if seconds == 60 else ""
            print(f"  {seconds:3d} s recording: {medians[seconds]:6.3f} s wall, {cpu_medians[seconds]:6.3f} s CPU, "
                  f"{1000 * cpu_medians[seconds] / seconds:5.1f} ms CPU per second of sound "
                  f"(medians of {RUNS}; wall runs {', '.join(f'{v:.2f}' for v in wall[seconds])}){target}")
        for shorter in LENGTHS_S[:-1]:
            print(f"  cost ratio 60 s / {shorter} s: {cpu_medians[60] / cpu_medians[shorter]:.2f} CPU, "
                  f"{medians[60] / medians[shorter]:.2f} wall (linear: {60 / shorter:.0f})")
        stages = [stage_seconds(files[60]) for _ in range(3)]
        print("  stages of the 60 s analysis (wall, median of 3):")
        for name in stages[0]:
            print(f"    {name:32s} {statistics.median(s[name] for s in stages):6.3f} s")
        pitch_engines_seconds(files[60])
        print(f"  load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
