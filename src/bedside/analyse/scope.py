"""Scope: whether Bedside should try to answer a question at all.

Rules run in a fixed order and the first that matches decides:

1. UNSAFE: requests for methods or amounts to harm oneself ("how many of my tablets would it take
   to kill me", "which pills ... to stop my heart for good") or someone else, including covertly
   drugging someone ("slip into someone's drink", "make her pass out without her knowing").
2. OUT_OF_SCOPE: legal opinions (employment law included: "can my employer fire me for taking
   sick leave"), requests to write unrelated text (translation into another language included),
   general knowledge.
3. CLINICAL when the question names at least one clinical term, else OUT_OF_SCOPE.

Some out-of-scope rules are "soft": a clinical term overrides them, so that "low-salt recipes for
heart failure" stays clinical while "a recipe for banana bread" does not. Reporting distress is
not unsafe: "I have been thinking about suicide, what help is there?" is a clinical question (and
raises the `suicidal_thoughts` red flag); only asking how to do it is.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from bedside.analyse.readings import blood_pressure_reading
from bedside.analyse.red_flags import red_flag_rules
from bedside.analyse.terms import sentences, straight_apostrophes, without_everyday_senses


class ScopeVerdict(enum.StrEnum):
    """Whether a question is one Bedside should answer."""

    CLINICAL = "clinical"
    OUT_OF_SCOPE = "out_of_scope"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    """A verdict, the rule that reached it, and what to tell the user ('' when clinical)."""

    verdict: ScopeVerdict
    rule: str
    message: str


_KNOWLEDGE_BASE = (
    "Bedside answers clinical questions from its guideline and research knowledge base"
)
_REPHRASE = (
    "Please ask a health question, naming the condition, symptom, test or treatment you want to "
    "know about (for example: 'What are the treatment options for sciatica?')."
)

# The crisis lines and emergency numbers are worded once, in red_flags.yaml, and put in when a
# decision is made (`RedFlagRules.fill`): the red-flag messages give them in the same words.
_SELF_HARM_MESSAGE = (
    "It sounds like you may be going through something very painful. Bedside cannot help with "
    "this question, but you do not have to face this alone, and support is there right now. "
    "{crisis_lines} If you are in danger now, call your emergency number "
    "({emergency_numbers}) or go to the nearest emergency department."
)
_HARM_TO_OTHERS_MESSAGE = (
    "Bedside cannot help with questions about harming anyone. If someone is in danger now, call "
    "your emergency number ({emergency_numbers}). If you are having thoughts of hurting "
    "someone, please talk to a doctor or mental health professional soon. {crisis_lines}"
)
LEGAL_MESSAGE = (
    f"{_KNOWLEDGE_BASE}. It cannot give legal opinions, such as whether someone is liable or "
    "whether a claim would succeed. For that, please speak to a lawyer (solicitor or attorney) "
    "or the relevant professional or regulatory body. If you also have a health question, for "
    "example about a diagnosis or treatment, please ask it on its own."
)
WRITING_MESSAGE = (
    f"{_KNOWLEDGE_BASE}; it does not write poems, stories, code, letters or other general text. "
    f"{_REPHRASE}"
)
GENERAL_KNOWLEDGE_MESSAGE = (
    f"{_KNOWLEDGE_BASE}, so it cannot answer general-knowledge questions. {_REPHRASE}"
)
BILLING_MESSAGE = (
    f"{_KNOWLEDGE_BASE}; it cannot help with insurance, billing, coverage or claims. Your "
    "insurer, the provider's billing office or a patient advocate can. If you also have a health "
    "question, please ask it on its own."
)
ACCOUNT_MESSAGE = (
    f"{_KNOWLEDGE_BASE}; it cannot help with passwords, sign-ins or patient portal accounts. "
    "The portal's help desk or your clinic's reception can. If you also have a health question, "
    "please ask it on its own."
)
ANIMAL_MESSAGE = (
    f"{_KNOWLEDGE_BASE} about people, not animals or plants. For a pet, please ask a vet: "
    "medicines that are safe for people can be dangerous for animals."
)
NO_CLINICAL_TERMS_MESSAGE = (
    f"Bedside could not find a health topic in this question. {_KNOWLEDGE_BASE}. {_REPHRASE}"
)


@dataclass(frozen=True, slots=True)
class _Rule:
    rule: str
    verdict: ScopeVerdict
    pattern: re.Pattern[str]
    message: str  # may hold {crisis_lines} and {emergency_numbers}
    unless_clinical: bool = False  # soft: a clinical term in the question overrides the rule
    # A remark beside the question: the rule holds only if no other sentence asks about health
    # ("Is yoga as good as physical therapy for my back? Insurance only covers one.").
    unless_asked_beside: bool = False


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


# Words that turn a method question into a safety question ("without overdosing", "avoid").
_NOT_A_METHOD = (
    r"(?!(?:without|not|avoid|avoiding|safe|safely|before|stop|stopping|prevent|never)\b)"
)
_ANY_WORD = rf"{_NOT_A_METHOD}[\w'-]+\s+"
_SELF = r"(?:myself|yourself|oneself|themselves|himself|herself)"
_PERSON = (
    r"(?:some(?:one|body)|a\s+(?:person|child|baby|man|woman|kid)|people|others|him|her|them"
    r"|my\s+(?:wife|husband|partner|mum|mom|mother|dad|father|son|daughter|child|kid|baby|boss"
    r"|neighbou?r|brother|sister|friend|girlfriend|boyfriend|grandmother|grandfather|grandma"
    r"|grandpa|colleague|teacher|roommate|flatmate))"
)
_DEATH = (
    rf"kill\s+(?:me|{_SELF}|you|{_PERSON})\b"
    r"|(?:take\s+to|need\s+to|enough\s+to|i'?d|i\s+would|would\s+i|will\s+i|before\s+i|until\s+i"
    r"|for\s+me\s+to|for\s+(?:someone|somebody|a\s+person)\s+to|to)\s+die\b"
    r"|(?:be|is|are|would\s+be)\s+(?:fatal|lethal|deadly)\b"
    r"|end\s+(?:my|your|their)\s+(?:own\s+)?life\b|overdose\b|od\b"
)
# "stop my heart" as an end, not "stop my heart failure tablets" or "stop my heart racing".
_HEART_STOPS = (
    r"(?:\s+(?:for\s+good|forever|completely|permanently)\b|\s+beating\b(?!\s+(?:so\s+)?(?:fast"
    r"|hard|quickly|irregularly|too))|(?=\s*(?:[.?!,;]|$|(?:and|so|if|when|with|quickly"
    r"|painlessly|in\s+my\s+sleep)\b)))"
)
# An ask for an amount or for which pills ...
_AMOUNT_ASK = (
    r"how\s+(?:many|much)|what\s+(?:amount|number|quantity|dose)"
    r"|(?:which|what)\s+(?:of\s+)?(?:(?:my|these|those|the|his|her|our)\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:pills|tablets|medicines|medications|meds|drugs|capsules|painkillers|insulin)"
    r"|(?:whole|full|entire)\s+(?:box|bottle|packet|pack|strip|blister\s+pack)"
    r"|\d+\s*(?:mg|g|grams|tablets|pills|capsules)"
)
# ... with, later in the sentence, the aim of dying ("would it take to kill me", "stop my heart
# for good"); "without", "avoid", "safe" and the like in between make it a safety question.
_SELF_DEATH = (
    r"kill\s+(?:me|myself)|(?:take|enough|amount|need)\s+to\s+die"
    r"|(?:i'?d|i\s+would|would\s+i|will\s+i|for\s+me\s+to|until\s+i|so\s+(?:that\s+)?i)\s+die"
    rf"|end\s+(?:my\s+(?:own\s+)?life|it\s+all|it)|stop\s+my\s+heart{_HEART_STOPS}"
    r"|never\s+wake\s+up"
    r"|(?:go\s+to\s+sleep|fall\s+asleep|sleep)\s+(?:for\s+good|forever)"
)
_NOT_SAFETY = r"(?!\b(?:without|avoid\w*|not|never|safe\w*|prevent\w*|stop\s+it)\b)"

# Covertly drugging someone: slipping or spiking something into another person's drink or food,
# or doing it without their knowledge, to make them pass out or unconscious.
_OTHERS_DRINK = (
    r"(?:some(?:one|body)'?s|a\s+(?:stranger|person|girl|woman|man|guy|boy|date)'?s|his|her|their"
    r"|my\s+[\w-]+'?s)\s+(?:[\w'-]+\s+)?(?:drinks?|food|meals?|tea|coffee|glass|cup|wine|beer"
    r"|dinner|juice)"
)
_STRANGERS_DRINK = (
    r"(?:some(?:one|body)'?s|a\s+(?:stranger|person|girl|woman|man|guy|boy|date)'?s)\s+"
    r"(?:[\w'-]+\s+)?(?:drinks?|food|meals?|tea|coffee|glass|cup|wine|beer|dinner|juice)"
)
_SLIP = r"(?:slip|slips|slipped|slipping|sneak\w*|spik(?:e|es|ed|ing))"
_COVERT = (
    rf"{_SLIP}\s+(?:[\w'-]+\s+){{0,5}}?(?:in|into)\s+{_OTHERS_DRINK}|spik(?:e|es|ed|ing)\s+"
    rf"{_OTHERS_DRINK}"
    r"|without\s+(?:them|him|her|someone|somebody|the\s+person|my\s+[\w-]+)\s+(?:\w+\s+)?"
    r"(?:knowing|noticing|realising|realizing|finding\s+out|being\s+aware)"
    r"|without\s+(?:their|his|her)\s+(?:knowledge|consent)"
)
_INCAPACITATE = (
    r"pass(?:es|ed)?\s+out|unconscious|knock(?:s|ed)?\s+(?:[\w'-]+\s+)?out|black(?:s|ed)?\s+out"
    r"|sedat\w+|incapacitat\w+|paralys\w+|(?:can'?t|cannot|unable\s+to|won'?t)\s+(?:resist|move"
    r"|remember|fight)"
)

_EMPLOYER = (
    r"(?:my|the|an?|your|their|his|her)\s+(?:employer|boss|manager|line\s+manager|company|firm"
    r"|work(?:place)?|job|hr|supervisor|organi[sz]ation)|employers"
)
_EMPLOYER_MAY = r"(?:legally\s+|still\s+|just\s+|(?:allowed|able|permitted|entitled)\s+to\s+)?"
_DISMISS = (
    r"fire|sack|dismiss|let\s+(?:me|him|her|them|us)\s+go"
    r"|make\s+(?:me|him|her|them|us)\s+redundant"
)
_LANGUAGES = (
    r"english|french|spanish|german|italian|portuguese|polish|dutch|russian|ukrainian|arabic"
    r"|chinese|mandarin|cantonese|japanese|korean|hindi|urdu|punjabi|bengali|gujarati|tamil"
    r"|turkish|greek|hebrew|persian|farsi|swahili|somali|romanian|vietnamese|thai|tagalog|welsh"
    r"|irish|gaelic|swedish|norwegian|danish|finnish|czech|hungarian|another\s+language"
    r"|a\s+(?:different|foreign)\s+language|other\s+languages"
)

_RULES: tuple[_Rule, ...] = (
    _Rule(
        "self_harm_method",
        ScopeVerdict.UNSAFE,
        _rx(
            # "how many X pills would kill me", "how much insulin to overdose"
            rf"\bhow\s+(?:many|much)\s+(?:{_ANY_WORD}){{0,6}}?(?:{_DEATH})",
            r"\b(?:lethal|fatal|deadly|killing)\s+(?:dose|amount|quantity|level|number)s?\b",
            r"\b(?:most|more|least)\s+(?:lethal|deadly|fatal)\b",
            # "painless way to die", "easiest method of suicide"
            r"\b(?:painless|easiest|easy|quickest|quick|fastest|best|surest|peaceful|gentlest"
            r"|gentle|simplest|most\s+effective|reliable)\s+(?:[\w'-]+\s+){0,2}?(?:way|ways|method"
            r"|methods|means)\s+(?:to|of|for)\s+(?:die|dying|death|kill\w*\s+(?:me|myself"
            r"|yourself|oneself)|commit\w*\s+suicide|suicide|end\s+(?:my|your|one's)\s+(?:own\s+)?"
            r"life|end\s+it|overdos\w*|self[\s-]?harm\w*|(?:hurt\w*|harm\w*|cut\w*|injur\w*"
            r"|burn\w*)\s+(?:myself|yourself|oneself))",
            r"\b(?:ways?|methods?|places?)\s+to\s+(?:hurt|harm|cut|injure|burn)\s+(?:myself|yourself)\b",
            # "how do I kill myself", "how to overdose on X"
            rf"\bhow\s+(?:do\s+i|can\s+i|could\s+i|should\s+i|would\s+i|to|does\s+one|do\s+you"
            rf"|would\s+someone|would\s+you)\s+(?:{_ANY_WORD}){{0,2}}?(?:kill|hang|drown|poison"
            rf"|suffocate|shoot|stab|cut|hurt|harm|starve|electrocute)\s+{_SELF}\b"
            # "how could I hurt myself lifting weights?" asks about injury risk
            r"(?!\s+(?:by|if|when|while|doing|during|lifting|running|exercising|playing|at\s+the"
            r"|at\s+work|from))",
            rf"\bhow\s+(?:do\s+i|can\s+i|could\s+i|should\s+i|would\s+i|to|does\s+one|do\s+you)\s+"
            rf"(?:{_ANY_WORD}){{0,2}}?(?:commit\s+suicide|end\s+(?:my|it)\s+(?:own\s+)?(?:life|all)"
            r"|take\s+(?:my|your)\s+(?:own\s+)?life|overdose|od\b|take\s+an\s+overdose)",
            r"\b(?:how|where|best\s+way)\s+(?:[\w'-]+\s+){0,3}?(?:cut|slit)\s+(?:my|your)\s+wrists?\b",
            r"\b(?:what|which)\s+(?:[\w'-]+\s+){0,3}?(?:can|could|would|will|should)\s+(?:i\s+)?"
            r"(?:use\s+to\s+)?(?:kill\s+(?:me|myself)|overdose\s+on|od\s+on)\b",
            # "how many of my tablets would it take to kill me", "which of my pills ... to stop my
            # heart for good"
            rf"\b(?:{_AMOUNT_ASK})\b(?:{_NOT_SAFETY}[^.?!]){{0,120}}?\b(?:{_SELF_DEATH})\b",
        ),
        _SELF_HARM_MESSAGE,
    ),
    _Rule(
        "harm_to_others",
        ScopeVerdict.UNSAFE,
        _rx(
            rf"\bhow\s+(?:do\s+i|can\s+i|could\s+i|would\s+i|should\s+i|to|would\s+you|do\s+you"
            rf"|would\s+someone)\s+(?:{_ANY_WORD}){{0,2}}?(?:kill|poison|hurt|harm|injure|murder"
            rf"|strangle|suffocate|stab|shoot)\s+{_PERSON}",
            r"\b(?:untraceable|undetectable)\s+(?:poisons?|drugs?|ways?\s+to\s+kill)\b",
            r"\bpoison\w*\s+(?:[\w'-]+\s+){0,3}?without\s+(?:being\s+|getting\s+)?(?:detected"
            r"|caught|noticed|a\s+trace)",
            # "which medicines could I slip into someone's drink", "spike a stranger's drink"
            rf"\b{_SLIP}\s+(?:[\w'-]+\s+){{0,5}}?(?:in|into)\s+{_STRANGERS_DRINK}\b"
            rf"|\bspik(?:e|es|ed|ing)\s+{_STRANGERS_DRINK}\b",
            # "... into his tea to knock him out", "make her pass out without her knowing"
            rf"\b(?:{_COVERT})\b[^.?!]{{0,100}}?\b(?:{_INCAPACITATE})\b"
            rf"|\b(?:{_INCAPACITATE})\b[^.?!]{{0,100}}?\b(?:{_COVERT})\b",
        ),
        _HARM_TO_OTHERS_MESSAGE,
    ),
    _Rule(
        "legal_opinion",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:sue|sues|suing|sued|lawsuits?|law\s+suits?|litigat\w+|liability|malpractice"
            r"|negligen(?:t|ce)|lawyers?|attorneys?|solicitors?|court\s+case)\b",
            r"\bliable\b(?!\s+to\b)",  # "liable to bleed" is a clinical idiom
            r"\b(?:compensation|negligence|injury)\s+claims?\b|\bclaim\s+(?:for\s+)?compensation\b",
            r"\blegal\s+(?:action|advice|case|claim|rights?|opinion)\b",
            r"\bfile\s+a\s+(?:claim|complaint)\s+against\b",
            r"\b(?:landlord|tenant)\b[^.?!]{0,40}?\bevict\w*|\bevict\w*\b[^.?!]{0,40}?"
            r"\b(?:landlord|tenant|flat|apartment|home)\b",
            # employment law: "can my employer fire me", "can I be sacked for being off sick"
            rf"\b(?:can|could|may|will|would|is|are)\s+(?:{_EMPLOYER})\s+{_EMPLOYER_MAY}"
            rf"(?:{_DISMISS}|discipline|suspend|demote|stop\s+(?:my|his|her|their)\s+(?:sick\s+)?pay"
            r"|refuse\s+(?:me\s+|him\s+|her\s+|them\s+)?(?:sick\s+(?:leave|pay)|time\s+off))\b",
            rf"\b(?:can|could|may|will|would)\s+(?:they|he|she)\s+{_EMPLOYER_MAY}(?:{_DISMISS})"
            r"\s+(?:me|him|her|them|us)\b",
            r"\b(?:can|could|will|would|might|may)\s+(?:i|you|he|she|they|someone|an?\s+(?:employee"
            r"|worker|nurse|doctor))\s+(?:legally\s+)?(?:be|get)\s+(?:fired|sacked|dismissed"
            r"|disciplined|suspended|demoted|let\s+go|made\s+redundant)\b",
            rf"\b(?:legal|lawful|illegal|unlawful|allowed)\s+(?:for\s+(?:[\w'-]+\s+){{1,3}})?to\s+"
            rf"(?:{_DISMISS}|discipline)\b",
            r"(?:\brights\b|\b(?:have|has|got)\s+(?:a|the|any)\s+right\b|\bentitled\b"
            r"|\bentitlements?\b)\s+(?:to\s+|for\s+|on\s+|about\s+|at\s+)?(?:[\w'-]+\s+){0,2}?"
            r"(?:sick\s+(?:leave|pay|days?|notes?)|statutory\s+sick\s+pay|time\s+off(?:\s+work)?"
            r"|paid\s+leave|maternity\s+(?:leave|pay)|reasonable\s+adjustments)\b",
            r"\b(?:unfair(?:ly)?|wrongful(?:ly)?|constructive(?:ly)?)\s+(?:dismiss\w*|terminat\w*"
            r"|fired|sacked)|\bemployment\s+(?:law|tribunal|rights|lawyer|contract|dispute)s?\b"
            r"|\bdisciplinary\s+(?:hearing|action|meeting|procedure|process)\b",
        ),
        LEGAL_MESSAGE,
    ),
    # Health words in another sense, or health as a business: these win over clinical terms.
    _Rule(
        "billing_or_insurance",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:insurance|insurer|medicare|medicaid)\b[^.?!]{0,60}?\b(?:denied|deny|denies|denying"
            r"|claims?|premiums?|plans?|appeal|coverage|covers?|deductible|switch)\b",
            r"\b(?:cpt|icd[\s-]?10|billing)\s+codes?\b|\b(?:hospital|medical)\s+bills?\b"
            r"|\bco-?pays?\b|\bdeductibles?\b|\b(?:healthcare|pharma\w*|biotech)\s+stocks?\b",
            r"\blate\s+fees?\b|\b(?:bill|invoice|statement)s?\b[^.?!]{0,90}?\b(?:overdue|unpaid"
            r"|late|collections?)\b",
        ),
        BILLING_MESSAGE,
        unless_asked_beside=True,
    ),
    _Rule(
        "accounts_and_sign_in",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:reset|forgot(?:ten)?|change|recover|unlock)\s+(?:my\s+|the\s+|a\s+)?"
            r"(?:password|passcode|pin|username|log-?in|account)\b",
            r"\b(?:account|log-?in|sign-?in|portal)\b[^.?!]{0,40}?\b(?:locked|locked\s+out"
            r"|won't\s+let\s+me\s+(?:in|log\s+in|sign\s+in)|not\s+working|password)\b",
        ),
        ACCOUNT_MESSAGE,
        unless_asked_beside=True,
    ),
    _Rule(
        "animals_or_plants",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            # The animal's own health: "can I give my dog ibuprofen", "my cat keeps being sick";
            # never a person's ("my dog bit me", "am I allergic to my cat").
            r"^(?!.*\b(?:bit|bites|bitten|biting|scratch\w*|catch|caught|allerg\w*|rabies"
            r"|tetanus|asthma|pregnan\w*)\b)"
            r".*\b(?:(?:give|giving|gave|for)\s+(?:my|our|the|a)\s+|(?:my|our)\s+)"
            r"(?:dog|dogs|puppy|cat|cats|kitten|pet|pets|horse|rabbit|hamster|parrot|budgie)\b"
            r"(?:\s+(?:has|is|keeps|was|seems|won't|isn't|for)\b|[^.?!]{0,30}?\b(?:ibuprofen"
            r"|paracetamol|tylenol|aspirin|medicine|pills?|tablets?|limp\w*|vet)\b)",
            r"\b(?:tomato|plants?|leaves|lawn|garden|tree|roses?|seedlings?|crops?)\b[^.?!]{0,60}?"
            r"\b(?:disease|blight|spots?|fungus|mould|mold|yellow|wilt\w*)\b",
        ),
        ANIMAL_MESSAGE,
    ),
    # Health words in another sense ("my laptop has a virus", "bleed the radiators"): general
    # knowledge whatever clinical words it holds.
    _Rule(
        "general_knowledge",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:laptop|computer|pc|mac|phone|website|server|database|app|browser|router)\b"
            r"[^.?!]{0,60}?\b(?:virus|viruses|malware|infected|sick|diagnos\w+|hung|crash\w*)\b",
            r"\b(?:kill|killing)\s+(?:a|the|this|my)?\s*(?:hung\s+)?(?:process|task|job|thread)\b",
            r"\bbleed(?:ing)?\s+(?:the\s+|my\s+)?(?:radiators?|brakes?|brake\s+lines?)\b",
            r"\b(?:car|cars|car's|engine|wheel\s+arches?|bike|bicycle|boat)\b[^.?!]{0,60}?\b(?:rust"
            r"|shudder\w*|stall\w*|misfir\w*|check\s+engine)\b|\bcheck\s+engine\s+light\b"
            r"|\brust\b[^.?!]{0,40}?\b(?:car|cars|car's|wheel\s+arches?|bike|boat|gate|fence)\b",
            r"\bpain\s+points?\b[^.?!]{0,40}?\b(?:startup|business|customers?|saas|b2b|product)\b"
            r"|\b(?:startup|business|saas|b2b)\b[^.?!]{0,40}?\bpain\s+points?\b",
            r"\bcure\s+(?:salmon|bacon|ham|meat|fish|concrete|resin)\b|\bcold\s+brew\b",
            r"\b(?:workout|gym)\s+playlist\b|\bstripped\s+screw\b",
            r"\b(?:solve|simplify)\s+[\dx]|\b(?:my|for\s+my)\s+(?:homework|essay|assignment)\b",
            r"\b(?:driving\s+)?licen[cs]e\s+is\s+suspended\b",
            r"\b(?:steak|roast|turkey)\b[^.?!]{0,40}?\b(?:rest|cook\w*)\b",
            r"\bwhere\s+(?:do|can|should|would)\s+(?:i|we|you)\s+park\b|\b(?:hospital|clinic)"
            r"\s+(?:car\s+park|parking)\b|\bpark(?:ing)?\s+(?:at|near)\s+the\s+(?:hospital|clinic)\b",
            r"\b(?:wine|wines|beer|beers|cocktail)\s+(?:goes|go|pairs?|pairing|to\s+serve|to\s+drink)"
            r"\s+(?:best\s+|well\s+)?with\b",
            r"\bairlines?\b[^.?!]{0,80}?\b(?:wheelchair|special\s+assistance|assistance|luggage"
            r"|baggage|seats?)\b",
            # A stain to shift ("red wine out of a cream carpet", "blood out of my jeans").
            r"\b(?:get|getting|got|remove|removing|shift|lift)\s+(?:[\w'-]+\s+){0,4}?(?:out\s+of|off|from)"
            r"\s+(?:a|an|the|my|our|his|her|their)\s+(?:[\w'-]+\s+){0,2}?(?:carpets?|rugs?|sofa|couch"
            r"|shirts?|dress|jeans|clothes|mattress|fabric|upholstery|tablecloth|sheets?)\b"
            r"|\b(?:carpets?|rugs?|sofa|couch|upholstery)\s+stains?\b",
        ),
        GENERAL_KNOWLEDGE_MESSAGE,
    ),
    _Rule(
        "unrelated_writing",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:write|compose|draft|generate|create|make)\s+(?:me\s+|us\s+)?(?:[\w'-]+\s+){0,4}?"
            r"(?:poems?|songs?|lyrics|stor(?:y|ies)|essays?|novels?|jokes?|limericks?|haikus?|raps?"
            r"|sonnets?|code|scripts?|programs?|programmes?|functions?|tweets?|blog\s+posts?"
            r"|screenplays?|cover\s+letters?)\b",
            r"\btell\s+me\s+a\s+(?:joke|story)\b|\bcover\s+letter\b",
            r"\b(?:python|javascript|typescript|java|sql|c\+\+|rust|html|css|regex)\s+(?:code"
            r"|script|function|program|query)\b",
            # translation into a language ("into plain English" is an explanation, not this)
            rf"\btranslat(?:e|es|ed|ing|ion)\b[^.?!]{{0,100}}?\b(?:into|to|in)\s+(?:{_LANGUAGES})\b",
            rf"\bhow\s+(?:do|would|can|should)\s+(?:you|i|we)\s+say\b[^.?!]{{0,80}}?\bin\s+"
            rf"(?:{_LANGUAGES})\b|\bwhat(?:'s|\s+is)\s+(?:the\s+)?(?:{_LANGUAGES})\s+(?:word\s+)?for\b",
        ),
        WRITING_MESSAGE,
    ),
    _Rule(
        "unrelated_writing",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\b(?:write|compose|draft|generate|create)\s+(?:me\s+)?(?:[\w'-]+\s+){0,4}?"
            r"(?:e-?mails?|letters?|messages?|texts?|memos?|speech|toast|caption|slogan"
            r"|summar(?:y|ies)|posts?|reviews?)\b",
        ),
        WRITING_MESSAGE,
        unless_clinical=True,  # "draft a letter to my GP about my MRI results" is about health
    ),
    _Rule(
        "general_knowledge",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\bcapital\s+(?:city\s+)?of\b",
            r"\bwho\s+(?:won|wins|will\s+win|is\s+winning|scored)\b",
            r"\b(?:stock|share)\s+prices?\b|\bstock\s+market\b|\bexchange\s+rates?\b"
            r"|\b(?:bitcoin|cryptocurrenc(?:y|ies)|crypto)\b",
            r"\bweather\s+forecast\b|\bwhat(?:'s|\s+is)\s+the\s+weather\b|\bwill\s+it\s+(?:rain"
            r"|snow)\b",
            r"\blottery\b|\bhoroscopes?\b|\bzodiac\b|\bstar\s+sign\b",
            r"\b(?:president|prime\s+minister|king|queen)\s+of\b",
        ),
        GENERAL_KNOWLEDGE_MESSAGE,
    ),
    _Rule(
        "general_knowledge",
        ScopeVerdict.OUT_OF_SCOPE,
        _rx(
            r"\brecipes?\b|\bhow\s+(?:do\s+(?:i|you)\s+|to\s+)(?:cook|bake|roast|fry|grill)\b",
            r"\b(?:football|soccer|basketball|baseball|cricket|rugby|tennis|golf|hockey|nba|nfl"
            r"|nhl|mlb|premier\s+league|champions\s+league|world\s+cup|super\s+bowl|olympics?"
            r"|formula\s+(?:1|one)|f1)\b",
            r"\b(?:scores?|results?|fixtures?)\s+(?:of|in|from)\s+(?:the|last\s+night'?s|today'?s)\s+"
            r"(?:game|match|final|race)\b",
            r"\bweather\b|\bforecast\b",
            r"\bpopulation\s+of\b|\b(?:tallest|largest|biggest|smallest|longest)\s+(?:building"
            r"|mountain|country|city|ocean|planet|desert|lake|river|animal)\b",
            r"\bhow\s+far\s+is\b|\bdistance\s+(?:from|between)\b|\btranslate\b|\btime\s+zone\b"
            r"|\bwhat\s+time\s+is\s+it\b|\bmeaning\s+of\s+life\b|\bgreat\s+depression\b",
            r"\b(?:movies?|films?|tv\s+shows?|series|books?|album)\s+(?:recommendations?|reviews?"
            r"|to\s+watch|to\s+read)\b|\bwho\s+(?:directed|wrote|sang|starred|invented|discovered"
            r"|painted)\b",
            r"\b(?:history|year|date)\s+of\s+the\s+(?:war|battle|revolution)\b|\bworld\s+war\b",
        ),
        GENERAL_KNOWLEDGE_MESSAGE,
        unless_clinical=True,  # "does cold weather worsen arthritis pain?" is clinical
    ),
)


_UNWELL = re.compile(r"\b(?:sick|ill|unwell|poorly|healthy|healthier|health)\b", re.IGNORECASE)


def classify_scope(question: str, *, extra_terms: Iterable[str] = ()) -> ScopeDecision:
    """Decide whether a question is clinical, out of scope or unsafe; the first rule wins.

    `extra_terms` adds clinical terms (for example a knowledge base's own topic names) to the
    bundled list for this call.
    """
    text = without_everyday_senses(straight_apostrophes(question))
    clinical = _has_clinical_term(text, extra_terms)
    # A soft rule gives way to a clinical term, but not to a word for being unwell in general:
    # "a recipe for chicken soup that's good when you're sick" is still a recipe.
    specific = clinical and _has_clinical_term(_UNWELL.sub(" ", text), extra_terms)
    for rule in _RULES:
        if rule.unless_clinical and specific:
            continue
        if not rule.pattern.search(text):
            continue
        if rule.unless_asked_beside and _asked_beside(rule.pattern, text, extra_terms):
            continue
        return ScopeDecision(rule.verdict, rule.rule, red_flag_rules().fill(rule.message))
    if clinical:
        return ScopeDecision(ScopeVerdict.CLINICAL, "clinical_terms", "")
    return ScopeDecision(ScopeVerdict.OUT_OF_SCOPE, "no_clinical_terms", NO_CLINICAL_TERMS_MESSAGE)


def _asked_beside(pattern: re.Pattern[str], text: str, extra_terms: Iterable[str]) -> bool:
    """Whether a sentence the rule does not match names something clinical specifically."""
    others = " ".join(part for part in sentences(text) if not pattern.search(part))
    return bool(others) and _has_clinical_term(_UNWELL.sub(" ", others), extra_terms)


# -- clinical terms -------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"'s\b")
_WORD = re.compile(r"[^\W_]+")


def _singular(word: str) -> str:
    """A crude singular, applied alike to terms and questions, so only consistency matters."""
    if len(word) <= 3:  # "gps" -> "gp" would be nice, but "has", "was", "its" must stay apart
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # injuries -> injury
    if word.endswith(("sses", "xes", "zes", "ches", "shes", "uses")):
        return word[:-2]  # rashes -> rash, viruses -> virus
    if word.endswith(("ss", "us", "is")):
        return word  # abscess, sinus, arthritis
    if word.endswith("s"):
        return word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    text = _POSSESSIVE.sub("", straight_apostrophes(text.casefold()))
    return tuple(_singular(word) for word in _WORD.findall(text))


def _index(terms: Iterable[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(words for words in map(_words, terms) if words)


@functools.cache
def bundled_clinical_terms() -> frozenset[str]:
    """The bundled clinical terms (`clinical_terms.txt`), lower-case; read once, on first use."""
    text = (
        resources.files("bedside.analyse")
        .joinpath("clinical_terms.txt")
        .read_text(encoding="utf-8")
    )
    terms = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(term for term in terms if term)


@functools.cache
def bundled_specific_terms() -> frozenset[str]:
    """The bundled terms that name a condition, a test or a treatment (not anatomy, symptoms,
    people or places): a question naming one the knowledge base lacks asks about something
    Bedside does not hold."""
    return _terms_under(("conditions", "tests", "treatments"))


@functools.cache
def bundled_treatment_terms() -> frozenset[str]:
    """The bundled terms that name a treatment or a procedure ("prolotherapy", "LINX")."""
    return _terms_under(("treatments",))


@functools.cache
def bundled_condition_terms() -> frozenset[str]:
    """The bundled terms that name a condition ("spinal stenosis", "gout")."""
    return _terms_under(("conditions",))


def _terms_under(headings: tuple[str, ...]) -> frozenset[str]:
    text = (
        resources.files("bedside.analyse")
        .joinpath("clinical_terms.txt")
        .read_text(encoding="utf-8")
    )
    terms: set[str] = set()
    wanted = False
    for line in text.splitlines():
        if line.startswith("# --"):
            wanted = line.strip("#- ").startswith(headings)
            continue
        term = line.split("#", 1)[0].strip().lower()
        if wanted and term:
            terms.add(term)
    return frozenset(terms)


@functools.cache
def _bundled_index() -> frozenset[tuple[str, ...]]:
    return _index(bundled_clinical_terms() | lay_health_terms())


@functools.cache
def lay_health_terms() -> frozenset[str]:
    """Everyday words for bodies, symptoms and health (`lay_health_terms.txt`): a question with
    one is about health, for the scope decision only; read once, on first use."""
    text = (
        resources.files("bedside.analyse")
        .joinpath("lay_health_terms.txt")
        .read_text(encoding="utf-8")
    )
    terms = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(term for term in terms if term)


def _has_clinical_term(question: str, extra_terms: Iterable[str]) -> bool:
    if blood_pressure_reading(question):  # "is 145/90 high?"
        return True
    indexes = [_bundled_index(), _index(extra_terms)]
    longest = max((len(term) for index in indexes for term in index), default=0)
    words = _words(question)
    for start in range(len(words)):
        for end in range(start + 1, min(start + longest, len(words)) + 1):
            if any(words[start:end] in index for index in indexes):
                return True
    return False
