"""A question no card covers is answered from the page about the very thing asked, not from pages
on other conditions that mention it in passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.compose.article import all_statements
from bedside.domain import Audience, DocumentKind, Evidence, EvidenceLevel, Passage
from bedside.service import Service
from bedside.service.asking import _pages_on_the_topic
from bedside.testing.builders import make_document

# Two fictional consumer-health pages in MedQuAD's format, so no real page's wording is asserted
# on: one about the condition asked, one about another condition that names it once.
PAGES = {
    "0000001.xml": ("Glimmer Fever", [
        ("What is Glimmer Fever?", "Glimmer fever is an allergy to the pollen of glimmer "
         "trees. It causes sneezing and itchy eyes every spring."),
        ("What are the treatments for Glimmer Fever?", "A steroid nasal spray used every day "
         "eases the sneezing of glimmer fever. Antihistamine tablets also help glimmer fever."),
        ("How can Glimmer Fever be prevented?", "Keeping windows shut in spring keeps glimmer "
         "pollen out. Showering after a walk washes the pollen of glimmer fever away."),
    ]),
    "0000002.xml": ("Night Cough", [
        ("What causes Night Cough?", "A night cough has many causes. Examples include sinus "
         "infections and glimmer fever. A salt-water nasal spray works best for a night cough "
         "from glimmer fever."),
        ("How is Night Cough treated?", "Treatment of a night cough depends on its cause. "
         "Honey eases a night cough in children over one year."),
    ]),
}  # fmt: skip


def page_xml(number: int, focus: str, pairs: list[tuple[str, str]]) -> str:
    items = "".join(
        f'<QAPair pid="{i}"><Question qid="{number}_{i}">{q}</Question>'
        f"<Answer>{a}</Answer></QAPair>"
        for i, (q, a) in enumerate(pairs, start=1)
    )
    return (
        f'<Document id="{number:07d}" source="MPlusHealthTopics" url="https://example.org/{number}">'
        f"<Focus>{focus}</Focus><QAPairs>{items}</QAPairs></Document>"
    )


@pytest.fixture
def with_pages(bundled: Service, tmp_path: Path) -> Service:
    for number, (name, (focus, pairs)) in enumerate(PAGES.items(), start=1):
        (tmp_path / name).write_text(page_xml(number, focus, pairs), encoding="utf-8")
    report = bundled.ingest([str(tmp_path / name) for name in PAGES])
    assert report.errors == []
    bundled.index()
    return bundled


def test_the_page_about_the_thing_asked_answers_it(with_pages: Service) -> None:
    answer = with_pages.ask(
        "Which nasal spray works best for glimmer fever?", audience=Audience.PATIENT, fresh=True
    )
    assert answer.refusal is None
    titles = {
        with_pages.store.get_document(with_pages.store.get_passage(p).document_id).title
        for statement in all_statements(answer)
        for p in statement.passage_ids
    }
    assert titles == {"Glimmer Fever"}


def page_evidence(number: int, focus: str | None, origin: str = "medquad") -> Evidence:
    document = make_document(
        f"d{number}",
        origin=origin,
        kind=DocumentKind.PATIENT_INFORMATION,
        extra={"focus": focus} if focus else {},
    )
    text = f"Statement {number}."
    passage = Passage(f"p{number}", document.document_id, 0, (focus or "x",), None, 0, 1, text)
    return Evidence(passage, document, 1.0 / number, number, EvidenceLevel.OTHER)


def test_pages_on_other_conditions_leave_when_pages_on_the_thing_asked_are_enough() -> None:
    question = "Which nasal spray works best for glimmer fever?"
    on_topic = [page_evidence(n, "Glimmer Fever") for n in (1, 2, 3)]
    cough = page_evidence(4, "Night Cough")
    spray = page_evidence(5, "Nasal Sprays")  # shares a word with the question: stays
    guideline = page_evidence(6, None, origin="ngc")  # no page topic: stays
    card = page_evidence(7, None, origin="card")  # a card on another condition: leaves
    evidence = [*on_topic, cough, spray, guideline, card]
    kept = _pages_on_the_topic(evidence, question)
    assert kept == [*on_topic, spray, guideline]
    # Two passages on the thing asked rarely make an article: nothing leaves.
    assert _pages_on_the_topic([*on_topic[:2], cough], question) == [*on_topic[:2], cough]
