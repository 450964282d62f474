"""`bedside user` and `bedside review`: board accounts, the review queue, actions, the audit log.

Every action authenticates its `--as` user (password from a hidden prompt or `--password-file`);
a password is never taken as an argument, so it stays out of shell history and process lists.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from bedside.cli.common import open_service, print_json
from bedside.domain import Answer, ReviewStatus
from bedside.ingest.readers.cards import parse_card
from bedside.review.accounts import User
from bedside.review.card_fidelity import fidelity_report
from bedside.review.events import AuditEvent
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service, bundled_cards_path

_PASSWORD_FILE = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read the password from the first line of FILE instead of prompting.",
)
_AS_USER = click.option(
    "--as", "username", required=True, metavar="USERNAME", help="The board member acting."
)
_NOTE = click.option("--note", default="", help="Why (required to request changes or reject).")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")

# Actions named on the command line (kebab-case) → workflow actions; `assign` has its own command.
_ACTIONS = {action.value.replace("_", "-"): action for action in Action}
_STATE_ACTIONS = {name: action for name, action in _ACTIONS.items() if action is not Action.ASSIGN}


# -- users --------------------------------------------------------------------------------------


@click.group("user")
def user_group() -> None:
    """Review board accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@_PASSWORD_FILE
@click.pass_context
def user_add(ctx: click.Context, username: str, role: str, password_file: Path | None) -> None:
    """Add a board member (the password is prompted for twice, never echoed)."""
    if password_file is not None:
        password = _read_password_file(password_file)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_service(ctx) as service:
        added = service.add_user(username, password, Role(role))
    click.echo(f"added {added.role} {added.username} ({added.user_id})")


@user_group.command("list")
@_JSON
@click.pass_context
def user_list(ctx: click.Context, as_json: bool) -> None:
    """List board members and their roles."""
    with open_service(ctx) as service:
        users = service.list_users()
    if as_json:
        print_json([user.to_json() for user in users])
        return
    if not users:
        click.echo("no users; add one with: bedside user add USERNAME --role admin")
    for user in users:
        click.echo(f"{user.username:<24} {user.role:<9} since {user.created_at}")


@user_group.command("disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions end at once."""
    with open_service(ctx) as service:
        service.set_user_disabled(username, disabled=True)
    click.echo(f"disabled {username}; every session of theirs has ended")


@user_group.command("enable")
@click.argument("username")
@click.pass_context
def user_enable(ctx: click.Context, username: str) -> None:
    """Enable a disabled account again (it signs in anew)."""
    with open_service(ctx) as service:
        service.set_user_disabled(username, disabled=False)
    click.echo(f"enabled {username}")


@user_group.command("password")
@click.argument("username")
@_PASSWORD_FILE
@click.pass_context
def user_password(ctx: click.Context, username: str, password_file: Path | None) -> None:
    """Set a new password (prompted twice, never echoed); every session of the user ends."""
    if password_file is not None:
        password = _read_password_file(password_file)
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with open_service(ctx) as service:
        service.change_password(username, password)
    click.echo(f"password changed for {username}; every session of theirs has ended")


@user_group.command("role")
@click.argument("username")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.pass_context
def user_role(ctx: click.Context, username: str, role: str) -> None:
    """Give a board member another role; their sessions end, so they sign in to the new one."""
    with open_service(ctx) as service:
        service.change_role(username, Role(role))
    click.echo(f"{username} is now {role}; every session of theirs has ended")


@user_group.command("sessions")
@click.argument("username")
@click.option(
    "--end", is_flag=True, help="End every one of them now (a lost laptop, a copied cookie)."
)
@click.pass_context
def user_sessions(ctx: click.Context, username: str, end: bool) -> None:
    """List a board member's sign-in sessions that still stand (or end them with --end)."""
    with open_service(ctx) as service:
        if end:
            ended = service.end_sessions(username)
            click.echo(f"ended {ended} session(s) of {username}")
            return
        sessions = service.list_sessions(username)
    if not sessions:
        click.echo(f"{username} has no live session")
    for session in sessions:
        click.echo(f"signed in {session.started_at}, last seen {session.seen_at}")


# -- review: answers ----------------------------------------------------------------------------


@click.group("review")
def review_group() -> None:
    """The editorial workflow: queue, actions, audit log, guideline cards (docs/review.md)."""


@review_group.command("queue")
@click.option(
    "--status",
    type=click.Choice([status.value for status in ReviewStatus]),
    help="Only this status (default: submitted, under review and changes requested).",
)
@_JSON
@click.pass_context
def review_queue(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """Articles awaiting review, oldest first."""
    with open_service(ctx) as service:
        queue = service.review_queue(None if status is None else ReviewStatus(status))
        rows = [_queue_item(service, answer) for answer in queue]
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("the review queue is empty")
    for row in rows:
        revision = f"  (revision of {row['revision_of']})" if row["revision_of"] else ""
        click.echo(
            f"{row['answer_id']}  {row['review']['status']:<17}  {row['created_at']}  "
            f"{row['assignee'] or '-':<12}  {row['audience']:<9}  {row['title']}{revision}"
        )


@review_group.command("show")
@click.argument("answer_id")
@_JSON
@click.pass_context
def review_show(ctx: click.Context, answer_id: str, as_json: bool) -> None:
    """An article's review status, assignee and audit log."""
    with open_service(ctx) as service:
        data = _queue_item(service, service.get_answer(answer_id))
        data["events"] = [event.to_json() for event in service.audit_log(answer_id)]
    if as_json:
        print_json(data)
        return
    click.echo(data["title"] or data["question"])
    lines = [
        ("answer", data["answer_id"]),
        ("question", data["question"]),
        ("audience", data["audience"]),
        ("status", f"{data['review']['status']} (since {data['review']['updated_at']})"),
        ("assigned to", data["assignee"] or "-"),
        ("revision of", data["revision_of"] or "-"),
    ]
    for label, value in lines:
        click.echo(f"  {label:<12} {value}")
    click.echo("audit log:" if data["events"] else "audit log: no events yet")
    for event in data["events"]:
        click.echo("  " + _event_line(event))


def _queue_item(service: Service, answer: Answer) -> dict[str, Any]:
    return {
        "answer_id": answer.answer_id,
        "kind": answer.kind,
        "question": answer.question,
        "audience": answer.audience.value,
        "title": answer.title,
        "review": {"status": answer.review_status.value, "updated_at": answer.updated_at},
        "created_at": answer.created_at,
        "kb_version": answer.kb_version,
        "assignee": service.assignee(answer.answer_id),
        "revision_of": answer.revision_of,
    }


def _event_line(event: dict[str, Any]) -> str:
    change = (
        event["to_status"]
        if event["from_status"] == event["to_status"]
        else f"{event['from_status']} → {event['to_status']}"
    )
    note = f"  “{event['note']}”" if event["note"] else ""
    return f"{event['created_at']}  {event['actor']:<12} {event['action']:<16} {change}{note}"


def _add_action_command(name: str, action: Action) -> None:
    @review_group.command(name, help=_ACTION_HELP[action])
    @click.argument("answer_id")
    @_AS_USER
    @_NOTE
    @_PASSWORD_FILE
    @_JSON
    @click.pass_context
    def command(
        ctx: click.Context,
        answer_id: str,
        username: str,
        note: str,
        password_file: Path | None,
        as_json: bool,
    ) -> None:
        password = _password(username, password_file)
        with open_service(ctx) as service:
            user = _authenticated(service, username, password)
            service.transition(answer_id, action, user=user, note=note)
            event = service.audit_log(answer_id)[-1]
        _print_outcome(f"answer {answer_id}", event, as_json=as_json)


@review_group.command("approve")
@click.argument("answer_id")
@_AS_USER
@click.option("--title", help="The title to publish it under (default: the article's own).")
@click.option("--question", help="The question to list it under (default: as asked, redacted).")
@click.option(
    "--no-personal-data",
    "no_personal_data",
    is_flag=True,
    help="Confirm that the title and question hold no personal data (required).",
)
@_NOTE
@_PASSWORD_FILE
@_JSON
@click.pass_context
def review_approve(
    ctx: click.Context,
    answer_id: str,
    username: str,
    title: str | None,
    question: str | None,
    no_personal_data: bool,
    note: str,
    password_file: Path | None,
    as_json: bool,
) -> None:
    """Approve an article under review; it becomes the one served and is listed publicly under
    its title and question (editors)."""
    password = _password(username, password_file)
    with open_service(ctx) as service:
        user = _authenticated(service, username, password)
        current = Publication.as_it_stands(
            service.get_answer(answer_id), no_personal_data=no_personal_data
        )
        publication = replace(
            current, title=title or current.title, question=question or current.question
        )
        service.transition(answer_id, Action.APPROVE, user=user, note=note, publication=publication)
        event = service.audit_log(answer_id)[-1]
    _print_outcome(f"answer {answer_id}", event, as_json=as_json)


_ACTION_HELP = {
    Action.START_REVIEW: "Start reviewing a submitted article (submitted → under review).",
    Action.REQUEST_CHANGES: "Send an article under review back for changes (--note says what).",
    Action.REJECT: "Reject a submitted article or one under review (editors; --note says why).",
    Action.RESUBMIT: "Resubmit an article after changes were requested (editors).",
    Action.COMMENT: "Add a note to an article's audit log (any status; --note is the comment).",
}

for _name, _action in _STATE_ACTIONS.items():
    if _action is not Action.APPROVE:  # approve has its own command (what it publishes)
        _add_action_command(_name, _action)


@review_group.command("assign")
@click.argument("answer_id")
@_AS_USER
@click.option(
    "--to", "assignee", metavar="USERNAME", help="Who gets it (default: yourself; editors only)."
)
@_NOTE
@_PASSWORD_FILE
@_JSON
@click.pass_context
def review_assign(
    ctx: click.Context,
    answer_id: str,
    username: str,
    assignee: str | None,
    note: str,
    password_file: Path | None,
    as_json: bool,
) -> None:
    """Assign an open article to a board member (reviewers may take it only for themselves)."""
    password = _password(username, password_file)
    with open_service(ctx) as service:
        user = _authenticated(service, username, password)
        event = service.assign(answer_id, assignee=assignee or user.username, user=user, note=note)
    _print_outcome(f"answer {answer_id}", event, as_json=as_json)


# -- review: cards ------------------------------------------------------------------------------


@review_group.command("cards")
@_JSON
@click.pass_context
def review_cards(ctx: click.Context, as_json: bool) -> None:
    """Every guideline card in the knowledge base and its review status."""
    with open_service(ctx) as service:
        statuses = service.card_statuses()
    if as_json:
        print_json(statuses)
        return
    if not statuses:
        click.echo("no guideline cards in the knowledge base (bedside ingest --bundled)")
    for card_id, status in statuses.items():
        click.echo(f"{card_id:<36} {status}")


@review_group.command("fidelity")
def review_fidelity() -> None:
    """Print the fidelity report of the bundled cards (docs/cards-fidelity.md)."""
    paths = sorted(bundled_cards_path().glob("*.md"))
    cards = [parse_card(path.read_text(encoding="utf-8"), path) for path in paths]
    click.echo(fidelity_report(cards), nl=False)


@review_group.command("card")
@click.argument("card_id")
@click.argument("action", type=click.Choice(sorted(_STATE_ACTIONS)))
@_AS_USER
@_NOTE
@_PASSWORD_FILE
@_JSON
@click.pass_context
def review_card(
    ctx: click.Context,
    card_id: str,
    action: str,
    username: str,
    note: str,
    password_file: Path | None,
    as_json: bool,
) -> None:
    """Take a review ACTION on a guideline card (a draft card starts as submitted)."""
    password = _password(username, password_file)
    with open_service(ctx) as service:
        user = _authenticated(service, username, password)
        service.transition_card(card_id, _STATE_ACTIONS[action], user=user, note=note)
        event = service.audit_log(card_id)[-1]
    _print_outcome(f"card {card_id}", event, as_json=as_json)


# -- helpers ------------------------------------------------------------------------------------


def _password(username: str, password_file: Path | None) -> str:
    if password_file is not None:
        return _read_password_file(password_file)
    value: str = click.prompt(f"Password for {username}", hide_input=True)
    return value


def _read_password_file(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0] if lines else ""


def _authenticated(service: Service, username: str, password: str) -> User:
    user = service.authenticate(username, password)
    if user is None:
        raise click.ClickException(f"unknown user or wrong password for {username!r}")
    return user


def _print_outcome(subject: str, event: AuditEvent, *, as_json: bool) -> None:
    if as_json:
        print_json(event.to_json())
        return
    click.echo(f"{subject}: {_event_line(event.to_json())}")
