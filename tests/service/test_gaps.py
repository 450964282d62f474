"""What an article says first about what its evidence does not cover (service/gaps.py)."""

from __future__ import annotations

from bedside.domain import Ask, Draft, DraftSection, QuestionFrame, Statement
from bedside.service.gaps import unanswered_ask


def draft(section_id: str, *texts: str) -> Draft:
    statements = tuple(Statement(text, ("p1",)) for text in texts)
    return Draft("Title", statements[:1], (DraftSection(section_id, "H", statements[1:]),), "x")


def test_a_safety_question_answered_with_no_word_on_harms_says_so_first() -> None:
    frame = QuestionFrame(Ask.SIDE_EFFECTS, interventions=("omeprazole",))
    uses = draft("medicines", "PPIs are tried first for 8 weeks.", "Take them before a meal.")
    (gap,) = unanswered_ask(frame, uses, for_patient=True)
    assert "how safe it is" in gap
    harms = draft("medicines", "PPIs are tried first.", "Side effects include headache.")
    assert unanswered_ask(frame, harms, for_patient=True) == ()
    warned = draft("warnings", "PPIs are tried first.", "Long use may lower magnesium.")
    assert unanswered_ask(frame, warned, for_patient=False) == ()


def test_a_prevention_question_with_no_line_on_prevention_says_so_first() -> None:
    frame = QuestionFrame(Ask.PREVENTION)
    treatment = draft("medicines", "A back-up antibiotic may be given.", "Drink fluids.")
    (gap,) = unanswered_ask(frame, treatment, for_patient=False)
    assert "prevent" in gap
    urate = draft("medicines", "With 2 attacks a year, a daily medicine to lower uric acid helps.")
    assert unanswered_ask(frame, urate, for_patient=True) == ()
    prophylaxis = draft("first_line", "Give flare prophylaxis for 3 to 6 months.")
    assert unanswered_ask(frame, prophylaxis, for_patient=False) == ()


def test_a_question_on_taking_a_medicine_for_life_with_no_length_of_use_says_so_first() -> None:
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("blood thinner",))
    question = "Does he need to be on a blood thinner for life?"
    choice = draft("medicines", "DOACs are chosen over warfarin.", "Tests 3 months apart.")
    (gap,) = unanswered_ask(frame, choice, for_patient=True, question=question)
    assert "how long it is usually taken for" in gap
    lifelong = draft("medicines", "DOACs are chosen over warfarin.", "It is usually lifelong.")
    assert unanswered_ask(frame, lifelong, for_patient=True, question=question) == ()
    months = draft("medicines", "Keep taking it for at least 6 months.")
    assert unanswered_ask(frame, months, for_patient=False, question=question) == ()
