"""Answer quality, safety and latency of `bedside ask` on our question set.

    .venv/bin/python benchmarks/answers.py [--home ~/.cache/bedside-bench] [--whole-kb whole]

Builds (once) a knowledge base of the bundled cards with the default settings, asks every
question of benchmarks/questions.jsonl (composing afresh each time, then again from the store),
and prints: share of answerable questions answered (and on the expected card), refusal precision
and recall per reason, red-flag recall and false alarms, statements dropped by the verifier, the
patient reading grade, latency p50/p95 for composing and for the stored path, the calibration of
`answer.min_topic_coverage`, and the support check measured on labelled statement–passage pairs.
With --whole-kb NAME it also times the answerable questions on that (prebuilt) knowledge base,
e.g. the one benchmarks/whole_kb.py builds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bedside.compose.article import answer_to_json
from bedside.compose.readability import flesch_kincaid_grade
from bedside.config import Settings, load_settings
from bedside.domain import Answer, Audience
from bedside.service import Service, bundled_cards_path
from bedside.verify.numbers import unsupported_numbers
from bedside.verify.support import check_support

THRESHOLDS = (0.0, 0.2, 0.25, 0.3, 0.34, 0.4, 0.5, 0.6, 0.67, 0.75, 0.8, 0.9, 1.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def shown_text(answer: Answer) -> str:
    statements = [*answer.bottom_line, *(s for sec in answer.sections for s in sec.statements)]
    return " ".join(statement.shown for statement in statements)


def run_questions(
    service: Service, questions: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[float], list[float]]:
    results, fresh_ms, stored_ms = [], [], []
    for number, item in enumerate(questions, start=1):
        audience = Audience(item["audience"])
        started = time.perf_counter()
        answer = service.ask(item["question"], audience=audience, fresh=True)
        fresh_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        again = service.ask(item["question"], audience=audience)
        stored_ms.append((time.perf_counter() - started) * 1000)
        assert again.answer_id == answer.answer_id, "stored path returned another answer"
        results.append({"item": item, "answer": answer, "json": answer_to_json(answer)})
        if number % 20 == 0:
            print(f"  asked {number}/{len(questions)}", file=sys.stderr, flush=True)
    return results, fresh_ms, stored_ms


def outcome(result: dict[str, Any]) -> str:
    refusal = result["json"]["refusal"]
    return "answer" if refusal is None else str(refusal["reason"])


def expected(result: dict[str, Any]) -> str:
    item = result["item"]
    return "answer" if item["expect"] == "answer" else str(item["reason"])


def report_outcomes(results: list[dict[str, Any]]) -> None:
    answerable = [r for r in results if expected(r) == "answer"]
    answered = [r for r in answerable if outcome(r) == "answer"]
    on_topic = [
        r for r in answered if r["item"]["topic"] in r["json"]["provenance"].get("topic_cards", [])
    ]
    print(
        f"- answerable questions answered: {len(answered)}/{len(answerable)} "
        f"({len(answered) / len(answerable):.1%}); of those, on the expected card: "
        f"{len(on_topic)}/{len(answered)}"
    )
    print("\n| refusal reason | expected | given | correct | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    for reason in ("out_of_scope", "insufficient_evidence", "unsafe"):
        wanted = [r for r in results if expected(r) == reason]
        given = [r for r in results if outcome(r) == reason]
        correct = [r for r in given if expected(r) == reason]
        precision = len(correct) / len(given) if given else float("nan")
        recall = len(correct) / len(wanted) if wanted else float("nan")
        print(
            f"| {reason} | {len(wanted)} | {len(given)} | {len(correct)} | {precision:.2f} "
            f"| {recall:.2f} |"
        )
    confusion = Counter((expected(r), outcome(r)) for r in results if expected(r) != outcome(r))
    if confusion:
        print(
            "\nMistakes (expected → given): "
            + ", ".join(
                f"{want} → {got}: {count}" for (want, got), count in confusion.most_common()
            )
        )
        for r in results:
            if expected(r) != outcome(r):
                print(
                    f"  - {r['item']['id']} [{expected(r)} → {outcome(r)}] "
                    f"{r['item']['question'][:90]}"
                )


def report_red_flags(results: list[dict[str, Any]]) -> None:
    wanted = found = 0
    false_alarms = []
    for r in results:
        expected_flags = set(r["item"]["red_flags"])
        urgent = r["json"]["urgent"]
        given = set(urgent["red_flags"]) if urgent else set()
        wanted += len(expected_flags)
        found += len(expected_flags & given)
        if not expected_flags and given:
            false_alarms.append(r["item"]["id"])
        missing = expected_flags - given
        if missing:
            print(
                f"  - missed {sorted(missing)} in {r['item']['id']}: {r['item']['question'][:80]}"
            )
    flagless = sum(1 for r in results if not r["item"]["red_flags"])
    print(
        f"- red-flag recall: {found}/{wanted} ({found / wanted:.1%}); banners on questions "
        f"with no red flag: {len(false_alarms)}/{flagless} {false_alarms}"
    )


def report_verification_and_grade(results: list[dict[str, Any]]) -> None:
    checked = sum(r["json"]["verification"]["statements_checked"] for r in results)
    dropped = sum(r["json"]["verification"]["statements_dropped"] for r in results)
    print(
        f"- statements checked by the verifier: {checked}; dropped: {dropped} "
        f"({dropped / max(checked, 1):.1%})"
    )
    grades = [
        flesch_kincaid_grade(shown_text(r["answer"]))
        for r in results
        if r["item"]["audience"] == "patient" and outcome(r) == "answer"
    ]
    clinician = [
        flesch_kincaid_grade(shown_text(r["answer"]))
        for r in results
        if r["item"]["audience"] == "clinician" and outcome(r) == "answer"
    ]
    if grades:
        print(
            f"- patient reading grade (Flesch–Kincaid) over {len(grades)} answers: median "
            f"{statistics.median(grades):.1f}, p90 {percentile(grades, 0.9):.1f}, max "
            f"{max(grades):.1f}; clinician answers median {statistics.median(clinician):.1f}"
        )


def report_calibration(results: list[dict[str, Any]]) -> None:
    """Replays the evidence gate at other thresholds from each answer's recorded coverage."""
    print("\n| min_topic_coverage | answerable answered | unanswerable refused |")
    print("|---:|---:|---:|")
    answerable = [r for r in results if expected(r) == "answer"]
    unanswerable = [r for r in results if expected(r) == "insufficient_evidence"]
    for threshold in THRESHOLDS:
        answered = sum(
            1
            for r in answerable
            if outcome(r) == "answer" and r["json"]["provenance"]["topic_coverage"] >= threshold
        )
        refused = sum(
            1
            for r in unanswerable
            if outcome(r) != "answer"
            or r["json"]["provenance"].get("topic_coverage", 0.0) < threshold
        )
        print(f"| {threshold:.2f} | {answered}/{len(answerable)} | {refused}/{len(unanswerable)} |")


def support_pairs(service: Service, seed: int = 7) -> list[tuple[str, str, bool, str]]:
    """Labelled (statement, passage, supported?, kind) pairs from the bundled cards.

    Positives: each card statement with its own passage. Negatives: the statement with another
    passage of the same section of another card; the statement with its negation flipped; the
    statement with a number changed.
    """
    rng = random.Random(seed)
    passages = [
        p
        for p in (ctx.passage for ctx in service.store.iter_current_passage_contexts())
        if p.section_path and len(p.text) > 40
    ]
    by_section: dict[str, list[str]] = {}
    for passage in passages:
        by_section.setdefault(passage.section_path[-1], []).append(passage.text)
    pairs: list[tuple[str, str, bool, str]] = []
    for passage in passages:
        text = passage.text
        pairs.append((text, text, True, "own passage"))
        others = [t for t in by_section[passage.section_path[-1]] if t != text]
        if others:
            pairs.append((text, rng.choice(others), False, "other passage"))
        flipped = _flip_negation(text)
        if flipped:
            pairs.append((flipped, text, False, "negation flipped"))
        changed = _change_number(text)
        if changed:
            pairs.append((changed, text, False, "number changed"))
    return pairs


def _flip_negation(text: str) -> str | None:
    if text.startswith("Do not "):
        rest = text[len("Do not ") :]
        return rest[:1].upper() + rest[1:]
    match = re.search(r"\b(is|are|should|can) not\b", text)
    if match:
        return text[: match.start()] + match.group(1) + text[match.end() :]
    match = re.search(r"\b(is|are|should|can)\b", text)
    if match:
        return text[: match.end()] + " not" + text[match.end() :]
    return None


def _change_number(text: str) -> str | None:
    match = re.search(r"\b\d+\b", text)
    if not match:
        return None
    return text[: match.start()] + str(int(match.group(0)) + 7) + text[match.end() :]


def report_support(service: Service) -> None:
    pairs = support_pairs(service)
    by_kind: dict[str, list[bool]] = {}
    true_pos = false_pos = false_neg = 0
    for statement, passage, supported, kind in pairs:
        accepted = check_support(statement, passage).passed and not unsupported_numbers(
            statement, [passage]
        )
        by_kind.setdefault(kind, []).append(accepted == supported)
        true_pos += accepted and supported
        false_pos += accepted and not supported
        false_neg += (not accepted) and supported
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = true_pos / max(true_pos + false_neg, 1)
    print(f"\n{len(pairs)} labelled pairs; accepting = support check + number check.\n")
    print("| pair kind | pairs | judged correctly |\n|---|---:|---:|")
    for kind, outcomes in by_kind.items():
        print(f"| {kind} | {len(outcomes)} | {sum(outcomes) / len(outcomes):.1%} |")
    print(f"\nPrecision of 'supported' {precision:.3f}, recall {recall:.3f}.")


def bundled_settings(home: Path, kb: str) -> Settings:
    return load_settings(overrides={"home": home, "store": {"kb": kb}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--questions", type=Path, default=root / "benchmarks" / "questions.jsonl")
    parser.add_argument("--whole-kb", default=None, help="also time on this prebuilt KB")
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text().splitlines() if line]

    settings = bundled_settings(args.home, "bundled")
    # Calibration replays the evidence gate, so compose with the gate open and apply it after.
    open_gate = settings.model_copy(
        update={"answer": settings.answer.model_copy(update={"min_topic_coverage": 0.0})}
    )
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
        service.ask("warm up: low back pain", fresh=True)
        results, fresh_ms, stored_ms = run_questions(service, questions)
        print(
            f"# Answers — {time.strftime('%Y-%m-%d')}, {len(questions)} questions "
            f"(benchmarks/questions.jsonl), bundled knowledge base, default settings "
            f"(embedder {settings.index.embedder}, min_topic_coverage "
            f"{settings.answer.min_topic_coverage})\n"
        )
        report_outcomes(results)
        print()
        report_red_flags(results)
        report_verification_and_grade(results)
        print(
            f"- ask latency, composing: p50 {statistics.median(fresh_ms):.0f} ms, p95 "
            f"{percentile(fresh_ms, 0.95):.0f} ms; stored answer: p50 "
            f"{statistics.median(stored_ms):.1f} ms, p95 {percentile(stored_ms, 0.95):.1f} ms"
        )
        print("\n## Support check on labelled pairs")
        report_support(service)
    with Service(open_gate) as service:
        gate_results, _, _ = run_questions(service, questions)
        print("\n## Calibrating answer.min_topic_coverage (evidence gate replayed)")
        report_calibration(gate_results)
    if args.whole_kb:
        whole = bundled_settings(args.home, args.whole_kb)
        answerable = [q for q in questions if q["expect"] == "answer"]
        with Service(whole) as service:
            service.ask("warm up: low back pain", fresh=True)
            _, whole_ms, whole_stored = run_questions(service, answerable)
        print(
            f"\n## Whole knowledge base ({args.whole_kb}): {len(answerable)} answerable "
            f"questions\n\n- ask latency, composing: p50 {statistics.median(whole_ms):.0f} ms, "
            f"p95 {percentile(whole_ms, 0.95):.0f} ms; stored: p50 "
            f"{statistics.median(whole_stored):.1f} ms"
        )


if __name__ == "__main__":
    main()
