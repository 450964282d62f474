"""When a checked draft is not enough to answer: the evidence and survival thresholds."""

from __future__ import annotations

from bedside.domain import Refusal, RefusalReason

INSUFFICIENT_MESSAGE = (
    "The knowledge base does not hold enough evidence to answer this question reliably, so "
    "Bedside will not guess. Try a related question below, rephrase with the condition's "
    "name, or consult a clinical guideline or a clinician directly."
)
PATIENT_INSUFFICIENT_MESSAGE = (
    "We could not find enough trusted information to answer this question, so we will not "
    "guess. Please ask your doctor, nurse or pharmacist. You could also try one of the "
    "related questions below."
)


EMPTY_KB_MESSAGE = (
    "The knowledge base is empty: add the guideline cards shipped with Bedside with "
    "`bedside ingest --bundled`, or your own sources with `bedside ingest PATH`."
)


def insufficient_evidence(
    *,
    for_patient: bool,
    kb_is_empty: bool = False,
    missing: tuple[str, ...] = (),
    covered: str = "",
) -> Refusal:
    """The refusal when the evidence cannot support an answer (saying so if there is none).

    `missing` names what was asked about that no evidence passage mentions ("stem cell
    injections"); `covered` names the conditions whose sources were searched ("depression"),
    so the reader learns what to ask instead. The message claims only what was checked: the
    passages found for this question, not every source held ("apixaban" is on the atrial
    fibrillation card, but not in the depression sources a sertraline question searched).
    """
    if kb_is_empty:
        return Refusal(RefusalReason.INSUFFICIENT_EVIDENCE, EMPTY_KB_MESSAGE)
    message = PATIENT_INSUFFICIENT_MESSAGE if for_patient else INSUFFICIENT_MESSAGE
    if missing:
        names = " or ".join(f"'{term}'" for term in missing)
        if covered:
            sources = f"Our sources on {covered}" if for_patient else f"The sources on {covered}"
            lead = (
                f"{sources} do not mention {names}. "
                f"What Bedside does cover on {covered} can be asked directly."
            )
        elif for_patient:
            lead = f"None of the sources we found mentions {names}."
        else:
            lead = f"None of the sources found for this question mentions {names}."
        message = f"{lead} {message}"
    return Refusal(RefusalReason.INSUFFICIENT_EVIDENCE, message)


def is_enough(*, statements_kept: int, min_statements: int) -> bool:
    """An article needs at least `min_statements` verified statements, else it is a refusal."""
    return statements_kept >= min_statements
