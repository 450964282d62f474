"""SqliteFtsIndex specifics (the shared behaviour is in tests/contract/test_keyword_index.py)."""

from __future__ import annotations

import pytest

from bedside.index.sqlite_fts import query_terms


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        (
            "What are the treatment options for disc space loss?",
            ["treatment", "options", "disc", "space", "loss"],
        ),
        ("NSAIDs vs. opioids", ["nsaids", "vs", "opioids"]),
        ('a "quoted" OR NEAR(x)', ["quoted", "near"]),
        ("the of and", []),
        ("Type 2 diabetes", ["type", "2", "diabetes"]),
        ("patient's pain", ["patient's", "pain"]),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms
