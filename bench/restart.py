"""Restart with the hall connected (issue 18, point 4): a benchmark, not a test.

Starts ``workshop serve`` (as bench/load.py does: temporary SQLite, per-participant rate
limits off), joins ``--clients`` phones and connects them (python-socketio's asyncio client,
WebSocket), then keeps ``--rate`` ballots per second flowing while it

1. sends the server SIGTERM (it drains: votes received are committed and acknowledged,
   then the sockets close) and starts it again on the same folder and port;
2. sends it SIGKILL and starts it again.

Each phone behaves as static/js/attendee.js: Socket.IO reconnects by itself with a
jittered exponential back-off (1 s doubling to 10 s, +-50 %; each attempt given 20 s, as
socket.io-client does: see ``Phone``), and a write that got no
answer, or ``busy``, is kept and sent again with the same client_id (after its own
jittered back-off) until it is acknowledged. At the end every phone finishes its last
write; then the database is read directly:

- **lost**: acknowledged writes with no row in ``vote_write``;
- **doubled**: a write stored more than once, or a phone with more than one ballot row;
- **wrong last ballot**: a phone whose stored ballot is not its last acknowledged write.

Reconnect time: from the moment the restarted server answers ``/health`` to each phone's
first ``connect`` after it (its distribution, and how many phones never came back within
``--reconnect-wait`` seconds).

    .venv/bin/python bench/restart.py                    # 2,000 phones, 200 ballots/s
    .venv/bin/python bench/restart.py --clients 200 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    WorkshopTarget,
    cpu_seconds,
    percentile,
    raise_open_files,
    rss_kb,
    run_loop,
)
from load_report import PERFORMANCE_MD, machine  # noqa: E402

SECTION = "## Restart with the hall connected"
RETRY_BASE, RETRY_MAX = 1.0, 30.0  # the phone's resend back-off (static/js/phone/retry.js)


def retry_delay(attempt: int, rng: random.Random) -> float:
    top = min(RETRY_MAX, RETRY_BASE * 2**attempt)
    return top / 2 + rng.random() * top / 2


class Backoff:
    """socket.io-client's reconnection back-off (its ``Backoff``), as static/js/phone/retry.js
    configures it: 1 s doubling to 10 s, each wait moved at random by up to +-50 %, capped
    at 10 s after the jitter; back to 1 s after a successful connection."""

    def __init__(self, rng: random.Random, low: float = 1.0, high: float = 10.0) -> None:
        self.rng, self.low, self.high, self.attempts = rng, low, high, 0

    def duration(self) -> float:
        ms = self.low * 2**self.attempts
        self.attempts += 1
        rand = self.rng.random()
        deviation = rand * 0.5 * ms
        ms = ms - deviation if int(rand * 10) & 1 == 0 else ms + deviation
        return min(ms, self.high)

    def reset(self) -> None:
        self.attempts = 0


class Phone:
    """One phone: reconnecting client, one write in flight, resent until acknowledged.

    It reconnects as the phone's page does (socket.io-client): after each lost connection
    a jittered back-off (:class:`Backoff`), and each attempt waits up to 20 s (the client's
    ``timeout``) for the server to accept it. python-socketio's own reconnection is not
    used: it jitters by +-0.5 s only, and gives each attempt 1 s, after which a slow
    accept counts as a failure and the phone waits the whole back-off again (with 2,000
    phones coming back at once, that was most of the 45 s p99 of the first runs).
    """

    CONNECT_TIMEOUT = 20.0

    def __init__(self, index: int, token: str, code: str, vote: int, statements: list[int]):
        self.index, self.token, self.code = index, token, code
        self.activity_id, self.statements = vote, statements
        self.rng = random.Random(index)
        self.backoff = Backoff(random.Random(index + 100_000))
        self.url = ""
        self.client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.client.on("connect", self._connected)
        self.client.on("disconnect", self._disconnected)
        self.connected_at: list[float] = []
        self.attempts = 0  # connection attempts after a loss
        self.writes = 0
        self.acked: list[str] = []
        self.busy = False  # a write in hand
        self.answers: Counter = Counter()
        self.reconnecting: asyncio.Task | None = None
        self.stopped = False

    async def _connected(self) -> None:
        self.connected_at.append(time.monotonic())
        self.backoff.reset()

    async def _disconnected(self, reason=None) -> None:
        if not self.stopped and self.reconnecting is None:
            self.reconnecting = asyncio.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        try:
            while not self.stopped and not self.client.connected:
                await asyncio.sleep(self.backoff.duration())
                if self.stopped:
                    return
                self.attempts += 1
                try:
                    await self._connect(self.CONNECT_TIMEOUT)
                except (socketio.exceptions.ConnectionError, ValueError, OSError):
                    continue
        finally:
            self.reconnecting = None

    async def _connect(self, timeout: float) -> None:
        await self.client.connect(
            self.url,
            auth={"workshop": self.code, "token": self.token},
            transports=["websocket"],
            wait_timeout=timeout,
        )

    async def connect(self, url: str) -> None:
        self.url = url
        await self._connect(60)

    async def stop(self) -> None:
        self.stopped = True
        if self.reconnecting is not None:
            self.reconnecting.cancel()
        await self.client.disconnect()

    def ballot(self) -> dict[str, int]:
        a, b = self.rng.sample(self.statements, 2)
        return {str(a): self.rng.randint(1, 3), str(b): self.rng.randint(1, 2)}

    async def vote(self) -> None:
        self.busy = True
        self.writes += 1
        client_id = f"r-{self.index}-{self.writes}"
        payload = {"activity_id": self.activity_id, "client_id": client_id, "dots": self.ballot()}
        attempt = 0
        try:
            while True:
                if not self.client.connected:
                    self.answers["offline"] += 1
                    await asyncio.sleep(retry_delay(attempt, self.rng))
                    attempt += 1
                    continue
                try:
                    ack = await self.client.call("vote", payload, timeout=5)
                except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                    self.answers["no answer"] += 1
                    attempt += 1
                    continue
                code = (ack or {}).get("error", {}).get("code")
                if code == "busy":
                    self.answers["busy"] += 1
                    await asyncio.sleep(retry_delay(attempt, self.rng))
                    attempt += 1
                    continue
                if not ack.get("ok"):
                    self.answers[f"refused: {code}"] += 1
                    return
                self.answers["ok"] += 1
                self.acked.append(client_id)
                return
        finally:
            self.busy = False


async def drive(phones: list[Phone], rate: float, stop: asyncio.Event, tasks: set) -> None:
    """Start ``rate`` writes per second in all, each on a phone with no write in hand."""
    rng = random.Random(1)
    interval = 1.0 / rate
    next_at = time.monotonic()
    while not stop.is_set():
        next_at += interval
        idle = [p for p in rng.sample(phones, min(20, len(phones))) if not p.busy]
        if idle:
            task = asyncio.create_task(idle[0].vote())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def stored(database: Path, vote: int) -> tuple[dict, dict, dict]:
    with sqlite3.connect(database) as db:
        ballots = dict(
            db.execute(
                "SELECT participant_id, COUNT(*) FROM ballot WHERE activity_id = ? "
                "GROUP BY participant_id",
                (vote,),
            ).fetchall()
        )
        writes = {
            (pid, cid): n
            for pid, cid, n in db.execute(
                "SELECT participant_id, client_id, COUNT(*) FROM vote_write "
                "WHERE activity_id = ? GROUP BY participant_id, client_id",
                (vote,),
            )
        }
        last = dict(
            db.execute(
                "SELECT participant_id, client_id FROM ballot WHERE activity_id = ?", (vote,)
            ).fetchall()
        )
    return ballots, writes, last


async def restart(target: WorkshopTarget, sig: int, phones: list[Phone], args) -> dict:
    before = [len(p.connected_at) for p in phones]
    load = load_average()
    t_signal = time.monotonic()
    await asyncio.to_thread(target.server.stop, sig)
    t_down = time.monotonic()
    returncode = target.server.process.returncode
    await asyncio.to_thread(target.server.start)
    t_back = time.monotonic()
    deadline = t_back + args.reconnect_wait
    while time.monotonic() < deadline:
        if all(len(p.connected_at) > n for p, n in zip(phones, before, strict=True)):
            break
        await asyncio.sleep(0.2)
    delays = [
        p.connected_at[n] - t_back
        for p, n in zip(phones, before, strict=True)
        if len(p.connected_at) > n
    ]
    return {
        "signal": signal.Signals(sig).name,
        "returncode": returncode,
        "stop_s": t_down - t_signal,
        "start_s": t_back - t_down,
        "reconnected": len(delays),
        "phones": len(phones),
        "reconnect_p50_s": percentile(delays, 50),
        "reconnect_p90_s": percentile(delays, 90),
        "reconnect_p99_s": percentile(delays, 99),
        "reconnect_max_s": max(delays) if delays else None,
        "load": load,
    }


async def main_async(args) -> dict:
    raise_open_files(args.clients * 2 + 256)
    target = WorkshopTarget(args.clients)
    target.start()
    figures: dict = {"clients": args.clients, "rate": args.rate, "load_start": load_average()}
    try:
        async with aiohttp.ClientSession() as http:
            room = await target.setup(http)
        phones = [
            Phone(n, t, room.code, room.activity_id, room.statement_ids)
            for n, t in enumerate(room.tokens)
        ]
        limit = asyncio.Semaphore(50)

        async def connect(phone: Phone) -> None:
            async with limit:
                await phone.connect(target.url)

        await asyncio.gather(*(connect(p) for p in phones))
        print(f"connected {len(phones)} phones; load {load_average()}", file=sys.stderr, flush=True)
        figures["rss_connected_kb"] = rss_kb(target.pid)
        stop = asyncio.Event()
        tasks: set[asyncio.Task] = set()
        driver = asyncio.create_task(drive(phones, args.rate, stop, tasks))
        await asyncio.sleep(args.between)
        figures["restarts"] = []
        for sig in (signal.SIGTERM, signal.SIGKILL):
            figures["restarts"].append(await restart(target, sig, phones, args))
            print(f"restart: {figures['restarts'][-1]}", file=sys.stderr, flush=True)
            await asyncio.sleep(args.between)
        cpu = cpu_seconds(target.pid)
        stop.set()
        await driver
        if tasks:
            await asyncio.wait(tasks, timeout=120)
        figures["unfinished_writes"] = sum(1 for p in phones if p.busy)
        figures["server_cpu_after_restart_s"] = cpu
        figures["load_end"] = load_average()
        answers: Counter = Counter()
        for phone in phones:
            answers.update(phone.answers)
        figures["answers"] = dict(answers)
        figures["acked"] = sum(len(p.acked) for p in phones)
        figures["attempts"] = sum(p.attempts for p in phones)
        await asyncio.gather(*(p.stop() for p in phones), return_exceptions=True)

        async with aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {target.server.token}"}
            pids = []
            for phone in phones:
                url = f"{target.url}/api/v1/workshops/{room.code}/state"
                bearer = {"Authorization": f"Bearer {phone.token}"}
                async with http.get(url, headers=bearer) as response:
                    pids.append((await response.json())["me"]["participant_id"])
            async with http.get(f"{target.url}/api/v1/server/stats", headers=headers) as r:
                figures["stats_after"] = await r.json()
        database = target.folder / "load.sqlite3"
        figures.update(check_stored(database, room.activity_id, phones, pids))
    finally:
        target.stop()
        target.cleanup()
    return figures


def check_stored(database: Path, vote: int, phones, pids: list[int]) -> dict:
    """What the database holds against what the phones were told: acknowledged writes not
    stored (lost), stored twice or a second ballot row (doubled), phones whose stored
    ballot is not their last acknowledged one (wrong_last), and the stored writes."""
    ballots, writes, last = stored(database, vote)
    lost = doubled = wrong_last = 0
    for phone, pid in zip(phones, pids, strict=True):
        lost += sum(1 for c in phone.acked if (pid, c) not in writes)
        doubled += sum(1 for c in phone.acked if writes.get((pid, c), 0) > 1)
        doubled += max(0, ballots.get(pid, 0) - 1)
        if phone.acked and last.get(pid) != phone.acked[-1]:
            wrong_last += 1
    return {
        "lost": lost,
        "doubled": doubled,
        "wrong_last": wrong_last,
        "stored_writes": sum(writes.values()),
    }


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(figures: dict, command: str) -> str:
    lines = [
        f"Command: `{command}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        f"Machine: {machine()}; load average (1/5/15 min) {figures['load_start']} at the "
        f"start, {figures['load_end']} at the end (the generator shares the 2 cores).",
        "",
        f"{figures['clients']} phones, {figures['rate']:.0f} ballots/s offered throughout.",
        "",
        "| | SIGTERM | SIGKILL |",
        "|---|---|---|",
    ]
    term, kill = figures["restarts"]
    rows = [
        ("exit status", "returncode", "{}"),
        ("signal to exit (s)", "stop_s", "{:.1f}"),
        ("start to /health (s)", "start_s", "{:.1f}"),
        ("phones back", "reconnected", "{}"),
        ("reconnect p50 (s after /health)", "reconnect_p50_s", "{:.1f}"),
        ("reconnect p90 (s)", "reconnect_p90_s", "{:.1f}"),
        ("reconnect p99 (s)", "reconnect_p99_s", "{:.1f}"),
        ("reconnect max (s)", "reconnect_max_s", "{:.1f}"),
        ("load average at the signal", "load", "{}"),
    ]
    for label, key, fmt in rows:
        cells = ["-" if r[key] is None else fmt.format(r[key]) for r in (term, kill)]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    lines += [
        "",
        f"Acknowledged ballots: {figures['acked']}; stored writes {figures['stored_writes']}; "
        f"**lost {figures['lost']}, doubled {figures['doubled']}, phones whose stored "
        f"ballot is not their last acknowledged one {figures['wrong_last']}**; writes never "
        f"acknowledged at the end {figures['unfinished_writes']}.",
        f"Answers seen by the phones (per attempt): {figures['answers']}; connection "
        f"attempts after the losses: {figures.get('attempts', '-')} for "
        f"{2 * figures['clients']} reconnections.",
        f"Server after the phones left: {figures['stats_after']['connections']} connections, "
        f"{figures['stats_after']['rooms']} rooms, "
        f"{figures['stats_after']['vote_queue']['queued']} queued votes.",
        "",
    ]
    return "\n".join(lines)


def write_section(block: str, begin: str, end: str, section: str = SECTION) -> None:
    """Put ``block`` between the markers inside ``section`` of docs/performance.md."""
    text = PERFORMANCE_MD.read_text()
    generated = f"{begin}\n{block}{end}"
    if begin in text and end in text:
        before, _, after = text.partition(begin)
        _, _, after = after.partition(end)
        text = before + generated + after
    elif section in text:
        head, _, rest = text.partition(section)
        nxt = rest.find("\n## ")
        body, tail = (rest, "") if nxt < 0 else (rest[: nxt + 1], rest[nxt + 1 :])
        text = head + section + body.rstrip("\n") + f"\n\n{generated}\n" + ("\n" + tail)
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n\n{generated}\n"
    PERFORMANCE_MD.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--between", type=float, default=20.0, help="seconds of voting")
    parser.add_argument("--reconnect-wait", type=float, default=90.0)
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    args = parser.parse_args()
    figures = run_loop(main_async(args))
    command = "bench/restart.py " + " ".join(sys.argv[1:])
    block = report(figures, command.strip())
    print(block)
    if not args.no_write:
        write_section(block, "<!-- restart.py: begin -->", "<!-- restart.py: end -->")


if __name__ == "__main__":
    main()
