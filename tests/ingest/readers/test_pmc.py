"""PMC JATS reader: three real open-access articles, plus small synthetic JATS for edge cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import Problem, SourceFile
from bedside.ingest.readers.pmc import PmcJatsReader

SHARED_DATA = Path(
    os.environ.get(
        "BEDSIDE_SHARED_DATA", Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    )
).resolve()
PUBMED_DATA = SHARED_DATA / "pubmed"

READER = PmcJatsReader()

JATS_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD '
    'v1.0 20120330//EN" "JATS-archivearticle1.dtd">\n'
)
NAMESPACES = (
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ali="http://www.niso.org/schemas/ali/1.0/"'
)


def read_one(path: Path) -> SourceDocument:
    items = list(READER.read(SourceFile(path)))
    assert len(items) == 1
    document = items[0]
    assert isinstance(document, SourceDocument)
    return document


def real_file(name: str) -> Path:
    assert PUBMED_DATA.is_dir(), f"shared data missing: {PUBMED_DATA}"
    return PUBMED_DATA / name


def jats(
    tmp_path: Path,
    *,
    ids: str = '<article-id pub-id-type="pmc">123456</article-id>',
    meta: str = "",
    body: str = "",
    name: str = "article.nxml",
) -> Path:
    """A minimal fictional JATS article written to `tmp_path`."""
    text = (
        f'{JATS_DOCTYPE}<article {NAMESPACES} article-type="review-article">\n'
        "<front><journal-meta><journal-title>Journal of Imaginary Medicine</journal-title>"
        "</journal-meta>\n"
        f"<article-meta>{ids}\n"
        "<title-group><article-title>A fictional review</article-title></title-group>\n"
        f"{meta}\n</article-meta></front>\n"
        f"<body>{body}</body>\n"
        "<back><ref-list><ref><mixed-citation>Nobody N. A cited paper.</mixed-citation></ref>"
        "</ref-list></back>\n</article>\n"
    )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def paths(document: SourceDocument) -> list[tuple[str, ...]]:
    return [section.path for section in document.sections]


def section(document: SourceDocument, path: tuple[str, ...]) -> Section:
    matches = [candidate for candidate in document.sections if candidate.path == path]
    assert matches, f"no section {path}; have {paths(document)}"
    return matches[0]


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["1471-2180-11-174.nxml", "pntd.0002065.nxml", "pone.0046493.nxml"]
)
def test_sniff_accepts_real_pmc_articles(name: str) -> None:
    assert READER.sniff(SourceFile(real_file(name)))


@pytest.mark.parametrize(
    "name", ["pubmed-29768149.xml", "medline16n0902.xml.gz", "test_current_medline.xml.gz"]
)
def test_sniff_rejects_pubmed_xml(name: str) -> None:
    assert not READER.sniff(SourceFile(real_file(name)))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\xff" * 100,
        b"%PDF-1.4\n",
        b"<!DOCTYPE html><html><body><article><p>x</p></article></body></html>",
        b"<article><p>An HTML fragment mentioning JATS and NLM</p></article>",
        b'{"article": "json"}',
        b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle/></PubmedArticleSet>",
    ],
)
def test_sniff_rejects_other_formats(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.bin"
    path.write_bytes(content)
    assert not READER.sniff(SourceFile(path))


# --- real articles -----------------------------------------------------------------------------


def test_reads_bmc_article_metadata() -> None:
    document = read_one(real_file("1471-2180-11-174.nxml"))
    assert document.origin == "pmc"
    assert document.source_id == "PMC3166277"
    assert document.document_key == "pmc:PMC3166277"
    assert document.kind is DocumentKind.RESEARCH
    assert document.title == "Factors influencing lysis time stochasticity in bacteriophage λ"
    assert document.source == "BMC Microbiology"
    assert document.year == 2011
    assert document.authors == ("Dennehy JJ", "Wang IN")
    assert document.pmid == "21810267"
    assert document.pmcid == "PMC3166277"
    assert document.doi == "10.1186/1471-2180-11-174"
    assert document.url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC3166277/"
    assert document.licence == "http://creativecommons.org/licenses/by/2.0"
    assert document.publication_types == ("research-article",)
    assert document.mesh_terms == ()
    assert document.language == "eng"
    assert document.extra["has_abstract"] is True


def test_reads_bmc_structured_abstract_and_nested_body_sections() -> None:
    document = read_one(real_file("1471-2180-11-174.nxml"))
    assert paths(document)[:4] == [
        ("Abstract", "Background"),
        ("Abstract", "Results"),
        ("Abstract", "Conclusions"),
        ("Background",),
    ]
    assert ("Methods", "Bacterial strains") in paths(document)
    assert ("Discussion", "Effect of energy poison KCN") in paths(document)
    # Markup inside a title (<italic>, <sub>) is flattened, not dropped.
    assert ("Results", "Effect of late promoter pR' activity") in paths(document)
    # A sec with only sub-secs and no paragraphs of its own yields no empty section.
    assert ("Methods",) not in paths(document)
    assert all(section.text for section in document.sections)
    assert section(document, ("Abstract", "Background")).text.startswith(
        "Despite identical genotypes and seemingly uniform environments"
    )


def test_bmc_paragraphs_are_separated_and_floats_become_caption_sections() -> None:
    document = read_one(real_file("1471-2180-11-174.nxml"))
    background = section(document, ("Background",))
    assert background.text.startswith("Some phenotypic variation arises from randomness")
    assert "\n\n" in background.text
    figure = section(document, ("Background", "Figure 1"))
    assert figure.text.startswith("Figure 1: Schematic presentation of two models")
    table = section(document, ("Results", "Table 1"))
    assert (
        table.text
        == "Table 1: Effects of holin allelic sequences on the stochasticity of lysis time."
    )


def test_bmc_leaves_tables_references_and_back_matter_out_of_the_text() -> None:
    text = "\n".join(
        section.text for section in read_one(real_file("1471-2180-11-174.nxml")).sections
    )
    assert "MLT (min)" not in text  # a table header cell
    assert "pooled number of cells observed across several days" not in text  # a table footnote
    assert "Microbial cell individuality and the underlying sources" not in text  # a reference
    assert "insightful comments from Tom Caraco" not in text  # back/ack


def test_reads_plos_ntd_article_with_author_summary() -> None:
    document = read_one(real_file("pntd.0002065.nxml"))
    assert document.source_id == "PMC3585041"
    assert document.title == (
        "Serological Evidence of Rift Valley Fever Virus Circulation in Sheep and Goats "
        "in Zambézia Province, Mozambique"
    )
    assert document.source == "PLoS Neglected Tropical Diseases"
    assert document.year == 2013
    assert document.authors == (
        "Fafetine J",
        "Neves L",
        "Thompson PN",
        "Paweska JT",
        "Rutten VPMG",
        "Coetzer JAW",
    )  # the editor is a contributor but not an author
    assert document.pmid == "23469300"
    assert document.doi == "10.1371/journal.pntd.0002065"
    assert document.licence is not None
    assert document.licence.startswith("This is an open-access article distributed under")
    assert paths(document)[:3] == [("Abstract",), ("Author Summary",), ("Introduction",)]
    assert ("Materials and Methods", "Site description", "Figure 1") in paths(document)
    table = section(
        document, ("Results", "Assessment of inter-epidemic transmission of RVFV", "Table 5")
    )
    assert table.text == "Table 5: Number of RVF seropositive animals in the longitudinal study."


def test_reads_plos_one_article() -> None:
    document = read_one(real_file("pone.0046493.nxml"))
    assert document.source_id == "PMC3460867"
    assert document.title.startswith("MmPPOX Inhibits Mycobacterium tuberculosis Lipolytic")
    assert document.source == "PLoS ONE"
    assert document.year == 2012
    assert document.authors[:3] == ("Delorme V", "Diomandé SV", "Dedieu L")
    assert "Cavalier JF" in document.authors  # hyphenated given names give both initials
    assert document.pmid == "23029536"
    assert document.doi == "10.1371/journal.pone.0046493"
    assert paths(document)[:3] == [("Abstract",), ("Introduction",), ("Introduction", "Figure 1")]
    assert ("Results", "In vitro inhibition studies") in paths(document)
    assert paths(document)[-1] == ("Discussion",)


# --- synthetic edge cases ----------------------------------------------------------------------


def test_pmcid_is_normalised_and_keywords_go_to_extra(tmp_path: Path) -> None:
    path = jats(
        tmp_path,
        ids='<article-id pub-id-type="pmcid">pmc 0042</article-id>',
        meta=(
            '<kwd-group kwd-group-type="author"><kwd>imaginary fever</kwd><kwd>placebo</kwd>'
            "</kwd-group>"
        ),
        body="<sec><title>Intro</title><p>Text.</p></sec>",
    )
    document = read_one(path)
    assert document.source_id == "PMC0042"
    assert document.pmcid == "PMC0042"
    assert document.url == "https://pmc.ncbi.nlm.nih.gov/articles/PMC0042/"
    assert document.mesh_terms == ()
    assert document.extra["keywords"] == ["imaginary fever", "placebo"]
    assert document.extra["has_abstract"] is False
    assert document.publication_types == ("review-article",)
    assert document.source == "Journal of Imaginary Medicine"


def test_falls_back_to_pmid_then_doi_for_the_source_id(tmp_path: Path) -> None:
    with_pmid = jats(
        tmp_path,
        ids='<article-id pub-id-type="pmid">999</article-id>'
        '<article-id pub-id-type="doi">10.9999/fake.1</article-id>',
        body="<p>Text.</p>",
        name="pmid.nxml",
    )
    with_doi = jats(
        tmp_path,
        ids='<article-id pub-id-type="doi">10.9999/fake.2</article-id>',
        body="<p>Text.</p>",
        name="doi.nxml",
    )
    assert read_one(with_pmid).source_id == "999"
    assert read_one(with_pmid).pmcid is None
    assert read_one(with_doi).source_id == "10.9999/fake.2"
    assert read_one(with_doi).url == "https://doi.org/10.9999/fake.2"


def test_article_without_any_id_is_an_input_error(tmp_path: Path) -> None:
    path = jats(tmp_path, ids="", body="<p>Text.</p>")
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(path)))
    assert caught.value.where == "article-meta/article-id"
    assert str(path) in str(caught.value)


def test_synthetic_metadata_pub_dates_collab_and_licence_ref(tmp_path: Path) -> None:
    meta = (
        '<contrib-group><contrib contrib-type="author"><name><surname>Doe</surname>'
        "<given-names>Jane A.</given-names></name></contrib>"
        '<contrib contrib-type="author"><collab>Imaginary Trials Group'
        '<contrib-group><contrib contrib-type="author"><name><surname>Member</surname>'
        "<given-names>M</given-names></name></contrib></contrib-group></collab></contrib>"
        "</contrib-group>"
        '<pub-date pub-type="collection"><year>2001</year></pub-date>'
        '<pub-date pub-type="ppub"><year>2002</year></pub-date>'
        "<permissions><license><ali:license_ref>https://creativecommons.org/licenses/by/4.0/"
        "</ali:license_ref><license-p>Some words.</license-p></license></permissions>"
    )
    document = read_one(jats(tmp_path, meta=meta, body="<p>Text.</p>"))
    assert document.authors == ("Doe JA", "Imaginary Trials Group")
    assert document.year == 2002
    assert document.licence == "https://creativecommons.org/licenses/by/4.0/"


def test_any_pub_date_is_a_fallback_year(tmp_path: Path) -> None:
    meta = '<pub-date pub-type="collection"><year>2003</year></pub-date>'
    assert read_one(jats(tmp_path, meta=meta, body="<p>Text.</p>")).year == 2003


def test_synthetic_body_lists_inline_floats_and_formulas(tmp_path: Path) -> None:
    body = (
        "<p>Untitled opening paragraph.</p>"
        "<sec><title>Methods</title><sec><title>Study design</title>"
        "<p>We enrolled <italic>imaginary</italic> patients"
        '<fig id="f1"><label>Figure 1</label><caption><title>Flow chart.</title>'
        "<p>Made up.</p></caption><graphic/></fig> in 2020.</p>"
        "<disp-formula><tex-math>x^2</tex-math></disp-formula>"
        '<list list-type="bullet"><list-item><p>first</p></list-item>'
        "<list-item><p>second</p></list-item></list>"
        "<table-wrap><label>Table 1</label><caption><p>Doses.</p></caption>"
        "<table><tr><td>SECRET CELL</td></tr></table></table-wrap>"
        "</sec></sec>"
    )
    meta = "<abstract><p>Short abstract.</p></abstract>"
    document = read_one(jats(tmp_path, meta=meta, body=body))
    assert paths(document) == [
        ("Abstract",),
        ("Main text",),
        ("Methods", "Study design"),
        ("Methods", "Study design", "Figure 1"),
        ("Methods", "Study design", "Table 1"),
    ]
    design = section(document, ("Methods", "Study design"))
    assert design.text == "We enrolled imaginary patients in 2020.\n\n- first\n- second"
    assert section(document, ("Methods", "Study design", "Figure 1")).text == (
        "Figure 1: Flow chart. Made up."
    )
    all_text = " ".join(section.text for section in document.sections)
    assert "SECRET CELL" not in all_text
    assert "x^2" not in all_text
    assert "A cited paper" not in all_text


def test_articleset_reports_a_bad_article_and_carries_on(tmp_path: Path) -> None:
    article = (
        "<article><front><article-meta>{ids}<title-group><article-title>{title}"
        "</article-title></title-group></article-meta></front><body><p>Text.</p></body></article>"
    )
    path = tmp_path / "set.xml"
    path.write_text(
        "<pmc-articleset>"
        + article.format(ids="", title="No ids")
        + article.format(ids='<article-id pub-id-type="pmc">7</article-id>', title="Fine")
        + "</pmc-articleset>",
        encoding="utf-8",
    )
    assert READER.sniff(SourceFile(path))
    first, second = list(READER.read(SourceFile(path)))
    assert isinstance(first, Problem)
    assert first.error.where == "article-meta/article-id"
    assert isinstance(second, SourceDocument)
    assert second.source_id == "PMC7"


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.nxml"
    path.write_text(
        JATS_DOCTYPE
        + "<article>\n<front>\n<article-meta>\n<title-group></article-meta>\n</front></article>\n",
        encoding="utf-8",
    )
    assert READER.sniff(SourceFile(path))
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(path)))
    assert caught.value.line == 5
    assert f"{path}:5" in str(caught.value)
    assert "malformed XML" in str(caught.value)


def test_truncated_real_article_is_an_input_error_with_a_line(tmp_path: Path) -> None:
    data = real_file("pone.0046493.nxml").read_bytes()
    path = tmp_path / "truncated.nxml"
    path.write_bytes(data[: len(data) // 2])
    assert READER.sniff(SourceFile(path))
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(path)))
    assert caught.value.line is not None
    assert f"{path}:{caught.value.line}" in str(caught.value)
