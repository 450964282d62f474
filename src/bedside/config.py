"""Settings: one typed object, loaded only at the entry points (CLI, ASGI factory) and passed down.

Values come, highest precedence first, from explicit overrides (CLI flags), `BEDSIDE_*`
environment variables (`__` separates nested sections: `BEDSIDE_INGEST__MAX_PASSAGE_CHARS`), an
optional TOML file, then the defaults below.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from bedside.errors import ConfigError


def default_home() -> Path:
    """The platform's user data directory for Bedside."""
    return Path(platformdirs.user_data_dir("bedside", appauthor=False))


_POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


class StoreSettings(BaseModel):
    """Where and how documents and passages are kept."""

    backend: str = Field(
        default="sqlite",
        description="Store backend, by registered name (entry point group `bedside.stores`): "
        "`sqlite` (one file per knowledge base) or `postgresql` (a schema of a PostgreSQL "
        "database; needs `store.url` and the `postgresql` extra; docs/deployment.md).",
    )
    kb: str = Field(
        default="default",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Knowledge base name; the SQLite store keeps it in `<home>/kb/<kb>.sqlite`, "
        "the PostgreSQL store in the schema `<kb>` of `store.url`'s database (a name past "
        "PostgreSQL's 63 bytes: its first 50 bytes, `_` and 12 hex digits of its sha256).",
    )
    url: SecretStr | None = Field(
        default=None,
        validate_default=True,
        description="PostgreSQL connection URL of the `postgresql` store "
        "(`postgresql://USER@HOST:5432/DBNAME`, any libpq parameter after `?`); a password "
        "may be in it, or in `PGPASSWORD` or a `.pgpass` file. A secret: `config show` masks "
        "it and it is not part of the fingerprint.",
    )
    busy_timeout_ms: int = Field(
        default=10_000,
        ge=0,
        description="How long a SQLite connection waits for a lock held by another process.",
    )
    search_url: SecretStr | None = Field(
        default=None,
        description="Connection URL of a read replica (a hot standby) of `store.url`'s "
        "database, for the web app's searches (`/api/search`): the indexes kept in the "
        "database (`postgresql-fts`, `pgvector`) and the passages found are read there. "
        "Unset: `store.url`. Only for the `postgresql` store; asking, answers, review, "
        "sessions and rate limits stay on `store.url`. A secret, like `store.url`.",
    )

    @field_validator("search_url")
    @classmethod
    def _search_url_fits_the_backend(
        cls, url: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        if url is None:
            return None
        if info.data.get("backend") != "postgresql":
            raise ValueError("is a read replica of the postgresql store; unset it for sqlite")
        if not url.get_secret_value().startswith(_POSTGRESQL_SCHEMES):
            raise ValueError("must start with postgresql:// (or postgres://)")
        return url

    def for_searching(self) -> StoreSettings:
        """These settings with `search_url`, when set, as the URL: where searches read."""
        if self.search_url is None:
            return self
        return self.model_copy(update={"url": self.search_url})

    @field_validator("url")
    @classmethod
    def _url_fits_the_backend(cls, url: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        backend = info.data.get("backend")
        value = url.get_secret_value() if url is not None else None
        if backend == "postgresql":
            if not value:
                raise ValueError(
                    "the postgresql store needs a URL: set store.url (BEDSIDE_STORE__URL) to "
                    "postgresql://USER@HOST:5432/DBNAME"
                )
            if not value.startswith(_POSTGRESQL_SCHEMES):
                raise ValueError("must start with postgresql:// (or postgres://)")
        if backend == "sqlite" and value is not None:
            raise ValueError(
                "is read only by the postgresql store; the sqlite store keeps the knowledge "
                'base in <home>/kb/ (set store.backend = "postgresql" or unset store.url)'
            )
        return url


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


class IndexSettings(BaseModel):
    """How passages are made searchable."""

    keyword: str = Field(
        default="sqlite-fts",
        description="Keyword (BM25) index backend, by registered name (`bedside.keyword_indexes`): "
        "`sqlite-fts` (a file beside the knowledge base), `bm25s` (in memory), or "
        "`postgresql-fts` (in the PostgreSQL store's database, shared by every host).",
    )
    embedder: str = Field(
        default="minilm-onnx",
        description="Embedder backend, by registered name (`bedside.embedders`); `none` turns "
        "dense retrieval off.",
    )
    vectors: str = Field(
        default="hnsw",
        description="Vector index backend, by registered name (`bedside.vector_indexes`): "
        "`hnsw` (exact search below `index.ann_threshold` units, an HNSW graph above it), "
        "`numpy` (always exact) or `pgvector` (pgvector's HNSW index in the PostgreSQL store's "
        "database, shared by every host; docs/deployment.md).",
    )
    ann_threshold: int = Field(
        default=20_000,
        ge=0,
        description="Units (passage windows) from which the `hnsw` vector index searches an "
        "approximate HNSW graph instead of every vector; 0: always the graph. Below it search "
        "is exact (1-2 ms up to 20,000 units, 20-35 ms at 200,000); at or above it, recall@10 "
        "against exact search is 0.999 on SciFact and 0.995 at 200,000 units, under 1 ms a "
        "search (docs/retrieval.md). The graph needs the `ann` extra "
        "(`pip install 'bedside[ann]'`); without it search stays exact.",
    )
    ann_search_list: int | None = Field(
        default=None,
        ge=10,
        le=4096,
        description="Candidate list of a graph search (HNSW `ef`) in the `hnsw` and `pgvector` "
        "vector indexes; unset: each backend's measured default (256 and 200, never under twice "
        "the k asked; pgvector stops at 1,000). Longer lists raise recall at a proportional "
        "cost in latency: on a hard synthetic set of 1M vectors, recall@10 is 0.91 (hnsw) and "
        "0.90 (pgvector) at the defaults and 0.99 at 1,024 (hnsw, 5.6 ms) or 0.98 at 800 "
        "(pgvector, 20 ms); real embeddings up to 200,000 units reach 0.995 at the defaults "
        "(docs/benchmarks.md).",
    )
    window_sentences: int = Field(
        default=3,
        ge=1,
        le=20,
        description="Sentences per dense-index window (each window is embedded with the "
        "document title in front).",
    )
    embed_batch: int = Field(
        default=32, ge=1, le=1024, description="Texts per embedding call while indexing."
    )
    title_weight: float = Field(
        default=1.5,
        ge=0.0,
        description="BM25 weight of the document title relative to the passage text (1.0).",
    )


class RetrieveSettings(BaseModel):
    """How a query becomes ranked passages."""

    fusion: str = Field(
        default="zscore",
        pattern="^(zscore|rrf|keyword|dense)$",
        description="How keyword and dense rankings combine: `zscore` (weighted sum of "
        "standardised scores), `rrf` (reciprocal rank fusion), or one retriever alone.",
    )
    keyword_weight: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Weight of the keyword ranking in fusion; the dense ranking gets the rest.",
    )
    candidates: int = Field(
        default=100, ge=1, le=2000, description="Passages each retriever contributes to fusion."
    )
    rrf_k: int = Field(default=60, ge=1, description="The k constant of reciprocal rank fusion.")
    expand_synonyms: bool = Field(
        default=True,
        description="Add abbreviation and synonym expansions (curated table, card aliases, "
        "MedQuAD synonyms) to queries.",
    )
    rerank: str = Field(
        default="none",
        pattern="^(none|coverage)$",
        description="Rerank stage after fusion: `none` or `coverage` (query-word coverage).",
    )
    rerank_top_n: int = Field(default=30, ge=1, description="How many fused passages to rerank.")
    rerank_weight: float = Field(
        default=0.3, ge=0.0, le=1.0, description="Weight of the rerank signal in the blend."
    )


class AnswerSettings(BaseModel):
    """How a question becomes a verified article or a refusal."""

    generator: str = Field(
        default="extractive",
        description="Generator backend that writes drafts, by registered name "
        "(`bedside.generators`): `extractive` (no language model), `openai-compatible` (a "
        "language model on a server you run) or `llama-cpp` (a GGUF model run in this process, "
        "the `llama` extra); both set up under `language_model`, docs/composer.md.",
    )
    evidence_k: int = Field(
        default=30, ge=1, le=500, description="Passages retrieved as evidence for one question."
    )
    min_topic_coverage: float = Field(
        default=0.34,
        ge=0.0,
        le=1.0,
        description="Weighted share of the question's words (each weighted by how specific it "
        "is in the knowledge base; or of a synonym's words) that the best retrieved passage "
        "must contain; below it the answer is an `insufficient_evidence` refusal. Calibrated "
        "by benchmarks/answers.py.",
    )
    min_card_similarity: float = Field(
        default=0.47,
        ge=0.0,
        le=1.0,
        description="When the topic-coverage gate fails and the question names no card's "
        "condition, the mean similarity (embedder cosine) of the question and a retrieved "
        "card's three nearest statements that still lets the question be answered from that "
        "card. Calibrated on benchmarks/questions.jsonl (docs/benchmarks.md).",
    )
    min_statements: int = Field(
        default=3,
        ge=1,
        description="Verified statements an article needs; fewer and it becomes a refusal.",
    )
    min_paraphrase_overlap: float = Field(
        default=0.75,
        ge=0.5,
        le=1.0,
        description="Share of a reworded statement's content words (one a language model wrote) "
        "that must be its cited passages' own or a listed equivalent, beside the checks that "
        "nothing else changed (numbers, units, negation, populations, drugs, qualifiers, "
        "hedges). Calibrated by benchmarks/paraphrase_support.py (docs/benchmarks.md).",
    )
    min_support_recall: float = Field(
        default=0.9,
        ge=0.5,
        le=1.0,
        description="Share of a statement's content words its cited passage must contain for "
        "the verifier to accept it as supported.",
    )
    concise: bool = Field(
        default=True,
        description="Cut the article to its most relevant statements (at most 14, none below "
        "45% of the best score); `bedside ask --full` and the page's 'full article' link turn "
        "it off for one question.",
    )
    max_sections: int = Field(default=5, ge=1, le=12, description="Most sections in an article.")
    max_bullets: int = Field(default=4, ge=1, le=12, description="Most bullets in a section.")
    related_questions: int = Field(
        default=5, ge=0, le=20, description="Related questions offered with each answer."
    )
    follow_up_questions: int = Field(
        default=4, ge=0, le=20, description="Follow-up questions offered with each answer."
    )
    reuse_stored: bool = Field(
        default=True,
        description="Return the stored answer when the same question is asked again on the "
        "same knowledge base with the same settings.",
    )


# Hosts a model server may be on without `language_model.allow_public_host`: this machine, private
# networks, and names that only resolve inside one (a container's "vllm", "gpu1.internal").
_PRIVATE_SUFFIXES = (".local", ".internal", ".lan", ".home.arpa", ".localdomain")


class LanguageModelSettings(BaseModel):
    """The language model of the `openai-compatible` generator (a server) or the `llama-cpp`
    generator (a GGUF file run in this process); docs/composer.md."""

    base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible server you run (vLLM, llama.cpp server, "
        "Ollama), up to `/v1`: `http://127.0.0.1:8080/v1`. No default: Bedside never calls a "
        "server you did not name. A host outside this machine and private networks is refused "
        "unless `language_model.allow_public_host` is set. Not part of the fingerprint.",
    )
    allow_public_host: bool = Field(
        default=False,
        description="Allow a `base_url` on a public host. Off by default, so that questions "
        "never leave your network by a typo or a copied example.",
    )
    model: str = Field(
        default="",
        description="Model name the server knows (`qwen2.5-1.5b-instruct`); required by the "
        "`openai-compatible` generator.",
    )
    model_path: Path | None = Field(
        default=None,
        description="GGUF file the `llama-cpp` generator loads and runs in this process "
        "(`qwen2.5-1.5b-instruct-q4_k_m.gguf`); required by it. Its file name, not its folder, "
        "joins the fingerprint.",
    )
    threads: int = Field(
        default=0,
        ge=0,
        description="CPU threads the `llama-cpp` generator uses; 0: one per core this process "
        "may run on.",
    )
    context_size: int = Field(
        default=4096,
        ge=512,
        description="Context window of the `llama-cpp` generator, in tokens: the prompt (about "
        "1,000 to 1,500) and the reply (`max_tokens`) must fit in it.",
    )
    api_key_env: str = Field(
        default="",
        description="Name of an environment variable holding the server's API key, if it "
        "needs one (`BEDSIDE_MODEL_KEY`). The key itself is never in settings or the "
        "fingerprint, and never logged.",
    )
    api_key_file: Path | None = Field(
        default=None,
        description="A file holding the server's API key (read when the generator is built); "
        "`api_key_env` wins when both are set.",
    )
    structured_output: str = Field(
        default="json_schema",
        pattern="^(json_schema|json_object)$",
        description="How the answer's JSON shape is asked for: `json_schema` (the schema is "
        "sent as `response_format`, for schema-constrained decoding: vLLM, llama.cpp server, "
        "Ollama) or `json_object` (any JSON, for servers without schema support; what does "
        "not fit the schema is refused after).",
    )
    timeout_ms: int = Field(
        default=30_000, ge=100, description="Longest wait for one reply from the server."
    )
    deadline_ms: int = Field(
        default=60_000,
        ge=100,
        description="Longest time composing may take, retries included; past it the "
        "extractive article is served and the reason recorded.",
    )
    retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Further tries after a failed connection, a timeout or a server error "
        "(429 or 5xx), within the deadline.",
    )
    backoff_ms: int = Field(
        default=500,
        ge=0,
        description="Wait before the first retry; doubled before each further one.",
    )
    temperature: float = Field(
        default=0.0, ge=0.0, le=2.0, description="Sampling temperature sent to the server."
    )
    max_tokens: int = Field(
        default=1500, ge=64, description="Most tokens the model may write for one article."
    )
    min_sentences: int = Field(
        default=3,
        ge=1,
        description="Verified sentences a model-written article needs; fewer and the extractive "
        "article is served instead (the reason recorded).",
    )
    min_kept_share: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="Share of the model's sentences that must pass verification; below it the "
        "model is taken to have drifted from the evidence and the extractive article is served.",
    )

    @field_validator("base_url")
    @classmethod
    def _an_http_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return url.rstrip("/") if url else url

    @model_validator(mode="after")
    def _a_private_host_unless_allowed(self) -> LanguageModelSettings:
        if self.base_url and not self.allow_public_host and not is_private_host(self.base_url):
            raise ValueError(
                f"base_url {self.base_url} is not on this machine or a private network; set "
                "language_model.allow_public_host = true if you mean it"
            )
        return self


def is_private_host(url: str) -> bool:
    """Whether a URL's host is this machine, a private network address, or a name that only a
    private network resolves (a single label, or a private suffix such as `.internal`)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or "." not in host or host.endswith(_PRIVATE_SUFFIXES)
    return address.is_loopback or address.is_private or address.is_link_local


class WebSettings(BaseModel):
    """How `bedside serve` serves the web app and its JSON API."""

    environment: str = Field(
        default="development",
        pattern="^(development|production)$",
        description="`development` or `production`; production refuses a short secret key.",
    )
    host: str = Field(default="127.0.0.1", description="Address `bedside serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `bedside serve` listens on.")
    ask_rate_per_minute: int = Field(
        default=20,
        ge=0,
        description="Questions one client (by IP address) may ask per minute, on the pages and "
        "the API together; more are refused with 429. 0 turns the limit off.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs session cookies. Read from the environment only "
        "(`BEDSIDE_WEB__SECRET_KEY`), never from a settings file. Unset, a random key is "
        "generated on first start and kept, owner-only, in `<home>/secret_key`; never a "
        "constant.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose `X-Forwarded-For` is "
        "believed (for the client address that rate limits key on); empty: none, the socket's "
        "address is the client's. Without this a client could pose as any address.",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Mark cookies `Secure` (sent over HTTPS only); turn on behind TLS.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        description="Worker processes `bedside serve` starts (`--workers`); each composes "
        "answers on its own, and they share the knowledge base, its sessions and its rate "
        "limits through the database (docs/deployment.md).",
    )
    store_connections: int = Field(
        default=8,
        ge=1,
        description="Store connections each worker keeps for reads and editorial writes, so "
        "that stored answers, article pages and review actions run side by side (composing "
        "and searching have their own); more requests than this wait for one to be free.",
    )
    compose_processes: int = Field(
        default=0,
        ge=0,
        description="Processes each worker composes new answers in, each with its own copy of "
        "the model and indexes and one question at a time, out of reach of the worker's reading "
        "threads and their Python interpreter lock. 0: the worker composes in its own threads, "
        "one question at a time. Off by default: on a 2-core machine 1 process raised "
        "throughput and 2 halved the new-question wait but slowed stored answers, each with "
        'another copy of the model and indexes (docs/benchmarks.md, "Web load").',
    )

    @model_validator(mode="after")
    def _refuse_a_short_secret(self) -> WebSettings:
        key = self.secret_key.get_secret_value() if self.secret_key is not None else None
        if self.environment != "development" and key is not None and len(key) < 32:
            raise ValueError("web.secret_key must be at least 32 characters in production")
        return self


# Per generator, the `language_model` settings its answers' fingerprint leaves out: the
# extractive generator reads none of them; a server's generator, where the server is and who may
# call it, and the in-process settings (added later: leaving them out changed no fingerprint);
# the in-process generator, everything about a server.
_IN_PROCESS_ONLY = {"model_path", "threads", "context_size"}
_SERVER_UNHASHED = {"base_url", "api_key_env", "api_key_file", *_IN_PROCESS_ONLY}
_MODEL_SETTINGS_UNHASHED: dict[str, bool | set[str]] = {
    "extractive": True,
    "llama-cpp": {
        "base_url",
        "allow_public_host",
        "api_key_env",
        "api_key_file",
        "model",
        "timeout_ms",
        "retries",
        "backoff_ms",
    },
}

# The `store` section as every fingerprint hashes it, whatever the store (see `fingerprint`).
_STORE_AS_HASHED = {"backend": "sqlite", "kb": "default", "busy_timeout_ms": 10_000}


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
    index: IndexSettings = Field(
        default_factory=IndexSettings, description="Keyword and vector indexes."
    )
    retrieve: RetrieveSettings = Field(
        default_factory=RetrieveSettings, description="Query expansion, fusion and reranking."
    )
    answer: AnswerSettings = Field(
        default_factory=AnswerSettings,
        description="Composing, verifying and storing answers.",
    )
    language_model: LanguageModelSettings = Field(
        default_factory=LanguageModelSettings,
        description="The language model of the `openai-compatible` and `llama-cpp` generators.",
    )
    web: WebSettings = Field(
        default_factory=WebSettings, description="The web app and its JSON API."
    )

    def kb_path(self) -> Path:
        """The SQLite file of the selected knowledge base."""
        return self.home / "kb" / f"{self.store.kb}.sqlite"

    def index_dir(self) -> Path:
        """The folder of the selected knowledge base's indexes (derived data, rebuildable)."""
        return self.home / "kb" / f"{self.store.kb}.index"

    def fingerprint(self) -> str:
        """A stable hash of the settings that change results (paths, the store and serving
        excluded)."""
        # The store says where and how records are kept, never what an answer says: each engine
        # reads back what was written, byte for byte, and the knowledge base's content has its
        # own hash (`kb_version`) on every answer. So answers copied to another engine
        # (`bedside db copy`) are reused there (decision 0012). It is hashed as the constant a
        # default install hashed before, so that no existing fingerprint changes (a changed one
        # would put every approved article back in the review queue as a revision).
        # The model server's URL and key say where and who, not what; and the extractive
        # generator reads none of the model's settings, so they do not move its answers'
        # fingerprint.
        exclude: dict[str, Any] = {"home": True, "web": True, "store": True}
        exclude["language_model"] = _MODEL_SETTINGS_UNHASHED.get(
            self.answer.generator, _SERVER_UNHASHED
        )
        data = self.model_dump(mode="json", exclude=exclude)
        if data["index"]["ann_search_list"] is None:
            # Added after answers were stored: unset, it is hashed as it was before it existed.
            del data["index"]["ann_search_list"]
        data["store"] = _STORE_AS_HASHED
        if self.answer.generator == "llama-cpp" and self.language_model.model_path:
            # Which weights, not where they are kept: a moved file answers as before.
            data["language_model"]["model_path"] = self.language_model.model_path.name
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
        if "secret_key" in (file_values.get("web") or {}):
            raise ConfigError(
                f"{config_file}: web.secret_key is read from the environment only "
                "(BEDSIDE_WEB__SECRET_KEY), never from a settings file"
            )
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


def settings_reference() -> str:
    """docs/settings.md: every setting with its variable, default and description."""
    lines = [
        "# Settings",
        "",
        "One typed object, `bedside.config.Settings`, loaded only at the entry points. Sources,",
        "highest precedence first: command-line flags (`--home`, `--kb`), `BEDSIDE_*` environment",
        "variables (`__` separates sections: `BEDSIDE_INGEST__MAX_PASSAGE_CHARS=1500`), a TOML",
        "file given with `--config`, then the defaults. `bedside config show` prints the effective",
        "settings and their fingerprint (a hash of everything but paths and the `store` and `web`",
        "sections).",
        "",
        "<!-- generated: bedside config docs > docs/settings.md (tests/test_docs.py checks) -->",
        "",
        "| setting | environment variable | default | description |",
        "| --- | --- | --- | --- |",
    ]
    lines += _reference_rows(Settings, "")
    return "\n".join(lines) + "\n"


def _reference_rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        path = prefix + name
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows += _reference_rows(annotation, path + ".")
            continue
        if path == "home":
            default = "the platform's user data dir"
        elif isinstance(field.default, SecretStr):
            default = "a development-only key"
        else:
            default = f"`{field.default!r}`"
        variable = "BEDSIDE_" + path.upper().replace(".", "__")
        rows.append(f"| `{path}` | `{variable}` | {default} | {field.description} |")
    return rows
