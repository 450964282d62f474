"""Sentence-aware chunking: passages are exact body slices, never empty, never over-long."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.domain import Section
from bedside.ingest.chunking import chunk_sections, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two. Three.", ["One.", "Two.", "Three."]),
        ("Smith et al. found this. Then more.", ["Smith et al. found this.", "Then more."]),
        ("Use drugs e.g. NSAIDs first. Then rest.", ["Use drugs e.g. NSAIDs first.", "Then rest."]),
        ("J. Smith wrote it. Done.", ["J. Smith wrote it.", "Done."]),
        ("Rates were 3.5 per cent. Fine!", ["Rates were 3.5 per cent.", "Fine!"]),
        ("- first item\n- second item", ["- first item", "- second item"]),
        ("Was it (really) so? Yes.", ["Was it (really) so?", "Yes."]),
        ("lower case. continues here", ["lower case. continues here"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in split_sentences(text)] == expected


def test_sections_never_share_a_passage_and_keep_their_path() -> None:
    sections = [Section(("A",), "First section. Short."), Section(("B", "b1"), "Second one.")]
    body, chunks = chunk_sections(sections, max_chars=1000, min_chars=0)
    assert [chunk.section.path for chunk in chunks] == [("A",), ("B", "b1")]
    assert body == "First section. Short.\n\nSecond one."


def test_long_sections_split_at_sentence_boundaries() -> None:
    text = " ".join(f"Sentence number {i} says something useful." for i in range(40))
    body, chunks = chunk_sections([Section((), text)], max_chars=300, min_chars=50)
    assert len(chunks) > 3
    for chunk in chunks:
        piece = body[chunk.char_start : chunk.char_end]
        assert piece.startswith("Sentence") and piece.endswith(".")
        assert len(piece) <= 300 + 50


def test_short_tail_is_folded_into_the_previous_passage() -> None:
    text = "A" * 150 + ". " + "B" * 150 + ". Tiny."
    _, chunks = chunk_sections([Section((), text)], max_chars=200, min_chars=50)
    assert len(chunks) == 2


words = st.text(alphabet="abcdefgh ABC.!?\n0123456789(),", min_size=0, max_size=400)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(words, min_size=1, max_size=5), max_chars=st.integers(20, 300))
def test_chunks_are_exact_nonempty_slices_covering_every_word(
    texts: list[str], max_chars: int
) -> None:
    sections = [Section((f"s{i}",), text.strip()) for i, text in enumerate(texts)]
    body, chunks = chunk_sections(sections, max_chars=max_chars, min_chars=0)
    covered = set()
    for chunk in chunks:
        piece = body[chunk.char_start : chunk.char_end]
        assert piece.strip() == piece and piece
        assert len(piece) <= max_chars
        covered.update(range(chunk.char_start, chunk.char_end))
    assert all(i in covered for i, char in enumerate(body) if not char.isspace()) or any(
        not s.text for s in sections
    )
    starts = [chunk.char_start for chunk in chunks]
    assert starts == sorted(starts)
