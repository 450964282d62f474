"""Red flags: wording in a question that suggests an emergency, found by pattern matching.

A small engine over reviewed rules (`red_flags.yaml`, medspaCy-style). Each flag there has
case-insensitive patterns for clinician wording ("saddle anaesthesia") and lay wording ("numb
between my legs"), a message for each audience, the condition card that answers it, and questions
that must and must not raise it (checked by the tests). The emergency numbers and crisis lines are
worded once there, for these messages and for the unsafe-question messages of `scope.py`. The file
is read and checked on first use; docs/safety.md's red-flag part is generated from it
(`safety_reference`, `update_safety_doc`).

A flag is raised when any of its patterns matches a part of the question that is not negated.

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

import functools
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError

from bedside.analyse.terms import straight_apostrophes

RULES_FILE = "red_flags.yaml"
SAFETY_DOC_START = "<!-- red-flags:start -->"
SAFETY_DOC_END = "<!-- red-flags:end -->"
UPDATE_SAFETY_DOC = (
    '.venv/bin/python -c "from bedside.analyse.red_flags import update_safety_doc; '
    'update_safety_doc()"'
)


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
    # No card is about this emergency ("I think I'm having a heart attack"): a question raising
    # it and naming no condition gets the banner and says that there is no article, rather than
    # an article from whichever card its words happen to find (blood lipids, pneumonia).
    banner_only: bool = False
    # The symptoms that raise it name another card's condition ("a pounding headache" in
    # pregnancy is not migraine): its own card answers even when the question names another.
    cards_lead: bool = False
    # Its features told as long past still count ("a history of prostate cancer" with back
    # pain); for most flags an event years ago is history, not an emergency now.
    past_counts: bool = False
    # A sign told before the person was seen in emergency care ("knocked out for a few secs. A&E
    # said it's a mild concussion") has been assessed; only one told after the visit raises it.
    cleared_by_a_visit: bool = False
    summary: str = ""  # what raises it, in words (docs/safety.md)
    examples: tuple[str, ...] = ()  # questions that must raise it
    not_examples: tuple[str, ...] = ()  # questions that must not


@dataclass(frozen=True, slots=True)
class RedFlagRules:
    """The reviewed content of `red_flags.yaml`, checked and compiled."""

    flags: tuple[RedFlag, ...]  # in table order: the order flags are reported in
    emergency_numbers: str  # "911 in the US, 999 in the UK, 112 in the EU"
    crisis_lines: str  # the suicide and crisis lines, in a sentence or two

    def fill(self, template: str) -> str:
        """`template` with "{emergency_numbers}" and "{crisis_lines}" in the reviewed wording."""
        return _worded(template, self._wording(), "message")

    def _wording(self) -> dict[str, str]:
        return {"emergency_numbers": self.emergency_numbers, "crisis_lines": self.crisis_lines}


class RedFlagRulesError(ValueError):
    """A red-flag rules file is invalid; the message names the file, the flag and the field."""


@functools.cache
def red_flag_rules() -> RedFlagRules:
    """The bundled rules (`red_flags.yaml`); read and checked once, on first use."""
    text = resources.files("bedside.analyse").joinpath(RULES_FILE).read_text("utf-8")
    return load_red_flag_rules(text, RULES_FILE)


def __getattr__(name: str) -> tuple[RedFlag, ...]:
    # RED_FLAGS, the table, is read from the rules file on first use, not on import.
    if name == "RED_FLAGS":
        return red_flag_rules().flags
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def find_red_flags(question: str) -> list[RedFlag]:
    """The red flags a question raises, in table order, each at most once."""
    text = straight_apostrophes(question)
    spans = _negated_spans(text)
    flags = red_flag_rules().flags
    return [
        flag
        for flag in flags
        if any(
            _matches(
                p,
                text,
                spans,
                past_counts=flag.past_counts,
                cleared_by_a_visit=flag.cleared_by_a_visit,
            )
            for p in flag.patterns
        )
    ]


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
    theres hes shes theyre weve youve thats
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


def _matches(
    pattern: re.Pattern[str],
    text: str,
    spans: list[tuple[int, int, int]],
    *,
    past_counts: bool = False,
    cleared_by_a_visit: bool = False,
) -> bool:
    position = 0
    while (match := pattern.search(text, position)) is not None:
        if (
            not _is_negated(match, spans)
            and (past_counts or not _told_as_long_past(match, text))
            and not (cleared_by_a_visit and _seen_since(match, text))
        ):
            return True
        position = match.start() + 1  # a later, un-negated occurrence may still follow
    return False


# -- the past -------------------------------------------------------------------------------------

# An event months or years ago (said right after it, in the same clause), or told as history, is
# the person's past, not an emergency now:
# "upper GI bleed from a duodenal ulcer 3 years ago (no bleeding since)" in an anticoagulation
# question. Days and weeks stay: "vomited blood 2 days ago" is still urgent.
_LONG_AGO = re.compile(
    r"^(?:[^.!?;,\n]|\.(?=\d)){0,40}?\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|several|many|a\s+few|some)\s+(?:years?|yrs?|months?|decades?)\s+ago\b|"
    r"^(?:[^.!?;,\n]|\.(?=\d)){0,40}?\bin\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# ("old" as in "an old injury", not an age: "my 12 yr old got a knock to the head".)
_HISTORY_BEFORE = re.compile(
    r"\b(?:history\s+of|hx(?:\s+of)?|pmhx?(?:\s+of)?|h/o|previous|prior|past|"
    r"(?<!yr\s)(?<!yrs\s)(?<!year\s)(?<!years\s)(?<!yr-)(?<!year-)(?<!month\s)(?<!months\s)old)"
    r"\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


# Emergency care that has since seen the person and said what it found ("A&E said it's a mild
# concussion", "the ER did a CT, all clear", "sent him home"): what came before has been assessed.
_SEEN_IN_EMERGENCY_CARE = re.compile(
    r"\b(?:a\s*&\s*e|a\s+and\s+e|er|emergency\s+(?:department|room|dept)|urgent\s+care|"
    r"casualty)\b[^.!?\n]{0,60}?\b(?:said|says|told|checked|examined|assessed|scanned|"
    r"discharged|did\s+a\s+(?:ct|scan)|sent\s+(?:him|her|me|us|them)\s+home|no\s+(?:ct|scan))\b"
    # (A hospital or a crew that only "said" something may have been a phone call.)
    r"|\b(?:the\s+hospital|paramedics?|ambulance\s+crew)\b[^.!?\n]{0,60}?\b(?:checked|"
    r"examined|assessed|scanned|discharged|did\s+a\s+(?:ct|scan)|"
    r"sent\s+(?:him|her|me|us|them)\s+home)\b"
    r"|\b(?:discharged|sent\s+home)\s+(?:from|by)\s+(?:a\s*&\s*e|the\s+er|(?:the\s+)?hospital)\b",
    re.IGNORECASE,
)


_CLAUSE_END = re.compile(r"[.,;!?\n]|\bbut\b|\bthen\b|\bnow\b", re.IGNORECASE)


def _seen_since(match: re.Match[str], text: str) -> bool:
    """Whether emergency care saw the person after what the match tells: a visit told after
    the match begins, with nothing of the match past the visit's own clause ("knocked out …
    A&E said it's a mild concussion"; not "… A&E sent him home, but tonight he's been sick")."""
    for visit in _SEEN_IN_EMERGENCY_CARE.finditer(text, match.start()):
        clause_end = _CLAUSE_END.search(text, visit.end())
        if match.end() <= (clause_end.start() if clause_end else len(text)):
            return True
    return False


def _told_as_long_past(match: re.Match[str], text: str) -> bool:
    """Whether the matched words tell of something long past ("… 3 years ago", "history of")."""
    before = text[max(0, match.start() - 40) : match.start()]
    return bool(_LONG_AGO.search(text[match.end() :]) or _HISTORY_BEFORE.search(before))


# -- pattern building -----------------------------------------------------------------------------


def _near(first: str, second: str, gap: int = 100, across: bool = False) -> tuple[str, str]:
    """Two features in one sentence (or, `across` sentences, one passage), in either order, each
    captured for the negation check.

    Two versions: a lazy gap finds the nearest second feature, a greedy one the farthest, so
    that one negated mention ("chest pain, not sweaty, but worse walking") does not hide another.
    """
    sources = []
    within = r"[\s\S]" if across else r"(?:[^.!?;\n]|\.(?=\d))"  # "38.5" ends no sentence
    for lazy in ("?", ""):
        between = rf"{within}{{0,{gap}}}{lazy}"
        sources.append(
            rf"\b({first})\b{between}\b({second})\b|\b({second})\b{between}\b({first})\b"
        )
    return sources[0], sources[1]


def _close(first: str, second: str, words: int = 3) -> str:
    """Two features at most `words` plain words apart (no punctuation), in either order."""
    between = rf"\s+(?:[\w'-]+\s+){{0,{words}}}?"
    return rf"\b({first}){between}({second})\b|\b({second}){between}({first})\b"


# -- the rules file -------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z][a-z_]*)\}")  # "{fever}"; never a quantifier such as "{0,3}"
_TAGS = frozenset({"regex", "any", "near", "close", "list"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_Regex = Annotated[str, Field(min_length=1)]


class _AnyOf(_Strict):
    """Alternatives, joined by "|": any one matches."""

    any: list[_Regex] = Field(min_length=2)


class _Near(_Strict):
    """Two features in one sentence, at most `gap` characters apart, in either order; with
    `across_sentences`, anywhere in the question within `gap` ("hit his head … He's been sick
    twice")."""

    near: tuple[_Regex, _Regex]
    gap: int = Field(default=100, ge=1)
    across_sentences: bool = False


class _Close(_Strict):
    """Two features at most `words` plain words apart, in either order."""

    close: tuple[_Regex, _Regex]
    words: int = Field(default=3, ge=0)


def _pattern_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "regex"
    if isinstance(value, dict):
        return next((key for key in ("any", "near", "close") if key in value), None)
    return None


def _fragment_kind(value: Any) -> str | None:
    return "regex" if isinstance(value, str) else "list" if isinstance(value, list) else None


_Pattern = Annotated[
    Annotated[_Regex, Tag("regex")]
    | Annotated[_AnyOf, Tag("any")]
    | Annotated[_Near, Tag("near")]
    | Annotated[_Close, Tag("close")],
    Discriminator(
        _pattern_kind,
        custom_error_type="pattern",
        custom_error_message="a pattern is a regular expression, or a mapping with 'any', "
        "'near' or 'close'",
    ),
]
_Fragment = Annotated[
    Annotated[_Regex, Tag("regex")] | Annotated[list[_Regex], Tag("list")],
    Discriminator(
        _fragment_kind,
        custom_error_type="fragment",
        custom_error_message="a fragment is a regular expression or a list of alternatives",
    ),
]


class _FlagModel(_Strict):
    id: str = Field(pattern=r"^[a-z]+(?:_[a-z]+)*$")
    label: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    clinician: str = Field(min_length=1)
    patient: str = Field(min_length=1)
    condition_cards: list[str] = Field(default_factory=list)
    banner_only: bool = False
    cards_lead: bool = False
    past_counts: bool = False
    cleared_by_a_visit: bool = False
    fragments: dict[str, _Fragment] = Field(default_factory=dict)
    patterns: list[_Pattern] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)
    not_examples: list[str] = Field(default_factory=list)


class _FileModel(_Strict):
    emergency_numbers: str = Field(min_length=1)
    crisis_lines: str = Field(min_length=1)
    fragments: dict[str, _Fragment] = Field(default_factory=dict)
    flags: list[dict[str, Any]] = Field(min_length=1)  # each checked on its own: errors name it


_Model = TypeVar("_Model", bound=BaseModel)


def load_red_flag_rules(text: str, source: str = RULES_FILE) -> RedFlagRules:
    """Check and compile a red-flag rules file (its YAML `text`; `source` names it in errors)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RedFlagRulesError(f"{source}: not valid YAML: {exc}") from exc
    rules = _validated(_FileModel, data, source)
    wording = {"emergency_numbers": rules.emergency_numbers, "crisis_lines": rules.crisis_lines}
    shared = _fragments(rules.fragments, {}, f"{source}: fragments")
    flags: list[RedFlag] = []
    for index, item in enumerate(rules.flags):
        flag_id = item.get("id")
        where = (
            f"{source}: flag {flag_id!r}"
            if isinstance(flag_id, str)
            else f"{source}: flags[{index}]"
        )
        flag = _flag(_validated(_FlagModel, item, where), shared, wording, where)
        if any(other.flag_id == flag.flag_id for other in flags):
            raise RedFlagRulesError(f"{where}: id: another flag has this id")
        flags.append(flag)
    return RedFlagRules(tuple(flags), rules.emergency_numbers, rules.crisis_lines)


def _validated(model: type[_Model], data: Any, where: str) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_field(error['loc'])}: {error['msg']}" for error in exc.errors())
        raise RedFlagRulesError(f"{where}: {problems}") from exc


def _field(loc: Sequence[int | str]) -> str:
    """'patterns[2].near[1]' for a pydantic error location (leaving out the union tags)."""
    text = ""
    for index, part in enumerate(loc):
        after_key = index >= 2 and loc[index - 2] == "fragments"
        if part in _TAGS and index and (isinstance(loc[index - 1], int) or after_key):
            continue
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(the whole file)"


def _fragments(
    raw: Mapping[str, str | list[str]], shared: Mapping[str, str], where: str
) -> dict[str, str]:
    """Named pieces of patterns, with the fragments they name put in."""
    table = dict(shared)
    for name, value in raw.items():
        if not re.fullmatch(r"[a-z][a-z_]*", name):
            raise RedFlagRulesError(f"{where}.{name}: a name is lower-case letters and '_'")
        if name in shared:
            raise RedFlagRulesError(f"{where}.{name}: a shared fragment has this name")
        table[name] = value if isinstance(value, str) else "|".join(value)
    return {name: _expand(table[name], table, f"{where}.{name}", (name,)) for name in table}


def _expand(text: str, table: Mapping[str, str], where: str, through: tuple[str, ...] = ()) -> str:
    def fragment(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in table:
            raise RedFlagRulesError(f"{where}: no fragment is called {{{name}}}")
        if name in through:
            raise RedFlagRulesError(f"{where}: {{{name}}} is part of itself")
        return _expand(table[name], table, where, (*through, name))

    return _PLACEHOLDER.sub(fragment, text)


def _flag(
    rule: _FlagModel, shared: Mapping[str, str], wording: Mapping[str, str], where: str
) -> RedFlag:
    table = _fragments(rule.fragments, shared, f"{where}: fragments")
    patterns: list[re.Pattern[str]] = []
    for index, entry in enumerate(rule.patterns):
        at = f"{where}: patterns[{index}]"
        if isinstance(entry, _Near):
            first, second = (_expand(part, table, at) for part in entry.near)
            sources: Sequence[str] = _near(first, second, entry.gap, entry.across_sentences)
        elif isinstance(entry, _Close):
            first, second = (_expand(part, table, at) for part in entry.close)
            sources = [_close(first, second, entry.words)]
        else:
            sources = [_expand(entry if isinstance(entry, str) else "|".join(entry.any), table, at)]
        for source in sources:
            try:
                patterns.append(re.compile(source, re.IGNORECASE))
            except re.error as exc:
                raise RedFlagRulesError(f"{at}: not a valid regular expression: {exc}") from exc
    return RedFlag(
        flag_id=rule.id,
        label=rule.label,
        clinician_message=_worded(rule.clinician, wording, f"{where}: clinician"),
        patient_message=_worded(rule.patient, wording, f"{where}: patient"),
        patterns=tuple(patterns),
        condition_cards=tuple(rule.condition_cards),
        banner_only=rule.banner_only,
        cards_lead=rule.cards_lead,
        past_counts=rule.past_counts,
        cleared_by_a_visit=rule.cleared_by_a_visit,
        summary=rule.summary,
        examples=tuple(rule.examples),
        not_examples=tuple(rule.not_examples),
    )


def _worded(template: str, wording: Mapping[str, str], where: str) -> str:
    def words(match: re.Match[str]) -> str:
        if match.group(1) not in wording:
            known = ", ".join(f"{{{name}}}" for name in wording)
            raise RedFlagRulesError(f"{where}: unknown {match.group()} (known: {known})")
        return wording[match.group(1)]

    return _PLACEHOLDER.sub(words, template)


# -- docs/safety.md -------------------------------------------------------------------------------


def safety_reference() -> str:
    """The red-flag part of docs/safety.md, markers included, from the rules file."""
    rules = red_flag_rules()
    lines = [
        SAFETY_DOC_START,
        f"<!-- Generated from src/bedside/analyse/{RULES_FILE}: edit that file, then run",
        f"{UPDATE_SAFETY_DOC} -->",
        "",
        "| id | Raised by |",
        "|---|---|",
    ]
    for flag in rules.flags:
        summary = flag.summary.replace("|", r"\|")
        lines.append(f"| `{flag.flag_id}` | {summary} |")
    messages = (
        "Every flag has a clinician message (the widely accepted urgent action) and a patient "
        "message in plain words (checked at reading grade 8 or below) that says what to do now "
        f"and gives the emergency numbers ({rules.emergency_numbers})."
    )
    crisis = [f"`{f.flag_id}`" for f in rules.flags if rules.crisis_lines in f.patient_message]
    if crisis:
        messages += (
            f' The {", ".join(crisis)} message also gives the crisis lines: "{rules.crisis_lines}"'
        )
    messages += " The unsafe-question messages (see Scope) give them in the same words."
    lines += ["", *_wrapped(messages), "", "### Each flag's messages and examples", ""]
    lines += _wrapped(
        "The questions are the rules file's examples, which must raise the flag, and "
        "not-examples, which must not; the tests check every one."
    )
    for flag in rules.flags:
        lines += ["", f"#### `{flag.flag_id}`: {flag.label}", ""]
        lines += _wrapped(f"- **Clinician:** {flag.clinician_message}")
        lines += _wrapped(f"- **Patient:** {flag.patient_message}")
        if flag.condition_cards:
            cards = ", ".join(f"`{card}`" for card in flag.condition_cards)
            lines += _wrapped(f"- **Answered from the card:** {cards}")
        if flag.banner_only:
            lines += _wrapped("- **No article:** the banner alone, when no condition is named")
        lines += _wrapped(f"- **Raised by:** {_quoted(flag.examples)}")
        if flag.not_examples:
            lines += _wrapped(f"- **Not raised by:** {_quoted(flag.not_examples)}")
    lines.append(SAFETY_DOC_END)
    return "\n".join(lines)


def update_safety_doc(path: str | Path = "docs/safety.md") -> None:
    """Rewrite the red-flag part of docs/safety.md (run from the repository root)."""
    doc = Path(path)
    text = doc.read_text("utf-8")
    start, end = text.find(SAFETY_DOC_START), text.find(SAFETY_DOC_END)
    if not 0 <= start < end:
        raise ValueError(f"{doc}: no {SAFETY_DOC_START} ... {SAFETY_DOC_END} part to rewrite")
    doc.write_text(text[:start] + safety_reference() + text[end + len(SAFETY_DOC_END) :], "utf-8")


def _wrapped(text: str) -> list[str]:
    indent = "  " if text.startswith("- ") else ""
    return textwrap.wrap(
        text, 100, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _quoted(questions: Sequence[str]) -> str:
    return "; ".join(f'"{question}"' for question in questions) + "."
