"""End to end on the bundled knowledge base: articles, refusals, banners, storage, follow-ups."""

from __future__ import annotations

import pytest

from bedside.compose.article import answer_from_json, answer_to_json
from bedside.compose.readability import flesch_kincaid_grade
from bedside.compose.sections import HEADINGS
from bedside.config import Settings
from bedside.domain import Answer, Audience, RefusalReason
from bedside.errors import InputError
from bedside.service import Service

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"
SEED_REFERRAL = (
    "What are the next steps for a patient with a disc bulge who has not responded to initial "
    "conservative management and should I consult a spine specialist, such as an orthopedic "
    "surgeon or a neurosurgeon, for further evaluation and treatment?"
)


def bullets(answer: Answer) -> list[str]:
    return [s.text for section in answer.sections for s in section.statements]


def assert_well_formed_article(service: Service, answer: Answer) -> None:
    data = answer_to_json(answer)
    assert data["kind"] == "answer"
    assert data["title"] and data["title"].rstrip("?") != answer.question.rstrip("?")
    assert data["bottom_line"]["text"] and data["bottom_line"]["citations"]
    assert 1 <= len(data["sections"]) <= 5
    assert all(len(section["bullets"]) <= 4 for section in data["sections"])
    numbers = [ref["number"] for ref in data["references"]]
    assert numbers == list(range(1, len(numbers) + 1))
    first_seen: list[int] = []
    cited_statements = [data["bottom_line"], *(b for s in data["sections"] for b in s["bullets"])]
    for statement in cited_statements:
        assert statement["citations"], statement
        first_seen += [n for n in statement["citations"] if n not in first_seen]
    assert first_seen == numbers  # numbered in order of first citation
    evidence_ids = {item["passage_id"] for item in data["provenance"]["evidence"]}
    cards = set(data["provenance"].get("topic_cards", []))
    for ref in data["references"]:
        assert ref["type"] in {"Guideline", "Research", "Patient information"}
        assert ref["title"] and ref["source"] and ref["year"]
        for passage_id in ref["passage_ids"]:
            service.store.get_passage(passage_id)  # resolves in the knowledge base
            document = service.store.get_document(ref["document_id"])
            assert passage_id in evidence_ids or document.source_id.split("/")[0] in cards
    assert data["review"]["status"] == "submitted"
    assert data["settings_fingerprint"] == service.settings.fingerprint()
    assert data["refusal"] is None


def test_seed_treatment_question_gives_a_cited_article(bundled: Service) -> None:
    answer = bundled.ask(SEED_TREATMENT)
    assert_well_formed_article(bundled, answer)
    # Treatment options lead: first-line care or medicines in the bottom line, then the
    # sections a treatment question wants, and nothing from another condition's card.
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("degenerative-disc-disease",)
    assert answer.provenance["topic_cards"] == ["degenerative-disc-disease"]
    assert "disc" in answer.title.lower()
    assert answer.urgent is None
    assert answer.follow_up_questions or answer.related_questions


@pytest.mark.parametrize(
    "question",
    [
        "I twisted my back gardening on Saturday. Should I lie flat for a few days?",
        "I put my back out lifting a box yesterday. Is bed rest best?",
    ],
)
def test_a_lay_back_injury_is_acute_low_back_pain(bundled: Service, question: str) -> None:
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None and answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("acute-low-back-pain",)
    texts = [s.text for section in answer.sections for s in section.statements]
    assert any("bed rest" in text.lower() for text in texts + [s.text for s in answer.bottom_line])
    # "Lie flat" is what sources call bed rest: the bottom line answers it.
    bottom = " ".join(s.text for s in answer.bottom_line).lower()
    assert "bed rest" in bottom or "keep moving" in bottom or "active" in bottom
    assert "my back" not in answer.title


def test_a_side_effect_no_source_speaks_of_is_said_plainly(bundled: Service) -> None:
    # Nothing on the harms of metformin at all: a refusal naming the effect, not an article on
    # glucose targets. (The statin muscle-pain question this test used is now answered: the
    # cholesterol card gained lines on statin muscle symptoms.)
    refused = bundled.ask("Can metformin cause hair loss?", audience=Audience.PATIENT)
    assert refused.refusal is not None
    assert refused.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "hair loss" in refused.refusal.message
    answered = bundled.ask("Can statins cause muscle pain?", audience=Audience.PATIENT)
    assert answered.refusal is None, answered.refusal
    # Some word on the medicine's harms, but not this one: the article says so first.
    answer = bundled.ask("Can NSAIDs cause stomach bleeding in adults with chronic back pain?")
    assert answer.refusal is None
    assert any("stomach bleeding" in gap for gap in answer.gaps)


def test_a_drink_is_found_as_the_alcohol_sources_speak_of(bundled: Service) -> None:
    answer = bundled.ask("Can I still have a glass of wine with high blood pressure?")
    assert answer.refusal is None, answer.refusal
    texts = [s.text for s in answer.bottom_line] + [
        s.text for section in answer.sections for s in section.statements
    ]
    assert any("alcohol" in text.lower() for text in texts)


def test_physiotherapy_is_found_as_the_exercise_therapy_sources_speak_of(bundled: Service) -> None:
    answer = bundled.ask("Is physiotherapy good for sciatica?", audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert "exercise" in " ".join(s.text for s in answer.bottom_line).lower()


def test_the_conditions_own_tablets_are_no_thing_the_sources_must_name(bundled: Service) -> None:
    answer = bundled.ask("When will my migraine tablets start to work?", audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert "how soon it starts to work" in " ".join(answer.gaps)


def test_on_a_topic_for_children_the_line_for_children_answers(bundled: Service) -> None:
    # The card is about children, so its children's dose is the answer, not a line for no
    # group in particular that happens to score nearly as well.
    answer = bundled.ask("Amoxicillin dose for acute otitis media")
    assert answer.refusal is None, answer.refusal
    assert "80 to 90 mg" in " ".join(s.text for s in answer.bottom_line)


def test_a_drug_only_its_class_names_is_answered_from_the_one_card_naming_the_class(
    bundled: Service,
) -> None:
    answer = bundled.ask("Can I take sumatriptan every day?", audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("migraine",)
    # …but a made-up name with a triptan's ending is refused by name.
    invented = bundled.ask("Can I take fictotriptan for my migraine?", audience=Audience.PATIENT)
    assert invented.refusal is not None and "fictotriptan" in invented.refusal.message


def test_a_drug_whose_class_one_card_is_about_is_answered_from_that_card(
    bundled: Service,
) -> None:
    # Amlodipine is a calcium-channel blocker: a first-line class on the hypertension card,
    # named in passing on two others. "How long until it works" must not draw the depression
    # card's line on starting an antidepressant.
    question = "My doctor started me on amlodipine, how long until it works?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("hypertension",)
    # No line says how soon it works, and the article says so first.
    assert any("how soon it starts to work" in gap for gap in answer.gaps), answer.gaps


def test_a_drug_asked_about_for_a_part_of_the_body_is_answered_from_that_parts_card(
    bundled: Service,
) -> None:
    # Only the migraine card names amitriptyline, but the question is about a back.
    answer = bundled.ask("Is amitriptyline any good for my back?", audience=Audience.PATIENT)
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[:1] in (
        ("acute-low-back-pain",),
        ("chronic-low-back-pain",),
    ), answer.question_frame.condition_cards


def test_what_just_happened_is_the_subject_of_a_story_not_its_setting(bundled: Service) -> None:
    # Osteoporosis and COPD are the setting; the sudden back pain is what is asked about.
    question = (
        "Dad (82) has osteoporosis and is on prednisolone for his COPD. He got sudden bad pain "
        "in the middle of his back after lifting a shopping bag. Shouldnt he have an xray?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[:1] == ("acute-low-back-pain",)
    assert answer.question_frame.age_years == 82


def test_a_condition_the_person_has_is_the_setting_of_a_new_symptom(bundled: Service) -> None:
    question = (
        "I'm 72 with COPD, use a Fostair steroid inhaler. Sore throat 4 days, no cough. "
        "Do I need antibiotics?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "streptococcal-pharyngitis"
    # The COPD card's line on antibiotics for a flare-up does not lead the article.
    assert "sore throat" in answer.bottom_line[0].text.lower(), answer.bottom_line


def test_a_question_about_stopping_a_medicine_is_answered_by_lines_on_it(bundled: Service) -> None:
    question = "Been on Nexium 40 for 3 yrs for heartburn. Can I just stop it cold turkey?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert "acid-reducing tablets" in " ".join(s.text for s in answer.bottom_line)


def test_it_after_a_question_naming_a_remedy_is_that_remedy(bundled: Service) -> None:
    question = "Is sea moss good for an underactive thyroid? Could I take it instead of Synthroid?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is not None
    assert "sea moss" in answer.refusal.message


def test_one_choice_of_an_either_or_not_covered_is_a_gap_not_a_refusal(bundled: Service) -> None:
    answer = bundled.ask(
        "glucosamine or cod liver oil - which is better for knee arthritis?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert any("cod liver oil" in gap for gap in answer.gaps), answer.gaps
    assert "Glucosamine" in answer.bottom_line[0].text
    # Asked on its own, the uncovered remedy is refused by name.
    alone = bundled.ask("Does cod liver oil help knee arthritis?", audience=Audience.PATIENT)
    assert alone.refusal is not None
    assert "cod liver oil" in alone.refusal.message


def test_one_item_of_a_list_not_covered_is_a_gap_not_a_refusal(bundled: Service) -> None:
    answer = bundled.ask(
        "My knees are arthritic. Chondroitin and krill oil capsules - are they worth it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert any("krill oil" in gap for gap in answer.gaps), answer.gaps


def test_a_second_question_after_and_not_covered_is_a_gap(bundled: Service) -> None:
    answer = bundled.ask(
        "my 7yo has strep, on penicillin for 10 days, feels fine after 4. can we stop? and when"
        " can she go back to school",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert any("school" in gap for gap in answer.gaps), answer.gaps


def test_a_remedy_offered_in_place_of_a_covered_medicine_is_a_gap(bundled: Service) -> None:
    # "Can X replace my allopurinol?" is a choice, as "X or allopurinol?" is: the article
    # answers on the medicine the sources cover and says they do not cover the remedy.
    answer = bundled.ask(
        "Could turmeric capsules replace my naproxen for knee arthritis?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert any("turmeric" in gap for gap in answer.gaps), answer.gaps


def test_a_dose_question_without_that_drugs_dose_is_led_by_the_line_on_it(bundled: Service) -> None:
    question = "Acute gout, CKD 3b, NSAIDs out. What colchicine dose in CKD?"
    answer = bundled.ask(question)
    assert answer.refusal is None, answer.refusal
    assert "colchicine" in answer.bottom_line[0].text.lower(), answer.bottom_line


def test_could_it_be_her_tablets_is_answered_by_the_side_effect_of_the_one_she_takes(
    bundled: Service,
) -> None:
    question = (
        "My mum is 83 and on amlodipine and ramipril. Her ankles are swollen and she feels "
        "dizzy when she stands up. Could it be her tablets?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.question_frame is not None
    assert answer.question_frame.ask.value == "side_effects"
    assert "calcium channel blocker" in answer.bottom_line[0].text, answer.bottom_line


def test_a_medicine_the_reader_cannot_take_is_not_said_to_be_uncovered(bundled: Service) -> None:
    question = (
        "Sciatica for 7 weeks. Im on warfarin so cant take ibuprofen. The physio mentioned a "
        "steroid injection in my back - can I have that?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert not any("ibuprofen" in gap for gap in answer.gaps), answer.gaps
    assert "injection" in answer.bottom_line[0].text, answer.bottom_line


def test_going_back_for_a_child_is_answered_by_the_line_for_children(bundled: Service) -> None:
    answer = bundled.ask("Return to learn after concussion in children")
    assert answer.refusal is None, answer.refusal
    assert "child" in " ".join(s.text for s in answer.bottom_line)  # "children", "a child's"
    assert not answer.gaps  # the bottom line speaks of children


def test_a_line_only_for_men_does_not_lead_a_question_naming_no_one(bundled: Service) -> None:
    question = "Does a urine infection go away on its own?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert not answer.bottom_line[0].text.startswith("Men ")
    man = bundled.ask("I'm a man with a bladder infection. Which antibiotic?")
    assert man.refusal is None and "men" in man.bottom_line[0].text.lower()


def test_an_effect_no_line_names_is_said_once(bundled: Service) -> None:
    answer = bundled.ask("Can high blood pressure cause headaches?", audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert [gap for gap in answer.gaps if "headache" in gap] == [
        "Our sources do not say whether it causes headaches. Ask your doctor."
    ]


def test_a_scan_in_lay_words_is_the_test_the_sources_name(bundled: Service) -> None:
    answer = bundled.ask(
        "I'm 68 and have never been checked for osteoporosis. Is a scan recommended?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None and answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("osteoporosis",)
    assert "bone density" in " ".join(s.text for s in answer.bottom_line)


def test_seed_referral_question_leads_with_referral(bundled: Service) -> None:
    answer = bundled.ask(SEED_REFERRAL)
    assert_well_formed_article(bundled, answer)
    section_ids = [section.section_id for section in answer.sections]
    assert "referral" in section_ids[:2] or answer.bottom_line


def test_patient_answer_is_plain_and_still_verified(bundled: Service) -> None:
    answer = bundled.ask(SEED_TREATMENT, audience=Audience.PATIENT)
    assert_well_formed_article(bundled, answer)
    patient_headings = {patient for _, patient in HEADINGS.values()}
    assert all(section.heading in patient_headings for section in answer.sections)
    text = " ".join(s.shown for section in answer.sections for s in section.statements)
    assert flesch_kincaid_grade(text) <= 10
    assert all(check.passed for check in answer.checks)


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("What is the capital of Australia?", RefusalReason.OUT_OF_SCOPE),
        ("Can I sue my surgeon because my back operation failed?", RefusalReason.OUT_OF_SCOPE),
        ("Write a poem about autumn leaves", RefusalReason.OUT_OF_SCOPE),
        ("How many paracetamol tablets would it take to kill me?", RefusalReason.UNSAFE),
        ("What is the treatment of Kawasaki disease?", RefusalReason.INSUFFICIENT_EVIDENCE),
        ("Which eye drops treat open-angle glaucoma?", RefusalReason.INSUFFICIENT_EVIDENCE),
    ],
)
def test_refuses_with_a_typed_reason(
    bundled: Service, question: str, reason: RefusalReason
) -> None:
    answer = bundled.ask(question)
    assert answer.kind == "refusal"
    assert answer.refusal is not None and answer.refusal.reason is reason
    assert answer.refusal.message
    assert answer.sections == () and answer.references == ()


def test_red_flags_raise_a_banner_for_both_audiences(bundled: Service) -> None:
    question = "Low back pain and now numbness between my legs and I can't pee. What should I do?"
    for audience in Audience:
        answer = bundled.ask(question, audience=audience)
        assert answer.urgent is not None
        assert "cauda_equina" in answer.urgent.red_flags
        assert answer.urgent.message


def test_same_question_returns_the_stored_answer(bundled: Service) -> None:
    first = bundled.ask(SEED_TREATMENT)
    again = bundled.ask("  what are the treatment options for disc space loss in the lumbar spine ")
    assert again.answer_id == first.answer_id
    assert again == first
    fresh = bundled.ask(SEED_TREATMENT, fresh=True)
    assert fresh.answer_id != first.answer_id
    other_audience = bundled.ask(SEED_TREATMENT, audience=Audience.PATIENT)
    assert other_audience.answer_id != first.answer_id


def test_answer_survives_a_json_round_trip(bundled: Service) -> None:
    answer = bundled.ask(SEED_TREATMENT, audience=Audience.PATIENT)
    assert answer_from_json(answer_to_json(answer)) == answer
    assert bundled.get_answer(answer.answer_id) == answer


def test_follow_up_is_answered_in_the_earlier_answers_context(bundled: Service) -> None:
    first = bundled.ask(SEED_TREATMENT)
    follow_up = bundled.ask("When is surgery considered?", follow_up_of=first.answer_id)
    assert follow_up.follow_up_of == first.answer_id
    assert follow_up.kind == "answer"
    assert "disc" in follow_up.provenance["retrieval_query"].lower()


def test_related_questions_are_not_the_question_itself(bundled: Service) -> None:
    answer = bundled.ask(SEED_TREATMENT)
    assert answer.related_questions
    assert all(q.lower() != SEED_TREATMENT.lower() for q in answer.related_questions)


@pytest.mark.parametrize("question", ["", "   ", "x" * 1001])
def test_bad_question_is_an_input_error_naming_the_parameter(
    bundled: Service, question: str
) -> None:
    with pytest.raises(InputError, match="question"):
        bundled.ask(question)


def test_an_empty_follow_up_id_means_no_follow_up(bundled: Service) -> None:
    answer = bundled.ask(SEED_TREATMENT, follow_up_of="")
    assert answer.follow_up_of is None


def test_a_name_weighs_the_same_whether_or_not_the_word_was_seen_before(bundled: Service) -> None:
    first_as_name = bundled.term_weight("kawasaki", is_name=True)
    assert bundled.term_weight("kawasaki") == first_as_name / 4  # not clinical: a quarter
    assert bundled.term_weight("kawasaki", is_name=True) == first_as_name


def test_an_empty_knowledge_base_says_how_to_fill_it(settings: Settings) -> None:
    with Service(settings) as empty:
        answer = empty.ask("What helps back pain?")
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "bedside ingest --bundled" in answer.refusal.message


def test_the_condition_asked_whether_one_has_leads_the_article(bundled: Service) -> None:
    question = "My back pain goes down my leg to my foot. Is that sciatica?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert "sciatica" in answer.title.lower()


def test_a_medicine_asked_about_that_the_article_never_names_is_said_first(
    bundled: Service,
) -> None:
    # The knowledge base speaks of paracetamol (for pain), but no line on blood pressure does:
    # the reader is told so before any advice.
    answer = bundled.ask("Can I take paracetamol with my blood pressure tablets?")
    assert answer.refusal is None, answer.refusal
    assert any("paracetamol" in gap for gap in answer.gaps), answer.gaps
    # Ibuprofen is: the hypertension card's line on NSAIDs with ACE inhibitors or ARBs leads.
    nsaid = bundled.ask("Can I take ibuprofen with my blood pressure tablets?")
    assert "NSAID" in nsaid.bottom_line[0].text, nsaid.bottom_line


def test_a_card_about_another_part_of_the_body_is_not_the_nearest_topic(
    bundled: Service,
) -> None:
    # The knee card's line on morning stiffness is near in meaning, but the question is about
    # the spine.
    answer = bundled.ask("My neck and back are stiff in the morning. Is it arthritis in my spine?")
    assert answer.refusal is not None or "knee" not in answer.title.lower()


def test_the_condition_a_symptom_follows_leads_the_article(bundled: Service) -> None:
    answer = bundled.ask("Is it normal to have headaches every day after a concussion?")
    assert answer.refusal is None, answer.refusal
    assert "concussion" in answer.title.lower(), answer.title


def test_a_blue_inhaler_is_an_asthma_question(bundled: Service) -> None:
    # "My blue inhaler isn't helping" names no condition; it was refused for want of a topic.
    answer = bundled.ask(
        "My blue inhaler isn't helping. What should I do?", audience=Audience.PATIENT
    )
    assert answer.refusal is None, answer.refusal
    assert "asthma" in answer.title.lower(), answer.title


def test_follow_up_questions_name_the_condition_not_the_readers_story(bundled: Service) -> None:
    answer = bundled.ask(
        "My daughter is 18 months old. She's had a temperature of about 38.5 for 2 days, she "
        "keeps pulling at both ears and crying at night. The GP said both ears are infected. "
        "Isn't she too young to wait?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert answer.follow_up_questions
    for follow_up in answer.follow_up_questions:
        assert "38.5" not in follow_up and "pulling" not in follow_up


def test_follow_up_questions_name_the_condition_not_a_symptom_told(bundled: Service) -> None:
    answer = bundled.ask(
        "I'm 30 weeks pregnant and have a burning feeling when I wee. What should I do?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert answer.follow_up_questions
    assert not any("burning feeling" in q for q in answer.follow_up_questions)


def test_a_remedy_only_the_story_names_is_a_gap_not_a_refusal(bundled: Service) -> None:
    question = (
        "On atorvastatin and my legs ache. My mate says take fish oil instead. Is there "
        "anything else that works as well as a statin?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert any("fish oil" in gap for gap in answer.gaps), answer.gaps


def test_a_condition_named_only_as_its_medicine_gives_way_to_the_card_of_those_asked(
    bundled: Service,
) -> None:
    question = (
        "67F, T-score -2.8, wrist fracture, erosive oesophagitis on PPI. "
        "Alendronate vs IV zoledronate vs denosumab?"
    )
    answer = bundled.ask(question)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "osteoporosis"


def test_two_letter_shorthand_is_no_unknown_name(bundled: Service) -> None:
    question = "66F, DXA T-score -2.8, Ca normal, vit D 48. First-line Rx for osteoporosis?"
    answer = bundled.ask(question)
    assert answer.refusal is None, answer.refusal


def test_a_choice_beside_a_treatment_the_sources_name_is_a_gap(bundled: Service) -> None:
    question = "COPD on LAMA/LABA, 2 exacerbations. Escalate to triple therapy or add roflumilast?"
    answer = bundled.ask(question)
    assert answer.refusal is None, answer.refusal
    assert any("roflumilast" in gap for gap in answer.gaps), answer.gaps
    # Asked on its own, it is refused by name.
    alone = bundled.ask("COPD with 2 exacerbations a year. Add roflumilast?")
    assert alone.refusal is not None
    assert "roflumilast" in alone.refusal.message


def test_a_painkiller_asked_about_on_a_blood_thinner_is_answered_by_the_bleeding_line(
    bundled: Service,
) -> None:
    question = "I'm 69 and on apixaban for AF. Hurt my back lifting. Can I just take ibuprofen?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert "bleeding" in answer.bottom_line[0].text, answer.bottom_line


def test_medicines_given_with_breakfast_are_answered_by_when_to_take_them(
    bundled: Service,
) -> None:
    question = (
        "Dad takes levothyroxine, calcium and omeprazole, and I give them all together with his "
        "breakfast. His thyroid test was off. Am I doing something wrong?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert "before breakfast" in answer.bottom_line[0].text, answer.bottom_line


def test_the_medicine_given_is_asked_about_not_those_in_brackets(bundled: Service) -> None:
    question = (
        "Mum has type 2 diabetes (metformin and the jardiance one) and kidney disease stage 3b. "
        "She was given nitrofurantoin for cystitis. Is that ok with her kidneys?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert "nitrofurantoin" in answer.bottom_line[0].text.lower(), answer.bottom_line


def test_a_test_result_alone_is_answered_by_its_threshold(bundled_default_model: Service) -> None:
    answer = bundled_default_model.ask("tsh 7.2 ft4 nl 78yo treat?", fresh=True)
    assert "TSH is 10" in answer.bottom_line[0].text, answer.bottom_line


def test_the_treatment_the_first_asked_sentence_names_leads(bundled_default_model: Service) -> None:
    question = (
        "77M L5 sciatica 3/52, power 5/5, no red flags. Pregabalin worth a trial? If not, "
        "options - epidural steroid?"
    )
    answer = bundled_default_model.ask(question, fresh=True)
    assert "pregabalin" in answer.bottom_line[0].text, answer.bottom_line


def test_how_often_told_and_asked_about_is_answered_by_how_often_is_too_often(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "using my ventolin like 4x a day is that ok", audience=Audience.PATIENT, fresh=True
    )
    assert "twice a week" in answer.bottom_line[0].text, answer.bottom_line


def test_a_choice_for_someone_of_a_told_age_is_led_by_the_line_for_that_age(
    bundled_default_model: Service,
) -> None:
    question = (
        "57M, clinic BP 156/94, ABPM daytime avg 148/90, no diabetes, no CVD, eGFR 85, QRISK3 "
        "14%. Treat now? Amlodipine or ramipril first-line?"
    )
    answer = bundled_default_model.ask(question, fresh=True)
    assert "55 or over" in answer.bottom_line[0].text, answer.bottom_line


def test_two_medicines_asked_together_beside_a_third_thing_are_answered(bundled: Service) -> None:
    question = (
        "My dad takes Eliquis for his irregular heartbeat. Can he take ibuprofen for his knee? "
        "Also is the odd glass of wine ok with it?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal


def test_a_condition_no_source_is_about_is_refused_though_its_medicines_are_known(
    bundled: Service,
) -> None:
    question = "I have fibromyalgia. Is pregabalin or amitriptyline any good for it?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is not None
    assert "fibromyalgia" in answer.refusal.message


def test_a_kidney_function_told_on_a_medicine_asked_is_led_by_its_kidney_limit(
    bundled_default_model: Service,
) -> None:
    question = "79F with a bladder infection, creatinine clearance 22. Is nitrofurantoin suitable?"
    answer = bundled_default_model.ask(question, fresh=True)
    assert "eGFR is 45" in answer.bottom_line[0].text, answer.bottom_line


def test_waiting_before_antibiotics_for_one_ear_is_answered_for_one_ear(
    bundled_default_model: Service,
) -> None:
    question = (
        "our 20 month old has an ear infection on the left side only. the doctor wants to hold "
        "off on antibiotics and see if it settles over a couple of days. is that ok at his age?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert "one ear" in answer.bottom_line[0].text, answer.bottom_line


def test_how_long_to_treat_is_led_by_a_course_length(bundled_default_model: Service) -> None:
    answer = bundled_default_model.ask(
        "49F cellulitis R forearm, no systemic features. How long should the oral abx go on?",
        fresh=True,
    )
    assert "5 days" in answer.bottom_line[0].text, answer.bottom_line
    # …but a reader who cannot take penicillin is told first what to take instead ("no
    # systemic features" denies nothing that follows it).
    allergic = bundled_default_model.ask(
        "49F cellulitis R forearm, no systemic features, PCN allergic. Oral abx + duration?",
        fresh=True,
    )
    assert "clarithromycin" in allergic.bottom_line[0].text, allergic.bottom_line


def test_a_ruled_out_condition_is_no_gap(bundled: Service) -> None:
    question = (
        "Mum is 86 and on apixaban for AF. She tripped in the garden last week (no head injury, "
        "no bruising). Should she come off the apixaban?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert not any("head injury" in gap for gap in answer.gaps), answer.gaps


def test_a_dose_asked_stays_over_a_circumstance_named(bundled_default_model: Service) -> None:
    question = (
        "72M tophaceous gout, flaring right now, eGFR 38. Begin allopurinol during the flare? "
        "What starting dose, and prophylaxis?"
    )
    answer = bundled_default_model.ask(question, fresh=True)
    assert "100 mg a day or less" in answer.bottom_line[0].text, answer.bottom_line


def test_story_drugs_beside_a_medicine_the_asked_sentence_names_are_context(
    bundled: Service,
) -> None:
    question = (
        "Grandad is 83 and takes warfarin for his heart, bisoprolol, ramipril, simvastatin 40 "
        "and a water tablet. His legs have ached for weeks. Could it be the simvastatin and can "
        "he stop it?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal


def test_one_of_a_combined_pill_taken_with_the_medicine_is_said_not_refused(
    bundled: Service,
) -> None:
    question = (
        "I swallow my levothyroxine at breakfast with my calcium + vitamin D tablet. Is that why "
        "my thyroid results keep changing?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert any("vitamin D" in gap for gap in answer.gaps), answer.gaps


def test_no_better_on_a_started_antibiotic_is_led_by_when_to_be_checked_again(
    bundled_default_model: Service,
) -> None:
    question = (
        "My 20 month old started amoxicillin for an ear infection 3 days ago and still has fevers "
        "and is pulling at her ear. Should it be working by now?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert "not better after 2 to 3 days on antibiotics" in answer.bottom_line[0].text, (
        answer.bottom_line
    )


def test_an_emergency_flag_card_outranks_cards_found_only_through_medicines(
    bundled: Service,
) -> None:
    question = (
        "been in agony since lifting the mattress, and now i'm numb between my legs and wet "
        "myself earlier. can i double up on ibuprofen and naproxen?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.urgent is not None
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("acute-low-back-pain",), answer.question_frame


def test_what_helps_a_whole_condition_is_led_by_its_core_treatment(
    bundled_default_model: Service,
) -> None:
    question = "Both my knees click and ache on the stairs now I'm 60. What helps?"
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("knee-osteoarthritis",)
    assert "Exercise" in answer.bottom_line[0].text, answer.bottom_line


def test_aches_on_a_statin_already_taken_are_not_led_by_advice_before_starting(
    bundled_default_model: Service,
) -> None:
    question = (
        "Been on atorvastatin for three months and both my legs ache when I walk. Is this from "
        "the statin?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    lead = answer.bottom_line[0].text
    assert "ache" in lead and "Before you start" not in lead, answer.bottom_line


def test_can_he_play_this_weekend_after_a_concussion_is_led_by_going_back_to_sport(
    bundled_default_model: Service,
) -> None:
    question = (
        "My 14 year old took a knock to the head at hockey on Tuesday and had a headache for two "
        "days. He feels fine now. Can he play on Sunday? Does he need a CT?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert "sport" in answer.bottom_line[0].text, answer.bottom_line


def test_a_line_for_younger_children_does_not_lead_for_an_older_child(
    bundled_default_model: Service,
) -> None:
    question = (
        "Our 4 year old has an ear infection in her left ear and the doctor says wait two days "
        "before antibiotics. Shouldn't she start them now?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert "2 years" not in answer.bottom_line[0].text, answer.bottom_line


def test_whether_evidence_backs_treatments_the_story_names_is_refused_by_their_names(
    bundled: Service,
) -> None:
    question = (
        "Patient with lumbar disc degeneration wants intradiscal stem cell / PRP injections at a "
        "private clinic. Any evidence?"
    )
    answer = bundled.ask(question)
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "stem cell" in answer.refusal.message and "PRP" in answer.refusal.message


def test_a_thyroid_result_on_levothyroxine_shorthand_is_a_thyroid_question(
    bundled: Service,
) -> None:
    answer = bundled.ask("72M, hx AF, TSH 0.05 on levo 125mcg. Cut the dose?")
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "hypothyroidism", answer.question_frame


def test_under_a_heart_attack_banner_reflux_is_led_by_checking_the_heart_first(
    bundled_default_model: Service,
) -> None:
    question = (
        "I'm 61 and this heartburn has gone on 45 minutes, Gaviscon isn't helping, I'm clammy "
        "and my left arm aches. Should I take an omeprazole?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert answer.urgent is not None
    assert "heart" in answer.bottom_line[0].text, answer.bottom_line


def test_a_line_for_people_without_symptoms_does_not_lead_for_someone_with_them(
    bundled_default_model: Service,
) -> None:
    question = (
        "It stings when I wee and I'm going all the time, the third time this year. Do I need a "
        "urine test or can I just have antibiotics?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert "no symptoms" not in answer.bottom_line[0].text, answer.bottom_line


def test_a_child_pulling_at_an_ear_with_a_fever_is_an_ear_infection_question(
    bundled: Service,
) -> None:
    question = (
        "My grandson is 2, he's been tugging at his ear all night and he's hot, 38.4. He's "
        "still drinking. Does he need antibiotics?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("acute-otitis-media",)


def test_ears_ringing_after_a_concert_is_refused_as_a_condition_not_covered(
    bundled: Service,
) -> None:
    answer = bundled.ask("My ears are ringing since the gig last night. Will it stop?")
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "ringing" in answer.refusal.message


def test_a_condition_named_in_the_singular_that_no_card_covers_is_refused(
    bundled: Service,
) -> None:
    answer = bundled.ask("How long does a 4mm kidney stone take to pass?")
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "kidney stone" in answer.refusal.message


def test_two_questions_in_one_sentence_are_answered_first_one_first(
    bundled_default_model: Service,
) -> None:
    question = (
        "my 13 yo daughter got concussed at netball on friday, still has headaches. how long "
        "till she can play again and should she go to school tomorrow?"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    lead = answer.bottom_line[0].text.lower()
    assert "school" not in lead and ("sport" in lead or "games" in lead), answer.bottom_line


def test_starting_urate_lowering_in_a_flare_is_led_by_when_to_start(
    bundled_default_model: Service,
) -> None:
    question = (
        "Gout flare in his knee right now, 3 flares this year. Can I start allopurinol now while "
        "it's flaring or should I wait a few weeks?"
    )
    answer = bundled_default_model.ask(question, fresh=True)
    assert "flare" in answer.bottom_line[0].text and "weeks" in answer.bottom_line[0].text, (
        answer.bottom_line
    )


def test_a_wish_to_stop_a_medicine_is_answered_by_the_line_on_stopping_that_medicine(
    bundled: Service,
) -> None:
    # Not by the line on another medicine's course ("a bisphosphonate holiday after 3 to 5
    # years"), however near the years told.
    answer = bundled.ask(
        "On denosumab for 6 years, T-score now -2.1 and she would like to stop it. How?"
    )
    assert "denosumab" in answer.bottom_line[0].text
    # …and a clinician's terse "stop ICS?" after pneumonias: the line on stepping it down.
    answer = bundled.ask("COPD on ICS/LABA/LAMA, two pneumonias this year, eos 0.05. Stop ICS?")
    assert "pneumonia" in answer.bottom_line[0].text


def test_a_common_condition_no_card_covers_is_refused_by_name(bundled: Service) -> None:
    answer = bundled.ask("Threadworms in my 6 year old, does the whole house need treating?")
    assert answer.refusal is not None
    assert "threadworms" in answer.refusal.message


def test_a_statin_question_telling_a_normal_thyroid_test_is_about_the_statin(
    bundled: Service,
) -> None:
    answer = bundled.ask("Post-MI, muscle aches on simvastatin and pravastatin, TSH nl. Next?")
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "hyperlipidaemia"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (
            "Burning rash in a band on my side since yesterday, pharmacist thinks shingles. "
            "Too late for antiviral tablets?",
            "shingles",
        ),
        # (not answered from the COPD card, which shares the cough and the steroid)
        ("stage II pulm sarcoid, mild cough, PFTs nl. start prednisone or observe?", "sarcoid"),
    ],
)
def test_a_condition_no_card_covers_is_named_before_its_treatment(
    bundled: Service, question: str, named: str
) -> None:
    answer = bundled.ask(question)
    assert answer.refusal is not None
    assert named in answer.refusal.message


def test_a_reader_on_levothyroxine_is_not_told_the_dose_to_start_it_at(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "81M on levothyroxine 100 mcg, TSH 0.06, free T4 high-normal, no symptoms. Cut the dose?"
    )
    assert "starting levothyroxine" not in answer.bottom_line[0].text, answer.bottom_line


def test_a_refusal_names_a_medicine_without_the_dose_told(
    bundled_default_model: Service,
) -> None:
    # (The simvastatin card line on clarithromycin now answers that pair; amlodipine with it
    # is on no card.)
    answer = bundled_default_model.ask(
        "taking amlodipine 10mg every morning and the doctor just gave me clarithromycin for a "
        "chest infection. is it safe to take them together?"
    )
    assert answer.refusal is not None
    assert "'amlodipine'" in answer.refusal.message


def test_a_blow_to_the_head_told_in_other_words_is_answered_from_concussion(
    bundled: Service,
) -> None:
    # Not from migraine, whose card the headache alone would name.
    answer = bundled.ask(
        "my daughter is 14 and took a hockey stick to the head on saturday, just a headache. "
        "they said no school for a week and she has mocks. is that really necessary?",
        fresh=True,
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("concussion",)
    assert "school" in answer.bottom_line[0].text


def test_whether_a_medicine_works_is_answered_though_the_effect_told_is_not_covered(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "GP gave me pregabalin for my sciatica but it makes me dizzy and foggy. "
        "Does it even work for sciatica?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "pregabalin" in answer.bottom_line[0].text.lower()


def test_knocking_a_pain_out_is_no_concussion(bundled: Service) -> None:
    answer = bundled.ask(
        "my husband hurt his back moving the couch yesterday, can he take ibuprofen to knock it "
        "out?",
        audience=Audience.PATIENT,
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("acute-low-back-pain",)


def test_a_harm_read_about_is_the_story_and_skipping_the_medicine_is_the_question(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "My mom 74 has been on prolia shots 4 years, read about jaw bone dying and wants to just "
        "skip the next one. is that ok",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "denosumab" in answer.bottom_line[0].text, answer.bottom_line


def test_a_teenager_is_not_answered_by_the_line_for_children_5_to_11(bundled: Service) -> None:
    answer = bundled.ask(
        "my 15 yo son uses his ventolin 4 or 5 times a week and wakes up coughing at night. "
        "the dr only gave him the blue one. should he be on something more",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "5 to 11" not in answer.bottom_line[0].text, answer.bottom_line


def test_is_that_ok_after_the_pills_she_takes_is_answered_by_their_risks(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my grandma is 83 with bad arthritis in both knees. she takes advil 3 or 4 times a day "
        "and is also on eliquis. is that ok?? what else can she take for the pain",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "ibuprofen" in answer.bottom_line[0].text, answer.bottom_line


def test_a_coach_saying_he_can_play_is_answered_by_the_steps_back_to_sport(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my son 14 got a knock to the head at rugby on saturday, felt foggy, seems fine now. "
        "coach says he can play next weekend in the cup final as long as hes ok. is that alright?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "sport" in answer.bottom_line[0].text, answer.bottom_line


def test_a_care_home_dipstick_is_asymptomatic_bacteriuria_not_a_refusal(bundled: Service) -> None:
    answer = bundled.ask(
        "82F care home, baseline dementia. staff dipped urine: nitrite+ leuc+. no dysuria/freq, "
        "afebrile, obs normal, 'a bit more muddled'. treat?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("urinary-tract-infection",)
    assert "antibiotics" in answer.bottom_line[0].text, answer.bottom_line
    assert "dipped" not in answer.title


def test_asking_for_decent_evidence_asks_about_what_the_story_names(bundled: Service) -> None:
    answer = bundled.ask(
        "pt w/ multilevel DDD asking about intradiscal stem cell injections at a private clinic. "
        "is there any decent evidence or should i steer him away",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is not None
    assert "stem cell" in answer.refusal.message


def test_a_harm_someone_keeps_reading_about_is_no_treatment_asked(bundled: Service) -> None:
    answer = bundled.ask(
        "been on fosamax for 5 yrs now. i keep reading about jaw bone dying and thigh bones just "
        "snapping. can i stop?? do i have to take it forever",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal


def test_hives_with_penicillin_in_notes_leads_with_the_alternative(bundled: Service) -> None:
    answer = bundled.ask(
        "nonpurulent LLE cellulitis, afebrile, no systemic sx, hx hives w/ penicillin as a kid. "
        "oral abx choice and duration?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert "clarithromycin" in answer.bottom_line[0].text, answer.bottom_line


def test_trying_diet_and_exercise_first_is_answered_by_healthy_habits(bundled: Service) -> None:
    answer = bundled.ask(
        "home bp readings average 142/88 over a week, im 51, no other health probs. doc wants "
        "to start me on amlodipine straight away. can i try diet and exercise first?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "habits" in answer.bottom_line[0].text, answer.bottom_line


def test_switch_to_what_and_target_leads_with_the_medicine(bundled: Service) -> None:
    answer = bundled.ask(
        "32F G1 at 10 wks, chronic HTN on lisinopril 20, BP 146/94. switch to what, and BP target?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert "labetalol" in answer.bottom_line[0].text, answer.bottom_line


def test_a_harm_told_beside_asking_for_a_better_pill_is_answered(bundled: Service) -> None:
    answer = bundled.ask(
        "pain shooting down the back of my leg to my foot for 3 weeks. GP put me on gabapentin, "
        "it makes me dopey and honestly doesnt help the pain at all. is there a better pill",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("sciatica-lumbar-radiculopathy",)
    assert "gabapentin" in answer.bottom_line[0].text, answer.bottom_line


def test_metformin_at_an_egfr_below_30_is_answered_by_stopping_it(bundled: Service) -> None:
    answer = bundled.ask(
        "my mom is 84 with type 2 diabetes and her eGFR is 27. shes been on metformin 1000 "
        "twice a day for 10 years. should she just stop it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "below 30" in answer.bottom_line[0].text, answer.bottom_line


def test_penicillin_anaphylaxis_in_a_man_leads_with_the_alternative(bundled: Service) -> None:
    # (the line also names erythromycin "in pregnancy": an aside, not a line for women)
    answer = bundled.ask(
        "54M, lower leg cellulitis, afebrile, no purulence, no MRSA RFs. Hx anaphylaxis to "
        "penicillin (ICU 2015). PO abx choice & duration?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert "clarithromycin" in answer.bottom_line[0].text, answer.bottom_line


def test_an_outpatient_pneumonia_regimen_is_not_the_severe_one(bundled: Service) -> None:
    answer = bundled.ask(
        "68F CAP, CURB-65 1 (age only), sats 95% RA, no comorbs, no abx in last 3/12, for outpt "
        "mx. Regimen + duration?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert "severe" not in answer.bottom_line[0].text, answer.bottom_line


def test_refer_now_or_wait_is_answered_by_when_surgery_is_due(bundled: Service) -> None:
    answer = bundled.ask(
        "36M L5/S1 disc herniation on MRI, S1 radic x5 wks, slowly improving, power normal, no "
        "CES sx. Refer for surgical opinion now or wait?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert "6 to 8 weeks" in answer.bottom_line[0].text, answer.bottom_line


def test_no_dm_is_not_answered_by_the_line_for_people_with_diabetes(bundled: Service) -> None:
    answer = bundled.ask(
        "58M Black African, ABPM daytime avg 152/94, no DM, eGFR normal. First-line agent?",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal
    assert not answer.bottom_line[0].text.startswith("For adults with type 2 diabetes")
    assert "calcium" in answer.bottom_line[0].text, answer.bottom_line


def test_an_age_told_before_asking_is_not_a_second_question(bundled: Service) -> None:
    answer = bundled.ask(
        "My MRI says I have degenerative disc disease at L4/5. A private clinic offers stem cell "
        "injections into the discs and says it regrows the disc. I'm 66, is it worth it? would "
        "the NHS pay for it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is not None
    assert "stem cell" in answer.refusal.message


def test_medicines_the_story_adds_with_also_do_not_refuse_the_question(bundled: Service) -> None:
    answer = bundled.ask(
        "76M acute 1st MTP gout flare, eGFR 28, also atorvastatin + ramipril. Pt wants to stop "
        "allopurinol. ?stop ?naproxen vs colchicine vs pred",
        audience=Audience.CLINICIAN,
    )
    assert answer.refusal is None, answer.refusal


def test_a_care_home_gran_with_no_pain_weeing_is_answered_by_not_treating(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my gran (86) is in a care home and got more confused yesterday. staff dipped her urine "
        "and said its positive so shes getting antibiotics. she hasnt said anything about pain "
        "weeing. is that right?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert "care homes" in answer.bottom_line[0].text, answer.bottom_line


def test_a_rash_that_does_not_fade_after_a_negated_clause_raises_the_banner(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my 9 month old is on amoxicillin for an ear infection, today shes really floppy, not "
        "bothered with her bottle and theres a rash that doesnt go when i press a glass on it. "
        "can i give calpol?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert "meningitis_sepsis" in answer.urgent.red_flags


def test_asking_whether_a_medicine_is_needed_beside_a_harm_is_answered(bundled: Service) -> None:
    answer = bundled.ask(
        "got sciatica down my left leg 3 weeks now, gp put me on pregablin but it makes me feel "
        "drunk and dozy. do i actually need it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal


def test_a_type_2_diabetic_names_the_diabetes_card(bundled: Service) -> None:
    answer = bundled.ask(
        "type 2 diabetic on metformin 1g twice a day. my kidney test just came back eGFR 38. "
        "should i stop it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("type-2-diabetes",)


def test_a_near_tie_between_acute_and_chronic_cards_goes_to_acute_when_no_duration_is_told(
    bundled: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside.service import asking

    pipeline = asking._Pipeline(
        bundled, audience=Audience.PATIENT, previous=None, settings=bundled.settings.answer
    )
    titles = {"acute": "Acute low back pain", "chronic": "Chronic low back pain"}
    near = {"acute": 0.69, "chronic": 0.70}
    monkeypatch.setattr(pipeline, "_card_similarity", lambda card: near[card])
    assert pipeline._nearest_of_the_cards_sharing_a_name(["chronic", "acute"], titles, None) == (
        "acute"
    )
    # …a clear lead, or a duration told, decides otherwise.
    assert pipeline._nearest_of_the_cards_sharing_a_name(
        ["chronic", "acute"], titles, "chronic"
    ) == ("chronic")
    near["acute"] = 0.60
    assert pipeline._nearest_of_the_cards_sharing_a_name(["chronic", "acute"], titles, None) == (
        "chronic"
    )
