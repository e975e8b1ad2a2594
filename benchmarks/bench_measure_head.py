"""Speed and memory of ``measure head`` on this machine.

Run with ``.venv/bin/python -m benchmarks.bench_measure_head`` (or through ``python -m benchmarks``).
Prints:

* end-to-end frames per second of :func:`torsion.measures.head.measure_head` on a 640 x 480,
  30 frames/s WebM (VP8) video of the ``astronaut`` face moving, and of a bare MediaPipe Face Mesh
  loop (``refine_landmarks=True``, tracking mode) over the same frames already decoded into memory,
  with their ratio (target: at least 0.8); runs alternate and medians are quoted;
* the real-time factor on one core (seconds of video per second of work, in a subprocess pinned to
  one CPU with ``os.sched_setaffinity``; target: at least 3);
* peak memory (resident set size high-water mark, VmHWM) of a fresh process measuring a 1-minute
  and a 10-minute video (target: no growth with length);
* CPU time per frame of both loops and the load average, because other work on the machine moves
  the wall-clock figures.

The test videos are generated on first use into a temporary folder and removed at the end.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FPS = 640, 480, 30
THROUGHPUT_SECONDS = 30
RUNS = 5
FACE_CENTRE = (225.0, 125.0)


def make_video(path: Path, seconds: float) -> Path:
    """A 640 x 480, 30 frames/s VP8 WebM of the astronaut's face turning, nodding a little, moving."""
    import av
    import cv2
    from skimage import data

    image = data.astronaut()
    container = av.open(str(path), "w")
    stream = container.add_stream("libvpx", rate=FPS)
    stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    stream.bit_rate = 1_500_000
    stream.options = {"deadline": "realtime", "cpu-used": "8"}
    stream.codec_context.time_base = Fraction(1, 1000)
    for k in range(int(seconds * FPS)):
        t = k / FPS
        angle = 8.0 * np.sin(2 * np.pi * 0.2 * t) + 1.5 * np.sin(2 * np.pi * 4.0 * t)
        matrix = cv2.getRotationMatrix2D(FACE_CENTRE, angle, 2.0)
        matrix[0, 2] += WIDTH / 2 - FACE_CENTRE[0] + 20 * np.sin(2 * np.pi * 0.1 * t)
        matrix[1, 2] += HEIGHT / 2 - FACE_CENTRE[1]
        rgb = cv2.warpAffine(image, matrix, (WIDTH, HEIGHT), borderMode=cv2.BORDER_REFLECT)
        frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
        frame.pts, frame.time_base = int(round(t * 1000)), Fraction(1, 1000)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path


def decode_all(path: Path) -> list[np.ndarray]:
    """Every frame of ``path`` as RGB arrays in memory (for the bare loop only)."""
    from torsion.measures.video import open_video

    with open_video(path) as reader:
        return [frame.rgb for frame in reader.frames()]


def bare_face_mesh_seconds(frames: list[np.ndarray]) -> tuple[float, float]:
    """Wall and CPU seconds of Face Mesh alone over decoded frames, model loading included."""
    from mediapipe.python.solutions import face_mesh

    start, cpu = time.perf_counter(), time.process_time()
    with face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=True) as mesh:
        for rgb in frames:
            mesh.process(rgb)
    return time.perf_counter() - start, time.process_time() - cpu


def pipeline_seconds(path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of ``measure_head`` on ``path`` and the number of frames it decoded."""
    from torsion.measures.head import measure_head

    start, cpu = time.perf_counter(), time.process_time()
    result = measure_head(path)
    return time.perf_counter() - start, time.process_time() - cpu, result.frames_total


def peak_rss_mib() -> float:
    """This process's resident set size high-water mark (VmHWM), MiB.

    ``getrusage``'s ``ru_maxrss`` is not used: on Linux it carries over the parent's high-water
    mark through fork and exec.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM not found in /proc/self/status")


def _child(mode: str, path: str) -> None:
    """Entry point of the measuring subprocesses: prints one JSON line."""
    if mode == "one-core":
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    seconds, cpu_seconds, frames = pipeline_seconds(Path(path))
    figures = {"seconds": seconds, "cpu_seconds": cpu_seconds, "frames": frames, "peak_rss_mib": peak_rss_mib()}
    print(json.dumps(figures))


def run_child(mode: str, path: Path) -> dict:
    """Run :func:`_child` in a fresh interpreter and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_measure_head", "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    os.environ.setdefault("GLOG_minloglevel", "2")
    with tempfile.TemporaryDirectory(prefix="torsion-bench-") as folder:
        folder = Path(folder)
        print(f"measure head benchmark: {WIDTH}x{HEIGHT}, {FPS} frames/s VP8 WebM, {os.cpu_count()} CPUs")
        print(f"  load average before: {os.getloadavg()[0]:.1f}")
        clip = make_video(folder / "clip.webm", THROUGHPUT_SECONDS)
        frames = decode_all(clip)
        pipeline_fps, bare_fps, ratios, pipeline_cpu, bare_cpu = [], [], [], [], []
        for _ in range(RUNS):
            seconds, cpu_seconds, n = pipeline_seconds(clip)
            pipeline_fps.append(n / seconds)
            pipeline_cpu.append(1000 * cpu_seconds / n)
            seconds, cpu_seconds = bare_face_mesh_seconds(frames)
            bare_fps.append(len(frames) / seconds)
            bare_cpu.append(1000 * cpu_seconds / len(frames))
            ratios.append(pipeline_fps[-1] / bare_fps[-1])
        del frames
        pipe, bare = statistics.median(pipeline_fps), statistics.median(bare_fps)
        print(f"  measure head, end to end       {pipe:7.1f} frames/s  "
              f"(median of {RUNS}; runs {_fmt(pipeline_fps)})")
        print(f"  bare Face Mesh, decoded frames {bare:7.1f} frames/s  "
              f"(median of {RUNS}; runs {_fmt(bare_fps)})")
        print(f"  ratio                          {statistics.median(ratios):7.2f}        "
              f"(median of paired runs {_fmt(ratios, 2)}; target >= 0.80)")
        print(f"  CPU time per frame: measure head {statistics.median(pipeline_cpu):.2f} ms, "
              f"bare Face Mesh {statistics.median(bare_cpu):.2f} ms")

        one_core = [run_child("one-core", clip) for _ in range(3)]
        factor = statistics.median(THROUGHPUT_SECONDS / r["seconds"] for r in one_core)
        print(f"  real-time factor, one core     {factor:7.1f} x      (median of 3; target >= 3)")

        for minutes in (1, 10):
            video = make_video(folder / f"{minutes}min.webm", 60 * minutes)
            figures = run_child("memory", video)
            print(
                f"  {minutes:2d}-minute video: peak RSS {figures['peak_rss_mib']:6.0f} MiB, "
                f"{figures['frames'] / figures['seconds']:6.1f} frames/s"
            )
            video.unlink()
        print(f"  load average after: {os.getloadavg()[0]:.1f}")


def _fmt(values: list[float], digits: int = 0) -> str:
    return ", ".join(f"{v:.{digits}f}" for v in values)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
