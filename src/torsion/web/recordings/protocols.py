"""The guided recording tasks: what the person is asked to do, for how long, and which measure reads it.

Each kind of recording maps to one measure of :mod:`torsion.measures`; each task is recorded as its
own video so that results can be compared across tasks (for example blinking at rest, while reading
and while speaking, which differ characteristically in blepharospasm).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class Cue:
    at_s: float
    text: str


@dataclass(frozen=True)
class Task:
    code: str
    title: str
    seconds: int
    instructions: str
    cues: tuple[Cue, ...] = ()
    reading_text: str = ""


@dataclass(frozen=True)
class Kind:
    code: str
    title: str
    summary: str
    measure: str  # "torsion.measures.<module>.<function>"
    tasks: tuple[Task, ...]
    metrics: tuple[tuple[str, str, str], ...] = field(default=())  # (key, label, unit) shown in trends

    def task(self, code: str) -> Task | None:
        return next((t for t in self.tasks if t.code == code), None)


#: Length of the optional neutral period at the start of a head recording (held as straight as possible).
NEUTRAL_SECONDS = 5

READING_TEXT = (
    "The morning was quiet when we reached the harbour. Boats rocked slowly on the grey water, and a few "
    "gulls circled above the fish market. We walked along the old stone wall, counting the colours of "
    "the doors: blue, green, a faded red, then blue again. At the end of the pier a man was mending a net, "
    "his hands moving quickly and surely, as if they remembered the work better than he did."
)

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            code="head",
            title="Head posture and tremor",
            summary="How your head is turned, tilted and bent, and any rhythmic shaking, for cervical dystonia.",
            measure="torsion.measures.head.measure_head",
            tasks=(
                Task("rest", "Head at rest", 30,
                     "Sit upright facing the camera. Let your head rest where it wants to be and look ahead. "
                     "Do not use a sensory trick. Keep still for 30 seconds.",
                     (Cue(0, "Let your head rest and look ahead."),)),
                Task("turn", "Turning range", 20,
                     "Turn your head as far as you comfortably can when asked, first to your left, then to your "
                     "right, and back to the middle each time.",
                     (Cue(0, "Look ahead."), Cue(3, "Turn to your left as far as you can."),
                      Cue(8, "Back to the middle."), Cue(11, "Turn to your right as far as you can."),
                      Cue(16, "Back to the middle."))),
            ),
            metrics=(("yaw_median_deg", "Rotation (median)", "°"), ("roll_median_deg", "Tilt (median)", "°"),
                     ("pitch_median_deg", "Forward/back (median)", "°"),
                     ("tremor_amplitude_deg", "Tremor amplitude", "°")),
        ),
        Kind(
            code="blink",
            title="Blinks and spasms",
            summary="How often you blink and how long your eyes close, at rest, while reading and while speaking.",
            measure="torsion.measures.blink.measure_blink",
            tasks=(
                Task("rest", "Eyes at rest", 45,
                     "Look at the screen near the camera and relax. Blink as you normally would.",
                     (Cue(0, "Look at the screen and relax."),)),
                Task("reading", "Reading", 45, "Read the text on the screen silently, at your own pace.",
                     (Cue(0, "Read the text silently."),), READING_TEXT),
                Task("speaking", "Speaking", 45,
                     "Talk aloud as if in a conversation; the questions on the screen can help.",
                     (Cue(0, "What did you do yesterday?"), Cue(15, "Describe the room you are in."),
                      Cue(30, "What is your favourite meal, and how is it made?"))),
            ),
            metrics=(("blink_rate_per_min", "Blinks per minute", "/min"),
                     ("eye_closure_percent", "Time with eyes closed", "%"),
                     ("prolonged_closures", "Closures of 0.5 s or longer", "")),
        ),
        Kind(
            code="face",
            title="Face and jaw",
            summary="Mouth opening, jaw pulled to one side and lip pulling, for oromandibular dystonia.",
            measure="torsion.measures.face.measure_face",
            tasks=(
                Task("rest", "Face at rest", 30, "Face the camera with your mouth relaxed and closed if you can.",
                     (Cue(0, "Relax your face and jaw."),)),
                Task("speaking", "Speaking", 30, "Talk aloud as if in a conversation.",
                     (Cue(0, "Tell us about your last meal."), Cue(15, "Count slowly from one to twenty."))),
            ),
            metrics=(("mouth_opening_outside_percent", "Mouth opening outside rest", "%"),
                     ("jaw_deviation_outside_percent", "Jaw deviation outside rest", "%"),
                     ("lip_pull_outside_percent", "Lip pulling outside rest", "%")),
        ),
    )
}


def task_seconds(task: Task) -> int:
    """The task's duration; a deployment may shorten every task (``TORSION_TASK_SECONDS``) for trials."""
    override = getattr(settings, "TORSION_TASK_SECONDS", None)
    return int(override) if override else task.seconds
