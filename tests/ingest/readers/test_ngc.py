"""NGC guideline summaries: the real files in ../shared/data/guidelines-ngc, and fictional ones."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from lxml import etree

from bedside.domain import DocumentKind, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import SourceFile
from bedside.ingest.readers.ngc import NgcXmlReader

NGC = "guidelines-ngc"
RECOMMENDATIONS = "Major recommendations"

# Summaries whose developers grade no statement in a parenthetical, so every statement of their
# "Major Recommendations" is listed ungraded. If one of these starts showing grades, or a graded
# summary stops, the grade parsing has changed.
UNGRADED = {
    # Health Care for the Homeless Clinicians' Network: practice adaptations, no grading scheme.
    "ngc-10207",
    "ngc-10208",
    # Washington State Department of Labor and Industries: coverage criteria and tables.
    "ngc-10245",
    "ngc-10246",
    "ngc-10410",
    "ngc-10411",
    "ngc-10412",
    "ngc-10413",
    "ngc-10442",
    "ngc-9597",
    # Colorado Division of Workers' Compensation: the evidence ("good evidence") is in the prose.
    "ngc-10646",
    "ngc-10647",
    "ngc-10966",
    "ngc-11050",
    "ngc-11260",
    "ngc-11313",
    "ngc-11314",
    # CDC: HBV care of health-care personnel (no scheme), family planning ("Quality of evidence:"
    # paragraphs), contraceptive eligibility and practice (categories 1-4 are in tables left in
    # the original document); APHL/CDC HIV laboratory testing (no scheme).
    "ngc-10302",
    "ngc-10356",
    "ngc-11091",
    "ngc-11099",
    "ngc-10520",
    # Community Preventive Services Task Force: "recommends ... on the basis of strong evidence".
    "ngc-10796",
    "ngc-10799",
    # Laboratory Medicine Best Practices systematic reviews (ASM, CDC): conclusions in prose.
    "ngc-11073",
    "ngc-11074",
    "ngc-11087",
}


def read_one(path: Path) -> SourceDocument:
    (document,) = list(NgcXmlReader().read(SourceFile(path)))
    assert isinstance(document, SourceDocument)
    return document


def recommendation_sections(document: SourceDocument) -> list[tuple[tuple[str, ...], str]]:
    return [
        (section.path, section.text)
        for section in document.sections
        if section.path[1:2] == (RECOMMENDATIONS,) and section.path[-1] != "Definitions"
    ]


def make_summary(
    tmp_path: Path,
    *,
    name: str = "ngc-99001.xml",
    title: str | None = "Fictional guideline for testing the reader.",
    recommendations: str = "<p>Offer the fictional test (<strong>B recommendation</strong>).</p>",
    fields: dict[str, str] | None = None,
) -> Path:
    """A summary in NGC's template, with HTML escaped into `Value` attributes as NGC did."""
    root = etree.Element("Version")
    etree.SubElement(root, "xmlSource").text = "Fictional content in the NGC format."
    general = etree.SubElement(root, "Section", Name="General")
    if title is not None:
        _add_field(general, "Guideline Title", f'<div class="content_title">{title}</div>')
    _add_field(
        general,
        "Bibliographic Source(s)",
        "<table><tr><td>Fictional Task Force (FTF). Fictional guideline. J Fict Med. 2015 Mar 3;"
        "1(1):1-9. [3 references] <a href='https://pubmed.ncbi.nlm.nih.gov/11111111/'>PubMed</a>"
        "</td></tr></table>",
    )
    recommending = etree.SubElement(root, "Section", Name="Recommendations")
    _add_field(recommending, "Major Recommendations", recommendations)
    identifying = etree.SubElement(root, "Section", Name="Identifying Information")
    _add_field(identifying, "Guideline Developer(s)", "Fictional Task Force - Expert Panel")
    for field_name, value in (fields or {}).items():
        _add_field(identifying, field_name, value)
    path = tmp_path / name
    path.write_bytes(etree.tostring(root, encoding="utf-8"))
    return path


def _add_field(section: etree._Element, name: str, value: str) -> None:
    field = etree.SubElement(section, "Field", Name=name, Type="text")
    etree.SubElement(field, "FieldValue", Value=value)


# -- detection -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ngc-10192.xml", "ngc-10991.xml", "ngc-10953.xml"])
def test_sniff_accepts_ngc_summaries(shared_data: Path, name: str) -> None:
    assert NgcXmlReader().sniff(SourceFile(shared_data / NGC / name))


@pytest.mark.parametrize(
    "relative",
    [
        "medquad/1_CancerGov_QA/0000001_1.xml",
        "pubmed/pubmed-29768149.xml",
        "pubmed/medline16n0902.xml.gz",
        "pmc-rct/PMC1065065.nxml",
        "fda-labels/spl-xml/64f8040f-938d-4236-8e22-c838c9b5f8da.xml",
        "guidelines-ngc/MANIFEST.tsv",
    ],
)
def test_sniff_rejects_other_files(shared_data: Path, relative: str) -> None:
    assert not NgcXmlReader().sniff(SourceFile(shared_data / relative))


def test_sniff_rejects_a_version_element_that_is_no_summary(tmp_path: Path) -> None:
    path = tmp_path / "version.xml"
    path.write_text('<?xml version="1.0"?><Version number="2">1.0</Version>')
    assert not NgcXmlReader().sniff(SourceFile(path))


# -- real summaries ------------------------------------------------------------------------------


def test_uspstf_summary_keeps_title_source_year_and_letter_grades(shared_data: Path) -> None:
    document = read_one(shared_data / NGC / "ngc-10510.xml")
    title = "Screening for abdominal aortic aneurysm: U.S. Preventive Services Task Force"
    assert document.document_key == "ngc:ngc-10510"
    assert document.kind is DocumentKind.GUIDELINE
    assert document.title == f"{title} recommendation statement."
    assert document.source == "U.S. Preventive Services Task Force (USPSTF)"
    assert (document.year, document.pmid) == (2014, "24957320")
    assert document.publication_types == ("Practice Guideline",)
    assert document.licence == "Public domain (US government work; NGC summary)"
    recommendations = document.extra["recommendations"]
    assert [item["grade"] for item in recommendations] == [
        "Grade B",
        "Grade C",
        "Grade I",
        "Grade D",
    ]
    assert recommendations[0]["text"].startswith("The USPSTF recommends 1-time screening for")
    path, text = recommendation_sections(document)[0]
    assert path == (
        document.title,
        RECOMMENDATIONS,
        "Summary of Recommendations and Evidence",
        "Grade B",
    )
    assert text == recommendations[0]["text"]


def test_uspstf_summary_keeps_what_its_grades_mean_and_its_metadata(shared_data: Path) -> None:
    document = read_one(shared_data / NGC / "ngc-10192.xml")
    sections = {section.path[1:]: section.text for section in document.sections}
    definitions = sections[(RECOMMENDATIONS, "Definitions")]
    assert (
        "B | The USPSTF recommends the service. There is high certainty that the net benefit is "
        "moderate" in definitions
    )
    assert sections[("Target Population",)].startswith("Asymptomatic adults aged 55 to 80 years")
    assert "Funding" not in " ".join(path[0] for path in sections)
    extra = document.extra
    assert extra["ngc_id"] == "10192"
    assert extra["status"].startswith("This is the current release of the guideline.")
    assert (extra["release_date"], extra["revision_dates"]) == ("1996", ["2014-03-04"])
    assert extra["bibliographic_source"].endswith("Ann Intern Med. 2014 Mar 4;160(5):330-8.")
    assert extra["developers"] == [
        {"name": "U.S. Preventive Services Task Force", "type": "Independent Expert Panel"}
    ]
    assert extra["may_be_superseded"] is True
    assert "<" not in "".join(section.text for section in document.sections)


@pytest.mark.parametrize(
    ("name", "index", "grade", "opening"),
    [
        # VA/DoD: strength, then whether the evidence was reviewed and how the text changed.
        (
            "ngc-10991.xml",
            0,
            "Strong For; Not Reviewed, Amended",
            "1. The Work Group recommends that all patients",
        ),
        # The grade of recommendation 8 sits in its own paragraph after a nested list.
        (
            "ngc-10991.xml",
            7,
            "Strong For; Reviewed, New-replaced",
            "8. As first-line treatment for uncomplicated mild to moderate MDD",
        ),
        # CDC opioid guideline: category and evidence type.
        (
            "ngc-10953.xml",
            9,
            "recommendation category: B, evidence type: 4",
            "10. When prescribing opioids for chronic pain, clinicians should use urine drug",
        ),
        # NHLBI sickle cell disease: GRADE wording, and consensus statements.
        (
            "ngc-10530.xml",
            0,
            "Strong Recommendation, Moderate-Quality Evidence",
            "1. Administer oral penicillin prophylaxis",
        ),
        ("ngc-10530.xml", 4, "Consensus–Panel Expertise", "5. Remind people with SCD"),
        # VA/DoD 2014: letters in square brackets, and "EO" for expert opinion.
        ("ngc-10511.xml", 1, "Grade EO", "2. Screen for overweight and obesity at least"),
        # CDC PrEP: quality I-III with strength A-C.
        ("ngc-10403.xml", 3, "Grade IIB", "PrEP should be discussed with heterosexually-active"),
    ],
)
def test_other_developers_keep_their_own_grade_wording(
    shared_data: Path, name: str, index: int, grade: str, opening: str
) -> None:
    document = read_one(shared_data / NGC / name)
    recommendation = document.extra["recommendations"][index]
    assert recommendation["grade"] == grade
    assert recommendation["text"].startswith(opening)
    paths = [path for path, text in recommendation_sections(document) if text.startswith(opening)]
    assert paths and paths[0][-1] == grade


def test_va_dod_recommendation_keeps_its_list_and_its_grade(shared_data: Path) -> None:
    document = read_one(shared_data / NGC / "ngc-10991.xml")
    text = document.extra["recommendations"][7]["text"]
    assert "\n- Cognitive behavioral therapy (CBT)\n" in text
    assert text.endswith("(Strong For; Reviewed, New-replaced)")
    assert document.source == (
        "Department of Defense; Department of Veterans Affairs; Veterans Health Administration"
    )


def test_every_summary_reads_with_a_title_and_recommendations(shared_data: Path) -> None:
    folder = shared_data / NGC
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        listed = {row["file"] for row in csv.DictReader(manifest, delimiter="\t")}
    paths = sorted(folder.glob("ngc-*.xml"))
    assert {path.name for path in paths} == listed and len(paths) == 116
    reader = NgcXmlReader()
    ungraded = set()
    for path in paths:
        assert reader.sniff(SourceFile(path)), path.name
        document = read_one(path)
        assert document.source_id == path.stem
        assert document.title and document.source and document.year
        assert 2013 <= document.year <= 2018, path.name
        recommendations = document.extra["recommendations"]
        assert recommendations, f"{path.name}: no recommendation"
        assert len(recommendation_sections(document)) >= len(recommendations)
        if not any(item["grade"] for item in recommendations):
            ungraded.add(document.source_id)
    assert ungraded == UNGRADED


# -- fictional summaries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "grade"),
    [
        ("Offer the fictional test (<strong>B recommendation</strong>).", "Grade B"),
        ("Evidence is insufficient for the fictional test (I statement).", "Grade I"),
        ("Offer the fictional test. <strong>[C]</strong>", "Grade C"),
        ("Screen for the fictional condition yearly. [EO]", "Grade EO"),
        ("Offer the fictional test. (<strong>IIB</strong>)", "Grade IIB"),
        (
            "Offer the test. (Strong For; Reviewed, New-replaced)",
            "Strong For; Reviewed, New-replaced",
        ),
        ("Offer the test. (Weak Against)", "Weak Against"),
        (
            "Offer the test. (Strong Recommendation, Low-Quality Evidence)",
            "Strong Recommendation, Low-Quality Evidence",
        ),
        (
            "Offer the test (recommendation category: A, evidence type: 3).",
            "recommendation category: A, evidence type: 3",
        ),
        ("Offer the test. (Consensus–Adapted)", "Consensus–Adapted"),
        ("Offer the test. (Category IB)", "Category IB"),
        # Not grades: a bracketed abbreviation, a lettered option, an eligibility category, a
        # cross-reference.
        ("Use a contrast study [CT] first.", None),
        ("Choose option (A) or option (B).", None),
        ("The method is classified as category 4 (category 4).", None),
        ("Monitor monthly (see Recommendation 14 below).", None),
    ],
)
def test_grade_is_read_from_the_developers_parenthetical(
    tmp_path: Path, statement: str, grade: str | None
) -> None:
    document = read_one(make_summary(tmp_path, recommendations=f"<p>{statement}</p>"))
    assert [item["grade"] for item in document.extra["recommendations"]] == [grade]
    ((path, _text),) = recommendation_sections(document)
    assert path[-1] == (grade or RECOMMENDATIONS)


def test_lead_in_that_is_no_sentence_stays_with_its_list(tmp_path: Path) -> None:
    html = (
        "<p><strong><u>Drugs to Avoid</u></strong></p><p>DO NOT USE</p>"
        "<ul><li>Fictionaline for chronic pain</li>"
        "<li>Examplemab in an outpatient setting</li></ul>"
        "<p>Use with CAUTION:</p><ul><li>Testol with alcohol</li></ul>"
    )
    document = read_one(make_summary(tmp_path, recommendations=html))
    assert recommendation_sections(document) == [
        (
            (document.title, RECOMMENDATIONS, "Drugs to Avoid"),
            "DO NOT USE\n- Fictionaline for chronic pain\n- Examplemab in an outpatient setting",
        ),
        (
            (document.title, RECOMMENDATIONS, "Drugs to Avoid"),
            "Use with CAUTION:\n- Testol with alcohol",
        ),
    ]


def test_graded_list_items_stand_alone_under_their_heading_with_numbers(tmp_path: Path) -> None:
    html = (
        "<p>The strength of recommendations is defined at the end of the "
        '"Major Recommendations" field.</p>'
        "<p><strong>Note from the National Guideline Clearinghouse (NGC)</strong>: see also:</p>"
        "<ul><li><a href='/content.aspx?id=1'>A sibling summary</a></li></ul>"
        "<p><strong>Screening</strong></p><p>The following apply:</p>"
        "<ol start='4'><li>Screen yearly. (<strong>Strong For</strong>)</li>"
        "<li>Do not screen children.<p>(<strong>Weak Against</strong>)</p></li></ol>"
        "<p><strong><u>Definitions</u></strong>:</p>"
        "<p><strong>Strong For</strong>: the benefits clearly outweigh the harms.</p>"
    )
    document = read_one(make_summary(tmp_path, recommendations=html))
    title = document.title
    assert recommendation_sections(document) == [
        ((title, RECOMMENDATIONS, "Screening"), "The following apply:"),
        ((title, RECOMMENDATIONS, "Screening", "Strong For"), "4. Screen yearly. (Strong For)"),
        (
            (title, RECOMMENDATIONS, "Screening", "Weak Against"),
            "5. Do not screen children.\n(Weak Against)",
        ),
    ]
    assert [item["grade"] for item in document.extra["recommendations"]] == [
        "Strong For",
        "Weak Against",
    ]
    definitions = [s.text for s in document.sections if s.path[-1] == "Definitions"]
    assert definitions == ["Strong For: the benefits clearly outweigh the harms."]


def test_fields_become_clean_text_and_administrative_fields_are_left_out(tmp_path: Path) -> None:
    fields = {
        "Target Population": (
            "<div class='content_para'><p>Adults&nbsp;aged &ge;65 years with evidence"
            "\u00e2\u0080\u0090based fictional risk</p><ul><li>with condition A </li>"
            "<li>with condition B</li></ul></div>"
        ),
        "Potential Harms": "<p>Not stated</p>",
        "Source(s) of Funding": "<p>The Fictional Foundation.</p>",
        "Date Released": "2010 Jan (revised 2015 Mar 3)",
    }
    document = read_one(make_summary(tmp_path, fields=fields))
    sections = {section.path[1:]: section.text for section in document.sections}
    assert sections[("Target Population",)] == (
        "Adults aged ≥65 years with evidence\u2010based fictional risk\n\n"
        "- with condition A\n- with condition B"
    )
    assert ("Potential Harms",) not in sections
    assert ("Source(s) of Funding",) not in sections
    assert document.extra["revision_dates"] == ["2015-03-03"]
    assert document.source == "Fictional Task Force (FTF)"
    assert (document.year, document.pmid) == (2015, "11111111")
    assert document.extra["bibliographic_source"].endswith("J Fict Med. 2015 Mar 3;1(1):1-9.")


def test_source_id_is_the_file_stem_when_the_name_has_no_ngc_number(tmp_path: Path) -> None:
    document = read_one(make_summary(tmp_path, name="fictional-summary.xml"))
    assert document.source_id == "fictional-summary"
    assert document.extra["ngc_id"] is None


def test_damaged_xml_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ngc-99002.xml"
    path.write_text(
        '<Version>\n<Section Name="General">\n<Field Name="Guideline Title" Type="text">\n'
        '<FieldValue Value="A truncated summary" />\n</Field>\n'
    )
    with pytest.raises(InputError, match="malformed XML") as raised:
        list(NgcXmlReader().read(SourceFile(path)))
    assert raised.value.path == str(path) and raised.value.line


@pytest.mark.parametrize("title", [None, "   "])
def test_summary_without_a_title_is_an_input_error_naming_the_field(
    tmp_path: Path, title: str | None
) -> None:
    path = make_summary(tmp_path, title=title)
    with pytest.raises(InputError, match="no guideline title") as raised:
        list(NgcXmlReader().read(SourceFile(path)))
    assert raised.value.path == str(path)
    assert raised.value.where == 'Field Name="Guideline Title"'
