"""Tiny hand-written PDFs for tests: text pages in Helvetica, or a page with no text at all.

Written byte by byte (no reportlab) so tests need nothing beyond pypdf to read them back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_PAGE_WIDTH = 612
_PAGE_HEIGHT = 792
_MARGIN = 72
_FONT_SIZE = 12
_LEADING = 14
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def make_pdf(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    info: Mapping[str, str] | None = None,
) -> bytes:
    """A PDF with one page per list of text lines; `info` adds document-information keys
    (e.g. {"CreationDate": "D:20210304", "Publisher": "..."})."""
    fields = dict(info or {})
    if title is not None:
        fields["Title"] = title
    if author is not None:
        fields["Author"] = author
    return _write_pdf([_text_content(lines) for lines in pages], fields)


def make_image_only_pdf() -> bytes:
    """A one-page PDF that draws a filled rectangle and has no text operators: like a scan."""
    return _write_pdf([b"0.8 0.8 0.8 rg 72 400 468 300 re f"], {})


def _text_content(lines: Sequence[str]) -> bytes:
    top = _PAGE_HEIGHT - _MARGIN
    commands = [f"BT /F1 {_FONT_SIZE} Tf {_LEADING} TL {_MARGIN} {top} Td".encode()]
    for index, line in enumerate(lines):
        if index:
            commands.append(b"T*")
        commands.append(_literal_string(line) + b" Tj")
    commands.append(b"ET")
    return b"\n".join(commands)


def _literal_string(text: str) -> bytes:
    """A PDF string literal in WinAnsi (cp1252); characters outside it become '?'."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += f"\\{byte:03o}".encode()
    return bytes(out + b")")


def _text_string(text: str) -> bytes:
    """A PDF text string for the information dictionary: UTF-16BE with a BOM, as hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _write_pdf(contents: Sequence[bytes], info: Mapping[str, str]) -> bytes:
    # Object numbers: 1 catalog, 2 page tree, 3 font, then a page and its content per page.
    page_numbers = [4 + 2 * index for index in range(len(contents))]
    kids = b" ".join(f"{number} 0 R".encode() for number in page_numbers)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + f"] /Count {len(contents)} >>".encode(),
        _FONT,
    ]
    for number, content in zip(page_numbers, contents, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_PAGE_WIDTH} {_PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )
    info_ref = b""
    if info:
        entries = b" ".join(
            f"/{key} ".encode() + _text_string(value) for key, value in info.items()
        )
        objects.append(b"<< " + entries + b" >>")
        info_ref = f" /Info {len(objects)} 0 R".encode()
    return _serialise(objects, info_ref)


def _serialise(objects: Sequence[bytes], info_ref: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_offset = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R".encode() + info_ref + b" >>\n"
    out += f"startxref\n{xref_offset}\n%%EOF\n".encode()
    return bytes(out)
