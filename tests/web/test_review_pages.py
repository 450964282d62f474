"""The review board over HTTP: sign-in, CSRF, the queue, and review actions by role."""

from __future__ import annotations

import base64
import html as html_module
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from bedside.compose.openai_compatible import OpenAICompatibleGenerator, ServerOptions
from bedside.domain import ReviewStatus
from bedside.review.accounts import User
from bedside.review.sessions import IDLE_LIMIT, LIFETIME
from bedside.review.workflow import Action, Role
from bedside.service import Service
from bedside.web.sessions import SESSION_COOKIE

SEED_TREATMENT = "What are the treatment options for disc space loss in the lumbar spine?"
PENDING_BANNER = "Educational purpose only • Exercise caution as content is pending human review"
PASSWORD = "correct horse battery staple"
HTML = {"accept": "text/html"}

SignIn = Callable[[str], str]


def token_in(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def members(bundled: Service) -> dict[Role, User]:
    return {role: bundled.add_user(role.value + "1", PASSWORD, role) for role in Role}


@pytest.fixture
def sign_in(client: TestClient, members: dict[Role, User]) -> SignIn:
    """Sign `client` in as `username`; the CSRF token of the new session."""

    def sign(username: str) -> str:
        login = client.get("/login")
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": token_in(login.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/review"
        return token_in(client.get("/review").text)

    return sign


@pytest.fixture
def article_id(bundled: Service) -> str:
    return bundled.ask(SEED_TREATMENT).answer_id


def act(client: TestClient, answer_id: str, action: str, token: str, **fields: str) -> Response:
    if action == "approve":  # the approval form's checklist, with the wording as it stands
        fields = {"no_personal_data": "yes", **fields}
        if "title" not in fields:
            html = client.get(f"/answers/{answer_id}").text
            for name in ("title", "question"):
                match = re.search(rf'name="{name}" type="text"[^>]*value="([^"]*)"', html)
                if match:
                    fields[name] = html_module.unescape(match.group(1))
    return client.post(
        f"/answers/{answer_id}/review",
        data={"action": action, "csrf_token": token, **fields},
        follow_redirects=False,
    )


# -- signing in -----------------------------------------------------------------------------------


def test_readers_get_no_session_cookie(client: TestClient, article_id: str) -> None:
    for path in ("/", f"/answers/{article_id}", "/policy", "/api/topics"):
        assert SESSION_COOKIE not in client.get(path).headers.get("set-cookie", "")


def test_sign_in_and_out(client: TestClient, sign_in: SignIn, members: dict[Role, User]) -> None:
    token = sign_in("editor1")
    review = client.get("/review")
    assert review.status_code == 200 and "Signed in as editor1 (editor)" in review.text
    assert "Sign out editor1" in review.text
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert client.get("/review", headers=HTML, follow_redirects=False).status_code == 303


def test_wrong_password_shows_the_form_again(client: TestClient, members: dict[Role, User]) -> None:
    token = token_in(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "editor1", "password": "wrong password!", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "Wrong username or password." in response.text
    assert client.get("/api/review/queue").status_code == 401


def test_sign_in_needs_the_form_token(client: TestClient, members: dict[Role, User]) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "editor1", "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [("/review?status=approved", "/review?status=approved"), ("https://evil.example/", "/review"),
     ("//evil.example/x", "/review"), ("/\\evil.example", "/review")],
)  # fmt: skip
def test_sign_in_returns_only_to_local_pages(
    client: TestClient, members: dict[Role, User], next_path: str, expected: str
) -> None:
    token = token_in(client.get("/login", params={"next": next_path}).text)
    response = client.post(
        "/login",
        data={"username": "admin1", "password": PASSWORD, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )
    assert response.headers["location"] == expected


def test_sign_in_attempts_are_rate_limited(client: TestClient, members: dict[Role, User]) -> None:
    token = token_in(client.get("/login").text)
    # A different username each time: the limit per address holds however names rotate.
    statuses = [
        client.post(
            "/login",
            data={"username": f"nobody{n}", "password": "wrong password!", "csrf_token": token},
        ).status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_failed_sign_ins_slow_the_account_down_whatever_the_address(
    client: TestClient, members: dict[Role, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    backoff = client.app.state.login_backoff  # type: ignore[attr-defined]
    now = [1000.0]
    monkeypatch.setattr(backoff, "_clock", lambda: now[0])
    token = token_in(client.get("/login").text)
    wrong = {"username": "editor1", "password": "wrong password!", "csrf_token": token}
    right = {"username": "editor1", "password": PASSWORD, "csrf_token": token}
    for n in range(5):  # the first five failures cost nothing (rotating XFF changes nothing)
        assert (
            client.post(
                "/login", data=wrong, headers={"X-Forwarded-For": f"10.0.0.{n}"}
            ).status_code
            == 400
        )
    refused = client.post("/login", data=right, follow_redirects=False)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    now[0] += 2  # the wait always ends: the real user signs in
    assert client.post("/login", data=right, follow_redirects=False).status_code == 303


# -- the queue ------------------------------------------------------------------------------------


def test_review_queue_needs_a_signed_in_member(client: TestClient) -> None:
    response = client.get("/review", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/review"
    problem = client.get("/review")
    assert problem.status_code == 401 and problem.json()["code"] == "sign_in_required"


def test_review_queue_lists_open_articles_and_cards(
    client: TestClient, sign_in: SignIn, article_id: str
) -> None:
    sign_in("reviewer1")
    html = client.get("/review").text
    assert f'href="/answers/{article_id}#review"' in html
    assert SEED_TREATMENT in html and "Submitted" in html
    assert "degenerative-disc-disease" in html
    queue = client.get("/api/review/queue").json()["answers"]
    assert [item["answer_id"] for item in queue] == [article_id]
    assert client.get("/review", params={"status": "approved"}).text.count("#review") == 0


# -- actions --------------------------------------------------------------------------------------


def test_editor_approves_and_the_pending_banner_goes(
    client: TestClient, sign_in: SignIn, article_id: str, bundled: Service
) -> None:
    token = sign_in("editor1")
    page = client.get(f"/answers/{article_id}").text
    assert PENDING_BANNER in page
    assert 'value="start_review">Start review</button>' in page
    assert 'value="approve"' not in page  # not from `submitted`
    assert act(client, article_id, "start_review", token).status_code == 303
    response = act(client, article_id, "approve", token, note="Checked against sources.")
    assert response.status_code == 303
    assert response.headers["location"] == f"/answers/{article_id}#review"
    assert bundled.get_answer(article_id).review_status is ReviewStatus.APPROVED
    page = client.get(f"/answers/{article_id}").text
    assert PENDING_BANNER not in page
    assert "Approve: done." in page  # the flash message, once
    assert page.count('class="step step-done"') == 3
    assert "<strong>editor1</strong> approve" in page and "Checked against sources." in page
    client.post("/logout", data={"csrf_token": token})
    reader_page = client.get(f"/answers/{article_id}").text
    assert PENDING_BANNER not in reader_page and 'id="review"' not in reader_page
    assert f'href="/answers/{article_id}"' in client.get("/").text  # recently approved
    approved = client.get("/api/answers", params={"status": "approved"}).json()["answers"]
    assert [item["answer_id"] for item in approved] == [article_id]


def test_reviewer_sees_only_the_actions_of_their_role(
    client: TestClient,
    sign_in: SignIn,
    article_id: str,
    bundled: Service,
    members: dict[Role, User],
) -> None:
    bundled.transition(article_id, Action.START_REVIEW, user=members[Role.ADMIN])
    sign_in("reviewer1")
    page = client.get(f"/answers/{article_id}").text
    assert 'value="request_changes"' in page and 'value="comment"' in page
    assert 'value="approve"' not in page and 'value="reject"' not in page
    assert '<option value="reviewer1">' in page and '<option value="editor1">' not in page


def test_review_action_without_the_form_token_is_refused(
    client: TestClient, sign_in: SignIn, article_id: str, bundled: Service
) -> None:
    sign_in("editor1")
    response = act(client, article_id, "start_review", "forged")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert bundled.get_answer(article_id).review_status is ReviewStatus.SUBMITTED


def test_review_action_needs_a_signed_in_member(client: TestClient, article_id: str) -> None:
    response = act(client, article_id, "approve", "")
    assert response.status_code == 401
    browser = client.post(
        f"/answers/{article_id}/review", data={"action": "approve"}, headers=HTML,
        follow_redirects=False,
    )  # fmt: skip
    assert browser.status_code == 303 and browser.headers["location"].startswith("/login")


def test_illegal_move_is_a_409_and_a_missing_note_a_422(
    client: TestClient, sign_in: SignIn, article_id: str
) -> None:
    token = sign_in("editor1")
    refused = act(client, article_id, "approve", token)
    assert refused.status_code == 409
    assert refused.json()["code"] == "workflow_refused"
    no_note = act(client, article_id, "reject", token)
    assert no_note.status_code == 422
    assert no_note.json()["parameter"] == "note"
    unknown = act(client, article_id, "publish", token)
    assert unknown.json()["parameter"] == "action"


def test_editor_assigns_an_article(
    client: TestClient, sign_in: SignIn, article_id: str, bundled: Service
) -> None:
    token = sign_in("editor1")
    response = act(client, article_id, "assign", token, assignee="reviewer1")
    assert response.status_code == 303
    assert bundled.assignee(article_id) == "reviewer1"
    assert "<td>reviewer1</td>" in client.get("/review").text


def test_a_reviewer_cannot_tell_real_usernames_from_unknown_ones(
    client: TestClient, sign_in: SignIn, article_id: str
) -> None:
    token = sign_in("reviewer1")
    known = act(client, article_id, "assign", token, assignee="editor1")
    unknown = act(client, article_id, "assign", token, assignee="nobody-of-that-name")
    assert known.status_code == unknown.status_code == 403
    assert known.json()["detail"] == unknown.json()["detail"]


# Role × action through HTTP: what each role may do (docs/review.md); the rest is 403.
ALLOWED = {
    Role.REVIEWER: {"start_review", "request_changes", "comment"},
    Role.EDITOR: {"start_review", "approve", "request_changes", "reject", "resubmit", "comment"},
    Role.ADMIN: {"start_review", "approve", "request_changes", "reject", "resubmit", "comment"},
}
# The status each action is tried from, and how an admin gets the article there.
SETUP: dict[str, list[Action]] = {
    "start_review": [],
    "approve": [Action.START_REVIEW],
    "request_changes": [Action.START_REVIEW],
    "reject": [Action.START_REVIEW],
    "resubmit": [Action.START_REVIEW, Action.REQUEST_CHANGES],
    "comment": [],
}


@pytest.mark.parametrize("action", list(SETUP))
@pytest.mark.parametrize("role", list(Role))
def test_role_action_permissions_over_http(
    client: TestClient,
    sign_in: SignIn,
    members: dict[Role, User],
    bundled: Service,
    article_id: str,
    role: Role,
    action: str,
) -> None:
    for step in SETUP[action]:
        bundled.transition(article_id, step, user=members[Role.ADMIN], note="setting up")
    before = bundled.get_answer(article_id).review_status
    events_before = len(bundled.audit_log(article_id))
    token = sign_in(members[role].username)
    response = act(client, article_id, action, token, note="a reason")
    if action in ALLOWED[role]:
        assert response.status_code == 303, response.text
        assert len(bundled.audit_log(article_id)) == events_before + 1
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "forbidden"
        assert bundled.get_answer(article_id).review_status is before
        assert len(bundled.audit_log(article_id)) == events_before


def test_session_cookie_is_http_only_and_same_site(
    client: TestClient, members: dict[Role, User]
) -> None:
    response = client.get("/login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_audit_log_json_twin_needs_sign_in(
    client: TestClient, sign_in: SignIn, article_id: str
) -> None:
    assert client.get(f"/api/answers/{article_id}/events").status_code == 401
    token = sign_in("reviewer1")
    act(client, article_id, "comment", token, note="Looks thorough.")
    events = client.get(f"/api/answers/{article_id}/events").json()["events"]
    assert [(e["actor"], e["action"], e["note"]) for e in events] == [
        ("reviewer1", "comment", "Looks thorough.")
    ]
    assert client.get("/api/answers/nope/events").status_code == 404


# -- guideline cards ------------------------------------------------------------------------------

CARD = "degenerative-disc-disease"


def act_on_card(
    client: TestClient, card_id: str, action: str, token: str, **fields: str
) -> Response:
    return client.post(
        f"/cards/{card_id}/review",
        data={"action": action, "csrf_token": token, **fields},
        follow_redirects=False,
    )


def card_row(html: str, card_id: str) -> str:
    match = re.search(rf"<tr>\s*<td>{re.escape(card_id)}</td>.*?</tr>", html, re.DOTALL)
    assert match, f"no row for card {card_id}"
    return match.group(0)


def test_editor_approves_a_card_from_the_queue(
    client: TestClient, sign_in: SignIn, bundled: Service
) -> None:
    assert bundled.card_statuses()[CARD] == "submitted"
    token = sign_in("editor1")
    row = card_row(client.get("/review").text, CARD)
    assert f'action="/cards/{CARD}/review"' in row
    assert 'value="start_review">Start review</button>' in row
    assert 'value="approve"' not in row  # not from `submitted`
    response = act_on_card(client, CARD, "start_review", token)
    assert response.status_code == 303 and response.headers["location"] == "/review#cards"
    page = client.get("/review").text
    assert f"Start review ({CARD}): done." in page
    row = card_row(page, CARD)
    assert "Under review" in row and 'value="approve">Approve</button>' in row
    assert act_on_card(client, CARD, "approve", token, note="Checked.").status_code == 303
    assert bundled.card_statuses()[CARD] == "approved"
    row = card_row(client.get("/review").text, CARD)
    assert "Approved" in row and 'value="approve"' not in row
    assert [(e.actor, e.action, e.to_status) for e in bundled.audit_log(CARD)] == [
        ("editor1", Action.START_REVIEW, ReviewStatus.UNDER_REVIEW),
        ("editor1", Action.APPROVE, ReviewStatus.APPROVED),
    ]


def test_reviewer_cannot_approve_a_card(
    client: TestClient, sign_in: SignIn, bundled: Service, members: dict[Role, User]
) -> None:
    bundled.transition_card(CARD, Action.START_REVIEW, user=members[Role.ADMIN])
    token = sign_in("reviewer1")
    row = card_row(client.get("/review").text, CARD)
    assert 'value="request_changes"' in row and 'value="approve"' not in row
    response = act_on_card(client, CARD, "approve", token)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert bundled.card_statuses()[CARD] == "under_review"


def test_card_action_errors(client: TestClient, sign_in: SignIn, bundled: Service) -> None:
    token = sign_in("editor1")
    forged = act_on_card(client, CARD, "start_review", "forged")
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    assert bundled.card_statuses()[CARD] == "submitted"
    assert act_on_card(client, "no-such-card", "start_review", token).status_code == 404
    illegal = act_on_card(client, CARD, "approve", token)
    assert illegal.status_code == 409 and illegal.json()["code"] == "workflow_refused"
    act_on_card(client, CARD, "start_review", token)
    no_note = act_on_card(client, CARD, "reject", token)
    assert no_note.status_code == 422 and no_note.json()["parameter"] == "note"
    assert bundled.card_statuses()[CARD] == "under_review"
    assert act_on_card(client, CARD, "approve", "").status_code == 403


def test_reviewers_see_how_the_question_was_read_and_readers_see_the_gaps(
    client: TestClient, sign_in: SignIn, bundled: Service
) -> None:
    # (Treatment in pregnancy is refused by name now, decision 0031: a caveat needs a question
    # the sources answer in general.)
    answer = bundled.ask("Does gout come back after pregnancy?")
    reader_html = client.get(f"/answers/{answer.answer_id}").text
    assert "The sources here do not address pregnancy" in reader_html
    assert "How Bedside read the question" not in reader_html  # readers see no review panel
    sign_in("editor1")
    html = client.get(f"/answers/{answer.answer_id}").text
    assert 'aria-label="How Bedside read the question"' in html
    assert "card gout" in html and "pregnancy" in html


@pytest.mark.allow_hosts(["127.0.0.1"])  # the model server is asked on loopback (nothing there)
def test_reviewers_see_which_generator_wrote_the_article_and_what_was_dropped(
    client: TestClient, sign_in: SignIn, bundled: Service
) -> None:
    unreachable = OpenAICompatibleGenerator(
        ServerOptions("http://127.0.0.1:9/v1", model="m", retries=0, timeout_ms=200)
    )
    bundled.generator = unreachable
    answer = bundled.ask(SEED_TREATMENT, fresh=True)
    assert "Written by" not in client.get(f"/answers/{answer.answer_id}").text  # readers
    sign_in("reviewer1")
    html = html_module.unescape(client.get(f"/answers/{answer.answer_id}").text)
    assert "Written by extractive/2" in re.sub(r"<[^>]+>", "", html)
    assert "served instead of openai-compatible/1" in re.sub(r"<[^>]+>", "", html)
    assert "model unreachable" in html


# -- sessions end server-side ------------------------------------------------------------------


def test_a_copied_cookie_stops_working_after_logout(
    client: TestClient, sign_in: SignIn, article_id: str
) -> None:
    token = sign_in("editor1")
    copied = client.cookies.get(SESSION_COOKIE)
    assert client.get("/api/review/queue").status_code == 200
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, copied)  # the attacker's copy, replayed
    assert client.get("/api/review/queue").status_code == 401
    refused = act(client, article_id, "start_review", token)
    assert refused.status_code == 401 or refused.headers["location"].startswith("/login")


def test_approval_needs_the_checklist_and_publishes_the_edited_wording(
    client: TestClient, sign_in: SignIn, bundled: Service
) -> None:
    article = bundled.ask("How is gout managed? My name is John Testperson.")
    token = sign_in("editor1")
    act(client, article.answer_id, "start_review", token)
    panel = client.get(f"/answers/{article.answer_id}").text
    assert 'name="no_personal_data" value="yes" required' in panel
    unchecked = act(client, article.answer_id, "approve", token, no_personal_data="")
    assert unchecked.status_code == 422 and unchecked.json()["parameter"] == "no_personal_data"
    approved = act(
        client, article.answer_id, "approve", token,
        title="Managing gout", question="How is gout managed?",
    )  # fmt: skip
    assert approved.status_code == 303
    listed = client.get("/api/answers").json()
    shown = [item for item in listed["answers"] if item["answer_id"] == article.answer_id]
    assert shown and shown[0]["question"] == "How is gout managed?"
    assert "Managing gout" in client.get("/").text


def test_the_csrf_token_belongs_to_the_server_side_session(
    client: TestClient, sign_in: SignIn, article_id: str, bundled: Service
) -> None:
    old_token = sign_in("editor1")
    new_token = sign_in("editor1")  # a second sign-in: a new session with a token of its own
    assert new_token != old_token
    refused = act(client, article_id, "start_review", old_token)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert act(client, article_id, "start_review", new_token).status_code == 303
    # The database keeps neither the cookie's token nor anything that would sign in.
    cookie = client.cookies.get(SESSION_COOKIE)
    assert cookie is not None
    session_token = json.loads(base64.b64decode(cookie.split(".")[0]))["session"]
    kb = bundled.settings.kb_path()
    database = b"".join(p.read_bytes() for p in kb.parent.glob(kb.name + "*"))
    assert session_token.encode() not in database and new_token.encode() in database


def test_a_role_change_ends_every_session(
    client: TestClient, sign_in: SignIn, bundled: Service, article_id: str
) -> None:
    token = sign_in("editor1")
    assert client.get("/api/review/queue").status_code == 200
    bundled.change_role("editor1", Role.REVIEWER)
    assert client.get("/api/review/queue").status_code == 401
    refused = act(client, article_id, "approve", token)
    assert refused.status_code == 401 or refused.headers["location"].startswith("/login")
    assert bundled.list_sessions("editor1") == []


def test_disabling_or_a_new_password_ends_every_session(
    client: TestClient, sign_in: SignIn, bundled: Service
) -> None:
    sign_in("reviewer1")
    assert client.get("/api/review/queue").status_code == 200
    bundled.change_password("reviewer1", "another long password")
    assert client.get("/api/review/queue").status_code == 401
    sign_in_again = client.post(
        "/login",
        data={"username": "reviewer1", "password": PASSWORD,
              "csrf_token": token_in(client.get("/login").text)},
        follow_redirects=False,
    )  # fmt: skip
    assert sign_in_again.status_code == 400  # the old password no longer signs in
    bundled.set_user_disabled("editor1", disabled=True)
    assert bundled.authenticate("editor1", PASSWORD) is None


@pytest.fixture
def session_clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The sessions' clock, set by the test: `clock[0]` is now."""
    import bedside.service.reviewing as reviewing

    clock = [datetime.now(UTC)]
    monkeypatch.setattr(reviewing, "_now", lambda: clock[0])
    return clock


def test_a_session_does_not_outlive_its_absolute_lifetime(
    client: TestClient, sign_in: SignIn, session_clock: list[datetime]
) -> None:
    sign_in("editor1")
    start = session_clock[0]
    # Used every 50 minutes, it never idles out; it still ends at its absolute lifetime.
    while session_clock[0] + (IDLE_LIMIT - timedelta(minutes=10)) < start + LIFETIME:
        session_clock[0] += IDLE_LIMIT - timedelta(minutes=10)
        assert client.get("/api/review/queue").status_code == 200
    session_clock[0] = start + LIFETIME
    assert client.get("/api/review/queue").status_code == 401


def test_a_session_left_unused_for_an_hour_ends(
    client: TestClient, sign_in: SignIn, session_clock: list[datetime]
) -> None:
    sign_in("editor1")
    start = session_clock[0]
    session_clock[0] = start + IDLE_LIMIT - timedelta(minutes=1)
    assert client.get("/api/review/queue").status_code == 200  # used: the idle clock restarts
    session_clock[0] += IDLE_LIMIT - timedelta(minutes=1)
    assert client.get("/api/review/queue").status_code == 200
    session_clock[0] += IDLE_LIMIT + timedelta(minutes=1)  # then left alone
    assert client.get("/api/review/queue").status_code == 401
