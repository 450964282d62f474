"""Server-rendered HTML pages; each has a JSON twin under `/api` (docs/web.md lists them)."""

from __future__ import annotations

from fastapi import APIRouter

from bedside.web.pages import articles, auth, home, policy, review


def build_pages_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    router.include_router(home.router)
    router.include_router(articles.router)
    router.include_router(policy.router)
    router.include_router(auth.router)
    router.include_router(review.router)
    return router
