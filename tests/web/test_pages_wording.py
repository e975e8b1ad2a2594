"""Small things every page gets right: the site's name once in the title, tables that become cards on a phone,
dates in one style, a home page that promises only what exists, and the classification assistant's result."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tests.urlwalk import fill, walk
from tests.web.conftest import logged_in
from torsion.web.accounts.tokens import create_token
from torsion.web.core.dates import short_date, short_datetime, weekday_date
from torsion.web.learn import content
from torsion.web.learn.templatetags.learn_tags import years
from torsion.web.recordings.protocols import KINDS

pytestmark = pytest.mark.django_db

# Dates written in another style than "2 Dec 2026" (zero-padded days, month names in full after a day).
OTHER_DATE_STYLES = re.compile(
    r"\b0\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"
    r"|\b\d{1,2} (January|February|March|April|June|July|August|September|October|November|December) \d{4}\b"
    r"|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d")


@pytest.fixture
def every_page(patient, clinician, today):
    """(address, client) for every page that answers GET with HTML, as the patient and the recording clinician."""
    pages = _walk_pages(patient, today, [logged_in(patient.user), logged_in(clinician.user)])
    assert len(pages) >= 60
    return pages


def _walk_pages(patient, today, clients) -> list[tuple[str, str]]:
    """(address, HTML) of every page that answers GET with HTML to each of ``clients``, on a full record."""
    values = {"patient_id": patient.pk, "slug": "cervical-dystonia"}
    values.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in factories.fill_record(patient, today=today).items()})
    values["uidb64"] = urlsafe_base64_encode(force_bytes(patient.user.pk))
    values["token"] = default_token_generator.make_token(patient.user)
    values["token_id"] = create_token(patient.user, "sample")[0].pk
    pages = []
    for route, _ in walk():
        if route.startswith(("admin/", "api/")) or route in ("accounts/logout/", "theme/"):
            continue
        url = fill(route, values)
        for client in clients:
            response = client.get(url, follow=True)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append((url, response.content.decode()))
    return pages


#: What the patient's own pages say to the patient, which a clinician reading the record must never read.
PATIENT_ONLY_WORDS = ("Compare your results", "around your injections", "How your head is turned",
                      "How often you blink", "Breaks in your voice", "If your face", "I don't know",
                      "Draw every week", "Repeat this recording")


def test_no_page_gives_a_clinician_the_patients_own_prompts(patient, clinician, today):
    """The patient's pages, as a clinician reads them; the education pages (``/learn/``) speak to any reader."""
    pages = _walk_pages(patient, today, [logged_in(clinician.user)])
    record = [(url, page) for url, page in pages if url.startswith(f"/patients/{patient.pk}/")]
    assert len(record) >= 30
    assert any(url.endswith("/drawings/") for url, _ in record) and any("/correct/" in url for url, _ in record)
    for url, page in pages:
        text = html.unescape(re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S))
        assert "does not replace your clinician" not in text, url
        if (url, page) in record:
            for words in PATIENT_ONLY_WORDS:
                assert words not in text, (url, words)


def test_the_site_name_is_in_every_title_once(every_page, client):
    for url, page in every_page + [("/ (signed out)", client.get("/").content.decode())]:
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert title.count("Torsion") == 1 and title.strip() and not title.startswith(" "), (url, title)
    assert re.search(r"<title>Diary · Torsion</title>", dict(every_page)[next(u for u, _ in every_page
                                                                             if u.endswith("/diary/"))])


def test_every_table_becomes_labelled_cards_on_a_phone(every_page):
    """Each table is a ``stack`` table and each data cell names its column, so a phone shows one card per row."""
    tables = 0
    for url, page in every_page:
        for table in re.findall(r"<table\b.*?</table>", page, re.S):
            tables += 1
            assert re.match(r'<table class="[^"]*\bstack\b', table), (url, table[:120])
            headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table, re.S)
            body = table[table.index("<tbody>"):] if "<tbody>" in table else table
            for cell in re.findall(r"<td\b[^>]*>", body):
                assert "data-label=" in cell or "colspan=" in cell or cell == "<td>", (url, cell)
            for label in re.findall(r'data-label="([^"]*)"', body):
                # Each label is one of the table's own column headings.
                assert any(html.unescape(label) == html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
                           for h in headings), (url, label, headings)
    assert tables >= 10


def test_dates_are_written_in_one_style(every_page):
    for url, page in every_page:
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)))
        found = OTHER_DATE_STYLES.search(text)
        assert found is None, (url, found and text[max(found.start() - 40, 0):found.end() + 20])


@pytest.mark.parametrize("day, short, weekday", [(date(2026, 12, 2), "2 Dec 2026", "Wed 2 Dec 2026"),
                                                 (date(2024, 4, 13), "13 Apr 2024", "Sat 13 Apr 2024")])
def test_date_helpers(day, short, weekday):
    from datetime import datetime

    assert short_date(day) == short and weekday_date(day) == weekday
    assert short_datetime(datetime(day.year, day.month, day.day, 9, 5)) == f"{short}, 09:05"


def test_the_home_page_promises_what_exists(client):
    page = html.unescape(client.get("/").content.decode())
    for kind in KINDS.values():
        assert kind.title.lower() in page.lower()
    assert "microphone" not in page and " pen" not in page  # voice and drawing are not measured (yet)
    assert "share your record with the clinicians you choose" in page
    assert re.search(r"<title>Torsion: [^<·]+</title>", page)


def test_the_learn_index_leads_to_the_classification_assistant(client):
    page = client.get("/learn/").content.decode()
    assert 'href="/learn/classify/">Open the classification assistant</a>' in page


@pytest.mark.parametrize("value, words", [(45.0, "45 years"), (45, "45 years"), (1.0, "1 year"), (2.5, "2.5 years"),
                                          ("41", "41 years"), (None, "")])
def test_ages_in_years(value, words):
    assert years(value) == words


def test_the_assistant_shows_whole_years_and_folds_its_steps_after_the_result(client):
    page = client.post("/learn/classify/", {"regions": ["neck"], "onset_age": "45"}).content.decode()
    assert "(45 years)" in page and "45.0" not in page
    # The result comes first; the five steps fold away under one summary line.
    assert page.index('id="result"') < page.index('<details class="panel answers">')
    folded = page[page.index('<details class="panel answers">'):page.index("</details>")]
    assert folded.count('<fieldset class="step"') == 5
    fresh = client.get("/learn/classify/").content.decode()
    assert "<details" not in fresh and fresh.count('<fieldset class="step"') == 5


# --- search with typing mistakes -------------------------------------------------------------------------------

@pytest.mark.parametrize("query, corrected, first", [
    ("torticolis", "torticollis", "cervical-dystonia"),
    ("tortocollis", "torticollis", "cervical-dystonia"),
    ("blepharospsm", "blepharospasm", "blepharospasm"),
    ("spasmodic disphonia", "spasmodic dysphonia", "laryngeal-dystonia"),
    ("laringeal", "laryngeal", "laryngeal-dystonia"),
])
def test_a_typing_mistake_still_finds_the_page(client, query, corrected, first):
    assert content.corrected_query(query) == corrected
    page = html.unescape(client.get("/learn/", {"q": query}).content.decode())
    assert f"No page uses “{query}”, so these are the results for “{corrected}”." in page
    results = page[page.index('aria-labelledby="results-h"'):]
    assert re.search(r'href="/learn/([\w-]+)/"', results).group(1) == first


@pytest.mark.parametrize("query", ["torticollis", "botox", "DBS", "xqzvbnmw", "neck", "jaww"])
def test_words_the_pages_use_and_short_or_far_words_are_left_alone(query):
    # "jaww" is short (four letters) and "xqzvbnmw" near nothing: neither is changed.
    assert content.corrected_query(query) is None


@pytest.mark.parametrize("a, b, distance", [("torticolis", "torticollis", 1), ("tortcollis", "torticollis", 1),
                                            ("otrticollis", "torticollis", 1), ("kitten", "sitting", 3),
                                            ("same", "same", 0), ("", "abc", 3)])
def test_edit_distance_known_answers(a, b, distance):
    assert content.edit_distance(a, b, limit=5) == distance
    assert content.edit_distance(a, b, limit=0) == min(distance, 1)


@given(st.text("abcde", max_size=8), st.text("abcde", max_size=8))
def test_edit_distance_is_symmetric_and_zero_only_for_equal_words(a, b):
    distance = content.edit_distance(a, b, limit=10)
    assert distance == content.edit_distance(b, a, limit=10)
    assert (distance == 0) == (a == b)
    assert abs(len(a) - len(b)) <= distance <= max(len(a), len(b))


@pytest.mark.parametrize("page", [p for p in content.all_pages() if "<table" in p.html], ids=lambda p: p.slug)
def test_tables_of_the_education_pages_become_cards_too(page):
    for table in re.findall(r"<table\b.*?</table>", page.html, re.S):
        assert table.startswith('<table class="stack">')
        headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.S)[0].split("</tr>")[:-1]:
            assert re.findall(r'<td data-label="([^"]*)">', row) == headings[:len(re.findall(r"<td", row))]
