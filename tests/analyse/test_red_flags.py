"""Red flags: clinician and lay wording raise them, negated and ordinary questions do not.

Each flag's own examples and not-examples are in src/bedside/analyse/red_flags.yaml, beside its
patterns; the tests here run them, and hold the negation and ordering cases of the engine.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO_ROOT

from bedside.analyse.red_flags import (
    RED_FLAGS,
    SAFETY_DOC_END,
    SAFETY_DOC_START,
    UPDATE_SAFETY_DOC,
    RedFlag,
    RedFlagRulesError,
    find_red_flags,
    load_red_flag_rules,
    red_flag_rules,
    safety_reference,
)

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


EXAMPLES = [(flag.flag_id, q) for flag in red_flag_rules().flags for q in flag.examples]
NOT_EXAMPLES = [(flag.flag_id, q) for flag in red_flag_rules().flags for q in flag.not_examples]


@pytest.mark.parametrize(("flag_id", "question"), EXAMPLES, ids=[f"{f}: {q}" for f, q in EXAMPLES])
def test_flag_is_raised_when_question_is_one_of_its_examples(flag_id: str, question: str) -> None:
    assert flag_id in flag_ids(question)


@pytest.mark.parametrize(
    ("flag_id", "question"), NOT_EXAMPLES, ids=[f"{f}: {q}" for f, q in NOT_EXAMPLES]
)
def test_no_flag_is_raised_when_question_is_a_not_example_unless_listed(
    flag_id: str, question: str
) -> None:
    # A not-example raises no flag at all, unless another flag lists it among its examples.
    listed = {flag.flag_id for flag in red_flag_rules().flags if question in flag.examples}
    raised = flag_ids(question)
    assert flag_id not in raised
    assert set(raised) <= listed


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
        # …so does "but"; and with no back pain, not passing urine is retention, not the spine
        ("No back pain but I can't pee", "acute_urinary_retention"),
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
        ("No back pain or numbness but I can't pee", "acute_urinary_retention"),
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
        "Should I take my statin at night?",
        "Does a cough medicine raise blood pressure?",
        "",
    ],
)
def test_no_flag_is_raised_when_question_is_ordinary(question: str) -> None:
    # Ordinary questions near one flag's wording are that flag's not_examples in the rules file.
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
    assert flag_ids("I CAN\u2019T PEE") == ["acute_urinary_retention"]
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


def test_suicidal_thoughts_message_uses_the_one_crisis_wording_when_shown() -> None:
    rules = red_flag_rules()
    message = next(f for f in rules.flags if f.flag_id == "suicidal_thoughts").patient_message
    assert rules.crisis_lines in message
    assert all(rules.emergency_numbers in flag.patient_message for flag in rules.flags)


def test_every_flag_has_a_summary_and_examples_when_loaded() -> None:
    for flag in red_flag_rules().flags:
        assert flag.summary.strip() and flag.examples, flag.flag_id


# -- docs/safety.md ----------------------------------------------------------------------------


def test_safety_doc_red_flag_part_is_current() -> None:
    text = (REPO_ROOT / "docs" / "safety.md").read_text()
    start, end = text.find(SAFETY_DOC_START), text.find(SAFETY_DOC_END)
    assert 0 <= start < end, (
        f"docs/safety.md lacks its {SAFETY_DOC_START} ... {SAFETY_DOC_END} part"
    )
    assert text[start : end + len(SAFETY_DOC_END)] == safety_reference(), (
        f"docs/safety.md's red-flag part is out of date; regenerate it with: {UPDATE_SAFETY_DOC}"
    )


# -- the rules file ---------------------------------------------------------------------------


def test_rules_are_read_on_first_use_when_the_module_is_imported() -> None:
    code = (
        "import bedside.analyse.red_flags as r, bedside.analyse.scope; "
        "print(r.red_flag_rules.cache_info().currsize)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == "0"


GOOD_FLAG = """
  - id: test_flag
    label: A test flag
    summary: Its summary.
    clinician: Act now.
    patient: Call your emergency number ({emergency_numbers}).
    patterns: ['\\bsudden\\b']
    examples: [sudden]
"""


def rules_text(flag: str = GOOD_FLAG, fragments: str = "{}") -> str:
    head = "emergency_numbers: '911'\ncrisis_lines: Call 988.\n"
    return f"{head}fragments: {fragments}\nflags:{flag}"


def test_rules_load_when_valid() -> None:
    rules = load_red_flag_rules(rules_text(), "test.yaml")
    (flag,) = rules.flags
    assert flag.patient_message == "Call your emergency number (911)."
    assert [p.pattern for p in flag.patterns] == [r"\bsudden\b"]


@pytest.mark.parametrize(
    ("flag", "fragments", "expected"),
    [
        (
            GOOD_FLAG.replace("    label: A test flag\n", ""),
            "{}",
            "flag 'test_flag': label: Field required",
        ),
        (GOOD_FLAG + "    colour: red\n", "{}", "flag 'test_flag': colour: Extra inputs"),
        (
            GOOD_FLAG.replace("sudden\\b']", "{nope}']"),
            "{}",
            "flag 'test_flag': patterns[0]: no fragment is called {nope}",
        ),
        (
            GOOD_FLAG.replace("sudden\\b']", "(unclosed']"),
            "{}",
            "flag 'test_flag': patterns[0]: not a valid regular expression",
        ),
        (
            GOOD_FLAG.replace("({emergency_numbers})", "({emergency})"),
            "{}",
            "flag 'test_flag': patient: unknown {emergency}",
        ),
        (
            GOOD_FLAG.replace("patterns: ['\\bsudden\\b']", "patterns: [{near: [a]}]"),
            "{}",
            "flag 'test_flag': patterns[0].near",
        ),
        (
            GOOD_FLAG.replace("patterns: ['\\bsudden\\b']", "patterns: [{nearby: [a, b]}]"),
            "{}",
            "flag 'test_flag': patterns[0]: a pattern is a regular expression",
        ),
        (
            GOOD_FLAG.replace("examples: [sudden]", "examples: []"),
            "{}",
            "flag 'test_flag': examples: List should have at least 1 item",
        ),
        (GOOD_FLAG + GOOD_FLAG, "{}", "flag 'test_flag': id: another flag has this id"),
        (
            GOOD_FLAG.replace("id: test_flag", "id: Test-Flag"),
            "{}",
            "flag 'Test-Flag': id: String should match pattern",
        ),
        (GOOD_FLAG, "{a: '{b}', b: '{a}'}", "fragments.a: {a} is part of itself"),
        (
            GOOD_FLAG + "    fragments: {a: x}\n",
            "{a: y}",
            "flag 'test_flag': fragments.a: a shared fragment has this name",
        ),
    ],
)
def test_rules_file_errors_name_the_file_flag_and_field_when_invalid(
    flag: str, fragments: str, expected: str
) -> None:
    with pytest.raises(RedFlagRulesError) as error:
        load_red_flag_rules(rules_text(flag, fragments), "test.yaml")
    assert str(error.value).startswith("test.yaml: ")
    assert expected in str(error.value)


def test_rules_file_errors_name_the_file_when_not_yaml() -> None:
    with pytest.raises(RedFlagRulesError, match=r"^test\.yaml: not valid YAML"):
        load_red_flag_rules("flags: [", "test.yaml")
    with pytest.raises(RedFlagRulesError, match=r"^test\.yaml: emergency_numbers: Field required"):
        load_red_flag_rules("crisis_lines: x\nflags: [{}]", "test.yaml")
