"""The fidelity record of the bundled cards: what each card statement rests on in its source.

Answers quote cards word for word, so the verifier can only confirm that an article copies a
card; whether the card says what its source says is an editorial fact, recorded here. Each card
`cards/<id>.md` has a record `cards/fidelity/<id>.yaml`, never shown to readers:

    card: gout
    records:
      - statement: "For gout flares, the ACR 2020 guideline recommends colchicine, …"
        source: acr-2020                  # one of the statement's source keys
        rests_on: "…"                     # the source's words, or its recommendation number
        location: "Flare management, …"   # section, item or page of the source
        checked_against: primary | secondary (a page that reports the source) | reference list
        checked_by: "…"                   # who checked it (and in what role)
        checked_on: 2026-12-02
        verdict: faithful | faithful, reworded | doubt
        note: "…"                         # what changed, or what is doubted (optional)
        omits: {qualifier: why}           # a qualifier of `rests_on` left out on purpose

A statement is matched to its record by its exact text, so an edited statement needs a new
check. `check_card` lists what is wrong: a statement with no record, a record for no
statement, a source the statement does not cite, and a qualifier of the source's words (a
number, a comparison, a population or severity word) missing from the statement.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bedside.analyse.terms import find_whole
from bedside.ingest.readers.cards import Card

VERDICTS = ("faithful", "faithful, reworded", "doubt")


@dataclass(frozen=True, slots=True)
class FidelityRecord:
    statement: str
    source: str
    rests_on: str
    location: str
    checked_against: str
    checked_by: str
    checked_on: datetime.date
    verdict: str
    note: str = ""
    omits: Mapping[str, str] = field(default_factory=dict)


def fidelity_path(card_path: Path) -> Path:
    return card_path.parent / "fidelity" / f"{card_path.stem}.yaml"


def load_records(path: Path) -> list[FidelityRecord]:
    """The records of one card; a malformed record names the file and its index."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [_record(item, path, index) for index, item in enumerate(data.get("records") or ())]


def _record(item: Mapping[str, Any], path: Path, index: int) -> FidelityRecord:
    required = ("statement", "source", "rests_on", "location", "checked_against", "checked_by")
    missing = [name for name in (*required, "checked_on", "verdict") if not item.get(name)]
    if missing:
        raise ValueError(f"{path}: record {index} has no {', '.join(missing)}")
    if item["verdict"] not in VERDICTS:
        raise ValueError(f"{path}: record {index}: verdict must be one of {VERDICTS}")
    checked_on = item["checked_on"]
    if not isinstance(checked_on, datetime.date):
        checked_on = datetime.date.fromisoformat(str(checked_on))
    return FidelityRecord(
        **{name: str(item[name]).strip() for name in required},
        checked_on=checked_on,
        verdict=str(item["verdict"]),
        note=str(item.get("note") or ""),
        omits={str(k): str(v) for k, v in (item.get("omits") or {}).items()},
    )


def check_card(card: Card, records: Sequence[FidelityRecord]) -> list[str]:
    """Every problem of one card's fidelity record, each naming the statement's line."""
    problems = []
    by_text = {record.statement: record for record in records}
    statements = {statement.text for statement in card.statements}
    for statement in card.statements:
        record = by_text.get(statement.text)
        where = f"{card.path.name}:{statement.line}"
        if record is None:
            problems.append(f"{where}: no fidelity record")
            continue
        if record.source not in statement.source_keys:
            problems.append(f"{where}: record names {record.source}, the statement cites none")
        missing = [q for q in missing_qualifiers(record.rests_on, statement.text)]
        for qualifier in missing:
            if qualifier not in record.omits:
                problems.append(f"{where}: the source's '{qualifier}' is not in the statement")
    problems += [
        f"{card.path.name}: record for no statement: {record.statement[:60]}…"
        for record in records
        if record.statement not in statements
    ]
    return problems


# -- qualifiers ------------------------------------------------------------------------------
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?")
# Comparison words and the other words that say the same limit ("≤ 40" is "40 or less").
_COMPARISONS = {
    "≤": ("≤", "or less", "or lower", "at most", "no more than", "up to", "or below", "or under"),
    "≥": ("≥", "or more", "or higher", "at least", "or over", "or above", "or older"),
    "<": ("<", "below", "under", "less than", "lower than", "younger than", "fewer than"),
    ">": (">", "above", "over", "more than", "higher than", "older than", "greater than"),
}
_LIMIT_WORDS = (
    "acute", "chronic", "severe", "mild", "moderate", "refractory", "recurrent", "persistent",
    "children", "adults", "women", "men", "pregnant", "pregnancy", "older", "elderly",
    "infants", "adolescents", "non-pregnant", "postmenopausal", "only", "not", "no", "never",
    "without", "except", "unless", "first-line", "second-line", "initial", "routine",
    "routinely", "strong", "conditional", "conditionally", "weak",
)  # fmt: skip


def missing_qualifiers(source_words: str, statement: str) -> list[str]:
    """Qualifiers in the source's words that the statement lacks: numbers, comparisons
    (≤, at least, below …) and limit words (acute, severe, children, only, not …)."""
    text = statement.lower()
    missing = [n for n in _NUMBER.findall(source_words) if n not in _NUMBER.findall(statement)]
    lowered = source_words.lower()
    for symbol, forms in _COMPARISONS.items():
        if any(_has(form, lowered) for form in forms) and not any(_has(f, text) for f in forms):
            missing.append(symbol)
    missing += [word for word in _LIMIT_WORDS if _has(word, lowered) and not _has(word, text)]
    return list(dict.fromkeys(missing))


def _has(phrase: str, text: str) -> bool:
    if not phrase[0].isalnum():
        return phrase in text
    return find_whole(phrase, text) is not None


# -- the report ------------------------------------------------------------------------------


def fidelity_report(cards: Iterable[Card]) -> str:
    """docs/cards-fidelity.md: per card, statements checked, changes made, open doubts."""
    lines = [
        "# Fidelity of the bundled cards",
        "",
        "Generated by `bedside review fidelity` from `src/bedside/cards/fidelity/*.yaml`: what",
        "each card statement rests on in its named source, who checked it and when (see",
        "`bedside/review/card_fidelity.py` for the record's fields). Doubts first: they are what",
        "the review board should read first.",
        "",
        "| card | statements | with a record | faithful | reworded | doubts | checked on the "
        "primary source |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]  # fmt: skip
    details: list[str] = []
    for card in cards:
        records = load_records(fidelity_path(card.path))
        texts = {statement.text for statement in card.statements}
        kept = [record for record in records if record.statement in texts]
        verdicts = [record.verdict for record in kept]
        primary = sum(1 for record in kept if record.checked_against.startswith("primary"))
        lines.append(
            f"| {card.meta.card_id} | {len(card.statements)} | {len(kept)} | "
            f"{verdicts.count('faithful')} | {verdicts.count('faithful, reworded')} | "
            f"{verdicts.count('doubt')} | {primary} |"
        )
        doubts = [record for record in kept if record.verdict == "doubt"]
        changes = [record for record in kept if record.note and record.verdict != "doubt"]
        if doubts or changes:
            details += ["", f"## {card.meta.card_id}", ""]
            details += [f"- **Doubt**: {_quote(r.statement)} — {r.note}" for r in doubts]
            details += [f"- Changed or noted: {_quote(r.statement)} — {r.note}" for r in changes]
    return "\n".join([*lines, *details]) + "\n"


def _quote(statement: str) -> str:
    short = statement if len(statement) <= 90 else statement[:87].rstrip() + "…"
    return f"“{short}”"
