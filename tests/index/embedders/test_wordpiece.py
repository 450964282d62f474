"""The pure-Python WordPiece tokenizer, on cases worked out by hand; no `tokenizers` needed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bedside.errors import ConfigError
from bedside.index.embedders.onnx import packaged_tokenizer_path
from bedside.index.embedders.wordpiece import WordPieceTokenizer

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# A vocabulary small enough to work every split out by hand.
VOCABULARY = [
    *SPECIAL_TOKENS,
    *["a", "b", "c", "##b", "##c", "un", "una", "##ff", "##aff", "##able"],
    *["mg", "/", "dl", ",", "[", "]", "cafe", "naive", "心", "肌"],
]


def make_tokenizer(*, max_length: int = 32, max_word_chars: int = 100) -> WordPieceTokenizer:
    vocab = {token: token_id for token_id, token in enumerate(VOCABULARY)}
    return WordPieceTokenizer(
        vocab=vocab,
        special_tokens={token: vocab[token] for token in SPECIAL_TOKENS},
        max_length=max_length,
        max_word_chars=max_word_chars,
    )


def tokens_of(text: str, tokenizer: WordPieceTokenizer | None = None) -> list[str]:
    """The tokens between [CLS] and [SEP], as strings."""
    tokenizer = tokenizer or make_tokenizer()
    ids = tokenizer.encode(text)
    assert ids[0] == VOCABULARY.index("[CLS]") and ids[-1] == VOCABULARY.index("[SEP]")
    return [VOCABULARY[token_id] for token_id in ids[1:-1]]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", []),
        ("abc", ["a", "##b", "##c"]),
        # Longest match from the left, even where "un ##aff ##able" would also cover the word.
        ("unaffable", ["una", "##ff", "##able"]),
        # One piece with no match makes the whole word unknown, not just that piece.
        ("unaffablez", ["[UNK]"]),
        ("Café", ["cafe"]),
        ("NAÏVE", ["naive"]),
        ("mg/dL,", ["mg", "/", "dl", ","]),
        ("心肌", ["心", "肌"]),
        ("a\u00a0b\u3000c\ta\n", ["a", "b", "c", "a"]),
        ("a\u200bb\x00c", ["a", "##b", "##c"]),  # invisible and control characters dropped
        ("a [MASK] b", ["a", "[MASK]", "b"]),
        ("a[MASK]b", ["a", "[MASK]", "b"]),
        ("[mask]", ["[", "[UNK]", "]"]),  # special tokens count only as written
    ],
)
def test_encode_splits_as_bert_uncased(text: str, tokens: list[str]) -> None:
    assert tokens_of(text) == tokens


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("ΟΔΟΣ", "οδοσ"),  # letter by letter: no final-sigma rule
        ("İb", "ib"),
        ("e\u0301 Å", "e a"),
        ("A\tB\r\nC", "a b  c"),
        ("心肌", " 心  肌 "),
        ("x\x00\u200b\ufffd\x7fy", "xy"),
        ("ﬁ ẞ", "ﬁ ß"),  # no compatibility folding: the ligature stays, as in `tokenizers`
    ],
)
def test_normalize_as_bert_normalizer(text: str, normalized: str) -> None:
    assert make_tokenizer().normalize(text) == normalized


def test_encode_cuts_text_to_max_length_keeping_its_start() -> None:
    tokenizer = make_tokenizer(max_length=5)
    assert tokens_of("a b c a b c", tokenizer) == ["a", "b", "c"]
    assert tokens_of("a b c", tokenizer) == ["a", "b", "c"]
    assert tokens_of("a b", tokenizer) == ["a", "b"]


def test_word_longer_than_max_word_chars_is_unknown() -> None:
    tokenizer = make_tokenizer(max_word_chars=3)
    assert tokens_of("abc", tokenizer) == ["a", "##b", "##c"]
    assert tokens_of("abcb", tokenizer) == ["[UNK]"]


def test_pad_gives_attention_mask_and_token_types() -> None:
    batch = make_tokenizer().pad([[2, 5, 6, 3], [2, 3]])
    assert batch.input_ids.tolist() == [[2, 5, 6, 3], [2, 3, 0, 0]]
    assert batch.attention_mask.tolist() == [[1, 1, 1, 1], [1, 1, 0, 0]]
    assert batch.token_type_ids.tolist() == [[0, 0, 0, 0], [0, 0, 0, 0]]
    assert batch.input_ids.dtype == np.int64


def test_encode_batch_pads_to_the_longest_text() -> None:
    tokenizer = make_tokenizer()
    batch = tokenizer.encode_batch(["abc", "", "a"])
    assert batch.input_ids.shape == (3, 5)
    assert batch.attention_mask.sum(axis=1).tolist() == [5, 2, 3]
    assert batch.input_ids[0].tolist() == tokenizer.encode("abc")


def test_refuses_max_length_without_room_for_cls_and_sep() -> None:
    with pytest.raises(ConfigError, match="max_length"):
        make_tokenizer(max_length=1)


# The packaged all-MiniLM-L6-v2 vocabulary (bert-base-uncased's).
@pytest.fixture(scope="module")
def minilm_tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer.from_tokenizer_json(packaged_tokenizer_path(), max_length=256)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Metformin 500 mg/dL", ["met", "##form", "##in", "500", "mg", "/", "dl"]),
        ("HbA1c ≥ 6.5%", ["h", "##ba", "##1", "##c", "≥", "6", ".", "5", "%"]),
        ("Naïve İbuprofen", ["naive", "ib", "##up", "##ro", "##fen"]),
        ("500 µg", ["500", "µ", "##g"]),
    ],
)
def test_packaged_vocabulary_splits_medical_text(
    minilm_tokenizer: WordPieceTokenizer, text: str, tokens: list[str]
) -> None:
    vocab = json.loads(packaged_tokenizer_path().read_text())["model"]["vocab"]
    assert minilm_tokenizer.encode(text) == [
        vocab["[CLS]"],
        *(vocab[token] for token in tokens),
        vocab["[SEP]"],
    ]


def test_packaged_vocabulary_cuts_at_256_tokens(minilm_tokenizer: WordPieceTokenizer) -> None:
    assert len(minilm_tokenizer.encode("word " * 253)) == 255
    assert len(minilm_tokenizer.encode("word " * 254)) == 256
    assert len(minilm_tokenizer.encode("word " * 900)) == 256


@pytest.mark.parametrize(
    ("section", "key", "value", "problem"),
    [
        ("normalizer", "lowercase", False, "normalizer.lowercase"),
        ("normalizer", "strip_accents", False, "strip_accents"),
        ("pre_tokenizer", "type", "Whitespace", "pre_tokenizer.type"),
        ("model", "type", "BPE", "model.type"),
        ("post_processor", "type", "RobertaProcessing", "post_processor"),
    ],
)
def test_refuses_a_tokenizer_json_it_would_not_reproduce(
    tmp_path: Path, section: str, key: str, value: object, problem: str
) -> None:
    config = json.loads(packaged_tokenizer_path().read_text())
    config[section][key] = value
    altered = tmp_path / "tokenizer.json"
    altered.write_text(json.dumps(config))
    with pytest.raises(ConfigError, match=problem):
        WordPieceTokenizer.from_tokenizer_json(altered, max_length=256)
