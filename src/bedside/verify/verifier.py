"""`verify_draft`: check every statement of a draft, independently of the generator that wrote it.

Per statement: it cites at least one passage; each cited passage was retrieved for this question
and resolves in the knowledge base (looked up afresh, not taken from the generator's copy); it is
supported by what it cites; its numbers appear there; and what the reader sees differs from the
checked text only by the listed plain-language explanations. A statement failing any check is
dropped whole — never re-cited elsewhere — and the reason is kept for reviewers.

Support is checked one of two ways, chosen from the text itself, not from what the generator
says of it: a statement found word for word in a passage it cites (an extract) must be supported
by each cited passage lexically (`support.py`); any other statement was written by someone, so
the cited passages together must support it as a paraphrase (`paraphrase.py`: units, bounds,
negation, direction, populations, drugs, qualifiers, hedges, overlap).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from bedside.domain import Check, Draft, DraftSection, DroppedStatement, Passage, Statement
from bedside.errors import NotFoundError
from bedside.verify.numbers import unsupported_numbers
from bedside.verify.paraphrase import check_paraphrase
from bedside.verify.support import check_support

# The least share of a paraphrase's words that must be the cited passages' own or a listed
# equivalent; chosen on benchmarks/paraphrases.jsonl (docs/benchmarks.md).
DEFAULT_MIN_OVERLAP = 0.75

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
    dropped: tuple[DroppedStatement, ...]
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
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> Verification:
    """Check each statement; return the draft without the failing ones."""
    retrieved_ids = frozenset(retrieved)
    failures: Counter[str] = Counter()
    dropped: list[DroppedStatement] = []
    checked = 0

    def keep(statement: Statement) -> bool:
        nonlocal checked
        checked += 1
        outcome = check_statement(
            statement, retrieved=retrieved_ids, lookup_passage=lookup_passage,
            min_recall=min_recall, min_overlap=min_overlap,
        )  # fmt: skip
        if outcome is not None:
            failures.update(outcome.failed_checks)
            dropped.append(outcome)
        return outcome is None

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
    kept = replace(draft, bottom_line=bottom_line, sections=tuple(sections))
    return Verification(kept, tuple(dropped), checks, checked)


def check_statement(
    statement: Statement,
    *,
    retrieved: frozenset[str],
    lookup_passage: Callable[[str], Passage],
    min_recall: float,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> DroppedStatement | None:
    """None when `statement` passes every check; else what it failed, and why."""
    if not statement.passage_ids:
        return DroppedStatement(statement, ("has_citation",), "it cites no passage")
    failed: list[str] = []
    reasons: list[str] = []
    unknown = [p for p in statement.passage_ids if p not in retrieved]
    if unknown:
        failed.append("cites_retrieved_passage")
        reasons.append(f"cites {', '.join(unknown)}, not retrieved for this question")
    passages = []
    for passage_id in statement.passage_ids:
        try:
            passages.append(lookup_passage(passage_id).text)
        except NotFoundError:
            failed.append("cites_knowledge_base")
            reasons.append(f"cites {passage_id}, which is not in the knowledge base")
            return DroppedStatement(statement, tuple(failed), "; ".join(reasons))
    for name, reason in support_failures(
        statement.text, passages, min_recall=min_recall, min_overlap=min_overlap
    ):
        failed.append(name)
        reasons.append(reason)
    if not _only_explanations_added(statement):
        failed.append("only_explanations_added")
        reasons.append("the text shown adds more than the listed explanations")
    if not failed:
        return None
    return DroppedStatement(statement, tuple(dict.fromkeys(failed)), "; ".join(reasons))


def support_failures(
    text: str, passages: Sequence[str], *, min_recall: float, min_overlap: float
) -> list[tuple[str, str]]:
    """(check name, reason) for each way the cited passages fail to support `text`: lexically
    for an extract, as a paraphrase otherwise (see the module docstring)."""
    if is_extract(text, passages):
        failures = []
        for passage in passages:
            support = check_support(text, passage, min_recall=min_recall)
            if not support.passed:
                failures.append(("supported_by_citation", _lexical_reason(support.missing)))
        numbers = unsupported_numbers(text, list(passages))
        if numbers:
            failures.append(
                ("numbers_in_citation", f"{', '.join(sorted(numbers))}: in no cited passage")
            )
        return failures
    paraphrase = check_paraphrase(text, passages, min_overlap=min_overlap)
    return [
        (
            "numbers_in_citation" if finding.code == "number" else "supported_by_citation",
            f"{finding.code}: {finding.detail}",
        )
        for finding in paraphrase.findings
    ]


def is_extract(text: str, passages: Sequence[str]) -> bool:
    """Whether `text` is written word for word in one of `passages`: case, spacing,
    punctuation and bracketed asides aside (an extract may lose "[see Warnings (5.1)]" or
    "(B recommendation)", as the extractive generator's sentences do)."""
    wanted = _comparable(text)
    return bool(wanted) and any(wanted in _comparable(passage) for passage in passages)


_ASIDE = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def _comparable(text: str) -> str:
    return " " + _NOT_A_WORD.sub(" ", _ASIDE.sub(" ", text.lower())).strip() + " "


def _lexical_reason(missing: Sequence[str]) -> str:
    if missing:
        return f"a cited passage lacks its words {', '.join(missing[:6])}, or disagrees on negation"
    return "a cited passage disagrees with it on negation"


def _only_explanations_added(statement: Statement) -> bool:
    shown = statement.shown
    for explanation in statement.explanations:
        if explanation not in shown:
            return False
        shown = shown.replace(explanation, "", 1)
    return shown == statement.text
