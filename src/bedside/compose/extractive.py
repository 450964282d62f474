"""`ExtractiveGenerator`: the default, model-free generator.

Every statement is a passage's own sentence (a card statement is one sentence already), so the
verifier can prove support word for word. The generator's work is choosing: which sentences are
on the question's topic, which section each belongs in, which of near-duplicates to keep, and the
order — strength of evidence (guideline > systematic review > trial > other), then relevance,
then recency.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import (
    SHORTEST_MISSPELT_NAME,
    TITLE_QUALIFIERS,
    FrameRules,
    asked_interventions,
    asked_sentences,
    find_interventions,
    frame_rules,
    leaves_out,
    names_ruled_out,
    one_letter_more,
    one_slip_apart,
    ruled_out_medicines,
    slot_phrases,
    the_story,
    title_names,
    treated_with,
    without_lookalikes,
)
from bedside.analyse.kidney import kidney_bound_width
from bedside.analyse.red_flags import find_red_flags
from bedside.analyse.terms import STOP_WORDS, content_stems, find_whole, stem, word_tokens
from bedside.compose.base import ComposeRequest, TopicMatcher
from bedside.compose.glossary import Glossary
from bedside.compose.plain_language import is_clinician_only
from bedside.compose.ranking import (
    DISTINCTIVE_WEIGHT,
    READER_GROUPS,
    another_line_of_treatment,
    distinctive_shares,
    excludes_named_condition,
    first_choice_named,
    for_a_special_group,
    for_people_the_question_rules_out,
    intervention_share,
    named_share,
    names_another_medicine,
    names_both_drugs,
    names_it_with_another,
    outlook_words,
    score_statement,
    self_care_asked,
    states_a_dose,
    states_a_target,
    target_asked,
)
from bedside.compose.readability import flesch_kincaid_grade
from bedside.compose.sections import (
    answered_question_section,
    classify_sentence,
    heading,
    is_caveat,
    label_section,
    speaks_of_medicines,
)
from bedside.domain import (
    Ask,
    Audience,
    DocumentKind,
    Draft,
    DraftSection,
    Evidence,
    EvidenceLevel,
    Passage,
    QuestionFrame,
    Statement,
)
from bedside.index.base import Vector
from bedside.ingest.chunking import split_sentences
from bedside.ingest.readers.cards import CARD_SECTIONS, PATIENT_HEADING

if TYPE_CHECKING:
    from bedside.config import Settings

# A sentence of a non-card source must cover this share of the topic to be used.
MIN_SENTENCE_COVERAGE = 0.5
# A label's own summary sentence (`label_summary_words`, `most_common_reactions_words` cues)
# gains this much over the label's detail.
_LABEL_SUMMARY_BONUS = 0.1
_LABEL_WORDS_WEIGHT = 0.3
# Two statements say the same thing when their content stems overlap this much: Jaccard, or
# the share of the shorter one's stems found in the longer one (catches a restatement that
# adds a clause: "discectomy is the operation of choice …, and fusion should not be added").
_NEAR_DUPLICATE = 0.6
_CONTAINED = 0.7
_SENTENCES_PER_PASSAGE = 2
_ENOUGH_PLAIN = 3
# For patients: plain-language statements outrank clinical ones by this much, and a clinical
# statement whose embedding is this close to a plain one is taken as restated by it.
_PLAIN_BONUS = 0.15
_RESTATED = 0.7
# …and at most this many clinical statements, each no harder to read than this grade.
_MOST_CLINICAL_FOR_PATIENTS = 2
_PATIENT_GRADE = 10.0


# Article titles per ask: grammatical noun phrases built from the frame (never the question).
_TITLES: dict[Ask, str] = {
    Ask.TREATMENT: "Treatment options for {condition}",
    Ask.DRUG_CHOICE: "Medicines for {condition}",
    Ask.DOSE: "Dosing of {intervention}",
    Ask.DURATION: "Length of treatment for {condition}",
    Ask.TEST_OR_IMAGE: "Tests and imaging for {condition}",
    Ask.REFERRAL: "Specialist referral for {condition}",
    Ask.PROGNOSIS: "Outlook for {condition}",
    Ask.RED_FLAGS: "Red flags in {condition}",
    Ask.DIAGNOSIS: "Assessment and diagnosis of {condition}",
    Ask.SIDE_EFFECTS: "Side effects and risks of {intervention}",
    Ask.INTERACTIONS: "Interactions of {intervention}",
    Ask.PREVENTION: "Prevention and screening for {condition}",
    Ask.MONITORING: "Monitoring and follow-up of {condition}",
    Ask.GENERAL: "Overview of {condition}",
}
# A bottom-line statement must score at least this share of the best one to join it, and a
# statement of the ask's own section within this share of the best leads instead of it.
_SECOND_LEAD = 0.92
_NEAR_TIE = 0.8
_CLOSE_TIE = 0.9
# A line on the circumstance the first asked sentence names ("back for the match Saturday?")
# leads over a more similar line on another part of the story when it scores this much of it.
_ASKED_FIRST_TIE = 0.6
# "Anything more that can be done?" after treatment: a referral or next-step line leads at this
# share of a line on the treatment already given.
_MORE_TO_BE_DONE_TIE = 0.7
# Sections that say what to use, and those that do not (a "which treatment?" question).
_WHAT_TO_USE = frozenset({"medicines", "first_line"})
_NOT_WHAT_TO_USE = frozenset({"monitoring", "diagnosis", "prognosis", "imaging", "overview"})
# A line naming both medicines asked about together leads over a more similar line naming one
# when it scores at least this much of it: it is the answer, the other is background.
_BOTH_NAMED_TIE = 0.6
# A line for the population asked about ("after a heart attack", "in pregnancy") leads over a
# general one when it scores at least 75% as much: population-specific lines beat general ones.
_POPULATION_LEAD = 0.75
# Statements scoring below this share of the best are cut from the concise article, and the
# article stops at `_MAX_STATEMENTS` bullets (the seed articles have 10 to 16).
_RELEVANCE_FLOOR = 0.45
_MAX_STATEMENTS = 14


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
    # the part of `relevance` owed to the question's rarest words (see distinctive_shares)
    distinctive: float = 0.0
    grade: str = ""  # a guideline recommendation's grade, from its passage ("Grade B")
    card_id: str | None = None  # the card the sentence is from, if any

    def sort_key(self, audience: Audience) -> tuple[float | str, ...]:
        """Most relevant first; ties go to the plainer (for patients), stronger, newer one."""
        prefer_plain = 1.0 if (audience is Audience.PATIENT and self.plain) else 0.0
        return (
            -round(self.relevance, 6),
            -prefer_plain,
            -float(self.level),
            -float(self.year),
            self.passage_ids[0],
        )


class ExtractiveGenerator:
    """Chooses passage sentences for each section; never writes a sentence of its own."""

    name = "extractive"
    version = "2"  # 2: statements ranked against the question frame
    is_offline = True
    prompt_digest = ""  # no prompts: it writes no sentence

    def __init__(self, glossary: Glossary | None = None) -> None:
        self._glossary = glossary

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractiveGenerator:
        return cls()

    def generate(self, request: ComposeRequest) -> Draft:
        title = article_title(request.frame, request.topic_title, request.analysis.question)
        request = replace(request, frame=_asked_frame(request))
        rules = frame_rules()
        unnamed_readers = _reader_groups_not_named(request, rules)
        candidates = [
            candidate
            for candidate in self._candidates(request, _plain_card_sections(request))
            if not _for_someone_else(candidate.text, request.frame)
            and not for_a_special_group(candidate.text, request.frame, rules, unnamed_readers)
        ]
        _reward_distinctive_words(
            candidates,
            request.topic,
            request.frame,
            request.analysis.question,
            request.term_groups,
        )
        if request.audience is Audience.PATIENT:
            candidates = _prefer_plain(candidates, request.vectors, request.frame)
        candidates = deduplicate(candidates, request.audience)
        lead, rest = choose_bottom_line(
            candidates,
            request.frame,
            request.audience,
            request.topic,
            question=request.analysis.question,
            card_title=request.card_title,
        )
        bottom_line = tuple(_statement(c) for c in lead)
        sections = self._sections(rest, request, lead)
        if request.audience is Audience.PATIENT:
            bottom_line, sections = self._explain_terms(bottom_line, sections)
        return Draft(
            title=title,
            bottom_line=bottom_line,
            sections=sections,
            generator=f"{self.name}/{self.version}",
        )

    # -- choosing sentences -------------------------------------------------------------------

    def _candidates(
        self, request: ComposeRequest, plain_sections: Mapping[str, str]
    ) -> Iterator[Candidate]:
        for evidence in request.evidence:
            if evidence.document.origin == "card":
                candidate = _card_candidate(evidence, request, plain_sections)
                if candidate is not None:
                    yield candidate
            else:
                yield from _sentence_candidates(evidence, request)

    def _sections(
        self,
        candidates: Sequence[Candidate],
        request: ComposeRequest,
        lead: Sequence[Candidate] = (),
    ) -> tuple[DraftSection, ...]:
        """The most relevant statements, at most `max_bullets` a section and `max_sections`
        sections, led by the sections that answer the ask; the least relevant are cut."""
        if not candidates:
            return ()
        # The floor is set by the best score before the rare-word reward: one statement that
        # holds the question's rarest word must not push every other statement under it.
        best = max(c.relevance - c.distinctive for c in candidates)
        floor = _RELEVANCE_FLOOR * best if request.concise else float("-inf")
        relevant = [c for c in candidates if c.relevance >= floor]
        wanted = frame_rules().sections_for(request.frame.ask)
        grouped: dict[str, list[Candidate]] = {}
        budget = _MAX_STATEMENTS if request.concise else len(relevant)
        # Sections that answer the ask open first (a treatment question gets first-line care,
        # medicines and procedures before prevalence figures); then the rest, best first.
        for answers_ask_only in (True, False):
            for candidate in relevant:
                may_open = not answers_ask_only or candidate.section in wanted
                if budget == 0:
                    break
                chosen = grouped.get(candidate.section)
                if chosen is None:
                    if len(grouped) < request.max_sections and may_open:
                        grouped[candidate.section] = [candidate]
                        budget -= 1
                elif candidate not in chosen and len(chosen) < request.max_bullets:
                    chosen.append(candidate)
                    budget -= 1
        _give_weak_sections_way(grouped, relevant, request.max_bullets, keep=wanted[:1])
        _name_each_asked_thing(grouped, candidates, lead, request, keep=wanted[:1])

        def order(section_id: str) -> tuple[int, float]:
            rank = wanted.index(section_id) if section_id in wanted else len(wanted)
            trailing = 1 if section_id in ("caveats", "research") else 0
            return (
                trailing,
                rank if rank < len(wanted) else len(wanted) - grouped[section_id][0].relevance,
            )

        return tuple(
            DraftSection(
                section_id,
                heading(section_id, request.audience),
                tuple(_statement(c) for c in grouped[section_id]),
            )
            for section_id in sorted(grouped, key=order)
        )

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
                grade=statement.grade,
            )

        new_bottom = tuple(explained(statement) for statement in bottom_line)
        new_sections = tuple(
            DraftSection(s.section_id, s.heading, tuple(explained(x) for x in s.statements))
            for s in sections
        )
        return new_bottom, new_sections


def _name_each_asked_thing(
    grouped: dict[str, list[Candidate]],
    candidates: Sequence[Candidate],
    lead: Sequence[Candidate],
    request: ComposeRequest,
    keep: Sequence[str] = (),
) -> None:
    """Each drug or procedure the question asks about is named by the article when a source
    here names it: "Pregabalin worth trying? When to refer?" keeps the line that gabapentinoids
    are not advised for sciatica beside the referral lines, rather than an article that seems
    to know nothing of pregabalin. Its best line joins its section, in place of that section's
    last bullet when full, or of the weakest section when no section is left."""
    chosen = [*lead, *(c for bullets in grouped.values() for c in bullets)]
    for term in request.frame.interventions:
        asked = replace(request.frame, interventions=(term,))
        if any(intervention_share(c.text, asked) > 0 for c in chosen):
            continue
        best = next((c for c in candidates if intervention_share(c.text, asked) > 0), None)
        if best is None:
            continue
        bullets = grouped.get(best.section)
        if bullets is not None:
            if len(bullets) >= request.max_bullets:
                bullets.pop()
            bullets.append(best)
        else:
            if len(grouped) >= request.max_sections:
                weakest = _weakest_section(grouped, keep)
                if weakest is None:
                    continue
                del grouped[weakest]
            grouped[best.section] = [best]
        chosen.append(best)


def _weakest_section(grouped: Mapping[str, list[Candidate]], keep: Sequence[str]) -> str | None:
    """The section whose best statement is least relevant, other than the one that best
    answers the ask and the red flags."""
    others = [s for s in grouped if s not in keep and s != "red_flags"]
    return min(others, key=lambda s: grouped[s][0].relevance, default=None)


# How much better than a section's best statement one must be to take that section's place.
_SECTION_SWAP_MARGIN = 1.25


def _give_weak_sections_way(
    grouped: dict[str, list[Candidate]],
    relevant: Sequence[Candidate],
    max_bullets: int,
    keep: Sequence[str] = (),
) -> None:
    """Sections that answer the ask open first, but one whose best statement is weak gives its
    place to a section left out whose best is much stronger: "does fusion beat rehab?" keeps
    the line on NICE and AANS/CNS disagreeing about fusion rather than a general medicines line
    (the least relevant statements are cut, never the most relevant). The section that best
    answers the ask (`keep`) and the red flags never give way: missing them is the costly
    mistake."""
    for candidate in relevant:
        if candidate.section in grouped:
            continue
        may_go = [section for section in grouped if section not in (*keep, "red_flags")]
        weakest = min(may_go, key=lambda section: grouped[section][0].relevance, default=None)
        if weakest is None:
            return
        if candidate.relevance < _SECTION_SWAP_MARGIN * grouped[weakest][0].relevance:
            return  # candidates come best first: none later does better
        freed = len(grouped.pop(weakest))  # the article grows no longer for the swap
        same_section = [c for c in relevant if c.section == candidate.section]
        grouped[candidate.section] = same_section[: min(max_bullets, max(freed, 1))]


def _reward_distinctive_words(
    candidates: Sequence[Candidate],
    topic: TopicMatcher,
    frame: QuestionFrame,
    question: str,
    term_groups: Callable[[str], Mapping[str, int]] | None = None,
) -> None:
    """Raise the statements that hold the question's rarest words among these candidates:
    "ASO titres" singles out the one line on antibody titres of a card whose every line says
    "streptococcal"."""
    if not topic.alternatives:
        return
    # The question's own words only: a synonym's expansion ("smoker's lung" → "COPD") names
    # the condition, which is not what tells the card's statements apart. The drug asked
    # about is weighed by the intervention feature already, and every line of its own label
    # is about it whether or not it repeats the name.
    # Nor are the condition's own words and where in the body it is ("disc space loss in the
    # lumbar spine"): they say what the question is about, not what it asks, and the few plain
    # lines that happen to say "spine" are not thereby the answer.
    rules = frame_rules()
    # A second condition named ("COPD … admitted with pneumonia") is what singles out the line
    # on both, so only the first, which the article is about, is left out.
    about = {
        s for words in (*frame.conditions[:1], *rules.body_sites) for s in content_stems(words)
    }
    filler = {s for word in rules.filler_words for s in content_stems(word)}
    if rules.onset_asked.search(question):
        # "How long does levothyroxine take to work?" asks how soon, not about the lines that
        # say "taking" (but "can I take ibuprofen with …" is about taking it).
        filler |= set(content_stems("take takes taking took"))
    asked = topic.alternatives[0] - _drug_stems(frame) - _intervention_stems(frame) - about - filler
    # The kind of the condition asked about counts as one word however it is written ("HFrEF",
    # "reduced ejection fraction"), weighed like the others: rare among the candidates, it
    # singles out the line on that kind; on every line (type 2 diabetes), it weighs nothing.
    # So does a term and its abbreviation ("ICS" / "inhaled corticosteroid").
    kinds = {f"kind:{kind}" for kind in rules.subtypes_named(question)}
    # …but not the condition asked about: it names what the question is about, as above.
    synonyms = {
        term: group
        for term, group in (term_groups(question) if term_groups else {}).items()
        if not set(content_stems(term)) & about
    }
    spelled = {s for term in synonyms for s in content_stems(term)}
    named = {f"term:{group}" for group in synonyms.values()}

    def words_of(candidate: Candidate) -> frozenset[str]:
        groups = term_groups(candidate.text).values() if term_groups and named else ()
        return (
            candidate.stems
            | {f"kind:{kind}" for kind in rules.subtypes_named(candidate.text)}
            | {f"term:{group}" for group in groups}
        )

    wanted = frozenset((asked - spelled) | kinds | named)
    shares = distinctive_shares(wanted, [words_of(c) for c in candidates])
    for candidate, share in zip(candidates, shares, strict=True):
        # A rare word does not single out a line about a circumstance the question does not
        # name ("adjusting the dose … for women planning pregnancy" for a dose adjustment in the
        # first trimester).
        if share and rules.other_context(question, candidate.text):
            continue
        candidate.distinctive = DISTINCTIVE_WEIGHT * share
        candidate.relevance += candidate.distinctive


def _asked_frame(request: ComposeRequest) -> QuestionFrame:
    """The frame the statements are ranked against: a drug the person is merely on ("now I'm
    on allopurinol, what level am I aiming for?") is context, and a statement naming it does
    not answer the question better — unless the question asks about that drug itself."""
    frame = request.frame
    question = request.analysis.question
    asked = _asked_terms(frame, question)
    if frame.ask in _ABOUT_THE_DRUG:
        # "Type 2 diabetes on insulin … is the knee injection safe?": the injection is asked
        # about; but "side effects of sertraline? I'm on it" asks about the drug it is on.
        return replace(frame, interventions=asked) if asked else frame
    rules = frame_rules()
    if (
        rules.cue("it_works_asked").search(question)
        or rules.stopping_asked.search(question)
        or rules.cue("keep_taking_asked").search(question)
    ):
        # "…started me on pregabalin. Does it even work?", "been on Nexium for 3 years … can I
        # just stop it?", "on ramipril, just found out I'm pregnant: ok to keep taking it?": the
        # drug the person is on is what is asked about.
        return frame
    return replace(frame, interventions=asked)


def _asked_terms(frame: QuestionFrame, question: str) -> tuple[str, ...]:
    """The frame's interventions less those the person is on or a named condition is treated
    with ("type 2 diabetes on insulin")."""
    return tuple(
        t
        for t in asked_interventions(frame, question)
        if not treated_with(t, frame.conditions, question)
    )


_WHAT_TO_DO_ASKS = frozenset({Ask.TREATMENT, Ask.PREVENTION, Ask.DRUG_CHOICE})
_ABOUT_THE_DRUG = frozenset({Ask.DOSE, Ask.SIDE_EFFECTS, Ask.INTERACTIONS, Ask.DURATION})


def _plain_card_sections(request: ComposeRequest) -> dict[str, str]:
    """passage id → section, for card plain-language statements that no keyword rule places.

    A plain statement restates one of its card's clinical statements in simpler words, so it
    belongs in that statement's section: "raising the swollen leg helps" is first-line care,
    not "What studies found" (the keyword classifier's fallback). The restated statement is the
    nearest in meaning; pitfalls and caveats are left out because a plain statement worded as
    advice ("AF can cause clots, so many people need a blood thinner") is not a warning.
    """
    if request.audience is not Audience.PATIENT or not request.vectors:
        return {}  # clinicians are never shown plain statements
    by_card: dict[str, list[tuple[Evidence, str]]] = {}
    for evidence in request.evidence:
        card_id = evidence.document.card_id
        if card_id is not None and evidence.passage_id in request.vectors:
            by_card.setdefault(card_id, []).append((evidence, _card_heading(evidence)))
    placed: dict[str, str] = {}
    for statements in by_card.values():
        clinical = [
            (CARD_SECTIONS.get(card_heading, "overview"), request.vectors[e.passage_id])
            for e, card_heading in statements
            if card_heading != PATIENT_HEADING
            and CARD_SECTIONS.get(card_heading) not in _NOT_RESTATED_AS_ADVICE
        ]
        for evidence, card_heading in statements:
            text = evidence.passage.text
            if not clinical or card_heading != PATIENT_HEADING:
                continue
            if classify_sentence(text) != "research":
                continue
            vector = request.vectors[evidence.passage_id]
            section, _ = max(clinical, key=lambda item: float(vector @ item[1]))
            placed[evidence.passage_id] = section
    return placed


_NOT_RESTATED_AS_ADVICE = frozenset({"pitfalls", "caveats", "research"})


def _card_heading(evidence: Evidence) -> str:
    return evidence.passage.section_path[-1] if evidence.passage.section_path else ""


def _card_candidate(
    evidence: Evidence, request: ComposeRequest, plain_sections: Mapping[str, str]
) -> Candidate | None:
    card_heading = _card_heading(evidence)
    is_plain = card_heading == PATIENT_HEADING
    if is_plain and request.audience is Audience.CLINICIAN:
        return None  # the clinician version of the same fact is elsewhere on the card
    text = evidence.passage.text.strip()
    patient = request.audience is Audience.PATIENT
    # Jargon is kept for a patient only when it speaks to the population asked about (see
    # _prefer_plain).
    if patient and is_clinician_only(text) and not _for_asked_population(text, request.frame):
        return None
    if is_plain:
        section = plain_sections.get(evidence.passage_id) or classify_sentence(text)
    else:
        section = CARD_SECTIONS.get(card_heading, "overview")
    if is_caveat(text):
        section = "caveats"
    stems = frozenset(content_stems(without_lookalikes(text)))
    return Candidate(
        text=text,
        passage_ids=[evidence.passage_id],
        section=section,
        level=evidence.level,
        relevance=_relevance(text, stems, section, evidence, request),
        year=evidence.document.year or 0,
        plain=is_plain,
        stems=stems,
        card_id=evidence.document.card_id,
    )


def _with_what_it_leans_on(sentence: str, previous: str) -> tuple[str, str]:
    """The sentence to weigh, and the one the next sentence would lean on. "These include
    aspirin … and NSAIDs" says nothing alone; with the sentence before it ("Concomitant use of
    drugs affecting hemostasis increases the risk of bleeding.") it is one statement, both
    sentences as the source wrote them."""
    if (
        previous
        and frame_rules().cue("leans_on_the_last_words").search(sentence)
        and not previous.endswith(":")
    ):
        return f"{previous} {sentence}", sentence
    return sentence, sentence


def _sentence_candidates(evidence: Evidence, request: ComposeRequest) -> Iterator[Candidate]:
    text = evidence.passage.text
    title_stems = set(content_stems(evidence.document.title))
    is_plain = evidence.document.kind is DocumentKind.PATIENT_INFORMATION
    # A label of the asked drug is on topic as a whole: its adverse-reactions sentences answer
    # "side effects of Eliquis" without repeating the words "side effects".
    label_section = _asked_label_section(evidence, request.frame)
    # Within the asked drug's label, what the question says besides the drug's names decides.
    topic = request.topic.without(_drug_stems(request.frame)) if label_section else request.topic
    scored = []
    previous = ""
    for start, end in split_sentences(text):
        sentence, previous = _with_what_it_leans_on(text[start:end].strip(), previous)
        if not 40 <= len(sentence) <= 400 or frame_rules().cue("study_framing_words").search(
            sentence
        ):
            continue
        if sentence.endswith(":"):
            continue  # the lead-in of a list, not a statement
        if sentence.lstrip("-•*– ")[:1].islower():
            # "concomitant use of other drugs that affect hemostasis …" is one item of a list
            # whose lead-in says what it is a list of (risk factors for a spinal haematoma).
            continue
        if frame_rules().cue("leans_on_the_last_words").search(sentence):
            continue  # "Examples include sinus infections and allergies": of what, out of context?
        if _TABLE_ROW.search(sentence) or sentence.count(";") >= 2:
            continue  # a flattened table row ("Nausea; 3 (0.5); 2 (0.4)") is not a statement
        if request.audience is Audience.PATIENT and _is_recommendation(evidence):
            # "(B recommendation)" is grading shorthand for clinicians; the grade stays on the
            # passage's path for the clinician's article.
            sentence = _GRADE_NOTE.sub("", sentence)
        if request.audience is Audience.PATIENT and is_clinician_only(sentence):
            continue
        stems = frozenset(content_stems(without_lookalikes(sentence)))
        coverage = topic.coverage(stems)
        on_topic = max(coverage, topic.coverage(stems | title_stems) * 0.8)
        # A retrieved recommendation is on topic in its own words ("screening mammography" for
        # "a mammogram"): half the usual share of the question's words is enough.
        wanted = (
            MIN_SENTENCE_COVERAGE / 2 if _is_recommendation(evidence) else MIN_SENTENCE_COVERAGE
        )
        if label_section is None and on_topic < wanted:
            continue
        summary = 0
        if _is_recommendation(evidence):
            # A guideline's own recommendation answers before the evidence reviewed for it.
            summary = 2
        if label_section is not None:
            sentence = _without_cross_references(sentence)
            stems = frozenset(content_stems(without_lookalikes(sentence)))
            summary = 2 if frame_rules().cue("most_common_reactions_words").search(sentence) else 0
            summary = summary or (
                1 if frame_rules().cue("label_summary_words").search(sentence) else 0
            )
            # A boxed warning is the label's gravest risk, whatever its wording.
            summary = summary or (1 if _in_boxed_warning(evidence.passage) else 0)
        scored.append((summary, coverage, sentence, stems))
    # A label or guideline passage runs over many points: each sentence is weighed by its own
    # meaning.
    weigh_each = label_section is not None or evidence.document.kind is DocumentKind.GUIDELINE
    measured: list[float | None] = [None] * len(scored)
    if weigh_each and request.sentence_similarity is not None and scored:
        measured = list(request.sentence_similarity([item[2] for item in scored])) or measured
    ranked = sorted(
        zip(scored, measured, strict=True),
        key=lambda pair: (-(pair[0][0] + (pair[1] or 0.0)), -pair[0][1]),
    )
    for (summary, coverage, sentence, stems), own in ranked[:_SENTENCES_PER_PASSAGE]:
        bonus = _LABEL_SUMMARY_BONUS * summary
        if label_section is not None:
            # What the question names besides the drug ("dementia", "pancreatitis") decides
            # between a label's many sentences more than its general summary does.
            bonus += _LABEL_WORDS_WEIGHT * coverage
        yield Candidate(
            text=sentence,
            passage_ids=[evidence.passage_id],
            section=(section := label_section or _answered_section(evidence, sentence)),
            level=evidence.level,
            relevance=bonus
            + _relevance(
                sentence,
                stems,
                section,
                evidence,
                request,
                own,
                of_asked_drug=label_section is not None,
                topic=topic,
            ),
            year=evidence.document.year or 0,
            plain=is_plain,
            stems=stems,
            grade=_grade(evidence),
        )


def _grade(evidence: Evidence) -> str:
    """The grade a guideline summary gives its recommendation: the last part of the passage's
    path when it is one ("Grade B"); clinicians see it beside the statement."""
    if not _is_recommendation(evidence) or len(evidence.passage.section_path) < 3:
        return ""
    last = evidence.passage.section_path[-1]
    return last if _GRADE_HEADING.match(last) else ""


_GRADE_HEADING = re.compile(
    r"^(?:grade\b|strong|weak|conditional|category\b|recommendation category|level\b|class\b)",
    re.IGNORECASE,
)


def _asked_label_section(evidence: Evidence, frame: QuestionFrame) -> str | None:
    """For a drug label of a drug the question names, the article section its passage answers
    (side effects, warnings, interactions, …); None for any other source."""
    document = evidence.document
    if document.kind is not DocumentKind.DRUG_LABEL or not document.names_drug(frame.drug_names()):
        return None
    return label_section(evidence.passage.section_path)


# A label's pointers to its other sections ("[see Warnings and Precautions (5.2)]", "(6.1)")
# and list dashes: not part of what the sentence says, and their numbers are not facts.
_CROSS_REFERENCE = re.compile(
    r"\s*\[\s*see[^\]]*\]\s*|\s*\((?:\d+(?:\.\d+)*(?:,\s*)?)+\)(?=\s*[.;,]?\s*$)|^[-•*]\s+",
    re.IGNORECASE,
)


def _without_cross_references(sentence: str) -> str:
    cleaned = _CROSS_REFERENCE.sub(" ", sentence).strip()
    return re.sub(r"\s+([.,;])", r"\1", re.sub(r"\s{2,}", " ", cleaned))


_GRADE_NOTE = re.compile(
    r"\s*[(\[](?:grade\s+)?[A-DI]\s+(?:recommendation|statement)[)\]]", re.IGNORECASE
)


def _answered_section(evidence: Evidence, sentence: str) -> str:
    """A consumer-health page's answer goes in the section of the question it answers ("What
    are the treatments for …?" → first-line care), whatever words the sentence uses."""
    question = evidence.passage.question
    return (question and answered_question_section(question)) or classify_sentence(sentence)


def _is_recommendation(evidence: Evidence) -> bool:
    """A guideline's own recommendation statement (NGC "Major recommendations"), not a card."""
    if evidence.document.kind is not DocumentKind.GUIDELINE or evidence.document.card_id:
        return False
    return any("recommendation" in h.lower() for h in evidence.passage.section_path[1:2])


def _in_boxed_warning(passage: Passage) -> bool:
    return any("boxed warning" in heading.lower() for heading in passage.section_path[1:])


def _drug_stems(frame: QuestionFrame) -> frozenset[str]:
    return frozenset(stem_ for name in frame.drug_names() for stem_ in content_stems(name))


def _intervention_stems(frame: QuestionFrame) -> frozenset[str]:
    return frozenset(stem_ for term in frame.interventions for stem_ in content_stems(term))


# Mostly numbers: a row of a flattened table, not a sentence.
_TABLE_ROW = re.compile(r"^[^a-z]*$|(?:\d[\d.,%()]*\s+){3,}")


def _prefer_plain(
    candidates: list[Candidate], vectors: Mapping[str, Vector], frame: QuestionFrame
) -> list[Candidate]:
    """For patients, plain-language statements first; a clinical statement stays only where no
    plain statement restates it.

    A card's plain-language statements restate its clinical ones in simpler words, so mixing
    both would say most things twice, once in jargon. A clinical fact with no plain
    restatement (a repeat concussion is worse; when to see an ENT surgeon) is still the answer
    for some questions, so it is kept, ranked below the plain ones by `_PLAIN_BONUS`. Without
    embeddings (no embedder) a restatement cannot be recognised, and only plain statements are
    used when there are enough of them. A clinical statement about the population asked
    about (the levothyroxine dose for people over 65), or one that answers the ask where no
    plain statement does (when to see a specialist), is kept however hard it reads: the plain
    statements do not say it, and the general advice would not answer that reader.
    """
    plain = [candidate for candidate in candidates if candidate.plain]
    if not plain:
        # Nothing was written for patients (a drug label): the statements a patient can act
        # on, not those addressed to the prescriber; the glossary explains the terms.
        return [
            c for c in candidates if not frame_rules().cue("to_clinicians_words").search(c.text)
        ]
    for candidate in plain:
        candidate.relevance += _PLAIN_BONUS
    if not vectors:
        return plain if len(plain) >= _ENOUGH_PLAIN else candidates
    plain_vectors = [
        (vectors[c.passage_ids[0]], c.text) for c in plain if c.passage_ids[0] in vectors
    ]
    rules = frame_rules()

    wanted = rules.sections_for(frame.ask)[:1]
    plain_sections = {c.section for c in plain}
    # The drug or procedure asked about, when no plain statement names it ("a steroid jab in my
    # knee": only the clinical line on glucocorticoid injection speaks of it).
    plain_names_asked = any(intervention_share(c.text, frame) > 0 for c in plain)

    def only_word_on_asked(candidate: Candidate) -> bool:
        return not plain_names_asked and intervention_share(candidate.text, frame) > 0

    def needed(candidate: Candidate) -> bool:
        # About the population asked about, or the answer to the ask where no plain statement
        # gives one (when to see a specialist), or the only word on the thing asked about:
        # needed however it reads.
        if _for_asked_population(candidate.text, frame) or only_word_on_asked(candidate):
            return True
        return candidate.section in wanted and candidate.section not in plain_sections

    kept = list(plain)
    clinical = sorted(
        (c for c in candidates if not c.plain),
        key=lambda c: (not needed(c), c.sort_key(Audience.PATIENT)),
    )
    for candidate in clinical:
        if len(kept) - len(plain) == _MOST_CLINICAL_FOR_PATIENTS:
            break
        vector = vectors.get(candidate.passage_ids[0])
        # No plain statement restates the only line on the thing asked about, however near
        # in meaning ("no decongestants for glue ear" is not "an ear infection may need an
        # antibiotic"): a restatement would name it.
        # …nor one that says the opposite or names another number ("do not repeat the swab
        # after treatment" is not restated by "a quick swab test is used"), however near.
        # …nor one about the population asked about, by a plain line that does not name it
        # ("in adults and children, flucloxacillin" for a 5-year-old is not "most people get
        # flucloxacillin").
        for_population = _for_asked_population(candidate.text, frame)
        restated = (
            vector is not None
            and not only_word_on_asked(candidate)
            and any(
                float(vector @ other) >= _RESTATED
                and not _opposite_or_other_number(candidate.text, text)
                and (not for_population or _for_asked_population(text, frame))
                for other, text in plain_vectors
            )
        )
        readable = flesch_kincaid_grade(candidate.text) <= _PATIENT_GRADE
        suitable = readable and not frame_rules().cue("to_clinicians_words").search(candidate.text)
        if not restated and (suitable or needed(candidate)):
            kept.append(candidate)
    return kept


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
        if not any(_same_claim(candidate, other) for other in kept_list):
            kept_list.append(candidate)
    return kept_list


def _same_claim(left: Candidate, right: Candidate) -> bool:
    """Two statements restate one fact: their words overlap, and nothing that makes a fact
    differ (a number, a dose, a population, a drug, a negation) differs between them."""
    if not left.stems or not right.stems:
        return False
    shared = len(left.stems & right.stems)
    overlapping = (
        shared / len(left.stems | right.stems) >= _NEAR_DUPLICATE
        or shared / min(len(left.stems), len(right.stems)) >= _CONTAINED
    )
    # The fact comparison reads every intervention term: only for pairs that overlap at all.
    return overlapping and not different_facts(left.text, right.text)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEGATION = re.compile(r"\b(not|no|never|without|avoid|against|do not|don't|nor)\b", re.I)
_QUALIFIER = re.compile(
    r"\b(under|over|older|younger|aged|children|child|adults?|women|men|pregnan\w*|"
    r"kidney|renal|liver|heart|cardiovascular|history of|with|without|first|second|"
    r"before|after|acute|chronic)\b",
    re.I,
)


def _opposite_or_other_number(left: str, right: str) -> bool:
    """Whether a plain line near in meaning to a clinical one still says something else: the
    opposite, or another number. Plain words drop qualifiers by design ("for back pain" for
    "for people with low back pain"), so those are not compared here."""
    numbers_differ = _fact_numbers(left) != _fact_numbers(right)
    return numbers_differ or len(_NEGATION.findall(left)) != len(_NEGATION.findall(right))


# A number that states a fact: not the year of the source that says it ("the 2024 BTS/NICE
# guideline") nor part of its code ("NG245"), which a plain restatement leaves out by design.
_SOURCE_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?!\s*(?:mg|mcg|micrograms?|iu|units?|ml|g|%))", re.I)
_CODE = re.compile(r"\b[a-z]+\d+\b", re.I)


def _fact_numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(_CODE.sub(" ", _SOURCE_YEAR.sub(" ", text))))


def different_facts(left: str, right: str) -> bool:
    """Whether two similar sentences state different facts and must both be kept."""
    if set(_NUMBER.findall(left)) != set(_NUMBER.findall(right)):
        return True
    if len(_NEGATION.findall(left)) != len(_NEGATION.findall(right)):
        return True
    qualifiers = {m.lower() for m in _QUALIFIER.findall(left)}
    if qualifiers != {m.lower() for m in _QUALIFIER.findall(right)}:
        return True
    return set(find_interventions(left)) != set(find_interventions(right))


def _opens_with_intervention(question: str, frame: QuestionFrame) -> bool:
    """Whether the question's first word is a word of a treatment it names ("Steroids in …")."""
    words = word_tokens(question)
    return bool(words) and any(words[0] in word_tokens(term) for term in frame.interventions)


def _names_the_condition(text: str, card_title: str) -> bool:
    """Whether `text` names the condition of the card titled `card_title` ("Type 2 diabetes in
    adults": "diabetes"), by any word of its name that is not a qualifier or a number."""
    words = {
        stem(word)
        for name in title_names(card_title)
        for word in word_tokens(name)
        if word not in STOP_WORDS and word not in TITLE_QUALIFIERS and not word.isdigit()
    }
    return bool(words & set(content_stems(text)))


def _nearly_as_good(
    first: Candidate,
    candidates: Sequence[Candidate],
    wanted: Callable[[Candidate], bool],
    near: float = _NEAR_TIE,
) -> Candidate:
    """The first `wanted` candidate when it scores nearly as well as `first` (`near` of its
    score), else `first`."""
    best = next((c for c in candidates if wanted(c)), None)
    return best if best is not None and best.relevance >= near * first.relevance else first


# A line unfit for the reader gives way to one that fits, unless that one is much less relevant
# (then the article's gap says the sources do not address it).
_SAFE_ENOUGH = 0.5


def _fitting(
    candidates: Sequence[Candidate], frame: QuestionFrame, question: str, rules: FrameRules
) -> Sequence[Candidate]:
    """The candidates that may lead, without those unfit for the reader: amoxicillin for
    someone allergic to penicillin, a line "for AF without heart failure" for someone with
    both. All may lead when nothing fitting comes near (the article's gap then says what the
    sources do not address); the unfit stay in the article either way."""
    ruled_out = ruled_out_medicines(question, rules)

    def unfit(text: str) -> bool:
        return names_ruled_out(text, ruled_out, rules) or excludes_named_condition(text, frame)

    fitting = [c for c in candidates if not unfit(c.text)]
    if len(fitting) == len(candidates) or not fitting:
        return candidates
    if fitting[0].relevance < _SAFE_ENOUGH * candidates[0].relevance:
        return candidates
    return fitting


def _on_the_alarm_raised(
    first: Candidate, candidates: Sequence[Candidate], question: str
) -> Candidate:
    """A story that raises an alarm ("I can't feel the toilet paper when I wipe") is led by
    the line that says to get help for that alarm, however much nearer a line on the
    condition's treatment comes: the reader must read what to do now first (and a line on
    another alarm, "if your leg is getting weaker", gives way too)."""
    raised = {flag.flag_id for flag in find_red_flags(question)}
    if not raised:
        return first
    for candidate in (first, *candidates):
        if raised & {flag.flag_id for flag in find_red_flags(candidate.text)}:
            return candidate
    # No line names this alarm ("suddenly can't breathe lying down … wait till morning?"): the
    # line that says to get help now, not a nearly as near one on what hospitals do.
    act_now = frame_rules().cue("act_now_words")
    if act_now.search(first.text):
        return first
    return _nearly_as_good(first, candidates, lambda c: bool(act_now.search(c.text)))


def choose_bottom_line(
    candidates: Sequence[Candidate],
    frame: QuestionFrame,
    audience: Audience,
    topic: TopicMatcher | None = None,
    question: str = "",
    card_title: str = "",
) -> tuple[list[Candidate], list[Candidate]]:
    """The one or two statements that most directly answer the question, and the rest in rank
    order (`card_title`, the leading card's title, says whom the whole topic is for).

    The best-ranked statement leads: its score already weighs the ask's sections (a dose for a
    dose question), the asked population and drug, and its meaning's nearness to the question.
    Restricting the bottom line to the ask's sections was measured and dropped: when the ask
    is read wrongly, or a pitfall ("Do not prescribe gabapentin …") is the answer, the
    restriction picked a worse statement (benchmarks/answer_quality.py, docs/benchmarks.md).
    """
    if not candidates:
        return [], []
    rules = frame_rules()
    everyone = candidates
    candidates = _fitting(candidates, frame, question, rules)
    first = candidates[0]
    if leaves_out(first.text, frame):
        # Advice "for people aged 80 and over" does not lead for a 70-year-old when a line
        # that fits their age answers nearly as well.
        first = _nearly_as_good(first, candidates, lambda c: not leaves_out(c.text, frame))
    if for_people_the_question_rules_out(question, first.text):
        # "No trouble swallowing … do I need a camera test?": the line on reflux with trouble
        # swallowing is for someone else; a nearly as near one for no warning signs answers.
        first = _nearly_as_good(
            first, candidates, lambda c: not for_people_the_question_rules_out(question, c.text)
        )
    # "Next agent?" is answered by a line that names one.
    agent_asked = bool(
        frame.treatment_tried and rules.cue("another_medicine_asked").search(question)
    )
    first = _lead_for_population(first, candidates, frame, question, agent_asked)
    lead_card = frame.condition_cards[0] if len(frame.condition_cards) > 1 else None
    if (
        lead_card
        and first.card_id not in (None, lead_card)
        and not _names_the_condition(first.text, card_title)
    ):
        # "I'm 72 with COPD … sore throat: do I need antibiotics?": the COPD card's line on
        # antibiotics for a flare-up joins the article, but the sore throat card's answers;
        # the heart failure card's "an SGLT2 inhibitor whether or not the person has type 2
        # diabetes" does answer "T2DM with HFrEF: which class?".
        first = _nearly_as_good(first, candidates, lambda c: c.card_id == lead_card)
    if agent_asked and not names_another_medicine(first.text, frame):
        first = _lead_naming_an_agent(first, candidates, frame)
    # A near-tie goes to the section that best answers the ask: "treatment options" open with
    # first-line care rather than an equally similar line about surgery, and a red-flag story
    # with when to get urgent help rather than what the condition is.
    # …unless the best statement is about the drug or procedure asked about: one named outright
    # ("nitrofurantoin for cystitis?"), or a kind of treatment whose worth a yes-or-no question
    # asks ("would a steroid jab help my knee?" is answered by the line on injections, but
    # "which antidepressant…" is not answered by any line that says "antidepressant").
    asks_if_it_helps = frame.ask in (Ask.TREATMENT, Ask.DRUG_CHOICE) and not frame.treatment_tried
    # …as is a clinician's telegraphic question that opens with the treatment ("Steroids in
    # severe community-acquired pneumonia?").
    about_the_treatment = frame.yes_no or _opens_with_intervention(question, frame)
    # …and so is a question on taking the named drug with something ("Can I take ibuprofen with
    # my blood pressure tablets?" is answered by the line on NSAIDs with those tablets, not by
    # a nearly as near one on when blood pressure is treated).
    mixing_asked = frame.ask is Ask.INTERACTIONS and bool(frame.interventions)
    named_thing_asked = (about_the_treatment and asks_if_it_helps) or mixing_asked
    if named_thing_asked and intervention_share(first.text, frame) == 0:
        # "Would a steroid nose spray help glue ear?" is answered yes or no by the line that
        # names it, not by a general line on the condition that happens to score a little more
        # (a test or a failing treatment asked about is another question).
        first = _nearly_as_good(first, candidates, lambda c: intervention_share(c.text, frame) > 0)
    if mixing_asked and len(frame.drugs) > 1:
        # "Can I take ibuprofen with my ramipril for a sore back?" is answered by the one line
        # that names both (NSAIDs with ACE inhibitors harm the kidneys), not by the back pain
        # card's line on ibuprofen: the medicine the reader is on is half of what is asked.
        both = replace(
            frame,
            interventions=tuple(
                dict.fromkeys([*frame.interventions, *(d.as_written for d in frame.drugs)])
            ),
        )
        with_another = names_it_with_another(both, question)
        if not with_another(first.text):
            # (…or the one the reader is on: "Nurofen every day? I'm on amlodipine and
            # ramipril" is answered by the line on ibuprofen with ACE inhibitors.)
            first = _nearly_as_good(
                first,
                candidates,
                lambda c: with_another(c.text),
                near=_BOTH_NAMED_TIE,
            )

    def doses_the_asked_drug(c: Candidate) -> bool:
        return states_a_dose(c.text) and intervention_share(c.text, frame) > 0

    if frame.ask is Ask.DOSE and frame.interventions and not doses_the_asked_drug(first):
        # "81F, AF, 55 kg. Apixaban dose?" is answered by the apixaban dose, not by a nearly as
        # near line that only says to offer a DOAC (which shares "CHA2DS2-VASc" with the
        # question's story).
        first = _nearly_as_good(first, candidates, doses_the_asked_drug)
        if not doses_the_asked_drug(first) and intervention_share(first.text, frame) == 0:
            # "What colchicine dose in CKD?" with no colchicine dose in the sources: the line
            # on colchicine, not another drug's dose ("allopurinol 100 mg or less in CKD").
            first = _nearly_as_good(
                first, candidates, lambda c: intervention_share(c.text, frame) > 0
            )

    told = rules.symptoms_told(question) if frame.ask is Ask.SIDE_EFFECTS else []
    if told and not any(symptom.search(first.text) for symptom in told):
        # "On amlodipine and ramipril, her ankles are swollen: could it be her tablets?" is
        # answered by the line on the medicine that causes swelling, not by a nearly as near one
        # on the other's cough.
        first = _nearly_as_good(
            first, candidates, lambda c: any(symptom.search(c.text) for symptom in told)
        )

    if audience is Audience.PATIENT and not first.plain:
        # A patient's bottom line is in plain words when a plain line scores close: "your
        # metformin dose may need to be lowered or stopped" over NICE's dose review at 45.
        # (…one for the same readers and medicines: not a general line on how long over the
        # antibiotic for a child.)
        lead = first
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: _plain_in_its_place(lead, c, frame, rules),
            near=_CLOSE_TIE,
        )
    width = kidney_bound_width(first.text, frame.kidney_function)
    if width is not None and frame.interventions:
        # "eGFR 27, still the same dose of metformin?" is answered by the limit at 30 (stop),
        # not by a nearly as near one at 45 (review the dose): the closer bound is hers.
        first = _nearly_as_good(first, candidates, lambda c: _closer_kidney_bound(c, frame, width))
    # (Only for a medicine asked about: "K 4.3, eGFR 62, only on furosemide. Which drugs to
    # start?" tells normal values as the story, and is answered by the classes to start.)
    readings = rules.readings_told(question) if frame.interventions else []
    if len(readings) > 1 and not any(reading.search(first.text) for reading in readings):
        # "K+ 5.3, eGFR 32. Start spironolactone?": the line with the limits for the tests
        # told (two or more: one value alone is often only the story), when nearly as near.
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: sum(bool(reading.search(c.text)) for reading in readings) > 1,
        )

    on_the_symptom = bool(told) and any(symptom.search(first.text) for symptom in told)
    stopping_asked = bool(rules.stopping_asked.search(question))
    if stopping_asked and not rules.stopping_words.search(first.text) and not on_the_symptom:
        # "Should the ICS be continued after pneumonia?" is answered by the line on stepping it
        # down, not by a nearly as near one on what to add for people on it.
        # (Only a close one: the line on prophylaxis "and stopping it" does not answer a switch
        # from intravenous to oral; a near one when the sentence that asks is about cutting down
        # or stopping: "fine for 6 months on Fostair. Can I cut down or stop it?")
        asked = " ".join(asked_sentences(question))
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: bool(rules.stopping_words.search(c.text)),
            near=_NEAR_TIE if rules.cue("cut_down_asked").search(asked) else _CLOSE_TIE,
        )

    if stopping_asked and frame.interventions and intervention_share(first.text, frame) == 0:
        # "Pregabalin makes me so drowsy. Can I just stop taking it?" with no line on stopping
        # it: the line on the medicine itself ("not advised for sciatica") answers, not a
        # nearly as near one on keeping active.
        first = _nearly_as_good(first, candidates, lambda c: intervention_share(c.text, frame) > 0)

    def readers_target(c: Candidate) -> bool:
        return states_a_target(c.text) and not _for_a_group_not_asked(c.text, frame, rules)

    def for_this_reader(c: Candidate) -> bool:
        """Not a line for a group the question does not name, nor for people with something it
        rules out ("no otorrhoea"), nor about another circumstance ("a player … during and after
        exercise" for a jogger)."""
        return (
            not _for_a_group_not_asked(c.text, frame, rules)
            and not for_people_the_question_rules_out(question, c.text)
            and not rules.other_context(question, c.text)
        )

    # …but a line on the target for the population asked about ("a relaxed HbA1c target for
    # older or frailer adults") answers a frail 87-year-old's question better than a number
    # for everyone.
    if (
        target_asked(question)
        and not readers_target(first)
        and not _for_asked_population(first.text, frame)
    ):
        # "Target serum urate on allopurinol?" is answered by the value ("below 6 mg/dL"), not
        # by a nearly as near line that only says to aim for one, nor by the target for
        # another group ("below 150/90 for people over 80").
        first = _nearly_as_good(first, candidates, readers_target)
    # (…not over the line on the very effect told: "on allopurinol and it's flared up again"
    # is answered by flares when it is started, not by what stops attacks coming back.)
    if (
        rules.names_a_context(question)
        and not rules.asked_context(question, first.text)
        and not on_the_symptom
    ):
        # "I've had cystitis three times this year: what can I do?" is answered by the line on
        # infections that keep coming back, not by a nearly as near line on any infection.
        # …for everyone, unless the question names a group ("past the menopause" is not).
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: rules.asked_context(question, c.text) and for_this_reader(c),
        )
    asked_first = next(iter(asked_sentences(question)), "")
    if (
        asked_first
        and rules.names_a_context(asked_first)
        and not rules.asked_context(asked_first, first.text)
    ):
        # "… The coach wants him back for the match this Saturday: is that OK? And should he be
        # at school?" asks first about sport: the line on the steps back to sport answers it,
        # though lines on a child going back to school score higher (they name a child).
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: rules.asked_context(asked_first, c.text) and for_this_reader(c),
            near=_ASKED_FIRST_TIE,
        )
    told_here = rules.asked_contexts_in(question, first.text)
    if told_here:
        # …and a line about more of the circumstances named, nearly as near: "still got a
        # headache, can I train Tuesday?" is answered by contact training waiting until the
        # signs have gone, not by the steps back to sport alone.
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: rules.asked_contexts_in(question, c.text) > told_here and for_this_reader(c),
        )
    if (
        frame.treatment_tried
        and agent_asked
        and not rules.next_step.search(first.text)
        # (…a line for the population asked about stays: "prior MI, next agent?")
        and not _addresses_populations(first.text, frame, rules)
    ):
        # "Paracetamol barely touches them. What else can I try?" is answered by the line on
        # what to do when paracetamol does not help, not by a list that offers it again, nor
        # ("second-line prevention after propranolol failure?") by newer acute treatments.
        first = _nearly_as_good(first, candidates, lambda c: bool(rules.next_step.search(c.text)))
    if (
        frame.treatment_tried
        and rules.cue("more_to_be_done_asked").search(question)
        and first.section != "referral"
        and not rules.next_step.search(first.text)
    ):
        # "Keeps getting worse even on all his tablets. Anything more that can be done?" is
        # answered by the specialist team or the next step, not by a line on the medicines
        # already taken.
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: c.section == "referral" or bool(rules.next_step.search(c.text)),
            near=_MORE_TO_BE_DONE_TIE,
        )
    if frame.treatment_tried and first.section == "prognosis":
        # "Six weeks on and still not improving: what next?" is answered by what to do next
        # (reassess, refer), not by a nearly as near line on how long symptoms can last.
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: c.section != "prognosis" and bool(rules.next_step.search(c.text)),
        )
    if (
        frame.ask is Ask.DRUG_CHOICE
        and first.section in _NOT_WHAT_TO_USE
        and rules.cue("treatment_named_asked").search(question)
    ):
        # "SABA only, symptoms 3 times a week, no night waking. GINA preferred next step?" is
        # answered by the treatment, not by a nearly as near line on how control is assessed
        # (it shares the story's words).
        first = _nearly_as_good(first, candidates, lambda c: c.section in _WHAT_TO_USE)
    if rules.cue("what_to_take_asked").search(question) and not find_drugs(first.text):
        # "What can I take when a migraine starts?" is answered by a line naming what to take,
        # not by a nearly as near one on when to take "your migraine medicines".
        first = _nearly_as_good(first, candidates, lambda c: bool(find_drugs(c.text)))
    advises_against = rules.cue("advises_against_words")
    what_to_take = rules.cue("what_to_take_asked").search(" ".join(asked_sentences(question)))
    if (
        (frame.ask is Ask.DRUG_CHOICE and not frame.yes_no) or what_to_take
    ) and advises_against.search(first.text):
        # "What painkiller is best?" is answered by what to take ("an NSAID for a short
        # time"), not by a nearly as near line on what not to take.
        # (…a line on what to take: "resting in bed does not help" names no medicine.)
        section = first.section
        first = _nearly_as_good(
            first,
            candidates,
            lambda c: (
                c.section == section
                and not advises_against.search(c.text)
                # (a card's Medicines line is one: "anti-inflammatory gels rubbed on the knee")
                and (
                    bool(find_drugs(c.text))
                    or speaks_of_medicines(c.text)
                    or section == "medicines"
                )
            ),
        )
    # A class named outright is what "role of opioids in back pain?" asks about; only a
    # question on which drug to choose wants one of its drugs named.
    share = (
        intervention_share(first.text, frame)
        if frame.ask is Ask.DRUG_CHOICE
        else named_share(first.text, frame)
    )
    # Half the asked things named is enough: "epidural steroid injection for chronic back
    # pain?" is answered by "do not offer … epidural injections", though it says no "steroid".
    about_asked = (
        share >= 0.5
        or (frame.yes_no and (share > 0 or _names_kind_asked(first.stems, frame)))
        or _names_the_thing_asked(first, question, rules)
    )
    # …and a question whose treatment did not work asks for the next step, not the first line.
    redirect = not about_asked and not frame.treatment_tried
    # …and a question that sets medicines aside keeps a best line on what else helps, wherever
    # the card files it ("medicines should come with advice on eating, habits and falls").
    keeps_self_care = self_care_asked(question, first.text, rules)
    # …and a best line naming the first choice that the question asks for keeps its place
    # ("what's usually tried first?": acid-reducing tablets, not a nearly as similar habit).
    names_first_choice = first_choice_named(question, first.text, rules)
    # …and a best line on the circumstance the question names keeps its place ("grommets for
    # recurrent otitis media": the line on recurrent attacks, not first-line pain relief).
    on_asked_context = rules.asked_context(question, first.text)
    # …and a best line on cutting down or stopping, which a question on doing so asks for.
    on_stopping = stopping_asked and bool(rules.stopping_words.search(first.text))
    if (
        frame.ask in (Ask.TREATMENT, Ask.REFERRAL, Ask.RED_FLAGS)
        and redirect
        and not keeps_self_care
        and not names_first_choice
        and not on_asked_context
        and not on_stopping
    ):
        best_section = rules.sections_for(frame.ask)[0]
        # A line written for patients is not set aside for a prescriber's line that only sits
        # in the ask's section ("severe hypertension … managed in the outpatient setting" for
        # "160/100 at the pharmacy, should I go to A&E?"), nor for a line for a group the
        # question does not name ("… and find out you are pregnant").
        pool = [
            c
            for c in candidates
            if c.relevance >= _NEAR_TIE * first.relevance
            and (c.plain or not (audience is Audience.PATIENT and first.plain))
            and not _for_a_group_not_asked(c.text, frame, rules)
        ]
        # …and a line naming the treatment asked about comes first wherever it is filed ("the
        # doctor said no antibiotics. Shouldn't she have them?": the line on when an
        # antibiotic helps, not a first-line line on swabs after treatment).
        naming = [c for c in pool if frame.interventions and intervention_share(c.text, frame)]
        # …and so does a line naming the first choice a question on it asks for ("initial
        # inhaled therapy for new COPD?": "as initial treatment, GOLD recommends …").
        if not naming and not rules.cue("how_it_is_decided").search(question):
            naming = [c for c in pool if first_choice_named(question, c.text, rules)]
        near = naming[:1] or [c for c in pool if c.section == best_section]
        if not near and frame.ask is Ask.RED_FLAGS:
            # A card with no red-flag lines of its own for this story states the alarm
            # features elsewhere ("reflux with trouble swallowing … needs a camera test").
            near = [c for c in pool if find_red_flags(c.text)]
        first = near[0] if near else first
    if frame.ask is Ask.RED_FLAGS:
        first = _on_the_alarm_raised(first, candidates, question)
    defines = rules.cue("defines_a_term")
    if frame.ask in _WHAT_TO_DO_ASKS and defines.search(first.text):
        # "Anything to stop them coming back?" is answered by what to do, not by a nearly as
        # near line on what "recurrent" means.
        first = _nearly_as_good(first, candidates, lambda c: not defines.search(c.text))
    if frame.ask is Ask.DIAGNOSIS and first.section not in (
        *rules.sections_for(Ask.DIAGNOSIS)[:1],
        "pitfalls",  # "ASO titres to diagnose strep throat?": "do not use them" answers
    ):
        # "HbA1c 50 on routine bloods. Can I diagnose type 2 diabetes on this alone?" is
        # answered by the diagnostic criteria, not by a nearly as near line on the HbA1c target.
        # (…not over a line on the circumstance asked about, nor a plain line for a patient
        # over a prescriber's: "told I have disc disease on my X-ray, is my spine crumbling?")
        best = rules.sections_for(Ask.DIAGNOSIS)[0]
        keeps = rules.asked_context(question, first.text) or (
            audience is Audience.PATIENT and first.plain
        )
        if not keeps:
            first = _nearly_as_good(first, candidates, lambda c: c.section == best)
    course = rules.course_words
    if rules.cue("natural_course_asked").search(question) and not course.search(first.text):
        # "Will it heal by itself or will I need an operation?": how it runs untreated first;
        # …of the circumstance the question names ("still fluid behind his eardrum: will it go
        # away?" is not answered by how soon an ear infection gets better).
        # (Only a circumstance lines are about alone: "by itself" is no circumstance.)
        named = [
            rule
            for rule in rules.contexts
            if rule.only_when_asked and rule.favoured_when_asked and rule.question.search(question)
        ]

        def on_its_course(c: Candidate) -> bool:
            in_context = not named or any(rule.as_asked(question, c.text) for rule in named)
            return bool(course.search(c.text)) and in_context

        first = _nearly_as_good(first, candidates, on_its_course)
    # A question on going back (to sport, to work) is answered by a line on going back,
    # whatever section holds the line that outscores it ("stop playing straight away").
    off_ask = first.section not in rules.sections_for(Ask.PROGNOSIS)
    off_ask = off_ask or bool(rules.return_words.search(question))
    outlook = outlook_words(question, rules)
    if frame.ask is Ask.PROGNOSIS and redirect and off_ask and not outlook.search(first.text):
        # "How long does sciatica take to go away?" is answered by the line on its course
        # ("most settles with time"), not by a nearly as similar line comparing surgery; a
        # line from the sections that answer an outlook question keeps its place.
        near = [
            c
            for c in candidates
            if c.relevance >= _NEAR_TIE * first.relevance
            and outlook.search(c.text)
            and not rules.other_context(question, c.text)  # "back to school" for rugby
        ]
        # …the one for the population asked about first ("return to learn … in children").
        for_them = [c for c in near if _addresses_populations(c.text, frame, rules)]
        first = (for_them or near or [first])[0]
    if audience is Audience.PATIENT and intervention_share(first.text, frame) == 0:
        first = _safe_for_population(first, candidates, frame, question)
    # …but on a topic that is all about one group ("acute otitis media in children"), a line
    # for that group is the answer ("high-dose amoxicillin … in children" for its dose).
    groups = READER_GROUPS - {
        rule.population_id
        for rule in rules.populations
        if rules.addresses(rule.population_id, card_title)
    }
    if _for_a_group(first.text, frame, rules, groups):
        # "A child should rest for no more than 2 to 3 days" does not lead an adult's article
        # when a line for everyone answers nearly as well.
        first = _nearly_as_good(
            first, candidates, lambda c: not _for_a_group(c.text, frame, rules, groups)
        )
    chosen = [first]
    for candidate in [c for c in candidates if c is not first][:2]:
        close = candidate.relevance >= _SECOND_LEAD * first.relevance
        same_kind = candidate.plain == first.plain or audience is Audience.CLINICIAN
        # For a population asked about, only statements about that population lead: the
        # under-65 dose must never sit beside the dose for an 80-year-old.
        # …and a question about no group in particular is not answered beside it by a line for
        # a group whose medicines differ ("if you are allergic to penicillin …", "in pregnancy").
        for_population = (
            not _for_a_group_not_asked(candidate.text, frame, rules, medicines_differ=True)
            and not leaves_out(candidate.text, frame)
        ) and all(
            rules.addresses(p, candidate.text)
            if rules.needs_saying(p)
            else not rules.contradicts(p, candidate.text)
            for p in frame.populations
        )
        # …nor may a statement that covers less of the question ("HFpEF" beside "HFrEF").
        covers = topic is None or topic.coverage(candidate.stems) >= topic.coverage(first.stems)
        # …nor one about another line of treatment ("second-line" beside the first-line drug
        # for "which first-line antibiotic?").
        same_line = not another_line_of_treatment(question, candidate.text, frame)
        fits = for_population and covers and same_line and candidate.section == first.section
        if close and same_kind and fits:
            chosen.append(candidate)
            break
    if len(chosen) == 1:
        chosen += _the_line_for_the_reader(first, candidates, frame, audience, question)
    return chosen, [c for c in everyone if c not in chosen]


def _plain_in_its_place(
    lead: Candidate, candidate: Candidate, frame: QuestionFrame, rules: FrameRules
) -> bool:
    """Whether `candidate` is a plain line that can take `lead`'s place for a patient: about the
    same medicines and readers, and naming the treatment asked about if `lead` does
    ("physiotherapy for sciatica?" keeps the line on exercise therapy)."""
    return (
        candidate.plain
        and _same_medicines(lead.text, candidate.text, frame)
        and (
            intervention_share(candidate.text, frame) > 0
            or intervention_share(lead.text, frame) == 0
        )
        and (
            not _addresses_populations(lead.text, frame, rules)
            or _addresses_populations(candidate.text, frame, rules)
        )
    )


def _closer_kidney_bound(candidate: Candidate, frame: QuestionFrame, width: float) -> bool:
    """Whether `candidate` bounds kidney function more closely around the reader's value than a
    range `width` wide, on a medicine asked about."""
    own = kidney_bound_width(candidate.text, frame.kidney_function)
    return own is not None and own < width and intervention_share(candidate.text, frame) > 0


def _the_line_for_the_reader(
    first: Candidate,
    candidates: Sequence[Candidate],
    frame: QuestionFrame,
    audience: Audience,
    question: str,
) -> list[Candidate]:
    """A second line for the reader group the question names (pregnancy, a child) when the leading
    line does not speak of it and one that does scores nearly as well: "28 weeks pregnant …
    can I just drink cranberry juice?" is answered by "cranberry products have not been shown
    to treat bladder infections" and, beside it, "if you are pregnant … you need antibiotics
    straight away", whatever section each comes from."""
    rules = frame_rules()
    # Only the groups a reader belongs to: a line naming "liver transaminases" is no line for
    # someone with cirrhosis, whose caveat must stay.
    named = [p for p in frame.populations if p in READER_GROUPS]
    if not named or all(rules.addresses(p, first.text) for p in named):
        return []
    for candidate in candidates:
        if candidate is first or candidate.relevance < _POPULATION_LEAD * first.relevance:
            continue
        same_kind = candidate.plain == first.plain or audience is Audience.CLINICIAN
        if (
            same_kind
            and all(rules.addresses(p, candidate.text) for p in named)
            and not leaves_out(candidate.text, frame)
            and not rules.other_context(question, candidate.text)
        ):
            return [candidate]
    return []


def _lead_for_population(
    first: Candidate,
    candidates: Sequence[Candidate],
    frame: QuestionFrame,
    question: str,
    agent_asked: bool,
) -> Candidate:
    """`first`, or the line for the population asked about when it scores at least
    `_POPULATION_LEAD` of `first`: "T2DM after an MI: next agent?" is answered by the line for
    people with heart disease (an SGLT2 inhibitor), though a general line on adding one shares
    more words."""
    rules = frame_rules()
    if _addresses_populations(first.text, frame, rules):
        return first

    def fits(c: Candidate) -> bool:
        return (
            _addresses_populations(c.text, frame, rules)
            and c.section in (first.section, *rules.sections_for(frame.ask)[:2])
            and (not agent_asked or names_another_medicine(c.text, frame))
            # …on a medicine the general line names: "SGLT2 inhibitor when eGFR is 18?" is not
            # answered by another drug's eGFR limit, nor "nitrofurantoin for my 78-year-old
            # mother?" by a line on older people's urine tests.
            and _same_medicines(first.text, c.text, frame)
            # …for the circumstance and line of treatment asked about ("first-line drug for a
            # Black man?" is not answered by the step-2 drug for Black people).
            and not rules.other_context(question, c.text)
            and not another_line_of_treatment(question, c.text, frame)
            and not leaves_out(c.text, frame)  # "aged 80 and over" for 70
            # …and a dose for them answers only a dose question ("trial of levothyroxine or
            # monitor?" is not answered by the starting dose for over-65s).
            and (frame.ask is Ask.DOSE or not states_a_dose(c.text))
        )

    return _nearly_as_good(first, candidates, fits, _POPULATION_LEAD)


def _lead_naming_an_agent(
    first: Candidate, candidates: Sequence[Candidate], frame: QuestionFrame
) -> Candidate:
    """ "Next agent?" is answered by a nearly as near line that names one, not by one on how the
    choice is made (one for the population asked about, when `first` is for it)."""
    rules = frame_rules()
    for_them = _addresses_populations(first.text, frame, rules)
    return _nearly_as_good(
        first,
        candidates,
        lambda c: (
            names_another_medicine(c.text, frame)
            and (not for_them or _addresses_populations(c.text, frame, rules))
        ),
    )


def _same_medicines(text: str, other: str, frame: QuestionFrame) -> bool:
    """Whether `other` names one of the medicines `text` names, or `text` names none (those
    the question says were tried left out)."""
    tried = {drug.generic for drug in frame.drugs} if frame.treatment_tried else set()
    named = {drug.generic for drug in find_drugs(text)} - tried
    return not named or bool(named & {drug.generic for drug in find_drugs(other)})


def _for_a_group(
    text: str, frame: QuestionFrame, rules: FrameRules, groups: frozenset[str]
) -> bool:
    """A line for a group the question does not name: children, pregnancy (`groups`), or men
    only ("men with a bladder infection …" does not lead "does a urine infection go away on
    its own?")."""
    if for_a_special_group(text, frame, rules, groups):
        return True
    only_men = rules.addresses("male", text) and not rules.addresses("female", text)
    return only_men and not frame.populations


def _addresses_populations(text: str, frame: QuestionFrame, rules: FrameRules) -> bool:
    """Whether `text` speaks of every asked population whose care differs (children, …)."""
    wanted = [p for p in frame.populations if rules.needs_saying(p)]
    return bool(wanted) and all(rules.addresses(p, text) for p in wanted)


def _for_a_group_not_asked(
    text: str, frame: QuestionFrame, rules: FrameRules, *, medicines_differ: bool = False
) -> bool:
    """A line for one group (people over 80, pregnancy) when the question names none: the
    target for people over 80 is not the reader's target. With `medicines_differ`, only the
    groups whose medicines differ count ("if you are allergic to penicillin …", pregnancy)."""
    return not frame.populations and any(
        (rule.own_medicines or not medicines_differ) and rules.addresses(rule.population_id, text)
        for rule in rules.populations
    )


def _safe_for_population(
    first: Candidate, candidates: Sequence[Candidate], frame: QuestionFrame, question: str
) -> Candidate:
    """`first`, unless it is medicine advice for adults in general and the question is about
    people for whom it may be wrong (pregnancy, children, weak kidneys) and whom no statement
    here speaks of: then the best first-line care without medicines leads, and the caveat above
    it says that the sources do not cover them. "Start on two medicines together" must not
    be a patient's answer to "which blood pressure tablets are safe at 30 weeks pregnant?".
    (Only for patients, and not when the line is about the medicine they named: a clinician
    reads general advice under the caveat as general, and an answer about another thing than
    the drug asked about answers nothing.)"""
    rules = frame_rules()
    unaddressed = [
        p
        for p in frame.populations
        if rules.population(p).own_medicines
        and not any(rules.addresses(p, c.text) for c in candidates)
    ]
    if not unaddressed or not _about_medicines(first):
        return first
    # The care that needs no medicine ("keep moving", "no food 2 to 3 hours before bed"), the
    # part of the general advice that carries over; any other line would answer nothing.
    # …on the circumstance the question names first, wherever the card files it ("can he do PE
    # at school?": a warm-up and regular training make exercise symptoms less likely).
    relevant = [
        c
        for c in candidates
        if not _about_medicines(c) and c.relevance >= _RELEVANCE_FLOOR * first.relevance
    ]
    on_asked_context = [c for c in relevant if rules.asked_context(question, c.text)]
    without_medicines = on_asked_context or [c for c in relevant if c.section == "first_line"]
    return without_medicines[0] if without_medicines else first


_MEDICINE_SECTIONS = frozenset(
    {"medicines", "side_effects", "interactions", "warnings", "special_populations"}
)


def _about_medicines(candidate: Candidate) -> bool:
    return (
        candidate.section in _MEDICINE_SECTIONS
        or speaks_of_medicines(candidate.text)
        or bool(find_drugs(candidate.text))
    )


def _names_the_thing_asked(candidate: Candidate, question: str, rules: FrameRules) -> bool:
    """Whether the statement names what the question puts in the place of the thing asked
    about ("can I go back to *driving*?": "it is wise not to drive for 1 to 2 days")."""
    return any(
        stems and stems <= candidate.stems
        for stems in (set(content_stems(phrase)) for phrase in slot_phrases(question, rules))
    )


def _names_kind_asked(stems: frozenset[str], frame: QuestionFrame) -> bool:
    """Whether a statement names the kind of treatment a multi-word one asked about is ("would
    steroid injections in my spine help?" is answered by "back injections are not advised")."""
    heads = (content_stems(term)[-1:] for term in frame.interventions if " " in term.strip())
    return any(head and head[0] in stems for head in heads)


def article_title(frame: QuestionFrame, topic_label: str, question: str = "") -> str:
    """A grammatical heading built from the frame: what is asked, about what, for whom."""
    condition = _condition_label(frame, topic_label)
    intervention = _intervention_label(frame, question)
    other = _the_other_medicine(frame, intervention)
    if frame.ask is Ask.INTERACTIONS and intervention and other:
        # "I take sertraline. Is it OK to take zolmitriptan?": both medicines head it, the one
        # the story says the person is on second.
        on_first = find_whole(intervention.split(" (")[0], the_story(question), ignore_case=True)
        first, second = (other, intervention) if on_first else (intervention, other)
        return f"Taking {first} with {second}"
    template = _TITLES[frame.ask]
    if "{intervention}" in template and not intervention:
        template = _TITLES[Ask.DRUG_CHOICE if frame.ask is Ask.DOSE else Ask.TREATMENT]
    elif "{condition}" in template and not condition and intervention:
        template = (
            "Use of {intervention}"
            if frame.ask is not Ask.GENERAL
            else "Overview of {intervention}"
        )
    title = template.format(condition=condition or "this question", intervention=intervention)
    # One qualifier keeps the title short (the frame lists them all); "in men" or "in women"
    # only where nothing else qualifies it, and only when the question speaks of a man or a
    # woman ("cystitis in a man"): "my brother" says who is asking about, not for whom the
    # article is written.
    rules = frame_rules()
    qualifiers = sorted(
        (
            p
            for p in frame.populations
            if rules.needs_saying(p) or rules.population(p).statement.search(question)
        ),
        key=lambda p: not rules.needs_saying(p),
    )
    qualifier = rules.population(qualifiers[0]).title if qualifiers else ""
    about_drug = frame.ask in (Ask.DOSE, Ask.SIDE_EFFECTS, Ask.INTERACTIONS)
    if about_drug and condition and intervention and condition.lower() != intervention.lower():
        # "… of co-codamol for knee osteoarthritis in older adults", not "… in people with knee
        # osteoarthritis in older adults": one "in" phrase reads; two run on.
        people = frame.ask is not Ask.DOSE and (not qualifier or qualifier.startswith("in people"))
        title += f" in people with {condition}" if people else f" for {condition}"
    if qualifier:
        if " in people with " in title and qualifier.startswith("in people with "):
            # "… in people with gout and heart disease", not "… with gout in people with …".
            qualifier = "and " + qualifier.removeprefix("in people with ")
        title += f" {qualifier}"
    return title[:1].upper() + title[1:]


def _the_other_medicine(frame: QuestionFrame, first: str) -> str:
    """Of two or more medicines named, the first one that is not `first` (by any name)."""
    named = first.lower()
    for drug in frame.drugs:
        if drug.as_written.lower() not in named and drug.generic not in named:
            if drug.as_written.lower() == drug.generic:
                return drug.generic
            # A brand typed in lower case is capitalised, as the first medicine is ("Nurofen").
            other_generic = drug.as_written.lower() in (n.lower() for n in drug.also_called)
            written = drug.as_written if other_generic else drug.as_written[:1].upper()
            written += "" if other_generic else drug.as_written[1:]
            return f"{written} ({drug.generic})"
    return ""


def _intervention_label(frame: QuestionFrame, question: str = "") -> str:
    """The first thing asked about, a medicine by brand and generic: "Eliquis (apixaban)"; not
    one the person is merely on ("78M, AF, CKD 3b, on bisoprolol. Which DOAC?")."""
    if not frame.interventions:
        return ""
    first = (_asked_terms(frame, question) or frame.interventions)[0]
    written = find_whole(first, question, ignore_case=True)
    if written and sum(ch.isupper() for ch in written.group()) >= 2:
        return written.group()  # "DOAC", "SGLT2 inhibitor" as the question writes them
    for drug in frame.drugs:
        if drug.as_written.lower() == first and drug.generic != first:
            # "paracetamol" is another generic name of acetaminophen, not a brand to capitalise.
            other_generic = drug.as_written.lower() in (n.lower() for n in drug.also_called)
            capitalised = drug.as_written != first or other_generic
            brand = drug.as_written if capitalised else drug.as_written.title()
            return f"{brand} ({drug.generic})"
    return first


# "twisted my back", "a knock to the head", "down in the dumps", "back has ached", "achy back":
# the reader's words, not a title's; the card's own name heads the article instead.
_READERS_OWN_WORDS = re.compile(
    r"\b(?:my|his|her|their|our|your|the|a|an|to|on|in|out|up|down|is|are|was|were|been|"
    r"has|have|had|hurts?|ached|aches|aching|achy|feel|feeling|felt|i|when|for|with|"
    r"banged|bumped|knocked|cracked|whacked|bashed|twisted|pulled)\b"
    # …and a short abbreviation typed in lower case ("bp", "uti"), which is no title's word;
    # …and a condition said as what happened to someone ("concussed"), not its name; or as
    # what someone is ("hypertensive", "diabetic", "asthmatic"): "… of hypertensive" reads badly.
    r"|(?-i:^[a-z]{1,3}$)|^\w+ssed$|^\w+(?:tensive|betic|matic|ritic)$",
    re.IGNORECASE,
)


def _as_the_card_spells_it(name: str, topic_label: str) -> str:
    """A misspelt name in the card's spelling: "scaitica" → "sciatica" (see
    `ConditionVocabulary.find`, which reads one slip in a long name)."""
    spelled = {word.lower(): word for word in re.findall(r"[A-Za-z]+", topic_label)}
    fixed = []
    for word in name.split(" "):
        near = [
            right
            for lower, right in spelled.items()
            if len(lower) >= SHORTEST_MISSPELT_NAME
            and (
                one_slip_apart(word.lower(), lower)
                or one_letter_more(stem(word.lower()), stem(lower))
            )
        ]
        fixed.append(near[0] if near and word.lower() not in spelled else word)
    return " ".join(fixed)


def _in_readers_words(name: str) -> bool:
    """A condition named in a reader's words ("hurt my back") or by a part of the body alone
    ("lower back"): the card's own name heads the article instead."""
    if _READERS_OWN_WORDS.search(name):
        return True
    sites = set(frame_rules().body_sites) | {"lower", "upper"}
    return all(word in sites for word in word_tokens(name.lower()))


def _condition_label(frame: QuestionFrame, topic_label: str) -> str:
    not_names = frame.interventions + tuple(frame_rules().not_condition_names)
    # "Statin intolerant after three statins": a card's alias that is the treatment asked
    # about, in any number, names no condition.
    treatments = [set(content_stems(name)) for name in frame.interventions]
    named = [
        c
        for c in frame.conditions
        if c.lower() not in not_names
        and not any(set(content_stems(c)) <= stems for stems in treatments if stems)
    ]
    topic_stems = set(content_stems(topic_label))
    # "Statins for a man with diabetes?": the article's card was named by a word that is no
    # condition's name, and the other condition named is another card's, so the card's own
    # name heads it, not "diabetes" ("Centor" beside "sore throat" names the same card).
    by_another_word = (
        topic_label and len(named) < len(frame.conditions) and len(frame.condition_cards) > 1
    )
    if by_another_word and not any(set(content_stems(n)) & topic_stems for n in named):
        return lower_first(topic_label)
    # The first condition named is what the question is about; in the reader's own words
    # ("a knock to the head") the card's name heads it, not a later symptom ("headache").
    # Of several conditions named, the one the article is about (its card's title) heads it:
    # "bisphosphonate choice with reflux and osteoporosis" is an osteoporosis article.
    named.sort(key=lambda name: not set(content_stems(name)) & topic_stems)
    if named and not (_in_readers_words(named[0]) and topic_label):
        name = named[0]
        # "HFpEF", "COPD" keep their capitals; "Gout" from the start of a question does not;
        # "copd" as the reader typed it takes the card's spelling.
        in_topic = re.search(rf"\b{re.escape(name)}\b", topic_label, re.IGNORECASE)
        name = in_topic.group(0) if in_topic else _as_the_card_spells_it(name, topic_label)
        return name if sum(ch.isupper() for ch in name) >= 2 else name.lower()
    return lower_first(topic_label)


def _reader_groups_not_named(request: ComposeRequest, rules: FrameRules) -> frozenset[str]:
    """The groups a reader may belong to (children, pregnancy, breastfeeding) that neither the
    question nor the card's title names: their lines answer another reader ("pregnant and a
    very bad headache?" is no part of an answer to "190/115 at the chemist, do I need A&E?")."""
    title = request.card_title or request.topic_title
    return frozenset(
        group
        for group in READER_GROUPS
        if not rules.population(group).question.search(request.analysis.question)
        and not rules.population(group).question.search(title)
        and not rules.addresses(group, title)
    )


def _for_someone_else(text: str, frame: QuestionFrame) -> bool:
    """A statement only about women, for a question about a man (or the reverse), or one that
    leaves the asked population out ("for non-pregnant women …" in a pregnancy question): it
    answers another person's question, and a reader could take its regimen for theirs."""
    rules = frame_rules()
    return any(
        rules.contradicts(population, text) or rules.excludes(population, text)
        for population in frame.populations
    )


def _for_asked_population(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` speaks to a population asked about that needs saying (a statement naming
    "men" is not thereby about the man asked about: "a score of 2 in men and 3 in women")."""
    rules = frame_rules()
    if leaves_out(text, frame):
        return False  # "children aged 6 months or older" is not about a 4-month-old
    return any(
        rules.needs_saying(population) and rules.addresses(population, text)
        for population in frame.populations
    )


def _statement(candidate: Candidate) -> Statement:
    return Statement(
        text=candidate.text, passage_ids=tuple(candidate.passage_ids), grade=candidate.grade
    )


def _relevance(
    text: str,
    stems: frozenset[str],
    section: str,
    evidence: Evidence,
    request: ComposeRequest,
    similarity: float | None = None,
    *,
    of_asked_drug: bool = False,
    topic: TopicMatcher | None = None,
) -> float:
    """The statement's score; `similarity` is the sentence's own, when measured, else its
    passage's. Every sentence of the asked drug's own label is about that drug, whether or not
    it repeats the name (`of_asked_drug`), but not about another drug asked about unless it
    names it."""
    features = score_statement(
        text,
        section=section,
        level=evidence.level,
        similarity=(
            similarity
            if similarity is not None
            else request.similarity.get(evidence.passage_id, 0.0)
        ),
        words=(topic or request.topic).coverage(stems),
        frame=request.frame,
        question=request.analysis.question,
        source=f"{evidence.document.source} {evidence.document.title}",
    )
    if of_asked_drug:
        # The label's own drug is named by every sentence of it; another drug asked about
        # ("ibuprofen with apixaban?") still has to be named: the line on NSAIDs and bleeding
        # answers, the one on reversal agents does not.
        asked = request.frame.interventions
        with_title = intervention_share(f"{text} {evidence.document.title}", request.frame)
        share = max(with_title, 1 / len(asked)) if asked else 1.0
        features = dataclasses.replace(
            features,
            intervention=share,
            both_drugs=names_both_drugs(share, request.frame, text),
        )
    return features.total


def lower_first(text: str) -> str:
    """A title used mid-sentence: "Sciatica in adults" → "sciatica in adults" (not "AF …").
    A name in title case ("Irritable Bowel Syndrome", a consumer-health page's topic) is left
    as it is: lowering only its first letter would give "irritable Bowel Syndrome", and lowering
    every word would wrong the proper names in "Down Syndrome" or "Crohn's Disease"."""
    words = text.split()
    if len(words) > 1 and all(word[:1].isupper() for word in words):
        return text
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
