"""The shared text toolkit: whole-word search."""

from __future__ import annotations

from bedside.analyse.terms import find_whole


def test_a_term_is_found_only_as_whole_words() -> None:
    assert find_whole("pain", "back pain at night") is not None
    assert find_whole("pain", "a painful back") is None
    assert find_whole("pain", "pain-free since May") is None
    assert find_whole("st john's wort", "is st john's wort safe?") is not None
    assert find_whole("ICD", "an icd fitted", ignore_case=True) is not None
    assert find_whole("ICD", "an icd fitted") is None
