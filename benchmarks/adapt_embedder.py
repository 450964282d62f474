"""Experiment: adapt the bundled all-MiniLM-L6-v2 to the SciFact corpus, unsupervised.

    .venv/bin/python benchmarks/adapt_embedder.py [--home /tmp/adapt-home] [--stage all|train|eval]

Training pairs are the corpus's own (title, first window of the abstract) pairs — no queries and
no qrels are used for training. One epoch of MultipleNegativesRankingLoss (in-batch negatives),
batch 32, lr 2e-5, 10% warmup, max_seq_length 128. The adapted model is then used as a separate
embedder ("minilm-adapted", its own vectors file in the KB home; the keyword index and the store
are reused), the keyword weight of z-score fusion is chosen on the train queries, and dense-alone
and hybrid are reported once on the test queries.

Needs the `torch` extra (pip install -e '.[torch]'). Run it on a *copy* of the benchmark KB
home (cp -r ~/.cache/bedside-bench/kb /tmp/adapt-home/kb).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from retrieval import configure, evaluate, load_qrels, load_queries, memoise_embedder

from bedside.config import load_settings
from bedside.index.embedders.onnx import OnnxEmbedder
from bedside.index.embedders.onnx_export import export_onnx, onnx_model_path
from bedside.index.embedders.sentence_transformers import (
    force_offline,
    packaged_model_dir,
)
from bedside.ingest.chunking import split_sentences
from bedside.service import Service

MAX_SEQ = 128
THREADS = 2


def emit(*args: Any) -> None:
    print(*args, flush=True)


def training_pairs(corpus: Path, window: int = 3) -> list[tuple[str, str]]:
    """(title, first `window` sentences of the abstract) for every document that has both."""
    pairs = []
    with corpus.open() as lines:
        for line in lines:
            record = json.loads(line)
            title, text = record.get("title", "").strip(), record.get("text", "").strip()
            if not title or not text:
                continue
            spans = split_sentences(text)
            body = text[spans[0][0] : spans[:window][-1][1]] if spans else text
            pairs.append((title, body))
    return pairs


def train(
    corpus: Path,
    out: Path,
    *,
    batch: int = 32,
    lr: float = 2e-5,
    seed: int = 13,
    max_steps: int | None = None,
) -> float:
    force_offline()
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import get_linear_schedule_with_warmup

    torch.set_num_threads(THREADS)
    torch.manual_seed(seed)
    random.seed(seed)
    pairs = training_pairs(corpus)
    random.shuffle(pairs)
    emit(f"train: {len(pairs)} (title, first window) pairs")
    model = SentenceTransformer(str(packaged_model_dir()), device="cpu", local_files_only=True)
    model.max_seq_length = MAX_SEQ
    model.train()
    steps = len(pairs) // batch  # drop the last partial batch
    if max_steps:
        steps = min(steps, max_steps)  # a time box: the schedule spans only these steps
    emit(f"train: {steps} steps of {batch} pairs ({steps * batch} pairs)")
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, math.ceil(0.1 * steps), steps)
    scale = 20.0  # MultipleNegativesRankingLoss default (cosine similarity x 20)
    started = time.perf_counter()
    for step in range(steps):
        chunk = pairs[step * batch : (step + 1) * batch]
        anchors = model.tokenize([a for a, _ in chunk])
        positives = model.tokenize([p for _, p in chunk])
        a = model(anchors)["sentence_embedding"]
        p = model(positives)["sentence_embedding"]
        scores = (
            scale
            * torch.nn.functional.normalize(a, dim=-1)
            @ torch.nn.functional.normalize(p, dim=-1).T
        )
        loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(chunk)))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 10 == 0 or step == steps - 1:
            elapsed = time.perf_counter() - started
            emit(f"  step {step + 1}/{steps} loss {loss.item():.4f} ({elapsed:.0f} s)")
    elapsed = time.perf_counter() - started
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    emit(f"train: {steps} steps in {elapsed:.0f} s, saved to {out}")
    return elapsed


class AdaptedOnnxEmbedder(OnnxEmbedder):
    """The adapted MiniLM exported to ONNX int8 by Bedside's own recipe (`onnx_export`)."""

    name: ClassVar[str] = "minilm-adapted"
    version: ClassVar[str] = "1-int8"

    def __init__(self, adapted_dir: Path, *, max_batch: int = 32, version: str = "1-int8") -> None:
        super().__init__(
            model_path=onnx_model_path(adapted_dir / "onnx"),
            tokenizer_path=adapted_dir / "tokenizer.json",
            max_batch=max_batch,
        )
        self.adapted_dir = adapted_dir
        self.version = version  # type: ignore[misc]  # one vectors file per training run

    def open(self) -> None:
        started = time.perf_counter()
        assert self.model_path is not None
        if not self.model_path.is_file():
            export_onnx(self.model_path.parent, model_dir=self.adapted_dir)
        super().open()
        emit(f"onnx export/open of the adapted model: {time.perf_counter() - started:.0f} s")


def run_eval(scifact: Path, home: Path, model_dir: Path, version: str) -> None:
    settings = load_settings(overrides={"home": home, "store": {"kb": "scifact"}})
    train_qrels = load_qrels(scifact / "qrels" / "train.tsv")
    test_qrels = load_qrels(scifact / "qrels" / "test.tsv")
    train_q = load_queries(scifact / "queries.jsonl", set(train_qrels))
    test_q = load_queries(scifact / "queries.jsonl", set(test_qrels))
    adapted = AdaptedOnnxEmbedder(model_dir, max_batch=settings.index.embed_batch, version=version)
    adapted.open()
    with Service(settings) as service:
        service._embedder = adapted  # type: ignore[assignment]
        service._embedder_loaded = True
        service._vectors = None
        service._retriever = None
        started = time.perf_counter()
        last = [started]

        def show(stage: str, done: int, total: int) -> None:
            now = time.perf_counter()
            if now - last[0] > 30 or done == total:
                last[0] = now
                emit(f"  {stage}: {done}/{total} ({now - started:.0f} s)")

        report = service.index(progress=show)
        emit(f"index: {report} in {time.perf_counter() - started:.0f} s")
        memoise_embedder(service)
        emit(
            f"\n## Tuning on train ({len(train_q)} queries, nDCG@10), "
            f"keyword {settings.index.keyword}"
        )
        configure(service, fusion="dense", rerank="none")
        emit(f"- dense alone: {evaluate(service, train_q, train_qrels)['ndcg@10']:.4f}")
        grid = {}
        for weight in (0.3, 0.4, 0.5):
            configure(service, fusion="zscore", keyword_weight=weight, rerank="none")
            grid[weight] = evaluate(service, train_q, train_qrels)["ndcg@10"]
            emit(f"- zscore keyword_weight={weight}: {grid[weight]:.4f}")
        best = max(grid, key=lambda w: grid[w])
        emit(f"chosen on train: keyword_weight={best}")
        emit(f"\n## Test ({len(test_q)} queries)\n")
        emit("| configuration | nDCG@10 | Recall@100 |")
        emit("|---|---:|---:|")
        for label, retrieve in (
            ("dense (adapted MiniLM windows)", {"fusion": "dense", "rerank": "none"}),
            (
                f"hybrid z-score ({settings.index.keyword}, {best} BM25), adapted",
                {"fusion": "zscore", "keyword_weight": best, "rerank": "none"},
            ),
        ):
            configure(service, **retrieve)
            result = evaluate(service, test_q, test_qrels)
            emit(f"| {label} | {result['ndcg@10']:.4f} | {result['recall@100']:.4f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--data", type=Path, default=root / ".." / "shared" / "data")
    parser.add_argument("--home", type=Path, default=Path("/tmp/adapt-home"))
    parser.add_argument("--stage", choices=("all", "train", "eval"), default="all")
    parser.add_argument("--max-steps", type=int, default=None, help="cap on training steps")
    args = parser.parse_args()
    scifact = args.data.resolve() / "scifact"
    # --max-steps 40 was the first, time-boxed run (version 1); a full epoch is version 2.
    version = "1-int8" if args.max_steps == 40 else f"2-int8-s{args.max_steps or 'epoch'}"
    suffix = "" if version == "1-int8" else f"-{args.max_steps or 'epoch'}"
    model_dir = args.home / "models" / f"minilm-scifact-adapted{suffix}"
    emit(f"model {model_dir}, embedder minilm-adapted v{version}")
    if args.stage in ("all", "train"):
        train(scifact / "corpus.jsonl", model_dir, max_steps=args.max_steps)
    if args.stage in ("all", "eval"):
        run_eval(scifact, args.home, model_dir, version)


if __name__ == "__main__":
    main()
