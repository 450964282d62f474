"""Settings: one typed object, loaded only at the entry points (CLI, ASGI factory) and passed down.

Values come, highest precedence first, from explicit overrides (CLI flags), `BEDSIDE_*`
environment variables (`__` separates nested sections: `BEDSIDE_INGEST__MAX_PASSAGE_CHARS`), an
optional TOML file, then the defaults below.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bedside.errors import ConfigError


def default_home() -> Path:
    """The platform's user data directory for Bedside."""
    return Path(platformdirs.user_data_dir("bedside", appauthor=False))


class StoreSettings(BaseModel):
    """Where and how documents and passages are kept."""

    backend: str = Field(
        default="sqlite",
        description="Store backend, by registered name (entry point group `bedside.stores`).",
    )
    kb: str = Field(
        default="default",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Knowledge base name; the SQLite store keeps it in `<home>/kb/<kb>.sqlite`.",
    )
    busy_timeout_ms: int = Field(
        default=10_000,
        ge=0,
        description="How long a SQLite connection waits for a lock held by another process.",
    )


class IngestSettings(BaseModel):
    """How files become documents and passages."""

    max_passage_chars: int = Field(
        default=1000,
        ge=200,
        le=20_000,
        description="Upper bound on a passage's length; passages end at sentence boundaries "
        "unless one sentence is longer than this.",
    )
    min_passage_chars: int = Field(
        default=200,
        ge=0,
        description="A trailing piece of a section shorter than this is merged into the "
        "previous passage of the same section rather than stored alone.",
    )
    strict: bool = Field(
        default=False,
        description="Stop at the first document that cannot be read, instead of reporting "
        "and skipping it.",
    )
    max_file_bytes: int = Field(
        default=2_000_000_000,
        ge=1,
        description="Files larger than this are refused rather than read.",
    )


class Settings(BaseSettings):
    """Every setting Bedside reads. Each field is documented in docs/settings.md."""

    model_config = SettingsConfigDict(
        env_prefix="BEDSIDE_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    home: Path = Field(
        default_factory=default_home,
        description="Data directory holding knowledge bases and other state; the platform's "
        "user data directory unless set (`BEDSIDE_HOME` or `--home`).",
    )
    store: StoreSettings = Field(
        default_factory=StoreSettings, description="Store backend and knowledge base."
    )
    ingest: IngestSettings = Field(
        default_factory=IngestSettings, description="Reading and chunking of source files."
    )

    def kb_path(self) -> Path:
        """The SQLite file of the selected knowledge base."""
        return self.home / "kb" / f"{self.store.kb}.sqlite"

    def fingerprint(self) -> str:
        """A stable hash of the settings that change results (paths excluded)."""
        data = self.model_dump(mode="json", exclude={"home"})
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def load_settings(
    *, config_file: Path | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """Build `Settings` from a TOML file, the environment and explicit overrides."""
    file_values: dict[str, Any] = {}
    if config_file is not None:
        try:
            file_values = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"{config_file}: cannot read settings file: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: invalid TOML: {exc}") from exc
    try:
        from_env_and_defaults = Settings()
        merged = _deep_merge(
            from_env_and_defaults.model_dump(exclude_unset=True),
            file_values,
            prefer_first=True,
        )
        merged = _deep_merge(overrides or {}, merged, prefer_first=True)
        return Settings(**merged)
    except ValidationError as exc:
        raise ConfigError(_describe_validation_error(exc)) from exc


def _deep_merge(
    first: dict[str, Any], second: dict[str, Any], *, prefer_first: bool
) -> dict[str, Any]:
    merged = dict(second)
    for key, value in first.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(value, merged[key], prefer_first=prefer_first)
        elif prefer_first or key not in merged:
            merged[key] = value
    return merged


def _describe_validation_error(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        field_name = ".".join(str(part) for part in error["loc"])
        problems.append(f"setting '{field_name}': {error['msg']}")
    return "invalid settings: " + "; ".join(problems)
