"""A canonical dump of every row of Torsion's own tables, to prove that a request changed nothing."""

from __future__ import annotations

from django.apps import apps
from django.core import serializers

PROJECT_APPS = ("accounts", "records", "learn", "clinic", "core", "recordings", "audit")


def database_state(exclude: tuple[str, ...] = ()) -> str:
    """Every row of the project's tables, but those of the tables named in ``exclude``."""
    models = [m for app in PROJECT_APPS if app in {c.label for c in apps.get_app_configs()}
              for m in apps.get_app_config(app).get_models() if m._meta.db_table not in exclude]
    chunks = []
    for model in sorted(models, key=lambda m: m._meta.label):
        rows = model._default_manager.order_by("pk")
        chunks.append(serializers.serialize("json", rows, fields=None))
    return "\n".join(chunks)
