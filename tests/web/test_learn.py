"""The public education pages: their content files, rendering, search and the organisation list."""

from __future__ import annotations

import re
from datetime import date

import pytest

from torsion.web.learn import content
from torsion.web.learn.models import Organisation

REVIEWED = date(2026, 11, 29)

# slug -> section: every page the education section must offer.
REQUIRED_PAGES = {
    "what-is-dystonia": "basics",
    "classification": "basics",
    "body-distribution": "basics",
    "cervical-dystonia": "forms",
    "blepharospasm": "forms",
    "oromandibular-dystonia": "forms",
    "laryngeal-dystonia": "forms",
    "hand-dystonia": "forms",
    "oral-medications": "treatment",
    "botulinum-toxin": "treatment",
    "surgery": "treatment",
    "physical-and-occupational-therapy": "treatment",
    "movement-disorders-specialist": "care",
    "support-organisations": "care",
}

# slug -> (ICD-10-CM codes, the Torsion page its "Tracking it with Torsion" section links to).
FORMS = {
    "cervical-dystonia": (("G24.3",), "/measure/head/"),
    "blepharospasm": (("G24.5",), "/measure/blink/"),
    "oromandibular-dystonia": (("G24.4",), "/measure/face/"),
    "laryngeal-dystonia": (("J38.3",), "/dashboard/"),
    "hand-dystonia": (("G24.8",), "/dashboard/"),
}

SEEDED_ORGANISATIONS = ("ST/Dystonia", "Dystonia Medical Research Foundation", "CARE4Dystonia",
                        "Dystonia Europe", "Dystonia UK")

NOTE = "This page explains; it does not diagnose or advise. Talk with your clinician about your own situation."


def _page(slug: str) -> content.Page:
    page = content.get_page(slug)
    assert page is not None, f"missing page {slug}"
    return page


def _result_slugs(html: str) -> list[str]:
    """Slugs of the search results on the index page, in the order shown."""
    section = re.search(r'<section aria-labelledby="results-h".*?</section>', html, re.S)
    assert section is not None, "no results section on the page"
    return re.findall(r'href="/learn/([a-z0-9-]+)/"', section.group(0))


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEADER = "---\ntitle: T\nsummary: S.\nsection: basics\norder: 1\nreviewed: 2026-11-29\n---\n"


# --- the content files ----------------------------------------------------------------------------

def test_every_content_file_loads_and_every_required_page_exists():
    files = sorted(content.CONTENT_DIR.glob("*.md"))
    loaded = [content.load_page(path) for path in files]
    assert len(loaded) == len(files) == len(content.all_pages())
    assert set(REQUIRED_PAGES) <= {page.slug for page in loaded}


@pytest.mark.parametrize("slug, section", REQUIRED_PAGES.items())
def test_page_header(slug, section):
    page = _page(slug)
    assert page.section == section
    assert REVIEWED <= page.reviewed <= date.today()
    assert page.title.strip() and page.title[0].isupper()
    # One sentence: ends with a full stop and has no sentence break inside.
    assert page.summary.endswith(".") and ". " not in page.summary and len(page.summary) > 40


@pytest.mark.parametrize("slug", [s for s in REQUIRED_PAGES if s != "support-organisations"])
def test_page_is_readable_in_a_few_minutes(slug):
    words = len(_page(slug).text.split())
    assert 300 <= words <= 700, f"{slug} has {words} words"


@pytest.mark.parametrize("slug", REQUIRED_PAGES)
def test_body_headings_start_below_the_title(slug):
    html = _page(slug).html
    assert "<h1" not in html
    assert html.lstrip().startswith(("<h2", "<p"))
    assert "<h2" in html


@pytest.mark.parametrize("slug, expected", FORMS.items())
def test_forms_page_has_its_code_and_a_tracking_link(slug, expected):
    codes, tracking_url = expected
    page = _page(slug)
    assert page.icd10 == codes
    tracking = page.html.split('<h2 id="tracking-it-with-torsion">Tracking it with Torsion</h2>', 1)
    assert len(tracking) == 2, f"{slug} has no 'Tracking it with Torsion' section"
    assert f'href="{tracking_url}"' in tracking[1]


@pytest.mark.parametrize("slug", [s for s in REQUIRED_PAGES if REQUIRED_PAGES[s] != "forms"])
def test_only_forms_pages_carry_codes(slug):
    assert _page(slug).icd10 == ()


def test_laryngeal_and_hand_pages_explain_their_code_choice():
    assert "R49.0" in _page("laryngeal-dystonia").text
    assert "coding practice varies" in _page("hand-dystonia").text


def test_every_link_between_pages_leads_to_a_page():
    slugs = {page.slug for page in content.all_pages()} | {"classify"}
    for page in content.all_pages():
        for target in re.findall(r'href="/learn/([^"]*)"', page.html):
            assert target.endswith("/") and target[:-1] in slugs, f"{page.slug} links to /learn/{target}"


# --- rendering ------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", REQUIRED_PAGES)
def test_page_renders(client, db, slug):
    response = client.get(f"/learn/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert f"<h1>{_page(slug).title}</h1>" in html
    assert NOTE in html
    reviewed = _page(slug).reviewed
    assert f"Last reviewed {reviewed.day} {reviewed:%b %Y}." in html


@pytest.mark.parametrize("slug, expected", FORMS.items())
def test_forms_page_shows_its_code(client, db, slug, expected):
    html = client.get(f"/learn/{slug}/").content.decode()
    assert f"<strong>ICD-10-CM code:</strong> {expected[0][0]}" in html


def test_unknown_page_is_not_found(client, db):
    assert client.get("/learn/no-such-page/").status_code == 404


# --- search ---------------------------------------------------------------------------------------

SEARCHES = [
    # query, expected first result, why it matched
    ("torticollis", "cervical-dystonia", "also called torticollis"),
    ("Torticollis", "cervical-dystonia", "also called torticollis"),
    ("wry neck", "cervical-dystonia", "also called wry neck"),
    ("spasmodic dysphonia", "laryngeal-dystonia", "also called spasmodic dysphonia"),
    ("writer's cramp", "hand-dystonia", "also called writer's cramp"),
    ("writer\u2019s cramp", "hand-dystonia", "also called writer's cramp"),  # a phone's apostrophe
    ("writers cramp", "hand-dystonia", "also called writer's cramp"),
    ("botox", "botulinum-toxin", "about Botox"),
    ("DBS", "surgery", "about DBS"),
    ("dystonia", "what-is-dystonia", "about dystonia"),
    ("levodopa", "oral-medications", "about levodopa trial"),
    ("status dystonicus", "what-is-dystonia", "about status dystonicus"),
    ("baclofen pump", "oral-medications", "about baclofen pump"),
    ("blepharospasm", "blepharospasm", ""),
]


@pytest.mark.parametrize("query, first, matched", SEARCHES)
def test_search_ranks_the_named_page_first(query, first, matched):
    hits = content.search(query)
    assert hits[0].page.slug == first
    assert hits[0].matched == matched
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


@pytest.mark.parametrize("query, first", [(q, f) for q, f, _ in SEARCHES if q in
                                          ("torticollis", "spasmodic dysphonia", "writer's cramp", "botox", "DBS")])
def test_search_through_the_view(client, db, query, first):
    response = client.get("/learn/", {"q": query})
    assert response.status_code == 200
    slugs = _result_slugs(response.content.decode())
    assert slugs[0] == first
    assert slugs == [hit.page.slug for hit in content.search(query)]


@pytest.mark.parametrize("query", ["xqzvbnmw", "", "   ", "?!"])
def test_search_finds_nothing_for_nonsense_or_blank(query):
    assert content.search(query) == []


def test_nonsense_word_says_nothing_matched(client, db):
    html = client.get("/learn/", {"q": "xqzvbnmw"}).content.decode()
    assert "0 results for “xqzvbnmw”" in html
    assert "Nothing matched." in html
    assert _result_slugs(html) == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_empty_query_shows_the_index(client, db, params):
    html = client.get("/learn/", params).content.decode()
    assert 'aria-labelledby="results-h"' not in html
    for key, title in content.SECTIONS.items():
        assert f'<h2 id="sec-{key}">{title}</h2>' in html
    for page in content.all_pages():
        assert f'href="/learn/{page.slug}/">{page.title}</a>' in html


def test_a_word_found_in_only_half_the_query_halves_the_score():
    both = {hit.page.slug: hit.score for hit in content.search("sternocleidomastoid zzzqqq")}
    one = {hit.page.slug: hit.score for hit in content.search("sternocleidomastoid")}
    assert both.keys() == one.keys()
    for slug, score in one.items():
        assert both[slug] == pytest.approx(score / 2)


def test_html_entities_are_not_searchable_words(tmp_path, monkeypatch):
    page = content.load_page(_write(tmp_path, "eyes.md", GOOD_HEADER + "Eyes & jaw < neck.\n"))
    assert page.text == "Eyes & jaw < neck."
    monkeypatch.setattr(content, "all_pages", lambda: (page,))
    assert content.search("amp") == [] and content.search("lt") == []
    assert [hit.page.slug for hit in content.search("jaw")] == ["eyes"]


# --- organisations come from the database ---------------------------------------------------------

def test_support_page_lists_the_seeded_organisations(client, db):
    html = client.get("/learn/support-organisations/").content.decode()
    for name in SEEDED_ORGANISATIONS:
        assert name in html
    assert html.count('<li class="card">') == Organisation.objects.filter(listed=True).count()


def test_support_page_follows_the_administrators_changes(client, db):
    Organisation.objects.filter(name="Dystonia UK").update(listed=False)
    Organisation.objects.create(name="Harbour Dystonia Network", url="https://example.org/",
                                region="Testland", description="A group added by an administrator.",
                                reviewed=REVIEWED)
    html = client.get("/learn/support-organisations/").content.decode()
    assert "Dystonia UK" not in html
    assert "Harbour Dystonia Network" in html and "A group added by an administrator." in html
    assert "Dystonia Europe" in html


def test_other_pages_do_not_list_organisations(client, db):
    html = client.get("/learn/what-is-dystonia/").content.decode()
    assert 'class="org-list"' not in html and "Dystonia UK" not in html


# --- Markdown is sanitised and headers are checked ------------------------------------------------

def test_render_strips_scripts_and_unsafe_markup():
    html = content._render("## Title\n\nHello <script>alert('x')</script> world.\n\n"
                           '<a href="/ok/" onclick="steal()">link</a> [bad](javascript:alert(1))\n\n'
                           '<iframe src="https://example.org/"></iframe><img src=x onerror="alert(1)">\n')
    assert html == ('<h2 id="title">Title</h2>\n<p>Hello  world.</p>\n'
                    '<p><a href="/ok/">link</a> <a>bad</a></p>\n\n<p></p>')


def test_loaded_page_is_sanitised(tmp_path):
    page = content.load_page(_write(tmp_path, "unsafe.md", GOOD_HEADER + "Text.\n\n<script>alert(1)</script>\n"))
    assert "<script" not in page.html and "alert" not in page.html and "alert" not in page.text
    assert page.slug == "unsafe" and page.text == "Text."


def test_optional_header_fields_become_tuples(tmp_path):
    text = GOOD_HEADER.replace("order: 1\n", "order: 1\nsynonyms: [a b, c]\nicd10: [G24.9]\n") + "Body.\n"
    page = content.load_page(_write(tmp_path, "p.md", text))
    assert page.synonyms == ("a b", "c") and page.icd10 == ("G24.9",) and page.measures == ()
    assert page.order == 1 and page.reviewed == REVIEWED and page.section_title == "Understanding dystonia"


BAD_HEADERS = [
    ("title: T\n---\nBody", r"^bad\.md: must start with a '---' header block\.$"),
    ("---\ntitle: T\nBody without a closing line", r"^bad\.md: the header block is not closed with '---'\.$"),
    ("---\ntitle: [unclosed\n---\nBody", r"^bad\.md: the header block is not valid YAML \(.+\)\.$"),
    ("---\n- just\n- a list\n---\nBody", r"^bad\.md: the header block must be 'key: value' lines\.$"),
    ("---\n---\nBody", r"^bad\.md: header lacks title, summary, section, order, reviewed\.$"),
    ("---\ntitle: T\nsection: basics\n---\nBody", r"^bad\.md: header lacks summary, order, reviewed\.$"),
    (GOOD_HEADER.replace("section: basics", "section: gossip") + "Body",
     r"^bad\.md: unknown section 'gossip'\.$"),
    (GOOD_HEADER.replace("reviewed: 2026-11-29", "reviewed: last week") + "Body",
     r"^bad\.md: 'reviewed' must be a date such as 2026-11-01\.$"),
    (GOOD_HEADER.replace("order: 1", "order: first") + "Body", r"^bad\.md: 'order' must be a whole number\.$"),
    (GOOD_HEADER.replace("order: 1", "order: 1\nsynonyms: botox") + "Body",
     r"^bad\.md: 'synonyms' must be a list such as \[a, b\]\.$"),
    (GOOD_HEADER.replace("order: 1", "order: 1\nicd10: G24.3") + "Body",
     r"^bad\.md: 'icd10' must be a list such as \[a, b\]\.$"),
]


@pytest.mark.parametrize("text, message", BAD_HEADERS)
def test_malformed_header_is_refused(tmp_path, text, message):
    with pytest.raises(content.ContentError, match=message):
        content.load_page(_write(tmp_path, "bad.md", text))


def test_content_error_is_a_value_error():
    assert issubclass(content.ContentError, ValueError)


# --- facts a reader relies on (clinical review of December 2026) -----------------------------------

@pytest.mark.parametrize(
    ("slug", "facts"),
    [
        ("oral-medications", ["any child or young adult whose dystonia has no clear explanation should be offered a "
                              "trial of levodopa", "spasticity, cerebral palsy or parkinsonism", "DYT/PARK-GCH1"]),
        ("oral-medications", ["an emergency", "itching, fever, muscles becoming much stiffer again (rebound "
                              "stiffness) and confusion"]),
        ("what-is-dystonia", ["does not shorten life", "status dystonicus", "needs hospital care"]),
        ("what-is-dystonia", ["national register with hospital records found about 405 per million",
                              "Door-to-door surveys"]),
        ("surgery", ["Most hemidystonia is acquired", "responds less predictably"]),
        ("body-distribution", ["it responds to deep brain stimulation less predictably",
                               "count together as one region"]),
        ("blepharospasm", ["essential means that no cause is known", "benign means that it does not threaten life"]),
        ("botulinum-toxin", ["In the United States, five botulinum toxin products are approved"]),
        ("hand-dystonia", ["F48.8", "G24.8"]),
        ("classification", ["DYT/PARK-GCH1"]),
    ],
)
def test_reviewed_facts_are_on_their_pages(slug, facts):
    text = " ".join(_page(slug).text.split())
    for fact in facts:
        assert fact in text, f"{slug}: {fact!r}"


def test_no_page_gives_the_outdated_statements():
    everything = " ".join(" ".join(page.text.split()) for page in content.all_pages())
    for outdated in ("every child with isolated dystonia", "DYT-PARK-GCH1", "Five botulinum toxin products are used",
                     "means \"without a known cause\"", "and cervical dystonia, and hemidystonia"):
        assert outdated not in everything
