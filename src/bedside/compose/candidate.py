"""`Candidate`: a sentence that could become a statement, as the extractive generator ranks it
and the bottom-line choice (`bottom_line.py`) weighs it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bedside.domain import Audience, EvidenceLevel

# Statements scoring below this share of the best are cut from the concise article, and a
# line for a reader the sources do not speak of gives way to none of them (`bottom_line.py`).
RELEVANCE_FLOOR = 0.45


@dataclass(slots=True)
class Candidate:
    """A sentence that could become a statement."""

    text: str
    passage_ids: list[str]
    section: str
    level: EvidenceLevel
    relevance: float
    year: int
    plain: bool  # written for patients (card plain-language statement or patient information)
    stems: frozenset[str] = field(default_factory=frozenset)
    # the part of `relevance` owed to the question's rarest words (see distinctive_shares)
    distinctive: float = 0.0
    grade: str = ""  # a guideline recommendation's grade, from its passage ("Grade B")
    card_id: str | None = None  # the card the sentence is from, if any

    def sort_key(self, audience: Audience) -> tuple[float | str, ...]:
        """Most relevant first; ties go to the plainer (for patients), stronger, newer one."""
        prefer_plain = 1.0 if (audience is Audience.PATIENT and self.plain) else 0.0
        return (
            -round(self.relevance, 6),
            -prefer_plain,
            -float(self.level),
            -float(self.year),
            self.passage_ids[0],
        )
