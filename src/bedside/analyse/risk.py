"""Ten-year cardiovascular risk: the percentage a question gives, and the risk bands a statement
applies to.

A statin line "for adults with a 10-year risk of 10% or more" is not the answer for someone
whose risk is 9.5%, as a line for people aged 80 and over is not the answer for a 70-year-old:
the question's risk is read once (`asked_risk`), and a statement that bounds the risk it is for
and leaves that value out (`excludes_risk`) answers another person's question. QRISK3, the
Pooled Cohort Equations and PREVENT give different numbers for one person; each line names its
own tool, and the value is read as the question gives it.
"""

from __future__ import annotations

import math
import re

from bedside.analyse.ages import outside_every_range

# "10-yr ASCVD risk 9.5%", "QRISK3 12%", "QRISK score of 8%", "10-year CVD risk is 15%".
_ASKED = re.compile(
    r"\b(?:q-?risk\s*3?|(?:10|ten)[- ]?(?:years?|yrs?)\.?\s*(?:ascvd|cvd|cv|cardiovascular|"
    r"prevent(?:-ascvd)?)?\s*risk|(?:ascvd|cvd|cardiovascular|cv)\s+risk)(?:\s+score)?"
    r"\s*(?:of|is|was|=|:|~|at|came back(?: at)?)?\s*(?P<n>\d{1,2}(?:\.\d+)?)\s*%",
    re.IGNORECASE,
)

# A sentence about ten-year cardiovascular risk, whose percentages bound whom it is for.
_ABOUT_RISK = re.compile(
    r"\b(?:q-?risk\s*3?|(?:10|ten)[- ]year\s+(?:[\w-]+\s+){0,2}?risk|ascvd risk|cvd risk|"
    r"cardiovascular risk)\b",
    re.IGNORECASE,
)
_PERCENT = r"(?P<{}>\d{{1,2}}(?:\.\d+)?)\s*%"
_BETWEEN = re.compile(
    _PERCENT.format("low")
    + r"\s*(?:to|-|–)\s*(?:under\s+|below\s+|less than\s+)?"
    + _PERCENT.format("high"),
    re.IGNORECASE,
)
_BELOW = re.compile(r"\b(?:below|under|less than|<)\s*" + _PERCENT.format("n"), re.IGNORECASE)
_AT_LEAST = re.compile(
    r"(?:\b(?:at least|above|over|more than|≥|>)\s*" + _PERCENT.format("a") + ")"
    r"|(?:" + _PERCENT.format("b") + r"\s*or\s*(?:more|above|over|higher|greater))",
    re.IGNORECASE,
)


def asked_risk(question: str) -> float | None:
    """The ten-year cardiovascular risk, in percent, a question gives, when it gives one."""
    match = _ASKED.search(question)
    return float(match["n"]) if match else None


def risk_ranges(text: str) -> list[tuple[float, float]]:
    """The bands of ten-year cardiovascular risk `text` states its advice is for, [low, high):
    none when it does not speak of that risk."""
    if not _ABOUT_RISK.search(text):
        return []
    ranges: list[tuple[float, float]] = []
    spans: list[tuple[int, int]] = []
    for match in _BETWEEN.finditer(text):
        ranges.append((float(match["low"]), float(match["high"])))
        spans.append(match.span())
    for match in _BELOW.finditer(text):
        if not _inside(match.span(), spans):
            ranges.append((0.0, float(match["n"])))
    for match in _AT_LEAST.finditer(text):
        if not _inside(match.span(), spans):
            ranges.append((float(match["a"] or match["b"]), math.inf))
    return ranges


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in spans)


def excludes_risk(text: str, value: float | None) -> bool:
    """Whether `text` bounds the cardiovascular risk it applies to and `value` is outside every
    bound."""
    return outside_every_range(value, risk_ranges(text))
