"""HTML reader: small fictional guideline pages written by the tests."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from bedside.domain import DocumentKind, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import SourceFile
from bedside.ingest.readers.html import HtmlReader

SHARED_DATA = Path(
    os.environ.get(
        "BEDSIDE_SHARED_DATA", Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    )
).resolve()

READER = HtmlReader()

GUIDELINE_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Imaginary fever in adults | Fictional Institute</title>
<meta name="citation_title" content="Imaginary fever in adults: assessment and management">
<meta name="citation_author" content="Doe J">
<meta name="citation_author" content="Roe R">
<meta name="DC.publisher" content="Fictional Institute for Made-up Care">
<meta name="citation_publication_date" content="2021/03/04">
<meta name="citation_doi" content="doi:10.9999/fictional.2021.1">
<meta name="citation_pmid" content="12345678">
<meta name="dc.rights" content="CC BY 4.0 (fictional)">
<link rel="canonical" href="https://guidelines.example.org/imaginary-fever">
<style>p { color: red; }</style>
<script>var tracking = "SCRIPT TEXT";</script>
</head>
<body>
<header><p>SITE HEADER</p></header>
<nav><ul><li>NAV LINK</li></ul></nav>
<main>
<header><h1>Imaginary fever</h1><p>Published 4 March 2021.</p></header>
<p>This   fictional guideline
covers adults with imaginary fever.</p>
<h2>Recommendations</h2>
<p>Offer <strong>fictional</strong> fluids.</p>
<ul><li>Check the <em>pretend</em> temperature.</li><li><p>Repeat daily.</p>
<ul><li>Twice if unsure.</li></ul></li></ul>
<h3>Dosage</h3>
<table><tr><th>Drug</th><th>Dose</th></tr><tr><td>Placebolin</td><td><p>5 mg</p></td></tr></table>
<h2>Evidence</h2>
<blockquote>No real evidence exists.</blockquote>
<dl><dt>Imaginary fever</dt><dd>A condition that does not exist.</dd></dl>
<aside>ASIDE TEXT</aside>
<form><label>FORM TEXT</label></form>
<div hidden>HIDDEN TEXT</div>
<noscript>NOSCRIPT TEXT</noscript>
</main>
<footer>SITE FOOTER</footer>
</body>
</html>
"""


def write(tmp_path: Path, content: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read_one(path: Path) -> SourceDocument:
    items = list(READER.read(SourceFile(path)))
    assert len(items) == 1
    document = items[0]
    assert isinstance(document, SourceDocument)
    return document


def all_text(document: SourceDocument) -> str:
    return "\n".join(section.text for section in document.sections)


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><p>x</p></body></html>",
        b"<!doctype HTML>\n<title>x</title><p>x</p>",
        b"<HTML><BODY>x</BODY></HTML>",
        b"\xef\xbb\xbf  <!-- saved from url=(0042)https://example.org -->\n<!DOCTYPE html><p>x",
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        b' Strict//EN" "x.dtd"><html xmlns="http://www.w3.org/1999/xhtml"></html>',
        b"<meta charset=utf-8><title>x</title><body><p>x</p></body>",
    ],
)
def test_sniff_accepts_html(tmp_path: Path, content: bytes) -> None:
    assert READER.sniff(SourceFile(write(tmp_path, content)))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"\x00\x01\x02\x03" * 200,
        b"plain text that mentions <html> later on\n",
        b'{"html": "<body>"}',
        b'<?xml version="1.0"?>\n<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>',
        b'<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "x.dtd">\n<article><front/>'
        b"<body><p>x</p></body></article>",
    ],
)
def test_sniff_rejects_other_formats(tmp_path: Path, content: bytes) -> None:
    assert not READER.sniff(SourceFile(write(tmp_path, content, "other.bin")))


def test_sniff_rejects_real_pmc_and_pubmed_files() -> None:
    assert SHARED_DATA.is_dir(), f"shared data missing: {SHARED_DATA}"
    for path in sorted((SHARED_DATA / "pubmed").iterdir()):
        assert not READER.sniff(SourceFile(path)), path.name


# --- reading -----------------------------------------------------------------------------------


def test_reads_citation_metadata(tmp_path: Path) -> None:
    document = read_one(write(tmp_path, GUIDELINE_PAGE))
    assert document.origin == "html"
    assert document.source_id == "https://guidelines.example.org/imaginary-fever"
    assert document.url == "https://guidelines.example.org/imaginary-fever"
    assert document.kind is DocumentKind.GUIDELINE
    assert document.title == "Imaginary fever in adults: assessment and management"
    assert document.source == "Fictional Institute for Made-up Care"
    assert document.year == 2021
    assert document.authors == ("Doe J", "Roe R")
    assert document.doi == "10.9999/fictional.2021.1"
    assert document.pmid == "12345678"
    assert document.licence == "CC BY 4.0 (fictional)"
    assert document.language == "eng"


def test_sections_follow_the_heading_outline(tmp_path: Path) -> None:
    document = read_one(write(tmp_path, GUIDELINE_PAGE))
    assert [(section.path, section.text) for section in document.sections] == [
        (
            ("Imaginary fever",),
            "Published 4 March 2021.\n\nThis fictional guideline covers adults with imaginary "
            "fever.",
        ),
        (
            ("Imaginary fever", "Recommendations"),
            "Offer fictional fluids.\n\n- Check the pretend temperature.\n- Repeat daily.\n"
            "- Twice if unsure.",
        ),
        (("Imaginary fever", "Recommendations", "Dosage"), "Drug | Dose\nPlacebolin | 5 mg"),
        (
            ("Imaginary fever", "Evidence"),
            "No real evidence exists.\n\nImaginary fever\nA condition that does not exist.",
        ),
    ]
    assert all(section.page is None for section in document.sections)


def test_page_chrome_is_dropped(tmp_path: Path) -> None:
    text = all_text(read_one(write(tmp_path, GUIDELINE_PAGE)))
    for chrome in ("SCRIPT TEXT", "color: red", "SITE HEADER", "NAV LINK", "ASIDE TEXT"):
        assert chrome not in text
    for chrome in ("FORM TEXT", "HIDDEN TEXT", "NOSCRIPT TEXT", "SITE FOOTER"):
        assert chrome not in text


def test_minimal_page_uses_title_path_file_name_and_defaults(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Pretend pathway</title>"
        '<link rel="canonical" href="/relative/only"></head>'
        "<body><p>Before any heading.</p><h2>Step one</h2><p>Do nothing.</p>"
        "<h4>Detail</h4><p>Deeper.</p><h3>Step two</h3><p>Still nothing.</p></body></html>"
    )
    document = read_one(write(tmp_path, page, "pathway.html"))
    assert document.source_id == "pathway.html"  # a relative canonical URL is not an identity
    assert document.url is None
    assert document.title == "Pretend pathway"
    assert document.source is None
    assert document.year is None
    assert document.authors == ()
    assert document.language is None
    assert [section.path for section in document.sections] == [
        ("Pretend pathway",),
        ("Step one",),
        ("Step one", "Detail"),
        ("Step one", "Step two"),
    ]


def test_title_falls_back_to_h1_then_file_name(tmp_path: Path) -> None:
    with_h1 = "<html><body><h1>Heading title</h1><p>Text.</p></body></html>"
    bare = "<html><body><p>Only text.</p></body></html>"
    assert read_one(write(tmp_path, with_h1, "a.html")).title == "Heading title"
    assert read_one(write(tmp_path, bare, "fictional-page.htm")).title == "fictional-page"


def test_open_graph_and_other_meta_fallbacks(tmp_path: Path) -> None:
    page = (
        '<html lang="fr"><head><title>T</title>'
        '<meta property="og:site_name" content="Pretend Health Service">'
        '<meta property="og:url" content="https://pretend.example/page">'
        '<meta property="article:published_time" content="2019-07-01T10:00:00Z">'
        '<link rel="license noopener" href="https://licence.example/open">'
        "</head><body><article><p>Article text.</p></article><p>Outside.</p></body></html>"
    )
    document = read_one(write(tmp_path, page))
    assert document.source == "Pretend Health Service"
    assert document.source_id == "https://pretend.example/page"
    assert document.year == 2019
    assert document.licence == "https://licence.example/open"
    assert document.language == "fre"
    assert all_text(document) == "Article text."


@pytest.mark.parametrize(
    ("declared", "kind"),
    [
        ("research", DocumentKind.RESEARCH),
        ("patient_information", DocumentKind.PATIENT_INFORMATION),
        ("Guideline", DocumentKind.GUIDELINE),
    ],
)
def test_bedside_kind_meta_sets_the_kind(tmp_path: Path, declared: str, kind: DocumentKind) -> None:
    page = f'<html><head><meta name="bedside:kind" content="{declared}"></head><p>x</p></html>'
    assert read_one(write(tmp_path, page)).kind is kind


def test_unknown_bedside_kind_is_an_input_error(tmp_path: Path) -> None:
    page = '<html><head><meta name="bedside:kind" content="novel"></head><p>x</p></html>'
    with pytest.raises(InputError, match="unknown document kind 'novel'"):
        list(READER.read(SourceFile(write(tmp_path, page))))


def test_empty_main_falls_back_to_the_body(tmp_path: Path) -> None:
    page = "<html><body><main></main><div><p>Content outside main.</p></div></body></html>"
    assert all_text(read_one(write(tmp_path, page))) == "Content outside main."


def test_gzipped_page_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, gzip.compress(GUIDELINE_PAGE.encode()), "page.html.gz")
    assert READER.sniff(SourceFile(path))
    assert read_one(path).title == "Imaginary fever in adults: assessment and management"


# --- encodings and errors ----------------------------------------------------------------------


def test_undeclared_latin1_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html>\n<html><head><title>Caf\u00e9</title></head>\n<body>\n<p>Fi\u00e8vre</p>"
    )
    path = write(tmp_path, page.encode("latin-1"))
    assert READER.sniff(SourceFile(path))
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(path)))
    assert caught.value.line == 2
    assert f"{path}:2" in str(caught.value)
    assert "not valid UTF-8" in str(caught.value)


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="iso-8859-1">',
        "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-1'>",
        "<meta charset=windows-1252>",
    ],
)
def test_declared_latin1_charset_decodes(tmp_path: Path, declaration: str) -> None:
    page = (
        f"<!DOCTYPE html><html><head>{declaration}<title>Caf\u00e9 guideline</title></head>"
        "<body><p>Fi\u00e8vre imaginaire \u201cquoted\u201d.</p></body></html>"
    )
    document = read_one(write(tmp_path, page.encode("cp1252")))
    assert document.title == "Caf\u00e9 guideline"
    assert all_text(document) == "Fi\u00e8vre imaginaire \u201cquoted\u201d."


def test_utf8_bom_wins_over_a_wrong_declaration(tmp_path: Path) -> None:
    page = '<html><head><meta charset="iso-8859-1"></head><p>Caf\u00e9</p></html>'
    document = read_one(write(tmp_path, b"\xef\xbb\xbf" + page.encode("utf-8")))
    assert all_text(document) == "Caf\u00e9"


def test_declared_charset_that_does_not_fit_names_the_line(tmp_path: Path) -> None:
    page = b'<html><head><meta charset="shift_jis"></head>\n<p>\x81\xff</p></html>'
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(write(tmp_path, page))))
    assert caught.value.line == 2
    assert "shift_jis" in str(caught.value)


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html><html><head><title>Only a title</title></head><body></body></html>",
        "<html><body><nav>Menu</nav><script>x()</script>   </body></html>",
    ],
)
def test_page_without_text_is_an_input_error(tmp_path: Path, page: str) -> None:
    path = write(tmp_path, page)
    with pytest.raises(InputError, match="no text found") as caught:
        list(READER.read(SourceFile(path)))
    assert str(path) in str(caught.value)


def test_deeply_nested_markup_does_not_overflow(tmp_path: Path) -> None:
    depth = 3000
    page = "<html><body>" + "<div>" * depth + "<p>Deep text.</p>" + "</div>" * depth + "</body>"
    assert all_text(read_one(write(tmp_path, page))) == "Deep text."
