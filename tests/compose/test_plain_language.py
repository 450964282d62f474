"""Which statements are clinician-only: doses, regimens, technique and statistics."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from bedside.compose.plain_language import is_clinician_only
from bedside.ingest.readers.cards import PATIENT_HEADING, parse_card


@pytest.mark.parametrize(
    "text",
    [
        # Doses
        "Nitrofurantoin 100 mg for 5 days is a first-line treatment.",
        "Start allopurinol at 100mg a day or less.",
        "Levothyroxine at 1.6 micrograms per kg of body weight per day.",
        "Start levothyroxine at 25 to 50 micrograms a day.",
        "High-dose amoxicillin, 80 to 90 mg per kg per day, is first choice.",
        "Give 15 mg/kg of paracetamol.",
        "Fosfomycin 3 g as a single dose.",
        "Amoxicillin 1 g three times daily.",
        "Trimethoprim-sulfamethoxazole 160/800 mg twice daily.",
        "Vitamin D 800 IU daily.",
        "Insulin 10 units at night.",
        "Salbutamol 2.5 mcg nebulised.",
        "Vitamin B12 1000 µg every three months.",
        "Potassium 20 mmol added to the infusion.",
        "Give 500 ml of saline.",
        "Infuse at 100 ml/hour.",
        "Aim for 400 mg/day at most.",
        # Regimens: a frequency with something to take
        "Take 2 tablets four times a day.",
        "Use 1 puff twice daily.",
        "2 capsules every 8 hours.",
        "Two doses given 1 tablet once-daily.",
        # Latin shorthand
        "Paracetamol 1 g qds.",
        "Omeprazole once daily, or prn for symptoms.",
        "Amitriptyline nocte.",
        "Ibuprofen tds with food.",
        "Take it b.d. with meals.",
        "Doxycycline BID.",
        "Aspirin 75 od.",
        "Morphine q4h as needed.",
        # Routes with a dose
        "Ceftriaxone 2 IV once a day.",
        "Give IM 0.5 of adrenaline.",
        # Technique
        "Injections were given under fluoroscopic guidance.",
        "An interlaminar approach was used.",
        "Transforaminal injection needs imaging.",
        "Needles placed blind by the caudal route are often misplaced.",
        "Fusion with pedicle screws and an interbody cage.",
        "Blind needle placement was correct in 47.7%.",
        "A 22-gauge spinal needle.",
        "Image-guided injection was compared with blind injection.",
        # Evidence grading
        "Superficial heat helps (moderate-quality evidence).",
        "The level of evidence is low.",
        "A grade B recommendation from the USPSTF.",
        "Screening is advised (grade B).",
        "The evidence is insufficient (grade I).",
        "Screening for suicide risk (I statement).",
        "CBT alone first (conditional recommendation).",
        "Either CBT or an antidepressant (strong recommendation, high-certainty evidence).",
        "Catheter ablation is a class 1 first-line option.",
        "SGLT2 inhibitors have a class 2a recommendation.",
        "Treating hypertension (class 1) remains recommended.",
        # Statistics
        "The hazard ratio was 0.8.",
        "Disc degeneration was more common (odds ratio 2.24).",
        "Pain fell by 15 points (95% CI 12 to 18).",
        "The confidence interval was wide.",
        "Improvement was more likely (RR 1.14).",
        "Mortality fell (HR 0.79).",
        "The difference was significant (p < 0.05).",
        "No difference (P=0.3).",
        "The NNT was 24.",
        "The number needed to treat was 24.",
        "Mean difference −12.1 on a 0 to 100 scale.",
        "Low sensitivity (pooled 0.19 to 0.43).",
        "Pooled sensitivity of only 0.19.",
        "Heterogeneity was high (I2 = 80%).",
        "This limits intention-to-treat conclusions.",
    ],
)
def test_clinician_only_detail_is_recognised(text: str) -> None:
    assert is_clinician_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ibuprofen can ease back pain.",
        "Most people improve within 6 weeks.",
        "Back pain is very common, and most bouts get better within a few weeks.",
        "Take your levothyroxine at the same time every day.",
        "Nitrofurantoin is taken twice a day for 5 days.",  # a frequency alone
        "Take two readings a minute apart, morning and evening, for 4 to 7 days.",
        "The aim is to keep uric acid below 6 mg/dL.",  # a lab value, not a dose
        "An eGFR below 45 ml/minute/1.73 m2 means the kidneys filter less.",
        "Blood glucose of 7 mmol/L before meals.",
        "Eat less than 6 g of salt a day.",  # food, not a dose
        "Keep to 14 units of alcohol a week or less.",
        "For most adults the goal is to keep blood pressure below 130/80.",
        "About 8 in 10 children have at least one ear infection.",
        "Exercise cut pain by 15 points on a 100-point scale.",
        "Two groups of 50 people were compared.",  # "g" is not a unit inside a word
        "In a bid to stay active, walk every day.",  # "bid" is an English word here
        "Stage IV cancer needs a specialist.",  # a Roman numeral, not a route
        "Stage IV disease was found in 30% of people.",
        "Of 12 people, 3 had type IV collagen changes.",
        "Or 2 more visits may be needed.",
        "A steroid injection near the nerve can ease leg pain a little.",
        "An MRI scan is rarely needed for back pain.",
        "Strongly recommended: stay active.",
        "Antibiotics are a first-line treatment.",
        "Heart failure medicines come in four drug classes.",
        "Your doctor may suggest a weight-loss programme.",
        "",
    ],
)
def test_ordinary_statements_are_fit_for_patients(text: str) -> None:
    assert not is_clinician_only(text)


def card_statements() -> list[tuple[str, str]]:
    """(heading, text) of every statement on the bundled cards."""
    folder = resources.files("bedside") / "cards"
    statements = []
    for item in folder.iterdir():
        if item.name.endswith(".md"):
            card = parse_card(item.read_text(encoding="utf-8"), Path(item.name))
            statements.extend((s.heading, s.text) for s in card.statements)
    return statements


def test_no_plain_language_card_statement_is_clinician_only() -> None:
    plain = [text for heading, text in card_statements() if heading == PATIENT_HEADING]
    assert len(plain) > 100
    assert [text for text in plain if is_clinician_only(text)] == []


def test_card_dose_and_statistics_statements_are_clinician_only() -> None:
    clinical = [text for heading, text in card_statements() if heading != PATIENT_HEADING]
    flagged = [text for text in clinical if is_clinician_only(text)]
    assert any("100 mg twice daily" in text for text in flagged)
    assert any("95% CI" in text for text in flagged)
    # Most clinical statements are still fine for patients once their terms are explained.
    assert len(flagged) < len(clinical) / 4
