import pytest

from bedside.analyse.frame import ConditionVocabulary, frame_question, leaves_out
from bedside.analyse.risk import asked_risk, excludes_risk, risk_ranges


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("58M, 10-yr ASCVD risk 9.5%, LDL 162 mg/dL. Statin?", 9.5),
        ("GP says my QRISK is 12%, should I take a statin?", 12.0),
        ("QRISK3 score of 8%: statin or not?", 8.0),
        # Not a ten-year cardiovascular risk: a relative reduction, nothing at all.
        ("Does a statin reduce heart attacks by 30%?", None),
        ("Should I take a statin?", None),
    ],
)
def test_the_risk_a_question_gives_is_read(question: str, value: float | None) -> None:
    assert asked_risk(question) == value


def test_a_statement_for_another_risk_band_leaves_out_the_one_asked() -> None:
    high = "For adults with a 10-year PREVENT-ASCVD risk of 10% or more, a high-intensity statin."
    assert risk_ranges(high) == [(10.0, float("inf"))]
    assert excludes_risk(high, 9.5)
    assert not excludes_risk(high, 12.0)
    assert not excludes_risk(high, None)
    bands = (
        "The guideline sorts 10-year risk into bands: low below 3%, borderline 3% to under 5%, "
        "intermediate 5% to under 10%, and high 10% or more."
    )
    assert not excludes_risk(bands, 9.5)
    # A percentage in a line that is not about ten-year cardiovascular risk bounds nothing.
    assert risk_ranges("Anticoagulation when stroke risk is 2% a year or more.") == []


def test_the_frame_carries_the_risk_and_leaves_out_other_bands() -> None:
    frame = frame_question("QRISK 7%, statin?", ConditionVocabulary.from_cards([]))
    assert frame.cardiovascular_risk == 7.0
    assert leaves_out("Offer atorvastatin 20 mg if the 10-year QRISK3 score is 10% or more.", frame)
