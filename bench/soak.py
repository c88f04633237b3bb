"""Day-long soak (issue 18, point 5): a benchmark, not a test (the CI-size one is
tests/test_soak.py).

Starts ``workshop serve`` (bench/load.py's ``WorkshopTarget``: temporary SQLite, the
per-participant rate limits off), joins ``--phones`` phones and connects them
(bench/restart.py's ``Phone``: python-socketio's asyncio client over WebSocket, reconnecting
with socket.io-client's jittered back-off, a write kept and resent with the same client_id
until it is acknowledged), plus one projector, then plays a meeting's pattern for
``--minutes``:

- a **burst** of 500 ballots/s for 60 s at the start of every 10 minutes, 30 ballots/s
  between (one write in flight per phone, as the phone's UI does);
- every minute **10 % of the phones sleep** (the socket drops, as a phone's screen going
  off) for 5-40 s and connect again.

``--scale`` shrinks the pattern's durations (0.1: a burst of 6 s every minute, sleepers every
6 s); the rates stay. Every 30 s (scaled, at least 5 s) it samples the server's RSS and open
file descriptors (``/proc/<pid>``) and ``GET /api/v1/server/stats``; per burst it reports the
ack p50/p99 and the ballot-to-projector latency (send to the first ``tally`` the projector
receives after the ack). At the end every phone finishes its last write and leaves; the
database is read directly: 0 lost, 0 doubled, every phone's stored ballot its last
acknowledged one, and the server's counts back to idle. RSS growth is measured from the
first sample after the first 10 (scaled) minutes to the last sample before the phones leave.

    .venv/bin/python bench/soak.py                               # 2,000 phones, 2 hours
    .venv/bin/python bench/soak.py --phones 1000 --minutes 25
    .venv/bin/python bench/soak.py --phones 200 --minutes 3 --scale 0.1 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import WorkshopTarget, percentile, raise_open_files, rss_kb, run_loop  # noqa: E402
from load_report import machine  # noqa: E402
from restart import Phone, check_stored, load_average, retry_delay, write_section  # noqa: E402

SECTION = "## Day-long soak"
BURST_RATE, TRICKLE_RATE = 500.0, 30.0
PERIOD_S, BURST_S, SLEEP_EVERY_S, SAMPLE_EVERY_S = 600.0, 60.0, 60.0, 30.0
SLEEPERS = 0.10


class SoakPhone(Phone):
    """bench/restart.py's phone, which also sleeps and records its ack latencies."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.asleep = False
        self.latencies: list[tuple[float, float]] = []  # (sent, acked) of each acknowledged write
        self.busy_answers: list[tuple[float, float]] = []  # (sent, answered) of each busy answer

    async def _disconnected(self, reason=None) -> None:
        if not self.asleep:
            await super()._disconnected(reason)

    async def sleep_and_wake(self, seconds: float) -> None:
        if self.asleep or not self.client.connected:
            return
        self.asleep = True
        try:
            await self.client.disconnect()
            await asyncio.sleep(seconds)
        finally:
            self.asleep = False
        try:
            await self._connect(self.CONNECT_TIMEOUT)
        except (socketio.exceptions.ConnectionError, ValueError, OSError):
            await super()._disconnected()  # the usual back-off from here

    async def vote(self) -> None:
        """As ``Phone.vote``, recording the send and answer times of each attempt answered."""
        self.busy = True
        self.writes += 1
        client_id = f"s-{self.index}-{self.writes}"
        payload = {"activity_id": self.activity_id, "client_id": client_id, "dots": self.ballot()}
        attempt = 0
        try:
            while True:
                if not self.client.connected:
                    self.answers["offline"] += 1
                    await asyncio.sleep(retry_delay(attempt, self.rng))
                    attempt += 1
                    continue
                sent = time.monotonic()
                try:
                    ack = await self.client.call("vote", payload, timeout=5)
                except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                    self.answers["no answer"] += 1
                    attempt += 1
                    continue
                code = (ack or {}).get("error", {}).get("code")
                if code == "busy":
                    self.answers["busy"] += 1
                    self.busy_answers.append((sent, time.monotonic()))
                    await asyncio.sleep(retry_delay(attempt, self.rng))
                    attempt += 1
                    continue
                if not ack.get("ok"):
                    self.answers[f"refused: {code}"] += 1
                    return
                self.answers["ok"] += 1
                self.acked.append(client_id)
                self.latencies.append((sent, time.monotonic()))
                return
        finally:
            self.busy = False


class Pattern:
    """The meeting's pattern, scaled: which rate now, and when the bursts were."""

    def __init__(self, scale: float) -> None:
        self.period, self.burst = PERIOD_S * scale, BURST_S * scale
        self.t0 = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def bursting(self) -> bool:
        return self.elapsed() % self.period < self.burst

    def rate(self) -> float:
        return BURST_RATE if self.bursting() else TRICKLE_RATE

    def bursts(self, until: float) -> list[tuple[float, float]]:
        """(start, end) monotonic times of every burst begun before ``until``."""
        spans, start = [], self.t0
        while start < until:
            spans.append((start, min(start + self.burst, until)))
            start += self.period
        return spans


async def drive(phones: list[SoakPhone], pattern: Pattern, stop: asyncio.Event, tasks: set) -> int:
    """Start writes at the pattern's rate on awake phones with no write in hand."""
    rng = random.Random(1)
    sent = 0
    due = 0.0
    last = time.monotonic()
    while not stop.is_set():
        now = time.monotonic()
        due += pattern.rate() * (now - last)
        last = now
        while due >= 1:
            due -= 1
            pick = [p for p in rng.sample(phones, min(20, len(phones))) if not p.busy]
            pick = [p for p in pick if not p.asleep] or pick
            if pick:
                pick[0].busy = True  # now, not when the task first runs: one write per phone
                task = asyncio.create_task(pick[0].vote())
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                sent += 1
        await asyncio.sleep(0.005)
    return sent


async def sleepers(phones: list[SoakPhone], scale: float, stop: asyncio.Event, counts: Counter):
    rng = random.Random(2)
    every = SLEEP_EVERY_S * scale
    naps: set[asyncio.Task] = set()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
            break
        except TimeoutError:
            pass
        for phone in rng.sample(phones, max(1, int(len(phones) * SLEEPERS))):
            task = asyncio.create_task(phone.sleep_and_wake(rng.uniform(5, 40) * scale))
            naps.add(task)
            task.add_done_callback(naps.discard)
            counts["sleeps"] += 1
    if naps:
        await asyncio.wait(naps, timeout=60)


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def sample(http, target, pattern: Pattern, samples: list, stop: asyncio.Event, every: float):
    headers = {"Authorization": f"Bearer {target.server.token}"}
    while True:
        async with http.get(f"{target.url}/api/v1/server/stats", headers=headers) as response:
            stats = await response.json()
        samples.append(
            {
                "t": pattern.elapsed(),
                "rss_kb": rss_kb(target.pid),
                "fds": fd_count(target.pid),
                "connections": stats["connections"]["total"],
                "engineio": stats["engineio_sockets"],
                "rooms": stats["rooms"],
                "buckets": sum(stats["rate_limit_buckets"].values()),
                "queued": stats["vote_queue"]["queued"],
                "waiting": stats["vote_queue"]["waiting"],
                "busy": stats["vote_queue"]["busy"],
                "load": load_average(),
            }
        )
        print(f"sample {samples[-1]}", file=sys.stderr, flush=True)
        try:
            await asyncio.wait_for(stop.wait(), timeout=every)
            return
        except TimeoutError:
            pass


def burst_figures(phones: list[SoakPhone], tallies: list[float], spans) -> list[dict]:
    """Ack and ballot-to-projector latencies of the writes sent during each burst."""
    rows = []
    for n, (start, end) in enumerate(spans):
        acks, shown = [], []
        for phone in phones:
            for sent, acked in phone.latencies:
                if start <= sent < end:
                    acks.append(acked - sent)
                    i = bisect.bisect_right(tallies, acked)
                    if i < len(tallies):
                        shown.append(tallies[i] - sent)
        rows.append(
            {
                "burst": n + 1,
                "acked": len(acks),
                "per_second": len(acks) / max(end - start, 1e-9),
                "ack_p50_ms": 1000 * (percentile(acks, 50) or 0),
                "ack_p99_ms": 1000 * (percentile(acks, 99) or 0),
                "tally_p50_ms": 1000 * (percentile(shown, 50) or 0),
                "tally_p99_ms": 1000 * (percentile(shown, 99) or 0),
            }
        )
    return rows


async def main_async(args) -> dict:
    raise_open_files(args.phones * 2 + 256)
    target = WorkshopTarget(args.phones)
    target.start()
    figures: dict = {"phones": args.phones, "load_start": load_average()}
    try:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as http:
            room = await target.setup(http)
            phones = [
                SoakPhone(n, t, room.code, room.activity_id, room.statement_ids)
                for n, t in enumerate(room.tokens)
            ]
            tallies: list[float] = []
            projector = socketio.AsyncClient(reconnection=True, handle_sigint=False)
            projector.on("tally", lambda data: tallies.append(time.monotonic()))
            await projector.connect(
                target.url,
                auth={"workshop": room.code, "role": "presenter"},
                transports=["websocket"],
                wait_timeout=60,
            )
            figures["fds_idle"] = fd_count(target.pid)
            limit = asyncio.Semaphore(50)

            async def connect(phone: SoakPhone) -> None:
                async with limit:
                    await phone.connect(target.url)

            await asyncio.gather(*(connect(p) for p in phones))
            print(f"connected {len(phones)}; load {load_average()}", file=sys.stderr, flush=True)
            pattern = Pattern(args.scale)
            stop, tasks, counts = asyncio.Event(), set(), Counter()
            samples: list[dict] = []
            every = max(5.0, SAMPLE_EVERY_S * args.scale)
            sampler = asyncio.create_task(sample(http, target, pattern, samples, stop, every))
            driver = asyncio.create_task(drive(phones, pattern, stop, tasks))
            napper = asyncio.create_task(sleepers(phones, args.scale, stop, counts))
            await asyncio.sleep(args.minutes * 60)
            t_end = time.monotonic()
            stop.set()
            figures["offered"] = await driver
            await napper
            await sampler
            if tasks:
                await asyncio.wait(tasks, timeout=120)
            figures["unfinished_writes"] = sum(1 for p in phones if p.busy)
            figures["samples"] = samples
            figures["sleeps"] = counts["sleeps"]
            figures["bursts"] = burst_figures(phones, tallies, pattern.bursts(t_end))
            figures["warmup_s"] = pattern.period
            answers: Counter = Counter()
            for phone in phones:
                answers.update(phone.answers)
            figures["answers"] = dict(answers)
            figures["acked"] = sum(len(p.acked) for p in phones)
            figures["load_end"] = load_average()
            pids = []
            for phone in phones:
                url = f"{target.url}/api/v1/workshops/{room.code}/state"
                bearer = {"Authorization": f"Bearer {phone.token}"}
                async with http.get(url, headers=bearer) as response:
                    pids.append((await response.json())["me"]["participant_id"])
            await asyncio.gather(*(p.stop() for p in phones), return_exceptions=True)
            await projector.disconnect()
            headers = {"Authorization": f"Bearer {target.server.token}"}
            for _ in range(60):  # the server forgets the phones (disconnects are handled async)
                async with http.get(f"{target.url}/api/v1/server/stats", headers=headers) as r:
                    figures["stats_after"] = await r.json()
                if figures["stats_after"]["connections"]["total"] == 0:
                    break
                await asyncio.sleep(0.5)
            figures["fds_after"] = fd_count(target.pid)
            figures["rss_after_kb"] = rss_kb(target.pid)
        database = target.folder / "load.sqlite3"
        figures.update(check_stored(database, room.activity_id, phones, pids))
    finally:
        target.stop()
        target.cleanup()
    return figures


def growth(figures: dict) -> dict:
    """RSS and fds from the first sample after the warm-up period to the last one."""
    samples = figures["samples"]
    after = [s for s in samples if s["t"] >= figures["warmup_s"]] or samples[-1:]
    first, last = after[0], samples[-1]
    return {
        "rss_from_kb": first["rss_kb"],
        "rss_to_kb": last["rss_kb"],
        "rss_growth_pct": 100 * (last["rss_kb"] - first["rss_kb"]) / first["rss_kb"],
        "rss_max_kb": max(s["rss_kb"] for s in after),
        "fds_min": min(s["fds"] for s in after),
        "fds_max": max(s["fds"] for s in after),
        "from_minute": first["t"] / 60,
    }


def report(figures: dict, args, command: str) -> str:
    g = growth(figures)
    after = figures["stats_after"]
    lines = [
        f"Command: `{command}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (end).",
        f"Machine: {machine()}; load average (1/5/15 min) {figures['load_start']} at the "
        f"start, {figures['load_end']} at the end (the generator shares the cores).",
        "",
        f"{figures['phones']} phones for {args.minutes:g} minutes, pattern scale "
        f"{args.scale:g} (a burst of {BURST_RATE:.0f} ballots/s for {BURST_S * args.scale:g} s "
        f"every {PERIOD_S * args.scale / 60:g} min, {TRICKLE_RATE:.0f}/s between; "
        f"{SLEEPERS:.0%} of the phones asleep for 5-40 s every "
        f"{SLEEP_EVERY_S * args.scale:g} s: {figures['sleeps']} sleeps).",
        "",
        f"**RSS growth after the first {figures['warmup_s'] / 60:g} minutes: "
        f"{g['rss_growth_pct']:+.1f} %** ({g['rss_from_kb'] / 1024:.1f} MB at minute "
        f"{g['from_minute']:.1f} -> {g['rss_to_kb'] / 1024:.1f} MB at the end, max "
        f"{g['rss_max_kb'] / 1024:.1f} MB; target < 10 %). **Open fds {g['fds_min']}-"
        f"{g['fds_max']}** over the same span (they follow the connections: sleeping phones "
        f"hold none); {figures['fds_idle']} before the phones connected, "
        f"{figures['fds_after']} once they left.",
        "",
        f"Acknowledged ballots {figures['acked']} (offered {figures['offered']}); stored "
        f"writes {figures['stored_writes']}; **lost {figures['lost']}, doubled "
        f"{figures['doubled']}, phones whose stored ballot is not their last acknowledged one "
        f"{figures['wrong_last']}**; writes unfinished at the end "
        f"{figures['unfinished_writes']}.",
        f"Answers seen by the phones (per attempt): {figures['answers']}.",
        f"Server after the phones left: {after['connections']} connections, "
        f"{after['engineio_sockets']} Engine.IO sockets, {after['rooms']} rooms, "
        f"{after['vote_queue']['queued']} queued votes, {after['broadcasts_pending']} pending "
        f"broadcasts; RSS {figures['rss_after_kb'] / 1024:.1f} MB.",
        "",
        "| burst | ballots acked | per s | ack p50 / p99 (ms) "
        "| ballot to projector p50 / p99 (ms) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for b in figures["bursts"]:
        lines.append(
            f"| {b['burst']} | {b['acked']} | {b['per_second']:.0f} | {b['ack_p50_ms']:.0f} / "
            f"{b['ack_p99_ms']:.0f} | {b['tally_p50_ms']:.0f} / {b['tally_p99_ms']:.0f} |"
        )
    lines += [
        "",
        "| minute | RSS (MB) | open fds | connections | Engine.IO sockets | rooms | queued "
        "votes | busy (total) | load average |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    samples = figures["samples"]
    step = max(1, len(samples) // 24)  # at most about 24 rows
    for s in samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else []):
        lines.append(
            f"| {s['t'] / 60:.1f} | {s['rss_kb'] / 1024:.1f} | {s['fds']} | {s['connections']} | "
            f"{s['engineio']} | {s['rooms']} | {s['queued']} | {s['busy']} | {s['load']} |"
        )
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--minutes", type=float, default=120.0)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the pattern's times")
    parser.add_argument("--no-write", action="store_true", help="leave docs/performance.md")
    args = parser.parse_args()
    figures = run_loop(main_async(args))
    command = ("bench/soak.py " + " ".join(sys.argv[1:])).strip()
    block = report(figures, args, command)
    print(block)
    if not args.no_write:
        write_section(block, "<!-- soak.py: begin -->", "<!-- soak.py: end -->", SECTION)


if __name__ == "__main__":
    main()
