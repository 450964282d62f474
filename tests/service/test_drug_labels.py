"""Questions about a medicine are answered from its own label, never from a condition's card."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bedside.compose.article import all_statements
from bedside.domain import Audience, DocumentKind
from bedside.service import Service

# A fictional drug, so that no real label's wording is asserted on. Its name is not in the drug
# library: it is read as a drug because a label in the knowledge base carries it.
LABEL_ROWS = [
    {
        "label_id": "FICTOLOL",
        "section_name": "adverse reactions",
        "section_text": (
            "6 ADVERSE REACTIONS\n\n The safety of FICTOLOL has been evaluated in 900 patients.\n"
            " EXCERPT: Most common adverse reactions (incidence >5%) are headache, nausea and "
            "dizziness. (6.1)\n Rash was reported in 2% of patients treated with FICTOLOL."
        ),
    },
    {
        "label_id": "FICTOLOL",
        "section_name": "boxed warnings",
        "section_text": (
            "WARNING: LIVER FAILURE\n FICTOLOL can cause liver failure that may lead to death "
            "or a liver transplant."
        ),
    },
    {
        "label_id": "FICTOLOL",
        "section_name": "warnings and precautions",
        "section_text": (
            "5 WARNINGS AND PRECAUTIONS\n\n FICTOLOL can cause serious liver injury [see "
            "Adverse Reactions (6.1)]. Check liver tests before starting FICTOLOL and stop "
            "FICTOLOL if jaundice develops."
        ),
    },
]


@pytest.fixture
def with_label(bundled: Service, tmp_path: Path) -> Service:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(LABEL_ROWS), encoding="utf-8")
    report = bundled.ingest([str(path)])
    assert report.errors == []
    bundled.index()
    return bundled


def cited_kinds(service: Service, answer) -> set[DocumentKind]:  # type: ignore[no-untyped-def]
    kinds = set()
    for statement in all_statements(answer):
        for passage_id in statement.passage_ids:
            passage = service.store.get_passage(passage_id)
            kinds.add(service.store.get_document(passage.document_id).kind)
    return kinds


def test_side_effects_come_from_the_drugs_own_label(with_label: Service) -> None:
    answer = with_label.ask("what are the side effects of fictolol", audience=Audience.PATIENT)
    assert answer.refusal is None
    assert cited_kinds(with_label, answer) == {DocumentKind.DRUG_LABEL}
    assert answer.bottom_line[0].text.startswith("Most common adverse reactions")
    texts = [s.text for s in all_statements(answer)]
    assert "FICTOLOL can cause serious liver injury." in texts  # no "[see …]" pointer
    assert not any("has been evaluated in" in text for text in texts)
    assert answer.references[0].title == "Fictolol drug label"


def test_a_second_drug_the_label_does_not_name_is_a_caveat(with_label: Service) -> None:
    answer = with_label.ask("Can I take Fictolol with Advil?", audience=Audience.PATIENT)
    assert answer.refusal is None
    assert any("Advil (ibuprofen)" in gap for gap in answer.gaps)


def test_a_drink_the_label_does_not_mention_is_said_plainly(with_label: Service) -> None:
    # The label is silent on alcohol: it still answers about Fictolol, and says so first.
    answer = with_label.ask("can i have a glass of wine with fictolol", audience=Audience.PATIENT)
    assert answer.refusal is None
    assert any("glass of wine" in gap for gap in answer.gaps)


def test_a_named_card_that_never_mentions_the_drug_does_not_answer(
    with_label: Service,
) -> None:
    # The back-pain card is named, but says nothing of Fictolol: its label answers.
    answer = with_label.ask("Does fictolol cause liver problems with my back pain?")
    assert answer.refusal is None
    assert cited_kinds(with_label, answer) == {DocumentKind.DRUG_LABEL}


def test_a_drug_whose_class_names_a_card_is_answered_from_that_card(bundled: Service) -> None:
    # Esomeprazole is a proton pump inhibitor, an alias of the reflux card; no label is held,
    # and the card's lines on the safety of long-term use answer.
    answer = bundled.ask("Is esomeprazole safe to take every day for years?", fresh=True)
    assert answer.refusal is None
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("gerd",)
    assert "safe" in " ".join(s.text for s in answer.bottom_line).lower()
