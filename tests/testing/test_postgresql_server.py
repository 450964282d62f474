"""The throwaway test server: run as an unprivileged user under root, it must be able to reach the
binaries, or it runs a copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bedside.testing.postgresql import _reachable_by_others


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder in /tmp that any user may enter (pytest's own tmp_path is private)."""
    folder = Path(tempfile.mkdtemp())
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def make_binaries(root: Path) -> Path:
    binaries = root / "venv" / "pginstall" / "bin"
    binaries.mkdir(parents=True)
    for folder in (root / "venv", binaries.parent, binaries):
        folder.chmod(0o755)  # whatever the umask
    (binaries / "postgres").write_text("")
    (binaries / "postgres").chmod(0o755)
    return binaries


def test_binaries_in_open_folders_are_reachable(open_folder: Path) -> None:
    assert _reachable_by_others(make_binaries(open_folder)) is True


def test_binaries_under_a_private_folder_are_not(open_folder: Path) -> None:
    binaries = make_binaries(open_folder)
    (open_folder / "venv").chmod(0o700)  # like a virtual environment under /root
    assert _reachable_by_others(binaries) is False


def test_a_binary_others_may_not_run_is_not(open_folder: Path) -> None:
    binaries = make_binaries(open_folder)
    (binaries / "postgres").chmod(0o700)
    assert _reachable_by_others(binaries) is False
