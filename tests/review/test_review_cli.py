"""`bedside user` and `bedside review` end to end through Click's runner, on the bundled cards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bedside.cli import cli
from bedside.config import Settings
from bedside.service import Service

PASSWORD = "correct horse battery"
QUESTION = "What helps chronic low back pain?"


class Bedside:
    """Runs `bedside --home <the test's knowledge base> ...`."""

    def __init__(self, runner: CliRunner, home: Path, password_file: Path) -> None:
        self.runner = runner
        self.home = home
        self.password_file = password_file

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        result = self.runner.invoke(cli, ["--home", str(self.home), *args], input=input)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").output)

    def as_user(self, *args: str, username: str, ok: bool = True) -> Result:
        return self(*args, "--as", username, "--password-file", str(self.password_file), ok=ok)


@pytest.fixture
def bedside(cli_runner: CliRunner, bundled_settings: Settings, tmp_path: Path) -> Bedside:
    password_file = tmp_path / "password.txt"
    password_file.write_text(PASSWORD + "\n")
    run = Bedside(cli_runner, bundled_settings.home, password_file)
    for username, role in (("rita", "reviewer"), ("eddie", "editor")):
        run("user", "add", username, "--role", role, "--password-file", str(password_file))
    return run


@pytest.fixture
def answer_id(bedside: Bedside) -> str:
    answer_id: str = bedside.json("ask", QUESTION)["answer_id"]
    return answer_id


def test_user_add_prompts_twice_without_echo_and_lists_users(bedside: Bedside) -> None:
    added = bedside("user", "add", "ada", "--role", "admin", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert "added admin ada" in added.output
    assert PASSWORD not in added.output
    assert "Password: \nRepeat for confirmation: \n" in added.output
    users = bedside.json("user", "list")
    assert [(u["username"], u["role"]) for u in users] == [
        ("ada", "admin"),
        ("eddie", "editor"),
        ("rita", "reviewer"),
    ]
    assert all("password" not in key for user in users for key in user)
    assert "rita" in bedside("user", "list").output


def test_user_add_refuses_a_short_password(bedside: Bedside, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("short\n")
    result = bedside(
        "user", "add", "sam", "--role", "editor", "--password-file", str(short), ok=False
    )
    assert (
        result.exit_code == 1 and "password" in result.output and "10 characters" in result.output
    )


def test_user_sessions_are_listed_ended_and_end_with_a_role_change(
    bedside: Bedside, bundled_settings: Settings
) -> None:
    with Service(bundled_settings) as service:
        rita = next(user for user in service.list_users() if user.username == "rita")
        service.start_session(rita)
        service.start_session(rita)
    assert bedside("user", "sessions", "rita").output.count("signed in ") == 2
    assert "ended 2 session(s) of rita" in bedside("user", "sessions", "rita", "--end").output
    assert "rita has no live session" in bedside("user", "sessions", "rita").output
    with Service(bundled_settings) as service:
        service.start_session(rita)
    changed = bedside("user", "role", "rita", "--role", "editor")
    assert "rita is now editor; every session of theirs has ended" in changed.output
    assert "no live session" in bedside("user", "sessions", "rita").output
    assert ("rita", "editor") in [(u["username"], u["role"]) for u in bedside.json("user", "list")]
    unknown = bedside("user", "sessions", "nobody", ok=False)
    assert unknown.exit_code != 0 and "nobody" in unknown.output


def test_review_an_article_from_queue_to_approval(bedside: Bedside, answer_id: str) -> None:
    queue = bedside.json("review", "queue")
    assert [item["answer_id"] for item in queue] == [answer_id]
    assert queue[0]["review"]["status"] == "submitted"
    assert answer_id in bedside("review", "queue").output

    taken = bedside.as_user("review", "assign", answer_id, username="rita")
    assert "assigned to rita" in taken.output
    started = bedside.as_user("review", "start-review", answer_id, username="rita")
    assert "submitted → under_review" in started.output

    refused = bedside.as_user("review", "approve", answer_id, username="rita", ok=False)
    assert refused.exit_code == 1
    assert "reviewer may not approve" in refused.output and "under_review" in refused.output

    bedside.as_user("review", "comment", answer_id, "--note", "Looks right.", username="eddie")
    unchecked = bedside.as_user("review", "approve", answer_id, username="eddie", ok=False)
    assert unchecked.exit_code == 1 and "personal data" in unchecked.output
    approved = bedside.as_user(
        "review", "approve", answer_id, "--no-personal-data", "--title", "Chronic low back pain",
        username="eddie",
    )  # fmt: skip
    assert "under_review → approved" in approved.output
    assert bedside.json("review", "show", answer_id)["title"] == "Chronic low back pain"

    shown = bedside.json("review", "show", answer_id)
    assert shown["review"]["status"] == "approved" and shown["assignee"] == "rita"
    assert [(e["actor"], e["action"]) for e in shown["events"]] == [
        ("rita", "assign"),
        ("rita", "start_review"),
        ("eddie", "comment"),
        ("eddie", "approve"),
    ]
    text = bedside("review", "show", answer_id).output
    assert "approved" in text and "Looks right." in text and "assigned to  rita" in text
    assert bedside.json("review", "queue") == []
    assert [i["answer_id"] for i in bedside.json("review", "queue", "--status", "approved")] == [
        answer_id
    ]
    assert bedside.json("ask", QUESTION)["review"]["status"] == "approved"


def test_changes_requested_need_a_note_and_an_editor_resubmits(
    bedside: Bedside, answer_id: str
) -> None:
    bedside.as_user("review", "start-review", answer_id, username="rita")
    no_note = bedside.as_user("review", "request-changes", answer_id, username="rita", ok=False)
    assert no_note.exit_code == 1 and "note" in no_note.output
    bedside.as_user("review", "request-changes", answer_id, "--note", "Add doses.", username="rita")
    bedside.as_user("review", "resubmit", answer_id, username="eddie")
    rejected = bedside.as_user("review", "reject", answer_id, "--note", "No.", username="eddie")
    assert "submitted → rejected" in rejected.output
    events = bedside.json("review", "show", answer_id)["events"]
    assert [e["to_status"] for e in events] == [
        "under_review",
        "changes_requested",
        "submitted",
        "rejected",
    ]


def test_actions_authenticate_with_a_hidden_prompt(bedside: Bedside, answer_id: str) -> None:
    args = ("review", "start-review", answer_id, "--as", "rita")
    wrong = bedside(*args, input="not the password\n", ok=False)
    assert wrong.exit_code == 1 and "wrong password" in wrong.output
    assert "not the password" not in wrong.output
    unknown = bedside("review", "start-review", answer_id, "--as", "zed", input=PASSWORD + "\n",
                      ok=False)  # fmt: skip
    assert unknown.exit_code == 1 and "wrong password" in unknown.output
    assert bedside.json("review", "show", answer_id)["events"] == []
    done = bedside(*args, input=PASSWORD + "\n")
    assert "under_review" in done.output and PASSWORD not in done.output


def test_review_cards(bedside: Bedside, bundled_settings: Settings) -> None:
    cards = bedside.json("review", "cards")
    assert cards["asthma"] == "submitted" and len(cards) == 25
    result = bedside.as_user("review", "card", "asthma", "start-review", username="rita")
    assert "card asthma" in result.output and "submitted → under_review" in result.output
    bedside.as_user("review", "card", "asthma", "approve", username="eddie")
    assert bedside.json("review", "cards")["asthma"] == "approved"
    assert "asthma" in bedside("review", "cards").output
    with Service(bundled_settings) as service:
        assert [event.actor for event in service.audit_log("asthma")] == ["rita", "eddie"]
    missing = bedside.as_user("review", "card", "nope", "approve", username="eddie", ok=False)
    assert missing.exit_code == 1 and "nope" in missing.output
