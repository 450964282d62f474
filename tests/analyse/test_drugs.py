"""Drug names, brand or generic, resolved to the generic name (the drug library plus our rules)."""

from __future__ import annotations

import pytest

from bedside.analyse.drugs import find_drugs
from bedside.analyse.frame import ConditionVocabulary, frame_question
from bedside.domain import Ask, DrugName, QuestionFrame


@pytest.mark.parametrize(
    ("question", "generics"),
    [
        ("side effects of Robaxin", ["methocarbamol"]),
        ("tell me more about lexapro", ["escitalopram"]),
        ("can I take Zyrtec and Benadryl together", ["cetirizine", "diphenhydramine"]),
        ("how long until Wellbutrin works", ["bupropion"]),
        ("is Mounjaro FDA approved", ["tirzepatide"]),
        ("Advil with Eliquis?", ["ibuprofen", "apixaban"]),
    ],
)
def test_brands_resolve_to_their_generic_names(question: str, generics: list[str]) -> None:
    assert [mention.generic for mention in find_drugs(question)] == generics


@pytest.mark.parametrize(
    ("question", "generics"),
    [
        ("percocet constipation what helps", ["oxycodone and acetaminophen"]),
        ("Pepto-Bismol turned my tongue black", ["bismuth subsalicylate"]),
        ("can i take tums with my levothyroxine", ["calcium carbonate", "levothyroxine"]),
        ("side effects of ella the morning after pill?", ["ulipristal acetate"]),
        ("breo inhaler white patches in my mouth", ["fluticasone furoate and vilanterol"]),
        ("can i still get the depo shot", ["medroxyprogesterone acetate"]),
        ("urgent care just gave her a zpack for pneumonia", ["azithromycin"]),
        ("FeverPAIN 4, NKDA. Pen V dose/duration?", ["phenoxymethylpenicillin"]),
        ("im on microgynon, is that ok with my migraines", ["combined oral contraceptive"]),
    ],
)
def test_brands_the_library_lacks_come_from_the_reviewed_list(
    question: str, generics: list[str]
) -> None:
    assert [mention.generic for mention in find_drugs(question)] == generics


def test_a_brand_that_is_also_a_name_needs_a_medicine_word() -> None:
    assert find_drugs("Ella is my daughter and she has a cough") == ()
    assert find_drugs("my plan b is to rest my back") == ()  # the library's brand, guarded too
    assert [m.generic for m in find_drugs("took plan b yesterday, side effects?")] == [
        "levonorgestrel"
    ]
    (percocet,) = find_drugs("Percocet and constipation")
    assert percocet.names() == (
        "oxycodone and acetaminophen", "oxycodone", "acetaminophen", "paracetamol",
    )  # fmt: skip


def test_words_that_are_not_drugs_in_a_question_are_left_alone() -> None:
    assert find_drugs("She sits at a desk all day with sciatica") == ()
    assert find_drugs("no leg pain, just a constant ache low down") == ()  # not Constant-T
    assert find_drugs("How is gout managed?") == ()
    assert find_drugs("Disc herniation, now with saddle anesthesia: urgent MRI?") == ()
    assert find_drugs("On DAPT after a stent, migraine attack: what can I take?") == ()
    assert find_drugs("the leaflet says something about serotonin syndrome") == ()


def test_a_class_word_is_not_one_drug() -> None:
    (mention,) = find_drugs("Is an ACE inhibitor safe?")
    assert not mention.is_specific
    (brand,) = find_drugs("Is Lexapro safe?")
    assert brand.is_specific and brand.is_brand


def test_the_generic_name_our_sources_use_is_known_too() -> None:
    (mention,) = find_drugs("is tylenol ok for a toddler")
    assert mention.names() == ("acetaminophen", "paracetamol")


def test_the_frame_keeps_the_brand_as_asked_and_knows_its_generic() -> None:
    frame = frame_question("side effects of Robaxin", ConditionVocabulary.from_cards([]))
    assert frame.interventions == ("robaxin",)
    assert frame.drugs == (DrugName("Robaxin", "methocarbamol"),)
    assert frame.other_names("robaxin") == ("methocarbamol",)
    assert frame.drugs[0].label == "Robaxin (methocarbamol)"
    assert QuestionFrame.from_json(frame.to_json()) == frame


def test_a_class_word_stays_an_intervention_as_worded_without_a_generic() -> None:
    frame = frame_question(
        "Should an SGLT2 inhibitor be added in HFrEF?", ConditionVocabulary.from_cards([])
    )
    assert frame.drugs == ()


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("Can I take Eliquis with Advil?", Ask.INTERACTIONS),
        ("is it ok to take stendra if im on flomax", Ask.INTERACTIONS),
        ("Lexapro or Zoloft for anxiety?", Ask.TREATMENT),  # a choice, not a combination
        ("Side effects of Lexapro and Zoloft?", Ask.SIDE_EFFECTS),  # the narrower ask stays
        # Whether it is safe to take two together asks whether they mix.
        ("Is it safe to take Xarelto with Advil?", Ask.INTERACTIONS),
        # On one medicine in the story, asking whether it is all right to take another…
        ("I take sertraline. Is it OK to take zolmitriptan for my migraines?", Ask.INTERACTIONS),
        # …or in the asking sentence's own first clause.
        ("im on citalopram, can i take nurofen for my back?", Ask.INTERACTIONS),
        # …but not when it would be taken instead.
        ("My metformin upsets my stomach. Can I take sitagliptin instead?", Ask.TREATMENT),
        # A warning heard that two medicines do not mix, then whether to stop one.
        (
            "On Nexium for years, now Plavix too. Told they don't mix. Stop the Nexium?",
            Ask.INTERACTIONS,
        ),
    ],
)
def test_two_medicines_taken_together_ask_about_interactions(question: str, ask: Ask) -> None:
    assert frame_question(question, ConditionVocabulary.from_cards([])).ask is ask


def test_a_drug_name_one_letter_off_is_resolved_but_ordinary_words_are_not() -> None:
    from bedside.analyse.drugs import resolve_misspelling

    assert resolve_misspelling("welbutrin").generic == "bupropion"  # type: ignore[union-attr]
    assert resolve_misspelling("amoxicilin").generic == "amoxicillin"  # type: ignore[union-attr]
    # A dropped letter early in a short name, which the library's letter triples miss.
    assert resolve_misspelling("setraline").generic == "sertraline"  # type: ignore[union-attr]
    for word in ("hospital", "holiday", "concert", "chicken", "yelling", "pregnant", "selenium"):
        assert resolve_misspelling(word) is None, word


def test_a_generic_name_cut_short_is_resolved_only_when_it_starts_one_drug() -> None:
    from bedside.analyse.drugs import resolve_shortened

    # Clinicians' shorthand, and the Indian brand "Rosuvas", start one drug's generic name.
    for word, generic in (("atorva", "atorvastatin"), ("Rosuvas", "rosuvastatin")):
        assert resolve_shortened(word).generic == generic  # type: ignore[union-attr]
    # Too short, the start of several drugs, a class, or a whole name: left alone.
    for word in ("amlo", "metfo", "predni", "expect", "oxygen", "insulin", "warfar"):
        assert resolve_shortened(word) is None, word


def test_calcium_channel_blocker_is_found_with_or_without_its_hyphen() -> None:
    for text in ("offer a calcium-channel blocker", "offer a calcium channel blocker"):
        assert [drug.generic for drug in find_drugs(text)] == ["calcium channels"]
    assert [drug.generic for drug in find_drugs("co-codamol")] == ["co-codamol"]


def test_uk_calcium_and_vitamin_d_brands_are_calcium() -> None:
    found = find_drugs("started adcal d3 twice a day")
    generics = {name for drug in found for name in drug.names()}
    assert "calcium" in generics
