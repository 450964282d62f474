"""What a question asks: its intent, its topic and the words that name the topic.

Rules, not a model: they are fast, explainable and tested by table. The topic phrase feeds the
article's title and the evidence gate (does the knowledge base cover this topic at all?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bedside.domain import Intent

# First match wins, so the more specific asks come before "treatment".
_INTENT_PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern, re.IGNORECASE))
    for intent, pattern in (
        (Intent.REFERRAL, r"\b(refer(r(al|ed|ing))?|specialist|surgeon|see a (doctor|gp)|"
                          r"next steps?)\b"),
        (Intent.IMAGING, r"\b(mri|x-?rays?|imag(e|ing)|scans?|ct|radiograph\w*|ultrasound|dexa)\b"),
        (Intent.PROGNOSIS, r"\b(prognosis|outlook|how long|recover\w*|get better|return to "
                           r"(work|sport|school)|natural history|course)\b"),
        (Intent.PREVENTION, r"\b(prevent\w*|screen\w*|reduce (the )?risk|avoid getting)\b"),
        (Intent.DRUG, r"\b(medicines?|medications?|drugs?|doses?|dosing|tablets?|pills?|"
                      r"painkillers?|prescri\w+|antibiotics?|inhalers?)\b"),
        (Intent.DIAGNOSIS, r"\b(diagnos\w*|assess\w*|tests?|testing|work-?up|examin\w*|"
                           r"symptoms?|signs?|how do (i|you) know|causes?)\b"),
        (Intent.TREATMENT, r"\b(treat\w*|manag\w*|options?|therap\w*|help\w*|reliev\w*|"
                           r"cure\w*|surgery|operations?|what (can|should) (i|we|you) do)\b"),
    )
)  # fmt: skip

# Words that frame a question rather than name its topic.
_FRAME_WORDS_TEXT = """
    what which who whom whose when where why how is are was were be been being am do does
    did done should would could can may might must will shall a an the of for to in on at by
    with about from into and or but if then than that this these those there their them they
    it its i me my we our you your he she his her him patient patients person people someone
    adult adults child children kid kids option options best good first line next step steps
    approach approaches evidence recommended recommendation recommendations guideline
    guidelines current treat treats treated treating treatment treatments manage managed
    managing management therapy therapies help helps relieve cure care need needs needed get
    got have has having know tell explain mean means use used using work works consider
    considered start refer referred referral specialist spine-specialist diagnose diagnosed
    diagnosis assess assessment test tests image imaging scan scans prognosis outlook
    prevent prevention medicine medicines medication medications drug drugs dose doses
    typical usual common commonly available role indication indications please any some more
    most much many long
"""
_FRAME_WORDS = frozenset(_FRAME_WORDS_TEXT.split())
_TOPIC_LEAD = re.compile(
    r"\b(?:for|of|with|about|treating|managing|manage|treat|diagnosing|has|have|having)\s+(.+)",
    re.IGNORECASE,
)
# Where a topic phrase ends: a verb or clause that belongs to the framing, not the condition.
_TOPIC_END = re.compile(
    r"\s+(?:be|is|are|was|were|should|would|could|can|who|which|that|when|if|and should|"
    r"referred|treated|managed|imaged|diagnosed|get|need|needs|do|does)\b.*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuestionAnalysis:
    """A question taken apart: what it asks for and what about."""

    question: str
    intent: Intent
    intents: tuple[Intent, ...]  # every intent found, primary first
    topic: str  # the topic as a phrase, e.g. "disc space loss in the lumbar spine"
    topic_terms: tuple[str, ...]  # the topic's content words, lower case


def detect_intents(question: str) -> tuple[Intent, ...]:
    """Every intent the question expresses, most specific first; GENERAL if none."""
    found = tuple(intent for intent, pattern in _INTENT_PATTERNS if pattern.search(question))
    return found or (Intent.GENERAL,)


def topic_phrase(question: str) -> str:
    """The phrase that names what the question is about, or '' when none stands out."""
    text = question.strip().rstrip("?.! ")
    match = _TOPIC_LEAD.search(text)
    if match is None:
        return ""
    phrase = _TOPIC_END.sub("", match.group(1)).strip(" ,;:")
    # A lead like "options for" can be followed by another lead ("for a patient with X").
    inner = _TOPIC_LEAD.search(phrase)
    if inner and not content_terms(phrase[: inner.start()]):
        phrase = _TOPIC_END.sub("", inner.group(1)).strip(" ,;:")
    phrase = re.sub(r"^(?:a|an|the|my|his|her|their)\s+", "", phrase, flags=re.IGNORECASE)
    return phrase if content_terms(phrase) else ""


def content_terms(text: str) -> tuple[str, ...]:
    """Lower-case words of `text` that are not question framing, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        # "she's", "they're", "what's": a framing word with its contraction is framing too.
        base = _CONTRACTION.sub("", word)
        if word not in _FRAME_WORDS and base not in _FRAME_WORDS and len(word) > 1:
            seen.setdefault(word, None)
    return tuple(seen)


_CONTRACTION = re.compile(r"'(?:s|re|ve|ll|d|m)$")


def is_intent_word(term: str) -> bool:
    """Whether `term` says what is asked ("MRI", "painkillers") rather than what about."""
    return any(pattern.fullmatch(term) for _, pattern in _INTENT_PATTERNS)


def analyse_question(question: str) -> QuestionAnalysis:
    """Intent, topic phrase and topic terms of one question."""
    intents = detect_intents(question)
    topic = topic_phrase(question)
    terms = content_terms(topic) if topic else content_terms(question)
    # Words that say what is asked ("MRI", "painkillers") are not the topic.
    terms = tuple(term for term in terms if not is_intent_word(term)) or terms
    return QuestionAnalysis(
        question=question.strip(),
        intent=intents[0],
        intents=intents,
        topic=topic,
        topic_terms=terms,
    )
