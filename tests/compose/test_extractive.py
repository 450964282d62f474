"""The extractive generator: what it picks, where it puts it, in which order."""

from __future__ import annotations

from bedside.analyse.question import analyse_question
from bedside.analyse.terms import content_stems
from bedside.compose.base import ComposeRequest, TopicMatcher
from bedside.compose.extractive import ExtractiveGenerator, article_title
from bedside.domain import (
    Audience,
    Document,
    DocumentKind,
    DocumentStatus,
    Evidence,
    EvidenceLevel,
    Intent,
    Passage,
)

CARD = "Fictional back pain card"


def make_document(
    document_id: str,
    *,
    origin: str = "card",
    kind: DocumentKind = DocumentKind.GUIDELINE,
    year: int = 2020,
) -> Document:
    return Document(
        document_id=document_id,
        document_key=f"{origin}:{document_id}",
        origin=origin,
        source_id=f"back-card/{document_id}",
        version=1,
        status=DocumentStatus.CURRENT,
        kind=kind,
        title="Imaginary guideline",
        source="Imaginary Society",
        year=year,
        authors=(),
        pmid=None,
        pmcid=None,
        doi=None,
        url=None,
        publication_types=(),
        mesh_terms=(),
        licence=None,
        language="en",
        extra={},
        content_hash="h",
        path=None,
        passage_count=1,
        ingested_at="2026-01-01T00:00:00+00:00",
    )


def make_evidence(
    passage_id: str,
    text: str,
    heading: str,
    *,
    rank: int = 1,
    level: EvidenceLevel = EvidenceLevel.GUIDELINE,
    document_id: str = "d1",
    origin: str = "card",
    kind: DocumentKind = DocumentKind.GUIDELINE,
    year: int = 2020,
) -> Evidence:
    passage = Passage(passage_id, document_id, 0, (CARD, heading), None, 0, len(text), text)
    document = make_document(document_id, origin=origin, kind=kind, year=year)
    return Evidence(passage, document, 1.0 / rank, rank, level)


def request(
    evidence: list[Evidence],
    question: str = "How is back pain treated?",
    audience: Audience = Audience.CLINICIAN,
) -> ComposeRequest:
    analysis = analyse_question(question)
    matcher = TopicMatcher((frozenset(content_stems("back pain")),))
    return ComposeRequest(analysis, audience, evidence, matcher, topic_title=CARD)


EVIDENCE = [
    make_evidence("p1", "Advise people with back pain to stay active.", "First-line management"),
    make_evidence("p2", "Do not offer opioids for chronic back pain.", "Pitfalls", rank=2),
    make_evidence(
        "p3",
        "Image the back only when red flags suggest serious back pain causes.",
        "When to image",
        rank=3,
    ),
    make_evidence("p4", "Walking helps back pain.", "In plain language", rank=4),
    make_evidence(
        "p5",
        "Exercise therapy reduces back pain.",
        "First-line management",
        rank=5,
        level=EvidenceLevel.SYSTEMATIC_REVIEW,
        document_id="d2",
    ),
]


def all_statements(draft):  # type: ignore[no-untyped-def]
    return [*draft.bottom_line, *(s for section in draft.sections for s in section.statements)]


def test_statements_are_passage_text_in_the_sections_their_cards_name() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE))
    by_section = {s.section_id: [x.text for x in s.statements] for s in draft.sections}
    assert by_section["pitfalls"] == ["Do not offer opioids for chronic back pain."]
    assert by_section["imaging"][0].startswith("Image the back")
    texts = {e.passage.text for e in EVIDENCE}
    assert all(s.text in texts for s in all_statements(draft))


def test_clinicians_do_not_get_the_plain_language_restatements() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE))
    assert "Walking helps back pain." not in [s.text for s in all_statements(draft)]


def test_bottom_line_is_the_strongest_statement_of_the_leading_section() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE))
    assert draft.bottom_line[0].passage_ids == ("p1",)  # guideline beats systematic review
    assert draft.sections[0].section_id == "first_line"
    assert [s.passage_ids for s in draft.sections[0].statements] == [("p5",)]


def test_identical_statements_from_two_sources_become_one_citing_both() -> None:
    twin = make_evidence("p9", EVIDENCE[1].passage.text, "Pitfalls", document_id="d9")
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, twin]))
    pitfalls = next(s for s in draft.sections if s.section_id == "pitfalls")
    assert [s.passage_ids for s in pitfalls.statements] == [("p2", "p9")]


def test_near_duplicates_keep_only_the_stronger_statement() -> None:
    weaker = make_evidence(
        "p8",
        "Do not offer opioids for chronic back pain in adults.",
        "Pitfalls",
        level=EvidenceLevel.OTHER,
        document_id="d8",
    )
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, weaker]))
    texts = [s.text for s in all_statements(draft)]
    assert "Do not offer opioids for chronic back pain in adults." not in texts


def test_off_topic_research_sentences_are_left_out() -> None:
    abstract = make_evidence(
        "r1",
        "We enrolled 200 adults. Statins lowered cholesterol in adults with diabetes. "
        "Back pain improved with walking in most adults within six weeks.",
        "Abstract",
        origin="pubmed",
        kind=DocumentKind.RESEARCH,
        level=EvidenceLevel.RANDOMISED_TRIAL,
        document_id="r1",
    )
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, abstract]))
    texts = [s.text for s in all_statements(draft)]
    assert "Back pain improved with walking in most adults within six weeks." in texts
    assert not any("Statins" in text or "enrolled" in text for text in texts)


def test_patients_get_plain_statements_with_terms_explained() -> None:
    plain = [
        make_evidence(f"q{n}", text, "In plain language", rank=n)
        for n, text in enumerate(
            [
                "Walking helps back pain.",
                "Most back pain gets better on its own.",
                "NSAIDs can ease back pain for a short time.",
                "A scan is rarely needed for back pain.",
            ],
            start=1,
        )
    ]
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, *plain], audience=Audience.PATIENT))
    statements = all_statements(draft)
    plain_ids = {"p4", "q1", "q2", "q3", "q4"}  # p4 and q1 say the same words: merged
    assert {p for s in statements for p in s.passage_ids} <= plain_ids
    nsaid = next(s for s in statements if s.text.startswith("NSAIDs"))
    assert nsaid.explanations and nsaid.shown != nsaid.text
    assert nsaid.shown.replace(nsaid.explanations[0], "", 1) == nsaid.text


def test_title_names_intent_and_topic_not_the_question() -> None:
    analysis = analyse_question("What are the treatment options for disc space loss?")
    assert article_title(analysis, "") == "Treatment of disc space loss"
    referral = analyse_question("When should I refer sciatica?")
    assert referral.intent is Intent.REFERRAL
    assert article_title(referral, "Sciatica in adults") == "When to refer: sciatica in adults"
