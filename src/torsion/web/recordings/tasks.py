"""Background work of the recordings app (run by ``torsion serve``'s worker)."""

from django_tasks import task

from torsion.web.recordings.services import run_analysis


@task()
def analyse_recording(recording_id: int) -> None:
    run_analysis(recording_id)
