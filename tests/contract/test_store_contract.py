"""The `Store` contract, run against every store implementation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bedside.config import IngestSettings
from bedside.domain import DocumentStatus, IngestOutcome, Section
from bedside.errors import NotFoundError, StoreError
from bedside.ingest.pipeline import prepare_document
from bedside.store.base import (
    FileRecord,
    Store,
    StoredAnswer,
    StoredEvent,
    StoredSession,
    StoredUser,
)
from bedside.store.sqlite import SqliteStore
from bedside.testing.builders import make_source_document


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store: Store
    if request.param == "postgresql":
        store = request.getfixturevalue("make_postgresql_store")()
    else:
        store = SqliteStore(tmp_path / "kb.sqlite")
    store.open()
    yield store
    store.close()


def put(store: Store, **overrides: object) -> tuple[IngestOutcome, str, list[str]]:
    document, passages, body = prepare_document(
        make_source_document(**overrides), path=None, settings=IngestSettings()
    )
    outcome = store.put_document(document, passages, body=body)
    return outcome, document.document_id, [p.passage_id for p in passages]


def test_put_then_read_back_everything(any_store: Store) -> None:
    outcome, document_id, passage_ids = put(any_store)
    assert outcome is IngestOutcome.ADDED
    document = any_store.get_document(document_id)
    assert document.version == 1
    assert document.status is DocumentStatus.CURRENT
    assert document.title == "Fictional trial of walking for back pain"
    assert document.year == 2024
    passages = any_store.list_passages(document_id)
    assert [p.passage_id for p in passages] == passage_ids
    body = any_store.get_document_body(document_id)
    assert all(body[p.char_start : p.char_end] == p.text for p in passages)
    assert any_store.get_passage(passage_ids[0]).section_path == ("Abstract", "Background")


def test_identical_document_is_unchanged(any_store: Store) -> None:
    put(any_store)
    outcome, _, _ = put(any_store)
    assert outcome is IngestOutcome.UNCHANGED
    assert any_store.stats().documents == 1


def test_changed_document_supersedes_and_old_passages_still_resolve(any_store: Store) -> None:
    _, old_id, old_passages = put(any_store)
    outcome, new_id, _ = put(
        any_store, sections=(Section(("Abstract",), "Walking helped 15 of 20 people."),)
    )
    assert outcome is IngestOutcome.UPDATED
    old = any_store.get_document(old_id)
    assert old.status is DocumentStatus.SUPERSEDED
    assert old.superseded_by == new_id
    assert any_store.get_document(new_id).version == 2
    assert any_store.current_document_id("test:doc-1") == new_id
    assert any_store.get_passage(old_passages[0]).document_id == old_id
    assert any_store.stats().current_documents == 1


def test_reverted_content_makes_the_old_version_current_again(any_store: Store) -> None:
    _, first_id, _ = put(any_store)
    put(any_store, title="Edited title")
    outcome, again_id, _ = put(any_store)
    assert outcome is IngestOutcome.UPDATED
    assert again_id == first_id
    assert any_store.current_document_id("test:doc-1") == first_id
    assert any_store.check_integrity() == []


def test_delete_marks_the_current_version(any_store: Store) -> None:
    _, document_id, _ = put(any_store)
    assert any_store.delete_document("test:doc-1") is True
    assert any_store.get_document(document_id).status is DocumentStatus.DELETED
    assert any_store.current_document_id("test:doc-1") is None
    assert any_store.delete_document("test:doc-1") is False


def test_unknown_ids_raise_not_found(any_store: Store) -> None:
    with pytest.raises(NotFoundError):
        any_store.get_document("doc_missing")
    with pytest.raises(NotFoundError):
        any_store.get_passage("psg_missing")


def test_bulk_keeps_each_document_atomic(any_store: Store) -> None:
    document, passages, body = prepare_document(
        make_source_document(source_id="bad"), path=None, settings=IngestSettings()
    )
    broken = [passages[0], passages[0]]  # a duplicate passage id violates the primary key
    with any_store.bulk(commit_every=10):
        put(any_store, source_id="good-1")
        with pytest.raises(Exception):  # noqa: B017 - each engine raises its own error type
            any_store.put_document(document, broken, body=body)
        put(any_store, source_id="good-2")
    assert any_store.current_document_id("test:bad") is None
    assert any_store.stats().current_documents == 2
    assert any_store.check_integrity() == []


def test_file_ledger_round_trip(any_store: Store) -> None:
    record = FileRecord("/data/a.xml", 10, 1, "hash-a", "reader@1", 3)
    assert any_store.find_file(content_hash="hash-a", reader_key="reader@1") is None
    any_store.record_file(record)
    assert any_store.find_file(content_hash="hash-a", reader_key="reader@1") == record
    assert any_store.find_file(content_hash="hash-a", reader_key="reader@2") is None
    any_store.forget_file("/data/a.xml")
    assert any_store.find_file(content_hash="hash-a", reader_key="reader@1") is None


def test_iter_current_passages_skips_superseded(any_store: Store) -> None:
    put(any_store)
    put(any_store, title="Edited title")
    passages = list(any_store.iter_current_passages())
    current = any_store.current_document_id("test:doc-1")
    assert passages and {p.document_id for p in passages} == {current}


# -- answers ------------------------------------------------------------------------------------


def stored_answer(answer_id: str = "a1", **overrides: object) -> StoredAnswer:
    fields: dict[str, object] = {
        "answer_id": answer_id,
        "question": "What helps back pain?",
        "question_key": "what helps back pain",
        "audience": "clinician",
        "kind": "answer",
        "kb_version": "v1",
        "settings_fingerprint": "f1",
        "follow_up_of": None,
        "review_status": "submitted",
        "record": {"answer_id": answer_id, "title": "Back pain"},
        "created_at": "2026-11-23T10:00:00+00:00",
        "updated_at": "2026-11-23T10:00:00+00:00",
    }
    fields.update(overrides)
    return StoredAnswer(**fields)  # type: ignore[arg-type]


def find(store: Store, **overrides: object) -> dict[str, object] | None:
    lookup: dict[str, object] = {
        "question_key": "what helps back pain",
        "audience": "clinician",
        "kb_version": "v1",
        "settings_fingerprint": "f1",
        "follow_up_of": None,
    }
    lookup.update(overrides)
    return store.find_answer(**lookup)  # type: ignore[arg-type]


def test_answers_are_found_only_in_the_same_context(any_store: Store) -> None:
    any_store.save_answer(stored_answer())
    assert find(any_store) == {"answer_id": "a1", "title": "Back pain"}
    assert any_store.get_answer("a1")["title"] == "Back pain"
    for changed in ({"audience": "patient"}, {"kb_version": "v2"},
                    {"settings_fingerprint": "f2"}, {"follow_up_of": "a0"}):  # fmt: skip
        assert find(any_store, **changed) is None


def test_saving_an_answer_twice_is_refused_and_keeps_the_first(any_store: Store) -> None:
    any_store.save_answer(stored_answer())
    with pytest.raises(StoreError):
        any_store.save_answer(stored_answer(record={"answer_id": "a1", "title": "Other"}))
    assert any_store.get_answer("a1")["title"] == "Back pain"


def test_unknown_answer_is_not_found(any_store: Store) -> None:
    with pytest.raises(NotFoundError):
        any_store.get_answer("missing")


def test_answered_questions_leave_out_refusals(any_store: Store) -> None:
    any_store.save_answer(stored_answer("a1"))
    any_store.save_answer(stored_answer("a2", question="Capital of France?", kind="refusal"))
    assert any_store.answered_questions() == [("a1", "What helps back pain?")]


def test_kb_version_changes_when_a_document_is_added(any_store: Store) -> None:
    before = any_store.kb_version()
    assert any_store.kb_version() == before
    put(any_store)
    assert any_store.kb_version() != before


# -- review -------------------------------------------------------------------------------------


def stored_user(username: str = "rita", role: str = "reviewer") -> StoredUser:
    return StoredUser(f"usr_{username}", username, role, f"$argon2id$hash-of-{username}", "2026")


def stored_event(event_id: str, subject_id: str = "a1", **overrides: str) -> StoredEvent:
    fields = {
        "event_id": event_id,
        "subject_id": subject_id,
        "subject_kind": "answer",
        "actor": "rita",
        "action": "start_review",
        "from_status": "submitted",
        "to_status": "under_review",
        "note": "",
        "created_at": "2026-11-23T10:00:00+00:00",
    }
    fields.update(overrides)
    return StoredEvent(**fields)


def article_record(answer_id: str) -> dict[str, object]:
    return {
        "answer_id": answer_id,
        "title": "Back pain",
        "review": {"status": "submitted", "updated_at": "2026-11-23T10:00:00+00:00"},
        "last_updated": "2026-11-23T10:00:00+00:00",
    }


def test_users_round_trip_and_usernames_are_unique(any_store: Store) -> None:
    any_store.add_user(stored_user("rita"))
    any_store.add_user(stored_user("eddie", "editor"))
    assert any_store.get_user_by_name("rita") == stored_user("rita")
    assert any_store.get_user_by_name("nobody") is None
    assert [user.username for user in any_store.list_users()] == ["eddie", "rita"]
    with pytest.raises(StoreError):
        any_store.add_user(replace(stored_user("rita"), user_id="usr_other"))


def test_a_user_is_updated_field_by_field_and_an_unknown_one_is_not_found(
    any_store: Store,
) -> None:
    any_store.add_user(stored_user("rita"))
    any_store.update_user("rita", disabled=True, role="editor")
    changed = any_store.get_user_by_name("rita")
    assert changed == replace(stored_user("rita"), disabled=True, role="editor")
    any_store.update_user("rita", password_hash="$argon2id$new", disabled=False)
    again = any_store.get_user_by_name("rita")
    assert again is not None and again.password_hash == "$argon2id$new" and not again.disabled
    assert again.role == "editor"  # untouched
    with pytest.raises(NotFoundError):
        any_store.update_user("nobody", disabled=True)


def test_sessions_are_kept_by_token_hash_and_ended_per_user(any_store: Store) -> None:
    any_store.add_user(stored_user("rita"))
    rita = any_store.get_user_by_name("rita")
    assert rita is not None
    start = "2026-12-02T08:00:00+00:00"
    for name, started in (("a", start), ("b", "2026-12-02T09:00:00+00:00")):
        any_store.add_session(
            StoredSession(f"hash-{name}", rita.user_id, f"csrf-{name}", started, started)
        )
    with pytest.raises(StoreError):
        any_store.add_session(StoredSession("hash-a", rita.user_id, "x", start, start))
    assert any_store.get_session("hash-a") == StoredSession(
        "hash-a", rita.user_id, "csrf-a", start, start
    )
    assert any_store.get_session("nothing") is None
    any_store.touch_session("hash-a", seen_at="2026-12-02T08:30:00+00:00")
    assert any_store.get_session("hash-a").seen_at == "2026-12-02T08:30:00+00:00"  # type: ignore[union-attr]
    assert [s.token_hash for s in any_store.list_sessions(rita.user_id)] == ["hash-b", "hash-a"]
    assert any_store.end_sessions(rita.user_id, ended_at="2026-12-02T10:00:00+00:00") == 2
    assert any_store.end_sessions(rita.user_id, ended_at="2026-12-02T11:00:00+00:00") == 0
    assert any_store.list_sessions(rita.user_id) == []
    ended = any_store.get_session("hash-b")
    assert ended is not None and ended.ended_at == "2026-12-02T10:00:00+00:00"  # the first end


def test_a_throttle_counts_a_sliding_window_per_scope_and_key(any_store: Store) -> None:
    def take(key: str, now: float, scope: str = "ask") -> float | None:
        return any_store.take_slot(scope, key, now=now, window=60.0, limit=2)

    assert take("k", 100.0) is None and take("k", 110.0) is None
    assert take("k", 120.0) == 100.0  # full: the oldest event in the window says when it frees
    assert take("other", 120.0) is None and take("k", 120.0, scope="sign-in") is None
    assert take("k", 161.0) is None  # the event at 100 has left the window
    any_store.record_event("fail", "rita", at=10.0)
    any_store.record_event("fail", "rita", at=20.0)
    any_store.record_event("fail", "otto", at=20.0)
    assert any_store.event_times("fail", "rita", since=15.0) == [20.0]
    any_store.clear_events("fail", "rita")
    assert any_store.event_times("fail", "rita", since=0.0) == []
    any_store.forget_events("fail", before=30.0)
    assert any_store.event_times("fail", "otto", since=0.0) == []


def test_events_are_appended_and_read_back_oldest_first(any_store: Store) -> None:
    first = stored_event("evt_1")
    second = stored_event(
        "evt_2", action="approve", from_status="under_review", to_status="approved",
        note="Checked against NICE NG59.", created_at="2026-11-23T11:00:00+00:00",
    )  # fmt: skip
    other = stored_event("evt_3", subject_id="asthma", subject_kind="card")
    for event in (first, other, second):
        any_store.append_event(event)
    assert any_store.events_for("a1") == [first, second]
    assert any_store.events_for("asthma") == [other]
    assert any_store.events_for("unknown") == []


def test_setting_review_status_updates_column_and_record_together(any_store: Store) -> None:
    any_store.save_answer(stored_answer("a1", record=article_record("a1")))
    any_store.set_answer_review_status("a1", status="approved", updated_at="2026-11-24T09:00:00")
    record = any_store.get_answer("a1")
    assert record["review"] == {"status": "approved", "updated_at": "2026-11-24T09:00:00"}
    assert record["last_updated"] == "2026-11-24T09:00:00"
    assert record["title"] == "Back pain"
    assert any_store.review_queue(["submitted"]) == []
    assert [r["answer_id"] for r in any_store.review_queue(["approved"])] == ["a1"]
    with pytest.raises(NotFoundError):
        any_store.set_answer_review_status("missing", status="approved", updated_at="2026")


def test_review_queue_is_oldest_first_by_status_and_leaves_out_refusals(any_store: Store) -> None:
    for answer_id, created_at in (("late", "2026-11-23T12:00"), ("early", "2026-11-23T09:00")):
        any_store.save_answer(stored_answer(answer_id, created_at=created_at))
    any_store.save_answer(stored_answer("no", kind="refusal", created_at="2026-11-23T08:00"))
    any_store.save_answer(stored_answer("busy", review_status="under_review"))
    queue = any_store.review_queue(["submitted"])
    assert [record["answer_id"] for record in queue] == ["early", "late"]
    both = any_store.review_queue(["submitted", "under_review"])
    assert {record["answer_id"] for record in both} == {"early", "late", "busy"}


def test_latest_approved_answer_is_the_most_recently_approved(any_store: Store) -> None:
    assert any_store.latest_approved_answer(question_key="what helps back pain",
                                            audience="clinician") is None  # fmt: skip
    any_store.save_answer(stored_answer("old", review_status="approved", updated_at="2026-01"))
    any_store.save_answer(
        stored_answer("new", review_status="approved", updated_at="2026-03", revision_of="old")
    )
    any_store.save_answer(stored_answer("pending", updated_at="2026-05", revision_of="new"))
    any_store.save_answer(
        stored_answer("patient", audience="patient", review_status="approved", updated_at="2026-06")
    )
    any_store.save_answer(
        stored_answer("follow", follow_up_of="old", review_status="approved", updated_at="2026-07")
    )
    found = any_store.latest_approved_answer(
        question_key="what helps back pain", audience="clinician"
    )
    assert found is not None and found["answer_id"] == "new"
    assert any_store.revision_of("new") == "old"
    assert any_store.revision_of("old") is None
    with pytest.raises(NotFoundError):
        any_store.revision_of("missing")


def test_latest_assignment_wins(any_store: Store) -> None:
    assert any_store.assignee_of("a1") is None
    any_store.assign("a1", assignee="rita", assigned_by="rita", assigned_at="2026-11-23T10:00")
    any_store.assign("a1", assignee="eddie", assigned_by="ed", assigned_at="2026-11-23T11:00")
    assert any_store.assignee_of("a1") == "eddie"
    assert any_store.assignee_of("a2") is None


def test_card_review_status_is_set_and_replaced(any_store: Store) -> None:
    assert any_store.card_review_status("asthma") is None
    any_store.set_card_review_status("asthma", status="under_review", updated_at="2026-11-23")
    any_store.set_card_review_status("asthma", status="approved", updated_at="2026-11-24")
    assert any_store.card_review_status("asthma") == "approved"


def test_transaction_rolls_back_every_write_on_error(any_store: Store) -> None:
    any_store.save_answer(stored_answer("a1", record=article_record("a1")))
    with pytest.raises(RuntimeError), any_store.transaction():
        any_store.set_answer_review_status("a1", status="under_review", updated_at="2026-12")
        any_store.append_event(stored_event("evt_1"))
        raise RuntimeError("the second write failed")
    assert any_store.get_answer("a1")["review"]["status"] == "submitted"
    assert any_store.review_queue(["submitted"])[0]["answer_id"] == "a1"
    assert any_store.events_for("a1") == []
    with any_store.transaction():
        any_store.append_event(stored_event("evt_1"))
    assert len(any_store.events_for("a1")) == 1


def test_purge_deletes_only_old_unreviewed_answers_nothing_refers_to(any_store: Store) -> None:
    def saved(
        answer_id: str,
        *,
        kind: str = "answer",
        status: str = "submitted",
        created: str = "2026-01-01T00:00:00+00:00",
        **extra: str,
    ) -> None:
        any_store.save_answer(replace(
            stored_answer(answer_id), kind=kind, review_status=status, created_at=created,
            updated_at=created, **extra,
        ))  # fmt: skip

    saved("ans_old")  # unreviewed, old: purged
    saved("ans_refused", kind="refusal")  # an old refusal: purged
    saved("ans_new", created="2026-12-01T00:00:00+00:00")  # recent: kept
    saved("ans_approved", status="approved")  # reviewed: kept
    saved("ans_followed")  # an old one a follow-up refers to: kept
    saved("ans_follow", created="2026-12-01T00:00:00+00:00", follow_up_of="ans_followed")
    saved("ans_event")  # an old one with a review event: kept
    any_store.append_event(stored_event("evt_p", subject_id="ans_event"))
    deleted = any_store.purge_answers(created_before="2026-06-01T00:00:00+00:00")
    assert deleted == 2
    for gone in ("ans_old", "ans_refused"):
        with pytest.raises(NotFoundError):
            any_store.get_answer(gone)
    for kept in ("ans_new", "ans_approved", "ans_followed", "ans_follow", "ans_event"):
        assert any_store.get_answer(kept)["answer_id"] == kept
