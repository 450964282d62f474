"""The command-line reference (docs/cli.md), generated from the commands' own help texts."""

from __future__ import annotations

import click

PROG_NAME = "bedside"
# A fixed width, so that the reference does not depend on the terminal that generates it.
WIDTH = 88
HEADER = (
    "# Command-line reference\n"
    "\n"
    "Generated from the commands' help texts; regenerate with "
    "`bedside config docs --commands > docs/cli.md`.\n"
)


def cli_reference() -> str:
    """Markdown: for `bedside` and every command and subcommand (sorted, depth first), a heading
    and its `--help` text."""
    # Imported here: the root group imports every command module, `bedside config` among them.
    from bedside.cli import cli

    sections = [HEADER]
    for ctx in _contexts(cli, PROG_NAME, parent=None):
        sections.append(f"## {ctx.command_path}\n\n```text\n{ctx.command.get_help(ctx)}\n```\n")
    return "\n".join(sections)


def _contexts(
    command: click.Command, name: str, *, parent: click.Context | None
) -> list[click.Context]:
    """The help context of `command` and, recursively, of its subcommands in sorted order."""
    # As `make_context` would: with the command's own settings (the root's `-h`), at a fixed width.
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = click.Context(command, info_name=name, parent=parent, **settings)
    contexts = [ctx]
    if isinstance(command, click.Group):
        for sub_name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                contexts += _contexts(sub, sub_name, parent=ctx)
    return contexts
