"""Kidney function: the eGFR or creatinine clearance a question gives, and the ranges of kidney
function a statement applies to.

"Kidney disease" is too coarse to choose advice by, as "older adult" is for ages: a line for
people "with a creatinine clearance below 15 mL/min or on dialysis" is not the answer for an
eGFR of 20, and "avoid nitrofurantoin if eGFR is below 45" is about someone with an eGFR of 28,
not 60. The question's value is read once (`asked_kidney_function`); a statement that bounds
kidney function and leaves that value out (`excludes_kidney_function`) answers another person's
question. eGFR (mL/min/1.73 m²) and creatinine clearance (mL/min) are read as one scale: the
sources use them side by side for these thresholds, and a ranking needs no more precision.
"""

from __future__ import annotations

import math
import re

from bedside.analyse.ages import outside_every_range

_MEASURE = r"(?:e-?gfr|gfr|crcl|cr ?cl|creatinine clearance|glomerular filtration rate)"

# "eGFR 35", "an eGFR of 20", "eGFR=28", "CrCl ~25 mL/min", "creatinine clearance is 40".
_ASKED = re.compile(
    rf"\b{_MEASURE}\s*(?:of|is|was|now|=|:|~|≈|around|about|approx\.?)?\s*(?:of\s+)?"
    r"(?P<n>\d{1,3})(?!\s*(?:%|mg|mmol|micro|kg|\.\d))\b",
    re.IGNORECASE,
)

# What a statement bounds, with up to three words between the measure and the bound ("whose
# eGFR falls below 45", "eGFR is 30 or more").
_GAP = r"(?:\s+[\w/.²-]+){0,3}?\s+"
_BELOW = re.compile(
    rf"\b{_MEASURE}{_GAP}(?:is\s+|of\s+)?(?:below|less than|under|lower than|<)\s*"
    r"(?P<n>\d{1,3})\b",
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    rf"\b{_MEASURE}{_GAP}(?:(?:of|is)\s+)?(?:(?:at least|above|over|more than|greater than|≥|>)\s*"
    r"(?P<a>\d{1,3})\b"
    r"|(?P<b>\d{1,3})\s*(?:ml[\w/.²\s-]*?)?\s*or (?:more|above|over|higher|greater))",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    rf"\b{_MEASURE}{_GAP}(?:(?:of|is|between)\s+)?(?P<low>\d{{1,3}})\s*(?:to|and|-|–)\s*"
    r"(?P<high>\d{1,3})\b",
    re.IGNORECASE,
)


# "CKD 3b", "stage 4 kidney disease", "G3a": a stage is a range of eGFR (KDIGO). It is read as
# the lowest eGFR the stage allows, so that a line for the worse end of the stage (a dose cut at
# a creatinine clearance below 50, for stage 3a) is kept rather than left out: the cautious
# reading. The stage boundaries (15, 30, 45, 60, 90) are the thresholds the sources use, so for
# them the lower bound gives the same answer as the whole range.
_STAGE_LOWEST_EGFR = {"1": 90.0, "2": 60.0, "3": 30.0, "3a": 45.0, "3b": 30.0, "4": 15.0, "5": 0.0}
_KIDNEY_DISEASE = (
    r"(?:ckd|chronic kidney disease|kidney disease|renal (?:disease|impairment|failure))"
)
_STAGE = re.compile(
    rf"\b(?:{_KIDNEY_DISEASE}\s*(?:stage\s*|g)?(?P<after>[1-5][ab]?)"
    rf"|(?:stage|g)\s*(?P<before>[1-5][ab]?)\s+{_KIDNEY_DISEASE})\b",
    re.IGNORECASE,
)
_ON_DIALYSIS = re.compile(r"\b(?:on|having|has|needs?)\s+(?:\w+\s+)?dialysis\b", re.IGNORECASE)


def asked_kidney_function(question: str) -> float | None:
    """The eGFR or creatinine clearance a question gives, when it gives one: a value, or the
    lowest eGFR of a stated CKD stage, or end-stage for someone on dialysis."""
    match = _ASKED.search(question)
    if match and 0 < int(match["n"]) <= 150:
        return float(match["n"])
    stage = _STAGE.search(question)
    if stage:
        return _STAGE_LOWEST_EGFR[(stage["after"] or stage["before"]).lower()]
    if _ON_DIALYSIS.search(question):
        return 0.0
    return None


# "Nitrofurantoin if eGFR is 45 or more, or trimethoprim": a bound after "if" is a condition on
# one option of the statement, not on whom the statement is for.
_ON_ONE_OPTION = re.compile(r"\b(?:if|provided|unless)(?:\s+(?:the|their|your|his|her))?\s*$")


def kidney_ranges(text: str, *, limits_too: bool = False) -> list[tuple[float, float]]:
    """The ranges of kidney function `text` states its advice is for, [low, high); with
    `limits_too`, also the limits it puts on one option ("stopped if your eGFR falls below
    30")."""
    ranges: list[tuple[float, float]] = []
    for match in _BETWEEN.finditer(text):
        low, high = float(match["low"]), float(match["high"])
        if low < high and (limits_too or not _on_one_option(text, match)):
            ranges.append((low, high + 1))  # "30 to 44" includes 44
    for match in _BELOW.finditer(text):
        if limits_too or not _on_one_option(text, match):
            ranges.append((0.0, float(match["n"])))
    for match in _AT_LEAST.finditer(text):
        if limits_too or not _on_one_option(text, match):
            ranges.append((float(match["a"] or match["b"]), math.inf))
    return ranges


def names_a_kidney_limit(text: str) -> bool:
    """Whether `text` gives any kidney-function limit, on whom it is for or on one of its options
    ("nitrofurantoin … if eGFR is 45 ml/minute or more")."""
    return any(pattern.search(text) for pattern in (_BETWEEN, _BELOW, _AT_LEAST))


def _on_one_option(text: str, match: re.Match[str]) -> bool:
    return bool(_ON_ONE_OPTION.search(text[max(0, match.start() - 20) : match.start()]))


def excludes_kidney_function(text: str, value: float | None) -> bool:
    """Whether `text` bounds the kidney function it applies to and `value` is outside every
    bound."""
    return outside_every_range(value, kidney_ranges(text))


# "For people with atrial fibrillation and end-stage chronic kidney disease (creatinine
# clearance below 15 mL/min) or on dialysis": a line written for a group by its kidneys.
_FOR_A_KIDNEY_GROUP = re.compile(
    r"\b(?:for|in)\s+(?:people|adults|patients|those|women|men|children)\s+(?:who\s+have|with)\b"
    r"[^.;]{0,80}?\b(?:kidney|renal|dialysis|ckd)\b",
    re.IGNORECASE,
)


def for_a_group_with_weaker_kidneys(text: str, value: float | None) -> bool:
    """Whether `text` is written for a group whose kidneys are weaker than `value` ("for people
    with end-stage kidney disease (creatinine clearance below 15)" at 30); not a limit on a
    medicine ("do not continue metformin once eGFR is below 30" answers "metformin at 38?")."""
    ranges = kidney_ranges(text)
    if value is None or not ranges or not _FOR_A_KIDNEY_GROUP.search(text):
        return False
    return all(value >= high for _, high in ranges)


def kidney_bound_width(text: str, value: float | None) -> float | None:
    """How wide the narrowest kidney range of `text` that holds `value` is, or None: "eGFR below
    30" (30 wide) fits an eGFR of 27 more closely than "below 45" (45 wide)."""
    if value is None:
        return None
    # (…a limit on a medicine counts: "stopped if your eGFR falls below 30" is its bound.)
    ranges = kidney_ranges(text, limits_too=True)
    widths = [high - low for low, high in ranges if low <= value < high]
    return min(widths) if widths else None
