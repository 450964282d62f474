"""Fusion arithmetic and query expansion."""

from __future__ import annotations

import pytest

from bedside.domain import Hit
from bedside.retrieve.fusion import best_per_passage, fuse_rrf, fuse_zscore
from bedside.retrieve.synonyms import curated_table


def test_zscore_fusion_weights_and_fills_missing_with_the_floor() -> None:
    rankings = {
        "keyword": {"a": 10.0, "b": 5.0, "c": 0.0},
        "dense": {"b": 0.9, "d": 0.5, "a": 0.1},
    }
    fused = dict(fuse_zscore(rankings, {"keyword": 0.25, "dense": 0.75}))
    assert set(fused) == {"a", "b", "c", "d"}
    assert max(fused, key=fused.__getitem__) == "b"
    only_keyword = [pid for pid, _ in fuse_zscore(rankings, {"keyword": 1.0, "dense": 0.0})]
    assert only_keyword[:3] == ["a", "b", "c"]


def test_rrf_rewards_agreement() -> None:
    rankings = {"keyword": {"a": 3.0, "b": 2.0, "c": 1.0}, "dense": {"b": 0.9, "c": 0.8, "a": 0.1}}
    assert fuse_rrf(rankings, k=60, weights={})[0][0] == "b"


def test_best_per_passage_keeps_the_best_window() -> None:
    hits = [
        Hit("p1", "d1", 0.3, 2, "numpy", unit_id="p1#0"),
        Hit("p1", "d1", 0.8, 1, "numpy", unit_id="p1#1"),
        Hit("p2", "d2", 0.1, 3, "numpy", unit_id="p2#0"),
    ]
    best = best_per_passage(hits)
    assert best["p1"].unit_id == "p1#1" and set(best) == {"p1", "p2"}


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("treatment of LBP", "low back pain", None),
        ("is a heart attack an MI", "myocardial infarction", None),
        ("AFib and stroke", "atrial fibrillation", None),
        ("cap the dose", None, "community-acquired pneumonia"),  # abbreviations match as written
        ("pe teacher", None, "pulmonary embolism"),
    ],
)
def test_expansions(query: str, expected: str | None, absent: str | None) -> None:
    expansions = curated_table().expansions(query)
    if expected:
        assert expected in expansions
    if absent:
        assert absent not in expansions


def test_knowledge_base_groups_extend_the_table() -> None:
    table = curated_table([["Fictional back ache", "FBA", "imaginary lumbago"]])
    assert "Fictional back ache" in table.expansions("what helps FBA")


def test_an_abbreviation_and_its_spelling_name_one_group() -> None:
    table = curated_table()
    asked = table.terms_in("COPD on ICS/LABA: should the ICS be continued?")
    stated = table.terms_in("Review an inhaled corticosteroid in COPD after pneumonia.")
    assert asked["ICS"] == stated["inhaled corticosteroid"]
    assert asked["COPD"] == stated["COPD"]
    # Abbreviations match only as written: "ics" inside ordinary words names nothing.
    assert "ICS" not in table.terms_in("antibiotics and analgesics")


def test_a_term_has_the_synonyms_of_its_group_whatever_its_case() -> None:
    table = curated_table()
    assert "A1C" in table.synonyms_of("hba1c")
    assert "hba1c" not in {t.lower() for t in table.synonyms_of("HbA1c")}
    assert "goals" in table.synonyms_of("target")
    assert table.synonyms_of("no such term") == ()
