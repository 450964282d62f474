"""Safety rules of the ask pipeline, with a scripted generator standing in for a language model."""

from __future__ import annotations

from bedside.analyse.red_flags import find_red_flags
from bedside.domain import Ask, Audience, Draft, DraftSection, RefusalReason, Statement
from bedside.service import Service
from bedside.testing.generators import ScriptedGenerator

QUESTION = "What is the first-line treatment for chronic low back pain?"


def scripted(service: Service) -> ScriptedGenerator:
    generator = ScriptedGenerator()
    service.generator = generator
    return generator


def draft(*statements: Statement) -> Draft:
    return Draft("Chronic low back pain", statements[:1],
                 (DraftSection("first_line", "First-line management", statements[1:]),),
                 "scripted/1")  # fmt: skip


def evidence_passages(generator: ScriptedGenerator, count: int) -> list[tuple[str, str]]:
    request = generator.history[-1]
    return [(e.passage_id, e.passage.text) for e in request.evidence[:count]]


def prime(service: Service) -> list[tuple[str, str]]:
    """Ask once to learn which passages the question retrieves."""
    generator = scripted(service)
    service.ask(QUESTION, fresh=True)
    return evidence_passages(generator, 6)


def test_refuses_when_no_passage_supports_claim(bundled: Service) -> None:
    passages = prime(bundled)
    invented = [Statement("Acupuncture cures chronic low back pain in 97% of adults.", (p,))
                for p, _ in passages[:4]]  # fmt: skip
    scripted(bundled).enqueue(draft(*invented))
    answer = bundled.ask(QUESTION, fresh=True)
    assert answer.kind == "refusal"
    assert answer.refusal is not None
    assert answer.refusal.reason is RefusalReason.INSUFFICIENT_EVIDENCE
    assert len(answer.dropped) == 4


def test_rejects_draft_citing_unknown_or_unretrieved_passage(bundled: Service) -> None:
    passages = prime(bundled)
    good = [Statement(text, (p,)) for p, text in passages[:3]]
    unknown = Statement(passages[3][1], ("psg_does_not_exist",))
    other_topic = bundled.store.iter_current_passage_contexts()
    stranger = next(c.passage for c in other_topic if "asthma" in c.passage.text.lower())
    unretrieved = Statement(stranger.text, (stranger.passage_id,))
    scripted(bundled).enqueue(draft(*good, unknown, unretrieved))
    answer = bundled.ask(QUESTION, fresh=True)
    assert answer.kind == "answer"
    kept = [s.text for s in answer.bottom_line] + [
        s.text for section in answer.sections for s in section.statements
    ]
    assert kept == [text for _, text in passages[:3]]
    dropped = {d.statement.passage_ids for d in answer.dropped}
    assert dropped == {unknown.passage_ids, unretrieved.passage_ids}
    failed = {check.name for check in answer.checks if not check.passed}
    assert failed == {"cites_knowledge_base", "cites_retrieved_passage"}


def test_never_serves_a_number_missing_from_the_cited_passage(bundled: Service) -> None:
    passages = prime(bundled)
    good = [Statement(text, (p,)) for p, text in passages[:3]]
    doctored = Statement(passages[0][1].rstrip(".") + " within 12 weeks.", (passages[0][0],))
    scripted(bundled).enqueue(draft(*good, doctored))
    answer = bundled.ask(QUESTION, fresh=True)
    assert doctored in [d.statement for d in answer.dropped]
    assert "numbers_in_citation" in answer.dropped[-1].failed_checks
    assert "12 weeks" in answer.dropped[-1].reason
    assert "12 weeks" not in " ".join(s.text for sec in answer.sections for s in sec.statements)


def test_red_flag_banner_shows_on_a_refusal_too(bundled: Service) -> None:
    answer = bundled.ask("Sudden worst headache of my life — how do I treat Kawasaki disease?")
    assert answer.kind == "refusal"
    assert answer.urgent is not None and "thunderclap_headache" in answer.urgent.red_flags


def test_a_red_flag_worded_without_medical_terms_is_never_out_of_scope(bundled: Service) -> None:
    answer = bundled.ask("My brother told me he has a plan to end his life. Where can he go?")
    assert answer.urgent is not None and "suicidal_thoughts" in answer.urgent.red_flags
    assert answer.refusal is None or answer.refusal.reason is not RefusalReason.OUT_OF_SCOPE


def test_a_red_flag_story_naming_no_condition_is_answered_from_the_flags_card(
    bundled: Service,
) -> None:
    # Thoughts of suicide belong to the depression card: after the banner, the article says when
    # and where to get help, not "we could not find enough information".
    answer = bundled.ask(
        "My brother told me he has a plan to end his life. Where should he get help?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is None and answer.urgent is not None
    assert answer.question_frame is not None
    assert answer.question_frame.condition_cards == ("depression",)
    texts = [s.text for s in answer.bottom_line] + [
        s.text for section in answer.sections for s in section.statements
    ]
    assert any("urgent help from mental health services" in text for text in texts)
    assert not any("diabetes" in text.lower() for text in texts)


def test_an_emergency_no_card_is_about_gets_the_banner_and_no_article(bundled: Service) -> None:
    # No bundled card is about heart attacks: an article drawn from the lipids or pneumonia card
    # by the words "heart" or "chest" would mislead. A named condition still gets its article.
    for question in ("I think I'm having a heart attack", "Tight chest and I'm all sweaty, help"):
        answer = bundled.ask(question, audience=Audience.PATIENT)
        assert answer.urgent is not None and "cardiac_chest_pain" in answer.urgent.red_flags
        assert answer.refusal is not None and answer.sections == ()
        assert "chest pain that may be from the heart" in answer.refusal.message
    named = bundled.ask("Chest tightness on the stairs and I have heart failure. What helps?")
    assert named.urgent is not None and named.refusal is None


def test_an_emergency_beside_a_medicine_with_a_card_still_gets_no_article(bundled: Service) -> None:
    # The migraine card names both the combined pill and ibuprofen; a clot in the lung is no
    # migraine question, and a migraine article under the banner would mislead.
    answer = bundled.ask(
        "Back from a long flight, my calf is swollen and now I'm short of breath. I'm on the"
        " combined pill. Can I take ibuprofen and rest it?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None and "pulmonary_embolism" in answer.urgent.red_flags
    assert answer.refusal is not None and answer.sections == ()


def test_a_story_raising_an_alarm_is_led_by_the_line_on_getting_help_for_it(
    bundled: Service,
) -> None:
    # Cauda equina in a patient's words, three weeks into sciatica: the banner first, then the
    # sciatica article led by when to get help for this alarm, not by a treatment line.
    answer = bundled.ask(
        "I've had sciatica down my leg for 3 weeks. Since this morning I can't really feel the"
        " toilet paper when I wipe and I'm struggling to get my pee started. Can it wait?",
        audience=Audience.PATIENT,
        fresh=True,
    )
    assert answer.urgent is not None and "cauda_equina" in answer.urgent.red_flags
    assert answer.refusal is None
    lead = " ".join(statement.text for statement in answer.bottom_line)
    # a line on this alarm: one describing its signs, or one naming it
    assert find_red_flags(lead) or "cauda equina" in lead.lower(), lead


def test_a_dose_asked_during_an_emergency_is_answered_by_when_to_get_help(bundled: Service) -> None:
    answer = bundled.ask(
        "I take amlodipine for my blood pressure. This morning my face was drooping on one side"
        " for 15 minutes. Should I up the dose?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None and "stroke" in answer.urgent.red_flags
    assert answer.question_frame is not None and answer.question_frame.ask is Ask.RED_FLAGS


def test_an_emergency_its_cards_say_nothing_about_gets_the_banner_and_no_article(
    bundled: Service,
) -> None:
    # The asthma card says nothing of an attack: its first-line advice for a newly diagnosed
    # child under the emergency banner would answer another question.
    answer = bundled.ask(
        "My daughter is 9 and has asthma. Her blue inhaler isn't helping tonight, she can't get"
        " a full sentence out and her lips look blue. Should I try her brown inhaler too?",
        audience=Audience.PATIENT,
    )
    assert answer.urgent is not None and "severe_breathing_difficulty" in answer.urgent.red_flags
    assert answer.refusal is not None and answer.sections == ()
    assert "asthma" in answer.refusal.message


def test_a_refusal_does_not_name_a_symptom_the_question_denies(bundled: Service) -> None:
    answer = bundled.ask(
        "My son has two round smooth bald patches on his head, no itching. What cream works?",
        audience=Audience.PATIENT,
    )
    assert answer.refusal is not None
    assert "itching" not in answer.refusal.message
