"""Real people's questions, the way they type them: scope, drugs, brands and what gets answered.

    .venv/bin/python benchmarks/lay_questions.py [--home ~/.cache/bedside-bench]
        [--ingest ../shared/data/fda-labels ../shared/data/guidelines-ngc ...] [--kb NAME]
        [--show N]

Asks every question of benchmarks/lay_questions.jsonl (written for this benchmark: typos, brand
names, "can I take X with Y", long stories, and non-medical questions that borrow health words)
on a knowledge base of the bundled cards plus whatever `--ingest` adds, and prints against the
targets of the real-people's-questions issue:

- medical questions refused as `out_of_scope` (target ≤ 1%)
- non-medical questions answered (target 0)
- drug questions answered from the drug's own label, when its label is in the knowledge base
  (target ≥ 90%): the answer cites a drug-label document whose brand or generic names match
- brand names resolved to the generic (target ≥ 95%): the frame's `drugs` hold the labelled
  generic name
- answered rate, and each refusal's reason, per expected source
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path
from typing import Any

from bedside.compose.article import all_statements
from bedside.config import load_settings
from bedside.domain import Answer, Audience, DocumentKind, RefusalReason
from bedside.service import Service, bundled_cards_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_quality import load_items

TARGETS = {
    "medical_out_of_scope": 0.01,  # at most
    "non_medical_answered": 0.0,  # at most
    "drug_label_answered_from_label": 0.90,
    "brands_resolved": 0.95,
}


def build_service(home: Path, kb: str, extra: list[str]) -> Service:
    settings = load_settings(overrides={"home": home, "store": {"kb": kb}})
    service = Service(settings)
    service.ingest([str(bundled_cards_path()), *extra])
    service.index()
    return service


def cites_label_of(service: Service, answer: Answer, brand: str, generics: list[str]) -> bool:
    """Whether the article cites a drug label of this brand (or of its generic)."""
    wanted = {brand.lower(), *(g.lower() for g in generics)}
    for statement in all_statements(answer):
        for passage_id in statement.passage_ids:
            passage = service.store.get_passage(passage_id)
            document = service.store.get_document(passage.document_id)
            if document.kind is not DocumentKind.DRUG_LABEL:
                continue
            names = [
                document.source_id,
                document.title,
                *document.extra.get("brand_names", ()),
                *document.extra.get("generic_names", ()),
            ]
            text = " ".join(str(name) for name in names).lower()
            if any(name in text for name in wanted):
                return True
    return False


def same_drug(labelled: str, resolved: str) -> bool:
    """ "azilsartan medoxomil" and "azilsartan" name the same drug for this purpose."""
    a, b = labelled.lower(), resolved.lower()
    if a == b or a in b or b in a:
        return True
    # Combinations are written several ways ("conjugated estrogens/bazedoxifene", "estrogen and
    # bazedoxifene"): one shared ingredient word of six letters or more is the same product.
    words_a = {w.rstrip("s") for w in re.findall(r"[a-z]{6,}", a)}
    words_b = {w.rstrip("s") for w in re.findall(r"[a-z]{6,}", b)}
    return bool(words_a & words_b)


def measure(service: Service, items: list[dict[str, Any]]) -> dict[str, Any]:
    counts = {name: [0, 0] for name in TARGETS}
    failures: dict[str, list[str]] = {name: [] for name in TARGETS}
    by_source: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)

    def tally(name: str, hit: bool, note: str) -> None:
        counts[name][0] += hit
        counts[name][1] += 1
        if (name in ("medical_out_of_scope", "non_medical_answered")) == hit:
            failures[name].append(note)

    for number, item in enumerate(items, start=1):
        answer = service.ask(item["question"], audience=Audience.PATIENT, fresh=True)
        if number % 50 == 0:
            print(f"  asked {number}/{len(items)}", file=sys.stderr)
        refusal = answer.refusal
        outcome = "answered" if refusal is None else refusal.reason.value
        by_source[item["expected_source"]][outcome] += 1
        summary = f"{item['id']} {item['question'][:90]}\n    → " + (
            f"refused ({outcome}): {refusal.message[:120]}" if refusal else answer.title
        )
        if item["medical"]:
            out = refusal is not None and refusal.reason is RefusalReason.OUT_OF_SCOPE
            tally("medical_out_of_scope", out, summary)
        else:
            tally("non_medical_answered", refusal is None, summary)
        frame = answer.question_frame
        resolved = [drug.generic for drug in frame.drugs] if frame else []
        for drug in item["drugs"]:
            if drug["as_written"].lower() == drug["generic"].lower():
                continue  # a generic name is not a brand to resolve
            found = any(same_drug(drug["generic"], name) for name in resolved)
            tally("brands_resolved", found, f"{item['id']} {drug['as_written']} → {resolved}")
        if item["expected_source"] == "drug_label" and item["label_brand"]:
            generics = [drug["generic"] for drug in item["drugs"]]
            from_label = refusal is None and cites_label_of(
                service, answer, item["label_brand"], generics
            )
            tally("drug_label_answered_from_label", from_label, summary)
    return {"counts": counts, "failures": failures, "by_source": by_source}


def report(measured: dict[str, Any], show: int) -> None:
    print(f"{'measure':<34}{'value':>8}{'n':>6}  target")
    for name, (hits, total) in measured["counts"].items():
        value = hits / total if total else 0.0
        target = TARGETS[name]
        at_most = name in ("medical_out_of_scope", "non_medical_answered")
        ok = value <= target if at_most else value >= target
        sign = "≤" if at_most else "≥"
        verdict = "ok" if ok else "MISSED"
        print(f"{name:<34}{value:>8.1%}{total:>6}  {sign} {target:.0%} {verdict}")
    print("\noutcome by expected source:")
    for source, outcomes in sorted(measured["by_source"].items()):
        total = sum(outcomes.values())
        answered = outcomes.get("answered", 0)
        print(f"  {source:<12} answered {answered}/{total}  {dict(outcomes)}")
    for name, notes in measured["failures"].items():
        if show and notes:
            print(f"\n-- {name}: {len(notes)}")
            for note in notes[:show]:
                print(f"  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--kb", default="lay", help="knowledge base name inside --home")
    parser.add_argument("--ingest", nargs="*", default=[], help="folders to add to the cards")
    parser.add_argument("--show", type=int, default=0, help="print N failures of each measure")
    parser.add_argument(
        "--items", type=Path, default=Path(__file__).with_name("lay_questions.jsonl")
    )
    args = parser.parse_args()
    service = build_service(args.home, args.kb, args.ingest)
    with service:
        report(measure(service, load_items(args.items)), args.show)


if __name__ == "__main__":
    main()
