"""The education pages: Markdown files with a small YAML header, loaded once and searched in memory.

Each file in ``learn/content/`` looks like::

    ---
    title: Cervical dystonia
    summary: One sentence shown in lists and search results.
    section: forms            # which group of pages it belongs to
    order: 10                 # position within its section
    synonyms: [spasmodic torticollis, torticollis, wry neck]
    icd10: [G24.3]
    reviewed: 2026-11-01      # when the page's facts were last checked
    ---
    Markdown body...

Pages are public and read-only; the list of support organisations is data in the database so that an
administrator can keep it current (see :class:`torsion.web.learn.models.Organisation`).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import markdown
import nh3
import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"

SECTIONS: dict[str, str] = {
    "basics": "Understanding dystonia",
    "forms": "Common focal dystonias",
    "treatment": "Treatment",
    "care": "Finding care and support",
}

_REQUIRED = ("title", "summary", "section", "order", "reviewed")
_ALLOWED_TAGS = {"a", "p", "ul", "ol", "li", "strong", "em", "h2", "h3", "h4", "table", "thead", "tbody", "tr",
                 "th", "td", "blockquote", "code", "br", "abbr", "dl", "dt", "dd"}
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    section: str
    order: int
    reviewed: date
    synonyms: tuple[str, ...]
    icd10: tuple[str, ...]
    measures: tuple[str, ...]
    html: str
    text: str

    @property
    def section_title(self) -> str:
        return SECTIONS[self.section]


class ContentError(ValueError):
    """A content file is malformed: raised at start-up so that a broken page never ships."""


def _split_front_matter(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ContentError(f"{path.name}: must start with a '---' header block.")
    try:
        # From the opening line's own newline, so that an empty header ("---" twice) is still closed.
        header, body = raw[3:].split("\n---\n", 1)
    except ValueError:
        raise ContentError(f"{path.name}: the header block is not closed with '---'.") from None
    try:
        meta = yaml.safe_load(header)
    except yaml.YAMLError as error:
        reason = getattr(error, "problem", None) or "it could not be read"
        raise ContentError(f"{path.name}: the header block is not valid YAML ({reason}).") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(f"{path.name}: the header block must be 'key: value' lines.")
    missing = [key for key in _REQUIRED if key not in meta]
    if missing:
        raise ContentError(f"{path.name}: header lacks {', '.join(missing)}.")
    if meta["section"] not in SECTIONS:
        raise ContentError(f"{path.name}: unknown section {meta['section']!r}.")
    if not isinstance(meta["reviewed"], date):
        raise ContentError(f"{path.name}: 'reviewed' must be a date such as 2026-11-01.")
    if not isinstance(meta["order"], int) or isinstance(meta["order"], bool):
        raise ContentError(f"{path.name}: 'order' must be a whole number.")
    for key in ("synonyms", "icd10", "measures"):
        # A bare string here would otherwise be split into single letters.
        if not isinstance(meta.get(key, []), list):
            raise ContentError(f"{path.name}: '{key}' must be a list such as [a, b].")
    return meta, body


def _render(body: str) -> str:
    html = markdown.markdown(body, extensions=["tables", "sane_lists", "attr_list", "toc"],
                             extension_configs={"toc": {"permalink": False}})
    # Bodies start at "##": the page's own title is the only <h1>.
    return _stack_tables(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={
        "a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "h2": {"id"}, "h3": {"id"}}, link_rel=None))


def _stack_tables(html: str) -> str:
    """Mark each table of a page to become one card per row on a phone, each cell labelled with its column."""

    def one_table(match: re.Match) -> str:
        head, _, body = match.group(0).partition("</thead>")
        headings = [html_lib.escape(_plain_text(h)) for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]

        def one_row(row: re.Match) -> str:
            labels = iter(headings)
            return re.sub(r"<td([^>]*)>", lambda cell: f'<td{cell.group(1)} data-label="{next(labels, "")}">',
                          row.group(0))

        return head.replace("<table>", '<table class="stack">', 1) + "</thead>" + re.sub(
            r"<tr>.*?</tr>", one_row, body, flags=re.S)

    return re.sub(r"<table>.*?</table>", one_table, html, flags=re.S)


def _plain_text(html: str) -> str:
    # Unescape after removing tags so that "&amp;" is searched as "&", not as the word "amp".
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def load_page(path: Path) -> Page:
    meta, body = _split_front_matter(path)
    html = _render(body)
    return Page(
        slug=path.stem,
        title=str(meta["title"]),
        summary=str(meta["summary"]),
        section=meta["section"],
        order=int(meta["order"]),
        reviewed=meta["reviewed"],
        synonyms=tuple(str(s) for s in meta.get("synonyms", [])),
        icd10=tuple(str(c) for c in meta.get("icd10", [])),
        measures=tuple(str(m) for m in meta.get("measures", [])),
        html=html,
        text=_plain_text(html),
    )


@functools.cache
def all_pages() -> tuple[Page, ...]:
    pages = [load_page(path) for path in sorted(CONTENT_DIR.glob("*.md"))]
    return tuple(sorted(pages, key=lambda p: (list(SECTIONS).index(p.section), p.order, p.title)))


def get_page(slug: str) -> Page | None:
    return next((p for p in all_pages() if p.slug == slug), None)


def pages_by_section() -> list[tuple[str, str, list[Page]]]:
    return [(key, title, [p for p in all_pages() if p.section == key]) for key, title in SECTIONS.items()]


def _words(text: str) -> list[str]:
    # Apostrophes are dropped, so "writer's", "writer’s" (as phone keyboards type it) and "writers"
    # are the same word.
    return _WORD.findall(text.lower().replace("’", "").replace("'", ""))


@dataclass(frozen=True)
class SearchHit:
    page: Page
    score: float
    matched: str  # why it matched, shown to the reader (e.g. "also called spasmodic torticollis")


def _why(page: Page, name: str) -> str:
    """How a page's other name relates to it: a synonym of a form of dystonia, or a related term."""
    return f"also called {name}" if page.section == "forms" else f"about {name}"


def search(query: str, limit: int = 10) -> list[SearchHit]:
    """Pages matching ``query``, best first.

    A phrase that equals (100 points) or appears in (50) a page's title or one of its synonyms ranks
    highest, so "torticollis" finds cervical dystonia; only the best such name counts, so that a page
    with many synonyms containing a common word (such as "dystonia") does not outrank the page named
    by it. Then every query word found in the title or synonyms (10), the summary (4) and the text
    (1 plus 0.2 per use, up to 10 uses) adds to the score, and a page missing some of the query's
    words keeps only that share of its score. Pages that match none of the query's words are left out.
    """
    words = _words(query)
    if not words:
        return []
    phrase = " ".join(words)
    hits = []
    for page in all_pages():
        score, matched = 0.0, ""
        names = [page.title, *page.synonyms]
        for name in names:  # the title first, so that it wins a tie and needs no "also called"
            name_words = " ".join(_words(name))
            if phrase == name_words:
                name_score = 100.0
            elif f" {phrase} " in f" {name_words} ":
                name_score = 50.0
            else:
                continue
            if name_score > score:
                score, matched = name_score, ("" if name == page.title else _why(page, name))
        title_words = set(_words(" ".join(names)))
        summary_words = set(_words(page.summary))
        text_words = _words(page.text)
        text_set = set(text_words)
        found = 0
        for word in words:
            if word in title_words:
                score += 10
            if word in summary_words:
                score += 4
            if word in text_set:
                score += 1 + min(text_words.count(word), 10) * 0.2
            found += word in title_words or word in summary_words or word in text_set
        if found == 0 or score == 0:
            continue
        if found < len(words):
            score *= found / len(words)
        hits.append(SearchHit(page, score, matched))
    hits.sort(key=lambda hit: (-hit.score, hit.page.title))
    return hits[:limit]


# --- typing mistakes ------------------------------------------------------------------------------------

#: Shortest word that is corrected; shorter words have too many neighbours one letter away.
MIN_CORRECTED_LENGTH = 5


@functools.cache
def _vocabulary() -> dict[str, int]:
    """Every word of the pages, weighted 2 when it is in a title or another name of a page, else 1."""
    words: dict[str, int] = {}
    for page in all_pages():
        for word in _words(" ".join([page.summary, page.text])):
            words.setdefault(word, 1)
        for word in _words(" ".join([page.title, *page.synonyms])):
            words[word] = 2
    return words


def edit_distance(a: str, b: str, limit: int) -> int:
    """Letters to insert, delete, replace or swap with a neighbour to turn ``a`` into ``b`` (optimal string
    alignment distance; Damerau, Commun ACM 1964;7:171-176). Stops early: any value above ``limit``
    is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if before is not None and i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def correct_word(word: str) -> str:
    """``word`` itself when the pages use it (or it is short), else the closest word they use, if close enough.

    Words of five to seven letters may be one change away, longer words two. Among equally close
    words, one naming a page wins, then the alphabetically first (so the answer never depends on order).
    """
    vocabulary = _vocabulary()
    if word in vocabulary or len(word) < MIN_CORRECTED_LENGTH or word.isdigit():
        return word
    limit = 1 if len(word) < 8 else 2
    best: tuple[int, int, str] | None = None
    for candidate, weight in vocabulary.items():
        distance = edit_distance(word, candidate, limit)
        if distance <= limit and (best is None or (distance, -weight, candidate) < best):
            best = (distance, -weight, candidate)
    return best[2] if best else word


def corrected_query(query: str) -> str | None:
    """The query with its mistyped words corrected (see :func:`correct_word`), or ``None`` if nothing changed."""
    words = _words(query)
    fixed = [correct_word(word) for word in words]
    return " ".join(fixed) if fixed != words else None
