"""The sections an article can have, their headings per audience, and which come first per intent.

Card statements carry their section in their heading; sentences from other sources are placed by
the keyword rules in `classify_sentence`.
"""

from __future__ import annotations

import re

from bedside.domain import Audience, Intent

# section id → (clinician heading, patient heading)
HEADINGS: dict[str, tuple[str, str]] = {
    "overview": ("Overview", "What it is"),
    "diagnosis": ("Assessment and diagnosis", "How it is checked"),
    "first_line": ("First-line management", "What helps first"),
    "medicines": ("Medicines", "Medicines"),
    "imaging": ("When to image", "Do you need a scan?"),
    "red_flags": ("Red flags needing urgent assessment", "When to get help urgently"),
    "referral": ("When to refer", "When to see a specialist"),
    "procedures": ("Procedures and surgery", "Injections and operations"),
    "prevention": ("Screening and prevention", "Lowering your risk"),
    "monitoring": ("Follow-up and monitoring", "Check-ups"),
    "pitfalls": ("Pitfalls to avoid", "Things to avoid"),
    # From drug labels: what the label's own sections say.
    "warnings": ("Warnings and precautions", "Warnings"),
    "side_effects": ("Side effects", "Side effects"),
    "interactions": ("Interactions", "Taking it with other medicines"),
    "special_populations": (
        "Pregnancy, breastfeeding, children and older adults",
        "Pregnancy, breastfeeding, children and older people",
    ),
    "prognosis": ("Prognosis and counselling", "What to expect"),
    "caveats": ("Where sources disagree", "Where experts differ"),
    "research": ("Research evidence", "What studies found"),
}

# Which sections an article leads with, per intent; the rest follow in this order if they have
# statements. Red flags come early for every intent: missing them is the costly mistake.
_ORDER: dict[Intent, tuple[str, ...]] = {
    Intent.TREATMENT: ("first_line", "medicines", "imaging", "red_flags", "referral",
                       "procedures", "pitfalls", "prognosis"),
    Intent.DRUG: ("medicines", "first_line", "pitfalls", "red_flags", "monitoring", "referral"),
    Intent.IMAGING: ("imaging", "red_flags", "diagnosis", "pitfalls", "referral", "first_line"),
    Intent.REFERRAL: ("referral", "red_flags", "procedures", "imaging", "first_line", "pitfalls",
                      "prognosis"),
    Intent.DIAGNOSIS: ("diagnosis", "red_flags", "imaging", "referral", "pitfalls", "first_line"),
    Intent.PROGNOSIS: ("prognosis", "first_line", "red_flags", "referral", "pitfalls"),
    Intent.PREVENTION: ("prevention", "monitoring", "first_line", "medicines", "pitfalls"),
    Intent.GENERAL: ("overview", "diagnosis", "first_line", "medicines", "red_flags", "referral",
                     "prognosis", "pitfalls"),
}  # fmt: skip
_TRAILING = ("caveats", "research")

# Sentence → section, first match wins (used for passages that are not card statements).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        ("caveats", r"\b(conflicts? with|disagree\w*|in contrast|whereas|differ(s|ed)? from)\b"),
        ("pitfalls", r"^(do not|don't|avoid|never)\b"),
        ("red_flags", r"\b(red flags?|cauda equina|emergency|urgent\w*|immediately|at once|"
                      r"straight away|right away|without delay|call (911|999|112)|"
                      r"go to (the )?(a&e|emergency))\b"),
        ("referral", r"\b(refer\w*|specialist|spine surgeon|"
                     r"surgical (opinion|assessment|consultation))\b"),
        ("imaging", r"\b(mri|ct scan|x-?ray|imaging|radiograph\w*|scan)\b"),
        # "COPD is confirmed with a breathing test … after breathing in a medicine" is about
        # the test, whatever medicine it names.
        ("diagnosis", r"\b((is|are|be) (confirmed|diagnosed) (with|by|on)|confirm\w* the "
                      r"diagnosis|breathing test|spirometry)\b"),
        ("procedures", r"\b(surg\w+|operation|discectomy|fusion|decompression|injection\w*|"
                       r"denervation|arthroplasty|replacement)\b"),
        ("medicines", r"\b(medicines?|medication|drugs?|pills?|painkillers?|nsaids?|ibuprofen|"
                      r"naproxen|paracetamol|"
                      r"acetaminophen|opioids?|antibiotics?|statins?|metformin|inhalers?|"
                      r"tablets?|doses?)\b"),
        ("prognosis", r"\b(prognosis|recover\w*|improv\w+ within|outlook|most people|"
                      r"natural history|return to work|get better|by itself|on its own|"
                      r"shrinks?|regress\w*)\b"),
        ("prevention", r"\b(prevent\w*|screen\w*|vaccin\w*|risk reduction)\b"),
        ("diagnosis", r"\b(diagnos\w*|assess\w*|examination|history|symptoms?|signs?|tests?)\b"),
        ("first_line", r"\b(exercise|physiotherapy|physical therapy|stay(ing)? active|"
                       r"keep(ing)? (active|moving)|bed ?rest|rest in bed|"
                       r"self-management|advice|education|heat|massage|manual therapy|"
                       r"treat\w*|manag\w*)\b"),
    )
)  # fmt: skip


def heading(section_id: str, audience: Audience) -> str:
    clinician, patient = HEADINGS[section_id]
    return patient if audience is Audience.PATIENT else clinician


def section_order(intent: Intent) -> tuple[str, ...]:
    """Every section id, the intent's preferred ones first."""
    lead = _ORDER[intent]
    rest = tuple(
        section for section in HEADINGS if section not in lead and section not in _TRAILING
    )
    return (*lead, *rest, *_TRAILING)


def is_caveat(sentence: str) -> bool:
    """Whether a statement records sources disagreeing (it then goes under the caveats)."""
    return bool(_RULES[0][1].search(sentence))


# A drug label's own section (its heading path, any level) → the article section it answers;
# first match wins, so a boxed warning is a warning and "8.1 Pregnancy" a special population.
_LABEL_SECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        ("warnings", r"\bboxed warning|\bwarning"),
        ("side_effects", r"\badverse (?:reactions?|events?)|\bside effects?"),
        ("interactions", r"\binteractions?\b"),
        ("special_populations", r"\bspecific populations|\bpregnan|\blactation|\bnursing "
                                r"mothers|\bp(?:a)?ediatric|\bgeriatric|\bchildren"),
        ("pitfalls", r"\bcontraindications?"),
        ("medicines", r"\bdosage|\badministration|\bhow supplied|\bdirections"),
        ("overview", r"\bindications?|\buses?\b|\bdescription"),
        ("red_flags", r"\boverdos"),
        ("warnings", r"\bprecautions?"),
    )
)  # fmt: skip


# A consumer-health answer's own question ("What are the treatments for Shingles?") says what
# it answers; first match wins.
_ANSWERED_QUESTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern, re.IGNORECASE))
    for section, pattern in (
        ("first_line", r"\btreat|\bmanag|\bcure"),
        ("diagnosis", r"\bsymptoms?\b|\bsigns?\b|\bdiagnos|\bexams?\b|\btests?\b"),
        ("prognosis", r"\boutlook|\bprognosis|\bcomplications?"),
        ("prevention", r"\bprevent"),
        ("overview", r"\bcauses?\b|\brisk|\bhow many|\bwho gets|\bwhat (?:is|are)\b"),
    )
)  # fmt: skip


def answered_question_section(question: str) -> str | None:
    """The article section a consumer-health answer belongs in, from the question it answers."""
    for section, pattern in _ANSWERED_QUESTIONS:
        if pattern.search(question):
            return section
    return None


def label_section(section_path: tuple[str, ...]) -> str | None:
    """The article section a drug label's passage answers, from its heading path (None for a
    part no rule places, such as clinical pharmacology)."""
    for heading in reversed(section_path[1:] or section_path):
        for section, pattern in _LABEL_SECTIONS:
            if pattern.search(heading):
                return section
    return None


_MEDICINE_WORDS = dict(_RULES)["medicines"]


def speaks_of_medicines(sentence: str) -> bool:
    """Whether a sentence is about medicines, by the words of the medicines rule ("tablets",
    "antibiotic", "statin")."""
    return bool(_MEDICINE_WORDS.search(sentence))


def classify_sentence(sentence: str) -> str:
    """The section a free-text sentence belongs in; 'research' when no rule matches."""
    for section, pattern in _RULES:
        if pattern.search(sentence):
            return section
    return "research"
