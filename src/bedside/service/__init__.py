"""The application layer: what the CLI (and later the web app) ask Bedside to do.

A `Service` is built once from `Settings` at an entry point, owns the store connection, and is
closed when the entry point is done with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, cast

from bedside import registry
from bedside.analyse.frame import ConditionVocabulary
from bedside.analyse.scope import bundled_clinical_terms
from bedside.compose.article import answer_from_json
from bedside.compose.base import Generator
from bedside.config import Settings
from bedside.domain import (
    Answer,
    Audience,
    Document,
    DocumentKind,
    Hit,
    KbStats,
    Passage,
    ReviewStatus,
)
from bedside.errors import InputError, NotFoundError
from bedside.index.base import KeywordIndex, SearchFilters, Vector, VectorIndex
from bedside.index.builder import ProgressCallback as IndexProgressCallback
from bedside.index.builder import SyncReport, sync_indexes
from bedside.index.embedders.base import Embedder
from bedside.index.sqlite_file import keyword_index_file, vector_index_file
from bedside.index.sqlite_fts import STOPWORDS as KEYWORD_STOPWORDS
from bedside.ingest.pipeline import Ingester, IngestReport, ProgressCallback
from bedside.ingest.readers.base import Reader
from bedside.retrieve.hybrid import HybridRetriever, RetrievalOptions
from bedside.retrieve.rerank import CoverageReranker, Reranker
from bedside.retrieve.synonyms import SynonymTable, curated_table
from bedside.review.accounts import User
from bedside.review.events import AuditEvent
from bedside.review.sessions import LiveSession, SessionInfo
from bedside.review.workflow import Action, Publication, Role
from bedside.service import reviewing
from bedside.service.asking import ask, stored_answer
from bedside.store.base import Store

_MAX_TEXT_VECTORS = 20_000


def bundled_cards_path() -> Path:
    """The folder of guideline cards shipped inside the package."""
    return Path(str(resources.files("bedside") / "cards"))


def build_store(settings: Settings) -> Store:
    """The store backend named in settings, opened (and migrated)."""
    store_class = registry.load_backend("store", settings.store.backend)
    store: Store = store_class.from_settings(settings)
    store.open()
    return store


def store_location(settings: Settings) -> str:
    """Where the store named in settings keeps the knowledge base (nothing is opened)."""
    store_class = registry.load_backend("store", settings.store.backend)
    location: str = store_class.from_settings(settings).location
    return location


def build_readers() -> dict[str, Reader]:
    return {name: reader_class() for name, reader_class in registry.load_all("reader").items()}


@dataclass(frozen=True, slots=True)
class PassageView:
    """A passage with the metadata of its document: what a citation resolves to."""

    passage: Passage
    document: Document

    def to_json(self) -> dict[str, Any]:
        return {"passage": passage_json(self.passage), "document": document_json(self.document)}


def build_embedder(settings: Settings) -> Embedder | None:
    """The embedder named in settings, opened; None when dense retrieval is off."""
    name = settings.index.embedder
    if name == "none":
        return None
    embedder_class = registry.load_backend("embedder", name)
    embedder: Embedder = embedder_class.from_settings(settings)
    embedder.open()
    return embedder


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A hit with the passage text and its document's reference metadata."""

    hit: Hit
    passage: Passage
    document: Document

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.hit.rank,
            "score": round(self.hit.score, 6),
            "passage_id": self.hit.passage_id,
            "document_id": self.hit.document_id,
            "source_id": self.document.source_id,
            "document_key": self.document.document_key,
            "title": self.document.title,
            "kind": self.document.kind.value,
            "source": self.document.source,
            "year": self.document.year,
            "section_path": list(self.passage.section_path),
            "text": self.passage.text,
        }


class Service:
    """Bedside's use cases, over one knowledge base."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self.store = store if store is not None else build_store(settings)
        self._keyword: KeywordIndex | None = None
        self._vectors: VectorIndex | None = None
        self._embedder: Embedder | None = None
        self._embedder_loaded = False
        self._retriever: HybridRetriever | None = None
        self._synonyms: SynonymTable | None = None
        self._generator: Generator | None = None
        self._clinical_terms: frozenset[str] | None = None
        self._cards: dict[str, list[Document]] | None = None
        self._labels: dict[str, list[Document]] | None = None
        self._term_weights: dict[str, float] = {}
        self._frequencies: dict[str, int] = {}
        self._unit_count: int | None = None
        self._conditions: ConditionVocabulary | None = None
        # Passage text → its embedding, for ranking statements against a question. Card
        # statements are few and asked about again and again; bounded by `_MAX_TEXT_VECTORS`.
        self._text_vectors: dict[str, Vector] = {}

    def close(self) -> None:
        for index in (self._keyword, self._vectors):
            if index is not None:
                index.close()
        # A generator that loads a model in this process frees it (`LlamaCppGenerator`).
        close_generator = getattr(self._generator, "close", None)
        if close_generator is not None:
            close_generator()
        self.store.close()

    # -- indexes -----------------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder | None:
        if not self._embedder_loaded:
            self._embedder = build_embedder(self.settings)
            self._embedder_loaded = True
        return self._embedder

    @property
    def keyword_index(self) -> KeywordIndex:
        if self._keyword is None:
            index_class = registry.load_backend("keyword_index", self.settings.index.keyword)
            self._keyword = index_class.from_settings(self.settings)
            self._keyword.open()
        return self._keyword

    @property
    def vector_index(self) -> VectorIndex | None:
        embedder = self.embedder
        if embedder is None:
            return None
        if self._vectors is None:
            index_class = registry.load_backend("vector_index", self.settings.index.vectors)
            self._vectors = index_class.from_settings(
                self.settings,
                vector_set=self._vector_set(embedder.name, embedder.version),
                dimensions=embedder.dimensions,
            )
            self._vectors.open()
        return self._vectors

    def _vector_set(self, embedder_name: str, embedder_version: str) -> str:
        # One set of vectors per embedder version and window size: vectors of another version
        # are never mixed in.
        window = self.settings.index.window_sentences
        return f"{embedder_name}-v{embedder_version}-w{window}"

    def missing_indexes(self) -> list[str]:
        """Indexes the settings call for that are not built yet, by name: a file that does not
        exist (nothing is opened), or an index kept in the store's database that holds nothing."""
        missing = []
        keyword_class = registry.load_backend("keyword_index", self.settings.index.keyword)
        if getattr(keyword_class, "keeps_file", True):
            if not keyword_index_file(self.settings).exists():
                missing.append(keyword_index_file(self.settings).name)
        elif cast(Any, self.keyword_index).is_empty():  # such an index says if it is built
            missing.append(f"the {keyword_class.name} index in the store's database")
        if self.settings.index.embedder != "none":
            embedder_class = registry.load_backend("embedder", self.settings.index.embedder)
            vector_class = registry.load_backend("vector_index", self.settings.index.vectors)
            vector_set = self._vector_set(embedder_class.name, embedder_class.version)
            if getattr(vector_class, "keeps_file", True):
                path = vector_index_file(self.settings, vector_set)
                if not path.exists():
                    missing.append(path.name)
            elif not vector_class.is_built(self.settings, vector_set=vector_set):
                # (asked without loading the embedder, which the index's dimensions come from)
                missing.append(f"the {vector_class.name} index in the store's database")
        return missing

    def index(self, *, progress: IndexProgressCallback | None = None) -> SyncReport:
        """Bring the keyword and vector indexes up to date with the knowledge base."""
        self._retriever = None
        self._synonyms = self._clinical_terms = self._cards = self._unit_count = None
        self._conditions = self._labels = None
        self._term_weights = {}
        self._frequencies = {}
        return sync_indexes(
            store=self.store,
            keyword=self.keyword_index,
            vectors=self.vector_index,
            embedder=self.embedder,
            window_sentences=self.settings.index.window_sentences,
            batch_size=self.settings.index.embed_batch,
            progress=progress,
        )

    # -- search ------------------------------------------------------------------------------

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            retrieve = self.settings.retrieve
            fusion = retrieve.fusion if self.embedder is not None else "keyword"
            reranker: Reranker | None = None
            if retrieve.rerank == "coverage":
                reranker = CoverageReranker(
                    self.store, top_n=retrieve.rerank_top_n, weight=retrieve.rerank_weight
                )
            self._retriever = HybridRetriever(
                keyword=self.keyword_index,
                vectors=self.vector_index,
                embedder=self.embedder,
                synonyms=self.synonym_table(),
                reranker=reranker,
                options=RetrievalOptions(
                    fusion=fusion,
                    keyword_weight=retrieve.keyword_weight,
                    candidates=retrieve.candidates,
                    rrf_k=retrieve.rrf_k,
                    expand_synonyms=retrieve.expand_synonyms,
                ),
            )
        return self._retriever

    def synonym_table(self) -> SynonymTable:
        """Curated abbreviations plus the synonyms the knowledge base gives (built once)."""
        if self._synonyms is None:
            self._synonyms = self._build_synonym_table()
        return self._synonyms

    def _build_synonym_table(self) -> SynonymTable:
        groups: list[list[str]] = []
        for document in self.store.iter_current_documents(origins=("card", "medquad")):
            extra = document.extra
            if document.origin == "card":
                groups.append([str(extra.get("card_title", "")), *extra.get("aliases", [])])
            else:
                groups.append([str(extra.get("focus", "")), *extra.get("synonyms", [])])
        return curated_table(groups)

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        by_document: bool = False,
    ) -> list[SearchResult]:
        hits = self.retriever.search(query, k=k, filters=filters, by_document=by_document)
        return [self._result(hit) for hit in hits]

    def search_hits(
        self,
        query: str,
        *,
        k: int = 10,
        filters: SearchFilters | None = None,
        by_document: bool = False,
    ) -> list[Hit]:
        """Hits only (no passage text): what batch evaluation needs, at the least cost."""
        return self.retriever.search(query, k=k, filters=filters, by_document=by_document)

    def _result(self, hit: Hit) -> SearchResult:
        return SearchResult(
            hit, self.store.get_passage(hit.passage_id), self.store.get_document(hit.document_id)
        )

    # -- answers ------------------------------------------------------------------------------

    @property
    def generator(self) -> Generator:
        if self._generator is None:
            generator_class = registry.load_backend("generator", self.settings.answer.generator)
            self._generator = generator_class.from_settings(self.settings)
        return self._generator

    @generator.setter
    def generator(self, generator: Generator) -> None:
        self._generator = generator

    def clinical_terms(self) -> frozenset[str]:
        """Terms the knowledge base itself treats as clinical (synonyms, aliases, topics)."""
        if self._clinical_terms is None:
            table = self.synonym_table()
            self._clinical_terms = frozenset(
                term.lower() for group in table.groups for term in group if len(term) > 2
            )
        return self._clinical_terms

    def term_weight(self, word: str, *, is_name: bool = False) -> float:
        """How specific `word` is in this knowledge base: its inverse document frequency.

        A clinical word (bundled vocabulary or the knowledge base's synonyms) weighs its IDF,
        or the highest weight if the knowledge base lacks it ("pancreatitis"), so a question
        about it cannot pass the evidence gate on its common words alone. Any other word is
        framing or lay filler ("happen", "boxes"): a quarter of that — unless `is_name` (it was
        capitalised mid-sentence, like "Kawasaki"), when it counts like a clinical word. A stop
        word weighs nothing.
        """
        word = word.lower()
        weight = self._term_weights.get(word)
        if weight is None:
            weight = self._term_weights[word] = self._inverse_document_frequency(word)
        if is_name or self.is_clinical_term(word):
            return weight
        return weight / 4

    def _inverse_document_frequency(self, word: str) -> float:
        """IDF over the keyword index's units; a word the index lacks gets the ceiling."""
        if self._unit_count is None:
            self._unit_count = len(self.keyword_index.unit_ids())
        if word in KEYWORD_STOPWORDS:
            return 0.0
        frequency = self.document_frequency(word)
        if frequency > 0:
            return math.log((self._unit_count + 1) / (frequency + 0.5))
        return math.log(2 * self._unit_count + 2)

    def document_frequency(self, text: str) -> int:
        """Units of the keyword index holding every word of `text`; cached until `index()`."""
        frequency = self._frequencies.get(text)
        if frequency is None:
            frequency = self._frequencies[text] = self.keyword_index.document_frequency(text)
        return frequency

    def is_clinical_term(self, word: str) -> bool:
        """Whether `word` is in the bundled clinical vocabulary or the knowledge base's synonyms."""
        word = word.lower()
        return word in bundled_clinical_terms() or word in self.clinical_terms()

    def condition_vocabulary(self) -> ConditionVocabulary:
        """Condition names of the knowledge base's guideline cards (titles, ids, aliases)."""
        if self._conditions is None:
            cards = []
            together: dict[str, list[list[str]]] = {}
            for card_id, documents in sorted(self._card_index().items()):
                extra = documents[0].extra
                aliases = [str(alias) for alias in extra.get("aliases", [])]
                cards.append((card_id, str(extra.get("card_title", "")), aliases))
                together[card_id] = [
                    [str(word) for word in group] for group in extra.get("named_together", [])
                ]
            self._conditions = ConditionVocabulary.from_cards(cards, together)
        return self._conditions

    def passage_vectors(self, passages: Sequence[Passage]) -> dict[str, Vector]:
        """Each passage's embedding, by passage id (empty without an embedder); cached by text."""
        embedder = self.embedder
        if embedder is None or not passages:
            return {}
        if len(self._text_vectors) > _MAX_TEXT_VECTORS:
            self._text_vectors.clear()
        missing = list(dict.fromkeys(p.text for p in passages if p.text not in self._text_vectors))
        if missing:
            self._text_vectors.update(zip(missing, embedder.embed(missing), strict=True))
        return {p.passage_id: self._text_vectors[p.text] for p in passages}

    def similarities(self, text: str, passages: Sequence[Passage]) -> dict[str, float]:
        """Cosine similarity of `text` and each passage, by passage id (empty if no embedder).

        `text` is embedded once and cached like the passages: one question is compared with
        several cards' statements, then with its evidence.
        """
        vectors = self.passage_vectors(passages)
        if not vectors or self.embedder is None:
            return {}
        if text not in self._text_vectors:
            self._text_vectors[text] = self.embedder.embed([text])[0]
        query = self._text_vectors[text]
        return {passage_id: float(vector @ query) for passage_id, vector in vectors.items()}

    def text_similarities(self, text: str, texts: Sequence[str]) -> list[float]:
        """Cosine similarity of `text` and each of `texts` (sentences of a source that is not
        a card, whose passages are too long for one similarity to rank their sentences);
        empty without an embedder."""
        if self.embedder is None or not texts:
            return []
        if text not in self._text_vectors:
            self._text_vectors[text] = self.embedder.embed([text])[0]
        query = self._text_vectors[text]
        return [float(vector @ query) for vector in self.embedder.embed(list(texts))]

    def _card_index(self) -> dict[str, list[Document]]:
        """card id → the card's current documents (one per source), read once."""
        if self._cards is None:
            cards: dict[str, list[Document]] = {}
            for document in self.store.iter_current_documents(origins=("card",)):
                cards.setdefault(str(document.card_id), []).append(document)
            self._cards = cards
        return self._cards

    def drug_labels(self, name: str) -> list[Document]:
        """The current drug labels of a medicine, by brand or generic name (lower case)."""
        if self._labels is None:
            self._labels = self._label_index()
        return self._labels.get(name.lower(), [])

    def drug_label_names(self) -> frozenset[str]:
        """Every brand and generic name a drug label in the knowledge base carries."""
        if self._labels is None:
            self._labels = self._label_index()
        return frozenset(self._labels)

    def _label_index(self) -> dict[str, list[Document]]:
        """brand or generic name → drug-label documents, read once. A collection (origin)
        holds one kind of document, so one whose first document is not a label is skipped
        after reading that one."""
        index: dict[str, list[Document]] = {}
        for origin in self.store.stats().documents_by_origin:
            for document in self.store.iter_current_documents(origins=(origin,)):
                if document.kind is not DocumentKind.DRUG_LABEL:
                    break
                names = {
                    str(name).lower()
                    for key in ("brand_names", "generic_names")
                    for name in document.extra.get(key, ())
                }
                for name in names:
                    index.setdefault(name, []).append(document)
        return index

    def card_documents(self, card_id: str) -> list[Document]:
        """The current documents of one bundled or custom guideline card."""
        return self._card_index().get(card_id, [])

    def card_titles(self) -> dict[str, str]:
        """card id → the card's title, for every current card."""
        return {
            card_id: str(documents[0].extra.get("card_title", ""))
            for card_id, documents in self._card_index().items()
        }

    def card_passages(self, card_id: str) -> list[Passage]:
        """Every passage (statement) of one card, over all its documents."""
        return [
            passage
            for document in self.card_documents(card_id)
            for passage in self.store.list_passages(document.document_id)
        ]

    def ask(
        self,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        follow_up_of: str | None = None,
        fresh: bool = False,
        full: bool = False,
    ) -> Answer:
        """A verified article for `question`, or a typed refusal; stored and returned."""
        return ask(
            self, question, audience=audience, follow_up_of=follow_up_of, fresh=fresh, full=full
        )

    def stored_answer(
        self,
        question: str,
        *,
        audience: Audience = Audience.CLINICIAN,
        follow_up_of: str | None = None,
        full: bool = False,
        generator: Generator | None = None,
    ) -> Answer | None:
        """The answer `ask` would serve without composing (None: it would compose one), read
        from the store alone. `generator`: the one whose answers count (default: this
        service's), for a service that only reads on behalf of another that composes."""
        return stored_answer(
            self.store,
            self.settings,
            generator if generator is not None else self.generator,
            question,
            audience=audience,
            follow_up_of=follow_up_of,
            full=full,
        )

    def get_answer(self, answer_id: str) -> Answer:
        return answer_from_json(self.store.get_answer(answer_id))

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def ingest(
        self,
        paths: Sequence[str],
        *,
        format_name: str | None = None,
        strict: bool | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        ingester = Ingester(
            store=self.store,
            readers=build_readers(),
            settings=self.settings.ingest,
            progress=progress,
        )
        return ingester.ingest(
            paths,
            format_name=format_name,
            strict=self.settings.ingest.strict if strict is None else strict,
        )

    def kb_stats(self) -> KbStats:
        return self.store.stats()

    def get_document(self, document_ref: str) -> tuple[Document, list[Passage]]:
        """A document by id, or the current version of a source by key (`pubmed:123`)."""
        document_id = document_ref
        if not document_ref.startswith("doc_"):
            current = self.store.current_document_id(document_ref)
            if current is None:
                raise NotFoundError(f"no document with id or key {document_ref!r}")
            document_id = current
        return self.store.get_document(document_id), self.store.list_passages(document_id)

    def get_passage(self, passage_id: str) -> PassageView:
        passage = self.store.get_passage(passage_id)
        return PassageView(passage, self.store.get_document(passage.document_id))

    # -- review (use cases in service/reviewing.py) -----------------------------------------------

    def add_user(self, username: str, password: str, role: Role) -> User:
        """Create a review board account (the password is kept only as an argon2id hash)."""
        return reviewing.add_user(self, username, password, role)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user these credentials belong to, or None."""
        return reviewing.authenticate(self, username, password)

    def list_users(self) -> list[User]:
        return reviewing.list_users(self)

    def purge_answers(self, *, older_than_days: int) -> int:
        """Delete unreviewed articles and refusals older than `older_than_days` (the retention
        period in the editorial policy); the number deleted."""
        if older_than_days < 1:
            raise InputError("keep answers at least 1 day", where="older_than_days")
        before = datetime.now(UTC) - timedelta(days=older_than_days)
        return self.store.purge_answers(created_before=before.isoformat(timespec="seconds"))

    def start_session(self, user: User) -> tuple[str, str]:
        """Sign `user` in: a new session's cookie token and CSRF token."""
        return reviewing.start_session(self, user)

    def resume_session(self, token: str) -> LiveSession | None:
        """The signed-in session a cookie token names, if it still stands."""
        return reviewing.resume_session(self, token)

    def end_sessions(self, username: str) -> int:
        """End every sign-in session of a board member now; how many were live."""
        return reviewing.end_sessions(self, username)

    def list_sessions(self, username: str) -> list[SessionInfo]:
        """A board member's sessions that still stand, newest first."""
        return reviewing.list_sessions(self, username)

    def set_user_disabled(self, username: str, *, disabled: bool) -> None:
        """Disable or enable an account (disabling ends its sessions)."""
        reviewing.set_disabled(self, username, disabled=disabled)

    def change_password(self, username: str, password: str) -> None:
        """Set a new password (ending every session)."""
        reviewing.change_password(self, username, password)

    def change_role(self, username: str, role: Role) -> None:
        """Give a board member another role (ending every session)."""
        reviewing.change_role(self, username, role)

    def review_queue(self, status: ReviewStatus | None = None) -> list[Answer]:
        """Articles awaiting review (default: every open status), oldest first."""
        return reviewing.review_queue(self, status)

    def transition(
        self,
        answer_id: str,
        action: Action,
        *,
        user: User,
        note: str = "",
        publication: Publication | None = None,
    ) -> Answer:
        """Take a review action on an article; `WorkflowError` if the role or status forbids it.
        Approving needs the editor's `publication` (title, question, no personal data)."""
        return reviewing.transition_answer(
            self, answer_id, action, user=user, note=note, publication=publication
        )

    def assign(self, answer_id: str, *, assignee: str, user: User, note: str = "") -> AuditEvent:
        """Give an open article to a board member (reviewers may take work only for themselves)."""
        return reviewing.assign_answer(self, answer_id, assignee=assignee, user=user, note=note)

    def assignee(self, answer_id: str) -> str | None:
        """Who the article is assigned to, if anyone."""
        return self.store.assignee_of(answer_id)

    def comment(self, answer_id: str, *, user: User, note: str) -> AuditEvent:
        """Leave a note in an article's audit log (any status)."""
        return reviewing.comment_on_answer(self, answer_id, user=user, note=note)

    def audit_log(self, subject_id: str) -> list[AuditEvent]:
        """Every review event of an answer or a card, oldest first."""
        return reviewing.audit_log(self, subject_id)

    def card_statuses(self) -> dict[str, str]:
        """Each guideline card's review status, by card id (a `draft` card is `submitted`)."""
        return reviewing.card_statuses(self)

    def transition_card(
        self, card_id: str, action: Action, *, user: User, note: str = ""
    ) -> ReviewStatus:
        """Take a review action on a guideline card; returns its new status."""
        return reviewing.transition_card(self, card_id, action, user=user, note=note)


def document_json(document: Document) -> dict[str, Any]:
    return {
        "document_id": document.document_id,
        "document_key": document.document_key,
        "origin": document.origin,
        "source_id": document.source_id,
        "version": document.version,
        "status": document.status.value,
        "kind": document.kind.value,
        "title": document.title,
        "source": document.source,
        "year": document.year,
        "authors": list(document.authors),
        "pmid": document.pmid,
        "pmcid": document.pmcid,
        "doi": document.doi,
        "url": document.url,
        "publication_types": list(document.publication_types),
        "mesh_terms": list(document.mesh_terms),
        "licence": document.licence,
        "language": document.language,
        "extra": document.extra,
        "content_hash": document.content_hash,
        "path": document.path,
        "passage_count": document.passage_count,
        "ingested_at": document.ingested_at.isoformat(),
        "superseded_by": document.superseded_by,
    }


def passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "passage_id": passage.passage_id,
        "document_id": passage.document_id,
        "ordinal": passage.ordinal,
        "section_path": list(passage.section_path),
        "page": passage.page,
        "char_start": passage.char_start,
        "char_end": passage.char_end,
        "text": passage.text,
        "question": passage.question,
    }
