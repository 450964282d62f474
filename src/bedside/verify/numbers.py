"""Every number in a statement must appear in a passage it cites.

Numbers are compared as written values: "4-6 weeks" gives 4 and 6, "90%" gives 90, "1.5" stays
1.5, "1,000" is 1000. A statement citing "12 weeks" is refused if no cited passage has a 12.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")


def numbers_in(text: str) -> set[str]:
    """The numeric values written in `text`, normalised (thousands separators removed)."""
    values = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(1).replace(",", "")
        if "." in raw:
            raw = raw.rstrip("0").rstrip(".")
        values.add(raw)
    return values


def unsupported_numbers(statement: str, passages: list[str]) -> set[str]:
    """Numbers of `statement` found in none of `passages`."""
    available: set[str] = set()
    for passage in passages:
        available |= numbers_in(passage)
    return numbers_in(statement) - available
