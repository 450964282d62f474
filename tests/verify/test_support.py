"""The support check: a statement is supported only by a passage that says it."""

import pytest

from bedside.verify.numbers import numbers_in, unsupported_numbers
from bedside.verify.support import check_support

PASSAGE = (
    "Do not offer spinal fusion for low back pain outside a randomised controlled trial. "
    "Consider epidural injections of local anaesthetic and steroid in people with acute and "
    "severe sciatica."
)


@pytest.mark.parametrize(
    ("statement", "passes"),
    [
        # extracted verbatim
        (
            "Do not offer spinal fusion for low back pain outside a randomised controlled trial.",
            True,
        ),
        # a light edit: a clause dropped
        ("Consider epidural injections of local anaesthetic and steroid in severe sciatica.", True),
        # negation flipped
        ("Offer spinal fusion for low back pain outside a randomised controlled trial.", False),
        # a fact added
        ("Consider epidural injections of steroid and gabapentin in people with sciatica.", False),
        # a different treatment swapped in
        (
            "Do not offer spinal cord stimulation for low back pain outside a randomised trial.",
            False,
        ),
        # nothing to do with the passage
        ("Statins lower the risk of heart attack in adults with diabetes.", False),
        ("", False),
    ],
)
def test_support_requires_the_passage_to_say_it(statement: str, passes: bool) -> None:
    assert check_support(statement, PASSAGE).passed is passes


def test_support_reports_missing_words() -> None:
    support = check_support("Offer gabapentin for acute sciatica.", PASSAGE)
    assert "gabapentin" in support.missing
    assert support.recall < 0.9


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Most improve within 4-6 weeks.", {"4", "6"}),
        ("Urinary retention has 90% sensitivity.", {"90"}),
        ("A dose of 1.50 mg and 1,000 people.", {"1.5", "1000"}),
        ("No numbers here.", set()),
        ("Return to work at 12 weeks versus 25 weeks.", {"12", "25"}),
    ],
)
def test_numbers_are_read_as_values(text: str, numbers: set[str]) -> None:
    assert numbers_in(text) == numbers


def test_a_number_missing_from_every_cited_passage_is_reported() -> None:
    passages = ["Most people recover within 6 weeks.", "About 90% improve."]
    assert unsupported_numbers("90% recover within 6 weeks.", passages) == set()
    assert unsupported_numbers("95% recover within 6 weeks.", passages) == {"95"}


def test_a_line_break_ends_a_clause_as_a_full_stop_does() -> None:
    # A label's heading line ("… use not recommended.(5.4)") must not be read as part of the
    # next sentence, whose negation count would then differ.
    label = (
        "Prosthetic heart valves: use not recommended.(5.4)\n\n5.1 Increased risk after stopping"
        "\n\nStopping the anticoagulant early increases the risk of thrombotic events."
    )
    statement = "Stopping the anticoagulant early increases the risk of thrombotic events."
    assert check_support(statement, label).passed
