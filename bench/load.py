"""Load generator: N real Socket.IO phones casting ballots at a set rate (not a test).

Starts ``workshop serve`` itself (tests/live_server.py: a temporary SQLite instance, the
per-participant rate limits turned off, everything else as shipped), then through the API
creates a workshop, a brainstorm with 20 statements and an open dot vote, joins N
participants over HTTP and connects them all (python-socketio's asyncio client over
aiohttp, WebSocket transport), plus one projector client in a process of its own.

Phases, against our server and bench/baseline_relay.py (a bare python-socketio relay on
gevent with the same protocol, no database), both started side by side with their own
phones connected, each idle while the other is measured:

1. **rate**: ballots through the ``vote`` event at ``--rate`` per second in aggregate for
   ``--duration`` seconds, each phone changing its ballot, one write in flight per phone
   (as the phone's UI does). Measures the ack latency and the ballot-to-projector latency.
   Our server first, then the relay.
2. **saturate**: ``--inflight`` phones voting back to back: the most ballots per second
   the server acknowledges (the throughput compared with the baseline's). ``--saturate``
   seconds per server, in ``--rounds`` rounds that take turns (ours, relay, relay, ours,
   ...), so that a drift of the shared host's speed falls on both alike; the throughput
   is every round's acknowledged ballots over their time.
3. **check**: the last ``tally`` on the projector, ``GET /results`` and every phone's
   ``sync`` compared with what the phones had acknowledged: ballots lost (acked, absent)
   and doubled (counted more than once).

Ballot-to-projector latency: statement *j* weighs *j*; every new ballot of a phone weighs
one more than its previous one, so the weighted total of a tally grows with every ballot
the server has counted. A ballot is on the projector at the first ``tally`` (received
after it was sent) whose weighted total reaches the weighted total of all ballots acked
up to and including it; latency = that tally's arrival - the ballot's send. Exact up to
the ballots in flight around it (a few ms at the target rate). A phone has 98 ballots of
growing weight; in the saturation phase, whose latencies are not measured, its weights
start again at 1.

The generator shares the machine with the server: its CPU use, and the lag of its event
loop, are printed next to the figures.

    .venv/bin/python bench/load.py                    # 2,000 phones, 1,000/s, 30 s
    .venv/bin/python bench/load.py --quick            # 200 phones, 200/s, 5 s
    .venv/bin/python bench/load.py --no-write --skip-baseline --profile /tmp/prof.txt
    .venv/bin/python bench/load.py --kind matrix      # the impact × feasibility matrix

With ``--kind matrix`` the phones place statements on the matrix instead (random 1–5 on
both axes); the weight of a ballot is the sum of the indexes of the statements it places,
each at most once, and the projector's weighted total counts each statement's placements
(``count``). The baseline relay still takes dots: the same protocol cost, no kind.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import gc
import json
import multiprocessing as mp
import os
import random
import resource
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from load_report import PERFORMANCE_MD, report, write_section  # noqa: E402

from tests.live_server import LiveServer, free_port  # noqa: E402

STATEMENTS = 20
DOTS, MAX_PER_ITEM = 5, 3
MAX_WEIGHT = MAX_PER_ITEM * STATEMENTS + (DOTS - MAX_PER_ITEM) * (STATEMENTS - 1)
MATRIX_MAX_WEIGHT = STATEMENTS * (STATEMENTS + 1) // 2  # every statement placed once
GROUPS = (
    "residents",
    "academia",
    "private_sector",
    "civil_society",
    "local_government",
    "central_government",
)
TEXTS = [
    "สวนสาธารณะริมน้ำ",
    "ทางจักรยานไปตลาด",
    "รถเมล์ไฟฟ้ารอบเมือง",
    "ตลาดกลางคืนทุกวันเสาร์",
    "ไฟส่องสว่างซอยเปลี่ยว",
    "Shade trees on the main road",
    "Free Wi-Fi in the library",
    "ทางเท้าสำหรับรถเข็น",
    "ศูนย์ดูแลผู้สูงอายุ",
    "Flood drains before the rainy season",
    "ระบบคัดแยกขยะ",
    "Night buses to the university",
    "ลานกีฬาชุมชน",
    "แผงโซลาร์เซลล์บนหลังคาโรงเรียน",
    "Weekend walking street",
    "ศูนย์เด็กเล็ก",
    "จุดชาร์จรถไฟฟ้า",
    "Clean the canal",
    "ห้องน้ำสาธารณะที่สะอาด",
    "Bike sharing at the station",
]


# ---------------------------------------------------------------------------- helpers


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raise_open_files(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def ballot_of_weight(weight: int, rng: random.Random) -> dict[int, int]:
    """Dots (statement index 1..20 -> dots) whose weight sum(index * dots) is ``weight``,
    within 5 dots and 3 per statement; varied from one call to the next."""
    if not 1 <= weight <= MAX_WEIGHT:
        raise ValueError(weight)
    for _ in range(200):
        low = -(-weight // STATEMENTS)
        count = rng.randint(low, min(DOTS, weight))
        parts = [weight // count] * count
        for i in range(weight % count):
            parts[i] += 1
        for _ in range(8):  # shuffle weight between two dots, keeping the sum
            i, j = rng.randrange(count), rng.randrange(count)
            move = rng.randint(0, max(0, min(parts[i] - 1, STATEMENTS - parts[j])))
            parts[i] -= move
            parts[j] += move
        dots = Counter(parts)
        if all(1 <= k <= STATEMENTS for k in dots) and max(dots.values()) <= MAX_PER_ITEM:
            return dict(dots)
    # Greedy fallback: the heaviest statements first.
    dots: dict[int, int] = {}
    left = weight
    for index in range(STATEMENTS, 0, -1):
        while left >= index and dots.get(index, 0) < MAX_PER_ITEM and sum(dots.values()) < DOTS:
            dots[index] = dots.get(index, 0) + 1
            left -= index
    if left:
        raise ValueError(weight)
    return dots


def placement_of_weight(weight: int, rng: random.Random) -> dict[int, int]:
    """Distinct statement indexes (1..20 -> 1) summing to ``weight``, varied by ``rng``."""
    if not 1 <= weight <= MATRIX_MAX_WEIGHT:
        raise ValueError(weight)
    chosen: dict[int, int] = {}
    left = weight
    for index in range(STATEMENTS, 0, -1):
        below = index * (index - 1) // 2  # what the smaller indexes can still add up to
        if index <= left and (left > below or rng.random() < 0.5):
            chosen[index] = 1
            left -= index
    if left:
        raise ValueError(weight)
    return chosen


# ---------------------------------------------------------------------------- targets


@dataclass
class Room:
    code: str
    activity_id: int
    statement_ids: list[int]  # statement index i (1-based) is statement_ids[i - 1]
    tokens: list[str]
    kind: str = "dot_vote"  # or "matrix"


class WorkshopTarget:
    """``workshop serve`` on a temporary SQLite instance."""

    name = "workshop"

    def __init__(self, clients: int, kind: str = "dot_vote") -> None:
        self.kind = kind
        self.folder = Path(tempfile.mkdtemp(prefix="workshop-load-"))
        self.server = LiveServer(
            self.folder,
            env_extra={
                # One phone changes its ballot every few seconds here: past the default
                # brake of 60 a minute in the saturation phase.
                "WORKSHOP_RATE_VOTES": "0",
                "WORKSHOP_RATE_STATEMENTS": "0",
                "WORKSHOP_DATABASE_URL": f"sqlite:///{self.folder / 'load.sqlite3'}",
            },
        )
        self.clients = clients

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pid(self) -> int:
        return self.server.process.pid

    def start(self) -> None:
        self.server.prepare()
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        return self.server.log()

    async def setup(self, http: aiohttp.ClientSession) -> Room:
        api = f"{self.url}/api/v1"
        auth = {"Authorization": f"Bearer {self.server.token}"}

        async def post(path: str, body: dict, headers: dict | None = None) -> dict:
            async with http.post(f"{api}{path}", json=body, headers=headers or {}) as response:
                data = await response.json()
                if response.status >= 300:
                    raise RuntimeError(f"POST {path}: {response.status} {data}")
                return data

        code = (await post("/workshops", {"title": "Load test"}, auth))["code"]
        brainstorm = (
            await post(
                f"/workshops/{code}/activities",
                {"kind": "brainstorm", "prompt": "What would make the city better?"},
                auth,
            )
        )["id"]
        body = {
            "kind": "dot_vote",
            "prompt": "Your five dots",
            "source_activity_id": brainstorm,
            "dots": DOTS,
            "max_per_item": MAX_PER_ITEM,
        }
        if self.kind == "matrix":
            body = {
                "kind": "matrix",
                "prompt": "Impact × feasibility",
                "source_activity_id": brainstorm,
            }
        vote = (await post(f"/workshops/{code}/activities", body, auth))["id"]
        await post(f"/workshops/{code}/activities/{brainstorm}/state", {"state": "open"}, auth)
        limit = asyncio.Semaphore(16)

        async def join(n: int) -> str:
            async with limit:
                body = {"group": GROUPS[n % len(GROUPS)]}
                return (await post(f"/workshops/{code}/participants", body))["token"]

        tokens = await asyncio.gather(*(join(n) for n in range(self.clients)))
        statement_ids = []
        for n, text in enumerate(TEXTS[:STATEMENTS]):
            body = {"activity_id": brainstorm, "text": text, "client_id": f"s{n}"}
            data = await post(
                f"/workshops/{code}/statements",
                body,
                {"Authorization": f"Bearer {tokens[n % len(tokens)]}"},
            )
            statement_ids.append(data["statement"]["id"] if "statement" in data else data["id"])
        await post(f"/workshops/{code}/activities/{vote}/state", {"state": "open"}, auth)
        return Room(code, vote, statement_ids, list(tokens), self.kind)

    async def results(self, http: aiohttp.ClientSession, room: Room) -> tuple[dict[int, int], int]:
        headers = {"Authorization": f"Bearer {self.server.token}"}
        url = f"{self.url}/api/v1/workshops/{room.code}/results"
        async with http.get(url, headers=headers) as response:
            data = await response.json()
        activity = next(a for a in data["activities"] if a["id"] == room.activity_id)
        value = "count" if room.kind == "matrix" else "score"
        return {i["statement_id"]: i[value] for i in activity["items"]}, activity["ballots"]


class BaselineTarget:
    """bench/baseline_relay.py: the same protocol, ballots in a dict."""

    name = "baseline"

    def __init__(self, clients: int, in_order: bool = False) -> None:
        self.clients = clients
        self.in_order = in_order  # its events handled like ours (async_handlers=False)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="workshop-baseline-"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> None:
        log = open(self.folder / "relay.log", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "bench" / "baseline_relay.py"),
                "--port",
                str(self.port),
                *(["--in-order"] if self.in_order else []),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import requests

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"baseline exited: {self.log()}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("baseline did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def log(self) -> str:
        path = self.folder / "relay.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    async def setup(self, http: aiohttp.ClientSession) -> Room:
        tokens = [f"phone-{n}" for n in range(self.clients)]
        return Room("BASE01", 1, list(range(1, STATEMENTS + 1)), tokens)

    async def results(self, http: aiohttp.ClientSession, room: Room) -> tuple[dict[int, int], int]:
        async with http.get(f"{self.url}/results") as response:
            data = await response.json()
        return {i["statement_id"]: i["score"] for i in data["items"]}, data["ballots"]


# ---------------------------------------------------------------------------- projector


def projector_process(
    url: str, auth: dict, weights: dict, ready, stop, latest, pipe, value: str = "score"
) -> None:
    """In a process of its own: record (arrival, weighted total, ballots) of every tally;
    ``value`` is the item field weighed (matrix: ``count``, each statement's placements)."""
    import socketio as sio_sync

    weights = {int(k): v for k, v in weights.items()}
    records: list[tuple[float, int, int]] = []
    last: dict = {}
    client = sio_sync.Client(reconnection=False, handle_sigint=False)
    dropped: list = []  # (when, reason) of every disconnect that the projector did not ask for

    @client.on("disconnect")
    def gone(reason=None):
        if not stop.is_set():
            dropped.append((time.monotonic(), str(reason)))

    @client.on("tally")
    def tally(data):
        now = time.monotonic()
        scores = {i["statement_id"]: i[value] for i in data.get("items", [])}
        total = sum(weights.get(k, 0) * v for k, v in scores.items())
        records.append((now, total, data.get("ballots", 0)))
        last["scores"] = scores
        latest.value = total

    client.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
    ready.set()
    stop.wait()
    client.disconnect()
    pipe.send({"records": records, "last": last.get("scores", {}), "dropped": dropped})
    pipe.close()


# ---------------------------------------------------------------------------- phones


@dataclass
class Ballot:
    phone: int
    phase: str
    sent: float
    acked: float
    delta: int  # weight added to the room's weighted total


@dataclass
class Run:
    ballots: list[Ballot] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    unknown: int = 0  # writes whose outcome is unknown (no ack even after a resend)
    disconnects: int = 0
    disconnect_reasons: Counter = field(default_factory=Counter)
    phase: str = ""


class Phone:
    def __init__(self, index: int, token: str, room: Room, http: aiohttp.ClientSession) -> None:
        self.index = index
        self.token = token
        self.room = room
        self.rng = random.Random(index)
        self.matrix = room.kind == "matrix"
        self.max_weight = MATRIX_MAX_WEIGHT if self.matrix else MAX_WEIGHT
        self.weight = 0
        self.writes = 0
        self.acked: dict[int, int] = {}  # statement id -> dots of the last acked ballot
        self.pending: dict[int, int] | None = None  # sent, never acknowledged
        self.poisoned = False
        self.http = http
        self.client = self._client()

    def _client(self) -> socketio.AsyncClient:
        return socketio.AsyncClient(
            reconnection=False, handle_sigint=False, http_session=self.http, request_timeout=30
        )

    async def connect(self, url: str, run: Run | None) -> float:
        if run is not None:

            @self.client.on("disconnect")
            async def gone(reason=None):
                run.disconnects += 1
                run.disconnect_reasons[str(reason)] += 1

        start = time.monotonic()
        await self.client.connect(
            url,
            auth={"workshop": self.room.code, "token": self.token},
            transports=["websocket"],
            wait_timeout=60,
        )
        return time.monotonic() - start

    @property
    def exhausted(self) -> bool:
        """No ballot left whose weight grows (the rate phase needs that; saturation wraps)."""
        return self.poisoned or self.weight >= self.max_weight

    async def vote(self, run: Run) -> None:
        weight = self.weight % self.max_weight + 1
        shape = placement_of_weight if self.matrix else ballot_of_weight
        dots = {self.room.statement_ids[i - 1]: n for i, n in shape(weight, self.rng).items()}
        self.writes += 1
        payload = {
            "activity_id": self.room.activity_id,
            "client_id": f"load-{self.index}-{self.writes}",
        }
        if self.matrix:  # dots holds 1 per placed statement: what the tally's count adds
            rand = self.rng.randint
            payload["placements"] = {str(k): {"x": rand(1, 5), "y": rand(1, 5)} for k in dots}
        else:
            payload["dots"] = {str(k): v for k, v in dots.items()}
        phase = run.phase
        sent = time.monotonic()
        self.pending = dots
        ack = None
        for _attempt in range(2):  # a phone resends an unacknowledged write, same client_id
            try:
                ack = await self.client.call("vote", payload, timeout=30)
                break
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                continue
        acked = time.monotonic()
        if ack is None:  # outcome unknown: this phone's weights no longer add up; retire it
            run.unknown += 1
            self.poisoned = True
            return
        self.pending = None
        if not ack.get("ok"):
            run.errors[ack.get("error", {}).get("code", "?")] += 1
            return
        run.ballots.append(Ballot(self.index, phase, sent, acked, weight - self.weight))
        self.weight = weight
        self.acked = dots

    async def my_ballot(self, url: str) -> dict[int, int]:
        """The ballot the server holds for this phone (reconnecting a phone that dropped)."""
        if not self.client.connected:
            self.client = self._client()
            await self.connect(url, None)
        ack = await self.client.call("sync", {}, timeout=60)
        ballot = (ack.get("state") or {}).get("my_ballot")
        if not ballot:
            return {}
        if self.matrix:
            return {int(k): 1 for k in ballot.get("placements", {})}
        return {int(k): v for k, v in ballot.get("dots", {}).items()}


def run_loop(coroutine):
    """Run on uvloop when installed (``.[bench]``): the generator needs less CPU per ballot,
    leaving more of the shared cores to the server under test. The garbage collector runs
    rarely (2,000 clients are a lot of long-lived objects, and a full collection stalls
    every phone of the generator at once, which would show as server latency)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late the generator's own event loop wakes up (its load shows here)."""
    while not stop.is_set():
        start = time.monotonic()
        await asyncio.sleep(0.05)
        samples.append(time.monotonic() - start - 0.05)


async def rate_phase(phones: list[Phone], run: Run, rate: float, duration: float) -> dict:
    run.phase = "rate"
    idle = deque(p for p in phones if not p.exhausted)
    random.Random(7).shuffle(idle)
    tasks: set[asyncio.Task] = set()

    async def one(phone: Phone) -> None:
        try:
            await phone.vote(run)
        finally:
            if not phone.exhausted:
                idle.append(phone)

    sent = 0
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < duration:
        due = int(rate * elapsed)
        while sent < due and idle:
            task = asyncio.create_task(one(idle.popleft()))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sent += 1
        await asyncio.sleep(0.002)
    behind = int(rate * duration) - sent
    if tasks:
        await asyncio.wait(tasks, timeout=90)
    return {"sent": sent, "behind": behind, "wall": time.monotonic() - start}


async def saturate_phase(phones: list[Phone], run: Run, inflight: int, duration: float) -> dict:
    run.phase = "saturate"
    idle = deque(p for p in phones if not p.poisoned)
    acked_before = len(run.ballots)
    start = time.monotonic()
    stop_at = start + duration
    done_at: list[float] = []

    async def worker() -> None:
        while time.monotonic() < stop_at and idle:
            phone = idle.popleft()
            await phone.vote(run)
            if time.monotonic() <= stop_at:
                done_at.append(time.monotonic())
            if not phone.poisoned:
                idle.append(phone)

    await asyncio.gather(*(worker() for _ in range(min(inflight, len(idle)))))
    return {
        "acked": len(done_at),
        "per_second": len(done_at) / duration,
        "total_acked": len(run.ballots) - acked_before,
    }


# ---------------------------------------------------------------------------- one target


class Measurement:
    """Every phase against one started target, in steps, so that two targets' saturation
    rounds can take turns (:func:`measure`); :meth:`check` returns the figures."""

    def __init__(self, target, args) -> None:
        self.target = target
        self.args = args
        self.figures: dict = {"target": target.name, "clients": args.clients}
        self.run = Run()
        self.lag: list[float] = []
        # acked ballots, nominal seconds, then CPU seconds (server, generator) over real ones
        self.saturated = {
            "acked": 0,
            "wall": 0.0,
            "server_cpu": 0.0,
            "own_cpu": 0.0,
            "cpu_wall": 0.0,
        }
        self.rounds: list[float] = []
        self.idle = {"cpu": 0.0, "wall": 0.0}  # while another target is measured
        self.http: aiohttp.ClientSession | None = None
        self.projector = None
        self.phones: list[Phone] = []

    async def open(self) -> None:
        """Create the room, start the projector, connect every phone."""
        args, target, figures = self.args, self.target, self.figures
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        timeout = aiohttp.ClientTimeout(total=120)
        self.http = aiohttp.ClientSession(connector=connector, timeout=timeout)
        t0 = time.monotonic()
        self.room = room = await target.setup(self.http)
        figures["setup_s"] = time.monotonic() - t0
        self.weights = {sid: i + 1 for i, sid in enumerate(room.statement_ids)}

        context = mp.get_context("spawn")
        ready, self.stop = context.Event(), context.Event()
        self.latest = context.Value("q", -1)
        self.receiver, sender = context.Pipe(duplex=False)
        self.projector = context.Process(
            target=projector_process,
            args=(
                target.url,
                {"workshop": room.code, "role": "presenter"},
                self.weights,
                ready,
                self.stop,
                self.latest,
                sender,
                "count" if room.kind == "matrix" else "score",
            ),
            daemon=True,
        )
        self.projector.start()
        if not await asyncio.to_thread(ready.wait, 60):
            raise RuntimeError("the projector client did not connect")
        await asyncio.sleep(1.0)
        figures["rss_idle_kb"] = rss_kb(target.pid)

        self.phones = [Phone(n, token, room, self.http) for n, token in enumerate(room.tokens)]
        limit = asyncio.Semaphore(args.connect_concurrency)
        connect_times: list[float] = []
        connect_failures: Counter = Counter()

        async def connect(phone: Phone) -> None:
            async with limit:
                try:
                    connect_times.append(await phone.connect(target.url, self.run))
                except Exception as error:  # noqa: BLE001 - counted and reported
                    connect_failures[type(error).__name__ + ": " + str(error)[:80]] += 1
                    phone.poisoned = True

        t0 = time.monotonic()
        await asyncio.gather(*(connect(p) for p in self.phones))
        figures["connect_wall_s"] = time.monotonic() - t0
        figures["connected"] = len(connect_times)
        figures["connect_failures"] = dict(connect_failures)
        figures["connect_p50_ms"] = 1000 * (percentile(connect_times, 50) or 0)
        figures["connect_p99_ms"] = 1000 * (percentile(connect_times, 99) or 0)
        await asyncio.sleep(2.0)
        figures["rss_connected_kb"] = rss_kb(target.pid)
        connected = max(figures["connected"], 1)
        figures["rss_kb_per_attendee"] = (
            figures["rss_connected_kb"] - figures["rss_idle_kb"]
        ) / connected
        self.live = [p for p in self.phones if not p.poisoned]

    async def _sampling_lag(self, phase):
        stop = asyncio.Event()
        task = asyncio.create_task(loop_lag(self.lag, stop))
        try:
            return await phase
        finally:
            stop.set()
            await task

    async def rate(self) -> None:
        args, target, figures = self.args, self.target, self.figures
        cpu0, own0, wall0 = cpu_seconds(target.pid), own_cpu_seconds(), time.monotonic()
        self.t_rate = wall0
        profiler = start_profiler(args, target, "rate", args.duration)
        rate = await self._sampling_lag(rate_phase(self.live, self.run, args.rate, args.duration))
        stop_profiler(profiler)
        wall = time.monotonic() - wall0
        figures["server_cpu_rate"] = (cpu_seconds(target.pid) - cpu0) / wall
        figures["generator_cpu_rate"] = (own_cpu_seconds() - own0) / wall
        rate_ballots = [b for b in self.run.ballots if b.phase == "rate"]
        figures["rate_sent"] = rate["sent"]
        figures["rate_behind"] = rate["behind"]
        figures["rate_acked"] = len(rate_ballots)
        figures["rate_achieved"] = len(rate_ballots) / args.duration
        acks = [b.acked - b.sent for b in rate_ballots]
        figures["ack_p50_ms"] = 1000 * (percentile(acks, 50) or 0)
        figures["ack_p99_ms"] = 1000 * (percentile(acks, 99) or 0)
        figures["ack_max_ms"] = 1000 * (max(acks) if acks else 0)

    async def saturate(self, seconds: float) -> None:
        """One saturation round of ``seconds``; the figures add up over rounds."""
        target, totals = self.target, self.saturated
        await asyncio.sleep(0.5)
        cpu0, own0, wall0 = cpu_seconds(target.pid), own_cpu_seconds(), time.monotonic()
        first = not self.rounds
        profiler = start_profiler(self.args, target, "saturate", seconds) if first else None
        result = await self._sampling_lag(
            saturate_phase(self.live, self.run, self.args.inflight, seconds)
        )
        stop_profiler(profiler)
        wall = time.monotonic() - wall0
        totals["acked"] += result["acked"]
        totals["wall"] += seconds
        totals["server_cpu"] += cpu_seconds(target.pid) - cpu0
        totals["own_cpu"] += own_cpu_seconds() - own0
        totals["cpu_wall"] += wall
        self.rounds.append(result["per_second"])
        self.figures["saturate_per_s"] = totals["acked"] / totals["wall"]
        self.figures["saturate_rounds"] = list(self.rounds)
        self.figures["saturate_server_cpu"] = totals["server_cpu"] / totals["cpu_wall"]
        self.figures["saturate_generator_cpu"] = totals["own_cpu"] / totals["cpu_wall"]

    async def check(self) -> dict:
        """Every phone's stored ballot (``sync``; phones that dropped reconnect) must be its
        last acked ballot, or the one it sent without hearing back. GET /results and the
        projector's last tally must add up the stored ballots exactly. Closes the phones."""
        target, figures, run, phones = self.target, self.figures, self.run, self.phones
        figures["loop_lag_p99_ms"] = 1000 * (percentile(self.lag, 99) or 0)
        if self.idle["wall"]:
            figures["idle_cpu_while_other"] = self.idle["cpu"] / self.idle["wall"]
        figures["rss_after_kb"] = rss_kb(target.pid)
        limit = asyncio.Semaphore(50)
        stored: dict[int, dict[int, int]] = {}
        lost = 0
        failed_checks = 0

        async def check(phone: Phone) -> None:
            nonlocal lost, failed_checks
            async with limit:
                try:
                    ballot = await phone.my_ballot(target.url)
                except Exception:  # noqa: BLE001 - counted and reported
                    failed_checks += 1
                    return
            stored[phone.index] = ballot
            if ballot != phone.acked and (phone.pending is None or ballot != phone.pending):
                lost += 1

        await asyncio.gather(*(check(p) for p in phones))
        expected: Counter = Counter()
        for ballot in stored.values():
            expected.update(ballot)
        stored_weight = sum(self.weights[k] * v for k, v in expected.items())
        deadline = time.monotonic() + 15
        while self.latest.value != stored_weight and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        self.stop.set()
        message = await asyncio.to_thread(self.receiver.recv)
        self.projector.join(10)
        records = message["records"]
        figures["projector_dropped"] = [
            (round(t - self.t_rate, 1), reason) for t, reason in message["dropped"]
        ]
        last_scores = {int(k): v for k, v in message["last"].items()}
        figures["projector_final_ok"] = {k: v for k, v in last_scores.items() if v} == {
            k: v for k, v in expected.items() if v
        }
        figures["tallies"] = len(records)
        figures["projector_p50_ms"], figures["projector_p99_ms"], figures["never_shown"] = (
            projector_latency(run.ballots, records)
        )

        scores, ballot_count = await target.results(self.http, self.room)
        keys = set(scores) | set(expected)
        figures["dots_over"] = sum(max(scores.get(k, 0) - expected.get(k, 0), 0) for k in keys)
        figures["dots_under"] = sum(max(expected.get(k, 0) - scores.get(k, 0), 0) for k in keys)
        voters = sum(1 for ballot in stored.values() if ballot)
        figures["ballot_rows"], figures["voters"] = ballot_count, voters
        figures["acked"] = len(run.ballots)
        figures["errors"] = dict(run.errors)
        figures["unknown"] = run.unknown
        figures["disconnects"] = run.disconnects
        figures["disconnect_reasons"] = dict(run.disconnect_reasons)
        figures["synced"] = len(stored)
        figures["failed_checks"] = failed_checks
        # Lost: phones whose stored ballot is neither their last acked one nor a later one
        # they sent. Doubled: ballot rows beyond one per phone that has a ballot, or results
        # counting more dots than the stored ballots hold.
        figures["lost"] = lost
        figures["doubled"] = max(ballot_count - voters, 0) + (1 if figures["dots_over"] else 0)
        await self.close()
        return figures

    async def close(self) -> None:
        await asyncio.gather(
            *(p.client.disconnect() for p in self.phones if p.client.connected),
            return_exceptions=True,
        )
        if self.http is not None and not self.http.closed:
            await self.http.close()
        if self.projector is not None and self.projector.is_alive():
            self.projector.kill()


async def measure(targets: list, args) -> list[dict]:
    """Open every target, run their rate phases one after the other, then their saturation
    rounds in turns (ABBA...: slow drifts of a shared host fall on both alike), then check
    each. Returns the figures of each target, in order."""
    measurements = [Measurement(target, args) for target in targets]
    try:
        for measurement in measurements:
            await measurement.open()
        # Every phone is a long-lived object now: out of the collector's way (run_loop).
        gc.collect()
        gc.freeze()
        for measurement in measurements:
            await measurement.rate()
        if args.saturate > 0:
            rounds = max(args.rounds, 1)
            for number in range(rounds):
                turn = measurements if number % 2 == 0 else measurements[::-1]
                for measurement in turn:
                    others = [m for m in measurements if m is not measurement]
                    before = [cpu_seconds(m.target.pid) for m in others]
                    start = time.monotonic()
                    await measurement.saturate(args.saturate / rounds)
                    for other, cpu in zip(others, before, strict=True):
                        other.idle["cpu"] += cpu_seconds(other.target.pid) - cpu
                        other.idle["wall"] += time.monotonic() - start
        return [await measurement.check() for measurement in measurements]
    finally:
        for measurement in measurements:
            await measurement.close()


def projector_latency(
    ballots: list[Ballot], records: list[tuple[float, int, int]]
) -> tuple[float, float, int]:
    """p50 and p99 (ms) of send -> first tally counting the ballot, rate phase; never shown."""
    ordered = sorted(ballots, key=lambda b: b.acked)
    arrivals = [r[0] for r in records]
    running_max: list[int] = []
    top = -1
    for _, total, _ in records:
        top = max(top, total)
        running_max.append(top)
    latencies = []
    never = 0
    cumulative = 0
    for ballot in ordered:
        cumulative += ballot.delta
        if ballot.phase != "rate":
            continue
        reached = bisect.bisect_left(running_max, cumulative)
        after_send = bisect.bisect_left(arrivals, ballot.sent)
        index = max(reached, after_send)
        if index >= len(records):
            never += 1
            continue
        latencies.append(arrivals[index] - ballot.sent)
    return (
        1000 * (percentile(latencies, 50) or 0),
        1000 * (percentile(latencies, 99) or 0),
        never,
    )


def start_profiler(args, target, phase: str, seconds: float) -> subprocess.Popen | None:
    if not args.profile or target.name != "workshop" or phase != args.profile_phase:
        return None
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(target.pid),
            "--rate",
            "100",
            "--format",
            "raw",
            "--output",
            args.profile,
            "--nonblocking",
            "--duration",
            str(max(int(seconds), 1)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_profiler(process: subprocess.Popen | None) -> None:
    if process is not None:
        process.wait(timeout=60)


def summarise_profile(path: str, top: int = 25) -> str:
    """Self and inclusive sample shares per function from py-spy's raw (collapsed) output."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = []
        for frame in stack.split(";"):
            name, _, where = frame.partition(" (")
            frames.append(f"{name} ({where.rsplit(':', 1)[0]})")
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    if not total:
        return "no samples"
    lines = [f"{total} samples", "self:"]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    lines.append("inclusive (workshop/):")
    ours = [(f, n) for f, n in inclusive.most_common() if "(workshop/" in f]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in ours[:top]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main


async def run_targets(targets: list, args) -> list[dict]:
    """Start every target (servers side by side, idle until their turn), measure them."""
    started = []
    try:
        for target in targets:
            await asyncio.to_thread(target.start)
            started.append(target)
        return await measure(targets, args)
    except BaseException:
        for target in targets:
            print(f"--- {target.name} log ---\n{target.log()}", file=sys.stderr)
        raise
    finally:
        for target in started:
            target.stop()
            if args.keep:
                print(f"kept {target.folder}", file=sys.stderr)
            else:
                target.cleanup()


def main() -> None:
    if "--opinions" in sys.argv[1:]:
        # The ballot path with the live opinion map against the same run without it (issue
        # 16): bench/opinions_load.py, which takes the rest of the options.
        sys.argv.remove("--opinions")
        sys.argv[0] = str(Path(__file__).with_name("opinions_load.py"))
        runpy.run_path(sys.argv[0], run_name="__main__")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, help="phones (2000; --quick 200)")
    parser.add_argument("--rate", type=float, help="ballots per second in all (1000; 200)")
    parser.add_argument("--duration", type=float, help="seconds of the rate phase (30; 5)")
    parser.add_argument("--saturate", type=float, help="seconds of saturation (10; 3)")
    parser.add_argument("--inflight", type=int, help="phones voting back to back (200; 100)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="saturation in turns of this many rounds (5)"
    )
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="the smaller defaults")
    parser.add_argument(
        "--kind", choices=["dot_vote", "matrix"], default="dot_vote", help="the vote (dot_vote)"
    )
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--baseline-in-order",
        action="store_true",
        help="the relay handles each connection's events in order, as ours does",
    )
    parser.add_argument("--keep", action="store_true", help="keep the server's folder and log")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--profile", help="py-spy raw profile of the server, to this file")
    parser.add_argument(
        "--profile-phase",
        choices=["rate", "saturate"],
        default="rate",
        help="phase to profile (saturate: our first round)",
    )
    args = parser.parse_args()
    defaults = (
        {"clients": 200, "rate": 200, "duration": 5, "saturate": 3, "inflight": 100}
        if args.quick
        else {"clients": 2000, "rate": 1000, "duration": 30, "saturate": 10, "inflight": 200}
    )
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    command = "python bench/load.py " + " ".join(sys.argv[1:])
    limit = raise_open_files(2 * args.clients + 1024)
    print(f"open files limit: {limit}", file=sys.stderr)

    targets = [WorkshopTarget(args.clients, args.kind)]
    if not args.skip_baseline:
        targets.append(BaselineTarget(args.clients, in_order=args.baseline_in_order))
    ours, base = [*run_loop(run_targets(targets, args)), None][:2]
    text = report(ours, base, args, command)
    print(text)
    if args.profile and Path(args.profile).exists():
        print(summarise_profile(args.profile))
    if args.json:
        Path(args.json).write_text(json.dumps({"workshop": ours, "baseline": base}, indent=2))
    if not args.no_write:
        mode = "quick" if args.quick else "full"
        write_section(text, mode if args.kind == "dot_vote" else f"{args.kind}-{mode}")
        print(f"wrote {PERFORMANCE_MD.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
