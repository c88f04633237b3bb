"""What the live opinion map costs the ballot path: an agree activity under load, with the
map recomputing and without it (not a test).

Starts two ``workshop serve`` instances (tests/live_server.py, temporary SQLite, the
per-participant rate limits off): one as shipped (the open agree activity's opinion map
recomputed in the background every ``WORKSHOP_OPINIONS_INTERVAL`` = 3 s while ballots
change, pushed to the projector as ``opinions``), one with the interval set so long that the
map is never recomputed during the run. Each gets the same room: a brainstorm of
``--statements`` statements, an open agree activity on it, ``--clients`` phones joined and
connected over Socket.IO (WebSocket) and a projector. Every phone first answers
``--prefill`` statements (three planted camps with noise, so the map has groups and a
realistic matrix). Every later ballot changes something: the next statement a phone has not
answered, then, once all are, a changed answer. Then, in ``--rounds`` rounds that take
turns (live, off, off, live, ...: a drift of the shared host's speed falls on both alike):

1. **rate**: ``--rate`` agree ballots per second in all for ``--duration`` seconds, one write
   in flight per phone: the ack latency (p50, p99);
2. **saturate**: ``--inflight`` phones voting back to back for ``--saturate`` seconds: the
   ballots per second acknowledged.

The projector counts the ``opinions`` events it received (each one a recomputation). Server
CPU is read from /proc. Figures go to docs/performance.md, "## Opinion map under load".

    .venv/bin/python bench/opinions_load.py             # 500 phones, 30 statements
    .venv/bin/python bench/opinions_load.py --quick     # 100 phones, a short run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import (  # noqa: E402
    GROUPS,
    cpu_seconds,
    percentile,
    raise_open_files,
    run_loop,
    summarise_profile,
)
from load_report import machine  # noqa: E402

from tests.live_server import LiveServer  # noqa: E402

PERFORMANCE_MD = ROOT / "docs" / "performance.md"
SECTION = "## Opinion map under load"
BEGIN, END = "<!-- opinions_load.py: begin -->", "<!-- opinions_load.py: end -->"
NEVER = str(10**9)  # seconds between two recomputations: none during the run
CAMPS = 3


@dataclass
class Target:
    name: str
    interval: str
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="opinions-load-")))
    acks: list[float] = field(default_factory=list)
    saturated: int = 0
    saturated_s: float = 0.0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    errors: Counter = field(default_factory=Counter)
    opinions_events: list[float] = field(default_factory=list)
    measuring: list = field(default_factory=list)  # (start, end) of each measured turn

    def __post_init__(self) -> None:
        self.server = LiveServer(
            self.folder,
            env_extra={
                "WORKSHOP_RATE_VOTES": "0",
                "WORKSHOP_RATE_STATEMENTS": "0",
                "WORKSHOP_OPINIONS_INTERVAL": self.interval,
                "WORKSHOP_DATABASE_URL": f"sqlite:///{self.folder / 'load.sqlite3'}",
            },
        )


class Phone:
    def __init__(self, index: int, token: str, http: aiohttp.ClientSession) -> None:
        self.index, self.token = index, token
        self.rng = random.Random(index)
        self.camp = index % CAMPS
        self.writes = 0
        self.answers: dict[int, int] = {}  # statement position -> the value acknowledged
        self.client = socketio.AsyncClient(reconnection=False, http_session=http)

    def answer(self, position: int) -> int:
        """The camp's view of statement ``position`` (+1 / -1 by thirds), with 20 % noise."""
        if self.rng.random() < 0.2:
            return self.rng.choice((-1, 0, 1))
        return 1 if (position + self.camp) % CAMPS == 0 else -1

    def next_answer(self, count: int) -> tuple[int, int]:
        """The next statement not yet answered, as a phone goes through the list; once all
        are answered, a changed mind (a different value), so that every ballot changes."""
        if len(self.answers) < count:
            position = len(self.answers)
            return position, self.answer(position)
        position = self.rng.randrange(count)
        return position, self.rng.choice([v for v in (-1, 0, 1) if v != self.answers[position]])

    async def vote(self, target: Target, room: dict, position: int | None = None) -> float:
        statements = room["statements"]
        if position is None:
            position, value = self.next_answer(len(statements))
        else:
            value = self.answer(position)
        self.writes += 1
        payload = {
            "activity_id": room["agree"],
            "client_id": f"o{self.index}-{self.writes}",
            "statement_id": statements[position],
            "value": value,
        }
        sent = time.monotonic()
        try:
            ack = await self.client.call("vote", payload, timeout=30)
        except socketio.exceptions.TimeoutError:
            target.errors["timeout"] += 1
            return -1.0
        if not ack.get("ok"):
            target.errors[ack.get("error", {}).get("code", "?")] += 1
            return -1.0
        self.answers[position] = value
        return time.monotonic() - sent


async def setup(target: Target, http: aiohttp.ClientSession, args) -> dict:
    server = target.server
    api, auth = f"{server.url}/api/v1", {"Authorization": f"Bearer {server.token}"}

    async def post(path: str, body: dict, headers: dict | None = None) -> dict:
        async with http.post(f"{api}{path}", json=body, headers=headers or auth) as response:
            data = await response.json()
            if response.status >= 300:
                raise RuntimeError(f"POST {path}: {response.status} {data}")
            return data

    code = (await post("/workshops", {"title": "Opinion map load"}))["code"]
    body = {"kind": "brainstorm", "prompt": "What would make the city better?"}
    brainstorm = (await post(f"/workshops/{code}/activities", body))["id"]
    body = {"kind": "agree", "prompt": "Agree?", "source_activity_id": brainstorm}
    agree = (await post(f"/workshops/{code}/activities", body))["id"]
    await post(f"/workshops/{code}/activities/{brainstorm}/state", {"state": "open"})
    limit = asyncio.Semaphore(16)

    async def join(n: int) -> str:
        async with limit:
            body = {"group": GROUPS[n % len(GROUPS)]}
            return (await post(f"/workshops/{code}/participants", body, {}))["token"]

    tokens = await asyncio.gather(*(join(n) for n in range(args.clients)))
    statements = []
    for n in range(args.statements):
        body = {"activity_id": brainstorm, "text": f"ข้อเสนอที่ {n + 1}", "client_id": f"s{n}"}
        data = await post(
            f"/workshops/{code}/statements", body, {"Authorization": f"Bearer {tokens[n]}"}
        )
        statements.append(data["statement"]["id"] if "statement" in data else data["id"])
    await post(f"/workshops/{code}/activities/{agree}/state", {"state": "open"})
    phones = [Phone(n, token, http) for n, token in enumerate(tokens)]
    connect = asyncio.Semaphore(50)

    async def connect_one(phone: Phone) -> None:
        async with connect:
            await phone.client.connect(server.url, auth={"workshop": code, "token": phone.token},
                                       transports=["websocket"], wait_timeout=60)  # fmt: skip

    await asyncio.gather(*(connect_one(p) for p in phones))
    projector = socketio.AsyncClient(reconnection=False, http_session=http)

    @projector.on("opinions")
    async def on_opinions(payload):
        target.opinions_events.append(time.monotonic())

    await projector.connect(server.url, auth={"workshop": code, "role": "presenter"},
                            transports=["websocket"])  # fmt: skip
    room = {"code": code, "agree": agree, "statements": statements, "phones": phones,
            "projector": projector}  # fmt: skip
    for position in range(args.prefill):  # every phone answers the first statements
        await asyncio.gather(*(p.vote(target, room, position) for p in phones))
    target.errors.clear()
    return room


async def rate_phase(target: Target, room: dict, rate: float, duration: float) -> None:
    idle = list(room["phones"])
    random.Random(7).shuffle(idle)
    tasks: set[asyncio.Task] = set()

    async def one(phone: Phone) -> None:
        latency = await phone.vote(target, room)
        if latency >= 0:
            target.acks.append(latency)
        idle.append(phone)

    sent, start = 0, time.monotonic()
    while (elapsed := time.monotonic() - start) < duration:
        while sent < int(rate * elapsed) and idle:
            task = asyncio.create_task(one(idle.pop(0)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sent += 1
        await asyncio.sleep(0.002)
    if tasks:
        await asyncio.wait(tasks, timeout=60)


async def saturate_phase(target: Target, room: dict, inflight: int, duration: float) -> None:
    idle = list(room["phones"])
    stop_at = time.monotonic() + duration
    done = 0

    async def worker() -> None:
        nonlocal done
        while time.monotonic() < stop_at and idle:
            phone = idle.pop(0)
            if await phone.vote(target, room) >= 0 and time.monotonic() <= stop_at:
                done += 1
            idle.append(phone)

    await asyncio.gather(*(worker() for _ in range(min(inflight, len(idle)))))
    target.saturated += done
    target.saturated_s += duration


def profile(args, target: Target) -> subprocess.Popen | None:
    """py-spy on the live map's server for its first turn (``--profile FILE``)."""
    if not args.profile or target.interval == NEVER:
        return None
    seconds = int((args.duration + args.saturate) / args.rounds)
    command = [str(Path(sys.executable).parent / "py-spy"), "record", "--pid",
               str(target.server.process.pid), "--rate", "100", "--format", "raw", "--output",
               args.profile, "--nonblocking", "--duration", str(seconds)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def measure(targets: list[Target], args) -> dict:
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        rooms = [await setup(t, http, args) for t in targets]
        loads = [os.getloadavg()]
        for number in range(args.rounds):
            turn = list(zip(targets, rooms, strict=True))
            for target, room in turn if number % 2 == 0 else turn[::-1]:
                cpu0, wall0 = cpu_seconds(target.server.process.pid), time.monotonic()
                target.measuring.append(wall0)
                profiler = profile(args, target) if number == 0 else None
                await rate_phase(target, room, args.rate, args.duration / args.rounds)
                await saturate_phase(target, room, args.inflight, args.saturate / args.rounds)
                if profiler is not None:
                    profiler.wait(timeout=60)
                target.cpu_s += cpu_seconds(target.server.process.pid) - cpu0
                target.wall_s += time.monotonic() - wall0
                target.measuring[-1] = (wall0, time.monotonic())
        loads.append(os.getloadavg())
        for room in rooms:
            await asyncio.gather(*(p.client.disconnect() for p in room["phones"]),
                                 return_exceptions=True)  # fmt: skip
            await room["projector"].disconnect()
    figures = {"load_before": loads[0], "load_after": loads[1], "runs": {}}
    for target in targets:
        during = sum(
            1 for at in target.opinions_events for start, end in target.measuring
            if start <= at <= end
        )  # fmt: skip
        figures["runs"][target.name] = {
            "ack_p50_ms": 1000 * (percentile(target.acks, 50) or 0),
            "ack_p99_ms": 1000 * (percentile(target.acks, 99) or 0),
            "rate_acked": len(target.acks),
            "saturate_per_s": target.saturated / target.saturated_s if target.saturated_s else 0,
            "server_cpu": target.cpu_s / target.wall_s if target.wall_s else 0,
            "opinions_events": during,
            "measured_s": target.wall_s,
            "errors": dict(target.errors),
        }
    return figures


async def main(args) -> dict:
    targets = [Target("map live", args.interval), Target("map off", NEVER)]
    for target in targets:
        target.server.prepare()
        target.server.start()
    try:
        return await measure(targets, args)
    finally:
        for target in targets:
            target.server.stop()


def write(figures: dict, args, command: str) -> str:
    live, off = figures["runs"]["map live"], figures["runs"]["map off"]

    def load(values) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    rows = []
    for name, run in figures["runs"].items():
        rows.append(
            f"| {name} | {run['saturate_per_s']:.0f} | {run['ack_p50_ms']:.1f} / "
            f"{run['ack_p99_ms']:.1f} | {run['server_cpu']:.0%} | {run['opinions_events']} "
            f"| {run['errors'] or 0} |"
        )
    ratio = live["saturate_per_s"] / off["saturate_per_s"] if off["saturate_per_s"] else 0
    block = "\n".join(
        [
            BEGIN,
            f"Command: `{command}`  ",
            f"Machine: {machine()}; shared with other sessions, load average "
            f"{load(figures['load_before'])} before, {load(figures['load_after'])} after.  ",
            f"Load: {args.clients} phones on an agree activity of {args.statements} statements "
            f"(each phone first answered {args.prefill}, three planted camps), then "
            f"{args.rounds} rounds taking turns: {args.rate:g} ballots/s for "
            f"{args.duration / args.rounds:g} s (ack latency), {args.inflight} phones back to "
            f'back for {args.saturate / args.rounds:g} s (throughput). "map live": shipped '
            f'(recomputed every {args.interval} s while ballots change); "map off": never '
            "recomputed during the run. Server and load generator on the same machine.",
            "",
            "| run | saturated ballots/s | ack p50 / p99 at the rate (ms) | server CPU "
            "| `opinions` pushed while measured | errors |",
            "|---|---:|---:|---:|---:|---|",
            *rows,
            "",
            f"Throughput with the map live: {ratio:.0%} of the run without it.",
            END,
        ]
    )
    text = PERFORMANCE_MD.read_text()
    if BEGIN in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{block}\n"
    PERFORMANCE_MD.write_text(text)
    return block


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, help="phones per server (500; --quick 100)")
    parser.add_argument("--statements", type=int, default=30)
    parser.add_argument("--prefill", type=int, default=10, help="answers per phone first (10)")
    parser.add_argument("--rate", type=float, help="ballots/s in the rate phase (200; 100)")
    parser.add_argument("--duration", type=float, help="rate seconds in all rounds (40; 8)")
    parser.add_argument("--saturate", type=float, help="saturation seconds, all rounds (40; 8)")
    parser.add_argument("--inflight", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--interval", default="3", help="the live map's recompute seconds (3)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    parser.add_argument("--profile", help="py-spy raw profile of the live map's server, to this")
    args = parser.parse_args()
    small = {"clients": 100, "rate": 100, "duration": 8, "saturate": 8}
    full = {"clients": 500, "rate": 200, "duration": 40, "saturate": 40}
    for name, value in (small if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    raise_open_files(4 * args.clients + 1024)
    figures = run_loop(main(args))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.profile and Path(args.profile).exists():
        print(summarise_profile(args.profile))
    if not args.no_write:
        command = ".venv/bin/python bench/" + " ".join(["opinions_load.py", *sys.argv[1:]])
        print(write(figures, args, command))
