"""Knowledge-base commands: `bedside ingest`, `index`, `search` and `kb` (stats, show, passage)."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from bedside.cli.common import IndexProgressBar, IngestProgressBar, open_service, print_json
from bedside.domain import Document, DocumentKind
from bedside.index.base import SearchFilters
from bedside.ingest.pipeline import IngestReport
from bedside.service import Service, bundled_cards_path, document_json, passage_json

# -- ingest ----------------------------------------------------------------------------------


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "format_name", help="Reader to use instead of detecting the format.")
@click.option("--strict", is_flag=True, default=None, help="Stop at the first bad document.")
@click.option(
    "--bundled", is_flag=True, help="Also ingest the guideline cards shipped with Bedside."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--no-index", is_flag=True, help="Only store documents; run `bedside index` later.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    format_name: str | None,
    strict: bool | None,
    bundled: bool,
    as_json: bool,
    no_index: bool,
) -> None:
    """Add files, folders or globs to the knowledge base (unchanged content is skipped),
    then bring the search indexes up to date."""
    targets = list(paths) + ([str(bundled_cards_path())] if bundled else [])
    if not targets:
        raise click.UsageError("give at least one PATH, or --bundled")
    with open_service(ctx) as service:
        with IngestProgressBar(enabled=not as_json) as bar:
            report = service.ingest(
                targets, format_name=format_name, strict=strict, progress=bar.update
            )
        if not no_index:
            with IndexProgressBar(enabled=not as_json) as index_bar:
                service.index(progress=index_bar.update)
    if as_json:
        print_json(report.to_json())
    else:
        _print_ingest_summary(report)
    if report.errors:
        sys.exit(1)


def _print_ingest_summary(report: IngestReport) -> None:
    console = Console(soft_wrap=True)
    outcomes = report.outcomes
    console.print(
        f"documents: {outcomes['added']} added, {outcomes['unchanged']} unchanged, "
        f"{outcomes['updated']} updated, {outcomes['deleted']} deleted; "
        f"{report.passages} passages added; {len(report.files)} files"
    )
    if report.skipped:
        console.print("skipped:")
        for reason, count in report.skipped.most_common():
            console.print(f"  {count:>6}  {reason}", markup=False)
    if report.errors:
        console.print(f"[red]{len(report.errors)} error(s):[/red]")
        for error in report.errors:
            console.print(f"  {error}", markup=False)


# -- index / search --------------------------------------------------------------------------


@click.command("index")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def index_command(ctx: click.Context, as_json: bool) -> None:
    """Bring the keyword and vector indexes up to date (embeds only new passages; resumable)."""
    with open_service(ctx) as service, IndexProgressBar(enabled=not as_json) as bar:
        report = service.index(progress=bar.update)
    data = dataclasses.asdict(report)
    if as_json:
        print_json(data)
    else:
        click.echo(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in data.items()))


@click.command()
@click.argument("query", required=False)
@click.option("--k", "k", default=10, show_default=True, help="How many results.")
@click.option("--queries", type=click.File("r"), help="JSONL of {_id, text} (BEIR queries).")
@click.option(
    "--by",
    "by",
    type=click.Choice(["passage", "document"]),
    default="passage",
    show_default=True,
    help="Rank passages, or documents by their best passage.",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([kind.value for kind in DocumentKind]),
)
@click.option("--year-from", type=int)
@click.option("--year-to", type=int)
@click.option("--source", "sources", multiple=True, help="Issuing body or journal (exact).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(
    ctx: click.Context,
    query: str | None,
    k: int,
    queries: Any,
    by: str,
    kinds: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    sources: tuple[str, ...],
    as_json: bool,
) -> None:
    """Search the knowledge base (one QUERY, or a batch with --queries FILE)."""
    if (query is None) == (queries is None):
        raise click.UsageError("give a QUERY or --queries FILE (not both)")
    filters = SearchFilters(kinds=kinds, year_from=year_from, year_to=year_to, sources=sources)
    by_document = by == "document"
    with open_service(ctx, first_use=True) as service:
        if queries is not None:
            _search_batch(service, queries, k=k, filters=filters, by_document=by_document)
            return
        assert query is not None
        results = service.search(query, k=k, filters=filters, by_document=by_document)
    if as_json:
        print_json({"query": query, "results": [result.to_json() for result in results]})
        return
    console = Console(soft_wrap=True)
    if not results:
        console.print("no results")
    for result in results:
        document = result.document
        cite = ", ".join(str(part) for part in (document.source, document.year) if part)
        console.print(f"[bold]{result.hit.rank}. {document.title}[/bold] ({cite})", highlight=False)
        console.print(
            f"   [dim]{result.hit.passage_id} · {document.kind.value} · "
            f"score {result.hit.score:.3f}[/dim]"
        )
        console.print("   " + result.passage.text[:300], markup=False)


def _search_batch(
    service: Service, lines: Any, *, k: int, filters: SearchFilters, by_document: bool
) -> None:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            query_id, text = str(record["_id"]), str(record["text"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise click.ClickException(
                f"{getattr(lines, 'name', 'queries')}:{number}: expected a JSON object with "
                f"'_id' and 'text' ({exc})"
            ) from exc
        hits = service.search_hits(text, k=k, filters=filters, by_document=by_document)
        click.echo(json.dumps({
            "query_id": query_id,
            "hits": [
                {"source_id": hit.source_id, "document_id": hit.document_id,
                 "passage_id": hit.passage_id, "score": round(hit.score, 6), "rank": hit.rank}
                for hit in hits
            ],
        }))  # fmt: skip


# -- kb --------------------------------------------------------------------------------------


@click.group()
def kb() -> None:
    """Inspect the knowledge base."""


@kb.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of documents and passages, by kind and origin."""
    with open_service(ctx, first_use=True, needs_indexes=False) as service:
        stats = service.kb_stats()
        path = service.store.location
    if as_json:
        print_json({"path": path, **dataclasses.asdict(stats)})
        return
    console = Console(soft_wrap=True)
    console.print(f"knowledge base: {path} (schema {stats.schema_version})", markup=False)
    console.print(
        f"{stats.current_documents} current documents ({stats.documents} versions), "
        f"{stats.passages} passages, {(stats.size_bytes or 0) / 1e6:.1f} MB"
    )
    table = Table("origin", "documents")
    for origin, count in stats.documents_by_origin.items():
        table.add_row(origin, str(count))
    console.print(table)
    table = Table("kind", "documents")
    for kind, count in stats.documents_by_kind.items():
        table.add_row(kind, str(count))
    console.print(table)


@kb.command("show")
@click.argument("document")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_show(ctx: click.Context, document: str, as_json: bool) -> None:
    """Show a document (by document id, or by key such as pubmed:29768149) and its passages."""
    with open_service(ctx) as service:
        found, passages = service.get_document(document)
    if as_json:
        print_json(
            {"document": document_json(found), "passages": [passage_json(p) for p in passages]}
        )
        return
    console = Console(soft_wrap=True)
    _print_reference(console, found)
    for passage in passages:
        section = " › ".join(passage.section_path)
        console.print(f"\n[dim]{passage.passage_id}  {section}[/dim]")
        console.print(passage.text, markup=False)


@kb.command("passage")
@click.argument("passage_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_passage(ctx: click.Context, passage_id: str, as_json: bool) -> None:
    """Show one passage with its document's metadata (what a citation resolves to)."""
    with open_service(ctx) as service:
        view = service.get_passage(passage_id)
    if as_json:
        print_json(view.to_json())
        return
    console = Console(soft_wrap=True)
    _print_reference(console, view.document)
    console.print("\n" + " › ".join(view.passage.section_path), style="dim", markup=False)
    console.print(view.passage.text, markup=False)


def _print_reference(console: Console, document: Document) -> None:
    """A document's title and reference fields, as `kb show` and `kb passage` head them."""
    console.print(f"[bold]{document.title}[/bold]")
    for label, value in _reference_lines(document_json(document)):
        console.print(f"  {label:<18} {value}", markup=False)


def _reference_lines(data: dict[str, Any]) -> list[tuple[str, str]]:
    fields = (
        "document_id", "document_key", "version", "status", "kind", "source", "year", "authors",
        "pmid", "pmcid", "doi", "url", "publication_types", "mesh_terms", "licence",
        "passage_count", "ingested_at",
    )  # fmt: skip
    lines = []
    for name in fields:
        value = data.get(name)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = "; ".join(str(item) for item in value[:12]) + (" …" if len(value) > 12 else "")
        lines.append((name, str(value)))
    return lines
