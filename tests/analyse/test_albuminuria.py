import pytest

from bedside.analyse.albuminuria import (
    albumin_ratio_ranges,
    asked_albumin_ratio,
    excludes_albumin_ratio,
)
from bedside.analyse.frame import ConditionVocabulary, frame_question, leaves_out


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("70M T2DM, uACR 52 mg/mmol, on losartan. Add what?", 52.0),
        ("my kidney test said albumin creatinine ratio of 8 mg/mmol, is that bad", 8.0),
        # mg/g is read on KDIGO's pairing of the units (300 mg/g with 30 mg/mmol).
        ("T2DM, ACR 420 mg/g, eGFR 48", 42.0),
        # No unit: 45 is severely raised in mg/mmol and moderately in mg/g, so it is not read.
        ("ACR 45, what next?", None),
        ("eGFR 45 mL/min, next step?", None),
    ],
)
def test_the_ratio_a_question_gives_is_read_with_its_unit(
    question: str, value: float | None
) -> None:
    assert asked_albumin_ratio(question) == value


def test_a_statement_for_another_albuminuria_band_leaves_out_the_one_asked() -> None:
    moderate = "If the urine ACR is between 3 and 30 mg/mmol, consider an SGLT2 inhibitor."
    assert albumin_ratio_ranges(moderate) == [(3.0, 30.0)]
    assert excludes_albumin_ratio(moderate, 52.0)
    assert not excludes_albumin_ratio(moderate, 12.0)
    assert not excludes_albumin_ratio(moderate, None)
    severe = "Offer an SGLT2 inhibitor when albuminuria reaches 300 mg/g or more."
    assert albumin_ratio_ranges(severe) == [(30.0, float("inf"))]
    # A bare number beside the ratio is another measure's bound, not the ratio's.
    assert albumin_ratio_ranges("Refer when eGFR is below 30 or the ACR is raised.") == []


def test_the_frame_carries_the_ratio_and_leaves_out_other_bands() -> None:
    frame = frame_question("UACR 52 mg/mmol, SGLT2i?", ConditionVocabulary.from_cards([]))
    assert frame.albumin_ratio == 52.0
    assert leaves_out("When the ACR is between 3 and 30 mg/mmol, consider an SGLT2i.", frame)
    assert not leaves_out("When the ACR is over 30 mg/mmol, offer an SGLT2i.", frame)
