"""The migration to several check-ins a day keeps every diary entry: each becomes its day's only check-in."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("records", "0003_injection_checks_and_new_muscles")]
AFTER = [("records", "0004_check_ins_and_reminders")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_entries_become_whole_day_check_ins():
    old = _migrate(BEFORE)
    user = old.get_model("accounts", "User").objects.create(username="kept", role="patient")
    patient = old.get_model("accounts", "Patient").objects.create(user=user, diary_regions=["neck"])
    Entry = old.get_model("records", "DiaryEntry")
    first = Entry.objects.create(patient=patient, date=date(2024, 3, 1), severity={"neck": 6}, pain=2, note="kept")
    Entry.objects.create(patient=patient, date=date(2024, 3, 2), severity={"neck": 4})
    old.get_model("records", "DiaryRevision").objects.create(entry=first, data={"severity": {"neck": 7}})
    try:
        new = _migrate(AFTER)
        Entry = new.get_model("records", "DiaryEntry")
        rows = list(Entry.objects.order_by("date").values("date", "period", "time", "client_key", "severity", "pain",
                                                           "note"))
        assert rows == [
            {"date": date(2024, 3, 1), "period": "day", "time": None, "client_key": None, "severity": {"neck": 6},
             "pain": 2, "note": "kept"},
            {"date": date(2024, 3, 2), "period": "day", "time": None, "client_key": None, "severity": {"neck": 4},
             "pain": None, "note": ""},
        ]
        assert new.get_model("records", "DiaryRevision").objects.get().entry_id == first.pk
        # A second check-in on a day that had one is now possible.
        Entry.objects.create(patient_id=patient.pk, date=date(2024, 3, 1), period="evening", severity={"neck": 8})
        assert Entry.objects.filter(date=date(2024, 3, 1)).count() == 2
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
