"""Words for matching text against text: tokens, stop words and a light stemmer.

Used by the composer (relevance, de-duplication) and, independently of it, by the verifier
(support); neither owns the other's rules, both share these definitions of a word.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*", re.IGNORECASE)

_STOP_WORDS_TEXT = """
    a an the of for to in on at by with about from into onto and or but nor if then than
    that this these those there their them they it its is are was were be been being am do
    does did has have had having as so such via per each any all both either some most more
    other own same very can could may might must shall should will would who whom whose
    which what when where why how i me my we our you your he she his her him also only just
    not no
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# "not", "no" are stop words for relevance but matter for support; the verifier checks them apart.

_SUFFIXES = ("ational", "ization", "isation", "ations", "ation", "ments", "ment", "ings", "ing",
             "ness", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")  # fmt: skip


def word_tokens(text: str) -> list[str]:
    """Lower-case word and number tokens, in order."""
    return [token.lower() for token in _TOKEN.findall(text)]


def stem(word: str) -> str:
    """A light suffix-stripping stem: 'injections' → 'injection', 'treated' → 'treat'."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            return base
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words of `text` that carry meaning (stop words dropped), in order."""
    return [stem(token) for token in word_tokens(text) if token not in STOP_WORDS]
