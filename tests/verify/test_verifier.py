"""verify_draft drops every statement that fails a check, and never re-cites it."""

import pytest

from bedside.domain import Draft, DraftSection, Passage, Statement
from bedside.errors import NotFoundError
from bedside.verify.verifier import CHECK_NAMES, verify_draft

PASSAGES = {
    "p1": "Most people with acute low back pain improve within 6 weeks.",
    "p2": "Do not offer opioids for chronic low back pain.",
    "p3": "Exercise therapy is a first-line treatment for chronic low back pain.",
}


def lookup(passage_id: str) -> Passage:
    if passage_id not in PASSAGES:
        raise NotFoundError(passage_id)
    text = PASSAGES[passage_id]
    return Passage(passage_id, "d1", 0, ("t",), None, 0, len(text), text)


def draft_of(*statements: Statement) -> Draft:
    return Draft("Title", (), (DraftSection("first_line", "First-line", statements),), "test/1")


def verify(*statements: Statement, retrieved: tuple[str, ...] = ("p1", "p2", "p3")):
    return verify_draft(draft_of(*statements), retrieved=retrieved, lookup_passage=lookup)


def test_keeps_statements_supported_by_their_citation() -> None:
    result = verify(Statement(PASSAGES["p1"], ("p1",)), Statement(PASSAGES["p2"], ("p2",)))
    assert result.statements_kept == 2
    assert all(check.passed for check in result.checks)
    assert [c.name for c in result.checks] == list(CHECK_NAMES)


@pytest.mark.parametrize(
    ("statement", "failed"),
    [
        (Statement(PASSAGES["p1"], ()), "has_citation"),
        (Statement(PASSAGES["p1"], ("p1", "p3")), "supported_by_citation"),
        (Statement("Most people improve within 12 weeks.", ("p1",)), "numbers_in_citation"),
        (Statement("Offer opioids for chronic low back pain.", ("p2",)), "supported_by_citation"),
        (Statement(PASSAGES["p3"], ("p3",)), "cites_retrieved_passage"),
        (Statement(PASSAGES["p1"], ("p9",)), "cites_knowledge_base"),
        (
            Statement(
                PASSAGES["p2"], ("p2",), rendered=PASSAGES["p2"] + " Trust me.", explanations=()
            ),
            "only_explanations_added",
        ),
    ],
)
def test_rejects_statement_failing_a_check(statement: Statement, failed: str) -> None:
    result = verify(statement, Statement(PASSAGES["p1"], ("p1",)), retrieved=("p1", "p2", "p9"))
    assert [dropped.statement for dropped in result.dropped] == [statement]
    assert failed in result.dropped[0].failed_checks
    assert result.dropped[0].reason
    assert result.statements_kept == 1
    assert not {c.name: c.passed for c in result.checks}[failed]


def test_never_recites_a_dropped_statement_to_another_passage() -> None:
    wrong = Statement(PASSAGES["p3"], ("p1",))  # p3's words, cited to p1
    result = verify(wrong)
    kept = [s for section in result.draft.sections for s in section.statements]
    assert kept == []
    assert result.draft.sections == ()


def test_accepts_plain_language_explanations_that_are_listed() -> None:
    rendered = "Do not offer opioids (strong painkillers) for chronic low back pain."
    statement = Statement(PASSAGES["p2"], ("p2",), rendered=rendered,
                          explanations=(" (strong painkillers)",))  # fmt: skip
    assert verify(statement).statements_kept == 1


def test_a_dropped_bottom_line_is_replaced_by_the_first_verified_statement() -> None:
    wrong = Statement("Offer opioids for chronic low back pain.", ("p2",))
    draft = Draft(
        "Title",
        (wrong,),
        (
            DraftSection(
                "first_line",
                "First-line",
                (Statement(PASSAGES["p3"], ("p3",)), Statement(PASSAGES["p1"], ("p1",))),
            ),
        ),
        "test/1",
    )
    result = verify_draft(draft, retrieved=("p1", "p2", "p3"), lookup_passage=lookup)
    assert result.draft.bottom_line == (Statement(PASSAGES["p3"], ("p3",)),)
    assert [s.text for s in result.draft.sections[0].statements] == [PASSAGES["p1"]]
