"""Shared by the command modules: settings, the service, first use, JSON, progress bars.

Command modules import these from here, never from `bedside.cli`, which only assembles the
commands into the root group.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bedside.config import Settings, load_settings
from bedside.errors import BedsideError
from bedside.ingest.pipeline import Progress as IngestProgress
from bedside.service import Service
from bedside.service.preparing import prepare_knowledge_base


class ConfigRequest:
    """Settings are loaded lazily so that `--help` works even with a broken environment."""

    def __init__(self, config_file: Path | None, overrides: dict[str, Any]) -> None:
        self.config_file = config_file
        self.overrides = overrides

    def settings(self) -> Settings:
        return load_settings(config_file=self.config_file, overrides=self.overrides)


@contextmanager
def open_service(
    ctx: click.Context, *, first_use: bool = False, needs_indexes: bool = True
) -> Iterator[Service]:
    """The service for the selected knowledge base; `first_use` first builds what first use needs
    (`needs_indexes=False`: only an empty knowledge base, not a missing index)."""
    request: ConfigRequest = ctx.obj
    try:
        settings = request.settings()
        if first_use:
            prepare(settings, needs_indexes=needs_indexes)
        with Service(settings) as service:
            yield service
    except BedsideError as exc:
        raise click.ClickException(str(exc)) from exc


def prepare(settings: Settings, *, needs_indexes: bool = True) -> None:
    """Build the knowledge base on first use (bundled cards, indexes), with progress bars."""

    def announce(reason: str) -> None:
        click.echo(f"bedside: {reason} ...", err=True)

    started = time.perf_counter()
    with FirstUseProgressBars() as bars:
        prepared = prepare_knowledge_base(
            settings,
            on_start=announce,
            ingest_progress=bars.ingest,
            index_progress=bars.index,
            needs_indexes=needs_indexes,
        )
    if prepared is not None:
        click.echo(f"bedside: done in {time.perf_counter() - started:.0f} s", err=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# -- progress bars ------------------------------------------------------------------------------


class ProgressBar:
    """A rich progress bar on stderr, shown only on a terminal; subclasses feed it."""

    def __init__(self, name: str, unit: str, *, enabled: bool, **fields: Any) -> None:
        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self.progress = Progress(
            TextColumn(f"[bold]{name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task(name, total=None, **fields)

    def __enter__(self) -> Self:
        if self.enabled:
            self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            self.progress.stop()


class IngestProgressBar(ProgressBar):
    """Fed by the ingest pipeline's progress events."""

    def __init__(self, *, enabled: bool) -> None:
        unit = "files · {task.fields[documents]} documents · {task.fields[current]}"
        super().__init__("ingest", unit, enabled=enabled, documents=0, current="")
        self.documents = 0

    def update(self, event: IngestProgress) -> None:
        if event.event == "files":
            self.progress.update(self.task, total=event.count)
        elif event.event == "file_started":
            self.progress.update(self.task, current=Path(event.path or "").name)
        elif event.event == "documents":
            self.documents += event.count
            self.progress.update(self.task, documents=self.documents)
        elif event.event == "file_finished":
            self.progress.advance(self.task)


class IndexProgressBar(ProgressBar):
    """Fed by embedding progress during `bedside index`."""

    def __init__(self, *, enabled: bool) -> None:
        super().__init__("index", "windows embedded", enabled=enabled)

    def update(self, stage: str, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


_BarT = TypeVar("_BarT", bound=ProgressBar)


class FirstUseProgressBars:
    """The ingest bar, then the index bar, each shown only once its stage starts."""

    def __init__(self) -> None:
        self._ingest: IngestProgressBar | None = None
        self._index: IndexProgressBar | None = None
        self._showing: ProgressBar | None = None

    def ingest(self, event: IngestProgress) -> None:
        if self._ingest is None:
            self._ingest = self._show(IngestProgressBar(enabled=True))
        self._ingest.update(event)

    def index(self, stage: str, done: int, total: int) -> None:
        if self._index is None:
            self._index = self._show(IndexProgressBar(enabled=True))
        self._index.update(stage, done, total)

    def _show(self, bar: _BarT) -> _BarT:
        self.__exit__()
        self._showing = bar.__enter__()
        return bar

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._showing is not None:
            self._showing.__exit__()
            self._showing = None
