"""Approved articles are frozen: they stay the answer served until a revision is approved."""

from __future__ import annotations

from pathlib import Path

import pytest

from bedside.domain import Answer, ReviewStatus
from bedside.review.accounts import User
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service
from bedside.testing.builders import make_pubmed_articles, make_pubmed_xml


def checked_publication(service: Service, answer_id: str) -> Publication:
    """The editor's approval of the article's own title and question, checked for personal data."""
    return Publication.as_it_stands(service.get_answer(answer_id), no_personal_data=True)


QUESTION = "What helps chronic low back pain?"


@pytest.fixture
def editor(bundled: Service) -> User:
    return bundled.add_user("eddie", "long enough password", Role.EDITOR)


def approve(service: Service, answer_id: str, editor: User) -> Answer:
    service.transition(answer_id, Action.START_REVIEW, user=editor)
    return service.transition(
        answer_id, Action.APPROVE, user=editor, publication=checked_publication(service, answer_id)
    )


def ingest_another_document(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "new.xml"
    path.write_text(make_pubmed_xml(make_pubmed_articles(1, start=4242)))
    before = service.store.kb_version()
    service.ingest([str(path)])
    service.index()
    assert service.store.kb_version() != before


def revisions(service: Service) -> list[Answer]:
    return [answer for answer in service.review_queue() if answer.revision_of is not None]


def test_serves_the_approved_article_after_the_knowledge_base_changes(
    bundled: Service, editor: User, tmp_path: Path
) -> None:
    approved = approve(bundled, bundled.ask(QUESTION).answer_id, editor)
    ingest_another_document(bundled, tmp_path)

    served = bundled.ask(QUESTION)
    assert served == approved
    assert served.review_status is ReviewStatus.APPROVED
    [revision] = revisions(bundled)
    assert revision.revision_of == approved.answer_id
    assert revision.review_status is ReviewStatus.SUBMITTED
    assert revision.kb_version == bundled.store.kb_version() != approved.kb_version
    assert bundled.store.revision_of(revision.answer_id) == approved.answer_id

    # Asking again reuses the stored revision: one revision per knowledge-base version.
    assert bundled.ask(f"  {QUESTION.lower()} ") == approved
    assert len(revisions(bundled)) == 1
    assert bundled.get_answer(approved.answer_id) == approved  # never modified

    # Approving the revision makes it the one served.
    approve(bundled, revision.answer_id, editor)
    now_served = bundled.ask(QUESTION)
    assert now_served.answer_id == revision.answer_id
    assert now_served.review_status is ReviewStatus.APPROVED
    assert bundled.get_answer(approved.answer_id) == approved


def test_a_rejected_revision_leaves_the_approved_article_served(
    bundled: Service, editor: User, tmp_path: Path
) -> None:
    approved = approve(bundled, bundled.ask(QUESTION).answer_id, editor)
    ingest_another_document(bundled, tmp_path)
    bundled.ask(QUESTION)
    [revision] = revisions(bundled)
    bundled.transition(revision.answer_id, Action.REJECT, user=editor, note="No better.")
    assert bundled.ask(QUESTION) == approved
    assert revisions(bundled) == []  # not recomposed for the same knowledge base


def test_fresh_composes_a_revision_but_serves_the_approved_article(
    bundled: Service, editor: User
) -> None:
    approved = approve(bundled, bundled.ask(QUESTION).answer_id, editor)
    assert bundled.ask(QUESTION, fresh=True) == approved
    [revision] = revisions(bundled)
    assert revision.revision_of == approved.answer_id
    assert revision.kb_version == approved.kb_version


def test_unapproved_answers_are_not_frozen(bundled: Service, tmp_path: Path) -> None:
    first = bundled.ask(QUESTION)
    ingest_another_document(bundled, tmp_path)
    again = bundled.ask(QUESTION)
    assert again.answer_id != first.answer_id and again.revision_of is None


def test_follow_ups_are_not_frozen(bundled: Service, editor: User) -> None:
    approved = approve(bundled, bundled.ask(QUESTION).answer_id, editor)
    follow_up = bundled.ask(QUESTION, follow_up_of=approved.answer_id)
    assert follow_up.answer_id != approved.answer_id
    assert follow_up.follow_up_of == approved.answer_id and follow_up.revision_of is None
