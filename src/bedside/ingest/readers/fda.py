"""US FDA drug labels: whole SPL XML labels, and the label-section JSON collections cut from them.

`fda-spl-xml` reads Structured Product Labeling, the HL7 v3 XML (`<document>` in the
`urn:hl7-org:v3` namespace) in which manufacturers submit labels to the FDA and DailyMed publishes
them. One file is one version of one label; the label's `setId` names it across versions, so it is
the `source_id` (a repackager's copy of a label has its own set id). Each `section` with text
becomes a section whose path is (label title, top-level heading, sub-heading, ...), headed by its
own `<title>` or else by the name of its LOINC section code; the codes we know are also listed
with a canonical key (`adverse_reactions`, `pediatric_use`, ...) in `extra["sections"]`, so that
a later step can send a "side effects" question to the adverse reactions. Paragraphs and list
items become lines, and tables become one "cell; cell" line per row (adverse reaction rates and
interaction tables are answers, so they are kept, pharmacokinetic tables included), each followed
by its footnotes. An untitled "boxed warning" inside another section is a box older labels draw
around dosage text, so it is read as its parent's text, not as the label's boxed warning.
Left out: the product data elements (read for the names, then dropped: NDC codes and ingredient
lists), the package label panels (carton artwork text, no clinical content), the Highlights
excerpts (a summary that repeats the full text, and where "Recent major changes" lives), images
and their captions (structural formulas), and kit parts' names (the alcohol swabs in a pen kit
are not the drug).

`fda-label-sections-json` reads the label-section collections of the Tatonetti Lab (MIT): a
JSON array of `{label_id, section_name, section_text}` rows, which it groups into one document
per label. In Demner-Fushman et al.'s adverse-reaction corpus the `label_id` is the brand name
and the sections are adverse reactions, warnings and precautions and boxed warnings; in the
paediatric special-populations file it is a set id and the text is the lower-cased paediatric
use section, which names no drug we could trust, so the title names only the set id. The rows'
`adverse_events` annotations (span and MedDRA term lists for entity-recognition work) are not
kept. The files give no dates, so these documents have no year. The section text is cleaned of
whitespace runs, the "EXCERPT:" markers and the "To report SUSPECTED ADVERSE REACTIONS" contact
sentence, which carries no clinical content.

Label texts are US government works (public domain); no network is used.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree

from bedside.analyse.drugs import find_drugs
from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import (
    Problem,
    ReadItem,
    Skip,
    SourceFile,
    clean_text,
    xml_root_name,
)
from bedside.ingest.readers.xml_parsing import element_text, parse_checked

SPL_LICENCE = "Public domain (US FDA drug label)"
SECTIONS_LICENCE = "Public domain (US FDA drug label text); collection MIT (Tatonetti Lab)"
_DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={set_id}"

_HL7 = "urn:hl7-org:v3"
_NS = {"v": _HL7}
_LOINC_CODE = re.compile(rb'<code\b[^>]*codeSystem="2\.16\.840\.1\.113883\.6\.1"')


@dataclass(frozen=True, slots=True)
class SectionKind:
    """What a LOINC section code means: a canonical key for routing, and a heading to show."""

    key: str
    heading: str


# LOINC codes of SPL sections (FDA "Section Headings" list); an unknown code is still read, headed
# by its own title or the code's display name, but gets no key.
SECTION_KINDS: dict[str, SectionKind] = {
    "34066-1": SectionKind("boxed_warning", "Boxed warning"),
    "34067-9": SectionKind("indications", "Indications and usage"),
    "34068-7": SectionKind("dosage", "Dosage and administration"),
    "43678-2": SectionKind("dosage_forms", "Dosage forms and strengths"),
    "34070-3": SectionKind("contraindications", "Contraindications"),
    "43685-7": SectionKind("warnings_and_precautions", "Warnings and precautions"),
    "34071-1": SectionKind("warnings", "Warnings"),
    "42232-9": SectionKind("precautions", "Precautions"),
    "34072-9": SectionKind("general_precautions", "General precautions"),
    "34084-4": SectionKind("adverse_reactions", "Adverse reactions"),
    "34073-7": SectionKind("drug_interactions", "Drug interactions"),
    "34074-5": SectionKind("lab_test_interactions", "Drug and laboratory test interactions"),
    "34075-2": SectionKind("laboratory_tests", "Laboratory tests"),
    "43684-0": SectionKind("specific_populations", "Use in specific populations"),
    "42228-7": SectionKind("pregnancy", "Pregnancy"),
    "34077-8": SectionKind("pregnancy", "Teratogenic effects"),
    "34078-6": SectionKind("pregnancy", "Nonteratogenic effects"),
    "34079-4": SectionKind("labor_and_delivery", "Labor and delivery"),
    "77290-5": SectionKind("lactation", "Lactation"),
    "34080-2": SectionKind("lactation", "Nursing mothers"),
    "77291-3": SectionKind("reproductive_potential", "Females and males of reproductive potential"),
    "34081-0": SectionKind("pediatric_use", "Pediatric use"),
    "34082-8": SectionKind("geriatric_use", "Geriatric use"),
    "42227-9": SectionKind("abuse_and_dependence", "Drug abuse and dependence"),
    "34085-1": SectionKind("abuse_and_dependence", "Controlled substance"),
    "34086-9": SectionKind("abuse_and_dependence", "Abuse"),
    "34087-7": SectionKind("abuse_and_dependence", "Dependence"),
    "34088-5": SectionKind("overdosage", "Overdosage"),
    "34089-3": SectionKind("description", "Description"),
    "34090-1": SectionKind("clinical_pharmacology", "Clinical pharmacology"),
    "43679-0": SectionKind("mechanism_of_action", "Mechanism of action"),
    "43681-6": SectionKind("pharmacodynamics", "Pharmacodynamics"),
    "43682-4": SectionKind("pharmacokinetics", "Pharmacokinetics"),
    "43680-8": SectionKind("nonclinical_toxicology", "Nonclinical toxicology"),
    "34083-6": SectionKind("nonclinical_toxicology", "Carcinogenesis, mutagenesis, fertility"),
    "34091-9": SectionKind("nonclinical_toxicology", "Animal pharmacology and toxicology"),
    "34092-7": SectionKind("clinical_studies", "Clinical studies"),
    "34093-5": SectionKind("references", "References"),
    "34069-5": SectionKind("how_supplied", "How supplied"),
    "44425-7": SectionKind("storage_and_handling", "Storage and handling"),
    "34076-0": SectionKind("patient_counseling", "Patient counseling information"),
    "42230-3": SectionKind("patient_information", "Patient information"),
    "42231-1": SectionKind("medication_guide", "Medication guide"),
    "59845-8": SectionKind("instructions_for_use", "Instructions for use"),
    # Over-the-counter "Drug Facts" panels.
    "55106-9": SectionKind("active_ingredient", "Active ingredient"),
    "55105-1": SectionKind("purpose", "Purpose"),
    "50570-1": SectionKind("do_not_use", "Do not use"),
    "50569-3": SectionKind("ask_doctor", "Ask a doctor"),
    "50568-5": SectionKind("ask_doctor_or_pharmacist", "Ask a doctor or pharmacist"),
    "50567-7": SectionKind("when_using", "When using this product"),
    "50566-9": SectionKind("stop_use", "Stop use"),
    "53414-9": SectionKind("pregnancy", "Pregnancy or breast-feeding"),
    "50565-1": SectionKind("keep_out_of_reach_of_children", "Keep out of reach of children"),
    "51727-6": SectionKind("inactive_ingredients", "Inactive ingredients"),
    "53413-1": SectionKind("questions", "Questions"),
}
_BOXED_WARNING = "34066-1"
_UNCLASSIFIED = "42229-5"
_SKIPPED_SECTIONS = frozenset({"48780-1", "51945-4"})  # product data elements, package label
# Elements of the narrative block that are not running text.
_NOT_TEXT = frozenset({"footnoteRef", "renderMultiMedia", "col", "colgroup"})
# Lines of a Highlights-style <title> that are boilerplate, not a name.
_TITLE_BOILERPLATE = re.compile(
    r"^(these highlights do not include|see full prescribing information"
    r"|initial u\.?s\.? approval)",
    re.IGNORECASE,
)
_SHOUTED_WORD = re.compile(r"\b[A-Z]{4,}\b")


class SplXmlReader:
    """Reads one FDA Structured Product Labeling (SPL) XML file into one drug-label document."""

    name: ClassVar[str] = "fda-spl-xml"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        head = file.head
        return (
            xml_root_name(head) == "document"
            and _HL7.encode() in head
            and _LOINC_CODE.search(head) is not None
        )

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        root = parse_checked(file.read_bytes(), file.path)
        if root.tag != f"{{{_HL7}}}document":
            raise InputError(f"root element is <{root.tag}>, not an SPL <document>", path=file.path)
        yield _read_label(root, file.path)


def _read_label(root: etree._Element, path: Path) -> SourceDocument:
    set_id = (_attribute(root, "v:setId", "root") or "").lower()
    if not set_id:
        raise InputError("label has no setId (the label's identity)", path=path, where="setId")
    brands = _brand_names(root)
    generics = _generic_names(root)
    manufacturer = element_text(root.find("v:author//v:representedOrganization/v:name", _NS))
    effective = _effective_date(_attribute(root, "v:effectiveTime", "value"))
    title = _label_title(brands, generics, root.find("v:title", _NS), set_id)
    walk = _SectionWalk()
    for section in root.iterfind("v:component/v:structuredBody/v:component/v:section", _NS):
        walk.visit(section, (title,), is_top_level=True)
    return SourceDocument(
        origin="fda-spl",
        source_id=set_id,
        kind=DocumentKind.DRUG_LABEL,
        title=title,
        sections=tuple(walk.sections),
        source=manufacturer or None,
        year=effective.year if effective else None,
        url=_DAILYMED_URL.format(set_id=set_id),
        licence=SPL_LICENCE,
        language="eng",
        extra={
            "set_id": set_id,
            "spl_id": (_attribute(root, "v:id", "root") or "").lower() or None,
            "version": _version_number(_attribute(root, "v:versionNumber", "value")),
            "effective_date": effective.isoformat() if effective else None,
            "brand_names": brands,
            "generic_names": generics,
            "manufacturer": manufacturer or None,
            "label_type": _attribute(root, "v:code", "displayName"),
            "sections": walk.index,
        },
    )


def _attribute(element: etree._Element, child: str, name: str) -> str | None:
    node = element.find(child, _NS)
    value = node.get(name) if node is not None else None
    return value.strip() if value else None


def _effective_date(value: str | None) -> dt.date | None:
    """An HL7 timestamp (yyyymmdd, perhaps with a time) as a date; None when absent or invalid."""
    digits = (value or "")[:8]
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _version_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _products(root: etree._Element) -> Iterator[etree._Element]:
    """The labelled products: the inner `manufacturedProduct` (older SPL: `manufacturedMedicine`).

    Kit parts (`part/partProduct`) are not listed: they are the kit's accessories or components.
    """
    for outer in root.iterfind(".//v:subject/v:manufacturedProduct", _NS):
        yield from outer.iterfind("v:manufacturedProduct", _NS)
        yield from outer.iterfind("v:manufacturedMedicine", _NS)


def _brand_names(root: etree._Element) -> list[str]:
    # A name can carry a <suffix> ("TRIAMINIC<suffix>Childrens ...</suffix>"): join with a space.
    names = (
        " ".join(" ".join(str(text) for text in node.itertext()).split())
        for product in _products(root)
        for node in product.iterfind("v:name", _NS)
    )
    return _unique(name for name in names if name)


def _generic_names(root: etree._Element) -> list[str]:
    names = (
        element_text(node).lower()
        for product in _products(root)
        for node in product.iterfind("v:asEntityWithGeneric/v:genericMedicine/v:name", _NS)
    )
    return _unique(name for name in names if name)


def _unique(values: Iterator[str]) -> list[str]:
    """Values in first-seen order, dropping repeats that differ only in letter case."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def display_brand(name: str) -> str:
    """A brand as a reader would write it: 'HUMIRA' → 'Humira', 'TYLENOL PM' → 'Tylenol PM'.

    Labels print brands in capitals; words of four or more capitals are shouted names, while
    shorter ones are mostly abbreviations (PM, XR, HCT) and stay as they are.
    """
    return _SHOUTED_WORD.sub(lambda match: match.group().capitalize(), name)


def _label_title(
    brands: list[str], generics: list[str], title_element: etree._Element | None, set_id: str
) -> str:
    """'<Brand> (<generic>) drug label' from the product names, else the label's own title."""
    brand = display_brand(brands[0]) if brands else ""
    generic = generics[0] if generics else ""
    if brand and generic and brand.casefold() != generic.casefold():
        return f"{brand} ({generic}) drug label"
    if brand or generic:
        name = brand or generic
        return f"{name[0].upper()}{name[1:]} drug label"
    return _title_from_element(title_element) or f"Drug label {set_id[:8]}"


def _title_from_element(title_element: etree._Element | None) -> str:
    """The first line of a label's <title> that is not Highlights boilerplate."""
    if title_element is None:
        return ""
    lines = clean_text(_narrative(title_element, [])).split("\n")
    names = [line for line in lines if line and not _TITLE_BOILERPLATE.match(line)]
    return names[0].rstrip(" .,;:") if names else ""


@dataclass
class _SectionWalk:
    """Collects the sections of a label, depth first, and the index of those with a known code."""

    sections: list[Section] = field(default_factory=list)
    index: list[dict[str, str]] = field(default_factory=list)

    def visit(
        self, section: etree._Element, parent_path: tuple[str, ...], *, is_top_level: bool
    ) -> None:
        code = _attribute(section, "v:code", "code") or ""
        if code in _SKIPPED_SECTIONS:
            return
        kind = SECTION_KINDS.get(code)
        own_title = element_text(section.find("v:title", _NS))
        if code == _BOXED_WARNING and not is_top_level and not own_title:
            # Older labels use an untitled "boxed warning" section inside another section to
            # draw a box around text (a dosage table): it is not the label's boxed warning, so
            # its text continues its parent's.
            heading = ""
            kind = None
        else:
            heading = own_title or (kind.heading if kind else _code_heading(section, code))
        path = (*parent_path, heading) if heading else parent_path
        index_at, sections_before = len(self.index), len(self.sections)
        text = _section_text(section)
        if text:
            self.sections.append(Section(path, text))
        for child in section.iterfind("v:component/v:section", _NS):
            self.visit(child, path, is_top_level=False)
        if kind and heading and len(self.sections) > sections_before:
            self.index.insert(index_at, {"key": kind.key, "heading": heading})


def _code_heading(section: etree._Element, code: str) -> str:
    """A heading from an unknown code's display name; none for 'unclassified' (text continues)."""
    if code == _UNCLASSIFIED:
        return ""
    display = _attribute(section, "v:code", "displayName") or ""
    display = re.sub(r"\s+section$", "", display.strip(), flags=re.IGNORECASE)
    return display.capitalize()


def _section_text(section: etree._Element) -> str:
    """The section's own narrative `<text>` (not its subsections, not its Highlights excerpt)."""
    text = section.find("v:text", _NS)
    if text is None:
        return ""
    notes: list[str] = []
    body = _narrative(text, notes)
    return clean_text("\n\n".join([body, *notes]))


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _narrative(element: etree._Element, notes: list[str]) -> str:
    """SPL narrative markup as text: paragraphs and list items on lines of their own.

    Footnotes are moved out of the running text into `notes`, so they do not split a sentence.
    """
    parts = [_spaces(element.text)]
    for child in element:
        tag = _local_name(child)
        if tag == "paragraph":
            parts.append(f"\n\n{_narrative(child, notes)}\n\n")
        elif tag == "list":
            parts.append("\n\n" + "\n".join(_list_lines(child, notes)) + "\n\n")
        elif tag == "table":
            parts.append("\n\n" + "\n".join(_table_lines(child)) + "\n\n")
        elif tag == "caption":
            parts.append(f"\n{_narrative(child, notes)}\n")
        elif tag == "br":
            parts.append("\n")
        elif tag == "footnote":
            notes.append(_one_line(_narrative(child, notes)))
        elif tag and tag not in _NOT_TEXT:
            parts.append(_narrative(child, notes))
        parts.append(_spaces(child.tail))
    return "".join(parts)


def _spaces(text: str | None) -> str:
    # Line breaks in the XML source are indentation, not text: only <br/> and blocks break lines.
    return re.sub(r"\s+", " ", text) if text else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _list_lines(list_element: etree._Element, notes: list[str]) -> Iterator[str]:
    """'- item' lines; an item's nested list follows it as lines of its own."""
    for child in list_element:
        tag = _local_name(child)
        if tag == "caption":
            yield _one_line(_narrative(child, notes))
        elif tag == "item":
            lines = [line for line in clean_text(_narrative(child, notes)).split("\n") if line]
            if lines:
                yield f"- {lines[0]}" if not lines[0].startswith("- ") else lines[0]
                yield from lines[1:]


def _table_lines(table: etree._Element) -> Iterator[str]:
    """A table flattened to its caption, one 'cell; cell' line per row, then its footnotes.

    Empty cells are dropped, which loses column alignment but keeps the lines readable.
    """
    notes: list[str] = []
    caption = table.find("v:caption", _NS)
    if caption is not None and (caption_text := _one_line(_narrative(caption, notes))):
        yield caption_text
    for row in _table_rows(table):
        # A cell can start with the comma that separated two footnote marks (Lipitor's Table 3).
        cells = (
            _one_line(_narrative(cell, notes)).lstrip(",; ")
            for cell in row
            if _local_name(cell) in ("td", "th")
        )
        line = "; ".join(cell for cell in cells if cell)
        if line:
            yield line
    yield from notes


def _table_rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows, header and footer included (not those of tables nested in cells)."""
    for child in table:
        if _local_name(child) == "tr":
            yield child
        elif _local_name(child) in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if _local_name(row) == "tr")


# -- label-section JSON ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    index: int
    label_id: str
    kind: SectionKind
    text: str


_JSON_ARRAY_OF_OBJECTS = re.compile(rb"^\s*\[\s*\{")
_ROW_KEYS = tuple(re.compile(rb'"%s"\s*:' % key) for key in (b"label_id", b"section_name"))
_TEXT_KEY = re.compile(rb'"section_text"\s*:')
_SET_ID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", re.IGNORECASE)
LABEL_SECTION_KINDS: dict[str, SectionKind] = {
    "adverse reactions": SectionKind("adverse_reactions", "Adverse reactions"),
    "warnings and precautions": SectionKind("warnings_and_precautions", "Warnings and precautions"),
    "boxed warnings": SectionKind("boxed_warning", "Boxed warning"),
    "sp": SectionKind("pediatric_use", "Use in specific populations: paediatric use"),
}
_REPORTING_SENTENCE = (
    re.compile(
        r"To report SUSPECTED ADVERSE REACTIONS.{0,400}?"
        r"www\.fda\.gov\s*/\s*medwatch[ \t]*\)?[ \t]*\.?",
        re.IGNORECASE | re.DOTALL,
    ),
    # The few without the MedWatch address end at the end of their line.
    re.compile(r"To report SUSPECTED ADVERSE REACTIONS[^\n]*", re.IGNORECASE),
)
_EXCERPT_MARKER = re.compile(r"\bEXCERPT:\s*")
# " *  ?  Bleeding": a list bullet, often with a "?" where a bullet glyph was lost in conversion
# (some lists have only the "?").
_BULLET = re.compile(r"^(?:\*[ \t]*\??|\?)[ \t]*", re.MULTILINE)
_PADDED_BRACKETS = ((re.compile(r"([(\[])[ \t]+"), r"\1"), (re.compile(r"[ \t]+([)\]])"), r"\1"))


class LabelSectionsJsonReader:
    """Reads a JSON array of drug-label sections into one drug-label document per label."""

    name: ClassVar[str] = "fda-label-sections-json"
    version: ClassVar[str] = "2"  # 2: generic names resolved from the brand

    def sniff(self, file: SourceFile) -> bool:
        head = file.head.removeprefix(b"\xef\xbb\xbf")
        opening = _JSON_ARRAY_OF_OBJECTS.match(head)
        if opening is None:
            return False
        # The keys must be in the first object; its text may run past the head, so a head that
        # ends before the first object does counts as containing its text key.
        first_end = head.find(b"}", opening.end())
        first = head[opening.end() : first_end if first_end >= 0 else len(head)]
        has_text = _TEXT_KEY.search(first) is not None or first_end < 0
        return has_text and all(key.search(first) for key in _ROW_KEYS)

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        rows = _load_rows(file)
        labels: dict[str, list[_Row]] = {}
        items: list[tuple[int, ReadItem]] = []
        for index, raw in enumerate(rows):
            try:
                row = _checked_row(raw, index, file.path)
            except InputError as error:
                items.append((index, Problem(error)))
                continue
            if row.text:
                labels.setdefault(row.label_id, []).append(row)
            else:
                items.append((index, Skip("empty section text", row.label_id)))
        items += [
            (label_rows[0].index, _label_document(label_rows)) for label_rows in labels.values()
        ]
        # Documents come in the order their labels first appear, problems where they occurred.
        for _index, item in sorted(items, key=lambda pair: pair[0]):
            yield item


def _load_rows(file: SourceFile) -> list[Any]:
    try:
        # json accepts the bare NaN the paediatric file has in its `adverse_events` annotations.
        rows = json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=file.path, line=exc.lineno) from exc
    if not isinstance(rows, list):
        raise InputError("expected a JSON array of label sections", path=file.path)
    return rows


def _checked_row(raw: Any, index: int, path: Path) -> _Row:
    def fail(field_name: str, message: str) -> InputError:
        return InputError(f"row {index}: {message}", path=path, where=f"[{index}].{field_name}")

    if not isinstance(raw, dict):
        raise InputError(f"row {index} is not an object", path=path, where=f"[{index}]")
    values: dict[str, str] = {}
    for field_name in ("label_id", "section_name", "section_text"):
        value = raw.get(field_name)
        if not isinstance(value, str) or (field_name != "section_text" and not value.strip()):
            raise fail(field_name, f"missing or not a string: {field_name}")
        values[field_name] = value
    kind = LABEL_SECTION_KINDS.get(values["section_name"].strip().lower())
    if kind is None:
        raise fail("section_name", f"unknown section name '{values['section_name']}'")
    return _Row(index, values["label_id"].strip(), kind, clean_section_text(values["section_text"]))


def clean_section_text(text: str) -> str:
    """Collapse whitespace; drop EXCERPT markers and the adverse-reaction reporting sentence."""
    text = clean_text(text)
    for pattern in _REPORTING_SENTENCE:
        text = pattern.sub("", text)
    text = _EXCERPT_MARKER.sub("", text)
    text = _BULLET.sub("- ", clean_text(text))
    for pattern, replacement in _PADDED_BRACKETS:
        text = pattern.sub(replacement, text)
    return clean_text(text)


def _label_document(rows: list[_Row]) -> SourceDocument:
    label_id = rows[0].label_id
    is_set_id = _SET_ID.match(label_id) is not None
    title = _sections_title(label_id, rows, is_set_id=is_set_id)
    extra: dict[str, Any] = {
        "sections": [{"key": row.kind.key, "heading": row.kind.heading} for row in rows]
    }
    if is_set_id:
        extra["set_id"] = label_id.lower()
    else:
        extra["brand_names"] = [label_id]
        # The file names the brand only; the generic comes from the drug-name library, so a
        # question about "apixaban" finds the Eliquis label.
        extra["generic_names"] = [
            mention.generic for mention in find_drugs(label_id) if mention.is_specific
        ]
    return SourceDocument(
        origin="fda-label-sections",
        source_id=label_id,
        kind=DocumentKind.DRUG_LABEL,
        title=title,
        sections=tuple(Section((title, row.kind.heading), row.text) for row in rows),
        url=_DAILYMED_URL.format(set_id=label_id.lower()) if is_set_id else None,
        licence=SECTIONS_LICENCE,
        language="eng",
        extra=extra,
    )


def _sections_title(label_id: str, rows: list[_Row], *, is_set_id: bool) -> str:
    if not is_set_id:
        return f"{display_brand(label_id)} drug label"
    # The paediatric texts are lower-cased and name no drug reliably: name the label by its set id.
    only_paediatric = all(row.kind.key == "pediatric_use" for row in rows)
    return f"Drug label {label_id[:8].lower()}" + (": paediatric use" if only_paediatric else "")
