"""`bedside serve`: the web app and JSON API, with uvicorn.

The CLI and the web app are independent layers: the CLI names the app's factory for uvicorn
instead of importing it, and hands it the settings it resolved (`--home`, `--kb`, `--config`)
through the environment, which a reloading worker process inherits too.
"""

from __future__ import annotations

import os

import click

from bedside.cli.common import ConfigRequest, prepare
from bedside.errors import BedsideError
from bedside.service import store_location

APP_FACTORY = "bedside.web.app:app_from_environment"
# Read by `app_from_environment`: the `--config` file, if one was given.
CONFIG_FILE_VARIABLE = "BEDSIDE_SERVE_CONFIG_FILE"


@click.command()
@click.option("--host", help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default: web.port, 8000).")
@click.option("--reload", is_flag=True, help="Restart when the code changes (development).")
@click.option(
    "--workers",
    type=int,
    help="Worker processes (default: web.workers, 1); they share the knowledge base, sessions "
    "and rate limits through its database.",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str | None, port: int | None, reload: bool, workers: int | None
) -> None:
    """Serve the web app and its JSON API (pages at /, API docs at /docs)."""
    import uvicorn

    if workers is not None and workers < 1:
        raise click.BadParameter(f"{workers} workers: give 1 or more", param_hint="--workers")

    request: ConfigRequest = ctx.obj
    try:
        settings = request.settings()  # fail here, readably, on bad settings
        prepare(settings)  # first use: build the knowledge base here, before serving it
        where = store_location(settings)
    except BedsideError as exc:
        raise click.ClickException(str(exc)) from exc
    host = host or settings.web.host
    port = port or settings.web.port
    workers = workers or settings.web.workers
    if reload and workers > 1:
        raise click.UsageError("--reload runs one worker; leave out --workers (or set it to 1)")
    os.environ["BEDSIDE_HOME"] = str(settings.home)
    os.environ["BEDSIDE_STORE__KB"] = settings.store.kb
    if request.config_file is not None:
        os.environ[CONFIG_FILE_VARIABLE] = str(request.config_file.resolve())
    plural = "s" if workers > 1 else ""
    click.echo(
        f"Bedside on http://{host}:{port}/ ({workers} worker{plural}, knowledge base {where})",
        err=True,
    )
    # The client's address is the socket's unless a proxy the operator names forwards it:
    # uvicorn otherwise believes X-Forwarded-For from loopback, and a client on the same host
    # could rotate it to escape the sign-in and ask limits.
    trusted = settings.web.forwarded_allow_ips
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
