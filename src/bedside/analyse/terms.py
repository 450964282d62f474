"""Words for matching text against text: tokens, stop words and a light stemmer.

Used by the composer (relevance, de-duplication) and, independently of it, by the verifier
(support); neither owns the other's rules, both share these definitions of a word.
"""

from __future__ import annotations

import re
from functools import lru_cache

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

# Suffix → shortest stem it may leave (so "early" keeps its "ly" and "stones" loses only "s").
_SUFFIXES = (
    ("ational", 3), ("ization", 3), ("isation", 3), ("ations", 3), ("ation", 3), ("ments", 3),
    ("ment", 3), ("ated", 3), ("atives", 4), ("ative", 4), ("tives", 4), ("sives", 4), ("tive", 4),
    ("sive", 4), ("tions", 4), ("sions", 4), ("tion", 4), ("sion", 4), ("ings", 3), ("ing", 3),
    ("ness", 3), ("ies", 3), ("ied", 3),
    ("ches", 3), ("shes", 3), ("sses", 3), ("xes", 3), ("zes", 3), ("ers", 4), ("er", 4), ("ed", 4),
    ("ly", 4), ("s", 3),
)  # fmt: skip
_KEEP_FINAL_S = ("ss", "us", "is")


_CURLY_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def straight_apostrophes(text: str) -> str:
    """`text` with curly apostrophes and single quotes made straight ("Parkinson’s" →
    "Parkinson's"), so every rule written with "'" reads both: the one place this is done."""
    return text.translate(_CURLY_APOSTROPHES)


def word_tokens(text: str) -> list[str]:
    """Lower-case word and number tokens, in order."""
    return [token.lower() for token in _TOKEN.findall(text)]


# Plurals no suffix rule reaches, and imaging words whose test and result share a stem
# ("mammography" and "a mammogram" are one topic).
_IRREGULAR = {
    "women": "woman", "men": "man", "children": "child", "feet": "foot", "teeth": "tooth",
    "people": "person",
}  # fmt: skip
_GRAPHY = "ography"

# Composing one answer stems about 3,500 words, nearly all of them seen before (the cards'
# vocabulary is a few thousand words): the cache saves about a third of a compose's CPU time
# (docs/benchmarks.md, "Web load"). A pure function of its argument, so the cache changes no
# result; bounded so that odd input (numbers, typos) cannot grow it without end.
_STEM_CACHE_SIZE = 65_536


@lru_cache(maxsize=_STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """A light suffix-stripping stem: 'injections' → 'inject', 'treated' → 'treat'.

    A final "e" is dropped after stripping, so "stone"/"stones" and "wheeze"/"wheezing" meet;
    "women" meets "woman", and "mammography" meets "mammogram".
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(_GRAPHY) and len(word) > len(_GRAPHY) + 2:
        return word[: -len("graphy")] + "gram"
    if word.endswith("ograms") and len(word) > len("ograms") + 2:
        word = word[:-1]
    base = word
    for suffix, shortest in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            if suffix == "s" and word.endswith(_KEEP_FINAL_S):
                continue
            if suffix in ("ies", "ied"):
                base = word[: -len(suffix)] + "y"
            elif suffix in ("ches", "shes", "sses", "xes", "zes"):
                base = word[:-2]
            elif suffix.startswith(("ti", "si")):
                # "preventive", "prevention" and "preventing" are one word family; so are
                # "depressive" and "depression": the "t" or "s" stays with the stem.
                base = word[: -len(suffix) + 1]
            else:
                base = word[: -len(suffix)]
            break
    if len(base) > 3 and base.endswith("e") and not base.endswith("ee"):
        base = base[:-1]
    return base


def content_stems(text: str) -> list[str]:
    """Stems of the words of `text` that carry meaning (stop words dropped), in order."""
    return [stem(token) for token in word_tokens(text) if token not in STOP_WORDS]


def find_whole(term: str, text: str, *, ignore_case: bool = False) -> re.Match[str] | None:
    """The first place `text` holds `term` as whole words: not inside a longer word or a
    hyphenated one ("pain" is not in "painful" nor in "pain-free")."""
    return _whole(term, ignore_case).search(text)


def find_every_whole(term: str, text: str, *, ignore_case: bool = False) -> list[re.Match[str]]:
    """Every place `text` holds `term` as whole words (see `find_whole`)."""
    return list(_whole(term, ignore_case).finditer(text))


def _whole(term: str, ignore_case: bool) -> re.Pattern[str]:
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", flags)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """The sentences of a question or statement, split after ".", "!" or "?" (none empty)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]


# Words whose everyday sense is not the condition a card names it by: a boil on the skin is not
# boiling an egg. Blanked out before a question is searched for clinical terms or conditions.
_EVERYDAY_SENSES = re.compile(
    r"\b(?:boil(?:s|ed|ing)?\s+(?:an?\s+|the\s+|some\s+|my\s+|your\s+)?(?:eggs?|water|kettle|pasta|"
    r"rice|potato(?:es)?|spuds|milk|veg(?:etables)?|noodles|beans|pan|pot)|(?:hard|soft)[\s-]boiled"
    r"|boiled\s+(?:eggs?|water|sweets|potato(?:es)?|rice|ham)|boiling\s+(?:water|point|hot)"
    # …nor is "knock it out" (get rid of a pain) being knocked out.
    r"|knock(?:s|ed|ing)?\s+(?:it|this|that|them|the\s+pain)\s+out"
    # …nor is a vaccine named after what it prevents ("the pneumonia jab every year?") having
    # the illness.
    r"|pneumonia\s+(?:jabs?|vaccines?|vaccinations?|shots?|injections?|boosters?)"
    # (…in a list of them: "flu, pneumonia, covid and now an RSV jab")
    r"|pneumonia(?=(?:\s*,\s*[\w-]+){0,4}\s*,?\s+(?:and|or)\s+(?:[\w-]+\s+){0,3}"
    r"(?:jabs?|vaccines?|vaccinations?|shots?|boosters?)\b))\b",
    re.IGNORECASE,
)


def without_everyday_senses(text: str) -> str:
    """`text` with everyday phrases that use a condition's name blanked out ("boil an egg")."""
    return _EVERYDAY_SENSES.sub(lambda match: " " * len(match.group()), text)
