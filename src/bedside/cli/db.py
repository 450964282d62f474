"""`bedside db`: create or upgrade a knowledge base, and copy it to another store."""

from __future__ import annotations

import click

from bedside.cli.common import ProgressBar, open_service, print_json
from bedside.errors import BedsideError
from bedside.service.copying import copy_knowledge_base


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("migrate")
@click.pass_context
def db_migrate(ctx: click.Context) -> None:
    """Create the knowledge base or bring its schema up to date."""
    with open_service(ctx) as service:
        click.echo(f"{service.store.location}: schema version {service.store.schema_version()}")


class _CopyProgressBar(ProgressBar):
    """Fed by the copy, table by table."""

    def __init__(self, *, enabled: bool) -> None:
        super().__init__("copy", "rows · {task.fields[table]}", enabled=enabled, table="")

    def update(self, table: str, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total, table=table)


@db.command("copy")
@click.argument("target")
@click.option(
    "--target-kb", help="Knowledge base (schema or file name) in the target (default: --kb's)."
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def db_copy(ctx: click.Context, target: str, target_kb: str | None, as_json: bool) -> None:
    """Copy the knowledge base and its editorial state to TARGET: a postgresql:// URL, `sqlite`
    (the file under the data directory) or a .sqlite path. Ids and the audit log's order are
    kept; an interrupted copy continues when run again; row counts are checked at the end.
    Stop everything that writes to the knowledge base first."""
    try:
        settings = ctx.obj.settings()
        with _CopyProgressBar(enabled=not as_json) as bar:
            report = copy_knowledge_base(
                settings, target=target, target_kb=target_kb, progress=bar.update
            )
    except BedsideError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        print_json(report.to_json())
        return
    click.echo(f"copied {report.source} → {report.target}")
    for table in report.tables:
        click.echo(
            f"  {table.name}: {table.target_rows} rows ({table.copied_now} copied in this run)"
        )
    click.echo("row counts match; build the target's indexes with `bedside index`")
