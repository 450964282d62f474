"""Drug names in free text, brand or generic, resolved to the generic name.

People ask about medicines by brand ("Lexapro", "Robaxin", "Zyrtec") far more often than by
the name sources use ("escitalopram", "methocarbamol", "cetirizine"). A hand list would always
lag behind the market, so the names come from a maintained field library,
`drug-named-entity-recognition` (Fast Data Science, MIT; its dictionary is built from the
DrugBank open vocabulary (CC0), MeSH, MedlinePlus and the NHS medicines pages, and maps each
brand to its generic with DrugBank and MeSH ids). It runs offline from the dictionary shipped
in its wheel; it is imported on first use only, because loading the dictionary takes about a
second (see docs/decisions/0006-drug-names.md).

Words the library reads as a chemical although people mean something else ("sits") are listed
in `drug_rules.yaml` beside this module, with the generic names our sources use for a
library name ("acetaminophen" is "paracetamol" in UK guidance).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bedside.analyse.terms import find_whole

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")


# MeSH tree branches of classes and forms, not single drugs.
_CLASS_TREES = ("D20", "D26", "D27")


@dataclass(frozen=True, slots=True)
class DrugMention:
    """One medicine named in a text: as written, and the generic name it resolves to."""

    as_written: str
    generic: str  # lower case
    also_called: tuple[str, ...] = ()  # other generic names sources use ("paracetamol")
    drugbank_id: str | None = None
    medline_plus_id: str | None = None
    mesh_id: str | None = None
    mesh_tree: tuple[str, ...] = ()

    @property
    def is_specific(self) -> bool:
        """One drug, not a class or a form the library knows from MeSH ("ACE inhibitors",
        "anti-bacterial agents", "nasal sprays"): those sit only under MeSH's pharmacologic
        actions (D27), dosage forms (D26) and mixtures (D20); "Synthroid" → thyroxine (D06,
        D12) is one drug though it has no DrugBank id."""
        if self.drugbank_id is not None or self.medline_plus_id is not None:
            return True
        return not self.mesh_tree or not all(
            tree.startswith(_CLASS_TREES) for tree in self.mesh_tree
        )

    @property
    def is_brand(self) -> bool:
        return self.as_written.lower() != self.generic and self.as_written.lower() not in (
            self.also_called
        )

    def names(self) -> tuple[str, ...]:
        """Every name a source may use for this drug, generic first."""
        return (self.generic, *self.also_called)


@dataclass(frozen=True, slots=True)
class DrugRules:
    """Reviewed corrections to the library (see `drug_rules.yaml`)."""

    not_drugs: frozenset[str]
    also_called: dict[str, tuple[str, ...]]
    brands: dict[str, tuple[str, ...]]  # brand → its generic name, then its other names
    ambiguous_brands: dict[str, tuple[str, ...]]  # brand → its own context words
    medicine_words: frozenset[str]
    broad_classes: frozenset[str] = frozenset()  # "anti-bacterial agents": naming one chooses none

    @classmethod
    def bundled(cls) -> DrugRules:
        text = resources.files("bedside.analyse").joinpath("drug_rules.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
        return cls(
            not_drugs=frozenset(str(word).lower() for word in data["not_drugs"]),
            also_called=_lower_table(data["also_called"]),
            # A clinician's shorthand for a generic name is read as a brand is: a name the
            # library does not know, standing for one it does.
            brands=_lower_table({**data["brands"], **data["shorthands"]}),
            ambiguous_brands=_lower_table(data["ambiguous_brands"]),
            medicine_words=frozenset(str(word).lower() for word in data["medicine_words"]),
            broad_classes=frozenset(str(name).lower() for name in data.get("broad_classes", ())),
        )


def _lower_table(table: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {
        str(name).lower(): tuple(str(other).lower() for other in others)
        for name, others in table.items()
    }


@functools.cache
def drug_rules() -> DrugRules:
    return DrugRules.bundled()


@functools.cache
def _finder() -> Any:
    # Imported here, not at module level: the library loads its dictionary when imported.
    from drug_named_entity_recognition import find_drugs as library_find_drugs

    return library_find_drugs


def find_drugs(text: str) -> tuple[DrugMention, ...]:
    """The medicines `text` names, in order, each once (by generic name)."""
    tokens = _WORD.findall(text)
    if not tokens:
        return ()
    rules = drug_rules()
    found: dict[str, DrugMention] = {}
    # A reviewed brand wins over the library's reading of the same words ("Tums": a calcium
    # supplement class, not calcium carbonate).
    reviewed = _reviewed_brands(text, rules)
    reviewed_words = {word for m in reviewed for word in _WORD.findall(m.as_written.lower())}
    matches = [*_finder()(tokens, is_ignore_case=True), *_hyphens_apart(text)]
    for match, _start, _end in matches:
        written = str(match.get("matching_string") or "")
        if not written or written.lower() in rules.not_drugs:
            continue
        if set(_WORD.findall(written.lower())) & reviewed_words:
            continue
        if _needs_a_medicine_word(written, tokens, rules):
            continue
        generic = str(match.get("name") or written).lower()
        found.setdefault(generic, _mention(written, generic, match))
    for mention in reviewed:
        found.setdefault(mention.generic, mention)
    lowered = text.lower().replace("-", " ")
    return tuple(
        sorted(found.values(), key=lambda m: lowered.find(m.as_written.lower().replace("-", " ")))
    )


def _mention(as_written: str, generic: str, entry: Mapping[str, Any]) -> DrugMention:
    """A mention of `generic` from the library's entry for it (a match or its dictionary row:
    both carry the DrugBank, MedlinePlus and MeSH ids), with the other names sources use."""
    return DrugMention(
        as_written=as_written,
        generic=generic,
        also_called=drug_rules().also_called.get(generic, ()),
        drugbank_id=entry.get("drugbank_id"),
        medline_plus_id=entry.get("medline_plus_id"),
        mesh_id=entry.get("mesh_id"),
        mesh_tree=tuple(str(tree) for tree in entry.get("mesh_tree") or ()),
    )


def _hyphens_apart(text: str) -> list[Any]:
    """Matches of names the text writes with a hyphen between their words: "calcium-channel
    blocker" is the library's "calcium channel blocker" (whole hyphenated words, "co-codamol",
    are read as they stand)."""
    if "-" not in text:
        return []
    lowered = text.lower()
    return [
        found
        for found in _finder()(_WORD.findall(text.replace("-", " ")), is_ignore_case=True)
        if " " in (written := str(found[0].get("matching_string") or "").lower())
        and written.replace(" ", "-") in lowered
    ]


def _needs_a_medicine_word(written: str, tokens: list[str], rules: DrugRules) -> bool:
    """A brand that is also an ordinary phrase ("my plan B"), in a text with no medicine word."""
    name = " ".join(_WORD.findall(written.lower()))
    if name not in rules.ambiguous_brands:
        return False
    words = {token.lower() for token in tokens}
    return not words & (rules.medicine_words | set(rules.ambiguous_brands[name]))


def _reviewed_brands(text: str, rules: DrugRules) -> list[DrugMention]:
    """Brands of `drug_rules.yaml` the library lacks, named in `text` as whole words."""
    lowered = text.lower()
    tokens = _WORD.findall(text)
    mentions = []
    for brand, (generic, *others) in rules.brands.items():
        match = find_whole(brand, lowered)
        if match is None:
            continue
        written = text[match.start() : match.end()]
        if not _needs_a_medicine_word(written, tokens, rules):  # "Ella is my daughter"
            mentions.append(DrugMention(written, generic, tuple(others)))
    return mentions


def generic_names(text: str) -> tuple[str, ...]:
    """The generic names of the medicines `text` names (for indexing and query expansion)."""
    return tuple(name for mention in find_drugs(text) for name in mention.names())


# A misspelt drug name ("welbutrin", "amoxicilin") is resolved only when it is this long and
# one edit from one of the drug's own names: the library's fuzzy matcher alone finds a
# drug in half the ordinary words of a question ("hearing" → an oral contraceptive).
_SHORTEST_MISSPELLING = 8
_MOST_EDITS = 1


# The library's fuzzy matcher takes about 0.1 s a word, and the same unknown words come back
# question after question. The answer depends only on the word and the bundled rules (loaded
# once), so a bounded cache changes no result.
@functools.lru_cache(maxsize=4096)
def resolve_misspelling(word: str) -> DrugMention | None:
    """The drug a misspelt word names, or None. The caller checks first that the word is not
    one the knowledge base knows."""
    word = word.lower()
    if len(word) < _SHORTEST_MISSPELLING or word in drug_rules().not_drugs:
        return None
    if (found := _library_misspelling(word)) is not None:
        return found
    # A word of eight letters is too often one letter from a drug ("creative", creatine).
    return _generic_one_edit_away(word) if len(word) > _SHORTEST_MISSPELLING else None


def _library_misspelling(word: str) -> DrugMention | None:
    for match, _start, _end in _finder()([word], is_fuzzy_match=True, is_ignore_case=True):
        names = {str(name).lower() for name in match.get("synonyms") or ()}
        names.add(str(match.get("name") or "").lower())
        if not any(_edits(word, name) <= _MOST_EDITS for name in names if name):
            continue
        mention = _mention(word, str(match.get("name") or word).lower(), match)
        return mention if mention.is_specific else None
    return None


def _generic_one_edit_away(word: str) -> DrugMention | None:
    """The one generic name (a DrugBank drug) a letter away from `word`, starting with the same
    letter: the library's fuzzy matcher compares letter triples and misses a dropped letter
    early in a short name ("setraline" for sertraline)."""
    near = [
        name
        for name in _one_word_generics()
        if name[0] == word[0]
        and abs(len(name) - len(word)) <= _MOST_EDITS
        and _edits(word, name) <= _MOST_EDITS
    ]
    if len(near) != 1:
        return None
    return _mention(word, near[0], _library_entries()[near[0]])


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, stopping early once it exceeds `_MOST_EDITS`."""
    if abs(len(a) - len(b)) > _MOST_EDITS:
        return _MOST_EDITS + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > _MOST_EDITS:
            return _MOST_EDITS + 1
        previous = current
    return previous[-1]


# A shortened generic name ("atorva 40", "rosuva", the Indian brand "Rosuvas") is resolved only
# when it is this long, at least half the name and three letters short of it, and the start of
# one DrugBank drug alone: shorter stems start several ("amlo", "metfo" are left alone), and
# class words ("expectorant") have no DrugBank id.
_SHORTEST_SHORTENING = 6
_FEWEST_LETTERS_LEFT_OFF = 3


@functools.lru_cache(maxsize=4096)
def resolve_shortened(word: str) -> DrugMention | None:
    """The drug whose generic name `word` starts, or None. The caller checks first that the
    word is not one the knowledge base knows."""
    word = word.lower()
    if len(word) < _SHORTEST_SHORTENING or word in drug_rules().not_drugs:
        return None
    started = _generics_starting(word)
    if len(started) != 1:
        return None
    generic, data = started[0]
    if len(word) * 2 < len(generic) or len(generic) - len(word) < _FEWEST_LETTERS_LEFT_OFF:
        return None
    return _mention(word, generic, data)


def _generics_starting(word: str) -> list[tuple[str, dict[str, Any]]]:
    names = _one_word_generics()
    after = itertools.islice(names, bisect.bisect_left(names, word), None)
    return [
        (name, _library_entries()[name])
        for name in itertools.takewhile(lambda n: n.startswith(word), after)
    ]


@functools.cache
def _one_word_generics() -> list[str]:
    """The library's one-word generic names of single drugs (those with a DrugBank id), sorted."""
    return sorted(
        name
        for name, data in _library_entries().items()
        if name.isalpha() and name.islower() and data.get("drugbank_id")
    )


@functools.cache
def _library_entries() -> dict[str, dict[str, Any]]:
    # The library has no public listing of its names; its generic → entry table is a
    # module-level dict of the pinned version (drug-named-entity-recognition 2.0.9).
    from drug_named_entity_recognition import drugs_finder

    return dict(drugs_finder.drug_canonical_to_data)
