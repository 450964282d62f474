"""How well one statement answers the question asked: relevance to the frame, not to the topic.

The score adds up, in this order of weight: the dense similarity of question and statement
(MiniLM cosine, computed by the caller), the share of the question's own words the statement
contains, whether it speaks about the population asked about, whether it names the drug or
procedure asked about, whether its section is one that answers the ask (a dose for a dose
question), and the strength of its evidence; then smaller signals for what the question's
wording asks (the next step after a treatment that failed, self-care when medicines are set
aside, the first choice, a value for a target, going back to school or work) and for its words
that stand together in the statement, and penalties for another kind of the condition or
another line of treatment. The composer then adds a reward for the question's words that few
of the candidate statements hold (`distinctive_shares`). Every part is a plain number in
`StatementFeatures`, so the ranking can be explained to a reviewer.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bedside.analyse.ages import age_ranges
from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import (
    FrameRules,
    asked_interventions,
    frame_rules,
    is_context,
    leaves_out,
    names_a_class,
    without_lookalikes,
)
from bedside.analyse.terms import content_stems, find_whole
from bedside.domain import Ask, DrugName, EvidenceLevel, QuestionFrame

WORDS_WEIGHT = 0.2
POPULATION_WEIGHT = 0.3
INTERVENTION_WEIGHT = 0.3
SECTION_WEIGHT = 0.15
DOSE_WEIGHT = 0.1
# "What blood pressure should I be aiming for at home?" is answered by the line with the value
# ("below 130/80"), however many words the lines on measuring at home share with it.
TARGET_WEIGHT = 0.35
# "What causes the leg pain in sciatica?": as for a target, only a line on causes answers.
CAUSE_WEIGHT = 0.35
LEVEL_WEIGHT = 0.01
_CLASS_WORD = 0.4
# A statement that names another population than the one asked about ("adults under 65" for an
# 80-year-old) answers a different question.
OTHER_POPULATION_PENALTY = 0.1
# A statement only about another kind of the condition (HFrEF for an HFpEF question) answers a
# different question, whatever words it shares with this one.
OTHER_SUBTYPE_PENALTY = 0.3
# A line that says its guideline has been superseded gives way to the current guideline's line
# on the same point ("the 2018 guideline … (since superseded by the 2026 guideline)").
SUPERSEDED_PENALTY = 0.1
_SUPERSEDED = re.compile(r"\bsuperseded by\b", re.IGNORECASE)
# "First-line treatment for cystitis?" is not answered by a line that calls a drug second-line.
OTHER_LINE_PENALTY = 0.15
# "Is my inhaler safe in pregnancy?" is not answered by a line on using one before exercise.
OTHER_CONTEXT_PENALTY = 0.15
# "When can he go back to rugby?" is answered by the steps back to sport, which share fewer of
# its words than the line on going back to school.
ASKED_CONTEXT_WEIGHT = 0.15
# "No better after three days on amoxicillin — what now?" is answered by what to do when the
# first treatment fails ("if not better after 2 to 3 days, re-examine"), not by the first-line drug.
NEXT_STEP_WEIGHT = 0.15
# "Apart from tablets, what should I do?" is answered by what people do for themselves.
SELF_CARE_WEIGHT = 0.2
# "Initial therapy for COPD?" is answered by the line that names the first choice.
FIRST_CHOICE_WEIGHT = 0.2
# "When is surgery indicated for a disc herniation?" is answered by the line that says when
# ("after 6 to 8 weeks with no improvement", "when non-surgical treatment has failed"), not by a
# trial of surgical candidates that shares more of its words.
INDICATION_WEIGHT = 0.2
# "Can ibuprofen be taken with apixaban?" is answered by the line that names both (the NSAID
# line of the apixaban label), not by a line of the same label on reversal agents.
BOTH_DRUGS_WEIGHT = 0.2
# "How often should TSH be checked?" is answered by the line that gives a frequency.
FREQUENCY_WEIGHT = 0.2
# "Is esomeprazole safe to take for years?" is answered by the line on its safety, however near
# in words a line on when to take it is.
HARMS_WEIGHT = 0.2
# "What time of day should I take omeprazole?" is answered by the line that says when.
TIMING_WEIGHT = 0.2
# Words of the question that stand together in the statement too ("after a first gout flare")
# say more than the same words scattered through it ("when urate-lowering therapy for gout …").
PHRASE_WEIGHT = 0.1
_PAIR_WEIGHT = 0.5
# A line whose age band holds the age asked ("children aged 6 to 23 months" for an
# 18-month-old) fits the person better than one for all children: half a population more.
_AGE_BAND_WEIGHT = 0.5
# "… per NICE?" is answered first by NICE's line (its source's name, not only its words), when
# another body's is nearly as near.
ISSUER_WEIGHT = 0.15
# Reward for holding the question's words that few of the candidate statements hold.
DISTINCTIVE_WEIGHT = 0.2

_DURATION = re.compile(
    # "5 days", "3 to 6 months", and the adjective "a 5-day course"
    r"\b\d+(?:\.\d+)?(?:\s*|-)(?:to \d+(?:\s*|-))?(?:hours?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_DOSE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:to \d+(?:\.\d+)?\s*)?(?:mg|micrograms?|mcg|g|grams?|units?|ml|"
    r"micrograms per kg|mg/kg)\b(?!/)",  # "mg/dL" is a blood level, not a dose
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StatementFeatures:
    """What is scored about one statement (kept for the provenance)."""

    similarity: float
    words: float
    population: float
    intervention: float
    section: float
    dose: float
    level: float
    other_subtype: float = 0.0  # 1.0 when the statement is only about another kind
    other_line: float = 0.0  # 1.0 when it is about another line of treatment than the one asked
    other_context: float = 0.0  # 1.0 when it is about a circumstance the question does not name
    asked_context: float = 0.0  # 1.0 when it is about a circumstance the question names
    next_step: float = 0.0  # 1.0 when a treatment was tried and it says what to do next
    self_care: float = 0.0  # 1.0 when medicines are set aside and it says what else helps
    first_choice: float = 0.0  # 1.0 when the first choice is asked and it names one
    phrases: float = 0.0  # share of the question's word pairs the statement holds as pairs
    target: float = 0.0  # 1.0 when a target is asked and it gives a value to aim for
    indication: float = 0.0  # 1.0 when it is asked when a treatment is due and it says when
    both_drugs: float = 0.0  # 1.0 when two medicines are asked about together and it names both
    superseded: float = 0.0  # 1.0 when it says its guideline has been superseded
    frequency: float = 0.0  # 1.0 when it is asked how often and it gives a frequency
    harms: float = 0.0  # 1.0 when a medicine's safety is asked and it speaks of harms or safety
    timing: float = 0.0  # 1.0 when it is asked when to take a medicine and it says when
    # 1.0 when the question asks for a body's advice and it is theirs, or the reader's
    # country's body's
    issuer: float = 0.0
    cause: float = 0.0  # 1.0 when it is asked what causes the condition and it names a cause

    @property
    def total(self) -> float:
        return (
            self.similarity
            + WORDS_WEIGHT * self.words
            + POPULATION_WEIGHT * self.population
            + INTERVENTION_WEIGHT * self.intervention
            + SECTION_WEIGHT * self.section
            + DOSE_WEIGHT * self.dose
            + LEVEL_WEIGHT * self.level
            - OTHER_SUBTYPE_PENALTY * self.other_subtype
            - OTHER_LINE_PENALTY * self.other_line
            - OTHER_CONTEXT_PENALTY * self.other_context
            + ASKED_CONTEXT_WEIGHT * self.asked_context
            + NEXT_STEP_WEIGHT * self.next_step
            + SELF_CARE_WEIGHT * self.self_care
            + FIRST_CHOICE_WEIGHT * self.first_choice
            + PHRASE_WEIGHT * self.phrases
            + TARGET_WEIGHT * self.target
            + INDICATION_WEIGHT * self.indication
            + BOTH_DRUGS_WEIGHT * self.both_drugs
            + FREQUENCY_WEIGHT * self.frequency
            + HARMS_WEIGHT * self.harms
            + TIMING_WEIGHT * self.timing
            + ISSUER_WEIGHT * self.issuer
            + CAUSE_WEIGHT * self.cause
            - SUPERSEDED_PENALTY * self.superseded
        )


def score_statement(
    text: str,
    *,
    section: str,
    level: EvidenceLevel,
    similarity: float,
    words: float,
    frame: QuestionFrame,
    question: str = "",
    rules: FrameRules | None = None,
    source: str = "",
) -> StatementFeatures:
    """The relevance features of one statement to the question's frame (and, for the kind of
    condition it names, to the question's words); `source` names its issuer and title."""
    rules = rules or frame_rules()
    # A treatment that cannot be taken asks for the alternative; one that did not work, for
    # what to do next (a review, the second line).
    wanted = rules.if_unsuitable if rules.cannot_take.search(question) else rules.next_step
    next_step = frame.treatment_tried and bool(wanted.search(text))
    if frame.treatment_tried and rules.cue("another_medicine_asked").search(question):
        # "Next agent?" is answered by a line naming another medicine than the one tried,
        # not by one on raising its dose or switching its form.
        next_step = names_another_medicine(text, frame)
    # After a treatment that failed or cannot be taken, naming it is no credit: "many people
    # with AF need a blood thinner" does not answer someone who cannot have one; the line on
    # what to do when it cannot be used does.
    credited = not frame.treatment_tried or next_step
    which_asked = bool(rules.first_choice_asked.search(question))
    # The share of the asked drugs and procedures the statement names, read once: several
    # features below weigh it.
    share = intervention_share(text, frame)
    return StatementFeatures(
        similarity=similarity,
        words=words,
        population=-OTHER_POPULATION_PENALTY / POPULATION_WEIGHT
        if for_people_the_question_rules_out(question, text)
        else _population_credit(text, frame, rules, share),
        intervention=(intervention_share(text, frame, True) if which_asked else share)
        if credited
        else 0.0,
        section=section_fit(section, frame.ask, rules),
        dose=_asked_amount(text, frame.ask, rules, question),
        level=float(level),
        other_subtype=1.0 if question and rules.other_subtype(question, text) else 0.0,
        other_line=1.0
        if another_line_of_treatment(question, text, frame) or _only_what_was_tried(text, frame)
        else 0.0,
        other_context=1.0 if question and rules.other_context(question, text) else 0.0,
        asked_context=1.0
        if question
        and (rules.asked_context(question, text) or on_the_same_treatment(question, text))
        else 0.0,
        next_step=1.0 if next_step else 0.0,
        self_care=1.0 if self_care_asked(question, text, rules) else 0.0,
        first_choice=1.0 if credited and first_choice_named(question, text, rules) else 0.0,
        phrases=phrase_share(question, text),
        target=1.0 if target_asked(question) and states_a_target(text) else 0.0,
        indication=1.0 if credited and _says_when(question, text, frame, rules) else 0.0,
        both_drugs=names_both_drugs(share, frame, text),
        frequency=1.0 if frequency_asked(question) and states_a_frequency(text) else 0.0,
        harms=1.0 if _harms_of_the_asked(text, frame, share) else 0.0,
        timing=1.0 if says_when_to_take(question, text, rules, share) else 0.0,
        issuer=issuer_fit(question, f"{text} {source}", rules),
        cause=1.0 if _says_why(question, text, rules) else 0.0,
        superseded=1.0 if _SUPERSEDED.search(text) else 0.0,
    )


def _population_credit(text: str, frame: QuestionFrame, rules: FrameRules, share: float) -> float:
    """The population match, which a line on another thing's risks does not earn for a
    question on the safety of the one asked about: "is the knee injection safe at 79?" is not
    answered by "do not give NSAIDs to older people" (`share`: the statement's
    `intervention_share`)."""
    match = population_match(text, frame, rules)
    if match and frame.ask is Ask.SIDE_EFFECTS and frame.interventions:
        return match if share > 0 else 0.0
    return match


def _says_why(question: str, text: str, rules: FrameRules) -> bool:
    """Whether the question asks what causes the condition and the statement names a cause,
    or asks what a treatment is for ("why does he need a blood thinner?") and the statement says
    what it prevents."""
    if rules.cause_asked.search(question) and rules.cause_words.search(text):
        return True
    return bool(
        rules.cue("purpose_asked").search(question) and rules.cue("purpose_words").search(text)
    )


def _harms_of_the_asked(text: str, frame: QuestionFrame, share: float) -> bool:
    """Whether `text` speaks of harms, of the thing asked about when one is named (`share`):
    "is the knee injection safe?" is not answered by the risks of NSAIDs."""
    if frame.ask is not Ask.SIDE_EFFECTS or not speaks_of_harms(text):
        return False
    return not frame.interventions or share > 0


_TAKING = re.compile(r"\b(take|takes|taking|taken|tablets?|pills?|medicines?|doses?)\b", re.I)


def says_when_to_take(question: str, text: str, rules: FrameRules, share: float) -> bool:
    """Whether the question asks when to take a medicine and the statement says when to take
    one ("30 to 60 minutes before a meal"), not when to eat ("not for 2 to 3 hours before bed");
    `share` is the statement's `intervention_share`."""
    if not (rules.timing_asked.search(question) and rules.timing_words.search(text)):
        return False
    return bool(_TAKING.search(text)) or share > 0


def names_the_body_asked(question: str, text: str, rules: FrameRules) -> bool:
    """Whether the question asks for a guideline body's advice ("per NICE") and `text` (a
    statement with its source's name and title) is that body's."""
    bodies = rules.cue("issuer_named")
    asked = {match.group() for match in bodies.finditer(question)}
    return bool(asked) and any(match.group() in asked for match in bodies.finditer(text))


def _only_what_was_tried(text: str, frame: QuestionFrame) -> bool:
    """Whether the statement's medicines are all ones the story says were tried and did not
    help ("had Calpol and Nurofen but still screaming": "regular paracetamol or ibuprofen
    eases the pain" offers them again)."""
    if not frame.treatment_tried or not frame.drugs:
        return False
    # …or only their class by its stem's name ("8 weeks of omeprazole twice daily, still
    # symptomatic": "an 8-week proton pump inhibitor trial" offers it again), unless the line
    # is about a treatment that has not worked.
    rules = frame_rules()
    classes = {name for drug in frame.drugs for name in rules.drug_classes(drug.generic)}
    named = {
        drug.generic
        for drug in find_drugs(text)
        if not any(drug.as_written.lower() in name for name in classes)  # "proton pump"
    }
    if named:
        return named <= {drug.generic for drug in frame.drugs}
    return any(find_whole(name, text, ignore_case=True) for name in classes) and not (
        rules.next_step.search(text)
    )


def for_people_the_question_rules_out(question: str, text: str) -> bool:
    """Whether `text` is for people with something the question says the person has not had:
    "no fractures before or during treatment" is not answered by the line for people "with a
    previous or recent fragility fracture"."""
    # …or named further into the "with" clause: "children with acute otitis media and ear
    # discharge (otorrhoea)" is not for a child with "no otorrhoea".
    return any(_for_people_with(stem).search(text) for stem in _ruled_out_by(question))


@functools.lru_cache(maxsize=256)
def _ruled_out_by(question: str) -> frozenset[str]:
    """What the question says the person has not had, as word beginnings or the names sources
    use. Cached: every candidate line of an answer is checked against the same question."""
    words = [
        word.lower()
        for match in _NONE_OF.finditer(question)
        for word in match.groups()
        if word and word.lower() not in _NOT_RULED_OUT
    ]
    # …by the word's first letters, or by what sources call it ("otorrhoea": ear discharge).
    rules = frame_rules()
    ruled_out = {word[:6] for word in words} | {
        name for word in words for name in rules.names_used_for(word)
    }
    # …and a clinician's capitals: "no DM" is not answered by the line "for adults with type 2
    # diabetes".
    ruled_out |= {_SHORTHAND_DENIED[m[1]] for m in _NO_SHORTHAND.finditer(question)}
    return frozenset(ruled_out)


@functools.lru_cache(maxsize=1024)
def _for_people_with(stem: str) -> re.Pattern[str]:
    """A line's "with …" (or "when …") clause naming `stem`, compiled once."""
    return re.compile(_WITH_A + _THE_WITH_CLAUSE + re.escape(stem), re.IGNORECASE)


# "no fractures", "no previous fracture", "no history of falls", "no alarm sx", "no night
# waking" (a word of five letters or more, so that "no CKD" or "no, …" rule out nothing by
# accident; a second word when it names a happening, as "waking" does).
_NONE_OF = re.compile(
    r"\bno (?:previous |prior |history of |past )?([a-z]{5,})(?:\s+([a-z]{3,}ing)\b)?",
    re.IGNORECASE,
)
# A condition denied in a clinician's capitals, and the word sources use for it.
_SHORTHAND_DENIED = {
    "DM": "diabet", "T2DM": "diabet", "T2D": "diabet", "CKD": "kidney", "HF": "heart failure",
    "COPD": "COPD", "IHD": "heart disease", "CAD": "coronary",
}  # fmt: skip
_NO_SHORTHAND = re.compile(r"\bno\s+(?-i:(" + "|".join(_SHORTHAND_DENIED) + r"))\b")
# Words after "no" that name nothing a line could be for ("no other symptoms", "no worse").
_NOT_RULED_OUT = frozenset({"other", "worse", "better", "longer", "doubt", "where", "later"})
# The words of a "with" clause up to the one ruled out: a few, or a bracketed list and what
# follows it ("people with complicated GERD (such as … peptic stricture), Barrett's
# oesophagus"), never past the clause's verb ("should", "advises").
_THE_WITH_CLAUSE = (
    r"(?:(?!(?:should|must|may|advises?|recommends?|is|are)\b)\(?[\w'-]+\)?,?\s+){0,16}?\(?"
)
# "with a previous or recent fragility fracture", "who have had a fracture"
_WITH_A = (
    # ("who is highly symptomatic (for example, waking at night)" is for people with it too)
    # (…and "when leg pain from a compressed nerve root (sciatica) comes with …" is for people
    # with sciatica.)
    r"\b(?:with|when|who (?:have|has) had|who (?:is|are)(?= (?:highly|very))) (?:an? )?"
    r"(?:(?:previous|recent|prior|or|history of|fragility|low-trauma|osteoporotic)[ -])*"
)


def issuer_fit(question: str, text: str, rules: FrameRules) -> float:
    """1.0 for the line of the body a question asks for ("per NICE"); naming none, 1.0 for a
    line only the bodies of the reader's country give when the reader speaks as one country's
    ("my GP", "A&E"; "the ER", "Tylenol"). No penalty for the other country's: where it alone
    says what is asked (the AAP on both ears infected under 2), it must still lead."""
    if rules.cue("issuer_named").search(question):
        return 1.0 if names_the_body_asked(question, text, rules) else 0.0
    uk_reader = bool(rules.cue("uk_reader").search(question))
    us_reader = bool(rules.cue("us_reader").search(question))
    if uk_reader == us_reader:
        return 0.0
    uk = bool(rules.cue("uk_body").search(text))
    us = bool(rules.cue("us_body").search(text))
    return 1.0 if uk != us and uk == uk_reader else 0.0


def names_each_intervention(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` names every drug or procedure of the frame, each by itself: one in a list
    ("such as apixaban, rivaroxaban or warfarin") earns a share below one, and is still named."""
    return bool(frame.interventions) and all(
        intervention_share(text, replace(frame, interventions=(term,))) > 0
        for term in frame.interventions
    )


def names_it_with_another(frame: QuestionFrame, question: str) -> Callable[[str], bool]:
    """Whether a text names the medicine asked about with one the person is on ("can I take
    Nurofen?" on amlodipine and ramipril: the line on ibuprofen with ACE inhibitors), or, when
    the question asks about every medicine it names, each of them. Returned as a check, so that
    what is asked is read once for every text tried against it."""
    asked = asked_interventions(frame, question)
    others = tuple(term for term in frame.interventions if term not in asked)
    if not asked and len(frame.drugs) > 1:
        # "on nexium … now on plavix and aspirin. Pharmacist said nexium and plavix not mixing":
        # every medicine is one the person is on, and a line naming two of them is on mixing.
        drugs = [replace(frame, interventions=(drug.as_written,)) for drug in frame.drugs]
        return lambda text: (
            names_each_intervention(text, frame)
            or sum(intervention_share(text, one) > 0 for one in drugs) >= 2
        )
    if not asked or not others:
        return lambda text: names_each_intervention(text, frame)
    asked_frame = replace(frame, interventions=asked)
    others_frame = replace(frame, interventions=others)
    return lambda text: (
        intervention_share(text, asked_frame) >= 1.0 and intervention_share(text, others_frame) > 0
    )


def names_a_drug(text: str, drugs: Sequence[DrugName]) -> bool:
    """Whether `text` names one of `drugs` by one of its own names, not by its class."""
    return any(
        find_whole(name, text, ignore_case=True)
        for drug in drugs
        for name in (drug.as_written, drug.generic, *drug.also_called)
    )


def names_another_medicine(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` names a medicine other than those the question names."""
    asked = {drug.generic for drug in frame.drugs}
    return any(drug.generic not in asked for drug in find_drugs(text))


def names_both_drugs(share: float, frame: QuestionFrame, text: str = "") -> float:
    """1.0 when a question on taking medicines together meets a statement naming all of them
    (`share` is the statement's `intervention_share`: "NSAIDs" names ibuprofen's class, which is
    what a label's interaction line says), or one comparing them ("nitrofurantoin versus
    trimethoprim") meets a statement naming each by name (`text`; a line on "antibiotics" names
    both classes and compares nothing)."""
    if len(frame.interventions) < 2:
        return 0.0
    if frame.ask is Ask.INTERACTIONS:
        return 1.0 if share >= 1.0 else 0.0
    if frame.comparator is None:
        return 0.0
    stems = set(content_stems(text))
    named = all(
        any(
            wanted <= stems
            for name in (term, *frame.other_names(term))
            if (wanted := set(content_stems(name)))
        )
        for term in frame.interventions
    )
    return 1.0 if named else 0.0


def phrase_share(question: str, text: str) -> float:
    """The share of the question's adjacent content-word pairs that stand together in `text`
    (stop words skipped, stems compared)."""
    asked = _word_pairs(question)
    return len(asked & _word_pairs(text)) / len(asked) if asked else 0.0


def _word_pairs(text: str) -> frozenset[tuple[str, str]]:
    stems = content_stems(text)
    return frozenset(itertools.pairwise(stems))


def first_choice_named(question: str, text: str, rules: FrameRules) -> bool:
    """Whether the question asks for the first choice and the statement names one."""
    return bool(rules.first_choice_asked.search(question) and rules.first_choice_words.search(text))


def _says_when(question: str, text: str, frame: QuestionFrame, rules: FrameRules) -> bool:
    """Whether the question asks when a treatment is due and the statement names it with the
    circumstances that call for it."""
    return bool(
        rules.indication_asked.search(question)
        and rules.indication_words.search(text)
        and (not frame.interventions or intervention_share(text, frame) > 0)
    )


def self_care_asked(question: str, text: str, rules: FrameRules) -> bool:
    """Whether the question sets medicines aside and the statement says what else helps."""
    return bool(rules.without_medicines.search(question) and rules.self_care_words.search(text))


# "On LAMA/LABA", "taking LABA plus ICS", "on ramipril + amlodipine": what someone is on.
_ON_TREATMENT = re.compile(
    r"\b(?:on|taking)\s+((?:[A-Za-z][\w-]*(?:\s*(?:/|\+|,|\band\b|\bplus\b)\s*)?){1,4})",
    re.IGNORECASE,
)


def on_the_same_treatment(question: str, text: str) -> bool:
    """Whether the statement is for people on the medicines the question says the person is on
    ("on LAMA/LABA, still exacerbating: next step?" → "for people who continue to have
    exacerbations on LABA plus LAMA …"): the line for their circumstance."""
    # …as the question's story says it ("patient on ICS/LABA", ", on LAMA/LABA"), not "hold off
    # on antibiotics".
    asked = _treatment_the_person_is_on(question)
    return bool(asked) and asked <= _treatment_named(text)


# Scoring asks this of the same question for every candidate statement, and of the same card
# statements question after question; the answer depends only on the text and the bundled rules.
@functools.lru_cache(maxsize=4096)
def _treatment_the_person_is_on(question: str) -> frozenset[str]:
    return frozenset(word for word in _treatment_named(question) if is_context(word, question))


@functools.lru_cache(maxsize=4096)
def _treatment_named(text: str) -> frozenset[str]:
    rules = frame_rules()
    named: set[str] = set()
    for match in _ON_TREATMENT.finditer(text):
        for word in re.split(r"\s*(?:/|\+|,|\band\b|\bplus\b)\s*|\s+", match.group(1)):
            lowered = word.lower()
            if lowered and (names_a_class(lowered, rules) or find_drugs(lowered)):
                named.add(lowered)
    return frozenset(named)


# "Which inhaler first?", "what to start with?": the first step asked in other words.
_FIRST_ASKED = re.compile(
    r"\b(which|what) ([\w-]+ ){0,2}(first|to start( with)?)\b|\bstart (him|her|them|me|with)\b",
    re.IGNORECASE,
)


def another_line_of_treatment(question: str, text: str, frame: QuestionFrame | None = None) -> bool:
    """Whether the question asks for one line of treatment ("first-line") and the statement is
    about another: its first mention of a line ("… are second-line because they are less
    effective than the first-line drugs") is what it says of its own subject. A question whose
    treatment did not work asks past the first line."""
    rules = frame_rules()
    line_of_treatment = rules.cue("line_of_treatment")
    asked = line_of_treatment.search(question)
    stated = line_of_treatment.search(text)
    if not asked and _FIRST_ASKED.search(question) and not (frame and frame.treatment_tried):
        # "Newly diagnosed COPD: which inhaler first?" asks for the first step, as "first-line?"
        # does, and is not answered by what to escalate to.
        return bool(rules.cue("step_one_fails_words").search(text))
    if asked and _line(asked) == "first" and rules.cue("alternative_words").search(text):
        # "… is a conditionally recommended alternative first treatment" is not the first line.
        return True
    if asked and _line(asked) == "first" and rules.cue("step_one_fails_words").search(text):
        # "If step 1 treatment does not control it, add an ARB" is the second step.
        return True
    if not stated:
        return False
    if asked:
        return _line(asked) != _line(stated)
    # "If first-choice prevention is not tolerated or does not work, …" names the first line
    # only as what failed: it is the next line, which a question past the first asks for.
    if rules.cue("step_one_fails_words").search(text):
        return False
    return bool(frame and frame.treatment_tried and _line(stated) == "first")


def _line(match: re.Match[str]) -> str:
    """The line of treatment a `line_of_treatment` match names, in words ("1st" is "first")."""
    word = match.group(1).lower()
    return _ORDINALS.get(word, word)


_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third"}


def excludes_named_condition(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` is said of people without a condition the question names ("for AF
    without heart failure" when the question is about heart failure with AF)."""
    names = {name.lower() for name in frame.conditions}
    names |= {card.replace("-", " ") for card in frame.condition_cards}
    pattern = _without(tuple(sorted(names, key=lambda name: (-len(name), name))))
    return bool(pattern and pattern.search(text))


def excludes_what_is_told(text: str, question: str, rules: FrameRules) -> bool:
    """Whether `text` is said of people without something the question says the person has
    ("men who do not have a catheter" for "78M long-term catheter")."""
    lowered = question.lower()
    for match in _WITHOUT_A.finditer(text):
        word = match.group(1).lower()
        at = lowered.find(word)
        if at >= 0 and not rules.negated_at(lowered, at):
            return True
    return False


# What a line is said of people without: "without", "who do not have".
_SAID_WITHOUT = r"\b(?:without|who (?:do|does) not have) "
# "without a catheter", "who do not have a catheter" (a word of five letters or more).
_WITHOUT_A = re.compile(_SAID_WITHOUT + r"(?:a |an |any )?([a-z][\w-]{4,})", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _without(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """ "without <one of names>", longest name first (compiled once per question, not once per
    statement); None for no names."""
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    # Only "without" and "who do not have": "if you have no gout attacks" is said of people
    # with gout; "adults of Black family origin who do not have type 2 diabetes" is not.
    return re.compile(
        _SAID_WITHOUT + r"(?:a |an |any |known |coexisting )?"
        rf"(?:{alternatives})\b",
        re.IGNORECASE,
    )


def speaks_of_harms(text: str) -> bool:
    """Whether `text` speaks of a medicine's harms or safety ("adverse events", "safety")."""
    return bool(frame_rules().cue("harms_words").search(text))


def states_a_duration(text: str) -> bool:
    """Whether `text` gives a length of time ("5 days", "3 to 6 months"), not only a time to
    review by or a time of day to take it."""
    rules = frame_rules()
    reviewed = rules.cue("review_interval_words").sub("", text)
    return bool(_DURATION.search(rules.cue("when_to_take_words").sub("", reviewed)))


def target_asked(question: str) -> bool:
    """Whether `question` asks for a value to aim for ("target LDL?", "what should my BP be?")."""
    return bool(frame_rules().cue("target_asked").search(question))


def states_a_target(text: str) -> bool:
    """Whether `text` gives a value to aim for ("aiming for LDL below 70", "the goal is to keep
    it below 130/80"): a value alone is often a threshold for acting or a grade."""
    rules = frame_rules()
    return bool(
        rules.cue("target_value_words").search(text) and rules.cue("aim_words").search(text)
    )


def frequency_asked(question: str) -> bool:
    """Whether `question` asks how often ("how often should TSH be checked?")."""
    return bool(frame_rules().cue("frequency_asked").search(question))


def states_a_frequency(text: str) -> bool:
    """Whether `text` gives how often ("every 3 months", "once a year", "annually"), or how
    often is too often ("10 or more days a month")."""
    rules = frame_rules()
    return bool(
        rules.cue("frequency_words").search(text) or rules.cue("how_often_words").search(text)
    )


def states_a_dose(text: str) -> bool:
    """Whether `text` gives an amount of a medicine ("25 to 50 micrograms", "1 g")."""
    return bool(_DOSE.search(text))


def outlook_words(question: str, rules: FrameRules) -> re.Pattern[str]:
    """What a statement answering an outlook question says: going back to work or school when
    that is what is asked, else how the condition runs."""
    return rules.return_words if rules.return_words.search(question) else rules.course_words


def _asked_amount(text: str, ask: Ask, rules: FrameRules, question: str = "") -> float:
    """1.0 when a dose question meets a dose, a duration question a duration, a question on
    the outlook a statement on the course of the condition (or, when it asks about going back
    to work or school, on going back), a prevention question a statement on preventing it, or
    a question on taking a medicine every day a statement on how long to take it, one on
    stepping down or stopping it a statement on doing so, one on how soon it works a
    statement saying how soon, and one on a test a statement on testing."""
    if rules.regular_use_asked.search(question) and rules.length_of_use_words.search(text):
        # "Is it safe to take ibuprofen every day?" is answered by how long to use it for.
        return 1.0
    if rules.stopping_asked.search(question) and rules.stopping_words.search(text):
        # "PPI step-down after 8 weeks?" is answered by the line on trying to stop it.
        return 1.0
    if rules.onset_asked.search(question):
        # "How long before sertraline kicks in?" is answered by how soon it starts to work,
        # not by how long to keep taking it once it has.
        return 1.0 if rules.onset_words.search(text) else 0.0
    if ask is Ask.PROGNOSIS:
        return 1.0 if outlook_words(question, rules).search(text) else 0.0
    if target_asked(question):
        # A value to aim for is scored apart (`target`), whatever the ask's name.
        return 0.0
    if ask is Ask.PREVENTION:
        return 1.0 if rules.prevention_words.search(text) else 0.0
    if ask is Ask.DOSE:
        return 1.0 if states_a_dose(text) else 0.0
    if ask is Ask.DURATION:
        return 1.0 if states_a_duration(text) else 0.0
    if ask is Ask.TEST_OR_IMAGE:
        # "Should I get a bone density test like my wife?" is answered by a line on testing,
        # not by a nearly as near one on treatment after a fracture.
        return 1.0 if rules.cue("test_words").search(text) else 0.0
    return 0.0


# "Some children and adults have ongoing symptoms" is about everyone, not about children.
_EVERYONE = re.compile(r"\b(children and adults|adults and children)\b", re.IGNORECASE)


def for_a_special_group(
    text: str, frame: QuestionFrame, rules: FrameRules, groups: frozenset[str] | None = None
) -> bool:
    """Whether a question that names no group meets a statement written for one whose care
    differs (children, pregnancy, an allergy) and not for everyone; `groups` narrows the
    groups considered."""
    return (
        not frame.populations
        and not _EVERYONE.search(text)
        and any(
            rules.needs_saying(rule.population_id)
            and (groups is None or rule.population_id in groups)
            and rules.addresses(rule.population_id, text)
            for rule in rules.populations
        )
    )


def for_asked_population(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` speaks to a population asked about that needs saying (a statement naming
    "men" is not thereby about the man asked about: "a score of 2 in men and 3 in women")."""
    rules = frame_rules()
    if leaves_out(text, frame):
        return False  # "children aged 6 months or older" is not about a 4-month-old
    return any(
        rules.needs_saying(population) and rules.addresses(population, text)
        for population in frame.populations
    )


# Who the reader is, rather than a condition a statement names as a criterion ("acute kidney
# injury", "chronic kidney disease stage 3 or worse"): a line for one of these does not lead an
# article for someone who named no group.
READER_GROUPS = frozenset({"child", "pregnancy", "breastfeeding", "postpartum"})
_ONLY_WOMEN = frozenset({"pregnancy", "breastfeeding", "postpartum"})


def population_match(text: str, frame: QuestionFrame, rules: FrameRules) -> float:
    """+1 for each asked population the statement addresses; a penalty for another one named,
    for the other of a pair asked about (a statement "in women" for a man), or for ages that
    leave out the age asked about ("aged 80 and over" for a 70-year-old)."""
    if leaves_out(text, frame):
        return -OTHER_POPULATION_PENALTY / POPULATION_WEIGHT
    if not frame.populations:
        if _age_band_holds(text, frame.age_years):
            return _AGE_BAND_WEIGHT  # "under 55" for a 51-year-old
        # A question about no group in particular is not answered first by the line for one
        # ("if you are allergic to penicillin …", "in pregnancy …").
        special = for_a_special_group(text, frame, rules)
        return -OTHER_POPULATION_PENALTY / POPULATION_WEIGHT if special else 0.0
    # Naming men (or women) says less about a statement's fit than naming pregnancy or
    # children: "11% of men and 16% of women" is not advice for a man. Half weight.
    found = sum(
        (1.0 if rules.needs_saying(p) else _PAIR_WEIGHT)
        for p in frame.populations
        if rules.addresses(p, text) or (p == "comorbidity" and names_every_condition(text, frame))
    )
    if found and _age_band_holds(text, frame.age_years):
        found += _AGE_BAND_WEIGHT
    if found:
        # "Nitrofurantoin at an eGFR of 28 in a woman?" is not answered first by the line for
        # pregnant women with that eGFR bound: the reader named no pregnancy.
        # (For a man, "pregnant women and men" is a list of groups that includes him.)
        unasked = READER_GROUPS - set(frame.populations)
        if "male" in frame.populations:
            unasked -= _ONLY_WOMEN
        another_reader = any(rules.addresses(group, text) for group in unasked)
        return found - 1.0 if another_reader else found
    others = any(
        rules.addresses(rule.population_id, text)
        for rule in rules.populations
        if rule.population_id not in frame.populations and rule.conflict is None
    )
    contradicted = any(rules.contradicts(p, text) for p in frame.populations)
    under_age = re.search(r"\b(under|younger than|below) \d+\b", text, re.IGNORECASE)
    asked_older = "older_adult" in frame.populations
    return (
        -OTHER_POPULATION_PENALTY / POPULATION_WEIGHT
        if others or contradicted or (asked_older and under_age)
        else 0.0
    )


def _age_band_holds(text: str, age: float | None) -> bool:
    """Whether `text` bounds whom it is for by an age band with an upper end, and `age` is in
    it ("aged 6 to 23 months" for 1.5 years; "aged 65 or over" is no band)."""
    if age is None:
        return False
    return any(low <= age < high for low, high in age_ranges(text) if high != math.inf)


def names_every_condition(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` names each of the two or more conditions the question names, as the
    question words them or by their cards' names: "HTN in T2DM, which drug first?" is answered
    for its comorbidity by the line for adults with type 2 diabetes starting antihypertensive
    treatment, which says "with comorbidities" nowhere. A long stem inside a word counts
    ("hypertension" in "antihypertensive")."""
    if len(frame.conditions) < 2:
        return False
    stems = set(content_stems(text))

    def named(name: str) -> bool:
        wanted = content_stems(name.replace("-", " "))
        return bool(wanted) and all(
            stem in stems or (len(stem) >= 6 and any(stem in other for other in stems))
            for stem in wanted
        )

    if len(frame.conditions) == len(frame.condition_cards):
        # Each condition by its own words or its card's name ("HFrEF" or "heart failure").
        pairs = zip(frame.conditions, frame.condition_cards, strict=True)
        return all(named(condition) or named(card) for condition, card in pairs)
    # More names than cards ("ABPM … antihypertensive … type 2 diabetes"): as many of the
    # question's names as there are cards, or every card by its own name.
    wanted = max(len(frame.condition_cards), 2)
    return sum(named(c) for c in frame.conditions) >= wanted or (
        len(frame.condition_cards) >= 2 and all(named(card) for card in frame.condition_cards)
    )


def intervention_share(text: str, frame: QuestionFrame, which_asked: bool = False) -> float:
    """Share of the asked drugs and procedures that the statement names; when the question
    asks which one comes first (`which_asked`), a class counts in full only when named by one
    of its drugs."""
    if not frame.interventions:
        return 0.0
    rules = frame_rules()
    # "Tai chi and a walking stick" names no walking.
    stems = set(content_stems(without_lookalikes(text, rules)))
    # A class word ("antibiotics", "blood thinner") says less about which statement answers
    # than a named drug or procedure, so it counts for less, unless the statement names a drug
    # of the class: "which antibiotic?" is answered by "flucloxacillin", not by "an antibiotic".
    weights = (
        _naming_weight(term, stems, rules, which_asked)
        for term in _asked_terms_named(stems, frame, rules)
    )
    return sum(weights) / len(frame.interventions)


def named_share(text: str, frame: QuestionFrame) -> float:
    """Share of the asked drugs and procedures that the statement names, a class word counting
    in full ("opioids" names what "role of opioids?" asks about)."""
    if not frame.interventions:
        return 0.0
    rules = frame_rules()
    named = _asked_terms_named(set(content_stems(without_lookalikes(text, rules))), frame, rules)
    return len(named) / len(frame.interventions)


def _asked_terms_named(stems: set[str], frame: QuestionFrame, rules: FrameRules) -> list[str]:
    """The asked drugs and procedures that a text (its stems) names, by any of their names."""
    return [
        term
        for term in frame.interventions
        if rules.mentions(term, stems, synonyms=frame.other_names(term))
    ]


def _naming_weight(term: str, stems: set[str], rules: FrameRules, which_asked: bool) -> float:
    """1.0 for a drug or procedure; less for a class ("an antibiotic" does not say which),
    unless the question asks which one comes first and the statement names a drug of it
    ("empirical antibiotic for pneumonia?" is answered by "amoxicillin is the first option").

    Elsewhere naming a drug of the class earns no more than the class word: full credit let
    "amoxicillin is first choice" lead "steroids as well as antibiotics?" and "penicillin V for
    how long?" (tried and measured, docs/benchmarks.md)."""
    if not rules.members_of(term):
        return 1.0
    return 1.0 if which_asked and _names_a_member(term, stems, rules) else _CLASS_WORD


def _names_a_member(term: str, stems: set[str], rules: FrameRules) -> bool:
    return any(
        (words := content_stems(member)) and all(word in stems for word in words)
        for member in rules.members_of(term)
    )


def section_fit(section: str, ask: Ask, rules: FrameRules) -> float:
    """1.0 for the section that best answers the ask, less for the next ones, 0 otherwise."""
    wanted = rules.sections_for(ask)
    if section not in wanted:
        return 0.0
    # The section that best answers the ask counts most ("treatment options" start with
    # first-line care, before surgery), the next ones much less.
    return 1.0 / (1 + wanted.index(section))


def distinctive_shares(asked: frozenset[str], statements: Sequence[frozenset[str]]) -> list[float]:
    """For each statement (its word stems), the share of the question's words it holds, each
    word weighted by how few of these statements hold it (an inverse document frequency over
    the candidates, not the corpus).

    Within one card every line names the condition; what singles out the line that answers
    is the question's rarer word ("titres", "test-of-cure", "agitated"), which a sentence
    embedding blurs into the topic.
    """
    count = len(statements)
    held = {word: sum(1 for stems in statements if word in stems) for word in asked}
    weight = {word: math.log((count + 1) / (n + 0.5)) for word, n in held.items() if n}
    total = sum(weight.values())
    if total <= 0:
        return [0.0] * count
    return [sum(w for word, w in weight.items() if word in stems) / total for stems in statements]
