"""docs/web.md stays true: every route, operation id and error code of the app is documented."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute

from bedside.web.problems import PROBLEM_TYPES

WEB_DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def test_every_route_is_documented(app: FastAPI) -> None:
    text = WEB_DOCS.read_text()
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in route.methods - {"HEAD"}:
            path = re.escape(route.path)
            assert re.search(rf"`{method} {path}(\?[^`]*)?`", text) or (
                method == "POST" and f"`POST {route.path}`" in text
            ), f"{method} {route.path} missing from docs/web.md"
        if route.include_in_schema:
            assert f"`{route.operation_id}`" in text, f"operation {route.operation_id} undocumented"


def test_every_error_code_is_documented() -> None:
    text = WEB_DOCS.read_text()
    for code in PROBLEM_TYPES:
        if code == "bedside_error":
            continue
        assert f"`{code}`" in text, f"error code {code} missing from docs/web.md"
