"""Ingest throughput on the real corpora in ../shared/data.

For each corpus: documents/s and passages/s of a first ingest into an empty knowledge base (median
of --repeat runs, each in a fresh process-local store), the time of a second ingest of the same
files (ratio to the first), knowledge-base size on disk, and peak memory (max RSS) of the run.

    .venv/bin/python benchmarks/ingest.py [--data ../shared/data] [--repeat 3]

Prints a Markdown table; paste it into docs/benchmarks.md with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPORA = {
    "PubMed baseline (medline16n0902.xml.gz)": ["pubmed/medline16n0902.xml.gz"],
    "PubMed efetch + current sample": [
        "pubmed/pubmed-29768149.xml",
        "pubmed/test_current_medline.xml.gz",
    ],
    "PMC JATS (3 articles)": ["pubmed/*.nxml"],
    "PubMedQA (ori_pqal.json)": ["pubmedqa/ori_pqal.json"],
    "SciFact (BEIR corpus.jsonl)": ["scifact/corpus.jsonl"],
    "MedQuAD (9 folders)": ["medquad"],
    "Bundled guideline cards": ["@bundled"],
    "All of ../shared/data + cards": ["@all"],
}

# Runs in a child process so that max RSS is this corpus's alone.
CHILD = r"""
import json, resource, sys, time
from bedside.config import load_settings
from bedside.service import Service, build_readers, bundled_cards_path
paths = json.loads(sys.argv[1])
paths = [str(bundled_cards_path()) if p == "@bundled" else p for p in paths]
settings = load_settings()
build_readers()  # import the readers' libraries before timing: a one-off cost, not throughput
with Service(settings) as service:
    started = time.perf_counter()
    first = service.ingest(paths)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = service.ingest(paths)
    second_s = time.perf_counter() - started
    stats = service.kb_stats()
print(json.dumps({
    "documents": first.outcomes["added"],
    "passages": first.passages,
    "errors": len(first.errors),
    "first_s": first_s,
    "second_s": second_s,
    "second_added": second.outcomes["added"] + second.outcomes["updated"],
    "size_bytes": stats.size_bytes,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def run_once(paths: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "BEDSIDE_HOME": home}
        result = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(paths)],
            env=env,
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise SystemExit(f"ingest of {paths} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def expand(data: Path, patterns: list[str]) -> list[str]:
    if patterns == ["@all"]:
        return [str(data), "@bundled"]
    paths: list[str] = []
    for pattern in patterns:
        if pattern.startswith("@"):
            paths.append(pattern)
        else:
            paths.extend(str(path) for path in sorted(data.glob(pattern)))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).parents[1] / ".." / "shared" / "data"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = args.data.resolve()
    print(f"# ingest benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, data {data}")
    print()
    print(
        "| corpus | documents | passages | docs/s | passages/s | 1st run s | 2nd run s (ratio) "
        "| KB size MB | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, patterns in CORPORA.items():
        runs = [run_once(expand(data, patterns)) for _ in range(args.repeat)]
        first = statistics.median(run["first_s"] for run in runs)
        second = statistics.median(run["second_s"] for run in runs)
        sample = runs[0]
        assert all(run["second_added"] == 0 for run in runs), "re-ingest added documents"
        assert all(run["errors"] == 0 for run in runs), f"{name}: ingest errors"
        print(
            f"| {name} | {sample['documents']:.0f} | {sample['passages']:.0f} "
            f"| {sample['documents'] / first:,.0f} | {sample['passages'] / first:,.0f} "
            f"| {first:.2f} | {second:.3f} ({second / first:.3f}) "
            f"| {sample['size_bytes'] / 1e6:.1f} "
            f"| {statistics.median(run['max_rss_mb'] for run in runs):.0f} |",
            flush=True,
        )
    print()
    print(f"Median of {args.repeat} runs; each run ingests into an empty knowledge base.")


if __name__ == "__main__":
    main()
