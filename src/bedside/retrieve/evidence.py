"""Hits → Evidence: each retrieved passage with its document and the strength of its evidence."""

from __future__ import annotations

from collections.abc import Sequence

from bedside.domain import Document, DocumentKind, Evidence, EvidenceLevel, Hit
from bedside.store.base import Store

_SYSTEMATIC = ("systematic review", "meta-analysis", "meta analysis")
_TRIAL = ("randomized controlled trial", "randomised controlled trial", "clinical trial")


def evidence_level(document: Document) -> EvidenceLevel:
    """Guideline > systematic review or meta-analysis > randomised trial > drug label > anything
    else (patient information among it)."""
    if document.kind is DocumentKind.GUIDELINE:
        return EvidenceLevel.GUIDELINE
    if document.kind is DocumentKind.DRUG_LABEL:
        return EvidenceLevel.DRUG_LABEL
    types = " | ".join(document.publication_types).lower()
    if "guideline" in types:
        return EvidenceLevel.GUIDELINE
    if any(name in types for name in _SYSTEMATIC):
        return EvidenceLevel.SYSTEMATIC_REVIEW
    if any(name in types for name in _TRIAL):
        return EvidenceLevel.RANDOMISED_TRIAL
    return EvidenceLevel.OTHER


def gather_evidence(hits: Sequence[Hit], *, store: Store) -> list[Evidence]:
    """Load the passage and document behind each hit, keeping the retrieval order."""
    documents: dict[str, Document] = {}
    evidence = []
    for hit in hits:
        document = documents.get(hit.document_id)
        if document is None:
            document = documents[hit.document_id] = store.get_document(hit.document_id)
        evidence.append(
            Evidence(
                passage=store.get_passage(hit.passage_id),
                document=document,
                score=hit.score,
                rank=hit.rank,
                level=evidence_level(document),
            )
        )
    return evidence
