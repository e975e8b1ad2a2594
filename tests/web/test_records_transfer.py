"""CSV export of the record and import of a diary kept elsewhere: round trip, every error, all or nothing."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.web.conftest import logged_in
from tests.web.snapshot import database_state
from torsion.clinical import catalogue
from torsion.clinical.checkins import period_of_time
from torsion.web.core.dates import short_date
from torsion.web.records.csv_files import CSVFileError, csv_text, decode_upload, read_table, spreadsheet_safe, unguard
from torsion.web.records.diary_csv import (
    apply_import,
    export_rows,
    parse_day,
    parse_time_of_day,
    plan_import,
    suggest_date_format,
    suggest_mapping,
)
from torsion.web.records.models import (
    AdverseEvent,
    DBSImplant,
    DBSProgramming,
    DiaryEntry,
    DiaryImport,
    DiaryRevision,
    InjectionLine,
    MedicationCourse,
    ToxinInjection,
)

pytestmark = pytest.mark.django_db


def download(client, patient, name):
    response = client.get(f"/patients/{patient.pk}/export/?file={name}")
    assert response.status_code == 200
    return response


def rows_of(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def upload(client, patient, content: bytes | str, name="diary.csv"):
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(f"/patients/{patient.pk}/diary/import/",
                       {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def preview_url(client, patient, content) -> str:
    response = upload(client, patient, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def problems(response) -> list[tuple[int, str, str]]:
    """The rows of the table of problems on the preview page."""
    page = response.content.decode()
    if 'class="import-errors' not in page:
        return []
    table = page[page.index('class="import-errors'):]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr><td class="num"[^>]*>(\d+)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>', table)
    return [(int(row), html.unescape(column), html.unescape(message)) for row, column, message in rows]


def mapping(columns: dict[int, str], date_format="iso", **extra):
    return {**{f"column_{i}": target for i, target in columns.items()}, "date_format": date_format, **extra}


# --- export ----------------------------------------------------------------------------------------------

def test_export_page_lists_every_file(patient_client, patient):
    page = patient_client.get(f"/patients/{patient.pk}/export/").content.decode()
    for name in ("diary", "injections", "medications", "dbs-implants", "dbs-programming", "procedures", "therapy",
                 "side-effects"):
        assert f"?file={name}" in page
    assert "Import a diary file" in page
    assert patient_client.get(f"/patients/{patient.pk}/export/?file=passwords").status_code == 404


def test_diary_export_is_a_spreadsheet_safe_utf8_download(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=2), severity={"neck": 6, "upper_face": 2},
                              pain=4, triggers=["stress", "poor_sleep"], relievers=["rest"], note="=HYPERLINK(\"x\")")
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1), period="evening", time=time(19, 5),
                              severity={"neck": 5, "jaw": 1}, limitation=3, note="-2 since Monday; ça va")
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=1), period="morning", severity={"neck": 2})
    response = download(patient_client, patient, "diary")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="torsion-diary-{today.isoformat()}.csv"'
    assert rows_of(response) == [
        ["Date", "Time of day", "Neck severity", "Eyelids and brow severity", "Jaw severity", "Pain", "Limitation",
         "Triggers", "Relievers", "Note"],
        [(today - timedelta(days=2)).isoformat(), "", "6", "2", "", "4", "", "Stress; Poor sleep", "Rest",
         "'=HYPERLINK(\"x\")"],
        [(today - timedelta(days=1)).isoformat(), "Morning", "2", "", "", "", "", "", "", ""],
        [(today - timedelta(days=1)).isoformat(), "19:05", "5", "", "1", "", "3", "", "", "'-2 since Monday; ça va"],
    ]


@pytest.mark.parametrize("text, safe", [
    ("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-3", "'-3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("fine", "fine"), ("a=b", "a=b"), ("", ""), (None, ""), (7, "7"),
])
def test_cells_a_spreadsheet_would_run_are_prefixed(text, safe):
    assert spreadsheet_safe(text) == safe
    assert unguard(safe) == ("" if text is None else str(text))


def test_apostrophes_survive_the_guard():
    assert spreadsheet_safe("'tis fine") == "''tis fine" and unguard("''tis fine") == "'tis fine"
    assert unguard("'tis fine") == "'tis fine"  # a file written elsewhere keeps its apostrophe
    assert unguard(spreadsheet_safe("'=x")) == "'=x"


@given(st.text())
def test_guard_round_trip(text):
    assert unguard(spreadsheet_safe(text)) == text
    assert not spreadsheet_safe(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_treatment_exports(patient_client, patient, today):
    injection = ToxinInjection.objects.create(patient=patient, date=today - timedelta(days=30),
                                              product="abobotulinumtoxinA", lot_number="=cmd", guidance="ultrasound")
    InjectionLine.objects.create(injection=injection, muscle="splenius_capitis", side="right", units=Decimal("250"))
    InjectionLine.objects.create(injection=injection, muscle="other", muscle_other="Semispinalis cervicis",
                                 side="left", units=Decimal("125.5"), sites=2)
    MedicationCourse.objects.create(patient=patient, drug="clonazepam", dose_amount=Decimal("0.5"),
                                    start=date(2024, 1, 2), schedule_note="At bedtime")
    implant = DBSImplant.objects.create(patient=patient, implant_date=date(2023, 5, 6), target="gpi")
    DBSProgramming.objects.create(implant=implant, date=date(2023, 6, 1), settings={
        "right": {"contacts": "9-, C+", "amplitude": 2.0, "amplitude_unit": "mA", "pulse_width_us": 90,
                  "frequency_hz": 130},
        "left": {"contacts": "1-, C+", "amplitude": 2.5, "amplitude_unit": "mA", "pulse_width_us": 90,
                 "frequency_hz": 130}})
    AdverseEvent.objects.create(patient=patient, onset=today - timedelta(days=25), kind="dysphagia",
                                severity="mild", duration_days=7, injection=injection)
    rows = rows_of(download(patient_client, patient, "injections"))
    assert rows[0] == ["Date", "Product", "Lot number", "Dilution (units per mL)", "Guidance", "Injected by", "Muscle",
                       "Side", "Units", "Sites", "Session total units", "Notes"]
    assert rows[1:] == [
        [injection.date.isoformat(), "abobotulinumtoxinA (Dysport)", "'=cmd", "", "Ultrasound", "", "Splenius capitis",
         "Right", "250", "1", "375.5", ""],
        [injection.date.isoformat(), "abobotulinumtoxinA (Dysport)", "'=cmd", "", "Ultrasound", "",
         "Semispinalis cervicis", "Left", "125.5", "2", "375.5", ""],
    ]
    assert rows_of(download(patient_client, patient, "medications"))[1] == [
        "Clonazepam (benzodiazepine)", "0.5", "mg", "1", "At bedtime", "2024-01-02", "", "", ""]
    assert [r[2:6] for r in rows_of(download(patient_client, patient, "dbs-programming"))[1:]] == [
        ["left", "1-, C+", "2.5", "mA"], ["right", "9-, C+", "2.0", "mA"]]
    assert rows_of(download(patient_client, patient, "side-effects"))[1][-1] == (
        f"Injection of abobotulinumtoxinA (Dysport), {injection.date.day} {injection.date:%b %Y}")


def test_read_only_clinician_may_export_but_not_import(patient, stranger_clinician, today):
    factories.grant(patient, stranger_clinician, can_edit=False)
    client = logged_in(stranger_clinician.user)
    assert download(client, patient, "diary")
    page = client.get(f"/patients/{patient.pk}/export/").content.decode()
    assert "Import a diary file" not in page
    assert client.get(f"/patients/{patient.pk}/diary/import/").status_code == 404


# --- round trip ---------------------------------------------------------------------------------------

def _diary(patient) -> list[dict]:
    return [entry.snapshot() for entry in sorted(DiaryEntry.objects.filter(patient=patient), key=lambda e: e.sort_key)]


def test_export_then_import_into_a_fresh_patient_gives_the_same_diary(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=40), severity={"neck": 7, "upper_face": 0},
                              pain=5, limitation=4, triggers=["stress", "heat"], relievers=["sensory_trick", "rest"],
                              note='Long day, "bad" neck;\nsecond line')
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=39), severity={"neck": 3, "jaw": 10},
                              note="=cmd|' /C calc'!A0")
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=3), severity={"upper_face": 2}, pain=0,
                              note="-1 after the injection, ça va mieux")
    DiaryEntry.objects.create(patient=patient, date=today, period="morning", severity={"neck": 4}, limitation=0,
                              relievers=["alcohol"], triggers=["alcohol"])
    DiaryEntry.objects.create(patient=patient, date=today, period="afternoon", time=time(14, 30), severity={"neck": 6})
    DiaryEntry.objects.create(patient=patient, date=today, period="evening", severity={"neck": 8}, pain=3)
    exported = download(patient_client, patient, "diary").content

    fresh = factories.make_patient("fresh", regions=("neck",))
    client = logged_in(fresh.user)
    url = preview_url(client, fresh, exported)
    page = client.get(url)
    assert "Ready to import" in page.content.decode()  # the headers were recognised and the dates are ISO
    response = client.post(url, {**_suggested(page), "action": "import"})
    assert response.status_code == 302 and response["Location"] == f"/patients/{fresh.pk}/diary/"
    assert _diary(fresh) == _diary(patient)
    assert not DiaryImport.objects.filter(patient=fresh).exists()


def _suggested(page) -> dict:
    """The choices the preview page shows as selected (what a person submits without changing anything)."""
    text = page.content.decode()
    data = {}
    for name, body in re.findall(r'<select name="(column_\d+)"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    checked = re.search(r'name="date_format" value="(\w+)"[^>]*checked', text)
    if checked:
        data["date_format"] = checked.group(1)
    return data


# --- import: mapping, formats and every kind of problem ----------------------------------------------------

def test_dates_written_with_slashes_need_an_explicit_order(patient_client, patient, today):
    url = preview_url(patient_client, patient, "Day,Neck score\n03/04/2024,5\n13/04/2024,6\n")
    page = patient_client.get(url).content.decode()
    assert "Ready to import" not in page  # nothing is guessed
    response = patient_client.post(url, mapping({0: "date", 1: "severity:neck"}, date_format=""))
    assert "Choose how the dates are written: 03/04/2024 is 3 April" in html.unescape(response.content.decode())
    day_first = patient_client.post(url, mapping({0: "date", 1: "severity:neck"}, date_format="dmy"))
    assert problems(day_first) == [] and "Wed 3 Apr 2024" in day_first.content.decode()
    month_first = patient_client.post(url, mapping({0: "date", 1: "severity:neck"}, date_format="mdy"))
    assert problems(month_first) == [(3, "Day", "“13/04/2024” is not a date written as MM/DD/YYYY, month first.")]
    patient_client.post(url, {**mapping({0: "date", 1: "severity:neck"}, date_format="dmy"), "action": "import"})
    assert [(e.date, e.severity) for e in DiaryEntry.objects.order_by("date")] == [
        (date(2024, 4, 3), {"neck": 5}), (date(2024, 4, 13), {"neck": 6})]


@pytest.mark.parametrize("text, fmt, expected", [
    ("2024-03-31", "iso", date(2024, 3, 31)), ("2024-3-1", "iso", date(2024, 3, 1)),
    ("31/03/2024", "dmy", date(2024, 3, 31)), ("31.03.2024", "dmy", date(2024, 3, 31)),
    ("3-1-2024", "dmy", date(2024, 1, 3)), ("03/31/2024", "mdy", date(2024, 3, 31)),
    ("1/3/2024", "mdy", date(2024, 1, 3)),
])
def test_parse_day(text, fmt, expected):
    assert parse_day(text, fmt) == expected


@pytest.mark.parametrize("text, fmt", [
    ("31/03/2024", "iso"), ("2024-02-30", "iso"), ("31/03/2024", "mdy"), ("03/31/2024", "dmy"), ("31/03/24", "dmy"),
    ("yesterday", "dmy"), ("2024-03-31T10:00", "iso"),
])
def test_parse_day_refuses(text, fmt):
    with pytest.raises(ValueError):
        parse_day(text, fmt)


def test_every_row_problem_is_listed_and_nothing_is_written(patient_client, patient, today):
    DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=10), severity={"neck": 1})
    d = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    content = (
        "Date,Neck,Pain,Triggers,Note\n"
        f"{d(20)},5,3,Stress,fine row\n"                   # row 2: good
        f"{d(19)},11,3,,\n"                                # row 3: severity out of range
        f"{d(18)},4,high,,\n"                              # row 4: not a number
        f"{d(17)},4.5,2,,\n"                               # row 5: not a whole number
        "2024-02-30,4,2,,\n"                               # row 6: not a date
        f"{d(20)},4,2,,\n"                                 # row 7: same day as row 2
        f"{d(10)},4,2,,\n"                                 # row 8: already in the diary
        f"{(today + timedelta(days=3)).isoformat()},4,2,,\n"  # row 9: in the future
        ",4,2,,\n"                                         # row 10: no date
        f"{d(15)},,,,\n"                                   # row 11: only a date
        f"{d(14)},4,2,Moon phase; Stress,\n"               # row 12: unknown trigger
        f"{d(13)},4,2,,,surplus\n"                         # row 13: a cell beyond the header
        f"{d(12)},4,2,,{'x' * 2001}\n"                     # row 14: note too long
        f"{d(11)},-1,2,,\n"                                # row 15: negative
    )
    url = preview_url(patient_client, patient, content)
    before = database_state()
    response = patient_client.post(url, {**mapping({0: "date", 1: "severity:neck", 2: "pain", 3: "triggers",
                                                    4: "note"}), "action": "import"})
    assert response.status_code == 200
    day = lambda n: short_date(today - timedelta(days=n))  # noqa: E731
    assert problems(response) == [
        (3, "Neck", "“11” is not a whole number from 0 to 10."),
        (4, "Pain", "“high” is not a whole number from 0 to 10."),
        (5, "Neck", "“4.5” is not a whole number from 0 to 10."),
        (6, "Date", "“2024-02-30” is not a date written as YYYY-MM-DD."),
        (7, "Date", f"{day(20)} is also on row 2; keep one row per day."),
        (8, "Date", f"{day(10)} is already in the diary. Choose “Replace check-ins already in the diary” to correct "
                    "it with this row, or remove the row."),
        (9, "Date", f"{short_date(today + timedelta(days=3))} has not happened yet."),
        (10, "Date", "The date is empty."),
        (11, "Date", "There is only a date on this row: nothing to import."),
        (12, "Triggers", "“Moon phase” is not a trigger Torsion knows (the names are listed on the diary's check-in "
                         "page)."),
        (13, "after the last column", "This row has more cells than the header row has columns."),
        (14, "Note", "The note has 2001 characters; at most 2000 are kept."),
        (15, "Neck", "“-1” is not a whole number from 0 to 10."),
    ]
    page = response.content.decode()
    assert "13 problems found" in page and "Nothing was imported." in page
    assert 'value="import"' not in page  # no import button while there are problems
    assert database_state() == before


def test_a_single_bad_row_stops_the_whole_file(patient_client, patient, today):
    rows = "".join(f"{(today - timedelta(days=n)).isoformat()},{n % 10}\n" for n in range(1, 300))
    url = preview_url(patient_client, patient, "Date,Neck\n" + rows + "2020-01-01,12\n")
    response = patient_client.post(url, {**mapping({0: "date", 1: "severity:neck"}), "action": "import"})
    assert problems(response) == [(301, "Neck", "“12” is not a whole number from 0 to 10.")]
    assert not DiaryEntry.objects.exists()


def test_replacing_days_is_explicit_and_keeps_earlier_versions(patient_client, patient, today):
    day = today - timedelta(days=4)
    entry = DiaryEntry.objects.create(patient=patient, date=day, severity={"neck": 8, "upper_face": 3}, pain=6,
                                      limitation=5, note="kept")
    url = preview_url(patient_client, patient, f"Date,Neck,Pain,Limitation\n{day.isoformat()},2,,1\n"
                                               f"{(day - timedelta(days=1)).isoformat()},3,1,1\n")
    refused = patient_client.post(url, {**mapping({0: "date", 1: "severity:neck", 2: "pain", 3: "limitation"}),
                                        "action": "import"})
    assert [p[0] for p in problems(refused)] == [2]
    preview = patient_client.post(url, mapping({0: "date", 1: "severity:neck", 2: "pain", 3: "limitation"},
                                               replace="yes"))
    text = preview.content.decode()
    assert "1 new check-in and 1 check-in already in the diary, which will be corrected" in text and "Corrected" in text
    response = patient_client.post(url, {**mapping({0: "date", 1: "severity:neck", 2: "pain", 3: "limitation"},
                                                   replace="yes"), "action": "import"})
    assert response.status_code == 302
    entry.refresh_from_db()
    # Filled cells replace, empty cells (pain) leave the day's value, unmapped fields (note) stay.
    assert (entry.severity, entry.pain, entry.limitation, entry.note) == ({"neck": 2, "upper_face": 3}, 6, 1, "kept")
    revision = DiaryRevision.objects.get(entry=entry)
    assert revision.data["severity"] == {"neck": 8, "upper_face": 3} and revision.saved_by == patient.user
    assert DiaryEntry.objects.count() == 2


@pytest.mark.parametrize("text, expected", [
    ("", ("day", None)), ("Morning", ("morning", None)), ("EVENING", ("evening", None)), ("afternoon", ("afternoon", None)),
    ("whole day", ("day", None)), ("07:30", ("morning", time(7, 30))), ("7.30", ("morning", time(7, 30))),
    ("12:00", ("afternoon", time(12, 0))), ("19:05:00", ("evening", time(19, 5))), ("7:30 pm", ("evening", time(19, 30))),
    ("12 am", ("morning", time(0, 0))), ("12:15 p.m.", ("afternoon", time(12, 15))),
])
def test_parse_time_of_day(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["noon-ish", "25:00", "7", "13 pm", "07:61", "7:3"])
def test_parse_time_of_day_refuses(text):
    with pytest.raises(ValueError):
        parse_time_of_day(text)


def test_several_check_ins_a_day_are_imported_by_time_of_day(patient_client, patient, today):
    day = today - timedelta(days=5)
    timed = DiaryEntry.objects.create(patient=patient, date=day, period="morning", time=time(8, 0), severity={"neck": 7})
    other = today - timedelta(days=6)
    DiaryEntry.objects.create(patient=patient, date=other, period="evening", severity={"neck": 4})
    d, o = day.isoformat(), other.isoformat()
    content = (
        "Date,When,Neck\n"
        f"{d},08:00,3\n"         # row 2: the check-in at 08:00 already in the diary
        f"{d},Evening,6\n"       # row 3: a new check-in that day
        f"{d},evening,5\n"       # row 4: the same check-in as row 3
        f"{o},,5\n"              # row 5: whole day, but that day has a check-in at a time of day
        f"{o},soon,5\n"          # row 6: not a time of day
    )
    url = preview_url(patient_client, patient, content)
    columns = {0: "date", 1: "time", 2: "severity:neck"}
    assert "Time of day" in patient_client.get(url).content.decode()  # the "When" column is recognised
    refused = patient_client.post(url, {**mapping(columns), "action": "import"})
    said = lambda when: f"{when:%d %b %Y}"  # noqa: E731
    assert problems(refused) == [
        (2, "Date", f"{said(day)} (morning, 08:00) is already in the diary. Choose “Replace check-ins already in the "
                    "diary” to correct it with this row, or remove the row."),
        (4, "Date", f"{said(day)} (evening) is also on row 3; keep one row per check-in."),
        (5, "Date", f"{said(other)} has check-ins at times of day in the diary; give this row its time of day (in a "
                    "column chosen as “Time of day”) to say which one it corrects, or remove the row."),
        (6, "When", "“soon” is not a time of day: write Morning, Afternoon, Evening, a time such as 07:30, or leave "
                    "it empty for the whole day."),
    ]
    url = preview_url(patient_client, patient, "Date,When,Neck\n" f"{d},08:00,3\n" f"{d},Evening,6\n"
                                               f"{o},Morning,2\n")
    preview = patient_client.post(url, mapping(columns, replace="yes"))
    assert "2 new check-ins and 1 check-in already in the diary, which will be corrected" in preview.content.decode()
    assert "Evening" in preview.content.decode() and "Morning, 08:00" in preview.content.decode()
    response = patient_client.post(url, {**mapping(columns, replace="yes"), "action": "import"}, follow=True)
    assert "Imported 3 check-ins from diary.csv: 2 new, 1 corrected." in response.content.decode()
    timed.refresh_from_db()
    assert timed.severity == {"neck": 3} and timed.revisions.get().data["severity"] == {"neck": 7}
    assert sorted((e.date, e.period, e.time, e.severity["neck"]) for e in DiaryEntry.objects.all()) == [
        (other, "evening", None, 4), (other, "morning", None, 2), (day, "evening", None, 6),
        (day, "morning", time(8, 0), 3)]


def test_semicolon_separated_file_with_bom(patient_client, patient, today):
    url = preview_url(patient_client, patient, "\ufeffDatum;Nacken;Schmerz\n2024-05-01;4;2\n".encode("utf-8"))
    page = patient_client.get(url).content.decode()
    assert "separated by semicolons" in page and "Column “Datum” is" in html.unescape(page)
    patient_client.post(url, {**mapping({0: "date", 1: "severity:neck", 2: "pain"}), "action": "import"})
    assert DiaryEntry.objects.get().snapshot()["severity"] == {"neck": 4}


@pytest.mark.parametrize("columns, message", [
    ({1: "severity:neck"}, "Say which column holds the date."),
    ({0: "date"}, "Say which column holds which score: at least one column besides the date."),
])
def test_mapping_needs_a_date_and_a_score(patient_client, patient, columns, message):
    url = preview_url(patient_client, patient, "when,a,b\n2024-01-01,3,4\n")
    response = patient_client.post(url, mapping(columns))
    assert message in response.content.decode()
    assert 'class="import-errors"' not in response.content.decode()


def test_one_field_cannot_take_two_columns(patient_client, patient):
    url = preview_url(patient_client, patient, "when,a,b\n2024-01-01,3,4\n")
    response = patient_client.post(url, mapping({0: "date", 1: "pain", 2: "pain"}))
    page = html.unescape(response.content.decode())
    assert 'id="id_column_2_error"' in page and "“Pain (0-10)” is already the meaning of column “a”" in page


def test_suggested_mapping_from_headers():
    assert suggest_mapping(["Date", "Neck severity", "Eyelids and brow", "pain score", "Notes", "Mood", "neck"]) == {
        0: "date", 1: "severity:neck", 2: "severity:upper_face", 3: "pain", 4: "note"}


@pytest.mark.parametrize("content, name, message", [
    (b"PK\x03\x04" + b"\0" * 40, "diary.xlsx", "This is a spreadsheet file (such as .xlsx or .xls), not CSV."),
    (b"\x1a\x45\xdf\xa3" + b"\0" * 60, "a.webm", "This is not a text file."),
    ("Date,Neck\n2024-01-01,5,Müde\n".encode("latin-1"), "diary.csv", "The file is not UTF-8 text."),
    (b"", "diary.csv", "The submitted file is empty."),
    (b"\n\n", "diary.csv", "The file is empty."),
    (b"just some text\n", "notes.txt", "The header row has only one column."),
    (b"Date,Neck\n", "diary.csv", "The file has a header row but no rows of data below it."),
    (b"Date,Neck\n" + b"2024-01-01,5\n" * 180_000, "big.csv", "The file is 2.2 MB; the largest accepted is 2 MB."),
])
def test_upload_refuses_what_is_not_a_csv_diary(patient_client, patient, content, name, message):
    response = patient_client.post(f"/patients/{patient.pk}/diary/import/",
                                   {"file": SimpleUploadedFile(name, content, content_type="text/csv")})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    block = page[page.index('id="id_file_error"'):]
    assert message in block[: block.index("</ul>")]
    assert not DiaryImport.objects.exists()


def test_read_table_keeps_spreadsheet_row_numbers():
    table = read_table('\n\nDate,Note\n2024-01-01,"two\nlines"\n\n2024-01-02,x\n')
    assert table.columns == ["Date", "Note"]
    assert [(number, cells) for number, cells in table.rows] == [(4, ["2024-01-01", "two\nlines"]),
                                                                 (6, ["2024-01-02", "x"])]


def test_read_table_names_blank_and_repeated_columns():
    assert read_table("Date,,Neck,Neck\n2024-01-01,1,2,3\n").columns == ["Date", "Column 2", "Neck", "Neck (2)"]
    with pytest.raises(CSVFileError, match="no rows of data"):
        read_table("a,b\n,\n")


def test_cancel_removes_the_waiting_file(patient_client, patient):
    url = preview_url(patient_client, patient, "Date,Neck\n2024-01-01,5\n")
    staged = DiaryImport.objects.get()
    assert patient_client.get(f"{url}cancel/").status_code == 405
    response = patient_client.post(f"{url}cancel/")
    assert response.status_code == 302 and not DiaryImport.objects.exists() and not DiaryEntry.objects.exists()
    assert patient_client.get(url).status_code == 404
    assert staged.filename == "diary.csv"


def test_an_import_waiting_for_another_patient_cannot_be_opened(patient_client, other_patient):
    staged = DiaryImport.objects.create(patient=other_patient, filename="x.csv", text="Date,Neck\n2024-01-01,5\n")
    client = logged_in(other_patient.user)
    assert client.get(f"/patients/{other_patient.pk}/diary/import/{staged.pk}/").status_code == 200
    me = patient_client.get(f"/patients/{other_patient.pk}/diary/import/{staged.pk}/")
    assert me.status_code == 404


_REGIONS = ["neck", "upper_face", "jaw", "left_arm"]
_DAY = st.fixed_dictionaries({
    "severity": st.dictionaries(st.sampled_from(_REGIONS), st.integers(0, 10), max_size=4),
    "pain": st.none() | st.integers(0, 10),
    "limitation": st.none() | st.integers(0, 10),
    "triggers": st.lists(st.sampled_from([code for code, _ in catalogue.TRIGGERS]), unique=True, max_size=3),
    "relievers": st.lists(st.sampled_from([code for code, _ in catalogue.RELIEVERS]), unique=True, max_size=3),
    "note": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
    .map(str.strip),
}).filter(lambda day: any(value not in (None, "", [], {}) for value in day.values()))


_MOMENT = st.sampled_from([("day", None), ("morning", None), ("afternoon", None), ("evening", None)]) | st.builds(
    lambda hour, minute: (period_of_time(time(hour, minute)), time(hour, minute)), st.integers(0, 23),
    st.integers(0, 59))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 4), _MOMENT, _DAY), min_size=1, max_size=10,
                unique_by=lambda item: (item[0], item[1])))
def test_any_diary_survives_export_and_import(patient, other_patient, today, check_ins):
    DiaryEntry.objects.filter(patient__in=[patient, other_patient]).delete()
    for offset, (period, moment), values in check_ins:
        DiaryEntry.objects.create(patient=patient, date=today - timedelta(days=offset), period=period, time=moment,
                                  **values)
    header, rows = export_rows(patient)
    table = read_table(decode_upload(("\ufeff" + csv_text(header, rows)).encode("utf-8")))
    columns = suggest_mapping(table.columns)
    date_column = next(index for index, target in columns.items() if target == "date")
    assert len(columns) == len(table.columns) and suggest_date_format(table, date_column) == "iso"
    plan = plan_import(table, columns, "iso", existing={}, replace=False, today=today)
    assert plan.errors == []
    apply_import(other_patient, plan)
    assert _diary(other_patient) == _diary(patient)
