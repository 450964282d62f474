"""The `Generator` contract: evidence in, a `Draft` out, citing only passages of that evidence."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bedside.analyse.question import QuestionAnalysis
from bedside.domain import Ask, Audience, Draft, Evidence, QuestionFrame
from bedside.index.base import Vector


@dataclass(frozen=True, slots=True)
class TopicMatcher:
    """Says how much of a question's topic a text covers, allowing for synonyms.

    `alternatives` are stem sets: the topic's own terms, then one set per synonym the topic
    phrase expands to ("disc space loss" → "degenerative disc disease"). A text's coverage is
    the best weighted share of any one alternative that it contains; `weights` (stem → weight,
    1.0 when absent) let rare, specific words such as a disease name count for more than
    common ones such as "acute" or "pain".
    """

    alternatives: tuple[frozenset[str], ...]
    weights: Mapping[str, float] = field(default_factory=dict)

    def without(self, stems: set[str] | frozenset[str]) -> TopicMatcher:
        """The same topic with some words taken out (a drug's names, when every sentence of
        its label is about it)."""
        alternatives = tuple(a - stems for a in self.alternatives if a - stems)
        return TopicMatcher(alternatives, self.weights)

    def coverage(self, stems: set[str] | frozenset[str]) -> float:
        best = 0.0
        for alternative in self.alternatives:
            # Summed in a fixed order: floats summed in a set's order (which differs from run
            # to run) can make two equal coverages unequal, and the article with them.
            total = math.fsum(self.weights.get(stem, 1.0) for stem in sorted(alternative))
            if total > 0:
                found = math.fsum(
                    self.weights.get(stem, 1.0) for stem in sorted(alternative & stems)
                )
                best = max(best, found / total)
        return best


@dataclass(frozen=True, slots=True)
class ComposeRequest:
    """Everything a generator may use. It may cite only passages in `evidence`."""

    analysis: QuestionAnalysis
    audience: Audience
    evidence: Sequence[Evidence]
    topic: TopicMatcher
    topic_title: str = ""  # title of the card the question is most about, if any
    # the full title of that card ("Acute otitis media in children"): whom the topic is for
    card_title: str = ""
    max_sections: int = 5
    max_bullets: int = 4
    concise: bool = True  # cut to the most relevant statements; False: every relevant one
    frame: QuestionFrame = field(default_factory=lambda: QuestionFrame(ask=Ask.GENERAL))
    # passage id → dense similarity of the question and the passage (empty without an embedder)
    similarity: Mapping[str, float] = field(default_factory=dict)
    # passage id → the passage's embedding, to tell restatements of one fact apart by meaning
    vectors: Mapping[str, Vector] = field(default_factory=dict)
    # sentences → their dense similarity to the question, for sources whose passages hold many
    # sentences on different points (a label's adverse reactions); None without an embedder
    sentence_similarity: Callable[[Sequence[str]], Sequence[float]] | None = None
    # text → {term it contains: its synonym group}: "ICS" and "inhaled corticosteroid" are one
    # group, so the question's abbreviation is found in a statement that spells it out
    term_groups: Callable[[str], Mapping[str, int]] | None = None


class Generator(Protocol):
    """Writes a draft article from evidence.

    Contract: every statement cites at least one passage id from `request.evidence`; the draft
    may be empty (no sections) when nothing fits, and the verifier and policy decide what then.
    A generator that writes its own sentences sets `Draft.fallback` to a draft of extracts,
    served instead when too few of its sentences pass verification, and returns that draft
    itself, with `Draft.fell_back` saying why, when it cannot write (a model unreachable).
    `generate` does not raise for a backend's failure. A generator must not touch the network
    unless its `is_offline` is False. `prompt_digest` is a hash of the prompt files it sends
    ("" for none); it joins the fingerprint of every answer it writes. Built by
    `from_settings(settings)`.
    """

    name: str
    version: str
    is_offline: bool

    @property
    def prompt_digest(self) -> str: ...

    def generate(self, request: ComposeRequest) -> Draft: ...
