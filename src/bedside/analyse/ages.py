"""Ages: the age a question gives, and the age ranges a statement applies to.

"Older adult" and "child" are too coarse to choose advice by: a 70-year-old is an older adult,
but a blood-pressure target "for people aged 80 and over" is not theirs; a 4-month-old is a
child, but advice "for children aged 6 months or older" does not cover them. The question's
age is read once (`asked_age`); a statement that states age bounds and leaves that age out
(`excludes_age`) answers another person's question.

Only ages written as ages count: "a 79-year-old", "aged 74", "I'm 68", "in her 80s", "under
65", "aged 30 to 79", "6 months to 12 years", and a clinician's "68F", "78yo", "Male 71". A
number next to a unit of something else ("28 weeks pregnant", "an eGFR of 20", "over 140 mmHg")
is not an age.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_UNIT_YEARS = {"year": 1.0, "yr": 1.0, "month": 1 / 12, "week": 1 / 52, "day": 1 / 365}
_UNIT = r"(?P<unit>years?|yrs?|months?|weeks?|days?)"

# -- the question's age ---------------------------------------------------------------------------
_AGED_OLD = re.compile(rf"\b(?P<n>\d{{1,3}})[- ]?{_UNIT}[- ]old\b", re.IGNORECASE)
# ("a rash from amoxicillin at age 3" is the reader's history, not their age.)
_AGED = re.compile(
    r"(?<!\bat )(?<!\bfrom )(?<!\bsince )(?<!\buntil )(?<!\bbefore )(?<!\bafter )"
    r"\baged? (?P<n>\d{1,3})\b(?![- ]?(?:mg|kg|%|/|mm|micro|weeks|months|days))"
)
# A bare number opening the question, then a comma and words ("72, arthritis …", "34 m, …" is
# the shorthand's): not a reading ("140/90, is that high?") nor a dose.
_AGE_FIRST = re.compile(r"\s*(?P<n>\d{1,3})\s*,\s*(?=[a-z])", re.IGNORECASE)
_I_AM = re.compile(
    r"\b(?:i'?m|i am|he'?s|she'?s|he is|she is|who is|"
    r"(?:(?:little|eldest|oldest|youngest|baby|older|younger) )?"
    r"(?:mum|mom|dad|father|mother|husband|wife|partner|son|daughter|grandson|granddaughter|boy|"
    r"girl|baby|child|toddler|kid|brother|sister|nephew|niece) is|"
    r"turned|just turned)\s+(?P<n>\d{1,3})\b(?![- ]?(?:mg|kg|%|/|mm|micro|weeks?|months?|days?|"
    r"times|stone|lb|pounds|units|\.\d))",
    re.IGNORECASE,
)
# "My son is 18 months", "she's only 7 weeks": an age in months or weeks with no "old" (not
# "I'm 20 weeks pregnant", "he's 3 weeks into treatment").
_IS_UNITS = re.compile(
    r"\b(?:i'?m|i am|he'?s|she'?s|he is|she is|who is|"
    r"(?:baby|son|daughter|child|boy|girl|toddler|kid|grandson|granddaughter) is)\s+"
    rf"(?:only |just |nearly |almost |now )?(?P<n>\d{{1,2}})\s?{_UNIT}\b"
    r"(?!\s+(?:pregnant|postpartum|post-partum|ago|of|on|in|into|since|after|before|late|early))",
    re.IGNORECASE,
)
# A clinician's shorthand: "68F", "52M", "78yo", "78 y/o", "Male 71", "my son (14)"; a
# carer's "Dad (82)", "husband 75 has had back pain".
_SHORTHAND = re.compile(
    r"\b(?:(?P<n>[1-9]?\d)(?-i:[MF])\b|(?-i:[MF])\s?(?P<n4>[1-9]?\d)\b(?![/.%]|\s*(?:mg|kg))"
    r"|(?P<n3>\d{1,3})\s?(?:yo|y/o|y\.o\.|yrs? old)\b)"
    r"|\b(?:male|female|man|woman|boy|girl|son|daughter|pt|patient|mum|mom|mother|dad|father|"
    r"husband|wife|partner|grandson|granddaughter|grandma|grandad|granny|gran|nan|nana|grandpa|grandfather|grandmother),?\s+"
    r"\(?(?P<n2>\d{1,3})\)?"
    r"(?![- ]?(?:mg|kg|%|/|mm|micro|weeks?|months?|days?|times|units|\.\d))\b",
    re.IGNORECASE,
)
# A clinician's months: "18mo", "9 mths", "18 m/o", and the UK's "9/12" (nine twelfths of a
# year; not "12/40", weeks of pregnancy).
_MONTHS_SHORTHAND = re.compile(
    # (…not a duration: "no abx in past 3 mo", "2 exacerbations in the last 12 mths".)
    r"(?<!past )(?<!last )(?<!for )(?<!over )(?<!within )(?<!every )(?<!since )(?<!x )"
    r"(?<!after )(?<!in )"
    r"(?:\b(?P<n>\d{1,2})\s?(?:mo|mos|mths?|m/o)\b|(?<![\d/])\b(?P<n2>\d{1,2})/12\b(?!/))",
    re.IGNORECASE,
)
# "post-MI 6 mo", "on it 6 mo", "6 mo ago", "6 mo post-op": time since an event, not an age.
_SINCE_BEFORE = re.compile(
    r"(?:\bpost[- ]?[\w-]+|\bon (?:it|this|that|them)|\bstarted|\bremitted|\bin remission|\bwell"
    r"|\bstable|\bbetter|\bdiagnosed|\bdx|\btreated)\s*$",
    re.I,
)
_SINCE_AFTER = re.compile(r"^\s*(?:ago|post|after|since|later)\b", re.I)


def _tells_time_since_an_event(question: str, match: re.Match[str]) -> bool:
    return bool(
        _SINCE_BEFORE.search(question[: match.start()])
        or _SINCE_AFTER.search(question[match.end() :])
    )


_DECADE = re.compile(
    r"\bin (?:his|her|their|my|your|the) (?:(?P<part>early|mid|late) )?"
    r"(?:(?P<n>[2-9])0s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|"
    r"nineties))\b",
    re.IGNORECASE,
)
_DECADE_WORDS = (
    "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties",
)  # fmt: skip
_PART_OF_DECADE = {"early": 2.0, "mid": 5.0, "late": 8.0, None: 5.0}


# "Threw my back out picking up my 2 yr old": the child lifted is not the person asking about.
_SOMEONE_HANDLED = re.compile(
    r"\b(?:lift(?:ing|ed)?|carry(?:ing)?|carried|pick(?:ing|ed)? up|hold(?:ing)?|held"
    r"|chas(?:ing|ed)|bath(?:ing|ed))\s+(?:up\s+)?(?:my|our|the|his|her|a)\s*$",
    re.IGNORECASE,
)


def _first_of_the_reader(pattern: re.Pattern[str], question: str) -> re.Match[str] | None:
    matches = pattern.finditer(question)
    return next((m for m in matches if not _SOMEONE_HANDLED.search(question[: m.start()])), None)


def asked_age(question: str) -> float | None:
    """The age, in years, of the person a question is about, when it gives one."""
    match = _first_of_the_reader(_AGED_OLD, question) or _IS_UNITS.search(question)
    if match:
        return int(match["n"]) * _unit_years(match["unit"])
    months = next(
        (
            m
            for m in _MONTHS_SHORTHAND.finditer(question)
            if not _tells_time_since_an_event(question, m)
        ),
        None,
    )
    # "48M nonspecific LBP 9/12": an age in years written as a clinician writes it is the
    # person's, and the months after the condition are how long it has lasted.
    shorthand = _first_of_the_reader(_SHORTHAND, question)
    if months and not (shorthand and shorthand.start() < months.start()):
        return int(months["n"] or months["n2"]) / 12
    for pattern in (_AGED, _I_AM):
        match = pattern.search(question)
        # (…after a clinician's "16F" that opens the story: "16F … Pen allergy = urticaria age
        # 6" tells when the reaction happened.)
        if match and shorthand and shorthand.start() < match.start():
            break
        if match and 0 < int(match["n"]) <= 110:
            return float(match["n"])
    if match := shorthand:
        years = int(match["n"] or match["n4"] or match["n3"] or match["n2"])
        if 0 < years <= 110:
            return float(years)
    # "72, arthritis in both knees …": a reader's age, written first, then the story.
    if (match := _AGE_FIRST.match(question)) and 0 < int(match["n"]) <= 110:
        return float(match["n"])
    match = _DECADE.search(question)
    if match:
        word = (match["word"] or "").lower()
        decade = int(match["n"]) if match["n"] else 2 + _DECADE_WORDS.index(word)
        # "in her 80s": the middle of the decade; "in her late seventies": 78
        part = match["part"].lower() if match["part"] else None
        return decade * 10 + _PART_OF_DECADE[part]
    return None


# -- the ages a statement applies to --------------------------------------------------------------
# Who a bound is about: "adults under 65", "children younger than 3 years", "people aged 80",
# "women past menopause who are younger than 65", a plain line's "are you under 55?".
_WHO = (
    r"(?:adults?|people|persons?|patients?|women|men|those|anyone|children|individuals|aged|"
    r"who are|who is|you|you're)"
)
_RANGE = re.compile(
    rf"\baged (?P<low>\d{{1,3}})(?: (?P<low_unit>years?|months?))? (?:to|-|–) "
    rf"(?P<high>\d{{1,3}})(?: {_UNIT})?\b"
    rf"|\b(?P<low2>\d{{1,3}}) (?P<low_unit2>months?|years?) to (?P<high2>\d{{1,3}}) "
    rf"(?P<unit2>years?|months?)\b"
    # a plain line's "is your child 5 to 11?": who, then the band with no "aged"
    rf"|\b(?:child|children|kids?|teens?|adults?|people) (?P<low3>\d{{1,3}}) (?:to|-|–) "
    rf"(?P<high3>\d{{1,3}})(?: (?P<unit3>years?|months?))?\b"
    rf"(?![- ]?(?:mg|kg|%|/|mm|micro|times|days?|weeks?|hours?|doses?|puffs?))",
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    rf"\b(?:aged |age )?(?P<n>\d{{1,3}})(?: {_UNIT})? (?:years )?(?:or|and) (?:over|older|above)\b"
    rf"|\b{_WHO}(?: aged)? (?:over|older than|above) (?P<n2>\d{{1,3}})"
    rf"(?: (?P<unit2>years?|months?))?\b(?![- ]?(?:mg|kg|%|/|mm|micro))",
    re.IGNORECASE,
)
_UNDER = re.compile(
    rf"\b{_WHO}(?: aged)? (?:under|younger than|below) (?P<n>\d{{1,3}})(?: {_UNIT})?\b"
    rf"(?![- ]?(?:mg|kg|%|/|mm|micro))"
    rf"|\byounger than (?P<n2>\d{{1,3}}) (?P<unit2>years?|months?)\b",
    re.IGNORECASE,
)


# "2.5 mg in people with at least two of: age 80 or over, weight 60 kg or less, …": an age that
# is one criterion among several bounds no one's age.
_ONE_CRITERION_OF = re.compile(r"\b(?:at least|any) (?:two|2|one|1) of\b", re.IGNORECASE)


def age_ranges(text: str) -> list[tuple[float, float]]:
    """The age ranges, in years (low inclusive, high exclusive), that `text` states."""
    ranges: list[tuple[float, float]] = []
    if _ONE_CRITERION_OF.search(text):
        return ranges
    for match in _RANGE.finditer(text):
        if match["low"] is not None:
            high_unit = _unit_years(match["unit"] or "year")
            low_unit = _unit_years(match["low_unit"]) if match["low_unit"] else high_unit
            ranges.append((int(match["low"]) * low_unit, (int(match["high"]) + 1) * high_unit))
        elif match["low2"] is not None:
            low = int(match["low2"]) * _unit_years(match["low_unit2"])
            ranges.append((low, (int(match["high2"]) + 1) * _unit_years(match["unit2"])))
        else:
            unit = _unit_years(match["unit3"] or "year")
            ranges.append((int(match["low3"]) * unit, (int(match["high3"]) + 1) * unit))
    for match in _AT_LEAST.finditer(text):
        if match["n"] is not None:
            ranges.append((int(match["n"]) * _unit_years(match["unit"] or "year"), math.inf))
        else:
            # "over 65": older than 65, so 65 itself is left out
            low = int(match["n2"]) * _unit_years(match["unit2"] or "year")
            ranges.append((low + 1e-6, math.inf))
    for match in _UNDER.finditer(text):
        if match["n"] is not None:
            ranges.append((0.0, int(match["n"]) * _unit_years(match["unit"] or "year")))
        else:
            ranges.append((0.0, int(match["n2"]) * _unit_years(match["unit2"])))
    return ranges


def excludes_age(text: str, age: float | None) -> bool:
    """Whether `text` states who it applies to by age, and `age` is outside every range."""
    return outside_every_range(age, age_ranges(text))


def outside_every_range(value: float | None, ranges: Sequence[tuple[float, float]]) -> bool:
    """Whether a statement's ranges, [low, high), bound whom it is for and `value` is outside
    every one: how age, kidney function and cardiovascular risk all leave a line out."""
    if value is None:
        return False
    return bool(ranges) and not any(low <= value < high for low, high in ranges)


def _unit_years(unit: str) -> float:
    word = unit.lower().rstrip("s")
    return _UNIT_YEARS.get(word, 1.0)
