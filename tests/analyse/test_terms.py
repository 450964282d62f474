"""The shared text toolkit: whole-word search."""

from __future__ import annotations

from bedside.analyse.terms import find_whole, without_everyday_senses


def test_a_term_is_found_only_as_whole_words() -> None:
    assert find_whole("pain", "back pain at night") is not None
    assert find_whole("pain", "a painful back") is None
    assert find_whole("pain", "pain-free since May") is None
    assert find_whole("st john's wort", "is st john's wort safe?") is not None
    assert find_whole("ICD", "an icd fitted", ignore_case=True) is not None
    assert find_whole("ICD", "an icd fitted") is None


def test_a_vaccine_named_after_an_illness_is_not_the_illness() -> None:
    assert "pneumonia" not in without_everyday_senses("is the pneumonia jab every year as well?")
    listed = "my pharmacist mentioned flu, pneumonia, covid and now an RSV jab"
    assert "pneumonia" not in without_everyday_senses(listed)
    assert "pneumonia" in without_everyday_senses("my dad has pneumonia and copd")
