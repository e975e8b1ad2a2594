from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "torsion.web.recordings"
    label = "recordings"

    def ready(self) -> None:
        from torsion.web.recordings import signals  # noqa: F401
        from torsion.web.recordings import signals_drawing  # noqa: F401
