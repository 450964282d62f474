"""Split a document's sections into passages at sentence boundaries, keeping the section path.

The document's body text is its sections' texts joined by a blank line; every passage is an exact
slice `body[char_start:char_end]`, so a citation can always be shown in context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bedside.domain import Section

SECTION_SEPARATOR = "\n\n"
CHUNKER_VERSION = "sentences-v1"

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket), then whitespace,
# then something that can start a sentence. Line breaks between list items also end a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+(?=\S)")
# Tokens after which a full stop does not end the sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "et",
        "al",
        "vs",
        "etc",
        "fig",
        "figs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "no",
        "nos",
        "approx",
        "ca",
        "cf",
        "resp",
        "incl",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "vol",
        "ed",
        "eds",
        "p",
        "pp",
        "ref",
        "refs",
        "min",
        "max",
        "u.s",
        "u.k",
        "sp",
        "spp",
        "var",
    ]
)
_LAST_TOKEN = re.compile(r"(?<![A-Za-z.])([A-Za-z][A-Za-z.]*)\.$")


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage-to-be: where it sits in the body, and which section it belongs to."""

    section: Section
    char_start: int
    char_end: int


def build_body(sections: Sequence[Section]) -> tuple[str, list[int]]:
    """Join section texts into the body text; return it with each section's start offset."""
    starts = []
    parts = []
    offset = 0
    for section in sections:
        starts.append(offset)
        parts.append(section.text)
        offset += len(section.text) + len(SECTION_SEPARATOR)
    return SECTION_SEPARATOR.join(parts), starts


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, whitespace excluded, covering every word."""
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start()
        # Only the sentence's last word matters; looking at a short tail keeps this linear.
        tail = text[max(start, end - 24) : end]
        if match.group(0)[:1] != "\n" and _ends_with_abbreviation(tail):
            continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def chunk_sections(
    sections: Sequence[Section], *, max_chars: int, min_chars: int
) -> tuple[str, list[Chunk]]:
    """The body text and its chunks: sentences packed greedily up to `max_chars` per section."""
    body, starts = build_body(sections)
    chunks: list[Chunk] = []
    for section, section_start in zip(sections, starts, strict=True):
        for start, end in _pack(section.text, max_chars=max_chars, min_chars=min_chars):
            chunks.append(Chunk(section, section_start + start, section_start + end))
    return body, chunks


def _pack(text: str, *, max_chars: int, min_chars: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        pieces.extend(_split_long(text, start, end, max_chars))
    packed: list[tuple[int, int]] = []
    for start, end in pieces:
        if packed and end - packed[-1][0] <= max_chars:
            packed[-1] = (packed[-1][0], end)
        else:
            packed.append((start, end))
    # A short tail reads badly alone and retrieves poorly: fold it into the passage before it.
    if len(packed) > 1 and packed[-1][1] - packed[-1][0] < min_chars:
        tail = packed.pop()
        packed[-1] = (packed[-1][0], tail[1])
    return packed


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than `max_chars` at whitespace (or hard, if there is none)."""
    pieces = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        pieces.append(_trim(text, start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append(_trim(text, start, end))
    return pieces


def _ends_with_abbreviation(sentence: str) -> bool:
    match = _LAST_TOKEN.search(sentence)
    if not match:
        return False
    token = match.group(1).lower()
    # A lone capital is an initial ("J. Smith"), not the end of a sentence.
    return token in _ABBREVIATIONS or (len(token) == 1 and match.group(1).isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
