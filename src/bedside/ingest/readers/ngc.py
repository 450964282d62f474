"""National Guideline Clearinghouse (NGC) XML: one summary of one practice guideline per file.

AHRQ's National Guideline Clearinghouse (closed in July 2018) published structured summaries of
guidelines, written by ECRI Institute to one fixed template. A file is a `<Version>` of
`<Section Name=...>`s holding `<Field Name=... Type=...>`s; each `<FieldValue Value=...>` carries
escaped HTML (pick lists: one plain value per `FieldValue`).

What becomes sections:
- "Major Recommendations", the core. Each paragraph or top-level list item is one section, path
  (title, "Major recommendations", <enclosing sub-headings>..., <grade>); a lead-in ending in ":"
  stays with the ungraded list it introduces, and ordered items keep their number (the text
  refers to "Recommendation 14"). The grade is the developer's own parenthetical: USPSTF
  "(B recommendation)" becomes "Grade B"; other wording is kept as written ("Strong For; Reviewed,
  New-replaced", "Strong Recommendation, Moderate-Quality Evidence", "recommendation category: A,
  evidence type: 3"). `extra["recommendations"]` lists the graded statements in order, or every
  statement where the developer grades none. The "Definitions" part closing the field (what
  each grade means) is one section; where there is none, the "Rating Scheme for the Strength of
  the Recommendations" field stands in.
- The fields an answer can draw on, one section each with path (title, field name): disease/
  condition(s), guideline objective(s), target population, interventions and practices
  considered, potential benefits and harms, contraindications, qualifying statements and FDA
  warnings.

What is skipped, and why:
- methodology (evidence collection and analysis, number of source documents, rating schemes for
  the evidence, validation, cost analysis) and "Type of Evidence Supporting the
  Recommendations": how the guideline was made, not what it advises;
- "Major Outcomes Considered" (the review's key questions) and "Clinical Algorithm(s)" (which only
  names figures left in the original document);
- funding, committee and its composition, financial disclosures, adaptation, availability,
  companion documents, patient resources, implementation strategy and tools, IOM categories and
  NEATS ratings: administrative;
- "NGC Status", the copyright statement, the NGC disclaimer, and NGC's editorial notes inside
  fields ("Note from the National Guideline Clearinghouse ...", pointers to "the end of the
  "Major Recommendations" field"): the clearinghouse's words, not the developer's.
Title, bibliographic source, status, release date, developers, endorsers, categories,
specialties and intended users become metadata and `extra`.

Identity: a summary carries no identifier of its own; the collection names each file after its
NGC number (`ngc-10192.xml`), so `source_id` is "ngc-<number>" (the file stem where the name has
none). The summaries date from 2013-2018 and many guidelines have been replaced since, so
`extra["may_be_superseded"]` is always True, for a later step to settle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree, html

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import ReadItem, SourceFile, clean_text, xml_root_name
from bedside.ingest.readers.xml_parsing import parse_checked

ORIGIN = "ngc"
LICENCE = "Public domain (US government work; NGC summary)"
PUBLICATION_TYPE = "Practice Guideline"
RECOMMENDATIONS = "Major recommendations"

_TITLE = "Guideline Title"
_MAJOR_RECOMMENDATIONS = "Major Recommendations"
_GRADE_SCHEME = "Rating Scheme for the Strength of the Recommendations"
# Template fields kept as sections, in the order they are added after the recommendations.
ANSWER_FIELDS = (
    "Disease/Condition(s)",
    "Other Disease/Condition(s) Addressed",
    "Guideline Objective(s)",
    "Target Population",
    "Interventions and Practices Considered",
    "Potential Benefits",
    "Potential Harms",
    "Contraindications",
    "Qualifying Statements",
    "FDA Warning/Regulatory Alert",
)
_PICK_LISTS = {
    "Guideline Category": "categories",
    "Clinical Specialty": "clinical_specialties",
    "Intended Users": "intended_users",
}

_NGC_FIELD = re.compile(rb"<Field\b[^>]*\bName=\"[^\"]+\"")
_NGC_NUMBER = re.compile(r"ngc[-_ ]?0*(\d+)", re.IGNORECASE)
_LISTS = frozenset({"ul", "ol"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = _HEADINGS | frozenset({"p", "pre", "caption"})
_CONTAINERS = frozenset({"div", "section", "article", "blockquote", "center", "dl"})
_BLOCK_TAGS = _PARAGRAPHS | _CONTAINERS | frozenset({"dt", "dd", "hr"})
_EMPHASIS = frozenset({"strong", "b", "em", "i", "u"})
_MAX_HEADING_CHARS = 200
# Heading levels: 1 underlined, 2 bold, 3 italic at the top of a field. Inside list items nested
# n deep, the item's own words head its sub-items at 10 * n, and bold text inside it at 10 * n + 2.
_LEVELS_PER_LIST = 10
_WHITESPACE = re.compile(r"\s+")
# Paragraphs in which NGC, not the developer, speaks.
_NGC_NOTE = re.compile(
    r'^Note from .*(?:National Guideline Clearinghouse|NGC)|the end of the "Major Recommendations"',
    re.IGNORECASE,
)
# What the template's fields hold when the guideline says nothing on the matter.
_NOTHING = re.compile(r"(?:not applicable|not stated|none)\.?", re.IGNORECASE)
_DEFINITIONS_HEADING = re.compile(r"^Definitions?:?$", re.IGNORECASE)
_GENERIC_HEADING = re.compile(r"^Recommendations?:?$", re.IGNORECASE)
# A marker after punctuation ("pneumoniae.*") is a footnote call; "HLA*B-57" or "T2*" are not.
_FOOTNOTE_CALL = re.compile(r"(?<=[.,;:])[*†‡]+")
_PARENTHETICAL = re.compile(r"([(\[])([^()\[\]]{1,120})[)\]]")
# USPSTF "(B recommendation)", "(I statement)"; VA/DoD 2014 "[B]", "[EO]" (expert opinion); CDC
# PrEP "(IIB)": quality I-III and strength A-C. A bare letter counts only in square brackets,
# where no enumeration "(a)" puts one.
_GRADE_CODE = re.compile(
    r"^(?:([ABCDI])\s+(?:recommendation|statement)|(?i:grade)\s*:?\s*([ABCDI])|(I{1,3}[A-C]))$"
)
_BRACKETED_GRADE = re.compile(r"^([ABCDI]|EO)$")
_GRADE_WORDING = re.compile(
    r"^(?:(?:strong|weak|moderate|conditional)\b.*\b(?:for|against|recommendation|strength)\b"
    r"|consensus\b|expert opinion\b|recommendation category:|category\s+I{1,3}[A-D]?$)",
    re.IGNORECASE,
)
_MONTHS = {
    month: number
    for number, month in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_PARTIAL_DATE = re.compile(r"\b((?:19|20)\d\d)(?:\s+([A-Z][a-z]{2})[a-z]*\.?(?:\s+(\d{1,2})\b)?)?")
_FULL_DATE = re.compile(r"\b([A-Z][a-z]+)\s+(\d{1,2}),\s+((?:19|20)\d\d)\b")
# The publication date of a citation follows a full stop or semicolon: "Ann Intern Med. 2014 Mar
# 4;160(5)", "Olympia (WA): ...; 2013 Jun. 24 p.", "... (USPSTF); 2016 Oct [6 p]".
_CITATION_DATE = re.compile(
    r"[.;]\s*((?:19|20)\d\d)(?:\s+[A-Z][a-z]{2}[a-z]*(?:\s+\d{1,2})?)?\s*[.;\[]"
)
_CITATION_JUNK = re.compile(r"\s*\[\d+ references?\]|\s*\bPubMed\s*$")
_PUBMED_LINK = re.compile(r"list_uids=(\d+)|pubmed\.ncbi\.nlm\.nih\.gov/(\d+)|[?&]term=(\d+)")
_DOUBLE_UTF8 = re.compile(
    r"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")
# PDF-born ligatures: "ﬁbrosis" must match a search for "fibrosis".
_LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"})


class NgcXmlReader:
    """Reads one NGC guideline summary (`<Version>` of template fields) into one guideline."""

    name: ClassVar[str] = "ngc-xml"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head
        return (
            xml_root_name(head) == "Version"
            and b"<FieldValue" in head
            and _NGC_FIELD.search(head) is not None
        )

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        root = parse_checked(file.read_bytes(), file.path)
        if root.tag != "Version":
            raise InputError(f"root element is <{root.tag}>, not <Version>", path=file.path)
        yield _read_summary(_template_fields(root), file.path)


@dataclass(frozen=True, slots=True)
class _Field:
    """One template field: its name and the raw `Value` of each `FieldValue`."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Block:
    """A paragraph, heading, list item or table of a field's HTML, as clean text."""

    text: str
    heading_level: int = 0  # 0 for text; see `_LEVELS_PER_LIST`
    list_id: int | None = None  # items of one list share the id
    marker: str = ""  # "4." for ordered items, "-" for bulleted ones
    # Headings at this level or deeper do not cover this block: a list item ends the headings
    # inside its sibling items; a paragraph ends those inside the items of a list it follows.
    floor: int = _LEVELS_PER_LIST


@dataclass(frozen=True, slots=True)
class _Recommendation:
    """One statement of the "Major Recommendations", under its sub-headings, with its grade."""

    headings: tuple[str, ...]
    text: str
    grade: str | None


def _template_fields(root: etree._Element) -> dict[str, _Field]:
    """Fields by name; "Bibliographic Source(s)" and "Guideline Status" appear twice, the same."""
    fields: dict[str, _Field] = {}
    for field in root.iterfind("Section/Field"):
        name = (field.get("Name") or "").strip()
        if name and name not in fields:
            values = tuple(value.get("Value") or "" for value in field.iterfind("FieldValue"))
            fields[name] = _Field(name, values)
    return fields


def _read_summary(fields: dict[str, _Field], path: Path) -> SourceDocument:
    """The guideline a summary describes, from its template fields."""
    title = _field_text(fields.get(_TITLE), path)
    if not title:
        raise InputError("no guideline title", path=path, where=f'Field Name="{_TITLE}"')
    title = " ".join(title.split())
    recommendations_field = fields.get(_MAJOR_RECOMMENDATIONS)
    blocks = _field_blocks(recommendations_field, path) if recommendations_field else []
    recommendations, definition_blocks = _split_recommendations(blocks)
    citation = _field_text(fields.get("Bibliographic Source(s)"), path)
    developers = _organisations(fields.get("Guideline Developer(s)"))
    ngc_id, source_id = _identity(path)
    return SourceDocument(
        origin=ORIGIN,
        source_id=source_id,
        kind=DocumentKind.GUIDELINE,
        title=title,
        sections=tuple(
            [
                *_recommendation_sections(title, recommendations),
                *_definition_sections(title, definition_blocks, fields, path),
                *_answer_sections(title, fields, path),
            ]
        ),
        source=_issuing_body(developers, fields, path),
        year=_citation_year(citation) or _release_year(fields, path),
        pmid=_pmid(fields.get("Bibliographic Source(s)")),
        url=_guideline_url(fields.get("Guideline Availability"), path),
        publication_types=(PUBLICATION_TYPE,),
        licence=LICENCE,
        language="eng",
        extra=_extra(
            ngc_id=ngc_id,
            fields=fields,
            citation=citation,
            developers=developers,
            recommendations=recommendations,
            path=path,
        ),
    )


def _identity(path: Path) -> tuple[str | None, str]:
    stem = path.name.split(".")[0]
    match = _NGC_NUMBER.fullmatch(stem)
    if match is None:
        return None, stem
    return match.group(1), f"ngc-{match.group(1)}"


# -- the Major Recommendations -------------------------------------------------------------------


def _split_recommendations(
    blocks: Sequence[_Block],
) -> tuple[list[_Recommendation], list[_Block]]:
    """The statements of the "Major Recommendations", and the blocks of its closing Definitions."""
    statements: list[_Recommendation] = []
    headings: list[tuple[int, str]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if block.heading_level and _DEFINITIONS_HEADING.match(block.text):
            return statements, list(blocks[index:])
        if block.heading_level:
            headings = _enter_heading(headings, block)
            continue
        headings = [(level, text) for level, text in headings if level < block.floor]
        if _NGC_NOTE.search(block.text):
            index += len(_introduced_list(blocks, index, block))  # NGC's links to its summaries
            continue
        if statements and _only_grade(block.text):
            # A grade set apart from its statement ("<p>(Strong For)</p>") belongs to it.
            statements[-1] = _with_grade(statements[-1], block.text)
            continue
        items = _introduced_list(blocks, index, block)
        index += len(items)
        statements.append(_statement(block, items, headings))
    return statements, []


def _statement(
    block: _Block, items: Sequence[_Block], headings: Sequence[tuple[int, str]]
) -> _Recommendation:
    if items:
        text = "\n".join([block.text, *(f"{item.marker} {item.text}" for item in items)])
    elif block.marker and block.marker != "-":
        text = f"{block.marker} {block.text}"  # "14." is how the guideline refers to it
    else:
        text = block.text
    return _Recommendation(tuple(heading for _, heading in headings), text, _grade(text))


def _with_grade(statement: _Recommendation, grade_text: str) -> _Recommendation:
    text = f"{statement.text}\n{grade_text}"
    return _Recommendation(statement.headings, text, _grade(grade_text))


def _enter_heading(headings: list[tuple[int, str]], block: _Block) -> list[tuple[int, str]]:
    kept = [(level, text) for level, text in headings if level < block.heading_level]
    # "Recommendations" under a topic says nothing the path does not; it only closes siblings.
    if _GENERIC_HEADING.match(block.text):
        return kept
    return [*kept, (block.heading_level, block.text.rstrip(":"))]


def _introduced_list(blocks: Sequence[_Block], start: int, lead_in: _Block) -> list[_Block]:
    """The ungraded list a paragraph introduces; graded items stand alone.

    A lead-in ends in ":" or is no sentence at all ("DO NOT USE" over a list of drugs): without
    it, "Meperidine for chronic pain" would read as advice.
    """
    is_lead_in = lead_in.text.endswith(":") or not lead_in.text.endswith((".", "!", "?", ")"))
    if lead_in.list_id is not None or not is_lead_in or start >= len(blocks):
        return []
    list_id = blocks[start].list_id
    if list_id is None:
        return []
    items = []
    for block in blocks[start:]:
        if block.list_id != list_id:
            break
        items.append(block)
    if any(_grade(item.text) for item in items):
        return []
    return items


def _grade(text: str) -> str | None:
    """The developer's grade: the last parenthetical that reads as one ("B recommendation")."""
    grade = None
    for match in _PARENTHETICAL.finditer(text):
        words = " ".join(match.group(2).split()).strip(" .;,")
        code = _GRADE_CODE.match(words) or (
            _BRACKETED_GRADE.match(words) if match.group(1) == "[" else None
        )
        if code:
            grade = "Grade " + next(group for group in code.groups() if group)
        elif _GRADE_WORDING.match(words):
            grade = words
    return grade


def _only_grade(text: str) -> bool:
    return _grade(text) is not None and _PARENTHETICAL.sub("", text).strip(" .;") == ""


def _recommendation_sections(
    title: str, recommendations: Sequence[_Recommendation]
) -> Iterator[Section]:
    for recommendation in recommendations:
        grade = (recommendation.grade,) if recommendation.grade else ()
        path = (title, RECOMMENDATIONS, *recommendation.headings, *grade)
        yield Section(path, recommendation.text)


def _definition_sections(
    title: str, blocks: Sequence[_Block], fields: dict[str, _Field], path: Path
) -> Iterator[Section]:
    """One section saying what the grades mean, from the Definitions part or the rating scheme."""
    text = _join_blocks(blocks)
    if text:
        yield Section((title, RECOMMENDATIONS, "Definitions"), text)
        return
    scheme = _field_text(fields.get(_GRADE_SCHEME), path)
    if scheme and not _says_nothing(scheme):
        yield Section((title, _GRADE_SCHEME), scheme)


def _says_nothing(text: str) -> bool:
    return _NOTHING.fullmatch(text) is not None


def _answer_sections(title: str, fields: dict[str, _Field], path: Path) -> Iterator[Section]:
    for name in ANSWER_FIELDS:
        text = _field_text(fields.get(name), path)
        if text and not _says_nothing(text):
            yield Section((title, name), text)


# -- metadata ------------------------------------------------------------------------------------


def _organisations(field: _Field | None) -> list[dict[str, str]]:
    """Organisations of an `orglist` field: "Name - Type of organisation" each."""
    if field is None:
        return []
    organisations = []
    for value in field.values:
        text = " ".join(_repair_double_utf8(value).split())
        if not text:
            continue
        name, _, kind = text.rpartition(" - ")
        organisations.append({"name": name or text, "type": kind if name else ""})
    return organisations


def _issuing_body(
    developers: Sequence[dict[str, str]], fields: dict[str, _Field], path: Path
) -> str | None:
    """The developers' names, each with the abbreviation the summary gives it ("(USPSTF)")."""
    if not developers:
        return None
    context = " ".join(
        _field_text(fields.get(name), path)
        for name in (
            "Bibliographic Source(s)",
            _MAJOR_RECOMMENDATIONS,
            "Guideline Developer Comment",
        )
    )
    return "; ".join(_with_abbreviation(developer["name"], context) for developer in developers)


def _with_abbreviation(name: str, context: str) -> str:
    # NGC disambiguates names with "(U.S.)"; the guideline's own text spells out "(NHLBI)".
    base = name.removesuffix(" (U.S.)")
    pattern = re.escape(base) + r" \(([A-Z][A-Za-z/&.\-]{1,15})\)"
    for match in re.finditer(pattern, context):
        if _abbreviates(match.group(1), base):
            return f"{base} ({match.group(1)})"
    return name


def _abbreviates(abbreviation: str, name: str) -> bool:
    """Whether the capitals of `abbreviation` are capitals of `name`, in order (USPSTF, not
    "VA/DoD" for "Department of Defense")."""
    initials = iter(character for character in name if character.isupper())
    return all(letter in initials for letter in abbreviation if letter.isupper())


def _citation_year(citation: str) -> int | None:
    years = [int(match.group(1)) for match in _CITATION_DATE.finditer(citation)]
    return years[-1] if years else None


def _release_year(fields: dict[str, _Field], path: Path) -> int | None:
    dates = _partial_dates(_field_text(fields.get("Date Released"), path))
    return int(dates[-1][:4]) if dates else None


def _pmid(field: _Field | None) -> str | None:
    for value in field.values if field else ():
        match = _PUBMED_LINK.search(value)
        if match:
            return next(group for group in match.groups() if group)
    return None


def _guideline_url(field: _Field | None, path: Path) -> str | None:
    """The first web address of "Guideline Availability": where the full guideline was."""
    if field is None:
        return None
    for value in field.values:
        for link in _fragment(value, field.name, path).iter("a"):
            href = (link.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    return None


def _extra(
    *,
    ngc_id: str | None,
    fields: dict[str, _Field],
    citation: str,
    developers: list[dict[str, str]],
    recommendations: Sequence[_Recommendation],
    path: Path,
) -> dict[str, Any]:
    released = _field_text(fields.get("Date Released"), path)
    release_dates = _partial_dates(released)
    graded = [item for item in recommendations if item.grade]
    extra: dict[str, Any] = {
        "ngc_id": ngc_id,
        "release_date": release_dates[0] if release_dates else None,
        "date_released": released or None,
        "revision_dates": release_dates[1:],
        "ngc_summary_dates": _full_dates(_field_text(fields.get("NGC Status"), path)),
        "status": _field_text(fields.get("Guideline Status"), path) or None,
        "bibliographic_source": citation or None,
        "developers": developers,
        "endorsers": _organisations(fields.get("Guideline Endorser(s)")),
        "recommendations": [
            {"text": item.text, "grade": item.grade} for item in (graded or recommendations)
        ],
        "may_be_superseded": True,
    }
    for name, key in _PICK_LISTS.items():
        field = fields.get(name)
        extra[key] = [" ".join(value.split()) for value in field.values] if field else []
    return extra


def _partial_dates(text: str) -> list[str]:
    """'1996 (revised 2014 Mar 4)' → ['1996', '2014-03-04']: as precise as the text is."""
    dates = []
    for year, month, day in _PARTIAL_DATE.findall(text):
        number = _MONTHS.get(month.lower()) if month else None
        if number is None:
            dates.append(year)
        elif day:
            dates.append(f"{year}-{number:02d}-{int(day):02d}")
        else:
            dates.append(f"{year}-{number:02d}")
    return dates


def _full_dates(text: str) -> list[str]:
    """'completed by ECRI Institute on April 3, 2014' → ['2014-04-03'], once each, in order."""
    dates = []
    for month, day, year in _FULL_DATE.findall(text):
        number = _MONTHS.get(month[:3].lower())
        if number is not None:
            dates.append(f"{year}-{number:02d}-{int(day):02d}")
    return list(dict.fromkeys(dates))


# -- HTML inside FieldValue ----------------------------------------------------------------------


def _field_text(field: _Field | None, path: Path) -> str:
    """A whole field as text: paragraphs apart, list items and table rows one per line."""
    if field is None:
        return ""
    text = _join_blocks(_field_blocks(field, path))
    return _CITATION_JUNK.sub("", text) if field.name == "Bibliographic Source(s)" else text


def _field_blocks(field: _Field, path: Path) -> list[_Block]:
    blocks: list[_Block] = []
    for value in field.values:
        blocks.extend(_blocks(_fragment(value, field.name, path)))
    return blocks


def _join_blocks(blocks: Sequence[_Block]) -> str:
    """Blocks as one text: a blank line between paragraphs, items of one list on their own lines."""
    parts: list[str] = []
    previous: _Block | None = None
    for block in blocks:
        if previous is not None and block.list_id is not None and previous.list_id == block.list_id:
            parts.append("\n")
        elif parts:
            parts.append("\n\n")
        parts.append(f"{block.marker} {block.text}" if block.marker else block.text)
        previous = block
    return "".join(parts)


def _fragment(value: str, field_name: str, path: Path) -> html.HtmlElement:
    try:
        return html.fragment_fromstring(_repair_double_utf8(value), create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        raise InputError(
            f"unreadable HTML: {exc}", path=path, where=f'Field Name="{field_name}"'
        ) from exc


def _repair_double_utf8(text: str) -> str:
    """Undo UTF-8 read as Latin-1 and encoded again (the "™" of some values is "â\\x84¢")."""
    return _DOUBLE_UTF8.sub(_redecode, text) if _C1_CONTROLS.search(text) else text


def _redecode(match: re.Match[str]) -> str:
    try:
        return match.group(0).encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)


def _blocks(container: etree._Element, depth: int = 0) -> list[_Block]:
    """The paragraphs, headings, list items and tables of a container `depth` list items deep."""
    blocks: list[_Block] = []
    floor = _LEVELS_PER_LIST * (depth + 1)
    loose: list[str] = [_spaces(container.text)]  # text between blocks, outside any paragraph
    for child in container:
        tag = _tag(child)
        if tag in _LISTS or tag == "table" or tag in _CONTAINERS or tag in _PARAGRAPHS:
            blocks.extend(_text_block(loose, floor))
            loose = []
        if tag in _LISTS:
            blocks.extend(_list_blocks(child, depth=depth + 1))
        elif tag == "table":
            blocks.extend(_text_block([_table_text(child)], floor))
        elif tag in _CONTAINERS:
            blocks.extend(_blocks(child, depth))
        elif tag in _PARAGRAPHS:
            blocks.extend(_paragraph_block(child, depth))
        else:
            loose.append(_render(child))
        loose.append(_spaces(child.tail))
    blocks.extend(_text_block(loose, floor))
    return blocks


def _text_block(parts: Sequence[str], floor: int) -> list[_Block]:
    text = _tidy("".join(parts))
    return [_Block(text, floor=floor)] if text else []


def _paragraph_block(paragraph: etree._Element, depth: int) -> list[_Block]:
    text = _tidy(_render(paragraph))
    if not text:
        return []
    level = _heading_level(paragraph, text)
    return [
        _Block(
            text,
            heading_level=level + _LEVELS_PER_LIST * depth if level else 0,
            floor=_LEVELS_PER_LIST * (depth + 1),
        )
    ]


def _list_blocks(list_element: etree._Element, *, depth: int) -> Iterator[_Block]:
    """The items of a list `depth` lists deep: one block each, or, graded within, taken apart."""
    list_id = id(list_element)
    floor = _LEVELS_PER_LIST * depth
    for marker, item in _items(list_element):
        if _has_graded_subitems(item):
            yield from _item_as_heading(item, marker, depth)
            continue
        text = _tidy(_render(item))
        if text:
            yield _Block(text, list_id=list_id, marker=marker, floor=floor)


def _has_graded_subitems(item: etree._Element) -> bool:
    return any(
        _grade(_tidy(_render(subitem))) for subitem in item.iter("li") if subitem is not item
    )


def _item_as_heading(item: etree._Element, marker: str, depth: int) -> Iterator[_Block]:
    """A list item whose sub-items carry their own grades: its own words head them."""
    blocks = _blocks(item, depth)
    floor = _LEVELS_PER_LIST * depth
    first = blocks[0] if blocks else None
    if first is not None and not (first.list_id or first.heading_level):
        lead = first.text if marker == "-" else f"{marker} {first.text}"
        if len(lead) <= _MAX_HEADING_CHARS and not _grade(lead):
            blocks[0] = _Block(lead, heading_level=floor, floor=floor)
        else:
            blocks[0] = _Block(lead, floor=floor)
    yield from blocks


def _items(list_element: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Each `li` with its marker: "-" for bullets, "4." or "b." or "IV." in ordered lists."""
    items = [child for child in list_element if _tag(child) == "li"]
    if _tag(list_element) != "ol":
        yield from (("-", item) for item in items)
        return
    start_text = list_element.get("start") or "1"
    start = int(start_text) if start_text.isdigit() else 1
    style = ((list_element.get("style") or "") + " " + (list_element.get("type") or "")).strip()
    for offset, item in enumerate(items):
        yield _ordinal(start + offset, style) + ".", item


def _ordinal(number: int, style: str) -> str:
    if "roman" in style or style.endswith(("i", "I")):
        numeral = _roman(number)
        return numeral.lower() if "lower" in style or style.endswith("i") else numeral
    if "alpha" in style or style.endswith(("a", "A")):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.lower() if "lower" in style or style.endswith("a") else letter.upper()
    return str(number)


def _roman(number: int) -> str:
    numerals = []
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        numerals.append(numeral * count)
    return "".join(numerals)


def _heading_level(paragraph: etree._Element, text: str) -> int:
    """1-3 for a sub-heading: an h1-h6, or a short paragraph all bold, underlined or italic."""
    tag = _tag(paragraph)
    if tag in _HEADINGS:
        return 1 if tag in ("h1", "h2") else 2
    too_long = len(text) > _MAX_HEADING_CHARS or "\n" in text
    # A bold sentence ("... may cover opioids for up to 6 weeks ....") is a statement.
    if tag != "p" or too_long or text.endswith(".") or _grade(text):
        return 0
    if _plain_text(paragraph).strip(" \t\r\n:.*"):
        return 0
    elements = list(paragraph.iter())
    if any(_tag(e) == "u" or "underline" in (e.get("style") or "") for e in elements):
        return 1
    if any(_tag(e) in ("strong", "b") for e in elements):
        return 2
    return 3


def _plain_text(element: etree._Element) -> str:
    """The text of an element that no bold, italic or underline covers."""
    parts = [element.text or ""]
    for child in element:
        if not _is_emphasis(child):
            parts.append(_plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_emphasis(element: etree._Element) -> bool:
    tag = _tag(element)
    return tag in _EMPHASIS or (tag == "span" and "underline" in (element.get("style") or ""))


def _render(element: etree._Element) -> str:
    """An element's text: spaces collapsed as a browser would, "\\n" where a line would break."""
    parts = [_spaces(element.text)]
    for child in element:
        tag = _tag(child)
        if tag == "br":
            parts.append("\n")
        elif tag in _LISTS:
            lines = (f"{marker} {_tidy(_render(item))}" for marker, item in _items(child))
            parts.append("\n" + "\n".join(lines) + "\n")
        elif tag == "table":
            parts.append("\n" + _table_text(child) + "\n")
        elif tag in _BLOCK_TAGS or tag == "li":
            parts.append("\n" + _render(child) + "\n")
        elif tag:
            parts.append(_render(child))
        parts.append(_spaces(child.tail))
    return "".join(parts)


def _table_text(table: etree._Element) -> str:
    """One line per row, cells joined by " | " (what a reader of the table would see)."""
    lines = []
    for row in _rows(table):
        cells = [" ".join(_render(cell).split()) for cell in row if _tag(cell) in ("td", "th")]
        line = " | ".join(cell for cell in cells if cell)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows, in order (not those of a table nested in a cell)."""
    for child in table:
        if _tag(child) == "tr":
            yield child
        elif _tag(child) in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if _tag(row) == "tr")


def _tidy(text: str) -> str:
    lines = (line for line in clean_text(text).split("\n") if line)
    return _FOOTNOTE_CALL.sub("", "\n".join(lines)).translate(_LIGATURES)


def _spaces(text: str | None) -> str:
    return _WHITESPACE.sub(" ", text) if text else ""


def _tag(element: etree._Element) -> str:
    """The lower-case tag name; "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""
