"""`/api/health`: is the app up, and which knowledge base does it serve."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from bedside.web.deps import ServiceDep
from bedside.web.schemas import HealthPublic, KnowledgeBaseHealth

router = APIRouter(tags=["meta"])


def bedside_version() -> str:
    try:
        return version("bedside")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@router.get("/health", operation_id="health", response_model=HealthPublic)
def health(service: ServiceDep) -> HealthPublic:
    """The app's version and settings fingerprint, and the knowledge base's size and version."""
    report = service.health()
    return HealthPublic(
        status="ok",
        version=bedside_version(),
        settings_fingerprint=service.settings_fingerprint,
        knowledge_base=KnowledgeBaseHealth(
            current_documents=report.stats.current_documents,
            passages=report.stats.passages,
            schema_version=report.stats.schema_version,
            kb_version=report.kb_version,
        ),
    )
