"""`ExtractiveGenerator`: the default, model-free generator.

Every statement is a passage's own sentence (a card statement is one sentence already), so the
verifier can prove support word for word. The generator's work is choosing: which sentences are
on the question's topic, which section each belongs in, which of near-duplicates to keep, and the
order — strength of evidence (guideline > systematic review > trial > other), then relevance,
then recency.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bedside.analyse.question import QuestionAnalysis
from bedside.analyse.terms import content_stems
from bedside.compose.base import ComposeRequest
from bedside.compose.glossary import Glossary
from bedside.compose.plain_language import is_clinician_only
from bedside.compose.sections import classify_sentence, heading, is_caveat, section_order
from bedside.domain import (
    Audience,
    DocumentKind,
    Draft,
    DraftSection,
    Evidence,
    EvidenceLevel,
    Intent,
    Statement,
)
from bedside.ingest.chunking import split_sentences
from bedside.ingest.readers.cards import CARD_SECTIONS, PATIENT_HEADING

# A sentence of a non-card source must cover this share of the topic to be used.
MIN_SENTENCE_COVERAGE = 0.5
# Sentences that describe a study rather than state a finding.
_STUDY_FRAMING = re.compile(
    r"\b(aim(ed|s)? (of|to)|objective|purpose of|we (aimed|sought|conducted|performed|searched|"
    r"included|assessed|investigated|examined|report)|this (study|review|trial|article)|"
    r"were (included|enrolled|randomi[sz]ed)|methods?:|background:|^(background|methods?|"
    r"objectives?|design|setting|participants)\b)",
    re.IGNORECASE,
)
# Two statements say the same thing when their content stems overlap this much: Jaccard, or
# the share of the shorter one's stems found in the longer one (catches a restatement that
# adds a clause: "discectomy is the operation of choice …, and fusion should not be added").
_NEAR_DUPLICATE = 0.6
_CONTAINED = 0.7
_SENTENCES_PER_PASSAGE = 2
_ENOUGH_PLAIN = 3

_TITLES: dict[Intent, str] = {
    Intent.TREATMENT: "Treatment of {topic}",
    Intent.DRUG: "Medicines for {topic}",
    Intent.IMAGING: "Imaging for {topic}",
    Intent.REFERRAL: "When to refer: {topic}",
    Intent.DIAGNOSIS: "Assessing {topic}",
    Intent.PROGNOSIS: "Outlook for {topic}",
    Intent.PREVENTION: "Preventing {topic}",
    Intent.GENERAL: "{topic}: an overview",
}


@dataclass(slots=True)
class Candidate:
    """A sentence that could become a statement."""

    text: str
    passage_ids: list[str]
    section: str
    level: EvidenceLevel
    relevance: float
    year: int
    plain: bool  # written for patients (card plain-language statement or patient information)
    stems: frozenset[str] = field(default_factory=frozenset)

    def sort_key(self, audience: Audience) -> tuple[float, ...]:
        prefer_plain = 1.0 if (audience is Audience.PATIENT and self.plain) else 0.0
        return (-prefer_plain, -float(self.level), -self.relevance, -float(self.year))


class ExtractiveGenerator:
    """Chooses passage sentences for each section; never writes a sentence of its own."""

    name = "extractive"
    version = "1"
    is_offline = True

    def __init__(self, glossary: Glossary | None = None) -> None:
        self._glossary = glossary

    def generate(self, request: ComposeRequest) -> Draft:
        candidates = list(self._candidates(request))
        if request.audience is Audience.PATIENT:
            candidates = _prefer_plain(candidates)
        candidates = deduplicate(candidates, request.audience)
        sections = self._sections(candidates, request)
        bottom_line, sections = _bottom_line(sections)
        if request.audience is Audience.PATIENT:
            bottom_line, sections = self._explain_terms(bottom_line, sections)
        return Draft(
            title=article_title(request.analysis, request.topic_title),
            bottom_line=bottom_line,
            sections=sections,
            generator=f"{self.name}/{self.version}",
        )

    # -- choosing sentences -------------------------------------------------------------------

    def _candidates(self, request: ComposeRequest) -> Iterator[Candidate]:
        for evidence in request.evidence:
            if evidence.document.origin == "card":
                candidate = _card_candidate(evidence, request)
                if candidate is not None:
                    yield candidate
            else:
                yield from _sentence_candidates(evidence, request)

    def _sections(
        self, candidates: Sequence[Candidate], request: ComposeRequest
    ) -> tuple[DraftSection, ...]:
        grouped: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            grouped.setdefault(candidate.section, []).append(candidate)
        sections = []
        for section_id in section_order(request.analysis.intent):
            chosen = sorted(grouped.get(section_id, ()), key=lambda c: c.sort_key(request.audience))
            if not chosen:
                continue
            statements = tuple(
                Statement(text=c.text, passage_ids=tuple(c.passage_ids))
                for c in chosen[: request.max_bullets]
            )
            sections.append(
                DraftSection(section_id, heading(section_id, request.audience), statements)
            )
            if len(sections) == request.max_sections:
                break
        return tuple(sections)

    # -- plain language -----------------------------------------------------------------------

    def _explain_terms(
        self, bottom_line: tuple[Statement, ...], sections: tuple[DraftSection, ...]
    ) -> tuple[tuple[Statement, ...], tuple[DraftSection, ...]]:
        glossary = self._glossary or Glossary.bundled()
        ordered = [*bottom_line, *(s for section in sections for s in section.statements)]
        glossed = iter(glossary.explain([statement.text for statement in ordered]))

        def explained(statement: Statement) -> Statement:
            text = next(glossed)
            return Statement(
                text=statement.text,
                passage_ids=statement.passage_ids,
                rendered=text.rendered if text.rendered != statement.text else "",
                explanations=tuple(f" ({gloss.plain})" for gloss in text.glosses),
            )

        new_bottom = tuple(explained(statement) for statement in bottom_line)
        new_sections = tuple(
            DraftSection(s.section_id, s.heading, tuple(explained(x) for x in s.statements))
            for s in sections
        )
        return new_bottom, new_sections


def _card_candidate(evidence: Evidence, request: ComposeRequest) -> Candidate | None:
    card_heading = evidence.passage.section_path[-1] if evidence.passage.section_path else ""
    is_plain = card_heading == PATIENT_HEADING
    if is_plain and request.audience is Audience.CLINICIAN:
        return None  # the clinician version of the same fact is elsewhere on the card
    text = evidence.passage.text.strip()
    if request.audience is Audience.PATIENT and is_clinician_only(text):
        return None
    section = classify_sentence(text) if is_plain else CARD_SECTIONS.get(card_heading, "overview")
    if is_caveat(text):
        section = "caveats"
    stems = frozenset(content_stems(text))
    title_stems = set(content_stems(" ".join(evidence.passage.section_path)))
    return Candidate(
        text=text,
        passage_ids=[evidence.passage_id],
        section=section,
        level=evidence.level,
        relevance=request.topic.coverage(stems | title_stems) + 1.0 / (1 + evidence.rank),
        year=evidence.document.year or 0,
        plain=is_plain,
        stems=stems,
    )


def _sentence_candidates(evidence: Evidence, request: ComposeRequest) -> Iterator[Candidate]:
    text = evidence.passage.text
    title_stems = set(content_stems(evidence.document.title))
    is_plain = evidence.document.kind is DocumentKind.PATIENT_INFORMATION
    scored = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip()
        if not 40 <= len(sentence) <= 400 or _STUDY_FRAMING.search(sentence):
            continue
        if request.audience is Audience.PATIENT and is_clinician_only(sentence):
            continue
        stems = frozenset(content_stems(sentence))
        coverage = request.topic.coverage(stems)
        if max(coverage, request.topic.coverage(stems | title_stems) * 0.8) < MIN_SENTENCE_COVERAGE:
            continue
        scored.append((coverage, sentence, stems))
    scored.sort(key=lambda item: -item[0])
    for coverage, sentence, stems in scored[:_SENTENCES_PER_PASSAGE]:
        yield Candidate(
            text=sentence,
            passage_ids=[evidence.passage_id],
            section=classify_sentence(sentence),
            level=evidence.level,
            relevance=coverage + 1.0 / (1 + evidence.rank),
            year=evidence.document.year or 0,
            plain=is_plain,
            stems=stems,
        )


def _prefer_plain(candidates: list[Candidate]) -> list[Candidate]:
    """For patients, only plain-language statements when there are enough of them.

    A card's plain-language statements restate its clinical ones in simpler words, so mixing
    both would say most things twice, once in jargon.
    """
    plain = [candidate for candidate in candidates if candidate.plain]
    return plain if len(plain) >= _ENOUGH_PLAIN else candidates


def deduplicate(candidates: list[Candidate], audience: Audience) -> list[Candidate]:
    """Merge identical statements (one card fact cited to several sources); drop near-duplicates.

    Identical text keeps every passage id (each passage says exactly this); a near-duplicate is
    a different sentence, so only the stronger one is kept, with its own citations.
    """
    by_text: dict[str, Candidate] = {}
    for candidate in candidates:
        key = " ".join(candidate.text.lower().split())
        kept = by_text.get(key)
        if kept is None:
            by_text[key] = candidate
        else:
            kept.passage_ids.extend(p for p in candidate.passage_ids if p not in kept.passage_ids)
            kept.relevance = max(kept.relevance, candidate.relevance)
            kept.level = max(kept.level, candidate.level)
    ranked = sorted(by_text.values(), key=lambda c: c.sort_key(audience))
    kept_list: list[Candidate] = []
    for candidate in ranked:
        if not any(_same_claim(candidate.stems, other.stems) for other in kept_list):
            kept_list.append(candidate)
    return kept_list


def _same_claim(left: frozenset[str], right: frozenset[str]) -> bool:
    if not left or not right:
        return False
    shared = len(left & right)
    return (
        shared / len(left | right) >= _NEAR_DUPLICATE
        or shared / min(len(left), len(right)) >= _CONTAINED
    )


def _bottom_line(
    sections: tuple[DraftSection, ...],
) -> tuple[tuple[Statement, ...], tuple[DraftSection, ...]]:
    """The lead statement of the first section, moved up; sections keep the rest."""
    if not sections:
        return (), ()
    first = sections[0]
    lead = first.statements[:1]
    rest = first.statements[1:]
    remaining = (DraftSection(first.section_id, first.heading, rest),) if rest else ()
    return lead, (*remaining, *sections[1:])


def article_title(analysis: QuestionAnalysis, topic_title: str) -> str:
    """A heading for the article: what is asked, about what (never the question repeated)."""
    topic = analysis.topic or lower_first(topic_title) or " ".join(analysis.topic_terms)
    title = _TITLES[analysis.intent].format(topic=topic or "this question")
    return title[:1].upper() + title[1:]


def lower_first(text: str) -> str:
    """A title used mid-sentence: "Sciatica in adults" → "sciatica in adults" (not "AF …")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
