"""The knowledge-base version: cached, but never stale."""

from __future__ import annotations

from pathlib import Path

from bedside.config import IngestSettings
from bedside.ingest.pipeline import prepare_document
from bedside.store.sqlite import SqliteStore
from bedside.testing.builders import make_source_document


def test_kb_version_sees_a_document_added_by_another_connection(tmp_path: Path) -> None:
    reader, writer = SqliteStore(tmp_path / "kb.sqlite"), SqliteStore(tmp_path / "kb.sqlite")
    reader.open()
    writer.open()
    before = reader.kb_version()
    assert reader.kb_version() == before  # cached, unchanged
    document, passages, body = prepare_document(
        make_source_document(), path=None, settings=IngestSettings()
    )
    writer.put_document(document, passages, body=body)
    assert reader.kb_version() != before
    reader.close()
    writer.close()
