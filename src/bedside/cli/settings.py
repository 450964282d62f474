"""`bedside config`: the effective settings, and the generated references (settings, commands)."""

from __future__ import annotations

import click

from bedside.cli.common import print_json
from bedside.cli.reference import cli_reference
from bedside.config import settings_reference
from bedside.errors import BedsideError


@click.group()
def config() -> None:
    """Settings."""


@config.command("show")
@click.pass_context
def config_show(ctx: click.Context) -> None:
    """Print the effective settings as JSON, with their fingerprint."""
    try:
        settings = ctx.obj.settings()
    except BedsideError as exc:
        raise click.ClickException(str(exc)) from exc
    print_json({"fingerprint": settings.fingerprint(), **settings.model_dump(mode="json")})


@config.command("docs")
@click.option(
    "--commands",
    is_flag=True,
    help="Print the command-line reference (docs/cli.md) instead.",
)
def config_docs(commands: bool) -> None:
    """Print the settings reference (docs/settings.md)."""
    click.echo(cli_reference() if commands else settings_reference(), nl=False)
