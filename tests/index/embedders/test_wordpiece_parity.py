"""The pure-Python WordPiece tokenizer gives the ids the `tokenizers` library gives.

`tokenizers` is in the `dev` extra only: without it these tests skip. The large comparison (about
30,000 real texts and every code point) is benchmarks/tokenizer_parity.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bedside.index.embedders.onnx import packaged_tokenizer_path
from bedside.index.embedders.sentence_transformers import MAX_SEQ_LENGTH
from bedside.index.embedders.wordpiece import WordPieceTokenizer
from bedside.ingest.readers.cards import parse_card
from bedside.service import bundled_cards_path

tokenizers = pytest.importorskip("tokenizers", reason="`tokenizers` (the dev extra) is missing")

ODD_TEXTS = json.loads((Path(__file__).parent / "data" / "odd_texts.json").read_text())
# Around WordPiece's 100-character word limit and the model's 256-token limit.
LONG_TEXTS = ["a" * 100, "a" * 101, "word " * 253, "word " * 254, "word " * 255, "x y " * 400]
# Blocks whose characters `tokenizers`' (older) Unicode tables and Python's agree on: Latin,
# Greek, Cyrillic, Hebrew, general punctuation, symbols, arrows, maths, kana, CJK, full-width.
COMMON_BLOCKS = [(0x0000, 0x05FF), (0x2000, 0x2DFF), (0x3000, 0x30FF), (0x4E00, 0x4FFF)]
COMMON_BLOCKS += [(0xFF00, 0xFFEF)]


def card_texts() -> list[str]:
    texts = []
    for path in sorted(bundled_cards_path().glob("*.md")):
        card = parse_card(path.read_text(encoding="utf-8"), path)
        texts += [card.meta.title, *(statement.text for statement in card.statements)]
    return texts


@pytest.fixture(scope="module")
def ours() -> WordPieceTokenizer:
    return WordPieceTokenizer.from_tokenizer_json(
        packaged_tokenizer_path(), max_length=MAX_SEQ_LENGTH
    )


@pytest.fixture(scope="module")
def reference() -> tokenizers.Tokenizer:
    tokenizer = tokenizers.Tokenizer.from_file(str(packaged_tokenizer_path()))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
    return tokenizer


def differing(
    texts: list[str], ours: WordPieceTokenizer, reference: tokenizers.Tokenizer
) -> list[str]:
    expected = [encoding.ids for encoding in reference.encode_batch(texts)]
    return [text for text, ids in zip(texts, expected, strict=True) if ours.encode(text) != ids]


def test_same_ids_on_odd_long_and_card_texts(
    ours: WordPieceTokenizer, reference: tokenizers.Tokenizer
) -> None:
    texts = ODD_TEXTS + LONG_TEXTS + card_texts()
    assert len(texts) > 500
    assert differing(texts, ours, reference) == []


def test_same_ids_for_every_character_of_common_blocks(
    ours: WordPieceTokenizer, reference: tokenizers.Tokenizer
) -> None:
    texts = [f"a{chr(c)}b" for first, last in COMMON_BLOCKS for c in range(first, last + 1)]
    assert [f"U+{ord(text[1]):04X}" for text in differing(texts, ours, reference)] == []


def test_same_padded_batch(ours: WordPieceTokenizer, reference: tokenizers.Tokenizer) -> None:
    texts = [*ODD_TEXTS[:8], "word " * 300]
    padded = tokenizers.Tokenizer.from_str(reference.to_str())
    padded.enable_padding(pad_id=ours.pad_id, pad_token="[PAD]")
    encodings = padded.encode_batch(texts)
    batch = ours.encode_batch(texts)
    assert np.array_equal(batch.input_ids, [encoding.ids for encoding in encodings])
    assert np.array_equal(batch.attention_mask, [encoding.attention_mask for encoding in encodings])
    assert np.array_equal(batch.token_type_ids, [encoding.type_ids for encoding in encodings])
