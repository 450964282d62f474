"""Red flags: clinician and lay wording raise them, negated and ordinary questions do not."""

from __future__ import annotations

import re

import pytest

from bedside.analyse.red_flags import RED_FLAGS, RedFlag, find_red_flags

REQUIRED_IDS = {
    "cauda_equina",
    "progressive_motor_deficit",
    "spinal_serious_pathology",
    "cardiac_chest_pain",
    "stroke",
    "suicidal_thoughts",
    "anaphylaxis",
    "thunderclap_headache",
    "meningitis_sepsis",
    "severe_breathing_difficulty",
    "gi_bleeding",
    "pulmonary_embolism",
    "infant_fever",
}


def flag_ids(question: str) -> list[str]:
    return [flag.flag_id for flag in find_red_flags(question)]


@pytest.mark.parametrize(
    ("question", "flag_id"),
    [
        # progressive motor deficit, in clinician and lay wording
        ("L5 radiculopathy with new foot drop: how urgent?", "progressive_motor_deficit"),
        ("Sciatica with progressive weakness of ankle dorsiflexion", "progressive_motor_deficit"),
        (
            "my sciatica is worse and now my foot is dragging and I keep tripping",
            "progressive_motor_deficit",
        ),
        (
            "over the last few days my leg has got weaker and I cant lift my foot",
            "progressive_motor_deficit",
        ),
        ("I can't stand on my tiptoes any more with this back pain", "progressive_motor_deficit"),
        ("my leg keeps giving way since my back went", "progressive_motor_deficit"),
        # suicidal thoughts in lay words
        (
            "i dont see the point in anything anymore and ive been thinking about ending it",
            "suicidal_thoughts",
        ),
        ("Lately I keep having thoughts of ending things", "suicidal_thoughts"),
        # cauda equina
        ("Low back pain with saddle anaesthesia", "cauda_equina"),
        ("Sciatica and new urinary retention: what next?", "cauda_equina"),
        ("Patient with saddle anesthesia and reduced anal tone", "cauda_equina"),
        ("I'm numb between my legs and my back hurts", "cauda_equina"),
        ("I can't pee and my back is killing me", "cauda_equina"),
        ("I wet myself this morning without noticing", "cauda_equina"),
        ("My groin feels numb", "cauda_equina"),
        ("I have lost control of my bowels", "cauda_equina"),
        ("Both my legs feel weak", "cauda_equina"),
        ("Bilateral sciatica after lifting", "cauda_equina"),
        # serious spinal pathology
        ("Back pain with fever in an IV drug user", "spinal_serious_pathology"),
        ("Back pain in a patient with a history of prostate cancer", "spinal_serious_pathology"),
        ("Low back pain and unexplained weight loss", "spinal_serious_pathology"),
        ("Back pain after a car accident", "spinal_serious_pathology"),
        ("My back pain wakes me up at night", "spinal_serious_pathology"),
        ("I've lost weight without trying and my back aches", "spinal_serious_pathology"),
        ("Back pain with a temperature of 38.5", "spinal_serious_pathology"),
        # ... long-term steroids or osteoporosis: fracture after little or no trauma
        (
            "My mum is 80, has been on steroid tablets for years, and has sudden severe back pain "
            "after a minor fall",
            "spinal_serious_pathology",
        ),
        ("Back pain in a man who has taken prednisolone for 10 years", "spinal_serious_pathology"),
        ("Severe back pain after years of oral steroids", "spinal_serious_pathology"),
        ("Sudden severe back pain in a woman with osteoporosis", "spinal_serious_pathology"),
        # cardiac chest pain
        ("Exertional chest pain in a 60-year-old smoker", "cardiac_chest_pain"),
        ("Central chest pain radiating to the left arm with diaphoresis", "cardiac_chest_pain"),
        ("My chest hurts when I walk up the stairs", "cardiac_chest_pain"),
        ("Tight chest and I'm all sweaty", "cardiac_chest_pain"),
        ("Pressure in my chest going down my arm", "cardiac_chest_pain"),
        ("Chest pain and shortness of breath", "cardiac_chest_pain"),
        ("I think I'm having a heart attack", "cardiac_chest_pain"),
        # stroke
        ("Acute left hemiparesis and dysphasia", "stroke"),
        ("Sudden onset facial droop and slurred speech", "stroke"),
        ("Her face is drooping on one side", "stroke"),
        ("My dad suddenly can't lift his left arm", "stroke"),
        ("He suddenly lost the vision in one eye", "stroke"),
        ("Sudden confusion in my elderly mum", "stroke"),
        ("I'm not sure why my face is drooping", "stroke"),
        # suicidal thoughts
        ("Patient with suicidal ideation after a bereavement", "suicidal_thoughts"),
        ("Assessment after self-harm in an adolescent", "suicidal_thoughts"),
        ("I want to kill myself", "suicidal_thoughts"),
        ("I don't want to live anymore", "suicidal_thoughts"),
        ("I keep thinking about ending my life", "suicidal_thoughts"),
        ("I've been cutting myself again", "suicidal_thoughts"),
        # ... and intent inside a method question
        (
            "How many paracetamol tablets would be a lethal amount? I want to end it.",
            "suicidal_thoughts",
        ),
        ("I'm ready to end it all", "suicidal_thoughts"),
        ("How many of my amitriptyline tablets would it take to kill me?", "suicidal_thoughts"),
        ("Would a whole box of sertraline be enough to kill me?", "suicidal_thoughts"),
        ("How can I hurt myself so that nobody notices?", "suicidal_thoughts"),
        ("What are ways to harm myself without leaving marks?", "suicidal_thoughts"),
        (
            "Which of my blood pressure pills could I take together to stop my heart for good?",
            "suicidal_thoughts",
        ),
        ("Could my heart tablets stop my heart if I took them all?", "suicidal_thoughts"),
        ("I want to take my pills and never wake up", "suicidal_thoughts"),
        # anaphylaxis
        ("Angioedema and wheeze after IV antibiotics", "anaphylaxis"),
        ("Urticaria with hypotension after a wasp sting", "anaphylaxis"),
        ("My throat is swelling after eating peanuts", "anaphylaxis"),
        ("My lips swelled up after taking amoxicillin", "anaphylaxis"),
        ("I was stung by a bee and now I'm struggling to breathe", "anaphylaxis"),
        ("Hives all over and I feel faint", "anaphylaxis"),
        # thunderclap headache
        ("Thunderclap headache in a 40-year-old", "thunderclap_headache"),
        ("Sudden severe headache peaking within a minute", "thunderclap_headache"),
        ("Worst headache of my life", "thunderclap_headache"),
        ("I've never had a headache this bad", "thunderclap_headache"),
        ("A headache like being hit on the back of the head", "thunderclap_headache"),
        # meningitis and sepsis
        ("Fever with neck stiffness and photophobia", "meningitis_sepsis"),
        ("Non-blanching rash in a febrile child", "meningitis_sepsis"),
        ("Febrile and confused elderly patient", "meningitis_sepsis"),
        ("Fever and a stiff neck", "meningitis_sepsis"),
        ("My son has a rash that doesn't fade under a glass", "meningitis_sepsis"),
        ("She has a high temperature and is very drowsy", "meningitis_sepsis"),
        # ... shock: systolic BP below 90 or respiratory rate 30 or more, with confusion
        (
            "CAP patient with BP 80/50, new confusion and RR 32 — can they be treated in the "
            "community?",
            "meningitis_sepsis",
        ),
        ("Grandad is confused and his systolic is 85", "meningitis_sepsis"),
        ("Respiratory rate of 34 and drowsy after a chest infection", "meningitis_sepsis"),
        ("Blood pressure 75/40 with a respiratory rate of 30", "meningitis_sepsis"),
        ("Hypotensive and confused after a UTI", "meningitis_sepsis"),
        # severe breathing difficulty
        ("Acute severe asthma, unable to complete sentences", "severe_breathing_difficulty"),
        ("Central cyanosis in a child with bronchiolitis", "severe_breathing_difficulty"),
        ("Asthma attack not relieved by salbutamol", "severe_breathing_difficulty"),
        ("I can't speak in full sentences", "severe_breathing_difficulty"),
        ("His lips are turning blue", "severe_breathing_difficulty"),
        ("I'm wheezing and my blue inhaler isn't helping", "severe_breathing_difficulty"),
        ("I can't breathe", "severe_breathing_difficulty"),
        (
            "My asthma inhaler isn't helping and I can't finish a sentence",
            "severe_breathing_difficulty",
        ),
        (
            "COPD patient too breathless to speak, SpO2 84% on air, using accessory muscles — "
            "management?",
            "severe_breathing_difficulty",
        ),
        ("My dad is so breathless he can't speak", "severe_breathing_difficulty"),
        ("Too out of breath to talk", "severe_breathing_difficulty"),
        ("Child with asthma using accessory muscles", "severe_breathing_difficulty"),
        ("SpO2 84% on air", "severe_breathing_difficulty"),
        ("Her sats are 88 on room air", "severe_breathing_difficulty"),
        ("Oxygen level 85% on my pulse oximeter", "severe_breathing_difficulty"),
        ("O2 sats of 91%", "severe_breathing_difficulty"),
        (
            "Stung by a wasp and now my throat feels tight and I'm wheezing",
            "severe_breathing_difficulty",
        ),
        ("Stridor and breathlessness after a nut", "severe_breathing_difficulty"),
        # gastrointestinal bleeding
        ("Haematemesis in a patient on warfarin", "gi_bleeding"),
        ("Hematemesis and melena", "gi_bleeding"),
        ("Coffee-ground vomiting after NSAID use", "gi_bleeding"),
        ("I'm throwing up blood", "gi_bleeding"),
        ("I've had black poo for two days", "gi_bleeding"),
        ("My stools are black and tarry", "gi_bleeding"),
        # pulmonary embolism
        ("Sudden dyspnoea and a swollen, tender calf after surgery", "pulmonary_embolism"),
        ("Haemoptysis in a smoker", "pulmonary_embolism"),
        ("Pleuritic chest pain and breathlessness after a long flight", "pulmonary_embolism"),
        ("I'm coughing up blood", "pulmonary_embolism"),
        ("Suddenly short of breath and my calf is swollen and painful", "pulmonary_embolism"),
        ("Blood-streaked phlegm for a week", "pulmonary_embolism"),
        # infant fever
        ("Fever in a 6-week-old infant", "infant_fever"),
        ("Febrile neonate: what investigations?", "infant_fever"),
        ("My 2 month old has a temperature of 38.2", "infant_fever"),
        ("My newborn has a high temperature", "infant_fever"),
        ("My 10 week old baby feels hot", "infant_fever"),
        # overdose and poisoning (added: emergencies the other flags do not name)
        ("Paracetamol overdose: when to treat?", "overdose_poisoning"),
        ("I took too many paracetamol tablets", "overdose_poisoning"),
        ("My toddler swallowed a button battery", "overdose_poisoning"),
        ("Carbon monoxide poisoning symptoms", "overdose_poisoning"),
    ],
)
def test_flag_is_raised_when_question_describes_it(question: str, flag_id: str) -> None:
    assert flag_id in flag_ids(question)


@pytest.mark.parametrize(
    "question",
    [
        "Back pain without saddle numbness or bladder problems",
        "Low back pain, no fever",
        "Back pain with no saddle anaesthesia, no urinary retention",
        "Back pain; denies fever, weight loss and night pain",
        "Chest pain, no sweating or breathlessness",
        "Chest pain at rest, not on exertion",
        "No facial droop or slurred speech",
        "I'm not suicidal, just tired all the time",
        "I have never self-harmed",
        "Fever for two days, no stiff neck",
        "My 6 week old has no fever but is feeding poorly",
        "Nausea without vomiting blood",
        "Patient denied haemoptysis",
        "Absence of saddle anaesthesia",
        "Negative for melaena",
        "I don't want to die from a heart attack; should I take aspirin?",
        # a cue covers a whole list: commas closed by "or"/"and"/"nor", and the joiners themselves
        "Back pain for 3 days without fever, numbness or bladder problems — does he need an X-ray?",
        "Back pain without fever, numbness, or bladder problems",
        "Back pain; no fever, weight loss, night pain or history of cancer",
        "Back pain, denies fever, weight loss and night pain",
        "Back pain with neither fever nor weight loss",
        "Back pain with no fever/weight loss",
        "Heartburn with no trouble swallowing, no weight loss and no vomiting blood",
        # negated auxiliaries are cues
        "My 6 week old doesn't have a fever",
        "Back pain, but I haven't had a fever or lost weight",
        "He isn't confused and doesn't have a stiff neck",
        "Sciatica down my leg, no foot drop",
    ],
)
def test_no_flag_is_raised_when_the_feature_is_negated(question: str) -> None:
    assert flag_ids(question) == []


@pytest.mark.parametrize(
    ("question", "flag_id"),
    [
        ("No fever, now vomiting blood", "gi_bleeding"),  # a comma ends the negation
        ("No back pain but I can't pee", "cauda_equina"),  # so does "but"
        ("Chest pain, not sweaty, but worse when walking", "cardiac_chest_pain"),
        ("Back pain with or without saddle numbness", "cauda_equina"),  # not a negation
        ("The rash does not fade when I press a glass on it", "meningitis_sepsis"),
        # a clause break ends a list: contrast, dash, a new subject or time word, a verb
        ("No fever, but now I'm vomiting blood", "gi_bleeding"),
        ("No fever, and now vomiting blood", "gi_bleeding"),
        ("No fever or cough, and I'm vomiting blood", "gi_bleeding"),
        ("No fever or rash — vomiting blood since this morning", "gi_bleeding"),
        ("No fever or rash; vomiting blood", "gi_bleeding"),
        ("No fever, vomiting blood", "gi_bleeding"),  # a bare comma, no closing "or"/"and"
        ("No cough or fever, vomiting blood and black stools", "gi_bleeding"),  # list closed
        ("No cough or fever and vomiting blood", "gi_bleeding"),  # a second, different joiner
        ("Without any cough and has been vomiting blood", "gi_bleeding"),  # "has": a clause
        ("No back pain or numbness but I can't pee", "cauda_equina"),
        ("My 5 week old isn't feeding and feels hot", "infant_fever"),
        ("I have no feeling in my groin", "cauda_equina"),  # the cue is the feature's own word
        ("I don't know why my face is drooping", "stroke"),  # "don't know" is not a negation
    ],
)
def test_flag_is_raised_when_negation_is_out_of_reach(question: str, flag_id: str) -> None:
    assert flag_id in flag_ids(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "and" joins list items ("no nausea and vomiting"), so the second item stays negated
        ("No fever and vomiting blood", []),
        # a comma list with no closing "or"/"and" reads as separate clauses
        ("Back pain, denies fever, unexplained weight loss", ["spinal_serious_pathology"]),
    ],
)
def test_negation_has_its_documented_limits_when_wording_is_ambiguous(
    question: str, expected: list[str]
) -> None:
    assert flag_ids(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What are the treatment options for disc space loss in the lumbar spine?",
        "When should a patient with lumbar disc disease be referred to a spine specialist?",
        "Which painkillers help knee osteoarthritis?",
        "Does acute LBP need an MRI?",
        "How long does sciatica take to get better?",
        "Is walking good for back pain?",
        "Does weight loss help back pain?",
        "My back pain won't go away, what can I do?",
        "What is the first-line treatment for stable angina?",
        "What are the risk factors for stroke?",
        "I had a stroke two years ago, which statin should I take?",
        "What is the best inhaler for asthma?",
        "Should I take my statin at night?",
        "Is food poisoning contagious?",
        "Does a cough medicine raise blood pressure?",
        "How do I manage stress incontinence after childbirth?",
        "I can't breathe through my nose when I have a cold",
        "Heart failure with breathlessness and ankle swelling",
        "When should I worry about a fever in a toddler?",
        "My 4 month old has a fever",
        "I have laryngitis and can't talk",
        "What target sats 88-92% for COPD?",
        "Target oxygen saturation in COPD is 88 to 92%?",
        "My SpO2 is 97%",
        "My throat feels tight when I'm anxious",
        "Can I stop my heart failure tablets?",
        "Will this medicine stop my heart racing?",
        "How could I hurt myself lifting weights with a bad back?",
        "I want to end it with my boyfriend",
        "I keep thinking about ending it with my boyfriend",
        "This headache is killing me",
        "BP 180/100 and confused",
        "What BP target for adults over 80?",
        "Does osteoporosis cause back pain?",
        "Back pain and I have used a steroid inhaler for years",
        "My legs feel heavy after a long run",
        "Sciatica for three weeks; the leg pain is bad but my strength is fine",
        "",
    ],
)
def test_no_flag_is_raised_when_question_is_ordinary(question: str) -> None:
    assert flag_ids(question) == []


def test_flags_come_in_table_order_and_once_each_when_several_match() -> None:
    question = (
        "Worst headache of my life, a stiff neck and a fever. Also I'm coughing up blood and "
        "coughing up blood again, with a fever and a stiff neck."
    )
    assert flag_ids(question) == [
        "thunderclap_headache",
        "meningitis_sepsis",
        "pulmonary_embolism",
    ]


def test_flags_match_when_case_and_apostrophes_vary() -> None:
    assert flag_ids("I CAN\u2019T PEE") == ["cauda_equina"]
    assert flag_ids("worst HEADACHE of my LIFE") == ["thunderclap_headache"]


def test_table_has_every_required_flag_with_unique_ids() -> None:
    ids = [flag.flag_id for flag in RED_FLAGS]
    assert len(ids) == len(set(ids))
    assert set(ids) >= REQUIRED_IDS
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", flag_id) for flag_id in ids)


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.flag_id)
def test_flag_has_messages_and_patterns_when_defined(flag: RedFlag) -> None:
    assert flag.label.strip() and flag.clinician_message.strip() and flag.patient_message.strip()
    assert flag.patterns
    assert all(pattern.flags & re.IGNORECASE for pattern in flag.patterns)


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.flag_id)
def test_patient_message_names_emergency_numbers_when_shown(flag: RedFlag) -> None:
    for number in ("911", "999", "112"):
        assert number in flag.patient_message


def test_suicidal_thoughts_message_gives_crisis_lines_when_shown() -> None:
    message = next(f for f in RED_FLAGS if f.flag_id == "suicidal_thoughts").patient_message
    assert "988" in message and "116 123" in message


def _syllables(word: str) -> int:
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, count)


@pytest.mark.parametrize("flag", RED_FLAGS, ids=lambda flag: flag.flag_id)
def test_patient_message_reads_at_grade_eight_or_below_when_measured(flag: RedFlag) -> None:
    # Flesch-Kincaid grade with a rough syllable count: a guard against long, dense sentences.
    text = flag.patient_message
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    words = re.findall(r"[A-Za-z0-9'-]+", text)
    syllables = sum(_syllables(word) for word in words)
    grade = 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59
    assert grade <= 8.0, f"{flag.flag_id}: grade {grade:.1f}"
