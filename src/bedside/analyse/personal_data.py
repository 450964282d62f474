"""Personal data in a question — names, dates of birth, contact details, record numbers and
addresses — found by reviewed rules (`personal_data.yaml`) and replaced by what it was
("[date of birth]") before the question is stored, logged, shown or answered.

Rules rather than a trained recogniser: the maintained PII recognisers (Presidio and the like)
need a language model downloaded at run time, which Bedside never does, and questions are
short, so the forms that identify a person in them are few and reviewable
(docs/decisions/0007-personal-data-in-questions.md). The rules err towards removing: a
clinician who loses "Ann" from "asks Ann" loses nothing clinical.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    min_digits: int = 0
    not_after: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Redaction:
    """The question as kept, and the kinds of personal data taken out of it, in order."""

    text: str
    removed: tuple[str, ...] = ()


@functools.cache
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("bedside.analyse").joinpath("personal_data.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return tuple(
        _Rule(
            kind=str(rule["kind"]),
            pattern=re.compile(rule["pattern"], re.IGNORECASE),
            min_digits=int(rule.get("min_digits", 0)),
            not_after=frozenset(str(word) for word in rule.get("not_after", ())),
        )
        for rule in data["rules"]
    )


def redact_personal_data(question: str) -> Redaction:
    """`question` with each piece of personal data replaced by "[kind]"."""
    removed: list[str] = []
    text = question
    for rule in _rules():

        def replace(match: re.Match[str], rule: _Rule = rule) -> str:
            data = match.group("data")
            digits = sum(char.isdigit() for char in data)
            first = data.split()[0].lower() if data.split() else ""
            if digits < rule.min_digits or first in rule.not_after:
                return match.group(0)
            removed.append(rule.kind)
            start, end = match.span("data")
            whole = match.group(0)
            offset = match.start(0)
            return whole[: start - offset] + f"[{rule.kind}]" + whole[end - offset :]

        text = rule.pattern.sub(replace, text)
    return Redaction(text=text, removed=tuple(dict.fromkeys(removed)))
