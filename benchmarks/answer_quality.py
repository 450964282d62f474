"""Does the article answer the question asked? Measured on our labelled answer-quality set.

    .venv/bin/python benchmarks/answer_quality.py [--home ~/.cache/bedside-bench] [--show N]

Builds (once) a knowledge base of the bundled cards with the default settings (MiniLM), asks
every question of benchmarks/answer_quality.jsonl afresh (follow-ups after the question they
follow), and prints, against the targets of the answer-quality issue:

- bottom line drawn from an acceptable statement (answerable questions; a refusal counts as a miss),
  and from one or from a plain line the card's fidelity records call a restatement of one
  (`bottom_line_acceptable_or_plain`)
- statements on the asked condition (cited card is one the question is about)
- must-appear statements present (as first labelled), and present or restated by a plain-language
  statement, or another statement of the card, labelled as saying the same fact
  (`must_appear_or_plain`)
- near-duplicate statements (a statement restating an earlier one of the same article: content
  words overlapping by half or more with the same numbers and the same negations)
- unanswerable questions refused naming the missing thing, and answerable ones answered
- population not covered → caveat (`gaps`) or refusal
- ask p50/p95 composing on the bundled knowledge base

Statements are labelled by card and an exact substring of the card's bullet, so the labels
survive re-ingesting (passage ids change, text does not). A must-appear label may also list
`plain`: substrings of the card's plain-language statements that a clinician-editor judged to
state the same fact with the detail the question needs, and `same_fact`: substrings of its other
statements judged to state the same fact (a pitfall and the recommendation it restates, which an
article shows once). `--show N` prints N failing items of
each kind, to read as a clinician would.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bedside.analyse.terms import content_stems
from bedside.compose.article import all_statements, answer_to_json
from bedside.config import Settings, load_settings
from bedside.domain import Answer, Audience, RefusalReason
from bedside.service import Service, bundled_cards_path

TARGETS = {
    "bottom_line_acceptable": 0.90,
    "bottom_line_acceptable_clinician": 0.90,
    "bottom_line_acceptable_patient": 0.90,
    "bottom_line_acceptable_or_plain": 0.90,
    "bottom_line_acceptable_or_plain_clinician": 0.90,
    "bottom_line_acceptable_or_plain_patient": 0.90,
    "on_condition": 0.95,
    "must_appear": 0.90,
    "must_appear_clinician": 0.90,
    "must_appear_patient": 0.90,
    "must_appear_or_plain": 0.90,
    "must_appear_or_plain_clinician": 0.90,
    "must_appear_or_plain_patient": 0.90,
    "must_appear_fact": 0.90,
    "near_duplicates": 0.02,  # at most
    "unanswerable_refused_naming": 0.95,
    "answerable_answered": 0.90,
    "population_caveat": 1.00,
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NEGATION = re.compile(r"\b(not|no|never|without|avoid|against)\b", re.IGNORECASE)


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON ({error})") from error
    return items


def ask_all(service: Service, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    answer_ids: dict[str, str] = {}
    results = []
    for number, item in enumerate(items, start=1):
        follow_up_of = answer_ids.get(item["follow_up_of"]) if item.get("follow_up_of") else None
        started = time.perf_counter()
        answer = service.ask(
            item["question"],
            audience=Audience(item["audience"]),
            follow_up_of=follow_up_of,
            fresh=True,
        )
        elapsed = (time.perf_counter() - started) * 1000
        answer_ids[item["id"]] = answer.answer_id
        results.append({"item": item, "answer": answer, "ms": elapsed})
        if number % 25 == 0:
            print(f"  asked {number}/{len(items)}", file=sys.stderr, flush=True)
    return results


def card_of_passage(service: Service, passage_id: str, cache: dict[str, str | None]) -> str | None:
    if passage_id not in cache:
        passage = service.store.get_passage(passage_id)
        document = service.store.get_document(passage.document_id)
        cache[passage_id] = document.card_id
    return cache[passage_id]


def has_ref(texts: list[str], ref: dict[str, str]) -> bool:
    return any(ref["contains"] in text for text in texts)


def plain_sources() -> dict[str, str]:
    """Each card's plain-language line → the clinical line it restates, as the card's fidelity
    records say ("plain restatement of: …"), written by the card's editors, not for this set."""
    import yaml

    folder = Path(__file__).resolve().parents[1] / "src" / "bedside" / "cards" / "fidelity"
    sources: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")).get("records") or ():
            note = str(record.get("note") or "")
            if note.startswith(_RESTATES):
                sources[str(record["statement"])] = note[len(_RESTATES) :].strip()
    return sources


_RESTATES = "plain restatement of:"


def restated_lines(texts: list[str], sources: dict[str, str]) -> list[str]:
    """The clinical lines that `texts` restate in plain words (a statement may be one sentence
    of a longer plain line)."""
    return [
        clinical for text in texts for plain, clinical in sources.items() if text and text in plain
    ]


def has_ref_or_plain(texts: list[str], ref: dict[str, Any]) -> bool:
    """Whether the labelled statement, or a plain restatement labelled with it, is shown."""
    # A patient article shows the card's plain-language lines in place of the clinical ones, so
    # the clinical label alone undercounts; only restatements judged by hand count, not any
    # plain line on the topic (the embedding measure, must_appear_fact, is the loose one).
    restatements = (*ref.get("plain", ()), *ref.get("same_fact", ()))
    return has_ref(texts, ref) or any(plain in text for plain in restatements for text in texts)


_RESTATED = 0.7


def restates_by_meaning(service: Service, ref: dict[str, str], answer: Answer) -> bool:
    """Whether some statement of the article restates the labelled card statement."""
    labelled = [
        passage
        for document in service.card_documents(ref["card"])
        for passage in service.store.list_passages(document.document_id)
        if ref["contains"] in passage.text
    ]
    shown = [s.text for s in all_statements(answer)]
    embedder = service.embedder  # measured with the embedder itself, not the service's cache
    if not labelled or not shown or embedder is None:
        return False
    target, *others = embedder.embed([labelled[0].text, *shown])
    return any(float(vector @ target) >= _RESTATED for vector in others)


def restates(left: str, right: str) -> bool:
    a, b = set(content_stems(left)), set(content_stems(right))
    if not a or not b:
        return False
    if set(_NUMBER.findall(left)) != set(_NUMBER.findall(right)):
        return False
    if len(_NEGATION.findall(left)) != len(_NEGATION.findall(right)):
        return False
    return len(a & b) / len(a | b) >= 0.5


def measure(service: Service, results: list[dict[str, Any]]) -> dict[str, Any]:
    cache: dict[str, str | None] = {}
    sources = plain_sources()
    counts = {name: [0, 0] for name in TARGETS}  # [hits, total]
    failures: dict[str, list[str]] = {name: [] for name in TARGETS}

    def tally(name: str, ok: bool, note: str) -> None:
        counts[name][0] += ok
        counts[name][1] += 1
        if not ok:
            failures[name].append(note)

    for result in results:
        item, answer = result["item"], result["answer"]
        label = f"{item['id']} [{item['audience']}] {item['question']}"
        refused = answer.refusal is not None
        if not item["answerable"]:
            named = refused and item["missing"].lower() in answer.refusal.message.lower()
            tally(
                "unanswerable_refused_naming",
                named,
                f"{label}\n    → {_summary(answer)}",
            )
            continue
        tally("answerable_answered", not refused, f"{label}\n    → {_summary(answer)}")
        if item.get("population_covered") is False:
            tally(
                "population_caveat",
                refused or bool(getattr(answer, "gaps", ())),
                f"{label}\n    → {_summary(answer)}",
            )
        bottom = [s.text for s in answer.bottom_line]
        texts = [s.text for s in all_statements(answer)]
        audience = item["audience"]
        if item["bottom_line"]:
            ok = not refused and any(has_ref(bottom, ref) for ref in item["bottom_line"])
            tally("bottom_line_acceptable", ok, f"{label}\n    → {_summary(answer)}")
            tally(f"bottom_line_acceptable_{audience}", ok, "")
            # …or a plain line that the card's fidelity records call a restatement of an
            # acceptable one (patient articles lead with plain lines by design).
            restated = restated_lines(bottom, sources)
            either = ok or (not refused and any(has_ref(restated, r) for r in item["bottom_line"]))
            tally("bottom_line_acceptable_or_plain", either, f"{label}\n    → {_summary(answer)}")
            tally(f"bottom_line_acceptable_or_plain_{audience}", either, "")
        for ref in item["must_appear"]:
            present = not refused and has_ref(texts, ref)
            note = f"{label}\n    missing: {ref['card']}: {ref['contains']}"
            tally("must_appear", present, note)
            tally(f"must_appear_{audience}", present, "")
            either = not refused and has_ref_or_plain(texts, ref)
            tally("must_appear_or_plain", either, note)
            tally(f"must_appear_or_plain_{audience}", either, "")
            # The fact may be there in other words (a patient article's plain restatement of
            # a clinical statement): an article statement whose embedding is this close.
            restated = not refused and (present or restates_by_meaning(service, ref, answer))
            tally("must_appear_fact", restated, note if not restated else "")
        if refused:
            continue
        wanted = set(item["cards"])
        for statement in all_statements(answer):
            cards = {card_of_passage(service, p, cache) for p in statement.passage_ids}
            on_topic = not wanted or None in cards or bool(cards & wanted)
            tally("on_condition", on_topic, f"{label}\n    off topic: {statement.text[:100]}")
        for index, text in enumerate(texts):
            duplicate = any(restates(text, earlier) for earlier in texts[:index])
            tally("near_duplicates", duplicate, "")
    return {"counts": counts, "failures": failures}


def _summary(answer: Answer) -> str:
    if answer.refusal is not None:
        return f"refused ({answer.refusal.reason.value}): {answer.refusal.message[:160]}"
    bottom = " ".join(s.text for s in answer.bottom_line)
    gaps_found = getattr(answer, "gaps", ())
    gaps = f" [gaps: {'; '.join(gaps_found)[:80]}]" if gaps_found else ""
    return f"{answer.title} | {bottom[:200]}{gaps}"


def report(measured: dict[str, Any], results: list[dict[str, Any]], show: int) -> None:
    counts = measured["counts"]
    print(f"{'measure':34} {'value':>8} {'n':>6}  target")
    for name, target in TARGETS.items():
        hits, total = counts[name]
        value = hits / total if total else float("nan")
        if name == "near_duplicates":
            verdict = "ok" if value <= target else "MISSED"
            goal = f"≤ {target:.0%}"
        else:
            verdict = "ok" if value >= target else "MISSED"
            goal = f"≥ {target:.0%}"
        print(f"{name:34} {value:8.1%} {total:6}  {goal} {verdict}")
    answered = [r["ms"] for r in results if r["answer"].refusal is None]
    every = [r["ms"] for r in results]
    print(
        f"{'ask p50 / p95 composing (ms)':34} {statistics.median(every):8.0f} "
        f"{sorted(every)[int(len(every) * 0.95)]:6.0f}  ≤ 150 p50 "
        f"(answered only: p50 {statistics.median(answered):.0f})"
    )
    refusals = [r for r in results if r["answer"].refusal is not None]
    reasons = {reason.value: 0 for reason in RefusalReason}
    for result in refusals:
        reasons[result["answer"].refusal.reason.value] += 1
    print(f"refusals: {len(refusals)} of {len(results)} {reasons}")
    if show:
        for name, notes in measured["failures"].items():
            notes = [note for note in notes if note]
            if notes:
                print(f"\n-- {name}: {len(notes)} misses")
                for note in notes[:show]:
                    print(f"  {note}")


def bundled_service(home: Path, kb: str = "bundled", extra: tuple[str, ...] = ()) -> Service:
    settings: Settings = load_settings(overrides={"home": home, "store": {"kb": kb}})
    service = Service(settings)
    # Idempotent: unchanged cards are skipped, edited ones replaced, so the set is always
    # measured against the cards in this checkout. `extra` adds distractors (other sources).
    service.ingest([str(bundled_cards_path()), *extra])
    service.index()
    return service


def stale_labels(items: list[dict[str, Any]]) -> str:
    """Each labelled statement (`plain` and `same_fact` alternatives too) no longer a substring
    of its card."""
    cards = {
        path.stem: " ".join(path.read_text(encoding="utf-8").split())
        for path in bundled_cards_path().glob("*.md")
    }
    return "\n".join(
        f"{item['id']} {kind}: {ref['card']}: {text}"
        for item in items
        for kind in ("bottom_line", "must_appear")
        for ref in item.get(kind) or ()
        for text in (ref["contains"], *ref.get("plain", ()), *ref.get("same_fact", ()))
        if text not in cards.get(ref["card"], "")
    )


def unseeable_labels(items: list[dict[str, Any]]) -> str:
    """Clinician labels that name a card's plain-language line: a clinician article never shows
    those lines, so such a label can never be met (label the clinical line it restates)."""
    from bedside.ingest.readers.cards import PATIENT_HEADING, parse_card

    plain = [
        statement.text
        for path in sorted(bundled_cards_path().glob("*.md"))
        for statement in parse_card(path.read_text(encoding="utf-8"), path).statements
        if statement.heading == PATIENT_HEADING
    ]
    return "\n".join(
        f"{item['id']} {kind}: {ref['contains']}"
        for item in items
        if item["audience"] == "clinician"
        for kind in ("bottom_line", "must_appear")
        for ref in item.get(kind) or ()
        if any(ref["contains"] in text for text in plain)
    )


def main() -> None:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument(
        "--questions", type=Path, default=root / "benchmarks" / "answer_quality.jsonl"
    )
    parser.add_argument("--show", type=int, default=0, help="print N misses of each measure")
    parser.add_argument("--dump", type=Path, help="write each item with its answer JSON here")
    parser.add_argument("--kb", default="bundled", help="knowledge base name inside --home")
    parser.add_argument(
        "--ingest", nargs="*", default=[], help="other sources to add (distractors must not hurt)"
    )
    args = parser.parse_args()
    items = load_items(args.questions)
    stale = stale_labels(items)
    if stale:
        raise SystemExit("labels that match no card statement (a card was edited):\n" + stale)
    unseeable = unseeable_labels(items)
    if unseeable:
        raise SystemExit("clinician labels naming plain-language lines:\n" + unseeable)
    with bundled_service(args.home, args.kb, tuple(args.ingest)) as service:
        # Warm the embedder and the card vectors once, as a running server would be.
        service.ask("How is gout managed?", fresh=True)
        results = ask_all(service, items)
        print(f"{len(items)} questions ({sum(i['answerable'] for i in items)} answerable)")
        report(measure(service, results), results, args.show)
        if args.dump:
            with args.dump.open("w", encoding="utf-8") as out:
                for result in results:
                    record = {"item": result["item"], "answer": answer_to_json(result["answer"])}
                    out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
