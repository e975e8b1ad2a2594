from datetime import date
from pathlib import Path

import yaml
from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "content" / "organisations.yaml"
REVIEWED = date(2026, 11, 29)


def load(apps, schema_editor):
    Organisation = apps.get_model("learn", "Organisation")
    for entry in yaml.safe_load(SEED.read_text(encoding="utf-8")):
        Organisation.objects.get_or_create(name=entry["name"], defaults={**entry, "reviewed": REVIEWED})


def unload(apps, schema_editor):
    Organisation = apps.get_model("learn", "Organisation")
    names = [entry["name"] for entry in yaml.safe_load(SEED.read_text(encoding="utf-8"))]
    Organisation.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("learn", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
