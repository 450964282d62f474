"""The ingest pipeline: idempotent, versioned, and safe with bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bedside.config import Settings
from bedside.domain import DocumentStatus
from bedside.errors import InputError
from bedside.service import Service
from bedside.testing.builders import (
    make_card,
    make_pubmed_articles,
    make_pubmed_xml,
    write_gzip,
)


@pytest.fixture
def service(settings: Settings) -> Service:
    return Service(settings)


def test_reingesting_identical_content_changes_nothing(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "set.xml"
    path.write_text(make_pubmed_xml(make_pubmed_articles(5)))
    first = service.ingest([str(path)])
    assert first.outcomes["added"] == 5 and not first.errors
    passage_ids = {p.passage_id for p in service.store.iter_current_passages()}
    second = service.ingest([str(path)])
    assert second.outcomes["unchanged"] == 5 and second.outcomes["added"] == 0
    assert second.files[0].was_cached
    assert {p.passage_id for p in service.store.iter_current_passages()} == passage_ids


def test_same_content_in_another_file_is_unchanged(service: Service, tmp_path: Path) -> None:
    text = make_pubmed_xml(make_pubmed_articles(3))
    (tmp_path / "a.xml").write_text(text)
    write_gzip(tmp_path / "b.xml.gz", text)
    service.ingest([str(tmp_path / "a.xml")])
    report = service.ingest([str(tmp_path / "b.xml.gz")])
    assert report.outcomes["unchanged"] == 3
    assert not report.files[0].was_cached  # different bytes: read, then found unchanged


def test_changed_content_supersedes_and_old_passages_keep_resolving(
    service: Service, tmp_path: Path
) -> None:
    articles = make_pubmed_articles(2)
    path = tmp_path / "set.xml"
    path.write_text(make_pubmed_xml(articles))
    service.ingest([str(path)])
    old_id = service.store.current_document_id("pubmed:1000")
    assert old_id is not None
    old_passage = service.store.list_passages(old_id)[0].passage_id
    articles[0]["abstract"] = "A corrected abstract. It now says something else."
    path.write_text(make_pubmed_xml(articles))
    report = service.ingest([str(path)])
    assert report.outcomes["updated"] == 1 and report.outcomes["unchanged"] == 1
    assert service.store.get_document(old_id).status is DocumentStatus.SUPERSEDED
    view = service.get_passage(old_passage)
    assert view.document.document_id == old_id
    assert service.get_document("pubmed:1000")[0].version == 2


def test_a_file_whose_documents_another_file_replaced_is_read_again(
    service: Service, tmp_path: Path
) -> None:
    # A copy of a source with older content, ingested after the original, makes the copy's
    # versions current; ingesting the original again must bring its versions back, not skip it
    # as a file already read.
    articles = make_pubmed_articles(2)
    original = tmp_path / "original.xml"
    original.write_text(make_pubmed_xml(articles))
    service.ingest([str(original)])
    current = service.store.current_document_id("pubmed:1000")
    articles[0]["abstract"] = "An older abstract, kept in a copy elsewhere."
    copy = tmp_path / "copy" / "original.xml"
    copy.parent.mkdir()
    copy.write_text(make_pubmed_xml(articles))
    service.ingest([str(copy)])
    assert service.store.current_document_id("pubmed:1000") != current
    report = service.ingest([str(original)])
    assert not report.files[0].was_cached
    assert service.store.current_document_id("pubmed:1000") == current


def test_delete_citation_marks_the_document_deleted(service: Service, tmp_path: Path) -> None:
    (tmp_path / "base.xml").write_text(make_pubmed_xml(make_pubmed_articles(2)))
    (tmp_path / "update.xml").write_text(make_pubmed_xml([], deleted=["1001"]))
    service.ingest([str(tmp_path / "base.xml")])
    report = service.ingest([str(tmp_path / "update.xml")])
    assert report.outcomes["deleted"] == 1
    assert service.store.current_document_id("pubmed:1001") is None
    assert service.kb_stats().current_documents == 1


def test_folder_walk_skips_non_documents_but_named_files_are_errors(
    service: Service, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "README.txt").write_text("Just some notes about this folder.\n")
    (folder / "set.xml").write_text(make_pubmed_xml(make_pubmed_articles(1)))
    walked = service.ingest([str(folder)])
    assert walked.outcomes["added"] == 1 and not walked.errors
    assert sum(walked.skipped.values()) == 1
    named = service.ingest([str(folder / "README.txt")])
    assert named.errors and "README.txt" in named.errors[0]
    assert "unrecognised content" in named.errors[0]


def test_globs_expand_and_missing_paths_are_reported(service: Service, tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"set{index}.xml").write_text(
            make_pubmed_xml(make_pubmed_articles(1, start=index))
        )
    report = service.ingest([str(tmp_path / "set*.xml"), str(tmp_path / "nope.xml")])
    assert report.outcomes["added"] == 3
    assert any("nope.xml" in error for error in report.errors)


BAD_INPUTS = {
    "empty.xml": (b"", "empty file"),
    "binary.dat": (bytes(range(256)) * 8, "binary file"),
    "latin1.jsonl": (
        json.dumps({"id": "1", "title": "Caf\u00e9", "text": "x"})
        .encode()
        .replace(b"\\u00e9", "\u00e9".encode("latin-1")),
        "not valid UTF-8",
    ),
    "unknown.txt": (b"Hello, this is not a medical document format.\n", "unrecognised"),
    "cut.xml": (make_pubmed_xml(make_pubmed_articles(3)).encode()[:900], "malformed XML"),
    "fictional-back-ache.md": (
        make_card().replace("year: 2024", "year: soon").encode(),
        "year",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error_naming_the_file(
    service: Service, tmp_path: Path, name: str
) -> None:
    data, message = BAD_INPUTS[name]
    good = tmp_path / "good.xml"
    good.write_text(make_pubmed_xml(make_pubmed_articles(2, start=5000)))
    service.ingest([str(good)])
    bad = tmp_path / name
    bad.write_bytes(data)
    report = service.ingest([str(bad)])
    assert report.errors, report.to_json()
    assert name in report.errors[0] and message in report.errors[0]
    assert service.kb_stats().current_documents >= 2  # nothing already stored was lost
    assert service.store.check_integrity() == []


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(
    service: Service, tmp_path: Path
) -> None:
    whole = write_gzip(tmp_path / "whole.xml.gz", make_pubmed_xml(make_pubmed_articles(400)))
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    report = service.ingest([str(cut)])
    assert report.errors and "cut.xml.gz" in report.errors[0]
    assert 0 < report.outcomes["added"] < 400
    assert service.store.check_integrity() == []
    # The file is not marked done, so the complete file later stores the rest.
    full = service.ingest([str(whole)])
    assert full.outcomes["added"] + full.outcomes["unchanged"] == 400


def test_strict_stops_at_the_first_bad_document(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"id": "a", "title": "A", "text": "Alpha."})
        + "\n{broken\n"
        + json.dumps({"id": "c", "title": "C", "text": "Gamma."})
        + "\n"
    )
    with pytest.raises(InputError, match=r"docs\.jsonl:2"):
        service.ingest([str(path)], strict=True)
    relaxed = service.ingest([str(path)])
    assert relaxed.outcomes["added"] + relaxed.outcomes["unchanged"] == 2
    assert len(relaxed.errors) == 1


def test_explicit_format_overrides_detection(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "set.xml"
    path.write_text(make_pubmed_xml(make_pubmed_articles(1)))
    report = service.ingest([str(path)], format_name="bedside-jsonl")
    assert report.errors  # read as JSONL, it is not valid
    with pytest.raises(InputError, match="unknown format"):
        service.ingest([str(path)], format_name="no-such-format")


def test_a_source_taken_off_a_card_is_withdrawn_and_answers_nothing(
    service: Service, tmp_path: Path
) -> None:
    card = tmp_path / "fictional-back-ache.md"
    card.write_text(make_card())
    service.ingest([str(card)])
    assert service.store.current_document_id("card:fictional-back-ache/imaginary-trial")
    # The editor removes the trial and the lines citing it.
    text = make_card()
    start = text.index("  - key: imaginary-trial")
    text = text[:start] + text[text.index("---\n", start) :]
    text = text.replace(", imaginary-trial]", "]")
    text = text.replace(
        "- Keep moving: walking helps fictional back ache get better. [imaginary-trial]\n", ""
    )
    card.write_text(text)
    report = service.ingest([str(card)])
    assert report.outcomes["deleted"] == 1
    assert service.store.current_document_id("card:fictional-back-ache/imaginary-trial") is None
    assert service.store.current_document_id("card:fictional-back-ache/imaginary-guideline")
    # A card that fails to read withdraws nothing.
    card.write_text(text.replace("card_id: fictional-back-ache", "card_id: Not A Valid Id!"))
    service.ingest([str(card)], strict=False)
    assert service.store.current_document_id("card:fictional-back-ache/imaginary-guideline")
