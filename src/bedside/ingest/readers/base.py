"""The `Reader` contract: one reader per file format, turning a file into source documents."""

from __future__ import annotations

import gzip
import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar, Protocol, cast

from bedside.domain import SourceDocument
from bedside.errors import InputError

HEAD_BYTES = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class Deletion:
    """The source withdrew a document (a MEDLINE `DeleteCitation`)."""

    document_key: str


@dataclass(frozen=True, slots=True)
class Whole:
    """The file holds every document of `origin` whose key starts with `key_prefix`: one that
    is no longer in it was withdrawn (a source taken off a guideline card), and the pipeline
    marks it deleted once the whole file has been read without error."""

    origin: str
    key_prefix: str


@dataclass(frozen=True, slots=True)
class Skip:
    """A record the reader saw but will not store, and why (counted in the ingest summary)."""

    reason: str
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """One record of a file could not be read; the reader carries on with the next record."""

    error: InputError


ReadItem = SourceDocument | Deletion | Whole | Skip | Problem


class SourceFile:
    """A file being ingested: transparently gunzipped, with its first bytes kept for sniffing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_gzip = False
        self._head: bytes | None = None

    @property
    def head(self) -> bytes:
        """Up to 64 KiB of the (decompressed) content."""
        if self._head is None:
            with self.path.open("rb") as raw:
                self.is_gzip = raw.read(2) == _GZIP_MAGIC
            with self.open() as stream:
                self._head = stream.read(HEAD_BYTES)
        return self._head

    def open(self) -> IO[bytes]:
        """A binary stream of the content, decompressed if the file is gzip."""
        raw = self.path.open("rb")
        if raw.read(2) == _GZIP_MAGIC:
            raw.seek(0)
            return cast(IO[bytes], _CheckedGzip(self.path, raw))
        raw.seek(0)
        return raw

    def read_bytes(self) -> bytes:
        with self.open() as stream:
            return stream.read()

    def read_text(self) -> str:
        """The whole content as UTF-8 text; a clear error when it is not UTF-8."""
        data = self.read_bytes()
        return decode_utf8(data, self.path)


class _CheckedGzip(gzip.GzipFile):
    """A gzip stream whose truncation or corruption is reported as an `InputError`."""

    def __init__(self, path: Path, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._source_path = path
        self._raw = raw

    def read(self, size: int | None = -1) -> bytes:
        try:
            return super().read(size)
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(
                f"damaged or truncated gzip data: {exc}", path=self._source_path
            ) from exc

    def close(self) -> None:
        super().close()
        self._raw.close()


class Reader(Protocol):
    """Reads one file format.

    Contract:
    - `sniff(file)` looks only at `file.head` and says whether the content is in this format; it
      never raises for content in another format.
    - `read(file)` yields `SourceDocument`s (and `Deletion`s / `Skip`s) in file order, streaming
      large files. It raises `InputError` naming the file, and the line, element or field where
      known, when the content is damaged; documents yielded before the error stay valid.
    - No network access; pure function of the file's bytes.
    """

    name: ClassVar[str]
    version: ClassVar[str]

    def sniff(self, file: SourceFile) -> bool: ...

    def read(self, file: SourceFile) -> Iterator[ReadItem]: ...


def decode_utf8(data: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is allowed); name the line of the first bad byte otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8",
            path=path,
            line=line,
        ) from exc


_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Normalise Unicode and whitespace; keep single and double line breaks (lists, paragraphs)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def looks_binary(head: bytes) -> bool:
    """True for content that is not text in any encoding we read (NUL bytes, control soup)."""
    if not head:
        return False
    if b"\x00" in head[:8192]:
        return True
    sample = head[:8192]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return controls / len(sample) > 0.1


def xml_root_name(head: bytes) -> str | None:
    """The local name of the first element in an XML/HTML head, skipping prolog and comments."""
    text = head.decode("utf-8", errors="replace")
    for match in re.finditer(r"<([A-Za-z_][\w.:-]*)", text):
        return match.group(1).split(":")[-1]
    return None


# ISO 639-1 → the ISO 639-2 codes PubMed uses, for the languages we meet most.
_LANGUAGES = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por"}


def language_code(tag: str) -> str | None:
    """A language tag such as 'en-GB' or 'en_US' as PubMed's three-letter code ('eng')."""
    primary = tag.strip().split("-")[0].split("_")[0].lower()
    return _LANGUAGES.get(primary, primary) or None
