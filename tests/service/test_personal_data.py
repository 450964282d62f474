"""Personal data in a question is removed before it is stored, shown or answered."""

from __future__ import annotations

import pytest

from bedside.analyse.personal_data import redact_personal_data
from bedside.domain import Audience
from bedside.service import Service


@pytest.mark.parametrize(
    ("question", "kept", "removed"),
    [
        ("How is gout managed (DOB 1970-01-01)?", "How is gout managed (DOB [date of birth])?",
         ("date of birth",)),
        ("How is gout managed?, asks john testperson", "How is gout managed?, asks [name]",
         ("name",)),
        ("My name is Jane Doe and my asthma is worse", "My name is [name] and my asthma is worse",
         ("name",)),
        ("ring 07700 900123 about my asthma", "ring [phone number] about my asthma",
         ("phone number",)),
        ("jane.doe@example.com: sciatica for 3 weeks", "[email address]: sciatica for 3 weeks",
         ("email address",)),
        ("NHS number 943 476 5919, back pain", "NHS number [record number], back pain",
         ("record number",)),
    ],
)  # fmt: skip
def test_personal_data_is_replaced_by_what_it_was(
    question: str, kept: str, removed: tuple[str, ...]
) -> None:
    redaction = redact_personal_data(question)
    assert redaction.text == kept
    assert redaction.removed == removed


@pytest.mark.parametrize(
    "question",
    [
        "BP 152/94 in a 50-year-old: how should hypertension be confirmed?",
        "born in 1962 should i get tested for hep c",
        "Allopurinol 100 mg or 300 mg to start?",
        "She asks about the side effects of statins",
        "Levothyroxine 1.6 micrograms per kg in an 80-year-old?",
    ],
)
def test_what_the_question_is_about_is_kept(question: str) -> None:
    assert redact_personal_data(question).text == question


def test_the_database_file_never_holds_the_personal_data(bundled: Service) -> None:
    answer = bundled.ask(
        "How is gout managed? My DOB is 1970-01-01, asks john testperson, 07700 900123",
        audience=Audience.PATIENT,
    )
    assert answer.redactions == ("date of birth", "phone number", "name")
    assert "1970-01-01" not in answer.question and "testperson" not in answer.question
    bundled.store.close()  # flush the write-ahead log into the file
    raw = bundled.settings.kb_path().read_bytes()
    for secret in (b"1970-01-01", b"testperson", b"07700 900123"):
        assert secret not in raw
