"""JSON routers under `/api`; every route has a stable operation id."""

from __future__ import annotations

from fastapi import APIRouter

from bedside.web.api import answers, knowledge, meta, review
from bedside.web.schemas import problem_responses


def build_api_router() -> APIRouter:
    router = APIRouter(prefix="/api", responses=problem_responses(422, 500))
    router.include_router(answers.router)
    router.include_router(knowledge.router)
    router.include_router(review.router)
    router.include_router(meta.router)
    return router
