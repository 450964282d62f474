"""A question no card covers is answered from the page about the very thing asked, not from pages
on other conditions that mention it in passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.compose.article import all_statements
from bedside.domain import Audience
from bedside.service import Service

# Two fictional consumer-health pages in MedQuAD's format, so no real page's wording is asserted
# on: one about the condition asked, one about another condition that names it once.
PAGES = {
    "0000001.xml": ("Glimmer Fever", [
        ("What is Glimmer Fever?", "Glimmer fever is an allergy to the pollen of glimmer "
         "trees. It causes sneezing and itchy eyes every spring."),
        ("What are the treatments for Glimmer Fever?", "A steroid nasal spray used every day "
         "eases the sneezing of glimmer fever. Antihistamine tablets also help glimmer fever."),
    ]),
    "0000002.xml": ("Night Cough", [
        ("What causes Night Cough?", "A night cough has many causes. Examples include sinus "
         "infections and glimmer fever. Smoke and dust can also trigger a night cough."),
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
