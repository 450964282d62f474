"""Is a reworded sentence faithful to the passages it cites? The check for model-written text.

`support.py` proves support word for word, which a sentence copied from its passage passes and a
paraphrase cannot. A language model rewrites; so here the sentence may use other words, but
nothing that makes a clinical fact differ may change (rules in `paraphrase_rules.yaml`):

- every quantity: value, unit and bound ("at least 12%") are in a cited passage (`quantities.py`);
- each clause has the polarity (parity of negation cues) of the source clause it best matches, and
  no direction of effect ("reduces" → "increases") that clause opposes or the sources lack;
- no population, drug, procedure or clinical term the cited passages do not name;
- no restricting qualifier added ("severe" for "mild") or dropped ("severe sciatica" written
  "sciatica"); no hedge dropped ("consider" written "offer"); no certainty added ("always");
- enough of its wording is the sources' own or a listed equivalent (`min_overlap`), and every
  passage it cites gives some of it.

Each failure is a `Finding` with a code and a sentence a reviewer can read. Measured on
benchmarks/paraphrases.jsonl by benchmarks/paraphrase_support.py (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import find_interventions
from bedside.analyse.terms import STOP_WORDS, stem, word_tokens
from bedside.verify.quantities import QuantityRules, normalise_numbers, unsupported_quantities

# Clause boundaries for sentences and passages alike: sentence ends, semicolons, colons, and a
# comma or "but" that joins two claims ("offer X, and do not offer Y").
_CLAUSE_END = re.compile(
    r"(?<=[.!?;:])\s+|,\s+(?=(?:and|but|while|whereas|although|though|so|or|as)\b)|\s+but\s+"
    r"|\s*\n\s*"
)
# Two different words are one when they share this long a beginning, and it is most of the
# shorter ("radicular" / "radiculopathy", "titrate" / "titration").
_SHARED_PREFIX = 5
_PREFIX_SHARE = 0.75
# A cited passage must give at least this share of the sentence's words (and at least one).
_CITATION_SHARE = 0.25

Phrase = tuple[str, ...]  # stems of a word or phrase, in order


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
    """`paraphrase_rules.yaml`, compiled; see the file for what each part means."""

    quantities: QuantityRules
    negation: re.Pattern[str]
    directions: Mapping[str, tuple[Phrase, ...]]
    opposite_directions: Mapping[str, str]
    qualifiers: Mapping[str, tuple[Phrase, ...]]
    opposite_qualifiers: Mapping[str, str]
    hedges: tuple[Phrase, ...]
    certainty: tuple[Phrase, ...]
    populations: Mapping[str, tuple[Phrase, ...]]
    unrestricting_populations: frozenset[str]
    framing: tuple[Phrase, ...]
    # the listed equivalents, and each group of directions, qualifiers and populations
    equivalents: tuple[tuple[Phrase, ...], ...]
    key_terms: tuple[Phrase, ...]  # clinical terms: anatomy, symptoms, conditions, tests, drugs
    irregular_forms: Mapping[str, str]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], key_terms: Iterable[str]) -> ParaphraseRules:
        irregular = {str(k): str(v) for k, v in data["irregular_forms"].items()}

        def phrases(words: Iterable[str]) -> tuple[Phrase, ...]:
            return tuple(p for p in (as_phrase(str(w), irregular) for w in words) if p)

        def opposites(pairs: Iterable[Sequence[str]]) -> dict[str, str]:
            return {a: b for x, y in pairs for a, b in ((x, y), (y, x))}

        directions = {name: phrases(words) for name, words in data["directions"].items()}
        qualifiers = {name: phrases(words) for name, words in data["qualifiers"].items()}
        populations = {name: phrases(words) for name, words in data["populations"].items()}
        listed = tuple(phrases(group) for group in data["equivalents"])
        # A clinical term is a thing a sentence names; one made only of common words ("frozen
        # shoulder" stems to "frozen should") would be "named" by any sentence with "should".
        terms = [p for p in phrases(key_terms) if not set(p) & STOP_WORDS]
        return cls(
            quantities=QuantityRules(
                units={name: tuple(map(str, s)) for name, s in data["units"].items()},
                above=tuple(data["bounds"]["above"]),
                below=tuple(data["bounds"]["below"]),
            ),
            negation=re.compile(data["negation"], re.IGNORECASE),
            directions=directions,
            opposite_directions=opposites(data["opposite_directions"]),
            qualifiers=qualifiers,
            opposite_qualifiers=opposites(data["opposite_qualifiers"]),
            hedges=phrases(data["hedges"]),
            certainty=phrases(data["certainty"]),
            populations=populations,
            unrestricting_populations=frozenset(data["unrestricting_populations"]),
            framing=phrases(data["framing"]),
            equivalents=(
                *listed,
                *directions.values(),
                *qualifiers.values(),
                *populations.values(),
            ),
            key_terms=tuple(terms),
            irregular_forms=irregular,
        )


@functools.cache
def paraphrase_rules() -> ParaphraseRules:
    """The bundled rules, with the clinical terms of `analyse/clinical_terms.txt`; read once."""
    text = resources.files("bedside.verify").joinpath("paraphrase_rules.yaml").read_text("utf-8")
    return ParaphraseRules.from_mapping(yaml.safe_load(text), _clinical_key_terms())


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


def as_phrase(text: str, irregular: Mapping[str, str] | None = None) -> Phrase:
    """A word or phrase as the stems of its words ("blood thinners" → ("blood", "thinner")),
    number words as digits, irregular forms as their base ("given" → "give")."""
    irregular = irregular if irregular is not None else paraphrase_rules().irregular_forms
    return tuple(stem(irregular.get(token, token)) for token in _tokens(text))


def _tokens(text: str) -> list[str]:
    return word_tokens(normalise_numbers(text).replace("-", " "))


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
        _Pool([_Text(clause, rules)], rules) for passage in passages for clause in _clauses(passage)
    ]
    pairs = [
        (clause, _best_match(clause, source_clauses))
        for clause in (_Text(part, rules) for part in _clauses(sentence))
        if clause.content
    ]
    findings = [
        Finding("number", problem)
        for problem in unsupported_quantities(sentence, passages, rules.quantities)
    ]
    findings += _polarity_findings(pairs, rules)
    findings += _direction_findings(pairs, sources, rules)
    findings += _qualifier_findings(whole, pairs, sources, rules)
    findings += _hedge_findings(whole, pairs, sources, rules)
    findings += _population_findings(whole, pairs, sources, rules)
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


# -- the text as stems ------------------------------------------------------------------------------


class _Text:
    """A sentence, clause or passage as stems: every word in order, and the content words (not
    stop words, framing words or numbers)."""

    def __init__(self, text: str, rules: ParaphraseRules) -> None:
        self.raw = text.strip()
        self.stems: Phrase = as_phrase(text, rules.irregular_forms)
        framing = {i for phrase in rules.framing for i in _positions(phrase, self.stems)}
        tokens = _tokens(text)
        self.content: list[str] = [
            self.stems[i]
            for i, token in enumerate(tokens)
            if token not in STOP_WORDS and i not in framing and not token[0].isdigit()
        ]
        self.stem_set = frozenset(self.stems)

    def has(self, phrase: Phrase) -> bool:
        return phrase[0] in self.stem_set and bool(_positions(phrase, self.stems))

    def has_any(self, phrases: Iterable[Phrase]) -> bool:
        return any(self.has(phrase) for phrase in phrases)

    def classes(self, groups: Mapping[str, tuple[Phrase, ...]]) -> set[str]:
        """The names of the groups (directions, qualifiers, populations) this text speaks of."""
        return {name for name, phrases in groups.items() if self.has_any(phrases)}


class _Pool:
    """Source texts taken together: what a sentence's words may be found in."""

    def __init__(self, texts: Sequence[_Text], rules: ParaphraseRules) -> None:
        self.texts = texts
        self.stem_set = frozenset().union(*(text.stem_set for text in texts))
        # The equivalence groups with a member here: their other members count as found.
        self.groups = [
            group for group in rules.equivalents if any(self.has(member) for member in group)
        ]
        self._equivalent = {word for group in self.groups for member in group for word in member}
        self._found: dict[str, bool] = {}

    def has(self, phrase: Phrase) -> bool:
        return any(text.has(phrase) for text in self.texts)

    def has_any(self, phrases: Iterable[Phrase]) -> bool:
        return any(self.has(phrase) for phrase in phrases)

    def names(self, phrase: Phrase) -> bool:
        """The sources name this term: in its words, a listed equivalent, or (one word) another
        form of it."""
        if self.has(phrase) or any(phrase in group for group in self.groups):
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

    def classes(self, groups: Mapping[str, tuple[Phrase, ...]]) -> set[str]:
        return set().union(*(text.classes(groups) for text in self.texts))

    @property
    def raw(self) -> str:
        return " ".join(text.raw for text in self.texts)


def _positions(phrase: Phrase, stems: Phrase) -> set[int]:
    """Indexes of `stems` covered by occurrences of `phrase`."""
    size = len(phrase)
    covered: set[int] = set()
    for start in range(len(stems) - size + 1):
        if stems[start : start + size] == phrase:
            covered.update(range(start, start + size))
    return covered


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE_END.split(text) if part and part.strip()] or [text]


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


# -- what must not change -------------------------------------------------------------------------


def _polarity(text: str, rules: ParaphraseRules) -> int:
    return len(rules.negation.findall(text)) % 2


def _polarity_findings(
    pairs: Sequence[tuple[_Text, _Pool]], rules: ParaphraseRules
) -> list[Finding]:
    return [
        Finding(
            "negation",
            f"“{clause.raw}” is {'negative' if _polarity(clause.raw, rules) else 'positive'}; "
            f"its source “{source.raw}” is not",
        )
        for clause, source in pairs
        if _polarity(clause.raw, rules) != _polarity(source.raw, rules)
    ]


def _direction_findings(
    pairs: Sequence[tuple[_Text, _Pool]], sources: _Pool, rules: ParaphraseRules
) -> list[Finding]:
    anywhere = sources.classes(rules.directions)
    findings = []
    for clause, source in pairs:
        in_source = source.classes(rules.directions)
        for direction in sorted(clause.classes(rules.directions) - in_source):
            opposed = rules.opposite_directions.get(direction) in in_source
            if opposed or direction not in anywhere:
                findings.append(
                    Finding("direction", f"says '{direction}' where its source does not")
                )
    return findings


def _qualifier_findings(
    sentence: _Text,
    pairs: Sequence[tuple[_Text, _Pool]],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    findings = [
        Finding("qualifier_added", f"says '{_label(name)}'; the cited passages do not")
        for name in sorted(sentence.classes(rules.qualifiers) - sources.classes(rules.qualifiers))
    ]
    sentence_pool = _Pool([sentence], rules)
    for _, source in pairs:
        for name, head in _qualified_heads(source.texts[0], rules):
            if sentence_pool.found(head) and not sentence.has_any(rules.qualifiers[name]):
                findings.append(
                    Finding(
                        "qualifier_dropped",
                        f"drops '{_label(name)}', which its source says of '{head}'",
                    )
                )
    return findings


def _qualified_heads(source: _Text, rules: ParaphraseRules) -> list[tuple[str, str]]:
    """(qualifier, the word it qualifies) for each qualifier of a source clause: the first word
    after it that is neither another qualifier nor a joining word ("acute and severe sciatica":
    both qualify "sciatica")."""
    stems = source.stems
    ends: dict[int, tuple[str, int]] = {}  # start of a qualifier → (its name, where it ends)
    for name, phrases in rules.qualifiers.items():
        for phrase in phrases:
            for start in range(len(stems) - len(phrase) + 1):
                if stems[start : start + len(phrase)] == phrase:
                    ends[start] = (name, start + len(phrase))
    found = []
    for name, end in ends.values():
        index = end
        while index < len(stems) and (index in ends or stems[index] in ("and", "or", "to")):
            index = ends[index][1] if index in ends else index + 1
        if index < len(stems) and stems[index] not in STOP_WORDS:
            found.append((name, stems[index]))
    return found


def _hedge_findings(
    sentence: _Text,
    pairs: Sequence[tuple[_Text, _Pool]],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    findings = [
        Finding("hedge_dropped", f"states “{clause.raw}” without the hedge of its source")
        for clause, source in pairs
        if source.has_any(rules.hedges) and not clause.has_any(rules.hedges)
    ]
    sure = [" ".join(p) for p in rules.certainty if sentence.has(p)]
    if sure and not sources.has_any(rules.certainty):
        findings.append(Finding("certainty_added", f"says '{sure[0]}'; the cited passages do not"))
    return findings


def _population_findings(
    sentence: _Text,
    pairs: Sequence[tuple[_Text, _Pool]],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    named = sentence.classes(rules.populations)
    findings = [
        Finding("population_added", f"speaks of {_label(name)}; the cited passages do not")
        for name in sorted(named - sources.classes(rules.populations))
    ]
    restricting = {
        name
        for _, source in pairs
        for name in source.classes(rules.populations) - rules.unrestricting_populations
    }
    findings += [
        Finding("population_dropped", f"drops '{_label(name)}', whom its source is about")
        for name in sorted(restricting - named)
    ]
    return findings


def _named_thing_findings(
    sentence: str,
    sentence_text: _Text,
    passages: Sequence[str],
    sources: _Pool,
    rules: ParaphraseRules,
) -> list[Finding]:
    """Drugs, procedures and clinical terms the sentence names that the sources do not name, in
    these words or a listed equivalent."""
    named = [term for term in rules.key_terms if sentence_text.has(term)]
    named += [as_phrase(term, rules.irregular_forms) for term in find_interventions(sentence)]
    # Inside a longer term the sentence names ("back" in "low back pain"), a word is not named
    # on its own.
    named = [t for t in named if t and not any(t != o and _inside(t, o) for o in named)]
    findings = [
        Finding("not_in_source", f"names '{' '.join(term)}'; the cited passages do not")
        for term in dict.fromkeys(named)
        if not sources.names(term)
    ]
    source_drugs = {name for p in passages for d in find_drugs(p) for name in d.names()}
    findings += [
        Finding("not_in_source", f"names '{drug.as_written}'; the cited passages do not")
        for drug in find_drugs(sentence)
        if not set(drug.names()) & source_drugs and not sources.names(as_phrase(drug.as_written, rules.irregular_forms))
    ]
    return findings


def _inside(short: Phrase, long: Phrase) -> bool:
    return len(short) < len(long) and bool(_positions(short, long))


def _label(name: str) -> str:
    return name.replace("_", " ")
