"""The topic matcher's coverage is the same whatever order Python iterates its sets in."""

from __future__ import annotations

import os
import subprocess
import sys

from bedside.compose.base import TopicMatcher

# Weights whose float sums depend on the order they are added in: two coverages equal on paper
# must compare equal in every process, or the second bottom-line statement flips between runs.
_SCRIPT = """
from bedside.compose.base import TopicMatcher
stems = [f"w{i}" for i in range(24)]
weights = {s: 0.1 * (i % 7 + 1) / 3 for i, s in enumerate(stems)}
matcher = TopicMatcher((frozenset(stems),), weights)
print(repr(matcher.coverage(frozenset(stems[::2]))), repr(matcher.coverage(frozenset(stems[1::3]))))
"""


def test_coverage_does_not_depend_on_the_hash_seed() -> None:
    seen = set()
    for seed in ("1", "2", "3", "5", "11"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        seen.add(done.stdout.strip())
    assert len(seen) == 1, seen


def test_coverage_is_the_weighted_share_of_the_topic() -> None:
    matcher = TopicMatcher((frozenset({"gout", "flare"}),), {"gout": 3.0, "flare": 1.0})
    assert matcher.coverage(frozenset({"gout"})) == 0.75
    assert matcher.coverage(frozenset({"knee"})) == 0.0
