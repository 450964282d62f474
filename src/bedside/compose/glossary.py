"""Plain-language glossary: explain each clinical term in everyday words at its first use.

A patient article must explain every clinical term where it first appears. `Glossary.explain`
inserts ` (plain words)` after the first use of each term across a sequence of texts and keeps
the original text beside the rendered one: the explanation is not a cited claim, so the verifier
checks `original` and only allows `rendered` to differ by the listed explanations.

Matching, as `Glossary.find` does it:

- Whole words and phrases only: a term never matches inside a longer word.
- Leftmost first, then longest: at each place in the text the longest term that matches wins
  ("heart failure with reduced ejection fraction" over "heart failure"), and matches never
  overlap.
- Case: a word piece with a capital letter after its first character (NSAID, FEV1, SGLT2, eGFR,
  HbA1c, FeverPAIN) is an abbreviation or coined name and must match exactly, so "PT" does not
  match "pt" and "ED" does not match "ed"; every other word ignores case.
- Spaces and hyphens are interchangeable ("beta-blocker", "beta blocker"; but not "betablocker"),
  and an apostrophe may be straight, curly or left out ("Barrett's", "Barretts").
- A simple plural is matched without being listed: -s, -es after s/x/z/ch/sh, and -ies for a
  word ending in consonant + y (an abbreviation only takes a lower-case -s: "NSAIDs").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bedside.analyse.terms import content_stems

_SEPARATOR = "[\\s\\-\u2010\u2011\u2013]+"  # any run of spaces and hyphens
_SEPARATOR_CHARS = frozenset(" \t\n-\u2010\u2011\u2013")
_APOSTROPHES = frozenset("'\u2019")
_PIECE = re.compile(r"[A-Za-z0-9]+|.", re.DOTALL)
_WORD_START = re.compile(r"(?<!\w)[A-Za-z0-9]+")
# A parenthesis right after a term, and one that wraps a term ("(a proton pump inhibitor)").
_PARENTHESIS_AFTER = re.compile(r"\s*\(([^()]*)\)")
_OPENS_BEFORE = re.compile(r"\(\s*(?:(?:a|an|the)\s+)?$", re.IGNORECASE)
_CLOSES_AFTER = re.compile(r"\s*\)")
_PLAIN_WORD = re.compile(r"\b[a-z]{3,}\b")  # an explanation has words, not only an abbreviation
_COMPOUND_REST = re.compile(r"(?:-\w+)+")  # "-type" in "diazepam-type medicines"
# Brackets that grade or cite evidence, or give numbers, are not explanations of the term.
_NOT_AN_EXPLANATION = re.compile(
    r"\d|\b(evidence|recommend\w*|guideline|grade|class|certainty|quality|statement|consensus|"
    r"preferred|see|e\.g|i\.e|for example)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Form:
    """One spelling of an entry, compiled."""

    text: str
    pattern: re.Pattern[str]
    entry: GlossaryEntry


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A clinical term, the other ways it is written, and a short plain explanation."""

    term: str
    aliases: tuple[str, ...]
    plain: str

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its aliases: every spelling that matches this entry."""
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True)
class Gloss:
    """One explanation inserted into a text."""

    term: str  # the entry's term
    matched: str  # the text as it appeared
    plain: str


@dataclass(frozen=True, slots=True)
class GlossedText:
    """A text, the same text with explanations inserted, and the explanations."""

    original: str
    rendered: str
    glosses: tuple[Gloss, ...]


class Glossary:
    """Finds clinical terms in text and explains each at its first use."""

    def __init__(self, entries: Iterable[GlossaryEntry]) -> None:
        self._entries = tuple(entries)
        owner: dict[str, str] = {}  # form key → term of the entry that owns it
        # Forms are tried only where their first word is, which keeps `find` fast with hundreds
        # of entries (a single regex of all of them would try every form at every word).
        self._by_first_word: dict[str, list[_Form]] = {}
        for entry in self._entries:
            if not entry.term.strip() or not entry.plain.strip():
                raise ValueError(f"glossary entry needs a term and a plain text: {entry!r}")
            for form in dict.fromkeys(entry.forms):  # drop repeats within one entry
                key = _form_key(form)
                if not key:
                    raise ValueError(f"glossary form {form!r} of {entry.term!r} has no letters")
                if owner.setdefault(key, entry.term) != entry.term:
                    raise ValueError(
                        f"glossary form {form!r} belongs to both {owner[key]!r} and {entry.term!r}"
                    )
                compiled = _Form(form, re.compile(_form_pattern(form) + r"(?!\w)"), entry)
                self._by_first_word.setdefault(_first_word(form), []).append(compiled)
        for candidates in self._by_first_word.values():
            candidates.sort(key=_longest_first)

    @classmethod
    def bundled(cls) -> Glossary:
        """The glossary shipped with Bedside (`glossary.yaml`), loaded once."""
        return _bundled()

    @property
    def entries(self) -> tuple[GlossaryEntry, ...]:
        return self._entries

    def find(self, text: str) -> list[tuple[int, int, GlossaryEntry]]:
        """Every term in `text`, left to right, as (start, end, entry); no two overlap."""
        found: list[tuple[int, int, GlossaryEntry]] = []
        end = 0
        for word in _WORD_START.finditer(text):
            if word.start() < end:
                continue  # inside the last term found
            for form in self._candidates(word.group()):
                match = form.pattern.match(text, word.start())
                if match:
                    end = match.end()
                    found.append((word.start(), end, form.entry))
                    break
        return found

    def _candidates(self, word: str) -> list[_Form]:
        """Forms whose first word is `word`, or `word` without a plural ending; longest first."""
        word = word.casefold()
        keys = {word}
        if word.endswith("s"):
            keys.update((word[:-1], word[:-2]))
        if word.endswith("ies"):
            keys.add(word[:-3] + "y")
        found = [self._by_first_word[key] for key in keys if key in self._by_first_word]
        if len(found) == 1:
            return found[0]
        return sorted((form for forms in found for form in forms), key=_longest_first)

    def explain(self, texts: Sequence[str], *, seen: set[str] | None = None) -> list[GlossedText]:
        """Insert ` (plain)` after the first use of each term across `texts`, in order.

        `seen` holds the terms already explained (by entry term); it is updated in place, so
        a caller explaining an article in several calls passes the same set each time. A term
        the text already explains is counted as explained and left alone: one inside brackets
        right after an explanation ("an acid-reducing tablet (a proton pump inhibitor)"), one
        followed by its own explanation in brackets ("opioids (strong painkillers)"). When the
        brackets only abbreviate the term ("atrial fibrillation (AF)"), the explanation goes
        after them; a term that begins a hyphenated word is explained after the whole word
        ("diazepam-type (...)"). A sentence that goes straight on to say what the explanation
        says ("Cystitis is an infection of the bladder") is left alone, so no reader sees "an
        infection of the bladder" twice in a row; other definitions still get the explanation:
        telling a definition from "Opioids are a risk" is unreliable, and a repeated
        explanation costs less than a missing one.
        """
        explained = seen if seen is not None else set()
        results = []
        for text in texts:
            insertions: list[tuple[int, Gloss]] = []
            for start, end, entry in self.find(text):
                if entry.term in explained:
                    continue
                explained.add(entry.term)
                at = self._insertion_point(text, start, end, entry)
                if at is not None:
                    insertions.append((at, Gloss(entry.term, text[start:end], entry.plain)))
            insertions.sort(key=lambda item: item[0])
            pieces = []
            cursor = 0
            for at, gloss in insertions:
                pieces.append(text[cursor:at])
                pieces.append(f" ({gloss.plain})")
                cursor = at
            pieces.append(text[cursor:])
            results.append(
                GlossedText(text, "".join(pieces), tuple(gloss for _, gloss in insertions))
            )
        return results

    def _insertion_point(self, text: str, start: int, end: int, entry: GlossaryEntry) -> int | None:
        """Where the explanation of the term at start:end goes; None when the text explains it."""
        if _OPENS_BEFORE.search(text, 0, start) and _CLOSES_AFTER.match(text, end):
            return None  # "(a proton pump inhibitor)": the words before the bracket explain it
        compound = _COMPOUND_REST.match(text, end)
        if compound:
            return compound.end()  # not inside "diazepam-type"
        bracket = _PARENTHESIS_AFTER.match(text, end)
        if bracket is None:
            return None if _defines_it_next(text, end, entry.plain) else end
        inside = bracket.group(1).strip()
        if self._is_form_of(inside, entry):
            return bracket.end()  # "atrial fibrillation (AF)": explain after the abbreviation
        if (
            _PLAIN_WORD.search(inside)
            and not _NOT_AN_EXPLANATION.search(inside)
            and not self.find(inside)
        ):
            return None  # "opioids (strong painkillers)"
        return end

    def _is_form_of(self, text: str, entry: GlossaryEntry) -> bool:
        """Whether `text` is, whole, one of the entry's forms (an abbreviation, say)."""
        return self.find(text) == [(0, len(text), entry)]


_DEFINED_AS = re.compile(r"\s+(?:is|are|means)\s+([^.;:]{0,120})", re.IGNORECASE)
# The share of the explanation's words the sentence must go on to say for it to be left out.
_SAID_ALREADY = 0.5


def _defines_it_next(text: str, end: int, plain: str) -> bool:
    """Whether the words right after the term ("… is an infection of the bladder") already say
    most of what its explanation says."""
    after = _DEFINED_AS.match(text, end)
    if after is None:
        return False
    wanted = set(content_stems(plain))
    said = set(content_stems(after.group(1)))
    return bool(wanted) and len(wanted & said) / len(wanted) >= _SAID_ALREADY


@functools.cache
def _bundled() -> Glossary:
    source = resources.files("bedside.compose").joinpath("glossary.yaml")
    # The C parser, where PyYAML was built with it, reads the file ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Glossary(_parse_entries(yaml.load(source.read_text(encoding="utf-8"), Loader=loader)))


def _parse_entries(data: Any) -> list[GlossaryEntry]:
    """Glossary entries from the YAML structure: a list of {term, aliases, plain} mappings."""
    if not isinstance(data, list):
        raise ValueError("a glossary is a list of {term, aliases, plain} entries")
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or set(item) - {"term", "aliases", "plain"}:
            raise ValueError(f"glossary entry {index}: expected keys term, aliases and plain")
        term, aliases, plain = item.get("term"), item.get("aliases", []), item.get("plain")
        if not isinstance(term, str) or not isinstance(plain, str):
            raise ValueError(f"glossary entry {index}: term and plain must be text")
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"glossary entry {index} ({term}): aliases must be a list of text")
        entries.append(
            GlossaryEntry(term.strip(), tuple(a.strip() for a in aliases), plain.strip())
        )
    return entries


def _is_exact(piece: str) -> bool:
    """An abbreviation or coined name: a capital letter after the first character."""
    return any(char.isupper() for char in piece[1:])


def _form_pattern(form: str) -> str:
    pieces = _PIECE.findall(form)
    parts: list[str] = []
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        if piece in _SEPARATOR_CHARS:
            if not parts or parts[-1] != _SEPARATOR:
                parts.append(_SEPARATOR)
        elif piece in _APOSTROPHES:
            parts.append("['\u2019]?")
        elif not piece.isalnum():
            parts.append(re.escape(piece))
        elif _is_exact(piece):
            parts.append(re.escape(piece) + ("s?" if last else ""))
        else:
            parts.append(f"(?i:{_with_plural(piece) if last else re.escape(piece)})")
    return "".join(parts)


def _with_plural(word: str) -> str:
    lower = word.lower()
    if len(word) > 2 and lower.endswith("y") and lower[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies)"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return re.escape(word) + "(?:es)?"
    return re.escape(word) + "s?"


def _longest_first(form: _Form) -> int:
    return -len(form.text)


def _first_word(form: str) -> str:
    match = _WORD_START.search(form)
    return match.group().casefold() if match else ""


def _form_key(form: str) -> str:
    """What two forms share when they match the same text (ignoring plurals)."""
    pieces = [p for p in _PIECE.findall(form) if p.isalnum()]
    return " ".join(p if _is_exact(p) else p.casefold() for p in pieces)
