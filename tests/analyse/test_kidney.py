import pytest

from bedside.analyse.frame import ConditionVocabulary, frame_question, leaves_out
from bedside.analyse.kidney import (
    asked_kidney_function,
    excludes_kidney_function,
    kidney_ranges,
)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Choice of oral anticoagulant for AF in someone with an eGFR of 20?", 20.0),
        ("Nitrofurantoin for cystitis, eGFR 28?", 28.0),
        ("T2DM, eGFR=38, on metformin. Continue?", 38.0),
        ("78M, AF, CrCl ~25 mL/min. Which DOAC?", 25.0),
        # A stage is read as the lowest eGFR it allows; dialysis as end-stage.
        ("78M, AF, CKD 3b. Which DOAC?", 30.0),
        ("67F knee OA, CKD stage 4, on ramipril. Analgesia?", 15.0),
        ("Gout in someone with stage 3a chronic kidney disease?", 45.0),
        ("Dad is on dialysis three times a week, can he take naproxen?", 0.0),
        # Not a kidney function: a percentage, a stage of something else, nothing at all.
        ("Her eGFR fell by 25% last year", None),
        ("Stage 2 hypertension, first-line drug?", None),
        ("Which DOAC for AF?", None),
    ],
)
def test_the_kidney_function_a_question_gives_is_read(question: str, value: float | None) -> None:
    assert asked_kidney_function(question) == value


def test_a_statement_for_another_kidney_function_leaves_out_the_one_asked() -> None:
    end_stage = "For AF with creatinine clearance below 15 mL/min or on dialysis, warfarin."
    assert kidney_ranges(end_stage) == [(0.0, 15.0)]
    assert excludes_kidney_function(end_stage, 20.0)
    assert not excludes_kidney_function(end_stage, 12.0)
    assert not excludes_kidney_function(end_stage, None)
    review = "Review the metformin dose in adults whose eGFR falls below 45 ml/minute/1.73 m2."
    assert not excludes_kidney_function(review, 38.0)
    assert excludes_kidney_function(review, 60.0)
    assert excludes_kidney_function("An MRA only when eGFR is above 30 mL/min/1.73 m².", 25.0)


def test_a_bound_on_one_option_of_a_statement_is_not_a_bound_on_whom_it_is_for() -> None:
    # Trimethoprim is for anyone; nitrofurantoin only at 45 or more.
    text = "Nitrofurantoin for 3 days if eGFR is 45 ml/minute or more, or trimethoprim for 3 days."
    assert kidney_ranges(text) == []


def test_a_kidney_bound_on_the_medicine_asked_about_is_its_answer() -> None:
    bounded = "Do not continue metformin once eGFR is below 30 ml/minute/1.73 m2."
    vocabulary = ConditionVocabulary.from_cards([])
    asked = frame_question("Metformin with an eGFR of 38?", vocabulary)
    assert not leaves_out(bounded, asked)  # names metformin: it answers "no, not yet"
    other = frame_question("Which diabetes medicine with an eGFR of 38?", vocabulary)
    assert leaves_out(bounded, other)


def test_a_stage_keeps_the_lines_for_its_worse_end() -> None:
    stage_3b = asked_kidney_function("CKD 3b, which DOAC?")
    dose_cut = "Reduce the dose if creatinine clearance is below 50."
    assert not excludes_kidney_function(dose_cut, stage_3b)
    assert excludes_kidney_function("Full-dose metformin is for an eGFR of 45 or more.", stage_3b)
    assert excludes_kidney_function("Warfarin when creatinine clearance is below 15.", stage_3b)


def test_a_line_for_a_group_with_weaker_kidneys_leaves_out_the_drug_asked_about() -> None:
    group = (
        "For people with atrial fibrillation and end-stage chronic kidney disease (creatinine "
        "clearance below 15 mL/min) or on dialysis, apixaban is possibly reasonable."
    )
    vocabulary = ConditionVocabulary.from_cards([])
    asked = frame_question("On apixaban, CrCl about 30 mL/min. Is her dose right?", vocabulary)
    assert leaves_out(group, asked)
    worse = frame_question("On apixaban, CrCl 12 mL/min. Is her dose right?", vocabulary)
    assert not leaves_out(group, worse)


def test_a_limit_on_one_option_is_a_range_only_when_asked_for() -> None:
    from bedside.analyse.kidney import kidney_bound_width, kidney_ranges

    limit = "Metformin should be stopped if your eGFR kidney test falls below 30."
    assert kidney_ranges(limit) == []
    assert kidney_ranges(limit, limits_too=True) == [(0.0, 30.0)]
    assert kidney_bound_width(limit, 27.0) == 30.0
