"""The card check for patients: every card's plain-language bullets are easy to read.

Patient answers must reach a Flesch–Kincaid grade of 9 or lower, and they are built mostly from
the `In plain language` bullets, so each bullet has to read well below that on its own. Grades
come from Bedside's own readability function, on the bullet text without its citation keys.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bedside.compose.readability import flesch_kincaid_grade
from bedside.ingest.readers.cards import PATIENT_HEADING, Statement, parse_card
from bedside.service import bundled_cards_path

CARD_FILES = sorted(bundled_cards_path().glob("*.md"))
MAX_BULLET_GRADE = 10.0
MAX_MEAN_GRADE = 8.0


def plain_language_bullets(path: Path) -> list[Statement]:
    card = parse_card(path.read_text(encoding="utf-8"), path)
    return [s for s in card.statements if s.heading == PATIENT_HEADING]


def test_there_are_bundled_cards_to_check() -> None:
    assert CARD_FILES


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_every_plain_language_bullet_reads_at_grade_10_or_lower(path: Path) -> None:
    too_hard = [
        f"{path.name}:{bullet.line} grade {grade:.1f}: {bullet.text}"
        for bullet in plain_language_bullets(path)
        if (grade := flesch_kincaid_grade(bullet.text)) > MAX_BULLET_GRADE
    ]
    assert not too_hard, (
        f"plain-language bullets above grade {MAX_BULLET_GRADE:g} (use shorter sentences and"
        " everyday words):\n" + "\n".join(too_hard)
    )


@pytest.mark.parametrize("path", CARD_FILES, ids=lambda path: path.stem)
def test_plain_language_bullets_average_grade_8_or_lower(path: Path) -> None:
    bullets = plain_language_bullets(path)
    assert bullets, f"{path.name} has no '{PATIENT_HEADING}' bullets"
    grades = [flesch_kincaid_grade(bullet.text) for bullet in bullets]
    mean = statistics.fmean(grades)
    hardest = sorted(zip(grades, bullets, strict=True), key=lambda pair: -pair[0])[:3]
    assert mean <= MAX_MEAN_GRADE, (
        f"{path.name}: plain-language bullets average grade {mean:.1f}, above"
        f" {MAX_MEAN_GRADE:g}; hardest:\n"
        + "\n".join(f"  line {b.line} grade {g:.1f}: {b.text}" for g, b in hardest)
    )
