"""Medical abbreviations and synonyms, for expanding queries.

Two sources: a small curated table of abbreviations clinicians type (below), and the synonyms the
knowledge base itself gives (guideline-card aliases, MedQuAD focus synonyms), read from the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Each group is a set of interchangeable terms; the first is the preferred spelling.
CURATED_GROUPS: tuple[tuple[str, ...], ...] = (
    ("low back pain", "LBP", "lumbago", "backache"),
    ("herniated disc", "HNP", "herniated nucleus pulposus", "disc herniation", "slipped disc",
     "disc protrusion", "disc prolapse", "prolapsed disc", "disc bulge", "bulging disc"),
    ("degenerative disc disease", "DDD", "disc degeneration", "disc space loss",
     "disc space narrowing", "loss of disc height"),
    ("sciatica", "lumbar radiculopathy", "radicular pain"),
    ("cauda equina syndrome", "CES"),
    ("epidural steroid injection", "ESI", "epidural injection"),
    ("nonsteroidal anti-inflammatory drug", "NSAID", "NSAIDs", "anti-inflammatory painkiller"),
    ("physical therapy", "PT", "physiotherapy"),
    ("surgery", "operation", "surgical treatment", "an operation"),
    ("magnetic resonance imaging", "MRI"),
    ("computed tomography", "CT", "CT scan"),
    ("myocardial infarction", "MI", "heart attack"),
    ("hypertension", "HTN", "high blood pressure"),
    ("blood pressure", "BP"),
    ("type 2 diabetes", "T2DM", "T2D", "type II diabetes"),
    ("atrial fibrillation", "AF", "AFib", "A-fib"),
    ("heart failure", "HF", "CHF", "congestive heart failure"),
    ("chronic obstructive pulmonary disease", "COPD", "emphysema"),
    ("community-acquired pneumonia", "CAP"),
    ("urinary tract infection", "UTI", "bladder infection", "cystitis"),
    ("gastro-oesophageal reflux disease", "GERD", "GORD", "acid reflux", "heartburn"),
    ("osteoarthritis", "OA"),
    ("acute otitis media", "AOM", "ear infection"),
    ("streptococcal pharyngitis", "strep throat"),
    ("mild traumatic brain injury", "mTBI", "concussion"),
    ("deep vein thrombosis", "DVT"),
    ("pulmonary embolism", "PE"),
    ("chronic kidney disease", "CKD"),
    ("low-density lipoprotein", "LDL", "LDL cholesterol"),
    ("hyperlipidaemia", "hyperlipidemia", "high cholesterol", "dyslipidaemia", "dyslipidemia"),
    ("stroke", "CVA", "cerebrovascular accident"),
    ("transient ischaemic attack", "TIA", "mini-stroke"),
    ("coronary artery disease", "CAD", "coronary heart disease", "CHD"),
    ("selective serotonin reuptake inhibitor", "SSRI", "SSRIs"),
    ("HbA1c", "A1C", "glycated haemoglobin", "glycated hemoglobin", "haemoglobin A1c"),
    ("thyroid function tests", "TFTs", "TFT", "thyroid blood test"),
    ("proton pump inhibitor", "PPI", "PPIs"),
    ("inhaled corticosteroid", "ICS", "inhaled corticosteroids", "inhaled steroid",
     "inhaled steroids"),
    ("long-acting beta2-agonist", "LABA", "LABAs", "long-acting beta-agonist",
     "long-acting beta2 agonist"),
    ("long-acting muscarinic antagonist", "LAMA", "LAMAs", "long-acting muscarinic antagonists"),
    ("randomised controlled trial", "RCT", "randomized controlled trial"),
    # "Watchful waiting for otitis media?" is answered by "antibiotics withheld and the child
    # observed".
    ("watchful waiting", "watch and wait", "wait and see", "wait-and-see", "observation",
     "observe", "observed", "active monitoring"),
    # A clinician's shorthand: "needs f/u CXR?" asks about follow-up chest imaging.
    ("chest X-ray", "CXR", "chest radiograph", "chest imaging"),
    ("follow-up", "f/u", "follow up"),
    ("pulmonary rehabilitation", "PR", "pulm rehab", "pulmonary rehab"),
    # "HbA1c target?" is answered by "individual A1C goals".
    ("target", "targets", "goal", "goals", "treatment target", "treatment goal"),
)  # fmt: skip


_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


@dataclass
class SynonymTable:
    """Maps a lower-cased term to the other terms of its group(s).

    Matching looks up the query's word n-grams in two dictionaries (abbreviations as written,
    other terms case-folded) — linear in the query's length, whatever the table's size. (A regex
    alternation of every term cost 40 ms per query once MedQuAD's synonyms were in the table.)
    """

    groups: list[tuple[str, ...]] = field(default_factory=list)
    _index: dict[str, set[int]] = field(default_factory=dict)
    # Abbreviations ("PE", "AFib", "mTBI") match only as written: "pe" or "cap" in ordinary
    # text must not pull in pulmonary embolism or pneumonia.
    _abbreviations: dict[tuple[str, ...], str] = field(default_factory=dict)
    _words: dict[tuple[str, ...], str] = field(default_factory=dict)
    _longest: int = 0

    @classmethod
    def build(cls, groups: Iterable[Iterable[str]]) -> SynonymTable:
        table = cls()
        for group in groups:
            terms = tuple(dict.fromkeys(t.strip() for t in group if t and t.strip()))
            if len(terms) < 2:
                continue
            number = len(table.groups)
            table.groups.append(terms)
            for term in terms:
                table._index.setdefault(term.lower(), set()).add(number)
        for term in {term for group in table.groups for term in group}:
            tokens = _tokens(term)
            if not tokens:
                continue
            if _is_abbreviation(term):
                table._abbreviations[tokens] = term
            else:
                table._words[tuple(token.lower() for token in tokens)] = term
            table._longest = max(table._longest, len(tokens))
        return table

    def expansions(self, query: str) -> list[str]:
        """Terms to add to `query`: synonyms of the phrases it contains, not already in it."""
        lowered = query.lower()
        added: dict[str, None] = {}
        for matched in self._terms_found(query):
            for number in self._index.get(matched.lower(), ()):
                for term in self.groups[number]:
                    if term.lower() not in lowered:
                        added[term] = None
        return list(added)

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """Every term that shares a group with `term` (matched case-folded), itself excluded:
        "hba1c" → A1C, glycated haemoglobin."""
        folded = term.lower()
        found = (t for n in self._index.get(folded, ()) for t in self.groups[n])
        return tuple(dict.fromkeys(t for t in found if t.lower() != folded))

    def terms_in(self, text: str) -> dict[str, int]:
        """The table's terms `text` contains (as written there), each with the group it belongs
        to: "ICS" and "inhaled corticosteroid" name one group, so two texts that word a thing
        differently can be seen to name the same thing."""
        found: dict[str, int] = {}
        for matched in self._terms_found(text):
            for number in sorted(self._index.get(matched.lower(), ())):
                found.setdefault(matched, number)
        return found

    def _terms_found(self, text: str) -> Iterable[str]:
        """The table's terms in `text`: abbreviations as written, then other terms case-folded."""
        tokens = _tokens(text)
        folded = tuple(token.lower() for token in tokens)
        for words, lookup in ((tokens, self._abbreviations), (folded, self._words)):
            yield from self._matches(words, lookup)

    def _matches(self, words: tuple[str, ...], lookup: dict[tuple[str, ...], str]) -> Iterable[str]:
        """Longest terms found in `words`, left to right, without overlaps."""
        position = 0
        while position < len(words):
            for size in range(min(self._longest, len(words) - position), 0, -1):
                term = lookup.get(words[position : position + size])
                if term is not None:
                    yield term
                    position += size
                    break
            else:
                position += 1


def curated_table(extra_groups: Iterable[Iterable[str]] = ()) -> SynonymTable:
    return SynonymTable.build([*CURATED_GROUPS, *extra_groups])


def _is_abbreviation(term: str) -> bool:
    return (" " not in term and sum(char.isupper() for char in term) >= 2) or term.isupper()
