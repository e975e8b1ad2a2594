"""Sound files for the voice tests: synthetic voices written in the formats people and browsers use.

Encoding goes through PyAV (FFmpeg's encoders), so WAV, FLAC, MP3, WebM/Opus, Ogg/Opus and MP4/AAC
files are made during the tests; nothing is downloaded. :func:`espeak` speaks a sentence with
espeak-ng when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from torsion.measures.voice_synthesis import write_wav

#: (file suffix, encoder, container format) of the formats tested.
FORMATS = {
    "wav": ("pcm_s16le", "wav"),
    "flac": ("flac", "flac"),
    "mp3": ("libmp3lame", "mp3"),
    "webm": ("libopus", "webm"),
    "ogg": ("libopus", "ogg"),
    "m4a": ("aac", "mp4"),
}


def encode(path: Path, samples: np.ndarray, rate: int, *, channels: int = 1) -> Path:
    """Write ``samples`` (mono, -1..1) to ``path`` in the format its suffix names."""
    suffix = path.suffix.lstrip(".")
    if suffix == "wav" and channels == 1:
        write_wav(path, samples, rate)
        return path
    codec, container_format = FORMATS[suffix]
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame_size = stream.codec_context.frame_size or 1024
        data = np.tile(np.asarray(samples, dtype=np.float32)[None, :], (channels, 1))
        for start in range(0, data.shape[1], frame_size):
            chunk = np.ascontiguousarray(data[:, start:start + frame_size])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def espeak(path: Path, text: str, *, voice: str = "en") -> Path | None:
    """``text`` spoken by espeak-ng into a WAV file, or None when espeak-ng is not installed."""
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    subprocess.run([program, "-v", voice, "-s", "140", "-w", str(path), text], check=True, capture_output=True)
    return path
