"""Does a passage support a statement? A lexical entailment test, strict by design.

Method: the statement's content words (stemmed, stop words dropped) must nearly all appear in
the passage — `min_recall` of them, 0.9 by default — and each clause of the statement must agree
on negation (the same number of negation cues) with the clause of the passage that best
matches it. Extracted
sentences pass with recall 1.0; light edits (a dropped clause, a changed connective) still
pass; a claim that adds a fact, swaps a drug or flips "do" into "do not" fails. It cannot see
paraphrase, so a generator that paraphrases fails closed: its statement is dropped.
benchmarks/answers.py measures it on labelled statement–passage pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bedside.analyse.terms import content_stems, word_tokens

_NEGATION = re.compile(
    r"\b(not|no|never|neither|nor|without|cannot|can't|don't|doesn't|shouldn't|isn't|aren't|"
    r"avoid|against|lack of|fails? to|ineffective|unproven)\b",
    re.IGNORECASE,
)
# Clause boundaries: sentence ends, semicolons, colons, contrastive joins, and line breaks (a
# label's heading or list item ends at its line, often without a full stop).
_CLAUSE_END = re.compile(
    r"(?<=[.!?;:])\s+|,\s+(?=(?:while|whereas|but|although|though)\b)|\s*\n\s*"
)


@dataclass(frozen=True, slots=True)
class Support:
    """How well one passage supports one statement."""

    recall: float  # share of the statement's content words found in the passage
    negation_agrees: bool
    passed: bool
    missing: tuple[str, ...]  # content words of the statement the passage lacks


def check_support(statement: str, passage: str, *, min_recall: float = 0.9) -> Support:
    """Whether `passage` supports `statement` (see the module docstring for the method)."""
    wanted = list(dict.fromkeys(content_stems(statement)))
    available = set(content_stems(passage))
    missing = tuple(stem for stem in wanted if stem not in available)
    recall = 1.0 - len(missing) / len(wanted) if wanted else 0.0
    passage_clauses = _clauses(passage)
    negation_agrees = all(
        _negations(clause) == _negations(_best_match(clause, passage_clauses))
        for clause in _clauses(statement)
        if content_stems(clause)
    )
    return Support(
        recall=recall,
        negation_agrees=negation_agrees,
        passed=recall >= min_recall and negation_agrees,
        missing=missing,
    )


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE_END.split(text) if part.strip()] or [text]


def _best_match(clause: str, candidates: list[str]) -> str:
    target = set(content_stems(clause))

    def overlap(candidate: str) -> float:
        stems = set(content_stems(candidate))
        return len(target & stems) / (len(target | stems) or 1)

    return max(candidates, key=overlap)


def _negations(text: str) -> int:
    """How many negation cues a clause has: "do not … without" differs from "do … without"."""
    return len(_NEGATION.findall(text)) + " ".join(word_tokens(text)).count("n't")
