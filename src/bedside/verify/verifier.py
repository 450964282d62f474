"""`verify_draft`: check every statement of a draft, independently of the generator that wrote it.

Per statement: it cites at least one passage; each cited passage was retrieved for this question
and resolves in the knowledge base (looked up afresh, not taken from the generator's copy); each
cited passage supports it (`support.py`); each of its numbers appears in a cited passage; and
what the reader sees differs from the checked text only by the listed plain-language
explanations. A statement failing any check is dropped whole — never re-cited elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bedside.domain import Check, Draft, DraftSection, Passage, Statement
from bedside.errors import NotFoundError
from bedside.verify.numbers import unsupported_numbers
from bedside.verify.support import check_support

CHECK_NAMES = (
    "has_citation",
    "cites_retrieved_passage",
    "cites_knowledge_base",
    "supported_by_citation",
    "numbers_in_citation",
    "only_explanations_added",
)


@dataclass(frozen=True, slots=True)
class Verification:
    """A draft with failing statements removed, and what the checks found."""

    draft: Draft
    dropped: tuple[tuple[Statement, tuple[str, ...]], ...]  # statement, names of failed checks
    checks: tuple[Check, ...]
    statements_checked: int

    @property
    def statements_kept(self) -> int:
        return self.statements_checked - len(self.dropped)


def verify_draft(
    draft: Draft,
    *,
    retrieved: Iterable[str],
    lookup_passage: Callable[[str], Passage],
    min_recall: float = 0.9,
) -> Verification:
    """Check each statement; return the draft without the failing ones."""
    retrieved_ids = frozenset(retrieved)
    failures: Counter[str] = Counter()
    dropped: list[tuple[Statement, tuple[str, ...]]] = []
    checked = 0

    def keep(statement: Statement) -> bool:
        nonlocal checked
        checked += 1
        failed = failed_checks(
            statement, retrieved=retrieved_ids, lookup_passage=lookup_passage,
            min_recall=min_recall,
        )  # fmt: skip
        failures.update(failed)
        if failed:
            dropped.append((statement, failed))
        return not failed

    bottom_line = tuple(s for s in draft.bottom_line if keep(s))
    sections = []
    for section in draft.sections:
        statements = tuple(s for s in section.statements if keep(s))
        if statements:
            sections.append(DraftSection(section.section_id, section.heading, statements))
    if not bottom_line and sections:
        # The bottom line failed its check: the article still leads with an answer, the first
        # verified statement of the section that answers the ask best (the generator's order).
        first, *rest = sections[0].statements
        bottom_line = (first,)
        head = sections.pop(0)
        if rest:
            sections.insert(0, DraftSection(head.section_id, head.heading, tuple(rest)))
    checks = tuple(
        Check(name, failures[name] == 0, f"{checked - failures[name]} of {checked} statements pass")
        for name in CHECK_NAMES
    )
    kept = Draft(draft.title, bottom_line, tuple(sections), draft.generator)
    return Verification(kept, tuple(dropped), checks, checked)


def failed_checks(
    statement: Statement,
    *,
    retrieved: frozenset[str],
    lookup_passage: Callable[[str], Passage],
    min_recall: float,
) -> tuple[str, ...]:
    """Names of the checks `statement` fails (empty when it passes them all)."""
    if not statement.passage_ids:
        return ("has_citation",)
    failed = []
    if not set(statement.passage_ids) <= retrieved:
        failed.append("cites_retrieved_passage")
    passages = []
    for passage_id in statement.passage_ids:
        try:
            passages.append(lookup_passage(passage_id).text)
        except NotFoundError:
            failed.append("cites_knowledge_base")
            return tuple(failed)
    if not all(
        check_support(statement.text, text, min_recall=min_recall).passed for text in passages
    ):
        failed.append("supported_by_citation")
    if unsupported_numbers(statement.text, passages):
        failed.append("numbers_in_citation")
    if not _only_explanations_added(statement):
        failed.append("only_explanations_added")
    return tuple(failed)


def _only_explanations_added(statement: Statement) -> bool:
    shown = statement.shown
    for explanation in statement.explanations:
        if explanation not in shown:
            return False
        shown = shown.replace(explanation, "", 1)
    return shown == statement.text
