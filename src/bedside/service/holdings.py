"""Does the knowledge base hold what a question asks about?

A question is refused by name, never answered with a neighbouring condition's or treatment's
advice, when it asks about a condition no source is *about*, or about a drug, remedy or device
that no evidence passage mentions — itself, through a synonym, or by the name sources use for
it (reviewed in `analyse/frame_rules.yaml`). A drug the person is merely on is context, not what
is asked (see `gaps.py`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bedside.analyse.frame import (
    frame_rules,
    named_as_a_reading,
    slot_phrases,
    without_populations,
)
from bedside.analyse.scope import bundled_condition_terms, bundled_specific_terms
from bedside.analyse.terms import content_stems, find_whole
from bedside.domain import Evidence, QuestionFrame
from bedside.retrieve.synonyms import SynonymTable


@functools.cache
def _condition_names() -> re.Pattern[str]:
    """Condition names of the bundled vocabulary, longest first, in the singular or plural
    ("a 5mm kidney stone" names "kidney stones")."""
    names = "|".join(
        _singular_or_plural(t) for t in sorted(bundled_condition_terms(), key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{names})\b")


def _singular_or_plural(term: str) -> str:
    plural = term.endswith("s") and len(term) > _SHORTEST_PLURAL and not term.endswith(_NOT_PLURAL)
    return re.escape(term[:-1]) + "s?" if plural else re.escape(term) + "s?"


_SHORTEST_PLURAL = 5
_NOT_PLURAL = ("ss", "us", "is")


def uncovered_conditions(
    question: str, frame: QuestionFrame, evidence: Sequence[Evidence]
) -> tuple[str, ...]:
    """Conditions the question names that no retrieved source is about: no card's title or
    aliases, no document title, no curated question names them (a passage merely mentioning
    "without spinal stenosis" is not about it)."""
    about = " ".join(_what_it_is_about(item) for item in evidence)
    about_stems = " " + " ".join(content_stems(about)) + " "
    named = " ".join(frame.conditions).lower()
    uncovered = []
    rules = frame_rules()
    text = without_populations(question).lower()
    for match in _condition_names().finditer(text):
        name = match.group()
        if name in named or rules.negated_at(text, match.start()):
            # (…nor one the question rules out: "he has fallen twice (no head injury)".)
            continue
        if named_as_a_reading(name, question):
            # (…nor a measurement told: "BP 118/70" in a heart failure question.)
            continue
        if "allergy" in frame.populations and name in _ALLERGIC_REACTIONS:
            # (…nor the reaction an allergy told is known by: "Pen allergy (urticaria)".)
            continue
        if frame.drugs and _A_HARM_SAID.search(text, 0, match.start()):
            # (…nor a harm a medicine is said to cause: "my friend says nexium causes
            # dementia" asks about the medicine, which the article answers, saying what its
            # sources do not mention.)
            continue
        if f" {' '.join(content_stems(name))} " not in about_stems:
            uncovered.append(name)
    return tuple(dict.fromkeys(uncovered))


# A condition told as what a medicine may bring on: "causes dementia", "linked to kidney
# problems" (the end of the text before the condition's name).
_A_HARM_SAID = re.compile(
    r"\b(?:caus(?:e|es|ed|ing)|gives?\s+(?:you|people|me|him|her)|linked\s+(?:to|with)|"
    r"leads?\s+to|(?:raises?|increases?)\s+(?:the\s+|your\s+)?risk\s+of|risk\s+of|"
    r"associated\s+with)\s+(?:[\w'-]+\s+){0,2}$",
    re.IGNORECASE,
)


# What a reader's drug allergy was, when the question tells it beside the allergy.
_ALLERGIC_REACTIONS = frozenset(
    {"urticaria", "hives", "rash", "anaphylaxis", "angioedema", "angio-oedema"}
)


def _what_it_is_about(item: Evidence) -> str:
    """A card is about its condition (title, aliases), not its sources' titles; any other
    document is about its title and, for curated Q&A, its question."""
    document = item.document
    if document.origin == "card":
        aliases = " ".join(str(alias) for alias in document.extra.get("aliases", []))
        return f"{document.extra.get('card_title', '')} {aliases}"
    return f"{document.title} {item.passage.question or ''}"


@functools.cache
def specific_phrases() -> re.Pattern[str]:
    """Multi-word condition, test and treatment names ("plantar fasciitis"), longest first."""
    phrases = sorted((t for t in bundled_specific_terms() if " " in t), key=len, reverse=True)
    names = "|".join(re.escape(p) for p in phrases)
    return re.compile(rf"\b(?:{names})(?: (?:syndrome|disease|disorder)s?)?\b")


def mentions(
    term: str, stems: set[str], synonyms: SynonymTable, *, also: tuple[str, ...] = ()
) -> bool:
    """Whether evidence (its stems) mentions `term` or one of its other names `also` (a
    brand's generic) (see `FrameRules.mentions`); a word found inside a longer one must have
    five letters or more, so "tens" is not found in "extensions"."""
    return _mentions_as(term, stems, (*synonyms.expansions(term), *also))


def _mentions_as(term: str, stems: set[str], names: tuple[str, ...]) -> bool:
    return frame_rules().mentions(term, stems, synonyms=names, min_inside=_MIN_INSIDE)


_MIN_INSIDE = 5


def missing_interventions(
    frame: QuestionFrame, evidence: Sequence[Evidence], synonyms: SynonymTable
) -> tuple[str, ...]:
    """Drugs, tests and procedures the question names that no evidence passage mentions.

    Each passage is read on its own: "rate control" is not mentioned by a card that says "heart
    rate" in one statement and "rhythm control" in another."""
    if not frame.interventions:
        return ()
    passages = [set(content_stems(item.passage.text)) for item in evidence]
    everything = set().union(*passages)

    def mentioned(term: str) -> bool:
        names = (*synonyms.expansions(term), *frame.other_names(term))
        if not _mentions_as(term, everything, names):
            return False
        if len(term.split()) == 1:
            return True  # one word: mentioned somewhere is mentioned in one passage
        return any(_mentions_as(term, stems, names) for stems in passages)

    return tuple(term for term in frame.interventions if not mentioned(term))


def named_as_asked(missing: tuple[str, ...], question: str) -> tuple[str, ...]:
    """Each missing thing as the question words it: "surgery" → "lung volume reduction
    surgery", "vitamin" → "high-dose vitamin c"."""
    # "a magnet or acupuncture": each choice of an either-or question is a phrase of its own.
    phrases = [c.strip() for p in slot_phrases(question) for c in re.split(r"\s+or\s+", p)]
    named: dict[str, None] = {}
    for term in missing:
        longer = [p for p in phrases if find_whole(term, p)]
        named.setdefault(
            _ACTIVITIES.get(term, longer[0] if longer else _cased(term, question)), None
        )
    return tuple(named)


def _cased(term: str, question: str) -> str:
    """An abbreviation as the question writes it ("ICD", not "icd"), with the short code that
    completes a name ("vitamin" → "vitamin B12", "vitamin D")."""
    written = find_whole(term, question, ignore_case=True)
    if written is None:
        return term
    if written.group(0).isupper():
        return written.group(0)
    code = _NAME_CODE.match(question, written.end())
    return f"{term} {code.group(1)}" if code else term


# "B12", "D", "K2": the letter-and-number code that completes a name; a lone lower-case word
# ("warfarin a treatment") is not one.
_NAME_CODE = re.compile(r"\s+([A-Za-z]?\d+[A-Za-z]?\d*|[A-Z])\b")


# An activity asked about by its verb ("is it safe to fly?") is named as the activity.
_ACTIVITIES = {
    "fly": "flying", "drive": "driving", "swim": "swimming", "travel": "travelling",
    "ski": "skiing", "dive": "diving", "scuba dive": "scuba diving",
}  # fmt: skip
