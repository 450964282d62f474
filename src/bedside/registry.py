"""Name → backend class maps, one per backend kind, filled from entry points.

Built-in backends are declared in our own pyproject.toml exactly as a plugin package would declare
its own (groups `bedside.readers`, `bedside.stores`, ...). Nothing is loaded at import time.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from bedside.errors import ConfigError

GROUPS = {
    "reader": "bedside.readers",
    "store": "bedside.stores",
    "keyword_index": "bedside.keyword_indexes",
    "vector_index": "bedside.vector_indexes",
    "embedder": "bedside.embedders",
    "generator": "bedside.generators",
}


def backend_names(kind: str) -> list[str]:
    """Registered names for one backend kind, sorted."""
    return sorted(entry.name for entry in entry_points(group=_group(kind)))


def load_backend(kind: str, name: str) -> Any:
    """The class registered under `name` for `kind`; a clear error naming the choices if absent."""
    for entry in entry_points(group=_group(kind)):
        if entry.name == name:
            return entry.load()
    choices = ", ".join(backend_names(kind)) or "(none registered)"
    raise ConfigError(f"unknown {kind} backend '{name}'; registered: {choices}")


def load_all(kind: str) -> dict[str, Any]:
    """Every registered backend class of one kind, by name."""
    loaded = {}
    for entry in entry_points(group=_group(kind)):
        try:
            loaded[entry.name] = entry.load()
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"{kind} backend '{entry.name}' ({entry.value}) cannot be loaded: {exc}"
            ) from exc
    return loaded


def _group(kind: str) -> str:
    try:
        return GROUPS[kind]
    except KeyError:
        raise ConfigError(f"unknown backend kind '{kind}'") from None
