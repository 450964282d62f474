"""Reading grade of a text: the Flesch–Kincaid grade level, with a heuristic syllable count.

We implement it here rather than use textstat: textstat's current release downloads NLTK data
at run time (which fails offline, and Bedside must work offline), and its older releases import
`pkg_resources`, which is deprecated and missing unless setuptools is installed at run time.

Grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

- Sentences end at `.`, `!` or `?` followed by a space, a closing quote or bracket, or the end
  of the text (so the point in "4.1" does not end one), at line breaks, at a bullet (•), and at
  a "-" or "*" that starts a line; a stretch with no words is not a sentence. An abbreviation
  with a full stop before a space ("e.g. this") does end a sentence: a small overcount that we
  accept.
- Words are tokens with at least one letter; apostrophes and hyphens inside a token join it
  ("don't", "self-limiting" are one word each, with the syllables of all its parts).
- Numbers ("6", "4.1", "95%") are skipped: they are not words a reader sounds out syllable by
  syllable, and counting them as short words would make number-heavy clinical text look easier.
- Empty text, or text with no words, scores 0.0. The score is not clamped: very simple text can
  score below zero.
"""

from __future__ import annotations

import re

from bedside.analyse.terms import straight_apostrophes

_SENTENCE_BREAK = re.compile(r"[.!?]+(?=[\s\"'’”)\]]|$)|\n|•|^\s*[-*]\s", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:['’\-‐][^\W_]+)*")
_PARTS = re.compile(r"[^\W\d_]+")  # the letter runs of a word
_VOWELS = frozenset("aeiouy")
_SOUNDED_ES = ("ses", "xes", "zes", "ches", "shes", "ces", "ges")
# Vowel pairs sounded as two syllables ("media", "radio", "usual"), but not in "-tion",
# "special", "quality" or "language".
_TWO_VOWEL_SOUNDS = re.compile(r"(?<![ctsg])i[ao]|(?<![qg])ua")


def count_syllables(word: str) -> int:
    """Syllables in one word, by counting vowel groups with the usual English corrections.

    A vowel group is a run of a, e, i, o, u and y, where y counts as a vowel except at the
    start of a word or between two vowels ("yoga", "beyond"). Corrections:

    - a silent final e is dropped ("make"), but not the e of a consonant + "le" ending
      ("table", "simple"), and not when the e follows another vowel ("knee", "movie");
    - "-ed" and "-es" endings are silent ("helped", "makes") unless "-ed" follows t or d
      ("wanted") or "-es" follows s, x, z, ch, sh, ce or ge ("boxes", "places"), or the word
      ends in consonant + "les" ("tables");
    - a silent e before "-ly" is dropped ("likely", "safely");
    - "ia", "io" and "ua" make two syllables ("media", "radio", "usual"), except after c, t, s
      or g for "ia"/"io" ("special", "nation", "region") and after q or g for "ua" ("quality").

    Hyphenated words count each part. Every word has at least one syllable; a string with no
    letters has none.
    """
    parts = _PARTS.findall(straight_apostrophes(word.lower()).replace("'", ""))
    return sum(_count_part(part) for part in parts)


def flesch_kincaid_grade(text: str) -> float:
    """The Flesch–Kincaid grade level of `text` (module docstring gives the rules)."""
    sentences = 0
    words = 0
    syllables = 0
    for chunk in _SENTENCE_BREAK.split(text):
        tokens = [token for token in _WORD.findall(chunk) if _PARTS.search(token)]
        if not tokens:
            continue
        sentences += 1
        words += len(tokens)
        syllables += sum(count_syllables(token) for token in tokens)
    if words == 0:
        return 0.0
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def _count_part(word: str) -> int:
    if len(word) <= 3:
        return 1
    vowel = [_is_vowel(word, index) for index in range(len(word))]
    count = sum(1 for index, v in enumerate(vowel) if v and (index == 0 or not vowel[index - 1]))
    count -= _silent_endings(word, vowel)
    count += len(_TWO_VOWEL_SOUNDS.findall(word))
    return max(count, 1)


def _is_vowel(word: str, index: int) -> bool:
    char = word[index]
    if char != "y":
        return char in _VOWELS
    if index == 0:
        return False
    between_vowels = (
        0 < index < len(word) - 1 and word[index - 1] in "aeiou" and word[index + 1] in "aeiou"
    )
    return not between_vowels


def _silent_endings(word: str, vowel: list[bool]) -> int:
    """Vowel groups counted by `_count_part` that are not sounded."""
    # The final e, or the e of -ed / -es, can be silent only when it is a group of its own.
    own_group = not vowel[-2] if word.endswith("e") else not vowel[-3]
    consonant_le = word.endswith(("le", "les")) and not vowel[-3 if word.endswith("le") else -4]
    silent = 0
    if own_group and word.endswith("e") and not consonant_le:
        silent += 1  # "make", but not "table"
    elif own_group and word.endswith("ed") and word[-3] not in "td":
        silent += 1  # "helped", but not "wanted"
    elif own_group and word.endswith("es") and not consonant_le and not word.endswith(_SOUNDED_ES):
        silent += 1  # "makes", but not "boxes" or "tables"
    if word.endswith("ely") and len(word) > 4 and not vowel[-4]:
        silent += 1  # "likely"
    return silent
