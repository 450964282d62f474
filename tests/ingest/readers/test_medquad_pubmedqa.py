"""MedQuAD XML and PubMedQA JSON on the real files in ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

from bedside.domain import DocumentKind, SourceDocument
from bedside.ingest.readers.base import Problem, Skip, SourceFile
from bedside.ingest.readers.medquad import MedquadXmlReader
from bedside.ingest.readers.pubmedqa import PubmedqaJsonReader


def test_medquad_pairs_become_sections_that_keep_the_question(shared_data: Path) -> None:
    path = shared_data / "medquad" / "1_CancerGov_QA" / "0000001_1.xml"
    reader = MedquadXmlReader()
    assert reader.sniff(SourceFile(path))
    (document,) = list(reader.read(SourceFile(path)))
    assert isinstance(document, SourceDocument)
    assert document.kind is DocumentKind.PATIENT_INFORMATION
    assert document.document_key == "medquad:CancerGov/0000001_1"
    assert document.title == "Adult Acute Lymphoblastic Leukemia"
    assert document.source == "National Cancer Institute (NCI)"
    assert document.url == "https://www.cancer.gov/types/leukemia/patient/adult-all-treatment-pdq"
    first = document.sections[0]
    assert first.question == "What is (are) Adult Acute Lymphoblastic Leukemia ?"
    assert first.text.startswith("Key Points")
    assert document.extra["pairs"][0]["question_type"] == "information"
    assert "CC BY 4.0" in (document.licence or "")


def test_medquad_removed_answers_are_counted_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "0000099_1.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document id="0000099_1" source="MPlusDrugs" url="https://example.org/drug">'
        "<Focus>Fictional drug</Focus><QAPairs>"
        '<QAPair pid="1"><Question qid="q1" qtype="usage">How is it used?</Question>'
        "<Answer></Answer></QAPair>"
        '<QAPair pid="2"><Question qid="q2" qtype="information">What is it?</Question>'
        "<Answer>It is a fictional drug.</Answer></QAPair></QAPairs></Document>"
    )
    items = list(MedquadXmlReader().read(SourceFile(path)))
    skips = [item for item in items if isinstance(item, Skip)]
    documents = [item for item in items if isinstance(item, SourceDocument)]
    assert [skip.source_id for skip in skips] == ["MPlusDrugs/0000099_1#1"]
    assert len(documents) == 1 and len(documents[0].sections) == 1


def test_pubmedqa_records_keep_labels_question_and_conclusion(shared_data: Path) -> None:
    path = shared_data / "pubmedqa" / "ori_pqal.json"
    reader = PubmedqaJsonReader()
    assert reader.sniff(SourceFile(path))
    documents = [i for i in reader.read(SourceFile(path)) if isinstance(i, SourceDocument)]
    assert len(documents) == 1000
    first = next(d for d in documents if d.source_id == "21645374")
    assert first.title.startswith("Do mitochondria play a role in remodelling lace plant")
    assert first.pmid == "21645374" and first.year
    assert first.sections[-1].path == ("Abstract", "Conclusions")
    assert first.extra["final_decision"] in {"yes", "no", "maybe"}
    assert first.mesh_terms


def test_pubmedqa_bad_record_is_a_problem_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "pqa.json"
    path.write_text(
        json.dumps(
            {
                "1": {"QUESTION": "Fine?", "CONTEXTS": ["Fine text."], "LABELS": ["BACKGROUND"]},
                "2": {"QUESTION": "Broken?", "CONTEXTS": []},
            }
        )
    )
    items = list(PubmedqaJsonReader().read(SourceFile(path)))
    assert isinstance(items[0], SourceDocument)
    assert isinstance(items[1], Problem)
    assert "2.CONTEXTS" in str(items[1].error) and "pqa.json" in str(items[1].error)
