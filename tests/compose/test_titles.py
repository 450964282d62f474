"""Article titles are grammatical noun phrases built from the question frame.

A hundred frames are made from real card conditions, every ask, and populations, through the
same frame reader the service uses; each title is checked against simple grammar rules.
"""

from __future__ import annotations

import itertools
import re

import pytest

from bedside.analyse.frame import ConditionVocabulary, frame_question
from bedside.compose.extractive import article_title
from bedside.domain import Ask, DrugName, QuestionFrame

CARDS = [
    ("gout", "Gout in adults", ["gouty arthritis"]),
    ("hypothyroidism", "Primary hypothyroidism in adults", ["underactive thyroid"]),
    ("sciatica", "Sciatica (lumbar radiculopathy) in adults", ["pinched nerve"]),
    ("atrial-fibrillation", "Atrial fibrillation in adults", ["AF", "irregular heartbeat"]),
    ("copd", "Chronic obstructive pulmonary disease (COPD)", ["COPD", "emphysema"]),
    (
        "degenerative-disc-disease",
        "Degenerative disc disease and disc space narrowing in the lumbar spine",
        ["disc space loss"],
    ),
    ("uti", "Acute uncomplicated cystitis (lower urinary tract infection) in women", ["UTI"]),
    ("migraine", "Migraine in adults (acute treatment and prevention)", ["migraine headache"]),
]
CONDITIONS = [
    "gout", "an underactive thyroid", "sciatica", "AF", "COPD", "disc space loss", "a UTI",
    "migraine", "emphysema", "a pinched nerve",
]  # fmt: skip
QUESTIONS = [
    "How is {c} treated?",
    "Which medicines help {c}?",
    "What dose of allopurinol for {c}?",
    "How long should antibiotics for {c} last?",
    "Do I need an MRI for {c}?",
    "When should I refer {c} to a specialist?",
    "Will {c} get better?",
    "What are the warning signs in {c}?",
    "How is {c} diagnosed?",
    "What are the side effects of the drugs for {c}?",
    "Can I take ibuprofen together with alcohol for {c}?",
    "How can I prevent {c}?",
    "How often should {c} be monitored?",
    "Tell me about {c}",
    "How is {c} treated in pregnancy?",
    "How is {c} managed in an 80-year-old?",
]
_DANGLING = re.compile(
    r"\b(of|for|in|on|to|and|or|with|the|a|an|what|which|how|newly|is|are)$", re.IGNORECASE
)


def titles() -> list[str]:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    made = []
    for template, condition in itertools.product(QUESTIONS, CONDITIONS):
        frame = frame_question(template.format(c=condition), vocabulary)
        made.append(article_title(frame, ""))
    return made


def test_a_hundred_titles_are_made() -> None:
    assert len(titles()) >= 100


@pytest.mark.parametrize("title", sorted(set(titles())))
def test_title_is_a_grammatical_noun_phrase(title: str) -> None:
    words = title.split()
    assert 2 <= len(words) <= 14, title
    assert title[0].isupper(), title
    assert not title.endswith(("?", ".", ":", ",")), title
    assert not _DANGLING.search(title), title  # no "Imaging for sciatica, and what"
    assert "this question" not in title, title
    assert not re.search(r"\b(\w+) \1\b", title, re.IGNORECASE), title  # no doubled word
    assert not re.match(r"^(What|Which|How|When|Why|Is|Are|Do|Does|Can|Should)\b", title), title


def test_a_condition_named_in_a_clause_is_titled_by_the_cards_name() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("ddd", "Degenerative disc disease", ["disc thinning"])]
    )
    frame = frame_question("My discs are thinning. Will it get worse?", vocabulary)
    assert frame.conditions == ("discs are thinning",)
    assert article_title(frame, "Degenerative disc disease") == (
        "Outlook for degenerative disc disease"
    )


def test_a_condition_named_by_a_part_of_the_body_alone_is_titled_by_the_cards_name() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("alp", "Acute and subacute low back pain", ["lower back", "back pain"])]
    )
    frame = frame_question("Is amitriptyline any good for my lower back?", vocabulary)
    title = article_title(frame, "Acute and subacute low back pain")
    assert title.endswith("acute and subacute low back pain"), title


def test_a_drug_question_for_a_group_says_in_people_with_once() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    frame = frame_question("Is allopurinol safe in gout with heart disease?", vocabulary)
    title = article_title(frame, "")
    assert title.count("in people with") == 1, title
    assert title.endswith("and heart disease"), title


def test_a_drug_question_for_an_age_group_says_for_the_condition_then_in_the_group() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    frame = frame_question("Side effects of colchicine for gout in an 81-year-old?", vocabulary)
    title = article_title(frame, "")
    assert title == "Side effects and risks of colchicine for gout in older adults", title


def test_a_card_named_by_no_conditions_name_titles_the_article_not_another_condition() -> None:
    # "Statins" leads to the cholesterol card but is no condition's name; the article is about
    # that card, so "diabetes", named too, does not head it.
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("statins", "diabetes"),
        condition_cards=("hyperlipidaemia", "type-2-diabetes"),
    )
    title = article_title(frame, "Hyperlipidaemia and statin therapy")
    assert title == "Treatment options for hyperlipidaemia and statin therapy"


def test_an_abbreviation_typed_in_lower_case_takes_the_cards_spelling() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    frame = frame_question("my dad has copd and keeps getting flare ups", vocabulary)
    title = article_title(frame, "Chronic obstructive pulmonary disease (COPD)")
    assert "COPD" in title and "copd" not in title, title


def test_a_medicine_the_person_is_on_does_not_head_the_title() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    question = "78M, AF, CKD 3b, on bisoprolol. Which DOAC and does the dose change?"
    title = article_title(frame_question(question, vocabulary), "Atrial fibrillation", question)
    assert "bisoprolol" not in title and "DOAC" in title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # Two medicines asked about together head the title, the one the person is on second.
        (
            "I take sertraline. Is it OK to take zolmitriptan for my migraines?",
            "Taking zolmitriptan with sertraline",
        ),
        (
            "Is it safe to take Xarelto with Advil?",
            "Taking Xarelto (rivaroxaban) with Advil (ibuprofen)",
        ),
    ],
)
def test_a_question_on_two_medicines_together_is_titled_by_both(question: str, title: str) -> None:
    frame = frame_question(question, ConditionVocabulary.from_cards(CARDS))
    assert article_title(frame, "Migraine in adults", question) == title


def test_two_brands_typed_in_lower_case_head_the_article_capitalised() -> None:
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        interventions=("calpol", "nurofen"),
        drugs=(DrugName("calpol", "acetaminophen"), DrugName("nurofen", "ibuprofen")),
    )
    title = article_title(frame, "", "can i give calpol and nurofen at the same time?")
    assert title == "Taking Calpol (acetaminophen) with Nurofen (ibuprofen)"


def test_the_two_medicines_asked_together_head_it_over_a_treatment_the_story_names() -> None:
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        interventions=("antibiotics", "calpol", "nurofen"),
        drugs=(DrugName("calpol", "acetaminophen"), DrugName("nurofen", "ibuprofen")),
    )
    question = "GP said wait 2 days before antibiotics. can i give calpol and nurofen together"
    title = article_title(frame, "", question)
    assert title == "Taking Calpol (acetaminophen) with Nurofen (ibuprofen)"


def test_a_question_on_stopping_a_medicine_is_titled_by_stopping_it() -> None:
    sertraline = QuestionFrame(
        Ask.DURATION,
        conditions=("depression",),
        interventions=("sertraline",),
        drugs=(DrugName("sertraline", "sertraline"),),
    )
    question = "On sertraline 14 months and well for 8. Can I just stop taking it?"
    assert article_title(sertraline, "Depression", question) == "Stopping sertraline"
    # …but not a medicine the stopping question does not name ("the brown one").
    two = QuestionFrame(
        Ask.DURATION,
        conditions=("asthma",),
        interventions=("ventolin", "clenil"),
        drugs=(DrugName("ventolin", "albuterol"), DrugName("clenil", "beclomethasone")),
    )
    brown = "I use Ventolin and Clenil. Should I stop the brown one till the baby is born?"
    assert article_title(two, "Asthma", brown) == "Length of treatment for asthma"


def test_a_prevention_title_says_screening_only_when_screening_is_asked() -> None:
    from bedside.domain import Ask, QuestionFrame

    frame = QuestionFrame(ask=Ask.PREVENTION, conditions=("migraine",))
    assert article_title(frame, "migraine", "Best drug for migraine prophylaxis?").startswith(
        "Prevention of"
    )
    assert article_title(frame, "osteoporosis", "Who should be screened?").startswith(
        "Screening for"
    )


def test_a_clinicians_clipped_word_is_said_in_full_in_the_title() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    question = "New AF, rate controlled on bisoprolol. Anticoag? Dose?"
    title = article_title(frame_question(question, vocabulary), "", question)
    assert "anticoagulation" in title and "bisoprolol" not in title, title
