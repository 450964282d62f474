"""Is a reworded sentence faithful to the passages it cites? The check for model-written text.

`support.py` proves support word for word, which a sentence copied from its passage passes and a
paraphrase cannot. A language model rewrites; so here the sentence may use other words, but
nothing that makes a clinical fact differ may change (rules in `paraphrase_rules.yaml`):

- every quantity: value, unit and bound ("at least 12%") are in a cited passage (`quantities.py`),
  and not beside the words a passage puts beside another value of its unit ("the 2026 ACC/AHA
  guideline" where it says "the 2018 ACC/AHA guideline (since superseded by the 2026 …)");
- a condition of a source clause ("when an antibiotic is needed", "in people with … alarm
  features") is kept, in any words and anywhere;
- each clause has the polarity (parity of negation cues) of the source clause it best matches;
  a named thing keeps the polarity of the source clauses that name it; "A rather than B" is not
  turned round; no direction of effect ("reduces" → "increases") that the source clause opposes
  or the sources lack; "either A or B" is not made "both";
- no population, drug, procedure, clinical term or name the cited passages do not name;
- no restricting qualifier added ("severe" for "mild") or dropped ("severe sciatica" written
  "sciatica", "paracetamol alone" written "paracetamol"); no hedge dropped ("consider" written
  "offer"); no certainty or frequency added ("always", "every year");
- enough of its wording is the sources' own or a listed equivalent (`min_overlap`), and every
  passage it cites gives some of it.

Each failure is a `Finding` with a code and a sentence a reviewer can read. Measured on
benchmarks/paraphrases.jsonl by benchmarks/paraphrase_support.py (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bedside.analyse.drugs import DrugMention, find_drugs
from bedside.analyse.frame import find_interventions
from bedside.analyse.terms import STOP_WORDS, stem, word_tokens
from bedside.verify.quantities import (
    Quantity,
    QuantityRules,
    normalise_numbers,
    placed_quantities,
    unsupported_quantities,
)

# Clause boundaries, the same for sentences and passages: sentence ends, semicolons and colons;
# a comma before a word that starts a clause; "but" between clauses (not "at least 1% but below
# 2%"). Conditions stay with their clause ("if X, do Y" is one claim), so a condition moved to
# the end of a sentence still meets its source.
_CLAUSE_END = re.compile(
    r"(?<=[.!?;:])\s+"
    r"|,\s+(?=(?:and|but|yet|while|whereas|although|though)\b)"
    r"|,?\s+but\s+(?!(?:\d|below|above|under|over|less|more|at |not )\b)"
    r"|\s*\n\s*",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
# A clause of fewer words than this ("But not") joins the one after it.
_SHORTEST_CLAUSE = 3
# A source sentence bears on a paraphrase when it is the nearest to one of its clauses, or when
# this share of its content is in the paraphrase (a sentence that joins two statements).
_RELATED_SHARE = 0.3
# A negation cue governs the words up to this many after it ("do not *offer*", "should not be
# *given*"), of which the first two content words are taken as what it negates.
_NEGATION_REACH = 4
_GOVERNED_AFTER = 2
# A source clause bears on a sentence when it is the nearest to one of the sentence's clauses,
# or when this share of its content is in the sentence.
_HELD_CLAUSE = 0.5
# Two different words are one when they share this long a beginning, and it is most of the
# shorter ("radicular" / "radiculopathy", "titrate" / "titration").
_SHARED_PREFIX = 5
_PREFIX_SHARE = 0.75
# A cited passage must give at least this share of the sentence's words (and at least one).
_CITATION_SHARE = 0.25
# Words on each side of "rather than" that say what is preferred and what is not.
_PREFERENCE_WINDOW = 3
# In a glossary explanation, what follows "such as" names examples ("strong painkillers, such
# as morphine"): a sentence naming morphine is not supported by a source that says "opioid".
_EXAMPLES = re.compile(r",?\s+(?:such as|like|for example|e\.g\.)\s.*$", re.IGNORECASE)
# A name in capitals ("NICE", "GINA", "IDSA") or capitalised inside a sentence ("Amsterdam").
_NAME = re.compile(r"(?<![\w'-])(?:[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*|[A-Z][a-z]{2,})(?![\w-])")

Phrase = tuple[str, ...]  # a word or phrase as its stems (or, for word lists, its words)
Groups = Mapping[str, tuple[Phrase, ...]]


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason a sentence is not supported: a stable code and what was found."""

    code: str
    detail: str


@dataclass(frozen=True, slots=True)
class ParaphraseSupport:
    """How faithful one sentence is to the passages it cites."""

    overlap: float  # share of its words found in the passages or as a listed equivalent
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings


@dataclass(frozen=True, slots=True)
class ParaphraseRules:
    """`paraphrase_rules.yaml`, compiled; see the file for what each part means.

    Word lists (directions, qualifiers, hedges, populations …) are matched on lower-case words,
    each form listed: stems would make "like" of "likely". Equivalents, framing words and
    clinical terms are matched on stems, so plurals need no listing.
    """

    quantities: QuantityRules
    negation: re.Pattern[str]
    not_negations: re.Pattern[str]
    preferences: re.Pattern[str]
    directions: Groups
    opposite_directions: Mapping[str, str]
    not_directions: re.Pattern[str]
    qualifiers: Groups
    clause_qualifiers: Groups
    opposite_qualifiers: Mapping[str, str]
    hedges: Groups
    certainty: Groups
    frequencies: Groups
    some_words: tuple[Phrase, ...]
    all_words: tuple[Phrase, ...]
    actions: Groups
    combination: tuple[Phrase, ...]
    alternatives: tuple[Phrase, ...]
    populations: Groups
    unrestricting_populations: frozenset[str]
    conditions: re.Pattern[str]  # where a condition starts: right after its opener
    not_conditions: re.Pattern[str]
    condition_min_share: float
    number_window: int
    number_min_evidence: int
    number_nearest_weight: int
    unit_stems: frozenset[str]  # every unit spelling, stemmed ("weeks" → "week")
    irregular_forms: Mapping[str, str]
    framing: tuple[Phrase, ...]  # stems
    # stems of the listed equivalents, of each word-list group, and of each glossary entry
    equivalents: tuple[tuple[Phrase, ...], ...]
    key_terms: tuple[Phrase, ...]  # stems of clinical terms: anatomy, symptoms, conditions, …
    # first stem of a member → (its group's index, the member): finding a text's groups fast
    members_by_first: Mapping[str, tuple[tuple[int, Phrase], ...]]
    # a one-word member → the indexes of its equivalence groups
    single_word_groups: Mapping[str, frozenset[int]]
    qualifier_words: frozenset[str]  # the one-word qualifiers ("routinely", "severe")

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        key_terms: Iterable[str] = (),
        glossary: Iterable[Sequence[str]] = (),
    ) -> ParaphraseRules:
        irregular = {str(k): str(v) for k, v in data["irregular_forms"].items()}

        def stems(words: Iterable[str]) -> tuple[Phrase, ...]:
            return tuple(p for p in (as_phrase(str(w), irregular) for w in words) if p)

        def groups(mapping: Mapping[str, Iterable[str]]) -> dict[str, tuple[Phrase, ...]]:
            return {str(name): _word_phrases(words) for name, words in mapping.items()}

        word_groups = [
            groups(data[key])
            for key in ("directions", "qualifiers", "clause_qualifiers", "populations")
        ]
        # A clinical term made only of common words ("frozen shoulder" stems to "frozen
        # should") would be "named" by any sentence that says "should".
        terms = [p for p in stems(key_terms) if not set(p) & STOP_WORDS]
        equivalents = (
            *(stems(group) for group in data["equivalents"]),
            *(stems(words) for mapping in word_groups for words in _spelled(mapping)),
            *(stems(entry) for entry in glossary),
        )
        return cls(
            quantities=QuantityRules(
                units={name: tuple(map(str, s)) for name, s in data["units"].items()},
                above=tuple(data["bounds"]["above"]),
                below=tuple(data["bounds"]["below"]),
            ),
            negation=_compiled(data["negation"]),
            not_negations=_any_of(data["not_negations"]),
            preferences=_compiled(data["preferences"]),
            directions=word_groups[0],
            opposite_directions=_opposites(data["opposite_directions"]),
            not_directions=_any_of(data["not_directions"]),
            qualifiers=word_groups[1],
            clause_qualifiers=word_groups[2],
            opposite_qualifiers=_opposites(data["opposite_qualifiers"]),
            hedges=groups(data["hedges"]),
            certainty=groups(data["certainty"]),
            frequencies=groups(data["frequencies"]),
            some_words=_word_phrases(data["some_words"]),
            all_words=_word_phrases(data["all_words"]),
            actions=groups(data["actions"]),
            combination=_word_phrases(data["combination"]),
            alternatives=_word_phrases(data["alternatives"]),
            populations=word_groups[3],
            unrestricting_populations=frozenset(data["unrestricting_populations"]),
            conditions=_condition_openers(data["conditions"]),
            not_conditions=_any_of(data["conditions"]["not_conditions"]),
            condition_min_share=float(data["conditions"]["min_kept_share"]),
            number_window=int(data["number_neighbours"]["window"]),
            number_min_evidence=int(data["number_neighbours"]["min_evidence"]),
            number_nearest_weight=int(data["number_neighbours"]["nearest_weight"]),
            unit_stems=frozenset(
                stem(spelling.lower())
                for spellings in data["units"].values()
                for spelling in spellings
            ),
            irregular_forms=irregular,
            framing=stems(data["framing"]),
            equivalents=equivalents,
            key_terms=tuple(terms),
            members_by_first=_index_members(equivalents),
            single_word_groups=_single_word_groups(equivalents),
            qualifier_words=frozenset(
                phrase[0]
                for mapping in (word_groups[1], word_groups[2])
                for phrases in mapping.values()
                for phrase in phrases
                if len(phrase) == 1
            ),
        )


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _any_of(phrases: Iterable[str]) -> re.Pattern[str]:
    return _compiled(r"\b(?:" + "|".join(re.escape(str(p)) for p in phrases) + r")\b")


def _condition_openers(data: Mapping[str, Any]) -> re.Pattern[str]:
    """An opener ("when", "unless") or a word for people and its link ("people with"): what
    follows the match is the condition."""

    def alternatives(words: Iterable[str]) -> str:
        return "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))

    return _compiled(
        rf"\b(?:{alternatives(data['openers'])})\b"
        rf"|\b(?:{alternatives(data['holders'])})\s+(?:{alternatives(data['holder_links'])})\b"
    )


def _opposites(pairs: Iterable[Sequence[str]]) -> dict[str, str]:
    return {a: b for x, y in pairs for a, b in ((x, y), (y, x))}


def _word_phrases(words: Iterable[str]) -> tuple[Phrase, ...]:
    return tuple(p for p in (tuple(_words(str(w))) for w in words) if p)


def _index_members(
    groups: Sequence[tuple[Phrase, ...]],
) -> dict[str, tuple[tuple[int, Phrase], ...]]:
    index: dict[str, list[tuple[int, Phrase]]] = defaultdict(list)
    for number, group in enumerate(groups):
        for member in group:
            index[member[0]].append((number, member))
    return {first: tuple(members) for first, members in index.items()}


def _single_word_groups(groups: Sequence[tuple[Phrase, ...]]) -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = defaultdict(set)
    for number, group in enumerate(groups):
        for member in group:
            if len(member) == 1:
                index[member[0]].add(number)
    return {word: frozenset(numbers) for word, numbers in index.items()}


def _spelled(mapping: Groups) -> list[list[str]]:
    return [[" ".join(phrase) for phrase in phrases] for phrases in mapping.values()]


@functools.cache
def paraphrase_rules() -> ParaphraseRules:
    """The bundled rules, with the clinical terms of `analyse/clinical_terms.txt` and the
    glossary's plain explanations (`compose/glossary.yaml`, reviewed reader-facing wording:
    a sentence may say "strong painkillers" where its source says "opioids"); read once."""
    text = resources.files("bedside.verify").joinpath("paraphrase_rules.yaml").read_text("utf-8")
    return ParaphraseRules.from_mapping(
        yaml.safe_load(text), key_terms=_clinical_key_terms(), glossary=_glossary_entries()
    )


# The sections of clinical_terms.txt that name people, care and what people ask about ("doctor",
# "treatment", "chronic") say nothing a paraphrase could get wrong by naming; the rest (anatomy,
# symptoms, conditions, tests, treatments) name things, and a sentence may only name those its
# sources name.
_FRAMING_SECTIONS = ("care, people and places", "what people ask about")


def _clinical_key_terms() -> list[str]:
    text = resources.files("bedside.analyse").joinpath("clinical_terms.txt").read_text("utf-8")
    terms: list[str] = []
    framing = True
    for line in text.splitlines():
        if line.startswith("# --"):
            framing = any(name in line for name in _FRAMING_SECTIONS)
        elif line.strip() and not line.startswith("#") and not framing:
            terms.append(line.strip())
    return terms


def _glossary_entries() -> list[list[str]]:
    """Each glossary term with its aliases and its plain explanation, examples cut off."""
    text = resources.files("bedside.compose").joinpath("glossary.yaml").read_text("utf-8")
    return [
        [
            str(entry["term"]),
            *map(str, entry.get("aliases") or ()),
            _EXAMPLES.sub("", entry["plain"]),
        ]
        for entry in yaml.safe_load(text)
    ]


def as_phrase(text: str, irregular: Mapping[str, str] | None = None) -> Phrase:
    """A word or phrase as the stems of its words ("blood thinners" → ("blood", "thinner")),
    number words as digits, irregular forms as their base ("given" → "give")."""
    irregular = irregular if irregular is not None else paraphrase_rules().irregular_forms
    return tuple(stem(irregular.get(token, token)) for token in _words(text))


def _words(text: str) -> list[str]:
    """Lower-case words, hyphens as spaces, "NICE's" as "nice", number words as digits."""
    tokens = word_tokens(normalise_numbers(text).replace("-", " "))
    return [token.removesuffix("'s") for token in tokens]


def check_paraphrase(
    sentence: str,
    passages: Sequence[str],
    *,
    min_overlap: float,
    rules: ParaphraseRules | None = None,
) -> ParaphraseSupport:
    """Whether the passages, together, support a sentence that rewords them (see the module
    docstring); each cited passage must give some of it."""
    rules = rules or paraphrase_rules()
    whole = _Text(sentence, rules)
    sources = _Pool([_Text(passage, rules) for passage in passages], rules)
    source_clauses = [
        _Pool([_Text(clause, rules)], rules) for passage in passages for clause in clauses(passage)
    ]
    pairs = [
        (clause, _best_match(clause, source_clauses))
        for clause in (_Text(part, rules) for part in clauses(sentence))
        if clause.content
    ]
    related = _related_sentences(whole, [clause for clause, _ in pairs], passages, rules)
    bearing = _bearing_clauses(whole, pairs, source_clauses)
    findings = [
        Finding("number", problem)
        for problem in unsupported_quantities(sentence, passages, rules.quantities)
    ]
    findings += _polarity_findings(whole, pairs, source_clauses, related, rules)
    findings += _scoped_negation_findings(whole, related, rules)
    findings += _negated_direction_findings(whole, related, rules)
    findings += _contrast_findings(pairs, passages, rules)
    findings += _binding_findings(sentence, passages, rules)
    findings += _swapped_number_findings(sentence, passages, rules)
    findings += _direction_findings(pairs, sources, rules)
    findings += _qualifier_findings(whole, bearing, related, sources, rules)
    findings += _hedge_findings(whole, pairs, sources, rules)
    findings += _population_findings(whole, bearing, sources, rules)
    findings += _condition_findings(whole, bearing, rules)
    findings += _named_thing_findings(sentence, whole, passages, sources, rules)
    overlap = sources.share_found(whole)
    if overlap < min_overlap:
        missing = ", ".join(dict.fromkeys(w for w in whole.content if not sources.found(w)))
        findings.append(
            Finding("overlap", f"only {overlap:.0%} of its words are in the cited passages "
                    f"(not found: {missing})")
        )  # fmt: skip
    findings += _unused_citations(whole, passages, rules)
    return ParaphraseSupport(overlap=overlap, findings=tuple(dict.fromkeys(findings)))


def clauses(text: str) -> list[str]:
    """The clauses of `text` (see `_CLAUSE_END`); a very short one joins the next."""
    parts: list[str] = []
    carried = ""
    for part in _CLAUSE_END.split(text):
        if not part or not part.strip():
            continue
        part = f"{carried} {part}".strip() if carried else part
        carried = part if len(word_tokens(part)) < _SHORTEST_CLAUSE else ""
        if not carried:
            parts.append(part)
    if carried:
        parts.append(carried)
    return parts or [text]


def _bearing_clauses(
    sentence: _Text, pairs: Sequence[tuple[_Text, _Pool]], source_clauses: Sequence[_Pool]
) -> list[_Pool]:
    """The source clauses a sentence draws on: the nearest to each of its clauses, and any
    whose content it mostly holds."""
    said = _Pool([sentence], pairs[0][1].rules) if pairs else None
    chosen = {id(source) for _, source in pairs}
    bearing = []
    for clause in source_clauses:
        content = clause.texts[0].content
        held = sum(said.found(w) for w in content) / max(len(content), 1) if said else 0.0
        if id(clause) in chosen or held >= _HELD_CLAUSE:
            bearing.append(clause)
    return bearing


def _related_sentences(
    sentence: _Text, own_clauses: Sequence[_Text], passages: Sequence[str], rules: ParaphraseRules
) -> list[_Text]:
    """The source sentences a paraphrase draws on: the nearest to each of its clauses, and any
    whose content it largely holds."""
    candidates = [
        _Pool([_Text(part, rules)], rules)
        for passage in passages
        for part in _SENTENCE_END.split(passage)
        if part.strip()
    ]
    if not candidates:
        return []
    chosen = {id(_best_match(clause, candidates)) for clause in own_clauses}
    said = _Pool([sentence], rules)
    related = []
    for candidate in candidates:
        text = candidate.texts[0]
        held = sum(said.found(word) for word in text.content) / max(len(text.content), 1)
        if id(candidate) in chosen or held >= _RELATED_SHARE:
            related.append(text)
    return related


# -- the text as words and stems ----------------------------------------------------------------


class _Text:
    """A sentence, clause or passage: its words, their stems in order, and its content words
    (stems of words that are not stop words, framing words or numbers)."""

    def __init__(self, text: str, rules: ParaphraseRules) -> None:
        self.raw = text.strip()
        self.words: Phrase = tuple(_words(text))
        self.stems: Phrase = tuple(stem(rules.irregular_forms.get(w, w)) for w in self.words)
        self.stem_set = frozenset(self.stems)
        self.word_set = frozenset(self.words)
        framing = {
            i
            for phrase in rules.framing
            if phrase[0] in self.stem_set
            for i in _positions(phrase, self.stems)
        }
        self.content: list[str] = [
            self.stems[i]
            for i, word in enumerate(self.words)
            if word not in STOP_WORDS and i not in framing and not word[0].isdigit()
        ]
        self._stem_starts = _starts(self.stems)
        self._word_starts = _starts(self.words)

    def has(self, phrase: Phrase) -> bool:
        """Whether the stems hold `phrase` (stems)."""
        return _holds(self.stems, self._stem_starts, phrase)

    def says(self, phrase: Phrase) -> bool:
        """Whether the words hold `phrase` (words)."""
        return _holds(self.words, self._word_starts, phrase)

    def says_any(self, phrases: Iterable[Phrase]) -> bool:
        return any(self.says(phrase) for phrase in phrases)

    def classes(self, groups: Groups) -> set[str]:
        """The names of the groups (directions, qualifiers, populations …) this text speaks of."""
        return {name for name, phrases in groups.items() if self.says_any(phrases)}


class _Pool:
    """Source texts taken together: what a sentence's words may be found in."""

    def __init__(self, texts: Sequence[_Text], rules: ParaphraseRules) -> None:
        self.texts = texts
        self.rules = rules
        self.stem_set = frozenset().union(*(text.stem_set for text in texts))
        # The equivalence groups with a member here: their other members count as found.
        active = {
            number
            for first in self.stem_set
            for number, member in rules.members_by_first.get(first, ())
            if self.has(member)
        }
        self.groups = [rules.equivalents[number] for number in sorted(active)]
        self._equivalent = {word for group in self.groups for member in group for word in member}
        self._found: dict[str, bool] = {}

    def has(self, phrase: Phrase) -> bool:
        return any(text.has(phrase) for text in self.texts)

    def says_any(self, phrases: Iterable[Phrase]) -> bool:
        return any(text.says_any(phrases) for text in self.texts)

    def classes(self, groups: Groups) -> set[str]:
        return set().union(*(text.classes(groups) for text in self.texts))

    def names(self, phrase: Phrase) -> bool:
        """The sources name this term: in its words, inside a listed equivalent of something
        they say, or (one word) another form of it."""
        if self.has(phrase):
            return True
        if any(_inside(phrase, member) for group in self.groups for member in group):
            return True
        return len(phrase) == 1 and self.found(phrase[0])

    def found(self, word: str) -> bool:
        """A sentence's word is here: itself, a longer or shorter form ("radicular" for
        "radiculopathy"), or a word of an equivalent of something here."""
        if word not in self._found:
            self._found[word] = (
                word in self.stem_set
                or word in self._equivalent
                or any(_same_word(word, other) for other in self.stem_set)
            )
        return self._found[word]

    def share_found(self, text: _Text) -> float:
        if not text.content:
            return 0.0
        return sum(self.found(word) for word in text.content) / len(text.content)

    @property
    def raw(self) -> str:
        return " ".join(text.raw for text in self.texts)


def _starts(items: Phrase) -> dict[str, list[int]]:
    where: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        where[item].append(index)
    return where


def _holds(items: Phrase, starts: Mapping[str, list[int]], phrase: Phrase) -> bool:
    size = len(phrase)
    return any(items[i : i + size] == phrase for i in starts.get(phrase[0], ()))


def _positions(phrase: Phrase, within: Phrase) -> set[int]:
    """Indexes of `within` covered by occurrences of `phrase`."""
    size = len(phrase)
    covered: set[int] = set()
    for start in range(len(within) - size + 1):
        if within[start : start + size] == phrase:
            covered.update(range(start, start + size))
    return covered


def _inside(short: Phrase, long: Phrase) -> bool:
    return len(short) <= len(long) and bool(_positions(short, long))


def _same_word(left: str, right: str) -> bool:
    shorter = min(len(left), len(right))
    if shorter < _SHARED_PREFIX or left[:_SHARED_PREFIX] != right[:_SHARED_PREFIX]:
        return False
    shared = _SHARED_PREFIX
    while shared < shorter and left[shared] == right[shared]:
        shared += 1
    return shared >= _PREFIX_SHARE * shorter


def _best_match(clause: _Text, candidates: Sequence[_Pool]) -> _Pool:
    """The source clause that says most of what `clause` says."""

    def score(candidate: _Pool) -> tuple[float, float]:
        found = sum(candidate.found(word) for word in clause.content)
        own = len(candidate.texts[0].content) or 1
        return (found / max(len(clause.content), 1), found / (own + len(clause.content)))

    return max(candidates, key=score)


def _unused_citations(
    sentence: _Text, passages: Sequence[str], rules: ParaphraseRules
) -> list[Finding]:
    if len(passages) < 2 or not sentence.content:
        return []
    needed = max(1, math.ceil(_CITATION_SHARE * len(sentence.content)))
    findings = []
    for index, passage in enumerate(passages):
        pool = _Pool([_Text(passage, rules)], rules)
        if sum(pool.found(word) for word in sentence.content) < needed:
            findings.append(
                Finding("citation_unused", f"cited passage {index + 1} gives too little of it")
            )
    return findings


# -- polarity ------------------------------------------------------------------------------------


def _polarity(text: str, rules: ParaphraseRules) -> int:
    return _cue_count(text, rules) % 2


def _cue_count(text: str, rules: ParaphraseRules) -> int:
    return len(rules.negation.findall(rules.not_negations.sub(" ", text)))


def _polarity_findings(
    sentence: _Text,
    pairs: Sequence[tuple[_Text, _Pool]],
    source_clauses: Sequence[_Pool],
    related: Sequence[_Text],
    rules: ParaphraseRules,
) -> list[Finding]:
    """Clause by clause, the polarity of the source clause each matches. A sentence and its
    sources seldom break into clauses at the same places ("X, and Y" against "X and Y"), so a
    sentence whose polarity as a whole is that of the source sentences it draws on passes too;
    a flip inside it is then left to `_scoped_negation_findings`."""
    sentence_agrees = _polarity(sentence.raw, rules) == (
        sum(_cue_count(source.raw, rules) for source in related) % 2
    )
    if sentence_agrees:
        return _preference_findings(pairs, rules)
    findings = [
        Finding("negation", f"“{clause.raw}” is {_sign(clause.raw, rules)}; its source "
                f"“{source.raw}” is not")
        for clause, source in pairs
        if _polarity(clause.raw, rules) != _polarity(source.raw, rules)
    ]  # fmt: skip
    findings += _named_polarity_findings(pairs, source_clauses, rules)
    findings += _preference_findings(pairs, rules)
    return findings


def _sign(text: str, rules: ParaphraseRules) -> str:
    return "negative" if _polarity(text, rules) else "positive"


def _named_polarity_findings(
    pairs: Sequence[tuple[_Text, _Pool]], source_clauses: Sequence[_Pool], rules: ParaphraseRules
) -> list[Finding]:
    """A name, drug or procedure keeps the polarity its sources give it: "both the ACP and NICE
    offer acupuncture" is not what "… for the ACP but is not offered under NICE guidance" says."""
    findings = []
    for clause, _ in pairs:
        for thing in _named_things(clause.raw, rules):
            naming = [source for source in source_clauses if source.names(thing)]
            polarity = _polarity(clause.raw, rules)
            if naming and all(_polarity(s.raw, rules) != polarity for s in naming):
                findings.append(
                    Finding("negation", f"says of '{' '.join(thing)}' the opposite of its source")
                )
    return findings


def _named_things(text: str, rules: ParaphraseRules) -> list[Phrase]:
    names = [as_phrase(name, rules.irregular_forms) for name in _names(text)]
    names += [as_phrase(term, rules.irregular_forms) for term in _interventions(text)]
    names += [as_phrase(drug.as_written, rules.irregular_forms) for drug in _drugs(text)]
    return list(dict.fromkeys(name for name in names if name))


# The same passages are checked against sentence after sentence of one draft.
@functools.lru_cache(maxsize=4096)
def _interventions(text: str) -> tuple[str, ...]:
    return find_interventions(text)


@functools.lru_cache(maxsize=4096)
def _drugs(text: str) -> tuple[DrugMention, ...]:
    return find_drugs(text)


def _names(text: str) -> list[str]:
    """Names written in capitals or capitalised inside the text ("NICE", "Amsterdam")."""
    first = re.match(r"\W*\w+", text)
    start = first.end() if first else 0
    return [match.group() for match in _NAME.finditer(text, start)]


def _preference_findings(
    pairs: Sequence[tuple[_Text, _Pool]], rules: ParaphraseRules
) -> list[Finding]:
    """ "Stay active rather than rest in bed" may not become "rest in bed rather than stay
    active"."""
    findings = []
    for clause, source in pairs:
        said = _preference(clause.raw, rules)
        meant = _preference(source.raw, rules)
        if said is None or meant is None:
            continue
        (preferred, refused), (source_preferred, source_refused) = said, meant
        if preferred & source_refused and refused & source_preferred:
            findings.append(Finding("negation", "turns round what its source prefers"))
    return findings


def _scoped_negation_findings(
    sentence: _Text, related: Sequence[_Text], rules: ParaphraseRules
) -> list[Finding]:
    """What a source negates stays negated. A source cue governs its verb (the first content
    word after it, or the one just before: "do *not* offer", "recommends *against*") and that
    verb's object (the next content word). Where the sentence says the verb, a cue governs it
    there too; where it says only the object, a cue governs the object, or the object is the
    subject of a negated passive ("opioids should not be given")."""
    near = _negated_spots(sentence, rules)
    passive = near | _negated_subjects(sentence, rules)
    findings = []
    for source in related:
        for verbs, objects in _governed_by_negation(source, rules):
            said_verbs = _spots(sentence, verbs, rules)
            said_objects = _spots(sentence, objects, rules)
            if said_verbs:
                lost = not said_verbs & near
            else:
                lost = bool(said_objects) and not said_objects & passive
            if lost:
                words = " / ".join((*verbs, *objects))
                findings.append(
                    Finding("negation", f"says '{words}' without the negation of its source")
                )
    return findings


def _negated_direction_findings(
    sentence: _Text, related: Sequence[_Text], rules: ParaphraseRules
) -> list[Finding]:
    """A direction of effect the sentence negates ("does not *worsen*", "not *better*") its
    sources negate too: "worse or not better" does not support "not worse"."""
    findings = []
    for direction in sorted(_negated_directions(sentence, rules)):
        if not any(direction in _negated_directions(source, rules) for source in related):
            findings.append(
                Finding("negation", f"negates '{direction}', which its sources do not negate")
            )
    return findings


def _negated_directions(text: _Text, rules: ParaphraseRules) -> set[str]:
    found = set()
    for cue in _cue_positions(text, rules):
        reach = text.words[cue + 1 : cue + 1 + _NEGATION_REACH]
        for name, phrases in rules.directions.items():
            if any(_holds(reach, _starts(reach), phrase) for phrase in phrases):
                found.add(name)
    return found


def _spots(text: _Text, wanted: Sequence[str], rules: ParaphraseRules) -> set[int]:
    return {
        index
        for index, word in enumerate(text.stems)
        if any(_same_meaning(word, other, rules) for other in wanted)
    }


def _negated_spots(text: _Text, rules: ParaphraseRules) -> set[int]:
    """Where a word is governed by a negation cue: within reach after it, or just before it."""
    return {
        index
        for cue in _cue_positions(text, rules)
        for index in range(cue - 1, cue + _NEGATION_REACH + 1)
    }


_AUXILIARIES = frozenset({"should", "must", "can", "could", "may", "will", "is", "are", "do",
                          "does", "need", "needs"})  # fmt: skip
_SUBJECT_REACH = 6


def _negated_subjects(text: _Text, rules: ParaphraseRules) -> set[int]:
    """The words before "should not", "is not", "must never": the subject a passive negates."""
    spots: set[int] = set()
    for cue in _cue_positions(text, rules):
        if cue > 0 and text.words[cue - 1] in _AUXILIARIES:
            spots.update(range(max(0, cue - 1 - _SUBJECT_REACH), cue - 1))
    return spots


def _cue_positions(text: _Text, rules: ParaphraseRules) -> list[int]:
    """Indexes of the words of `text` where a negation cue starts."""
    cleaned = rules.not_negations.sub(lambda m: "x" * len(m.group()), text.raw)
    starts = [len(_words(cleaned[: match.start()])) for match in rules.negation.finditer(cleaned)]
    return [start for start in starts if start < len(text.words)]


def _governed_by_negation(
    text: _Text, rules: ParaphraseRules
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each negation cue, the stems of the verb it governs (the first content word after
    it, and the content word just before it) and of that verb's object (the next one after)."""
    found = []
    for cue in _cue_positions(text, rules):
        after = [
            index
            for index in range(cue + 1, min(cue + 1 + _NEGATION_REACH, len(text.words)))
            if _governable(text.words[index], rules)
        ]
        before = [cue - 1] if cue > 0 and _governable(text.words[cue - 1], rules) else []
        verbs = tuple(text.stems[index] for index in (*before, *after[:1]))
        objects = tuple(text.stems[index] for index in after[1:2])
        if verbs or objects:
            found.append((verbs, objects))
    return found


def _governable(word: str, rules: ParaphraseRules) -> bool:
    return (
        word not in STOP_WORDS
        and word not in rules.qualifier_words
        and not word[:1].isdigit()
        and not rules.negation.fullmatch(word)
    )


def _same_meaning(word: str, other: str, rules: ParaphraseRules) -> bool:
    if word == other or _same_word(word, other):
        return True
    groups = rules.single_word_groups
    return bool(groups.get(word, frozenset()) & groups.get(other, frozenset()))


_CONTRAST = re.compile(r",?\s+(?:but|whereas|while|although|though|yet)\s+", re.IGNORECASE)
# Words a clause takes from the other side of its source's contrast before it counts as mixing
# the two ("pre-bronchodilator spirometry … to confirm the diagnosis").
_MIXED_WORDS = 2


def _contrast_findings(
    pairs: Sequence[tuple[_Text, _Pool]], passages: Sequence[str], rules: ParaphraseRules
) -> list[Finding]:
    """A clause may not join the two sides of a contrast its source draws ("A allows X, but
    requires Y to confirm" is not "X is enough to confirm")."""
    findings = []
    for clause, source in pairs:
        for passage in passages:
            sides = _CONTRAST.split(source.raw, maxsplit=1)
            whole = next((s for s in _SENTENCE_END.split(passage) if source.raw in s), "")
            parts = _CONTRAST.split(whole, maxsplit=1)
            if len(sides) > 1 or len(parts) < 2 or source.raw not in parts:
                continue
            other = _Pool([_Text(parts[1] if parts[0] == source.raw else parts[0], rules)], rules)
            own = source
            borrowed = [w for w in clause.content if other.found(w) and not own.found(w)]
            if len(set(borrowed)) >= _MIXED_WORDS:
                findings.append(
                    Finding("contrast", f"“{clause.raw}” joins both sides of its source's contrast")
                )
    return findings


# A number is said of the population named right after it through these words ("2 or more
# *in men*").
_BINDING_WORDS = frozenset({"in", "among", "for"})
_BINDING_REACH = 5


def _binding_findings(
    sentence: str, passages: Sequence[str], rules: ParaphraseRules
) -> list[Finding]:
    """Each number stays with the population its source says it of: "2 or more in men and 3 or
    more in women" is not "2 or more in women and 3 or more in men"."""
    said = _bindings(sentence, rules)
    meant: dict[str, set[str]] = defaultdict(set)
    for passage in passages:
        for value, population in _bindings(passage, rules):
            meant[value].add(population)
    return [
        Finding("number", f"{value}: its source says it of others than {_label(population)}")
        for value, population in said
        if meant.get(value) and population not in meant[value]
    ]


def _bindings(text: str, rules: ParaphraseRules) -> list[tuple[str, str]]:
    """(value, population) for each number of `text` followed by "in / among / for" and a
    population."""
    words = tuple(_words(text))
    starts = {
        start: name
        for name, phrases in rules.populations.items()
        for phrase in phrases
        for start in range(len(words) - len(phrase) + 1)
        if words[start : start + len(phrase)] == phrase
    }
    found = []
    for index, word in enumerate(words):
        if not word[:1].isdigit():
            continue
        for after in range(index + 1, min(index + _BINDING_REACH, len(words) - 1)):
            if words[after][:1].isdigit():
                break
            if words[after] in _BINDING_WORDS and after + 1 in starts:
                found.append((word, starts[after + 1]))
                break
    return found


# A number's neighbours stop at punctuation ("(since superseded by the 2026 guideline)" is not
# about the "2018" before it) and at "and" / "or" joining another item ("… for 5 days or
# trimethoprim …"), but not at a bound or range ("2 or more", "100 mg a day or less").
_NEIGHBOURHOOD_END = re.compile(
    r"[,;:()\[\]]|[.!?](?=\s|$)"
    r"|\s(?:and|or|but|while|whereas)\s(?!\d|less|more|over|under|above|below|fewer|older|"
    r"younger|higher|lower|greater)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Placed:
    """A value with the content words (stems) beside it: `before` nearest last, `after`
    nearest first."""

    quantity: Quantity
    before: Phrase
    after: Phrase

    @property
    def words(self) -> Phrase:
        return (*self.before, *self.after)


def _swapped_number_findings(
    sentence: str, passages: Sequence[str], rules: ParaphraseRules
) -> list[Finding]:
    """A value the passages give, placed where they give another value of its unit: "the 2026
    ACC/AHA guideline" where they say "the 2018 ACC/AHA guideline (since superseded by the 2026
    guideline)". Only neighbours that tell the two values apart count: "advises starting" beside
    both says nothing."""
    given = [placed for passage in passages for placed in _placed_numbers(passage, rules)]
    findings = []
    for said in _placed_numbers(sentence, rules):
        rival = _rival_value(said, given, rules)
        if rival is not None:
            findings.append(
                Finding("number", f"{said.quantity.describe()}: the cited passages say "
                        f"{rival.quantity.describe()} beside those words")
            )  # fmt: skip
    return findings


def _rival_value(said: _Placed, given: Sequence[_Placed], rules: ParaphraseRules) -> _Placed | None:
    """Another value of the sentence value's unit whose neighbours in the passages are more
    like its own than the value's own are, if there is one."""
    same_unit = [g for g in given if g.quantity.unit == said.quantity.unit]
    own = [g for g in same_unit if g.quantity.value == said.quantity.value]
    if not own:
        return None  # not given with this unit: the quantity check's business
    for value in dict.fromkeys(g.quantity.value for g in same_unit if g not in own):
        rival = [g for g in same_unit if g.quantity.value == value]
        evidence = _evidence(said, rival, own, rules)
        if evidence >= rules.number_min_evidence and evidence > _evidence(said, own, rival, rules):
            return rival[0]
    return None


def _evidence(
    said: _Placed, these: Sequence[_Placed], others: Sequence[_Placed], rules: ParaphraseRules
) -> int:
    """How many of the sentence value's neighbours stand beside `these` occurrences and beside
    none of `others`; the nearest on each side count `number_nearest_weight` times when they
    are the nearest there too ("the word before it": "febuxostat at 40 mg")."""
    if not these:
        return 0

    def beside(word: str, places: Sequence[_Placed]) -> bool:
        return any(_same_meaning(word, other, rules) for p in places for other in p.words)

    def nearest(word: str, places: Sequence[_Placed], side: int) -> bool:
        return any(
            _same_meaning(word, (p.before[-1:], p.after[:1])[side][0], rules)
            for p in places
            if (p.before, p.after)[side]
        )

    shared = sum(beside(w, these) and not beside(w, others) for w in said.words)
    sides = ((said.before[-1:], 0), (said.after[:1], 1))
    closest = sum(
        nearest(word[0], these, side) and not nearest(word[0], others, side)
        for word, side in sides
        if word
    )
    return shared + (rules.number_nearest_weight - 1) * closest


def _placed_numbers(text: str, rules: ParaphraseRules) -> list[_Placed]:
    text = normalise_numbers(text)
    stops = [(m.start(), m.end()) for m in _NEIGHBOURHOOD_END.finditer(text)]
    placed = []
    for quantity, start, end in placed_quantities(text, rules.quantities):
        left = max((stop for _, stop in stops if stop <= start), default=0)
        right = min((stop for stop, _ in stops if stop >= end), default=len(text))
        before = _neighbours(text[left:start], rules)[-rules.number_window :]
        after = _neighbours(text[end:right], rules)[: rules.number_window]
        placed.append(_Placed(quantity, before, after))
    return placed


def _neighbours(text: str, rules: ParaphraseRules) -> Phrase:
    """The content words of `text` that are not units: a unit is compared by the quantity
    check, and here only values of one unit are compared."""
    return tuple(word for word in _Text(text, rules).content if word not in rules.unit_stems)


def _preference(text: str, rules: ParaphraseRules) -> tuple[set[str], set[str]] | None:
    match = rules.preferences.search(text)
    if match is None:
        return None
    before = _Text(text[: match.start()], rules).content[-_PREFERENCE_WINDOW:]
    after = _Text(text[match.end() :], rules).content[:_PREFERENCE_WINDOW]
    return set(before), set(after)


# -- what else must not change --------------------------------------------------------------------


def _direction_findings(
    pairs: Sequence[tuple[_Text, _Pool]], sources: _Pool, rules: ParaphraseRules
) -> list[Finding]:
    def directions(text: _Text) -> set[str]:
        return _Text(rules.not_directions.sub(" ", text.raw), rules).classes(rules.directions)

    anywhere = set().union(*(directions(text) for text in sources.texts))
    findings = []
    for clause, source in pairs:
        in_source = set().union(*(directions(text) for text in source.texts))
        for direction in sorted(directions(clause) - in_source):
            opposed = rules.opposite_directions.get(direction) in in_source
            if opposed or direction not in anywhere:
                findings.append(
                    Finding("direction", f"says '{direction}' where its source does not")
                )
    return findings


def _qualifier_findings(
    sentence: _Text,
    bearing: Sequence[_Pool],
    related: Sequence[_Text],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    said = sentence.classes(rules.qualifiers) | sentence.classes(rules.clause_qualifiers)
    in_sources = sources.classes(rules.qualifiers) | sources.classes(rules.clause_qualifiers)
    findings = [
        Finding("qualifier_added", f"says '{_label(name)}'; the cited passages do not")
        for name in sorted(said - in_sources)
    ]
    sentence_pool = _Pool([sentence], rules)
    for source in related:
        for name, head in _qualified_heads(source, rules):
            if sentence_pool.found(head) and not sentence.says_any(rules.qualifiers[name]):
                findings.append(
                    Finding(
                        "qualifier_dropped",
                        f"drops '{_label(name)}', which its source says of '{head}'",
                    )
                )
    for pool in bearing:
        for name in sorted(pool.classes(rules.clause_qualifiers) - said):
            findings.append(
                Finding("qualifier_dropped", f"drops '{_label(name)}' from “{pool.raw}”")
            )
    return findings


_JOINING = frozenset({"and", "or", "to"})
_LINKING_VERBS = frozenset({"is", "are", "was", "were", "be", "been", "being", "becomes"})


def _qualified_heads(source: _Text, rules: ParaphraseRules) -> list[tuple[str, str]]:
    """(qualifier, the stem of the word it qualifies) for each qualifier of a source clause:
    the first content word after it that is neither another qualifier nor a joining word
    ("acute and severe sciatica": both qualify "sciatica"); for a qualifier at the end ("if
    your asthma is mild", "places denosumab second-line"), the content word before it."""
    words = source.words
    ends: dict[int, tuple[str, int]] = {}  # where a qualifier starts → (its name, its end)
    for name, phrases in rules.qualifiers.items():
        for phrase in phrases:
            for start in range(len(words) - len(phrase) + 1):
                if words[start : start + len(phrase)] == phrase:
                    ends[start] = (name, start + len(phrase))
    found = []
    for start, (name, end) in ends.items():
        index = end
        while index < len(words) and (index in ends or words[index] in _JOINING):
            index = ends[index][1] if index in ends else index + 1
        if index < len(words) and words[index] not in STOP_WORDS:
            found.append((name, source.stems[index]))
            continue
        before = start - 1
        # "is usually tried first", "becomes very advanced": the head is further back.
        while before >= 0 and (
            words[before] in _LINKING_VERBS
            or words[before] in STOP_WORDS
            or words[before].endswith("ly")
        ):
            before -= 1
        if before >= 0 and before not in ends:
            found.append((name, source.stems[before]))
    return found


def _hedge_findings(
    sentence: _Text,
    pairs: Sequence[tuple[_Text, _Pool]],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    # A hedge anywhere in the sentence counts: sentence and source split into clauses at
    # different places too often for a clause-by-clause test.
    hedged = sentence.classes(rules.hedges)
    findings = [
        Finding("hedge_dropped", f"states “{clause.raw}” without the {kind} hedge of its source")
        for clause, source in pairs
        for kind in sorted(source.classes(rules.hedges) - hedged)
    ]
    findings += [
        Finding("certainty_added", f"says '{name}'; the cited passages do not")
        for name in sorted(sentence.classes(rules.certainty) - sources.classes(rules.certainty))
    ]
    findings += [
        Finding("quantifier_raised", f"“{clause.raw}” says for all what its source says for some")
        for clause, source in pairs
        if clause.says_any(rules.all_words)
        and source.says_any(rules.some_words)
        and not source.says_any(rules.all_words)
    ]
    findings += [
        Finding("action_added", f"advises '{_label(name)}'; the cited passages do not")
        for name in sorted(sentence.classes(rules.actions) - sources.classes(rules.actions))
    ]
    findings += [
        Finding("frequency_added", f"says how often ('{name}'); the cited passages do not")
        for name in sorted(sentence.classes(rules.frequencies) - sources.classes(rules.frequencies))
    ]
    for clause, source in pairs:
        combined = clause.says_any(rules.combination) and not source.says_any(rules.combination)
        alternatives = source.says_any(rules.alternatives)
        if combined and alternatives and not clause.says_any(rules.alternatives):
            findings.append(
                Finding("combination", f"“{clause.raw}” joins what its source offers as options")
            )
    return findings


def _population_findings(
    sentence: _Text, bearing: Sequence[_Pool], sources: _Pool, rules: ParaphraseRules
) -> list[Finding]:
    named = sentence.classes(rules.populations)
    findings = [
        Finding("population_added", f"speaks of {_label(name)}; the cited passages do not")
        for name in sorted(named - sources.classes(rules.populations))
    ]
    restricting = {
        name
        for source in bearing
        for name in source.classes(rules.populations) - rules.unrestricting_populations
    }
    findings += [
        Finding("population_dropped", f"drops '{_label(name)}', whom its source is about")
        for name in sorted(restricting - named)
    ]
    return findings


# A condition ends at punctuation or where its examples start ("alarm features such as …").
_CONDITION_END = re.compile(
    r"[,;:()\[\]]|[.!?](?=\s|$)|\s(?:such as|for example|e\.g\.|including|like)\s", re.IGNORECASE
)


def _condition_findings(
    sentence: _Text, bearing: Sequence[_Pool], rules: ParaphraseRules
) -> list[Finding]:
    """A condition a source clause limits its claim by stays in the sentence, in any words and
    anywhere: "in people with … alarm features", "when an antibiotic is needed"."""
    said = _Pool([sentence], rules)
    numbers = {word for word in sentence.words if word[:1].isdigit()}
    return [
        Finding("condition_dropped", f"drops the condition “{condition.raw}” of its source")
        for source in bearing
        for condition in _conditions(source.raw, rules)
        if not _condition_kept(condition, said, numbers, rules)
    ]


def _conditions(text: str, rules: ParaphraseRules) -> list[_Text]:
    """Each condition of `text`: from its opener to punctuation, examples or the next opener."""
    masked = rules.not_conditions.sub(lambda m: "x" * len(m.group()), text)
    openers = list(rules.conditions.finditer(masked))
    found = []
    for index, opener in enumerate(openers):
        limit = openers[index + 1].start() if index + 1 < len(openers) else len(text)
        end = _CONDITION_END.search(text, opener.end(), limit)
        condition = _Text(text[opener.end() : end.start() if end else limit], rules)
        if condition.content:
            found.append(condition)
    return found


def _condition_kept(
    condition: _Text, said: _Pool, numbers: set[str], rules: ParaphraseRules
) -> bool:
    """Its first content word (what it is about), enough of the rest, and its numbers. Bound
    words ("over 65") go with their number, which the quantity check compares."""
    bounds = {stem(word) for word in rules.quantities.single_word_bounds()}
    held = [said.found(word) for word in condition.content if word not in bounds]
    if not held:
        return True
    enough = sum(held) >= rules.condition_min_share * len(held)
    own_numbers = {word for word in condition.words if word[:1].isdigit()}
    return held[0] and enough and own_numbers <= numbers


def _named_thing_findings(
    sentence: str,
    sentence_text: _Text,
    passages: Sequence[str],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    """Drugs, procedures, clinical terms and names the sentence gives that the sources do not
    name, in these words or a listed equivalent."""
    named = [term for term in rules.key_terms if sentence_text.has(term)]
    named += _named_things(sentence, rules)
    # Inside a longer term the sentence names ("back" in "low back pain"), a word is not named
    # on its own.
    named = [t for t in named if not any(t != other and _inside(t, other) for other in named)]
    findings = [
        Finding("not_in_source", f"names '{' '.join(term)}'; the cited passages do not")
        for term in dict.fromkeys(named)
        if not sources.names(term)
    ]
    source_drugs = {name for p in passages for d in _drugs(p) for name in d.names()}
    findings += [
        Finding("not_in_source", f"names '{drug.as_written}'; the cited passages do not")
        for drug in _drugs(sentence)
        if not set(drug.names()) & source_drugs
        and not sources.names(as_phrase(drug.as_written, rules.irregular_forms))
    ]
    return findings


def _label(name: str) -> str:
    return name.replace("_", " ")
