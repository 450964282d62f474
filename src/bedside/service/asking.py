"""The `ask` use case: question → analysis → evidence → draft → verification → Answer or Refusal.

Both the CLI and the web app call `Service.ask`, which delegates here. Each stage is a typed
function of its own module; this module only wires them and decides refusals.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

from bedside.analyse.drugs import (
    DrugMention,
    drug_rules,
    find_drugs,
    resolve_misspelling,
    resolve_shortened,
)
from bedside.analyse.frame import (
    SHORTEST_MISSPELT_NAME,
    ConditionVocabulary,
    ask_again,
    asked_clauses,
    asked_interventions,
    asked_sentences,
    find_interventions,
    frame_question,
    frame_rules,
    inherit,
    is_context,
    named_as_a_reading,
    one_slip_apart,
    ruled_out_medicines,
    slot_phrases,
    the_story,
    treated_with,
    without_findings,
    without_populations,
)
from bedside.analyse.personal_data import redact_personal_data
from bedside.analyse.question import (
    QuestionAnalysis,
    analyse_question,
    content_terms,
    is_intent_word,
)
from bedside.analyse.red_flags import RedFlag, find_red_flags
from bedside.analyse.scope import (
    ScopeDecision,
    ScopeVerdict,
    bundled_condition_terms,
    bundled_specific_terms,
    bundled_treatment_terms,
    classify_scope,
)
from bedside.analyse.terms import (
    STOP_WORDS,
    content_stems,
    find_every_whole,
    find_whole,
    sentences,
    stem,
    word_tokens,
)
from bedside.compose.article import (
    all_statements,
    answer_from_json,
    answer_to_json,
    number_references,
)
from bedside.compose.base import ComposeRequest, Generator, TopicMatcher
from bedside.compose.extractive import lower_first
from bedside.compose.ranking import intervention_share, names_a_drug, states_a_dose
from bedside.compose.sections import HEADINGS, classify_sentence, label_section
from bedside.domain import (
    Answer,
    Ask,
    Audience,
    Check,
    Document,
    DocumentKind,
    Draft,
    DroppedStatement,
    DrugName,
    Evidence,
    FallbackNote,
    Passage,
    QuestionFrame,
    Refusal,
    RefusalReason,
    ReviewStatus,
    Urgent,
)
from bedside.errors import InputError
from bedside.ingest.readers.cards import CARD_SECTIONS, PATIENT_HEADING
from bedside.retrieve.evidence import evidence_level, gather_evidence
from bedside.service.gaps import (
    effect_asked,
    effect_only_heard_of,
    gap_message,
    medicine_not_covered_for,
    medicines_not_covered_for,
    names_them_together,
    population_gaps,
    unanswered_ask,
    unmentioned_effect,
)
from bedside.service.holdings import (
    mentions,
    missing_interventions,
    named_as_asked,
    specific_phrases,
    uncovered_conditions,
)
from bedside.store.base import Store, StoredAnswer
from bedside.verify.policy import insufficient_evidence, is_enough
from bedside.verify.verifier import Verification, verify_draft

if TYPE_CHECKING:
    from bedside.config import AnswerSettings, Settings
    from bedside.service import Service

MAX_QUESTION_CHARS = 1000
# A drug's class is the subject of the card that names it at least this many times more often
# than any other card does.
_CLASS_SUBJECT_RATIO = 2
_TOPIC_EVIDENCE = 10  # how many top passages the evidence gate and topic-card vote look at
# "My back pain goes down my leg, is that sciatica?": the condition the reader asks whether they
# have is the subject, though another is named first.
_FOR_THEIR = r"\bfor\s+(?:his|her|my|their|your)\s+"
# "I'm 72 with COPD", "a 70-year-old with diabetes", "patient with HFrEF", "49M with T2DM".
_A_PERSON_WITH = (
    r"(?:\b\d{1,3}(?:\s?[mf]\b)?|year[- ]old|\byo|\bi'?m|\bi am|\bman|\bwoman|\bpatient|\bpt"
    r"|\bperson|\badult)"
    r"\s+with\s+(?:known\s+|severe\s+|mild\s+)?"
)
# "T2DM woman, asymptomatic, urine culture grew E. coli": a clinician's note names the
# person by a condition they have, the story's setting.
# ("COPD patient on ICS/LABA admitted with pneumonia: continue the ICS?" asks about the
# COPD's own treatment: "patient" alone does not make it a setting.)
# "72M, hx AF, TSH 0.05 on levo": a history in a clinician's note is the setting.
_A_HISTORY_OF = r"\b(?:hx|h/o|pmh|pmhx|history)\s*(?:of\s+|:\s*)?"
_WHO_IS_A_PERSON = r"\s+(?:\d{1,3}\s?(?:yo\s+)?)?(?:man|woman|male|female|lady|gentleman)\b"
_WHETHER_IT_IS = (
    r"\b(is (that|this|it)|(could|might) (that|this|it) be|do i have|have i got"
    r"|does (he|she|they) have)\s+(an? |my |the )?"
)
# "Headaches every day after a concussion": the symptom follows the condition named after it,
# which is what the article is about.
_AFTER_IT = r"\b(after|since|following)\s+(an? |my |his |her |their |the )?"
_FULL_LIMIT = 12  # sections, and bullets a section, in a --full article
_RULE_FILES = (
    ("bedside.analyse", "frame_rules.yaml"),
    ("bedside.analyse", "red_flags.yaml"),
    ("bedside.analyse", "drug_rules.yaml"),
    ("bedside.analyse", "clinical_terms.txt"),
    ("bedside.compose", "glossary.yaml"),
    ("bedside.verify", "paraphrase_rules.yaml"),
)
# The packages whose code decides what an answer says.
_ANSWERING_CODE = ("bedside.analyse", "bedside.compose", "bedside.verify", "bedside.service")
_CANDIDATE_CARDS = 3  # cards retrieval may propose when the question names no condition
_ON_TOPIC_COVERAGE = 0.5  # share of the topic a non-card passage must cover to be evidence
# With no card, pages about the very thing asked replace pages that mention it in passing only when
# they hold at least this many of the evidence passages (one or two rarely make an article).
_ENOUGH_ON_TOPIC_PASSAGES = 3

_FOLLOW_UPS: dict[str, str] = {
    "first_line": "What is the first-line management of {topic}?",
    "medicines": "Which medicines are used for {topic}?",
    "imaging": "When is imaging needed for {topic}?",
    "red_flags": "What are the red flags in {topic}?",
    "referral": "When should someone with {topic} be referred to a specialist?",
    "procedures": "When are injections or surgery considered for {topic}?",
    "pitfalls": "What should be avoided when managing {topic}?",
    "prognosis": "What is the outlook for {topic}?",
    "diagnosis": "How is {topic} assessed and diagnosed?",
    "prevention": "How can {topic} be prevented or screened for?",
    "monitoring": "How should {topic} be followed up?",
}


# How near an acute card's statements must come to a chronic card's to win a name both share
# when the question tells no duration.
_CLOSE_CARD = 0.98


@dataclass(frozen=True, slots=True)
class TopicCard:
    """A guideline card that retrieval ranks as the question's topic."""

    card_id: str
    title: str
    votes: float


@functools.cache
def _rules_digest() -> str:
    """A hash of what shapes answers beside the settings: the rules files, and the code that
    reads the question, ranks and composes statements and verifies them (a stored answer
    composed by an earlier version of that code is not served as if it were current)."""
    digest = hashlib.sha256()
    for package, name in _RULE_FILES:
        digest.update(resources.files(package).joinpath(name).read_bytes())
    for package in _ANSWERING_CODE:
        folder = resources.files(package)
        for name in sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".py")):
            digest.update(name.encode())
            digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


def composer_version(generator: Generator) -> str:
    """Which composer wrote an answer: the generator and the rules files it read."""
    return f"{generator.name}/{generator.version}+rules.{_rules_digest()}"


def answer_fingerprint(settings: Settings, generator: Generator) -> str:
    """The settings fingerprint an answer carries: the settings', joined by the hash of the
    generator's prompt files when it sends any (a new prompt wording is a new fingerprint)."""
    fingerprint = settings.fingerprint()
    if not generator.prompt_digest:
        return fingerprint
    joined = f"{fingerprint}+prompts.{generator.prompt_digest}"
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def question_key(question: str) -> str:
    """The question normalised for lookup: case, spacing and trailing punctuation ignored."""
    return " ".join(question.lower().split()).rstrip(" ?.!")


_SHORTEST_LABEL_NAME = 5
_ASKS_A_RED_FLAG_LEADS = frozenset(
    {
        Ask.GENERAL,
        Ask.TREATMENT,
        Ask.DRUG_CHOICE,
        Ask.PROGNOSIS,
        Ask.DIAGNOSIS,
        # "Racing heart, chest pain, nearly passed out: take an extra bisoprolol and wait?"
        Ask.INTERACTIONS,
        Ask.SIDE_EFFECTS,
        # "Mouth drooping for 15 minutes this morning, BP 168/96: take an extra amlodipine?"
        Ask.DOSE,
        # "Slurred speech + L arm weakness 45 min ago, now improving: refer to TIA clinic?"
        Ask.REFERRAL,
    }
)
_QUESTION_WORDS = frozenset({"what", "which", "else", "anything", "something", "everything"})


def validate_question(question: str) -> str:
    text = question.strip()
    if not text:
        raise InputError("the question is empty", where="question")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the question is {len(text)} characters; at most {MAX_QUESTION_CHARS} are accepted",
            where="question",
        )
    return text


@dataclass(frozen=True, slots=True)
class _Asked:
    """A question as `ask` looks it up: redacted, keyed, and what its answer is stamped with."""

    question: str
    redacted: tuple[str, ...]
    key: str
    settings: Settings
    follow_up_of: str | None
    previous: Answer | None
    kb_version: str
    fingerprint: str
    composer: str
    approved: dict[str, Any] | None


def _asked(
    store: Store,
    settings: Settings,
    generator: Generator,
    question: str,
    *,
    audience: Audience,
    follow_up_of: str | None,
    full: bool,
) -> _Asked:
    # Personal data never reaches the store, the logs or another reader: it is removed first.
    redaction = redact_personal_data(validate_question(question))
    if full:
        settings = settings.model_copy(
            update={"answer": settings.answer.model_copy(update={"concise": False})}
        )
    follow_up_of = follow_up_of or None  # "" (an empty form field) means no earlier answer
    previous = answer_from_json(store.get_answer(follow_up_of)) if follow_up_of else None
    key = question_key(redaction.text)
    # Approved articles are frozen (docs/review.md): the latest approved answer to this question
    # is the one served. Whatever is composed anew (knowledge base or settings changed, --fresh)
    # is stored as a revision of it, to be reviewed; approving the revision makes it the one
    # served. Follow-ups depend on their earlier answer, so they are never frozen.
    approved = (
        None
        if follow_up_of or full
        else store.latest_approved_answer(question_key=key, audience=audience.value)
    )
    return _Asked(
        question=redaction.text,
        redacted=redaction.removed,
        key=key,
        settings=settings,
        follow_up_of=follow_up_of,
        previous=previous,
        kb_version=store.kb_version(),
        fingerprint=answer_fingerprint(settings, generator),
        composer=composer_version(generator),
        approved=approved,
    )


def _stored(store: Store, asked: _Asked, *, audience: Audience) -> Answer | None:
    if not asked.settings.answer.reuse_stored:
        return None
    record = store.find_answer(
        question_key=asked.key,
        audience=audience.value,
        kb_version=asked.kb_version,
        settings_fingerprint=asked.fingerprint,
        follow_up_of=asked.follow_up_of,
    )
    # An answer composed by other rules (frame rules, glossary, generator version) is not
    # reused: the settings fingerprint does not see those files.
    if record is None or record["provenance"].get("composer") != asked.composer:
        return None
    return answer_from_json(asked.approved or record)


def stored_answer(
    store: Store,
    settings: Settings,
    generator: Generator,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    follow_up_of: str | None = None,
    full: bool = False,
) -> Answer | None:
    """The answer `ask` would serve for `question` without composing, or None when it would
    compose one. Reads the store only (`generator` is asked its name, version and prompt
    digest), so it needs none of the indexes or models that composing does."""
    asked = _asked(
        store, settings, generator, question,
        audience=audience, follow_up_of=follow_up_of, full=full,
    )  # fmt: skip
    return _stored(store, asked, audience=audience)


def ask(
    service: Service,
    question: str,
    *,
    audience: Audience = Audience.CLINICIAN,
    follow_up_of: str | None = None,
    fresh: bool = False,
    full: bool = False,
) -> Answer:
    """Answer `question` (or refuse), store the outcome, and return it.

    `full` writes every relevant statement instead of the concise article; it is composed and
    stored under its own settings fingerprint, and never frozen by an approval.
    """
    store = service.store
    asked = _asked(
        store, service.settings, service.generator, question,
        audience=audience, follow_up_of=follow_up_of, full=full,
    )  # fmt: skip
    if not fresh:
        stored = _stored(store, asked, audience=audience)
        if stored is not None:
            return stored
    question, settings, follow_up_of = asked.question, asked.settings, asked.follow_up_of
    kb_version, fingerprint, approved = asked.kb_version, asked.fingerprint, asked.approved

    started = time.perf_counter()
    pipeline = _Pipeline(
        service, audience=audience, previous=asked.previous, settings=settings.answer
    )
    answer = pipeline.run(question)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    answer = replace(
        answer,
        redactions=asked.redacted,
        answer_id=uuid.uuid4().hex,
        created_at=now,
        updated_at=now,
        settings_fingerprint=fingerprint,
        kb_version=kb_version,
        follow_up_of=follow_up_of,
        revision_of=None if approved is None else approved["answer_id"],
        provenance={
            **answer.provenance,
            "composer": asked.composer,
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    store.save_answer(
        StoredAnswer(
            answer_id=answer.answer_id,
            question=question,
            question_key=asked.key,
            audience=audience.value,
            kind=answer.kind,
            kb_version=kb_version,
            settings_fingerprint=fingerprint,
            follow_up_of=follow_up_of,
            review_status=answer.review_status.value,
            record=answer_to_json(answer),
            created_at=now,
            updated_at=now,
            revision_of=answer.revision_of,
        )
    )
    return answer if approved is None else answer_from_json(approved)


class _Pipeline:
    """One question's run through the stages."""

    def __init__(
        self,
        service: Service,
        *,
        audience: Audience,
        previous: Answer | None,
        settings: AnswerSettings,
    ) -> None:
        self.service = service
        self.settings = settings
        self.audience = audience
        self.previous = previous
        self._current_question = ""
        self._own_cards: tuple[str, ...] = ()  # cards the question itself names
        self._own_labels = False  # the question names a drug whose label the KB holds
        self._frame_now = QuestionFrame(Ask.GENERAL)  # the frame as the pipeline refines it
        # …and with only what it asks about among its drugs and procedures (not what the person
        # is on), for judging a second card's statements
        self._asked_now = self._frame_now
        # one choice of an either-or question the knowledge base has never seen ("cod liver oil"
        # in "glucosamine or cod liver oil?"): a gap, not a refusal, when the other is covered
        self._choices_unknown: tuple[str, ...] = ()
        self._card_stems: dict[str, set[str]] = {}  # card id → the stems of all its statements
        self._drug_cards: dict[tuple[str, ...], list[str]] = {}  # asked drugs → their cards
        self._drug_card_leads = ""  # the asked medicine's card, before a condition told
        self._together_cards: list[TopicCard] = []  # joined for a line on taking both

    def run(self, question: str) -> Answer:
        self._current_question = question
        analysis = self._analyse(question)
        frame = self._frame(question)
        if (
            frame.ask is Ask.SIDE_EFFECTS
            and effect_only_heard_of(question)
            and not self._asked_sentences_ask_about_harm(question)
        ):
            # "Is it really worth it? My friend said statins made her legs ache": whether to take
            # it is asked; the effect is what someone else said. (Not "is it bad to take nexium
            # for years? my friend says it causes dementia": the asked sentence is on its harms.)
            frame = replace(frame, ask=Ask.TREATMENT)
        flags = find_red_flags(question)
        urgent = _urgent(flags, self.audience)
        if urgent is not None and (not frame.condition_cards or not frame.conditions):
            # …and cards found only through the medicines named are not the emergency's: "my
            # back has been killng me … cant feel it when i wipe … ibuprofen and naproxen
            # together?" is about the flag's card (back pain), not AF or the knee, when the
            # knowledge base holds it; otherwise the cards found stay.
            flagged = self._with_red_flag_cards(replace(frame, condition_cards=()), flags)
            if flagged.condition_cards:
                frame = flagged
            elif not frame.conditions and all(flag.banner_only for flag in flags):
                # "calf swollen since the flight, breathless … I'm on the combined pill": no card
                # is about this emergency, and the card of a medicine named (migraine, for the
                # pill) would put an article about something else under the banner.
                frame = replace(frame, condition_cards=())
        elif urgent is not None and self._flag_cards_not_named_speak(frame, flags):
            # "red swollen patch on his shin … shivering, muddled, heart is racing": the racing
            # heart is a sign of the emergency, not atrial fibrillation; the card the alarm
            # belongs to leads when no card named says anything on that alarm.
            frame = self._with_red_flag_cards(
                replace(frame, conditions=(), condition_cards=()), flags
            )
        elif urgent is not None and any(flag.cards_lead for flag in flags):
            # "33 weeks pregnant, pounding headache, blurry vision": the headache is the
            # flag's symptom, not a migraine question.
            frame = self._with_red_flag_cards(
                replace(frame, conditions=(), condition_cards=()),
                [flag for flag in flags if flag.cards_lead],
            )
        if urgent is not None and frame.ask in _ASKS_A_RED_FLAG_LEADS:
            # A story with a red flag ("now my foot is dragging") gets the banner first, then
            # its condition's article led by when to get urgent help, not by first-line care.
            frame = replace(frame, ask=Ask.RED_FLAGS)
        scope = self._scope(question, frame)
        base = replace(
            _empty_answer(question, self.audience, analysis, urgent), question_frame=frame
        )
        if scope.verdict is not ScopeVerdict.CLINICAL:
            reason = RefusalReason(scope.verdict.value)
            return replace(
                base, refusal=Refusal(reason, scope.message), provenance={"scope_rule": scope.rule}
            )
        if urgent is not None and _banner_only(flags, frame):
            # No card is about this emergency and the question names no condition: an article
            # from whichever card its words find (lipids for "heart attack") would mislead.
            labels = tuple(flag.label.lower() for flag in flags)
            return self._refused(base, (), {"banner_only": list(labels)}, missing=labels)

        matcher = self._topic_matcher(analysis, frame)
        query = self._retrieval_query(analysis, frame)
        hits = self.service.retriever.search(query, k=self.settings.evidence_k)
        evidence = gather_evidence(hits, store=self.service.store)
        coverage = max(
            (matcher.coverage(_evidence_stems(e)) for e in evidence[:_TOPIC_EVIDENCE]), default=0.0
        )
        related = self._related_questions(question, evidence, matcher)
        provenance = self._provenance(query, evidence, coverage)
        unknown = self._unknown_terms(analysis.question, frame)
        provenance["unknown_terms"] = list(unknown)
        # A condition, test or treatment name the knowledge base has never seen, in a question
        # that names none of its cards ("plantar fasciitis"), is refused whatever the words
        # around it share with some card.
        held = bool(self._own_cards) or self._own_labels
        unknown_topic = bool(unknown) and not held and self.previous is None
        if held and self.previous is None and _named_only_inside(frame, unknown, question):
            # "1.8 cm thyroid nodule: FNA?" names the thyroid card only as a word of a
            # condition it does not hold: the question is about the nodule.
            unknown_topic = True
        # …and a treatment or procedure it has never seen is refused by name even beside a
        # condition it covers ("genicular artery embolisation for knee OA"): an article on the
        # condition would answer another question.
        # (Not one the sources name in other words: "a hot water bottle" is heat.)
        treatments = bundled_treatment_terms()
        unknown_treatment = [
            term
            for term in unknown
            if term in treatments and not frame_rules().names_used_for(term)
        ]
        # "Glucosamine or cod liver oil?": one choice the knowledge base holds is answered, and
        # the article says the other is not covered, as for "heat or ice?".
        self._choices_unknown = tuple(
            term for term in unknown_treatment if _a_choice_beside(question, term, frame, evidence)
        )
        # …and one the story names but the asked sentences do not ("my mate says take fish oil
        # instead. Is there anything else that works as well as a statin?"): what is asked is
        # answered, and the article says the sources do not cover it.
        unknown_treatment = [
            t
            for t in unknown_treatment
            if t not in self._choices_unknown and not _only_in_the_story(question, (t,))
        ]
        unknown = tuple(t for t in unknown if t not in self._choices_unknown)
        # (Under an alarm, a card held for the condition answers however few of the story's
        # words its lines share, and a treatment it never names does not end the answer:
        # "sciatica … numb when i wipe … keep doing the stretches?" is answered by the card's
        # warning lines, or refused below when it has none. Not when what is unknown is more
        # than a treatment: "sudden worst headache — how do I treat Kawasaki disease?" asks
        # about a condition no card holds.)
        alarm_with_card = (
            urgent is not None
            and frame.ask is Ask.RED_FLAGS
            and bool(self._own_cards)
            and all(term in treatments for term in unknown)
        )
        if unknown_treatment and self.previous is None and not alarm_with_card:
            unknown, unknown_topic = tuple(unknown_treatment), True
        if self._names_nothing(question, frame):
            # "Still got the pain, the tablets aren't doing anything. What now?": no condition,
            # medicine or part of the body; the nearest card in meaning would be a guess.
            provenance["nothing_specific"] = True
            unknown_topic = True
        if unknown_topic or (
            coverage < self.settings.min_topic_coverage
            and not alarm_with_card
            and not self._own_labels
            and not self._passes_on_meaning(question, frame, unknown, evidence, matcher, provenance)
        ):
            kb_is_empty = not evidence and self.service.kb_stats().current_documents == 0
            missing = self._new_things(frame) + unknown or self._missing_terms(analysis, evidence)
            # A condition no source is about is named first ("… pharmacist thinks shingles. Is
            # it too late for the antiviral pills?": shingles is what is not covered).
            if not frame.condition_cards:
                missing = tuple(
                    dict.fromkeys((*uncovered_conditions(question, frame, evidence)[:1], *missing))
                )[:3]
            return self._refused(
                base, related, provenance, missing=missing, kb_is_empty=kb_is_empty
            )

        held = bool(self._own_cards) or self._own_labels
        # A card found only through the medicines asked about ("fibromyalgia … pregabalin or
        # amitriptyline?") does not hold a condition the question names that no source is about.
        held_by_name = held and (bool(frame.conditions) or self._own_labels)
        uncovered = () if held_by_name else uncovered_conditions(question, frame, evidence)
        if held:
            # "… ventolin … ive got a cold": a passing illness is the medicine's circumstance.
            passing = frame_rules().passing_illnesses
            uncovered = tuple(name for name in uncovered if name not in passing)
        if uncovered:
            # "Lumbar spinal stenosis": no source is about it, and the nearest card (disc
            # degeneration) is another condition; answering from it would answer another question.
            provenance["uncovered_conditions"] = list(uncovered)
            missing = self._new_things(frame) + uncovered
            return self._refused(base, related, provenance, missing=missing)
        if self._about_medicines_only(frame, evidence, matcher):
            # "Is Tylenol safe for my 2-year-old?" names no condition: a card that mentions the
            # drug for migraine answers another question. Only sources about the drug itself
            # (its label, a drug information page) answer it.
            evidence = [item for item in evidence if _is_about_drugs(item.document, frame)]
            frame = replace(frame, condition_cards=())
            self._own_cards = ()
            if not evidence and not self._own_labels:
                # The medicines asked about, not those the story lists ("on about 10 tablets
                # (warfarin, furosemide …). Can she have Nytol?" names Nytol).
                missing = tuple(drug.label for drug in _medicines_asked(frame, question))
                provenance["no_drug_sources"] = [drug.generic for drug in frame.drugs]
                return self._refused(base, related, provenance, missing=missing)
        cards = self._condition_cards(frame, evidence, matcher)
        self._together_cards = self._card_on_taking_them_together(frame, cards)
        cards = [*cards, *self._together_cards]
        frame = replace(frame, condition_cards=tuple(card.card_id for card in cards))
        frame = self._with_lead_condition_named(frame, cards)
        self._frame_now = frame
        self._asked_now = replace(frame, interventions=asked_interventions(frame, question))
        base = replace(base, question_frame=frame)
        evidence = self._on_topic(evidence, cards, matcher)
        evidence = [*evidence, *self._card_evidence(cards, {e.passage_id for e in evidence})]
        evidence = [*evidence, *self._label_evidence(frame, {e.passage_id for e in evidence})]
        if (
            base.urgent is not None
            and frame.ask is Ask.RED_FLAGS
            and cards
            and not _says_when_to_get_help(evidence, cards, flags)
        ):
            # "He's had his Ventolin 7 times since dinner and his lips look bluish": the asthma
            # card says nothing of an attack, and its first-line advice for a newly diagnosed
            # child under the emergency banner would answer another question.
            labels = tuple(flag.label.lower() for flag in flags)
            provenance["red_flag_not_covered"] = list(labels)
            return self._refused(base, related, provenance, missing=labels, covered=_covered(cards))
        unmentioned = missing_interventions(frame, evidence, self.service.synonym_table())
        things_missing, choices_missing = self._things_not_in(evidence, frame, question)
        unmentioned += things_missing
        # A drug the person is on ("a 70-year-old on warfarin") is context, not what is asked:
        # like a population, it becomes a caveat; a drug asked about is refused by name. So
        # does one choice of an either-or question when the other is covered ("heat or ice").
        context = tuple(
            term
            for term in unmentioned
            if is_context(term, question) or treated_with(term, frame.conditions, question)
        )
        context += tuple(term for term in choices_missing if term not in context)
        if self._own_labels:
            # "Can I take Stendra if I'm on Flomax?": the Stendra label answers, and that it
            # does not name tamsulosin is said plainly rather than refusing the question; so
            # for anything else taken with the drug ("a glass of wine with Belsomra").
            named_drugs = _drugs_as_written(frame, lower=True)
            taken_with = frame.ask is Ask.INTERACTIONS
            context += tuple(
                t for t in unmentioned if (t in named_drugs or taken_with) and t not in context
            )
        context += tuple(
            t
            for t in (*unmentioned, *self._choices_unknown)
            if t not in context
            and (
                _a_choice_beside(question, t, frame, evidence, unmentioned)
                or _taken_with_another(question, t, evidence)
            )
        )
        left = tuple(t for t in unmentioned if t not in context)
        if left and (
            _asks_something_else(question, left, on_a_condition=bool(frame.conditions))
            or _only_in_the_story(question, left)
            # (…and under an alarm the cards speak to, what to take is not what is asked
            # first: "30 weeks, flashing lights, face puffy: can I take my sumatriptan?" is led
            # by getting help now, and the article says its sources do not cover sumatriptan.)
            or (base.urgent is not None and frame.ask is Ask.RED_FLAGS)
        ):
            # "How long before sertraline works? And is wine OK on it?": the first question is
            # answered, and the article says plainly that its sources do not cover wine. So is
            # "…on apixaban + atorvastatin 40. Best flare treatment?": the story's drugs are
            # context.
            context += left
        missing = named_as_asked(tuple(t for t in unmentioned if t not in context), question)
        provenance["topic_cards"] = [card.card_id for card in cards]
        if missing:
            # What the cards cover is worth saying only when the question named a condition
            # they are about; "side effects of Robaxin" is not a question about COPD.
            only_drugs = all(term in _drugs_as_written(frame, lower=True) for term in missing)
            covered = "" if only_drugs and not frame.conditions else _covered(cards)
            return self._refused(base, related, provenance, missing=missing, covered=covered)
        draft = self._compose(query, analysis, frame, evidence, matcher, cards)
        draft, verification = self._verified(draft, evidence, provenance)
        provenance["generator"] = draft.generator
        provenance["concise"] = self.settings.concise
        dropped = verification.dropped
        kept, needed = verification.statements_kept, self.settings.min_statements
        enough = is_enough(statements_kept=kept, min_statements=needed)
        checks = (
            *verification.checks,
            Check("enough_statements", enough, f"{kept} verified; {needed} needed"),
        )
        if not enough:
            return self._refused(base, related, provenance, checks=checks, dropped=dropped)
        # Only a patient's dose question is told that the sources dose for prescribers.
        prescribers_doses = (
            self._patient
            and frame.ask is Ask.DOSE
            and any(
                states_a_dose(item.passage.text)
                and intervention_share(item.passage.text, frame) > 0
                for item in evidence
            )
        )
        gaps = unanswered_ask(
            frame,
            verification.draft,
            self._patient,
            question,
            prescribers_doses=prescribers_doses,
        )
        effect = effect_asked(question, frame)
        effect_gap = unmentioned_effect(effect, frame, verification.draft, self._patient)
        side_effect = frame.ask is Ask.SIDE_EFFECTS
        # (…but "it makes me so drowsy. Can I just stop taking it?" asks about stopping, which
        # the sources may answer; the article says first that they do not mention the effect.)
        asking = " ".join(asked_sentences(question))
        stopping = frame_rules().stopping_asked.search(asking)
        # (…nor does "it makes me dizzy. Does it even work for sciatica?", which asks whether
        # it works.)
        works = frame_rules().cue("works_asked").search(asking)
        # (…nor "it makes me dopey … is there a better pill?", which asks what to take instead.)
        instead = frame_rules().cue("alternative_asked").search(asking)
        if (
            side_effect
            and effect is not None
            and effect_gap
            and not _speaks_of_harms(verification.draft)
            and not stopping
            and not works
            and not instead
        ):
            # "Can statins cause muscle pain?" with no source on statins' harms at all: an
            # article about cholesterol targets would answer another question.
            provenance["effect_not_covered"] = effect
            missing = (effect,)
            return self._refused(base, related, provenance, missing=missing, covered="")
        # (…not under an alarm the article speaks to: "worse tonight, shivering and muddled:
        # double his antibiotic?" asks for help now, which the card's warning lines give.)
        if frame.ask is not Ask.RED_FLAGS and self._missed_dose_not_covered(
            question, verification.draft, frame
        ):
            # "Forgot my Eliquis this morning: take it now or 2 tonight?" with no source on a
            # missed dose: the nearest lines on the drug (what raises bleeding on it) answer
            # another question, and a wrong guess here doubles a blood thinner.
            named = [drug.label for drug in frame.drugs[:1]]
            missing = (f"a missed dose of {named[0]}" if named else "a missed dose",)
            provenance["missed_dose_not_covered"] = True
            return self._refused(base, related, provenance, missing=missing, covered="")
        if self._mixing_not_covered(frame, verification.draft):
            # "Is it safe to take Xarelto with Advil?", asked of sources none of which names
            # both: an article on whichever condition mentions blood thinners and painkillers
            # (a head injury) would answer another question.
            first, second = (drug.label for drug in frame.drugs[:2])
            provenance["mixing_not_covered"] = [first, second]
            missing = (f"{first} with {second}",)
            return self._refused(base, related, provenance, missing=missing, covered="")
        gaps += effect_gap
        # "Can high blood pressure cause headaches?": the effect already said to be uncovered
        # is not said again as a condition not covered.
        said = {effect.lower()} if effect and effect_gap else set()
        if held:
            # "Fly with a collapsed lung from pneumonia": answered from the pneumonia card, which
            # says nothing about the other condition named; the reader is told so first.
            side_conditions = _not_mentioned(
                uncovered_conditions(question, frame, evidence), evidence
            )
            provenance["conditions_not_covered"] = list(side_conditions)
            gaps += tuple(
                gap_message(f"“{name}”", partly=False, for_patient=self._patient)
                for name in side_conditions
                if name.lower() not in said
            )
        titles = [card.title for card in cards]
        # (…not under an alarm the article speaks to: "sertraline 3 weeks … writing letters to
        # my kids in case im not around" is led by getting help now, whoever the medicine's
        # sources are for.)
        alarm_led = frame.ask is Ask.RED_FLAGS and base.urgent is not None
        uncovered_for = (
            None
            if alarm_led
            else medicine_not_covered_for(
                frame, verification.draft, titles, self._patient, labels_held=self._own_labels
            )
        )
        if uncovered_for is not None:
            # "Can I take ibuprofen for back pain while pregnant?": no source here speaks of
            # pregnancy, and general advice on the medicine could harm; say so and stop.
            drug = _medicines_asked(frame, question)[0].label
            provenance["medicine_not_covered_for"] = uncovered_for
            missing = (f"{drug} in {uncovered_for}",)
            return self._refused(base, related, provenance, missing=missing, covered="")
        uncovered_for = (
            None if alarm_led else medicines_not_covered_for(frame, verification.draft, titles)
        )
        if uncovered_for is not None:
            # "4-year-old, non-severe CAP: first-line antibiotic?": the sources give adult
            # treatment only; an adult dose under a caveat is no answer for a child.
            provenance["medicine_not_covered_for"] = uncovered_for
            missing = (f"treatment {uncovered_for}",)
            return self._refused(
                base, related, provenance, missing=missing, covered=_covered(cards)
            )
        gaps += population_gaps(frame, verification.draft, titles, self._patient)
        gaps += tuple(
            gap_message(f"“{name}”", partly=False, for_patient=self._patient)
            for name in self._second_conditions_unanswered(question, cards, verification.draft)
            if name.lower() not in said
        )
        if context:
            # "On diltiazem MR 180, atorvastatin 40, ramipril 5 …": one caveat names them all.
            names = [_quoted_if_a_phrase(_as_asked(term, frame)) for term in context]
            listed = _listed(names)
            several = len(set(names)) > 1
            gaps += (gap_message(listed, partly=False, for_patient=self._patient, several=several),)
        said |= {term.lower() for term in context}
        gaps += tuple(
            gap_message(f"“{name}”", partly=False, for_patient=self._patient)
            for name in self._drugs_the_article_never_names(frame, question, verification.draft)
            if name.lower() not in said
        )
        return replace(
            self._article(
                base, verification, evidence, related, checks, dropped, provenance, analysis, cards
            ),
            gaps=gaps,
        )

    def _mixing_not_covered(self, frame: QuestionFrame, draft: Draft) -> bool:
        """Whether a question on taking two medicines together, naming no condition and no
        drug with a label here, has no statement that names both (by name or class)."""
        if frame.ask is not Ask.INTERACTIONS or len(frame.drugs) < 2 or frame.conditions:
            return False
        if self._own_labels:
            return False  # the label's interaction section answers, or says plainly it does not
        # The medicines, not everything else asked beside them ("… and is the odd glass of wine
        # ok with it?", which is said as a gap).
        medicines = replace(frame, interventions=tuple(d.as_written for d in frame.drugs[:2]))
        return not names_them_together((s.text for s in all_statements(draft)), medicines)

    def _verified(
        self, draft: Draft, evidence: Sequence[Evidence], provenance: dict[str, Any]
    ) -> tuple[Draft, Verification]:
        """The draft to serve and its verification: a model's draft, unless too few of its
        sentences pass, when its fallback (the extractive draft) is verified and served and the
        model's attempt is recorded for reviewers."""
        verification = self._verify(draft, evidence)
        if draft.fallback is not None:
            model = self.service.settings.language_model
            kept, checked = verification.statements_kept, verification.statements_checked
            too_few = kept < max(model.min_sentences, 1) or kept < model.min_kept_share * checked
            if too_few:
                provenance["model_draft"] = _attempt_record(draft, verification)
                note = FallbackNote(
                    draft.generator,
                    "too_few_verified_sentences",
                    f"{kept} of the model's {checked} sentences passed verification; "
                    f"{model.min_sentences} and {model.min_kept_share:.0%} are needed",
                )
                draft = replace(draft.fallback, fell_back=note)
                verification = self._verify(draft, evidence)
        if draft.fell_back is not None:
            note = draft.fell_back
            provenance["fallback"] = {
                "generator": note.generator,
                "reason": note.reason,
                "detail": note.detail,
            }
        return draft, verification

    def _verify(self, draft: Draft, evidence: Sequence[Evidence]) -> Verification:
        return verify_draft(
            draft,
            retrieved=(e.passage_id for e in evidence),
            lookup_passage=self.service.store.get_passage,
            min_recall=self.settings.min_support_recall,
            min_overlap=self.settings.min_paraphrase_overlap,
        )

    def _compose(
        self,
        query: str,
        analysis: QuestionAnalysis,
        frame: QuestionFrame,
        evidence: Sequence[Evidence],
        matcher: TopicMatcher,
        cards: Sequence[TopicCard],
    ) -> Draft:
        passages = [item.passage for item in evidence]
        concise = self.settings.concise
        request = ComposeRequest(
            analysis=analysis,
            audience=self.audience,
            evidence=evidence,
            topic=matcher,
            # Without a card, the question's own topic names the article ("colonoscopy").
            topic_title=(
                _condition_name(cards[0].title)
                if cards
                else ("" if frame.drugs else _topic_without_card(analysis, evidence))
            ),
            card_title=cards[0].title if cards else "",
            max_sections=self.settings.max_sections if concise else _FULL_LIMIT,
            max_bullets=self.settings.max_bullets if concise else _FULL_LIMIT,
            concise=concise,
            frame=frame,
            similarity=self.service.similarities(query, passages),
            vectors=self.service.passage_vectors(passages),
            sentence_similarity=functools.partial(self.service.text_similarities, query),
            term_groups=self.service.synonym_table().terms_in,
        )
        return self.service.generator.generate(request)

    def _scope(self, question: str, frame: QuestionFrame) -> ScopeDecision:
        # Conditions and drugs the frame found are clinical terms too ("help my AF?"); a
        # follow-up of an answered question is read in its context.
        named = {
            term.lower()
            for term in (*frame.conditions, *frame.interventions, *_drugs_as_written(frame))
        }
        scope = classify_scope(question, extra_terms=self.service.clinical_terms() | named)
        if scope.rule == "no_clinical_terms" and self.previous is not None:
            scope = replace(scope, verdict=ScopeVerdict.CLINICAL, rule="follow_up", message="")
        elif scope.rule == "no_clinical_terms" and find_red_flags(question):
            # "He has a plan to end his life": a red flag is a health matter however it is
            # worded; telling that person the question has no health topic would be wrong.
            scope = replace(scope, verdict=ScopeVerdict.CLINICAL, rule="red_flag", message="")
        elif scope.rule == "no_clinical_terms" and self._near_a_card(question):
            # "Left atrial appendage occlusion: when is it reasonable?" names no term of the
            # clinical lists, but it is as near a card's statements as a question that names
            # the card's condition: a health question (no non-medical question of
            # benchmarks/lay_questions.jsonl comes within the bar).
            scope = replace(scope, verdict=ScopeVerdict.CLINICAL, rule="near_a_card", message="")
        return scope

    def _near_a_card(self, question: str) -> bool:
        """Whether the question is as near some card's three nearest statements as the bar for
        answering from a card (`min_card_similarity`)."""
        passages = [
            p for card in self.service.card_titles() for p in self.service.card_passages(card)
        ]
        similarity = self.service.similarities(question, passages)
        nearest = sorted(similarity.values(), reverse=True)[:3]
        return bool(nearest) and sum(nearest) / len(nearest) >= self.settings.min_card_similarity

    def _refused(
        self,
        base: Answer,
        related: tuple[str, ...],
        provenance: dict[str, Any],
        *,
        missing: tuple[str, ...] = (),
        covered: str = "",
        kb_is_empty: bool = False,
        **fields: Any,
    ) -> Answer:
        """An `insufficient_evidence` refusal naming what is missing (and what is covered)."""
        frame = base.question_frame
        # "simvastatin 40" is simvastatin: the dose told is not what the sources lack.
        missing = tuple(_A_DOSE_AFTER.sub("", term) or term for term in missing)
        if frame is not None:  # a medicine by the name the reader used: "Robaxin (methocarbamol)"
            missing = tuple(_as_asked(term, frame) for term in missing)
        refusal = insufficient_evidence(
            for_patient=self._patient,
            kb_is_empty=kb_is_empty,
            missing=tuple(dict.fromkeys(missing)),
            covered=covered,
        )
        return replace(
            base, refusal=refusal, related_questions=related, provenance=provenance, **fields
        )

    @property
    def _patient(self) -> bool:
        return self.audience is Audience.PATIENT

    # -- stages ---------------------------------------------------------------------------------

    def _analyse(self, question: str) -> QuestionAnalysis:
        analysis = analyse_question(question)
        if self.previous is None or analysis.topic:
            return analysis
        # A follow-up such as "What about surgery?" is about the earlier answer's topic.
        earlier = analyse_question(self.previous.question)
        return replace(
            analysis, topic=earlier.topic, topic_terms=earlier.topic_terms or analysis.topic_terms
        )

    def _frame(self, question: str) -> QuestionFrame:
        vocabulary = self.service.condition_vocabulary()
        frame = _with_cards_of_drugs(
            self._with_label_names(frame_question(question, vocabulary), question), vocabulary
        )
        frame = self._with_the_card_naming_each_drug(frame)
        frame = self._with_the_card_of_the_drug_asked(frame, question)
        self._own_cards = frame.condition_cards
        # A drug whose label the knowledge base holds is a topic it covers, as a card is.
        self._own_labels = any(self.service.drug_labels(name) for name in frame.drug_names())
        # Things named where the question names what it asks about, that the knowledge base
        # has never seen ("ear candling", "Buteyko breathing"), are interventions too.
        drug_words = {word for drug in frame.drugs for word in word_tokens(drug.as_written)}
        # ("glucosamine or turmeric?": each choice is a thing of its own, not the pair.)
        new_things = tuple(
            phrase
            for either_or in slot_phrases(question)
            for phrase in _EITHER_OR.split(either_or)
            if phrase.strip()
            and phrase not in frame.interventions
            and not drug_words & set(word_tokens(phrase))  # "Zyrtec and Benadryl together"
            and not _misspells_one_of(phrase, frame.interventions)  # "antibotics"
            and self._has_unknown_word(phrase, frame)
        )
        frame = replace(frame, interventions=(*frame.interventions, *new_things))
        earlier = self.previous.question_frame if self.previous is not None else None
        return frame if earlier is None else inherit(frame, earlier)

    def _asked_sentences_ask_about_harm(self, question: str) -> bool:
        """Whether the sentences that ask, read alone, ask about harms ("is it bad to take
        nexium every day for years?"), whatever the story around them reports."""
        asked = " ".join(asked_sentences(question))
        vocabulary = self.service.condition_vocabulary()
        return bool(asked) and frame_question(asked, vocabulary).ask is Ask.SIDE_EFFECTS

    def _flag_cards_not_named_speak(self, frame: QuestionFrame, flags: Sequence[RedFlag]) -> bool:
        """Whether an alarm raised has a card of its own that the question does not name, while
        none of the cards it names has a warning line on that alarm."""
        vocabulary = self.service.condition_vocabulary()
        own = {card for flag in flags for card in flag.condition_cards if vocabulary.names_of(card)}
        if not own or own & set(frame.condition_cards):
            return False
        warns_of_it = _warning_on(flags)
        return not any(
            warns_of_it(passage)
            for card_id in frame.condition_cards
            for document in self.service.card_documents(card_id)
            for passage in self.service.store.list_passages(document.document_id)
        )

    def _with_red_flag_cards(self, frame: QuestionFrame, flags: Sequence[RedFlag]) -> QuestionFrame:
        """A question that raises a red flag and names no condition is about the flag's
        condition, when the knowledge base has its card (thoughts of suicide: depression)."""
        vocabulary = self.service.condition_vocabulary()
        cards = tuple(
            dict.fromkeys(
                card for flag in flags for card in flag.condition_cards if vocabulary.names_of(card)
            )
        )
        if not cards:
            return frame
        self._own_cards = cards
        # Named as the card names it, so that retrieval and the title are about it too.
        names = tuple(card.replace("-", " ") for card in cards)
        return replace(frame, conditions=(*frame.conditions, *names), condition_cards=cards)

    def _with_label_names(self, frame: QuestionFrame, question: str) -> QuestionFrame:
        """Drugs the library does not know but a label in the knowledge base names
        ("Natazia", "Horizant"): the knowledge base's own vocabulary; a name under five letters
        only beside a word that goes with medicines ("breo inhaler"; "Ella" is also a girl's
        name). And drug names one letter off ("amoxicilin") or cut short ("atorva"), among
        words nothing in the knowledge base knows."""
        known = {drug.as_written.lower() for drug in frame.drugs}
        added = []
        words = word_tokens(question)
        # A four-letter brand ("Breo", "Ella") counts beside a word only a medicine goes with.
        shortest = _SHORTEST_LABEL_NAME - (1 if drug_rules().medicine_words & set(words) else 0)
        for word in dict.fromkeys(words):
            if len(word) < shortest or word in known or word in STOP_WORDS:
                continue
            documents = self.service.drug_labels(word)
            if documents:
                generics = [str(g) for d in documents for g in d.extra.get("generic_names", ())]
                added.append(DrugName(word, generics[0].lower() if generics else word))
                continue
            # A misspelt or shortened drug ("welbutrin", "atorva", the brand "Rosuvas") — only
            # for a word no source and no term list knows.
            if self._knows(word) or self.service.is_clinical_term(word):
                continue
            mention = resolve_misspelling(word) or self._shortened_drug(word)
            if mention is not None and mention.generic not in {d.generic for d in frame.drugs}:
                added.append(DrugName(word, mention.generic, mention.also_called))
        if not added:
            return frame
        interventions = (*frame.interventions, *(d.as_written for d in added))
        frame = replace(frame, drugs=(*frame.drugs, *added), interventions=interventions)
        return replace(frame, ask=ask_again(question, frame))

    def _retrieval_query(self, analysis: QuestionAnalysis, frame: QuestionFrame) -> str:
        # A brand is searched by its generic name too: sources say "methocarbamol", people
        # say "Robaxin".
        generics = " ".join(_generic_names(frame, analysis.question))
        question = f"{analysis.question} {generics}".strip()
        if self.previous is None:
            return question
        # A follow-up ("And if she is over 75?") is searched with what it inherits.
        inherited = [*frame.conditions, *frame.interventions]
        topic = " ".join(inherited) or analysis.topic or " ".join(analysis.topic_terms)
        return f"{question} {topic}"

    def _topic_matcher(self, analysis: QuestionAnalysis, frame: QuestionFrame) -> TopicMatcher:
        # Every content word of the question counts, weighted by how specific it is (see
        # Service.term_weight): a topic phrase alone misses "AF patient with facial droop".
        # Who the question is about ("with angina", "in pregnancy") is not its topic: the
        # population is checked apart, and a missing one becomes a caveat, not a refusal.
        # Nor are the measurements its story reports ("SpO2 84% on air").
        text = _without_story(analysis.question)
        if self.previous is not None:
            text = " ".join([text, *frame.conditions, *frame.interventions])
        whole = content_terms(text)
        terms = tuple(t for t in whole if not is_intent_word(t)) or whole
        phrase = analysis.topic or " ".join(terms)
        texts = [" ".join(terms), *self.service.synonym_table().expansions(phrase)]
        # The question as sources would word it: "Robaxin" read as "methocarbamol".
        by_generic = _by_generic_name(" ".join(terms), frame)
        if by_generic != texts[0]:
            texts.append(by_generic)
        alternatives = tuple(frozenset(content_stems(text)) for text in texts)
        names = _names(text)
        weights: dict[str, float] = {}
        for text in texts:
            for word in word_tokens(text):
                if word not in STOP_WORDS:
                    key = stem(word)
                    weight = self.service.term_weight(word, is_name=word in names)
                    weights[key] = max(weights.get(key, 0.0), weight)
        return TopicMatcher(tuple(a for a in alternatives if a), weights)

    def _condition_cards(
        self, frame: QuestionFrame, evidence: Sequence[Evidence], matcher: TopicMatcher
    ) -> list[TopicCard]:
        """The cards of the conditions asked about: those the question names, else the one card
        whose statements are nearest the question (retrieval proposes, similarity decides)."""
        titles = self.service.card_titles()
        named = self._named_cards(frame, titles)
        if len(named) == 1 and named[0] in (
            self._named_as_a_harm(named, frame) | self._named_as_a_reading(named)
        ):
            # "Been on omeprazole 5 years, my mate says it thins your bones. Can I just stop
            # it?": the bones are what the medicine might do; its own card answers. So does
            # the statin's card for "stopped atorvastatin for myalgia, CK normal, TSH not
            # checked. Options?": a test named is not the condition asked about.
            owners = [card for card in self._cards_naming_the_drugs(frame) if card != named[0]]
            if len(owners) == 1:
                return [TopicCard(card, titles[card], 1.0) for card in (owners[0], named[0])]
        asked_drugs = self._drugs_named_where_it_asks(frame)
        if (
            len(named) == 1
            and all(self._named_as_a_medicine(phrase) for phrase in frame.conditions)
            and asked_drugs
            and self._names_asked(named[0], asked_drugs) == 0
        ):
            # "… erosive oesophagitis on PPI … Alendronate vs IV zoledronate vs denosumab?": the
            # one condition named only as what the person is on says none of the medicines the
            # asked sentence names; the one card that names them all is the question's subject,
            # the named one its setting.
            owners = [
                card for card in self._cards_naming_the_drugs(asked_drugs) if card != named[0]
            ]
            if len(owners) == 1:
                return [TopicCard(card, titles[card], 1.0) for card in (owners[0], named[0])]
        if len(named) == 1:
            return [TopicCard(named[0], titles[named[0]], 1.0)]
        if named:
            # Several conditions named ("AF in a patient with HFrEF"): the one named first leads
            # (questions name their subject first and its setting after), unless only another
            # card names the drug or procedure asked about; the others add only what concerns
            # the lead condition.
            asked = {card: self._names_asked(card, frame) for card in named}
            owner = self._card_of_the_asked_drugs(frame, titles, asked)
            if owner is not None:
                # "68M post-MI, T2DM, HTN, on atorvastatin, LDL still 88. Add Zetia or go
                # straight to Repatha?": the conditions named are the story; the one card that
                # names what is asked is the question's subject.
                named = [owner, *named]
                asked[owner] = 1.0
            whether = self._asked_whether_it_is(named)
            in_the_ask = self._named_where_it_asks(named)
            reasons = self._named_as_the_setting(named)
            # …but a reading of the one condition the medicine the person is on treats is that
            # condition's question ("TSH 0.08 on levo 150mcg, hx AF. Reduce dose?").
            readings = self._named_as_a_reading(named) - self._treated_by_the_drugs(named, frame)
            new = self._named_as_what_just_happened(named)
            order = {card: index for index, card in enumerate(named)}
            ranked = sorted(
                named,
                key=lambda card: (
                    -asked[card],
                    card not in whether,
                    bool(in_the_ask) and card not in in_the_ask,
                    # A condition only measured ("BP 146/88") leads after one the person has
                    # ("a woman with knee osteoarthritis … on naproxen: what monitoring?").
                    card in readings,
                    card in reasons,
                    card not in new,
                    order[card],
                ),
            )
            # A condition only measured ("BP 104/66") adds nothing to another's article.
            kept = ranked[:1] + [card for card in ranked[1:] if card not in readings]
            return [TopicCard(card, titles[card], 1.0) for card in kept]
        if frame.drugs:
            # "Is febuxostat safe with heart disease?": the one card that names the drug
            # (gout), not the one nearest in meaning (a heart condition).
            naming = self._cards_naming_the_drugs(frame)
            sited = self._cards_of_the_sites_asked(titles)
            if (
                naming
                and sited
                and not set(naming) & set(sited)
                and frame.ask is not Ask.INTERACTIONS
            ):
                # "Amitriptyline for my back?": the back pain card, though only the migraine
                # card names amitriptyline.
                scores = {card: self._card_similarity(card) for card in sited}
                best = max(sited, key=lambda card: (scores[card], -sited.index(card)))
                return [TopicCard(best, titles[best], scores[best])]
            if len(naming) == 1:
                return [TopicCard(naming[0], titles[naming[0]], 1.0)]
        nearest = self._nearest_proposed_card(evidence, matcher)
        if nearest is None:
            return []
        return [TopicCard(nearest[0], titles.get(nearest[0], ""), nearest[1])]

    def _cards_of_the_sites_asked(self, titles: dict[str, str]) -> list[str]:
        """The cards whose titles name a part of the body the question names ("my back")."""
        asked = _body_sites(self._current_question)
        if not asked:
            return []
        return [card for card, title in titles.items() if asked & _body_sites(title)]

    def _treated_by_the_drugs(self, cards: Sequence[str], frame: QuestionFrame) -> set[str]:
        """Of `cards`, the one card that names the medicines the question names when no other
        of them names any ("TSH 0.08 on levo, hx AF": hypothyroidism), else none."""
        owners = self._cards_naming_the_drugs(frame) if frame.drugs else []
        if len(owners) != 1 or owners[0] not in cards:
            return set()
        synonyms = self.service.synonym_table()
        names = frame.drug_names()
        for card in cards:
            stems = self._stems_of_card(card)
            if card != owners[0] and any(mentions(name, stems, synonyms) for name in names):
                return set()
        return {owners[0]}

    def _named_as_the_setting(self, cards: Sequence[str]) -> set[str]:
        """Of `cards`, those whose condition the question names only as what a medicine is for
        ("on prednisolone for his COPD … sudden pain in his back") or as what the person has
        ("I'm 72 with COPD … sore throat 4 days", "T2DM woman …"): the story's setting, not its
        subject."""
        question = self._current_question
        # "for his COPD" in the story ("on prednisolone for his COPD. He got sudden pain …"),
        # not in the sentence that asks ("Can I take naproxen for my gout if I have high blood
        # pressure?" asks about gout).
        story = the_story(question)

        def as_setting(phrase: str) -> bool:
            named = re.escape(phrase)
            return bool(
                re.search(_FOR_THEIR + named, story, re.IGNORECASE)
                or re.search(_A_PERSON_WITH + named, question, re.IGNORECASE)
                or re.search(rf"\b{named}{_WHO_IS_A_PERSON}", question, re.IGNORECASE)
                or re.search(_A_HISTORY_OF + named, question, re.IGNORECASE)
            )

        return self._named_only_as(cards, as_setting)

    def _named_as_a_harm(self, cards: Sequence[str], frame: QuestionFrame) -> set[str]:
        """Of `cards`, those the question names only as what a medicine does or may do ("it
        thins your bones", "can statins cause diabetes?")."""
        question = self._current_question
        names = "|".join(re.escape(name) for name in (*frame.interventions, *frame.drug_names()))
        doer = rf"\b(?:it|they|this|that|these|those{'|' + names if names else ''})\s+"
        could = r"(?:can\s+|could\s+|might\s+|may\s+|will\s+|does\s+|do\s+)?"
        causes = r"(?:(?:cause|give|bring\s+on|trigger|lead\s+to|raise\s+the\s+risk\s+of)s?\s+)?"
        return self._named_only_as(
            cards,
            lambda phrase: bool(
                re.search(doer + could + causes + re.escape(phrase), question, re.IGNORECASE)
            ),
        )

    def _named_as_a_reading(self, cards: Sequence[str]) -> set[str]:
        """Of `cards`, those the question names only by a reading it reports ("HFrEF … BP
        104/66 — ok to go up?"): a measurement of the story, not the condition asked about."""
        question = self._current_question
        return self._named_only_as(cards, lambda phrase: named_as_a_reading(phrase, question))

    def _named_only_as(self, cards: Sequence[str], how: Callable[[str], bool]) -> set[str]:
        """Of `cards`, those every phrase of the question naming them is named `how`."""
        named_so: set[str] = set()
        otherwise: set[str] = set()
        for phrase, ids in self.service.condition_vocabulary().find(self._current_question):
            (named_so if how(phrase) else otherwise).update(ids)
        return {card for card in cards if card in named_so and card not in otherwise}

    def _named_as_what_just_happened(self, cards: Sequence[str]) -> set[str]:
        """Of `cards`, those whose condition a story names as what has just happened ("Dad has
        osteoporosis … He got sudden bad pain in his back"), when its other conditions are
        only its setting: a sentence telling an onset names the subject of the question."""
        question = self._current_question
        onset = frame_rules().cue("onset_told")
        told = [sentence for sentence in sentences(question) if onset.search(sentence)]
        if not told or len(told) == len(sentences(question)):
            return set()
        vocabulary = self.service.condition_vocabulary()
        return {
            card
            for sentence in told
            for _, ids in vocabulary.find(sentence)
            for card in ids
            if card in cards
        }

    def _named_where_it_asks(self, cards: Sequence[str]) -> set[str]:
        """Of `cards`, those named in the question's asked sentences, when the story names
        others: "58M, T2DM, on ramipril, BP 146/88. Is he at target, and what's the next
        antihypertensive step?" asks about blood pressure; the diabetes is the setting."""
        question = self._current_question
        if not the_story(question):
            return set()
        asked = " ".join(asked_sentences(question))
        return {
            card
            for phrase, ids in self.service.condition_vocabulary().find(asked)
            if not named_as_a_reading(phrase, question)  # "BP 104/66 today, ok to go up?"
            for card in ids
            if card in cards
        }

    def _asked_whether_it_is(self, cards: Sequence[str]) -> set[str]:
        """Of `cards`, those whose condition the question asks whether the person has, or names
        as what came first ("… after a concussion")."""
        question = self._current_question
        return {
            card
            for phrase, ids in self.service.condition_vocabulary().find(question)
            if any(
                re.search(lead + re.escape(phrase), question, re.IGNORECASE)
                for lead in (_WHETHER_IT_IS, _AFTER_IT)
            )
            for card in ids
            if card in cards
        }

    def _named_cards(self, frame: QuestionFrame, titles: dict[str, str]) -> list[str]:
        """Cards named by the question; a name several cards share ("back pain": acute and
        chronic) resolves to the one whose statements are nearest the question."""
        if self.previous is not None and not self._own_cards:
            return [card for card in frame.condition_cards if card in titles]
        chosen: dict[str, None] = {}
        question = self._current_question
        chronicity = frame_rules().chronicity(question)
        vocabulary = self.service.condition_vocabulary()
        siblings: dict[str, str] = {}
        for _, ids in vocabulary.find(question):
            known = [card for card in ids if card in titles]
            if len(known) == 1 and chronicity:
                # "Bad back for 3 years": a name only the acute card has still means the
                # chronic card, its sibling under a shared name ("back pain").
                sibling = _sibling_for(known[0], chronicity, titles, vocabulary)
                if sibling != known[0]:
                    siblings[known[0]] = sibling
                    known = [sibling]
            if len(known) > 1 and chronicity:
                # "Back pain for two years": the chronic card, not the acute one.
                fitting = [c for c in known if chronicity in titles[c].lower()]
                known = fitting or known
            if len(known) > 1:
                known = [self._nearest_of_the_cards_sharing_a_name(known, titles, chronicity)]
            chosen.update(dict.fromkeys(known))
        in_frame = {
            *frame.condition_cards,
            *(siblings[c] for c in frame.condition_cards if c in siblings),
        }
        named = [card for card in chosen if card in in_frame]
        # (…and the card of the medicine asked about, before a condition the story only tells:
        # see `_with_the_card_of_the_drug_asked`.)
        if named and self._drug_card_leads in titles:
            named = [self._drug_card_leads, *named]
        # Cards the question implies without naming them (a red flag's condition).
        return named or [card for card in self._own_cards if card in titles]

    def _nearest_proposed_card(
        self, evidence: Sequence[Evidence], matcher: TopicMatcher
    ) -> tuple[str, float] | None:
        """Among the cards of the top passages that share a word with the question, the one
        whose statements are nearest the question, with that similarity."""
        proposed: dict[str, None] = {}
        for item in evidence[:_TOPIC_EVIDENCE]:
            card_id = item.document.card_id
            if card_id and matcher.coverage(_evidence_stems(item)) > 0:
                proposed.setdefault(card_id, None)
        # "Is it arthritis in my spine?" is not about knee osteoarthritis, however near its
        # lines on morning stiffness are: a card whose title names only other parts of the
        # body than the question's is not proposed.
        asked_sites = _body_sites(self._current_question)
        candidates = [
            card
            for card in list(proposed)[:_CANDIDATE_CARDS]
            if not _about_another_site(asked_sites, self.service.card_titles().get(card, ""))
        ]
        if not candidates:
            return None
        scores = {card: self._card_similarity(card) for card in candidates}
        best = max(candidates, key=lambda card: (scores[card], -candidates.index(card)))
        return best, scores[best]

    def _with_lead_condition_named(
        self, frame: QuestionFrame, cards: Sequence[TopicCard]
    ) -> QuestionFrame:
        """The frame naming the lead card's condition first: by the question's own words for it
        when it has some, else by the card's name, when the question named other conditions
        only (its story's "T2DM, HTN" beside "Add Zetia?"). The article's title and the
        reviewer's frame then say what it is about."""
        if not cards or not frame.conditions:
            return frame
        vocabulary = self.service.condition_vocabulary()
        lead = cards[0]
        naming = [p for p in frame.conditions if vocabulary.mentions(lead.card_id, p)]
        if not naming:
            return replace(frame, conditions=(_condition_name(lead.title), *frame.conditions))
        # "T2DM + CKD … Ramipril or amlodipine for his BP?": the lead card's name first.
        others = [p for p in frame.conditions if p not in naming]
        return replace(frame, conditions=(*dict.fromkeys(naming), *others))

    def _card_of_the_asked_drugs(
        self, frame: QuestionFrame, titles: dict[str, str], asked: dict[str, float]
    ) -> str | None:
        """The one card not named that names every asked drug, when no named card names any."""
        if not frame.drugs or any(asked.values()):
            return None
        owners = [
            card for card in titles if card not in asked and self._names_asked(card, frame) >= 1.0
        ]
        return owners[0] if len(owners) == 1 else None

    def _named_as_a_medicine(self, phrase: str) -> bool:
        """Whether a condition's name in the question is a medicine the person is on, or the
        name of a medicine or its class ("on PPI", "statins"), not the condition itself."""
        return (
            is_context(phrase, self._current_question)
            or bool(find_interventions(phrase))
            or frame_rules().is_a_medicine_class(phrase)
        )

    def _drugs_named_where_it_asks(self, frame: QuestionFrame) -> QuestionFrame | None:
        """The frame with only the medicines its asked sentences name, or None when they name
        none (those the story names are what the person is on)."""
        asked = " ".join(asked_sentences(self._current_question))
        drugs = tuple(drug for drug in frame.drugs if _names_term(asked, drug.as_written))
        if not drugs:
            return None
        names = {drug.as_written.lower() for drug in drugs}
        interventions = tuple(t for t in frame.interventions if t.lower() in names)
        return replace(frame, drugs=drugs, interventions=interventions)

    def _names_asked(self, card_id: str, frame: QuestionFrame) -> float:
        """Share of the asked drugs and procedures that some statement of the card names; a
        drug the person is merely on ("on prednisolone for his COPD") is not asked."""
        terms = asked_interventions(frame, self._current_question)
        if not terms:
            return 0.0
        stems = self._stems_of_card(card_id)
        synonyms = self.service.synonym_table()
        named = [
            term for term in terms if mentions(term, stems, synonyms, also=frame.other_names(term))
        ]
        return len(named) / len(terms)

    def _nearest_of_the_cards_sharing_a_name(
        self, known: list[str], titles: dict[str, str], chronicity: str | None
    ) -> str:
        """The card whose statements are nearest the question, of several a name finds ("back
        pain"); with no duration told, a near tie goes to the acute card: a sore back told with
        no time is most often a new one ("28 weeks pregnant and my lower back is sore")."""
        similarity = {card: self._card_similarity(card) for card in known}
        nearest = max(known, key=lambda c: (similarity[c], -known.index(c)))
        acute = [c for c in known if "acute" in titles[c].lower()]
        if chronicity is None and acute and nearest not in acute:
            close = [c for c in acute if similarity[c] >= _CLOSE_CARD * similarity[nearest]]
            return close[0] if close else nearest
        return nearest

    def _card_similarity(self, card_id: str) -> float:
        """Mean similarity of the question and the card's three nearest statements."""
        passages = self.service.card_passages(card_id)
        similarity = self.service.similarities(self._current_question, passages)
        if not similarity:
            return 0.0
        nearest = sorted(similarity.values(), reverse=True)[:3]
        return sum(nearest) / len(nearest)

    def _on_topic(
        self, evidence: Sequence[Evidence], cards: Sequence[TopicCard], matcher: TopicMatcher
    ) -> list[Evidence]:
        """Evidence about the asked condition: another card's statements never join an article
        unless the question names that condition.

        A condition with a card is answered from its card — the reviewed summary of its
        guidelines — and, for a drug the question names, from that drug's label. Other sources
        answer questions no card covers: on the whole knowledge base, a back-pain question
        drew a workers'-compensation guideline's objectives and a COPD surgery panel's
        recommendations into the card's article (measured: bottom lines 65% → 54%,
        benchmarks/answer_quality.py --ingest)."""
        wanted = {card.card_id for card in cards}
        kept = []
        for item in evidence:
            document = item.document
            if document.kind is DocumentKind.DRUG_LABEL:
                # A label answers only for its own drug ("Gattex" in a colonoscopy answer).
                if _is_about_drugs(document, self._frame_now):
                    kept.append(item)
                continue
            card_id = document.card_id
            if card_id is not None:
                if (card_id in wanted or not wanted) and self._concerns_lead(item, cards):
                    kept.append(item)
            elif not wanted and matcher.coverage(_evidence_stems(item)) >= _ON_TOPIC_COVERAGE:
                kept.append(item)
        return kept if wanted else _pages_on_the_topic(kept, self._current_question)

    def _names_nothing(self, question: str, frame: QuestionFrame) -> bool:
        """Whether a first question names no condition, medicine, treatment or part of the
        body, only words that could be about anything ("pain", "tablets", "what now")."""
        named = frame.conditions or frame.drugs or frame.interventions or self._own_cards
        return (
            self.previous is None
            and not named
            and not _body_sites(question)
            and _says_nothing_specific(question)
        )

    def _passes_on_meaning(
        self,
        question: str,
        frame: QuestionFrame,
        unknown: tuple[str, ...],
        evidence: Sequence[Evidence],
        matcher: TopicMatcher,
        provenance: dict[str, Any],
    ) -> bool:
        """The lexical gate failed; the question may still be about a condition the knowledge
        base covers: it names the condition ("LBP", "disc space loss"), or a card's statements
        are near it in meaning ("my back went a week ago"). Never when it names something the
        knowledge base has never seen ("Kawasaki disease" beside "headache")."""
        if unknown and not (self._own_cards and _only_in_the_story(question, unknown)):
            # "Kawasaki disease" beside "headache" is what is asked about; "hx penicillin
            # anaphylaxis" beside a pneumonia card the question names is its story.
            return False
        if self._own_cards or (self.previous is not None and frame.condition_cards):
            return True
        if frame.drugs and len(self._cards_naming_the_drugs(frame)) == 1:
            # "Started on amlodipine, how long until it works?": a drug one card is about (by
            # its name or its class) is that card's question, however its words are put.
            return True
        nearest = self._nearest_proposed_card(evidence, matcher)
        similarity = 0.0 if nearest is None else nearest[1]
        provenance["card_similarity"] = round(similarity, 3)
        return similarity >= self.settings.min_card_similarity

    def _about_medicines_only(
        self, frame: QuestionFrame, evidence: Sequence[Evidence], matcher: TopicMatcher
    ) -> bool:
        """A question about named medicines that names no condition, and whose meaning is not
        near any condition's card either ("side effects of Lexapro", "is Tylenol safe for my
        2-year-old?"; but "would tramadol sort out my worn discs?" is about disc disease): the
        same bar as for answering a question that names no condition (`min_card_similarity`)."""
        if not frame.drugs:
            return False
        if frame.conditions or frame.condition_cards:
            # "Victoza thyroid cancer warning": the thyroid card never names liraglutide, its
            # label does; a named card that says nothing of the drug does not answer.
            return self._own_labels and not any(
                self._names_asked(card, frame) for card in frame.condition_cards
            )
        nearest = self._nearest_proposed_card(evidence, matcher)
        if nearest is not None and nearest[1] >= self.settings.min_card_similarity:
            return False
        # "Is febuxostat safe with heart disease?": a drug only one card names is that card's
        # condition's drug, and the card answers; paracetamol, named on many cards, is not.
        return len(self._cards_naming_the_drugs(frame)) != 1

    def _cards_naming_the_drugs(self, frame: QuestionFrame) -> list[str]:
        """The cards whose statements name every asked drug by its own name (a drug's class
        alone is not enough: "fictolol" is a beta-blocker, and beta-blockers are on many
        cards); failing that, for one drug the card its class is the subject of, and for two
        the nearest card naming each or its class ("ibuprofen with my lisinopril"). A drug
        named by one card whose class another card is about goes to that card ("coming off
        venlafaxine": depression, not migraine). Asked up to three times per question
        (evidence gate, medicines-only check, card choice), so worked out once per set of
        drugs."""
        key = tuple(drug.generic for drug in frame.drugs)
        if key not in self._drug_cards:
            self._drug_cards[key] = self._cards_naming(frame)
        return self._drug_cards[key]

    def _with_the_card_naming_each_drug(self, frame: QuestionFrame) -> QuestionFrame:
        """Two medicines and no condition named ("is it safe to take Eliquis with Zoloft?"):
        the card that names both, or their classes, is the question's card, not the card one
        of them is used for (sertraline is an antidepressant, but the line on what raises
        bleeding on a blood thinner is on the atrial fibrillation card)."""
        if frame.conditions or len(frame.drugs) < 2:
            return frame
        naming = self._cards_naming_the_drugs(frame)
        return replace(frame, condition_cards=tuple(naming)) if naming else frame

    def _with_the_card_of_the_drug_asked(
        self, frame: QuestionFrame, question: str
    ) -> QuestionFrame:
        """A medicine asked about beside a condition the story only tells ("just put on
        alendronic acid after breaking her wrist. How is she meant to take it? She gets a lot
        of heartburn already"): when no card named says anything of the medicine and one card
        does, that card leads; the condition told stays beside it."""
        if not frame.drugs or not frame.condition_cards:
            return frame
        if not asked_interventions(frame, question):
            return frame  # "she takes advil and is also on eliquis": what she is on is the story
        vocabulary = self.service.condition_vocabulary()
        asked = " ".join(asked_sentences(question))
        if any(card in frame.condition_cards for _, ids in vocabulary.find(asked) for card in ids):
            return frame  # "Can I use alendronate for my knee arthritis?" asks about the knee
        if any(self._names_asked(card, frame) for card in frame.condition_cards):
            return frame
        naming = [c for c in self._cards_naming_the_drugs(frame) if c not in frame.condition_cards]
        if len(naming) != 1:
            return frame
        card = naming[0]
        self._drug_card_leads = card
        return replace(
            frame,
            conditions=(card.replace("-", " "), *frame.conditions),
            condition_cards=(card, *frame.condition_cards),
        )

    @staticmethod
    def _missed_dose_not_covered(question: str, draft: Draft, frame: QuestionFrame) -> bool:
        """A missed dose asked about that no statement covers for the drug named (what to do
        for a missed apixaban dose is no answer for rivaroxaban)."""
        rules = frame_rules()
        return rules.asks_about_a_missed_dose(question) and not any(
            rules.missed_dose_words.search(statement.text)
            and (not frame.drugs or names_a_drug(statement.text, frame.drugs))
            for statement in all_statements(draft)
        )

    def _card_on_taking_them_together(
        self, frame: QuestionFrame, cards: Sequence[TopicCard]
    ) -> list[TopicCard]:
        """Two medicines asked about together in a condition's setting ("ibuprofen with my
        ramipril for a sore back?"): when no card of the condition has a line naming both,
        the card that has one joins, for those lines alone (see `_concerns_lead`): one of the
        medicines' own cards first (ramipril's, hypertension), not a card where the two meet
        in another condition's care ("oral NSAIDs for knee osteoarthritis… with an ACE
        inhibitor")."""
        if frame.ask is not Ask.INTERACTIONS or len(frame.drugs) < 2 or not cards:
            return []
        if any(self._names_them_together(card.card_id, frame) for card in cards):
            return []
        titles = self.service.card_titles()
        asked = {card.card_id for card in cards}
        together = [c for c in titles if c not in asked and self._names_them_together(c, frame)]
        if not together:
            return []
        # The card of the medicine the reader is on (ramipril: "my ramipril") is the setting
        # in which the other is asked about.
        question = self._current_question
        on = [drug for drug in frame.drugs if is_context(drug.as_written, question)]
        own = {
            card_id
            for drug in on or frame.drugs
            for card_id in self._cards_naming_the_drugs(replace(frame, drugs=(drug,)))
        }
        best = max(
            together,
            key=lambda c: (c in own, self._on_both_alone(c, frame), self._card_similarity(c)),
        )
        return [TopicCard(best, titles[best], 1.0)]

    def _on_both_alone(self, card_id: str, frame: QuestionFrame) -> bool:
        """Whether a card has a line naming every medicine asked about and not its own
        condition: on taking them together whoever takes them, not in that condition's care."""
        vocabulary = self.service.condition_vocabulary()
        return any(
            names_them_together((passage.text,), frame)
            and not vocabulary.mentions(card_id, passage.text)
            # …in the reader's words: a clinician is not given the plain-language lines.
            and (self._patient or passage.section_path[-1:] != (PATIENT_HEADING,))
            for passage in self.service.card_passages(card_id)
        )

    def _names_them_together(self, card_id: str, frame: QuestionFrame) -> bool:
        return names_them_together(
            (passage.text for passage in self.service.card_passages(card_id)), frame
        )

    def _cards_naming(self, frame: QuestionFrame) -> list[str]:
        wanted = [set(content_stems(drug.generic)) for drug in frame.drugs]
        if not wanted:
            return []
        # (…by any of its generic names: "alendronic acid" is the card's "alendronate".)
        each_named = [
            [set(content_stems(name)) for name in (drug.generic, *drug.also_called)]
            for drug in frame.drugs
        ]
        naming = [
            card_id
            for card_id in self.service.card_titles()
            if all(
                any(names and names <= self._stems_of_card(card_id) for names in alternatives)
                for alternatives in each_named
            )
        ]
        if not naming and len(frame.drugs) > 1:
            # "Can I take ibuprofen with my lisinopril?": the cards that name each drug or its
            # class (an NSAID and an ACE inhibitor).
            return self._cards_naming_each_or_its_class(frame) or self._card_naming_most(frame)
        if len(frame.drugs) != 1:
            return naming
        # "Can I take sumatriptan every day?": a card that names no triptan by name but is the
        # only one to name the class ("a triptan") is the drug's card.
        classes = [
            set(content_stems(name)) for name in frame_rules().drug_classes(frame.drugs[0].generic)
        ]
        if len(naming) > 1:
            # "How many puffs of Ventolin is too many?": the asthma and COPD cards both name
            # salbutamol; the one whose statements name it and its class far more often is its
            # card, else the question names a condition or is answered from neither.
            by_name = [*wanted, *classes]
            subject = self._where_the_class_is_a_subject(naming, by_name)
            return subject if len(subject) == 1 else naming
        by_class = [
            card_id
            for card_id in self.service.card_titles()
            if any(names and names <= self._stems_of_card(card_id) for names in classes)
        ]
        if not naming:
            return self._where_the_class_is_a_subject(by_class, classes)
        # "Coming off venlafaxine": the migraine card names it once, as a preventive; the
        # depression card is about antidepressants throughout. The class's own card answers.
        subject = self._where_the_class_is_a_subject(list({*naming, *by_class}), classes)
        return subject if len(subject) == 1 else naming

    def _card_naming_most(self, frame: QuestionFrame) -> list[str]:
        """Three or more medicines and no card naming every one ("takes amlodipine, doxazosin
        and ramipril … dizzy when she stands"): the one card that names most of them, at least
        two, by name or class (blood pressure's, which never names doxazosin)."""
        if len(frame.drugs) < _MANY_MEDICINES:
            return []
        rules = frame_rules()
        names = [
            [set(content_stems(n)) for n in (drug.generic, *rules.drug_classes(drug.generic))]
            for drug in frame.drugs
        ]
        counts = {
            card_id: sum(
                any(stems and stems <= self._stems_of_card(card_id) for stems in options)
                for options in names
            )
            for card_id in self.service.card_titles()
        }
        ranked = sorted(counts.values(), reverse=True)
        top = ranked[0] if ranked else 0
        if top < 2 or (len(ranked) > 1 and ranked[1] == top):
            return []
        return [card_id for card_id, count in counts.items() if count == top]

    def _cards_naming_each_or_its_class(self, frame: QuestionFrame) -> list[str]:
        rules = frame_rules()
        options = [
            [
                set(content_stems(name))
                for name in (
                    drug.generic,
                    *rules.drug_classes(drug.generic),
                    *rules.names_used_for(drug.generic),  # naproxen: an NSAID
                )
            ]
            for drug in frame.drugs
        ]
        naming = [
            card_id
            for card_id in self.service.card_titles()
            if all(
                any(names and names <= self._stems_of_card(card_id) for names in names_of_drug)
                for names_of_drug in options
            )
        ]
        # Several cards may name both classes (NSAIDs with ACE inhibitors: hypertension, knee
        # osteoarthritis): one with a line naming both together ("naproxen with my
        # lisinopril?": NSAIDs with ACE inhibitors harm the kidneys), else the one nearest the
        # question, answers.
        together = [card_id for card_id in naming if self._names_them_together(card_id, frame)]
        return [max(together or naming, key=self._card_similarity)] if naming else []

    def _where_the_class_is_a_subject(
        self, naming: list[str], classes: Sequence[set[str]]
    ) -> list[str]:
        """Of several cards naming a drug's class, the one whose statements name it far more
        often than any other's: "amlodipine" is a calcium-channel blocker, a first-line class
        on the hypertension card, mentioned once on the atrial fibrillation card for rate
        control and once on the cellulitis card as a cause of leg swelling."""
        if len(naming) < 2:
            return naming
        counts = {
            card_id: sum(
                any(names <= set(content_stems(passage.text)) for names in classes if names)
                for passage in self.service.card_passages(card_id)
            )
            for card_id in naming
        }
        first, second = sorted(counts.values(), reverse=True)[:2]
        if first < _CLASS_SUBJECT_RATIO * second:
            return naming
        return [max(naming, key=lambda card_id: counts[card_id])]

    def _drugs_the_article_never_names(
        self, frame: QuestionFrame, question: str, draft: Draft
    ) -> tuple[str, ...]:
        """Medicines the question asks about (not ones the person is merely on) that no
        statement of the article names by any of their names or their class: "can I take
        ibuprofen with my blood pressure tablets?" answered from lines that never speak of
        ibuprofen must say so first."""
        # Each statement on its own: "pain" in one and "medicines" in another do not name
        # "pain medicines".
        statements = [set(content_stems(s.text)) for s in all_statements(draft)]
        synonyms = self.service.synonym_table()
        ruled_out = {name.lower() for name in ruled_out_medicines(question)}
        return tuple(
            drug.as_written
            for drug in frame.drugs
            if not is_context(drug.as_written.lower(), question)
            # "…so can't take ibuprofen": a medicine ruled out is not asked about.
            and drug.as_written.lower() not in ruled_out
            and drug.generic not in ruled_out
            and not any(
                mentions(name, stems, synonyms, also=frame.other_names(name))
                for name in (drug.as_written.lower(), drug.generic)
                for stems in statements
            )
        )

    def _stems_of_card(self, card_id: str) -> set[str]:
        """The stems of every statement of a card, read once per question (card choice asks
        about the same cards several times)."""
        if card_id not in self._card_stems:
            stems: set[str] = set()
            for passage in self.service.card_passages(card_id):
                stems |= set(content_stems(passage.text))
            self._card_stems[card_id] = stems
        return self._card_stems[card_id]

    def _shortened_drug(self, word: str) -> DrugMention | None:
        """The drug a cut-short name starts ("atorva"), when the knowledge base speaks of it:
        "plasma" starts a blood product nobody asks about."""
        mention = resolve_shortened(word)
        return mention if mention is not None and self._knows(mention.generic) else None

    def _knows(self, word: str) -> bool:
        """Whether any passage of the knowledge base has the word (or a close form of it:
        "wheezy" → "wheeze", "physio" is a person, not a topic)."""
        if word in self.service.clinical_terms():  # the knowledge base's own synonyms, aliases
            return True
        base = word.rstrip("y") if len(word) > 4 else word
        forms = {word, stem(word), base, base + "e", word[:-1] if len(word) > 4 else word}
        return any(self.service.document_frequency(form) > 0 for form in forms if form)

    def _new_things(self, frame: QuestionFrame) -> tuple[str, ...]:
        """The asked drugs and remedies with a word the knowledge base has never seen; not those
        the story says the person is on ("on about 10 tablets (warfarin, donepezil …)")."""
        asked = asked_interventions(frame, self._current_question) or frame.interventions
        return tuple(t for t in asked if self._has_unknown_word(t, frame))

    def _things_not_in(
        self, evidence: Sequence[Evidence], frame: QuestionFrame, question: str
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Things the question names where it says what it asks about ("would a magnetic back
        belt help") that the evidence the article may use never mentions. The knowledge base
        may know the words from another source (a workers'-compensation guideline mentions
        magnets), but a card's article answers only from the card.

        Returned apart: the choices of an either-or question the evidence does not mention
        when it mentions another ("heat or ice?" with a line on heat but none on ice), which
        the article answers and names as not covered."""
        stems = _passage_stems(evidence)
        missing: list[str] = []
        choices_missing: list[str] = []
        for phrase in slot_phrases(question):
            choices = [c for c in _EITHER_OR.split(phrase) if c.strip()]
            absent = [c for c in choices if self._absent(c, stems, frame)]
            if len(choices) > 1 and len(absent) < len(choices):
                choices_missing += absent
            elif absent:
                missing.append(phrase)
        return tuple(missing), tuple(choices_missing)

    def _absent(self, phrase: str, stems: set[str], frame: QuestionFrame) -> bool:
        """Whether a thing a question names is missing from the evidence's `stems`."""
        words = _thing_words(phrase, frame)
        drug_words = {word for drug in frame.drugs for word in word_tokens(drug.as_written)}
        # A drug the sources call by a class ("aspirin": an antiplatelet) is not among
        # `words`, so the phrase's own words are checked for it.
        if phrase in frame.interventions or drug_words & set(word_tokens(phrase)) or not words:
            return False
        if _QUESTION_WORDS & set(word_tokens(phrase)):
            return False  # "what else helps" names nothing
        # A named intervention inside the phrase is checked as one ("steroid injections" as
        # spinal injections); the phrase's other words must be in the evidence.
        named = {w for term in find_interventions(phrase) for w in word_tokens(term)}
        if all(_stem_found(word, stems) for word in words if word not in named):
            return False
        # …unless the evidence uses what sources call it ("a glass of wine": alcohol).
        other_names = frame_rules().names_used_for(phrase)
        return not any(
            all(_stem_found(w, stems) for w in word_tokens(name)) for name in other_names
        )

    def _has_unknown_word(self, phrase: str, frame: QuestionFrame) -> bool:
        return any(not self._knows(word) for word in _thing_words(phrase, frame))

    def _unknown_terms(self, question: str, frame: QuestionFrame) -> tuple[str, ...]:
        """Specific words of the question (clinical terms, names) the knowledge base has never
        seen: the question is about something it does not hold. An aside in brackets ("pen
        allergic (urticaria)", "a rash (as a baby)") says more about the person, not what is
        asked."""
        text = _ASIDE.sub(" ", _without_story(question))
        named = {
            w.lower()
            for phrase in (*frame.conditions, *frame.interventions, *_drugs_as_written(frame))
            for w in word_tokens(phrase)
        }
        unknown = [
            term
            for term, is_name in _topic_words(text)
            if term not in named
            and (is_name or term in bundled_specific_terms())
            and not self._knows(term)
            # A second name of a medicine already named ("ibuprofen or Nurofen"): the frame
            # holds one per medicine.
            and not find_drugs(term)
        ]
        lowered = text.lower()
        for match in specific_phrases().finditer(lowered):
            phrase = match.group()
            inside_named = any(
                phrase in name.lower() or name.lower() in phrase for name in frame.conditions
            )
            if not inside_named and not self._held_as(phrase):
                # The phrase is named whole: "St John's wort", not also "john's".
                unknown = [term for term in unknown if term not in word_tokens(phrase)]
                unknown.insert(0, phrase)
        return tuple(dict.fromkeys(unknown))[:3]

    def _held_as(self, phrase: str) -> bool:
        """Whether some source uses the phrase, or what sources call it ("physical therapy":
        physiotherapy)."""
        names = (phrase, *frame_rules().names_used_for(phrase))
        return any(self.service.document_frequency(name) > 0 for name in names)

    def _missing_terms(
        self, analysis: QuestionAnalysis, evidence: Sequence[Evidence]
    ) -> tuple[str, ...]:
        """The question's specific words (clinical terms, names) that no evidence contains."""
        found: set[str] = set()
        for item in evidence:
            found |= _evidence_stems(item)
        synonyms = self.service.synonym_table()
        question = _without_story(analysis.question)
        missing = [
            term
            for term, is_name in _topic_words(question)
            if not _held_under_any_name(term, synonyms.synonyms_of(term), found)
            and (is_name or self.service.is_clinical_term(term))
            and not _only_denied(term, question)  # "no itching" names no itching asked about
        ]
        return tuple(missing[:3])

    def _second_conditions_unanswered(
        self, question: str, cards: Sequence[TopicCard], draft: Draft
    ) -> tuple[str, ...]:
        """A second condition the question names ("naproxen for a gout flare if I have high
        blood pressure") that no statement of the article speaks of: the article answers for
        the first condition only, and says so first."""
        if len(cards) < 2:
            return ()
        vocabulary = self.service.condition_vocabulary()
        texts = [statement.text for statement in all_statements(draft)]
        unanswered = [
            name
            for name, card_ids in vocabulary.find(question)
            if cards[0].card_id not in card_ids
            and not named_as_a_reading(name, question)  # "TSH nl", "BP 118/70"
            and not any(vocabulary.mentions(c, text) for c in card_ids for text in texts)
        ]
        return tuple(dict.fromkeys(unanswered))

    def _concerns_lead(self, item: Evidence, cards: Sequence[TopicCard]) -> bool:
        """A statement of a second named card joins only if it names the leading condition, or
        the drug or procedure asked about ("gout flare with heart failure: ibuprofen?" is
        answered by the heart failure card's line on NSAIDs)."""
        if not cards or item.document.card_id == cards[0].card_id:
            return True
        card_id = item.document.card_id
        if card_id in {card.card_id for card in self._together_cards}:
            return names_them_together((item.passage.text,), self._frame_now)
        vocabulary = self.service.condition_vocabulary()
        if vocabulary.mentions(cards[0].card_id, item.passage.text):
            return True
        return intervention_share(item.passage.text, self._asked_now) > 0

    def _card_evidence(self, cards: Sequence[TopicCard], known: set[str]) -> list[Evidence]:
        """Every passage of the topic cards' documents: retrieved by card, scored below hits."""
        store = self.service.store
        found: list[Evidence] = []
        for card in cards:
            for document in self.service.card_documents(card.card_id):
                for passage in store.list_passages(document.document_id):
                    if passage.passage_id in known:
                        continue
                    known.add(passage.passage_id)
                    item = Evidence(
                        passage,
                        document,
                        0.0,
                        self.settings.evidence_k + len(found) + 1,
                        evidence_level(document),
                    )
                    if self._concerns_lead(item, cards):
                        found.append(item)
        return found

    def _label_evidence(self, frame: QuestionFrame, known: set[str]) -> list[Evidence]:
        """The sections of the asked drugs' labels that answer the ask ("side effects" → the
        adverse reactions and warnings), as card statements are added for a card: retrieval
        finds a label by its words, but the answer is in the sections the ask names."""
        # A label's warnings (its boxed warning first) matter whatever is asked about the drug.
        wanted = {*frame_rules().sections_for(frame.ask), "warnings"}
        if any(frame_rules().needs_saying(p) for p in frame.populations):
            # "is Humira safe while breastfeeding?"
            wanted.add("special_populations")
        found: list[Evidence] = []
        for drug in frame.drugs:
            names = dict.fromkeys((drug.as_written.lower(), drug.generic, *drug.also_called))
            documents = {d.document_id: d for n in names for d in self.service.drug_labels(n)}
            for document in documents.values():
                for passage in self.service.store.list_passages(document.document_id):
                    if passage.passage_id in known:
                        continue
                    if label_section(passage.section_path) not in wanted:
                        continue
                    known.add(passage.passage_id)
                    rank = self.settings.evidence_k + len(found) + 1
                    found.append(Evidence(passage, document, 0.0, rank, evidence_level(document)))
        return found

    def _related_questions(
        self, question: str, evidence: Sequence[Evidence], matcher: TopicMatcher
    ) -> tuple[str, ...]:
        """Questions the knowledge base answers, nearest first: MedQuAD questions, card topics,
        and approved articles' questions sharing the topic."""
        wanted = self.settings.related_questions
        own = question_key(question)
        found: dict[str, None] = {}
        for item in evidence:
            if matcher.coverage(_evidence_stems(item)) == 0.0:
                continue  # retrieved, but shares no word with the topic
            candidate = item.passage.question
            if candidate is None and item.document.origin == "card":
                title = str(item.document.extra.get("card_title", ""))
                candidate = f"How is {lower_first(title)} managed?" if title else None
            if candidate and question_key(candidate) != own:
                found.setdefault(candidate, None)
        # Only curated questions and approved articles: another reader's unreviewed question
        # is theirs, and is never shown to someone else.
        terms = set(content_terms(question))
        for _, earlier in self.service.store.answered_questions(limit=200, approved_only=True):
            if question_key(earlier) != own and terms & set(content_terms(earlier)):
                found.setdefault(earlier, None)
        return tuple(list(found)[:wanted])

    def _article(
        self,
        base: Answer,
        verification: Verification,
        evidence: Sequence[Evidence],
        related: tuple[str, ...],
        checks: tuple[Check, ...],
        dropped: tuple[DroppedStatement, ...],
        provenance: dict[str, Any],
        analysis: QuestionAnalysis,
        cards: Sequence[TopicCard],
    ) -> Answer:
        draft: Draft = verification.draft
        by_id = {item.passage_id: item for item in evidence}
        statements = all_statements(draft)
        references = number_references(statements, by_id)
        cited = {p for s in statements for p in s.passage_ids}
        provenance["cited_passages"] = [
            {"passage_id": p, "score": round(by_id[p].score, 4), "rank": by_id[p].rank}
            for p in by_id
            if p in cited
        ]
        shown = {section.section_id for section in draft.sections}
        available = {_card_section(item) for item in evidence if item.document.origin == "card"}
        conditions = base.question_frame.conditions if base.question_frame else ()
        topic = _follow_up_topic(analysis.topic, cards, conditions)
        follow_ups = _follow_up_questions(
            available - shown, topic, self.settings.follow_up_questions
        )
        return replace(
            base,
            title=draft.title,
            bottom_line=draft.bottom_line,
            sections=draft.sections,
            references=references,
            related_questions=related,
            follow_up_questions=follow_ups,
            checks=checks,
            dropped=dropped,
            provenance=provenance,
        )

    def _provenance(
        self, query: str, evidence: Sequence[Evidence], coverage: float
    ) -> dict[str, Any]:
        service = self.service
        embedder = service.embedder
        return {
            "retrieval_query": query,
            "topic_coverage": round(coverage, 3),
            "keyword_index": f"{service.keyword_index.name}/{service.keyword_index.version}",
            "embedder": None if embedder is None else f"{embedder.name}/{embedder.version}",
            "fusion": service.settings.retrieve.fusion if embedder is not None else "keyword",
            "evidence": [
                {"passage_id": e.passage_id, "score": round(e.score, 4), "rank": e.rank}
                for e in evidence
            ],
        }


def _empty_answer(
    question: str, audience: Audience, analysis: QuestionAnalysis, urgent: Urgent | None
) -> Answer:
    return Answer(
        answer_id="",
        question=question,
        audience=audience,
        title="",
        bottom_line=(),
        sections=(),
        references=(),
        urgent=urgent,
        related_questions=(),
        follow_up_questions=(),
        refusal=None,
        review_status=ReviewStatus.SUBMITTED,
        created_at="",
        updated_at="",
        settings_fingerprint="",
        kb_version="",
        provenance={"intent": analysis.intent.value, "topic": analysis.topic},
    )


def _attempt_record(draft: Draft, verification: Verification) -> dict[str, Any]:
    """A model's draft that was not served, as reviewers see it: what it dropped and why."""
    return {
        "generator": draft.generator,
        "statements_checked": verification.statements_checked,
        "statements_kept": verification.statements_kept,
        "dropped": [
            {
                "text": dropped.statement.text,
                "passage_ids": list(dropped.statement.passage_ids),
                "failed_checks": list(dropped.failed_checks),
                "reason": dropped.reason,
            }
            for dropped in verification.dropped
        ],
    }


def _banner_only(flags: Sequence[RedFlag], frame: QuestionFrame) -> bool:
    """Whether the banner alone answers: every flag raised is one no card is about, and the
    question names no condition whose article could follow it."""
    return bool(flags) and not frame.condition_cards and all(f.banner_only for f in flags)


def _urgent(flags: Iterable[RedFlag], audience: Audience) -> Urgent | None:
    found = list(flags)
    if not found:
        return None
    if audience is Audience.PATIENT:
        message = " ".join(dict.fromkeys(flag.patient_message for flag in found))
    else:
        message = " ".join(dict.fromkeys(flag.clinician_message for flag in found))
    return Urgent(message=message, red_flags=tuple(flag.flag_id for flag in found))


def _generic_names(frame: QuestionFrame, question: str) -> list[str]:
    """The generic names of the medicines a question names, and the other names sources use
    for the same drug ("acetaminophen", "paracetamol"), when the question does not say them."""
    lowered = question.lower()
    names = [
        name
        for drug in frame.drugs
        for name in (drug.generic, *drug.also_called)
        if name not in lowered
    ]
    return list(dict.fromkeys(names))


def _not_mentioned(names: Sequence[str], evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """The names no passage of `evidence` mentions at all (a card that speaks of stroke in its
    statements covers "stroke" as a side condition, though it is not its title)."""
    if not names:
        return ()
    text = " " + " ".join(" ".join(content_stems(item.passage.text)) for item in evidence) + " "
    return tuple(name for name in names if f" {' '.join(content_stems(name))} " not in text)


# Sections that speak of a medicine's harms: an article with none of them does not answer a
# side-effect question.
_HARM_SECTIONS = frozenset({"side_effects", "warnings", "pitfalls"})


def _says_nothing_specific(question: str) -> bool:
    """Whether every content word of the question is one that names nothing in particular."""
    unspecific = frame_rules().unspecific_words
    return all(term in unspecific or is_intent_word(term) for term in content_terms(question))


def _speaks_of_harms(draft: Draft) -> bool:
    """Whether the article says anything of harms: a section on them, or a line on how safe
    a medicine is ("acid-reducing tablets are usually safe to take", which answers "is it bad
    to take nexium for years? my friend says it causes dementia" in part)."""
    if any(section.section_id in _HARM_SECTIONS for section in draft.sections):
        return True
    return any(_ON_SAFETY.search(statement.text) for statement in all_statements(draft))


_ON_SAFETY = re.compile(r"\b(?:safe|safety|side effects?)\b", re.IGNORECASE)


def _is_about_drugs(document: Document, frame: QuestionFrame) -> bool:
    """Whether a source is about one of the asked medicines: its title or the drug names a
    label lists name it (a card is about a condition, never about a drug)."""
    return document.card_id is None and document.names_drug(frame.drug_names())


def _thing_words(phrase: str, frame: QuestionFrame) -> list[str]:
    """The words of a slot phrase that can name a thing: not a form ("juice", "spray":
    "cranberry juice" is about cranberry), a person or place, a word the sources' own names
    stand for ("jab"), the asked condition, a stop word or a number."""
    rules = frame_rules()
    condition_words = {w for c in frame.conditions for w in word_tokens(c)}
    words = [
        word
        for word in word_tokens(phrase)
        if len(word) > 2
        and not word.isdigit()
        and word not in STOP_WORDS
        and word not in rules.not_topics
        and word not in rules.also_known_as
    ]
    things = [word for word in words if word not in rules.forms and word not in condition_words]
    # "How much water should I drink?": a form alone is the thing asked about ("my migraine
    # tablets" are the condition's medicines, not a thing the sources must name).
    return things if things or len(words) != 1 else words


def _misspells_one_of(phrase: str, terms: Sequence[str]) -> bool:
    """Whether every word of `phrase` is one of `terms`' words or a long word one slip from one
    ("antibotics" for the "antibiotics" the frame already read)."""
    known = {word for term in terms for word in word_tokens(term)}
    return bool(known) and all(
        word in known
        or (len(word) >= SHORTEST_MISSPELT_NAME and any(one_slip_apart(word, k) for k in known))
        for word in word_tokens(phrase)
    )


def _stem_found(word: str, stems: set[str]) -> bool:
    """The word's stem, or a longer form of it ("spine" in "spinal"), is among `stems`."""
    wanted = stem(word)
    if wanted in stems:
        return True
    if len(wanted) >= _SHORTEST_PREFIX and any(s.startswith(wanted) for s in stems):
        return True
    # "antibotics": a long word one slip from one the evidence has is that word, misspelt.
    return len(wanted) >= _SHORTEST_MISSPELT_STEM and any(
        one_slip_apart(wanted, s) for s in stems if abs(len(s) - len(wanted)) <= 1
    )


_SHORTEST_PREFIX = 4
_SHORTEST_MISSPELT_STEM = 6
# "Heat or ice?", "ibuprofen or paracetamol?": the choices of an either-or question.
_EITHER_OR = re.compile(r"\s+or\s+", re.IGNORECASE)
_OR = r"\s*,?\s+(?:or|vs\.?|versus)\s+"
_AND = r"\s*(?:\+|&|,|\s(?:and|plus)\s)\s*"
# A dose written after a medicine's name ("simvastatin 40", "lipitor 40mg").
_A_DOSE_AFTER = re.compile(r"\s+\d+(?:\.\d+)?\s*(?:mg|mcg|micrograms?|g)?$", re.IGNORECASE)
# One treatment offered in place of another: a choice between them, as "or" is.
_IN_PLACE_OF = (
    r"\s+(?:replace|instead\s+of|rather\s+than|in\s+place\s+of|substitute\s+for)\s+"
    r"(?:my\s+|the\s+|his\s+|her\s+|their\s+)?"
)


def _named_in(evidence: Sequence[Evidence], term: str, frame: QuestionFrame) -> bool:
    """Whether some evidence names `term`, or the generic name of the medicine it is, as a
    whole word."""
    names = (term, *frame.other_names(term))
    return any(
        find_whole(name, item.passage.text, ignore_case=True) for item in evidence for name in names
    )


def _follow_up_topic(
    asked_topic: str, cards: Sequence[TopicCard], conditions: Sequence[str] = ()
) -> str:
    """What follow-up questions name: the question's own short topic when it is a condition the
    question names ("sciatica"), else the card's title; never a stretch of the reader's story
    ("38.5 for 2 days, she keeps pulling at both ears…") nor a symptom ("What are the red flags
    in burning feeling?"), which read badly and repeat what they typed."""
    words = asked_topic.split()
    short = 0 < len(words) <= _FOLLOW_UP_TOPIC_WORDS and not any(c.isdigit() for c in asked_topic)
    named = asked_topic.lower() in {condition.lower() for condition in conditions}
    if not cards:
        return asked_topic if short else ""
    return asked_topic if short and named else lower_first(cards[0].title)


# A list of medicines long enough that the card naming most of them is theirs.
_MANY_MEDICINES = 3
# The longest question topic a follow-up question repeats ("acute low back pain in pregnancy").
_FOLLOW_UP_TOPIC_WORDS = 6


def _named_only_inside(frame: QuestionFrame, unknown: Sequence[str], question: str) -> bool:
    """Whether every condition the question names (not as a reading: "TSH normal") is only the
    first word of a condition the knowledge base lacks ("thyroid" in "thyroid nodule")."""
    named = [c for c in frame.conditions if not named_as_a_reading(c, question)]
    conditions = [term for term in unknown if term in bundled_condition_terms()]
    return bool(named and conditions) and all(
        any(
            re.search(rf"(?<![\w-]){re.escape(name)}\s+{re.escape(term)}s?\b", question, re.I)
            for term in conditions
        )
        for name in named
    )


def _a_choice_beside(
    question: str,
    term: str,
    frame: QuestionFrame,
    evidence: Sequence[Evidence],
    missing: Sequence[str] = (),
) -> bool:
    """Whether `term` is one choice of an either-or question ("amitriptyline or candesartan?",
    "glucosamine or cod liver oil?") whose other choice is a medicine or treatment the frame
    names, not in `missing`, and that the evidence names by name: a line on its class ("a GLP-1
    receptor agonist") does not compare "Ozempic or Mounjaro?", which is refused by name.
    The other choice may be a treatment of two words the evidence names though the frame does
    not ("escalate to triple therapy or add azithromycin/roflumilast?"), and the term one of a
    list written with slashes."""
    named = re.escape(term)
    # "add azithromycin/roflumilast": a verb and the list's other items before the term.
    # …or two ("add ICS or go to roflumilast?").
    listed = r"(?:[\w-]+\s+){0,2}(?:[\w-]+\s*/\s*)*"
    others = [
        match.group("other").lower()
        for pattern in (
            rf"\b(?P<other>[\w-]+(?:\s+[\w-]+)?){_OR}{listed}{named}\b",
            rf"\b{named}{_OR}(?P<other>[\w-]+(?:\s+[\w-]+)?)\b",
            # "Can tart cherry capsules replace allopurinol?", "replace my statin with …"
            rf"\b{named}(?:\s+[\w-]+){{0,2}}?{_IN_PLACE_OF}(?P<other>[\w-]+(?:\s+[\w-]+)?)\b",
            rf"\breplace\s+(?:my\s+|the\s+|his\s+|her\s+)?(?P<other>[\w-]+)\s+with\s+{named}\b",
            # …or one item of a list asked about together: "glucosamine + chondroitin and
            # turmeric capsules, are they worth it?"
            rf"\b(?P<other>[\w-]+){_AND}{named}\b",
            rf"\b{named}{_AND}(?P<other>[\w-]+)\b",
        )
        for match in re.finditer(pattern, question, re.IGNORECASE)
    ]
    # "stem cell / PRP injection": the other choice is PRP, which no source names either,
    # though sources name injections.
    others = [
        other
        for other in others
        if not any(m != term.lower() and find_whole(m, other, ignore_case=True) for m in missing)
    ]
    covered = [
        t
        for t in frame.interventions
        if t != term.lower() and t not in missing and _named_in(evidence, t, frame)
    ]
    return any(
        any(
            term_ in other or other.split()[-1] == term_ or other.split()[0] == term_
            for term_ in covered
        )
        or _a_treatment_phrase_named_in(evidence, other, frame)
        for other in others
    )


def _a_treatment_phrase_named_in(
    evidence: Sequence[Evidence], phrase: str, frame: QuestionFrame
) -> bool:
    """Whether `phrase` is two words naming a treatment ("triple therapy") that the evidence
    names as written."""
    words = phrase.split()
    treatment = words[-1] in frame_rules().treatment_nouns if words else False
    return len(words) == _TWO_WORDS and treatment and _named_in(evidence, phrase, frame)


_TWO_WORDS = 2


def _taken_with_another(question: str, term: str, evidence: Sequence[Evidence]) -> bool:
    """Whether `term` is one of two things the question asks about taking a medicine with
    ("with my morning coffee and my Nexium") and the evidence names the other: the article
    answers for the one and says the sources do not cover the other."""
    named = re.escape(term)
    item = r"(?:my\s+|the\s+|your\s+|his\s+|her\s+)?(?:[\w-]+\s+)?(?P<other>[\w-]+)"
    patterns = (
        rf"\bwith\s+{item}\s+(?:and|&)\s+(?:my\s+|the\s+|your\s+)?{named}\b",
        rf"\bwith\s+(?:my\s+|the\s+|your\s+)?{named}\s+(?:and|&)\s+{item}\b",
        # …or one of a combined pill taken with it ("with my calcium + vitamin D pill").
        rf"\b{item}\s*(?:\+|&|and|plus|with)\s*{named}\s+(?:pills?|tablets?|supplements?|tabs)\b",
    )
    others = [
        match.group("other").lower()
        for pattern in patterns
        for match in re.finditer(pattern, question, re.IGNORECASE)
    ]
    if not others:
        return False
    stems = _passage_stems(evidence)
    return any(stem(other) in stems for other in others)


def _passage_stems(evidence: Sequence[Evidence]) -> set[str]:
    """The stems of every passage of the evidence."""
    return {word for item in evidence for word in content_stems(item.passage.text)}


def _pages_on_the_topic(evidence: list[Evidence], question: str) -> list[Evidence]:
    """With no card: when consumer-health pages about the very thing asked hold enough of the
    evidence ("Hay Fever" for "which nasal spray works best for hay fever?"), pages on other
    conditions that mention it in passing leave (a cough page's "sinus infections and
    allergies", a cirrhosis page for gallstones), and so do cards about other conditions.
    Guidelines and labels stay: they have no page topic, and a screening recommendation answers
    "do I need a syphilis test?" beside the page."""
    asked = set(content_stems(question))
    topics = [_page_topic(item.document) for item in evidence]
    # Named, every content word of it ("Hay Fever"). Guideline titles are left out: they name
    # a scope ("… medical treatment guidelines"), not one condition.
    on_topic = sum(1 for topic in topics if topic and topic <= asked)
    if on_topic < _ENOUGH_ON_TOPIC_PASSAGES:
        return evidence

    # A page whose topic shares a word with the question stays ("Cold and Cough Medicines" for
    # "can I give my 3-year-old cough medicine?"); a page or a card about another condition
    # leaves.
    def stays(item: Evidence, topic: frozenset[str]) -> bool:
        if item.document.extra.get("focus"):
            return bool(topic & asked)
        return item.document.card_id is None

    return [item for item, topic in zip(evidence, topics, strict=True) if stays(item, topic)]


def _page_topic(document: Document) -> frozenset[str]:
    """The content words of the topic a consumer-health page is about; empty for any other
    source."""
    return frozenset(content_stems(str(document.extra.get("focus") or "")))


def _topic_without_card(analysis: QuestionAnalysis, evidence: Sequence[Evidence]) -> str:
    """What an article with no card is about: the topic a consumer-health page names for
    itself ("Shingles"), else the question's topic phrase up to its first clause break."""
    for item in evidence[:_TOPIC_EVIDENCE]:
        focus = item.document.extra.get("focus")
        if focus:
            return str(focus)
    return re.split(r"[.:;?!,]| on (?:his|her|my|their) ", analysis.topic, maxsplit=1)[0].strip()


def _with_cards_of_drugs(frame: QuestionFrame, vocabulary: ConditionVocabulary) -> QuestionFrame:
    """A medicine named by a brand whose generic is a card's alias ("Synthroid" is
    levothyroxine, an alias of the hypothyroidism card) names that card, as the generic would;
    so does one whose class is ("omeprazole" is a proton pump inhibitor, an alias of the reflux
    card)."""
    if frame.condition_cards:
        return frame
    rules = frame_rules()
    cards = tuple(
        dict.fromkeys(
            card
            for drug in frame.drugs
            for name in (*drug.names()[1:], *rules.names_used_for(drug.generic))
            for _, ids in vocabulary.find(name)
            for card in ids
        )
    )
    return replace(frame, condition_cards=cards) if cards else frame


def _drugs_as_written(frame: QuestionFrame, *, lower: bool = False) -> tuple[str, ...]:
    return tuple(drug.as_written.lower() if lower else drug.as_written for drug in frame.drugs)


def _as_asked(term: str, frame: QuestionFrame) -> str:
    """A missing thing as the reader named it; a brand's own name is the same drug."""
    for drug in frame.drugs:
        if term.lower() in (drug.generic, drug.as_written.lower()):
            return drug.label
    return term


def _quoted_if_a_phrase(label: str) -> str:
    """A phrase from the question ("go back to school") in quotes, so that the sentence around
    it still reads; a medicine's name ("Eliquis (apixaban)") as it is."""
    return f"“{label}”" if " " in label and "(" not in label else label


def _by_generic_name(text: str, frame: QuestionFrame) -> str:
    for drug in frame.drugs:
        text = re.sub(rf"\b{re.escape(drug.as_written)}\b", drug.generic, text, flags=re.I)
    return text


_ASIDE = re.compile(r"\([^()]{1,60}\)")


def _without_story(question: str) -> str:
    """The question without who it is about and the measurements it reports: what is left
    names its topic (populations and findings are checked apart, as caveats)."""
    return without_findings(without_populations(question))


def _asks_something_else(
    question: str, terms: Sequence[str], *, on_a_condition: bool = False
) -> bool:
    """Whether the question has a second question that names none of `terms` and says enough
    to be answered on its own ("Can I stop it now? And when can she go back to school?"); not
    a tail like "or alongside?", which leans on the question before it. When the story names
    the condition (`on_a_condition`), one word of what is asked is enough: "(strep throat …)
    what antibiotic can she have and how long off school?" asks which antibiotic for it."""
    # (…of the pieces that ask: "I'm 66, is it worth it?" tells an age before it asks.)
    asked = [clause for clause in asked_clauses(question) if _ASKS.search(clause)]
    if len(asked) < 2:
        return False
    enough = 1 if on_a_condition else 2

    def names_a_term(index: int) -> bool:
        clause = asked[index]
        if any(_names_term(clause, t) for t in terms):
            return True
        # "Is sea moss good for my thyroid? Could I take it instead of my Synthroid?": "it" is
        # the sea moss named before ("started mirtazapine … is this normal?": the mirtazapine).
        before = question[: max(question.find(clause), 0)]
        return bool(_LEANS_ON_THE_STORY.search(clause)) and any(
            _names_term(before, t) for t in terms
        )

    return any(
        len(content_terms(clause)) >= enough and not names_a_term(index)
        for index, clause in enumerate(asked)
    )


# A piece of an asked sentence that asks: a question mark, or a question's opening word (after
# "and": "can we stop? and when can she go back to school").
_ASKS = re.compile(
    r"\?\s*$|^\W*(?:(?:and|or|also|plus|but)\s+)?(?:is|are|do|does|did|can|could|should|would"
    r"|will|what|which|when|how|who|where|why|any)\b",
    re.IGNORECASE,
)


# An asked sentence that leans on the story for what it asks about ("My friend swears by CBD
# oil. Does it work?").
# ("anything else that works" is no pointer: "that" opens what the thing does.)
_LEANS_ON_THE_STORY = re.compile(
    r"\b(it|this|they|them|these|those)\b|(?<!else )(?<!anything )(?<!something )\bthat\b"
    # "… asking about stem cell injections. Any evidence worth supporting?": whether the
    # evidence backs what the story names.
    r"|^\W*(is there |are there )?(any )?"
    r"(good |real |actual |decent |solid |strong |reliable |proper )?evidence\b"
    r"|\bworth (supporting|trying|it)\b",
    re.IGNORECASE,
)


def _only_in_the_story(question: str, terms: Sequence[str]) -> bool:
    """Whether `terms` are named only in the story around the question, never in what it asks
    ("Dad has dementia … Does he need antibiotics?", "hx penicillin anaphylaxis. Oral abx
    choice?"): context, like a population. Not when an asked sentence points back to the story
    ("… CBD oil. Does it work?"), where the story names what is asked."""
    asked = asked_sentences(question)
    if asked and all(
        _told_after(_HISTORY_OF, question, term) or _told_after(_AN_EFFECT_OF, question, term)
        for term in terms
    ):
        # "I had a stomach ulcer about 5 years ago, so my GP is nervous about anti-inflammatories.
        # What else can I take?": a past illness is the person's history, however the asked
        # sentence leans on what came before.
        return not any(_names_term(sentence, term) for sentence in asked for term in terms)
    if asked and _only_after_the_ask(question, terms, asked[-1]):
        # "Should I stop taking it? I've got a dentist appointment for an implant coming up
        # too": an afterthought told once the question is asked says more about the person.
        return True
    # (…an "it" beside a medicine the asked sentence names is that medicine: "Could it be the
    # Crestor and can she just stop taking it?" does not point back to the story's other drugs.)
    if not asked or any(
        _LEANS_ON_THE_STORY.search(sentence) and not find_drugs(sentence) for sentence in asked
    ):
        return False
    return not any(_names_term(sentence, term) for sentence in asked for term in terms)


def _only_after_the_ask(question: str, terms: Sequence[str], last_asked: str) -> bool:
    """Whether each of `terms` is named only in what follows the last sentence that asks."""
    at = question.rfind(last_asked)
    if at < 0:
        return False
    end = at + len(last_asked)
    before, after = question[:end], question[end:]
    return all(not _names_term(before, term) and _names_term(after, term) for term in terms)


# "had a stomach ulcer", "history of a GI bleed", "previous DVT", "hx of gastric ulcer"
_HISTORY_OF = (
    r"\b(?:had|have had|'ve had|history of|hx(?: of)?|previous|past|prior)\s+"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+)?"
)


# "it makes me so drowsy", "gave him the runs": what a medicine does to the person, told as the
# reason for the question ("can I just stop taking it?").
_AN_EFFECT_OF = r"\b(?:makes?|made|making|gives?|gave|giving)\s+(?:me|him|her|them|us)\s+"


def _told_after(lead: str, question: str, term: str) -> bool:
    """Whether the question names `term` right after `lead` (as history, as an effect)."""
    return re.search(lead + re.escape(term) + r"\b", question, re.IGNORECASE) is not None


def _names_term(sentence: str, term: str) -> bool:
    return find_whole(term, sentence, ignore_case=True) is not None


def _topic_words(text: str) -> list[tuple[str, bool]]:
    """The question's words that could name its topic (not framing, asks, people or places),
    each with whether it was written as a name ("Kawasaki")."""
    not_topics = frame_rules().not_topics
    names = _names(text)
    return [
        (term, term in names)
        for term in content_terms(text)
        if term not in not_topics and term not in STOP_WORDS and not is_intent_word(term)
    ]


def _names(question: str) -> set[str]:
    """Capitalised words inside a sentence ("Kawasaki", "Parkinson's"): likely names. Not a
    clinician's shorthand ("bulging TMs", "CFU/mL"): an abbreviation, however rare, says how the
    question is written, not what it is about."""
    names: set[str] = set()
    tokens = question.split()
    for previous, token in itertools.pairwise(tokens):
        word = token.strip("?,.!:;()\"'")
        if _written_as_a_name(word) and not previous.endswith((".", "?", "!")):
            names.update(w for w in word_tokens(word) if w not in frame_rules().not_topics)
    return names


_SHORTHAND_LENGTH = 2


def _written_as_a_name(word: str) -> bool:
    """Capitalised, not an abbreviation: not "COPD" or "I", nor a plural abbreviation ("TMs")
    or a unit ("CFU/mL")."""
    if not word[:1].isupper() or word.isupper():
        return False
    if len(word) <= _SHORTHAND_LENGTH:
        # "Ca normal", "Rx?", "Hx of MI": two letters are a clinician's shorthand, not a name.
        return False
    return re.fullmatch(r"[A-Z]{2,}s", word) is None and "/" not in word


def _held_under_any_name(term: str, synonyms: Sequence[str], found: set[str]) -> bool:
    """Whether the evidence holds `term` or one of its synonyms ("HbA1c" → A1C)."""
    for name in (term, *synonyms):
        stems = content_stems(name)
        if stems and all(s in found for s in stems):
            return True
    return False


def _evidence_stems(item: Evidence) -> set[str]:
    text = f"{item.document.title} {' '.join(item.passage.section_path)} {item.passage.text}"
    return set(content_stems(text))


def _body_sites(text: str) -> set[str]:
    """The parts of the body `text` names ("spine", "knee")."""
    return {word for word in word_tokens(text) if word in frame_rules().body_sites}


def _about_another_site(asked_sites: set[str], card_title: str) -> bool:
    """Whether a card's title names a part of the body and the question (`asked_sites`) names
    only other parts."""
    own = _body_sites(card_title)
    return bool(asked_sites and own) and not asked_sites & own


def _only_denied(term: str, question: str) -> bool:
    """Whether every mention of `term` in `question` is denied ("no itching")."""
    rules = frame_rules()
    starts = [match.start() for match in find_every_whole(term, question, ignore_case=True)]
    return bool(starts) and all(rules.negated_at(question, start) for start in starts)


def _sibling_for(
    card: str, chronicity: str, titles: Mapping[str, str], vocabulary: ConditionVocabulary
) -> str:
    """`card`, or the card sharing one of its names whose title says `chronicity` when its own
    does not (acute and chronic low back pain share "back pain")."""
    if chronicity in titles[card].lower():
        return card
    names = set(vocabulary.names_of(card))
    siblings = [
        other
        for other, title in titles.items()
        if other != card and chronicity in title.lower() and names & set(vocabulary.names_of(other))
    ]
    return siblings[0] if len(siblings) == 1 else card


def _says_when_to_get_help(
    evidence: Sequence[Evidence], cards: Sequence[TopicCard], flags: Sequence[RedFlag]
) -> bool:
    """Whether any of the topic cards' statements found says when to get urgent help for the
    alarm raised."""
    ids = {card.card_id for card in cards}
    warns_of_it = _warning_on(flags)
    return any(item.document.card_id in ids and warns_of_it(item.passage) for item in evidence)


def _warning_on(flags: Sequence[RedFlag]) -> Callable[[Passage], bool]:
    """Whether a card's passage says what to do about an alarm raised: a line under the card's
    red flags (or a plain line worded as one) that names the alarm or says to get help now
    ("if they come on suddenly, call 999"), or any line that names the alarm ("chest pain
    should be checked for heart problems first"). Under a stroke banner, "if AF makes you
    dangerously unwell, doctors use an electric shock" is about another emergency. The
    alarms' words are worked out once, for every passage checked."""
    raised = {flag.flag_id for flag in flags}
    # (Not the words that say how likely or how fast: "possible", "sudden", "severe".)
    named = {s for flag in flags for s in content_stems(flag.label)} - set(
        content_stems(_NOT_THE_ALARM)
    )
    act_now = frame_rules().cue("act_now_words")

    def warns_of_it(passage: Passage) -> bool:
        text = passage.text
        if raised & {flag.flag_id for flag in find_red_flags(text)}:
            return True
        naming = named & set(content_stems(text))
        section = _passage_section(passage)
        warns = section == "red_flags" or (
            section == "patient" and classify_sentence(text) == "red_flags"
        )
        if warns and (naming or act_now.search(text)):
            return True
        return len(naming) >= _NAMES_THE_ALARM

    return warns_of_it


# Words of the alarms' labels that say how likely or how fast, not what the alarm is.
_NOT_THE_ALARM = "possible suspected sudden severe fast despite after may"
# How many of an alarm's words a line outside the warnings must name to be about it.
_NAMES_THE_ALARM = 2


def _card_section(item: Evidence) -> str:
    return _passage_section(item.passage)


def _passage_section(passage: Passage) -> str:
    heading = passage.section_path[-1] if passage.section_path else ""
    return CARD_SECTIONS.get(heading, "")


def _follow_up_questions(sections: set[str], topic: str, wanted: int) -> tuple[str, ...]:
    if not topic:
        return ()
    ordered = [section for section in HEADINGS if section in sections and section in _FOLLOW_UPS]
    return tuple(_FOLLOW_UPS[section].format(topic=topic) for section in ordered[:wanted])


def _condition_name(card_title: str) -> str:
    """A card title as a condition name: "Gout in adults" → "gout"."""
    return lower_first(re.split(r"\s+in\s+", card_title)[0].strip())


def _medicines_asked(frame: QuestionFrame, question: str) -> list[DrugName]:
    """The medicines the question asks about: those its asked sentences name, else those it
    does not tell the person is on, else all it names ("paracetamol doesn't touch it. Is it ok
    to take my sumatriptan?" asks about sumatriptan)."""
    in_the_ask = " ".join(asked_sentences(question)).lower()
    named = [drug for drug in frame.drugs if drug.as_written.lower() in in_the_ask]
    not_taken = [drug for drug in frame.drugs if not is_context(drug.as_written, question)]
    return named or not_taken or list(frame.drugs)


def _listed(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "a", "a or b", "a, b or c"."""
    names = list(dict.fromkeys(names))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _covered(cards: Sequence[TopicCard]) -> str:
    """The conditions whose sources were searched, by name: "gout and hypertension"."""
    return " and ".join(_condition_name(card.title) for card in cards)
