"""Question analysis: intent and topic by table."""

import pytest

from bedside.analyse.question import analyse_question
from bedside.domain import Intent

SEED_REFERRAL = (
    "What are the next steps for a patient with a disc bulge who has not responded to initial "
    "conservative management and should I consult a spine specialist, such as an orthopedic "
    "surgeon or a neurosurgeon, for further evaluation and treatment?"
)


@pytest.mark.parametrize(
    ("question", "intent", "topic"),
    [
        ("What are the treatment options for disc space loss in the lumbar spine?",
         Intent.TREATMENT, "disc space loss in the lumbar spine"),
        (SEED_REFERRAL, Intent.REFERRAL, "disc bulge"),
        ("When should a patient with lumbar disc disease be referred to a spine specialist?",
         Intent.REFERRAL, "lumbar disc disease"),
        ("Does acute LBP need an MRI?", Intent.IMAGING, ""),
        ("How long does sciatica take to get better?", Intent.PROGNOSIS, ""),
        ("Which painkillers help knee osteoarthritis?", Intent.DRUG, ""),
        ("How is gout diagnosed?", Intent.DIAGNOSIS, ""),
        ("How can osteoporosis be prevented?", Intent.PREVENTION, ""),
        ("What is the management of community-acquired pneumonia?", Intent.TREATMENT,
         "community-acquired pneumonia"),
        ("Tell me about migraine", Intent.GENERAL, "migraine"),
    ],
)  # fmt: skip
def test_intent_and_topic(question: str, intent: Intent, topic: str) -> None:
    analysis = analyse_question(question)
    assert analysis.intent is intent
    assert analysis.topic == topic


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("Does acute LBP need an MRI?", ("acute", "lbp")),
        ("Which painkillers help knee osteoarthritis?", ("knee", "osteoarthritis")),
        ("What causes migraine?", ("migraine",)),
    ],
)
def test_topic_terms_leave_out_what_is_asked(question: str, terms: tuple[str, ...]) -> None:
    assert analyse_question(question).topic_terms == terms


def test_curly_apostrophes_are_made_straight_in_one_place() -> None:
    from bedside.analyse.terms import straight_apostrophes

    assert straight_apostrophes("Parkinson\u2019s and \u2018wort\u2019") == "Parkinson's and 'wort'"
