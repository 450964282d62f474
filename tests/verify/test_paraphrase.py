"""The paraphrase check: a reworded sentence is kept only if nothing that makes a fact differ has
changed. The cases live in verify/paraphrase_rules.yaml (`examples`), beside the rules."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from bedside.domain import Draft, DraftSection, Passage, Statement
from bedside.verify.paraphrase import check_paraphrase
from bedside.verify.verifier import (
    DEFAULT_MIN_OVERLAP,
    is_extract,
    support_failures,
    verify_draft,
)


def _examples() -> list[dict[str, Any]]:
    text = resources.files("bedside.verify").joinpath("paraphrase_rules.yaml").read_text("utf-8")
    examples: list[dict[str, Any]] = yaml.safe_load(text)["examples"]
    return examples


@pytest.mark.parametrize(
    "example", _examples(), ids=lambda e: str(e["finding"] or "supported") + ":" + e["sentence"]
)
def test_paraphrase_rule_examples(example: dict[str, Any]) -> None:
    support = check_paraphrase(
        example["sentence"], [example["passage"]], min_overlap=DEFAULT_MIN_OVERLAP
    )
    codes = [finding.code for finding in support.findings]
    if example["finding"] is None:
        assert support.passed, codes
    else:
        assert example["finding"] in codes


def test_examples_cover_every_finding_the_check_reports() -> None:
    reported = {example["finding"] for example in _examples()}
    assert {
        "number", "negation", "direction", "qualifier_dropped", "qualifier_added",
        "hedge_dropped", "certainty_added", "quantifier_raised", "frequency_added",
        "action_added", "population_added", "population_dropped", "not_in_source",
        "combination", "contrast", "overlap", "condition_dropped", None,
    } <= reported  # fmt: skip


def _findings(sentence: str, *passages: str) -> list[str]:
    support = check_paraphrase(sentence, list(passages), min_overlap=DEFAULT_MIN_OVERLAP)
    return [f"{finding.code}: {finding.detail}" for finding in support.findings]


ENDOSCOPY = (
    "In people with reflux symptoms plus dysphagia or other alarm features such as weight loss "
    "or gastrointestinal bleeding, the ACG 2022 guideline strongly recommends endoscopy first "
    "rather than empiric treatment."
)


def test_a_dropped_condition_is_named_without_its_examples() -> None:
    found = _findings(
        "For people with reflux symptoms, the ACG 2022 guideline strongly recommends endoscopy "
        "first rather than empiric treatment.",
        ENDOSCOPY,
    )
    assert found == [
        "condition_dropped: drops the condition “reflux symptoms plus dysphagia or other alarm "
        "features” of its source"
    ]


def test_a_condition_may_leave_out_its_examples_and_move() -> None:
    assert not _findings(
        "When reflux comes with dysphagia or other alarm features, the ACG 2022 guideline strongly "
        "recommends endoscopy first rather than empiric treatment.",
        ENDOSCOPY,
    )


def test_a_condition_keeps_its_numbers_and_lets_its_bound_be_reworded() -> None:
    passage = "If your blood pressure is 140/90 or higher, you may start on two medicines together."
    dropped = "For high blood pressure, you may start on two medicines together."
    assert any(f.startswith("condition_dropped") for f in _findings(dropped, passage))
    passage = "If you are over 65, your doctor may offer a yearly flu jab."
    assert not _findings("Your doctor may offer a yearly flu jab if you are 65 or older.", passage)


def test_a_phrase_that_widens_a_claim_is_not_a_condition() -> None:
    passage = (
        "Allopurinol is the preferred first urate-lowering drug for gout in the ACR 2020 "
        "guideline, including for people with moderate-to-severe chronic kidney disease."
    )
    sentence = "The ACR 2020 guideline prefers allopurinol as the first urate-lowering drug."
    assert not _findings(sentence, passage)


LIPIDS = (
    "The 2018 ACC/AHA cholesterol guideline (since superseded by the 2026 guideline) advised a "
    "high-intensity statin for people with clinical ASCVD, aiming to lower LDL cholesterol by "
    "50% or more."
)


def test_a_year_beside_what_its_passage_says_of_another_year_is_caught() -> None:
    sentence = (
        "The 2026 ACC/AHA cholesterol guideline advised a high-intensity statin for people with "
        "clinical ASCVD, aiming to lower LDL cholesterol by 50% or more."
    )
    assert _findings(sentence, LIPIDS) == [
        "number: 2026: the cited passages say 2018 beside those words"
    ]


def test_a_year_moved_within_a_faithful_rewording_is_kept() -> None:
    sentence = (
        "The ACC/AHA cholesterol guideline of 2018, since replaced by the 2026 guideline, advised "
        "a high-intensity statin for people with clinical ASCVD, aiming to cut LDL cholesterol "
        "by 50% or more."
    )
    assert not _findings(sentence, LIPIDS)


def test_words_beside_both_values_do_not_make_a_swap() -> None:
    passage = (
        "The ACR 2020 gout guideline advises starting allopurinol at 100 mg a day or less (lower "
        "still in chronic kidney disease) or febuxostat at 40 mg a day or less, and then "
        "titrating the dose upward."
    )
    faithful = (
        "Under the ACR 2020 gout guideline, febuxostat is started at 40 mg a day or less and "
        "allopurinol at 100 mg a day or less, and the dose is then titrated upward."
    )
    swapped = "The ACR 2020 gout guideline advises starting febuxostat at 100 mg a day or less."
    assert not _findings(faithful, passage)
    assert _findings(swapped, passage) == [
        "number: 100 mg: the cited passages say 40 mg beside those words"
    ]


def test_a_sentence_citing_two_passages_needs_both() -> None:
    passages = [
        "Offer exercise for chronic low back pain.",
        "Gout flares can be treated with colchicine.",
    ]
    support = check_paraphrase(
        "Exercise should be offered for chronic low back pain.",
        passages,
        min_overlap=DEFAULT_MIN_OVERLAP,
    )
    assert [finding.code for finding in support.findings] == ["citation_unused"]


def test_a_sentence_joining_two_statements_is_supported_by_both() -> None:
    passages = [
        "Steroids are not given as a routine part of care for pneumonia.",
        "Once you have got over pneumonia, you most often do not need another chest X-ray.",
    ]
    sentence = (
        "Steroids are not a routine part of pneumonia care, and once you have got over "
        "pneumonia you most often do not need another chest X-ray."
    )
    assert check_paraphrase(sentence, passages, min_overlap=DEFAULT_MIN_OVERLAP).passed


PASSAGES = {
    "p1": "Do not offer opioids for chronic low back pain.",
    "p2": "Consider epidural injections of local anaesthetic and steroid in severe sciatica.",
}


def lookup(passage_id: str) -> Passage:
    text = PASSAGES[passage_id]
    return Passage(passage_id, "d1", 0, ("t",), None, 0, len(text), text)


def verify(*statements: Statement) -> Any:
    draft = Draft("Title", (), (DraftSection("s", "S", statements),), "model/1")
    return verify_draft(draft, retrieved=tuple(PASSAGES), lookup_passage=lookup)


def test_keeps_a_faithful_paraphrase_the_lexical_check_would_drop() -> None:
    paraphrase = Statement("Opioids should not be given for long-lasting low back pain.", ("p1",))
    assert not is_extract(paraphrase.text, [PASSAGES["p1"]])
    assert verify(paraphrase).statements_kept == 1


def test_drops_a_paraphrase_that_drops_a_qualifier_and_says_why() -> None:
    broadened = Statement(
        "Epidural injections of local anaesthetic and steroid may be considered in sciatica.",
        ("p2",),
    )
    result = verify(broadened)
    assert result.statements_kept == 0
    (dropped,) = result.dropped
    assert dropped.failed_checks == ("supported_by_citation",)
    assert "qualifier_dropped" in dropped.reason and "severe" in dropped.reason


def test_an_extract_that_drops_a_negation_still_fails_the_lexical_check() -> None:
    # Word for word in its passage, so checked lexically: the clause disagrees on negation.
    extract = Statement("offer opioids for chronic low back pain", ("p1",))
    assert is_extract(extract.text, [PASSAGES["p1"]])
    assert verify(extract).statements_kept == 0


def test_holds_its_measured_precision_on_the_hand_written_sentences() -> None:
    """The hand-written rows of benchmarks/paraphrases.jsonl (benchmarks/paraphrase_support.py
    measures them all, generated ones too): a rule change that lets wrong sentences through, or
    drops faithful ones wholesale, fails here."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "paraphrases.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    hand = [row for row in rows if row["origin"] == "hand"]
    kept = [
        not support_failures(
            row["sentence"], row["sources"], min_recall=0.9, min_overlap=DEFAULT_MIN_OVERLAP
        )
        for row in hand
    ]
    wrongly_kept = sum(k and not row["supported"] for k, row in zip(kept, hand, strict=True))
    rightly_kept = sum(k and row["supported"] for k, row in zip(kept, hand, strict=True))
    faithful = sum(row["supported"] for row in hand)
    assert rightly_kept / (rightly_kept + wrongly_kept) >= 0.99
    assert rightly_kept / faithful >= 0.95
