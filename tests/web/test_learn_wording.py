"""Every education page is in the project's own words: no page shares a run of 8 or more words with
the phrases in ``forbidden_phrases.txt`` (excerpts of the published texts and reference notes the
pages were written from; the source texts themselves are not kept in the repository)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from torsion.web.learn import content

RUN_WORDS = 8
PHRASES_FILE = Path(__file__).with_name("forbidden_phrases.txt")


def words(text: str) -> list[str]:
    """Lower-case words, ignoring punctuation, the kind of apostrophe and markup left in plain text."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def runs(text: str, length: int = RUN_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``length`` consecutive words of the text."""
    found = words(text)
    return {tuple(found[i : i + length]) for i in range(len(found) - length + 1)}


def forbidden_phrases() -> list[str]:
    lines = PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def shared_runs(page_text: str, phrases: list[str]) -> list[str]:
    """The phrases that share a run of RUN_WORDS words with the text, each with the run it shares."""
    text_runs = runs(page_text)
    shared = []
    for phrase in phrases:
        common = runs(phrase) & text_runs
        if common:
            shared.append(f"{' '.join(min(common))!r} (from: {phrase})")
    return shared


def test_the_phrase_list_is_long_enough_to_be_checked():
    phrases = forbidden_phrases()
    assert len(phrases) >= 20
    too_short = [phrase for phrase in phrases if len(words(phrase)) < RUN_WORDS]
    assert not too_short, f"phrases shorter than {RUN_WORDS} words can never match: {too_short}"
    assert "the muscles of the fingers, hand and forearm" in phrases


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        # The sentence that once stood on the hand-dystonia page.
        ("In hand dystonia the muscles of the fingers, hand and forearm tighten on their own.", True),
        ("Writer’s cramp is a focal dystonia of the fingers, hand and/or forearm, they say.", True),
        ("The MUSCLES of the Fingers; hand -- and forearm", True),
        # Seven words in a row are allowed; so is the same vocabulary in another order.
        ("Muscles of the fingers, hand and forearm tighten.", False),
        ("In hand dystonia, muscles that move the fingers and the wrist tighten on their own.", False),
    ],
)
def test_the_check_finds_a_shared_run_of_eight_words(text, caught):
    assert bool(shared_runs(text, forbidden_phrases())) is caught


@pytest.mark.parametrize("page", content.all_pages(), ids=lambda page: page.slug)
def test_no_education_page_repeats_a_source_phrase(page):
    text = f"{page.title}. {page.summary}. {page.text}"
    assert shared_runs(text, forbidden_phrases()) == []
