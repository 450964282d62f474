"""What an article says before its bottom line about what it does not cover (`Answer.gaps`).

A question can ask for something the evidence does not give — a dose, a length of treatment, a
referral — or about someone the evidence does not speak to — a population, a person on a drug
no source mentions. The article still gives the closest advice, and says so first, in the
reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from bedside.analyse.ages import age_ranges, excludes_age
from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import (
    asked_effect,
    asked_sentences,
    frame_rules,
    leaves_out,
)
from bedside.analyse.terms import content_stems, sentences
from bedside.compose.article import all_statements
from bedside.compose.ranking import (
    frequency_asked,
    intervention_share,
    named_share,
    names_each_intervention,
    names_it_with_another,
    speaks_of_harms,
    states_a_dose,
    states_a_duration,
    states_a_frequency,
    states_a_target,
    target_asked,
)
from bedside.compose.sections import speaks_of_medicines
from bedside.domain import Ask, Draft, QuestionFrame

# Words of a statement that says when, where or to whom to go.
_REFERRAL = re.compile(
    r"\b(refer\w*|specialists?|surg(eon|ery|ical)\w*|urgent\w*|emergency|hospital|"
    r"a&e|at once|straight away)\b",
    re.IGNORECASE,
)
# Words of a statement that says when help is needed at once (a specialist team is not that).
_URGENT = re.compile(
    r"\b(urgent\w*|emergency|999|911|a&e|straight away|at once|same day|immediately|"
    r"right away|ambulance|hospital|alarm (features?|signs?|symptoms?)|red flags?|"
    r"warning signs?)\b",
    re.IGNORECASE,
)
# A question that asks when help is needed at once ("when should I worry?", "is that urgent?").
_URGENCY_ASKED = re.compile(
    r"\b(urgent\w*|emergency|worr\w+|serious|dangerous|a&e|hospital|worse|warning signs?|"
    r"red flags?|danger signs?)\b",
    re.IGNORECASE,
)
# Where and how a statement speaks of a medicine's harms.
_HARM_SECTIONS = frozenset({"side_effects", "warnings"})


_ASK_CHECKS: dict[Ask, tuple[str, str, str]] = {
    Ask.SIDE_EFFECTS: (
        "harms",
        "its harms or safety",
        "how safe it is or what side effects it has",
    ),
    Ask.DOSE: ("amount", "a dose", "a dose"),
    Ask.DURATION: ("span", "how long treatment should last", "how long to keep going"),
    Ask.REFERRAL: ("referral", "when or to whom to refer", "when to see a specialist"),
    Ask.PREVENTION: ("prevention", "a way to prevent it", "how to stop it happening"),
    # "What should I do if my heart failure suddenly gets worse?": only a line on when to get
    # urgent help answers it.
    Ask.RED_FLAGS: ("urgent", "advice on when urgent care is needed", "when to get urgent help"),
    # "On simvastatin, needs clarithromycin: hold the statin?": only a line naming both answers.
    Ask.INTERACTIONS: (
        "together",
        "advice on taking these medicines together",
        "whether these medicines can be taken together",
    ),
}
# "How long does a gout flare last?": the outlook asked as a time, which only a time answers.
_HOW_LONG = re.compile(r"\bhow (long|soon)\b", re.IGNORECASE)
_TIME_COURSE = ("course", "how long it lasts", "how long it lasts")
# "Does he need a blood thinner for life?", "will I need tablets forever?": how long a medicine
# is kept up, which only a length of use answers ("lifelong", "for at least 6 months").
_FOR_HOW_LONG = re.compile(
    r"\b(for life|forever|for the rest of (my|his|her|their) li(fe|ves)|indefinitely|"
    r"(long|longer)[- ]term|for (months|years))\b",
    re.IGNORECASE,
)
_LENGTH_OF_USE = ("use", "how long it should be continued", "how long it is usually taken for")
# "When can my child go back to school after strep throat?": only a line on going back answers it.
_GOING_BACK = ("return", "advice on when to go back", "when it is safe to go back")
# "Is pneumonia contagious?": only a line on it passing to others answers it.
_CONTAGION = (
    "contagion",
    "advice on whether it spreads to others",
    "whether it spreads to other people",
)
# "What is a normal heart rate with AF?", "target LDL?": only a value to aim for answers it.
_TARGET = ("target", "a value to aim for", "a number to aim for")
# "How often should I have a bone density scan?": only a frequency answers it.
_FREQUENCY = ("frequency", "advice on how often", "how often")
# "What should I eat with heart failure?": only a line on eating or drinking.
_DIET = ("diet", "advice on diet", "what to eat or drink")
# "What triggers a migraine?": only a line on what causes or sets it off.
_CAUSE = ("cause", "advice on what causes or triggers it", "what causes it or sets it off")
# "Statin intolerance: next options?": only a line on what to do when a treatment fails or
# cannot be taken.
_NEXT_STEP = (
    "next_step",
    "advice on what to do when it fails or cannot be taken",
    "what to try when a treatment has not worked or does not suit you",
)
# "How long do antidepressants take to work?": only a line on when it starts to work.
_ONSET = ("onset", "advice on how soon it works", "how soon it starts to work")
# "Forgot my Eliquis this morning: take 2 tonight?": only a line on what to do about a missed
# dose.
_MISSED_DOSE = (
    "missed_dose",
    "advice on what to do after a missed dose",
    "what to do if you miss a dose",
)
# "Can I take my bisphosphonate with breakfast?": only a line on when to take it.
_TIMING = ("timing", "advice on when to take it", "when in the day to take it")
# "Can I stop my thyroid tablets if I feel fine?", "step-down of ICS?": only a line on stepping
# down or stopping (or lifelong use).
_STOPPING = (
    "stopping",
    "advice on when to step it down or stop it",
    "when it is safe to cut down or stop it",
)
# Less of a medicine: a dose question that asks for it ("should the dose be reduced?") asks about
# stepping down.
_LESS_OF_IT = re.compile(r"\b(reduc\w*|lower\w*|cut(ting)?|decreas\w*)\b", re.IGNORECASE)
# A duration, not a rate ("2 attacks a year"): "within 24 hours", "over a few weeks", "a year or
# two later".
_TIME_SPAN = re.compile(
    r"\b(?:for|within|after|over|lasts?|lasting|up to|takes?|in|by|from) (?:about |around |"
    r"up to |at least |as early as )?(?:\d+(?:\.\d+)? (?:to \d+ )?|an? |one |two |three |"
    r"(?:a )?few |several )(?:hours?|days?|weeks?|months?|years?)\b"
    r"|\b(?:an?|one|two|some) (?:or two )?(?:days?|weeks?|months?|years?)(?: or two)? later\b"
    r"|\bover (?:the )?(?:following|next|coming) (?:few )?(?:days|weeks|months|years)\b",
    re.IGNORECASE,
)


def names_them_together(texts: Iterable[str], frame: QuestionFrame) -> bool:
    """Whether one text (a statement, a card's passage) names every medicine asked about (by
    name or class): what a question on taking them together needs."""
    return any(names_each_intervention(text, frame) for text in texts)


def _names_one_with_another(texts: Iterable[str], frame: QuestionFrame, question: str) -> bool:
    """Whether a text names the medicine asked about with one the person is on, or every one
    the question asks about (`names_it_with_another`)."""
    with_another = names_it_with_another(frame, question)
    return any(with_another(text) for text in texts)


def unanswered_ask(
    frame: QuestionFrame,
    draft: Draft,
    for_patient: bool,
    question: str = "",
    *,
    prescribers_doses: bool = False,
) -> tuple[str, ...]:
    """Said first when nothing in the article answers what was asked (no dose for a dose
    question, no time for "how long does it last?"): the article then gives the closest
    advice, and says so."""
    check = _check_for(frame, question)
    if check is None:
        return ()
    kind, clinician_words, patient_words = check
    statements = all_statements(draft)
    rules = frame_rules()
    if kind == "next_step":
        wanted = rules.if_unsuitable if rules.cannot_take.search(question) else rules.next_step
        # …and a specialist's review is a next step ("anything more that can be done?").
        answered = any(wanted.search(s.text) or _REFERRAL.search(s.text) for s in statements)
    elif kind in _LINE_ANSWERS:
        answers = _LINE_ANSWERS[kind]
        answered = any(answers(s.text) for s in statements)
    elif kind == "together":
        # Only for two or more medicines named: "a glass of wine with Belsomra" is answered by
        # the label's line on alcohol, which names one.
        # With two medicines named, they are what is asked together, not everything else asked
        # beside them ("… and is the odd glass of wine ok with it?").
        medicines = (
            replace(frame, interventions=tuple(d.as_written for d in frame.drugs))
            if len(frame.drugs) >= 2
            else frame
        )
        answered = len(medicines.interventions) < 2 or _names_one_with_another(
            (s.text for s in statements), medicines, question
        )
    elif kind == "amount":
        # …for the drug asked about, when one is named ("colchicine", not allopurinol's dose).
        answered = any(
            states_a_dose(s.text)
            and (not frame.interventions or intervention_share(s.text, frame) > 0)
            for s in statements
        )
    elif kind == "harms":
        # "Is it safe to keep taking omeprazole for years?" answered from a reflux card that
        # says nothing of harms: the article is about its use, and says so first.
        # …and a line on the very effect the reader tells ("more jittery since starting
        # sertraline": "some people feel more restless or anxious in the first weeks").
        told = rules.symptoms_told(question)
        answered = (
            any(section.section_id in _HARM_SECTIONS for section in draft.sections)
            or any(speaks_of_harms(s.text) for s in statements)
            or any(symptom.search(s.text) for symptom in told for s in statements)
        )
    elif kind == "prevention":
        prevention = rules.prevention_words
        answered = any(section.section_id == "prevention" for section in draft.sections) or any(
            prevention.search(s.text) for s in statements
        )
    elif kind == "use":
        # How long to keep taking it, not how long it takes to work ("weeks before you feel
        # the difference").
        length = rules.length_of_use_words
        answered = any(
            (_TIME_SPAN.search(s.text) and not rules.onset_words.search(s.text))
            or length.search(s.text)
            for s in statements
        )
    elif kind == "course":
        # A time in the answer itself or in what it says of the outlook, not the length of a
        # drug course elsewhere in the article ("prophylaxis for 3 to 6 months").
        outlook = [
            *draft.bottom_line,
            *(s for sec in draft.sections if sec.section_id == "prognosis" for s in sec.statements),
        ]
        answered = any(_TIME_SPAN.search(s.text) for s in outlook)
    elif kind == "urgent":
        answered = any(section.section_id == "red_flags" for section in draft.sections) or any(
            _URGENT.search(s.text) for s in statements
        )
    else:
        answered = any(section.section_id == "referral" for section in draft.sections) or any(
            _REFERRAL.search(s.text) for s in statements
        )
    if answered:
        return ()
    if for_patient and kind == "amount" and prescribers_doses:
        # The sources do give doses, in words for prescribers that a patient article leaves out
        # (`prescribers_doses`): "our sources do not say a dose" would be untrue.
        return (
            "Your dose is set by your doctor: our sources give doses for prescribers, not a "
            "dose to take without their advice. Ask your doctor or pharmacist.",
        )
    if for_patient and kind == "urgent":
        # Nobody asking when to get urgent help is sent to a pharmacist.
        return (
            f"Our sources do not say {patient_words}. If you feel very unwell, or it is getting "
            "worse fast, get medical help now.",
        )
    if for_patient:
        return (f"Our sources do not say {patient_words}. Ask your doctor or pharmacist.",)
    return (
        f"The sources here do not give {clinician_words}; the closest advice they give follows.",
    )


def _rule_words(name: str) -> Callable[[str], bool]:
    """Whether a text holds the words of the rule `name` in frame_rules.yaml."""
    return lambda text: bool(getattr(frame_rules(), name).search(text))


# Checks answered by any one statement of the kind: a duration, a frequency, a value to aim
# for, or the words of a rule in frame_rules.yaml.
_LINE_ANSWERS: dict[str, Callable[[str], bool]] = {
    "span": states_a_duration,
    "frequency": states_a_frequency,
    "target": states_a_target,
    "return": _rule_words("return_words"),
    "contagion": _rule_words("contagion_words"),
    "stopping": _rule_words("stopping_words"),
    "onset": _rule_words("onset_words"),
    "timing": _rule_words("timing_words"),
    "missed_dose": _rule_words("missed_dose_words"),
    "diet": _rule_words("diet_words"),
    "cause": _rule_words("cause_words"),
}


def _check_for(frame: QuestionFrame, question: str) -> tuple[str, str, str] | None:
    """What the article must hold to answer `question`: the ask's own check, or a narrower one
    the wording asks for (going back, spreading, stopping, a time)."""
    rules = frame_rules()
    if rules.contagion_asked.search(question):
        return _CONTAGION
    if rules.diet_asked.search(question):
        return _DIET
    if rules.cause_asked.search(question):
        return _CAUSE
    if frame.ask is not Ask.SIDE_EFFECTS and rules.onset_asked.search(question):
        return _ONSET
    if rules.asks_about_a_missed_dose(question):
        return _MISSED_DOSE
    if rules.timing_asked.search(question):
        return _TIMING
    # "Should the dose be reduced once symptoms settle?" is a step-down question, though it
    # speaks of a dose.
    stepping_down = frame.ask is not Ask.DOSE or _LESS_OF_IT.search(question)
    if stepping_down and rules.stopping_asked.search(question):
        return _STOPPING
    if frame.ask is not Ask.SIDE_EFFECTS and target_asked(question):
        return _TARGET
    if frame.ask not in (Ask.SIDE_EFFECTS, Ask.DOSE) and frequency_asked(question):
        return _FREQUENCY
    if frame.ask is Ask.PROGNOSIS and rules.return_words.search(question):
        return _GOING_BACK
    if frame.ask is Ask.PROGNOSIS and _HOW_LONG.search(question):
        return _TIME_COURSE
    if frame.ask not in (Ask.SIDE_EFFECTS, Ask.DOSE) and _FOR_HOW_LONG.search(question):
        return _LENGTH_OF_USE
    next_asked = frame.treatment_tried and rules.next_asked.search(question)
    if next_asked and frame.ask in (Ask.TREATMENT, Ask.DRUG_CHOICE):
        return _NEXT_STEP
    if frame.ask is Ask.RED_FLAGS and not _URGENCY_ASKED.search(question):
        return None  # "does that rule it out?" asks about a finding, not about urgent help
    return _ASK_CHECKS.get(frame.ask)


def effect_asked(question: str, frame: QuestionFrame) -> str | None:
    """The effect a side-effect question names ("muscle pain"), or one a question about a
    condition asks whether it causes ("do thyroid problems cause weight gain?"), or None."""
    if frame.ask is Ask.SIDE_EFFECTS:
        # (An effect only heard of has already made the question a treatment one: see
        # `effect_only_heard_of`.)
        return asked_effect(question)
    about_the_condition = frame.ask in (Ask.DIAGNOSIS, Ask.GENERAL) and not frame.interventions
    if not about_the_condition:
        return None
    # …only when the condition is what is said to cause it ("can stress make my blood pressure
    # go up?" names the condition as the effect, and its cause is no condition of ours).
    match = frame_rules().effect_slot.search(question)
    before = question[: match.start()].lower() if match else ""
    named_first = any(condition.lower() in before for condition in frame.conditions)
    return asked_effect(question) if named_first else None


# "My friend said statins made her legs ache": what someone else said happened to them.
_HEARSAY = re.compile(
    r"\b(friend|sister|brother|mum|mom|mother|dad|father|neighbou?r|colleague|someone|people|"
    r"cousin|aunt|uncle|gran|nan|wife|husband|partner)\b.{0,40}\b(said|says|told|tells|"
    r"reckons|heard|read|warned)\b|\b(heard|read|told)\b.{0,30}\b(that|they|it|statins?|"
    r"these)\b",
    re.IGNORECASE,
)


def effect_only_heard_of(question: str) -> bool:
    """Whether the effect a question names is named only in a sentence reporting what someone
    else said or what the reader heard, beside a question of its own ("is it really worth it?
    my friend said statins made her legs ache"): the question is whether to take it, not the
    effect."""
    effect = asked_effect(question)
    if not effect:
        return False
    naming = [s for s in sentences(question) if effect.lower() in s.lower()]
    asked = asked_sentences(question)
    return (
        bool(naming) and bool(asked) and all(_HEARSAY.search(s) and s not in asked for s in naming)
    )


def unmentioned_effect(
    effect: str | None, frame: QuestionFrame, draft: Draft, for_patient: bool
) -> tuple[str, ...]:
    """Said first when a side-effect question names an effect (`effect_asked`: "can statins
    cause muscle pain?") that no statement of the article speaks of: what follows is about the
    medicine, not about that effect."""
    if effect is None:
        return ()
    generic = frame_rules().effect_generic_words
    stems = set(content_stems(effect))
    specific = stems - set(content_stems(" ".join(generic))) or stems
    if not specific:
        return ()
    statements = all_statements(draft)
    if any(specific <= set(content_stems(s.text)) for s in statements):
        return ()
    if frame.ask is not Ask.SIDE_EFFECTS:
        # "Do thyroid problems cause weight gain?": the condition, not a medicine.
        if for_patient:
            return (f"Our sources do not say whether it causes {effect}. Ask your doctor.",)
        return (f"The sources here do not address {effect}; what they do say follows.",)
    medicine = frame.interventions[0] if frame.interventions else "this medicine"
    if for_patient:
        return (
            f"Our sources do not say whether {medicine} can cause {effect}. Ask your doctor or "
            "pharmacist.",
        )
    return (f"The sources here do not address {effect} with {medicine}; what they do say follows.",)


def population_gaps(
    frame: QuestionFrame, draft: Draft, card_titles: Sequence[str], for_patient: bool
) -> tuple[str, ...]:
    """A caveat for each population asked about that the article's answer does not address.

    Addressed means the bottom line (or the card's title: "… in children") speaks about it.
    When only a lower statement does, the caveat says the bottom line is general advice.
    """
    rules = frame_rules()
    # A statement for other ages ("aged 80 and over" for a 70-year-old) does not address them.
    lead = [s.text for s in draft.bottom_line if not leaves_out(s.text, frame)] + list(card_titles)
    rest = [
        x.text
        for section in draft.sections
        for x in section.statements
        if not leaves_out(x.text, frame)
    ]
    gaps = []
    for population in frame.populations:
        if any(rules.addresses(population, text) for text in lead):
            continue
        if not rules.needs_saying(population) and not any(
            rules.contradicts(population, text) for text in lead
        ):
            continue  # advice for everyone is advice for men too
        label = rules.population(population).label
        partly = any(rules.addresses(population, text) for text in rest)
        gaps.append(gap_message(label, partly=partly, for_patient=for_patient))
    if other_ages_only(frame, draft):
        gaps.append(age_gap_message(frame.age_years or 0.0, for_patient=for_patient))
    return tuple(gaps)


# Whose medicines differ so much that general advice on a medicine must not be given as if it
# applied: "can I take ibuprofen while pregnant?" answered by "a pharmacist may suggest an
# NSAID" could harm the baby, and "can I get omeprazole for my 7-week-old's reflux?" answered by
# "tablets that reduce acid are usually safe" could harm the child.
_MEDICINES_DIFFER = ("pregnancy", "breastfeeding", "child")

# What asks for a medicine without naming one: "4-year-old with pneumonia: first-line antibiotic
# and duration?"
_ASKS_FOR_MEDICINES = frozenset({Ask.TREATMENT, Ask.DRUG_CHOICE, Ask.DOSE, Ask.DURATION})


def medicine_not_covered_for(
    frame: QuestionFrame,
    draft: Draft,
    card_titles: Sequence[str],
    for_patient: bool,
    *,
    labels_held: bool = False,
) -> str | None:
    """The population (its label) for whom a reader asks whether a named medicine is safe and
    no statement of the article, nor the card's title, speaks of that population: the answer
    is then a refusal naming both, not general advice under a caveat. Only for patients; a
    clinician reads general advice under the caveat as general."""
    if not for_patient or not frame.drugs:
        return None
    rules = frame_rules()
    texts = [statement.text for statement in all_statements(draft)]
    # …a statement on the medicine asked about, for that population: a pregnancy line on
    # topiramate says nothing of sumatriptan in pregnancy.
    # A child's medicine, though, is answered by sources that speak of children at all: a sore
    # throat card on children and adults names penicillin without saying "children" each time.
    on_the_medicine = [text for text in texts if named_share(text, frame) > 0]
    for population in frame.populations:
        if population not in _MEDICINES_DIFFER:
            continue
        if population == "child" and labels_held:
            continue  # a drug's label has its own paediatric section, whatever its words
        lines = texts if population == "child" else on_the_medicine
        if any(rules.addresses(population, text) for text in (*lines, *card_titles)):
            continue
        return rules.population(population).label
    return None


def medicines_not_covered_for(
    frame: QuestionFrame, draft: Draft, card_titles: Sequence[str]
) -> str | None:
    """The population (as a card title ends: "in children") whose treatment is asked for,
    naming no medicine, when the article's bottom line is medicine advice and none of its
    statements, nor a card's title, speaks of that population: the answer is then a refusal
    saying the sources do not cover them. Adult antibiotic doses are no answer for a
    4-year-old's pneumonia, for a clinician or a parent alike; the caveat above them would be
    read after the dose."""
    if frame.drugs or frame.ask not in _ASKS_FOR_MEDICINES:
        return None
    if not any(_medicine_advice(statement.text) for statement in draft.bottom_line):
        return None
    rules = frame_rules()
    texts = [statement.text for statement in all_statements(draft)] + list(card_titles)
    for population in frame.populations:
        if population in _MEDICINES_DIFFER and not any(
            rules.addresses(population, text) for text in texts
        ):
            return rules.population(population).title
    return None


# Medicines by their kind, beyond the words that file a statement under "Medicines":
# "start urate-lowering therapy 2 to 4 weeks after a flare" is medicine advice.
_MEDICINE_KINDS = re.compile(
    r"\b(\w+-lowering (therap|treat|drug|medic)\w*|anticoagula\w+|antidepressants?|"
    r"(cortico)?steroids?|insulin|injections?)\b",
    re.IGNORECASE,
)


def _medicine_advice(text: str) -> bool:
    return speaks_of_medicines(text) or bool(_MEDICINE_KINDS.search(text) or find_drugs(text))


def other_ages_only(frame: QuestionFrame, draft: Draft) -> bool:
    """Whether the answer's age-specific advice is all for other ages than the one asked: its
    bottom line leaves that age out, or every statement that gives an age does ("children
    aged 6 months or older" for a 4-month-old)."""
    age = frame.age_years
    if age is None:
        return False
    if any(excludes_age(s.text, age) for s in draft.bottom_line):
        return True
    texts = [s.text for s in all_statements(draft)]
    with_ages = [text for text in texts if age_ranges(text)]
    return len(with_ages) >= 2 and all(excludes_age(text, age) for text in with_ages)


def age_gap_message(age: float, *, for_patient: bool) -> str:
    if for_patient:
        return (
            "Some of the advice below is for people of a different age. Check with your "
            "doctor or pharmacist."
        )
    return (
        f"Where the sources below give an age, it is not {describe_age(age)}: check whether "
        "their advice applies."
    )


def describe_age(age: float) -> str:
    """ "a 4-month-old", "a 70-year-old"."""
    if age < 2:
        months = round(age * 12)
        return f"a {months}-month-old" if months >= 1 else "a newborn"
    years = round(age)
    article = "an" if str(years).startswith(("8", "11", "18")) else "a"
    return f"{article} {years}-year-old"


def gap_message(label: str, *, partly: bool, for_patient: bool, several: bool = False) -> str:
    """The caveat said first when the sources do not address `label` (`several`: it names more
    than one thing, "atorvastatin, ramipril or diltiazem")."""
    if for_patient and partly:
        return (
            f"The main advice below is general. Only the points that mention {label} are about "
            "it. Check with your doctor or pharmacist."
        )
    if for_patient:
        return (
            f"The sources here do not say anything specific about {label}. Check with your "
            "doctor or pharmacist before following this advice."
        )
    if partly:
        return (
            f"The bottom line below is general advice, not specific to {label}; only the "
            f"statements that name {label} address it directly."
        )
    it = "them" if several else "it"
    return (
        f"The sources here do not address {label}; the advice below is not specific to {it} and "
        "may not apply."
    )
