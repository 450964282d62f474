"""The service builds the default vector index with the threshold from the settings."""

from __future__ import annotations

from bedside.config import load_settings
from bedside.index.hnsw_vectors import HnswVectorIndex
from bedside.service import Service


def test_the_service_passes_index_ann_threshold() -> None:
    settings = load_settings(overrides={"index": {"ann_threshold": 7}})
    with Service(settings) as service:
        index = service.vector_index
        assert isinstance(index, HnswVectorIndex)
        assert index.ann_threshold == 7
        assert index.path.name.startswith("vectors-hnsw-hashing-")
