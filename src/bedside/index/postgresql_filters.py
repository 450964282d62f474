"""`SearchFilters` as a SQL condition, for the indexes that keep their units in PostgreSQL."""

from __future__ import annotations

from typing import Any

from bedside.index.base import SearchFilters


def filter_sql(filters: SearchFilters | None) -> tuple[str, dict[str, Any]]:
    """An `AND …` condition on the columns kind, year and source (empty when nothing is
    filtered) and its named parameters; the same rules as `SearchFilters.accepts`."""
    if filters is None or filters.is_empty:
        return "", {}
    clauses: list[str] = []
    parameters: dict[str, Any] = {}
    if filters.kinds:
        clauses.append("kind = ANY(%(kinds)s)")
        parameters["kinds"] = list(filters.kinds)
    if filters.year_from is not None:
        clauses.append("year >= %(year_from)s")
        parameters["year_from"] = filters.year_from
    if filters.year_to is not None:
        clauses.append("year <= %(year_to)s")
        parameters["year_to"] = filters.year_to
    if filters.sources:
        clauses.append("lower(source) = ANY(%(sources)s)")
        parameters["sources"] = [source.lower() for source in filters.sources]
    return " AND " + " AND ".join(clauses), parameters
