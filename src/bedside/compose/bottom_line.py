"""The bottom line: the one or two statements that most directly answer the question.

The best-ranked statement that fits the reader leads to begin with. Then each stage of `STAGES`,
in order, serves one kind of question ("next agent?", a dose, a story that raises an alarm): when
the lead does not answer it, the stage hands the lead to a line that does and scores nearly as
well (`_nearly_as_good`), so a much less relevant line never leads. A later stage weighs the lead
an earlier one chose. Last, a second line may join the lead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bedside.analyse.ages import age_ranges, excludes_age, outside_every_range
from bedside.analyse.drugs import drug_rules, find_drugs
from bedside.analyse.frame import (
    TITLE_QUALIFIERS,
    FrameRules,
    asked_clauses,
    asked_interventions,
    asked_sentences,
    asked_with_what_it_weighs,
    frame_rules,
    is_context,
    leaves_out,
    named_as_a_reading,
    names_ruled_out,
    ruled_out_medicines,
    slot_phrases,
    the_story,
    title_names,
    treated_with,
)
from bedside.analyse.kidney import (
    excludes_kidney_function,
    kidney_bound_width,
    kidney_ranges,
    names_a_kidney_limit,
)
from bedside.analyse.red_flags import find_red_flags
from bedside.analyse.terms import STOP_WORDS, content_stems, find_whole, stem, word_tokens
from bedside.compose.base import TopicMatcher
from bedside.compose.candidate import RELEVANCE_FLOOR, Candidate
from bedside.compose.ranking import (
    READER_GROUPS,
    another_line_of_treatment,
    excludes_named_condition,
    excludes_what_is_told,
    first_choice_named,
    for_a_special_group,
    for_asked_population,
    for_people_the_question_rules_out,
    frequency_asked,
    intervention_share,
    named_share,
    names_a_drug,
    names_another_medicine,
    names_it_with_another,
    outlook_words,
    says_when_to_take,
    self_care_asked,
    speaks_of_harms,
    states_a_dose,
    states_a_frequency,
    states_a_target,
    target_asked,
)
from bedside.compose.sections import speaks_of_medicines
from bedside.domain import Ask, Audience, QuestionFrame

# A bottom-line statement must score at least this share of the best one to join it, and a
# statement of the ask's own section within this share of the best leads instead of it.
_SECOND_LEAD = 0.92
_NEAR_TIE = 0.8
# Words of a raised alarm's label ("chest pain that may be from the heart") a line shares to be
# on that alarm.
_NAMES_THE_ALARM = 3
_CLOSE_TIE = 0.9
# A line on the circumstance the first asked sentence names ("back for the match Saturday?")
# leads over a more similar line on another part of the story when it scores this much of it.
_ASKED_FIRST_TIE = 0.6
# A line answering the first of two questions ("how long till it goes away?") leads over a line
# on a treatment only the second names ("will I need surgery?") at this share of its score.
_FIRST_QUESTION_TIE = 0.5
# A line naming a medicine to choose leads, when a choice is asked, over a line naming none at
# this share of its score.
_CHOICE_TIE = 0.7
# A line answering a second ask ("… + duration?") joins the lead at this share of its score.
_SECOND_ANSWER = 0.5
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
# A line unfit for the reader gives way to one that fits, unless that one is much less relevant
# (then the article's gap says the sources do not address it).
_SAFE_ENOUGH = 0.5
# Asks answered by what to do, which a line defining a term does not say.
_WHAT_TO_DO_ASKS = frozenset({Ask.TREATMENT, Ask.PREVENTION, Ask.DRUG_CHOICE})


@dataclass(slots=True)
class LeadNotes:
    """What a stage noted of the lead as it then stood, for stages further on that must weigh
    that earlier lead, not the one they are handed (the order was measured that way)."""

    # The lead after the kidney and readings stages names the effect told
    # (`_note_the_effect_told`).
    on_the_symptom: bool = False
    # The lead before the treatment redirect is not about what was asked, and the question's
    # treatment did not fail (`_note_whether_off_what_was_asked`).
    redirect: bool = False


@dataclass(frozen=True, slots=True)
class Asked:
    """What every stage reads: the lines that may lead, the question, its frame and reader, and
    what the question alone settles."""

    candidates: Sequence[Candidate]  # the lines that may lead (`_fitting`), best first
    reader: _Reader
    frame: QuestionFrame
    audience: Audience
    question: str
    card_title: str  # the leading card's title: whom the whole topic is for
    rules: FrameRules
    topic: TopicMatcher | None
    told: tuple[re.Pattern[str], ...]  # the side effects a side-effects question tells of
    agent_asked: bool  # "next agent?" after a treatment tried
    stopping_asked: bool  # "can I stop taking it?"
    mixing_asked: bool  # a medicine asked about taken with something
    # the first asked sentence, and the first asked clause (`asked_clauses`, where a bare "is
    # that right?" is read with the sentence before it); "" when nothing is asked
    first_sentence: str = ""
    first_clause: str = ""
    noted: LeadNotes = field(default_factory=LeadNotes)


Stage = Callable[[Candidate, Asked], Candidate]


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
    asked = _asked(
        candidates, frame, audience, topic=topic, question=question, card_title=card_title
    )
    first = asked.candidates[0]
    for stage in STAGES:
        first = stage(first, asked)
    chosen = [first, *_second_lead(first, asked)]
    return chosen, [c for c in candidates if c not in chosen]


def _asked(
    candidates: Sequence[Candidate],
    frame: QuestionFrame,
    audience: Audience,
    *,
    topic: TopicMatcher | None,
    question: str,
    card_title: str,
) -> Asked:
    """What the stages read, with what the question alone settles worked out once."""
    rules = frame_rules()
    reader = _Reader.of(frame, question, rules)
    return Asked(
        candidates=_fitting(candidates, reader),
        reader=reader,
        frame=frame,
        audience=audience,
        question=question,
        card_title=card_title,
        rules=rules,
        topic=topic,
        told=tuple(rules.symptoms_told(question)) if frame.ask is Ask.SIDE_EFFECTS else (),
        # "Next agent?" is answered by a line that names one.
        agent_asked=bool(
            frame.treatment_tried and rules.cue("another_medicine_asked").search(question)
        ),
        # (…not how long to go on before stopping: "how long to continue before taper?")
        stopping_asked=bool(rules.stopping_asked.search(question))
        and not rules.cue("how_long_before_stopping_asked").search(question),
        mixing_asked=frame.ask is Ask.INTERACTIONS and bool(frame.interventions),
        first_sentence=next(iter(asked_sentences(question)), ""),
        first_clause=next(iter(asked_clauses(question)), ""),
    )


# -- the stages, in the order they run -------------------------------------------------------


def _lead_fitting_the_age(lead: Candidate, asked: Asked) -> Candidate:
    """A reader of an age the lead's ages leave out: a line that fits their age."""
    frame = asked.frame
    if leaves_out(lead.text, frame):
        # Advice "for people aged 80 and over" does not lead for a 70-year-old when a line
        # that fits their age answers nearly as well.
        return _nearly_as_good(lead, asked.candidates, lambda c: not leaves_out(c.text, frame))
    return lead


def _lead_not_ruled_out_by_the_story(lead: Candidate, asked: Asked) -> Candidate:
    """A story that rules out whom the lead is for: a line for people like the reader."""
    question, rules = asked.question, asked.rules
    if rules.cue("not_better_yet_told").search(question):
        # "Two weeks on sertraline, not any happier yet. Should I stop?" is not answered by
        # how long to keep taking it "once you feel better".
        once_better = rules.cue("once_better_words")
        if once_better.search(lead.text):
            lead = _nearly_as_good(lead, asked.candidates, lambda c: not once_better.search(c.text))
    if for_people_the_question_rules_out(question, lead.text):
        # "No trouble swallowing … do I need a camera test?": the line on reflux with trouble
        # swallowing is for someone else; a nearly as near one for no warning signs answers.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: not for_people_the_question_rules_out(question, c.text),
        )
    return lead


def _lead_for_the_population(lead: Candidate, asked: Asked) -> Candidate:
    """A population asked about: its line, at `_POPULATION_LEAD` of the lead's score or more."""
    # "T2DM after an MI: next agent?" is answered by the line for people with heart disease (an
    # SGLT2 inhibitor), though a general line on adding one shares more words.
    frame, rules, question = asked.frame, asked.rules, asked.question
    if _addresses_populations(lead.text, frame, rules):
        return lead

    def fits(c: Candidate) -> bool:
        return (
            (
                _addresses_populations(c.text, frame, rules)
                # …or, of several groups asked, one whose medicines differ that the lead leaves
                # out: "10 weeks after the birth, breastfeeding, on sertraline" is answered by
                # sertraline in breastfeeding, though the line says nothing of the birth.
                or _addresses_a_group_with_own_medicines(c.text, lead.text, frame, rules)
            )
            and c.section in (lead.section, *rules.sections_for(frame.ask)[:2])
            and (not asked.agent_asked or names_another_medicine(c.text, frame))
            # …on a medicine the general line names: "SGLT2 inhibitor when eGFR is 18?" is not
            # answered by another drug's eGFR limit, nor "nitrofurantoin for my 78-year-old
            # mother?" by a line on older people's urine tests.
            and _same_medicines(lead.text, c.text, frame)
            # …for the circumstance and line of treatment asked about ("first-line drug for a
            # Black man?" is not answered by the step-2 drug for Black people).
            and not rules.other_context(question, c.text)
            and not another_line_of_treatment(question, c.text, frame)
            and not leaves_out(c.text, frame)  # "aged 80 and over" for 70
            # …and not a line for another group that needs saying ("during pregnancy" for an
            # 8-year-old girl, whom "female" names).
            and not _for_another_group(c.text, frame, rules)
            # …and a dose for them answers only a dose question ("trial of levothyroxine or
            # monitor?" is not answered by the starting dose for over-65s).
            and (frame.ask is Ask.DOSE or not states_a_dose(c.text))
        )

    return _nearly_as_good(lead, asked.candidates, fits, _POPULATION_LEAD)


def _lead_from_the_leading_card(lead: Candidate, asked: Asked) -> Candidate:
    """A question on two cards' conditions: a line from the card of the one it is about."""
    frame = asked.frame
    lead_card = frame.condition_cards[0] if len(frame.condition_cards) > 1 else None
    if (
        lead_card
        and lead.card_id not in (None, lead_card)
        and not _names_the_condition(lead.text, asked.card_title)
    ):
        # "I'm 72 with COPD … sore throat: do I need antibiotics?": the COPD card's line on
        # antibiotics for a flare-up joins the article, but the sore throat card's answers;
        # the heart failure card's "an SGLT2 inhibitor whether or not the person has type 2
        # diabetes" does answer "T2DM with HFrEF: which class?".
        return _nearly_as_good(lead, asked.candidates, lambda c: c.card_id == lead_card)
    return lead


def _lead_with_the_risk_tool_told(lead: Candidate, asked: Asked) -> Candidate:
    """A score given by its tool's name ("QRISK3 14%"): the line on that tool's score, not a
    nearly as near one on another tool's ("a PREVENT-ASCVD risk of 10% or more")."""
    if not _on_another_risk_tool(lead.text, asked):
        return lead
    told = [tool for tool in asked.rules.risk_tools if tool.search(asked.question)]
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: any(tool.search(c.text) for tool in told) and _for_this_reader(c, asked),
        near=_BOTH_NAMED_TIE,
    )


def _on_another_risk_tool(text: str, asked: Asked) -> bool:
    """Whether `text` sets its advice on another risk tool's score than the one the question
    gives ("PREVENT-ASCVD risk" for "QRISK3 14%")."""
    tools = asked.rules.risk_tools
    told = [tool for tool in tools if tool.search(asked.question)]
    return (
        bool(told)
        and any(tool.search(text) for tool in tools if tool not in told)
        and not any(tool.search(text) for tool in told)
    )


def _lead_naming_an_agent(lead: Candidate, asked: Asked) -> Candidate:
    """ "Next agent?": a nearly as near line that names one, not one on how the choice is made."""
    frame, rules = asked.frame, asked.rules
    if asked.agent_asked and not names_another_medicine(lead.text, frame):
        # (…one for the population asked about, when the lead is for it.)
        for_them = _addresses_populations(lead.text, frame, rules)
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                names_another_medicine(c.text, frame)
                and (not for_them or _addresses_populations(c.text, frame, rules))
            ),
        )
    return lead


def _lead_on_the_swap_asked(lead: Candidate, asked: Asked) -> Candidate:
    """ "Can she just take a baby aspirin instead?": the line on the swap the question names."""
    # (Not the medicine being replaced: "aspirin instead of apixaban" asks about aspirin.)
    # (…in the sentence a bare "evidence?" weighs: "wants to switch to Armour thyroid.
    # evidence?")
    swapped = [
        term
        for sentence in asked_with_what_it_weighs(asked.question)
        if _A_SWAP.search(sentence)
        for term in asked.frame.interventions
        if find_whole(term, _REPLACED.sub(" ", sentence), ignore_case=True)
    ]
    # (…named whole or by its words: "desiccated thyroid" is the line's "desiccated (natural)
    # thyroid extract".)
    words_of_each = [set(content_stems(term)) for term in swapped]

    def names_it(candidate: Candidate) -> bool:
        return any(find_whole(t, candidate.text, ignore_case=True) for t in swapped) or any(
            words and words <= set(content_stems(candidate.text)) for words in words_of_each
        )

    if not swapped or (names_it(lead) and _A_SWAP_LINE.search(lead.text)):
        return lead

    # …not the line on the medicine it would replace ("a lower dose of apixaban"), however
    # near: the swap is what is asked, and a line on it as a swap answers best ("aspirin is
    # not a safe swap for a blood thinner"), over one that names it in passing too (aspirin
    # among the medicines that add to a blood thinner's bleeding).

    as_a_swap = _nearly_as_good(
        lead, asked.candidates, lambda c: names_it(c) and bool(_A_SWAP_LINE.search(c.text))
    )
    if as_a_swap is not lead or names_it(lead):
        return as_a_swap
    # (The one line on what would be swapped to answers, well below the lead on what the
    # person takes now: "do not prescribe … desiccated thyroid extract" for Armour thyroid.)
    return _nearly_as_good(lead, asked.candidates, names_it, near=_ASKED_FIRST_TIE)


_SWAP_WORDS = r"instead|rather than|in place of|swap\w*|substitut\w*"
_A_SWAP = re.compile(
    rf"\b(?:{_SWAP_WORDS}|switch(?:ing)? (?:over )?to|change (?:over )?to)\b", re.I
)
# …and a line on it as a swap may call it an alternative.
_A_SWAP_LINE = re.compile(rf"\b(?:{_SWAP_WORDS}|alternative\w*)\b", re.I)
_REPLACED = re.compile(
    r"\b(?:instead of|rather than|in place of)\s+(?:(?:the|my|her|his|their)\s+)?[\w-]+", re.I
)


def _lead_on_the_thing_asked(lead: Candidate, asked: Asked) -> Candidate:
    """A yes-or-no question on a treatment, or one on mixing medicines: a line that names it."""
    frame = asked.frame
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
    # …and so is a choice between treatments it names ("add empagliflozin or semaglutide?").
    about_the_treatment = (
        frame.yes_no
        or _opens_with_intervention(asked.question, frame)
        or frame.comparator is not None
    )
    # …and so is a question on taking the named drug with something ("Can I take ibuprofen with
    # my blood pressure tablets?" is answered by the line on NSAIDs with those tablets, not by
    # a nearly as near one on when blood pressure is treated).
    named_thing_asked = (about_the_treatment and asks_if_it_helps) or asked.mixing_asked
    # (What the person is on is the story: "on metformin 1 g bd … add empagliflozin or
    # semaglutide?" is not answered by a line on metformin.)
    on_asked = asked_interventions(frame, asked.question)
    of_asked = replace(frame, interventions=on_asked) if on_asked else frame
    # (A choice asked in a circumstance the lead speaks to keeps it: "propranolol vs topiramate
    # vs amitriptyline … planning pregnancy" is answered first by weighing the pregnancy.)
    chosen_in_its_setting = frame.comparator is not None and asked.rules.asked_context(
        asked.question, lead.text
    )
    if (
        named_thing_asked
        and not chosen_in_its_setting
        and intervention_share(lead.text, of_asked) == 0
    ):
        # "Would a steroid nose spray help glue ear?" is answered yes or no by the line that
        # names it, not by a general line on the condition that happens to score a little more
        # (a test or a failing treatment asked about is another question).
        return _nearly_as_good(
            lead, asked.candidates, lambda c: intervention_share(c.text, of_asked) > 0
        )
    drugs = [d for d in frame.drugs if d.as_written in on_asked or d.generic in on_asked]
    if named_thing_asked and frame.yes_no and drugs and not names_a_drug(lead.text, drugs):
        # "Is amoxicillin monotherapy sufficient?" is answered by the line on amoxicillin, not
        # by a nearly as near one that speaks only of "antibiotics".
        return _nearly_as_good(lead, asked.candidates, lambda c: names_a_drug(c.text, drugs))
    return lead


def _lead_choosing_for_the_age_told(lead: Candidate, asked: Asked) -> Candidate:
    """A choice between treatments for someone of a told age ("57M … amlodipine or ramipril
    first-line?"): the line whose age band holds for them says which, not one for everyone."""
    age = asked.frame.age_years
    if age is None or asked.frame.comparator is None or age_ranges(lead.text):
        return lead

    def for_their_age(c: Candidate) -> bool:
        ranges = age_ranges(c.text)
        return bool(ranges) and any(low <= age <= high for low, high in ranges)

    return _nearly_as_good(lead, asked.candidates, for_their_age)


def _lead_on_what_the_first_question_names(lead: Candidate, asked: Asked) -> Candidate:
    """Several treatments asked about in turn ("Pregabalin worth a trial? If not, epidural
    steroid?"): the line on the one the first asked sentence names."""
    frame = asked.frame
    first = asked.first_sentence
    on_asked = asked_interventions(frame, asked.question)
    named_first = tuple(t for t in on_asked if find_whole(t, first, ignore_case=True))
    if not named_first or len(named_first) == len(on_asked):
        return lead
    of_first = replace(frame, interventions=named_first)
    if intervention_share(lead.text, of_first) > 0:
        return lead
    return _nearly_as_good(
        lead, asked.candidates, lambda c: intervention_share(c.text, of_first) > 0
    )


def _on_what_the_first_question_names(lead: Candidate, asked: Asked) -> bool:
    """Whether the lead names a treatment the first asked sentence names, and that sentence
    names no circumstance a line is about ("can I use my inhaler before exercise?" does)."""
    rules = asked.rules
    first = asked.first_sentence
    named_first = tuple(
        t for t in asked.frame.interventions if find_whole(t, first, ignore_case=True)
    )
    # (…one of several treatments named, as `_lead_on_what_the_first_question_names` chose:
    # "care home, dip nit+, no dysuria. Nitrofurantoin?" asks about its one treatment in the
    # circumstance told.)
    several = len(named_first) < len(asked_interventions(asked.frame, asked.question))
    if not several or not intervention_share(
        lead.text, replace(asked.frame, interventions=named_first)
    ):
        return False
    return rules.asked_context(first, lead.text) or not any(
        rules.asked_context(first, c.text) for c in asked.candidates
    )


def _lead_naming_both_medicines(lead: Candidate, asked: Asked) -> Candidate:
    """A question on taking two medicines together: the line that names both."""
    frame = asked.frame
    # (…or a medicine with a supplement the library names no drug: "my levothyroxine with my
    # calcium tablet".)
    named = {*frame.interventions, *(drug.as_written for drug in frame.drugs)}
    if asked.mixing_asked and (len(frame.drugs) > 1 or len(named) > 1):
        # "Can I take ibuprofen with my ramipril for a sore back?" is answered by the one line
        # that names both (NSAIDs with ACE inhibitors harm the kidneys), not by the back pain
        # card's line on ibuprofen: the medicine the reader is on is half of what is asked.
        with_another = _names_the_medicines_mixed(asked)
        if not with_another(lead.text):
            # (…or the one the reader is on: "Nurofen every day? I'm on amlodipine and
            # ramipril" is answered by the line on ibuprofen with ACE inhibitors.)
            return _nearly_as_good(
                lead,
                asked.candidates,
                lambda c: with_another(c.text),
                near=_BOTH_NAMED_TIE,
            )
    return lead


_WEIGHING = re.compile(
    r"\b(or|either|both|than|as well as|as (good|well|effective))\b", re.IGNORECASE
)


def _lead_weighing_medicines_against_the_other(lead: Candidate, asked: Asked) -> Candidate:
    """Medicines set against another kind of treatment ("my GP offered tablets or counselling,
    is one better?"): the line that speaks of both, not one on either alone."""
    frame = asked.frame
    if not asked.rules.cue("medicines_or_another_asked").search(asked.question):
        return lead
    # The other kind is a treatment the question names that is no medicine ("counselling").
    others = tuple(t for t in frame.interventions if not find_drugs(t))
    if not others:
        return lead
    of_others = replace(frame, interventions=others)
    step_one_fails = asked.rules.cue("step_one_fails_words")

    def weighs_both(c: Candidate) -> bool:
        names_medicines = speaks_of_medicines(c.text) or bool(find_drugs(c.text))
        # (…as a first choice, unless one was tried: "your first antidepressant may not help
        # enough … you may switch to talking therapy" weighs them for a later step.)
        first_choice = frame.treatment_tried or not step_one_fails.search(c.text)
        # (…and weighs them: "talking therapy or an antidepressant … both", not "offered a
        # talking therapy course instead" of staying on one.)
        weighs = bool(_WEIGHING.search(c.text))
        return (
            names_medicines
            and first_choice
            and weighs
            and intervention_share(c.text, of_others) > 0
        )

    if weighs_both(lead):
        return lead
    return _nearly_as_good(lead, asked.candidates, weighs_both, near=_BOTH_NAMED_TIE)


def _names_the_medicines_mixed(asked: Asked) -> Callable[[str], bool]:
    """Whether a text names the medicines a question on mixing them asks about (the one asked
    with one the person is on), as a check."""
    frame = asked.frame
    both = replace(
        frame,
        interventions=tuple(
            dict.fromkeys([*frame.interventions, *(d.as_written for d in frame.drugs)])
        ),
    )
    return names_it_with_another(both, asked.question)


def _lead_dosing_the_asked_drug(lead: Candidate, asked: Asked) -> Candidate:
    """A dose question on a named drug: the line giving that drug's dose."""
    frame, candidates = asked.frame, asked.candidates
    if frame.ask is Ask.DOSE and frame.interventions and not _doses_an_asked_drug(lead, frame):
        # "81F, AF, 55 kg. Apixaban dose?" is answered by the apixaban dose, not by a nearly as
        # near line that only says to offer a DOAC (which shares "CHA2DS2-VASc" with the
        # question's story).
        lead = _nearly_as_good(lead, candidates, lambda c: _doses_an_asked_drug(c, frame))
        drugs = frame.drugs
        if not _doses_an_asked_drug(lead, frame) and drugs and not names_a_drug(lead.text, drugs):
            # "on allopurinol 100mg … uric acid 0.45. keep going on same dose?" with no dose
            # stated: the line on that drug by its name (its dose raised to a target), not one
            # on "a medicine to lower uric acid".
            lead = _nearly_as_good(lead, candidates, lambda c: names_a_drug(c.text, drugs))
        if not _doses_an_asked_drug(lead, frame) and intervention_share(lead.text, frame) == 0:
            # "What colchicine dose in CKD?" with no colchicine dose in the sources: the line
            # on colchicine, not another drug's dose ("allopurinol 100 mg or less in CKD").
            lead = _nearly_as_good(
                lead, candidates, lambda c: intervention_share(c.text, frame) > 0
            )
    return lead


def _doses_an_asked_drug(candidate: Candidate, frame: QuestionFrame) -> bool:
    """Whether `candidate` gives a dose of a medicine the question names."""
    return states_a_dose(candidate.text) and intervention_share(candidate.text, frame) > 0


def _lead_on_the_harms_of_the_medicine_told(lead: Candidate, asked: Asked) -> Candidate:
    """A question on a medicine's harms led by a line on another medicine: the line naming
    the one told ("ibuprofen most days for a year, also on ramipril. Is that ok long term?" is
    answered by ibuprofen-type pills and the kidneys, not by codeine)."""
    drugs = asked.frame.drugs
    if asked.frame.ask is not Ask.SIDE_EFFECTS or not drugs or names_a_drug(lead.text, drugs):
        return lead
    if lead.card_id is None:
        return lead  # a sentence of the drug's own label is about it, named or not
    # (…only over a line naming a medicine of another kind: "is omeprazole safe for years?" is
    # answered by who needs acid-reducing tablets, or by doubts on proton pump inhibitors.)
    if not _names_a_medicine_of_another_kind(lead.text, asked.frame, asked.rules):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        # (…a line on its harms may name the groups most at risk, "older people and people with
        # kidney problems", without being for them alone.)
        lambda c: (
            names_a_drug(c.text, drugs)
            and not for_people_the_question_rules_out(asked.question, c.text)
        ),
        near=_BOTH_NAMED_TIE,
    )


def _lead_not_on_a_medicine_not_asked(lead: Candidate, asked: Asked) -> Candidate:
    """A question on the harms of a medicine it names, led by a line on a medicine of another
    kind it does not name: a nearly as near line naming none. "On atorvastatin,
    my legs ache. Is it the statin?" is answered by aches on a statin, not by atorvastatin
    with clarithromycin."""
    # (Only a question on the harms of a medicine it names: an overview or an outlook may be
    # answered by a line on a treatment the question never named.)
    if _keeps_to_the_medicines_asked(lead, asked):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: _keeps_to_the_medicines_asked(c, asked) and _for_this_reader(c, asked),
    )


def _keeps_to_the_medicines_asked(
    candidate: Candidate, asked: Asked, *, in_its_opening: bool = False
) -> bool:
    """Whether `candidate` keeps to the medicines a question on their harms names (always, for
    any other question): a line on atorvastatin with clarithromycin does not. With
    `in_its_opening`, only the line's opening counts: "if a calcium channel blocker makes your
    ankles swell, … a water tablet instead" keeps to it, and names the switch after."""
    frame = asked.frame
    text = _opening(candidate.text) if in_its_opening else candidate.text
    return (
        frame.ask is not Ask.SIDE_EFFECTS
        or not frame.drugs
        or not _names_a_medicine_of_another_kind(text, frame, asked.rules)
    )


def _names_a_medicine_of_another_kind(text: str, frame: QuestionFrame, rules: FrameRules) -> bool:
    """Whether `text` names a medicine the question does not, of a kind none of its medicines
    is ("clarithromycin", an antibiotic, in a line for a question on atorvastatin; naproxen
    beside ibuprofen is the same kind)."""
    asked = {drug.generic for drug in frame.drugs}
    kinds = {kind for generic in asked for kind in rules.names_used_for(generic)}
    # (…nor a word of the asked medicine's kind, read as a medicine: "calcium channel" in "a
    # calcium channel blocker" for amlodipine.)
    kinds_named = [kind for kind in kinds if find_whole(kind, text, ignore_case=True)]
    return any(
        mention.generic not in asked
        and mention.as_written.lower() not in kinds  # "ACE inhibitor" for ramipril
        and not set(rules.names_used_for(mention.generic)) & kinds
        and not any(mention.as_written.lower() in kind for kind in kinds_named)
        for mention in find_drugs(text)
    )


def _lead_on_when_to_take(lead: Candidate, asked: Asked) -> Candidate:
    """A question on when or how a medicine is taken ("I give them all together with his
    breakfast"): the line saying when to take it."""
    frame, question, rules = asked.frame, asked.question, asked.rules

    def says_when(c: Candidate) -> bool:
        return says_when_to_take(
            question, c.text, rules, intervention_share(c.text, frame)
        ) and _first_medicine_is_asked(c.text, frame)

    if not rules.timing_asked.search(question) or says_when(lead):
        return lead
    return _nearly_as_good(lead, asked.candidates, says_when)


def _first_medicine_is_asked(text: str, frame: QuestionFrame) -> bool:
    """Whether the first medicine a line names is one asked about: "how do I take my
    Fosamax?" is not answered by when to take calcium "after your bisphosphonate"."""
    named = find_drugs(text)
    if not named or not frame.drugs:
        return True
    first = named[0].as_written
    # (…by its own name or its class: "take a bisphosphonate tablet" for Fosamax.)
    return names_a_drug(first, frame.drugs) or intervention_share(first, frame) > 0


def _lead_on_the_missed_dose(lead: Candidate, asked: Asked) -> Candidate:
    """ "Forgot my Eliquis this morning: take 2 tonight?": the line on a missed dose of it."""
    rules, drugs = asked.rules, asked.frame.drugs
    if not rules.asks_about_a_missed_dose(asked.question):
        return lead

    def on_a_missed_dose(c: Candidate) -> bool:
        return bool(rules.missed_dose_words.search(c.text)) and (
            not drugs or names_a_drug(c.text, drugs)
        )

    if on_a_missed_dose(lead):
        return lead
    # (The one line that says what to do answers it, however nearer a line on the drug's dose.)
    return _nearly_as_good(lead, asked.candidates, on_a_missed_dose, near=_ASKED_FIRST_TIE)


def _lead_with_how_often(lead: Candidate, asked: Asked) -> Candidate:
    """A question on how often ("using ventolin like 3x a day, is that ok?", "how often is TSH
    checked?"): the line that gives a frequency."""
    if not frequency_asked(asked.question) or states_a_frequency(lead.text):
        return lead
    return _nearly_as_good(lead, asked.candidates, lambda c: states_a_frequency(c.text))


def _lead_with_how_long(lead: Candidate, asked: Asked) -> Candidate:
    """A question on how long to treat ("Oral abx + duration?"): the line giving a course
    length, when nearly as near as one on reviewing or on how soon it improves."""
    rules = asked.rules
    course_length = rules.cue("course_length_words")
    if asked.frame.ask is not Ask.DURATION or course_length.search(lead.text):
        return lead
    if rules.cue("treatment_named_asked").search(asked.question):
        # "Which antibiotic and for how long?" asks which first: its lead stays.
        return lead
    if asked.stopping_asked and rules.stopping_words.search(lead.text):
        # "14 months on sertraline, can I just stop?" is answered by how to stop (step by
        # step), not by how long people usually keep taking it.
        return lead
    drugs = asked.frame.drugs
    if len(drugs) > 1 and sum(names_a_drug(lead.text, [drug]) for drug in drugs) > 1:
        # "On simvastatin, given clarithromycin, the pharmacist said stop the statin?" is
        # answered by the line on the two together, not by how long the antibiotic goes on.
        return lead
    return _nearly_as_good(lead, asked.candidates, lambda c: bool(course_length.search(c.text)))


def _lead_not_on_a_course_length_unasked(lead: Candidate, asked: Asked) -> Candidate:
    """A question that says nothing of how long a course runs ("the doctor says wait two days
    before antibiotics, shouldn't she start them now?"): not led by how many days they take."""
    rules = asked.rules
    course_length = rules.cue("course_length_words")
    if (
        asked.frame.ask is Ask.DURATION
        or not course_length.search(lead.text)
        or rules.cue("course_length_asked").search(asked.question)
    ):
        return lead
    # (…unless the lead is on the very medicine asked about: "38 weeks pregnant, given
    # Macrobid, is that ok?" is answered by the line on nitrofurantoin, course and all.)
    asked_generics = {drug.generic for drug in asked.frame.drugs}
    if any(
        mention.is_specific and mention.generic in asked_generics
        for mention in find_drugs(lead.text)
    ):
        return lead
    return _nearly_as_good(lead, asked.candidates, lambda c: not course_length.search(c.text))


def _lead_on_the_effect_told(lead: Candidate, asked: Asked) -> Candidate:
    """A side effect told ("could it be her tablets?"): the line on the medicine that causes it."""
    told = asked.told
    before_starting = asked.rules.cue("before_starting_words")

    def while_on_it(candidate: Candidate) -> bool:
        # …for someone already taking it: "before you start a statin, ask about muscle aches"
        # does not answer aches two months into one.
        # (…and from the medicines asked about: aches on atorvastatin are not answered by the
        # muscle harm of atorvastatin taken with clarithromycin.)
        return not before_starting.search(candidate.text) and _keeps_to_the_medicines_asked(
            candidate, asked, in_its_opening=True
        )

    def on_the_effect(candidate: Candidate) -> bool:
        return any(symptom.search(candidate.text) for symptom in told) and while_on_it(candidate)

    if not told or on_the_effect(lead):
        return lead
    # "On amlodipine and ramipril, her ankles are swollen: could it be her tablets?" is
    # answered by the line on the medicine that causes swelling, not by a nearly as near one
    # on the other's cough.
    chosen = _nearly_as_good(lead, asked.candidates, on_the_effect)
    if chosen is not lead or not asked.stopping_asked:
        return chosen

    # …and when no line names the effect and stopping is asked ("legs ache all the time on
    # Lipitor, should I just stop it?"), the line on what to do when the medicine gives side
    # effects, not one on how strong a dose is advised.
    def on_its_side_effects(candidate: Candidate) -> bool:
        return bool(_GIVES_SIDE_EFFECTS.search(candidate.text)) and while_on_it(candidate)

    return _nearly_as_good(lead, asked.candidates, on_its_side_effects, near=_CHOICE_TIE)


# A line on what to do when a medicine gives side effects ("if a strong statin gives you side
# effects", "if side effects are not severe"), not one that names the risk of them in passing.
_GIVES_SIDE_EFFECTS = re.compile(
    r"\b(?:gives?|causes?|get|gets|have|has|having)\s+(?:you\s+|them\s+)?side[- ]effects\b"
    r"|\bside[- ]effects\s+(?:are|is)\s+not\s+severe\b"
    r"|\bcan(?:no|')?t\s+(?:tolerate|take)\b",
    re.IGNORECASE,
)


_AN_EFFECT = re.compile(
    r"\b(?:can|may|might|could|often|sometimes)\s+(?:make|cause|give|lead to|trigger)\b"
    # "Gout attacks can be more likely in the first few months after you start …": what
    # happens when a medicine is started.
    r"|\b(?:after|when|once)\s+(?:you\s+|they\s+|people\s+)?(?:first\s+)?(?:start|begin)\w*\b",
    re.IGNORECASE,
)


def _speaks_of_what_it_does(candidate: Candidate) -> bool:
    """Whether a line speaks of a medicine's harms or of what it can cause ("can make your
    muscles ache", "attacks can be more likely after you start it")."""
    return speaks_of_harms(candidate.text) or bool(_AN_EFFECT.search(candidate.text))


def _lead_on_the_harms_asked(lead: Candidate, asked: Asked) -> Candidate:
    """A question on a medicine's harms led by a line that speaks of none: a nearly as near
    line on its side effects. "Atorva 20 -> myalgia, stopped, resolved. Options?" is answered by
    what to do after side effects on a statin, not by who should be offered atorvastatin 20 mg."""
    frame = asked.frame
    if frame.ask is not Ask.SIDE_EFFECTS or not frame.drugs:
        return lead
    if _speaks_of_what_it_does(lead):
        return lead  # "atorvastatin or simvastatin can make your muscles ache"
    if any(symptom.search(lead.text) for symptom in asked.told):
        return lead  # the effect told is the harm ("if your muscles ache on a statin …")
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            _speaks_of_what_it_does(c)
            and _keeps_to_the_medicines_asked(c, asked, in_its_opening=True)
            and _for_this_reader(c, asked)
        ),
    )


def _lead_in_plain_words(lead: Candidate, asked: Asked) -> Candidate:
    """A patient's question: a plain line in the clinical lead's place, when one scores close."""
    frame, rules = asked.frame, asked.rules
    if asked.audience is Audience.PATIENT and not lead.plain:
        # A patient's bottom line is in plain words when a plain line scores close: "your
        # metformin dose may need to be lowered or stopped" over NICE's dose review at 45.
        # (…one for the same readers and medicines: not a general line on how long over the
        # antibiotic for a child.)
        # (…and not one whose limit leaves the reader out: "stop metformin if your eGFR falls
        # below 30" is not the plain twin of a dose review at 45 for an eGFR of 40.)
        kidneys = frame.kidney_function
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                _plain_in_its_place(lead, c, frame, rules)
                and not outside_every_range(kidneys, kidney_ranges(c.text, limits_too=True))
            ),
            near=_CLOSE_TIE,
        )
    return lead


def _lead_with_a_kidney_limit(lead: Candidate, asked: Asked) -> Candidate:
    """A kidney function told, on a medicine asked about, and a lead with no kidney limit: the
    line giving that medicine's limit, whether or not the reader's value is inside it."""
    frame = asked.frame
    if frame.kidney_function is None or not frame.interventions or names_a_kidney_limit(lead.text):
        return lead

    # "81F cystitis, CrCl 25. Nitrofurantoin ok?" is answered by NICE's nitrofurantoin "if eGFR
    # is 45 or more", not by a nearly as near first-line dose that says nothing of the kidneys.
    # (…not a line for people whose kidneys are other than the reader's: "end-stage kidney
    # disease (creatinine clearance below 15)" at 35.)
    def gives_the_limit(candidate: Candidate) -> bool:
        return (
            names_a_kidney_limit(candidate.text)
            and not excludes_kidney_function(candidate.text, frame.kidney_function)
            and intervention_share(candidate.text, frame) > 0
        )

    # A limit that holds the reader's own value ("not recommended below a creatinine clearance
    # of 35" for an eGFR of 24) answers "bisphosphonate ok?" even well below the general line
    # that outscores it on the question's words.
    held = _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            gives_the_limit(c) and kidney_bound_width(c.text, frame.kidney_function) is not None
        ),
        near=_BOTH_NAMED_TIE,
    )
    if held is not lead:
        return held
    return _nearly_as_good(lead, asked.candidates, gives_the_limit)


def _lead_with_the_closer_kidney_bound(lead: Candidate, asked: Asked) -> Candidate:
    """A kidney function told, on a medicine asked about: the limit closest to the reader's."""
    frame = asked.frame
    width = kidney_bound_width(lead.text, frame.kidney_function)
    if width is not None and frame.interventions:
        # "eGFR 27, still the same dose of metformin?" is answered by the limit at 30 (stop),
        # not by a nearly as near one at 45 (review the dose): the closer bound is hers.
        return _nearly_as_good(
            lead, asked.candidates, lambda c: _closer_kidney_bound(c, frame, width)
        )
    return lead


def _lead_with_the_readings_told(lead: Candidate, asked: Asked) -> Candidate:
    """Two or more test results told, on a medicine asked about: the line with their limits."""
    # (Only for a medicine asked about: "K 4.3, eGFR 62, only on furosemide. Which drugs to
    # start?" tells normal values as the story, and is answered by the classes to start.)
    on_asked = asked_interventions(asked.frame, asked.question)
    readings = asked.rules.readings_told(asked.question) if on_asked else []
    if len(readings) > 1 and not any(reading.search(lead.text) for reading in readings):
        # "K+ 5.3, eGFR 32. Start spironolactone?": the line with the limits for the tests
        # told (two or more: one value alone is often only the story), when nearly as near.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: sum(bool(reading.search(c.text)) for reading in readings) > 1,
        )
    return lead


def _lead_with_the_threshold_for_the_reading(lead: Candidate, asked: Asked) -> Candidate:
    """A question about a test result alone ("TSH 7.2, fT4 normal, 78. Treat?"): the line
    giving the value of that test at which something is done."""
    frame = asked.frame
    readings = asked.rules.readings_told(asked.question)
    only_readings = bool(frame.conditions) and all(
        named_as_a_reading(name, asked.question) for name in frame.conditions
    )
    if not readings or not only_readings or any(r.search(lead.text) for r in readings):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: any(r.search(c.text) for r in readings) and bool(_A_NUMBER.search(c.text)),
    )


_A_NUMBER = re.compile(r"\d")


def _note_the_effect_told(lead: Candidate, asked: Asked) -> Candidate:
    """Notes whether the lead names the effect told: later stages keep such a lead in place."""
    told = asked.told
    asked.noted.on_the_symptom = bool(told) and any(symptom.search(lead.text) for symptom in told)
    return lead


def _lead_on_stopping(lead: Candidate, asked: Asked) -> Candidate:
    """A question on stopping or continuing a treatment: the line on stepping it down."""
    rules = asked.rules
    stopping = rules.stopping_words
    on_mixing = asked.mixing_asked and _names_the_medicines_mixed(asked)(lead.text)
    if (
        asked.stopping_asked
        and not stopping.search(lead.text)
        and not asked.noted.on_the_symptom
        # (…not over the line on the two medicines a question on mixing them names: "nexium
        # and plavix not mixing?? should I stop the nexium" is answered by which acid tablet
        # suits someone on clopidogrel.)
        and not on_mixing
    ):
        # "Should the ICS be continued after pneumonia?" is answered by the line on stepping it
        # down, not by a nearly as near one on what to add for people on it.
        # (Only a close one: the line on prophylaxis "and stopping it" does not answer a switch
        # from intravenous to oral; a near one when the sentence that asks is about cutting down
        # or stopping: "fine for 6 months on Fostair. Can I cut down or stop it?")
        asking = " ".join(asked_sentences(asked.question))
        # (…and a lead for the reader's group keeps its place over a line for anyone: "should I
        # stop the sertraline or stop breastfeeding?" is answered by sertraline in
        # breastfeeding, see `_lead_on_the_circumstance_asked_first`.)
        groups = _groups_whose_medicines_it_is_for(lead.text, asked.frame, rules)
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                bool(stopping.search(c.text))
                and groups <= _groups_with_own_medicines(c.text, asked.frame, rules)
            ),
            near=_NEAR_TIE if rules.cue("cut_down_asked").search(asking) else _CLOSE_TIE,
        )
    return lead


def _lead_on_the_medicine_to_stop(lead: Candidate, asked: Asked) -> Candidate:
    """A question on stopping a medicine no line says to stop: the line on the medicine."""
    frame = asked.frame
    if asked.stopping_asked and frame.interventions and intervention_share(lead.text, frame) == 0:
        # "Pregabalin makes me so drowsy. Can I just stop taking it?" with no line on stopping
        # it: the line on the medicine itself ("not advised for sciatica") answers, not a
        # nearly as near one on keeping active.
        return _nearly_as_good(
            lead, asked.candidates, lambda c: intervention_share(c.text, frame) > 0
        )
    return lead


def _lead_with_the_readers_target(lead: Candidate, asked: Asked) -> Candidate:
    """A question on a target: the value for the reader, not an aim or another group's value."""
    frame, rules = asked.frame, asked.rules

    def readers_target(c: Candidate) -> bool:
        # (…on the risk tool the question gives: "QRISK3 14% … target?" is not answered by the
        # LDL goal for a PREVENT-ASCVD risk of 10% or more.)
        return (
            states_a_target(c.text)
            and not _for_a_group_not_asked(c.text, frame, rules)
            and not _on_another_risk_tool(c.text, asked)
        )

    # …but a line on the target for the population asked about ("a relaxed HbA1c target for
    # older or frailer adults") answers a frail 87-year-old's question better than a number
    # for everyone.
    if (
        target_asked(asked.question)
        and not readers_target(lead)
        and not for_asked_population(lead.text, frame)
    ):
        # "Target serum urate on allopurinol?" is answered by the value ("below 6 mg/dL"), not
        # by a nearly as near line that only says to aim for one, nor by the target for
        # another group ("below 150/90 for people over 80").
        return _nearly_as_good(lead, asked.candidates, readers_target)
    return lead


def _lead_on_the_circumstance_named(lead: Candidate, asked: Asked) -> Candidate:
    """A question that names a circumstance ("three times this year"): the line on it."""
    rules, question = asked.rules, asked.question
    # (…not over the line on the very effect told: "on allopurinol and it's flared up again"
    # is answered by flares when it is started, not by what stops attacks coming back.)
    # `noted.on_the_symptom` is the lead's as it stood after the readings stage, not this lead's:
    # the stopping and target stages may have moved it since, and the choice was measured with
    # the earlier lead's answer (`_note_the_effect_told`).
    # (…nor over the asked drug's dose, asked for: "mid-flare now. Start allopurinol now?
    # starting dose, target, prophylaxis?" is answered by the starting dose first.)
    # (…nor over a line on stopping, asked for: "2 pneumonias this year on triple therapy. Stop
    # ICS?" is answered by reviewing the steroid after pneumonia.)
    on_stopping = asked.stopping_asked and bool(rules.stopping_words.search(lead.text))
    # (…nor over a line on what the first question names, when that question names no
    # circumstance: "home readings 142/88 … can I try diet and exercise first?" is answered by
    # healthy habits, not by how home readings are taken.)
    # (…nor over a line on what the medicine asked about does: "started allopurinol two weeks
    # ago and my toe is swollen again" is answered by flares being likelier after starting it.)
    on_its_harms = asked.frame.ask is Ask.SIDE_EFFECTS and _speaks_of_what_it_does(lead)
    if (
        rules.names_a_context(question)
        and not rules.asked_context(question, lead.text)
        and not asked.noted.on_the_symptom
        and not on_its_harms
        and not _answers_the_dose_asked(lead, asked)
        and not on_stopping
        and not _on_what_the_first_question_names(lead, asked)
    ):
        # "I've had cystitis three times this year: what can I do?" is answered by the line on
        # infections that keep coming back, not by a nearly as near line on any infection.
        # …for everyone, unless the question names a group ("past the menopause" is not).
        # (…and not by a line on another medicine's course: "denosumab 6 yrs, wants to stop"
        # keeps the line on stopping denosumab over the bisphosphonate holiday after 5 years.)
        names_it = _names_a_medicine_told(lead.text, asked.frame)
        # (…and a lead on the medicines for the reader's group keeps its place over a line for
        # anyone: "home readings 148/94, I'm 52 and Black: which pill first?" is answered by
        # the first pill for Black adults, not by how home readings confirm the diagnosis.)
        groups = _groups_whose_medicines_it_is_for(lead.text, asked.frame, rules)
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                rules.asked_context(question, c.text)
                and _for_this_reader(c, asked)
                and (not names_it or _names_a_medicine_told(c.text, asked.frame, rules))
                and groups <= _groups_with_own_medicines(c.text, asked.frame, rules)
            ),
        )
    return lead


def _groups_whose_medicines_it_is_for(
    text: str, frame: QuestionFrame, rules: FrameRules
) -> set[str]:
    """The asked groups with medicines of their own that a line on medicines is written for;
    none for a line on anything else ("a child can go back to school bit by bit" keeps no
    line on the steps back to sport out)."""
    on_medicines = bool(find_drugs(text)) or speaks_of_medicines(text)
    return _groups_with_own_medicines(text, frame, rules) if on_medicines else set()


def _groups_with_own_medicines(text: str, frame: QuestionFrame, rules: FrameRules) -> set[str]:
    """The asked groups whose medicines differ (pregnancy, a medicine allergy, Black
    ethnicity) that `text` is written for: named where a line says whom it is for, at its
    opening ("In the UK, adults of Black African … family origin are first offered …"), not
    in a bound further on ("… nitrofurantoin (if eGFR is 45 ml/minute or more)")."""
    opening = text[:_OPENING_CHARACTERS]
    return {
        rule.population_id
        for rule in rules.populations
        if rule.own_medicines
        and rule.population_id in frame.populations
        and rules.addresses(rule.population_id, opening)
    }


# Where a line names whom it is for: its first words.
_OPENING_CHARACTERS = 80


def _names_a_medicine_told(
    text: str, frame: QuestionFrame, rules: FrameRules | None = None
) -> bool:
    """Whether `text` names a medicine the question names, asked about or taken; with
    `rules`, also by the name sources use for its kind ("antibiotics" for nitrofurantoin)."""
    if any(find_whole(name, text, ignore_case=True) for name in frame.drug_names()):
        return True
    stems = set(content_stems(text))
    return rules is not None and any(
        rules.names_used_for(name) and rules.mentions(name, stems) for name in frame.drug_names()
    )


def _answers_the_dose_asked(lead: Candidate, asked: Asked) -> bool:
    """Whether a dose question is led by the asked drug's dose, which no circumstance named
    displaces."""
    return asked.frame.ask is Ask.DOSE and _doses_an_asked_drug(lead, asked.frame)


def _lead_on_the_circumstance_asked_first(lead: Candidate, asked: Asked) -> Candidate:
    """A story asking of several circumstances: the line on the one its first question names."""
    rules = asked.rules
    # (…the first question, where a sentence asks two: "how long till he can play again and
    # should he go to school this week?" asks first about sport)
    asked_first = asked.first_clause
    # (…not over the asked drug's dose, asked for, nor over a line on stopping it when that is
    # asked, as in `_lead_on_the_circumstance_named`: "gout in his toe again, on allopurinol
    # 300, should he stop it til the flare is gone?" is answered by keeping it going.)
    on_stopping = asked.stopping_asked and bool(rules.stopping_words.search(lead.text))
    if (
        asked_first
        and rules.names_a_context(asked_first)
        and not rules.asked_context(asked_first, lead.text)
        and not _answers_the_dose_asked(lead, asked)
        and not on_stopping
    ):
        # "… The coach wants him back for the match this Saturday: is that OK? And should he be
        # at school?" asks first about sport: the line on the steps back to sport answers it,
        # though lines on a child going back to school score higher (they name a child).
        # (…and, as in `_lead_on_the_circumstance_named`, a lead naming the medicine told keeps
        # to lines naming it: "on prolia shots 4 years … wants to skip the next one. is that
        # ok" is not answered by a bisphosphonate's holiday after 3 to 5 years.)
        names_it = _names_a_medicine_told(lead.text, asked.frame)
        # (…and a lead for the reader's group keeps its place over a line for anyone, as in
        # `_lead_on_the_circumstance_named`: "breastfeeding on sertraline: should I stop the
        # sertraline or stop breastfeeding?" is answered by sertraline in breastfeeding, not by
        # what to watch for after stopping an antidepressant.)
        groups = _groups_whose_medicines_it_is_for(lead.text, asked.frame, rules)
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                rules.asked_context(asked_first, c.text)
                and _for_this_reader(c, asked)
                and (not names_it or _names_a_medicine_told(c.text, asked.frame, rules))
                and groups <= _groups_with_own_medicines(c.text, asked.frame, rules)
            ),
            near=_ASKED_FIRST_TIE,
        )
    return lead


def _lead_on_more_of_the_circumstances(lead: Candidate, asked: Asked) -> Candidate:
    """A lead on some of the circumstances named: a line on more of them, nearly as near."""
    rules, question = asked.rules, asked.question
    told_here = rules.asked_contexts_in(question, lead.text)
    if told_here:
        # …and a line about more of the circumstances named, nearly as near: "still got a
        # headache, can I train Tuesday?" is answered by contact training waiting until the
        # signs have gone, not by the steps back to sport alone.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                rules.asked_contexts_in(question, c.text) > told_here and _for_this_reader(c, asked)
            ),
        )
    return lead


def _lead_on_the_next_agent(lead: Candidate, asked: Asked) -> Candidate:
    """ "What else can I try?" after a treatment tried: the line on what to do when it fails."""
    frame, rules = asked.frame, asked.rules
    if (
        frame.treatment_tried
        and asked.agent_asked
        and not rules.next_step.search(lead.text)
        # (…a line for the population asked about stays: "prior MI, next agent?")
        and not _addresses_populations(lead.text, frame, rules)
    ):
        # "Paracetamol barely touches them. What else can I try?" is answered by the line on
        # what to do when paracetamol does not help, not by a list that offers it again, nor
        # ("second-line prevention after propranolol failure?") by newer acute treatments.
        return _nearly_as_good(
            lead, asked.candidates, lambda c: bool(rules.next_step.search(c.text))
        )
    return lead


def _lead_on_more_to_be_done(lead: Candidate, asked: Asked) -> Candidate:
    """ "Anything more that can be done?" after treatment: the specialist team or the next step."""
    rules = asked.rules
    if (
        asked.frame.treatment_tried
        and rules.cue("more_to_be_done_asked").search(asked.question)
        and lead.section != "referral"
        and not rules.next_step.search(lead.text)
    ):
        # "Keeps getting worse even on all his tablets. Anything more that can be done?" is
        # answered by the specialist team or the next step, not by a line on the medicines
        # already taken.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: c.section == "referral" or bool(rules.next_step.search(c.text)),
            near=_MORE_TO_BE_DONE_TIE,
        )
    return lead


def _lead_on_what_next(lead: Candidate, asked: Asked) -> Candidate:
    """ "Still not improving: what next?": what to do next, not how long symptoms can last."""
    rules = asked.rules
    if asked.frame.treatment_tried and lead.section == "prognosis":
        # "Six weeks on and still not improving: what next?" is answered by what to do next
        # (reassess, refer), not by a nearly as near line on how long symptoms can last.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: c.section != "prognosis" and bool(rules.next_step.search(c.text)),
        )
    return lead


def _lead_on_the_treatment_to_choose(lead: Candidate, asked: Asked) -> Candidate:
    """A question on the preferred next treatment or prophylaxis: a line on what to use, not on
    assessment."""
    frame, rules = asked.frame, asked.rules
    if (
        frame.ask in (Ask.DRUG_CHOICE, Ask.PREVENTION)
        and lead.section in _NOT_WHAT_TO_USE
        and rules.cue("treatment_named_asked").search(asked.question)
    ):
        # "SABA only, symptoms 3 times a week, no night waking. GINA preferred next step?" is
        # answered by the treatment, not by a nearly as near line on how control is assessed
        # (it shares the story's words).
        # …for someone not told to have tried one: "if first-choice prevention is not
        # tolerated or does not work" is the second line.
        fails = rules.cue("step_one_fails_words")
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                c.section in _WHAT_TO_USE and (frame.treatment_tried or not fails.search(c.text))
            ),
        )
    return lead


def _lead_naming_what_to_take(lead: Candidate, asked: Asked) -> Candidate:
    """ "What can I take?": a line naming what to take."""
    # (A line naming only a broad class, "empirical antibiotic treatment", names nothing to
    # take: "no comorbs. Outpt regimen?" is answered by amoxicillin, not by de-escalation.)
    if asked.rules.cue("what_to_take_asked").search(asked.question) and not _names_a_choice(
        lead.text, set()
    ):
        # "What can I take when a migraine starts?" is answered by a line naming what to take,
        # not by a nearly as near one on when to take "your migraine medicines".
        # (…for this reader and on this rung: "Preventive choice?" is not answered by what to
        # take when the first choice has failed.)
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                _names_a_choice(c.text, set())
                and c.section not in _ON_WHAT_NOT_TO_DO
                and not another_line_of_treatment(asked.question, c.text, asked.frame)
                and (
                    asked.frame.treatment_tried
                    or not asked.rules.cue("step_one_fails_words").search(c.text)
                )
                and _for_this_reader(c, asked)
            ),
        )
    return lead


def _lead_naming_the_medicine_to_choose(lead: Candidate, asked: Asked) -> Candidate:
    """ "Outpatient regimen + how long?": a line naming a medicine to choose first."""
    frame = asked.frame
    named = {drug.generic for drug in frame.drugs} | {d.generic for d in find_drugs(asked.question)}
    # (…and "switch to what, and BP target?": the medicine first, then the target.)
    choice_first = any(
        asked.rules.cue(cue).search(asked.question)
        for cue in ("choice_and_length_asked", "choice_then_more_asked")
    )
    if not choice_first or _names_a_choice(lead.text, named):
        return lead
    # "…no recent abx. Outpt regimen + how long?" is answered by amoxicillin 1 g three times a
    # day, not by a nearer line on how long "antibiotics" go on: a line naming no medicine
    # but those the question names (antibiotics) names no choice.
    ruled_out = asked.reader.ruled_out
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            c.section in _WHAT_TO_USE
            and _names_a_choice(c.text, named)
            and not names_ruled_out(c.text, ruled_out, asked.rules)
        ),
        near=_CHOICE_TIE,
    )


def _lead_on_the_medicine_not_a_test(lead: Candidate, asked: Asked) -> Candidate:
    """A question on which medicine ("14wk pregnant, dysuria. abx?") led by a line on a test
    (a urine culture before treating): the line naming the medicine, when nearly as near; the
    test stays in the article."""
    if (
        asked.frame.ask is not Ask.DRUG_CHOICE
        or lead.section not in _ON_TESTS
        or not asked.rules.cue("test_words").search(lead.text)
    ):
        return lead  # (…not "AF can cause clots, so many need a blood thinner": why, no test)
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            c.section in _WHAT_TO_USE and bool(find_drugs(c.text)) and _for_this_reader(c, asked)
        ),
    )


_ON_TESTS = frozenset({"diagnosis", "imaging", "monitoring"})
_ON_WHAT_NOT_TO_DO = frozenset({"pitfalls"})


def _lead_on_the_medicine_not_its_alternative(lead: Candidate, asked: Asked) -> Candidate:
    """ "pharmacist says i need nitrofurantoin. is that actually safe for the baby?" asks about
    nitrofurantoin, for a reader who can take it: the line on it, not the one on what is used
    when it is not right ("if nitrofurantoin is not right for you, you may get cefalexin")."""
    rules, drugs = asked.rules, asked.frame.drugs
    if (
        not drugs
        or asked.reader.ruled_out
        or rules.cue("alternative_asked").search(asked.question)
        or not rules.if_unsuitable.search(lead.text[:_OPENING_CHARACTERS])
        or not names_a_drug(lead.text, drugs)
    ):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            names_a_drug(c.text, drugs)
            and not rules.if_unsuitable.search(c.text[:_OPENING_CHARACTERS])
            and _for_this_reader(c, asked)
        ),
    )


def _lead_on_the_alternative_for_the_reader(lead: Candidate, asked: Asked) -> Candidate:
    """ "Pen allergy (anaphylaxis) – oral abx and duration?": the line on what to use instead."""
    frame, rules = asked.frame, asked.rules
    ruled_out = asked.reader.ruled_out
    if not ruled_out or frame.ask not in _CHOOSING_ASKS:
        return lead

    def opens_for_them(c: Candidate) -> bool:
        return _offers_an_alternative(c.text, ruled_out, rules) and bool(
            rules.if_unsuitable.search(c.text[:_OPENING_CHARACTERS])
        )

    if _offers_an_alternative(lead.text, ruled_out, rules):
        # (…and of two such lines, the one written for them, nearly as near: "for people
        # allergic to penicillin, clarithromycin" over "penicillin or amoxicillin are the drugs
        # of choice, … clindamycin for people allergic to penicillin" for an anaphylaxis.)
        if opens_for_them(lead):
            return lead
        return _nearly_as_good(lead, asked.candidates, opens_for_them, near=_ASKED_FIRST_TIE)
    # The story rules a medicine out and asks what to treat with: a line on the alternative
    # for people who cannot take it ("with penicillin allergy, clarithromycin") answers it
    # over nearer lines on how long antibiotics go on, which fit any reader.
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: _offers_an_alternative(c.text, ruled_out, rules),
        near=_ASKED_FIRST_TIE,
    )


_TESTING_SECTIONS = frozenset({"imaging", "diagnosis"})
# Sections on treating, not testing: a test question led from one of them is led off the ask
# (a pitfall "do not order advanced lipoprotein testing" is about the test).
_TREATING_SECTIONS = frozenset({"first_line", "medicines", "procedures"})
_CHOOSING_ASKS = frozenset({Ask.TREATMENT, Ask.DRUG_CHOICE, Ask.DURATION})


def _offers_an_alternative(text: str, ruled_out: Sequence[str], rules: FrameRules) -> bool:
    """Whether `text` names a medicine for people who cannot take one ruled out."""
    wanted = {stem(word) for word in ruled_out}
    names_it = any(stem(word) in wanted for word in word_tokens(text))
    return (
        names_it
        and bool(rules.if_unsuitable.search(text))
        and any(drug.is_specific for drug in find_drugs(text))
    )


def _names_a_choice(text: str, named: set[str]) -> bool:
    """Whether `text` names a medicine, or a class of them, that the question does not name
    and that is narrower than "antibiotics"."""
    broad = drug_rules().broad_classes
    return any(d.generic not in named and d.generic not in broad for d in find_drugs(text))


def _lead_on_what_to_take_not_what_not_to(lead: Candidate, asked: Asked) -> Candidate:
    """ "What painkiller is best?": a line on what to take, not on what not to take."""
    frame, rules = asked.frame, asked.rules
    advises_against = rules.cue("advises_against_words")
    what_to_take = rules.cue("what_to_take_asked").search(" ".join(asked_sentences(asked.question)))
    # (…not a line on the circumstance told: "care home, dipstick positive, she hasn't said
    # anything about pain weeing, is that right?" is answered by not treating it.)
    on_the_circumstance = rules.asked_context(asked.question, lead.text)
    if (
        ((frame.ask is Ask.DRUG_CHOICE and not frame.yes_no) or what_to_take)
        and advises_against.search(lead.text)
        and not on_the_circumstance
    ):
        # "What painkiller is best?" is answered by what to take ("an NSAID for a short
        # time"), not by a nearly as near line on what not to take.
        # (…a line on what to take: "resting in bed does not help" names no medicine.)
        section = lead.section
        first_asked = section == "pitfalls" and bool(
            rules.first_choice_asked.search(" ".join(asked_sentences(asked.question)))
        )
        # (…and keeps to the group the lead speaks for: gestational hypertension's NICE line
        # does not give way to a general one on stage 2 hypertension.)
        groups = [
            p for p in frame.populations if rules.needs_saying(p) and rules.addresses(p, lead.text)
        ]
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: (
                all(rules.addresses(p, c.text) for p in groups)
                and
                # (a pitfall gives way to a line from the sections on what to use when the first
                # choice is asked for: "do not use the old label to choose broad-spectrum
                # antibiotics" does not say which to start)
                (c.section == section or (first_asked and c.section in _WHAT_TO_USE))
                and not advises_against.search(c.text)
                # (a card's Medicines line is one: "anti-inflammatory gels rubbed on the knee")
                and (
                    bool(find_drugs(c.text))
                    or speaks_of_medicines(c.text)
                    or section == "medicines"
                )
            ),
        )
    return lead


def _note_whether_off_what_was_asked(lead: Candidate, asked: Asked) -> Candidate:
    """Notes whether the lead is off what was asked: the redirect and outlook stages move it."""
    frame, rules, question = asked.frame, asked.rules, asked.question
    # (A medicine the story tells is not what a test question asks about: "taking paracetamol
    # which does nothing. should i push my gp for an mri?" is not answered by the line on
    # paracetamol. Elsewhere the medicines told stay: "no abx in last 30d … treat or wait?"
    # asks about antibiotics.)
    of_asked = (
        replace(frame, interventions=asked_interventions(frame, question))
        if frame.ask is Ask.TEST_OR_IMAGE
        else frame
    )
    # A class named outright is what "role of opioids in back pain?" asks about; only a
    # question on which drug to choose wants one of its drugs named.
    share = (
        intervention_share(lead.text, of_asked)
        if frame.ask is Ask.DRUG_CHOICE
        else named_share(lead.text, of_asked)
    )
    # Half the asked things named is enough: "epidural steroid injection for chronic back
    # pain?" is answered by "do not offer … epidural injections", though it says no "steroid".
    about_asked = (
        share >= 0.5
        or (frame.yes_no and (share > 0 or _names_kind_asked(lead.stems, frame)))
        or _names_the_thing_asked(lead, question, rules)
    )
    # …and a question whose treatment did not work asks for the next step, not the first line.
    asked.noted.redirect = not about_asked and not frame.treatment_tried
    return lead


def _lead_past_a_scan_already_done(lead: Candidate, asked: Asked) -> Candidate:
    """A scan told as done and something else asked: a line past when to scan."""
    rules = asked.rules
    if (
        asked.frame.ask in (Ask.TREATMENT, Ask.REFERRAL, Ask.DRUG_CHOICE)
        and lead.section == "imaging"
        and rules.cue("scan_told").search(asked.question)
        # (a line on what a scan shows answers "the report mentions a protrusion: is it bad?")
        and rules.cue("when_to_scan_words").search(lead.text)
    ):
        # "Disc prolapse on MRI, 8 weeks of pain despite physio: discectomy vs epidural?" is
        # not answered by when to reserve MRI for a candidate for either.
        return _nearly_as_good(lead, asked.candidates, lambda c: c.section != "imaging")
    return lead


def _lead_from_the_asks_section(lead: Candidate, asked: Asked) -> Candidate:
    """A treatment, referral or red-flags question led off what was asked: the ask's own line."""
    frame, rules, question = asked.frame, asked.rules, asked.question
    # A lead off what was asked (`noted.redirect`, noted of this same lead) gives way to the
    # ask's own line…
    # …and a question that sets medicines aside keeps a best line on what else helps, wherever
    # the card files it ("medicines should come with advice on eating, habits and falls").
    # (…when the first question sets them aside: "do I need an xray? and what works apart from
    # tablets" asks first about the xray.)
    first = asked.first_clause or question
    # (…or when the story sets them aside before the first question: "he doesnt want more
    # inhalers. is there anything else that actually helps?")
    keeps_self_care = self_care_asked(first, lead.text, rules) or self_care_asked(
        the_story(question), lead.text, rules
    )
    # …and a best line naming the first choice that the question asks for keeps its place
    # ("what's usually tried first?": acid-reducing tablets, not a nearly as similar habit).
    names_first_choice = first_choice_named(question, lead.text, rules)
    # …and a best line on the circumstance the question names keeps its place ("grommets for
    # recurrent otitis media": the line on recurrent attacks, not first-line pain relief).
    on_asked_context = rules.asked_context(question, lead.text)
    # …and a best line on cutting down or stopping, which a question on doing so asks for.
    on_stopping = asked.stopping_asked and bool(rules.stopping_words.search(lead.text))
    # (…and a test question led by a line from outside the sections that answer it: "do I
    # need an xray?" is not answered by when to see a surgeon for a new knee.)
    off_the_tests = frame.ask is Ask.TEST_OR_IMAGE and lead.section in _TREATING_SECTIONS
    if (
        (frame.ask in (Ask.TREATMENT, Ask.REFERRAL, Ask.RED_FLAGS) or off_the_tests)
        and asked.noted.redirect
        and not keeps_self_care
        and not names_first_choice
        and not on_asked_context
        and not on_stopping
        and not _on_the_medicine_asked_about_first(lead, asked)
    ):
        return _best_of_the_asks_section(lead, asked)
    return lead


def _lead_on_when_to_refer(lead: Candidate, asked: Asked) -> Candidate:
    """A referral question led by a line from outside the sections on referral and alarms (a
    trial's result on surgery): the line on when and to whom to refer, when near enough.
    "8 weeks of S1 pain, improving. Refer for microdiscectomy?" is answered by when surgery
    becomes an option and whom to refer to, not by what a trial found."""
    if asked.frame.ask is not Ask.REFERRAL or lead.section in _ON_REFERRAL:
        return lead
    if _on_what_the_first_question_names(lead, asked):
        return lead  # "Pregabalin? Oral pred? Refer for epidural?": the first question first
    # (A lead on the operation asked about gives way only to a referral line on it too: "no
    # radiculopathy … refer for fusion?" keeps the line weighing fusion over a research note.)
    on_the_asked = intervention_share(lead.text, asked.frame) > 0
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            c.section == "referral"
            and _for_this_reader(c, asked)
            and (not on_the_asked or intervention_share(c.text, asked.frame) > 0)
        ),
        near=_BOTH_NAMED_TIE,
    )


# The sections that answer a referral question themselves: when to refer, when urgently, and
# what not to do ("Pregabalin? Oral pred? Refer for epidural?": gabapentinoids and oral
# steroids are not advised).
_ON_REFERRAL = frozenset({"referral", "red_flags", "pitfalls"})


def _on_the_medicine_asked_about_first(lead: Candidate, asked: Asked) -> bool:
    """Whether the first question asks if a medicine the story tells is safe, and the lead
    names it: "she takes advil 3 or 4 times a day and is on eliquis. is that ok?? what else can
    she take?" is answered first by the risks of ibuprofen-type pills in older people, not by
    tai chi."""
    first = asked.first_clause
    return (
        bool(asked.rules.cue("is_that_ok_asked").search(first))
        and any(find_whole(name, first, ignore_case=True) for name in asked.frame.drug_names())
        and _names_a_medicine_told(lead.text, asked.frame)
    )


def _lead_saying_when(lead: Candidate, asked: Asked) -> Candidate:
    """ "Refer for surgical opinion now or wait?": the line saying when the step is due."""
    rules = asked.rules
    when_due = rules.cue("when_due_words")
    if not rules.indication_asked.search(asked.question) or when_due.search(lead.text):
        return lead
    # …"surgery becomes an option after 6 to 8 weeks with no improvement", not a nearly as
    # near line on how to refer (…not when to scan, unless a test is asked).
    sections = asked.rules.sections_for(asked.frame.ask)
    if asked.frame.ask is not Ask.TEST_OR_IMAGE:
        sections = tuple(s for s in sections if s not in _TESTING_SECTIONS)
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: (
            c.section in sections and bool(when_due.search(c.text)) and _for_this_reader(c, asked)
        ),
        near=_CLOSE_TIE,
    )


def _lead_with_the_core_treatment(lead: Candidate, asked: Asked) -> Candidate:
    """ "What helps?" asked of a whole condition: the line naming its core treatment."""
    frame, rules = asked.frame, asked.rules
    core = rules.cue("core_treatment_words")
    if (
        frame.ask is Ask.TREATMENT
        and not frame.interventions
        and not frame.treatment_tried
        and not frame.yes_no
        and rules.cue("broad_treatment_asked").search(asked.question)
        and not core.search(lead.text)
    ):
        # "My knees crack and ache, what helps?" opens with exercise, "a key part of treating
        # knee osteoarthritis", not with a nearly as near line on tai chi and a walking stick
        # that shares the word "help"; only a line of the lead's own card, so no other
        # condition's first choice comes in.
        return _nearly_as_good(
            lead,
            asked.candidates,
            lambda c: c.card_id == lead.card_id and bool(core.search(c.text)),
        )
    return lead


def _lead_on_the_alarm_raised(lead: Candidate, asked: Asked) -> Candidate:
    """A red-flags story that raises an alarm: the line that says to get help for that alarm."""
    # A story that raises an alarm ("I can't feel the toilet paper when I wipe") is led by the
    # line that says to get help for that alarm, however much nearer a line on the condition's
    # treatment comes: the reader must read what to do now first (and a line on another alarm,
    # "if your leg is getting weaker", gives way too).
    if asked.frame.ask is not Ask.RED_FLAGS:
        return lead
    flags = find_red_flags(asked.question)
    raised = {flag.flag_id for flag in flags}
    if not raised:
        return lead
    act_now = asked.rules.cue("act_now_words")
    advises_against = asked.rules.cue("advises_against_words")
    # The alarms each line raises, read once for the lines looked at below.
    alarms_of = {
        id(c): {flag.flag_id for flag in find_red_flags(c.text)} for c in (lead, *asked.candidates)
    }
    on_it = [
        candidate
        for candidate in (lead, *asked.candidates)
        # (…not a line against treating people who lack the alarm's signs: "do not start
        # antibiotics for bacteriuria with delirium but no fever" is no line on sepsis.)
        # ("Do not withhold treatment … because of suicide risk" advises acting, not against.)
        if not (
            advises_against.search(candidate.text)
            and not act_now.search(candidate.text)
            and not _ADVISES_ACTING.match(candidate.text)
        )
        and raised & alarms_of[id(candidate)]
    ]
    # The line on the alarm that says to act now first: under a suicide banner, "if you feel
    # you might harm yourself, you need urgent help" before when the first review after
    # starting an antidepressant falls ("… or there are worries about suicide").
    if on_it:
        return next((c for c in on_it if act_now.search(c.text)), on_it[0])
    # No line names this alarm ("suddenly can't breathe lying down … wait till morning?"): the
    # line that says to get help now, not a nearly as near one on what hospitals do.
    if act_now.search(lead.text):
        return lead
    chosen = _nearly_as_good(lead, asked.candidates, lambda c: bool(act_now.search(c.text)))
    if chosen is not lead:
        return chosen
    # …and, failing that, the line on what the alarm is, however far down: under a heart
    # attack banner "heartburn, sweaty, heavy left arm: Prilosec instead?" is led by "chest
    # pain should be checked for heart problems first", not by when acid tablets are tried.
    # (A line from the card's own red-flags section is already on what to watch for.)
    # (…unless it warns of another alarm: under a heart attack banner, the reflux card's line
    # on endoscopy for trouble swallowing or weight loss is no line on the chest.)
    other_alarms = alarms_of[id(lead)] - raised
    if lead.section == "red_flags" and not other_alarms:
        return lead
    alarm = {s for flag in flags for s in content_stems(flag.label)}
    on_the_alarm = next(
        (
            c
            for c in asked.candidates
            if len(alarm & c.stems) >= max(_NAMES_THE_ALARM, len(alarm & lead.stems) + 1)
        ),
        None,
    )
    # …and, failing that, the card's own line on when to send someone to hospital: under a
    # sepsis banner "loin pain + rigors, HR 118: nitrofurantoin or trimethoprim?" is led by
    # referring a UTI with signs of a more serious illness, not by the cystitis antibiotics.
    # (…a line naming most of the alarm comes first: "do not attribute chest pain to GERD before
    # cardiac causes have been excluded" under a heart attack banner; and a red-flags line on
    # another alarm, endoscopy for weight loss, is no line on this one.)
    near_the_alarm = next(
        (
            c
            for c in asked.candidates
            if len(alarm & c.stems) >= max(_NAMES_THE_ALARM - 1, len(alarm & lead.stems) + 1)
        ),
        None,
    )
    on_red_flags = next(
        (c for c in asked.candidates if c.section == "red_flags" and not alarms_of[id(c)] - raised),
        lead,
    )
    return on_the_alarm or near_the_alarm or on_red_flags


def _lead_on_what_to_do(lead: Candidate, asked: Asked) -> Candidate:
    """A question on what to do: a line on what to do, not one defining a term."""
    defines = asked.rules.cue("defines_a_term")
    if asked.frame.ask in _WHAT_TO_DO_ASKS and defines.search(lead.text):
        # "Anything to stop them coming back?" is answered by what to do, not by a nearly as
        # near line on what "recurrent" means.
        return _nearly_as_good(lead, asked.candidates, lambda c: not defines.search(c.text))
    return lead


def _lead_saying_not_to_do_what_is_asked(lead: Candidate, asked: Asked) -> Candidate:
    """ "No saddle anaesthesia or retention: can cauda equina be excluded clinically?" is
    answered no by "do not exclude cauda equina syndrome … because classic red flags are
    absent": a line warning against the very judgment asked about (ruling out, withholding,
    putting down to) and naming what it is about."""
    asking = " ".join(asked_sentences(asked.question)).lower()
    if not _YES_OR_NO.search(asking):
        return lead
    verbs = {verb for verb, said in _JUDGMENTS.items() if re.search(said, asking)}
    asked_words = set(content_stems(asking))
    if not verbs or _warns_against(lead.text, verbs, asked_words):
        return lead
    return _nearly_as_good(
        lead, asked.candidates, lambda c: _warns_against(c.text, verbs, asked_words)
    )


# A line against holding back ("do not withhold treatment", "do not delay referral"): advice to
# act.
_ADVISES_ACTING = re.compile(r"\s*Do not (?:withhold|delay|wait|put off)\b", re.I)
# A yes-or-no question, after the story it may open with ("no retention: can it be excluded?").
_YES_OR_NO = re.compile(r"\b(?:can|could|should|may|must|is it|is that)\b")
# Judgments a yes-or-no question may ask about, with how the question says them; a line
# answers "no" when it opens "Do not" with the judgment.
_JUDGMENTS = {
    "exclude": r"\b(?:exclud\w*|rul(?:e|ed|ing) out)\b",
    "withhold": r"\b(?:withh[oe]ld\w*|avoid\w*\s+(?:prescrib|giv|start|offer)\w*)\b",
    "attribute": r"\b(?:attribut\w*|put\s+(?:it\s+)?down\s+to|blam\w*)\b",
}


def _warns_against(text: str, verbs: set[str], asked_words: set[str]) -> bool:
    """Whether `text` opens "Do not <judgment>" for one of `verbs` and names at least two of
    the asked sentence's words (`asked_words`, as stems) besides."""
    opening = re.match(r"\s*Do not (\w+)", text)
    if opening is None or not any(opening.group(1).lower().startswith(v[:6]) for v in verbs):
        return False
    return len(set(content_stems(text)) & asked_words) >= _WORDS_OF_THE_JUDGMENT


_WORDS_OF_THE_JUDGMENT = 2


def _lead_on_the_cause_asked(lead: Candidate, asked: Asked) -> Candidate:
    """ "What causes the leg pain in sciatica?": a line naming a cause, not a nearly as near
    one saying what the pain is."""
    rules = asked.rules
    if not rules.cause_asked.search(asked.question) or rules.cause_words.search(lead.text):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: bool(rules.cause_words.search(c.text)) and _for_this_reader(c, asked),
    )


def _lead_on_the_diagnostic_criteria(lead: Candidate, asked: Asked) -> Candidate:
    """A question on diagnosis: the diagnostic criteria, not a line from another section."""
    rules = asked.rules
    if asked.frame.ask is Ask.DIAGNOSIS and lead.section not in (
        *rules.sections_for(Ask.DIAGNOSIS)[:1],
        "pitfalls",  # "ASO titres to diagnose strep throat?": "do not use them" answers
    ):
        # "HbA1c 50 on routine bloods. Can I diagnose type 2 diabetes on this alone?" is
        # answered by the diagnostic criteria, not by a nearly as near line on the HbA1c target.
        # (…not over a line on the circumstance asked about, nor a plain line for a patient
        # over a prescriber's: "told I have disc disease on my X-ray, is my spine crumbling?")
        best = rules.sections_for(Ask.DIAGNOSIS)[0]
        keeps = rules.asked_context(asked.question, lead.text) or (
            asked.audience is Audience.PATIENT and lead.plain
        )
        if not keeps:
            return _nearly_as_good(lead, asked.candidates, lambda c: c.section == best)
    return lead


def _lead_on_the_natural_course(lead: Candidate, asked: Asked) -> Candidate:
    """ "Will it heal by itself?": how it runs untreated, in the circumstance named."""
    rules, question = asked.rules, asked.question
    course = rules.course_words
    # (…and a lead on the course with a treatment only a later question names gives way too:
    # "how long till it goes away?? will i need surgery" is not answered by surgery's faster
    # recovery.)
    later_only = _on_a_treatment_only_a_later_question_names(lead, asked)
    if rules.cue("natural_course_asked").search(question) and (
        not course.search(lead.text) or later_only
    ):
        # "Will it heal by itself or will I need an operation?": how it runs untreated first;
        # …of the circumstance the question names ("still fluid behind his eardrum: will it go
        # away?" is not answered by how soon an ear infection gets better).
        # (Only a circumstance lines are about alone: "by itself" is no circumstance.)
        # (…and only a circumstance some line is about: "how long till it goes away?" names no
        # drug holiday for sciatica.)
        named = [
            rule
            for rule in rules.contexts
            if rule.only_when_asked
            and rule.favoured_when_asked
            and rule.question.search(question)
            and any(rule.statement.search(c.text) for c in asked.candidates)
        ]

        def on_its_course(c: Candidate) -> bool:
            in_context = not named or any(rule.as_asked(question, c.text) for rule in named)
            treatment_free = not later_only or intervention_share(c.text, asked.frame) == 0
            return bool(course.search(c.text)) and in_context and treatment_free

        return _nearly_as_good(
            lead, asked.candidates, on_its_course, near=_course_tie(asked, later_only)
        )
    return lead


def _on_a_treatment_only_a_later_question_names(lead: Candidate, asked: Asked) -> bool:
    """Whether the first question asks how the condition runs and the lead names a treatment
    that only a later question names ("how long till it goes away?? will i need surgery")."""
    first = asked.first_clause
    return (
        bool(asked.rules.cue("natural_course_asked").search(first))
        and intervention_share(lead.text, asked.frame) > 0
        and not any(find_whole(term, first, ignore_case=True) for term in asked.frame.interventions)
    )


def _course_tie(asked: Asked, later_only: bool) -> float:
    """How near a line on the course must come: nearer when the first question asks how it
    runs, nearer still when the lead owes its score to a treatment only a later question
    names."""
    if later_only:
        return _FIRST_QUESTION_TIE
    first = asked.first_clause
    return _ASKED_FIRST_TIE if asked.rules.cue("natural_course_asked").search(first) else _NEAR_TIE


# A question on preventing attacks often names the medicine taken for them ("sumatriptan works
# but I take it twice a week: something every day to stop them?"); the lines on that medicine
# outscore the line on prevention by more than a near tie, and do not answer.
_PREVENTION_TIE = 0.7


def _lead_on_preventing_it(lead: Candidate, asked: Asked) -> Candidate:
    """A question on preventing the condition, led by a line that speaks of no prevention: the
    line on preventing it."""
    words = asked.rules.prevention_words
    if asked.frame.ask is not Ask.PREVENTION or words.search(lead.text):
        return lead
    if target_asked(asked.question):
        return lead  # "LDL target for secondary prevention?" asks the target, which it gives
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: bool(words.search(c.text)) and _for_this_reader(c, asked),
        near=_PREVENTION_TIE,
    )


def _lead_saying_how_long_it_lasts(lead: Candidate, asked: Asked) -> Candidate:
    """ "How long does this usually last?": a line giving a span of time, over a nearly as
    near one on the outlook that gives none ("bed rest does not help it get better")."""
    rules = asked.rules
    span = rules.cue("time_span_words")
    if asked.frame.ask is not Ask.PROGNOSIS or span.search(lead.text):
        return lead
    if not rules.cue("how_long_it_lasts_asked").search(asked.question):
        return lead
    return _nearly_as_good(
        lead,
        asked.candidates,
        lambda c: bool(span.search(c.text)) and _for_this_reader(c, asked),
    )


def _lead_on_the_outlook(lead: Candidate, asked: Asked) -> Candidate:
    """An outlook question led off what was asked: a line on how the condition runs."""
    frame, rules, question = asked.frame, asked.rules, asked.question
    # A question on going back (to sport, to work) is answered by a line on going back,
    # whatever section holds the line that outscores it ("stop playing straight away").
    off_ask = lead.section not in rules.sections_for(Ask.PROGNOSIS)
    off_ask = off_ask or bool(rules.return_words.search(question))
    outlook = outlook_words(question, rules)
    # `noted.redirect` is the lead's as it stood before the treatment redirect, not this lead's:
    # the natural-course stage may have moved it since, and the choice was measured with the
    # earlier lead's answer (`_note_whether_off_what_was_asked`).
    if (
        frame.ask is Ask.PROGNOSIS
        and asked.noted.redirect
        and off_ask
        and not outlook.search(lead.text)
        # (…unless it is on the circumstance asked: "coach says he can play Saturday if the
        # headache's gone, is that ok?" is answered by when a player may go back to games.)
        and not rules.asked_context(question, lead.text)
    ):
        # "How long does sciatica take to go away?" is answered by the line on its course
        # ("most settles with time"), not by a nearly as similar line comparing surgery; a
        # line from the sections that answer an outlook question keeps its place.
        near = [
            c
            for c in asked.candidates
            if c.relevance >= _NEAR_TIE * lead.relevance
            and outlook.search(c.text)
            and not rules.other_context(question, c.text)  # "back to school" for rugby
        ]
        # …the one for the population asked about first ("return to learn … in children").
        for_them = [c for c in near if _addresses_populations(c.text, frame, rules)]
        return (for_them or near or [lead])[0]
    return lead


def _lead_safe_for_the_population(lead: Candidate, asked: Asked) -> Candidate:
    """A patient of a group no line speaks of: care without medicines, not adults' medicines."""
    if asked.audience is Audience.PATIENT and intervention_share(lead.text, asked.frame) == 0:
        return _safe_for_population(lead, asked.candidates, asked.frame, asked.question)
    return lead


def _lead_for_everyone(lead: Candidate, asked: Asked) -> Candidate:
    """A question naming no group: a line for everyone, not one for children or for men only."""
    frame, rules = asked.frame, asked.rules
    # …but on a topic that is all about one group ("acute otitis media in children"), a line
    # for that group is the answer ("high-dose amoxicillin … in children" for its dose).
    groups = READER_GROUPS - {
        rule.population_id
        for rule in rules.populations
        if rules.addresses(rule.population_id, asked.card_title)
    }
    if _for_a_group(lead.text, frame, rules, groups):
        # "A child should rest for no more than 2 to 3 days" does not lead an adult's article
        # when a line for everyone answers nearly as well…
        def for_everyone(c: Candidate) -> bool:
            return not _for_a_group(c.text, frame, rules, groups)

        # …one giving a frequency, first, when how often is asked ("using my ventolin 4x a
        # day, ok?": reliever use more than twice a week, not the child's twice-daily preventer).
        best = _nearly_as_good(lead, asked.candidates, for_everyone)
        if best is not lead and frequency_asked(asked.question):
            return _nearly_as_good(
                best, asked.candidates, lambda c: for_everyone(c) and states_a_frequency(c.text)
            )
        return best
    return lead


# The order was measured: a later stage weighs the lead an earlier one chose, and a `_note_…`
# stage records the lead as it stands at its place for stages further on (`LeadNotes`).
STAGES: tuple[Stage, ...] = (
    _lead_fitting_the_age,
    _lead_not_ruled_out_by_the_story,
    _lead_for_the_population,
    _lead_from_the_leading_card,
    _lead_with_the_risk_tool_told,
    _lead_naming_an_agent,
    _lead_on_the_thing_asked,
    _lead_on_the_swap_asked,
    _lead_choosing_for_the_age_told,
    _lead_on_what_the_first_question_names,
    _lead_naming_both_medicines,
    _lead_weighing_medicines_against_the_other,
    _lead_dosing_the_asked_drug,
    _lead_on_the_harms_of_the_medicine_told,
    _lead_not_on_a_medicine_not_asked,
    _lead_on_when_to_take,
    _lead_on_the_missed_dose,
    _lead_with_how_often,
    _lead_with_how_long,
    _lead_not_on_a_course_length_unasked,
    _lead_on_the_effect_told,
    _lead_on_the_harms_asked,
    _lead_in_plain_words,
    _lead_with_a_kidney_limit,
    _lead_with_the_closer_kidney_bound,
    _lead_with_the_readings_told,
    _lead_with_the_threshold_for_the_reading,
    _note_the_effect_told,
    _lead_on_stopping,
    _lead_on_the_medicine_to_stop,
    _lead_with_the_readers_target,
    _lead_on_the_circumstance_named,
    _lead_on_the_circumstance_asked_first,
    _lead_on_more_of_the_circumstances,
    _lead_on_the_next_agent,
    _lead_on_more_to_be_done,
    _lead_on_what_next,
    _lead_on_the_treatment_to_choose,
    _lead_naming_what_to_take,
    _lead_naming_the_medicine_to_choose,
    _lead_on_the_medicine_not_a_test,
    _lead_on_the_alternative_for_the_reader,
    _lead_on_the_medicine_not_its_alternative,
    _lead_on_what_to_take_not_what_not_to,
    _note_whether_off_what_was_asked,
    _lead_past_a_scan_already_done,
    _lead_from_the_asks_section,
    _lead_on_when_to_refer,
    _lead_saying_when,
    _lead_with_the_core_treatment,
    _lead_saying_not_to_do_what_is_asked,
    _lead_on_the_alarm_raised,
    _lead_on_what_to_do,
    _lead_on_the_cause_asked,
    _lead_on_the_diagnostic_criteria,
    _lead_on_the_natural_course,
    _lead_on_preventing_it,
    _lead_saying_how_long_it_lasts,
    _lead_on_the_outlook,
    _lead_safe_for_the_population,
    _lead_for_everyone,
)


# -- the second line ---------------------------------------------------------------------------


def _second_lead(first: Candidate, asked: Asked) -> list[Candidate]:
    """The line that joins `first`, if any: the answer to a second thing asked ("abx +
    duration?") that `first` does not give, else one of the next two that may stand beside it,
    else the line for the reader group the question names."""
    also_asked = (
        _the_course_length_also_asked(first, asked)
        or _the_dose_also_asked(first, asked)
        or _the_frequency_also_asked(first, asked)
        or _the_second_question_answered(first, asked)
    )
    if also_asked:
        # "Nonpurulent cellulitis. abx + duration?": flucloxacillin, then how long, not a
        # nearer line on reviewing intravenous antibiotics.
        return also_asked
    for candidate in [c for c in asked.candidates if c is not first][:2]:
        if _may_stand_beside(first, candidate, asked):
            return [candidate]
    return _the_line_for_the_reader(first, asked)


def _the_dose_also_asked(first: Candidate, asked: Asked) -> list[Candidate]:
    """ "Anticoagulate? Apixaban dose?": the line giving the asked drug's dose, beside a lead
    that answers the first question and gives none (and not for another reader)."""
    frame = asked.frame
    if (
        not (frame.drugs or frame.interventions)  # (…or a class: "Statin? Which/dose?")
        or not asked.rules.cue("dose_also_asked").search(asked.question)
        or _doses_an_asked_drug(first, frame)
    ):
        return []
    return _second_answer(first, asked, lambda c: _doses_an_asked_drug(c, frame))


def _the_course_length_also_asked(first: Candidate, asked: Asked) -> list[Candidate]:
    """ "Amox dose + duration?": the line giving how long, beside a lead that gives only the
    medicine or its dose (and not for another reader: a course for someone it does not fit)."""
    rules = asked.rules
    course_length = rules.cue("course_length_words")
    if not rules.cue("duration_also_asked").search(asked.question) or course_length.search(
        first.text
    ):
        return []
    return _second_answer(first, asked, lambda c: bool(course_length.search(c.text)))


def _the_frequency_also_asked(first: Candidate, asked: Asked) -> list[Candidate]:
    """ "Can I take Imitrex while breastfeeding? And how many times a week is too many?": the
    line on how often is too often, beside a lead that answers the first question."""
    rules = asked.rules
    how_often = rules.cue("how_often_words")
    later = _after_the_first_question(asked)
    if not later or not rules.cue("frequency_asked").search(later) or how_often.search(first.text):
        return []
    return _second_answer(first, asked, lambda c: bool(how_often.search(c.text)))


def _the_second_question_answered(first: Candidate, asked: Asked) -> list[Candidate]:
    """ "Started levothyroxine 3 weeks ago, when will I feel normal? And can I take it with my
    morning coffee and my calcium tablet": the line on the second thing asked (coffee, calcium),
    beside a lead that answers the first and says nothing of it."""
    # (Not under an alarm, where the lead is what to do now; and only a later question, not a
    # story told after the first: "she keeps crying and pulling her ear".)
    if asked.frame.ask is Ask.RED_FLAGS:
        return []
    later = _after_the_first_question(asked)
    if not _A_LATER_QUESTION.search(later):
        return []
    # (What the first question names is told; a medicine named only later is the second
    # question's own: "… with my calcium tablet".)
    told = set(content_stems(asked.first_clause)) | {
        s for name in asked.frame.conditions for s in content_stems(name)
    }
    wanted = set(content_stems(later)) - told - _generic_asking()
    if len(wanted) < _WORDS_OF_A_SECOND_QUESTION or wanted & set(content_stems(first.text)):
        return []
    return _second_answer(
        first,
        asked,
        lambda c: len(wanted & set(content_stems(c.text))) >= _WORDS_OF_A_SECOND_ANSWER,
    )


def _after_the_first_question(asked: Asked) -> str:
    """What follows the first asked clause, asked with a "?" or not ("… and also how many
    times a week is too many to use it"); empty when nothing is asked."""
    first_asked = asked.first_clause
    return asked.question.partition(first_asked)[2] if first_asked else ""


# A second question has at least two words of its own, and its answer names two of them.
_WORDS_OF_A_SECOND_QUESTION = 2
_WORDS_OF_A_SECOND_ANSWER = 2
_A_LATER_QUESTION = re.compile(
    r"\?|\b(?:and|also|plus)\s+(?:also\s+)?(?:can|could|should|do|does|is|are|how|what|when|will)\b",
    re.IGNORECASE,
)


@functools.cache
def _generic_asking() -> frozenset[str]:
    """Words any question may use that name nothing asked about, as stems (worked out on first
    use, not at import)."""
    return frozenset(
        content_stems(
            "take taking also easier still really need want know okay ok fine normal time times"
            " day days week weeks month months year years thing things way lot bit better best"
            " worse good bad long soon"
        )
    )


def _second_answer(
    first: Candidate, asked: Asked, gives: Callable[[Candidate], bool]
) -> list[Candidate]:
    """The best line that `gives` what a second question asks (how long, what dose), of the
    same kind as `first`, for this reader, scoring at least `_SECOND_ANSWER` of it."""
    for candidate in asked.candidates:
        if candidate.relevance < _SECOND_ANSWER * first.relevance:
            break
        if (
            candidate is not first
            and candidate.plain == first.plain
            and gives(candidate)
            and not _for_another_reader(candidate.text, asked.reader)
            # (…nor one written for a group the question does not name, as its opening says:
            # the 80 mg dose "for secondary prevention in people with CVD" beside a
            # primary-prevention lead; a dose for everyone that is lowered from 80 years joins.)
            and not _for_another_group(
                candidate.text[:_OPENING_CHARACTERS], asked.frame, asked.rules
            )
        ):
            return [candidate]
    return []


def _may_stand_beside(first: Candidate, candidate: Candidate, asked: Asked) -> bool:
    """Whether `candidate` scores close to `first` and answers the same question as it does."""
    frame, rules = asked.frame, asked.rules
    close = candidate.relevance >= _SECOND_LEAD * first.relevance
    same_kind = candidate.plain == first.plain or asked.audience is Audience.CLINICIAN
    # For a population asked about, only statements about that population lead: the
    # under-65 dose must never sit beside the dose for an 80-year-old.
    # …and a question about no group in particular is not answered beside it by a line for
    # a group whose medicines differ ("if you are allergic to penicillin …", "in pregnancy").
    for_population = (
        not _for_a_group_not_asked(candidate.text, frame, rules, medicines_differ=True)
        and not leaves_out(candidate.text, frame)
        and not (frame.populations and _for_another_group(candidate.text, frame, rules))
    ) and all(
        rules.addresses(p, candidate.text)
        if rules.needs_saying(p)
        else not rules.contradicts(p, candidate.text)
        for p in frame.populations
    )
    # …nor may a statement that covers less of the question ("HFpEF" beside "HFrEF").
    topic = asked.topic
    covers = topic is None or topic.coverage(candidate.stems) >= topic.coverage(first.stems)
    # …nor one about another line of treatment ("second-line" beside the first-line drug
    # for "which first-line antibiotic?").
    same_line = not another_line_of_treatment(asked.question, candidate.text, frame)
    # …nor one set on another risk tool's score than the question gives ("PREVENT-ASCVD risk"
    # beside NICE's line for "QRISK3 14%").
    same_tool = not _on_another_risk_tool(candidate.text, asked)
    fits = (
        for_population and covers and same_line and same_tool and candidate.section == first.section
    )
    return close and same_kind and fits and not _brings_in_another_medicine(first, candidate, frame)


# Asks whose answer may name a medicine the question did not (which one, what else, what with).
_MEDICINES_MAY_BE_NEW = frozenset({Ask.TREATMENT, Ask.DRUG_CHOICE, Ask.INTERACTIONS})


def _brings_in_another_medicine(
    first: Candidate, candidate: Candidate, frame: QuestionFrame
) -> bool:
    """ "How long before sertraline kicks in?" is about sertraline: a line on it with ibuprofen
    does not join the line on how soon it works, though both are on antidepressants."""
    if not frame.drugs or frame.ask in _MEDICINES_MAY_BE_NEW:
        return False
    named = {drug.generic for drug in frame.drugs} | {d.generic for d in find_drugs(first.text)}
    return any(drug.generic not in named for drug in find_drugs(candidate.text))


def _the_line_for_the_reader(first: Candidate, asked: Asked) -> list[Candidate]:
    """A second line for the reader group the question names (pregnancy, a child) when the leading
    line does not speak of it and one that does scores nearly as well: "28 weeks pregnant …
    can I just drink cranberry juice?" is answered by "cranberry products have not been shown
    to treat bladder infections" and, beside it, "if you are pregnant … you need antibiotics
    straight away", whatever section each comes from."""
    frame, rules = asked.frame, asked.rules
    # Only the groups a reader belongs to: a line naming "liver transaminases" is no line for
    # someone with cirrhosis, whose caveat must stay.
    named = [p for p in frame.populations if p in READER_GROUPS]
    if not named or all(rules.addresses(p, first.text) for p in named):
        return []
    # (…not a line on the danger signs the question does not tell: "a child with a head injury
    # needs a scan within the hour if they have a fit" is no answer for a teenager back on his
    # feet asking when he can play.)
    told_alarms = {flag.flag_id for flag in find_red_flags(asked.question)}
    for candidate in asked.candidates:
        if candidate is first or candidate.relevance < _POPULATION_LEAD * first.relevance:
            continue
        if {flag.flag_id for flag in find_red_flags(candidate.text)} - told_alarms:
            continue
        same_kind = candidate.plain == first.plain or asked.audience is Audience.CLINICIAN
        if (
            same_kind
            and all(rules.addresses(p, candidate.text) for p in named)
            and not _for_another_group(candidate.text, frame, rules)
            and not leaves_out(candidate.text, frame)
            and not rules.other_context(asked.question, candidate.text)
        ):
            return [candidate]
    return []


# -- what the stages share ---------------------------------------------------------------------


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


def _fitting(candidates: Sequence[Candidate], reader: _Reader) -> Sequence[Candidate]:
    """The candidates that may lead, without those for other readers (`_FOR_OTHER_READERS`):
    amoxicillin for someone allergic to penicillin, a line "for AF without heart failure" for
    someone with both, a line for other ages, which first medicine to start for someone on two.
    All may lead when nothing fitting comes near (the article's gap then says what the sources
    do not address); the unfit stay in the article either way. Every stage works on these, so
    none brings an unfit line back."""
    fitting = [c for c in candidates if not _for_another_reader(c.text, reader)]
    if len(fitting) == len(candidates) or not fitting:
        return candidates
    if fitting[0].relevance < _SAFE_ENOUGH * candidates[0].relevance:
        return candidates
    return fitting


@dataclass(frozen=True, slots=True)
class _Reader:
    """What the question tells about the reader that sets lines aside, worked out once."""

    frame: QuestionFrame
    question: str
    rules: FrameRules
    ruled_out: tuple[str, ...]
    symptoms_told: bool
    taken: frozenset[str]  # the medicines the reader takes, by generic name
    treatment_fell_short: bool
    gestational: bool
    starting_asked: bool
    in_a_flare_now: bool
    ejection_fraction: str | None  # "reduced" or "preserved" when the question tells only one

    @classmethod
    def of(cls, frame: QuestionFrame, question: str, rules: FrameRules) -> _Reader:
        taken = frozenset(_medicines_taken(frame, question, rules))
        return cls(
            frame=frame,
            question=question,
            rules=rules,
            ruled_out=ruled_out_medicines(question, rules),
            symptoms_told=_tells_symptoms(question, rules),
            taken=taken,
            treatment_fell_short=frame.treatment_tried and bool(taken),
            gestational=_raised_only_in_pregnancy(frame, question, rules),
            starting_asked=bool(rules.cue("start_asked_words").search(question)) and not taken,
            in_a_flare_now=bool(rules.cue("in_a_flare_now_words").search(question)),
            ejection_fraction=_ejection_fraction_told(question, rules),
        )


def _for_a_medicine_ruled_out(text: str, reader: _Reader) -> bool:
    """Amoxicillin for someone allergic to penicillin."""
    return names_ruled_out(text, reader.ruled_out, reader.rules)


def _for_people_without_what_is_told(text: str, reader: _Reader) -> bool:
    """ "For AF without heart failure" for someone with both; "men who do not have a catheter"
    for a man with one; "in a person without chronic kidney disease stage 3 or worse" for
    someone whose eGFR is 22."""
    return (
        excludes_named_condition(text, reader.frame)
        or excludes_what_is_told(text, reader.question, reader.rules)
        or any(
            reader.rules.addresses(group, match.group(1))
            for match in _SAID_OF_PEOPLE_WITHOUT.finditer(text)
            for group in reader.frame.populations
        )
    )


# The clause a line says its people do not have: "in a person without chronic kidney disease
# stage 3 or worse, …".
# (…of people: "do not choose a preventive without weighing pregnancy" is no such line.)
_SAID_OF_PEOPLE_WITHOUT = re.compile(
    r"\b(?:person|people|patients?|adults?|those|someone|anyone|men|women|children)\s+"
    r"(?:without|who (?:do|does) not have) ([^,;.]{3,60})",
    re.IGNORECASE,
)


def _tells_symptoms(question: str, rules: FrameRules) -> bool:
    """Whether the reader tells symptoms of their own, not denied ("she hasn't said anything
    about pain weeing" tells none)."""
    return rules.mentions_undenied(rules.cue("symptoms_told_words"), question)


def _for_another_age(text: str, reader: _Reader) -> bool:
    """Whatever later stage looks for a line on the circumstance named, "a child aged 6 months
    to 2 years with one ear infected" does not lead for a 3-year-old."""
    return excludes_age(text, reader.frame.age_years)


def _for_people_with_an_allergy_not_told(text: str, reader: _Reader) -> bool:
    """A line that opens on a medicine allergy the question does not tell: "Allergic to
    penicillin, but never had a bad reaction? … cephalexin for 10 days" does not lead for a
    child on amoxicillin. (Only the allergy: a line opening on other groups often lists the
    reader's too, "for pregnant women and for men", "in adults and children".)"""
    rules = reader.rules
    told = "allergy" in reader.frame.populations or rules.mentions_undenied(
        rules.population("allergy").question, reader.question
    )
    return not told and rules.addresses("allergy", _opening(text))


# "For a child or young person with acute otitis media who needs an antibiotic but is allergic
# to penicillin, …": a line's opening clause says whom it is for, however long it runs.
_OPENING_CLAUSE = re.compile(r"^(?:for|in|if|when)\b[^.,;:]{0,160}", re.IGNORECASE)


def _opening(text: str) -> str:
    """The part of `text` that says whom it is for: its opening "for …" or "if …" clause, or
    else its first `_OPENING_CHARACTERS` characters."""
    clause = _OPENING_CLAUSE.match(text)
    if clause is not None and len(clause.group()) > _OPENING_CHARACTERS:
        return clause.group()
    return text[:_OPENING_CHARACTERS]


def _for_people_without_symptoms(text: str, reader: _Reader) -> bool:
    """ "Burning when I pee, third time this year" is not answered by the line on germs in the
    urine "that cause no symptoms"."""
    return reader.symptoms_told and bool(reader.rules.cue("for_no_symptoms_words").search(text))


def _for_people_with_an_effect_not_told(text: str, reader: _Reader) -> bool:
    """ "LDL 4.2, do I need a statin or is diet enough?" is not answered by "if your muscles
    ache while you take a statin …": a line that opens on an effect of a medicine that the
    reader does not tell."""
    opening = _OPENING_CONDITION.match(text)
    # (…an effect of a medicine: "if your blood pressure is very high and you have chest pain"
    # is for a reader who feels fine too, who needs to know when to go.)
    if opening is None or not (find_drugs(opening.group()) or speaks_of_medicines(opening.group())):
        return False
    told = reader.rules.symptoms_told(reader.question)
    return any(
        statement.search(opening.group()) and statement not in told
        for _, statement in reader.rules.told_symptoms
    )


# The condition a line opens on: "If your muscles ache, feel tender or feel weak while …,".
_OPENING_CONDITION = re.compile(r"^(?:if|when)\b[^.,;]*", re.IGNORECASE)


def _for_people_on_a_preventer(text: str, reader: _Reader) -> bool:
    """ "My son is 7 and uses his blue inhaler 4 times a week" is not answered by what to do
    when a child "may still have symptoms on a low-dose preventer": he is on none."""
    rules = reader.rules
    return bool(rules.cue("on_a_preventer_words").search(text)) and not rules.cue(
        "preventer_told"
    ).search(reader.question)


def _for_people_not_yet_treated(text: str, reader: _Reader) -> bool:
    """ "On amlodipine 10 and ramipril 10, BP still 150/94: next agent?" is not answered by when
    to start a first medicine, nor by which one."""
    starting = reader.rules.cue("starting_treatment_words")
    return reader.treatment_fell_short and bool(starting.search(text))


def _for_people_not_yet_on_it(text: str, reader: _Reader) -> bool:
    """ "76F on levothyroxine 125, TSH 0.08. Reduce?" is not answered by the dose to start
    levothyroxine at, nor by when to consider it: those lines are for people not yet on it
    (not "consider continuing sertraline", which is for people on it)."""
    return any(
        re.search(_STARTING_IT.format(re.escape(generic)), text, re.IGNORECASE)
        for generic in reader.taken
    )


# Starting or considering a medicine by name: "starting levothyroxine at 25 micrograms",
# "suggests considering levothyroxine".
_STARTING_IT = (
    r"\b(?:start|starting|initiat\w*|begin\w*|consider(?:ing)?|offer(?:ing)?)\s+"
    r"(?:(?!continu|keep|stay)[\w-]+\s+){{0,2}}?{}\b"
)


def _for_people_already_taking_it(text: str, reader: _Reader) -> bool:
    """ "72F, TSH 7.8, fT4 normal. Start levo?" is not answered by how often TSH is checked
    "for adults taking levothyroxine": a reader asking whether to start a medicine is not yet
    on it."""
    if not reader.starting_asked:
        return False
    match = _FOR_PEOPLE_TAKING.search(text)
    if match is None:
        return False
    named = {drug.generic for drug in find_drugs(match["drug"])}
    asked = {drug.generic for drug in reader.frame.drugs}
    return bool(named & asked) and not named & set(reader.taken)


# "For adults taking levothyroxine for …", "in people on a statin".
_FOR_PEOPLE_TAKING = re.compile(
    r"\b(?:for|in)\s+(?:adults|people|patients|those|women|men|children)\b[^.;:]{0,30}?"
    r"\b(?:taking|on|treated\s+with)\s+(?:an?\s+)?(?P<drug>[\w-]+)",
    re.IGNORECASE,
)


def _for_another_rung(text: str, reader: _Reader) -> bool:
    """On two blood pressure medicines, the line for the next rung (a third), not the line for
    someone on one, nor "resistant hypertension" (three), whatever is asked; and "if step 1
    treatment with a calcium-channel blocker does not control it" is for someone on one, not
    for someone on ramipril."""
    rung = reader.rules.cue("step_reached_words").search(text)
    if rung is None:
        return False
    if not reader.taken:
        # (…and someone asking whether to start a first one is on no rung: "152/94 at the
        # chemist's, do I need to start tablets?" is not answered by what to do on three.)
        return reader.starting_asked
    return _reached_step(rung) != len(reader.taken) or not _on_the_treatment_named(
        rung, reader.taken, reader.rules
    )


def _for_chronic_hypertension(text: str, reader: _Reader) -> bool:
    """ "G1 30/40, BP 145/95 on repeat": high blood pressure first found after 20 weeks, with no
    history told, is gestational; lines for women whose high blood pressure predates the
    pregnancy are for other readers."""
    for_chronic = reader.rules.cue("for_chronic_hypertension_words")
    return reader.gestational and bool(for_chronic.search(text))


def _for_another_ejection_fraction(text: str, reader: _Reader) -> bool:
    """ "HFpEF, EF 58%: anything with mortality benefit?" is not answered by a line for people
    with an ejection fraction below 40% (nor the other way round)."""
    if reader.ejection_fraction is None:
        return False
    other = "reduced" if reader.ejection_fraction == "preserved" else "preserved"
    rules = reader.rules
    return bool(rules.cue(f"{other}_ejection_fraction_words").search(text)) and not rules.cue(
        f"{reader.ejection_fraction}_ejection_fraction_words"
    ).search(text)


def _ejection_fraction_told(question: str, rules: FrameRules) -> str | None:
    """ "reduced" or "preserved" when the question tells one kind of heart failure by its
    ejection fraction; None when it tells neither, or both (a change over time)."""
    told = [
        kind
        for kind in ("reduced", "preserved")
        if rules.cue(f"{kind}_ejection_fraction_words").search(question)
    ]
    return told[0] if len(told) == 1 else None


def _for_people_on_another_drug_of_the_kind(text: str, reader: _Reader) -> bool:
    """ "Started atorvastatin … can I still have my grapefruit juice?" is not answered by "if
    you take simvastatin, do not drink grapefruit juice": a line written for people taking
    another drug of the same kind, named where it says whom it is for."""
    asked = {drug.generic for drug in reader.frame.drugs}
    if not asked:
        return False
    opening = _opening(text)
    kinds = {kind for generic in asked for kind in reader.rules.names_used_for(generic)}
    for mention in find_drugs(opening):
        if not mention.is_specific or mention.generic in asked:
            continue
        if not kinds & set(reader.rules.names_used_for(mention.generic)):
            continue
        written = re.escape(mention.as_written)
        if re.match(rf"\s*{written}\b", opening, re.I) or re.search(
            rf"\b(?:take|takes|taking|on|given|using)\s+(?:[\w-]+\s+){{0,2}}?{written}\b",
            opening,
            re.I,
        ):
            return not any(find_whole(generic, text, ignore_case=True) for generic in asked)
    return False


def _for_people_the_story_rules_out(text: str, reader: _Reader) -> bool:
    """ "No Barrett's or erosive oesophagitis. Wants to stop. How?" is not answered by whom
    not to take off a PPI (people with complicated reflux), whichever stage looks again."""
    return for_people_the_question_rules_out(reader.question, text)


def _for_people_already_on_it(text: str, reader: _Reader) -> bool:
    """ "Can I start allopurinol now while it's flaring?" is not answered by "do not stop it
    during a flare", which is for people already on it; nor is "three attacks this year, can
    cherry capsules replace allopurinol?", which tells no flare now."""
    if not reader.rules.cue("keep_taking_words").search(text):
        return False
    during_a_flare = bool(_DURING_A_FLARE.search(text))
    return reader.starting_asked or (during_a_flare and not reader.in_a_flare_now)


_DURING_A_FLARE = re.compile(r"\bduring (?:a|an|the) (?:gout )?(?:flare|attack)\b", re.I)


# Each says whether a line is written for someone other than the reader.
_FOR_OTHER_READERS: tuple[Callable[[str, _Reader], bool], ...] = (
    _for_a_medicine_ruled_out,
    _for_people_without_what_is_told,
    _for_another_age,
    _for_people_with_an_allergy_not_told,
    _for_people_without_symptoms,
    _for_people_with_an_effect_not_told,
    _for_people_on_a_preventer,
    _for_people_already_taking_it,
    _for_people_not_yet_treated,
    _for_people_not_yet_on_it,
    _for_another_rung,
    _for_chronic_hypertension,
    _for_people_already_on_it,
    _for_another_ejection_fraction,
    _for_people_the_story_rules_out,
    _for_people_on_another_drug_of_the_kind,
)


def _for_another_reader(text: str, reader: _Reader) -> bool:
    """Whether any of `_FOR_OTHER_READERS` says `text` is written for someone else."""
    return any(rule(text, reader) for rule in _FOR_OTHER_READERS)


# Weeks of pregnancy from which raised blood pressure first found is gestational (NICE NG133).
_GESTATIONAL_FROM_WEEK = 20


def _raised_only_in_pregnancy(frame: QuestionFrame, question: str, rules: FrameRules) -> bool:
    """Whether the reader is at least 20 weeks pregnant and tells no high blood pressure from
    before the pregnancy."""
    if "pregnancy" not in frame.populations:
        return False
    match = rules.cue("weeks_pregnant_words").search(question)
    if match is None or rules.cue("chronic_hypertension_told").search(question):
        return False
    weeks = int(match["slash"] or match["weeks"] or match["after"])
    return weeks >= _GESTATIONAL_FROM_WEEK


def _medicines_taken(frame: QuestionFrame, question: str, rules: FrameRules) -> set[str]:
    """The medicines the reader says they take, each once by its generic name."""
    # (The frame the composer gets has the asked interventions only; its drugs keep every
    # medicine named, as written.)
    named = {drug.as_written for drug in frame.drugs} | set(frame.interventions)
    taken: set[str] = set()
    for term in named:
        # (…"my losartan" is one the reader takes, even where it is what they ask about.)
        own = re.search(rf"\b(?:my|his|her|their)\s+{re.escape(term)}\b", question, re.I)
        if not (
            own or is_context(term, question) or treated_with(term, frame.conditions, question)
        ):
            continue
        drugs = find_drugs(term)
        if drugs or rules.is_a_medicine_class(term):
            taken.add(drugs[0].generic if drugs else term.lower())
    return taken


def _on_the_treatment_named(rung: re.Match[str], taken: frozenset[str], rules: FrameRules) -> bool:
    """Whether the treatment a ladder line's rung (`step_reached_words`) is conditioned on
    ("with a calcium-channel blocker") is one the reader takes, by name or class; True for a
    rung naming none."""
    named = (rung["with"] or "").lower()
    if not named:
        return True
    names = {name for generic in taken for name in (generic, *rules.drug_classes(generic))}
    return any(find_whole(name, named) for name in names)


_COUNTED = {"one": 1, "two": 2, "three": 3}


def _reached_step(rung: re.Match[str]) -> int:
    """How many medicines a reader is on for whom a ladder line's rung (`step_reached_words`)
    is the next one."""
    if rung["step"]:
        return int(rung["step"])
    if rung["resistant"]:
        return 3
    return _COUNTED[rung["on"].lower()]


def _best_of_the_asks_section(lead: Candidate, asked: Asked) -> Candidate:
    """Of the lines nearly as near as `lead`, one naming the treatment or first choice asked
    about, else the first of the ask's own section (or, for red flags, one naming an alarm)."""
    frame, rules, question = asked.frame, asked.rules, asked.question
    best_section = rules.sections_for(frame.ask)[0]
    # A line written for patients is not set aside for a prescriber's line that only sits
    # in the ask's section ("severe hypertension … managed in the outpatient setting" for
    # "160/100 at the pharmacy, should I go to A&E?"), nor for a line for a group the
    # question does not name ("… and find out you are pregnant").
    pool = [
        c
        for c in asked.candidates
        if c.relevance >= _NEAR_TIE * lead.relevance
        and (c.plain or not (asked.audience is Audience.PATIENT and lead.plain))
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
    return near[0] if near else lead


def _for_this_reader(candidate: Candidate, asked: Asked) -> bool:
    """Not a line for a group the question does not name, nor for people with something it
    rules out ("no otorrhoea"), nor about another circumstance ("a player … during and after
    exercise" for a jogger)."""
    return (
        not _for_a_group_not_asked(candidate.text, asked.frame, asked.rules)
        and not for_people_the_question_rules_out(asked.question, candidate.text)
        and not asked.rules.other_context(asked.question, candidate.text)
    )


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


def _addresses_a_group_with_own_medicines(
    text: str, lead: str, frame: QuestionFrame, rules: FrameRules
) -> bool:
    """Whether `text` speaks of an asked group whose medicines differ (pregnancy,
    breastfeeding, kidney disease) that `lead` does not speak of."""
    return any(
        rules.population(p).own_medicines
        and rules.needs_saying(p)
        and rules.addresses(p, text)
        and not rules.addresses(p, lead)
        for p in frame.populations
        if p in {rule.population_id for rule in rules.populations}
    )


def _for_a_group_not_asked(
    text: str, frame: QuestionFrame, rules: FrameRules, *, medicines_differ: bool = False
) -> bool:
    """A line for one group (people over 80, pregnancy) when the question names none: the
    target for people over 80 is not the reader's target. With `medicines_differ`, only the
    groups whose medicines differ count ("if you are allergic to penicillin …", pregnancy)."""
    return not frame.populations and any(
        (rule.own_medicines or not medicines_differ)
        and rules.addresses(rule.population_id, text)
        and not _of_the_age_told(rule.population_id, frame.age_years)
        for rule in rules.populations
    )


def _of_the_age_told(population: str, age: float | None) -> bool:
    """Whether the reader's told age puts them in `population` though no word names it ("72,
    arthritis in both knees": a line for older people is for them)."""
    return population == "older_adult" and age is not None and age >= _OLDER_ADULT_FROM


# The age from which a line for older people speaks to the reader (NICE's "aged 65 and over").
_OLDER_ADULT_FROM = 65


def _for_another_group(text: str, frame: QuestionFrame, rules: FrameRules) -> bool:
    """A line for a group whose care differs (pregnancy, children) that the question does not
    name, and not for one it does ("adults, including pregnant people and those aged 65 or
    older" is for a 70-year-old too)."""
    groups = [rule.population_id for rule in rules.populations]
    if any(_addresses_in_its_own_words(p, text, rules) for p in frame.populations if p in groups):
        return False
    return any(
        p not in frame.populations and rules.needs_saying(p) and rules.addresses(p, text)
        for p in groups
    )


def _addresses_in_its_own_words(population: str, text: str, rules: FrameRules) -> bool:
    """Whether `text` speaks to `population` in words that count beside the other groups it
    speaks to: "for you and your baby" in a line on pregnancy is not about a child."""
    for other, words in rules.population(population).not_counting_when:
        if rules.addresses(other, text):
            text = words.sub(" ", text)
    return rules.addresses(population, text)


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
        if not _about_medicines(c) and c.relevance >= RELEVANCE_FLOOR * first.relevance
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
