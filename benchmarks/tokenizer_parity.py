"""Does Bedside's pure-Python WordPiece tokenizer give the ids `tokenizers` gives? How fast is it?

The `minilm-onnx` embedder tokenizes with `bedside.index.embedders.wordpiece` instead of the
`tokenizers` library (issue 14, decision record 0010); a single differing id changes a vector.
Texts compared: every bundled card's statements, titles and aliases; SciFact (each abstract as
title + text, each claim); PubMedQA (each question, abstract and long answer); MedQuAD (each
question, and the answers in the first --medquad-answer-files files); and hand-written odd ones
(Unicode, units, numbers, special tokens, long words, texts past the 256-token limit). Each text
is compared id for id as the embedder encodes it (no padding), and in padded batches of 32 (ids,
attention mask, token types). Then every Unicode code point between two letters, which shows
where the two libraries' character tables differ (they use different Unicode versions).
Needs the `dev` extra, which has `tokenizers`; reads ../shared/data in place.

    .venv/bin/python benchmarks/tokenizer_parity.py [--data ../shared/data] [--repeat 3]

Exits 1 if the ids of any text differ.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from bedside.index.embedders.onnx import packaged_tokenizer_path
from bedside.index.embedders.sentence_transformers import MAX_SEQ_LENGTH
from bedside.index.embedders.wordpiece import WordPieceTokenizer
from bedside.ingest.readers.cards import parse_card
from bedside.service import bundled_cards_path

BATCH_SIZE = 32

# Hand-written odd texts (Unicode, units, numbers, special tokens), shared with the parity test.
ODD_TEXTS_FILE = Path(__file__).parents[1] / "tests/index/embedders/data/odd_texts.json"


def odd_texts() -> list[str]:
    """The hand-written odd texts, long words around WordPiece's 100-character limit, and runs
    of words around the 256-token limit (254 fit between [CLS] and [SEP])."""
    texts: list[str] = json.loads(ODD_TEXTS_FILE.read_text(encoding="utf-8"))
    texts += ["a" * 100, "a" * 101, "x" * 5000, "ab" * 60 + " end"]
    texts += ["pneumonoultramicroscopicsilicovolcanoconiosis " * 3]
    texts += [" ".join(["word"] * count) for count in range(250, 260)]
    texts += [" ".join(["hypoglycaemia"] * count) for count in (60, 63, 64, 65, 200)]
    return texts


def card_texts() -> list[str]:
    """Every bundled card's title, aliases and statements."""
    texts: list[str] = []
    for path in sorted(bundled_cards_path().glob("*.md")):
        card = parse_card(path.read_text(encoding="utf-8"), path)
        texts += [card.meta.title, *card.meta.aliases]
        texts += [statement.text for statement in card.statements]
    return texts


def scifact_texts(data: Path) -> list[str]:
    """Every SciFact abstract (title + text, as the index embeds a document) and claim."""
    texts = []
    with (data / "scifact" / "corpus.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            texts.append(f"{document['title']} {document['text']}")
    with (data / "scifact" / "queries.jsonl").open(encoding="utf-8") as lines:
        texts += [json.loads(line)["text"] for line in lines]
    return texts


def pubmedqa_texts(data: Path) -> list[str]:
    """Each PubMedQA question, its abstract's sections joined, and its long answer."""
    items = json.loads((data / "pubmedqa" / "ori_pqal.json").read_text(encoding="utf-8"))
    texts = []
    for item in items.values():
        texts += [item["QUESTION"], " ".join(item["CONTEXTS"]), item["LONG_ANSWER"]]
    return texts


def medquad_texts(data: Path, *, answer_files: int) -> list[str]:
    """Every MedQuAD question; the answers too in the first `answer_files` files."""
    texts = []
    for index, path in enumerate(sorted((data / "medquad").glob("*/*.xml"))):
        root = ElementTree.parse(path).getroot()
        texts += [element.text or "" for element in root.iter("Question")]
        if index < answer_files:
            texts += [element.text or "" for element in root.iter("Answer")]
    return texts


def reference_tokenizer(path: Path) -> Tokenizer:
    """`tokenizers` set up as the embedder used it: no padding, cut at MAX_SEQ_LENGTH."""
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
    return tokenizer


def differing_texts(
    texts: Sequence[str], ours: WordPieceTokenizer, reference: Tokenizer
) -> list[int]:
    """Indexes of the texts whose ids differ."""
    expected = [encoding.ids for encoding in reference.encode_batch(list(texts))]
    return [index for index, text in enumerate(texts) if ours.encode(text) != expected[index]]


def differing_batches(
    texts: Sequence[str], ours: WordPieceTokenizer, reference: Tokenizer
) -> list[int]:
    """Start indexes of the batches of BATCH_SIZE whose padded ids, mask or types differ."""
    padded = Tokenizer.from_str(reference.to_str())
    padded.enable_padding(pad_id=ours.pad_id, pad_token="[PAD]")  # to the longest in the batch
    differing = []
    for start in range(0, len(texts), BATCH_SIZE):
        batch = list(texts[start : start + BATCH_SIZE])
        encodings = padded.encode_batch(batch)
        mine = ours.encode_batch(batch)
        matrices = (
            (mine.input_ids, [encoding.ids for encoding in encodings]),
            (mine.attention_mask, [encoding.attention_mask for encoding in encodings]),
            (mine.token_type_ids, [encoding.type_ids for encoding in encodings]),
        )
        if not all(np.array_equal(ours_, np.array(theirs)) for ours_, theirs in matrices):
            differing.append(start)
    return differing


def differing_code_points(ours: WordPieceTokenizer, reference: Tokenizer) -> list[int]:
    """Code points c for which "a{c}b" gets other ids (surrogates cannot reach `tokenizers`)."""
    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = [f"a{chr(c)}b" for c in code_points]
    return [code_points[index] for index in differing_texts(texts, ours, reference)]


def as_ranges(code_points: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs of consecutive values."""
    ranges: list[tuple[int, int]] = []
    for code_point in sorted(code_points):
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1] = (ranges[-1][0], code_point)
        else:
            ranges.append((code_point, code_point))
    return ranges


def median_seconds(run: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def report_speed(texts: Sequence[str], path: Path, reference: Tokenizer, repeat: int) -> None:
    """Texts per second of each way of tokenizing the same texts, one text at a time and batched."""
    batch = list(texts)

    def ours_fresh() -> None:  # a new tokenizer: its word cache starts empty
        tokenizer = WordPieceTokenizer.from_tokenizer_json(path, max_length=MAX_SEQ_LENGTH)
        for text in texts:
            tokenizer.encode(text)

    warm = WordPieceTokenizer.from_tokenizer_json(path, max_length=MAX_SEQ_LENGTH)
    timings = {
        "tokenizers encode_batch (Rust, all cores)": median_seconds(
            lambda: reference.encode_batch(batch), repeat
        ),
        "tokenizers encode, one text at a time": median_seconds(
            lambda: [reference.encode(text) for text in texts], repeat
        ),
        "wordpiece.py, fresh tokenizer (incl. loading)": median_seconds(ours_fresh, repeat),
        "wordpiece.py, warm word cache": median_seconds(
            lambda: [warm.encode(text) for text in texts], repeat
        ),
    }
    baseline = timings["tokenizers encode_batch (Rust, all cores)"]
    print(f"\nSpeed on {len(texts):,} texts (median of {repeat}):")
    for name, seconds in timings.items():
        print(
            f"  {name:47} {len(texts) / seconds:>9,.0f} texts/s  "
            f"{baseline / seconds:5.2f}x tokenizers encode_batch"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--medquad-answer-files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-code-points", action="store_true")
    args = parser.parse_args()

    path = packaged_tokenizer_path()
    ours = WordPieceTokenizer.from_tokenizer_json(path, max_length=MAX_SEQ_LENGTH)
    reference = reference_tokenizer(path)
    sources = {
        "bundled cards": card_texts(),
        "SciFact": scifact_texts(args.data),
        "PubMedQA": pubmedqa_texts(args.data),
        "MedQuAD": medquad_texts(args.data, answer_files=args.medquad_answer_files),
        "odd texts": odd_texts(),
    }
    total_differing = report_texts(sources, ours, reference)
    all_texts = [text for texts in sources.values() for text in texts]
    batches = differing_batches(all_texts, ours, reference)
    print(
        f"padded batches of {BATCH_SIZE} differing (ids, mask or types): "
        f"{len(batches)} of {-(-len(all_texts) // BATCH_SIZE):,}"
    )
    if not args.skip_code_points:
        report_code_points(ours, reference)
    report_speed(all_texts, path, reference, args.repeat)
    return 1 if total_differing or batches else 0


def report_texts(
    sources: dict[str, list[str]], ours: WordPieceTokenizer, reference: Tokenizer
) -> int:
    """A row per source: texts, how many fill the 256 tokens, how many differ; the total."""
    print(f"{'source':14} {'texts':>7} {'truncated':>9} {'non-ASCII':>9} {'differ':>6}")
    total_differing = 0
    for name, texts in sources.items():
        differing = differing_texts(texts, ours, reference)
        total_differing += len(differing)
        truncated = sum(len(ours.encode(text)) == MAX_SEQ_LENGTH for text in texts)
        non_ascii = sum(not text.isascii() for text in texts)
        print(f"{name:14} {len(texts):7,} {truncated:9,} {non_ascii:9,} {len(differing):6}")
        for index in differing[:3]:
            print(f"    differs: {texts[index][:120]!r}")
    total = sum(map(len, sources.values()))
    print(f"{'all':14} {total:7,}   texts differing: {total_differing}")
    return total_differing


def report_code_points(ours: WordPieceTokenizer, reference: Tokenizer) -> None:
    """How many single code points the two tokenize differently, and which."""
    differing = differing_code_points(ours, reference)
    print(
        f"\nCode points c where 'a{{c}}b' differs: {len(differing)} of 1,112,064 "
        f"(Python's Unicode {unicodedata.unidata_version}), in {len(as_ranges(differing))} runs; "
        f"below U+0800: {sum(c < 0x800 for c in differing)}"
    )
    for first, last in as_ranges(differing)[:12]:
        name = unicodedata.name(chr(first), "unassigned here")
        print(f"  U+{first:04X}..U+{last:04X}  {unicodedata.category(chr(first))}  {name}")


if __name__ == "__main__":
    sys.exit(main())
