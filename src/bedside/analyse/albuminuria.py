"""Albuminuria: the urine albumin:creatinine ratio (ACR) a question gives, and the ACR bands a
statement applies to.

"Consider an SGLT2 inhibitor when the ACR is between 3 and 30 mg/mmol" and "offer one when it
is over 30" are advice for two different people; a question that says "UACR 45 mg/mmol" is the
second one's. As for age, kidney function and cardiovascular risk, the question's value is read
once (`asked_albumin_ratio`) and a statement that bounds the ratio and leaves that value out
(`excludes_albumin_ratio`) answers another person's question.

Values are kept in mg/mmol, the unit of UK sources. A value in mg/g (US and KDIGO sources) is
divided by 10, not by the exact 8.84: KDIGO's categories (A1 below 3 mg/mmol or 30 mg/g, A2 3–30
or 30–300, A3 above 30 or 300) pair the two units by a factor of 10, and the sources' thresholds
are those category boundaries. A value told with no unit is not read: "UACR 45" is severely
raised in mg/mmol and only moderately in mg/g, and guessing would pick someone else's advice.
"""

from __future__ import annotations

import math
import re

from bedside.analyse.ages import outside_every_range

_RATIO = (
    r"(?:u-?acr|acr|uacr|(?:urine\s+|urinary\s+)?albumin[\s:/-]*(?:to[\s-]*)?creatinine"
    r"(?:\s+ratio)?)"
)
_UNIT = r"(?P<unit>mg\s*/\s*mmol|mg\s*/\s*g)"
_NUMBER = r"(?P<n>\d{1,4}(?:\.\d+)?)"

# "UACR 45 mg/mmol", "an ACR of 350 mg/g", "albumin:creatinine ratio is 12 mg/mmol".
_ASKED = re.compile(
    rf"\b{_RATIO}\s*(?:of|is|was|now|=|:|~|≈|around|about)?\s*(?:of\s+)?{_NUMBER}\s*{_UNIT}",
    re.IGNORECASE,
)

# A statement's bounds: "between 3 and 30 mg/mmol", "over 30 mg/mmol", "300 mg/g or more".
_BOUND_UNIT = r"\s*(?P<{}>mg\s*/\s*mmol|mg\s*/\s*g)?"
_BETWEEN = re.compile(
    r"\b(?:between\s+)?(?P<low>\d{1,4}(?:\.\d+)?)" + _BOUND_UNIT.format("u1")
    + r"\s*(?:to|and|-|–)\s*(?P<high>\d{1,4}(?:\.\d+)?)" + _BOUND_UNIT.format("u2"),
    re.IGNORECASE,
)  # fmt: skip
_BELOW = re.compile(
    r"\b(?:below|under|less than|<)\s*(?P<n>\d{1,4}(?:\.\d+)?)" + _BOUND_UNIT.format("u"),
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    r"(?:\b(?:at least|above|over|more than|greater than|≥|>)\s*(?P<a>\d{1,4}(?:\.\d+)?)"
    + _BOUND_UNIT.format("ua")
    + r")|(?:\b(?P<b>\d{1,4}(?:\.\d+)?)" + _BOUND_UNIT.format("ub")
    + r"\s*or\s*(?:more|above|over|higher|greater))",
    re.IGNORECASE,
)  # fmt: skip
_ABOUT_THE_RATIO = re.compile(rf"\b{_RATIO}\b|\balbuminuria\b", re.IGNORECASE)


def _in_mg_per_mmol(value: str, unit: str) -> float:
    return float(value) / 10 if unit.replace(" ", "").lower() == "mg/g" else float(value)


def asked_albumin_ratio(question: str) -> float | None:
    """The urine albumin:creatinine ratio a question gives with its unit, in mg/mmol, or None."""
    match = _ASKED.search(question)
    return _in_mg_per_mmol(match["n"], match["unit"]) if match else None


def albumin_ratio_ranges(text: str) -> list[tuple[float, float]]:
    """The ACR bands, in mg/mmol, that `text` states its advice is for, [low, high): none when
    it does not speak of the ratio. Only a bound given in a unit counts ("over 30 mg/mmol";
    "between 3 and 30 mg/mmol" names it once): a bare number in the same line is another
    measure's ("an eGFR over 60 and an ACR over 30 mg/mmol")."""
    if not _ABOUT_THE_RATIO.search(text):
        return []
    ranges: list[tuple[float, float]] = []
    spans: list[tuple[int, int]] = []
    for match in _BETWEEN.finditer(text):
        unit = match["u2"] or match["u1"]
        if unit is None:
            continue
        low, high = _in_mg_per_mmol(match["low"], unit), _in_mg_per_mmol(match["high"], unit)
        if low < high:
            ranges.append((low, high))
            spans.append(match.span())
    for match in _BELOW.finditer(text):
        if match["u"] and not _inside(match.span(), spans):
            ranges.append((0.0, _in_mg_per_mmol(match["n"], match["u"])))
    for match in _AT_LEAST.finditer(text):
        value, unit = (match["a"], match["ua"]) if match["a"] else (match["b"], match["ub"])
        if unit and not _inside(match.span(), spans):
            ranges.append((_in_mg_per_mmol(value, unit), math.inf))
    return ranges


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in spans)


def excludes_albumin_ratio(text: str, value: float | None) -> bool:
    """Whether `text` bounds the albumin:creatinine ratio it applies to and `value` is outside
    every bound."""
    return outside_every_range(value, albumin_ratio_ranges(text))
