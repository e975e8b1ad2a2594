"""Example voice recordings for the demonstration account, synthesised when ``torsion demo`` runs.

Nothing is downloaded: :mod:`torsion.measures.voice_synthesis` makes each sound (a glottal-pulse
source through vowel formant filters, with voice breaks put in where a voice with laryngeal dystonia
would break), the sound is stored like an upload, marked ``example``, and analysed at once by the
voice measure so that its results are there when the demo starts. Three sessions of the all-voiced
sentences, timed around the last two injections as a toxin cycle runs (many breaks just before an
injection, few a month after it, more again as it wears off), give the trend something to show; the
latest session holds every task.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from torsion.measures.voice_synthesis import synthesise_speech, synthesise_vowel, write_wav
from torsion.web.accounts.models import Patient
from torsion.web.recordings.models import Recording
from torsion.web.recordings.services import run_analysis
from torsion.web.records.models import ToxinInjection

RATE = 16000
F0_HZ = 118.0

#: Breaks in the all-voiced sentences at each session: before an injection, a month after, wearing off.
BREAKS = (7, 1, 4)


def _session_days(patient: Patient, today: date) -> list[date]:
    """Four days before the second-last injection, 35 days after it, and four days before the last one
    (or simply 78, 44 and 6 days ago when there are not two injections)."""
    injections = list(ToxinInjection.objects.filter(patient=patient, date__lte=today - timedelta(days=5))
                      .order_by("-date").values_list("date", flat=True)[:2])
    if len(injections) < 2:
        return [today - timedelta(days=d) for d in (78, 44, 6)]
    last, previous = injections
    return [previous - timedelta(days=4), min(previous + timedelta(days=35), last - timedelta(days=10)),
            last - timedelta(days=4)]


def _sound(task: str, breaks: int, seed: int):
    if task == "vowel":
        gaps = [(1.4 + 1.6 * i, 0.08 + 0.04 * i) for i in range(min(breaks, 2))]
        return synthesise_vowel(6.0, f0_hz=F0_HZ, gaps=gaps, amplitude_tremor_hz=5.5, amplitude_tremor_depth=0.07,
                                sample_rate=RATE, seed=seed)
    seconds = {"voiced": 16.0, "voiceless": 16.0, "passage": 32.0}[task]
    spacing = seconds / (breaks + 1)
    gaps = [(spacing * (i + 1), 0.06 + 0.03 * (i % 4)) for i in range(breaks)]
    return synthesise_speech(seconds, f0_hz=F0_HZ, consonants=task != "voiced", breaks=gaps, sample_rate=RATE,
                             seed=seed)


def add_voice_examples(patient: Patient, *, today: date) -> int:
    """Store and analyse the example voice recordings, unless the patient already has them; returns how many."""
    if Recording.objects.filter(patient=patient, kind="voice", example=True).exists():
        return 0
    made = 0
    days = _session_days(patient, today)
    for number, (day, breaks) in enumerate(zip(days, BREAKS, strict=True)):
        when = timezone.make_aware(datetime.combine(day, time(9, 30)))
        tasks = ("vowel", "voiced", "voiceless", "passage") if number == len(days) - 1 else ("voiced",)
        session = None
        for offset, task in enumerate(tasks):
            voice = _sound(task, breaks, seed=100 * number + offset)
            buffer = io.BytesIO()
            write_wav(buffer, voice.samples, RATE)
            recording = Recording(patient=patient, kind="voice", task=task, recorded_at=when + timedelta(minutes=offset),
                                  content_type="audio/wav", size_bytes=buffer.tell(), example=True)
            if session is not None:
                recording.session = session
            recording.video.save(f"example-{task}.wav", ContentFile(buffer.getvalue()), save=True)
            session = recording.session
            run_analysis(recording.pk)
            made += 1
    return made
