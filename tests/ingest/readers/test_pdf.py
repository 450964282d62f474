"""PDF reader and the hand-written test PDF builder."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.domain import DocumentKind, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import SourceFile
from bedside.ingest.readers.pdf import PdfReader
from bedside.testing.pdf_builder import make_image_only_pdf, make_pdf

SHARED_DATA = Path(
    os.environ.get(
        "BEDSIDE_SHARED_DATA", Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    )
).resolve()

READER = PdfReader()

GUIDELINE_PAGES = [
    ["Imaginary Fever: A Fictional Guideline", "Version 1, for testing only."],
    ["1 Recommendations", "Offer pretend fluids (as needed) to adults."],
    [],  # a blank page, e.g. "intentionally left blank"
    ["2 Evidence", "No real evidence exists \\ none at all."],
]


def write(tmp_path: Path, data: bytes, name: str = "guideline.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_one(path: Path) -> SourceDocument:
    items = list(READER.read(SourceFile(path)))
    assert len(items) == 1
    document = items[0]
    assert isinstance(document, SourceDocument)
    return document


def rewrite(data: bytes, *, outline: bool = False, user_password: str | None = None) -> bytes:
    """Copy a PDF through pypdf, adding bookmarks or encryption."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    if outline:
        recommendations = writer.add_outline_item(title="Recommendations", page_number=1)
        writer.add_outline_item(title="Dosing", page_number=2, parent=recommendations)
        writer.add_outline_item(title="Evidence", page_number=3)
    if user_password is not None:
        writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- builder -----------------------------------------------------------------------------------


def test_builder_output_reads_back_with_pypdf() -> None:
    data = make_pdf(GUIDELINE_PAGES, title="Fictional title \u2013 \u00e9", author="Doe J")
    pdf = pypdf.PdfReader(io.BytesIO(data), strict=True)  # strict: the xref offsets are exact
    assert len(pdf.pages) == 4
    texts = [page.extract_text() for page in pdf.pages]
    assert texts[0] == "Imaginary Fever: A Fictional Guideline\nVersion 1, for testing only."
    assert texts[1] == "1 Recommendations\nOffer pretend fluids (as needed) to adults."
    assert texts[2] == ""
    assert texts[3] == "2 Evidence\nNo real evidence exists \\ none at all."
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Fictional title \u2013 \u00e9"
    assert pdf.metadata.author == "Doe J"


def test_builder_writes_accented_text_in_winansi() -> None:
    data = make_pdf([["Caf\u00e9 na\u00efve \u2013 \u201cquoted\u201d"]])
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert text == "Caf\u00e9 na\u00efve \u2013 \u201cquoted\u201d"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789.,;:()", min_size=1),
            min_size=1,
            max_size=4,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_builder_round_trips_words(pages: list[list[str]]) -> None:
    pdf = pypdf.PdfReader(io.BytesIO(make_pdf(pages)), strict=True)
    assert [page.extract_text().split("\n") for page in pdf.pages] == pages


def test_image_only_pdf_is_valid_but_has_no_text() -> None:
    pdf = pypdf.PdfReader(io.BytesIO(make_image_only_pdf()), strict=True)
    assert len(pdf.pages) == 1
    assert pdf.pages[0].extract_text().strip() == ""


# --- sniff -------------------------------------------------------------------------------------


def test_sniff_accepts_pdf(tmp_path: Path) -> None:
    assert READER.sniff(SourceFile(write(tmp_path, make_pdf([["x"]]))))
    assert READER.sniff(SourceFile(write(tmp_path, make_image_only_pdf(), "scan.pdf")))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<!DOCTYPE html><html></html>",
        b"plain text about %PDF-1.4 files",
        b"\x89PNG\r\n\x1a\n",
        b"PK\x03\x04",
    ],
)
def test_sniff_rejects_other_formats(tmp_path: Path, content: bytes) -> None:
    assert not READER.sniff(SourceFile(write(tmp_path, content, "other.bin")))


def test_sniff_rejects_real_shared_files() -> None:
    assert SHARED_DATA.is_dir(), f"shared data missing: {SHARED_DATA}"
    for path in sorted((SHARED_DATA / "pubmed").iterdir()):
        assert not READER.sniff(SourceFile(path)), path.name


# --- reading -----------------------------------------------------------------------------------


def test_reads_metadata_and_one_section_per_page(tmp_path: Path) -> None:
    data = make_pdf(
        GUIDELINE_PAGES,
        title="Imaginary fever guideline",
        author="Doe J; Fictional Working Group",
        info={"CreationDate": "D:20190612093000+01'00'", "Publisher": "Fictional Institute"},
    )
    document = read_one(write(tmp_path, data))
    assert document.origin == "pdf"
    assert document.source_id == "guideline.pdf"
    assert document.kind is DocumentKind.GUIDELINE
    assert document.title == "Imaginary fever guideline"
    assert document.authors == ("Doe J", "Fictional Working Group")
    assert document.year == 2019
    assert document.source == "Fictional Institute"
    assert document.extra == {"page_count": 4}
    assert [(section.path, section.page) for section in document.sections] == [
        (("Page 1",), 1),
        (("Page 2",), 2),
        (("Page 4",), 4),  # the blank page is skipped; later pages keep their numbers
    ]
    assert document.sections[1].text == (
        "1 Recommendations\nOffer pretend fluids (as needed) to adults."
    )


def test_without_metadata_the_title_is_the_first_line(tmp_path: Path) -> None:
    document = read_one(write(tmp_path, make_pdf(GUIDELINE_PAGES)))
    assert document.title == "Imaginary Fever: A Fictional Guideline"
    assert document.authors == ()
    assert document.year is None
    assert document.source is None


def test_placeholder_metadata_title_is_ignored(tmp_path: Path) -> None:
    data = make_pdf(GUIDELINE_PAGES, title="Microsoft Word - draft_v3.docx")
    assert read_one(write(tmp_path, data)).title == "Imaginary Fever: A Fictional Guideline"


def test_title_falls_back_to_the_file_stem_when_page_one_is_blank(tmp_path: Path) -> None:
    data = make_pdf([[], ["Text on page two."]])
    document = read_one(write(tmp_path, data, "fictional-pathway.pdf"))
    assert document.title == "fictional-pathway"
    assert [section.page for section in document.sections] == [2]


def test_outline_names_sections_and_pages_stay_right(tmp_path: Path) -> None:
    data = rewrite(make_pdf(GUIDELINE_PAGES), outline=True)
    document = read_one(write(tmp_path, data))
    assert [(section.path, section.page) for section in document.sections] == [
        (("Page 1",), 1),
        (("Recommendations",), 2),
        (("Evidence",), 4),
    ]


def test_nested_outline_entry_gives_a_nested_path(tmp_path: Path) -> None:
    pages = [["Cover"], ["Recommendations"], ["Dosing table text"], ["Evidence"]]
    document = read_one(write(tmp_path, rewrite(make_pdf(pages), outline=True)))
    assert [(section.path, section.page) for section in document.sections] == [
        (("Page 1",), 1),
        (("Recommendations",), 2),
        (("Recommendations", "Dosing"), 3),
        (("Evidence",), 4),
    ]


def test_pdf_encrypted_only_with_an_owner_password_is_read(tmp_path: Path) -> None:
    data = rewrite(make_pdf(GUIDELINE_PAGES), user_password="")
    assert pypdf.PdfReader(io.BytesIO(data)).is_encrypted
    document = read_one(write(tmp_path, data))
    assert document.sections[0].text.startswith("Imaginary Fever")


# --- errors ------------------------------------------------------------------------------------


def test_pdf_without_text_layer_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, make_image_only_pdf(), "scan.pdf")
    with pytest.raises(InputError) as caught:
        list(READER.read(SourceFile(path)))
    assert caught.value.reason == "PDF has no text layer (scanned image?); run OCR first"
    assert str(path) in str(caught.value)


def test_pdf_with_only_blank_pages_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, make_pdf([[], []]))
    with pytest.raises(InputError, match="no text layer"):
        list(READER.read(SourceFile(path)))


def test_password_protected_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, rewrite(make_pdf(GUIDELINE_PAGES), user_password="secret"))
    assert READER.sniff(SourceFile(path))
    with pytest.raises(InputError, match="encrypted") as caught:
        list(READER.read(SourceFile(path)))
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:200],  # truncated mid-object
        lambda data: b"%PDF-1.4\nnot a pdf at all\n",
        lambda data: data.replace(b"/Type /Pages", b"/Type /Junk").replace(b"xref", b"xxxx"),
    ],
)
def test_damaged_pdf_is_an_input_error(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    path = write(tmp_path, damage(make_pdf(GUIDELINE_PAGES)), "damaged.pdf")
    assert READER.sniff(SourceFile(path))
    with pytest.raises(InputError, match="damaged PDF") as caught:
        list(READER.read(SourceFile(path)))
    assert str(path) in str(caught.value)
