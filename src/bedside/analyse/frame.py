"""The question frame: condition, population, intervention and ask, read from a question.

A small engine over reviewed rules (`frame_rules.yaml`, medspaCy-style) and the knowledge base's
own condition vocabulary (guideline card titles and aliases). Rules, not a model: the frame is
stored on every answer and shown to reviewers, so each part of it must be explainable.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from bedside.analyse.ages import asked_age, excludes_age
from bedside.analyse.albuminuria import asked_albumin_ratio, excludes_albumin_ratio
from bedside.analyse.drugs import DrugMention, find_drugs
from bedside.analyse.kidney import (
    asked_kidney_function,
    excludes_kidney_function,
    for_a_group_with_weaker_kidneys,
)
from bedside.analyse.readings import blood_pressure_reading
from bedside.analyse.red_flags import find_red_flags
from bedside.analyse.risk import asked_risk, excludes_risk
from bedside.analyse.terms import (
    STOP_WORDS,
    content_stems,
    find_every_whole,
    find_whole,
    sentences,
    stem,
    straight_apostrophes,
    without_everyday_senses,
    word_tokens,
)
from bedside.domain import Ask, DrugName, QuestionFrame

# Words that qualify a condition in a card title rather than name it ("Acute …", "… in adults").
TITLE_QUALIFIERS = frozenset(
    [
        "acute",
        "subacute",
        "chronic",
        "primary",
        "adults",
        "adult",
        "adolescents",
        "children",
        "women",
        "men",
        "lower",
        "upper",
        "uncomplicated",
        "mild",
    ]
)
_TITLE_SPLIT = re.compile(r"\s+(?:and|with)\s+|[(),:]")
_MIN_DRUG_STEM_WORD = 7  # "april" must not pass for a "-pril" drug


@dataclass(frozen=True, slots=True)
class PopulationRule:
    population_id: str
    label: str  # "pregnancy", "older adults": used in caveats
    title: str  # "in pregnancy": appended to article titles
    question: re.Pattern[str]
    statement: re.Pattern[str]
    # For a population most statements need not name (men, women): a statement that names the
    # other one. Such a population raises a caveat only when the answer shown is about the other.
    conflict: re.Pattern[str] | None = None
    # Whether medicine advice for adults in general may be wrong for them (a drug unsafe in
    # pregnancy, a dose too high for weak kidneys): general medicine advice does not lead an
    # answer about them that the sources do not address.
    own_medicines: bool = False
    # Populations this one belongs to: someone pregnant is a woman, so a line only for men
    # is for someone else.
    implies: tuple[str, ...] = ()
    # Words that do not name this population when another one is named: "safe for the baby"
    # from someone pregnant asks about the unborn baby, not a child.
    not_counting_when: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def still_named(self, question: str, named: Collection[str], negation: re.Pattern[str]) -> bool:
        """Whether `question`, which names this population among `named`, still names it once
        the words that do not count beside the others are set aside."""
        left_out = [words for other, words in self.not_counting_when if other in named]
        for words in left_out:
            question = words.sub(" ", question)
        return not left_out or _mentions(self.question, negation, question)


@dataclass(frozen=True, slots=True)
class AskRule:
    ask: Ask
    pattern: re.Pattern[str]
    sections: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CueRule:
    """Words that single out what a question asks or a statement says, with the texts it was
    written for (`examples`) and against (`not_examples`), which the tests run."""

    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    not_examples: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, name: str, item: Mapping[str, Any]) -> CueRule:
        if not isinstance(item, Mapping) or not isinstance(item.get("pattern"), str):
            raise ValueError(f"frame_rules.yaml: cue '{name}' needs a 'pattern' string")
        examples = item.get("examples")
        if not examples or not all(isinstance(text, str) for text in examples):
            raise ValueError(f"frame_rules.yaml: cue '{name}' needs 'examples' (a list of texts)")
        try:
            pattern = re.compile(item["pattern"], re.IGNORECASE)
        except re.error as error:
            raise ValueError(f"frame_rules.yaml: cue '{name}' pattern: {error}") from error
        return cls(pattern, tuple(examples), tuple(item.get("not_examples") or ()))


# "never double up", "not to take two": advice told, not a dose missed.
_ADVISED_AGAINST_BEFORE = re.compile(r"\b(?:never|not|n't|don't|do not)\s+(?:to\s+)?$", re.I)

# A circumstance denied just before it is named: "no otorrhoea", "without a fever", "nil
# discharge"; not one asked about ("does that mean no school?").
_DENIED_BEFORE = re.compile(
    r"(?<!mean )(?<!means )\b(?:no|without|nil|denies|not)\s+(?:(?:a|an|any)\s+)?$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class ContextRule:
    """A circumstance a line can be about (exercise, coming off a medicine, sport)."""

    statement: re.Pattern[str]  # a line about it
    question: re.Pattern[str]  # a question that names it
    set_aside: re.Pattern[str] | None = None  # a line that leaves it out ("other than sport")
    # whether a line about it answers a question naming it better than other lines do (going
    # back to sport does); "uncontrolled asthma" is also what every step-up line is about
    favoured_when_asked: bool = True
    # whether a line about it answers only a question naming it; "once you feel better, keep
    # taking it for 6 months" also answers "how long do I take sertraline?"
    only_when_asked: bool = True

    def named_in(self, question: str) -> bool:
        """Whether the question names the circumstance, not only to deny it ("no otorrhoea",
        "not planning pregnancy")."""
        return _names_undenied(self.question, question)

    def other_than_asked(self, question: str, text: str) -> bool:
        """Whether `text` is about this circumstance when the question does not name it, or
        leaves it out when the question does ("everyday things other than sport" does not
        answer "when can he go back to rugby?")."""
        if not self.only_when_asked:
            return False
        if self.named_in(question):
            return bool(self.set_aside and self.set_aside.search(text))
        return bool(self.statement.search(text))

    def as_asked(self, question: str, text: str) -> bool:
        """Whether `text` is about this circumstance, which the question names."""
        if not self.favoured_when_asked:
            return False
        named = self.named_in(question) and self.statement.search(text)
        return bool(named) and not (self.set_aside and self.set_aside.search(text))


@dataclass(frozen=True, slots=True)
class FrameRules:
    """The reviewed rules of `frame_rules.yaml`, compiled."""

    asks: tuple[AskRule, ...]
    general_sections: tuple[str, ...]
    yes_no: re.Pattern[str]
    populations: tuple[PopulationRule, ...]
    negation: re.Pattern[str]
    time_frames: re.Pattern[str]
    treatment_tried: re.Pattern[str]  # "no better after three days on amoxicillin"
    next_step: re.Pattern[str]  # a statement on what to do when treatment did not work
    cannot_take: re.Pattern[str]  # "I can't have blood thinners", "allergic to penicillin"
    if_unsuitable: re.Pattern[str]  # a statement on what to do when a treatment cannot be used
    ruled_out: re.Pattern[str]  # the medicine that cannot be taken: "allergic to (penicillin)"
    cross_reacting_classes: frozenset[str]  # an allergy to one member rules out the class
    ruled_out_shorthands: Mapping[str, str]  # "pcn" (allergy) → penicillin
    course_words: re.Pattern[str]  # a statement on the course of a condition ("settles")
    return_words: re.Pattern[str]  # back to work, school or sport ("return to normal activities")
    contagion_asked: re.Pattern[str]  # "is it contagious?", "can the kids catch it?"
    contagion_words: re.Pattern[str]  # a statement on it passing to others ("spread to contacts")
    next_asked: re.Pattern[str]  # "next options?", "anything more that can be done?"
    cause_asked: re.Pattern[str]  # "what triggers a migraine?"
    cause_words: re.Pattern[str]  # a statement on causes ("triggers", "risk factors")
    diet_asked: re.Pattern[str]  # "what should I eat with heart failure?"
    diet_words: re.Pattern[str]  # a statement on eating or drinking ("less salt", "fewer purines")
    onset_asked: re.Pattern[str]  # "how long do antidepressants take to work?"
    timing_asked: re.Pattern[str]  # "what time of day should I take my omeprazole?"
    timing_words: re.Pattern[str]  # a statement saying when to take it ("before breakfast")
    missed_dose_asked: re.Pattern[str]  # "forgot my Eliquis this morning: take 2 tonight?"
    missed_dose_words: re.Pattern[str]  # a statement on a missed dose ("as soon as you remember")
    onset_words: re.Pattern[str]  # a statement on when it starts to work ("takes 2 weeks to work")
    stopping_asked: re.Pattern[str]  # "can I stop taking my thyroid pills?"
    stopping_words: re.Pattern[str]  # a statement on stopping ("a drug holiday", "lifelong")
    without_medicines: re.Pattern[str]  # "apart from tablets": what else helps is asked
    self_care_words: re.Pattern[str]  # a statement on what helps besides medicines ("exercise")
    first_choice_asked: re.Pattern[str]  # "initial therapy", "what do I start with"
    indication_asked: re.Pattern[str]  # "when is surgery indicated?", "who should be referred?"
    indication_words: re.Pattern[str]  # a statement saying when ("after 6 weeks with no …")
    regular_use_asked: re.Pattern[str]  # "every day", "long term": how long a medicine is taken
    length_of_use_words: re.Pattern[str]  # a statement on it ("for short spells", "lowest dose")
    first_choice_words: re.Pattern[str]  # a statement naming the first choice ("as initial …")
    prevention_words: re.Pattern[str]  # a statement on preventing it ("prophylaxis")
    reported_findings: re.Pattern[str]  # a measurement given with its value ("SpO2 84%")
    interventions: frozenset[str]
    # phrases holding a treatment's word that name a measurement or a state ("fasting glucose",
    # "diet-controlled"), not a treatment asked about
    not_interventions: tuple[str, ...]
    drug_stems: tuple[str, ...]
    not_topics: frozenset[str]
    slots: tuple[re.Pattern[str], ...]
    slot_lead: re.Pattern[str]
    slot_fillers: frozenset[str]
    slot_clause_words: frozenset[str]
    treatment_nouns: frozenset[str]
    effect_slot: re.Pattern[str]
    effect_generic_words: frozenset[str]
    also_known_as: Mapping[str, tuple[str, ...]]
    chronic_words: re.Pattern[str]
    acute_words: re.Pattern[str]
    forms: frozenset[str]
    # groups of (id, pattern): kinds of one condition that are treated differently
    subtypes: tuple[tuple[tuple[str, re.Pattern[str]], ...], ...] = ()
    # Kinds a statement is about whenever it names them, beside the asked kind or not: a line
    # on starting urate-lowering therapy "after a gout attack has settled" is about the former.
    dominant_kinds: frozenset[str] = frozenset()
    body_sites: frozenset[str] = frozenset()  # where a condition is: "spine", "knee", "ear"
    acronyms_that_are_words: frozenset[str] = frozenset()  # "cap", "gas": capitals only
    # words that say nothing of what a question is about ("pain", "tablets", "what now")
    unspecific_words: frozenset[str] = frozenset()
    classes_by_stem: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # an effect told as a word that describes the person, as the thing it names ("drowsy":
    # drowsiness), so that "whether pregabalin can cause drowsiness" reads
    effect_nouns: Mapping[str, str] = field(default_factory=dict)
    not_condition_names: frozenset[str] = frozenset()  # "Centor", "PPI": lead to a card only
    # how a treatment is given ("injections"), which after a treatment's name ("stem cell
    # injections") is part of that one thing, not a second thing asked about
    delivery_words: frozenset[str] = frozenset()
    # a short illness told beside a medicine's question ("ive got a cold"): a circumstance
    passing_illnesses: frozenset[str] = frozenset()
    filler_words: frozenset[str] = frozenset()  # "getting", "well": single out no statement
    # Symptoms that name a card alone ("headache": migraine) but are another named condition's
    # symptom beside it ("concussed … banging headache").
    symptom_names: frozenset[str] = frozenset()
    # risk tools a question may give a score from ("QRISK3 14%"), each as a pattern
    risk_tools: tuple[re.Pattern[str], ...] = ()
    # circumstances a line is about ("before exercise", "when stopping an antidepressant")
    # that only a question naming them asks about
    contexts: tuple[ContextRule, ...] = ()
    cues: Mapping[str, CueRule] = field(default_factory=dict)
    # a symptom a side-effect question tells ("her ankles are swollen"), and the words a line
    # uses for it ("swelling", "oedema")
    told_symptoms: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()
    # a blood test a question reports a value of ("K+ 5.3"), and the words a line uses for it
    told_readings: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FrameRules:
        def compiled(pattern: str) -> re.Pattern[str]:
            return re.compile(pattern, re.IGNORECASE)

        return cls(
            asks=tuple(
                AskRule(Ask(item["ask"]), compiled(item["pattern"]), tuple(item["sections"]))
                for item in data["asks"]
            ),
            general_sections=tuple(data["general_sections"]),
            yes_no=compiled(data["yes_no"]),
            populations=tuple(
                PopulationRule(
                    item["id"],
                    item["label"],
                    item["title"],
                    compiled(item["question"]),
                    compiled(item["statement"]),
                    compiled(item["conflict"]) if "conflict" in item else None,
                    bool(item.get("own_medicines", False)),
                    tuple(item.get("implies", ())),
                    tuple(
                        (other, compiled(words))
                        for other, words in item.get("not_counting_when", {}).items()
                    ),
                )
                for item in data["populations"]
            ),
            negation=compiled(data["negations"]),
            time_frames=compiled(data["time_frames"]),
            treatment_tried=compiled(data["treatment_tried"]),
            next_step=compiled(data["next_step"]),
            cannot_take=compiled(data["cannot_take"]),
            if_unsuitable=compiled(data["if_unsuitable"]),
            ruled_out=compiled(data["ruled_out"]),
            cross_reacting_classes=frozenset(data["cross_reacting_classes"]),
            ruled_out_shorthands={
                str(short).lower(): str(name).lower()
                for short, name in data.get("ruled_out_shorthands", {}).items()
            },
            course_words=compiled(data["course_words"]),
            return_words=compiled(data["return_words"]),
            contagion_asked=compiled(data["contagion_asked"]),
            contagion_words=compiled(data["contagion_words"]),
            next_asked=compiled(data["next_asked"]),
            cause_asked=compiled(data["cause_asked"]),
            cause_words=compiled(data["cause_words"]),
            diet_asked=compiled(data["diet_asked"]),
            diet_words=compiled(data["diet_words"]),
            onset_asked=compiled(data["onset_asked"]),
            timing_asked=compiled(data["timing_asked"]),
            timing_words=compiled(data["timing_words"]),
            missed_dose_asked=compiled(data["missed_dose_asked"]),
            missed_dose_words=compiled(data["missed_dose_words"]),
            onset_words=compiled(data["onset_words"]),
            stopping_asked=compiled(data["stopping_asked"]),
            stopping_words=compiled(data["stopping_words"]),
            without_medicines=compiled(data["without_medicines"]),
            self_care_words=compiled(data["self_care_words"]),
            first_choice_asked=compiled(data["first_choice_asked"]),
            indication_asked=compiled(data["indication_asked"]),
            indication_words=compiled(data["indication_words"]),
            regular_use_asked=compiled(data["regular_use_asked"]),
            length_of_use_words=compiled(data["length_of_use_words"]),
            first_choice_words=compiled(data["first_choice_words"]),
            prevention_words=compiled(data["prevention_words"]),
            reported_findings=compiled(data["reported_findings"]),
            interventions=frozenset(str(term).lower() for term in data["interventions"]),
            not_interventions=tuple(str(term).lower() for term in data["not_interventions"]),
            drug_stems=tuple(str(suffix) for suffix in data["drug_stems"]),
            not_topics=frozenset(str(word).lower() for word in data["not_topics"]),
            slots=tuple(compiled(pattern) for pattern in data["slots"]),
            slot_lead=compiled(data["slot_lead"]),
            slot_fillers=frozenset(str(word).lower() for word in data["slot_fillers"]),
            slot_clause_words=frozenset(str(word).lower() for word in data["slot_clause_words"]),
            treatment_nouns=frozenset(str(word).lower() for word in data["treatment_nouns"]),
            effect_slot=compiled(data["effect_slot"]),
            effect_generic_words=frozenset(
                str(word).lower() for word in data["effect_generic_words"]
            ),
            unspecific_words=frozenset(
                str(word).lower() for word in data.get("unspecific_words", ())
            ),
            also_known_as={
                str(word).lower(): tuple(str(name).lower() for name in names)
                for word, names in data["also_known_as"].items()
            },
            chronic_words=compiled(data["chronic_words"]),
            acute_words=compiled(data["acute_words"]),
            forms=frozenset(str(word).lower() for word in data["forms"]),
            body_sites=frozenset(str(word).lower() for word in data.get("body_sites", ())),
            effect_nouns={
                str(word).lower(): str(noun).lower()
                for word, noun in data.get("effect_nouns", {}).items()
            },
            classes_by_stem={
                str(stem_).lower(): tuple(str(name).lower() for name in names)
                for stem_, names in (data.get("classes_by_stem") or {}).items()
            },
            acronyms_that_are_words=frozenset(
                str(word).lower() for word in data.get("acronyms_that_are_words", ())
            ),
            not_condition_names=frozenset(
                str(word).lower() for word in data.get("not_condition_names", ())
            ),
            delivery_words=frozenset(str(word).lower() for word in data.get("delivery_words", ())),
            passing_illnesses=frozenset(
                str(word).lower() for word in data.get("passing_illnesses", ())
            ),
            filler_words=frozenset(str(word).lower() for word in data.get("filler_words", ())),
            symptom_names=frozenset(str(word).lower() for word in data.get("symptom_names", ())),
            risk_tools=tuple(compiled(str(tool)) for tool in data.get("risk_tools", ())),
            contexts=tuple(
                ContextRule(
                    statement=compiled(item["statement"]),
                    question=compiled(item["question"]),
                    set_aside=compiled(item["set_aside"]) if "set_aside" in item else None,
                    favoured_when_asked=bool(item.get("favoured_when_asked", True)),
                    only_when_asked=bool(item.get("only_when_asked", True)),
                )
                for item in data.get("contexts", ())
            ),
            cues={
                str(name): CueRule.from_mapping(str(name), item)
                for name, item in (data.get("cues") or {}).items()
            },
            told_symptoms=tuple(
                (compiled(item["question"]), compiled(item["statement"]))
                for item in data.get("told_symptoms", ())
            ),
            told_readings=tuple(
                (compiled(item["question"]), compiled(item["statement"]))
                for item in data.get("told_readings", ())
            ),
            subtypes=tuple(
                tuple((str(kind["id"]), compiled(kind["pattern"])) for kind in group)
                for group in data.get("subtypes", ())
            ),
            dominant_kinds=frozenset(
                str(kind["id"])
                for group in data.get("subtypes", ())
                for kind in group
                if kind.get("dominant", False)
            ),
        )

    def symptoms_told(self, question: str) -> list[re.Pattern[str]]:
        """The statement patterns for the symptoms a question tells ("swollen ankles")."""
        return [statement for asked, statement in self.told_symptoms if asked.search(question)]

    def asks_about_a_missed_dose(self, question: str) -> bool:
        """Whether the question tells of a missed dose, not advice against doubling one ("my
        neuro said to never double up on it")."""
        return any(
            not _ADVISED_AGAINST_BEFORE.search(question[max(0, match.start() - 12) : match.start()])
            for match in self.missed_dose_asked.finditer(question)
        )

    def readings_told(self, question: str) -> list[re.Pattern[str]]:
        """The statement patterns for the blood tests a question reports values of ("K+ 5.3,
        eGFR 32"): a line giving a threshold for them speaks to this person."""
        return [statement for asked, statement in self.told_readings if asked.search(question)]

    def other_context(self, question: str, text: str) -> bool:
        """Whether `text` is about a circumstance the question does not name: "a quick-relief
        inhaler before exercise" does not answer "is my inhaler safe in pregnancy?"."""
        return any(rule.other_than_asked(question, text) for rule in self.contexts)

    def names_a_context(self, question: str) -> bool:
        """Whether the question names a circumstance a line can be about ("keeps coming back",
        "before exercise", "back to rugby")."""
        return any(rule.favoured_when_asked and rule.named_in(question) for rule in self.contexts)

    def asked_context(self, question: str, text: str) -> bool:
        """Whether `text` is about a circumstance the question names ("back to sport" for
        "when can he play rugby again?")."""
        return self.asked_contexts_in(question, text) > 0

    def asked_contexts_in(self, question: str, text: str) -> int:
        """How many of the circumstances the question names `text` is about: "still got a
        headache, can I train Tuesday?" names sport and symptoms that persist."""
        return sum(rule.as_asked(question, text) for rule in self.contexts)

    def sections_for(self, ask: Ask) -> tuple[str, ...]:
        """The sections that answer `ask`, best first."""
        if ask is Ask.GENERAL:
            return self.general_sections
        for rule in self.asks:
            if rule.ask is ask:
                return rule.sections
        return self.general_sections

    def names_used_for(self, term: str) -> tuple[str, ...]:
        """What sources call `term` ("ibuprofen" → NSAID; "jab" → injection), by word or stem."""
        names: list[str] = list(self.also_known_as.get(term, ()))
        for word in word_tokens(term):
            listed = self.also_known_as.get(word, ()) or self.also_known_as.get(stem(word), ())
            names += listed or self._class_by_stem(word)
        return tuple(dict.fromkeys(names))

    def is_a_medicine_class(self, phrase: str) -> bool:
        """Whether `phrase` is the name of a class of medicines ("PPI", "statins")."""
        lowered = phrase.lower()
        return any(lowered in names for names in self.classes_by_stem.values())

    def drug_classes(self, generic: str) -> tuple[str, ...]:
        """The class a drug belongs to by its INN stem ("sumatriptan" → triptan), or ()."""
        return tuple(name for word in word_tokens(generic) for name in self._class_by_stem(word))

    def _class_by_stem(self, word: str) -> tuple[str, ...]:
        """The class a drug belongs to by its INN stem ("sumatriptan" → triptan); "cef" is a
        prefix ("cefalexin"), the others suffixes. Only for a medicine the drug library knows:
        an unknown word with a drug's ending ("fictotriptan") is no triptan the sources speak of."""
        if len(word) < _MIN_DRUG_STEM_WORD or not _is_known_drug(word):
            return ()
        for stem_, names in self.classes_by_stem.items():
            if word.endswith(stem_) or (stem_ == "cef" and word.startswith(stem_)):
                return names
        return ()

    def members_of(self, term: str) -> tuple[str, ...]:
        """The drugs a class word stands for ("antibiotic" → amoxicillin, doxycycline, …)."""
        wanted = {term, stem(term)}
        return tuple(word for word, names in self.also_known_as.items() if wanted & set(names))

    def mentions(
        self,
        term: str,
        stems: set[str] | frozenset[str],
        *,
        synonyms: Sequence[str] = (),
        min_inside: int = 0,
    ) -> bool:
        """Whether a text (its content stems) names `term`: itself, a synonym, the name sources
        use for it ("ibuprofen" → NSAID), a drug of the class it names ("antibiotic" →
        amoxicillin), or inside a longer word ("steroid" in "corticosteroid") when the word is
        at least `min_inside` letters long."""
        # A brand's generic goes by its class name in guidance too ("Advil" → ibuprofen →
        # NSAID), so the names sources use are looked up for each synonym as well.
        used = [name for form in (term, *synonyms) for name in self.names_used_for(form)]
        forms = (term, *synonyms, *used, *self.members_of(term))
        for form in forms:
            wanted = set(content_stems(form))
            if wanted and all(_stem_in(stem_, stems, min_inside) for stem_ in wanted):
                return True
        return False

    def negated_at(self, text: str, start: int) -> bool:
        """Whether the words just before `start` negate what follows ("(no head injury)")."""
        return _negated_at(text, start, self.negation)

    def mentions_undenied(self, pattern: re.Pattern[str], text: str) -> bool:
        """Whether `pattern` matches `text` somewhere the words before do not negate it."""
        return _mentions(pattern, self.negation, text)

    def chronicity(self, question: str) -> str | None:
        """'chronic' or 'acute' when the question says how long the problem has lasted."""
        if _mentions(self.chronic_words, self.negation, question):
            return "chronic"
        if _mentions(self.acute_words, self.negation, question):
            return "acute"
        return None

    def population(self, population_id: str) -> PopulationRule:
        for rule in self.populations:
            if rule.population_id == population_id:
                return rule
        raise KeyError(population_id)

    def addresses(self, population_id: str, text: str) -> bool:
        """Whether `text` (a statement, or a card title) speaks about that population."""
        return _mentions(self.population(population_id).statement, self.negation, text)

    def contradicts(self, population_id: str, text: str) -> bool:
        """Whether `text` speaks only about the other one of a pair (a statement "in women"
        for a question about a man)."""
        rule = self.population(population_id)
        if any(self.contradicts(other, text) for other in rule.implies):
            return True
        conflict = rule.conflict
        # "clarithromycin, or erythromycin in pregnancy": an aside for another group in a line
        # for everyone does not make it a line for women only.
        text = _AN_ASIDE_FOR_PREGNANCY.sub(" ", text)
        return (
            conflict is not None
            and _mentions(conflict, self.negation, text)
            and not self.addresses(population_id, text)
        )

    def excludes(self, population_id: str, text: str) -> bool:
        """Whether `text` names that population only to leave it out ("non-pregnant women",
        "if you are not pregnant"): advice written for everyone else."""
        pattern = self.population(population_id).statement
        negated = any(
            _negated_at(text, match.start(), self.negation) for match in pattern.finditer(text)
        )
        return negated and not self.addresses(population_id, text)

    def other_subtype(self, question: str, text: str) -> bool:
        """Whether `text` speaks only of another kind of a condition than the one the question
        names (a line on HFrEF for a question about HFpEF), or names a dominant kind not asked."""
        for group in self.subtypes:
            asked = {kind for kind, pattern in group if _mentions(pattern, self.negation, question)}
            if not asked:
                continue
            named = {kind for kind, pattern in group if pattern.search(text)}
            if (named and not named & asked) or (named - asked) & self.dominant_kinds:
                return True
        return False

    def subtypes_named(self, text: str) -> frozenset[str]:
        """The kinds of a condition `text` names, in whatever words ("HFrEF", "heart failure
        with reduced ejection fraction" → hfref)."""
        return frozenset(
            kind
            for group in self.subtypes
            for kind, pattern in group
            if _mentions(pattern, self.negation, text)
        )

    def cue(self, name: str) -> re.Pattern[str]:
        """The pattern of the cue called `name` (frame_rules.yaml, `cues`)."""
        try:
            return self.cues[name].pattern
        except KeyError:
            raise KeyError(
                f"no cue '{name}' in frame_rules.yaml; known: {sorted(self.cues)}"
            ) from None

    def needs_saying(self, population_id: str) -> bool:
        """Whether an answer that does not name the population must say so (pregnancy, children)
        or only one about the other of a pair must (men, women)."""
        return self.population(population_id).conflict is None


# "…advises clarithromycin, or erythromycin in pregnancy, and …": the other choice for one group.
_AN_ASIDE_FOR_PREGNANCY = re.compile(
    r",?\s*\bor\s+[\w-]+\s+(?:during|in)\s+pregnancy\b", re.IGNORECASE
)


# Which side of the body: no condition's name turns on it.
_SIDES = frozenset({"left", "right", "l", "r"})


@functools.cache
def frame_rules() -> FrameRules:
    """The bundled rules; read once, on first use."""
    text = resources.files("bedside.analyse").joinpath("frame_rules.yaml").read_text("utf-8")
    return FrameRules.from_mapping(yaml.safe_load(text))


@dataclass(frozen=True, slots=True)
class ConditionVocabulary:
    """Names of the conditions the knowledge base has cards for, as stem sequences.

    Built from each card's title (split into its condition names: "Sciatica (lumbar
    radiculopathy) in adults" → "sciatica", "lumbar radiculopathy"), its id and its aliases.
    Short all-capital aliases ("AF", "CAP") only match in capitals, so "cap" the word does not.
    """

    phrases: Mapping[tuple[str, ...], tuple[str, ...]]
    acronyms: Mapping[str, tuple[str, ...]]
    # (stems that name a condition together anywhere in a question, the card's own name, card
    # id): "knees … arthritis" is knee osteoarthritis though no alias is written out.
    together: tuple[tuple[frozenset[str], str, str], ...] = ()

    def names_of(self, card_id: str) -> list[tuple[str, ...]]:
        """Every name (as a stem sequence) of one card's condition."""
        return [key for key, ids in self.phrases.items() if card_id in ids]

    def mentions(self, card_id: str, text: str) -> bool:
        """Whether `text` names the card's condition (by title, id or alias)."""
        stems = " " + " ".join(_key(text)) + " "
        if any(f" {' '.join(name)} " in stems for name in self.names_of(card_id)):
            return True
        words = set(re.findall(r"[A-Za-z0-9]+", text))
        return any(card_id in ids and acronym in words for acronym, ids in self.acronyms.items())

    @classmethod
    def from_cards(
        cls,
        cards: Iterable[tuple[str, str, Iterable[str]]],
        named_together: Mapping[str, Iterable[Iterable[str]]] | None = None,
    ) -> ConditionVocabulary:
        """The vocabulary of cards given as (card id, title, aliases), with each card's groups
        of words that name it together (`named_together` in its front matter)."""
        phrases: dict[tuple[str, ...], list[str]] = {}
        acronyms: dict[str, list[str]] = {}
        together: list[tuple[frozenset[str], str, str]] = []
        words = frame_rules().acronyms_that_are_words
        for card_id, title, aliases in cards:
            names = [*title_names(title), card_id.replace("-", " "), *aliases]
            for group in (named_together or {}).get(card_id, ()):
                stems = frozenset(s for word in group for s in content_stems(word))
                together.append((stems, names[0].lower(), card_id))
            for name in names:
                if name.isupper() and len(name) <= 5:
                    acronyms.setdefault(name, []).append(card_id)
                    # People type "uti" and "copd" in lower case; "AF" or "CAP" in lower case
                    # are ordinary words ("cap", "gas"), so short or word-like ones need capitals.
                    if len(name) < 3 or name.lower() in words:
                        continue
                key = _key(name)
                if key and card_id not in phrases.setdefault(key, []):
                    phrases[key].append(card_id)
        return cls(
            {key: tuple(ids) for key, ids in phrases.items()},
            {key: tuple(ids) for key, ids in acronyms.items()},
            tuple(together),
        )

    def find(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """(phrase as worded in the question, card ids) for each condition named, in order."""
        # Stop words are skipped on both sides: "wear and tear in my spine" names the alias
        # "wear and tear of the spine"; so is a side ("shooting down the back of my left leg"
        # names "shooting down the back of my leg"), which no alias names.
        tokens = [
            token
            for token in re.finditer(r"[A-Za-z0-9]+(?:'[a-z]+)?", without_everyday_senses(question))
            if (token.group().lower() not in STOP_WORDS or token.group() in self.acronyms)
            and token.group().lower() not in _SIDES
        ]
        stems = [stem(token.group().lower()) for token in tokens]
        longest = max((len(key) for key in self.phrases), default=0)
        found: list[tuple[int, int, tuple[str, ...]]] = []
        start = 0
        while start < len(tokens):
            match = None
            for end in range(min(len(tokens), start + longest), start, -1):
                ids = self.phrases.get(tuple(stems[start:end]))
                if ids:
                    match = (start, end, ids)
                    break
            acronym = _acronym_of(tokens[start].group(), self.acronyms)
            if match is None and acronym:
                match = (start, start + 1, self.acronyms[acronym])
            if match is None:
                misspelt = self._misspelt_name(stems[start])
                if misspelt:
                    match = (start, start + 1, misspelt)
            if match is None:
                start += 1
                continue
            found.append(match)
            start = match[1]
        if not found:
            return self._named_together(question) or self._named_by_a_reading(question)
        return [
            (question[tokens[s].start() : tokens[e - 1].end()], ids)
            for s, e, ids in sorted(found, key=lambda m: m[0])
        ]

    def _named_by_a_reading(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """A blood pressure reading and no name ("is 145/90 high?"): blood pressure's cards."""
        reading = blood_pressure_reading(question)
        ids = self.phrases.get((stem("blood"), stem("pressure")))
        return [(reading, ids)] if reading and ids else []

    def _misspelt_name(self, word: str) -> tuple[str, ...]:
        """The cards a one-word name means when `word` is that name with one letter wrong,
        missing, added or swapped with its neighbour ("scaitica", "arthritus"); only for names
        of seven letters or more, where one slip does not make another word."""
        if len(word) < SHORTEST_MISSPELT_NAME - 1:
            return ()
        found: dict[str, None] = {}
        for key, ids in self.phrases.items():
            long_name = len(key) == 1 and len(key[0]) >= SHORTEST_MISSPELT_NAME
            if not long_name:
                continue
            # A six-letter stem only by a letter dropped ("migranes" → "migran", "migrain").
            slipped = (
                one_slip_apart(word, key[0])
                if len(word) >= SHORTEST_MISSPELT_NAME
                else one_letter_more(word, key[0])
            )
            if slipped:
                found.update(dict.fromkeys(ids))
        return tuple(found)

    def _named_together(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """Conditions named by words that stand apart ("my knees … is it arthritis?"), under
        the card's own name; only for a question that names no condition outright, and not
        where a word is negated ("no arthritis")."""
        rules = frame_rules()
        stems = {
            stem(match.group().lower())
            for match in re.finditer(r"[A-Za-z0-9]+", question)
            if not _negated_at(question, match.start(), rules.negation)
        }
        named: dict[str, list[str]] = {}
        for group, name, card_id in self.together:
            if group <= stems and card_id not in named.setdefault(name, []):
                named[name].append(card_id)
        return [(name, tuple(ids)) for name, ids in named.items() if ids]


SHORTEST_MISSPELT_NAME = 7


def one_letter_more(a: str, b: str) -> bool:
    """Whether one of `a` and `b` is the other with one letter added."""
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def one_slip_apart(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter changed, added, dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 1:
            return True
        i = differ[0]
        return len(differ) == 2 and differ[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    return one_letter_more(a, b)


def _acronym_of(token: str, acronyms: Mapping[str, tuple[str, ...]]) -> str | None:
    """The card acronym a token is: as written ("AF"), or in the plural ("UTIs"; "utis" too
    when the acronym is long enough not to be a word, as "uti" is matched in lower case)."""
    if token in acronyms:
        return token
    singular = token[:-1]
    if token[-1:].lower() != "s" or len(singular) < 3 or singular.upper() not in acronyms:
        return None
    if singular.isupper():
        return singular
    if singular.islower() and singular not in frame_rules().acronyms_that_are_words:
        return singular.upper()
    return None


def _key(name: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in word_tokens(name) if word not in STOP_WORDS)


def title_names(title: str) -> list[str]:
    """The condition names a card title holds ("Sciatica (lumbar radiculopathy) in adults" →
    "Sciatica", "lumbar radiculopathy")."""
    names = []
    # "… in adults", "… in the lumbar spine": what follows " in " qualifies, it names nothing.
    for part in _TITLE_SPLIT.split(re.split(r"\s+in\s+", title)[0]):
        if any(w not in TITLE_QUALIFIERS for w in word_tokens(part)):
            names.append(part.strip())
    return names


def frame_question(
    question: str,
    vocabulary: ConditionVocabulary,
    *,
    rules: FrameRules | None = None,
) -> QuestionFrame:
    """The frame of one question (conditions resolved to cards through `vocabulary`)."""
    rules = rules or frame_rules()
    # (…not a harm a medicine is feared to cause: "these pills cause … kidney problems", nor a
    # relative's illness told as family history: "Father MI at 52".)
    told = rules.cue("feared_harm").sub(" ", question)
    told = rules.cue("family_history").sub(" ", told)
    named = {
        rule.population_id
        for rule in rules.populations
        if _mentions(rule.question, rules.negation, told)
    }
    populations = tuple(
        rule.population_id
        for rule in rules.populations
        if rule.population_id in named and rule.still_named(told, named, rules.negation)
    )
    if "child" in populations and _an_adult_asking_for_themselves(question):
        # "… my kids had strep at school last week. Will it go away by itself? I'm 36": the
        # children are the story; the reader asks about their own sore throat.
        populations = tuple(p for p in populations if p != "child")
    age = asked_age(question)
    # "My 20 month old started amoxicillin …": an age told under 16 names a child, though no
    # word for one is said (…not beside breastfeeding or pregnancy, where the baby's age is the
    # mother's story: "my baby is 8 weeks and breastfed, is sertraline safe for her?").
    mothers = {other for other, _ in rules.population("child").not_counting_when}
    if age is not None and age < _A_BABY_ENDS and mothers & set(populations):
        # …and a baby's age beside breastfeeding or pregnancy is not the reader's: "mum
        # breastfeeding a 2 month old wants her sumatriptan" is about an adult's medicine.
        age = None
    if (
        age is not None
        and age < _CHILDHOOD_ENDS
        and "child" not in populations
        and not mothers & set(populations)
    ):
        populations = (*populations, "child")
    drugs = _named_drugs(question, rules)
    interventions = tuple(
        term
        for term in _with_generics(find_interventions(question, rules), drugs, question)
        if not _a_place(term, question)  # "the surgery gave me macrobid": the GP practice
    ) or _withheld_and_asked_for(question, rules)
    # "chronic back pain without sciatica" is not about sciatica.
    conditions = [
        (phrase, ids)
        for phrase, ids in vocabulary.find(question)
        if not _negated_at(question, question.find(phrase), rules.negation)
        # "no DM, no CKD, ABPM daytime avg 150/94": a measurement told after a list of
        # conditions denied is not one more of them.
        or _A_MEASUREMENT_FOLLOWS.match(question, question.find(phrase) + len(phrase))
    ]
    # "dapagliflozin … thats a diabetes drug and he isnt diabetic": a condition the person is
    # said not to have, named only as what a medicine is for.
    conditions = [
        (phrase, ids)
        for phrase, ids in conditions
        if not (
            _names_a_medicines_use(phrase, question)
            and _denied_in_other_words(phrase, question, rules.negation)
        )
    ]
    # "read online it causes dementia and thin bones": a harm a medicine is feared to cause is no
    # condition the person has, when another condition is named outside the fear.
    outside_fears = [
        (phrase, ids)
        for phrase, ids in conditions
        if not _only_as_a_feared_harm(phrase, question, rules)
    ]
    if outside_fears:
        conditions = outside_fears
    # "put my back out … my mate says i need an mri to check for a slipped disc": what a test
    # would look for is a suspicion, not the condition told, when another is named outright.
    told_outright = [
        (phrase, ids) for phrase, ids in conditions if not _only_suspected(phrase, question)
    ]
    if told_outright:
        conditions = told_outright
    # "his leg is red and swollen … can we give him the leftover antibiotics from my chest
    # infection": a past illness whose medicine is left over is no condition asked about, even
    # when the one asked about goes by no name the vocabulary knows (the story tells it).
    conditions = [
        (phrase, ids) for phrase, ids in conditions if not _only_a_past_episode(phrase, question)
    ]
    # "Does a man on a statin need a head CT after a concussion?": a card named only as what the
    # person is on (an alias such as "statin") is context, not the question, when another
    # condition is named.
    # (…only a name of a treatment: "on metformin 1 g BID, HFrEF EF 35%" lists what the person
    # is on and then a condition they have.)
    asked = [
        (phrase, ids)
        for phrase, ids in conditions
        if not (
            is_context(phrase, question)
            and (find_drugs(phrase) or find_interventions(phrase, rules))
        )
    ]
    if asked:
        conditions = asked
    # "Got concussed yesterday, banging headache": the headache is the concussion's symptom,
    # not a second condition (migraine) whose lines would leak into the article.
    if len({frozenset(ids) for _, ids in conditions}) > 1:
        conditions = [
            (phrase, ids) for phrase, ids in conditions if phrase.lower() not in rules.symptom_names
        ] or conditions
    cards: dict[str, None] = {}
    for _, ids in conditions:
        cards.update(dict.fromkeys(ids))
    # "HFrEF … BP 104/66": a reading told is no second condition the person has.
    populations += _comorbidity(
        [(phrase, ids) for phrase, ids in conditions if not named_as_a_reading(phrase, question)],
        populations,
        rules,
    )
    return QuestionFrame(
        ask=_two_drug_ask(question, drugs, _ask(question, rules, interventions)),
        conditions=tuple(phrase for phrase, _ in conditions),
        condition_cards=tuple(cards),
        populations=populations,
        interventions=interventions,
        comparator=_comparator(question, interventions),
        time_frames=tuple(
            dict.fromkeys(m.group().lower() for m in rules.time_frames.finditer(question))
        ),
        # "I've had back pain for a year. Would steroid injections help?": a story ends with
        # its question, and that sentence says whether a yes or a no answers it.
        yes_no=any(rules.yes_no.search(part) for part in (question, _last_sentence(question))),
        drugs=drugs,
        age_years=age,
        kidney_function=asked_kidney_function(question),
        cardiovascular_risk=asked_risk(question),
        albumin_ratio=asked_albumin_ratio(question),
        treatment_tried=bool(rules.treatment_tried.search(question)),
    )


# What follows a measurement's name when a value or result is reported: "BP 104/66", "LDL of
# 88", "urine dip neg for protein".
_A_READING_FOLLOWS = re.compile(
    # …or a test's status ("TSH not checked", "HbA1c pending").
    # (A number of days or years after a name is how long, not a reading: "chronic LBP 3 years",
    # "LBP 2y"; nor is a dose after a medicine's name: "sertraline 50mg"; nor "LBP 5/12", five
    # months.)
    # (…nor an ordinal: "acute gout 1st MTP" names the joint.)
    r"\s*(?:of|is|was|at|=|:|~)?\s*(?:\d(?![\d.]*\s*/\s*(?:12|52|7)(?!\d))(?!\d*(?:st|nd|rd|th)\b)"
    r"(?![\d.]*\s*(?:days?|d|weeks?|wks?|w|months?|mos?|m|years?|yrs?|y"
    r"|(?:mg|mcg|micrograms?|g|ml|units?)(?![\w/]))\b)"
    r"|(?:neg|negative|pos|positive|normal|nl|wnl|nad|ok|fine|unremarkable|pending|awaited"
    r"|not\s+(?:yet\s+)?(?:checked|done|measured|tested|known))\b|[+-](?!\s))",
    re.IGNORECASE,
)


def _an_adult_asking_for_themselves(question: str) -> bool:
    """Whether the reader tells their own adult age and every asked sentence is about them,
    not about someone else."""
    rules = frame_rules()
    asked = asked_sentences(question)
    someone_else = rules.cue("someone_else_asked_about")
    return (
        bool(rules.cue("own_adult_age").search(straight_apostrophes(question)))
        and bool(asked)
        and not any(someone_else.search(sentence) for sentence in asked)
    )


_A_MEASUREMENT_FOLLOWS = re.compile(r"(?:\s+[a-z]+){0,2}\s*[:=]?\s*\d{2,3}\s*/\s*\d{2,3}\b", re.I)
_A_MEDICINES_USE = re.compile(
    r"\s+(?:drugs?|medicines?|medications?|meds|tablets?|pills?|jabs?|injections?)\b", re.I
)


def _names_a_medicines_use(phrase: str, question: str) -> bool:
    """Whether every mention of `phrase` says what a medicine is for ("a diabetes drug")."""
    ends = [match.end() for match in find_every_whole(phrase, question, ignore_case=True)]
    return bool(ends) and all(_A_MEDICINES_USE.match(question, end) for end in ends)


def _every_mention_after(phrase: str, question: str, before: re.Pattern[str], reach: int) -> bool:
    """Whether `phrase` is mentioned and `before` matches the `reach` characters before every
    mention of it."""
    starts = [match.start() for match in find_every_whole(phrase, question, ignore_case=True)]
    return bool(starts) and all(
        before.search(question[max(0, start - reach) : start]) for start in starts
    )


def _only_suspected(phrase: str, question: str) -> bool:
    """Whether every mention of `phrase` is what a test would look for ("an MRI to check for a
    slipped disc", "to rule out a fracture")."""
    return _every_mention_after(phrase, question, _SUSPECTED_BEFORE, _SUSPICION_REACH)


_SUSPECTED_BEFORE = re.compile(
    r"\b(?:check(?:ing)?\s+for|rule\s+out|ruling\s+out|r/o|exclud(?:e|ing)|look(?:ing)?\s+for"
    r"|to\s+see\s+if\s+(?:it'?s|it\s+is|i\s+have|there'?s|there\s+is))\s+(?:a\s+|an\s+|any\s+)?$",
    re.IGNORECASE,
)
_SUSPICION_REACH = 40  # characters before a name that can hold "to check for a"


def _only_a_past_episode(phrase: str, question: str) -> bool:
    """Whether every mention of `phrase` is the illness a leftover medicine was for ("the
    leftover antibiotics from my chest infection", "old tablets from his last UTI")."""
    return _every_mention_after(phrase, question, _LEFT_OVER_FROM, _LEFT_OVER_REACH)


_LEFT_OVER_FROM = re.compile(
    r"\b(?:left\s*over|leftover|spare|unused|old)\b[^.?!;]*?\b(?:from|for)\s+"
    r"(?:(?:my|his|her|their|our|your|the|a|an)\s+)?(?:(?:last|old|previous|earlier)\s+)?$",
    re.IGNORECASE,
)
_LEFT_OVER_REACH = 60  # characters before a name that can hold "leftover antibiotics from my"


def _only_as_a_feared_harm(phrase: str, question: str, rules: FrameRules) -> bool:
    """Whether every mention of `phrase` falls inside a harm a medicine is feared to cause
    ("PPIs cause dementia and thin bones")."""
    fears = [match.span() for match in rules.cue("feared_harm").finditer(question)]
    starts = [match.start() for match in find_every_whole(phrase, question, ignore_case=True)]
    return bool(starts and fears) and all(
        any(begin <= start < end for begin, end in fears) for start in starts
    )


def _denied_in_other_words(phrase: str, question: str, negation: re.Pattern[str]) -> bool:
    """Whether a word sharing the root of the condition's name is negated ("isnt diabetic")."""
    words = word_tokens(phrase)
    if not words:
        return False
    root = re.escape(stem(words[-1])[:5])
    return any(
        _negated_at(question, match.start(), negation)
        for match in re.finditer(rf"\b{root}\w*", question, re.I)
    )


def named_as_a_reading(phrase: str, question: str) -> bool:
    """Whether every mention of a condition's name in `question` reports a reading ("BP
    104/66", "LDL still 88" is not; "LDL 88" is): a measurement told, not a condition named."""
    ends = [match.end() for match in find_every_whole(phrase, question, ignore_case=True)]
    return bool(ends) and all(_A_READING_FOLLOWS.match(question, end) for end in ends)


def _comorbidity(
    conditions: Sequence[tuple[str, Sequence[str]]], populations: tuple[str, ...], rules: FrameRules
) -> tuple[str, ...]:
    """("comorbidity",) when the question names two conditions with cards of their own ("CAP,
    67M with COPD + T2D") and the rules know that population; the line for people with
    comorbidities then answers, not the one for healthy adults."""
    known = {rule.population_id for rule in rules.populations}
    if "comorbidity" not in known or {"comorbidity", "otherwise_healthy"} & set(populations):
        return ()
    card_sets = [frozenset(ids) for _, ids in conditions if ids]
    distinct = [s for i, s in enumerate(card_sets) if not any(s & o for o in card_sets[:i])]
    return ("comorbidity",) if len(distinct) >= 2 else ()


def leaves_out(text: str, frame: QuestionFrame) -> bool:
    """Whether `text` bounds whom it is for by age, ten-year cardiovascular risk, urine
    albumin:creatinine ratio or kidney function and leaves out the person asked about ("aged 80
    and over" for a 70-year-old; "a 10-year risk of 10% or more" for a risk of 9.5%; "an ACR
    between 3 and 30 mg/mmol" for 45; "creatinine clearance below 15" for an eGFR of 20). A
    kidney bound on the medicine asked about is the answer, not another person's:
    "nitrofurantoin if eGFR is 45 or more" answers "nitrofurantoin at an eGFR of 28?"."""
    if (
        excludes_age(text, frame.age_years)
        or excludes_risk(text, frame.cardiovascular_risk)
        or excludes_albumin_ratio(text, frame.albumin_ratio)
    ):
        return True
    if not excludes_kidney_function(text, frame.kidney_function):
        return False
    names_the_drug = any(find_whole(name, text, ignore_case=True) for name in frame.drug_names())
    return not names_the_drug or for_a_group_with_weaker_kidneys(text, frame.kidney_function)


_A_BABY_ENDS = 2  # years: an age told beside breastfeeding or pregnancy below this is the baby's
_CHILDHOOD_ENDS = 16  # years: the age below which a told age names a child (NICE's under-16s)


def _last_sentence(question: str) -> str:
    parts = sentences(question)
    return parts[-1] if parts else question


def ask_again(question: str, frame: QuestionFrame, *, rules: FrameRules | None = None) -> Ask:
    """The frame's ask, read again once it names medicines the drug library did not know
    ("Started Rosuvas 10 last month, my legs ache": a side-effect question once "Rosuvas" is
    known to be rosuvastatin). An ask already narrower than a general or treatment one stays,
    unless it now reads as a side effect, which only a known medicine tells ("started amlodopine
    and now his ankles are swollen, should he stop?" asked how long to take it, unread)."""
    rules = rules or frame_rules()
    again = _two_drug_ask(question, frame.drugs, _ask(question, rules, frame.interventions))
    if frame.ask in (Ask.GENERAL, Ask.TREATMENT) or again is Ask.SIDE_EFFECTS:
        return again
    return frame.ask


def _on_one_asks_to_take_another(question: str, drugs: tuple[DrugName, ...]) -> bool:
    """ "I take sertraline. Is it OK to take zolmitriptan for my migraines?": whether it is all
    right to take one medicine, asked by someone the story puts on another; "should I add …"
    asks whether it is due, not whether the two mix."""
    story = the_story(question).lower()
    # …or in the asking sentence's own opening clause ("im on citalopram, can i take nurofen?").
    on = [
        drug
        for drug in drugs
        if find_whole(drug.as_written.lower(), story) or is_context(drug.as_written, question)
    ]
    if not on:
        return False
    asked = " ".join(asked_sentences(question))
    rules = frame_rules()
    if rules.cue("in_its_place_asked").search(asked):  # "Can I take sitagliptin instead?"
        return False
    if _TAKEN_FOR_GOOD.search(asked):
        # "basically living on Tums. is it ok to take omeprazole every day?": whether it is safe
        # to keep taking, not whether the two mix.
        return False
    taken = {
        m.group("taken").lower().strip(".,?!") for m in rules.cue("ok_to_take").finditer(asked)
    }
    return any(drug.as_written.lower() in taken and drug not in on for drug in drugs)


_TAKEN_FOR_GOOD = re.compile(
    r"\b(?:every\s?day|daily|long[- ]term|for years|forever|indefinitely|all the time)\b",
    re.IGNORECASE,
)

# A prescriber's step: "added gliclazide on top of metformin", "started her on … as well".
_ADDED = r"\b(?:added|has added|just added|started (?:her|him|me|them) on)\s+"


def _two_drug_ask(question: str, drugs: tuple[DrugName, ...], ask: Ask) -> Ask:
    """ "Can I take Xarelto with Advil?": two medicines joined by "with", "and", "while on" or
    "plus" ask whether they interact, unless the question asks something narrower."""
    # "Is it safe to take Xarelto with Advil?" asks whether they mix; "side effects of Lexapro
    # and Zoloft?" asks what each does.
    safe_together = ask is Ask.SIDE_EFFECTS and bool(
        frame_rules().cue("safe_to_take_together").search(question)
    )
    if len(drugs) < 2 or (
        ask not in (Ask.TREATMENT, Ask.GENERAL, Ask.DRUG_CHOICE) and not safe_together
    ):
        return ask
    if not safe_together and frame_rules().treatment_tried.search(question):
        # "Failed propranolol … and topiramate … Next?": medicines tried, one after the other;
        # the next step is asked, not whether they mix.
        return ask
    if _on_one_asks_to_take_another(question, drugs):
        return Ask.INTERACTIONS
    if all(is_context(drug.as_written, question) for drug in drugs[:2]):
        # "Mum is on amlodipine and ramipril … could it be her tablets?": what she is on, told
        # in the story (`is_context`); "he's on warfarin and aspirin, is that ok?" asks.
        return ask
    names = tuple(drug.as_written.lower() for drug in drugs)
    if _comparator(question, names) is not None:
        # "Add Zetia or go straight to Repatha?" asks which, not whether they mix.
        return ask
    asked = " ".join(asked_sentences(question))
    if asked and len(content_stems(asked)) >= _SAYS_ENOUGH:
        # "AF on apixaban, on furosemide 40 mg. Should I add dapagliflozin for the heart
        # failure?": the medicines the story lists are not what the question asks about.
        question = asked
    first, second = (re.escape(d.as_written) for d in drugs[:2])
    if re.search(
        rf"{_ADDED}(?:{first}|{second})\b[^.?!]{{0,20}}?\b(?:on top of|to)\b", question, re.I
    ):
        # "her gp just added gliclazide on top of metformin … is it the right tablet for
        # her?": a second medicine prescribed, whether it suits her, not whether the two mix.
        return ask
    # Within one sentence: "on atorvastatin and adherent. Add Zetia?" joins nothing.
    joined = (
        rf"\b(?:{first}|{second})\b[^.?!]{{0,40}}?\b(?:with|and|plus|while|on)\b[^.?!]{{0,40}}?"
    )
    both = re.search(joined + rf"\b(?:{first}|{second})\b", question, re.IGNORECASE)
    return Ask.INTERACTIONS if both else ask


def _named_drugs(question: str, rules: FrameRules) -> tuple[DrugName, ...]:
    """Medicines the question names, by brand or generic (`analyse/drugs.py`)."""
    # Only a named drug, not a class the library knows from MeSH ("ACE inhibitor", "nasal
    # spray"): a class word has no single generic name, and the reviewed lists handle classes.
    return tuple(
        DrugName(mention.as_written, mention.generic, _with_components(mention))
        for mention in find_drugs(question)
        if mention.is_specific and mention.as_written.lower() not in rules.not_topics
    )


# A combination's parts that sources speak of on their own ("Excedrin" is aspirin, paracetamol
# and caffeine: a line on paracetamol or aspirin overuse is about it); caffeine is no medicine
# a source advises on.
_NOT_A_COMPONENT = frozenset({"caffeine"})


def _with_components(mention: DrugMention) -> tuple[str, ...]:
    parts = [p.strip() for p in mention.generic.split("/")] if "/" in mention.generic else []
    extra = [p for p in parts if p and p not in _NOT_A_COMPONENT and p not in mention.also_called]
    return (*mention.also_called, *extra)


def _with_generics(
    interventions: tuple[str, ...], drugs: tuple[DrugName, ...], question: str
) -> tuple[str, ...]:
    """The interventions, with each medicine that only the drug library found ("Robaxin")
    added as the question words it (its generic name is in the frame's `drugs`), in the place
    the question names it: "my synthroid … with my calcium tablet" is about Synthroid first."""
    found = list(interventions)
    lowered = question.lower()
    for drug in drugs:
        written = drug.as_written.lower()
        if any(written in term or term in written for term in found):
            continue
        at = lowered.find(written)
        later = (i for i, term in enumerate(found) if at >= 0 and lowered.find(term) > at)
        found.insert(next(later, len(found)), written)
    return tuple(found)


def without_populations(question: str, rules: FrameRules | None = None) -> str:
    """The question with its population mentions blanked ("… in an 80-year-old with angina")."""
    rules = rules or frame_rules()
    for rule in rules.populations:
        question = rule.question.sub(" ", question)
    return question


def without_findings(question: str, rules: FrameRules | None = None) -> str:
    """The question with the measurements it reports blanked ("SpO2 84% on air", "BMI 34"):
    the story around the question, not its topic."""
    return (rules or frame_rules()).reported_findings.sub(" ", question)


def inherit(frame: QuestionFrame, earlier: QuestionFrame) -> QuestionFrame:
    """A follow-up's frame read against the earlier question's: what it leaves out carries over.

    "And what if she is over 75 with angina?" after a levothyroxine dosing question keeps the
    condition, the drug and the ask, and adds the new populations.
    """
    return replace(
        frame,
        ask=earlier.ask if frame.ask is Ask.GENERAL else frame.ask,
        conditions=frame.conditions or earlier.conditions,
        condition_cards=frame.condition_cards or earlier.condition_cards,
        populations=tuple(dict.fromkeys([*earlier.populations, *frame.populations])),
        interventions=frame.interventions or earlier.interventions,
        drugs=frame.drugs if frame.interventions else earlier.drugs,
        comparator=frame.comparator if frame.interventions else earlier.comparator,
        # A follow-up that names who it is about ("what if she were in her seventies?") may be
        # about someone else: the earlier age carries over only when it names no one.
        age_years=(
            frame.age_years
            if frame.age_years is not None or frame.populations
            else earlier.age_years
        ),
        kidney_function=(
            frame.kidney_function
            if frame.kidney_function is not None or frame.populations
            else earlier.kidney_function
        ),
        cardiovascular_risk=(
            frame.cardiovascular_risk
            if frame.cardiovascular_risk is not None or frame.populations
            else earlier.cardiovascular_risk
        ),
        albumin_ratio=(
            frame.albumin_ratio
            if frame.albumin_ratio is not None or frame.populations
            else earlier.albumin_ratio
        ),
        treatment_tried=frame.treatment_tried or earlier.treatment_tried,
    )


_WITHOUT = re.compile(r"\bwithout (?:an? |the |any )?$")


def without_lookalikes(text: str, rules: FrameRules | None = None) -> str:
    """`text` with the phrases that hold a treatment's word but name something else ("fasting
    glucose", "walking stick") blanked out, keeping every other character where it was."""
    rules = rules or frame_rules()
    pattern = _lookalikes(rules.not_interventions)
    if pattern is None:
        return text
    return pattern.sub(lambda match: "#" * len(match.group()), text)


@functools.lru_cache(maxsize=8)
def _lookalikes(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every lookalike phrase, longest first, as whole words; built once (it is
    asked of every statement ranked)."""
    if not phrases:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _withheld_and_asked_for(question: str, rules: FrameRules) -> tuple[str, ...]:
    """The treatments the story says were withheld when the asked sentence asks for them back:
    "the doctor said no antibiotics. Shouldn't she have them?" asks about antibiotics."""
    asked = asked_sentences(question)
    if not asked or not rules.cue("asks_for_it_back").search(asked[-1]):
        return ()
    named = set(find_interventions(question, rules))
    return tuple(t for t in find_interventions(question, rules, denied_too=True) if t not in named)


def find_interventions(
    text: str, rules: FrameRules | None = None, *, denied_too: bool = False
) -> tuple[str, ...]:
    """Drugs, procedures and therapies named in `text`, as worded, in order; with
    `denied_too`, also those named only to deny them ("said no antibiotics")."""
    rules = rules or frame_rules()
    words = word_tokens(text.replace("-", " - "))
    joined = " ".join(words).replace(" - ", "-")
    found: dict[str, int] = {}
    # "fasting glucose 165": a blood test, not fasting as a treatment.
    joined = without_lookalikes(joined, rules)
    for term in rules.interventions:
        match = find_whole(term, joined)
        # "Will it heal without surgery?" asks about the course without it, not about surgery;
        # "never fractured, no steroids" names no treatment.
        if match and (
            denied_too
            or (
                not _WITHOUT.search(joined[: match.start()])
                and not _negated_at(joined, match.start(), rules.negation)
            )
        ):
            found[term] = match.start()
    single_words = [term for term in rules.interventions if " " not in term]
    for match in re.finditer(r"[a-z][a-z-]+", joined):
        word = match.group()
        if len(word) >= SHORTEST_MISSPELT_NAME and word not in found:
            # "antibotics": a long word one letter short of (or over) a listed one is that one,
            # misspelt. Not a changed letter: "infections" is no misspelt "injections", nor
            # "fraction" a "traction".
            slip = next((t for t in single_words if one_letter_more(word, t)), None)
            # (…not denied: "no hip fracture, no steroids" names no steroid.)
            denied = _negated_at(joined, match.start(), rules.negation)
            if slip is not None:
                if denied_too or not denied:
                    found.setdefault(slip, match.start())
                continue
        if (
            len(word) >= _MIN_DRUG_STEM_WORD
            and word.endswith(rules.drug_stems)
            and (denied_too or not _negated_at(joined, match.start(), rules.negation))
        ):
            found.setdefault(word, match.start())
    # "stem cell" inside "stem cells": keep the longer phrase only.
    terms = sorted(found, key=lambda t: (found[t], -len(t)))
    kept: list[str] = []
    for term in terms:
        if not any(term != other and term in other for other in terms):
            kept.append(term)
    return tuple(t for t in kept if not _how_another_is_given(t, found, kept, joined, rules))


def _how_another_is_given(
    term: str, found: Mapping[str, int], kept: Sequence[str], joined: str, rules: FrameRules
) -> bool:
    """Whether `term` is a delivery word right after another term found ("stem cell
    injections", "PRP injections"): one treatment, named with how it is given."""
    if term not in rules.delivery_words:
        return False
    start = found[term]
    return any(other != term and joined[found[other] : start].rstrip() == other for other in kept)


def _ask(question: str, rules: FrameRules, interventions: tuple[str, ...]) -> Ask:
    if any(_does_to_me(term).search(question) for term in interventions):
        # "My statin makes my legs ache, should I stop it?", "amlodipine is making my ankles
        # swell": what the medicine does to the person is asked, whatever else follows.
        return Ask.SIDE_EFFECTS
    if rules.symptoms_told(question) and any(
        _since_starting(term).search(question) for term in interventions
    ):
        # "GP put her on co-codamol 30/500 and now she's badly constipated and a bit muddled.
        # What should she do?": a symptom told right after a medicine was started asks what
        # the medicine does to her.
        return Ask.SIDE_EFFECTS
    if interventions and rules.cue("blames_the_medicine").search(question):
        # "On Lipitor 6 weeks… my calves ache all the time. Is it the tablets?", "put on
        # allopurinol and now it's flared up again. Is the allopurinol doing this?"
        return Ask.SIDE_EFFECTS
    if rules.cue("waiting_is_the_plan").search(question):
        # "He said to wait 2 days and see before antibiotics. Is that safe at her age?": whether
        # to treat now, not the medicine's harms.
        return Ask.TREATMENT
    if _comparator(question, interventions) is not None:
        # "Flexeril or ibuprofen 600 mg — is one better?" asks which, not how much: a dose
        # written beside one of the choices names the medicine as it would be prescribed.
        question = _WRITTEN_DOSE.sub(" ", question)
    # (A bare "is that ok if the headache goes?" asks about the sentence before it.)
    asked_parts = tuple(_with_what_they_ask_about(question))
    asked = " ".join(asked_parts)
    tails = [match["ask"] for part in asked_parts if (match := _ASK_AFTER_A_DASH.search(part))]
    # "CAP, CURB-65 1, managed at home, penicillin allergy – oral abx?": a clinician's story,
    # then a dash and what is asked; the story's "managed at home" asks nothing.
    found = next((a for tail in tails if (a := _ask_named(tail, rules, interventions))), None)
    if found is not None:
        return found
    if asked and asked != question and len(content_stems(asked)) >= _SAYS_ENOUGH:
        # "Tested positive for strep yesterday … does he need to finish all 10 days?": what the
        # asked sentences ask, before what the story tells; but "… make my ankles swell. Can I
        # switch?" leans on the story for what it asks.
        # …the first asked sentence that asks something leading: "Total course length? Do I
        # need a follow-up CXR?" asks first how long.
        found = next(
            (
                ask
                for part in asked_parts
                for item in _listed_asks(part)
                if (ask := _ask_named(item, rules, interventions)) is not None
            ),
            None,
        )
        if found is not None:
            return found
        # "… want to come off, can I just stop or halve it?": whether to stop is how long to go
        # on, whatever else the story names ("don't want to bother my GP").
        # "On ramipril 10 mg and bendroflumethiazide 2.5 mg … Topical or oral NSAID first?":
        # the doses the story tells are what the person takes, not what is asked.
        question = _WRITTEN_DOSE.sub(" ", question)
    elif rules.treatment_tried.search(question) or (asked and asked != question):
        # "Reflux on omeprazole 20 mg od, still symptoms after 8 weeks. Next step?": the dose
        # of the treatment that failed is the story; the question asks what to do next. So is
        # the dose of what the person takes: "fluticasone 100 mcg BID … step up to what?".
        question = " ".join(
            part if part in asked_parts else _WRITTEN_DOSE.sub(" ", part)
            for part in sentences(question)
        )
    found = _ask_named(question, rules, interventions)
    # (…or none, with two medicines named, which would be read later as taking both together;
    # the drugs are looked up only for a question on stopping)
    if (
        asked
        and rules.stopping_asked.search(asked)
        and (
            found in _NO_NARROWER_ASK or (found is None and len(_named_drugs(question, rules)) > 1)
        )
    ):
        # "… want to come off, can I just stop or halve it?", "pregnant, on ramipril and
        # amlodipine. Should I stop them?": whether to stop is how long to go on, whatever
        # else the story names ("don't want to bother my GP", two medicines).
        return Ask.DURATION
    # (…an unpunctuated question asks in its last sentence: "… swab came back strep … can i
    # stop it now")
    asking = asked or _last_sentence(question)
    # (…and so is a stay in hospital the story tells: "67M CAP admitted, CURB-65 2. Empiric
    # regimen?" asks which antibiotics, not about referral.)
    if found in (Ask.TEST_OR_IMAGE, Ask.REFERRAL) and asking and asking != question:
        # "… CXR RLL consolidation, CURB-65 0. Abx and how long?": a test whose result the story
        # tells is not asked for; a short asked sentence that names another ask says what is.
        # ("… scans just say wear and tear. Can I get tramadol instead?" asks about tramadol.)
        # ("… swab came back strep, amoxicillin for 10 days. Can I stop it now?" asks how long.)
        in_asked = (
            _ask_named(asking, rules, interventions)
            or (Ask.DURATION if rules.stopping_asked.search(asking) else None)
            or (
                Ask.TREATMENT
                if _names_a_treatment_not_a_test(asking, rules, interventions)
                else None
            )
        )
        found = in_asked if in_asked is not None else found
    if found is not None:
        return found
    # "Buteyko breathing for asthma?": naming a treatment and nothing else asks about its use.
    return Ask.TREATMENT if interventions else Ask.GENERAL


def _names_a_treatment_not_a_test(
    asked: str, rules: FrameRules, interventions: tuple[str, ...]
) -> bool:
    tests = next(rule.pattern for rule in rules.asks if rule.ask is Ask.TEST_OR_IMAGE)
    return any(
        find_whole(term, asked, ignore_case=True) and not tests.search(term)
        for term in interventions
    )


# Asks that a question on stopping a medicine narrows to how long to take it: one found only in
# the story ("don't want to bother my GP").
_NO_NARROWER_ASK = frozenset({Ask.GENERAL, Ask.REFERRAL})

# What a clinician's sentence asks after a dash or colon: a short tail ending in "?".
_ASK_AFTER_A_DASH = re.compile(r"\s(?:[–—-]|:)\s+(?P<ask>(?:[^\s–—:]+\s+){0,5}[^\s–—:]+\s*\?)\s*$")

# Content words an asked sentence needs to say what it asks on its own.
_SAYS_ENOUGH = 3


def _listed_asks(part: str) -> list[str]:
    """A clinician's list of short asks in one sentence, in the order asked ("Starting
    allopurinol: starting dose, urate target, how long ppx, how often recheck?" asks first for
    the dose), then the whole sentence; any other sentence as it is."""
    items = [item for item in _LIST_OF_ASKS.split(part.strip(" ?.")) if item.strip()]
    if len(items) >= _ASKS_IN_A_LIST and all(len(item.split()) <= _SHORT_ASK for item in items):
        return [*items, part]
    # …or two short asks joined: "First-line antihypertensive and target?".
    pair = [item for item in _TWO_ASKS.split(part.strip(" ?.")) if item.strip()]
    if len(pair) == _ASKS_IN_A_PAIR and len(part.split()) <= _SHORT_PAIR:
        return [*pair, part]
    # …or a question joined to one on timing: "does she need antibiotics and when can she go
    # back to school?" asks first about antibiotics.
    pieces = _then_when(part)
    if len(pieces) > 1:
        return [*pieces, part]
    return [part]


_TWO_ASKS = re.compile(r"\s+(?:and|\+|&)\s+", re.IGNORECASE)
_ASKS_IN_A_PAIR = 2
_SHORT_PAIR = 6  # words in the whole sentence: "Abx choice and duration?"


_LIST_OF_ASKS = re.compile(r"\s*[,;]\s*|\?\s+")
_ASKS_IN_A_LIST = 3  # at least: "Abx choice, dose, duration?"
_SHORT_ASK = 6  # words in each: longer pieces are clauses of a sentence, not a list

# A dose as written on a prescription: "600 mg", "2.5mg", "500 micrograms", "1g" (not "mg/dL").
_WRITTEN_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms?|g)\b(?!/)", re.IGNORECASE)


def _ask_named(question: str, rules: FrameRules, interventions: tuple[str, ...]) -> Ask | None:
    """The first ask whose words `question` uses, or None."""
    for rule in rules.asks:
        # "no red flags", "no leg symptoms": a negated mention asks for nothing.
        if _mentions(rule.pattern, rules.negation, question):
            if rule.ask is Ask.RED_FLAGS and _only_a_symptom_told(rule.pattern, question):
                # "A bit more muddled than usual … they want to start antibiotics. Is that
                # right?": confusion told in the story, which the red-flag rules do not read as
                # an emergency, is no question about when to get urgent help.
                continue
            named_here = [t for t in interventions if find_whole(t, question, ignore_case=True)]
            if rule.ask is Ask.SIDE_EFFECTS and not named_here and _HOW_SERIOUS.search(question):
                # "Is 150 over 95 blood pressure dangerous?" asks how serious the condition
                # is: no medicine is named whose harms could be meant (…in this sentence: "is
                # afib dangerous? … can i still have a glass of wine?").
                return Ask.GENERAL
            if (
                rule.ask is Ask.SIDE_EFFECTS
                and not interventions
                and _CAUSE_NO_MEDICINE.search(question)
            ):
                # "Can stress cause a migraine?" asks what brings the condition on, as "what
                # causes gout?" does: no medicine is named whose side effect could be meant.
                return Ask.DIAGNOSIS
            return rule.ask
    return None


# Words the red-flags ask reads as a worrying symptom rather than as a question about urgency.
_SYMPTOM_WORDS = ("drows", "muddled", "confus")


def _only_a_symptom_told(pattern: re.Pattern[str], question: str) -> bool:
    """Whether every match of the red-flags ask in `question` is a symptom word ("muddled",
    "drowsy", "confused") and the red-flag rules raise no flag for the question."""
    matches = [m.group().lower() for m in pattern.finditer(question)]
    if not matches or not all(m.startswith(_SYMPTOM_WORDS) for m in matches):
        return False
    return not find_red_flags(question)


# "Can stress cause …", "does cold weather trigger …", "can hypothyroidism make me put on
# weight?": a cause asked about that is no medicine.
_CAUSE_NO_MEDICINE = re.compile(
    r"^(?:(?!\b(?:tablets?|pills?|medicines?|medications?|drugs?|inhalers?|injections?|jabs?|"
    r"vaccines?|treatments?|surgery|operations?)\b).)*"
    r"\b(?:(?:can|could|does|do|did|might|will|would)\s+(?:[\w'-]+\s+){1,3}(?:cause|trigger)s?"
    r"|(?:make|makes|made|making)\s+(?:me|him|her|them|you)\b)",
    re.I,
)


# "Dangerous" or "serious" in a question that names no medicine, treatment or its safety.
_HOW_SERIOUS = re.compile(
    r"^(?:(?!\b(?:safe|safely|side|effects?|tablets?|pills?|medicines?|medications?|drugs?|"
    r"inhalers?|injections?|jabs?|vaccines?|treatments?|surgery|operations?)\b).)*"
    r"\b(?:dangerous|serious)\b(?!.*\b(?:tablets?|pills?|medicines?|medications?|drugs?)\b)",
    re.I,
)


@functools.lru_cache(maxsize=1024)
def _since_starting(term: str) -> re.Pattern[str]:
    """A medicine started, then a change told: "put her on co-codamol 30/500 and now she's …",
    "started on amlodipine last month, since then …"."""
    return re.compile(
        r"\b(?:put|puts|started|starting|start|went|gone|switched|changed|moved)\s+"
        r"(?:(?:me|him|her|them|us|my\s+\w+)\s+)?(?:on(?:to)?|taking)\s+"
        rf"{re.escape(term)}\b[^.?!]{{0,60}}?(?:\band\b|\bbut\b|,|\.)\s*(?:\w+\s+){{0,2}}?"
        r"(?:now|since(?:\s+then)?|ever\s+since)\b"
        # "Started Rosuvas 10 last month, my legs ache": a change told in the next clause ("…
        # 2 months ago. Now both my ankles are puffy", "… 10 days ago. feel sick most mornings").
        rf"|\b(?:started|starting|began)\s+(?:on\s+|taking\s+)?{re.escape(term)}\b"
        r"[^.?!,;]{0,60}[,.;]\s*(?:and\s+)?"
        # (…past the age and sex told between: "started lipitor a month ago, 63 f. legs ache")
        r"(?:\d{1,3}\s*(?:m|f|yo|y/o)?\s*[,.]\s*)?(?:now\s+)?(?:both\s+)?"
        r"(?:my|his|her|their|i|i'm|i've|he|she|they|feel|feeling|been|legs?|arms?|muscles?"
        r"|ankles?|feet|thighs?|calves)\b"
        # "started amlodipine 10mg for his blood pressure and now his ankles are swollen"
        rf"|\b(?:started|starting|began)\s+{re.escape(term)}\b[^.?!]{{0,60}}?\b(?:and|but)\s+"
        r"(?:\w+\s+){0,2}?(?:now|since)\b"
        # "since starting atorvastatin"
        rf"|\bsince\s+(?:starting|beginning|going\s+on(?:to)?)\s+(?:on\s+)?{re.escape(term)}\b"
        # "Ten days into an SSRI, the patient reports feeling more agitated"
        rf"|\b(?:\d+|one|two|three|four|five|six|ten|a\s+few)\s+(?:days?|weeks?)\s+into\s+"
        rf"(?:an?\s+|the\s+|his\s+|her\s+|their\s+|my\s+)?{re.escape(term)}\b"
        # "started zoloft last week and feel worse": a change told in the same breath.
        rf"|\b(?:started|starting|began)\s+(?:on\s+|taking\s+)?{re.escape(term)}\b"
        r"[^.?!,;]{0,30}?\band\s+(?:now\s+)?(?:i\s+|i'm\s+|he\s+|she\s+)?"
        r"(?:feel\w*|felt|am|is|have|has|get\w*|got)\b",
        re.IGNORECASE,
    )


@functools.lru_cache(maxsize=1024)
def _does_to_me(term: str) -> re.Pattern[str]:
    return re.compile(
        # "could the excedrin actually be making my headaches worse?"
        rf"(?<![\w-]){re.escape(term)}s?\s+(?:(?:actually|really|just)\s+)?"
        r"(?:(?:is|are|has been|have been|keeps?|be)\s+)?"
        r"(?:makes?|made|making|gives?|gave|giving|causes?|caused|causing)\s+"
        r"(?:me|my|him|his|her|them|their|you|your)\b"
        # "Will surgery give me a better result?" asks about its benefit.
        r"(?!\s+(?:a |an |the |any |more |less )?"
        r"(?:better|good|best|relief|benefit|result|chance))"
        # "atorva 80 causing myalgia": a clinician's note names the effect, not the person.
        rf"|(?<![\w-]){re.escape(term)}(?:\s+\d+(?:\.\d+)?\s*(?:mg|mcg)?)?\s+"
        r"(?:(?:is|has been|have been)\s+)?(?:causing|caused)\s+"
        r"(?!(?:a |an |the |any |more |less )?"
        r"(?:better|good|best|relief|benefit|result|chance|improvement)\b)\w",
        re.IGNORECASE,
    )


def _comparator(question: str, interventions: tuple[str, ...]) -> str | None:
    """The second of two interventions the question sets against each other ("ramipril or
    amlodipine", "apixaban versus warfarin"), in either order and beside others it names ("on
    metformin only. Ramipril or amlodipine?"); None when it compares none."""
    lowered = question.lower()
    for first, second in itertools.permutations(interventions, 2):
        between = re.search(
            rf"{re.escape(first)}\W+(?:\w+\W+)?(?:vs\.?|versus|or|compared (?:with|to)|"
            rf"instead of|rather than|better than)\W+(?:\w+\W+)?{re.escape(second)}",
            lowered,
        )
        if between:
            return second
    return None


def _mentions(pattern: re.Pattern[str], negation: re.Pattern[str], text: str) -> bool:
    return any(not _negated_at(text, match.start(), negation) for match in pattern.finditer(text))


def _stem_in(wanted: str, stems: set[str] | frozenset[str], min_inside: int) -> bool:
    if wanted in stems:
        return True
    return len(wanted) >= min_inside and any(wanted in other for other in stems)


def _negated_at(text: str, start: int, negation: re.Pattern[str]) -> bool:
    before = text[max(0, start - 30) : max(0, start)].lower()
    return bool(negation.search(before))


@functools.lru_cache(maxsize=4096)
def _is_known_drug(word: str) -> bool:
    """Whether the drug library knows `word` as a medicine."""
    return bool(find_drugs(word))


def ruled_out_medicines(question: str, rules: FrameRules | None = None) -> tuple[str, ...]:
    """The medicines or classes a question says cannot be taken ("allergic to penicillin" →
    penicillin, "I can't take NSAIDs" → nsaids); words that name no medicine are left out."""
    rules = rules or frame_rules()
    found: dict[str, None] = {}
    for match in rules.ruled_out.finditer(question):
        if rules.negated_at(question, match.start()):
            continue  # "no PCN allergy", "not allergic to penicillin"
        words = (match.group("after") or match.group("before") or match.group("out") or "").lower()
        # "can't have blood thinners" names a class in two words; "allergic to penicillin and
        # …" in one.
        first = words.split(" ")[0]
        first = rules.ruled_out_shorthands.get(first, first)
        if " " in words and (words in rules.also_known_as or names_a_class(words, rules)):
            found.setdefault(words, None)
        elif first and (names_a_class(first, rules) or _is_known_drug(first)):
            found.setdefault(first, None)
            if rules.cue("allergic_reaction_words").search(match.group(0)):
                # Anaphylaxis to amoxicillin rules out every penicillin, not amoxicillin alone.
                # (by its generic name: "hives from Amoxil" is amoxicillin.)
                generics = [first, *(drug.generic for drug in find_drugs(first))]
                for drug_class in (c for g in generics for c in rules.drug_classes(g)):
                    if drug_class in rules.cross_reacting_classes:
                        found.setdefault(drug_class, None)
    return tuple(found)


def names_a_class(word: str, rules: FrameRules) -> bool:
    """Whether `word` is a class the rules file names drugs by ("penicillin", "nsaids")."""
    classes = {name for names in rules.also_known_as.values() for name in names}
    classes |= {name for names in rules.classes_by_stem.values() for name in names}
    return word in classes or stem(word) in {stem(name) for name in classes}


# "Amoxicillin is the first choice, unless the child is allergic to penicillin" recommends the
# penicillin to everyone else; it names no alternative for the reader who cannot take it.
def names_ruled_out(text: str, ruled_out: Sequence[str], rules: FrameRules | None = None) -> bool:
    """Whether `text` recommends a medicine in `ruled_out` (or one of its class) rather than
    saying what to use instead: "amoxicillin 1 g three times daily" names a penicillin; "for
    people allergic to penicillin, clarithromycin" is the alternative."""
    if not ruled_out:
        return False
    rules = rules or frame_rules()
    if rules.if_unsuitable.search(text) and not rules.cue("unless_unsuitable_words").search(text):
        # "When DOACs are unsuitable, warfarin" is no alternative for someone who cannot have
        # any blood thinner: warfarin is one.
        return bool(_members_named(text, ruled_out, rules))
    wanted = {stem(word) for word in ruled_out}
    for word in word_tokens(text):
        names = (word, *rules.names_used_for(word))
        if any(stem(name) in wanted for name in names):
            return True
    return False


def _members_named(text: str, ruled_out: Sequence[str], rules: FrameRules) -> set[str]:
    """The single medicines `text` names that belong to a ruled-out class, read through the
    class's own names ("blood thinners" → anticoagulant → warfarin). A ruled-out drug has no
    members: someone who cannot take apixaban may take warfarin."""
    members: set[str] = set()
    for word in ruled_out:
        if _is_known_drug(word):
            continue
        for name in (word, *rules.also_known_as.get(word, ())):
            members |= set(rules.also_known_as.get(name, ()))
    if not members:
        return set()
    return {
        drug.generic
        for drug in find_drugs(text)
        if drug.is_specific and set(drug.names()) & members
    }


# A sentence that opens as a question, with or without its question mark ("and when can she
# go back to school").
_QUESTION_OPENING = re.compile(
    r"^(?:and|but|so|also|or|plus)?\s*(?:what|when|how|why|which|who|where|can|could|should|"
    r"would|will|is|are|do|does|did|has|have|may|might|must)\b",
    re.IGNORECASE,
)


def asked_sentences(question: str) -> tuple[str, ...]:
    """The sentences of a question that ask something: those ending in "?" and those opening
    as a question; not the story around them ("Started sertraline 12 days ago.")."""
    return tuple(
        part
        for part in sentences(question)
        if part.rstrip().endswith("?") or _QUESTION_OPENING.match(part)
    )


# "When can he go back to school, and does he need to finish all 10 days?": two questions in
# one sentence, joined at a comma where the second opens as a question ("when should it be held
# and when can it restart?" is one question).
# "…, and is it safe?", "…; can she …", and with no comma before "how long", "what" … that
# opens a clause of its own: "what antibiotic can she have and how long does she need off
# school?" ("when should it be held and when can it restart?" stays one question of timing).
_SECOND_QUESTION = re.compile(
    r"(?:,\s*(?:and|or|but)?|;)\s+(?=(?:does|do|is|are|can|could|should|will|would|how|"
    r"what|when|which|who)\b)"
    r"|\s+(?:and|but)\s+(?=(?:how\s+(?:long|much|many|often|soon)|what|which|who)\s+"
    r"(?:\w+\s+)?(?:does|do|is|are|can|could|should|will|would|did)\b)"
    # "how long till he can play again and should he go to school this week?"
    r"|\s+and\s+(?=(?:should|can|could|does|do|is|are|will|would)\s+(?:i|he|she|we|they|you)\s)",
    re.IGNORECASE,
)


def asked_clauses(question: str) -> list[str]:
    """The asked sentences, each split where a second question opens inside it; a bare "is
    that right?" is read with the sentence it asks about."""
    return [
        piece
        for sentence in _with_what_they_ask_about(question)
        for part in _SECOND_QUESTION.split(sentence)
        if part.strip()
        for piece in _then_when(part)
    ]


# "Coach says he can play next weekend as long as he's ok. Is that alright?": the asked
# sentence names nothing; what it asks about is the sentence before it.
_IS_THAT_RIGHT = re.compile(
    r"^\s*(?:is|was|would)\s+(?:that|this|it|he|she)\s+(?:\w+\s+)?(?:be\s+)?(?:right|alright|all\s+right"
    r"|ok|okay|true|safe|correct|wise|sensible|fine|advisable)"
    # (…or with the condition it hangs on: "is that ok if the headache goes?")
    r"(?:\s+(?:if|as\s+long\s+as|once|provided)\b[^?!.]{0,60})?\s*[?!.]*\s*$"
    # (…and a clinician's bare "evidence?", "worthwhile?" after the plan it weighs: "wants to
    # switch to Armour thyroid + selenium. evidence?")
    r"|^\s*(?:any\s+)?(?:evidence|evidence\s+base|thoughts|worthwhile|worth\s+it|reasonable"
    r"|appropriate|indicated|advisable)\s*[?!.]*\s*$",
    re.IGNORECASE,
)


def asked_with_what_it_weighs(question: str) -> tuple[str, ...]:
    """The asked sentences, each bare "is that ok?" or "evidence?" joined to the sentence
    before it, which says what it asks about."""
    return tuple(_with_what_they_ask_about(question))


def _with_what_they_ask_about(question: str) -> list[str]:
    parts = sentences(question)
    asked = set(asked_sentences(question))
    return [
        f"{parts[i - 1]} {part}" if i and _IS_THAT_RIGHT.match(part) else part
        for i, part in enumerate(parts)
        if part in asked
    ]


# "How many days of penicillin does she need and when can she go back to school?": a question
# of timing joined to one of another kind (not "when should it be held and when can it
# restart?", one question of timing).
_AND_WHEN = re.compile(
    r"\s+and\s+(?=when\s+(?:\w+\s+)?(?:can|could|should|will|would|does|do|is|are|may)\b)",
    re.IGNORECASE,
)


def _then_when(clause: str) -> list[str]:
    if re.match(r"\s*when\b", clause, re.IGNORECASE):
        return [clause]
    return [piece for piece in _AND_WHEN.split(clause) if piece.strip()]


def slot_phrases(question: str, rules: FrameRules | None = None) -> tuple[str, ...]:
    """Phrases in the place where a question names what it asks about ("would X help …"),
    without leading verbs and determiners: "wearing a magnetic back belt" → "magnetic back
    belt". The caller decides, against the knowledge base, whether each names something new."""
    rules = rules or frame_rules()
    found: dict[str, None] = {}
    for pattern in rules.slots:
        for match in pattern.finditer(question):
            words = [w for w in match.group("thing").lower().split() if w not in rules.slot_fillers]
            if any(word in rules.slot_clause_words for word in words):
                continue
            phrase = rules.slot_lead.sub("", " ".join(words)).strip()
            words = word_tokens(phrase)
            if words and not all(w in rules.not_topics for w in words):
                found.setdefault(phrase, None)
    return tuple(found)


def asked_effect(question: str, rules: FrameRules | None = None) -> str | None:
    """The effect a side-effect question asks about ("can statins cause muscle pain" →
    "muscle pain"), or None."""
    rules = rules or frame_rules()
    match = rules.effect_slot.search(question) or rules.cue("effect_told_after_starting").search(
        question
    )
    if match is None:
        return None
    # "it makes me so drowsy": the effect is drowsiness, not how much.
    effect = _INTENSIFIER.sub("", match.group("effect").lower()).strip()
    effect = rules.effect_nouns.get(effect, effect)
    # "The surgery gave me macrobid", "last year they gave me pills": a medicine given, not an
    # effect.
    if not effect or find_drugs(effect) or _A_MEDICINE_GIVEN.fullmatch(effect):
        return None
    return effect


_A_MEDICINE_GIVEN = re.compile(
    r"(?:(?:a|an|some|the|more|stronger|different)\s+)?(?:(?:course|box|pack|prescription)\s+of\s+)?"
    r"(?:pills?|tablets?|meds|medicines?|medications?|antibiotics?|abx|prescriptions?|"
    r"injections?|jabs?|creams?|drops|inhalers?|painkillers?|steroids?)",
    re.IGNORECASE,
)


_INTENSIFIER = re.compile(
    r"^(?:(?:so|really|very|quite|a\s+bit|a\s+little|super|too|that|extremely|awfully)\s+)+",
    re.IGNORECASE,
)


# A medicine proposed, not yet taken: "wants to put me on", "is going to start her on".
_PROPOSED = (
    r"\b(?:wants?|wanted|wanting|going|plans?|planning|thinking(?:\s+about)?|suggests?|suggested|"
    r"offers?|offered|would\s+like|keen|about|trying)\s+(?:to\s+)?(?:put|putting|start|starting|"
    r"try|trying)\s+(?:me|him|her|them|us|my\s+\w+)\s+on\s+(?:[\w-]+\s+){0,2}?"
)

_CONTEXT_LEAD = (
    r"(?:\b(?:is|am|are|was|been|already|currently|now|while|who(?:'s| is)?|and|person|patient|"
    r"i'm|i've been|he's|she's|they're|we're|im|ive been|hes|shes|theyre|"
    # (…and a clinician's age and sex: "76F on levo 125mcg".)
    r"man|woman|old|adult|someone|mum|dad|he|she|i|me|him|her|\d{1,3}\s*(?:m|f|yo|yom|yof))"
    r"\s+(?:only\s+)?"
    r"(?:on|taking|using|prescribed)\s+"
    # A clinician's list of findings: "eGFR 40, ACR 45 mg/mmol, on ramipril", or a story that
    # opens with it ("On ramipril and amlodipine, BP still 160/95. Next step?"); a reader's
    # "I'm 72 with COPD, use a Fostair inhaler".
    r"|(?:[,;]|^|[.!?]\s)\s*(?:already\s+|currently\s+)?on\s+"
    # "new AF, rate controlled on bisoprolol 2.5": what keeps it controlled is the setting.
    r"|\b(?:rate|rhythm|well|bp|sugars?|symptoms?)[\s-]+controlled\s+(?:on|with)\s+"
    r"|[,;]\s*(?:i\s+|and\s+)?(?:use|uses|using|take|takes|taking)\s+(?:an?\s+|my\s+)?"
    r"(?:[\w-]+\s+){0,2}?"
    # "I use a Fostair inhaler": not "should I use …?", which asks about it.
    r"|(?<!should )(?<!can )(?<!could )(?<!do )(?<!would )(?<!must )(?<!may )"
    r"\b(?:i|we|he|she|they)\s+(?:use|uses|always use|still use)\s+"
    r"(?:an?\s+|my\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,2}?"
    # "Finished amoxicillin for an ear infection 2 weeks ago", "CAP tx'd with amoxicillin": a
    # course already taken.
    r"|\b(?:finished|completed)\s+(?:a\s+course\s+of\s+|the\s+|his\s+|her\s+|my\s+|their\s+)?"
    r"|\b(?:tx'?d|treated|rx'?d)\s+with\s+"
    # "My husband takes amiodarone for his heart", "she also takes metformin": what they take,
    # not what is asked. (Not "I take": "I take levothyroxine with coffee, ok?" asks about it.)
    r"|\btakes\s+|\balso\s+(?:takes|taking|on|uses|using)\s+"
    # "Ibuprofen with my lisinopril?": the medicine already taken, beside the one asked about.
    r"|\b(?:with|alongside)\s+(?:my|his|her|their)\s+"
    # "GP said no antibiotics for now": a decision already made, told as the story.
    r"|\b(?:said|says|decided|advised)\s+(?:no|not\s+to\s+(?:give|take|have|start))\s+"
    # "used naproxen for a while but it upset my stomach, and tried a chiropractor": treatments
    # already tried are the story (not "have you tried …?").
    r"|(?<!you )\b(?:tried|used)\s+(?:an?\s+|some\s+|the\s+)?"
    # "told us to just give Calpol and Nurofen and wait": the advice given, told as the story.
    r"|\b(?:told|advised)\s+(?:us|me|him|her|them)\s+to\s+(?:just\s+)?(?:give|take|use|try)\s+"
    r"(?:(?:him|her|them|it)\s+)?(?:[\w-]+\s+and\s+)?"
    # "CAP needing noradrenaline": a treatment the person already has, not the question.
    # …but "will I end up needing surgery?" asks about the surgery.
    r"|(?<!\bup )(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bbe )(?<!\bever )"
    r"\b(?:needing|needs|requiring|requires|receiving)\s+)"
    r"(?:a |an |the |long-term |regular |daily )?"
)


# "Tums aren't cutting it", "the ibuprofen isn't helping": a medicine already tried.
_TRIED_TAIL = (
    # ("paracetamol isnt really touching it", "paracetamol which does nothing")
    r"(?:\s+(?:which\s+|that\s+)?(?:is|are|isn'?t|aren'?t|is not|are not|has not been|"
    r"have not been|hasn'?t been|haven'?t been|don'?t|doesn'?t|didn'?t)\s+"
    r"(?:not\s+)?(?:really\s+|even\s+|actually\s+)?(?:working|helping|help|work|"
    r"cutting it|doing (?:anything|much|a thing)|enough|touching it)\b"
    # "paracetamol is doing nothing", "paracetamol does nothing for it", "barely touches it"
    r"|\s+(?:which\s+|that\s+)?(?:is\s+doing|does|did|do)\s+(?:nothing|very little|little)\b"
    r"|\s+(?:barely|hardly|doesn'?t even)\s+(?:touches|touch|helps|help|works|work)\b"
    # "after propranolol failure", "despite metformin intolerance"
    r"|\s+(?:failure|intolerance|non-?response)\b)"
)


# "BP ctrl on amlodipine", "HTN well controlled on ramipril": a condition told as kept in check
# by what the person takes is the story beside what is asked (a gout flare).
_CONTROLLED_TAIL = r"\s+(?:(?:well|fully)[- ])?(?:ctrl|controlled|stable)\s+on\b"
# A course told with its dose and length, as a clinician notes it: "sertraline 50 x 6/52" (not
# "would sertraline 50 for 6 weeks be enough?", which asks about it).
_COURSE_TAIL = (
    r"\s+\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms)?\s*x\s*\d+\s*"
    r"(?:/52|/12|weeks?|wks?|months?|mo)\b"
)


def _in_brackets_after_a_condition(named: str, question: str) -> bool:
    """Whether `named` (a pattern) is told in brackets after what it treats, as one of a list
    or after "on": "she has type 2 diabetes (metformin and the jardiance one)". Not a thing's
    other name in brackets after it ("Zoloft (sertraline)", "magic mushrooms (psilocybin)")."""
    pattern = rf"(?P<before>[\w-]+)\s*\((?P<inside>[^()]*?\b{named}\b[^()]*)\)"
    return any(
        not find_drugs(match.group("before"))
        and bool(frame_rules().cue("a_list_or_on").search(match.group("inside")))
        for match in _compiled_i(pattern).finditer(question)
    )


def treated_with(term: str, conditions: Sequence[str], question: str) -> bool:
    """Whether the question names the drug as what a condition it names is already treated
    with: "target urate for tophaceous gout on allopurinol", "asthma on low-dose ICS"."""
    return any(
        re.search(rf"\b{re.escape(c)}\s+on\s+{re.escape(term)}\b", question, re.IGNORECASE)
        for c in conditions
        if c.lower() != term.lower()
    )


# A clinician's list of what the person is on: "EF 30% on ramipril, bisoprolol, spiro", "on
# apixaban + atorvastatin 40": every item after "on" is context, not only the first.
# A medicine as a list writes it: "ramipril 5", "diltiazem MR 180", "bisoprolol 2.5mg".
# (…with its article: "she takes aspirin, a statin and bisoprolol".)
# (…and its dose and how often: "furosemide 40 od, Entresto 49/51 bd".)
_LISTED = (
    r"(?:(?:an?|the)\s+)?[\w/-]+(?:\s+(?:MR|SR|XL|ER|CR|LA|m/r))?"
    r"(?:\s+[\d./]+\s*(?:mg|mcg|micrograms|g)?)?"
    r"(?:\s+(?:od|bd|bid|tds|tid|qds|qid|daily|nocte|mane|prn|once\s+daily|twice\s+daily))?"
)
# …and its last item after "and" once a comma shows it is a list ("on warfarin, bisoprolol and
# metformin"; not "on sertraline and tramadol, safe?", which asks about the pair).
_ON_A_LIST = rf"(?:\bon\s+)(?:{_LISTED}(?:\s*,\s*|\s*\+\s*)){{1,5}}(?:{_LISTED}\s+and\s+)?"
# "On about 10 tablets (warfarin, bisoprolol, furosemide and more)", "takes loads of pills:
# warfarin, …": what the person is on, listed after the tablets.
_TABLETS_LISTED = (
    r"\b(?:on|takes?|taking)\s+[^().?!]{0,30}?\b(?:tablets|pills|medicines|medications|meds)"
    r"\s*[(:-]\s*[^).?!]*?"
)
# A story's "he takes spironolactone, ramipril and bisoprolol": every item is context.
_TAKES_A_LIST = rf"\btakes\s+(?:{_LISTED}(?:\s*,\s*|\s*\+\s*|\s+and\s+)){{1,5}}(?:(?:an?|the)\s+)?"
# Activities a symptom is told around ("after gym", "during training").
_ACTIVITIES = frozenset({"gym", "training", "exercise", "running", "sport", "swimming", "walking"})
_WHEN_DOING = r"\b(?:after|at|before|during)\s+(?:the\s+)?"
# A clinician's "eGFR 28, also atorvastatin + ramipril": more of what the person is on.
_ALSO_A_LIST = (
    rf"\balso\s+(?:on\s+|takes?\s+|taking\s+)?"
    rf"(?:{_LISTED}(?:\s*,\s*|\s*\+\s*|\s+and\s+)){{0,5}}"
)
# A clinician's "tried paracetamol, topical diclofenac, physio. asking for hyaluronic acid":
# what was tried is history; what follows is asked.
_TRIED_A_LIST = (
    rf"\b(?:tried|trialled|failed|had)\s+(?:(?:topical|oral|regular|an?|the)\s+)?"
    rf"(?:{_LISTED}(?:\s*,\s*|\s*\+\s*|\s+and\s+)(?:(?:topical|oral|regular)\s+)?){{0,5}}"
)


def asked_interventions(frame: QuestionFrame, question: str) -> tuple[str, ...]:
    """The frame's drugs and procedures less those the person is merely on or has tried
    (`is_context`): what the question asks about, which may be one the story says was
    withheld ("said no antibiotics. Shouldn't she have them?")."""
    asked_back = {stem(term) for term in _withheld_and_asked_for(question, frame_rules())}
    return tuple(
        term
        for term in frame.interventions
        if stem(term) in asked_back or not is_context(term, question)
    )


@functools.lru_cache(maxsize=4096)
def _names_undenied(pattern: re.Pattern[str], question: str) -> bool:
    """Whether `pattern` matches `question` somewhere not just after a denial. Cached: every
    candidate line of an answer asks it again of the same question."""
    return any(
        not _DENIED_BEFORE.search(question[max(0, match.start() - 20) : match.start()])
        for match in pattern.finditer(question)
    )


@functools.lru_cache(maxsize=8192)
def _compiled_i(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled to ignore case, kept: the patterns built around each asked term would
    otherwise crowd the `re` module's small cache and be compiled again for every line."""
    return re.compile(pattern, re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def is_context(term: str, question: str) -> bool:
    """Whether the question names `term` as something the person is on, or has tried ("tums
    aren't cutting it"), not what it asks. Cached: ranking asks it of every candidate line."""
    named = re.escape(term) + r"(?:s|es)?"  # "antibiotic", as the question's "no antibiotics"
    if _compiled_i(_PROPOSED + named + r"\b").search(question):
        # "GP wants to put me on tramadol long term. Is that a good idea?" asks about it.
        return False
    return bool(
        _compiled_i(_CONTEXT_LEAD + named + r"\b").search(question)
        or _compiled_i(r"\b\d+(?:\.\d+)?%?\s+on\s+" + named + r"\b").search(question)
        or _compiled_i(_ON_A_LIST + named + r"\b").search(question)
        or _compiled_i(_TAKES_A_LIST + named + r"\b").search(question)
        or _compiled_i(_TRIED_A_LIST + named + r"\b").search(the_story(question))
        or _compiled_i(_ALSO_A_LIST + named + r"\b").search(question)
        # "my thighs ache all the time esp after gym": when the symptom comes, not a treatment
        # (an activity only: "how long before sertraline kicks in?" asks about sertraline)
        or (
            term.lower() in _ACTIVITIES
            and _compiled_i(_WHEN_DOING + named + r"\b").search(question)
        )
        or _compiled_i(_TABLETS_LISTED + named + r"\b").search(question)
        or _compiled_i(named + _TRIED_TAIL).search(question)
        or _compiled_i(named + _CONTROLLED_TAIL).search(question)
        or _compiled_i(named + _COURSE_TAIL).search(question)
        or _in_brackets_after_a_condition(named, question)
        or _a_place(term, question)
        or _compiled_i(_ON_TWO + named + r"\b").search(the_story(question))
        or _compiled_i(r"\bon\s+" + named + _FIRST_OF_A_LIST).search(the_story(question))
        or _compiled_i(_ON_A_MEDICINE_FOR + named + r"\b").search(the_story(question))
        or _what_a_medicine_told_is_for(named, the_story(question))
        or _only_feared(named, question)
        or _compiled_i(_ADVISED + named + r"\b").search(the_story(question))
    )


# What someone told the reader to do ("physio said keep moving but it hurts"): advice heard,
# the story of the question, not what it asks about.
_ADVISED = (
    r"\b(?:said|says|told\s+(?:me|us|him|her|them)|advised|recommended|suggested)\s+"
    r"(?:(?:to|that|i|we|he|she|they|should|must|need\s+to)\s+){0,3}"
)


def _only_feared(named: str, question: str) -> bool:
    """Whether `named` (a pattern) is named only in told sentences that voice a fear first:
    "terrified I'll end up needing surgery. Should I give up running?" does not ask about
    surgery."""
    asked = asked_sentences(question)
    if any(_compiled_i(named + r"\b").search(sentence) for sentence in asked):
        return False
    told = [s for s in sentences(question) if s not in asked]
    naming = [s for s in told if _compiled_i(r"\b" + named + r"\b").search(s)]
    # (The fear comes first: "terrified I'll end up needing surgery", not "wants me to try
    # amitriptyline, but I'm worried about getting hooked on it", which asks about it.)
    return bool(asked and naming) and all(_feared_before(named, sentence) for sentence in naming)


def _feared_before(named: str, sentence: str) -> bool:
    """Whether `sentence` voices a fear before it names `named` ("terrified I'll end up needing
    surgery")."""
    fear = frame_rules().cue("fear_told").search(sentence)
    term = re.search(r"\b" + named + r"\b", sentence, re.IGNORECASE)
    return fear is not None and term is not None and fear.start() < term.start()


# "Acute gout, CKD 4, on apixaban for AF. Best option for the flare?": what a medicine the
# story says the person is on is for is the setting, not the subject.
_ON_A_MEDICINE_FOR = (
    r"\b(?:on|takes?|taking|took)\s+[\w-]+(?:\s+\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms))?"
    # …"daily", "twice a day" ("on diltiazem 180 mg daily for AF rate control")
    r"(?:\s+(?:daily|od|bd|once\s+a\s+day|twice\s+a\s+day))?"
    r"\s+for\s+(?:his\s+|her\s+|my\s+|their\s+|the\s+)?"
    # …and a condition's short name before what the medicine does for it ("AF rate control")
    r"(?:[A-Z][A-Za-z0-9]{1,5}\s+)?"
)


def _what_a_medicine_told_is_for(named: str, story: str) -> bool:
    """Whether the story names `named` (a pattern) as what a medicine is for, in a clinician's
    list ("… CKD3b eGFR 38, furosemide for HFrEF, SUA 9.1"): the setting, not the subject."""
    return any(
        find_drugs(match.group("medicine"))
        # (…an item of a list, not a medicine given for the complaint: "She was given
        # nitrofurantoin for cystitis" is about cystitis.)
        for match in _compiled_i(
            r"(?:^|[,;+]\s*)(?P<medicine>[\w-]+)(?:\s+\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms))?\s+for\s+"
            r"(?:his\s+|her\s+|my\s+|their\s+|the\s+)?" + named + r"\b"
        ).finditer(story)
    )


# "Mum is 83 and on amlodipine and ramipril. … Could it be her tablets?": two medicines the
# story says she is on (not "is it safe to be on sertraline and tramadol?", which asks).
_ON_TWO = rf"\bon\s+{_LISTED}\s+and\s+"
# "… stable angina on bisoprolol + aspirin.": the first of a list the story says the person is on.
_FIRST_OF_A_LIST = (
    r"(?:\s+[\d./]+\s*(?:mg|mcg|micrograms)?)?"
    r"(?:\s+(?:od|bd|bid|tds|tid|qds|qid|daily|nocte|mane|prn))?\s*(?:\+|,|\s+and\s+)"
)


def the_story(question: str) -> str:
    """The sentences of a question that ask nothing."""
    asked = set(asked_sentences(question))
    return " ".join(part for part in sentences(question) if part not in asked)


def _a_place(term: str, question: str) -> bool:
    return bool(_compiled_i(_A_PLACE_LEAD + re.escape(term) + _A_PLACE_TAIL).search(question))


# "The surgery is closed till Monday": the GP's practice, a place, not an operation.
_A_PLACE_LEAD = r"\b(?:the|gp|doctor'?s|our|my|local)\s+"
# ("the surgery gave me macrobid": the practice prescribed it.)
_A_PLACE_TAIL = (
    r"\s+(?:is|was|closed|shut|opens?|reopens|said|says|told|rang|called|phoned|gave|gives"
    r"|prescribed|sent|put)\b"
)
