"""Articles answer the question asked: on the asked condition, for the asked population and
drug, refusing what the knowledge base does not hold, the same on every fresh home."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bedside.compose.article import all_statements
from bedside.config import load_settings
from bedside.domain import Answer, Ask, Audience, RefusalReason
from bedside.service import Service, bundled_cards_path


def cards_cited(service: Service, answer: Answer) -> set[str]:
    cards = set()
    for statement in all_statements(answer):
        for passage_id in statement.passage_ids:
            passage = service.store.get_passage(passage_id)
            document = service.store.get_document(passage.document_id)
            cards.add(str(document.card_id))
    return cards


def texts(answer: Answer) -> list[str]:
    return [statement.text for statement in all_statements(answer)]


def test_a_simple_question_stays_on_its_condition(bundled: Service) -> None:
    answer = bundled.ask("How is gout managed?")
    assert answer.kind == "answer"
    assert cards_cited(bundled, answer) == {"gout"}
    assert "gout" in answer.title.lower()
    assert any("gout" in s.text.lower() for s in answer.bottom_line)


@pytest.mark.parametrize("audience", [Audience.CLINICIAN, Audience.PATIENT])
def test_the_seed_question_leads_with_first_line_care_not_surgery(
    bundled_default_model: Service, audience: Audience
) -> None:
    answer = bundled_default_model.ask(
        "What are the treatment options for disc space loss in the lumbar spine?",
        audience=audience,
        fresh=True,
    )
    lead = " ".join(s.text for s in answer.bottom_line).lower()
    assert "exercise" in lead or "non-drug" in lead
    assert "fusion" not in lead and "join" not in lead


def test_a_named_condition_keeps_other_cards_out_of_the_seed_article(bundled: Service) -> None:
    answer = bundled.ask("What are the treatment options for disc space loss in the lumbar spine?")
    assert cards_cited(bundled, answer) == {"degenerative-disc-disease"}
    assert len(all_statements(answer)) <= 15
    assert len(answer.sections) <= 5 and all(len(s.statements) <= 4 for s in answer.sections)


def test_the_older_adult_dose_leads_and_the_general_dose_is_not_beside_it(
    bundled: Service,
) -> None:
    answer = bundled.ask("Starting dose of levothyroxine in an 80-year-old with angina?")
    assert answer.kind == "answer"
    assert answer.question_frame is not None
    assert answer.question_frame.populations == ("older_adult", "cardiovascular_disease")
    bottom = " ".join(s.text for s in answer.bottom_line)
    assert "25 to 50 micrograms" in bottom
    assert "1.6 micrograms" not in bottom
    assert answer.gaps == ()


def test_a_follow_up_inherits_the_drug_condition_and_ask(bundled: Service) -> None:
    first = bundled.ask("What dose of levothyroxine should an adult with hypothyroidism start on?")
    follow_up = bundled.ask("And what if she is over 75 with angina?", follow_up_of=first.answer_id)
    assert follow_up.kind == "answer"
    assert follow_up.question_frame is not None
    assert follow_up.question_frame.interventions == ("levothyroxine",)
    assert "older_adult" in follow_up.question_frame.populations
    assert "25 to 50 micrograms" in " ".join(s.text for s in follow_up.bottom_line)


def test_an_intervention_no_source_mentions_is_refused_by_name(bundled: Service) -> None:
    answer = bundled.ask("Do stem cell injections help knee osteoarthritis?")
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "stem cell" in answer.refusal.message
    assert "knee osteoarthritis" in answer.refusal.message  # what Bedside does cover


def test_a_population_the_sources_miss_gets_a_caveat_first(bundled: Service) -> None:
    answer = bundled.ask("Does gout come back after pregnancy?")
    assert answer.kind == "answer"
    assert answer.gaps and "pregnancy" in answer.gaps[0]
    patient = bundled.ask("Does gout come back after pregnancy?", audience=Audience.PATIENT)
    assert patient.gaps and "pregnancy" in patient.gaps[0]


def test_treatment_for_a_population_the_sources_miss_is_refused_not_given_for_adults(
    bundled: Service,
) -> None:
    # Adult medicines under a caveat are no answer for pregnancy or a child, for either reader.
    answer = bundled.ask("How should gout be treated in pregnancy?")
    assert answer.refusal is not None
    assert "treatment in pregnancy" in answer.refusal.message
    assert "gout" in answer.refusal.message  # what Bedside does cover
    child = bundled.ask("4-year-old with non-severe pneumonia: first-line antibiotic?")
    assert child.refusal is not None and "in children" in child.refusal.message
    # …but a children's card answers a child's treatment question.
    ears = bundled.ask("Which antibiotic for acute otitis media in a 3-year-old?")
    assert ears.refusal is None


def test_advice_for_other_ages_never_leads_and_is_said_to_be_for_other_ages(
    bundled: Service,
) -> None:
    # A 70-year-old is an older adult, but "aged 80 and over" is not about them.
    answer = bundled.ask("Target blood pressure for a 70-year-old with hypertension?")
    assert answer.question_frame is not None and answer.question_frame.age_years == 70.0
    assert not any("80 and over" in s.text for s in answer.bottom_line)
    # Every line of a children's guideline that gives an age starts at 6 months.
    infant = bundled.ask("Acute otitis media in a 4-month-old: antibiotics or watch?")
    assert any("4-month-old" in gap for gap in infant.gaps)


def test_a_brand_whose_generic_a_card_names_is_answered_from_that_card(bundled: Service) -> None:
    # "Synthroid" is levothyroxine, which the hypothyroidism card speaks of.
    answer = bundled.ask("took my synthroid late today after coffee, is that ok", fresh=True)
    assert answer.refusal is None
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("hypothyroidism",)


def test_a_man_or_a_woman_gets_no_caveat_for_advice_meant_for_everyone(bundled: Service) -> None:
    # Advice for all adults is advice for him: no "the sources do not address men".
    answer = bundled.ask("How is gout managed in a 50-year-old man?")
    assert answer.question_frame is not None and "male" in answer.question_frame.populations
    assert answer.kind == "answer" and answer.gaps == ()
    # …but a regimen meant for women is never shown to him.
    cystitis = bundled.ask("Which antibiotic for cystitis in a man?")
    statements = [s.text for s in cystitis.bottom_line] + [
        s.text for section in cystitis.sections for s in section.statements
    ]
    assert not any(" in women" in text and " men" not in text for text in statements)


def test_a_condition_with_no_card_is_refused_alone_and_a_caveat_beside_a_card(
    bundled: Service,
) -> None:
    alone = bundled.ask("Does acupuncture help tinnitus?")
    assert alone.refusal is not None and "tinnitus" in alone.refusal.message
    beside = bundled.ask("Which antibiotic for pneumonia with a collapsed lung?")
    assert beside.refusal is None
    assert beside.gaps and "collapsed lung" in beside.gaps[0]
    # An activity no source speaks of is refused by name: an article on pneumonia's treatment
    # would answer another question.
    flying = bundled.ask("Is it safe to fly after pneumonia?")
    assert flying.refusal is not None and "'flying'" in flying.refusal.message
    # A treatment the card never mentions is refused by name, not answered with a definition.
    valves = bundled.ask("Would endobronchial valves help my COPD?")
    assert valves.refusal is not None and "endobronchial valves" in valves.refusal.message
    # A condition the card speaks of, though not its title, raises no caveat.
    covered = bundled.ask("Which anticoagulant prevents stroke in atrial fibrillation?")
    assert not any("stroke" in gap for gap in covered.gaps)


def test_non_pregnant_is_not_pregnancy(bundled: Service) -> None:
    answer = bundled.ask("How is high blood pressure treated in a non-pregnant adult?")
    assert answer.question_frame is not None
    assert "pregnancy" not in answer.question_frame.populations
    assert answer.gaps == ()


def test_related_questions_never_show_another_readers_unreviewed_question(
    bundled: Service,
) -> None:
    private = "How is gout managed for John Testperson born 1970-01-01?"
    bundled.ask(private)
    later = bundled.ask("What helps gout flares?")
    assert not any("Testperson" in question for question in later.related_questions)


def test_the_same_question_gives_the_same_article_on_two_fresh_homes(tmp_path: Path) -> None:
    question = "What are the treatment options for disc space loss in the lumbar spine?"
    articles = []
    for name in ("one", "two"):
        settings = load_settings(overrides={"home": tmp_path / name})
        with Service(settings) as service:
            service.ingest([str(bundled_cards_path())])
            service.index()
            answer = service.ask(question)
        articles.append((answer.title, texts(answer), [r.title for r in answer.references]))
    assert articles[0] == articles[1]


def test_full_shows_every_relevant_statement_and_is_stored_apart(bundled: Service) -> None:
    question = "What are the treatment options for disc space loss in the lumbar spine?"
    concise = bundled.ask(question)
    full = bundled.ask(question, full=True)
    assert full.answer_id != concise.answer_id
    assert len(all_statements(full)) > len(all_statements(concise))
    assert full.settings_fingerprint != concise.settings_fingerprint
    assert full.provenance["concise"] is False and concise.provenance["concise"] is True
    assert bundled.ask(question, full=True).answer_id == full.answer_id  # stored, reused


def test_a_patient_asking_for_an_older_relative_gets_the_older_adult_dose(
    bundled: Service,
) -> None:
    question = "My gran is 83 and has an underactive thyroid. Will they start her on a full dose?"
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.kind == "answer"
    shown = " ".join(s.text for s in all_statements(answer))
    assert "25 to 50 micrograms" in shown
    assert "1.6 micrograms" not in " ".join(s.text for s in answer.bottom_line)
    assert answer.gaps == ()


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("Would a copper bracelet ease my gout?", "copper bracelet"),
        ("Should I rub coconut oil on my cellulitis?", "coconut oil"),
        ("What is the best treatment for lumbar spinal stenosis?", "spinal stenosis"),
        ("Ivabradine for heart failure with reduced ejection fraction", "ivabradine"),
        # A telegraphic question whose opening words are asked to work names the thing.
        ("Cherries for gout: do they work?", "cherries"),
        # The person before the verb ("before I can drive"), and a clause after the thing.
        ("How long after a concussion before I can fly?", "flying"),
        # (Ibuprofen is no longer such a thing: the heart failure card names it.)
        ("Can I take fexofenadine if I have asthma?", "fexofenadine"),
        ("My son has had an ear infection for a week. Does he need a hearing aid?", "hearing aid"),
        ("Knee osteoarthritis: is ozone injection indicated?", "ozone"),
        # A form alone ("water") is the thing asked about; "a day" is not.
        ("how much water should I drink a day with heart failure", "water"),
    ],
)
def test_what_the_knowledge_base_does_not_hold_is_refused_by_name(
    bundled: Service, question: str, named: str
) -> None:
    answer = bundled.ask(question)
    assert answer.refusal is not None, answer.title
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert f"'{named}'" in answer.refusal.message


def test_a_remedy_the_card_covers_is_answered_not_refused(bundled: Service) -> None:
    answer = bundled.ask("Does cranberry juice cure a water infection?")
    assert answer.kind == "answer"
    assert any("cranberry" in s.text.lower() for s in all_statements(answer))


def test_a_drug_the_sources_name_by_its_class_is_not_a_thing_they_lack(bundled: Service) -> None:
    # Aspirin goes by "antiplatelet" in the sources' words, which once left "aspirin enough
    # to" as the missing thing; the AF card says aspirin is no swap for a blood thinner.
    answer = bundled.ask(
        "is aspirin enough to prevent a stroke if I have an irregular heartbeat",
        audience=Audience.PATIENT,
    )
    assert answer.kind == "answer", answer.refusal
    assert "aspirin" in answer.bottom_line[0].text.lower()


def test_a_phrasal_verb_is_not_a_thing_the_knowledge_base_lacks(bundled: Service) -> None:
    # "get over" once made "over sciatica without an operation" the unknown thing asked about.
    assert bundled.ask("Can I get over sciatica without an operation?").kind == "answer"


def test_a_measurement_in_the_story_is_not_a_topic_the_evidence_must_cover(
    bundled: Service,
) -> None:
    # No card names BMI or troponin; the question is about urate-lowering drugs and anticoagulation.
    gout = bundled.ask("Gout in a man with BMI 34 and eGFR 50: which urate-lowering drug?")
    assert gout.kind == "answer"
    af = bundled.ask("AF with a heart rate of 130 and troponin normal: anticoagulate?")
    assert af.kind == "answer"


def test_a_drug_the_person_is_on_is_a_caveat_not_a_refusal(bundled: Service) -> None:
    answer = bundled.ask("Does a 70 year old on warfarin need a head CT after a concussion?")
    assert answer.kind == "answer"
    # The card speaks of anticoagulants (warfarin's class) and of bleeding disorders after a
    # head injury: no caveat, and a line on them is in the article.
    assert not any("warfarin" in gap for gap in answer.gaps)
    shown = " ".join(s.text for s in all_statements(answer))
    assert "anticoagulant" in shown or "bleeding or clotting disorder" in shown
    statin = bundled.ask("Does a man on a statin need a head CT after a concussion?")
    assert statin.kind == "answer"
    assert any("statin" in gap for gap in statin.gaps)
    # (Warfarin itself is now named by its class on the card, as a reason for referral.)
    asked = bundled.ask("Is metformin a treatment for concussion?")
    assert asked.refusal is not None and "'metformin'" in asked.refusal.message


def test_a_second_condition_no_statement_speaks_of_is_said_first(bundled: Service) -> None:
    # The gout card answers the flare; nothing in the article speaks of the thyroid, so the
    # reader is told so before the advice. (High blood pressure no longer serves: the
    # hypertension card's line on NSAIDs with ACE inhibitors speaks to it.)
    answer = bundled.ask(
        "can i take naproxen for a gout flare if i have an underactive thyroid",
        audience=Audience.PATIENT,
    )
    assert answer.kind == "answer"
    assert any("underactive thyroid" in gap for gap in answer.gaps)
    plain = bundled.ask("can i take naproxen for a gout flare", audience=Audience.PATIENT)
    assert not any("thyroid" in gap for gap in plain.gaps)


def test_an_answer_composed_under_other_rules_is_composed_anew(bundled: Service) -> None:
    first = bundled.ask("How is gout managed?")
    record = bundled.store.get_answer(first.answer_id)
    assert record["provenance"]["composer"].startswith("extractive/")
    assert bundled.ask("How is gout managed?").answer_id == first.answer_id  # reused
    with bundled.store.transaction():
        bundled.store.conn.execute(  # type: ignore[attr-defined]
            "UPDATE answers SET record = json_set(record, '$.provenance.composer', 'old')"
            " WHERE answer_id = ?",
            (first.answer_id,),
        )
    assert bundled.ask("How is gout managed?").answer_id != first.answer_id


def test_an_ask_nothing_answers_is_said_first(bundled: Service) -> None:
    answer = bundled.ask("What dose of paracetamol should I give for acute low back pain?")
    assert answer.kind == "answer"
    assert answer.gaps and "dose" in answer.gaps[0]
    dosed = bundled.ask("Starting dose of levothyroxine for an adult with hypothyroidism?")
    assert not any("dose" in gap for gap in dosed.gaps)


def test_a_brand_name_is_a_medical_question_refused_by_its_names(bundled: Service) -> None:
    answer = bundled.ask("side effects of Robaxin", audience=Audience.PATIENT)
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "Robaxin (methocarbamol)" in answer.refusal.message
    assert "COPD" not in answer.refusal.message  # no condition was asked about
    assert answer.question_frame is not None
    assert answer.question_frame.drugs[0].generic == "methocarbamol"


def test_a_drug_question_naming_no_condition_is_not_answered_from_a_condition_card(
    bundled: Service,
) -> None:
    # Paracetamol is in the migraine and back-pain cards, but the question is about the drug
    # for a toddler: a migraine article would answer another question.
    answer = bundled.ask("Is Tylenol safe for my 2 year old?", audience=Audience.PATIENT)
    assert answer.refusal is not None
    assert "Tylenol (acetaminophen)" in answer.refusal.message


def test_a_condition_with_a_card_is_answered_from_the_card_not_other_guidelines(
    bundled: Service, tmp_path: Path
) -> None:
    # Another guideline on the same condition (a distractor on the whole knowledge base): its
    # aims and its recommendations must not displace the reviewed card's statements.
    other = {
        "id": "other-lbp",
        "title": "Workplace guideline on low back pain",
        "kind": "guideline",
        "source": "Imaginary Workers' Board",
        "year": 2014,
        "text": (
            "To provide healthcare providers with a framework to manage chronic low back pain. "
            "Chronic low back pain should be treated with a structured work-hardening programme "
            "and exercise in every worker."
        ),
    }
    path = tmp_path / "other.jsonl"
    path.write_text(json.dumps(other) + "\n", encoding="utf-8")
    bundled.ingest([str(path)])
    bundled.index()
    answer = bundled.ask("How is chronic low back pain treated?", fresh=True)
    assert answer.refusal is None
    assert cards_cited(bundled, answer) <= {"chronic-low-back-pain"}


def test_a_story_with_a_red_flag_gets_the_banner_then_urgent_advice_first(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "Sciatica for a month and now my foot drags when I walk and I keep tripping. Help?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert "progressive_motor_deficit" in answer.urgent.red_flags
    assert answer.refusal is None
    lead = answer.bottom_line[0].text.lower()
    assert any(words in lead for words in ("straight away", "urgent", "at once")), lead


def test_how_long_it_lasts_is_answered_with_a_time_or_said_to_be_missing(bundled: Service) -> None:
    # A rate ("2 or more attacks a year") or a drug course elsewhere is not how long it lasts.
    answer = bundled.ask("how long does a gout flare last", audience=Audience.PATIENT)
    assert answer.refusal is None
    assert any("how long it lasts" in gap for gap in answer.gaps)


def test_a_term_the_sources_spell_another_way_is_not_a_thing_they_lack(bundled: Service) -> None:
    # The diabetes card writes A1C; "HbA1c" once made the question a refusal naming 'hba1c'.
    answer = bundled.ask(
        "my blood sugar is high, what is a normal hba1c", audience=Audience.PATIENT
    )
    assert answer.kind == "answer", answer.refusal
    assert any("a1c" in s.text.lower() for s in all_statements(answer))


def test_a_class_named_outright_answers_a_question_on_that_class(bundled: Service) -> None:
    # "Opioids" is a class word; the line that names it answers "role of opioids?", and no
    # first-line line on exercise takes its place.
    answer = bundled.ask("Role of opioids in chronic low back pain")
    assert "opioid" in answer.bottom_line[0].text.lower()


def test_a_drug_only_one_card_names_leads_to_that_card(bundled_default_model: Service) -> None:
    # No condition is named and a heart card is nearer in meaning, but only the gout card
    # names febuxostat: it answers (saying first what it lacks), rather than a refusal.
    service = bundled_default_model
    question = "Is febuxostat safe in patients with cardiovascular disease?"
    answer = service.ask(question, fresh=True)
    assert answer.kind == "answer", answer.refusal
    assert cards_cited(service, answer) == {"gout"}


def test_a_question_in_words_no_clinical_list_holds_is_clinical_when_near_a_card(
    bundled_default_model: Service,
) -> None:
    # "Left atrial appendage occlusion" is on no clinical term list; the AF card speaks of it.
    service = bundled_default_model
    answer = service.ask("Left atrial appendage occlusion: when is it reasonable?", fresh=True)
    assert answer.kind == "answer", answer.refusal
    assert "appendage" in answer.bottom_line[0].text.lower()
    assert service.ask("What is the capital of France?", fresh=True).refusal is not None


def test_a_defibrillator_the_heart_failure_card_never_names_is_refused_by_name(
    bundled: Service,
) -> None:
    # Salt, once refused here, is answered since the card gained its sodium lines (sodium is
    # what sources call salt).
    salt = bundled.ask("does my heart failure mean i have to cut down on salt", fresh=True)
    assert salt.kind == "answer", salt.refusal
    assert any("sodium" in s.text.lower() for s in all_statements(salt))
    icd = bundled.ask("Which patients with HFrEF benefit from an ICD?", fresh=True)
    assert icd.refusal is not None and "'ICD'" in icd.refusal.message  # as the reader wrote it
    # The blood-pressure card speaks of salt: that question is answered.
    assert bundled.ask("should i eat less salt for my blood pressure", fresh=True).kind == "answer"


def test_the_composer_digest_changes_with_the_code_that_ranks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stored answer is reused only under the same composer; a change to the ranking code must
    # change it, as a change to the rules files does.
    from bedside.service import asking

    before = asking._rules_digest.__wrapped__()
    real_files = asking.resources.files
    copy = tmp_path / "compose"
    shutil.copytree(str(real_files("bedside.compose")), copy)
    ranking = copy / "ranking.py"
    ranking.write_text(ranking.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(
        asking.resources,
        "files",
        lambda package: copy if package == "bedside.compose" else real_files(package),
    )
    assert asking._rules_digest.__wrapped__() != before


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # "Water tablets" are diuretics; "every year" says how often, not what is asked about.
        ("My heart failure makes my ankles swell. What are water tablets for?", "diuretic"),
        ("My dad has COPD. Should he have the flu jab every year?", "flu"),
    ],
)
def test_lay_words_for_what_a_card_covers_are_answered_not_refused(
    bundled_default_model: Service, question: str, said: str
) -> None:
    # What the bottom line says is ranked by meaning: the packaged model, as a fresh install.
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert answer.kind == "answer", answer.refusal
    assert said in " ".join(s.text for s in answer.bottom_line).lower()


def test_a_drug_the_guideline_names_by_its_class_is_answered(bundled: Service) -> None:
    # Sacubitril/valsartan is the ARNi of the heart-failure card: not a thing it lacks.
    answer = bundled.ask("Sacubitril/valsartan versus enalapril in HFrEF?")
    assert answer.kind == "answer", answer.refusal
    assert any("ARNi" in s.text for s in all_statements(answer))


def test_a_lay_symptom_of_cystitis_finds_its_card_and_a_plain_title(bundled: Service) -> None:
    # "It stings when I wee" names no condition; the cystitis card lists the reader's words as
    # aliases, and the title uses the card's name, not the reader's words.
    answer = bundled.ask("It stings when I wee. Which antibiotic do I need?", fresh=True)
    assert answer.kind == "answer", answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("urinary-tract-infection",)
    assert "wee" not in answer.title.lower()


def test_a_severity_score_leads_to_its_condition_and_the_title_names_the_condition(
    bundled: Service,
) -> None:
    answer = bundled.ask("CURB-65 of 2: home or hospital?")
    assert answer.kind == "answer", answer.refusal
    assert cards_cited(bundled, answer) == {"community-acquired-pneumonia"}
    assert "pneumonia" in answer.title.lower() and "curb" not in answer.title.lower()


def test_losing_weight_is_answered_from_what_the_card_says_of_weight(bundled: Service) -> None:
    answer = bundled.ask("will losing weight help my diabetes?", audience=Audience.PATIENT)
    assert answer.kind == "answer", answer.refusal
    assert any("weight" in s.text.lower() for s in answer.bottom_line)


def test_a_remedy_of_several_words_is_named_whole_when_refused(bundled: Service) -> None:
    answer = bundled.ask("St John's wort for depression?")
    assert answer.refusal is not None
    assert "'st john's wort'" in answer.refusal.message
    assert "'john's'" not in answer.refusal.message


def test_going_back_to_driving_is_answered_by_the_line_on_driving(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "can I go back to driving after a concussion", audience=Audience.PATIENT
    )
    assert answer.kind == "answer", answer.refusal
    assert "drive" in answer.bottom_line[0].text


def test_when_in_the_day_to_take_it_is_said_to_be_uncovered_when_no_line_says(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "is it ok to take my statin at night or in the morning", audience=Audience.PATIENT
    )
    assert answer.kind == "answer", answer.refusal
    assert answer.gaps and "when in the day" in answer.gaps[0]


@pytest.mark.parametrize(
    ("question", "card"),
    [
        # A drug only the depression card's class names ("an SSRI") leads to it.
        ("no response to sertraline 100 mg at 6 wks - next step", "depression"),
        ("prednisolone dose and duration for AECOPD", "copd"),
        ("The nurse found bacteria in her urine but she has no symptoms: antibiotics?",
         "urinary-tract-infection"),
    ],
)  # fmt: skip
def test_a_drug_an_abbreviation_or_a_finding_leads_to_its_card(
    bundled: Service, question: str, card: str
) -> None:
    answer = bundled.ask(question)
    assert answer.kind == "answer", answer.refusal
    assert card in cards_cited(bundled, answer)


def test_a_procedure_never_seen_is_refused_by_name_beside_a_condition_covered(
    bundled: Service,
) -> None:
    answer = bundled.ask("genicular artery embolisation for knee OA pain")
    assert answer.refusal is not None
    assert "'genicular artery embolisation'" in answer.refusal.message


def test_a_drug_asked_about_is_found_where_guidance_names_its_class(
    bundled_default_model: Service,
) -> None:
    # "Do not start urate-lowering drugs for asymptomatic hyperuricaemia" answers "start
    # allopurinol?", though it never says allopurinol.
    answer = bundled_default_model.ask(
        "asymptomatic hyperuricaemia, SUA 560 umol/L, no gout hx - start allopurinol?", fresh=True
    )
    assert "asymptomatic" in answer.bottom_line[0].text


def test_a_remedy_the_sources_name_in_other_words_is_not_refused_as_new(bundled: Service) -> None:
    # A hot water bottle is the superficial heat the back pain cards speak of.
    answer = bundled.ask("Does a hot water bottle help back pain that started a few days ago?")
    assert answer.kind == "answer", answer.refusal


def test_an_ace_inhibitor_cough_leads_to_the_blood_pressure_card(bundled: Service) -> None:
    answer = bundled.ask("ACE inhibitor cough: what to switch to?")
    assert answer.kind == "answer", answer.refusal
    assert cards_cited(bundled, answer) == {"hypertension"}


def test_what_the_story_names_is_context_and_what_is_asked_is_refused(bundled: Service) -> None:
    # A drug or condition named only in the story around the question is context…
    story = bundled.ask(
        "Acute gout flare, 74F, CKD 3b, on apixaban + atorvastatin 40. Best flare treatment?",
        fresh=True,
    )
    assert story.refusal is None, story.refusal
    # …but a story that the question points back to names what is asked.
    pointed = bundled.ask(
        "My friend swears by CBD oil for my migraines. Does it actually work?", fresh=True
    )
    assert pointed.refusal is not None and "CBD" in pointed.refusal.message.upper()


def test_a_second_question_the_sources_cannot_answer_is_said_not_to_be_covered(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "How long do antidepressants take to work for depression? And is it ok to have a glass of"
        " wine on them?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert answer.refusal is None, answer.refusal
    assert any("wine" in gap for gap in answer.gaps)
    # One question about the thing no source covers is still refused by name.
    alone = bundled.ask("Is it ok to have wine on antidepressants for depression?", fresh=True)
    assert alone.refusal is not None and "wine" in alone.refusal.message


def test_a_second_named_condition_adds_its_line_on_the_drug_asked_about(bundled: Service) -> None:
    # The heart failure card's line on NSAIDs names neither gout nor ibuprofen, but ibuprofen
    # is an NSAID and heart failure is named: it answers the question.
    answer = bundled.ask("Gout flare in a patient with heart failure: can I use ibuprofen?")
    texts = [s.text for s in answer.bottom_line] + [
        s.text for section in answer.sections for s in section.statements
    ]
    assert any("NSAIDs" in text and "HFrEF" in text for text in texts)


def test_an_aside_in_brackets_is_the_persons_story_not_what_is_asked(bundled: Service) -> None:
    # "(urticaria)" says how the allergy showed; it is no thing the sources must hold.
    answer = bundled.ask("CAP at home, pen allergic (urticaria): which antibiotic per NICE?")
    assert answer.kind == "answer", answer.refusal


def test_a_medicine_another_card_names_is_a_caveat_where_the_sources_say_nothing_of_it(
    bundled: Service,
) -> None:
    # The heart failure card names ibuprofen; nothing on the asthma card speaks of it (its
    # "anti-inflammatory reliever" inhaler is no NSAID), so the answer says so first.
    answer = bundled.ask("Can I take ibuprofen if I have asthma?", audience=Audience.PATIENT)
    assert answer.refusal is not None or any("ibuprofen" in gap for gap in answer.gaps)


def test_how_soon_a_medicine_works_is_answered_by_the_line_saying_how_soon(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "How long before sertraline kicks in?", audience=Audience.PATIENT, fresh=True
    )
    assert answer.refusal is None, answer.refusal
    assert "4 weeks" in answer.bottom_line[0].text, answer.bottom_line[0].text
    # …and the line on sertraline with ibuprofen, though near, does not join it.
    assert not any("ibuprofen" in s.text for s in answer.bottom_line), answer.bottom_line


def test_a_missed_dose_question_a_card_covers_is_answered_by_its_line(bundled: Service) -> None:
    # The atrial fibrillation card carries the ELIQUIS label's missed-dose advice.
    answer = bundled.ask(
        "forgot my eliquis this morning, its 4pm now. do i take 2 tonight or skip it?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None
    assert "as soon as you remember" in answer.bottom_line[0].text, answer.bottom_line


def test_a_missed_dose_question_no_source_covers_is_refused_naming_the_missed_dose(
    bundled: Service,
) -> None:
    # Decision 0032: the nearest lines on the drug (what raises bleeding on a blood thinner)
    # answer another question, and a guess here could double a dose.
    answer = bundled.ask(
        "I missed my levothyroxine yesterday, should I take two today?", audience=Audience.PATIENT
    )
    assert answer.refusal is not None
    assert "missed dose of levothyroxine" in answer.refusal.message, answer.refusal.message
    # …however the dose is named ("her morning Eliquis", "my ozempic jab on sunday").
    for question in (
        "my mum forgot her morning xarelto, its 2pm now. does she take it now?",
        "forgot my ozempic jab on sunday, its thursday now. do i still do it?",
    ):
        answer = bundled.ask(question, audience=Audience.PATIENT)
        assert answer.refusal is not None, question
        assert "a missed dose" in answer.refusal.message, (question, answer.refusal.message)


def test_an_effect_someone_else_reported_does_not_turn_the_question_into_a_side_effect_one(
    bundled: Service,
) -> None:
    question = (
        "Im 58, feel fine, GP says my QRISK is 12% and wants me on atorvastatin 20mg. "
        "is it really worth it? my friend said statins made her legs ache"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.ask is Ask.TREATMENT


def test_a_reader_with_only_a_reliever_is_told_a_reliever_alone_is_not_enough(
    bundled_default_model: Service,
) -> None:
    question = (
        "I only have the blue ventolin inhaler and I'm using it 4-5 times a week for wheezing. "
        "is that ok or should i be on something else"
    )
    answer = bundled_default_model.ask(question, audience=Audience.PATIENT, fresh=True)
    assert answer.refusal is None, answer.refusal
    bottom_line = " ".join(s.text for s in answer.bottom_line)
    assert "alone" in bottom_line or "on its own" in bottom_line, bottom_line


def test_an_emergency_told_beside_a_medicine_question_leads_with_when_to_get_help(
    bundled: Service,
) -> None:
    question = (
        "I've got AF and take bisoprolol and Eliquis. For the last hour my heart has been racing, "
        "I've got a tight pain across my chest and I nearly passed out. Take an extra bisoprolol?"
    )
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.urgent is not None
    assert "fast_heartbeat_with_instability" in answer.urgent.red_flags
    assert answer.question_frame is not None
    assert answer.question_frame.ask is Ask.RED_FLAGS


def test_two_medicines_no_line_names_together_are_said_to_be_uncovered_first(
    bundled_default_model: Service,
) -> None:
    # (Simvastatin with clarithromycin is now on the lipid card; sertraline with tramadol is
    # on none.)
    question = (
        "Pt on sertraline 100mg needs tramadol for back pain - hold the sertraline or pick a "
        "different painkiller?"
    )
    answer = bundled_default_model.ask(question, fresh=True)
    assert answer.refusal is None, answer.refusal
    assert any("taking these medicines together" in gap for gap in answer.gaps), answer.gaps


def test_a_dose_question_is_answered_by_the_dose_of_the_drug_asked_about(
    bundled_default_model: Service,
) -> None:
    question = "81F new AF, HTN, wt 55kg, CHA2DS2-VASc 4. Apixaban dose?"
    answer = bundled_default_model.ask(question, fresh=True)
    assert answer.refusal is None, answer.refusal
    assert "2.5 mg" in answer.bottom_line[0].text, answer.bottom_line[0].text


def test_whether_to_continue_a_medicine_is_answered_by_the_line_on_stepping_it_down(
    bundled_default_model: Service,
) -> None:
    question = "COPD patient on ICS/LABA admitted with pneumonia: should the ICS be continued?"
    answer = bundled_default_model.ask(question, fresh=True)
    assert answer.refusal is None, answer.refusal
    assert "stepping it down" in answer.bottom_line[0].text, answer.bottom_line[0].text


def test_a_condition_only_measured_yields_to_the_one_asked_about(bundled: Service) -> None:
    # "BP 104/66" is a reading in a heart-failure story, not a hypertension question.
    answer = bundled.ask(
        "HFrEF EF 30%, 71M, on ramipril and furosemide, started bisoprolol 2 weeks ago. "
        "Target dose? BP 104/66 today, ok to go up?"
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("heart-failure",)
    assert "comorbidity" not in answer.question_frame.populations


def test_the_card_naming_the_asked_drugs_leads_when_the_conditions_named_are_the_story(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "68M post-MI, T2DM, HTN, on atorvastatin 80 mg daily, LDL still 88 mg/dL. "
        "Add Zetia or go straight to Repatha?"
    )
    assert answer.kind == "answer"
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "hyperlipidaemia"
    assert "ezetimibe" in " ".join(s.text for s in answer.bottom_line)
    assert answer.question_frame.ask is not Ask.INTERACTIONS  # which, not whether they mix


def test_a_choice_between_two_medicines_with_a_dose_written_is_no_dose_question(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "38M acute LBP after lifting, no red flags. Flexeril or ibuprofen 600 mg - is one better?"
    )
    assert answer.kind == "answer"
    assert answer.question_frame is not None
    assert answer.question_frame.ask is not Ask.DOSE
    assert "muscle relaxant" in " ".join(s.text for s in answer.bottom_line)


def test_a_contraction_typed_without_its_apostrophe_is_no_missing_name(bundled: Service) -> None:
    answer = bundled.ask(
        "Ive got arthritis in my knee, Im 61. My brother had keyhole surgery to clean out his "
        "knee. Would a washout help me?",
        audience=Audience.PATIENT,
    )
    assert answer.kind == "answer"
    assert "wash out" in " ".join(s.text for s in answer.bottom_line)


def test_a_story_of_an_emergency_leads_with_the_line_that_says_get_help_now(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my mum has heart failure. tonight she suddenly cant breathe when she lies down and is "
        "coughing up pink frothy spit. should i give her an extra water tablet and wait?",
        audience=Audience.PATIENT,
    )
    assert answer.kind == "answer"
    assert "999" in " ".join(s.text for s in answer.bottom_line)


def test_an_activity_asked_about_is_answered_by_the_line_on_exercise_not_a_lookalike(
    bundled_default_model: Service,
) -> None:
    # "a walking stick" says nothing about walking; swimming is a kind of exercise.
    service = bundled_default_model
    walking = service.ask(
        "Is walking good for knee arthritis?", audience=Audience.PATIENT, fresh=True
    )
    assert walking.bottom_line[0].text.startswith("Exercise")
    swimming = service.ask(
        "Will swimming help my long-term back pain?", audience=Audience.PATIENT, fresh=True
    )
    assert swimming.kind == "answer"
    assert "xercise" in " ".join(s.text for s in swimming.bottom_line)


def test_the_medicines_a_story_lists_are_one_caveat_not_one_each(bundled: Service) -> None:
    answer = bundled.ask(
        "74M acute gout. On diltiazem MR 180, atorvastatin 40, ramipril 5. "
        "Safe colchicine dose with the diltiazem or just give pred?"
    )
    assert answer.kind == "answer"
    naming = [gap for gap in answer.gaps if "ramipril" in gap or "atorvastatin" in gap]
    assert len(naming) == 1, answer.gaps
    assert "not specific to them" in naming[0]


def test_a_condition_named_in_the_asked_sentence_as_what_a_medicine_is_for_is_the_subject(
    bundled: Service,
) -> None:
    # "for my gout" in the sentence that asks names the subject; "for his COPD" in the story
    # names the setting.
    answer = bundled.ask(
        "Can I take naproxen for my gout if I have high blood pressure?", audience=Audience.PATIENT
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "gout"


def test_a_medicine_asked_about_in_pregnancy_with_no_source_on_it_is_refused_for_patients(
    bundled: Service,
) -> None:
    # General advice ("a pharmacist may suggest an NSAID") must not answer a pregnant reader.
    question = "can i take ibuprofen for back pain while pregnant"
    patient = bundled.ask(question, audience=Audience.PATIENT)
    assert patient.refusal is not None
    assert "ibuprofen in pregnancy" in patient.refusal.message
    # A clinician gets the article, with the caveat first.
    clinician = bundled.ask(question)
    assert clinician.kind == "answer"
    assert clinician.gaps and "pregnancy" in clinician.gaps[0]


@pytest.mark.parametrize(
    "question",
    [
        "HbA1c target on gliclazide per NICE",  # a sulfonylurea: a medicine causing hypos
        "i have copd is quiting smoking still worth it",  # sources say "stop smoking"
        "does lisinopril cause a dry cough",  # sources say "a cough"
    ],
)
def test_what_sources_say_in_other_words_is_answered_not_refused(
    bundled: Service, question: str
) -> None:
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal


def test_a_drug_class_named_for_a_second_condition_leads_to_its_card_and_the_line_for_both(
    bundled_default_model: Service,
) -> None:
    # "Antihypertensive" leads to the hypertension card; the line for adults with type 2
    # diabetes answers, not the general class list.
    answer = bundled_default_model.ask(
        "First-line antihypertensive in a 58-year-old with type 2 diabetes?", fresh=True
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "type 2 diabetes" in lead and "ACE inhibitor" in lead, lead


def test_a_pregnancy_found_while_on_an_ace_inhibitor_is_answered_by_stopping_it(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "I just found out I'm pregnant and I take ramipril for my blood pressure, "
        "what should I do?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "pregnant" in lead and "stopped" in lead, lead


def test_a_symptom_after_starting_a_medicine_is_answered_by_the_line_on_that_medicine(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "My mum is 81 with arthritis in both knees. GP put her on co-codamol 30/500 and now "
        "she's badly constipated and a bit muddled. What should she do?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert answer.question_frame is not None
    assert answer.question_frame.ask is Ask.SIDE_EFFECTS
    assert "co-codamol" in " ".join(s.text for s in answer.bottom_line)


def test_a_headache_in_pregnancy_with_blurred_vision_is_answered_from_pre_eclampsia_advice(
    bundled: Service,
) -> None:
    # The headache is the red flag's symptom, not a migraine question.
    answer = bundled.ask(
        "My wife is 33 weeks pregnant and woke up with a pounding headache and blurry vision. "
        "What should we do?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert cards_cited(bundled, answer) <= {"hypertension"}


def test_the_condition_a_clinicians_patient_has_is_the_setting_not_the_subject(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "49M with type 2 diabetes, ABPM average 152/94. Which antihypertensive should I start?"
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "hypertension"


def test_aching_legs_on_a_statin_named_by_an_indian_brand_is_a_side_effect_question(
    bundled: Service,
) -> None:
    # "Rosuvas" is rosuvastatin cut short; the aches told after starting it ask what it does,
    # and "should I stop it?" is answered by NICE's options for statin side effects, not by
    # the line on not stopping a statin when blood glucose rises.
    answer = bundled.ask("Started Rosuvas 10 last month, my legs ache. Should I stop it?")
    assert answer.question_frame is not None
    assert answer.question_frame.ask is Ask.SIDE_EFFECTS
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "side effects" in lead and "glucose" not in lead, lead
    assert cards_cited(bundled, answer) == {"hyperlipidaemia"}


def test_two_medicines_no_source_names_together_are_refused_by_name(bundled: Service) -> None:
    # No card speaks of rivaroxaban with cetirizine; an article on either alone would answer
    # another question.
    answer = bundled.ask("Is it safe to take Xarelto with Zyrtec?", audience=Audience.PATIENT)
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert "Xarelto (rivaroxaban)" in answer.refusal.message
    assert "Zyrtec (cetirizine)" in answer.refusal.message


def test_two_medicines_one_card_names_together_are_answered_from_it(bundled: Service) -> None:
    # The atrial fibrillation card's line on what raises bleeding on a blood thinner names
    # apixaban and sertraline: it answers, not the depression card sertraline is used for.
    for question in ("Is it safe to take Eliquis with Zoloft?", "xarelto with advil ok?"):
        answer = bundled.ask(question, audience=Audience.PATIENT)
        assert answer.refusal is None, question
        assert answer.question_frame is not None
        assert answer.question_frame.condition_cards == ("atrial-fibrillation",)
        assert "bleeding" in answer.bottom_line[0].text


def test_germs_in_the_urine_of_a_person_with_diabetes_are_not_treated(bundled: Service) -> None:
    answer = bundled.ask(
        "I'm diabetic and the nurse said there are germs in my urine but I feel fine. "
        "Do I need antibiotics?",
        audience=Audience.PATIENT,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "diabetes" in lead and "no symptoms" in lead, lead


@pytest.mark.parametrize(
    ("question", "card", "said"),
    [
        # An attack told as happening now is answered by what treats it, not by when to start
        # a medicine to lower uric acid.
        (
            "woke up at 3am with my big toe red, hot and so swollen i cant even stand the "
            "bedsheet on it. had a few pints last night. 52 m what do i do",
            "gout",
            "colchicine",
        ),
        # Knees that creak and swell, in a reader's words, are the knee osteoarthritis card's.
        (
            "my knees creak going up the stairs and one puffs up after walking the dog. im 66, "
            "do i need an xray?",
            "knee-osteoarthritis",
            "X-ray",
        ),
        # "The surgery" that gave the tablets is the GP practice, not an operation asked about.
        (
            "38 weeks pregnant and the surgery gave me macrobid for a water infection, is that "
            "ok this late on?",
            "urinary-tract-infection",
            "due date",
        ),
    ],
)
def test_a_readers_own_words_reach_the_card_that_answers(
    bundled: Service, question: str, card: str, said: str
) -> None:
    answer = bundled.ask(question, audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert cards_cited(bundled, answer) >= {card}
    lead = " ".join(s.text for s in answer.bottom_line)
    assert said in lead, lead


def test_a_question_that_names_nothing_in_particular_is_not_answered_by_a_guess(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "still got the pain, the tablets arent doing anything. what now", audience=Audience.PATIENT
    )
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE


def test_each_medicine_asked_about_is_named_by_the_article(bundled: Service) -> None:
    # Two questions in one: the referral lines lead, and the line that gabapentinoids are not
    # advised for sciatica is kept, rather than a note that the sources say nothing of it.
    answer = bundled.ask(
        "39M, L5/S1 disc protrusion, L sciatica 10 wks despite physio. Neuro intact. "
        "Pregabalin worth trying? When to refer surgical?"
    )
    texts = " ".join(s.text for s in all_statements(answer))
    assert "pregabalin" in texts or "gabapentinoid" in texts, texts
    assert not any("Pregabalin" in gap for gap in answer.gaps), answer.gaps


def test_a_remedy_taken_with_a_medicine_that_no_source_names_is_refused_by_name(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "is it ok to take ashwagandha gummies with my levothyroxine?", audience=Audience.PATIENT
    )
    assert answer.refusal is not None
    assert "ashwagandha" in answer.refusal.message


def test_a_pregnant_readers_bottom_line_speaks_of_pregnancy(bundled: Service) -> None:
    # The cranberry line answers what was asked; beside it, the line for pregnant women says
    # what she needs, from whichever section it comes.
    answer = bundled.ask(
        "28 weeks pregnant and its burning when i wee, going every 10 mins. no temperature. "
        "can i just drink cranberry juice and wait it out?",
        audience=Audience.PATIENT,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "ranberry" in lead and "pregnant" in lead, lead


def test_two_medicines_one_line_names_together_are_answered_by_that_line(bundled: Service) -> None:
    # Naproxen is an NSAID and lisinopril an ACE inhibitor: a card with a line on the two
    # together answers, and that line is in the article.
    answer = bundled.ask("Can I take naproxen with my lisinopril?", audience=Audience.PATIENT)
    assert answer.refusal is None, answer.refusal
    assert answer.title == "Taking naproxen with lisinopril"
    assert any("ACE inhibitor" in s.text for s in all_statements(answer))


def test_two_medicines_asked_about_for_a_condition_lead_with_the_line_on_both(
    bundled_default_model: Service,
) -> None:
    # The back pain cards say nothing of ramipril; the line on NSAIDs with ACE inhibitors is on
    # another card. It joins, with no other line of that card, and leads: it is what was asked.
    answer = bundled_default_model.ask(
        "Can I take ibuprofen with my ramipril for a sore back?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "ACE inhibitor" in lead and "kidney" in lead, lead
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "acute-low-back-pain"
    assert len(answer.question_frame.condition_cards) == 2
    mentions_ace = [s.text for s in all_statements(answer) if "ACE inhibitor" in s.text]
    assert len(mentions_ace) == 1, mentions_ace


def test_keeping_on_a_medicine_unsafe_in_pregnancy_is_answered_by_the_line_on_it(
    bundled: Service,
) -> None:
    # "OK to keep taking it?" asks about the ramipril the story says she is on: the line on
    # ACE inhibitors in pregnancy leads, not her blood pressure target.
    answer = bundled.ask(
        "just found out im pregnant (about 6 weeks). im on ramipril 5mg for high blood pressure. "
        "ok to keep taking it till my gp appt in 3 weeks?",
        audience=Audience.PATIENT,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "ACE inhibitor" in lead, lead


def test_whom_to_see_is_answered_by_when_to_see_a_specialist(bundled: Service) -> None:
    # Seed 2's question in a reader's words: the trigger for referral, not reassurance.
    answer = bundled.ask(
        "Should I see a spine specialist for disc space loss in my lower back?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert "specialist" in answer.bottom_line[0].text
    sciatica = bundled.ask(
        "Who should I see about sciatica that isn't improving?", audience=Audience.PATIENT
    )
    assert "6 to 8 weeks" in sciatica.bottom_line[0].text
    # …but a surgeon who has already spoken makes no referral question.
    fusion = bundled.ask(
        "The surgeon is going to operate on my slipped disc. Will they need to fuse the bones?",
        audience=Audience.PATIENT,
    )
    assert "joining together" in fusion.bottom_line[0].text


def test_seed_twos_question_says_when_to_whom_and_how_urgently(bundled: Service) -> None:
    # "Should I see a spine specialist about disc degeneration?": not for the scan finding
    # alone; a spine surgeon when leg pain has not settled in 6 to 8 weeks; at once for
    # retention of urine.
    answer = bundled.ask(
        "Should I consult a spine specialist about my lumbar disc degeneration?",
        audience=Audience.CLINICIAN,
    )
    assert "refer" in answer.bottom_line[0].text
    assert answer.sections[0].heading == "When to refer"
    referral = " ".join(s.text for s in answer.sections[0].statements)
    assert "spine surgeon" in referral and "6 to 8 weeks" in referral
    assert "cauda equina" in " ".join(s.text for s in all_statements(answer))


def test_a_painkiller_with_an_antidepressant_is_answered_by_the_line_on_the_two(
    bundled: Service,
) -> None:
    # Not the atrial fibrillation card's line on blood thinners, and not how depression is
    # treated: the line on an SSRI with an NSAID.
    answer = bundled.ask(
        "can I take ibuprofen while on sertraline?", audience=Audience.PATIENT, fresh=True
    )
    assert "ibuprofen" in answer.bottom_line[0].text
    assert "AF" not in " ".join(s.text for s in all_statements(answer))
    assert len(list(all_statements(answer))) <= 5


def test_a_childs_age_band_leads_over_advice_for_all_children(bundled: Service) -> None:
    # 18 months with both ears infected: the line for 6 to 23 months, not pain relief (which
    # the story says was tried).
    answer = bundled.ask(
        "my son is 18 months, gp says BOTH ears are infected. hes had calpol and nurofen but "
        "still screaming at night. shouldnt he have antibiotics at his age??",
        audience=Audience.PATIENT,
    )
    assert "both ears" in answer.bottom_line[0].text


def test_a_second_question_the_sources_miss_does_not_sink_the_first(bundled: Service) -> None:
    # Which antibiotic is answered; "off school" is said to be uncovered.
    answer = bundled.ask(
        "my 6 yr old has strep throat (swab came back positive). shes allergic to penicillin, "
        "came out in a rash with amoxil. what antibiotic can she have and how long does she "
        "need off school?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None
    assert any("off school" in gap for gap in answer.gaps)
    assert "clindamycin" in answer.bottom_line[0].text


def test_the_condition_named_where_it_asks_leads_the_one_named_in_the_story(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "58M, T2DM, no CKD, on ramipril 10 mg, clinic BP 146/88 on repeat. Is he at target, "
        "and what's the next antihypertensive step?"
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "hypertension"


def test_a_result_told_with_is_that_bad_is_answered_by_the_goal(bundled: Service) -> None:
    answer = bundled.ask(
        "My 3-monthly diabetes blood test came back at 58. I'm only on metformin. Is 58 bad?",
        audience=Audience.PATIENT,
    )
    assert "goal" in answer.bottom_line[0].text


def test_whether_to_start_antibiotics_is_not_answered_by_what_to_do_when_they_fail(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "my 3 year old has had a sore ear since yesterday and a temperature, should she have "
        "antibiotics?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert "on antibiotics" not in answer.bottom_line[0].text
    on_them = bundled_default_model.ask(
        "He's been on amoxicillin for his ear for 3 days and still has a fever",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert "not better after 2 to 3 days on antibiotics" in on_them.bottom_line[0].text


def test_falls_told_are_answered_by_the_line_on_falls(bundled_default_model: Service) -> None:
    answer = bundled_default_model.ask(
        "my dad is 83 and has afib. gp wants him on eliquis but he falls a lot. isnt a blood "
        "thinner dangerous for him? id rather he just took an aspirin a day",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert "fall" in answer.bottom_line[0].text.lower()


def test_a_condition_named_as_what_a_medicine_does_is_not_the_subject(bundled: Service) -> None:
    # "It thins your bones" is what omeprazole may do; the reflux card, which names it, answers
    # whether it can be stopped, not the osteoporosis card's line on bisphosphonate breaks.
    answer = bundled.ask(
        "been on omeprazole 20mg for heartburn for about 5 years. my mate says it thins your "
        "bones and i should come off it. can i just stop taking it tomorrow?",
        audience=Audience.PATIENT,
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "gerd", answer.question_frame


def test_a_flare_blamed_on_a_new_medicine_is_answered_by_flares_on_starting_it(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "had my first ever gout attack 2 weeks ago. GP put me on allopurinol 100mg and now its "
        "flared up again worse than before!! is the allopurinol doing this? should i stop it",
        audience=Audience.PATIENT,
        fresh=True,
    )
    lead = " ".join(s.text for s in answer.bottom_line)
    assert "more likely in the first few months" in lead, lead


def test_a_past_illness_told_as_history_is_the_story_not_what_is_asked(bundled: Service) -> None:
    answer = bundled.ask(
        "Im 64 and have arthritis in both knees. paracetamol does nothing for it. I had a "
        "stomach ulcer about 5 years ago so my GP is nervous about anti-inflammatorys. what "
        "else can I take?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "knee-osteoarthritis"


def test_a_reliever_by_brand_with_a_cold_told_is_an_asthma_question(bundled: Service) -> None:
    answer = bundled.ask(
        "how many puffs of ventolin is too many?? ive got a cold and ive been using it 4 or 5 "
        "times a day this week. its the only inhaler i have",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "asthma"


def test_an_alarm_the_named_card_has_no_line_on_is_refused_under_the_banner(
    bundled: Service,
) -> None:
    # Decision 0043: the AF card's warning is about AF itself (an electric shock when AF makes
    # someone dangerously unwell), not about a stroke; under the stroke banner it misleads.
    answer = bundled.ask(
        "my dad 78 has afib, on eliquis. at lunch his words came out a bit slurred and his right "
        "arm felt clumsy. can he take his metoprolol early today?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert answer.refusal is not None
    assert "stroke" in answer.refusal.message


def test_a_sign_of_the_alarm_does_not_name_another_condition(bundled: Service) -> None:
    # "his heart is racing" is a sign of sepsis from the spreading skin infection, not AF.
    answer = bundled.ask(
        "my husband has a red swollen patch on his shin from a scrape, gp gave him "
        "flucloxacillin 2 days ago. tonight hes shivering, breathing fast, muddled and his heart "
        "is racing. redness is bigger. should he take double dose of the antibiotic?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "cellulitis"
    assert answer.refusal is None
    assert "spreading" in " ".join(s.text for s in answer.bottom_line)


def test_a_word_for_when_does_not_become_a_thing_asked_about(bundled: Service) -> None:
    answer = bundled.ask(
        "mri showed a disc herniation pressing on the nerve, leg pain getting better. will it "
        "heal on its own or will i need surgery eventually?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal


def test_a_ward_patients_empiric_regimen_is_the_inpatient_one(bundled: Service) -> None:
    answer = bundled.ask(
        "67M CAP admitted, CURB-65 2, not ICU, no MRSA/pseudomonas RF, no abx in 90d. "
        "empiric regimen?",
        audience=Audience.CLINICIAN,
    )
    lead = answer.bottom_line[0].text
    assert "admitted to hospital" in lead and "macrolide" in lead, lead


def test_how_long_to_go_on_before_tapering_is_answered_by_the_course_length(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "46M first MDD episode, remission on sertraline 100 after 4 months. how long to "
        "continue before taper?",
        audience=Audience.CLINICIAN,
    )
    assert "6 months" in answer.bottom_line[0].text, answer.bottom_line


def test_a_coach_saying_he_can_play_is_answered_by_when_a_player_goes_back(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my son is 12, took a hit to the head in football yesterday, had a headache after. "
        "coach says he can play saturday if headache is gone. is that ok?",
        audience=Audience.PATIENT,
    )
    assert "games" in answer.bottom_line[0].text, answer.bottom_line


def test_a_symptom_still_there_after_treatment_is_answered_by_how_recovery_runs(
    bundled_default_model: Service,
) -> None:
    answer = bundled_default_model.ask(
        "mum is 70, had pneumonia last week, finished her amoxicillin. fever gone but shes "
        "still coughing a lot and exhausted. is this normal or does she need more antibiotics?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert "6 weeks" in answer.bottom_line[0].text, answer.bottom_line


def test_a_medicine_the_cards_lack_under_an_alarm_is_a_gap_not_a_refusal(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "30 wks pregnant, had a migraine for 2 days that paracetamol isnt touching, seeing "
        "flashing lights and my face and hands have gone really puffy. can i take my sumatriptan?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None
    assert answer.refusal is None, answer.refusal
    assert any("sumatriptan" in gap for gap in answer.gaps), answer.gaps


def test_a_medicine_asked_about_leads_to_its_card_before_a_condition_told(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "my mum (68) just been put on alendronic acid 70mg once a week after breaking her wrist. "
        "how is she meant to take it and how long for? she gets a lot of heartburn already",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "osteoporosis"


def test_one_thing_no_source_covers_beside_things_they_do_is_a_gap(bundled: Service) -> None:
    answer = bundled.ask(
        "had lower back pain for about 6 months now, 41F. physio said keep moving but it hurts. "
        "is yoga or pilates any good? and would a new mattress help",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None, answer.refusal
    assert any("mattress" in gap for gap in answer.gaps), answer.gaps


def test_a_name_only_the_acute_card_has_means_the_chronic_card_when_told_for_years(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "bad back for 3 years, 50M. what actually helps long term?", audience=Audience.PATIENT
    )
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards[0] == "chronic-low-back-pain"
    fresh = bundled.ask("hurt my back lifting yesterday, what helps?", audience=Audience.PATIENT)
    assert fresh.question_frame is not None
    assert fresh.question_frame.condition_cards[0] == "acute-low-back-pain"


def test_acute_migraine_in_pregnancy_is_led_by_paracetamol_not_the_combination(
    bundled: Service,
) -> None:
    answer = bundled.ask(
        "31F G1 24/40, migraine w/o aura, paracetamol only partial relief. acute options?",
        audience=Audience.CLINICIAN,
    )
    lead = answer.bottom_line[0].text
    assert "pregnancy" in lead and "paracetamol" in lead, lead
