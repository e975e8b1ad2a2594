"""Background work for drawings (run by ``torsion serve``'s worker, like the recordings' analysis)."""

from django_tasks import task

from torsion.web.recordings.services_drawing import run_drawing_analysis


@task()
def analyse_drawing(drawing_id: int) -> None:
    run_drawing_analysis(drawing_id)
