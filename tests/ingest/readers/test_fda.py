"""FDA drug-label readers: the real SPL labels and label-section files in ../shared/data/fda-labels,
plus small synthetic files for titles and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.formats import detect_reader
from bedside.ingest.readers.base import Problem, Reader, ReadItem, SourceFile
from bedside.ingest.readers.fda import (
    LabelSectionsJsonReader,
    SplXmlReader,
    clean_section_text,
    display_brand,
)
from bedside.registry import load_all

SPL = SplXmlReader()
SECTIONS = LabelSectionsJsonReader()
SPL_FILES = (
    "humira.xml",
    "lipitor-orig.xml",
    "lipitor-repack.xml",
    "cough.xml",
    "no-title.xml",
    "64f8040f-938d-4236-8e22-c838c9b5f8da.xml",
)
SECTION_FILES = (
    "demner-fushman-train-labels.json",
    "demner-fushman-test-labels.json",
    "fda-pediatric-special-populations-annot.json",
)


def spl_path(shared_data: Path, name: str) -> Path:
    return shared_data / "fda-labels" / "spl-xml" / name


def sections_path(shared_data: Path, name: str) -> Path:
    return shared_data / "fda-labels" / "label-sections" / name


def read_label(path: Path) -> SourceDocument:
    (document,) = list(SPL.read(SourceFile(path)))
    assert isinstance(document, SourceDocument)
    return document


def documents(items: list[ReadItem]) -> list[SourceDocument]:
    return [item for item in items if isinstance(item, SourceDocument)]


def section_under(document: SourceDocument, *headings: str) -> Section:
    return next(s for s in document.sections if s.path[1 : 1 + len(headings)] == headings)


# -- sniffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SPL_FILES)
def test_spl_labels_are_recognised_only_by_the_spl_reader(shared_data: Path, name: str) -> None:
    file = SourceFile(spl_path(shared_data, name))
    assert SPL.sniff(file)
    assert not SECTIONS.sniff(file)


@pytest.mark.parametrize("name", SECTION_FILES)
def test_label_section_files_are_recognised_only_by_their_reader(
    shared_data: Path, name: str
) -> None:
    file = SourceFile(sections_path(shared_data, name))
    assert SECTIONS.sniff(file)
    assert not SPL.sniff(file)


@pytest.mark.parametrize(
    "relative", ["medquad/1_CancerGov_QA/0000001_1.xml", "pubmedqa/ori_pqal.json"]
)
def test_other_corpora_are_not_taken_for_drug_labels(shared_data: Path, relative: str) -> None:
    file = SourceFile(shared_data / relative)
    assert not SPL.sniff(file)
    assert not SECTIONS.sniff(file)


@pytest.mark.parametrize(
    "content",
    [
        b'{"label_id": "X", "section_name": "SP", "section_text": "t"}',
        b"[1, 2, 3]",
        b'[{"id": "1", "title": "t", "text": "x"}]',
        b'[{"label_id": "X", "section_text": "no section name"}]',
        b"[{\xff\xfe not json at all",
        b"<document/>",
    ],
)
def test_label_sections_sniff_refuses_other_content_without_raising(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    assert not SECTIONS.sniff(SourceFile(path))
    assert not SPL.sniff(SourceFile(path))


def test_detection_picks_the_fda_readers_among_all_registered_readers(shared_data: Path) -> None:
    # Holds whether or not the FDA readers are registered yet: no other reader claims these files.
    readers: dict[str, Reader] = {
        name: factory() for name, factory in load_all("reader").items() if "fda" not in name
    }
    readers |= {SPL.name: SPL, SECTIONS.name: SECTIONS}
    for name in SPL_FILES:
        assert detect_reader(SourceFile(spl_path(shared_data, name)), readers) is SPL
    for name in SECTION_FILES:
        assert detect_reader(SourceFile(sections_path(shared_data, name)), readers) is SECTIONS


# -- SPL XML: the real labels ----------------------------------------------------------------------


def test_humira_label_keeps_its_names_manufacturer_set_id_and_date(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "humira.xml"))
    assert label.kind is DocumentKind.DRUG_LABEL
    assert label.document_key == "fda-spl:608d4f0d-b19f-46d3-749a-7159aa5f933d"
    assert label.title == "Humira (adalimumab) drug label"
    assert label.source == "AbbVie Inc."
    assert label.year == 2013
    assert label.url == (
        "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=608d4f0d-b19f-46d3-749a-7159aa5f933d"
    )
    assert label.licence == "Public domain (US FDA drug label)"
    extra = label.extra
    assert extra["set_id"] == "608d4f0d-b19f-46d3-749a-7159aa5f933d"
    assert extra["effective_date"] == "2013-09-30"
    assert extra["version"] == 1560
    assert extra["brand_names"] == ["Humira"]
    # The kit's alcohol swabs are a part, not the drug.
    assert extra["generic_names"] == ["adalimumab"]
    assert extra["manufacturer"] == "AbbVie Inc."
    assert extra["label_type"] == "HUMAN PRESCRIPTION DRUG LABEL"


def test_humira_boxed_warning_and_adverse_reactions_are_sections_with_real_text(
    shared_data: Path,
) -> None:
    label = read_label(spl_path(shared_data, "humira.xml"))
    boxed = label.sections[0]
    assert boxed.path == (label.title, "WARNING: SERIOUS INFECTIONS AND MALIGNANCY")
    assert "increased risk for developing serious infections" in boxed.text
    assert "Lymphoma and other malignancies" in boxed.text
    trials = section_under(label, "6 ADVERSE REACTIONS", "6.1 Clinical Trials Experience")
    assert "20% of patients treated with HUMIRA developed injection site reactions" in trials.text
    keys = [entry["key"] for entry in label.extra["sections"]]
    assert keys[0] == "boxed_warning"
    assert {"adverse_reactions", "pediatric_use", "drug_interactions", "pregnancy"} <= set(keys)
    assert {"key": "adverse_reactions", "heading": "6 ADVERSE REACTIONS"} in label.extra["sections"]


def test_highlights_and_package_labels_are_left_out(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "humira.xml"))
    text = "\n".join(section.text for section in label.sections)
    # Only the Highlights excerpt of the boxed warning says this.
    assert "See full prescribing information for complete boxed warning" not in text
    assert "PRINCIPAL DISPLAY PANEL" not in text
    assert all(section.text for section in label.sections)


def test_tables_become_one_line_per_row_with_their_footnotes(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "lipitor-orig.xml"))
    text = "\n".join(s.text for s in label.sections if s.path[2:3] == ("12.3 Pharmacokinetics",))
    assert "Cyclosporine 5.2 mg/kg/day, stable dose; 10 mg QD for 28 days; ↑ 8.7 fold" in text
    assert "\nSaquinavir 400 mg BID/ ritonavir 400mg BID, 15 days; 40 mg QD" in text
    assert "Data given as x-fold change represent a simple ratio" in text


def test_a_repackaged_label_is_its_own_source(shared_data: Path) -> None:
    original = read_label(spl_path(shared_data, "lipitor-orig.xml"))
    repackaged = read_label(spl_path(shared_data, "lipitor-repack.xml"))
    assert original.source_id == "c6e131fe-e7df-4876-83f7-9156fc4e8228"
    assert repackaged.source_id == "17a163ef-b349-4e32-bc8c-b02bac7f65d6"
    assert original.extra["brand_names"] == repackaged.extra["brand_names"] == ["Lipitor"]
    assert repackaged.source == "PD-Rx Pharmaceuticals, Inc."


def test_the_set_id_not_the_document_id_identifies_a_label(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "64f8040f-938d-4236-8e22-c838c9b5f8da.xml"))
    assert label.source_id == "0b0be196-0c62-461c-94f4-9a35339b4501"
    assert label.extra["spl_id"] == "64f8040f-938d-4236-8e22-c838c9b5f8da"
    assert label.title == "Viagra (sildenafil citrate) drug label"


def test_label_without_title_is_named_from_its_product(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "no-title.xml"))
    assert label.title == "Haloperidol drug label"
    assert label.sections[0].path == ("Haloperidol drug label", "Boxed warning")
    assert "Increased Mortality in Elderly Patients" in label.sections[0].text


def test_boxes_drawn_inside_other_sections_are_not_boxed_warnings(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "no-title.xml"))
    keys = [entry["key"] for entry in label.extra["sections"]]
    assert keys.count("boxed_warning") == 1
    assert not any("Boxed warning" in s.path[2:] for s in label.sections)
    adults = [
        s.text
        for s in label.sections
        if s.path[1:] == ("DOSAGE AND ADMINISTRATION", "Inital Dosage Range", "Adults")
    ]
    assert any("Moderate Symptomatology - 0.5 mg to 2 mg" in text for text in adults)


def test_otc_drug_facts_keep_their_panels_and_dosing_chart(shared_data: Path) -> None:
    label = read_label(spl_path(shared_data, "cough.xml"))
    assert label.extra["label_type"] == "HUMAN OTC DRUG LABEL"
    assert label.title.startswith("Triaminic Childrens Night Time Cold and Cough (")
    keys = [entry["key"] for entry in label.extra["sections"]]
    assert {"do_not_use", "stop_use", "dosage", "active_ingredient"} <= set(keys)
    directions = section_under(label, "Directions")
    assert "children under 4 years of age; do not use" in directions.text
    do_not_use = section_under(label, "Warnings", "Do not use")
    assert do_not_use.text.startswith("- in a child under 4 years of age")


@pytest.mark.parametrize(
    ("brand", "shown"),
    [
        ("HUMIRA", "Humira"),
        ("TYLENOL PM", "Tylenol PM"),
        ("ZYRTEC-D", "Zyrtec-D"),
        ("AdreView", "AdreView"),
        ("Lipitor", "Lipitor"),
    ],
)
def test_brands_in_capitals_are_shown_in_title_case(brand: str, shown: str) -> None:
    assert display_brand(brand) == shown


# -- SPL XML: synthetic labels ---------------------------------------------------------------------


def make_spl(
    *,
    set_id: str = '<setId root="AAAA1111-2222-3333-4444-555566667777"/>',
    title: str = "<title/>",
    body: str = "",
) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<document xmlns="urn:hl7-org:v3">\n'
        '<id root="99999999-0000-0000-0000-000000000000"/>\n'
        '<code code="34391-3" codeSystem="2.16.840.1.113883.6.1" '
        'displayName="HUMAN PRESCRIPTION DRUG LABEL"/>\n'
        f'{title}\n<effectiveTime value="20200131"/>\n{set_id}\n'
        '<versionNumber value="3"/>\n'
        "<component><structuredBody>"
        f"{body}"
        "</structuredBody></component></document>\n"
    )


ADVERSE_REACTIONS = (
    '<component><section><code code="34084-4" codeSystem="2.16.840.1.113883.6.1"/>'
    "<text><paragraph>Fictional rash.</paragraph>"
    "<list><item>dizziness</item><item>nausea</item></list></text></section></component>"
)


def test_label_without_names_takes_its_title_line_and_without_either_its_set_id(
    tmp_path: Path,
) -> None:
    titled = tmp_path / "titled.xml"
    titled.write_text(
        make_spl(
            title="<title>These highlights do not include all the information needed to use "
            "FICTIZOL safely.<br/>FICTIZOL (fictizolam) tablets, for oral use<br/>"
            "Initial U.S. Approval: 2020</title>",
            body=ADVERSE_REACTIONS,
        )
    )
    untitled = tmp_path / "untitled.xml"
    untitled.write_text(make_spl(body=ADVERSE_REACTIONS))
    label = read_label(titled)
    assert label.title == "FICTIZOL (fictizolam) tablets, for oral use"
    assert label.source_id == "aaaa1111-2222-3333-4444-555566667777"
    assert label.year == 2020 and label.extra["effective_date"] == "2020-01-31"
    (section,) = label.sections
    assert section.path == (label.title, "Adverse reactions")
    assert section.text == "Fictional rash.\n\n- dizziness\n- nausea"
    assert read_label(untitled).title == "Drug label aaaa1111"


def test_damaged_spl_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xml"
    path.write_text(make_spl(body=ADVERSE_REACTIONS)[:-40])
    assert SPL.sniff(SourceFile(path))
    with pytest.raises(InputError) as caught:
        list(SPL.read(SourceFile(path)))
    assert "damaged.xml" in str(caught.value)
    assert "malformed XML" in str(caught.value)


def test_label_without_set_id_is_an_input_error_naming_the_element(tmp_path: Path) -> None:
    path = tmp_path / "no-set-id.xml"
    path.write_text(make_spl(set_id="", body=ADVERSE_REACTIONS))
    with pytest.raises(InputError) as caught:
        list(SPL.read(SourceFile(path)))
    assert caught.value.where == "setId"
    assert "no-set-id.xml" in str(caught.value) and "setId" in str(caught.value)


# -- label-section JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SECTION_FILES)
def test_one_document_per_distinct_label(shared_data: Path, name: str) -> None:
    path = sections_path(shared_data, name)
    label_ids = {row["label_id"] for row in json.loads(path.read_text())}
    items = list(SECTIONS.read(SourceFile(path)))
    assert not [item for item in items if isinstance(item, Problem)]
    read = documents(items)
    assert len(read) == len(label_ids)
    assert {document.source_id for document in read} == label_ids
    assert all(
        document.kind is DocumentKind.DRUG_LABEL and document.year is None for document in read
    )
    texts = [section.text for document in read for section in document.sections]
    assert all(texts)
    assert not any("EXCERPT:" in text or "To report SUSPECTED" in text for text in texts)


def test_eliquis_adverse_reactions_are_clean_text(shared_data: Path) -> None:
    path = sections_path(shared_data, "demner-fushman-test-labels.json")
    if not any(row["label_id"] == "ELIQUIS" for row in json.loads(path.read_text())):
        path = sections_path(shared_data, "demner-fushman-train-labels.json")
    eliquis = next(
        d for d in documents(list(SECTIONS.read(SourceFile(path)))) if d.source_id == "ELIQUIS"
    )
    assert eliquis.title == "Eliquis drug label"
    assert eliquis.extra["brand_names"] == ["ELIQUIS"]
    adverse = next(
        s for s in eliquis.sections if s.path == ("Eliquis drug label", "Adverse reactions")
    )
    assert "Most common adverse reactions (>1%) are related to bleeding" in adverse.text
    assert "EXCERPT" not in adverse.text and "1-800-FDA-1088" not in adverse.text
    assert "- Bleeding [seeWarnings and Precautions (5.2)]" in adverse.text
    assert {"key": "boxed_warning", "heading": "Boxed warning"} in eliquis.extra["sections"]


def test_paediatric_sections_are_named_by_set_id_not_by_a_guessed_drug(shared_data: Path) -> None:
    path = sections_path(shared_data, "fda-pediatric-special-populations-annot.json")
    first = documents(list(SECTIONS.read(SourceFile(path))))[0]
    assert first.source_id == "02a70900-90dd-43e0-b5f6-e618ccb07859"
    assert first.title == "Drug label 02a70900: paediatric use"
    assert first.url == (
        "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid=02a70900-90dd-43e0-b5f6-e618ccb07859"
    )
    assert first.extra["set_id"] == first.source_id and "brand_names" not in first.extra
    (section,) = first.sections
    assert section.path == (first.title, "Use in specific populations: paediatric use")
    assert section.text.startswith("elestrin is not indicated in pediatric patients.")
    assert first.extra["sections"] == [
        {"key": "pediatric_use", "heading": "Use in specific populations: paediatric use"}
    ]


def test_bad_row_is_a_problem_naming_row_and_field_and_reading_carries_on(tmp_path: Path) -> None:
    path = tmp_path / "sections.json"
    rows = [
        {"label_id": "FICTIZOL", "section_name": "adverse reactions", "section_text": "Rash."},
        {"label_id": "FICTIZOL", "section_name": "boxed warnings"},
        {
            "label_id": "Placebix",
            "section_name": "warnings and precautions",
            "section_text": "Mild.",
        },
        {"label_id": "Placebix", "section_name": "indications", "section_text": "None."},
    ]
    path.write_text(json.dumps(rows))
    assert SECTIONS.sniff(SourceFile(path))
    items = list(SECTIONS.read(SourceFile(path)))
    assert [type(item).__name__ for item in items] == [
        "SourceDocument",
        "Problem",
        "SourceDocument",
        "Problem",
    ]
    fictizol, missing, placebix, unknown = items
    assert isinstance(fictizol, SourceDocument) and isinstance(placebix, SourceDocument)
    assert fictizol.title == "Fictizol drug label"
    assert [s.path for s in fictizol.sections] == [("Fictizol drug label", "Adverse reactions")]
    assert placebix.sections[0].text == "Mild."
    assert isinstance(missing, Problem) and isinstance(unknown, Problem)
    assert missing.error.where == "[1].section_text"
    assert "sections.json" in str(missing.error) and "row 1" in str(missing.error)
    assert unknown.error.where == "[3].section_name"


def test_file_that_is_not_a_json_array_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"label_id": "X", "section_name": "SP", "section_text": "t"')
    with pytest.raises(InputError) as caught:
        list(SECTIONS.read(SourceFile(path)))
    assert "broken.json" in str(caught.value) and "invalid JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "  6 ADVERSE   REACTIONS\n\n\n\n  Rash  occurred.",
            "6 ADVERSE REACTIONS\n\nRash occurred.",
        ),
        ("   EXCERPT:   Most common: rash. (  6.1  )", "Most common: rash. (6.1)"),
        (
            "Rash (6.1) To report SUSPECTED ADVERSE REACTIONS, contact Acme at 1-800-000-0000 or "
            "FDA at 1-800-FDA-1088 or  www.fda.gov/medwatch  .  \n\n 6.1 Trials",
            "Rash (6.1)\n\n6.1 Trials",
        ),
        (
            " *  ?  Bleeding [see  Warnings (  5.2 )  ]\n *  Rash",
            "- Bleeding [see Warnings (5.2)]\n- Rash",
        ),
        ("effects of\u00a0ezetimibe in 142\u00a0boys", "effects of ezetimibe in 142 boys"),
    ],
)
def test_section_text_cleaning(raw: str, clean: str) -> None:
    assert clean_section_text(raw) == clean
