"""Numbers with their units and bounds, for checking a sentence someone else wrote.

`numbers.py` compares bare values, which is enough for a sentence copied from its passage. A
paraphrase can keep every value and still change the fact: "500 mg" written "500 g", "6 weeks"
written "6 months", "more than 12 weeks" written "less than 12 weeks". Here each value keeps the
unit written after it (carried back over a range or a ratio: "4 to 6 weeks", "180/120 mmHg") and
the bound written before or after it ("at least", "or more"). Number words become digits first,
so "two weeks" and "2 weeks" are one quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
}  # fmt: skip
_SINGLE = re.compile(r"\b(?:single|once)\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
# "twice daily" is "2 times daily"; "once" only where it counts ("once a day", "once daily"):
# "once you feel better" holds no number.
_TIMES = re.compile(
    r"\b(twice|once)(?=\s+(?:a|an|per|each|every|daily|weekly|monthly|yearly)\b)", re.IGNORECASE
)
# A value, with the letter of a class or grade ("class 2a") as part of it: "2a" is not "2b".
_VALUE = r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:[a-d](?![a-z]))?)"
_JOIN = r"\s*(?:-|–|—|/|to|or|and)\s*"


@dataclass(frozen=True, slots=True)
class Quantity:
    """One value as written: its unit ("" when none is known) and bound ("above", "below", "")."""

    value: str
    unit: str
    bound: str
    written: str = ""  # as the text writes it: "6 weeks", "4.1 million"

    def describe(self) -> str:
        words = {"above": "at least ", "below": "at most ", "": ""}[self.bound]
        return f"{words}{self.written or self.value}"


@dataclass(frozen=True, slots=True)
class QuantityRules:
    """Units (canonical name → spellings) and bound words, from the paraphrase rules file."""

    units: Mapping[str, tuple[str, ...]]
    above: tuple[str, ...]
    below: tuple[str, ...]

    def unit_pattern(self) -> re.Pattern[str]:
        spellings = sorted(
            (spelling for names in self.units.values() for spelling in names), key=len, reverse=True
        )
        alternatives = "|".join(re.escape(s) for s in spellings)
        return re.compile(rf"\s*({alternatives})(?![a-z])", re.IGNORECASE)

    def single_word_bounds(self) -> frozenset[str]:
        """The bound words written alone ("over", "within"), lower-case."""
        return frozenset(w.lower() for w in (*self.above, *self.below) if w.isalpha())

    def canonical(self, spelling: str) -> str:
        lowered = spelling.lower()
        for name, spellings in self.units.items():
            if lowered in (s.lower() for s in spellings):
                return name
        return lowered


def normalise_numbers(text: str) -> str:
    """Number words as digits: "two to three days" → "2 to 3 days", "twice daily" → "2 times
    daily"."""
    text = _TIMES.sub(lambda m: "2 times" if m.group(1).lower() == "twice" else "1 times", text)
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], text)


def quantities_in(text: str, rules: QuantityRules) -> list[Quantity]:
    """Every value of `text` with its unit and bound, in order."""
    return [quantity for quantity, _, _ in placed_quantities(normalise_numbers(text), rules)]


def placed_quantities(text: str, rules: QuantityRules) -> list[tuple[Quantity, int, int]]:
    """Every value of `text` (number words already digits: `normalise_numbers`) with where it
    is written, its unit included: (quantity, start, end)."""
    unit_after = rules.unit_pattern()
    matches = list(re.finditer(_VALUE, text))
    units: list[str] = []
    written: list[str] = []
    for match in matches:
        found = unit_after.match(text, match.end())
        units.append(rules.canonical(found.group(1)) if found else "")
        written.append(text[match.start() : found.end()] if found else match.group(1))
    # A unit written once covers every value of its range or ratio ("2 to 3 days").
    for index in range(len(matches) - 2, -1, -1):
        between = text[matches[index].end() : matches[index + 1].start()]
        if not units[index] and re.fullmatch(_JOIN, between, re.IGNORECASE):
            units[index] = units[index + 1]
    return [
        (
            Quantity(_value(match.group(1)), unit, _bound(text, match, rules), shown),
            match.start(),
            match.start() + len(shown),
        )
        for match, unit, shown in zip(matches, units, written, strict=True)
    ]


def _value(raw: str) -> str:
    value = raw.replace(",", "")
    if "." in value and value[-1].isdigit():
        return value.rstrip("0").rstrip(".")
    return value


def _bound(text: str, match: re.Match[str], rules: QuantityRules) -> str:
    before = text[max(0, match.start() - 20) : match.start()].lower()
    after = text[match.end() : match.end() + 30].lower()
    for bound, words in (("above", rules.above), ("below", rules.below)):
        for word in words:
            if word.startswith("or ") and re.match(rf"^\s*(?:\S+\s+)?{re.escape(word)}\b", after):
                return bound  # "65 or over", "12 weeks or more"
            if not word.startswith("or ") and re.search(rf"(?:^|\W){re.escape(word)}\s*$", before):
                return bound
    return ""


def unsupported_quantities(
    sentence: str, passages: Iterable[str], rules: QuantityRules
) -> list[str]:
    """What is wrong with each quantity of `sentence` that the passages do not state: its value
    is in none of them, or only with another unit, or only with the opposite bound."""
    passages = list(passages)
    available = [q for passage in passages for q in quantities_in(passage, rules)]
    # "One inhaler" rewords "a single inhaler"; "once" is one time.
    single = any(_SINGLE.search(passage) for passage in passages)
    problems = []
    for quantity in quantities_in(sentence, rules):
        same_value = [q for q in available if q.value == quantity.value]
        if not same_value and quantity.value == "1" and not quantity.unit and single:
            continue
        if not same_value:
            problems.append(f"{quantity.describe()}: the number is in no cited passage")
            continue
        if quantity.unit and not any(q.unit == quantity.unit for q in same_value):
            written = ", ".join(sorted({q.describe() for q in same_value}))
            problems.append(f"{quantity.describe()}: the cited passages say {written}")
            continue
        fitting = [q for q in same_value if not quantity.unit or q.unit == quantity.unit]
        if not any(q.bound == quantity.bound for q in fitting):
            written = ", ".join(sorted({q.describe() for q in fitting}))
            problems.append(f"{quantity.describe()}: the cited passages say {written}")
    return problems
