from __future__ import annotations

import math

import pytest

from bedside.analyse.ages import age_ranges, asked_age, excludes_age


@pytest.mark.parametrize(
    ("question", "age"),
    [
        ("Target blood pressure for a 70-year-old with hypertension?", 70.0),
        ("Otitis media in a 4-month-old, feeding well", 4 / 12),
        ("I'm 68 and female, is a scan recommended?", 68.0),
        ("My dad is 82 and has AF", 82.0),
        ("Knee OA, aged 74, CKD 3b", 74.0),
        ("And what if she were in her late seventies?", 78.0),
        ("Grandma in her 80s keeps falling", 85.0),
        # a clinician's shorthand
        ("68F tired, TSH 7.8 then 8.1, FT4 normal", 68.0),
        ("78yo on citalopram 40mg", 78.0),
        ("Male 71, eGFR 28, 3 gout flares", 71.0),
        ("my son (14) got concussed at rugby", 14.0),
        ("Dad (82) has osteoporosis and sudden back pain", 82.0),
        ("husband 75 has had back pain for years", 75.0),
        ("My wife is 74 and started mirtazapine", 74.0),
        ("our little girl is 3 and pulling at her ear", 3.0),
        # months told after a condition or a remission are how long, not an age
        ("48M nonspecific LBP 9/12, no red flags, NSAIDs partial effect", 48.0),
        ("sertraline 150mg, 1st episode, remitted 8 mo, wants off", None),
        ("my sister is 5 times more likely to get it", None),
        ("F 34 c/o dysuria + freq 2/7", 34.0),
        ("Sore throat, temp 101F", None),
        ("T2DM on metformin 1g BD, HbA1c 58", None),
        # months or weeks with no "old"
        ("my son is 18 months, gp says both ears are infected", 1.5),
        ("my baby is 7 weeks, bottle fed", 7 * (1 / 52)),
        # numbers that are not ages
        ("I'm 28 weeks pregnant and my back hurts", None),
        ("he is 3 weeks into treatment for depression", None),
        ("Anticoagulant for AF with an eGFR of 20?", None),
        ("My blood pressure is 134/82", None),
        ("I'm 90 kg, what dose?", None),
        # time since an event, told in months
        ("LDL 3.9 on atorva 80, post-MI 6 mo, adherent. Next step?", None),
        ("started on it 3 mo ago and still sore", None),
        # an age in the reader's history
        ("I'm 34 and got a rash from amoxicillin at age 3", 34.0),
        # the child the reader lifted is not whom the question is about
        ("threw my back out picking up my 2 yr old yesterday, do i need an xray", None),
        ("hurt my back lifting my 3-year-old out of the bath", None),
        ("my 2 yr old has a fever and pulls at her ear", 2.0),
        # A reader's age written first, then the story; not a reading.
        ("72, arthritis in both knees, on ibuprofen", 72.0),
        ("140/90, is that high?", None),
    ],
)
def test_the_age_a_question_gives(question: str, age: float | None) -> None:
    assert asked_age(question) == age


@pytest.mark.parametrize(
    ("statement", "ranges"),
    [
        ("For people aged 80 and over, aim below 150/90 mmHg.", [(80.0, math.inf)]),
        ("For adults under 65 with no heart disease, start at 1.6 micrograms per kg.", [(0, 65)]),
        ("Healthy children aged 6 months to 12 years.", [(0.5, 13.0)]),
        ("Adults aged 30 to 79 without ASCVD.", [(30.0, 80.0)]),
        ("Do not test children younger than 3 years.", [(0.0, 3.0)]),
        ("Women past menopause who are younger than 65 need a test.", [(0.0, 65.0)]),
        ("Are you under 55? Then your first tablet is usually an ACE inhibitor.", [(0.0, 55.0)]),
        # a plain line's band with no "aged"
        ("Is your child 5 to 11 and just found to have asthma? Use a preventer.", [(5.0, 12.0)]),
        ("People 2 to 3 times a week should rest.", []),
        # single ages and numbers that are not ages state no range
        ("About 37% of people aged 20 and 96% of those aged 80 have worn discs.", []),
        ("Blood pressure over 140/90 mmHg.", []),
        ("Serum urate above 9 mg/dL.", []),
    ],
)
def test_the_ages_a_statement_applies_to(statement: str, ranges: list[tuple[float, float]]) -> None:
    assert age_ranges(statement) == ranges


def test_a_statement_for_other_ages_leaves_the_asked_age_out() -> None:
    eighty_plus = "For people aged 80 and over with hypertension, aim below 150/90 mmHg."
    assert excludes_age(eighty_plus, 70.0)
    assert not excludes_age(eighty_plus, 84.0)
    assert not excludes_age(eighty_plus, None)
    assert not excludes_age("Aim below 130/80 mm Hg for all adults.", 70.0)
    six_months = "Antibiotics for children aged 6 months or older with severe otitis media."
    assert excludes_age(six_months, 4 / 12)


def test_an_age_that_is_one_criterion_of_several_bounds_no_ones_age() -> None:
    # The reduced apixaban dose is for anyone meeting two of three criteria; a 72-year-old
    # who weighs 55 kg with a raised creatinine is one of them.
    text = (
        "Apixaban 2.5 mg twice daily in people with at least two of: age 80 years or over, "
        "body weight 60 kg or less, serum creatinine 1.5 mg/dL or more."
    )
    assert age_ranges(text) == []
    assert not excludes_age(text, 72.0)


def test_a_clinicians_months_are_an_age_and_weeks_of_pregnancy_are_not() -> None:
    assert asked_age("AOM 18mo bilateral – abx?") == 1.5
    assert asked_age("9/12 old with a fever of 39") == 0.75
    assert asked_age("cystitis 12/40 pregnant – nitrofurantoin ok?") is None


def test_months_told_as_a_duration_are_no_age() -> None:
    assert asked_age("Outpt CAP, 45M, no abx in past 3 mo. Empiric choice?") == 45.0
    assert asked_age("COPD, 2 exacerbations in the last 12 mths. Next step?") is None
    assert asked_age("Back pain for 5/12, no red flags") is None
    assert asked_age("18mo with a red bulging eardrum") == 1.5
    assert asked_age("67M CAP, no abx in 3mo") == 67.0


def test_an_age_told_of_a_past_reaction_is_not_the_patients() -> None:
    assert asked_age("16F, Centor 4, RADT +. Pen allergy = urticaria age 6. Rx?") == 16.0


def test_a_grandparents_age_in_brackets_is_read() -> None:
    assert asked_age("my gran (86) is in a care home and got more confused") == 86.0
