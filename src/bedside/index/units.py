"""What gets indexed: passages for keyword search, short sentence windows for dense search.

A small embedding model reads a 3-sentence window far better than a whole passage (its attention
is spread thin over long inputs and it truncates at 256 tokens), so each passage is embedded as
windows of `window_sentences` sentences with the document title in front; a passage's dense
score is the best of its windows.
"""

from __future__ import annotations

from collections.abc import Iterator

from bedside.domain import PassageContext
from bedside.index.base import IndexEntry
from bedside.ingest.chunking import split_sentences


def passage_entry(context: PassageContext) -> IndexEntry:
    """The keyword-index unit for a passage: its text, with the title as a separate field."""
    return _entry(context, unit_id=context.passage.passage_id, text=context.passage.text)


def window_entries(context: PassageContext, *, window_sentences: int) -> Iterator[IndexEntry]:
    """The dense-index units for a passage: title + each run of `window_sentences` sentences."""
    text = context.passage.text
    spans = split_sentences(text)
    for number, first in enumerate(range(0, max(len(spans), 1), window_sentences)):
        chunk = spans[first : first + window_sentences]
        body = text[chunk[0][0] : chunk[-1][1]] if chunk else text
        yield _entry(
            context,
            unit_id=f"{context.passage.passage_id}#{number}",
            text=f"{context.title}. {body}" if context.title else body,
        )


def _entry(context: PassageContext, *, unit_id: str, text: str) -> IndexEntry:
    return IndexEntry(
        unit_id=unit_id,
        passage_id=context.passage.passage_id,
        document_id=context.passage.document_id,
        source_id=context.source_id,
        title=context.title,
        text=text,
        kind=context.kind,
        year=context.year,
        source=context.source,
    )
