"""PubMedQA `ori_pqal.json`: expert-labelled questions, each with its PubMed abstract.

PubMedQA gives no article title: the question (which its authors derived from the title) stands in
for it, and `extra` keeps the question, the yes/no/maybe decision and the long answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from bedside.domain import DocumentKind, Section, SourceDocument
from bedside.errors import InputError
from bedside.ingest.readers.base import Problem, ReadItem, SourceFile, clean_text

_HEAD = re.compile(rb'^\s*\{\s*"[^"]+"\s*:\s*\{\s*"(QUESTION|CONTEXTS)"')


class PubmedqaJsonReader:
    """Reads PubMedQA's `{pmid: {QUESTION, CONTEXTS, LABELS, ...}}` JSON file."""

    name: ClassVar[str] = "pubmedqa-json"
    version: ClassVar[str] = "1"

    def sniff(self, file: SourceFile) -> bool:
        return bool(_HEAD.match(file.head))

    def read(self, file: SourceFile) -> Iterator[ReadItem]:
        text = file.read_text()
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=file.path, line=exc.lineno) from exc
        if not isinstance(records, dict):
            raise InputError("expected a JSON object keyed by PMID", path=file.path)
        for pmid, record in records.items():
            try:
                yield _read_record(str(pmid), record, file)
            except InputError as exc:
                yield Problem(exc)


def _read_record(pmid: str, record: Any, file: SourceFile) -> SourceDocument:
    def fail(field: str, message: str) -> InputError:
        return InputError(message, path=file.path, where=f"{pmid}.{field}")

    if not isinstance(record, dict):
        raise fail("", "record is not an object")
    contexts = record.get("CONTEXTS")
    labels = record.get("LABELS") or []
    if not isinstance(contexts, list) or not contexts:
        raise fail("CONTEXTS", "missing or empty list of abstract sections")
    sections = []
    for index, context in enumerate(contexts):
        if not isinstance(context, str):
            raise fail(f"CONTEXTS[{index}]", "abstract section is not a string")
        label = labels[index] if index < len(labels) and isinstance(labels[index], str) else None
        path = ("Abstract", label.capitalize()) if label else ("Abstract",)
        if clean_text(context):
            sections.append(Section(path, clean_text(context)))
    long_answer = clean_text(str(record.get("LONG_ANSWER") or ""))
    if long_answer:
        sections.append(Section(("Abstract", "Conclusions"), long_answer))
    question = str(record.get("QUESTION") or "").strip()
    year = record.get("YEAR")
    return SourceDocument(
        origin="pubmedqa",
        source_id=pmid,
        kind=DocumentKind.RESEARCH,
        title=question or f"PubMed {pmid}",
        sections=tuple(sections),
        year=int(year) if isinstance(year, (int, str)) and str(year).isdigit() else None,
        pmid=pmid if pmid.isdigit() else None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None,
        mesh_terms=tuple(str(term) for term in record.get("MESHES") or ()),
        licence="MIT (PubMedQA)",
        extra={
            "question": question,
            "final_decision": record.get("final_decision"),
            "title_is_question": True,
        },
    )
