"""MedQuAD XML: consumer-health question/answer pairs from NIH web sites.

One file is one `patient_information` document about one focus (a disease, drug or test); each
question/answer pair is a section whose passages keep the question. MedQuAD's authors removed the
answers of three MedlinePlus subsets for copyright: such pairs are counted and skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lxml import etree

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import ReadItem, Skip, SourceFile, clean_text, xml_root_name
from bedside.ingest.readers.xml_parsing import all_text, element_text, parse_checked

# MedQuAD's `source` attribute → the organisation that published the answer.
ISSUERS = {
    "CancerGov": "National Cancer Institute (NCI)",
    "GARD": "Genetic and Rare Diseases Information Center (GARD), NIH",
    "GHR": "Genetics Home Reference, U.S. National Library of Medicine",
    "MPlusHealthTopics": "MedlinePlus, U.S. National Library of Medicine",
    "MPlusADAM": "MedlinePlus (A.D.A.M. Medical Encyclopedia)",
    "MPlusDrugs": "MedlinePlus Drug Information",
    "MPlusHerbsSupplements": "MedlinePlus Herbs and Supplements",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "NINDS": "National Institute of Neurological Disorders and Stroke (NINDS)",
    "NIHSeniorHealth": "NIHSeniorHealth, National Institute on Aging and NLM",
    "NHLBI": "National Heart, Lung, and Blood Institute (NHLBI)",
    "CDC": "Centers for Disease Control and Prevention (CDC)",
}
LICENCE = "CC BY 4.0 (MedQuAD collection, Ben Abacha & Demner-Fushman 2019)"


class MedquadXmlReader:
    """Reads one MedQuAD `<Document>` file into one patient-information document."""

    name: ClassVar[str] = "medquad-xml"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        return xml_root_name(file.head) == "Document" and b"<QAPairs" in file.head

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        root = parse_checked(file.read_bytes(), file.path)
        document_id = root.get("id")
        source = root.get("source")
        if not document_id or not source:
            raise InputError("missing id or source attribute", path=file.path, where="Document")
        focus = element_text(root.find("Focus")) or document_id
        # A few files share one `id` (sub-topics of one page), so the file name identifies them.
        source_id = f"{source}/{file.path.stem}"
        sections: list[Section] = []
        pairs: list[dict[str, str | None]] = []
        for pair in root.iterfind("QAPairs/QAPair"):
            question_node = pair.find("Question")
            question = element_text(question_node)
            answer_node = pair.find("Answer")
            answer = clean_text(all_text(answer_node)) if answer_node is not None else ""
            pair_id = f"{source_id}#{pair.get('pid', len(pairs) + 1)}"
            if not answer:
                yield Skip("answer removed from MedQuAD for copyright", pair_id)
                continue
            sections.append(Section((focus, question or "Answer"), answer, question=question))
            pairs.append(_pair_info(pair, question_node, pair_id))
        if not sections:
            return
        yield SourceDocument(
            origin="medquad",
            source_id=source_id,
            kind=DocumentKind.PATIENT_INFORMATION,
            title=focus,
            sections=tuple(sections),
            source=ISSUERS.get(source, source),
            url=root.get("url") or None,
            licence=LICENCE,
            language="eng",
            extra={
                "focus": focus,
                "medquad_document_id": document_id,
                "synonyms": list(
                    dict.fromkeys(element_text(node) for node in root.iterfind(".//Synonym"))
                ),
                "umls_cuis": list(
                    dict.fromkeys(element_text(node) for node in root.iterfind(".//CUI"))
                ),
                "category": element_text(root.find("FocusAnnotations/Category"))
                or element_text(root.find("Category"))
                or None,
                "pairs": pairs,
            },
        )


def _pair_info(
    pair: etree._Element, question: etree._Element | None, pair_id: str
) -> dict[str, str | None]:
    return {
        "pair_id": pair_id,
        "question_id": question.get("qid") if question is not None else None,
        "question_type": question.get("qtype") if question is not None else None,
    }
