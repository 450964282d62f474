"""Embedding throughput of every embedder on real text (SciFact abstracts in ../shared/data).

Each text is what the dense index embeds: a document title followed by its first 3 sentences.
For each embedder: texts/s (median of --repeat runs, texts fed in calls of --call-size as the
index builder does), time to open, and peak memory (max RSS) of a child process running only
that embedder. `minilm-onnx` is the default (the packaged int8 file); `minilm-onnx-r1` is the
model Bedside exported itself before (torch export + dynamic int8 quantisation, exported first in
a child of its own, and timed). `minilm-torch` and `minilm-onnx-r1` need the `torch` extra.
Also prints how closely the vectors of each pair agree.

    .venv/bin/python benchmarks/embedders.py [--data ../shared/data] [--texts 2000] [--repeat 3]

Prints a Markdown table; paste it into docs/benchmarks.md with the date and machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bedside.ingest.chunking import split_sentences

EMBEDDERS = ("hashing", "minilm-torch", "minilm-onnx", "minilm-onnx-r1")

EXPORT_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from bedside.index.embedders.onnx_export import export_onnx
started = time.perf_counter()
export_onnx(Path(sys.argv[1]))
print(json.dumps({
    "export_s": time.perf_counter() - started,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""

# Runs in a child process so that max RSS is this embedder's alone.
EMBED_CHILD = r"""
import json, resource, statistics, sys, time
from pathlib import Path
import numpy as np
from bedside.index.embedders.hashing import HashingEmbedder
from bedside.index.embedders.onnx import OnnxEmbedder
from bedside.index.embedders.onnx_export import onnx_model_path
from bedside.index.embedders.sentence_transformers import SentenceTransformersEmbedder
name, texts_file, model_dir, out_file, repeat, call_size = sys.argv[1:]
texts = json.loads(Path(texts_file).read_text())
repeat, call_size = int(repeat), int(call_size)
embedder = {
    "hashing": lambda: HashingEmbedder(),
    "minilm-torch": lambda: SentenceTransformersEmbedder(),
    "minilm-onnx": lambda: OnnxEmbedder(),
    "minilm-onnx-r1": lambda: OnnxEmbedder(model_path=onnx_model_path(Path(model_dir))),
}[name]()
started = time.perf_counter()
embedder.open()
open_s = time.perf_counter() - started
embedder.embed(texts[:64])  # warm-up: first-call allocations are not throughput
runs = []
for _ in range(repeat):
    started = time.perf_counter()
    vectors = np.vstack([
        embedder.embed(texts[i : i + call_size]) for i in range(0, len(texts), call_size)
    ])
    runs.append(time.perf_counter() - started)
np.save(out_file, vectors)
print(json.dumps({
    "open_s": open_s,
    "run_s": statistics.median(runs),
    "runs_s": runs,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "max_batch": embedder.max_batch,
}))
"""


def load_texts(corpus: Path, count: int) -> list[str]:
    """Title + first 3 sentences of the first `count` documents with an abstract."""
    texts = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            body = record["text"]
            spans = split_sentences(body)[:3]
            if not spans:
                continue
            texts.append(f"{record['title']}. {body[spans[0][0] : spans[-1][1]]}")
            if len(texts) == count:
                break
    return texts


def run_child(script: str, *args: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"child failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1] / ".." / "shared" / "data"
    )
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--call-size", type=int, default=256, help="texts per embed() call (builder: 32 x 8)"
    )
    parser.add_argument("--embedders", nargs="+", default=list(EMBEDDERS), choices=EMBEDDERS)
    args = parser.parse_args()
    texts = load_texts(args.data.resolve() / "scifact" / "corpus.jsonl", args.texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    print(
        f"# embedder benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
        f"{len(texts)} SciFact windows (title + 3 sentences, mean {mean_chars:.0f} chars), "
        f"load average {os.getloadavg()[0]:.2f} at start"
    )
    print()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts))
        model_dir = work / "minilm-onnx-int8"
        if "minilm-onnx-r1" in args.embedders:
            export = run_child(EXPORT_CHILD, str(model_dir))
            print(
                f"ONNX export (torch trace + int8 quantisation): {export['export_s']:.1f} s, "
                f"peak RSS {export['max_rss_mb']:.0f} MB"
            )
            print()
        print("| embedder | max_batch | texts/s | open s | peak RSS MB |")
        print("|---|---:|---:|---:|---:|")
        vectors = {}
        for name in args.embedders:
            out_file = work / f"{name}.npy"
            result = run_child(
                EMBED_CHILD,
                *(name, str(texts_file), str(model_dir), str(out_file)),
                *(str(args.repeat), str(args.call_size)),
            )
            vectors[name] = np.load(out_file)
            print(
                f"| {name} | {result['max_batch']:.0f} | {len(texts) / result['run_s']:,.1f} "
                f"| {result['open_s']:.1f} | {result['max_rss_mb']:.0f} |",
                flush=True,
            )
    print()
    print(
        f"texts/s: median of {args.repeat} runs, embed() called with {args.call_size} texts; "
        f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine slows it)."
    )
    names = sorted(vectors.keys() - {"hashing"})
    for first, second in itertools.combinations(names, 2):
        agreement = (vectors[first] * vectors[second]).sum(axis=1)
        print(
            f"{first} vs {second}, cosine per text: min {agreement.min():.4f}, "
            f"1st percentile {np.percentile(agreement, 1):.4f}, mean {agreement.mean():.4f}."
        )


if __name__ == "__main__":
    main()
