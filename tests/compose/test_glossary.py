"""The plain-language glossary: matching, first-use explanations, and the bundled entries."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from bedside.compose.glossary import Gloss, Glossary, GlossaryEntry, GlossedText
from bedside.compose.readability import flesch_kincaid_grade
from bedside.ingest.readers.cards import parse_card

# Capitalised names in card statements that are organisations, places, journals, trials or
# guideline codes rather than clinical terms: a patient needs no explanation of "NICE", and
# "CNS" here is the Congress of Neurological Surgeons (as in AANS/CNS), not a nervous system.
NOT_CLINICAL_TERMS = {
    "OK",  # "it is OK if symptoms get a little worse"
    "AAOS",  # American Academy of Orthopaedic Surgeons
    "AAFP",  # American Academy of Family Physicians
    "AANS",  # American Association of Neurological Surgeons
    "AAP",  # American Academy of Pediatrics
    "AFP",  # American Family Physician (the journal)
    "AGA",  # American Gastroenterological Association
    "ACC",  # American College of Cardiology
    "ACCP",  # American College of Chest Physicians
    "ACG",  # American College of Gastroenterology
    "ACP",  # American College of Physicians
    "ACR",  # American College of Rheumatology / of Radiology
    "WHO",  # World Health Organization
    "ADA",  # American Diabetes Association
    "MHRA",  # Medicines and Healthcare products Regulatory Agency (UK)
    "FDA",  # US Food and Drug Administration
    "UKMEC",  # UK Medical Eligibility Criteria for Contraceptive Use (an FSRH document)
    "SIGN",  # Scottish Intercollegiate Guidelines Network
    "AHA",  # American Heart Association
    "AHS",  # American Headache Society
    "ANZ",  # Australia and New Zealand
    "BTS",  # British Thoracic Society
    "ATA",  # American Thyroid Association
    "ATS",  # American Thoracic Society
    "BMJ",  # a journal
    "CNS",  # Congress of Neurological Surgeons
    "EASD",  # European Association for the Study of Diabetes
    "ERS",  # European Respiratory Society
    "ESC",  # European Society of Cardiology
    "ESCMID",  # European Society of Clinical Microbiology and Infectious Diseases
    "GINA",  # Global Initiative for Asthma
    "GOLD",  # Global Initiative for Chronic Obstructive Lung Disease
    "HFSA",  # Heart Failure Society of America
    "HRS",  # Heart Rhythm Society
    "IDSA",  # Infectious Diseases Society of America
    "NAEPP",  # National Asthma Education and Prevention Program
    "NHS",  # National Health Service
    "NICE",  # National Institute for Health and Care Excellence
    "PECARN",  # Pediatric Emergency Care Applied Research Network
    "SPORT",  # Spine Patient Outcomes Research Trial
    "UK",
    "US",
    "USPSTF",  # US Preventive Services Task Force
}
GUIDELINE_CODE = re.compile(r"(?:NG|QS|CG|TA)\d+")  # NICE document numbers: NG59, QS155
ABBREVIATION = re.compile(r"\b([A-Z][A-Z0-9]{1,5})s?\b")

# Terms the brief for the glossary names, each of which must be explained.
REQUIRED_TERMS = [
    "radiculopathy", "sciatica", "cauda equina syndrome", "discectomy", "spinal fusion",
    "epidural", "MRI", "CT", "NSAID", "opioid", "duloxetine", "radiofrequency denervation",
    "facet joint", "spondylosis", "degenerative disc disease", "HbA1c", "SGLT2 inhibitor",
    "LDL", "statin", "anticoagulant", "DOAC", "INR", "spirometry", "FEV1",
    "inhaled corticosteroid", "LABA", "LAMA", "PPI", "endoscopy", "bisphosphonate", "DEXA",
    "TSH", "levothyroxine", "triptan", "otitis media", "Centor", "urate", "allopurinol",
    "colchicine", "ejection fraction", "ACE inhibitor", "beta blocker", "diuretic", "CBT",
    "SSRI", "concussion", "mild traumatic brain injury", "LBP", "HNP", "DDD", "MI", "GP", "ED",
    "PT", "RCT",
]  # fmt: skip


def entry(term: str, *aliases: str, plain: str = "plain words") -> GlossaryEntry:
    return GlossaryEntry(term, aliases, plain)


SMALL = Glossary(
    [
        entry(
            "NSAID", "non-steroidal anti-inflammatory drug", plain="anti-inflammatory painkillers"
        ),
        entry("opioid", plain="strong painkillers"),
        entry("PT", plain="physical therapy"),
        entry("ED", plain="emergency department"),
        entry("heart failure", plain="a weak heart"),
        entry("HFrEF", "heart failure with reduced ejection fraction", plain="a weak pump"),
        entry("ejection fraction", plain="blood pumped per beat"),
        entry("therapy", plain="treatment"),
        entry("abscess", plain="a pocket of pus"),
        entry("beta-blocker", plain="a heart medicine"),
        entry("atrial fibrillation", "AF", plain="an irregular heartbeat"),
        entry("proton pump inhibitor", "PPI", plain="an acid-reducing tablet"),
        entry("Barrett's oesophagus", plain="a changed food pipe lining"),
        entry("SGLT2 inhibitor", plain="a diabetes medicine"),
        entry("cystitis", plain="a bladder infection"),
        entry("lower urinary tract infection", plain="a bladder infection"),
    ]
)


def terms(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[start:end], found.term) for start, end, found in glossary.find(text)]


# -- find -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Try an NSAID first.", [("NSAID", "NSAID")]),
        ("NSAIDs help a little.", [("NSAIDs", "NSAID")]),
        (
            "A non-steroidal anti-inflammatory drug",
            [("non-steroidal anti-inflammatory drug", "NSAID")],
        ),
        (
            "Opioids and OPIOIDS and opioid",
            [("Opioids", "opioid"), ("OPIOIDS", "opioid"), ("opioid", "opioid")],
        ),
        ("opioidergic pathways", []),  # whole words only
        ("Refer to PT.", [("PT", "PT")]),
        ("The pt was seen; PTs helped.", [("PTs", "PT")]),  # abbreviations keep their case
        ("Seen in the ED, then edited.", [("ED", "ED")]),
        ("He used the ed. notes", []),
        ("Therapies and therapy", [("Therapies", "therapy"), ("therapy", "therapy")]),
        ("two abscesses", [("abscesses", "abscess")]),
        (
            "beta blocker, beta-blockers, betablocker",
            [("beta blocker", "beta-blocker"), ("beta-blockers", "beta-blocker")],
        ),
        (
            "Barrett’s oesophagus and Barretts oesophagus",
            [
                ("Barrett’s oesophagus", "Barrett's oesophagus"),
                ("Barretts oesophagus", "Barrett's oesophagus"),
            ],
        ),
        ("SGLT2 inhibitors and sglt2 inhibitors", [("SGLT2 inhibitors", "SGLT2 inhibitor")]),
        ("SGLT2 Inhibitors", [("SGLT2 Inhibitors", "SGLT2 inhibitor")]),
        ("", []),
    ],
)
def test_find_matches_whole_terms_with_case_and_plural_rules(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert terms(SMALL, text) == expected


def test_find_prefers_the_longest_term_and_never_overlaps() -> None:
    text = "In heart failure with reduced ejection fraction, unlike other heart failure, ..."
    assert terms(SMALL, text) == [
        ("heart failure with reduced ejection fraction", "HFrEF"),
        ("heart failure", "heart failure"),
    ]


def test_find_reports_offsets_left_to_right() -> None:
    text = "AF then PPI then AF"
    found = SMALL.find(text)
    assert [(start, end) for start, end, _ in found] == [(0, 2), (8, 11), (17, 19)]
    assert [text[start:end] for start, end, _ in found] == ["AF", "PPI", "AF"]


def test_an_empty_glossary_finds_nothing() -> None:
    glossary = Glossary([])
    assert glossary.find("NSAID") == []
    assert glossary.explain(["NSAID"]) == [GlossedText("NSAID", "NSAID", ())]


@pytest.mark.parametrize(
    "entries",
    [
        [entry("opioid"), entry("opiate", "opioid")],  # one alias, two entries
        [entry("opioid"), entry("Opioid")],  # ordinary words ignore case
        [entry("beta-blocker"), entry("beta blocker")],  # hyphen and space are the same
        [entry("opioid", plain="  ")],
        [entry("   ")],
        [entry("--")],
    ],
)
def test_glossary_rejects_ambiguous_or_empty_entries(entries: list[GlossaryEntry]) -> None:
    with pytest.raises(ValueError, match="glossary"):
        Glossary(entries)


def test_abbreviation_and_word_of_the_same_letters_can_coexist() -> None:
    glossary = Glossary([entry("ED", plain="emergency department"), entry("ed", plain="edition")])
    assert terms(glossary, "ED ed") == [("ED", "ED"), ("ed", "ed")]


# -- explain ----------------------------------------------------------------------------------


def test_explain_inserts_the_plain_words_after_the_first_use_only() -> None:
    [glossed] = SMALL.explain(["An NSAID, then another NSAID."])
    assert glossed.original == "An NSAID, then another NSAID."
    assert glossed.rendered == "An NSAID (anti-inflammatory painkillers), then another NSAID."
    assert glossed.glosses == (Gloss("NSAID", "NSAID", "anti-inflammatory painkillers"),)


def test_explain_tracks_first_use_across_texts_and_forms() -> None:
    texts = [
        "NSAIDs help.",
        "Ask about opioids.",
        "A non-steroidal anti-inflammatory drug or opioid.",
    ]
    glossed = SMALL.explain(texts)
    assert [g.rendered for g in glossed] == [
        "NSAIDs (anti-inflammatory painkillers) help.",
        "Ask about opioids (strong painkillers).",
        "A non-steroidal anti-inflammatory drug or opioid.",
    ]
    assert [g.original for g in glossed] == texts
    assert [[gloss.matched for gloss in g.glosses] for g in glossed] == [
        ["NSAIDs"],
        ["opioids"],
        [],
    ]


def test_explain_uses_and_updates_the_callers_seen_set() -> None:
    seen = {"opioid"}
    [first] = SMALL.explain(["Opioids or an NSAID."], seen=seen)
    assert first.rendered == "Opioids or an NSAID (anti-inflammatory painkillers)."
    assert seen == {"opioid", "NSAID"}
    [second] = SMALL.explain(["An NSAID."], seen=seen)
    assert second.rendered == "An NSAID."
    assert second.glosses == ()


def test_explain_without_seen_starts_afresh_each_call() -> None:
    assert SMALL.explain(["An NSAID."])[0].glosses
    assert SMALL.explain(["An NSAID."])[0].glosses


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        # Already explained by the text: left alone.
        (
            "Do not offer opioids (strong painkillers) here.",
            "Do not offer opioids (strong painkillers) here.",
        ),
        (
            "An acid-reducing tablet (a proton pump inhibitor) first.",
            "An acid-reducing tablet (a proton pump inhibitor) first.",
        ),
        ("Blood thinners (PPI) first.", "Blood thinners (PPI) first."),
        # A definition in the explanation's own words is left alone; "are risky" defines
        # nothing, so the explanation stays (a repeated one is the safe side).
        (
            "Cystitis is a bladder infection. Opioids are risky.",
            "Cystitis is a bladder infection. Opioids (strong painkillers) are risky.",
        ),
        # A term that starts a hyphenated word is explained after the word.
        ("No NSAID-type medicines.", "No NSAID-type (anti-inflammatory painkillers) medicines."),
        # Brackets that only abbreviate the term: the explanation follows them.
        (
            "Atrial fibrillation (AF) is common.",
            "Atrial fibrillation (AF) (an irregular heartbeat) is common.",
        ),
        # Brackets that grade evidence or hold numbers, or an unknown abbreviation, explain nothing.
        (
            "An NSAID (moderate-quality evidence).",
            "An NSAID (anti-inflammatory painkillers) (moderate-quality evidence).",
        ),
        ("An NSAID (2 studies).", "An NSAID (anti-inflammatory painkillers) (2 studies)."),
        ("An NSAID (NSD) works.", "An NSAID (anti-inflammatory painkillers) (NSD) works."),
        # Brackets naming a different term: explain this one here, and that one counts as explained.
        (
            "A lower urinary tract infection (cystitis) is common.",
            "A lower urinary tract infection (a bladder infection) (cystitis) is common.",
        ),
    ],
)
def test_explain_respects_explanations_the_text_already_gives(text: str, rendered: str) -> None:
    [glossed] = SMALL.explain([text])
    assert glossed.rendered == rendered


def test_a_term_the_text_explains_counts_as_explained_later() -> None:
    glossed = SMALL.explain(["Opioids (strong painkillers) are risky.", "Avoid opioids."])
    assert [g.rendered for g in glossed] == [
        "Opioids (strong painkillers) are risky.",
        "Avoid opioids.",
    ]


def only_explanations_added(glossed: GlossedText) -> bool:
    """The verifier's check: removing each listed explanation gives back the original."""
    shown = glossed.rendered
    for gloss in glossed.glosses:
        explanation = f" ({gloss.plain})"
        if explanation not in shown:
            return False
        shown = shown.replace(explanation, "", 1)
    return shown == glossed.original


def test_rendered_text_differs_from_the_original_only_by_the_listed_explanations() -> None:
    texts = [
        "Atrial fibrillation (AF) and heart failure with reduced ejection fraction.",
        "NSAIDs, PPIs and opioids; then NSAIDs again, with therapy and beta-blockers.",
    ]
    for glossed in SMALL.explain(texts):
        assert only_explanations_added(glossed)


# -- the bundled glossary ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    return Glossary.bundled()


def test_bundled_glossary_is_loaded_once(bundled: Glossary) -> None:
    assert Glossary.bundled() is bundled
    assert len(bundled.entries) >= 150


def test_importing_the_module_does_no_work() -> None:
    code = (
        "import bedside.compose.glossary as g; "
        "assert g._bundled.cache_info().currsize == 0, 'glossary loaded at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def form_key(form: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", form)
    return " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in words)


def test_bundled_terms_and_aliases_are_unique(bundled: Glossary) -> None:
    owners: dict[str, str] = {}
    for item in bundled.entries:
        for form in item.forms:
            key = form_key(form)
            assert owners.setdefault(key, item.term) == item.term, f"{form!r} twice"
    # A plural is matched automatically, so one entry's form + "s" must not be another's.
    for key, term in owners.items():
        assert owners.get(key + "s", term) == term, f"{key!r}s belongs to another entry"


def test_bundled_explanations_are_short_plain_and_jargon_free(bundled: Glossary) -> None:
    for item in bundled.entries:
        words = item.plain.split()
        assert 1 <= len(words) <= 15, item.term
        assert not re.search(r"\b[A-Z]{2,}", item.plain), f"abbreviation in {item.term!r}"
        assert not item.plain.endswith("."), item.term
        # An explanation that itself needs explaining helps nobody.
        assert bundled.find(item.plain) == [], f"{item.term!r}: {item.plain!r}"


def test_bundled_explanations_read_at_grade_nine_or_below(bundled: Glossary) -> None:
    grades = [flesch_kincaid_grade(item.plain) for item in bundled.entries]
    assert statistics.mean(grades) <= 8
    assert sum(grade <= 9 for grade in grades) >= 0.75 * len(grades)


@pytest.mark.parametrize("term", REQUIRED_TERMS)
def test_bundled_glossary_explains_the_core_terms(bundled: Glossary, term: str) -> None:
    assert [(0, len(term))] == [(start, end) for start, end, _ in bundled.find(term)]


@pytest.mark.parametrize(
    "text",
    [
        "The AANS/CNS guideline, NICE NG59 and the ACP agree.",
        "GOLD 2023, GINA 2024 and the USPSTF",
        "The patient (pt) was edited; an ed. note; it may prevent falls.",
    ],
)
def test_bundled_glossary_leaves_names_and_ordinary_words_alone(
    bundled: Glossary, text: str
) -> None:
    assert terms(bundled, text) == []


def card_statements() -> Iterator[tuple[str, str, str]]:
    """(card id, heading, text) of every statement on the bundled cards."""
    folder = resources.files("bedside") / "cards"
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name.endswith(".md"):
            card = parse_card(item.read_text(encoding="utf-8"), Path(item.name))
            for statement in card.statements:
                yield card.meta.card_id, statement.heading, statement.text


def test_every_abbreviation_on_the_cards_is_explained(bundled: Glossary) -> None:
    missing = set()
    for card_id, _, text in card_statements():
        covered = [(start, end) for start, end, _ in bundled.find(text)]
        for match in ABBREVIATION.finditer(text):
            name = match.group(1)
            if name in NOT_CLINICAL_TERMS or GUIDELINE_CODE.fullmatch(name):
                continue
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                missing.add(f"{card_id}: {name}")
    assert not missing, sorted(missing)


def test_no_allow_listed_name_is_a_glossary_term(bundled: Glossary) -> None:
    for name in NOT_CLINICAL_TERMS:
        assert bundled.find(name) == [], name


def test_explaining_every_card_keeps_the_verifier_invariant(bundled: Glossary) -> None:
    texts = [text for _, _, text in card_statements()]
    glossed = bundled.explain(texts)
    assert [g.original for g in glossed] == texts
    assert all(only_explanations_added(g) for g in glossed)
    explained = [gloss.term for g in glossed for gloss in g.glosses]
    assert len(explained) == len(set(explained))  # each term once
    assert len(explained) >= 150


def test_explaining_a_patient_statement_reads_naturally(bundled: Glossary) -> None:
    [glossed] = bundled.explain(
        ["Newer blood thinners (DOACs) are usually preferred to warfarin for AF."]
    )
    assert glossed.rendered == (
        "Newer blood thinners (DOACs) are usually preferred to warfarin (an older"
        " blood-thinning tablet that needs regular blood tests) for AF (an irregular, often"
        " fast heartbeat)."
    )


def test_a_term_the_sentence_goes_on_to_define_in_the_same_words_is_not_explained_twice() -> None:
    glossary = Glossary.bundled()
    (cystitis,) = glossary.explain(["Cystitis is an infection of the bladder."])
    assert cystitis.rendered == "Cystitis is an infection of the bladder."
    (sciatica,) = glossary.explain(["Sciatica is pain that spreads down the leg."])
    assert "(" not in sciatica.rendered
    # "… are a risk" is no definition: the term is still explained.
    (opioids,) = glossary.explain(["Opioids are a risk for older people."])
    assert opioids.rendered.startswith("Opioids (")
