"""The card check: every bundled guideline card is well-formed, sourced and original."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from bedside.analyse.frame import ConditionVocabulary
from bedside.ingest.readers.cards import CARD_SECTIONS, Card, parse_card
from bedside.service import bundled_cards_path

CARD_FILES = sorted(bundled_cards_path().glob("*.md"))
SEED_CARDS = {
    "lumbar-disc-herniation",
    "degenerative-disc-disease",
    "acute-low-back-pain",
    "chronic-low-back-pain",
    "sciatica-lumbar-radiculopathy",
}


def load(path: Path) -> Card:
    return parse_card(path.read_text(encoding="utf-8"), path)


def test_bundled_cards_cover_the_seed_topics_and_twenty_conditions() -> None:
    names = {path.stem for path in CARD_FILES}
    assert names >= SEED_CARDS
    assert len(names - SEED_CARDS) >= 20


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_card_parses_and_every_statement_is_sourced(path: Path) -> None:
    card = load(path)
    assert card.meta.review_status == "draft"
    declared = {source.key for source in card.meta.sources}
    for statement in card.statements:
        assert statement.source_keys, f"{path.name}:{statement.line} has no source"
        assert set(statement.source_keys) <= declared
        assert statement.heading in CARD_SECTIONS
    for source in card.meta.sources:
        assert source.issuer and source.title and source.year
        assert source.pmid is None or re.fullmatch(r"\d{1,9}", source.pmid)
        assert source.doi is None or re.fullmatch(r"10\.\d{4,9}/\S+", source.doi)
        assert source.url is None or re.fullmatch(r"https?://\S+", source.url)
        assert source.pmid or source.doi or source.url, f"{source.key} has no identifier"


# Article aggregators, document-sharing sites and institutional repository pages: unofficial
# copies, not the record of what the publisher printed.
AGGREGATOR_HOSTS = (
    "medluna.com", "docslib.org", "scribd.com", "studylib.net", "vdocuments.net",
    "researchgate.net", "academia.edu", "semanticscholar.org", "research.vu.nl",
    "repub.eur.nl", "hub.tmu.edu.tw", "cfu288.github.io",
)  # fmt: skip


# Articles of journals that issue no DOIs, cited by the publisher's own page (PMID not yet
# confirmed from a public source).
NO_DOI_JOURNAL_PAGES = {"afp-2013"}  # American Family Physician


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_references_point_to_the_publisher_or_pubmed_never_a_copy(path: Path) -> None:
    from urllib.parse import urlsplit

    for source in load(path).meta.sources:
        host = urlsplit(source.url or "").netloc.lower()
        assert not host.endswith(AGGREGATOR_HOSTS), f"{source.key}: {source.url}"
        if source.kind.value == "research" and source.key not in NO_DOI_JOURNAL_PAGES:
            # A journal article is found by its DOI or its PubMed record.
            assert source.doi or source.pmid, f"{source.key} has neither DOI nor PMID"


# A body a statement names (as its acronym) → how its sources' issuer or title names it.
BODIES = {
    "NICE": "NICE|National Institute for Health and Care Excellence",
    "ACR": "ACR|American College of Rheumatology|American College of Radiology",
    "ATA": "ATA|American Thyroid Association",
    "USPSTF": "USPSTF|Preventive Services Task Force",
    "ACP": "ACP|American College of Physicians",
    "IDSA": "IDSA|Infectious Diseases Society",
    "ADA": "ADA|American Diabetes Association",
    "AAP": "AAP|American Academy of Pediatrics",
    "GOLD": "GOLD|Global Initiative for Chronic Obstructive",
    "GINA": "GINA|Global Initiative for Asthma",
    "AHA": "AHA|American Heart Association",
    "ACC": "ACC|American College of Cardiology",
    "ACG": "ACG|American College of Gastroenterology",
    "AANS/CNS": "AANS|Neurosurgeons|Congress of Neurological Surgeons",
}


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_a_view_attributed_to_a_body_cites_that_body(path: Path) -> None:
    card = load(path)
    sources = {source.key: source for source in card.meta.sources}
    for statement in card.statements:
        cited = " ".join(
            f"{sources[key].issuer} {sources[key].title}" for key in statement.source_keys
        )
        for body, names in BODIES.items():
            if re.search(rf"(?<![\w/]){re.escape(body)}(?![\w/])", statement.text):
                assert re.search(names, cited), f"{path.name}:{statement.line} names {body}"


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_pitfalls_are_phrased_as_do_not(path: Path) -> None:
    for statement in load(path).statements:
        if statement.heading == "Pitfalls":
            assert statement.text.startswith("Do not"), f"{path.name}:{statement.line}"


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_every_card_has_plain_language_statements(path: Path) -> None:
    assert any(s.heading == "In plain language" for s in load(path).statements)


def test_no_statement_is_repeated_word_for_word_across_cards() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in CARD_FILES:
        for statement in load(path).statements:
            seen[" ".join(statement.text.lower().split())].append(f"{path.name}:{statement.line}")
    repeated = {text: where for text, where in seen.items() if len(where) > 1}
    assert not repeated


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_no_alias_of_several_words_shrinks_to_one_word(path: Path) -> None:
    """Names are matched without stop words, so "did my back in" would name every question
    with "back" in it ("cutting back on drink … my AF?"): an alias of several words must keep
    at least two that are not stop words."""
    card = load(path)
    card_id = card.meta.card_id
    without = set(ConditionVocabulary.from_cards([(card_id, "", [])]).names_of(card_id))
    for alias in card.meta.aliases:
        if len(str(alias).split()) < 2:
            continue
        vocabulary = ConditionVocabulary.from_cards([(card_id, "", [str(alias)])])
        added = set(vocabulary.names_of(card_id)) - without
        assert all(len(key) >= 2 for key in added), f"{path.name}: alias {alias!r} → {added}"
