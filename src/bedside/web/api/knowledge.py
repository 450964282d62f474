"""The knowledge base: passages (what citations resolve to), search and topics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from bedside.web.api.conversions import passage_public, search_result_public
from bedside.web.deps import ServiceDep
from bedside.web.schemas import (
    PassagePublic,
    SearchResults,
    TopicList,
    TopicPublic,
    problem_responses,
)

router = APIRouter(tags=["knowledge base"])


@router.get(
    "/passages/{passage_id}",
    operation_id="get_passage",
    response_model=PassagePublic,
    responses=problem_responses(404),
)
def get_passage(passage_id: str, service: ServiceDep) -> PassagePublic:
    """One passage's text with its document's reference facts."""
    return passage_public(service.get_passage(passage_id))


@router.get("/search", operation_id="search", response_model=SearchResults)
def search(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="The query.")],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 10,
) -> SearchResults:
    """Hybrid (keyword + dense) search over the knowledge base's passages."""
    results = service.search(q, k=k)
    return SearchResults(query=q, results=[search_result_public(result) for result in results])


@router.get("/topics", operation_id="list_topics", response_model=TopicList)
def list_topics(service: ServiceDep) -> TopicList:
    """The guideline cards: the topics Bedside has curated evidence on."""
    return TopicList(
        topics=[
            TopicPublic(card_id=topic.card_id, title=topic.title, aliases=list(topic.aliases))
            for topic in service.topics()
        ]
    )
