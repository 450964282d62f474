"""The extractive generator: what it picks, where it puts it, in which order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from bedside.analyse.question import analyse_question
from bedside.analyse.terms import content_stems
from bedside.compose.base import ComposeRequest, TopicMatcher
from bedside.compose.bottom_line import choose_bottom_line
from bedside.compose.candidate import Candidate
from bedside.compose.extractive import ExtractiveGenerator, article_title, different_facts
from bedside.compose.ranking import (
    StatementFeatures,
    another_line_of_treatment,
    distinctive_shares,
    score_statement,
    speaks_of_harms,
    states_a_duration,
)
from bedside.domain import (
    Ask,
    Audience,
    Document,
    DocumentKind,
    DrugName,
    Evidence,
    EvidenceLevel,
    Passage,
    QuestionFrame,
)
from bedside.testing.builders import make_document

CARD = "Fictional back pain card"


def line(
    text: str,
    relevance: float,
    section: str = "medicines",
    *,
    plain: bool = True,
    card_id: str | None = None,
) -> Candidate:
    """A card statement as the bottom-line stages meet it, scored `relevance`."""
    return Candidate(
        text, ["p"], section, EvidenceLevel.GUIDELINE, relevance, 2020, plain, card_id=card_id
    )


def make_evidence(
    passage_id: str,
    text: str,
    heading: str,
    *,
    rank: int = 1,
    level: EvidenceLevel = EvidenceLevel.GUIDELINE,
    document_id: str = "d1",
    origin: str = "card",
    kind: DocumentKind = DocumentKind.GUIDELINE,
    year: int = 2020,
) -> Evidence:
    passage = Passage(passage_id, document_id, 0, (CARD, heading), None, 0, len(text), text)
    document = make_document(document_id, origin=origin, kind=kind, year=year)
    return Evidence(passage, document, 1.0 / rank, rank, level)


def request(
    evidence: list[Evidence],
    question: str = "How is back pain treated?",
    audience: Audience = Audience.CLINICIAN,
    frame: QuestionFrame | None = None,
    similarity: dict[str, float] | None = None,
    topic: str = "back pain",
) -> ComposeRequest:
    analysis = analyse_question(question)
    matcher = TopicMatcher((frozenset(content_stems(topic)),))
    return ComposeRequest(
        analysis,
        audience,
        evidence,
        matcher,
        topic_title=CARD,
        frame=frame or QuestionFrame(Ask.TREATMENT),
        similarity=similarity or {},
    )


EVIDENCE = [
    make_evidence("p1", "Advise people with back pain to stay active.", "First-line management"),
    make_evidence("p2", "Do not offer opioids for chronic back pain.", "Pitfalls", rank=2),
    make_evidence(
        "p3",
        "Image the back only when red flags suggest serious back pain causes.",
        "When to image",
        rank=3,
    ),
    make_evidence("p4", "Walking helps back pain.", "In plain language", rank=4),
    make_evidence(
        "p5",
        "Exercise therapy reduces back pain.",
        "First-line management",
        rank=5,
        level=EvidenceLevel.SYSTEMATIC_REVIEW,
        document_id="d2",
    ),
]


def lead_of(evidence: list[Evidence], **kwargs: object) -> tuple[str, ...]:
    """The passage ids of the first bottom-line statement composed from `evidence`."""
    draft = ExtractiveGenerator().generate(request(evidence, **kwargs))  # type: ignore[arg-type]
    return draft.bottom_line[0].passage_ids


def leads_by_question(
    evidence: list[Evidence], frame: QuestionFrame, similarity: dict[str, float], topic: str
) -> Callable[[str], tuple[str, ...]]:
    """`lead_of` the same evidence, frame and scores, asked in different words."""
    return lambda question: lead_of(
        evidence, question=question, frame=frame, similarity=similarity, topic=topic
    )


def all_statements(draft):  # type: ignore[no-untyped-def]
    return [*draft.bottom_line, *(s for section in draft.sections for s in section.statements)]


def test_statements_are_passage_text_in_the_sections_their_cards_name() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE))
    by_section = {s.section_id: [x.text for x in s.statements] for s in draft.sections}
    assert by_section["pitfalls"] == ["Do not offer opioids for chronic back pain."]
    assert by_section["imaging"][0].startswith("Image the back")
    texts = {e.passage.text for e in EVIDENCE}
    assert all(s.text in texts for s in all_statements(draft))


def test_clinicians_do_not_get_the_plain_language_restatements() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE))
    assert "Walking helps back pain." not in [s.text for s in all_statements(draft)]


def test_bottom_line_comes_from_the_sections_that_answer_the_ask() -> None:
    draft = ExtractiveGenerator().generate(request(EVIDENCE, frame=QuestionFrame(Ask.TREATMENT)))
    assert draft.bottom_line[0].passage_ids == ("p1",)  # guideline beats systematic review
    shown = [s.passage_ids for s in draft.bottom_line]
    if ("p5",) not in shown:
        assert draft.sections[0].section_id == "first_line"


def test_the_section_that_answers_the_ask_breaks_near_ties() -> None:
    similarity = {"p1": 0.2, "p5": 0.7, "p2": 0.72}
    draft = ExtractiveGenerator().generate(
        request(EVIDENCE, frame=QuestionFrame(Ask.TREATMENT), similarity=similarity)
    )
    assert draft.bottom_line[0].passage_ids == ("p5",)  # p2 is a pitfall, not first-line care


def test_a_line_on_the_treatment_asked_about_is_not_displaced_by_first_line_care() -> None:
    # "Should I give opioids?": the pitfall names the drug asked about; first-line care in a
    # near tie does not take its place, as it would for a question naming no treatment.
    similarity = {"p1": 0.2, "p5": 0.7, "p2": 0.72}
    frame = QuestionFrame(Ask.TREATMENT, interventions=("opioids",), yes_no=True)
    draft = ExtractiveGenerator().generate(request(EVIDENCE, frame=frame, similarity=similarity))
    assert draft.bottom_line[0].passage_ids == ("p2",)


def test_a_regimen_for_women_is_not_offered_for_a_man_and_advice_for_everyone_stays() -> None:
    women = make_evidence("w1", "Nitrofurantoin for 3 days treats cystitis in women.", "Medicines")
    men = make_evidence(
        "m1", "For men with cystitis, send a urine sample for culture first.", "Medicines", rank=2
    )
    everyone = make_evidence(
        "e1", "Paracetamol eases the pain of cystitis.", "First-line management", rank=3
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, populations=("male",))
    draft = ExtractiveGenerator().generate(
        request(
            [women, men, everyone],
            question="Antibiotic for cystitis in a man?",
            frame=frame,
            topic="antibiotic cystitis",
        )
    )
    shown = {s.passage_ids[0] for s in all_statements(draft)}
    assert shown == {"m1", "e1"}
    assert draft.bottom_line[0].passage_ids == ("m1",)
    assert draft.title.endswith("in men")
    # "My brother" names who the question is about, not an article for men.
    brother = QuestionFrame(Ask.RED_FLAGS, populations=("male",))
    assert article_title(brother, "Depression", "My brother has a plan to end his life.") == (
        "Red flags in depression"
    )


def test_a_statement_much_nearer_the_question_leads_whatever_its_section() -> None:
    # "Should I give opioids for chronic back pain?" is answered by the pitfall.
    similarity = {"p1": 0.2, "p5": 0.4, "p2": 0.9}
    draft = ExtractiveGenerator().generate(
        request(EVIDENCE, frame=QuestionFrame(Ask.TREATMENT), similarity=similarity)
    )
    assert draft.bottom_line[0].passage_ids == ("p2",)


def test_a_dose_for_the_asked_population_leads_and_the_general_dose_is_kept() -> None:
    general = make_evidence(
        "d1",
        "For adults under 65 with no heart disease, start levothyroxine at 1.6 micrograms per "
        "kg a day.",
        "Medicines",
    )
    older = make_evidence(
        "d2",
        "For adults aged 65 or over, start levothyroxine at 25 to 50 micrograms a day.",
        "Medicines",
        rank=2,
    )
    frame = QuestionFrame(Ask.DOSE, populations=("older_adult",), interventions=("levothyroxine",))
    draft = ExtractiveGenerator().generate(
        request([general, older], question="Levothyroxine dose in an 80-year-old?", frame=frame)
    )
    assert [s.passage_ids for s in draft.bottom_line] == [("d2",)]
    assert "1.6 micrograms" in " ".join(s.text for s in all_statements(draft))


def test_identical_statements_from_two_sources_become_one_citing_both() -> None:
    twin = make_evidence("p9", EVIDENCE[1].passage.text, "Pitfalls", document_id="d9")
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, twin]))
    pitfalls = next(s for s in draft.sections if s.section_id == "pitfalls")
    assert [s.passage_ids for s in pitfalls.statements] == [("p2", "p9")]


def test_near_duplicates_keep_only_the_stronger_statement() -> None:
    weaker = make_evidence(
        "p8",
        "Opioids should not be offered for chronic back pain.",
        "Pitfalls",
        level=EvidenceLevel.OTHER,
        document_id="d8",
    )
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, weaker]))
    texts = [s.text for s in all_statements(draft)]
    assert "Opioids should not be offered for chronic back pain." not in texts


def test_statements_that_differ_in_a_number_population_or_negation_are_never_merged() -> None:
    pairs = [
        ("Start allopurinol at 100 mg a day.", "Start allopurinol at 50 mg a day."),
        ("Offer an NSAID to adults with back pain.", "Offer an NSAID to children with back pain."),
        ("Offer an NSAID for back pain.", "Do not offer an NSAID for back pain."),
        ("Offer naproxen for back pain.", "Offer ibuprofen for back pain."),
    ]
    for left, right in pairs:
        assert different_facts(left, right), (left, right)
    assert not different_facts(
        "Do not offer opioids for chronic back pain.",
        "Opioids should not be offered for chronic back pain.",
    )


def test_off_topic_research_sentences_are_left_out() -> None:
    abstract = make_evidence(
        "r1",
        "We enrolled 200 adults. Statins lowered cholesterol in adults with diabetes. "
        "Back pain improved with walking in most adults within six weeks.",
        "Abstract",
        origin="pubmed",
        kind=DocumentKind.RESEARCH,
        level=EvidenceLevel.RANDOMISED_TRIAL,
        document_id="r1",
    )
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, abstract]))
    texts = [s.text for s in all_statements(draft)]
    assert "Back pain improved with walking in most adults within six weeks." in texts
    assert not any("Statins" in text or "enrolled" in text for text in texts)


def test_patients_get_plain_statements_with_terms_explained() -> None:
    plain = [
        make_evidence(f"q{n}", text, "In plain language", rank=n)
        for n, text in enumerate(
            [
                "Walking helps back pain.",
                "Most back pain gets better on its own.",
                "NSAIDs can ease back pain for a short time.",
                "A scan is rarely needed for back pain.",
            ],
            start=1,
        )
    ]
    draft = ExtractiveGenerator().generate(request([*EVIDENCE, *plain], audience=Audience.PATIENT))
    statements = all_statements(draft)
    plain_ids = {"p4", "q1", "q2", "q3", "q4"}  # p4 and q1 say the same words: merged
    assert {p for s in statements for p in s.passage_ids} <= plain_ids
    nsaid = next(s for s in statements if s.text.startswith("NSAIDs"))
    assert nsaid.explanations and nsaid.shown != nsaid.text
    assert nsaid.shown.replace(nsaid.explanations[0], "", 1) == nsaid.text


def test_title_is_built_from_the_frame_not_the_question() -> None:
    treatment = QuestionFrame(Ask.TREATMENT, conditions=("disc space loss",))
    assert article_title(treatment, "") == "Treatment options for disc space loss"
    referral = QuestionFrame(Ask.REFERRAL)
    assert article_title(referral, "sciatica") == "Specialist referral for sciatica"
    # The reader's own words, and a medicine or score that led to the card, do not name it.
    lay = QuestionFrame(Ask.TREATMENT, conditions=("back has ached",))
    assert (
        article_title(lay, "Chronic low back pain") == "Treatment options for chronic low back pain"
    )
    sad = QuestionFrame(Ask.TREATMENT, conditions=("depressed",))
    assert article_title(sad, "Depression") == "Treatment options for depression"
    low = QuestionFrame(Ask.DRUG_CHOICE, conditions=("felt low",))
    assert article_title(low, "Depression") == "Medicines for depression"
    both = QuestionFrame(Ask.TREATMENT, conditions=("reflux", "osteoporosis"))
    titled_both = article_title(both, "Osteoporosis and fracture prevention")
    assert titled_both == "Treatment options for osteoporosis"
    score = QuestionFrame(Ask.DRUG_CHOICE, conditions=("Centor", "sore throat"))
    assert article_title(score, "Streptococcal pharyngitis") == "Medicines for sore throat"
    dose = QuestionFrame(
        Ask.DOSE,
        conditions=("hypothyroidism",),
        interventions=("levothyroxine",),
        populations=("older_adult",),
    )
    assert article_title(dose, "") == "Dosing of levothyroxine for hypothyroidism in older adults"
    acronym = QuestionFrame(Ask.GENERAL, conditions=("AF",))
    assert article_title(acronym, "") == "Overview of AF"
    mixed_case = QuestionFrame(Ask.DRUG_CHOICE, conditions=("HFpEF",))
    assert article_title(mixed_case, "") == "Medicines for HFpEF"
    # A page's topic in title case keeps it: not "irritable Bowel Syndrome".
    page = QuestionFrame(Ask.GENERAL)
    assert article_title(page, "Irritable Bowel Syndrome") == "Overview of Irritable Bowel Syndrome"
    assert article_title(page, "Sciatica in adults") == "Overview of sciatica in adults"
    # The reader's own words name the condition for matching, the card's title heads the article.
    personal = QuestionFrame(Ask.TREATMENT, conditions=("twisted my back",))
    assert (
        article_title(personal, "Acute low back pain")
        == "Treatment options for acute low back pain"
    )


def test_a_plain_statement_no_keyword_places_joins_the_section_of_the_fact_it_restates() -> None:
    import dataclasses

    import numpy as np

    pillow = make_evidence(
        "q1", "A pillow under the knees at night can ease the ache.", "In plain language", rank=6
    )
    axes = np.eye(4, dtype=np.float32)
    # Nearest in meaning to the pitfall, then to first-line advice: a plain statement worded as
    # advice is never filed under "Things to avoid", so first-line care is where it goes.
    near = 0.8 * axes[1] + 0.6 * axes[0]
    vectors = {"p1": axes[0], "p2": axes[1], "p3": axes[2], "p4": axes[3], "q1": near}
    similarity = {"p1": 0.9, "p4": 0.8, "p2": 0.2, "p3": 0.2, "q1": 0.1, "p5": 0.2}
    base = request([*EVIDENCE, pillow], audience=Audience.PATIENT, similarity=similarity)
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    placed = {s.passage_ids[0]: section.section_id for section in draft.sections
              for s in section.statements}  # fmt: skip
    assert placed.get("q1") == "first_line"


def test_a_patient_gets_the_clinical_line_on_the_treatment_asked_when_no_plain_one_names_it() -> (
    None
):
    import dataclasses

    import numpy as np

    plain = [
        make_evidence("q1", "Walking every day helps knee pain.", "In plain language", rank=2),
        make_evidence("q2", "Losing weight helps sore knees.", "In plain language", rank=3),
        make_evidence("q3", "Tai chi can help knee pain.", "In plain language", rank=4),
    ]
    injection = make_evidence(
        "c1",
        "The ACR strongly recommends intra-articular glucocorticoid injection for knee "
        "osteoarthritis, with a moderate duration of benefit in the trials that support it.",
        "Procedures and surgery",
    )
    axes = np.eye(4, dtype=np.float32)
    vectors = {"q1": axes[0], "q2": axes[1], "q3": axes[2], "c1": axes[3]}
    similarity = {"q1": 0.5, "q2": 0.5, "q3": 0.5, "c1": 0.7}
    frame = QuestionFrame(Ask.TREATMENT, interventions=("steroid",), yes_no=True)
    base = request(
        [injection, *plain],
        question="Would a steroid jab help my knee?",
        audience=Audience.PATIENT,
        frame=frame,
        similarity=similarity,
        topic="steroid jab knee",
    )
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    # Hard to read, and no plain line says it, but it is the only word on what was asked.
    assert draft.bottom_line[0].passage_ids == ("c1",)


def test_a_yes_or_no_question_on_a_treatment_is_answered_by_the_only_line_naming_it() -> None:
    import dataclasses

    import numpy as np

    general = make_evidence(
        "q1", "An ear infection may need an antibiotic.", "In plain language", rank=1
    )
    others = [
        make_evidence("q2", "Ear infections are very common.", "In plain language", rank=2),
        make_evidence("q3", "A doctor looks at the eardrum.", "In plain language", rank=3),
    ]
    pitfall = make_evidence(
        "c1",
        "Do not give decongestants or nasal steroids to clear middle-ear fluid in otitis media "
        "with effusion.",
        "Pitfalls",
        rank=4,
    )
    axes = np.eye(4, dtype=np.float32)
    near = (0.75 * axes[0] + np.sqrt(1 - 0.75**2) * axes[3]).astype(np.float32)
    # Near in meaning to the general line (cosine 0.75), but it alone names the steroid asked.
    vectors = {"q1": axes[0], "q2": axes[1], "q3": axes[2], "c1": near}
    frame = QuestionFrame(Ask.TREATMENT, interventions=("steroid",), yes_no=True)
    base = request(
        [general, *others, pitfall],
        question="Would a steroid nose spray help my son's glue ear?",
        audience=Audience.PATIENT,
        frame=frame,
        similarity={"q1": 0.75, "q2": 0.4, "q3": 0.4, "c1": 0.62},
        topic="steroid nose spray glue ear",
    )
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    assert draft.bottom_line[0].passage_ids == ("c1",)


def label_evidence(passage_id: str, text: str, heading: str, rank: int) -> Evidence:
    passage = Passage(passage_id, "lab", 0, ("Fictolol drug label", heading), None, 0, len(text),
                      text)  # fmt: skip
    document = dataclasses_replace(
        make_document("lab", origin="fda-label-sections", kind=DocumentKind.DRUG_LABEL),
        title="Fictolol drug label",
        extra={"brand_names": ["Fictolol"], "generic_names": ["fictoprazine"]},
    )
    return Evidence(passage, document, 1.0 / rank, rank, EvidenceLevel.OTHER)


def dataclasses_replace(document: Document, **changes: object) -> Document:
    import dataclasses

    return dataclasses.replace(document, **changes)  # type: ignore[arg-type]


def test_a_drug_label_answers_a_side_effect_question_from_its_own_sections() -> None:
    from bedside.domain import DrugName

    evidence = [
        label_evidence(
            "a1",
            "6 ADVERSE REACTIONS\n\nThe safety of Fictolol has been evaluated in 900 patients. "
            "Most common adverse reactions (>5%) are headache and nausea.(6.1)",
            "Adverse reactions",
            1,
        ),
        label_evidence(
            "w1",
            "- Fictolol can cause serious liver injury [see Warnings and Precautions (5.1)].",
            "Warnings and precautions",
            2,
        ),
        label_evidence("d1", "Take Fictolol once a day with food, every day.", "Dosage", 3),
    ]
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        interventions=("fictolol",),
        drugs=(DrugName("Fictolol", "fictoprazine"),),
    )
    draft = ExtractiveGenerator().generate(
        request(
            evidence,
            question="What are the side effects of Fictolol?",
            frame=frame,
            similarity={"a1": 0.4, "w1": 0.5, "d1": 0.3},
        )
    )
    assert (
        draft.bottom_line[0].text == "Most common adverse reactions (>5%) are headache and nausea."
    )
    placed = {s.text: section.section_id for section in draft.sections for s in section.statements}
    # The label's pointers to its other sections and list dashes are not part of the statement.
    assert placed == {
        "Fictolol can cause serious liver injury.": "warnings",
        "Take Fictolol once a day with food, every day.": "medicines",
    }
    assert all("evaluated in" not in s.text for s in all_statements(draft))
    assert draft.title.startswith("Side effects and risks of Fictolol (fictoprazine)")


def test_a_guideline_recommendation_keeps_its_grade_beside_it() -> None:
    text = "The task force recommends screening for back pain in adults aged 50 to 75 years."
    passage = Passage("g1", "ngc1", 0, ("Back pain screening", "Major recommendations",
                                        "Grade B"), None, 0, len(text), text)  # fmt: skip
    document = dataclasses_replace(
        make_document("ngc1", origin="ngc", kind=DocumentKind.GUIDELINE), source_id="ngc-1"
    )
    evidence = [Evidence(passage, document, 1.0, 1, EvidenceLevel.GUIDELINE)]
    draft = ExtractiveGenerator().generate(request(evidence, question="Screening for back pain?"))
    (statement,) = all_statements(draft)
    assert statement.grade == "Grade B"


def test_the_questions_rarest_word_singles_out_the_line_that_holds_it() -> None:
    shares = distinctive_shares(
        frozenset({"strep", "titr"}),
        [frozenset({"strep", "swab"}), frozenset({"strep", "titr"}), frozenset({"strep"})],
    )
    # "strep" is in every line and tells none apart; "titr" is in one.
    assert shares[1] > 0.85 and shares[0] == shares[2] < 0.15


def test_a_pitfall_holding_the_asked_test_leads_over_a_nearer_general_line() -> None:
    general = make_evidence(
        "g1",
        "Confirm suspected streptococcal pharyngitis with a rapid antigen test or a culture.",
        "Diagnosis and assessment",
    )
    pitfall = make_evidence(
        "t1",
        "Do not use antibody titres to diagnose acute streptococcal pharyngitis.",
        "Pitfalls",
        rank=2,
    )
    others = [
        make_evidence(f"o{n}", f"Streptococcal pharyngitis point number {n}.", "Overview", rank=3)
        for n in range(3)
    ]
    assert lead_of(
        [general, pitfall, *others],
        question="Antibody titres to diagnose streptococcal pharyngitis?",
        frame=QuestionFrame(Ask.DIAGNOSIS),
        similarity={"g1": 0.6, "t1": 0.55, "o0": 0.3, "o1": 0.3, "o2": 0.3},
        topic="antibody titres diagnose streptococcal pharyngitis",
    ) == ("t1",)


def test_the_kind_asked_about_singles_out_its_line_however_it_is_written() -> None:
    hfref = make_evidence(
        "h1",
        "Catheter ablation is recommended in atrial fibrillation with heart failure with "
        "reduced ejection fraction.",
        "Procedures",
    )
    others = [
        make_evidence(
            f"o{n}",
            f"Catheter ablation suits paroxysmal atrial fibrillation {n}.",
            "Procedures",
            rank=2,
        )
        for n in range(3)
    ]
    assert lead_of(
        [*others, hfref],
        question="Where does catheter ablation sit for AF with HFrEF?",
        frame=QuestionFrame(Ask.TREATMENT),
        similarity={"h1": 0.5, "o0": 0.55, "o1": 0.54, "o2": 0.53},
        topic="catheter ablation AF HFrEF",
    ) == ("h1",)


def test_an_abbreviation_in_the_question_is_found_spelled_out_in_the_statement() -> None:
    import dataclasses

    from bedside.retrieve.synonyms import curated_table

    spelled = make_evidence(
        "s1", "Review an inhaled corticosteroid in COPD after pneumonia.", "Pitfalls"
    )
    others = [
        make_evidence(f"o{n}", f"COPD treatment options after pneumonia, point {n}.", "Medicines")
        for n in range(3)
    ]
    base = request(
        [*others, spelled],
        question="COPD on LABA admitted with pneumonia: should the ICS be continued?",
        frame=QuestionFrame(Ask.MONITORING, conditions=("COPD",)),
        similarity={"s1": 0.5, "o0": 0.55, "o1": 0.54, "o2": 0.53},
        topic="COPD ICS continued pneumonia",
    )
    without = ExtractiveGenerator().generate(base)
    assert without.bottom_line[0].passage_ids != ("s1",)
    with_groups = dataclasses.replace(base, term_groups=curated_table().terms_in)
    assert ExtractiveGenerator().generate(with_groups).bottom_line[0].passage_ids == ("s1",)


def test_a_first_line_question_is_not_answered_by_a_second_line_statement() -> None:
    assert another_line_of_treatment(
        "First-line antibiotic for cystitis?",
        "Beta-lactams are second-line because they are less effective than first-line drugs.",
    )
    assert not another_line_of_treatment(
        "First-line antibiotic for cystitis?", "Nitrofurantoin is a first-line treatment."
    )
    assert not another_line_of_treatment("Antibiotic for cystitis?", "X is second-line.")


def test_after_a_treatment_that_did_not_work_the_next_step_leads_not_the_first_line() -> None:
    question = "My son has been on amoxicillin for three days and is no better. What now?"
    # As the framer reads it: "my son" is a child (and male).
    frame = QuestionFrame(Ask.TREATMENT, populations=("child", "male"), treatment_tried=True)
    first_line = make_evidence("f1", "Amoxicillin is the first-line antibiotic.", "Treatment")
    next_step = make_evidence(
        "n1", "If the infection is not better after 3 days, re-examine the child.", "Medicines"
    )
    assert another_line_of_treatment(question, first_line.passage.text, frame)
    assert not another_line_of_treatment(
        question, first_line.passage.text, QuestionFrame(Ask.TREATMENT)
    )
    assert lead_of(
        [first_line, next_step],
        question=question,
        frame=frame,
        similarity={"f1": 0.6, "n1": 0.45},
        topic="amoxicillin no better",
    ) == ("n1",)
    # The same question without the failed treatment opens with first-line care.
    untried = ExtractiveGenerator().generate(
        request(
            [first_line, next_step],
            question="Which antibiotic for my son's ear infection?",
            frame=QuestionFrame(Ask.TREATMENT),
            similarity={"f1": 0.6, "n1": 0.45},
            topic="antibiotic ear infection",
        )
    )
    assert untried.bottom_line[0].passage_ids == ("f1",)


def test_for_a_treatment_that_cannot_be_taken_the_alternative_leads_not_the_treatment() -> None:
    # Naming the blood thinner someone cannot have is no credit, nor is "check again whether
    # you still need one": the line on what to do when it cannot be used answers them.
    question = "I can't have blood thinners because I had a big bleed. Anything else for my AF?"
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("blood thinners",), treatment_tried=True)
    need = make_evidence("b1", "Many people with AF need a blood thinner.", "Medicines")
    review = make_evidence(
        "r1",
        "Whether you still need a blood thinner should be checked again.",
        "Follow-up and monitoring",
    )
    other = make_evidence(
        "o1",
        "If you cannot take a blood thinner for AF, a heart procedure may be an option.",
        "Procedures and surgery",
    )
    assert lead_of(
        [need, review, other],
        question=question,
        frame=frame,
        similarity={"b1": 0.6, "r1": 0.55, "o1": 0.5},
        topic="blood thinners AF",
    ) == ("o1",)


def test_a_medicine_of_the_class_the_reader_is_allergic_to_does_not_lead() -> None:
    # Where no line speaks of the allergy, the first-line penicillin still must not open the
    # answer for someone allergic to penicillin: the alternative does (the gap says the rest).
    first_line = make_evidence(
        "a1", "Amoxicillin 1 g three times daily is the first option for pneumonia.", "Medicines"
    )
    other = make_evidence(
        "d1", "Doxycycline 100 mg twice daily is an option for pneumonia.", "Medicines"
    )
    for question in (
        "First-line antibiotic for pneumonia in an adult with a penicillin allergy?",
        "I'm allergic to penicillin. Which antibiotic for my pneumonia?",
    ):
        draft = ExtractiveGenerator().generate(
            request(
                [first_line, other],
                question=question,
                frame=QuestionFrame(Ask.DRUG_CHOICE, interventions=("antibiotic",)),
                similarity={"a1": 0.6, "d1": 0.5},
                topic="antibiotic pneumonia",
            )
        )
        assert draft.bottom_line[0].passage_ids == ("d1",), question
    # …and without the allergy the first line leads.
    assert lead_of(
        [first_line, other],
        question="First-line antibiotic for pneumonia in an adult?",
        frame=QuestionFrame(Ask.DRUG_CHOICE, interventions=("antibiotic",)),
        similarity={"a1": 0.6, "d1": 0.5},
        topic="antibiotic pneumonia",
    ) == ("a1",)


def test_a_line_for_people_without_a_condition_the_question_names_does_not_lead() -> None:
    # "For AF without heart failure …" does not answer a question on heart failure with AF,
    # however near its words; it stays in the article below the line that fits.
    without = make_evidence(
        "w1",
        "For atrial fibrillation without heart failure, aim for a heart rate below 110.",
        "Medicines",
    )
    fits = make_evidence(
        "f1", "Treating atrial fibrillation is part of managing heart failure.", "Medicines"
    )
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("heart failure", "atrial fibrillation"),
        condition_cards=("heart-failure", "atrial-fibrillation"),
    )
    draft = ExtractiveGenerator().generate(
        request(
            [without, fits],
            question="Heart failure with atrial fibrillation: should the AF be treated?",
            frame=frame,
            similarity={"w1": 0.6, "f1": 0.5},
            topic="heart failure atrial fibrillation",
        )
    )
    assert draft.bottom_line[0].passage_ids == ("f1",)
    assert any(s.passage_ids == ("w1",) for section in draft.sections for s in section.statements)


def test_a_question_about_no_group_is_not_answered_by_the_line_for_one() -> None:
    # "Which antibiotic for cellulitis?" is not answered by what people allergic to penicillin
    # take, however close its words; someone who says they are allergic is.
    general = make_evidence(
        "g1", "Flucloxacillin is the usual antibiotic for cellulitis.", "Medicines"
    )
    allergy = make_evidence(
        "a1",
        "If you are allergic to penicillin, another antibiotic is used for cellulitis.",
        "Medicines",
    )
    similarity = {"a1": 0.6, "g1": 0.55}
    draft = ExtractiveGenerator().generate(
        request(
            [allergy, general],
            question="Which antibiotic for cellulitis?",
            frame=QuestionFrame(Ask.DRUG_CHOICE, interventions=("antibiotic",)),
            similarity=similarity,
            topic="antibiotic cellulitis",
        )
    )
    assert [s.passage_ids for s in draft.bottom_line] == [("g1",)]
    allergic = ExtractiveGenerator().generate(
        request(
            [allergy, general],
            question="I'm allergic to penicillin. Which antibiotic for cellulitis?",
            frame=QuestionFrame(
                Ask.DRUG_CHOICE, interventions=("antibiotic",), populations=("allergy",)
            ),
            similarity=similarity,
            topic="antibiotic cellulitis",
        )
    )
    assert allergic.bottom_line[0].passage_ids == ("a1",)


def test_a_red_flag_story_is_led_by_the_line_on_the_alarm_feature_wherever_filed() -> None:
    # The card has no red-flag section for it: the line naming the alarm feature (a red flag
    # itself) leads, not the medicine line the question's words are nearest.
    tablets = make_evidence(
        "t1", "Once reflux is better on acid tablets, your doctor may stop them.", "Medicines"
    )
    alarm = make_evidence(
        "a1",
        "Reflux with trouble swallowing needs a camera test first.",
        "Assessment and diagnosis",
    )
    assert lead_of(
        [tablets, alarm],
        question="Food sticks when I swallow. Should I take stronger acid tablets?",
        frame=QuestionFrame(Ask.RED_FLAGS),
        similarity={"t1": 0.6, "a1": 0.5},
        topic="reflux acid tablets swallow",
    ) == ("a1",)


def test_a_question_on_the_outlook_is_answered_by_the_course_wherever_the_card_files_it() -> None:
    course = make_evidence("c1", "Most new sciatica settles with time.", "Overview")
    drug = make_evidence("d1", "Steroid tablets are not advised for sciatica.", "Medicines")
    for ask, question, leads in (
        (Ask.PROGNOSIS, "How long will my sciatica last?", "c1"),
        (Ask.TREATMENT, "What helps my sciatica?", "d1"),
        # Whatever the ask is read as, "by itself" asks how it runs untreated.
        (Ask.TREATMENT, "Will my sciatica clear up by itself or do I need tablets?", "c1"),
    ):
        draft = ExtractiveGenerator().generate(
            request(
                [drug, course],
                question=question,
                frame=QuestionFrame(ask),
                similarity={"d1": 0.56, "c1": 0.5},
                topic="sciatica",
            )
        )
        assert draft.bottom_line[0].passage_ids == (leads,)


def test_a_yes_or_no_question_on_a_kind_of_treatment_is_answered_by_the_line_on_that_kind() -> None:
    advice = "Back injections are not advised for long-lasting back pain."
    injections = make_evidence("i1", advice, "Procedures and surgery")
    exercise = make_evidence(
        "e1",
        "Exercise is one of the main treatments for back pain.",
        "First-line management",
        rank=2,
    )
    frame = QuestionFrame(Ask.TREATMENT, interventions=("steroid injections",), yes_no=True)
    draft = ExtractiveGenerator().generate(
        request(
            [injections, exercise],
            question="Would steroid injections in my spine help my back pain?",
            frame=frame,
            similarity={"i1": 0.7, "e1": 0.6},
            topic="steroid injections back pain",
        )
    )
    # Not displaced by first-line care in a near tie: it answers the question asked.
    assert draft.bottom_line[0].passage_ids == ("i1",)


def test_a_sentence_that_leans_on_the_one_before_is_not_a_statement() -> None:
    page = make_evidence(
        "m1",
        "A night cough has many causes in adults and children. Examples include a night "
        "cough from sinus infections and from glimmer fever.",
        "Night Cough",
        origin="medquad",
        kind=DocumentKind.PATIENT_INFORMATION,
    )
    draft = ExtractiveGenerator().generate(
        request([page], question="What causes a night cough?", topic="night cough causes")
    )
    texts = [s.text for s in all_statements(draft)]
    assert texts and not any(text.startswith("Examples") for text in texts)


def test_adult_medicine_advice_does_not_lead_a_patients_answer_for_an_uncovered_pregnancy() -> None:
    # No statement speaks of pregnancy: the tablets line is general adult advice that may be
    # wrong in pregnancy, so the care that needs no medicine leads (the caveat says the rest).
    tablets = make_evidence(
        "t1", "You may start on two blood pressure tablets together.", "Medicines"
    )
    lifestyle = make_evidence(
        "l1", "Cutting down on salt lowers blood pressure.", "First-line management", rank=2
    )
    similarity = {"t1": 0.8, "l1": 0.6}
    frame = QuestionFrame(Ask.DRUG_CHOICE, populations=("pregnancy",))

    def lead(audience: Audience, frame: QuestionFrame = frame) -> tuple[str, ...]:
        draft = ExtractiveGenerator().generate(
            request(
                [tablets, lifestyle],
                "I'm pregnant: which blood pressure tablets are safe?",
                audience,
                frame,
                similarity,
                topic="blood pressure",
            )
        )
        return draft.bottom_line[0].passage_ids

    assert lead(Audience.PATIENT) == ("l1",)
    # A clinician reads general advice under the caveat as general; without the population the
    # tablets line leads for a patient too.
    assert lead(Audience.CLINICIAN) == ("t1",)
    assert lead(Audience.PATIENT, QuestionFrame(Ask.DRUG_CHOICE)) == ("t1",)
    # A statement on pregnancy anywhere means the population is covered, and ranking decides.
    covered = QuestionFrame(Ask.DRUG_CHOICE, populations=("pregnancy",))
    in_pregnancy = make_evidence(
        "g1", "In pregnancy, labetalol is the usual first tablet.", "Medicines", rank=3
    )
    draft = ExtractiveGenerator().generate(
        request(
            [tablets, lifestyle, in_pregnancy],
            "I'm pregnant: which blood pressure tablets are safe?",
            Audience.PATIENT,
            covered,
            {**similarity, "g1": 0.5},
            topic="blood pressure",
        )
    )
    assert draft.bottom_line[0].passage_ids != ("l1",)


def test_a_statement_that_leaves_the_asked_population_out_is_not_in_its_article() -> None:
    for_others = make_evidence(
        "u1",
        "For non-pregnant women with cystitis, consider a back-up antibiotic prescription.",
        "First-line management",
    )
    for_her = make_evidence(
        "u2",
        "For pregnant women with cystitis, send a urine culture and start an antibiotic at once.",
        "First-line management",
        rank=2,
    )
    screening = make_evidence(
        "u3",
        "Do not treat asymptomatic bacteriuria in non-pregnant women; treat it in pregnancy.",
        "Pitfalls",
        rank=3,
    )
    frame = QuestionFrame(Ask.TREATMENT, populations=("pregnancy",))
    draft = ExtractiveGenerator().generate(
        request(
            [for_others, for_her, screening],
            question="Cystitis at 12 weeks pregnant: what treatment?",
            frame=frame,
            topic="cystitis",
        )
    )
    cited = [s.passage_ids for s in all_statements(draft)]
    assert ("u1",) not in cited
    assert ("u2",) in cited and ("u3",) in cited  # it names pregnancy as well: kept


def test_a_first_line_question_is_not_answered_beside_a_second_line_statement() -> None:
    first = make_evidence(
        "l1", "Nitrofurantoin for 5 days is first-line for cystitis in women.", "Medicines"
    )
    second = make_evidence(
        "l2",
        "Beta-lactams for 3 to 7 days are second-line for cystitis in women.",
        "Medicines",
        rank=2,
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("antibiotic",))
    draft = ExtractiveGenerator().generate(
        request(
            [first, second],
            question="First-line antibiotic for cystitis?",
            frame=frame,
            similarity={"l1": 0.8, "l2": 0.95},
            topic="cystitis",
        )
    )
    assert [s.passage_ids for s in draft.bottom_line] == [("l1",)]


def test_a_strong_statement_takes_the_place_of_a_weak_section_that_answers_the_ask() -> None:
    weak = [
        make_evidence(f"w{i}", text, heading, rank=i + 2)
        for i, (text, heading) in enumerate(
            [
                ("Start back pain care with exercise.", "First-line management"),
                ("A short course of an NSAID may help back pain.", "Medicines"),
                ("Do not tell people that a scan explains their back pain.", "Pitfalls"),
                ("Back pain usually improves with time.", "Prognosis and counselling"),
                ("Refer back pain with bladder symptoms urgently.", "Red flags"),
            ]
        )
    ]
    lead = make_evidence(
        "f1",
        "In trials, fusion for back pain did no better than intensive rehabilitation.",
        "Procedures and surgery",
    )
    disagree = make_evidence(
        "f2",
        "NICE and the AANS/CNS disagree on fusion for back pain: NICE limits it to trials.",
        "Procedures and surgery",
        rank=9,
    )
    similarity = {e.passage.passage_id: 0.6 for e in weak} | {"f1": 0.9, "f2": 0.8}
    draft = ExtractiveGenerator().generate(
        request(
            [lead, *weak, disagree],
            question="Does fusion beat rehabilitation for back pain?",
            frame=QuestionFrame(Ask.TREATMENT, interventions=("fusion",)),
            similarity=similarity,
        )
    )
    assert ("f2",) in [s.passage_ids for s in all_statements(draft)]
    assert len(draft.sections) <= 5


def test_an_outlook_question_is_answered_by_the_course_not_a_comparison_of_treatments() -> None:
    surgery = make_evidence(
        "s1",
        "Surgery takes sciatica leg pain away sooner, but a year later outcomes are similar.",
        "Procedures and surgery",
    )
    course = make_evidence("s2", "Most new sciatica settles with time.", "Overview", rank=2)
    assert lead_of(
        [surgery, course],
        question="How long does sciatica last?",
        frame=QuestionFrame(Ask.PROGNOSIS),
        similarity={"s1": 0.9, "s2": 0.8},
        topic="sciatica",
    ) == ("s2",)


def test_a_plain_line_near_in_meaning_but_saying_the_opposite_does_not_restate_a_clinical_one() -> (
    None
):
    import dataclasses

    import numpy as np

    plain = [
        make_evidence("q1", "A quick swab test is used to check for strep.", "In plain language"),
        make_evidence("q2", "Most sore throats get better in a week.", "In plain language", rank=2),
        make_evidence("q3", "Drink plenty when your throat is sore.", "In plain language", rank=3),
    ]
    no_repeat = make_evidence(
        "c1", "A repeat throat swab is not needed after strep is treated.", "Pitfalls", rank=4
    )
    axes = np.eye(4, dtype=np.float32)
    near = 0.8 * axes[0] + 0.6 * axes[3]  # cosine 0.8 to the swab line
    vectors = {"q1": axes[0], "q2": axes[1], "q3": axes[2], "c1": near}
    similarity = {"q1": 0.5, "q2": 0.3, "q3": 0.3, "c1": 0.6}
    base = request(
        [*plain, no_repeat],
        question="Do I need another throat swab after my antibiotics?",
        audience=Audience.PATIENT,
        frame=QuestionFrame(Ask.TEST_OR_IMAGE),
        similarity=similarity,
        topic="throat swab",
    )
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    assert ("c1",) in [s.passage_ids for s in all_statements(draft)]


def _restated_for_a_patient(
    clinical_text: str,
    plain_text: str,
    question: str,
    populations: tuple[str, ...] = (),
    kidney_function: float | None = None,
) -> list[tuple[str, ...]]:
    """The passage ids of a patient article in which `plain_text` is near in meaning to
    `clinical_text` (cosine 0.8)."""
    import dataclasses

    import numpy as np

    plain = [
        make_evidence("q1", plain_text, "In plain language"),
        make_evidence(
            "q2", "Most skin infections clear with treatment.", "In plain language", rank=2
        ),
        make_evidence("q3", "Raise the swollen leg when you can.", "In plain language", rank=3),
    ]
    clinical = make_evidence("c1", clinical_text, "Medicines", rank=4)
    axes = np.eye(4, dtype=np.float32)
    vectors = {"q1": axes[0], "q2": axes[1], "q3": axes[2], "c1": 0.8 * axes[0] + 0.6 * axes[3]}
    base = request(
        [*plain, clinical],
        question=question,
        audience=Audience.PATIENT,
        frame=QuestionFrame(
            Ask.DRUG_CHOICE, populations=populations, kidney_function=kidney_function
        ),
        similarity={"q1": 0.5, "q2": 0.3, "q3": 0.3, "c1": 0.6},
        topic="cellulitis",
    )
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    return [s.passage_ids for s in all_statements(draft)]


def test_the_year_and_code_of_a_source_do_not_make_its_plain_restatement_another_fact() -> None:
    plain = "The first pill for cellulitis is often flucloxacillin."
    question = "Which antibiotic is used for cellulitis?"
    # Plain enough to be shown, so only a restatement keeps it out.
    other_number = "Flucloxacillin is often the first pill for cellulitis for 5 days."
    assert ("c1",) in _restated_for_a_patient(other_number, plain, question)
    shown = _restated_for_a_patient(
        "The 2019 NICE guide NG141 says flucloxacillin is often the first pill for cellulitis.",
        plain,
        question,
    )
    assert ("c1",) not in shown  # said once, in plain words


def test_a_plain_line_that_drops_only_a_threshold_restates_the_clinical_line() -> None:
    question = "Which antibiotic will I get for my cellulitis?"
    shown = _restated_for_a_patient(
        "Flucloxacillin is often the first pill for cellulitis, if eGFR is 30 ml/minute or more.",
        "The first pill for cellulitis is often flucloxacillin.",
        question,
    )
    assert ("c1",) not in shown  # the kidney limit is the prescriber's, not the reader's
    # …but the limit is the answer for a reader who gives their kidney function.
    shown = _restated_for_a_patient(
        "Flucloxacillin is often the first pill for cellulitis, if eGFR is 30 ml/minute or more.",
        "The first pill for cellulitis is often flucloxacillin.",
        "My eGFR is 25. Which antibiotic will I get for my cellulitis?",
        kidney_function=25.0,
    )
    assert ("c1",) in shown


def test_a_plain_line_naming_another_medicine_does_not_restate_a_clinical_line() -> None:
    shown = _restated_for_a_patient(
        "The next pill for a skin infection is often clarithromycin.",
        "The first pill for cellulitis is often flucloxacillin.",
        "Which antibiotic will I get for my cellulitis if I can't take penicillin?",
    )
    assert ("c1",) in shown


def test_a_clinical_line_for_the_population_asked_stays_beside_a_plain_one_not_naming_it() -> None:
    shown = _restated_for_a_patient(
        "For cellulitis in adults and children, the first oral antibiotic is flucloxacillin.",
        "The first antibiotic most people get for cellulitis is a tablet called flucloxacillin.",
        "My 5-year-old has cellulitis on her leg. Which antibiotic will she get?",
        populations=("child",),
    )
    assert ("c1",) in shown


# Each case: the question, its frame, a line that is near in meaning but does not answer it
# (scored a little higher), and the line that answers it.
_ANSWERING_LINE_CASES = [
    pytest.param(
        "Can my son go back to school the day after his concussion?",
        QuestionFrame(Ask.PROGNOSIS),
        "Staying in bed until all symptoms have gone does not help you get better.",
        "Most people can get back to normal life from the day after a concussion.",
        id="going back to school: the line on going back",
    ),
    pytest.param(
        "Apart from tablets, what should I be doing about my thin bones?",
        QuestionFrame(Ask.TREATMENT),
        "When you choose a treatment for weak bones, say what matters to you.",
        "Bone medicines come with advice on eating well and avoiding falls.",
        id="medicines set aside: what else helps",
    ),
    pytest.param(
        "Initial inhaled therapy for newly diagnosed COPD?",
        QuestionFrame(Ask.TREATMENT),
        "Assess exacerbation risk when deciding to escalate COPD treatment.",
        "As initial treatment, GOLD recommends a LABA plus LAMA in group B COPD.",
        id="the first choice: the line naming it",
    ),
    pytest.param(
        # "on allopurinol" is what the person takes, not what is asked.
        "Target serum urate for a patient with tophaceous gout on allopurinol",
        QuestionFrame(Ask.MONITORING, conditions=("gout",), interventions=("allopurinol",)),
        "Do not set a fixed allopurinol dose and stop checking the serum urate.",
        "Adjust the dose until serum urate is below 6 mg/dL (treat to target).",
        id="a target: the value, not the drug the person is on",
    ),
    pytest.param(
        "Is it best to do nothing at all until every symptom of my concussion has gone?",
        QuestionFrame(Ask.TREATMENT),
        "After a concussion, a child should rest for no more than 2 to 3 days.",
        "Staying in bed until you have no symptoms left does not help you get better.",
        id="no group named: a line for everyone, not the one for children",
    ),
    pytest.param(
        "Is it safe to take ibuprofen every day for my knee?",
        QuestionFrame(Ask.SIDE_EFFECTS),
        "Anti-inflammatory gels rubbed on the knee can ease the pain.",
        "Painkillers for knee osteoarthritis are best used for short spells.",
        id="taken every day: the line on how long to take it",
    ),
    pytest.param(
        "When is surgery indicated for a lumbar disc herniation?",
        QuestionFrame(Ask.TREATMENT, interventions=("surgery",)),
        "Surgery for a lumbar disc herniation gave faster relief of leg pain in a trial.",
        "Surgery for a disc herniation is an option when there is no improvement after 6 weeks.",
        id="when a treatment is due: the line that says when",
    ),
    pytest.param(
        "What blood pressure should I be aiming for at home?",
        QuestionFrame(Ask.MONITORING),
        "To check your blood pressure at home, take two readings twice a day for a week.",
        "For adults with high blood pressure, the goal is to keep it below 130/80.",
        id="a target: the value, not how to measure",
    ),
    pytest.param(
        "What should my blood pressure be on tablets?",
        QuestionFrame(Ask.MONITORING),
        "With blood pressure of 130/80 or more and a 10-year risk below 7.5%, change habits first.",
        "For adults, the goal is to keep blood pressure below 130/80 mm Hg.",
        id="a target: the goal, not a threshold that sorts people",
    ),
    pytest.param(
        "What blood pressure should I aim for?",
        QuestionFrame(Ask.MONITORING),
        "For people aged 80 and over, lower clinic blood pressure below 150/90 and keep it there.",
        "For adults, the goal is to keep blood pressure below 130/80 mm Hg.",
        id="a target: the reader's, not another age group's",
    ),
    pytest.param(
        "My son hit his head at rugby. When can he go back to playing?",
        QuestionFrame(Ask.PROGNOSIS),
        "After a concussion, rest for 2 to 3 days, then go back to everything other than sport.",
        "Getting back to sport after a concussion takes 6 steps, up to full games.",
        id="going back to sport: not the line that sets sport aside",
    ),
    pytest.param(
        "When can she go back to netball after her concussion?",
        QuestionFrame(Ask.PROGNOSIS),
        "A child can go back to school bit by bit after a concussion.",
        "A player should not go back to team drills or games until the symptoms have gone.",
        id="going back to sport: not the line on going back to school",
    ),
    pytest.param(
        "First-line drug for hypertension in a Black African adult without diabetes?",
        QuestionFrame(Ask.DRUG_CHOICE, populations=("black_ethnicity",)),
        "If step 1 treatment does not control it in Black African adults, add an ARB.",
        "Offer a calcium-channel blocker as step 1 to Black African adults without diabetes.",
        id="first line: not the drug added when step 1 does not control it",
    ),
    pytest.param(
        "Grommets for recurrent acute otitis media?",
        QuestionFrame(Ask.TREATMENT, interventions=("grommets",)),
        "Management of acute otitis media should always include assessing pain and treating it.",
        "For recurrent acute otitis media, tympanostomy tubes may be offered.",
        id="a circumstance named: the line on it, not first-line care for every attack",
    ),
    pytest.param(
        "Empirical antibiotic for pneumonia in an adult without comorbidities?",
        QuestionFrame(
            Ask.DRUG_CHOICE, interventions=("antibiotic",), populations=("otherwise_healthy",)
        ),
        "De-escalate empirical antibiotic treatment for pneumonia when cultures are negative.",
        "For healthy adult outpatients with pneumonia, the first option is amoxicillin.",
        id="which antibiotic: the line naming the first drug for that group",
    ),
    pytest.param(
        "What helps severe depression?",
        QuestionFrame(Ask.TREATMENT, conditions=("depression",)),
        "What helps less severe depression is talking therapy first.",
        "For moderate to severe depression, CBT or an antidepressant are both good first steps.",
        id="another severity: not the line for mild depression",
    ),
]


@pytest.mark.parametrize(("question", "frame", "near", "answering"), _ANSWERING_LINE_CASES)
def test_the_line_that_answers_the_question_leads_over_a_near_one(
    question: str, frame: QuestionFrame, near: str, answering: str
) -> None:
    assert lead_of(
        [make_evidence("n1", near, "Overview"), make_evidence("a1", answering, "Overview")],
        question=question,
        frame=frame,
        similarity={"n1": 0.8, "a1": 0.78},
        topic=question,
    ) == ("a1",)


def features_of(text: str, frame: QuestionFrame, question: str) -> StatementFeatures:
    """What is scored about one statement, with no similarity or topic words to blur it."""
    return score_statement(
        text, section="", level=EvidenceLevel.GUIDELINE, similarity=0.0, words=0.0,
        frame=frame, question=question,
    )  # fmt: skip


def test_an_alternative_is_not_the_first_line_asked_for() -> None:
    question = "First-line pharmacotherapy for moderate depression in adults"
    alternative = "Combining CBT with an antidepressant is an alternative first treatment."
    first = "ACP recommends starting with either CBT or an antidepressant."
    assert another_line_of_treatment(question, alternative)
    assert not another_line_of_treatment(question, first)
    assert not another_line_of_treatment("What else can I take for my cellulitis?", alternative)
    scored = features_of(first, QuestionFrame(Ask.DRUG_CHOICE), question)
    assert scored.first_choice == 1.0  # "starting with" names the first choice


def test_naming_a_drug_of_the_class_earns_full_credit_only_when_which_one_is_asked() -> None:
    from bedside.compose.ranking import intervention_share

    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("antibiotic",))
    named = "The first option is amoxicillin 1 g three times daily."
    class_only = "De-escalate the empirical antibiotic when cultures are negative."
    assert intervention_share(named, frame, which_asked=True) == 1.0
    assert intervention_share(named, frame) == intervention_share(class_only, frame) < 1.0


def test_words_that_stand_together_in_the_question_and_the_statement_count_for_more() -> None:
    from bedside.compose.ranking import phrase_share

    question = "When should urate-lowering therapy be offered after a first gout flare?"
    together = "After a first gout flare, urate-lowering therapy is advised only with CKD."
    scattered = "When urate-lowering therapy for gout is started, give flare prophylaxis first."
    assert phrase_share(question, together) > phrase_share(question, scattered)
    assert phrase_share("", together) == 0.0


def test_a_plain_line_on_how_a_condition_is_confirmed_is_about_diagnosis() -> None:
    from bedside.compose.sections import classify_sentence

    line = (
        "COPD is confirmed with a breathing test called spirometry. You do it after breathing "
        "in a medicine that opens the airways."
    )
    assert classify_sentence(line) == "diagnosis"
    assert classify_sentence("Your first inhaler usually holds two medicines.") == "medicines"


def test_a_word_and_its_ing_form_share_a_stem() -> None:
    assert content_stems("eating well")[0] == content_stems("what should I eat")[-1]


def test_a_line_naming_both_medicines_asked_about_together_scores_for_it() -> None:
    frame = QuestionFrame(Ask.INTERACTIONS, interventions=("ibuprofen", "apixaban"))
    question = "Can ibuprofen be taken with apixaban?"
    both = "NSAIDs taken with apixaban raise the risk of bleeding."
    assert features_of(both, frame, question).both_drugs == 1.0
    assert features_of("Protamine does not reverse apixaban.", frame, question).both_drugs == 0.0
    one_drug = QuestionFrame(Ask.INTERACTIONS, interventions=("apixaban",))
    alone = features_of("Apixaban with NSAIDs raises bleeding.", one_drug, "apixaban interactions?")
    assert alone.both_drugs == 0.0


def test_a_list_item_never_stands_alone_and_a_leaning_sentence_keeps_the_one_before() -> None:
    text = (
        "Factors that can increase the risk of a spinal haematoma in back pain include:\n"
        "- concomitant use of other drugs for back pain that affect hemostasis, such as NSAIDs\n"
        "Concomitant use of drugs affecting hemostasis increases the risk of back pain bleeding. "
        "These include aspirin, heparin and NSAIDs taken for back pain."
    )
    evidence = make_evidence("g1", text, "Warnings", origin="ngc", kind=DocumentKind.GUIDELINE)
    draft = ExtractiveGenerator().generate(request([evidence], topic="back pain bleeding"))
    texts = [s.text for s in all_statements(draft)]
    assert texts, draft
    assert not any(t[:1].islower() for t in texts)
    assert not any(t.startswith("These include") for t in texts)
    joined = (
        "Concomitant use of drugs affecting hemostasis increases the risk of back pain bleeding. "
        "These include aspirin, heparin and NSAIDs taken for back pain."
    )
    assert joined in texts


def test_a_question_on_how_often_is_answered_by_the_line_that_gives_a_frequency() -> None:
    question = "TSH monitoring interval after levothyroxine dose change"
    frame = QuestionFrame(Ask.DOSE, interventions=("levothyroxine",))
    interval = "Measure TSH every 3 months until it is stable, then once a year."
    steady = "Recheck TSH at steady state after oestrogen is started or stopped."
    daily = "Take levothyroxine the same way every day."
    assert features_of(interval, frame, question).frequency == 1.0
    assert features_of(steady, frame, question).frequency == 0.0
    assert features_of(daily, frame, question).frequency == 0.0
    assert features_of(interval, frame, question).total > features_of(steady, frame, question).total
    # A question that does not ask how often gives no credit for one.
    assert features_of(interval, frame, "Levothyroxine dose in older adults").frequency == 0.0


def test_a_line_from_a_superseded_guideline_gives_way_to_the_current_one() -> None:
    question = "LDL-C target after myocardial infarction"
    frame = QuestionFrame(Ask.MONITORING, populations=("cardiovascular_disease",))
    old = (
        "The 2018 guideline (since superseded by the 2026 guideline) advised a high-intensity "
        "statin for people with clinical ASCVD, aiming to lower LDL cholesterol by 50%."
    )
    current = "For very high-risk ASCVD, the 2026 guideline aims for LDL below 55 mg/dL."
    assert features_of(old, frame, question).superseded == 1.0
    assert features_of(current, frame, question).superseded == 0.0
    # Heart disease named as ASCVD is the population asked about; a risk score is not.
    assert features_of(current, frame, question).population == 1.0
    risk = "For a 10-year PREVENT-ASCVD risk of 10% or more, a statin is advised."
    assert features_of(risk, frame, question).population < 1.0
    assert features_of(current, frame, question).total > features_of(old, frame, question).total


def test_a_step_down_question_is_answered_by_the_line_on_trying_to_stop() -> None:
    question = "PPI step-down after 8 weeks of healing"
    frame = QuestionFrame(Ask.TREATMENT, interventions=("ppi",))
    stop = "If symptoms respond to an 8-week PPI trial, attempt to stop the PPI."
    trial = "Offer an 8-week empiric trial of a once-daily PPI before a meal."
    assert features_of(stop, frame, question).dose == 1.0
    assert features_of(trial, frame, question).dose == 0.0


def test_a_comparison_is_answered_by_the_line_naming_both_by_name() -> None:
    question = "Nitrofurantoin versus trimethoprim for cystitis"
    frame = QuestionFrame(
        Ask.TREATMENT, interventions=("nitrofurantoin", "trimethoprim"), comparator="trimethoprim"
    )
    both = "NICE's first choices are nitrofurantoin for 3 days or trimethoprim for 3 days."
    classes = "NICE weighs the choice between a back-up and an immediate antibiotic."
    assert features_of(both, frame, question).both_drugs == 1.0
    assert features_of(classes, frame, question).both_drugs == 0.0


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("A 5-day course of steroid tablets is advised.", True),
        ("Take it for 3 to 6 months.", True),
        ("An 8-week empiric trial of a proton pump inhibitor.", True),
        ("Review within 12 months whether the drug is still needed.", False),
        ("Reviewing within 12 months whether it is still appropriate.", False),
        ("Take it at bedtime, at least 3 hours after your evening meal.", False),
    ],
)
def test_a_duration_is_a_length_of_treatment_not_a_time_to_review_by(
    text: str, duration: bool
) -> None:
    assert states_a_duration(text) is duration


def test_a_question_on_a_medicines_safety_ranks_the_line_on_its_safety_higher() -> None:
    frame = QuestionFrame(Ask.SIDE_EFFECTS, interventions=("esomeprazole",), yes_no=True)
    question = "Is esomeprazole safe to take every day for years?"

    def score(text: str) -> float:
        return score_statement(
            text,
            section="medicines",
            level=EvidenceLevel.GUIDELINE,
            similarity=0.5,
            words=0.5,
            frame=frame,
            question=question,
        ).total

    safety = "Reports have raised doubts about the safety of long-term use of these drugs."
    timing = "Take the tablet 30 to 60 minutes before a meal."
    assert speaks_of_harms(safety) and not speaks_of_harms(timing)
    assert score(safety) > score(timing)


def test_a_question_on_when_to_take_a_medicine_ranks_the_line_saying_when_higher() -> None:
    frame = QuestionFrame(Ask.TREATMENT, interventions=("omeprazole",))
    question = "What time of day should I take my omeprazole?"

    def score(text: str) -> float:
        return score_statement(
            text,
            section="medicines",
            level=EvidenceLevel.GUIDELINE,
            similarity=0.5,
            words=0.5,
            frame=frame,
            question=question,
        ).total

    when = "Take the tablet 30 to 60 minutes before a meal."
    eating = "Do not eat for 2 to 3 hours before bed."  # when to eat, not when to take it
    other = "These tablets are usually safe."
    assert score(when) > score(eating) == score(other)


def test_a_telegraphic_question_opening_with_a_treatment_is_answered_by_the_line_naming_it() -> (
    None
):
    # "Steroids in severe pneumonia?" asks about steroids, as "would steroids help?" does: the
    # line on them leads over a nearly as near line on cultures.
    cultures = make_evidence(
        "c1", "Take sputum and blood cultures in severe pneumonia.", "Assessment and diagnosis"
    )
    steroids = make_evidence(
        "s1", "Do not give corticosteroids routinely in severe pneumonia.", "Pitfalls"
    )
    frame = QuestionFrame(Ask.TREATMENT, conditions=("pneumonia",), interventions=("steroids",))
    assert lead_of(
        [cultures, steroids],
        question="Steroids in severe pneumonia?",
        frame=frame,
        similarity={"c1": 0.75, "s1": 0.55},
        topic="steroids severe pneumonia",
    ) == ("s1",)


def test_a_line_about_a_circumstance_the_question_does_not_name_ranks_lower() -> None:
    # A line on inhalers before exercise shares "inhaler" with a pregnancy question but answers
    # only a question about exercise.
    exercise = "A quick-relief inhaler used just before exercise can prevent symptoms."
    general = "A steroid inhaler used every day prevents asthma attacks."

    def score(text: str, question: str) -> float:
        frame = QuestionFrame(Ask.SIDE_EFFECTS, conditions=("asthma",))
        return score_statement(
            text,
            section="medicines",
            level=EvidenceLevel.GUIDELINE,
            similarity=0.5,
            words=0.5,
            frame=frame,
            question=question,
        ).total

    pregnant = "I'm pregnant and have asthma. Is my inhaler safe?"
    assert score(exercise, pregnant) < score(general, pregnant)
    running = "Can I use my inhaler before running?"
    # …and a question that names the circumstance ranks the line on it higher.
    assert score(exercise, running) > score(general, running)


def test_which_medicine_is_best_is_answered_by_what_to_take_not_what_to_avoid() -> None:
    avoid = make_evidence("a1", "Paracetamol on its own is not advised for back pain.", "Medicines")
    take = make_evidence(
        "t1", "A doctor may suggest an NSAID painkiller for a short time.", "Medicines"
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, conditions=("back pain",))
    assert lead_of(
        [avoid, take],
        question="What painkiller is best for my back pain?",
        frame=frame,
        similarity={"a1": 0.75, "t1": 0.6},
        topic="painkiller back pain",
    ) == ("t1",)


def test_a_line_for_people_who_do_not_have_a_condition_is_not_advice_against() -> None:
    # "who do not have type 2 diabetes" says whom the line is for: the best line on what to take
    # keeps its place (it gave way to a nearly as good line, as if it said what to avoid).
    question = "Which blood pressure tablet first for a Black African adult?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("a1", "Offer a calcium-channel blocker to Black African adults "
                              "who do not have type 2 diabetes.", "Medicines"),
                make_evidence("n1", "For stage 2 hypertension, start two blood pressure medicines "
                              "in one pill.", "Medicines"),
            ],
            question=question,
            frame=QuestionFrame(Ask.DRUG_CHOICE),
            similarity={"a1": 0.8, "n1": 0.78},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("a1",)


def test_the_drug_added_when_step_1_fails_is_not_the_first_line() -> None:
    question = "First-line antihypertensive for a Black adult without diabetes?"
    step_two = "If step 1 treatment does not control hypertension, NICE advises adding an ARB."
    assert another_line_of_treatment(question, step_two)
    assert not another_line_of_treatment(question, "Offer a calcium-channel blocker as step 1.")


def test_what_to_take_is_answered_by_a_line_naming_a_medicine() -> None:
    # A line on when to take "your migraine medicines", nearer in meaning, names none.
    question = "What can I take when a migraine starts?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("n1", "Take your migraine medicines as early in the attack as you "
                              "can.", "Overview"),
                make_evidence("a1", "When a migraine starts, you can take paracetamol, ibuprofen "
                              "or a triptan.", "Overview"),
            ],
            question=question,
            frame=QuestionFrame(Ask.DRUG_CHOICE, conditions=("migraine",)),
            similarity={"n1": 1.0, "a1": 0.6},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("a1",)


def test_after_no_improvement_what_next_is_not_answered_by_how_long_it_can_last() -> None:
    question = "Concussion six weeks ago and still not improving: what next?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("n1", "Most people recover from a concussion within weeks, but in "
                              "some people headaches persist for months.",
                              "Prognosis and counselling"),
                make_evidence("a1", "If concussion symptoms show no improvement, referral to a "
                              "specialised concussion service can help.", "When to refer"),
            ],
            question=question,
            frame=QuestionFrame(Ask.TREATMENT, conditions=("concussion",), treatment_tried=True),
            similarity={"n1": 0.8, "a1": 0.72},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("a1",)


def test_a_line_without_medicines_on_the_asked_circumstance_leads_for_an_unaddressed_group() -> (
    None
):
    # A child's parent asks about PE: the inhaler line is adult medicine advice, so a line
    # without medicines leads, and the one on exercise before the general first-line line.
    inhaler = make_evidence(
        "m1", "A daily steroid inhaler can cut asthma symptoms from exercise.", "Medicines"
    )
    plan = make_evidence("f1", "Ask for a written asthma action plan.", "First-line management")
    warm_up = make_evidence(
        "d1",
        "Exercise can bring on asthma symptoms; a good warm-up makes this less likely.",
        "Assessment and diagnosis",
    )
    assert lead_of(
        [inhaler, plan, warm_up],
        question="my son has asthma, can he still do PE at school",
        audience=Audience.PATIENT,
        frame=QuestionFrame(Ask.GENERAL, conditions=("asthma",), populations=("child",)),
        similarity={"m1": 0.8, "f1": 0.6, "d1": 0.6},
        topic="asthma",
    ) == ("d1",)


def test_a_rare_word_does_not_single_out_a_line_about_a_circumstance_not_asked() -> None:
    # "Adjusting" is the question's rarest word, but the line holding it is about planning a
    # pregnancy; the first-trimester question is answered by the line on early pregnancy.
    planning = make_evidence(
        "p1",
        "For women on levothyroxine who are planning pregnancy, adjusting the dose before "
        "conception is advised.",
        "Medicines",
    )
    early = make_evidence(
        "p2",
        "Women on levothyroxine should raise the dose by a quarter once pregnancy is confirmed.",
        "Medicines",
        rank=2,
    )
    assert lead_of(
        [planning, early],
        question="Levothyroxine dose adjustment in the first trimester?",
        frame=QuestionFrame(Ask.DOSE, populations=("pregnancy",), interventions=("levothyroxine",)),
        similarity={"p1": 0.7, "p2": 0.7},
        topic="levothyroxine dose adjustment first trimester",
    ) == ("p2",)


def test_a_story_raising_an_alarm_is_led_by_the_line_on_that_alarm() -> None:
    # Cauda equina in a patient's words: the line on not passing urine leads, however much
    # nearer in meaning a line on sciatica's medicines comes.
    medicines = line(
        "Nerve-pain medicines are not advised for sciatica.", 0.95, section="medicines"
    )
    weaker = line(
        "Get help straight away if your leg is getting weaker.", 0.80, section="red_flags"
    )
    bladder = line(
        "Get help straight away if you cannot pass urine or lose control of your bladder.",
        0.78,
        section="red_flags",
    )
    question = (
        "Sciatica for 3 weeks, and now I can't really feel the toilet paper when I wipe and I'm"
        " struggling to get my pee started. Can it wait?"
    )
    lead, _ = choose_bottom_line(
        [medicines, weaker, bladder],
        QuestionFrame(ask=Ask.RED_FLAGS),
        Audience.PATIENT,
        question=question,
    )
    assert lead[0] is bladder


def test_a_line_for_the_population_asked_about_leads_over_a_somewhat_nearer_general_one() -> None:
    # "Prior MI … next agent?": the SGLT2 inhibitor line for people with cardiovascular disease
    # leads, not the general line on adding one; a line about another drug, however specific
    # to the population, does not take the lead from the drug asked about.
    general = line(
        "When an SGLT2 inhibitor is added for type 2 diabetes, start it slowly.", 1.0, plain=False
    )
    for_them = line(
        "Offer an SGLT2 inhibitor to adults with type 2 diabetes and cardiovascular disease.",
        0.8,
        plain=False,
    )
    other_drug = line(
        "In coronary heart disease, a statin is advised for everyone.", 0.95, plain=False
    )
    question = "Type 2 diabetes, prior MI, HbA1c 62 on metformin. Next agent?"
    frame = QuestionFrame(
        ask=Ask.TREATMENT,
        populations=("cardiovascular_disease",),
        interventions=("metformin",),
        drugs=(DrugName("metformin", "metformin"),),
        treatment_tried=True,
    )
    lead, _ = choose_bottom_line(
        [general, other_drug, for_them], frame, Audience.CLINICIAN, question=question
    )
    assert lead[0] is for_them
    far = line(for_them.text, 0.7, plain=False)
    lead, _ = choose_bottom_line([general, far], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is general  # a quarter less relevant is too far


def test_a_line_for_people_who_do_not_have_a_named_condition_excludes_them() -> None:
    from bedside.compose.ranking import excludes_named_condition

    frame = QuestionFrame(Ask.DRUG_CHOICE, conditions=("T2DM", "type 2 diabetes"))
    line = "Offer a calcium-channel blocker to adults who do not have type 2 diabetes."
    assert excludes_named_condition(line, frame)
    assert excludes_named_condition("For adults without type 2 diabetes, offer X.", frame)
    assert not excludes_named_condition("For adults with type 2 diabetes, offer an ARB.", frame)


def test_a_line_from_the_body_a_clinician_asks_for_gains() -> None:
    from bedside.analyse.frame import frame_rules
    from bedside.compose.ranking import names_the_body_asked

    rules = frame_rules()
    question = "CAP, no allergies: amoxicillin dose and duration per NICE?"
    source = "National Institute for Health and Care Excellence (NICE) Pneumonia (NG138)"
    assert names_the_body_asked(question, f"Amoxicillin is first choice. {source}", rules)
    assert not names_the_body_asked(question, "The ATS/IDSA guideline advises 1 g.", rules)
    assert not names_the_body_asked("What is a nice painkiller?", f"x {source}", rules)


def test_a_line_from_the_readers_own_country_gains_and_no_other_loses() -> None:
    from bedside.analyse.frame import frame_rules
    from bedside.compose.ranking import issuer_fit

    rules = frame_rules()
    uk = "I'm 51 and my GP says I need a blood pressure tablet. Which one?"
    us = "My PCP says I need a blood pressure pill. Which one?"
    nice = "In the UK your first tablet is usually an ACE inhibitor. NICE NG136"
    aha = "Start two medicines together. American Heart Association 2025 guideline"
    assert issuer_fit(uk, nice, rules) == 1.0
    assert issuer_fit(us, aha, rules) == 1.0
    # No penalty: the other country's line may be the only one saying what is asked.
    assert issuer_fit(uk, aha, rules) == 0.0
    assert issuer_fit("Which blood pressure tablet first?", nice, rules) == 0.0
    # A body named in the question decides, whatever the reader's words.
    assert issuer_fit("Per NICE, which tablet first? My GP asked.", aha, rules) == 0.0


def test_a_line_for_people_with_what_the_question_rules_out_earns_no_population() -> None:
    from bedside.analyse.frame import frame_rules
    from bedside.compose.ranking import score_statement

    question = "68F on alendronate for 5 years, no fractures before or during it. Holiday?"
    frame = QuestionFrame(Ask.TREATMENT, populations=("female", "older_adult"))
    line = "For women aged 50 or over with a previous or recent fragility fracture, treat."
    features = score_statement(
        line,
        section="medicines",
        level=EvidenceLevel.GUIDELINE,
        similarity=0.5,
        words=0.1,
        frame=frame,
        question=question,
        rules=frame_rules(),
    )
    assert features.population < 0


def test_a_line_naming_the_first_choice_as_what_failed_is_the_next_line() -> None:
    from bedside.compose.ranking import another_line_of_treatment

    question = "Propranolol gave inadequate response; topiramate stopped for side effects. Next?"
    frame = QuestionFrame(Ask.PREVENTION, treatment_tried=True)
    failed = "If first-choice migraine prevention is not tolerated or does not work, try X."
    first = "For preventing migraine, the first choice is propranolol or amitriptyline."
    assert not another_line_of_treatment(question, failed, frame)
    assert another_line_of_treatment(question, first, frame)


def test_a_first_step_asked_in_other_words_is_not_answered_by_what_to_escalate_to() -> None:
    from bedside.compose.ranking import another_line_of_treatment

    question = "Newly diagnosed COPD, breathless on exertion: which inhaler first?"
    escalation = "For follow-up treatment, GOLD 2023 advises escalating to LABA plus LAMA."
    initial = "As initial treatment, GOLD 2023 recommends a LABA plus LAMA combination."
    assert another_line_of_treatment(question, escalation)
    assert not another_line_of_treatment(question, initial)


def test_the_line_for_people_on_the_treatment_the_person_is_on_is_for_their_circumstance() -> None:
    from bedside.compose.ranking import on_the_same_treatment

    question = "71M COPD, FEV1 45%, on LAMA/LABA. 2 exacerbations this year. Next step per GOLD?"
    escalation = "For people who continue to have exacerbations on LABA plus LAMA, add an ICS."
    assert on_the_same_treatment(question, escalation)
    assert not on_the_same_treatment(question, "For people taking LABA plus ICS, triple therapy.")
    # "Hold off on antibiotics" says nothing the person is on.
    hold_off = "My 5-year-old has earache. Can we hold off on antibiotics?"
    assert not on_the_same_treatment(hold_off, "Not better after 2 to 3 days on antibiotics.")


def test_a_question_on_what_causes_it_credits_a_line_naming_a_cause() -> None:
    frame = QuestionFrame(ask=Ask.DIAGNOSIS, conditions=("sciatica",))
    question = "What causes the leg pain in sciatica?"
    cause = "Sciatica is usually caused by a slipped disc pressing on a nerve."
    symptom = "Sciatica is pain that spreads down the leg."
    assert features_of(cause, frame, question).cause == 1.0
    assert features_of(symptom, frame, question).cause == 0.0
    # …and only when a cause is asked.
    assert features_of(cause, frame, "How is sciatica treated?").cause == 0.0


def test_a_step_one_treatment_is_the_first_choice_asked_for() -> None:
    question = "First-line antihypertensive in a 58-year-old with type 2 diabetes?"
    line = "For adults with type 2 diabetes starting step 1 treatment, offer an ACE inhibitor."
    assert features_of(line, QuestionFrame(Ask.DRUG_CHOICE), question).first_choice == 1.0


def test_a_line_naming_both_conditions_asked_about_is_for_their_comorbidity() -> None:
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        conditions=("HTN", "T2DM"),
        condition_cards=("hypertension", "type-2-diabetes"),
        populations=("comorbidity",),
    )
    question = "HTN in T2DM, which drug first?"
    both = (
        "For adults with type 2 diabetes starting step 1 antihypertensive treatment, "
        "offer an ACE inhibitor or an ARB."
    )
    one = "First-line drug classes for hypertension are thiazides, ACE inhibitors and CCBs."
    assert features_of(both, frame, question).population > 0
    assert features_of(one, frame, question).population <= 0


def test_a_lag_in_feeling_better_says_how_soon_a_medicine_works() -> None:
    question = "how long does levothyroxine take to work"
    frame = QuestionFrame(Ask.PROGNOSIS, interventions=("levothyroxine",))
    lag = "Symptoms may lag behind changes in levothyroxine treatment by several weeks to months."
    timing = "Take levothyroxine 60 minutes before breakfast or at bedtime."
    assert features_of(lag, frame, question).dose == 1.0
    assert features_of(timing, frame, question).dose == 0.0


def test_a_patients_plain_line_is_not_set_aside_for_a_prescribers_line_in_the_asks_section() -> (
    None
):
    import dataclasses

    import numpy as np

    plain = make_evidence(
        "q1",
        "If your blood pressure is very high and you have chest pain, see a specialist the "
        "same day.",
        "In plain language",
        rank=2,
    )
    prescribers = make_evidence(
        "c1",
        "Severe high blood pressure without acute target-organ damage is managed in the outpatient "
        "setting by intensifying oral antihypertensives.",
        "Red flags",
    )
    axes = np.eye(2, dtype=np.float32)
    base = request(
        [prescribers, plain],
        question="my blood pressure was 160/100 at the pharmacy, should I go to A&E?",
        audience=Audience.PATIENT,
        frame=QuestionFrame(Ask.RED_FLAGS),
        similarity={"q1": 0.6, "c1": 0.6},
        topic="blood pressure",
    )
    vectors = {"q1": axes[0], "c1": axes[1]}
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    assert draft.bottom_line[0].passage_ids == ("q1",)
    clinician = ExtractiveGenerator().generate(
        dataclasses.replace(base, audience=Audience.CLINICIAN, vectors=vectors)
    )
    assert clinician.bottom_line[0].passage_ids == ("c1",)


def test_a_line_for_a_group_the_question_does_not_name_stays_out_of_the_article() -> None:
    evidence = [
        make_evidence(
            "g1", "Advise people with back pain to stay active.", "First-line management"
        ),
        make_evidence(
            "p1", "In pregnancy, back pain is eased by staying active.", "First-line management"
        ),
    ]
    general = ExtractiveGenerator().generate(
        request(evidence, question="How is back pain treated?")
    )
    assert "p1" not in {p for s in all_statements(general) for p in s.passage_ids}
    pregnant = ExtractiveGenerator().generate(
        request(
            evidence,
            question="How is back pain treated in pregnancy?",
            frame=QuestionFrame(Ask.TREATMENT, populations=("pregnancy",)),
        )
    )
    assert "p1" in {p for s in all_statements(pregnant) for p in s.passage_ids}


def test_why_a_treatment_is_needed_is_answered_by_what_it_prevents() -> None:
    question = "My dad's got AF and they want him on a blood thinner. Why does he need one at all?"
    frame = QuestionFrame(Ask.GENERAL)
    purpose = "AF can cause blood clots that lead to a stroke, so many people need a blood thinner."
    choice = "You may be offered apixaban, dabigatran, edoxaban or rivaroxaban."
    assert features_of(purpose, frame, question).cause == 1.0
    assert features_of(choice, frame, question).cause == 0.0


def test_can_i_cut_down_asks_for_the_line_on_cutting_down() -> None:
    question = "My asthma has been fine for 6 months on Fostair. Can I cut down or stop it?"
    frame = QuestionFrame(Ask.TREATMENT)
    cut_down = "Cut down your asthma medicine one step at a time, 8 to 12 weeks apart."
    other = "A steroid and formoterol inhaler used when needed works better than a reliever."
    assert features_of(cut_down, frame, question).dose == 1.0
    assert features_of(other, frame, question).dose == 0.0


def test_which_treatment_is_answered_by_a_treatment_not_by_how_control_is_assessed() -> None:
    question = "SABA only, symptoms 3 times a week, no night waking. Preferred next step?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("m1", "Asthma control is assessed by daytime symptoms, night "
                              "waking and reliever use over 4 weeks.", "Monitoring and follow-up"),
                make_evidence("t1", "As-needed low-dose ICS-formoterol is the preferred "
                              "reliever at steps 1 and 2.", "Medicines"),
            ],
            question=question,
            frame=QuestionFrame(Ask.DRUG_CHOICE, conditions=("asthma",)),
            similarity={"m1": 0.8, "t1": 0.7},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("t1",)


def test_values_of_blood_tests_told_bring_the_line_with_their_limits_first() -> None:
    question = "HFrEF on ramipril and bisoprolol. K+ 5.3, eGFR 32. Start spironolactone?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("c1", "Four drug classes lower mortality in HFrEF, among them an "
                              "MRA such as spironolactone.", "Medicines"),
                make_evidence("m1", "An MRA is recommended only when eGFR is above 30 and "
                              "serum potassium is below 5.0.", "Medicines"),
            ],
            question=question,
            frame=QuestionFrame(Ask.TREATMENT, conditions=("HFrEF",),
                                interventions=("spironolactone",)),
            similarity={"c1": 0.8, "m1": 0.75},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("m1",)


def test_a_line_on_more_of_the_circumstances_told_leads_when_nearly_as_near() -> None:
    question = "banged heads playing footy saturday, still got a headache. can i train tuesday"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("s1", "Getting back to sport after a concussion takes 6 steps, "
                              "from light activity up to full games.", "Follow-up and monitoring"),
                make_evidence("c1", "A player should not go back to contact practice or games "
                              "until all signs of the concussion have gone.", "Red flags"),
            ],
            question=question,
            frame=QuestionFrame(Ask.GENERAL, conditions=("concussion",)),
            similarity={"s1": 0.8, "c1": 0.7},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("c1",)


def test_the_circumstance_the_first_asked_sentence_names_is_answered_first() -> None:
    question = (
        "My son took a knock to the head at rugby on Saturday and is fine now. The coach wants "
        "him back for the match this Saturday, is that ok? And should he be at school?"
    )
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("s1", "A child can go back to school bit by bit after a "
                              "concussion.", "Follow-up and monitoring"),
                make_evidence("r1", "Getting back to sport after a concussion takes 6 steps, "
                              "each of at least a day.", "Follow-up and monitoring"),
            ],
            question=question,
            frame=QuestionFrame(Ask.GENERAL, conditions=("concussion",)),
            similarity={"s1": 0.9, "r1": 0.6},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("r1",)


def test_anything_more_after_treatment_is_answered_by_the_specialist_or_next_step() -> None:
    question = "Dad's heart failure keeps getting worse even on all his tablets. Anything more?"
    question += " Is there anything more that can be done?"
    draft = ExtractiveGenerator().generate(
        request(
            [
                make_evidence("m1", "Keep taking your heart failure medicines if your heart "
                              "pumping gets better.", "Medicines"),
                make_evidence("r1", "With advanced heart failure, you can be referred to a "
                              "specialist heart failure team.", "When to refer"),
            ],
            question=question,
            frame=QuestionFrame(Ask.TREATMENT, conditions=("heart failure",),
                                treatment_tried=True),
            similarity={"m1": 0.8, "r1": 0.75},
            topic=question,
        )
    )  # fmt: skip
    assert draft.bottom_line[0].passage_ids == ("r1",)


def test_a_condition_named_as_what_someone_is_heads_by_the_cards_name() -> None:
    # "Before labelling him hypertensive": "Assessment and diagnosis of hypertensive" reads badly.
    frame = QuestionFrame(Ask.DIAGNOSIS, conditions=("hypertensive",))
    assert article_title(frame, "High blood pressure (hypertension)") == (
        "Assessment and diagnosis of high blood pressure (hypertension)"
    )
    diabetic = QuestionFrame(Ask.DIAGNOSIS, conditions=("type 2 diabetic",))
    title = article_title(diabetic, "Type 2 diabetes")
    assert title == "Assessment and diagnosis of type 2 diabetes"


@pytest.mark.parametrize(
    ("question", "text", "ruled_out"),
    [
        (
            "Heartburn, partial response to omeprazole, no alarm sx. Next step?",
            "In people with reflux plus dysphagia or other alarm features, endoscopy comes first.",
            True,
        ),
        (
            "Asthma on salbutamol only, no night waking. Step up?",
            "For a person who is highly symptomatic (for example, waking regularly at night), "
            "start MART.",
            True,
        ),
        (
            "Omeprazole 8 years, no Barrett's, no GI bleed. Deprescribe?",
            "People with complicated GERD (such as severe oesophagitis, ulcer or stricture), "
            "Barrett's oesophagus or eosinophilic oesophagitis should not stop.",
            True,
        ),
        (
            "No other symptoms. Next step?",
            "For people with other risk factors, consider a scan.",
            False,
        ),
    ],
)
def test_a_line_for_people_with_what_the_story_denies_is_ruled_out(
    question: str, text: str, ruled_out: bool
) -> None:
    from bedside.compose.ranking import for_people_the_question_rules_out

    assert for_people_the_question_rules_out(question, text) is ruled_out


def test_a_prophylaxis_choice_is_led_by_the_first_choice_not_by_assessment() -> None:
    # "Prophylaxis choice?" is answered by the first-choice preventive, not by a nearer line on
    # recognising medication overuse, nor by what follows when the first choice fails.
    assessment = line(
        "Suspect medication overuse headache with triptans on 10 days.",
        1.0,
        section="diagnosis",
        plain=False,
    )
    second = line(
        "If first-choice migraine prevention is not tolerated or does not work, try a gepant.",
        0.93,
        section="medicines",
        plain=False,
    )
    first = line(
        "For preventing migraine, the first choice is propranolol.",
        0.86,
        section="medicines",
        plain=False,
    )
    frame = QuestionFrame(ask=Ask.PREVENTION, interventions=("sumatriptan",))
    question = "30F migraine 6 attacks/month, sumatriptan helps. Prophylaxis choice?"
    lead, _ = choose_bottom_line(
        [assessment, second, first], frame, Audience.CLINICIAN, question=question
    )
    assert lead[0] is first


def test_a_scan_told_as_done_is_not_answered_by_when_to_scan() -> None:
    # "Disc prolapse on MRI … discectomy vs epidural?": past when to order the MRI; but a line
    # on what a scan shows still answers a question about the report.
    when = line(
        "Reserve MRI for candidates for surgery or epidural injection.",
        1.0,
        section="imaging",
        plain=False,
    )
    steps = line(
        "Step care up to injections, then surgery when it fails.",
        0.95,
        section="referral",
        plain=False,
    )
    question = (
        "45M L5/S1 disc prolapse on MRI, 8 wks of pain despite physio. Discectomy vs epidural?"
    )
    frame = QuestionFrame(ask=Ask.REFERRAL, interventions=("discectomy", "epidural"))
    lead, _ = choose_bottom_line([when, steps], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is steps
    shows = line(
        "Many people have a bulging disc on a scan but no pain.",
        1.0,
        section="imaging",
        plain=False,
    )
    asked = "My scan report mentions a disc protrusion. Is that bad?"
    lead, _ = choose_bottom_line(
        [shows, steps], QuestionFrame(ask=Ask.DIAGNOSIS), Audience.PATIENT, question=asked
    )
    assert lead[0] is shows


def test_a_line_for_people_without_what_the_reader_has_excludes_them() -> None:
    from bedside.analyse.frame import frame_rules
    from bedside.compose.ranking import excludes_what_is_told

    rules = frame_rules()
    line = "For men who do not have a catheter, NICE advises an immediate antibiotic."
    assert excludes_what_is_told(line, "80M long-term catheter, dip positive. Treat?", rules)
    assert not excludes_what_is_told(line, "80M, no catheter, dysuria. Treat?", rules)
    assert not excludes_what_is_told(line, "80M with dysuria. Treat?", rules)


def _lead_for_a_treated_reader(lines: dict[str, str], question: str, drugs: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The lead for `question` from `lines` (id → text, scored in the order given)."""
    from bedside.analyse.drugs import find_drugs
    from bedside.domain import DrugName

    evidence = [
        make_evidence(pid, text, "Medicines", rank=rank)
        for rank, (pid, text) in enumerate(lines.items(), start=1)
    ]
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("hypertension",),
        condition_cards=("hypertension",),
        drugs=tuple(DrugName(d, find_drugs(d)[0].generic) for d in drugs),
        treatment_tried=True,
    )
    similarity = {pid: 0.9 - 0.05 * i for i, pid in enumerate(lines)}
    return lead_of(
        evidence, question=question, frame=frame, similarity=similarity, topic="hypertension"
    )


def test_a_reader_on_a_medicine_asking_what_next_is_not_told_which_one_to_start() -> None:
    lines = {
        "s1": "Offer an ACE inhibitor as step 1 antihypertensive treatment to adults under 55.",
        "n1": "If blood pressure stays above target on treatment, review the dose and adherence.",
    }
    question = "Blood pressure still 150/95 on lisinopril 20. Next agent?"
    assert _lead_for_a_treated_reader(lines, question, ("lisinopril",)) == ("n1",)
    # …but someone not yet on one is.
    frame_free = "Blood pressure 150/95, newly diagnosed, 45M. Which drug first?"
    assert _lead_for_a_treated_reader(lines, frame_free, ()) == ("s1",)


def test_a_reader_on_two_medicines_gets_the_next_rung_of_the_ladder() -> None:
    lines = {
        "r3": "For confirmed resistant hypertension, consider adding a fourth drug.",
        "s1": "If step 1 treatment with an ACE inhibitor does not control hypertension, add a "
        "calcium-channel blocker.",
        "s2": "If step 2 treatment does not control hypertension, add a thiazide-like diuretic.",
    }
    two = "On amlodipine 10 and ramipril 10, home BP 150/92. What to add?"
    assert _lead_for_a_treated_reader(lines, two, ("amlodipine", "ramipril")) == ("s2",)
    one = "On ramipril 10, home BP 150/92. What to add?"
    assert _lead_for_a_treated_reader(lines, one, ("ramipril",)) == ("s1",)
    # (…not the line for someone on another first medicine.)
    lines["n1"] = "Before adding a drug, check that the current ones are taken as prescribed."
    ccb = "On amlodipine 10, home BP 150/92. What to add?"
    assert _lead_for_a_treated_reader(lines, ccb, ("amlodipine",)) == ("n1",)


def test_blood_pressure_raised_after_20_weeks_is_not_led_by_lines_for_chronic_hypertension() -> (
    None
):
    chronic = make_evidence(
        "c1", "Offer pregnant women with chronic hypertension labetalol.", "Medicines"
    )
    gestational = make_evidence(
        "g1", "In gestational hypertension above 140/90, offer labetalol.", "Medicines", rank=2
    )
    frame = QuestionFrame(Ask.TREATMENT, populations=("pregnancy",))

    lead = leads_by_question([chronic, gestational], frame, {"c1": 0.8, "g1": 0.75}, "hypertension")

    assert lead("Primip 32/40, BP 146/94 twice, urine clear. Treat?") == ("g1",)
    # …but high blood pressure told from before the pregnancy is chronic…
    assert lead("Known HTN, now 32/40, BP 146/94. Treat?") == ("c1",)
    # …and before 20 weeks it is not yet gestational.
    assert lead("12 weeks pregnant, BP 146/94 twice. Treat?") == ("c1",)


def test_the_line_for_the_reader_group_is_not_one_on_danger_signs_the_question_does_not_tell() -> (
    None
):
    steps = make_evidence(
        "s1", "Return to sport after concussion follows graded steps over days.", "Medicines"
    )
    alarm = make_evidence(
        "a1",
        "A child with a head injury needs a head scan within 1 hour if they have a fit.",
        "Red flags",
        rank=2,
    )

    def second(question: str) -> list[tuple[str, ...]]:
        draft = ExtractiveGenerator().generate(
            request(
                [steps, alarm],
                question=question,
                frame=QuestionFrame(Ask.PROGNOSIS, populations=("child",)),
                similarity={"s1": 0.9, "a1": 0.85},
                topic="concussion",
            )
        )
        return [s.passage_ids for s in draft.bottom_line[1:]]

    assert second("My 12 year old had a concussion at football. When can she play again?") == []


def _shown_beside_a_pitfall(recommendation: str, pitfall: str) -> list[tuple[str, ...]]:
    """The passage ids of a clinician article where `pitfall` is near in meaning to
    `recommendation` (cosine 0.9) and the recommendation leads."""
    import dataclasses

    import numpy as np

    lines = [
        make_evidence("r1", recommendation, "Medicines"),
        make_evidence("p1", pitfall, "Pitfalls", rank=2),
        make_evidence(
            "o1", "Exercise helps chronic low back pain.", "First-line management", rank=3
        ),
    ]
    axes = np.eye(3, dtype=np.float32)
    vectors = {"r1": axes[0], "p1": 0.9 * axes[0] + 0.436 * axes[1], "o1": axes[2]}
    base = request(
        lines,
        question="Are spinal injections worth it for chronic low back pain?",
        frame=QuestionFrame(Ask.TREATMENT),
        similarity={"r1": 0.9, "p1": 0.7, "o1": 0.5},
        topic="spinal injections",
    )
    draft = ExtractiveGenerator().generate(dataclasses.replace(base, vectors=vectors))
    return [s.passage_ids for s in all_statements(draft)]


def test_a_pitfall_restating_a_recommendation_is_said_once() -> None:
    shown = _shown_beside_a_pitfall(
        "Spinal injections give no lasting relief in chronic low back pain and cost too much.",
        "Do not offer facet or epidural jabs to people whose long-standing back ache stays put.",
    )
    assert ("r1",) in shown
    assert ("p1",) not in shown
    # …but a pitfall with another number, or one cautioning about what the line recommends,
    # says something more.
    shown = _shown_beside_a_pitfall(
        "Spinal injections are not effective for chronic low back pain without sciatica.",
        "Do not offer spinal injections for low back pain within 6 weeks of its start.",
    )
    assert ("p1",) in shown
    shown = _shown_beside_a_pitfall(
        "Offer radiofrequency denervation for chronic low back pain in some people.",
        "Do not offer radiofrequency denervation for chronic low back pain without a trial block.",
    )
    assert ("p1",) in shown


def test_a_line_on_keeping_a_medicine_going_is_not_for_a_reader_asking_whether_to_start_it() -> (
    None
):
    keep = make_evidence(
        "k1", "Do not stop allopurinol during a gout flare; keep it going.", "Pitfalls"
    )
    when = make_evidence(
        "w1", "Allopurinol may be started during a flare when flares are frequent.", "Medicines"
    )

    frame = QuestionFrame(Ask.TREATMENT, conditions=("gout",), condition_cards=("gout",))
    lead = leads_by_question([keep, when], frame, {"k1": 0.9, "w1": 0.8}, "allopurinol flare")

    assert lead("Flaring now. Can I start allopurinol or should I wait?") == ("w1",)
    assert lead("Flaring now. Should I stop my allopurinol till it settles?") == ("k1",)
    # (a flare told as the reader's now: "now … has flared up", "till it calms down")
    assert lead("On it 2 years, now my toe has flared up again. Stop it till it calms down?") == (
        "k1",
    )
    # …and a line on keeping it going during a flare is for a reader in one now.
    assert lead("Three gout attacks this year. Would allopurinol help?") == ("w1",)


def test_a_medicine_the_reader_calls_theirs_counts_as_taken() -> None:
    from bedside.analyse.drugs import find_drugs
    from bedside.analyse.frame import frame_rules
    from bedside.compose.bottom_line import _medicines_taken
    from bedside.domain import DrugName

    question = "Home BP 130/82 but 160/95 in clinic, now they want to add amlodipine to my losartan"
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        drugs=tuple(DrugName(d, find_drugs(d)[0].generic) for d in ("amlodipine", "losartan")),
    )
    assert _medicines_taken(frame, question, frame_rules()) == {"losartan"}


def test_a_swap_asked_is_answered_by_the_line_on_that_swap() -> None:
    dose = make_evidence("d1", "Some people take a lower dose of apixaban for AF.", "Medicines")
    swap = make_evidence(
        "s1", "Aspirin is not a safe swap for a blood thinner in AF.", "Prevention", rank=2
    )
    frame = QuestionFrame(Ask.TREATMENT, interventions=("apixaban", "aspirin"))

    lead = leads_by_question([dose, swap], frame, {"d1": 0.9, "s1": 0.8}, "atrial fibrillation")

    assert lead("Could she take aspirin instead of apixaban?") == ("s1",)
    assert lead("Doctor wants apixaban. Is that the right dose for her?") == ("d1",)


def test_a_choice_asked_is_led_by_a_line_naming_a_medicine_to_choose() -> None:
    how_long = make_evidence(
        "h1", "Antibiotics for pneumonia go on until the person is stable, 5 days at least.",
        "Medicines",
    )  # fmt: skip
    which = make_evidence(
        "w1", "Healthy adult outpatients with pneumonia: give amoxicillin 1 g three times daily.",
        "Medicines",
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        conditions=("pneumonia",),
        condition_cards=("community-acquired-pneumonia",),
    )
    lead = leads_by_question(
        [how_long, which], frame, {"h1": 0.9, "w1": 0.7}, "community-acquired pneumonia"
    )
    # "antibiotics" chooses nothing: the line naming amoxicillin answers which
    assert lead("Pneumonia, otherwise well, no recent abx. Outpatient regimen + how long?")[0] == (
        "w1"
    )


def test_a_medicine_ruled_out_is_answered_by_the_line_on_what_to_use_instead() -> None:
    how_long = make_evidence(
        "h1", "Antibiotics for cellulitis are given for 5 days, longer if it is slow to improve.",
        "Medicines",
    )  # fmt: skip
    instead = make_evidence(
        "i1", "For cellulitis in an adult with penicillin allergy, clarithromycin is advised.",
        "Medicines",
    )  # fmt: skip
    frame = QuestionFrame(Ask.DURATION, conditions=("cellulitis",), condition_cards=("cellulitis",))
    lead = leads_by_question([how_long, instead], frame, {"h1": 0.9, "i1": 0.6}, "cellulitis")
    assert lead("Leg cellulitis, PCN allergy (anaphylaxis) – oral abx and duration?")[0] == "i1"
    # …but a reader who can take penicillin is answered by how long.
    assert lead("Leg cellulitis, no allergies – oral abx and duration?")[0] == "h1"


def test_a_line_on_the_medicines_for_the_readers_group_outranks_a_circumstance_told() -> None:
    home = make_evidence(
        "h1", "Offer home blood pressure readings to confirm high blood pressure.", "Medicines"
    )
    black = make_evidence(
        "b1", "Adults of Black African family origin are first offered a calcium channel blocker.",
        "Medicines",
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        conditions=("high blood pressure",),
        condition_cards=("hypertension",),
        populations=("black_ethnicity",),
    )
    lead = leads_by_question([black, home], frame, {"b1": 0.9, "h1": 0.85}, "hypertension")
    assert lead("My home readings average 148/94. I'm 52, black. Which pill first?")[0] == "b1"


def test_a_warning_that_two_medicines_taken_do_not_mix_is_answered_by_the_line_on_both() -> None:
    stepping_down = line(
        "Once acid reflux is better on acid-reducing tablets, your doctor may try taking you off"
        " them.",
        1.1,
    )
    both = line("If you take clopidogrel, esomeprazole is not the best acid tablet for you.", 1.0)
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        conditions=("reflux",),
        condition_cards=("gerd",),
        interventions=("nexium", "plavix", "aspirin"),
        drugs=(
            DrugName("nexium", "esomeprazole"),
            DrugName("plavix", "clopidogrel"),
            DrugName("aspirin", "aspirin"),
        ),
    )
    question = (
        "I take nexium 40 every day for reflux, now on plavix and aspirin. Pharmacist said nexium"
        " and plavix are not mixing. Should I stop the nexium?"
    )
    lead, _ = choose_bottom_line([stepping_down, both], frame, Audience.PATIENT, question=question)
    assert lead[0] is both


def test_a_score_given_by_its_tool_is_answered_by_the_line_on_that_tool() -> None:
    other_tool = line(
        "For a 10-year PREVENT-ASCVD risk of 10% or more, a US guideline advises a high-intensity"
        " statin aiming for LDL cholesterol below 70 mg/dL.",
        1.4,
        plain=False,
    )
    same_tool = line(
        "NICE offers atorvastatin 20 mg when the 10-year QRISK3 score is 10% or more.",
        0.9,
        plain=False,
    )
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("cholesterol",),
        condition_cards=("lipids",),
        interventions=("statin",),
    )
    lead, _ = choose_bottom_line(
        [other_tool, same_tool], frame, Audience.CLINICIAN, question="QRISK3 14%. Statin? Target?"
    )
    assert lead[0] is same_tool and other_tool not in lead
    # …and a score on no tool, or on the same one, leaves the lead where it was.
    lead, _ = choose_bottom_line(
        [other_tool, same_tool], frame, Audience.CLINICIAN, question="10-year risk 14%. Statin?"
    )
    assert lead[0] is other_tool


def test_a_line_for_the_readers_group_keeps_the_lead_over_a_line_on_the_first_question() -> None:
    nursing = line(
        "Taking an antidepressant need not mean stopping breastfeeding; sertraline has the most"
        " evidence in nursing mothers.",
        0.9,
    )
    stopping = line("If you stop your antidepressant, see your doctor if low mood returns.", 0.85)
    frame = QuestionFrame(
        Ask.DURATION,
        conditions=("depression",),
        condition_cards=("depression",),
        populations=("breastfeeding",),
        interventions=("sertraline",),
        drugs=(DrugName("sertraline", "sertraline"),),
    )
    question = "I'm breastfeeding on sertraline. Should I stop the sertraline or stop feeding?"
    lead, _ = choose_bottom_line([nursing, stopping], frame, Audience.PATIENT, question=question)
    assert lead[0] is nursing


def test_a_line_on_an_effect_of_a_medicine_the_reader_does_not_tell_does_not_lead() -> None:
    aches = make_evidence(
        "a1", "If your muscles ache while you take a statin, see your doctor for a blood test.",
        "Medicines",
    )  # fmt: skip
    risk = make_evidence(
        "r1", "If your 10-year risk is 10% or more, you may be offered a statin.", "Medicines"
    )
    frame = QuestionFrame(
        Ask.TREATMENT, conditions=("cholesterol",), condition_cards=("hyperlipidaemia",)
    )
    lead = leads_by_question([aches, risk], frame, {"a1": 0.9, "r1": 0.8}, "hyperlipidaemia")
    assert lead("LDL 4.2, I feel fine. Would a statin help me?")[0] == "r1"
    assert lead("My legs ache on my statin. Would a statin help me?")[0] == "a1"


UTI_TREAT = make_evidence(
    "t1", "For men with lower urinary tract infection, offer an immediate antibiotic: "
    "trimethoprim or nitrofurantoin (if eGFR is 45 ml/minute or more) for 7 days.", "Medicines",
)  # fmt: skip
UTI_NOT_TREAT = make_evidence(
    "n1", "Do not start antibiotics for an older person with bacteriuria and delirium but no "
    "local genitourinary symptoms and no fever.", "Pitfalls",
)  # fmt: skip
UTI_REFER = make_evidence(
    "r1", "Refer a person with a urinary tract infection to hospital if there are signs of a "
    "more serious illness.", "Red flags",
)  # fmt: skip


def test_a_story_without_urinary_symptoms_is_led_by_the_line_against_treating_it() -> None:
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("urinary tract infection",),
        condition_cards=("urinary-tract-infection",),
        populations=("kidney_disease",),
        kidney_function=40.0,
        drugs=(DrugName("nitrofurantoin", "nitrofurantoin"),),
        interventions=("nitrofurantoin",),
    )
    lead = leads_by_question(
        [UTI_TREAT, UTI_NOT_TREAT], frame, {"t1": 0.8, "n1": 1.0}, "urinary tract infection"
    )
    # (the line names no nitrofurantoin, but the antibiotics it is one of; and its eGFR bound
    # does not make the antibiotic line one written for people with kidney disease)
    question = "Care home 84M, dip nit+, no dysuria/frequency, eGFR 40. Nitrofurantoin?"
    assert lead(question)[0] == "n1"


def test_under_a_raised_alarm_the_card_s_referral_line_leads_not_a_line_against_treating() -> None:
    frame = QuestionFrame(
        Ask.RED_FLAGS,
        conditions=("urinary tract infection",),
        condition_cards=("urinary-tract-infection",),
    )
    lead = leads_by_question(
        [UTI_TREAT, UTI_NOT_TREAT, UTI_REFER],
        frame,
        {"t1": 0.95, "n1": 0.9, "r1": 0.4},
        "urinary tract infection",
    )
    assert lead("dysuria 3d, now loin pain + rigors, HR 118, BP 92/58 — nitrofurantoin ok?")[0] == (
        "r1"
    )


def test_a_stopping_question_told_with_a_circumstance_keeps_the_line_on_keeping_it_going() -> None:
    keep = make_evidence(
        "k1", "If you already take allopurinol, keep taking it during a gout attack.", "First-line"
    )
    again = make_evidence(
        "a1", "To stop gout attacks coming back again, drink less alcohol.", "Prevention"
    )
    frame = QuestionFrame(Ask.TREATMENT, conditions=("gout",), condition_cards=("gout",))
    lead = leads_by_question([keep, again], frame, {"k1": 0.9, "a1": 0.7}, "gout")
    question = (
        "gout in his big toe again, on allopurinol 300, should he stop it til the flare is gone?"
    )
    assert lead(question)[0] == "k1"


def test_a_child_on_the_reliever_alone_is_not_answered_by_the_step_after_a_preventer() -> None:
    first = make_evidence(
        "f1", "For a child aged 5 to 11 newly found to have asthma, a low-dose preventer inhaler "
        "twice a day is advised, with a reliever when needed.", "Medicines",
    )  # fmt: skip
    after = make_evidence(
        "m1", "A child aged 5 to 11 may still have asthma symptoms on a low-dose preventer; then "
        "one combined inhaler may be advised.", "Medicines",
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.TREATMENT, conditions=("asthma",), condition_cards=("asthma",), populations=("child",)
    )
    lead = leads_by_question([after, first], frame, {"m1": 0.9, "f1": 0.85}, "asthma")
    assert lead("my son is 7 and uses his blue inhaler 4 times a week, is that normal?")[0] == "f1"
    assert lead("my son is 7, on his brown preventer, still coughing at night. what next?")[0] == (
        "m1"
    )


def test_how_long_asked_beside_which_joins_the_course_length_to_the_lead() -> None:
    which = make_evidence(
        "w1", "For sore throat, NICE names phenoxymethylpenicillin as the first-choice antibiotic.",
        "Medicines",
    )  # fmt: skip
    how_long = make_evidence(
        "h1", "Antibiotics for strep throat are taken for 10 days in the US guideline.",
        "Follow-up",
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        conditions=("sore throat",),
        condition_cards=("streptococcal-pharyngitis",),
    )

    def bottom_line(question: str) -> list[tuple[str, ...]]:
        draft = ExtractiveGenerator().generate(
            request(
                [which, how_long],
                question=question,
                frame=frame,
                similarity={"w1": 0.9, "h1": 0.6},
                topic="sore throat",
            )
        )
        return [statement.passage_ids for statement in draft.bottom_line]

    assert bottom_line("9yo, FeverPAIN 4, no allergy – which abx and course length?") == [
        ("w1",),
        ("h1",),
    ]
    assert bottom_line("9yo, FeverPAIN 4, no allergy – which abx?") == [("w1",)]


def test_whether_to_start_a_medicine_is_not_answered_by_a_line_for_people_taking_it() -> None:
    from bedside.domain import DrugName

    checks = make_evidence(
        "c1", "For adults taking levothyroxine, TSH is checked every 3 months until it is stable.",
        "Follow-up",
    )  # fmt: skip
    whether = make_evidence(
        "w1", "For subclinical hypothyroidism with a TSH of 10 or higher on 2 tests 3 months "
        "apart, consider levothyroxine.", "Medicines",
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("hypothyroidism",),
        condition_cards=("hypothyroidism",),
        drugs=(DrugName("levothyroxine", "levothyroxine"),),
        interventions=("levothyroxine",),
    )
    lead = leads_by_question([checks, whether], frame, {"c1": 1.0, "w1": 0.6}, "hypothyroidism")
    assert lead("72F, TSH 7.8, fT4 normal, asymptomatic. Start levothyroxine?")[0] == "w1"


def test_how_long_till_it_goes_away_is_answered_before_the_surgery_asked_next() -> None:
    # The first question asks how sciatica runs; surgery, which only the second names, scores
    # the surgery line higher, but the course comes first (within half its score).
    surgery = line(
        "Surgery for sciatica gives faster recovery, but results at one year are similar.",
        1.4,
        section="prognosis",
    )
    course = line("Most new sciatica settles with time.", 0.8, section="overview")
    frame = QuestionFrame(ask=Ask.PROGNOSIS, interventions=("surgery",))
    question = "gp said its sciatica. how long till it goes away?? will i need surgery"
    lead, _ = choose_bottom_line([surgery, course], frame, Audience.PATIENT, question=question)
    assert lead[0] is course
    # …but not when the course line is much further off
    far = line(course.text, 0.6, section="overview")
    lead, _ = choose_bottom_line([surgery, far], frame, Audience.PATIENT, question=question)
    assert lead[0] is surgery
    # …nor when the question asks about surgery first
    question = "will i need surgery for my sciatica? how long till it goes away?"
    lead, _ = choose_bottom_line([surgery, course], frame, Audience.PATIENT, question=question)
    assert lead[0] is surgery


def test_a_condition_denied_in_capitals_rules_out_the_line_for_people_with_it() -> None:
    from bedside.compose.ranking import for_people_the_question_rules_out

    line = "For adults with type 2 diabetes starting step 1 treatment, offer an ACE inhibitor."
    assert for_people_the_question_rules_out("58M Black African, no DM. First-line agent?", line)
    assert not for_people_the_question_rules_out("58M Black African, T2DM. First-line?", line)


def test_an_xray_asked_first_is_answered_before_what_else_helps() -> None:
    # A test question led by a line from outside the sections that answer it (when to see a
    # surgeon) gives way to the line on the test, nearly as near; "apart from tablets" in the
    # second question does not keep the lead.
    surgeon = line(
        "If knee pain badly affects your life, ask about a new knee.", 1.0, section="procedures"
    )
    xray = line(
        "Most people with knee osteoarthritis do not need an X-ray.", 0.95, section="imaging"
    )
    frame = QuestionFrame(
        Ask.TEST_OR_IMAGE, conditions=("knee",), condition_cards=("knee-osteoarthritis",)
    )
    question = "stiff creaky knee, I'm 68. do I need an xray? and what works apart from tablets"
    lead, _ = choose_bottom_line([surgeon, xray], frame, Audience.PATIENT, question=question)
    assert lead[0] is xray


def test_a_line_for_people_without_the_readers_kidney_disease_does_not_lead() -> None:
    not_theirs = line(
        "Do not routinely start urate-lowering therapy after a single gout flare in a person "
        "without chronic kidney disease stage 3 or worse.",
        1.0,
        plain=False,
    )
    theirs = line(
        "Allopurinol is the preferred first urate-lowering drug, including in CKD.",
        0.9,
        plain=False,
    )
    frame = QuestionFrame(
        Ask.TREATMENT, populations=("kidney_disease",), kidney_function=22.0,
        interventions=("allopurinol",),
    )  # fmt: skip
    question = "CKD 4 (eGFR 22), 3rd gout flare this yr. Start allopurinol?"
    lead, _ = choose_bottom_line([not_theirs, theirs], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is theirs


def test_of_two_lines_with_the_alternative_the_one_written_for_the_allergic_leads() -> None:
    both = line(
        "The IDSA guideline keeps penicillin or amoxicillin as the drugs of choice and lists "
        "clindamycin among the options for people allergic to penicillin.",
        1.0,
        plain=False,
    )
    for_them = line(
        "For acute sore throat in people allergic to penicillin, NICE lists clarithromycin.",
        0.7,
        plain=False,
    )
    frame = QuestionFrame(
        Ask.DURATION, populations=("allergy",), interventions=("amoxicillin", "abx")
    )
    question = "19F, FeverPAIN 4, rapid strep +ve. Hx anaphylaxis to amoxicillin. Abx and duration?"
    lead, _ = choose_bottom_line([both, for_them], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is for_them


def _taken_together_draft(lines: list[tuple[str, str]], ask: Ask = Ask.INTERACTIONS):  # type: ignore[no-untyped-def]
    """The article for "can I take ibuprofen while on sertraline?" from a depression card
    whose first line is on the two together."""
    evidence = [
        make_evidence(f"p{index}", text, heading, rank=index + 1)
        for index, (text, heading) in enumerate(lines)
    ]
    frame = QuestionFrame(
        ask,
        conditions=("depression",),
        interventions=("ibuprofen",),  # sertraline is what the reader is on: context
        drugs=(DrugName("ibuprofen", "ibuprofen"), DrugName("sertraline", "sertraline")),
    )
    return ExtractiveGenerator().generate(
        request(
            evidence,
            question="Can I take ibuprofen while on sertraline?",
            frame=frame,
            topic="depression",
        )
    )


_DEPRESSION_CARE = [
    ("Offer guided self-help first for less severe depression.", "First-line management"),
    ("Review an antidepressant within 2 weeks of starting it.", "Follow-up and monitoring"),
    ("Group exercise is an option for less severe depression.", "First-line management"),
    ("Continue an antidepressant for 6 months after remission.", "Medicines"),
    ("Taper an antidepressant step by step when stopping it.", "Medicines"),
    ("Refer severe depression to specialist mental health services.", "When to refer"),
]


def test_an_article_on_two_medicines_taken_together_keeps_to_the_lines_on_them() -> None:
    lines = [
        ("Sertraline taken with ibuprofen makes a stomach bleed more likely.", "Medicines"),
        ("Sertraline for depression can upset the stomach at first.", "Medicines"),
        *_DEPRESSION_CARE,
    ]
    draft = _taken_together_draft(lines)
    assert "ibuprofen" in draft.bottom_line[0].text
    body = [s.text for section in draft.sections for s in section.statements]
    # The line naming sertraline stays; how depression is treated is cut down to the few an
    # article needs to stand.
    assert lines[1][0] in body
    assert len(body) == 3, body
    # A treatment question on the same card gets the care itself.
    treatment = _taken_together_draft(lines, ask=Ask.TREATMENT)
    assert len([s for section in treatment.sections for s in section.statements]) > 3


def test_a_pregnancy_article_keeps_to_what_the_sources_say_of_pregnancy() -> None:
    # Step 1 for adults in general is an ACE inhibitor, which is stopped in pregnancy: when
    # the card says enough about pregnancy, the concise article says only that.
    lines = [
        ("Offer labetalol for hypertension in pregnancy.", "Medicines"),
        ("In pregnancy, aim for a blood pressure of 135/85 when treating hypertension.",
         "Follow-up and monitoring"),
        ("Admit pregnant women whose hypertension reaches 160/110 or more.", "Red flags"),
        ("Advise pregnant women with hypertension to eat less salt.", "First-line management"),
        ("Offer an ACE inhibitor as step 1 for hypertension in adults under 55.", "Medicines"),
        ("Aim for a blood pressure below 130/80 in adults with hypertension.",
         "Follow-up and monitoring"),
        ("Add a thiazide-like diuretic for hypertension at step 3.", "Medicines"),
    ]  # fmt: skip
    evidence = [
        make_evidence(f"h{index}", text, heading, rank=index + 1)
        for index, (text, heading) in enumerate(lines)
    ]
    frame = QuestionFrame(Ask.DRUG_CHOICE, conditions=("hypertension",), populations=("pregnancy",))
    ask = request(
        evidence,
        question="Pregnant with high blood pressure: which medicine is safe?",
        frame=frame,
        topic="hypertension",
    )
    concise = [s.text for s in all_statements(ExtractiveGenerator().generate(ask))]
    assert lines[0][0] in concise
    assert not any("ACE inhibitor" in text or "130/80" in text for text in concise), concise
    # The full article (--full) still shows the rest, for the reader who wants it.
    full = ExtractiveGenerator().generate(replace(ask, concise=False))
    assert any("ACE inhibitor" in s.text for s in all_statements(full))


def _plain_line(text: str, relevance: float, section: str = "medicines") -> Candidate:
    return Candidate(text, ["p"], section, EvidenceLevel.GUIDELINE, relevance, 2020, True)


def test_a_question_on_whether_a_medicine_is_safe_is_not_answered_by_its_alternative() -> None:
    # Pregnant, told she needs nitrofurantoin, asking if it is safe: the line on nitrofurantoin,
    # not the nearer one on what is used when it is not right for someone.
    alternative = _plain_line(
        "If you are pregnant and nitrofurantoin is not right for you, you may get cefalexin.", 1.6
    )
    itself = _plain_line(
        "If you are pregnant, the usual first antibiotic for a bladder infection is "
        "nitrofurantoin. It is not used near your due date.",
        1.5,
    )
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("urinary tract infection",),
        populations=("pregnancy",),
        interventions=("nitrofurantoin",),
        drugs=(DrugName("nitrofurantoin", "nitrofurantoin"),),
    )
    question = "30 weeks pregnant with a water infection. Is nitrofurantoin safe for the baby?"
    lead, _ = choose_bottom_line([alternative, itself], frame, Audience.PATIENT, question=question)
    assert lead[0] is itself
    # …but a reader asking what else to take is answered by the alternative.
    instead = "30 weeks pregnant with a water infection. What can I take instead of nitrofurantoin?"
    lead, _ = choose_bottom_line([alternative, itself], frame, Audience.PATIENT, question=instead)
    assert lead[0] is alternative


def test_a_dose_question_with_no_dose_stated_is_answered_by_the_line_naming_the_drug() -> None:
    # "on allopurinol 100mg, urate still high, GP says same dose: right?" — no line gives a
    # number for it; the line on raising its dose to a target names it, a line on "a medicine
    # to lower uric acid" does not.
    about_a_class = _plain_line(
        "A medicine to lower uric acid is often started a few weeks after a gout attack.", 1.11
    )
    naming_it = _plain_line(
        "The dose of allopurinol is usually raised step by step until your uric acid is below "
        "the target.",
        1.07,
    )
    flare = _plain_line("A steroid shot into the joint can treat a gout attack.", 1.17)
    frame = QuestionFrame(
        Ask.DOSE,
        conditions=("gout",),
        interventions=("allopurinol",),
        drugs=(DrugName("allopurinol", "allopurinol"),),
    )
    question = "dad on allopurinol 100mg for gout, still flaring. GP said same dose, is that right?"
    candidates = [flare, about_a_class, naming_it]
    lead, _ = choose_bottom_line(candidates, frame, Audience.PATIENT, question=question)
    assert lead[0] is naming_it


def test_a_label_of_one_of_two_medicines_asked_together_stays_though_it_names_neither() -> None:
    # "Can I take Fictolol with ibuprofen?" answered by a card line on the two: the Fictolol
    # label's "NSAIDs increase bleeding risk" is about Fictolol, whatever it names.
    card = [
        make_evidence("c0", "Fictoprazine taken with ibuprofen raises bleeding in back pain.",
                      "Medicines"),
        *(
            make_evidence(f"c{i}", text, heading, rank=i + 1)
            for i, (text, heading) in enumerate(
                [
                    ("Advise people with back pain to stay active.", "First-line management"),
                    ("Exercise therapy reduces back pain.", "First-line management"),
                    ("Image the back only when red flags suggest a serious cause.",
                     "When to image"),
                    ("Refer back pain with a progressive deficit urgently.", "When to refer"),
                    ("Ibuprofen for back pain is taken at the lowest dose.", "Medicines"),
                    ("Ibuprofen for back pain is taken for the shortest time.", "Medicines"),
                    ("Ibuprofen for back pain is avoided in kidney disease.", "Medicines"),
                ],
                start=1,
            )
        ),
    ]  # fmt: skip
    label = label_evidence("l1", "Use with NSAIDs increases the risk of bleeding.", "Warnings", 9)
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        conditions=("back pain",),
        interventions=("fictolol", "ibuprofen"),
        drugs=(DrugName("Fictolol", "fictoprazine"), DrugName("ibuprofen", "ibuprofen")),
    )
    draft = ExtractiveGenerator().generate(
        request([*card, label], question="Can I take Fictolol with ibuprofen?", frame=frame)
    )
    assert "fictoprazine" in draft.bottom_line[0].text.lower()
    assert any("l1" in s.passage_ids for s in all_statements(draft))


def test_a_dose_asked_after_another_question_joins_the_bottom_line() -> None:
    # "Anticoagulate? Apixaban dose?": the line answering the first question, then the dose.
    whether = Candidate(
        "Anticoagulation is recommended for atrial fibrillation with a CHA2DS2-VASc of 2 or more.",
        ["p1"], "medicines", EvidenceLevel.GUIDELINE, 1.0, 2023, False,
    )  # fmt: skip
    other = Candidate(
        "Rate control with a beta-blocker suits most people with atrial fibrillation.",
        ["p2"], "medicines", EvidenceLevel.GUIDELINE, 0.9, 2023, False,
    )  # fmt: skip
    dose = Candidate(
        "The apixaban dose for atrial fibrillation is 5 mg twice daily, or 2.5 mg twice daily "
        "in people with two of: age 80 or over, weight 60 kg or less, creatinine 133 or more.",
        ["p3"], "medicines", EvidenceLevel.GUIDELINE, 0.7, 2023, False,
    )  # fmt: skip
    frame = QuestionFrame(
        Ask.DRUG_CHOICE,
        conditions=("AF",),
        interventions=("apixaban",),
        drugs=(DrugName("apixaban", "apixaban"),),
    )
    question = "78M new AF, 58 kg, Cr 1.7. Anticoagulate? Apixaban dose?"
    lead, _ = choose_bottom_line(
        [whether, other, dose], frame, Audience.CLINICIAN, question=question
    )
    assert [c.passage_ids[0] for c in lead] == ["p1", "p3"]


def test_a_medicine_asked_by_its_brand_is_named_in_the_body_by_its_generic_name() -> None:
    # "Can I take ibuprofen while on Zoloft?": lines on sertraline are lines on Zoloft.
    lines = [
        ("Sertraline taken with ibuprofen makes a stomach bleed more likely.", "Medicines"),
        ("Sertraline for depression can upset the stomach at first.", "Medicines"),
        ("Sertraline for depression is taken once a day.", "Medicines"),
        ("Sertraline for depression is stopped slowly, in steps.", "Medicines"),
        ("Sertraline for depression is reviewed within 2 weeks.", "Follow-up and monitoring"),
        *_DEPRESSION_CARE,
    ]
    evidence = [
        make_evidence(f"p{index}", text, heading, rank=index + 1)
        for index, (text, heading) in enumerate(lines)
    ]
    frame = QuestionFrame(
        Ask.INTERACTIONS,
        conditions=("depression",),
        interventions=("ibuprofen",),
        drugs=(DrugName("ibuprofen", "ibuprofen"), DrugName("Zoloft", "sertraline")),
    )
    draft = ExtractiveGenerator().generate(
        request(
            evidence,
            question="Can I take ibuprofen while on Zoloft?",
            frame=frame,
            topic="depression",
        )
    )
    body = [s.text for section in draft.sections for s in section.statements]
    assert len(body) == 4 and all("Sertraline" in text for text in body), body


def test_of_two_groups_asked_the_line_for_the_one_whose_medicines_differ_leads() -> None:
    anyone = line("If you stop your antidepressant, get help if your low mood comes back.", 1.0)
    nursing = line("An antidepressant need not stop breastfeeding; sertraline is best known.", 0.97)
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("depression",),
        condition_cards=("depression",),
        populations=("postpartum", "breastfeeding"),
        interventions=("sertraline",),
        drugs=(DrugName("sertraline", "sertraline"),),
    )
    question = (
        "Had my baby 10 weeks ago, breastfeeding, on sertraline. Is it getting into the baby?"
    )
    lead, _ = choose_bottom_line([anyone, nursing], frame, Audience.PATIENT, question=question)
    assert lead[0] is nursing


def test_a_line_opening_on_an_allergy_the_reader_does_not_tell_does_not_lead() -> None:
    allergic = line("Allergic to penicillin? Cephalexin is taken for 10 days instead.", 1.4)
    everyone = line("A penicillin is taken for 5 to 10 days for strep throat.", 1.3)
    frame = QuestionFrame(
        Ask.DURATION,
        conditions=("strep",),
        condition_cards=("strep",),
        populations=("child",),
        interventions=("amoxicillin",),
    )
    question = "My girl is 8, on amoxicillin for 10 days for strep. Can I stop it now?"
    lead, _ = choose_bottom_line([allergic, everyone], frame, Audience.PATIENT, question=question)
    assert lead[0] is everyone
    allergy = replace(frame, populations=("child", "allergy"))
    lead, _ = choose_bottom_line([allergic, everyone], allergy, Audience.PATIENT, question=question)
    assert lead[0] is allergic


def test_a_referral_question_is_answered_by_when_to_refer_not_by_a_trials_result() -> None:
    trial = line(
        "In a trial of 501 people with disc herniation, surgery and non-surgical care both"
        " improved over 2 years.",
        1.1,
        section="procedures",
        plain=False,
    )
    when = line(
        "Refer to a spine surgeon when sciatica has not improved after 6 to 8 weeks.",
        0.72,
        section="referral",
        plain=False,
    )
    frame = QuestionFrame(
        Ask.REFERRAL, conditions=("disc herniation",), interventions=("microdiscectomy",)
    )
    question = "8/52 S1 radicular pain, improving, power 5/5. Refer for microdiscectomy?"
    lead, _ = choose_bottom_line([trial, when], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is when


def test_a_question_on_a_medicines_harms_is_answered_by_the_line_naming_it() -> None:
    codeine = line(
        "Codeine painkillers are not usually advised for knee osteoarthritis.", 0.94, card_id="knee"
    )
    kidneys = line(
        "Pills like ibuprofen can, rarely, harm the kidneys. Older people should ask first.",
        0.67,
        card_id="knee",
    )
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        conditions=("arthritis",),
        interventions=("ibuprofen", "ramipril"),
        drugs=(DrugName("ibuprofen", "ibuprofen"), DrugName("ramipril", "ramipril")),
        age_years=72,
    )
    question = "72, knees. Ibuprofen most days for a year, also ramipril. Is that ok long term?"
    lead, _ = choose_bottom_line([codeine, kidneys], frame, Audience.PATIENT, question=question)
    assert lead[0] is kidneys


def test_a_side_effect_question_is_not_led_by_a_line_on_a_medicine_of_another_kind() -> None:
    mixing = line("Taking atorvastatin with clarithromycin can harm your muscles.", 1.43)
    aches = line("Statins are safe for most people to take for many years.", 1.41)
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        conditions=("cholesterol",),
        interventions=("atorvastatin",),
        drugs=(DrugName("atorvastatin", "atorvastatin"),),
    )
    question = "On atorvastatin for three months. Is it safe to take for years?"
    lead, _ = choose_bottom_line([mixing, aches], frame, Audience.PATIENT, question=question)
    assert lead[0] is aches
    # …but a medicine of the same kind as the one asked about is no other subject.
    same_kind = line("Atorvastatin or simvastatin can make your muscles ache.", 1.43)
    lead, _ = choose_bottom_line([same_kind, aches], frame, Audience.PATIENT, question=question)
    assert lead[0] is same_kind


def test_an_effect_told_on_a_medicine_is_not_answered_by_its_harm_with_another() -> None:
    # The aches told are named by the line on atorvastatin with clarithromycin too; a question
    # on aches from atorvastatin alone is answered by the line on aches from a statin.
    mixing = line(
        "Taking atorvastatin with clarithromycin? Tell your doctor about muscle pain.", 1.09
    )
    later = line("If statin side effects are not severe, try again at a new dose.", 1.0)
    aches = line("If your muscles ache while you take a statin, see your doctor.", 0.92)
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        conditions=("cholesterol",),
        interventions=("atorvastatin",),
        drugs=(DrugName("atorvastatin", "atorvastatin"),),
    )
    question = "Started atorvastatin a month ago, my legs ache. Is the muscle pain dangerous?"
    lead, _ = choose_bottom_line([mixing, later, aches], frame, Audience.PATIENT, question=question)
    assert lead[0] is aches


def test_a_long_opening_on_an_allergy_not_told_keeps_a_line_from_the_second_answer() -> None:
    # The allergy comes 90 characters into the line's opening clause; "no pen allergy" is told.
    dose = line("High-dose amoxicillin, 80 to 90 mg/kg a day, is first choice for AOM.", 1.2)
    allergic = line(
        "For a child or young person with acute otitis media who needs an antibiotic but is "
        "allergic to penicillin, clarithromycin is advised for 5 to 7 days.",
        1.1,
    )
    frame = QuestionFrame(
        Ask.DOSE,
        conditions=("AOM",),
        populations=("child",),
        interventions=("amoxicillin",),
        drugs=(DrugName("amox", "amoxicillin"),),
        age_years=1.5,
    )
    question = "18mo, bilat AOM, no pen allergy. amox dose + duration?"
    lead, _ = choose_bottom_line([dose, allergic], frame, Audience.CLINICIAN, question=question)
    assert lead == [dose]


def test_stopping_asked_is_answered_by_how_to_stop_not_how_long_people_stay_on_it() -> None:
    taper = line(
        "Do not stop your antidepressant all at once; the dose is lowered slowly, in steps.",
        1.55,
        section="pitfalls",
    )
    months = line("Once you feel better, keep taking your antidepressant for 6 months.", 1.45)
    frame = QuestionFrame(
        Ask.DURATION,
        conditions=("depression",),
        interventions=("sertraline",),
        drugs=(DrugName("sertraline", "sertraline"),),
    )
    question = "On sertraline for 14 months and well for 8. Can I just stop taking it?"
    lead, _ = choose_bottom_line([taper, months], frame, Audience.PATIENT, question=question)
    assert lead[0] is taper


def test_the_course_length_also_asked_joins_before_a_nearer_line_answering_neither() -> None:
    first = line("For cellulitis, the first-line oral antibiotic is flucloxacillin.", 1.3)
    review = line(
        "If intravenous antibiotics are used for cellulitis, review them by 48 hours.", 1.25
    )
    course = line("For cellulitis, 5 days of antibiotic treatment is recommended.", 1.1)
    frame = QuestionFrame(Ask.DRUG_CHOICE, conditions=("cellulitis",), interventions=("abx",))
    question = "41M leg cellulitis, nonpurulent, afebrile. abx + duration?"
    lead, _ = choose_bottom_line(
        [first, review, course], frame, Audience.CLINICIAN, question=question
    )
    assert lead == [first, course]


def test_a_line_for_the_group_asked_about_keeps_the_lead_over_general_advice() -> None:
    # The pregnancy line advises against admission as well as for treatment; a general line on
    # what to take must not replace it for a pregnant reader.
    pregnancy = line(
        "In gestational hypertension, NICE advises against routine admission to hospital and "
        "advises offering antihypertensive medicine if blood pressure stays above 140/90.",
        1.2,
        plain=False,
    )
    general = line(
        "For stage 2 hypertension, start two first-line antihypertensives in one pill.",
        1.15,
        plain=False,
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, conditions=("HTN",), populations=("pregnancy",))
    question = "G1 29/40, BP 152/98 twice, no proteinuria. first-line agent?"
    lead, _ = choose_bottom_line([pregnancy, general], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is pregnancy


def test_a_question_on_a_medicines_harms_is_led_by_a_line_on_its_side_effects() -> None:
    offer = line("Offer atorvastatin 20 mg for primary prevention if QRISK3 is 10% or more.", 1.1)
    after = line(
        "If a person reports side effects on a statin, discuss stopping and trying again, "
        "switching statin or lowering the dose.",
        1.03,
    )
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        conditions=("cholesterol",),
        interventions=("atorva",),
        drugs=(DrugName("atorva", "atorvastatin"),),
    )
    question = "62F, QRISK3 14%. Atorva 20 -> side effects at 6 wk, stopped. Options?"
    lead, _ = choose_bottom_line([offer, after], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is after


def test_how_long_it_lasts_is_answered_by_a_span_of_time() -> None:
    rest = line(
        "Bed rest does not help a new bout of back pain get better.", 1.23, section="prognosis"
    )
    weeks = line(
        "Most bouts of back pain get better within a few weeks.", 1.05, section="prognosis"
    )
    frame = QuestionFrame(Ask.PROGNOSIS, conditions=("back pain",))
    question = "Hurt my back lifting on Friday. How long does this usually last?"
    lead, _ = choose_bottom_line([rest, weeks], frame, Audience.PATIENT, question=question)
    assert lead[0] is weeks


def test_a_question_on_preventing_attacks_is_led_by_the_line_on_prevention() -> None:
    overuse = line("Taking triptans on 10 or more days a month can cause more headaches.", 1.49)
    prevent = line(
        "A medicine to prevent migraine may be worth thinking about with 4 or more a month.", 1.14
    )
    frame = QuestionFrame(
        Ask.PREVENTION,
        conditions=("migraine",),
        interventions=("sumatriptan",),
        drugs=(DrugName("sumatriptan", "sumatriptan"),),
    )
    question = "Sumatriptan works but I take it twice a week. Something daily to stop them?"
    lead, _ = choose_bottom_line([overuse, prevent], frame, Audience.PATIENT, question=question)
    assert lead[0] is prevent


def test_a_kidney_limit_holding_the_readers_value_leads_well_below_a_general_line() -> None:
    general = line(
        "Bisphosphonates are the initial drug treatment for osteoporosis.", 1.3, plain=False
    )
    limit = line(
        "Alendronate is not recommended for people with a creatinine clearance below 35 mL/min.",
        0.94,
        plain=False,
    )
    frame = QuestionFrame(
        Ask.TREATMENT,
        conditions=("osteoporosis",),
        interventions=("alendronate",),
        drugs=(DrugName("alendronate", "alendronate"),),
        kidney_function=24.0,
    )
    question = "79F osteoporosis, eGFR 24. alendronate ok? alternatives?"
    lead, _ = choose_bottom_line([general, limit], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is limit


def test_what_to_take_first_is_not_answered_by_what_follows_a_failed_first_choice() -> None:
    consider = line("Consider migraine prevention for four or more headaches a month.", 1.09)
    after = line(
        "If first-choice migraine prevention does not work, consider atogepant or topiramate.",
        1.04,
    )
    first = line("For preventing migraine, the first choice is metoprolol or propranolol.", 1.01)
    frame = QuestionFrame(Ask.PREVENTION, conditions=("migraine",))
    question = "34F migraine 6 days/mo, BP 145/92. Preventive choice?"
    lead, _ = choose_bottom_line(
        [consider, after, first], frame, Audience.CLINICIAN, question=question
    )
    assert lead[0] is first


def test_a_flare_after_starting_a_medicine_is_answered_by_what_starting_it_does() -> None:
    dose = line("Allopurinol is started at a low dose, and the dose is slowly raised.", 1.35)
    early = line(
        "Gout attacks can be more likely in the first few months after you start a medicine "
        "to lower uric acid.",
        1.24,
    )
    again = line("To help stop gout attacks coming back, drink less alcohol.", 1.06)
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        conditions=("gout",),
        interventions=("allopurinol",),
        drugs=(DrugName("allopurinol", "allopurinol"),),
    )
    question = "Started allopurinol 2 weeks ago and my toe is red and hot again. Should I stop it?"
    lead, _ = choose_bottom_line([dose, early, again], frame, Audience.PATIENT, question=question)
    assert lead[0] is early


def test_a_referral_asked_after_a_medicine_is_answered_on_the_medicine_first() -> None:
    not_advised = line(
        "Do not offer pregabalin or oral steroids for sciatica.",
        0.64,
        section="medicines",
        plain=False,
    )
    review = line(
        "Review points at 4 and 10 months have been proposed for surgery.",
        0.6,
        section="referral",
        plain=False,
    )
    frame = QuestionFrame(
        Ask.REFERRAL,
        conditions=("sciatica",),
        interventions=("pregabalin", "epidural"),
        drugs=(DrugName("pregabalin", "pregabalin"),),
    )
    question = "2/52 S1 radiculopathy, no red flags. Pregabalin? Oral pred? Refer for epidural?"
    lead, _ = choose_bottom_line(
        [not_advised, review], frame, Audience.CLINICIAN, question=question
    )
    assert lead[0] is not_advised


def test_medicines_set_against_another_treatment_are_answered_by_the_line_weighing_both() -> None:
    # "Tablets or counselling, is one better?": the line putting the two side by side as first
    # steps, not one on either alone, nor one on switching after the first has failed.
    talking = line("Talking therapy such as CBT is a good first treatment for mild depression", 1)
    later = line(
        "Your first antidepressant may not help enough. You may switch to talking therapy.", 0.98
    )
    both = line(
        "You can start with talking therapy or with an antidepressant. Both are good first steps.",
        0.85,
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("counselling",))
    question = "My GP offered tablets or counselling. Is one better than the other?"
    lead, _ = choose_bottom_line([talking, later, both], frame, Audience.PATIENT, question=question)
    assert lead[0] is both
    # Without a choice between the two, the nearest line keeps its place.
    lead, _ = choose_bottom_line(
        [talking, later, both], frame, Audience.PATIENT, question="Does counselling help?"
    )
    assert lead[0] is talking


def test_a_missed_dose_is_answered_by_the_line_on_a_missed_dose_of_that_drug() -> None:
    dose = line("The usual dose of apixaban is 5 mg twice a day.", 1.0)
    other = line("Missed a dose of rivaroxaban? Take it as soon as you remember.", 0.9)
    missed = line(
        "Missed a dose of apixaban? Take it as soon as you remember on the same day.", 0.7
    )
    frame = QuestionFrame(
        Ask.TREATMENT, interventions=("eliquis",), drugs=(DrugName("eliquis", "apixaban"),)
    )
    question = "forgot my eliquis this morning, do i take 2 tonight?"
    lead, _ = choose_bottom_line([dose, other, missed], frame, Audience.PATIENT, question=question)
    assert lead[0] is missed


def test_how_a_medicine_is_taken_is_answered_by_the_line_on_taking_it_not_another() -> None:
    # "How do I take my Fosamax?": not when to take calcium "after your bisphosphonate".
    calcium = line(
        "You may need a calcium supplement. Take it at least 2 hours after your bisphosphonate.",
        1.0,
    )
    taking = line(
        "Take a bisphosphonate tablet first thing in the morning with a full glass of water.",
        0.97,
    )
    frame = QuestionFrame(
        Ask.TREATMENT, interventions=("fosamax",), drugs=(DrugName("fosamax", "alendronate"),)
    )
    lead, _ = choose_bottom_line(
        [calcium, taking], frame, Audience.PATIENT, question="how exactly do i take my fosamax?"
    )
    assert lead[0] is taking


def test_a_switch_a_bare_evidence_weighs_is_answered_by_the_line_on_what_it_switches_to() -> None:
    monitoring = line("Check TSH every 3 months on levothyroxine until it is stable.", 1.0)
    extract = line(
        "Do not prescribe desiccated (natural) thyroid extract as routine treatment.",
        0.8,
        section="pitfalls",
    )
    frame = QuestionFrame(
        Ask.TREATMENT,
        interventions=("levothyroxine", "desiccated thyroid"),
        treatment_tried=True,
    )
    question = "42F on levothyroxine, tired. wants to switch to desiccated thyroid. evidence?"
    lead, _ = choose_bottom_line(
        [monitoring, extract], frame, Audience.CLINICIAN, question=question
    )
    assert lead[0] is extract


def test_a_course_length_does_not_lead_a_question_that_never_asks_how_long() -> None:
    days = line("Children aged 2 to 5 take antibiotics for an ear infection for 7 days.", 1.0)
    wait = line("A child aged 2 or older may not need antibiotics at first.", 0.95)
    frame = QuestionFrame(Ask.TREATMENT, interventions=("antibiotics",))
    waiting = "The doctor says wait two days before antibiotics. Shouldn't she start them now?"
    lead, _ = choose_bottom_line([days, wait], frame, Audience.PATIENT, question=waiting)
    assert lead[0] is wait
    more = "The GP gave amoxicillin for 5 days. Kids need 10 days of antibiotics, ask for more?"
    lead, _ = choose_bottom_line([days, wait], frame, Audience.PATIENT, question=more)
    assert lead[0] is days


def test_stopping_a_medicine_for_an_effect_no_line_names_is_answered_by_its_side_effects_line() -> (
    None
):
    dose = line("After a heart attack or stroke, a strong dose of atorvastatin is advised.", 1.0)
    side = line(
        "If a strong statin gives you side effects, talk about your choices with your doctor.",
        0.78,
    )
    frame = QuestionFrame(
        Ask.SIDE_EFFECTS,
        interventions=("lipitor",),
        drugs=(DrugName("lipitor", "atorvastatin"),),
    )
    question = "started lipitor a month ago, my legs ache all the time now. should i just stop it?"
    lead, _ = choose_bottom_line([dose, side], frame, Audience.PATIENT, question=question)
    assert lead[0] is side


def test_someone_asking_whether_to_start_a_first_medicine_is_on_no_rung() -> None:
    three = line(
        "If your blood pressure stays high on three medicines, check it first at home.", 1.0
    )
    first = line("In the UK your first blood pressure tablet is usually an ACE inhibitor.", 0.9)
    frame = QuestionFrame(Ask.DRUG_CHOICE)
    question = "bp was 152/94 at the chemist, im 45. do i need to start tablets straight away?"
    lead, _ = choose_bottom_line([three, first], frame, Audience.PATIENT, question=question)
    assert lead[0] is first


def test_a_clinicians_1st_line_asks_for_the_first_line() -> None:
    second = line(
        "Beta-lactams are second-line for cystitis because they are less effective than the "
        "first-line drugs.",
        1.0,
        plain=False,
    )
    first = line(
        "NICE's first-choice antibiotic for cystitis is nitrofurantoin.", 0.99, plain=False
    )
    frame = QuestionFrame(Ask.DRUG_CHOICE, interventions=("abx",))
    question = "31F uncomplicated cystitis, non-pregnant. 1st line abx + duration?"
    lead, _ = choose_bottom_line([second, first], frame, Audience.CLINICIAN, question=question)
    assert lead[0] is first
