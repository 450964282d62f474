"""`WordPieceTokenizer`: BERT's uncased WordPiece tokenizer in pure Python, from a tokenizer.json.

It gives the token ids the `tokenizers` library gives for all-MiniLM-L6-v2's tokenizer.json, so
the default install needs neither `tokenizers` nor the `huggingface_hub` it requires (~40 MB,
issue 14; decision record 0010). The steps are those of the file's pipeline:

1. special tokens written in the text (`[CLS]`, `[MASK]` …) are taken as they are;
2. BertNormalizer: control characters dropped, every kind of whitespace made a space, CJK
   ideographs padded with spaces, accents stripped (NFD, then no non-spacing marks), lower case;
3. BertPreTokenizer: split on spaces, and around each punctuation character;
4. WordPiece: the longest vocabulary entry from the start of the word, then the longest
   `##`-prefixed entry from where it ended, and so on; `[UNK]` for a word with an unmatched
   piece or over 100 characters;
5. `[CLS]` … `[SEP]`, cut to `max_length` tokens.

`benchmarks/tokenizer_parity.py` finds the ids equal to `tokenizers`' on ~29,000 real texts.
Character classes come from Python's `unicodedata`, where `tokenizers` has older Unicode tables:
503 of the 1,112,064 code points (marks, format characters and punctuation added to Unicode since,
mostly in Arabic, Indic and historic scripts; no letter, digit or unit sign) come out differently;
the benchmark lists them.
"""

from __future__ import annotations

import json
import re
import string
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bedside.errors import ConfigError

IdMatrix = npt.NDArray[np.int64]

# The White_Space property, which `tokenizers` (Rust's char::is_whitespace) uses; Python's
# str.isspace() differs (it also counts U+001C to U+001F).
_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Tab, newline and carriage return are control characters too, but count as whitespace.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
# The CJK ideograph blocks as `tokenizers` lists them (its sixth range starts at U+2B920,
# where Google's original BERT code has U+2B820).
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
_RUN_CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class EncodedBatch:
    """Token ids of several texts, padded to the longest, as the model takes them."""

    input_ids: IdMatrix
    attention_mask: IdMatrix  # 1 for a real token, 0 for padding
    token_type_ids: IdMatrix  # all 0: one sequence per text


class WordPieceTokenizer:
    """BERT uncased tokenization: text → `[CLS]` word pieces `[SEP]`, at most `max_length` ids.

    `special_tokens` are matched where the text spells them exactly (tokenizer.json's
    `added_tokens`); they must include `[CLS]`, `[SEP]`, `[PAD]` and `[UNK]`.
    """

    def __init__(
        self,
        *,
        vocab: Mapping[str, int],
        special_tokens: Mapping[str, int],
        max_length: int,
        max_word_chars: int = 100,
    ) -> None:
        for required in ("[CLS]", "[SEP]", "[PAD]", "[UNK]"):
            if required not in special_tokens:
                raise ConfigError(f"the tokenizer has no {required} token")
        if max_length < 2:
            raise ConfigError(f"max_length {max_length} leaves no room for [CLS] and [SEP]")
        self.max_length = max_length
        self.max_word_chars = max_word_chars
        self._vocab = dict(vocab)
        self._special_tokens = dict(special_tokens)
        self._cls_id = special_tokens["[CLS]"]
        self._sep_id = special_tokens["[SEP]"]
        self.pad_id = special_tokens["[PAD]"]
        self._unk_id = special_tokens["[UNK]"]
        # Longest first, so that one special token that begins another never cuts it short.
        by_length = sorted(special_tokens, key=len, reverse=True)
        self._special_pattern = re.compile("|".join(map(re.escape, by_length)))
        self._longest_entry = max(map(len, self._vocab))
        # Filled in as characters are first seen: str.translate runs them at C speed.
        self._cleaning_table = _CharacterTable(_clean_character)
        self._unaccented_lower_table = _CharacterTable(_unaccented_lower)
        # Words repeat a lot (the, of, patients): each is split once.
        self._ids_of_run = lru_cache(maxsize=_RUN_CACHE_SIZE)(self._split_run)

    @classmethod
    def from_tokenizer_json(cls, path: Path, *, max_length: int) -> WordPieceTokenizer:
        """The tokenizer a `tokenizers` tokenizer.json describes; refuses any other pipeline."""
        config = json.loads(path.read_text(encoding="utf-8"))
        problems = _unsupported_settings(config)
        if problems:
            raise ConfigError(
                f"{path} is not a BERT uncased WordPiece tokenizer this code reproduces: "
                + "; ".join(problems)
            )
        model = config["model"]
        return cls(
            vocab=model["vocab"],
            special_tokens={token["content"]: token["id"] for token in config["added_tokens"]},
            max_length=max_length,
            max_word_chars=model["max_input_chars_per_word"],
        )

    def encode(self, text: str) -> list[int]:
        """`[CLS]`, the text's token ids (cut to fit `max_length`), `[SEP]`."""
        room = self.max_length - 2
        ids: list[int] = []
        for run_ids in self._ids_per_run(text):
            ids += run_ids
            if len(ids) >= room:  # later words cannot change the ones kept
                break
        return [self._cls_id, *ids[:room], self._sep_id]

    def encode_batch(self, texts: Sequence[str]) -> EncodedBatch:
        """`encode` each text, padded to the longest."""
        return self.pad([self.encode(text) for text in texts])

    def pad(self, sequences: Sequence[Sequence[int]]) -> EncodedBatch:
        """Token id lists as one matrix, `[PAD]` on the right, with their attention mask."""
        width = max(map(len, sequences), default=0)
        input_ids = np.full((len(sequences), width), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros_like(input_ids)
        for row, ids in enumerate(sequences):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        return EncodedBatch(input_ids, attention_mask, np.zeros_like(input_ids))

    def normalize(self, text: str) -> str:
        """BertNormalizer: lowercase, no accents or control characters, plain spaces, CJK spaced."""
        cleaned = text.translate(self._cleaning_table)
        if cleaned.isascii():  # nothing to decompose, no marks: the common case, fast
            return cleaned.lower()
        return unicodedata.normalize("NFD", cleaned).translate(self._unaccented_lower_table)

    def _ids_per_run(self, text: str) -> Iterator[tuple[int, ...]]:
        """The token ids of each space-separated run of the text, in order."""
        for piece in self._split_special_tokens(text):
            if isinstance(piece, int):
                yield (piece,)
                continue
            for run in self.normalize(piece).split():
                yield self._ids_of_run(run)

    def _split_special_tokens(self, text: str) -> Iterator[str | int]:
        """The text between special tokens, and each special token's id where it is written."""
        start = 0
        for match in self._special_pattern.finditer(text):
            yield text[start : match.start()]
            yield self._special_tokens[match.group()]
            start = match.end()
        yield text[start:]

    def _split_run(self, run: str) -> tuple[int, ...]:
        """Ids of a normalised run without spaces: punctuation apart, then word pieces."""
        ids: list[int] = []
        for word in _split_on_punctuation(run):
            ids += self._word_pieces(word)
        return tuple(ids)

    def _word_pieces(self, word: str) -> list[int]:
        """Greedy longest-match-first WordPiece; the whole word is `[UNK]` if a piece is missing."""
        if len(word) > self.max_word_chars:
            return [self._unk_id]
        ids: list[int] = []
        start = 0
        while start < len(word):
            prefix = "##" if start else ""
            for end in range(min(len(word), start + self._longest_entry), start, -1):
                piece_id = self._vocab.get(prefix + word[start:end])
                if piece_id is not None:
                    ids.append(piece_id)
                    start = end
                    break
            else:
                return [self._unk_id]
        return ids


class _CharacterTable(dict[int, str]):
    """A str.translate table that maps each character through `rule` on first sight."""

    def __init__(self, rule: Callable[[str], str]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code_point: int) -> str:
        mapped = self[code_point] = self._rule(chr(code_point))
        return mapped


def _clean_character(char: str) -> str:
    """BertNormalizer's clean-up and CJK spacing for one character."""
    if char in "\x00\ufffd" or _is_control(char):
        return ""
    if char in _WHITE_SPACE:
        return " "
    if _is_cjk_ideograph(char):
        return f" {char} "
    return char


def _unaccented_lower(char: str) -> str:
    """One character of an NFD string: dropped if a non-spacing mark, else lower-cased.

    Character by character, as `tokenizers` does: "Σ" is "σ" even at the end of a word, where
    str.lower() on the whole text would give "ς".
    """
    return "" if unicodedata.category(char) == "Mn" else char.lower()


def _is_control(char: str) -> bool:
    # Unassigned code points (Cn) are kept, as `tokenizers` keeps them.
    return char not in "\t\n\r" and unicodedata.category(char) in _CONTROL_CATEGORIES


def _is_cjk_ideograph(char: str) -> bool:
    code_point = ord(char)
    return any(low <= code_point <= high for low, high in _CJK_RANGES)


def _is_punctuation(char: str) -> bool:
    # ASCII symbols such as $, +, < and ^ are not Unicode punctuation, but BERT splits them too.
    return char in string.punctuation or unicodedata.category(char).startswith("P")


def _split_on_punctuation(run: str) -> list[str]:
    """The run cut before and after each punctuation character, which stands alone."""
    words: list[str] = []
    start = 0
    for index, char in enumerate(run):
        if _is_punctuation(char):
            if start < index:
                words.append(run[start:index])
            words.append(char)
            start = index + 1
    if start < len(run):
        words.append(run[start:])
    return words


# What this module implements, as tokenizer.json spells it; anything else is refused rather than
# tokenised differently from `tokenizers`.
_EXPECTED_SETTINGS: dict[str, dict[str, Any]] = {
    "normalizer": {
        "type": "BertNormalizer",
        "clean_text": True,
        "handle_chinese_chars": True,
        "lowercase": True,
    },
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##"},
}


def _unsupported_settings(config: Mapping[str, Any]) -> list[str]:
    """What in a parsed tokenizer.json this module would not reproduce (empty: all of it)."""
    problems = []
    for section, expected in _EXPECTED_SETTINGS.items():
        actual = config.get(section) or {}
        problems += [
            f"{section}.{key} is {actual.get(key)!r}, not {value!r}"
            for key, value in expected.items()
            if actual.get(key) != value
        ]
    strip_accents = (config.get("normalizer") or {}).get("strip_accents")
    if strip_accents not in (None, True):  # None: strip when lower-casing
        problems.append(f"normalizer.strip_accents is {strip_accents!r}")
    if _post_processor_template(config.get("post_processor") or {}) != ["[CLS]", "A", "[SEP]"]:
        problems.append("post_processor does not wrap a text in [CLS] … [SEP]")
    for token in config.get("added_tokens", []):
        if token.get("normalized") or token.get("lstrip") or token.get("rstrip"):
            problems.append(f"added token {token.get('content')!r} is not matched verbatim")
        if token.get("single_word"):
            problems.append(f"added token {token.get('content')!r} matches whole words only")
    return problems


def _post_processor_template(post_processor: Mapping[str, Any]) -> list[str]:
    """The single-text template of a post-processor, as ["[CLS]", "A", "[SEP]"]."""
    if post_processor.get("type") == "BertProcessing":
        return [post_processor["cls"][0], "A", post_processor["sep"][0]]
    if post_processor.get("type") != "TemplateProcessing":
        return []
    return [
        next(iter(part.values()))["id"]
        for part in post_processor.get("single", [])
        if isinstance(part, dict) and part
    ]
