"""Every corpus in ../shared/data ingests, with the expected counts, and a rerun adds nothing."""

from __future__ import annotations

from pathlib import Path

from bedside.config import Settings
from bedside.service import Service


def test_all_shared_corpora_ingest_and_reingest_adds_nothing(
    shared_data: Path, settings: Settings
) -> None:
    with Service(settings) as service:
        report = service.ingest([str(shared_data)])
        assert report.errors == []
        by_origin = service.kb_stats().documents_by_origin
        assert by_origin["beir/scifact"] == 5183
        assert by_origin["pubmedqa"] == 1000
        # Three PMC articles beside the MEDLINE files, and the randomised-trial collection.
        trials = len(list((shared_data / "pmc-rct").glob("*.nxml")))
        assert trials > 1000
        assert by_origin["pmc"] == 3 + trials
        assert by_origin["medquad"] == 5485
        # 604 baseline citations + 4 in the current-MEDLINE sample + 1 efetch result.
        assert by_origin["pubmed"] == 609
        assert by_origin["ngc"] == 116
        # 6 complete labels (one, Lipitor, twice from two labellers); 200 + 343 label sections.
        assert by_origin["fda-spl"] == 6
        assert by_origin["fda-label-sections"] == 543
        assert report.skipped["answer removed from MedQuAD for copyright"] == 5
        medquad_passages = sum(
            file.passages for file in report.files if file.format == "medquad-xml"
        )
        assert medquad_passages > 21_000

        again = service.ingest([str(shared_data)])
        assert again.outcomes["added"] == 0 and again.outcomes["updated"] == 0
        assert again.outcomes["unchanged"] == report.outcomes["added"]
        assert all(file.was_cached for file in again.files if file.format)
