"""The model composer beside the extractive one, on the answer-quality question set.

    .venv/bin/python benchmarks/model_composer.py --model ~/.cache/bedside-models/qwen.gguf \\
        [--every 4] [--limit 80] [--threads 2] [--out ~/.cache/bedside-bench-llm/model.jsonl]
    .venv/bin/python benchmarks/model_composer.py --report ~/.cache/bedside-bench-llm/model.jsonl
    .venv/bin/python benchmarks/model_composer.py --list-kept ~/.cache/bedside-bench-llm/model.jsonl

Asks each chosen question twice on a knowledge base of the bundled cards (default settings,
MiniLM): with the extractive generator and with the `llama-cpp` generator running `--model`.
The questions are the answerable, non-follow-up ones of benchmarks/answer_quality.jsonl, every
`--every`-th in file order (both audiences come, as the file alternates them), at most
`--limit`. Each result is appended to `--out` as it comes (a rerun resumes), and the report is
computed from that file:

- share of the model's sentences kept by the verifier, over every reply that parsed
- fallback rate, by reason (`provenance.fallback.reason`)
- bottom line from an acceptable statement, answer_quality's judge (a labelled card substring):
  for the extractive article on its text; for a served model article on the passages its
  bottom-line sentences cite (a reworded sentence contains no card substring)
- reading grade (Flesch–Kincaid) of the served article per audience, each generator
- ask latency p50/p95, each generator

The file also holds every kept model sentence with the text of the passages it cites;
`--list-kept` prints those not copied word for word, the sample judged by hand
(docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from answer_quality import bundled_service, has_ref, load_items

from bedside.compose.article import all_statements
from bedside.compose.extractive import ExtractiveGenerator
from bedside.compose.llama_cpp import LlamaCppGenerator, LlamaCppOptions
from bedside.compose.readability import flesch_kincaid_grade
from bedside.domain import Answer, Audience
from bedside.service import Service


def chosen(items: list[dict[str, Any]], every: int, limit: int) -> list[dict[str, Any]]:
    """Answerable questions that follow up none, every `every`-th, at most `limit`."""
    standalone = [i for i in items if i["answerable"] and not i.get("follow_up_of")]
    return standalone[::every][:limit]


def ask_timed(service: Service, item: dict[str, Any]) -> tuple[Answer, float]:
    started = time.perf_counter()
    answer = service.ask(item["question"], audience=Audience(item["audience"]), fresh=True)
    return answer, (time.perf_counter() - started) * 1000


def passage_texts(service: Service, passage_ids: tuple[str, ...]) -> list[str]:
    return [service.store.get_passage(p).text for p in passage_ids]


def served_record(service: Service, answer: Answer, ms: float) -> dict[str, Any]:
    """What one generator served: its text, grade, who wrote it, and what was dropped."""
    statements = all_statements(answer)
    text = " ".join(s.text for s in statements)
    return {
        "refused": answer.refusal is not None,
        "ms": round(ms),
        "generator": answer.provenance.get("generator"),
        "fallback": answer.provenance.get("fallback"),
        "model_draft": answer.provenance.get("model_draft"),
        "grade": round(flesch_kincaid_grade(text), 2) if text else None,
        "bottom_line": [s.text for s in answer.bottom_line],
        "bottom_line_sources": [
            text for s in answer.bottom_line for text in passage_texts(service, s.passage_ids)
        ],
        "kept": [
            {"text": s.text, "passages": passage_texts(service, s.passage_ids)} for s in statements
        ],
        "dropped": [
            {"text": d.statement.text, "reason": d.reason, "failed_checks": list(d.failed_checks)}
            for d in answer.dropped
        ],
    }


def run(args: argparse.Namespace) -> None:
    root = Path(__file__).resolve().parents[1]
    items = chosen(load_items(root / "benchmarks" / "answer_quality.jsonl"), args.every, args.limit)
    done = {json.loads(line)["id"] for line in args.out.open()} if args.out.exists() else set()
    options = LlamaCppOptions(
        args.model, threads=args.threads, deadline_ms=args.deadline_ms, max_tokens=args.max_tokens
    )
    model = LlamaCppGenerator(options)
    model.open()
    extractive = ExtractiveGenerator()
    with bundled_service(args.home) as service, args.out.open("a") as out:
        service.ask("How is gout managed?", fresh=True)  # warm the embedder, as a server would be
        for number, item in enumerate(items, start=1):
            if item["id"] in done:
                continue
            record = {"id": item["id"], "item": item}
            for name, generator in (("extractive", extractive), ("model", model)):
                service.generator = generator
                answer, ms = ask_timed(service, item)
                record[name] = served_record(service, answer, ms)
            out.write(json.dumps(record) + "\n")
            out.flush()
            print(
                f"{number}/{len(items)} {item['id']} model {record['model']['ms'] / 1000:.0f} s "
                f"{record['model']['generator']} {record['model']['fallback'] or ''}",
                file=sys.stderr,
                flush=True,
            )
    model.close()


# -- the report -------------------------------------------------------------------------------


def model_sentences(record: dict[str, Any]) -> tuple[int, int] | None:
    """(kept, checked) of the model's sentences; None when no reply parsed."""
    served = record["model"]
    if served["generator"] == "llama-cpp/1":
        return len(served["kept"]), len(served["kept"]) + len(served["dropped"])
    attempt = served["model_draft"]
    if attempt:  # parsed, verified, and too few kept: the extractive article was served
        return attempt["statements_kept"], attempt["statements_checked"]
    return None


def bottom_line_ok(record: dict[str, Any], name: str) -> bool:
    served, refs = record[name], record["item"]["bottom_line"]
    if served["refused"]:
        return False
    by_model = served["generator"] == "llama-cpp/1"
    texts = served["bottom_line_sources"] if by_model else served["bottom_line"]
    return any(has_ref(texts, ref) for ref in refs)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def is_copied(sentence: dict[str, Any]) -> bool:
    """Whether a kept sentence is found word for word in a passage it cites."""
    words = _words(sentence["text"])
    return any(words in _words(passage) for passage in sentence["passages"])


def kept_model_sentences(records: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(question id, sentence) for every sentence of a served model article."""
    return [
        (r["id"], sentence)
        for r in records
        if r["model"]["generator"] == "llama-cpp/1"
        for sentence in r["model"]["kept"]
    ]


def list_kept(path: Path) -> None:
    """Every kept model sentence not copied word for word, with its cited passages: the
    sample to judge by hand."""
    records = [json.loads(line) for line in path.open() if line.strip()]
    reworded = [(i, s) for i, s in kept_model_sentences(records) if not is_copied(s)]
    for number, (item_id, sentence) in enumerate(reworded, start=1):
        print(f"\n[{number}] {item_id}: {sentence['text']}")
        for passage in sentence["passages"]:
            print(f"    source: {passage}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(path: Path) -> None:
    records = [json.loads(line) for line in path.open() if line.strip()]
    print(f"{len(records)} questions ({Counter(r['item']['audience'] for r in records)})")
    counted = [c for c in map(model_sentences, records) if c is not None]
    kept, checked = sum(c[0] for c in counted), sum(c[1] for c in counted)
    print(f"model sentences kept: {kept}/{checked} = {kept / max(checked, 1):.1%}")
    shown = kept_model_sentences(records)
    copied = sum(is_copied(sentence) for _, sentence in shown)
    print(
        f"served model sentences copied word for word from a cited passage: {copied}/{len(shown)}"
    )
    served = sum(r["model"]["generator"] == "llama-cpp/1" for r in records)
    reasons = Counter(r["model"]["fallback"]["reason"] for r in records if r["model"]["fallback"])
    print(f"model article served: {served}/{len(records)}; fallbacks: {dict(reasons)}")
    for name in ("extractive", "model"):
        labelled = [r for r in records if r["item"]["bottom_line"]]
        ok = sum(bottom_line_ok(r, name) for r in labelled)
        print(f"{name:10} bottom line acceptable: {ok}/{len(labelled)} = {ok / len(labelled):.1%}")
        for audience in ("clinician", "patient"):
            grades = [
                r[name]["grade"]
                for r in records
                if r["item"]["audience"] == audience and r[name]["grade"] is not None
            ]
            if grades:
                print(f"{'':10} reading grade {audience}: median {statistics.median(grades):.1f}")
        times = [r[name]["ms"] / 1000 for r in records]
        print(
            f"{'':10} latency p50 {statistics.median(times):.2f} s, "
            f"p95 {percentile(times, 0.95):.2f} s"
        )
    by_model = [r for r in records if r["model"]["generator"] == "llama-cpp/1"]
    if by_model:
        ok = sum(bottom_line_ok(r, "model") for r in by_model if r["item"]["bottom_line"])
        print(f"bottom line acceptable, served model articles only: {ok}/{len(by_model)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="the GGUF file to run")
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument(
        "--out", type=Path, default=Path.home() / ".cache" / "bedside-bench-llm" / "model.jsonl"
    )
    parser.add_argument("--every", type=int, default=4)
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--deadline-ms", type=int, default=600_000)
    parser.add_argument("--max-tokens", type=int, default=1500)
    parser.add_argument("--report", type=Path, help="only report on this results file")
    parser.add_argument("--list-kept", type=Path, help="list the reworded kept sentences of it")
    args = parser.parse_args()
    if args.report:
        report(args.report)
        return
    if args.list_kept:
        list_kept(args.list_kept)
        return
    if args.model is None:
        parser.error("--model is required (or --report)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    run(args)
    report(args.out)


if __name__ == "__main__":
    main()
