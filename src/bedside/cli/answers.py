"""`bedside ask`: a verified article (or a typed refusal) for one question, as text or JSON."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from bedside.cli.common import open_service, print_json
from bedside.compose.article import answer_to_json
from bedside.domain import Audience

_WIDTH = 96
# How long a reader's unreviewed question or refusal is kept (docs/policy: the editorial policy).
RETENTION_DAYS = 30
_REVIEW_LABELS = {
    "submitted": "Submitted",
    "under_review": "Under review",
    "approved": "Approved",
    "changes_requested": "Changes requested",
    "rejected": "Rejected",
}


@click.command()
@click.argument("question")
@click.option(
    "--audience",
    type=click.Choice([audience.value for audience in Audience]),
    default=Audience.CLINICIAN.value,
    show_default=True,
    help="Write for a clinician or in plain language for a patient.",
)
@click.option(
    "--follow-up",
    "follow_up_of",
    metavar="ANSWER_ID",
    help="Answer in the context of an earlier answer.",
)
@click.option("--fresh", is_flag=True, help="Compose anew even if a stored answer exists.")
@click.option(
    "--full", is_flag=True, help="Every relevant statement, not only the concise article."
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as the API serves it.")
@click.pass_context
def ask(
    ctx: click.Context,
    question: str,
    audience: str,
    follow_up_of: str | None,
    fresh: bool,
    full: bool,
    as_json: bool,
) -> None:
    """Answer QUESTION from the knowledge base, every statement cited and checked."""
    with open_service(ctx, first_use=True) as service:
        answer = service.ask(
            question,
            audience=Audience(audience),
            follow_up_of=follow_up_of,
            fresh=fresh,
            full=full,
        )
        data = answer_to_json(answer)
    if as_json:
        print_json(data)
    else:
        click.echo(render_text(data))


def render_text(data: dict[str, Any]) -> str:
    """The article as plain text: banner, title, bottom line, sections, references."""
    lines: list[str] = []
    if data["urgent"]:
        lines += [*_wrap("URGENT: " + data["urgent"]["message"]), ""]
    if data["kind"] == "refusal":
        refusal = data["refusal"]
        lines += [f"Bedside cannot answer this question ({refusal['reason']}).", ""]
        lines += _wrap(refusal["message"])
    else:
        status = _REVIEW_LABELS.get(data["review"]["status"], data["review"]["status"])
        lines += [data["title"], "=" * len(data["title"])]
        banner = "" if data["review"]["status"] == "approved" else " · pending human review"
        lines += [f"Review status: {status}{banner} · Last updated {data['last_updated']}", ""]
        for gap in data["gaps"]:
            lines += [*_wrap(f"Note: {gap}"), ""]
        bottom = data["bottom_line"]
        lines += [*_wrap(f"Bottom line: {bottom['text']}{_marks(bottom['citations'])}"), ""]
        for section in data["sections"]:
            lines += [section["heading"], "-" * len(section["heading"])]
            for bullet in section["bullets"]:
                lines += _wrap(f"{bullet['text']}{_marks(bullet['citations'])}", bullet="  • ")
            lines.append("")
        lines += ["References", "----------"]
        for ref in data["references"]:
            lines += _wrap(_reference_line(ref), bullet=f"{ref['number']:>3}. ")
        lines.append("")
    for label, key in (
        ("Related questions", "related_questions"),
        ("Follow-up questions", "follow_up_questions"),
    ):
        if data[key]:
            lines += [label + ":"] + [f"  - {item}" for item in data[key]] + [""]
    if data["kind"] == "answer":
        lines += _wrap(data["disclaimer"])
    lines.append(f"answer {data['answer_id']} · settings {data['settings_fingerprint']}")
    return "\n".join(lines)


def _marks(citations: list[int]) -> str:
    return f" [{', '.join(str(number) for number in citations)}]" if citations else ""


def _reference_line(ref: dict[str, Any]) -> str:
    parts = [f"[{ref['type']}] {ref['title']}."]
    where = ", ".join(str(part) for part in (ref["source"], ref["year"]) if part)
    if where:
        parts.append(f"{where}.")
    for label in ("pmid", "doi", "url"):
        if ref[label]:
            parts.append(f"{label.upper()}: {ref[label]}")
    return " ".join(parts)


def _wrap(text: str, *, bullet: str = "") -> list[str]:
    indent = " " * len(bullet)
    return textwrap.wrap(text, width=_WIDTH, initial_indent=bullet, subsequent_indent=indent) or [
        ""
    ]


@click.group("answers")
def answers_group() -> None:
    """Stored answers: what readers asked."""


@answers_group.command("purge")
@click.option(
    "--older-than-days",
    type=int,
    default=RETENTION_DAYS,
    show_default=True,
    help="Delete unreviewed articles and refusals created more than this many days ago.",
)
@click.pass_context
def answers_purge(ctx: click.Context, older_than_days: int) -> None:
    """Delete readers' unreviewed questions and refusals past the retention period (the
    editorial policy); reviewed, assigned and approved articles are kept."""
    with open_service(ctx) as service:
        deleted = service.purge_answers(older_than_days=older_than_days)
    click.echo(f"deleted {deleted} unreviewed answers older than {older_than_days} days")
