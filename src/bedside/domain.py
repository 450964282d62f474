"""The nouns of Bedside, defined once and used by every layer.

Ingest produces `Document`s and their `Passage`s; later stages add `Hit`, `Evidence`, `Citation`,
`Answer`, `Refusal` and `Review`. Everything here is plain data: frozen dataclasses with no I/O.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class DocumentKind(enum.StrEnum):
    """What a document is, as a reference list types it."""

    GUIDELINE = "guideline"
    RESEARCH = "research"
    PATIENT_INFORMATION = "patient_information"
    DRUG_LABEL = "drug_label"  # a regulator-approved product label (FDA SPL prescribing info)


class DocumentStatus(enum.StrEnum):
    """Where one version of a document stands in its history."""

    CURRENT = "current"
    SUPERSEDED = "superseded"  # a newer version of the same source was ingested
    DELETED = "deleted"  # the source withdrew it (e.g. a MEDLINE DeleteCitation)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled stretch of a document's text, as a reader found it (before chunking)."""

    path: tuple[str, ...]
    text: str
    page: int | None = None
    # MedQuAD answers keep the consumer question they answer; later used for related questions.
    question: str | None = None


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """What a reader yields: one document's metadata and sections, not yet stored.

    `origin` names the collection a `source_id` is unique within (`pubmed`, `pmc`, `medquad`,
    `beir/scifact`, `card`, ...); `origin` + `source_id` identify the source across versions.
    """

    origin: str
    source_id: str
    kind: DocumentKind
    title: str
    sections: tuple[Section, ...]
    source: str | None = None  # issuing body or journal
    year: int | None = None
    authors: tuple[str, ...] = ()
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    url: str | None = None
    publication_types: tuple[str, ...] = ()
    mesh_terms: tuple[str, ...] = ()
    licence: str | None = None
    language: str | None = None
    # Reader-specific facts worth keeping (MedQuAD focus, PubMedQA labels, card review status).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def document_key(self) -> str:
        return f"{self.origin}:{self.source_id}"


@dataclass(frozen=True, slots=True)
class Document:
    """One stored version of one source, with everything a reference needs."""

    document_id: str
    document_key: str
    origin: str
    source_id: str
    version: int
    status: DocumentStatus
    kind: DocumentKind
    title: str
    source: str | None
    year: int | None
    authors: tuple[str, ...]
    pmid: str | None
    pmcid: str | None
    doi: str | None
    url: str | None
    publication_types: tuple[str, ...]
    mesh_terms: tuple[str, ...]
    licence: str | None
    language: str | None
    extra: dict[str, Any]
    content_hash: str
    path: str | None  # the file it was read from
    passage_count: int
    ingested_at: datetime
    superseded_by: str | None = None

    @property
    def card_id(self) -> str | None:
        """For a document of a guideline card, the card's id (one document per card source,
        its `source_id` "<card_id>/<source key>"); None for any other document."""
        if self.origin != "card":
            return None
        return str(self.extra.get("card_id") or self.source_id.split("/", 1)[0])

    def names_drug(self, names: Iterable[str]) -> bool:
        """Whether the document is about a medicine going by one of `names` (lower case): its
        title, or the brand and generic names a drug label lists, names it as a word."""
        listed = [
            self.title,
            *self.extra.get("brand_names", ()),
            *self.extra.get("generic_names", ()),
        ]
        about = " ".join(str(name) for name in listed).lower()
        return any(re.search(rf"\b{re.escape(name)}\b", about) for name in names)


@dataclass(frozen=True, slots=True)
class Passage:
    """A span of a document: the unit that is indexed, retrieved and cited."""

    passage_id: str
    document_id: str
    ordinal: int
    section_path: tuple[str, ...]
    page: int | None
    char_start: int  # offsets into the document's body text (sections joined by a blank line)
    char_end: int
    text: str
    question: str | None = None


class IngestOutcome(enum.StrEnum):
    """What storing one document did."""

    ADDED = "added"
    UNCHANGED = "unchanged"
    UPDATED = "updated"  # a new version was stored and the old one marked superseded
    DELETED = "deleted"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class KbStats:
    """Counts describing a knowledge base."""

    documents: int
    current_documents: int
    passages: int
    documents_by_kind: dict[str, int]
    documents_by_origin: dict[str, int]
    schema_version: int
    size_bytes: int | None


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage returned by one retriever, with that retriever's score and rank."""

    passage_id: str
    document_id: str
    score: float
    rank: int
    retriever: str
    source_id: str = ""
    unit_id: str = ""  # the window or passage that matched


@dataclass(frozen=True, slots=True)
class PassageContext:
    """A current passage with the facts of its document that indexing and filtering need."""

    passage: Passage
    source_id: str
    title: str
    kind: str
    year: int | None
    source: str | None


# -- answers ------------------------------------------------------------------------------------


class Audience(enum.StrEnum):
    """Who an answer is written for."""

    CLINICIAN = "clinician"
    PATIENT = "patient"


class Intent(enum.StrEnum):
    """What a question asks for; it decides which sections an answer leads with."""

    TREATMENT = "treatment"
    DIAGNOSIS = "diagnosis"
    IMAGING = "imaging"
    REFERRAL = "referral"
    PROGNOSIS = "prognosis"
    DRUG = "drug"
    PREVENTION = "prevention"
    GENERAL = "general"


class Ask(enum.StrEnum):
    """What exactly a question asks for; it decides what the bottom line must answer."""

    TREATMENT = "treatment"
    DRUG_CHOICE = "drug_choice"
    DOSE = "dose"
    DURATION = "duration"
    TEST_OR_IMAGE = "test_or_image"
    REFERRAL = "referral"
    PROGNOSIS = "prognosis"
    RED_FLAGS = "red_flags"
    DIAGNOSIS = "diagnosis"
    SIDE_EFFECTS = "side_effects"
    INTERACTIONS = "interactions"
    PREVENTION = "prevention"
    MONITORING = "monitoring"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class DrugName:
    """A medicine as a question names it, and the generic name it resolves to ("Robaxin" →
    "methocarbamol"); `generic` is what the frame's interventions hold."""

    as_written: str
    generic: str
    also_called: tuple[str, ...] = ()  # other generic names sources use ("paracetamol")

    def to_json(self) -> dict[str, Any]:
        return {
            "as_written": self.as_written,
            "generic": self.generic,
            "also_called": list(self.also_called),
        }

    def names(self) -> tuple[str, ...]:
        """Every name a source may use for this drug: as written, generic, other generics."""
        return (self.as_written, self.generic, *self.also_called)

    @property
    def label(self) -> str:
        """How a message names it: "Robaxin (methocarbamol)", or just "ibuprofen"."""
        if self.as_written.lower() == self.generic:
            return self.generic
        return f"{self.as_written} ({self.generic})"


@dataclass(frozen=True, slots=True)
class QuestionFrame:
    """A question taken apart as a clinician would: who, which condition and treatment, what ask.

    Conditions and interventions are kept as the question words them ("underactive thyroid",
    "lexapro"); `drugs` resolves each medicine to its generic name ("escitalopram");
    `condition_cards` are the guideline cards the conditions resolve to in this
    knowledge base. Populations are ids from the frame rules (`pregnancy`, `child`,
    `older_adult`, `kidney_disease`, …); a negated mention ("non-pregnant") is not one.
    """

    ask: Ask
    conditions: tuple[str, ...] = ()
    condition_cards: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    comparator: str | None = None
    time_frames: tuple[str, ...] = ()
    yes_no: bool = False
    drugs: tuple[DrugName, ...] = ()  # brand and generic names, resolved to the generic
    age_years: float | None = None  # "a 4-month-old" → 0.33; "aged 74" → 74.0
    kidney_function: float | None = None  # "an eGFR of 20", "CrCl 25 mL/min" → 20.0, 25.0
    cardiovascular_risk: float | None = None  # "10-yr ASCVD risk 9.5%", "QRISK 12%" → 9.5, 12.0
    albumin_ratio: float | None = None  # urine ACR in mg/mmol: "UACR 45 mg/mmol" → 45.0
    # A treatment already tried without success or not tolerated ("no better on amoxicillin"):
    # the answer is the next step, not the first-line treatment again.
    treatment_tried: bool = False

    def drug_names(self) -> tuple[str, ...]:
        """Every name of every medicine the question names (lower case, each once)."""
        return tuple(dict.fromkeys(name.lower() for drug in self.drugs for name in drug.names()))

    def other_names(self, term: str) -> tuple[str, ...]:
        """The generic name of `term` when it is a medicine the question named by another name
        ("robaxin" → "methocarbamol"); evidence naming either answers it."""
        return tuple(
            name
            for drug in self.drugs
            if drug.as_written.lower() == term.lower()
            for name in (drug.generic, *drug.also_called)
            if name != term.lower()
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ask": self.ask.value,
            "conditions": list(self.conditions),
            "condition_cards": list(self.condition_cards),
            "populations": list(self.populations),
            "interventions": list(self.interventions),
            "comparator": self.comparator,
            "time_frames": list(self.time_frames),
            "yes_no": self.yes_no,
            "drugs": [drug.to_json() for drug in self.drugs],
            "age_years": self.age_years,
            "kidney_function": self.kidney_function,
            "cardiovascular_risk": self.cardiovascular_risk,
            "albumin_ratio": self.albumin_ratio,
            "treatment_tried": self.treatment_tried,
        }

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> QuestionFrame:
        return cls(
            ask=Ask(record["ask"]),
            conditions=tuple(record.get("conditions", ())),
            condition_cards=tuple(record.get("condition_cards", ())),
            populations=tuple(record.get("populations", ())),
            interventions=tuple(record.get("interventions", ())),
            comparator=record.get("comparator"),
            time_frames=tuple(record.get("time_frames", ())),
            yes_no=bool(record.get("yes_no", False)),
            drugs=tuple(
                DrugName(
                    str(d["as_written"]),
                    str(d["generic"]),
                    tuple(str(name) for name in d.get("also_called", ())),
                )
                for d in record.get("drugs", ())
            ),
            age_years=(None if record.get("age_years") is None else float(record["age_years"])),
            kidney_function=(
                None if record.get("kidney_function") is None else float(record["kidney_function"])
            ),
            cardiovascular_risk=(
                None
                if record.get("cardiovascular_risk") is None
                else float(record["cardiovascular_risk"])
            ),
            albumin_ratio=(
                None if record.get("albumin_ratio") is None else float(record["albumin_ratio"])
            ),
            treatment_tried=bool(record.get("treatment_tried", False)),
        )


class EvidenceLevel(enum.IntEnum):
    """Strength of a source's evidence; higher is stronger (statements are ordered by it)."""

    OTHER = 1  # patient information, narrative reviews, anything else
    DRUG_LABEL = 2  # what a regulator approved, below trial evidence of effect
    RANDOMISED_TRIAL = 3
    SYSTEMATIC_REVIEW = 4
    GUIDELINE = 5


class RefusalReason(enum.StrEnum):
    """Why Bedside declined to answer."""

    OUT_OF_SCOPE = "out_of_scope"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    UNSAFE = "unsafe"


class ReviewStatus(enum.StrEnum):
    """Where an article stands in editorial review."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A retrieved passage with its document, as handed to the composer: what may be cited."""

    passage: Passage
    document: Document
    score: float  # fused retrieval score (comparable within one question only)
    rank: int
    level: EvidenceLevel

    @property
    def passage_id(self) -> str:
        return self.passage.passage_id


@dataclass(frozen=True, slots=True)
class Statement:
    """One claim of an answer and the passages it cites.

    `text` is the claim the verifier checks. `rendered` is what the reader sees: the same text
    with plain-language explanations of clinical terms inserted; those explanations are listed
    in `explanations` so the verifier can prove that nothing else was added.
    """

    text: str
    passage_ids: tuple[str, ...]
    rendered: str = ""
    explanations: tuple[str, ...] = ()
    # The grade the source gives the recommendation stated ("Grade B", "Strong For"), shown
    # beside it; "" for a statement that is not a graded recommendation.
    grade: str = ""

    @property
    def shown(self) -> str:
        return self.rendered or self.text


@dataclass(frozen=True, slots=True)
class DroppedStatement:
    """A statement the verifier removed, with the checks it failed and why, for reviewers."""

    statement: Statement
    failed_checks: tuple[str, ...]
    # What the checks found, in words: "12 weeks: the number is in no cited passage".
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DraftSection:
    """A headed group of statements."""

    section_id: str
    heading: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class FallbackNote:
    """Why an article was written by the fallback generator rather than the one chosen."""

    generator: str  # the generator whose draft was not served ("openai-compatible/1")
    # model_unreachable, model_timeout, model_error, model_bad_output, too_few_verified_sentences
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Draft:
    """What a generator produced from the evidence, before verification."""

    title: str
    bottom_line: tuple[Statement, ...]
    sections: tuple[DraftSection, ...]
    generator: str  # name and version of the generator that wrote it
    # A generator that writes its own sentences hands over the extractive draft it started
    # from; the service serves that instead when too few of this draft's sentences pass.
    fallback: Draft | None = None
    # Set on a fallback draft that is served: whose draft it replaces, and why.
    fell_back: FallbackNote | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One verification result."""

    name: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A numbered entry of an answer's reference list: a knowledge-base document."""

    number: int
    kind: DocumentKind
    title: str
    source: str | None
    year: int | None
    pmid: str | None
    doi: str | None
    url: str | None
    document_id: str
    passage_ids: tuple[str, ...]
    note: str = ""  # e.g. "Published 2016; may have been superseded by newer guidance."


@dataclass(frozen=True, slots=True)
class Urgent:
    """A banner for red-flag symptoms in the question."""

    message: str
    red_flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Refusal:
    """A typed "cannot answer", with a message written for the reader."""

    reason: RefusalReason
    message: str


@dataclass(frozen=True, slots=True)
class Answer:
    """The outcome of one question: an article, or a refusal (then `refusal` is set).

    It carries everything needed to reproduce it: the settings fingerprint, the knowledge-base
    version, the checks run and the provenance of every cited passage.
    """

    answer_id: str
    question: str
    audience: Audience
    title: str
    bottom_line: tuple[Statement, ...]
    sections: tuple[DraftSection, ...]
    references: tuple[Reference, ...]
    urgent: Urgent | None
    related_questions: tuple[str, ...]
    follow_up_questions: tuple[str, ...]
    refusal: Refusal | None
    review_status: ReviewStatus
    created_at: str  # ISO 8601, UTC
    updated_at: str
    settings_fingerprint: str
    kb_version: str
    checks: tuple[Check, ...] = ()
    dropped: tuple[DroppedStatement, ...] = ()  # statements the verifier removed, and why
    provenance: dict[str, Any] = field(default_factory=dict)
    follow_up_of: str | None = None
    revision_of: str | None = None  # the approved answer this one replaces once approved
    question_frame: QuestionFrame | None = None
    # Kinds of personal data removed from the question before anything was stored or answered
    # ("date of birth", "name"); `question` holds the question as kept.
    redactions: tuple[str, ...] = ()
    # What the sources do not cover that the question asked about ("pregnancy"), said first.
    gaps: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return "refusal" if self.refusal is not None else "answer"
