"""Red flags: wording in a question that suggests an emergency, found by pattern matching.

Each `RedFlag` has case-insensitive patterns for clinician wording ("saddle anaesthesia") and lay
wording ("numb between my legs"). A flag is raised when any of its patterns matches a part of the
question that is not negated.

Negation is deliberately simple. A cue ("no", "not", "without", "never", "neither",
"deny"/"denies"/"denied", "absence of", "negative for", or a negated auxiliary such as "don't",
"doesn't", "isn't", "hasn't") covers the words after it:

- up to four words of a first item, then further items of a list joined by "or", "and", "nor",
  "/" or commas: "without fever, numbness or bladder problems" negates all three. Commas continue
  the negation only in a list that is closed by "or"/"and"/"nor" ("A, B or C", "A, B, or C"); a
  bare comma ("no fever, vomiting blood"), a comma after the closing joiner ("no cough or fever,
  vomiting blood") or a second, different joiner ("no cough or fever and vomiting blood") ends it.
- It stops at a clause break: `. ; : ! ? ( )`, a dash, a line break, a contrast word ("but",
  "however", "although", "though", "except", "yet", "whereas"), a new subject or time word ("I",
  "he", "there", "now", "then", "suddenly", ...), or a list item that has a verb of its own or
  starts with "my"/"his"/"her" (", and now I'm vomiting blood", "and has a fever").

A match is ignored when it, or any one of the features a combined pattern needs, starts inside
such a span, unless the cue is part of one of the match's own features: patterns whose wording
contains its own negation ("a rash that does not fade", "inhaler isn't helping", "no feeling in my
groin") are not cancelled by it. "not sure", "not only", "without trying", "for no reason",
"no longer", "don't know/think", "with or without" and "whether or not" are not negations;
"can't"/"cannot" never are, since inability is often the symptom ("I can't pee").

The patterns err towards flagging: a false alarm costs a line of advice, a miss can cost a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RedFlag:
    """An emergency a question may describe, and what to tell each audience about it."""

    flag_id: str
    label: str
    clinician_message: str
    patient_message: str  # plain language: says what to do now
    patterns: tuple[re.Pattern[str], ...]
    # The condition whose card answers a question raising this flag and naming no condition
    # ("he has a plan to end his life" is answered from the depression card, led by when to
    # get help), if there is one.
    condition_cards: tuple[str, ...] = ()


# -- negation -------------------------------------------------------------------------------------

_NEGATION_CUE = re.compile(
    r"(?<!\bor\s)"  # "with or without", "whether or not" negate nothing
    r"(?:\b(?:no|not|without|never|neither|den(?:y|ies|ied|ying)|absence\s+of|negative\s+for)\b"
    r"|\b(?:do|does|did|is|are|was|were|has|have|had)n'?t\b)"  # not "can't": often the symptom
    r"(?!\s+(?:sure|certain|only|just|trying|reason|longer|matter|know|think|understand"
    r"|remember|recall|believe|mind|care|wonder|reali[sz]e|why|what|how|whether|if)\b)",
    re.IGNORECASE,
)
# Words, and single marks; "38.5", "left-sided" and "80/50" are one word each.
_TOKEN = re.compile(r"\s*(?:(?P<word>\w[\w']*(?:(?:-|[./](?=\d))\w[\w']*)*)|(?P<mark>[^\w\s]))")
_ITEM_WORDS = 4  # words of one list item a cue covers
_JOINERS = frozenset({"and", "or", "nor", "&", "/"})
# Words that start a new clause: a contrast, a subject, or a change of time.
_CLAUSE_OPENERS_TEXT = """
    but however although though except yet whereas
    i i'm im i've ive i'd i'll he he's she she's they they're they've we we're we've you you're
    you've it it's there there's here now then suddenly today tonight yesterday lately recently
    currently still also since
"""
_CLAUSE_OPENERS = frozenset(_CLAUSE_OPENERS_TEXT.split())
_POSSESSIVES = frozenset({"my", "his", "her", "their", "our", "your"})
# Finite verbs: a list item with one of these is a clause of its own ("and has a fever").
_FINITE_VERBS_TEXT = """
    is are was were am has have had do does did can can't cannot could couldn't will won't
    would should may might must keep keeps kept start starts started began begins become becomes
    became get gets got go goes went feel feels felt seem seems seemed look looks looked develop
    develops developed notice noticed vomited threw coughed passed collapsed fainted fell woke
    wakes came comes spat brought need needs needed
"""
_FINITE_VERBS = frozenset(_FINITE_VERBS_TEXT.split())
_QUOTES = frozenset({"'", '"'})


def _word_at(text: str, position: int) -> tuple[str | None, int]:
    """The next word (lower case; "&" and "/" count) and the position after it, or None."""
    token = _TOKEN.match(text, position)
    if token is None or token.group("mark") not in (None, "&", "/"):
        return None, position
    return token.group().strip().lower(), token.end()


def _list_item_at(text: str, position: int) -> int | None:
    """The end of the list item starting at `position`, or None if a clause starts there."""
    first, _ = _word_at(text, position)
    if first is None or first in _CLAUSE_OPENERS or first in _POSSESSIVES or first in _JOINERS:
        return None
    end, count = position, 0
    while count < _ITEM_WORDS:
        word, after = _word_at(text, end)
        if word is None or word in _JOINERS or word in _CLAUSE_OPENERS:
            break
        if word in _FINITE_VERBS:
            return None
        end, count = after, count + 1
    return end


def _list_closes(text: str, position: int) -> bool:
    """Whether the items after a comma end with "or"/"and"/"nor" and a last item ("B or C")."""
    while True:
        end = _list_item_at(text, position)
        if end is None:
            return False
        word, after = _word_at(text, end)
        if word in _JOINERS:
            return _list_item_at(text, after) is not None
        token = _TOKEN.match(text, end)
        if token is None or token.group("mark") != ",":
            return False
        joiner, after = _word_at(text, token.end())
        if joiner in _JOINERS:  # serial comma: "A, B, or C"
            return _list_item_at(text, after) is not None
        position = token.end()


def _negation_end(text: str, position: int) -> int:
    """Where the negation of a cue ending at `position` ends (== position: it covers nothing)."""
    end = position
    item_words = 0
    list_joiner = ""  # the first "and"/"or"/"nor" closes the list: "A, B or C"
    while (token := _TOKEN.match(text, position)) is not None:
        mark, word = token.group("mark"), token.group().strip().lower()
        if mark in _QUOTES:
            position = token.end()
            continue
        if mark == "," or word in _JOINERS:
            if item_words == 0 or (mark == "," and list_joiner):
                break  # "no cough or fever, vomiting blood": the list was already closed
            after, joiner = token.end(), word
            if mark == ",":
                next_word, after_joiner = _word_at(text, after)
                joiner = next_word or ""
                if joiner in _JOINERS:
                    after = after_joiner
                elif not _list_closes(text, after):
                    break
            if joiner in ("and", "or", "nor"):
                if list_joiner and joiner != list_joiner:
                    break  # "no cough or fever and vomiting blood": a second coordination
                list_joiner = joiner
            if _list_item_at(text, after) is None:
                break
            position, item_words = after, 0
            continue
        if mark is not None or word in _CLAUSE_OPENERS or item_words == _ITEM_WORDS:
            break
        if item_words and word in _FINITE_VERBS:  # "doesn't have a fever" starts with one
            break
        item_words += 1
        position = end = token.end()
    return end


def _negated_spans(text: str) -> list[tuple[int, int, int]]:
    """(cue start, start, end) of each stretch of the text that a negation cue covers."""
    spans = []
    for cue in _NEGATION_CUE.finditer(text):
        end = _negation_end(text, cue.end())
        if end > cue.end():
            spans.append((cue.start(), cue.end(), end))
    return spans


def _is_negated(match: re.Match[str], spans: list[tuple[int, int, int]]) -> bool:
    # Combined patterns capture each feature in a group; every feature must be un-negated.
    groups = [g for g in range(1, match.re.groups + 1) if match.start(g) >= 0]
    features = [match.span(g) for g in groups] or [match.span()]
    for cue, start, end in spans:
        if any(f_start <= cue < f_end for f_start, f_end in features):
            continue  # the cue is the pattern's own wording: "no feeling in my groin"
        if any(start <= f_start < end for f_start, _ in features):
            return True
    return False


def _matches(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int, int]]) -> bool:
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if not _is_negated(match, spans):
            return True
        position = match.start() + 1  # a later, un-negated occurrence may still follow
    return False


def find_red_flags(question: str) -> list[RedFlag]:
    """The red flags a question raises, in table order, each at most once."""
    text = question.replace("\u2019", "'").replace("\u2018", "'")  # curly apostrophes
    spans = _negated_spans(text)
    return [flag for flag in RED_FLAGS if any(_matches(p, text, spans) for p in flag.patterns)]


# -- pattern building -----------------------------------------------------------------------------


def _near(first: str, second: str, gap: int = 100) -> tuple[str, str]:
    """Two features in one sentence, in either order, each captured for the negation check.

    Two versions: a lazy gap finds the nearest second feature, a greedy one the farthest, so
    that one negated mention ("chest pain, not sweaty, but worse walking") does not hide another.
    """
    sources = []
    for lazy in ("?", ""):
        between = rf"(?:[^.!?;\n]|\.(?=\d)){{0,{gap}}}{lazy}"  # "38.5" does not end a sentence
        sources.append(
            rf"\b({first})\b{between}\b({second})\b|\b({second})\b{between}\b({first})\b"
        )
    return sources[0], sources[1]


def _close(first: str, second: str, words: int = 3) -> str:
    """Two features at most `words` plain words apart (no punctuation), in either order."""
    between = rf"\s+(?:[\w'-]+\s+){{0,{words}}}?"
    return rf"\b({first}){between}({second})\b|\b({second}){between}({first})\b"


def _compile(*sources: str | tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    flat: list[str] = []
    for source in sources:
        flat.extend((source,) if isinstance(source, str) else source)
    return tuple(re.compile(s, re.IGNORECASE) for s in flat)


def _emergency(action: str = "Call your emergency number now") -> str:
    return f"{action} (911 in the US, 999 in the UK, 112 in the EU)"


_W = r"(?:[\w'-]+\s+)"  # one plain word and the space after it
_POSS = r"(?:my|his|her|their|the|your|our)"
_SELF = r"(?:my|him|her|them|your|our)sel(?:f|ves)"
_CANT = r"(?:can'?t|cannot|can\s+not|could(?:n'?t|\s+not)|unable\s+to|not\s+able\s+to)"

_BACK = (
    r"(?:low(?:er)?\s+|upper\s+|mid(?:dle)?\s+)?back\s*(?:pain|ache|injury)|backache|lumbago"
    r"|sciatica|(?:lumbar|spinal|spine|thoracic)\s+pain"
    rf"|pain\s+in\s+{_POSS}\s+(?:lower\s+|upper\s+)?(?:back|spine)"
    r"|back\s+(?:hurts|is\s+hurting|is\s+(?:sore|painful|killing)|aches|aching)"
)
_LEG_SYMPTOMS = (
    r"legs?\s+(?:pain|weakness|numbness)|(?:weak|numb|heavy)\s+legs?|radiculopathy"
    r"|legs?\s+(?:are|is|feel|feels|went|gone|going)\s+(?:weak|numb|heavy|dead)"
    r"|slipped\s+dis[ck]|dis[ck]\s+(?:herniation|prolapse|bulge)|herniated\s+dis[ck]"
)
_FEVER = (
    r"fever(?:s|ish)?|febrile|pyrexi(?:a|al)|(?:high|raised)\s+temp(?:erature)?"
    r"|(?:a|running\s+a)\s+temp(?:erature)?"
    r"|temp(?:erature)?\s+(?:of|is|was)\s+(?:over\s+|above\s+)?(?:3[89]|4[01]|10[0-6])"
    r"|(?:feels?|felt)\s+(?:very\s+|really\s+|so\s+)?hot|hot\s+to\s+(?:the\s+)?touch|burning\s+up"
)
_BREATHLESS = (
    r"breathless(?:ness)?|short(?:ness)?\s+of\s+breath|sob|dyspn(?:o)?ea|out\s+of\s+breath"
    r"|(?:can'?t|cannot|hard\s+to|struggl\w+\s+to|difficulty|trouble)\s+(?:\w+\s+)?"
    r"(?:breath(?:e|ing)?|catch(?:ing)?\s+(?:my|his|her|their)\s+breath)"
    r"|breathing\s+(?:is\s+)?(?:difficult\w*|problems?|hard|fast)|winded|gasping"
)
_SUDDEN = r"sudden(?:ly)?|abrupt(?:ly)?|all\s+of\s+a\s+sudden|out\s+of\s+nowhere|came\s+on\s+fast"

# -- cauda equina ----------------------------------------------------------------------------------

_NUMB = (
    r"numb(?:ness)?|tingl(?:ing|y|es)|pins\s+and\s+needles|no\s+(?:feeling|sensation)"
    r"|(?:reduced|altered|lost|loss\s+of|decreased|diminished|abnormal)\s+(?:feeling|sensation)"
    rf"|{_CANT}\s+feel(?:\s+anything)?|an(?:a)?esthesia|hyp(?:o)?(?:a)?esthesia"
    r"|par(?:a)?esthesia|sensory\s+(?:loss|change|disturbance)s?|feels?\s+(?:dead|strange|funny)"
)
_SADDLE = (
    r"saddle(?:\s+(?:area|region|distribution))?|groin|genital(?:s|ia)?(?:\s+area)?"
    r"|perine(?:um|al)(?:\s+area)?|perianal(?:\s+area)?|inner\s+thighs|down\s+below"
    r"|(?:my|his|her|their|the)\s+(?:bottom|bum|backside|butt|buttocks|private\s+parts|privates"
    r"|crotch|back\s+passage|anus|vagina|penis|scrotum)(?!\s+of)"
    r"|between\s+(?:my|his|her|their|the)\s+legs"
)
_BLADDER_BOWEL = (
    r"(?:bladder|bowel|sphincter|urinary|toilet)\s+(?:dysfunction|disturbance|symptoms|problems?"
    r"|issues?|changes?|incontinence)|incontinen(?:ce|t)"
    rf"|(?:wet|wetting|soiled|soiling|peed|pooed|pooped|messed)\s+{_SELF}"
    r"|(?:trouble|difficulty|problems?|struggling)\s+(?:\w+\s+)?(?:peeing|urinating|weeing"
    r"|passing\s+urine|emptying\s+(?:my|his|her|the)\s+bladder)"
)

_CAUDA_EQUINA = RedFlag(
    flag_id="cauda_equina",
    label="Possible cauda equina syndrome",
    clinician_message=(
        "Features suggesting cauda equina syndrome: arrange emergency MRI and same-day spinal "
        "surgical assessment."
    ),
    patient_message=(
        "These signs can mean the nerves at the bottom of your spine are being squeezed. "
        "This needs to be checked today, because waiting can cause lasting harm. "
        f"Go to the emergency department now, or {_emergency('call your emergency number')}."
    ),
    patterns=_compile(
        _close(_NUMB, _SADDLE),
        r"\b(?:(?:acute|painless|new)\s+)?(?:urinary|bladder)\s+retention\b"
        r"|\bretention\s+of\s+urine\b",
        rf"\b{_CANT}\s+(?:pass\s+(?:urine|water)|urinate|void|pee|wee|piss"
        rf"|go\s+for\s+a\s+(?:pee|wee)|empty\s+{_POSS}\s+bladder)\b",
        r"\b(?:hasn'?t|has\s+not|haven'?t|have\s+not|hadn'?t|had\s+not|didn'?t|did\s+not)\s+"
        r"(?:been\s+able\s+to\s+)?(?:passed|pass|peed|pee|weed|wee|urinated|urinate|voided)\b",
        r"\b(?:lost|loss\s+of|losing|lose|no|poor)\s+(?:bladder|bowel|sphincter)\s+control\b",
        rf"\b(?:lost|loss\s+of|losing|lose|no)\s+control\s+(?:of|over)\s+(?:{_POSS}\s+)?"
        r"(?:bladder|bowels?|urine|stools?|sphincters?)\b",
        rf"\b{_CANT}\s+(?:control|hold)\s+{_POSS}\s+(?:bladder|bowels?|urine|wee|pee|poo|stools?)\b",
        r"\b(?:wet|wetting|peed|pissed|soiled|soiling|pooed|pooped)\s+myself\b",
        r"\b(?:new|sudden|recent|acute)(?:[\s-]+onset)?\s+(?:of\s+)?(?:urinary\s+|faecal\s+"
        r"|fecal\s+|bowel\s+|bladder\s+|double\s+)?incontinence\b",
        _near(_BACK + "|" + _LEG_SYMPTOMS, _BLADDER_BOWEL),
        r"\b(?:reduced|lax|poor|absent|decreased|loss\s+of|no)\s+anal\s+(?:sphincter\s+)?tone\b",
        r"\bbilateral\s+(?:leg|lower[\s-]limb|lower[\s-]extremity)\s+(?:weakness|numbness"
        r"|sensory\s+loss|par(?:a)?esthesia|symptoms)\b"
        r"|\bbilateral\s+(?:sciatica|radiculopathy|radicular\s+(?:pain|symptoms))\b",
        rf"\b(?:sciatica|radiating\s+pain|shooting\s+pain|nerve\s+pain)\s+{_W}{{0,2}}?"
        r"(?:in|down|into)\s+both\s+legs\b",
        rf"\b(?:weak(?:ness)?|numb(?:ness)?|paralys\w+|heaviness|tingling|pins\s+and\s+needles)"
        rf"\s+{_W}{{0,2}}?both\s+(?:of\s+)?(?:(?:my|his|her|their|the)\s+)?legs\b",
        rf"\bboth\s+(?:of\s+)?(?:(?:my|his|her|their|the)\s+)?legs\s+{_W}{{0,3}}?(?:weak|numb|heavy|dead"
        r"|paralys\w+|giving\s+way|gave\s+way|floppy|tingl\w*)\b",
        r"\b(?:new|sudden|acute|progressive)\s+(?:paraparesis|paraplegia)\b"
        r"|\blegs\s+(?:keep\s+)?(?:giving|gave|give)\s+way\b",
    ),
)

# -- serious spinal pathology ----------------------------------------------------------------------

_CANCER_HISTORY = (
    r"(?:history\s+of|hx\s+of|previous|prior|past|known|had|has\s+had|have\s+had|have|has"
    r"|treated\s+for|survivor\s+of|recovering\s+from|remission\s+from|diagnosed\s+with)\s+"
    r"(?:[\w'-]+\s+){0,2}?(?:cancer|malignancy|carcinoma|tumou?r|lymphoma|myeloma"
    r"|leuk(?:a)?emia|melanoma|sarcoma)"
    r"|(?:cancer|malignancy)\s+(?:survivor|history)|metasta\w+|myeloma"
    r"|(?:on|having|had|after|finished|undergoing)\s+chemo(?:therapy)?"
)
_WEIGHT_LOSS = (
    r"(?:unexplained|unintentional|unintended|involuntary|unexpected|significant|rapid|recent"
    r"|sudden)\s+(?:weight\s+loss|loss\s+of\s+weight)"
    r"|(?:\bha(?:ve|s|d)|'ve|'s|\bbeen)\s+(?:been\s+)?(?:lost|losing)\s+(?:[\w'-]+\s+){0,3}?weight"
    r"|(?:weight\s+loss|(?:lost|losing)\s+weight)\s+(?:without\s+trying|for\s+no\s+reason)"
)
_DRUG_INJECTION = (
    r"(?:iv|intravenous|injecting|injection|injected)\s+drug\s+(?:use|users?|abuse|misuse)"
    r"|ivdu|pwid|inject(?:s|ing|ed)?\s+(?:drugs|heroin)|(?:uses?|using|used)\s+heroin"
    r"|shoot(?:s|ing)?\s+up"
)
_TRAUMA = (
    r"(?:major|significant|severe|high[\s-]energy|serious)\s+(?:trauma|injury|fall)"
    r"|(?:car|road|traffic|motor\s+vehicle|motorbike|motorcycle|bike|cycling)\s+"
    r"(?:accident|crash|collision)|rta|rtc|mva|mvc"
    r"|(?:fell|fall|falling|fallen)\s+(?:off|from)\s+(?:a\s+|the\s+)?(?:height|ladder|roof|horse"
    r"|balcony|scaffold\w*|stairs)|fell\s+down\s+(?:the\s+)?stairs"
    r"|(?:hit|knocked\s+(?:down|over))\s+by\s+a\s+(?:car|vehicle|bus|truck|lorry|van)"
)
_STEROIDS = (
    r"(?:oral\s+)?(?:steroids?|corticosteroids?|prednisolone|prednisone|dexamethasone"
    r"|hydrocortisone)(?:\s+(?:tablets?|pills?))?"
    r"(?!\s+(?:inhalers?|creams?|ointments?|injections?|nasal|sprays?|drops|gel))"
)
_IMMUNOSUPPRESSION = (  # long-term steroids also thin the bones: fracture after little trauma
    r"immunosuppress\w+|immunocompromised"
    rf"|(?:long[\s-]term|chronic|prolonged|regular|daily|maintenance|lifelong)\s+{_STEROIDS}"
    rf"|(?:on|taking|takes|taken|took|using|uses|used)\s+{_STEROIDS}\s+(?:[\w'-]+\s+){{0,3}}?"
    r"(?:for|since|over)\s+(?:(?:many|several|a\s+few|the\s+(?:last|past)|\d+|two|three|four"
    r"|five|six|seven|eight|nine|ten|twenty)\s+)?(?:years?|yrs|months|decades?|ages"
    r"|a\s+long\s+time)"
    rf"|(?:years|months|decades)\s+(?:of|on)\s+{_STEROIDS}"
)
_OSTEOPOROSIS = (
    r"osteoporo\w+|osteopeni\w+|brittle\s+bones|(?:fragility|vertebral|compression|crush)\s+"
    r"fractures?"
)
_SUDDEN_OR_SEVERE_BACK = (
    rf"(?:{_SUDDEN}|severe|excruciating|agonising|agonizing|intense|terrible)\s+"
    rf"(?:[\w'-]+\s+){{0,2}}?(?:{_BACK})"
)
_NIGHT_OR_REST_PAIN = (
    r"night[\s-]?(?:time\s+)?pain|pain\s+(?:[\w'-]+\s+){0,2}?at\s+night"
    r"|(?:wakes?|waking|woken|woke)\s+(?:me|him|her|them|us)\s+(?:up\s+)?(?:at\s+night"
    r"|from\s+sleep|in\s+the\s+night)|(?:keeps|keeping|kept)\s+(?:me|him|her|them)\s+"
    r"(?:up|awake)\s+at\s+night|worse\s+(?:at\s+night|lying\s+down|when\s+lying)"
    r"|(?:unremitting|relentless|non[\s-]?mechanical)\s+(?:\w+\s+){0,2}?pain"
    r"|(?:doesn'?t|does\s+not|won'?t|will\s+not|not)\s+(?:ease|settle|improve|go\s+away"
    r"|get\s+better)\s+(?:with|when|on|at|by)\s+(?:rest|resting|lying)"
)

_SPINAL_SERIOUS_PATHOLOGY = RedFlag(
    flag_id="spinal_serious_pathology",
    label="Back pain with red flags for serious spinal disease",
    clinician_message=(
        "Back pain with red-flag features (possible infection, malignancy, fracture or other "
        "serious pathology): assess promptly, including a neurological examination, and arrange "
        "urgent investigation (blood tests, imaging) or specialist referral as indicated."
    ),
    patient_message=(
        "Back pain with these signs can have a serious cause, such as an infection or a problem "
        "with the bones of the spine. See a doctor today. If you cannot see one today, go to the "
        "emergency department. "
        f"{_emergency()} if your legs become weak or numb, or you cannot control your bladder "
        "or bowels."
    ),
    patterns=_compile(
        _near(_BACK, _FEVER),
        _near(_BACK, _CANCER_HISTORY),
        _near(_BACK, _WEIGHT_LOSS),
        _near(_BACK, _DRUG_INJECTION),
        _near(_BACK, _TRAUMA),
        _near(_BACK, _IMMUNOSUPPRESSION),
        _near(_SUDDEN_OR_SEVERE_BACK, _OSTEOPOROSIS),
        _near(_BACK, _NIGHT_OR_REST_PAIN),
    ),
)

# -- progressive motor deficit -------------------------------------------------------------------

_FOOT_DROP = (
    r"foot[\s-]?drop|drop[\s-]?foot"
    rf"|(?:foot|feet|toes?)\s+(?:\w+\s+){{0,2}}?(?:drag(?:s|ging|ged)?|slap(?:s|ping|ped)?"
    r"|flop(?:s|ping|ped)?|catch(?:es|ing)?\s+on)"
    rf"|{_CANT}\s+(?:lift|raise|pick\s+up|point|flex|bend)\s+{_POSS}\s+(?:foot|feet|toes?|ankle)"
    rf"|{_CANT}\s+(?:stand|walk)\s+on\s+{_POSS}\s+(?:toes|tiptoes?|heels?)"
    rf"|trip(?:s|ping|ped)?\s+over\s+{_POSS}\s+(?:own\s+)?(?:foot|feet|toes)"
)
_WORSENING_LEG_WEAKNESS = (
    r"(?:legs?|foot|feet|ankle|thigh)\s+(?:\w+\s+){0,2}?(?:getting|got|gets|growing|becoming"
    r"|become|became|gone|going)\s+(?:\w+\s+)?weak(?:er)?"
    r"|(?:worsening|increasing|progressive|spreading|new)\s+(?:\w+\s+)?(?:leg|foot|ankle"
    r"|lower[\s-]limb|motor)\s+weakness"
    r"|(?:leg|foot|ankle)\s+weakness\s+(?:\w+\s+){0,2}?(?:getting|is\s+getting|worse|worsening"
    r"|spreading)"
    r"|legs?\s+(?:keeps?|kept)\s+(?:giving|buckling)\s*(?:way|out)?"
    r"|(?:progressive|severe|worsening|new)\s+(?:neurological|motor)\s+deficit"
    r"|(?:progressive|worsening)\s+(?:\w+\s+)?weakness"
)

_PROGRESSIVE_MOTOR_DEFICIT = RedFlag(
    flag_id="progressive_motor_deficit",
    label="Foot drop or leg weakness that is getting worse",
    clinician_message=(
        "Progressive or severe motor deficit (foot drop, worsening leg weakness), usually with "
        "back pain or sciatica: examine the same day (power, reflexes, sensation, saddle area), "
        "arrange urgent MRI and spinal surgical referral, and exclude cauda equina syndrome."
    ),
    patient_message=(
        "A foot that drags when you walk, or a leg that gets weaker, can mean a nerve in your "
        "back is badly pressed. See a doctor today. If you cannot, go to the emergency "
        "department. Waiting can make the weakness last. "
        f"{_emergency()} if you also cannot hold your pee or poo, or feel numb between your "
        "legs."
    ),
    patterns=_compile(
        rf"\b(?:{_FOOT_DROP})\b",
        rf"\b(?:{_WORSENING_LEG_WEAKNESS})\b",
    ),
)

# -- cardiac chest pain ----------------------------------------------------------------------------

_CHEST_PAIN = (
    r"chest\s+(?:pains?|pressure|tightness|heaviness|discomfort|ache|aches|aching|squeezing"
    r"|crushing|hurts?|hurting|is\s+(?:tight|heavy|sore|painful)"
    r"|feels?\s+(?:tight|heavy|crushed|squeezed))"
    r"|(?:tight|heavy|crushing|squeezing|pressing|pain|pains|tightness|heaviness|ache|discomfort"
    r"|pressure)\s+(?:[\w'-]+\s+){0,2}?(?:in|across|on|around)\s+(?:my|his|her|their|the)\s+chest"
    r"|(?:tight|heavy)\s+chest|angina"
    r"|(?:retrosternal|central|cardiac|ischaemic|ischemic|anginal)\s+(?:chest\s+)?"
    r"(?:pain|discomfort|tightness)"
)
_EXERTION = (
    r"exert(?:ion|ional|ing)|exercis(?:e|es|ing)|walk(?:s|ing|ed)?|climb(?:s|ing|ed)?|stairs"
    r"|uphill|hills?|running|jogging|effort|(?:physical\s+)?activity|hurry(?:ing)?|rushing"
    r"|carrying|lifting|gardening|cold\s+(?:air|weather)"
)
_SWEATING = r"sweat(?:s|y|ing)?|diaphore\w+|clammy|perspir\w+"
_RADIATION = (
    r"(?:radiat|spread|travel|shoot|extend)\w*\s+(?:[\w'-]+\s+){0,3}?(?:arms?|jaw|neck"
    r"|shoulders?|back)"
    r"|(?:go(?:es|ing)?|mov(?:es|ing))\s+(?:down|up|into|to|through)\s+(?:my|his|her|their|the)\s+"
    r"(?:left\s+|right\s+)?(?:arms?|jaw|neck|shoulders?|back)"
    r"|(?:left\s+)?arm\s+(?:pain|ache|aching|heaviness|numbness|tingling|hurts)"
    r"|pain\s+in\s+(?:my|his|her|their|the)\s+(?:left\s+)?(?:arm|jaw)"
    r"|jaw\s+(?:pain|ache|aching|tightness|hurts)"
)

_CARDIAC_CHEST_PAIN = RedFlag(
    flag_id="cardiac_chest_pain",
    label="Chest pain that may be from the heart",
    clinician_message=(
        "Chest pain with features suggesting a cardiac cause: if the pain is current, recent, "
        "prolonged or occurs at rest, arrange emergency assessment with a 12-lead ECG and "
        "troponin; a stable exertional pattern needs prompt assessment for angina."
    ),
    patient_message=(
        "Chest pain like this can be a sign of a heart attack. "
        f"{_emergency()}. Stop what you are doing and rest while you wait. "
        "Do not drive yourself to hospital."
    ),
    patterns=_compile(
        _near(_CHEST_PAIN, _EXERTION),
        _near(_CHEST_PAIN, _BREATHLESS),
        _near(_CHEST_PAIN, _SWEATING),
        _near(_CHEST_PAIN, _RADIATION),
        r"\bexertional\s+(?:chest\s+)?(?:pain|discomfort|tightness|angina)\b",
        r"\bunstable\s+angina\b|\b(?:new[\s-]onset|crescendo|worsening|rest)\s+angina\b"
        r"|\bangina\s+at\s+rest\b",
        r"\b(?:i'?m|i\s+am|he'?s|she'?s|he\s+is|she\s+is|they'?re|is|am|be)\s+having\s+"
        r"an?\s+(?:heart\s+attack|mi)\b",
    ),
)

# -- stroke ----------------------------------------------------------------------------------------

_LIMB_SUDDENLY_WEAK = (
    r"(?:arm|leg|hand)\s+(?:[\w'-]+\s+){0,3}?(?:weak\w*|numb\w*|floppy|limp|dead|paraly\w+)"
    r"|(?:weak\w*|numb\w*|paraly\w+)\s+(?:[\w'-]+\s+){0,3}?(?:arm|leg|hand)"
    rf"|{_CANT}\s+(?:move|lift|feel|use|raise)\s+(?:my|his|her|their)\s+(?:left\s+|right\s+)?"
    r"(?:arm|leg|hand)"
)
_STROKE = RedFlag(
    flag_id="stroke",
    label="Possible stroke",
    clinician_message=(
        "Features suggesting stroke or TIA: arrange emergency transfer to a hyperacute stroke "
        "service and record the time of onset (reperfusion treatment is time-critical); check "
        "blood glucose."
    ),
    patient_message=(
        "These can be signs of a stroke. "
        f"{_emergency()}. Do not wait to see if it gets better. "
        "Note the time the signs started."
    ),
    patterns=_compile(
        # Face drooping.
        r"\b(?:face|facial|mouth|smile|lips?)\s+(?:[\w'-]+\s+){0,3}?(?:droop\w*|drop(?:s|ped"
        r"|ping)|fallen|lopsided|sag(?:s|ged|ging)|twisted|uneven|crooked|palsy|weakness"
        r"|asymmetr\w*|(?:went|gone|is|was)\s+(?:numb|weak|floppy))",
        r"\b(?:droop\w*|lopsided|sagging|crooked|twisted)\s+(?:[\w'-]+\s+){0,2}?(?:face|smile"
        r"|mouth)\b",
        # Weakness or numbness of one side.
        r"\bhemi(?:paresis|plegia|plegic|paretic|anopia|anopsia|sensory\s+loss"
        r"|an(?:a)?esthesia)\b",
        r"\b(?:unilateral|one[\s-]sided|left[\s-]sided|right[\s-]sided)\s+(?:[\w'-]+\s+){0,2}?"
        r"(?:weakness|numbness|paralysis|sensory\s+loss)\b|\b(?:arm|pronator)\s+drift\b",
        rf"\b(?:weak\w*|numb\w*|paraly\w+|heav(?:y|iness)|floppy|{_CANT}\s+(?:move|lift|feel"
        r"|use))\s+(?:[\w'-]+\s+){0,5}?(?:on\s+)?(?:one|the\s+(?:left|right)"
        r"|(?:my|his|her|their)\s+(?:left|right))\s+side\b",
        r"\b(?:one|left|right)\s+side\s+(?:of\s+(?:my|his|her|their|the)\s+(?:body|face)\s+)?"
        r"(?:[\w'-]+\s+){0,2}?(?:weak|numb|paraly\w+|dead|heavy|floppy)\b",
        _near(_SUDDEN, _LIMB_SUDDENLY_WEAK, gap=60),
        # Speech.
        r"\bslurr(?:ed|ing)\b|\b(?:garbled|jumbled|muddled)\s+(?:speech|words)\b"
        r"|\b(?:dysarthri|dysphasi|aphasi)\w*",
        rf"\b{_CANT}\s+(?:get\s+(?:\w+\s+)?words\s+out|find\s+(?:the|my|his|her|their)\s+words"
        r"|understand\s+what\s+(?:people|anyone|I|we|you)\s+(?:say|are\s+saying))\b"
        r"|\b(?:lost|loss\s+of)\s+(?:(?:my|his|her|their)\s+)?speech\b"
        r"|\b(?:talking|speaking)\s+(?:nonsense|gibberish|funny|strangely|oddly)\b",
        _near(
            _SUDDEN,
            rf"{_CANT}\s+(?:speak|talk)(?!\s+(?:in\s+)?(?:full|whole|complete)\s+sentences)",
            gap=40,
        ),
        # Confusion and vision.
        _near(_SUDDEN, r"confus\w*|disorient\w*", gap=40),
        r"\b(?:acute|new)\s+confusion\b",
        _near(
            _SUDDEN,
            r"(?:loss\s+of|lost\s+(?:the\s+)?|losing\s+(?:the\s+)?)(?:vision|sight)|vision\s+loss"
            r"|visual\s+loss|blind\w*|(?:can'?t|cannot)\s+see|double\s+vision",
            gap=60,
        ),
        r"\b(?:loss\s+of\s+vision|vision\s+loss|visual\s+loss|blind\w*|lost\s+(?:the\s+)?"
        r"(?:vision|sight))\s+(?:[\w'-]+\s+){0,3}?(?:in\s+)?one\s+eye\b",
        r"\bamaurosis\s+fugax\b|\bmonocular\s+(?:vision|visual)\s+loss\b",
        r"\b(?:can'?t|cannot)\s+see\s+(?:out\s+of|with|from)\s+(?:my|his|her|their|one)\s+"
        r"(?:left\s+|right\s+)?eye\b",
        r"\b(?:i'?m|i\s+am|he'?s|she'?s|he\s+is|she\s+is|they'?re|is|am|be)\s+having\s+a\s+"
        r"(?:stroke|mini[\s-]stroke|tia)\b",
    ),
)

# -- suicidal thoughts -----------------------------------------------------------------------------

# "stop my heart" as an end, not "stop my heart failure tablets" or "stop my heart racing".
_HEART_STOPS = (
    r"(?:\s+(?:for\s+good|forever|completely|permanently)\b|\s+beating\b(?!\s+(?:so\s+)?(?:fast"
    r"|hard|quickly|irregularly|too))|(?=\s*(?:[.?!,;]|$|(?:and|so|if|when|with|quickly"
    r"|painlessly|in\s+my\s+sleep)\b)))"
)
_SUICIDAL_THOUGHTS = RedFlag(
    flag_id="suicidal_thoughts",
    label="Thoughts of suicide or self-harm",
    clinician_message=(
        "Suicidal thoughts or self-harm reported: assess risk and immediate safety now, do not "
        "leave a person at immediate risk alone, and arrange same-day mental health crisis "
        "assessment."
    ),
    patient_message=(
        "You do not have to face this alone. Help is there right now. "
        "You can call or text 988 (the 988 Suicide & Crisis Lifeline, US). "
        "You can call Samaritans free on 116 123 (UK and Ireland), day or night. "
        "If you might act on these thoughts, or you are in danger now, "
        f"{_emergency('call your emergency number')} or go to the emergency department."
    ),
    condition_cards=("depression",),
    patterns=_compile(
        r"\bsuicid\w*",
        rf"\bkill(?:ing)?\s+{_SELF}\b|\bend(?:ing)?\s+it\s+all\b",
        r"\b(?:end|ending|take|taking)\s+(?:my|his|her|their)\s+(?:own\s+)?li(?:fe|ves)\b",
        r"(?<!n't\s)(?<!not\s)\b(?:want|wanted|wanting|wish|wishing)\s+(?:[\w'-]+\s+){0,2}?"
        r"(?:to\s+)?(?:die|be\s+dead|not\s+(?:be\s+)?(?:here|alive|wake\s+up))\b",
        r"\b(?:don'?t|do\s+not|no\s+longer)\s+want\s+to\s+(?:live|be\s+(?:alive|here))\b"
        r"|\bbetter\s+off\s+dead\b|\bno\s+(?:reason|point)\s+(?:in\s+|to\s+)?(?:living|live"
        r"|going\s+on)\b",
        r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*",
        rf"\b(?:cutting|harming|burning)\s+{_SELF}\b",
        rf"\b(?:want|wanted|wanting|urge|urges|thinking\s+(?:of|about)|thoughts\s+of|going)\s+"
        rf"(?:to\s+)?(?:hurt|harm|cut|hurting|harming|cutting)\s+{_SELF}\b",
        # Intent inside a method question: "how many would it take to kill me? I want to end it."
        r"(?<!n't\s)(?<!not\s)\b(?:want|wanted|wanting|going|ready|need|trying)\s+to\s+end\s+it\b"
        r"(?!\s+with\b)",
        # "I've been thinking about ending it", "thoughts of ending things" (not "… it with him")
        r"\b(?:think|thinking|thought|thoughts)\s+(?:about|of)\s+(?:ending|finishing)\s+"
        r"(?:it|things|everything)\b(?!\s+(?:with|between)\b)",
        r"\b(?:don'?t|do\s+not|can'?t)\s+see\s+the\s+point\s+(?:in|of)\s+(?:anything|living"
        r"|life|going\s+on)\b",
        r"\bhow\s+(?:many|much)\s+(?:[\w'-]+\s+){0,8}?kill\s+me\b"
        r"|\b(?:take|takes|enough|amount|dose|number|quantity)\s+(?:[\w'-]+\s+){0,2}?to\s+"
        r"kill\s+me\b",
        r"\bhow\s+(?:can|could|do|should|would|might|to)\s+(?:i\s+)?"
        r"(?:(?!(?:not|avoid|stop|never|prevent)\b)[\w'-]+\s+){0,2}?(?:hurt|harm|injure|cut|burn)\s+"
        r"myself\b(?!\s+(?:by|if|when|while|doing|during|lifting|running|exercising|playing|at\s+the"
        r"|at\s+work|from))"
        r"|\b(?:ways?|methods?|places?)\s+to\s+(?:hurt|harm|injure|cut|burn)\s+myself\b",
        rf"\bstop\s+(?:my|his|her|their)\s+(?:own\s+)?heart{_HEART_STOPS}",
        r"\b(?:and|so\s+(?:that\s+)?(?:i|he|she)(?:'d|'ll|\s+would|\s+will)?|to)\s+never\s+wake\s+up\b"
        r"|\b(?:go\s+to\s+sleep|fall\s+asleep)\s+(?:for\s+good|forever)\b",
    ),
)

# -- anaphylaxis -----------------------------------------------------------------------------------

_ALLERGEN_EXPOSURE = (
    r"(?:after|since|from|following|when\s+(?:i|he|she|they|we)|just)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:ate|eating|eaten|taking|took|taken|stung|sting|bitten|bite|injection|jab|peanuts?"
    r"|nuts?|shellfish|seafood|prawns?|sesame|food|medicine|medication|tablet|pill"
    r"|antibiotics?|penicillin|amoxicillin)"
    r"|(?:bee|wasp|hornet|insect)\s+stings?|stung\s+by|allergic\s+reaction"
    r"|reaction\s+to\s+(?:[\w'-]+\s+){0,2}?(?:food|nuts?|peanuts?|medicine|medication|drugs?"
    r"|antibiotics?|penicillin|sting)"
)
_AIRWAY_OR_BREATHING = (
    r"(?:difficulty|trouble|struggling|hard|problems?)\s+(?:\w+\s+)?breath\w*"
    rf"|{_CANT}\s+(?:breathe|swallow)|wheez\w*|short(?:ness)?\s+of\s+breath|breathless\w*"
    r"|stridor|throat\s+(?:\w+\s+)?(?:tight\w*|closing)"
)
_ANAPHYLAXIS = RedFlag(
    flag_id="anaphylaxis",
    label="Possible anaphylaxis",
    clinician_message=(
        "Features of possible anaphylaxis: give intramuscular adrenaline (epinephrine) without "
        "delay, call for emergency help, and follow the local anaphylaxis algorithm."
    ),
    patient_message=(
        "This could be a severe allergic reaction (anaphylaxis). "
        f"{_emergency()}. If you have an adrenaline auto-injector (such as an EpiPen), use it "
        "now. Lie down with your legs raised, or sit up if it is hard to breathe. "
        "Do not stand up or walk about."
    ),
    patterns=_compile(
        r"\b(?:swell\w*|swollen|puff(?:y|ed|ing)\s+up|angio-?o?edema)\s+(?:[\w'-]+\s+){0,3}?"
        r"(?:throat|tongue|lips?|airway)\b",
        r"\b(?:throat|tongue|lips?|airway)\s+(?:[\w'-]+\s+){0,3}?(?:swell\w*|swollen|closing"
        r"|clos(?:ed|ing)\s+up|puff(?:y|ed|ing)\s+up)\b",
        r"\bangio-?o?edema\b|\b(?:having|going\s+into|in)\s+(?:an\s+)?anaphyla\w+",
        _near(_AIRWAY_OR_BREATHING, _ALLERGEN_EXPOSURE),
        _near(
            r"(?:swell\w*|swollen)\s+(?:[\w'-]+\s+){0,2}?face|face\s+(?:\w+\s+){0,2}?swell\w*"
            r"|face\s+(?:is\s+)?swollen",
            _ALLERGEN_EXPOSURE,
        ),
        _near(
            r"hives|urticaria|welts",
            r"faint\w*|dizz\w*|light[\s-]?headed|collaps\w*|passed\s+out|passing\s+out"
            r"|low\s+blood\s+pressure|hypotensi\w*",
        ),
    ),
)

# -- thunderclap headache --------------------------------------------------------------------------

_THUNDERCLAP_HEADACHE = RedFlag(
    flag_id="thunderclap_headache",
    label="Sudden severe (thunderclap) headache",
    clinician_message=(
        "Thunderclap headache: refer immediately for emergency assessment to exclude "
        "subarachnoid haemorrhage and other serious causes (urgent CT head, with further "
        "investigation if CT is normal)."
    ),
    patient_message=(
        "A sudden, very bad headache can mean bleeding in the brain. "
        f"{_emergency()}, or go to the emergency department now."
    ),
    patterns=_compile(
        r"\bthunderclap\b",
        r"\b(?:worst|most\s+severe|most\s+painful)\s+(?:[\w'-]+\s+){0,2}?headaches?\b",
        r"\bheadaches?\s+(?:[\w'-]+\s+){0,3}?of\s+(?:my|his|her|their)\s+(?:whole\s+)?life\b",
        rf"\b(?:{_SUDDEN}|instant\w*|explosive)\s+(?:[\w'-]+\s+){{0,3}}?(?:severe|excruciating"
        r"|agonising|agonizing|intense|terrible|blinding|violent|worst|awful|bad|splitting)\s+"
        r"(?:[\w'-]+\s+){0,2}?headaches?\b",
        r"\b(?:severe|excruciating|agonising|agonizing|blinding|intense|terrible|violent"
        r"|splitting|awful)\s+headaches?\s+(?:[\w'-]+\s+){0,4}?(?:sudden\w*|out\s+of\s+(?:the\s+)?"
        r"(?:blue|nowhere)|abrupt\w*|all\s+at\s+once|instantly|in\s+seconds)",
        r"\bheadaches?\s+(?:[\w'-]+\s+){0,4}?(?:peak\w*|maxim\w*|max(?:ed)?|reached\s+(?:its\s+)?"
        r"(?:peak|worst)|at\s+(?:its\s+)?worst)\s+(?:[\w'-]+\s+){0,3}?(?:within|in|under"
        r"|less\s+than)\s+(?:a|one|1|60|sixty|a\s+few|few|seconds?)\b",
        r"\b(?:headache|pain)\s+(?:[\w'-]+\s+){0,3}?like\s+(?:being\s+)?(?:hit|struck|kicked"
        r"|a\s+thunderclap)",
        r"\bnever\s+(?:ever\s+)?had\s+(?:a\s+)?(?:headache|head\s+pain)\s+(?:this|so|as|like)\b",
    ),
)

# -- meningitis and sepsis -------------------------------------------------------------------------

_STIFF_NECK = (
    r"stiff\s+neck|neck\s+(?:stiffness|(?:is\s+|feels\s+|was\s+)?stiff)|nuchal\s+rigidity"
    rf"|meningism\w*|{_CANT}\s+(?:bend|touch|put|move|lower)\s+(?:(?:my|his|her|their)\s+)?"
    r"(?:chin|head|neck)|kernig|brudzinski"
)
_DROWSY_OR_CONFUSED = (
    r"confus\w*|drows\w*|hard\s+to\s+wake|(?:difficult|impossible|unable)\s+to\s+(?:wake|rouse)"
    r"|won'?t\s+wake|not\s+waking|unrousable|unresponsive|very\s+sleepy|unusually\s+sleepy"
    r"|(?:reduced|altered|decreased|impaired)\s+(?:level\s+of\s+)?consciousness|(?:reduced|low)"
    r"\s+gcs|delirium|delirious|floppy|not\s+making\s+sense|disorient\w*"
)
# Signs of shock or sepsis: systolic blood pressure below 90, respiratory rate 30 or more.
_LOW_BP = (
    r"(?:bp|blood\s+pressure|systolic(?:\s+(?:bp|blood\s+pressure))?|sbp)\s*"
    r"(?:(?:of|is|was|at|:|=|only|now|down\s+to|dropped\s+to|fell\s+to)\s*){0,2}"
    r"(?:[1-8]?[0-9])(?:\s*/\s*[0-9]{1,3})?(?![\d.])(?!\s*(?:-|\u2013|to\s)\s*\d)"
    r"|hypotensi\w+|(?:very\s+|dangerously\s+)?low\s+(?:blood\s+pressure|bp)"
)
_HIGH_RR = (
    r"(?:rr|resp(?:iratory)?\s+rate|breathing\s+rate|respirations?|resps)\s*"
    r"(?:(?:of|is|was|at|:|=|now|up\s+to)\s*){0,2}(?:[3-9][0-9])(?![\d.])"
    r"(?!\s*(?:-|\u2013|to\s)\s*\d)"
    r"|breathing\s+(?:at\s+)?[3-9][0-9]\s+(?:times\s+|breaths\s+)?(?:a|per)\s+min\w*"
)
_MENINGITIS_SEPSIS = RedFlag(
    flag_id="meningitis_sepsis",
    label="Possible meningitis or sepsis",
    clinician_message=(
        "Features of possible meningitis or sepsis: arrange emergency admission; if "
        "meningococcal disease is suspected, give parenteral antibiotics as soon as possible "
        "without delaying transfer."
    ),
    patient_message=(
        "These can be signs of meningitis or sepsis, which can get worse very fast. "
        f"{_emergency()}, or go to the emergency department now. "
        "Do not wait for more signs, such as a rash."
    ),
    patterns=_compile(
        _near(_FEVER, _STIFF_NECK),
        _near(_FEVER, _DROWSY_OR_CONFUSED),
        _near(_LOW_BP, _DROWSY_OR_CONFUSED),
        _near(_HIGH_RR, _DROWSY_OR_CONFUSED),
        _near(_LOW_BP, _HIGH_RR),
        r"\bnon[\s-]?blanch\w*|\bpurpur\w*|\bpetechia\w*",
        r"\b(?:rash|spots|blotches|marks)\s+(?:[\w'-]+\s+){0,5}?(?:doesn'?t|does\s+not|did\s+not"
        r"|didn'?t|won'?t|will\s+not|isn'?t|is\s+not|not)\s+(?:\w+\s+)?(?:fad\w*|blanch\w*"
        r"|disappear\w*|go\w*\s+away|go\w*\s+white)\b",
        r"\b(?:glass|tumbler)\s+test\b",
        r"\b(?:think|worried|scared|afraid|suspect\w*|possible)\s+(?:[\w'-]+\s+){0,4}?"
        r"(?:meningitis|meningococcal|sepsis|septic\w*)",
    ),
)

# -- severe breathing difficulty -------------------------------------------------------------------

_RELIEVER = (
    r"inhalers?|relievers?|puffers?|salbutamol|albuterol|ventolin|nebuli[sz]ers?|bronchodilators?"
    r"|saba"
)
# Oxygen saturation below 92% ("SpO2 84%", "sats 88", "oxygen level 85%"), not a target range.
_LOW_SATS = (
    r"(?<!target\s)(?<!targets\s)(?<!aim\s)\b(?:spo2|sp02|sao2|o2\s+sat(?:uration)?s?|sats"
    r"|saturations?|saturating|oxygen\s+(?:sat(?:uration)?s?|levels?|readings?)"
    r"|pulse\s+ox(?:imetry|imeter)?(?:\s+reading)?)\s*"
    r"(?:(?:of|is|was|were|are|at|:|=|reads|reading|showed|shows|only|just|around|about|now"
    r"|down\s+to|dropped\s+to|fell\s+to)\s*){0,2}"
    r"(?:[0-9]|[1-8][0-9]|9[01])(?![\d.])(?:\s*%|(?<=[5-9][0-9])(?!\s*%))"
    r"(?!\s*(?:-|\u2013|to\s)\s*\d)"
)
_THROAT_CLOSING = (
    r"throat\s+(?:[\w'-]+\s+){0,2}?(?:tight\w*|closing|clos(?:ed|ing)\s+up|swell\w*|swollen)"
    r"|(?:tight\w*|swell\w*|swollen)\s+(?:[\w'-]+\s+){0,2}?throat|stridor"
)
_SEVERE_BREATHING_DIFFICULTY = RedFlag(
    flag_id="severe_breathing_difficulty",
    label="Severe breathing difficulty",
    clinician_message=(
        "Signs of severe or life-threatening respiratory distress (for example acute severe "
        "asthma): call emergency services, give oxygen and bronchodilators according to local "
        "protocol, and arrange immediate hospital assessment."
    ),
    patient_message=(
        f"This is a breathing emergency. {_emergency()}. Sit upright. "
        "If you have a reliever inhaler, keep using it as your asthma plan says while you wait "
        "for help."
    ),
    patterns=_compile(
        rf"\b(?:{_CANT}|struggling\s+to|hard\s+to|too\s+(?:breathless|out\s+of\s+breath)\s+to)\s+"
        r"(?:speak|talk|say|finish|complete|get\s+out)\s+(?:[\w'-]+\s+){0,2}?(?:full|whole"
        r"|complete)?\s*sentences?\b",
        r"\b(?:speaking|talking)\s+in\s+(?:single\s+)?(?:words|short\s+phrases)\b"
        r"|\b(?:only|just)\s+(?:speak|say|manage|get\s+out)\s+(?:a\s+few\s+)?(?:\w+\s+)?words\b",
        r"\b(?:blue|bluish|blueish|grey|gray|greyish|grayish|purple|dusky)\s+(?:[\w'-]+\s+)?"
        r"(?:lips?|tongue|mouth)\b",
        r"\b(?:lips?|tongue|mouth)\s+(?:[\w'-]+\s+){0,2}?(?:blue|bluish|blueish|grey|gray|purple)\b"
        r"|\b(?:central\s+)?cyanos\w*|\bcyanotic\b|\bturn(?:ed|ing)?\s+blue\b",
        rf"\b{_CANT}\s+(?:breathe|get\s+(?:my|his|her|their)?\s*breath)\b"
        r"(?!\s+(?:properly\s+)?(?:through|out\s+of|via)\s+(?:my|his|her|their|the)\s+nose)"
        r"|\b(?:gasping|fighting)\s+for\s+(?:air|breath)\b|\bstruggling\s+to\s+breathe\b",
        r"\b(?:life[\s-]threatening|acute\s+severe|near[\s-]fatal)\s+asthma\b|\bsilent\s+chest\b"
        r"|\bstatus\s+asthmaticus\b|\b(?:intercostal|subcostal|sternal)\s+recession\b",
        r"\btoo\s+(?:breathless|short\s+of\s+breath|out\s+of\s+breath|wheezy|puffed(?:\s+out)?)\s+"
        r"to\s+(?:speak|talk|finish|get\s+(?:\w+\s+)?words)\b",
        _near(
            r"breathless\w*|short\s+of\s+breath|out\s+of\s+breath|wheez\w*|asthma\s+attack"
            r"|gasping|(?:struggling|fighting)\s+(?:to\s+|for\s+)?breath\w*",
            rf"{_CANT}\s+(?:speak|talk)",
            gap=60,
        ),
        r"\b(?:using|uses|use\s+of|recruiting)\s+(?:(?:his|her|their|the)\s+)?accessory\s+"
        r"(?:respiratory\s+)?muscles?\b|\baccessory\s+muscle\s+(?:use|usage|recruitment)\b"
        r"|\btracheal\s+tug\w*",
        _LOW_SATS,
        _near(_THROAT_CLOSING, rf"wheez\w*|{_BREATHLESS}"),
        _near(
            r"asthma\w*|attack|wheez\w*|breathless\w*|short\s+of\s+breath|copd|tight\s+chest"
            r"|chest\s+(?:is\s+)?tight",
            rf"(?:{_RELIEVER})\s+(?:[\w'-]+\s+){{0,3}}?(?:isn'?t|doesn'?t|does\s+not|didn'?t"
            r"|did\s+not|hasn'?t|has\s+not|won'?t|is\s+not|not|no\s+longer)\s+(?:\w+\s+)?"
            r"(?:help\w*|work\w*|relie\w*|mak\w+\s+(?:a\s+|any\s+)?difference|touch\w*|effect\w*"
            r"|do\w*\s+anything)"
            r"|(?:not|no|poorly|partially|un)\s*(?:relieved|responding|responsive|response"
            r"|relief|improvement|better)\s+(?:[\w'-]+\s+){0,4}?(?:by|with|to|from|after)\s+"
            rf"(?:[\w'-]+\s+){{0,3}}?(?:{_RELIEVER})",
        ),
    ),
)

# -- gastrointestinal bleeding ---------------------------------------------------------------------

_GI_BLEEDING = RedFlag(
    flag_id="gi_bleeding",
    label="Possible gastrointestinal bleeding",
    clinician_message=(
        "Possible upper gastrointestinal bleeding: arrange emergency assessment; assess "
        "haemodynamic status and bleeding risk (for example the Glasgow-Blatchford score) and "
        "consider urgent endoscopy."
    ),
    patient_message=(
        "Vomiting blood, or passing black, sticky poo, can mean bleeding in the stomach or gut. "
        "Go to the emergency department now. "
        f"{_emergency()} if you feel faint, dizzy or very unwell."
    ),
    patterns=_compile(
        r"\bh(?:a)?ematemesis\b|\bmel(?:a)?ena\b|\bmalaena\b",
        r"\b(?:vomit(?:s|ed|ing)?|throw(?:s|ing)?\s+up|threw\s+up|thrown\s+up|puk(?:e|es|ed|ing)"
        r"|(?:being|been|was)\s+sick|bring(?:ing)?\s+up|brought\s+up|retch(?:ing|ed)?)\s+"
        r"(?:up\s+)?(?:(?:some|a\s+little|a\s+lot\s+of|lots\s+of|bright\s+red|fresh|dark|old)\s+)?"
        r"(?:blood|bloody)\b",
        r"\b(?:vomit|sick)\s+(?:[\w'-]+\s+){0,2}?(?:with|has|had|contain\w*|full\s+of)\s+"
        r"(?:some\s+)?(?:blood|bloody)\b|\bblood\s+in\s+(?:my|his|her|their|the)\s+(?:vomit"
        r"|sick)\b|\bbloody\s+vomit\w*",
        r"\bcoffee[\s-]grounds?\b",
        r"\b(?:black|tarry|tar[\s-]?like|tar[\s-]?colou?red|jet[\s-]black)\s+(?:[\w'-]+\s+){0,2}?"
        r"(?:stools?|poos?|poops?|faeces|feces|motions?|bowel\s+movements?|diarrh(?:o)?ea)\b",
        r"\b(?:stools?|poos?|poops?|faeces|feces|motions)\s+(?:[\w'-]+\s+){0,3}?(?:black|tarry"
        r"|like\s+tar)\b",
        r"\b(?:upper\s+)?(?:gi|gastrointestinal)\s+(?:bleed\w*|h(?:a)?emorrhage)",
        r"\b(?:heavy|large|massive|profuse|lots\s+of|a\s+lot\s+of)\s+(?:amount\s+of\s+)?"
        r"(?:rectal\s+bleeding|blood\s+from\s+(?:my|his|her|the)\s+(?:bottom|back\s+passage"
        r"|rectum))\b",
    ),
)

# -- pulmonary embolism ----------------------------------------------------------------------------

_DVT_SIGNS = (
    r"(?:swollen|swelling|painful|tender|hot|red|sore|aching|hard)\s+(?:[\w',-]+\s+){0,3}?"
    r"(?:calf|calves)|(?:calf|calves)\s+(?:[\w'-]+\s+){0,3}?(?:swollen|swelling|swelled"
    r"|painful|tender|hurts|hot|red|pain)"
    r"|(?:one|left|right)\s+leg\s+(?:[\w'-]+\s+){0,2}?(?:swollen|swelling|painful)"
    r"|(?:swollen|swelling|painful)\s+(?:[\w'-]+\s+){0,2}?(?:left|right|one)\s+leg"
    r"|dvt|deep\s+vein\s+thrombosis|(?:blood\s+)?clot\s+in\s+(?:my|his|her|their|the)\s+"
    r"(?:leg|calf)"
)
_PLEURITIC_PAIN = (
    r"pleuritic|sharp\s+(?:chest\s+)?pain\s+(?:\w+\s+){0,3}?(?:breath(?:e|ing)?\s+in|inhal\w*)"
    r"|(?:hurts|pain\w*)\s+(?:\w+\s+){0,2}?(?:to\s+)?(?:breathe|breathing)\s+in"
)
_PULMONARY_EMBOLISM = RedFlag(
    flag_id="pulmonary_embolism",
    label="Possible pulmonary embolism (or coughing up blood)",
    clinician_message=(
        "Features that may indicate pulmonary embolism, or haemoptysis needing urgent "
        "assessment: assess clinical probability with a validated score (e.g. Wells) and "
        "arrange same-day investigation (e.g. CT pulmonary angiography)."
    ),
    patient_message=(
        "Being short of breath with a sore, swollen calf can be a sign of a blood clot in the "
        "lung. Coughing up blood can also be a sign of a serious problem. "
        f"Go to the emergency department now, or {_emergency('call your emergency number')}."
    ),
    patterns=_compile(
        _near(_BREATHLESS, _DVT_SIGNS),
        _near(_BREATHLESS, _PLEURITIC_PAIN),
        r"\bh(?:a)?emoptysis\b",
        r"\bcough(?:s|ed|ing)?\s+up\s+(?:(?:some|a\s+little|a\s+lot\s+of|lots\s+of|bright\s+red"
        r"|fresh)\s+)?blood\b|\bcough(?:s|ed|ing)\s+(?:out\s+)?blood\b",
        r"\b(?:blood|bloody)[\s-]+(?:streaked|stained|tinged)\s+(?:sputum|phlegm|mucus|spit)\b"
        r"|\bblood\s+in\s+(?:my|his|her|their|the)\s+(?:sputum|phlegm|spit|mucus)\b"
        r"|\bbloody\s+(?:sputum|phlegm|mucus|spit)\b|\b(?:spit|spitting|spat)\s+(?:up\s+)?blood\b",
    ),
)

# -- fever in a young infant -----------------------------------------------------------------------

_WEEKS = r"(?:[0-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_YOUNG_INFANT = (
    rf"{_WEEKS}[\s-]*(?:weeks?|wks?)[\s-]*old|(?:[0-2]|one|two)[\s-]*(?:months?|mths?)[\s-]*old"
    r"|(?:[0-9]|[1-8][0-9])[\s-]*days?[\s-]*old|new[\s-]?born|neonat(?:e|es|al)"
    r"|(?:under|below|less\s+than|younger\s+than)\s+(?:3|three)\s+months"
    rf"|aged?\s+(?:{_WEEKS}\s+weeks?|[1-8]?[0-9]\s+days?|(?:[0-2]|one|two)\s+months?)"
    rf"|(?:baby|infant|son|daughter|he|she)\s+is\s+(?:only\s+|just\s+)?{_WEEKS}\s+weeks"
)
_INFANT_FEVER = RedFlag(
    flag_id="infant_fever",
    label="Fever in a baby under 3 months",
    clinician_message=(
        "Fever in an infant under 3 months: high risk of serious bacterial infection; arrange "
        "immediate paediatric assessment."
    ),
    patient_message=(
        "A baby under 3 months old with a fever must be seen by a doctor straight away, even if "
        "they seem well. Go to the emergency department now. "
        f"{_emergency()} if your baby is floppy, hard to wake, or struggling to breathe."
    ),
    patterns=_compile(_near(_FEVER, _YOUNG_INFANT)),
)

# -- overdose and poisoning ------------------------------------------------------------------------

_OVERDOSE_POISONING = RedFlag(
    flag_id="overdose_poisoning",
    label="Possible overdose or poisoning",
    clinician_message=(
        "Possible overdose or poisoning (deliberate or accidental): arrange emergency "
        "assessment and seek advice from a poisons information service (e.g. TOXBASE/NPIS in the "
        "UK, Poison Control in the US); if deliberate, also assess suicide risk."
    ),
    patient_message=(
        f"{_emergency()}, or go to the emergency department, even if you feel well. "
        "Some poisons and medicines do harm hours later. "
        "Take the packet, bottle or container with you. "
        "In the US you can also call Poison Help on 1-800-222-1222."
    ),
    patterns=_compile(
        r"\b(?:took|taken|take|taking|swallowed)\s+(?:an?\s+)?overdose\b|\boverdos(?:ed|ing)\s+on\b",
        r"\b(?:took|taken|swallowed|ate|eaten|drank|drunk)\s+(?:[\w'-]+\s+){0,3}?(?:too\s+many"
        r"|too\s+much|a\s+(?:whole|full)\s+(?:box|bottle|packet|pack)|(?:a\s+)?(?:box|bottle"
        r"|packet|pack)\s+of|all\s+(?:of\s+)?(?:my|his|her|the|their)|\d{2,})\s+"
        r"(?:[\w'-]+\s+){0,2}?(?:pills|tablets|capsules|medicine|medication|paracetamol"
        r"|acetaminophen|tylenol|ibuprofen|painkillers|antidepressants|insulin)\b",
        r"\b(?:swallowed|ate|eaten|drank|drunk|drinking)\s+(?:[\w'-]+\s+){0,3}?(?:bleach"
        r"|antifreeze|button\s+batter(?:y|ies)|batter(?:y|ies)|detergent|laundry\s+(?:pod|capsule"
        r"|tablet)s?|dishwasher\s+(?:tablet|pod)s?|weed\s*killer|pesticide|rat\s+poison|poison"
        r"|magnets?)\b",
        r"(?<!food\s)(?<!blood\s)\bpoison(?:ed|ing)\b",
        r"\b(?:paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|opioid|opiate|heroin|methadone"
        r"|insulin|drug|tricyclic|antidepressant|iron|digoxin|lithium|benzodiazepine)\s+"
        r"(?:overdose|poisoning|toxicity)\b|\boverdose\s+(?:of|on)\b",
    ),
)

RED_FLAGS: tuple[RedFlag, ...] = (
    _CAUDA_EQUINA,
    _PROGRESSIVE_MOTOR_DEFICIT,
    _SPINAL_SERIOUS_PATHOLOGY,
    _CARDIAC_CHEST_PAIN,
    _STROKE,
    _SUICIDAL_THOUGHTS,
    _ANAPHYLAXIS,
    _THUNDERCLAP_HEADACHE,
    _MENINGITIS_SEPSIS,
    _SEVERE_BREATHING_DIFFICULTY,
    _GI_BLEEDING,
    _PULMONARY_EMBOLISM,
    _INFANT_FEVER,
    _OVERDOSE_POISONING,
)
