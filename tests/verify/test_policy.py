"""The refusal message claims only what was searched."""

from __future__ import annotations

from bedside.verify.policy import insufficient_evidence


def test_a_term_missing_from_a_conditions_sources_is_said_of_those_sources() -> None:
    # "apixaban" is on the atrial fibrillation card; a sertraline question searched only the
    # depression sources, so the message must not say no source in the knowledge base has it.
    refusal = insufficient_evidence(for_patient=False, missing=("apixaban",), covered="depression")
    assert refusal.message.startswith("The sources on depression do not mention 'apixaban'.")
    assert "knowledge base covers" not in refusal.message
    assert "What Bedside does cover on depression can be asked directly." in refusal.message


def test_with_no_condition_searched_the_message_is_about_the_passages_found() -> None:
    refusal = insufficient_evidence(for_patient=True, missing=("Robaxin", "Zyrtec"))
    lead = "None of the sources we found mentions 'Robaxin' or 'Zyrtec'."
    assert refusal.message.startswith(lead)


def test_nothing_missing_gives_the_plain_message() -> None:
    refusal = insufficient_evidence(for_patient=False)
    assert refusal.message.startswith("The knowledge base does not hold enough evidence")
