"""The question frame: ask, conditions, populations (negation-aware), interventions, follow-ups."""

from __future__ import annotations

import pytest

from bedside.analyse.frame import (
    ConditionVocabulary,
    asked_effect,
    asked_interventions,
    asked_sentences,
    asked_with_what_it_weighs,
    find_interventions,
    frame_question,
    frame_rules,
    inherit,
    is_context,
    named_as_a_reading,
    names_ruled_out,
    one_slip_apart,
    ruled_out_medicines,
    slot_phrases,
    without_lookalikes,
)
from bedside.analyse.terms import content_stems
from bedside.domain import Ask, QuestionFrame

CARDS = [
    ("gout", "Gout in adults", ["gouty arthritis", "allopurinol"]),
    ("hypothyroidism", "Primary hypothyroidism in adults", ["underactive thyroid", "T4"]),
    (
        "degenerative-disc-disease",
        "Degenerative disc disease and disc space narrowing in the lumbar spine",
        ["disc space loss", "DDD"],
    ),
    ("sciatica", "Sciatica (lumbar radiculopathy) in adults", ["pinched nerve"]),
    ("atrial-fibrillation", "Atrial fibrillation in adults", ["AF", "irregular heartbeat"]),
    ("community-acquired-pneumonia", "Community-acquired pneumonia in adults", ["CAP"]),
    ("hypertension", "High blood pressure (hypertension) in adults", ["high blood pressure"]),
    ("urinary-tract-infection", "Urinary tract infection in adults", ["UTI", "cystitis"]),
]


@pytest.fixture(scope="module")
def vocabulary() -> ConditionVocabulary:
    return ConditionVocabulary.from_cards(CARDS)


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("How is gout managed?", Ask.TREATMENT),
        ("G1 32/40, BP 152/98 twice, UPCR neg. Start labetalol? Target?", Ask.TREATMENT),
        ("On simvastatin 40, legs ache, CK normal. Stop, switch, or carry on?", Ask.TREATMENT),
        ("Strep throat, Centor 4. Penicillin V for 5 or 10 days?", Ask.DURATION),
        # A shorter course, or the whole of one, is how long.
        (
            "Cellulitis. Fluclox how long - still doing 10-14 days or is shorter ok now?",
            Ask.DURATION,
        ),
        ("strep throat, back to normal on day 3. Does she really need all 10 days?", Ask.DURATION),
        # Two doses with their frequency: which dose.
        ("82F new AF, 55kg. Apixaban 5 bd or 2.5 bd?", Ask.DOSE),
        ("82F new AF, 55kg. starting apixaban - 5mg or 2.5mg bd?", Ask.DOSE),
        # "is that ok if …?" asks about the sentence before it: playing the match.
        (
            "Knock to the head at rugby on saturday. He has a cup match next weekend and is "
            "desperate to play. is that ok if the headache goes?",
            Ask.PROGNOSIS,
        ),
        # A scan told ("on MRI") and a procedure requested are no test asked for.
        (
            "38M, L5/S1 herniation on MRI, 3/52 S1 radicular pain. Requesting microdiscectomy now. "
            "Indicated?",
            Ask.TREATMENT,
        ),
        # Keep it or change it: which medicine.
        ("GERD on clopidogrel, needs PPI cover. Omeprazole fine or switch?", Ask.DRUG_CHOICE),
        ("How long should CAP antibiotics continue in a patient who is improving?", Ask.DURATION),
        ("does metformin damage your kidneys", Ask.SIDE_EFFECTS),
        ("Is disc replacement an option for single-level disc disease?", Ask.TREATMENT),
        ("my scan shows my discs are wearing out, would an artificial disc help?", Ask.TREATMENT),
        ("is it safe to keep working with a bad back", Ask.PROGNOSIS),
        ("PPI step-down after 8 weeks of healing in erosive oesophagitis?", Ask.TREATMENT),
        ("my daughter has ear pain but no fever, do we need the doctor", Ask.REFERRAL),
        ("What dose of allopurinol should I start?", Ask.DOSE),
        ("Does she need an MRI for sciatica?", Ask.TEST_OR_IMAGE),
        ("When should I refer sciatica to a surgeon?", Ask.REFERRAL),
        ("What are the warning signs with sciatica?", Ask.RED_FLAGS),
        ("Side effects of allopurinol?", Ask.SIDE_EFFECTS),
        ("Can I take allopurinol together with alcohol?", Ask.INTERACTIONS),
        ("Should I take omeprazole with food?", Ask.INTERACTIONS),
        # Two medicines the question asks about together; not two the story says she is on.
        ("He's on warfarin and aspirin, is that ok?", Ask.INTERACTIONS),
        (
            "On colchicine for gout, GP just started clarithromycin. Ok to dispense both?",
            Ask.INTERACTIONS,
        ),
        ("Do I need to take both inhalers every day for my asthma?", Ask.DRUG_CHOICE),
        ("My mum takes warfarin. Can she take ibuprofen with it?", Ask.INTERACTIONS),
        ("TSH recheck interval after levothyroxine dose change", Ask.MONITORING),
        # The medicines a story lists are not what its question asks about.
        (
            "AF on apixaban, on furosemide 40 mg. Should I add dapagliflozin for heart failure?",
            Ask.TREATMENT,
        ),
        # Either-or medicines ask which, not whether they mix; a dose beside one is no dose ask.
        ("Add Zetia or go straight to Repatha?", Ask.TREATMENT),
        ("Flexeril or ibuprofen 600 mg for acute back pain - is one better?", Ask.TREATMENT),
        ("On ramipril and amlodipine, BP still 160/95. Next step?", Ask.TREATMENT),
        (
            "Mum is on amlodipine and ramipril. Her ankles are swollen. Could it be her tablets?",
            Ask.SIDE_EFFECTS,
        ),
        (
            "My reflux now comes with food sticking. Should I take stronger tablets?",
            Ask.DRUG_CHOICE,
        ),
        ("How can I prevent gout attacks?", Ask.PREVENTION),
        ("How often should TSH be rechecked?", Ask.MONITORING),
        ("Will my sciatica get better?", Ask.PROGNOSIS),
        ("My chest infection is pneumonia. What tablets will I be given?", Ask.DRUG_CHOICE),
        ("How soon can she go back to school after a concussion?", Ask.PROGNOSIS),
        ("First-line treatment for cystitis in a healthy 30-year-old?", Ask.DRUG_CHOICE),
        ("Will my cut heal on its own?", Ask.PROGNOSIS),
        ("I've just started a statin. When will they check my cholesterol again?", Ask.MONITORING),
        ("Told to take another medicine every day to stop attacks. How long for?", Ask.DURATION),
        (
            "It keeps getting worse on all his tablets. Is there anything more that can be done?",
            Ask.TREATMENT,
        ),
        ("T2DM with HFrEF: which glucose-lowering class should be added?", Ask.DRUG_CHOICE),
        ("Which medicines are used for AF?", Ask.DRUG_CHOICE),
        ("What causes gout?", Ask.DIAGNOSIS),
        ("Gout", Ask.GENERAL),
        ("Is it better to rest or keep walking with sciatica?", Ask.TREATMENT),
        ("HbA1c goal for an older adult with gout and diabetes?", Ask.MONITORING),
        ("What counts as gout on a joint aspirate?", Ask.DIAGNOSIS),
        ("Gout flare in a nursing-home resident: ward or ICU?", Ask.REFERRAL),
        ("Sciatica with a foot getting weaker: how to proceed?", Ask.RED_FLAGS),
        ("Which drug class first for AF rate control?", Ask.DRUG_CHOICE),
        # "low-dose" describes what the person is on; the question is what comes next.
        ("Step-up options for asthma uncontrolled on low-dose ICS-formoterol?", Ask.TREATMENT),
        ("How do I know if my cellulitis is getting worse?", Ask.RED_FLAGS),
        ("What blood pressure should I be aiming for at home?", Ask.MONITORING),
        # "How long should … last" prescribes a length of treatment, whatever test it names.
        ("How long should a PPI trial last before endoscopy?", Ask.DURATION),
        ("How long does a migraine attack usually last?", Ask.PROGNOSIS),
        # "What … will I get for …" asks which treatment, not how it will turn out.
        ("What antibiotic will I get for cellulitis?", Ask.DRUG_CHOICE),
        ("Will I get better from cellulitis without antibiotics?", Ask.PROGNOSIS),
        ("How do I know if my cellulitis needs hospital treatment?", Ask.REFERRAL),
        # Staying off work asks about going back, not how long to take a treatment.
        ("How long should I stay off work with a bad back?", Ask.PROGNOSIS),
        ("How long should I stay on antibiotics for cellulitis?", Ask.DURATION),
        # A clinician's note names the effect; a symptom told in the next clause after a start.
        ("atorvastatin 80 causing myalgia, CK normal - what next?", Ask.SIDE_EFFECTS),
        ("Started sertraline last week, I feel sick all the time. Normal?", Ask.SIDE_EFFECTS),
        # Stopping a symptom is no question on how long to take a medicine.
        ("Should I take CoQ10 with my statin to stop the muscle pain?", Ask.TREATMENT),
        # An unwanted effect named is a side-effect question, whatever the medicine is called.
        ("Is it normal for my antidepressant to make me feel sick at first?", Ask.SIDE_EFFECTS),
        ("Started metformin a fortnight ago and now im bloated. Normal?", Ask.SIDE_EFFECTS),
        # A number asked for the medicine taken is its dose.
        ("On rivaroxaban 20 od, CrCl 40. Should this be 15?", Ask.DOSE),
        # A cause that is no medicine asks what brings the condition on.
        ("Can stress cause a migraine?", Ask.DIAGNOSIS),
        ("Can hypothyroidism make me put on weight?", Ask.DIAGNOSIS),
        ("On omeprazole for 6 years for heartburn, is that bad long term?", Ask.SIDE_EFFECTS),
        ("Is it bad that my back still hurts after 6 weeks?", Ask.GENERAL),
        ("Can allopurinol cause a rash?", Ask.SIDE_EFFECTS),
        # A symptom told right after a medicine was started asks what it does to the person…
        (
            "Gout in her knee. GP put her on colchicine and now she's got diarrhoea. What now?",
            Ask.SIDE_EFFECTS,
        ),
        # …but good news after starting one does not.
        (
            "Started on allopurinol for gout and now my urate is 300, how often to check?",
            Ask.MONITORING,
        ),
        ("Does colchicine give you diarrhoea?", Ask.SIDE_EFFECTS),
        ("Will surgery give me a better result for sciatica?", Ask.TREATMENT),
        ("Rate or rhythm control for new AF?", Ask.TREATMENT),
        ("I've been diagnosed with gout. Do I have to take allopurinol?", Ask.TREATMENT),
        ("How can I stop getting gout attacks?", Ask.PREVENTION),
        ("Is there a daily tablet to stop the migraines coming?", Ask.PREVENTION),
        ("On ibuprofen most days for my knees. Is that ok long term?", Ask.SIDE_EFFECTS),
        # Whether to stop a medicine, whatever else the story names.
        ("Fine again on sertraline. Can I just stop it? Don't want to bother my GP", Ask.DURATION),
        ("7 weeks pregnant, on ramipril and amlodipine. Should I stop them?", Ask.DURATION),
        ("How often should I have a scan for my gout?", Ask.MONITORING),
        ("Is it normal to still feel stiff weeks after my back went?", Ask.PROGNOSIS),
        ("When should a patient with AF get cardioversion?", Ask.TREATMENT),
        ("Concussion at rugby. When can he start getting back to normal?", Ask.PROGNOSIS),
        ("Pneumonia in an 80-year-old: should I admit her?", Ask.REFERRAL),
        ("My blood pressure tablets make my ankles swell. Can I switch?", Ask.SIDE_EFFECTS),
        ("Metformin gives me terrible diarrhoea. What else can I take?", Ask.SIDE_EFFECTS),
        # A story, not the ask: "admitted with pneumonia" says where the patient is.
        ("COPD on ICS/LABA admitted with pneumonia: should the ICS be continued?", Ask.MONITORING),
        # Medicines set aside: what else helps is asked, not which tablet.
        ("Heartburn every night: what can I change apart from taking tablets?", Ask.TREATMENT),
        ("Besides tablets, what makes the most difference for my knees?", Ask.TREATMENT),
        # What a medicine named does to the person is a side-effect question.
        ("my statin makes my legs ache, should i stop taking it", Ask.SIDE_EFFECTS),
        ("Amlodipine is making my ankles swell", Ask.SIDE_EFFECTS),
        # How serious a reading is, not the harms of a medicine.
        ("is 150 over 95 blood pressure dangerous", Ask.GENERAL),
        ("are blood pressure tablets dangerous", Ask.SIDE_EFFECTS),
        # A test result reported is the story, not a question about testing.
        ("my thyroid blood test was slightly off, do I need tablets", Ask.DRUG_CHOICE),
        ("do i need to finish all my antibiotics for cellulitis", Ask.DURATION),
        # "medium-dose" describes what the person is on, as "low-dose" does.
        ("Add-on therapy for asthma uncontrolled on medium-dose ICS-LABA", Ask.TREATMENT),
        # A monitoring test named is the test, not follow-up; "how often" still asks follow-up.
        ("Ambulatory BP monitoring: threshold to diagnose hypertension?", Ask.DIAGNOSIS),
        ("How often should I do home blood pressure monitoring?", Ask.MONITORING),
        ("Should my gout be monitored after starting allopurinol?", Ask.MONITORING),
        # "Next step" on a treatment is the next treatment; an admission in the story is history.
        (
            "COPD on LAMA/LABA, 2 exacerbations, 1 needing admission. Next step per GOLD?",
            Ask.TREATMENT,
        ),
        ("Should he be admitted to hospital with this pneumonia?", Ask.REFERRAL),
        # Confusion told in a story that raises no red flag is not a question about urgency…
        (
            "Dad is 84, a bit more muddled than usual, and they want to start antibiotics. Right?",
            Ask.DRUG_CHOICE,
        ),
        # …but with a fever it raises one, and the question is when to get help.
        ("She is confused and drowsy with a high temperature. What do we do?", Ask.RED_FLAGS),
        # Stopping a course early asks how long to take it.
        (
            "He's on amoxicillin for strep and already better. Can we stop after 5 days?",
            Ask.DURATION,
        ),
        # A clinician's list of asks is read in the order asked.
        (
            "Gout, eGFR 52. On starting allopurinol: starting dose, urate goal, how often to "
            "recheck urate?",
            Ask.DOSE,
        ),
        # Whether a medicine is safe to take every day is no question on mixing it with the
        # one the reader lives on now.
        (
            "heartburn most nights, basically living on tums. is it ok to take omeprazole "
            "every day?",
            Ask.SIDE_EFFECTS,
        ),
        # Medicines tried one after another ask for the next step, not whether they mix.
        (
            "38F migraine, 10 MHD/mo. Failed propranolol 80 bd x3 mo (fatigue) and topiramate 50"
            " bd (word-finding probs). Sumatriptan ~8 d/mo. Next?",
            Ask.TREATMENT,
        ),
        # Two short asks joined by "and" are read in the order asked.
        ("58M T2DM, BP 148/92, eGFR 48. First-line antihypertensive and target?", Ask.DRUG_CHOICE),
        # A change told in the next sentence after starting a medicine is what it does.
        (
            "started amlodipine 10mg 2 months ago. Now both my ankles are puffy. is this my "
            "heart failing?",
            Ask.SIDE_EFFECTS,
        ),
        (
            "started sertraline 50mg 10 days ago for depression. feel sick most mornings. is "
            "this normal?",
            Ask.SIDE_EFFECTS,
        ),
        # The dose of what the person takes is the story, not the ask.
        (
            "34F asthma, fluticasone 100 mcg BID, SABA 4x/wk, technique ok. step up to what?",
            Ask.TREATMENT,
        ),
        # How much to rest is care asked about.
        (
            "ER said concussion. Should we keep her in a dark room with no phone until the "
            "headache has gone?",
            Ask.TREATMENT,
        ),
        # Whoever gives a medicine to a child asks how much, not what it does to her.
        ("we have amoxicillin left over, can I just give her that? how much", Ask.DOSE),
        # Waiting as the plan asks whether to treat now, not a medicine's harms.
        (
            "The GP wants to hold off on antibiotics for his ear and see if it settles. Is that "
            "safe for a 2 year old?",
            Ask.TREATMENT,
        ),
    ],
)
def test_the_ask_is_what_the_question_wants(
    vocabulary: ConditionVocabulary, question: str, ask: Ask
) -> None:
    assert frame_question(question, vocabulary).ask is ask


@pytest.mark.parametrize(
    ("question", "effect"),
    [
        ("Can statins cause muscle pain and what should I do about it?", "muscle pain"),
        ("does metformin give you diarrhoea", "diarrhoea"),
        ("Can amlodipine make my ankles swell?", "ankles swell"),
        ("Side effects of allopurinol?", None),
        # Told after starting it, as a reader tells it.
        ("began sertraline on monday and i'm so dizzy, will it pass?", "dizziness"),
        # A medicine someone was given is no effect of one.
        ("had this last year and they gave me pills. do I need a urine test?", None),
        ("the walk-in centre gave her a course of antibiotics", None),
    ],
)
def test_the_effect_a_side_effect_question_asks_about(question: str, effect: str | None) -> None:
    assert asked_effect(question) == effect


def test_conditions_are_found_by_title_alias_and_lay_name(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("Treatment options for disc space loss in the lumbar spine", vocabulary)
    assert frame.conditions == ("disc space loss",)
    assert frame.condition_cards == ("degenerative-disc-disease",)
    lay = frame_question("My mum has an underactive thyroid, what helps?", vocabulary)
    assert lay.condition_cards == ("hypothyroidism",)
    named = frame_question("Is radiculopathy the same as sciatica?", vocabulary)
    assert named.condition_cards == ("sciatica",)


def test_acronyms_match_only_in_capitals(vocabulary: ConditionVocabulary) -> None:
    assert frame_question("Anticoagulation in AF?", vocabulary).condition_cards == (
        "atrial-fibrillation",
    )
    assert frame_question("Should I wear a cap in the sun?", vocabulary).condition_cards == ()
    for plural in ("Recurrent UTIs: prevention?", "how do i stop getting utis"):
        assert frame_question(plural, vocabulary).condition_cards == ("urinary-tract-infection",)
    assert frame_question("Caps for the team?", vocabulary).condition_cards == ()


@pytest.mark.parametrize(
    ("question", "populations"),
    [
        ("High blood pressure in pregnancy", ("pregnancy",)),
        ("First-line drug for hypertension in a Black man?", ("black_ethnicity", "male")),
        ("Black stools after iron tablets", ()),
        ("High blood pressure in a non-pregnant woman", ("female",)),
        ("Hypertension in a woman who is not pregnant", ("female",)),
        ("Gout treatment in CKD", ("kidney_disease",)),
        ("Gout treatment with no kidney disease", ()),
        ("Starting T4 in an 80-year-old with angina", ("older_adult", "cardiovascular_disease")),
        ("my mum is 84 and has an underactive thyroid", ("older_adult", "female")),
        ("Ear infection in my 3 year old", ("child",)),
        ("Can I take it while breastfeeding?", ("breastfeeding",)),
        ("Gout in a 40 year old man", ("male",)),
        ("My little boy keeps pulling at his ear", ("child", "male")),
        # A parent telling their life is no question about children.
        ("Im 38 with two kids and my sciatica is no better", ()),
        ("my two kids have sore throats", ("child",)),
        # A blood-pressure reading is not an age; "a man over 70" is.
        ("is 150 over 95 blood pressure dangerous", ()),
        ("Blood pressure in a man over 70", ("older_adult", "male")),
        # Someone pregnant asking about "the baby" means the unborn baby, not a child.
        ("I'm pregnant. Is omeprazole safe for the baby?", ("pregnancy",)),
        ("My baby has a cough and a temperature", ("child",)),
        ("29F on the combined pill, no plans for pregnancy right now. Topiramate?", ("female",)),
        # A clinician's shorthand for pregnancy: weeks of forty, gravida.
        ("29F G1 26/40, dysuria 2 days. Abx choice?", ("pregnancy", "female")),
        ("BP 150/40 on amlodipine", ()),
        # A clinician's list after "no" negates each item; "no better" negates nothing.
        ("52M, BP 152/96. No diabetes, CKD or CVD. Treat?", ("male",)),
        # A clinician's "62M" is a man; "101F" is a temperature.
        ("62M, dysuria and frequency for 2 days. Nitrofurantoin for how long?", ("male",)),
        ("Sore throat, temp 101F, no cough", ()),
        # Two conditions with cards of their own: the person has comorbidities.
        ("Outpatient CAP in a man with AF, which antibiotic?", ("male", "comorbidity")),
        ("my AF makes me out of breath when walking", ()),
        ("He is no better, CKD stage 3, what next?", ("kidney_disease",)),
        # "Baby aspirin" is a low dose, not a baby.
        ("On Brilinta: why only baby aspirin?", ()),
        # …and in a reader's words.
        ("Mum's kidneys aren't working well. Is naproxen OK?", ("kidney_disease", "female")),
        ("gout attack and my kidneys are bad too, what can i take", ("kidney_disease",)),
        # Someone giving advice is not whom the question is about.
        ("threw my back out, my mom says stay in bed. is that right?", ()),
        ("im 71. my wife said my mouth was drooping. up my amlodipine?", ()),
        ("My mum says her back is agony. What helps?", ("female",)),
        # A ten-year ASCVD risk is an estimate, not the disease.
        ("50M, 10-yr ASCVD 11%, LDL 140. statin?", ("male",)),
        # …nor a partner beside the reader, nor whose leftover medicine it was.
        ("my husband and I want to try for a baby. I have gout, is that ok?", ()),
        ("Is it ok to use the cream left over from my husband for my knee?", ()),
        ("My husband has gout in his toe, what helps?", ("male",)),
        ("I'm 68 and female and I've never had my bones checked", ("female",)),
        ("MRI says worn discs. Will I end up in a wheelchair like my grandad?", ()),
        # A relative's illness told as family history is a risk, not the reader's group.
        ("54M, LDL 195, no ASCVD. Father MI at 52. Statin? Intensity?", ("male",)),
        (
            "my dad had a stroke last week, what tablets should he be on?",
            ("cardiovascular_disease", "male"),
        ),
        # A pregnancy ruled out, and one now past, name no pregnancy.
        ("38F migraine w/o aura, not planning pregnancy. Next preventive?", ("female",)),
        (
            "32F, 6/52 postpartum, exclusively BF, gestational HTN. BP 152/98. Agent?",
            ("postpartum", "breastfeeding", "female"),
        ),
        # A rash partway through a penicillin course is an allergy told.
        ("Strep +. Delayed rash on day 7 of amoxicillin years ago. Abx?", ("allergy",)),
        # Secondary prevention is for people who have had cardiovascular disease.
        (
            "Statin for secondary prevention in cirrhosis?",
            ("liver_disease", "cardiovascular_disease"),
        ),
        # A reading told ("BP 104/66") is no second condition the person has.
        ("AF on bisoprolol 1.25 mg, high blood pressure 104/66 today. Go up?", ()),
        ("AF on bisoprolol 1.25 mg, and high blood pressure. Go up?", ("comorbidity",)),
        # …and so does a breastfeeding mother asking about her medicine.
        ("My baby is 8 weeks and breastfed, is sertraline safe for her?", ("breastfeeding",)),
    ],
)
def test_populations_are_negation_aware(
    vocabulary: ConditionVocabulary, question: str, populations: tuple[str, ...]
) -> None:
    assert frame_question(question, vocabulary).populations == populations


def test_a_brand_only_the_drug_library_knows_keeps_its_place_in_the_question(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("I take Synthroid with my calcium tablet. Is that ok?", vocabulary)
    assert frame.interventions[:2] == ("synthroid", "calcium"), frame.interventions


def test_drug_classes_in_clinicians_shorthand_are_interventions(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("T2DM, A1c 8.6 on metformin, BMI 36. GLP1 vs SGLT2i?", vocabulary)
    assert {"glp1", "sglt2i"} <= set(frame.interventions), frame.interventions


def test_a_childhood_reaction_told_as_history_names_no_child(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("CAP, 70F, penicillin allergy (hives as child). Options?", vocabulary)
    assert "child" not in frame.populations, frame.populations


def test_a_stent_told_names_heart_disease(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("I had two stents put in 3 years ago. Can I stop my statin?", vocabulary)
    assert "cardiovascular_disease" in frame.populations, frame.populations


def test_a_babys_age_beside_breastfeeding_is_not_the_readers(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question(
        "Mum breastfeeding a 3 month old asks if she can take her sumatriptan", vocabulary
    )
    assert frame.age_years is None and "child" not in frame.populations, frame


def test_an_anaphylaxis_to_a_medicine_tells_an_allergy(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("Centor 4, 30yo, penicillin anaphylaxis. Which antibiotic?", vocabulary)
    assert "allergy" in frame.populations, frame.populations


def test_interventions_and_comparator(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("Is apixaban better than warfarin for AF?", vocabulary)
    assert frame.interventions == ("apixaban", "warfarin")
    assert frame.comparator == "warfarin"
    assert frame.yes_no
    stem_cells = frame_question("Can stem cell injections fix my knee?", vocabulary)
    assert "stem cell" in stem_cells.interventions
    assert frame_question("Gout flare in April", vocabulary).interventions == ()
    # Food asked about must be in the evidence, or the answer says it is not (not a drug article).
    diet = frame_question("What foods should I avoid with gout?", vocabulary)
    assert "foods" in diet.interventions
    # "Will it heal without surgery?" asks about the course without it.
    assert frame_question("Will my disc heal without surgery?", vocabulary).interventions == ()
    assert frame_question("Can I manage without an operation?", vocabulary).interventions == ()
    surgery = frame_question("Am I ever going to need an operation for my disc?", vocabulary)
    assert surgery.interventions == ("operation",)
    # A measurement or a state that holds a treatment's word names no treatment.
    assert find_interventions("On metformin, fasting glucose around 165 mg/dL") == ("metformin",)
    assert find_interventions("T2DM diet-controlled, add dapagliflozin?") == ("dapagliflozin",)
    assert find_interventions("Is intermittent fasting good for diabetes?") == ("fasting",)
    assert without_lookalikes("Tai chi, a Walking stick.") == "Tai chi, a #############."
    # Either-or in either order is a comparison.
    either = frame_question("Flexeril or ibuprofen for my back?", vocabulary)
    assert either.comparator is not None


def test_a_follow_up_inherits_what_it_leaves_out(vocabulary: ConditionVocabulary) -> None:
    earlier = frame_question(
        "Starting dose of levothyroxine for an underactive thyroid", vocabulary
    )
    follow_up = frame_question("And what if she is over 75 with angina?", vocabulary)
    merged = inherit(follow_up, earlier)
    assert merged.ask is Ask.DOSE
    assert merged.condition_cards == ("hypothyroidism",)
    assert merged.interventions == ("levothyroxine",)
    assert merged.populations == ("older_adult", "cardiovascular_disease")
    replaced = inherit(frame_question("What about gout?", vocabulary), earlier)
    assert replaced.condition_cards == ("gout",)


def test_frame_round_trips_through_json(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("Is apixaban better than warfarin for AF in pregnancy?", vocabulary)
    assert QuestionFrame.from_json(frame.to_json()) == frame


def test_statements_address_a_population_unless_negated() -> None:
    rules = frame_rules()
    assert rules.addresses("older_adult", "For adults aged 65 or over, start low.")
    assert not rules.addresses("older_adult", "For adults under 65, start at full dose.")
    assert rules.addresses("pregnancy", "Labetalol is used in pregnancy.")
    assert not rules.addresses("pregnancy", "In non-pregnant adults, offer an ACE inhibitor.")
    # A stroke, like a heart attack, is atherosclerotic disease; stroke prevention in AF is not.
    assert rules.addresses("cardiovascular_disease", "For clinical ASCVD, a high-intensity statin.")
    assert rules.addresses("cardiovascular_disease", "After heart attacks or strokes, aim lower.")
    assert not rules.addresses("cardiovascular_disease", "A DOAC for stroke prevention in AF.")
    assert not rules.addresses("cardiovascular_disease", "A 10-year PREVENT-ASCVD risk of 10%.")


def test_a_stroke_had_is_heart_and_vessel_disease(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("Statin intensity after an ischaemic stroke?", vocabulary)
    assert "cardiovascular_disease" in frame.populations
    assert frame_question("How is stroke risk in AF assessed?", vocabulary).populations == ()


def test_a_gout_attack_and_lowering_urate_are_different_questions() -> None:
    rules = frame_rules()
    question = "Which medicine first for my gout attack?"
    assert rules.other_subtype(question, "To lower uric acid, you start with allopurinol.")
    assert not rules.other_subtype(question, "A gout attack can be treated with colchicine.")
    # A drug the person is starting is not the kind of question asked.
    assert rules.subtypes_named("I'm starting allopurinol. How long for?") == frozenset()
    # "Acute gout" is a flare; the dose to start allopurinol at is about lowering urate.
    assert rules.other_subtype(
        "acute gout, CKD 3b, on apixaban. tx?", "Start allopurinol at 100 mg a day or less."
    )


def test_what_is_usually_tried_first_asks_the_first_choice() -> None:
    rules = frame_rules()
    assert rules.first_choice_asked.search("Newly diagnosed COPD: which inhaler first?")
    assert rules.first_choice_asked.search("What's usually tried first?")
    assert rules.first_choice_words.search("PPIs are often tried first for 8 weeks.")


def test_what_someone_was_told_about_or_calls_good_is_a_thing_asked_about() -> None:
    assert slot_phrases("Is sea moss good for an underactive thyroid?") == ("sea moss",)
    told = "Someone told him about red light therapy (Valeda) to stop it getting worse"
    assert slot_phrases(told) == ("red light therapy",)
    assert slot_phrases("the wraps I keep seeing on Amazon") == ()
    # What someone wants to switch to is asked about too.
    switch = "Wants to stop LT4 and switch to kelp tablets + selenium to fix the root cause"
    assert slot_phrases(switch) == ("kelp tablets",)
    assert slot_phrases("can I change to a different statin") == ()
    # …and told the other way round: the thing swapped in.
    swap = "can i swap my levothyroxine for iodine drops and ashwaganda?"
    assert slot_phrases(swap) == ("iodine drops",)
    assert slot_phrases("can i swap my inhaler for a nebuliser") == ()
    # A circumstance denied is not named: "not planning pregnancy".
    planning = next(c for c in frame_rules().contexts if c.named_in("planning a pregnancy soon"))
    assert not planning.named_in("34F migraine, not planning pregnancy. Preventive choice?")
    # A harm someone read about is no thing that might help.
    harm = "she read about jaw bone dying and thigh bone breaks and wants to stop"
    assert slot_phrases(harm) == ()


def test_a_second_question_after_a_comma_is_its_own_clause() -> None:
    from bedside.analyse.frame import asked_clauses

    two = "He seems fine. When can he go back to school, and does he need to finish all 10 days?"
    assert asked_clauses(two) == [
        "When can he go back to school",
        "does he need to finish all 10 days?",
    ]
    one = "When should the empagliflozin be held and when can it restart?"
    assert asked_clauses(one) == [one]
    # "… and how long …" opens a question of its own even with no comma.
    assert asked_clauses("what antibiotic can she have and how long does she need off school?") == [
        "what antibiotic can she have",
        "how long does she need off school?",
    ]
    # …and "… and should he …": "how long till he can play again and should he go to school?"
    assert asked_clauses("how long till he can play again and should he go to school?") == [
        "how long till he can play again",
        "should he go to school?",
    ]
    # …and "… and when can she …" after a question of another kind
    assert asked_clauses("how many days of penicillin does she need and when can she go back?") == [
        "how many days of penicillin does she need",
        "when can she go back?",
    ]


def test_a_filler_word_in_the_slot_is_not_a_thing_asked_about() -> None:
    from bedside.analyse.frame import slot_phrases

    assert slot_phrases("What treatments are actually worth trying?") == ()
    assert slot_phrases("what can i do at home to help my heart failure") == ()
    assert slot_phrases("Would cupping really help my back?") == ("cupping",)
    # "before seeing a doctor" says when, not what to try.
    assert slot_phrases("What can I try before seeing a doctor?") == ()
    assert slot_phrases("Can I try ginger for my nausea?") == ("ginger",)


def test_a_blood_level_in_mg_per_dl_is_not_a_dose_question(
    vocabulary: ConditionVocabulary,
) -> None:
    question = "First gout flare, urate 7.8 mg/dL, no stones: start urate-lowering therapy?"
    assert frame_question(question, vocabulary).ask is not Ask.DOSE
    assert frame_question("Allopurinol 100 mg or 300 mg to start?", vocabulary).ask is Ask.DOSE


@pytest.mark.parametrize(
    ("question", "statement", "other"),
    [
        ("Drug class for HFpEF?", "For HFrEF, four drug classes are recommended.", True),
        ("Drug class for HFpEF?", "In HFpEF, SGLT2 inhibitors have a class 2a rating.", False),
        ("Drugs for heart failure?", "For HFrEF, four drug classes are recommended.", False),
        (
            "Heart failure with mildly reduced ejection fraction: drugs?",
            "In heart failure with reduced ejection fraction, four classes are used.",
            True,
        ),
        ("Statin in type 2 diabetes?", "In type 1 diabetes, test thyroid function.", True),
        ("Statin in type 2 diabetes?", "Offer a statin to adults with diabetes.", False),
        (
            "On levothyroxine and still tired: raise the dose?",
            "In subclinical hypothyroidism with TSH 10 or more, consider levothyroxine.",
            True,
        ),
        (
            "My blood pressure has crept up now I'm 30 weeks pregnant. Which tablets are safe?",
            "For chronic hypertension in pregnancy, consider labetalol.",
            True,
        ),
        (
            "8/40 pregnant, known essential HTN on ramipril. What do I switch to?",
            "For chronic hypertension in pregnancy, consider labetalol.",
            False,
        ),
    ],
)
def test_a_statement_only_about_another_kind_of_the_condition_is_told_apart(
    question: str, statement: str, other: bool
) -> None:
    assert frame_rules().other_subtype(question, statement) is other


def test_lower_case_acronyms_name_their_card_unless_they_are_words() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("urinary-tract-infection", "Cystitis", ["UTI"]), ("pneumonia", "Pneumonia", ["CAP"])]
    )
    assert vocabulary.find("3rd uti this year")[0][1] == ("urinary-tract-infection",)
    assert vocabulary.find("wore a cap in the sun") == []
    assert vocabulary.find("CAP in a 70-year-old")[0][1] == ("pneumonia",)


def test_a_drug_goes_by_its_class_from_its_inn_stem() -> None:
    rules = frame_rules()
    assert "triptan" in rules.names_used_for("sumatriptan")
    assert "sglt2 inhibitor" in rules.names_used_for("empagliflozin")
    assert rules.names_used_for("april") == ()  # too short to be a "-pril" drug
    # A word the drug library does not know is no member of the class its ending suggests.
    assert rules.names_used_for("fictotriptan") == ()
    assert rules.drug_classes("fictoxaban") == ()
    assert "doac" in rules.drug_classes("edoxaban")


@pytest.mark.parametrize(
    ("term", "question", "context"),
    [
        ("tums", "heartburn every night and tums arent cutting it anymore", True),
        ("ibuprofen", "the ibuprofen isn't helping my back", True),
        ("xarelto", "hit my head, im on xarelto, now a bad headache", True),
        ("amiodarone", "My husband takes amiodarone and the doctor wants harvoni", True),
        ("harvoni", "My husband takes amiodarone and the doctor wants harvoni", False),
        ("ibuprofen", "does ibuprofen help back pain", False),
        ("noradrenaline", "CAP needing noradrenaline: which antibiotic?", True),
        ("surgery", "Will I end up needing surgery for my sciatica?", False),
        # Every item of a clinician's "on" list is context; what the question starts is not.
        ("bisoprolol", "HFrEF EF 30% on ramipril, bisoprolol, spiro. Start dapagliflozin?", True),
        ("ramipril", "HFrEF EF 30% on ramipril, bisoprolol, spiro. Start dapagliflozin?", True),
        ("dapagliflozin", "HFrEF on ramipril, bisoprolol. Start dapagliflozin?", False),
        ("atorvastatin", "74F, on apixaban + atorvastatin 40. Best flare treatment?", True),
        ("tramadol", "Is it safe to be on sertraline and tramadol?", False),
        # The medicine the person takes "with my …" beside the one asked about.
        ("lisinopril", "is it ok to take ibuprofen with my lisinopril for my knee", True),
        ("ibuprofen", "is it ok to take ibuprofen with my lisinopril for my knee", False),
        # A carer's story lists what the person takes; each item is context.
        ("sertraline", "He also takes aspirin 75mg and sertraline. GP wants to cut it.", True),
        ("furosemide", "She takes amlodipine, doxazosin and furosemide. Is that right?", True),
        ("metformin", "He's on warfarin, bisoprolol and metformin. Is turmeric ok?", True),
        ("levothyroxine", "I take levothyroxine with my coffee, is that ok?", False),
        # The GP's surgery is a place, not an operation.
        ("surgery", "The surgery is closed till Monday - can this wait?", True),
        # A course already finished is the story, not the question.
        ("amoxicillin", "My son finished amoxicillin for an ear infection 2 weeks ago.", True),
        # Two medicines the story says she is on; but a question about being on two asks.
        ("ramipril", "Mum is 83 and on amlodipine and ramipril. Could it be her tablets?", True),
        ("surgery", "Is surgery better than waiting for my slipped disc?", False),
        # What the person uses is context; what they ask whether to use is not.
        ("fostair", "I'm 72 with COPD, use a Fostair steroid inhaler. Sore throat?", True),
        ("inhaler", "I use a blue inhaler every day for my asthma", True),
        ("inhaler", "Should I use a steroid inhaler?", False),
        # A clinician's age and sex before "on": "76F on levo 125mcg".
        ("levo", "76F on levo 125mcg, TSH 0.08, asymptomatic. Reduce?", True),
        # A course told with its dose and length: "sertraline 50 x 6/52".
        ("citalopram", "Low mood, citalopram 20 x 8/52, little change. Switch?", True),
        ("sertraline", "Would sertraline 50 for 6 weeks be enough?", False),
        # A medicine proposed is what is asked about; one put on in the past is taken.
        ("tramadol", "gp wants to put me on tramadol long term. is that a good idea", False),
        ("tramadol", "The GP put me on tramadol last month", True),
        # A medicine said not to help, however it is put.
        ("paracetamol", "taking paracetamol which does nothing. should i get an mri?", True),
        ("paracetamol", "paracetamol isnt really touching it. should I push for an MRI", True),
    ],
)
def test_a_medicine_taken_or_tried_is_context_not_the_question(
    term: str, question: str, context: bool
) -> None:
    assert is_context(term, question) is context


def test_a_relative_someone_compares_themselves_with_is_not_whom_the_question_is_about() -> None:
    vocabulary = ConditionVocabulary.from_cards([("osteoporosis", "Osteoporosis", ["bones"])])
    him = frame_question(
        "I'm a 70-year-old man. Should I get a bone density test like my wife did?", vocabulary
    )
    assert "male" in him.populations and "female" not in him.populations
    both = frame_question("My wife and I both have weak bones: which tablets?", vocabulary)
    assert "female" in both.populations


def test_a_headache_beside_another_condition_is_its_symptom_not_a_second_condition() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("concussion", "Concussion", ["concussed"]), ("migraine", "Migraine", ["headache"])]
    )
    beside = frame_question("Got concussed yesterday, banging headache. Ibuprofen ok?", vocabulary)
    assert beside.condition_cards == ("concussion",)
    alone = frame_question("What helps a headache that keeps coming back?", vocabulary)
    assert alone.condition_cards == ("migraine",)


def test_a_pregnancy_told_in_the_past_is_not_one_now_for_a_breastfeeding_mother() -> None:
    vocabulary = ConditionVocabulary.from_cards([("diabetes", "Type 2 diabetes", ["type 2"])])
    question = (
        "Can I keep taking metformin while breastfeeding my 2 week old? I had type 2 before "
        "the pregnancy and was switched to insulin while pregnant."
    )
    assert frame_question(question, vocabulary).populations == ("breastfeeding",)
    both = frame_question("Pregnant again and still breastfeeding: is metformin OK?", vocabulary)
    assert set(both.populations) >= {"pregnancy", "breastfeeding"}


def test_a_mother_after_the_birth_is_not_a_child_and_a_tool_name_is_not_children() -> None:
    vocabulary = ConditionVocabulary.from_cards([("depression", "Depression", [])])
    mother = frame_question("I had a baby three months ago and feel flat all the time", vocabulary)
    assert mother.populations == ("postpartum",)
    assert frame_question("My baby has a fever", vocabulary).populations == ("child",)
    rules = frame_rules()
    assert not rules.addresses("child", "Use the SCAT6 or Child SCAT6 in the first 72 hours.")
    assert rules.addresses("child", "Refer children aged 6 or older.")


def test_a_medicine_allergy_is_a_population_and_an_allergic_condition_is_not() -> None:
    vocabulary = ConditionVocabulary.from_cards([("asthma", "Asthma", [])])
    allergic = frame_question("I'm allergic to penicillin. Which antibiotic?", vocabulary)
    assert allergic.populations == ("allergy",)
    hyphenated = frame_question("Sore throat in a penicillin-allergic adult", vocabulary)
    assert hyphenated.populations == ("allergy",)
    assert frame_rules().addresses("allergy", "For penicillin-allergic adults, use a macrolide.")
    assert frame_question("Is my asthma allergic asthma?", vocabulary).populations == ()


def test_no_other_conditions_is_a_population_that_needs_no_caveat() -> None:
    vocabulary = ConditionVocabulary.from_cards([("cap", "Community-acquired pneumonia", [])])
    question = (
        "Empirical antibiotic for community-acquired pneumonia in an adult without comorbidities"
    )
    assert frame_question(question, vocabulary).populations == ("otherwise_healthy",)
    rules = frame_rules()
    assert rules.addresses("otherwise_healthy", "For healthy adult outpatients, amoxicillin.")
    assert rules.contradicts("otherwise_healthy", "For adults with comorbidities, add a macrolide.")
    # Like sex, it is said only where a line is about the other group.
    assert not rules.needs_saying("otherwise_healthy")


def test_a_story_ending_in_a_yes_or_no_question_is_a_yes_or_no_question() -> None:
    vocabulary = ConditionVocabulary.from_cards([("back", "Back pain", [])])
    story = "I've had back pain for a year. Would steroid injections in my spine help?"
    assert frame_question(story, vocabulary).yes_no
    assert not frame_question("I've had back pain for a year. What helps?", vocabulary).yes_no
    # "…, if any, …" asks whether any is worth having before which one.
    assert frame_question("Which injection, if any, helps back pain?", vocabulary).yes_no
    assert not frame_question("Which injection helps back pain?", vocabulary).yes_no
    assert frame_question("Am I ever going to need an operation?", vocabulary).yes_no


@pytest.mark.parametrize(
    ("question", "tried"),
    [
        ("He has been on amoxicillin for three days and is no better. What now?", True),
        ("Low back pain that has not responded to physiotherapy: next steps?", True),
        ("My bisphosphonate tablets upset my stomach. What's the alternative?", True),
        ("The preventer didn't seem to work, so I stopped it after three weeks.", True),
        ("His heart failure keeps getting worse even on all his tablets.", True),
        ("Persistent wheeze despite low-dose ICS: next step?", True),
        ("Metformin not tolerated because of GI upset: alternatives?", True),
        ("Step-up options for asthma uncontrolled on low-dose ICS-formoterol?", True),
        ("I can't have blood thinners because I had a big bleed. Anything else?", True),
        ("I'm allergic to penicillin. Which antibiotic can I have?", True),
        ("Switching antidepressants after inadequate response to an SSRI", True),
        ("What to do after no response to two triptans?", True),
        ("He's been on amoxicillin for his ear for 3 days and still has a fever", True),
        ("Reflux on omeprazole 20 mg od, still nocturnal symptoms after 8 weeks. Next step?", True),
        ("I'm on amlodipine and my ankles are swollen", False),
        ("How is heart failure treated?", False),  # "failure" is not a failed treatment
        ("Does acupuncture work for back pain?", False),
        ("Is it better to rest or keep moving?", False),
        ("What response to treatment should I expect?", False),
        ("His kidneys aren't working well. Can he carry on with metformin?", False),
        ("hes had calpol and nurofen but still screaming at night", True),
        ("Inadequate response at full dose; topiramate stopped for side effects", True),
        # Asking whether to raise the dose or change drug; a side effect told on a drug.
        ("Citalopram 20 for two months, a bit better. Up the dose or switch?", True),
        ("Muscle aches on simvastatin 40 and then pravastatin. What else?", True),
        ("On ramipril 5, clinic BP 148/94. Add what?", True),
        ("Citalopram 40 x 10/52, partial response. Switch or augment?", True),
        ("On bisoprolol and ramipril, EF 35%, still breathless. Next?", True),
    ],
)
def test_a_treatment_tried_without_success_is_read(question: str, tried: bool) -> None:
    vocabulary = ConditionVocabulary.from_cards([("hf", "Heart failure", [])])
    assert frame_question(question, vocabulary).treatment_tried is tried


def test_how_to_take_a_medicine_best_is_no_thing_asked_about() -> None:
    assert slot_phrases("What is the best way to take alendronate?") == ()


def test_asked_whether_they_are_safe_is_a_question_on_harms(
    vocabulary: ConditionVocabulary,
) -> None:
    assert frame_question("Are bone density scans safe?", vocabulary).ask is Ask.SIDE_EFFECTS
    assert frame_question("Can I go to work with back pain?", vocabulary).ask is Ask.PROGNOSIS


def test_whether_a_dose_is_right_asks_how_it_is_checked(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("How do I know if my thyroid medicine dose is right?", vocabulary)
    assert frame.ask is Ask.MONITORING


def test_stopping_a_medicine_is_no_activity_asked_about() -> None:
    assert slot_phrases("Is it safe to stop my statin?") == ()
    assert slot_phrases("Is it safe to fly after pneumonia?") == ("fly",)


def test_going_back_to_work_is_no_thing_asked_about() -> None:
    # "work" after "return to" is a place to go back to, not "does X work?".
    assert slot_phrases("When can a patient return to work after pneumonia?") == ()
    assert slot_phrases("Does acupuncture work for back pain?") == ("acupuncture",)


def test_a_possessive_before_the_thing_asked_is_not_part_of_its_name() -> None:
    assert slot_phrases("should i give her calpol") == ("calpol",)


def test_getting_back_to_normal_is_not_a_thing_asked_about() -> None:
    assert slot_phrases("When can he start getting back to normal activities?") == ()


def test_the_pill_is_the_contraceptive_pill_not_any_tablet() -> None:
    assert "the pill" in find_interventions("i get migraines with aura, can i take the pill")
    assert "the pill" not in find_interventions("how many pills of paracetamol can i take")


def test_mild_asthma_and_asthma_uncontrolled_on_a_medium_dose_are_different_questions() -> None:
    rules = frame_rules()
    question = "Add-on therapy for asthma uncontrolled on medium-dose ICS-LABA"
    assert rules.other_subtype(question, "In mild asthma, as-needed ICS-formoterol cut attacks.")
    assert not rules.other_subtype(
        question, "ICS-formoterol as needed at steps 1–2, and as MART at steps 3–5."
    )


def test_treating_an_attack_and_preventing_attacks_are_different_questions() -> None:
    rules = frame_rules()
    question = "Preventive treatment for episodic migraine with four attacks a month"
    acute = "Take combination acute treatment as early as possible in the attack."
    assert rules.other_subtype(question, acute)
    assert not rules.other_subtype(question, "For preventing migraine, the first choice is …")
    assert rules.other_subtype("What stops a migraine attack?", "Preventive treatment means …")


def test_a_pregnant_reader_is_a_woman_so_a_line_only_for_men_is_for_someone_else() -> None:
    rules = frame_rules()
    men = "Men with a bladder infection should give a urine sample and start antibiotics."
    assert rules.contradicts("pregnancy", men)
    assert rules.contradicts("breastfeeding", men)
    assert not rules.contradicts("pregnancy", "In pregnancy, nitrofurantoin is first choice.")
    assert not rules.contradicts("child", men)


def test_a_preventer_inhaler_is_no_question_about_prevention() -> None:
    vocabulary = ConditionVocabulary.from_cards([("asthma", "Asthma", ["preventer inhaler"])])
    frame = frame_question(
        "What is the difference between a reliever and a preventer inhaler?", vocabulary
    )
    assert frame.ask is not Ask.PREVENTION
    assert frame_question("How can I prevent asthma attacks?", vocabulary).ask is Ask.PREVENTION
    assert frame_rules().prevention_words.search("It cuts serious asthma attacks by 60%.")


def test_every_rule_for_one_ask_names_the_same_sections() -> None:
    # The first rule of an ask sets its sections (`sections_for`): a later rule that lists others
    # would silently change how every question of that ask is answered.
    # (A general question always prefers `general_sections`, whatever its rules list.)
    by_ask: dict[Ask, tuple[str, ...]] = {}
    for rule in frame_rules().asks:
        if rule.ask is not Ask.GENERAL:
            assert by_ask.setdefault(rule.ask, rule.sections) == rule.sections, rule.ask


@pytest.mark.parametrize(
    ("question", "ruled_out"),
    [
        ("Antibiotic for pneumonia with a penicillin allergy?", ("penicillin",)),
        ("I'm allergic to penicillin, what can I take?", ("penicillin",)),
        ("I can't take NSAIDs because of my stomach. What else for my knee?", ("nsaids",)),
        ("I can't take tablets easily. What else?", ()),
        ("Is amoxicillin safe in pregnancy?", ()),
        ("I can't have blood thinners after a big bleed. Anything else?", ("blood thinners",)),
        ("I'm allergic to penicillin and amoxicillin, what can I take?", ("penicillin",)),
        # An allergy to one penicillin rules out them all (by the generic name of a brand
        # too); an intolerance does not.
        (
            "Tonsillitis, had anaphylaxis to amoxicillin as a baby. Which drug?",
            ("amoxicillin", "penicillin"),
        ),
        ("He came out in hives from Amoxil last winter", ("amoxil", "penicillin")),
        ("I can't tolerate amoxicillin, it gives me diarrhoea", ("amoxicillin",)),
    ],
)
def test_the_medicine_that_cannot_be_taken_is_read(
    question: str, ruled_out: tuple[str, ...]
) -> None:
    assert ruled_out_medicines(question) == ruled_out


def test_a_line_on_a_drug_of_the_ruled_out_class_names_it_unless_it_gives_the_alternative() -> None:
    assert names_ruled_out("Flucloxacillin is the first choice.", ("penicillin",))
    assert names_ruled_out("Amoxicillin 1 g three times daily.", ("penicillin",))
    assert not names_ruled_out("Doxycycline 100 mg twice daily.", ("penicillin",))
    assert not names_ruled_out(
        "For people allergic to penicillin, clarithromycin is used.", ("penicillin",)
    )
    # An alternative that is itself of the ruled-out class is none: warfarin is a blood thinner,
    # though not for someone who cannot take only apixaban.
    warfarin_instead = "When DOACs are unsuitable, warfarin is used instead."
    assert names_ruled_out(warfarin_instead, ("blood thinners",))
    assert not names_ruled_out(warfarin_instead, ("apixaban",))


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("My son's ear is discharging pus. Does he need drops?", ("drops",)),
        ("Does he need a hearing aid?", ("hearing aid",)),
        ("Do I need another swab to prove it's gone?", ("swab",)),
        # A medicine in general, or needing to do something, names no thing.
        ("Do I need a daily tablet?", ()),
        ("Does she need to go to hospital?", ()),
        ("Do I need treatment?", ()),
    ],
)
def test_what_a_question_says_is_needed_is_the_thing_asked_about(
    question: str, things: tuple[str, ...]
) -> None:
    assert slot_phrases(question) == things


def test_screens_are_devices_not_screening() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    devices = frame_question("Can my daughter use screens after a concussion?", vocabulary)
    assert devices.ask is not Ask.PREVENTION
    screening = frame_question("Should I be screened for gout?", vocabulary)
    assert screening.ask is Ask.PREVENTION


@pytest.mark.parametrize(
    ("question", "line", "other"),
    [
        (
            "Which antibiotic for my daughter's cellulitis?",
            "Antibiotics to stop cellulitis coming back are reviewed every 6 months.",
            True,
        ),
        (
            "My cellulitis keeps coming back. What can I do?",
            "Antibiotics to stop cellulitis coming back are reviewed every 6 months.",
            False,
        ),
        ("I've stopped enjoying things. Is this depression?", "Taper the antidepressant.", True),
        ("How do I come off my antidepressant?", "Taper the antidepressant.", False),
        # A gout attack told as happening now is not answered by when to lower uric acid…
        (
            "Woke up with my big toe red and swollen, what do I do?",
            "A medicine to lower uric acid is often started a few weeks after an attack.",
            True,
        ),
        # …which any other gout question may be.
        (
            "How is gout managed?",
            "A medicine to lower uric acid is often started a few weeks after an attack.",
            False,
        ),
        (
            "Does she need antibiotics for her ear infection?",
            "Children with ear discharge (otorrhoea) should get antibiotics.",
            True,
        ),
        (
            "Coach wants him back for the match next weekend after his concussion, ok?",
            "Anyone who might have a concussion during sport should stop playing straight away.",
            True,
        ),
        (
            "My statin has pushed my sugar up, should I stop it?",
            "Do not stop a statin because blood glucose or HbA1c has risen.",
            False,
        ),
        (
            "My legs ache on my statin, should I stop it?",
            "Do not stop a statin because blood glucose or HbA1c has risen.",
            True,
        ),
    ],
)
def test_a_line_about_a_circumstance_is_other_context_unless_the_question_names_it(
    question: str, line: str, other: bool
) -> None:
    assert frame_rules().other_context(question, line) is other


@pytest.mark.parametrize(
    "question",
    [
        "Second-line agent after metformin in type 2 diabetes?",
        "What is the next drug to add on top of allopurinol?",
    ],
)
def test_a_second_line_question_asks_past_the_first_line(
    question: str, vocabulary: ConditionVocabulary
) -> None:
    assert frame_question(question, vocabulary).treatment_tried


def test_a_line_setting_aside_the_circumstance_asked_is_about_another() -> None:
    rules = frame_rules()
    rugby = "When can he play rugby again after his concussion?"
    assert rules.other_context(rugby, "Go back to everyday things other than sport.")
    assert rules.asked_context(rugby, "Getting back to sport takes 6 steps.")
    assert not rules.asked_context(rugby, "Go back to everyday things other than sport.")
    # A question that does not name sport is not answered by the steps back to it.
    assert rules.other_context("Will his headaches get better?", "Getting back to sport …")


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("What can I take when a migraine starts?", Ask.DRUG_CHOICE),
        ("What should I take for my gout attack?", Ask.DRUG_CHOICE),
    ],
)
def test_what_to_take_asks_for_a_medicine(
    question: str, ask: Ask, vocabulary: ConditionVocabulary
) -> None:
    assert frame_question(question, vocabulary).ask is ask


def test_an_attack_starting_is_about_acute_treatment() -> None:
    rules = frame_rules()
    named = rules.subtypes_named("What can I take when a migraine starts?")
    assert "acute_treatment" in named


def test_a_treatment_that_does_not_seem_to_be_working_has_been_tried(
    vocabulary: ConditionVocabulary,
) -> None:
    question = "My inhaler doesn't seem to be working as well. What should I do?"
    assert frame_question(question, vocabulary).treatment_tried


def test_cardiac_disease_is_heart_disease(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question("SSRI choice in depression with cardiac disease", vocabulary)
    assert "cardiovascular_disease" in frame.populations


@pytest.mark.parametrize(
    ("question", "line", "other"),
    [
        # Planning a pregnancy is a circumstance only a question about it asks about.
        (
            "I've just found out I'm pregnant. Will my dose change?",
            "If you plan to get pregnant, have your TSH checked first.",
            True,
        ),
        (
            "Can I get pregnant while taking levothyroxine?",
            "If you plan to get pregnant, have your TSH checked first.",
            False,
        ),
        # So is asthma that is not under control.
        (
            "I only use my reliever and I'm fine. Is that OK?",
            "If your asthma is not under control, ask for a review.",
            True,
        ),
        (
            "My inhaler doesn't seem to be working. What now?",
            "If your asthma is not under control, ask for a review.",
            False,
        ),
    ],
)
def test_a_line_about_a_circumstance_answers_only_a_question_naming_it(
    question: str, line: str, other: bool
) -> None:
    assert frame_rules().other_context(question, line) is other


@pytest.mark.parametrize(
    "question",
    [
        "I have had cystitis three times this year. What can I do?",
        "He gets ear infections all the time. Should he have grommets?",
    ],
)
def test_an_illness_that_keeps_coming_back_is_a_circumstance_asked_about(question: str) -> None:
    assert frame_rules().asked_context(question, "If infections keep coming back, tubes may help.")


def test_grommets_are_what_us_guidance_calls_tympanostomy_tubes() -> None:
    assert "tympanostomy tubes" in frame_rules().names_used_for("grommets")


def test_a_line_that_adds_a_drug_is_a_next_step() -> None:
    # "Ezetimibe add-on to a statin?" asks past the statin; the line that adds it answers.
    assert frame_rules().next_step.search("The guideline adds ezetimibe to statin therapy.")


def test_uncontrolled_asthma_is_not_favoured_where_step_up_lines_answer() -> None:
    # Step-up lines rarely say "uncontrolled", so the line that does is not favoured for a
    # question naming it; a question not naming it still ranks it lower.
    rules = frame_rules()
    question = "Step-up options for asthma uncontrolled on as-needed ICS-formoterol?"
    assert not rules.asked_context(
        question, "If your asthma is not under control, ask for a review."
    )
    assert rules.next_step.search("If your asthma is not under control, ask for a review.")
    # "sport-related concussion" is the setting, not a question about going back to sport.
    setting = "Which tool after sport-related concussion?"
    assert not rules.asked_context(setting, "Getting back to sport takes 6 steps.")


def test_a_penicillin_named_unless_the_reader_is_allergic_is_still_ruled_out() -> None:
    from bedside.analyse.frame import names_ruled_out

    first_choice = (
        "High-dose amoxicillin is the first choice, unless the child is allergic to penicillin."
    )
    assert names_ruled_out(first_choice, ("penicillin",))
    alternative = "For people allergic to penicillin, clarithromycin is advised."
    assert not names_ruled_out(alternative, ("penicillin",))


def _cue_cases() -> list[object]:
    return [
        pytest.param(name, text, expected, id=f"{name}: {text[:40]}")
        for name, cue in sorted(frame_rules().cues.items())
        for expected, texts in ((True, cue.examples), (False, cue.not_examples))
        for text in texts
    ]


@pytest.mark.parametrize(("name", "text", "expected"), _cue_cases())
def test_each_cue_finds_its_examples_and_not_its_not_examples(
    name: str, text: str, expected: bool
) -> None:
    assert bool(frame_rules().cue(name).search(text)) is expected


def test_every_cue_has_examples_both_ways() -> None:
    for name, cue in frame_rules().cues.items():
        assert cue.examples and cue.not_examples, name


def test_a_cue_without_examples_or_with_a_broken_pattern_is_refused_by_name() -> None:
    from bedside.analyse.frame import CueRule

    with pytest.raises(ValueError, match="cue 'aim_words' needs 'examples'"):
        CueRule.from_mapping("aim_words", {"pattern": r"\baim\b"})
    with pytest.raises(ValueError, match="cue 'aim_words' pattern"):
        CueRule.from_mapping("aim_words", {"pattern": "(aim", "examples": ["aim"]})


def test_an_unknown_cue_names_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match=r"no cue 'aims'.*aim_words"):
        frame_rules().cue("aims")


def test_losing_weight_is_found_where_guidance_speaks_of_weight_management() -> None:
    stems = set(content_stems("Weight management is a central part of type 2 diabetes care."))
    assert frame_rules().mentions("losing weight", stems)
    assert not frame_rules().mentions("losing weight", set(content_stems("Take it with food.")))


def test_going_back_to_an_activity_puts_the_activity_in_the_slot() -> None:
    assert "driving" in slot_phrases("can I go back to driving after a concussion")
    assert "the gym" not in slot_phrases("When can I get back to work?")


def test_when_to_take_it_is_asked_in_either_order_and_a_heart_attack_is_no_meal() -> None:
    rules = frame_rules()
    assert rules.timing_asked.search("is it ok to take my statin at night or in the morning")
    assert rules.timing_asked.search("Morning or evening for my blood pressure tablet?")
    assert not rules.timing_words.search("After a heart attack, a strong statin is advised.")
    assert rules.timing_words.search("Take it an hour before breakfast.")


def test_a_cortisone_shot_is_found_where_sources_say_steroid_injection() -> None:
    stems = set(content_stems("Consider an epidural injection of local anaesthetic and steroid."))
    assert frame_rules().mentions("cortisone shot", stems)


def test_a_gabapentinoid_is_found_where_sources_name_the_class() -> None:
    stems = set(content_stems("Do not offer anticonvulsants for chronic low back pain."))
    assert frame_rules().mentions("pregabalin", stems)
    assert not frame_rules().mentions("pregabalin", set(content_stems("Offer exercise.")))


def test_pe_at_school_is_exercise_but_a_pe_alone_is_not() -> None:
    rules = frame_rules()
    warm_up = "Exercise can bring on asthma symptoms; a good warm-up makes this less likely."
    assert rules.asked_context("my son has asthma, can he still do PE at school", warm_up)
    assert not rules.asked_context("Is a PE likely after my long flight?", warm_up)


@pytest.mark.parametrize(
    ("question", "kidney"),
    [
        ("First-line treatment for cystitis in a woman with eGFR 60?", False),
        ("eGFR of 75: metformin dose?", False),
        ("Nitrofurantoin for cystitis in a woman with eGFR 28?", True),
        ("Should the eGFR be checked before starting metformin?", True),
    ],
)
def test_an_egfr_of_60_or_more_is_no_kidney_disease(question: str, kidney: bool) -> None:
    assert bool(frame_rules().population("kidney_disease").question.search(question)) is kidney


def test_after_you_start_a_medicine_is_not_about_exercise() -> None:
    rules = frame_rules()
    question = "is it normal to get a flare of gout when I just started allopurinol"
    flares = "Gout attacks can be more likely in the first few months after you start a medicine."
    assert not rules.other_context(question, flares)
    inhaler = "A quick-relief inhaler used just before you start can prevent symptoms."
    assert rules.other_context("Is my inhaler safe in pregnancy?", inhaler)


def test_allopurinol_is_found_where_a_plain_line_says_a_uric_acid_medicine() -> None:
    plain = "With a new uric acid medicine, you also take a medicine to prevent attacks."
    assert frame_rules().mentions("allopurinol", set(content_stems(plain)))


def test_asked_sentences_are_those_that_ask_not_the_story() -> None:
    asked = asked_sentences(
        "5 yr old, strep throat. She's fine now. can I stop it now? and when can she go back"
        " to school"
    )
    assert asked == ("can I stop it now?", "and when can she go back to school")
    assert asked_sentences("Started sertraline 12 days ago.") == ()


@pytest.mark.parametrize(
    ("question", "line"),
    [
        (
            "I keep getting urine infections after sex",
            "Some women get bladder infections after something that sets them off, like sex.",
        ),
        (
            "She seems her normal self, no temperature, but the dipstick showed nitrites.",
            "Germs in your urine that cause no symptoms should not be treated.",
        ),
        (
            "I feel loads better now, can I just stop taking it?",
            "Once you feel better, keep taking your antidepressant for at least 6 months.",
        ),
        (
            "Day 3 of antibiotics and it's gone 1-2cm past the pen line. Are they working?",
            "Get urgent help if the red skin keeps spreading on antibiotics.",
        ),
    ],
)
def test_a_line_on_the_circumstance_the_question_names_is_as_asked(
    question: str, line: str
) -> None:
    assert frame_rules().asked_context(question, line)


def test_a_circumstance_may_favour_its_lines_without_marking_them_off_topic_elsewhere() -> None:
    rules = frame_rules()
    keep_taking = "Once you feel better, keep taking your antidepressant for at least 6 months."
    # "feeling better" is only_when_asked: false: the line still answers a duration question…
    assert not rules.other_context("How long do I take sertraline for?", keep_taking)
    # …while a line on germs that cause no symptoms does not answer a symptomatic infection.
    no_symptoms = "Older people may have germs in their urine but no bladder symptoms."
    assert rules.other_context("My mother has a bladder infection: which antibiotic?", no_symptoms)


def test_words_standing_apart_name_a_condition_only_when_none_is_named_outright() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [*CARDS, ("knee-osteoarthritis", "Knee osteoarthritis in adults", ["knee OA"])],
        {"knee-osteoarthritis": [["knee", "arthritis"]]},
    )

    def cards(question: str) -> tuple[str, ...]:
        return frame_question(question, vocabulary).condition_cards

    frame = frame_question("My knees are stiff every morning. Is it arthritis?", vocabulary)
    assert frame.condition_cards == ("knee-osteoarthritis",)
    assert frame.conditions == ("knee osteoarthritis",)  # the card's own name, for titles
    assert cards("Is the arthritis in my knee gout?") == ("gout",)
    assert cards("My knee hurts but it is not arthritis") == ()
    assert cards("My knee hurts after running") == ()


def test_a_treatment_the_question_says_is_not_taken_is_not_asked_about() -> None:
    assert "steroids" not in find_interventions("66F, never fractured, no steroids. Drug holiday?")
    assert "steroids" in find_interventions("Do steroids help sciatica?")
    assert "surgery" not in find_interventions("Will it heal without surgery?")


def test_a_line_naming_a_dominant_kind_is_about_it_beside_the_asked_one() -> None:
    rules = frame_rules()
    question = "Which medicine first for my gout attack?"
    ult = "A medicine to lower uric acid is often started weeks after a gout attack has settled."
    assert rules.other_subtype(question, ult)
    assert not rules.other_subtype(question, "A gout attack can be treated with colchicine.")
    # Asked about both, the line on both answers.
    assert not rules.other_subtype("Lower uric acid during a gout attack?", ult)


def test_pen_allergic_is_a_medicine_allergy() -> None:
    frame = frame_question(
        "CAP at home, pen allergic: which antibiotic?", ConditionVocabulary.from_cards([])
    )
    assert "allergy" in frame.populations


def test_a_long_condition_name_with_one_slip_is_still_that_name() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [
            ("sciatica", "Sciatica (lumbar radiculopathy) in adults", ["sciatica"]),
            ("knee-oa", "Knee osteoarthritis", ["arthritis"]),
            ("gout", "Gout in adults", ["gout"]),
        ]
    )
    assert vocabulary.find("how long does scaitica last?") == [("scaitica", ("sciatica",))]
    assert vocabulary.find("CBD oil for arthritus?") == [("arthritus", ("knee-oa",))]
    # Short names are left alone: one slip there makes another word ("got", "out").
    assert vocabulary.find("I got out of bed") == []


def test_one_slip_is_a_changed_added_dropped_or_swapped_letter() -> None:
    assert one_slip_apart("scaitica", "sciatica")  # swapped
    assert one_slip_apart("arthritus", "arthritis")  # changed
    assert one_slip_apart("migrane", "migraine")  # dropped
    assert not one_slip_apart("diabetic", "diabetes")  # two changes
    assert not one_slip_apart("sciatica", "sciatica")


@pytest.mark.parametrize(
    "question",
    [
        "GP appt is tomorrow morning, is it ok to wait till then?",
        "I missed my levothyroxine yesterday, should I take two today?",
    ],
)
def test_whether_it_can_wait_or_how_many_to_take_names_no_thing(question: str) -> None:
    assert slot_phrases(question) == ()


@pytest.mark.parametrize(
    ("phrase", "question", "reading"),
    [
        ("BP", "HFrEF on bisoprolol, HR 64, BP 104/66 - ok to go up?", True),
        ("LDL", "On atorvastatin, LDL of 88 mg/dL. Add ezetimibe?", True),
        ("BP", "Clinic BP 152/88. Ramipril or amlodipine first line for his BP?", False),
        ("LDL", "LDL still high on atorvastatin, add ezetimibe?", False),
        ("urine dip", "28/40, BP 152/98, urine dip neg for protein. Refer?", True),
        ("chest infection", "Needs clarithromycin for chest infection - hold the statin?", False),
        # A test told normal in a clinician's shorthand.
        ("TSH", "Myalgia on simvastatin, then on pravastatin. TSH nl, CK wnl. Next?", True),
    ],
)
def test_a_condition_named_only_by_a_reading_is_a_measurement_told(
    phrase: str, question: str, reading: bool
) -> None:
    assert named_as_a_reading(phrase, question) is reading


def test_all_the_time_asks_about_recurrence_only_of_what_keeps_happening() -> None:
    rules = frame_rules()
    recurrence = "If you keep getting bladder infections, ask what helps stop them coming back."
    assert rules.asked_context("I get water infections all the time, what can I do?", recurrence)
    assert not rules.asked_context("I feel flat all the time. Am I depressed?", recurrence)


def test_a_line_for_people_who_have_recently_had_a_baby_is_for_the_postpartum() -> None:
    text = "This includes people who are pregnant or have recently had a baby."
    assert frame_rules().addresses("postpartum", text)


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("is sambucol elderberry syrup ok to give my 2 year old?", "sambucol elderberry syrup"),
        ("is it ok to give elderberry syrup to my toddler", "elderberry syrup"),
        ("can i give my son elderberry syrup for his ear infection", "elderberry syrup"),
    ],
)
def test_a_remedy_whose_safety_for_someone_is_asked_is_the_thing_asked(
    question: str, thing: str
) -> None:
    assert thing in slot_phrases(question)


def test_medicines_listed_after_the_tablets_someone_is_on_are_context() -> None:
    question = (
        "Grandma is on about 10 tablets (warfarin, bisoprolol, donepezil and more). "
        "Can she have Nytol from the chemist?"
    )
    assert all(is_context(drug, question) for drug in ("warfarin", "bisoprolol", "donepezil"))
    assert not is_context("Nytol", question)
    assert slot_phrases(question) == ("nytol",)


def test_a_list_of_medicines_with_formulations_and_doses_is_what_the_person_is_on() -> None:
    question = "On diltiazem MR 180, atorvastatin 40, ramipril 5, eGFR 52. Safe colchicine dose?"
    assert all(is_context(drug, question) for drug in ("diltiazem", "atorvastatin", "ramipril"))
    assert not is_context("colchicine", question)


def test_the_dose_of_a_treatment_that_failed_is_the_story_not_the_ask() -> None:
    vocabulary = ConditionVocabulary.from_cards([("gerd", "GERD", ["reflux"])])
    question = "Reflux on omeprazole 20 mg od, still nocturnal symptoms after 8 weeks. Next step?"
    assert frame_question(question, vocabulary).ask is Ask.TREATMENT
    assert frame_question("Omeprazole 20 mg od for reflux. Dose?", vocabulary).ask is Ask.DOSE


def test_a_blood_pressure_reading_alone_names_blood_pressure() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("hypertension", "High blood pressure (hypertension) in adults", ["blood pressure"])]
    )
    assert frame_question("is 145/90 high", vocabulary).condition_cards == ("hypertension",)
    frame = frame_question("it read 160 over 100 this morning, should I worry?", vocabulary)
    assert frame.condition_cards == ("hypertension",)
    assert frame_question("seen on 12/05, what next?", vocabulary).condition_cards == ()


def test_a_circumstance_named_only_to_deny_it_is_not_asked_about() -> None:
    rules = frame_rules()
    discharge = "Children with ear discharge (otorrhoea) should get antibiotics."
    assert rules.asked_context("3yo with a bulging eardrum and otorrhoea. Plan?", discharge)
    assert not rules.asked_context("3yo with a bulging eardrum, no otorrhoea. Plan?", discharge)


def test_advice_against_doubling_a_dose_is_no_missed_dose() -> None:
    rules = frame_rules()
    assert rules.asks_about_a_missed_dose("forgot my eliquis, take 2 tonight to catch up?")
    assert not rules.asks_about_a_missed_dose("ampyra seizures? my neuro said never double up")


def test_asthma_since_childhood_is_history_and_too_young_asks_for_a_diagnosis(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("had asthma since i was a kid, im 29 now. is this normal?", vocabulary)
    assert "child" not in frame.populations
    frame = frame_question(
        "dodgy knee, worse on stairs. am i too young for arthritis at 48?", vocabulary
    )
    assert frame.ask is Ask.DIAGNOSIS


def test_minor_is_no_negation() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("concussion", "Concussion and mild traumatic brain injury", ["head strike"])]
    )
    frame = frame_question("Minor head strike on apixaban. CT head indicated?", vocabulary)
    assert frame.condition_cards == ("concussion",)


def test_a_list_denied_after_a_qualifier_is_denied_whole() -> None:
    rules = frame_rules()
    told = "74m new af, htn, no prior stroke/tia, cr 1.1"
    assert rules.negated_at(told, told.find("tia"))
    assert rules.negated_at(told, told.find("stroke"))
    assert not rules.negated_at("prior stroke/tia", len("prior stroke/"))
    # A slash list may hold two-word items: "No dysphagia/wt loss/bleeding/anaemia".
    alarms = "47M reflux, no dysphagia/wt loss/bleeding/anaemia. Next?"
    assert rules.negated_at(alarms, alarms.find("anaemia"))
    assert not rules.negated_at("no back pain, sciatica for 3 weeks", len("no back pain, "))


def test_a_treatment_withheld_and_asked_for_back_is_asked_about() -> None:
    vocabulary = ConditionVocabulary.from_cards([])
    asked_back = "The GP said no antibiotics. Shouldn't she have them in case it's strep?"
    assert asked_interventions(frame_question(asked_back, vocabulary), asked_back) == (
        "antibiotics",
    )
    # A treatment already taken, and a pronoun for a check, ask for nothing back.
    checked = "Finished the amoxicillin. Does she need it checking again?"
    assert asked_interventions(frame_question(checked, vocabulary), checked) == ()


def test_a_treatment_only_feared_in_the_story_is_not_asked_about() -> None:
    question = "I'm terrified I'll end up needing surgery. Should I give up running?"
    assert is_context("surgery", question)
    assert not is_context("surgery", "Will I end up needing surgery?")


def test_a_denial_asked_about_is_no_denial() -> None:
    rules = frame_rules()
    school = "A child can go back to school bit by bit after a concussion."
    assert rules.asked_context("Does that mean no school and no screens at all?", school)


def test_a_test_told_as_not_done_sets_no_ask() -> None:
    vocabulary = ConditionVocabulary.from_cards([])
    frame = frame_question("The doctor didn't do a swab. Should she have antibiotics?", vocabulary)
    assert frame.ask is not Ask.TEST_OR_IMAGE
    assert frame_question("Can dapagliflozin be started?", vocabulary).ask is Ask.TREATMENT


def test_a_test_result_told_in_the_story_is_not_what_a_short_question_asks() -> None:
    vocabulary = ConditionVocabulary.from_cards([])
    told = "Cough and fever 3 days, CXR shows lobar consolidation, CURB-65 0. Abx and how long?"
    assert frame_question(told, vocabulary).ask is Ask.DRUG_CHOICE
    treatment = "Back pain for years, the scans say wear and tear. Can I get tramadol instead?"
    assert frame_question(treatment, vocabulary).ask is Ask.TREATMENT
    # …and an unpunctuated question asks in its last sentence.
    stopping = "swab came back strep, amoxicillin for 10 days. shes fine now, can i stop it now"
    assert frame_question(stopping, vocabulary).ask is Ask.DURATION
    # …but a short question that asks for the test still asks for it.
    asked = "Cough and fever 3 days, CURB-65 0. CXR needed?"
    assert frame_question(asked, vocabulary).ask is Ask.TEST_OR_IMAGE
    # …and so does a stay in hospital the story tells.
    admitted = "67M CAP admitted, CURB-65 2, not ICU, no abx in 90d. empiric regimen?"
    assert frame_question(admitted, vocabulary).ask is Ask.DRUG_CHOICE
    assert frame_question("CAP, CURB-65 3, admitted. Refer to ICU?", vocabulary).ask is (
        Ask.REFERRAL
    )


def test_a_slot_thing_never_runs_into_a_clause() -> None:
    question = "My mate says statins are rubbish and i should stop it. Is there anything else?"
    assert not any("should" in phrase for phrase in slot_phrases(question))
    assert slot_phrases("Would cherry juice help my gout?") == ("cherry juice",)


def test_a_kidney_disease_stage_is_no_pregnancy() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    ckd = frame_question("74M gout flare, CKD G4 (eGFR 24). How to treat the flare?", vocabulary)
    assert "pregnancy" not in ckd.populations
    gravida = frame_question("26F G1 at 12/40, dysuria. Trimethoprim?", vocabulary)
    assert "pregnancy" in gravida.populations


def test_a_condition_told_as_controlled_on_a_medicine_is_context() -> None:
    question = "Gout flare, BP ctrl on amlodipine. How to treat the flare?"
    assert is_context("BP", question)
    assert is_context("hypertension", "Hypertension well controlled on ramipril. Gout flare?")
    assert not is_context("BP", "BP 150/95. Treat?")


def test_the_first_of_a_list_the_story_says_the_person_is_on_is_context() -> None:
    question = "84F, stable angina on bisoprolol + aspirin. Levothyroxine starting dose?"
    assert is_context("bisoprolol", question)
    assert not is_context("levothyroxine", question)
    # An asked sentence's list is what is asked about.
    assert not is_context("ibuprofen", "Is it OK to be on ibuprofen + paracetamol?")


def test_months_written_over_twelve_are_how_long_not_a_reading() -> None:
    assert not named_as_a_reading("LBP", "52M chronic LBP 5/12, no red flags. Next step?")
    # …nor shorthand for years, months, weeks or days.
    assert not named_as_a_reading("LBP", "56F chronic LBP 2y, no radicular sx. Next step?")
    assert not named_as_a_reading("gout", "gout 3m, on allopurinol. Target?")
    # …nor an ordinal, which names a joint or a line of treatment.
    assert not named_as_a_reading("gout", "acute gout 1st MTP, on apixaban. tx?")
    assert named_as_a_reading("BP", "BP 104/66 today. Next step?")


def test_a_fear_of_getting_worse_is_no_treatment_tried() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    feared = "MRI says disc space loss. Will it just keep getting worse?"
    assert not frame_question(feared, vocabulary).treatment_tried
    told = "My gout keeps getting worse even on allopurinol. What now?"
    assert frame_question(told, vocabulary).treatment_tried


def test_how_often_a_medicine_is_taken_is_no_recurrence() -> None:
    rules = frame_rules()
    dosing = "Cellulitis on my leg, on fluclox 4 times a day. Is it contagious?"
    recurring = "I've had cystitis 3 times this year. What can I do?"
    assert not rules.asked_context(dosing, "Antibiotics taken to stop cellulitis coming back.")
    assert rules.asked_context(recurring, "Antibiotics taken to stop cystitis coming back.")


def test_how_serious_a_condition_is_asked_beside_a_medicine_is_no_side_effect_question() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    question = "Just told I have AF. Is AF dangerous? Can I still have a glass of wine?"
    assert frame_question(question, vocabulary).ask is not Ask.SIDE_EFFECTS


def test_finishing_the_bottle_asks_how_long() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    question = "She's better after 2 days of amoxicillin. Do we need to finish the whole bottle?"
    assert frame_question(question, vocabulary).ask is Ask.DURATION


def test_management_in_shorthand_asks_for_treatment() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    question = "Gout, 3 flares a year. Next-line mgmt? Any place for an x-ray?"
    assert frame_question(question, vocabulary).ask is Ask.TREATMENT


def test_children_told_beside_an_adult_asking_for_themselves_are_the_story() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    own = "My kids had a UTI last month. Do I need antibiotics for my cystitis? I'm 36"
    assert "child" not in frame_question(own, vocabulary).populations
    theirs = "My daughter (6) has cystitis, I am 35. Does she need antibiotics?"
    assert "child" in frame_question(theirs, vocabulary).populations


def test_medicines_in_brackets_after_a_condition_are_what_the_person_takes() -> None:
    question = "She has diabetes (metformin and the jardiance one). Is nitrofurantoin ok?"
    assert is_context("metformin", question)
    assert not is_context("nitrofurantoin", question)
    # A medicine's other name in brackets is the medicine asked about.
    assert not is_context("sertraline", "Is Zoloft (sertraline) safe in pregnancy?")
    assert not is_context("psilocybin", "Can magic mushrooms (psilocybin) cure depression?")


def test_a_list_the_story_says_someone_takes_may_name_a_class_with_its_article() -> None:
    question = "Can my mum take sumatriptan? She takes aspirin, a statin and bisoprolol."
    assert is_context("statin", question)
    assert not is_context("sumatriptan", question)


def test_a_clinicians_out_rules_a_medicine_out() -> None:
    assert ruled_out_medicines("NSAID out - colchicine dose at this eGFR?") == ("nsaid",)
    assert ruled_out_medicines("The stitches are out. Can I swim?") == ()


def test_a_story_list_with_doses_and_how_often_is_what_the_person_takes() -> None:
    question = "82M on furosemide 40 od, Entresto 49/51 bd, bisoprolol 5. Gout flare: colchicine?"
    assert is_context("furosemide", question)
    assert is_context("Entresto", question)
    assert not is_context("colchicine", question)


def test_deprescribing_asks_about_stopping() -> None:
    rules = frame_rules()
    assert rules.stopping_asked.search("Sx-free on omeprazole 8 yrs. Deprescribe PPI?")
    # …and a wish to stop told, or a clinician's terse "stop X?".
    assert rules.stopping_asked.search("On alendronate 7 years, she wants to stop. How?")
    assert rules.stopping_asked.search("Two chest infections on Trimbow this winter. Stop ICS?")
    assert not rules.stopping_asked.search("Stop smoking services near me? I have COPD.")


def test_taking_a_tablet_with_coffee_asks_when_to_take_it() -> None:
    rules = frame_rules()
    told = "I take levothyroxine 100mcg in the morning with my coffee. Could that be why?"
    assert rules.timing_asked.search(told)
    assert rules.timing_asked.search("Could the way im taking it be why?")


def test_a_part_of_the_body_after_lower_and_another_of_a_kind_are_no_things_asked() -> None:
    assert slot_phrases("the ache is right across the lower back, is that normal?") == ()
    assert slot_phrases("does she need a different antibiotic?") == ("antibiotic",)


def test_a_harm_a_medicine_is_feared_to_cause_names_no_group(
    vocabulary: ConditionVocabulary,
) -> None:
    question = (
        "On omeprazole for years. A friend says these tablets cause memory loss and kidney "
        "problems. Can I stop?"
    )
    assert "kidney_disease" not in frame_question(question, vocabulary).populations
    assert (
        "kidney_disease"
        in frame_question(
            "I have kidney problems. Can I stay on omeprazole?", vocabulary
        ).populations
    )


def test_a_rash_to_a_penicillin_tells_an_allergy() -> None:
    rule = frame_rules().population("allergy")
    assert rule.question.search("delayed maculopapular rash to amoxicillin age 3")
    assert not rule.question.search("a rash on her arm after the park")


def test_a_clinicians_story_then_a_dash_asks_what_follows_the_dash(
    vocabulary: ConditionVocabulary,
) -> None:
    # "managed at home" is the story, not a question of where to treat
    frame = frame_question(
        "CAP, CURB-65 1, treated at home, rash with penicillin – oral abx?", vocabulary
    )
    assert frame.ask is Ask.DRUG_CHOICE
    assert frame_question("CAP, CURB-65 1: home or hospital?", vocabulary).ask is Ask.REFERRAL
    # "… no MRSA RF. cephalexin - how long?": how long the named antibiotic goes on.
    told = "55F nonpurulent cellulitis, no MRSA RF. cephalexin - how long? need MRSA cover?"
    assert frame_question(told, vocabulary).ask is Ask.DURATION


def test_notes_shorthand_for_penicillin_rules_it_out() -> None:
    assert ruled_out_medicines("pt reports PCN allergy = rash as a child. abx?") == ("penicillin",)
    assert ruled_out_medicines("pen allergy (anaphylaxis) – oral abx?") == ("penicillin",)
    assert ruled_out_medicines("my insulin pen is empty, what now?") == ()
    # …nor a rash told as "on" the medicine ("rash on amox last yr"), which rules out the class
    assert "penicillin" in ruled_out_medicines("Hx maculopapular rash on amox last yr. Abx?")
    assert ruled_out_medicines("he got a rash on his back, can he take amoxicillin?") == ()
    # …and an allergy denied rules nothing out
    assert ruled_out_medicines("19mo, bilat AOM, no PCN allergy. amox dose?") == ()
    assert ruled_out_medicines("She is not allergic to penicillin. Which antibiotic?") == ()


@pytest.mark.parametrize(
    "question",
    [
        "she was concussed at hockey on friday, big match in a week, can she play?",
        "Concussed at football. Coach reckons he can play on Saturday, is that safe?",
        "knocked out at rugby sat, he wants to play the cup match next weekend is that ok",
    ],
)
def test_whether_a_player_can_play_asks_about_going_back_to_sport(
    question: str, vocabulary: ConditionVocabulary
) -> None:
    assert frame_question(question, vocabulary).ask is Ask.PROGNOSIS
    assert frame_rules().return_words.search(question)


def test_black_told_in_a_list_of_facts_names_the_group(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question(
        "BP 148/94 at home. im 52, black, no diabetes. which pill first?", vocabulary
    )
    assert "black_ethnicity" in frame.populations
    assert (
        "black_ethnicity"
        not in frame_question("My car is black. Is 150/90 high?", vocabulary).populations
    )


def test_a_line_for_people_not_of_a_group_does_not_address_it() -> None:
    rules = frame_rules()
    text = "Is your family not Black African or African-Caribbean? Then an ACE inhibitor is first."
    assert not rules.addresses("black_ethnicity", text)
    assert rules.addresses("black_ethnicity", "Adults of Black African family origin get a CCB.")


def test_muscle_aches_told_beside_a_statin_ask_about_its_side_effects(
    vocabulary: ConditionVocabulary,
) -> None:
    frame = frame_question("simva 40, 1ry prevention, calf aches, CK normal. options?", vocabulary)
    assert frame.ask is Ask.SIDE_EFFECTS
    # …and a line for secondary prevention is about another kind of prevention
    assert frame_rules().other_subtype(
        "atorva 40 for 1ry prevention, aches", "For secondary prevention, offer atorvastatin 80 mg."
    )


def test_mock_exams_name_school_and_two_doses_ask_which(vocabulary: ConditionVocabulary) -> None:
    assert frame_rules().names_a_context("she was told no school for a week, she has mocks")
    frame = frame_question("78F new AF, CrCl 24. Starting apixaban - 5 or 2.5 bd?", vocabulary)
    assert frame.ask is Ask.DOSE


def test_whether_a_treatment_is_needed_asks_when_it_is_indicated() -> None:
    rules = frame_rules()
    assert rules.indication_asked.search("LDL 4.2. do i need a statin or is diet enough")
    assert rules.indication_words.search("If your 10-year risk score (QRISK3) is 10% or more, …")


def test_an_effect_told_after_starting_a_medicine_learnt_late_is_a_side_effect_question() -> None:
    from bedside.analyse.frame import ask_again
    from bedside.domain import DrugName

    question = "dad started amlodopine 10mg for his bp and now his ankles are swollen, stop it?"
    frame = QuestionFrame(
        Ask.DURATION,
        drugs=(DrugName("amlodopine", "amlodipine"),),
        interventions=("amlodopine",),
    )
    assert ask_again(question, frame) is Ask.SIDE_EFFECTS


def test_no_urinary_symptoms_told_in_notes_shorthand_names_the_circumstance() -> None:
    line = "Do not start antibiotics for bacteriuria with no local genitourinary symptoms."
    assert frame_rules().asked_context(
        "84F NH resident, new confusion, no urinary sx. treat?", line
    )


def test_everyday_words_are_not_what_is_asked_about(vocabulary: ConditionVocabulary) -> None:
    # "somethin else" as typed in a hurry names no new thing
    assert slot_phrases("is that normal for asthma kids or does she need somethin else") == ()
    # "urgent care said" is a place, not a question about when to get urgent help
    frame = frame_question(
        "urgent care said pneumonia and gave her antibiotics. enough?", vocabulary
    )
    assert frame.ask is not Ask.RED_FLAGS
    # a line on people with another long-term illness is for people with comorbidities
    line = "Some adults with pneumonia have another illness that lasts a long time."
    assert frame_rules().addresses("comorbidity", line)
    # "wants to just skip the next one" asks about stopping
    assert frame_rules().stopping_asked.search("she wants to just skip the next one. is that ok")


def test_what_else_than_painkillers_sets_medicines_aside(vocabulary: ConditionVocabulary) -> None:
    question = "my knee aches going downstairs, what can i do apart from painkillers"
    assert frame_rules().without_medicines.search(question)
    assert frame_question(question, vocabulary).ask is Ask.TREATMENT
    not_pills = "back pain 2 years. is there anything else i can do that isnt more pills"
    assert frame_rules().without_medicines.search(not_pills)
    assert not frame_rules().without_medicines.search("is that pill safe with my tablets?")


def test_hives_with_a_penicillin_in_notes_shorthand_tells_an_allergy() -> None:
    rule = frame_rules().population("allergy")
    assert rule.question.search("mum reports hives w amoxicillin last yr, no anaphylaxis")
    assert rule.question.search("hx hives w/ penicillin as a kid. oral abx?")
    assert "penicillin" in ruled_out_medicines("mum reports hives w amoxicillin last yr. abx?")
    assert "penicillin" in ruled_out_medicines("hx hives w/ penicillin as a kid. oral abx?")


def test_a_bare_is_that_right_is_read_with_the_sentence_it_asks_about() -> None:
    from bedside.analyse.frame import asked_clauses

    story = (
        "He got a knock at rugby. Coach says he can play next weekend as long as he's ok. "
        "Is that alright? He's desperate to play"
    )
    assert asked_clauses(story) == [
        "Coach says he can play next weekend as long as he's ok. Is that alright?"
    ]
    # a question that names what it asks is read alone
    assert asked_clauses("He got a knock. Is it safe for him to play?") == [
        "Is it safe for him to play?"
    ]


def test_a_coach_saying_a_player_can_play_asks_when_to_go_back(
    vocabulary: ConditionVocabulary,
) -> None:
    question = (
        "my son got concussed at rugby saturday. his coach says he can play the match this "
        "weekend as long as he feels ok. is that right?"
    )
    assert frame_question(question, vocabulary).ask is Ask.PROGNOSIS


def test_how_a_treatment_is_given_is_part_of_its_name() -> None:
    assert find_interventions("asking about intradiscal stem cell injections") == ("stem cell",)
    assert find_interventions("wants PRP injections at a private clinic") == ("prp",)
    # a delivery word alone is still what is asked about
    assert find_interventions("are injections any good for back pain?") == ("injections",)


def test_a_clinicians_oral_choice_asks_which_drug(vocabulary: ConditionVocabulary) -> None:
    frame = frame_question(
        "L leg cellulitis, afebrile. Pen allergy - ?rash as a child. Oral choice and how long?",
        vocabulary,
    )
    assert frame.ask is Ask.DRUG_CHOICE
    assert frame_rules().cue("choice_and_length_asked").search("Oral choice and how long?")


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("CAP, CURB-65 1, eating and drinking. Plan amox - 5d enough? On warfarin.", Ask.DURATION),
        ("G1 10 wks, chronic HTN on lisinopril. switch to what, and BP target?", Ask.DRUG_CHOICE),
        # a prescriber's add-on is whether it suits her, not whether the two mix
        (
            "my mum is 79, her gp just added gliclazide on top of metformin. "
            "is it the right tablet for her",
            Ask.DRUG_CHOICE,
        ),
        # "back on the tools" is going back to work, not a test
        (
            "MRI shows L5/S1 disc herniation, leg pain 6 weeks. surgeon mentioned a discectomy. if "
            "i dont have the op will the disc just stay like that forever? need to get back on the "
            "tools asap",
            Ask.TREATMENT,
        ),
    ],
)
def test_asks_found_in_blind_questions(
    vocabulary: ConditionVocabulary, question: str, ask: Ask
) -> None:
    assert frame_question(question, vocabulary).ask is ask


def test_the_course_is_asked_when_the_question_is_how_long_till_it_goes_away() -> None:
    cue = frame_rules().cue("natural_course_asked")
    assert cue.search("gp said its sciatica. how long till it goes away?? will i need surgery")
    assert cue.search("if i dont have the op will the disc just stay like that forever?")
    assert not cue.search("how long till the antibiotics work?")
    # "cannot settle which is better" says nothing of how a condition runs
    course = frame_rules().course_words
    assert not course.search("the comparison cannot settle which is better")
    assert course.search("Most new sciatica settles with time.")


def test_an_aside_for_pregnancy_does_not_make_a_line_one_for_women() -> None:
    rules = frame_rules()
    aside = (
        "For cellulitis in an adult with penicillin allergy, NICE advises clarithromycin, or "
        "erythromycin in pregnancy, and doxycycline can be considered."
    )
    assert not rules.contradicts("male", aside)
    assert rules.contradicts("male", "In pregnancy, offer labetalol for chronic hypertension.")


def test_notes_shorthand_for_allergy_and_breastfeeding_names_the_group() -> None:
    rules = frame_rules()
    assert rules.population("allergy").question.search("Mum reports 'rash on amoxicillin' at 12mo")
    breastfeeding = rules.population("breastfeeding").question
    assert breastfeeding.search("29F, 6/52 postpartum, EBF, PHQ-9 17")
    assert breastfeeding.search("OK to restart sertraline while BF or switch?")
    assert not breastfeeding.search("my bf has had back pain for a week")


def test_what_was_tried_is_the_story_and_what_is_asked_for_is_the_question() -> None:
    question = (
        "67F knee OA, BMI 33, tried paracetamol, topical diclofenac, physio. asking for "
        "hyaluronic acid injections. worth referring?"
    )
    assert is_context("paracetamol", question)
    assert is_context("diclofenac", question)
    assert not is_context("hyaluronic acid", question)


def test_statin_aches_told_as_achy_ask_about_side_effects(vocabulary: ConditionVocabulary) -> None:
    question = "started lipitor 40 3 weeks ago and my thighs have been achy. should i quit it"
    assert frame_question(question, vocabulary).ask is Ask.SIDE_EFFECTS


def test_two_flare_medicines_compared_ask_about_the_flare() -> None:
    flare = next(
        dict(group)["gout_flare"] for group in frame_rules().subtypes if "gout_flare" in dict(group)
    )
    assert flare.search("63M first gout flare, CKD 3b, on apixaban. Colchicine vs pred vs NSAID?")
    pneumonia = next(group for group in frame_rules().subtypes if "severe_pneumonia" in dict(group))
    assert dict(pneumonia)["nonsevere_pneumonia"].search("CURB-65 1, for outpt mx. Regimen?")
    assert dict(pneumonia)["severe_pneumonia"].search("For severe community-acquired pneumonia")


def test_the_side_of_the_body_does_not_hide_a_conditions_name() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("sciatica", "Sciatica", ["shooting down the back of my leg"])]
    )
    found = vocabulary.find("pain shooting down the back of my left leg into my foot")
    assert [ids for _, ids in found] == [("sciatica",)]


def test_more_medicines_told_after_also_are_the_story() -> None:
    question = (
        "76M gout flare, eGFR 28, also atorvastatin + ramipril. Pt wants to stop allopurinol. "
        "?naproxen vs colchicine vs pred"
    )
    assert is_context("atorvastatin", question)
    assert is_context("ramipril", question)
    assert not is_context("colchicine", question)


def test_a_denied_treatment_spelt_as_a_plural_is_not_asked_about() -> None:
    assert "steroid" not in find_interventions("74F, no hip fracture, no steroids, DXA T -2.1")
    assert "steroids" in find_interventions("74F on steroids for years, DXA T -2.1")


def test_taking_too_much_asks_about_overuse() -> None:
    overuse = next(rule for rule in frame_rules().contexts if rule.statement.search("overuse"))
    assert overuse.question.search("a headache nearly every day, am I taking too much?")
    assert not overuse.question.search("how much ibuprofen can I take?")


def test_allergies_told_with_quotes_words_between_or_notes_shorthand_are_allergies() -> None:
    allergy = frame_rules().population("allergy").question
    assert allergy.search("Pen 'allergy' = rash as a child. Abx choice + duration?")
    assert allergy.search("last yr she got hives all over from amoxicillin")
    assert allergy.search("hx anaphylaxis to PCN. oral options?")
    assert "penicillin" in ruled_out_medicines("last yr she got hives all over from amoxicillin")


def test_a_treatment_the_person_is_not_on_is_not_asked_about() -> None:
    found = find_interventions("72F alendronate 5 yrs, not on steroids. Holiday?")
    assert found == ("alendronate",)


def test_questions_read_in_blind_batches(vocabulary: ConditionVocabulary) -> None:
    assert frame_question("17F, FeverPAIN 4. Pen V - 5 vs 10 days? Dose?", vocabulary).ask is (
        Ask.DURATION
    )
    assert (
        "liver_disease"
        in frame_question(
            "fatty liver on a scan and ALT about 60. is atorvastatin safe?", vocabulary
        ).populations
    )
    assert frame_rules().reported_findings.search("wt 54kg, Cr 140, CrCl ~27")


def test_more_words_read_in_the_last_blind_batches(vocabulary: ConditionVocabulary) -> None:
    rules = frame_rules()
    assert rules.population("allergy").question.search("Hx urticaria w amoxicillin. Oral abx?")
    feared = frame_question(
        "Read online that long term PPIs cause dementia, kidney failure and brittle bones. "
        "How do I get off omeprazole?",
        vocabulary,
    )
    assert "kidney_disease" not in feared.populations
    assert frame_question("I have heartburn, which PPI?", vocabulary).ask is Ask.DRUG_CHOICE
    assert rules.stopping_asked.search("been on omeprazole for 6 years. is it ok to just stop?")
    assert rules.cue("works_asked").search("it makes me dozy. do i actually need it?")
    no_symptoms = next(
        rule for rule in rules.contexts if rule.statement.search("asymptomatic bacteriuria")
    )
    assert no_symptoms.question.search("she hasnt said anything about pain weeing. is that right?")


def test_taking_more_for_worse_headaches_asks_about_overuse() -> None:
    overuse = next(rule for rule in frame_rules().contexts if rule.statement.search("overuse"))
    told = "sumatriptan most days just to function, worse even though im taking more"
    assert overuse.question.search(told)


def test_a_condition_the_person_is_said_not_to_have_is_no_condition_of_theirs() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [
            ("type-2-diabetes", "Type 2 diabetes", ["diabetes", "DM"]),
            ("heart-failure", "Heart failure", []),
            ("hypertension", "Hypertension", ["ABPM"]),
        ]
    )
    # Named only as what a medicine is for, and denied in other words.
    story = (
        "My dad has heart failure. The nurse wants to add dapagliflozin but thats a diabetes "
        "drug and he isnt diabetic?? Is this a mistake"
    )
    assert frame_question(story, vocabulary).condition_cards == ("heart-failure",)
    # …but "my diabetes tablets" are the reader's own diabetes.
    own = frame_question("my diabetes tablets make me sick", vocabulary)
    assert own.condition_cards == ("type-2-diabetes",)
    # A measurement told after a list of conditions denied is not one more of them.
    told = "58F, Black African, no DM, no CKD, ABPM daytime avg 150/94. First-line agent?"
    assert frame_question(told, vocabulary).condition_cards == ("hypertension",)


def test_a_positive_test_some_weeks_in_is_a_pregnancy_and_no_test_asked() -> None:
    vocabulary = ConditionVocabulary.from_cards(CARDS)
    frame = frame_question(
        "positive test this morning!! about 5 weeks. I take levothyroxine 75mcg for my "
        "underactive thyroid. Does anything need to change?",
        vocabulary,
    )
    assert frame.populations == ("pregnancy",)
    assert frame.ask is not Ask.TEST_OR_IMAGE
    covid = frame_question("positive test 2 weeks ago, still coughing. is it CAP?", vocabulary)
    assert "pregnancy" not in covid.populations


def test_a_duration_told_before_a_referral_asked_asks_whether_it_is_due() -> None:
    rules = frame_rules()
    told = "S1 radicular pain 3 wks, power intact, no bladder sx. Refer for discectomy?"
    assert rules.indication_asked.search(told)
    assert rules.indication_asked.search("Refer to spinal surgeons now or hold?")
    assert not rules.indication_asked.search("Who should I see about my back?")


def test_playing_a_match_is_going_back_to_sport() -> None:
    rugby = "He has a cup match next weekend and is desperate to play. Is that ok?"
    sport = next(c for c in frame_rules().contexts if c.question.search(rugby))
    assert sport.named_in("symptom free by day 5, back at school. When can he play a match?")


def test_a_line_on_competitive_sport_speaks_of_going_back_to_sport() -> None:
    rugby = "He has a cup match next weekend and is desperate to play. Is that ok?"
    sport = next(c for c in frame_rules().contexts if c.question.search(rugby))
    assert sport.statement.search("no return to competitive sport before day 21")
    assert sport.statement.search("should not play a match until at least day 21")


def test_a_harm_a_medicine_is_feared_to_cause_is_no_condition_the_person_has() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("reflux", "Reflux", ["heartburn"]), ("bones", "Osteoporosis", ["brittle bones"])]
    )
    feared = "On lansoprazole for heartburn for years. My aunt says it causes brittle bones, true?"
    assert frame_question(feared, vocabulary).condition_cards == ("reflux",)
    # …but a condition named outside the fear is the person's own.
    own = "I have brittle bones and heartburn. Is lansoprazole ok?"
    assert set(frame_question(own, vocabulary).condition_cards) == {"reflux", "bones"}


@pytest.mark.parametrize(
    ("question", "chronicity"),
    [
        ("51F, 9/12 non-specific LBP, no red flags. Oxycodone or gabapentin next?", "chronic"),
        ("LBP 16/52, still off work", "chronic"),
        ("LBP 5/7 after lifting, no red flags. Analgesia?", "acute"),
        ("LBP 2/52, improving", "acute"),
        ("LBP, BP 120/80", None),
    ],
)
def test_a_clinicians_duration_says_how_long_the_problem_has_lasted(
    question: str, chronicity: str | None
) -> None:
    assert frame_rules().chronicity(question) == chronicity


def test_a_condition_a_test_would_look_for_is_a_suspicion_not_the_condition_told() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("back", "Back pain", ["put my back out"]), ("disc", "Disc herniation", ["slipped disc"])]
    )
    suspected = (
        "I put my back out on Saturday. My mate says I need a scan to check for a slipped disc?"
    )
    assert frame_question(suspected, vocabulary).condition_cards == ("back",)
    told = "I put my back out and the scan showed a slipped disc. What now?"
    assert set(frame_question(told, vocabulary).condition_cards) == {"back", "disc"}


def test_the_illness_a_leftover_medicine_was_for_is_not_the_one_asked_about() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("chest", "Pneumonia", ["chest infection"]), ("skin", "Cellulitis", ["cellulitis"])]
    )
    story = "His shin is hot and red since a cut. Can he have my spare amoxicillin from my chest "
    assert frame_question(story + "infection?", vocabulary).condition_cards == ()
    told = "Cellulitis on my shin: can I take the leftover tablets from my last chest infection?"
    assert frame_question(told, vocabulary).condition_cards == ("skin",)
    # …but a chest infection that is the reader's own now is asked about.
    own = "I have a chest infection again. Can I take the leftover amoxicillin from last time?"
    assert frame_question(own, vocabulary).condition_cards == ("chest",)
    # What is left over of a medicine is that medicine, not a new thing to look up.
    assert slot_phrases("can we give him the leftover antibiotics from my chest infection") == (
        "antibiotics",
    )


def test_a_condition_listed_after_what_the_person_is_on_is_still_theirs() -> None:
    vocabulary = ConditionVocabulary.from_cards(
        [("dm", "Type 2 diabetes", ["T2DM"]), ("hf", "Heart failure", ["HFrEF"])]
    )
    question = "T2DM 61M, A1c 8.1% on metformin 1 g BID, HFrEF EF 35%, eGFR 50. Next agent?"
    assert frame_question(question, vocabulary).condition_cards == ("dm", "hf")


def test_way_worse_is_not_a_way_of_treating_it() -> None:
    assert slot_phrases("he says the pain is unbearable way worse than it looks") == ()
    assert slot_phrases("is swimming a good way to ease knee pain?") == ("swimming",)


def test_a_medicine_that_keeps_a_condition_controlled_is_the_setting() -> None:
    question = "72F new AF, rate controlled on bisoprolol 2.5. Anticoag? which agent/dose"
    assert is_context("bisoprolol", question)


def test_advice_someone_gave_is_the_story_not_what_is_asked() -> None:
    question = "physio said keep moving but it hurts. is yoga good? would a new mattress help"
    assert is_context("keep moving", question)
    assert not is_context("new mattress", question)


def test_skipping_the_next_dose_asks_about_stopping() -> None:
    rules = frame_rules()
    assert rules.stopping_asked.search("dentist says stop prolia. is it ok to skip my next one?")
    assert not rules.stopping_asked.search("is it ok to skip breakfast before my tablets?")


def test_letters_to_my_kids_do_not_make_the_reader_a_child(vocabulary: ConditionVocabulary) -> None:
    question = (
        "on sertraline 3 weeks, feel no different. ive been writing letters to my kids in case "
        "im not around. can i take 2 a day?"
    )
    assert "child" not in frame_question(question, vocabulary).populations
    assert "child" in frame_question("can my kids take sertraline?", vocabulary).populations


def test_a_bare_evidence_asks_about_the_sentence_before_it() -> None:
    question = "On levothyroxine, still tired. Wants to switch to desiccated thyroid. Evidence?"
    assert asked_with_what_it_weighs(question) == (
        "Wants to switch to desiccated thyroid. Evidence?",
    )


def test_a_question_joined_to_one_on_timing_asks_the_first_first(
    vocabulary: ConditionVocabulary,
) -> None:
    question = (
        "8yo sore throat and fever, white spots on tonsils. does she need antibiotics and when "
        "can she go back to school?"
    )
    assert frame_question(question, vocabulary).ask is Ask.DRUG_CHOICE


def test_a_warning_that_it_comes_back_tells_no_recurrence() -> None:
    rules = frame_rules()
    recurrence = "Daily antibiotics to stop new infections coming back are not advised."
    warned = "my mum says kids need 10 days of antibiotics or it just comes back. more?"
    assert not rules.asked_contexts_in(warned, recurrence)
    assert rules.asked_contexts_in("his ear infection keeps coming back", recurrence)


def test_esi_is_an_epidural_steroid_injection() -> None:
    assert "esi" in find_interventions("Surgery vs ESI?")
    assert "epidural steroid injection" in frame_rules().names_used_for("esi")
