"""Bedside guideline cards: Markdown with YAML front matter (format in docs/cards.md).

A card becomes one document per real source it declares, so that answers cite the guideline or
paper itself; each of the card's statements is a passage of every source document it cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import ReadItem, SourceFile, Whole

# Heading in a card → the section id the composer places statements under.
CARD_SECTIONS: dict[str, str] = {
    "Overview": "overview",
    "Assessment and diagnosis": "diagnosis",
    "First-line management": "first_line",
    "Medicines": "medicines",
    "When to image": "imaging",
    "Red flags": "red_flags",
    "When to refer": "referral",
    "Procedures and surgery": "procedures",
    "Screening and prevention": "prevention",
    "Follow-up and monitoring": "monitoring",
    "Pitfalls": "pitfalls",
    "Prognosis and counselling": "prognosis",
    "In plain language": "patient",
}
PATIENT_HEADING = "In plain language"

_KEY = r"[a-z0-9][a-z0-9-]*"
_CITATION = re.compile(rf"\s*\[\s*({_KEY}(?:\s*,\s*{_KEY})*)\s*\]\s*$")


class CardSource(BaseModel):
    """A real source a card's statements rest on."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=rf"^{_KEY}$")
    kind: DocumentKind
    issuer: str = Field(min_length=2)
    title: str = Field(min_length=5)
    year: int = Field(ge=1900, le=2100)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    publication_types: list[str] = Field(default_factory=list)

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid_as_text(cls, value: object) -> object:
        # YAML reads an unquoted PMID as a number; it is an identifier, so keep it as text.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class CardFrontMatter(BaseModel):
    """A card's YAML front matter."""

    model_config = ConfigDict(extra="forbid")

    card_id: str = Field(pattern=rf"^{_KEY}$")
    title: str = Field(min_length=3)
    aliases: list[str] = Field(default_factory=list)
    # Words that name the condition together wherever they stand in one sentence: "My knees are
    # stiff … is it arthritis?" names knee osteoarthritis with neither alias written out.
    named_together: list[list[str]] = Field(default_factory=list)
    review_status: Literal["draft", "approved"]
    updated: date
    sources: list[CardSource] = Field(min_length=1)

    @field_validator("named_together")
    @classmethod
    def _groups_of_words(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if len(group) < 2 or not all(word.strip() for word in group):
                raise ValueError(f"each group names the condition with two or more words: {group}")
        return groups


@dataclass(frozen=True, slots=True)
class Statement:
    """One card bullet: its text (citation keys removed), heading, source keys and line."""

    text: str
    heading: str
    source_keys: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Card:
    meta: CardFrontMatter
    statements: tuple[Statement, ...]
    path: Path


def parse_card(text: str, path: Path) -> Card:
    """Parse and validate a card; errors name the file, line and field."""
    front, body, body_line = _split_front_matter(text, path)
    meta = _parse_front_matter(front, path)
    if meta.card_id != path.stem:
        raise InputError(
            f"card_id '{meta.card_id}' differs from the file name '{path.stem}'",
            path=path,
            line=2,
            where="card_id",
        )
    statements = _parse_body(body, body_line, path)
    keys = [source.key for source in meta.sources]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise InputError(f"source key declared twice: {duplicated}", path=path, where="sources")
    _check_citations(statements, set(keys), path)
    return Card(meta, tuple(statements), path)


class CardReader:
    """Reads one guideline card into one document per source it cites."""

    name: ClassVar[str] = "bedside-card"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head.lstrip(b"\xef\xbb\xbf")
        return head.startswith(b"---") and b"\ncard_id:" in head.split(b"\n---", 2)[0] + b"\n"

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        card = parse_card(file.read_text(), file.path)
        # A source taken off the card must stop answering questions.
        yield Whole(origin="card", key_prefix=f"card:{card.meta.card_id}/")
        for source in card.meta.sources:
            cited = [s for s in card.statements if source.key in s.source_keys]
            yield _source_document(card, source, cited)


def _source_document(card: Card, source: CardSource, statements: list[Statement]) -> SourceDocument:
    meta = card.meta
    return SourceDocument(
        origin="card",
        source_id=f"{meta.card_id}/{source.key}",
        kind=source.kind,
        title=source.title,
        sections=tuple(
            Section((meta.title, statement.heading), statement.text) for statement in statements
        ),
        source=source.issuer,
        year=source.year,
        pmid=source.pmid,
        pmcid=source.pmcid,
        doi=source.doi,
        url=source.url,
        publication_types=tuple(source.publication_types),
        licence="Bedside guideline card (our own summary; facts from the named source)",
        language="eng",
        extra={
            "card_id": meta.card_id,
            "card_title": meta.title,
            "aliases": meta.aliases,
            "named_together": meta.named_together,
            "review_status": meta.review_status,
            "updated": meta.updated.isoformat(),
            "source_key": source.key,
        },
    )


def _split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        raise InputError("card must start with a '---' front matter line", path=path, line=1)
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise InputError("front matter is not closed by a '---' line", path=path, line=1)


def _parse_front_matter(front: str, path: Path) -> CardFrontMatter:
    try:
        data: Any = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise InputError(f"invalid YAML front matter: {exc}", path=path, line=line) from exc
    if not isinstance(data, dict):
        raise InputError("front matter must be a YAML mapping", path=path, line=2)
    try:
        return CardFrontMatter.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field_name(first["loc"], data)
        raise InputError(
            f"front matter field '{field}': {first['msg']}",
            path=path,
            line=_line_of(front, str(first["loc"][-1]) if first["loc"] else ""),
            where=field,
        ) from exc


def _field_name(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """'sources[nice-ng59].year' rather than 'sources.0.year' where the key is known."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            key = node.get("key") if isinstance(node, dict) else None
            parts[-1] += f"[{key or part}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            parts.append(str(part))
    return ".".join(parts)


def _line_of(front: str, key: str) -> int | None:
    for index, line in enumerate(front.split("\n")):
        if re.match(rf"\s*-?\s*{re.escape(key)}\s*:", line):
            return index + 2
    return None


def _parse_body(body: str, first_line: int, path: Path) -> list[Statement]:
    statements: list[Statement] = []
    heading: str | None = None
    current: list[str] = []
    current_line = 0

    def flush() -> None:
        if current and heading is not None:
            statements.append(_statement(" ".join(current), heading, current_line, path))
        current.clear()

    for offset, raw in enumerate(body.split("\n")):
        line_number = first_line + offset
        stripped = raw.strip()
        if raw.startswith("## "):
            flush()
            heading = stripped[3:].strip()
            if heading not in CARD_SECTIONS:
                raise InputError(
                    f"unknown section heading '{heading}'; use one of: " + ", ".join(CARD_SECTIONS),
                    path=path,
                    line=line_number,
                )
        elif raw.startswith("# ") or not stripped:
            flush()
        elif raw.startswith("- "):
            flush()
            if heading is None:
                raise InputError("statement before any '## ' heading", path=path, line=line_number)
            current.append(stripped[2:].strip())
            current_line = line_number
        elif raw[:1].isspace() and current:
            current.append(stripped)
        else:
            raise InputError("text outside a '- ' statement bullet", path=path, line=line_number)
    flush()
    if not statements:
        raise InputError("card has no statements", path=path)
    return statements


def _statement(text: str, heading: str, line: int, path: Path) -> Statement:
    match = _CITATION.search(text)
    if not match:
        raise InputError(
            "statement does not end with its source keys in brackets, e.g. [nice-ng59]",
            path=path,
            line=line,
        )
    keys = tuple(key.strip() for key in match.group(1).split(","))
    statement_text = text[: match.start()].strip()
    if not statement_text:
        raise InputError("statement has no text before its source keys", path=path, line=line)
    return Statement(statement_text, heading, keys, line)


def _check_citations(statements: list[Statement], declared: set[str], path: Path) -> None:
    cited: set[str] = set()
    for statement in statements:
        unknown = [key for key in statement.source_keys if key not in declared]
        if unknown:
            raise InputError(
                f"statement cites undeclared source key(s) {unknown}",
                path=path,
                line=statement.line,
            )
        cited.update(statement.source_keys)
    unused = sorted(declared - cited)
    if unused:
        raise InputError(
            f"source(s) declared but never cited: {unused}", path=path, where="sources"
        )
