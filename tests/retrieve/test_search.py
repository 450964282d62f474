"""Search through the service and the CLI, on a small knowledge base of real cards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bedside.cli import cli
from bedside.config import Settings
from bedside.index.base import SearchFilters
from bedside.service import Service, bundled_cards_path
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml


@pytest.fixture
def service(settings: Settings, tmp_path: Path) -> Iterator[Service]:
    pubmed = tmp_path / "set.xml"
    pubmed.write_text(make_pubmed_xml(make_pubmed_articles(5)))
    with Service(settings) as built:
        built.ingest([str(bundled_cards_path()), str(pubmed)])
        built.index()
        yield built


@pytest.mark.parametrize("fusion", ["zscore", "rrf", "keyword", "dense"])
def test_every_fusion_finds_the_card_on_the_topic(service: Service, fusion: str) -> None:
    service.settings = service.settings.model_copy(
        update={"retrieve": service.settings.retrieve.model_copy(update={"fusion": fusion})}
    )
    service._retriever = None
    results = service.search("gout flare treatment with colchicine", k=5)
    assert results, fusion
    assert any("gout" in r.passage.text.lower() for r in results[:3]), fusion
    assert [r.hit.rank for r in results] == list(range(1, len(results) + 1))


def test_abbreviation_expansion_finds_the_long_form(service: Service) -> None:
    results = service.search("LBP bed rest", k=5)
    assert any("low back pain" in r.passage.text.lower() for r in results)


def test_by_document_returns_each_document_once(service: Service) -> None:
    results = service.search("low back pain", k=20, by_document=True)
    documents = [r.hit.document_id for r in results]
    assert len(documents) == len(set(documents))


def test_filters_restrict_kind_and_year(service: Service) -> None:
    research = service.search("exercise", k=10, filters=SearchFilters(kinds=("research",)))
    assert research and all(r.document.kind.value == "research" for r in research)
    recent = service.search("back pain", k=10, filters=SearchFilters(year_from=2020))
    assert all((r.document.year or 0) >= 2020 for r in recent)


def test_index_is_incremental_and_drops_superseded(service: Service, tmp_path: Path) -> None:
    again = service.index()
    assert not again.changed
    articles = make_pubmed_articles(5)
    articles[0]["abstract"] = "A corrected abstract about walking. It differs now."
    (tmp_path / "set.xml").write_text(make_pubmed_xml(articles))
    service.ingest([str(tmp_path / "set.xml")])
    report = service.index()
    assert report.keyword_added == 1 and report.keyword_removed == 1
    assert report.vectors_added >= 1 and report.vectors_removed >= 1


def test_cli_search_and_batch_mode(tmp_path: Path, cli_runner: CliRunner) -> None:
    pubmed = tmp_path / "set.xml"
    pubmed.write_text(make_pubmed_xml(make_pubmed_articles(3)))
    assert cli_runner.invoke(cli, ["ingest", str(pubmed)]).exit_code == 0
    single = cli_runner.invoke(cli, ["search", "fictional study exercise", "--json", "--k", "2"])
    assert single.exit_code == 0, single.output
    assert len(json.loads(single.output)["results"]) == 2
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"_id": "q1", "text": "exercise improved pain"}) + "\n"
        + json.dumps({"_id": "q2", "text": "fictional study 2"}) + "\n"
    )  # fmt: skip
    batch = cli_runner.invoke(
        cli, ["search", "--queries", str(queries), "--k", "3", "--by", "document", "--json"]
    )
    assert batch.exit_code == 0, batch.output
    lines = [json.loads(line) for line in batch.output.splitlines()]
    assert [line["query_id"] for line in lines] == ["q1", "q2"]
    hit = lines[0]["hits"][0]
    assert set(hit) == {"source_id", "document_id", "passage_id", "score", "rank"}
    assert hit["source_id"] in {"1000", "1001", "1002"}


def test_cli_search_needs_exactly_one_query_source(cli_runner: CliRunner) -> None:
    assert cli_runner.invoke(cli, ["search"]).exit_code == 2
