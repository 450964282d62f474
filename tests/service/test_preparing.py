"""First use: the bundled knowledge base is built once, resumably, safely under concurrency."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from bedside.config import Settings
from bedside.service import Service, bundled_cards_path
from bedside.service.preparing import (
    PreparedKnowledgeBase,
    lock_path,
    marker_path,
    prepare_knowledge_base,
)
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml


def document_count(settings: Settings) -> int:
    with Service(settings) as service:
        return service.kb_stats().current_documents


def test_an_empty_knowledge_base_is_built_from_the_bundled_cards_once(
    settings: Settings,
) -> None:
    announced: list[str] = []
    first = prepare_knowledge_base(settings, on_start=announced.append)
    assert first is not None and first.ingested is not None
    # One or more documents per card (decision record 0001).
    assert first.ingested.outcomes["added"] == document_count(settings) > 25
    assert first.indexed.keyword_added > 0 and first.indexed.vectors_added > 0
    assert announced == [first.reason] and "bundled guideline cards" in first.reason
    assert prepare_knowledge_base(settings, on_start=announced.append) is None
    assert len(announced) == 1
    assert not marker_path(settings).exists()


def test_two_builders_at_once_build_once_and_both_succeed(settings: Settings) -> None:
    start = threading.Barrier(2)
    results: list[PreparedKnowledgeBase | None] = []
    errors: list[BaseException] = []

    def build() -> None:
        start.wait()
        try:
            results.append(prepare_knowledge_base(settings))
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert len(results) == 2
    assert sum(result is not None for result in results) == 1  # the other found it done
    built = next(result for result in results if result is not None)
    assert built.ingested is not None
    assert document_count(settings) == built.ingested.outcomes["added"]


def test_an_interrupted_build_is_resumed(settings: Settings) -> None:
    cards = sorted(bundled_cards_path().glob("*.md"))
    with Service(settings) as service:  # a build that stopped after two cards
        service.ingest([str(card) for card in cards[:2]])
    marker_path(settings).touch()
    resumed = prepare_knowledge_base(settings)
    assert resumed is not None and "interrupted" in resumed.reason
    assert resumed.ingested is not None and resumed.ingested.outcomes["unchanged"] >= 2
    assert not marker_path(settings).exists()
    assert prepare_knowledge_base(settings) is None


def test_a_knowledge_base_of_ones_own_is_indexed_not_filled_with_cards(
    settings: Settings, tmp_path: Path
) -> None:
    # Stored without indexes (`ingest --no-index`, or vectors of an older embedder version).
    source = tmp_path / "set.xml"
    source.write_text(make_pubmed_xml(make_pubmed_articles(3)))
    with Service(settings) as service:
        service.ingest([str(source)])
        assert service.missing_indexes()
    assert prepare_knowledge_base(settings, needs_indexes=False) is None  # `kb stats`
    prepared = prepare_knowledge_base(settings)
    assert prepared is not None and prepared.ingested is None
    assert prepared.indexed.vectors_added > 0
    assert document_count(settings) == 3
    with Service(settings) as service:
        assert service.missing_indexes() == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX advisory locks")
def test_the_build_lock_is_held_while_building(settings: Settings) -> None:
    import fcntl

    seen: list[bool] = []

    def probe(reason: str) -> None:
        with lock_path(settings).open("a+b") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                seen.append(True)
            else:  # pragma: no cover - the assertion below reports it
                seen.append(False)

    prepare_knowledge_base(settings, on_start=probe)
    assert seen == [True]
