"""What an article says first about what its evidence does not cover (service/gaps.py)."""

from __future__ import annotations

from bedside.domain import Ask, Draft, DraftSection, DrugName, QuestionFrame, Statement
from bedside.service.gaps import (
    effect_asked,
    names_them_together,
    unanswered_ask,
    unmentioned_effect,
)


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


def test_a_question_on_spreading_it_to_others_is_answered_only_by_a_line_on_spreading() -> None:
    frame = QuestionFrame(Ask.GENERAL)
    question = "Can my kids catch my cellulitis?"
    treatment = draft("medicines", "It is treated with antibiotics.", "The redness spreading")
    (gap,) = unanswered_ask(frame, treatment, for_patient=True, question=question)
    assert "spreads to other people" in gap
    spread = draft("overview", "It is not usually spread to other people.")
    assert unanswered_ask(frame, spread, for_patient=True, question=question) == ()
    # A question that does not ask it gets no such gap.
    assert unanswered_ask(frame, treatment, for_patient=True, question="What is cellulitis?") == ()
    # Spreading inside the body is not spreading to others.
    kidneys = "Can a UTI spread to my kidneys?"
    assert unanswered_ask(frame, treatment, for_patient=True, question=kidneys) == ()


def test_a_question_on_stopping_a_medicine_is_answered_only_by_a_line_on_stopping() -> None:
    frame = QuestionFrame(Ask.DURATION)
    question = "Can I stop taking my thyroid pills if I feel fine?"
    trial = draft("medicines", "A 6-month trial of levothyroxine may be offered.")
    (gap,) = unanswered_ask(frame, trial, for_patient=False, question=question)
    assert "step it down or stop it" in gap
    # "They stop it from working" is not about stopping the medicine.
    apart = draft("medicines", "Keep it apart from iron tablets, which stop it from working.")
    assert unanswered_ask(frame, apart, for_patient=True, question=question)
    for line in ("You may need to keep taking it for at least 6 months.", "It is lifelong."):
        answered = draft("medicines", line)
        assert unanswered_ask(frame, answered, for_patient=True, question=question) == ()


def test_a_question_on_going_back_to_school_is_answered_only_by_a_line_on_going_back() -> None:
    frame = QuestionFrame(Ask.PROGNOSIS)
    question = "When can my child go back to school after strep throat?"
    testing = draft("diagnosis", "Children under 3 are not usually tested.")
    (gap,) = unanswered_ask(frame, testing, for_patient=True, question=question)
    assert "when it is safe to go back" in gap
    back = draft("prognosis", "Children can return to school after a day of antibiotics.")
    assert unanswered_ask(frame, back, for_patient=True, question=question) == ()


def test_a_question_on_how_often_is_answered_only_by_a_frequency() -> None:
    frame = QuestionFrame(Ask.MONITORING)
    question = "How often should I have a bone density scan?"
    holiday = draft("medicines", "After 3 to 5 years a break may be suggested.")
    (gap,) = unanswered_ask(frame, holiday, for_patient=True, question=question)
    assert "how often" in gap  # "advice on how often" for clinicians
    # Taking a tablet every day is not how often a test is repeated.
    daily = draft("medicines", "Take your tablet the same way every day.")
    assert unanswered_ask(frame, daily, for_patient=True, question=question)
    for line in ("Check TSH every 3 months, then once a year.", "It is repeated annually."):
        answered = draft("monitoring", line)
        assert unanswered_ask(frame, answered, for_patient=False, question=question) == ()


def test_a_question_on_how_soon_it_works_is_not_answered_by_how_long_to_take_it() -> None:
    frame = QuestionFrame(Ask.PROGNOSIS)
    question = "How long do antidepressants take to work?"
    keep_on = draft("medicines", "Keep taking it for at least 6 months after you feel better.")
    (gap,) = unanswered_ask(frame, keep_on, for_patient=True, question=question)
    assert "how soon it starts to work" in gap
    onset = draft("medicines", "It can take 2 to 4 weeks to work.")
    assert unanswered_ask(frame, onset, for_patient=True, question=question) == ()
    for line in (
        "Antidepressants take time to work. You will usually notice a change within 4 weeks.",
        "Tell people how long it takes to see an effect: usually within 4 weeks.",
    ):
        onset = draft("medicines", line)
        assert unanswered_ask(frame, onset, for_patient=True, question=question) == (), line
    question = "When will my migraine tablets start to work?"
    assert unanswered_ask(frame, keep_on, for_patient=False, question=question)


def test_a_question_on_what_to_eat_is_answered_only_by_a_line_on_eating_or_drinking() -> None:
    frame = QuestionFrame(Ask.GENERAL)
    question = "What should I eat with heart failure?"
    medicines = draft("medicines", "Keep taking your heart failure medicines.")
    (gap,) = unanswered_ask(frame, medicines, for_patient=True, question=question)
    assert "what to eat or drink" in gap
    purines = draft("prevention", "Eat fewer foods that are high in purines.")
    assert unanswered_ask(frame, purines, for_patient=True, question=question) == ()


def test_a_step_down_question_is_answered_by_a_line_on_stepping_down_or_stopping() -> None:
    frame = QuestionFrame(Ask.TREATMENT)
    question = "Step-down of inhaled corticosteroid once asthma is well controlled"
    overview = draft("overview", "The update made 19 recommendations on six topics.")
    (gap,) = unanswered_ask(frame, overview, for_patient=False, question=question)
    assert "step it down or stop it" in gap
    for line in ("Use the lowest effective dose.", "Your doctor may try taking you off them."):
        answered = draft("medicines", line)
        assert unanswered_ask(frame, answered, for_patient=False, question=question) == ()


def test_a_question_on_what_causes_it_is_answered_only_by_a_line_on_causes() -> None:
    frame = QuestionFrame(Ask.GENERAL)
    question = "What triggers a migraine?"
    treatment = draft("medicines", "Take your migraine medicines early in the attack.")
    (gap,) = unanswered_ask(frame, treatment, for_patient=True, question=question)
    assert "what causes it" in gap
    triggers = draft("overview", "Stress and missed meals can trigger an attack.")
    assert unanswered_ask(frame, triggers, for_patient=True, question=question) == ()


def test_a_treatment_that_failed_is_answered_only_by_a_line_on_what_to_do_next() -> None:
    frame = QuestionFrame(Ask.TREATMENT, interventions=("statin",), treatment_tried=True)
    question = "Statin intolerance: next options?"
    first = draft("medicines", "A high-intensity statin is advised at a 10-year risk of 10%.")
    (gap,) = unanswered_ask(frame, first, for_patient=False, question=question)
    assert "when it fails or cannot be taken" in gap
    switch = draft("medicines", "If a statin is not tolerated, ezetimibe is an alternative.")
    assert unanswered_ask(frame, switch, for_patient=False, question=question) == ()


def test_a_condition_asked_to_cause_an_effect_no_line_names_says_so_first() -> None:
    frame = QuestionFrame(Ask.DIAGNOSIS, conditions=("thyroid",))
    question = "Do thyroid problems cause weight gain?"
    effect = effect_asked(question, frame)
    assert effect == "weight gain"
    tests = draft("diagnosis", "Biotin can upset thyroid blood tests.")
    (gap,) = unmentioned_effect(effect, frame, tests, for_patient=True)
    assert "whether it causes weight gain" in gap
    gains = draft("overview", "An underactive thyroid can cause weight gain and tiredness.")
    assert unmentioned_effect(effect, frame, gains, for_patient=True) == ()


def test_stopping_an_activity_or_getting_better_is_not_asked_as_a_medicine() -> None:
    # "Should I stop exercising?" is not about stopping a medicine, and "how long does sciatica
    # take to go away?" asks about its course, not how soon a treatment works.
    frame = QuestionFrame(Ask.PROGNOSIS)
    settles = draft("prognosis", "Most sciatica settles within 6 weeks.")
    for question in ("Should I stop exercising?", "How long does sciatica take to go away?"):
        gaps = unanswered_ask(frame, settles, for_patient=True, question=question)
        assert not any("stop" in gap or "starts to work" in gap for gap in gaps), gaps
    # "Can he carry on with metformin?" with kidney disease asks no next step.
    tried = QuestionFrame(Ask.TREATMENT, interventions=("metformin",), treatment_tried=True)
    lowered = draft("medicines", "With poor kidneys the metformin dose may need lowering.")
    question = "His kidneys aren't working well. Can he carry on with metformin?"
    assert unanswered_ask(tried, lowered, for_patient=True, question=question) == ()


def test_a_question_on_when_to_get_urgent_help_needs_a_line_on_urgent_help() -> None:
    frame = QuestionFrame(Ask.RED_FLAGS)
    question = "What should I do if my heart failure suddenly gets worse?"
    team = draft("referral", "You can be referred to a specialist heart failure team.")
    (gap,) = unanswered_ask(frame, team, for_patient=True, question=question)
    assert "when to get urgent help" in gap and "get medical help now" in gap
    urgent = draft("referral", "Call 999 if you are suddenly very breathless.")
    assert unanswered_ask(frame, urgent, for_patient=True, question=question) == ()
    # "Does that rule out an ICS?" asks about a finding, not about urgent help.
    question = "Blood eosinophils 290 in COPD: does that rule out an ICS?"
    assert unanswered_ask(frame, team, for_patient=False, question=question) == ()


def test_a_patient_is_not_told_the_sources_give_no_dose_when_they_give_prescribers_one() -> None:
    frame = QuestionFrame(Ask.DOSE, interventions=("levothyroxine",))
    timing = draft("medicines", "Take levothyroxine an hour before breakfast.")
    (unknown,) = unanswered_ask(frame, timing, for_patient=True)
    assert "do not say a dose" in unknown
    (held,) = unanswered_ask(frame, timing, for_patient=True, prescribers_doses=True)
    assert "set by your doctor" in held and "do not say" not in held
    # A clinician's article holds the prescriber's dose line itself, so nothing changes there.
    (clinical,) = unanswered_ask(frame, timing, for_patient=False, prescribers_doses=True)
    assert "do not give a dose" in clinical


def test_a_question_on_a_value_to_aim_for_is_answered_only_by_a_value() -> None:
    frame = QuestionFrame(Ask.GENERAL)
    question = "What is a normal heart rate with atrial fibrillation?"
    overview = draft("overview", "AF is a common heart problem. The heartbeat is uneven.")
    (gap,) = unanswered_ask(frame, overview, for_patient=True, question=question)
    assert "a number to aim for" in gap
    value = draft("monitoring", "Aim for a resting heart rate below 110 beats a minute.")
    assert unanswered_ask(frame, value, for_patient=True, question=question) == ()


def test_a_cause_that_is_no_condition_of_ours_raises_no_effect_gap() -> None:
    # "Can stress make my blood pressure go up?": blood pressure is the effect, not the cause.
    frame = QuestionFrame(Ask.DIAGNOSIS, conditions=("blood pressure",))
    assert effect_asked("Can stress make my blood pressure go up?", frame) is None
    assert effect_asked("Can high blood pressure cause headaches?", frame) == "headaches"


def test_whether_it_is_safe_to_stop_a_medicine_is_a_question_on_stopping() -> None:
    frame = QuestionFrame(Ask.SIDE_EFFECTS, interventions=("statin",))
    statin = draft("medicines", "A strong statin dose aims to cut bad cholesterol by half.")
    question = "Is it safe to stop my statin?"
    (gap,) = unanswered_ask(frame, statin, for_patient=True, question=question)
    assert "cut down or stop it" in gap


def test_a_course_written_as_an_adjective_answers_how_long() -> None:
    # "a 5-day course" gives the length as surely as "for 5 days": no gap saying it is missing.
    frame = QuestionFrame(Ask.DURATION)
    question = "How long should a course of steroid tablets be for a COPD flare-up?"
    for line in ("A 5-day course of steroid tablets is advised.", "Take it for 5 days."):
        answered = draft("medicines", line)
        assert unanswered_ask(frame, answered, for_patient=True, question=question) == ()
    silent = draft("medicines", "A course of steroid tablets is advised.")
    assert unanswered_ask(frame, silent, for_patient=True, question=question)


def test_a_question_on_when_to_take_a_medicine_is_answered_only_by_a_line_saying_when() -> None:
    frame = QuestionFrame(Ask.TREATMENT, interventions=("bisphosphonate",))
    question = "Can I take my bisphosphonate with breakfast?"
    other = draft("medicines", "If bisphosphonates do not suit you, denosumab is next.")
    (gap,) = unanswered_ask(frame, other, for_patient=True, question=question)
    assert "when in the day to take it" in gap
    when = draft("medicines", "Take it 30 minutes before breakfast with a glass of water.")
    assert unanswered_ask(frame, when, for_patient=True, question=question) == ()


def test_a_question_on_reducing_a_dose_is_a_question_on_stepping_down() -> None:
    frame = QuestionFrame(Ask.DOSE)
    question = "Long-term PPI: should the dose be reduced once symptoms are controlled?"
    taper = draft("monitoring", "Taper the drug to the lowest effective dose.")
    assert unanswered_ask(frame, taper, for_patient=False, question=question) == ()
    other = draft("medicines", "Take it before a meal.")
    (gap,) = unanswered_ask(frame, other, for_patient=False, question=question)
    assert "step it down or stop it" in gap


def test_the_medicine_asked_about_named_with_one_the_person_is_on_answers_together() -> None:
    question = "I'm on ramipril and amlodipine. Can I take nurofen with them?"
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        interventions=("ramipril", "amlodipine", "nurofen"),
        drugs=tuple(
            DrugName(written, generic)
            for written, generic in [
                ("ramipril", "ramipril"),
                ("amlodipine", "amlodipine"),
                ("nurofen", "ibuprofen"),
            ]
        ),
    )
    line = draft("medicines", "Ibuprofen with an ACE inhibitor can harm the kidneys.")
    assert unanswered_ask(frame, line, for_patient=True, question=question) == ()
    unrelated = draft("medicines", "Amlodipine can make your ankles swell.")
    (gap,) = unanswered_ask(frame, unrelated, for_patient=True, question=question)
    assert "together" in gap


def test_a_medicine_named_in_a_list_is_named_together_with_the_other() -> None:
    # "such as apixaban, rivaroxaban or warfarin" earns warfarin a share below one.
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        interventions=("warfarin", "naproxen"),
        drugs=(DrugName("warfarin", "warfarin"), DrugName("naproxen", "naproxen")),
    )
    line = (
        "Some medicines raise bleeding on a blood thinner such as apixaban, rivaroxaban or "
        "warfarin. They include painkillers like ibuprofen or naproxen."
    )
    assert names_them_together([line], frame)
    assert not names_them_together(["Naproxen can ease knee pain."], frame)
