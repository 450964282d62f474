"""`ExtractiveGenerator`: the default, model-free generator.

Every statement is a passage's own sentence (a card statement is one sentence already), so the
verifier can prove support word for word. The generator's work is choosing: which sentences are
on the question's topic, which section each belongs in, which of near-duplicates to keep, and the
order — strength of evidence (guideline > systematic review > trial > other), then relevance,
then recency. Which one or two statements lead the article as its bottom line is
`bottom_line.py`'s choice.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import (
    SHORTEST_MISSPELT_NAME,
    FrameRules,
    asked_interventions,
    asked_sentences,
    find_interventions,
    frame_rules,
    leaves_out,
    one_letter_more,
    one_slip_apart,
    ruled_out_medicines,
    the_story,
    treated_with,
    without_lookalikes,
)
from bedside.analyse.terms import content_stems, find_whole, stem, word_tokens
from bedside.compose.base import ComposeRequest, TopicMatcher
from bedside.compose.bottom_line import choose_bottom_line
from bedside.compose.candidate import RELEVANCE_FLOOR, Candidate
from bedside.compose.glossary import Glossary
from bedside.compose.plain_language import is_clinician_only
from bedside.compose.ranking import (
    DISTINCTIVE_WEIGHT,
    READER_GROUPS,
    distinctive_shares,
    for_a_special_group,
    for_asked_population,
    intervention_share,
    named_share,
    names_a_drug,
    names_both_drugs,
    score_statement,
)
from bedside.compose.readability import flesch_kincaid_grade
from bedside.compose.sections import (
    answered_question_section,
    classify_sentence,
    heading,
    is_caveat,
    label_section,
)
from bedside.domain import (
    Ask,
    Audience,
    DocumentKind,
    Draft,
    DraftSection,
    DrugName,
    Evidence,
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
# Statements below the bottom line that an article keeps however narrow the question.
_FEWEST_FOR_AN_ARTICLE = 3
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
    Ask.PREVENTION: "Prevention of {condition}",
    Ask.MONITORING: "Monitoring and follow-up of {condition}",
    Ask.GENERAL: "Overview of {condition}",
}
# The concise article stops at this many bullets, after those below `RELEVANCE_FLOOR` are cut
# (the seed articles have 10 to 16).
_MAX_STATEMENTS = 14


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
        rest = _without_restated_pitfalls(lead, rest, request.vectors, request.audience)
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
        floor = RELEVANCE_FLOOR * best if request.concise else float("-inf")
        relevant = [c for c in candidates if c.relevance >= floor]
        if request.concise:
            relevant = _on_the_medicines_taken_together(
                relevant, lead, request.frame, _label_passages(request)
            )
            relevant = _for_the_group_asked(relevant, request.frame)
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


# Groups for whom advice to adults in general may be wrong, not just less precise: a first-line
# drug for adults (an ACE inhibitor) can be one to stop in pregnancy.
_GENERAL_ADVICE_MAY_NOT_HOLD = frozenset({"pregnancy", "breastfeeding"})


def _for_the_group_asked(candidates: list[Candidate], frame: QuestionFrame) -> list[Candidate]:
    """For "28 weeks pregnant, BP 150/100: what is safe?", when the sources speak of that group
    often enough to fill an article, only what they say of it: the adult steps (an ACE
    inhibitor at step 1, a target of 130/80) are not advice for her, whatever their rank."""
    groups = _GENERAL_ADVICE_MAY_NOT_HOLD.intersection(frame.populations)
    if not groups:
        return candidates
    rules = frame_rules()
    speaking = [
        c
        for c in candidates
        if not leaves_out(c.text, frame) and any(rules.addresses(g, c.text) for g in groups)
    ]
    if len(speaking) < _FEWEST_FOR_AN_ARTICLE:
        return candidates
    return speaking


def _label_passages(request: ComposeRequest) -> frozenset[str]:
    """The passages from the drug labels of the medicines the question names: a label speaks
    of its own drug even where a sentence does not name it ("NSAIDs increase bleeding risk")."""
    names = {n.lower() for drug in request.frame.drugs for n in (drug.as_written, drug.generic)}
    return frozenset(
        item.passage.passage_id
        for item in request.evidence
        if item.document.kind is DocumentKind.DRUG_LABEL and item.document.names_drug(names)
    )


def _on_the_medicines_taken_together(
    candidates: list[Candidate],
    lead: Sequence[Candidate],
    frame: QuestionFrame,
    label_passages: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """For "can I take ibuprofen while on sertraline?" answered by a line on the two together,
    only the statements that name one of them: the rest of the card they meet on (how
    depression is treated, how AF is monitored) is not what was asked."""
    if frame.ask is not Ask.INTERACTIONS or len(frame.drugs) < 2:
        return candidates
    # Every medicine named, the one the person is on too: it is half of what is asked.
    medicines = replace(frame, interventions=tuple(drug.as_written for drug in frame.drugs))
    together = 2 / len(medicines.interventions)
    if not any(named_share(c.text, medicines) >= together for c in lead):
        return candidates
    # …and a line naming one of them by its own name ("a lower dose of apixaban"), not by a
    # class that every line of the card names ("your antidepressant").
    on_them = [
        c
        for c in candidates
        if named_share(c.text, medicines) >= together
        or names_a_drug(c.text, frame.drugs)
        or label_passages.intersection(c.passage_ids)
    ]
    # An article needs a few verified statements (settings.min_statements): the best of the
    # rest make up the number, as they would have led the sections anyway.
    rest = [c for c in candidates if c not in on_them]
    return on_them + rest[: max(0, _FEWEST_FOR_AN_ARTICLE - len(on_them))]


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
    if patient and is_clinician_only(text) and not for_asked_population(text, request.frame):
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
        if for_asked_population(candidate.text, frame) or only_word_on_asked(candidate):
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
        for_population = for_asked_population(candidate.text, frame)
        restated = (
            vector is not None
            and not only_word_on_asked(candidate)
            and any(
                float(vector @ other) >= _RESTATED
                and not _opposite_or_other_number(candidate.text, text, frame)
                and (not for_population or for_asked_population(text, frame))
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


def _without_restated_pitfalls(
    lead: Sequence[Candidate],
    rest: list[Candidate],
    vectors: Mapping[str, Vector],
    audience: Audience,
) -> list[Candidate]:
    """`rest` without a pitfall that restates a recommendation shown before it, or a
    recommendation that restates a pitfall shown before it: "Do not offer spinal injections for
    chronic low back pain without sciatica" and "spinal injections are not clinically or cost
    effective for it" are one fact, said once, in the wording that answers best (the bottom
    line's, else the more relevant). Their words differ too much for `_same_claim`, so
    closeness in meaning decides, and nothing that makes facts differ (a number, a medicine,
    a negation) may differ."""
    if not vectors:
        return rest
    shown: list[Candidate] = list(lead)
    for candidate in sorted(rest, key=lambda c: c.sort_key(audience)):
        if not any(_restates_across_the_pitfalls(s, candidate, vectors) for s in shown):
            shown.append(candidate)
    kept = {id(c) for c in shown}
    return [c for c in rest if id(c) in kept]


# Closeness in meaning (cosine of passage embeddings) at which a pitfall and a recommendation
# say one thing.
_PITFALL_RESTATED = 0.85


def _restates_across_the_pitfalls(
    kept: Candidate, other: Candidate, vectors: Mapping[str, Vector]
) -> bool:
    if (kept.section == "pitfalls") == (other.section == "pitfalls") or kept.plain != other.plain:
        return False
    left, right = vectors.get(kept.passage_ids[0]), vectors.get(other.passage_ids[0])
    if left is None or right is None or float(left @ right) < _PITFALL_RESTATED:
        return False
    # (Both say what not to do, or only when to: a pitfall beside a recommendation to do the
    # thing adds a caution, "do not start an SGLT2 inhibitor without checking ketoacidosis
    # risk".)
    if not (_limits_use(kept.text) and _limits_use(other.text)):
        return False
    return _fact_numbers(kept.text) == _fact_numbers(other.text) and _specific_medicines(
        kept.text
    ) == _specific_medicines(other.text)


def _limits_use(text: str) -> bool:
    """Whether `text` says not to do something, or to do it only in some cases."""
    return bool(_NEGATION.search(text) or _ONLY_WHEN.search(text))


_ONLY_WHEN = re.compile(
    r"\bonly (?:when|if|in|for|as|after|within|where)\b|\bexcept\b|\bunless\b|\bapart from\b",
    re.I,
)


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
_NEGATION = re.compile(
    r"\b(not|no|never|without|avoid(?:s|ed|ing)?|against|do not|don't|nor)\b", re.I
)
_QUALIFIER = re.compile(
    r"\b(under|over|older|younger|aged|children|child|adults?|women|men|pregnan\w*|"
    r"kidney|renal|liver|heart|cardiovascular|history of|with|without|first|second|"
    r"before|after|acute|chronic)\b",
    re.I,
)


def _opposite_or_other_number(clinical: str, plain: str, frame: QuestionFrame) -> bool:
    """Whether a plain line near in meaning to a clinical one still says something else: the
    opposite, another number, or another medicine. Plain words drop qualifiers by design
    ("for back pain" for "for people with low back pain"), so those are not compared here.

    A plain line may also drop a threshold the patient does not act on ("nitrofurantoin for 7
    days" for "… for 7 days, provided eGFR is 45 ml/minute or more"), unless a dose or kidney
    function is what the question is about; a dropped dose or duration is another fact.
    """
    clinical_numbers, plain_numbers = _fact_numbers(clinical), _fact_numbers(plain)
    dropped = clinical_numbers - plain_numbers
    drops_only_thresholds = (
        plain_numbers <= clinical_numbers
        and dropped <= _threshold_numbers(clinical)
        and frame.ask is not Ask.DOSE
        and frame.kidney_function is None
    )
    numbers_differ = clinical_numbers != plain_numbers and not drops_only_thresholds
    negation_differs = len(_NEGATION.findall(clinical)) != len(_NEGATION.findall(plain))
    return numbers_differ or negation_differs or not _names_its_medicines(plain, clinical)


# A number that is a limit ("above 1000 micrograms", "eGFR 45 ml/minute or more").
_THRESHOLD = re.compile(
    r"\b(?:above|below|over|under|more than|less than|at least|at most|exceeds?)\s+"
    r"(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)(?:\s*[a-z/%]+){0,2}\s+or\s+(?:more|less|above|below|over)\b",
    re.I,
)


def _threshold_numbers(text: str) -> set[str]:
    return {first or second for first, second in _THRESHOLD.findall(text)}


def _names_its_medicines(plain: str, clinical: str) -> bool:
    """Whether `plain` names every medicine `clinical` names: a plain line on the first-choice
    antibiotic does not restate the clinical line on the second choice, however near."""
    return _specific_medicines(clinical) <= _specific_medicines(plain)


def _specific_medicines(text: str) -> set[str]:
    """The single medicines (not classes) `text` names, by generic name."""
    return {drug.generic for drug in find_drugs(text) if drug.is_specific}


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


_SCREENING = re.compile(r"\bscreen\w*", re.IGNORECASE)


def article_title(frame: QuestionFrame, topic_label: str, question: str = "") -> str:
    """A grammatical heading built from the frame: what is asked, about what, for whom."""
    condition = _condition_label(frame, topic_label)
    intervention = _intervention_label(frame, question)
    if (
        frame.ask is Ask.INTERACTIONS
        and len(frame.drugs) > 1
        and not _a_drug_named(frame, intervention)
    ):
        # "…wait 2 days before antibiotics. can i give calpol and nurofen together": the two
        # medicines asked about together head it, not a treatment the story names first.
        intervention = _the_other_medicine(frame, "")
    other = _the_other_medicine(frame, intervention)
    if frame.ask is Ask.INTERACTIONS and intervention and other:
        # "I take sertraline. Is it OK to take zolmitriptan?": both medicines head it, the one
        # the story says the person is on second.
        on_first = find_whole(intervention.split(" (")[0], the_story(question), ignore_case=True)
        first, second = (other, intervention) if on_first else (intervention, other)
        return f"Taking {first} with {second}"
    template = _TITLES[frame.ask]
    if frame.ask is Ask.DURATION:
        # "Can I just stop the sertraline?" asks about stopping it, not how long a course of
        # treatment lasts (the medicine may be one the story says the person is on).
        on_it = intervention or (_the_other_medicine(frame, "") if len(frame.drugs) == 1 else "")
        if _stopping_the_medicine_asked(frame, on_it, question):
            template, intervention = "Stopping {intervention}", on_it
    if frame.ask is Ask.PREVENTION and _SCREENING.search(question):
        # "Who should be screened for osteoporosis?" is about screening; "migraine prophylaxis"
        # about preventing attacks.
        template = "Screening for {condition}"
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


def _stopping_the_medicine_asked(frame: QuestionFrame, label: str, question: str) -> bool:
    """Whether the asked sentences ask about stopping the medicine `label` names, by its name or,
    when the question names only that medicine, as "it" ("been on sertraline 14 months … can i
    just stop taking it?"); not "should I stop the brown one?" beside a Ventolin named first."""
    asking = " ".join(asked_sentences(question))
    if not label or not frame_rules().stopping_asked.search(asking):
        return False
    if find_whole(label.split(" (")[0], asking, ignore_case=True):
        return True
    return len(frame.drugs) == 1 and bool(_IT.search(asking))


_IT = re.compile(r"\b(?:it|them)\b", re.IGNORECASE)


def _label_names(label: str, drug: DrugName) -> bool:
    """Whether a medicine's `label` ("Nurofen (ibuprofen)") names `drug`, by either name."""
    named = label.lower()
    return drug.as_written.lower() in named or drug.generic in named


def _a_drug_named(frame: QuestionFrame, label: str) -> bool:
    """Whether `label` names one of the medicines the question names (by any name)."""
    return bool(label) and any(_label_names(label, drug) for drug in frame.drugs)


def _the_other_medicine(frame: QuestionFrame, first: str) -> str:
    """Of two or more medicines named, the first one that is not `first` (by any name)."""
    for drug in frame.drugs:
        if not _label_names(first, drug):
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
    # (Not one the question rules out: "NSAID out - colchicine dose?" asks about colchicine.)
    ruled_out = {stem(word) for word in ruled_out_medicines(question)}
    asked = [t for t in _asked_terms(frame, question) if stem(t) not in ruled_out]
    first = (asked or _asked_terms(frame, question) or frame.interventions)[0]
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
    # A clinician's clipped word is said in full: "Anticoag?" → "anticoagulation".
    full = [name for name in frame_rules().also_known_as.get(first, ()) if name.startswith(first)]
    return full[0] if full else first


# "twisted my back", "a knock to the head", "down in the dumps", "back has ached", "achy back":
# the reader's words, not a title's; the card's own name heads the article instead.
_READERS_OWN_WORDS = re.compile(
    r"\b(?:my|his|her|their|our|your|the|a|an|to|on|in|out|up|down|is|are|was|were|been|"
    r"has|have|had|hurts?|ached|aches|aching|achy|feel|feeling|felt|i|when|for|with|"
    r"banged|bumped|knocked|cracked|whacked|bashed|twisted|pulled|clashed|collided|smacked)\b"
    # …and a short abbreviation typed in lower case ("bp", "uti"), which is no title's word;
    # …and a condition said as what happened to someone ("concussed"), not its name; or as
    # what someone is ("hypertensive", "type 2 diabetic", "asthmatic"): "… of hypertensive" reads
    # badly.
    r"|(?-i:^[a-z]{1,3}$)|^\w+ssed$|\b\w+(?:tensive|betic|matic|ritic)$",
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
