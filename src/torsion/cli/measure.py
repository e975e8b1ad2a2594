"""``torsion measure``: objective measures from a video file (head posture and tremor, blinks, face)
or a sound file (voice).

Thin shells over :func:`torsion.measures.head.measure_head`,
:func:`torsion.measures.blink.measure_blink`, :func:`torsion.measures.face.measure_face` and
:func:`torsion.measures.voice.measure_voice`. The
library (and MediaPipe) is imported inside the commands so that ``torsion --help`` stays fast. A
recording that cannot be measured exits with status 2 and a one-line reason; a progress bar is
drawn on standard error for long videos when it is a terminal.

MediaPipe's C++ log lines are filtered out while a measure runs (:mod:`torsion.cli.native_logs`);
Python's own messages, the progress bar and errors still appear.
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from torsion.cli import native_logs
from torsion.cli.app import JsonOption, app, fail, print_json

if TYPE_CHECKING:
    from torsion.measures.head import HeadResult

measure_app = typer.Typer(
    name="measure",
    help="Measure head posture and tremor, blinks or facial movements in a video of a face, or the voice in a "
    "sound recording.",
    no_args_is_help=True,
)
app.add_typer(measure_app, name="measure")

#: Videos with more frames than this get a progress bar (when standard error is a terminal).
PROGRESS_MIN_FRAMES = 300

VideoArgument = Annotated[
    Path,
    typer.Argument(
        metavar="VIDEO",
        help="Video file (WebM, MP4, ...): the person facing the camera, picture not mirrored.",
    ),
]


@contextmanager
def _progress_bar(video: Path) -> Iterator[Callable[[int, int | None], None] | None]:
    """A ``progress(done, total)`` callback drawing a Rich bar on stderr, or None when not useful."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn(f"Measuring {video.name}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = None

    def update(done: int, total: int | None) -> None:
        nonlocal task
        if task is None:
            if total is not None and total < PROGRESS_MIN_FRAMES:
                return
            progress.start()
            task = progress.add_task("frames", total=total)
        progress.update(task, completed=done, total=max(total or 0, done) or None)

    try:
        yield update
    finally:
        progress.stop()


def _run_measure(video: Path, measure: Callable, expected: tuple[type[Exception], ...] = (), **options):
    """Run one measure on ``video`` with a progress bar, MediaPipe's log lines filtered out.

    Returns the measure's result; an unusable recording (or one of ``expected``) exits with 2 and
    the reason.
    """
    from torsion.measures.quality import UnusableRecording

    try:
        with native_logs.filtered(), _progress_bar(video) as progress:
            return measure(video, progress=progress, **options)
    except (UnusableRecording, *expected) as exc:
        fail(f"{video}: {exc}")


def _parse_angles(text: str) -> tuple[float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 3 or not all(math.isfinite(v) for v in values):
        fail(f"--neutral-angles must be three numbers YAW,PITCH,ROLL in degrees; got {text!r}")
    return values  # type: ignore[return-value]


def write_frames_csv(result: HeadResult, path: Path) -> None:
    """Write one row per frame: ``t,yaw_deg,pitch_deg,roll_deg,tracked`` (empty cell = not measured)."""

    def cell(value: float) -> str:
        return f"{value:.3f}" if math.isfinite(value) else ""

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["t", "yaw_deg", "pitch_deg", "roll_deg", "tracked"])
        for k, t in enumerate(result.t_s):
            writer.writerow(
                [
                    f"{t:.4f}",
                    cell(result.series["yaw_deg"][k]),
                    cell(result.series["pitch_deg"][k]),
                    cell(result.series["roll_deg"][k]),
                    int(result.tracked[k]),
                ]
            )


def _print_head_summary(result: HeadResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"{result.frames_analyzed} of {result.frames_total} frames analysed, {result.fps:.1f} frames/s, "
        f"{result.duration_s:.1f} s"
    )
    table = Table("Posture", "median", "5th pct", "95th pct")
    for name, label in [
        ("yaw_deg", "Rotation (deg, + chin to right)"),
        ("roll_deg", "Tilt (deg, + right ear down)"),
        ("pitch_deg", "Flexion (deg, + chin down)"),
        ("lateral_shift", "Lateral shift (shoulder widths, + right)"),
        ("sagittal_shift", "Sagittal shift (shoulder widths, + forward)"),
        ("shoulder_elevation", "Shoulder elevation (+ right raised)"),
    ]:
        spread = result.posture[name]
        if spread is None:
            table.add_row(label, "-", "-", "-")
        else:
            table.add_row(label, *(f"{spread[key]:.2f}" for key in ("median", "p5", "p95")))
    console.print(table)
    console.print(result.tremor.summary)
    estimates = Table("TWSTRS item (estimate)", "score", "direction", "time at max")
    for name, item in result.twstrs.items():
        score = "-" if item.score is None else f"{item.score}/{item.max_score}"
        share = "-" if item.time_at_max_fraction is None else f"{100 * item.time_at_max_fraction:.0f}%"
        estimates.add_row(name.replace("_", " "), score, item.direction or "", share)
    console.print(estimates)
    console.print("Estimates for a clinician to confirm.")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@measure_app.command("head")
def head_command(
    video: VideoArgument,
    as_json: JsonOption = False,
    frames: Annotated[
        Path | None,
        typer.Option(
            "--frames",
            metavar="FRAMES.csv",
            help="Also write per-frame angles: t,yaw_deg,pitch_deg,roll_deg,tracked.",
        ),
    ] = None,
    neutral: Annotated[
        float | None,
        typer.Option(
            "--neutral", metavar="SECONDS", help="The first SECONDS show the head held as straight as possible."
        ),
    ] = None,
    neutral_angles: Annotated[
        str | None,
        typer.Option(
            "--neutral-angles", metavar="YAW,PITCH,ROLL", help="Neutral head angles in degrees to subtract."
        ),
    ] = None,
) -> None:
    """Head posture (rotation, tilt, flexion, shifts), head tremor and TWSTRS estimates."""
    from torsion.measures.head import NeutralPeriodError, measure_head

    if neutral is not None and neutral_angles is not None:
        fail("give either --neutral or --neutral-angles, not both")
    angles = _parse_angles(neutral_angles) if neutral_angles is not None else None
    result = _run_measure(video, measure_head, (NeutralPeriodError,), neutral_s=neutral, neutral=angles)
    if frames is not None:
        try:
            write_frames_csv(result, frames)
        except OSError as exc:
            fail(f"{frames}: cannot write ({exc.strerror or exc})")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_head_summary(result)


def _print_dict(data: dict) -> None:
    from rich.console import Console
    from rich.pretty import Pretty

    Console().print(Pretty(data))


def _measure_and_print(video: Path, measure, as_json: bool, **options) -> None:
    """Run one measure on ``video`` and print its result, or exit 2 with the reason."""
    result = _run_measure(video, measure, **options)
    if as_json:
        print_json(result.to_dict())
    else:
        _print_dict(result.to_dict())


@measure_app.command("blink")
def blink_command(video: VideoArgument, as_json: JsonOption = False) -> None:
    """Blinks and eyelid spasms: blink rate, durations, prolonged closures, time with eyes closed."""
    from torsion.measures.blink import measure_blink

    _measure_and_print(video, measure_blink, as_json)


@measure_app.command("face")
def face_command(
    video: VideoArgument,
    as_json: JsonOption = False,
    rest: Annotated[
        float | None,
        typer.Option(
            "--rest",
            min=0.5,
            max=60.0,
            metavar="SECONDS",
            help="The first SECONDS of the video show the face at rest; they define the resting range.",
        ),
    ] = None,
) -> None:
    """Facial movements: mouth opening, jaw deviation and lip pull against their resting range."""
    from torsion.measures.face import measure_face

    _measure_and_print(video, measure_face, as_json, rest_s=rest)


VOICE_TASK_HELP = "vowel: a sustained /a/ (3 s or more); voiced: the all-voiced sentences; voiceless: the " \
    "sentences full of voiceless consonants; passage: the reading passage."


@measure_app.command("voice")
def voice_command(
    audio: Annotated[
        Path,
        typer.Argument(metavar="AUDIO", help="Sound file: WAV, FLAC, MP3, WebM/Opus, MP4/AAC (or a video's sound)."),
    ],
    task: Annotated[str, typer.Option("--task", metavar="TASK", help=VOICE_TASK_HELP)],
    as_json: JsonOption = False,
    sex: Annotated[
        str | None,
        typer.Option("--sex", metavar="male|female", help="Sets the pitch range (automatic without it)."),
    ] = None,
) -> None:
    """Voice for laryngeal dystonia: F0, voice and phonatory breaks, jitter, shimmer, HNR, CPPS, tremor."""
    from torsion.measures.quality import UnusableRecording
    from torsion.measures.voice import VOICE_TASKS, measure_voice

    if task not in VOICE_TASKS:
        fail(f"--task must be one of {', '.join(VOICE_TASKS)}; got {task!r}")
    if sex not in (None, "male", "female"):
        fail(f"--sex must be male or female; got {sex!r}")
    try:
        result = measure_voice(audio, task=task, sex=sex)
    except UnusableRecording as exc:
        fail(f"{audio}: {exc}")
    if as_json:
        print_json(result.to_dict())
    else:
        _print_voice_summary(result.to_dict())


def _print_voice_summary(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.2f} %"

    def num(value: float | None, unit: str, digits: int = 1) -> str:
        return "-" if value is None else f"{value:.{digits}f} {unit}"

    console = Console(highlight=False)
    console.print(f"Task: {data['task']}; {data['duration_s']:.1f} s, analysed from {data['analysed_from_s']:.2f} "
                  f"to {data['analysed_to_s']:.2f} s; pitch range {data['pitch_floor_hz']:g}-"
                  f"{data['pitch_ceiling_hz']:g} Hz ({data['pitch_range_source']})")
    table = Table("Measure", "Value", "Reference", show_edge=False)
    refs = data["references"]

    def ref(name: str) -> str:
        r = refs.get(name)
        if not r:
            return ""
        bound = (f"<= {r['upper']:g}" if r["upper"] is not None else f">= {r['lower']:g}")
        return bound + (" (outside)" if r["outside"] else "")

    rows = [
        ("F0 mean / SD", f"{num(data['f0_mean_hz'], 'Hz')} / {num(data['f0_sd_hz'], 'Hz')}", ""),
        ("Voice breaks", f"{data['voice_breaks']} (longest {data['voice_breaks_longest_s']:.3f} s)", ""),
        ("Degree of voice breaks", pct(data["degree_of_voice_breaks"]), ""),
        ("Unvoiced frames", pct(data["unvoiced_fraction"]), ref("unvoiced_fraction")),
        ("Jitter (local)", pct(data["jitter_local"]), ref("jitter_local")),
        ("Shimmer (local)", pct(data["shimmer_local"]), ref("shimmer_local")),
        ("HNR", num(data["hnr_db"], "dB"), ""),
        ("CPPS", num(data["cpps_db"], "dB"), ref("cpps_db")),
    ]
    if data["phonatory_breaks"] is not None:
        p = data["phonatory_breaks"]
        rows.append(("Phonatory breaks >= 40 ms", f"{p['count']} ({p['per_second'] or 0:.2f} per second of speech)",
                     ref("phonatory_breaks")))
    if data["tremor"] is not None:
        t = data["tremor"]
        rows.append(("Tremor", f"{t['frequency_hz']:.1f} Hz, depth {100 * t['depth']:.1f} % ({t['kind']})"
                     if t["detected"] else "none detected", ""))
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for warning in data["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")
