"""The guided recording tasks: what the person is asked to do, for how long, and which measure reads it.

Each kind of recording maps to one measure of :mod:`torsion.measures`; each task is recorded as its
own video (or, for the voice, its own sound recording) so that results can be compared across tasks
(for example blinking at rest, while reading and while speaking, which differ characteristically in
blepharospasm; or a held vowel against connected speech, which differ in laryngeal dystonia).
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
    media: str = "video"  # "video" or "audio": what is recorded
    trend_tasks: tuple[str, ...] = ()  # tasks whose metrics are followed over time; default: the first task
    clinician_summary: str = ""  # the summary in words for a clinician; default: ``summary``, when it says no "you"

    @property
    def summary_for_clinician(self) -> str:
        """The summary as a clinician reads it on the patient's pages."""
        return self.clinician_summary or self.summary

    def task(self, code: str) -> Task | None:
        return next((t for t in self.tasks if t.code == code), None)

    @property
    def tasks_in_trends(self) -> tuple[Task, ...]:
        if not self.trend_tasks:
            return self.tasks[:1]
        return tuple(t for code in self.trend_tasks if (t := self.task(code)) is not None)


#: Length of the optional neutral period at the start of a head recording (held as straight as possible).
NEUTRAL_SECONDS = 5

READING_TEXT = (
    "The morning was quiet when we reached the harbour. Boats rocked slowly on the grey water, and a few "
    "gulls circled above the fish market. We walked along the old stone wall, counting the colours of "
    "the doors: blue, green, a faded red, then blue again. At the end of the pier a man was mending a net, "
    "his hands moving quickly and surely, as if they remembered the work better than he did."
)

#: All-voiced sentences: no voiceless sound in them, so any stop in the voicing is a break (adductor type).
VOICED_SENTENCES = (
    "Lynn and Molly rowed away in the rain. Our old yellow van will run all day. "
    "Maya loves melon and lime. Will you ring Norma every morning?"
)
#: Sentences full of voiceless sounds (p, t, k, s, sh, f, h), where a breathy voice drops out (abductor type).
VOICELESS_SENTENCES = (
    "Pat keeps the teapot hot. Sixty shiny shells sat on the shelf. "
    "Kate picked fresh peaches at the farm. Steph says the fox hid past the hill."
)

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind(
            code="head",
            title="Head posture and tremor",
            summary="How your head is turned, tilted and bent, and any rhythmic shaking, for cervical dystonia.",
            clinician_summary="How the patient's head is turned, tilted and bent, and any rhythmic shaking, for "
                              "cervical dystonia.",
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
            clinician_summary="How often the patient blinks and how long their eyes close, at rest, while reading "
                              "and while speaking.",
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
        Kind(
            code="voice",
            title="Voice",
            summary="Breaks in your voice, its steadiness and its clarity, from a held vowel, sentences and a "
                    "short passage, for laryngeal dystonia.",
            clinician_summary="Breaks in the patient's voice, its steadiness and its clarity, from a held vowel, "
                              "sentences and a short passage, for laryngeal dystonia.",
            measure="torsion.measures.voice.measure_voice",
            media="audio",
            tasks=(
                Task("vowel", "Held vowel", 10,
                     "Take a breath, then say “aaah” at a comfortable pitch and loudness and hold it as steadily "
                     "as you can, for at least 5 seconds. Press “Stop” when you run out of breath.",
                     (Cue(0, "Say “aaah” and hold it."),), "Aaaaaah…"),
                Task("voiced", "Smooth sentences", 20,
                     "Read the sentences aloud at your usual pace and loudness. They have no hissing or popping "
                     "sounds, so your voice should run on without stopping.",
                     (Cue(0, "Read the sentences aloud."),), VOICED_SENTENCES),
                Task("voiceless", "Sentences with p, t, k and s", 20,
                     "Read the sentences aloud at your usual pace and loudness. They are full of p, t, k, s and "
                     "sh sounds.",
                     (Cue(0, "Read the sentences aloud."),), VOICELESS_SENTENCES),
                Task("passage", "Reading passage", 45, "Read the passage aloud at your usual pace and loudness.",
                     (Cue(0, "Read the passage aloud."),), READING_TEXT),
            ),
            metrics=(("phonatory_breaks", "Breaks of 40 ms or longer", ""), ("cpps_db", "Voice clarity (CPPS)", "dB"),
                     ("voice_breaks", "Voice breaks", ""), ("jitter_percent", "Jitter", "%")),
            trend_tasks=("voiced", "vowel"),
        ),
    )
}


def task_seconds(task: Task) -> int:
    """The task's duration; a deployment may shorten every task (``TORSION_TASK_SECONDS``) for trials."""
    override = getattr(settings, "TORSION_TASK_SECONDS", None)
    return int(override) if override else task.seconds
