"""Reading grade: the syllable heuristic and the Flesch–Kincaid grade, checked by hand."""

from __future__ import annotations

import pytest

from bedside.compose.readability import count_syllables, flesch_kincaid_grade


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("the", 1),
        ("cat", 1),
        ("back", 1),
        ("pain", 1),  # one vowel group
        ("make", 1),  # silent final e
        ("whole", 1),  # silent e after a vowel + l
        ("table", 2),  # consonant + le is sounded
        ("simple", 2),
        ("people", 2),
        ("knee", 1),  # e after a vowel is not silent on its own
        ("agree", 2),
        ("movie", 2),
        ("helped", 1),  # silent -ed
        ("used", 1),
        ("wanted", 2),  # -ed after t is sounded
        ("needed", 2),  # -ed after d is sounded
        ("makes", 1),  # silent -es
        ("types", 1),
        ("boxes", 2),  # -es after x is sounded
        ("places", 2),  # -es after c is sounded
        ("uses", 2),
        ("tables", 2),  # consonant + les
        ("likely", 2),  # silent e before -ly
        ("safely", 2),
        ("yoga", 2),  # y at the start is a consonant
        ("beyond", 2),  # y between vowels is a consonant
        ("rhythm", 1),  # y as the only vowel
        ("they", 1),
        ("media", 3),  # i-a sounded apart
        ("radio", 3),
        ("usual", 3),
        ("nation", 2),  # but not in -tion
        ("special", 2),
        ("quality", 3),
        ("exercise", 3),
        ("medicine", 3),
        ("ibuprofen", 4),
        ("inflammatory", 5),
        ("radiculopathy", 6),
        ("anti-inflammatory", 7),  # each part of a hyphenated word
        ("Paracetamol", 5),  # case does not matter
        ("don't", 1),
        ("SGLT2", 1),  # no vowel: still at least one syllable
        ("x", 1),
        ("", 0),  # no letters, no syllables
        ("42", 0),
    ],
)
def test_count_syllables(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        # 1 sentence, 6 words, 6 syllables:
        # 0.39 × 6/1 + 11.8 × 6/6 − 15.59 = 2.34 + 11.8 − 15.59 = −1.45
        ("The cat sat on the mat.", -1.45),
        # 2 sentences, 6 words; syllables ex-er-cise 3, helps 1, med-i-cine 3, can 1, ease 1,
        # pain 1 = 10: 0.39 × 6/2 + 11.8 × 10/6 − 15.59 = 1.17 + 19.6667 − 15.59 = 5.2467
        ("Exercise helps. Medicine can ease pain.", 5.2467),
        # Bullets and line breaks end sentences and numbers are skipped: 2 sentences ("Take
        # tablets", "Rest for days"), 5 words, 6 syllables (tab-lets 2):
        # 0.39 × 5/2 + 11.8 × 6/5 − 15.59 = 0.975 + 14.16 − 15.59 = −0.455
        ("- Take 2 tablets\n- Rest for 3 days.", -0.455),
        # 1 sentence, 3 words; spon-dy-lo-lis-the-sis 6, cau-ses 2, ra-di-cu-lo-pa-thy 6 = 14:
        # 0.39 × 3/1 + 11.8 × 14/3 − 15.59 = 1.17 + 55.0667 − 15.59 = 40.6467
        ("Spondylolisthesis causes radiculopathy.", 40.6467),
        # A decimal point does not end a sentence: 2 sentences, 6 words (It, fell, points,
        # Then, it, rose) of 1 syllable each:
        # 0.39 × 6/2 + 11.8 × 6/6 − 15.59 = 1.17 + 11.8 − 15.59 = −2.62
        ("It fell 4.1 points. Then it rose!", -2.62),
    ],
)
def test_flesch_kincaid_grade_matches_hand_arithmetic(text: str, grade: float) -> None:
    assert flesch_kincaid_grade(text) == pytest.approx(grade, abs=1e-3)


@pytest.mark.parametrize("text", ["", "   ", "\n- \n", "42. 17!", "…"])
def test_text_without_words_scores_zero(text: str) -> None:
    assert flesch_kincaid_grade(text) == 0.0


def test_numbers_are_skipped_not_counted_as_words() -> None:
    assert flesch_kincaid_grade("Take 2 tablets for 5 days.") == pytest.approx(
        flesch_kincaid_grade("Take tablets for days.")
    )


def test_sentences_split_on_line_breaks_and_bullets() -> None:
    one_line = flesch_kincaid_grade("Rest helps pain and walking helps pain")
    two_lines = flesch_kincaid_grade("Rest helps pain\nand walking helps pain")
    bullets = flesch_kincaid_grade("• Rest helps pain • and walking helps pain")
    assert two_lines < one_line  # shorter sentences, lower grade
    assert two_lines == pytest.approx(
        flesch_kincaid_grade("Rest helps pain. And walking helps pain.")
    )
    assert bullets == pytest.approx(two_lines)


PATIENT_PARAGRAPH = (
    "Back pain is very common, and most bouts get better within a few weeks. Keep moving and "
    "carry on with your normal day as much as you can. Staying in bed does not help."
)
ABSTRACT_SENTENCE = (
    "Epidural corticosteroid injection for lumbosacral radiculopathy produced statistically "
    "significant but clinically unimportant reductions in radicular pain intensity, with "
    "heterogeneity across randomised placebo-controlled trials."
)


def test_plain_patient_text_scores_lower_than_a_jargon_abstract() -> None:
    patient = flesch_kincaid_grade(PATIENT_PARAGRAPH)
    abstract = flesch_kincaid_grade(ABSTRACT_SENTENCE)
    assert patient <= 9
    assert abstract > 16
    assert patient < abstract


def test_longer_sentences_and_longer_words_each_raise_the_grade() -> None:
    base = flesch_kincaid_grade("The pain got better. The pain went away.")
    longer_sentence = flesch_kincaid_grade("The pain got better and the pain went away.")
    longer_words = flesch_kincaid_grade("The discomfort improved. The discomfort resolved.")
    assert base < longer_sentence
    assert base < longer_words
