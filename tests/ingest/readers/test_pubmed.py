"""PubMed/MEDLINE XML on the real NLM files in ../shared/data/pubmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.domain import DocumentKind, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import Deletion, SourceFile
from bedside.ingest.readers.pubmed import PubmedXmlReader
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml, write_gzip

reader = PubmedXmlReader()


def documents(path: Path) -> list[SourceDocument]:
    return [item for item in reader.read(SourceFile(path)) if isinstance(item, SourceDocument)]


def test_efetch_result_has_full_reference_metadata(shared_data: Path) -> None:
    path = shared_data / "pubmed" / "pubmed-29768149.xml"
    assert reader.sniff(SourceFile(path))
    (document,) = documents(path)
    assert document.document_key == "pubmed:29768149"
    assert document.title.startswith("Inhaled Combined Budesonide-Formoterol as Needed")
    assert document.source == "The New England journal of medicine"
    assert document.year == 2018
    assert document.authors[:2] == ("O'Byrne PM", "FitzGerald JM")
    assert document.doi == "10.1056/NEJMoa1715274"
    assert "Randomized Controlled Trial" in document.publication_types
    assert "Administration, Inhalation" in document.mesh_terms
    assert [section.path[-1] for section in document.sections] == [
        "Background",
        "Methods",
        "Results",
        "Conclusions",
    ]
    assert document.url == "https://pubmed.ncbi.nlm.nih.gov/29768149/"


def test_baseline_file_streams_every_citation_and_the_deletion(shared_data: Path) -> None:
    items = list(reader.read(SourceFile(shared_data / "pubmed" / "medline16n0902.xml.gz")))
    citations = [item for item in items if isinstance(item, SourceDocument)]
    assert len(citations) == 604
    assert [item for item in items if isinstance(item, Deletion)] == [Deletion("pubmed:26432306")]
    # Every citation has a year, including the 62 dated only by a MedlineDate string.
    assert all(citation.year for citation in citations)
    assert sum(1 for c in citations if c.extra["has_abstract"]) == 526
    title_only = next(c for c in citations if not c.extra["has_abstract"])
    assert title_only.sections[0].path == ("Title",)


def test_current_medline_file_is_read(shared_data: Path) -> None:
    citations = documents(shared_data / "pubmed" / "test_current_medline.xml.gz")
    assert len(citations) == 4
    assert citations[0].document_key == "pubmed:36400559"
    assert any("Systematic Review" in c.publication_types for c in citations)


def test_practice_guideline_publication_type_makes_a_guideline(tmp_path: Path) -> None:
    text = make_pubmed_xml(make_pubmed_articles(1)).replace(
        ">Journal Article<", ">Practice Guideline<"
    )
    path = tmp_path / "guideline.xml"
    path.write_text(text)
    assert documents(path)[0].kind is DocumentKind.GUIDELINE


def test_truncated_xml_names_the_file_and_line(tmp_path: Path) -> None:
    text = make_pubmed_xml(make_pubmed_articles(3))
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) * 2 // 3])
    items = reader.read(SourceFile(path))
    with pytest.raises(InputError, match=r"cut\.xml:\d+.*malformed XML"):
        list(items)


def test_truncated_gzip_is_reported(tmp_path: Path) -> None:
    whole = write_gzip(tmp_path / "whole.xml.gz", make_pubmed_xml(make_pubmed_articles(50)))
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(whole.read_bytes()[:-200])
    with pytest.raises(InputError, match=r"cut\.xml\.gz.*(gzip|malformed)"):
        list(reader.read(SourceFile(cut)))
