"""`bedside db copy`: move a knowledge base and its editorial state to another store."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from bedside.config import Settings, StoreSettings
from bedside.errors import ConfigError
from bedside.service import build_store
from bedside.store.base import Store
from bedside.store.copying import CopyReport, ProgressCallback, copy_store
from bedside.store.sqlite import SqliteStore

_POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def copy_knowledge_base(
    settings: Settings,
    *,
    target: str,
    target_kb: str | None = None,
    progress: ProgressCallback | None = None,
) -> CopyReport:
    """Copy the knowledge base the settings select into `target` (resumable; see
    `bedside.store.copying`)."""
    destination = target_store(settings, target=target, kb=target_kb or settings.store.kb)
    source = build_store(settings)
    try:
        destination.open()
        try:
            return copy_store(source, destination, progress=progress)
        finally:
            destination.close()
    finally:
        source.close()


def target_store(settings: Settings, *, target: str, kb: str) -> Store:
    """An unopened store for a copy's TARGET: a `postgresql://` URL (the knowledge base is the
    schema `kb`), `sqlite` (`<home>/kb/<kb>.sqlite`) or the path of a `.sqlite` file."""
    try:
        StoreSettings(kb=kb)
    except ValidationError as error:
        raise ConfigError(f"target knowledge base {kb!r}: {error.errors()[0]['msg']}") from None
    if target.startswith(_POSTGRESQL_SCHEMES):
        from bedside.store.postgresql import PostgresqlStore, schema_name

        return PostgresqlStore(target, schema=schema_name(kb))
    if target == "sqlite":
        return SqliteStore(settings.home / "kb" / f"{kb}.sqlite")
    if target.endswith(".sqlite"):
        return SqliteStore(Path(target).expanduser())
    raise ConfigError(
        f"db copy target {target!r}: give a postgresql:// URL, 'sqlite' (the knowledge base's "
        "file under the data directory) or the path of a .sqlite file"
    )
