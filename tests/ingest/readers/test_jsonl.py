"""BEIR corpus.jsonl (real SciFact) and Bedside's generic JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from bedside.domain import DocumentKind, SourceDocument
from bedside.ingest.readers.base import Problem, SourceFile
from bedside.ingest.readers.jsonl import BedsideJsonlReader, BeirJsonlReader


def test_scifact_corpus_keeps_beir_ids(shared_data: Path) -> None:
    path = shared_data / "scifact" / "corpus.jsonl"
    reader = BeirJsonlReader()
    assert reader.sniff(SourceFile(path))
    assert not BedsideJsonlReader().sniff(SourceFile(path))
    documents = [i for i in reader.read(SourceFile(path)) if isinstance(i, SourceDocument)]
    assert len(documents) == 5183
    assert documents[0].document_key == "beir/scifact:4983"
    assert documents[0].title.startswith("Microstructural development of human newborn")


def test_beir_queries_file_is_not_a_corpus(shared_data: Path) -> None:
    queries = SourceFile(shared_data / "scifact" / "queries.jsonl")
    assert not BeirJsonlReader().sniff(queries)
    assert not BedsideJsonlReader().sniff(queries)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    return path


def test_generic_jsonl_reads_reference_metadata_and_sections(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mykb.jsonl",
        [
            {
                "id": "g1",
                "title": "Fictional guideline",
                "kind": "guideline",
                "source": "Imaginary Institute",
                "year": 2025,
                "doi": "10.1000/xyz",
                "sections": [
                    {"heading": "Recommendations", "text": "Walk daily.", "page": 3},
                    {"heading": ["Recommendations", "Drugs"], "text": "Avoid opioids."},
                ],
            },
            {"id": "r1", "title": "Plain record", "text": "Some text."},
        ],
    )
    items = list(BedsideJsonlReader().read(SourceFile(path)))
    first, second = items
    assert isinstance(first, SourceDocument) and isinstance(second, SourceDocument)
    assert first.document_key == "jsonl/mykb:g1"
    assert first.kind is DocumentKind.GUIDELINE
    assert first.sections[0].page == 3
    assert first.sections[1].path == ("Recommendations", "Drugs")
    assert second.kind is DocumentKind.RESEARCH


def test_generic_jsonl_bad_lines_name_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"id": "ok", "title": "Fine", "text": "Fine."})
        + "\n{not json\n"
        + json.dumps({"id": "y", "title": "Bad year", "text": "x", "year": "soon"})
        + "\n"
        + json.dumps({"id": "z", "title": "Empty", "text": "   "})
        + "\n"
    )
    items = list(BedsideJsonlReader().read(SourceFile(path)))
    assert isinstance(items[0], SourceDocument)
    problems = [str(item.error) for item in items if isinstance(item, Problem)]
    assert "bad.jsonl:2" in problems[0] and "invalid JSON" in problems[0]
    assert "bad.jsonl:3" in problems[1] and "'year'" in problems[1]
    assert "bad.jsonl:4" in problems[2] and "no text" in problems[2]
