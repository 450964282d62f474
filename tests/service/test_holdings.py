"""What the evidence holds of the things a question names (service/holdings.py)."""

from __future__ import annotations

from bedside.domain import Ask, Evidence, EvidenceLevel, Passage, QuestionFrame
from bedside.retrieve.synonyms import curated_table
from bedside.service.holdings import missing_interventions, named_as_asked
from bedside.testing.builders import make_document


def evidence(number: int, text: str) -> Evidence:
    document = make_document(f"d{number}")
    passage = Passage(f"p{number}", document.document_id, 0, ("AF",), None, 0, len(text), text)
    return Evidence(passage, document, 1.0, number, EvidenceLevel.GUIDELINE)


def test_a_phrase_is_mentioned_only_when_one_passage_holds_all_of_it() -> None:
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("rate control", "ablation"))
    spread = [
        evidence(1, "A fast heart rate is common in atrial fibrillation."),
        evidence(2, "Rhythm control restores a normal rhythm; ablation is one way to do it."),
    ]
    assert missing_interventions(frame, spread, curated_table()) == ("rate control",)
    together = [*spread, evidence(3, "Rate control with a beta-blocker suits most people.")]
    assert missing_interventions(frame, together, curated_table()) == ()


def test_a_missing_name_keeps_the_code_that_completes_it() -> None:
    assert named_as_asked(("vitamin",), "Metformin and vitamin B12 deficiency") == ("vitamin B12",)
    # …but a lower-case word after it is no code.
    assert named_as_asked(("warfarin",), "Is warfarin a treatment for concussion?") == ("warfarin",)


def test_the_reaction_an_allergy_is_known_by_is_no_condition_left_uncovered() -> None:
    from bedside.service.holdings import uncovered_conditions

    question = "3yo, bulging TM. Pen allergy (urticaria). Abx or wait? which agent"
    told = QuestionFrame(Ask.DRUG_CHOICE, populations=("child", "allergy"))
    passages = [evidence(1, "Amoxicillin is the first choice for acute otitis media.")]
    assert "urticaria" not in uncovered_conditions(question, told, passages)
    # …but urticaria named with no allergy told is a condition the sources may not cover.
    alone = QuestionFrame(Ask.TREATMENT)
    assert "urticaria" in uncovered_conditions("What helps urticaria?", alone, passages)


def test_a_reading_told_is_no_condition_left_uncovered() -> None:
    from bedside.service.holdings import uncovered_conditions

    frame = QuestionFrame(Ask.TREATMENT, conditions=("HFrEF",))
    passages = [evidence(1, "Sacubitril valsartan lowers mortality in HFrEF.")]
    question = "HFrEF on ramipril, BP 112/68, K 4.4. What to add?"
    assert "bp" not in uncovered_conditions(question, frame, passages)
    assert "bp" in uncovered_conditions("HFrEF with high BP: what to add?", frame, passages)
