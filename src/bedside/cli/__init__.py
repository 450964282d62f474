"""The `bedside` command: parse arguments, load settings, call the service, print text or JSON.

This module only assembles the command line: the root group and its options, and every command
and group, defined unattached in its own module (`answers`, `db`, `knowledge`, `review`,
`settings`, `web`) with the helpers of `bedside.cli.common`, added explicitly below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bedside.cli import answers, db, knowledge, review, settings, web
from bedside.cli.common import ConfigRequest


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data directory (default: $BEDSIDE_HOME or the platform's user data directory).",
)
@click.option("--kb", help="Knowledge base name (default: 'default').")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="TOML settings file.",
)
@click.version_option(package_name="bedside")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, kb: str | None, config_file: Path | None) -> None:
    """Bedside: evidence-based clinical answers grounded in a knowledge base."""
    overrides: dict[str, Any] = {}
    if home is not None:
        overrides["home"] = home
    if kb is not None:
        overrides["store"] = {"kb": kb}
    ctx.obj = ConfigRequest(config_file, overrides)


cli.add_command(answers.answers_group)
cli.add_command(answers.ask)
cli.add_command(settings.config)
cli.add_command(db.db)
cli.add_command(knowledge.index_command)
cli.add_command(knowledge.ingest)
cli.add_command(knowledge.kb)
cli.add_command(review.review_group)
cli.add_command(knowledge.search)
cli.add_command(web.serve)
cli.add_command(review.user_group)


def main() -> None:
    cli(prog_name="bedside")
