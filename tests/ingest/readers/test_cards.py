"""Guideline cards: one document per real source, and precise errors for bad cards."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.domain import DocumentKind, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import SourceFile, Whole
from bedside.ingest.readers.cards import CardReader
from bedside.testing.builders import make_card


def read_card(tmp_path: Path, text: str, name: str = "fictional-back-ache") -> list[SourceDocument]:
    path = tmp_path / f"{name}.md"
    path.write_text(text)
    whole, *items = list(CardReader().read(SourceFile(path)))
    # The card is the whole of its documents: a source taken off it is withdrawn.
    assert whole == Whole(origin="card", key_prefix=f"card:{name}/")
    assert all(isinstance(item, SourceDocument) for item in items)
    return items  # type: ignore[return-value]


def test_card_becomes_one_document_per_source(tmp_path: Path) -> None:
    guideline, trial = read_card(tmp_path, make_card())
    assert guideline.document_key == "card:fictional-back-ache/imaginary-guideline"
    assert guideline.kind is DocumentKind.GUIDELINE
    assert guideline.source == "Imaginary Institute of Health"
    assert guideline.pmid == "12345678" and guideline.doi == "10.1000/fba.2024"
    assert guideline.extra["review_status"] == "draft"
    assert [s.path[-1] for s in guideline.sections] == [
        "First-line management",
        "First-line management",
        "Pitfalls",
    ]
    assert guideline.sections[0].text == (
        "Advise people with fictional back ache to keep walking rather than rest in bed."
    )
    assert trial.kind is DocumentKind.RESEARCH
    assert [s.path[-1] for s in trial.sections] == ["First-line management", "In plain language"]


def test_card_sniffs_but_plain_markdown_does_not(tmp_path: Path) -> None:
    card = tmp_path / "fictional-back-ache.md"
    card.write_text(make_card())
    plain = tmp_path / "notes.md"
    plain.write_text("---\ntitle: notes\n---\n# Notes\n")
    assert CardReader().sniff(SourceFile(card))
    assert not CardReader().sniff(SourceFile(plain))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("year: 2024", "year: soon"),
            r":\d+ \(sources\[imaginary-guideline\]\.year\)",
        ),
        (lambda t: t.replace("review_status: draft", "review_status: maybe"), "review_status"),
        (lambda t: t.replace("aliases: [FBA]", "aliases: [FBA"), "invalid YAML"),
        (
            lambda t: t.replace("aliases: [FBA]", "aliases: [FBA]\nnamed_together: [[back]]"),
            "named_together.*two or more words",
        ),
        (lambda t: t.replace("doi: 10.1000/fba.2024", "doi: fba"), "doi"),
        (
            lambda t: t.replace(" [imaginary-guideline]\n\n## Pitfalls", "\n\n## Pitfalls"),
            "source keys",
        ),
        (lambda t: t.replace("[imaginary-trial]\n", "[unknown-source]\n"), "undeclared"),
        (lambda t: t.replace("## Pitfalls", "## Musings"), "unknown section heading"),
        (lambda t: t.replace("card_id: fictional-back-ache", "card_id: other"), "file name"),
        (lambda t: t.replace("---\n\n#", "\n#", 1), "not closed"),
    ],
)
def test_bad_cards_name_file_line_and_field(tmp_path: Path, edit: object, message: str) -> None:
    text = edit(make_card())  # type: ignore[operator]
    with pytest.raises(InputError, match=message) as raised:
        read_card(tmp_path, text)
    assert "fictional-back-ache.md" in str(raised.value)
