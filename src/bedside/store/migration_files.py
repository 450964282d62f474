"""The numbered SQL migrations shipped with the package, one folder per engine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from bedside.errors import StoreError

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    sql: str


def load_migration_files(engine: str) -> list[Migration]:
    """The migrations in `store/migrations/<engine>/`, in order; numbered 1..N without gaps."""
    folder = resources.files("bedside.store") / "migrations" / engine
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.number)
    numbers = [migration.number for migration in found]
    if numbers != list(range(1, len(found) + 1)):
        raise StoreError(f"{engine} migrations are not numbered 1..N without gaps: {numbers}")
    return found
