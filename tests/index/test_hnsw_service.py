"""The service builds the default vector index with the threshold and list from the settings."""

from __future__ import annotations

import pytest

from bedside.config import load_settings
from bedside.errors import ConfigError
from bedside.index.hnsw_vectors import HnswVectorIndex
from bedside.service import Service


def test_the_service_passes_index_ann_threshold() -> None:
    settings = load_settings(overrides={"index": {"ann_threshold": 7}})
    with Service(settings) as service:
        index = service.vector_index
        assert isinstance(index, HnswVectorIndex)
        assert index.ann_threshold == 7
        assert index.path.name.startswith("vectors-hnsw-hashing-")


def test_the_search_list_is_the_measured_default_unless_index_ann_search_list_is_set() -> None:
    with Service(load_settings()) as service:
        index = service.vector_index
        assert isinstance(index, HnswVectorIndex)
        assert index.expansion_search == 256
    with Service(load_settings(overrides={"index": {"ann_search_list": 1024}})) as service:
        index = service.vector_index
        assert isinstance(index, HnswVectorIndex)
        assert index.expansion_search == 1024


def test_a_search_list_out_of_range_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="ann_search_list"):
        load_settings(overrides={"index": {"ann_search_list": 5}})
