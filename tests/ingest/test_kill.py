"""An ingest killed with SIGKILL leaves a consistent knowledge base that a rerun completes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bedside.store.sqlite import SqliteStore

DOCUMENTS = 20_000


def count_documents(kb: Path) -> int:
    if not kb.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{kb}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # schema not created yet


def test_sigkill_midway_leaves_a_consistent_kb_that_a_rerun_completes(
    tmp_path: Path, bedside_home: Path
) -> None:
    corpus = tmp_path / "big.jsonl"
    with corpus.open("w") as out:
        for index in range(DOCUMENTS):
            record = {
                "id": f"d{index}",
                "title": f"Fictional record {index}",
                "text": f"Record {index} describes a fictional finding. It has two sentences.",
            }
            out.write(json.dumps(record) + "\n")
    kb = bedside_home / "kb" / "default.sqlite"
    command = [sys.executable, "-m", "bedside", "ingest", str(corpus), "--json", "--no-index"]
    env = {**os.environ, "BEDSIDE_HOME": str(bedside_home)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while count_documents(kb) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = count_documents(kb)
    assert 0 < stored < DOCUMENTS, "the kill must land midway for this test to mean anything"

    store = SqliteStore(kb)
    store.open()
    assert store.check_integrity() == []
    store.close()

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    summary = json.loads(rerun.stdout)
    assert summary["documents"]["added"] == DOCUMENTS - stored
    assert summary["documents"]["unchanged"] == stored
    store.open()
    assert store.stats().current_documents == DOCUMENTS
    assert store.check_integrity() == []
    store.close()
