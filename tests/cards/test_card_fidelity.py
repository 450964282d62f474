"""The fidelity record: every card statement says what it rests on in its source."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from bedside.ingest.readers.cards import parse_card
from bedside.review.card_fidelity import (
    FidelityRecord,
    check_card,
    fidelity_path,
    fidelity_report,
    load_records,
    missing_qualifiers,
)
from bedside.service import bundled_cards_path

CARD_FILES = sorted(bundled_cards_path().glob("*.md"))


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_every_statement_has_a_fidelity_record_that_keeps_its_qualifiers(path: Path) -> None:
    card = parse_card(path.read_text(encoding="utf-8"), path)
    problems = check_card(card, load_records(fidelity_path(path)))
    assert not problems, "\n".join(problems)


def test_the_fidelity_report_is_current() -> None:
    cards = [parse_card(path.read_text(encoding="utf-8"), path) for path in CARD_FILES]
    assert (REPO_ROOT / "docs" / "cards-fidelity.md").read_text() == fidelity_report(cards), (
        "regenerate with: bedside review fidelity > docs/cards-fidelity.md"
    )


@pytest.mark.parametrize(
    ("source_words", "statement", "missing"),
    [
        ("febuxostat 40 mg/day or less", "febuxostat below 40 mg a day", ["≤"]),
        ("febuxostat 40 mg/day or less", "febuxostat at 40 mg a day or less", []),
        ("consider for acute and severe sciatica", "consider for sciatica", ["acute", "severe"]),
        ("fusion for 1-2 level disease", "fusion for 1 or 2 level disease", []),
        ("fusion for 1-2 level disease", "fusion for disc disease", ["1", "2"]),
        (
            "only in children aged 6 months or older",
            "for children aged 6 months or older",
            ["only"],
        ),
    ],
)
def test_a_qualifier_of_the_source_missing_from_the_statement_is_flagged(
    source_words: str, statement: str, missing: list[str]
) -> None:
    assert missing_qualifiers(source_words, statement) == missing


def test_a_statement_with_no_record_or_a_record_left_over_is_a_problem(tmp_path: Path) -> None:
    card_path = tmp_path / "example.md"
    card_path.write_text(
        "---\ncard_id: example\ntitle: Example condition\nreview_status: draft\n"
        "updated: 2026-12-02\nsources:\n  - key: src\n    kind: guideline\n"
        "    issuer: Example body\n    title: Example guideline\n    year: 2020\n"
        "    url: https://example.org/guideline\n---\n\n## Overview\n\n"
        "- Offer A for acute example disease. [src]\n- Offer B. [src]\n"
    )
    card = parse_card(card_path.read_text(), card_path)

    def record(statement: str, rests_on: str) -> FidelityRecord:
        return FidelityRecord(
            statement, "src", rests_on, "rec 1", "primary", "editor", datetime.date(2026, 12, 2),
            "faithful",
        )  # fmt: skip

    problems = check_card(
        card,
        [
            record("Offer A for acute example disease.", "Offer A for acute severe disease"),
            record("Offer C.", "Offer C"),
        ],
    )
    assert any("example.md:18: no fidelity record" in p for p in problems)
    assert any("'severe' is not in the statement" in p for p in problems)
    assert any("record for no statement" in p for p in problems)
