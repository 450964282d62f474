"""Blood pressure readings told as numbers: "is 145/90 high?", "160 over 100 this morning".

A reading names what it measures even when no other word does: a question that is only a
reading is a question about blood pressure (scope and the question frame both read it here).
"""

from __future__ import annotations

import re

# Systolic 70–249 over diastolic 40–149: the first number's range keeps dates ("12/05") and
# fractions ("1/2") out.
_BLOOD_PRESSURE_READING = re.compile(
    r"\b(?:[7-9]\d|1\d\d|2[0-4]\d)\s*(?:/|\s+over\s+)\s*(?:[4-9]\d|1[0-4]\d)\b", re.IGNORECASE
)


def blood_pressure_reading(text: str) -> str | None:
    """The first blood pressure reading in `text`, as written, or None."""
    match = _BLOOD_PRESSURE_READING.search(text)
    return match.group() if match else None
